"""Never stall: an empty team, a member with no plan and a failed delivery are each on the
timeline and escalation goes on; and a contact's credentials are never shown anywhere."""

from __future__ import annotations

import asyncio

import pytest

from cltui.engine.bus import BusEvent
from cltui.engine.clock import FakeClock
from cltui.engine.runner import Engine
from cltui.store import alerts, roster
from cltui.store.database import Database
from cltui.store.roster import EscalationSpec as Spec
from cltui.store.roster import PlanStep
from tests.engine.support import MINUTE, add_person, add_team, details, kinds, paths, tick
from tests.sinks import HttpSink, free_port

SECRET = "s3cret"


async def test_empty_team_is_on_the_timeline_and_escalation_goes_on(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    add_person(db, sink, "merlin")
    add_team(
        db,
        "nobody",
        [],
        [
            Spec("on_duty", wait=10 * MINUTE),
            Spec("next_in_rotation", wait=10 * MINUTE),
            Spec("all_in_rotation", wait=10 * MINUTE),
            Spec("person", "merlin", wait=10 * MINUTE),
        ],
    )
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="nobody")
    # Steps that reach nobody do not hold the alert up: merlin is paged at once.
    await tick(engine, clock)
    assert paths(sink) == ["/merlin"]
    nobody = details(db, alert.number, "nobody_on_duty")
    assert len(nobody) == 3
    assert all("team nobody has no members" in d for d in nobody)
    assert "step 1/4" in nobody[0]
    await tick(engine, clock, 10 * MINUTE - 1)
    assert not alerts.get(db, alert.number).exhausted
    await tick(engine, clock, 1)
    assert alerts.get(db, alert.number).exhausted


