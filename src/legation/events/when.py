"""When an event happened: the date of one event sentence, with the precision the text supports.

:func:`event_date` resolves the date expressions of a sentence ("on Sunday", "last week", "in June",
"on 23 October", "at the beginning of this month", "today") against the sentence's reference date:
the date of the dateline heading the item the sentence is in, else the article's publication date.

Date spans come from :func:`legation.clean.dates.find_dates` (regex first, ``dateparser`` only on the
short relative spans it finds), plus the week- and month-relative phrases that it leaves alone
("last week", "this month", "at the beginning of this month", "last May"), which this module
resolves itself: they are simple calendar arithmetic and ``dateparser`` would turn "last week" into
a single day seven days back, a precision the text does not have.

Precision values follow the contract: "day", "week" (the value is then the Monday of the week, so
that every week-precision value names its week the same way), "month" (reduced ISO "2024-06"),
"year" ("2024"), "unknown".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from spacy.tokens import Span, Token

from legation.clean.dates import DateSpan, find_dates, parse_iso_or_partial
from legation.models import Article

DatePrecision = Literal["day", "week", "month", "year", "unknown"]

MONTH_NAMES = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_FULL_MON = "|".join(m.capitalize() for m in MONTH_NAMES)
_NUM_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}

# Phrases find_dates leaves alone, resolved here by calendar arithmetic (see the module docstring).
_EXTRA = re.compile(
    r"\b(?:(?P<edge>(?:at|by|in)\s+the\s+(?:beginning|start|end|middle)\s+of|early|late|earlier|later"
    r"|mid-?)\s+)?(?P<which>last|this|next|past|previous|coming)\s+(?P<unit>week|month|year)\b"
    rf"|\b(?P<which2>last|this|next)\s+(?P<mon>{_FULL_MON})\b(?!\s+\d)"
    r"|\b(?P<n>\d{1,2}|a|an|one|two|three|four|five|six)\s+weeks?\s+ago\b"
    r"|\b(?P<now>this\s+(?:morning|afternoon|evening)|tonight|earlier\s+today)\b",
    re.I,
)
# Words before a date that make it a bound or a duration, not the time of the event: "since 2010",
# "until March", "by 2030", "before December". ("for many months" names no date at all.) A sentence
# may tell an event and such a bound; the bound is not the event's date.
_NOT_EVENT_TIME = re.compile(
    r"\b(?:since|until|till|through|by|before|after|from|throughout|as\s+of|ahead\s+of"
    r"|up\s+to|as\s+early\s+as|as\s+late\s+as)\s+(?:the\s+)?$",
    re.I,
)
# Verbs whose xcomp is a plan: "is scheduled to meet", "plans to visit", "is going to sign".
_PLAN_LEMMAS = {"schedule", "set", "due", "expect", "plan", "intend", "go", "prepare", "aim", "hope"}
_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}


@dataclass(frozen=True)
class _Found:
    """A date expression of the sentence, resolved: character offsets in the sentence text."""

    start: int
    end: int
    value: str | None
    precision: DatePrecision
    relative: bool  # depends on the reference date (and so on tense for yearless/weekday forms)
    span: DateSpan | None = None  # the find_dates span it came from, for re-resolution


def reference_date(sent_start: int, article: Article) -> tuple[str | None, DatePrecision]:
    """The date a sentence is written from: its item's dateline, else the article's publication date.

    A page may carry several press items, each under its own dateline; "today" in an item means its
    dateline's day, not the page's (which is why datelines win). A dateline without a date defers to
    the publication date.

    Returns:
        (ISO value, possibly reduced, and its precision), or (None, "unknown").
    """
    for dl in article.datelines:
        if dl.start <= sent_start < dl.end and dl.date:
            got = parse_iso_or_partial(dl.date)
            if got:
                return got
    if article.published:
        got = parse_iso_or_partial(article.published)
        if got:
            value, prec = got
            # A record may say it only knows the month or year though the string looks finer.
            if article.published_precision in ("month", "year"):
                value = value[: 7 if article.published_precision == "month" else 4]
                prec = article.published_precision
            return value, prec
    return None, "unknown"


def event_date(sent: Span, article: Article, *, trigger_i: int | None = None) -> tuple[str | None, str]:
    """The date of the event a sentence tells, and its precision.

    Args:
        sent: the sentence (a span of the parsed article).
        article: the article, for its datelines and publication date.
        trigger_i: document index of the event's trigger token. Given, the date expression governed
            by the trigger's verb wins (then those of the verbs it hangs from: "visited Pyongyang in
            June and signed a treaty" dates "signed" by "in June"), and the trigger's tense decides
            whether "on Sunday" lies before or after the reference. Not given, the first date
            expression and the sentence root's tense are used.

    Returns:
        (value, precision). With no date expression, a past or present event takes the calendar week
        of the reference ((Monday, "week")): news tells what happened in the last days, not
        necessarily on the day of publication, and a "day" would be invented. A future event with no
        date gets (None, "unknown"); so does any sentence without a reference date and without an
        absolute date.
    """
    ref_value, ref_prec = reference_date(sent.start_char, article)
    ref_day = date.fromisoformat(ref_value) if ref_value and ref_prec == "day" else None
    verb = _governing_verb(sent, trigger_i)
    future = verb is not None and _is_future(verb)
    found = _find(sent.text, ref_day, ref_value, ref_prec, future)
    chosen = _choose(sent, found, trigger_i) if found else None
    if chosen is not None and chosen.value is not None:
        return chosen.value, chosen.precision
    if future or ref_value is None:
        return None, "unknown"
    if ref_day is not None:
        return _monday(ref_day).isoformat(), "week"
    return ref_value, ref_prec


# ------------------------------------------------------------------------------------ finding


def _find(
    text: str, ref_day: date | None, ref_value: str | None, ref_prec: DatePrecision, future: bool
) -> list[_Found]:
    """All event-time expressions of ``text``, resolved, in text order; bounds and durations dropped."""
    out: list[_Found] = []
    for m in _EXTRA.finditer(text):
        out.append(_resolve_extra(m, ref_day, ref_value, ref_prec, future))
    for sp in find_dates(text, reference=ref_day):
        if any(f.start < sp.end and sp.start < f.end for f in out):
            continue  # the week/month phrase found above is the longer reading
        out.append(_resolve_span(sp, ref_day, ref_value, ref_prec, future))
    out.sort(key=lambda f: f.start)
    return [f for f in out if not _NOT_EVENT_TIME.search(text[max(0, f.start - 30) : f.start])]


def _resolve_span(
    sp: DateSpan, ref_day: date | None, ref_value: str | None, ref_prec: DatePrecision, future: bool
) -> _Found:
    """A find_dates span; yearless and weekday spans are re-resolved forward for future events."""
    prec: DatePrecision = sp.precision
    value = sp.value
    low = sp.text.lower()
    if ref_day is not None and future and not sp.has_year and value and "ago" not in low:
        # find_dates puts yearless dates on or before the reference; "will meet on Monday" and
        # "will visit in June" look forward instead.
        d = date.fromisoformat(value if prec == "day" else value + "-01")
        if d < ref_day and not re.search(r"\b(?:last|yesterday)\b", low):
            if sp.has_weekday or re.search(
                r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", low
            ):
                d = d + timedelta(days=7)
            elif prec == "day" or (prec == "month" and (d.year, d.month) < (ref_day.year, ref_day.month)):
                d = _add_years(d, 1)
            value = d.isoformat()[: 10 if prec == "day" else 7]
    if value is None and ref_value is not None and ref_prec in ("month", "year"):
        value, prec = _coarse(sp, ref_value, ref_prec)
    return _Found(sp.start, sp.end, value, prec, sp.is_relative or not sp.has_year, sp)


def _coarse(sp: DateSpan, ref_value: str, ref_prec: DatePrecision) -> tuple[str | None, DatePrecision]:
    """A reference-dependent span seen from a month- or year-precision reference.

    Only what the coarse reference supports is returned: "last year" from 2024 is 2023; "in June"
    from "2024-11" is 2024-06, from "2024" it is taken to be June 2024 (the article's own year is the
    likelier reading; documented guess). Day-level phrases ("yesterday", "on Monday") fall back to
    the reference itself at its own precision.
    """
    low = sp.text.lower()
    year = int(ref_value[:4])
    m = re.search(r"\b(last|next)\s+year\b", low)
    if m and "ago" not in low and sp.precision == "year":
        return str(year + (1 if m.group(1) == "next" else -1)), "year"
    mon = re.match(rf"({_FULL_MON})\b", sp.text)
    if mon and sp.precision == "month":
        month = MONTH_NAMES.index(mon.group(1).lower()) + 1
        if ref_prec == "month" and month > int(ref_value[5:7]):
            year -= 1
        return f"{year}-{month:02d}", "month"
    return ref_value, ref_prec


def _resolve_extra(
    m: re.Match[str], ref_day: date | None, ref_value: str | None, ref_prec: DatePrecision, future: bool
) -> _Found:
    """Resolve one of the week/month phrases of ``_EXTRA`` against the reference."""
    start, end = m.start(), m.end()

    def found(value: str | None, prec: DatePrecision) -> _Found:
        return _Found(start, end, value, prec, True)

    if m.group("now"):
        return found(ref_day.isoformat(), "day") if ref_day else found(ref_value, ref_prec)
    ref_year = int(ref_value[:4]) if ref_value else None
    ref_month = int(ref_value[5:7]) if ref_value and len(ref_value) >= 7 else None
    if m.group("n"):
        n = _NUM_WORDS.get(m.group("n").lower()) or int(m.group("n"))
        if ref_day is None:
            return found(ref_value, ref_prec) if ref_value else found(None, "unknown")
        return found(_monday(ref_day - timedelta(weeks=n)).isoformat(), "week")
    if m.group("mon"):
        month = MONTH_NAMES.index(m.group("mon").lower()) + 1
        which = m.group("which2").lower()
        if ref_year is None or (ref_month is None and which != "this"):
            return found(None, "unknown")
        if which == "this":
            return found(f"{ref_year}-{month:02d}", "month")
        # "last May" said in November is this year's May; said in April it is last year's.
        year = (
            ref_year - (month >= (ref_month or 13))
            if which == "last"
            else ref_year + (month <= (ref_month or 0))
        )
        return found(f"{year}-{month:02d}", "month")
    which = m.group("which").lower()
    shift = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[which]
    unit = m.group("unit").lower()
    if unit == "year":
        return found(str(ref_year + shift), "year") if ref_year else found(None, "unknown")
    if unit == "month":
        if ref_year is None or ref_month is None:
            # "last month" from a year-precision reference: the year is still right unless January.
            return found(ref_value, ref_prec) if ref_value else found(None, "unknown")
        y, mo = divmod(ref_year * 12 + ref_month - 1 + shift, 12)
        return found(f"{y}-{mo + 1:02d}", "month")
    if ref_day is None:
        return found(ref_value, ref_prec) if ref_value else found(None, "unknown")
    return found(_monday(ref_day + timedelta(weeks=shift)).isoformat(), "week")


# ----------------------------------------------------------------------------------- choosing


def _choose(sent: Span, found: list[_Found], trigger_i: int | None) -> _Found | None:
    """The date expression of the event: the one its verb governs, else the first.

    A date governed by the trigger's own verb wins; then one governed by the verbs above it
    (conjoined verbs share a date: "visited Pyongyang in June and signed a treaty"; a reported
    event is dated no later than its report: "On 23 October, the service announced that soldiers
    had gone"). When the trigger is given and no verb on its path governs a date, the dates in the
    sentence belong to something else ("the strategic dialogue agreed at the summit in July 2023")
    and the event counts as undated.
    """
    usable = [f for f in found if f.value is not None]
    if not usable:
        return None
    if trigger_i is None:
        return usable[0]
    doc = sent.doc
    governors: dict[int, list[_Found]] = {}
    for f in usable:
        v = _span_verb(sent, f)
        if v is not None:
            governors.setdefault(v.i, []).append(f)
    tok: Token | None = doc[trigger_i]
    seen: set[int] = set()
    while tok is not None and tok.i not in seen:
        seen.add(tok.i)
        if tok.i in governors:
            return governors[tok.i][0]
        tok = tok.head if tok.head.i != tok.i else None
    return None


def _span_verb(sent: Span, f: _Found) -> Token | None:
    """The verb a date expression hangs from: up the head chain from the expression's head token."""
    span = sent.char_span(f.start, f.end, alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    for _ in range(12):
        if tok.pos_ in ("VERB", "AUX") and not (span.start <= tok.i < span.end):
            return tok
        if tok.head.i == tok.i:
            return tok  # the root governs what hangs from a verbless sentence
        tok = tok.head
    return None


def _governing_verb(sent: Span, trigger_i: int | None) -> Token | None:
    """The token whose tense decides the direction of yearless dates: the trigger, else the root."""
    if trigger_i is not None and sent.start <= trigger_i < sent.end:
        return sent.doc[trigger_i]
    return sent.root


def _is_future(tok: Token) -> bool:
    """Whether an event verb is in the future as seen from the time of writing.

    "will meet", "is scheduled to meet", "plans to visit", "is going to sign" are future;
    "was scheduled to meet" and "would meet" are the future of a past moment, which news mostly
    tells because it has happened since, so they count as past.
    """
    v = tok
    for _ in range(4):
        auxes = [c for c in v.children if c.dep_ in ("aux", "auxpass")]
        if any(c.lower_ in _FUTURE_AUX for c in auxes):
            return True
        head = v.head
        if v.dep_ == "conj" and not auxes and head.i != v.i:
            v = head  # "will go to Tokyo and meet Kishida": "meet" shares "will"
            continue
        if v.dep_ == "xcomp" and head.lemma_.lower() in _PLAN_LEMMAS:
            head_aux = [c for c in head.children if c.dep_ in ("aux", "auxpass")]
            if any(c.tag_ in ("VBZ", "VBP") for c in head_aux) or head.tag_ in ("VBZ", "VBP"):
                return True
            v = head
            continue
        if v.dep_ in ("acl", "relcl") and head.i != v.i and head.lower_ in ("plans", "plan"):
            return True
        break
    return False


# ------------------------------------------------------------------------------------ helpers


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:  # 29 February
        return d.replace(year=d.year + n, day=28)


def precision_rank(precision: str) -> int:
    """Order of precisions from finest (day) to none (unknown), for callers merging dates."""
    return _PRECISION_RANK.get(precision, 4)
