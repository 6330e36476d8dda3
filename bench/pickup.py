"""Pickup latency: from raising an alert to the sink receiving the page.

Across processes: a `cltui serve` subprocess drives a SQLite file; this process raises
alerts in it with `cltui.store.alerts.raise_alert` (as the CLI does) and times each until
the HttpSink (a thread here, so both ends read the same monotonic clock) receives the page.
The peer: the same with `Engine.raise_alert` on an engine started in this process. Alerts
are spaced by a seeded random gap so they land at every phase of the engine's polling.
"""

from __future__ import annotations

import asyncio
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.common import add_people, scratch_db
from cltui.engine.clock import SystemClock
from cltui.engine.notifier import AppriseNotifier
from cltui.engine.runner import Engine
from cltui.store import alerts, lease
from cltui.store.database import Database
from tests.sinks import HttpSink, Received, free_port

REPO = Path(__file__).resolve().parent.parent
COUNT = 20
WARM_UP = 2
TIME_CAP = 25.0  # seconds per side
PAGE_TIMEOUT = 5.0
PERSON = "solo"


@dataclass
class Pickup:
    name: str
    latencies: list[float]
    lost: int


def _titled(summary: str) -> Callable[[list[Received]], bool]:
    def predicate(got: list[Received]) -> bool:
        return any(summary in str((r.json or {}).get("title", "")) for r in got)

    return predicate


def _arrival(sink: HttpSink, summary: str) -> float:
    return next(r.at for r in sink.received if summary in str((r.json or {}).get("title", "")))


def _wait_until(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} within {timeout}s")
        time.sleep(0.05)


class Serve:
    """A `cltui serve` subprocess on `url`, its output in `log`; stopped by its own pid."""

    def __init__(self, url: str, folder: Path) -> None:
        self.log = folder / "serve.log"
        env = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "XDG_CONFIG_HOME": str(folder / "config"),
            "XDG_DATA_HOME": str(folder / "data"),
        }
        for variable in ("CLTUI_DB", "CLTUI_CONFIG", "CLTUI_OPERATOR", "CLTUI_DATA_DIR"):
            env.pop(variable, None)
        listen = f"127.0.0.1:{free_port()}"
        with self.log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cltui.cli", "--db", url, "serve", "--listen", listen],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=REPO,
            )

    def wait_leading(self, db: Database) -> None:
        def leads() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"cltui serve exited: {self.log.read_text()[-2000:]}")
            found = lease.current(db)
            return found is not None and f":{self.process.pid}:" in found[0]

        _wait_until(leads, 30, "cltui serve to take the lease")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def _cross_process(folder: Path, sink: HttpSink, gaps: list[float]) -> Pickup:
    latencies: list[float] = []
    lost = 0
    with scratch_db(folder, "pickup-serve") as db:
        add_people(db, sink, [PERSON])
        serve = Serve(db.url, folder)
        try:
            serve.wait_leading(db)
            start = time.monotonic()
            for index, gap in enumerate(gaps):
                if time.monotonic() - start > TIME_CAP:
                    break
                summary = f"pickup serve {index}"
                began = time.monotonic()
                view, _ = alerts.raise_alert(db, datetime.now(UTC), summary, person=PERSON)
                try:
                    sink.wait_for(_titled(summary), PAGE_TIMEOUT)
                except TimeoutError:
                    lost += 1
                else:
                    if index >= WARM_UP:
                        latencies.append(_arrival(sink, summary) - began)
                alerts.resolve(db, datetime.now(UTC), view.number, "bench")
                time.sleep(gap)
        finally:
            serve.stop()
    return Pickup("cross-process (`cltui serve` + store.raise_alert)", latencies, lost)


async def _in_process(folder: Path, sink: HttpSink, gaps: list[float]) -> Pickup:
    latencies: list[float] = []
    lost = 0
    with scratch_db(folder, "pickup-engine") as db:
        await asyncio.to_thread(add_people, db, sink, [PERSON])
        engine = Engine(db, AppriseNotifier(), clock=SystemClock())
        await engine.start()
        try:
            await asyncio.wait_for(engine.wait_leading(), 15)
            start = time.monotonic()
            for index, gap in enumerate(gaps):
                if time.monotonic() - start > TIME_CAP:
                    break
                summary = f"pickup engine {index}"
                began = time.monotonic()
                view, _ = await engine.raise_alert(summary, person=PERSON)
                try:
                    await sink.await_for(_titled(summary), PAGE_TIMEOUT)
                except TimeoutError:
                    lost += 1
                else:
                    if index >= WARM_UP:
                        latencies.append(_arrival(sink, summary) - began)
                await engine.resolve(view.number, "bench")
                await asyncio.sleep(gap)
        finally:
            await engine.stop()
    return Pickup("in-process (Engine.raise_alert)", latencies, lost)


def run(folder: Path) -> list[Pickup]:
    chance = random.Random(7072)
    gaps = [chance.uniform(0.05, 0.35) for _ in range(COUNT + WARM_UP)]
    with HttpSink() as sink:
        cross = _cross_process(folder, sink, gaps)
        inside = asyncio.run(_in_process(folder, sink, gaps))
    return [cross, inside]
