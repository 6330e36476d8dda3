"""Ingest throughput to the store: `raise_alert` one by one, one transaction each, for new
alerts versus the dedup path (every alert with the same dedup key after the first)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.common import median, percentile, scratch_db
from cltui.store import alerts, roster

COUNT = 2000
TIME_CAP = 20.0  # seconds per path
TEAM = "ingest"


@dataclass
class IngestPath:
    name: str
    count: int
    seconds: float
    p50: float
    p99: float
    created: int

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def _path(folder: Path, name: str, dedup: bool) -> IngestPath:
    with scratch_db(folder, f"ingest-{name}") as db:
        roster.save_team(db, TEAM)
        alerts.raise_alert(db, datetime.now(UTC), "warm-up", team=TEAM, dedup_key="warm-up")
        took: list[float] = []
        created = 0
        start = time.perf_counter()
        for index in range(COUNT):
            before = time.perf_counter()
            if before - start > TIME_CAP:
                break
            _, new = alerts.raise_alert(
                db,
                datetime.now(UTC),
                f"ingest {index}",
                team=TEAM,
                source="bench",
                dedup_key="same-key" if dedup else None,
            )
            took.append(time.perf_counter() - before)
            created += new
        seconds = time.perf_counter() - start
    return IngestPath(name, len(took), seconds, median(took), percentile(took, 99), created)


def run(folder: Path) -> list[IngestPath]:
    return [_path(folder, "new alerts", False), _path(folder, "dedup (same key)", True)]
