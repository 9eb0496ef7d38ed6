"""Read queries behind the HTTP API and the briefing.

Every value a user sends reaches DuckDB as a bound parameter; the only SQL assembled from
pieces is a fixed set of ``WHERE`` clauses chosen by which filters are present. Tables that a
later stage creates (claims, agreements, stories) may be missing from a database: queries on
them answer empty rather than failing, so the API serves any database the pipeline produced.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from legation.store import summary_rows as R
from legation.store.db import Store
from legation.store.export import ARTICLE_FIELDS

Page = tuple[list[dict[str, Any]], int]
#: One page of a list from a store: ``fetch(store, limit, offset)`` (how downloads read on).
Fetch = Callable[[Store, int, int], Page]


@dataclass(frozen=True)
class EventFilter:
    """The filters of ``/api/events``; ``None`` means "not filtered on"."""

    actor: str | None = None
    recipient: str | None = None
    event: str | None = None
    quad: int | None = None
    #: "cooperation" (quads 1–2) or "conflict" (quads 3–4), as the network's links are drawn.
    relation: str | None = None
    since: str | None = None
    until: str | None = None
    story: str | None = None
    q: str | None = None
    #: The event's place: ``country`` an ISO alpha-3 code, ``place`` the gazetteer's name.
    country: str | None = None
    place: str | None = None
    #: Only the events of original articles: aggregates (graph, actor pages, shifts) count a
    #: duplicate's events, which are kept, never a second time.
    originals: bool = False


#: The events of duplicate articles (kept, listed, never counted twice in an aggregate).
DUPLICATE_EVENTS = (
    "SELECT id FROM events WHERE article_id IN (SELECT id FROM articles WHERE duplicate_of IS NOT NULL)"
)


#: The quad classes of each kind of relation.
RELATION_QUADS: dict[str, tuple[int, ...]] = {"cooperation": (1, 2), "conflict": (3, 4)}


def like_pattern(text: str) -> str:
    """A substring pattern for ILIKE with the user's ``%``, ``_`` and ``\\`` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _columns(store: Store, table: str) -> set[str]:
    rows = store.iter_rows("SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table])
    return {r["column_name"] for r in rows}


def _article(row: dict[str, Any]) -> dict[str, Any]:
    row["author"] = list(row.get("author") or [])
    dl = row.get("datelines")
    row["datelines"] = json.loads(dl) if isinstance(dl, str) and dl else []
    return row


# ---------------------------------------------------------------------------- articles
def articles(
    store: Store, *, limit: int, offset: int, q: str | None = None, story: str | None = None
) -> Page:
    """Articles newest first, optionally matching ``q`` in title or text, or in one story."""
    where, params = [], []
    if q:
        where.append("(title ILIKE ? ESCAPE '\\' OR text ILIKE ? ESCAPE '\\')")
        params += [like_pattern(q), like_pattern(q)]
    if story:
        where.append("story_id = ?")
        params.append(story)
    w = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(store.scalar(f"SELECT count(*) FROM articles{w}", params))
    cols = ", ".join(ARTICLE_FIELDS)
    rows = store.iter_rows(
        f"SELECT {cols} FROM articles{w} ORDER BY published_date DESC NULLS LAST, seq LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return [_article(r) for r in rows], total


def article(store: Store, article_id: str) -> dict[str, Any] | None:
    """One article with its actor mentions and events, for the highlighted article view."""
    cols = ", ".join(ARTICLE_FIELDS)
    rows = list(store.iter_rows(f"SELECT {cols} FROM articles WHERE id = ?", [article_id]))
    if not rows:
        return None
    rec = _article(rows[0])
    rec["mentions"] = [
        json.loads(r["record"])
        for r in store.iter_rows(
            "SELECT record FROM mentions WHERE article_id = ? ORDER BY start_char, end_char", [article_id]
        )
    ]
    rec["events"] = [
        _event_record(r)
        for r in store.iter_rows(
            "SELECT record, event_cluster FROM events WHERE article_id = ? ORDER BY idx", [article_id]
        )
    ]
    return rec


def article_refs(store: Store, article_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Title, site, published date and URL of each article, for citing it (one query)."""
    ids = list(dict.fromkeys(i for i in article_ids if i))
    if not ids:
        return {}
    rows = store.iter_rows(
        "SELECT id, title, site, published, url FROM articles WHERE id IN (SELECT unnest(?))", [ids]
    )
    return {r["id"]: {k: r[k] for k in ("title", "site", "published", "url")} for r in rows}


# ---------------------------------------------------------------------------- events
def _event_record(row: dict[str, Any]) -> dict[str, Any]:
    """The event record of a row; its cluster is the column's (decided after the record is stored)."""
    rec: dict[str, Any] = json.loads(row["record"])
    if "event_cluster" in row:
        rec["event_cluster"] = row["event_cluster"]
    return rec


def _event_where(store: Store, f: EventFilter) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    for role, value in (("actor", f.actor), ("recipient", f.recipient)):
        if value:
            # An actor is named by its code (KOR, EU) or its actor_id: either matches.
            where.append(
                "e.id IN (SELECT event_id FROM event_parties WHERE side = ? AND (code = ? OR actor_id = ?))"
            )
            params += [role, value, value]
    if f.event:
        where.append("e.event = ?")
        params.append(f.event)
    if f.quad is not None:
        where.append("e.quad = ?")
        params.append(f.quad)
    if f.relation in RELATION_QUADS:
        where.append("e.quad IN (SELECT unnest(?::INTEGER[]))")
        params.append(list(RELATION_QUADS[f.relation]))
    if f.since:
        where.append("e.date >= ?")
        params.append(f.since)
    if f.until:
        # A reduced date ("2024-11") compares below its own days: pad so the month is included.
        where.append("e.date <= ?")
        params.append(f.until + "\uffff")
    if f.story:
        where.append("e.article_id IN (SELECT id FROM articles WHERE story_id = ?)")
        params.append(f.story)
    if f.q:
        where.append("json_extract_string(e.record, '$.text_info.sentence') ILIKE ? ESCAPE '\\'")
        params.append(like_pattern(f.q))
    if f.country:
        where.append("upper(json_extract_string(e.record, '$.location.country')) = ?")
        params.append(f.country.upper())
    if f.place:
        where.append("json_extract_string(e.record, '$.location.name') = ?")
        params.append(f.place)
    if f.originals:
        where.append(f"e.id NOT IN ({DUPLICATE_EVENTS})")
    return ((" WHERE " + " AND ".join(where)) if where else ""), params


def _list_filter(f: EventFilter) -> R.ListFilter | None:
    """``f`` as the summary's listing filter, or None when it tests the records themselves."""
    if f.q or f.country or f.place:
        return None
    return R.ListFilter(
        actor=f.actor,
        recipient=f.recipient,
        event=f.event,
        quad=f.quad,
        quads=RELATION_QUADS.get(f.relation or ""),
        since=f.since,
        until=f.until + "\uffff" if f.until else None,
        story=f.story,
        originals=f.originals,
    )


def events(store: Store, f: EventFilter, *, limit: int, offset: int) -> Page:
    """Event mentions matching ``f``, newest first, with the article's title for display.

    The page's ids come from the summary (``sum_events``, in listing order: a deep page is a
    range, 2-3 ms where sorting a million events took 70-130 ms) unless ``f`` filters on the
    sentence or the place, which only the records hold; then only the page's records are read.
    """
    lf = _list_filter(f)
    if lf is not None and R.current(store):
        ids, total = R.event_page(store, lf, limit, offset)
    else:
        w, params = _event_where(store, f)
        total = int(store.scalar(f"SELECT count(*) FROM events e{w}", params))
        order = "ORDER BY e.date DESC NULLS LAST, e.seq, e.idx"
        sql = f"SELECT e.id FROM events e{w} {order} LIMIT ? OFFSET ?"
        rows = store.iter_rows(sql, [*params, limit, offset])
        ids = [str(r["id"]) for r in rows]
    items = []
    for r in R.event_rows(store, ids):
        rec = _event_record(r)
        rec["article_title"] = r["title"]
        items.append(rec)
    return items, total


def event(store: Store, event_id: str) -> dict[str, Any] | None:
    """One event with every mention of it (the event records of its cluster) and its article."""
    rows = list(store.iter_rows("SELECT record, event_cluster FROM events WHERE id = ?", [event_id]))
    if not rows:
        return None
    rec = _event_record(rows[0])
    cluster = rec.get("event_cluster")
    if cluster:
        if R.current(store):  # a range of the sorted summary, not a scan of every event
            others: Iterable[dict[str, Any]] = R.event_rows(store, R.cluster_ids(store, cluster), False)
        else:
            sql = "SELECT record, event_cluster FROM events WHERE event_cluster = ? ORDER BY seq, idx"
            others = store.iter_rows(sql, [cluster])
        rec["mentions"] = [_event_record(r) for r in others]
        if store.has_table("event_clusters"):
            summary = list(store.iter_rows("SELECT * FROM event_clusters WHERE cluster_id = ?", [cluster]))
            if summary:
                rec["cluster"] = summary[0]
    else:
        rec["mentions"] = [_event_record(rows[0])]
    rec["articles"] = R.article_briefs(store, sorted({m["article_id"] for m in rec["mentions"]}))
    return rec


# ---------------------------------------------------------------------------- tables of later stages
def _records(store: Store, table: str) -> list[dict[str, Any]]:
    """Every record of ``table`` (a fixed name, never user input), or [] when it does not exist."""
    if not store.has_table(table):
        return []
    cols = _columns(store, table)
    order = (" ORDER BY seq" + (", id" if "id" in cols else "")) if "seq" in cols else ""
    if "record" in cols:
        return [json.loads(r["record"]) for r in store.iter_rows(f"SELECT record FROM {table}{order}")]
    return [dict(r) for r in store.iter_rows(f"SELECT * FROM {table}{order}")]


def claims(store: Store, *, disputed: bool | None = None, topic: str | None = None) -> list[dict[str, Any]]:
    """Claims, optionally only the disputed (or undisputed) ones, or one topic."""
    out = _records(store, "claims")
    if disputed is not None:
        out = [c for c in out if bool(c.get("disputed")) == disputed]
    if topic:
        out = [c for c in out if str(c.get("topic") or "").lower() == topic.lower()]
    return out


def claims_page(
    store: Store, *, disputed: bool | None = None, topic: str | None = None, limit: int = 100, offset: int = 0
) -> Page:
    """One page of :func:`claims`, filtered, ordered and cut in SQL.

    At 50,000 claims, decoding every record for each request cost about a second and, under 50
    concurrent clients, held the server's threads long enough to queue everything behind it.
    """
    if not store.has_table("claims"):
        return [], 0
    if not {"seq", "disputed", "topic", "record"} <= set(_columns(store, "claims")):
        # A claims table of another shape (older databases, test fixtures): filter in Python.
        return page(claims(store, disputed=disputed, topic=topic), limit, offset)
    where: list[str] = []
    params: list[Any] = []
    if disputed is not None:
        where.append("coalesce(disputed, false) = ?")
        params.append(disputed)
    if topic:
        # An unnamed actor's topic is stored per article ("? killed @<article>"): both match.
        where.append("(lower(topic) = lower(?) OR starts_with(lower(topic), lower(?) || ' @'))")
        params.extend([topic, topic])
    w = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(store.scalar(f"SELECT count(*) FROM claims{w}", params) or 0)
    sql = f"SELECT record FROM claims{w} ORDER BY seq, id LIMIT ? OFFSET ?"
    rows = store.iter_rows(sql, [*params, limit, offset])
    return [json.loads(r["record"]) for r in rows], total


def agreements(
    store: Store, *, party: str | None = None, status: str | None = None, other: str | None = None
) -> list[dict[str, Any]]:
    """Agreements, optionally those with one party (and ``other`` too) or in one status."""
    out = _records(store, "agreements")
    for p in (party, other):
        if p:
            out = [a for a in out if p in (a.get("parties") or [])]
    if status:
        out = [a for a in out if a.get("status") == status]
    return out


def _story(
    store: Store, row: dict[str, Any], ids_by_story: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """A stories-table row in the API's story shape (id, title, n_articles, first, last, article_ids).

    The stories stage stores columns (``story_id``, ``articles``, ``first_published``...)
    rather than a record; both are accepted, and the original fields are kept.
    ``ids_by_story`` holds the article ids of every story when the caller fetched them at once.
    """
    out = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
    out.setdefault("id", out.get("story_id"))
    out.setdefault("first", out.get("first_published"))
    out.setdefault("last", out.get("last_published"))
    if isinstance(out.get("articles"), int):
        out.setdefault("n_articles", out["articles"])
    if "article_ids" not in out:
        if ids_by_story is not None:
            out["article_ids"] = ids_by_story.get(str(out["id"]), [])
        else:
            out["article_ids"] = [
                r["id"]
                for r in store.iter_rows(
                    "SELECT id FROM articles WHERE story_id = ? ORDER BY seq", [out["id"]]
                )
            ]
    return out


def _story_article_ids(store: Store) -> dict[str, list[str]]:
    """Every story's article ids in ``seq`` order, in one grouped query (one query per story
    took minutes on a database of a few hundred thousand articles)."""
    return {
        str(r["story_id"]): list(r["ids"])
        for r in store.iter_rows(
            "SELECT story_id, list(id ORDER BY seq) AS ids FROM articles "
            "WHERE story_id IS NOT NULL GROUP BY story_id",
            batch=10000,
        )
    }


def stories(store: Store) -> list[dict[str, Any]]:
    """Stories, largest and latest first.

    Read from the ``stories`` table when the stories stage made one; otherwise built from the
    articles' ``story_id`` (empty while no article has one).
    """
    table = _records(store, "stories")
    ids_by_story = _story_article_ids(store) if table and "article_ids" not in table[0] else None
    recs = [_story(store, r, ids_by_story) for r in table]
    if not recs:
        rows = store.iter_rows(
            "SELECT story_id AS id, count(*) AS n_articles, min(published) AS first, "
            "max(published) AS last, list(id ORDER BY seq) AS article_ids, "
            "arg_min(title, seq) AS title FROM articles "
            "WHERE story_id IS NOT NULL AND duplicate_of IS NULL GROUP BY story_id"
        )
        recs = [dict(r) for r in rows]
    for r in recs:
        r.setdefault("n_articles", len(r.get("article_ids") or []))
    recs.sort(key=lambda r: str(r.get("last") or ""), reverse=True)
    recs.sort(key=lambda r: -int(r.get("n_articles") or 0))
    return recs


def stories_page(store: Store, limit: int = 100, offset: int = 0) -> Page:
    """One page of :func:`stories` in the same order, sorted and cut in SQL; only the page's
    stories have their article ids fetched."""
    cols = set(_columns(store, "stories")) if store.has_table("stories") else set()
    wanted = {"story_id", "seq", "articles", "last_published"}
    total = int(store.scalar("SELECT count(*) FROM stories") or 0) if wanted <= cols else 0
    if not total or "article_ids" in cols:
        return page(stories(store), limit, offset)
    rows = list(
        store.iter_rows(
            "SELECT * FROM stories ORDER BY articles DESC, last_published DESC NULLS LAST, seq "
            "LIMIT ? OFFSET ?",
            [limit, offset],
        )
    )
    ids = [r["story_id"] for r in rows]
    by_story = {
        str(r["story_id"]): list(r["ids"])
        for r in store.iter_rows(
            "SELECT story_id, list(id ORDER BY seq) AS ids FROM articles "
            "WHERE story_id IN (SELECT unnest(?)) GROUP BY story_id",
            [ids],
        )
    }
    return [_story(store, r, by_story) for r in rows], total


def page(items: list[dict[str, Any]], limit: int, offset: int) -> Page:
    """One page of an in-memory list, with the list's total."""
    return items[offset : offset + limit], len(items)


# ---------------------------------------------------------------------------- actors and graph
def _codes(side: list[dict[str, Any]] | None) -> list[str]:
    return sorted({a["code"] for a in side or [] if a.get("code")})


def all_events(store: Store, since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
    """Every event record of an original article dated within the window (for aggregates:
    actor pages, graph, the brief's shifts)."""
    w, params = _event_where(store, EventFilter(since=since, until=until, originals=True))
    return [
        _event_record(r) for r in store.iter_rows(f"SELECT record, event_cluster FROM events e{w}", params)
    ]


def _count(store: Store, table: str) -> int:
    """Rows of ``table`` (a fixed name, never user input), 0 when it does not exist."""
    return int(store.scalar(f"SELECT count(*) FROM {table}")) if store.has_table(table) else 0


def overview(store: Store) -> dict[str, Any]:
    """Counts for the dashboard's front page."""
    counts = {
        "articles": int(store.scalar("SELECT count(*) FROM articles")),
        "events": int(store.scalar("SELECT count(*) FROM events")),
        "mentions": int(store.scalar("SELECT count(*) FROM mentions")),
        "claims": _count(store, "claims"),
        "agreements": _count(store, "agreements"),
        "stories": _count(store, "stories") or len(stories(store)),
    }
    by_type = {
        r["event"]: r["n"]
        for r in store.iter_rows("SELECT event, count(*) AS n FROM events GROUP BY event ORDER BY n DESC")
    }
    return {"counts": counts, "events_by_type": by_type}
