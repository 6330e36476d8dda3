"""Validators shared by the store, the forms and the roster file: each returns the clean value
or raises `Invalid` naming the field."""

from __future__ import annotations

import re

from cltui.domain.durations import MAX_DURATION, DurationError, format_duration, parse_duration
from cltui.domain.errors import Invalid

HANDLE_PATTERN = re.compile(r"[a-z0-9._-]{1,64}")
SEVERITIES = ("critical", "error", "warning", "info")
METHODS = ("on_duty", "next_in_rotation", "all_in_rotation", "person", "webhook", "email")
METHODS_WITH_TARGET = ("person", "webhook", "email")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_SUMMARY = 500
MAX_DETAILS = 65_536


def handle(value: str, field: str = "handle") -> str:
    value = value.strip()
    if not HANDLE_PATTERN.fullmatch(value):
        raise Invalid(
            field, f'"{value}" is not a handle (use 1-64 of a-z, 0-9, ".", "_", "-"; no spaces)'
        )
    return value


def name(value: str, field: str = "name", *, required: bool = True, limit: int = 200) -> str:
    value = value.strip()
    if required and not value:
        raise Invalid(field, "must not be empty")
    if len(value) > limit:
        raise Invalid(field, f"is longer than {limit} characters")
    return value


def label(value: str, field: str = "label") -> str:
    value = name(value, field, limit=64)
    if any(c.isspace() for c in value):
        raise Invalid(field, f'"{value}" must not contain spaces')
    return value


def severity(value: str, field: str = "severity") -> str:
    value = value.strip().lower()
    if value not in SEVERITIES:
        raise Invalid(field, f'"{value}" is not one of {", ".join(SEVERITIES)}')
    return value


def summary(value: str, field: str = "summary") -> str:
    return name(value, field, limit=MAX_SUMMARY)


def details(value: str, field: str = "details") -> str:
    if len(value) > MAX_DETAILS:
        raise Invalid(field, f"is longer than {MAX_DETAILS} characters")
    return value


def method(value: str, field: str = "method") -> str:
    value = value.strip()
    if value not in METHODS:
        raise Invalid(field, f'"{value}" is not one of {", ".join(METHODS)}')
    return value


def email(value: str, field: str = "target") -> str:
    value = value.strip()
    if not EMAIL_PATTERN.fullmatch(value):
        raise Invalid(field, f'"{value}" is not an email address')
    return value


def webhook_url(value: str, field: str = "target") -> str:
    value = value.strip()
    if not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value):
        raise Invalid(field, f'"{value}" is not an http:// or https:// URL')
    return value


def duration(value: str | int, field: str) -> int:
    """Seconds from a duration text (`5m`) or a whole number of seconds."""
    if isinstance(value, bool):
        raise Invalid(field, f"{value!r} is not a duration")
    if isinstance(value, int):
        if value < 0:
            raise Invalid(field, f"{value} must not be negative")
        if value > MAX_DURATION:
            raise Invalid(field, f"{value} is too long (at most {format_duration(MAX_DURATION)})")
        return value
    try:
        return parse_duration(value, field=field)
    except DurationError as error:
        raise Invalid(field, str(error).removeprefix(f"{field}: ")) from None


def repeat_count(value: int, field: str = "repeat") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise Invalid(field, f"{value!r} is not a whole number from 0 to 100")
    return value
