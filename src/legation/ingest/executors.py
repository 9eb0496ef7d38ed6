"""Where the per-article stages run: this process, a local process pool, or a Dask cluster.

The three share one interface (:class:`Executor`: ``submit`` a batch, ``result`` in input
order, ``close``), so the ingest's batch loop (:func:`legation.ingest.runner._run_batches`) is
the same for all of them. :class:`PoolStarter` starts the local pool during the plan.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from legation.ingest.sources import UsageError
from legation.ingest.work import WorkItem, chunks, init_worker, process_many, process_one, ready, work_chunk
from legation.models import Article, InputError
from legation.pipeline import Pipeline, PipelineConfig


class Executor:
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


class InProcess(Executor):
    """The per-article stages in this process, run when the batch's results are asked for."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline

    def submit(self, batch: list[WorkItem]) -> object:
        return batch

    def result(self, handle: object) -> list[Article | InputError]:
        batch: list[WorkItem] = handle  # type: ignore[assignment]
        return [r for chunk in chunks(batch) for r in process_many(self.pipeline, chunk)]


class LocalPool(Executor):
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
        # One no-op task per worker spawns them all now (the pool spawns lazily, one per
        # submit): their model loads overlap the rest of the plan instead of the first batch.
        for _ in range(workers):
            self.pool.submit(ready)

    def submit(self, batch: list[WorkItem]) -> object:
        return [self.pool.submit(work_chunk, chunk) for chunk in chunks(batch)]

    def result(self, handle: object) -> list[Article | InputError]:
        futs: list[Future[list[Article | InputError]]] = handle  # type: ignore[assignment]
        return [r for f in futs for r in f.result()]

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor(Executor):
    """Tasks on a Dask cluster, one per article; each worker caches its pipeline (:func:`dask_work`)."""

    def __init__(self, client: Any, config: PipelineConfig) -> None:
        self.client = client
        self.config = config

    def submit(self, batch: list[WorkItem]) -> object:
        # pure=False: a resumed or repeated run must not be answered from another run's keys.
        return self.client.map(dask_work, batch, config=self.config, pure=False)

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
DASK_PIPELINES = threading.local()


def dask_work(item: WorkItem, config: PipelineConfig) -> Article | InputError:
    cache: dict[str, Pipeline] | None = getattr(DASK_PIPELINES, "cache", None)
    if cache is None:
        cache = DASK_PIPELINES.cache = {}
    key = repr(config)
    pipe = cache.get(key)
    if pipe is None:
        pipe = cache[key] = Pipeline(config)
    return process_one(pipe, *item)


DASK_MISSING = "--dask needs Dask's distributed scheduler: pip install 'legation[dask]'"


def dask_client(address: str, workers: int | None) -> tuple[Any, Any]:
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


class PoolStarter:
    """Starts the worker pool during the plan, once the plan has found enough new inputs.

    Pool start-up (a spawn and a model load per worker) costs more than cleaning a few pages,
    so a pool is started only for ``4 × workers`` new inputs or more; starting it as soon as
    that many are planned overlaps the model loads with the rest of the plan.
    """

    def __init__(self, workers: int, config: PipelineConfig | None) -> None:
        self.workers = workers
        self.config = config
        self.new = 0
        self.pool: LocalPool | None = None

    def saw_new(self) -> None:
        self.new += 1
        if self.workers > 1 and self.pool is None and self.new == 4 * self.workers:
            self.pool = LocalPool(self.workers, self.config or PipelineConfig())

    def close(self) -> None:
        """Stop a pool that was started but not used (the plan raised)."""
        if self.pool is not None:
            self.pool.close()
