"""The database schema, as an ordered list of migrations.

A database records the highest migration applied in ``schema_version``. Opening a database
applies the missing ones in order, each in its own transaction, so an old database is
upgraded in place and a crash during an upgrade leaves the previous version intact.
Never edit a released migration: append a new one.
"""

from __future__ import annotations

from legation.store.summary import MIGRATION_SQL as SUMMARY_TABLES

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "articles, duplicates and site chrome memory",
        """
        CREATE TABLE articles (
            id VARCHAR PRIMARY KEY,
            seq BIGINT NOT NULL,
            source VARCHAR NOT NULL,
            input_key VARCHAR NOT NULL,
            url VARCHAR,
            site VARCHAR,
            title VARCHAR,
            published VARCHAR,
            published_date DATE,
            published_basis VARCHAR NOT NULL,
            published_precision VARCHAR NOT NULL,
            author VARCHAR[],
            text VARCHAR NOT NULL,
            datelines JSON,
            fmt VARCHAR,
            encoding VARCHAR,
            lang VARCHAR,
            content_hash VARCHAR NOT NULL,
            norm_hash VARCHAR NOT NULL,
            duplicate_of VARCHAR,
            story_id VARCHAR,
            warnings VARCHAR[]
        );
        CREATE INDEX articles_norm_hash ON articles (norm_hash);
        CREATE TABLE article_minhash (
            article_id VARCHAR PRIMARY KEY,
            signature BLOB NOT NULL
        );
        CREATE TABLE minhash_bands (
            band SMALLINT NOT NULL,
            hash BIGINT NOT NULL,
            article_id VARCHAR NOT NULL
        );
        CREATE TABLE site_lines (
            site VARCHAR NOT NULL,
            key VARCHAR NOT NULL,
            n_docs INTEGER NOT NULL,
            PRIMARY KEY (site, key)
        );
        CREATE TABLE site_docs (
            site VARCHAR PRIMARY KEY,
            n_docs INTEGER NOT NULL
        );
        CREATE TABLE ingest_runs (
            run_id VARCHAR PRIMARY KEY,
            started VARCHAR NOT NULL,
            finished VARCHAR,
            inputs INTEGER,
            added INTEGER,
            skipped INTEGER,
            failed INTEGER
        );
        CREATE TABLE ingest_errors (
            run_id VARCHAR NOT NULL,
            source VARCHAR NOT NULL,
            locator VARCHAR,
            reason VARCHAR NOT NULL
        );
        """,
    ),
]

MIGRATIONS.append(
    (
        2,
        "actor mentions",
        """
        CREATE TABLE mentions (
            seq BIGINT NOT NULL,
            article_id VARCHAR NOT NULL,
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL,
            actor_id VARCHAR,
            code VARCHAR,
            kind VARCHAR,
            record JSON NOT NULL
        );
        CREATE INDEX mentions_article ON mentions (article_id);
        """,
    )
)

MIGRATIONS.append(
    (
        3,
        "events",
        """
        CREATE TABLE events (
            id VARCHAR PRIMARY KEY,
            seq BIGINT NOT NULL,
            idx INTEGER NOT NULL,
            article_id VARCHAR NOT NULL,
            event VARCHAR NOT NULL,
            quad INTEGER,
            date VARCHAR,
            event_cluster VARCHAR,
            record JSON NOT NULL
        );
        CREATE INDEX events_article ON events (article_id);
        """,
    )
)

MIGRATIONS.append(
    (
        4,
        "stories and event clusters",
        """
        CREATE TABLE story_docs (
            article_id VARCHAR PRIMARY KEY,
            seq BIGINT NOT NULL,
            published_date DATE,
            story_id VARCHAR NOT NULL,
            vector JSON NOT NULL
        );
        CREATE TABLE story_df (
            term VARCHAR PRIMARY KEY,
            df INTEGER NOT NULL
        );
        CREATE TABLE stories (
            story_id VARCHAR PRIMARY KEY,
            seq BIGINT NOT NULL,
            first_article VARCHAR NOT NULL,
            title VARCHAR,
            first_published DATE,
            last_published DATE,
            articles INTEGER NOT NULL,
            originals INTEGER NOT NULL,
            sites INTEGER NOT NULL
        );
        CREATE TABLE event_clusters (
            cluster_id VARCHAR PRIMARY KEY,
            seq BIGINT NOT NULL,
            first_event VARCHAR NOT NULL,
            event VARCHAR NOT NULL,
            story_id VARCHAR,
            date_min VARCHAR,
            date_max VARCHAR,
            mentions INTEGER NOT NULL,
            articles INTEGER NOT NULL,
            sources INTEGER NOT NULL
        );
        """,
    )
)

MIGRATIONS.append(
    (
        5,
        "claims and agreements",
        """
        CREATE TABLE claims (
            id VARCHAR PRIMARY KEY,
            seq BIGINT NOT NULL,
            article_id VARCHAR NOT NULL,
            topic VARCHAR NOT NULL,
            group_id VARCHAR,
            disputed BOOLEAN,
            record JSON NOT NULL
        );
        CREATE INDEX claims_article ON claims (article_id);
        CREATE TABLE agreement_mentions (
            article_id VARCHAR NOT NULL,
            seq BIGINT NOT NULL,
            key VARCHAR NOT NULL,
            record JSON NOT NULL
        );
        CREATE TABLE agreements (
            id VARCHAR PRIMARY KEY,
            seq BIGINT NOT NULL,
            record JSON NOT NULL
        );
        """,
    )
)

