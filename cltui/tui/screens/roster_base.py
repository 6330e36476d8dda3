"""What the People, Teams and Escalation screens share: the console context, reloading when
the roster changes anywhere, roster writes through the engine, and how times are shown."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from textual import on
from textual.screen import Screen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from cltui.domain.durations import format_duration
from cltui.domain.errors import Invalid, Refused
from cltui.engine.bus import Overflowed, RosterChanged
from cltui.tui.context import ConsoleContext, EngineEvent

T = TypeVar("T")


def local_time(at: datetime, zone: str) -> str:
    """`Mon 30 Nov 09:00 GMT`: a time as the team's zone reads it."""
    return at.astimezone(ZoneInfo(zone)).strftime("%a %d %b %H:%M %Z")


def approx(seconds: float) -> str:
    """A duration to the minute, at most two units: `4d`, `3d5h`, `45m`, `<1m`."""
    whole = int(seconds) // 60 * 60
    if whole <= 0:
        return "<1m"
    text = format_duration(whole)
    units = [i for i, c in enumerate(text) if c.isalpha()]
    return text[: units[1] + 1] if len(units) > 2 else text


def relative(at: datetime, now: datetime) -> str:
    seconds = (at - now).total_seconds()
    return f"in {approx(seconds)}" if seconds >= 0 else f"{approx(-seconds)} ago"


def restore_options(widget: OptionList, options: list[Option], keep: str | None) -> None:
    """Replace the options and keep the highlight on the option with id `keep` (else the
    first)."""
    widget.set_options(options)
    if not options:
        return
    ids = [o.id for o in options]
    widget.highlighted = ids.index(keep) if keep in ids else 0


class RosterScreen(Screen[None]):
    """A screen over the roster: loads on mount and on resume, reloads when the roster
    changes (or the bus overflowed), and writes through the engine."""

    @property
    def ctx(self) -> ConsoleContext:
        return self.app.ctx  # type: ignore[attr-defined,no-any-return]

    async def reload(self) -> None:
        raise NotImplementedError

    def schedule_reload(self) -> None:
        self.run_worker(self.reload, group="reload", exclusive=True, exit_on_error=False)

    def on_mount(self) -> None:
        self.schedule_reload()

    def on_screen_resume(self) -> None:
        self.schedule_reload()

    @on(EngineEvent)
    def _engine_event(self, message: EngineEvent) -> None:
        if isinstance(message.event, (RosterChanged, Overflowed)):
            self.schedule_reload()

    async def write(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """Run a roster write through the engine (so every view hears of it); a refusal
        becomes a notification and None."""
        try:
            return await self.ctx.engine.edit_roster(fn, *args, actor=self.ctx.operator, **kwargs)
        except (Invalid, Refused) as error:
            self.notify(str(error), title="Not saved", severity="error")
            return None
