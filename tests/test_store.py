"""The database: versioned schema, migrations, read-only opening."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from legation.store import schema
from legation.store.db import Store, StoreError


def test_new_database_is_at_latest_version(tmp_path: Path) -> None:
    with Store(tmp_path / "a.duckdb") as s:
        assert s.version() == schema.SCHEMA_VERSION
        assert s.has_table("articles")


def test_pending_migration_applies_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "a.duckdb"
    Store(db).close()
    extra = (schema.SCHEMA_VERSION + 1, "test column", "ALTER TABLE articles ADD COLUMN extra VARCHAR")
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, extra])
    import legation.store.db as dbmod

    monkeypatch.setattr(dbmod, "MIGRATIONS", [*schema.MIGRATIONS])
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", extra[0])
    with Store(db) as s:
        assert s.version() == extra[0]
    with Store(db) as s:  # reopening applies nothing twice
        assert s.scalar("SELECT count(*) FROM schema_version WHERE version = ?", [extra[0]]) == 1


def test_failed_migration_leaves_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "a.duckdb"
    Store(db).close()
    import legation.store.db as dbmod

    bad = (
        schema.SCHEMA_VERSION + 1,
        "broken",
        "ALTER TABLE articles ADD COLUMN x INT; SELECT * FROM nowhere",
    )
    monkeypatch.setattr(dbmod, "MIGRATIONS", [*schema.MIGRATIONS, bad])
    monkeypatch.setattr(dbmod, "SCHEMA_VERSION", bad[0])
    with pytest.raises(duckdb.Error):
        Store(db)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT max(version) FROM schema_version").fetchone() == (schema.SCHEMA_VERSION,)
    cols = [r[0] for r in con.execute("DESCRIBE articles").fetchall()]
    assert "x" not in cols
    con.close()


def test_newer_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "a.duckdb"
    with Store(db) as s:
        s.con.execute("INSERT INTO schema_version VALUES (999, 'future', 'now')")
    with pytest.raises(StoreError, match="newer"):
        Store(db, read_only=True)


def test_read_only_needs_existing_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "none.duckdb", read_only=True)
