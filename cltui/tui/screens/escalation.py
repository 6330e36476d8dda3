"""The Escalation screen: the selected team's escalation steps (method, target, wait) and
repeat count; add, edit, delete and reorder steps, and preview who would be paged when."""

from __future__ import annotations

import asyncio

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Static

from cltui.domain.durations import format_duration
from cltui.domain.errors import Invalid, Refused
from cltui.domain.escalation import Rotation, Step, preview
from cltui.store import roster
from cltui.store.roster import EscalationSpec, TeamView
from cltui.tui.modals.confirm import ConfirmScreen
from cltui.tui.modals.escalation_step_form import EscalationStepForm
from cltui.tui.modals.preview import PreviewScreen
from cltui.tui.screens.roster_base import TeamListScreen, sync_rows

EMPTY_HINT = "No teams yet. Add one on the Teams screen (3, then n), or: cltui roster import FILE"
MAX_REPEAT = 100


def describe_repeat(repeat: int) -> str:
    """What the repeat count means, in words: `Repeat 2: the plan runs 3 times in all …`."""
    runs = "once" if repeat == 0 else f"{repeat + 1} times in all"
    return f"Repeat {repeat}: the plan runs {runs}, then the alert is exhausted (+/- to change)"


class EscalationScreen(TeamListScreen):
    """Teams on the left; the selected team's escalation plan on the right."""

    HELP_TITLE = "Escalation"
    PANES = ("esc-teams", "steps")
    TEAM_LIST, TABLE = PANES

    DEFAULT_CSS = """
    EscalationScreen > Horizontal {
        height: 1fr;
    }
    EscalationScreen #esc-teams-pane {
        width: 28;
        border-right: solid $primary-muted;
    }
    EscalationScreen .pane-title {
        text-style: bold;
        color: $text-accent;
        padding: 0 1;
    }
    EscalationScreen #esc-teams {
        height: 1fr;
        border: none;
    }
    EscalationScreen #esc-pane {
        width: 1fr;
        padding: 0 1;
    }
    EscalationScreen #esc-header {
        height: auto;
        margin-bottom: 1;
    }
    EscalationScreen #steps {
        height: auto;
        max-height: 1fr;
    }
    EscalationScreen #esc-hint {
        color: $text-muted;
        padding: 1 0;
    }
    """

    BINDINGS = [
        Binding("a", "add_step", "Add step", id="escalation.add_step"),
        Binding("e", "edit_step", "Edit step", id="escalation.edit_step"),
        Binding("d", "delete_step", "Delete step", id="escalation.delete_step"),
        Binding("J", "move_step(1)", "Move ↓", id="escalation.move_down"),
        Binding("K", "move_step(-1)", "Move ↑", id="escalation.move_up"),
        Binding("plus", "repeat(1)", "Repeat +1", key_display="+", id="escalation.repeat_more"),
        Binding("minus", "repeat(-1)", "Repeat -1", key_display="-", id="escalation.repeat_less"),
        Binding("p", "preview", "Preview", id="escalation.preview"),
    ]

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield from self.compose_team_list("esc-teams-pane")
            with Vertical(id="esc-pane"):
                yield Static("", id="esc-header")
                table: DataTable[str] = DataTable(id="steps", cursor_type="row", zebra_stripes=True)
                yield table
                yield Static("", id="esc-hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#steps", DataTable)
        table.add_column("#", key="position", width=3)
        table.add_column("Method", key="method", width=17)
        table.add_column("Target", key="target", width=24)
        table.add_column("Wait", key="wait", width=8)
        table.add_column("Then", key="then", width=28)
        table.focus()
        super().on_mount()

    # ------------------------------------------------------------ reading

    def team_count(self, team: TeamView) -> int:
        return len(team.escalation)

    @property
    def step_index(self) -> int | None:
        table = self.query_one("#steps", DataTable)
        return None if table.row_count == 0 else table.cursor_row

    def show(self, team: TeamView, index: int | None = None) -> None:
        self.teams[team.name] = team
        self.show_team(index)

    def show_team(self, index: int | None = None) -> None:
        team = self.team
        header = self.query_one("#esc-header", Static)
        hint = self.query_one("#esc-hint", Static)
        table = self.query_one("#steps", DataTable)
        same = team is not None and team.name == self.shown
        keep = index if index is not None else (self.step_index if same else 0)
        self.shown = team.name if team else None
        if team is None:
            sync_rows(table, [])
            header.update("")
            hint.update(EMPTY_HINT if self.loaded else "")
            return
        header.update(f"[b]{team.name}[/b]  {team.description}\n{describe_repeat(team.repeat)}")
        last = len(team.escalation) - 1
        rows: list[tuple[str, tuple[str, ...]]] = []
        for i, step in enumerate(team.escalation):
            if i < last:
                then = f"step {i + 2} after {format_duration(step.wait)}"
            elif team.repeat:
                then = f"back to step 1 after {format_duration(step.wait)}"
            else:
                then = f"exhausted after {format_duration(step.wait)}"
            cells = (
                str(i + 1),
                step.method.replace("_", " "),
                step.target or "—",
                format_duration(step.wait),
                then,
            )
            rows.append((str(i), cells))
        # Steps are known by their place in the plan: row i always shows step i + 1.
        sync_rows(table, rows, None if keep is None else str(max(0, min(keep, last))))
        hint.update(
            "No escalation steps: alerts for this team page nobody. Press a to add one."
            if not team.escalation
            else "p previews who would be paged when."
        )

    # ------------------------------------------------------------ changing

    async def _save_steps(
        self, team: TeamView, steps: list[EscalationSpec], index: int, repeat: int | None = None
    ) -> TeamView:
        """Store the plan; a problem with step `index` is the form's to show."""
        try:
            changed = await self.ctx.engine.edit_roster(
                roster.set_escalation, team.name, steps, repeat=repeat, actor=self.ctx.operator
            )
        except Invalid as error:
            if error.field.startswith(f"escalation[{index + 1}]"):
                raise Invalid(error.field.rsplit(".", 1)[-1], error.problem) from None
            raise Refused(str(error)) from None
        self.show(changed, index)
        return changed

    async def _open_form(self, index: int, replace: bool) -> None:
        team = self.team
        if team is None:
            return
        people = await asyncio.to_thread(roster.people, self.ctx.db)
        existing = team.escalation[index] if replace else None

        async def save(step: EscalationSpec) -> None:
            current = self.teams.get(team.name, team)
            steps = list(current.escalation)
            if replace:
                steps[index] = step
            else:
                steps.insert(index, step)
            await self._save_steps(current, steps, index)

        self.app.push_screen(EscalationStepForm(team.name, people, existing, save))

    async def action_add_step(self) -> None:
        team = self.team
        if team is None:
            return
        index = self.step_index
        await self._open_form(len(team.escalation) if index is None else index + 1, False)

    async def action_edit_step(self) -> None:
        index = self.step_index
        if index is not None:
            await self._open_form(index, True)

    @on(DataTable.RowSelected, "#steps")
    async def _row_selected(self) -> None:
        await self.action_edit_step()

    def action_delete_step(self) -> None:
        team, index = self.team, self.step_index
        if team is None or index is None:
            return
        step = team.escalation[index]
        question = (
            f"Delete step {index + 1} of the {team.name} escalation plan "
            f"({step.describe()}, wait {format_duration(step.wait)})?"
        )

        async def answered(yes: bool | None) -> None:
            if not yes:
                return
            steps = list(self.teams.get(team.name, team).escalation)
            if not index < len(steps) or steps[index] != step:
                self.notify("The plan changed meanwhile: nothing deleted.", severity="warning")
                return
            steps.pop(index)
            changed = await self.write(roster.set_escalation, team.name, steps)
            if changed is not None:
                self.show(changed, min(index, len(steps) - 1))
                self.notify(f"Step {index + 1} ({step.describe()}) deleted")

        self.app.push_screen(ConfirmScreen(question, yes="Delete", title="Delete step"), answered)

    async def action_move_step(self, delta: int) -> None:
        team, index = self.team, self.step_index
        if team is None or index is None:
            return
        target = index + delta
        if not 0 <= target < len(team.escalation):
            return
        steps = list(team.escalation)
        steps.insert(target, steps.pop(index))
        changed = await self.write(roster.set_escalation, team.name, steps)
        if changed is not None:
            self.show(changed, target)

    async def action_repeat(self, delta: int) -> None:
        team = self.team
        if team is None:
            return
        repeat = team.repeat + delta
        if not 0 <= repeat <= MAX_REPEAT:
            most = "fewest" if repeat < 0 else "most"
            runs = "once" if team.repeat == 0 else f"{team.repeat + 1} times in all"
            self.notify(f"Repeat is {team.repeat}: the plan runs {runs}, the {most} it can.")
            return
        changed = await self.write(
            roster.set_escalation, team.name, list(team.escalation), repeat=repeat
        )
        if changed is not None:
            self.show(changed)

    def action_preview(self) -> None:
        team = self.team
        if team is None:
            return
        now = self.ctx.clock.now()
        rotation = Rotation(tuple(m.handle for m in team.members), team.policy, team.offset)
        steps = [Step(s.method, s.target, s.wait) for s in team.escalation]
        planned, exhausted_at = preview(steps, team.repeat, rotation, now)
        self.app.push_screen(PreviewScreen(team.name, planned, exhausted_at, now, team.policy.zone))
