"""Tests for rotation handoffs, the member on duty, take over and schedules."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cltui.domain.rotation import (
    RotationPolicy,
    Shift,
    handoff_at,
    member_schedule,
    next_in_rotation,
    on_duty_position,
    shift_index,
    take_over_offset,
    validate_zone,
)

HOUR = 3600
DAY = 86400
WEEK = 7 * DAY
TICK = timedelta(microseconds=1)
LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# --- validate_zone and the policy itself -------------------------------------------------


@pytest.mark.parametrize("zone", ["UTC", "Europe/London", "Australia/Lord_Howe"])
def test_validate_zone_accepts_iana_names(zone: str) -> None:
    assert validate_zone(zone) == zone


@pytest.mark.parametrize(
    "zone", ["", "Mars/Olympus", "utc", "Europe/London ", "America", "../etc/passwd", "/etc/UTC"]
)
def test_validate_zone_refuses_unknown_names(zone: str) -> None:
    with pytest.raises(ValueError) as raised:
        validate_zone(zone)
    assert str(raised.value) == (
        f'zone: "{zone}" is not a known time zone (e.g. Europe/London, UTC)'
    )


def test_policy_refuses_negative_shift() -> None:
    with pytest.raises(ValueError, match="shift"):
        RotationPolicy(shift=-1, handoff=utc(2025, 1, 1), zone="UTC")


def test_policy_refuses_naive_anchor() -> None:
    with pytest.raises(ValueError, match="handoff"):
        RotationPolicy(shift=DAY, handoff=datetime(2025, 1, 1), zone="UTC")


def test_policy_refuses_unknown_zone() -> None:
    with pytest.raises(ValueError, match='zone: "Nowhere"'):
        RotationPolicy(shift=DAY, handoff=utc(2025, 1, 1), zone="Nowhere")


def test_naive_time_is_refused() -> None:
    policy = RotationPolicy(shift=DAY, handoff=utc(2025, 1, 1), zone="UTC")
    with pytest.raises(ValueError, match="no time zone"):
        shift_index(policy, datetime(2025, 1, 2))


# --- handoff_at ---------------------------------------------------------------------------

DAILY_UTC = RotationPolicy(shift=DAY, handoff=utc(2025, 1, 1, 9), zone="UTC")
# Monday 24 March 2025, 09:00 GMT; the clocks go forward on 30 March and back on 26 October.
WEEKLY_LONDON = RotationPolicy(
    shift=WEEK, handoff=datetime(2025, 3, 24, 9, tzinfo=LONDON), zone="Europe/London"
)
# 21:00 GMT the evening before the clocks go forward; the anchor is in London time on purpose,
# so same-zone wall-clock arithmetic would be caught.
EIGHT_HOURS_LONDON = RotationPolicy(
    shift=8 * HOUR, handoff=datetime(2025, 3, 29, 21, tzinfo=LONDON), zone="Europe/London"
)
# 02:30 does not exist in New York on 9 March 2025.
DAILY_NEW_YORK_GAP = RotationPolicy(
    shift=DAY, handoff=datetime(2025, 3, 8, 2, 30, tzinfo=NEW_YORK), zone="America/New_York"
)
# 01:30 happens twice in New York on 2 November 2025.
DAILY_NEW_YORK_FOLD = RotationPolicy(
    shift=DAY, handoff=datetime(2025, 11, 1, 1, 30, tzinfo=NEW_YORK), zone="America/New_York"
)
# Lord Howe moves its clocks by 30 minutes: 02:00 -> 02:30 on 5 October 2025.
DAILY_LORD_HOWE_GAP = RotationPolicy(
    shift=DAY, handoff=datetime(2025, 10, 4, 2, 15, tzinfo=LORD_HOWE), zone="Australia/Lord_Howe"
)
# ... and 02:00 -> 01:30 on 6 April 2025, so 01:45 happens twice.
DAILY_LORD_HOWE_FOLD = RotationPolicy(
    shift=DAY, handoff=datetime(2025, 4, 5, 1, 45, tzinfo=LORD_HOWE), zone="Australia/Lord_Howe"
)


@pytest.mark.parametrize(
    ("policy", "k", "expected"),
    [
        (DAILY_UTC, 0, utc(2025, 1, 1, 9)),
        (DAILY_UTC, 1, utc(2025, 1, 2, 9)),
        (DAILY_UTC, -1, utc(2024, 12, 31, 9)),
        (DAILY_UTC, 365, utc(2026, 1, 1, 9)),
        (DAILY_UTC, -366, utc(2024, 1, 1, 9)),
        (WEEKLY_LONDON, -1, utc(2025, 3, 17, 9)),
        (WEEKLY_LONDON, 0, utc(2025, 3, 24, 9)),
        (WEEKLY_LONDON, 1, utc(2025, 3, 31, 8)),
        (WEEKLY_LONDON, 30, utc(2025, 10, 20, 8)),
        (WEEKLY_LONDON, 31, utc(2025, 10, 27, 9)),
        (WEEKLY_LONDON, -5, utc(2025, 2, 17, 9)),
        (WEEKLY_LONDON, -21, utc(2024, 10, 28, 9)),
        (WEEKLY_LONDON, -22, utc(2024, 10, 21, 8)),
        (EIGHT_HOURS_LONDON, 0, utc(2025, 3, 29, 21)),
        (EIGHT_HOURS_LONDON, 1, utc(2025, 3, 30, 5)),
        (EIGHT_HOURS_LONDON, 2, utc(2025, 3, 30, 13)),
        (EIGHT_HOURS_LONDON, -1, utc(2025, 3, 29, 13)),
        (DAILY_NEW_YORK_GAP, 0, utc(2025, 3, 8, 7, 30)),
        (DAILY_NEW_YORK_GAP, 1, utc(2025, 3, 9, 7, 30)),
        (DAILY_NEW_YORK_GAP, 2, utc(2025, 3, 10, 6, 30)),
        (DAILY_NEW_YORK_FOLD, 0, utc(2025, 11, 1, 5, 30)),
        (DAILY_NEW_YORK_FOLD, 1, utc(2025, 11, 2, 5, 30)),
        (DAILY_NEW_YORK_FOLD, 2, utc(2025, 11, 3, 6, 30)),
        (DAILY_LORD_HOWE_GAP, 0, utc(2025, 10, 3, 15, 45)),
        (DAILY_LORD_HOWE_GAP, 1, utc(2025, 10, 4, 15, 45)),
        (DAILY_LORD_HOWE_GAP, 2, utc(2025, 10, 5, 15, 15)),
        (DAILY_LORD_HOWE_FOLD, 0, utc(2025, 4, 4, 14, 45)),
        (DAILY_LORD_HOWE_FOLD, 1, utc(2025, 4, 5, 14, 45)),
        (DAILY_LORD_HOWE_FOLD, 2, utc(2025, 4, 6, 15, 15)),
    ],
)
def test_handoff_at(policy: RotationPolicy, k: int, expected: datetime) -> None:
    handoff = handoff_at(policy, k)
    assert handoff == expected
    assert handoff.tzinfo is UTC


def test_weekly_london_handoff_stays_at_nine_local_all_year() -> None:
    local_times = {handoff_at(WEEKLY_LONDON, k).astimezone(LONDON).time() for k in range(-60, 60)}
    assert local_times == {datetime(2025, 1, 1, 9).time()}


def test_eight_hour_shifts_are_exactly_eight_hours_across_dst() -> None:
    handoffs = [handoff_at(EIGHT_HOURS_LONDON, k) for k in range(-3, 700)]
    assert {b - a for a, b in pairwise(handoffs)} == {timedelta(hours=8)}


def test_anchor_in_the_second_of_two_repeated_hours_is_resolved_with_fold_0() -> None:
    second_130 = datetime(2025, 11, 2, 1, 30, fold=1, tzinfo=NEW_YORK)
    assert second_130.astimezone(UTC) == utc(2025, 11, 2, 6, 30)
    policy = RotationPolicy(shift=DAY, handoff=second_130, zone="America/New_York")
    assert handoff_at(policy, 0) == utc(2025, 11, 2, 5, 30)
    assert shift_index(policy, second_130) == 0


def test_zero_shift_has_no_handoffs() -> None:
    policy = RotationPolicy(shift=0, handoff=utc(2025, 1, 1), zone="UTC")
    with pytest.raises(ValueError, match="no handoffs"):
        handoff_at(policy, 0)
    with pytest.raises(ValueError, match="no handoffs"):
        shift_index(policy, utc(2025, 1, 1))


# --- shift_index --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "t", "expected"),
    [
        (DAILY_UTC, utc(2025, 1, 1, 9), 0),
        (DAILY_UTC, utc(2025, 1, 1, 9) - TICK, -1),
        (DAILY_UTC, utc(2025, 1, 2, 8, 59, 59), 0),
        (DAILY_UTC, utc(2025, 1, 2, 9), 1),
        (DAILY_UTC, utc(2015, 1, 1, 9), -3653),
        (DAILY_UTC, utc(2035, 1, 1, 9), 3652),
        (WEEKLY_LONDON, utc(2025, 3, 31, 8) - TICK, 0),
        (WEEKLY_LONDON, utc(2025, 3, 31, 8), 1),
        (WEEKLY_LONDON, datetime(2025, 3, 31, 9, tzinfo=LONDON), 1),
        (WEEKLY_LONDON, utc(2025, 10, 27, 9) - TICK, 30),
        (WEEKLY_LONDON, utc(2025, 10, 27, 9), 31),
        (WEEKLY_LONDON, utc(2025, 3, 17, 8, 59), -2),
        (EIGHT_HOURS_LONDON, utc(2025, 3, 30, 5), 1),
        (EIGHT_HOURS_LONDON, datetime(2025, 3, 30, 5, 59, tzinfo=LONDON), 0),
        (EIGHT_HOURS_LONDON, datetime(2025, 3, 30, 6, tzinfo=LONDON), 1),
        (DAILY_LORD_HOWE_GAP, utc(2025, 10, 5, 15, 15) - TICK, 1),
        (DAILY_LORD_HOWE_GAP, utc(2025, 10, 5, 15, 15), 2),
        (DAILY_LORD_HOWE_FOLD, utc(2025, 4, 6, 15), 1),
    ],
)
def test_shift_index(policy: RotationPolicy, t: datetime, expected: int) -> None:
    assert shift_index(policy, t) == expected


def test_shift_index_is_not_a_walk_from_the_anchor() -> None:
    minutely = RotationPolicy(shift=60, handoff=utc(2000, 1, 1), zone="UTC")
    assert shift_index(minutely, utc(2100, 1, 1)) == 36525 * 24 * 60
    assert shift_index(minutely, utc(1900, 1, 1) + timedelta(seconds=30)) == -36524 * 24 * 60


# --- on duty, take over -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "offset", "t", "expected"),
    [
        (0, 0, utc(2025, 1, 1, 9), None),
        (1, 5, utc(2025, 6, 1), 0),
        (4, 0, utc(2025, 1, 1, 9), 0),
        (4, 0, utc(2025, 1, 2, 9), 1),
        (4, 0, utc(2025, 1, 4, 9), 3),
        (4, 0, utc(2025, 1, 5, 9), 0),
        (4, 0, utc(2025, 1, 1, 8), 3),
        (4, 1, utc(2025, 1, 1, 9), 1),
        (4, -1, utc(2025, 1, 1, 9), 3),
        (4, 6, utc(2025, 1, 3, 9), 0),
    ],
)
def test_on_duty_position_daily(size: int, offset: int, t: datetime, expected: int | None) -> None:
    assert on_duty_position(size, DAILY_UTC, offset, t) == expected


def test_on_duty_position_without_shift_is_the_offset() -> None:
    policy = RotationPolicy(shift=0, handoff=utc(2025, 1, 1), zone="UTC")
    assert on_duty_position(3, policy, 4, utc(2025, 1, 1)) == 1
    assert on_duty_position(3, policy, 4, utc(2035, 1, 1)) == 1
    assert on_duty_position(0, policy, 4, utc(2035, 1, 1)) is None


def test_weekly_rotation_hands_over_at_nine_london_time_in_summer() -> None:
    assert on_duty_position(3, WEEKLY_LONDON, 0, datetime(2025, 7, 7, 8, 59, tzinfo=LONDON)) == 2
    assert on_duty_position(3, WEEKLY_LONDON, 0, datetime(2025, 7, 7, 9, tzinfo=LONDON)) == 0


def test_take_over_makes_the_member_on_duty_and_the_rotation_continues_from_them() -> None:
    t = utc(2025, 1, 3, 12)
    assert on_duty_position(4, DAILY_UTC, 0, t) == 2
    offset = take_over_offset(4, DAILY_UTC, 0, t)
    assert offset == 2
    assert on_duty_position(4, DAILY_UTC, offset, t) == 0
    assert on_duty_position(4, DAILY_UTC, offset, utc(2025, 1, 4, 9) - TICK) == 0
    assert on_duty_position(4, DAILY_UTC, offset, utc(2025, 1, 4, 9)) == 1
    assert on_duty_position(4, DAILY_UTC, offset, utc(2025, 1, 5, 9)) == 2


def test_take_over_without_shift() -> None:
    policy = RotationPolicy(shift=0, handoff=utc(2025, 1, 1), zone="UTC")
    assert take_over_offset(5, policy, 3, utc(2030, 1, 1)) == 3


@pytest.mark.parametrize(("size", "position"), [(0, 0), (3, 3), (3, -1)])
def test_take_over_refuses_a_position_outside_the_rotation(size: int, position: int) -> None:
    with pytest.raises(ValueError, match="position"):
        take_over_offset(size, DAILY_UTC, position, utc(2025, 1, 1))


# --- member_schedule ----------------------------------------------------------------------


def test_member_schedule_daily() -> None:
    assert member_schedule(3, DAILY_UTC, 0, utc(2025, 1, 2, 10)) == [
        Shift(0, False, utc(2025, 1, 4, 9), utc(2025, 1, 5, 9)),
        Shift(1, True, utc(2025, 1, 2, 9), utc(2025, 1, 3, 9)),
        Shift(2, False, utc(2025, 1, 3, 9), utc(2025, 1, 4, 9)),
    ]


def test_member_schedule_weekly_across_october_change() -> None:
    t = datetime(2025, 10, 22, tzinfo=LONDON)
    assert member_schedule(2, WEEKLY_LONDON, 1, t) == [
        Shift(0, False, utc(2025, 10, 27, 9), utc(2025, 11, 3, 9)),
        Shift(1, True, utc(2025, 10, 20, 8), utc(2025, 10, 27, 9)),
    ]


def test_member_schedule_single_member_is_always_on() -> None:
    assert member_schedule(1, DAILY_UTC, 7, utc(2025, 1, 1, 8)) == [
        Shift(0, True, utc(2024, 12, 31, 9), utc(2025, 1, 1, 9)),
    ]


def test_member_schedule_without_shift_has_no_times() -> None:
    policy = RotationPolicy(shift=0, handoff=utc(2025, 1, 1), zone="UTC")
    assert member_schedule(3, policy, 2, utc(2025, 5, 5)) == [
        Shift(0, False, None, None),
        Shift(1, False, None, None),
        Shift(2, True, None, None),
    ]


def test_member_schedule_of_empty_team() -> None:
    assert member_schedule(0, DAILY_UTC, 0, utc(2025, 1, 1)) == []


# --- next_in_rotation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "start", "already", "expected"),
    [
        (0, 0, set(), None),
        (4, 1, set(), 1),
        (4, 1, {1}, 2),
        (4, 1, {1, 2, 3}, 0),
        (4, 3, {3}, 0),
        (4, 2, {0, 1, 2, 3}, None),
        (3, 5, set(), 2),
        (3, 0, {7}, 0),
        (1, 0, {0}, None),
    ],
)
def test_next_in_rotation(size: int, start: int, already: set[int], expected: int | None) -> None:
    assert next_in_rotation(size, start, already) == expected


# --- properties ---------------------------------------------------------------------------

ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Dublin",
    "America/New_York",
    "America/St_Johns",
    "America/Sao_Paulo",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "Antarctica/Troll",
    "Africa/Casablanca",
    "Asia/Kolkata",
    "Asia/Tehran",
]
FIVE_YEARS = 5 * 366 * DAY

shifts = st.one_of(
    st.integers(min_value=1, max_value=30).map(lambda days: days * DAY),
    st.integers(min_value=60, max_value=30 * DAY),
)
anchors = st.datetimes(
    min_value=datetime(2010, 1, 1),
    max_value=datetime(2040, 1, 1),
    timezones=st.sampled_from(ZONES).map(ZoneInfo),
)
policies = st.builds(RotationPolicy, shift=shifts, handoff=anchors, zone=st.sampled_from(ZONES))
whole_day_policies = st.builds(
    RotationPolicy,
    shift=st.integers(min_value=1, max_value=30).map(lambda days: days * DAY),
    handoff=anchors,
    zone=st.sampled_from(ZONES),
)


@st.composite
def policy_and_time(draw: st.DrawFn) -> tuple[RotationPolicy, datetime]:
    policy = draw(policies)
    delta = draw(st.integers(min_value=-FIVE_YEARS * 10**6, max_value=FIVE_YEARS * 10**6))
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    t = (policy.handoff.astimezone(UTC) + timedelta(microseconds=delta)).astimezone(zone)
    return policy, t


@given(policies, st.integers(min_value=-400, max_value=400))
def test_handoffs_strictly_increase(policy: RotationPolicy, k: int) -> None:
    this, after = handoff_at(policy, k), handoff_at(policy, k + 1)
    assert this.tzinfo is UTC
    assert this < after
    if policy.shift % DAY:
        assert after - this == timedelta(seconds=policy.shift)
    else:
        assert timedelta(seconds=policy.shift - 3 * HOUR) < after - this
        assert after - this < timedelta(seconds=policy.shift + 3 * HOUR)


@given(whole_day_policies, st.integers(min_value=-400, max_value=400))
def test_whole_day_handoffs_keep_the_wall_clock_time_when_it_exists(
    policy: RotationPolicy, k: int
) -> None:
    zone = ZoneInfo(policy.zone)
    anchor = policy.handoff.astimezone(zone)
    day = anchor.date() + timedelta(days=k * policy.shift // DAY)
    wanted = datetime.combine(day, anchor.time())
    local = handoff_at(policy, k).astimezone(zone).replace(tzinfo=None)
    round_trip = wanted.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip == wanted:
        assert local == wanted
    else:
        assert local.date() == wanted.date()
        assert local > wanted


@given(policy_and_time())
def test_shift_index_brackets_the_time(case: tuple[RotationPolicy, datetime]) -> None:
    policy, t = case
    k = shift_index(policy, t)
    assert handoff_at(policy, k) <= t < handoff_at(policy, k + 1)


@given(
    policy_and_time(),
    st.integers(min_value=1, max_value=8),
    st.integers(min_value=-100, max_value=100),
)
def test_on_duty_changes_exactly_at_handoffs(
    case: tuple[RotationPolicy, datetime], size: int, offset: int
) -> None:
    policy, t = case
    k = shift_index(policy, t)
    start, end = handoff_at(policy, k), handoff_at(policy, k + 1)
    now = on_duty_position(size, policy, offset, t)
    assert now is not None
    assert 0 <= now < size
    assert on_duty_position(size, policy, offset, start) == now
    assert on_duty_position(size, policy, offset, end - TICK) == now
    assert on_duty_position(size, policy, offset, start - TICK) == (now - 1) % size
    assert on_duty_position(size, policy, offset, end) == (now + 1) % size


@given(policy_and_time(), st.data())
def test_take_over_puts_the_member_on_duty_until_the_next_handoff(
    case: tuple[RotationPolicy, datetime], data: st.DataObject
) -> None:
    policy, t = case
    size = data.draw(st.integers(min_value=1, max_value=8))
    position = data.draw(st.integers(min_value=0, max_value=size - 1))
    offset = take_over_offset(size, policy, position, t)
    assert 0 <= offset < size
    assert on_duty_position(size, policy, offset, t) == position
    following = handoff_at(policy, shift_index(policy, t) + 1)
    assert on_duty_position(size, policy, offset, following - TICK) == position
    assert on_duty_position(size, policy, offset, following) == (position + 1) % size


@settings(max_examples=50)
@given(
    policy_and_time(),
    st.integers(min_value=1, max_value=8),
    st.integers(min_value=-100, max_value=100),
)
def test_member_schedule_agrees_with_on_duty(
    case: tuple[RotationPolicy, datetime], size: int, offset: int
) -> None:
    policy, t = case
    schedule = member_schedule(size, policy, offset, t)
    assert [entry.position for entry in schedule] == list(range(size))
    on_duty = [entry for entry in schedule if entry.on_duty]
    assert [entry.position for entry in on_duty] == [on_duty_position(size, policy, offset, t)]
    current = on_duty[0]
    assert current.starts_at is not None and current.ends_at is not None
    assert current.starts_at <= t < current.ends_at
    others = [entry for entry in schedule if not entry.on_duty]
    starts = [entry.starts_at for entry in others]
    assert len(set(starts)) == len(starts)
    for entry in others:
        assert entry.starts_at is not None and entry.ends_at is not None
        assert t < entry.starts_at < entry.ends_at
        assert on_duty_position(size, policy, offset, entry.starts_at) == entry.position
        assert on_duty_position(size, policy, offset, entry.ends_at - TICK) == entry.position


@given(
    policies.map(lambda p: RotationPolicy(shift=0, handoff=p.handoff, zone=p.zone)),
    anchors,
    st.integers(min_value=1, max_value=8),
    st.integers(min_value=-100, max_value=100),
)
def test_without_shift_only_take_over_changes_who_is_on_duty(
    policy: RotationPolicy, t: datetime, size: int, offset: int
) -> None:
    assert on_duty_position(size, policy, offset, t) == offset % size
    schedule = member_schedule(size, policy, offset, t)
    assert [(s.on_duty, s.starts_at, s.ends_at) for s in schedule] == [
        (p == offset % size, None, None) for p in range(size)
    ]


@given(
    st.integers(min_value=1, max_value=10),
    st.integers(min_value=-20, max_value=20),
    st.sets(st.integers(min_value=0, max_value=9)),
)
def test_next_in_rotation_is_the_first_unpaged_member_from_start(
    size: int, start: int, already: set[int]
) -> None:
    found = next_in_rotation(size, start, already)
    order = [(start + step) % size for step in range(size)]
    remaining = [position for position in order if position not in already]
    assert found == (remaining[0] if remaining else None)
