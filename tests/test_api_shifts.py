"""``GET /api/shifts``: the briefing's relation shifts, each event opening its sentence."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api_data import build_db
from legation.api.app import create_app


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("shifts") / "s.duckdb", later_stages=True)


@pytest.fixture
def client(db: Path) -> TestClient:
    # A new app per test: the API keeps answers per snapshot, and the thresholds are patched.
    return TestClient(create_app(db))


@pytest.fixture
def lenient(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture has one or two events per pair: let a single event count as a shift."""
    import legation.brief

    monkeypatch.setattr(legation.brief, "SHIFT_MIN_EVENTS", 1)
    monkeypatch.setattr(legation.brief, "SHIFT_MIN_SOURCES", 1)
    monkeypatch.setattr(legation.brief, "SHIFT_Z", 0.0)


def test_one_event_is_no_shift_by_default(client: TestClient) -> None:
    r = client.get("/api/shifts")
    assert r.status_code == 200 and r.json()["items"] == [] and r.json()["total"] == 0


def test_shifts_list_pairs_and_their_sentences(client: TestClient, lenient: None) -> None:
    d = client.get("/api/shifts").json()
    assert d["items"], d
    first = d["items"][0]
    assert (first["a"], first["b"], first["direction"]) == ("PRK", "UKR", "cooler")
    assert first["delta"] == pytest.approx(first["after"] - (first["before"] or 0.0), abs=0.01)
    for item in d["items"]:
        for e in item["events"]:
            text = client.get(f"/api/articles/{e['article_id']}").json()["text"]
            assert text[e["start"] : e["end"]] == e["sentence"]
            assert e["date"] >= d["cut"]
    assert [i["a"] + i["b"] for i in d["items"]] == [
        i["a"] + i["b"] for i in sorted(d["items"], key=lambda i: -abs(i["delta"]))
    ]


def test_shifts_filters_and_bad_parameters(client: TestClient, lenient: None) -> None:
    everything = client.get("/api/shifts").json()["items"]
    kor = client.get("/api/shifts", params={"actor": "south korea"}).json()["items"]
    assert kor and all("KOR" in (i["a"], i["b"]) for i in kor)
    assert len(kor) < len(everything)
    assert len(client.get("/api/shifts", params={"limit": 1}).json()["items"]) == 1
    assert client.get("/api/shifts", params={"actor": "Atlantis"}).status_code == 422
    assert client.get("/api/shifts", params={"since": "last week"}).status_code == 422
    late = client.get("/api/shifts", params={"since": "2030"}).json()
    assert late["items"] == [] and late["cut"] == "2030"


def test_brief_and_api_agree(tmp_path: Path, lenient: None) -> None:
    from legation.brief import shifts
    from legation.store.db import Store

    db = build_db(tmp_path / "b.duckdb", later_stages=True)
    with Store(db, read_only=True) as s:
        cut, found = shifts(s, None, None)
    api = TestClient(create_app(db)).get("/api/shifts").json()
    assert api["cut"] == cut and [(i["a"], i["b"]) for i in api["items"]] == [(f.a, f.b) for f in found]
