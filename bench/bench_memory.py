"""Peak memory of an ingest, and whether it grows with the corpus (dev tool, no asserts).

Runs the ingest in a subprocess and samples the resident set size of its whole process
tree (the ingesting process plus its spawned workers) every ``--interval`` seconds with
psutil. Prints the peak total RSS, the peak of the main process alone (where the
cross-article steps and DuckDB live; worker RSS is bounded by the model and one batch), the
rate, and the RSS at 10%, 50% and 100% of progress, so a growth with corpus size shows.

The subprocess calls ``legation.ingest.runner.ingest`` (the function behind ``legation
ingest``) with a progress callback that prints ``PROGRESS done total`` lines: the CLI only
shows its progress bar on a terminal, and the sampler needs to know how far the run is.

Usage::

    .venv/bin/python bench/bench_memory.py --corpus /tmp/corpus --db /tmp/m.duckdb --workers 2 --limit 2000
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil  # type: ignore[import-untyped]

CHILD = """
import sys, time
from legation.ingest.runner import ingest
paths, db, workers = sys.argv[1:-2], sys.argv[-2], int(sys.argv[-1])
t0 = time.time()
def progress(done, total):
    print(f"PROGRESS {done} {total} {time.time() - t0:.2f}", flush=True)
r = ingest(paths, db=db, workers=workers, progress=progress)
print(f"DONE added={r.added} duplicates={r.duplicates} errors={len(r.errors)} "
      f"articles={r.articles}", flush=True)
"""


@dataclass
class Sample:
    t: float
    done: int
    total: int
    main_rss: int
    tree_rss: int


@dataclass
class Run:
    samples: list[Sample] = field(default_factory=list)
    done: int = 0
    total: int = 0
    first_progress_t: float | None = None
    lines: list[str] = field(default_factory=list)


def limited_corpus(corpus: Path, limit: int, tmp: Path) -> list[str]:
    """The first ``limit`` articles of ``corpus`` (JSONL records and .txt pages in the same
    proportion as the full corpus), copied under ``tmp``."""
    jsonl = sorted((corpus / "jsonl").glob("*.jsonl"))
    txt = sorted((corpus / "txt").glob("*.txt"))
    n_json_total = sum(1 for f in jsonl[:1] for _ in f.open(encoding="utf-8")) * len(jsonl)
    share = len(txt) / max(1, len(txt) + n_json_total)
    n_txt = int(limit * share)
    left = limit - n_txt
    (tmp / "jsonl").mkdir(parents=True)
    (tmp / "txt").mkdir(parents=True)
    for f in jsonl:
        if left <= 0:
            break
        with f.open(encoding="utf-8") as src:
            lines = [line for _, line in zip(range(left), src, strict=False)]
        (tmp / "jsonl" / f.name).write_text("".join(lines), encoding="utf-8")
        left -= len(lines)
    for f in txt[:n_txt]:
        (tmp / "txt" / f.name).write_bytes(f.read_bytes())
    return [str(tmp)]


def tree_rss(proc: psutil.Process) -> tuple[int, int]:
    """(RSS of ``proc``, RSS of ``proc`` and all its descendants), in bytes."""
    try:
        main = proc.memory_info().rss
    except psutil.Error:
        return 0, 0
    total = main
    try:
        kids = proc.children(recursive=True)
    except psutil.Error:
        kids = []
    for k in kids:
        with contextlib.suppress(psutil.Error):
            total += k.memory_info().rss
    return main, total


def run(paths: list[str], db: str, workers: int, interval: float) -> tuple[Run, float, int]:
    cmd = [sys.executable, "-c", CHILD, *paths, db, str(workers)]
    t0 = time.time()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    state = Run()
    ps = psutil.Process(p.pid)

    def reader() -> None:
        assert p.stdout is not None
        for line in p.stdout:
            line = line.strip()
            state.lines.append(line)
            if line.startswith("PROGRESS"):
                _, done, total, _t = line.split()
                state.done, state.total = int(done), int(total)
                if state.first_progress_t is None:
                    state.first_progress_t = time.time()
            elif line.startswith("DONE"):
                print(line, flush=True)

    th = threading.Thread(target=reader, daemon=True)
    th.start()
    last_print = 0.0
    while p.poll() is None:
        main, total = tree_rss(ps)
        now = time.time() - t0
        state.samples.append(Sample(now, state.done, state.total, main, total))
        if now - last_print > 60:
            last_print = now
            print(
                f"  t={now:7.0f}s  {state.done}/{state.total}  main {main / 2**20:7.0f} MiB"
                f"  tree {total / 2**20:7.0f} MiB",
                flush=True,
            )
        time.sleep(interval)
    th.join(timeout=5)
    return state, time.time() - t0, p.returncode


def at_fraction(samples: list[Sample], frac: float) -> Sample | None:
    """The sample with the highest tree RSS among those taken before ``frac`` of progress."""
    total = max((s.total for s in samples), default=0)
    if not total:
        return None
    upto = [s for s in samples if s.done <= frac * total and s.total]
    return max(upto, key=lambda s: s.tree_rss) if upto else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, required=True, help="folder made by bench/gen_corpus.py")
    ap.add_argument("--db", required=True, help="database file (removed first if it exists)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=None, help="ingest only the first K articles")
    ap.add_argument("--interval", type=float, default=0.5, help="seconds between RSS samples")
    ap.add_argument("--samples", type=Path, default=None, help="write every sample as JSONL here")
    args = ap.parse_args()
    for suffix in ("", ".wal"):
        Path(args.db + suffix).unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="legation-mem-") as tmp:
        paths = limited_corpus(args.corpus, args.limit, Path(tmp)) if args.limit else [str(args.corpus)]
        state, elapsed, code = run(paths, args.db, args.workers, args.interval)
    s = state.samples
    if args.samples:
        with args.samples.open("w", encoding="utf-8") as fh:
            for x in s:
                fh.write(json.dumps(x.__dict__) + "\n")
    if code != 0:
        print("\n".join(state.lines[-20:]), file=sys.stderr)
        print(f"ingest exited with {code}", file=sys.stderr)
    mib = 2**20
    peak_tree = max((x.tree_rss for x in s), default=0)
    peak_main = max((x.main_rss for x in s), default=0)
    print(f"articles processed: {state.done} of {state.total}  (workers={args.workers}, exit {code})")
    print(f"elapsed: {elapsed:.1f} s   rate: {state.done / elapsed:.1f} articles/s overall")
    proc_samples = [x for x in s if x.done > 0]
    if len(proc_samples) >= 2:
        a, b = proc_samples[0], proc_samples[-1]
        if b.t > a.t:
            print(f"rate while processing: {(b.done - a.done) / (b.t - a.t):.1f} articles/s")
    print(f"peak RSS: tree {peak_tree / mib:.0f} MiB, main process {peak_main / mib:.0f} MiB")
    for frac in (0.1, 0.5, 1.0):
        at = at_fraction(s, frac)
        if at is not None:
            print(
                f"  up to {int(frac * 100):3d}% ({at.done} articles, t={at.t:.0f}s): "
                f"tree {at.tree_rss / mib:.0f} MiB, main {at.main_rss / mib:.0f} MiB"
            )
    if Path(args.db).exists():
        print(f"database size: {Path(args.db).stat().st_size / mib:.0f} MiB")


if __name__ == "__main__":
    main()
