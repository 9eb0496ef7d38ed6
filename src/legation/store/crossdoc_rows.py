"""The reads and writes of the cross-article steps: the only SQL they need.

Each step (:mod:`legation.crossdoc.update`) reads the rows it needs here, hands them to a
pure function of :mod:`legation.crossdoc` and writes what that returns here. Keeping the SQL
in one module of the store lets the algorithms be tested on rows made by hand, and lets a
schema change be made in one place. Rows come back as the dataclasses the algorithms take
(decoded from their JSON columns); writes take what the algorithms return.

Several reads carry a performance reason for their shape (one statement over unnested lists
rather than one per row; fields extracted in SQL rather than in Python); the figures are with
each function. Every statement fetches everything it returns before the next runs: DuckDB
refuses new work on a connection while a result is only partly fetched.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from legation.crossdoc.agreements import AgreementRow, MentionRow
from legation.crossdoc.claims import ClaimRow, GroupWrite, StoredClaim
from legation.crossdoc.clusters import ClusterUpdate, Mention, PoolQuery, mention_from, mention_from_fields
from legation.crossdoc.stories import BatchArticle, Doc, PoolWindow, StoryUpdate
from legation.store.db import Store


def _all(store: Store, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
    return store.con.execute(sql, list(params) if params is not None else None).fetchall()


def _day(v: object) -> date | None:
    return v if isinstance(v, date) else None


# ---------------------------------------------------------------------------- the batch


def batch_dates(store: Store, ids: Sequence[str]) -> list[tuple[str, date | None]]:
    """``(id, published_date)`` of the batch's articles in ``seq`` order, to cut it into date runs."""
    if not ids:
        return []
    rows = _all(
        store,
        "SELECT id, published_date FROM articles WHERE id IN (SELECT unnest(?)) ORDER BY seq",
        [list(ids)],
    )
    return [(str(a), _day(d)) for a, d in rows]


# ---------------------------------------------------------------------------- stories


def story_batch(store: Store, ids: Sequence[str]) -> list[BatchArticle]:
    """The batch's articles in ``seq`` order, each with its mentions' actor ids (else codes)."""
    batch = _all(
        store,
        "SELECT id, seq, title, text, published_date, duplicate_of FROM articles "
        "WHERE id IN (SELECT unnest(?)) ORDER BY seq",
        [list(ids)],
    )
    actors: dict[str, list[str]] = defaultdict(list)
    for aid, actor_id, code in _all(
        store,
        "SELECT article_id, actor_id, code FROM mentions WHERE article_id IN (SELECT unnest(?)) "
        "ORDER BY seq, start_char",
        [list(ids)],
    ):
        key = actor_id or code
        if key:
            actors[aid].append(str(key))
    return [
        BatchArticle(
            str(r[0]),
            int(r[1]),
            r[2],
            r[3],
            _day(r[4]),
            str(r[5]) if r[5] is not None else None,
            tuple(actors[r[0]]),
        )
        for r in batch
    ]


def story_pool(store: Store, window: PoolWindow) -> list[Doc]:
    """The stored, assigned originals of ``window``, each once, with vector and story."""
    rows: list[tuple[Any, ...]] = []
    if window.dated is not None:
        rows += _all(
            store,
            "SELECT article_id, seq, published_date, story_id, vector FROM story_docs "
            "WHERE published_date BETWEEN ? AND ? AND seq < ?",
            [window.dated[0], window.dated[1], window.before_seq],
        )
    if window.undated is not None:
        rows += _all(
            store,
            "SELECT article_id, seq, published_date, story_id, vector FROM story_docs "
            "WHERE seq < ? ORDER BY seq DESC LIMIT ?",
            [window.before_seq, window.undated],
        )
    pool = {
        str(r[0]): Doc(str(r[0]), int(str(r[1])), _day(r[2]), {}, str(r[3]), json.loads(str(r[4])))
        for r in rows
    }
    return list(pool.values())


def story_df(store: Store, terms: Sequence[str]) -> tuple[dict[str, int], int]:
    """The stored document frequencies of ``terms``, and the number of stored originals."""
    df = {
        str(t): int(n)
        for t, n in _all(
            store, "SELECT term, df FROM story_df WHERE term IN (SELECT unnest(?))", [list(terms)]
        )
    }
    return df, int(_all(store, "SELECT count(*) FROM story_docs")[0][0])


