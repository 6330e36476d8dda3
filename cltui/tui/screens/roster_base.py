"""What the People, Teams and Escalation screens share: the console context, reloading when
the roster changes anywhere, roster writes through the engine, moving between the panes with
left/right (or h/l), the team list of the Teams and Escalation screens, how times are shown,
and updating a table by row key (never clearing it, so the cursor and the scroll stay put)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, ClassVar, TypeVar
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from cltui.domain.durations import format_duration
from cltui.domain.errors import Invalid, Refused
from cltui.engine.bus import Overflowed, RosterChanged
from cltui.store import roster
from cltui.store.roster import TeamView
from cltui.tui.context import ConsoleContext, EngineEvent
from cltui.tui.failures import ReportsFailures

T = TypeVar("T")


def local_time(at: datetime, zone: str) -> str:
    """`Mon 30 Nov 09:00 GMT`: a time as the team's zone reads it."""
    return at.astimezone(ZoneInfo(zone)).strftime("%a %d %b %H:%M %Z")


def approx(seconds: float) -> str:
    """A duration to the minute, at most two units: `4d`, `3d5h`, `45m`, `<1m`."""
    whole = int(seconds) // 60 * 60
    if whole <= 0:
        return "<1m"
    text = format_duration(whole)
    units = [i for i, c in enumerate(text) if c.isalpha()]
    return text[: units[1] + 1] if len(units) > 2 else text


def relative(at: datetime, now: datetime) -> str:
    seconds = (at - now).total_seconds()
    return f"in {approx(seconds)}" if seconds >= 0 else f"{approx(-seconds)} ago"


def restore_options(widget: OptionList, options: list[Option], keep: str | None) -> None:
    """Replace the options and keep the highlight on the option with id `keep` (else the
    first)."""
    widget.set_options(options)
    if not options:
        return
    ids = [o.id for o in options]
    widget.highlighted = ids.index(keep) if keep in ids else 0


def cursor_key(table: DataTable[Any]) -> str | None:
    """The key of the row under the cursor, if there is a row."""
    if table.row_count == 0:
        return None
    return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value


def sync_rows(
    table: DataTable[Any],
    rows: Sequence[tuple[str, Sequence[str]]],
    keep: str | None = None,
    fallback: int | None = None,
) -> None:
    """Make `table` show exactly `rows` ((key, cells), top to bottom), by row key: update
    only the cells that changed, remove the rows that went, add the new ones, and put them
    in order. The table is never cleared, so the cursor and the scroll do not jump. The
    cursor goes to the row keyed `keep`; without one (or when it went), to row `fallback`
    (default: where it is), kept inside the table.

    Give every column of such a table a fixed width: Textual measures auto-width columns
    when the table is next idle but keeps drawn cells until its contents change, so a
    header drawn before that stays narrow."""
    index = table.cursor_row if fallback is None else fallback
    wanted = {key: tuple(cells) for key, cells in rows}
    order = [key for key, _ in rows]
    columns = list(table.columns)
    with table.app.batch_update():
        for row in list(table.ordered_rows):
            if row.key.value not in wanted:
                table.remove_row(row.key)
        shown = {row.key.value for row in table.ordered_rows}
        for key, cells in wanted.items():
            if key not in shown:
                table.add_row(*cells, key=key)
                continue
            for column, was, now in zip(columns, table.get_row(key), cells, strict=True):
                if was != now:
                    table.update_cell(key, column, now, update_width=True)
        if [row.key.value for row in table.ordered_rows] != order:
            rank = {cells: i for i, cells in enumerate(wanted[key] for key in order)}
            table.sort(key=lambda values: rank[tuple(values)])
        if not order:
            return
        target = order.index(keep) if keep in wanted else max(0, min(index, len(order) - 1))
        if table.cursor_row != target:
            table.move_cursor(row=target, animate=False)


