"""An alert's timeline (`enter` on the Board): every event with time, actor and detail,
kept current while it is open."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from cltui.domain.errors import Refused
from cltui.engine.bus import Overflowed
from cltui.store import alerts
from cltui.store.alerts import AlertView, EventView
from cltui.tui.context import EngineEvent
from cltui.tui.failures import ReportsFailures

if TYPE_CHECKING:
    from cltui.tui.app import CltuiApp

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


def describe(alert: AlertView) -> str:
    lines = [
        f"{alert.severity} · {alert.status}"
        + (" · EXHAUSTED" if alert.exhausted and alert.status == "triggered" else "")
        + f" · for {'team' if alert.team else 'person'} {alert.target}",
        f"raised {alert.created_at.strftime(TIME_FORMAT)} UTC"
        + (f" by {alert.source}" if alert.source else "")
        + (f" · {alert.duplicates} duplicate(s)" if alert.duplicates else ""),
    ]
    if alert.acked_by:
        when = alert.acked_at.strftime(TIME_FORMAT) if alert.acked_at else "?"
        lines.append(f"acknowledged by {alert.acked_by} at {when} UTC")
    if alert.resolved_by:
        when = alert.resolved_at.strftime(TIME_FORMAT) if alert.resolved_at else "?"
        lines.append(f"resolved by {alert.resolved_by} at {when} UTC")
    if alert.paging:
        lines.append(f"paging now: {', '.join(alert.paging)}")
    if alert.details:
        lines.append(alert.details)
    return "\n".join(lines)


class TimelineScreen(ReportsFailures, ModalScreen[None]):
    """One alert and its timeline."""

    HELP_TITLE = "Timeline"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", id="timeline.close"),
        Binding("q", "dismiss", "Close", show=False, id="timeline.close_q"),
    ]

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number

    def compose(self) -> ComposeResult:
        with Vertical(id="timeline-dialog", classes="dialog"):
            yield Label(f"Alert #{self.number}", id="timeline-title", classes="dialog-title")
            yield Static("", id="timeline-about")
            yield DataTable(id="timeline-events", cursor_type="row", zebra_stripes=True)
            yield Label("escape to close", classes="dialog-hint")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("time (UTC)", key="at", width=19)
        table.add_column("event", key="kind", width=15)
        table.add_column("actor", key="actor", width=12)
        table.add_column("detail", key="detail")
        table.focus()
        self.load()

    def _read(self) -> tuple[AlertView, list[EventView]]:
        app: CltuiApp = self.app  # type: ignore[assignment]
        return alerts.get(app.ctx.db, self.number), alerts.timeline(app.ctx.db, self.number)

    @work(exclusive=True, exit_on_error=False, group="timeline")
    async def load(self) -> None:
        try:
            alert, events = await asyncio.to_thread(self._read)
        except Refused as error:
            self.notify(str(error), severity="warning")
            self.dismiss()
            return
        self.query_one("#timeline-title", Label).update(f"Alert #{alert.number}: {alert.summary}")
        self.query_one("#timeline-about", Static).update(describe(alert))
        table = self.query_one(DataTable)
        for event in events:
            key = str(event.id)
            if key in table.rows:
                continue
            table.add_row(
                event.at.strftime(TIME_FORMAT),
                event.kind.replace("_", " "),
                event.actor or "—",
                event.detail,
                key=key,
            )

    @on(EngineEvent)
    def engine_event(self, message: EngineEvent) -> None:
        event = message.event
        if isinstance(event, Overflowed) or event.alert == self.number:
            self.load()
