"""The roster screens driven by key presses over a real roster, engine and fake clock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import DataTable, Input, OptionList, Select, Static

from cltui.store import alerts, roster
from cltui.store.database import Database
from cltui.tui.app import CltuiApp
from cltui.tui.modals.confirm import ConfirmScreen
from cltui.tui.modals.contact_form import ContactForm
from cltui.tui.modals.escalation_step_form import EscalationStepForm
from cltui.tui.modals.help import HelpScreen
from cltui.tui.modals.help import screen_keys as screen_keys_of
from cltui.tui.modals.member_picker import MemberPicker
from cltui.tui.modals.person_form import PersonForm
from cltui.tui.modals.preview import PreviewScreen
from cltui.tui.modals.rotation_form import RotationForm
from cltui.tui.modals.team_form import TeamForm
from cltui.tui.screens import escalation as escalation_screen
from cltui.tui.screens import teams as teams_screen
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


def notes(app: object) -> list[str]:
    """The messages of the notifications on screen."""
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]


def never_cleared(table: DataTable[object]) -> None:
    """Make `clear()` on `table` fail the test: rows must be updated by key."""

    def refuse(*_: object, **__: object) -> DataTable[object]:
        raise AssertionError(f"#{table.id} was cleared")

    table.clear = refuse  # type: ignore[method-assign]


def row_keys(table: DataTable[object]) -> list[str | None]:
    return [row.key.value for row in table.ordered_rows]


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
            picker = await opened(pilot, MemberPicker)
            choices = picker.query_one(OptionList)
            await until(pilot, lambda: choices.highlighted == 0)  # guinevere, then merlin
            await pilot.press("down")
            await until(pilot, lambda: choices.highlighted == 1)
            await pilot.press("enter")
            await until(pilot, lambda: "merlin" in order(db, "kings"))
            await until(pilot, lambda: app.screen.member == "merlin")  # type: ignore[attr-defined]
            await pilot.press("x")
            await opened(pilot, ConfirmScreen)
            await pilot.press("y")
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
            await until(pilot, lambda: "every 1d" in text_of(screen, "#team-header"))

    async def test_new_team_is_checked_like_the_store_then_saved_and_shown(
        self, db: Database
    ) -> None:
        app = RosterHarness(db, TeamsScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, TeamsScreen)
            await pilot.press("n")
            form = await opened(pilot, TeamForm)
            await pilot.press(*"Night Shift")
            await pilot.pause()
            assert form.query_one("#field-name").error == (  # type: ignore[attr-defined]
                '"Night Shift" is not a handle (use 1-64 of a-z, 0-9, ".", "_", "-"; no spaces)'
            )
            form.query_one("#repeat", Input).value = "101"
            await pilot.pause()
            assert "not a whole number from 0 to 100" in form.query_one("#field-repeat").error  # type: ignore[attr-defined]
            await pilot.press("enter")
            await pilot.pause()
            assert app.screen is form
            assert [t.name for t in roster.teams(db)] == ["kings", "wizards"]

            # A clash only the store can see comes back on the name field.
            form.query_one("#name", Input).value = "kings"
            form.query_one("#repeat", Input).value = "1"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: "exists already" in form.query_one("#field-name").error)  # type: ignore[attr-defined]

            form.query_one("#name", Input).value = "night"
            form.query_one("#description", Input).value = "Nights and weekends"
            form.query_one("#shift", Input).value = "12h"
            form.query_one("#handoff", Input).value = "2026-11-26T20:00:00+01:00"
            form.query_one("#zone", Input).value = "Europe/Paris"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.screen is screen)
            night = roster.team(db, "night")
            assert (night.description, night.policy.shift, night.policy.zone, night.repeat) == (
                "Nights and weekends",
                12 * 3600,
                "Europe/Paris",
                1,
            )
            assert night.policy.handoff == START.replace(hour=19)
            await until(pilot, lambda: screen.team is not None and screen.team.name == "night")
            assert "night  Nights and weekends" in text_of(screen, "#team-header")
            assert text_of(screen, "#teams-hint") == "No members yet: press a to add one."
            assert screen.query_one("#members", DataTable).row_count == 0

    async def test_edit_team_renames_it_and_keeps_members_and_plan(self, db: Database) -> None:
        before = roster.team(db, "kings")
        app = RosterHarness(db, TeamsScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, TeamsScreen)
            await pilot.press("E")
            form = await opened(pilot, TeamForm)
            assert str(form.query_one("#form-title", Static).content) == "Edit team kings"
            assert form.query_one("#name", Input).value == "kings"
            assert form.query_one("#description", Input).value == before.description
            assert form.query_one("#shift", Input).value == "7d"
            assert form.query_one("#zone", Input).value == before.policy.zone
            assert form.query_one("#repeat", Input).value == str(before.repeat)

            form.query_one("#name", Input).value = "wizards"  # taken: said on the name field
            await pilot.press("ctrl+s")
            await until(pilot, lambda: "exists already" in form.query_one("#field-name").error)  # type: ignore[attr-defined]

            form.query_one("#name", Input).value = "round-table"
            form.query_one("#description", Input).value = "Knights of the round table"
            await pilot.press("ctrl+s")
            await until(pilot, lambda: app.screen is screen)
            assert [t.name for t in roster.teams(db)] == ["round-table", "wizards"]
            after = roster.team(db, "round-table")
            assert after.description == "Knights of the round table"
            assert [m.handle for m in after.members] == [m.handle for m in before.members]
            assert after.escalation == before.escalation
            assert (after.policy, after.repeat) == (before.policy, before.repeat)
            await until(
                pilot, lambda: screen.team is not None and screen.team.name == "round-table"
            )
            assert "round-table  Knights of the round table" in text_of(screen, "#team-header")
            assert "Team kings is now round-table" in notes(app)

    async def test_edit_team_escape_changes_nothing(self, db: Database) -> None:
        app = RosterHarness(db, TeamsScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("E")
            form = await opened(pilot, TeamForm)
            form.query_one("#name", Input).value = "other"
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, TeamsScreen))
            assert [t.name for t in roster.teams(db)] == ["kings", "wizards"]

    async def test_delete_team_asks_and_refuses_a_team_with_alerts(self, db: Database) -> None:
        alerts.raise_alert(db, START, "Disk full on db-1", team="kings")
        roster.save_team(db, "spare", description="Nobody yet", now=START)
        app = RosterHarness(db, TeamsScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, TeamsScreen)
            assert screen.team is not None and screen.team.name == "kings"
            await pilot.press("d")
            confirm = await opened(pilot, ConfirmScreen)
            assert "Delete team kings (4 members, 3 escalation steps)?" in str(
                confirm.query_one("#confirm-question").content  # type: ignore[attr-defined]
            )
            await pilot.press("y")
            refusal = "team kings has alerts on record; teams with a history are kept"
            await until(pilot, lambda: refusal in notes(app))
            assert [t.name for t in roster.teams(db)] == ["kings", "spare", "wizards"]

            # n says no; then spare (no alerts) goes.
            screen.query_one("#teams").focus()
            await pilot.press("down")
            assert screen.team is not None and screen.team.name == "spare"
            await pilot.press("d")
            await opened(pilot, ConfirmScreen)
            await pilot.press("n")
            await until(pilot, lambda: app.screen is screen)
            assert "spare" in [t.name for t in roster.teams(db)]
            await pilot.press("d")
            await opened(pilot, ConfirmScreen)
            await pilot.press("y")
            await until(pilot, lambda: "Team spare deleted" in notes(app))
            assert [t.name for t in roster.teams(db)] == ["kings", "wizards"]
            listing = screen.query_one("#teams", OptionList)
            assert [listing.get_option_at_index(i).id for i in range(listing.option_count)] == [
                "kings",
                "wizards",
            ]

    async def test_no_teams_says_press_n_or_import(self, tmp_path: Path) -> None:
        db = empty_db(tmp_path)
        app = RosterHarness(db, TeamsScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert text_of(app.screen, "#teams-hint") == teams_screen.EMPTY_HINT
            assert "Press n" in teams_screen.EMPTY_HINT
            assert "cltui roster import FILE" in teams_screen.EMPTY_HINT
            await pilot.press("n")
            await opened(pilot, TeamForm)
        db.close()

    async def test_members_update_by_row_key_and_the_cursor_stays(self, db: Database) -> None:
        app = RosterHarness(db, TeamsScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, TeamsScreen)
            table = screen.query_one("#members", DataTable)
            never_cleared(table)
            assert row_keys(table) == ["arthur", "lancelot", "gawain", "percival"]
            await pilot.press("down", "down", "J")  # gawain below percival
            await until(pilot, lambda: row_keys(table)[2:] == ["percival", "gawain"])
            assert screen.member == "gawain"
            assert table.cursor_row == 3
            await pilot.press("o")  # gawain takes over: only cells change
            await until(pilot, lambda: "on duty" in str(table.get_row("gawain")[3]))
            assert screen.member == "gawain"
            await pilot.press("x")  # gawain leaves: the cursor stays at the bottom
            await opened(pilot, ConfirmScreen)
            await pilot.press("y")
            await until(pilot, lambda: "gawain" not in row_keys(table))
            assert screen.member == "percival"
            await pilot.press("shift+tab", "down")  # wizards: its own members
            await until(pilot, lambda: row_keys(table) == order(db, "wizards"))
            assert table.cursor_row == 0


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
            await opened(pilot, ConfirmScreen)
            await pilot.press("y")
            await until(pilot, lambda: len(plan(db, "kings")) == 2)
            assert plan(db, "kings")[0][0] == "next_in_rotation"

    async def test_repeat_says_how_many_times_the_plan_runs(self, db: Database) -> None:
        app = RosterHarness(db, EscalationScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert "Repeat 2: the plan runs 3 times in all, then the alert is exhausted" in (
                text_of(screen, "#esc-header")
            )
            assert "+/- to change" in text_of(screen, "#esc-header")
            await pilot.press("minus", "minus")
            await until(pilot, lambda: roster.team(db, "kings").repeat == 0)
            await until(pilot, lambda: "the plan runs once" in text_of(screen, "#esc-header"))
            await pilot.press("minus")  # already the fewest: said, not silently ignored
            await until(pilot, lambda: any("the fewest it can" in n for n in notes(app)))
            assert roster.team(db, "kings").repeat == 0

    async def test_steps_update_by_row_key_and_the_cursor_stays(self, db: Database) -> None:
        app = RosterHarness(db, EscalationScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            table = screen.query_one("#steps", DataTable)
            never_cleared(table)
            await pilot.press("down", "J")
            await until(pilot, lambda: plan(db, "kings")[2][0] == "next_in_rotation")
            await until(pilot, lambda: str(table.get_row("2")[1]) == "next in rotation")
            assert table.cursor_row == 2
            await pilot.press("d")
            await opened(pilot, ConfirmScreen)
            await pilot.press("y")
            await until(pilot, lambda: table.row_count == 2)
            assert row_keys(table) == ["0", "1"]
            assert table.cursor_row == 1
            assert str(table.get_row("1")[4]) == "back to step 1 after 10m"
            await pilot.press("shift+tab", "down")  # wizards
            await until(pilot, lambda: len(row_keys(table)) == len(plan(db, "wizards")))
            assert table.cursor_row == 0


class TestKeysSayWhatTheyDo:
    """What the walk-through found: each key answers, and help names the screen."""

    @pytest.mark.parametrize(
        ("key", "title"), [("2", "People"), ("3", "Teams"), ("4", "Escalation")]
    )
    async def test_help_is_titled_by_the_screen(
        self, make_app: Callable[[], CltuiApp], key: str, title: str
    ) -> None:
        app = make_app()
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(key)
            await until(pilot, lambda: getattr(app.screen, "loaded", False))
            await pilot.press("question_mark")
            help_screen = await opened(pilot, HelpScreen)
            assert help_screen.help_title == title  # type: ignore[attr-defined]
            assert f"Keys: {title}" in str(help_screen.query_one(".dialog-title").content)  # type: ignore[attr-defined]

    async def test_t_and_j_on_the_people_list_say_where_to_go(self, db: Database) -> None:
        app = RosterHarness(db, PeopleScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.screen.focused.id == "people"  # type: ignore[union-attr]
            await pilot.press("t")
            await until(
                pilot, lambda: any("press → to focus the contacts" in n for n in notes(app))
            )
            await pilot.press("J")
            await until(pilot, lambda: any("J and K move a step" in n for n in notes(app)))
            assert [s.contact for s in roster.person(db, "arthur").plan] == ["push", "chat"]

    async def test_escalation_with_no_teams_points_at_the_teams_screen(
        self, tmp_path: Path
    ) -> None:
        db = empty_db(tmp_path)
        app = RosterHarness(db, EscalationScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert text_of(app.screen, "#esc-hint") == escalation_screen.EMPTY_HINT
        db.close()


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


def question(app: object) -> str:
    """The question of the confirmation on top."""
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, ConfirmScreen)
    return screen.question


class TestRemovingAsksFirst:
    """x on a member and d on an escalation or plan step name what goes and wait for y."""

    async def test_remove_member_asks_and_no_keeps_them(self, db: Database) -> None:
        app = RosterHarness(db, TeamsScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("down", "x")
            await opened(pilot, ConfirmScreen)
            assert question(app) == "Remove lancelot from kings? They stay on the roster."
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, TeamsScreen))
            assert "lancelot" in order(db, "kings")
            await pilot.press("x")
            await opened(pilot, ConfirmScreen)
            await pilot.press("y")
            await until(pilot, lambda: "lancelot" not in order(db, "kings"))
            await until(pilot, lambda: "lancelot left kings" in notes(app))
            assert "lancelot" in handles(db)

    async def test_delete_escalation_step_asks_and_escape_keeps_it(self, db: Database) -> None:
        app = RosterHarness(db, EscalationScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            before = plan(db, "kings")
            await pilot.press("down", "down", "d")
            await opened(pilot, ConfirmScreen)
            assert (
                question(app)
                == "Delete step 3 of the kings escalation plan (person merlin, wait 10m)?"
            )
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, EscalationScreen))
            assert plan(db, "kings") == before
            await pilot.press("d")
            await opened(pilot, ConfirmScreen)
            await pilot.press("y")
            await until(pilot, lambda: plan(db, "kings") == before[:2])

    async def test_delete_plan_step_asks_and_no_keeps_it(self, db: Database) -> None:
        app = RosterHarness(db, PeopleScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("tab", "tab")  # the plan
            assert app.screen.focused.id == "plan"  # type: ignore[union-attr]
            await pilot.press("d")
            await opened(pilot, ConfirmScreen)
            assert question(app) == "Delete step 1 of arthur's plan (push, wait 1m)?"
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, PeopleScreen))
            assert len(roster.person(db, "arthur").plan) == 2
            await pilot.press("d")
            await opened(pilot, ConfirmScreen)
            await pilot.press("y")
            await until(
                pilot, lambda: [s.contact for s in roster.person(db, "arthur").plan] == ["chat"]
            )
            assert roster.person(db, "arthur").plan[0].repeat == 300


class TestPanesAndHints:
    """Left/right (h/l) move between the panes, the footer says so, the picker has a hint."""

    async def test_left_and_right_move_between_team_list_and_members(self, db: Database) -> None:
        app = RosterHarness(db, TeamsScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert screen.focused.id == "members"  # type: ignore[union-attr]
            await pilot.press("left")
            await until(pilot, lambda: screen.focused.id == "teams")  # type: ignore[union-attr]
            await pilot.press("left")  # already leftmost: stays
            assert screen.focused.id == "teams"  # type: ignore[union-attr]
            await pilot.press("down")
            await until(pilot, lambda: screen.team is not None and screen.team.name == "wizards")  # type: ignore[attr-defined]
            await pilot.press("l")
            await until(pilot, lambda: screen.focused.id == "members")  # type: ignore[union-attr]
            await pilot.press("h", "up", "right")
            await until(pilot, lambda: screen.focused.id == "members")  # type: ignore[union-attr]
            assert screen.team.name == "kings"  # type: ignore[attr-defined]
            keys = screen_keys_of(screen)
            assert ("←→", "Panes") in keys
            assert [d for _, d in keys].count("Panes") == 1

    async def test_escalation_panes(self, db: Database) -> None:
        app = RosterHarness(db, EscalationScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            assert screen.focused.id == "steps"  # type: ignore[union-attr]
            await pilot.press("h")
            await until(pilot, lambda: screen.focused.id == "esc-teams")  # type: ignore[union-attr]
            await pilot.press("right")
            await until(pilot, lambda: screen.focused.id == "steps")  # type: ignore[union-attr]

    async def test_people_panes_left_to_right(self, db: Database) -> None:
        app = RosterHarness(db, PeopleScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            screen = app.screen
            seen = [screen.focused.id]  # type: ignore[union-attr]
            for key in ("right", "l", "right"):
                await pilot.press(key)
                await pilot.pause()
                seen.append(screen.focused.id)  # type: ignore[union-attr]
            assert seen == ["people", "contacts", "plan", "plan"]
            await pilot.press("left", "h")
            await until(pilot, lambda: screen.focused.id == "people")  # type: ignore[union-attr]

    async def test_member_picker_says_enter_adds_and_esc_cancels(self, db: Database) -> None:
        app = RosterHarness(db, TeamsScreen)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("a")
            picker = await opened(pilot, MemberPicker)
            hint = text_of(picker, "#picker-hint")
            assert "enter adds" in hint and "esc cancels" in hint
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, TeamsScreen))
            assert order(db, "kings") == ["arthur", "lancelot", "gawain", "percival"]


@pytest.mark.parametrize(
    ("screen_type", "table_id"), [(TeamsScreen, "members"), (EscalationScreen, "steps")]
)
async def test_the_shared_team_list_shows_the_highlighted_team_and_enter_focuses_the_table(
    db: Database, screen_type: type[TeamsScreen | EscalationScreen], table_id: str
) -> None:
    """Teams and Escalation share one team list: by name, highlight shows, enter focuses."""
    app = RosterHarness(db, screen_type)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, screen_type)
        options = screen.query_one(f"#{screen.TEAM_LIST}", OptionList)
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == [
            "kings",
            "wizards",
        ]
        await pilot.press("left", "down")
        await until(pilot, lambda: screen.shown == "wizards")
        await pilot.press("enter")
        await until(pilot, lambda: screen.focused.id == table_id)  # type: ignore[union-attr]
