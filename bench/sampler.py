"""Who stalls the loop: a thread that, whenever the loop thread has not run the lag probe
for a while, looks at the loop thread's stack and notes where it is; and a gc callback that
times every collection (a collection pauses whichever thread triggered it, and, holding the
GIL, every other thread too)."""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from types import FrameType
from typing import Any

from bench.common import LagProbe

OURS = ("/cltui/", "/apprise/", "/sqlalchemy/", "/sqlmodel/", "/asyncio/", "/bench/")


def _short(frame: FrameType) -> str:
    name = frame.f_code.co_filename
    for cut in ("site-packages/", "/work/main/", "lib/python3.11/"):
        name = name.split(cut)[-1]
    return f"{name}:{frame.f_lineno} {frame.f_code.co_name}"


def where(frame: FrameType | None) -> str:
    """The innermost frame, then the innermost in cltui or a library we care about, then the
    innermost in cltui, each once."""
    innermost = frame
    ours: FrameType | None = None
    cltui: FrameType | None = None
    while frame is not None:
        name = frame.f_code.co_filename
        if cltui is None and "/cltui/" in name:
            cltui = frame
        if ours is None and any(part in name for part in OURS):
            ours = frame
        frame = frame.f_back
    parts: list[str] = []
    for found in (innermost, ours, cltui):
        if found is not None and _short(found) not in parts:
            parts.append(_short(found))
    return " <- ".join(parts)


@dataclass(frozen=True)
class Episode:
    """One stall the sampler saw: how late the probe woke after it, and where the loop
    thread was at each look."""

    lag: float
    seen: Counter[str]


class StallSampler(threading.Thread):
    """While running, every `period` seconds: if the probe last woke more than `threshold`
    seconds ago, record where the loop thread is, grouped by stall."""

    def __init__(
        self, probe: LagProbe, loop_thread: int, threshold: float = 0.003, period: float = 0.0005
    ) -> None:
        super().__init__(name="stall-sampler", daemon=True)
        self.probe = probe
        self.loop_thread = loop_thread
        self.threshold = threshold
        self.period = period
        self.seen: Counter[str] = Counter()
        self._by_stall: dict[int, Counter[str]] = {}
        self._stop_event = threading.Event()
        self.gc_pauses: list[tuple[int, int, float, float]] = []  # thread, gen, start, secs
        self._gc_started: dict[int, float] = {}

    def _gc(self, phase: str, info: dict[str, Any]) -> None:
        thread = threading.get_ident()
        if phase == "start":
            self._gc_started[thread] = time.perf_counter()
        elif thread in self._gc_started:
            began = self._gc_started.pop(thread)
            self.gc_pauses.append(
                (thread, int(info.get("generation", -1)), began, time.perf_counter() - began)
            )

    def run(self) -> None:
        while not self._stop_event.wait(self.period):
            samples = self.probe.samples
            if not samples or time.perf_counter() - samples[-1][0] < self.threshold:
                continue
            spot = where(sys._current_frames().get(self.loop_thread))
            self.seen[spot] += 1
            self._by_stall.setdefault(len(samples), Counter())[spot] += 1

    def start(self) -> None:
        gc.callbacks.append(self._gc)
        super().start()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()
        gc.callbacks.remove(self._gc)

    def episodes(self) -> list[Episode]:
        """Stalls seen, longest first (lag: the probe's lateness on the wake that ended it)."""
        samples = self.probe.samples
        found = [
            Episode(samples[index][1] if index < len(samples) else 0.0, seen)
            for index, seen in self._by_stall.items()
        ]
        return sorted(found, key=lambda e: e.lag, reverse=True)

    def gc_during(self, start: float, end: float) -> list[tuple[int, float]]:
        """(generation, seconds) of collections on any thread overlapping [start, end]."""
        return [
            (gen, secs)
            for _thread, gen, began, secs in self.gc_pauses
            if began <= end and began + secs >= start
        ]
