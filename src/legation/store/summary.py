"""Summary tables: what the API's heavy answers aggregate, precomputed from the events.

At a million events the actor page (a timeline, relations and the latest events of one actor)
took 0.6-1.2 s, the graph of a month 0.25-0.5 s and a deep page of the event listing 70-130 ms,
all of it scans and sorts of ``events`` and ``event_parties``; under 50 clients on one core
every other request queued behind them (docs/performance.md). The tables below hold those
aggregates (schema migration 10) and are rebuilt from ``events``, ``event_parties``,
``articles`` and ``mentions``:

* ``sum_events``: every event in the listing's order (``date`` newest first, undated last,
  then ``seq``, ``idx``) as ``pos`` 1..N, with the columns the list filters test and
  ``original`` (its article is no duplicate). Stored in ``pos`` order, so a page is a range.
* ``sum_parties``: ``(side, key, pos)`` for each code and actor_id on each side of an event,
  sorted, so an actor filter reads one range.
* ``sum_actor_months``, ``sum_actor_latest``: original events per the keys of their actor side
  and of their recipient side (``ks_actor``, ``ks_recipient``: every code and actor_id named
  there, sorted), counted per month and quad, and the latest 100 ``pos`` of each group. An
  actor with keys K owns the groups where either side's keys meet K; each event is in exactly
  one group, so the sums are the counts of distinct events.
* ``sum_actor_relations``, ``sum_relation_latest``: per keys of one side and counterpart code
  on the other side, events per quad, their Goldstein sum, and the latest 50 ``pos``.
* ``sum_graph``: per date, actor code, recipient code and kind (cooperation for quads 1-2,
  conflict for 3-4), the events and the ids of the latest 50; a window sums its dates, and
  its latest ids are those of its latest dates (the listing's order is by date first).
* ``sum_mentions``: mentions per ``(actor_id, code)``.
* ``sum_clusters``: the events of each event cluster, sorted by a hash of the cluster id (an
  event's page lists its cluster's mentions: a range found by the integer's zone maps here,
  where ids sharing their first 8 bytes defeat DuckDB's string statistics, and a scan of a
  million rows in ``events``).

Never stale: ``summary_state`` keeps a fingerprint of the rows they are built from (counts and
sums of row hashes, plus :data:`SUMMARY_VERSION`). :func:`refresh` rebuilds when it differs;
it runs at the end of every ingest, on ``legation migrate``, and on the API's private snapshot
when that snapshot is taken (:mod:`legation.store.snapshot`), so a file written another way (a
killed ingest, ``bench/gen_events_db.py``, a test fixture) is still served right.
"""

from __future__ import annotations

import duckdb

#: Bump when a table below changes what it holds: every database is then rebuilt once.
SUMMARY_VERSION = 1
#: The latest events kept per group: the actor page shows 100, a relation and an edge 50.
ACTOR_LATEST = 100
RELATION_LATEST = 50
GRAPH_ITEMS = 50

TABLES = (
    "sum_events",
    "sum_parties",
    "sum_actor_months",
    "sum_actor_latest",
    "sum_actor_relations",
    "sum_relation_latest",
    "sum_graph",
    "sum_mentions",
    "sum_clusters",
)

