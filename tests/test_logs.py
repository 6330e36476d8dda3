"""cltui's own log: details in a private file, one plain line on stderr, no traceback."""

from __future__ import annotations

import logging
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from cltui import logs


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    yield
    for handler in list(logging.getLogger("cltui").handlers):
        logging.getLogger("cltui").removeHandler(handler)
        handler.close()


def test_errors_go_to_the_file_in_full_and_to_stderr_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = logs.setup(tmp_path / "data", echo=True)
    log = logging.getLogger("cltui.engine.runner")
    try:
        raise OSError("disk I/O error")
    except OSError:
        log.exception("due work failed; trying again shortly")
    for handler in logging.getLogger("cltui").handlers:
        handler.flush()
    stderr = capsys.readouterr().err
    assert stderr.count("\n") == 1
    assert "error: due work failed; trying again shortly (OSError: disk I/O error)" in stderr
    assert "Traceback" not in stderr
    written = path.read_text()
    assert "Traceback" in written and "disk I/O error" in written
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_without_echo_nothing_reaches_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = logs.setup(tmp_path, echo=False)
    logging.getLogger("cltui.engine").warning("renewing the engine lease failed")
    for handler in logging.getLogger("cltui").handlers:
        handler.flush()
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    assert "renewing the engine lease failed" in path.read_text()
