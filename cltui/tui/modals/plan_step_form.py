"""Add or change one step of a person's notification plan: which contact, how long to wait
before the next step and, for the last step, how often to repeat it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.widget import Widget
from textual.widgets import Input, Select

from cltui.domain import validation as check
from cltui.domain.errors import Invalid
from cltui.store.roster import ContactView, PlanStep
from cltui.tui.modals.roster_fields import (
    FormField,
    RosterForm,
    Save,
    duration_field,
)


class PlanStepForm(RosterForm[PlanStep]):
    """A contact picked from the person's own, a wait and a repeat."""

    def __init__(
        self,
        handle: str,
        contacts: Sequence[ContactView],
        step: PlanStep | None = None,
        *,
        last: bool = True,
        repeat: int = 0,
        save: Save[PlanStep] | None = None,
    ) -> None:
        super().__init__(save)
        self.handle = handle
        self.contacts = list(contacts)
        self.step = step
        self.last = last
        self.repeat = repeat
        self.title_text = f"{'Edit' if step else 'Add'} a step of {handle}'s plan"

    def fields(self) -> Iterable[Widget]:
        step = self.step or PlanStep(
            self.contacts[0].label if self.contacts else "", wait=60, repeat=self.repeat
        )
        labels = [c.label for c in self.contacts]
        yield FormField(
            "contact",
            "Contact",
            Select(
                [(f"{c.label}  {c.masked_url}", c.label) for c in self.contacts],
                value=step.contact if step.contact in labels else Select.NULL,
                prompt="Pick a contact",
                id="contact",
            ),
        )
        yield duration_field("wait", "Wait before the next step", step.wait, placeholder="1m")
        yield duration_field(
            "repeat",
            "Repeat every",
            step.repeat,
            placeholder="0s",
            disabled=not self.last,
            hint=(
                "until acknowledged; 0s = once"
                if self.last
                else "only the last step of a plan repeats"
            ),
        )

    def collect(self) -> PlanStep:
        contact = self.query_one("#contact", Select).value
        if not isinstance(contact, str):
            raise Invalid("contact", "pick one of the person's contacts")
        wait = check.duration(self.query_one("#wait", Input).value, "wait")
        repeat = check.duration(self.query_one("#repeat", Input).value, "repeat")
        return PlanStep(contact, wait, repeat)
