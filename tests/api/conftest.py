"""Fixtures for the HTTP API tests: a real database, engine, server and delivery sink.

`api` is the whole stack on 127.0.0.1: a SQLite file in tmp_path, a roster whose contacts
deliver through apprise to an `HttpSink`, an engine on a `FakeClock`, the API server on a
port the kernel picked, a bearer token and an aiohttp client.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from cltui.api.server import ApiServer, start_api
from cltui.config import Settings
from cltui.engine.clock import FakeClock
from cltui.engine.notifier import AppriseNotifier
from cltui.engine.runner import Engine
from cltui.store import roster, tokens
from cltui.store.database import Database, sqlite_url
from cltui.store.roster import EscalationSpec, PlanStep
from tests.sinks import HttpSink

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "alertmanager"


def fixture_payload(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def seed_roster(db: Database, sink: HttpSink) -> None:
    """arthur and lancelot, paged through the sink every minute until acked; team kings
    (on duty, then the next in rotation) and team infra, which pages both at once."""
    for handle in ("arthur", "lancelot"):
        roster.save_person(db, handle, handle.title())
        roster.save_contact(db, handle, "hook", sink.apprise_url(f"/{handle}"))
        roster.set_plan(db, handle, [PlanStep("hook", repeat=60)])
    roster.save_team(db, "kings")
    roster.set_members(db, "kings", ["arthur", "lancelot"])
    roster.set_escalation(
        db,
        "kings",
        [EscalationSpec("on_duty", wait=900), EscalationSpec("next_in_rotation", wait=900)],
    )
    roster.save_team(db, "infra")
    roster.set_members(db, "infra", ["arthur", "lancelot"])
    roster.set_escalation(db, "infra", [EscalationSpec("all_in_rotation", wait=900)])
    roster.save_person(db, "nobody", "No Plan")


@dataclass
class Api:
    """The running stack and an authorised client for it."""

    server: ApiServer
    engine: Engine
    db: Database
    clock: FakeClock
    sink: HttpSink
    settings: Settings
    token: str
    http: aiohttp.ClientSession

    @property
    def url(self) -> str:
        return self.server.url

    def headers(self, token: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token or self.token}"}

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        data: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        token: str | None = None,
    ) -> tuple[int, Any]:
        """Send a request under /api/v1 (or to `path` as given if it is an /ack/ link);
        return the status and the decoded JSON (or the text)."""
        url = self.url + (path if path.startswith("/ack/") else "/api/v1" + path)
        sent = {**self.headers(token), **(headers or {})}
        kwargs: dict[str, Any] = {"headers": sent}
        if data is not None:
            kwargs["data"] = data
        elif body is not None:
            kwargs["json"] = body
        async with self.http.request(method, url, **kwargs) as response:
            text = await response.text()
            if response.content_type == "application/json":
                return response.status, json.loads(text)
            return response.status, text


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = Database(sqlite_url(tmp_path / "cltui.db"))
    yield db
    db.close()


@pytest.fixture
async def api(tmp_path: Path, database: Database, sink: HttpSink) -> AsyncIterator[Api]:
    seed_roster(database, sink)
    clock = FakeClock()
    settings = Settings(
        database=database.url, data_dir=tmp_path / "data", listen="127.0.0.1:0", operator="op"
    )
    engine = Engine(database, AppriseNotifier(), clock=clock, lease_renew=0.2)
    await engine.start()
    server = await start_api(engine, settings)
    token = tokens.create(database, "tests")
    async with aiohttp.ClientSession() as http:
        try:
            yield Api(server, engine, database, clock, sink, settings, token, http)
        finally:
            await server.stop()
            await engine.stop()
