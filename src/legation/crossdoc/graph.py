"""Relations graph: actor-to-actor edges from events and shared agreements.

An edge (source, target) sums what the events between two actor codes say about the relation:
the count by PLOVER quad class (1 verbal cooperation, 2 material cooperation, 3 verbal
conflict, 4 material conflict), the summed and mean Goldstein score, first and last date, and
the agreements both are party to. Edges are directed for events (actor → recipient) and
undirected for agreements, which are stored as source < target. Computed on read from the
stored events and agreements, so it is always consistent with them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any
from xml.sax.saxutils import escape

from legation.store.crossdoc_rows import agreement_records, event_records
from legation.store.db import Store


def _edge() -> dict[str, Any]:
    return {
        "events": 0,
        "goldstein": 0.0,
        "quad": {"1": 0, "2": 0, "3": 0, "4": 0},
        "first": None,
        "last": None,
        "agreements": [],
    }


def edges(store: Store) -> Iterator[dict[str, Any]]:
    """Edge records ``{source, target, events, goldstein, mean_goldstein, quad, first, last, agreements}``."""
    return edges_from(event_records(store), agreement_records(store))


def edges_from(
    events: Iterable[Mapping[str, Any]], agreements: Iterable[Mapping[str, Any]]
) -> Iterator[dict[str, Any]]:
    """The edges of event records (in storage order) and agreement records, sorted by pair.

    Pure, so the summing rules are tested on records made by hand; :func:`edges` feeds it
    the stored records.
    """
    acc: dict[tuple[str, str], dict[str, Any]] = {}
    for rec in events:
        if rec.get("aux") in ("negated", "hypothetical"):
            continue  # what did not or may not happen says nothing about the relation
        srcs = {a.get("code") for a in rec.get("actor") or [] if a.get("code")}
        dsts = {a.get("code") for a in rec.get("recipient") or [] if a.get("code")}
        for s in sorted(srcs):
            for t in sorted(dsts - {s}):
                e = acc.setdefault((s, t), _edge())
                e["events"] += 1
                e["goldstein"] += float(rec.get("goldstein") or 0.0)
                if rec.get("quad"):
                    e["quad"][str(rec["quad"])] = e["quad"].get(str(rec["quad"]), 0) + 1
                d = rec.get("date")
                if d:
                    e["first"] = min(e["first"] or d, d)
                    e["last"] = max(e["last"] or d, d)
    for rec in agreements:
        parties = sorted(set(rec.get("parties") or []))
        for i, s in enumerate(parties):
            for t in parties[i + 1 :]:
                acc.setdefault((s, t), _edge())["agreements"].append(rec["name"])
    for (s, t), e in sorted(acc.items()):
        mean = e["goldstein"] / e["events"] if e["events"] else None
        yield {"source": s, "target": t, **e, "mean_goldstein": mean}


def write_graphml(store: Store, out: IO[str]) -> int:
    """Write the graph as GraphML (nodes are actor codes). Returns the number of edges."""
    es = list(edges(store))
    nodes = sorted({e["source"] for e in es} | {e["target"] for e in es})
    keys = [
        ("events", "int"),
        ("goldstein", "double"),
        ("mean_goldstein", "double"),
        ("first", "string"),
        ("last", "string"),
        ("agreements", "string"),
        ("quad", "string"),
    ]
    out.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
    )
    for k, t in keys:
        out.write(f'  <key id="{k}" for="edge" attr.name="{k}" attr.type="{t}"/>\n')
    out.write('  <graph id="relations" edgedefault="directed">\n')
    for n in nodes:
        out.write(f'    <node id="{escape(n)}"/>\n')
    for i, e in enumerate(es):
        out.write(f'    <edge id="e{i}" source="{escape(e["source"])}" target="{escape(e["target"])}">\n')
        for k, _t in keys:
            v = e[k]
            if v is None:
                continue
            v = json.dumps(v) if isinstance(v, (list, dict)) else v
            out.write(f'      <data key="{k}">{escape(str(v))}</data>\n')
        out.write("    </edge>\n")
    out.write("  </graph>\n</graphml>\n")
    return len(es)
