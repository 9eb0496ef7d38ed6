"""JSON answers written with the standard library, not through pydantic.

A route that returns a dict has FastAPI validate it against the inferred response model and
walk it with ``jsonable_encoder`` before ``json.dumps``: for a page of 100 event records or a
graph of a few hundred edges that was most of the request's time once the query itself was
fast. :class:`JSONRoute` (the API router's route class) wraps each endpoint so that what it
returns is dumped once by :func:`json.dumps`; a ``Response`` it returns (a download) passes
as is. The OpenAPI description is unchanged: it is built from the original function.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import json
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute
from starlette.responses import Response


def _plain(value: Any) -> Any:
    """What :func:`json.dumps` cannot write itself, as ``jsonable_encoder`` would write it."""
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, set | frozenset):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(data: Any) -> bytes:
    """``data`` as compact UTF-8 JSON, as Starlette's ``JSONResponse`` writes it."""
    return json.dumps(
        data, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_plain
    ).encode("utf-8")


class JSONBytes(Response):
    """A JSON response rendered by :func:`dumps`."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return dumps(content)


def as_json(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """``endpoint`` answering :class:`JSONBytes` for whatever else than a ``Response`` it returns."""
    if getattr(endpoint, "answers_json", False):
        return endpoint  # already wrapped (``include_router`` copies the router's routes)

    @functools.wraps(endpoint)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        out = endpoint(*args, **kwargs)
        return out if isinstance(out, Response) else JSONBytes(out)

    wrapper.answers_json = True  # type: ignore[attr-defined]
    return wrapper


class JSONRoute(APIRoute):
    """An API route whose (synchronous) endpoint answers through :func:`as_json`."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, as_json(endpoint), **kwargs)
