"""The Board's alert table: one row per alert, keyed by alert number, updated in place.

`show()` takes the rows that should be visible, in order, and diffs them against what is on
screen: it updates only the cells that changed, adds new rows by key and removes rows that
left, then puts the cursor back on the alert it was on. The table is never cleared, so the
cursor and the scroll position survive any burst of changes.

The table always fits its width (`fit_widths`): every column but the summary is as wide as
its content, within bounds; the summary takes the rest. When the terminal is too narrow,
`paging now` is shortened first (`arthur +2`), then the summary, then the status and team,
each cut with an ellipsis. Rows and widths are fitted again on every `show()` and resize.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from rich.console import JustifyMethod
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from cltui.store.alerts import ACKNOWLEDGED, RESOLVED, AlertView

SEVERITY_RANK = {"critical": 0, "error": 1, "warning": 2, "info": 3}
STATUS_RANK = {"exhausted": 0, "triggered": 1, "acknowledged": 2, "resolved": 3}


@dataclass(frozen=True)
class Column:
    """A column of the table: as wide as its widest cell, between `narrowest` and `widest`
    (`widest` None: the column takes whatever width the others leave)."""

    key: str
    label: str
    narrowest: int
    widest: int | None
    justify: JustifyMethod = "left"


COLUMNS: tuple[Column, ...] = (
    Column("mark", " ", 1, 1),
    Column("number", "#", 1, 7, "right"),
    Column("severity", "severity", 8, 8),
    Column("status", "status", 11, 24),
    Column("team", "team", 8, 16),
    Column("paging", "paging now", 10, 28),
    Column("step", "step", 4, 8),
    Column("age", "age", 3, 6),
    Column("summary", "summary", 12, None),
)
KEYS = tuple(column.key for column in COLUMNS)
GAP = 1
"""Blank cells before every column (the first one's is the table's left margin)."""
COMFORTABLE_SUMMARY = 20
"""The summary is cut to this before the status and the team are."""
SQUEEZE: tuple[tuple[str, int | None], ...] = (
    ("paging", None),
    ("summary", COMFORTABLE_SUMMARY),
    ("status", None),
    ("team", None),
    ("summary", None),
)
"""When the columns do not fit: which column gives up width first, and down to what
(None: its narrowest)."""
SEPARATOR = ", "
"""Between the handles of `paging now` (handles never contain it)."""


def fit_widths(wanted: dict[str, int], available: int) -> dict[str, int]:
    """Each column's width (gaps not included) for content `wanted` wide, in `available`
    cells: the summary takes what is left, `SQUEEZE` says who gives way when short."""
    by_key = {column.key: column for column in COLUMNS}
    widths: dict[str, int] = {}
    for column in COLUMNS:
        width = max(wanted.get(column.key, 0), cell_len(column.label), column.narrowest)
        widths[column.key] = width if column.widest is None else min(width, column.widest)
    over = sum(widths.values()) + GAP * len(COLUMNS) - available
    for key, floor in SQUEEZE:
        if over <= 0:
            break
        floor = by_key[key].narrowest if floor is None else floor
        give = max(0, min(over, widths[key] - floor))
        widths[key] -= give
        over -= give
    widths["summary"] = max(widths["summary"] - over, by_key["summary"].narrowest)
    return widths


def paging_text(names: Sequence[str], width: int) -> str:
    """The people being paged in `width` cells: `arthur, lancelot, gawain`, else as many
    as fit and how many more (`arthur, lancelot +1`, `arthur +2`); `—` for nobody."""
    if not names:
        return "—"
    full = SEPARATOR.join(names)
    if cell_len(full) <= width:
        return full
    for shown in range(len(names) - 1, 0, -1):
        text = f"{SEPARATOR.join(names[:shown])} +{len(names) - shown}"
        if cell_len(text) <= width:
            return text
    more = f" +{len(names) - 1}" if len(names) > 1 else ""
    room = width - cell_len(more)
    first = names[0] if cell_len(names[0]) <= room else names[0][: max(room - 1, 1)] + "…"
    return first + more


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


def step_text(alert: AlertView) -> str:
    """The escalation step that ran last, of how many: `2/3`, `1/3↻2` in the second loop."""
    if alert.team is None:
        return "plan"
    if alert.last_step is None:
        return "—"
    step, loop = alert.last_step
    text = f"{step}/{alert.steps}"
    return text if loop == 1 else f"{text}↻{loop}"


class AlertTable(DataTable[Text]):
    """Alerts, one row each, keyed by number; colours come from the component classes.

    The cursor row takes its colours from `datatable--cursor` alone, so every kind of row
    reads the same on the cursor bar (red text on blue did not); bold, italics and strike
    stay."""

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
        super().__init__(
            id=id,
            cursor_type="row",
            zebra_stripes=False,
            cell_padding=0,
            cursor_foreground_priority="css",
            cursor_background_priority="css",
        )
        self._wanted: list[tuple[int, tuple[Text, ...]]] = []
        self._shown: dict[int, tuple[Text, ...]] = {}
        self._order: list[int] = []
        self._styles: dict[str, Style] = {}
        self.widths: dict[str, int] = {}
        """Each column's width as last fitted, gaps not included."""

    def on_mount(self) -> None:
        for column in COLUMNS:
            label = Text(" " * GAP + column.label, justify=column.justify, end="")
            self.add_column(label, key=column.key, width=cell_len(column.label) + GAP)

    def on_resize(self, _event: events.Resize) -> None:
        self._sync()

    # ------------------------------------------------------------ rendering

    def style_of(self, name: str) -> Style:
        """The style of component class `alert-table--<name>`, its colour made solid over
        the table's background (Rich has no transparency: `$text-muted`, `auto 60%`, would
        turn into full-strength text of the wrong shade)."""
        style = self._styles.get(name)
        if style is not None:
            return style
        styles = self.get_component_styles(f"alert-table--{name}")
        style = styles.partial_rich_style
        if styles.has_rule("color"):
            _, background = self.background_colors
            if styles.has_rule("background"):
                background += styles.background
            color = styles.color
            if styles.auto_color:  # `auto 60%`: the contrasting colour, 60% strong
                color = background.get_contrast_text(color.a)
            style += Style(color=(background + color).rich_color)
        self._styles[name] = style
        return style

    def notify_style_update(self) -> None:
        self._styles.clear()
        super().notify_style_update()

    def cells(
        self,
        alert: AlertView,
        now: datetime,
        selected: bool,
    ) -> tuple[Text, ...]:
        """The row of `alert`, one text per column, at full length (`show` fits them)."""
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
            Text(str(alert.number), style=row),
            Text(alert.severity, style=severity_style),
            Text(status_text, style=status_style),
            Text(alert.target, style=row),
            Text(SEPARATOR.join(alert.paging), style=row),
            Text(step_text(alert), style=row),
            Text(format_age((now - alert.created_at).total_seconds()), style=row),
            Text(summary, style=row),
        )

    def fitted(self, cells: tuple[Text, ...], widths: dict[str, int]) -> tuple[Text, ...]:
        """`cells` as shown in columns `widths` wide: a gap before each, `paging now`
        shortened to fit, anything still too long cut with an ellipsis."""
        shown = []
        for column, cell in zip(COLUMNS, cells, strict=True):
            if column.key == "paging":
                names = cell.plain.split(SEPARATOR) if cell.plain else []
                cell = Text(paging_text(names, widths["paging"]), style=cell.style)
            shown.append(
                Text.assemble(
                    " " * GAP,
                    cell,
                    justify=column.justify,
                    overflow="ellipsis",
                    no_wrap=True,
                    end="",
                )
            )
        return tuple(shown)

    def available_width(self) -> int:
        """The width rows can use: the table's, less the vertical scrollbar when needed."""
        width, height = self.size
        if len(self._wanted) + self.header_height > height:
            width -= self.styles.scrollbar_size_vertical
        return width

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
        """Make the table show exactly `rows` (number, cells from `cells()`) in this order."""
        self._wanted = list(rows)
        self._sync()

    def _fit_columns(self) -> dict[str, int]:
        """Fit the columns to the rows wanted and the width there is; returns the widths."""
        wanted: dict[str, int] = {}
        for _, cells in self._wanted:
            for column, cell in zip(COLUMNS, cells, strict=True):
                wanted[column.key] = max(wanted.get(column.key, 0), cell.cell_len)
        widths = fit_widths(wanted, self.available_width())
        if widths != self.widths:
            self.widths = widths
            for key, width in widths.items():
                self.columns[key].width = width + GAP  # type: ignore[index]
            self._require_update_dimensions = True
            self._update_count += 1
            self.refresh()
        return widths

    def _sync(self) -> None:
        """Bring the rows on screen in line with `_wanted`, fitted to the width."""
        if not self.is_mounted or not self.columns:
            return
        widths = self._fit_columns()
        rows = [(number, self.fitted(cells, widths)) for number, cells in self._wanted]
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
                    for key, old, new in zip(KEYS, before, cells, strict=True):
                        if old != new or old.style != new.style:
                            self.update_cell(str(number), key, new)
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
        self._styles.clear()
        for number, cells in self._shown.items():
            self._shown[number] = tuple(Text("\0") for _ in cells)


def rank_of(order: list[int], number: int) -> int:
    return order.index(number)
