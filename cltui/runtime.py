"""A running cltui: the database, the engine, the HTTP API and (for the demo) the inbox and
the trickle, started together and stopped together by the console and by `cltui serve`."""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from cltui.api.server import ApiServer, prepare_api
from cltui.config import Settings
from cltui.demo import DemoInbox, Trickle, build_roster
from cltui.engine.clock import Clock, SystemClock
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
    api: ApiServer | None = None
    api_error: str | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


@contextlib.asynccontextmanager
async def running(
    settings: Settings,
    *,
    demo: bool = False,
    clock: Clock | None = None,
    notifier: Notifier | None = None,
    trickle: bool = True,
    api: bool = True,
    listen: str | None = None,
    require_api: bool = False,
) -> AsyncIterator[Runtime]:
    """Open the database (a throwaway one with the demo roster for `demo`), start the engine
    and, with `api`, the HTTP API on `listen` (default: the settings'), and yield;
    everything stops on the way out. An API that cannot listen is an error with
    `require_api`, else a note in `Runtime.api_error` while the rest runs on."""
    clock = clock or SystemClock()
    with contextlib.ExitStack() as cleanup:
        url = settings.database
        if demo:
            folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="cltui-demo-"))
            url = f"sqlite:///{Path(folder) / 'demo.db'}"
            settings = replace(settings, data_dir=Path(folder))
        prepared, api_error = None, None
        if api:
            try:
                prepared = prepare_api(settings, listen=listen, clock=clock)
            except (OSError, ValueError) as error:
                if require_api:
                    raise
                api_error = f"the HTTP API is not running: {error}"
            else:
                cleanup.callback(prepared.close)
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
            ack_link=prepared.links.url if prepared else None,
        )
        runtime = Runtime(settings, db, engine, clock, inbox, api_error=api_error)
        await engine.start()
        try:
            if prepared is not None:
                runtime.api = await prepared.start(engine)
            if demo and trickle:
                runtime.trickle = Trickle(engine)
                runtime.tasks.append(asyncio.create_task(runtime.trickle.run()))
            yield runtime
        finally:
            for task in runtime.tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if runtime.api is not None:
                await runtime.api.stop()
            await engine.stop()
            if inbox is not None:
                await inbox.stop()
