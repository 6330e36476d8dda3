"""Pick a person to add to a team's rotation: everyone who is not a member yet, with a hint
line saying which keys add and cancel."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from cltui.store.roster import PersonView


class MemberPicker(ModalScreen[str | None]):
    """A list of candidates; enter picks one (the handle), escape cancels."""

    DEFAULT_CSS = """
    MemberPicker {
        align: center middle;
    }
    MemberPicker > #picker {
        width: 60;
        height: auto;
        max-height: 80%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    MemberPicker #picker-title {
        text-style: bold;
        margin-bottom: 1;
    }
    MemberPicker #picker-empty {
        color: $text-muted;
    }
    MemberPicker #picker-hint {
        color: $text-muted;
        margin-top: 1;
    }
    MemberPicker OptionList {
        height: auto;
        max-height: 20;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="member_picker.cancel")]

    def __init__(self, team: str, candidates: Sequence[PersonView]) -> None:
        super().__init__()
        self.team = team
        self.candidates = list(candidates)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(f"Add a member to {self.team}", id="picker-title")
            if self.candidates:
                yield OptionList(
                    *(
                        Option(f"{p.handle}  [dim]{p.name}[/]", id=p.handle)
                        for p in self.candidates
                    ),
                    id="candidates",
                )
            else:
                yield Static(
                    "Everyone is in this team already; add people on the People screen.",
                    id="picker-empty",
                )
            yield Static(
                "↑↓ choose, enter adds, esc cancels" if self.candidates else "esc closes",
                id="picker-hint",
            )

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
