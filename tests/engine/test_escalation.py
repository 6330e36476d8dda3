"""Team escalation: every method, pages that keep going while escalation continues, plan
loops and exhaustion, rotation computed from the clock, take over, and escalate now."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cltui.domain.errors import Refused
from cltui.engine.clock import FakeClock
from cltui.engine.runner import Engine
from cltui.store import alerts, roster
from cltui.store.database import Database
from cltui.store.roster import EscalationSpec as Spec
from tests.conftest import START
from tests.engine.support import (
    HOUR,
    MINUTE,
    add_person,
    add_team,
    details,
    kinds,
    paths,
    tick,
    to,
)
from tests.sinks import HttpSink, SmtpSink

KNIGHTS = ("arthur", "lancelot", "gawain")
DAY = 24 * HOUR


@pytest.fixture
def knights(db: Database, sink: HttpSink) -> None:
    """Three knights and merlin, each paged once per page (a one-step plan, no repeat)."""
    for handle in (*KNIGHTS, "merlin"):
        add_person(db, sink, handle)


async def test_plan_runs_step_by_step_after_each_wait_then_is_exhausted(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, knights: None
) -> None:
    add_team(
        db,
        "kings",
        KNIGHTS,
        [
            Spec("on_duty", wait=15 * MINUTE),
            Spec("next_in_rotation", wait=15 * MINUTE),
            Spec("person", "merlin", wait=30 * MINUTE),
            Spec("webhook", sink.url("/noc"), wait=10 * MINUTE),
        ],
    )
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    assert paths(sink) == ["/arthur"]
    assert details(db, alert.number, "escalated") == ["step 1/4: on duty"]

    await tick(engine, clock, 15 * MINUTE - 1)
    assert paths(sink) == ["/arthur"]
    await tick(engine, clock, 1)
    assert paths(sink) == ["/arthur", "/lancelot"]
    await tick(engine, clock, 15 * MINUTE)
    assert paths(sink) == ["/arthur", "/lancelot", "/merlin"]
    await tick(engine, clock, 30 * MINUTE)
    assert paths(sink) == ["/arthur", "/lancelot", "/merlin", "/noc"]
    assert not alerts.get(db, alert.number).exhausted

    await tick(engine, clock, 10 * MINUTE - 1)
    assert not alerts.get(db, alert.number).exhausted
    await tick(engine, clock, 1)
    view = alerts.get(db, alert.number)
    assert view.exhausted
    assert view.status == "triggered"
    assert view.next_at is None
    [why] = details(db, alert.number, "exhausted")
    assert "kings" in why

    for _ in range(5):
        await tick(engine, clock, HOUR)
    assert len(sink.received) == 4
    assert alerts.get(db, alert.number).status == "triggered"


async def test_on_duty_pages_the_member_on_duty(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, knights: None
) -> None:
    add_team(db, "kings", KNIGHTS, [Spec("on_duty", wait=HOUR)])
    roster.take_over(db, "kings", "lancelot", now=clock.now())
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    assert paths(sink) == ["/lancelot"]
    assert alerts.get(db, alert.number).paging == ()  # one message, plan done


async def test_next_in_rotation_pages_the_next_member_after_those_already_paged(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, knights: None
) -> None:
    add_team(
        db,
        "kings",
        KNIGHTS,
        [Spec("on_duty", wait=5 * MINUTE)] + [Spec("next_in_rotation", wait=5 * MINUTE)] * 3,
    )
    roster.take_over(db, "kings", "lancelot", now=clock.now())
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    for _ in range(3):
        await tick(engine, clock, 5 * MINUTE)
    assert paths(sink) == ["/lancelot", "/gawain", "/arthur"]
    [nobody] = details(db, alert.number, "nobody_on_duty")
    assert "nobody left to page in this loop" in nobody


async def test_next_in_rotation_skips_a_member_paged_by_a_person_step(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, knights: None
) -> None:
    add_team(
        db,
        "kings",
        KNIGHTS,
        [
            Spec("on_duty", wait=MINUTE),
            Spec("person", "lancelot", wait=MINUTE),
            Spec("next_in_rotation", wait=MINUTE),
        ],
    )
    alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    await tick(engine, clock, MINUTE)
    await tick(engine, clock, MINUTE)
    assert paths(sink) == ["/arthur", "/lancelot", "/gawain"]


async def test_all_in_rotation_pages_every_member_at_once(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    for handle in KNIGHTS:
        add_person(db, sink, handle, [(0, 10 * MINUTE)])
    add_team(db, "kings", KNIGHTS, [Spec("all_in_rotation", wait=HOUR)])
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    assert sorted(paths(sink)) == ["/arthur", "/gawain", "/lancelot"]
    assert alerts.get(db, alert.number).paging == KNIGHTS
    assert len(details(db, alert.number, "paged")) == 3


async def test_person_step_pages_that_person(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, knights: None
) -> None:
    add_team(db, "kings", KNIGHTS, [Spec("person", "merlin", wait=HOUR)])
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    [got] = sink.received
    assert got.path == "/merlin"
    assert f"#{alert.number}" in got.json["title"]
    assert "team kings" in got.json["message"]


async def test_webhook_step_posts_json_describing_the_alert(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, knights: None
) -> None:
    add_team(db, "kings", KNIGHTS, [Spec("webhook", sink.url("/hooks/noc"), wait=HOUR)])
    alert, _ = alerts.raise_alert(
        db, clock.now(), "Castle on fire", team="kings", severity="critical", details="smoke"
    )
    await tick(engine, clock)
    [got] = sink.received
    assert (got.method, got.path) == ("POST", "/hooks/noc")
    assert got.headers.get("Content-Type", "").startswith("application/json")
    body = got.json["alert"]
    assert body["number"] == alert.number
    assert body["uuid"] == alert.uuid
    assert body["summary"] == "Castle on fire"
    assert body["severity"] == "critical"
    assert body["status"] == "triggered"
    assert body["team"] == "kings"
    assert body["details"] == "smoke"
    assert f"#{alert.number}" in got.json["title"]
    assert f"cltui ack {alert.number}" in got.json["message"]
    # The timeline shows where a webhook went but not its path, which may hold a token.
    shown = f"webhook http://127.0.0.1:{sink.port}/…"
    assert details(db, alert.number, "delivered") == [shown]
    assert details(db, alert.number, "escalated") == [f"step 1/1: {shown}"]


async def test_email_step_arrives_at_the_smtp_server(
    db: Database,
    clock: FakeClock,
    sink: HttpSink,
    smtp: SmtpSink,
    engine: Engine,
    knights: None,
) -> None:
    add_team(db, "kings", KNIGHTS, [Spec("email", "noc@example.com", wait=HOUR)])
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    [mail] = await smtp.await_for(lambda m: len(m) >= 1, timeout=10)
    assert mail.rcpt_tos == ["noc@example.com"]
    assert f"#{alert.number}" in mail.subject
    assert "Castle on fire" in mail.subject
    assert f"cltui ack {alert.number}" in mail.body
    assert details(db, alert.number, "delivered") == ["email to noc@example.com"]
    assert sink.received == []


async def test_pages_already_started_keep_going_while_escalation_continues(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    add_person(db, sink, "arthur", [(0, 5 * MINUTE)])
    add_person(db, sink, "lancelot", [(0, 5 * MINUTE)])
    add_person(db, sink, "merlin", [(0, 5 * MINUTE)])
    add_team(
        db,
        "kings",
        ["arthur", "lancelot"],
        [
            Spec("on_duty", wait=10 * MINUTE),
            Spec("next_in_rotation", wait=10 * MINUTE),
            Spec("person", "merlin", wait=HOUR),
        ],
    )
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    for _ in range(4):
        await tick(engine, clock, 5 * MINUTE)
    # arthur every 5m from 0m, lancelot from 10m, merlin from 20m.
    assert len(to(sink, "/arthur")) == 5
    assert len(to(sink, "/lancelot")) == 3
    assert len(to(sink, "/merlin")) == 1
    assert alerts.get(db, alert.number).paging == ("arthur", "lancelot", "merlin")


async def test_plan_repeats_loops_then_is_exhausted_and_stays_triggered(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, knights: None
) -> None:
    add_team(
        db,
        "kings",
        KNIGHTS,
        [Spec("on_duty", wait=10 * MINUTE), Spec("next_in_rotation", wait=10 * MINUTE)],
        repeat=2,
    )
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    for _ in range(5):
        await tick(engine, clock, 10 * MINUTE)
    # Each loop starts again from the member on duty and then the next one.
    assert paths(sink) == ["/arthur", "/lancelot"] * 3
    assert details(db, alert.number, "escalated") == [
        "step 1/2: on duty",
        "step 2/2: next in rotation",
        "step 1/2, loop 2: on duty",
        "step 2/2, loop 2: next in rotation",
        "step 1/2, loop 3: on duty",
        "step 2/2, loop 3: next in rotation",
    ]
    assert not alerts.get(db, alert.number).exhausted

    await tick(engine, clock, 10 * MINUTE)
    view = alerts.get(db, alert.number)
    assert view.exhausted
    assert view.status == "triggered"
    [why] = details(db, alert.number, "exhausted")
    assert "3 times" in why
    for _ in range(4):
        await tick(engine, clock, HOUR)
    assert len(sink.received) == 6
    assert kinds(db, alert.number).count("exhausted") == 1


async def test_repeat_zero_runs_the_plan_once(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, knights: None
) -> None:
    add_team(db, "kings", KNIGHTS, [Spec("on_duty", wait=10 * MINUTE)])
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    await tick(engine, clock, 10 * MINUTE)
    await tick(engine, clock, HOUR)
    assert paths(sink) == ["/arthur"]
    assert alerts.get(db, alert.number).exhausted
    assert "1 time " in details(db, alert.number, "exhausted")[0]


async def test_rotation_follows_the_clock(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, knights: None
) -> None:
    add_team(db, "kings", KNIGHTS, [Spec("on_duty", wait=HOUR)], shift=DAY, handoff=START)

    async def page_once(summary: str) -> str:
        alert, _ = alerts.raise_alert(db, clock.now(), summary, team="kings")
        sink.clear()
        await tick(engine, clock)
        alerts.resolve(db, clock.now(), alert.number, "noc")
        [got] = sink.received
        return got.path

    assert await page_once("day one") == "/arthur"
    clock.advance(DAY - 1)
    assert await page_once("just before the handoff") == "/arthur"
    clock.advance(1)
    assert await page_once("just after the handoff") == "/lancelot"
    # A console closed for a week is still right: 8 shifts on from arthur is gawain.
    clock.set(START + timedelta(days=8, hours=3))
    assert await page_once("a week later") == "/gawain"


async def test_take_over_changes_who_is_paged(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, knights: None
) -> None:
    add_team(db, "kings", KNIGHTS, [Spec("on_duty", wait=HOUR)], shift=DAY, handoff=START)
    clock.advance(2 * HOUR)
    view = roster.take_over(db, "kings", "gawain", now=clock.now())
    assert view.on_duty(clock.now()).handle == "gawain"
    first, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    assert paths(sink) == ["/gawain"]
    alerts.resolve(db, clock.now(), first.number, "noc")

    # The rotation continues from gawain at the next handoff, which does not move.
    clock.set(START + timedelta(days=1))
    alerts.raise_alert(db, clock.now(), "Moat overflowing", team="kings")
    await tick(engine, clock)
    assert paths(sink) == ["/gawain", "/arthur"]


async def test_take_over_reaches_an_alert_already_escalating(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, knights: None
) -> None:
    add_team(db, "kings", KNIGHTS, [Spec("on_duty", wait=10 * MINUTE)], repeat=1)
    alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    roster.take_over(db, "kings", "lancelot", now=clock.now())
    await tick(engine, clock, 10 * MINUTE)
    assert paths(sink) == ["/arthur", "/lancelot"]


async def test_escalate_now_runs_the_next_step_at_once(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, knights: None
) -> None:
    add_team(
        db,
        "kings",
        KNIGHTS,
        [Spec("on_duty", wait=HOUR), Spec("person", "merlin", wait=HOUR)],
    )
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    await tick(engine, clock, MINUTE)
    assert paths(sink) == ["/arthur"]

    view = await engine.escalate_now(alert.number, "noc")
    assert view.next_at == clock.now()
    await tick(engine, clock)
    assert paths(sink) == ["/arthur", "/merlin"]
    assert "escalation forced by noc" in details(db, alert.number, "escalated")
    # The forced step's wait counts from when it ran.
    await tick(engine, clock, HOUR - 1)
    assert not alerts.get(db, alert.number).exhausted
    await tick(engine, clock, 1)
    assert alerts.get(db, alert.number).exhausted

    with pytest.raises(Refused, match="no further escalation step"):
        alerts.escalate_now(db, clock.now(), alert.number, "noc")
    alerts.acknowledge(db, clock.now(), alert.number, "noc")
    with pytest.raises(Refused, match="acknowledged"):
        alerts.escalate_now(db, clock.now(), alert.number, "noc")


async def test_all_in_rotation_pages_again_a_member_whose_page_has_finished(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, knights: None
) -> None:
    add_team(
        db,
        "kings",
        KNIGHTS,
        [Spec("on_duty", wait=MINUTE), Spec("all_in_rotation", wait=MINUTE)],
    )
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    await tick(engine, clock, MINUTE)
    # arthur's first page is finished, so the second step pages him again.
    assert sorted(paths(sink)) == ["/arthur", "/arthur", "/gawain", "/lancelot"]
    await tick(engine, clock, MINUTE)
    assert alerts.get(db, alert.number).exhausted


async def test_an_alert_says_which_step_ran_last_of_how_many_and_in_which_loop(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    add_person(db, sink, "arthur")
    add_person(db, sink, "lancelot")
    add_team(
        db,
        "kings",
        ["arthur", "lancelot"],
        [Spec("on_duty", wait=5 * MINUTE), Spec("next_in_rotation", wait=5 * MINUTE)],
        repeat=1,
    )
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    assert alerts.get(db, alert.number).last_step is None
    seen = []
    for wait in (0, 5 * MINUTE, 5 * MINUTE, 5 * MINUTE, 5 * MINUTE):
        await tick(engine, clock, wait)
        seen.append(alerts.get(db, alert.number).last_step)
    assert seen == [(1, 1), (2, 1), (1, 2), (2, 2), (2, 2)]
    final = alerts.get(db, alert.number)
    assert final.exhausted
    assert final.as_json()["escalation"] == {"steps": 2, "last_step": 2, "loop": 2}
