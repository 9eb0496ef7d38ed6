"""Cross-article stages, run after every stored batch inside the batch's transaction.

Per-article stages run anywhere (one process, many, Dask); the steps here need the whole store,
so they run in the ingesting process, in a fixed order, each on the ids of the articles the
batch just stored (duplicates included: a step decides itself whether a copy counts). Each
step is incremental: it updates what the new articles touch, and the result equals a one-shot
ingest of everything. Because they run inside the batch transaction, a crash leaves neither
the batch nor its cross-article updates behind, and the next run redoes both.

Each step here is glue: it reads the rows it needs through :mod:`legation.store.crossdoc_rows`
(the only SQL of the cross-article work), hands them to the pure functions of its module
(:mod:`~legation.crossdoc.stories`, :mod:`~legation.crossdoc.clusters`,
:mod:`~legation.crossdoc.claims`, :mod:`~legation.crossdoc.agreements`) and writes what they
return. The rules can thus be tested on rows made by hand, without a database.

Claims and agreement mentions are per-article rows the workers already extracted (the extract
stage, :mod:`legation.extract`): :func:`update_crossdoc` stores those of each date run's
originals just before running the steps on it, so the claims and agreements steps read back
only topics and merge keys, and group or merge.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from legation.crossdoc import agreements, claims, clusters, stories
from legation.models import Article
from legation.store import crossdoc_rows
from legation.store.db import Store


def update_stories(store: Store, article_ids: Sequence[str]) -> None:
    """Assign stories to the articles of one stored batch and refresh their stories' rows.

    Reads the stored originals that can be candidates for the batch (published within the
    window of a batch article, or among the most recent for undated ones) with the document
    frequencies of every term involved; :func:`legation.crossdoc.stories.assign_batch` then
    assigns in ``seq`` order.
    """
    if not article_ids:
        return
    batch = crossdoc_rows.story_batch(store, article_ids)
    docs = stories.batch_docs(batch)
    pool = crossdoc_rows.story_pool(store, stories.pool_window(batch, docs))
    df, n_docs = crossdoc_rows.story_df(store, stories.needed_terms(docs))
    stored = crossdoc_rows.stories_of(store, stories.stored_originals(batch, docs))
    crossdoc_rows.write_stories(store, stories.assign_batch(batch, docs, pool, df, n_docs, stored))


def update_clusters(store: Store, article_ids: Sequence[str]) -> None:
    """Cluster the event mentions of one stored batch's originals and refresh the touched
    clusters' counts; a duplicate's events get none."""
    if not article_ids:
        return
    crossdoc_rows.unset_duplicate_clusters(store, article_ids)
    new, records = crossdoc_rows.batch_events(store, article_ids)
    if not new:
        return
    pool = crossdoc_rows.cluster_pool(store, clusters.pool_query(new))
    crossdoc_rows.write_clusters(store, clusters.cluster_batch(new, records, pool))


def update_claims(store: Store, article_ids: Sequence[str]) -> None:
    """Regroup the topics the stored claims of the articles ``article_ids`` touch.

    The claims are those :func:`store_extracted` stored for the run's originals (duplicates
    have none stored: see :func:`legation.crossdoc.claims.claim_rows`).
    """
    if not store.has_table("claims"):
        return
    since = claims.regroup_days(crossdoc_rows.claim_days_of(store, article_ids))
    for topic, day in since.items():
        regroup_topic(store, topic, day)


def regroup_topic(store: Store, topic: str, since: date | None) -> None:
    """Regroup the stored claims of ``topic`` from the group that was open at ``since`` on.

    ``since`` is the earliest day among the topic's new claims, ``None`` to regroup the whole
    topic. Only that group and the later ones are read and rewritten
    (:func:`legation.crossdoc.claims.regroup`); when no claim is dated before its first day,
    it is the topic's first group and the undated claims are read with it.
    """
    start = crossdoc_rows.open_group_start(store, topic, since) if since is not None else None
    first = start is None or not crossdoc_rows.claims_before(store, topic, start)
    stored = crossdoc_rows.topic_claims(store, topic, None if first else start)
    crossdoc_rows.write_claim_groups(store, claims.regroup(topic, stored, first))


def update_agreements(store: Store, article_ids: Sequence[str]) -> None:
    """Rebuild the agreement records of the merge keys the articles' stored mentions touch.

    Every stored key of a touched party set is regrouped (:func:`agreements.group_keys`: one
    record per instrument however it is named), and each group rebuilt from all its mentions.

    The mentions are those :func:`store_extracted` stored for the run's originals. A stored
    article's mentions never change (a re-ingest skips it), so no key loses one here.
    """
    if not store.has_table("agreements"):
        return
    touched = crossdoc_rows.agreement_keys_of(store, article_ids)
    parties = sorted({agreements.party_part(k) for k in touched})
    stored = {
        k: crossdoc_rows.agreement_mentions(store, k)
        for k in sorted(crossdoc_rows.agreement_keys_of_parties(store, parties))
    }
    groups = agreements.group_keys(stored, {k: [m for _, m in v] for k, v in stored.items()})
    members: dict[str, list[str]] = {}
    for key, record_key in groups.items():
        members.setdefault(record_key, []).append(key)
    for record_key, keys in sorted(members.items()):
        found = sorted((pair for k in keys for pair in stored[k]), key=lambda p: p[0])
        record = agreements.build_record(record_key, found)
        crossdoc_rows.replace_agreement(store, agreements.agreement_id(record_key), record)
        for k in keys:
            if k != record_key:  # a key that joined another instrument's record has none of its own
                crossdoc_rows.replace_agreement(store, agreements.agreement_id(k), None)


def store_extracted(store: Store, rows: Sequence[tuple[Article, int]]) -> None:
    """Store the claims and agreement mentions the extract stage found in the originals of
    ``(article, seq)`` pairs just written (:func:`~legation.crossdoc.claims.claim_rows`,
    :func:`~legation.crossdoc.agreements.mention_rows`)."""
    crossdoc_rows.insert_claims(store, claims.claim_rows(rows))
    crossdoc_rows.insert_agreement_mentions(store, agreements.mention_rows(rows))


#: In dependency order: event clusters use story ids; claims and agreements use both. Each is
#: ``step(store, article_ids)``; the names are what bench/bench_throughput.py times them under.
STEPS: list[tuple[str, Callable[[Store, Sequence[str]], None]]] = [
    ("stories", update_stories),
    ("event_clusters", update_clusters),
    ("claims", update_claims),
    ("agreements", update_agreements),
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


#: The steps :func:`finish_crossdoc` remakes from the mark on.
REMADE = frozenset({"stories", "event_clusters"})

#: Originals assigned again per round of a recomputation (:func:`finish_crossdoc`).
RECOMPUTE_CHUNK = 64
#: The canonical order the stored stories and clusters follow (``watch_state``): a database
#: written before it is recomputed once, by the next ingest.
ORDER_VERSION = "canonical-1"
#: Below every canonical rank: recompute everything.
ALL = -(2**62)


def note_order(store: Store, ids: Sequence[str]) -> None:
    """Before the steps of a batch: remember (in the batch's transaction) that what was made
    from the batch's first canonical rank on must be remade, when a stored article ranks
    after it. The steps assign in canonical order (``crossdoc_rows.canonical_key``); a batch
    that arrives out of that order is assigned against what ranks before it, and
    :func:`finish_crossdoc` then remakes the rest, so the result equals one ingest of
    everything in any order."""
    low, later = crossdoc_rows.order_bounds(store, ids)
    dirty = crossdoc_rows.get_state(store, crossdoc_rows.DIRTY_KEY)
    if crossdoc_rows.get_state(store, crossdoc_rows.ORDER_KEY) != ORDER_VERSION:
        if crossdoc_rows.has_articles_besides(store, ids):
            low, later = ALL, True  # made in storage order by an earlier Legation: remake all
        crossdoc_rows.set_state(store, crossdoc_rows.ORDER_KEY, ORDER_VERSION)
    if later and low is not None:
        low = low if dirty is None else min(low, int(dirty))
        crossdoc_rows.set_state(store, crossdoc_rows.DIRTY_KEY, str(low))


def finish_crossdoc(store: Store) -> int:
    """Remake the stories and event clusters from the rank :func:`note_order` remembered on.

    Every article ranked there or later loses its story and its events their clusters; its
    originals are then assigned again in canonical order, :data:`RECOMPUTE_CHUNK` at a time
    (by date runs, like a batch), against what ranks before them; duplicates take their
    original's story again. Claims and agreements are not remade here. Run by the
    ingest at its end, in one transaction with clearing the mark, so a killed recomputation
    is redone by the next ingest. Returns the number of originals assigned again.
    """
    dirty = crossdoc_rows.get_state(store, crossdoc_rows.DIRTY_KEY)
    if dirty is None:
        return 0
    ids, old_stories, old_clusters = crossdoc_rows.reset_from(store, int(dirty))
    for i in range(0, len(ids), RECOMPUTE_CHUNK):
        for run in date_runs(crossdoc_rows.batch_dates(store, ids[i : i + RECOMPUTE_CHUNK])):
            update_stories(store, run)
            update_clusters(store, run)
    touched = crossdoc_rows.copy_stories_to_duplicates(store)
    crossdoc_rows.rebuild_stories(store, sorted(set(old_stories) | set(touched)))
    crossdoc_rows.recount_clusters(store, old_clusters)
    crossdoc_rows.set_state(store, crossdoc_rows.DIRTY_KEY, None)
    return len(ids)


def update_crossdoc(store: Store, rows: Sequence[tuple[Article, int]]) -> None:
    """Run every cross-article step on the ``(article, seq)`` pairs of one stored batch, run by run.

    Runs follow the canonical order, not ``seq`` (:func:`note_order`). Each run's extracted
    claims and agreement mentions are stored just before its steps, as the steps stored them
    when they extracted them: the claims of a later run (possibly dated before this one's)
    are not in the store while this run regroups.
    """
    if not rows:
        return
    by_id = {a.id: (a, seq) for a, seq in rows}
    note_order(store, list(by_id))
    dirty = crossdoc_rows.get_state(store, crossdoc_rows.DIRTY_KEY)
    rank = crossdoc_rows.ranks(store, list(by_id)) if dirty is not None else {}
    for run in date_runs(crossdoc_rows.batch_dates(store, list(by_id))):
        store_extracted(store, [by_id[aid] for aid in run])
        for name, step in STEPS:
            # Stories and clusters of what ranks at or after the mark are remade by
            # finish_crossdoc at the end of the ingest: assigning them now is wasted work
            # (on the 199 benchmark pages, out of order, 4.5 s of the ingesting process's 7 s).
            ids = run if dirty is None or name not in REMADE else [a for a in run if rank[a] < int(dirty)]
            step(store, ids)
