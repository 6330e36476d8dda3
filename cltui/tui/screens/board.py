"""The Board: every live alert, updated from the engine's events as they happen.

The screen keeps every alert it knows by number; engine events mark numbers dirty, one
worker at a time reads the dirty alerts from the store (off the event loop) and the table
shows the filtered, sorted result by diffing rows. Acting on alerts goes through the
engine's async methods; refusals become notifications.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer

from cltui.domain.errors import Invalid, Refused
from cltui.engine.bus import AlertCreated, AlertExhausted, BusEvent, Overflowed, RosterChanged
from cltui.store import alerts, roster
from cltui.store.alerts import RESOLVED, TRIGGERED, AlertView
from cltui.tui.context import EngineEvent
from cltui.tui.failures import ReportsFailures
from cltui.tui.modals.filter import BoardFilter
from cltui.tui.widgets.alert_table import (
    SEVERITY_RANK,
    STATUS_RANK,
    AlertTable,
    status_of,
)
from cltui.tui.widgets.board_header import BoardHeader, counts_by_status, per_hour

if TYPE_CHECKING:
    from cltui.tui.app import CltuiApp
    from cltui.tui.context import ConsoleContext

LOAD_LIMIT = 2000
RESOLVED_SHOWN_FOR = timedelta(hours=1)


def _by_urgency(alert: AlertView) -> tuple[int, int, int]:
    return (STATUS_RANK[status_of(alert)], SEVERITY_RANK.get(alert.severity, 9), -alert.number)


SORTS: tuple[tuple[str, object], ...] = (
    ("urgency", _by_urgency),
    ("newest", lambda a: -a.number),
    ("oldest", lambda a: a.number),
    ("severity", lambda a: (SEVERITY_RANK.get(a.severity, 9), -a.number)),
    ("team", lambda a: (a.target, _by_urgency(a))),
)


class BoardScreen(ReportsFailures, Screen[None]):
    """Live alerts: acknowledge, resolve, escalate, filter, sort, select, raise."""

    HELP_TITLE = "Board"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "acknowledge", "Ack", id="board.acknowledge"),
        Binding("r", "resolve", "Resolve", id="board.resolve"),
        Binding("e", "escalate", "Escalate", id="board.escalate"),
        Binding("enter", "timeline", "Timeline", show=False, id="board.timeline_screen"),
        Binding("slash", "filter", "Filter", key_display="/", id="board.filter"),
        Binding("s", "cycle_sort", "Sort", id="board.sort"),
        Binding("n", "new_alert", "New", id="board.new_alert"),
        Binding("space", "select", "Select", id="board.select"),
        Binding("escape", "clear", "Clear", show=False, id="board.clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.views: dict[int, AlertView] = {}
        self.selected: set[int] = set()
        self.filter = BoardFilter()
        self.sort_index = 0
        self._dirty: set[int] = set()
        self._announce: set[int] = set()
        self._refreshing = False
        self._loaded = asyncio.Event()

    @property
    def ctx(self) -> ConsoleContext:
        app: CltuiApp = self.app  # type: ignore[assignment]
        return app.ctx

    def compose(self) -> ComposeResult:
        yield BoardHeader(id="board-header")
        yield AlertTable(id="alerts")
        yield Footer()

    @property
    def table(self) -> AlertTable:
        return self.query_one(AlertTable)

    async def on_mount(self) -> None:
        self.table.focus()
        self.set_interval(1.0, self.render_board, name="board-ages")
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self.reload()

    def _theme_changed(self, _theme: object) -> None:
        self.table.forget_rendering()
        self.call_after_refresh(self.render_board)

    # ------------------------------------------------------------ loading

    @work(exclusive=True, exit_on_error=False, group="board-reload")
    async def reload(self) -> None:
        """Read every alert again."""
        views = await asyncio.to_thread(alerts.list_alerts, self.ctx.db, None, LOAD_LIMIT)
        self.views = {view.number: view for view in views}
        self.selected &= set(self.views)
        self.render_board()
        self._loaded.set()

    async def wait_loaded(self) -> None:
        await self._loaded.wait()

    def _read(self, numbers: Iterable[int]) -> list[AlertView]:
        found = []
        for number in numbers:
            try:
                found.append(alerts.get(self.ctx.db, number))
            except Refused:
                continue
        return found

    def mark_dirty(self, numbers: Iterable[int]) -> None:
        self._dirty.update(numbers)
        if not self._refreshing and self._dirty:
            self._refreshing = True
            self.run_worker(self._refresh_dirty(), group="board-refresh", exit_on_error=False)

    async def _refresh_dirty(self) -> None:
        try:
            while self._dirty:
                numbers = sorted(self._dirty)
                self._dirty.clear()
                fresh = await asyncio.to_thread(self._read, numbers)
                self.apply(fresh)
        finally:
            self._refreshing = False

    def apply(self, fresh: Iterable[AlertView]) -> None:
        """Take new versions of some alerts and show them."""
        for view in fresh:
            self.views[view.number] = view
        self.render_board()
        for number in sorted(self._announce & set(self.views)):
            self._announce.discard(number)
            view = self.views[number]
            if view.severity == "critical" and view.status == TRIGGERED:
                self.app.bell()
                self.notify(
                    f"#{view.number} {view.summary}",
                    title=f"Critical alert for {view.target}",
                    severity="error",
                    timeout=10,
                )

    @on(EngineEvent)
    def engine_event(self, message: EngineEvent) -> None:
        event = message.event
        if isinstance(event, Overflowed):
            self.reload()
            return
        assert isinstance(event, BusEvent)
        if isinstance(event, RosterChanged):
            # An escalation plan may have changed length under the alerts shown.
            self.reload()
            return
        if event.alert is not None:
            if isinstance(event, AlertCreated):
                self._announce.add(event.alert)
            if isinstance(event, AlertExhausted):
                self.app.bell()
                self.notify(
                    event.detail,
                    title=f"Alert #{event.alert} EXHAUSTED",
                    severity="error",
                    timeout=30,
                )
            self.mark_dirty([event.alert])

    # ------------------------------------------------------------ showing

    def now(self) -> datetime:
        return self.ctx.clock.now()

    def on_board(self, alert: AlertView, now: datetime) -> bool:
        """Open alerts, and resolved ones for an hour after (or any, when filtering them)."""
        if alert.status != RESOLVED or self.filter.status == RESOLVED:
            return True
        return alert.resolved_at is not None and now - alert.resolved_at < RESOLVED_SHOWN_FOR

    def visible(self, now: datetime) -> list[AlertView]:
        rows = [a for a in self.views.values() if self.on_board(a, now) and self.filter.keeps(a)]
        _, key = SORTS[self.sort_index]
        rows.sort(key=key)  # type: ignore[arg-type]
        return rows

    def render_board(self) -> None:
        if not self.is_mounted:
            return
        now = self.now()
        rows = self.visible(now)
        table = self.table
        table.show([(a.number, table.cells(a, now, a.number in self.selected)) for a in rows])
        on_board = [a for a in self.views.values() if self.on_board(a, now)]
        sort_name = SORTS[self.sort_index][0]
        described = self.filter.describe()
        note = f"sort: {sort_name}" + (f"  filter: {described}" if described else "")
        if self.selected:
            note += f"  {len(self.selected)} selected"
        self.query_one(BoardHeader).show(
            counts_by_status(on_board), per_hour(self.views.values(), now), note
        )

    # ------------------------------------------------------------ actions

    def targets(self) -> list[int]:
        """The selected alerts, else the one under the cursor."""
        if self.selected:
            return sorted(self.selected)
        number = self.table.cursor_number
        return [] if number is None else [number]

    def action_select(self) -> None:
        number = self.table.cursor_number
        if number is None:
            return
        self.selected.symmetric_difference_update({number})
        self.render_board()
        if number in self.selected:
            self.table.action_cursor_down()

    def action_clear(self) -> None:
        if self.selected:
            self.selected.clear()
        elif self.filter.active:
            self.filter = BoardFilter()
        self.render_board()

    def action_cycle_sort(self) -> None:
        self.sort_index = (self.sort_index + 1) % len(SORTS)
        self.render_board()
        self.notify(f"Sorted by {SORTS[self.sort_index][0]}", timeout=2)

    def action_acknowledge(self) -> None:
        numbers = self.targets()
        if numbers:
            self._act("acknowledge", numbers)

    def action_escalate(self) -> None:
        numbers = self.targets()
        if numbers:
            self._act("escalate", numbers)

    def action_resolve(self) -> None:
        from cltui.tui.modals.confirm import ConfirmScreen

        numbers = self.targets()
        if not numbers:
            return
        if len(numbers) == 1:
            view = self.views.get(numbers[0])
            summary = f": {view.summary}" if view else ""
            question = f"Resolve alert #{numbers[0]}{summary}?"
        else:
            question = f"Resolve {len(numbers)} alerts ({', '.join(f'#{n}' for n in numbers)})?"

        def answered(yes: bool | None) -> None:
            if yes:
                self._act("resolve", numbers)

        self.app.push_screen(ConfirmScreen(question, yes="Resolve", title="Resolve"), answered)

    @work(exit_on_error=False, group="board-act")
    async def _act(self, verb: str, numbers: list[int]) -> None:
        engine, operator = self.ctx.engine, self.ctx.operator
        operation = {
            "acknowledge": engine.acknowledge,
            "resolve": engine.resolve,
            "escalate": engine.escalate_now,
        }[verb]
        done: list[int] = []
        for number in numbers:
            try:
                view = await operation(number, operator)
            except (Invalid, Refused) as error:
                self.notify(str(error), title=f"Cannot {verb}", severity="warning", timeout=8)
                continue
            done.append(number)
            self.views[number] = view
        self.selected.difference_update(numbers)
        self.render_board()
        if done:
            past = {"acknowledge": "Acknowledged", "resolve": "Resolved", "escalate": "Escalated"}
            listed = ", ".join(f"#{n}" for n in done)
            self.notify(f"{past[verb]} {listed}", timeout=4)

    def action_timeline(self) -> None:
        from cltui.tui.modals.timeline import TimelineScreen

        number = self.table.cursor_number
        if number is not None:
            self.app.push_screen(TimelineScreen(number))

    @on(DataTable.RowSelected)
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_timeline()

    @work(exit_on_error=False, group="board-dialog")
    async def action_new_alert(self) -> None:
        from cltui.tui.modals.new_alert import NewAlertScreen

        teams, people = await asyncio.gather(
            asyncio.to_thread(roster.teams, self.ctx.db),
            asyncio.to_thread(roster.people, self.ctx.db),
        )
        if not teams and not people:
            self.notify("Add a person or a team first (keys 2 and 3).", severity="warning")
            return
        number = await self.app.push_screen_wait(
            NewAlertScreen([t.name for t in teams], [p.handle for p in people])
        )
        if number is not None:
            self.mark_dirty([number])
            self.notify(f"Raised alert #{number}", timeout=4)

    @work(exit_on_error=False, group="board-dialog")
    async def action_filter(self) -> None:
        from cltui.tui.modals.filter import FilterScreen

        teams = sorted({a.target for a in self.views.values() if a.target})
        chosen = await self.app.push_screen_wait(FilterScreen(self.filter, teams))
        if chosen is not None:
            self.filter = chosen
            self.render_board()

    def action_clear_filter(self) -> None:
        self.filter = BoardFilter()
        self.render_board()
