"""Gold sets with floors, measured through the product (ingest -> export -> shared scorer).

Floors only ever go up: raise one when a change measurably improves its figure. Skipped
cleanly when ``../shared`` is absent.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from legation.ingest.encoding import decode_bytes
from legation.ingest.runner import ingest
from legation.store.export import export

SEED_FLOORS = {"body_recall": 1.0, "title_acc": 0.8, "published_acc": 0.8, "author_acc": 1.0}
HTML_F1_FLOOR = 0.964  # measured 0.9641 (trafilatura's published figure on this benchmark: 0.958)
SEED_ACTORS_FLOOR = 1.0  # measured 1.0 (issue 3 asks for 0.95)
#: Measured 0.903 / 0.829 / 1.0 (issue 4 asks for 0.8 / 0.7 / 0.8).
SEED_EVENT_FLOORS = {"recall": 0.93, "precision": 0.85, "date_acc": 1.0}
TEXT_F1_FLOOR = 0.920  # measured 0.9208 (best simple block heuristic known: 0.87)


def exported(db: Path, kind: str = "articles") -> list[dict[str, Any]]:
    buf = io.StringIO()
    export(kind, db=db, out=buf)
    return [json.loads(x) for x in buf.getvalue().splitlines()]


@pytest.fixture(scope="module")
def seed_db(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> Path:
    """The seed pages ingested once through the whole pipeline (shared by the seed floors)."""
    db = tmp_path_factory.mktemp("seeds") / "seeds.duckdb"
    report = ingest([shared_dir / "seeds"], db=db, pipeline=pipeline)
    assert report.exit_code == 0 and report.added == 5
    return db


def test_seed_articles(shared_dir: Path, score: ModuleType, seed_db: Path) -> None:
    res = score.score_articles(score.read_jsonl(shared_dir / "gold/seeds.articles.jsonl"), exported(seed_db))
    assert res["chrome_leak"] == 0.0, res["docs"]
    for key, floor in SEED_FLOORS.items():
        assert res[key] >= floor, (key, res["docs"])


def test_seed_actors(shared_dir: Path, score: ModuleType, seed_db: Path) -> None:
    gold = score.read_jsonl(shared_dir / "gold/seeds.actors.jsonl")
    res = score.score_actors(gold, exported(seed_db), exported(seed_db, "mentions"))
    assert res["accuracy"] >= SEED_ACTORS_FLOOR, res["wrong"]


#: Measured on the seeds 2026-11-22: claims recall 1.0, claimant accuracy 1.0; agreements
#: recall 1.0 with 0 duplicates. Floors sit one miss below (5 core claims, 4 core agreements).
SEED_CLAIMS_FLOORS = {"recall": 0.8, "claimant_acc": 0.8, "kind_acc": 1.0}  # kind_acc: 6/6
SEED_AGREEMENTS_RECALL_FLOOR = 0.75


def test_seed_claims(shared_dir: Path, score: ModuleType, seed_db: Path) -> None:
    gold = score.read_jsonl(shared_dir / "gold/seeds.claims.jsonl")
    res = score.score_claims(gold, exported(seed_db), exported(seed_db, "claims"))
    for key, floor in SEED_CLAIMS_FLOORS.items():
        assert res[key] >= floor, (key, res)
    troops = [t for t, g in res["grouping"].items() if "troops" in t]
    assert troops and all(res["grouping"][t]["together"] == 1.0 for t in troops), res["grouping"]
    assert all(res["grouping"][t]["disputed_flag"] for t in troops), res["grouping"]


SEED_AGREEMENTS_PRECISION_FLOOR = 0.84  # measured 0.846 (was 0.524)
SEED_AGREEMENTS_DATE_FLOOR = 1.0  # measured 1.0 (was 0.5)


def own_duplicates(score: ModuleType, gold: list[dict[str, Any]], agreements: list[dict[str, Any]]) -> int:
    """Further records of one gold agreement, each record counted for the gold it matches best.

    ``score.py`` counts a record as a duplicate of every gold agreement whose name it matches
    loosely (token Jaccard >= 0.3), so the correct "Digital Partnership" and "Green Partnership"
    records count as duplicates of each other. Here a record belongs to its best-matching gold
    agreement only.
    """

    def jaccard(g: dict[str, Any], a: dict[str, Any]) -> float:
        gt, at = score.name_tokens(g["name"]), score.name_tokens(a.get("name"))
        return len(gt & at) / len(gt | at) if gt and at else 0.0

    owners: dict[str, list[dict[str, Any]]] = {}
    for a in agreements:
        parties = set(a.get("parties") or [])
        fits = [g for g in gold if score._names_match(g, a) and set(g["parties"]) <= parties]
        if fits:
            best = max(fits, key=lambda g: jaccard(g, a))
            owners.setdefault(best["id"], []).append(a)
    return sum(max(0, len(v) - 1) for v in owners.values())


def test_seed_agreements(shared_dir: Path, score: ModuleType, seed_db: Path) -> None:
    gold = score.read_jsonl(shared_dir / "gold/seeds.agreements.jsonl")
    agreements = exported(seed_db, "agreements")
    res = score.score_agreements(gold, agreements)
    assert res["recall"] >= SEED_AGREEMENTS_RECALL_FLOOR, res
    assert res["precision"] >= SEED_AGREEMENTS_PRECISION_FLOOR, res
    assert res["date_acc"] is not None and res["date_acc"] >= SEED_AGREEMENTS_DATE_FLOOR, res
    assert own_duplicates(score, gold, agreements) == 0, res


def test_seed_events(shared_dir: Path, score: ModuleType, seed_db: Path) -> None:
    gold = score.read_jsonl(shared_dir / "gold/seeds.events.jsonl")
    res = score.score_events(gold, exported(seed_db), exported(seed_db, "events"))
    for key, floor in SEED_EVENT_FLOORS.items():
        assert res[key] is not None and res[key] >= floor, (key, res)


def _extraction_f1(
    shared_dir: Path, score: ModuleType, records: Path, tmp_path: Path, pipeline: Any
) -> float:
    db = tmp_path / "bench.duckdb"
    ingest([records], db=db, pipeline=pipeline)
    truth = json.loads(
        (shared_dir / "benchmarks/article-extraction/ground-truth.json").read_text(encoding="utf-8")
    )
    pred = {score.doc_key(a, truth): a.get("text") for a in exported(db)}
    res = score.score_extraction(truth, pred)
    assert res["missing"] == 0
    return float(res["f1"])


@pytest.mark.slow
def test_extraction_text_dumps(shared_dir: Path, score: ModuleType, tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    records = shared_dir / "benchmarks/article-extraction/text-dumps.jsonl"
    assert _extraction_f1(shared_dir, score, records, tmp_path, pipeline) >= TEXT_F1_FLOOR


@pytest.mark.slow
def test_extraction_html(shared_dir: Path, score: ModuleType, tmp_path: Path, pipeline) -> None:  # type: ignore[no-untyped-def]
    bench = shared_dir / "benchmarks/article-extraction"
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    records = tmp_path / "html.jsonl"
    with open(records, "w", encoding="utf-8") as fh:
        for p in sorted((bench / "html").glob("*.html.gz")):
            pid = p.name.removesuffix(".html.gz")
            html, _ = decode_bytes(gzip.decompress(p.read_bytes()), is_html=True)
            fh.write(json.dumps({"id": pid, "url": truth[pid]["url"], "html": html}) + "\n")
    assert _extraction_f1(shared_dir, score, records, tmp_path, pipeline) >= HTML_F1_FLOOR
