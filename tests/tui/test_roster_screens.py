"""The roster screens driven by key presses over a real roster, engine and fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import DataTable, Static

from cltui.store import roster
from cltui.store.database import Database
from cltui.tui.screens.teams import TeamsScreen
from tests.tui.roster_harness import SIZE, START, RosterHarness, demo_db, settle, until


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = demo_db(tmp_path)
    yield database
    database.close()


def text_of(screen: object, selector: str) -> str:
    """What a Static shows, without its markup."""
    content = screen.query_one(selector, Static).content  # type: ignore[attr-defined]
    return Content.from_markup(content).plain if isinstance(content, str) else str(content)


def order(db: Database, team: str) -> list[str]:
    return [m.handle for m in roster.team(db, team).members]


class TestTeams:
    async def test_reorder_moves_duty_and_the_highlight_follows(self, db: Database) -> None:
        app = RosterHarness(db, TeamsScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, TeamsScreen)
            assert "On duty now: arthur" in text_of(screen, "#team-header")
            assert screen.member == "arthur"

            await pilot.press("J")
            await until(pilot, lambda: order(db, "kings")[:2] == ["lancelot", "arthur"])
            await until(pilot, lambda: "On duty now: lancelot" in text_of(screen, "#team-header"))
            assert screen.member == "arthur"
            table = screen.query_one("#members", DataTable)
            assert table.cursor_row == 1
            assert table.get_row_at(0)[1] == "lancelot"

            await pilot.press("K")
            await until(pilot, lambda: order(db, "kings")[:2] == ["arthur", "lancelot"])
            await until(pilot, lambda: "On duty now: arthur" in text_of(screen, "#team-header"))
            assert screen.member == "arthur"

    async def test_take_over(self, db: Database) -> None:
        app = RosterHarness(db, TeamsScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, TeamsScreen)
            await pilot.press("down", "down")
            assert screen.member == "gawain"
            await pilot.press("o")
            await until(pilot, lambda: roster.team(db, "kings").on_duty(START).handle == "gawain")
            await until(pilot, lambda: "On duty now: gawain" in text_of(screen, "#team-header"))
            table = screen.query_one("#members", DataTable)
            assert "on duty" in str(table.get_row_at(2)[3])
            assert order(db, "kings") == ["arthur", "lancelot", "gawain", "percival"]

    async def test_add_and_remove_member(self, db: Database) -> None:
        app = RosterHarness(db, TeamsScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            await pilot.press("a")
            await until(pilot, lambda: app.screen is not screen)
            await pilot.press("down", "enter")  # guinevere, merlin: pick merlin
            await until(pilot, lambda: "merlin" in order(db, "kings"))
            await until(pilot, lambda: app.screen.member == "merlin")  # type: ignore[attr-defined]
            await pilot.press("x")
            await until(pilot, lambda: "merlin" not in order(db, "kings"))

    async def test_rotation_form_checks_and_saves(self, db: Database) -> None:
        app = RosterHarness(db, TeamsScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            await pilot.press("e")
            await until(pilot, lambda: app.screen is not screen)
            form = app.screen
            shift = form.query_one("#shift")
            shift.value = "1 week"  # type: ignore[attr-defined]
            await pilot.pause()
            assert "is not a duration" in form.query_one("#field-shift").error  # type: ignore[attr-defined]
            await pilot.press("ctrl+s")
            assert app.screen is form
            assert roster.team(db, "kings").policy.shift == 7 * 86400
            shift.value = "1d"  # type: ignore[attr-defined]
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.screen is screen)
            assert roster.team(db, "kings").policy.shift == 86400
            await until(pilot, lambda: "shift 1d" in text_of(screen, "#team-header"))
