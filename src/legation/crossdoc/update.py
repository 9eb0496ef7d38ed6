"""Cross-article stages, run after every stored batch inside the batch's transaction.

Per-article stages run anywhere (one process, many, Dask); the steps here need the whole store,
so they run in the ingesting process, in a fixed order, each on the ids of the articles the
batch just stored (duplicates included: a step decides itself whether a copy counts). Each
step is incremental: it updates what the new articles touch, and the result equals a one-shot
ingest of everything. Because they run inside the batch transaction, a crash leaves neither
the batch nor its cross-article updates behind, and the next run redoes both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from legation.crossdoc import agreements, claims, clusters, stories
from legation.store.db import Store

#: In dependency order: event clusters use story ids; claims and agreements use both.
STEPS: list[tuple[str, Callable[[Store, Sequence[str]], None]]] = [
    ("stories", stories.update),
    ("event_clusters", clusters.update),
    ("claims", claims.update),
    ("agreements", agreements.update),
]

#: The steps read the stored articles within a window of the dates they are given (stories
#: +-10 days, event clusters +-31 and +-120 days within a story, claims from the earliest
#: day on), bounded by the earliest and latest date of what they are given. A batch read from
#: a folder of pages in file-name order can spread over years: in the 100,000-article run
#: (bench/bench_memory.py) one batch of 256 text pages spanned all 730 days, so each step
#: loaded the whole corpus and the ingesting process went from 1.2 to 2.2 GB. A batch is
#: therefore run as consecutive (in ``seq`` order) runs whose publication dates span at most
#: this many days. A feed read in time order is one run (a batch of 256 spans a few days);
#: 30 days keeps the widest pool at about 90 days of clusters. Steps are batch-size
#: independent, so runs give the same result as the whole batch (tested).
RUN_SPAN_DAYS = 30


def date_runs(rows: Sequence[tuple[str, date | None]], span_days: int | None = None) -> list[list[str]]:
    """Cut ``(id, published)`` pairs, in ``seq`` order, into consecutive runs of bounded date span.

    An undated article joins the run it falls in: the steps read a fixed number of recent
    articles for it, not a date window. ``span_days`` defaults to :data:`RUN_SPAN_DAYS`.
    """
    span = RUN_SPAN_DAYS if span_days is None else span_days
    out: list[list[str]] = []
    cur: list[str] = []
    bounds: tuple[date, date] | None = None  # earliest and latest date of the current run
    for aid, day in rows:
        if day is not None:
            lo, hi = (day, day) if bounds is None else (min(bounds[0], day), max(bounds[1], day))
            if (hi - lo).days > span:
                out.append(cur)
                cur, lo, hi = [], day, day
            bounds = (lo, hi)
        cur.append(aid)
    if cur:
        out.append(cur)
    return out


def update_crossdoc(store: Store, article_ids: Sequence[str]) -> None:
    """Run every cross-article step on the articles of one stored batch, run by run."""
    if not article_ids:
        return
    rows = store.con.execute(
        "SELECT id, published_date FROM articles WHERE id IN (SELECT unnest(?)) ORDER BY seq",
        [list(article_ids)],
    ).fetchall()
    for run in date_runs([(str(a), d if isinstance(d, date) else None) for a, d in rows]):
        for _name, step in STEPS:
            step(store, run)
