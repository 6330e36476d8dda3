"""The demo: a roster of knights, a local inbox their pages really go to, and a trickle of
synthetic alerts, so the console can be tried on a throwaway database without a network."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from aiohttp import web

from cltui.domain.errors import Refused
from cltui.engine.runner import Engine
from cltui.store import roster
from cltui.store.database import Database
from cltui.store.roster import EscalationSpec, PlanStep

PEOPLE = [
    ("arthur", "Arthur Pendragon"),
    ("lancelot", "Lancelot du Lac"),
    ("gawain", "Gawain of Orkney"),
    ("percival", "Percival of Wales"),
    ("guinevere", "Guinevere"),
    ("merlin", "Merlin Ambrosius"),
]

ALERTS = [
    ("kings", "critical", "API latency p99 above 2s on web-{n}"),
    ("kings", "error", "5xx rate above 5% on checkout-{n}"),
    ("kings", "warning", "Certificate for shop-{n}.example.com expires in 7 days"),
    ("kings", "info", "Deploy {n} of storefront finished with warnings"),
    ("wizards", "critical", "Primary database db-{n} unreachable"),
    ("wizards", "error", "Replication lag on db-{n} above 60s"),
    ("wizards", "warning", "Disk /var on db-{n} is 85% full"),
]


class DemoInbox:
    """A local HTTP endpoint standing in for everyone's phone: it takes apprise's json://
    posts on 127.0.0.1 and counts what each person received."""

    def __init__(self) -> None:
        self.received: Counter[str] = Counter()
        self._runner: web.AppRunner | None = None
        self.port = 0

    async def _take(self, request: web.Request) -> web.Response:
        self.received[request.match_info["who"]] += 1
        await request.read()
        return web.json_response({"ok": True})

    async def start(self) -> DemoInbox:
        app = web.Application()
        app.router.add_post("/{who}", self._take)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    def url(self, who: str) -> str:
        return f"json://127.0.0.1:{self.port}/{who}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


def build_roster(db: Database, url: Callable[[str], str], now: datetime) -> None:
    """Fill an empty database with the demo roster; `url(name)` gives each contact's
    apprise URL (the demo inbox's, in the demo)."""
    for handle, name in PEOPLE:
        roster.save_person(db, handle, name, actor="demo")
        roster.save_contact(db, handle, "push", url(f"{handle}-push"), actor="demo")
        roster.save_contact(db, handle, "chat", url(f"{handle}-chat"), actor="demo")
        roster.set_plan(
            db,
            handle,
            [PlanStep("push", wait=60), PlanStep("chat", repeat=300)],
            actor="demo",
        )
    monday = (now - timedelta(days=now.weekday())).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    roster.save_team(
        db,
        "kings",
        description="Round table on-call: storefront and checkout",
        shift="7d",
        handoff=monday,
        zone="Europe/London",
        repeat=2,
        actor="demo",
    )
    roster.set_members(db, "kings", ["arthur", "lancelot", "gawain", "percival"], actor="demo")
    roster.set_escalation(
        db,
        "kings",
        [
            EscalationSpec("on_duty", wait=300),
            EscalationSpec("next_in_rotation", wait=300),
            EscalationSpec("person", "merlin", wait=600),
        ],
        actor="demo",
    )
    roster.save_team(
        db,
        "wizards",
        description="Databases and storage",
        shift="1d",
        handoff=monday,
        zone="Europe/London",
        repeat=1,
        actor="demo",
    )
    roster.set_members(db, "wizards", ["merlin", "guinevere"], actor="demo")
    roster.set_escalation(
        db,
        "wizards",
        [EscalationSpec("on_duty", wait=600), EscalationSpec("all_in_rotation", wait=900)],
        actor="demo",
    )


class Trickle:
    """Raises a synthetic alert every so often, and resolves some of the older ones."""

    def __init__(self, engine: Engine, *, seed: int = 7, every: float = 20.0) -> None:
        self.engine = engine
        self.random = random.Random(seed)
        self.every = every
        self.raised: list[int] = []

    async def one(self) -> None:
        team, severity, summary = self.random.choice(ALERTS)
        n = self.random.randint(1, 9)
        alert, _ = await self.engine.raise_alert(
            summary.format(n=n),
            team=team,
            severity=severity,
            source="demo",
            dedup_key=f"demo-{team}-{summary.format(n=n)}",
            details=f"Synthetic alert from the cltui demo (instance {n}).",
        )
        self.raised.append(alert.number)
        if len(self.raised) > 6 and self.random.random() < 0.4:
            number = self.raised.pop(0)
            with contextlib.suppress(Refused):
                await self.engine.resolve(number, "monitoring")

    async def run(self, first: int = 5) -> None:
        for _ in range(first):
            await self.one()
        while True:
            await asyncio.sleep(self.every * (0.5 + self.random.random()))
            await self.one()
