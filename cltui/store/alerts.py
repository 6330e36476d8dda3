"""Alerts: raise with dedup, acknowledge, resolve, escalate now, and read them with their
timeline. Every change is a conditional update, so of two racing acknowledgements one wins."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from cltui.domain import validation as check
from cltui.domain.errors import Invalid, NotFound, Refused
from cltui.store import roster
from cltui.store.database import Database
from cltui.store.models import (
    Alert,
    AlertEvent,
    EscalationStep,
    Notification,
    Page,
    Person,
    Team,
    new_uuid,
)

TRIGGERED, ACKNOWLEDGED, RESOLVED = "triggered", "acknowledged", "resolved"
STATUSES = (TRIGGERED, ACKNOWLEDGED, RESOLVED)


@dataclass(frozen=True)
class AlertView:
    number: int
    uuid: str
    status: str
    severity: str
    team: str | None
    person: str | None
    summary: str
    details: str
    source: str
    dedup_key: str
    created_at: datetime
    updated_at: datetime
    acked_by: str | None
    acked_at: datetime | None
    resolved_by: str | None
    resolved_at: datetime | None
    duplicates: int
    step: int
    loop: int
    next_at: datetime | None
    exhausted: bool
    paging: tuple[str, ...]
    steps: int = 0

    @property
    def target(self) -> str:
        return self.team or self.person or ""

    @property
    def last_step(self) -> tuple[int, int] | None:
        """The escalation step that ran last and its loop, both counted from 1; None before
        the first (and for an alert for a person, which has no escalation plan)."""
        if not self.steps or (self.step == 0 and self.loop == 0):
            return None
        if self.step == 0:
            return self.steps, self.loop
        return min(self.step, self.steps), self.loop + 1

    def as_json(self) -> dict[str, object]:
        def when(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "number": self.number,
            "uuid": self.uuid,
            "status": self.status,
            "severity": self.severity,
            "team": self.team,
            "person": self.person,
            "summary": self.summary,
            "details": self.details,
            "source": self.source,
            "dedup_key": self.dedup_key,
            "created_at": when(self.created_at),
            "updated_at": when(self.updated_at),
            "acked_by": self.acked_by,
            "acked_at": when(self.acked_at),
            "resolved_by": self.resolved_by,
            "resolved_at": when(self.resolved_at),
            "duplicates": self.duplicates,
            "exhausted": self.exhausted,
            "paging": list(self.paging),
            "escalation": {
                "steps": self.steps,
                "last_step": self.last_step[0] if self.last_step else None,
                "loop": self.last_step[1] if self.last_step else None,
            },
            "next_at": when(self.next_at),
        }


@dataclass(frozen=True)
class EventView:
    id: int
    alert: int | None
    at: datetime
    kind: str
    actor: str
    detail: str

    def as_json(self) -> dict[str, object]:
        return {
            "at": self.at.isoformat(),
            "kind": self.kind,
            "actor": self.actor,
            "detail": self.detail,
        }


def event(
    session: Session, alert: Alert, now: datetime, kind: str, detail: str = "", actor: str = ""
) -> None:
    session.add(
        AlertEvent(
            alert_id=alert.id, team_id=alert.team_id, at=now, kind=kind, actor=actor, detail=detail
        )
    )


def _view(session: Session, alert: Alert) -> AlertView:
    team = session.get(Team, alert.team_id) if alert.team_id else None
    person = session.get(Person, alert.person_id) if alert.person_id else None
    paging = session.exec(
        select(Person.handle)
        .join(Page, col(Page.person_id) == col(Person.id))
        .where(Page.alert_id == alert.id, col(Page.active))
        .order_by(col(Page.id))
    ).all()
    return AlertView(
        number=alert.number,
        uuid=alert.uuid,
        status=alert.status,
        severity=alert.severity,
        team=team.name if team else None,
        person=person.handle if person else None,
        summary=alert.summary,
        details=alert.details,
        source=alert.source,
        dedup_key=alert.dedup_key,
        created_at=alert.created_at,
        updated_at=alert.updated_at,
        acked_by=alert.acked_by,
        acked_at=alert.acked_at,
        resolved_by=alert.resolved_by,
        resolved_at=alert.resolved_at,
        duplicates=alert.duplicates,
        step=alert.esc_step,
        loop=alert.esc_loop,
        next_at=alert.esc_next_at,
        exhausted=alert.exhausted,
        paging=tuple(paging),
        steps=session.exec(
            select(sa.func.count()).where(EscalationStep.team_id == alert.team_id)
        ).one()
        if alert.team_id
        else 0,
    )


def view(session: Session, alert: Alert) -> AlertView:
    return _view(session, alert)


def _row(session: Session, number: int) -> Alert:
    alert = session.get(Alert, number)
    if alert is None:
        raise NotFound(f"alert {number} does not exist")
    return alert


def raise_alert(
    db: Database,
    now: datetime,
    summary: str,
    *,
    team: str | None = None,
    person: str | None = None,
    severity: str = "error",
    details: str = "",
    source: str = "",
    dedup_key: str | None = None,
    actor: str = "",
) -> tuple[AlertView, bool]:
    """Raise an alert for a team or a person; returns it and whether it is new (False when an
    open alert with the same dedup key took it as a duplicate)."""
    summary = check.summary(summary)
    severity = check.severity(severity)
    details = check.details(details)
    source = check.name(source, "source", required=False)
    if (team is None) == (person is None):
        raise Invalid("target", "name exactly one team or one person")
    if dedup_key is not None:
        dedup_key = check.name(dedup_key, "dedup_key", limit=255)
    for attempt in range(2):
        try:
            return _raise(
                db, now, summary, team, person, severity, details, source, dedup_key, actor
            )
        except IntegrityError:
            # Another writer opened an alert with this dedup key between our look and insert.
            if attempt:
                raise
    raise AssertionError("unreachable")


def _raise(
    db: Database,
    now: datetime,
    summary: str,
    team: str | None,
    person: str | None,
    severity: str,
    details: str,
    source: str,
    dedup_key: str | None,
    actor: str,
) -> tuple[AlertView, bool]:
    with db.write() as session:
        team_id = roster.find_team_id(session, team) if team else None
        person_id = roster.find_person_id(session, person) if person else None
        if dedup_key is not None:
            existing = session.exec(
                select(Alert).where(Alert.dedup_key == dedup_key, Alert.status != RESOLVED)
            ).first()
            if existing is not None:
                # In the database, not in Python: concurrent duplicates must all be counted.
                session.exec(
                    sa.update(Alert)
                    .where(col(Alert.id) == existing.id)
                    .values(duplicates=col(Alert.duplicates) + 1, updated_at=now)
                )
                session.refresh(existing)
                event(session, existing, now, "deduplicated", f"again: {summary}", actor or source)
                session.flush()
                return _view(session, existing), False
        uuid = new_uuid()
        alert = Alert(
            uuid=uuid,
            dedup_key=dedup_key or uuid,
            team_id=team_id,
            person_id=person_id,
            summary=summary,
            details=details,
            severity=severity,
            source=source,
            created_at=now,
            updated_at=now,
            esc_next_at=now,
        )
        session.add(alert)
        session.flush()
        target = f"team {team}" if team else f"person {person}"
        event(
            session, alert, now, "created", f"{severity} for {target}: {summary}", actor or source
        )
        session.flush()
        return _view(session, alert), True


def _stop_paging(session: Session, alert: Alert, now: datetime) -> None:
    session.exec(
        sa.update(Page)
        .where(col(Page.alert_id) == alert.id, col(Page.active))
        .values(active=False, next_at=None)
    )
    session.exec(
        sa.update(Notification)
        .where(col(Notification.alert_id) == alert.id, col(Notification.status) == "due")
        .values(status="cancelled", sent_at=now, detail="stopped: alert no longer triggered")
    )


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%H:%M") if value else "?"


def acknowledge(db: Database, now: datetime, number: int, actor: str) -> AlertView:
    """Acknowledge a triggered alert and stop every page for it."""
    actor = check.name(actor, "by")
    with db.write() as session:
        changed = session.exec(
            sa.update(Alert)
            .where(col(Alert.id) == number, col(Alert.status) == TRIGGERED)
            .values(
                status=ACKNOWLEDGED, acked_by=actor, acked_at=now, updated_at=now, esc_next_at=None
            )
        ).rowcount
        alert = _row(session, number)
        session.refresh(alert)
        if not changed:
            if alert.status == ACKNOWLEDGED:
                raise Refused(
                    f"alert {number} is already acknowledged by {alert.acked_by}"
                    f" at {_when(alert.acked_at)}"
                )
            raise Refused(
                f"alert {number} is resolved (by {alert.resolved_by} at"
                f" {_when(alert.resolved_at)}); there is nothing to acknowledge"
            )
        _stop_paging(session, alert, now)
        event(session, alert, now, "acknowledged", f"acknowledged by {actor}", actor)
        session.flush()
        return _view(session, alert)


def resolve(db: Database, now: datetime, number: int, actor: str) -> AlertView:
    """Resolve a triggered or acknowledged alert, stopping every page for it."""
    actor = check.name(actor, "by")
    with db.write() as session:
        changed = session.exec(
            sa.update(Alert)
            .where(col(Alert.id) == number, col(Alert.status) != RESOLVED)
            .values(
                status=RESOLVED,
                resolved_by=actor,
                resolved_at=now,
                updated_at=now,
                esc_next_at=None,
            )
        ).rowcount
        alert = _row(session, number)
        session.refresh(alert)
        if not changed:
            raise Refused(
                f"alert {number} is already resolved by {alert.resolved_by}"
                f" at {_when(alert.resolved_at)}"
            )
        _stop_paging(session, alert, now)
        event(session, alert, now, "resolved", f"resolved by {actor}", actor)
        session.flush()
        return _view(session, alert)


def resolve_by_dedup_key(
    db: Database, now: datetime, dedup_key: str, actor: str
) -> AlertView | None:
    """Resolve the open alert with this dedup key, if there is one."""
    with db.read() as session:
        number = session.exec(
            select(Alert.id).where(Alert.dedup_key == dedup_key, Alert.status != RESOLVED)
        ).first()
    if number is None:
        return None
    try:
        return resolve(db, now, number, actor)
    except Refused:
        return None


def escalate_now(db: Database, now: datetime, number: int, actor: str) -> AlertView:
    """Run the alert's next escalation step now instead of when it is due."""
    actor = check.name(actor, "by")
    with db.write() as session:
        alert = _row(session, number)
        if alert.status != TRIGGERED:
            raise Refused(f"alert {number} is {alert.status}; only triggered alerts escalate")
        if alert.esc_next_at is None:
            raise Refused(f"alert {number} has no further escalation step")
        alert.esc_next_at = now
        alert.updated_at = now
        session.add(alert)
        event(session, alert, now, "escalated", f"escalation forced by {actor}", actor)
        session.flush()
        return _view(session, alert)


