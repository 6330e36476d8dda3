"""The Board's header: alert counts by status and a sparkline of alerts raised per hour."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Sparkline

from cltui.store.alerts import AlertView
from cltui.tui.widgets.alert_table import status_of

HOURS = 24


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
            yield Label("alerts/h, 24h", id="sparkline-label")
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
