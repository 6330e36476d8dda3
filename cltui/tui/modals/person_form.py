"""Add a person or change one's handle and name."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.widget import Widget
from textual.widgets import Input

from cltui.domain import validation as check
from cltui.store.roster import PersonView
from cltui.tui.modals.roster_fields import Checked, FormField, RosterForm, Save


@dataclass(frozen=True)
class PersonInput:
    handle: str
    name: str


def check_name(value: str) -> str:
    return check.name(value, "name", required=False)


class PersonForm(RosterForm[PersonInput]):
    """Handle and full name, checked as the store checks them."""

    def __init__(
        self, person: PersonView | None = None, save: Save[PersonInput] | None = None
    ) -> None:
        super().__init__(save)
        self.person = person
        self.title_text = f"Edit {person.handle}" if person else "Add a person"

    def fields(self) -> Iterable[Widget]:
        person = self.person
        yield FormField(
            "handle",
            "Handle",
            Input(
                person.handle if person else "",
                placeholder="e.g. arthur",
                validators=[Checked(check.handle)],
                id="handle",
            ),
            hint='lowercase letters, digits, ".", "_" and "-"; used in alerts and escalation',
        )
        yield FormField(
            "name",
            "Full name",
            Input(
                person.name if person else "",
                placeholder="e.g. Arthur Pendragon",
                validators=[Checked(check_name)],
                id="name",
            ),
        )

    def collect(self) -> PersonInput:
        return PersonInput(
            handle=check.handle(self.query_one("#handle", Input).value),
            name=check_name(self.query_one("#name", Input).value),
        )
