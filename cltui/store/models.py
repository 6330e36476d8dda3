"""The SQLModel tables: the roster, alerts with their pages and timeline, and the outbox."""

from __future__ import annotations

import uuid as uuid_module
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every database."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _when(nullable: bool = False, index: bool = False) -> object:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def new_uuid() -> str:
    return str(uuid_module.uuid4())


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    handle: str = Field(unique=True, index=True, max_length=64)
    name: str = ""


class ContactMethod(SQLModel, table=True):
    __tablename__ = "contact_method"
    __table_args__ = (sa.UniqueConstraint("person_id", "label"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    label: str
    url: str


class NotificationStep(SQLModel, table=True):
    __tablename__ = "notification_step"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", index=True)
    position: int
    contact_id: int = Field(foreign_key="contact_method.id", ondelete="RESTRICT")
    wait: int = 0
    repeat: int = 0


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True, max_length=64)
    description: str = ""
    shift: int = 0
    handoff: datetime = _when()  # type: ignore[assignment]
    zone: str = "UTC"
    rotation_offset: int = 0
    repeat: int = 0


class TeamMember(SQLModel, table=True):
    __tablename__ = "team_member"
    __table_args__ = (sa.UniqueConstraint("team_id", "person_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", ondelete="CASCADE", index=True)
    person_id: int = Field(foreign_key="person.id", ondelete="RESTRICT")
    position: int


class EscalationStep(SQLModel, table=True):
    __tablename__ = "escalation_step"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", ondelete="CASCADE", index=True)
    position: int
    method: str
    target: str = ""
    wait: int = 0


class Alert(SQLModel, table=True):
    __table_args__ = (
        sa.Index(
            "ix_alert_open_dedup_key",
            "dedup_key",
            unique=True,
            sqlite_where=sa.text("status != 'resolved'"),
            postgresql_where=sa.text("status != 'resolved'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, unique=True, index=True)
    dedup_key: str
    team_id: int | None = Field(default=None, foreign_key="team.id", ondelete="RESTRICT")
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="RESTRICT")
    summary: str
    details: str = ""
    severity: str = "error"
    source: str = ""
    status: str = Field(default="triggered", index=True)
    created_at: datetime = _when()  # type: ignore[assignment]
    updated_at: datetime = _when()  # type: ignore[assignment]
    acked_by: str | None = None
    acked_at: datetime | None = _when(nullable=True)  # type: ignore[assignment]
    resolved_by: str | None = None
    resolved_at: datetime | None = _when(nullable=True)  # type: ignore[assignment]
    duplicates: int = 0
    esc_step: int = 0
    esc_loop: int = 0
    esc_next_at: datetime | None = _when(nullable=True, index=True)  # type: ignore[assignment]
    exhausted: bool = False

    @property
    def number(self) -> int:
        assert self.id is not None
        return self.id


class Page(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id", ondelete="CASCADE", index=True)
    person_id: int = Field(foreign_key="person.id", ondelete="RESTRICT")
    loop: int = 0
    step: int = 0
    active: bool = True
    started_at: datetime = _when()  # type: ignore[assignment]
    next_at: datetime | None = _when(nullable=True, index=True)  # type: ignore[assignment]


class AlertEvent(SQLModel, table=True):
    __tablename__ = "alert_event"

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int | None = Field(default=None, foreign_key="alert.id", ondelete="CASCADE")
    team_id: int | None = Field(default=None, foreign_key="team.id", ondelete="SET NULL")
    at: datetime = _when()  # type: ignore[assignment]
    kind: str
    actor: str = ""
    detail: str = ""


class Notification(SQLModel, table=True):
    """The outbox: a message recorded as due before it is sent, then marked."""

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alert.id", ondelete="CASCADE", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", ondelete="SET NULL")
    contact_id: int | None = Field(
        default=None, foreign_key="contact_method.id", ondelete="SET NULL"
    )
    channel: str
    target: str = ""
    label: str = ""
    status: str = Field(default="due", index=True)
    due_at: datetime = _when()  # type: ignore[assignment]
    sent_at: datetime | None = _when(nullable=True)  # type: ignore[assignment]
    detail: str = ""


class Lease(SQLModel, table=True):
    name: str = Field(primary_key=True)
    holder: str
    expires_at: datetime = _when()  # type: ignore[assignment]


class SchemaVersion(SQLModel, table=True):
    __tablename__ = "schema_version"

    version: int = Field(primary_key=True)
    applied_at: datetime = _when()  # type: ignore[assignment]


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True, max_length=64)
    token_hash: str
    created_at: datetime = _when()  # type: ignore[assignment]
