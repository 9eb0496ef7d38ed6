"""``legation watch`` end to end against a local server: feeds, pages, sitemaps, folders, alerts.

Every source is on 127.0.0.1 (a server this module starts), timeouts and backoffs are short,
and the pages are the small ones of ``watch_pages``. A "restart" is a new :class:`Watcher` on
the same database: all it knows is what the database (and the spool beside it) holds.
"""

from __future__ import annotations

import io
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from legation.pipeline import Pipeline
from legation.store.db import Store
from legation.store.stats import stats
from legation.watch.fetch import Fetcher, FetchPolicy
from legation.watch.poll import PollReport, Watcher, parse_interval, watch
from legation.watch.rules import Rules, parse_rules
from legation.watch.sources import parse_source
from watch_pages import STORIES, page_html, rss, sitemap
from watch_server import LocalServer, Route, local_server

FAST = FetchPolicy(timeout=0.5, deadline=5, retries=1, backoff=0.01, host_delay=0.0)
RULES: dict[str, Any] = {
    "actions": ["stdout"],
    "rules": [
        {"name": "PRK attacks", "event": "ASSAULT", "actor": "PRK"},
        {"name": "Japanese agreements", "fact": "agreement", "party": "JPN"},
    ],
}


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    with local_server() as s:
        for story in STORIES:
            s.routes[f"/items/{story['slug']}.html"] = Route(page_html(story).encode())
        yield s


def watcher(
    db: Path, specs: list[str], pipeline: Pipeline, rules: Rules | None = None, out: io.StringIO | None = None
) -> Watcher:
    return Watcher(
        [parse_source(s) for s in specs],
        db=db,
        rules=rules,
        fetcher=Fetcher(FAST),
        pipeline=pipeline,
        out=out,
    )


def poll(db: Path, specs: list[str], pipeline: Pipeline, **kw: Any) -> PollReport:
    """One poll by a freshly started watch (so each call is also a restart)."""
    w = watcher(db, specs, pipeline, **kw)
    try:
        return w.poll()
    finally:
        w.close()


