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


def canonical_key(alias: str = "a") -> str:
    """SQL for an article's canonical rank: its publication day, then 40 bits of the MD5 of
    its id (undated articles last), as one BIGINT.

    Stories and event clusters are assigned in this order, not in storage order (``seq``), so
    they do not depend on the order or the names of the inputs: an article's id comes from
    its content (or its record's ``id``), never from its file name or position. The steps'
    dataclasses carry it in their ``seq`` field; ``story_docs.seq`` stores it.
    """
    return (
        f"(coalesce(date_diff('day', DATE '1900-01-01', {alias}.published_date), 1048575)"
        f" * 1099511627776 + CAST(('0x' || substr(md5({alias}.id), 1, 10)) AS BIGINT))"
    )


CK = canonical_key("a")


# ---------------------------------------------------------------------------- the batch


def batch_dates(store: Store, ids: Sequence[str]) -> list[tuple[str, date | None]]:
    """``(id, published_date)`` of the batch's articles in canonical order (:func:`canonical_key`),
    to cut it into date runs."""
    if not ids:
        return []
    rows = _all(
        store,
        f"SELECT id, published_date FROM articles a WHERE id IN (SELECT unnest(?)) ORDER BY {CK}, id",
        [list(ids)],
    )
    return [(str(a), _day(d)) for a, d in rows]


# ---------------------------------------------------------------------------- stories


def story_batch(store: Store, ids: Sequence[str]) -> list[BatchArticle]:
    """The batch's articles in canonical order (their canonical rank as ``seq``), each with its
    mentions' actor ids (else codes)."""
    batch = _all(
        store,
        f"SELECT id, {CK}, title, text, published_date, duplicate_of FROM articles a "
        f"WHERE id IN (SELECT unnest(?)) ORDER BY {CK}, id",
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
    return {str(a): str(s) for a, s in rows if s is not None}


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
    rebuild_stories(store, update.touched)


def rebuild_stories(store: Store, touched: Sequence[str]) -> None:
    """Rebuild the ``stories`` rows of ``touched`` from their articles (none left: dropped).

    A story's first article and title are its canonically first original's."""
    con = store.con
    con.execute("DELETE FROM stories WHERE story_id IN (SELECT unnest(?))", [list(touched)])
    con.execute(
        f"INSERT INTO stories SELECT story_id, min(seq), min_by(id, [duplicate_of IS NOT NULL, {CK}]), "
        f"min_by(title, [duplicate_of IS NOT NULL, {CK}]), "
        "min(published_date), max(published_date), count(*), count(*) FILTER (duplicate_of IS NULL), "
        "count(DISTINCT site) FROM articles a WHERE story_id IN (SELECT unnest(?)) GROUP BY story_id",
        [list(touched)],
    )


# ---------------------------------------------------------------------------- canonical order

#: ``watch_state`` rows (name, value) of the cross-article order: the canonical rank from
#: which stories and clusters must be recomputed (absent: none), and the order the stored
#: ones were made in (absent on a database written before the canonical order).
DIRTY_KEY = "crossdoc_dirty_from"
ORDER_KEY = "crossdoc_order"


def get_state(store: Store, name: str) -> str | None:
    rows = _all(store, "SELECT value FROM watch_state WHERE name = ?", [name])
    return str(rows[0][0]) if rows else None


def set_state(store: Store, name: str, value: str | None) -> None:
    store.con.execute("DELETE FROM watch_state WHERE name = ?", [name])
    if value is not None:
        store.con.execute("INSERT INTO watch_state VALUES (?, ?)", [name, value])


def ranks(store: Store, ids: Sequence[str]) -> dict[str, int]:
    """The canonical rank of each of the stored articles ``ids``."""
    rows = _all(store, f"SELECT id, {CK} FROM articles a WHERE id IN (SELECT unnest(?))", [list(ids)])
    return {str(r[0]): int(r[1]) for r in rows}


def order_bounds(store: Store, ids: Sequence[str]) -> tuple[int | None, bool]:
    """The lowest canonical rank among the articles ``ids``, and whether a stored article
    outside them ranks above it (then what was made after that rank must be remade)."""
    low = _all(store, f"SELECT min({CK}) FROM articles a WHERE id IN (SELECT unnest(?))", [list(ids)])[0][0]
    if low is None:
        return None, False
    later = _all(
        store,
        f"SELECT count(*) FROM articles a WHERE {CK} > ? AND id NOT IN (SELECT unnest(?))",
        [int(low), list(ids)],
    )[0][0]
    return int(low), bool(later)


def has_articles_besides(store: Store, ids: Sequence[str]) -> bool:
    rows = _all(store, "SELECT count(*) FROM articles WHERE id NOT IN (SELECT unnest(?))", [list(ids)])
    return bool(rows[0][0])


def reset_from(store: Store, low: int) -> tuple[list[str], list[str], list[str]]:
    """Undo the stories and event clusters of every article ranked ``low`` or later.

    Returns the originals to assign again (in canonical order), and the stories and clusters
    they were in (to rebuild once they are). Their documents leave ``story_docs`` and their
    terms ``story_df``, so the frequencies are those of the articles ranked before ``low``.
    """
    con = store.con
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _reset AS SELECT id, duplicate_of, story_id FROM articles a "
        f"WHERE {CK} >= ?",
        [low],
    )
    try:
        stories = [
            str(r[0]) for r in _all(store, "SELECT DISTINCT story_id FROM _reset WHERE story_id IS NOT NULL")
        ]
        clusters = [
            str(r[0])
            for r in _all(
                store,
                "SELECT DISTINCT event_cluster FROM events WHERE event_cluster IS NOT NULL "
                "AND article_id IN (SELECT id FROM _reset)",
            )
        ]
        con.execute(
            "UPDATE story_df SET df = story_df.df - m.n FROM (SELECT k, count(*) AS n FROM "
            "(SELECT unnest(json_keys(vector)) AS k FROM story_docs "
            "WHERE article_id IN (SELECT id FROM _reset)) "
            "GROUP BY k) m WHERE story_df.term = m.k"
        )
        con.execute("DELETE FROM story_df WHERE df <= 0")
        con.execute("DELETE FROM story_docs WHERE article_id IN (SELECT id FROM _reset)")
        con.execute("UPDATE articles SET story_id = NULL WHERE id IN (SELECT id FROM _reset)")
        _clear_clusters(store, "article_id IN (SELECT id FROM _reset)")
        order = _all(
            store,
            "SELECT id FROM articles a WHERE id IN (SELECT id FROM _reset WHERE duplicate_of IS NULL) "
            f"ORDER BY {CK}, id",
        )
    finally:
        con.execute("DROP TABLE IF EXISTS _reset")
    return [str(r[0]) for r in order], stories, clusters


