"""The watch's HTTP client against a local server: conditional GETs, retries, limits, robots.

No language model and no network beyond 127.0.0.1; timeouts and backoffs are a fraction of a
second, so the file runs in a few seconds.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from legation.watch.fetch import PAGE_TYPES, USER_AGENT, Fetcher, FetchError, FetchPolicy
from legation.watch.sources import NotAFeed, parse_feed, parse_sitemap, sniff
from watch_pages import STORIES, atom, page_html, rss, sitemap
from watch_server import LocalServer, Route, local_server

FAST = FetchPolicy(timeout=0.5, deadline=5, retries=1, backoff=0.01, host_delay=0.0)


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    with local_server() as s:
        yield s


@pytest.fixture()
def fetcher() -> Iterator[Fetcher]:
    f = Fetcher(FAST)
    yield f
    f.close()


def test_conditional_get_sends_validators_and_takes_304(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/feed.xml"] = Route(
        rss(server.base, STORIES[:2]).encode(),
        "application/rss+xml",
        etag='"v1"',
        last_modified="Sun, 02 Mar 2025 08:00:00 GMT",
    )
    first = fetcher.get(server.url("/feed.xml"))
    assert first.status == 200 and first.etag == '"v1"' and first.content_type == "application/rss+xml"
    again = fetcher.get(server.url("/feed.xml"), etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.content == b""
    sent = server.headers_of("/feed.xml")[-1]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Sun, 02 Mar 2025 08:00:00 GMT"
    assert sent["User-Agent"] == USER_AGENT and "Legation" in USER_AGENT


def test_500_is_retried_then_reported(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/broken"] = Route(b"oops", status=500)
    with pytest.raises(FetchError) as err:
        fetcher.get(server.url("/broken"))
    assert err.value.reason == "HTTP 500 Internal Server Error"
    assert server.url("/broken") in str(err.value)
    assert server.count("/broken") == 2  # one retry


def test_404_is_not_retried(server: LocalServer, fetcher: Fetcher) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetcher.get(server.url("/missing"))
    assert server.count("/missing") == 1


def test_timeout_redirect_loop_size_and_type(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/slow"] = Route(b"late", delay=3)
    server.routes["/loop"] = Route(redirect="/loop")
    server.routes["/huge"] = Route(stream=50 * 1024 * 1024)
    server.routes["/image"] = Route(b"\x89PNG....", ctype="image/png")
    server.routes["/declared"] = Route(b"x" * 2000)
    with pytest.raises(FetchError, match=r"timed out \(no answer within 0.5 s\)"):
        fetcher.get(server.url("/slow"))
    with pytest.raises(FetchError, match="redirect loop"):
        fetcher.get(server.url("/loop"))
    with pytest.raises(FetchError, match="too large"):
        fetcher.get(server.url("/huge"))
    with pytest.raises(FetchError, match="wrong content type 'image/png'"):
        fetcher.get(server.url("/image"), accept=PAGE_TYPES)
    small = Fetcher(FetchPolicy(max_bytes=1000, host_delay=0))
    with pytest.raises(FetchError, match=r"too large \(2,000 bytes"):
        small.get(server.url("/declared"))
    small.close()


def test_unreachable_host_is_named() -> None:
    with socket.socket() as s:  # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    f = Fetcher(FAST)
    with pytest.raises(FetchError, match="unreachable"):
        f.get(f"http://127.0.0.1:{port}/nothing-listens-here")
    f.close()


def test_robots_txt_is_honoured(server: LocalServer, fetcher: Fetcher) -> None:
    server.routes["/robots.txt"] = Route(b"User-agent: *\nDisallow: /private/\n", ctype="text/plain")
    server.routes["/private/a.html"] = Route(page_html(STORIES[0]).encode())
    server.routes["/public/a.html"] = Route(page_html(STORIES[0]).encode())
    with pytest.raises(FetchError, match=r"robots\.txt"):
        fetcher.get(server.url("/private/a.html"))
    assert fetcher.get(server.url("/public/a.html")).status == 200
    assert server.count("/robots.txt") == 1  # read once per site
    assert server.count("/private/a.html") == 0


def test_per_host_delay_waits_between_requests(server: LocalServer) -> None:
    waits: list[float] = []
    clock = iter(x * 0.1 for x in range(1000))
    f = Fetcher(FetchPolicy(host_delay=2.0, retries=0), sleep=waits.append, clock=lambda: next(clock))
    server.routes["/a"] = Route(b"<p>a</p>")
    f.get(server.url("/a"))
    f.get(server.url("/a"))
    f.close()
    # robots.txt, then /a (waits), then /a again (waits): each wait fills the 2 s since the last.
    assert len(waits) == 2 and all(1.5 < w <= 2.0 for w in waits)


def test_feed_sitemap_parsing_and_sniffing(server: LocalServer) -> None:
    entries, warning = parse_feed(rss(server.base, STORIES[:3]).encode(), server.base + "/feed.xml")
    assert warning is None
    assert [e.published for e in entries] == ["2025-03-02", "2025-03-03", "2025-03-04"]  # oldest first
    assert (
        entries[0].url == server.base + "/items/kursk.html" and entries[0].title == "Troops strike near Kursk"
    )
    a, _ = parse_feed(atom(server.base, STORIES[:2]).encode(), server.base + "/atom.xml")
    assert [e.link for e in a] == [server.base + "/items/kursk.html", server.base + "/items/tokyo.html"]
    with pytest.raises(NotAFeed, match="not an RSS or Atom feed"):
        parse_feed(b"<<<this is { not a feed", "x")
    urls, children = parse_sitemap(sitemap(server.base, STORIES[:2]).encode())
    assert len(urls) == 2 and children == []
    with pytest.raises(NotAFeed, match="not a sitemap"):
        parse_sitemap(b"<html><body>no</body></html>")
    assert sniff(rss("x", STORIES[:1]).encode(), "text/xml") == "feed"
    assert sniff(sitemap("x", STORIES[:1]).encode(), "application/xml") == "sitemap"
    assert sniff(page_html(STORIES[0]).encode(), "text/html") == "page"
