"""Score :func:`legation.clean.html.extract_html` on the article-extraction benchmark.

Usage::

    .venv/bin/python bench/eval_html.py [--shared ../shared] [--pred out.jsonl] [--variants]

Reads ``benchmarks/article-extraction/html/<id>.html.gz``, decodes each page with
:func:`legation.ingest.encoding.decode_bytes` as the pipeline does, extracts with the page's
URL from ``ground-truth.json``, and scores with ``tools/score.py``'s ``score_extraction``
(word 4-gram shingles, per-page precision and recall averaged, F1 of the averages). Prints
F1 / precision / recall and the extraction time per page (mean and p95).

``--variants`` re-runs the benchmark once per trafilatura option set in ``VARIANTS`` (each a
change against the module's ``EXTRACT_OPTIONS``), which is how those options were chosen.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import statistics
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from legation.clean import html as html_mod  # noqa: E402
from legation.ingest.encoding import decode_bytes  # noqa: E402

BENCH = Path("benchmarks") / "article-extraction"

# Option sets compared by --variants, as changes to html_mod.EXTRACT_OPTIONS (the chosen set:
# comments off, tables on, favor_precision on). Figures are in legation/clean/html.py.
VARIANTS: dict[str, dict[str, Any]] = {
    "chosen": {},
    "trafilatura dflt": {"include_comments": True, "favor_precision": False},
    "no precision": {"favor_precision": False},
    "favor_recall": {"favor_precision": False, "favor_recall": True},
    "fast": {"favor_precision": False, "fast": True},
    "deduplicate": {"favor_precision": False, "deduplicate": True},
    "precision+fast": {"fast": True},
    "precision-tables": {"include_tables": False},
    "precision+comments": {"include_comments": True},
}


def load_score_fn(shared: Path) -> Callable[[Mapping[str, Any], Mapping[str, str]], dict[str, Any]]:
    """Import ``score_extraction`` from shared/tools/score.py without making it a package."""
    spec = importlib.util.spec_from_file_location("legation_bench_score", shared / "tools" / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {shared / 'tools' / 'score.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    fn: Callable[[Mapping[str, Any], Mapping[str, str]], dict[str, Any]] = module.score_extraction
    return fn


def load_pages(shared: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The ground truth and each page's decoded HTML, keyed by page id."""
    root = shared / BENCH
    truth: dict[str, Any] = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages: dict[str, str] = {}
    for key in truth:
        data = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        pages[key], _ = decode_bytes(data, is_html=True)
    return truth, pages


def run(shared: Path, *, pred_path: Path | None = None) -> dict[str, Any]:
    """Extract every benchmark page and score the bodies.

    Returns:
        score.py's figures (f1, precision, recall, pages, missing) plus ``ms_mean``, ``ms_p95``
        and ``empty`` (pages where no body was found).
    """
    truth, pages = load_pages(shared)
    score = load_score_fn(shared)
    preds: dict[str, str] = {}
    times: list[float] = []
    for key, page in pages.items():
        t0 = time.perf_counter()
        result = html_mod.extract_html(page, url=truth[key].get("url"))
        times.append((time.perf_counter() - t0) * 1000)
        preds[key] = result.body
    if pred_path is not None:
        with pred_path.open("w", encoding="utf-8") as out:
            for key, text in preds.items():
                out.write(json.dumps({"id": key, "text": text}, ensure_ascii=False) + "\n")
    res = dict(score(truth, preds))
    times.sort()
    res["ms_mean"] = statistics.fmean(times)
    res["ms_p95"] = times[min(len(times) - 1, int(0.95 * len(times)))]
    res["empty"] = sum(1 for t in preds.values() if not t)
    return res


def _line(name: str, res: Mapping[str, Any]) -> str:
    return (
        f"{name:<18} F1 {res['f1']:.4f}  P {res['precision']:.4f}  R {res['recall']:.4f}  "
        f"{res['ms_mean']:.1f} ms/page (p95 {res['ms_p95']:.1f})  empty {res['empty']}/{res['pages']}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--pred", type=Path, help="also write the predictions as JSONL here")
    ap.add_argument("--variants", action="store_true", help="compare the option sets in VARIANTS")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    if not (args.shared / BENCH).is_dir():
        print(f"{args.shared / BENCH} not found", file=sys.stderr)
        return 2
    if not args.variants:
        res = run(args.shared, pred_path=args.pred)
        print(json.dumps(res, indent=2) if args.json else _line("extract_html", res))
        return 0
    base = dict(html_mod.EXTRACT_OPTIONS)
    for name, change in VARIANTS.items():
        html_mod.EXTRACT_OPTIONS.clear()
        html_mod.EXTRACT_OPTIONS.update(base | change)
        print(_line(name, run(args.shared)), flush=True)
    html_mod.EXTRACT_OPTIONS.clear()
    html_mod.EXTRACT_OPTIONS.update(base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