def stories_of(store: Store, ids: Sequence[str]) -> dict[str, str]:
    """The stored story of each of the articles ``ids`` (originals of the batch's duplicates)."""
    if not ids:
        return {}
    rows = _all(store, "SELECT id, story_id FROM articles WHERE id IN (SELECT unnest(?))", [list(ids)])
    return {str(a): str(s) for a, s in rows}


def write_stories(store: Store, update: StoryUpdate) -> None:
    """Store the batch's documents, frequencies and article stories; rebuild the touched stories.

    One statement per table over unnested lists: DuckDB runs executemany as one statement per
    row, which made this step half of the ingest time (5 s for 2,000 terms, 8 ms so).
    """
    con = store.con
    docs = update.docs
    if docs:
        con.execute(
            "INSERT INTO story_docs SELECT unnest(?), unnest(?), unnest(?), unnest(?), unnest(?)",
            [
                [d.id for d in docs],
                [d.seq for d in docs],
                [d.published for d in docs],
                [d.story_id for d in docs],
                [json.dumps(d.vector) for d in docs],
            ],
        )
    if update.new_df:
        terms = sorted(update.new_df)
        con.execute(
            "INSERT INTO story_df SELECT unnest(?), unnest(?) "
            "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
            [terms, [update.new_df[t] for t in terms]],
        )
    keys = sorted(update.story_of)
    con.execute(
        "UPDATE articles SET story_id = m.s FROM (SELECT unnest(?) AS id, unnest(?) AS s) m "
        "WHERE articles.id = m.id",
        [keys, [update.story_of[k] for k in keys]],
    )
    con.execute("DELETE FROM stories WHERE story_id IN (SELECT unnest(?))", [update.touched])
    con.execute(
        "INSERT INTO stories SELECT story_id, min(seq), min_by(id, seq), min_by(title, seq), "
        "min(published_date), max(published_date), count(*), count(*) FILTER (duplicate_of IS NULL), "
        "count(DISTINCT site) FROM articles WHERE story_id IN (SELECT unnest(?)) GROUP BY story_id",
        [update.touched],
    )


# ---------------------------------------------------------------------------- event clusters

#: Event rows as :func:`legation.crossdoc.clusters.mention_from` reads them.
EVENT_ROW = (
    "SELECT e.id, e.seq, e.idx, e.record, a.published_date, a.story_id, e.event_cluster "
    "FROM events e JOIN articles a ON a.id = e.article_id "
)
#: The fields clustering reads, extracted by DuckDB for
#: :func:`legation.crossdoc.clusters.mention_from_fields`: the pool is thousands of stored
#: mentions a batch, and parsing their records in Python was 18% of the ingest's main process
#: at 18,000 synthetic articles (py-spy).
EVENT_FIELDS = (
    "SELECT e.id, e.seq, e.idx, e.event, e.record->>'$.aux', "
    "json_extract_string(e.record, '$.actor[*].code'), json_extract_string(e.record, '$.recipient[*].code'), "
    "e.record->>'$.date', e.record->>'$.date_precision', a.published_date, a.story_id, e.event_cluster "
    "FROM events e JOIN articles a ON a.id = e.article_id "
)


def batch_events(store: Store, ids: Sequence[str]) -> tuple[list[Mention], list[str]]:
    """The batch's event mentions in storage order, and their stored JSON records."""
    rows = _all(
        store, EVENT_ROW + "WHERE e.article_id IN (SELECT unnest(?)) ORDER BY e.seq, e.idx", [list(ids)]
    )
    return [mention_from(r) for r in rows], [str(r[3]) for r in rows]


def cluster_pool(store: Store, q: PoolQuery) -> list[Mention]:
    """The stored mentions of ``q``, then every other stored member of the clusters found."""
    where = ["a.story_id IN (SELECT unnest(?))"]
    params: list[object] = [q.stories]
    if q.story_window is not None:
        where[0] = (
            "(a.story_id IN (SELECT unnest(?))"
            " AND (a.published_date IS NULL OR a.published_date BETWEEN ? AND ?))"
        )
        params += list(q.story_window)
    if q.close_window is not None:
        where.append("a.published_date BETWEEN ? AND ?")
        params += list(q.close_window)
    pool = [
        mention_from_fields(r)
        for r in _all(
            store,
            EVENT_FIELDS + f"WHERE e.seq < ? AND e.event_cluster IS NOT NULL AND ({' OR '.join(where)}) "
            "AND e.event IN (SELECT unnest(?::VARCHAR[])) "
            "AND e.id IN (SELECT event_id FROM event_parties WHERE code IN (SELECT unnest(?::VARCHAR[])))",
            [q.before_seq, *params, q.types, q.codes],
        )
    ]
    seen = {m.id for m in pool}
    clusters = sorted({m.cluster for m in pool if m.cluster})
    members = _all(
        store,
        EVENT_FIELDS + "WHERE e.seq < ? AND e.event_cluster IN (SELECT unnest(?))",
        [q.before_seq, clusters],
    )
    return pool + [m for m in map(mention_from_fields, members) if m.id not in seen]


