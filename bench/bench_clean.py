"""Cleaning time per page, for both input forms (HTML and text dumps).

Runs the same code the ingest workers run (``extract_html``; ``clean_text_dump`` then
``text_metadata``) over the article-extraction benchmark in ``../shared`` (181 pages in each
form), or over ``examples/`` when that is absent. One process, warm: the model is loaded and
each form gets one untimed warm-up page first.

    python bench/bench_clean.py [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import statistics
import time
from pathlib import Path

from legation.clean.html import extract_html
from legation.clean.textdump import clean_text_dump
from legation.clean.textmeta import text_metadata
from legation.ingest.encoding import decode_bytes
from legation.pipeline import Pipeline

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared/benchmarks/article-extraction"


def load_pages() -> tuple[list[str], list[str], str]:
    if BENCH.is_dir():
        html = [
            decode_bytes(gzip.decompress(p.read_bytes()), is_html=True)[0]
            for p in sorted((BENCH / "html").glob("*.html.gz"))
        ]
        with open(BENCH / "text-dumps.jsonl", encoding="utf-8") as fh:
            text = [json.loads(line)["text"] for line in fh if line.strip()]
        return html, text, str(BENCH)
    ex = REPO / "examples"
    html = [decode_bytes(p.read_bytes(), is_html=True)[0] for p in sorted(ex.rglob("*.htm*"))]
    text = [p.read_text(encoding="utf-8") for p in sorted(ex.rglob("*.txt"))]
    return html, text, str(ex)


def timed(fn, pages: list[str], repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    fn(pages[0])
    out = []
    for _ in range(repeat):
        for p in pages:
            t = time.perf_counter()
            fn(p)
            out.append((time.perf_counter() - t) * 1000)
    return out


def report(name: str, ms: list[float], chars: int) -> None:
    ms_sorted = sorted(ms)
    p95 = ms_sorted[int(0.95 * (len(ms_sorted) - 1))]
    total_s = sum(ms) / 1000
    print(
        f"{name:<11} pages={len(ms):>4}  mean={statistics.mean(ms):7.2f} ms  "
        f"median={statistics.median(ms):7.2f} ms  p95={p95:7.2f} ms  max={ms_sorted[-1]:7.1f} ms  "
        f"{chars / 1e6 / total_s:5.2f} MB/s"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    html, text, where = load_pages()
    is_word = Pipeline().is_word
    print(
        f"corpus: {where}  machine: {platform.machine()} {platform.python_implementation()} "
        f"{platform.python_version()}"
    )
    report("html", timed(lambda p: extract_html(p), html, args.repeat), sum(map(len, html)) * args.repeat)
    report(
        "text dumps",
        timed(lambda p: text_metadata(clean_text_dump(p, is_word=is_word)), text, args.repeat),
        sum(map(len, text)) * args.repeat,
    )


if __name__ == "__main__":
    main()
