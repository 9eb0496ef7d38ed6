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
    it would make one source look like two. Mentions inside a dateline ("BORGO EGNAZIA, Italy
    —") are left out too: the place a report was filed from neither claims a figure nor signs
    an agreement.
    """
    rows = store.con.execute(
        "SELECT id, seq, text, published, datelines FROM articles"
        " WHERE id IN (SELECT unnest(?)) AND duplicate_of IS NULL"
        " AND coalesce(language, 'en') = 'en'",  # pages flagged not English are stored, not read
        [ids],
    ).fetchall()
    lines: dict[str, list[tuple[int, int]]] = {}
    for aid, _, text, _, raw in rows:
        for d in json.loads(raw) if raw else []:
            # An item may start at its headline, above the dateline: find the dateline's words.
            at = (text or "").find(d.get("text") or "\0", int(d["start"]), int(d["end"]) + 1)
            if at >= 0:
                lines.setdefault(aid, []).append((at, at + len(d["text"])))
    arts = [r[:4] for r in rows]
    ments: dict[str, list[dict[str, Any]]] = {}
    for aid, rec in store.con.execute(
        "SELECT article_id, record FROM mentions WHERE article_id IN (SELECT unnest(?))", [ids]
    ).fetchall():
        m = json.loads(rec)
        if not any(a <= m["start"] < b for a, b in lines.get(aid, [])):
            ments.setdefault(aid, []).append(m)
    return arts, ments
