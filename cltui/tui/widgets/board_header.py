"""The Board's header: alert counts by status and a sparkline of alerts raised per hour.

The sparkline's caption (`alerts/h, 24h`) is left out when the counts leave it no room."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Sparkline

from cltui.store.alerts import AlertView
from cltui.tui.widgets.alert_table import status_of

HOURS = 24
CAPTION = "alerts/h, 24h"


def per_hour(alerts: Iterable[AlertView], now: datetime, hours: int = HOURS) -> list[int]:
    """How many alerts were raised in each of the last `hours` hours, oldest first."""
    counts = [0] * hours
    for alert in alerts:
        ago = int((now - alert.created_at) / timedelta(hours=1))
        if 0 <= ago < hours:
            counts[hours - 1 - ago] += 1
    return counts


def counts_by_status(alerts: Iterable[AlertView]) -> dict[str, int]:
    counts = {"triggered": 0, "exhausted": 0, "acknowledged": 0, "resolved": 0}
    for alert in alerts:
        counts[status_of(alert)] += 1
    return counts


class BoardHeader(Vertical):
    """`3 triggered  1 EXHAUSTED  2 acknowledged  4 resolved   alerts/h, 24h [sparkline]`,
    and below it the sort order, the filter and the selection."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="board-counts"):
            yield Label("", id="count-triggered", classes="count")
            yield Label("", id="count-exhausted", classes="count")
            yield Label("", id="count-acknowledged", classes="count")
            yield Label("", id="count-resolved", classes="count")
            yield Label(CAPTION, id="sparkline-label")
            yield Sparkline([0] * HOURS, id="sparkline")
        yield Label("", id="board-filter")

    def show(self, counts: dict[str, int], hourly: list[int], filter_text: str) -> None:
        triggered = self.query_one("#count-triggered", Label)
        triggered.update(f"{counts['triggered']} triggered")
        triggered.set_class(counts["triggered"] > 0, "-active")
        exhausted = self.query_one("#count-exhausted", Label)
        exhausted.update(f"‼ {counts['exhausted']} EXHAUSTED")
        exhausted.display = counts["exhausted"] > 0
        self.query_one("#count-acknowledged", Label).update(
            f"{counts['acknowledged']} acknowledged"
        )
        self.query_one("#count-resolved", Label).update(f"{counts['resolved']} resolved")
        self.query_one("#board-filter", Label).update(filter_text)
        sparkline = self.query_one(Sparkline)
        if list(sparkline.data or []) != hourly:
            sparkline.data = hourly
        self._fit_caption()

    def on_resize(self, _event: events.Resize) -> None:
        self._fit_caption()

    def _fit_caption(self) -> None:
        """Caption the sparkline only when the caption fits beside the counts."""
        row = self.query_one("#board-counts", Horizontal)
        caption = self.query_one("#sparkline-label", Label)
        used = sum(
            len(str(label.content)) + label.styles.gutter.width + label.styles.margin.right
            for label in row.query(".count").results(Label)
            if label.display
        )
        used += self.query_one(Sparkline).styles.width.value  # type: ignore[union-attr]
        room = row.size.width - used - caption.styles.margin.right
        caption.update(CAPTION if room >= len(CAPTION) else "")
