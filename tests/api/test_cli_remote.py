"""The command line's side of the API: `cltui token create|revoke`, and `cltui alert / ack /
resolve --url --token` acting through a real server instead of the database."""

from __future__ import annotations

import asyncio

import pytest

from cltui import cli
from cltui.store import alerts
from tests.api.conftest import Api
from tests.sinks import free_port


class Ran:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


async def run(capsys: pytest.CaptureFixture[str], *args: str) -> Ran:
    """`cltui ARGS` in a worker thread, so the server on this loop can answer it."""
    capsys.readouterr()
    code = await asyncio.to_thread(cli.main, list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return Ran(code, out, err)


async def test_token_create_prints_it_once_and_revoke_stops_it(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    made = await run(capsys, "--db", api.db.url, "token", "create", "grafana")
    assert made.code == 0 and "shown only this once" in made.err
    token = made.out.strip()
    assert token.startswith("cltui_")
    assert (await api.call("GET", "/alerts", token=token))[0] == 200
    again = await run(capsys, "--db", api.db.url, "token", "create", "grafana")
    assert again.code == 1 and 'a token named "grafana" already exists' in again.err
    gone = await run(capsys, "--db", api.db.url, "token", "revoke", "grafana")
    assert (gone.code, gone.out) == (0, "token grafana revoked\n")
    assert (await api.call("GET", "/alerts", token=token))[0] == 401
    missing = await run(capsys, "--db", api.db.url, "token", "revoke", "grafana")
    assert missing.code == 1 and 'no token named "grafana"' in missing.err
    bad = await run(capsys, "--db", api.db.url, "token", "create", "two words")
    assert bad.code == 1 and "name:" in bad.err


async def test_alert_ack_and_resolve_through_a_remote_server(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    remote = ("--url", api.url, "--token", api.token)
    # --db points nowhere useful: the remote commands must not open a database.
    nowhere = ("--db", "sqlite:////nonexistent/dir/x.db")
    raised = await run(
        capsys, *nowhere, "alert", "--team", "kings", "moat", "--dedup-key", "m", *remote
    )
    assert raised.code == 0, raised.err
    assert raised.out.startswith("alert 1 raised: moat [")
    again = await run(
        capsys, *nowhere, "alert", "--team", "kings", "moat", "--dedup-key", "m", *remote
    )
    assert again.out.startswith("alert 1 deduplicated into (seen 2 times): moat")
    escalated = await run(capsys, *nowhere, "escalate", "1", "--by", "kay", *remote)
    assert escalated.out == "alert 1 escalated by kay: moat\n", escalated.err
    acked = await run(capsys, *nowhere, "ack", "1", "--by", "kay", *remote)
    assert acked.out == "alert 1 acknowledged by kay: moat\n"
    twice = await run(capsys, *nowhere, "ack", "1", "--by", "kay", *remote)
    assert twice.code == 1
    assert twice.err.startswith("cltui: alert 1 is already acknowledged by kay")
    assert "(HTTP 409)" in twice.err
    resolved = await run(capsys, *nowhere, "resolve", "1", "--by", "kay", *remote)
    assert resolved.out == "alert 1 resolved by kay: moat\n"
    assert alerts.get(api.db, 1).resolved_by == "kay"


async def test_remote_errors_are_one_line(
    api: Api, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    unknown = await run(capsys, "ack", "99", "--url", api.url, "--token", api.token)
    assert (unknown.code, unknown.err) == (1, "cltui: alert 99 does not exist (HTTP 404)\n")
    wrong = await run(capsys, "ack", "1", "--url", api.url, "--token", "cltui_nope")
    assert wrong.code == 1 and wrong.err.startswith("cltui: authorization: the token is not valid")
    no_token = await run(capsys, "ack", "1", "--url", api.url)
    assert no_token.err == "cltui: token: needed with --url (--token or CLTUI_TOKEN)\n"
    closed = f"http://127.0.0.1:{free_port()}"
    down = await run(capsys, "ack", "1", "--url", closed, "--token", "x")
    assert down.code == 1 and down.err.startswith(f"cltui: cannot reach {closed}/api/v1")
    monkeypatch.setenv("CLTUI_TOKEN", api.token)
    from_env = await run(capsys, "alert", "--person", "arthur", "hi", "--url", api.url + "/")
    assert from_env.code == 0 and from_env.out.startswith("alert 1 raised: hi")
