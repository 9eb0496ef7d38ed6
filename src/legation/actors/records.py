"""The ``actors`` export: every actor the shipped (and user) dictionary knows.

Later stages add actors discovered in text (people resolved through titles and appositions);
until then the export is the dictionary itself, in the contract's record format.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from legation.actors.dictionary import ActorDictionary
from legation.store.db import Store


def actor_records(store: Store) -> Iterator[dict[str, Any]]:
    """Actor records in a stable order (the store is not consulted yet; see module doc)."""

    yield from ActorDictionary.load().to_export_records()
