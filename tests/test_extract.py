"""The extract stage: claims and agreement mentions found per article, in the worker.

The cross-article steps used to read each stored article back (text, datelines, mentions,
events) and extract from it in the ingesting process. The stage must give the rows that
reading gave: the last test keeps that reading as the oracle.
"""

from __future__ import annotations

import json
import pickle
import shutil
from pathlib import Path
from typing import Any

from legation.extract.agreements import extract_agreements
from legation.extract.claims import extract_claims
from legation.extract.stage import ExtractStage, mention_records
from legation.ingest.runner import ingest
from legation.models import Article, Dateline, Mention, RawDoc
from legation.pipeline import Context, Pipeline
from legation.store.db import Store
from test_claims import PAGE_A


def test_the_stage_runs_after_the_events_and_before_the_fingerprint() -> None:
    names = [s.name for s in Pipeline().stages]  # building a pipeline loads nothing
    assert names[names.index("events") + 1] == "extract" and names[-1] == "fingerprint"


def _mention(text: str, name: str, code: str, at: int) -> Mention:
    start = text.index(name, at)
    return Mention(name, start, start + len(name), None, name, code, "state")


def test_mentions_inside_a_dateline_are_left_out() -> None:
    text = "SEOUL, South Korea — South Korea will provide Ukraine with $394 million."
    body = text.index("South Korea will")
    art = Article("a", "src", "a", text, published="2024-11-16")
    art.datelines = [Dateline(0, len(text), "2024-11-16", "Seoul", "SEOUL, South Korea")]
    art.mentions = [_mention(text, "South Korea", "KOR", 0), _mention(text, "South Korea", "KOR", body)]
    art.mentions.append(_mention(text, "Ukraine", "UKR", 0))
    kept = [(m["code"], m["start"]) for m in mention_records(art)]
    assert kept == [("KOR", body), ("UKR", text.index("Ukraine"))]
    ExtractStage()(art, RawDoc("src", "text", text, "a"), Context())
    assert [(c["topic"], c["value"]) for c in art.claims] == [("KOR aid to UKR", 394_000_000)]
    assert art.claims[0]["claimant"] == [{"text": "South Korea", "code": "KOR"}]


def test_a_processed_article_pickles_with_its_rows(pipeline: Any) -> None:
    """Workers and Dask send the article back pickled: the new fields must survive it."""
    raw = RawDoc("p.jsonl", "text", PAGE_A, "p.jsonl:1", record=True, published="2025-03-01")
    art = pipeline.process(raw, "pa")
    assert art.claims and art.agreement_mentions
    assert all(m["article_id"] == "pa" for m in art.agreement_mentions)
    assert pickle.loads(pickle.dumps(art)) == art


def _events_as_stored(store: Store, aid: str) -> list[dict[str, Any]]:
    """The event facts as the agreements step read them back with SQL before the stage."""
    rows = store.con.execute(
        "SELECT CAST(record->>'$.text_info.start' AS INTEGER), CAST(record->>'$.text_info.end' AS INTEGER),"
        " date, record->>'$.aux', record->>'$.trigger', record->>'$.actor', record->>'$.date_precision'"
        " FROM events WHERE article_id = ? ORDER BY idx",
        [aid],
    ).fetchall()
    keys = ("start", "end", "date", "aux", "trigger", "actors", "precision")
    out = [dict(zip(keys, r, strict=True)) for r in rows]
    for e in out:
        e["actors"] = [p.get("code") for p in json.loads(e["actors"] or "[]") if p.get("code")]
    return out


def _extract_from_store(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Claims and agreement mentions extracted from the stored originals, the way it was done."""
    claims, found = [], []
    for aid, text, published, raw in store.con.execute(
        "SELECT id, text, published, datelines FROM articles WHERE duplicate_of IS NULL ORDER BY seq"
    ).fetchall():
        spans = []
        for d in json.loads(raw or "[]"):
            at = text.find(d.get("text") or "\0", int(d["start"]), int(d["end"]) + 1)
            if at >= 0:
                spans.append((at, at + len(d["text"])))
        recs = store.con.execute("SELECT record FROM mentions WHERE article_id = ?", [aid]).fetchall()
        every = [json.loads(r) for (r,) in recs]
        ments = [m for m in every if not any(a <= m["start"] < b for a, b in spans)]
        art = {"id": aid, "text": text, "published": published}
        claims += extract_claims(art, ments)
        events = _events_as_stored(store, aid)
        found += [{**m, "article_id": aid} for m in extract_agreements({**art, "events": events}, ments)]
    return claims, found


def test_stored_rows_are_those_an_extraction_from_the_store_gives(
    shared_dir: Path, tmp_path: Path, pipeline: Any
) -> None:
    """Seeds plus a copy of one (a duplicate: its rows must not be stored)."""
    pages = tmp_path / "in"
    shutil.copytree(shared_dir / "seeds", pages)
    first = sorted(pages.iterdir())[0]
    shutil.copy(first, pages / "zz_copy.txt")
    db = tmp_path / "s.duckdb"
    report = ingest([pages], db=db, pipeline=pipeline)
    assert report.exit_code == 0 and report.duplicates == 1
    with Store(db, read_only=True) as s:
        want_claims, want_mentions = _extract_from_store(s)
        claims = s.con.execute("SELECT record FROM claims ORDER BY seq").fetchall()
        mentions = s.con.execute("SELECT record FROM agreement_mentions ORDER BY seq").fetchall()
    stored = [json.loads(r) for (r,) in claims]
    for c in stored:
        c["group_id"], c["disputed"] = None, False  # set across articles afterwards
    assert want_claims and stored == want_claims
    assert want_mentions and [json.loads(r) for (r,) in mentions] == want_mentions
