"""The worker side of an ingest: the per-article stages on a chunk of inputs.

Runs in the ingesting process (one worker), in spawned worker processes (``--workers N``) or
on Dask. A chunk shares one parse (:meth:`legation.pipeline.Pipeline.parse_many`); every
input fails alone, as an :class:`InputError` naming it, and is bounded in wall time
(``Bounds.max_seconds``).

Per-input isolation catches a defined set of exceptions, :data:`INPUT_FAILURES`: those a
stage raises on data it did not expect. Anything else (``KeyboardInterrupt``,
``SystemExit``, ``GeneratorExit``, an ``ImportError`` of a missing package) ends the run.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from types import FrameType
from typing import cast

from legation.clean.chrome import SiteChrome
from legation.ingest.bounds import BoundExceeded
from legation.models import Article, InputError, RawDoc
from legation.pipeline import EmptyArticle, Pipeline, PipelineConfig
from legation.stages import Context

WorkItem = tuple[RawDoc, str, SiteChrome | None]

#: The exceptions one input's stages may raise and still be turned into a named error for that
#: input (bugs met on unexpected data, recursion on deeply nested markup, memory for one huge
#: input): ``Exception`` less the ones that mean the program itself is broken or told to stop.
INPUT_FAILURES: tuple[type[BaseException], ...] = (
    ArithmeticError,
    AssertionError,
    AttributeError,
    BufferError,
    EOFError,
    LookupError,
    MemoryError,
    OSError,
    RuntimeError,  # RecursionError among them
    TypeError,
    ValueError,  # UnicodeError among them
)


class InputTimeout(Exception):
    """An input's stages ran past the time bound (raised by the timer, see :func:`time_bound`)."""


@contextmanager
def time_bound(seconds: float) -> Iterator[None]:
    """Raise :class:`InputTimeout` in the block when it runs longer than ``seconds``.

    A real-time interval timer (``SIGALRM``), so only in the main thread of a process (the
    ingest itself, a local worker process, a Dask worker's main thread); elsewhere, or with
    ``seconds <= 0``, the block runs unbounded. The timer is disarmed before the handler is
    restored, so a late signal never escapes the block.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    armed = True

    def expire(signum: int, frame: FrameType | None) -> None:
        if armed:
            raise InputTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_WORKER: Pipeline | None = None


#: How often a worker checks that the ingest that started it is still alive (seconds).
PARENT_POLL = 0.5


def init_worker(config: PipelineConfig, parent: int) -> None:
    global _WORKER
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True).start()
    atexit.register(_fast_exit)
    _WORKER = Pipeline(config)


def ready() -> int:
    """A no-op task: submitted once per worker when the pool starts, so every worker spawns
    and loads its model while the ingest is still planning."""
    return os.getpid()


def _fast_exit() -> None:
    """End a worker without tearing the interpreter down.

    A worker holds no database handle and no file open for writing; its results went back
    over the pool's pipe before it was told to stop. Freeing the loaded model object by object
    at interpreter exit is pure cost: the pool's shutdown waited 1.79 s for two workers to
    exit, 0.11 s with this (measured on this machine, model loaded, nothing else changed).
    Registered last, so it runs first among the exit handlers.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _exit_with_parent(parent: int) -> None:
    """End this worker when the ingest that spawned it is gone.

    A killed ingest (``kill -9``, the OOM killer) cannot shut its pool down, and a worker
    blocked on its task queue would otherwise live on, holding the model's memory (measured:
    all workers alive 10 s after the kill, 5 runs of 5). An orphan is re-parented, so its
    parent id changes; the worker then exits at once, without cleanup: it holds no database
    handle and its unfinished work is redone by the resumed run. ``parent`` is the ingest's
    pid as the ingest saw it: a worker killed while still importing checks it at once.
    """
    while os.getppid() == parent:  # the ingest may already be gone when the imports are done
        time.sleep(PARENT_POLL)
    os._exit(1)


def work_chunk(items: list[WorkItem]) -> list[Article | InputError]:
    assert _WORKER is not None
    return process_many(_WORKER, items)


def process_one(
    pipeline: Pipeline, raw: RawDoc, article_id: str, chrome: SiteChrome | None
) -> Article | InputError:
    """Run the per-article stages; any failure becomes an error naming the input."""
    return process_many(pipeline, [(raw, article_id, chrome)])[0]


