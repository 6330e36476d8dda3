"""A preview of a team's escalation: who would be paged when, for an alert raised now that
nobody acknowledges."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from cltui.domain.durations import format_duration
from cltui.domain.escalation import PlannedStep
from cltui.tui.screens.roster_base import local_time


def action_text(planned: PlannedStep) -> str:
    step = planned.step
    text = step.method.replace("_", " ")
    return f"{text} {step.target}".strip()


class PreviewScreen(ModalScreen[None]):
    """The planned steps as a timeline; escape or q closes it."""

    DEFAULT_CSS = """
    PreviewScreen {
        align: center middle;
    }
    PreviewScreen > #preview {
        width: 100;
        height: auto;
        max-height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    PreviewScreen #preview-title {
        text-style: bold;
    }
    PreviewScreen #preview-intro, PreviewScreen #preview-end {
        color: $text-muted;
        margin: 1 0;
    }
    PreviewScreen DataTable {
        height: auto;
        max-height: 20;
    }
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="preview.close"),
        Binding("q", "close", "Close", show=False, id="preview.close_q"),
    ]

    def __init__(
        self,
        team: str,
        planned: Sequence[PlannedStep],
        exhausted_at: datetime | None,
        start: datetime,
        zone: str,
    ) -> None:
        super().__init__()
        self.team = team
        self.planned = list(planned)
        self.exhausted_at = exhausted_at
        self.start = start
        self.zone = zone

    def compose(self) -> ComposeResult:
        with Vertical(id="preview"):
            yield Static(f"Escalation preview: {self.team}", id="preview-title")
            yield Static(
                f"An alert raised now ({local_time(self.start, self.zone)}) that nobody "
                "acknowledges:",
                id="preview-intro",
            )
            table: DataTable[str] = DataTable(id="preview-steps", cursor_type="row")
            yield table
            yield Static(self._ending(), id="preview-end")

    def _ending(self) -> str:
        if self.exhausted_at is None:
            return "The plan has no steps: nobody would be paged."
        after = format_duration(int((self.exhausted_at - self.start).total_seconds()))
        return (
            f"Then, at {local_time(self.exhausted_at, self.zone)} (+{after}), the alert is "
            "exhausted: it stays triggered on the board. Pages already started keep going.\n"
            "(esc closes)"
        )

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("After", key="after")
        table.add_column("At", key="at")
        table.add_column("Loop", key="loop")
        table.add_column("Step", key="step")
        table.add_column("Does", key="does")
        table.add_column("Pages", key="pages")
        for row, planned in enumerate(self.planned):
            offset = int((planned.at - self.start).total_seconds())
            pages = ", ".join(planned.pages) or planned.note or "—"
            if planned.step.method in ("webhook", "email"):
                pages = "—"
            table.add_row(
                f"+{format_duration(offset)}",
                local_time(planned.at, self.zone),
                str(planned.loop + 1),
                str(planned.index + 1),
                action_text(planned),
                pages,
                key=str(row),
            )
        table.focus()

    def action_close(self) -> None:
        self.dismiss(None)
