"""The reads and writes of ``legation watch``: its state, its alerts, and the facts it matches.

The watch keeps its whole state in the database (migration 8), so that a restart, a crash or a
``kill -9`` resumes without fetching or alerting twice: the sources and their health, every
item seen, the alerts fired and each delivery of them, and the article ``seq`` up to which
events were matched. Like :mod:`legation.store.crossdoc_rows`, this is the only SQL of its
part of the product; :mod:`legation.watch` hands rows in and gets rows out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from legation.store.db import Store

#: A failed delivery (a webhook down) is tried again on this many polls, then given up.
MAX_DELIVERY_ATTEMPTS = 3
#: A failed fetch of an item is tried again on this many polls, then recorded as failed.
MAX_ITEM_ATTEMPTS = 3
EVENTS_WATERMARK = "events_seq"


def now() -> str:
    """The current UTC time as stored: ``2025-03-02T10:15:00Z``."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _all(store: Store, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
    return store.con.execute(sql, list(params) if params is not None else None).fetchall()


# ---------------------------------------------------------------------------- sources
def source_validators(store: Store, spec: str) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified of the source's last answer (for a conditional GET)."""
    rows = _all(store, "SELECT etag, last_modified FROM watch_sources WHERE source = ?", [spec])
    return (rows[0][0], rows[0][1]) if rows else (None, None)


def source_kind(store: Store, spec: str) -> str | None:
    """The kind a source was found to be on an earlier poll (a URL's first answer tells)."""
    rows = _all(store, "SELECT kind FROM watch_sources WHERE source = ?", [spec])
    return str(rows[0][0]) if rows else None


def _ensure_source(store: Store, spec: str, kind: str, when: str) -> None:
    _all(
        store,
        "INSERT INTO watch_sources VALUES (?, ?, ?, NULL, NULL, NULL, NULL, 0, 0, 0, NULL, NULL) "
        "ON CONFLICT (source) DO NOTHING",
        [spec, kind, when],
    )


def record_source_ok(
    store: Store,
    spec: str,
    kind: str,
    *,
    etag: str | None,
    last_modified: str | None,
    added: int,
    warning: str | None = None,
) -> None:
    """A poll of the source that worked, with the validators to send next time (None: none,
    so the next poll reads the source in full: items are still to fetch)."""
    when = now()
    _ensure_source(store, spec, kind, when)
    _all(
        store,
        "UPDATE watch_sources SET kind = ?, last_poll = ?, last_success = ?, polls = polls + 1, "
        "items = items + ?, etag = ?, last_modified = ?, "
        "last_error = coalesce(?, last_error), last_error_at = CASE WHEN ? IS NULL THEN last_error_at "
        "ELSE ? END WHERE source = ?",
        [kind, when, when, added, etag, last_modified, warning, warning, when, spec],
    )


def record_source_error(store: Store, spec: str, kind: str, reason: str) -> None:
    """A poll of the source that failed, with the reason shown by ``legation stats``."""
    when = now()
    _ensure_source(store, spec, kind, when)
    _all(
        store,
        "UPDATE watch_sources SET last_poll = ?, last_error = ?, last_error_at = ?, polls = polls + 1, "
        "failures = failures + 1 WHERE source = ?",
        [when, reason, when, spec],
    )


def sources_health(store: Store) -> list[dict[str, Any]]:
    """Every watched source with its health, for ``legation stats``."""
    if not store.has_table("watch_sources"):
        return []
    return list(
        store.iter_rows(
            "SELECT source, kind, last_success, last_error, last_error_at, polls, failures, items "
            "FROM watch_sources ORDER BY source"
        )
    )


# ---------------------------------------------------------------------------- items
@dataclass(frozen=True)
class ItemState:
    """What is known of an item (a URL, or a file's path) from earlier polls."""

    url: str
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    size: int | None
    mtime_ns: int | None
    result: str
    article_id: str | None
    versions: int
    attempts: int

    @property
    def retry(self) -> bool:
        """A fetch that failed and is to be tried again on this poll."""
        return self.result.startswith("fetch failed") and self.attempts < MAX_ITEM_ATTEMPTS


