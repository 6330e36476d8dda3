"""The parts every roster form shares: a labelled field that shows its own problem, a
validator that wraps the store's own checks, and a modal form that saves through a callback
and puts whatever the store refuses back on the field it names."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Generic, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from cltui.domain import validation as check
from cltui.domain.durations import format_duration
from cltui.domain.errors import Invalid, Refused

T = TypeVar("T")

Save = Callable[[T], Awaitable[Any]]
"""Stores what a form collected; raises `Invalid` (shown on its field) or `Refused`."""


class Checked(Validator):
    """An Input validator that runs one of the store's validators (`fn(text)` raises
    `Invalid` or `ValueError`), so the form says what the store would say."""

    def __init__(self, fn: Callable[[str], object]) -> None:
        super().__init__()
        self.fn = fn

    def validate(self, value: str) -> ValidationResult:
        try:
            self.fn(value)
        except Invalid as error:
            return self.failure(error.problem, value)
        except ValueError as error:
            return self.failure(str(error), value)
        return self.success()


def field_key(field: str) -> str:
    """The form field a store field name points at: `escalation[2].target` → `target`."""
    return field.rsplit(".", 1)[-1].split("[", 1)[0]


class FormField(Vertical):
    """A caption, the input widget and, under it, what is wrong with the value."""

    DEFAULT_CSS = """
    FormField {
        height: auto;
        margin-bottom: 1;
    }
    FormField > .field-caption {
        color: $text-muted;
    }
    FormField > .field-error {
        color: $error;
        height: auto;
        display: none;
    }
    FormField.-invalid > .field-error {
        display: block;
    }
    FormField > .field-hint {
        color: $text-muted;
        height: auto;
    }
    """

    def __init__(
        self, key: str, caption: str, widget: Widget, hint: str = "", *, id: str | None = None
    ) -> None:
        super().__init__(id=id or f"field-{key}")
        self.key = key
        self.caption = caption
        self.widget = widget
        self.hint = hint

    def compose(self) -> ComposeResult:
        yield Label(self.caption, classes="field-caption")
        yield self.widget
        if self.hint:
            yield Static(self.hint, classes="field-hint")
        yield Static("", classes="field-error")

    @property
    def error(self) -> str:
        return str(self.query_one(".field-error", Static).content)

    def show_error(self, problem: str | None) -> None:
        self.query_one(".field-error", Static).update(problem or "")
        self.set_class(bool(problem), "-invalid")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        result = event.validation_result
        if result is None or result.is_valid:
            self.show_error(None)
        else:
            self.show_error(result.failure_descriptions[0])


def duration_field(
    key: str,
    caption: str,
    seconds: int | str,
    *,
    placeholder: str,
    hint: str = "",
    disabled: bool = False,
) -> FormField:
    """A duration (`30s`, `5m`, `1h30m`, `7d`) checked as the store checks it; `key` is the
    field's name, the input's id and the store's field name alike."""
    value = seconds if isinstance(seconds, str) else format_duration(seconds)
    return FormField(
        key,
        caption,
        Input(
            value,
            placeholder=placeholder,
            validators=[Checked(lambda v: check.duration(v, key))],
            id=key,
            disabled=disabled,
        ),
        hint=hint,
    )


class RosterForm(ModalScreen[T | None], Generic[T]):
    """A modal form: `fields()` lays it out, `collect()` reads it; Save (or enter in the
    last input, or ctrl+s) validates, then hands the result to `save`, and closes only when
    that worked. Escape cancels."""

    DEFAULT_CSS = """
    RosterForm {
        align: center middle;
    }
    RosterForm > #form {
        width: 72;
        height: auto;
        max-height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    RosterForm #form-title {
        text-style: bold;
        margin-bottom: 1;
    }
    RosterForm #form-error {
        color: $error;
        height: auto;
    }
    RosterForm #form-buttons {
        height: auto;
        align-horizontal: right;
    }
    RosterForm #form-buttons Button {
        margin-left: 1;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.save"),
    ]

    title_text = "Edit"

    def __init__(self, save: Save[T] | None = None) -> None:
        super().__init__()
        self.save = save

    def fields(self) -> Iterable[Widget]:
        raise NotImplementedError

    def collect(self) -> T:
        """The form's result; raise `Invalid` naming a field for what only it can check."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(self.title_text, id="form-title")
            yield from self.fields()
            yield Static("", id="form-error")
            with Horizontal(id="form-buttons"):
                yield Button("Save", variant="primary", id="form-save")
                yield Button("Cancel", id="form-cancel")

    def show_problem(self, field: str | None, problem: str) -> None:
        """Show a problem on the field it names, else under the form."""
        if field is not None:
            for found in self.query(FormField):
                if found.key == field_key(field) and found.display:
                    found.show_error(problem)
                    return
            problem = f"{field}: {problem}"
        self.query_one("#form-error", Static).update(problem)

    def _check_inputs(self) -> bool:
        ok = True
        for form_field in self.query(FormField):
            widget = form_field.widget
            if isinstance(widget, Input) and widget.display and form_field.display:
                result = widget.validate(widget.value)
                if result is not None and not result.is_valid:
                    form_field.show_error(result.failure_descriptions[0])
                    ok = False
        return ok

    async def action_submit(self) -> None:
        self.query_one("#form-error", Static).update("")
        if not self._check_inputs():
            return
        try:
            result = self.collect()
            if self.save is not None:
                await self.save(result)
        except Invalid as error:
            self.show_problem(error.field, error.problem)
            return
        except Refused as error:
            self.show_problem(None, str(error))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    async def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        await self.action_submit()

    @on(Button.Pressed, "#form-save")
    async def _save_pressed(self) -> None:
        await self.action_submit()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()
