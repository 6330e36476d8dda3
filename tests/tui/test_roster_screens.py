"""The roster screens driven by key presses over a real roster, engine and fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import DataTable, Input, Select, Static

from cltui.store import roster
from cltui.store.database import Database
from cltui.tui.modals.escalation_step_form import EscalationStepForm
from cltui.tui.modals.preview import PreviewScreen
from cltui.tui.screens.escalation import EscalationScreen
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


def plan(db: Database, team: str) -> list[tuple[str, str, int]]:
    return [(s.method, s.target, s.wait) for s in roster.team(db, team).escalation]


class TestEscalation:
    async def test_invalid_target_is_refused_on_the_form_then_a_valid_step_is_previewed(
        self, db: Database
    ) -> None:
        before = plan(db, "kings")
        app = RosterHarness(db, EscalationScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            await pilot.press("a")
            await until(pilot, lambda: isinstance(app.screen, EscalationStepForm))
            form = app.screen
            form.query_one("#method", Select).value = "webhook"
            await pilot.pause()
            assert form.query_one("#field-target-text").display
            assert not form.query_one("#field-target-person").display
            target = form.query_one("#target-text", Input)
            target.focus()
            await pilot.press(*"not a url")
            await pilot.pause()
            error = form.query_one("#field-target-text").error  # type: ignore[attr-defined]
            assert error == '"not a url" is not an http:// or https:// URL'
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is form
            assert plan(db, "kings") == before

            target.value = "https://hooks.example.com/noc"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.screen is screen)
            after = plan(db, "kings")
            assert after[1] == ("webhook", "https://hooks.example.com/noc", 300)
            assert len(after) == 4
            table = screen.query_one("#steps", DataTable)
            await until(pilot, lambda: table.row_count == 4)
            assert table.cursor_row == 1

            await pilot.press("p")
            await until(pilot, lambda: isinstance(app.screen, PreviewScreen))
            preview = app.screen
            assert isinstance(preview, PreviewScreen)
            first = [(p.at - START, p.step.method, p.pages) for p in preview.planned[:4]]
            assert [(d.total_seconds(), m, pages) for d, m, pages in first] == [
                (0, "on_duty", ("arthur",)),
                (300, "webhook", ()),
                (600, "next_in_rotation", ("lancelot",)),
                (900, "person", ("merlin",)),
            ]
            rows = preview.query_one(DataTable)
            assert rows.get_row_at(0)[-1] == "arthur"
            assert rows.get_row_at(1)[-2] == "webhook https://hooks.example.com/noc"
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is screen)

    async def test_person_target_is_picked_from_people(self, db: Database) -> None:
        app = RosterHarness(db, EscalationScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            await pilot.press("down", "down", "e")  # the third step: person merlin
            await until(pilot, lambda: isinstance(app.screen, EscalationStepForm))
            form = app.screen
            person = form.query_one("#target-person", Select)
            assert person.value == "merlin"
            assert not form.query_one("#field-target-text").display
            person.value = "guinevere"
            form.query_one("#wait", Input).value = "5 minutes"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert "is not a duration" in form.query_one("#field-wait").error  # type: ignore[attr-defined]
            assert plan(db, "kings")[2] == ("person", "merlin", 600)
            form.query_one("#wait", Input).value = "15m"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.screen is screen)
            assert plan(db, "kings")[2] == ("person", "guinevere", 900)

    async def test_reorder_delete_and_repeat(self, db: Database) -> None:
        app = RosterHarness(db, EscalationScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            table = screen.query_one("#steps", DataTable)
            await pilot.press("J")
            await until(pilot, lambda: plan(db, "kings")[1][0] == "on_duty")
            await until(pilot, lambda: table.cursor_row == 1)
            await pilot.press("K")
            await until(pilot, lambda: plan(db, "kings")[0][0] == "on_duty")
            await pilot.press("plus")
            await until(pilot, lambda: roster.team(db, "kings").repeat == 3)
            await until(pilot, lambda: "runs 4 times" in text_of(screen, "#esc-header"))
            await pilot.press("d")
            await until(pilot, lambda: len(plan(db, "kings")) == 2)
            assert plan(db, "kings")[0][0] == "next_in_rotation"