async def test_member_with_no_plan_is_on_the_timeline_and_the_next_member_is_paged(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    add_person(db, sink, "mordred", plan=None)
    add_person(db, sink, "lancelot")
    add_team(
        db,
        "kings",
        ["mordred", "lancelot"],
        [Spec("on_duty", wait=5 * MINUTE), Spec("next_in_rotation", wait=5 * MINUTE)],
    )
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    # mordred cannot be paged, so the next step runs at once instead of after 5 minutes.
    await tick(engine, clock)
    [nobody] = details(db, alert.number, "nobody_on_duty")
    assert "mordred has no notification plan" in nobody
    assert paths(sink) == ["/lancelot"]


async def test_failed_delivery_is_on_the_timeline_with_apprises_reason_and_nothing_stops(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    roster.save_person(db, "arthur", "Arthur")
    roster.save_contact(db, "arthur", "sms", sink.apprise_url("/arthur/sms"))
    roster.save_contact(db, "arthur", "mail", sink.apprise_url("/arthur/mail"))
    roster.set_plan(db, "arthur", [PlanStep("sms", wait=2 * MINUTE), PlanStep("mail")])
    add_person(db, sink, "lancelot")
    add_team(
        db,
        "kings",
        ["arthur", "lancelot"],
        [
            Spec("on_duty", wait=5 * MINUTE),
            Spec("webhook", sink.url("/noc"), wait=5 * MINUTE),
            Spec("next_in_rotation", wait=5 * MINUTE),
        ],
    )
    sink.fail_paths.update({"/arthur/sms", "/noc"})
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    [failed] = details(db, alert.number, "delivery_failed")
    assert failed.startswith("sms to arthur: ")
    assert "Failed to send JSON POST notification" in failed
    assert "500" in failed

    # arthur's plan goes on to its next contact; the escalation to its next step.
    await tick(engine, clock, 2 * MINUTE)
    assert paths(sink) == ["/arthur/sms", "/arthur/mail"]
    await tick(engine, clock, 3 * MINUTE)
    assert paths(sink)[-1] == "/noc"
    webhook_failed = details(db, alert.number, "delivery_failed")[-1]
    assert webhook_failed.startswith("webhook ")
    assert webhook_failed.endswith("HTTP 500 Internal Server Error")
    await tick(engine, clock, 5 * MINUTE)
    assert paths(sink)[-1] == "/lancelot"
    assert kinds(db, alert.number).count("delivered") == 2
    assert alerts.get(db, alert.number).status == "triggered"


async def test_unreachable_contact_fails_with_a_reason_and_the_engine_goes_on(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    roster.save_person(db, "arthur", "Arthur")
    roster.save_contact(db, "arthur", "pager", f"json://127.0.0.1:{free_port()}/gone")
    roster.set_plan(db, "arthur", [PlanStep("pager", repeat=5 * MINUTE)])
    add_person(db, sink, "lancelot")
    add_team(
        db,
        "kings",
        ["arthur", "lancelot"],
        [Spec("on_duty", wait=5 * MINUTE), Spec("next_in_rotation", wait=5 * MINUTE)],
    )
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    await tick(engine, clock, 5 * MINUTE)
    failures = details(db, alert.number, "delivery_failed")
    assert len(failures) == 2
    assert all("Connection error" in f for f in failures)
    assert paths(sink) == ["/lancelot"]


def _everything_shown(db: Database, number: int, seen: list[BusEvent]) -> str:
    timeline = alerts.timeline(db, number)
    shown = [f"{e.kind} {e.actor} {e.detail}" for e in timeline]
    shown += [f"{e.kind} {e.actor} {e.detail}" for e in seen]
    shown += [c.masked_url for p in roster.people(db) for c in p.contacts]
    shown += [str(alerts.get(db, number).as_json())]
    return "\n".join(shown)


@pytest.mark.parametrize("fail", [False, True])
async def test_a_contacts_password_is_never_shown(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine, fail: bool
) -> None:
    with engine.bus.subscribe() as subscription:
        url = f"json://user:{SECRET}@127.0.0.1:{sink.port}/x"
        roster.save_person(db, "arthur", "Arthur")
        view = roster.save_contact(db, "arthur", "pager", url)
        assert SECRET not in view.contacts[0].masked_url
        assert view.contacts[0].url == url
        roster.set_plan(db, "arthur", [PlanStep("pager", repeat=5 * MINUTE)])
        if fail:
            sink.fail_paths.add("/x")
        alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", person="arthur")
        await tick(engine, clock)
        await tick(engine, clock, 5 * MINUTE)

        assert paths(sink) == ["/x", "/x"]
        assert kinds(db, alert.number).count("delivery_failed" if fail else "delivered") == 2
        roster_events = 3  # person, contact and plan saved
        seen = [
            await asyncio.wait_for(subscription.get(), 5)
            for _ in range(roster_events + len(kinds(db, alert.number)))
        ]
    assert all(isinstance(e, BusEvent) for e in seen)
    assert [e.kind for e in seen if e.alert == alert.number] == kinds(db, alert.number)
    assert SECRET not in _everything_shown(db, alert.number, seen)


async def test_an_unreachable_contacts_password_is_never_shown(
    db: Database, clock: FakeClock, engine: Engine
) -> None:
    roster.save_person(db, "arthur", "Arthur")
    roster.save_contact(db, "arthur", "pager", f"json://user:{SECRET}@127.0.0.1:{free_port()}/x")
    roster.set_plan(db, "arthur", [PlanStep("pager")])
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", person="arthur")
    await tick(engine, clock)
    assert "delivery_failed" in kinds(db, alert.number)
    assert SECRET not in _everything_shown(db, alert.number, [])


async def test_a_webhooks_credentials_are_never_shown(
    db: Database, clock: FakeClock, sink: HttpSink, engine: Engine
) -> None:
    hook = f"http://user:{SECRET}@127.0.0.1:{sink.port}/hook"
    add_team(db, "kings", [], [Spec("webhook", hook, wait=MINUTE)])
    sink.fail_paths.add("/hook")
    alert, _ = alerts.raise_alert(db, clock.now(), "Castle on fire", team="kings")
    await tick(engine, clock)
    [got] = sink.received
    assert got.headers.get("Authorization", "").startswith("Basic ")
    assert "delivery_failed" in kinds(db, alert.number)
    assert SECRET not in _everything_shown(db, alert.number, [])
