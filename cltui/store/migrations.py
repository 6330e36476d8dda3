"""Schema versions: ordered migrations, applied once each, recorded in `schema_version`.

A table is created by the migration that introduced it. A later change to a table is a
migration of its own that checks what is there first, so that a database created at any
version reaches the newest one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from cltui.store import models


class SchemaTooNew(RuntimeError):
    """The database was written by a newer cltui."""


def _create(*tables: type[SQLModel]) -> Callable[[Connection], None]:
    def apply(connection: Connection) -> None:
        for table in tables:
            table.__table__.create(connection, checkfirst=True)  # type: ignore[attr-defined]

    return apply


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (
        1,
        "roster, alerts, pages, timeline, outbox and lease",
        _create(
            models.Person,
            models.ContactMethod,
            models.NotificationStep,
            models.Team,
            models.TeamMember,
            models.EscalationStep,
            models.Alert,
            models.Page,
            models.AlertEvent,
            models.Notification,
            models.Lease,
        ),
    ),
    (2, "API tokens", _create(models.ApiToken)),
]

LATEST = MIGRATIONS[-1][0]


def current_version(connection: Connection) -> int:
    if not sa.inspect(connection).has_table("schema_version"):
        return 0
    found = connection.execute(sa.select(sa.func.max(models.SchemaVersion.version))).scalar()
    return int(found or 0)


def migrate(engine: Engine, target: int = LATEST) -> int:
    """Bring the database to `target`; return the version it was at before."""
    with engine.execution_options(write=True).begin() as connection:
        models.SchemaVersion.__table__.create(connection, checkfirst=True)  # type: ignore[attr-defined]
        before = current_version(connection)
        if before > LATEST:
            raise SchemaTooNew(
                f"the database is at schema version {before}; this cltui knows up to {LATEST}"
            )
        for version, _title, apply in MIGRATIONS:
            if before < version <= target:
                apply(connection)
                connection.execute(
                    sa.insert(models.SchemaVersion).values(
                        version=version, applied_at=datetime.now(UTC)
                    )
                )
    return before
