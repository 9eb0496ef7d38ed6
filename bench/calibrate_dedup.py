"""Calibrate the near-duplicate threshold: Jaccard of word 5-grams for distinct and copied pages.

Distinct pairs: all pairs of the article-extraction benchmark's gold bodies (181 different
articles from 126 sites). Copies: each body with realistic syndication edits (headline
dropped, one sentence rewritten, a local paragraph added or the last one cut). Prints the
distributions and the share of each side above candidate thresholds. Exact Jaccard, not the
MinHash estimate, so the figures describe the texts rather than the sketch.

    python bench/calibrate_dedup.py [../shared/benchmarks/article-extraction/ground-truth.json]
"""

from __future__ import annotations

import itertools
import json
import random
import re
import sys
from pathlib import Path

from legation.crossdoc.dedup import SHINGLE, normalise

DEFAULT = Path(__file__).resolve().parents[2] / "shared/benchmarks/article-extraction/ground-truth.json"


def shingles(text: str) -> set[str]:
    w = normalise(text).split()
    return {" ".join(w[i : i + SHINGLE]) for i in range(len(w) - SHINGLE + 1)}


def jac(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def edit(text: str, rng: random.Random, kind: str) -> str:
    sents = re.split(r"(?<=[.!?])\s+", text)
    if kind == "rewrite" and len(sents) > 2:
        i = rng.randrange(len(sents))
        sents[i] = "A spokesperson later told reporters the matter was still under review."
    elif kind == "add":
        sents.append(
            "Local officials said they would study the decision and its impact on the region carefully."
        )
        sents.append("The newspaper's correspondent contributed reporting from the capital.")
    elif kind == "cut" and len(sents) > 4:
        sents = sents[: int(len(sents) * 0.8)]
    return " ".join(sents)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    gold = json.loads(path.read_text(encoding="utf-8"))
    bodies = [g["articleBody"] for g in gold.values() if len(normalise(g["articleBody"]).split()) >= 25]
    sh = [shingles(b) for b in bodies]
    distinct = sorted(jac(a, b) for a, b in itertools.combinations(sh, 2))
    rng = random.Random(0)
    copies = sorted(
        jac(s, shingles(edit(b, rng, k)))
        for b, s in zip(bodies, sh, strict=True)
        for k in ("rewrite", "add", "cut")
    )
    q = lambda xs, p: xs[min(len(xs) - 1, int(p * len(xs)))]  # noqa: E731
    print(f"pages: {len(bodies)}; distinct pairs: {len(distinct)}; edited copies: {len(copies)}")
    print(
        f"distinct pairs: max {distinct[-1]:.3f}  p99.9 {q(distinct, 0.999):.3f}  p99 {q(distinct, 0.99):.4f}"
    )
    print(f"edited copies : min {copies[0]:.3f}  p1 {q(copies, 0.01):.3f}  median {q(copies, 0.5):.3f}")
    for t in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        fp = sum(d >= t for d in distinct)
        fn = sum(c < t for c in copies)
        print(f"threshold {t:.1f}: distinct pairs above {fp}, copies below {fn} of {len(copies)}")


if __name__ == "__main__":
    main()
