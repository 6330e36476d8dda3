"""Screenshots of the Board and its dialogs at 120x36 on a fake clock (Thursday 26 Nov
2026, 09:00 UTC), against the demo roster with one alert of every kind (`board_scene`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from cltui.store.database import Database
from cltui.tui.app import CltuiApp
from tests.tui.board_harness import SIZE, board_ready, board_scene, settle

Snap = Callable[..., bool]


@pytest.fixture
def scene_app(make_app: Callable[[], CltuiApp], board_db: Database) -> CltuiApp:
    board_scene(board_db)
    return make_app()


def ready(*keys: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    """Wait for the loaded Board, press `keys`, and let the screen settle."""

    async def run_before(pilot: Pilot[Any]) -> None:
        board = await board_ready(pilot)
        await pilot.press(*keys)
        await settle(pilot, board)

    return run_before


class TestBoard:
    def test_board(self, snap_compare: Snap, scene_app: CltuiApp) -> None:
        """Header: 4 triggered, 1 EXHAUSTED (red), 1 acknowledged, 1 resolved; a sparkline
        of alerts per hour. Rows: the exhausted wizards alert first and loud, the critical,
        errors, the warning, the infos; acked by lancelot in muted italics; resolved by
        guinevere struck through; the alert resolved hours ago is gone."""
        assert snap_compare(scene_app, terminal_size=SIZE, run_before=ready())

    def test_board_light(self, snap_compare: Snap, scene_app: CltuiApp) -> None:
        """The same board in the light theme (ctrl+t)."""
        assert snap_compare(scene_app, terminal_size=SIZE, run_before=ready("ctrl+t"))

    def test_selected(self, snap_compare: Snap, scene_app: CltuiApp) -> None:
        """Two alerts selected with space: a dot in the first column, `2 selected` above."""
        assert snap_compare(scene_app, terminal_size=SIZE, run_before=ready("space", "space"))


class TestDialogs:
    def test_timeline(self, snap_compare: Snap, scene_app: CltuiApp) -> None:
        """Enter on the exhausted alert: its timeline, from created through both loops of
        paging to exhausted, with time, event, actor and detail."""
        assert snap_compare(scene_app, terminal_size=SIZE, run_before=ready("enter"))

    def test_new_alert(self, snap_compare: Snap, scene_app: CltuiApp) -> None:
        """`n`: the new alert dialog, for team kings, severity error, summary typed."""
        assert snap_compare(scene_app, terminal_size=SIZE, run_before=ready("n", *"Checkout down"))

    def test_filter(self, snap_compare: Snap, scene_app: CltuiApp) -> None:
        """`/`: the filter dialog with `db` typed in the text field."""
        assert snap_compare(scene_app, terminal_size=SIZE, run_before=ready("slash", "d", "b"))

    def test_filtered_board(self, snap_compare: Snap, scene_app: CltuiApp) -> None:
        """After filtering on `db`: the two database alerts; the header names the filter."""
        assert snap_compare(
            scene_app, terminal_size=SIZE, run_before=ready("slash", "d", "b", "enter")
        )

    def test_confirm_resolve(self, snap_compare: Snap, scene_app: CltuiApp) -> None:
        """`r`: asks `Resolve alert #1: Primary database db-1 unreachable?` with Resolve / No."""
        assert snap_compare(scene_app, terminal_size=SIZE, run_before=ready("r"))

    def test_help(self, snap_compare: Snap, scene_app: CltuiApp) -> None:
        """`?`: every key of the Board, then the app's (1-4, ?, ctrl+t, ctrl+q, ctrl+p)."""
        assert snap_compare(scene_app, terminal_size=SIZE, run_before=ready("question_mark"))
