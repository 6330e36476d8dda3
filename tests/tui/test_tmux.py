"""End to end in a real terminal: `cltui --demo` in tmux shows the board with the demo's
alerts, and `a` acknowledges the alert under the cursor as the operator."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

if shutil.which("tmux") is None:
    if os.environ.get("CI"):
        raise RuntimeError("tmux is not installed; .ci/run installs it")
    pytest.skip("tmux is not installed here (apt-get install tmux)", allow_module_level=True)

CLTUI = f"{sys.executable} -m cltui.cli"


class Tmux:
    def __init__(self, socket: str, session: str) -> None:
        self.socket = socket
        self.session = session

    def run(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return done.stdout

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def send(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.session, *keys)

    def wait_for(self, condition: Callable[[str], bool], within: float = 30) -> str:
        """Poll the pane until `condition(text)` holds; fail with the last screen."""
        deadline = time.monotonic() + within
        while True:
            text = self.screen()
            if condition(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"not on screen within {within}s:\n{text}")
            time.sleep(0.1)  # the poll interval, not a wait for a condition


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    name = f"cltui-test-{uuid.uuid4().hex[:8]}"
    session = Tmux(name, name)
    env = {
        "CLTUI_OPERATOR": "galahad",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "TERM": "xterm-256color",
    }
    command = " ".join(f"{k}={v!r}" for k, v in env.items())
    subprocess.run(
        [
            "tmux",
            "-L",
            name,
            "-f",
            os.devnull,
            "new-session",
            "-d",
            "-x",
            "120",
            "-y",
            "40",
            "-s",
            name,
            f"env {command} {CLTUI} --demo",
        ],
        check=True,
        timeout=10,
    )
    socket_path = session.run("display-message", "-p", "#{socket_path}").strip()
    try:
        yield session
    finally:
        session.run("kill-server")
        if socket_path:
            Path(socket_path).unlink(missing_ok=True)


def test_demo_board_acknowledges_with_a(tmux: Tmux) -> None:
    board = tmux.wait_for(lambda text: "triggered" in text and "severity" in text)
    assert "paging now" in board
    # A key sent while the app is still starting up can be lost: press again if need be.
    for attempt in range(3):
        tmux.send("a")
        try:
            tmux.wait_for(lambda text: "acked galahad" in text, within=10)
            break
        except AssertionError:
            if attempt == 2:
                raise
    tmux.send("C-q")
