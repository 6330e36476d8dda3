"""A real Prometheus Alertmanager pointed at a real `cltui serve`: a firing alert becomes an
escalation whose page carries a working ack link, and its resolution resolves the alert.

Needs the Debian package `prometheus-alertmanager` (`.ci/run` installs it). Without it this
test skips on a developer machine and fails in CI (CI=true).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from cltui.store import alerts, tokens
from cltui.store.database import Database
from tests.api.conftest import REPO, seed_roster
from tests.api.test_links import LINK
from tests.sinks import HttpSink, free_port
from tests.waiting import wait_until

BINARY = Path("/usr/bin/prometheus-alertmanager")
INSTALL = "apt-get install prometheus-alertmanager"


def _need_alertmanager() -> None:
    if BINARY.exists():
        return
    message = f"{BINARY} not found; install it with `{INSTALL}` (Debian/Ubuntu)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " -- CI must run this test (.ci/run installs it)")
    pytest.skip(message)


class Process:
    """A subprocess whose output goes to a log file, stopped on the way out."""

    def __init__(self, args: list[str], log: Path) -> None:
        self.log = log
        self.process = subprocess.Popen(
            args,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            cwd=REPO,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for_output(self, text: str, timeout: float = 30) -> None:
        def seen() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.log.name} exited:\n{self.output()}")
            return text in self.output()

        wait_until(seen, timeout, f"{text!r} in {self.log.name}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


@pytest.fixture
def processes() -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for process in reversed(started):
        process.stop()


def _http(method: str, url: str, body: Any = None) -> tuple[int, str]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


def _am_config(cltui_port: int, token: str) -> str:
    return f"""
route:
  receiver: cltui
  group_by: ['alertname', 'instance']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: cltui
    webhook_configs:
      - url: "http://127.0.0.1:{cltui_port}/api/v1/integrations/alertmanager?team=infra"
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: "{token}"
"""


def _alert(starts: datetime, ends: datetime | None = None) -> list[dict[str, Any]]:
    alert: dict[str, Any] = {
        "labels": {"alertname": "InstanceDown", "instance": "db-1:9100", "severity": "critical"},
        "annotations": {"summary": "Instance db-1:9100 is down"},
        "generatorURL": "http://prometheus.example:9090/graph?g0.expr=up",
        "startsAt": starts.isoformat(),
    }
    if ends is not None:
        alert["endsAt"] = ends.isoformat()
    return [alert]


def test_a_real_alertmanager_escalates_and_resolves_through_cltui_serve(
    tmp_path: Path, sink: HttpSink, processes: list[Process]
) -> None:
    _need_alertmanager()
    db_url = f"sqlite:///{tmp_path / 'cltui.db'}"
    db = Database(db_url)
    try:
        seed_roster(db, sink)
        token = tokens.create(db, "alertmanager")
    finally:
        db.close()
    cltui_port, am_port = free_port(), free_port()
    serve = Process(
        [
            sys.executable,
            "-m",
            "cltui.cli",
            "--db",
            db_url,
            "serve",
            "--listen",
            f"127.0.0.1:{cltui_port}",
        ],
        tmp_path / "serve.log",
    )
    processes.append(serve)
    serve.wait_for_output("cltui API on")

    config = tmp_path / "alertmanager.yml"
    config.write_text(_am_config(cltui_port, token), encoding="utf-8")
    am_url = f"http://127.0.0.1:{am_port}"
    processes.append(
        Process(
            [
                str(BINARY),
                f"--config.file={config}",
                f"--storage.path={tmp_path / 'am-data'}",
                f"--web.listen-address=127.0.0.1:{am_port}",
                "--cluster.listen-address=",
            ],
            tmp_path / "alertmanager.log",
        )
    )
    wait_until(lambda: _http("GET", f"{am_url}/-/ready")[0] == 200, 30, "Alertmanager ready")

    started = datetime.now(UTC)
    status, text = _http("POST", f"{am_url}/api/v2/alerts", _alert(started))
    assert status == 200, text

    db = Database(db_url)
    try:
        [alert] = wait_until(lambda: alerts.list_alerts(db), 30, "the alert to reach cltui")
        assert (alert.team, alert.severity, alert.summary, alert.source) == (
            "infra",
            "critical",
            "Instance db-1:9100 is down",
            "alertmanager",
        )
        assert "http://prometheus.example:9090/graph?g0.expr=up" in alert.details
        # The team's escalation pages arthur, through apprise, with a link to acknowledge.
        received = sink.wait_for(lambda r: any(m.path == "/arthur" for m in r), 30)
        page = next(m for m in received if m.path == "/arthur")
        assert page.json is not None
        link = LINK.search(page.json["message"])
        assert link, page.json["message"]
        assert link.group(1).startswith(f"http://127.0.0.1:{cltui_port}/ack/")
        status, text = _http("GET", link.group(1))
        assert status == 200 and "acknowledged by arthur" in text
        assert alerts.get(db, alert.number).acked_by == "arthur"

        # Alertmanager sends the resolution; cltui resolves the alert.
        status, text = _http("POST", f"{am_url}/api/v2/alerts", _alert(started, datetime.now(UTC)))
        assert status == 200, text
        resolved = wait_until(
            lambda: alerts.get(db, alert.number).status == "resolved",
            30,
            "Alertmanager's resolution to resolve the alert",
        )
        assert resolved
        assert alerts.get(db, alert.number).resolved_by == "alertmanager"
        assert len(alerts.list_alerts(db)) == 1
    finally:
        db.close()
