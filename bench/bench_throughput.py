"""Ingest throughput against the bare spaCy pipeline on the same texts (dev tool, no asserts).

Why this comparison: the spaCy parse is the one cost the product cannot avoid doing better
than spaCy itself, so "articles per second through ``legation ingest`` divided by articles per
second through ``nlp.pipe`` on the same clean bodies" says how much the rest of the system
(cleaning, actor resolution, event coding, fingerprints, DuckDB writes) costs on top of it.
A ratio above 1.0 is possible because the pipeline only parses the sentences that can hold an
event, a claim or an agreement (``legation.select``), while bare spaCy parses everything.

Usage::

    .venv/bin/python bench/bench_throughput.py [PATH ...] [--limit N] [--repeat R] [--workers 1 2]

Default corpus: the article-extraction benchmark text dumps plus ``examples/``. Both
measurements run in this process, back to back and repeated, because the machine is shared
and only a ratio taken within one run means anything.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from legation.pipeline import PipelineConfig

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = [
    REPO.parent / "shared" / "benchmarks" / "article-extraction" / "text-dumps.jsonl",
    REPO / "examples",
]


def corpus_files(paths: list[Path], limit: int | None, tmp: Path) -> list[Path]:
    """The inputs to ingest; with ``--limit``, JSONL files are cut to the first N records."""
    if limit is None:
        return paths
    out: list[Path] = []
    left = limit
    for p in paths:
        if left <= 0:
            break
        if p.suffix == ".jsonl":
            lines = p.read_text(encoding="utf-8").splitlines()[:left]
            cut = tmp / f"limit-{p.name}"
            cut.write_text("\n".join(lines) + "\n", encoding="utf-8")
            out.append(cut)
            left -= len(lines)
        else:
            out.append(p)
    return out


def clean_texts(files: list[Path]) -> list[str]:
    """The clean article bodies the ingest would parse (ingested once, read back from the store)."""
    import duckdb

    from legation.ingest.runner import ingest

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "clean.duckdb"
        ingest(files, db=db, workers=1)
        con = duckdb.connect(str(db), read_only=True)
        try:
            return [r[0] for r in con.execute("SELECT text FROM articles ORDER BY seq").fetchall()]
        finally:
            con.close()


def parsed_share(texts: list[str], config: PipelineConfig) -> float:
    """Share of the characters the select stage sends to the full spaCy pipeline."""
    from legation.models import Article, RawDoc
    from legation.pipeline import Context, Pipeline
    from legation.select import SelectStage

    stage = SelectStage(Pipeline(config))
    parsed = 0
    for text in texts:
        ctx = Context()
        stage(Article(id="x", source="x", input_key="x", text=text), RawDoc("x", "text", text, "x"), ctx)
        spans = ctx.parse_spans
        parsed += len(text) if spans is None else sum(e - s for s, e in spans)
    return parsed / max(1, sum(len(t) for t in texts))


def bare_spacy(nlp: Any, texts: list[str]) -> float:
    """Seconds for ``nlp.pipe`` over the texts with every default component (one process)."""
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    return time.perf_counter() - t0


class Timings:
    """Accumulated seconds per label; nested labels are subtracted from their parent later."""

    def __init__(self) -> None:
        self.secs: dict[str, float] = defaultdict(float)

    @contextmanager
    def time(self, label: str) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.secs[label] += time.perf_counter() - t0


class _TimedNlp:
    """Wraps the spaCy Language so calls to it (the parse) are timed apart from the stage."""

    def __init__(self, nlp: Any, timings: Timings) -> None:
        self._nlp = nlp
        self._t = timings

    def __call__(self, *a: Any, **k: Any) -> Any:
        with self._t.time("spacy"):
            return self._nlp(*a, **k)

    def pipe(self, *a: Any, **k: Any) -> Any:
        with self._t.time("spacy"):
            return list(self._nlp.pipe(*a, **k))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._nlp, name)


def instrumented_ingest(
    files: list[Path], db: Path, config: PipelineConfig
) -> tuple[float, int, dict[str, float]]:
    """One in-process ingest with stage, parse and write times recorded.

    Returns (seconds, articles added, seconds per part). Instrumentation costs a few
    ``perf_counter`` calls per article, well under 1% of the run.
    """
    from legation.ingest import runner
    from legation.pipeline import Pipeline

    t = Timings()
    pipe = Pipeline(config)
    pipe._nlp = _TimedNlp(pipe.nlp, t)  # load outside the timed region, like a warm worker
    _ = pipe.is_word, pipe.actors
    for stage in pipe.stages:
        _ = getattr(stage, "matcher", None)  # build phrase matchers before timing, too
    pipe.stages = [_TimedStage(s, t) for s in pipe.stages]
    orig_write = runner._write_batch

    def write(*a: Any, **k: Any) -> None:
        with t.time("db write"):
            orig_write(*a, **k)

    runner._write_batch = write  # type: ignore[assignment]
    steps = _time_crossdoc(t)
    try:
        t0 = time.perf_counter()
        rep = runner.ingest(files, db=db, workers=1, pipeline=pipe)
        total = time.perf_counter() - t0
    finally:
        runner._write_batch = orig_write  # type: ignore[assignment]
        if steps is not None:
            from legation.crossdoc import update

            update.STEPS[:] = steps
    secs = dict(t.secs)
    # spaCy runs inside the parse stage: "parse" is the stage's own work (tokenizing, the
    # arrays written back, flat trees), "spacy" the model's.
    secs["parse"] = secs.get("parse", 0.0) - secs.get("spacy", 0.0)
    # Cross-article steps run inside the batch write: report them apart from the inserts.
    cross = sum(v for k, v in secs.items() if k.startswith("crossdoc:"))
    if "db write" in secs:
        secs["db write"] -= cross
    secs["read/plan/other"] = total - sum(v for k, v in secs.items())
    return total, rep.added, secs


def _time_crossdoc(t: Timings) -> list[Any] | None:
    """Wrap each cross-article step (stories, clusters, claims...) with a timer; old list back."""
    try:
        from legation.crossdoc import update
    except ImportError:  # an older tree without cross-article steps
        return None
    old = list(update.STEPS)

    def wrap(name: str, fn: Any) -> Any:
        def timed(*a: Any) -> None:
            with t.time(f"crossdoc:{name}"):
                fn(*a)

        return timed

    update.STEPS[:] = [(name, wrap(name, fn)) for name, fn in old]
    return old


class _TimedStage:
    """A stage wrapper that adds the stage's wall time to ``timings`` under its name."""

    def __init__(self, stage: Any, timings: Timings) -> None:
        self._s, self._t = stage, timings
        self.name, self.reads, self.writes = stage.name, stage.reads, stage.writes

    def __call__(self, *a: Any) -> None:
        with self._t.time(self.name):
            self._s(*a)

    def parse_many(self, *a: Any) -> None:
        with self._t.time(self.name):
            self._s.parse_many(*a)


