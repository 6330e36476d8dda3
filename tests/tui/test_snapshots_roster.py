"""Screenshots of the People, Teams and Escalation screens and their dialogs at 120x36, on
a fake clock (Thursday 26 Nov 2026, 09:00 UTC) over the demo roster, whose contacts have
fixed URLs (json://inbox.example.com/<handle>-<label>), so every run draws the same."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Select

from cltui.store.database import Database
from cltui.tui.screens.escalation import EscalationScreen
from cltui.tui.screens.people import PeopleScreen
from cltui.tui.screens.teams import TeamsScreen
from tests.tui.roster_harness import SIZE, RosterHarness, demo_db, empty_db, opened, settle, until

Snap = Callable[..., bool]
Step = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = demo_db(tmp_path)
    yield database
    database.close()


def after(*keys: str, modal: type[Screen[Any]] | None = None, then: Step | None = None) -> Step:
    """Wait for the screen to load, press `keys`, wait for `modal`, run `then`."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press(*keys)
        if modal is not None:
            await opened(pilot, modal)
        if then is not None:
            await then(pilot)
        await settle(pilot)

    return run_before


class TestScreens:
    def test_people(self, snap_compare: Snap, db: Database) -> None:
        """People listed by handle, arthur highlighted; his two contacts (push, chat) with
        their URLs, and his plan: push, then after 1m chat, again every 5m until acked."""
        app = RosterHarness(db, PeopleScreen)
        assert snap_compare(app, terminal_size=SIZE, run_before=after())

    def test_people_empty(self, snap_compare: Snap, tmp_path: Path) -> None:
        """No people: the hint says to press a or run `cltui roster import FILE`."""
        app = RosterHarness(empty_db(tmp_path), PeopleScreen)
        assert snap_compare(app, terminal_size=SIZE, run_before=after())

    def test_teams(self, snap_compare: Snap, db: Database) -> None:
        """kings highlighted: every 7d, next handoff Mon 30 Nov 09:00 London; arthur on duty
        until Mon 30 Nov, then lancelot (in 4d), gawain (11d), percival (18d). The footer
        starts with ←→ Panes, then n New, E Edit, d Delete (the team) and ends with e
        Rotation."""
        app = RosterHarness(db, TeamsScreen)
        assert snap_compare(app, terminal_size=SIZE, run_before=after())

    def test_teams_after_reorder(self, snap_compare: Snap, db: Database) -> None:
        """After J on arthur: lancelot first and on duty, arthur second and highlighted."""
        app = RosterHarness(db, TeamsScreen)

        async def moved(pilot: Pilot[Any]) -> None:
            screen = pilot.app.screen
            await until(pilot, lambda: "lancelot" in str(screen.query_one("#team-header").content))

        assert snap_compare(app, terminal_size=SIZE, run_before=after("J", then=moved))

    def test_teams_empty(self, snap_compare: Snap, tmp_path: Path) -> None:
        """No teams: the hint says to press n or run `cltui roster import FILE`."""
        app = RosterHarness(empty_db(tmp_path), TeamsScreen)
        assert snap_compare(app, terminal_size=SIZE, run_before=after())

    def test_escalation(self, snap_compare: Snap, db: Database) -> None:
        """kings: "Repeat 2: the plan runs 3 times in all, then the alert is exhausted (+/- to
        change)"; on duty 5m, next in rotation 5m, person merlin 10m then back to step 1."""
        app = RosterHarness(db, EscalationScreen)
        assert snap_compare(app, terminal_size=SIZE, run_before=after())


