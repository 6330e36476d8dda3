"""The Teams screen: each team's members in rotation order, who is on duty now and when
each member's next shift starts; add, edit (rename) and delete teams, reorder the rotation,
take over, add and remove members, and edit the rotation policy. Every change is saved at
once, through the engine."""

from __future__ import annotations

import asyncio
from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Static

from cltui.domain.durations import format_duration
from cltui.domain.errors import Invalid, Refused
from cltui.domain.rotation import handoff_at, member_schedule, shift_index
from cltui.store import roster
from cltui.store.roster import TeamView
from cltui.tui.modals.confirm import ConfirmScreen
from cltui.tui.modals.member_picker import MemberPicker
from cltui.tui.modals.rotation_form import RotationChange, RotationForm
from cltui.tui.modals.team_form import TeamForm, TeamInput
from cltui.tui.screens.roster_base import (
    TeamListScreen,
    cursor_key,
    local_time,
    relative,
    sync_rows,
)

EMPTY_HINT = "No teams yet. Press n to add one, or import a roster: cltui roster import FILE"


def describe_rotation(team: TeamView, now: datetime) -> str:
    """`every 7d; next handoff Mon 30 Nov 09:00 GMT (Europe/London)`."""
    policy = team.policy
    if not policy.shift:
        return f"no shifts: duty moves only by take over ({policy.zone})"
    following = handoff_at(policy, shift_index(policy, now) + 1)
    return (
        f"every {format_duration(policy.shift)}; next handoff "
        f"{local_time(following, policy.zone)} ({policy.zone})"
    )


