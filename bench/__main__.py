"""`python -m bench`: run every measurement and write `bench/RESULTS.md`."""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import ingest, pickup, stall
from bench.common import machine_facts, median, ms, percentile

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def _stall_section(result: stall.StallResult) -> list[str]:
    lines = [
        f"## 1. Event-loop stall while delivering one alert to {result.people} people",
        "",
        "One alert for a team whose only escalation step is `all_in_rotation` over"
        f" {result.people} members, each with one `json://` contact on an HttpSink (a thread"
        " of this process). A probe task awaits `asyncio.sleep(0.001)` in a loop and records"
        " how late each wake-up is, over the whole `engine.run_once()` (the due work in the"
        " database, the 100 sends, publishing the timeline). Peer: the same engine with a"
        " notifier that calls apprise's sync `notify()` on the loop thread. One warm-up round"
        f" each, then {stall.ROUNDS} measured rounds each, alternating.",
        "",
        "| notifier | max stall (worst round) | max stall (median round) |"
        " p99 lag (median round) | run_once wall (median) |",
        "|---|---|---|---|---|",
    ]
    for name, row in stall.summary(result).items():
        lines.append(
            f"| {name} | {ms(row['max_lag'])} | {ms(row['median_max_lag'])} |"
            f" {ms(row['p99_lag'])} | {ms(row['wall'])} |"
        )
    lines += ["", "Every round, per notifier (max / p99 lag, wall):", ""]
    for r in result.rounds:
        lines.append(
            f"- {r.notifier}: {ms(r.max_lag)} / {ms(r.p99_lag)}, {ms(r.wall)}"
            f" ({r.samples} probe wake-ups)"
        )
    phases = result.phases
    lines += [
        "",
        "**Where, by phase** (one engine round, run_once's three steps timed apart):",
        "",
        "| phase | wall | max stall |",
        "|---|---|---|",
        f"| `paging.run_due` (asyncio.to_thread) | {ms(phases.wall['run_due'])} |"
        f" {ms(phases.run_due)} |",
        f"| `deliver()` (outgoing + 100 sends + 100 `paging.mark`) |"
        f" {ms(phases.wall['deliver'])} | {ms(phases.deliver)} |",
        f"| `publish_new()` | {ms(phases.wall['publish'])} | {ms(phases.publish)} |",
        "",
    ]
    d = result.diagnosis
    lines += [
        f"**What the loop thread was doing during stalls** ({d.rounds} more engine rounds"
        " with a sampler thread looking at the loop thread's stack every 0.5 ms whenever the"
        " probe was more than 3 ms overdue; max stall per round: "
        + ", ".join(ms(x) for x in d.max_lags)
        + "):",
        "",
        "| samples | loop thread at |",
        "|---|---|",
    ]
    lines += [f"| {count} | `{spot}` |" for spot, count in d.hotspots]
    lines += ["", "Longest stalls seen there, with any gc collection overlapping them:", ""]
    for lag, seen, gcs in d.stalls:
        where = "; ".join(f"`{spot}` x{n}" for spot, n in seen)
        collected = ", ".join(f"gen{g} {ms(s)}" for g, s in gcs) or "none"
        lines.append(f"- {ms(lag)}: {where}; gc: {collected}")
    lines += [
        "",
        f"gc in those rounds: {d.gc_count} collections, the longest {ms(d.gc_max)}.",
        "",
        "Work per send in `AppriseNotifier._apprise`, measured alone (200 calls; the"
        " sender is built in a worker thread): "
        + ", ".join(f"{name} {s * 1e6:.0f} µs" for name, s in result.per_send_on_loop.items())
        + ".",
        "",
        "The database work of one fan-out alone (no sends running, called directly): "
        + ", ".join(
            f"`{name}` {ms(secs)} in {n} SQL statements"
            for name, (secs, n) in result.isolated.items()
        )
        + ".",
        "",
    ]
    return lines


def _pickup_section(results: list[pickup.Pickup]) -> list[str]:
    lines = [
        "## 2. Pickup latency: alert raised → page received",
        "",
        f"{pickup.COUNT} measured alerts per side after {pickup.WARM_UP} warm-up ones, each"
        " for a person with a one-step plan on an HttpSink contact, resolved after its page"
        " arrived, then a seeded random gap of 50-350 ms. Timed from just before the raise to"
        " the sink's receipt (same monotonic clock). Cross-process: a `cltui serve` subprocess"
        " (`sys.executable -m cltui.cli --db URL serve`) on a SQLite file; this process raises"
        " with `cltui.store.alerts.raise_alert`, as the CLI does. Peer: `Engine.raise_alert`"
        " on an engine started in this process.",
        "",
        "| path | n | median | p95 | max | lost |",
        "|---|---|---|---|---|---|",
    ]
    for p in results:
        lat = p.latencies
        lines.append(
            f"| {p.name} | {len(lat)} | {ms(median(lat))} | {ms(percentile(lat, 95))} |"
            f" {ms(max(lat, default=0.0))} | {p.lost} |"
        )
    lines.append("")
    return lines