def get(db: Database, number: int) -> AlertView:
    with db.read() as session:
        return _view(session, _row(session, number))


def list_alerts(db: Database, status: str | None = None, limit: int = 1000) -> list[AlertView]:
    if status is not None and status not in (*STATUSES, "open"):
        raise Invalid("status", f'"{status}" is not one of open, {", ".join(STATUSES)}')
    query = select(Alert).order_by(col(Alert.id).desc()).limit(limit)
    if status == "open":
        query = query.where(Alert.status != RESOLVED)
    elif status:
        query = query.where(Alert.status == status)
    with db.read() as session:
        return [_view(session, a) for a in session.exec(query).all()]


def _event_view(row: AlertEvent) -> EventView:
    return EventView(row.id or 0, row.alert_id, row.at, row.kind, row.actor, row.detail)


def timeline(db: Database, number: int) -> list[EventView]:
    with db.read() as session:
        _row(session, number)
        rows = session.exec(
            select(AlertEvent).where(AlertEvent.alert_id == number).order_by(col(AlertEvent.id))
        ).all()
        return [_event_view(r) for r in rows]


def events_after(
    db: Database, last_id: int, missing: Collection[int] = (), limit: int = 1000
) -> list[EventView]:
    """The change feed: timeline and roster events written after `last_id`, and any of the
    `missing` ids (ones skipped earlier that a slower transaction may since have committed),
    oldest first."""
    condition = col(AlertEvent.id) > last_id
    if missing:
        condition = sa.or_(condition, col(AlertEvent.id).in_(list(missing)))
    with db.read() as session:
        rows = session.exec(
            select(AlertEvent).where(condition).order_by(col(AlertEvent.id)).limit(limit)
        ).all()
        return [_event_view(r) for r in rows]


def last_event_id(db: Database) -> int:
    with db.read() as session:
        return int(session.exec(select(sa.func.max(AlertEvent.id))).one() or 0)


def number_for_uuid(db: Database, uuid: str) -> int:
    """The number of the alert with this UUID."""
    with db.read() as session:
        number = session.exec(select(Alert.id).where(Alert.uuid == uuid)).first()
    if number is None:
        raise NotFound(f'alert: no alert with UUID "{uuid}"')
    return number
