"""The HTTP API through FastAPI's TestClient: every endpoint, its filters, and bad input.

Runs against the hand-made database of ``api_data`` twice over: with the later stages'
tables (claims, agreements, stories) and without them, where those endpoints answer empty.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the API needs the 'serve' extra")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from api_data import A1, ARTICLES, EVENTS, build_db
from legation.api.app import create_app


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = build_db(tmp_path_factory.mktemp("api") / "full.duckdb", later_stages=True)
    return TestClient(create_app(db))


@pytest.fixture(scope="module")
def early(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    db = build_db(tmp_path_factory.mktemp("api") / "early.duckdb", later_stages=False)
    return TestClient(create_app(db))


def ok(client: TestClient, url: str, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def bad(client: TestClient, url: str, param: str, **params: Any) -> str:
    """A 4xx whose message names ``param``; returns the message."""
    r = client.get(url, params=params)
    assert 400 <= r.status_code < 500, (r.status_code, r.text)
    msg = r.json()["error"]
    assert f"'{param}'" in msg, msg
    return str(msg)


def ids(page: dict[str, Any]) -> list[str]:
    return [x["id"] for x in page["items"]]


# ---------------------------------------------------------------------------- schema and dashboard
def test_openapi_lists_every_endpoint(full: TestClient) -> None:
    paths = ok(full, "/openapi.json")["paths"]
    for p in (
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/events",
        "/api/events/{event_id}",
        "/api/actors",
        "/api/actors/{actor_id}",
        "/api/claims",
        "/api/agreements",
        "/api/stories",
        "/api/graph",
    ):
        assert p in paths, p
    params = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert {
        "actor",
        "recipient",
        "event",
        "quad",
        "since",
        "until",
        "story",
        "q",
        "limit",
        "offset",
    } <= params


def test_dashboard_is_served_offline(full: TestClient) -> None:
    r = full.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert '<script src="/static/app.js">' in r.text
    for name in ("app.js", "app.css"):
        body = full.get(f"/static/{name}")
        assert body.status_code == 200 and len(body.text) > 500
    # No third-party resource: nothing is loaded from another origin.
    for text in (r.text, full.get("/static/app.js").text, full.get("/static/app.css").text):
        assert 'src="http' not in text and 'href="http' not in text and "@import" not in text


def test_read_only_and_no_cdn_pages(full: TestClient) -> None:
    assert full.post("/api/articles", json={}).status_code == 405
    assert full.delete("/api/events/e1").status_code == 405
    assert full.get("/docs").status_code == 404  # FastAPI's docs page would load a CDN script


def test_missing_database_is_a_503_not_a_crash(tmp_path: Path) -> None:
    client = TestClient(create_app(tmp_path / "nope.duckdb"))
    r = client.get("/api/articles")
    assert r.status_code == 503 and "no such database" in r.json()["error"]


# ---------------------------------------------------------------------------- articles
def test_articles_newest_first_with_total_and_pages(full: TestClient) -> None:
    page = ok(full, "/api/articles")
    assert page["total"] == 3 and ids(page) == ["a3", "a2", "a1"]
    assert set(page["items"][0]) >= {
        "id",
        "source",
        "site",
        "title",
        "published",
        "text",
        "story_id",
        "author",
    }
    assert ids(ok(full, "/api/articles", limit=1, offset=1)) == ["a2"]
    assert ok(full, "/api/articles", limit=1, offset=1)["total"] == 3
    assert ids(ok(full, "/api/articles", q="treaty")) == ["a1"]
    assert ids(ok(full, "/api/articles", story="s1")) == ["a3", "a2"]


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 1001}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_articles_reject_bad_paging(full: TestClient, params: dict[str, Any], param: str) -> None:
    bad(full, "/api/articles", param, **params)


def test_article_has_mentions_and_events_with_true_offsets(full: TestClient) -> None:
    a = ok(full, "/api/articles/a1")
    assert a["text"] == A1
    assert [e["id"] for e in a["events"]] == ["e1", "e2"]
    for e in a["events"]:
        ti = e["text_info"]
        assert a["text"][ti["start"] : ti["end"]] == ti["sentence"]
    assert {m["code"] for m in a["mentions"]} == {"RUS", "PRK", "KOR"}
    for m in a["mentions"]:
        assert a["text"][m["start"] : m["end"]] == m["text"]
    r = full.get("/api/articles/nope")
    assert r.status_code == 404 and "nope" in r.json()["error"]  # one error shape (docs/api.md)


# ---------------------------------------------------------------------------- events
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["e5", "e3", "e4", "e2", "e1"]),
        ({"actor": "EU"}, ["e3", "e4"]),
        ({"recipient": "PRK"}, ["e2", "e1"]),
        ({"actor": "KOR", "recipient": "PRK"}, ["e2"]),
        ({"event": "ASSAULT"}, ["e5"]),
        ({"event": "agree"}, ["e3", "e4", "e1"]),
        ({"quad": 3}, ["e2"]),
        ({"since": "2024-11-05"}, ["e5"]),
        ({"until": "2024-06"}, ["e2", "e1"]),
        ({"since": "2024-06-21", "until": "2024-11-04"}, ["e3", "e4", "e2"]),
        ({"story": "s1"}, ["e5", "e3", "e4"]),
        ({"q": "troops"}, ["e5"]),
        ({"actor": "eu"}, ["e3", "e4"]),  # codes in any case
        ({"recipient": "North Korea"}, ["e2", "e1"]),  # or a name the dictionary knows
    ],
)
def test_event_filters(full: TestClient, params: dict[str, Any], expected: list[str]) -> None:
    page = ok(full, "/api/events", **params)
    assert ids(page) == expected
    assert page["total"] == len(expected)


def test_event_paging_keeps_the_total(full: TestClient) -> None:
    page = ok(full, "/api/events", limit=2, offset=2)
    assert ids(page) == ["e4", "e2"] and page["total"] == len(EVENTS)


@pytest.mark.parametrize(
    ("params", "param", "why"),
    [
        ({"event": "HUG"}, "event", "PLOVER"),
        ({"quad": 5}, "quad", "less than or equal to 4"),
        ({"quad": "x"}, "quad", "integer"),
        ({"since": "2024-13-01"}, "since", "not a date"),
        ({"until": "yesterday"}, "until", "not a date"),
        ({"since": "2024-12-01", "until": "2024-01-01"}, "since", "after"),
        ({"limit": 5000}, "limit", "1000"),
        ({"q": "x" * 500}, "q", "at most 200"),
    ],
)
def test_event_bad_parameters_are_named(
    full: TestClient, params: dict[str, Any], param: str, why: str
) -> None:
    assert why in bad(full, "/api/events", param, **params)


def test_one_event_with_all_its_mentions(full: TestClient) -> None:
    e = ok(full, "/api/events/e3")
    assert e["event"] == "AGREE" and e["event_cluster"] == "c1"
    assert [m["id"] for m in e["mentions"]] == ["e3", "e4"]
    assert {a["id"] for a in e["articles"]} == {"a2", "a3"}
    assert e["cluster"]["mentions"] == 2 and e["cluster"]["first_event"] == "e3"
    assert "cluster" not in ok(full, "/api/events/e5")  # no summary row for its cluster
    assert full.get("/api/events/e999").status_code == 404


# ---------------------------------------------------------------------------- actors
def test_actor_list_search_and_bad_kind(full: TestClient) -> None:
    page = ok(full, "/api/actors", q="korea", kind="state")
    assert {"KOR", "PRK"} <= {a["code"] for a in page["items"]}
    assert all(a["kind"] == "state" for a in page["items"])
    assert ok(full, "/api/actors", limit=1)["total"] > 100  # the shipped dictionary
    bad(full, "/api/actors", "kind", kind="planet")


def test_actor_page_has_roles_timeline_and_relations(full: TestClient) -> None:
    a = ok(full, "/api/actors/PRK")
    assert a["code"] == "PRK" and "roles" in a
    assert a["timeline"] == [
        {"month": "2024-06", "quads": {"1": 1, "3": 1}},
        {"month": "2024-11", "quads": {"4": 1}},
    ]
    rel = {r["code"]: r for r in a["relations"]}
    assert set(rel) == {"RUS", "KOR", "UKR"}
    assert rel["UKR"]["quads"] == {"4": 1} and rel["UKR"]["mean_goldstein"] == -10.0
    assert rel["RUS"]["events"] == ["e1"]
    assert a["mentions"] == 2  # "North Korea" in a1 and a3
    assert full.get("/api/actors/ATLANTIS").status_code == 404


def test_a_person_carries_roles(full: TestClient) -> None:
    people = ok(full, "/api/actors", kind="person", limit=1000)["items"]
    with_roles = next(p for p in people if p.get("roles"))
    detail = ok(full, f"/api/actors/{with_roles['actor_id']}")
    assert detail["roles"] == with_roles["roles"]


# ---------------------------------------------------------------------------- later stages
def test_claims_and_disputed_filter(full: TestClient) -> None:
    assert ids(ok(full, "/api/claims")) == ["k1", "k2", "k3"]
    assert ids(ok(full, "/api/claims", disputed=True)) == ["k1", "k2"]
    assert ids(ok(full, "/api/claims", disputed="false")) == ["k3"]
    assert ids(ok(full, "/api/claims", topic="aid")) == ["k3"]
    assert ok(full, "/api/claims", limit=1, offset=1) == {
        "items": [ok(full, "/api/claims")["items"][1]],
        "total": 3,
    }
    bad(full, "/api/claims", "disputed", disputed="maybe")


def test_agreements_and_party_filter(full: TestClient) -> None:
    page = ok(full, "/api/agreements")
    assert page["total"] == 2 and page["items"][0]["dates"]["launched"] == "2024-11-04"
    assert ids(ok(full, "/api/agreements", party="KOR")) == ["g-eu-kor"]
    assert ids(ok(full, "/api/agreements", status="signed")) == ["g-rus-prk"]
    bad(full, "/api/agreements", "limit", limit=-3)


def test_stories(full: TestClient) -> None:
    page = ok(full, "/api/stories")
    assert page == {"items": [page["items"][0]], "total": 1} and page["items"][0]["article_ids"] == [
        "a2",
        "a3",
    ]
    bad(full, "/api/stories", "offset", offset="first")


def test_before_the_later_stages_their_endpoints_are_empty(early: TestClient) -> None:
    assert ok(early, "/api/claims") == {"items": [], "total": 0}
    assert ok(early, "/api/claims", disputed=True) == {"items": [], "total": 0}
    assert ok(early, "/api/agreements") == {"items": [], "total": 0}
    # Stories fall back to the articles' story_id.
    stories = ok(early, "/api/stories")
    assert stories["total"] == 1 and stories["items"][0]["id"] == "s1"
    assert stories["items"][0]["article_ids"] == ["a2", "a3"]
    assert ok(early, "/api/overview")["counts"] == {
        "articles": 3,
        "events": 5,
        "mentions": 10,
        "claims": 0,
        "agreements": 0,
        "stories": 1,
    }
    assert all(e["kind"] != "agreement" for e in ok(early, "/api/graph")["edges"])


# ---------------------------------------------------------------------------- graph and overview
def test_graph_edges_and_window(full: TestClient) -> None:
    g = ok(full, "/api/graph")
    edges = {(e["source"], e["target"], e["kind"]): e for e in g["edges"]}
    assert edges[("EU", "KOR", "cooperation")]["items"] == ["e3", "e4"]
    assert edges[("KOR", "PRK", "conflict")]["weight"] == 1
    assert edges[("PRK", "UKR", "conflict")]["items"] == ["e5"]
    assert edges[("EU", "KOR", "agreement")]["items"] == ["g-eu-kor"]
    assert {n["id"] for n in g["nodes"]} == {"EU", "KOR", "PRK", "RUS", "UKR"}
    summer = ok(full, "/api/graph", until="2024-07")
    assert {(e["source"], e["target"], e["kind"]) for e in summer["edges"]} == {
        ("RUS", "PRK", "cooperation"),
        ("KOR", "PRK", "conflict"),
        ("PRK", "RUS", "agreement"),
    }
    assert ok(full, "/api/graph", since="2025")["nodes"] == []
    bad(full, "/api/graph", "until", until="2024-02-30")


def test_overview(full: TestClient) -> None:
    d = ok(full, "/api/overview")
    assert d["counts"]["articles"] == len(ARTICLES) and d["counts"]["claims"] == 3
    assert d["events_by_type"]["AGREE"] == 3
    assert [s["id"] for s in d["stories"]] == ["s1"]
    assert [a["id"] for a in d["latest_articles"]] == ["a3", "a2", "a1"]


def test_unknown_actor_offset_and_status_are_422(full: TestClient) -> None:
    r = full.get("/api/events", params={"actor": "' OR 1=1 --"})
    assert r.status_code == 422 and "actor" in r.json()["error"]
    for path in ("/api/events", "/api/articles", "/api/claims", "/api/stories"):
        r = full.get(path, params={"offset": 9223372036854775808})
        assert r.status_code == 422 and "offset" in r.json()["error"], path
    r = full.get("/api/agreements", params={"status": "pending"})
    assert r.status_code == 422 and "signed" in r.json()["error"]
    assert full.get("/api/agreements", params={"status": "SIGNED"}).status_code == 200


def test_search_takes_wildcards_literally(full: TestClient) -> None:
    assert ok(full, "/api/events", q="%")["total"] == 0
    assert ok(full, "/api/articles", q="_")["total"] == 0
    assert ok(full, "/api/events", q="troops")["total"] == 1


def test_claim_topic_is_case_insensitive(full: TestClient) -> None:
    topics = {c["topic"] for c in ok(full, "/api/claims")["items"]}
    assert topics
    topic = sorted(topics)[0]
    assert (
        ok(full, "/api/claims", topic=topic.upper())["total"]
        == ok(full, "/api/claims", topic=topic)["total"]
        > 0
    )


def test_security_headers_on_api_and_dashboard(full: TestClient) -> None:
    for url in ("/api/stats", "/", "/api/events/nope"):
        r = full.get(url)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert "script-src 'self'" in r.headers["content-security-policy"]


def test_unknown_host_is_refused_when_hosts_are_given(tmp_path: Path) -> None:
    from legation.cli import serve_hosts

    app = create_app(tmp_path / "none.duckdb", allowed_hosts=serve_hosts("127.0.0.1", ()))
    assert TestClient(app, base_url="http://evil.example").get("/api/stats").status_code == 400
    assert TestClient(app, base_url="http://localhost:8000").get("/api/stats").status_code != 400
    assert serve_hosts("0.0.0.0", ()) is None and serve_hosts("127.0.0.1", ("*",)) is None
    assert "news.example" in (serve_hosts("127.0.0.1", ("news.example",)) or [])
