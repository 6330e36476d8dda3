"""Where cltui's own diagnostics go: a private log file in the data directory (with the
details a developer needs) and, for `cltui serve`, one plain line each on stderr. Nothing
with a traceback is ever written to the console's screen or a terminal."""

from __future__ import annotations

import logging
import os
from pathlib import Path

LOG_NAME = "cltui.log"


class _OneLine(logging.Formatter):
    """The message alone, with the exception's type and text but never its traceback."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"{self.formatTime(record, '%Y-%m-%d %H:%M:%S')} {record.levelname.lower()}: "
        text += record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            text += f" ({type(error).__name__}: {error})"
        return text


def setup(data_dir: Path, *, echo: bool) -> Path:
    """Send cltui's log records to `data_dir/cltui.log` (0600), and with `echo` also to
    stderr as one line each. Returns the log file's path."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = data_dir / LOG_NAME
    fd = os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600)
    os.close(fd)
    root = logging.getLogger("cltui")
    root.setLevel(logging.INFO)
    root.propagate = False
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    to_file = logging.FileHandler(path, encoding="utf-8")
    to_file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(to_file)
    if echo:
        to_stderr = logging.StreamHandler()
        to_stderr.setLevel(logging.WARNING)
        to_stderr.setFormatter(_OneLine())
        root.addHandler(to_stderr)
    return path