def process_many(pipeline: Pipeline, items: Sequence[WorkItem]) -> list[Article | InputError]:
    """The per-article stages on several inputs, the parse shared (``Pipeline.parse_many``).

    Each input fails alone: an error in one becomes an :class:`InputError` naming it, and
    when the shared parse fails or runs out of time, it is redone article by article so only
    the culprit fails. Each input has ``max_seconds`` of wall time for its stages; a shared
    parse is charged to its articles in equal shares (:func:`_parse_shared`).
    """
    budget = _Budget(pipeline.bounds.max_seconds, len(items))
    out: list[Article | InputError] = []
    ctxs: list[Context] = []
    for i, (raw, article_id, chrome) in enumerate(items):
        ctx = Context(chrome=chrome)
        out.append(_guarded(raw, partial(pipeline.begin, raw, article_id, ctx), budget, i))
        ctxs.append(ctx)
    live = [i for i, r in enumerate(out) if isinstance(r, Article)]
    jobs = [(cast(Article, out[i]), ctxs[i]) for i in live]
    if not _parse_shared(pipeline, jobs, budget, live):
        # A bug on one page, or one slow page, must not lose the others: parse them one by one.
        for i, job in zip(live, jobs, strict=True):
            res = _guarded(items[i][0], partial(_parse_alone, pipeline, *job), budget, i)
            if isinstance(res, InputError):
                out[i] = res
    for i in live:
        art = out[i]
        if not isinstance(art, Article):
            continue
        raw = items[i][0]
        done = _guarded(raw, partial(pipeline.finish, art, raw, ctxs[i]), budget, i)
        if isinstance(done, Article):
            done.content_hash = hashlib.sha256(raw.content.encode("utf-8", "surrogatepass")).hexdigest()
        out[i] = done
    return out


class _Budget:
    """The wall time each input of a chunk has left (``None``: unbounded)."""

    def __init__(self, seconds: float, n: int) -> None:
        self.seconds = seconds
        self.left = [seconds] * n

    def charge(self, i: int, spent: float) -> None:
        self.left[i] -= spent

    def of(self, i: int) -> float:
        """What input ``i`` may still take; 0 means none bound, so a spent budget is a tiny one."""
        return 0.0 if self.seconds <= 0 else max(self.left[i], 0.001)


_PARSE_FAILURES: tuple[type[BaseException], ...] = (InputTimeout, *INPUT_FAILURES)


def _parse_shared(
    pipeline: Pipeline, jobs: list[tuple[Article, Context]], budget: _Budget, live: list[int]
) -> bool:
    """One parse for all ``jobs``; False when it failed or ran out of time (the caller then
    parses them one by one, each within what is left of its own time).

    The shared parse may take as long as the most any one of them has left, and what it took
    is charged to them in equal shares, so no input's stages take longer than the bound. A
    single job is left to the caller at once: parsing it twice could take twice the bound.
    """
    if not jobs:
        return True
    if len(jobs) == 1:
        return False
    start = time.monotonic()
    bound = 0.0 if budget.seconds <= 0 else max(budget.of(i) for i in live)
    try:
        with time_bound(bound):
            pipeline.parse_many(jobs)
        return True
    except _PARSE_FAILURES:
        return False
    finally:
        share = (time.monotonic() - start) / len(jobs)
        for i in live:
            budget.charge(i, share)


def _parse_alone(pipeline: Pipeline, article: Article, ctx: Context) -> Article:
    pipeline.parse_many([(article, ctx)])
    return article


def _guarded(raw: RawDoc, step: Callable[[], Article], budget: _Budget, i: int) -> Article | InputError:
    """``step()`` within input ``i``'s time, or the error naming the input that it raised."""
    where = raw.path or raw.source
    start = time.monotonic()
    try:
        with time_bound(budget.of(i)):
            return step()
    except (EmptyArticle, BoundExceeded) as exc:
        return InputError(where, str(exc), raw.locator)
    except InputTimeout:
        limit = f"{budget.seconds:g}"
        return InputError(
            where, f"took longer than the time bound of {limit} s per input (--max-seconds)", raw.locator
        )
    except INPUT_FAILURES as exc:  # a bug on one page must not lose the batch
        return InputError(where, f"internal error: {type(exc).__name__}: {exc}", raw.locator)
    finally:
        budget.charge(i, time.monotonic() - start)


#: Articles parsed together (one ``nlp.pipe`` over their kept sentences) and sent to a worker
#: as one task. 16 is past the knee: per-article batches cost 10 % more parse time on the
#: benchmark pages, 16 and 64 the same; small enough that a batch of 256 keeps two workers busy
#: to its end and the Docs of one chunk are a few MB.
CHUNK = 16


def chunks(batch: list[WorkItem]) -> list[list[WorkItem]]:
    return [batch[i : i + CHUNK] for i in range(0, len(batch), CHUNK)]
