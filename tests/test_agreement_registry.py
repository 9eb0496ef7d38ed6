"""The registry step through the store: one record per instrument however its articles name it,
whatever the batch order (``crossdoc.update.update_agreements`` over ``group_keys``)."""

from __future__ import annotations

from itertools import permutations
from pathlib import Path
from typing import Any

from legation.crossdoc import update
from legation.crossdoc.agreements import MentionRow
from legation.store import crossdoc_rows
from legation.store.db import Store


def _mention(key: str, name: str, article: str, signed: str | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "kind": "partnership",
        "parties": ["EU", "KOR"],
        "key": key,
        "dates": {"signed": signed} if signed else {},
        "date_basis": {"signed": "text"} if signed else {},
        "date_precision": {},
        "evidence": f"{name} ({article})",
        "article_id": article,
    }


ROWS = [
    ("a", "EU KOR | partnership", "partnership", None),
    ("b", "EU KOR | security defence partnership", "Security and Defence Partnership", "2024-11"),
    ("c", "EU KOR | comprehensive security defence partnership", "comprehensive defence partnership", None),
]


def _records(tmp: Path, order: tuple[int, ...]) -> list[dict[str, Any]]:
    with Store(tmp / f"r{''.join(map(str, order))}.duckdb") as store:
        for seq, i in enumerate(order, start=1):  # one batch per article
            aid, key, name, signed = ROWS[i]
            row = MentionRow(aid, seq, key, _mention(key, name, aid, signed))
            crossdoc_rows.insert_agreement_mentions(store, [row])
            update.update_agreements(store, [aid])
        return crossdoc_rows.iter_agreements(store)


def test_one_record_whatever_the_batch_order(tmp_path: Path) -> None:
    seen = []
    for order in permutations(range(3)):
        recs = _records(tmp_path, order)
        assert len(recs) == 1, (order, recs)  # the records of keys that joined another are gone
        rec = recs[0]
        assert sorted(rec["article_ids"]) == ["a", "b", "c"] and rec["dates"]["signed"] == "2024-11"
        assert rec["name"] == "Security and Defence Partnership"  # a proper name before a description
        seen.append((rec["id"], rec["name"]))
    assert len(set(seen)) == 1