@dataclass(frozen=True)
class ItemRow:
    """An item's state after this poll; ``changed``: its content is a new version."""

    url: str
    source: str
    result: str
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    size: int | None = None
    mtime_ns: int | None = None
    article_id: str | None = None
    changed: bool = False
    fetch_failed: bool = False


def items_state(store: Store, urls: Sequence[str]) -> dict[str, ItemState]:
    """The stored state of each of ``urls`` that was seen before."""
    if not urls:
        return {}
    rows = _all(
        store,
        "SELECT url, etag, last_modified, content_hash, size, mtime_ns, result, article_id, versions, "
        "attempts FROM watch_items WHERE url IN (SELECT unnest(?::VARCHAR[]))",
        [list(dict.fromkeys(urls))],
    )
    return {str(r[0]): ItemState(*r) for r in rows}


def record_items(store: Store, rows: Sequence[ItemRow]) -> None:
    """Upsert the items of one poll, in one transaction: versions count content changes,
    attempts count fetch failures in a row (reset by a success)."""
    if not rows:
        return
    when = now()
    store.begin()
    try:
        for r in rows:
            _all(
                store,
                "INSERT INTO watch_items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET source = excluded.source, "
                "etag = coalesce(excluded.etag, watch_items.etag), "
                "last_modified = coalesce(excluded.last_modified, watch_items.last_modified), "
                "content_hash = coalesce(excluded.content_hash, watch_items.content_hash), "
                "size = coalesce(excluded.size, watch_items.size), "
                "mtime_ns = coalesce(excluded.mtime_ns, watch_items.mtime_ns), "
                "last_seen = excluded.last_seen, result = excluded.result, "
                "article_id = coalesce(excluded.article_id, watch_items.article_id), "
                "versions = watch_items.versions + excluded.versions, "
                "attempts = CASE WHEN excluded.attempts > 0 THEN watch_items.attempts + 1 ELSE 0 END",
                [
                    r.url,
                    r.source,
                    r.etag,
                    r.last_modified,
                    r.content_hash,
                    r.size,
                    r.mtime_ns,
                    when,
                    when,
                    r.result,
                    r.article_id,
                    1 if r.changed else 0,
                    1 if r.fetch_failed else 0,
                ],
            )
        store.commit()
    except BaseException:
        store.rollback()
        raise


def max_seq(store: Store) -> int:
    """The highest article ``seq`` stored (0 for none)."""
    return int(store.scalar("SELECT coalesce(max(seq), 0) FROM articles"))


def articles_by_content(
    store: Store, pairs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], dict[str, Any]]:
    """For ``(source, content hash)`` pairs, the stored article of that content from that
    source (``id``, ``seq``, ``duplicate_of``): how the watch learns what ingest made of an item."""
    if not pairs:
        return {}
    rows = _all(
        store,
        "SELECT source, content_hash, id, seq, duplicate_of FROM articles "
        "WHERE (source, content_hash) IN (SELECT (unnest(?::VARCHAR[]), unnest(?::VARCHAR[])))",
        [[p[0] for p in pairs], [p[1] for p in pairs]],
    )
    return {(str(r[0]), str(r[1])): {"id": r[2], "seq": int(r[3]), "duplicate_of": r[4]} for r in rows}


def latest_by_input(store: Store, keys: Sequence[str], after_seq: int) -> dict[str, dict[str, Any]]:
    """For input keys (a file's path), the newest article stored from it after ``after_seq``
    (a JSONL or WARC file's records count under the file), with how many."""
    if not keys:
        return {}
    rows = _all(
        store,
        "SELECT k, arg_max(a.id, a.seq), arg_max(a.duplicate_of, a.seq), count(*) "
        "FROM (SELECT unnest(?::VARCHAR[]) AS k) q JOIN articles a "
        "ON a.input_key = q.k OR starts_with(a.input_key, q.k || '#') WHERE a.seq > ? GROUP BY k",
        [list(keys), after_seq],
    )
    return {str(r[0]): {"id": r[1], "duplicate_of": r[2], "n": int(r[3])} for r in rows}


