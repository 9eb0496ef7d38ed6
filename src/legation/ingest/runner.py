"""The ingest run: inputs -> per-article stages (in workers) -> cross-article stages -> store.

Two streaming passes over the inputs:

1. **Plan**: read every input, give each article its id, drop the ones already stored, and
   count, per site, the lines each new page holds (the site's chrome memory). Nothing but
   ids and line counts is kept, so memory does not grow with the size of the articles; the
   line counts are 64-bit hashes (:class:`SiteLineCounts`), 16 bytes per distinct line.
2. **Process**: read the inputs again, clean each new article in a worker with a snapshot of
   its site's line counts (stored counts plus the whole run's), then, in the main process and
   in input order, find duplicates and write the batch in one transaction. The workers are
   this process, a local process pool (``workers``) or a Dask cluster (``dask``); all three
   go through the same batch loop (:func:`_run_batches`), which never holds more than three
   batches, so memory does not grow with the corpus.

Because the counts a page is cleaned with are the totals over everything stored plus
everything in the run, they do not depend on batch size, on the number of workers, or on
where an interrupted run stopped: a resumed run cleans every page exactly as an uninterrupted
run would.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from legation.clean.chrome import SiteChrome, line_key
from legation.crossdoc.dedup import Fingerprint, Known, Verdict, judge, version_key
from legation.crossdoc.update import finish_crossdoc, update_crossdoc
from legation.ingest.bounds import Bounds
from legation.ingest.executors import DaskExecutor, Executor, InProcess, PoolStarter, dask_client
from legation.ingest.site_counts import SiteLineCounts
from legation.ingest.sources import content_id, discover, read_inputs, site_of
from legation.ingest.work import (
    CHUNK,
    WorkItem,
)
from legation.models import Article, InputError, RawDoc, Skipped
from legation.pipeline import Pipeline, PipelineConfig
from legation.store.connect import LockTimeout, writer_lock
from legation.store.db import Store, StoreError, default_db_path
from legation.store.summary import refresh as refresh_summaries

ProgressFn = Callable[[int, int], None]
T = TypeVar("T")

# Articles per batch: handed to the workers together, then written and put through the
# cross-article steps in one transaction. The cross-article steps read a window of stored
# rows once per batch (stories within 10 days, event-cluster candidates within 31/120 days),
# so on a dense corpus their cost is mostly per batch: at 64 the ingesting process was the
# bottleneck at 12.8 articles/s on the 100k synthetic corpus (py-spy: 76% of its time in
# those steps) while the workers waited. 256 spreads that cost four times thinner; a kill
# still loses at most one batch, and three batches in flight stay a few MB.
BATCH_SIZE = 256


@dataclass
class IngestReport:
    """What an ingest did; ``exit_code`` follows the contract (0 all ingested, 1 some failed)."""

    files: int = 0
    articles: int = 0
    added: int = 0
    already_stored: int = 0
    duplicates: int = 0
    errors: list[InputError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    ignored: list[Path] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


@dataclass
class _Planned:
    id: str | None  # None: already stored, or an error
    site: str | None
    digest: str = ""  # the content's sha256 when planned: pass 2 must read the same bytes


def _digest(raw: RawDoc) -> str:
    return hashlib.sha256(raw.content.encode("utf-8", "surrogatepass")).hexdigest()


def chrome_site(raw: RawDoc) -> str | None:
    """The site a text page's lines are counted under; None when the site is unknown.

    Only a real site identity (the record's site or the URL's host) qualifies: pages that
    merely share a folder may come from many sites, and counting their lines together would
    let a story syndicated on several of them erase its own body.
    """
    if raw.fmt != "text":
        return None
    return raw.site.lower() if raw.site else site_of(raw.url)


def page_keys(raw: RawDoc) -> set[str]:
    keys = {line_key(line) for line in raw.content.splitlines()}
    keys.discard(None)
    return keys  # type: ignore[return-value]


# ------------------------------------------------------------------ main side
class _Ids:
    """Assigns ids in input order, consistently with what is stored.

    What is stored is looked up a block of inputs at a time (:meth:`prefetch`), not one
    query per input: 80 queries cost 0.71 s of the ingesting process's 3.0 s on 80 pages.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.run: dict[str, str] = {}  # id -> source, for ids new in this run
        self.stored: dict[str, str] = {}  # id -> source, stored before this run (prefetched)

    def prefetch(self, raws: Sequence[RawDoc]) -> None:
        """Look up every id the next inputs may take, in one query."""
        wanted = [
            i for r in raws for i in ((r.id,) if r.id else (content_id(r), content_id(r, salt=r.source)))
        ]
        self.stored = self.store.sources_of(wanted)

    def assign(self, raw: RawDoc) -> str | InputError | None:
        if raw.id:
            if raw.id in self.run:
                return InputError(
                    raw.path or raw.source, f"duplicate record id {raw.id!r} in this ingest", raw.locator
                )
            if raw.id in self.stored:
                return None
            self.run[raw.id] = raw.source
            return raw.id
        base = content_id(raw)
        stored_source = self.stored.get(base)
        if stored_source == raw.source or self.run.get(base) == raw.source:
            return None  # this very input was stored before
        if stored_source is None and base not in self.run:
            self.run[base] = raw.source
            return base
        # Same content from another source: a copy, kept under its own stable id.
        salted = content_id(raw, salt=raw.source)
        if salted in self.run or salted in self.stored:
            return None
        self.run[salted] = raw.source
        return salted


