"""The Board's building blocks, shared by the console tests and `tests.screenshots`: a
console context over a database on a fake clock, waits for the Board to load and settle,
and `board_scene`, a board with one alert of every kind built before the console opens."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from textual.pilot import Pilot

from cltui.engine.clock import FakeClock
from cltui.engine.notifier import AppriseNotifier
from cltui.engine.runner import Engine
from cltui.store import alerts, paging
from cltui.store.alerts import AlertView
from cltui.store.database import Database
from cltui.tui.context import ConsoleContext
from cltui.tui.screens.board import BoardScreen
from tests.conftest import START

OPERATOR = "merlin"
SIZE = (120, 36)


@asynccontextmanager
async def console_context(
    db: Database, clock: FakeClock, *, lead: bool = False
) -> AsyncIterator[ConsoleContext]:
    """A console context whose engine runs on the caller's loop. Without `lead` the engine
    only reads the change feed: tests drive due work with `engine.run_once()`."""
    engine = Engine(db, AppriseNotifier(), clock=clock)
    await engine.start(lead=lead)
    try:
        yield ConsoleContext(db, engine, clock, OPERATOR)
    finally:
        await engine.stop()


async def until(pilot: Pilot[object], condition: Callable[[], object], within: float = 20) -> None:
    """Let the app run until `condition()` holds; fail after `within` seconds."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within}s")
        await pilot.pause(0.02)


async def board_ready(pilot: Pilot[object]) -> BoardScreen:
    """Wait until the Board is the screen and has loaded its alerts."""
    await until(pilot, lambda: isinstance(pilot.app.screen, BoardScreen))
    board = pilot.app.screen
    assert isinstance(board, BoardScreen)
    await board.wait_loaded()
    await pilot.pause()
    return board


async def settle(pilot: Pilot[object], board: BoardScreen) -> None:
    """Let pending layout and table measurements finish before a screenshot."""
    table = board.table
    await until(pilot, lambda: not table._require_update_dimensions and not table._new_rows)
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def raise_at(
    db: Database,
    when: datetime,
    summary: str,
    *,
    team: str | None = "kings",
    person: str | None = None,
    severity: str = "error",
) -> AlertView:
    """Raise an alert as of `when` and run the work due then (paging the first people)."""
    alert, _ = alerts.raise_alert(
        db,
        when,
        summary,
        team=None if person else team,
        person=person,
        severity=severity,
        source="test",
    )
    paging.run_due(db, when)
    return alert


def board_scene(db: Database) -> dict[str, int]:
    """A board with one of everything, built in the database before the console opens:
    an exhausted alert, a triggered critical, errors and warnings, an acknowledged one, one
    resolved a minute ago and one resolved long ago (off the board). Returns numbers."""
    numbers: dict[str, int] = {}
    first = START - timedelta(hours=6)
    numbers["exhausted"] = raise_at(
        db, first, "Primary database db-1 unreachable", team="wizards", severity="critical"
    ).number
    for minutes in range(5, 65, 5):
        paging.run_due(db, first + timedelta(minutes=minutes))
    numbers["old"] = raise_at(db, START - timedelta(hours=5), "Disk /var on db-2 85% full").number
    alerts.resolve(db, START - timedelta(hours=4), numbers["old"], "monitoring")
    for hours in (4, 3, 3, 2):
        raise_at(
            db,
            START - timedelta(hours=hours, minutes=7),
            f"Deploy {hours} of storefront finished with warnings",
            severity="info",
        )
    numbers["acked"] = raise_at(
        db, START - timedelta(minutes=50), "5xx rate above 5% on checkout-2"
    ).number
    alerts.acknowledge(db, START - timedelta(minutes=42), numbers["acked"], "lancelot")
    numbers["resolved"] = raise_at(
        db, START - timedelta(minutes=30), "Replication lag on db-3 above 60s", team="wizards"
    ).number
    alerts.resolve(db, START - timedelta(minutes=1), numbers["resolved"], "guinevere")
    numbers["warning"] = raise_at(
        db,
        START - timedelta(minutes=12),
        "Certificate for shop-4.example.com expires in 7 days",
        severity="warning",
    ).number
    numbers["person"] = raise_at(
        db, START - timedelta(minutes=3), "Backups did not run tonight", person="percival"
    ).number
    numbers["critical"] = raise_at(
        db, START - timedelta(seconds=40), "API latency p99 above 2s on web-3", severity="critical"
    ).number
    return numbers
