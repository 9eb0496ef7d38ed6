"""Claims and agreements on the held-out gold set (``tests/data/crossdoc_fresh``), with floors.

The set (24 articles, 119 core claims, 43 core agreement facts, 42 negatives) was written for
the project by a writer who read only the gold conventions of ``tests/data/crossdoc_gold``,
never the extraction code or its cue lexicons, so it measures them honestly. It was first
scored before any change (claim_kind accuracy 0.843, agreement date accuracy 0.667, claims
recall 0.588); the claim changes since were made from failures of its dev half only, so for claims its test
half is unseen; the agreement-date changes (a place before the date, treaties named by their
year) came from failures of both halves, so for agreement dates it no longer is
(``bench/eval_crossdoc_gold.py --data tests/data/crossdoc_fresh``). The agreement work after
it (instrument names as data, ``group_keys``, relative-clause signatories, "the two
governments", a year right after a name) was read from the first set's dev half and this
set's dev half (never its test half; for dates the test half was already seen, above):
agreements recall 0.512 / 0.455 / 0.571 -> 0.721 / 0.773 / 0.667 (all / dev / test), party F1
0.926 -> 0.947, date accuracy 0.773 -> 0.935 (test 0.833 -> 0.929), precision 0.963 -> 1.000.
Then, read from the dev halves of both sets and the bundled demo (named deals, "between" lists,
instruments "under" or a possessive points at, "dating from <year>", bare heads named in full
later): agreements recall 0.721 / 0.773 / 0.667 -> 0.767 / 0.864 / 0.667, party F1 0.954 /
0.971 -> 0.957 / 0.974, date accuracy 0.935 / 0.941 -> 0.939 / 0.947 (test unchanged).
Then, read from the dev halves of both sets, the demo and the benchmark pages (bystanders as
parties: an apposition after a plural head's with-phrase, the actors of another clause, "the
European partnership"): party F1 0.957 / 0.974 / 0.933 -> 0.972 / 1.000 / 0.933, party exact
0.848 -> 0.879 (dev 0.947 -> 1.000), all else kept; party F1 floor raised.

The floors are the figures when the floors were set, less about 0.02. A floor only goes up.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, load_module

DATA = REPO / "tests" / "data" / "crossdoc_fresh"
bench = load_module(REPO / "bench" / "eval_crossdoc_gold.py", "legation_eval_crossdoc_fresh")

FLOORS: dict[str, dict[str, dict[str, float]]] = {
    "all": {
        "agreements": {"precision": 0.99, "party_f1": 0.95, "date_acc": 0.92, "recall": 0.74},
        "claims": {
            "precision": 0.97,
            "kind_acc": 0.90,
            "qualifier_acc": 0.96,
            "recall": 0.89,
            "unit_acc": 0.95,
            "claimant_acc": 0.84,
            "claimant_name_acc": 0.83,
            "dispute_acc": 0.80,
            "group_pair_recall": 0.60,
            "group_pair_precision": 0.68,
        },
    },
    "test": {
        "agreements": {"precision": 0.99, "party_f1": 0.92, "date_acc": 0.92, "recall": 0.65},
        "claims": {
            "precision": 0.97,
            "kind_acc": 0.94,
            "qualifier_acc": 0.94,
            "recall": 0.80,
            "unit_acc": 0.9,
        },
    },
}


def test_held_out_set_is_big_enough_and_rests_on_its_text() -> None:
    gold = bench.load_gold(DATA / "gold.jsonl")
    texts = {p.name: p.read_text(encoding="utf-8") for p in (DATA / "articles").glob("*.txt")}
    core = Counter(g["type"] for g in gold if g.get("core", True))
    assert len(texts) >= 24 and core["claim"] >= 80 and core["agreement"] >= 40
    assert sum(g["type"] == "negative" for g in gold) >= 20
    missing = [g["id"] for g in gold if "evidence" in g and g["evidence"] not in texts[g["doc"]]]
    assert not missing


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory, pipeline: Any) -> dict[str, Any]:
    db: Path = tmp_path_factory.mktemp("crossdoc_fresh") / "fresh.duckdb"
    bench.ingest_articles(db, pipeline, DATA)
    return bench.evaluate(bench.export_all(db), bench.load_gold(DATA / "gold.jsonl"))


@pytest.mark.parametrize("split", sorted(FLOORS))
@pytest.mark.parametrize("kind", ["agreements", "claims"])
def test_held_out_figures_keep_their_floors(result: dict[str, Any], split: str, kind: str) -> None:
    got = result[split][kind]
    low = {k: round(got[k], 3) for k, floor in FLOORS[split][kind].items() if got[k] < floor}
    assert not low, f"{split}: below the floor {low}\n{bench.summary(result)}"
