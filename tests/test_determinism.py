"""Order and names do not change the cross-article results (issue 18, item 7).

The same set of inputs, ingested in any order, in one run or two, or again under other file
names, gives the same stories, event clusters (compared as sets of event sentences, not ids)
and graph weights; a renamed copy is a duplicate whose events are kept but counted nowhere.
"""

from __future__ import annotations

import json
import random
import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from legation.api.app import create_app
from legation.crossdoc.graph import edges
from legation.ingest.runner import ingest
from legation.store.db import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
#: The example pages, without one copy of the syndicated wire story: which of two copies is the
#: original depends on which arrives first (the other is stored as its duplicate).
FILES = sorted(
    p
    for p in [*(EXAMPLES / "text").glob("*.txt"), *(EXAMPLES / "html").glob("*.html")]
    if p.name != "pentagon-10000-wire-harbourpost.html"
)


def summary(db: Path) -> dict[str, Any]:
    """Stories, clusters and graph of a database, by content, not by ids or storage order."""
    with Store(db, read_only=True) as s:
        arts = s.con.execute("SELECT id, duplicate_of, story_id, title FROM articles").fetchall()
        dups = {a for a, d, _, _ in arts if d}
        by_story: dict[str, set[str]] = defaultdict(set)
        for aid, dup, story, _ in arts:
            if not dup:
                by_story[story].add(aid)
        by_cluster: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
        for aid, rec, cluster in s.con.execute(
            "SELECT article_id, record, event_cluster FROM events"
        ).fetchall():
            if aid in dups:
                assert cluster is None  # a duplicate's events are never clustered
                continue
            r = json.loads(rec)
            by_cluster[cluster].add((r["text_info"]["sentence"], r["event"], r["text_info"]["start"]))
        assert None not in by_cluster  # every original's event has a cluster
        graph = {
            (e["source"], e["target"]): (e["events"], round(e["goldstein"], 6), e["quad"]) for e in edges(s)
        }
        cluster_rows = sorted(
            s.con.execute(
                "SELECT cluster_id, first_event, event, story_id, date_min, date_max, mentions, articles, "
                "sources FROM event_clusters"
            ).fetchall()
        )
        story_rows = sorted(
            s.con.execute(
                "SELECT story_id, first_article, title, first_published, last_published, originals, sites "
                "FROM stories"
            ).fetchall()
        )
    return {
        "stories": sorted(sorted(v) for v in by_story.values()),
        "clusters": sorted(sorted(v) for v in by_cluster.values()),
        "graph": graph,
        "cluster_rows": cluster_rows,
        "story_rows": story_rows,
    }


@pytest.fixture(scope="module")
def forward(tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> tuple[Path, dict[str, Any]]:
    db = tmp_path_factory.mktemp("fwd") / "f.duckdb"
    assert ingest(FILES, db=db, pipeline=pipeline).exit_code == 0
    return db, summary(db)


def test_the_examples_make_several_stories_and_clusters(forward: tuple[Path, dict[str, Any]]) -> None:
    s = forward[1]
    assert len(s["stories"]) >= 3 and len(s["clusters"]) >= 20 and len(s["graph"]) >= 10
    assert any(len(c) > 1 for c in s["clusters"])  # some events are reported more than once


@pytest.mark.parametrize("order", ["reverse", "shuffled"])
def test_any_order_gives_the_same_result(
    order: str, forward: tuple[Path, dict[str, Any]], tmp_path: Path, pipeline: Any
) -> None:
    files = list(reversed(FILES)) if order == "reverse" else random.Random(7).sample(FILES, len(FILES))
    db = tmp_path / "o.duckdb"
    assert ingest(files, db=db, pipeline=pipeline).exit_code == 0
    assert summary(db) == forward[1]


def test_two_runs_and_small_batches_give_the_one_run_result(
    forward: tuple[Path, dict[str, Any]], tmp_path: Path, pipeline: Any
) -> None:
    """The later half first, then the earlier one (out of order), in batches of 2."""
    db = tmp_path / "h.duckdb"
    files = list(reversed(FILES))
    half = len(files) // 2
    assert ingest(files[:half], db=db, pipeline=pipeline, batch_size=2).exit_code == 0
    assert ingest(files[half:], db=db, pipeline=pipeline, batch_size=3).exit_code == 0
    assert summary(db) == forward[1]
    with Store(db, read_only=True) as s:  # nothing left to recompute
        assert s.scalar("SELECT count(*) FROM watch_state WHERE name = 'crossdoc_dirty_from'") == 0


def test_renamed_copies_count_nowhere(
    forward: tuple[Path, dict[str, Any]], tmp_path: Path, pipeline: Any
) -> None:
    db = tmp_path / "r.duckdb"
    shutil.copyfile(forward[0], db)
    with TestClient(create_app(db)) as client:
        graph_before = client.get("/api/graph").json()
        actor_before = client.get("/api/actors/RUS").json()["relations"]
        copies = tmp_path / "copies"
        copies.mkdir()
        for i, p in enumerate(FILES):
            shutil.copyfile(p, copies / f"renamed-{i:02d}{p.suffix}")
        report = ingest([copies], db=db, pipeline=pipeline)
        assert report.exit_code == 0 and report.added == len(FILES) and report.duplicates == len(FILES)
        assert summary(db) == forward[1]
        assert client.get("/api/graph").json() == graph_before
        assert client.get("/api/actors/RUS").json()["relations"] == actor_before
    with Store(db, read_only=True) as s:  # the copies' events are kept
        kept = s.scalar(
            "SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id "
            "WHERE a.duplicate_of IS NOT NULL"
        )
        assert kept == s.scalar("SELECT count(*) FROM events") // 2 > 0
