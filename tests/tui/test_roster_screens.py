"""The roster screens driven by key presses over a real roster, engine and fake clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import DataTable, Input, Select, Static

from cltui.store import roster
from cltui.store.database import Database
from cltui.tui.app import CltuiApp
from cltui.tui.modals.contact_form import ContactForm
from cltui.tui.modals.escalation_step_form import EscalationStepForm
from cltui.tui.modals.member_picker import MemberPicker
from cltui.tui.modals.person_form import PersonForm
from cltui.tui.modals.preview import PreviewScreen
from cltui.tui.modals.rotation_form import RotationForm
from cltui.tui.screens.escalation import EscalationScreen
from cltui.tui.screens.people import EMPTY_HINT, PeopleScreen
from cltui.tui.screens.teams import TeamsScreen
from tests.sinks import HttpSink
from tests.tui.roster_harness import (
    SIZE,
    START,
    RosterHarness,
    demo_db,
    empty_db,
    opened,
    settle,
    until,
)


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
            await pilot.press("a")
            await opened(pilot, MemberPicker)
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
            form = await opened(pilot, RotationForm)
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
            form = await opened(pilot, EscalationStepForm)
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
            form = await opened(pilot, EscalationStepForm)
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


def handles(db: Database) -> list[str]:
    return [p.handle for p in roster.people(db)]


class TestPeople:
    async def test_empty_roster_says_how_to_start(self, tmp_path: Path) -> None:
        db = empty_db(tmp_path)
        app = RosterHarness(db, PeopleScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert text_of(app.screen, "#people-hint") == EMPTY_HINT
        db.close()

    async def test_bad_handle_is_shown_inline_and_nothing_is_saved(self, db: Database) -> None:
        before = handles(db)
        app = RosterHarness(db, PeopleScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            await pilot.press("a")
            form = await opened(pilot, PersonForm)
            await pilot.press(*"Bad Handle")
            await pilot.pause()
            assert form.query_one("#field-handle").error == (  # type: ignore[attr-defined]
                '"Bad Handle" is not a handle (use 1-64 of a-z, 0-9, ".", "_", "-"; no spaces)'
            )
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is form
            assert handles(db) == before

            # A clash only the store can see comes back on the same field.
            form.query_one("#handle", Input).value = "arthur"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: "taken" in form.query_one("#field-handle").error)  # type: ignore[attr-defined]
            assert form.query_one("#field-handle").error == (  # type: ignore[attr-defined]
                '"arthur" is taken by Arthur Pendragon'
            )
            assert handles(db) == before

            form.query_one("#handle", Input).value = "bedivere"
            form.query_one("#name", Input).value = "Bedivere"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.screen is screen)
            assert "bedivere" in handles(db)
            assert screen.person.handle == "bedivere"  # type: ignore[attr-defined]

    async def test_contact_url_is_checked_and_shown_masked(self, db: Database) -> None:
        app = RosterHarness(db, PeopleScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            await pilot.press("tab", "a")  # contacts of arthur
            form = await opened(pilot, ContactForm)
            form.query_one("#label", Input).value = "sms"
            url = form.query_one("#url", Input)
            url.focus()
            await pilot.press(*"nonsense")
            await pilot.pause()
            assert "is not an apprise URL" in form.query_one("#field-url").error  # type: ignore[attr-defined]
            url.value = "tgram://123456789:AAbbCCddEEffGGhhIIjjKKllMMnnOOppQQr/12345678"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.screen is screen)
            assert roster.person(db, "arthur").contact("sms") is not None
            table = screen.query_one("#contacts", DataTable)
            await until(pilot, lambda: table.row_count == 3)
            shown = str(table.get_row_at(2)[1])
            assert "AAbbCC" not in shown
            assert shown.startswith("tgram://")

    async def test_reorder_plan_steps(self, db: Database) -> None:
        app = RosterHarness(db, PeopleScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            await pilot.press("tab", "tab")  # the plan
            assert screen.focused.id == "plan"  # type: ignore[union-attr]
            await pilot.press("J")
            await until(
                pilot,
                lambda: [s.contact for s in roster.person(db, "arthur").plan] == ["chat", "push"],
            )
            # the repeat stays with the last step
            assert [s.repeat for s in roster.person(db, "arthur").plan] == [0, 300]
            table = screen.query_one("#plan", DataTable)
            await until(pilot, lambda: table.cursor_row == 1)
            await pilot.press("K")
            await until(
                pilot,
                lambda: [s.contact for s in roster.person(db, "arthur").plan] == ["push", "chat"],
            )


class TestTestNotification:
    async def test_t_delivers_to_the_sink_and_shows_the_outcome(self, tmp_path: Path) -> None:
        with HttpSink() as sink:
            db = demo_db(tmp_path, sink.apprise_url)
            sink.fail_paths.add("/arthur-chat")
            app = RosterHarness(db, PeopleScreen)
            async with app.run_test(size=SIZE) as pilot:
                await settle(pilot)
                screen = app.screen
                table = screen.query_one("#contacts", DataTable)
                await pilot.press("tab", "t")
                got = await sink.await_for(lambda r: any(x.path == "/arthur-push" for x in r))
                assert "test of arthur's contact" in got[0].json["message"]
                await until(pilot, lambda: table.get_row_at(0)[2] == "delivered")
                await pilot.press("down", "t")
                await until(pilot, lambda: str(table.get_row_at(1)[2]).startswith("failed: "))
            db.close()


class TestThroughTheConsole:
    """The same screens as modes of the real console (`3` Teams, `4` Escalation)."""

    async def test_reorder_on_teams_then_preview_on_escalation(
        self, make_app: Callable[[], CltuiApp], board_db: Database
    ) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("3")
            await until(pilot, lambda: isinstance(app.screen, TeamsScreen) and app.screen.loaded)
            teams = app.screen
            assert isinstance(teams, TeamsScreen)
            teams.query_one("#members", DataTable).focus()
            await pilot.press("J")
            await until(pilot, lambda: order(board_db, "kings")[:2] == ["lancelot", "arthur"])
            await until(pilot, lambda: "On duty now: lancelot" in text_of(teams, "#team-header"))
            assert teams.member == "arthur"

            await pilot.press("4")
            await until(
                pilot, lambda: isinstance(app.screen, EscalationScreen) and app.screen.loaded
            )
            app.screen.query_one("#steps", DataTable).focus()
            await pilot.press("p")
            preview = await opened(pilot, PreviewScreen)
            assert isinstance(preview, PreviewScreen)
            assert [p.pages for p in preview.planned[:2]] == [("lancelot",), ("arthur",)]
