"""``GET /api/types``: the PLOVER type rules the dashboard reads instead of keeping a copy."""

from __future__ import annotations

import warnings
from importlib import resources

import pytest

pytest.importorskip("fastapi", reason="the API needs the 'serve' extra")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from legation.api.app import create_app
from legation.api.plover import quad_names, types_payload
from legation.events.types import TypeRules, TypeRulesError

#: The event types in the order of the PLOVER manual (and of the interface contract).
MANUAL_ORDER = [
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]  # fmt: skip


SHIPPED = resources.files("legation").joinpath("data", "plover", "types.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    # No database at that path: the type rules are package data and need none.
    return TestClient(create_app(tmp_path_factory.mktemp("types") / "absent.duckdb"))


def test_types_lists_the_16_types_in_the_manual_order(client: TestClient) -> None:
    r = client.get("/api/types")
    assert r.status_code == 200, r.text
    body = r.json()
    assert [t["name"] for t in body["types"]] == MANUAL_ORDER


def test_each_type_carries_its_rules_from_types_yaml(client: TestClient) -> None:
    rules = TypeRules.load()
    types = {t["name"]: t for t in client.get("/api/types").json()["types"]}
    for name, t in types.items():
        assert t["quad"] == rules.quad(name)
        assert t["needs_recipient"] == rules[name].needs_recipient
        assert t["needs_partner"] == rules[name].needs_partner
        assert t["quad_name"] == quad_names(SHIPPED)[t["quad"]]
    assert types["AID"]["needs_recipient"] and types["SANCTION"]["needs_recipient"]  # the manual's "Yes"
    assert types["ASSAULT"]["quad"] == 4 and types["ASSAULT"]["quad_name"] == "material conflict"
    assert types["CONSULT"]["future_to"] == "AGREE"


def test_quads_are_named_and_partition_the_types(client: TestClient) -> None:
    quads = client.get("/api/types").json()["quads"]
    assert [q["quad"] for q in quads] == [1, 2, 3, 4]
    assert [q["name"] for q in quads] == [
        "verbal cooperation", "material cooperation", "verbal conflict", "material conflict",
    ]  # fmt: skip
    assert [t for q in quads for t in q["types"]] == MANUAL_ORDER  # PLOVER order is by quad


def test_openapi_lists_the_types_endpoint(client: TestClient) -> None:
    assert "/api/types" in client.get("/openapi.json").json()["paths"]


def test_the_dashboard_keeps_no_copy_of_the_types(client: TestClient) -> None:
    js = client.get("/static/app.js").text
    assert 'api("types")' in js
    assert '"SANCTION"' not in js and "verbal cooperation" not in js


@pytest.mark.parametrize(
    "text",
    [
        "types: {}\n",
        "quads: {1: a, 2: b, 3: c}\n",
        "quads: {1: a, 2: b, 3: c, 4: d, 5: e}\n",
        "quads: [a, b, c, d]\n",
        "- x\n",
    ],
)
def test_quad_names_refuse_a_missing_or_partial_block(text: str) -> None:
    with pytest.raises(TypeRulesError, match=r"my/types\.yaml: needs a top-level 'quads'"):
        quad_names(text, "my/types.yaml")


def test_quad_names_need_a_name() -> None:
    with pytest.raises(TypeRulesError, match=r"quads \[3\] need a name"):
        quad_names("quads: {1: a, 2: b, 3: '', 4: d}\n", "my/types.yaml")


def test_payload_follows_the_rules_it_is_given() -> None:
    names = {1: "one", 2: "two", 3: "three", 4: "four"}
    payload = types_payload(TypeRules.load(), names)
    assert payload["quads"][0]["name"] == "one"
    assert {t["quad_name"] for t in payload["types"]} == set(names.values())


def test_the_shipped_file_names_the_four_classes() -> None:
    assert quad_names(SHIPPED) == {
        1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict",
    }  # fmt: skip
