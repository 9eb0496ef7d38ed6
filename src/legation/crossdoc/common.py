"""Reads shared by the cross-article steps."""

from __future__ import annotations

import json
from typing import Any

from legation.store.db import Store


def originals_with_mentions(
    store: Store, ids: list[str]
) -> tuple[list[tuple[Any, ...]], dict[str, list[dict[str, Any]]]]:
    """The batch's original articles (id, seq, text, published) and their actor mentions.

    Duplicates are left out: a copy repeats its original's claims and agreements, and counting
    it would make one source look like two.
    """
    arts = store.con.execute(
        "SELECT id, seq, text, published FROM articles"
        " WHERE id IN (SELECT unnest(?)) AND duplicate_of IS NULL",
        [ids],
    ).fetchall()
    ments: dict[str, list[dict[str, Any]]] = {}
    for aid, rec in store.con.execute(
        "SELECT article_id, record FROM mentions WHERE article_id IN (SELECT unnest(?))", [ids]
    ).fetchall():
        ments.setdefault(aid, []).append(json.loads(rec))
    return arts, ments
