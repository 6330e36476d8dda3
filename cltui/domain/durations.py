"""Durations as people type and read them: ``30s``, ``5m``, ``1h30m``, ``7d``.

Text is parsed into whole seconds and seconds are formatted back into the canonical text
(largest units first, zero parts left out), so ``format_duration(parse_duration(t))`` is the
tidy form of whatever was typed.
"""

from __future__ import annotations

import re

__all__ = ["MAX_DURATION", "DurationError", "format_duration", "parse_duration"]

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR
MAX_DAYS = 3650
MAX_DURATION = MAX_DAYS * DAY
"""The longest duration accepted from text, in seconds (3650 days)."""

_UNITS = (("d", DAY), ("h", HOUR), ("m", MINUTE), ("s", 1))
_PATTERN = re.compile(r"(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?")
# More significant digits than this cannot be within MAX_DURATION in any unit; checking the
# length first keeps int() away from pathological inputs.
_MAX_DIGITS = 12
_EXAMPLES = "use e.g. 30s, 5m, 1h30m, 7d"


class DurationError(ValueError):
    """A duration that could not be parsed; the message names the field and the text."""


def parse_duration(text: str, *, field: str = "duration") -> int:
    """Parse ``text`` such as ``"1h30m"`` into whole seconds.

    Units are ``d``, ``h``, ``m`` and ``s`` (lowercase), each at most once and in that order;
    a bare ``0`` is also accepted. Whitespace around the text is ignored.

    Raises:
        DurationError: ``text`` is empty, malformed, negative or longer than 3650 days.
    """
    stripped = text.strip()
    if stripped.startswith("-") and _parts(stripped[1:]) is not None:
        raise DurationError(f'{field}: "{stripped}" must not be negative')
    parts = _parts(stripped)
    if parts is None:
        raise DurationError(f'{field}: "{stripped}" is not a duration ({_EXAMPLES})')
    if any(len(part.lstrip("0")) > _MAX_DIGITS for part in parts):
        raise _too_long(field, stripped)
    seconds = sum(int(part) * size for part, (_, size) in zip(parts, _UNITS, strict=True))
    if seconds > MAX_DURATION:
        raise _too_long(field, stripped)
    return seconds


def format_duration(seconds: int) -> str:
    """Format whole ``seconds`` canonically: ``0s``, ``1m30s``, ``1h``, ``7d``, ``1d1h1m1s``.

    Raises:
        ValueError: ``seconds`` is negative.
    """
    if seconds < 0:
        raise ValueError(f"a duration must not be negative, got {seconds} seconds")
    if seconds == 0:
        return "0s"
    pieces = []
    remaining = seconds
    for unit, size in _UNITS:
        count, remaining = divmod(remaining, size)
        if count:
            pieces.append(f"{count}{unit}")
    return "".join(pieces)


def _parts(text: str) -> tuple[str, str, str, str] | None:
    """The digit strings for d, h, m, s ("0" where absent), or None if ``text`` is malformed."""
    if text == "0":
        return ("0", "0", "0", "0")
    match = _PATTERN.fullmatch(text) if text else None
    if match is None:
        return None
    days, hours, minutes, secs = (group or "0" for group in match.groups())
    return days, hours, minutes, secs


def _too_long(field: str, text: str) -> DurationError:
    return DurationError(f'{field}: "{text}" is too long (at most {MAX_DAYS}d)')
