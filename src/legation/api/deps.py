"""What the API's routes share: the per-request store and the parameter error.

Kept apart from :mod:`legation.api.app` so that the routes need not import the application
that includes them (no import cycle).
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request

from legation.store.db import Store
from legation.store.snapshot import Snapshots


class ParamError(Exception):
    """A parameter that is well-typed but unacceptable (an impossible date, since > until)."""

    def __init__(self, name: str, why: str) -> None:
        super().__init__(f"parameter '{name}': {why}")
        self.name = name
        self.why = why


def open_store(request: Request) -> Iterator[Store]:
    """FastAPI dependency: a read-only store for the duration of one request, a cursor over
    the app's snapshot of the database (:mod:`legation.store.snapshot`)."""
    snapshots: Snapshots = request.app.state.snapshots
    store = snapshots.store()
    try:
        yield store
    finally:
        store.close()
