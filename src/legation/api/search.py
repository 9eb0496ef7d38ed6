"""Search across the database for ``/api/search``, and actor name matching for ``/api/actors``.

DuckDB's ``fts`` extension is not used: it is not bundled with the installed duckdb and would
have to be downloaded, and the server works offline. Search is a case-insensitive substring
match instead (``ILIKE`` with the user's ``%`` and ``_`` taken literally) over article titles
and texts, event sentences, claims' sentence, topic, subject and claimant, agreements' names,
parties and evidence, and the actor dictionary's names, aliases and codes.
"""

from __future__ import annotations

from typing import Any

from legation.api import queries as Q
from legation.api import queries_dash as D
from legation.store.db import Store
from legation.store.export import iter_records


def actor_rank(a: dict[str, Any], ql: str) -> int | None:
    """How well an actor matches the lower-cased query, 0 best; None when it does not.

    0: the code is the query; 1: the name or an alias starts with it; 2: the code starts with
    it; 3: a word of the name or an alias starts with it; 4: the name or an alias contains it.
    """
    code = str(a.get("code") or "").lower()
    names = [str(a.get("name") or "").lower()] + [str(x).lower() for x in a.get("aliases") or []]
    if code and code == ql:
        return 0
    if any(n.startswith(ql) for n in names):
        return 1
    if code.startswith(ql):
        return 2
    if any(f" {ql}" in f" {n}" for n in names):
        return 3
    if any(ql in n for n in names):
        return 4
    return None


def match_actors(items: list[dict[str, Any]], q: str) -> list[dict[str, Any]]:
    """The actors matching ``q`` (names, aliases, codes, any case), best matches first."""
    ql = q.strip().lower()
    ranked = [(r, i, a) for i, a in enumerate(items) if (r := actor_rank(a, ql)) is not None]
    return [a for _, _, a in sorted(ranked, key=lambda t: (t[0], t[1]))]


def _agreement_text(a: dict[str, Any]) -> str:
    return " ".join(
        [str(a.get("name") or ""), *map(str, a.get("parties") or []), *map(str, a.get("evidence") or [])]
    )


def search(store: Store, q: str, limit: int) -> dict[str, Any]:
    """Up to ``limit`` hits of each kind, with each kind's total."""
    arts, n_arts = Q.articles(store, limit=limit, offset=0, q=q)
    evs, n_evs = Q.events(store, Q.EventFilter(q=q), limit=limit, offset=0)
    claims, n_claims = D.search_claims(store, q, limit)
    ql = q.lower()
    ags = [a for a in Q.agreements(store) if ql in _agreement_text(a).lower()]
    D.agreement_sentences(store, ags[:limit])
    actors = match_actors(list(iter_records(store, "actors")), q)
    counts = D.mention_counts(store, actors)
    short = ("id", "title", "site", "published", "url", "duplicate_of")
    return {
        "q": q,
        "articles": {"items": [{k: a.get(k) for k in short} for a in arts], "total": n_arts},
        "events": {"items": evs, "total": n_evs},
        "actors": {
            "items": [{**a, "mentions": counts.get(str(a.get("actor_id")), 0)} for a in actors[:limit]],
            "total": len(actors),
        },
        "claims": {"items": claims, "total": n_claims},
        "agreements": {"items": ags[:limit], "total": len(ags)},
    }
