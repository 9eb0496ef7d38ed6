"""The actor page and the relations graph, read from the summary tables.

At a million events these two were the API's slowest answers (an actor page 0.6-1.2 s, the
graph of a month 0.25-0.5 s, scans of ``events`` and ``event_parties``), and under 50 clients
on one core everything queued behind them. They now read the aggregates that
:mod:`legation.store.summary` keeps (a few milliseconds), and only the records shown.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from legation.api.queries import _event_record, agreements
from legation.store import summary_rows as R
from legation.store.db import Store, StoreError
from legation.store.summary import GRAPH_ITEMS, RELATION_LATEST

#: Events listed on an actor page, most recent first.
ACTOR_EVENTS = 100


def _summarised(store: Store) -> None:
    if not R.current(store):
        raise StoreError(
            f"{store.path}: the summary tables do not match the events: "
            f"run `legation migrate --db {store.path}`"
        )


def actor_detail(store: Store, actor: dict[str, Any]) -> dict[str, Any]:
    """An actor's record plus its timeline (events a month, by quad) and relations.

    Relations are counted per counterpart and quad over the events where the actor is on
    either side, so the dashboard can show cooperation and conflict with each partner; each
    lists its latest events. Only original articles' events count (a duplicate's are kept,
    never counted twice).
    """
    _summarised(store)
    keys = sorted(str(k) for k in {actor.get("actor_id"), actor.get("code")} - {None})
    timeline: dict[str, dict[str, int]] = {}
    for r in R.actor_timeline(store, keys):
        timeline.setdefault(str(r["month"]), {})[str(r["quad"])] = int(r["n"])
    rels = R.actor_relations(store, keys, RELATION_LATEST)
    shown = R.actor_latest(store, keys, ACTOR_EVENTS)
    ids = R.ids_of(store, [p for r in rels for p in r["latest"]] + shown)
    relations = [
        {
            "code": r["code"],
            "n": int(r["n"]),
            "quads": {str(q): int(n) for q, n in sorted(zip(r["qs"], r["ns"], strict=True))},
            "mean_goldstein": round(float(r["g"]) / int(r["n"]), 2),
            "events": [ids[p] for p in r["latest"]],
        }
        for r in rels
    ]
    records = R.event_rows(store, [ids[p] for p in shown])
    return {
        **actor,
        "timeline": [{"month": m, "quads": dict(sorted(q.items()))} for m, q in sorted(timeline.items())],
        "relations": relations,
        "events": [_event_record(r) for r in records],
        "mentions": R.actor_mentions(store, actor.get("actor_id"), actor.get("code")),
    }


def graph(store: Store, since: str | None, until: str | None) -> dict[str, Any]:
    """Nodes (actor codes) and edges (cooperation, conflict, agreement) for a date window.

    Quads 1–2 are cooperation and 3–4 conflict (PLOVER/CAMEO quad classes); an agreement links
    each pair of its parties. Every edge lists (up to :data:`GRAPH_ITEMS` of) the events or
    agreements it stands for, most recent first.
    """
    _summarised(store)
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    weight: Counter[str] = Counter()
    rows = R.graph_edges(store, since, until + "\uffff" if until else None, GRAPH_ITEMS)
    for e in rows:
        key = (str(e["source"]), str(e["target"]), str(e["kind"]))
        n = int(e["weight"])
        edges[key] = {"source": key[0], "target": key[1], "kind": key[2], "weight": n}
        edges[key]["items"] = list(e["items"])
        weight[key[0]] += n
        weight[key[1]] += n
    for ag in agreements(store):
        dates = [d for d in (ag.get("dates") or {}).values() if d]
        when = min(dates) if dates else None
        # Within a window an agreement needs a date inside it: an undated one is not drawn.
        if (since or until) and (not when or (since and when < since) or (until and when > until + "\uffff")):
            continue
        parties = sorted(set(ag.get("parties") or []))
        for i, a in enumerate(parties):
            for b in parties[i + 1 :]:
                edge = edges.setdefault(
                    (a, b, "agreement"),
                    {"source": a, "target": b, "kind": "agreement", "weight": 0, "items": []},
                )
                edge["weight"] += 1
                if len(edge["items"]) < GRAPH_ITEMS:
                    edge["items"].append(ag.get("id"))
                weight[a] += 1
                weight[b] += 1
    nodes = [{"id": code, "weight": w} for code, w in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))]
    ordered = sorted(edges.values(), key=lambda e: (-int(e["weight"]), e["source"], e["target"], e["kind"]))
    return {"nodes": nodes, "edges": ordered}
