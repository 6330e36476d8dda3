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
        """Header: `7 triggered` in amber, `‼ 1 EXHAUSTED` white on red, `1 acknowledged`,
        `1 resolved`, `sort: urgency`, and the 24-hour sparkline of alerts per hour.
        Ten rows fill the 120 columns, no horizontal scrollbar: under the white-on-blue
        cursor the exhausted wizards alert #1; then the critical #11, the error #10 paging
        percival, the warning #9 with its whole summary (`Certificate for
        shop-4.example.com expires in 7 days`), the infos #6 #5 #4 #3 paging `arthur +2`;
        #7 acked by lancelot in muted italics; #8 resolved by guinevere, dim and struck
        through. The alert resolved hours ago (#2) is gone."""
        assert snap_compare(scene_app, terminal_size=SIZE, run_before=ready())

    def test_board_light(self, snap_compare: Snap, scene_app: CltuiApp) -> None:
        """The same board in the light theme (ctrl+t): `7 triggered` and every `triggered`
        and `warning` are dark text on amber chips, errors dark red, infos navy; the
        cursor bar is white on navy."""
        assert snap_compare(scene_app, terminal_size=SIZE, run_before=ready("ctrl+t"))

    def test_board_80_columns(self, snap_compare: Snap, scene_app: CltuiApp) -> None:
        """At 80 columns: no horizontal scrollbar and no sparkline caption; `paging now` at
        its narrowest (`merlin +1`, `arthur +2`), long statuses and the summaries cut with
        an ellipsis (`resolved gu…`, `Primary database db…`)."""
        assert snap_compare(scene_app, terminal_size=(80, 36), run_before=ready())

    def test_cursor_on_acked_light(self, snap_compare: Snap, scene_app: CltuiApp) -> None:
        """Light theme, cursor moved to the acknowledged #7: its row white on navy, in
        italics; the exhausted #1 keeps its red badge off the cursor."""
        keys = ("ctrl+t", *["down"] * 8)
        assert snap_compare(scene_app, terminal_size=SIZE, run_before=ready(*keys))

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
