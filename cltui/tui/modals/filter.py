"""The Board's filter (`/`): text, team, severity and status, all optional."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select

from cltui.store.alerts import AlertView

SEVERITIES = ("critical", "error", "warning", "info")
STATUSES = ("open", "triggered", "exhausted", "acknowledged", "resolved")


@dataclass(frozen=True)
class BoardFilter:
    """What the Board shows; empty fields keep everything."""

    text: str = ""
    team: str = ""
    severity: str = ""
    status: str = ""

    @property
    def active(self) -> bool:
        return bool(self.text or self.team or self.severity or self.status)

    def keeps(self, alert: AlertView) -> bool:
        if self.team and alert.target != self.team:
            return False
        if self.severity and alert.severity != self.severity:
            return False
        if self.status:
            exhausted = alert.exhausted and alert.status == "triggered"
            if self.status == "open" and alert.status == "resolved":
                return False
            if self.status == "exhausted" and not exhausted:
                return False
            if self.status not in ("open", "exhausted") and alert.status != self.status:
                return False
        if self.text:
            haystack = " ".join(
                (str(alert.number), alert.summary, alert.details, alert.target, alert.source)
            ).casefold()
            return all(word in haystack for word in self.text.casefold().split())
        return True

    def describe(self) -> str:
        parts = [f'"{self.text}"'] if self.text else []
        parts += [
            f"{name}={value}"
            for name, value in (
                ("team", self.team),
                ("severity", self.severity),
                ("status", self.status),
            )
            if value
        ]
        return " ".join(parts)


def _options(values: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]


class FilterScreen(ModalScreen[BoardFilter | None]):
    """Edit the filter; enter applies, escape leaves it as it was."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
        Binding("ctrl+s", "apply", "Apply", id="filter.apply"),
        Binding("ctrl+r", "reset", "Clear all", id="filter.reset"),
    ]

    def __init__(self, current: BoardFilter, teams: list[str]) -> None:
        super().__init__()
        self.current = current
        self.teams = teams

    def compose(self) -> ComposeResult:
        current = self.current
        with Vertical(id="filter-dialog", classes="dialog"):
            yield Label("Filter the board", classes="dialog-title")
            yield Label("Text (number, summary, details, team, source)", classes="field-label")
            yield Input(current.text, placeholder="any words", id="filter-text")
            yield Label("Team", classes="field-label")
            yield Select(
                _options(sorted({*self.teams, *([current.team] if current.team else [])})),
                value=current.team or Select.NULL,
                prompt="any team",
                id="filter-team",
            )
            yield Label("Severity", classes="field-label")
            yield Select(
                _options(SEVERITIES),
                value=current.severity or Select.NULL,
                prompt="any severity",
                id="filter-severity",
            )
            yield Label("Status", classes="field-label")
            yield Select(
                _options(STATUSES),
                value=current.status or Select.NULL,
                prompt="any status",
                id="filter-status",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", id="filter-apply", variant="primary")
                yield Button("Clear all", id="filter-reset")
                yield Button("Cancel", id="filter-cancel")

    def on_mount(self) -> None:
        self.query_one("#filter-text", Input).focus()

    def chosen(self) -> BoardFilter:
        def value(selector: str) -> str:
            selected = self.query_one(selector, Select).value
            return selected if isinstance(selected, str) else ""

        return BoardFilter(
            text=self.query_one("#filter-text", Input).value.strip(),
            team=value("#filter-team"),
            severity=value("#filter-severity"),
            status=value("#filter-status"),
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {
            "filter-apply": self.action_apply,
            "filter-reset": self.action_reset,
            "filter-cancel": self.action_cancel,
        }[event.button.id or "filter-cancel"]()

    def action_apply(self) -> None:
        self.dismiss(self.chosen())

    def action_reset(self) -> None:
        self.dismiss(BoardFilter())

    def action_cancel(self) -> None:
        self.dismiss(None)
