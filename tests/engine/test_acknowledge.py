"""Acknowledge and resolve stop every page and the escalation; of racing acknowledgements
exactly one wins; an open alert's dedup key takes duplicates, a resolved one's does not."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from cltui.domain.errors import Refused
from cltui.engine.clock import FakeClock
from cltui.engine.runner import Engine
from cltui.store import alerts, paging
from cltui.store.database import Database
from cltui.store.roster import EscalationSpec as Spec
from tests.engine.support import HOUR, MINUTE, add_person, add_team, details, kinds, tick
from tests.sinks import HttpSink

KNIGHTS = ("arthur", "lancelot", "gawain")


@pytest.fixture
def kings(db: Database, sink: HttpSink) -> None:
    """Knights paged every 5m until acknowledged, a plan that pages all of them and a
    webhook, looping three times."""
    for handle in (*KNIGHTS, "merlin"):
        add_person(db, sink, handle, [(0, 5 * MINUTE)])
    add_team(
        db,
        "kings",
        KNIGHTS,
        [
            Spec("on_duty", wait=10 * MINUTE),
            Spec("all_in_rotation", wait=10 * MINUTE),
            Spec("person", "merlin", wait=10 * MINUTE),
            Spec("webhook", sink.url("/noc"), wait=10 * MINUTE),
        ],
        repeat=2,
    )


async def started(db: Database, clock: FakeClock, engine: Engine, sink: HttpSink) -> int:
    """An alert for kings twenty minutes into its escalation: everyone is being paged."""
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    await tick(engine, clock, 10 * MINUTE)
    await tick(engine, clock, 10 * MINUTE)
    assert set(alerts.get(db, alert.number).paging) == {*KNIGHTS, "merlin"}
    return alert.number


@pytest.mark.parametrize("action", ["acknowledge", "resolve"])
async def test_acknowledge_or_resolve_stops_every_page_and_the_escalation(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, kings: None, action: str
) -> None:
    number = await started(db, clock, engine, sink)
    sent = len(sink.received)

    view = await getattr(engine, action)(number, "percival")
    assert view.paging == ()
    assert view.next_at is None
    for _ in range(12):
        await tick(engine, clock, HOUR)
    assert len(sink.received) == sent

    view = alerts.get(db, number)
    assert view.status == ("acknowledged" if action == "acknowledge" else "resolved")
    assert not view.exhausted
    timeline = kinds(db, number)
    assert timeline[-1] == ("acknowledged" if action == "acknowledge" else "resolved")
    assert timeline.count("escalated") == 3
    if action == "acknowledge":
        assert (view.acked_by, view.acked_at) == ("percival", clock.now() - timedelta(hours=12))
    else:
        assert view.resolved_by == "percival"


async def test_messages_recorded_but_not_yet_sent_are_not_sent_after_acknowledgement(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, kings: None
) -> None:
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await engine.run_once()
    clock.advance(10 * MINUTE)
    # The due work is done and its messages recorded, but the acknowledgement comes first.
    paging.run_due(db, clock.now())
    assert len(paging.outgoing(db)) == 3
    alerts.acknowledge(db, clock.now(), alert.number, "percival")
    sent = len(sink.received)
    await engine.run_once()
    assert len(sink.received) == sent
    assert paging.outgoing(db) == []
    assert kinds(db, alert.number)[-1] == "acknowledged"


async def test_acknowledged_alert_can_be_resolved_and_stays_quiet(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, kings: None
) -> None:
    number = await started(db, clock, engine, sink)
    await engine.acknowledge(number, "percival")
    await engine.resolve(number, "percival")
    with pytest.raises(Refused, match="already resolved by percival"):
        alerts.resolve(db, clock.now(), number, "galahad")
    with pytest.raises(Refused, match="resolved"):
        alerts.acknowledge(db, clock.now(), number, "galahad")
    assert kinds(db, number)[-2:] == ["acknowledged", "resolved"]


async def test_racing_acknowledgements_exactly_one_wins(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, kings: None
) -> None:
    number = await started(db, clock, engine, sink)
    now = clock.now()

    async def ack(i: int) -> object:
        try:
            return await asyncio.to_thread(alerts.acknowledge, db, now, number, f"op{i}")
        except Refused as refused:
            return refused

    outcomes = await asyncio.gather(*(ack(i) for i in range(8)))
    won = [o for o in outcomes if isinstance(o, alerts.AlertView)]
    lost = [o for o in outcomes if isinstance(o, Refused)]
    assert len(won) == 1
    assert len(lost) == 7
    winner = won[0].acked_by
    assert winner is not None
    for refused in lost:
        assert f"already acknowledged by {winner}" in str(refused)
    assert alerts.get(db, number).acked_by == winner
    assert details(db, number, "acknowledged") == [f"acknowledged by {winner}"]


async def test_racing_acknowledge_and_resolve(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, kings: None
) -> None:
    number = await started(db, clock, engine, sink)
    now = clock.now()
    outcomes = await asyncio.gather(
        asyncio.to_thread(alerts.resolve, db, now, number, "bors"),
        asyncio.to_thread(alerts.acknowledge, db, now, number, "kay"),
        return_exceptions=True,
    )
    assert not isinstance(outcomes[0], BaseException)
    view = alerts.get(db, number)
    assert view.status == "resolved"
    if isinstance(outcomes[1], BaseException):
        assert isinstance(outcomes[1], Refused)
        assert "resolved (by bors" in str(outcomes[1])
    await tick(engine, clock, HOUR)
    assert alerts.get(db, number).paging == ()


async def test_same_dedup_key_while_open_counts_a_duplicate_and_pages_nobody_new(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, kings: None
) -> None:
    first, new = alerts.raise_alert(
        db, clock.now(), "Castle on fire", team="kings", dedup_key="castle", source="probe"
    )
    assert new
    await tick(engine, clock)
    sent = len(sink.received)

    for i in range(3):
        again, new = alerts.raise_alert(
            db, clock.now(), f"Castle on fire ({i})", team="kings", dedup_key="castle"
        )
        assert not new
        assert again.number == first.number
        assert again.duplicates == i + 1
    await tick(engine, clock)
    assert len(sink.received) == sent
    assert kinds(db, first.number).count("deduplicated") == 3
    assert details(db, first.number, "deduplicated")[0] == "again: Castle on fire (0)"
    assert len(alerts.list_alerts(db, "open")) == 1

    # Acknowledged is still open: a duplicate still joins it, and pages nobody.
    alerts.acknowledge(db, clock.now(), first.number, "percival")
    again, new = alerts.raise_alert(
        db, clock.now(), "Castle on fire", team="kings", dedup_key="castle"
    )
    assert (again.number, new, again.duplicates) == (first.number, False, 4)
    assert again.status == "acknowledged"
    await tick(engine, clock, HOUR)
    assert len(sink.received) == sent


async def test_after_resolve_the_same_dedup_key_opens_a_new_alert(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, kings: None
) -> None:
    first, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings", dedup_key="k")
    await tick(engine, clock)
    alerts.resolve(db, clock.now(), first.number, "percival")
    sink.clear()

    second, new = alerts.raise_alert(
        db, clock.now(), "Castle on fire again", team="kings", dedup_key="k"
    )
    assert new
    assert second.number != first.number
    assert second.duplicates == 0
    await tick(engine, clock)
    [got] = sink.received
    assert f"#{second.number}" in got.json["title"]
    assert alerts.get(db, first.number).status == "resolved"
    assert "deduplicated" not in kinds(db, first.number)
