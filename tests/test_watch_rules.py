"""Alert rules (parsing, every error named) and the alerts' outside: API, export, dashboard data.

No language model: the rules are matched against hand-made records, and the API runs over the
hand-made database of ``api_data`` (which stores two alerts as a watch would).
"""

from __future__ import annotations

import io
import json
import warnings
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from api_data import EVENTS, build_db
from legation.cli import main
from legation.store.db import Store
from legation.store.export import iter_records
from legation.store.watch_rows import store_alerts
from legation.watch.alerts import event_alerts, event_key, match_event, shift_alerts
from legation.watch.poll_alerts import deliver_pending
from legation.watch.rules import Rule, RulesError, load_rules, parse_rules
from watch_server import Route, local_server


def rule(**kw: Any) -> Rule:
    return parse_rules({"rules": [{"name": "r", **kw}]}).rules[0]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"rules": [{"name": "x", "event": "ASSUALT"}]}, "'event': 'ASSUALT' is not a PLOVER event type"),
        ({"rules": [{"name": "x", "actor": "PKR"}]}, "'actor': 'PKR' is no actor code"),
        (
            {"rules": [{"name": "x", "fact": "shift", "treshold": 2}]},
            "'treshold' is no condition of an 'shift'",
        ),
        ({"rules": [{"name": "x", True: "agreement"}]}, "say what a rule is on with 'fact:'"),
        ({"rules": [{"name": "x", "fact": "weather"}]}, "'fact': 'weather' is not one of"),
        ({"rules": [{"name": "x", "quad": 7}]}, "'quad': 7 is not a number from 1 to 4"),
        ({"rules": [{"name": "x", "fact": "shift", "pair": ["EU"]}]}, "give two actor codes"),
        ({"rules": [{"name": "x", "actions": ["email"]}]}, "action 'email' is none of"),
        ({"rules": [{"name": "x"}, {"name": "x"}]}, "two rules are named 'x'"),
        ({"rule": []}, "want a mapping with a 'rules' list"),
    ],
)
def test_rule_errors_name_the_rule_and_key(raw: dict[str, Any], message: str) -> None:
    with pytest.raises(RulesError) as err:
        parse_rules(raw, "rules.yaml")
    assert message in str(err.value) and str(err.value).startswith("rules.yaml")


def test_rules_file_yaml_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(RulesError, match="not valid YAML"):
        load_rules(bad)
    with pytest.raises(RulesError, match="cannot read rules"):
        load_rules(tmp_path / "missing.yaml")
    good = tmp_path / "good.yaml"
    good.write_text("actions: [{jsonl: a.jsonl}]\nrules:\n  - name: a\n    event: assault\n    actor: prk\n")
    (r,) = load_rules(good).rules
    assert r.event == {"ASSAULT"} and r.actor == {"PRK"} and r.actions == ("jsonl:a.jsonl",)


def test_event_matching_conditions() -> None:
    e5 = EVENTS[4]  # ASSAULT PRK -> UKR, quad 4
    assert match_event(rule(event="ASSAULT", actor="PRK", recipient="UKR", quad=4), e5)
    assert match_event(rule(country="UKR"), e5)  # a state on a side, or the place
    assert not match_event(rule(actor="UKR"), e5)
    assert match_event(rule(keyword="troops"), e5) and not match_event(rule(keyword="troop"), e5)
    assert not match_event(rule(min_confidence=0.9), {**e5, "confidence": 0.5})
    assert match_event(rule(context="military"), {**e5, "context": ["military"]})
    assert not match_event(rule(), {**e5, "aux": "negated"})  # "did not attack" is no attack
    assert match_event(rule(include_aux="negated"), {**e5, "aux": "negated"})
    # A copy of the event in another article is the same fact (same key, same alert id).
    copy = {**e5, "id": "other-e1", "article_id": "other"}
    assert event_key(copy) == event_key(e5)
    r = rule(event="ASSAULT")
    assert event_alerts([r], [copy], "t")[0]["id"] == event_alerts([r], [e5], "t")[0]["id"]


