"""Shared checks for the API tests."""

from __future__ import annotations

from cltui.store import alerts
from cltui.store.database import Database


def ingest_state(db: Database) -> tuple[int, int]:
    """How many alerts exist and how many duplicates they have taken: what ingest writes."""
    views = alerts.list_alerts(db)
    return len(views), sum(v.duplicates for v in views)
