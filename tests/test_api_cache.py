"""Answers kept per snapshot (``api/cache.py``): a repeated GET is answered from memory until
the database file changes; errors, downloads and refused hosts are never served from it."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the API needs the 'serve' extra")

from fastapi.testclient import TestClient

from api_data import build_db
from legation.api.app import create_app
from legation.store.db import Store


def test_a_repeated_get_is_kept_until_the_file_changes(tmp_path: Path) -> None:
    db = build_db(tmp_path / "c.duckdb", later_stages=True)
    app = create_app(db, allowed_hosts=["testserver"])
    cache = app.state.answers
    with TestClient(app) as client:
        first = client.get("/api/overview")
        again = client.get("/api/overview")
        assert first.status_code == again.status_code == 200 and cache.hits == 1
        assert again.json() == first.json() and again.headers["content-type"] == first.headers["content-type"]
        assert again.headers["X-Content-Type-Options"] == "nosniff"  # still inside the headers middleware
        assert client.get("/api/overview", headers={"host": "evil.example"}).status_code == 400
        assert cache.hits == 1
        assert client.get("/api/events?limit=abc").status_code == 422
        assert client.get("/api/events?limit=abc").status_code == 422
        assert client.get("/api/events?format=csv").status_code == 200
        assert client.get("/api/events?format=csv").status_code == 200
        assert cache.hits == 1  # neither errors nor downloads are kept
        n = first.json()["counts"]["articles"]
        with Store(db) as s:
            s.con.execute("UPDATE articles SET title = 'changed' WHERE seq = (SELECT min(seq) FROM articles)")
            s.con.execute("DELETE FROM articles WHERE seq = (SELECT max(seq) FROM articles)")
        after = client.get("/api/overview").json()
        assert after["counts"]["articles"] == n - 1 and cache.hits == 1


def test_an_older_schema_is_refused_once_not_copied_per_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import legation.store.db as dbmod
    from legation.store import schema

    db = tmp_path / "old.duckdb"
    with monkeypatch.context() as mp:
        mp.setattr(dbmod, "MIGRATIONS", [m for m in schema.MIGRATIONS if m[0] <= 6])
        mp.setattr(dbmod, "SCHEMA_VERSION", 6)
        Store(db).close()
    app = create_app(db)
    with TestClient(app) as client:
        for _ in range(3):
            r = client.get("/api/overview")
            assert (
                r.status_code == 503
                and "legation migrate" in r.json()["error"]
                and str(db) in r.json()["error"]
            )
    assert app.state.snapshots.copies == 0 and app.state.snapshots._n == 1  # one copy tried, then remembered
