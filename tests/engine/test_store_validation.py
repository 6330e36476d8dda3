"""Bad input through the store: each write raises Invalid or NotFound naming the field, and
leaves the database exactly as it was (nothing half-written)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from cltui.domain.errors import Invalid, NotFound
from cltui.store import alerts, roster
from cltui.store.database import Database
from cltui.store.roster import EscalationSpec as Spec
from cltui.store.roster import PlanStep
from tests.conftest import START
from tests.engine.support import MINUTE, add_person, add_team
from tests.sinks import HttpSink

Write = Callable[[Database, datetime], object]


@pytest.fixture
def kings(db: Database, sink: HttpSink) -> None:
    for handle in ("arthur", "lancelot"):
        add_person(db, sink, handle, [(5 * MINUTE, 0), (0, 10 * MINUTE)])
    roster.save_contact(db, "arthur", "mail", "mailto://arthur@example.com")
    add_team(
        db,
        "kings",
        ["arthur", "lancelot"],
        [Spec("on_duty", wait=15 * MINUTE), Spec("person", "lancelot", wait=15 * MINUTE)],
        repeat=1,
    )
    alerts.raise_alert(db, START, "Castle on fire", team="kings", dedup_key="castle")


def snapshot(db: Database) -> tuple[object, ...]:
    return (
        roster.people(db),
        roster.teams(db),
        alerts.list_alerts(db),
        alerts.last_event_id(db),
    )


CASES: dict[str, tuple[Write, type[Exception], str]] = {
    "handle with a space": (
        lambda db, now: roster.save_person(db, "Bad Handle", "Bad"),
        Invalid,
        "handle",
    ),
    "duplicate handle": (
        lambda db, now: roster.save_person(db, "arthur", "Another Arthur"),
        Invalid,
        "handle",
    ),
    "rename onto a taken handle": (
        lambda db, now: roster.save_person(db, "arthur", "Lancelot", original="lancelot"),
        Invalid,
        "handle",
    ),
    "contact URL apprise cannot parse": (
        lambda db, now: roster.save_contact(db, "arthur", "pigeon", "carrierpigeon://coop/1"),
        Invalid,
        "url",
    ),
    "contact URL without a scheme": (
        lambda db, now: roster.save_contact(db, "arthur", "pigeon", "arthur at example.com"),
        Invalid,
        "url",
    ),
    "empty contact URL": (
        lambda db, now: roster.save_contact(db, "arthur", "pigeon", "  "),
        Invalid,
        "url",
    ),
    "duplicate contact label": (
        lambda db, now: roster.save_contact(db, "arthur", "mail", "mailto://a@example.com"),
        Invalid,
        "label",
    ),
    "contact for nobody": (
        lambda db, now: roster.save_contact(db, "mordred", "mail", "mailto://m@example.com"),
        NotFound,
        "person",
    ),
    "plan naming a missing contact": (
        lambda db, now: roster.set_plan(db, "arthur", [PlanStep("mail"), PlanStep("carrier")]),
        Invalid,
        "plan[2].contact",
    ),
    "plan with a negative wait": (
        lambda db, now: roster.set_plan(db, "arthur", [PlanStep("mail", wait=-5)]),
        Invalid,
        "plan[1].wait",
    ),
    "plan repeating before its last step": (
        lambda db, now: roster.set_plan(
            db, "arthur", [PlanStep("mail", repeat=60), PlanStep("pager")]
        ),
        Invalid,
        "plan[1].repeat",
    ),
    "escalation naming an unknown person": (
        lambda db, now: roster.set_escalation(
            db, "kings", [Spec("on_duty", wait=60), Spec("person", "mordred")]
        ),
        Invalid,
        "escalation[2].target",
    ),
    "escalation with a negative wait": (
        lambda db, now: roster.set_escalation(db, "kings", [Spec("on_duty", wait=-60)]),
        Invalid,
        "escalation[1].wait",
    ),
    "escalation with an unparseable wait": (
        lambda db, now: roster.set_escalation(
            db,
            "kings",
            [Spec("on_duty", wait=60), Spec("on_duty", wait="5 minutes")],  # type: ignore[arg-type]
        ),
        Invalid,
        "escalation[2].wait",
    ),
    "escalation with an unknown method": (
        lambda db, now: roster.set_escalation(db, "kings", [Spec("carrier_pigeon")]),
        Invalid,
        "escalation[1].method",
    ),
    "escalation webhook that is not a URL": (
        lambda db, now: roster.set_escalation(db, "kings", [Spec("webhook", "ftp://x/y")]),
        Invalid,
        "escalation[1].target",
    ),
    "escalation email that is not an address": (
        lambda db, now: roster.set_escalation(db, "kings", [Spec("email", "noc")]),
        Invalid,
        "escalation[1].target",
    ),
    "escalation repeat out of range": (
        lambda db, now: roster.set_escalation(db, "kings", [Spec("on_duty")], repeat=-1),
        Invalid,
        "repeat",
    ),
    "members naming an unknown person": (
        lambda db, now: roster.set_members(db, "kings", ["arthur", "mordred"]),
        NotFound,
        "members",
    ),
    "team in an unknown zone": (
        lambda db, now: roster.save_team(db, "knights", zone="Camelot/Castle"),
        Invalid,
        "zone",
    ),
    "alert with an empty summary": (
        lambda db, now: alerts.raise_alert(db, now, "   ", team="kings"),
        Invalid,
        "summary",
    ),
    "alert for an unknown team": (
        lambda db, now: alerts.raise_alert(db, now, "Castle on fire", team="mordreds"),
        NotFound,
        "team",
    ),
    "alert for an unknown person": (
        lambda db, now: alerts.raise_alert(db, now, "Castle on fire", person="mordred"),
        NotFound,
        "person",
    ),
    "alert with a bad severity": (
        lambda db, now: alerts.raise_alert(
            db, now, "Castle on fire", team="kings", severity="dire"
        ),
        Invalid,
        "severity",
    ),
    "alert for a team and a person": (
        lambda db, now: alerts.raise_alert(
            db, now, "Castle on fire", team="kings", person="arthur"
        ),
        Invalid,
        "target",
    ),
    "duplicate of an open alert for an unknown team": (
        lambda db, now: alerts.raise_alert(db, now, "again", team="mordreds", dedup_key="castle"),
        NotFound,
        "team",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_names_the_field_and_changes_nothing(
    db: Database, kings: None, case: str
) -> None:
    write, error, field = CASES[case]
    before = snapshot(db)
    with pytest.raises(error) as raised:
        write(db, START)
    assert str(raised.value).startswith(f"{field}: "), str(raised.value)
    if isinstance(raised.value, Invalid):
        assert raised.value.field == field
    assert snapshot(db) == before


def test_a_failed_plan_keeps_the_plan_that_was_there(db: Database, kings: None) -> None:
    before = roster.person(db, "arthur").plan
    with pytest.raises(Invalid):
        roster.set_plan(db, "arthur", [PlanStep("mail", wait=60), PlanStep("nowhere")])
    assert roster.person(db, "arthur").plan == before
    assert len(before) == 2


def test_a_failed_escalation_keeps_the_plan_that_was_there(db: Database, kings: None) -> None:
    before = roster.team(db, "kings")
    with pytest.raises(Invalid):
        roster.set_escalation(
            db, "kings", [Spec("all_in_rotation", wait=60), Spec("person", "mordred")], repeat=5
        )
    after = roster.team(db, "kings")
    assert (after.escalation, after.repeat) == (before.escalation, before.repeat)
