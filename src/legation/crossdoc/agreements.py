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

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from legation.extract.agreements import NAMED
from legation.models import Article

#: Lifecycle order: a later stage is the status ("launched" outranks "signed").
STAGES = ("announced", "signed", "ratified", "launched")
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


#: How a date was found, best first: printed in the text, the coder's event date, publication.
_BASIS_RANK = {"text": 0, "event": 1, "dateline": 2, "published": 3}


def _better(day: str, how: str, have: str | None, have_how: str) -> bool:
    """Whether a stage date ``day`` found ``how`` beats the one kept so far.

    A date the text gives beats the publication date; at equal basis a more precise date of
    the same period ("2024-05-04" over "2024-05"), else the earlier one, so the choice does
    not depend on the order of the mentions.
    """
    if have is None:
        return True
    rank, have_rank = _BASIS_RANK.get(how, 9), _BASIS_RANK.get(have_how, 9)
    return (
        rank < have_rank
        or (rank == have_rank and day.startswith(have) and len(day) > len(have))
        or (rank == have_rank and not have.startswith(day) and day < have)
    )


def _stage_dates(
    ms: Sequence[dict[str, Any]],
) -> tuple[dict[str, str | None], dict[str, str], dict[str, str], set[str]]:
    """Per lifecycle stage: the best date, how it was found, its sentence; and the stages seen."""
    dates: dict[str, str | None] = {s: None for s in STAGES}
    basis: dict[str, str] = {}
    evidence_of: dict[str, str] = {}
    seen = set()
    for m in ms:
        for stage, day in m["dates"].items():
            seen.add(stage)
            if not day:
                continue
            how = (m.get("date_basis") or {}).get(stage, "published")
            if _better(day, how, dates[stage], basis.get(stage, "")):
                dates[stage], basis[stage], evidence_of[stage] = day, how, m["evidence"]
    return dates, basis, evidence_of, seen


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
    dates, basis, evidence_of, seen = _stage_dates(ms)
    status = next((s for s in reversed(STAGES) if s in seen), "mentioned")
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
        "dates": dates,
        "date_basis": basis,
        "date_evidence": evidence_of,
        "status": status,
        "article_ids": list(dict.fromkeys(m["article_id"] for m in ms)),
        "evidence": evidence,
    }
    return AgreementRow(rid, found[0][0], record)
