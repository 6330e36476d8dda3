"""Add or edit one step of a team's escalation plan: the method, a target that suits it
(a person for `person`, a URL for `webhook`, an address for `email`, none for rotation
methods) and the wait before the next step."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual import on
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from cltui.domain import validation as check
from cltui.domain.errors import Invalid
from cltui.store.roster import EscalationSpec, PersonView
from cltui.tui.modals.roster_fields import (
    Checked,
    FormField,
    RosterForm,
    Save,
    duration_field,
)

METHOD_LABELS = {
    "on_duty": "on duty: page whoever is on duty",
    "next_in_rotation": "next in rotation: page the next member not paged yet",
    "all_in_rotation": "all in rotation: page every member",
    "person": "person: page one person",
    "webhook": "webhook: POST the alert to a URL",
    "email": "email: send the alert to an address",
}

TEXT_TARGETS = {
    "webhook": ("Webhook URL", "https://hooks.example.com/noc"),
    "email": ("Email address", "noc@example.com"),
}


class EscalationStepForm(RosterForm[EscalationSpec]):
    """One escalation step; the target field changes with the method."""

    def __init__(
        self,
        team: str,
        people: Sequence[PersonView],
        step: EscalationSpec | None = None,
        save: Save[EscalationSpec] | None = None,
    ) -> None:
        super().__init__(save)
        self.team = team
        self.people = list(people)
        self.step = step or EscalationSpec("on_duty", wait=300)
        self.title_text = f"{'Edit' if step else 'Add'} an escalation step of {team}"

    @property
    def method(self) -> str:
        value = self.query_one("#method", Select).value
        return value if isinstance(value, str) else ""

    def _check_target(self, value: str) -> str:
        if self.method == "webhook":
            return check.webhook_url(value)
        if self.method == "email":
            return check.email(value)
        return value

    def fields(self) -> Iterable[Widget]:
        step = self.step
        yield FormField(
            "method",
            "Method",
            Select(
                [(label, method) for method, label in METHOD_LABELS.items()],
                value=step.method,
                allow_blank=False,
                id="method",
            ),
        )
        handles = [p.handle for p in self.people]
        yield FormField(
            "target",
            "Person",
            Select(
                [
                    (f"{p.handle}  ({p.name})" if p.name else p.handle, p.handle)
                    for p in self.people
                ],
                value=step.target if step.target in handles else Select.NULL,
                prompt="Pick a person",
                id="target-person",
            ),
            id="field-target-person",
        )
        caption, example = TEXT_TARGETS.get(step.method, TEXT_TARGETS["webhook"])
        yield FormField(
            "target",
            caption,
            Input(
                step.target if step.method in TEXT_TARGETS else "",
                placeholder=example,
                validators=[Checked(self._check_target)],
                id="target-text",
            ),
            id="field-target-text",
        )
        yield Static("", id="target-none", classes="field-hint")
        yield duration_field(
            "wait",
            "Wait before the next step",
            step.wait,
            placeholder="5m",
            hint="e.g. 30s, 5m, 1h30m",
        )

    def on_mount(self) -> None:
        self._show_target()
        self.query_one("#method", Select).focus()

    @on(Select.Changed, "#method")
    def _method_changed(self) -> None:
        self._show_target()

    def _show_target(self) -> None:
        method = self.method
        person = self.query_one("#field-target-person", FormField)
        text = self.query_one("#field-target-text", FormField)
        none = self.query_one("#target-none", Static)
        person.display = method == "person"
        text.display = method in TEXT_TARGETS
        none.display = method not in check.METHODS_WITH_TARGET
        none.update("No target: this step pages members of the team's rotation.")
        person.show_error(None)
        if method in TEXT_TARGETS:
            caption, example = TEXT_TARGETS[method]
            text.query_one(".field-caption", Static).update(caption)
            field = text.query_one("#target-text", Input)
            field.placeholder = example
            if field.value:
                result = field.validate(field.value)
                text.show_error(
                    None if result is None or result.is_valid else result.failure_descriptions[0]
                )
            else:
                text.show_error(None)

    def collect(self) -> EscalationSpec:
        method = self.method
        if method == "person":
            value = self.query_one("#target-person", Select).value
            if not isinstance(value, str):
                raise Invalid("target", "pick the person this step pages")
            target = value
        elif method in TEXT_TARGETS:
            target = self._check_target(self.query_one("#target-text", Input).value)
        else:
            target = ""
        wait = check.duration(self.query_one("#wait", Input).value, "wait")
        return EscalationSpec(method, target, wait)