def test_shift_alerts_fire_once_per_window() -> None:
    def ev(i: int, day: str, g: float) -> dict[str, Any]:
        return {
            "id": f"e{i}",
            "article_id": f"a{i}",
            "event": "ASSAULT" if g < 0 else "AGREE",
            "date": day,
            "goldstein": g,
            "confidence": 0.9,
            "actor": [{"code": "EU"}],
            "recipient": [{"code": "CHN"}],
            "text_info": {"sentence": f"Sentence {i}."},
        }

    old = [ev(i, f"2024-0{i}-10", 5.0) for i in range(1, 5)]
    new = [ev(i, f"2024-12-{10 + i}", -6.0) for i in range(5, 9)]
    r = rule(fact="shift", pair=["EU", "CHN"], threshold=5)
    (a,) = shift_alerts(r, old + new, "2024-12-18", "t")
    assert a["summary"].startswith("CHN–EU cooler: mean Goldstein +5.0 → -6.0")
    again = shift_alerts(r, old + new + [ev(9, "2024-12-19", -6.0)], "2024-12-19", "t")
    assert [x["id"] for x in again] == [a["id"]]  # the same window: the same fact
    assert shift_alerts(rule(fact="shift", threshold=12), old + new, "2024-12-18", "t") == []


@pytest.fixture(scope="module")
def dbs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("alerts")
    return build_db(base / "full.duckdb", later_stages=True), build_db(
        base / "early.duckdb", later_stages=False
    )


def test_alerts_export_and_cli(dbs: tuple[Path, Path]) -> None:
    full, early = dbs
    with Store(full, read_only=True) as s:
        recs = list(iter_records(s, "alerts"))
    assert [(a["rule"], a["kind"]) for a in recs] == [
        ("PRK attacks", "event"),
        ("Korean agreements", "agreement"),
    ]
    assert recs[0]["fact_id"] == "e5" and recs[0]["article_id"] == "a3"
    assert recs[0]["sentence"] == "North Korean troops attacked positions in Ukraine."
    res = CliRunner().invoke(main, ["export", "alerts", "--db", str(full)])
    assert res.exit_code == 0 and [json.loads(x)["id"] for x in res.stdout.splitlines()] == [
        a["id"] for a in recs
    ]
    assert CliRunner().invoke(main, ["export", "alerts", "--db", str(early)]).stdout == ""


def test_api_alerts_paging_filters_and_errors(dbs: tuple[Path, Path]) -> None:
    pytest.importorskip("fastapi", reason="the API needs the 'serve' extra")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from legation.api.app import create_app

    full, early = dbs
    client = TestClient(create_app(full))
    page = client.get("/api/alerts").json()
    assert page["total"] == 2 and [a["rule"] for a in page["items"]] == ["Korean agreements", "PRK attacks"]
    one = client.get("/api/alerts", params={"limit": 1, "offset": 1}).json()
    assert one["total"] == 2 and [a["rule"] for a in one["items"]] == ["PRK attacks"]
    assert client.get("/api/alerts", params={"kind": "Event"}).json()["total"] == 1
    assert client.get("/api/alerts", params={"rule": "PRK attacks"}).json()["total"] == 1
    for params, name in (({"kind": "weather"}, "kind"), ({"limit": 0}, "limit"), ({"offset": -1}, "offset")):
        r = client.get("/api/alerts", params=params)
        assert r.status_code == 422 and f"'{name}'" in r.json()["error"], r.text
    assert "/api/alerts" in client.get("/openapi.json").json()["paths"]
    assert TestClient(create_app(early)).get("/api/alerts").json() == {"items": [], "total": 0}


def test_deliveries_run_once_and_a_failed_webhook_is_tried_again(tmp_path: Path) -> None:
    db = build_db(tmp_path / "d.duckdb", later_stages=True)  # with two alerts for stdout
    with local_server() as server, Store(db) as store, httpx.Client(timeout=2) as client:
        server.routes["/hook"] = Route(status=500)
        r = Rule("hooked", event=frozenset({"ASSAULT"}), actions=("stdout", f"webhook:{server.url('/hook')}"))
        store_alerts(store, event_alerts([r], [EVENTS[4]], "t"))
        out = io.StringIO()
        errors = deliver_pending(store, out, client)
        assert len(errors) == 1 and "webhook answered HTTP 500" in errors[0] and "hooked" in errors[0]
        assert "alert [hooked] ASSAULT: PRK → UKR" in out.getvalue()
        server.routes["/hook"] = Route(status=204)
        assert deliver_pending(store, out, client) == []
        assert deliver_pending(store, out, client) == []  # nothing left: stdout once, the hook once
        assert out.getvalue().count("alert [hooked]") == 1 and len(out.getvalue().splitlines()) == 3
        posts = [h for p, h in server.log if p == "/hook"]
        assert len(posts) == 2 and json.loads(posts[-1]["_body"])["rule"] == "hooked"