# ---------------------------------------------------------------------------- facts to match
def _state(store: Store, name: str) -> str | None:
    rows = _all(store, "SELECT value FROM watch_state WHERE name = ?", [name])
    return str(rows[0][0]) if rows else None


def events_watermark(store: Store, rule: str) -> int:
    """The article ``seq`` up to which events were matched against ``rule`` (0: never): a
    rule added later still sees every stored event once."""
    return int(_state(store, f"{EVENTS_WATERMARK}:{rule}") or 0)


def events_after(store: Store, seq: int, limit_seq: int) -> list[dict[str, Any]]:
    """The event records of articles with ``seq`` in (``seq``, ``limit_seq``], in order,
    each with ``_seq`` (its article's) and ``_article`` (title, site, published, url, source)
    for naming it."""
    rows = store.iter_rows(
        "SELECT e.seq, e.record, e.event_cluster, a.title, a.site, a.published, a.url, a.source "
        "FROM events e JOIN articles a ON a.id = e.article_id WHERE e.seq > ? AND e.seq <= ? "
        "ORDER BY e.seq, e.idx",
        [seq, limit_seq],
    )
    out = []
    for r in rows:
        rec = json.loads(r["record"])
        rec["event_cluster"] = r["event_cluster"]
        rec["_seq"] = int(r["seq"])
        rec["_article"] = {k: r[k] for k in ("title", "site", "published", "url", "source")}
        out.append(rec)
    return out


def agreement_records(store: Store) -> list[dict[str, Any]]:
    """Every agreement record (the registry is small: one record per agreement)."""
    if not store.has_table("agreements"):
        return []
    return [json.loads(r["record"]) for r in store.iter_rows("SELECT record FROM agreements ORDER BY seq")]


def disputed_claims(store: Store) -> list[dict[str, Any]]:
    """The claim records of every disputed group, in storage order."""
    if not store.has_table("claims"):
        return []
    return [
        json.loads(r["record"])
        for r in store.iter_rows("SELECT record FROM claims WHERE disputed ORDER BY seq, id")
    ]


def dated_events(store: Store, since: str) -> list[dict[str, Any]]:
    """Event records of original articles dated on or after ``since`` with a Goldstein score
    (relation shifts: a duplicate's events are kept, not counted twice)."""
    return [
        json.loads(r["record"])
        for r in store.iter_rows(
            "SELECT record FROM events WHERE date >= ? AND goldstein IS NOT NULL AND article_id NOT IN "
            "(SELECT id FROM articles WHERE duplicate_of IS NOT NULL) ORDER BY seq, idx",
            [since],
        )
    ]


def latest_event_date(store: Store) -> str | None:
    value = store.scalar("SELECT max(date) FROM events WHERE goldstein IS NOT NULL")
    return str(value) if value else None


