"""The roster as a TOML file: export it whole, import it all-or-nothing.

Import adds or updates every person and team the file names (matched by handle and team
name) in one transaction; a file with any error changes nothing, and the error names the
line and the field. People and teams the file does not name are left as they are.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from cltui.domain import validation as check
from cltui.domain.durations import MAX_DURATION, format_duration
from cltui.domain.errors import Invalid, Refused
from cltui.domain.rotation import validate_zone
from cltui.store import apprise_urls, roster
from cltui.store.database import Database
from cltui.store.models import ContactMethod, NotificationStep, Person, Team
from cltui.store.roster import EscalationSpec, PlanStep

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


class RosterFileError(ValueError):
    """The file cannot be imported; the message names the line and the field."""


# ---------------------------------------------------------------- export


def _string(value: str) -> str:
    # JSON's escapes are TOML's, except that TOML also forbids a raw DEL character.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _key(value: str) -> str:
    return value if _BARE_KEY.fullmatch(value) else _string(value)


def _inline(pairs: list[tuple[str, str]]) -> str:
    if not pairs:
        return "{}"
    return "{ " + ", ".join(f"{_key(k)} = {v}" for k, v in pairs) + " }"


def export(db: Database) -> str:
    """The whole roster as TOML, in the format `import_roster` reads."""
    lines: list[str] = []
    for person in roster.people(db):
        lines += ["[[people]]", f"handle = {_string(person.handle)}"]
        lines.append(f"name = {_string(person.name)}")
        contacts = [(c.label, _string(c.url)) for c in person.contacts]
        lines.append(f"contacts = {_inline(contacts)}")
        lines.append("plan = [")
        for step in person.plan:
            pairs = [("contact", _string(step.contact))]
            if step.wait:
                pairs.append(("wait", _string(format_duration(step.wait))))
            if step.repeat:
                pairs.append(("repeat", _string(format_duration(step.repeat))))
            lines.append(f"  {_inline(pairs)},")
        lines += ["]", ""]
    for team in roster.teams(db):
        handoff = team.policy.handoff.astimezone(ZoneInfo(team.policy.zone)).isoformat()
        rotation = [
            ("shift", _string(format_duration(team.policy.shift))),
            ("handoff", _string(handoff)),
            ("zone", _string(team.policy.zone)),
        ]
        members = ", ".join(_string(m.handle) for m in team.members)
        lines += [
            "[[teams]]",
            f"name = {_string(team.name)}",
            f"description = {_string(team.description)}",
            f"members = [{members}]",
            f"rotation = {_inline(rotation)}",
            f"repeat = {team.repeat}",
            "escalation = [",
        ]
        for step in team.escalation:
            pairs = [("method", _string(step.method))]
            if step.target:
                pairs.append(("target", _string(step.target)))
            if step.wait:
                pairs.append(("wait", _string(format_duration(step.wait))))
            lines.append(f"  {_inline(pairs)},")
        lines += ["]", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------- import


@dataclass
class ImportSummary:
    people_added: int = 0
    people_updated: int = 0
    teams_added: int = 0
    teams_updated: int = 0

    def __str__(self) -> str:
        return (
            f"imported {self.people_added + self.people_updated} people"
            f" ({self.people_added} new) and {self.teams_added + self.teams_updated} teams"
            f" ({self.teams_added} new)"
        )


class _Locator:
    """Finds the line of a field in the file's text, for error messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line(self, table: str, index: int, key: str | None = None, item: int | None = None) -> int:
        headers = [i for i, line in enumerate(self.lines) if line.strip() == f"[[{table}]]"]
        if index >= len(headers):
            return self._inline_item(table, index)
        start = headers[index]
        end = next(
            (
                i
                for i in range(start + 1, len(self.lines))
                if self.lines[i].lstrip().startswith("[")
            ),
            len(self.lines),
        )
        if key is None:
            return start + 1
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        found = next((i for i in range(start, end) if pattern.match(self.lines[i])), None)
        if found is None:
            return start + 1
        if item is not None and _code(self.lines[found]).endswith("["):
            # One item a line, as `export` writes them and as the documented example has them.
            items = [i for i in range(found + 1, end) if _code(self.lines[i]) not in ("", "]")]
            if item < len(items):
                return items[item] + 1
        return found + 1

    def _inline_item(self, table: str, index: int) -> int:
        """The line of item `index` of `table = [ {...}, ... ]`, one item a line."""
        pattern = re.compile(rf"^\s*{re.escape(table)}\s*=")
        found = next((i for i, line in enumerate(self.lines) if pattern.match(line)), None)
        if found is None:
            return 1
        if _code(self.lines[found]).endswith("["):
            items = []
            for i in range(found + 1, len(self.lines)):
                code = _code(self.lines[i])
                if code == "]":
                    break
                if code:
                    items.append(i)
            if index < len(items):
                return items[index] + 1
        return found + 1