def _clear_clusters(store: Store, where: str, params: Sequence[Any] = ()) -> None:
    """Unset the cluster of the events ``where`` holds, in the column and the record."""
    store.con.execute(
        "UPDATE events SET event_cluster = NULL, record = CAST(regexp_replace(CAST(record AS VARCHAR), "
        "'\"event_cluster\": \"[^\"]*\"', '\"event_cluster\": null') AS JSON) "
        f"WHERE event_cluster IS NOT NULL AND {where}",
        list(params),
    )


def unset_duplicate_clusters(store: Store, ids: Sequence[str]) -> None:
    """Unset the per-article cluster the coder gave the events of the duplicates among ``ids``:
    a duplicate's events are kept, never clustered (they would count twice)."""
    _clear_clusters(
        store,
        "article_id IN (SELECT id FROM articles WHERE id IN (SELECT unnest(?)) AND duplicate_of IS NOT NULL)",
        [list(ids)],
    )


def copy_stories_to_duplicates(store: Store) -> list[str]:
    """Give every duplicate its original's story (after a recomputation); returns the stories."""
    store.con.execute(
        "UPDATE articles SET story_id = o.story_id FROM articles o "
        "WHERE articles.duplicate_of = o.id AND articles.story_id IS DISTINCT FROM o.story_id"
    )
    rows = _all(
        store,
        "SELECT DISTINCT story_id FROM articles WHERE duplicate_of IS NOT NULL AND story_id IS NOT NULL",
    )
    return [str(r[0]) for r in rows]


# ---------------------------------------------------------------------------- event clusters

#: Event rows as :func:`legation.crossdoc.clusters.mention_from` reads them.
EVENT_ROW = (
    f"SELECT e.id, {CK}, e.idx, e.record, a.published_date, a.story_id, e.event_cluster "
    "FROM events e JOIN articles a ON a.id = e.article_id "
)
#: The fields clustering reads, extracted by DuckDB for
#: :func:`legation.crossdoc.clusters.mention_from_fields`: the pool is thousands of stored
#: mentions a batch, and parsing their records in Python was 18% of the ingest's main process
#: at 18,000 synthetic articles (py-spy).
EVENT_FIELDS = (
    f"SELECT e.id, {CK}, e.idx, e.event, e.record->>'$.aux', "
    "json_extract_string(e.record, '$.actor[*].code'), json_extract_string(e.record, '$.recipient[*].code'), "
    "e.record->>'$.date', e.record->>'$.date_precision', a.published_date, a.story_id, e.event_cluster "
    "FROM events e JOIN articles a ON a.id = e.article_id "
)


