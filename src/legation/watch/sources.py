"""What a watch SOURCE is, and reading what each kind lists: folders, feeds, sitemaps, pages.

A SOURCE on the command line is a folder (its new and changed files), a feed file (RSS or
Atom on disk), or a URL: a feed, a sitemap or a page. A URL's kind is told by its first
answer (the media type, then the body), because users paste feed and page URLs alike; a
prefix (``feed:``, ``sitemap:``, ``page:``, ``folder:``) fixes it when the server mislabels.
Parsing is pure: bytes in, entries out, errors that say what the bytes were not.
"""

from __future__ import annotations

import calendar
import hashlib
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import feedparser

from legation.ingest.sources import UsageError, kind_of
from legation.watch.fetch import PAGE_TYPES, XML_TYPES

Kind = Literal["folder", "feed", "sitemap", "page", "url"]
PREFIXES: tuple[Kind, ...] = ("feed", "sitemap", "page", "folder")
FEED_SUFFIXES = (".xml", ".rss", ".atom")
#: Child sitemaps read from one sitemap index per poll (an index of thousands is a whole site).
MAX_CHILD_SITEMAPS = 20


class NotAFeed(Exception):
    """Bytes that are no feed (or no sitemap); ``str()`` says why."""


@dataclass(frozen=True)
class Source:
    """One watched source: ``spec`` as the user wrote it (its key in the state), its kind, and
    the path or URL it reads (``url`` kind: a URL whose kind its first answer tells)."""

    spec: str
    kind: Kind
    location: str

    @property
    def is_url(self) -> bool:
        return self.location.startswith(("http://", "https://"))

    def label(self) -> str:
        """How messages name it: "feed http://host/feed.xml"."""
        return f"{self.kind if self.kind != 'url' else 'source'} {self.spec}"


def parse_source(spec: str) -> Source:
    """A command-line SOURCE as a :class:`Source`; raises ``UsageError`` for a missing path."""
    kind: Kind | None = None
    rest = spec
    for p in PREFIXES:
        if spec.startswith(p + ":") and not spec.startswith(p + "://"):
            kind, rest = p, spec[len(p) + 1 :]
            break
    if rest.startswith(("http://", "https://")):
        if kind == "folder":
            raise UsageError(f"{spec}: a folder source must be a local path")
        return Source(spec, kind or "url", rest)
    if "://" in rest:
        raise UsageError(f"{spec}: only http(s) URLs, folders and feed files can be watched")
    path = Path(rest)
    if not path.exists():
        raise UsageError(f"{spec}: no such file or directory")
    if kind in ("sitemap", "page"):
        raise UsageError(f"{spec}: a {kind} source must be an http(s) URL")
    if path.is_dir() or kind == "folder":
        return Source(spec, "folder", rest)
    if kind == "feed" or path.suffix.lower() in FEED_SUFFIXES:
        return Source(spec, "feed", rest)
    if kind_of(path):  # one article file: watched like a folder of one
        return Source(spec, "folder", rest)
    raise UsageError(f"{spec}: not a folder, a feed file (.xml, .rss, .atom) or an article file")


def sniff(data: bytes, content_type: str) -> Kind:
    """``feed``, ``sitemap`` or ``page``: what an answer of unknown kind holds."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        return "sitemap"
    if content_type in XML_TYPES or head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")):
        return "feed"
    if content_type in PAGE_TYPES or not content_type:
        return "page"
    return "page"


@dataclass(frozen=True)
class FeedEntry:
    """One feed item: its ``url`` (the state key: the link, else the feed URL + guid), where
    to read it (``link``, None when only the feed's own ``content`` is there), and the
    metadata the feed gives (which wins over what the page says, as for a JSONL record)."""

    url: str
    link: str | None
    title: str | None
    published: str | None
    content: str | None


def _iso_day(parsed: Any) -> str | None:
    if not parsed:
        return None
    try:
        return time.strftime("%Y-%m-%d", time.gmtime(calendar.timegm(parsed)))
    except (TypeError, ValueError, OverflowError):
        return None


def _entry_content(e: Any) -> str | None:
    """The longest body the entry carries (content:encoded, Atom content), else None."""
    bodies = [str(c.get("value") or "") for c in e.get("content") or []]
    best = max(bodies, key=len, default="")
    return best if best.strip() else None


def _resolve_link(link: str, base: str) -> str:
    """An entry's link made absolute: against the feed URL, or the feed file's folder."""
    if base.startswith(("http://", "https://")):
        return urljoin(base, link)
    if link.startswith(("http://", "https://")):
        return link
    if link.startswith("file://"):
        return urlsplit(link).path
    return str((Path(base).parent / link).resolve()) if not Path(link).is_absolute() else link


def parse_feed(data: bytes, base: str) -> tuple[list[FeedEntry], str | None]:
    """The entries of an RSS or Atom document, oldest first, and a warning when the feed is
    malformed but still readable. Raises :class:`NotAFeed` when nothing in it is a feed.

    Always handed bytes: given a string that looks like a URL, feedparser would fetch it.
    """
    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        why = parsed.get("bozo_exception")
        raise NotAFeed(f"not an RSS or Atom feed ({why})" if why else "not an RSS or Atom feed")
    if parsed.get("bozo") and not parsed.entries:
        raise NotAFeed(f"malformed feed, no entry could be read ({parsed.get('bozo_exception')})")
    warning = None
    if parsed.get("bozo"):
        warning = (
            f"malformed feed, {len(parsed.entries)} entries read anyway ({parsed.get('bozo_exception')})"
        )
    out: list[FeedEntry] = []
    for e in parsed.entries:
        link = e.get("link")
        link = _resolve_link(str(link), base) if link else None
        content = _entry_content(e)
        guid = str(e.get("id") or e.get("title") or "")
        if not link and not content:
            continue  # nothing to read
        url = link or f"{base}#{hashlib.sha1(guid.encode()).hexdigest()[:12]}"
        when = _iso_day(e.get("published_parsed") or e.get("updated_parsed"))
        title = " ".join(str(e.get("title") or "").split()) or None
        out.append(FeedEntry(url, link, title, when, content))
    # Feeds list the newest first; ingesting in time order keeps stories and claims in order.
    out.sort(key=lambda x: x.published or "")
    unique: dict[str, FeedEntry] = {}
    for e in out:
        unique.setdefault(e.url, e)  # an item listed twice is one item
    return list(unique.values()), warning


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def parse_sitemap(data: bytes) -> tuple[list[str], list[str]]:
    """``(page URLs, child sitemap URLs)`` of a sitemap or sitemap index (XML).

    Raises :class:`NotAFeed` for anything else. Child sitemaps beyond
    :data:`MAX_CHILD_SITEMAPS` are left for the next poll's reading of the index.
    """
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise NotAFeed(f"not a sitemap (malformed XML: {exc})") from None
    name = _local(root.tag)
    if name not in ("urlset", "sitemapindex"):
        raise NotAFeed(f"not a sitemap (root element <{name}>)")
    locs = [
        (el.text or "").strip()
        for child in root
        for el in child
        if _local(el.tag) == "loc" and (el.text or "").strip()
    ]
    if name == "urlset":
        return locs, []
    return [], locs[:MAX_CHILD_SITEMAPS]
