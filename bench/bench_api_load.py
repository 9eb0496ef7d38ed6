"""Bounded load test of the HTTP API on a loopback server (dev tool, no asserts).

Starts ``legation serve --db FILE --port P`` on 127.0.0.1 in a subprocess, waits until it
answers, then ``--clients`` threads (default 50), each with its own keep-alive httpx client,
share a fixed total of ``--requests`` requests drawn (seeded) from a mix of endpoints: event
listings with filters and deep pages, single events, articles, actors, claims, agreements,
stories, the graph and the overview. Prints per-endpoint and overall p50/p99 latency,
throughput and errors (non-2xx answers, timeouts, connection failures), then stops the server.

Ids for the single-item endpoints are sampled from the database before the server starts
(read-only). Use ``--only`` / ``--skip`` to run a subset of endpoints, ``--timeout`` to bound
a request.

Usage::

    .venv/bin/python bench/bench_api_load.py --db /tmp/big.duckdb [--clients 50] [--requests 5000]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import httpx
import psutil

CODES = ["RUS", "UKR", "CHN", "USA", "FRA", "DEU", "JPN", "IRN", "PRK", "NATO", "EU"]
EVENT_TYPES = ["CONSULT", "ACCUSE", "SANCTION", "ASSAULT", "AID", "THREATEN"]

#: (name, weight): how often each endpoint appears in the mix. Listings dominate, as in the
#: dashboard (every page load lists events; a click opens one event or article).
MIX: list[tuple[str, int]] = [
    ("events", 20),
    ("events_filtered", 15),
    ("events_deep_page", 5),
    ("event", 12),
    ("articles", 8),
    ("article", 8),
    ("actors", 5),
    ("actor", 1),
    ("claims", 5),
    ("agreements", 5),
    ("stories", 4),
    ("graph", 3),
    ("overview", 1),
]


@dataclass
class Ids:
    events: list[str]
    articles: list[str]
    stories: list[str]
    years: list[str]


def sample_ids(db: str, n: int = 2000) -> Ids:
    con = duckdb.connect(db, read_only=True)
    try:

        def col(sql: str) -> list[str]:
            return [str(r[0]) for r in con.execute(sql).fetchall() if r[0] is not None]

        return Ids(
            events=col(f"SELECT id FROM events USING SAMPLE {n} ROWS"),
            articles=col(f"SELECT id FROM articles USING SAMPLE {n} ROWS"),
            stories=col(f"SELECT story_id FROM stories USING SAMPLE {n} ROWS"),
            years=col("SELECT DISTINCT substr(date, 1, 7) FROM events WHERE date IS NOT NULL ORDER BY 1"),
        )
    finally:
        con.close()


def make_request(name: str, rng: random.Random, ids: Ids) -> str:
    """The path (with query) of one request of kind ``name``."""
    if name == "events":
        return f"/api/events?limit=100&offset={rng.choice([0, 0, 100, 200])}"
    if name == "events_filtered":
        f = rng.choice(["actor", "event", "since", "quad", "story"])
        if f == "actor":
            return f"/api/events?actor={rng.choice(CODES)}&limit=50"
        if f == "event":
            return f"/api/events?event={rng.choice(EVENT_TYPES)}&limit=50"
        if f == "since":
            m = rng.choice(ids.years) if ids.years else "2024-01"
            return f"/api/events?since={m}&until={m}&limit=50"
        if f == "quad":
            return f"/api/events?quad={rng.randint(1, 4)}&limit=50"
        return f"/api/events?story={rng.choice(ids.stories)}&limit=50" if ids.stories else "/api/events"
    if name == "events_deep_page":
        return f"/api/events?limit=100&offset={rng.randint(1000, 100000)}"
    if name == "event":
        return f"/api/events/{rng.choice(ids.events)}"
    if name == "articles":
        return f"/api/articles?limit=20&offset={rng.choice([0, 20, 40])}"
    if name == "article":
        return f"/api/articles/{rng.choice(ids.articles)}"
    if name == "actors":
        return rng.choice(["/api/actors?limit=50", "/api/actors?kind=state", "/api/actors?q=korea"])
    if name == "actor":
        return f"/api/actors/{rng.choice(CODES)}"
    if name == "claims":
        return rng.choice(["/api/claims?limit=50", "/api/claims?disputed=true&limit=50"])
    if name == "agreements":
        return rng.choice(["/api/agreements?limit=50", f"/api/agreements?party={rng.choice(CODES)}"])
    if name == "stories":
        return "/api/stories?limit=20"
    if name == "graph":
        m = rng.choice(ids.years) if ids.years else "2024-01"
        return f"/api/graph?since={m}&until={m}"
    if name == "overview":
        return "/api/overview"
    raise ValueError(name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(
    db: str, port: int, cpus: set[int] | None = None, workers: int = 1
) -> subprocess.Popen[bytes]:
    """``legation serve`` in a subprocess, pinned to ``cpus`` when given (``--server-cpus``)."""
    exe = Path(sys.executable).parent / "legation"
    cmd = [str(exe), "serve", "--db", db, "--port", str(port)]
    cmd += ["--workers", str(workers)] if workers > 1 else []

    def pin() -> None:
        if cpus:
            os.sched_setaffinity(0, cpus)

    return subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True, preexec_fn=pin
    )


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    t = time.time()
    while time.time() - t < timeout:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise SystemExit(f"server exited with {proc.returncode}:\n{err}")
        try:
            if httpx.get(base + "/api/actors?limit=1", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit("server not ready in time")


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by the server and its worker processes."""
    procs = [psutil.Process(pid)]
    procs += procs[0].children(recursive=True)
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += t.user + t.system
    return total


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    s = sorted(xs)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", required=True)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=5000, help="total requests (fixed)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds before a request counts as failed")
    ap.add_argument("--only", default=None, help="comma-separated endpoint kinds to run")
    ap.add_argument("--skip", default=None, help="comma-separated endpoint kinds to leave out")
    ap.add_argument("--port", type=int, default=None)
    ap.add_argument(
        "--server-cpus", default=None,
        help="comma-separated CPU numbers to pin the server to (pin the client with taskset)",
    )
    ap.add_argument("--workers", type=int, default=1, help="legation serve --workers N")
    args = ap.parse_args()

    mix = MIX
    if args.only:
        keep = set(args.only.split(","))
        mix = [m for m in mix if m[0] in keep]
    if args.skip:
        drop = set(args.skip.split(","))
        mix = [m for m in mix if m[0] not in drop]
    ids = sample_ids(args.db)
    rng = random.Random(args.seed)
    names = rng.choices([m[0] for m in mix], weights=[m[1] for m in mix], k=args.requests)
    plan = [(n, make_request(n, rng, ids)) for n in names]

    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    cpus = {int(c) for c in args.server_cpus.split(",")} if args.server_cpus else None
    proc = start_server(args.db, port, cpus, args.workers)
    try:
        wait_ready(base, proc)
        cpu0 = server_cpu(proc.pid)
        lat: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, list[str]] = defaultdict(list)
        lock = threading.Lock()
        nxt = iter(range(len(plan)))

        def worker() -> None:
            with httpx.Client(base_url=base, timeout=args.timeout) as client:
                while True:
                    with lock:
                        i = next(nxt, None)
                    if i is None:
                        return
                    name, path = plan[i]
                    t = time.perf_counter()
                    err = None
                    try:
                        r = client.get(path)
                        if r.status_code != 200:
                            err = f"HTTP {r.status_code} {path}"
                        else:
                            r.content  # noqa: B018 - read the body in full
                    except httpx.HTTPError as exc:
                        err = f"{type(exc).__name__} {path}"
                    dt = time.perf_counter() - t
                    with lock:
                        lat[name].append(dt)
                        if err:
                            errors[name].append(err)

        t0 = time.time()
        threads = [threading.Thread(target=worker) for _ in range(args.clients)]
        progress_stop = threading.Event()

        def progress() -> None:
            while not progress_stop.wait(30):
                done = sum(len(v) for v in lat.values())
                print(f"  {time.time() - t0:6.0f}s: {done}/{len(plan)} requests", flush=True)

        pt = threading.Thread(target=progress, daemon=True)
        pt.start()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        progress_stop.set()
        wall = time.time() - t0
        cpu = server_cpu(proc.pid) - cpu0
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)

    ms: Callable[[float], str] = lambda x: f"{x * 1000:9.1f}"  # noqa: E731
    print(
        f"\n{args.requests} requests, {args.clients} clients, {wall:.1f} s, {args.requests / wall:.1f} req/s"
    )
    print(f"server CPU {cpu:.1f} s: {cpu / args.requests * 1000:.1f} ms a request")
    head = ["p50 ms", "p95 ms", "p99 ms", "max ms", "mean ms"]
    print(f"{'endpoint':<18}{'n':>6}" + "".join(f"{h:>10}" for h in head) + f"{'errors':>8}")
    for name, _ in mix:
        xs = lat.get(name, [])
        if not xs:
            continue
        print(
            f"{name:<18}{len(xs):>6}{ms(pct(xs, 50))}{ms(pct(xs, 95))}{ms(pct(xs, 99))}{ms(max(xs))}"
            f"{ms(statistics.fmean(xs))}{len(errors.get(name, [])):>8}"
        )
    allx = [x for v in lat.values() for x in v]
    n_err = sum(len(v) for v in errors.values())
    print(
        f"{'ALL':<18}{len(allx):>6}{ms(pct(allx, 50))}{ms(pct(allx, 95))}{ms(pct(allx, 99))}{ms(max(allx))}"
        f"{ms(statistics.fmean(allx))}{n_err:>8}"
    )
    for name, errs in errors.items():
        for e in errs[:3]:
            print(f"  error {name}: {e}")


if __name__ == "__main__":
    main()
