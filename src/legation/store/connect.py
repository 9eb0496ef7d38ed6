"""Opening the DuckDB file beside other processes: bounded waits for its lock.

DuckDB locks the whole file: a writing process excludes every other, a reading one excludes
writers. Readers (``serve``'s snapshot refresh, ``stats``, ``export``) and the ingest therefore
meet at the lock, and each waits a bounded time for the other instead of failing at once;
two ingests into one file are kept apart by :func:`writer_lock` for the whole run, since an
ingest lets go of DuckDB's lock between batches.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb


class LockTimeout(Exception):
    """Another ingest kept the database for longer than the lock timeout."""


#: Seconds an open waits for another process's lock on the file (``$LEGATION_LOCK_TIMEOUT``).
LOCK_TIMEOUT = 60.0


def lock_timeout() -> float:
    """``$LEGATION_LOCK_TIMEOUT`` (seconds) if set, else :data:`LOCK_TIMEOUT`."""
    try:
        return float(os.environ.get("LEGATION_LOCK_TIMEOUT") or LOCK_TIMEOUT)
    except ValueError:
        return LOCK_TIMEOUT


def is_lock_conflict(exc: duckdb.Error) -> bool:
    """Whether DuckDB refused to open a file because another process holds its lock."""
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def connect(path: str, read_only: bool, wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open ``path``, retrying while another process holds a conflicting lock.

    DuckDB locks the whole file: a writer excludes every other process, a reader excludes
    writers. An ingest holds the write lock only while it writes a batch (it lets go while the
    workers clean the next, :meth:`Store.released`), and readers hold theirs for a request
    or a command, so a conflict lasts seconds: the open retries with backoff (10 ms doubling
    to 0.5 s) for up to ``wait`` seconds (default :func:`lock_timeout`), then raises.
    """
    deadline = time.monotonic() + (lock_timeout() if wait is None else wait)
    delay = 0.01
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.Error as exc:
            if not is_lock_conflict(exc) or time.monotonic() + delay > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


@contextmanager
def writer_lock(path: str, wait: float | None = None) -> Iterator[None]:
    """Hold ``<path>.lock`` (an advisory ``flock``) for a whole ingest run.

    An ingest releases DuckDB's lock while its workers clean a batch; without this a second
    ingest could plan against the same stored ids in between and collide on them. Waits up to
    ``wait`` seconds (default :func:`lock_timeout`) for a running ingest, then raises
    :class:`LockTimeout`. The lock goes with the process (also on ``kill -9``).
    """
    fd = os.open(path + ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + (lock_timeout() if wait is None else wait)
        delay = 0.05
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() + delay > deadline:
                    raise LockTimeout(f"{path}: another ingest is writing to it") from None
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
        yield
    finally:
        os.close(fd)
