"""What the API's routes share: the per-request store and the parameter error.

Kept apart from :mod:`legation.api.app` so that the routes need not import the application
that includes them (no import cycle).
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request

from legation.store.db import Store


class ParamError(Exception):
    """A parameter that is well-typed but unacceptable (an impossible date, since > until)."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(f"parameter '{name}': {why}")
        self.name = name
        self.why = why


def open_store(request: Request) -> Iterator[Store]:
    """FastAPI dependency: a read-only store for the duration of one request."""
    store = Store(request.app.state.db_path, read_only=True)
    try:
        yield store
    finally:
        store.close()
