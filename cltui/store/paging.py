"""Due work, done in the database: run escalation steps, advance people's plans, and record
each message in the outbox in the same transaction that moves the alert on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select

from cltui.domain.durations import format_duration
from cltui.domain.escalation import Position, Rotation, Step, after, paged_positions
from cltui.store import roster
from cltui.store.alerts import TRIGGERED, AlertView, event, view
from cltui.store.apprise_urls import mask_http
from cltui.store.database import Database
from cltui.store.models import (
    Alert,
    ContactMethod,
    Notification,
    NotificationStep,
    Page,
    Person,
)

# Zero waits chain steps within one pass; this bounds a pass however the plans are written.
MAX_ROUNDS = 1000


@dataclass(frozen=True)
class Outgoing:
    """A message recorded as due: what to send, to whom, about which alert."""

    id: int
    channel: str
    url: str
    label: str
    person: str | None
    alert: AlertView


def _seconds(value: int) -> timedelta:
    return timedelta(seconds=value)


def _queue(session: Session, alert: Alert, now: datetime, **fields: object) -> None:
    session.add(Notification(alert_id=alert.id or 0, due_at=now, **fields))


def _plan(session: Session, person_id: int) -> list[NotificationStep]:
    return list(
        session.exec(
            select(NotificationStep)
            .where(NotificationStep.person_id == person_id)
            .order_by(col(NotificationStep.position))
        ).all()
    )


def _describe_plan(session: Session, steps: list[NotificationStep]) -> str:
    parts = []
    for index, step in enumerate(steps):
        contact = session.get(ContactMethod, step.contact_id)
        text = contact.label if contact else "?"
        if index == len(steps) - 1 and step.repeat:
            text += f" every {format_duration(step.repeat)}"
        elif index < len(steps) - 1 and step.wait:
            text += f", wait {format_duration(step.wait)}"
        parts.append(text)
    return " → ".join(parts)


def _start_page(session: Session, alert: Alert, person: Person, now: datetime, reason: str) -> bool:
    """Start working through the person's plan; True if they are being paged now."""
    active = session.exec(
        select(Page).where(Page.alert_id == alert.id, Page.person_id == person.id, col(Page.active))
    ).first()
    if active is not None:
        event(session, alert, now, "paged", f"{person.handle} is already being paged ({reason})")
        active.loop = alert.esc_loop
        session.add(active)
        return True
    steps = _plan(session, person.id or 0)
    session.add(
        Page(
            alert_id=alert.id or 0,
            person_id=person.id or 0,
            loop=alert.esc_loop,
            started_at=now,
            active=bool(steps),
            next_at=now if steps else None,
        )
    )
    if steps:
        plan = _describe_plan(session, steps)
        event(session, alert, now, "paged", f"paging {person.handle} ({reason}): {plan}")
    else:
        event(
            session,
            alert,
            now,
            "nobody_on_duty",
            f"{person.handle} has no notification plan ({reason}); nobody was paged",
        )
    return bool(steps)


def _rotation(team: roster.TeamView) -> Rotation:
    return Rotation(tuple(m.handle for m in team.members), team.policy, team.offset)


def _paged_this_loop(session: Session, alert: Alert, team: roster.TeamView) -> set[int]:
    handles = session.exec(
        select(Person.handle)
        .join(Page, col(Page.person_id) == col(Person.id))
        .where(Page.alert_id == alert.id, Page.loop == alert.esc_loop)
    ).all()
    return {i for i, m in enumerate(team.members) if m.handle in set(handles)}


def _shown(step: roster.EscalationSpec) -> str:
    """A step as the timeline shows it: a webhook's URL masked, as it may carry a secret."""
    return f"webhook {mask_http(step.target)}" if step.method == "webhook" else step.describe()


def _exhaust(session: Session, alert: Alert, now: datetime, why: str) -> None:
    alert.exhausted = True
    alert.esc_next_at = None
    alert.updated_at = now
    session.add(alert)
    event(session, alert, now, "exhausted", why)


def _run_team_step(session: Session, alert: Alert, now: datetime) -> None:
    team = roster.team_view(session, alert.team_id or 0)
    steps = [Step(s.method, s.target, s.wait) for s in team.escalation]
    if not steps:
        _exhaust(session, alert, now, f"team {team.name} has no escalation plan; nobody was paged")
        return
    if alert.esc_step >= len(steps):
        loops = team.repeat + 1
        _exhaust(
            session,
            alert,
            now,
            f"escalation plan of {team.name} ran {loops} time{'s' if loops > 1 else ''}"
            " and nobody acknowledged",
        )
        return
    index, loop = alert.esc_step, alert.esc_loop
    step = steps[index]
    where = f"step {index + 1}/{len(steps)}" + (f", loop {loop + 1}" if loop else "")
    event(session, alert, now, "escalated", f"{where}: {_shown(team.escalation[index])}")
    rotation = _rotation(team)
    positions = paged_positions(step, rotation, now, _paged_this_loop(session, alert, team))
    reached = True
    if positions is not None:
        if not positions:
            why = (
                "has no members"
                if not team.members
                else "has nobody left to page in this loop"
                if step.method == "next_in_rotation"
                else "has nobody on duty"
            )
            event(session, alert, now, "nobody_on_duty", f"team {team.name} {why} ({where})")
        paged = [
            _start_page(session, alert, member, now, f"{where}, {step.method}")
            for member in (session.get(Person, team.members[p].id) for p in positions)
            if member is not None
        ]
        reached = any(paged)
    elif step.method == "person":
        member = session.exec(select(Person).where(Person.handle == step.target)).first()
        if member is None:
            event(session, alert, now, "nobody_on_duty", f"{step.target} no longer exists")
            reached = False
        else:
            reached = _start_page(session, alert, member, now, where)
    else:
        _queue(session, alert, now, channel=step.method, target=step.target, label=step.method)
    following = after(steps, team.repeat, Position(index, loop))
    # A step that reached nobody does not hold the alert up: the next one runs at once.
    alert.esc_next_at = now + _seconds(step.wait if reached else 0)
    if following is None:
        alert.esc_step = len(steps)
    else:
        alert.esc_step, alert.esc_loop = following.step, following.loop
    alert.updated_at = now
    session.add(alert)


