"""The Board's alert table: one row per alert, keyed by alert number, updated in place.

`show()` takes the rows that should be visible, in order, and diffs them against what is on
screen: it updates only the cells that changed, adds new rows by key and removes rows that
left, then puts the cursor back on the alert it was on. The table is never cleared, so the
cursor and the scroll position survive any burst of changes.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from cltui.store.alerts import ACKNOWLEDGED, RESOLVED, AlertView

SEVERITY_RANK = {"critical": 0, "error": 1, "warning": 2, "info": 3}
STATUS_RANK = {"exhausted": 0, "triggered": 1, "acknowledged": 2, "resolved": 3}

COLUMNS: tuple[tuple[str, str, int | None], ...] = (
    ("mark", " ", 1),
    ("number", "#", 5),
    ("severity", "severity", 8),
    ("status", "status", 18),
    ("team", "team", 9),
    ("paging", "paging now", 18),
    ("step", "step", 6),
    ("age", "age", 5),
    ("summary", "summary", None),
)


def format_age(seconds: float) -> str:
    """A compact age: 45s, 12m, 3h05m, 2d04h."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h"


def status_of(alert: AlertView) -> str:
    return "exhausted" if alert.exhausted and alert.status == "triggered" else alert.status


@dataclass(frozen=True)
class Escalation:
    """How long a team's plan is, so a row can say `step 2/3`."""

    steps: int
    repeat: int


def step_text(alert: AlertView, plans: dict[str, Escalation]) -> str:
    """The escalation step that ran last, of how many: `2/3`, `1/3↻2` in the second loop."""
    if alert.team is None:
        return "plan"
    plan = plans.get(alert.team)
    steps = plan.steps if plan else 0
    if steps == 0:
        return "—"
    ran, loop = alert.step, alert.loop
    if ran == 0:
        if loop == 0:
            return "—"
        ran, loop = steps, loop - 1
    text = f"{min(ran, steps)}/{steps}"
    return text if loop == 0 else f"{text}↻{loop + 1}"


class AlertTable(DataTable[Text]):
    """Alerts, one row each, keyed by number; colours come from the component classes."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "alert-table--critical",
        "alert-table--error",
        "alert-table--warning",
        "alert-table--info",
        "alert-table--triggered",
        "alert-table--acknowledged",
        "alert-table--resolved",
        "alert-table--exhausted",
        "alert-table--exhausted-row",
        "alert-table--selected",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="board.down"),
        Binding("k", "cursor_up", "Up", show=False, id="board.up"),
        Binding("enter", "select_cursor", "Timeline", id="board.timeline"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self.cursor_foreground_priority = "renderable"
        self._shown: dict[int, tuple[Text, ...]] = {}
        self._order: list[int] = []

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(label, key=key, width=width)

    # ------------------------------------------------------------ rendering

    def style_of(self, name: str) -> Style:
        return self.get_component_rich_style(f"alert-table--{name}", partial=True)

    def cells(
        self,
        alert: AlertView,
        now: datetime,
        plans: dict[str, Escalation],
        selected: bool,
    ) -> tuple[Text, ...]:
        status = status_of(alert)
        row = Style()
        if status == "exhausted":
            row = self.style_of("exhausted-row")
        elif status in (ACKNOWLEDGED, RESOLVED):
            row = self.style_of(status)
        if status == ACKNOWLEDGED:
            status_text = f"acked {alert.acked_by or ''}".strip()
        elif status == RESOLVED:
            status_text = f"resolved {alert.resolved_by or ''}".strip()
        elif status == "exhausted":
            status_text = "‼ EXHAUSTED"
        else:
            status_text = "triggered"
        severity_style = row
        if alert.status != RESOLVED:
            severity_style = row + self.style_of(alert.severity)
        status_style = self.style_of(status) if status in ("triggered", "exhausted") else row
        summary = alert.summary
        if alert.duplicates:
            summary = f"{summary} (x{alert.duplicates + 1})"
        mark = Text("●", style=self.style_of("selected")) if selected else Text(" ")
        return (
            mark,
            Text(str(alert.number), style=row, justify="right"),
            Text(alert.severity, style=severity_style),
            Text(status_text, style=status_style),
            Text(alert.target, style=row),
            Text(", ".join(alert.paging) or "—", style=row),
            Text(step_text(alert, plans), style=row),
            Text(format_age((now - alert.created_at).total_seconds()), style=row),
            Text(summary, style=row),
        )

    # ------------------------------------------------------------ diffing

    @property
    def cursor_number(self) -> int | None:
        """The alert number under the cursor, if any."""
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except Exception:
            return None
        return int(key.value) if key.value is not None else None

    @property
    def numbers(self) -> list[int]:
        """The alert numbers shown, top to bottom."""
        return list(self._order)

    def show(self, rows: Sequence[tuple[int, tuple[Text, ...]]]) -> None:
        """Make the table show exactly `rows` (number, cells) in this order."""
        keep = self.cursor_number
        keep_index = self.cursor_row
        wanted = {number for number, _ in rows}
        with self.app.batch_update():
            for number in [n for n in self._shown if n not in wanted]:
                with contextlib.suppress(RowDoesNotExist):
                    self.remove_row(str(number))
                del self._shown[number]
            for number, cells in rows:
                before = self._shown.get(number)
                if before is None:
                    self.add_row(*cells, key=str(number))
                else:
                    for (column, _, _), old, new in zip(COLUMNS, before, cells, strict=True):
                        if old.plain != new.plain or old.style != new.style:
                            self.update_cell(str(number), column, new)
                self._shown[number] = cells
            order = [number for number, _ in rows]
            if order != self._order:
                rank = {number: index for index, number in enumerate(order)}
                self.sort("number", key=lambda cell: rank[int(cell.plain)])
                self._order = order
            if keep is not None and keep in wanted:
                index = rank_of(order, keep)
                if index != self.cursor_row:
                    self.move_cursor(row=index, animate=False)
            elif order:
                self.move_cursor(row=min(keep_index, len(order) - 1), animate=False)

    def forget_rendering(self) -> None:
        """Make the next `show` rewrite every cell (after a theme change)."""
        for number, cells in self._shown.items():
            self._shown[number] = tuple(Text("\0") for _ in cells)


def rank_of(order: list[int], number: int) -> int:
    return order.index(number)
