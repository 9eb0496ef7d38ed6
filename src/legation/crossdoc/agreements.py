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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from legation.extract.agreement_dates import BASIS_RANK
from legation.extract.agreement_names import DEFAULT_CLASS, shipped_names
from legation.extract.agreements import NAMED
from legation.extract.lifecycle import MENTIONED, STAGES
from legation.models import Article

__all__ = [
    "STAGES",
    "AgreementRow",
    "MentionRow",
    "agreement_id",
    "build_record",
    "group_keys",
    "mention_rows",
    "party_part",
    "text_dates",
]
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


def party_part(key: str) -> str:
    """The party part of a merge key ("EU JPN" of "EU JPN | security defence partnership")."""
    return key.split(" | ", 1)[0]


@dataclass(frozen=True)
class _Name:
    """A merge key's name as the registry compares it: the reference classes its heads give
    and the words that name it (descriptive, incidental words and numbers left out)."""

    classes: frozenset[str]
    core: frozenset[str]


def _name_of(key: str) -> _Name:
    names = shipped_names()
    words = key.split(" | ", 1)[-1].split()
    classes: set[str] = set()
    core: set[str] = set()
    for i, w in enumerate(words):
        if w in names.references:
            classes.add(DEFAULT_CLASS)  # "KOR POL | deal": the instrument named elsewhere
            continue
        head = names.head_of(w)
        if head is not None and (i == len(words) - 1 or head.cls != _last_class(words)):
            # The key's head, or a head of another class that says what it also is ("partnership
            # agreement": an agreement that is a partnership); "framework agreement" is named.
            classes.add(head.cls)
            continue
        for part in w.split("-"):
            if part and not part.isdigit() and part not in names.descriptive | names.incidental:
                core.add(names.head_of(part).key if names.head_of(part) else part)  # type: ignore[union-attr]
    return _Name(frozenset(classes) or frozenset({DEFAULT_CLASS}), frozenset(core))


def _bare(key: str) -> bool:
    """Whether a merge key's name is one head word ("IRQ USA | agreement")."""
    return len(key.split(" | ", 1)[-1].split()) == 1


def _last_class(words: Sequence[str]) -> str:
    head = shipped_names().head_of(words[-1]) if words else None
    return head.cls if head else DEFAULT_CLASS


def group_keys(
    keys: Iterable[str], mentions: Mapping[str, Sequence[Mapping[str, Any]]] | None = None
) -> dict[str, str]:
    """The record each merge key belongs to: one record per instrument however it is named.

    Keys of one party set whose heads share a reference class are one instrument when the words
    naming one are among those naming the other ("EU KOR | partnership", "EU KOR | security
    defence partnership"; "IRN RUS | 20-year agreement", "IRN RUS | strategic partnership
    agreement"; "ISR LBN | november ceasefire", "ISR LBN | ceasefire"). A key that could
    belong to two different instruments ("EU KOR | partnership" beside a Digital and a Green
    Partnership) stays its own. The record key of a group is its fullest name (most naming
    words, then the key's order), so the result is a function of the set of keys: batch order
    does not change it. Place-named keys (``NAMED``) group by name alone the same way.
    ``mentions``: per key, its stored mentions. Two keys that date one step differently
    ("an agreement" signed on 10 December, "the agreement on security co-operation" signed in
    January; only dates the text or the event gives, :func:`text_dates`) are two instruments,
    and so are a bare head and another name of one article: the extractor, which resolves
    "the agreement" to the instrument it refers back to, found it to be another.
    """
    ms = mentions or {}
    steps = {k: _steps(text_dates(m) for m in v) for k, v in ms.items()}
    arts = {k: {str(m["article_id"]) for m in v if m.get("article_id")} for k, v in ms.items()}
    by_party: dict[str, list[str]] = {}
    for k in sorted(set(keys)):
        by_party.setdefault(party_part(k), []).append(k)
    out: dict[str, str] = {}
    for members in by_party.values():
        named = {k: _name_of(k) for k in members}
        order = sorted(members, key=lambda k: (-len(named[k].core), k))
        canon: list[str] = []
        # Per group: the steps and articles of all its keys so far (a key must agree with all).
        group_steps: dict[str, dict[str, set[str]]] = {}
        group_arts: dict[str, set[str]] = {}
        for k in order:
            mine, seen = steps.get(k, {}), arts.get(k, set())
            fits = [
                c
                for c in canon
                if named[k].core <= named[c].core
                and named[k].classes & named[c].classes
                and _dates_agree(mine, group_steps[c])
                and (not _bare(k) or not seen & group_arts[c])
            ]
            if len(fits) > 1:
                # "EU JPN | partnership" beside a Security and Defence Partnership and a
                # Strategic Partnership Agreement: the one whose own head is a partnership.
                last = _last_class(k.split(" | ", 1)[-1].split())
                fits = [c for c in fits if _last_class(c.split(" | ", 1)[-1].split()) == last] or fits
            if len(fits) == 1:
                out[k] = fits[0]
            else:
                canon.append(k)
                out[k] = k
                group_steps[k], group_arts[k] = {}, set()
            for stage, days in mine.items():
                group_steps[out[k]].setdefault(stage, set()).update(days)
            group_arts[out[k]] |= seen
    return out


def text_dates(mention: Mapping[str, Any]) -> dict[str, str]:
    """A mention's step dates that its text or the coder's event gives (a dateline or
    publication day only stands in for a date the sentence does not give); a week's Monday
    is written ``W`` + the day ("last week": any day of that week agrees with it)."""
    basis = mention.get("date_basis") or {}
    prec = mention.get("date_precision") or {}
    return {
        s: ("W" if prec.get(s) == "week" else "") + str(d)
        for s, d in (mention.get("dates") or {}).items()
        if d and basis.get(s) in ("text", "event")
    }


def _steps(found: Iterable[Mapping[str, Any]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for dated in found:
        for stage, day in dated.items():
            if day:
                out.setdefault(stage, set()).add(str(day))
    return out


def _dates_agree(a: Mapping[str, set[str]], b: Mapping[str, set[str]]) -> bool:
    """Whether no step both date is dated differently (a day inside a month or year agrees)."""
    return all(any(_same_time(x, y) for x in a[s] for y in b[s]) for s in a.keys() & b.keys())


def _same_time(x: str, y: str) -> bool:
    """Whether two dates of :func:`text_dates` may be one time: one inside the other's month or
    year, or a day in the week (``W``) of the other."""
    if x.startswith("W") or y.startswith("W"):
        week, other = (x[1:], y) if x.startswith("W") else (y[1:], x)
        other = other.removeprefix("W")
        if len(other) < 10:
            return week.startswith(other)
        return _within(other, week, True) or other == week
    return x.startswith(y) or y.startswith(x)


#: How a date was found, best first: printed in the text, the coder's event date, the
#: item's dateline, publication.
_BASIS_RANK = BASIS_RANK


def _better(
    day: str, how: str, have: str | None, have_how: str, have_week: bool = False, week: bool = False
) -> bool:
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
    if have_how != "published" and len(have) == 10 and _within(have, day, week) and day != have:
        return False  # the day kept lies inside the period (or the week) offered
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
            offered_week = (m.get("date_precision") or {}).get(stage) == "week"
            if _better(day, how, out.dates[stage], out.basis.get(stage, ""), week, offered_week):
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
    # A proper name beats a description ("the truce, which Israel and Lebanon accepted"), then
    # the fullest surface form names the record ("EU-Japan Security and Defence Partnership").
    name = sorted((m["name"] for m in ms), key=lambda n: (n == n.lower(), -len(n), n))[0]
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
