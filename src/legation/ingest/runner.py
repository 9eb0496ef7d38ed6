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
import logging
import multiprocessing
import os
import threading
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legation.clean.chrome import SiteChrome, line_key
from legation.crossdoc.dedup import NEAR_THRESHOLD, jaccard
from legation.crossdoc.update import finish_crossdoc, update_crossdoc
from legation.ingest.site_counts import SiteLineCounts
from legation.ingest.sources import UsageError, content_id, discover, read_inputs, site_of
from legation.ingest.work import WorkItem, chunks, init_worker, process_many, process_one, work_chunk
from legation.models import Article, InputError, RawDoc, Skipped
from legation.pipeline import Pipeline, PipelineConfig
from legation.store.connect import LockTimeout, writer_lock
from legation.store.db import Store, StoreError, default_db_path

ProgressFn = Callable[[int, int], None]

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
    """Assigns ids in input order, consistently with what is stored."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.run: dict[str, str] = {}  # id -> source, for ids new in this run

    def assign(self, raw: RawDoc) -> str | InputError | None:
        if raw.id:
            if raw.id in self.run:
                return InputError(
                    raw.path or raw.source, f"duplicate record id {raw.id!r} in this ingest", raw.locator
                )
            if self.store.existing_ids([raw.id]):
                return None
            self.run[raw.id] = raw.source
            return raw.id
        base = content_id(raw)
        stored_source = self.store.source_of(base)
        if stored_source == raw.source or self.run.get(base) == raw.source:
            return None  # this very input was stored before
        if stored_source is None and base not in self.run:
            self.run[base] = raw.source
            return base
        # Same content from another source: a copy, kept under its own stable id.
        salted = content_id(raw, salt=raw.source)
        if salted in self.run or self.store.existing_ids([salted]):
            return None
        self.run[salted] = raw.source
        return salted


def _plan(
    store: Store, files: Sequence[Path], report: IngestReport
) -> tuple[dict[str, _Planned], SiteLineCounts]:
    """The plan pass: ids in input order, and the line counts of the run's sites.

    The counts returned are frozen and already include what is stored for those sites, read
    before this run writes anything.
    """
    ids = _Ids(store)
    plan: dict[str, _Planned] = {}
    counts = SiteLineCounts()
    for item in read_inputs(files):
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
    sites = counts.sites()
    stored_docs = store.site_docs(sites)
    for site in sites:
        counts.add_stored(site, store.iter_site_lines(site), stored_docs.get(site, 0))
    counts.freeze()
    return plan, counts


def _work_items(
    files: Sequence[Path], plan: dict[str, _Planned], counts: SiteLineCounts, report: IngestReport
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
    for item in read_inputs(files):
        if isinstance(item, Skipped):
            continue
        if isinstance(item, InputError):
            if (item.source, item.locator) not in first_errors:
                report.errors.append(item)  # it read in pass 1: changed or deleted since
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


def _batches(it: Iterable[WorkItem], n: int) -> Iterator[list[WorkItem]]:
    batch: list[WorkItem] = []
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
    raws = {it[1]: it[0] for it in items}
    store.begin()
    try:
        exact = store.originals_by_norm_hash([a.norm_hash for a in arts])
        cands = store.band_candidates({a.id: a.minhash_bands for a in arts if a.minhash_bands})
        sigs = store.signatures(sorted({c for cs in cands.values() for c in cs}))
        batch_bands: dict[tuple[int, int], list[str]] = defaultdict(list)
        seq = store.next_seq()
        rows: list[tuple[Article, int]] = []
        minhash: list[tuple[str, bytes, Sequence[int]]] = []
        pages: list[tuple[str, Iterable[str]]] = []
        for a in arts:
            dup = exact.get(a.norm_hash)
            if dup is None and a.minhash_bands:
                pool = list(cands.get(a.id, []))
                pool += [c for i, h in enumerate(a.minhash_bands) for c in batch_bands.get((i, h), [])]
                best, best_j = None, NEAR_THRESHOLD
                for c in dict.fromkeys(pool):
                    j = jaccard(a.minhash_signature, sigs[c])
                    if j >= best_j and (best is None or j > best_j):
                        best, best_j = c, j
                dup = best
            a.duplicate_of = dup
            rows.append((a, seq))
            seq += 1
            if dup is None:
                exact.setdefault(a.norm_hash, a.id)
                if a.minhash_bands:
                    minhash.append((a.id, a.minhash_signature, a.minhash_bands))
                    sigs[a.id] = a.minhash_signature
                    for i, h in enumerate(a.minhash_bands):
                        batch_bands[(i, h)].append(a.id)
            else:
                report.duplicates += 1
            site = chrome_site(raws[a.id])
            if site:
                pages.append((site, page_keys(raws[a.id])))
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


class _Executor:
    """Runs the per-article stages for a batch; ``submit`` returns a handle, ``result`` waits.

    The three kinds (in-process, local process pool, Dask cluster) share one loop,
    :func:`_run_batches`, which keeps at most two batches in flight and writes them in order.
    """

    def submit(self, batch: list[WorkItem]) -> object:
        raise NotImplementedError

    def result(self, handle: object) -> list[Article | InputError]:
        """The batch's results, in input order."""
        raise NotImplementedError

    def close(self) -> None:
        """Release workers; called once, also after an error."""


