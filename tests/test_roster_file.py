"""The roster as a TOML file: the documented example imports, export/import round trips
exactly (also for generated rosters), and every error names its line and field and leaves
the database exactly as it was."""

from __future__ import annotations

import string
import tempfile
import tomllib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import SQLModel

from cltui.domain.durations import MAX_DURATION, format_duration
from cltui.store import roster, roster_file
from cltui.store.database import Database
from cltui.store.roster_file import RosterFileError

# The example of DESIGN.md ("The roster as a file"), verbatim but for the twilio URL, which
# apprise would refuse without real credentials.
DESIGN_EXAMPLE = """\
[[people]]
handle = "arthur"
name = "Arthur Pendragon"
contacts = { sms = "json://127.0.0.1:7099/arthur", email = "mailto://arthur@example.com" }
plan = [
  { contact = "sms", wait = "5m" },          # then the next step
  { contact = "email", repeat = "10m" },     # last step: again every 10m until acked
]

[[teams]]
name = "kings"
description = "Round table on-call"
members = ["arthur", "lancelot", "gawain"]   # rotation order
rotation = { shift = "7d", handoff = "2026-11-30T09:00:00+00:00", zone = "Europe/London" }
repeat = 2                                   # run the escalation plan 3 times in all
escalation = [
  { method = "on_duty", wait = "15m" },
  { method = "next_in_rotation", wait = "15m" },
  { method = "person", target = "merlin", wait = "30m" },
  { method = "webhook", target = "https://hooks.example.com/noc" },
]
"""

# The people the example names without defining them.
KNIGHTS = """\
[[people]]
handle = "lancelot"
name = "Lancelot du Lac"
contacts = { email = "mailto://lancelot@example.com" }
plan = [{ contact = "email", repeat = "15m" }]

[[people]]
handle = "gawain"

[[people]]
handle = "merlin"
name = "Merlin"
"""

# A valid file whose lines the error cases below edit: three people and two teams, so that
# an error in the last team comes after several people and a team were written.
VALID = """\
[[people]]
handle = "arthur"
name = "Arthur Pendragon"
contacts = { sms = "json://127.0.0.1:7099/arthur", email = "mailto://arthur@example.com" }
plan = [
  { contact = "sms", wait = "5m" },
  { contact = "email", repeat = "10m" },
]

[[people]]
handle = "bedivere"
name = "Sir Bedivere"
contacts = { email = "mailto://bedivere@example.com" }
plan = [{ contact = "email" }]

[[people]]
handle = "percival"
name = "Sir Percival"

[[teams]]
name = "kings"
description = "Round table on-call"
members = ["arthur", "bedivere"]
rotation = { shift = "7d", handoff = "2026-11-30T09:00:00+00:00", zone = "Europe/London" }
repeat = 2
escalation = [
  { method = "on_duty", wait = "15m" },
  { method = "person", target = "percival", wait = "30m" },
]

[[teams]]
name = "grail"
description = "The quest"
members = ["percival", "arthur"]
rotation = { shift = "1d", handoff = "2026-11-30T09:00:00+01:00", zone = "Europe/Paris" }
escalation = [
  { method = "all_in_rotation", wait = "10m" },
  { method = "next_in_rotation", wait = "10m" },
  { method = "webhook", target = "https://hooks.example.com/noc" },
]
"""


def edit(old: str, new: str, text: str = VALID) -> str:
    """`text` with the one occurrence of `old` replaced by `new`."""
    assert text.count(old) == 1, old
    return text.replace(old, new)


