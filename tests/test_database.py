"""The database: private files and folders, SQLite pragmas, and all-or-nothing writes."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import sqlalchemy as sa

from cltui.store import roster
from cltui.store.database import Database, sqlite_url


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_database_folder_is_0700_and_file_0600(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "nested" / "cltui.db"
    db = Database(sqlite_url(path))
    try:
        roster.save_person(db, "arthur", "Arthur")  # something written, so WAL files exist
        assert mode(path.parent) == 0o700
        assert mode(path) == 0o600
        for extra in (path.with_name("cltui.db-wal"), path.with_name("cltui.db-shm")):
            if extra.exists():
                assert mode(extra) & 0o077 == 0, extra
    finally:
        db.close()


def test_existing_file_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "cltui.db"
    path.touch()
    path.chmod(0o644)
    Database(sqlite_url(path)).close()
    assert mode(path) == 0o600


def test_sqlite_pragmas(db: Database) -> None:
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO contact_method (person_id, label, url) VALUES (999, 'x', 'json://h/')"
        )


def test_write_commits_whole_or_not_at_all(db: Database) -> None:
    roster.save_person(db, "arthur", "Arthur")
    with pytest.raises(RuntimeError), db.write() as session:
        session.exec(sa.text("UPDATE person SET name = 'changed'"))  # type: ignore[call-overload]
        raise RuntimeError("boom")
    assert roster.person(db, "arthur").name == "Arthur"


def test_a_second_database_object_sees_committed_writes(db_url: str, db: Database) -> None:
    other = Database(db_url)
    try:
        roster.save_person(db, "arthur", "Arthur")
        assert [p.handle for p in roster.people(other)] == ["arthur"]
    finally:
        other.close()


def test_in_memory_database_works() -> None:
    db = Database("sqlite://")
    try:
        assert db.is_sqlite
        with db.read() as session:
            versions = session.exec(sa.text("SELECT version FROM schema_version")).all()  # type: ignore[call-overload]
        assert [v for (v,) in versions] == [1, 2]
    finally:
        db.close()
