"""The roster: people, their contacts and plans, teams, rotation order and escalation plans.

Reads return plain, detached views; every write is validated first and commits whole, and
each leaves a `roster_changed` event on the timeline so every open view hears of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from cltui.domain import validation as check
from cltui.domain.durations import format_duration
from cltui.domain.errors import Invalid, NotFound, Refused
from cltui.domain.rotation import (
    RotationPolicy,
    on_duty_position,
    take_over_offset,
    validate_zone,
)
from cltui.store import apprise_urls
from cltui.store.database import Database
from cltui.store.models import (
    Alert,
    AlertEvent,
    ContactMethod,
    EscalationStep,
    NotificationStep,
    Person,
    Team,
    TeamMember,
)

ROSTER_CHANGED = "roster_changed"


@dataclass(frozen=True)
class ContactView:
    id: int
    label: str
    url: str

    @property
    def masked_url(self) -> str:
        return apprise_urls.mask(self.url)


@dataclass(frozen=True)
class PlanStep:
    """One step of a person's notification plan, by contact label."""

    contact: str
    wait: int = 0
    repeat: int = 0


@dataclass(frozen=True)
class PersonView:
    id: int
    handle: str
    name: str
    contacts: tuple[ContactView, ...] = ()
    plan: tuple[PlanStep, ...] = ()

    def contact(self, label: str) -> ContactView | None:
        return next((c for c in self.contacts if c.label == label), None)


@dataclass(frozen=True)
class EscalationSpec:
    method: str
    target: str = ""
    wait: int = 0

    def describe(self) -> str:
        text = self.method.replace("_", " ")
        return f"{text} {self.target}".strip()


@dataclass(frozen=True)
class TeamView:
    id: int
    name: str
    description: str
    policy: RotationPolicy
    offset: int
    repeat: int
    members: tuple[PersonView, ...] = ()
    escalation: tuple[EscalationSpec, ...] = field(default=())

    def on_duty(self, now: datetime) -> PersonView | None:
        position = on_duty_position(len(self.members), self.policy, self.offset, now)
        return None if position is None else self.members[position]

    def position_of(self, handle: str) -> int | None:
        return next((i for i, m in enumerate(self.members) if m.handle == handle), None)


# ---------------------------------------------------------------- reads


def _person_views(session: Session, persons: Sequence[Person]) -> list[PersonView]:
    """Views of these people with their contacts and plans, in two queries for them all."""
    ids = [p.id for p in persons]
    contacts: dict[int, list[ContactMethod]] = {i or 0: [] for i in ids}
    for contact in session.exec(
        select(ContactMethod)
        .where(col(ContactMethod.person_id).in_(ids))
        .order_by(col(ContactMethod.id))
    ).all():
        contacts[contact.person_id].append(contact)
    steps: dict[int, list[NotificationStep]] = {i or 0: [] for i in ids}
    for step in session.exec(
        select(NotificationStep)
        .where(col(NotificationStep.person_id).in_(ids))
        .order_by(col(NotificationStep.position))
    ).all():
        steps[step.person_id].append(step)
    views = []
    for person in persons:
        own = contacts[person.id or 0]
        labels = {c.id: c.label for c in own}
        views.append(
            PersonView(
                id=person.id or 0,
                handle=person.handle,
                name=person.name,
                contacts=tuple(ContactView(c.id or 0, c.label, c.url) for c in own),
                plan=tuple(
                    PlanStep(labels[s.contact_id], s.wait, s.repeat) for s in steps[person.id or 0]
                ),
            )
        )
    return views


def _person_view(session: Session, person: Person) -> PersonView:
    return _person_views(session, [person])[0]


def _team_view(session: Session, team: Team) -> TeamView:
    people = session.exec(
        select(Person)
        .join(TeamMember, col(TeamMember.person_id) == col(Person.id))
        .where(TeamMember.team_id == team.id)
        .order_by(col(TeamMember.position))
    ).all()
    steps = session.exec(
        select(EscalationStep)
        .where(EscalationStep.team_id == team.id)
        .order_by(col(EscalationStep.position))
    ).all()
    return TeamView(
        id=team.id or 0,
        name=team.name,
        description=team.description,
        policy=RotationPolicy(team.shift, team.handoff, team.zone),
        offset=team.rotation_offset,
        repeat=team.repeat,
        members=tuple(_person_views(session, people)),
        escalation=tuple(EscalationSpec(s.method, s.target, s.wait) for s in steps),
    )


