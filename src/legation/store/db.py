"""DuckDB store: opening, migrating, and the writes and reads the stages need.

Why DuckDB: one embedded file, columnar scans for the analytical queries of later stages,
and Parquet/CSV export built in. Crash safety comes from its write-ahead log: every ingest
batch is written inside one transaction, so a process killed at any moment leaves either the
whole batch or none of it, and the next run picks up from there.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa

from legation.models import Article, InputError
from legation.store.connect import connect
from legation.store.schema import MIGRATIONS, SCHEMA_VERSION
from legation.store.summary import refresh as refresh_summaries

DEFAULT_DB = "legation.duckdb"

ARTICLE_COLUMNS = (
    "id",
    "seq",
    "source",
    "input_key",
    "url",
    "site",
    "title",
    "published",
    "published_date",
    "published_basis",
    "published_precision",
    "author",
    "text",
    "datelines",
    "fmt",
    "encoding",
    "language",
    "content_hash",
    "norm_hash",
    "duplicate_of",
    "story_id",
    "warnings",
    "version_of",
)


class StoreError(Exception):
    """The database cannot be opened or is newer than this version of Legation."""


def default_db_path() -> str:
    """``$LEGATION_DB`` if set, else ``./legation.duckdb`` (the contract's default)."""
    return os.environ.get("LEGATION_DB") or DEFAULT_DB


def _published_date(published: str | None) -> str | None:
    """The first day of a (possibly reduced) ISO date, for range queries."""
    if not published:
        return None
    p = published[:10]
    if len(p) == 4:
        return f"{p}-01-01"
    if len(p) == 7:
        return f"{p}-01"
    return p


class Store:
    """A Legation database.

    Use as a context manager; ``read_only=True`` for readers (exports, the API) so they never
    take the write lock. Opening waits up to ``wait`` seconds (default :func:`lock_timeout`)
    while another process holds a conflicting lock (:func:`connect`).
    """

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        read_only: bool = False,
        migrate: bool = True,
        wait: float | None = None,
    ) -> None:
        self.path = str(path or default_db_path())
        #: Whether the summary tables match the rows (None: not checked yet; store/summary_rows.py).
        self.summaries_current: bool | None = None
        self._tables: frozenset[str] | None = None  # None: ask the database (has_table)
        if read_only and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such database (run `legation ingest` first)")
        self._wait = wait
        try:
            self.con = self._connect(read_only)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open database: {exc}") from exc
        self.read_only = read_only
        if read_only:
            self._check_version()
            v = self.version()
            if 0 < v < SCHEMA_VERSION:
                # A reader never writes (the file's bytes must not change under `serve` or
                # `export`, and a read-only file could not be upgraded anyway): it says how to
                # upgrade instead of doing it.
                self.con.close()
                raise StoreError(
                    f"{self.path}: schema version {v} is older than this Legation ({SCHEMA_VERSION}); "
                    f"readers never write: run `legation migrate --db {self.path}` first "
                    "(any `legation ingest` into it upgrades it too)"
                )
        else:
            self._limit_memory()
            if migrate:  # False: `legation migrate`, which reports the version before
                self.migrate()

    @classmethod
    def over(
        cls, con: duckdb.DuckDBPyConnection, path: str, summaries_current: bool | None = None,
        tables: frozenset[str] | None = None,
    ) -> Store:
        """A read-only store over an open connection (a cursor of the API's snapshot) that
        speaks for ``path``, whose ``tables`` are known; closing it closes only ``con``."""
        store = cls.__new__(cls)
        store.path, store.con, store.read_only, store._wait = path, con, True, None
        store.summaries_current, store._tables = summaries_current, tables
        return store

    def _connect(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        con = connect(self.path, read_only, self._wait)
        # DuckDB draws a progress bar on stderr for queries over 2 s (a migration of a large
        # file): noise in the CLI's output and the server's log.
        con.execute("SET enable_progress_bar = false")
        return con

    def _limit_memory(self) -> None:
        """Cap DuckDB's memory on the writing connection (``$LEGATION_DUCKDB_MEMORY``, default 512MB).

        DuckDB's default limit is 80% of RAM, and its buffer cache keeps the pages an ingest
        touches, so the ingesting process grew with the database (bench_memory: about +10-19
        MiB per 1,000 synthetic articles). With a cap the cache evicts instead (re-reads come
        from the OS page cache, which is not this process' memory), and larger operators spill
        to ``<db>.tmp``. 512 MB rather than 1 GB: the 100,000-article synthetic run peaked at
        2,009 MiB for the tree with 1 GB (this process about 1.4 GB, two workers of about 310
        MiB each); at 64,000 articles DuckDB itself reported about 300 MiB in use (table pages
        and the ART indexes of the keys), so 512 MB still holds the working set. With 512 MB
        (and the hashed line counts) the 100k run peaked at 1,719 MiB (docs/performance.md).
        """
        limit = os.environ.get("LEGATION_DUCKDB_MEMORY", "512MB")
        try:
            self.con.execute(f"SET memory_limit = '{limit.replace(chr(39), '')}'")
        except duckdb.Error as exc:
            raise StoreError(f"LEGATION_DUCKDB_MEMORY={limit!r}: {exc}") from exc

    def _run(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        """Execute and fetch everything: DuckDB refuses new work on a connection while a
        previous result is only partly fetched, so no statement may leave one behind."""
        return self.con.execute(sql, list(params) if params is not None else None).fetchall()

    def _first(self, sql: str, params: Sequence[Any] | None = None) -> tuple[Any, ...] | None:
        rows = self._run(sql, params)
        return rows[0] if rows else None

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    @contextmanager
    def released(self) -> Iterator[None]:
        """Let go of the file (and its lock) for the duration, then open it again.

        An ingest waits for the workers' results of a batch outside the lock, so readers (the
        API's snapshot, ``stats``, ``export``) get in between batches, and a reader that is
        open when the ingest wants the file back only delays it (:func:`connect`). Closing
        checkpoints the write-ahead log, so what is committed is in the file itself.
        """
        assert not self.read_only
        self.con.close()
        try:
            yield
        finally:
            try:
                self.con = self._connect(False)
            except duckdb.Error as exc:
                raise StoreError(f"{self.path}: cannot open database again: {exc}") from exc
            self._limit_memory()

    def version(self) -> int:
        """The schema version of the open database (0 for an empty file)."""
        has = self._first(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
        )
        if not has or not has[0]:
            return 0
        row = self._first("SELECT max(version) FROM schema_version")
        return int(row[0]) if row and row[0] is not None else 0

    def _check_version(self) -> None:
        v = self.version()
        if v > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: schema version {v} is newer than this Legation ({SCHEMA_VERSION})"
            )

    def migrate(self) -> int:
        """Apply missing migrations, each atomically. Returns the resulting version."""
        self._check_version()
        self._run(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER, name VARCHAR, applied VARCHAR)"
        )
        current = self.version()
        for version, name, sql in MIGRATIONS:
            if version <= current:
                continue
            self._run("BEGIN TRANSACTION")
            try:
                self._run(sql)
                self._run(
                    "INSERT INTO schema_version VALUES (?, ?, CAST(current_timestamp AS VARCHAR))",
                    [version, name],
                )
                self._run("COMMIT")
            except BaseException:
                self._run("ROLLBACK")
                raise
        if current < SCHEMA_VERSION:  # upgraded (or created): the summaries are built for it
            refresh_summaries(self.con)
        return self.version()

    def begin(self) -> None:
        self._run("BEGIN TRANSACTION")

    def commit(self) -> None:
        self._run("COMMIT")

    def rollback(self) -> None:
        self._run("ROLLBACK")

    # ------------------------------------------------------------------ articles
    def sources_of(self, ids: Iterable[str]) -> dict[str, str]:
        """The stored source of each of ``ids`` that is stored."""
        wanted = list(dict.fromkeys(ids))
        found: dict[str, str] = {}
        for i in range(0, len(wanted), 5000):
            chunk = wanted[i : i + 5000]
            rows = self._run(
                "SELECT id, source FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [chunk]
            )
            found.update((str(r[0]), str(r[1])) for r in rows)
        return found

    def next_seq(self) -> int:
        row = self._first("SELECT coalesce(max(seq), 0) FROM articles")
        return int(row[0]) + 1 if row else 1

    def insert_articles(self, rows: Sequence[tuple[Article, int]]) -> None:
        """Insert articles with their sequence numbers, in one bulk statement.

        Bulk through Arrow rather than row by row: DuckDB's per-row inserts cost about a
        millisecond each, which would dominate ingest time.
        """
        if not rows:
            return

        cols: dict[str, list[Any]] = {c: [] for c in ARTICLE_COLUMNS}
        for a, seq in rows:
            values: dict[str, Any] = {
                "id": a.id,
                "seq": seq,
                "source": a.source,
                "input_key": a.input_key,
                "url": a.url,
                "site": a.site,
                "title": a.title,
                "published": a.published,
                "published_date": _published_date(a.published),
                "published_basis": a.published_basis,
                "published_precision": a.published_precision,
                "author": list(a.author),
                "text": a.text,
                "datelines": json.dumps([asdict(d) for d in a.datelines]),
                "fmt": a.fmt,
                "encoding": a.encoding,
                "language": a.language,
                "content_hash": a.content_hash,
                "norm_hash": a.norm_hash,
                "duplicate_of": a.duplicate_of,
                "story_id": a.story_id,
                "warnings": list(a.warnings),
                "version_of": a.version_of,
            }
            for c in ARTICLE_COLUMNS:
                cols[c].append(values[c])
        lists = {"author", "warnings"}
        table = pa.table(
            {
                c: pa.array(
                    v,
                    type=pa.list_(pa.string()) if c in lists else (pa.int64() if c == "seq" else pa.string()),
                )
                for c, v in cols.items()
            }
        )
        select = ", ".join(
            f"CAST({c} AS DATE)" if c == "published_date" else f"CAST({c} AS JSON)" if c == "datelines" else c
            for c in ARTICLE_COLUMNS
        )
        self.con.register("_new_articles", table)
        try:
            self._run(
                f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) SELECT {select} FROM _new_articles"
            )
        finally:
            self.con.unregister("_new_articles")

    def insert_mentions(self, rows: Sequence[tuple[Article, int]]) -> None:
        """Store the actor mentions of the given articles (``seq`` orders them in exports)."""

        recs = [(seq, a.id, m) for a, seq in rows for m in a.mentions]
        if not recs:
            return
        table = pa.table(
            {
                "seq": pa.array([r[0] for r in recs], pa.int64()),
                "article_id": [r[1] for r in recs],
                "start_char": pa.array([r[2].start for r in recs], pa.int32()),
                "end_char": pa.array([r[2].end for r in recs], pa.int32()),
                "actor_id": [r[2].actor_id for r in recs],
                "code": [r[2].code for r in recs],
                "kind": [r[2].kind for r in recs],
                "record": [json.dumps(r[2].to_record(r[1]), ensure_ascii=False) for r in recs],
            }
        )
        self.con.register("_mentions", table)
        try:
            self._run(
                "INSERT INTO mentions SELECT seq, article_id, start_char, end_char, actor_id, code, kind, "
                "CAST(record AS JSON) FROM _mentions"
            )
        finally:
            self.con.unregister("_mentions")

    def insert_events(self, rows: Sequence[tuple[Article, int]]) -> None:
        """Store the events of the given articles; ids are ``<article id>-e<n>``, stable across runs."""

        recs = [
            (f"{a.id}-e{i}", seq, i, a.id, e, e.to_record(f"{a.id}-e{i}", a.id))
            for a, seq in rows
            for i, e in enumerate(a.events, start=1)
        ]
        if not recs:
            return
        table = pa.table(
            {
                "id": [r[0] for r in recs],
                "seq": pa.array([r[1] for r in recs], pa.int64()),
                "idx": pa.array([r[2] for r in recs], pa.int32()),
                "article_id": [r[3] for r in recs],
                "event": [r[4].event for r in recs],
                "quad": pa.array([r[4].quad for r in recs], pa.int32()),
                "date": [r[4].date for r in recs],
                "event_cluster": [r[4].event_cluster for r in recs],
                "goldstein": pa.array([r[5].get("goldstein") for r in recs], pa.float64()),
                "record": [json.dumps(r[5], ensure_ascii=False) for r in recs],
            }
        )
        parties = [
            (r[0], side, p.get("code"), p.get("actor_id"))
            for r in recs
            for side in ("actor", "recipient")
            for p in r[5].get(side) or []
        ]
        self.con.register("_events", table)
        try:
            self._run(
                "INSERT INTO events (id, seq, idx, article_id, event, quad, date, event_cluster, goldstein, "
                "record) SELECT id, seq, idx, article_id, event, quad, date, event_cluster, goldstein, "
                "CAST(record AS JSON) FROM _events"
            )
        finally:
            self.con.unregister("_events")
        if parties:
            columns = [list(c) for c in zip(*parties, strict=True)]
            self._run(
                "INSERT INTO event_parties SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
                "unnest(?::VARCHAR[]), unnest(?::VARCHAR[])",
                columns,
            )

    def originals_by_norm_hash(self, hashes: Sequence[str]) -> dict[str, str]:
        """norm_hash -> id of the stored original (not itself a duplicate) with that body."""
        if not hashes:
            return {}
        rows = self._run(
            "SELECT norm_hash, min_by(id, seq) FROM articles WHERE duplicate_of IS NULL "
            "AND norm_hash IN (SELECT unnest(?::VARCHAR[])) GROUP BY norm_hash",
            [list(hashes)],
        )
        return {r[0]: r[1] for r in rows}

    def versions_by_key(self, keys: Sequence[str]) -> dict[str, list[str]]:
        """Version key (an article's URL, else its input key) -> ids stored under it, oldest
        first: what a new article from the same page or file is a later version of."""
        if not keys:
            return {}
        rows = self._run(
            "SELECT coalesce(url, input_key) AS k, list(id ORDER BY seq) FROM articles "
            "WHERE coalesce(url, input_key) IN (SELECT unnest(?::VARCHAR[])) GROUP BY k",
            [sorted(set(keys))],
        )
        return {r[0]: list(r[1]) for r in rows}

    # ------------------------------------------------------------------ minhash
    def insert_minhash(self, rows: Sequence[tuple[str, bytes, Sequence[int]]]) -> None:
        """Store (article id, signature, LSH band hashes) for originals, in bulk."""
        if not rows:
            return

        sig = pa.table(
            {"article_id": [r[0] for r in rows], "signature": pa.array([r[1] for r in rows], pa.binary())}
        )
        bands = pa.table(
            {
                "band": pa.array([i for r in rows for i in range(len(r[2]))], pa.int16()),
                "hash": pa.array([h for r in rows for h in r[2]], pa.int64()),
                "article_id": [r[0] for r in rows for _ in r[2]],
            }
        )
        self.con.register("_sig", sig)
        self.con.register("_bands", bands)
        try:
            self._run("INSERT INTO article_minhash SELECT article_id, signature FROM _sig")
            self._run("INSERT INTO minhash_bands SELECT band, hash, article_id FROM _bands")
        finally:
            self.con.unregister("_sig")
            self.con.unregister("_bands")

    def band_candidates(self, bands_by_key: Mapping[str, Sequence[int]]) -> dict[str, list[str]]:
        """For each key, stored originals sharing at least one LSH band with it.

        One join per batch rather than one query per article: the band table is scanned
        once, which keeps candidate lookup linear in corpus size per batch.
        """

        keys = [k for k, bands in bands_by_key.items() for _ in bands]
        if not keys:
            return {}
        q = pa.table(
            {
                "k": keys,
                "band": pa.array(
                    [i for bands in bands_by_key.values() for i in range(len(bands))], pa.int16()
                ),
                "hash": pa.array([h for bands in bands_by_key.values() for h in bands], pa.int64()),
            }
        )
        self.con.register("_q", q)
        try:
            rows = self._run(
                "SELECT DISTINCT q.k, b.article_id FROM _q q JOIN minhash_bands b "
                "ON q.band = b.band AND q.hash = b.hash "
                "JOIN articles a ON a.id = b.article_id WHERE a.duplicate_of IS NULL ORDER BY 1, 2"
            )
        finally:
            self.con.unregister("_q")
        out: dict[str, list[str]] = {}
        for k, aid in rows:
            out.setdefault(k, []).append(aid)
        return out

    def signatures(self, ids: Sequence[str]) -> dict[str, bytes]:
        if not ids:
            return {}
        rows = self._run(
            "SELECT article_id, signature FROM article_minhash "
            "WHERE article_id IN (SELECT unnest(?::VARCHAR[]))",
            [list(ids)],
        )
        return {r[0]: bytes(r[1]) for r in rows}

    # ------------------------------------------------------------------ site chrome memory
    def site_docs(self, sites: Iterable[str]) -> dict[str, int]:
        """Stored page counts of the given sites (sites never stored are left out)."""
        wanted = sorted(set(sites))
        if not wanted:
            return {}
        rows = self._run(
            "SELECT site, n_docs FROM site_docs WHERE site IN (SELECT unnest(?::VARCHAR[]))", [wanted]
        )
        return {site: int(n) for site, n in rows}

    def iter_site_lines(self, site: str, chunk: int = 10_000) -> Iterator[tuple[str, int]]:
        """Stream one site's stored ``(line key, pages holding it)`` rows, ``chunk`` at a time.

        Streamed because a big site holds a line key per distinct line of every stored page;
        the caller keeps them compactly (:class:`legation.ingest.site_counts.SiteLineCounts`).
        Consume it fully before running another statement on this store.
        """
        cur = self.con.execute("SELECT key, n_docs FROM site_lines WHERE site = ?", [site])
        while rows := cur.fetchmany(chunk):
            for key, n in rows:
                yield key, int(n)

    def add_site_lines(self, pages: Sequence[tuple[str, Iterable[str]]]) -> None:
        """Count one more page of its site holding each of its line keys, for each (site, keys)."""
        if not pages:
            return

        lines: Counter[tuple[str, str]] = Counter()
        docs: Counter[str] = Counter()
        for site, keys in pages:
            docs[site] += 1
            lines.update((site, k) for k in set(keys))
        lt = pa.table(
            {
                "site": [k[0] for k in lines],
                "key": [k[1] for k in lines],
                "n": pa.array(list(lines.values()), pa.int32()),
            }
        )
        dt = pa.table({"site": list(docs), "n": pa.array(list(docs.values()), pa.int32())})
        self.con.register("_lines", lt)
        self.con.register("_docs", dt)
        try:
            self._run(
                "INSERT INTO site_lines SELECT site, key, n FROM _lines "
                "ON CONFLICT (site, key) DO UPDATE SET n_docs = site_lines.n_docs + excluded.n_docs"
            )
            self._run(
                "INSERT INTO site_docs SELECT site, n FROM _docs "
                "ON CONFLICT (site) DO UPDATE SET n_docs = site_docs.n_docs + excluded.n_docs"
            )
        finally:
            self.con.unregister("_lines")
            self.con.unregister("_docs")

    # ------------------------------------------------------------------ runs and errors
    def start_run(self, run_id: str, inputs: int) -> None:
        self._run(
            "INSERT INTO ingest_runs VALUES (?, CAST(current_timestamp AS VARCHAR), NULL, ?, 0, 0, 0)",
            [run_id, inputs],
        )

    def finish_run(self, run_id: str, added: int, skipped: int, failed: int) -> None:
        self._run(
            "UPDATE ingest_runs SET finished = CAST(current_timestamp AS VARCHAR), added = ?, "
            "skipped = ?, failed = ? WHERE run_id = ?",
            [added, skipped, failed, run_id],
        )

    def record_errors(self, run_id: str, errors: Sequence[InputError]) -> None:
        if errors:
            self.con.executemany(
                "INSERT INTO ingest_errors VALUES (?, ?, ?, ?)",
                [(run_id, e.source, e.locator, e.reason) for e in errors],
            )

    # ------------------------------------------------------------------ reads
    def has_table(self, name: str) -> bool:
        if self._tables is not None:
            return name in self._tables
        row = self._first("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name])
        return bool(row and row[0])

    def iter_rows(self, sql: str, params: Sequence[Any] = (), batch: int = 1000) -> Iterator[dict[str, Any]]:
        """Stream a query's rows as dicts, ``batch`` at a time (bounded memory for exports)."""
        cur = self.con.execute(sql, list(params))
        names = [d[0] for d in cur.description or []]
        while True:
            chunk = cur.fetchmany(batch)
            if not chunk:
                return
            for row in chunk:
                yield dict(zip(names, row, strict=True))

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self._first(sql, list(params))
        return row[0] if row else None
