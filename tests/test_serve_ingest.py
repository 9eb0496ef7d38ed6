"""Serving and ingesting at the same time (issue 18, item 5).

An ingest (the real CLI, in a subprocess) runs while a thread polls the API of a uvicorn
server on 127.0.0.1 and ``stats``/``export`` run beside it: no 5xx, no failed reader, and the
ingest stores everything. Then the lock behaviour underneath: readers wait for a writer (up
to ``LEGATION_LOCK_TIMEOUT``), the API's snapshot keeps answering while a writer holds the
file and shows the new content once it lets go, and a second ingest waits for the first.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

import legation
from corpus import write_corpus
from legation.api.app import create_app
from legation.store.connect import LockTimeout, writer_lock
from legation.store.db import Store, StoreError

SRC = str(Path(legation.__file__).resolve().parents[1])
ENV = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
POLLED = ["/api/overview", "/api/articles?limit=5", "/api/events?limit=5", "/api/stories", "/api/graph"]


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "legation.cli", *args]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _hold_write_lock(db: Path, seconds: float) -> subprocess.Popen[bytes]:
    """Another process that opens ``db`` for writing and keeps it ``seconds``; returns once open."""
    code = (
        "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
        "c.execute('CREATE TABLE IF NOT EXISTS held (x INTEGER)'); c.execute('INSERT INTO held VALUES (1)'); "
        "print('held', flush=True); time.sleep(float(sys.argv[2])); c.close()"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(seconds)], stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"held"
    return proc


def test_the_api_answers_every_poll_while_an_ingest_runs(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 30)
    db = tmp_path / "live.duckdb"
    Store(db).close()  # an empty database of the current schema, served from the start
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    stop = threading.Event()

    def poll() -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            while not stop.is_set():
                for path in POLLED:
                    r = client.get(path)
                    statuses[r.status_code] += 1
                    if r.status_code >= 500:
                        failures.append(f"{path}: {r.status_code} {r.text[:200]}")

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        ingest = subprocess.Popen(
            _cli("ingest", str(tmp_path / "in"), "--db", str(db), "--workers", "1"),
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        readers: list[tuple[str, int, str]] = []
        while ingest.poll() is None and len(readers) < 20:
            for args in (
                ("stats", "--db", str(db)),
                ("export", "articles", "--db", str(db), "-o", os.devnull),
            ):
                r = subprocess.run(_cli(*args), env=ENV, capture_output=True, text=True, timeout=300)
                readers.append((args[0], r.returncode, r.stderr[-300:]))
        out, err = ingest.communicate(timeout=600)
    finally:
        stop.set()
        poller.join(timeout=120)
    try:
        final = httpx.get(f"http://127.0.0.1:{port}/api/overview", timeout=60).json()
    finally:
        server.should_exit = True
        serving.join(timeout=30)
    assert ingest.returncode == 0, err.decode()[-2000:]
    assert b"30 added" in out
    assert not failures, failures[:5]
    assert statuses[200] >= 20 and set(statuses) == {200}
    assert readers and all(rc == 0 for _, rc, _ in readers), readers
    assert final["counts"]["articles"] == 30  # the snapshot follows the file once the ingest is done


def test_a_reader_waits_for_a_writer_within_the_timeout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "w.duckdb"
    Store(db).close()
    holder = _hold_write_lock(db, 1.5)
    try:
        t = time.monotonic()
        with Store(db, read_only=True) as s:  # waits for the writer instead of failing
            assert s.scalar("SELECT count(*) FROM held") == 1
        assert time.monotonic() - t > 0.5
    finally:
        holder.wait(timeout=30)
    holder = _hold_write_lock(db, 120)  # ended below, once the readers gave up
    try:
        monkeypatch.setenv("LEGATION_LOCK_TIMEOUT", "0.3")
        with pytest.raises(StoreError, match="lock"):
            Store(db, read_only=True)
        result = subprocess.run(
            _cli("stats", "--db", str(db)),
            env={**ENV, "LEGATION_LOCK_TIMEOUT": "0.3"},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 1 and "lock" in result.stderr and "Traceback" not in result.stderr
    finally:
        holder.kill()
        holder.wait(timeout=30)


def test_the_snapshot_answers_while_a_writer_holds_the_file_then_follows_it(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    Store(db).close()
    app = create_app(db)
    with TestClient(app) as client:
        assert client.get("/api/overview").json()["counts"]["articles"] == 0
        holder = _hold_write_lock(db, 2)
        try:
            t = time.monotonic()
            r = client.get("/api/overview")  # the snapshot answers at once, the file is locked
            assert r.status_code == 200 and time.monotonic() - t < 1.0
        finally:
            holder.wait(timeout=30)
        with Store(db) as s:  # a write after the server's snapshot
            s.con.execute("UPDATE articles SET title = 'x'")  # no rows: changes nothing visible
            s.con.execute("CREATE TABLE later (x INTEGER)")
        client.get("/api/overview")
        snap = app.state.snapshots
        assert snap.copies >= 2
        with snap.store() as st:
            assert st.has_table("later") and st.has_table("held")


def test_a_second_ingest_waits_for_the_first(tmp_path: Path) -> None:
    path = str(tmp_path / "x.duckdb")
    with writer_lock(path), pytest.raises(LockTimeout), writer_lock(path, wait=0.2):
        pass
    with writer_lock(path, wait=0.2):  # free again
        pass
