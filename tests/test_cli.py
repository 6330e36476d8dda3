"""The command line: in-process through `main()` where that is enough, and through real
subprocesses for the entry points, exit codes and what reaches stderr."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Protocol

import pytest
import sqlalchemy as sa

from cltui import cli
from cltui.config import login_name
from cltui.store import roster, roster_file
from cltui.store.database import Database
from tests.conftest import REPO
from tests.test_roster_file import DESIGN_EXAMPLE, KNIGHTS

ALERT_KEYS = {
    "number",
    "uuid",
    "status",
    "severity",
    "team",
    "person",
    "summary",
    "created_at",
    "acked_by",
    "resolved_by",
}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Run:
    """What one in-process `cltui` invocation did."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err


class Cli(Protocol):
    def __call__(self, *args: str, db: str | None = ...) -> Run: ...


@pytest.fixture
def roster_path(tmp_path: Path) -> Path:
    path = tmp_path / "roster.toml"
    path.write_text(KNIGHTS + "\n" + DESIGN_EXAMPLE, encoding="utf-8")
    return path


@pytest.fixture
def cltui(db_url: str, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run `cltui --db db_url ARGS...` in this process."""

    def run(*args: str, db: str | None = db_url) -> Run:
        capsys.readouterr()
        prefix = ["--db", db] if db is not None else []
        try:
            code = cli.main([*prefix, *args])
        except SystemExit as exit_:  # argparse's usage errors
            code = int(exit_.code or 0)
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        return Run(code, out, err)

    return run


@pytest.fixture
def imported(cltui: Cli, roster_path: Path) -> Cli:
    result = cltui("roster", "import", str(roster_path))
    assert result.code == 0, result.err
    return cltui


def refused(result: Run) -> str:
    """The one line a refusal prints, after checking it is one."""
    assert result.code == 1
    assert result.out == ""
    assert "Traceback" not in result.err
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("cltui: ")
    return lines[0]


def subprocess_cltui(
    *args: str, env: dict[str, str] | None = None, entry_point: bool = False
) -> subprocess.CompletedProcess[str]:
    command = (
        [str(REPO / ".venv" / "bin" / "cltui")]
        if entry_point
        else [sys.executable, "-m", "cltui.cli"]
    )
    return subprocess.run(
        [*command, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        cwd=REPO,
    )


# ---------------------------------------------------------------- subprocess, end to end


def test_import_raise_ack_twice_and_list_through_subprocesses(
    db_url: str, roster_path: Path
) -> None:
    imported = subprocess_cltui("--db", db_url, "roster", "import", str(roster_path))
    assert imported.returncode == 0, imported.stderr
    assert "imported 4 people (4 new) and 1 teams (1 new)" in imported.stdout

    raised = subprocess_cltui(
        "--db", db_url, "alert", "--team", "kings", "disk full", "--severity", "critical",
        entry_point=True,
    )  # fmt: skip
    assert raised.returncode == 0, raised.stderr
    assert re.fullmatch(rf"alert 1 raised: disk full \[{UUID.pattern}\]\n", raised.stdout)

    first = subprocess_cltui("--db", db_url, "ack", "1", "--by", "lancelot")
    assert (first.returncode, first.stderr) == (0, "")
    assert first.stdout == "alert 1 acknowledged by lancelot: disk full\n"

    second = subprocess_cltui("--db", db_url, "ack", "1", "--by", "gawain", entry_point=True)
    assert second.returncode == 1
    assert second.stdout == ""
    assert re.fullmatch(
        r"cltui: alert 1 is already acknowledged by lancelot at \d\d:\d\d\n", second.stderr
    )

    listed = subprocess_cltui("--db", db_url, "alerts", "--json")
    assert listed.returncode == 0
    [alert] = json.loads(listed.stdout)
    assert set(alert) >= ALERT_KEYS
    assert (alert["status"], alert["acked_by"], alert["team"]) == (
        "acknowledged",
        "lancelot",
        "kings",
    )


def test_usage_error_exits_2_without_traceback(db_url: str) -> None:
    result = subprocess_cltui("--db", db_url, "ack", "one")
    assert result.returncode == 2
    assert "invalid int value: 'one'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("not a url", "Could not parse"),
        ("nosuchdb://host/x", "Can't load plugin"),
        ("sqlite:////proc/no/such/folder/cltui.db", "No such file or directory"),
    ],
)
def test_bad_database_url_is_one_clean_line(url: str, words: str) -> None:
    result = subprocess_cltui("--db", url, "alerts")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("cltui: cannot open the database ")
    assert words in line


# ---------------------------------------------------------------- in process


def test_alerts_json_after_import(imported: Cli) -> None:
    assert imported("alerts", "--json").out.strip() == "[]"
    assert imported("alerts").out == "no alerts\n"
    imported("alert", "--team", "kings", "disk full", "--details", "sda1 at 99%")
    imported("alert", "--person", "arthur", "call home", "--severity", "warning")
    result = imported("alerts", "--json")
    assert result.code == 0
    second, first = json.loads(result.out)
    for alert in (first, second):
        assert set(alert) >= ALERT_KEYS
        assert UUID.fullmatch(alert["uuid"])
        assert alert["acked_by"] is None and alert["resolved_by"] is None
        assert alert["created_at"].endswith("+00:00")
    assert (first["number"], first["team"], first["person"]) == (1, "kings", None)
    assert (first["severity"], first["summary"], first["details"]) == (
        "error",
        "disk full",
        "sda1 at 99%",
    )
    assert (second["number"], second["team"], second["person"]) == (2, None, "arthur")
    assert second["severity"] == "warning"

    table = imported("alerts").out.splitlines()
    assert len(table) == 2
    assert table[0].startswith("#2") and "call home" in table[0]


def test_alert_dedup_key_deduplicates(imported: Cli) -> None:
    first = imported("alert", "--team", "kings", "disk full", "--dedup-key", "disk-sda1")
    assert first.out.startswith("alert 1 raised: disk full [")
    again = imported("alert", "--team", "kings", "disk still full", "--dedup-key", "disk-sda1")
    assert again.code == 0
    assert again.out.startswith("alert 1 deduplicated into (seen 2 times): disk full [")
    [alert] = json.loads(imported("alerts", "--json").out)
    assert (alert["duplicates"], alert["dedup_key"]) == (1, "disk-sda1")
    imported("resolve", "1")
    reopened = imported("alert", "--team", "kings", "disk full", "--dedup-key", "disk-sda1")
    assert reopened.out.startswith("alert 2 raised:")


def test_ack_resolve_escalate_and_show(imported: Cli) -> None:
    imported("alert", "--team", "kings", "disk full", "--severity", "critical")
    imported("alert", "--team", "kings", "cpu hot")

    escalated = imported("escalate", "2", "--by", "merlin")
    assert (escalated.code, escalated.out) == (0, "alert 2 escalated by merlin: cpu hot\n")
    assert imported("ack", "1", "--by", "lancelot").code == 0
    line = refused(imported("ack", "1", "--by", "gawain"))
    assert re.fullmatch(r"cltui: alert 1 is already acknowledged by lancelot at \d\d:\d\d", line)
    assert "escalate" in refused(imported("escalate", "1")).lower()

    resolved = imported("resolve", "1", "--by", "gawain")
    assert resolved.out == "alert 1 resolved by gawain: disk full\n"
    assert re.fullmatch(
        r"cltui: alert 1 is already resolved by gawain at \d\d:\d\d",
        refused(imported("resolve", "1", "--by", "arthur")),
    )
    assert "nothing to acknowledge" in refused(imported("ack", "1", "--by", "arthur"))

    shown = json.loads(imported("show", "1", "--json").out)
    assert set(shown) >= ALERT_KEYS
    assert (shown["status"], shown["acked_by"], shown["resolved_by"]) == (
        "resolved",
        "lancelot",
        "gawain",
    )
    assert [(e["kind"], e["actor"]) for e in shown["events"]] == [
        ("created", login_name()),
        ("acknowledged", "lancelot"),
        ("resolved", "gawain"),
    ]
    for event in shown["events"]:
        assert set(event) == {"at", "kind", "actor", "detail"}
        assert event["at"].endswith("+00:00")
    assert shown["events"][0]["detail"] == "critical for team kings: disk full"

    text = imported("show", "2").out
    assert "cpu hot" in text and "escalation forced by merlin" in text

    assert [
        a["number"] for a in json.loads(imported("alerts", "--status", "open", "--json").out)
    ] == [2]
    assert json.loads(imported("alerts", "--status", "resolved", "--json").out)[0]["number"] == 1


def test_unknown_targets_and_values_name_the_field(imported: Cli) -> None:
    assert refused(imported("alert", "--team", "queens", "x")) == (
        'cltui: team: no team named "queens"'
    )
    assert refused(imported("alert", "--person", "mordred", "x")) == (
        'cltui: person: no person with handle "mordred"'
    )
    assert refused(imported("alert", "--team", "kings", "x", "--severity", "dire")).startswith(
        'cltui: severity: "dire" is not one of'
    )
    assert refused(imported("alert", "--team", "kings", "  ")) == (
        "cltui: summary: must not be empty"
    )
    assert refused(imported("alerts", "--status", "lost")).startswith("cltui: status: ")
    assert refused(imported("ack", "42")) == "cltui: alert 42 does not exist"
    assert refused(imported("show", "42")) == "cltui: alert 42 does not exist"
    assert json.loads(imported("alerts", "--json").out) == []


@pytest.mark.parametrize(
    "args",
    [
        ["alert", "x"],  # neither --team nor --person
        ["alert", "--team", "kings", "--person", "arthur", "x"],
        ["ack"],
        ["ack", "one"],
        ["resolve", "1", "--by"],
        ["frobnicate"],
        ["roster"],
        ["roster", "import"],
        ["alerts", "--status"],
    ],
)
def test_usage_errors_exit_2(cltui: Cli, args: list[str]) -> None:
    result = cltui(*args)
    assert result.code == 2
    assert "usage: cltui" in result.err


def test_default_actor_is_the_configured_operator(
    imported: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    imported("alert", "--team", "kings", "one")
    imported("alert", "--team", "kings", "two")
    imported("alert", "--team", "kings", "three")
    assert imported("ack", "1").out == f"alert 1 acknowledged by {login_name()}: one\n"

    config = tmp_path / "config" / "cltui" / "config.toml"  # the user config dir
    config.parent.mkdir(parents=True)
    config.write_text('operator = "kay"\n', encoding="utf-8")
    assert imported("ack", "2").out == "alert 2 acknowledged by kay: two\n"

    monkeypatch.setenv("CLTUI_OPERATOR", "merlin")  # the environment wins over the file
    assert imported("resolve", "3").out == "alert 3 resolved by merlin: three\n"
    acked = {a["number"]: a["acked_by"] for a in json.loads(imported("alerts", "--json").out)}
    assert acked == {1: login_name(), 2: "kay", 3: None}
    assert json.loads(imported("show", "3", "--json").out)["resolved_by"] == "merlin"


def test_config_option_names_the_settings_file(cltui: Cli, tmp_path: Path) -> None:
    path = tmp_path / "other.toml"
    path.write_text(f'operator = "gawain"\ndatabase = "sqlite:///{tmp_path}/x.db"\n')
    result = cltui("--config", str(path), "alerts", db=None)
    assert result.code == 0
    assert (tmp_path / "x.db").exists()

    missing = refused(cltui("--config", str(tmp_path / "nope.toml"), "alerts"))
    assert missing == f"cltui: {tmp_path / 'nope.toml'}: no such configuration file"

    path.write_text('operater = "gawain"\n')
    assert refused(cltui("--config", str(path), "alerts")).startswith(
        "cltui: operater: unknown setting"
    )


def test_roster_import_error_imports_nothing(cltui: Cli, db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(KNIGHTS + DESIGN_EXAMPLE.replace('"next_in_rotation"', '"smoke_signal"'))
    line = refused(cltui("roster", "import", str(path)))
    assert line.startswith(f"cltui: {path}: line ")
    assert "teams[1].escalation[2].method" in line
    assert line.endswith("; nothing was imported")
    db = Database(db_url)
    try:
        assert roster.people(db) == [] and roster.teams(db) == []
    finally:
        db.close()

    missing = refused(cltui("roster", "import", str(tmp_path / "none.toml")))
    assert missing == f"cltui: {tmp_path / 'none.toml'}: No such file or directory"


def test_roster_import_error_through_a_subprocess(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('[[people]]\nhandle = "sir kay"\n')
    result = subprocess_cltui("--db", db_url, "roster", "import", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr == (
        f'cltui: {path}: line 2: people[1].handle: "sir kay" is not a handle'
        ' (use 1-64 of a-z, 0-9, ".", "_", "-"; no spaces); nothing was imported\n'
    )


def test_roster_export_round_trips_and_writes_private_files(
    imported: Cli, db_url: str, tmp_path: Path
) -> None:
    printed = imported("roster", "export").out
    output = tmp_path / "out" / "roster.toml"
    output.parent.mkdir()
    output.write_text("old, world-readable\n")
    output.chmod(0o644)
    assert imported("roster", "export", "-o", str(output)).code == 0
    assert stat.S_IMODE(output.stat().st_mode) == 0o600
    assert output.read_text() == printed
    fresh = tmp_path / "fresh.toml"
    assert imported("roster", "export", "--output", str(fresh)).code == 0
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600

    assert imported("roster", "import", str(output)).out.endswith(
        "imported 4 people (0 new) and 1 teams (0 new)\n"
    )
    assert imported("roster", "export").out == printed

    db = Database(db_url)
    try:
        assert roster_file.export(db) == printed
    finally:
        db.close()

    line = refused(imported("roster", "export", "-o", str(tmp_path / "no" / "such" / "x.toml")))
    assert line == f"cltui: {tmp_path / 'no' / 'such' / 'x.toml'}: No such file or directory"


def test_database_password_is_not_shown(cltui: Cli) -> None:
    line = refused(cltui("alerts", db="nosuchdb://user:hunter2@127.0.0.1:1/x"))
    assert "hunter2" not in line
    assert "nosuchdb://user:***@127.0.0.1:1/x" in line


def test_database_newer_than_this_cltui_is_refused(cltui: Cli, db_url: str) -> None:
    Database(db_url).close()
    engine = sa.create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(
            sa.text("INSERT INTO schema_version (version, applied_at) VALUES (99, '2030-01-01')")
        )
    engine.dispose()
    line = refused(cltui("alerts"))
    assert line == "cltui: the database is at schema version 99; this cltui knows up to 2"


def test_default_database_is_in_the_user_data_dir(cltui: Cli, tmp_path: Path) -> None:
    assert cltui("alerts", db=None).code == 0
    path = tmp_path / "data" / "cltui" / "cltui.db"
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
