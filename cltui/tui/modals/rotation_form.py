"""Edit a team's rotation policy: shift length, handoff anchor and time zone."""

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
from cltui.tui.modals.roster_fields import Checked, FormField, RosterForm, Save


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
        yield FormField(
            "shift",
            "Shift length",
            Input(
                format_duration(self.policy.shift),
                placeholder="7d",
                validators=[Checked(lambda v: check.duration(v, "shift"))],
                id="shift",
            ),
            hint="e.g. 12h, 1d, 7d; 0 = no handoffs (only take over moves duty)",
        )
        yield FormField(
            "handoff",
            "Handoff at",
            Input(
                self.policy.handoff.isoformat(),
                placeholder="2026-11-30T09:00:00+00:00",
                validators=[Checked(parse_handoff)],
                id="handoff",
            ),
            hint="when a shift starts; later handoffs follow every shift",
        )
        yield FormField(
            "zone",
            "Time zone",
            Input(
                self.policy.zone,
                placeholder="Europe/London",
                validators=[Checked(parse_zone)],
                id="zone",
            ),
        )

    def collect(self) -> RotationChange:
        return RotationChange(
            shift=check.duration(self.query_one("#shift", Input).value, "shift"),
            handoff=parse_handoff(self.query_one("#handoff", Input).value),
            zone=parse_zone(self.query_one("#zone", Input).value),
        )
