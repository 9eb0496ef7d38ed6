"""Answers kept per snapshot: the same GET on the same snapshot gives the same bytes.

The API reads a snapshot of the database that changes only when the file does
(:mod:`legation.store.snapshot`), so a JSON answer can be kept until the next snapshot: the
dashboard's front page, the graph of a year and the first page of a listing are asked for
again and again, and the graph alone took seconds at a million events. Keyed by the snapshot's
number, the path and the query; only 200 answers of at most :data:`MAX_BODY` bytes under
``/api/``, never a download (``format=``), at most :data:`ENTRIES` of them (least recently used
go first). Sits inside the host check, so a refused ``Host`` never reaches it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from legation.store.db import StoreError
from legation.store.snapshot import Snapshots

#: Answers kept, and the largest body kept.
ENTRIES = 512
MAX_BODY = 2 * 1024 * 1024

Key = tuple[int, str, str]


class AnswerCache:
    """An LRU of ``(status, headers, body)`` per :data:`Key` (used from the event loop only)."""

    def __init__(self, snapshots: Snapshots) -> None:
        self.snapshots = snapshots
        self._kept: OrderedDict[Key, tuple[int, list[tuple[bytes, bytes]], bytes]] = OrderedDict()
        self.hits = 0

    async def __call__(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        api = request.url.path.startswith("/api/")
        if request.method != "GET" or not api or "format" in request.query_params:
            return await call_next(request)
        try:  # a stat of the file, and a copy when it changed (off the event loop)
            generation = await run_in_threadpool(self.snapshots.generation)
        except StoreError:
            return await call_next(request)  # the route answers the error
        key = (generation, request.url.path, request.url.query)
        kept = self._kept.get(key)
        if kept is not None:
            self._kept.move_to_end(key)
            self.hits += 1
            status, headers, body = kept
            return _answer(status, headers, body)
        response = await call_next(request)
        if response.status_code != 200 or not response.headers.get("content-type", "").startswith(
            "application/json"
        ):
            return response
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.body_iterator:  # type: ignore[attr-defined]
            data = chunk if isinstance(chunk, bytes) else str(chunk).encode("utf-8")
            chunks.append(data)
            size += len(data)
        body = b"".join(chunks)
        headers = [(k, v) for k, v in response.raw_headers if k.lower() != b"content-length"]
        if size <= MAX_BODY:
            self._kept[key] = (response.status_code, headers, body)
            while len(self._kept) > ENTRIES:
                self._kept.popitem(last=False)
        return _answer(response.status_code, headers, body)


def _answer(status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> Response:
    out = Response(content=body, status_code=status)
    out.raw_headers = [*headers, (b"content-length", str(len(body)).encode())]
    return out
