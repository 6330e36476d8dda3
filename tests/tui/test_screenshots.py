"""`make screenshots` keeps working: the generator (`tests.screenshots`) writes every SVG the
README shows, each a picture of the screen it is named after."""

from __future__ import annotations

import html
import re
from pathlib import Path

from tests.screenshots import NAMES, take

TEXT = re.compile(r"<text [^>]*>([^<]*)</text>")

DISTINCTIVE = {
    "board": ["cltui — Board", "EXHAUSTED", "Primary database db-1 unreachable", "acked lancelot"],
    "people": ["cltui — People", "percival", "Arthur Pendragon", "inbox.example.com/arthur-push"],
    "teams": ["cltui — Teams", "on duty", "until Mon 30 Nov 09:00 GMT"],
    "escalation": ["cltui — Escalation", "next in rotation", "back to step 1 after 10m"],
    "escalation-preview": ["Escalation preview: kings", "the alert is exhausted"],
}


def drawn_text(svg: str) -> str:
    """The text of a Textual SVG screenshot, its pieces run together, spaces as spaces."""
    return "".join(html.unescape(piece) for piece in TEXT.findall(svg)).replace("\xa0", " ")


async def test_every_screenshot_is_written_and_shows_its_screen(tmp_path: Path) -> None:
    written = await take(tmp_path / "shots")

    assert [path.name for path in written] == [f"{name}.svg" for name in NAMES]
    assert set(DISTINCTIVE) == set(NAMES)
    for path in written:
        svg = path.read_text(encoding="utf-8")
        assert svg.startswith("<svg")
        text = drawn_text(svg)
        for expected in DISTINCTIVE[path.stem]:
            assert expected in text, f"{path.name} does not show {expected!r}"
