"""Reads of the summary tables (:mod:`legation.store.summary`) behind the API's heavy answers.

Every user value is a bound parameter. Lists of ids are bound one placeholder each
(``IN (?, ?, ...)``): DuckDB then looks them up in the primary key's index, where a join
on ``unnest(?)`` scans the table (9 ms against 111 ms for 100 events out of a million).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from legation.store.db import Store
from legation.store.summary import fingerprint, stored_fingerprint

#: Ids looked up per statement (one placeholder each).
CHUNK = 1000


def current(store: Store) -> bool:
    """Whether ``store``'s summaries match its rows (checked once per store: the API's
    snapshot says so when it opens it; another reader pays one fingerprint)."""
    if store.summaries_current is None:
        store.summaries_current = store.has_table("summary_state") and stored_fingerprint(
            store.con
        ) == fingerprint(store.con)
    return store.summaries_current


@dataclass(frozen=True)
class ListFilter:
    """The filters of the event listing that the summary answers (no text or place filter)."""

    actor: str | None = None
    recipient: str | None = None
    event: str | None = None
    quad: int | None = None
    quads: tuple[int, ...] | None = None
    since: str | None = None
    #: Inclusive upper bound, already padded past its own days ("2024-11" + U+FFFF).
    until: str | None = None
    story: str | None = None
    originals: bool = False


def _where(f: ListFilter) -> tuple[str, list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    for side, key in (("actor", f.actor), ("recipient", f.recipient)):
        if key:
            where.append("pos IN (SELECT pos FROM sum_parties WHERE side = ? AND key = ?)")
            params += [side, key]
    checks: tuple[tuple[str, str | int | None], ...] = (
        ("event = ?", f.event),
        ("quad = ?", f.quad),
        ("date >= ?", f.since),
        ("date <= ?", f.until),
        ("story_id = ?", f.story),
    )
    for clause, value in checks:
        if value is not None:
            where.append(clause)
            params.append(value)
    if f.quads is not None:
        where.append("quad IN (SELECT unnest(?::INTEGER[]))")
        params.append(list(f.quads))
    if f.originals:
        where.append("original")
    return ((" WHERE " + " AND ".join(where)) if where else ""), params


def event_page(store: Store, f: ListFilter, limit: int, offset: int) -> tuple[list[str], int]:
    """The ids of one page of the listing (newest first) and the number of matches.

    Unfiltered, a page is a range of ``pos`` (1 ms where ``LIMIT ... OFFSET`` over the
    million took 8); filtered on one party only, it is read from that party's sorted rows.
    """
    if f == ListFilter():
        total = int(store.scalar("SELECT count(*) FROM sum_events") or 0)
        rows = store.iter_rows(
            "SELECT id FROM sum_events WHERE pos > ? AND pos <= ? ORDER BY pos", [offset, offset + limit]
        )
        return [str(r["id"]) for r in rows], total
    side, key = ("actor", f.actor) if f.actor else ("recipient", f.recipient)
    if key and f in (ListFilter(actor=key), ListFilter(recipient=key)):
        party = "FROM sum_parties WHERE side = ? AND key = ?"
        total = int(store.scalar(f"SELECT count(*) {party}", [side, key]) or 0)
        rows = store.iter_rows(
            f"SELECT s.id FROM (SELECT pos {party} ORDER BY pos LIMIT ? OFFSET ?) p"
            " JOIN sum_events s ON s.pos = p.pos ORDER BY s.pos",
            [side, key, limit, offset],
        )
        return [str(r["id"]) for r in rows], total
    w, params = _where(f)
    total = int(store.scalar(f"SELECT count(*) FROM sum_events{w}", params) or 0)
    rows = store.iter_rows(
        f"SELECT id FROM sum_events{w} ORDER BY pos LIMIT ? OFFSET ?", [*params, limit, offset]
    )
    return [str(r["id"]) for r in rows], total


def _marks(n: int) -> str:
    return ", ".join("?" * n)


def cluster_ids(store: Store, cluster: str) -> list[str]:
    """The ids of an event cluster's events, in ``seq``, ``idx`` order."""
    rows = store.iter_rows(
        "SELECT id FROM sum_clusters WHERE h = hash(?::VARCHAR) AND event_cluster = ? ORDER BY seq, idx",
        [cluster, cluster],
    )
    return [str(r["id"]) for r in rows]


def article_briefs(store: Store, ids: Sequence[str]) -> list[dict[str, Any]]:
    """``id``, ``title``, ``source``, ``site``, ``published`` of the articles, in ``ids`` order."""
    out: list[dict[str, Any]] = []
    for start in range(0, len(ids), CHUNK):
        part = list(ids[start : start + CHUNK])
        sql = f"SELECT id, title, source, site, published FROM articles WHERE id IN ({_marks(len(part))})"
        found = {str(r["id"]): r for r in store.iter_rows(sql, part)}
        out += [found[i] for i in part if i in found]
    return out


