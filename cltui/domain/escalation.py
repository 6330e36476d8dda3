"""Escalation planning: who a step pages, where the plan goes next, and a preview of it all.

A team's plan is a list of steps run in order; step 0 runs at once, and each step's `wait`
later the next one runs (at once, when the step reached nobody). After the last step the
plan starts again from step 0 while the loop count is below `repeat`. When the last step of
the last loop has waited out, the alert is exhausted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cltui.domain.rotation import RotationPolicy, next_in_rotation, on_duty_position

PAGING_METHODS = ("on_duty", "next_in_rotation", "all_in_rotation", "person")


@dataclass(frozen=True)
class Step:
    method: str
    target: str = ""
    wait: int = 0


@dataclass(frozen=True)
class Position:
    step: int
    loop: int


@dataclass(frozen=True)
class Rotation:
    """A team's members (handles, in rotation order) and how duty moves among them."""

    members: tuple[str, ...]
    policy: RotationPolicy
    offset: int

    def on_duty(self, t: datetime) -> int | None:
        return on_duty_position(len(self.members), self.policy, self.offset, t)


def after(steps: Sequence[Step], repeat: int, position: Position) -> Position | None:
    """The position that follows `position`; None when the plan is exhausted."""
    if position.step + 1 < len(steps):
        return Position(position.step + 1, position.loop)
    if position.loop < repeat:
        return Position(0, position.loop + 1)
    return None


def paged_positions(
    step: Step, rotation: Rotation, t: datetime, already: set[int]
) -> list[int] | None:
    """Rotation positions a rotation step pages at t (None for steps that are not about the
    rotation); `already` holds the positions paged earlier in this loop."""
    size = len(rotation.members)
    if step.method == "all_in_rotation":
        return list(range(size))
    if step.method == "on_duty":
        position = rotation.on_duty(t)
        return [] if position is None else [position]
    if step.method == "next_in_rotation":
        start = rotation.on_duty(t)
        if start is None:
            return []
        position = next_in_rotation(size, start, already)
        return [] if position is None else [position]
    return None


@dataclass(frozen=True)
class PlannedStep:
    """One step of a preview: when it runs, what it does and who it pages."""

    at: datetime
    loop: int
    index: int
    step: Step
    pages: tuple[str, ...]
    note: str = ""


def preview(
    steps: Sequence[Step], repeat: int, rotation: Rotation, start: datetime
) -> tuple[list[PlannedStep], datetime | None]:
    """Every step an alert raised at `start` would run if nobody acknowledged it, and when
    it would be exhausted (None for an empty plan)."""
    if not steps:
        return [], None
    planned: list[PlannedStep] = []
    at = start
    position: Position | None = Position(0, 0)
    paged: set[int] = set()
    while position is not None:
        if position.step == 0:
            paged = set()
        step = steps[position.step]
        positions = paged_positions(step, rotation, at, paged)
        if positions is None:
            pages = (step.target,) if step.method == "person" else ()
            note = "" if step.method == "person" else f"{step.method} {step.target}"
        else:
            paged.update(positions)
            pages = tuple(rotation.members[p] for p in positions)
            note = "" if pages else "nobody to page"
        planned.append(PlannedStep(at, position.loop, position.step, step, pages, note))
        # A step that reaches nobody does not hold the alert up (as the engine does it).
        reached = positions is None or bool(pages)
        at = at + timedelta(seconds=step.wait if reached else 0)
        position = after(steps, repeat, position)
    return planned, at
