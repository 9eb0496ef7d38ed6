"""Cross-article step: claims, grouped by topic across articles and flagged when disputed.

Claims are extracted per article from the stored text and resolved mentions
(:mod:`legation.crossdoc.claims_extract`); this step stores them and then regroups every topic
the batch touched. A group is the claims with one topic key dated within :data:`GROUP_DAYS`
of the group's first claim, so its id is a hash of the key (and the group's first day after
the first group) and its ``disputed`` flag a function of the whole group: ingesting in
batches gives the same groups as a one-shot ingest.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
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
    rows = []
    days: dict[str, list[date | None]] = defaultdict(list)  # the new claims' days, per topic
    for aid, seq, text, published in arts:
        for c in extract_claims({"id": aid, "text": text, "published": published}, ments.get(aid, [])):
            days[c["topic"]].append(_day(c))
            rows.append((c["id"], seq, aid, c["topic"], json.dumps(c)))
    if rows:
        store.con.executemany(
            "INSERT OR REPLACE INTO claims (id, seq, article_id, topic, record) VALUES (?, ?, ?, ?, ?)", rows
        )
    for topic, ds in sorted(days.items()):
        # A new undated claim joins the topic's first group: regroup the whole topic.
        _regroup(store, topic, None if None in ds else min(d for d in ds if d is not None))


#: A group holds the claims of one topic dated within this many days of its first claim. The
#: figures for one situation are disputed over weeks (the North Korean troops in Russia: 3,000
#: on 23 October, 11,000 on 12 November, within 20 days), while a figure a season later describes
#: a new situation, not a disagreement; 90 days keeps a quarter's reporting together. A fixed
#: span rather than "no gap of 90 days" because a topic reported every week (a war's casualty
#: count) would otherwise be one group for years, re-read and rewritten by every batch.
GROUP_DAYS = 90


def episodes(
    recs: list[tuple[str, dict[str, Any]]], *, with_undated: bool = True
) -> list[list[tuple[str, dict[str, Any]]]]:
    """Claims of one topic cut into groups of at most :data:`GROUP_DAYS` from each group's first day.

    Groups are built left to right from the earliest dated claim, so a group's members depend
    only on the claims dated from its first day on: regrouping from a group's first day gives
    the groups a regrouping of the whole topic would. Undated claims join the first group
    (``with_undated``: ``recs`` starts at the topic's first group). A function of the set of
    claims, so batch order does not change the groups.
    """
    dated = sorted((r for r in recs if _day(r[1])), key=lambda r: (str(_day(r[1])), r[0]))
    undated = sorted((r for r in recs if not _day(r[1])), key=lambda r: r[0])
    groups: list[list[tuple[str, dict[str, Any]]]] = []
    start: date | None = None
    for r in dated:
        day = _day(r[1])
        assert day is not None
        if start is None or (day - start).days > GROUP_DAYS:
            groups.append([])
            start = day
        groups[-1].append(r)
    if with_undated and undated:
        if not groups:
            return [undated]
        groups[0] = undated + groups[0]
    return groups


def _day(rec: dict[str, Any]) -> date | None:
    value = str(rec.get("as_of") or "")
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


#: The day of a stored claim, in SQL (the same reading as ``_day``).
_DAY_SQL = "TRY_CAST(left(record->>'$.as_of', 10) AS DATE)"


def _regroup(store: Store, topic: str, since: date | None) -> None:
    """Set group id and disputed flag on the claims of ``topic`` from the group holding ``since`` on.

    ``since`` is the earliest day among the topic's new claims, ``None`` to regroup the whole
    topic (new undated claims join its first group). Only the group that was open at ``since``
    and the later ones are read and rewritten: with articles arriving roughly in date order that
    is the last group, so a batch costs the same whatever the topic's history.
    """
    con = store.con
    start: date | None = None
    if since is not None:
        # The first day of the stored group holding the latest earlier claim: groups before it
        # cannot change (they are built left to right), it and the later ones can. With no
        # earlier claim, every stored claim of the topic is regrouped.
        start = store.scalar(
            f"SELECT min({_DAY_SQL}) FROM claims WHERE topic = ? AND group_id = ("
            f" SELECT group_id FROM claims WHERE topic = ? AND group_id IS NOT NULL AND {_DAY_SQL} < ?"
            f" ORDER BY {_DAY_SQL} DESC, id DESC LIMIT 1)",
            [topic, topic, since],
        )
    first = start is None or not store.scalar(
        f"SELECT count(*) FROM claims WHERE topic = ? AND {_DAY_SQL} < ?", [topic, start]
    )
    sql = "SELECT id, record, group_id, disputed FROM claims WHERE topic = ?"
    params: list[object] = [topic]
    if not first:
        sql, params = sql + f" AND {_DAY_SQL} >= ?", [topic, start]
    rows = con.execute(sql, params).fetchall()
    stored = {str(cid): (g, d) for cid, _, g, d in rows}
    recs = [(str(cid), json.loads(r)) for cid, r, _, _ in rows]
    for n, group in enumerate(episodes(recs, with_undated=first)):
        flag = disputed([r for _, r in group])
        # The topic's first group keeps the topic's id (stable when no later episode exists).
        gid = group_id(topic if first and n == 0 else f"{topic}|{_day(group[0][1])}")
        # Only claims whose group or flag changed are written: a late article (a page dated
        # two years back) regroups every later group of its topic, and nearly all of them
        # keep their group (groups are built from their first day).
        changed = [(cid, r) for cid, r in group if stored[cid] != (gid, flag)]
        if not changed:
            continue
        for _, r in changed:
            r["group_id"], r["disputed"] = gid, flag
        # One statement per group: a statement per claim cost about a millisecond each.
        con.execute(
            "UPDATE claims SET group_id = ?, disputed = ?, record = m.r "
            "FROM (SELECT unnest(?::VARCHAR[]) AS id, unnest(?::VARCHAR[]) AS r) m WHERE claims.id = m.id",
            [gid, flag, [cid for cid, _ in changed], [json.dumps(r) for _, r in changed]],
        )


def iter_claims(store: Store, disputed_only: bool = False) -> list[dict[str, Any]]:
    """Stored claims in article order (optionally only the disputed ones), for the CLI."""
    if not store.has_table("claims"):
        return []
    sql = "SELECT record FROM claims" + (" WHERE disputed" if disputed_only else "") + " ORDER BY seq, id"
    return [json.loads(r) for (r,) in store.con.execute(sql).fetchall()]
