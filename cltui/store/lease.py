"""The engine lease: which one process drives escalations for this database right now."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from cltui.store.database import Database
from cltui.store.models import Lease

ENGINE_LEASE = "engine"


def acquire(db: Database, holder: str, now: datetime, ttl: float, name: str = ENGINE_LEASE) -> bool:
    """Take or renew the lease for `ttl` seconds; False while another live holder has it."""
    expires = now + timedelta(seconds=ttl)
    with db.write() as session:
        taken = session.exec(
            sa.update(Lease)
            .where(
                col(Lease.name) == name,
                sa.or_(col(Lease.holder) == holder, col(Lease.expires_at) <= now),
            )
            .values(holder=holder, expires_at=expires)
        ).rowcount
        if taken:
            return True
        if session.get(Lease, name) is not None:
            return False
    try:
        with db.write() as session:
            session.add(Lease(name=name, holder=holder, expires_at=expires))
        return True
    except IntegrityError:
        return False


def release(db: Database, holder: str, name: str = ENGINE_LEASE) -> None:
    with db.write() as session:
        session.exec(sa.delete(Lease).where(col(Lease.name) == name, col(Lease.holder) == holder))


def current(db: Database, name: str = ENGINE_LEASE) -> tuple[str, datetime] | None:
    with db.read() as session:
        row = session.get(Lease, name)
        return None if row is None else (row.holder, row.expires_at)
