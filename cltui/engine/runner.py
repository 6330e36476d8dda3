"""The engine: one asyncio task set per process that pages people and escalates.

It sleeps until the earliest due time or a wake-up, then does the due work in the database
and sends what that work recorded as due. Exactly one process drives a database at a time
(the lease); every process, driving or standing by, reads the timeline's change feed and
publishes it on the bus, so each view sees changes made anywhere.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any, ParamSpec, TypeVar

from cltui.engine import bus as bus_module
from cltui.engine.bus import EventBus
from cltui.engine.clock import Clock, SystemClock
from cltui.engine.messages import AckLink, compose
from cltui.engine.notifier import Notifier
from cltui.store import alerts, lease, paging
from cltui.store.alerts import AlertView
from cltui.store.database import Database

log = logging.getLogger(__name__)

# How long an event id skipped by the feed is looked for again, and how many at most.
GAP_PATIENCE = 30.0
MAX_GAPS = 10_000

P = ParamSpec("P")
T = TypeVar("T")


class Engine:
    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        *,
        clock: Clock | None = None,
        bus: EventBus | None = None,
        ack_link: AckLink | None = None,
        lease_ttl: float = 6.0,
        lease_renew: float = 2.0,
        poll_interval: float = 0.25,
        max_concurrent_sends: int = 16,
    ) -> None:
        self.db = db
        self.notifier = notifier
        self.clock: Clock = clock or SystemClock()
        self.bus = bus or EventBus()
        self.ack_link = ack_link
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease_ttl = lease_ttl
        self.lease_renew = lease_renew
        self.poll_interval = poll_interval
        self.leading = False
        self._sends = asyncio.Semaphore(max_concurrent_sends)
        # Messages being sent, and those sent since the last look at the outbox: a look that
        # began before a message was marked may still list it as due.
        self._in_flight: set[int] = set()
        self._settled: set[int] = set()
        self._looking = asyncio.Lock()
        self._wake_drive = asyncio.Event()
        self._wake_feed = asyncio.Event()
        self._led = asyncio.Event()
        self._watermark = 0
        self._gaps: dict[int, float] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._deliveries: set[asyncio.Task[None]] = set()

    # ------------------------------------------------------------ life cycle

    async def start(self, *, lead: bool = True) -> None:
        """Start reading the change feed and, with `lead`, compete for the lease."""
        self._watermark = await self._db(alerts.last_event_id, self.db)
        self._tasks = [asyncio.create_task(self._feed_loop(), name="cltui-feed")]
        if lead:
            self._tasks += [
                asyncio.create_task(self._lease_loop(), name="cltui-lease"),
                asyncio.create_task(self._drive_loop(), name="cltui-drive"),
            ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in [*self._tasks, *self._deliveries]:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self.leading:
            await self._db(lease.release, self.db, self.holder)
            self.leading = False
        await self.notifier.close()

    async def wait_leading(self) -> None:
        await self._led.wait()

    def wake(self) -> None:
        """Something changed in the database: read the feed and look at due times now."""
        self._wake_feed.set()
        self._wake_drive.set()

    # ------------------------------------------------------------ operations

    async def _db(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        return await asyncio.to_thread(partial(fn, *args, **kwargs))

    async def _change(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        try:
            return await self._db(fn, *args, **kwargs)
        finally:
            self.wake()

    async def raise_alert(self, summary: str, **kwargs: Any) -> tuple[AlertView, bool]:
        return await self._change(alerts.raise_alert, self.db, self.clock.now(), summary, **kwargs)

    async def acknowledge(self, number: int, actor: str) -> AlertView:
        return await self._change(alerts.acknowledge, self.db, self.clock.now(), number, actor)

    async def resolve(self, number: int, actor: str) -> AlertView:
        return await self._change(alerts.resolve, self.db, self.clock.now(), number, actor)

    async def escalate_now(self, number: int, actor: str) -> AlertView:
        return await self._change(alerts.escalate_now, self.db, self.clock.now(), number, actor)

    async def edit_roster(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a roster write (a function of `cltui.store.roster`) at the engine's time and
        tell every view."""
        kwargs.setdefault("now", self.clock.now())
        return await self._change(fn, self.db, *args, **kwargs)

    # ------------------------------------------------------------ due work

    async def run_once(self) -> int:
        """Do the work due now and send what it queued; publish what happened."""
        done = await self._db(paging.run_due, self.db, self.clock.now())
        await self.deliver()
        await self.publish_new()
        return done

    async def deliver(self) -> None:
        """Send every message recorded as due, concurrently; wait for them all."""
        async with self._looking:
            settled = set(self._settled)
            items = await self._db(paging.outgoing, self.db)
            # Marked before this look began, so it cannot list them: forget them now.
            self._settled -= settled
            self._in_flight -= settled
            batch = [i for i in items if i.id not in self._in_flight]
            self._in_flight.update(i.id for i in batch)
        await asyncio.gather(*(self._send(item) for item in batch))

    async def _send(self, item: paging.Outgoing) -> None:
        try:
            async with self._sends:
                message = compose(item.alert, item.person, self.ack_link)
                result = await self.notifier.send(item.channel, item.url, message)
                await self._db(
                    paging.mark, self.db, self.clock.now(), item, result.ok, result.detail
                )
        finally:
            self._settled.add(item.id)
            self._wake_feed.set()

    async def publish_new(self) -> int:
        """Publish timeline events written since the last look (by any process)."""
        events = await self._db(alerts.events_after, self.db, self._watermark, self._gaps)
        now = time.monotonic()
        for event in events:
            if self._gaps.pop(event.id, None) is None:
                # On PostgreSQL a transaction can commit after one with a later id: remember
                # the ids skipped over and look for them again for a while.
                if len(self._gaps) < MAX_GAPS:
                    self._gaps.update(dict.fromkeys(range(self._watermark + 1, event.id), now))
                self._watermark = max(self._watermark, event.id)
            self.bus.publish(bus_module.typed(event))
        for stale in [i for i, seen in self._gaps.items() if now - seen > GAP_PATIENCE]:
            del self._gaps[stale]
        return len(events)

    async def _feed_loop(self) -> None:
        while True:
            # asyncio.timeout, not wait_for: on 3.11 wait_for swallows a cancellation that
            # arrives as the event is set, and stop() would then wait for this loop forever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.poll_interval):
                    await self._wake_feed.wait()
            self._wake_feed.clear()
            try:
                if await self.publish_new():
                    # Another process may have raised or changed an alert: look at due times.
                    self._wake_drive.set()
            except Exception:
                log.exception("reading the change feed failed; trying again")

    async def _lease_loop(self) -> None:
        while True:
            try:
                leading = await self._db(
                    lease.acquire, self.db, self.holder, self.clock.now(), self.lease_ttl
                )
            except Exception:
                log.exception("renewing the engine lease failed")
                leading = False
            if leading != self.leading:
                log.info("engine %s %s", self.holder, "leads" if leading else "stands by")
                self.leading = leading
                self._wake_drive.set()
            if leading:
                self._led.set()
            else:
                self._led.clear()
            await asyncio.sleep(self.lease_renew)

    async def _drive_loop(self) -> None:
        while True:
            deadline: datetime | None = None
            if self.leading:
                try:
                    await self._db(paging.run_due, self.db, self.clock.now())
                    self._deliver_in_background()
                    deadline = await self._db(paging.next_due, self.db)
                except Exception:
                    log.exception("due work failed; trying again shortly")
                    deadline = self.clock.now()
                    await asyncio.sleep(1)
            self._wake_feed.set()
            await self.clock.sleep_until(deadline, self._wake_drive)
            self._wake_drive.clear()

    def _deliver_in_background(self) -> None:
        task = asyncio.create_task(self.deliver())
        self._deliveries.add(task)
        task.add_done_callback(self._deliveries.discard)
