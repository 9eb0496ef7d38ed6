"""Story clustering measured on the labelled corpus in ``tests/data/stories``.

The corpus is every ``articles*.jsonl`` file of that folder, labelled by ``labels.json``
(article id -> story). Ingests it (one worker) into a temporary database, prints B³ precision,
recall and F1 of the stored ``story_id``s against the labels, for all articles and for the
``dev`` and unseen ``test`` split (:func:`split_of`: by story, from the SHA-1 of its label, so
that no story is on both sides), then with ``--sweep`` the calibration: the assigner is re-run
in memory over the stored articles (same terms, same order) for a grid of thresholds, windows
and actor weights, the setting is picked on ``dev`` and scored on ``test``.

    .venv/bin/python bench/eval_stories.py [--db FILE] [--sweep]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from legation.crossdoc.stories import ENTITY_WEIGHT, WINDOW_DAYS, Assigner, Doc, Params, article_terms
from legation.store.crossdoc_rows import CK
from legation.store.db import Store

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "stories"


def corpus_files() -> list[Path]:
    """The corpus parts, in name order (``articles.jsonl`` first)."""
    return sorted(DATA.glob("articles*.jsonl"))


def records() -> list[dict[str, object]]:
    return [json.loads(x) for p in corpus_files() for x in p.read_text().splitlines() if x.strip()]


def labels() -> dict[str, str]:
    return dict(json.loads((DATA / "labels.json").read_text()))


def split_of(story: str) -> str:
    """``dev`` or ``test`` for a story label, by the parity of its SHA-1."""
    return "dev" if int(hashlib.sha1(story.encode()).hexdigest(), 16) % 2 == 0 else "test"


def by_split(gold: Mapping[str, str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {"all": dict(gold), "dev": {}, "test": {}}
    for k, v in gold.items():
        out[split_of(v)][k] = v
    return out


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
    """The originals as the assigner saw them, rebuilt from the store in canonical order (the
    order the ingest assigns in: publication day, then a hash of the id; not storage order)."""
    actors: dict[str, list[str]] = defaultdict(list)
    for aid, actor_id, code in store.con.execute(
        "SELECT article_id, actor_id, code FROM mentions ORDER BY seq, start_char"
    ).fetchall():
        if actor_id or code:
            actors[aid].append(str(actor_id or code))
    return [
        Doc(str(i), int(s), d, article_terms(t, x, actors[i]))
        for i, s, t, x, d in store.con.execute(
            f"SELECT id, {CK}, title, text, published_date FROM articles a "
            f"WHERE duplicate_of IS NULL ORDER BY {CK}, id"
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
    for window in (2, 3, 4, 5, 7, 10, 14):
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
    gold = labels()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            from legation.ingest.runner import ingest

            db = str(Path(tmp) / "stories.duckdb")
            ingest(corpus_files(), db=db, workers=1)
        with Store(db, read_only=True) as store:
            rows = store.con.execute("SELECT id, story_id FROM articles").fetchall()
            stored = {str(a): str(s) for a, s in rows}
            docs = load_docs(store)
    splits = by_split(gold)
    for name, g in splits.items():
        p, r, f = b_cubed(stored, g)
        print(f"stored story_id, {name}: {len(g)} articles, {len(set(g.values()))} stories, "
              f"{len(set(stored[k] for k in g))} predicted; B3 P={p:.3f} R={r:.3f} F1={f:.3f}")
    if not args.sweep:
        return
    grid = sweep(docs, gold)
    print(f"\nall stories: best setting {pick(grid)}")
    print("all stories: best 10 settings by B3 F1")
    for f1, prm in sorted(grid, key=lambda x: -x[0])[:10]:
        print(f"  F1={f1:.3f}  {prm}")
    print(f"\nthreshold curve (window={WINDOW_DAYS}, entity_weight={ENTITY_WEIGHT}):")
    for f1, prm in grid:
        if prm.window_days == WINDOW_DAYS and prm.entity_weight == ENTITY_WEIGHT:
            print(f"  th={prm.threshold:.2f}  F1={f1:.3f}")
    dev = [d for d in docs if d.id in splits["dev"]]
    test = [d for d in docs if d.id in splits["test"]]
    best_f, best_p = pick(sweep(dev, splits["dev"]))
    held = b_cubed(run(test, best_p), splits["test"])
    print(f"\ncalibrated on dev ({len(dev)} articles): F1={best_f:.3f} with {best_p}")
    print(f"  unseen test ({len(test)} articles): P={held[0]:.3f} R={held[1]:.3f} F1={held[2]:.3f}")


if __name__ == "__main__":
    main()
