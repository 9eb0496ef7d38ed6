"""CLI: `legation claims [--disputed]` and `legation agreements`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from legation.cli import main
from legation.ingest.runner import ingest
from test_claims import PAGE_A, PAGE_B, _write


def test_claims_and_agreements_commands(tmp_path: Path, pipeline: Any) -> None:
    _write(tmp_path / "in", "pa.jsonl", PAGE_A)
    _write(tmp_path / "in", "pb.jsonl", PAGE_B)
    _write(
        tmp_path / "in",
        "pc.jsonl",
        "Germany will give Moldova $250 million in budget support. "
        "The money is meant for schools, roads and the power grid over the next three years.",
    )
    db = tmp_path / "x.duckdb"
    assert ingest([tmp_path / "in"], db=db, pipeline=pipeline).exit_code == 0
    runner = CliRunner()
    every = runner.invoke(main, ["claims", "--db", str(db)])
    assert every.exit_code == 0, every.output
    recs = [json.loads(x) for x in every.output.splitlines()]
    assert len(recs) == 3
    dis = runner.invoke(main, ["claims", "--db", str(db), "--disputed"])
    assert dis.exit_code == 0
    drecs = [json.loads(x) for x in dis.output.splitlines()]
    assert len(drecs) == 2 and all(r["disputed"] and r["unit"] == "soldiers" for r in drecs)
    ag = runner.invoke(main, ["agreements", "--db", str(db)])
    assert ag.exit_code == 0
    arecs = [json.loads(x) for x in ag.output.splitlines()]
    assert len(arecs) == 1 and arecs[0]["parties"] == ["DEU", "MDA"] and arecs[0]["status"] == "launched"


def test_missing_database_is_an_error(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["agreements", "--db", str(tmp_path / "nope.duckdb")])
    assert res.exit_code != 0


def test_export_graph_graphml(tmp_path: Path, pipeline: Any) -> None:
    _write(tmp_path / "in", "pa.jsonl", PAGE_A)
    db = tmp_path / "g.duckdb"
    assert ingest([tmp_path / "in"], db=db, pipeline=pipeline).exit_code == 0
    runner = CliRunner()
    res = runner.invoke(main, ["export", "graph", "--db", str(db), "--format", "graphml"])
    assert res.exit_code == 0, res.output
    import xml.etree.ElementTree as ET

    root = ET.fromstring(res.output)
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    pairs = {(e.get("source"), e.get("target")) for e in root.iter(f"{ns}edge")}
    assert ("DEU", "MDA") in pairs  # the shared partnership
    bad = runner.invoke(main, ["export", "claims", "--db", str(db), "--format", "graphml"])
    assert bad.exit_code == 2


def test_api_sql_pages_equal_the_in_memory_lists(tmp_path: Path, pipeline: Any) -> None:
    """The SQL-paged claims and stories the API serves are the in-memory lists, cut the same way."""
    from legation.api import queries as Q
    from legation.store.db import Store

    _write(tmp_path / "in", "pa.jsonl", PAGE_A)
    _write(tmp_path / "in", "pb.jsonl", PAGE_B)
    db = tmp_path / "x.duckdb"
    assert ingest([tmp_path / "in"], db=db, pipeline=pipeline).exit_code == 0
    with Store(db) as store:
        for disputed in (None, True, False):
            for limit, offset in ((100, 0), (1, 1)):
                want = Q.page(Q.claims(store, disputed=disputed), limit, offset)
                assert Q.claims_page(store, disputed=disputed, limit=limit, offset=offset) == want
        assert Q.claims_page(store)[1] == 2
        for limit, offset in ((100, 0), (1, 0), (1, 1)):
            assert Q.stories_page(store, limit, offset) == Q.page(Q.stories(store), limit, offset)
        assert Q.stories_page(store)[1] >= 1
