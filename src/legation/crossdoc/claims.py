"""Cross-article step: claims, grouped by topic across articles and flagged when disputed.

Claims are extracted per article, in the worker (:mod:`legation.extract.claims`, run by the
extract stage); the batch write stores those of the originals (:func:`claim_rows`) and this
step regroups every topic they touch (:func:`regroup_days`). A group is the claims with one
topic key dated within :data:`GROUP_DAYS` of the group's first claim, so its id is a hash of
the key (and the group's first day after the first group) and its ``disputed`` flag a
function of the whole group (:func:`disputed`): ingesting in batches gives the same groups
as a one-shot ingest.

Pure: rows in, updates out. :mod:`legation.crossdoc.update` reads the rows from the store and
writes the result (:mod:`legation.store.crossdoc_rows`), so the rules are tested without one.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from legation.actors.generic import main_state
from legation.models import Article


def group_id(topic: str) -> str:
    """A stable group id for a topic key."""
    return "cg-" + hashlib.sha1(topic.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class ClaimRow:
    """A claim to store: its ``claims`` columns and record (group and flag not set yet)."""

    id: str
    seq: int
    article_id: str
    topic: str
    record: dict[str, Any]


@dataclass(frozen=True)
class StoredClaim:
    """A stored claim as regrouping reads it: the record and its current group and flag."""

    id: str
    record: dict[str, Any]
    group_id: str | None
    disputed: bool | None


@dataclass(frozen=True)
class GroupWrite:
    """One group whose changed claims get ``group_id`` and ``disputed`` (columns and record)."""

    group_id: str
    disputed: bool
    ids: list[str]
    records: list[dict[str, Any]]


def claim_rows(batch: Sequence[tuple[Article, int]]) -> list[ClaimRow]:
    """The claims to store of a written batch's ``(article, seq)`` pairs: those of its originals.

    Duplicates are skipped: a copied page repeats its original's claims, and counting it twice
    would make one assertion look like two sources. (Pages not in English have none: the
    extract stage runs on English only.)
    """
    rows: list[ClaimRow] = []
    for a, seq in batch:
        if a.duplicate_of is not None or not a.claims:
            continue
        scope = topic_scope(a) if any(str(c["topic"]).startswith(UNNAMED) for c in a.claims) else ""
        rows.extend(ClaimRow(c["id"], seq, a.id, group_topic(str(c["topic"]), scope), c) for c in a.claims)
    return rows


#: The topic of a figure whose sentence names no actor ("? killed"): two such figures from
#: articles about two countries (1,600 killed in Haiti, 4,000 in Lebanon) do not count the same
#: thing, so the group is scoped to the state the article names most, else to the article.
UNNAMED = "? "


def topic_scope(article: Article) -> str:
    """The scope of an article's unnamed figures: the state it names most, else the article."""
    return main_state(article.mentions, share=0.0) or article.id


def group_topic(topic: str, scope: str) -> str:
    """The key a claim is grouped by: its topic, scoped (:func:`topic_scope`) when its sentence
    names no actor."""
    return f"{topic} @{scope}" if topic.startswith(UNNAMED) else topic


def regroup_days(claims: Iterable[tuple[str, str | None]]) -> dict[str, date | None]:
    """Per topic of the new claims ``(topic, as_of)``, the day to regroup it from.

    The day is the earliest among the topic's new claims, ``None`` when one is undated: a new
    undated claim joins the topic's first group, so the whole topic is regrouped.
    """
    days: dict[str, list[date | None]] = defaultdict(list)
    for topic, as_of in claims:
        days[topic].append(claim_day({"as_of": as_of}))
    return {t: None if None in ds else min(d for d in ds if d is not None) for t, ds in sorted(days.items())}


#: A group holds the claims of one topic dated within this many days of its first claim. The
#: figures for one situation are disputed over weeks (the North Korean troops in Russia: 3,000
#: on 23 October, 11,000 on 12 November, within 20 days), while a figure a season later describes
#: a new situation, not a disagreement; 90 days keeps a quarter's reporting together. A fixed
#: span rather than "no gap of 90 days" because a topic reported every week (a war's casualty
#: count) would otherwise be one group for years, re-read and rewritten by every batch.
GROUP_DAYS = 90


def episodes(
    recs: list[tuple[str, dict[str, Any]]], *, with_undated: bool = True
) -> list[list[tuple[str, dict[str, Any]]]]:
    """Claims of one topic cut into groups of at most :data:`GROUP_DAYS` from each group's first day.

    Groups are built left to right from the earliest dated claim, so a group's members depend
    only on the claims dated from its first day on: regrouping from a group's first day gives
    the groups a regrouping of the whole topic would. Undated claims join the first group
    (``with_undated``: ``recs`` starts at the topic's first group). A function of the set of
    claims, so batch order does not change the groups.
    """
    dated = sorted((r for r in recs if claim_day(r[1])), key=lambda r: (str(claim_day(r[1])), r[0]))
    undated = sorted((r for r in recs if not claim_day(r[1])), key=lambda r: r[0])
    groups: list[list[tuple[str, dict[str, Any]]]] = []
    start: date | None = None
    for r in dated:
        day = claim_day(r[1])
        assert day is not None
        if start is None or (day - start).days > GROUP_DAYS:
            groups.append([])
            start = day
        groups[-1].append(r)
    if with_undated and undated:
        if not groups:
            return [undated]
        groups[0] = undated + groups[0]
    return groups


