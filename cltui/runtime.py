"""A running cltui: the database, the engine and (for the demo) the inbox and the trickle,
started together and stopped together by the console and by `cltui serve`."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

from cltui.config import Settings
from cltui.demo import DemoInbox, Trickle, build_roster
from cltui.engine.clock import Clock, SystemClock
from cltui.engine.messages import AckLink
from cltui.engine.notifier import AppriseNotifier, Notifier
from cltui.engine.runner import Engine
from cltui.store.database import Database


@dataclass
class Runtime:
    settings: Settings
    db: Database
    engine: Engine
    clock: Clock
    inbox: DemoInbox | None = None
    trickle: Trickle | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


@contextlib.asynccontextmanager
async def running(
    settings: Settings,
    *,
    demo: bool = False,
    clock: Clock | None = None,
    notifier: Notifier | None = None,
    ack_link: AckLink | None = None,
    trickle: bool = True,
) -> AsyncIterator[Runtime]:
    """Open the database (a throwaway one with the demo roster for `demo`), start the engine
    and yield; everything stops on the way out."""
    clock = clock or SystemClock()
    with contextlib.ExitStack() as cleanup:
        url = settings.database
        if demo:
            folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="cltui-demo-"))
            url = f"sqlite:///{Path(folder) / 'demo.db'}"
        db = await asyncio.to_thread(Database, url)
        cleanup.callback(db.close)
        inbox = None
        if demo:
            inbox = await DemoInbox().start()
            await asyncio.to_thread(build_roster, db, inbox.url, clock.now())
        engine = Engine(
            db,
            notifier or AppriseNotifier(settings.email_url),
            clock=clock,
            ack_link=ack_link,
        )
        runtime = Runtime(settings, db, engine, clock, inbox)
        await engine.start()
        try:
            if demo and trickle:
                runtime.trickle = Trickle(engine)
                runtime.tasks.append(asyncio.create_task(runtime.trickle.run()))
            yield runtime
        finally:
            for task in runtime.tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await engine.stop()
            if inbox is not None:
                await inbox.stop()
