"""Summary tables (``store/summary.py``, migration 10): equal to the aggregates computed from the
events themselves after an ingest and after a second one, rebuilt in the API's snapshot when the
file's are stale (never writing the file), and refused by readers on an older schema."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import legation.store.db as dbmod
from legation.api import queries as Q
from legation.cli import main
from legation.ingest.runner import ingest
from legation.store import schema
from legation.store import summary_rows as R
from legation.store.db import Store, StoreError
from legation.store.summary import fingerprint, is_current, stored_fingerprint

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _keys(side: list[dict[str, Any]] | None) -> set[str]:
    return {str(p[k]) for p in side or [] for k in ("code", "actor_id") if p.get(k) is not None}


def _codes(side: list[dict[str, Any]] | None) -> set[str]:
    return {str(p["code"]) for p in side or [] if p.get("code")}


def _original_events(store: Store) -> list[dict[str, Any]]:
    rows = store.iter_rows(
        "SELECT e.record FROM events e LEFT JOIN articles a ON a.id = e.article_id "
        "WHERE a.duplicate_of IS NULL"
    )
    return [json.loads(r["record"]) for r in rows]


def _check_against_events(store: Store) -> None:
    """Every summary the API reads, against the same aggregate computed here from the records."""
    assert is_current(store.con)
    sql = "SELECT id FROM events ORDER BY date DESC NULLS LAST, seq, idx"
    order = [r["id"] for r in store.iter_rows(sql)]
    assert [r["id"] for r in store.iter_rows("SELECT id FROM sum_events ORDER BY pos")] == order
    events = _original_events(store)
    assert events, "the corpus should give events"
    keys = sorted({k for e in events for side in ("actor", "recipient") for k in _keys(e.get(side))})
    for key in keys:
        timeline: Counter[tuple[str, int]] = Counter()
        relations: Counter[tuple[str, int]] = Counter()
        for e in events:
            month, quad = (e.get("date") or "")[:7] or "unknown", int(e.get("quad") or 0)
            sides = {s: _keys(e.get(s)) for s in ("actor", "recipient")}
            if key in sides["actor"] | sides["recipient"]:
                timeline[(month, quad)] += 1
            for mine, other in (("actor", "recipient"), ("recipient", "actor")):
                if key in sides[mine]:
                    for code in _codes(e.get(other)) - {key}:
                        relations[(code, quad)] += 1
        got = {(r["month"], int(r["quad"])): int(r["n"]) for r in R.actor_timeline(store, [key])}
        assert got == dict(timeline), key
        rels = R.actor_relations(store, [key], 50)
        got_rel = {(r["code"], int(q)): int(n) for r in rels for q, n in zip(r["qs"], r["ns"], strict=True)}
        assert got_rel == dict(relations), key
    edges: Counter[tuple[str, str, str]] = Counter()
    for e in events:
        if e.get("quad") in (1, 2, 3, 4):
            kind = "cooperation" if e["quad"] <= 2 else "conflict"
            for a in _codes(e.get("actor")):
                for r in _codes(e.get("recipient")) - {a}:
                    edges[(a, r, kind)] += 1
    rows = R.graph_edges(store, None, None, 50)
    got_edges = {(r["source"], r["target"], r["kind"]): int(r["weight"]) for r in rows}
    assert got_edges == dict(edges)
    mentions = Counter(
        (r["actor_id"], r["code"]) for r in store.iter_rows("SELECT actor_id, code FROM mentions")
    )
    assert {(r["actor_id"], r["code"]): int(r["n"]) for r in R.mention_groups(store)} == dict(mentions)


def test_summaries_equal_the_events_after_an_ingest_and_a_second_one(tmp_path: Path, pipeline: Any) -> None:
    db = tmp_path / "s.duckdb"
    files = sorted((EXAMPLES / "text").glob("*.txt"))
    assert len(files) >= 4
    ingest(files[: len(files) // 2], db=db, pipeline=pipeline)
    with Store(db, read_only=True) as s:
        first = stored_fingerprint(s.con)
        _check_against_events(s)
    ingest([*files, EXAMPLES / "jsonl"], db=db, pipeline=pipeline)
    with Store(db, read_only=True) as s:
        assert stored_fingerprint(s.con) != first  # rebuilt for the new rows
        _check_against_events(s)


def test_the_listing_from_the_summary_equals_the_scan_of_events(tmp_path: Path) -> None:
    from api_data import build_db

    db = build_db(tmp_path / "l.duckdb", later_stages=True)
    with Store(db, read_only=True) as s:  # the fixture writes rows with SQL: its summaries are stale
        assert not R.current(s)
        stale = {(str(f), k): Q.events(s, f, limit=2, offset=k) for f in _filters() for k in (0, 1)}
    assert CliRunner().invoke(main, ["migrate", "--db", str(db)]).exit_code == 0  # rebuilds them
    with Store(db, read_only=True) as s:
        assert R.current(s)
        for f in _filters():
            for k in (0, 1):
                assert Q.events(s, f, limit=2, offset=k) == stale[(str(f), k)], f


def _filters() -> list[Q.EventFilter]:
    return [
        Q.EventFilter(),
        Q.EventFilter(actor="RUS"),
        Q.EventFilter(recipient="KOR"),
        Q.EventFilter(actor="PRK", quad=4),
        Q.EventFilter(relation="cooperation", since="2024-11", until="2024-11"),
        Q.EventFilter(story="s1"),
        Q.EventFilter(event="ASSAULT"),
        Q.EventFilter(originals=True),
    ]


def test_the_snapshot_rebuilds_stale_summaries_without_writing_the_file(tmp_path: Path) -> None:
    pytest.importorskip("fastapi", reason="the API needs the 'serve' extra")
    from fastapi.testclient import TestClient

    from api_data import build_db
    from legation.api.app import create_app

    db = build_db(tmp_path / "snap.duckdb", later_stages=True)
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    with TestClient(create_app(db)) as client:
        before = client.get("/api/events?limit=100").json()
        graph = client.get("/api/graph").json()
        assert before["total"] == 5 and graph["edges"]  # the stale (empty) summaries would say 0
        with Store(db, read_only=True) as s:
            assert not is_current(s.con) and hashlib.sha256(db.read_bytes()).hexdigest() == digest
            live = fingerprint(s.con)
        with Store(db) as s:  # a new event written behind the summaries' back
            s.con.execute(
                "INSERT INTO events SELECT id || 'x', seq, idx + 10, article_id, event, quad, '2025-01-01', "
                "NULL, record, goldstein FROM events WHERE id = 'e1'"
            )
        after = client.get("/api/events?limit=100").json()  # new snapshot: the kept answer is not used
        assert after["total"] == 6 and after["items"][0]["id"] == "e1"  # the record's id, newest date first
    with Store(db, read_only=True) as s:
        assert fingerprint(s.con) != live and not is_current(s.con)


def test_a_reader_refuses_a_schema_9_file_until_migrate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "v9.duckdb"
    with monkeypatch.context() as mp:
        mp.setattr(dbmod, "MIGRATIONS", [m for m in schema.MIGRATIONS if m[0] <= 9])
        mp.setattr(dbmod, "SCHEMA_VERSION", 9)
        with Store(db) as s:
            assert s.version() == 9 and not s.has_table("sum_events")
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(StoreError, match="run `legation migrate"):
        Store(db, read_only=True)
    for args in (["export", "events"], ["stats"]):
        res = CliRunner().invoke(main, [*args, "--db", str(db)])
        assert res.exit_code == 1 and "legation migrate" in res.output, args
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    res = CliRunner().invoke(main, ["migrate", "--db", str(db)])
    assert res.exit_code == 0 and f"9 -> {schema.SCHEMA_VERSION}" in res.output
    with Store(db, read_only=True) as s:
        assert s.version() == schema.SCHEMA_VERSION == 10 and is_current(s.con)