def write_clusters(store: Store, update: ClusterUpdate) -> None:
    """Set the batch events' clusters (column and record) and recount the touched clusters.

    Counts cover originals only: a duplicate's mentions join the cluster, not the counts.
    """
    con = store.con
    con.execute(
        "UPDATE events SET event_cluster = m.c, record = CAST(m.r AS JSON) "
        "FROM (SELECT unnest(?) AS id, unnest(?) AS c, unnest(?) AS r) m WHERE events.id = m.id",
        [update.ids, update.clusters, update.records],
    )
    con.execute("DELETE FROM event_clusters WHERE cluster_id IN (SELECT unnest(?))", [update.touched])
    con.execute(
        "INSERT INTO event_clusters SELECT e.event_cluster, min(e.seq), "
        "min_by(e.id, e.seq * 100000 + e.idx), "
        "min(e.event), min_by(a.story_id, e.seq), min(e.date), max(e.date), "
        "count(*) FILTER (a.duplicate_of IS NULL), "
        "count(DISTINCT e.article_id) FILTER (a.duplicate_of IS NULL), "
        "count(DISTINCT coalesce(a.site, a.source)) FILTER (a.duplicate_of IS NULL) "
        "FROM events e JOIN articles a ON a.id = e.article_id "
        "WHERE e.event_cluster IN (SELECT unnest(?)) GROUP BY e.event_cluster",
        [update.touched],
    )


# ---------------------------------------------------------------------------- claims

#: The day of a stored claim, in SQL: the reading of :func:`legation.crossdoc.claims.claim_day`.
_DAY_SQL = "TRY_CAST(left(record->>'$.as_of', 10) AS DATE)"


def insert_claims(store: Store, rows: Sequence[ClaimRow]) -> None:
    """Store new claims (group and flag not set yet), in one statement over unnested lists.

    One statement because ``executemany`` is one per row in DuckDB (about a millisecond
    each). A plain ``INSERT``: the claims are those of articles just stored, whose ids (a hash
    of the article and the figure's offsets) no stored claim has; a repeated id in ``rows``
    keeps its last row. (``INSERT OR REPLACE`` here stores the rows in another order than
    given when the table holds rows, and exports order claims of one article as stored.)
    """
    last = list({r.id: r for r in rows}.values())
    if last:
        store.con.execute(
            "INSERT INTO claims (id, seq, article_id, topic, record)"
            " SELECT unnest(?::VARCHAR[]), unnest(?::BIGINT[]), unnest(?::VARCHAR[]), unnest(?::VARCHAR[]),"
            " CAST(unnest(?::VARCHAR[]) AS JSON)",
            [
                [r.id for r in last],
                [r.seq for r in last],
                [r.article_id for r in last],
                [r.topic for r in last],
                [json.dumps(r.record) for r in last],
            ],
        )


def claim_days_of(store: Store, ids: Sequence[str]) -> list[tuple[str, str | None]]:
    """``(topic, as_of)`` of the stored claims of the articles ``ids``: what regrouping needs."""
    rows = _all(
        store,
        "SELECT topic, record->>'$.as_of' FROM claims WHERE article_id IN (SELECT unnest(?))",
        [list(ids)],
    )
    return [(str(t), None if d is None else str(d)) for t, d in rows]


def open_group_start(store: Store, topic: str, since: date) -> date | None:
    """The first day of the stored group of ``topic`` holding the latest claim before ``since``.

    Groups before it cannot change (they are built left to right); it and the later ones can.
    ``None`` when no claim of the topic is dated before ``since``.
    """
    value = store.scalar(
        f"SELECT min({_DAY_SQL}) FROM claims WHERE topic = ? AND group_id = ("
        f" SELECT group_id FROM claims WHERE topic = ? AND group_id IS NOT NULL AND {_DAY_SQL} < ?"
        f" ORDER BY {_DAY_SQL} DESC, id DESC LIMIT 1)",
        [topic, topic, since],
    )
    return _day(value)


