"""Regenerate the README's screenshots: `make screenshots` (`python -m tests.screenshots`).

Opens the console (`CltuiApp`) at 120x36 on a fake clock (Thursday 26 Nov 2026, 09:00 UTC)
over the demo roster in a throwaway SQLite database, with the Board's test scene in it (an
exhausted alert, triggered ones of every severity, one acknowledged, one just resolved), and
saves an SVG of each screen: `board`, `people`, `teams`, `escalation` and
`escalation-preview` (the `p` preview of the kings team's escalation). The engine follows
the database but does not lead, so nothing escalates or is sent while the shots are taken;
contact URLs are fixed (`json://inbox.example.com/<handle>-<label>`), so every run draws the
same pictures.

    python -m tests.screenshots [FOLDER]     # default: screenshots/ at the repository root
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from textual.screen import Screen

from cltui.demo import build_roster
from cltui.engine.clock import FakeClock
from cltui.store.database import Database
from cltui.tui.app import CltuiApp
from cltui.tui.modals.preview import PreviewScreen
from cltui.tui.screens.escalation import EscalationScreen
from cltui.tui.screens.people import PeopleScreen
from cltui.tui.screens.teams import TeamsScreen
from tests.conftest import REPO, START
from tests.tui import roster_harness
from tests.tui.board_harness import SIZE, board_ready, board_scene, console_context, settle, until
from tests.tui.roster_harness import fixed_url, opened

FOLDER = REPO / "screenshots"
NAMES = ("board", "people", "teams", "escalation", "escalation-preview")
"""The files written, `<name>.svg` each, in the order they are taken."""


def scene_db(folder: Path) -> Database:
    """The demo roster (built three days before the clock's time, as in the Board tests)
    with the Board's scene of alerts, in `folder`/cltui.db."""
    db = Database(f"sqlite:///{folder / 'cltui.db'}")
    build_roster(db, fixed_url, START - timedelta(days=3))
    board_scene(db)
    return db


async def switch(pilot: Pilot[object], key: str, screen: type[Screen[object]]) -> None:
    """Press the number `key` and wait until `screen` is shown with its roster loaded."""
    app = pilot.app
    await pilot.press(key)
    await until(
        pilot, lambda: isinstance(app.screen, screen) and getattr(app.screen, "loaded", False)
    )
    await roster_harness.settle(pilot)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


def save(app: CltuiApp, folder: Path, name: str, title: str) -> Path:
    path = folder / f"{name}.svg"
    path.write_text(app.export_screenshot(title=f"cltui — {title}"), encoding="utf-8")
    return path


async def take(folder: Path) -> list[Path]:
    """Write every screenshot into `folder` (created if missing); returns their paths."""
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="cltui-screenshots-") as scratch:
        db = scene_db(Path(scratch))
        try:
            app = CltuiApp(lambda: console_context(db, FakeClock(START)))
            async with app.run_test(size=SIZE) as pilot:
                board = await board_ready(pilot)
                await settle(pilot, board)
                written.append(save(app, folder, "board", "Board"))
                for key, screen, name, title in (
                    ("2", PeopleScreen, "people", "People"),
                    ("3", TeamsScreen, "teams", "Teams"),
                    ("4", EscalationScreen, "escalation", "Escalation"),
                ):
                    await switch(pilot, key, screen)
                    written.append(save(app, folder, name, title))
                await pilot.press("p")
                await opened(pilot, PreviewScreen)
                await pilot.wait_for_scheduled_animations()
                await pilot.pause()
                written.append(save(app, folder, "escalation-preview", "Escalation preview"))
        finally:
            db.close()
    return written


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else FOLDER
    for path in asyncio.run(take(folder)):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
