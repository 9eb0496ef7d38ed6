"""HTTP for the watch: polite, bounded and conditional.

Why each rule: a watch runs unattended for weeks against servers it does not own, so every
request is bounded (connect/read timeouts, a total deadline, a size cap, at most
``max_redirects`` hops) and polite (a User-Agent naming Legation, robots.txt honoured through
:mod:`urllib.robotparser`, a delay between two requests to one host, the larger of ours and
the site's ``Crawl-delay``). Validators from the last answer (ETag, Last-Modified) are sent back
so an unchanged feed or page costs the server a 304 and us nothing. Transient failures
(timeouts, refused connections, 429 and 5xx answers) are retried with exponential backoff; a
failure that remains is a :class:`FetchError` whose message says what went wrong in words a
user can act on (unreachable, timed out, HTTP 500, redirect loop, too large, wrong type).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from legation import __version__

USER_AGENT = f"Legation/{__version__} (news watch; +https://pypi.org/project/legation/)"

#: Media types a page may have (HTML, or a text dump served as plain text).
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
#: Media types a feed or a sitemap may have (servers label RSS every way there is).
XML_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)
#: Answers worth asking again: the server is busy or broken for now.
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
#: robots.txt is read up to this size (RFC 9309 asks parsers to read at least 500 KiB).
ROBOTS_MAX_BYTES = 512 * 1024
#: A site's Crawl-delay is honoured up to this many seconds (a larger one would stall the watch).
MAX_CRAWL_DELAY = 30.0


class FetchError(Exception):
    """A URL that could not be fetched; ``str()`` names the URL and the reason."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(frozen=True)
class FetchPolicy:
    """How requests are made. The defaults suit a watch of news sites every 15 minutes.

    Attributes:
        timeout: seconds for connecting and for each read.
        deadline: seconds for a whole answer, body included (a server dribbling bytes).
        max_redirects: hops followed; more is reported as a redirect loop.
        retries: extra attempts after a timeout, a refused connection, 429 or 5xx.
        backoff: seconds before the first retry, doubled for each further one.
        host_delay: seconds between two requests to the same host.
        max_bytes: largest body read; a larger one is refused as too large.
        user_agent: sent with every request, robots.txt is matched against it.
        robots: honour robots.txt.
    """

    timeout: float = 20.0
    deadline: float = 60.0
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0
    host_delay: float = 1.0
    max_bytes: int = 10 * 1024 * 1024
    user_agent: str = USER_AGENT
    robots: bool = True


