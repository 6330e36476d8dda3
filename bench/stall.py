"""Event-loop stall while the engine delivers one alert to 100 people.

An alert for a team whose one escalation step is `all_in_rotation` over 100 members, each
with one contact posting to an HttpSink (its own thread). A lag probe (a task awaiting
`asyncio.sleep(0.001)` and recording how late it wakes) runs on the loop while
`engine.run_once()` does the due work and the 100 sends. The peer is the same engine with a
notifier that calls apprise's *sync* `notify()` on the loop thread, as a naive
implementation would. Rounds alternate between the two.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import apprise
import sqlalchemy as sa

from bench.common import LagProbe, add_people, add_team, median, percentile, scratch_db
from bench.sampler import StallSampler
from cltui.engine.clock import SystemClock
from cltui.engine.messages import Message, compose
from cltui.engine.notifier import AppriseNotifier, Delivery, Notifier
from cltui.engine.runner import Engine
from cltui.store import alerts, paging
from cltui.store.database import Database
from tests.sinks import HttpSink, Received

PEOPLE = 100
ROUNDS = 3  # measured rounds per notifier, alternating
DIAGNOSE_ROUNDS = 3
SHORT_SWITCH = 0.001  # GIL switch interval for the diagnostic rounds (default 5 ms)
TIME_CAP = 40.0  # seconds for the whole measurement (set-up excluded)
TEAM = "everyone"


class SyncAppriseNotifier:
    """The naive peer: apprise's blocking `notify()` called right on the event loop."""

    async def send(self, channel: str, url: str, message: Message) -> Delivery:
        sender = apprise.Apprise()
        if not sender.add(url):
            return Delivery(False, "apprise cannot use the URL")
        ok = sender.notify(
            title=message.title, body=message.body, body_format=apprise.NotifyFormat.TEXT
        )
        return Delivery(bool(ok), "" if ok else "apprise reported a failure")

    async def close(self) -> None:
        return None


@dataclass
class Round:
    notifier: str
    max_lag: float
    p99_lag: float
    wall: float
    delivered: int
    samples: int


@dataclass
class Phases:
    """Max loop lag within each phase of one engine round (run_once's three steps)."""

    run_due: float = 0.0
    deliver: float = 0.0
    publish: float = 0.0
    wall: dict[str, float] = field(default_factory=dict)


@dataclass
class StallResult:
    people: int
    rounds: list[Round]
    phases: Phases
    diagnosis: Diagnosis
    per_send_on_loop: dict[str, float]
    isolated: dict[str, tuple[float, int]]
    total: float

    def of(self, notifier: str) -> list[Round]:
        return [r for r in self.rounds if r.notifier == notifier]


def _raise(db: Database, label: str) -> int:
    view, _ = alerts.raise_alert(db, datetime.now(UTC), f"stall {label}", team=TEAM)
    return view.number


async def _round(db: Database, sink: HttpSink, engine: Engine, name: str, label: str) -> Round:
    number = await asyncio.to_thread(_raise, db, label)
    async with LagProbe() as probe:
        await asyncio.sleep(0.02)  # a few quiet ticks first
        start = time.perf_counter()
        await engine.run_once()
        end = time.perf_counter()
    lags = probe.lags(start, end + 0.002)
    await sink.await_for(lambda got: _delivered_in(got, number) >= PEOPLE, 10)
    await asyncio.to_thread(alerts.resolve, db, datetime.now(UTC), number, "bench")
    await engine.publish_new()
    return Round(name, max(lags, default=0.0), percentile(lags, 99), end - start, PEOPLE, len(lags))


def _delivered_in(got: list[Received], number: int) -> int:
    tag = f"[cltui #{number}]"
    return sum(1 for r in got if tag in str((r.json or {}).get("title", "")))


async def _phases(db: Database, sink: HttpSink, engine: Engine) -> Phases:
    """One engine round with run_once's steps timed apart (the same calls it makes)."""
    number = await asyncio.to_thread(_raise, db, "phases")
    result = Phases()
    async with LagProbe() as probe:
        await asyncio.sleep(0.02)
        marks = [time.perf_counter()]
        await asyncio.to_thread(paging.run_due, db, engine.clock.now())
        marks.append(time.perf_counter())
        await engine.deliver()
        marks.append(time.perf_counter())
        await engine.publish_new()
        marks.append(time.perf_counter())
    names = ("run_due", "deliver", "publish")
    for name, start, end in zip(names, marks, marks[1:], strict=False):
        setattr(result, name, max(probe.lags(start, end + 0.002), default=0.0))
        result.wall[name] = end - start
    await sink.await_for(lambda got: _delivered_in(got, number) >= PEOPLE, 10)
    await asyncio.to_thread(alerts.resolve, db, datetime.now(UTC), number, "bench")
    await engine.publish_new()
    return result


@dataclass
class Diagnosis:
    """Sampled engine rounds: the longest stalls with where the loop thread was, and the
    garbage collections that overlapped them."""

    rounds: int
    max_lags: list[float]
    stalls: list[tuple[float, list[tuple[str, int]], list[tuple[int, float]]]]
    hotspots: list[tuple[str, int]]
    gc_max: float
    gc_count: int


