"""The event bus (every subscriber gets every event in order; a slow one overflows on its own)
and the running engine loop on the fake clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime

from cltui.engine import bus as bus_module
from cltui.engine.bus import (
    AlertAcknowledged,
    AlertCreated,
    AlertEscalated,
    AlertPaged,
    BusEvent,
    EventBus,
    NotificationDelivered,
    Overflowed,
    RosterChanged,
    Subscription,
)
from cltui.engine.clock import FakeClock
from cltui.engine.runner import Engine
from cltui.store import alerts
from cltui.store.alerts import EventView
from cltui.store.database import Database
from cltui.store.roster import EscalationSpec as Spec
from tests.engine.support import MINUTE, add_person, add_team, tick
from tests.sinks import HttpSink

WHEN = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def made_up(i: int) -> BusEvent:
    return bus_module.typed(EventView(i, 1, WHEN, "paged", "", f"event {i}"))


async def take(subscription: Subscription, count: int) -> list[BusEvent | Overflowed]:
    return [await asyncio.wait_for(subscription.get(), 5) for _ in range(count)]


async def test_every_subscriber_gets_every_event_in_order_as_typed_classes(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    first = engine.bus.subscribe()
    second = engine.bus.subscribe()
    add_person(db, sink, "arthur", [(0, 5 * MINUTE)])
    add_team(db, "kings", ["arthur"], [Spec("on_duty", wait=MINUTE)])
    alert, _ = await engine.raise_alert("Castle on fire", team="kings")
    await tick(engine, clock)
    await engine.acknowledge(alert.number, "arthur")
    await engine.publish_new()

    expected = [
        RosterChanged,  # person
        RosterChanged,  # contact
        RosterChanged,  # plan
        RosterChanged,  # team
        RosterChanged,  # members
        RosterChanged,  # escalation
        AlertCreated,
        AlertEscalated,
        AlertPaged,
        NotificationDelivered,
        AlertAcknowledged,
    ]
    got_first = await take(first, len(expected))
    got_second = await take(second, len(expected))
    assert [type(e) for e in got_first] == expected
    assert got_first == got_second
    ids = [e.id for e in got_first if isinstance(e, BusEvent)]
    assert ids == sorted(ids)
    timeline = alerts.timeline(db, alert.number)
    assert [(e.id, e.kind, e.detail) for e in timeline] == [
        (e.id, e.kind, e.detail) for e in got_first if isinstance(e, BusEvent) and e.alert
    ]
    assert first._queue.empty()


async def test_publishing_does_not_wait_for_a_slow_subscriber_which_overflows_alone() -> None:
    bus = EventBus()
    fast = bus.subscribe()
    slow = bus.subscribe(limit=3)
    for i in range(10):
        bus.publish(made_up(i))  # returns at once although nobody has read anything

    fast_got = await take(fast, 10)
    assert [e.detail for e in fast_got if isinstance(e, BusEvent)] == [
        f"event {i}" for i in range(10)
    ]
    slow_got = await take(slow, 4)
    assert [getattr(e, "detail", None) for e in slow_got[:3]] == ["event 0", "event 1", "event 2"]
    assert slow_got[3] == Overflowed(7)

    # Caught up, it hears of new events again.
    bus.publish(made_up(10))
    assert (await take(slow, 1))[0] == made_up(10)


async def test_an_overflow_is_reported_where_the_gap_is() -> None:
    bus = EventBus()
    slow = bus.subscribe(limit=2)
    for i in range(4):
        bus.publish(made_up(i))  # 2 and 3 are missed
    assert (await take(slow, 1))[0] == made_up(0)
    bus.publish(made_up(4))
    got = await take(slow, 3)
    assert got == [made_up(1), Overflowed(2), made_up(4)]


async def test_a_closed_subscription_hears_nothing_more() -> None:
    bus = EventBus()
    with bus.subscribe() as gone:
        bus.publish(made_up(0))
    bus.publish(made_up(1))
    assert await take(gone, 1) == [made_up(0)]
    assert gone._queue.empty()


def sent_to(path: str, count: int) -> Callable[[list], bool]:
    def enough(received: list) -> bool:
        return sum(1 for r in received if r.path == path) >= count

    enough.__name__ = f"{count} to {path}"
    return enough


async def test_the_running_engine_pages_at_once_and_again_when_the_clock_moves(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    add_person(db, sink, "arthur", [(0, 5 * MINUTE)])
    add_person(db, sink, "lancelot")
    add_team(
        db,
        "kings",
        ["arthur", "lancelot"],
        [Spec("on_duty", wait=10 * MINUTE), Spec("next_in_rotation", wait=10 * MINUTE)],
    )
    subscription = engine.bus.subscribe()
    await engine.start()
    try:
        await asyncio.wait_for(engine.wait_leading(), 10)
        alert, _ = await engine.raise_alert("Castle on fire", team="kings")
        await sink.await_for(sent_to("/arthur", 1), timeout=10)

        clock.advance(5 * MINUTE)
        await sink.await_for(sent_to("/arthur", 2), timeout=10)
        clock.advance(5 * MINUTE)
        await sink.await_for(sent_to("/lancelot", 1), timeout=10)

        # The bus hears of it all from the change feed.
        seen: list[BusEvent | Overflowed] = []
        while sum(isinstance(e, NotificationDelivered) for e in seen) < 4:
            seen.append(await asyncio.wait_for(subscription.get(), 10))
        assert any(isinstance(e, AlertCreated) and e.alert == alert.number for e in seen)

        await engine.acknowledge(alert.number, "arthur")
        while not any(isinstance(e, AlertAcknowledged) for e in seen):
            seen.append(await asyncio.wait_for(subscription.get(), 10))
    finally:
        async with asyncio.timeout(10):
            await engine.stop()
    assert alerts.get(db, alert.number).status == "acknowledged"
    assert len(sink.received) == 4


async def test_the_running_engine_picks_up_an_alert_raised_by_another_process(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    add_person(db, sink, "arthur")
    await engine.start()
    try:
        await asyncio.wait_for(engine.wait_leading(), 10)
        # Straight into the database, as `cltui alert` in another process would.
        await asyncio.to_thread(
            alerts.raise_alert, db, clock.now(), "Castle on fire", person="arthur"
        )
        await sink.await_for(sent_to("/arthur", 1), timeout=10)
    finally:
        async with asyncio.timeout(10):
            await engine.stop()
