"""The command palette (ctrl+p): every action of the console, by name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from textual.app import App


@dataclass(frozen=True)
class Command:
    title: str
    help: str
    mode: str | None
    action: str


COMMANDS: tuple[Command, ...] = (
    Command("Board", "Show the live alert board", None, "app.switch_mode('board')"),
    Command("People", "Edit people, contacts and plans", None, "app.switch_mode('people')"),
    Command("Teams", "Edit teams and rotations", None, "app.switch_mode('teams')"),
    Command("Escalation", "Edit team escalation plans", None, "app.switch_mode('escalation')"),
    Command("Acknowledge", "Acknowledge the alert(s) under the cursor", "board", "acknowledge"),
    Command("Resolve", "Resolve the alert(s) under the cursor", "board", "resolve"),
    Command("Escalate now", "Run the next escalation step now", "board", "escalate"),
    Command("Timeline", "Show the alert's timeline", "board", "timeline"),
    Command("New alert", "Raise an alert by hand", "board", "new_alert"),
    Command("Filter alerts", "Filter by text, team, severity or status", "board", "filter"),
    Command("Clear filter", "Show every alert again", "board", "clear_filter"),
    Command("Cycle sort", "Sort the board another way", "board", "cycle_sort"),
    Command("Select alert", "Add the alert under the cursor to the selection", "board", "select"),
    Command(
        "Toggle dark / light", "Switch between the dark and light theme", None, "app.toggle_theme"
    ),
    Command("Help", "Every key of the current screen", None, "app.help"),
    Command("Quit", "Leave the console", None, "app.quit"),
)


async def run_command(app: App[object], command: Command) -> None:
    """Switch to the command's screen if it has one, then run its action there."""
    if command.mode is None:
        await app.run_action(command.action)
        return
    if app.current_mode != command.mode:
        await app.switch_mode(command.mode)
    await app.run_action(command.action, app.screen)


class ConsoleCommands(Provider):
    """Every console action, searchable by name."""

    def _callback(self, command: Command) -> Callable[[], Awaitable[None]]:
        return partial(run_command, self.app, command)

    async def discover(self) -> Hits:
        for command in COMMANDS:
            yield DiscoveryHit(command.title, self._callback(command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in COMMANDS:
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(command.title),
                    self._callback(command),
                    help=command.help,
                )
