"""Rotations: which member of a team is on duty at a given time, computed from the clock.

A team's members are kept in rotation order, positions ``0..size-1``. With a shift length
the member on duty changes at each handoff and the order advances by one member per shift;
an ``offset`` (changed by *take over*) says who is on duty relative to that count. Every
function takes the time as a parameter and returns aware UTC datetimes.

Handoff ``k`` (negative before the anchor) is ``anchor + k*shift`` in absolute time, except
when the shift is a whole number of days: then it is the anchor's wall-clock time in the
policy's zone, ``k*shift`` days on, so a daily or weekly handoff at 09:00 stays at 09:00 local
across daylight-saving changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "RotationPolicy",
    "Shift",
    "handoff_at",
    "member_schedule",
    "next_in_rotation",
    "on_duty_position",
    "shift_index",
    "take_over_offset",
    "validate_zone",
]

DAY = 24 * 60 * 60


def validate_zone(zone: str) -> str:
    """Return ``zone`` if it names an IANA time zone, else raise ValueError."""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, OSError, TypeError):
        raise ValueError(
            f'zone: "{zone}" is not a known time zone (e.g. Europe/London, UTC)'
        ) from None
    return zone


@dataclass(frozen=True)
class RotationPolicy:
    """How a team's on-duty member changes over time.

    Attributes:
        shift: shift length in seconds; 0 means no automatic handoff (only take over).
        handoff: timezone-aware anchor, the time of handoff 0.
        zone: IANA zone whose wall clock whole-day shifts follow.
    """

    shift: int
    handoff: datetime
    zone: str

    def __post_init__(self) -> None:
        if self.shift < 0:
            raise ValueError(f"shift: must not be negative, got {self.shift} seconds")
        _require_aware(self.handoff, "handoff")
        validate_zone(self.zone)


@dataclass(frozen=True)
class Shift:
    """One member's place in the schedule: on duty now, or their next shift.

    ``starts_at``/``ends_at`` are the current shift for the member on duty, the next shift
    for everyone else, and both None when the rotation has no shift length.
    """

    position: int
    on_duty: bool
    starts_at: datetime | None
    ends_at: datetime | None


def handoff_at(policy: RotationPolicy, k: int) -> datetime:
    """The time of handoff ``k`` (``k`` < 0 is before the anchor), as an aware UTC datetime.

    Raises:
        ValueError: the policy has no shift length, hence no handoffs.
    """
    _require_shift(policy)
    days, rest = divmod(policy.shift, DAY)
    if rest:
        return policy.handoff.astimezone(UTC) + timedelta(seconds=k * policy.shift)
    zone = ZoneInfo(policy.zone)
    anchor = policy.handoff.astimezone(zone)
    day = anchor.date() + timedelta(days=k * days)
    # fold=0 resolves wall-clock times that are skipped or repeated that day.
    local = datetime.combine(day, anchor.time(), tzinfo=zone).replace(fold=0)
    return local.astimezone(UTC)


def shift_index(policy: RotationPolicy, t: datetime) -> int:
    """The ``k`` with ``handoff_at(policy, k) <= t < handoff_at(policy, k + 1)``.

    Raises:
        ValueError: the policy has no shift length, or ``t`` is naive.
    """
    _require_shift(policy)
    t = _utc(t, "t")
    k = (t - policy.handoff.astimezone(UTC)) // timedelta(seconds=policy.shift)
    # The estimate is exact for absolute shifts; whole-day shifts drift from it by at most
    # the zone's offset change, which is less than a shift.
    while handoff_at(policy, k) > t:
        k -= 1
    while handoff_at(policy, k + 1) <= t:
        k += 1
    return k


def on_duty_position(size: int, policy: RotationPolicy, offset: int, t: datetime) -> int | None:
    """The position on duty at ``t``, or None for an empty team."""
    if size == 0:
        return None
    _require_size(size)
    if policy.shift == 0:
        return offset % size
    return (shift_index(policy, t) + offset) % size


def take_over_offset(size: int, policy: RotationPolicy, position: int, t: datetime) -> int:
    """The offset (``0..size-1``) that puts ``position`` on duty at ``t``.

    The rotation then continues from that member: the next member in order takes over at the
    following handoff, which is not moved.

    Raises:
        ValueError: ``position`` is not in ``0..size-1``.
    """
    _require_size(size)
    if not 0 <= position < size:
        raise ValueError(f"position: {position} is not in a rotation of {size}")
    if policy.shift == 0:
        return position
    return (position - shift_index(policy, t)) % size


def member_schedule(size: int, policy: RotationPolicy, offset: int, t: datetime) -> list[Shift]:
    """One :class:`Shift` per position, in position order, as seen at ``t``."""
    if size == 0:
        return []
    _require_size(size)
    if policy.shift == 0:
        on_duty = offset % size
        return [Shift(p, p == on_duty, None, None) for p in range(size)]
    k = shift_index(policy, t)
    current = (k + offset) % size
    schedule = []
    for position in range(size):
        start = k + (position - current) % size
        schedule.append(
            Shift(
                position=position,
                on_duty=position == current,
                starts_at=handoff_at(policy, start),
                ends_at=handoff_at(policy, start + 1),
            )
        )
    return schedule


def next_in_rotation(size: int, start: int, already: set[int]) -> int | None:
    """The first position from ``start`` (inclusive, wrapping round) not in ``already``."""
    if size == 0:
        return None
    _require_size(size)
    for step in range(size):
        position = (start + step) % size
        if position not in already:
            return position
    return None


def _require_size(size: int) -> None:
    if size < 0:
        raise ValueError(f"size: must not be negative, got {size}")


def _require_shift(policy: RotationPolicy) -> None:
    if policy.shift == 0:
        raise ValueError("a rotation with no shift length has no handoffs")


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name}: {value.isoformat()} has no time zone")


def _utc(value: datetime, name: str) -> datetime:
    _require_aware(value, name)
    return value.astimezone(UTC)