#: Inputs planned per id lookup (:meth:`_Ids.prefetch`): a few hundred raw pages in memory.
PLAN_BLOCK = 256


def _plan(
    store: Store,
    files: Sequence[Path],
    report: IngestReport,
    max_bytes: int,
    saw_new: Callable[[], None] | None = None,
) -> tuple[dict[str, _Planned], SiteLineCounts]:
    """The plan pass: ids in input order, and the line counts of the run's sites.

    The counts returned are frozen and already include what is stored for those sites, read
    before this run writes anything.
    """
    ids = _Ids(store)
    plan: dict[str, _Planned] = {}
    counts = SiteLineCounts()
    blocks = _batches(read_inputs(files, max_bytes), PLAN_BLOCK)
    for item in (x for block in blocks for x in _prefetched(ids, block)):
        if isinstance(item, Skipped):
            report.skipped.append(item)
            continue
        if isinstance(item, InputError):
            report.errors.append(item)
            continue
        report.articles += 1
        got = ids.assign(item)
        if isinstance(got, InputError):
            report.errors.append(got)
            plan[item.input_key] = _Planned(None, None)
            continue
        if got is None:
            report.already_stored += 1
            plan[item.input_key] = _Planned(None, None)
            continue
        site = chrome_site(item)
        if site:
            counts.add_page(site, page_keys(item))
        plan[item.input_key] = _Planned(got, site, _digest(item))
        if saw_new is not None:
            saw_new()
    sites = counts.sites()
    stored_docs = store.site_docs(sites)
    for site in sites:
        counts.add_stored(site, store.iter_site_lines(site), stored_docs.get(site, 0))
    counts.freeze()
    return plan, counts


def _prefetched(ids: _Ids, block: list[RawDoc | Skipped | InputError]) -> list[RawDoc | Skipped | InputError]:
    ids.prefetch([r for r in block if isinstance(r, RawDoc)])
    return block


def _work_items(
    files: Sequence[Path],
    plan: dict[str, _Planned],
    counts: SiteLineCounts,
    report: IngestReport,
    max_bytes: int,
) -> Iterator[WorkItem]:
    """Pass 2: each input read again, paired with its plan entry by its input key.

    Files can change between the passes. An input is processed only when it reads exactly as
    it was planned; one that changed or vanished is an error naming it (a re-run picks it up),
    and one that appeared after the plan is left for the next run. Pairing by position, as
    before, stored 99 articles under the id and source of the file before them when one file
    of 1,000 was deleted mid-ingest.
    """
    first_errors = {(e.source, e.locator) for e in report.errors}
    seen: set[str] = set()
    for item in read_inputs(files, max_bytes):
        if isinstance(item, Skipped):
            continue
        if isinstance(item, InputError):
            if (item.source, item.locator) not in first_errors:
                # It read in pass 1: changed, replaced or deleted since.
                why = f"{item.reason} (it read earlier in this ingest: changed since; not stored)"
                report.errors.append(InputError(item.source, why, item.locator))
                seen.add(item.source)  # named once, not again as disappeared
            continue
        p = plan.get(item.input_key)
        if p is None or item.input_key in seen:
            continue  # appeared after the plan: the next run stores it
        seen.add(item.input_key)
        if p.id is None:
            continue
        if _digest(item) != p.digest:
            why = "changed during the ingest; not stored (run again)"
            report.errors.append(InputError(item.path or item.source, why, item.locator))
            continue
        chrome = None
        if p.site:
            chrome = SiteChrome(counts.lookup(p.site, page_keys(item)), counts.docs(p.site))
        yield item, p.id, chrome
    for key, p in plan.items():
        if p.id is not None and key not in seen:
            report.errors.append(InputError(key, "disappeared during the ingest; not stored"))


