"""Help (`?`): every key that does something on the current screen, from its bindings and
the app's (a disabled key, such as the current screen's own number, is left out)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label


def screen_keys(screen: Screen[object]) -> list[tuple[str, str]]:
    """(key, description) for every binding active and enabled on `screen` (its own, the
    focused widget's and the app's) that has an `id` or is shown in the footer."""
    rows: list[tuple[str, str]] = []
    for active in screen.active_bindings.values():
        binding = active.binding
        if not active.enabled or not (binding.id or binding.show):
            continue
        row = (screen.app.get_key_display(binding), binding.description or binding.action)
        if row not in rows:
            rows.append(row)
    if screen.app.ENABLE_COMMAND_PALETTE:
        rows.append((screen.app.get_key_display(Binding("ctrl+p", "")), "Command palette"))
    return rows


class HelpScreen(ModalScreen[None]):
    """The keys of the screen that was current when help was asked for."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="help.close"),
        Binding("question_mark", "dismiss", "Close", key_display="?", id="help.close_q"),
    ]

    def __init__(self, title: str, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.help_title = title
        self.keys = keys

    @classmethod
    def for_screen(cls, screen: Screen[object]) -> HelpScreen:
        title = getattr(screen, "HELP_TITLE", None) or type(screen).__name__
        return cls(title, screen_keys(screen))

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog", classes="dialog"):
            yield Label(f"Keys: {self.help_title}", classes="dialog-title")
            yield DataTable(id="help-keys", cursor_type="row", zebra_stripes=True)
            yield Label("escape or ? to close", classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("key", "does")
        for key, description in self.keys:
            table.add_row(key, description)
        table.focus()
