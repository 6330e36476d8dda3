"""The in-process event bus: typed events, delivered in order to every subscriber.

Publishing never waits: each subscriber has its own queue, so a slow one falls behind on
its own without slowing the engine. A subscriber that falls more than `limit` events behind
is told so (`Overflowed`) and should reload what it shows.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass

from cltui.store.alerts import EventView


class BusEvent(EventView):
    """Something that happened, as written on the timeline (`alert` is None for roster)."""


class AlertCreated(BusEvent): ...


class AlertDeduplicated(BusEvent): ...


class AlertPaged(BusEvent): ...


class NotificationDelivered(BusEvent): ...


class DeliveryFailed(BusEvent): ...


class AlertEscalated(BusEvent): ...


class NobodyOnDuty(BusEvent): ...


class AlertExhausted(BusEvent): ...


class AlertAcknowledged(BusEvent): ...


class AlertResolved(BusEvent): ...


class RosterChanged(BusEvent): ...


@dataclass(frozen=True)
class Overflowed:
    """The subscriber missed events; it should reload its whole view."""

    missed: int


EVENT_TYPES: dict[str, type[BusEvent]] = {
    "created": AlertCreated,
    "deduplicated": AlertDeduplicated,
    "paged": AlertPaged,
    "delivered": NotificationDelivered,
    "delivery_failed": DeliveryFailed,
    "escalated": AlertEscalated,
    "nobody_on_duty": NobodyOnDuty,
    "exhausted": AlertExhausted,
    "acknowledged": AlertAcknowledged,
    "resolved": AlertResolved,
    "roster_changed": RosterChanged,
}


def typed(event: EventView) -> BusEvent:
    """The timeline event as the bus class for its kind."""
    return EVENT_TYPES.get(event.kind, BusEvent)(
        event.id, event.alert, event.at, event.kind, event.actor, event.detail
    )


class Subscription:
    def __init__(self, bus: EventBus, limit: int) -> None:
        self._bus = bus
        self._queue: asyncio.Queue[BusEvent | Overflowed] = asyncio.Queue()
        self._limit = limit
        self._missed = 0

    def _put(self, event: BusEvent) -> None:
        if self._queue.qsize() >= self._limit:
            self._missed += 1
            return
        if self._missed:
            self._queue.put_nowait(Overflowed(self._missed))
            self._missed = 0
        self._queue.put_nowait(event)

    async def get(self) -> BusEvent | Overflowed:
        if self._queue.empty() and self._missed:
            missed, self._missed = self._missed, 0
            return Overflowed(missed)
        return await self._queue.get()

    def __aiter__(self) -> AsyncIterator[BusEvent | Overflowed]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[BusEvent | Overflowed]:
        while True:
            yield await self.get()

    def close(self) -> None:
        self._bus._subscribers.discard(self)

    def __enter__(self) -> Subscription:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class EventBus:
    def __init__(self) -> None:
        self._subscribers: set[Subscription] = set()

    def subscribe(self, limit: int = 10_000) -> Subscription:
        subscription = Subscription(self, limit)
        self._subscribers.add(subscription)
        return subscription

    def publish(self, event: BusEvent) -> None:
        for subscriber in list(self._subscribers):
            subscriber._put(event)
