"""The time chart's and the map's API: ``/api/events/histogram`` and ``/api/events/places``.

Same hand-made database as the other API tests (``api_data``), with two events' dates made
coarser here (one known to the week, one to the month) to check they keep their precision.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path
from typing import Any

import duckdb
import pytest

pytest.importorskip("fastapi", reason="the API needs the 'serve' extra")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from api_data import build_db
from legation.api.app import create_app
from legation.api.queries_chart import bucket_of


def _coarsen(db: Path) -> None:
    """e2: the week of Monday 2024-06-17; e5: November 2024 (as the date parser stores them)."""
    con = duckdb.connect(str(db))
    try:
        for eid, date, prec in (("e2", "2024-06-17", "week"), ("e5", "2024-11", "month")):
            row = con.execute("SELECT record FROM events WHERE id = ?", [eid]).fetchone()
            assert row is not None
            rec = json.loads(row[0])
            rec.update(date=date, date_precision=prec)
            con.execute("UPDATE events SET date = ?, record = ? WHERE id = ?", [date, json.dumps(rec), eid])
    finally:
        con.close()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = build_db(tmp_path_factory.mktemp("chart") / "chart.duckdb", later_stages=True)
    _coarsen(db)
    return TestClient(create_app(db))


def ok(client: TestClient, url: str, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


FILTERS: list[dict[str, Any]] = [
    {},
    {"actor": "eu"},
    {"quad": 1},
    {"event": "agree", "since": "2024-11"},
    {"since": "2024-06-18", "until": "2024-11"},
    {"recipient": "North Korea"},
    {"country": "kor"},
]


@pytest.mark.parametrize("bucket", ["day", "week", "month"])
@pytest.mark.parametrize("by", ["quad", "type"])
@pytest.mark.parametrize(
    "filters", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "all"
)
def test_bucket_counts_add_up_to_the_events_listed(
    client: TestClient, bucket: str, by: str, filters: dict[str, Any]
) -> None:
    rows = ok(client, "/api/events/histogram", bucket=bucket, by=by, **filters)
    listed = ok(client, "/api/events", limit=1000, **filters)
    assert sum(r["n"] for r in rows) == listed["total"]
    key = "quad" if by == "quad" else "event"
    per_key: dict[str, int] = {}
    for e in listed["items"]:
        per_key[str(e[key])] = per_key.get(str(e[key]), 0) + 1
    got: dict[str, int] = {}
    for r in rows:
        got[r["key"]] = got.get(r["key"], 0) + r["n"]
    assert got == per_key


def test_daily_buckets_keep_week_and_month_dates_apart(client: TestClient) -> None:
    rows = ok(client, "/api/events/histogram", bucket="day", by="quad")
    assert [(r["bucket"], r["precision"], r["key"], r["n"]) for r in rows] == [
        ("2024-06-17", "week", "3", 1),
        ("2024-06-20", "day", "1", 1),
        ("2024-11", "month", "4", 1),
        ("2024-11-04", "day", "1", 2),
    ]


def test_weekly_and_monthly_buckets(client: TestClient) -> None:
    weeks = ok(client, "/api/events/histogram", bucket="week", by="type")
    assert [(r["bucket"], r["precision"], r["key"], r["n"]) for r in weeks] == [
        ("2024-06-17", "week", "ACCUSE", 1),
        ("2024-06-17", "week", "AGREE", 1),
        ("2024-11", "month", "ASSAULT", 1),
        ("2024-11-04", "week", "AGREE", 2),
    ]
    months = ok(client, "/api/events/histogram", bucket="month", by="quad")
    assert [(r["bucket"], r["key"], r["n"]) for r in months] == [
        ("2024-06", "1", 1),
        ("2024-06", "3", 1),
        ("2024-11", "1", 2),
        ("2024-11", "4", 1),
    ]


def test_bucket_of_precisions() -> None:
    assert bucket_of("2024-11-06", "day", "week") == ("2024-11-04", "week")
    assert bucket_of("2024-11-04", "week", "day") == ("2024-11-04", "week")
    assert bucket_of("2024-11", "month", "day") == ("2024-11", "month")
    assert bucket_of("2024", "year", "month") == ("2024", "year")
    assert bucket_of(None, "unknown", "day") == ("unknown", "unknown")


def test_histogram_refuses_unknown_buckets(client: TestClient) -> None:
    assert client.get("/api/events/histogram", params={"bucket": "hour"}).status_code == 422
    assert client.get("/api/events/histogram", params={"by": "actor"}).status_code == 422
    assert client.get("/api/events/histogram", params={"since": "junk"}).status_code == 422


def test_places_cluster_by_rounded_coordinates(client: TestClient) -> None:
    d = ok(client, "/api/events/places")
    assert d["unplaced"] == 1  # e4 has no place
    by_country = {tuple(c["countries"]): c for c in d["clusters"]}
    assert set(by_country) == {("KOR",), ("PRK",), ("UKR",)}
    assert by_country[("KOR",)]["n"] == 2
    assert by_country[("KOR",)]["places"] == [{"name": "Seoul", "country": "KOR", "n": 2}]
    # At 0 decimals Seoul (37.6, 127.0) and Pyongyang (39.0, 125.8) stay apart; the placed
    # events plus the unplaced ones are all the events.
    assert sum(c["n"] for c in d["clusters"]) + d["unplaced"] == ok(client, "/api/events")["total"]


def test_places_honour_the_event_filters(client: TestClient) -> None:
    d = ok(client, "/api/events/places", quad=1)
    assert [(c["countries"], c["n"]) for c in d["clusters"]] == [(["KOR"], 1), (["PRK"], 1)]
    assert d["unplaced"] == 1
    kor = ok(client, "/api/events", country="KOR")
    assert [e["id"] for e in kor["items"]] == ["e3", "e2"]
    assert ok(client, "/api/events", place="Pyongyang")["total"] == 1
