"""Claims and agreements on the project's own gold set, with floors (issue 16).

``tests/data/crossdoc_gold`` holds 52 news articles written for the project (fictional events
between real actors) and ``gold.jsonl``, one hand-labelled fact a line: claims, agreement
mentions (one instrument in one article) and negatives (meeting formats, bodies, negated or
planned instruments that must not become agreements). ``bench/eval_crossdoc_gold.py`` ingests
the articles, matches the exported claims and agreements to the gold and scores them, for all
articles and for a dev and an unseen test split (by the parity of the SHA-1 of the file name).

The floors are the figures measured when the gold set was made, less 0.02, rounded down. A
floor only goes up: raise it when a change measurably improves its figure, never lower it to
let a change through. The targets of issue 16 are agreement precision >= 0.9, party F1 >= 0.9,
date accuracy >= 0.85 and claim_kind accuracy >= 0.9 (when the gold set was made, date
accuracy was 0.77 and claim_kind accuracy 0.81: below the targets, so their floors were
those figures).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, load_module

DATA = REPO / "tests" / "data" / "crossdoc_gold"
bench = load_module(REPO / "bench" / "eval_crossdoc_gold.py", "legation_eval_crossdoc_gold")

#: Measured when the gold set was added (all articles / test split):
#: agreements recall 0.600 / 0.655, precision 0.972 / 0.950, 9 / 3 duplicates, party F1
#: 0.932 / 0.953, date accuracy 0.771 / 0.722, date-basis accuracy 0.963 / 0.923; claims
#: recall 0.688 / 0.736, precision 0.885 / 0.900, claim_kind 0.811 / 0.792, qualifier 0.981 /
#: 0.981, claimant 0.857 / 0.894, claimant name 0.718 / 0.721, dispute 0.745 / 0.755.
#: After the decimal-point fix of the claim splitter ("$6.5 billion" had been two sentences and
#: the claim 6 USD): claims recall 0.688 -> 0.747 (test 0.736 -> 0.764), precision 0.885 ->
#: 0.959 (test 0.900 -> 0.933); floors raised. One figure fell: group-pair precision 0.40 ->
#: 0.367 (test 0.53 -> 0.50), because the sums now found are real claims that land in the
#: same coarse topic keys as others (failure class "group merge": the topic is the nearest
#: actor). That floor was set the same day on the buggy splitter and is re-pinned at the
#: corrected figure; it goes up again with better topic keys. Then claim_kind reads running
#: totals ("since October 2023", "so far" later in the clause) and qualified subsets ("of whom
#: about 4,000"): claim_kind 0.817 -> 0.878 (dev 0.833 -> 0.917, test 0.800 -> 0.836), dispute
#: accuracy 0.748 -> 0.800; floors raised. Then agreements (one stage list with "in force",
#: steps dated per instrument, relative dates resolved against the dateline, memoranda,
#: charters, protocols and conventions, "the agreement" referring back): recall 0.600 -> 0.750
#: (test 0.655 -> 0.759), precision 0.972 -> 1.000, party F1 0.932 -> 0.947, date accuracy
#: 0.771 -> 0.955 (dev 0.824 -> 0.913, test 0.722 -> 1.000), duplicates 9 -> 7 (test 3 -> 1);
#: floors raised. Then claim_kind reads its cues from data (``data/claims/kinds.yaml``):
#: future or intent words up to four words before the figure ("could bring in a further"),
#: a time still to come after it ("within weeks"), a sum foreseen as a cost or aimed at ("will
#: cost", "hope to raise"), "including" / "of whom" after a figure of any unit, "of them"
#: inside the figure, "between N and" before the upper bound, "bring the total ... to", and
#: an increment ("additional") is no running total: claim_kind 0.878 -> 1.000 (dev 0.917 ->
#: 1.000, test 0.836 -> 1.000), dispute accuracy 0.800 -> 0.852 (test 0.782 -> 0.836); floors
#: raised. Then agreements from data (``data/agreements/names.yaml``: ceasefire, truce,
#: framework heads, "status of forces"-style modifiers, meeting formats), one record per
#: instrument however named (``crossdoc.agreements.group_keys``), signatories from relative
#: clauses, "N days after" and "the ministries said on Thursday" dates: all / dev / test
#: agreements recall 0.750 / 0.742 / 0.759 -> 0.933 / 0.968 / 0.897, duplicates 7 / 3 / 1 -> 3 /
#: 1 / 1, party F1 0.947 / 0.933 / 0.962 -> 0.976 / 0.983 / 0.968, date accuracy 0.955 / 0.913 /
#: 1.000 -> 1.000 / 1.000 / 1.000, date-basis accuracy 0.976 -> 1.000; floors raised, duplicate
#: ceiling lowered. Then (from the dev halves' failures and the bundled demo) an indefinite bare
#: head named in full further on, a name's own party, "between" lists, named deals and an
#: instrument a possessive or "under" points at: agreements recall 0.933 / 0.968 / 0.897 ->
#: 0.950 / 1.000 / 0.897, all else kept; recall floor raised.
FLOORS: dict[str, dict[str, dict[str, float]]] = {
    "all": {
        "agreements": {
            "recall": 0.93,
            "precision": 0.99,
            "party_f1": 0.96,
            "party_exact": 0.91,
            "date_acc": 0.98,
            "date_basis_acc": 0.98,
        },
        "claims": {
            "recall": 0.86,
            "precision": 0.93,
            "kind_acc": 0.98,
            "qualifier_acc": 0.96,
            "unit_acc": 0.96,
            "claimant_acc": 0.87,
            "claimant_name_acc": 0.80,
            "dispute_acc": 0.87,
            "group_pair_recall": 0.62,
            "group_pair_precision": 0.49,
        },
    },
    "test": {
        "agreements": {
            "recall": 0.88,
            "precision": 0.99,
            "party_f1": 0.95,
            "party_exact": 0.87,
            "date_acc": 0.98,
            "date_basis_acc": 0.98,
        },
        "claims": {
            "recall": 0.86,
            "precision": 0.91,
            "kind_acc": 0.98,
            "qualifier_acc": 0.96,
            "unit_acc": 0.90,
            "claimant_acc": 0.89,
            "claimant_name_acc": 0.80,
            "dispute_acc": 0.83,
            "group_pair_recall": 0.56,
            "group_pair_precision": 0.50,
        },
    },
}
#: Ceilings: further records of one instrument (a ceiling only goes down).
MAX_DUPLICATES = {"all": 3, "test": 1}

_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+(?:, [A-Z][a-z]+)?, \d{1,2} [A-Z][a-z]+ 20\d\d \([^)]+\) – \S")
_PUBLISHED = re.compile(r"^Published \d{1,2} [A-Z][a-z]+ 20\d\d$")


def _gold() -> list[dict[str, Any]]:
    return bench.load_gold(DATA / "gold.jsonl")


# ---------------------------------------------------------------------- the data itself
def test_gold_set_is_big_enough_and_every_fact_rests_on_its_text() -> None:
    gold = _gold()
    articles = sorted((DATA / "articles").glob("*.txt"))
    kinds = Counter(g["type"] for g in gold)
    core = Counter(g["type"] for g in gold if g.get("core", True))
    assert len(articles) >= 44
    assert core["agreement"] >= 60 and core["claim"] >= 80 and kinds["negative"] >= 20
    assert len({g["doc"] for g in gold if g["type"] != "negative"}) >= 40
    assert len({g["id"] for g in gold}) == len(gold)
    texts = {p.name: re.sub(r"\s+", " ", p.read_text(encoding="utf-8")) for p in articles}
    for g in gold:
        assert g["doc"] in texts, g["id"]
        assert g["evidence"] in texts[g["doc"]], g["id"]
        if g["type"] == "claim":
            assert g["kind"] in {"count", "projection", "subset", "cumulative", "range"}, g["id"]
            assert set(g.get("alt_kinds", [])) <= {"count", "projection", "subset", "cumulative", "range"}
            assert isinstance(g["value"], (int, float)) and g["quantity"] and g["group"], g["id"]
            assert g["qualifier"] is None or bench.qualifier_class(g["qualifier"]) in set(
                bench.QUALIFIER_CLASS.values()
            )
        elif g["type"] == "agreement":
            assert g["mention"] in texts[g["doc"]], g["id"]
            assert len(g["parties"]) >= 2 and g["parties"] == sorted(g["parties"]), g["id"]
            for lo, hi in g["dates"].values():
                assert lo <= hi, g["id"]
            assert (g["date_basis"] in {"text", "dateline", "published"}) == bool(g["dates"]), g["id"]
    # An instrument is labelled the same way in every article that mentions it.
    by_instrument: dict[str, set[tuple[str, tuple[str, ...]]]] = {}
    for g in gold:
        if g["type"] == "agreement":
            by_instrument.setdefault(g["instrument"], set()).add((g["name"], tuple(g["parties"])))
    assert all(len(v) == 1 for v in by_instrument.values())
    # A dispute needs two comparable counts of one group.
    disputed = Counter(g["group"] for g in gold if g["type"] == "claim" and g["disputed"])
    assert all(n >= 2 for n in disputed.values()) and len(disputed) >= 4


def test_articles_read_like_wire_copy() -> None:
    """A headline, then a dateline ("CITY, 12 March 2025 (Agency) –") or a "Published" line,
    and 4-12 paragraphs."""
    for p in sorted((DATA / "articles").glob("*.txt")):
        paras = [x.strip() for x in p.read_text(encoding="utf-8").split("\n\n") if x.strip()]
        headline, rest = paras[0], paras[1:]
        assert "\n" not in headline and not headline.endswith("."), p.name
        if _PUBLISHED.match(rest[0]):
            rest = [x for x in rest[1:] if not x.startswith("By ")]
        else:
            assert _DATELINE.match(rest[0]), p.name
        assert 4 <= len(rest) <= 12, (p.name, len(rest))


def test_splits_are_deterministic_and_about_even() -> None:
    docs = sorted(p.name for p in (DATA / "articles").glob("*.txt"))
    split = Counter(bench.split_of(d) for d in docs)
    assert set(split) == {"dev", "test"} and abs(split["dev"] - split["test"]) <= len(docs) // 5
    assert bench.split_of("a01_vilnius_russian_troops_belarus.txt") == bench.split_of(
        "a01_vilnius_russian_troops_belarus.txt"
    )


def test_matching_rules() -> None:
    names = ["Pukpuk Treaty", "mutual defence treaty"]
    assert bench.names_match(names, "Pukpuk agreement")
    assert bench.names_match(names, "mutual defense treaty")
    assert not bench.names_match(["Nakamal Agreement"], "security agreement")  # only the head in common
    assert bench.names_match(["an agreement"], "agreement")
    assert bench.qualifier_class("over") == bench.qualifier_class("more than")
    assert bench.qualifier_class("some") == bench.qualifier_class("approximately")
    assert bench.claimant_named(
        "Lithuania's State Security Department", [{"text": "the department"}], ["LTU"]
    )
    assert not bench.claimant_named("the UN human rights office", [{"text": "UN", "code": "UN"}], ["UN"])
    assert bench.claimant_named("Britain", [{"text": "UK", "code": "GBR"}], ["GBR"])


# ---------------------------------------------------------------------- through the product
@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> dict[str, Any]:
    db: Path = tmp_path_factory.mktemp("crossdoc_gold") / "gold.duckdb"
    bench.ingest_articles(db, pipeline)
    return bench.evaluate(bench.export_all(db), _gold())


@pytest.mark.parametrize("split", sorted(FLOORS))
def test_agreements_keep_their_floors(result: dict[str, Any], split: str) -> None:
    got = result[split]["agreements"]
    low = {k: round(got[k], 3) for k, floor in FLOORS[split]["agreements"].items() if got[k] < floor}
    assert not low, f"{split}: below the floor {low}\n{bench.summary(result)}"
    assert got["duplicates"] <= MAX_DUPLICATES[split], bench.summary(result)


@pytest.mark.parametrize("split", sorted(FLOORS))
def test_claims_keep_their_floors(result: dict[str, Any], split: str) -> None:
    got = result[split]["claims"]
    low = {k: round(got[k], 3) for k, floor in FLOORS[split]["claims"].items() if got[k] < floor}
    assert not low, f"{split}: below the floor {low}\n{bench.summary(result)}"


def test_no_negative_becomes_an_agreement(result: dict[str, Any]) -> None:
    """Dialogues, summits, fora, councils, organisations, negated and planned instruments."""
    bad = [
        p for p in result["all"]["agreements"]["problems"] if p["class"] == "negative taken for an agreement"
    ]
    assert not bad, bad