def _batches(it: Iterable[T], n: int) -> Iterator[list[T]]:
    """``it`` in lists of ``n`` (the last shorter): work batches, and the plan's lookup blocks."""
    batch: list[T] = []
    for x in it:
        batch.append(x)
        if len(batch) >= n:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_batch(
    store: Store, items: list[WorkItem], results: list[Article | InputError], report: IngestReport
) -> None:
    """Duplicates and storage for one batch, in one transaction.

    Articles are compared in input order against the stored originals and against the
    batch's earlier originals, so the first copy seen is always the original.
    """
    arts = [r for r in results if isinstance(r, Article)]
    report.errors.extend(r for r in results if isinstance(r, InputError))
    # The site and line keys each page was cleaned with (pass 2 counted them): stored as the
    # site's line memory without splitting the page a third time.
    chrome = {it[1]: (chrome_site(it[0]), it[2]) for it in items if it[2] is not None}
    store.begin()
    try:
        verdicts = _judge(store, arts)
        seq = store.next_seq()
        rows: list[tuple[Article, int]] = []
        minhash: list[tuple[str, bytes, Sequence[int]]] = []
        pages: list[tuple[str, Iterable[str]]] = []
        for a, v in zip(arts, verdicts, strict=True):
            a.duplicate_of, a.version_of = v.duplicate_of, v.version_of
            rows.append((a, seq))
            seq += 1
            if a.duplicate_of is None:
                if a.minhash_bands:
                    minhash.append((a.id, a.minhash_signature, a.minhash_bands))
            else:
                report.duplicates += 1
            site, lines = chrome.get(a.id, (None, None))
            if site and lines is not None:
                pages.append((site, lines.counts.keys()))
        store.insert_articles(rows)
        store.insert_mentions(rows)
        store.insert_events(rows)
        store.insert_minhash(minhash)
        store.add_site_lines(pages)
        update_crossdoc(store, rows)
        store.commit()
        report.added += len(rows)
    except BaseException:
        store.rollback()
        raise


def _judge(store: Store, arts: list[Article]) -> list[Verdict]:
    """Duplicate and version verdicts for a batch against what is stored (pure in
    :func:`legation.crossdoc.dedup.judge`)."""
    keys = {a.id: version_key(a.url, a.input_key) for a in arts}
    cands = store.band_candidates({a.id: a.minhash_bands for a in arts if a.minhash_bands})
    known = Known(
        exact=store.originals_by_norm_hash([a.norm_hash for a in arts]),
        candidates=cands,
        signatures=store.signatures(sorted({c for cs in cands.values() for c in cs})),
        versions=store.versions_by_key(list(keys.values())),
    )
    fps = [Fingerprint(a.norm_hash, a.minhash_signature, tuple(a.minhash_bands)) for a in arts]
    return judge([(a.id, keys[a.id], fp) for a, fp in zip(arts, fps, strict=True)], known)


def _run_batches(
    executor: Executor,
    store: Store,
    items: Iterable[WorkItem],
    batch_size: int,
    report: IngestReport,
    total: int,
    progress: ProgressFn | None,
) -> None:
    """Submit batch by batch, two in flight while one is written, writing in input order.

    At most three batches exist at a time, whatever the corpus size: memory stays bounded.
    """
    done = 0
    pending: deque[tuple[list[WorkItem], object]] = deque()

    def write_oldest() -> None:
        nonlocal done
        b, handle = pending.popleft()
        with store.released():  # readers get in while the workers clean the batch
            results = executor.result(handle)
        _write_batch(store, b, results, report)
        done += len(b)
        if progress:
            progress(done, total)

    for batch in _batches(items, batch_size):
        pending.append((batch, executor.submit(batch)))
        if len(pending) > 2:  # two batches in flight while one is written
            write_oldest()
    while pending:
        write_oldest()


