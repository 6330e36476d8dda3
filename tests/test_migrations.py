"""Schema migrations: a database the previous release wrote (schema v1) is upgraded in place
with its data intact, and one written by a newer cltui is refused."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from cltui.store import alerts, roster
from cltui.store.database import Database
from cltui.store.migrations import LATEST, MIGRATIONS, SchemaTooNew, current_version, migrate
from cltui.store.models import (
    Alert,
    AlertEvent,
    ContactMethod,
    NotificationStep,
    Person,
    Team,
    TeamMember,
)
from tests.conftest import REPO

WHEN = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def versions(engine: sa.Engine) -> list[int]:
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT version FROM schema_version ORDER BY version"))
        return [v for (v,) in rows]


def write_v1(db_url: str) -> None:
    """What the previous release left behind: schema v1 with a roster and an open alert."""
    engine = sa.create_engine(db_url)
    try:
        assert migrate(engine, target=1) == 0
        assert versions(engine) == [1]
        assert "api_token" not in tables(engine)
        with Session(engine) as session:
            arthur = Person(handle="arthur", name="Arthur Pendragon")
            team = Team(name="kings", description="Round table", shift=604800, handoff=WHEN)
            session.add_all([arthur, team])
            session.flush()
            contact = ContactMethod(
                person_id=arthur.id or 0, label="email", url="mailto://arthur@example.com"
            )
            session.add(contact)
            session.flush()
            session.add_all(
                [
                    NotificationStep(
                        person_id=arthur.id or 0, position=0, contact_id=contact.id or 0
                    ),
                    TeamMember(team_id=team.id or 0, person_id=arthur.id or 0, position=0),
                    Alert(
                        uuid="00000000-0000-4000-8000-000000000001",
                        dedup_key="disk",
                        team_id=team.id,
                        summary="disk full",
                        severity="critical",
                        created_at=WHEN,
                        updated_at=WHEN,
                        esc_next_at=WHEN,
                    ),
                ]
            )
            session.flush()
            session.add(AlertEvent(alert_id=1, team_id=team.id, at=WHEN, kind="created"))
            session.commit()
        with engine.begin() as connection:  # and a row written with plain SQL
            connection.execute(
                sa.text("INSERT INTO person (handle, name) VALUES ('merlin', 'Merlin')")
            )
    finally:
        engine.dispose()


def test_migrations_are_numbered_in_order() -> None:
    numbers = [version for version, _title, _apply in MIGRATIONS]
    assert numbers == list(range(1, len(numbers) + 1))
    assert LATEST == numbers[-1] == 2


def test_v1_database_is_upgraded_with_its_data(db_url: str) -> None:
    write_v1(db_url)
    db = Database(db_url)
    try:
        assert versions(db.engine) == [1, 2]
        assert "api_token" in tables(db.engine)
        with db.engine.connect() as connection:
            assert current_version(connection) == LATEST
            columns = {c["name"] for c in sa.inspect(connection).get_columns("api_token")}
        assert {"name", "token_hash", "created_at"} <= columns

        assert [p.handle for p in roster.people(db)] == ["arthur", "merlin"]
        arthur = roster.person(db, "arthur")
        assert arthur.name == "Arthur Pendragon"
        assert [(c.label, c.url) for c in arthur.contacts] == [
            ("email", "mailto://arthur@example.com")
        ]
        assert arthur.plan == (roster.PlanStep("email"),)
        kings = roster.team(db, "kings")
        assert ([m.handle for m in kings.members], kings.policy.handoff) == (["arthur"], WHEN)
        alert = alerts.get(db, 1)
        assert (alert.summary, alert.team, alert.status, alert.created_at) == (
            "disk full",
            "kings",
            "triggered",
            WHEN,
        )
        assert [e.kind for e in alerts.timeline(db, 1)] == ["created"]

        # The upgraded database works: new alerts, acknowledgements, tokens' table.
        alerts.acknowledge(db, WHEN, 1, "arthur")
        new, created = alerts.raise_alert(db, WHEN, "cpu hot", team="kings")
        assert (new.number, created) == (2, True)
        with db.write() as session:
            session.exec(  # type: ignore[call-overload]
                sa.text(
                    "INSERT INTO api_token (name, token_hash, created_at)"
                    " VALUES ('ci', 'h', '2026-11-26 09:00:00')"
                )
            )
    finally:
        db.close()


def test_opening_again_applies_nothing_twice(db_url: str) -> None:
    write_v1(db_url)
    Database(db_url).close()
    engine = sa.create_engine(db_url)
    try:
        assert migrate(engine) == LATEST
        assert versions(engine) == [1, 2]
    finally:
        engine.dispose()
    Database(db_url).close()


def test_fresh_database_is_at_the_latest_version(db: Database) -> None:
    assert versions(db.engine) == list(range(1, LATEST + 1))


def make_too_new(db_url: str) -> None:
    Database(db_url).close()
    engine = sa.create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO schema_version (version, applied_at)"
                " VALUES (:v, '2030-01-01 00:00:00')"
            ),
            {"v": LATEST + 1},
        )
    engine.dispose()


def test_newer_database_is_refused(db_url: str) -> None:
    make_too_new(db_url)
    with pytest.raises(SchemaTooNew) as raised:
        Database(db_url)
    assert str(raised.value) == (
        f"the database is at schema version {LATEST + 1}; this cltui knows up to {LATEST}"
    )
    engine = sa.create_engine(db_url)
    try:
        assert versions(engine) == [*range(1, LATEST + 1), LATEST + 1]  # left as it was
    finally:
        engine.dispose()


def test_newer_database_is_refused_by_the_cli(db_url: str) -> None:
    make_too_new(db_url)
    result = subprocess.run(
        [sys.executable, "-m", "cltui.cli", "--db", db_url, "alerts"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"cltui: the database is at schema version {LATEST + 1}; this cltui knows up to {LATEST}\n"
    )