def _ingest_section(results: list[ingest.IngestPath]) -> list[str]:
    lines = [
        "## 3. Ingest throughput to the store",
        "",
        f"`cltui.store.alerts.raise_alert` called {ingest.COUNT} times one by one (one"
        " transaction each, `BEGIN IMMEDIATE`, WAL, synchronous=NORMAL) on a fresh SQLite"
        " file per path, no engine running. New alerts (no dedup key) vs the dedup path (the"
        " same dedup key each time: one alert, then duplicates).",
        "",
        "| path | alerts | seconds | alerts/s | per call p50 | per call p99 | alerts created |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in results:
        lines.append(
            f"| {p.name} | {p.count} | {p.seconds:.2f} | {p.rate:.0f} | {ms(p.p50)} |"
            f" {ms(p.p99)} | {p.created} |"
        )
    lines.append("")
    return lines


def _findings(
    result: stall.StallResult, picked: list[pickup.Pickup], ingested: list[ingest.IngestPath]
) -> list[str]:
    rows = stall.summary(result)
    engine, naive = rows["engine (async_notify)"], rows["naive (sync notify on loop)"]
    due_s, due_n = result.isolated["paging.run_due"]
    out_s, out_n = result.isolated["paging.outgoing"]
    build = result.per_send_on_loop["Apprise() + add(url)"]
    cross = picked[0].latencies
    return [
        "## Findings",
        "",
        f"- **Stall target (a few ms per send batch) is not met.** The engine's worst stall"
        f" per 100-send round is {ms(engine['median_max_lag'])} in the median round"
        f" ({ms(engine['max_lag'])} worst), p99 lag {ms(engine['p99_lag'])}; the naive sync"
        f" peer: {ms(naive['median_max_lag'])} ({ms(naive['max_lag'])} worst), p99"
        f" {ms(naive['p99_lag'])}. The naive peer's stall is the whole batch run back to"
        " back (every `_send` task runs its blocking send before its first await); the"
        " engine's stalls are not sends but the items below.",
        "- **GIL contention from the engine's own threads is the largest part.** During the"
        " longest stalls the loop thread sits in `selectors.select`: the poll has returned"
        " and the thread is waiting to take the GIL back from `asyncio.to_thread` workers"
        " (SQLAlchemy in pure Python), apprise's worker threads (requests) and, in this"
        " bench, the HttpSink thread. The 1 ms switch interval rounds (default 5 ms) give"
        f" a median-round max stall of {ms(rows['engine, switch 1 ms']['median_max_lag'])}"
        f" against {ms(engine['median_max_lag'])}: on this shared machine that comparison is"
        " noisy and does not settle it either way; the sampler is the firmer evidence. The"
        " first measured engine round after the warm-ups is often the worst one."
        " The database work of a fan-out is the other large part: `paging.run_due`"
        f" takes {ms(due_s)} and {due_n} SQL statements for one 100-person"
        " `all_in_rotation` step, in one write transaction (other writers wait behind it),"
        f" and `paging.outgoing` {ms(out_s)} and {out_n} statements; each of the 100 sends"
        " then commits its own `paging.mark`. All of it runs in worker threads.",
        "- **Per send, on the loop:** only composing the message"
        f" ({result.per_send_on_loop.get('compose', 0.0) * 1e6:.0f} µs). Building the apprise"
        f" sender (`Apprise()` + `add(url)`, {build * 1e6:.0f} µs, mostly apprise looking for"
        " its locale catalogs on disk) runs in a worker thread beside the send itself.",
        "- **gc:** the longest collection in the sampled rounds took"
        f" {ms(result.diagnosis.gc_max)}; a collection that long shows up as a stall of the"
        " same size whatever the engine does.",
        f"- **Pickup across processes meets the < 1 s target** (median {ms(median(cross))},"
        f" max {ms(max(cross, default=0.0))}): a change made by another process is seen by"
        " the engine's change-feed poll (`poll_interval` 0.25 s), so latency is the poll"
        " phase plus ~20 ms of work; in-process raises wake the engine at once.",
        f"- **Ingest**: {ingested[0].rate:.0f} new alerts/s and {ingested[1].rate:.0f}"
        " deduplicated alerts/s, one transaction each; the dedup path is not cheaper: it"
        " still writes the alert row and a timeline event and builds a full view.",
        "- Caveats: 2 cores shared with other work (see the load average); the sink runs in"
        " this process, so its thread competes for the same GIL (a remote sink would not).",
        "",
    ]


def main() -> int:
    began = time.perf_counter()
    facts = machine_facts()
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="cltui-bench-") as scratch:
        folder = Path(scratch)
        for name in ("stall", "pickup", "ingest"):
            (folder / name).mkdir()
        print("bench: 1/3 event-loop stall …", flush=True)
        start = time.perf_counter()
        stalled = stall.run(folder / "stall")
        timings["stall"] = time.perf_counter() - start
        print("bench: 2/3 pickup latency …", flush=True)
        start = time.perf_counter()
        picked = pickup.run(folder / "pickup")
        timings["pickup"] = time.perf_counter() - start
        print("bench: 3/3 ingest throughput …", flush=True)
        start = time.perf_counter()
        ingested = ingest.run(folder / "ingest")
        timings["ingest"] = time.perf_counter() - start
    lines = [
        "# cltui benchmarks",
        "",
        f"Run {when} with `make bench` (`python -m bench`), total"
        f" {time.perf_counter() - began:.0f} s ("
        + ", ".join(f"{k} {v:.0f} s" for k, v in timings.items())
        + "). Written by the run; the figures vary between runs on a shared machine.",
        "",
        "| machine | |",
        "|---|---|",
        *[f"| {key} | {value} |" for key, value in facts.items()],
        "",
        *_stall_section(stalled),
        *_pickup_section(picked),
        *_ingest_section(ingested),
        *_findings(stalled, picked, ingested),
    ]
    RESULTS.write_text("\n".join(lines))
    print(f"bench: wrote {RESULTS}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
