"""``legation serve --workers N``: uvicorn worker processes, each answering from its own snapshot
with the same host check and headers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("uvicorn", reason="serving needs the 'serve' extra")

import httpx
import psutil

import legation
from api_data import build_db

SRC = str(Path(legation.__file__).resolve().parents[1])
ENV = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_workers_serve_the_database(tmp_path: Path) -> None:
    db = build_db(tmp_path / "w.duckdb", later_stages=True)
    port = _free_port()
    cmd = [sys.executable, "-m", "legation.cli", "serve", "--db", str(db), "--port", str(port)]
    cmd += ["--workers", "2"]
    proc = subprocess.Popen(cmd, env=ENV, start_new_session=True, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            try:
                r = httpx.get(base + "/api/overview", timeout=5)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "server not ready"
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["counts"]["events"] == 5
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        refused = httpx.get(base + "/api/overview", headers={"host": "evil.example"}, timeout=5)
        assert refused.status_code == 400
        with httpx.Client(base_url=base, timeout=5) as client:  # answers from both workers agree
            totals = {client.get(f"/api/events?limit={n}").json()["total"] for n in range(1, 20)}
        assert totals == {5}
        children = psutil.Process(proc.pid).children(recursive=True)
        workers = [p for p in children if "python" in p.name().lower()]
        assert len(workers) >= 2
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
