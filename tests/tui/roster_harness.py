"""A small app for testing the roster screens on their own: a real SQLite roster (the demo
one), a real engine with the apprise notifier, a fake clock, and one roster screen pushed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import work
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from cltui.demo import build_roster
from cltui.engine.clock import FakeClock
from cltui.engine.notifier import AppriseNotifier
from cltui.engine.runner import Engine
from cltui.store.database import Database
from cltui.tui.context import ConsoleContext, EngineEvent
from tests.conftest import START
from tests.tui.board_harness import until

SIZE = (120, 36)


def fixed_url(who: str) -> str:
    """A contact URL that never changes between runs (for snapshots; nothing is sent)."""
    return f"json://inbox.example.com/{who}"


def demo_db(folder: Path, url: Callable[[str], str] = fixed_url) -> Database:
    db = Database(f"sqlite:///{folder / 'roster.db'}")
    build_roster(db, url, START)
    return db


def empty_db(folder: Path) -> Database:
    return Database(f"sqlite:///{folder / 'empty.db'}")


class RosterHarness(App[None]):
    """Pushes `screen()` over an otherwise empty app whose `ctx` is a real console context;
    the engine starts on the app's loop, and its bus events reach every screen."""

    def __init__(self, db: Database, screen: Callable[[], Screen[None]]) -> None:
        super().__init__()
        self.clock = FakeClock(START)
        self.ctx = ConsoleContext(
            db=db,
            engine=Engine(db, AppriseNotifier(), clock=self.clock),
            clock=self.clock,
            operator="tester",
        )
        self._screen = screen

    async def on_mount(self) -> None:
        await self.ctx.engine.start(lead=False)
        self.pump()
        await self.push_screen(self._screen())

    async def on_unmount(self) -> None:
        await self.ctx.engine.stop()

    @work(exclusive=True, group="engine-events")
    async def pump(self) -> None:
        with self.ctx.engine.bus.subscribe() as subscription:
            async for event in subscription:
                for screen in self.screen_stack:
                    screen.post_message(EngineEvent(event))


async def settle(pilot: Pilot[object]) -> None:
    """Wait for the roster screen to load; stop input cursors blinking (for snapshots)."""
    app = pilot.app
    await until(pilot, lambda: any(getattr(s, "loaded", False) for s in app.screen_stack))
    await pilot.pause()
    for field in app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def opened(pilot: Pilot[object], modal: type[Screen[object]]) -> Screen[object]:
    """Wait until `modal` is on top with its first field focused (ready for keys)."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, modal) and app.screen.focused is not None)
    return app.screen