@dataclass(frozen=True)
class Fetched:
    """One answer: 200 with a body, or 304 (``not_modified``) with none."""

    url: str
    status: int
    content: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    charset: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _media_type(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()


def _charset(value: str) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    for param in value.split(";")[1:]:
        name, _, v = param.partition("=")
        if name.strip().lower() == "charset" and v.strip():
            return v.strip().strip('"').lower()
    return None


@dataclass
class _Robots:
    parser: RobotFileParser | None  # None: everything allowed
    delay: float = 0.0


@dataclass
class Fetcher:
    """Makes the watch's requests; one per process, so host delays and robots are shared."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    transport: httpx.BaseTransport | None = None

    def __post_init__(self) -> None:
        p = self.policy
        self.client = httpx.Client(
            headers={"User-Agent": p.user_agent},
            timeout=httpx.Timeout(p.timeout),
            follow_redirects=True,
            max_redirects=p.max_redirects,
            transport=self.transport,
        )
        self._last: dict[str, float] = {}
        self._robots: dict[str, _Robots] = {}
        self.requests = 0

    def close(self) -> None:
        self.client.close()

    def get(
        self,
        url: str,
        *,
        accept: tuple[str, ...] = (),
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """GET ``url``, conditionally when validators are given; raises :class:`FetchError`.

        ``accept``: the media types wanted (empty: any). A missing Content-Type is accepted,
        the caller sniffs the body.
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "not an http(s) URL")
        robots = self._robots_for(url)
        if robots.parser is not None and not robots.parser.can_fetch(self.policy.user_agent, url):
            raise FetchError(url, "disallowed by the site's robots.txt")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            try:
                return self._once(url, headers, accept, robots.delay)
            except _Retry as exc:
                if attempt >= self.policy.retries:
                    raise FetchError(url, exc.reason) from None
                self.sleep(self.policy.backoff * (2**attempt))
                attempt += 1

    def _wait_for_host(self, url: str, extra: float) -> None:
        host = urlsplit(url).netloc.lower()
        delay = max(self.policy.host_delay, extra)
        last = self._last.get(host)
        if last is not None:
            wait = last + delay - self.clock()
            if wait > 0:
                self.sleep(wait)
        self._last[host] = self.clock()

    def _once(self, url: str, headers: dict[str, str], accept: tuple[str, ...], delay: float) -> Fetched:
        """One attempt; transient failures raise :class:`_Retry`, the others FetchError."""
        self._wait_for_host(url, delay)
        self.requests += 1
        started = self.clock()
        try:
            with self.client.stream("GET", url, headers=headers) as r:
                if r.status_code == 304:
                    return Fetched(
                        str(r.url),
                        304,
                        etag=r.headers.get("etag"),
                        last_modified=r.headers.get("last-modified"),
                    )
                if r.status_code in RETRY_STATUS:
                    raise _Retry(f"HTTP {r.status_code} {r.reason_phrase}".rstrip())
                if r.status_code != 200:
                    raise FetchError(url, f"HTTP {r.status_code} {r.reason_phrase}".rstrip())
                ctype = _media_type(r.headers.get("content-type", ""))
                if accept and ctype and ctype not in accept:
                    raise FetchError(url, f"wrong content type {ctype!r} (want {', '.join(accept)})")
                body = self._read_capped(url, r, started)
                return Fetched(
                    str(r.url),
                    200,
                    body,
                    ctype,
                    r.headers.get("etag"),
                    r.headers.get("last-modified"),
                    _charset(r.headers.get("content-type", "")),
                )
        except httpx.TooManyRedirects:
            raise FetchError(
                url, f"redirect loop (more than {self.policy.max_redirects} redirects)"
            ) from None
        except httpx.TimeoutException:
            raise _Retry(f"timed out (no answer within {self.policy.timeout:g} s)") from None
        except httpx.ConnectError as exc:
            raise _Retry(f"unreachable ({exc})") from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _Retry(f"connection broken ({exc})") from None
        except httpx.HTTPError as exc:  # any other transport error (proxy, decoding...)
            raise FetchError(url, f"request failed ({type(exc).__name__}: {exc})") from None

    def _read_capped(self, url: str, r: httpx.Response, started: float) -> bytes:
        cap = self.policy.max_bytes
        declared = r.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(url, f"too large ({int(declared):,} bytes; the cap is {cap:,})")
        chunks: list[bytes] = []
        size = 0
        for chunk in r.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise FetchError(url, f"too large (more than {cap:,} bytes)")
            if self.clock() - started > self.policy.deadline:
                raise FetchError(url, f"too slow (body not complete after {self.policy.deadline:g} s)")
            chunks.append(chunk)
        return b"".join(chunks)

    def _robots_for(self, url: str) -> _Robots:
        """The robots.txt rules of ``url``'s site, fetched once per run (RFC 9309 reading).

        Missing (4xx): everything allowed. 401/403: nothing allowed. 5xx or unreachable after
        retries: the site is treated as unreachable, as the RFC asks, and the error says so.
        """
        if not self.policy.robots:
            return _Robots(None)
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        got = self._robots.get(base)
        if got is not None:
            return got
        robots_url = base + "/robots.txt"
        attempt = 0
        while True:
            try:
                got = self._fetch_robots(robots_url)
                break
            except _Retry as exc:
                if attempt >= self.policy.retries:
                    raise FetchError(url, f"{exc.reason} (asking for {robots_url})") from None
                self.sleep(self.policy.backoff * (2**attempt))
                attempt += 1
        self._robots[base] = got
        return got

    def _fetch_robots(self, robots_url: str) -> _Robots:
        self._wait_for_host(robots_url, 0.0)
        self.requests += 1
        try:
            r = self.client.get(robots_url)
        except httpx.TimeoutException:
            raise _Retry(f"timed out (no answer within {self.policy.timeout:g} s)") from None
        except httpx.ConnectError as exc:
            raise _Retry(f"unreachable ({exc})") from None
        except httpx.HTTPError:
            return _Robots(None)  # a redirect loop or broken robots.txt: no rules to honour
        if r.status_code in (401, 403):
            parser = RobotFileParser()
            parser.parse(["User-agent: *", "Disallow: /"])
            return _Robots(parser)
        if r.status_code in RETRY_STATUS:
            raise _Retry(f"HTTP {r.status_code} {r.reason_phrase}".rstrip())
        if r.status_code != 200:
            return _Robots(None)
        parser = RobotFileParser()
        parser.parse(r.content[:ROBOTS_MAX_BYTES].decode("utf-8", "replace").splitlines())
        delay = parser.crawl_delay(self.policy.user_agent)
        return _Robots(parser, min(float(delay or 0.0), MAX_CRAWL_DELAY))


class _Retry(Exception):
    """A transient failure, asked again up to ``FetchPolicy.retries`` times."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def post_json(client: httpx.Client, url: str, payload: object) -> None:
    """POST ``payload`` as JSON (a webhook); raises :class:`FetchError` unless 2xx."""
    try:
        r = client.post(url, json=payload)
    except httpx.HTTPError as exc:
        raise FetchError(url, f"webhook failed ({type(exc).__name__}: {exc})") from None
    if not 200 <= r.status_code < 300:
        raise FetchError(url, f"webhook answered HTTP {r.status_code} {r.reason_phrase}".rstrip())