class _InProcess(_Executor):
    """The per-article stages in this process, run when the batch's results are asked for."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def submit(self, batch: list[WorkItem]) -> object:
        return batch

    def result(self, handle: object) -> list[Article | InputError]:
        batch: list[WorkItem] = handle  # type: ignore[assignment]
        return [r for chunk in chunks(batch) for r in process_many(self.pipeline, chunk)]


class _LocalPool(_Executor):
    """Worker processes on this machine, each loading the pipeline once."""

    def __init__(self, workers: int, config: PipelineConfig) -> None:
        # spawn, not fork: the parent holds a DuckDB connection and its threads, which a
        # forked child must not inherit.
        self.pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=init_worker,
            initargs=(config, os.getpid()),
        )

    def submit(self, batch: list[WorkItem]) -> object:
        return [self.pool.submit(work_chunk, chunk) for chunk in chunks(batch)]

    def result(self, handle: object) -> list[Article | InputError]:
        futs: list[Future[list[Article | InputError]]] = handle  # type: ignore[assignment]
        return [r for f in futs for r in f.result()]

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class _Dask(_Executor):
    """Tasks on a Dask cluster, one per article; each worker caches its pipeline (:func:`_dask_work`)."""

    def __init__(self, client: Any, config: PipelineConfig) -> None:
        self.client = client
        self.config = config

    def submit(self, batch: list[WorkItem]) -> object:
        # pure=False: a resumed or repeated run must not be answered from another run's keys.
        return self.client.map(_dask_work, batch, config=self.config, pure=False)

    def result(self, handle: object) -> list[Article | InputError]:
        try:
            got: list[Article | InputError] = self.client.gather(handle)  # input order
        except Exception as exc:  # per-article failures are results: this is the cluster failing
            raise RuntimeError(f"the Dask cluster failed: {type(exc).__name__}: {exc}") from exc
        return got


# Pipelines loaded in a Dask worker process, per thread and config: a worker keeps its model
# loaded from one task to the next. Per thread because a pipeline is not shared between
# concurrently running tasks; run workers with one thread each (``--nthreads 1``) to load
# the model once per process.
_DASK_PIPELINES = threading.local()


def _dask_work(item: WorkItem, config: PipelineConfig) -> Article | InputError:
    cache: dict[str, Pipeline] | None = getattr(_DASK_PIPELINES, "cache", None)
    if cache is None:
        cache = _DASK_PIPELINES.cache = {}
    key = repr(config)
    pipe = cache.get(key)
    if pipe is None:
        pipe = cache[key] = Pipeline(config)
    return process_one(pipe, *item)


DASK_MISSING = "--dask needs Dask's distributed scheduler: pip install 'legation[dask]'"


def _dask_client(address: str, workers: int | None) -> tuple[Any, Any]:
    """A connected ``distributed.Client`` and the LocalCluster started for it (or None).

    Raises ``UsageError`` when distributed is not installed or the scheduler cannot be reached.
    """
    try:
        import distributed  # the dask extra: optional, imported where it is used
    except ImportError as exc:
        raise UsageError(DASK_MISSING) from exc
    Client: Any = distributed.Client  # untyped third-party API
    LocalCluster: Any = distributed.LocalCluster
    if address == "local":
        # A cluster owned by this run: its failures reach us through the results, so Dask's
        # own logs (heartbeats lost and workers killed while it shuts down) are only noise.
        cluster = LocalCluster(
            n_workers=workers or 2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.CRITICAL,
        )
        try:
            return Client(cluster), cluster
        except BaseException:
            cluster.close()
            raise
    try:
        return Client(address), None
    except (OSError, ValueError) as exc:  # TimeoutError is an OSError
        raise UsageError(f"cannot connect to the Dask scheduler at {address}: {exc}") from exc


def _run_batches(
    executor: _Executor,
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

    Returns:
        An :class:`IngestReport`. Raises ``UsageError`` when a path does not exist, or when
        Dask is asked for but not installed or its scheduler cannot be reached.
    """
    found = discover(paths)
    report = IngestReport(files=len(found.files), errors=list(found.errors), ignored=found.ignored)
    with ExitStack() as stack:
        client = None
        if dask:
            # Connect before planning, so a wrong address fails at once, not after a long plan.
            client, cluster = _dask_client(dask, workers)
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
        plan, counts = _plan(store, found.files, report)
        total = sum(1 for p in plan.values() if p.id)
        if progress:
            progress(0, total)
        items = _work_items(found.files, plan, counts, report)
        executor: _Executor
        if client is not None:
            executor = _Dask(client, config or PipelineConfig())
        # Pool start-up (a model load per worker) costs more than cleaning a few pages.
        elif pool_workers > 1 and total >= 4 * pool_workers and pipeline is None:
            executor = _LocalPool(pool_workers, config or PipelineConfig())
        else:
            executor = _InProcess(pipeline or Pipeline(config))
        try:
            _run_batches(executor, store, items, batch_size, report, total, progress)
        finally:
            executor.close()
        _finish_crossdoc(store)
        store.record_errors(run_id, report.errors)
        store.finish_run(run_id, report.added, report.already_stored, len(report.errors))
    return report
