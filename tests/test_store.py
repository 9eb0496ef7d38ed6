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


def test_v5_database_gains_article_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Migration 6 adds ``articles.language``: old rows keep everything and read NULL (not judged)."""
    import legation.store.db as dbmod
    from legation.models import Article
    from legation.store.export import iter_records

    db = tmp_path / "a.duckdb"
    v5 = [m for m in schema.MIGRATIONS if m[0] <= 5]
    with monkeypatch.context() as mp:
        mp.setattr(dbmod, "MIGRATIONS", v5)
        mp.setattr(dbmod, "SCHEMA_VERSION", 5)
        with Store(db) as s:
            assert s.version() == 5
            cols = [r[0] for r in s.con.execute("DESCRIBE articles").fetchall()]
            assert "language" not in cols
            # An article as a version-5 Legation wrote it (columns named, as its writer did).
            s.con.execute(
                "INSERT INTO articles (id, seq, source, input_key, url, site, title, published, "
                "published_date, published_basis, published_precision, author, text, datelines, fmt, "
                "encoding, content_hash, norm_hash, duplicate_of, story_id, warnings) VALUES "
                "('old', 1, 'old.txt', 'old.txt', 'https://example.org/a', 'Example', 'Old title', "
                "'2024-03-14', DATE '2024-03-14', 'text', 'day', ['A. Writer'], 'Old body.', "
                "CAST('[]' AS JSON), 'text', 'utf-8', 'c', 'n', NULL, 's1', [])"
            )
            s.con.execute(
                "INSERT INTO mentions VALUES "
                "(1, 'old', 0, 3, 'x', 'USA', 'state', CAST('{\"a\": 1}' AS JSON))"
            )
            before = s.con.execute("SELECT * FROM articles").fetchall()

    with Store(db) as s:
        assert s.version() == schema.SCHEMA_VERSION >= 6
        assert s.scalar("SELECT name FROM schema_version WHERE version = 6") == "article language"
        old = s.con.execute("SELECT * EXCLUDE (language, version_of) FROM articles").fetchall()
        assert old == before  # nothing lost or changed
        assert s.scalar("SELECT language FROM articles WHERE id = 'old'") is None
        assert s.scalar("SELECT count(*) FROM mentions WHERE article_id = 'old'") == 1
        new = Article(id="new", source="new.txt", input_key="new.txt", text="Neuer Text.", language="und")
        s.insert_articles([(new, 2)])
        recs = {r["id"]: r for r in iter_records(s, "articles")}
    assert recs["old"]["language"] is None and recs["old"]["title"] == "Old title"
    assert recs["new"]["language"] == "und"
    assert list(recs["new"]) == list(recs["old"])  # one record shape, the extensions last
    assert list(recs["new"])[-2:] == ["language", "version_of"]


def test_writing_connection_caps_duckdb_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path / "a.duckdb") as store:
        limit = store.scalar("SELECT current_setting('memory_limit')")
        assert limit in ("488.2 MiB", "476.8 MiB", "512.0 MiB")  # 512MB as DuckDB prints it
    monkeypatch.setenv("LEGATION_DUCKDB_MEMORY", "256MB")
    with Store(tmp_path / "b.duckdb") as store:
        assert "244" in store.scalar("SELECT current_setting('memory_limit')")
    monkeypatch.setenv("LEGATION_DUCKDB_MEMORY", "lots")
    with pytest.raises(StoreError, match="LEGATION_DUCKDB_MEMORY"):
        Store(tmp_path / "c.duckdb")


def test_v6_database_gains_event_parties(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Migration 7 fills ``event_parties`` and ``events.goldstein`` from the stored records (a
    writer migrates on open; readers refuse an older file, see below)."""
    import json

    import legation.store.db as dbmod
    from legation.models import Article, Event, Party

    db = tmp_path / "a.duckdb"
    with monkeypatch.context() as mp:
        mp.setattr(dbmod, "MIGRATIONS", [m for m in schema.MIGRATIONS if m[0] <= 6])
        mp.setattr(dbmod, "SCHEMA_VERSION", 6)
        with Store(db) as s:
            rec = {
                "id": "old-e1",
                "event": "CONSULT",
                "actor": [{"code": "KOR", "actor_id": "KOR"}, {"code": "JPN", "actor_id": "p-kishida"}],
                "recipient": [{"code": "EU", "actor_id": None}],
                "goldstein": 4.0,
            }
            s.con.execute(
                "INSERT INTO events VALUES ('old-e1', 1, 1, 'old', 'CONSULT', 1, '2024-11-01', NULL, ?)",
                [json.dumps(rec)],
            )
    with Store(db) as s:
        assert s.version() == schema.SCHEMA_VERSION >= 7
        parties = s.con.execute("SELECT * FROM event_parties ORDER BY side, code").fetchall()
        assert parties == [
            ("old-e1", "actor", "JPN", "p-kishida"),
            ("old-e1", "actor", "KOR", "KOR"),
            ("old-e1", "recipient", "EU", None),
        ]
        assert s.scalar("SELECT goldstein FROM events WHERE id = 'old-e1'") == 4.0
    with Store(db) as s:
        ev = Event(
            event="AID", sentence="x", start=0, end=1, rule="t",
            actor=[Party("the US", "USA", "USA")], goldstein=7.4,
        )
        s.insert_events([(Article(id="new", source="n.txt", input_key="n.txt", text="x", events=[ev]), 2)])
        assert s.con.execute("SELECT * FROM event_parties WHERE event_id = 'new-e1'").fetchall() == [
            ("new-e1", "actor", "USA", "USA")
        ]
        assert s.scalar("SELECT goldstein FROM events WHERE id = 'new-e1'") == 7.4


def test_readers_never_upgrade_an_older_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`serve`/`export` on an older schema leave its bytes alone and name `legation migrate`."""
    import hashlib

    from click.testing import CliRunner

    import legation.store.db as dbmod
    from legation.cli import main

    db = tmp_path / "old.duckdb"
    with monkeypatch.context() as mp:
        mp.setattr(dbmod, "MIGRATIONS", [m for m in schema.MIGRATIONS if m[0] <= 6])
        mp.setattr(dbmod, "SCHEMA_VERSION", 6)
        with Store(db) as s:
            assert s.version() == 6
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(StoreError, match="legation migrate"):
        Store(db, read_only=True)
    res = CliRunner().invoke(main, ["export", "articles", "--db", str(db)])
    assert res.exit_code == 1 and "legation migrate" in res.output
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest  # not one byte written
    res = CliRunner().invoke(main, ["migrate", "--db", str(db)])
    assert res.exit_code == 0 and f"6 -> {schema.SCHEMA_VERSION}" in res.output
    with Store(db, read_only=True) as s:
        assert s.version() == schema.SCHEMA_VERSION
    res = CliRunner().invoke(main, ["migrate", "--db", str(db)])
    assert "already at version" in res.output
