"""Durability and the lease, with real `cltui serve` processes killed by SIGKILL.

Waits of a few seconds stand in for minutes; the engine runs on the real clock here.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from cltui.store import alerts, lease, roster
from cltui.store.database import Database
from cltui.store.roster import EscalationSpec, PlanStep
from tests.sinks import HttpSink
from tests.waiting import wait_until

LEASE_TTL, LEASE_RENEW = 6.0, 2.0  # the engine's defaults


class Serve:
    """A `cltui serve` process writing its timeline to a log file."""

    def __init__(self, db_url: str, log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cltui.cli", "--db", db_url, "serve", "--listen", "127.0.0.1:0"],
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        wait_until(lambda: "cltui serving" in log.read_text(), 20, f"{log.name} to start")

    @property
    def pid(self) -> int:
        return self.process.pid

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def processes() -> Iterator[list[Serve]]:
    started: list[Serve] = []
    yield started
    for serve in started:
        serve.stop()


def _roster(db: Database, sink: HttpSink) -> None:
    for handle in ("arthur", "lancelot", "merlin"):
        roster.save_person(db, handle, handle.title())
        roster.save_contact(db, handle, "push", sink.apprise_url(f"/{handle}"))
        roster.set_plan(db, handle, [PlanStep("push")])
    roster.save_team(db, "kings")
    roster.set_members(db, "kings", ["arthur", "lancelot"])
    roster.set_escalation(
        db,
        "kings",
        [
            EscalationSpec("on_duty", wait=3),
            EscalationSpec("next_in_rotation", wait=3),
            EscalationSpec("person", "merlin", wait=2),
        ],
    )


def _paths(sink: HttpSink) -> list[str]:
    return [r.path for r in sink.received]


def _holder(db: Database) -> str:
    found = lease.current(db)
    return found[0] if found else ""


def test_killed_serve_resumes_each_alert_where_it_was(
    db: Database, db_url: str, sink: HttpSink, tmp_path: Path, processes: list[Serve]
) -> None:
    _roster(db, sink)
    first = Serve(db_url, tmp_path / "first.log")
    processes.append(first)
    alert, _ = alerts.raise_alert(db, datetime.now(UTC), "Disk full", team="kings")
    sink.wait_for(lambda got: any(r.path == "/arthur" for r in got), timeout=15)
    first.kill()

    second = Serve(db_url, tmp_path / "second.log")
    processes.append(second)
    wait_until(
        lambda: alerts.get(db, alert.number).exhausted,
        timeout=LEASE_TTL + LEASE_RENEW + 20,
        what="the escalation to run out",
    )
    paths = _paths(sink)
    assert paths.count("/lancelot") == 1
    assert paths.count("/merlin") == 1
    assert 1 <= paths.count("/arthur") <= 2, "at most one notification is repeated"
    kinds = [(e.kind, e.detail) for e in alerts.timeline(db, alert.number)]
    steps = [detail.split(":")[0] for kind, detail in kinds if kind == "escalated"]
    assert steps == ["step 1/3", "step 2/3", "step 3/3"], "each step ran exactly once"
    assert [k for k, _ in kinds].count("exhausted") == 1
    assert alerts.get(db, alert.number).status == "triggered"
    assert str(second.pid) in _holder(db)


def test_standby_takes_over_when_the_leader_dies_and_pages_once(
    db: Database, db_url: str, sink: HttpSink, tmp_path: Path, processes: list[Serve]
) -> None:
    _roster(db, sink)
    first = Serve(db_url, tmp_path / "first.log")
    processes.append(first)
    wait_until(lambda: str(first.pid) in _holder(db), 10, "the first process to lead")
    second = Serve(db_url, tmp_path / "second.log")
    processes.append(second)

    alert, _ = alerts.raise_alert(db, datetime.now(UTC), "Disk full", team="kings")
    sink.wait_for(lambda got: any(r.path == "/arthur" for r in got), timeout=15)
    first.kill()
    wait_until(
        lambda: str(second.pid) in _holder(db),
        timeout=LEASE_TTL + LEASE_RENEW + 2,
        what="the standby to take the lease",
    )
    sink.wait_for(lambda got: any(r.path == "/merlin" for r in got), timeout=20)
    paths = _paths(sink)
    assert paths.count("/lancelot") == 1
    assert paths.count("/merlin") == 1
    assert paths.count("/arthur") <= 2
    # Both processes print what happened, whoever drove it: the standby saw the page.
    assert f"#{alert.number}" in (tmp_path / "second.log").read_text()


def test_cli_ack_in_another_process_stops_the_running_engine(
    db: Database, db_url: str, sink: HttpSink, tmp_path: Path, processes: list[Serve]
) -> None:
    _roster(db, sink)
    roster.set_plan(db, "arthur", [PlanStep("push", repeat=1)])
    serve = Serve(db_url, tmp_path / "serve.log")
    processes.append(serve)
    alert, _ = alerts.raise_alert(db, datetime.now(UTC), "Disk full", team="kings")
    sink.wait_for(lambda got: sum(r.path == "/arthur" for r in got) >= 2, timeout=15)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cltui.cli",
            "--db",
            db_url,
            "ack",
            str(alert.number),
            "--by",
            "kay",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    wait_until(
        lambda: "acknowledged by kay" in (tmp_path / "serve.log").read_text(),
        5,
        "serve to hear of the acknowledgement",
    )
    heard = len(sink.received)
    # Paging had been every second; after the ack the next due time passes with nothing sent.
    with pytest.raises(TimeoutError):
        sink.wait_for(lambda got: len(got) > heard + 1, timeout=3)
    assert alerts.get(db, alert.number).paging == ()