#: Migration 10 (store/schema.py): the tables, empty until :func:`refresh` fills them.
MIGRATION_SQL = """
    CREATE TABLE summary_state (name VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
    CREATE TABLE sum_events (
        pos BIGINT NOT NULL, id VARCHAR NOT NULL, article_id VARCHAR NOT NULL, event VARCHAR NOT NULL,
        quad INTEGER, date VARCHAR, goldstein DOUBLE, story_id VARCHAR, original BOOLEAN NOT NULL
    );
    CREATE TABLE sum_parties (side VARCHAR NOT NULL, key VARCHAR NOT NULL, pos BIGINT NOT NULL);
    CREATE TABLE sum_actor_months (
        ks_actor VARCHAR[] NOT NULL, ks_recipient VARCHAR[] NOT NULL, month VARCHAR NOT NULL,
        quad INTEGER NOT NULL, n BIGINT NOT NULL
    );
    CREATE TABLE sum_actor_latest (
        ks_actor VARCHAR[] NOT NULL, ks_recipient VARCHAR[] NOT NULL, latest BIGINT[] NOT NULL
    );
    CREATE TABLE sum_actor_relations (
        ks VARCHAR[] NOT NULL, code VARCHAR NOT NULL, quad INTEGER NOT NULL, n BIGINT NOT NULL,
        g DOUBLE NOT NULL
    );
    CREATE TABLE sum_relation_latest (ks VARCHAR[] NOT NULL, code VARCHAR NOT NULL, latest BIGINT[] NOT NULL);
    CREATE TABLE sum_graph (
        date VARCHAR, source VARCHAR NOT NULL, target VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        n BIGINT NOT NULL, items VARCHAR[] NOT NULL
    );
    CREATE TABLE sum_mentions (actor_id VARCHAR, code VARCHAR, n BIGINT NOT NULL);
    CREATE TABLE sum_clusters (
        h UBIGINT NOT NULL, event_cluster VARCHAR NOT NULL, id VARCHAR NOT NULL, seq BIGINT NOT NULL,
        idx INTEGER NOT NULL
    );
"""

FINGERPRINT_SQL = """
    SELECT concat_ws(':',
        (SELECT count(*) || '/' || coalesce(sum(hash(id, article_id, event, quad, date, goldstein, seq,
         idx, event_cluster)), 0) FROM events),
        (SELECT count(*) || '/' || coalesce(sum(hash(event_id, side, code, actor_id)), 0) FROM event_parties),
        (SELECT count(*) || '/' || coalesce(sum(hash(id, duplicate_of, story_id)), 0) FROM articles),
        (SELECT count(*) || '/' || coalesce(sum(hash(article_id, start_char, end_char, actor_id, code)), 0)
         FROM mentions))
"""

