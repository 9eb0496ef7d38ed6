"""Exports in the contract's record formats: JSONL, CSV and Parquet.

Records are streamed from the database a thousand at a time, so an export of any size runs
in bounded memory. JSONL is the reference form; CSV flattens list and object fields to JSON
strings; Parquet keeps lists as lists and objects as JSON strings.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.parquet as pq

from legation.actors.records import actor_records
from legation.crossdoc.graph import edges, write_graphml
from legation.store.db import Store
from legation.store.formats import write_gdelt, write_plover
from legation.store.watch_rows import iter_alerts

KINDS = ("articles", "events", "mentions", "claims", "agreements", "actors", "graph", "alerts")
FORMATS = ("jsonl", "csv", "parquet", "plover", "gdelt", "graphml")
#: Formats that only events have (other systems' event formats; see ``store/formats.py``).
EVENT_FORMATS = ("plover", "gdelt")

ARTICLE_FIELDS = (
    "id",
    "source",
    "url",
    "site",
    "title",
    "published",
    "published_basis",
    "published_precision",
    "author",
    "text",
    "duplicate_of",
    "story_id",
    "datelines",
    "language",  # extension of the contract's record: "en", "und" (not English) or null (not judged)
    "version_of",  # extension: the earlier version of the same page or file this one replaces
)


class ExportError(Exception):
    """An export that cannot be produced as asked (unknown kind, Parquet to a terminal...)."""


def _article_rows(store: Store) -> Iterator[dict[str, Any]]:
    cols = ", ".join(ARTICLE_FIELDS)
    for row in store.iter_rows(f"SELECT {cols} FROM articles ORDER BY seq"):
        row["author"] = list(row["author"] or [])
        row["datelines"] = json.loads(row["datelines"]) if row["datelines"] else []
        yield row


def iter_records(store: Store, kind: str) -> Iterator[dict[str, Any]]:
    """The export records of ``kind``, in a stable order.

    Kinds whose stage has not produced anything yet (no table in this database) yield
    nothing rather than failing, so a pipeline of scripts can export every kind.
    """
    if kind not in KINDS:
        raise ExportError(f"unknown kind {kind!r} (choose from {', '.join(KINDS)})")
    if kind == "articles":
        yield from _article_rows(store)
    elif kind == "actors":

        yield from actor_records(store)
    elif kind == "mentions":
        for row in store.iter_rows("SELECT record FROM mentions ORDER BY seq, start_char, end_char"):
            yield json.loads(row["record"])
    elif kind == "alerts":
        yield from iter_alerts(store)
    elif kind == "graph":

        yield from edges(store)
    elif kind == "events":
        # The record is stored when the article is; its cluster is decided later (crossdoc).
        for row in store.iter_rows("SELECT record, event_cluster FROM events ORDER BY seq, idx"):
            rec = json.loads(row["record"])
            rec["event_cluster"] = row["event_cluster"]
            yield rec
    elif store.has_table(kind):
        for row in store.iter_rows(f"SELECT record FROM {kind} ORDER BY seq"):
            yield json.loads(row["record"])


def _flat(v: Any) -> Any:
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False)
    return v


def write_jsonl(records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for r in records:
        out.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


def write_csv(records: Iterator[dict[str, Any]], out: IO[str]) -> int:
    writer: csv.DictWriter[str] | None = None
    n = 0
    for r in records:
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(r), extrasaction="ignore")
            writer.writeheader()
        writer.writerow({k: _flat(v) for k, v in r.items()})
        n += 1
    return n


def write_parquet(records: Iterator[dict[str, Any]], path: Path) -> int:

    writer: pq.ParquetWriter | None = None
    schema: Any = None
    n = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        nonlocal writer, schema
        if not batch:
            return
        rows = [
            {
                k: (v if isinstance(v, list) and all(isinstance(x, str) for x in v) else _flat(v))
                for k, v in r.items()
            }
            for r in batch
        ]
        if schema is None:
            cols = list(rows[0])
            schema = pa.schema(
                [
                    pa.field(
                        c,
                        pa.list_(pa.string())
                        if any(isinstance(r.get(c), list) for r in rows)
                        else pa.string(),
                    )
                    for c in cols
                ]
            )
            writer = pq.ParquetWriter(str(path), schema)
        table = pa.Table.from_pylist(
            [{k: (v if isinstance(v, list) or v is None else str(v)) for k, v in r.items()} for r in rows],
            schema=schema,
        )
        assert writer is not None
        writer.write_table(table)
        batch.clear()

    for r in records:
        batch.append(r)
        n += 1
        if len(batch) >= 1000:
            flush()
    flush()
    if writer is not None:
        writer.close()
    else:
        pq.write_table(pa.table({}), str(path))
    return n


def export(
    kind: str,
    *,
    db: str | Path | None = None,
    fmt: str = "jsonl",
    out: IO[str] | None = None,
    path: str | Path | None = None,
) -> int:
    """Write every ``kind`` record to ``path`` (or the text stream ``out``). Returns the count."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt in EVENT_FORMATS and kind != "events":
        raise ExportError(f"format {fmt!r} is for events only")
    if fmt == "graphml" and kind != "graph":
        raise ExportError("format 'graphml' is for the graph only")
    with Store(db, read_only=True) as store:
        if fmt == "graphml":

            return _to_text(lambda fh: write_graphml(store, fh), out, path, newline=None)
        if fmt in EVENT_FORMATS:

            fn = write_plover if fmt == "plover" else write_gdelt
            return _to_text(lambda fh: fn(store, fh), out, path)
        records = iter_records(store, kind)
        if fmt == "parquet":
            if path is None:
                raise ExportError("parquet is binary: give an output file with -o")
            return write_parquet(records, Path(path))
        writer = write_jsonl if fmt == "jsonl" else write_csv
        return _to_text(lambda fh: writer(records, fh), out, path)


def _to_text(
    write: Callable[[IO[str]], int], out: IO[str] | None, path: str | Path | None, newline: str | None = ""
) -> int:
    """Run a text writer on the file ``path`` (opened UTF-8) or else on the stream ``out``."""
    if path is not None:
        with open(path, "w", encoding="utf-8", newline=newline) as fh:
            return write(fh)
    if out is None:
        raise ExportError("nowhere to write: give out or path")
    return write(out)