class TestModals:
    def test_person_form_bad_handle(self, snap_compare: Snap, db: Database) -> None:
        """Add a person: "Bad Handle" typed, the message under it says what a handle is."""
        app = RosterHarness(db, PeopleScreen)
        from cltui.tui.modals.person_form import PersonForm

        async def typed(pilot: Pilot[Any]) -> None:
            await pilot.press(*"Bad Handle")

        assert snap_compare(
            app, terminal_size=SIZE, run_before=after("a", modal=PersonForm, then=typed)
        )

    def test_contact_form_edit(self, snap_compare: Snap, db: Database) -> None:
        """Edit arthur's push contact: the URL field is empty, its hint shows the current
        URL masked and says an empty field keeps it."""
        from cltui.tui.modals.contact_form import ContactForm

        app = RosterHarness(db, PeopleScreen)
        assert snap_compare(
            app, terminal_size=SIZE, run_before=after("tab", "e", modal=ContactForm)
        )

    def test_plan_step_form(self, snap_compare: Snap, db: Database) -> None:
        """Edit the last step of arthur's plan: contact chat, wait 0s, repeat every 5m."""
        from cltui.tui.modals.plan_step_form import PlanStepForm

        app = RosterHarness(db, PeopleScreen)
        assert snap_compare(
            app,
            terminal_size=SIZE,
            run_before=after("tab", "tab", "down", "e", modal=PlanStepForm),
        )

    def test_member_picker(self, snap_compare: Snap, db: Database) -> None:
        """Add a member to kings: guinevere and merlin, the people not in it yet."""
        from cltui.tui.modals.member_picker import MemberPicker

        app = RosterHarness(db, TeamsScreen)
        assert snap_compare(app, terminal_size=SIZE, run_before=after("a", modal=MemberPicker))

    def test_rotation_form(self, snap_compare: Snap, db: Database) -> None:
        """Rotation of kings: shift 7d, handoff Mon 23 Nov 09:00 UTC, zone Europe/London."""
        from cltui.tui.modals.rotation_form import RotationForm

        app = RosterHarness(db, TeamsScreen)
        assert snap_compare(app, terminal_size=SIZE, run_before=after("e", modal=RotationForm))

    def test_team_form(self, snap_compare: Snap, db: Database) -> None:
        """New team: name and repeat (0; "2 = plan runs 3 times in all") side by side,
        description, shift 7d and zone UTC, handoff now (2026-11-26T09:00:00+00:00)."""
        from cltui.tui.modals.team_form import TeamForm

        app = RosterHarness(db, TeamsScreen)
        assert snap_compare(app, terminal_size=SIZE, run_before=after("n", modal=TeamForm))

    def test_escalation_step_form_bad_webhook(self, snap_compare: Snap, db: Database) -> None:
        """Add a step: method webhook, target "not a url" refused under the field."""
        from cltui.tui.modals.escalation_step_form import EscalationStepForm

        app = RosterHarness(db, EscalationScreen)

        async def webhook(pilot: Pilot[Any]) -> None:
            form = pilot.app.screen
            form.query_one("#method", Select).value = "webhook"
            await pilot.pause()
            form.query_one("#target-text", Input).focus()
            await pilot.press(*"not a url", "enter")

        assert snap_compare(
            app,
            terminal_size=SIZE,
            run_before=after("a", modal=EscalationStepForm, then=webhook),
        )

    def test_escalation_step_form_person(self, snap_compare: Snap, db: Database) -> None:
        """Edit step 3: method person, the target a pick of people (merlin), wait 10m."""
        from cltui.tui.modals.escalation_step_form import EscalationStepForm

        app = RosterHarness(db, EscalationScreen)
        assert snap_compare(
            app,
            terminal_size=SIZE,
            run_before=after("down", "down", "e", modal=EscalationStepForm),
        )

    def test_preview(self, snap_compare: Snap, db: Database) -> None:
        """Preview for kings from 09:00: arthur at +0s, lancelot +5m, merlin +10m, three
        loops 20m apart; exhausted at 10:00 (+1h)."""
        from cltui.tui.modals.preview import PreviewScreen

        app = RosterHarness(db, EscalationScreen)
        assert snap_compare(app, terminal_size=SIZE, run_before=after("p", modal=PreviewScreen))
