"""The shared actor case set (``tests/data/actor_cases.jsonl``) run through the actor stage.

Each case names a surface string in a short text and the code it must resolve to (``null``: it
must stay unresolved). The test asserts an overall accuracy floor and prints the accuracy per
category, so a regression in one rule shows where it is.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from actor_helpers import mentions_at, resolve_text
from legation.actors.dictionary_model import normalize

CASES = Path(__file__).parent / "data" / "actor_cases.jsonl"

#: Measured accuracy on the case set, rounded down (raise it when the resolver improves).
FLOOR = 0.96


def _locate(case: dict[str, Any]) -> tuple[int, int] | None:
    text, needle = case["text"], case["mention"]
    pos = -1
    for _ in range(int(case.get("occurrence") or 1)):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            return None
    return pos, pos + len(needle)


def judge(pipeline: Any, case: dict[str, Any]) -> tuple[bool, str]:
    """Whether the stage resolves the case's mention as expected, and what it produced."""
    where = _locate(case)
    if where is None:
        return False, f"mention {case['mention']!r} not in text"
    mentions = resolve_text(
        pipeline, case["text"], case.get("published"), case.get("author"), case.get("datelines")
    )
    found = [m for m in mentions_at(mentions, *where) if m.code]
    want = case.get("code")
    if want is None:
        return not found, f"got {[m.code for m in found]}"
    if not found:
        return False, "unresolved"
    codes = {m.code for m in found}
    ok = found[0].code == want or (want in codes and len({m.start for m in found}) == 1)
    if ok and case.get("name"):
        ok = any(normalize(m.name) == normalize(case["name"]) for m in found if m.code == want)
    return ok, f"got {found[0].code} {found[0].name!r} ({found[0].rule})"


def test_actor_cases(pipeline: Any) -> None:
    if not CASES.exists():
        pytest.skip(f"{CASES} not written yet")
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    per: dict[str, list[bool]] = defaultdict(list)
    misses: list[str] = []
    for case in cases:
        ok, info = judge(pipeline, case)
        per[case.get("category", "?")].append(ok)
        if not ok:
            head = f"{case.get('id')} [{case.get('category')}] {case['mention']!r}"
            misses.append(f"{head} want {case.get('code')}: {info}")
    total = sum(sum(v) for v in per.values()) / max(1, sum(len(v) for v in per.values()))
    table = ", ".join(f"{k} {sum(v)}/{len(v)}" for k, v in sorted(per.items()))
    assert total >= FLOOR, f"accuracy {total:.3f} < {FLOOR}; by category: {table}\n" + "\n".join(misses)
