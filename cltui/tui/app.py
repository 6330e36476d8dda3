"""The console application: four modes (Board, People, Teams, Escalation), help, the command
palette, the theme toggle, and the worker that carries engine events to every open screen.

The app opens its own runtime (database and engine) when it loads, so the engine always runs
on the app's event loop, and closes it when the app unmounts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker

from cltui.config import Settings
from cltui.engine.bus import Overflowed
from cltui.store import roster
from cltui.store.database import Database
from cltui.tui.commands import ConsoleCommands
from cltui.tui.context import ConsoleContext, EngineEvent
from cltui.tui.failures import report
from cltui.tui.modals.help import HelpScreen
from cltui.tui.screens.board import BoardScreen
from cltui.tui.screens.escalation import EscalationScreen
from cltui.tui.screens.people import PeopleScreen
from cltui.tui.screens.teams import TeamsScreen

Opener = Callable[[], AbstractAsyncContextManager[ConsoleContext]]

DARK, LIGHT = "textual-dark", "textual-light"
EMPTY_ROSTER_HINT = (
    "The roster is empty. Add a person here, or import a roster: cltui roster import FILE"
)


class CltuiApp(App[int]):
    """The on-call console."""

    CSS_PATH = Path(__file__).with_name("cltui.tcss")
    TITLE = "cltui"
    MODES: ClassVar[dict[str, str | Callable[[], Screen]]] = {  # type: ignore[type-arg]
        "board": BoardScreen,
        "people": PeopleScreen,
        "teams": TeamsScreen,
        "escalation": EscalationScreen,
    }
    DEFAULT_MODE = "board"
    COMMANDS = App.COMMANDS | {ConsoleCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "switch_mode('board')", "Board", show=False, id="app.board"),
        Binding("2", "switch_mode('people')", "People", show=False, id="app.people"),
        Binding("3", "switch_mode('teams')", "Teams", show=False, id="app.teams"),
        Binding("4", "switch_mode('escalation')", "Escalation", show=False, id="app.escalation"),
        Binding("j", "move_cursor('down')", "Down", show=False, id="app.down"),
        Binding("k", "move_cursor('up')", "Up", show=False, id="app.up"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False, id="app.toggle_theme"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit"),
    ]

    ctx: ConsoleContext

    def __init__(self, opener: Opener) -> None:
        super().__init__()
        self._opener = opener
        self._stack = AsyncExitStack()
        self.theme = DARK

    # ------------------------------------------------------------ life cycle

    async def on_load(self) -> None:
        self.ctx = await self._stack.enter_async_context(self._opener())

    async def on_mount(self) -> None:
        self.pump_engine_events()
        if self.ctx.api_url:
            self.notify(f"Taking alerts on {self.ctx.api_url}", title="HTTP API", timeout=8)
        if self.ctx.notice:
            self.notify(self.ctx.notice, title="HTTP API", severity="warning", timeout=15)
        people = await asyncio.to_thread(roster.people, self.ctx.db)
        if not people:
            await self.switch_mode("people")
            self.notify(EMPTY_ROSTER_HINT, title="Welcome", timeout=30)
        else:
            await self.switch_mode("board")

    async def on_unmount(self) -> None:
        await self._stack.aclose()

    # ------------------------------------------------------------ engine events

    def mode_screens(self) -> list[Screen[object]]:
        """Every screen of every installed mode, modals included."""
        return [screen for stack in self._screen_stacks.values() for screen in stack]

    @work(exclusive=True, exit_on_error=False, group="engine-events")
    async def pump_engine_events(self) -> None:
        """Carry each bus event to every installed screen as an `EngineEvent`."""
        with self.ctx.engine.bus.subscribe() as subscription:
            async for event in subscription:
                self.broadcast(event)

    def broadcast(self, event: object) -> None:
        assert isinstance(event, Overflowed) or hasattr(event, "kind")
        for screen in self.mode_screens():
            screen.post_message(EngineEvent(event))  # type: ignore[arg-type]

    # ------------------------------------------------------------ actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_mode" and parameters and parameters[0] == self.current_mode:
            return None
        return True

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report(self, event)

    def action_move_cursor(self, direction: str) -> None:
        """j/k move the cursor of whichever list or table has focus, as the arrows do."""
        move = getattr(self.focused, f"action_cursor_{direction}", None)
        if move is not None:
            move()

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT if self.theme == DARK else DARK

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
            return
        self.push_screen(HelpScreen.for_screen(self.screen))


@contextlib.asynccontextmanager
async def open_runtime(settings: Settings, *, demo: bool) -> AsyncIterator[ConsoleContext]:
    """The console's context from a running runtime (`cltui.runtime.running`)."""
    from cltui.runtime import running

    # The demo's API listens on a free port, so it never collides with a real cltui.
    listen = "127.0.0.1:0" if demo else None
    async with running(settings, demo=demo, listen=listen) as runtime:
        yield ConsoleContext(
            runtime.db,
            runtime.engine,
            runtime.clock,
            settings.operator,
            api_url=f"{runtime.api.url}/api/v1" if runtime.api else None,
            notice=runtime.api_error,
        )


def run_console(settings: Settings, *, demo: bool) -> int:
    """Open the console on the configured database (or the demo) and run until quit."""
    if not demo:
        # A database that cannot be opened is said on the command line, before the screen
        # is taken over.
        Database(settings.database).close()
    app = CltuiApp(lambda: open_runtime(settings, demo=demo))
    app.run()
    return app.return_code or 0
