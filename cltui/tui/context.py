"""What every screen of the console works with: the database, the engine, the clock and
who the operator is; and the message that carries engine events to the screens."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from cltui.engine.bus import BusEvent, Overflowed
from cltui.engine.clock import Clock
from cltui.engine.runner import Engine
from cltui.store.database import Database


@dataclass
class ConsoleContext:
    db: Database
    engine: Engine
    clock: Clock
    operator: str
    api_url: str | None = None
    notice: str | None = None


class EngineEvent(Message):
    """An event from the engine's bus (or `Overflowed`: reload everything)."""

    def __init__(self, event: BusEvent | Overflowed) -> None:
        super().__init__()
        self.event = event
