"""The API's view of the database: a private copy, refreshed when the file changes.

``legation serve`` answers from a snapshot rather than from the file an ingest writes to:

* A reader of the file itself holds DuckDB's shared lock for as long as it is open, which
  keeps an ingest from writing (before this, 1 of 7 ingest starts failed while the server
  held a request's connection), and an ingest holds the exclusive lock while it writes a
  batch, which made the server answer 503 to 26 of 58 polls.
* With a snapshot the server touches the file only to copy it: when the file's size or
  modification time changed since the last copy, a request opens it read-only (no wait:
  when an ingest is writing, the current snapshot keeps serving and the copy is tried again
  :data:`RETRY_SECONDS` later), copies it (and its write-ahead log, if any) into a private
  directory under a shared lock, and switches to the copy. Requests in flight finish on the
  copy they started with.
* The summary tables of the copy (:mod:`legation.store.summary`) are rebuilt in the copy
  when their fingerprint is not the data's, so the API never answers from stale ones.
* Every request gets a cursor of one open connection to the snapshot instead of a fresh
  connection to the file (opening a DuckDB file per request was most of a small request's
  time, bench/bench_api_load.py).

Only when there is no snapshot yet (the server just started while an ingest writes) does a
request wait for the lock, up to :func:`legation.store.connect.lock_timeout`; then it is
answered 503. The copy costs the database's size on disk, in ``$LEGATION_SNAPSHOT_DIR``
(default: the system's temporary directory), removed when the server stops.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
import time
import weakref
from pathlib import Path

import duckdb

from legation.store.connect import connect, is_lock_conflict
from legation.store.db import Store, StoreError
from legation.store.summary import is_current, refresh

#: After a copy failed on the lock, the next request tries again this much later.
RETRY_SECONDS = 0.25
#: After a copy, the next waits this many times as long as the copy took: a big file that an
#: ingest changes after every batch is copied at most a fifth of the time (a small one at once).
COPY_SPACING = 4.0
#: DuckDB threads per query on the snapshot (see :meth:`Snapshots._copy`).
QUERY_THREADS = 1


def _signature(path: str) -> tuple[tuple[int, int, int], ...] | None:
    """What tells that the file changed: (inode, size, mtime) of the file and its WAL."""
    out = []
    for p in (path, path + ".wal"):
        try:
            st = os.stat(p)
        except FileNotFoundError:
            if p == path:
                return None
            continue
        out.append((st.st_ino, st.st_size, st.st_mtime_ns))
    return tuple(out)


class Snapshots:
    """Read-only stores over the latest snapshot of ``path`` (see the module doc)."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()  # one copy at a time; readers never wait on it
        self._base: duckdb.DuckDBPyConnection | None = None
        self._file: str | None = None
        self._sig: tuple[tuple[int, int, int], ...] | None = None
        self._next_try = 0.0
        self._n = 0
        self._dir: str | None = None
        self._tables: frozenset[str] = frozenset()  # the snapshot's tables (has_table)
        self.copies = 0  # snapshots taken (tests, logs)
        #: The file's signature when its snapshot was refused (an older schema), and why: the
        #: same file is not copied again on every request to be refused again.
        self._refused: tuple[tuple[tuple[int, int, int], ...], str] | None = None

    def store(self) -> Store:
        """A read-only store for one request (close it after)."""
        self._refresh()
        base = self._base
        if base is None:
            self._refresh(wait=True)
            base = self._base
        if base is None:  # pragma: no cover - _refresh(wait=True) raises instead
            raise StoreError(f"{self.path}: no snapshot")
        return Store.over(base.cursor(), self.path, summaries_current=True, tables=self._tables)

    def is_fresh(self) -> bool:
        """Whether the current snapshot answers as it is: the file is unchanged since it was
        copied, or was copied (or tried) too recently to try again. Two ``stat`` calls, so the
        API asks it on the event loop and takes a thread only to copy (:meth:`generation`)."""
        if self._base is None or self._refused is not None:
            return False
        return _signature(self.path) == self._sig or time.monotonic() < self._next_try

    def generation(self) -> int:
        """The number of the current snapshot (taken first if the file changed): answers
        computed on one snapshot hold until the next (:mod:`legation.api.cache`)."""
        self._refresh()
        if self._base is None:
            self._refresh(wait=True)
        return self.copies

    def _refresh(self, wait: bool = False) -> None:
        sig = _signature(self.path)
        if sig is None:
            raise StoreError(f"{self.path}: no such database (run `legation ingest` first)")
        if self._refused is not None and self._refused[0] == sig:
            raise StoreError(self._refused[1])
        if sig == self._sig or (not wait and time.monotonic() < self._next_try):
            return  # unchanged, or copied (or tried) too recently: the current snapshot answers
        if not self._lock.acquire(blocking=wait):
            return  # another request is copying; this one answers from the current snapshot
        try:
            if _signature(self.path) != self._sig:
                self._copy(wait or self._base is None)
        finally:
            self._lock.release()

    def _copy(self, wait: bool) -> None:
        try:
            src = connect(self.path, True, None if wait else 0.0)
        except duckdb.Error as exc:
            if self._base is not None and is_lock_conflict(exc):
                self._next_try = time.monotonic() + RETRY_SECONDS
                return
            raise StoreError(f"{self.path}: cannot open database: {exc}") from exc
        started = time.monotonic()
        try:  # the shared lock keeps writers out while the bytes are copied
            sig = _signature(self.path)
            target = os.path.join(self._directory(), f"snap-{self._n}.duckdb")
            self._n += 1
            shutil.copyfile(self.path, target)
            if os.path.exists(self.path + ".wal"):
                shutil.copyfile(self.path + ".wal", target + ".wal")
        finally:
            src.close()
        took = time.monotonic() - started
        self._next_try = time.monotonic() + COPY_SPACING * took
        try:
            store = Store(target, read_only=True, wait=0.0)
        except StoreError as exc:
            _remove(target)
            why = str(exc).replace(target, self.path)
            if sig is not None:
                self._refused = (sig, why)
            raise StoreError(why) from exc
        if not is_current(store.con):
            store.close()
            store = _summarised(target)
        # One thread per query: the API runs many small queries at once (a thread each), and
        # DuckDB handing each one to its own worker threads cost more than it gained (a
        # primary-key lookup 1.07 -> 0.46 ms on one core).
        store.con.execute(f"SET threads = {QUERY_THREADS}")
        names = store.con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        tables = frozenset(str(r[0]) for r in names)
        old = self._file
        self._base, self._file, self._sig, self._tables = store.con, target, sig, tables
        self.copies += 1
        if old is not None:
            _remove(old)  # open cursors keep reading it: the inode lives while they do

    def _directory(self) -> str:
        if self._dir is None:
            where = os.environ.get("LEGATION_SNAPSHOT_DIR")
            self._dir = tempfile.mkdtemp(prefix="legation-serve-", dir=where)
            weakref.finalize(self, shutil.rmtree, self._dir, True)
        return self._dir


def _summarised(target: str) -> Store:
    """The snapshot at ``target`` with its summary tables rebuilt (the file's were stale: an
    ingest was killed, or another tool wrote it), opened read-only. Only the private copy is
    written; the served file is not touched."""
    try:
        with Store(target, migrate=False, wait=0.0) as writer:
            refresh(writer.con)
    except duckdb.Error as exc:
        _remove(target)
        raise StoreError(f"{target}: cannot build the summary tables: {exc}") from exc
    return Store(target, read_only=True, wait=0.0)


def _remove(path: str) -> None:
    for p in (path, path + ".wal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(p)
