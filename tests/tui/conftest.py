"""Fixtures for the console tests: the demo roster in a temporary SQLite database whose
contacts deliver to a local HTTP sink, a fake clock, and a real engine (with the apprise
notifier) that the app starts on its own event loop; the input cursor does not blink. The
building blocks they share with `tests.screenshots` are in `tests.tui.board_harness`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Input

from cltui.demo import build_roster
from cltui.engine.clock import FakeClock
from cltui.store.database import Database
from cltui.tui.app import CltuiApp
from tests.conftest import START
from tests.sinks import HttpSink
from tests.tui.board_harness import console_context


@pytest.fixture(autouse=True)
def _no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """The input cursor stays shown, so screenshots do not depend on timing."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def board_sink() -> Iterator[HttpSink]:
    with HttpSink() as sink:
        yield sink


@pytest.fixture
def board_clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def board_db(tmp_path: Path, board_sink: HttpSink) -> Iterator[Database]:
    """The demo roster; every contact delivers to `board_sink` at /<handle>-<label>."""
    db = Database(f"sqlite:///{tmp_path / 'board.db'}")
    build_roster(db, lambda who: board_sink.apprise_url(f"/{who}"), START - timedelta(days=3))
    yield db
    db.close()


@pytest.fixture
def make_app(board_db: Database, board_clock: FakeClock) -> Callable[[], CltuiApp]:
    def make() -> CltuiApp:
        return CltuiApp(lambda: console_context(board_db, board_clock))

    return make
