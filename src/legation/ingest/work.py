"""The worker side of an ingest: the per-article stages on a chunk of inputs.

Runs in the ingesting process (one worker), in spawned worker processes (``--workers N``) or
on Dask. A chunk shares one parse (:meth:`legation.pipeline.Pipeline.parse_many`); every
input fails alone, as an :class:`InputError` naming it.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import cast

from legation.clean.chrome import SiteChrome
from legation.models import Article, InputError, RawDoc
from legation.pipeline import EmptyArticle, Pipeline, PipelineConfig
from legation.stages import Context

WorkItem = tuple[RawDoc, str, SiteChrome | None]

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
    when the shared parse fails, it is redone article by article so only the culprit fails.
    """
    out: list[Article | InputError] = []
    ctxs: list[Context] = []
    for raw, article_id, chrome in items:
        ctx = Context(chrome=chrome)
        out.append(_guarded(raw, partial(pipeline.begin, raw, article_id, ctx)))
        ctxs.append(ctx)
    live = [i for i, r in enumerate(out) if isinstance(r, Article)]
    jobs = [(cast(Article, out[i]), ctxs[i]) for i in live]
    try:
        pipeline.parse_many(jobs)
    except Exception:  # a bug on one page must not lose the others: parse them one by one
        for i, job in zip(live, jobs, strict=True):
            res = _guarded(items[i][0], partial(_parse_alone, pipeline, *job))
            if isinstance(res, InputError):
                out[i] = res
    for i in live:
        art = out[i]
        if not isinstance(art, Article):
            continue
        raw = items[i][0]
        done = _guarded(raw, partial(pipeline.finish, art, raw, ctxs[i]))
        if isinstance(done, Article):
            done.content_hash = hashlib.sha256(raw.content.encode("utf-8", "surrogatepass")).hexdigest()
        out[i] = done
    return out


def _parse_alone(pipeline: Pipeline, article: Article, ctx: Context) -> Article:
    pipeline.parse_many([(article, ctx)])
    return article


def _guarded(raw: RawDoc, step: Callable[[], Article]) -> Article | InputError:
    """``step()``, or the error naming the input that it raised."""
    try:
        return step()
    except EmptyArticle as exc:
        return InputError(raw.path or raw.source, str(exc), raw.locator)
    except Exception as exc:  # a bug on one page must not lose the batch
        return InputError(raw.path or raw.source, f"internal error: {type(exc).__name__}: {exc}", raw.locator)


#: Articles parsed together (one ``nlp.pipe`` over their kept sentences) and sent to a worker
#: as one task. 16 is past the knee: per-article batches cost 10 % more parse time on the
#: benchmark pages, 16 and 64 the same; small enough that a batch of 256 keeps two workers busy
#: to its end and the Docs of one chunk are a few MB.
CHUNK = 16


def chunks(batch: list[WorkItem]) -> list[list[WorkItem]]:
    return [batch[i : i + CHUNK] for i in range(0, len(batch), CHUNK)]