class TeamsScreen(TeamListScreen):
    """Teams on the left; the selected team's rotation on the right."""

    HELP_TITLE = "Teams"
    PANES = ("teams", "members")
    TEAM_LIST, TABLE = PANES

    DEFAULT_CSS = """
    TeamsScreen > Horizontal {
        height: 1fr;
    }
    TeamsScreen #teams-pane {
        width: 22;
        border-right: solid $primary-muted;
    }
    TeamsScreen .pane-title {
        text-style: bold;
        color: $text-accent;
        padding: 0 1;
    }
    TeamsScreen #teams {
        height: 1fr;
        border: none;
    }
    TeamsScreen #team-pane {
        width: 1fr;
        padding: 0 1;
    }
    TeamsScreen #team-header {
        height: auto;
        margin-bottom: 1;
    }
    TeamsScreen #members {
        height: 1fr;
    }
    TeamsScreen #teams-hint {
        color: $text-muted;
        padding: 1;
    }
    """

    BINDINGS = [
        Binding("n", "new_team", "New", id="teams.new_team"),
        Binding("E", "edit_team", "Edit", id="teams.edit_team"),
        Binding("d", "delete_team", "Delete", id="teams.delete_team"),
        Binding("J", "move_member(1)", "Move ↓", id="teams.move_down"),
        Binding("K", "move_member(-1)", "Move ↑", id="teams.move_up"),
        Binding("o", "take_over", "Take over", id="teams.take_over"),
        Binding("a", "add_member", "Add member", id="teams.add_member"),
        Binding("x", "remove_member", "Remove", id="teams.remove_member"),
        Binding("e", "edit_rotation", "Rotation", id="teams.edit_rotation"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield from self.compose_team_list("teams-pane")
            with Vertical(id="team-pane"):
                yield Static("", id="team-header")
                table: DataTable[str] = DataTable(
                    id="members", cursor_type="row", zebra_stripes=True
                )
                yield table
                yield Static("", id="teams-hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#members", DataTable)
        table.add_column("#", key="position", width=3)
        table.add_column("Member", key="handle", width=12)
        table.add_column("Name", key="name", width=20)
        table.add_column("Duty", key="duty", width=10)
        table.add_column("Next shift", key="next", width=40)
        table.focus()
        self.set_interval(30, self.show_team)
        super().on_mount()

    # ------------------------------------------------------------ reading

    def team_count(self, team: TeamView) -> int:
        return len(team.members)

    @property
    def member(self) -> str | None:
        """The handle of the highlighted member."""
        return cursor_key(self.query_one("#members", DataTable))

    def now(self) -> datetime:
        return self.ctx.clock.now()

    def show(self, team: TeamView, member: str | None = None) -> None:
        """Take a team view fresh from a write and show it with `member` highlighted."""
        self.teams[team.name] = team
        self.show_team(member)

    def show_team(self, member: str | None = None) -> None:
        team = self.team
        header = self.query_one("#team-header", Static)
        table = self.query_one("#members", DataTable)
        hint = self.query_one("#teams-hint", Static)
        same = team is not None and team.name == self.shown
        keep = member or (self.member if same else None)
        self.shown = team.name if team else None
        table.display = team is not None
        if team is None:
            sync_rows(table, [])
            header.update("")
            hint.update(EMPTY_HINT if self.loaded else "")
            return
        now = self.now()
        on_duty = team.on_duty(now)
        lines = [f"[b]{team.name}[/b]  {team.description}".rstrip()]
        lines.append(f"Rotation: {describe_rotation(team, now)}")
        lines.append(f"On duty now: [b]{on_duty.handle}[/b]" if on_duty else "On duty now: nobody")
        header.update("\n".join(lines))
        schedule = member_schedule(len(team.members), team.policy, team.offset, now)
        zone = team.policy.zone
        rows: list[tuple[str, tuple[str, ...]]] = []
        for person, shift in zip(team.members, schedule, strict=True):
            if shift.on_duty:
                duty = "● on duty"
                upcoming = (
                    f"until {local_time(shift.ends_at, zone)} ({relative(shift.ends_at, now)})"
                    if shift.ends_at
                    else "until someone takes over"
                )
            else:
                duty = ""
                upcoming = (
                    f"{local_time(shift.starts_at, zone)} ({relative(shift.starts_at, now)})"
                    if shift.starts_at
                    else "when they take over (o)"
                )
            cells = (str(shift.position + 1), person.handle, person.name, duty, upcoming)
            rows.append((person.handle, cells))
        sync_rows(table, rows, keep, None if same else 0)
        hint.update("" if team.members else "No members yet: press a to add one.")

    # ------------------------------------------------------------ teams

    def action_new_team(self) -> None:
        self._team_form(None)

    def action_edit_team(self) -> None:
        if self.team is not None:
            self._team_form(self.team)

    def _team_form(self, team: TeamView | None) -> None:
        """Add a team, or change `team` (its name too)."""

        async def save(given: TeamInput) -> None:
            saved = await self.ctx.engine.edit_roster(
                roster.save_team,
                given.name,
                description=given.description,
                shift=given.shift,
                handoff=given.handoff,
                zone=given.zone,
                repeat=given.repeat,
                original=team.name if team else None,
                actor=self.ctx.operator,
            )
            if team is not None:
                self.teams.pop(team.name, None)
            self.teams[saved.name] = saved
            self.list_teams(saved.name)
            self.show_team()
            if team is None:
                self.notify(f"Team {saved.name} added: press a to add its members")
            elif team.name != saved.name:
                self.notify(f"Team {team.name} is now {saved.name}")
            else:
                self.notify(f"Team {saved.name} saved")

        self.app.push_screen(TeamForm(self.now(), save, team))

    def action_delete_team(self) -> None:
        team = self.team
        if team is None:
            return
        members = f"{len(team.members)} member{'' if len(team.members) == 1 else 's'}"
        steps = f"{len(team.escalation)} escalation step{'' if len(team.escalation) == 1 else 's'}"
        question = f"Delete team {team.name} ({members}, {steps})? People stay on the roster."

        async def answered(yes: bool | None) -> None:
            if not yes:
                return
            try:
                await self.ctx.engine.edit_roster(
                    roster.delete_team, team.name, actor=self.ctx.operator
                )
            except (Invalid, Refused) as error:
                self.notify(str(error), title="Not deleted", severity="error")
                return
            self.teams.pop(team.name, None)
            self.list_teams(None)
            self.show_team()
            self.notify(f"Team {team.name} deleted")

        self.app.push_screen(ConfirmScreen(question, yes="Delete", title="Delete team"), answered)

    # ------------------------------------------------------------ members

    async def action_move_member(self, delta: int) -> None:
        team, handle = self.team, self.member
        if team is None or handle is None:
            return
        changed = await self.write(roster.move_member, team.name, handle, delta)
        if changed is not None:
            self.show(changed, handle)

    async def action_take_over(self) -> None:
        team, handle = self.team, self.member
        if team is None or handle is None:
            return
        changed = await self.write(roster.take_over, team.name, handle, now=self.now())
        if changed is not None:
            self.show(changed, handle)
            self.notify(f"{handle} is on duty for {team.name} now")

    def action_remove_member(self) -> None:
        team, handle = self.team, self.member
        if team is None or handle is None:
            return
        question = f"Remove {handle} from {team.name}? They stay on the roster."

        async def answered(yes: bool | None) -> None:
            if not yes:
                return
            current = self.teams.get(team.name, team)
            rest = [m.handle for m in current.members if m.handle != handle]
            changed = await self.write(roster.set_members, team.name, rest, keep_on_duty=True)
            if changed is not None:
                self.show(changed)
                self.notify(f"{handle} left {team.name}")

        self.app.push_screen(ConfirmScreen(question, yes="Remove", title="Remove member"), answered)

    async def action_add_member(self) -> None:
        team = self.team
        if team is None:
            return
        people = await asyncio.to_thread(roster.people, self.ctx.db)
        members = {m.handle for m in team.members}
        candidates = [p for p in people if p.handle not in members]

        async def picked(handle: str | None) -> None:
            if handle is None:
                return
            current = self.teams.get(team.name, team)
            handles = [m.handle for m in current.members] + [handle]
            changed = await self.write(roster.set_members, team.name, handles, keep_on_duty=True)
            if changed is not None:
                self.show(changed, handle)

        self.app.push_screen(MemberPicker(team.name, candidates), picked)

    def action_edit_rotation(self) -> None:
        team = self.team
        if team is None:
            return

        async def save(change: RotationChange) -> None:
            current = self.teams.get(team.name, team)
            changed = await self.ctx.engine.edit_roster(
                roster.save_team,
                team.name,
                description=current.description,
                shift=change.shift,
                handoff=change.handoff,
                zone=change.zone,
                repeat=current.repeat,
                original=team.name,
                actor=self.ctx.operator,
            )
            self.show(changed)

        self.app.push_screen(RotationForm(team.name, team.policy, save))