def plain_ingest(files: list[Path], db: Path, workers: int, config: PipelineConfig) -> tuple[float, int]:
    """Seconds and articles for ``legation ingest --workers N`` (the library call behind it).

    For one worker the runner stays in-process, so the model load is part of the time; it is
    paid once per worker in the product too. The bench reports it apart (``load``) and
    subtracts it for the steady-state ratio.
    """
    from legation.ingest.runner import ingest

    t0 = time.perf_counter()
    rep = ingest(files, db=db, workers=workers, config=config)
    return time.perf_counter() - t0, rep.added


def model_load_seconds() -> float:
    """What loading the model, lexicon and dictionary costs a fresh worker."""
    from legation.pipeline import Pipeline

    t0 = time.perf_counter()
    p = Pipeline()
    _ = p.nlp, p.is_word, p.actors
    for s in p.stages:
        _ = getattr(s, "matcher", None)
    return time.perf_counter() - t0


def event_model_load() -> tuple[float, float, float]:
    """Seconds to load the shipped event classifier (weights and wordllama embeddings), and
    the resident memory (MB) before and after, in this process."""
    import resource

    from legation.learn.features import embedder
    from legation.learn.model import EventModel
    from legation.learn.train import SHIPPED

    def rss_mb() -> float:
        # Current RSS from /proc (Linux); ru_maxrss (the peak) where /proc is absent.
        status = Path("/proc/self/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    embedder.cache_clear()  # measure a cold load, as a fresh worker pays it
    before = rss_mb()
    t0 = time.perf_counter()
    model = EventModel.load(SHIPPED)
    embedder()
    model.score(["warm-up sentence."])
    return time.perf_counter() - t0, before, rss_mb()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", type=Path, help="files/folders (default: benchmark dumps + examples)")
    ap.add_argument("--limit", type=int, default=None, help="first N records of JSONL inputs")
    ap.add_argument("--repeat", type=int, default=2, help="bare/ingest pairs to run (median reported)")
    ap.add_argument("--workers", type=int, nargs="*", default=[1], help="worker counts to scale over")
    ap.add_argument("--parse-all", action="store_true", help="parse every paragraph (no skipping)")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = ap.parse_args()

    import spacy

    from legation.pipeline import DEFAULT_MODEL

    config = PipelineConfig(extra={"parse_all": args.parse_all})
    with tempfile.TemporaryDirectory() as tmpd:
        tmp = Path(tmpd)
        files = corpus_files(args.paths or DEFAULT_CORPUS, args.limit, tmp)
        texts = clean_texts(files)
        n = len(texts)
        chars = sum(len(x) for x in texts)
        print(f"corpus: {n} articles, {chars} characters of clean text, from {[str(f) for f in files]}")
        if config.skip_eventless:
            share = parsed_share(texts, config)
            print(f"select stage: {100 * share:.1f}% of characters get the full pipeline")
        nlp = spacy.load(DEFAULT_MODEL)
        bare_spacy(nlp, texts[:5])  # warm-up
        ev_load, rss_before, rss_after = event_model_load()
        print(
            "event classifier (weights from the package, wordllama embeddings from its wheel):"
        )
        print(
            f"  load {ev_load:.2f} s; resident memory {rss_before:.0f} MB before, "
            f"{rss_after:.0f} MB after (+{rss_after - rss_before:.0f} MB)"
        )
        load = model_load_seconds()
        bare, ing, breakdowns, cpu_ratios = [], [], [], []
        for r in range(args.repeat):
            c0 = time.process_time()
            b = bare_spacy(nlp, texts)
            c1 = time.process_time()
            secs, added, parts = instrumented_ingest(files, tmp / f"i{r}.duckdb", config)
            c2 = time.process_time()
            bare.append(n / b)
            ing.append(added / secs)
            breakdowns.append((secs, parts))
            # CPU seconds of this process: what the run cost, whatever else the machine runs
            # (wall-clock ratios swing from 0.8 to 1.7 when other jobs share the two cores).
            cpu_ratios.append((added / (c2 - c1)) / (n / (c1 - c0)))
            print(
                f"  run {r + 1}: bare {n / b:6.2f} art/s   ingest {added / secs:6.2f} art/s"
                f"   ratio {(added / secs) / (n / b):.2f}   CPU-time ratio {cpu_ratios[-1]:.2f}"
            )
        ratios = [i / b for i, b in zip(ing, bare, strict=True)]
        print(f"bare spaCy ({DEFAULT_MODEL}, nlp.pipe, 1 process): {statistics.median(bare):.2f} art/s")
        print(f"legation ingest (1 worker, warm model):           {statistics.median(ing):.2f} art/s")
        per_run = ", ".join(f"{x:.2f}" for x in ratios)
        print(f"ratio ingest/bare: {statistics.median(ratios):.2f}  (per run: {per_run})")
        per_cpu = ", ".join(f"{x:.2f}" for x in cpu_ratios)
        print(f"CPU-time ratio ingest/bare: {statistics.median(cpu_ratios):.2f}  (per run: {per_cpu})")
        print(f"model + lexicon + dictionary load per worker: {load:.2f} s (not in the ratio)")
        secs, parts = breakdowns[-1]
        cross = sum(v for k, v in parts.items() if k.startswith("crossdoc:"))
        if cross:
            own = statistics.median(bare)
            print(
                f"ratio without the cross-article steps (per-article stages + inserts): "
                f"{n / (secs - cross) / own:.2f}"
            )
        print(f"where the time goes (last run, {secs:.2f} s):")
        for k, v in sorted(parts.items(), key=lambda kv: -kv[1]):
            print(f"  {k:<16} {v:7.2f} s  {100 * v / secs:5.1f}%")
        scale: dict[int, float] = {}
        if args.workers != [1]:
            for w in args.workers:
                s, added = plain_ingest(files, tmp / f"w{w}.duckdb", w, config)
                scale[w] = added / s
                print(f"  legation ingest --workers {w}: {s:.2f} s, {added / s:.2f} art/s (incl. model load)")
            if 1 in scale:
                for w in args.workers:
                    print(f"  speed-up {w} workers vs 1: {scale[w] / scale[1]:.2f}x")
        if args.json:
            print(
                json.dumps(
                    {
                        "articles": n,
                        "bare_art_s": bare,
                        "ingest_art_s": ing,
                        "ratios": ratios,
                        "breakdown": parts,
                        "scaling": scale,
                        "load_s": load,
                        "event_model_load_s": ev_load,
                        "rss_mb": [rss_before, rss_after],
                    }
                )
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
