"""The layers below the console never load textual or rich (checked in a fresh process)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEADLESS = ["cltui.domain", "cltui.store", "cltui.engine", "cltui.api", "cltui.config"]

SCRIPT = """
import importlib, pkgutil, sys
package = importlib.import_module({name!r})
for module in pkgutil.walk_packages(getattr(package, "__path__", []), package.__name__ + "."):
    importlib.import_module(module.name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print(",".join(loaded))
"""


@pytest.mark.parametrize("name", HEADLESS)
def test_headless_layer_never_loads_textual(name: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(name=name)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{name} loaded: {result.stdout.strip()}"


def test_the_console_does_load_textual() -> None:
    """The check above can fail: the console package does pull textual in."""
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(name="cltui.tui.context")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "textual" in result.stdout
