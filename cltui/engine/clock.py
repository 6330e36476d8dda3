"""Clocks: the real one, and a fake one that tests and snapshots move by hand."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...

    async def sleep_until(self, deadline: datetime | None, wake: asyncio.Event) -> None:
        """Return at `deadline` (never, if None) or as soon as `wake` is set."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    async def sleep_until(self, deadline: datetime | None, wake: asyncio.Event) -> None:
        timeout = None if deadline is None else (deadline - self.now()).total_seconds()
        if timeout is not None and timeout <= 0:
            return
        # asyncio.timeout, not wait_for, which on 3.11 can swallow a cancellation.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(timeout):
                await wake.wait()


class FakeClock:
    """Time stands still until `advance` or `set` moves it; sleepers wake when it passes."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
        self._sleepers: set[asyncio.Event] = set()

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when
        for moved in self._sleepers:
            moved.set()

    def advance(self, delta: timedelta | float) -> datetime:
        self.set(self._now + (delta if isinstance(delta, timedelta) else timedelta(seconds=delta)))
        return self._now

    async def sleep_until(self, deadline: datetime | None, wake: asyncio.Event) -> None:
        moved = asyncio.Event()
        self._sleepers.add(moved)
        try:
            while (deadline is None or self._now < deadline) and not wake.is_set():
                waiters = [asyncio.ensure_future(wake.wait()), asyncio.ensure_future(moved.wait())]
                try:
                    await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for waiter in waiters:
                        waiter.cancel()
                moved.clear()
        finally:
            self._sleepers.discard(moved)
