"""The Board, driven by keys against a real SQLite database, a real engine and a fake
clock: acknowledging stops the pages, the cursor keeps its alert, several alerts can be
selected and acted on, the filter narrows, `n` raises, `r` asks first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual.widgets import Input, Select

from cltui.engine.clock import FakeClock
from cltui.store import alerts
from cltui.store.database import Database
from cltui.tui.app import CltuiApp
from cltui.tui.modals.confirm import ConfirmScreen
from cltui.tui.modals.filter import FilterScreen
from cltui.tui.modals.new_alert import NewAlertScreen
from cltui.tui.modals.timeline import TimelineScreen
from tests.conftest import START
from tests.sinks import HttpSink
from tests.tui.board_harness import OPERATOR, SIZE, board_ready, board_scene, raise_at, until


def notes(app: CltuiApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_acknowledging_from_the_board_stops_the_pages(
    make_app: Callable[[], CltuiApp],
    board_db: Database,
    board_clock: FakeClock,
    board_sink: HttpSink,
) -> None:
    """`a` on a paging alert acknowledges it as the operator; its pages stop in the store
    and nothing more is delivered however long the clock runs."""
    alert = raise_at(board_db, START, "API latency p99 above 2s on web-3", severity="critical")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await board_ready(pilot)
        engine = app.ctx.engine
        await engine.run_once()
        await board_sink.await_for(lambda got: len(got) >= 1)
        assert alerts.get(board_db, alert.number).paging == ("arthur",)
        board_clock.advance(90)
        await engine.run_once()
        delivered = len(await board_sink.await_for(lambda got: len(got) >= 2))
        assert board.table.cursor_number == alert.number

        await pilot.press("a")
        await until(pilot, lambda: board.views[alert.number].status == "acknowledged")

        acked = alerts.get(board_db, alert.number)
        assert (acked.status, acked.acked_by, acked.paging) == ("acknowledged", OPERATOR, ())
        for _ in range(3):
            board_clock.advance(timedelta(minutes=10))
            await engine.run_once()
        assert len(board_sink.received) == delivered
        kinds = [e.kind for e in alerts.timeline(board_db, alert.number)]
        assert kinds[-1] == "acknowledged"
        assert "escalated" not in kinds[kinds.index("acknowledged") :]
        assert f"acked {OPERATOR}" in board.table.get_row(str(alert.number))[3].plain


async def test_a_refused_acknowledgement_is_a_notification(
    make_app: Callable[[], CltuiApp], board_db: Database
) -> None:
    """Acking an alert someone already acknowledged says who and when; no traceback."""
    alert = raise_at(board_db, START, "Disk full")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await board_ready(pilot)
        await app.ctx.engine.acknowledge(alert.number, "lancelot")
        await until(pilot, lambda: board.views[alert.number].status == "acknowledged")
        await pilot.press("a")
        await until(pilot, lambda: any("already acknowledged" in n for n in notes(app)))
        assert f"alert {alert.number} is already acknowledged by lancelot at 09:00" in notes(app)
        assert app.is_running


async def test_the_cursor_stays_on_its_alert_while_100_arrive(
    make_app: Callable[[], CltuiApp], board_db: Database
) -> None:
    """With the cursor on an alert, 100 new alerts (many sorting above it), a change to it
    and others leaving do not move the cursor off it."""
    first = [raise_at(board_db, START, f"Alert {i}", severity="warning").number for i in range(5)]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await board_ready(pilot)
        await pilot.press("down", "down")
        watched = board.table.cursor_number
        assert watched == first[2]
        engine = app.ctx.engine
        for i in range(100):
            severity = ("critical", "error", "info", "warning")[i % 4]
            await engine.raise_alert(f"Burst {i}", team="kings", severity=severity)
            if i % 10 == 0:
                await pilot.pause()
                assert board.table.cursor_number == watched
        await until(pilot, lambda: board.table.row_count == 105)
        assert board.table.cursor_number == watched
        assert board.table.cursor_row > 2  # criticals and errors sorted above it
        await engine.acknowledge(watched, "lancelot")
        for number in first[:2]:
            await engine.resolve(number, "monitoring")
        await until(pilot, lambda: board.views[watched].status == "acknowledged")
        await until(pilot, lambda: board.views[first[0]].status == "resolved")
        assert board.table.cursor_number == watched


async def test_space_selects_several_and_a_acknowledges_them_all(
    make_app: Callable[[], CltuiApp], board_db: Database
) -> None:
    numbers = [raise_at(board_db, START, f"Alert {i}").number for i in range(4)]
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await board_ready(pilot)
        shown = board.table.numbers
        await pilot.press("space", "space")  # selects the first two, moving down
        assert board.selected == set(shown[:2])
        await pilot.press("a")
        await until(pilot, lambda: not board.selected)
        for number in numbers:
            status = alerts.get(board_db, number)
            if number in shown[:2]:
                assert (status.status, status.acked_by) == ("acknowledged", OPERATOR)
            else:
                assert status.status == "triggered"


async def test_the_filter_narrows_the_board(
    make_app: Callable[[], CltuiApp], board_db: Database
) -> None:
    numbers = board_scene(board_db)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await board_ready(pilot)
        everything = set(board.table.numbers)
        assert numbers["old"] not in everything
        await pilot.press("slash")
        await until(pilot, lambda: isinstance(app.screen, FilterScreen))
        await pilot.press(*"db")
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, FilterScreen))
        assert set(board.table.numbers) == {numbers["exhausted"], numbers["resolved"]}

        await pilot.press("slash")
        await until(pilot, lambda: isinstance(app.screen, FilterScreen))
        app.screen.query_one("#filter-text", Input).value = ""
        app.screen.query_one("#filter-severity", Select).value = "critical"
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, FilterScreen))
        assert set(board.table.numbers) == {numbers["exhausted"], numbers["critical"]}

        await pilot.press("escape")
        assert set(board.table.numbers) == everything


async def test_n_raises_an_alert(make_app: Callable[[], CltuiApp], board_db: Database) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await board_ready(pilot)
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, NewAlertScreen))
        await pilot.press("enter")  # an empty summary is refused, the dialog stays
        await until(pilot, lambda: any("summary" in n for n in notes(app)))
        assert isinstance(app.screen, NewAlertScreen)
        app.screen.query_one("#new-severity", Select).value = "critical"
        await pilot.press(*"Checkout down")
        await pilot.press("enter")
        await until(pilot, lambda: not isinstance(app.screen, NewAlertScreen))
        raised = alerts.list_alerts(board_db)
        assert [(a.summary, a.team, a.severity, a.source) for a in raised] == [
            ("Checkout down", "kings", "critical", "console")
        ]
        await until(pilot, lambda: raised[0].number in board.table.numbers)


async def test_r_asks_before_resolving(
    make_app: Callable[[], CltuiApp], board_db: Database
) -> None:
    alert = raise_at(board_db, START, "Disk full")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await board_ready(pilot)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("n")
        await until(pilot, lambda: app.screen is board)
        assert alerts.get(board_db, alert.number).status == "triggered"
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: board.views[alert.number].status == "resolved")
        resolved = alerts.get(board_db, alert.number)
        assert (resolved.status, resolved.resolved_by) == ("resolved", OPERATOR)


async def test_enter_shows_the_timeline_and_it_follows_the_alert(
    make_app: Callable[[], CltuiApp], board_db: Database
) -> None:
    alert = raise_at(board_db, START, "Disk full")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await board_ready(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, TimelineScreen))
        timeline = app.screen
        assert isinstance(timeline, TimelineScreen)
        await until(pilot, lambda: timeline.query_one("#timeline-events").row_count >= 3)
        await app.ctx.engine.acknowledge(alert.number, "lancelot")
        events = timeline.query_one("#timeline-events")
        await until(pilot, lambda: events.row_count == len(alerts.timeline(board_db, 1)))
        last = events.get_row_at(events.row_count - 1)
        assert last[1:3] == ["acknowledged", "lancelot"]


async def test_a_new_critical_alert_is_announced(
    make_app: Callable[[], CltuiApp], board_db: Database
) -> None:
    raise_at(board_db, START, "Disk full", severity="warning")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        board = await board_ready(pilot)
        bells: list[None] = []
        app.bell = lambda: bells.append(None)  # type: ignore[method-assign]
        await app.ctx.engine.raise_alert("Checkout down", team="kings", severity="critical")
        await until(pilot, lambda: bells)
        assert any("Checkout down" in n for n in notes(app))
        assert board.table.cursor_number == 1
