"""Answers kept per snapshot, and the security headers: two plain ASGI middlewares.

The API reads a snapshot of the database that changes only when the file does
(:mod:`legation.store.snapshot`), so a JSON answer can be kept until the next snapshot: the
dashboard's front page, the graph of a year and the first page of a listing are asked for
again and again. Keyed by the snapshot's number, the path and the query; only 200 answers of
at most :data:`MAX_BODY` bytes under ``/api/``, never a download (``format=``), at most
:data:`ENTRIES` of them (least recently used go first). Requests for an answer that is being
computed wait for it instead of computing it again (50 clients opening the dashboard at once
ask for the same first pages). It sits inside the host check, so a refused ``Host`` never
reaches it.

Plain ASGI rather than ``@app.middleware("http")``: Starlette's ``BaseHTTPMiddleware`` runs
every request through an extra task and memory streams, which cost more than a kept answer.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from legation.store.db import StoreError
from legation.store.snapshot import Snapshots

#: Answers kept, and the largest body kept.
ENTRIES = 1024
MAX_BODY = 2 * 1024 * 1024

Key = tuple[int, str, bytes]


@dataclass
class Kept:
    """One answer as sent: status, headers (without content-length) and body."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


@dataclass
class AnswerCache:
    """The kept answers of one application (``app.state.answers``), used from its event loop."""

    snapshots: Snapshots
    hits: int = 0
    #: Requests that waited for the same answer being computed (single flight).
    joined: int = 0
    kept: OrderedDict[Key, Kept] = field(default_factory=OrderedDict)
    computing: dict[Key, asyncio.Future[Kept | None]] = field(default_factory=dict)

    async def generation(self) -> int | None:
        """The snapshot number (None: no snapshot can be taken; the route answers why)."""
        if self.snapshots.is_fresh():  # two stat calls: no thread needed
            return self.snapshots.copies
        try:
            return await run_in_threadpool(self.snapshots.generation)
        except StoreError:
            return None

    def keep(self, key: Key, answer: Kept) -> None:
        self.kept[key] = answer
        while len(self.kept) > ENTRIES:
            self.kept.popitem(last=False)


def _cacheable(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith("/api/"):
        return False
    query = scope.get("query_string", b"").decode("latin-1")
    return not any(k == "format" for k, _ in parse_qsl(query, keep_blank_values=True))


async def _send_kept(send: Send, answer: Kept) -> None:
    headers = [*answer.headers, (b"content-length", str(len(answer.body)).encode())]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


class CacheMiddleware:
    """Answers a GET under ``/api/`` from :class:`AnswerCache` when it can (module doc)."""

    def __init__(self, app: ASGIApp, answers: AnswerCache) -> None:
        self.app = app
        self.answers = answers

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _cacheable(scope):
            await self.app(scope, receive, send)
            return
        answers = self.answers
        generation = await answers.generation()
        if generation is None:
            await self.app(scope, receive, send)
            return
        key = (generation, scope["path"], scope.get("query_string", b""))
        while True:
            kept = answers.kept.get(key)
            if kept is not None:
                answers.kept.move_to_end(key)
                answers.hits += 1
                await _send_kept(send, kept)
                return
            pending = answers.computing.get(key)
            if pending is None:
                break
            answers.joined += 1
            if await asyncio.shield(pending) is None:  # not kept (an error, too large): compute it
                await self.app(scope, receive, send)
                return
        future: asyncio.Future[Kept | None] = asyncio.get_running_loop().create_future()
        answers.computing[key] = future
        answer: Kept | None = None
        try:
            answer = await self._compute(scope, receive, send)
            if answer is not None:
                answers.keep(key, answer)
        finally:
            del answers.computing[key]
            future.set_result(answer)

    async def _compute(self, scope: Scope, receive: Receive, send: Send) -> Kept | None:
        """Run the app; pass its answer on, and return it when it is one to keep."""
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        body = b"".join(chunks)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        answer = Kept(int(start.get("status", 500)), headers, body)
        await _send_kept(send, answer)
        content_type = dict((k.lower(), v) for k, v in headers).get(b"content-type", b"")
        if answer.status == 200 and content_type.startswith(b"application/json") and len(body) <= MAX_BODY:
            return answer
        return None


class HeadersMiddleware:
    """Adds ``headers`` to every response that does not set them itself."""

    def __init__(self, app: ASGIApp, headers: Mapping[str, str]) -> None:
        self.app = app
        self.headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in have]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)