class RosterScreen(ReportsFailures, Screen[None]):
    """A screen over the roster: loads on mount and on resume, reloads when the roster
    changes (or the bus overflowed), and writes through the engine. Left and right (h, l)
    move the focus between the `PANES` (widget ids, left to right)."""

    PANES: ClassVar[tuple[str, ...]] = ()

    # Priority: the focused list or table would take left/right for itself.
    BINDINGS: ClassVar[list[BindingType]] = [
        # One entry in the footer and in help says both: the right-hand one has no id.
        Binding(
            "left,h",
            "focus_pane(-1)",
            "Panes",
            key_display="←→",
            priority=True,
            id="roster.pane_left",
        ),
        Binding("right,l", "focus_pane(1)", "Panes", show=False, priority=True),
    ]

    def action_focus_pane(self, delta: int) -> None:
        """Focus the pane `delta` places right of the focused one (stopping at the ends)."""
        panes = [
            widget
            for pane in self.PANES
            if (widget := self.query_one(f"#{pane}")).display and widget.focusable
        ]
        if not panes:
            return
        ids = [widget.id for widget in panes]
        focused = self.focused.id if self.focused is not None else None
        at = ids.index(focused) if focused in ids else 0
        panes[max(0, min(at + delta, len(panes) - 1))].focus()

    @property
    def ctx(self) -> ConsoleContext:
        return self.app.ctx  # type: ignore[attr-defined,no-any-return]

    async def reload(self) -> None:
        raise NotImplementedError

    def schedule_reload(self) -> None:
        self.run_worker(self.reload, group="reload", exclusive=True, exit_on_error=False)

    def on_mount(self) -> None:
        self.schedule_reload()

    def on_screen_resume(self) -> None:
        self.schedule_reload()

    @on(EngineEvent)
    def _engine_event(self, message: EngineEvent) -> None:
        if isinstance(message.event, (RosterChanged, Overflowed)):
            self.schedule_reload()

    async def write(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run a roster write through the engine (so every view hears of it); a refusal
        becomes a notification and None."""
        try:
            return await self.ctx.engine.edit_roster(fn, *args, actor=self.ctx.operator, **kwargs)
        except (Invalid, Refused) as error:
            self.notify(str(error), title="Not saved", severity="error")
            return None


class TeamListScreen(RosterScreen):
    """A roster screen with the teams listed on the left (the OptionList `TEAM_LIST`: each
    team's name and `team_count`) and the highlighted team shown on the right, in the table
    `TABLE`. Enter on a team focuses the table; `show_team()` draws the highlighted team."""

    TEAM_LIST: ClassVar[str] = ""
    TABLE: ClassVar[str] = ""

    def __init__(self) -> None:
        super().__init__()
        self.teams: dict[str, TeamView] = {}
        self.loaded = False
        self.shown: str | None = None

    def team_count(self, team: TeamView) -> int:
        """The number shown after a team's name in the list."""
        raise NotImplementedError

    def show_team(self) -> None:
        raise NotImplementedError

    def compose_team_list(self, pane_id: str) -> ComposeResult:
        """The left pane: a title over the team list."""
        with Vertical(id=pane_id):
            yield Static("Teams", classes="pane-title")
            yield OptionList(id=self.TEAM_LIST)

    @property
    def team(self) -> TeamView | None:
        """The highlighted team."""
        option = self.query_one(f"#{self.TEAM_LIST}", OptionList).highlighted_option
        return None if option is None or option.id is None else self.teams.get(option.id)

    async def reload(self) -> None:
        teams = await asyncio.to_thread(roster.teams, self.ctx.db)
        self.teams = {t.name: t for t in teams}
        current = self.team
        self.list_teams(current.name if current else None)
        self.loaded = True
        self.show_team()

    def list_teams(self, keep: str | None) -> None:
        """List `self.teams` by name, the highlight on `keep` (else the first)."""
        restore_options(
            self.query_one(f"#{self.TEAM_LIST}", OptionList),
            [
                Option(f"{t.name}  [dim]{self.team_count(t)}[/]", id=t.name)
                for t in sorted(self.teams.values(), key=lambda t: t.name)
            ],
            keep,
        )

    @on(OptionList.OptionHighlighted)
    def _team_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == self.TEAM_LIST:
            self.show_team()

    @on(OptionList.OptionSelected)
    def _team_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == self.TEAM_LIST:
            self.query_one(f"#{self.TABLE}", DataTable).focus()
