"""Cross-article step: event clusters, the mentions of one real-world event.

Ten articles about one phone call give ten ``CONSULT`` records; counting events means
counting clusters. Two mentions are of the same event when all of these hold:

* the same PLOVER type and the same ``aux`` (a denied or hypothetical event is not the event);
* overlapping parties: the actor and recipient codes share a code, and for directed types
  (an accusation, a sanction, an attack...) the actors themselves share a code, since
  "A sanctions B" and "B sanctions A" are two events;
* compatible dates: when both are dated, the days they stand for (a day, a week, a month,
  by ``date_precision``) overlap (two exact days may be ``DATE_SLACK`` apart); a mention without a date only
  joins within its own story;
* the same story, or articles published within ``CLOSE_DAYS`` of each other.

Parties link single-link, but a mention's date must agree with every dated mention of
the cluster, so a chain of day-apart dates cannot stretch one event over a week. Linking
runs in storage order (article ``seq``, then the event's index), and a
mention joins the cluster of the earliest compatible earlier mention, so the result depends
only on the order of the articles: a batch-by-batch ingest gives the same clusters as a
one-shot one. A cluster is named after its first mention and keeps that name.

Counts in ``event_clusters`` (mentions, articles, distinct sources) cover originals only:
a duplicate article's mentions join the cluster but are not counted again.

Pure: rows in, updates out. :mod:`legation.crossdoc.update` reads the rows from the store and
writes the result (:mod:`legation.store.crossdoc_rows`), so the rules are tested without one.
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

#: Articles this far apart (published dates) can hold mentions of one event even when they
#: are in different stories: the same meeting is reported in pieces about other stories.
CLOSE_DAYS = 3
#: Days of slack between two dates' spans: reports of one event often differ by a day
#: (time zones, "overnight", the day a statement was published).
DATE_SLACK = 1
#: Types whose direction matters: the actors must overlap, not just the parties.
DIRECTED = frozenset(
    {"ACCUSE", "SANCTION", "THREATEN", "ASSAULT", "COERCE", "AID", "REQUEST", "REJECT", "PROTEST",
     "MOBILIZE", "CONCEDE", "RETREAT", "SUPPORT"}
)
#: Stored clusters are looked up for articles published this far around the batch.
LOOKBACK_DAYS = 31
#: Members of the batch's stories are looked up this far around it: four months covers the
#: reporting of one event (follow-ups, anniversaries excluded) while bounding long stories.
STORY_LOOKBACK_DAYS = 120


@dataclass
class Mention:
    """What clustering needs of one event record."""

    id: str
    seq: int
    idx: int
    event: str
    aux: str | None
    actors: frozenset[str]
    recipients: frozenset[str]
    day: date | None
    precision: str
    published: date | None
    story: str | None
    cluster: str | None = None


def _parse(v: str | None) -> date | None:
    if not v:
        return None
    try:
        return date.fromisoformat((v + "-01-01")[:10] if len(v) < 10 else v[:10])
    except ValueError:
        return None


def _mention(
    row: Sequence[object],
    event: str,
    aux: object,
    actors: object,
    recipients: object,
    day: object,
    prec: object,
) -> Mention:
    """A ``Mention`` from a row's (id, seq, idx) and (published_date, story_id, event_cluster) at
    positions 0-2 and -3..-1, and the record's fields."""
    pub = row[-3] if isinstance(row[-3], date) else None
    precision = str(prec or "unknown")
    return Mention(
        id=str(row[0]), seq=int(str(row[1])), idx=int(str(row[2])), event=event,
        aux=str(aux) if aux is not None else None,
        actors=frozenset(str(c) for c in actors or [] if c),  # type: ignore[attr-defined]
        recipients=frozenset(str(c) for c in recipients or [] if c),  # type: ignore[attr-defined]
        day=_parse(str(day) if day else None) if precision != "unknown" else None, precision=precision,
        published=pub, story=str(row[-2]) if row[-2] else None,
        cluster=str(row[-1]) if row[-1] else None,
    )


def mention_from(row: Sequence[object]) -> Mention:
    """A ``Mention`` from (id, seq, idx, record JSON, published_date, story_id, event_cluster)."""
    rec = json.loads(str(row[3]))
    return _mention(
        row, str(rec.get("event")), rec.get("aux"),
        [p.get("code") for p in rec.get("actor") or []],
        [p.get("code") for p in rec.get("recipient") or []],
        rec.get("date"), rec.get("date_precision"),
    )


def mention_from_fields(row: Sequence[object]) -> Mention:
    """A ``Mention`` from (id, seq, idx, event, aux, actor codes, recipient codes, date,
    precision, published_date, story_id, event_cluster): the record's fields extracted by
    DuckDB (:mod:`legation.store.crossdoc_rows`), so the pool
    (thousands of stored mentions a batch) is not parsed in Python (18% of the ingest's main
    process at 18,000 synthetic articles, py-spy)."""
    return _mention(row, str(row[3]), row[4], row[5], row[6], row[7], row[8])


def compatible(a: Mention, b: Mention) -> bool:
    """Whether two mentions can be of the same real-world event (see the module doc)."""
    if a.event != b.event or a.aux != b.aux:
        return False
    pa, pb = a.actors | a.recipients, b.actors | b.recipients
    if not (pa & pb):
        return False
    if a.event in DIRECTED and not (a.actors & b.actors):
        return False
    same_story = a.story is not None and a.story == b.story
    if a.day is None or b.day is None:
        if not same_story:
            return False
    elif not dates_agree(a, b):
        return False
    if same_story:
        return True
    if a.published is None or b.published is None:
        return False
    return abs((a.published - b.published).days) <= CLOSE_DAYS