def batch_events(store: Store, ids: Sequence[str]) -> tuple[list[Mention], list[str]]:
    """The event mentions of the batch's originals in canonical order, and their stored JSON
    records. A duplicate's events are kept but never clustered: they must not count twice."""
    rows = _all(
        store,
        EVENT_ROW + "WHERE e.article_id IN (SELECT unnest(?)) AND a.duplicate_of IS NULL "
        f"ORDER BY {CK}, a.id, e.idx",
        [list(ids)],
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
            EVENT_FIELDS + f"WHERE {CK} < ? AND e.event_cluster IS NOT NULL AND ({' OR '.join(where)}) "
            "AND e.event IN (SELECT unnest(?::VARCHAR[])) "
            "AND e.id IN (SELECT event_id FROM event_parties WHERE code IN (SELECT unnest(?::VARCHAR[])))",
            [q.before_seq, *params, q.types, q.codes],
        )
    ]
    seen = {m.id for m in pool}
    clusters = sorted({m.cluster for m in pool if m.cluster})
    members = _all(
        store,
        EVENT_FIELDS + f"WHERE {CK} < ? AND e.event_cluster IN (SELECT unnest(?))",
        [q.before_seq, clusters],
    )
    return pool + [m for m in map(mention_from_fields, members) if m.id not in seen]


def write_clusters(store: Store, update: ClusterUpdate) -> None:
    """Set the batch events' clusters (column and record) and recount the touched clusters.

    Only originals' events are clustered (a duplicate's are not), so counts cover originals.
    """
    con = store.con
    con.execute(
        "UPDATE events SET event_cluster = m.c, record = CAST(m.r AS JSON) "
        "FROM (SELECT unnest(?) AS id, unnest(?) AS c, unnest(?) AS r) m WHERE events.id = m.id",
        [update.ids, update.clusters, update.records],
    )
    recount_clusters(store, update.touched)


def recount_clusters(store: Store, touched: Sequence[str]) -> None:
    """Rebuild the ``event_clusters`` rows of ``touched`` from their members (none: dropped).

    ``first_seq`` is the earliest storage ``seq``; the first mention is the canonical first."""
    con = store.con
    con.execute("DELETE FROM event_clusters WHERE cluster_id IN (SELECT unnest(?))", [list(touched)])
    con.execute(
        "INSERT INTO event_clusters SELECT e.event_cluster, min(e.seq), "
        f"min_by(e.id, [{CK}, e.idx]), "
        f"min(e.event), min_by(a.story_id, [{CK}, e.idx]), min(e.date), max(e.date), "
        "count(*) FILTER (a.duplicate_of IS NULL), "
        "count(DISTINCT e.article_id) FILTER (a.duplicate_of IS NULL), "
        "count(DISTINCT coalesce(a.site, a.source)) FILTER (a.duplicate_of IS NULL) "
        "FROM events e JOIN articles a ON a.id = e.article_id "
        "WHERE e.event_cluster IN (SELECT unnest(?)) GROUP BY e.event_cluster",
        [list(touched)],
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


def agreement_keys_of_parties(store: Store, parties: Sequence[str]) -> set[str]:
    """Every stored merge key whose party part (before " | ") is one of ``parties``."""
    rows = _all(
        store,
        "SELECT DISTINCT key FROM agreement_mentions WHERE split_part(key, ' | ', 1) IN (SELECT unnest(?))",
        [list(parties)],
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
    """Every stored event record of an original article in storage order, streamed (the graph
    reads them all): a duplicate's events are kept but must not count twice."""
    for row in store.iter_rows(
        "SELECT record FROM events WHERE article_id NOT IN "
        "(SELECT id FROM articles WHERE duplicate_of IS NOT NULL) ORDER BY seq, idx"
    ):
        yield json.loads(row["record"])


def agreement_records(store: Store) -> Iterator[dict[str, Any]]:
    """Every agreement record in order of first mention (none before the table exists)."""
    if not store.has_table("agreements"):
        return
    for row in store.iter_rows("SELECT record FROM agreements ORDER BY seq, id"):
        yield json.loads(row["record"])