_BUILD = [
    # The listing's order, once: every later table speaks of events by their pos.
    """
    INSERT INTO sum_events
    SELECT row_number() OVER (ORDER BY e.date DESC NULLS LAST, e.seq, e.idx) AS pos, e.id, e.article_id,
           e.event, e.quad, e.date, e.goldstein, a.story_id, a.duplicate_of IS NULL
    FROM events e LEFT JOIN articles a ON a.id = e.article_id ORDER BY pos
    """,
    """
    INSERT INTO sum_parties
    SELECT DISTINCT p.side, k.key, s.pos
    FROM event_parties p JOIN sum_events s ON s.id = p.event_id, unnest([p.code, p.actor_id]) k(key)
    WHERE k.key IS NOT NULL ORDER BY 1, 2, 3
    """,
    """
    CREATE TEMP TABLE _sides AS
    SELECT p.pos, p.side, list(p.key ORDER BY p.key) AS ks
    FROM sum_parties p JOIN sum_events s ON s.pos = p.pos WHERE s.original GROUP BY p.pos, p.side
    """,
    """
    CREATE TEMP TABLE _codes AS
    SELECT DISTINCT s.pos, p.side, p.code FROM event_parties p JOIN sum_events s ON s.id = p.event_id
    WHERE s.original AND p.code IS NOT NULL AND p.code <> ''
    """,
    """
    CREATE TEMP TABLE _pairs AS
    SELECT s.pos, s.date, coalesce(s.quad, 0) AS quad, coalesce(a.ks, []) AS ks_actor,
           coalesce(r.ks, []) AS ks_recipient
    FROM sum_events s LEFT JOIN _sides a ON a.pos = s.pos AND a.side = 'actor'
    LEFT JOIN _sides r ON r.pos = s.pos AND r.side = 'recipient'
    WHERE s.original AND (a.pos IS NOT NULL OR r.pos IS NOT NULL)
    """,
    """
    INSERT INTO sum_actor_months
    SELECT ks_actor, ks_recipient, coalesce(nullif(substr(date, 1, 7), ''), 'unknown'), quad, count(*)
    FROM _pairs GROUP BY ALL
    """,
    f"""
    INSERT INTO sum_actor_latest
    SELECT ks_actor, ks_recipient, list(pos ORDER BY pos)[1:{ACTOR_LATEST}] FROM _pairs GROUP BY ALL
    """,
    """
    INSERT INTO sum_actor_relations
    SELECT m.ks, o.code, coalesce(s.quad, 0), count(*), sum(coalesce(s.goldstein, 0))
    FROM _sides m JOIN _codes o ON o.pos = m.pos AND o.side <> m.side JOIN sum_events s ON s.pos = m.pos
    GROUP BY ALL
    """,
    f"""
    INSERT INTO sum_relation_latest
    SELECT m.ks, o.code, list(m.pos ORDER BY m.pos)[1:{RELATION_LATEST}]
    FROM _sides m JOIN _codes o ON o.pos = m.pos AND o.side <> m.side GROUP BY ALL
    """,
    f"""
    INSERT INTO sum_graph
    SELECT s.date, a.code, r.code, CASE WHEN s.quad <= 2 THEN 'cooperation' ELSE 'conflict' END, count(*),
           list(s.id ORDER BY s.pos)[1:{GRAPH_ITEMS}]
    FROM sum_events s JOIN _codes a ON a.pos = s.pos AND a.side = 'actor'
    JOIN _codes r ON r.pos = s.pos AND r.side = 'recipient'
    WHERE s.quad IN (1, 2, 3, 4) AND a.code <> r.code GROUP BY ALL
    """,
    "INSERT INTO sum_mentions SELECT actor_id, code, count(*) FROM mentions GROUP BY ALL",
    """
    INSERT INTO sum_clusters SELECT hash(event_cluster) AS h, event_cluster, id, seq, idx FROM events
    WHERE event_cluster IS NOT NULL ORDER BY h, seq, idx
    """,
    "DROP TABLE _sides",
    "DROP TABLE _codes",
    "DROP TABLE _pairs",
]


def fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """What the summaries are built from, in one string: equal strings, equal summaries."""
    row = con.execute(FINGERPRINT_SQL).fetchone()
    return f"v{SUMMARY_VERSION}:{row[0] if row else ''}"


def stored_fingerprint(con: duckdb.DuckDBPyConnection) -> str | None:
    """The fingerprint the summaries were last built for (None: never built)."""
    row = con.execute("SELECT value FROM summary_state WHERE name = 'fingerprint'").fetchone()
    return str(row[0]) if row else None


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the summaries match the rows they are built from."""
    return stored_fingerprint(con) == fingerprint(con)


def refresh(con: duckdb.DuckDBPyConnection, *, in_transaction: bool = False) -> bool:
    """Rebuild the summaries when their fingerprint is not the data's; True when rebuilt.

    Runs in its own transaction unless ``in_transaction`` (the caller's is open), so a reader
    sees the old summaries or the new ones, never a mix.
    """
    has = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'summary_state'"
    ).fetchone()
    if not has or not has[0]:
        return False  # a schema older than migration 10 (a test pinning an old version)
    current = fingerprint(con)
    if stored_fingerprint(con) == current:
        return False
    if not in_transaction:
        con.execute("BEGIN TRANSACTION")
    try:
        for table in TABLES:
            con.execute(f"DELETE FROM {table}")
        for sql in _BUILD:
            con.execute(sql)
        con.execute(
            "INSERT INTO summary_state VALUES ('fingerprint', ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            [current],
        )
        if not in_transaction:
            con.execute("COMMIT")
    except BaseException:
        if not in_transaction:
            con.execute("ROLLBACK")
        raise
    return True
