"""Fixtures shared by the whole suite: a temporary database, a fake clock, local sinks and
an engine wired to them."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cltui.engine.clock import FakeClock
from cltui.engine.notifier import AppriseNotifier
from cltui.engine.runner import Engine
from cltui.store.database import Database
from tests.sinks import HttpSink, SmtpSink

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "alertmanager"
START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def email_smtp_url(smtp: SmtpSink) -> str:
    """The `[email] url` setting that sends email steps through the local SMTP sink."""
    return f"mailto://127.0.0.1:{smtp.port}?mode=insecure&from=cltui@example.com"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the developer's own config or data directories."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for variable in [v for v in os.environ if v.startswith("CLTUI_")]:
        monkeypatch.delenv(variable)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cltui.db'}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def sink() -> Iterator[HttpSink]:
    with HttpSink() as running:
        yield running


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    with SmtpSink() as running:
        yield running


@pytest.fixture
async def engine(db: Database, clock: FakeClock, smtp: SmtpSink) -> AsyncIterator[Engine]:
    """An engine on the fake clock, not started: tests drive it with `run_once()`."""
    notifier = AppriseNotifier(email_smtp_url(smtp))
    running = Engine(db, notifier, clock=clock)
    yield running
    await running.notifier.close()
