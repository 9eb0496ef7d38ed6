"""``kill -9`` during a poll, then a restart: no item lost, none fetched twice, no alert repeated.

A real ``legation watch --once`` in a subprocess polls two feeds of a local server. The first
run completes (alerts fired); the feeds then gain items, and the second run is killed with
SIGKILL while the server holds back the answer for one item (another new item is already in
the spool by then). The third run must ingest the spooled item without fetching it again,
fetch the held one, and fire only the alerts of the new facts.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from legation.store.db import Store
from watch_pages import STORIES, page_html, rss
from watch_server import Route, local_server

pytestmark = pytest.mark.slow

RULES = """
actions: [stdout, {jsonl: ALERTS}]
rules:
  - name: Attacks
    event: ASSAULT
  - name: Japanese agreements
    fact: agreement
    party: JPN
  - name: Korean accusations
    event: [ACCUSE, PROTEST]
    actor: KOR
"""
#: The subprocess loads the language model first; this bounds how long the test waits for it.
STARTUP_TIMEOUT = 180


def _cli(db: Path, rules: Path, *urls: str) -> list[str]:
    legation = Path(sys.executable).with_name("legation")
    cmd = [str(legation)] if legation.exists() else [sys.executable, "-m", "legation.cli"]
    return [
        *cmd,
        "watch",
        *urls,
        "--db",
        str(db),
        "--rules",
        str(rules),
        "--once",
        "--host-delay",
        "0",
        "--timeout",
        "60",
    ]


def _env() -> dict[str, str]:
    src = str(Path(__file__).resolve().parents[1] / "src")
    return {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}


def test_kill_during_a_poll_then_restart_loses_nothing_and_repeats_no_alert(tmp_path: Path) -> None:
    db, rules, alerts = tmp_path / "w.duckdb", tmp_path / "rules.yaml", tmp_path / "alerts.jsonl"
    rules.write_text(RULES.replace("ALERTS", str(alerts)), encoding="utf-8")
    kursk, tokyo, beijing, bryansk, seoul = STORIES
    # B's new items in the order they are fetched (oldest first): Seoul, then the held Bryansk.
    seoul = {**seoul, "published": "2025-03-05"}
    bryansk = {**bryansk, "published": "2025-03-06"}
    with local_server() as server:
        for s in STORIES:
            server.routes[f"/items/{s['slug']}.html"] = Route(page_html(s).encode())
        server.routes["/a.xml"] = Route(
            rss(server.base, [kursk, tokyo]).encode(), "application/rss+xml", etag='"a"'
        )
        server.routes["/b.xml"] = Route(
            rss(server.base, [beijing]).encode(), "application/rss+xml", etag='"b1"'
        )
        cmd = _cli(db, rules, server.url("/a.xml"), server.url("/b.xml"))

        run0 = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=STARTUP_TIMEOUT)
        assert run0.returncode == 0, run0.stderr
        assert sorted(line.split("]")[0] for line in run0.stdout.splitlines()) == [
            "alert [Attacks",
            "alert [Japanese agreements",
        ]

        server.routes["/b.xml"] = Route(
            rss(server.base, [beijing, seoul, bryansk]).encode(), "application/rss+xml", etag='"b2"'
        )
        server.routes["/items/bryansk.html"] = Route(hold=True)
        proc = subprocess.Popen(cmd, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert server.wait_for("/items/bryansk.html", STARTUP_TIMEOUT), (
                "the watch never asked for the item"
            )
        finally:
            proc.send_signal(signal.SIGKILL)
            out1, _ = proc.communicate(timeout=30)
        assert proc.returncode == -signal.SIGKILL
        assert out1 == ""  # killed before any alert of this run
        spooled = list(Path(str(db) + ".watch").glob("*.jsonl"))
        assert spooled and "seoul.html" in spooled[0].read_text(encoding="utf-8")

        server.routes["/items/bryansk.html"] = Route(page_html(bryansk).encode())
        run2 = subprocess.run(cmd, env=_env(), capture_output=True, text=True, timeout=STARTUP_TIMEOUT)
        assert run2.returncode == 0, run2.stderr
        assert "recovered 1 items" in run2.stderr
        assert sorted(line.split("]")[0] for line in run2.stdout.splitlines()) == [
            "alert [Attacks",
            "alert [Korean accusations",
        ]
        assert "Bryansk" in run2.stdout and "South Korea condemned" in run2.stdout

        for s in (kursk, tokyo, beijing, seoul):
            assert server.count(f"/items/{s['slug']}.html") == 1, s["slug"]  # never fetched twice
        assert server.count("/items/bryansk.html") == 2  # the answer held at the kill, then again

    with Store(db, read_only=True) as store:
        sources = [r[0] for r in store.con.execute("SELECT source FROM articles ORDER BY seq").fetchall()]
        stored = [r[0] for r in store.con.execute("SELECT id FROM alerts ORDER BY seq").fetchall()]
    assert sorted(sources) == sorted(server.url(f"/items/{s['slug']}.html") for s in STORIES)
    logged = [json.loads(line)["id"] for line in alerts.read_text(encoding="utf-8").splitlines()]
    assert logged == stored and len(set(logged)) == len(logged) == 4
    assert not list(Path(str(db) + ".watch").glob("*.jsonl"))  # the spool was emptied
