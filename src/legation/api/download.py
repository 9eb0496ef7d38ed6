"""Downloads of the list endpoints: ``format=csv``, ``json`` or ``jsonl`` on ``/api/<list>``.

A download answers every item matching the list's filters, in the list's order, ignoring
``limit`` and ``offset``, up to :data:`MAX_DOWNLOAD` rows (``X-Total-Count`` says how many
matched and ``X-Truncated: true`` that the file stops short of them). It is streamed: pages of
:data:`CHUNK` items are read one after the other from a read-only store of its own, so a
large file never sits in memory. CSV flattens each record into the columns of
:data:`COLUMNS`; JSON is an array of the records, JSON Lines one record a line.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from typing import Any, Literal

from fastapi import Request
from fastapi.responses import StreamingResponse

from legation.extract.lifecycle import STAGES
from legation.store.db import Store

#: The most rows a download holds.
MAX_DOWNLOAD = 50_000
#: Items read per query while streaming.
CHUNK = 1000

Format = Literal["csv", "json", "jsonl"]
Page = tuple[list[dict[str, Any]], int]
Fetch = Callable[[Store, int, int], Page]

MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json", "jsonl": "application/x-ndjson"}


def _codes(side: Any) -> str:
    return "; ".join(str(a.get("code") or a.get("text") or "") for a in side or [] if isinstance(a, dict))


def _join(v: Any) -> str:
    return "; ".join(str(x) for x in v or [])


def _get(*path: str) -> Callable[[dict[str, Any]], Any]:
    def pick(rec: dict[str, Any]) -> Any:
        cur: Any = rec
        for k in path:
            cur = cur.get(k) if isinstance(cur, dict) else None
        return cur

    return pick


Column = tuple[str, Callable[[dict[str, Any]], Any]]
COLUMNS: dict[str, list[Column]] = {
    "events": [
        ("id", _get("id")),
        ("date", _get("date")),
        ("date_precision", _get("date_precision")),
        ("event", _get("event")),
        ("mode", _get("mode")),
        ("quad", _get("quad")),
        ("goldstein", _get("goldstein")),
        ("actor", lambda r: _codes(r.get("actor"))),
        ("recipient", lambda r: _codes(r.get("recipient"))),
        ("location", _get("location", "name")),
        ("country", _get("location", "country")),
        ("lat", _get("location", "lat")),
        ("lon", _get("location", "lon")),
        ("article_id", _get("article_id")),
        ("article_title", _get("article_title")),
        ("sentence", _get("text_info", "sentence")),
    ],
    "articles": [
        ("id", _get("id")),
        ("published", _get("published")),
        ("site", _get("site")),
        ("title", _get("title")),
        ("url", _get("url")),
        ("source", _get("source")),
        ("story_id", _get("story_id")),
        ("duplicate_of", _get("duplicate_of")),
    ],
    "claims": [
        ("id", _get("id")),
        ("topic", _get("topic")),
        ("subject", _get("subject")),
        ("value", _get("value")),
        ("unit", _get("unit")),
        ("claimant", lambda r: _codes(r.get("claimant"))),
        ("as_of", _get("as_of")),
        ("disputed", _get("disputed")),
        ("group_id", _get("group_id")),
        ("article_id", _get("article_id")),
        ("sentence", _get("text_info", "sentence")),
    ],
    "agreements": [
        ("id", _get("id")),
        ("name", _get("name")),
        ("kind", _get("kind")),
        ("parties", lambda r: _join(r.get("parties"))),
        # One column per lifecycle stage, in the order of data/agreements/stages.yaml.
        *((stage, _get("dates", stage)) for stage in STAGES),
        ("status", _get("status")),
        ("article_ids", lambda r: _join(r.get("article_ids"))),
    ],
    "alerts": [
        ("id", _get("id")),
        ("fired", _get("fired")),
        ("rule", _get("rule")),
        ("kind", _get("kind")),
        ("fact_id", _get("fact_id")),
        ("summary", _get("summary")),
        ("sentence", _get("sentence")),
        ("article_id", _get("article_id")),
        ("article_title", _get("article", "title")),
    ],
}


def _csv_line(values: list[Any]) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerow(["" if v is None else v for v in values])
    return buf.getvalue()


def _items(
    open_store: Callable[[], Store], fetch: Fetch, first: list[dict[str, Any]], total: int
) -> Iterator[dict[str, Any]]:
    """The first page, then the following ones read from a store of the download's own (a
    cursor over the app's snapshot, so a long download never holds the file's lock)."""
    wanted = min(total, MAX_DOWNLOAD)
    yield from first[:wanted]
    done = len(first)
    if done >= wanted:
        return
    with open_store() as store:
        while done < wanted:
            page, _ = fetch(store, min(CHUNK, wanted - done), done)
            if not page:
                return
            yield from page
            done += len(page)


def _body(kind: str, fmt: Format, items: Iterator[dict[str, Any]]) -> Iterator[str]:
    if fmt == "csv":
        cols = COLUMNS[kind]
        yield _csv_line([name for name, _ in cols])
        for rec in items:
            yield _csv_line([get(rec) for _, get in cols])
    elif fmt == "jsonl":
        for rec in items:
            yield json.dumps(rec, ensure_ascii=False, default=str) + "\n"
    else:
        yield "["
        for i, rec in enumerate(items):
            yield ("," if i else "") + "\n" + json.dumps(rec, ensure_ascii=False, default=str)
        yield "\n]\n"


def download(request: Request, store: Store, kind: str, fetch: Fetch, fmt: Format) -> StreamingResponse:
    """Stream every item ``fetch`` pages through (at most :data:`MAX_DOWNLOAD`) as ``fmt``."""
    first, total = fetch(store, CHUNK, 0)
    headers = {
        "Content-Disposition": f'attachment; filename="legation-{kind}.{fmt}"',
        "X-Total-Count": str(total),
        "X-Download-Limit": str(MAX_DOWNLOAD),
    }
    if total > MAX_DOWNLOAD:
        headers["X-Truncated"] = "true"
    items = _items(request.app.state.snapshots.store, fetch, first, total)
    return StreamingResponse(_body(kind, fmt, items), media_type=MEDIA[fmt], headers=headers)