def people(db: Database) -> list[PersonView]:
    with db.read() as session:
        rows = session.exec(select(Person).order_by(col(Person.handle))).all()
        return _person_views(session, rows)


def teams(db: Database) -> list[TeamView]:
    with db.read() as session:
        rows = session.exec(select(Team).order_by(col(Team.name))).all()
        return [_team_view(session, t) for t in rows]


def person(db: Database, handle: str) -> PersonView:
    with db.read() as session:
        return _person_view(session, _person_row(session, handle))


def team(db: Database, name: str) -> TeamView:
    with db.read() as session:
        return _team_view(session, _team_row(session, name))


def team_view(session: Session, team_id: int) -> TeamView:
    row = session.get(Team, team_id)
    if row is None:
        raise NotFound(f"team {team_id} does not exist")
    return _team_view(session, row)


def person_view(session: Session, person_id: int) -> PersonView:
    row = session.get(Person, person_id)
    if row is None:
        raise NotFound(f"person {person_id} does not exist")
    return _person_view(session, row)


def _person_row(session: Session, handle: str, field_name: str = "person") -> Person:
    row = session.exec(select(Person).where(Person.handle == handle)).first()
    if row is None:
        raise NotFound(f'{field_name}: no person with handle "{handle}"')
    return row


def _team_row(session: Session, name: str, field_name: str = "team") -> Team:
    row = session.exec(select(Team).where(Team.name == name)).first()
    if row is None:
        raise NotFound(f'{field_name}: no team named "{name}"')
    return row


def find_person_id(session: Session, handle: str) -> int:
    return _person_row(session, handle).id or 0


def find_team_id(session: Session, name: str) -> int:
    return _team_row(session, name).id or 0


# ---------------------------------------------------------------- writes


def record_change(
    session: Session, now: datetime, actor: str, detail: str, team_id: int | None = None
) -> None:
    session.add(
        AlertEvent(kind=ROSTER_CHANGED, at=now, actor=actor, detail=detail, team_id=team_id)
    )


def _now() -> datetime:
    return datetime.now(UTC)


def save_person(
    db: Database,
    handle: str,
    name: str,
    *,
    original: str | None = None,
    actor: str = "",
    now: datetime | None = None,
) -> PersonView:
    """Add a person, or with `original` rename / re-describe the one with that handle."""
    handle = check.handle(handle)
    name = check.name(name, "name", required=False)
    with db.write() as session:
        clash = session.exec(select(Person).where(Person.handle == handle)).first()
        if original is None:
            if clash is not None:
                raise Invalid("handle", f'"{handle}" is taken by {clash.name or clash.handle}')
            row = Person(handle=handle, name=name)
        else:
            row = _person_row(session, original)
            if clash is not None and clash.id != row.id:
                raise Invalid("handle", f'"{handle}" is taken by {clash.name or clash.handle}')
            row.handle, row.name = handle, name
        session.add(row)
        session.flush()
        verb = "added" if original is None else "updated"
        record_change(session, now or _now(), actor, f"person {handle} {verb}")
        return _person_view(session, row)


def delete_person(
    db: Database, handle: str, *, actor: str = "", now: datetime | None = None
) -> None:
    with db.write() as session:
        row = _person_row(session, handle)
        in_teams = session.exec(
            select(Team.name)
            .join(TeamMember, col(TeamMember.team_id) == col(Team.id))
            .where(TeamMember.person_id == row.id)
        ).all()
        if in_teams:
            raise Refused(
                f"{handle} is a member of {', '.join(in_teams)}; remove them from the team first"
            )
        named = session.exec(
            select(Team.name)
            .join(EscalationStep, col(EscalationStep.team_id) == col(Team.id))
            .where(EscalationStep.method == "person", EscalationStep.target == handle)
        ).all()
        if named:
            raise Refused(f"{handle} is named in the escalation plan of {', '.join(named)}")
        has_alerts = session.exec(select(Alert.id).where(Alert.person_id == row.id)).first()
        if has_alerts is not None:
            raise Refused(f"{handle} has alerts on record; people with a history are kept")
        session.exec(sa.delete(NotificationStep).where(col(NotificationStep.person_id) == row.id))
        session.exec(sa.delete(ContactMethod).where(col(ContactMethod.person_id) == row.id))
        session.delete(row)
        record_change(session, now or _now(), actor, f"person {handle} deleted")


