"""Benchmarks for cltui, run with `make bench` (`python -m bench`).

Each measurement compares the engine against a peer in the same run and the results are
written to `bench/RESULTS.md`: event-loop stall while delivering (`bench.stall`), pickup
latency across processes (`bench.pickup`) and ingest throughput to the store
(`bench.ingest`). Everything runs on 127.0.0.1 in temporary directories; every process and
server started is stopped by its own handle.
"""
