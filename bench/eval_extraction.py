"""Article-extraction benchmark through the product: ingest -> export -> score.py extraction.

The HTML pages (gzipped in the benchmark) are wrapped into contract JSONL records
(``id``, ``url``, ``html``; bytes decoded with our encoding detection, as a file would be);
the text dumps are already contract records. Both are ingested with ``legation ingest`` into
fresh databases, exported with ``legation export articles``, and scored with the shared
scorer, so the figures are those a user gets.

    python bench/eval_extraction.py [--workers N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from legation.ingest.encoding import decode_bytes

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO.parent / "shared/benchmarks/article-extraction"
SCORE = REPO.parent / "shared/tools/score.py"
LEGATION = [sys.executable, "-m", "legation.cli"]


def html_records(out: Path) -> Path:
    gt = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    with open(out, "w", encoding="utf-8") as fh:
        for p in sorted((BENCH / "html").glob("*.html.gz")):
            pid = p.name.removesuffix(".html.gz")
            html, _ = decode_bytes(gzip.decompress(p.read_bytes()), is_html=True)
            fh.write(json.dumps({"id": pid, "url": gt.get(pid, {}).get("url"), "html": html}) + "\n")
    return out


def run(form: str, records: Path, tmp: Path, workers: int) -> dict[str, float]:
    db = tmp / f"{form}.duckdb"
    t = time.perf_counter()
    subprocess.run(
        [*LEGATION, "ingest", str(records), "--db", str(db), "-q", "--workers", str(workers)], check=True
    )
    secs = time.perf_counter() - t
    pred = tmp / f"{form}.articles.jsonl"
    subprocess.run([*LEGATION, "export", "articles", "--db", str(db), "-o", str(pred)], check=True)
    res = subprocess.run(
        [
            sys.executable,
            str(SCORE),
            "extraction",
            "--gold",
            str(BENCH / "ground-truth.json"),
            "--pred",
            str(pred),
            "--json",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    out: dict[str, float] = json.loads(res.stdout)
    out["ingest_seconds"] = round(secs, 1)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    if not BENCH.is_dir():
        sys.exit(f"{BENCH} not found")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for form, rec in (
            ("html", html_records(tmp / "html.jsonl")),
            ("text dumps", BENCH / "text-dumps.jsonl"),
        ):
            r = run(form.replace(" ", "_"), rec, tmp, args.workers)
            print(
                f"{form:<11} F1={r['f1']:.4f}  precision={r['precision']:.4f}  recall={r['recall']:.4f}  "
                f"pages={r['pages']}  missing={r['missing']}  ingest={r['ingest_seconds']}s"
            )


if __name__ == "__main__":
    main()
