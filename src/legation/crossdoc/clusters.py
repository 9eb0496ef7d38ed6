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
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from legation.store.db import Store

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


def _mention_from_fields(row: Sequence[object]) -> Mention:
    """A ``Mention`` from a ``_FIELDS`` row: the record's fields extracted by DuckDB, so the pool
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


_SELECT = (
    "SELECT e.id, e.seq, e.idx, e.record, a.published_date, a.story_id, e.event_cluster "
    "FROM events e JOIN articles a ON a.id = e.article_id "
)
#: The fields clustering reads, extracted in SQL (see ``_mention_from_fields``).
_FIELDS = (
    "SELECT e.id, e.seq, e.idx, e.event, e.record->>'$.aux', "
    "json_extract_string(e.record, '$.actor[*].code'), json_extract_string(e.record, '$.recipient[*].code'), "
    "e.record->>'$.date', e.record->>'$.date_precision', a.published_date, a.story_id, e.event_cluster "
    "FROM events e JOIN articles a ON a.id = e.article_id "
)


def update(store: Store, article_ids: Sequence[str]) -> None:
    """Cluster the event mentions of one stored batch and refresh the touched clusters' counts."""
    if not article_ids:
        return
    con = store.con
    ids = list(article_ids)
    rows = con.execute(
        _SELECT + "WHERE e.article_id IN (SELECT unnest(?)) ORDER BY e.seq, e.idx", [ids]
    ).fetchall()
    new = [mention_from(r) for r in rows]
    if not new:
        return
    min_seq = min(m.seq for m in new)
    stories = sorted({m.story for m in new if m.story})
    dates: list[date] = [m.published for m in new if m.published is not None]
    where = ["a.story_id IN (SELECT unnest(?))"]
    params: list[object] = [stories]
    if dates:
        # A story can run for years (a war): its members are looked up only this far around the
        # batch, or every batch would re-read the whole story (bench_memory: 10,000 synthetic
        # articles in 2 stories slowed ingest from 9 to 6 articles/s and grew the main process).
        where[0] = (
            "(a.story_id IN (SELECT unnest(?))"
            " AND (a.published_date IS NULL OR a.published_date BETWEEN ? AND ?))"
        )
        span = timedelta(days=STORY_LOOKBACK_DAYS)
        params += [min(dates) - span, max(dates) + span]
        where.append("a.published_date BETWEEN ? AND ?")
        params += [min(dates) - timedelta(days=LOOKBACK_DAYS), max(dates) + timedelta(days=LOOKBACK_DAYS)]
    # Only stored mentions that could be compatible with one of the batch's: the same type and
    # a party code in common (both necessary, see ``compatible``). Reading every mention of the
    # windows instead made this step grow to a third of the ingest time over the first 3,000
    # synthetic articles (bench/bench_memory.py), mostly parsing records that could never match.
    types = sorted({m.event for m in new})
    codes = sorted({c for m in new for c in m.actors | m.recipients})
    pool = [
        _mention_from_fields(r)
        for r in con.execute(
            _FIELDS + f"WHERE e.seq < ? AND e.event_cluster IS NOT NULL AND ({' OR '.join(where)}) "
            "AND e.event IN (SELECT unnest(?::VARCHAR[])) "
            "AND e.id IN (SELECT event_id FROM event_parties WHERE code IN (SELECT unnest(?::VARCHAR[])))",
            [min_seq, *params, types, codes],
        ).fetchall()
    ]
    # Every stored member of a cluster found, so its date range is checked in full.
    seen = {m.id for m in pool}
    clusters = sorted({m.cluster for m in pool if m.cluster})
    pool += [
        m
        for m in map(
            _mention_from_fields,
            con.execute(
                _FIELDS + "WHERE e.seq < ? AND e.event_cluster IN (SELECT unnest(?))", [min_seq, clusters]
            ).fetchall(),
        )
        if m.id not in seen
    ]
    assign(pool, new)
    # The column is what exports and the API read; the record is patched too so that readers
    # of the raw record (the PLOVER/GDELT writers) see the same cluster.
    records = []
    for r, m in zip(rows, new, strict=True):
        rec = json.loads(str(r[3]))
        rec["event_cluster"] = m.cluster  # in place: the record keeps its key order
        records.append(json.dumps(rec, ensure_ascii=False))
    con.execute(
        "UPDATE events SET event_cluster = m.c, record = CAST(m.r AS JSON) "
        "FROM (SELECT unnest(?) AS id, unnest(?) AS c, unnest(?) AS r) m WHERE events.id = m.id",
        [[m.id for m in new], [m.cluster for m in new], records],
    )
    touched = sorted({m.cluster for m in new if m.cluster})
    con.execute("DELETE FROM event_clusters WHERE cluster_id IN (SELECT unnest(?))", [touched])
    con.execute(
        "INSERT INTO event_clusters SELECT e.event_cluster, min(e.seq), "
        "min_by(e.id, e.seq * 100000 + e.idx), "
        "min(e.event), min_by(a.story_id, e.seq), min(e.date), max(e.date), "
        "count(*) FILTER (a.duplicate_of IS NULL), "
        "count(DISTINCT e.article_id) FILTER (a.duplicate_of IS NULL), "
        "count(DISTINCT coalesce(a.site, a.source)) FILTER (a.duplicate_of IS NULL) "
        "FROM events e JOIN articles a ON a.id = e.article_id "
        "WHERE e.event_cluster IN (SELECT unnest(?)) GROUP BY e.event_cluster",
        [touched],
    )