def span(day: date, precision: str) -> tuple[date, date]:
    """The days a date of the given precision stands for: a ``week`` date is the week's
    first day, a ``month`` date the month's, so "in the week of 11 September" covers 11-17."""
    if precision == "week":
        return day, day + timedelta(days=6)
    if precision == "month":
        nxt = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return day, nxt - timedelta(days=1)
    if precision == "year":
        return day, date(day.year, 12, 31)
    return day, day


def dates_agree(a: Mention, b: Mention) -> bool:
    """Whether the spans of two mentions' dates overlap, or are exact days at most
    ``DATE_SLACK`` apart (true when either is undated)."""
    if a.day is None or b.day is None:
        return True
    (a0, a1), (b0, b1) = span(a.day, a.precision), span(b.day, b.precision)
    # Slack only between exact days: adjacent weeks or months are different periods.
    slack = DATE_SLACK if a.precision == b.precision == "day" else 0
    return (max(a0, b0) - min(a1, b1)).days <= slack


def cluster_id_for(event_id: str) -> str:
    return "ec-" + hashlib.sha1(event_id.encode("utf-8")).hexdigest()[:16]


def assign(pool: Sequence[Mention], new: Sequence[Mention]) -> None:
    """Give every mention of ``new`` (in order) a cluster, linking to ``pool`` and earlier ones.

    A mention joins the cluster of the earliest (by ``seq``, ``idx``) compatible mention before
    it. Only mentions of its type sharing a party code can be compatible, so candidates come
    from an index on (type, code), merged back into storage order; scanning every mention of
    the type was a quarter of the ingest's main process at 18,000 synthetic articles.
    """
    index: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    members: dict[str | None, list[Mention]] = defaultdict(list)

    def add(m: Mention) -> None:
        for code in m.actors | m.recipients:
            index[(m.event, code)].append(m)  # appended in storage order: each list stays sorted
        members[m.cluster].append(m)

    for m in sorted(pool, key=lambda m: (m.seq, m.idx)):
        add(m)
    for m in new:
        lists = [index[(m.event, code)] for code in sorted(m.actors | m.recipients)]
        seen: set[str] = set()
        hit = None
        for c in heapq.merge(*lists, key=lambda c: (c.seq, c.idx)):
            if c.id in seen:
                continue
            seen.add(c.id)
            if compatible(m, c) and all(dates_agree(m, x) for x in members[c.cluster]):
                hit = c
                break
        m.cluster = hit.cluster if hit is not None else cluster_id_for(m.id)
        add(m)


@dataclass(frozen=True)
class PoolQuery:
    """Which stored mentions can join a batch's clusters.

    Only mentions stored before the batch (``before_seq``), already clustered, of one of the
    batch's ``types`` and sharing one of its party ``codes`` (both necessary, see
    :func:`compatible`), and either in one of its ``stories`` (published within
    ``story_window`` when the batch is dated) or published within ``close_window``. Reading
    every mention of the windows instead made this step grow to a third of the ingest time
    over the first 3,000 synthetic articles (bench/bench_memory.py), mostly parsing records
    that could never match. The store adds every other member of the clusters found, so a
    cluster's date range is checked in full.
    """

    before_seq: int
    stories: list[str]
    story_window: tuple[date, date] | None
    close_window: tuple[date, date] | None
    types: list[str]
    codes: list[str]


@dataclass
class ClusterUpdate:
    """The cluster of each batch event (column and patched record) and the clusters to recount."""

    ids: list[str]
    clusters: list[str | None]
    #: The stored records with ``event_cluster`` set, so readers of the raw record (the
    #: PLOVER/GDELT writers) see the cluster the column holds.
    records: list[str]
    touched: list[str]


def pool_query(new: Sequence[Mention]) -> PoolQuery:
    """The stored mentions to read for the batch ``new`` (see :class:`PoolQuery`)."""
    dates: list[date] = [m.published for m in new if m.published is not None]
    story_window = close_window = None
    if dates:
        # A story can run for years (a war): its members are looked up only this far around the
        # batch, or every batch would re-read the whole story (bench_memory: 10,000 synthetic
        # articles in 2 stories slowed ingest from 9 to 6 articles/s and grew the main process).
        wide, close = timedelta(days=STORY_LOOKBACK_DAYS), timedelta(days=LOOKBACK_DAYS)
        story_window = (min(dates) - wide, max(dates) + wide)
        close_window = (min(dates) - close, max(dates) + close)
    return PoolQuery(
        before_seq=min(m.seq for m in new),
        stories=sorted({m.story for m in new if m.story}),
        story_window=story_window,
        close_window=close_window,
        types=sorted({m.event for m in new}),
        codes=sorted({c for m in new for c in m.actors | m.recipients}),
    )


def cluster_batch(new: Sequence[Mention], records: Sequence[str], pool: Sequence[Mention]) -> ClusterUpdate:
    """Cluster the batch's mentions (``records`` are their stored JSON records) against ``pool``."""
    assign(pool, new)
    patched = []
    for r, m in zip(records, new, strict=True):
        rec = json.loads(r)
        rec["event_cluster"] = m.cluster  # in place: the record keeps its key order
        patched.append(json.dumps(rec, ensure_ascii=False))
    return ClusterUpdate(
        ids=[m.id for m in new],
        clusters=[m.cluster for m in new],
        records=patched,
        touched=sorted({m.cluster for m in new if m.cluster}),
    )
