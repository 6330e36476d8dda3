"""Edit a team's rotation policy: shift length, handoff anchor and time zone; the three
fields and their reading, which the team form uses too."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from textual.widget import Widget
from textual.widgets import Input

from cltui.domain import validation as check
from cltui.domain.durations import format_duration
from cltui.domain.errors import Invalid
from cltui.domain.rotation import RotationPolicy, validate_zone
from cltui.tui.modals.roster_fields import (
    Checked,
    FormField,
    RosterForm,
    Save,
    duration_field,
)


@dataclass(frozen=True)
class RotationChange:
    shift: int
    handoff: datetime
    zone: str


def parse_handoff(text: str, field: str = "handoff") -> datetime:
    """An aware datetime from ISO text, as the store wants it."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise Invalid(
            field, f'"{text.strip()}" is not a date and time (2026-11-30T09:00+00:00)'
        ) from None
    if value.tzinfo is None:
        raise Invalid(field, "needs a UTC offset, e.g. 2026-11-30T09:00:00+00:00")
    return value


def parse_zone(text: str, field: str = "zone") -> str:
    try:
        return validate_zone(text.strip())
    except ValueError as error:
        raise Invalid(field, str(error).removeprefix("zone: ")) from None


def shift_field(value: str, hint: str) -> FormField:
    """The shift length field, checked as the store checks it."""
    return duration_field("shift", "Shift length", value, placeholder="7d", hint=hint)


def handoff_field(value: datetime, hint: str) -> FormField:
    """The handoff anchor field: an ISO date and time with a UTC offset."""
    return FormField(
        "handoff",
        "Handoff at",
        Input(
            value.isoformat(),
            placeholder="2026-11-30T09:00:00+00:00",
            validators=[Checked(parse_handoff)],
            id="handoff",
        ),
        hint=hint,
    )


def zone_field(value: str, hint: str = "") -> FormField:
    """The time zone field: an IANA zone name."""
    return FormField(
        "zone",
        "Time zone",
        Input(value, placeholder="Europe/London", validators=[Checked(parse_zone)], id="zone"),
        hint=hint,
    )


def collect_rotation(form: RosterForm[object]) -> RotationChange:
    """Shift, handoff and zone from a form made with the fields above."""
    return RotationChange(
        shift=check.duration(form.query_one("#shift", Input).value, "shift"),
        handoff=parse_handoff(form.query_one("#handoff", Input).value),
        zone=parse_zone(form.query_one("#zone", Input).value),
    )


class RotationForm(RosterForm[RotationChange]):
    """Shift, handoff and zone of one team, checked as the store checks them."""

    def __init__(
        self, team: str, policy: RotationPolicy, save: Save[RotationChange] | None
    ) -> None:
        super().__init__(save)
        self.team = team
        self.policy = policy
        self.title_text = f"Rotation of {team}"

    def fields(self) -> Iterable[Widget]:
        yield shift_field(
            format_duration(self.policy.shift),
            "e.g. 12h, 1d, 7d; 0 = no handoffs (only take over moves duty)",
        )
        yield handoff_field(
            self.policy.handoff, "when a shift starts; later handoffs follow every shift"
        )
        yield zone_field(self.policy.zone)

    def collect(self) -> RotationChange:
        return collect_rotation(self)
