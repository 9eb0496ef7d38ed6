"""Story clustering measured on the labelled corpus in ``tests/data/stories``.

Ingests the corpus (one worker) into a temporary database, prints B³ precision, recall and F1
of the stored ``story_id``s against ``labels.json``, then the calibration sweep: the assigner
is re-run in memory over the stored articles (same terms, same order) for a grid of
thresholds, windows and actor weights. To keep the threshold honest the sweep is
also run on each half of the stories (calibrate on one half, score on the other).

    .venv/bin/python bench/eval_stories.py [--db FILE] [--sweep]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from legation.crossdoc.stories import ENTITY_WEIGHT, WINDOW_DAYS, Assigner, Doc, Params, article_terms
from legation.store.db import Store

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "stories"


def b_cubed(pred: Mapping[str, str], gold: Mapping[str, str]) -> tuple[float, float, float]:
    """B³ precision, recall and F1 over the items of ``gold`` (Bagga and Baldwin 1998)."""
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for k in gold:
        by_pred[pred[k]].add(k)
        by_gold[gold[k]].add(k)
    p = r = 0.0
    for k in gold:
        both = len(by_pred[pred[k]] & by_gold[gold[k]])
        p += both / len(by_pred[pred[k]])
        r += both / len(by_gold[gold[k]])
    p, r = p / len(gold), r / len(gold)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_docs(store: Store) -> list[Doc]:
    """The originals as the assigner saw them, rebuilt from the store in ``seq`` order."""
    actors: dict[str, list[str]] = defaultdict(list)
    for aid, actor_id, code in store.con.execute(
        "SELECT article_id, actor_id, code FROM mentions ORDER BY seq, start_char"
    ).fetchall():
        if actor_id or code:
            actors[aid].append(str(actor_id or code))
    return [
        Doc(str(i), int(s), d, article_terms(t, x, actors[i]))
        for i, s, t, x, d in store.con.execute(
            "SELECT id, seq, title, text, published_date FROM articles "
            "WHERE duplicate_of IS NULL ORDER BY seq"
        ).fetchall()
    ]


def run(docs: Sequence[Doc], params: Params) -> dict[str, str]:
    asg = Assigner(params=params)
    return {d.id: asg.assign(Doc(d.id, d.seq, d.published, d.terms)) for d in docs}


THRESHOLDS = (0.06, 0.08, 0.10, 0.11, 0.12, 0.13, 0.14, 0.16, 0.18, 0.20, 0.25, 0.30, 0.40)


def pick(grid: Sequence[tuple[float, Params]]) -> tuple[float, Params]:
    """The best setting, ties broken towards the middle of a plateau: by the mean F1 of the
    neighbouring thresholds of the same window and weight."""
    f1 = {(p.window_days, p.entity_weight, p.threshold): f for f, p in grid}

    def key(item: tuple[float, Params]) -> tuple[float, float]:
        f, p = item
        i = THRESHOLDS.index(p.threshold)
        near = [THRESHOLDS[j] for j in (i - 1, i + 1) if 0 <= j < len(THRESHOLDS)]
        return f, sum(f1[(p.window_days, p.entity_weight, t)] for t in near) / len(near)

    return max(grid, key=key)


def sweep(docs: Sequence[Doc], gold: Mapping[str, str]) -> list[tuple[float, Params]]:
    out = []
    for window in (3, 7, 10, 14, 21):
        for ew in (0.0, 0.5, 1.0, 2.0):
            for th in THRESHOLDS:
                p = Params(threshold=th, window_days=window, entity_weight=ew)
                out.append((b_cubed(run(docs, p), gold)[2], p))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="an existing database holding the corpus (default: ingest anew)")
    ap.add_argument("--sweep", action="store_true", help="print the calibration sweep")
    args = ap.parse_args()
    gold = json.loads((DATA / "labels.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            from legation.ingest.runner import ingest

            db = str(Path(tmp) / "stories.duckdb")
            ingest([DATA / "articles.jsonl"], db=db, workers=1)
        with Store(db, read_only=True) as store:
            rows = store.con.execute("SELECT id, story_id FROM articles").fetchall()
            stored = {str(a): str(s) for a, s in rows}
            docs = load_docs(store)
    p, r, f = b_cubed(stored, gold)
    print(f"stored story_id: {len(gold)} articles, {len(set(gold.values()))} stories, "
          f"{len(set(stored[k] for k in gold))} predicted; B3 P={p:.3f} R={r:.3f} F1={f:.3f}")
    if not args.sweep:
        return
    labels = sorted(set(gold.values()))
    halves = {"A": set(labels[0::2]), "B": set(labels[1::2])}
    grid = sweep(docs, gold)
    print(f"\nall stories: best setting {pick(grid)}")
    print("all stories: best 10 settings by B3 F1")
    for f1, prm in sorted(grid, key=lambda x: -x[0])[:10]:
        print(f"  F1={f1:.3f}  {prm}")
    print(f"\nthreshold curve (window={WINDOW_DAYS}, entity_weight={ENTITY_WEIGHT}):")
    for f1, prm in grid:
        if prm.window_days == WINDOW_DAYS and prm.entity_weight == ENTITY_WEIGHT:
            print(f"  th={prm.threshold:.2f}  F1={f1:.3f}")
    for name, keep in halves.items():
        other = "B" if name == "A" else "A"
        dk = [d for d in docs if gold[d.id] in keep]
        do = [d for d in docs if gold[d.id] in halves[other]]
        gk = {d.id: gold[d.id] for d in dk}
        go = {d.id: gold[d.id] for d in do}
        best_f, best_p = pick(sweep(dk, gk))
        held = b_cubed(run(do, best_p), go)
        print(f"\ncalibrate on half {name} ({len(dk)} articles): F1={best_f:.3f} with {best_p}")
        print(f"  held-out half {other} ({len(do)} articles): "
              f"P={held[0]:.3f} R={held[1]:.3f} F1={held[2]:.3f}")


if __name__ == "__main__":
    main()