MIGRATIONS.append(
    (
        6,
        "article language",
        # "en" or "und" (not English: stored, but no mentions or events), set by the pipeline's
        # language stage. Rows stored before keep NULL (not judged). The ``lang`` column of
        # migration 1 was never written; it stays (always NULL) because DuckDB cannot rename
        # or drop a column of a table that has an index.
        """
        ALTER TABLE articles ADD COLUMN language VARCHAR;
        """,
    )
)

#: The parties of the stored events, read from their records. Used by migration 7 and by
#: tools that write events with SQL (``bench/gen_events_db.py``); the pipeline writes the same
#: rows from the events it stores (``Store.insert_events``).
EVENT_PARTIES_FROM_RECORDS = """
    INSERT INTO event_parties
    SELECT e.id, 'actor', p->>'code', p->>'actor_id'
    FROM events e, unnest(CAST(json_extract(e.record, '$.actor') AS JSON[])) u(p);
    INSERT INTO event_parties
    SELECT e.id, 'recipient', p->>'code', p->>'actor_id'
    FROM events e, unnest(CAST(json_extract(e.record, '$.recipient') AS JSON[])) u(p);
    UPDATE events SET goldstein = TRY_CAST(json_extract(record, '$.goldstein') AS DOUBLE);
"""

MIGRATIONS.append(
    (
        7,
        "event parties",
        # Who is on each side of an event, one row per party, and the Goldstein score as a
        # column: the actor page and the graph aggregate over them in SQL. Reading the same
        # fields out of a million JSON records took 2.9 s for one frequent actor (17 s p50
        # under 50 clients, bench/bench_api_load.py).
        """
        CREATE TABLE event_parties (
            event_id VARCHAR NOT NULL,
            side VARCHAR NOT NULL,
            code VARCHAR,
            actor_id VARCHAR
        );
        ALTER TABLE events ADD COLUMN goldstein DOUBLE;
        """
        + EVENT_PARTIES_FROM_RECORDS,
    )
)

MIGRATIONS.append(
    (
        8,
        "watch sources, items and alerts",
        # What `legation watch` needs to resume without fetching or alerting twice: each source
        # with its health and the validators of its last answer (ETag, Last-Modified), each item
        # seen (a URL, or a file's path) with its validators, content hash and result, every
        # alert fired (one row per rule and fact: its id is a hash of both) and each action
        # that delivered it, and the watermark of the articles already matched against events.
        """
        CREATE TABLE watch_sources (
            source VARCHAR PRIMARY KEY,
            kind VARCHAR NOT NULL,
            added VARCHAR NOT NULL,
            last_poll VARCHAR,
            last_success VARCHAR,
            last_error VARCHAR,
            last_error_at VARCHAR,
            polls INTEGER NOT NULL,
            failures INTEGER NOT NULL,
            items INTEGER NOT NULL,
            etag VARCHAR,
            last_modified VARCHAR
        );
        CREATE TABLE watch_items (
            url VARCHAR PRIMARY KEY,
            source VARCHAR NOT NULL,
            etag VARCHAR,
            last_modified VARCHAR,
            content_hash VARCHAR,
            size BIGINT,
            mtime_ns BIGINT,
            first_seen VARCHAR NOT NULL,
            last_seen VARCHAR NOT NULL,
            result VARCHAR NOT NULL,
            article_id VARCHAR,
            versions INTEGER NOT NULL,
            attempts INTEGER NOT NULL
        );
        CREATE TABLE alerts (
            id VARCHAR PRIMARY KEY,
            seq BIGINT NOT NULL,
            rule VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,
            fact_id VARCHAR NOT NULL,
            fired VARCHAR NOT NULL,
            article_id VARCHAR,
            record JSON NOT NULL
        );
        CREATE TABLE alert_deliveries (
            alert_id VARCHAR NOT NULL,
            action VARCHAR NOT NULL,
            attempts INTEGER NOT NULL,
            delivered VARCHAR,
            error VARCHAR,
            PRIMARY KEY (alert_id, action)
        );
        CREATE TABLE watch_state (
            name VARCHAR PRIMARY KEY,
            value VARCHAR NOT NULL
        );
        """,
    )
)

MIGRATIONS.append(
    (
        9,
        "article versions",
        # A page or file stored again with other content (an edited page, a rewritten file) is a
        # new version of the same input, not a duplicate: ``version_of`` names the article it
        # replaces (the latest earlier one from the same URL, or the same input when there is
        # no URL). Older rows keep NULL: nothing recorded which of them replaced which.
        """
        ALTER TABLE articles ADD COLUMN version_of VARCHAR;
        """,
    )
)

MIGRATIONS.append(
    (
        10,
        "summary tables",
        # Aggregates of the events that the API's actor page, graph and event listing read
        # instead of scanning a million events per request, with the fingerprint of the rows
        # they were built from (store/summary.py; filled by its refresh(), which `legation
        # migrate`, every ingest and the API's snapshot run when the fingerprint differs).
        SUMMARY_TABLES,
    )
)

SCHEMA_VERSION = MIGRATIONS[-1][0]