def save_contact(
    db: Database,
    handle: str,
    label: str,
    url: str,
    *,
    original: str | None = None,
    actor: str = "",
    now: datetime | None = None,
) -> PersonView:
    """Add a contact method, or with `original` change the one with that label."""
    label = check.label(label)
    url = apprise_urls.validate(url)
    with db.write() as session:
        owner = _person_row(session, handle)
        existing = {
            c.label: c
            for c in session.exec(
                select(ContactMethod).where(ContactMethod.person_id == owner.id)
            ).all()
        }
        if label in existing and label != original:
            raise Invalid("label", f'{handle} already has a contact labelled "{label}"')
        if original is None:
            row = ContactMethod(person_id=owner.id or 0, label=label, url=url)
        else:
            if original not in existing:
                raise NotFound(f'label: {handle} has no contact labelled "{original}"')
            row = existing[original]
            row.label, row.url = label, url
        session.add(row)
        session.flush()
        record_change(session, now or _now(), actor, f"contact {label} of {handle} saved")
        return _person_view(session, owner)


def delete_contact(
    db: Database, handle: str, label: str, *, actor: str = "", now: datetime | None = None
) -> PersonView:
    with db.write() as session:
        owner = _person_row(session, handle)
        row = session.exec(
            select(ContactMethod).where(
                ContactMethod.person_id == owner.id, ContactMethod.label == label
            )
        ).first()
        if row is None:
            raise NotFound(f'label: {handle} has no contact labelled "{label}"')
        used = session.exec(
            select(NotificationStep.position).where(NotificationStep.contact_id == row.id)
        ).all()
        if used:
            steps = ", ".join(str(p + 1) for p in used)
            raise Refused(f"contact {label} is used by step {steps} of {handle}'s plan")
        session.delete(row)
        record_change(session, now or _now(), actor, f"contact {label} of {handle} deleted")
        session.flush()
        return _person_view(session, owner)


def write_plan(session: Session, owner: Person, plan: Sequence[PlanStep]) -> None:
    """Check and replace a person's plan inside the caller's transaction."""
    contacts = {
        c.label: c.id
        for c in session.exec(
            select(ContactMethod).where(ContactMethod.person_id == owner.id)
        ).all()
    }
    rows = []
    for index, step in enumerate(plan):
        where = f"plan[{index + 1}]"
        if step.contact not in contacts:
            raise Invalid(
                f"{where}.contact", f'{owner.handle} has no contact labelled "{step.contact}"'
            )
        wait = check.duration(step.wait, f"{where}.wait")
        repeat = check.duration(step.repeat, f"{where}.repeat")
        if repeat and index != len(plan) - 1:
            raise Invalid(f"{where}.repeat", "only the last step of a plan repeats")
        rows.append(
            NotificationStep(
                person_id=owner.id or 0,
                position=index,
                contact_id=contacts[step.contact] or 0,
                wait=wait,
                repeat=repeat,
            )
        )
    session.exec(sa.delete(NotificationStep).where(col(NotificationStep.person_id) == owner.id))
    session.add_all(rows)


def set_plan(
    db: Database,
    handle: str,
    plan: Sequence[PlanStep],
    *,
    actor: str = "",
    now: datetime | None = None,
) -> PersonView:
    """Replace a person's notification plan with these steps, in this order."""
    with db.write() as session:
        owner = _person_row(session, handle)
        write_plan(session, owner, plan)
        session.flush()
        record_change(session, now or _now(), actor, f"plan of {handle} set to {len(plan)} steps")
        return _person_view(session, owner)


