"""Tests for parsing and formatting durations."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cltui.domain.durations import MAX_DURATION, DurationError, format_duration, parse_duration

HINT = "(use e.g. 30s, 5m, 1h30m, 7d)"
PARTS = re.compile(r"(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?")
LIMITS = (None, 24, 60, 60)


def is_canonical(text: str) -> bool:
    """True for "0s" or d/h/m/s parts with no zero part, no leading zero, and h/m/s in range."""
    if text == "0s":
        return True
    match = PARTS.fullmatch(text)
    if not text or match is None:
        return False
    for part, limit in zip(match.groups(), LIMITS, strict=True):
        if part is None:
            continue
        if part.startswith("0") or (limit is not None and int(part) >= limit):
            return False
    return True


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30s", 30),
        ("5m", 300),
        ("1h30m", 5400),
        ("7d", 604800),
        ("1d12h", 129600),
        ("2h0m5s", 7205),
        ("0", 0),
        ("0s", 0),
        ("0d0h0m0s", 0),
        ("90m", 5400),
        ("3600s", 3600),
        ("1d1h1m1s", 90061),
        ("05m", 300),
        ("  5m\t", 300),
        ("\n1h\n", 3600),
        ("3650d", MAX_DURATION),
        ("3649d23h59m60s", MAX_DURATION),
    ],
)
def test_parse_valid(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", f'wait: "" is not a duration {HINT}'),
        ("   ", f'wait: "" is not a duration {HINT}'),
        ("5x", f'wait: "5x" is not a duration {HINT}'),
        ("5", f'wait: "5" is not a duration {HINT}'),
        ("00", f'wait: "00" is not a duration {HINT}'),
        ("m", f'wait: "m" is not a duration {HINT}'),
        ("5M", f'wait: "5M" is not a duration {HINT}'),
        ("1H30M", f'wait: "1H30M" is not a duration {HINT}'),
        ("5m5m", f'wait: "5m5m" is not a duration {HINT}'),
        ("30m1h", f'wait: "30m1h" is not a duration {HINT}'),
        ("1s1m", f'wait: "1s1m" is not a duration {HINT}'),
        ("1h 30m", f'wait: "1h 30m" is not a duration {HINT}'),
        ("1.5h", f'wait: "1.5h" is not a duration {HINT}'),
        ("+5m", f'wait: "+5m" is not a duration {HINT}'),
        ("--5m", f'wait: "--5m" is not a duration {HINT}'),
        ("-", f'wait: "-" is not a duration {HINT}'),
        ("5 m", f'wait: "5 m" is not a duration {HINT}'),
        ("\u0661m", f'wait: "\u0661m" is not a duration {HINT}'),
        ("5min", f'wait: "5min" is not a duration {HINT}'),
        ("-5m", 'wait: "-5m" must not be negative'),
        (" -1h30m ", 'wait: "-1h30m" must not be negative'),
        ("-0", 'wait: "-0" must not be negative'),
        ("3651d", 'wait: "3651d" is too long (at most 3650d)'),
        ("3650d1s", 'wait: "3650d1s" is too long (at most 3650d)'),
        ("87601h", 'wait: "87601h" is too long (at most 3650d)'),
        ("9" * 5000 + "s", f'wait: "{"9" * 5000}s" is too long (at most 3650d)'),
    ],
)
def test_parse_invalid(text: str, message: str) -> None:
    with pytest.raises(DurationError) as raised:
        parse_duration(text, field="wait")
    assert str(raised.value) == message


def test_duration_error_is_a_value_error_and_field_defaults() -> None:
    with pytest.raises(ValueError, match=r'^duration: "7y" is not a duration'):
        parse_duration("7y")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (1, "1s"),
        (59, "59s"),
        (60, "1m"),
        (90, "1m30s"),
        (3600, "1h"),
        (3601, "1h1s"),
        (5400, "1h30m"),
        (86400, "1d"),
        (604800, "7d"),
        (90061, "1d1h1m1s"),
        (86399, "23h59m59s"),
        (MAX_DURATION, "3650d"),
        (MAX_DURATION + 1, "3650d1s"),
    ],
)
def test_format(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize("text", ["0s", "1s", "1m30s", "7d", "1d1h1m1s", "23h59m59s"])
def test_is_canonical_accepts(text: str) -> None:
    assert is_canonical(text)


@pytest.mark.parametrize("text", ["", "0", "0m", "90s", "60m", "24h", "1h0m", "01m", "1m1h"])
def test_is_canonical_refuses(text: str) -> None:
    assert not is_canonical(text)


def test_format_refuses_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        format_duration(-1)


@given(st.integers(min_value=0, max_value=MAX_DURATION))
def test_parse_inverts_format(seconds: int) -> None:
    text = format_duration(seconds)
    assert is_canonical(text)
    assert parse_duration(text) == seconds


def _typed(parts: list[tuple[int, str]]) -> str:
    return "".join(f"{count}{unit}" for count, unit in parts)


typed_durations = (
    st.lists(st.sampled_from("dhms"), min_size=1, max_size=4, unique=True)
    .flatmap(
        lambda units: st.tuples(
            *(
                st.tuples(st.integers(0, 10_000 if unit != "d" else 500), st.just(unit))
                for unit in sorted(units, key="dhms".index)
            )
        )
    )
    .map(lambda parts: _typed(list(parts)))
)


@given(typed_durations)
def test_format_of_parse_is_canonical_and_idempotent(text: str) -> None:
    seconds = parse_duration(text)
    canonical = format_duration(seconds)
    assert is_canonical(canonical)
    assert parse_duration(canonical) == seconds
    assert format_duration(parse_duration(canonical)) == canonical


@given(typed_durations)
def test_negated_durations_are_refused_as_negative(text: str) -> None:
    with pytest.raises(DurationError, match="must not be negative"):
        parse_duration(f"-{text}")
