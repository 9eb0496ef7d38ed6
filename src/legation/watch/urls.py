"""Polling a feed, a sitemap or a page (a URL, or a feed file on disk).

The source itself is asked conditionally (its last ETag and Last-Modified); a 304 ends the
poll of it. Its items are fetched only when new (or when their fetch failed on fewer than
three earlier polls), written to the spool one by one, and ingested together. The source's
validators are saved only when nothing is left to fetch, so the next poll reads it in full
again when items were left for later (the per-poll cap, a failed fetch to retry).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from legation.ingest.sources import MAX_ARTICLE_BYTES
from legation.store import watch_rows as W
from legation.store.db import Store
from legation.watch.fetch import PAGE_TYPES, XML_TYPES, Fetched, Fetcher, FetchError
from legation.watch.report import SourceReport
from legation.watch.sources import FeedEntry, NotAFeed, Source, parse_feed, parse_sitemap, sniff
from legation.watch.spool import Spool, SpoolItem, item_from_bytes, item_from_fetched

FEED_ACCEPT = (*XML_TYPES, "text/plain")
ANY_ACCEPT = (*XML_TYPES, *PAGE_TYPES)


class Host(Protocol):
    """What a URL poll needs of its watch (:class:`legation.watch.poll.Watcher`)."""

    db: str
    fetcher: Fetcher
    spool: Spool
    max_items: int

    def ingest_items(self, path: Path, items: list[SpoolItem], rep: SourceReport) -> list[W.ItemRow]: ...


def _read_local(path: str) -> bytes:
    p = Path(path)
    size = p.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise ValueError(f"too large ({size:,} bytes; the cap is {MAX_ARTICLE_BYTES:,})")
    return p.read_bytes()


class UrlPoller:
    """One poll of one feed, sitemap or page source."""

    def __init__(self, host: Host, src: Source, rep: SourceReport) -> None:
        self.host = host
        self.src = src
        self.rep = rep

    def run(self) -> None:
        """Fetch the source, tell its kind, and poll its items; raises FetchError, ValueError."""
        src = self.src
        if not src.is_url:  # a feed file
            self._entries(self._feed(_read_local(src.location), src.location), None)
            return
        with Store(self.host.db) as store:
            etag, modified = W.source_validators(store, src.spec)
            known = W.source_kind(store, src.spec)
        kind = src.kind if src.kind != "url" else (known or "url")
        accept = {"feed": FEED_ACCEPT, "sitemap": FEED_ACCEPT, "page": PAGE_TYPES}.get(kind, ANY_ACCEPT)
        got = self.host.fetcher.get(src.location, accept=accept, etag=etag, last_modified=modified)
        if got.not_modified:
            self.rep.kind = kind
            self.rep.unchanged = True
            self._done(etag, modified)
            return
        if kind == "url":
            kind = sniff(got.content, got.content_type)
        self.rep.kind = kind
        if kind == "feed":
            self._entries(self._feed(got.content, got.url), got)
        elif kind == "sitemap":
            self._entries(self._sitemap(got), got)
        else:
            self._page(got)

    def _feed(self, data: bytes, base: str) -> list[FeedEntry]:
        try:
            entries, warning = parse_feed(data, base)
        except NotAFeed as exc:
            raise ValueError(str(exc)) from None
        if warning:
            self.rep.problems.append(warning)
        return entries

    def _sitemap(self, got: Fetched) -> list[FeedEntry]:
        try:
            urls, children = parse_sitemap(got.content)
        except NotAFeed as exc:
            raise ValueError(str(exc)) from None
        for child in children:
            try:
                sub = self.host.fetcher.get(child, accept=FEED_ACCEPT)
                urls += parse_sitemap(sub.content)[0]
            except (FetchError, NotAFeed) as exc:
                self.rep.problems.append(f"{child}: {exc}")
        return [FeedEntry(u, u, None, None, None) for u in dict.fromkeys(urls)]

    def _done(self, etag: str | None, modified: str | None, warning: str | None = None) -> None:
        with Store(self.host.db) as store:
            W.record_source_ok(
                store,
                self.src.spec,
                self.rep.kind,
                etag=etag,
                last_modified=modified,
                added=self.rep.added,
                warning=warning,
            )

    def _fetch(self, e: FeedEntry) -> SpoolItem:
        """One entry's page (or the feed's own copy of it) as a spool item."""
        meta = {"title": e.title, "published": e.published}
        if e.link and e.link.startswith(("http://", "https://")):
            got = self.host.fetcher.get(e.link, accept=PAGE_TYPES)
            return item_from_fetched(got, e.url, self.src.spec, **meta)
        if e.link and Path(e.link).is_file():
            ctype = "text/plain" if e.link.lower().endswith(".txt") else "text/html"
            return item_from_bytes(e.url, self.src.spec, _read_local(e.link), ctype, **meta)
        if e.content:
            return item_from_bytes(e.url, self.src.spec, e.content.encode("utf-8"), "text/html", **meta)
        raise ValueError(f"no such file: {e.link}")

    def _entries(self, entries: list[FeedEntry], got: Fetched | None) -> None:
        """Fetch the new entries into the spool, ingest them, record them and the source."""
        with Store(self.host.db) as store:
            state = W.items_state(store, [e.url for e in entries])
        todo = [e for e in entries if e.url not in state or state[e.url].retry]
        left = len(todo) > self.host.max_items
        todo = todo[: self.host.max_items]
        self.rep.new = len(todo)
        path = self.host.spool.path_for(self.src.spec)
        items: list[SpoolItem] = []
        failed: list[W.ItemRow] = []
        for e in todo:
            try:
                item = self._fetch(e)
            except (FetchError, ValueError, OSError) as exc:
                why = exc.reason if isinstance(exc, FetchError) else str(exc)
                self.rep.failed += 1
                self.rep.problems.append(f"{e.url}: {why}")
                failed.append(W.ItemRow(e.url, self.src.spec, f"fetch failed: {why}", fetch_failed=True))
                continue
            self.host.spool.append(path, item)
            items.append(item)
        self.host.ingest_items(path, items, self.rep)
        with Store(self.host.db) as store:
            W.record_items(store, failed)
        keep = got is not None and not left and not failed
        self._done(got.etag if keep and got else None, got.last_modified if keep and got else None)

    def _page(self, got: Fetched) -> None:
        """A page source: ingested when its content is new (a changed page is a new version)."""
        item = item_from_fetched(got, self.src.location, self.src.spec)
        with Store(self.host.db) as store:
            prev = W.items_state(store, [item.url]).get(item.url)
        if prev is not None and prev.content_hash == item.content_hash:  # the same page again
            self._done(got.etag, got.last_modified)
            return
        self.rep.new = 1
        path = self.host.spool.path_for(self.src.spec)
        self.host.spool.append(path, item)
        self.host.ingest_items(path, [item], self.rep)
        self._done(got.etag, got.last_modified)