def article_refs(store: Store, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Title, site, published, url and source of articles, to name them in alerts."""
    if not ids:
        return {}
    rows = store.iter_rows(
        "SELECT id, title, site, published, url, source FROM articles "
        "WHERE id IN (SELECT unnest(?::VARCHAR[]))",
        [list(dict.fromkeys(ids))],
    )
    return {r["id"]: {k: r[k] for k in ("title", "site", "published", "url", "source")} for r in rows}


# ---------------------------------------------------------------------------- alerts
def previous_fact_records(store: Store, rule: str, kind: str) -> dict[str, dict[str, Any]]:
    """The latest alerted record of each fact of ``rule`` (to tell a changed agreement)."""
    rows = store.iter_rows(
        "SELECT fact_id, arg_max(record, seq) AS record FROM alerts WHERE rule = ? AND kind = ? "
        "GROUP BY fact_id",
        [rule, kind],
    )
    return {str(r["fact_id"]): json.loads(r["record"]) for r in rows}


def store_alerts(
    store: Store, alerts: Sequence[dict[str, Any]], watermarks: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    """Store the alerts not stored yet, and move the rules' event watermarks, in one transaction.

    Returns the alerts that are new. An alert's ``id`` is a hash of its rule and fact, so an
    alert already stored (an earlier poll, a run killed before it moved the watermark) is not
    stored, delivered or counted again.
    """
    store.begin()
    try:
        ids = [a["id"] for a in alerts]
        have = (
            {
                str(r[0])
                for r in _all(store, "SELECT id FROM alerts WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids])
            }
            if ids
            else set()
        )
        seq = int(store.scalar("SELECT coalesce(max(seq), 0) FROM alerts"))
        new = []
        for a in alerts:
            if a["id"] in have:
                continue
            have.add(a["id"])
            seq += 1
            _all(
                store,
                "INSERT INTO alerts VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS JSON))",
                [
                    a["id"],
                    seq,
                    a["rule"],
                    a["kind"],
                    a["fact_id"],
                    a["fired"],
                    a.get("article_id"),
                    json.dumps(a, ensure_ascii=False),
                ],
            )
            new.append(a)
        for rule, mark in (watermarks or {}).items():
            _all(
                store,
                "INSERT INTO watch_state VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [f"{EVENTS_WATERMARK}:{rule}", str(mark)],
            )
        store.commit()
    except BaseException:
        store.rollback()
        raise
    return new


def pending_deliveries(store: Store) -> list[tuple[dict[str, Any], str]]:
    """``(alert, action)`` pairs still to deliver, oldest alert first: never delivered, or
    failed fewer than :data:`MAX_DELIVERY_ATTEMPTS` times."""
    rows = store.iter_rows(
        "SELECT a.record, act.action FROM alerts a, "
        "unnest(CAST(json_extract(a.record, '$.actions') AS VARCHAR[])) AS act(action) "
        "LEFT JOIN alert_deliveries d ON d.alert_id = a.id AND d.action = act.action "
        "WHERE d.alert_id IS NULL OR (d.delivered IS NULL AND d.attempts < ?) ORDER BY a.seq",
        [MAX_DELIVERY_ATTEMPTS],
    )
    return [(json.loads(r["record"]), str(r["action"])) for r in rows]


def record_delivery(store: Store, alert_id: str, action: str, error: str | None) -> None:
    """One delivery attempt: done (``error`` None) or failed with the reason."""
    _all(
        store,
        "INSERT INTO alert_deliveries VALUES (?, ?, 1, ?, ?) ON CONFLICT (alert_id, action) DO UPDATE SET "
        "attempts = alert_deliveries.attempts + 1, delivered = excluded.delivered, error = excluded.error",
        [alert_id, action, now() if error is None else None, error],
    )


def alerts_page(
    store: Store, *, limit: int, offset: int, rule: str | None = None, kind: str | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Alerts newest first, optionally of one rule or kind, with the total."""
    if not store.has_table("alerts"):
        return [], 0
    where, params = [], []
    if rule:
        where.append("rule = ?")
        params.append(rule)
    if kind:
        where.append("kind = ?")
        params.append(kind)
    w = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(store.scalar(f"SELECT count(*) FROM alerts{w}", params))
    rows = store.iter_rows(
        f"SELECT record FROM alerts{w} ORDER BY seq DESC LIMIT ? OFFSET ?", [*params, limit, offset]
    )
    return [json.loads(r["record"]) for r in rows], total


def iter_alerts(store: Store) -> Iterator[dict[str, Any]]:
    """Every alert in the order fired (the ``alerts`` export kind)."""
    if not store.has_table("alerts"):
        return
    for r in store.iter_rows("SELECT record FROM alerts ORDER BY seq"):
        yield json.loads(r["record"])


def alerts_count(store: Store) -> int:
    return int(store.scalar("SELECT count(*) FROM alerts")) if store.has_table("alerts") else 0
