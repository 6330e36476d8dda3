"""The store and the engine on PostgreSQL, the shared deployment's database: the same
operations as on SQLite, against a real server started for these tests."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from cltui.domain.errors import Refused
from cltui.engine.clock import FakeClock
from cltui.engine.notifier import AppriseNotifier
from cltui.engine.runner import Engine
from cltui.store import alerts, lease, roster, roster_file
from cltui.store.database import Database
from cltui.store.migrations import LATEST, current_version
from tests.conftest import START
from tests.postgres import PostgresServer, find_bindir
from tests.sinks import HttpSink


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; .ci/run installs the postgresql package")
        pytest.skip("PostgreSQL is not installed here (apt-get install postgresql)")
    server = PostgresServer(bindir).start()
    yield server
    server.stop()


@pytest.fixture
def pg(postgres: PostgresServer) -> Iterator[Database]:
    database = Database(postgres.new_database())
    yield database
    database.close()


@pytest.fixture
async def pg_engine(pg: Database, clock: FakeClock) -> AsyncIterator[Engine]:
    running = Engine(pg, AppriseNotifier(), clock=clock)
    yield running
    await running.notifier.close()


def _team(db: Database, sink: HttpSink) -> None:
    for handle in ("arthur", "lancelot"):
        roster.save_person(db, handle, handle.title())
        roster.save_contact(db, handle, "push", sink.apprise_url(f"/{handle}"))
        roster.set_plan(db, handle, [roster.PlanStep("push", repeat=600)])
    roster.save_team(db, "kings", shift="7d", handoff=START, zone="Europe/London")
    roster.set_members(db, "kings", ["arthur", "lancelot"])
    roster.set_escalation(
        db,
        "kings",
        [roster.EscalationSpec("on_duty", wait=300), roster.EscalationSpec("next_in_rotation")],
    )


def test_schema_is_created_at_the_latest_version(pg: Database) -> None:
    with pg.engine.connect() as connection:
        assert current_version(connection) == LATEST


def test_times_come_back_as_the_same_instants(pg: Database) -> None:
    handoff = datetime(2026, 11, 30, 9, 0, tzinfo=UTC) + timedelta(microseconds=1)
    roster.save_team(pg, "kings", shift="7d", handoff=handoff, zone="Europe/London")
    assert roster.team(pg, "kings").policy.handoff == handoff


def test_roster_file_round_trips(pg: Database, sink: HttpSink) -> None:
    _team(pg, sink)
    exported = roster_file.export(pg)
    roster_file.import_roster(pg, exported)
    assert roster_file.export(pg) == exported


async def test_escalation_pages_on_duty_then_next_and_stops_on_ack(
    pg: Database, pg_engine: Engine, clock: FakeClock, sink: HttpSink
) -> None:
    _team(pg, sink)
    alert, created = await pg_engine.raise_alert("Disk full", team="kings")
    assert created
    await pg_engine.run_once()
    await sink.await_for(lambda got: [r.path for r in got] == ["/arthur"])
    clock.advance(300)
    await pg_engine.run_once()
    await sink.await_for(lambda got: [r.path for r in got] == ["/arthur", "/lancelot"])
    await pg_engine.acknowledge(alert.number, "lancelot")
    clock.advance(3600)
    await pg_engine.run_once()
    assert len(sink.received) == 2
    assert alerts.get(pg, alert.number).paging == ()


async def test_concurrent_raises_with_one_dedup_key_open_one_alert(
    pg: Database, sink: HttpSink
) -> None:
    _team(pg, sink)
    results = await asyncio.gather(
        *(
            asyncio.to_thread(
                alerts.raise_alert, pg, START, f"Disk full {i}", team="kings", dedup_key="disk"
            )
            for i in range(8)
        )
    )
    assert sum(created for _, created in results) == 1
    assert {alert.number for alert, _ in results} == {results[0][0].number}
    assert alerts.get(pg, results[0][0].number).duplicates == 7


async def test_racing_acknowledgements_have_one_winner(pg: Database, sink: HttpSink) -> None:
    _team(pg, sink)
    alert, _ = alerts.raise_alert(pg, START, "Disk full", team="kings")

    def ack(who: str) -> str:
        try:
            return alerts.acknowledge(pg, START, alert.number, who).acked_by or ""
        except Refused as refusal:
            return f"refused: {refusal}"

    outcomes = await asyncio.gather(*(asyncio.to_thread(ack, f"op{i}") for i in range(8)))
    winners = [o for o in outcomes if not o.startswith("refused")]
    assert len(winners) == 1
    assert all(f"already acknowledged by {winners[0]}" in o for o in outcomes if o not in winners)


def test_one_lease_holder_at_a_time(pg: Database) -> None:
    assert lease.acquire(pg, "first", START, 6)
    assert not lease.acquire(pg, "second", START + timedelta(seconds=5), 6)
    assert lease.acquire(pg, "second", START + timedelta(seconds=7), 6)
    assert not lease.acquire(pg, "first", START + timedelta(seconds=8), 6)


async def test_change_feed_publishes_an_event_committed_after_a_later_one(
    pg: Database, pg_engine: Engine
) -> None:
    """PostgreSQL hands out ids before commit: a slow transaction's event can appear after
    the feed has read past its id. It is published late, not lost."""
    subscription = pg_engine.bus.subscribe()
    with pg.write() as slow:
        roster.record_change(slow, START, "slow", "written first, committed last")
        slow.flush()
        roster.save_person(pg, "arthur", "Arthur")  # its own transaction, a later id
        assert await pg_engine.publish_new() == 1
    assert await pg_engine.publish_new() == 1
    seen = [subscription._queue.get_nowait() for _ in range(2)]
    details = [getattr(event, "detail", "") for event in seen]
    assert details == ["person arthur added", "written first, committed last"]
    assert seen[0].id > seen[1].id
