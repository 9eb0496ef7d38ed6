"""Snapshots of the PLOVER and GDELT-style event formats (``store/formats.py``).

Hand-written contract records in ``tests/data/formats/`` go through the format functions and
are compared with the stored expected files, so any change to a column or field shows up as a
diff. Regenerate after an intended change with ``LEGATION_UPDATE_SNAPSHOTS=1``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

from legation.store.formats import GDELT_COLUMNS, gdelt_rows, global_event_id, plover_record

DATA = Path(__file__).parent / "data" / "formats"


def _load(name: str) -> list[dict[str, Any]]:
    return [json.loads(x) for x in (DATA / name).read_text(encoding="utf-8").splitlines() if x.strip()]


def _check(name: str, got: str) -> None:
    path = DATA / name
    if os.environ.get("LEGATION_UPDATE_SNAPSHOTS"):
        path.write_text(got, encoding="utf-8")
    assert got == path.read_text(encoding="utf-8")


def _gdelt() -> list[list[str]]:
    arts = {a["id"]: a for a in _load("articles_in.jsonl")}
    evs = sorted(_load("events_in.jsonl"), key=lambda e: e.get("event_cluster") or e["id"])
    return list(gdelt_rows(evs, arts))


def test_plover_snapshot() -> None:
    arts = {a["id"]: a for a in _load("articles_in.jsonl")}
    got = "".join(
        json.dumps(plover_record(e, arts.get(e["article_id"])), ensure_ascii=False, sort_keys=True) + "\n"
        for e in _load("events_in.jsonl")
    )
    _check("plover.expected.jsonl", got)


def test_gdelt_snapshot() -> None:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n")
    w.writerow(GDELT_COLUMNS)
    w.writerows(_gdelt())
    _check("gdelt.expected.tsv", buf.getvalue())


def test_gdelt_counts_events_not_sentences() -> None:
    rows = [dict(zip(GDELT_COLUMNS, r, strict=True)) for r in _gdelt()]
    assert len(GDELT_COLUMNS) == 61 and all(len(r) == 61 for r in rows)
    visit = next(r for r in rows if r["GLOBALEVENTID"] == str(global_event_id("c-visit")))
    # three mentions; the copy (duplicate_of) is not another article or source
    assert (visit["NumMentions"], visit["NumArticles"], visit["NumSources"]) == ("3", "2", "2")
    assert visit["Actor1Code"] == "ESPGOV" and visit["Actor2CountryCode"] == "JPN"
    assert visit["ActionGeo_CountryCode"] == "JPN" and visit["SQLDATE"] == "20240502"
    sanction = next(r for r in rows if r["EventCode"] == "163")
    assert sanction["QuadClass"] == "4" and sanction["SQLDATE"] == "20240503"  # article date
    assert sanction["Actor1KnownGroupCode"] == "EU" and sanction["Actor1CountryCode"] == ""