def _run_person_alert(session: Session, alert: Alert, now: datetime) -> None:
    person = session.get(Person, alert.person_id)
    alert.esc_next_at = None
    session.add(alert)
    if person is not None:
        _start_page(session, alert, person, now, "alert for them")
        if not _plan(session, person.id or 0):
            _exhaust(session, alert, now, f"{person.handle} has no notification plan")


def _advance_page(session: Session, page: Page, now: datetime) -> None:
    steps = _plan(session, page.person_id)
    alert = session.get(Alert, page.alert_id)
    if alert is None or alert.status != TRIGGERED or page.step >= len(steps):
        page.active, page.next_at = False, None
        session.add(page)
        return
    step = steps[page.step]
    contact = session.get(ContactMethod, step.contact_id)
    _queue(
        session,
        alert,
        now,
        channel="contact",
        person_id=page.person_id,
        contact_id=step.contact_id,
        label=contact.label if contact else "",
    )
    last = page.step == len(steps) - 1
    if not last:
        page.step += 1
        page.next_at = now + _seconds(step.wait)
    elif step.repeat:
        page.next_at = now + _seconds(step.repeat)
    else:
        page.active, page.next_at = False, None
    session.add(page)
    if not page.active and alert.person_id == page.person_id:
        person = session.get(Person, page.person_id)
        handle = person.handle if person else "?"
        _exhaust(session, alert, now, f"{handle}'s notification plan ran out; nobody acknowledged")


def run_due(db: Database, now: datetime) -> int:
    """Do every escalation step and plan step due at `now`; return how many were done."""
    done = 0
    with db.write() as session:
        for _ in range(MAX_ROUNDS):
            alerts = session.exec(
                select(Alert).where(
                    Alert.status == TRIGGERED,
                    col(Alert.esc_next_at).is_not(None),
                    col(Alert.esc_next_at) <= now,
                )
            ).all()
            for alert in alerts:
                if alert.team_id is not None:
                    _run_team_step(session, alert, now)
                else:
                    _run_person_alert(session, alert, now)
            session.flush()
            pages = session.exec(
                select(Page).where(
                    col(Page.active), col(Page.next_at).is_not(None), col(Page.next_at) <= now
                )
            ).all()
            for page in pages:
                _advance_page(session, page, now)
            session.flush()
            if not alerts and not pages:
                break
            done += len(alerts) + len(pages)
    return done


def next_due(db: Database) -> datetime | None:
    """The earliest time an escalation step or a plan step is due (messages are sent as soon
    as they are recorded)."""
    with db.read() as session:
        candidates = [
            session.exec(
                select(sa.func.min(Alert.esc_next_at)).where(Alert.status == TRIGGERED)
            ).one(),
            session.exec(select(sa.func.min(Page.next_at)).where(col(Page.active))).one(),
        ]
    found = [c for c in candidates if c is not None]
    if not found:
        return None
    return min(found)


def outgoing(db: Database, limit: int = 200) -> list[Outgoing]:
    """Messages recorded as due and not yet sent, oldest first."""
    with db.read() as session:
        rows = session.exec(
            select(Notification)
            .where(Notification.status == "due")
            .order_by(col(Notification.id))
            .limit(limit)
        ).all()
        result = []
        views: dict[int, AlertView] = {}
        for row in rows:
            alert = session.get(Alert, row.alert_id)
            if alert is None:
                continue
            if row.alert_id not in views:
                views[row.alert_id] = view(session, alert)
            person = session.get(Person, row.person_id) if row.person_id else None
            contact = session.get(ContactMethod, row.contact_id) if row.contact_id else None
            url = contact.url if contact else row.target
            result.append(
                Outgoing(
                    row.id or 0,
                    row.channel,
                    url,
                    row.label,
                    person.handle if person else None,
                    views[row.alert_id],
                )
            )
        return result


def mark(db: Database, now: datetime, item: Outgoing, ok: bool, detail: str) -> bool:
    """Record what became of a message; False if it was cancelled meanwhile."""
    to = f"{item.label} to {item.person}"
    if item.channel == "webhook":
        to = f"webhook {mask_http(item.url)}"
    elif item.channel == "email":
        to = f"email to {item.url}"
    with db.write() as session:
        changed = session.exec(
            sa.update(Notification)
            .where(col(Notification.id) == item.id, col(Notification.status) == "due")
            .values(status="sent" if ok else "failed", sent_at=now, detail=detail)
        ).rowcount
        alert = session.get(Alert, item.alert.number)
        if changed and alert is not None:
            if ok:
                event(session, alert, now, "delivered", to)
            else:
                event(session, alert, now, "delivery_failed", f"{to}: {detail}")
        return bool(changed)
