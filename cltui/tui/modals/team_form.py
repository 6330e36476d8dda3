"""Add or edit a team: name, description, rotation (shift, handoff, zone) and how many times
the escalation plan repeats, each checked as the store checks it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input

from cltui.domain import validation as check
from cltui.domain.durations import format_duration
from cltui.domain.errors import Invalid
from cltui.store.roster import TeamView
from cltui.tui.modals.roster_fields import Checked, FormField, RosterForm, Save
from cltui.tui.modals.rotation_form import (
    collect_rotation,
    handoff_field,
    shift_field,
    zone_field,
)


@dataclass(frozen=True)
class TeamInput:
    name: str
    description: str
    shift: int
    handoff: datetime
    zone: str
    repeat: int


def parse_repeat(text: str, field: str = "repeat") -> int:
    """A repeat count from text, as the store wants it (0 to 100)."""
    try:
        value = int(text.strip() or "0")
    except ValueError:
        raise Invalid(field, f'"{text.strip()}" is not a whole number from 0 to 100') from None
    return check.repeat_count(value, field)


def check_description(text: str) -> str:
    return check.name(text, "description", required=False, limit=500)


class TeamForm(RosterForm[TeamInput]):
    """A new team (its handoff starts at `now`: the first shift starts when it is made), or
    with `team` that team's settings, to change (a new name renames it)."""

    DEFAULT_CSS = """
    TeamForm > #form {
        overflow-y: auto;
        padding: 0 2;
    }
    TeamForm .form-row {
        height: auto;
    }
    TeamForm .form-row > FormField {
        width: 1fr;
    }
    TeamForm .form-row > FormField:first-of-type {
        margin-right: 2;
    }
    """

    def __init__(
        self, now: datetime, save: Save[TeamInput] | None = None, team: TeamView | None = None
    ) -> None:
        super().__init__(save)
        self.now = now.replace(microsecond=0)
        self.team = team
        self.title_text = f"Edit team {team.name}" if team else "New team"

    def fields(self) -> Iterable[Widget]:
        team = self.team
        yield Horizontal(
            FormField(
                "name",
                "Name",
                Input(
                    team.name if team else "",
                    placeholder="e.g. kings",
                    validators=[Checked(check.handle)],
                    id="name",
                ),
                hint='a-z, 0-9, ".", "_", "-"',
            ),
            FormField(
                "repeat",
                "Repeat",
                Input(
                    str(team.repeat) if team else "0",
                    placeholder="0",
                    validators=[Checked(parse_repeat)],
                    id="repeat",
                ),
                hint="2 = plan runs 3 times in all",
            ),
            classes="form-row",
        )
        yield FormField(
            "description",
            "Description",
            Input(
                team.description if team else "",
                placeholder="optional: what the team looks after",
                validators=[Checked(check_description)],
                id="description",
            ),
        )
        yield Horizontal(
            shift_field(
                format_duration(team.policy.shift) if team else "7d",
                "12h, 1d, 7d; 0 = only take over",
            ),
            zone_field(team.policy.zone if team else "UTC", "e.g. Europe/London"),
            classes="form-row",
        )
        yield handoff_field(
            team.policy.handoff if team else self.now,
            "a shift starts then; the next one a shift later, and so on",
        )

    def collect(self) -> TeamInput:
        def value(key: str) -> str:
            return self.query_one(f"#{key}", Input).value

        rotation = collect_rotation(self)
        return TeamInput(
            name=check.handle(value("name"), "name"),
            description=check_description(value("description")),
            shift=rotation.shift,
            handoff=rotation.handoff,
            zone=rotation.zone,
            repeat=parse_repeat(value("repeat")),
        )
