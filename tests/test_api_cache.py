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


def test_security_headers_on_every_answer(tmp_path: Path) -> None:
    from legation.api.app import SECURITY_HEADERS

    db = build_db(tmp_path / "h.duckdb", later_stages=True)
    with TestClient(create_app(db, allowed_hosts=["testserver"])) as client:
        answers = [
            client.get("/api/overview"),
            client.get("/api/overview"),  # kept
            client.get("/"),
            client.get("/static/app.js"),
            client.get("/api/events/nope"),  # 404
            client.get("/api/events?limit=abc"),  # 422
            client.get("/api/events?format=csv"),  # a download
            client.get("/api/overview", headers={"host": "evil.example"}),  # refused host
        ]
    assert [r.status_code for r in answers] == [200, 200, 200, 200, 404, 422, 200, 400]
    for r in answers:
        for k, v in SECURITY_HEADERS.items():
            assert r.headers.get(k) == v, (r.url, k)
        assert r.headers.get_list("X-Frame-Options") == ["DENY"]  # added once, not per layer


def test_concurrent_misses_of_one_answer_compute_it_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio
    import threading
    import time

    import httpx

    from legation.api import queries as Q

    db = build_db(tmp_path / "f.duckdb", later_stages=True)
    app = create_app(db)
    calls = []
    real = Q.overview

    def slow(store: Store) -> dict[str, object]:
        calls.append(threading.get_ident())
        time.sleep(0.3)
        return real(store)

    monkeypatch.setattr(Q, "overview", slow)

    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            await client.get("/api/types")  # the first snapshot
            return await asyncio.gather(*(client.get("/api/overview") for _ in range(6)))

    answers = asyncio.run(run())
    assert [r.status_code for r in answers] == [200] * 6
    assert len({r.content for r in answers}) == 1
    assert len(calls) == 1 and app.state.answers.joined == 5
