"""Escalation planning: the order of steps and loops, who each rotation step pages, and the
preview of an alert raised now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from cltui.domain.escalation import Position, Rotation, Step, after, paged_positions, preview
from cltui.domain.rotation import RotationPolicy

MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
WEEKLY = RotationPolicy(7 * 86400, MONDAY, "Europe/London")
KINGS = Rotation(("arthur", "lancelot", "gawain"), WEEKLY, 0)


def test_after_walks_the_steps_then_loops_then_ends() -> None:
    steps = [Step("on_duty"), Step("next_in_rotation")]
    assert after(steps, 1, Position(0, 0)) == Position(1, 0)
    assert after(steps, 1, Position(1, 0)) == Position(0, 1)
    assert after(steps, 1, Position(1, 1)) is None
    assert after(steps, 0, Position(1, 0)) is None


@given(st.integers(1, 6), st.integers(0, 5))
def test_a_plan_runs_steps_times_loops(count: int, repeat: int) -> None:
    steps = [Step("on_duty")] * count
    position: Position | None = Position(0, 0)
    ran = 0
    while position is not None:
        ran += 1
        position = after(steps, repeat, position)
    assert ran == count * (repeat + 1)


def test_rotation_steps_page_the_on_duty_member_then_the_next_ones() -> None:
    now = MONDAY + timedelta(days=8)  # second week: lancelot is on duty
    assert paged_positions(Step("on_duty"), KINGS, now, set()) == [1]
    assert paged_positions(Step("next_in_rotation"), KINGS, now, {1}) == [2]
    assert paged_positions(Step("next_in_rotation"), KINGS, now, {1, 2}) == [0]
    assert paged_positions(Step("next_in_rotation"), KINGS, now, {0, 1, 2}) == []
    assert paged_positions(Step("all_in_rotation"), KINGS, now, set()) == [0, 1, 2]
    assert paged_positions(Step("person", "merlin"), KINGS, now, set()) is None
    empty = Rotation((), WEEKLY, 0)
    assert paged_positions(Step("on_duty"), empty, now, set()) == []


def test_preview_shows_who_is_paged_when_and_when_it_runs_out() -> None:
    steps = [
        Step("on_duty", wait=900),
        Step("next_in_rotation", wait=900),
        Step("person", "merlin", wait=1800),
        Step("webhook", "https://hooks.example.com/noc"),
    ]
    start = MONDAY + timedelta(hours=1)
    planned, exhausted = preview(steps, 1, KINGS, start)
    assert [(p.at - start, p.loop, p.index, p.pages) for p in planned] == [
        (timedelta(0), 0, 0, ("arthur",)),
        (timedelta(minutes=15), 0, 1, ("lancelot",)),
        (timedelta(minutes=30), 0, 2, ("merlin",)),
        (timedelta(minutes=60), 0, 3, ()),
        (timedelta(minutes=60), 1, 0, ("arthur",)),
        (timedelta(minutes=75), 1, 1, ("lancelot",)),
        (timedelta(minutes=90), 1, 2, ("merlin",)),
        (timedelta(minutes=120), 1, 3, ()),
    ]
    assert planned[3].note == "webhook https://hooks.example.com/noc"
    assert exhausted == start + timedelta(minutes=120)


def test_preview_follows_a_handoff_during_the_escalation() -> None:
    steps = [Step("on_duty", wait=3600)]
    planned, _ = preview(steps, 1, KINGS, MONDAY + timedelta(days=7) - timedelta(minutes=30))
    assert [p.pages for p in planned] == [("arthur",), ("lancelot",)]


def test_preview_of_steps_that_reach_nobody_moves_on_at_once() -> None:
    empty = Rotation((), WEEKLY, 0)
    steps = [Step("on_duty", wait=600), Step("person", "merlin", wait=600)]
    planned, exhausted = preview(steps, 0, empty, MONDAY)
    assert [(p.at, p.pages, p.note) for p in planned] == [
        (MONDAY, (), "nobody to page"),
        (MONDAY, ("merlin",), ""),
    ]
    assert exhausted == MONDAY + timedelta(minutes=10)


def test_preview_of_an_empty_plan() -> None:
    assert preview([], 3, KINGS, MONDAY) == ([], None)