def rows(db: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with Store(db, read_only=True) as s:
        return s.con.execute(sql, params or []).fetchall()


def feed_route(server: LocalServer, stories: list[dict[str, str]], etag: str) -> Route:
    return Route(
        rss(server.base, stories).encode(),
        "application/rss+xml",
        etag=etag,
        last_modified="Thu, 06 Mar 2025 08:00:00 GMT",
    )


def test_feed_gaining_items_is_ingested_item_by_item_nothing_fetched_twice(
    tmp_path: Path, server: LocalServer, pipeline: Pipeline
) -> None:
    db = tmp_path / "w.duckdb"
    feed = server.url("/feed.xml")
    server.routes["/feed.xml"] = feed_route(server, STORIES[:2], '"v1"')
    first = poll(db, [feed], pipeline)
    rep = first.sources[0]
    assert (rep.kind, rep.new, rep.added, rep.error) == ("feed", 2, 2, None), rep
    assert server.count("/items/kursk.html") == 1 and server.count("/items/tokyo.html") == 1

    # Unchanged: asked conditionally, answered 304, no item fetched.
    second = poll(db, [feed], pipeline)
    assert second.sources[0].unchanged and second.sources[0].new == 0
    sent = server.headers_of("/feed.xml")[-1]
    assert sent["If-None-Match"] == '"v1"' and sent["If-Modified-Since"] == "Thu, 06 Mar 2025 08:00:00 GMT"

    # The feed gains two items: only those are fetched.
    server.routes["/feed.xml"] = feed_route(server, STORIES[:4], '"v2"')
    third = poll(db, [feed], pipeline)
    assert (third.sources[0].new, third.sources[0].added) == (2, 2)
    for story in STORIES[:4]:
        assert server.count(f"/items/{story['slug']}.html") == 1, story["slug"]
    arts = rows(db, "SELECT source, title, published, published_basis FROM articles ORDER BY seq")
    assert [a[0] for a in arts] == [server.url(f"/items/{s['slug']}.html") for s in STORIES[:4]]
    assert arts[0][1:] == ("Troops strike near Kursk", "2025-03-02", "record")  # the feed's metadata
    items = rows(db, "SELECT result, versions FROM watch_items ORDER BY first_seen")
    assert [r[0] for r in items] == ["added"] * 4 and {r[1] for r in items} == {1}


def test_bad_sources_are_reported_and_skipped_while_others_proceed(
    tmp_path: Path, server: LocalServer, pipeline: Pipeline
) -> None:
    db = tmp_path / "w.duckdb"
    server.routes.update(
        {
            "/feed.xml": feed_route(server, STORIES[:1], '"a"'),
            "/500": Route(b"down", status=500),
            "/slow.xml": Route(rss(server.base, STORIES[1:2]).encode(), "application/rss+xml", delay=5),
            "/loop": Route(redirect="/loop"),
            "/bad.xml": Route(b"<rss><channel><<<< not { xml", "application/rss+xml"),
            "/huge.html": Route(stream=50 * 1024 * 1024),
            "/logo.png": Route(b"\x89PNG\r\n", ctype="image/png"),
            "/other.xml": feed_route(server, STORIES[2:3], '"b"'),
        }
    )
    specs = [
        server.url(p)
        for p in (
            "/500",
            "/slow.xml",
            "/feed.xml",
            "/loop",
            "/bad.xml",
            "/huge.html",
            "/logo.png",
            "/other.xml",
        )
    ]
    started = time.monotonic()
    report = poll(db, specs, pipeline)
    assert time.monotonic() - started < 30
    by = {s.source.rsplit("/", 1)[1]: s for s in report.sources}
    assert by["500"].error == "HTTP 500 Internal Server Error"
    assert by["slow.xml"].error is not None and "timed out" in by["slow.xml"].error
    assert by["loop"].error is not None and "redirect loop" in by["loop"].error
    assert by["bad.xml"].error is not None and "malformed feed" in by["bad.xml"].error
    assert by["huge.html"].error is not None and "too large" in by["huge.html"].error
    assert by["logo.png"].error is not None and "wrong content type 'image/png'" in by["logo.png"].error
    assert by["feed.xml"].added == 1 and by["other.xml"].added == 1  # the good ones, before and after
    assert not report.ok
    assert f"error: {by['500'].error}" in by["500"].line() and specs[0] in by["500"].line()
    health = {s["source"]: s for s in stats(db)["sources"]}
    assert health[specs[0]]["last_error"] == "HTTP 500 Internal Server Error"
    assert health[specs[0]]["last_success"] is None and health[specs[0]]["failures"] == 1
    assert health[specs[2]]["last_error"] is None and health[specs[2]]["items"] == 1


def test_a_failed_item_is_retried_on_the_next_poll(
    tmp_path: Path, server: LocalServer, pipeline: Pipeline
) -> None:
    db = tmp_path / "w.duckdb"
    server.routes["/feed.xml"] = feed_route(server, STORIES[:2], '"v1"')
    server.routes["/items/tokyo.html"] = Route(b"busy", status=503)
    first = poll(db, [server.url("/feed.xml")], pipeline).sources[0]
    assert (first.added, first.failed) == (1, 1)
    assert any("tokyo.html: HTTP 503" in p for p in first.problems)
    server.routes["/items/tokyo.html"] = Route(page_html(STORIES[1]).encode())
    second = poll(db, [server.url("/feed.xml")], pipeline).sources[0]
    # The feed is read in full again (its validators were not kept), the failed item fetched.
    assert "If-None-Match" not in server.headers_of("/feed.xml")[-1]
    assert (second.new, second.added) == (1, 1)
    assert server.count("/items/kursk.html") == 1


def test_alerts_fire_exactly_once_per_fact_across_restarts(
    tmp_path: Path, server: LocalServer, pipeline: Pipeline
) -> None:
    db = tmp_path / "w.duckdb"
    log = tmp_path / "alerts.jsonl"
    rules = parse_rules({**RULES, "actions": ["stdout", {"jsonl": str(log)}]})
    server.routes["/feed.xml"] = feed_route(server, STORIES[:2], '"v1"')
    out = io.StringIO()
    first = poll(db, [server.url("/feed.xml")], pipeline, rules=rules, out=out)
    fired = {(a["rule"], a["kind"]) for a in first.alerts}
    assert fired == {("PRK attacks", "event"), ("Japanese agreements", "agreement")}, first.alerts
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    attack = next(line for line in lines if "[PRK attacks]" in line)
    assert "ASSAULT: PRK → UKR" in attack and "North Korean troops attacked" in attack
    assert server.url("/items/kursk.html") in attack and "Troops strike near Kursk" in attack

    # Restart, same feed: nothing new, nothing repeated.
    out2 = io.StringIO()
    assert poll(db, [server.url("/feed.xml")], pipeline, rules=rules, out=out2).alerts == []
    # Restart; the feed gains the same Kursk report syndicated at another URL, and a new story.
    server.routes["/items/kursk-copy.html"] = Route(page_html(STORIES[0]).encode())
    copy = {**STORIES[0], "slug": "kursk-copy", "published": "2025-03-07"}
    server.routes["/feed.xml"] = feed_route(server, [*STORIES[:3], copy], '"v2"')
    third = poll(db, [server.url("/feed.xml")], pipeline, rules=rules, out=out2)
    assert third.sources[0].added == 2 and third.sources[0].duplicates == 1
    assert third.alerts == [] and out2.getvalue() == ""
    stored = rows(db, "SELECT id, rule, kind FROM alerts ORDER BY seq")
    logged = [json.loads(line) for line in log.read_text().splitlines()]
    assert [a["id"] for a in logged] == [r[0] for r in stored] and len(stored) == 2
    alert = next(a for a in logged if a["kind"] == "event")
    assert alert["article"]["title"] == "Troops strike near Kursk" and alert["fact"]["event"] == "ASSAULT"
    assert alert["sentence"].startswith("North Korean troops attacked Ukrainian positions near Kursk")
    # A rule added later sees every stored event once.
    later = parse_rules(
        {"rules": [*RULES["rules"], {"name": "Russia talks", "event": "CONSULT", "actor": "RUS"}]}
    )
    out3 = io.StringIO()
    fourth = poll(db, [server.url("/feed.xml")], pipeline, rules=later, out=out3)
    assert [a["rule"] for a in fourth.alerts] == ["Russia talks"], fourth.alerts


def test_folder_watch_picks_up_new_files_and_changed_files_as_new_versions(
    tmp_path: Path, pipeline: Pipeline
) -> None:
    db = tmp_path / "w.duckdb"
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "kursk.html").write_text(page_html(STORIES[0]), encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    first = poll(db, [str(folder)], pipeline).sources[0]
    assert (first.kind, first.new, first.added) == ("folder", 1, 1)
    assert poll(db, [str(folder)], pipeline).sources[0].new == 0

    (folder / "tokyo.html").write_text(page_html(STORIES[1]), encoding="utf-8")
    second = poll(db, [str(folder)], pipeline).sources[0]
    assert (second.new, second.added) == (1, 1)

    # Touched but not changed: not ingested again.
    os.utime(folder / "kursk.html", ns=(time.time_ns(), time.time_ns() + 10**9))
    assert poll(db, [str(folder)], pipeline).sources[0].new == 0

    # Rewritten: a new version of the same file, stored as a new article, not skipped.
    update = {
        **STORIES[0],
        "title": "Kursk fighting spreads",
        "body": "Fighting spread to three more villages near Kursk on Monday, regional officials said. "
        "Residents were moved to shelters in the city. Power lines were cut in two districts. "
        "Ukraine's army said it had repelled an attack on a bridge.",
    }
    (folder / "kursk.html").write_text(page_html(update), encoding="utf-8")
    third = poll(db, [str(folder)], pipeline).sources[0]
    assert (third.new, third.added, third.duplicates) == (1, 1, 0)
    versions = rows(
        db,
        "SELECT title, duplicate_of FROM articles WHERE source = ? ORDER BY seq",
        [str(folder / "kursk.html")],
    )
    assert [v[0] for v in versions] == ["Troops strike near Kursk", "Kursk fighting spreads"]
    assert versions[1][1] is None
    item = rows(db, "SELECT versions, result FROM watch_items WHERE url = ?", [str(folder / "kursk.html")])
    assert item == [(2, "added")]


def test_small_edit_of_a_watched_file_is_a_new_version_not_a_duplicate(
    tmp_path: Path, pipeline: Pipeline
) -> None:
    db = tmp_path / "w.duckdb"
    folder = tmp_path / "news"
    folder.mkdir()
    story = {**STORIES[0], "body": " ".join([STORIES[0]["body"]] * 3)}
    (folder / "kursk.html").write_text(page_html(story), encoding="utf-8")
    assert poll(db, [str(folder)], pipeline).sources[0].added == 1
    # One sentence appended: far above the near-duplicate threshold against the first version.
    edited = {**story, "body": story["body"] + " Officials later corrected the number of villages to four."}
    (folder / "kursk.html").write_text(page_html(edited), encoding="utf-8")
    again = poll(db, [str(folder)], pipeline).sources[0]
    assert (again.new, again.added, again.duplicates) == (1, 1, 0)
    got = rows(
        db,
        "SELECT id, duplicate_of, version_of FROM articles WHERE source = ? ORDER BY seq",
        [str(folder / "kursk.html")],
    )
    assert len(got) == 2 and got[0][1:] == (None, None)
    assert got[1][1:] == (None, got[0][0])


def test_page_and_sitemap_sources(tmp_path: Path, server: LocalServer, pipeline: Pipeline) -> None:
    db = tmp_path / "w.duckdb"
    server.routes["/live.html"] = Route(page_html(STORIES[3]).encode(), etag='"p1"')
    server.routes["/sitemap.xml"] = Route(sitemap(server.base, STORIES[:2]).encode(), "application/xml")
    specs = [server.url("/live.html"), server.url("/sitemap.xml")]
    first = poll(db, specs, pipeline)
    assert [(s.kind, s.added) for s in first.sources] == [("page", 1), ("sitemap", 2)]
    again = poll(db, specs, pipeline)
    assert again.sources[0].unchanged and server.headers_of("/live.html")[-1]["If-None-Match"] == '"p1"'
    assert again.sources[1].new == 0
    server.routes["/live.html"] = Route(page_html(STORIES[4]).encode(), etag='"p2"')
    third = poll(db, specs, pipeline)
    assert (third.sources[0].new, third.sources[0].added) == (1, 1)  # the page changed: a new version
    assert rows(db, "SELECT versions FROM watch_items WHERE url = ?", [specs[0]]) == [(2,)]


def test_watch_loop_and_intervals(tmp_path: Path, pipeline: Pipeline) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.html").write_text(page_html(STORIES[2]), encoding="utf-8")
    waits: list[float] = []
    seen: list[PollReport] = []
    reports = watch(
        [str(folder)],
        db=tmp_path / "w.duckdb",
        every=60,
        pipeline=pipeline,
        polls=2,
        sleep=waits.append,
        on_poll=seen.append,
    )
    assert len(reports) == 2 == len(seen) and len(waits) == 1 and 0 < waits[0] <= 60
    assert [r.sources[0].added for r in reports] == [1, 0]
    assert parse_interval("15m") == 900 and parse_interval("30s") == 30 and parse_interval("2h") == 7200
    with pytest.raises(ValueError, match="not an interval"):
        parse_interval("soon")