def save_team(
    db: Database,
    name: str,
    *,
    description: str = "",
    shift: int | str = 0,
    handoff: datetime | None = None,
    zone: str = "UTC",
    repeat: int = 0,
    original: str | None = None,
    actor: str = "",
    now: datetime | None = None,
) -> TeamView:
    """Add a team, or with `original` change the one with that name."""
    name = check.handle(name, "name")
    description = check.name(description, "description", required=False, limit=500)
    shift_seconds = check.duration(shift, "shift")
    try:
        zone = validate_zone(zone)
    except ValueError as error:
        raise Invalid("zone", str(error).removeprefix("zone: ")) from None
    if handoff is not None and handoff.tzinfo is None:
        raise Invalid("handoff", "needs a UTC offset, e.g. 2026-11-30T09:00:00+00:00")
    repeat = check.repeat_count(repeat)
    now = now or _now()
    with db.write() as session:
        clash = session.exec(select(Team).where(Team.name == name)).first()
        if original is None:
            if clash is not None:
                raise Invalid("name", f'a team named "{name}" exists already')
            row = Team(name=name, handoff=handoff or now.replace(microsecond=0))
        else:
            row = _team_row(session, original)
            if clash is not None and clash.id != row.id:
                raise Invalid("name", f'a team named "{name}" exists already')
        policy_changed = (row.shift, row.handoff, row.zone) != (
            shift_seconds,
            handoff or row.handoff,
            zone,
        )
        if original is not None and policy_changed:
            # Whoever is on duty stays on duty; the new policy only moves future handoffs.
            old = _team_view(session, row)
            current = old.on_duty(now)
            new_policy = RotationPolicy(shift_seconds, handoff or row.handoff, zone)
            if current is not None:
                row.rotation_offset = take_over_offset(
                    len(old.members), new_policy, old.position_of(current.handle) or 0, now
                )
        row.name, row.description, row.shift, row.zone, row.repeat = (
            name,
            description,
            shift_seconds,
            zone,
            repeat,
        )
        if handoff is not None:
            row.handoff = handoff
        session.add(row)
        session.flush()
        verb = "added" if original is None else "updated"
        rotation = f"shift {format_duration(shift_seconds)}" if shift_seconds else "no shifts"
        record_change(session, now, actor, f"team {name} {verb} ({rotation})", row.id)
        return _team_view(session, row)


def delete_team(db: Database, name: str, *, actor: str = "", now: datetime | None = None) -> None:
    with db.write() as session:
        row = _team_row(session, name)
        if session.exec(select(Alert.id).where(Alert.team_id == row.id)).first() is not None:
            raise Refused(f"team {name} has alerts on record; teams with a history are kept")
        session.exec(sa.delete(TeamMember).where(col(TeamMember.team_id) == row.id))
        session.exec(sa.delete(EscalationStep).where(col(EscalationStep.team_id) == row.id))
        session.delete(row)
        record_change(session, now or _now(), actor, f"team {name} deleted")


def write_members(session: Session, row: Team, handles: Sequence[str]) -> None:
    """Check and replace a team's rotation order inside the caller's transaction."""
    if len(set(handles)) != len(handles):
        twice = sorted({h for h in handles if handles.count(h) > 1})
        raise Invalid("members", f"{', '.join(twice)} listed more than once")
    ids = [_person_row(session, h, "members").id or 0 for h in handles]
    session.exec(sa.delete(TeamMember).where(col(TeamMember.team_id) == row.id))
    session.flush()
    session.add_all(
        TeamMember(team_id=row.id or 0, person_id=pid, position=i) for i, pid in enumerate(ids)
    )


