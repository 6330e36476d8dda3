"""Helpers for the engine tests: build a roster that pages the HTTP sink, move the clock and
run the engine, and read back what the sink and the timeline hold."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from cltui.engine.clock import FakeClock
from cltui.engine.runner import Engine
from cltui.store import alerts, roster
from cltui.store.database import Database
from cltui.store.roster import EscalationSpec, PlanStep
from tests.sinks import HttpSink, Received

MINUTE = 60
HOUR = 60 * MINUTE


def add_person(
    db: Database,
    sink: HttpSink,
    handle: str,
    plan: Sequence[tuple[int, int]] | None = ((0, 0),),
) -> None:
    """A person with one contact, `pager`, that posts to the sink at `/<handle>`, and a plan
    of (wait, repeat) steps all on that contact (None: no plan at all)."""
    roster.save_person(db, handle, handle.title())
    roster.save_contact(db, handle, "pager", sink.apprise_url(f"/{handle}"))
    if plan:
        roster.set_plan(db, handle, [PlanStep("pager", wait, repeat) for wait, repeat in plan])


def add_team(
    db: Database,
    name: str,
    members: Sequence[str],
    escalation: Sequence[EscalationSpec],
    *,
    repeat: int = 0,
    shift: int = 0,
    handoff: datetime | None = None,
) -> None:
    roster.save_team(db, name, shift=shift, handoff=handoff, repeat=repeat)
    roster.set_members(db, name, list(members))
    roster.set_escalation(db, name, list(escalation))


async def tick(engine: Engine, clock: FakeClock, seconds: float = 0) -> None:
    """Move the fake clock on and run what is due then."""
    if seconds:
        clock.advance(timedelta(seconds=seconds))
    await engine.run_once()


def paths(sink: HttpSink) -> list[str]:
    return [r.path for r in sink.received]


def to(sink: HttpSink, path: str) -> list[Received]:
    return [r for r in sink.received if r.path == path]


def kinds(db: Database, number: int) -> list[str]:
    return [e.kind for e in alerts.timeline(db, number)]


def details(db: Database, number: int, kind: str) -> list[str]:
    return [e.detail for e in alerts.timeline(db, number) if e.kind == kind]
