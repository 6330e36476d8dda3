"""How the Board looks to an operator: the table fits the terminal (120 and 80 columns, after
a resize, with a vertical scrollbar) with no horizontal scrollbar, `paging now` shortens to
`arthur +2`, summaries are cut only when they do not fit; every kind of row, under the
cursor or not, and the header's counts and sparkline are readable in both themes (WCAG
contrast ratios of the colours actually rendered)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from rich.color import Color as RichColor
from rich.segment import Segment
from textual.color import Color
from textual.pilot import Pilot
from textual.widgets import Label, Sparkline

from cltui.store.database import Database
from cltui.tui.app import DARK, LIGHT, CltuiApp
from cltui.tui.screens.board import BoardScreen
from cltui.tui.widgets.alert_table import COLUMNS, GAP, fit_widths, paging_text
from cltui.tui.widgets.board_header import CAPTION, BoardHeader
from tests.conftest import START
from tests.tui.board_harness import board_ready, board_scene, raise_at, settle

CERTIFICATE = "Certificate for shop-4.example.com expires in 7 days"
TEXT = 4.5  # WCAG AA for text
DIM = 3.0  # resolved rows are dimmed on purpose, and the sparkline is a graphic


def luminance(color: RichColor) -> float:
    def channel(value: int) -> float:
        value_ = value / 255
        return value_ / 12.92 if value_ <= 0.03928 else ((value_ + 0.055) / 1.055) ** 2.4

    red, green, blue = color.get_truecolor()
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(one: RichColor, other: RichColor) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def line_of(board: BoardScreen, row: int) -> list[Segment]:
    """The segments of table row `row` as drawn (the header is line 0)."""
    return list(board.table.render_line(row + 1))


def text_of(board: BoardScreen, row: int) -> str:
    return "".join(segment.text for segment in line_of(board, row))


def worst_contrast(board: BoardScreen, row: int) -> tuple[float, str]:
    """The lowest contrast of any visible text on table row `row`, and that text."""
    background = board.table.background_colors[1].rich_color
    worst = (99.0, "")
    for segment in line_of(board, row):
        style = segment.style
        if not segment.text.strip() or style is None or style.color is None:
            continue
        ratio = contrast(style.color, style.bgcolor or background)
        worst = min(worst, (ratio, segment.text.strip()))
    return worst


async def theme(pilot: Pilot[object], board: BoardScreen, name: str) -> None:
    """Switch to theme `name` with ctrl+t, as an operator does, and let the Board redraw."""
    if pilot.app.theme != name:
        await pilot.press("ctrl+t")
    assert pilot.app.theme == name
    await pilot.pause()
    await settle(pilot, board)


def assert_fits(board: BoardScreen, width: int) -> None:
    table = board.table
    assert not table.show_horizontal_scrollbar
    assert table.virtual_size.width <= table.scrollable_content_region.width <= width
    for row in range(table.row_count):
        cells = table.get_row_at(row)
        assert not cells[5].plain.rstrip().endswith(","), cells[5].plain


# ---------------------------------------------------------------- fitting, as functions


def test_paging_now_names_as_many_as_fit_and_counts_the_rest() -> None:
    names = ("arthur", "lancelot", "gawain")
    assert paging_text(names, 40) == "arthur, lancelot, gawain"
    assert paging_text(names, 23) == "arthur, lancelot +1"
    assert paging_text(names, 18) == "arthur +2"
    assert paging_text(names, 9) == "arthur +2"
    assert paging_text(names, 6) == "ar… +2"
    assert paging_text(("percival",), 5) == "perc…"
    assert paging_text((), 10) == "—"


def test_the_summary_takes_what_the_other_columns_leave() -> None:
    wanted = {"mark": 1, "number": 2, "severity": 8, "status": 18, "team": 8}
    wanted |= {"paging": 24, "step": 5, "age": 5, "summary": 30}
    widths = fit_widths(wanted, 140)
    assert widths["paging"] == 24
    assert widths["summary"] == 140 - GAP * len(COLUMNS) - sum(
        width for key, width in widths.items() if key != "summary"
    )
    assert widths["summary"] > 30

    narrow = fit_widths(wanted | {"summary": 60}, 80)
    assert sum(narrow.values()) + GAP * len(COLUMNS) == 80
    assert narrow["paging"] == 10  # paging gives way first, then the status and team
    assert (narrow["status"], narrow["team"]) == (12, 8)
    assert narrow["summary"] == 20


# ---------------------------------------------------------------- fitting, on screen


@pytest.mark.parametrize("width", [120, 80])
async def test_the_board_fits_the_terminal(
    make_app: Callable[[], CltuiApp], board_db: Database, width: int
) -> None:
    """No horizontal scrollbar; paging lists shortened to `arthur +2`; at 120 columns the
    longest summary is whole, at 80 it ends in an ellipsis and the sparkline goes
    uncaptioned."""
    numbers = board_scene(board_db)
    app = make_app()
    async with app.run_test(size=(width, 36)) as pilot:
        board = await board_ready(pilot)
        await settle(pilot, board)
        assert_fits(board, width)
        table = board.table
        certificate = text_of(board, table.numbers.index(numbers["warning"]))
        assert len(certificate) == width
        paging = [table.get_row_at(row)[5].plain.strip() for row in range(table.row_count)]
        assert "arthur +2" in paging
        caption = board.query_one("#sparkline-label", Label).content
        if width == 120:
            assert certificate.rstrip().endswith(CERTIFICATE)
            assert caption == CAPTION
        else:
            assert CERTIFICATE not in certificate
            assert certificate.rstrip().endswith("…")
            assert caption == ""  # no room beside the counts: no half caption


async def test_the_board_fits_again_after_a_resize(
    make_app: Callable[[], CltuiApp], board_db: Database
) -> None:
    numbers = board_scene(board_db)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        board = await board_ready(pilot)
        await settle(pilot, board)
        row = board.table.numbers.index(numbers["warning"])
        for width in (80, 100, 120):
            await pilot.resize_terminal(width, 36)
            await settle(pilot, board)
            assert_fits(board, width)
            assert len(text_of(board, row)) == width
        assert text_of(board, row).rstrip().endswith(CERTIFICATE)


async def test_a_long_board_leaves_room_for_its_vertical_scrollbar(
    make_app: Callable[[], CltuiApp], board_db: Database
) -> None:
    board_scene(board_db)
    for i in range(40):
        raise_at(board_db, START - timedelta(minutes=i), f"Queue {i} on mq-{i} is backing up")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        board = await board_ready(pilot)
        await settle(pilot, board)
        assert board.table.show_vertical_scrollbar
        assert_fits(board, 120 - board.table.styles.scrollbar_size_vertical)


# ---------------------------------------------------------------- readability


@pytest.mark.parametrize("name", [DARK, LIGHT])
async def test_every_kind_of_row_is_readable_under_the_cursor_and_off_it(
    make_app: Callable[[], CltuiApp], board_db: Database, name: str
) -> None:
    """Critical, exhausted, acked (muted), resolved (struck), warning: under the cursor
    every text reads at 4.5:1 or better; off it too, but resolved rows (dimmed on purpose,
    and struck through) at 3:1."""
    numbers = board_scene(board_db)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        board = await board_ready(pilot)
        await theme(pilot, board, name)
        table = board.table
        for kind in ("exhausted", "critical", "warning", "acked", "resolved"):
            row = table.numbers.index(numbers[kind])
            table.move_cursor(row=row)
            await pilot.pause()
            ratio, text = worst_contrast(board, row)
            assert ratio >= TEXT, f"{kind} under the cursor: {text!r} at {ratio:.1f}:1"
            other = (row + 1) % table.row_count
            ratio, text = worst_contrast(board, other)
            least = DIM if table.numbers[other] == numbers["resolved"] else TEXT
            assert ratio >= least, f"row {other} off the cursor: {text!r} at {ratio:.1f}:1"


@pytest.mark.parametrize("name", [DARK, LIGHT])
async def test_the_header_is_readable(
    make_app: Callable[[], CltuiApp], board_db: Database, name: str
) -> None:
    """Every count, the sort/filter note and the caption at 4.5:1; the sparkline's bars,
    lowest and highest, at 3:1 against the header."""
    board_scene(board_db)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        board = await board_ready(pilot)
        await theme(pilot, board, name)
        header = board.query_one(BoardHeader)
        shown = [label for label in header.query(Label) if label.display]
        assert {label.id for label in shown} >= {"count-triggered", "count-exhausted"}
        for label in shown:
            style = label.rich_style
            assert style.color is not None and style.bgcolor is not None
            ratio = contrast(style.color, style.bgcolor)
            assert ratio >= TEXT, f"{label.id} {label.content!r} at {ratio:.1f}:1"
        assert str(header.query_one("#sparkline-label", Label).content) == CAPTION
        sparkline = header.query_one(Sparkline)
        panel = header.background_colors[1]
        for end in ("min", "max"):
            color: Color = sparkline.get_component_styles(f"sparkline--{end}-color").color
            ratio = contrast((panel + color).rich_color, panel.rich_color)
            assert ratio >= DIM, f"sparkline {end} at {ratio:.1f}:1"
