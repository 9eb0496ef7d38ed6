"""Cross-article step: the agreements registry, one record per agreement across all articles.

Per-article mentions, found in the worker (:mod:`legation.extract.agreements`, run by the
extract stage), are stored by the batch write with their merge key (sorted parties +
normalised name, :func:`mention_rows`); every key the batch touches is then rebuilt from all
its stored mentions. A record is a function of the set of mentions, so batch order does not
change it and re-ingesting changes nothing.

Pure: rows in, updates out. :mod:`legation.crossdoc.update` reads the rows from the store and
writes the result (:mod:`legation.store.crossdoc_rows`), so the rules are tested without one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from legation.extract.agreement_dates import BASIS_RANK
from legation.extract.agreements import NAMED
from legation.extract.lifecycle import MENTIONED, STAGES
from legation.models import Article

__all__ = ["STAGES", "AgreementRow", "MentionRow", "agreement_id", "build_record", "mention_rows"]
#: Evidence sentences kept per record: enough to check it, not the whole corpus.
MAX_EVIDENCE = 5


@dataclass(frozen=True)
class MentionRow:
    """An agreement mention to store (``agreement_mentions``), keyed for merging."""

    article_id: str
    seq: int
    key: str
    record: dict[str, Any]


@dataclass(frozen=True)
class AgreementRow:
    """The one record of a merge key (``agreements``), first-mention ``seq`` for ordering."""

    id: str
    seq: int
    record: dict[str, Any]


def mention_rows(batch: Sequence[tuple[Article, int]]) -> list[MentionRow]:
    """The agreement mentions to store of a written batch's ``(article, seq)`` pairs.

    Only originals count: a copied page repeats its original's agreements, and counting it
    would make one source look like two. (Pages not in English have none: the extract stage
    runs on English only.)
    """
    return [
        MentionRow(a.id, seq, m["key"], m)
        for a, seq in batch
        if a.duplicate_of is None
        for m in a.agreement_mentions
    ]


def agreement_id(key: str) -> str:
    """A stable record id for a merge key."""
    return "ag-" + hashlib.sha1(key.encode()).hexdigest()[:12]


#: How a date was found, best first: printed in the text, the coder's event date, the
#: item's dateline, publication.
_BASIS_RANK = BASIS_RANK


def _better(day: str, how: str, have: str | None, have_how: str, have_week: bool = False) -> bool:
    """Whether a stage date ``day`` found ``how`` beats the one kept so far.

    A day the text or the dateline gives that falls inside the period kept ("2025-03-13"
    inside the week "this week" gave, or inside "2025-03") is more precise and wins; else a date the text
    gives beats the publication date; at equal basis a more precise date of the same period,
    else the earlier one, so the choice does not depend on the order of the mentions.
    """
    if have is None:
        return True
    # Only a day some text gives (a date, the dateline) refines a period: the publication day
    # is no evidence of when in the month a step happened.
    if how != "published" and len(day) == 10 and _within(day, have, have_week) and day != have:
        return True
    if have_how != "published" and len(have) == 10 and _within(have, day, False) and day != have:
        return False
    rank, have_rank = _BASIS_RANK.get(how, 9), _BASIS_RANK.get(have_how, 9)
    return (
        rank < have_rank
        or (rank == have_rank and day.startswith(have) and len(day) > len(have))
        or (rank == have_rank and not have.startswith(day) and day < have)
    )


def _within(day: str, period: str, week: bool) -> bool:
    """Whether ISO ``day`` lies in ``period`` (a year, a month, or the week starting on it)."""
    if week and len(period) == 10:
        start = dt.date.fromisoformat(period)
        return start <= dt.date.fromisoformat(day) <= start + dt.timedelta(days=6)
    return len(period) < 10 and day.startswith(period)


@dataclass
class _Dates:
    """Per lifecycle stage: the best date, how it was found, its precision, its sentence."""

    dates: dict[str, str | None]
    basis: dict[str, str]
    precision: dict[str, str]
    evidence: dict[str, str]
    seen: set[str]


def _stage_dates(ms: Sequence[dict[str, Any]]) -> _Dates:
    """The best date of each stage over the mentions, and the stages seen (dated or not)."""
    out = _Dates({s: None for s in STAGES}, {}, {}, {}, set())
    for m in ms:
        for stage, day in m["dates"].items():
            if stage not in out.dates:
                continue  # a stage a newer stages file no longer has
            out.seen.add(stage)
            if not day:
                continue
            how = (m.get("date_basis") or {}).get(stage, "published")
            week = out.precision.get(stage) == "week"
            if _better(day, how, out.dates[stage], out.basis.get(stage, ""), week):
                out.dates[stage], out.basis[stage], out.evidence[stage] = day, how, m["evidence"]
                prec = (m.get("date_precision") or {}).get(stage)
                if prec:
                    out.precision[stage] = prec
                else:
                    out.precision.pop(stage, None)
    return out


def build_record(key: str, found: Sequence[tuple[int, dict[str, Any]]]) -> AgreementRow | None:
    """The record of ``key`` built from all its stored ``(seq, mention)`` pairs in ``seq`` order.

    ``None`` when no mention is left. A function of the set of mentions, so batch order does
    not change it.
    """
    if not found:
        return None
    ms = [m for _, m in found]
    # The fullest surface form names the record ("EU-Japan Security and Defence Partnership").
    name = sorted((m["name"] for m in ms), key=lambda n: (-len(n), n))[0]
    got = _stage_dates(ms)
    status = next((s for s in reversed(STAGES) if s in got.seen), MENTIONED)
    evidence: list[str] = []
    for m in ms:
        if m["evidence"] not in evidence and len(evidence) < MAX_EVIDENCE:
            evidence.append(m["evidence"])
    parties = ms[0]["parties"]
    if key.startswith(NAMED + " |"):
        # A place-named instrument: its parties are those most of its mentions name.
        counts = Counter(p for m in ms for p in m["parties"])
        parties = sorted(p for p, n in counts.items() if 2 * n >= len(ms)) or parties
    rid = agreement_id(key)
    record = {
        "id": rid,
        "name": name,
        "kind": ms[0]["kind"],
        "parties": parties,
        "dates": got.dates,
        "date_basis": got.basis,
        "date_precision": got.precision,
        "date_evidence": got.evidence,
        "status": status,
        "article_ids": list(dict.fromkeys(m["article_id"] for m in ms)),
        "evidence": evidence,
    }
    return AgreementRow(rid, found[0][0], record)
