"""The API behind the dashboard's newer views: fact sentences, downloads, search, charts, map.

Same hand-made database as ``test_api`` (``api_data``), so every answer is known exactly.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the API needs the 'serve' extra")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from api_data import A1, A2, build_db
from legation.api.app import create_app


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
