"""Score the event coder on whole unseen benchmark pages, as an article ingest codes them.

    python bench/eval_coder.py --dump /tmp/test.jsonl --split test     # the examples, once
    python bench/eval_pages.py --examples /tmp/test.jsonl [--parse-all]

``eval_coder.py`` codes every labelled sentence alone, as a one-line record (the short-record
policy). An analyst ingests whole pages, where the long-article policy decides and most
sentences are context. This script codes each labelled page of the split whole (its ground-truth
body, as a text record) and matches every labelled sentence to the coded events whose sentence
contains it or is contained in it (whitespace-normalised). It reports per-type and macro
P/R/F1 as ``eval_coder.py`` does, plus event precision: the share of coded events whose type is
one of their sentence's labelled types, over events on labelled sentences. ``--parse-all``
parses every sentence (the reference for the parse-only-what-matters speed-up).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from eval_coder import prf
from legation.events import decide as decide_mod
from legation.learn.corpus import norm_text
from legation.models import RawDoc
from legation.pipeline import EmptyArticle, Pipeline, PipelineConfig

SHARED = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"


def bodies() -> dict[str, str]:
    """Page id -> ground-truth article body, over both benchmark sets."""
    out: dict[str, str] = {}
    for bench in ("article-extraction", "readability-pages"):
        truth = json.loads((SHARED / bench / "ground-truth.json").read_text(encoding="utf-8"))
        out.update({k: str(v.get("articleBody") or "") for k, v in truth.items()})
    return out


def page_events(pipe: Pipeline, page: str, body: str) -> list[Any]:
    raw = RawDoc(source=f"{page}.txt", fmt="text", content=body, input_key=page, record=True)
    try:
        return list(pipe.process(raw, article_id=page[:20]).events)
    except EmptyArticle:
        return []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--examples", type=Path, required=True, help="a file eval_coder.py --dump wrote")
    ap.add_argument("--parse-all", action="store_true", help="parse every sentence")
    ap.add_argument(
        "--policy", type=json.loads, default={}, help='long-article policy overrides, e.g. {"dominate": 4}'
    )
    args = ap.parse_args()
    if args.policy:
        decide_mod.LONG_POLICY = dataclasses.replace(decide_mod.LONG_POLICY, **args.policy)
    by_page: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in args.examples.read_text(encoding="utf-8").splitlines():
        ex = json.loads(line)
        if ex["source"] == "page":
            by_page[ex["doc"]].append(ex)
    texts = bodies()
    pipe = Pipeline(PipelineConfig(extra={"parse_all": True} if args.parse_all else {}))
    gold: list[set[str]] = []
    pred: list[set[str]] = []
    right = coded = 0
    for page in sorted(by_page):
        evs = page_events(pipe, page, texts.get(page, ""))
        evs = [e for e in evs if e.aux not in ("negated", "hypothetical")]
        sents = [(norm_text(e.sentence), e.event) for e in evs]
        for ex in by_page[page]:
            s = ex["text"]
            types = {t for es, t in sents if s in es or es in s}
            gold.append(set(ex["types"]))
            pred.append(types)
            coded += len(types)
            right += len(types & set(ex["types"]))
    res = prf(gold, pred)
    print(
        f"pages {len(by_page)}, labelled sentences {res['n']}, coded {res['coded_share']:.1%}; macro P/R/F1 "
        f"{res['macro'][0]:.3f} / {res['macro'][1]:.3f} / {res['macro'][2]:.3f}; any-event P/R "
        f"{res['any'][0]:.3f} / {res['any'][1]:.3f}; event precision {right / max(1, coded):.3f} ({coded})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
