"""Shared pieces: a loop-lag probe, percentiles, a scratch database and machine facts."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cltui.store import roster
from cltui.store.database import Database, sqlite_url
from cltui.store.roster import EscalationSpec, PlanStep
from tests.sinks import HttpSink

TICK = 0.001  # the probe's sleep: lateness beyond this is time the loop could not run it


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100), nearest-rank; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q * len(ordered) / 100 - 1e-9)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


@dataclass
class LagProbe:
    """A ticker task awaiting `asyncio.sleep(TICK)` in a loop and recording how late each
    wake-up was: the longest lateness is the longest stretch the loop could not run it."""

    samples: list[tuple[float, float]] = field(default_factory=list)  # (woke at, lateness)
    _task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(TICK)
            after = time.perf_counter()
            self.samples.append((after, max(0.0, after - before - TICK)))

    async def __aenter__(self) -> LagProbe:
        self._task = asyncio.create_task(self._run(), name="lag-probe")
        await asyncio.sleep(0)  # let it take its first step
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def lags(self, start: float = 0.0, end: float = float("inf")) -> list[float]:
        """Lateness of wake-ups between `start` and `end` (perf_counter times)."""
        return [lag for at, lag in self.samples if start <= at <= end]


def machine_facts() -> dict[str, str]:
    try:
        cores = subprocess.run(
            ["nproc"], capture_output=True, text=True, check=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        cores = str(os.cpu_count())
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import apprise
    import sqlalchemy

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return {
        "nproc": cores,
        "load average at start (1, 5, 15 min)": load,
        "cpu": cpu or platform.processor() or "?",
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "sqlite": __import__("sqlite3").sqlite_version,
        "sqlalchemy": sqlalchemy.__version__,
        "apprise": apprise.__version__,
    }


@contextlib.contextmanager
def scratch_db(folder: Path, name: str) -> Iterator[Database]:
    """A fresh SQLite file database under `folder`, closed on the way out."""
    db = Database(sqlite_url(folder / f"{name}.db"))
    try:
        yield db
    finally:
        db.close()


def add_people(db: Database, sink: HttpSink, handles: Sequence[str]) -> None:
    """People with one contact (`pager`, posting to the sink at `/<handle>`) and a one-step
    plan on it that does not repeat."""
    for handle in handles:
        roster.save_person(db, handle, handle.title())
        roster.save_contact(db, handle, "pager", sink.apprise_url(f"/{handle}"))
        roster.set_plan(db, handle, [PlanStep("pager")])


def add_team(db: Database, name: str, members: Sequence[str], method: str) -> None:
    """A team whose escalation plan is one step of `method`, run once."""
    roster.save_team(db, name)
    roster.set_members(db, name, list(members))
    roster.set_escalation(db, name, [EscalationSpec(method)])