def _batch_size(asked: int, total: int, workers: int) -> int:
    """Articles per batch: as asked, but with worker processes at least four batches when the
    run is smaller than four batches, in whole chunks. One batch per run leaves nothing for the
    workers to do while it is written; with four, three of the four writes overlap the
    workers' next batch (80 pages, 2 workers: see docs/performance.md). Results do not depend
    on it (the cross-article steps are incremental and equal to one batch)."""
    if workers <= 1 or total >= 4 * asked:
        return asked
    return max(CHUNK, min(asked, -(-total // 4 // CHUNK) * CHUNK))


def _finish_crossdoc(store: Store) -> None:
    """Remake what out-of-order batches left in storage order, in one transaction
    (:func:`legation.crossdoc.update.finish_crossdoc`)."""
    store.begin()
    try:
        finish_crossdoc(store)
        store.commit()
    except BaseException:
        store.rollback()
        raise


def ingest(
    paths: Iterable[str | Path],
    *,
    db: str | Path | None = None,
    workers: int | None = None,
    config: PipelineConfig | None = None,
    progress: ProgressFn | None = None,
    batch_size: int = BATCH_SIZE,
    pipeline: Pipeline | None = None,
    dask: str | None = None,
    bounds: Bounds | None = None,
) -> IngestReport:
    """Ingest files and folders into the database; the library function behind ``legation ingest``.

    Args:
        paths: files and folders (read recursively).
        db: database path (default ``$LEGATION_DB`` or ``./legation.duckdb``).
        workers: worker processes for the per-article stages (default: all cores; with
            ``dask="local"``, the local cluster's size, default 2). Results do not depend on it.
        config: which model the pipeline loads.
        progress: called as ``progress(done, total)`` after each batch.
        batch_size: articles per transaction.
        pipeline: an already loaded pipeline to use in-process (tests, notebooks).
        dask: run the per-article stages on a Dask cluster: a scheduler address
            (``tcp://host:8786``) or ``"local"`` for a cluster started (and stopped) here.
            Duplicates, cross-article stages and writes stay in this process. Results do not
            depend on it. Needs ``pip install 'legation[dask]'``.
        bounds: the per-input bounds (:class:`legation.ingest.bounds.Bounds`: bytes read,
            HTML markup, characters handed to the model, wall time); default: those of
            ``config`` (the defaults). An input over a bound is a named error; the run goes
            on. With ``pipeline``, that pipeline runs under them for this call.

    Returns:
        An :class:`IngestReport`. Raises ``UsageError`` when a path does not exist, or when
        Dask is asked for but not installed or its scheduler cannot be reached.
    """
    found = discover(paths)
    report = IngestReport(files=len(found.files), errors=list(found.errors), ignored=found.ignored)
    if bounds is not None:
        config = replace(config or PipelineConfig(), bounds=bounds)
    limits = bounds or (pipeline.config if pipeline else config or PipelineConfig()).bounds
    with ExitStack() as stack:
        if pipeline is not None and bounds is not None:
            stack.enter_context(_bounded(pipeline, bounds))
        client = None
        if dask:
            # Connect before planning, so a wrong address fails at once, not after a long plan.
            client, cluster = dask_client(dask, workers)
            if cluster is not None:
                stack.callback(cluster.close)
            stack.callback(client.close)
        pool_workers = max(1, workers or os.cpu_count() or 1)
        try:
            stack.enter_context(writer_lock(str(db or default_db_path())))
        except LockTimeout as exc:
            raise StoreError(str(exc)) from exc
        store = stack.enter_context(Store(db))
        run_id = uuid.uuid4().hex[:12]
        store.start_run(run_id, len(found.files))
        starter = PoolStarter(pool_workers if client is None and pipeline is None else 1, config)
        stack.callback(starter.close)
        plan, counts = _plan(store, found.files, report, limits.max_bytes, starter.saw_new)
        total = sum(1 for p in plan.values() if p.id)
        if progress:
            progress(0, total)
        items = _work_items(found.files, plan, counts, report, limits.max_bytes)
        executor: Executor
        if client is not None:
            executor = DaskExecutor(client, config or PipelineConfig())
        elif starter.pool is not None:
            executor, starter.pool = starter.pool, None
        else:
            executor = InProcess(pipeline or Pipeline(config))
        try:
            parallel = 1 if isinstance(executor, InProcess) else pool_workers
            _run_batches(
                executor, store, items, _batch_size(batch_size, total, parallel), report, total, progress
            )
        finally:
            executor.close()
        _finish_crossdoc(store)
        refresh_summaries(store.con)  # what the API aggregates, for the rows just written
        store.record_errors(run_id, report.errors)
        store.finish_run(run_id, report.added, report.already_stored, len(report.errors))
    return report


@contextmanager
def _bounded(pipeline: Pipeline, bounds: Bounds) -> Iterator[None]:
    """``pipeline`` under ``bounds`` for the block (a loaded pipeline handed to :func:`ingest`)."""
    before = pipeline.config
    pipeline.config = replace(before, bounds=bounds)
    try:
        yield
    finally:
        pipeline.config = before
