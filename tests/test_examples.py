"""The bundled example corpus, as `make demo` ingests it: every form and trap it was written for."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from legation.ingest.runner import IngestReport, ingest
from legation.store.export import export

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def demo(  # type: ignore[no-untyped-def]
    tmp_path_factory: pytest.TempPathFactory, pipeline
) -> tuple[IngestReport, list[dict[str, Any]], Path]:
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    report = ingest([EXAMPLES], db=db, pipeline=pipeline)
    buf = io.StringIO()
    export("articles", db=db, out=buf)
    return report, [json.loads(x) for x in buf.getvalue().splitlines()], db


def by_name(arts: list[dict[str, Any]], fragment: str) -> dict[str, Any]:
    (hit,) = [a for a in arts if fragment in str(a["source"])]
    return hit


def test_every_input_form_is_read_and_nothing_fails(demo) -> None:  # type: ignore[no-untyped-def]
    report, arts, _ = demo
    assert report.exit_code == 0, [str(e) for e in report.errors]
    assert report.files == 13 and report.added == 18
    # The crawl's warcinfo, request, image and JSON records are skipped, not failed.
    assert len(report.skipped) == 4 and all("crawl.warc.gz" in s.source for s in report.skipped)
    assert {p.name for p in report.ignored} == {"README.md", "make_warc.py"}
    assert sum(1 for a in arts if str(a["source"]).startswith("https://")) >= 5  # WARC and JSONL URLs
    assert all(a["title"] and len(str(a["text"])) > 500 for a in arts)


def test_both_duplicate_kinds_are_found(demo) -> None:  # type: ignore[no-untyped-def]
    _, arts, _ = demo
    dups = {str(a["source"]).rsplit("/", 1)[-1]: a["duplicate_of"] for a in arts if a["duplicate_of"]}
    ids = {a["id"]: a for a in arts}
    assert len(dups) == 2
    near = by_name(arts, "pentagon-10000-wire-harbourpost")
    assert near["duplicate_of"] == by_name(arts, "pentagon-10000-wire-continentalmonitor")["id"]
    exact = by_name(arts, "eu-korea-partnership-seoul-wire.txt")
    assert ids[exact["duplicate_of"]]["source"].startswith("https://")  # the JSONL record came first


def test_non_utf8_page_is_decoded(demo) -> None:  # type: ignore[no-untyped-def]
    _, arts, _ = demo
    oped = by_name(arts, "cp1252")
    assert "\ufffd" not in oped["text"] and "Ã" not in oped["text"]
    assert any(ch in oped["text"] for ch in "’“”é€–")


def test_broken_words_are_rejoined(demo) -> None:  # type: ignore[no-untyped-def]
    _, arts, _ = demo
    text = by_name(arts, "eu-japan-partnership-tokyo-dump.txt")["text"]
    assert "security" in text and "secu rity" not in text and "secu\nrity" not in text


def test_rerun_adds_nothing(demo, pipeline) -> None:  # type: ignore[no-untyped-def]
    _, _, db = demo
    again = ingest([EXAMPLES], db=db, pipeline=pipeline)
    assert (again.added, again.already_stored) == (0, 18)
