"""Cross-article step: claims, grouped by topic across articles and flagged when disputed.

Claims are extracted per article from the stored text and resolved mentions
(:mod:`legation.crossdoc.claims_extract`); this step stores them and then regroups every topic
the batch touched. A group is the claims with one topic key within one episode (no gap of more
than :data:`GAP_DAYS` between consecutive claims), so its id is a hash of the key (and the
episode's first day after the first) and its ``disputed`` flag a function of the whole group:
ingesting in batches gives the same groups as a one-shot ingest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date
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


#: A claim more than this many days after the previous claim on its topic opens a new group.
#: The figures for one situation are disputed over weeks (the North Korean troops in Russia:
#: 3,000 on 23 October, 11,000 on 12 November, within 20 days), while a figure a season later
#: describes a new situation, not a disagreement; 90 days keeps a quarter's reporting together.
GAP_DAYS = 90


def episodes(recs: list[tuple[str, dict[str, Any]]]) -> list[list[tuple[str, dict[str, Any]]]]:
    """Claims of one topic cut into groups at gaps longer than :data:`GAP_DAYS`.

    Undated claims join the first group. A function of the set of claims, so batch order does
    not change the groups.
    """
    dated = sorted((r for r in recs if _day(r[1])), key=lambda r: (str(_day(r[1])), r[0]))
    undated = sorted((r for r in recs if not _day(r[1])), key=lambda r: r[0])
    groups: list[list[tuple[str, dict[str, Any]]]] = []
    last: date | None = None
    for r in dated:
        day = _day(r[1])
        assert day is not None
        if last is None or (day - last).days > GAP_DAYS:
            groups.append([])
        groups[-1].append(r)
        last = day
    if not groups:
        return [undated] if undated else []
    groups[0] = undated + groups[0]
    return groups


def _day(rec: dict[str, Any]) -> date | None:
    value = str(rec.get("as_of") or "")
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def _regroup(store: Store, topic: str) -> None:
    """Set group id and disputed flag on every claim of ``topic``, one group per episode."""
    recs = [
        (cid, json.loads(r))
        for cid, r in store.con.execute("SELECT id, record FROM claims WHERE topic = ?", [topic]).fetchall()
    ]
    for n, group in enumerate(episodes(recs)):
        flag = disputed([r for _, r in group])
        # The first group keeps the topic's id (stable when no later episode exists).
        gid = group_id(topic if n == 0 else f"{topic}|{_day(group[0][1])}")
        for _, r in group:
            r["group_id"], r["disputed"] = gid, flag
        # One statement per group: a statement per claim cost about a millisecond each, and a
        # topic grows with the corpus, so per-row updates made every batch slower than the last
        # (bench/bench_memory.py: 2 s -> 3 s a batch over the first 4,000 synthetic articles).
        store.con.execute(
            "UPDATE claims SET group_id = ?, disputed = ?, record = m.r "
            "FROM (SELECT unnest(?::VARCHAR[]) AS id, unnest(?::VARCHAR[]) AS r) m WHERE claims.id = m.id",
            [gid, flag, [cid for cid, _ in group], [json.dumps(r) for _, r in group]],
        )


def iter_claims(store: Store, disputed_only: bool = False) -> list[dict[str, Any]]:
    """Stored claims in article order (optionally only the disputed ones), for the CLI."""
    if not store.has_table("claims"):
        return []
    sql = "SELECT record FROM claims" + (" WHERE disputed" if disputed_only else "") + " ORDER BY seq, id"
    return [json.loads(r) for (r,) in store.con.execute(sql).fetchall()]
