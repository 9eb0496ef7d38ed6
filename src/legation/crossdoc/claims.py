"""Cross-article step: claims, grouped by topic across articles and flagged when disputed.

Claims are extracted per article from the stored text and resolved mentions
(:mod:`legation.crossdoc.claims_extract`); this step stores them and then regroups every topic
the batch touched. A group is all claims with one topic key, so its id is a hash of the key and
its ``disputed`` flag a function of the whole group: ingesting in batches gives the same groups
as a one-shot ingest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any

from legation.crossdoc.claims_extract import disputed, extract_claims
from legation.crossdoc.common import originals_with_mentions
from legation.store.db import Store


def group_id(topic: str) -> str:
    """A stable group id for a topic key."""
    return "cg-" + hashlib.sha1(topic.encode()).hexdigest()[:12]


def update(store: Store, article_ids: Sequence[str]) -> None:
    """Extract the claims of the batch's original articles and regroup the topics they touch.

    Duplicates are skipped: a copied page repeats its original's claims, and counting it twice
    would make one assertion look like two sources.
    """
    if not store.has_table("claims"):
        return
    ids = list(article_ids)
    store.con.execute("DELETE FROM claims WHERE article_id IN (SELECT unnest(?))", [ids])
    arts, ments = originals_with_mentions(store, ids)
    rows, topics = [], set()
    for aid, seq, text, published in arts:
        for c in extract_claims({"id": aid, "text": text, "published": published}, ments.get(aid, [])):
            topics.add(c["topic"])
            rows.append((c["id"], seq, aid, c["topic"], json.dumps(c)))
    if rows:
        store.con.executemany(
            "INSERT OR REPLACE INTO claims (id, seq, article_id, topic, record) VALUES (?, ?, ?, ?, ?)", rows
        )
    for topic in sorted(topics):
        _regroup(store, topic)


def _regroup(store: Store, topic: str) -> None:
    """Set group id and disputed flag on every claim of ``topic``."""
    recs = [
        (cid, json.loads(r))
        for cid, r in store.con.execute("SELECT id, record FROM claims WHERE topic = ?", [topic]).fetchall()
    ]
    flag = disputed([r for _, r in recs])
    gid = group_id(topic)
    for cid, r in recs:
        r["group_id"], r["disputed"] = gid, flag
        store.con.execute(
            "UPDATE claims SET group_id = ?, disputed = ?, record = ? WHERE id = ?",
            [gid, flag, json.dumps(r), cid],
        )


def iter_claims(store: Store, disputed_only: bool = False) -> list[dict[str, Any]]:
    """Stored claims in article order (optionally only the disputed ones), for the CLI."""
    if not store.has_table("claims"):
        return []
    sql = "SELECT record FROM claims" + (" WHERE disputed" if disputed_only else "") + " ORDER BY seq, id"
    return [json.loads(r) for (r,) in store.con.execute(sql).fetchall()]
