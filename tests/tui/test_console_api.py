"""The console runs the HTTP API on its own event loop: an alert posted to it shows up on
the board at once, and a port already taken is said on screen while the console runs on."""

from __future__ import annotations

import socket
from pathlib import Path

import aiohttp

from cltui.config import Settings
from cltui.store import tokens
from cltui.tui.app import CltuiApp, open_runtime
from tests.tui.board_harness import SIZE, board_ready, until


async def test_an_alert_posted_to_the_console_api_appears_on_the_board(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, operator="merlin")
    app = CltuiApp(lambda: open_runtime(settings, demo=True))
    async with app.run_test(size=SIZE) as pilot:
        board = await board_ready(pilot)
        assert app.ctx.api_url is not None
        token = tokens.create(app.ctx.db, "monitoring")
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                f"{app.ctx.api_url}/alerts",
                json={"team": "wizards", "summary": "Tape library on fire", "severity": "critical"},
                headers={"Authorization": f"Bearer {token}"},
            ) as response,
        ):
            assert response.status == 201, await response.text()
            number = (await response.json())["number"]
        await until(pilot, lambda: str(number) in board.table.rows)
        assert any(n.title == "HTTP API" for n in app._notifications)


async def test_a_taken_port_is_said_on_screen_and_the_console_runs_on(
    tmp_path: Path, db_url: str
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = Settings(database=db_url, data_dir=tmp_path, listen=f"127.0.0.1:{port}")
        app = CltuiApp(lambda: open_runtime(settings, demo=False))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: bool(app._notifications))
            messages = [str(n.message) for n in app._notifications]
            assert any(f"cannot listen on 127.0.0.1:{port}" in m for m in messages), messages
            assert app.ctx.api_url is None
