"""The spool: fetched items written to disk before they are ingested.

Why a spool rather than handing the runner articles in memory: the runner reads inputs in two
passes and writes each batch in one transaction, and a JSONL record is the input form it
already reads with the item's own metadata (``url`` as the article's source, the feed's
``title`` and ``published`` winning over the page's, as the contract says of records). So
fetched items take the normal ingest path unchanged (ids, duplicates, batches, the
cross-article steps), and a watch killed after fetching but before its batch committed finds
the items on disk at its next start and ingests them without fetching them again.

Each line is an ingest record plus a ``watch`` object the runner ignores: the source, the
validators of the answer and the content hash, which the poll needs to record the item.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from legation.ingest.encoding import decode_bytes, looks_binary
from legation.watch.fetch import Fetched


@dataclass(frozen=True)
class SpoolItem:
    """One fetched item, ready to be written as an ingest record."""

    url: str
    source: str
    body: str
    fmt: str  # "html" or "text"
    title: str | None = None
    published: str | None = None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def content_hash(self) -> str:
        """What the runner stores as the article's ``content_hash`` (SHA-256 of the body)."""
        return hashlib.sha256(self.body.encode("utf-8", "surrogatepass")).hexdigest()

    def record(self) -> dict[str, Any]:
        rec: dict[str, Any] = {"url": self.url, self.fmt: self.body}
        if self.title:
            rec["title"] = self.title
        if self.published:
            rec["published"] = self.published
        rec["watch"] = {
            "source": self.source,
            "etag": self.etag,
            "last_modified": self.last_modified,
            "fmt": self.fmt,
        }
        return rec


def item_from_bytes(
    url: str, source: str, data: bytes, content_type: str, charset: str | None = None, **meta: Any
) -> SpoolItem:
    """A page's bytes as a spool item; raises ``ValueError`` (empty, binary) naming why."""
    if not data.strip():
        raise ValueError("empty page")
    if looks_binary(data):
        raise ValueError("binary content, not text or HTML")
    fmt = "text" if content_type == "text/plain" else "html"
    text, _enc = decode_bytes(data, declared=charset, is_html=fmt == "html")
    return SpoolItem(url, source, text, fmt, **meta)


def item_from_fetched(f: Fetched, url: str, source: str, **meta: Any) -> SpoolItem:
    """The answer to a page request as a spool item (``url``: the item's key, not the final URL
    after redirects, so the next poll recognises it)."""
    return item_from_bytes(
        url, source, f.content, f.content_type, f.charset, etag=f.etag, last_modified=f.last_modified, **meta
    )


class Spool:
    """A folder of ``<source hash>.jsonl`` files beside the database."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_for(self, source: str) -> Path:
        return self.folder / f"{hashlib.sha1(source.encode('utf-8')).hexdigest()[:16]}.jsonl"

    def append(self, path: Path, item: SpoolItem) -> None:
        """Add one item and force it to disk: a kill after this loses no fetched item."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(item.record(), ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def leftovers(self) -> list[Path]:
        """Spool files a killed poll left behind, oldest first."""
        if not self.folder.is_dir():
            return []
        return sorted(self.folder.glob("*.jsonl"), key=lambda p: p.stat().st_mtime_ns)


def read_items(path: Path) -> Iterator[SpoolItem]:
    """The items of a spool file; a line cut short by a kill is dropped (its item was never
    recorded as seen, so the next poll fetches it again)."""
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                rec = json.loads(line)
                meta = rec["watch"]
                fmt = meta["fmt"]
                yield SpoolItem(
                    rec["url"],
                    meta["source"],
                    rec[fmt],
                    fmt,
                    rec.get("title"),
                    rec.get("published"),
                    meta.get("etag"),
                    meta.get("last_modified"),
                )
            except (json.JSONDecodeError, KeyError, TypeError):
                continue


def rewrite(path: Path, items: list[SpoolItem]) -> None:
    """Write ``items`` as the whole spool file (after dropping a cut-short line)."""
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for it in items:
            fh.write(json.dumps(it.record(), ensure_ascii=False) + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)