def snapshot(db: Database) -> tuple[str, dict[str, list[tuple[Any, ...]]]]:
    """The export and every row of every table: what must not change when an import fails."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with db.engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            query = sa.select(table).order_by(*table.primary_key.columns)
            rows[table.name] = [tuple(r) for r in connection.execute(query)]
    return roster_file.export(db), rows


@pytest.fixture
def seeded(db: Database) -> Database:
    """A database holding the valid roster, so a failed import has something to spoil."""
    roster_file.import_roster(db, VALID, actor="test")
    return db


# ---------------------------------------------------------------- the documented example


def test_design_example_imports_and_round_trips_exactly(db: Database) -> None:
    roster_file.import_roster(db, KNIGHTS)
    summary = roster_file.import_roster(db, DESIGN_EXAMPLE, actor="merlin")
    assert (summary.people_added, summary.teams_added) == (1, 1)

    arthur = roster.person(db, "arthur")
    assert arthur.name == "Arthur Pendragon"
    assert [(c.label, c.url) for c in arthur.contacts] == [
        ("sms", "json://127.0.0.1:7099/arthur"),
        ("email", "mailto://arthur@example.com"),
    ]
    assert arthur.plan == (roster.PlanStep("sms", 300, 0), roster.PlanStep("email", 0, 600))
    kings = roster.team(db, "kings")
    assert kings.description == "Round table on-call"
    assert [m.handle for m in kings.members] == ["arthur", "lancelot", "gawain"]
    assert kings.policy.shift == 7 * 86400
    assert kings.policy.handoff == datetime(2026, 11, 30, 9, tzinfo=UTC)
    assert kings.policy.zone == "Europe/London"
    assert kings.repeat == 2
    assert kings.escalation == (
        roster.EscalationSpec("on_duty", "", 900),
        roster.EscalationSpec("next_in_rotation", "", 900),
        roster.EscalationSpec("person", "merlin", 1800),
        roster.EscalationSpec("webhook", "https://hooks.example.com/noc", 0),
    )

    first = roster_file.export(db)
    roster_file.import_roster(db, first)
    second = roster_file.export(db)
    assert second == first
    assert second.encode() == first.encode()
    # The export is the example itself, comments aside, plus the knights.
    assert tomllib.loads(first)["teams"] == tomllib.loads(DESIGN_EXAMPLE)["teams"]


def test_reimporting_the_export_changes_no_row(seeded: Database) -> None:
    before = snapshot(seeded)
    summary = roster_file.import_roster(seeded, roster_file.export(seeded))
    assert (summary.people_added, summary.people_updated) == (0, 3)
    assert (summary.teams_added, summary.teams_updated) == (0, 2)
    after_export, after_rows = snapshot(seeded)
    assert after_export == before[0]
    # Only the timeline grew: one roster_changed event for the import.
    assert len(after_rows["alert_event"]) == len(before[1]["alert_event"]) + 1
    for table, rows in before[1].items():
        # These are rewritten whole by an import (new ids, same content).
        rewritten = ("contact_method", "notification_step", "team_member", "escalation_step")
        if table != "alert_event" and table not in rewritten:
            assert after_rows[table] == rows, table


def test_export_of_an_empty_roster_imports(db: Database) -> None:
    text = roster_file.export(db)
    assert tomllib.loads(text) == {}
    roster_file.import_roster(db, text)
    assert roster.people(db) == []


def test_person_without_contacts_exports_as_valid_toml(db: Database) -> None:
    roster_file.import_roster(db, '[[people]]\nhandle = "kay"\n')
    text = roster_file.export(db)
    assert "contacts = {}" in text
    assert tomllib.loads(text)["people"] == [
        {"handle": "kay", "name": "", "contacts": {}, "plan": []}
    ]


def test_names_with_control_characters_export_as_valid_toml(db: Database) -> None:
    roster.save_person(db, "kay", 'Sir Kay\x7f\x01 \u2028 "the" \\ seneschal')
    text = roster_file.export(db)
    assert tomllib.loads(text)["people"][0]["name"] == ('Sir Kay\x7f\x01 \u2028 "the" \\ seneschal')
    roster_file.import_roster(db, text)
    assert roster_file.export(db) == text


def test_long_team_description_saved_by_a_form_exports_and_imports(db: Database) -> None:
    roster.save_team(db, "ops", description="d" * 450)
    text = roster_file.export(db)
    roster_file.import_roster(db, text)
    assert roster.team(db, "ops").description == "d" * 450


def test_import_leaves_people_and_teams_the_file_does_not_name(seeded: Database) -> None:
    roster_file.import_roster(seeded, '[[people]]\nhandle = "kay"\nname = "Sir Kay"\n')
    handles = [p.handle for p in roster.people(seeded)]
    assert handles == ["arthur", "bedivere", "kay", "percival"]
    assert [t.name for t in roster.teams(seeded)] == ["grail", "kings"]


def test_import_replaces_contacts_plan_members_and_escalation(seeded: Database) -> None:
    changed = edit(
        'contacts = { sms = "json://127.0.0.1:7099/arthur", email = "mailto://arthur@example.com" }'
        '\nplan = [\n  { contact = "sms", wait = "5m" },\n'
        '  { contact = "email", repeat = "10m" },\n]',
        'contacts = { pager = "json://127.0.0.1:7099/pager" }\nplan = [{ contact = "pager" }]',
    )
    changed = edit('members = ["arthur", "bedivere"]', 'members = ["bedivere"]', changed)
    roster_file.import_roster(seeded, changed)
    arthur = roster.person(seeded, "arthur")
    assert [c.label for c in arthur.contacts] == ["pager"]
    assert arthur.plan == (roster.PlanStep("pager", 0, 0),)
    assert [m.handle for m in roster.team(seeded, "kings").members] == ["bedivere"]


def test_integer_durations_are_seconds(db: Database) -> None:
    text = edit('{ contact = "sms", wait = "5m" }', '{ contact = "sms", wait = 90 }')
    roster_file.import_roster(db, text)
    assert roster.person(db, "arthur").plan[0].wait == 90
    assert '{ contact = "sms", wait = "1m30s" }' in roster_file.export(db)


# ---------------------------------------------------------------- errors: all or nothing

ERRORS: dict[str, tuple[str, int, str, str]] = {
    # case: (file, line, field, words in the message)
    "handle with spaces": (
        edit('handle = "bedivere"', 'handle = "sir bedivere"'),
        11,
        "people[2].handle",
        "no spaces",
    ),
    "duplicate handle": (
        edit('handle = "percival"', 'handle = "arthur"'),
        17,
        "people[3].handle",
        "already people[1]",
    ),
    "duplicate team": (
        edit('name = "grail"', 'name = "kings"'),
        32,
        "teams[2].name",
        "already teams[1]",
    ),
    "apprise cannot parse": (
        edit("json://127.0.0.1:7099/arthur", "nosuchscheme://127.0.0.1/arthur"),
        4,
        "people[1].contacts.sms",
        "apprise cannot use",
    ),
    "not an apprise URL": (
        edit("mailto://bedivere@example.com", "bedivere@example.com"),
        13,
        "people[2].contacts.email",
        "not an apprise URL",
    ),
    "plan names a missing contact": (
        edit('{ contact = "email", repeat = "10m" }', '{ contact = "pager", repeat = "10m" }'),
        7,
        "people[1].plan[2].contact",
        'no contact labelled "pager"',
    ),
    "repeat on a non-last step": (
        edit('{ contact = "sms", wait = "5m" }', '{ contact = "sms", repeat = "5m" }'),
        6,
        "people[1].plan[1].repeat",
        "only the last step",
    ),
    "escalation person unknown": (
        edit('target = "percival"', 'target = "mordred"'),
        28,
        "teams[1].escalation[2].target",
        'no person with handle "mordred"',
    ),
    "webhook target not a URL": (
        edit("https://hooks.example.com/noc", "hooks.example.com/noc"),
        39,
        "teams[2].escalation[3].target",
        "not an http:// or https:// URL",
    ),
    "unknown method": (
        edit('{ method = "next_in_rotation"', '{ method = "carrier_pigeon"'),
        38,
        "teams[2].escalation[2].method",
        '"carrier_pigeon" is not one of',
    ),
    "negative duration": (
        edit('{ method = "on_duty", wait = "15m" }', '{ method = "on_duty", wait = "-15m" }'),
        27,
        "teams[1].escalation[1].wait",
        "must not be negative",
    ),
    "negative seconds": (
        edit('{ contact = "sms", wait = "5m" }', '{ contact = "sms", wait = -5 }'),
        6,
        "people[1].plan[1].wait",
        "must not be negative",
    ),
    "unparseable duration": (
        edit('{ contact = "sms", wait = "5m" }', '{ contact = "sms", wait = "5 minutes" }'),
        6,
        "people[1].plan[1].wait",
        "is not a duration",
    ),
    "too many seconds": (
        edit('{ contact = "email" }', '{ contact = "email", repeat = 99999999999999999999 }'),
        14,
        "people[2].plan[1].repeat",
        "too long",
    ),
    "unparseable shift": (
        edit('shift = "1d"', 'shift = "daily"'),
        35,
        "teams[2].rotation.shift",
        "is not a duration",
    ),
    "unknown person key": (
        edit('name = "Sir Percival"', 'name = "Sir Percival"\nemail = "p@example.com"'),
        19,
        "people[3].email",
        "unknown field",
    ),
    "unknown team key": (
        edit('description = "The quest"', 'description = "The quest"\nowner = "arthur"'),
        34,
        "teams[2].owner",
        "unknown field",
    ),
    "unknown rotation key": (
        edit('zone = "Europe/Paris" }', 'zone = "Europe/Paris", tz = "CET" }'),
        35,
        "teams[2].rotation.tz",
        "unknown field",
    ),
    "unknown step key": (
        edit(
            '{ method = "all_in_rotation", wait = "10m" }', '{ method = "all_in_rotation", w = 1 }'
        ),
        37,
        "teams[2].escalation[1].w",
        "unknown field",
    ),
    "wrong type for a name": (
        edit('name = "Sir Bedivere"', "name = 42"),
        12,
        "people[2].name",
        "must be a string",
    ),
    "wrong type for members": (
        edit('members = ["percival", "arthur"]', 'members = "percival"'),
        34,
        "teams[2].members",
        "must be a list",
    ),
    "wrong type for repeat": (
        edit("repeat = 2", 'repeat = "2"'),
        25,
        "teams[1].repeat",
        "not a whole number",
    ),
    "wrong type for a plan step": (
        edit('plan = [{ contact = "email" }]', 'plan = ["email"]'),
        14,
        "people[2].plan[1]",
        "must be a table",
    ),
    "bad zone": (
        edit("Europe/Paris", "Europe/Atlantis"),
        35,
        "teams[2].rotation.zone",
        "not a known time zone",
    ),
    "handoff without offset": (
        edit("2026-11-30T09:00:00+01:00", "2026-11-30T09:00:00"),
        35,
        "teams[2].rotation.handoff",
        "needs a UTC offset",
    ),
    "missing handoff for a shifted rotation": (  # a new team: an existing one keeps its own
        edit(
            'rotation = { shift = "1d", handoff = "2026-11-30T09:00:00+01:00", ',
            'rotation = { shift = "1d", ',
            edit('name = "grail"', 'name = "quest"'),
        ),
        35,
        "teams[2].rotation.handoff",
        "needs a handoff",
    ),
    "unknown member": (
        edit('members = ["percival", "arthur"]', 'members = ["percival", "mordred"]'),
        34,
        "teams[2].members[2]",
        'no person with handle "mordred"',
    ),
    "member listed twice": (
        edit('members = ["percival", "arthur"]', 'members = ["percival", "percival"]'),
        34,
        "teams[2].members",
        "listed more than once",
    ),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_error_names_line_and_field_and_changes_nothing(seeded: Database, case: str) -> None:
    text, line, field, words = ERRORS[case]
    assert text != VALID
    before = snapshot(seeded)
    with pytest.raises(RosterFileError) as raised:
        roster_file.import_roster(seeded, text, actor="test")
    message = str(raised.value)
    assert message.startswith(f"line {line}: {field}: "), message
    assert words in message
    assert snapshot(seeded) == before


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_error_on_an_empty_database_adds_nothing(db: Database, case: str) -> None:
    text, line, field, _words = ERRORS[case]
    before = snapshot(db)
    with pytest.raises(RosterFileError) as raised:
        roster_file.import_roster(db, text)
    assert str(raised.value).startswith(f"line {line}: {field}: ")
    assert snapshot(db) == before
    assert roster.people(db) == []


def test_error_in_the_last_team_after_valid_changes_rolls_all_back(seeded: Database) -> None:
    # The file renames people, rewires contacts and the first team, then fails at the end.
    text = VALID.replace("Sir ", "Lord ").replace("mailto://", "mailto://new.")
    text = edit('members = ["arthur", "bedivere"]', 'members = ["bedivere", "arthur"]', text)
    text = edit('"https://hooks.example.com/noc"', '"ftp://hooks.example.com/noc"', text)
    before = snapshot(seeded)
    with pytest.raises(RosterFileError, match=r"^line 39: teams\[2\]\.escalation\[3\]\.target"):
        roster_file.import_roster(seeded, text)
    after = snapshot(seeded)
    assert after == before
    assert {t: len(r) for t, r in after[1].items()} == {t: len(r) for t, r in before[1].items()}
    assert roster.person(seeded, "bedivere").name == "Sir Bedivere"


def test_toml_syntax_error_names_the_line(seeded: Database) -> None:
    before = snapshot(seeded)
    with pytest.raises(RosterFileError, match=r"^line 32, column \d+: "):
        roster_file.import_roster(seeded, edit('name = "grail"', 'name = "grail'))
    assert snapshot(seeded) == before


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[[robots]]\nname = "k9"\n', "robots: unknown section"),
        ('[people]\nhandle = "kay"\n', "arrays of tables"),
        ("people = 3\n", "arrays of tables"),
    ],
)
def test_wrong_shape_is_refused(seeded: Database, text: str, words: str) -> None:
    before = snapshot(seeded)
    with pytest.raises(RosterFileError, match=words):
        roster_file.import_roster(seeded, text)
    assert snapshot(seeded) == before


def test_error_line_survives_comments_and_blank_lines(db: Database) -> None:
    text = edit(
        'plan = [\n  { contact = "sms", wait = "5m" },\n',
        'plan = [  # two steps\n\n  # first, the phone\n  { contact = "sms", wait = "5m" },\n'
        "  # [then] mail\n",
    )
    text = edit(
        '{ contact = "email", repeat = "10m" }', '{ contact = "fax", repeat = "10m" }', text
    )
    with pytest.raises(RosterFileError, match=r"^line 10: people\[1\]\.plan\[2\]\.contact"):
        roster_file.import_roster(db, text)


def test_error_line_in_an_inline_array_of_people(db: Database) -> None:
    text = 'people = [\n  { handle = "kay" },\n\n  { handle = "sir bors" },\n]\nteams = []\n'
    with pytest.raises(RosterFileError, match=r"^line 4: people\[2\]\.handle: "):
        roster_file.import_roster(db, text)
    assert roster.people(db) == []


# ---------------------------------------------------------------- generated rosters

HANDLE_CHARS = string.ascii_lowercase + string.digits + "._-"
ZONES = ["UTC", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]
handles = st.text(HANDLE_CHARS, min_size=1, max_size=64)
labels = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=64,
).filter(lambda s: not any(c.isspace() for c in s))
names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
durations = st.one_of(
    st.integers(0, MAX_DURATION),
    st.integers(0, MAX_DURATION).map(format_duration),
    st.sampled_from(["0", "30s", "1h30m", "7d", "3650d"]),
)


def seconds(value: int | str) -> int:
    from cltui.domain.durations import parse_duration

    return value if isinstance(value, int) else parse_duration(value)


@st.composite
def rosters(draw: st.DrawFn) -> dict[str, Any]:
    people_handles = draw(st.lists(handles, min_size=1, max_size=4, unique=True))
    people = []
    for handle in people_handles:
        person: dict[str, Any] = {"handle": handle, "name": draw(names)}
        contact_labels = draw(st.lists(labels, max_size=3, unique=True))
        person["contacts"] = {
            label: draw(
                st.sampled_from([f"json://127.0.0.1:7099/{handle}", f"mailto://p{i}@example.com"])
            )
            for i, label in enumerate(contact_labels)
        }
        plan = []
        if contact_labels:
            for _ in range(draw(st.integers(0, 3))):
                plan.append({"contact": draw(st.sampled_from(contact_labels))})
                if draw(st.booleans()):
                    plan[-1]["wait"] = draw(durations)
            if plan and draw(st.booleans()):
                plan[-1]["repeat"] = draw(durations)
        person["plan"] = plan
        people.append(person)
    teams = []
    for name in draw(st.lists(handles, max_size=3, unique=True)):
        team: dict[str, Any] = {
            "name": name,
            "description": draw(names),
            "members": draw(st.permutations(people_handles)),
            "rotation": {
                "shift": draw(durations),
                "handoff": draw(
                    st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1), timezones=st.just(UTC))
                ),
                "zone": draw(st.sampled_from(ZONES)),
            },
            "repeat": draw(st.integers(0, 100)),
        }
        steps = []
        for _ in range(draw(st.integers(0, 5))):
            method = draw(
                st.sampled_from(
                    ["on_duty", "next_in_rotation", "all_in_rotation", "person", "webhook", "email"]
                )
            )
            step: dict[str, Any] = {"method": method}
            if method == "person":
                step["target"] = draw(st.sampled_from(people_handles))
            elif method == "webhook":
                step["target"] = f"https://hooks.example.com/{draw(handles)}"
            elif method == "email":
                step["target"] = f"{draw(handles)}@example.com"
            if draw(st.booleans()):
                step["wait"] = draw(durations)
            steps.append(step)
        team["escalation"] = steps
        teams.append(team)
    return {"people": people, "teams": teams}


def expected(data: dict[str, Any]) -> dict[str, Any]:
    """What an export of `data` must say, parsed: canonical durations, sorted, stripped."""

    def duration_pairs(step: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
        out = {k: v for k, v in step.items() if k not in keys}
        for key in keys:
            if seconds(step.get(key, 0)):
                out[key] = format_duration(seconds(step[key]))
        return out

    people = [
        {
            "handle": p["handle"],
            "name": p["name"].strip(),
            "contacts": p["contacts"],
            "plan": [duration_pairs(s, ("wait", "repeat")) for s in p["plan"]],
        }
        for p in sorted(data["people"], key=lambda p: p["handle"])
    ]
    teams = [
        {
            "name": t["name"],
            "description": t["description"].strip(),
            "members": t["members"],
            "rotation": {
                "shift": format_duration(seconds(t["rotation"]["shift"])),
                "handoff": t["rotation"]["handoff"],
                "zone": t["rotation"]["zone"],
            },
            "repeat": t["repeat"],
            "escalation": [duration_pairs(s, ("wait",)) for s in t["escalation"]],
        }
        for t in sorted(data["teams"], key=lambda t: t["name"])
    ]
    return {"people": people, "teams": teams}


def parsed_export(text: str) -> dict[str, Any]:
    data = tomllib.loads(text)
    for team in data.get("teams", []):
        handoff = datetime.fromisoformat(team["rotation"]["handoff"])
        assert (
            handoff.utcoffset()
            == handoff.astimezone(ZoneInfo(team["rotation"]["zone"])).utcoffset()
        )
        team["rotation"]["handoff"] = handoff.astimezone(UTC)
    return {"people": data.get("people", []), "teams": data.get("teams", [])}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=rosters())
def test_generated_rosters_round_trip(data: dict[str, Any]) -> None:
    text = tomli_w.dumps(data)
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite:///{Path(folder) / 'cltui.db'}")
        try:
            roster_file.import_roster(db, text)
            first = roster_file.export(db)
            assert parsed_export(first) == expected(data)
            roster_file.import_roster(db, first)
            assert roster_file.export(db) == first
        finally:
            db.close()


def test_handoff_keeps_its_instant_in_the_teams_zone(db: Database) -> None:
    text = edit("2026-11-30T09:00:00+01:00", "2026-06-30T07:00:00+00:00")
    roster_file.import_roster(db, text)
    exported = roster_file.export(db)
    assert 'handoff = "2026-06-30T09:00:00+02:00"' in exported
    team = roster.team(db, "grail")
    assert team.policy.handoff - datetime(2026, 6, 30, 7, tzinfo=UTC) == timedelta(0)
