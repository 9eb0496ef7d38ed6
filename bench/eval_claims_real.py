"""Score claim extraction on real news sentences: Voice of America quotes of the NGEC set.

    python bench/eval_claims_real.py              # P / R / unit / kind for all, dev, test
    python bench/eval_claims_real.py --details    # also every miss and false figure, dev only
    python bench/eval_claims_real.py --list       # the sample's keys (to label), dev and test

The quotes are read in place from ``../shared/training/ngec-voa/verified.jsonl`` (relative to
the repository) and never copied: the labels (``bench/data/claims_real_labels.json``) are
keyed by the SHA-1 of the quote and hold only the figures, ``{"value", "unit", "kind"}``, of
the claim-like figures of each quote as the gold conventions of ``tests/data/crossdoc_gold``
define them (people, weapons, money; not years, dates, percentages, durations, distances or
ages). Selection: positives (label 1) with a digit or a number word next to a claim-like noun,
deduplicated by quote, the first ``--n`` (160) by SHA-1 of the quote. Each quote is ingested
on its own as a one-line JSONL record through the whole pipeline; its claims are the
article's ``claims``. A figure matches a gold one of the same unit with a value within 1 %;
unit accuracy is over gold figures matched by value alone, kind accuracy over matched ones.
Split by document: dev when the SHA-1 of ``doc_id`` is even, test when it is odd.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from legation.models import RawDoc
from legation.pipeline import EmptyArticle, Pipeline

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "../shared/training/ngec-voa/verified.jsonl"
LABELS = ROOT / "bench/data/claims_real_labels.json"
_NUMBER = (
    r"(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|fifty|hundred|hundreds|thousand|thousands|dozen|dozens|scores)"
)
_NOUN = (
    r"(?:soldiers|troops|servicemen|personnel|fighters|militants|police(?:men)?|killed|dead|deaths"
    r"|died|wounded|injured|people|civilians|refugees|displaced|migrants|dollars|euros|pounds"
    r"|million|billion|tanks|missiles|rockets|drones|jets|aircraft|helicopters|warships|weapons)"
)
_CLAIMLIKE = re.compile(
    rf"[$€£]\s?\d|\b{_NUMBER}\s+(?:[\w-]+\s+){{0,3}}?{_NOUN}\b|\b{_NOUN}\s+(?:\w+\s+){{0,2}}?\d", re.I
)


def sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def split_of(doc_id: str) -> str:
    return "dev" if int(sha(doc_id), 16) % 2 == 0 else "test"


def sample(path: Path, n: int) -> list[dict[str, str]]:
    """The deterministic sample: claim-like positive quotes, one per quote, first ``n`` by hash."""
    seen: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            quote = row.get("quote")
            if row.get("label") != 1 or not isinstance(quote, str) or not _CLAIMLIKE.search(quote):
                continue
            key = sha(quote)
            seen.setdefault(key, {"key": key, "doc_id": str(row["doc_id"]), "quote": quote})
    return [seen[k] for k in sorted(seen)[:n]]


def claims_of(pipe: Pipeline, text: str) -> list[dict[str, Any]]:
    """The claims of ``text`` ingested as a one-line JSONL record (cleaning included)."""
    doc = RawDoc(source="x.jsonl", fmt="text", content=text, input_key="x", record=True)
    try:
        art = pipe.process(doc, article_id="x")
    except EmptyArticle:
        return []
    return [
        {"value": c["value"], "unit": c["unit"], "kind": c["claim_kind"], "text": c["text_info"]["quantity"]}
        for c in art.claims
    ]


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 0.01 * max(abs(a), abs(b))


def score(rows: list[tuple[list[dict[str, Any]], list[dict[str, Any]]]]) -> dict[str, float]:
    """P, R, unit and kind accuracy over (gold, predicted) pairs."""
    n_gold = n_pred = tp = unit_n = unit_ok = kind_ok = 0
    for gold, pred in rows:
        n_gold += len(gold)
        n_pred += len(pred)
        free = list(pred)
        for g in gold:
            by_value = [p for p in pred if close(p["value"], g["value"])]
            if by_value:
                unit_n += 1
                unit_ok += any(p["unit"] == g["unit"] for p in by_value)
            hit = next((p for p in free if close(p["value"], g["value"]) and p["unit"] == g["unit"]), None)
            if hit is not None:
                free.remove(hit)
                tp += 1
                kind_ok += hit["kind"] == g["kind"]
    return {
        "precision": tp / n_pred if n_pred else 1.0,
        "recall": tp / n_gold if n_gold else 1.0,
        "unit_acc": unit_ok / unit_n if unit_n else 1.0,
        "kind_acc": kind_ok / tp if tp else 1.0,
        "gold": n_gold,
        "pred": n_pred,
        "quotes": len(rows),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("-n", type=int, default=160)
    ap.add_argument("--details", action="store_true", help="print the dev half's mismatches")
    ap.add_argument("--list", action="store_true", help="print the sample's keys and splits")
    args = ap.parse_args(argv)
    picked = sample(args.data.resolve(), args.n)
    if args.list:
        for ex in picked:
            print(ex["key"], split_of(ex["doc_id"]))
        return 0
    labels = json.loads(args.labels.read_text(encoding="utf-8"))
    pipe = Pipeline()
    rows: dict[str, list[tuple[list[dict[str, Any]], list[dict[str, Any]]]]] = {"dev": [], "test": []}
    missing = 0
    for ex in picked:
        if ex["key"] not in labels:
            missing += 1
            continue
        gold = labels[ex["key"]]["figures"]
        pred = claims_of(pipe, ex["quote"])
        split = split_of(ex["doc_id"])
        rows[split].append((gold, pred))
        if args.details and split == "dev":
            g_set = [(g["value"], g["unit"], g["kind"]) for g in gold]
            p_set = [(p["value"], p["unit"], p["kind"]) for p in pred]
            if sorted(map(str, g_set)) != sorted(map(str, p_set)):
                print(f"{ex['key'][:10]}  gold={g_set}\n            got={p_set}  {[p['text'] for p in pred]}")
    if missing:
        print(f"{missing} sampled quotes have no labels", file=sys.stderr)
    for name, part in (("all", rows["dev"] + rows["test"]), ("dev", rows["dev"]), ("test", rows["test"])):
        s = score(part)
        print(
            f"{name:4}  quotes {s['quotes']:3}  gold {s['gold']:3}  pred {s['pred']:3}"
            f"  precision {s['precision']:.3f}"
            f"  recall {s['recall']:.3f}  unit_acc {s['unit_acc']:.3f}  kind_acc {s['kind_acc']:.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