def claim_day(rec: Mapping[str, Any]) -> date | None:
    """The day a claim is as of (``as_of``), ``None`` when it has none."""
    value = str(rec.get("as_of") or "")
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def regroup(topic: str, claims: Sequence[StoredClaim], first: bool) -> list[GroupWrite]:
    """The groups of ``claims`` of ``topic`` whose members changed group or flag.

    ``claims`` are the topic's stored claims from the first day of the group that was open at
    the new claims' earliest day on (:func:`claim_rows`), or all of them when ``first`` (that
    group is the topic's first): groups before it cannot change, since they are built left to
    right. With articles arriving roughly in date order that is the last group, so a batch
    costs the same whatever the topic's history.
    """
    stored = {c.id: (c.group_id, c.disputed) for c in claims}
    out = []
    for n, episode in enumerate(episodes([(c.id, c.record) for c in claims], with_undated=first)):
        # The topic's first group keeps the topic's id (stable when no later episode exists).
        base = topic if first and n == 0 else f"{topic}|{claim_day(episode[0][1])}"
        for place, group in by_place(episode):
            flag = disputed([r for _, r in group])
            gid = group_id(base if place is None else f"{base}@{place}")
            # Only claims whose group or flag changed are written: a late article (a page
            # dated two years back) regroups every later group of its topic, and nearly all
            # of them keep their group (groups are built from their first day).
            changed = [(cid, r) for cid, r in group if stored[cid] != (gid, flag)]
            if not changed:
                continue
            for _, r in changed:
                r["group_id"], r["disputed"] = gid, flag
            out.append(GroupWrite(gid, flag, [cid for cid, _ in changed], [r for _, r in changed]))
    return out


def by_place(
    group: list[tuple[str, dict[str, Any]]],
) -> list[tuple[str | None, list[tuple[str, dict[str, Any]]]]]:
    """A group of one topic cut by the host state its figures name (``place``: "2,500 US
    troops are in Iraq", "28,500 US troops are stationed in South Korea"): counts of one force
    in two states are two quantities. Figures naming no host join the one host named when
    there is only one (reports of one deployment say "in Russia" here, "near Ukraine" there),
    else stay together apart from every host; with one host or none the group is not cut
    (and keeps its id, ``None``). A function of the group's set of claims."""
    places = sorted({str(r["place"]) for _, r in group if r.get("place")})
    if len(places) <= 1:
        return [(None, group)]
    out: list[tuple[str | None, list[tuple[str, dict[str, Any]]]]] = []
    unplaced = [(cid, r) for cid, r in group if not r.get("place")]
    if unplaced:
        out.append((None, unplaced))
    out.extend((p, [(cid, r) for cid, r in group if r.get("place") == p]) for p in places)
    return out


#: Relative slack for an unqualified or "approximately" figure: reporters round, so 10,000 and
#: 10,400 are one figure, while 10,000 and 12,000 are not.
EXACT_SLACK = 0.05
ROUGH_SLACK = 0.15


def interval(value: float, qualifier: str | None) -> tuple[float, float]:
    """The range of true values a figure with this qualifier allows."""
    inf = float("inf")
    if qualifier in ("over", "more than"):
        return value, inf
    if qualifier == "at least":
        return value, inf
    if qualifier in ("up to", "less than"):
        return 0.0, value
    slack = ROUGH_SLACK if qualifier == "approximately" else EXACT_SLACK
    return value * (1 - slack), value * (1 + slack)


def source_of(claim: Mapping[str, Any]) -> tuple[str, tuple[str, ...]]:
    """Who asserts a claim: its article and its claimants (names, else codes)."""
    who = tuple(sorted(str(c.get("text") or c.get("code") or "") for c in claim.get("claimant") or ()))
    return str(claim.get("article_id") or ""), who


def _rival(claim: Mapping[str, Any]) -> bool:
    """Whether a count can dispute another: a sum of money only when it goes to someone ("KOR
    aid to UKR"). A sum with no recipient ("USA aid": a budget, a revenue, a valuation, a
    tariff bill) says too little of what it measures for two such sums to be one quantity."""
    return claim.get("kind") != "money" or " to " in str(claim.get("topic") or "")


def disputed(claims: Sequence[dict[str, Any]]) -> bool:
    """True when two sources' counts of the same quantity disagree: their ranges (qualifiers
    taken into account) do not overlap. A projection ("would be deployed"), a subset ("8,000 of
    them near the front"), a running total or a range is not a rival count, and two figures one
    source gives in one article are two quantities or an update, not a dispute with itself (on
    general news pages a price list is a dozen unattributed "counts" of one topic)."""
    counts = [c for c in claims if c.get("claim_kind", "count") == "count" and _rival(c)]
    ranges = [(source_of(c), interval(c["value"], c.get("qualifier"))) for c in counts]
    # Ranges on a line have a common point when every two of them overlap, so a disagreement
    # is a pair of sources whose ranges are apart.
    return any(
        s1 != s2 and (r1[0] > r2[1] or r2[0] > r1[1])
        for i, (s1, r1) in enumerate(ranges)
        for s2, r2 in ranges[i + 1 :]
    )