def claims_before(store: Store, topic: str, day: date) -> int:
    """How many stored claims of ``topic`` are dated before ``day``."""
    return int(store.scalar(f"SELECT count(*) FROM claims WHERE topic = ? AND {_DAY_SQL} < ?", [topic, day]))


def topic_claims(store: Store, topic: str, since: date | None) -> list[StoredClaim]:
    """The stored claims of ``topic`` dated from ``since`` on (all of them, undated too, for ``None``)."""
    sql = "SELECT id, record, group_id, disputed FROM claims WHERE topic = ?"
    params: list[object] = [topic]
    if since is not None:
        sql, params = sql + f" AND {_DAY_SQL} >= ?", [topic, since]
    return [StoredClaim(str(cid), json.loads(r), g, d) for cid, r, g, d in _all(store, sql, params)]


def write_claim_groups(store: Store, writes: Iterable[GroupWrite]) -> None:
    """Set group and flag on the changed claims, one statement per group (a statement per
    claim cost about a millisecond each)."""
    for w in writes:
        store.con.execute(
            "UPDATE claims SET group_id = ?, disputed = ?, record = m.r "
            "FROM (SELECT unnest(?::VARCHAR[]) AS id, unnest(?::VARCHAR[]) AS r) m WHERE claims.id = m.id",
            [w.group_id, w.disputed, w.ids, [json.dumps(r) for r in w.records]],
        )


def iter_claims(store: Store, disputed_only: bool = False) -> list[dict[str, Any]]:
    """Stored claims in article order (optionally only the disputed ones), for the CLI."""
    if not store.has_table("claims"):
        return []
    sql = "SELECT record FROM claims" + (" WHERE disputed" if disputed_only else "") + " ORDER BY seq, id"
    return [json.loads(r) for (r,) in _all(store, sql)]


# ---------------------------------------------------------------------------- agreements


def agreement_keys_of(store: Store, ids: Sequence[str]) -> set[str]:
    """The merge keys of the stored agreement mentions of the articles ``ids``."""
    rows = _all(
        store,
        "SELECT DISTINCT key FROM agreement_mentions WHERE article_id IN (SELECT unnest(?))",
        [list(ids)],
    )
    return {str(k) for (k,) in rows}


def insert_agreement_mentions(store: Store, rows: Sequence[MentionRow]) -> None:
    """Store new agreement mentions, in one statement over unnested lists (``executemany`` is
    one statement per row in DuckDB, about a millisecond each)."""
    if rows:
        store.con.execute(
            "INSERT INTO agreement_mentions SELECT unnest(?::VARCHAR[]), unnest(?::BIGINT[]),"
            " unnest(?::VARCHAR[]), CAST(unnest(?::VARCHAR[]) AS JSON)",
            [
                [r.article_id for r in rows],
                [r.seq for r in rows],
                [r.key for r in rows],
                [json.dumps(r.record) for r in rows],
            ],
        )


def agreement_mentions(store: Store, key: str) -> list[tuple[int, dict[str, Any]]]:
    """Every stored ``(seq, mention)`` of the merge key ``key``, in ``seq`` order."""
    rows = _all(store, "SELECT seq, record FROM agreement_mentions WHERE key = ? ORDER BY seq", [key])
    return [(int(seq), json.loads(r)) for seq, r in rows]


def replace_agreement(store: Store, rid: str, row: AgreementRow | None) -> None:
    """Replace the record ``rid`` by ``row`` (drop it when ``None``: no mention is left)."""
    store.con.execute("DELETE FROM agreements WHERE id = ?", [rid])
    if row is not None:
        store.con.execute(
            "INSERT INTO agreements VALUES (?, ?, ?)", [row.id, row.seq, json.dumps(row.record)]
        )


def iter_agreements(store: Store) -> list[dict[str, Any]]:
    """Every agreement record in order of first mention, for the CLI."""
    return list(agreement_records(store))


# ---------------------------------------------------------------------------- relations graph


def event_records(store: Store) -> Iterator[dict[str, Any]]:
    """Every stored event record in storage order, streamed (the graph reads them all)."""
    for row in store.iter_rows("SELECT record FROM events ORDER BY seq, idx"):
        yield json.loads(row["record"])


def agreement_records(store: Store) -> Iterator[dict[str, Any]]:
    """Every agreement record in order of first mention (none before the table exists)."""
    if not store.has_table("agreements"):
        return
    for row in store.iter_rows("SELECT record FROM agreements ORDER BY seq, id"):
        yield json.loads(row["record"])
