"""API tokens: created with a name, shown once, stored only as a SHA-256 hash, revoked by name.

A presented token is hashed and compared with every stored hash in constant time, so neither
the comparison nor an index lookup tells a caller how close a guess came.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import col, select

from cltui.domain import validation as check
from cltui.domain.errors import NotFound, Refused
from cltui.store.database import Database
from cltui.store.models import ApiToken

PREFIX = "cltui_"


@dataclass(frozen=True)
class TokenView:
    name: str
    created_at: datetime


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create(db: Database, name: str, now: datetime | None = None) -> str:
    """Make a token called `name`; return the token itself, which is not stored anywhere."""
    name = check.label(name, "name")
    token = PREFIX + secrets.token_urlsafe(32)
    with db.write() as session:
        if session.exec(select(ApiToken.id).where(ApiToken.name == name)).first() is not None:
            raise Refused(f'name: a token named "{name}" already exists; revoke it first')
        session.add(
            ApiToken(name=name, token_hash=_hash(token), created_at=now or datetime.now(UTC))
        )
    return token


def revoke(db: Database, name: str) -> None:
    with db.write() as session:
        removed = session.exec(sa.delete(ApiToken).where(col(ApiToken.name) == name)).rowcount
        if not removed:
            raise NotFound(f'name: no token named "{name}"')


def names(db: Database) -> list[TokenView]:
    with db.read() as session:
        rows = session.exec(select(ApiToken).order_by(col(ApiToken.name))).all()
        return [TokenView(r.name, r.created_at) for r in rows]


def verify(db: Database, token: str) -> str | None:
    """The name of the token, or None when it is not (or no longer) a valid token."""
    presented = _hash(token)
    with db.read() as session:
        rows = session.exec(select(ApiToken.name, ApiToken.token_hash)).all()
    found: str | None = None
    for name, stored in rows:
        # Every row is compared, so the time taken does not depend on where a match is.
        if hmac.compare_digest(presented, stored) and found is None:
            found = name
    return found
