"""Cross-article stages, run after every stored batch inside the batch's transaction.

Per-article stages run anywhere (one process, many, Dask); the steps here need the whole store,
so they run in the ingesting process, in a fixed order, each on the ids of the articles the
batch just stored (duplicates included: a step decides itself whether a copy counts). Each
step is incremental: it updates what the new articles touch, and the result equals a one-shot
ingest of everything. Because they run inside the batch transaction, a crash leaves neither
the batch nor its cross-article updates behind, and the next run redoes both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from legation.crossdoc import agreements, claims, clusters, stories
from legation.store.db import Store

#: In dependency order: event clusters use story ids; claims and agreements use both.
STEPS: list[tuple[str, Callable[[Store, Sequence[str]], None]]] = [
    ("stories", stories.update),
    ("event_clusters", clusters.update),
    ("claims", claims.update),
    ("agreements", agreements.update),
]


def update_crossdoc(store: Store, article_ids: Sequence[str]) -> None:
    """Run every cross-article step on the articles of one stored batch."""
    if not article_ids:
        return
    for _name, step in STEPS:
        step(store, article_ids)