def set_members(
    db: Database,
    name: str,
    handles: Sequence[str],
    *,
    actor: str = "",
    keep_on_duty: bool = False,
    now: datetime | None = None,
) -> TeamView:
    """Set the team's rotation order. With `keep_on_duty`, whoever is on duty stays so."""
    now = now or _now()
    with db.write() as session:
        row = _team_row(session, name)
        before = _team_view(session, row)
        current = before.on_duty(now)
        write_members(session, row, handles)
        session.flush()
        after = _team_view(session, row)
        if keep_on_duty and current is not None and current.handle in handles:
            row.rotation_offset = take_over_offset(
                len(handles), after.policy, handles.index(current.handle), now
            )
        elif after.members:
            row.rotation_offset %= len(after.members)
        session.add(row)
        session.flush()
        after = _team_view(session, row)
        on_duty = after.on_duty(now)
        record_change(
            session,
            now,
            actor,
            f"rotation of {name}: {', '.join(handles) or '(empty)'}"
            + (f"; on duty: {on_duty.handle}" if on_duty else ""),
            row.id,
        )
        return after


def move_member(
    db: Database,
    name: str,
    handle: str,
    delta: int,
    *,
    actor: str = "",
    now: datetime | None = None,
) -> TeamView:
    """Move a member `delta` places in the rotation order (negative: up)."""
    current = [m.handle for m in team(db, name).members]
    if handle not in current:
        raise NotFound(f"member: {handle} is not in team {name}")
    index = current.index(handle)
    target = max(0, min(len(current) - 1, index + delta))
    current.insert(target, current.pop(index))
    return set_members(db, name, current, actor=actor, now=now)


def take_over(
    db: Database, name: str, handle: str, *, now: datetime | None = None, actor: str = ""
) -> TeamView:
    """Make a member on duty now; the rotation continues from them at the next handoff."""
    now = now or _now()
    with db.write() as session:
        row = _team_row(session, name)
        view = _team_view(session, row)
        position = view.position_of(handle)
        if position is None:
            raise NotFound(f"member: {handle} is not in team {name}")
        row.rotation_offset = take_over_offset(len(view.members), view.policy, position, now)
        session.add(row)
        record_change(session, now, actor or handle, f"{handle} took over {name}", row.id)
        session.flush()
        return _team_view(session, row)


def _check_step(session: Session, index: int, step: EscalationSpec, known: set[str]) -> None:
    where = f"escalation[{index + 1}]"
    method = check.method(step.method, f"{where}.method")
    check.duration(step.wait, f"{where}.wait")
    if method == "person":
        target = check.handle(step.target, f"{where}.target")
        exists = target in known or (
            session.exec(select(Person.id).where(Person.handle == target)).first() is not None
        )
        if not exists:
            raise Invalid(f"{where}.target", f'no person with handle "{target}"')
    elif method == "webhook":
        check.webhook_url(step.target, f"{where}.target")
    elif method == "email":
        check.email(step.target, f"{where}.target")
    elif step.target:
        raise Invalid(f"{where}.target", f"{method} takes no target")


def write_escalation(
    session: Session, row: Team, steps: Sequence[EscalationSpec], known: set[str] = frozenset()
) -> None:
    """Check and replace a team's escalation plan inside the caller's transaction; `known`
    are handles that count as existing (people added earlier in the same import)."""
    for index, step in enumerate(steps):
        _check_step(session, index, step, set(known))
    session.exec(sa.delete(EscalationStep).where(col(EscalationStep.team_id) == row.id))
    session.add_all(
        EscalationStep(
            team_id=row.id or 0,
            position=i,
            method=s.method.strip(),
            target=s.target.strip(),
            wait=check.duration(s.wait, f"escalation[{i + 1}].wait"),
        )
        for i, s in enumerate(steps)
    )


def set_escalation(
    db: Database,
    name: str,
    steps: Sequence[EscalationSpec],
    *,
    repeat: int | None = None,
    actor: str = "",
    now: datetime | None = None,
) -> TeamView:
    """Replace the team's escalation plan with these steps, in this order."""
    with db.write() as session:
        row = _team_row(session, name)
        write_escalation(session, row, steps)
        if repeat is not None:
            row.repeat = check.repeat_count(repeat)
            session.add(row)
        session.flush()
        record_change(
            session, now or _now(), actor, f"escalation of {name} set to {len(steps)} steps", row.id
        )
        return _team_view(session, row)


def check_escalation_step(db: Database, step: EscalationSpec, index: int = 0) -> None:
    """Validate one step as a form would before saving it."""
    with db.read() as session:
        _check_step(session, index, step, set())
