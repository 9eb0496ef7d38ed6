"""The FastAPI application: read-only JSON under ``/api/`` and the dashboard at ``/``.

``create_app(db_path)`` builds an app bound to one database file. Requests read a private
snapshot of it, copied again when the file changes and an ingest is not writing, each through
its own cursor (:mod:`legation.store.snapshot`): an ingest can run beside the server, which
neither answers 503 while the ingest writes nor keeps it from writing.
Malformed parameters answer 422 with ``{"error": "parameter 'x': why", "detail": [...]}``.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import anyio.to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from legation import __version__
from legation.api.cache import AnswerCache, CacheMiddleware, HeadersMiddleware
from legation.api.deps import ParamError
from legation.api.routes import router
from legation.store.db import StoreError
from legation.store.snapshot import Snapshots


def static_dir() -> Path:
    """The dashboard's files, shipped as package data (``legation/web/static``)."""
    return Path(str(resources.files("legation.web") / "static"))


#: Sent with every response. The dashboard is the project's own files: scripts only from this
#: server; inline style attributes are allowed because the charts size their bars with them.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}


#: Requests answered at once per core (``$LEGATION_API_THREADS`` overrides the total).
THREADS_PER_CORE = 4


#: How ``legation serve --workers N`` hands its settings to the worker processes, which
#: uvicorn starts from an import string (:func:`app_from_env`).
ENV_DB, ENV_HOSTS, ENV_WORKERS = "LEGATION_SERVE_DB", "LEGATION_SERVE_HOSTS", "LEGATION_SERVE_WORKERS"


def _positive(name: str) -> int | None:
    given = os.environ.get(name, "")
    return int(given) if given.isdigit() and int(given) > 0 else None


def request_threads() -> int:
    """How many requests run their queries at once in one server process: a share of
    :data:`THREADS_PER_CORE` per core among the workers (at least 2), or
    ``$LEGATION_API_THREADS``."""
    given = _positive("LEGATION_API_THREADS")
    if given:
        return given
    workers = _positive(ENV_WORKERS) or 1
    return max(2, THREADS_PER_CORE * len(os.sched_getaffinity(0)) // workers)


def app_from_env() -> FastAPI:
    """The app of one worker of ``legation serve --workers N`` (a uvicorn factory): the
    database from ``$LEGATION_SERVE_DB``, the Host values from ``$LEGATION_SERVE_HOSTS``
    (one per line; unset: any host). Each worker keeps its own snapshot and answers."""
    hosts = os.environ.get(ENV_HOSTS)
    return create_app(os.environ[ENV_DB], hosts.split("\n") if hosts is not None else None)


def create_app(db_path: str | Path, allowed_hosts: Sequence[str] | None = None) -> FastAPI:
    """The API and dashboard serving ``db_path`` read-only.

    Args:
        db_path: the DuckDB file to serve. A request after it changed reads the new content
            (once no ingest is writing), so it may be created or re-ingested after the server
            starts.
        allowed_hosts: the ``Host`` header values answered (others get 400), which keeps a web
            page elsewhere from reaching a local server through DNS rebinding; None answers any
            (a library caller, the tests). ``legation serve`` passes its own.
    """

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Requests that miss the kept answers run in threads (DuckDB releases the GIL): a few
        # per core rather than anyio's 40, which on one core only interleaved 40 queries.
        limiter = anyio.to_thread.current_default_thread_limiter()
        limiter.total_tokens = request_threads()
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="Legation API",
        version=__version__,
        description="Read-only access to articles, events, actors, claims, agreements and stories.",
        # The interactive docs pages load their scripts from a CDN; the server stays offline.
        docs_url=None,
        redoc_url=None,
    )
    app.state.db_path = str(db_path)
    app.state.snapshots = Snapshots(db_path)
    # Plain ASGI middlewares, the last added outermost: the security headers on every answer
    # (a refused host's too), then the host check, then the kept answers (api/cache.py).
    app.state.answers = AnswerCache(app.state.snapshots)
    app.add_middleware(CacheMiddleware, answers=app.state.answers)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(HeadersMiddleware, headers=SECURITY_HEADERS)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        msgs = []
        for e in errors:
            loc = [str(x) for x in e.get("loc", ()) if x not in ("query", "path")]
            msgs.append(f"parameter '{'.'.join(loc)}': {e.get('msg')}")
        clean = [{"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors]
        return JSONResponse(status_code=422, content={"error": "; ".join(msgs), "detail": clean})

    @app.exception_handler(ParamError)
    async def _param(request: Request, exc: ParamError) -> JSONResponse:
        return JSONResponse(
            status_code=422,
            content={"error": str(exc), "detail": [{"loc": ["query", exc.name], "msg": exc.why}]},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        # One error body everywhere, as docs/api.md says: {"error": "..."}.
        return JSONResponse(status_code=exc.status_code, content={"error": str(exc.detail)})

    @app.exception_handler(StoreError)
    async def _store(request: Request, exc: StoreError) -> JSONResponse:
        return JSONResponse(status_code=503, content={"error": str(exc)})

    app.include_router(router, prefix="/api")
    static = static_dir()
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static / "index.html")

    return app