def _code(line: str) -> str:
    """The line without a trailing comment (a `#` outside quotes) and surrounding space."""
    quote = ""
    for i, char in enumerate(line):
        if quote:
            quote = "" if char == quote and line[i - 1] != "\\" else quote
        elif char in "\"'":
            quote = char
        elif char == "#":
            return line[:i].strip()
    return line.strip()


def _require(value: Any, kind: type | tuple[type, ...], field: str) -> Any:
    if isinstance(value, bool) and kind is not bool:
        raise Invalid(field, f"must be a {_kind_name(kind)}")
    if not isinstance(value, kind):
        raise Invalid(field, f"must be a {_kind_name(kind)}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "string", int: "whole number", list: "list", dict: "table", datetime: "date-time"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _unknown(table: dict[str, Any], known: set[str], where: str) -> None:
    for key in table:
        if key not in known:
            raise Invalid(
                f"{where}.{key}" if where else key,
                f"unknown field (known: {', '.join(sorted(known))})",
            )


def _duration(value: Any, field: str) -> str | int:
    """A duration as the file gives it: text (`5m`) or whole seconds, at most 3650 days."""
    _require(value, (str, int), field)
    if isinstance(value, int) and value > MAX_DURATION:
        raise Invalid(field, f"{value} is too long (at most {format_duration(MAX_DURATION)})")
    return value


def _first(seen: dict[str, int], key: str, index: int, table: str, field: str) -> None:
    """Refuse a second entry for the same handle or team name in one file."""
    if key in seen:
        raise Invalid(field, f'"{key}" is already {table}[{seen[key] + 1}] in this file')
    seen[key] = index


def _handoff(value: Any, field: str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise Invalid(
                field, f'"{value}" is not a date-time like 2026-11-30T09:00:00+00:00'
            ) from None
    _require(value, datetime, field)
    if value.tzinfo is None:
        raise Invalid(field, "needs a UTC offset, e.g. 2026-11-30T09:00:00+00:00")
    return value


def _import_person(
    session: Session, raw: Any, index: int, summary: ImportSummary, seen: dict[str, int]
) -> None:
    _require(raw, dict, f"people[{index + 1}]")
    _unknown(raw, {"handle", "name", "contacts", "plan"}, "")
    handle = check.handle(_require(raw.get("handle", ""), str, "handle"))
    _first(seen, handle, index, "people", "handle")
    name = check.name(_require(raw.get("name", ""), str, "name"), required=False)
    contacts = _require(raw.get("contacts", {}), dict, "contacts")
    plan = _require(raw.get("plan", []), list, "plan")
    row = session.exec(select(Person).where(Person.handle == handle)).first()
    if row is None:
        row = Person(handle=handle, name=name)
        summary.people_added += 1
    else:
        row.name = name
        summary.people_updated += 1
    session.add(row)
    session.flush()
    existing = {
        c.label: c
        for c in session.exec(select(ContactMethod).where(ContactMethod.person_id == row.id)).all()
    }
    for label, url in contacts.items():
        check.label(label, f"contacts.{label}")
        url = apprise_urls.validate(_require(url, str, f"contacts.{label}"), f"contacts.{label}")
        contact = existing.pop(label, None) or ContactMethod(person_id=row.id or 0, label=label)
        contact.url = url
        session.add(contact)
    session.exec(sa.delete(NotificationStep).where(col(NotificationStep.person_id) == row.id))
    for gone in existing.values():
        session.delete(gone)
    session.flush()
    steps = []
    for index, raw_step in enumerate(plan):
        field = f"plan[{index + 1}]"
        _require(raw_step, dict, field)
        _unknown(raw_step, {"contact", "wait", "repeat"}, field)
        steps.append(
            PlanStep(
                _require(raw_step.get("contact", ""), str, f"{field}.contact"),
                _duration(raw_step.get("wait", 0), f"{field}.wait"),
                _duration(raw_step.get("repeat", 0), f"{field}.repeat"),
            )
        )
    roster.write_plan(session, row, steps)


def _import_team(
    session: Session,
    raw: Any,
    index: int,
    summary: ImportSummary,
    handles: set[str],
    seen: dict[str, int],
) -> None:
    _require(raw, dict, f"teams[{index + 1}]")
    _unknown(raw, {"name", "description", "members", "rotation", "repeat", "escalation"}, "")
    name = check.handle(_require(raw.get("name", ""), str, "name"), "name")
    _first(seen, name, index, "teams", "name")
    description = check.name(
        _require(raw.get("description", ""), str, "description"),
        "description",
        required=False,
        limit=500,  # as roster.save_team allows, so every exported team imports again
    )
    members = _require(raw.get("members", []), list, "members")
    for index, member in enumerate(members):
        _require(member, str, f"members[{index + 1}]")
        known = (
            member in handles
            or session.exec(select(Person.id).where(Person.handle == member)).first()
        )
        if not known:
            raise Invalid(f"members[{index + 1}]", f'no person with handle "{member}"')
    rotation = _require(raw.get("rotation", {}), dict, "rotation")
    _unknown(rotation, {"shift", "handoff", "zone"}, "rotation")
    shift = check.duration(_duration(rotation.get("shift", 0), "rotation.shift"), "rotation.shift")
    zone_name = _require(rotation.get("zone", "UTC"), str, "rotation.zone")
    try:
        zone_name = validate_zone(zone_name)
    except ValueError as error:
        raise Invalid("rotation.zone", str(error).removeprefix("zone: ")) from None
    repeat = check.repeat_count(raw.get("repeat", 0))
    escalation = _require(raw.get("escalation", []), list, "escalation")
    steps = []
    for index, raw_step in enumerate(escalation):
        field = f"escalation[{index + 1}]"
        _require(raw_step, dict, field)
        _unknown(raw_step, {"method", "target", "wait"}, field)
        steps.append(
            EscalationSpec(
                _require(raw_step.get("method", ""), str, f"{field}.method"),
                _require(raw_step.get("target", ""), str, f"{field}.target"),
                _duration(raw_step.get("wait", 0), f"{field}.wait"),
            )
        )
    row = session.exec(select(Team).where(Team.name == name)).first()
    handoff = _handoff(rotation["handoff"], "rotation.handoff") if "handoff" in rotation else None
    if row is None:
        if handoff is None and shift:
            raise Invalid("rotation.handoff", "a rotation with a shift needs a handoff time")
        row = Team(
            name=name, handoff=handoff or datetime.fromisoformat("2026-01-01T00:00:00+00:00")
        )
        summary.teams_added += 1
    else:
        summary.teams_updated += 1
    row.description, row.shift, row.zone, row.repeat = description, shift, zone_name, repeat
    if handoff is not None:
        row.handoff = handoff
    session.add(row)
    session.flush()
    roster.write_members(session, row, members)
    session.flush()
    count = len(members)
    row.rotation_offset = row.rotation_offset % count if count else 0
    roster.write_escalation(session, row, steps, handles)


def _located(error: Invalid, locator: _Locator, table: str, index: int) -> RosterFileError:
    match = re.match(r"([a-z_]+)(?:\[(\d+)\])?", error.field)
    key = match.group(1) if match else None
    item = int(match.group(2)) - 1 if match and match.group(2) else None
    if key and key.startswith("contacts"):
        key = "contacts"
    line = locator.line(table, index, key, item)
    return RosterFileError(f"line {line}: {table}[{index + 1}].{error.field}: {error.problem}")


def import_roster(db: Database, text: str, *, actor: str = "") -> ImportSummary:
    """Apply the roster in `text` as one transaction; raise RosterFileError on any error."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        # "Invalid value (at line 3, column 9)" -> "line 3, column 9: Invalid value"
        found = re.fullmatch(r"(.*) \(at (line \d+, column \d+)\)", str(error))
        raise RosterFileError(
            f"{found.group(2)}: {found.group(1)}" if found else str(error)
        ) from None
    locator = _Locator(text)
    for key in data:
        if key not in ("people", "teams"):
            raise RosterFileError(f"{key}: unknown section (use [[people]] and [[teams]])")
    people = data.get("people", [])
    teams = data.get("teams", [])
    if not isinstance(people, list) or not isinstance(teams, list):
        raise RosterFileError("people and teams must be arrays of tables: [[people]], [[teams]]")
    summary = ImportSummary()
    handles = {p.get("handle") for p in people if isinstance(p, dict)}
    seen_people: dict[str, int] = {}
    seen_teams: dict[str, int] = {}
    try:
        with db.write() as session:
            for index, raw in enumerate(people):
                try:
                    _import_person(session, raw, index, summary, seen_people)
                except Invalid as error:
                    raise _located(error, locator, "people", index) from None
            session.flush()
            for index, raw in enumerate(teams):
                try:
                    _import_team(session, raw, index, summary, handles, seen_teams)
                except Invalid as error:
                    raise _located(error, locator, "teams", index) from None
            session.flush()
            roster.record_change(session, datetime.now(UTC), actor, str(summary))
    except (Refused, sa.exc.IntegrityError) as error:
        raise RosterFileError(f"the roster was not imported: {error}") from None
    return summary
