"""Date finding for the whole project: spans of text that name a date, and what date they name.

Three entry points:

- :func:`find_dates` scans a text with regular expressions for spans that look like dates
  ("16 November, 2024", "Thu. Nov 21st, 2024", "2024-11-04", "November 4", "in July last year",
  "yesterday") and resolves each span to an ISO value. Absolute formats are parsed by the regexes
  themselves; only relative phrases ("three days ago", "last month") go to ``dateparser``, one short
  span at a time and cached, because ``dateparser`` is slow and, run on whole texts, finds "dates" in
  ordinary numbers and words.
- :func:`parse_iso_or_partial` reads the dates that input records carry ("2024-11-04T10:00:00Z",
  "2024-11", "2024").
- :func:`infer_year` bounds an undated article's publication by the dated events it tells in the
  past and in the future tense, and names the year only when both bounds agree on it.

Values are ISO dates, reduced ("2024-11", "2024") when the span names only a month or a year, so
that nothing downstream mistakes "November 2024" for the 1st of November.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache
from typing import Literal

import dateparser

SpanPrecision = Literal["day", "month", "year"]

_MONTHS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS: dict[str, int] = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}

# Month and weekday names, full or abbreviated (optionally with a dot). Matched case-insensitively
# and then checked by _proper_case(): "may" and "march" in lower case are verbs, not months.
_MON = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_FULL_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_WD = (
    r"(?:Mon(?:day)?|Tue(?:s(?:day)?)?|Wed(?:nesday)?|Thu(?:r(?:s(?:day)?)?)?|Fri(?:day)?|Sat(?:urday)?"
    r"|Sun(?:day)?)"
)
_FULL_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# Years 1900-2099 only: older years are history, not dates a news page is dated by, and the
# narrow range keeps counts ("1500 troops") from reading as years.
_YEAR = r"(?P<y>(?:19|20)\d{2})(?![\d,.]\d)"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
_WD_PREFIX = rf"(?:(?P<wd>{_WD})\.?,?\s+)?"
_REL_YEAR = r"(?:\s+(?P<rel>last|this|next)\s+year)?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 2024-11-04, 2024-11-04T10:00:00Z
    ("iso", re.compile(
        r"(?<![\d-])(?P<y>(?:19|20)\d{2})-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)"
        r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\d-])"
    )),
    # 16 November, 2024 / Monday, 4th of November 2024
    ("dmy", re.compile(rf"\b{_WD_PREFIX}{_DAY}\s+(?:of\s+)?(?P<mon>{_MON})\.?,?\s+{_YEAR}\b", re.I)),
    # Nov 21st, 2024 / Thu. Nov 21st, 2024 / November 4 2024
    ("mdy", re.compile(rf"\b{_WD_PREFIX}(?P<mon>{_MON})\.?\s+{_DAY},?\s+{_YEAR}\b", re.I)),
    # 28/10/2024 or 10/28/2024: kept only when unambiguous (see _numeric()).
    ("num", re.compile(
        r"(?<![\d/.])(?P<a>[0-3]?\d)[/.](?P<b>[0-3]?\d)[/.](?P<y>(?:19|20)\d{2})(?![\d/.]\d)"
    )),
    # July 2023 / in July last year
    ("my", re.compile(rf"\b(?P<mon>{_MON})\.?,?\s+{_YEAR}\b", re.I)),
    # 23 October / 23rd of October (no year)
    ("dm", re.compile(
        rf"\b{_WD_PREFIX}{_DAY}\s+(?:of\s+)?(?P<mon>{_MON})\b\.?(?!\s*,?\s*\d){_REL_YEAR}", re.I
    )),
    # November 4 / February 24 last year (no year)
    ("md", re.compile(rf"\b{_WD_PREFIX}(?P<mon>{_MON})\.?\s+{_DAY}\b(?![.,:]?\d){_REL_YEAR}", re.I)),
    # A bare month name: only after a word that makes it a time ("in July", "since March"), since
    # "May" and "March" are also words, and only full names ("Jan" is also a first name).
    ("mon", re.compile(
        rf"\b(?:in|since|until|till|by|from|during|early|late|mid-?|end of|beginning of|start of)\s+"
        rf"(?P<mon>{_FULL_MON})\b(?!\s*,?\s*\d){_REL_YEAR}"
    )),
    # A bare year, only after a word that makes it a time ("in 2022", "since 2010"): a bare
    # four-digit number is as often a count ("of 2000 troops") or a model year ("the 2020 Sentra",
    # on sale the year before), so "the" and "of" do not count.
    ("year", re.compile(
        rf"\b(?:[Ii]n|[Ss]ince|[Uu]ntil|[Bb]efore|[Aa]fter|[Dd]uring|[Ee]arly|[Ll]ate|[Mm]id-?"
        rf"|[Ss]ummer|[Ss]pring|[Aa]utumn|[Ww]inter|half of|end of|year)\s+{_YEAR}\b(?!\s*[%$€£])"
    )),
    # Relative phrases resolved against the reference date.
    ("rel", re.compile(
        r"\b(?:today|yesterday|tomorrow|(?:last|next)\s+(?:month|year)"
        r"|(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:days?|months?|years?)\s+ago)\b",
        re.I,
    )),
    # A weekday on its own ("on Monday"): relative to the reference date.
    ("wd", re.compile(rf"\b(?:(?P<which>last|next|this)\s+)?(?P<wd>{_FULL_WD})\b")),
]  # fmt: skip

# What every pattern above needs at least one of: a digit, a month or weekday name (all start
# with these three letters at a word start), or a word of a relative phrase. A text with none
# holds no date, and most lines of a page (menus, captions, prose without dates) have none:
# checking this first made the search for dates over the text dumps' lines three times faster.
_MAYBE_DATE = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun"
    r"|today|yesterday|tomorrow|last|next|ago)",
    re.I,
)

_SPAN_PRIORITY = {name: i for i, (name, _) in enumerate(_PATTERNS)}


@dataclass(frozen=True)
class DateSpan:
    """A span of text naming a date.

    Attributes:
        start, end: character offsets of the span in the text searched.
        text: ``text[start:end]``.
        value: the ISO date ("2024-11-04"), reduced to "2024-11" or "2024" when the span names only
            a month or a year; None when the span needs a reference date ("November 4", "last
            year") and none was given: guessing the year would put a wrong date in the record.
        precision: what the span names: a day, a month or a year.
        has_year: the span prints its year (a yearless date took the reference's year).
        has_weekday: the span names a weekday ("Thu. Nov 21st, 2024", "on Monday").
        is_relative: the span is relative to the reference date ("yesterday", "last year").
    """

    start: int
    end: int
    text: str
    value: str | None
    precision: SpanPrecision
    has_year: bool
    has_weekday: bool
    is_relative: bool

    @property
    def bounds(self) -> tuple[date, date] | None:
        """First and last day of the period the span names, or None when it has no value."""
        return period_bounds(self.value) if self.value else None


def period_bounds(value: str) -> tuple[date, date] | None:
    """First and last day of an ISO date or reduced ISO date ("2024", "2024-11", "2024-11-04")."""
    parts = value.split("-")
    try:
        nums = [int(p) for p in parts]
        if len(nums) == 1:
            return date(nums[0], 1, 1), date(nums[0], 12, 31)
        if len(nums) == 2:
            first = date(nums[0], nums[1], 1)
            nxt = date(nums[0] + nums[1] // 12, nums[1] % 12 + 1, 1)
            return first, date.fromordinal(nxt.toordinal() - 1)
        day = date(nums[0], nums[1], nums[2])
        return day, day
    except (ValueError, IndexError):
        return None


def find_dates(text: str, *, reference: date | None = None) -> list[DateSpan]:
    """Find the spans of ``text`` that name dates, in text order, without overlaps.

    Args:
        text: any text (a body, a line).
        reference: the date the text was written (publication date, an item's dateline). Yearless
            dates ("November 4") take the latest year that puts them on or before the reference:
            news mostly reports what has happened, and ``dateparser``'s ``PREFER_DATES_FROM="past"``
            agrees, so both kinds of span resolve the same way. Spans that speak of the future
            ("will meet on November 4") can be re-resolved by the caller, who knows the tense:
            ``has_year`` and ``is_relative`` say which spans depended on the reference.

    Returns:
        The spans; where candidate spans overlap, the longest wins ("Thu. Nov 21st, 2024" rather
        than "Nov 21st" or "2024").
    """
    if not _MAYBE_DATE.search(text):
        return []
    cands: list[tuple[int, int, int, re.Match[str], str]] = []
    for name, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if m.end() > m.start():
                cands.append((m.start(), -(m.end() - m.start()), _SPAN_PRIORITY[name], m, name))
    cands.sort(key=lambda c: (c[0], c[1], c[2]))
    out: list[DateSpan] = []
    taken_until = 0
    for start, _neg_len, _prio, m, name in cands:
        if start < taken_until:
            continue
        span = _resolve(name, m, reference)
        if span is not None:
            out.append(span)
            taken_until = span.end
    return out


def parse_iso_or_partial(s: str) -> tuple[str, SpanPrecision] | None:
    """Read a record's date: ISO date or datetime, or reduced ISO ("2024-11", "2024").

    Datetimes keep their printed calendar date (no conversion to UTC): "2024-11-04T23:30:00-05:00"
    was published on the 4th where it was published, which is what a reader of the page saw.
    Anything else (e.g. "Mon, 04 Nov 2024 10:00:00 GMT") is accepted when one absolute date span
    makes up the bulk of the string.

    Returns:
        (value, precision), or None when the string is not a date.
    """
    s = s.strip()
    m = re.fullmatch(
        r"((?:19|20)\d{2})(?:-(\d{1,2})(?:-(\d{1,2}))?)?"
        r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?",
        s,
    )
    if m:
        y, mo, d = m.group(1), m.group(2), m.group(3)
        if d is not None:
            return _valid_day(int(y), int(mo), int(d))
        if mo is not None:
            return (f"{y}-{int(mo):02d}", "month") if 1 <= int(mo) <= 12 else None
        return y, "year"
    spans = [sp for sp in find_dates(s) if sp.value and sp.has_year and not sp.is_relative]
    # "Bulk": the rest of the string is at most a time and a zone ("10:00:00 GMT").
    if len(spans) == 1 and len(re.sub(r"[\d:+\-.\s]|GMT|UTC|Z|[AP]M", "", s[spans[0].end :])) <= 3:
        value = spans[0].value
        return (value, spans[0].precision) if value else None
    return None


def infer_year(text: str, header: list[DateSpan]) -> str | None:
    """A publication year that the text pins down, or None.

    Dated events told in the past tense happened before publication (a lower bound); dated events
    told in the future tense ("scheduled for the first half of 2025") had not happened yet (an
    upper bound), nor had the page's own header date (the clock or edition date of the page the
    dump was taken from). Only when both bounds fall in one year is that year given: one bound
    alone leaves the year open, and a wrong date is worse than none.

    Args:
        text: the article's body.
        header: dates the page shows above the article that it cannot predate (its clock or
            edition date); empty when there is none.
    """
    lower: date | None = None
    upper: date | None = None
    for sent in _SENTENCE.finditer(text):
        s = sent.group(0)
        future = bool(_FUTURE.search(s))
        past = not future and bool(_PAST.search(s)) and not _MODAL.search(s)
        spans = [sp for sp in find_dates(s) if sp.has_year and not sp.is_relative]
        bounds = [b for sp in spans if (b := sp.bounds) is not None]
        if future and bounds:
            # The latest date of a future sentence is when the future event is; earlier ones are
            # comparisons ("will give $394 million in 2024, eight times more than in 2023").
            end = max(b[1] for b in bounds)
            upper = min(upper, end) if upper else end
        elif past:
            for sp in spans:
                # "postponed until March 2026", "by 2030": a past sentence about a later time.
                if _TOWARDS.search(s[: sp.start]) or sp.bounds is None:
                    continue
                lower = max(lower, sp.bounds[0]) if lower else sp.bounds[0]
    for span in header:
        if span.value and (b := period_bounds(span.value)):
            upper = min(upper, b[1]) if upper else b[1]
    if lower and upper and lower <= upper and lower.year == upper.year:
        return str(lower.year)
    return None


# Future tense as seen from the time of writing. "would", "was expected", "had planned" are left
# out on purpose: they are the future of a past moment, which may well lie before publication.
_FUTURE = re.compile(
    r"\b(?:will|shall|upcoming|forthcoming)\b|\b(?:is|are)\s+(?:\w+\s+)?(?:scheduled|set|due|expected|planned|"
    r"going)\b|\bscheduled\s+for\b",
    re.I,
)
# Past tense without a parser: auxiliaries and the past forms news use for what happened. A generic
# "-ed" ending is no evidence ("based", "expected", "planned" are as often participles of plans).
_PAST = re.compile(
    r"\b(?:was|were|had|did|said|told|met|took|signed|held|began|became|made|went|came|gave|spoke|"
    r"announced|visited|launched|agreed|adopted|concluded|declared|attended|released|revealed|reported|"
    r"confirmed|approved|condemned|stated|elected|won|lost|killed|attacked|invaded|started|ended|opened|"
    r"arrived|returned|travelled|traveled|joined|hosted|published|introduced|unveiled|occurred|ago)\b"
)
# Plans, expectations and hypotheses: a date in such a sentence need not lie in the past.
_MODAL = re.compile(
    r"\b(?:will|would|could|may|might|should|shall|plans?|planned|planning|expect(?:s|ed)?|aims?|"
    r"intends?|hopes?|wants?|due|later|upcoming|next|set to|to be|scheduled)\b",
    re.I,
)
_TOWARDS = re.compile(
    r"\b(?:until|till|to|by|before|through|postponed|delayed|deadline)\s+(?:the\s+)?(?:end\s+of\s+)?$", re.I
)
_SENTENCE = re.compile(r"[^.!?]+(?:[.!?]+[\"”’')\]]*|$)")


# ---------------------------------------------------------------------------------------- helpers


def _valid_day(y: int, m: int, d: int) -> tuple[str, SpanPrecision] | None:
    try:
        return date(y, m, d).isoformat(), "day"
    except ValueError:
        return None


def _proper_case(word: str) -> bool:
    """Month/weekday names count only capitalised or in capitals: "may", "march", "sun" are words."""
    return word[:1].isupper()


def _month_num(word: str) -> int:
    return _MONTHS[word[:3].lower()]


def _yearless(month: int, day: int | None, rel: str | None, reference: date | None) -> date | None:
    """The date of a yearless month/day given the reference (see find_dates for the policy)."""
    if reference is None:
        return None
    if rel:
        year = reference.year + {"last": -1, "this": 0, "next": 1}[rel.lower()]
    else:
        year = reference.year
        if (month, day or 1) > (reference.month, reference.day):
            year -= 1
    try:
        return date(year, month, day or 1)
    except ValueError:
        return None


def _resolve(name: str, m: re.Match[str], reference: date | None) -> DateSpan | None:
    """Turn one regex match into a DateSpan, or None when it is not a real date."""
    groups = m.groupdict()
    start, end = m.start(), m.end()
    if name in ("year", "mon"):  # the span is the date, not the word before it
        start = m.start("y") if name == "year" else m.start("mon")
    wd = groups.get("wd")
    mon = groups.get("mon")
    if mon is not None and not _proper_case(mon):
        return None
    if wd is not None and not _proper_case(wd):
        return None
    text = m.string
    has_wd = wd is not None

    def mk(value: str | None, prec: SpanPrecision, has_year: bool, rel: bool) -> DateSpan:
        return DateSpan(start, end, text[start:end], value, prec, has_year, has_wd, rel)

    if name == "iso":
        got = _valid_day(int(groups["y"]), int(groups["m"]), int(groups["d"]))
        return mk(got[0], "day", True, False) if got else None
    if name in ("dmy", "mdy"):
        assert mon is not None
        got = _valid_day(int(groups["y"]), _month_num(mon), int(groups["d"]))
        return mk(got[0], "day", True, False) if got else None
    if name == "num":
        num = _numeric(int(groups["a"]), int(groups["b"]), int(groups["y"]))
        return mk(num, "day", True, False) if num else None
    if name == "my":
        assert mon is not None
        return mk(f"{groups['y']}-{_month_num(mon):02d}", "month", True, False)
    if name == "year":
        return mk(groups["y"], "year", True, False)
    if name in ("dm", "md", "mon"):
        assert mon is not None
        day = int(groups["d"]) if groups.get("d") else None
        if day is not None and not 1 <= day <= 31:
            return None
        rel = groups.get("rel")
        if day is None and not rel:
            end = m.end("mon")  # "in July": the span is the month name
        resolved = _yearless(_month_num(mon), day, rel, reference)
        if day is not None and reference is not None and resolved is None:
            return None  # 31 February and the like
        if day is None:
            value = resolved.isoformat()[:7] if resolved else None
            return mk(value, "month", False, bool(rel))
        return mk(resolved.isoformat() if resolved else None, "day", False, bool(rel))
    if name == "wd":
        assert wd is not None
        return mk(_weekday(wd, groups.get("which"), reference), "day", False, True)
    return _relative(m.group(0), start, end, reference)


def _numeric(a: int, b: int, y: int) -> str | None:
    """A numeric date, only when the day/month order cannot matter.

    "4/11/2024" is 4 November in Europe and 11 April in the US; a page rarely says which
    convention it follows, so such dates are dropped rather than guessed.
    """
    if a > 12 >= b:
        got = _valid_day(y, b, a)
    elif b > 12 >= a or a == b:
        got = _valid_day(y, a, b)
    else:
        return None
    return got[0] if got else None


def _weekday(wd: str, which: str | None, reference: date | None) -> str | None:
    """The date of "Monday" / "last Monday" / "next Monday" seen from the reference.

    Plain "Monday" is the latest such day on or before the reference: news style names the
    weekday even for the day of publication ("said on Monday" in a Monday story), which is why
    this is computed here instead of by dateparser (which always goes a week back).
    """
    if reference is None:
        return None
    target = _WEEKDAYS[wd[:3].lower()]
    back = (reference.weekday() - target) % 7
    ordinal = reference.toordinal()
    if which and which.lower() == "next":
        ahead = (target - reference.weekday()) % 7 or 7
        return date.fromordinal(ordinal + ahead).isoformat()
    if which and which.lower() == "last" and back == 0:
        back = 7
    return date.fromordinal(ordinal - back).isoformat()


def _relative(phrase: str, start: int, end: int, reference: date | None) -> DateSpan | None:
    """A relative phrase ("yesterday", "last month", "3 years ago"), resolved by dateparser."""
    low = phrase.lower()
    prec: SpanPrecision = "year" if "year" in low else "month" if "month" in low else "day"
    value: str | None = None
    if reference is not None:
        got = _dateparser(low, reference)
        if got is None:
            return None
        value = got.isoformat()[: {"day": 10, "month": 7, "year": 4}[prec]]
    return DateSpan(start, end, phrase, value, prec, False, False, True)


@lru_cache(maxsize=4096)
def _dateparser(phrase: str, reference: date) -> date | None:
    """dateparser on one short phrase; cached because pages repeat phrases and the call is slow."""

    got = dateparser.parse(
        phrase,
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime.combine(reference, time()),
            "PREFER_DATES_FROM": "past",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return got.date() if got is not None else None
