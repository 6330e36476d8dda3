"""The console shell: number keys switch screens, an empty roster opens on People with a
hint, the command palette runs actions, ctrl+t switches theme, `?` lists the keys."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable, Input

from cltui.engine.clock import FakeClock
from cltui.store import alerts
from cltui.store.database import Database
from cltui.tui.app import EMPTY_ROSTER_HINT, CltuiApp
from cltui.tui.modals.help import HelpScreen
from tests.conftest import START
from tests.tui.board_harness import SIZE, board_ready, console_context, raise_at, until


async def test_number_keys_switch_screens(make_app: Callable[[], CltuiApp]) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await board_ready(pilot)
        for key, mode, screen in (
            ("2", "people", "PeopleScreen"),
            ("3", "teams", "TeamsScreen"),
            ("4", "escalation", "EscalationScreen"),
            ("1", "board", "BoardScreen"),
        ):
            await pilot.press(key)
            await until(pilot, lambda mode=mode: app.current_mode == mode)
            assert type(app.screen).__name__ == screen


async def test_an_empty_roster_opens_on_people_with_a_hint(
    tmp_path: Path, board_clock: FakeClock
) -> None:
    db = Database(f"sqlite:///{tmp_path / 'empty.db'}")
    app = CltuiApp(lambda: console_context(db, board_clock))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.current_mode == "people")
            assert EMPTY_ROSTER_HINT in [str(n.message) for n in app._notifications]
    finally:
        db.close()


async def test_the_palette_runs_board_actions(
    make_app: Callable[[], CltuiApp], board_db: Database
) -> None:
    alert = raise_at(board_db, START, "Disk full")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await board_ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"Acknowledge")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, CommandPalette)
                and app.screen.query_one(CommandList).option_count > 0
            ),
        )
        await pilot.press("enter")
        await until(pilot, lambda: board.views[alert.number].status == "acknowledged")
        assert alerts.get(board_db, alert.number).acked_by == "merlin"


async def test_ctrl_t_toggles_the_theme_and_help_lists_the_keys(
    make_app: Callable[[], CltuiApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await board_ready(pilot)
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark"
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = dict(app.screen.keys)  # type: ignore[attr-defined]
        for key in ("a", "r", "e", "/", "s", "n", "space", "2", "3", "4", "?", "^p"):
            assert key in keys, key
        assert "1" not in keys  # the Board's own key does nothing on the Board
        await pilot.press("escape")
        await until(pilot, lambda: not isinstance(app.screen, HelpScreen))


async def test_help_lists_only_the_keys_that_work_on_each_screen(
    make_app: Callable[[], CltuiApp],
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await board_ready(pilot)
        for key, mode in (("2", "people"), ("3", "teams"), ("4", "escalation"), ("1", "board")):
            await pilot.press(key)
            await until(pilot, lambda mode=mode: app.current_mode == mode)
            await pilot.press("question_mark")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen))
            shown = dict(app.screen.keys)  # type: ignore[attr-defined]
            others = {"1", "2", "3", "4"} - {key}
            assert key not in shown, (mode, shown)
            assert others <= shown.keys(), (mode, shown)
            await pilot.press("escape")
            await until(pilot, lambda: not isinstance(app.screen, HelpScreen))


async def test_j_and_k_move_any_list_and_still_type_in_fields(
    make_app: Callable[[], CltuiApp],
) -> None:
    """j/k work like the arrows in every list and table, and are plain letters in a form."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await board_ready(pilot)
        await pilot.press("3")
        await until(pilot, lambda: type(app.screen).__name__ == "TeamsScreen")
        table = app.screen.query_one("#members", DataTable)
        await until(pilot, lambda: table.row_count == 4 and app.focused is table)
        await pilot.press("j", "j")
        await until(pilot, lambda: table.cursor_row == 2)
        await pilot.press("k")
        await until(pilot, lambda: table.cursor_row == 1)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press("j", "k")
        field = app.focused
        assert isinstance(field, Input)
        assert field.value.endswith("jk")


async def test_a_failing_database_read_is_said_on_screen_and_the_console_stays_up(
    make_app: Callable[[], CltuiApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await board_ready(pilot)

        def gone(*_args: object, **_kwargs: object) -> None:
            raise OperationalError("SELECT", {}, Exception("database is locked"))

        monkeypatch.setattr(alerts, "list_alerts", gone)
        board.reload()
        await until(pilot, lambda: any(n.title == "That did not work" for n in app._notifications))
        [said] = [n for n in app._notifications if n.title == "That did not work"]
        assert "database is locked" in str(said.message)
        assert app.is_running
        monkeypatch.undo()
        await pilot.press("2")
        await until(pilot, lambda: app.current_mode == "people")
