"""Background tasks that fail (the database gone away, say) are said on screen and logged;
the console stays up. Screens and dialogs that start workers mix in `ReportsFailures`."""

from __future__ import annotations

import logging

from textual.app import App
from textual.worker import Worker, WorkerState

log = logging.getLogger(__name__)


def report(app: App[object], event: Worker.StateChanged) -> None:
    error = event.worker.error
    if event.state != WorkerState.ERROR or error is None:
        return
    log.error("console task %s failed", event.worker.name, exc_info=error)
    app.notify(
        f"{type(error).__name__}: {error}".splitlines()[0],
        title="That did not work",
        severity="error",
        timeout=15,
    )


class ReportsFailures:
    """Worker state messages do not bubble: each node that runs workers reports its own."""

    app: App[object]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report(self.app, event)
