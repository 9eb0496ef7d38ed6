"""The API behind the dashboard's newer views: fact sentences, downloads, search, charts, map.

Same hand-made database as ``test_api`` (``api_data``), so every answer is known exactly.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from typing import Any

import duckdb
import pytest

pytest.importorskip("fastapi", reason="the API needs the 'serve' extra")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from api_data import A1, A2, build_db
from legation.api import download
from legation.api.app import create_app
from legation.api.download import MAX_DOWNLOAD


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = build_db(tmp_path_factory.mktemp("dash") / "full.duckdb", later_stages=True)
    return TestClient(create_app(db))


def ok(client: TestClient, url: str, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


# ---------------------------------------------------------------------------- fact sentences
def test_agreement_sentences_point_into_the_article(full: TestClient) -> None:
    items = {a["id"]: a for a in ok(full, "/api/agreements")["items"]}
    eu = items["g-eu-kor"]["sentences"]
    assert [s["article_id"] for s in eu] == ["a2", "a3"]
    assert A2[eu[0]["start"] : eu[0]["end"]] == A2
    text3 = ok(full, "/api/articles/a3")["text"]
    assert text3[eu[1]["start"] : eu[1]["end"]] == "EU and Korea launch partnership."
    rus = items["g-rus-prk"]["sentences"]
    assert (
        A1[rus[0]["start"] : rus[0]["end"]] == "Russia and North Korea signed a defence treaty in Pyongyang."
    )


def test_alerts_carry_the_span_of_their_sentence(full: TestClient) -> None:
    for a in ok(full, "/api/alerts")["items"]:
        text = ok(full, f"/api/articles/{a['article_id']}")["text"]
        span = a["span"]
        assert span is not None, a
        assert text[span["start"] : span["end"]] == a["sentence"].strip()


# ---------------------------------------------------------------------------- downloads
def _csv(client: TestClient, url: str, **params: Any) -> list[dict[str, str]]:
    r = client.get(url, params={**params, "format": "csv"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    kind = url.rsplit("/", 1)[-1]
    assert r.headers["content-disposition"] == f'attachment; filename="legation-{kind}.csv"'
    assert r.headers["x-download-limit"] == str(MAX_DOWNLOAD)
    return list(csv.DictReader(io.StringIO(r.text)))


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/api/events", {"actor": "eu"}),
        ("/api/events", {"quad": 1, "since": "2024-11"}),
        ("/api/articles", {"q": "partnership"}),
        ("/api/claims", {"disputed": "true"}),
        ("/api/agreements", {"party": "KOR"}),
        ("/api/alerts", {"kind": "event"}),
        ("/api/alerts", {}),
    ],
)
def test_a_csv_download_holds_exactly_the_listed_rows(
    full: TestClient, url: str, params: dict[str, Any]
) -> None:
    listed = ok(full, url, **params, limit=1000)
    rows = _csv(full, url, **params, limit=1, offset=1)  # paging does not cut a download
    assert [r["id"] for r in rows] == [x["id"] for x in listed["items"]]
    assert listed["total"] == len(rows)


def test_csv_columns_flatten_the_records(full: TestClient) -> None:
    rows = {r["id"]: r for r in _csv(full, "/api/events")}
    assert rows["e5"]["actor"] == "PRK" and rows["e5"]["recipient"] == "UKR"
    assert rows["e5"]["sentence"] == "North Korean troops attacked positions in Ukraine."
    assert rows["e5"]["article_title"] == "Partnership, and war news"
    ag = {r["id"]: r for r in _csv(full, "/api/agreements")}
    assert ag["g-eu-kor"]["parties"] == "EU; KOR" and ag["g-eu-kor"]["signed"] == "2024-11-04"


def test_json_and_jsonl_downloads_are_the_records(full: TestClient) -> None:
    listed = ok(full, "/api/events", actor="EU")["items"]
    r = full.get("/api/events", params={"actor": "EU", "format": "json"})
    assert r.headers["content-disposition"].endswith('filename="legation-events.json"')
    assert r.json() == listed
    r = full.get("/api/claims", params={"format": "jsonl"})
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert [c["id"] for c in lines] == ["k1", "k2", "k3"]
    assert r.headers["x-total-count"] == "3"


def test_downloads_are_bounded_and_streamed_in_chunks(
    full: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(download, "MAX_DOWNLOAD", 3)
    monkeypatch.setattr(download, "CHUNK", 2)  # the first page, then a second query for the rest
    r = full.get("/api/events", params={"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [x["id"] for x in rows] == [x["id"] for x in ok(full, "/api/events")["items"]][:3]
    assert r.headers["x-truncated"] == "true" and r.headers["x-total-count"] == "5"


def test_a_bad_format_or_filter_is_a_422_before_any_download(full: TestClient) -> None:
    r = full.get("/api/events", params={"format": "xml"})
    assert r.status_code == 422 and "'format'" in r.json()["error"]
    r = full.get("/api/events", params={"format": "csv", "actor": "Atlantis"})
    assert r.status_code == 422 and "'actor'" in r.json()["error"]


# ---------------------------------------------------------------------------- search and actors
def test_search_finds_each_kind_in_any_case(full: TestClient) -> None:
    d = ok(full, "/api/search", q="north kor")
    assert d["actors"]["items"][0]["code"] == "PRK" and d["actors"]["items"][0]["mentions"] == 2
    assert [e["id"] for e in d["events"]["items"]] == ["e5", "e1"]
    assert {a["id"] for a in d["articles"]["items"]} == {"a1", "a3"}
    assert [a["id"] for a in d["agreements"]["items"]] == ["g-rus-prk"]
    d = ok(full, "/api/search", q="SOLDIERS")
    assert d["claims"]["total"] == 2 and {c["id"] for c in d["claims"]["items"]} == {"k1", "k2"}
    assert ok(full, "/api/search", q="100%")["events"]["total"] == 0  # literal, not a wildcard
    r = full.get("/api/search", params={"q": ""})
    assert r.status_code == 422 and "'q'" in r.json()["error"]


@pytest.mark.parametrize("q", ["north kor", "NORTH KOREA", "prk", "dprk"])
def test_actor_autocomplete_by_name_alias_or_code(full: TestClient, q: str) -> None:
    items = ok(full, "/api/actors", q=q, limit=10)["items"]
    assert "PRK" in [a["code"] for a in items[:3]], [a["name"] for a in items]


def test_actors_present_in_the_data_by_mention_count(full: TestClient) -> None:
    everyone = ok(full, "/api/actors", limit=1)["total"]
    d = ok(full, "/api/actors", present="true", sort="mentions", limit=1000)
    assert d["total"] < everyone
    counts = [(a["code"], a["mentions"]) for a in d["items"] if a["kind"] in ("state", "igo")]
    assert counts[0] == ("KOR", 4) and ("PRK", 2) in counts and ("UKR", 1) in counts
    assert all(a["mentions"] > 0 for a in d["items"])
    assert [a["mentions"] for a in d["items"]] == sorted((a["mentions"] for a in d["items"]), reverse=True)


# ---------------------------------------------------------------------------- network fixes
def test_a_window_leaves_out_undated_agreements(tmp_path: Any) -> None:
    db = build_db(tmp_path / "undated.duckdb", later_stages=True)
    con = duckdb.connect(str(db))
    undated = {"id": "g-x", "name": "Undated pact", "parties": ["EU", "UKR"], "dates": {}, "article_ids": []}
    con.execute("INSERT INTO agreements VALUES (9, 'g-x', ?)", [json.dumps(undated)])
    con.close()
    client = TestClient(create_app(db))
    kinds = lambda d: {(e["source"], e["target"]) for e in d["edges"] if e["kind"] == "agreement"}  # noqa: E731
    assert ("EU", "UKR") in kinds(ok(client, "/api/graph"))
    assert kinds(ok(client, "/api/graph", since="2024-11")) == {("EU", "KOR")}
    assert kinds(ok(client, "/api/graph", since="2030")) == set()


def test_relation_and_second_party_filters(full: TestClient) -> None:
    ids = lambda d: [x["id"] for x in d["items"]]  # noqa: E731
    assert ids(ok(full, "/api/events", actor="KOR", recipient="PRK", relation="conflict")) == ["e2"]
    assert ids(ok(full, "/api/events", actor="KOR", recipient="PRK", relation="cooperation")) == []
    assert ids(ok(full, "/api/events", actor="RUS", relation="cooperation")) == ["e1"]
    assert full.get("/api/events", params={"relation": "war"}).status_code == 422
    assert ids(ok(full, "/api/agreements", party="KOR", other="EU")) == ["g-eu-kor"]
    assert ids(ok(full, "/api/agreements", party="KOR", other="PRK")) == []
