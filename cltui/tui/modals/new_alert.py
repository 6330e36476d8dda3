"""Raise an alert by hand (`n` on the Board): target, severity, summary and details."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from cltui.domain.errors import Invalid, Refused
from cltui.tui.failures import ReportsFailures
from cltui.tui.modals.filter import SEVERITIES

if TYPE_CHECKING:
    from cltui.tui.app import CltuiApp


class NewAlertScreen(ReportsFailures, ModalScreen[int | None]):
    """Dismisses with the new alert's number, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="new_alert.cancel"),
        Binding("ctrl+s", "submit", "Raise", id="new_alert.submit"),
    ]

    def __init__(self, teams: list[str], people: list[str]) -> None:
        super().__init__()
        self.targets = [(f"team {t}", f"team:{t}") for t in teams] + [
            (f"person {p}", f"person:{p}") for p in people
        ]

    def compose(self) -> ComposeResult:
        with Vertical(id="new-alert-dialog", classes="dialog"):
            yield Label("Raise an alert", classes="dialog-title")
            yield Label("For", classes="field-label")
            yield Select(
                self.targets,
                value=self.targets[0][1] if self.targets else Select.NULL,
                allow_blank=False,
                id="new-target",
            )
            yield Label("Severity", classes="field-label")
            yield Select(
                [(s, s) for s in SEVERITIES], value="error", allow_blank=False, id="new-severity"
            )
            yield Label("Summary", classes="field-label")
            yield Input(placeholder="what is wrong, in one line", id="new-summary")
            yield Label("Details", classes="field-label")
            yield Input(placeholder="optional", id="new-details")
            yield Label("", id="new-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Raise", id="new-raise", variant="error")
                yield Button("Cancel", id="new-cancel")

    def on_mount(self) -> None:
        self.query_one("#new-summary", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "new-raise":
            self.action_submit()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    @work(exclusive=True, exit_on_error=False, group="new-alert")
    async def action_submit(self) -> None:
        app: CltuiApp = self.app  # type: ignore[assignment]
        kind, _, name = str(self.query_one("#new-target", Select).value).partition(":")
        target = {"team": name} if kind == "team" else {"person": name}
        try:
            alert, _ = await app.ctx.engine.raise_alert(
                self.query_one("#new-summary", Input).value,
                severity=str(self.query_one("#new-severity", Select).value),
                details=self.query_one("#new-details", Input).value,
                source="console",
                actor=app.ctx.operator,
                **target,
            )
        except (Invalid, Refused) as error:
            self.query_one("#new-error", Label).update(str(error))
            self.notify(str(error), title="Not raised", severity="warning")
            return
        self.dismiss(alert.number)