async def _diagnose(db: Database, sink: HttpSink, engine: Engine, rounds: int) -> Diagnosis:
    """More engine rounds with the stall sampler watching the loop thread (it perturbs the
    timing a little, so these rounds are not in the headline figures)."""
    max_lags: list[float] = []
    stalls: list[tuple[float, list[tuple[str, int]], list[tuple[int, float]]]] = []
    hotspots: Counter[str] = Counter()
    gc_pauses: list[float] = []
    for index in range(rounds):
        number = await asyncio.to_thread(_raise, db, f"sampled {index}")
        async with LagProbe() as probe:
            sampler = StallSampler(probe, threading.get_ident())
            sampler.start()
            try:
                await asyncio.sleep(0.02)
                start = time.perf_counter()
                await engine.run_once()
                end = time.perf_counter()
            finally:
                sampler.stop()
        max_lags.append(max(probe.lags(start, end + 0.002), default=0.0))
        hotspots.update(sampler.seen)
        gc_pauses += [secs for *_, secs in sampler.gc_pauses]
        for episode in sampler.episodes()[:2]:
            at = next((t for t, lag in probe.samples if lag == episode.lag), end)
            overlapping = sampler.gc_during(at - episode.lag - 0.001, at)
            stalls.append((episode.lag, episode.seen.most_common(3), overlapping))
        await sink.await_for(lambda got, n=number: _delivered_in(got, n) >= PEOPLE, 10)
        await asyncio.to_thread(alerts.resolve, db, datetime.now(UTC), number, "bench")
        await engine.publish_new()
    stalls.sort(key=lambda s: s[0], reverse=True)
    return Diagnosis(
        rounds,
        max_lags,
        stalls[:4],
        hotspots.most_common(8),
        max(gc_pauses, default=0.0),
        len(gc_pauses),
    )


def _per_send_on_loop(db: Database, sink: HttpSink) -> dict[str, float]:
    """What the engine's `_send` does on the loop thread itself, per send, measured alone:
    compose the message, build the Apprise object and add the URL."""
    alert = alerts.list_alerts(db, limit=1)[0]
    url = sink.apprise_url("/p000")
    n = 200
    start = time.perf_counter()
    for _ in range(n):
        compose(alert, "p000")
    composed = (time.perf_counter() - start) / n
    start = time.perf_counter()
    for _ in range(n):
        sender = apprise.Apprise()
        sender.add(url)
    built = (time.perf_counter() - start) / n
    return {"compose": composed, "Apprise() + add(url)": built}


def _isolated(db: Database) -> dict[str, tuple[float, int]]:
    """The database work of one fan-out alone, no sends running: seconds and SQL statements
    for `paging.run_due` (one write transaction) and `paging.outgoing` (one read)."""
    statements = [0]

    def count(*_: object) -> None:
        statements[0] += 1

    number = _raise(db, "isolated")
    found: dict[str, tuple[float, int]] = {}
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        for name, work in (
            ("paging.run_due", lambda: paging.run_due(db, datetime.now(UTC))),
            ("paging.outgoing", lambda: paging.outgoing(db)),
        ):
            statements[0] = 0
            start = time.perf_counter()
            work()
            found[name] = (time.perf_counter() - start, statements[0])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
        alerts.resolve(db, datetime.now(UTC), number, "bench")  # cancels what was queued
    return found


async def _main(folder: Path) -> StallResult:
    began = time.perf_counter()
    with HttpSink() as sink, scratch_db(folder, "stall") as db:
        handles = [f"p{i:03d}" for i in range(PEOPLE)]
        await asyncio.to_thread(add_people, db, sink, handles)
        await asyncio.to_thread(add_team, db, TEAM, handles, "all_in_rotation")
        notifiers: dict[str, Notifier] = {
            "engine (async_notify)": AppriseNotifier(),
            "naive (sync notify on loop)": SyncAppriseNotifier(),
        }
        engines = {
            name: Engine(db, notifier, clock=SystemClock()) for name, notifier in notifiers.items()
        }
        for engine in engines.values():
            await engine.publish_new()  # move the feed watermark past the roster events
        rounds: list[Round] = []
        try:
            for name, engine in engines.items():  # warm-up, not counted
                await _round(db, sink, engine, name, f"warm-up {name}")
            start = time.perf_counter()
            for index in range(ROUNDS):
                if time.perf_counter() - start > TIME_CAP:
                    break
                for name, engine in engines.items():
                    rounds.append(await _round(db, sink, engine, name, f"{name} {index}"))
            engine = engines["engine (async_notify)"]
            phases = await _phases(db, sink, engine)
            diagnosis = await _diagnose(db, sink, engine, DIAGNOSE_ROUNDS)
            previous = sys.getswitchinterval()
            sys.setswitchinterval(SHORT_SWITCH)
            try:
                for index in range(ROUNDS):
                    short = await _round(db, sink, engine, "engine, switch 1 ms", f"sw {index}")
                    rounds.append(short)
            finally:
                sys.setswitchinterval(previous)
        finally:
            for engine in engines.values():
                await engine.stop()
        per_send = await asyncio.to_thread(_per_send_on_loop, db, sink)
        isolated = await asyncio.to_thread(_isolated, db)
    return StallResult(
        PEOPLE, rounds, phases, diagnosis, per_send, isolated, time.perf_counter() - began
    )


def run(folder: Path) -> StallResult:
    return asyncio.run(_main(folder))


def summary(result: StallResult) -> dict[str, dict[str, float]]:
    out = {}
    for name in dict.fromkeys(r.notifier for r in result.rounds):
        rounds = result.of(name)
        out[name] = {
            "max_lag": max(r.max_lag for r in rounds),
            "median_max_lag": median([r.max_lag for r in rounds]),
            "p99_lag": median([r.p99_lag for r in rounds]),
            "wall": median([r.wall for r in rounds]),
        }
    return out
