"""A person's notification plan: each step's wait, the last step repeating until
acknowledged (or once, with repeat 0), and a person alert exhausted when the plan runs out."""

from __future__ import annotations

from cltui.engine.clock import FakeClock
from cltui.engine.runner import Engine
from cltui.store import alerts, roster
from cltui.store.database import Database
from cltui.store.roster import PlanStep
from tests.engine.support import HOUR, MINUTE, add_person, details, kinds, paths, tick
from tests.sinks import HttpSink


def two_contact_person(db: Database, sink: HttpSink, plan: list[PlanStep]) -> None:
    roster.save_person(db, "arthur", "Arthur Pendragon")
    roster.save_contact(db, "arthur", "sms", sink.apprise_url("/arthur/sms"))
    roster.save_contact(db, "arthur", "mail", sink.apprise_url("/arthur/mail"))
    roster.set_plan(db, "arthur", plan)


async def test_first_step_is_sent_at_once_with_number_summary_and_how_to_ack(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    add_person(db, sink, "arthur", [(0, 10 * MINUTE)])
    alert, new = alerts.raise_alert(db, clock.now(), "Disk full on db1", person="arthur")
    assert new
    await tick(engine, clock)

    [got] = sink.received
    assert got.path == "/arthur"
    assert got.method == "POST"
    assert f"#{alert.number}" in got.json["title"]
    assert "Disk full on db1" in got.json["title"]
    assert f"cltui ack {alert.number}" in got.json["message"]
    assert "To acknowledge" in got.json["message"]
    assert kinds(db, alert.number) == ["created", "paged", "delivered"]


async def test_each_step_waits_before_the_next(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    two_contact_person(
        db, sink, [PlanStep("sms", wait=5 * MINUTE), PlanStep("mail", repeat=10 * MINUTE)]
    )
    alert, _ = alerts.raise_alert(db, clock.now(), "Disk full", person="arthur")
    await tick(engine, clock)
    assert paths(sink) == ["/arthur/sms"]
    assert alerts.get(db, alert.number).paging == ("arthur",)

    await tick(engine, clock, 5 * MINUTE - 1)
    assert paths(sink) == ["/arthur/sms"]
    await tick(engine, clock, 1)
    assert paths(sink) == ["/arthur/sms", "/arthur/mail"]


async def test_last_step_repeats_every_repeat_until_acknowledged(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    two_contact_person(
        db, sink, [PlanStep("sms", wait=1 * MINUTE), PlanStep("mail", repeat=10 * MINUTE)]
    )
    alert, _ = alerts.raise_alert(db, clock.now(), "Disk full", person="arthur")
    await tick(engine, clock)
    await tick(engine, clock, MINUTE)
    for _ in range(3):
        await tick(engine, clock, 10 * MINUTE - 1)
        before = len(sink.received)
        await tick(engine, clock, 1)
        assert len(sink.received) == before + 1
    assert paths(sink) == ["/arthur/sms"] + ["/arthur/mail"] * 4
    assert not alerts.get(db, alert.number).exhausted

    alerts.acknowledge(db, clock.now(), alert.number, "arthur")
    for _ in range(6):
        await tick(engine, clock, HOUR)
    assert len(sink.received) == 5
    view = alerts.get(db, alert.number)
    assert view.status == "acknowledged"
    assert view.paging == ()
    assert not view.exhausted


async def test_repeat_zero_sends_the_last_step_once_and_the_alert_is_exhausted(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    two_contact_person(db, sink, [PlanStep("sms", wait=2 * MINUTE), PlanStep("mail")])
    alert, _ = alerts.raise_alert(db, clock.now(), "Disk full", person="arthur")
    await tick(engine, clock)
    assert not alerts.get(db, alert.number).exhausted
    await tick(engine, clock, 2 * MINUTE)
    for _ in range(5):
        await tick(engine, clock, HOUR)
    assert paths(sink) == ["/arthur/sms", "/arthur/mail"]

    view = alerts.get(db, alert.number)
    assert view.status == "triggered"
    assert view.exhausted
    assert view.paging == ()
    assert kinds(db, alert.number).count("exhausted") == 1
    [why] = details(db, alert.number, "exhausted")
    assert "arthur" in why
    assert "ran out" in why


async def test_single_step_plan_repeating(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    add_person(db, sink, "arthur", [(0, 30 * MINUTE)])
    alert, _ = alerts.raise_alert(db, clock.now(), "Disk full", person="arthur")
    await tick(engine, clock)
    for _ in range(4):
        await tick(engine, clock, 30 * MINUTE)
    assert paths(sink) == ["/arthur"] * 5
    assert alerts.get(db, alert.number).paging == ("arthur",)


async def test_person_alert_for_someone_with_no_plan_is_exhausted_at_once(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    add_person(db, sink, "arthur", plan=None)
    alert, _ = alerts.raise_alert(db, clock.now(), "Disk full", person="arthur")
    await tick(engine, clock)
    await tick(engine, clock, HOUR)
    assert sink.received == []
    view = alerts.get(db, alert.number)
    assert view.status == "triggered"
    assert view.exhausted
    assert "nobody_on_duty" in kinds(db, alert.number)
    assert "exhausted" in kinds(db, alert.number)


async def test_two_person_alerts_page_independently(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    add_person(db, sink, "arthur", [(0, 10 * MINUTE)])
    first, _ = alerts.raise_alert(db, clock.now(), "Disk full", person="arthur")
    await tick(engine, clock, 5 * MINUTE)
    second, _ = alerts.raise_alert(db, clock.now(), "CPU hot", person="arthur")
    await tick(engine, clock)
    alerts.acknowledge(db, clock.now(), first.number, "arthur")
    await tick(engine, clock, 10 * MINUTE)
    titles = [r.json["title"] for r in sink.received]
    # 0m: first; 5m: second; 10m: first is acknowledged; 15m: second again.
    assert [f"#{first.number}" in t for t in titles] == [True, False, False]
    assert all(f"#{second.number}" in t and "CPU hot" in t for t in titles[1:])