def event_rows(store: Store, ids: Sequence[str], titles: bool = True) -> list[dict[str, Any]]:
    """``record``, ``event_cluster`` and (``titles``) the article's ``title`` of each event, in
    ``ids`` order."""
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), CHUNK):
        part = list(ids[start : start + CHUNK])
        sql = f"SELECT id, article_id, record, event_cluster FROM events WHERE id IN ({_marks(len(part))})"
        found.update((str(r["id"]), r) for r in store.iter_rows(sql, part))
    arts = sorted({str(r["article_id"]) for r in found.values()}) if titles else []
    named: dict[str, Any] = {}
    for start in range(0, len(arts), CHUNK):
        part = arts[start : start + CHUNK]
        sql = f"SELECT id, title FROM articles WHERE id IN ({_marks(len(part))})"
        named.update((str(r["id"]), r["title"]) for r in store.iter_rows(sql, part))
    out = []
    for eid in ids:
        if eid in found:
            row = found[eid]
            out.append({**row, "title": named.get(str(row["article_id"]))})
    return out


def ids_of(store: Store, positions: Sequence[int]) -> dict[int, str]:
    """Event id of each listing position."""
    if not positions:
        return {}
    rows = store.iter_rows(
        "SELECT pos, id FROM sum_events WHERE pos IN (SELECT unnest(?::BIGINT[]))",
        [sorted(set(positions))],
        batch=10000,
    )
    return {int(r["pos"]): str(r["id"]) for r in rows}


#: An actor owns the groups where one side's keys meet its own.
_MINE = "(list_has_any(ks_actor, ?::VARCHAR[]) OR list_has_any(ks_recipient, ?::VARCHAR[]))"


def actor_timeline(store: Store, keys: list[str]) -> list[dict[str, Any]]:
    """``{"month", "quad", "n"}``: the actor's original events per month and quad."""
    return list(
        store.iter_rows(
            f"SELECT month, quad, sum(n) AS n FROM sum_actor_months WHERE {_MINE} GROUP BY ALL",
            [keys, keys],
        )
    )


def actor_latest(store: Store, keys: list[str], limit: int) -> list[int]:
    """The positions of the actor's latest ``limit`` original events."""
    row = store.scalar(
        f"SELECT list_sort(flatten(list(latest)))[1:?] FROM sum_actor_latest WHERE {_MINE}",
        [limit, keys, keys],
    )
    return [int(p) for p in row or []]


#: Relations of the actor's side with a counterpart that is not the actor itself.
_THEIRS = "list_has_any(ks, ?::VARCHAR[]) AND code NOT IN (SELECT unnest(?::VARCHAR[]))"


def actor_relations(store: Store, keys: list[str], latest: int) -> list[dict[str, Any]]:
    """Per counterpart code (not one of ``keys``): ``n``, ``g`` (Goldstein sum), ``qs``/``ns``
    (events per quad, in quad order) and ``latest`` (positions), most events first."""
    return list(
        store.iter_rows(
            "WITH q AS (SELECT code, quad, sum(n) AS n, sum(g) AS g FROM sum_actor_relations"
            f" WHERE {_THEIRS} GROUP BY ALL),"
            " l AS (SELECT code, list_sort(flatten(list(latest)))[1:?] AS latest FROM sum_relation_latest"
            f" WHERE {_THEIRS} GROUP BY code)"
            " SELECT q.code, sum(q.n) AS n, sum(q.g) AS g, list(q.quad ORDER BY q.quad) AS qs,"
            " list(q.n ORDER BY q.quad) AS ns, any_value(l.latest) AS latest"
            " FROM q JOIN l ON l.code = q.code GROUP BY q.code ORDER BY n DESC, q.code",
            [keys, keys, latest, keys, keys],
        )
    )


def actor_mentions(store: Store, actor_id: str | None, code: str | None) -> int:
    """Mentions naming the actor's id or its code."""
    n = store.scalar("SELECT sum(n) FROM sum_mentions WHERE actor_id = ? OR code = ?", [actor_id, code])
    return int(n or 0)


def mention_groups(store: Store) -> list[dict[str, Any]]:
    """``{"actor_id", "code", "n"}``: mentions per actor id and code."""
    return list(store.iter_rows("SELECT actor_id, code, n FROM sum_mentions"))


def graph_edges(store: Store, since: str | None, until: str | None, items: int) -> list[dict[str, Any]]:
    """Per (source, target, kind) within the window: ``weight`` and the ids of the latest
    ``items`` events (``until`` already padded, as in :class:`ListFilter`)."""
    where, params = [], []
    if since:
        where.append("date >= ?")
        params.append(since)
    if until:
        where.append("date <= ?")
        params.append(until)
    w = (" WHERE " + " AND ".join(where)) if where else ""
    return list(
        store.iter_rows(
            "SELECT source, target, kind, sum(n) AS weight,"
            " flatten(list(items ORDER BY date DESC NULLS LAST))[1:?] AS items"
            f" FROM sum_graph{w} GROUP BY ALL",
            [items, *params],
        )
    )
