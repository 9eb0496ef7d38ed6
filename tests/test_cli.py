"""The command line, through click's CliRunner: exit codes, output, and export formats."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from corpus import page, write_corpus, write_jsonl
from legation.cli import main

SNAPSHOTS = Path(__file__).parent / "data"
UPDATE = os.environ.get("LEGATION_UPDATE_SNAPSHOTS") == "1"


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    res = runner.invoke(main, list(args), catch_exceptions=False)
    return res.exit_code, res.stdout, res.stderr


def test_ingest_summary_and_exit_codes(tmp_path: Path, runner: CliRunner) -> None:
    write_corpus(tmp_path / "in", 3)
    db = str(tmp_path / "db.duckdb")
    code, out, err = run(runner, "ingest", str(tmp_path / "in"), "--db", db, "--workers", "1")
    assert code == 0, err
    assert "3 files, 3 articles: 3 added" in out
    (tmp_path / "in" / "bad.jsonl").write_text("{not json}\n")
    code, out, err = run(runner, "ingest", str(tmp_path / "in"), "--db", db, "--workers", "1")
    assert code == 1
    assert "3 already stored" in out and "1 failed" in out
    assert "bad.jsonl (line 1): invalid JSON" in err


def test_usage_errors_exit_2(tmp_path: Path, runner: CliRunner) -> None:
    assert run(runner, "ingest", str(tmp_path / "missing"), "--db", str(tmp_path / "d"))[0] == 2
    assert run(runner, "ingest")[0] == 2
    assert run(runner, "export", "nonsense")[0] == 2
    assert run(runner, "ingest", str(tmp_path), "--workers", "0")[0] == 2


def test_db_defaults_to_env(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    write_corpus(tmp_path / "in", 1)
    monkeypatch.setenv("LEGATION_DB", str(tmp_path / "env.duckdb"))
    assert run(runner, "ingest", str(tmp_path / "in"), "-q", "--workers", "1")[0] == 0
    assert (tmp_path / "env.duckdb").exists()
    code, out, _ = run(runner, "stats", "--json")
    assert code == 0 and json.loads(out)["articles"] == 1


def test_export_missing_db_is_an_error(tmp_path: Path, runner: CliRunner) -> None:
    code, _, err = run(runner, "export", "articles", "--db", str(tmp_path / "none.duckdb"))
    assert code == 1 and "no such database" in err


@pytest.fixture()
def snapshot_db(tmp_path: Path, runner: CliRunner) -> str:
    recs = [
        {
            "id": "snap-1",
            "url": "https://example.org/1",
            "site": "Example",
            "title": "First",
            "published": "2024-11-04",
            "text": page(1),
        },
        {"id": "snap-2", "url": "https://example.org/2", "title": "Second", "text": page(2)},
        {"id": "snap-3", "url": "https://mirror.example.net/2", "text": page(2)},
    ]
    write_jsonl(tmp_path / "snap.jsonl", recs)
    db = str(tmp_path / "snap.duckdb")
    assert run(runner, "ingest", str(tmp_path / "snap.jsonl"), "--db", db, "-q", "--workers", "1")[0] == 0
    return db


def _check_snapshot(name: str, got: str) -> None:
    path = SNAPSHOTS / name
    if UPDATE or not path.exists():
        path.write_text(got, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"snapshot {name} was missing and has been written; review and rerun")
    assert got == path.read_text(encoding="utf-8"), (
        f"export differs from {path} (LEGATION_UPDATE_SNAPSHOTS=1 to accept)"
    )


def test_export_jsonl_snapshot(snapshot_db: str, runner: CliRunner) -> None:
    code, out, _ = run(runner, "export", "articles", "--db", snapshot_db)
    assert code == 0
    recs = [json.loads(x) for x in out.splitlines()]
    assert [r["id"] for r in recs] == ["snap-1", "snap-2", "snap-3"]
    assert recs[2]["duplicate_of"] == "snap-2"
    for field in (
        "id",
        "source",
        "site",
        "title",
        "published",
        "published_basis",
        "author",
        "text",
        "duplicate_of",
        "story_id",
    ):
        assert all(field in r for r in recs)
    _check_snapshot("articles.snapshot.jsonl", out)


def test_export_csv_and_parquet_match_jsonl(snapshot_db: str, runner: CliRunner, tmp_path: Path) -> None:
    _, out, _ = run(runner, "export", "articles", "--db", snapshot_db)
    recs = [json.loads(x) for x in out.splitlines()]
    code, csv_out, _ = run(runner, "export", "articles", "--db", snapshot_db, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(csv_out)))
    assert [r["id"] for r in rows] == [r["id"] for r in recs]
    assert json.loads(rows[0]["author"]) == recs[0]["author"]
    assert rows[0]["text"] == recs[0]["text"]
    pq_path = tmp_path / "a.parquet"
    assert (
        run(runner, "export", "articles", "--db", snapshot_db, "--format", "parquet", "-o", str(pq_path))[0]
        == 0
    )
    table = pq.read_table(pq_path).to_pylist()
    assert [r["id"] for r in table] == [r["id"] for r in recs]
    assert table[0]["text"] == recs[0]["text"]
    assert run(runner, "export", "articles", "--db", snapshot_db, "--format", "parquet")[0] == 2


def test_stats_table(snapshot_db: str, runner: CliRunner) -> None:
    code, out, _ = run(runner, "stats", "--db", snapshot_db)
    assert code == 0
    assert "articles" in out and "duplicates" in out and "record" in out


def test_export_actors_in_contract_format(snapshot_db: str, runner: CliRunner) -> None:
    code, out, _ = run(runner, "export", "actors", "--db", snapshot_db)
    assert code == 0
    recs = {r["actor_id"]: r for r in map(json.loads, out.splitlines())}
    for r in recs.values():
        assert set(r) >= {"actor_id", "name", "kind", "code", "sector", "aliases", "roles"}
        assert r["kind"] in {"state", "igo", "person", "org", "group"}
    rutte = recs["mark-rutte"]
    assert [(x["code"], x["start"]) for x in rutte["roles"]][-1] == ("NATO", "2024-10-01")
    assert sum(1 for r in recs.values() if r["kind"] == "state") >= 195
