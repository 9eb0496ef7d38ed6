"""When an agreement's lifecycle steps happened, as the article tells it, and how that is known.

A sentence reports a step with a cue word of ``data/agreements/stages.yaml`` ("signed",
"entered into force", ...). The cue belongs to the instrument whose name it governs: a cue
before a name ("signed a memorandum") up to the name, a cue after it ("the treaty, signed in
1998", "the agreement that the two countries signed last week", "which came into force in
October 2023") up to the next name; so of "launched a Digital Partnership in 2022 and a Green
Partnership in 2023" each name gets its own date, and a cue about something else in a long
sentence dates nothing.

A step's date, best first (``date_basis``):

* ``text``: a date printed right after the name or right after the cue, resolved against the
  sentence's reference date when it is relative ("on Monday", "yesterday", "last week" (the
  week's Monday, precision ``week``), "a day earlier", "earlier this month", "last spring"
  (the year, precision ``season``));
* ``event``: the event coder's date of the sentence's lifecycle event, or that of the sentence
  before in the same paragraph (:func:`narrative_date`);
* ``dateline`` / ``published``: the item's dateline date, else the publication date, for a
  step the sentence reports as news ("Poland and Lithuania also signed a memorandum").

A step cited as past ("the treaty it had signed", "the agreement recently signed by ...", "the
only states to have signed") with no date in the text gets none: the publication day is not its
date. A step the text says was not taken ("failed to sign", "signing a deal has proved elusive")
is no step.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from typing import Any, NamedTuple

from legation.clean.dates import find_dates
from legation.datafile import DataFileError, load_sections
from legation.extract.lifecycle import shipped_stages

#: Auxiliary modes of events that have not happened: a "will sign" dates no signing.
UNREAL = frozenset({"future", "hypothetical", "negated"})

_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
#: Relative phrases :func:`legation.clean.dates.find_dates` leaves alone, and the year an
#: instrument "dates from".
_EXTRA = re.compile(
    r"\b(?P<wk>last|this|past|previous)\s+week\b"
    r"|\b(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven)\s+(?P<du>days?|weeks?)\s+(?:earlier|before)\b"
    r"|\bthe\s+(?P<prev>day|week)\s+before\b(?!\s+\w+ed\b)"
    r"|\b(?:earlier|early|at\s+the\s+(?:beginning|start)\s+of|in\s+the\s+first\s+days\s+of)\s+this\s+"
    r"(?P<cur>month|year)\b"
    r"|\bthis\s+(?P<cur2>month|year)\b"
    r"|\blast\s+(?P<season>spring|summer|autumn|fall|winter)\b"
    r"|\bdat(?:ing|es|ed)\s+(?:back\s+)?(?:from|to)\s+(?P<yr>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
#: Season -> its months (winter starts in December of the year before the one it is named by).
_SEASON_END = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11, "winter": 2}
#: Words that make a cue a citation of a past step: its date is not the article's.
_PAST = re.compile(
    r"\b(?:recently|previously|already|earlier|once|long\s+ago|had|to\s+have|having)\s*$"
    r"|^\s*(?:recently|previously|earlier)\b",
    re.I,
)


_DATES_SOURCE = "legation/data/agreements/dates.yaml"


class DateWords(NamedTuple):
    """The compiled patterns of ``dates.yaml``."""

    #: A reporting verb right before a date ("said on Thursday").
    said: re.Pattern[str]
    #: "<N> days/weeks <after word>" ending right before a cue's clause.
    after: re.Pattern[str]
    #: Words right before a cue that say the step was not taken ("failed to sign").
    untaken_before: re.Pattern[str]
    #: Words after a cue, in its clause, that say so ("signing a deal has proved elusive").
    untaken_after: re.Pattern[str]


_SECTIONS = ("reporting_verbs", "after_words", "untaken_before", "untaken_after")


def parse_date_words(text: str, source: str = _DATES_SOURCE) -> DateWords:
    """The patterns of a dates file (:class:`DateWords`).

    Raises:
        DataFileError: not valid YAML, an unknown section, a section that is no non-empty
            list of words, or an ``untaken`` entry that is no regular expression.
    """
    data = load_sections(text, source, _SECTIONS)
    words: dict[str, list[str]] = {}
    for section in _SECTIONS:
        raw = data.get(section)
        if not isinstance(raw, list) or not raw or not all(isinstance(w, str) and w.strip() for w in raw):
            raise DataFileError(f"{source}: '{section}' must be a non-empty list of words")
        words[section] = [w.strip() if section.startswith("untaken") else re.escape(w.strip()) for w in raw]
    said = re.compile(rf"\b(?:{'|'.join(words['reporting_verbs'])})\s+$", re.IGNORECASE)
    after = re.compile(
        r"\b(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven)\s+(?P<du>days?|weeks?)\s+"
        rf"(?:{'|'.join(words['after_words'])})\b[^,;.]*$",
        re.IGNORECASE,
    )
    try:
        before = re.compile(rf"\b(?:{'|'.join(words['untaken_before'])})\s+$", re.IGNORECASE)
        later = re.compile(rf"[^,;.]{{0,60}}?\b(?:{'|'.join(words['untaken_after'])})\b", re.IGNORECASE)
    except re.error as exc:
        raise DataFileError(f"{source}: an 'untaken' entry is not a regular expression: {exc}") from None
    return DateWords(said, after, before, later)


_WORDS = parse_date_words(
    resources.files("legation").joinpath("data", "agreements", "dates.yaml").read_text(encoding="utf-8")
)
_SAID, _AFTER = _WORDS.said, _WORDS.after


#: A modal, "yet to" or an intention right before a cue: the step is still to come ("must
#: still be ratified", "is expected to travel to Kyiv next year to sign").
_PLANNED = re.compile(
    r"(?:\b(?:must|will|would|should|could|may|might|shall|(?:yet|due|still|is|are|was|were)\s+to)\s+"
    r"(?:(?:still|not|yet|soon|also|first)\s+)?(?:be\s+)?"
    r"|\b(?:expect\w*|plan(?:s|ned|ning)?|intends?|intended|hopes?|hoped|aims?|seeks?|scheduled)\b"
    r"[^.;,]{0,40}\bto\s+)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Dated:
    """A date expression of a sentence: offsets in the sentence, ISO value, precision."""

    start: int
    end: int
    value: str
    precision: str


def reference(article: dict[str, Any], s0: int) -> tuple[date | None, str]:
    """The day a sentence at offset ``s0`` is written from, and its basis name.

    The dateline of the press item holding the sentence (``dateline``), else the publication
    date (``published``); ``None`` when neither gives a day.
    """
    for dl in article.get("datelines") or []:
        if dl.get("start", 0) <= s0 < dl.get("end", 0) and dl.get("date"):
            got = _day(str(dl["date"]))
            if got:
                return got, "dateline"
    return _day(str(article.get("published") or "")), "published"


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if len(value) >= 10 else None
    except ValueError:
        return None


def text_dates(sentence: str, ref: date | None) -> list[Dated]:
    """The dated expressions of a sentence, relative ones resolved against ``ref``."""
    out = [
        Dated(sp.start, sp.end, sp.value, sp.precision)
        for sp in find_dates(sentence, reference=ref)
        if sp.value
    ]
    if ref is not None:
        for m in _EXTRA.finditer(sentence):
            got = _extra(m, ref)
            if got and not any(d.start < m.end() and m.start() < d.end for d in out):
                out.append(Dated(m.start(), m.end(), *got))
    return sorted(out, key=lambda d: d.start)


def _extra(m: re.Match[str], ref: date) -> tuple[str, str] | None:
    if m.group("wk"):
        shift = 0 if m.group("wk").lower() == "this" else -1
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=shift)
        return monday.isoformat(), "week"
    if m.group("n"):
        n = _NUM.get(m.group("n").lower()) or int(m.group("n"))
        if m.group("du").lower().startswith("week"):
            return (ref - timedelta(weeks=n)).isoformat(), "week"
        return (ref - timedelta(days=n)).isoformat(), "day"
    if m.group("prev"):
        if m.group("prev").lower() == "day":
            return (ref - timedelta(days=1)).isoformat(), "day"
        return (ref - timedelta(weeks=1)).isoformat(), "week"
    if m.group("yr"):
        return m.group("yr"), "year"  # "a memorandum dating from 2018"
    cur = m.group("cur") or m.group("cur2")
    if cur:
        return (ref.isoformat()[:7], "month") if cur.lower() == "month" else (str(ref.year), "year")
    season = m.group("season").lower()
    end_month = _SEASON_END[season]
    year = ref.year if ref.month > end_month else ref.year - 1
    return str(year), "season"


@dataclass(frozen=True)
class Cue:
    """A lifecycle cue of a sentence: its stage and offsets."""

    stage: str
    start: int
    end: int


def cues(sentence: str) -> list[Cue]:
    """Every lifecycle cue of a sentence, in text order."""
    found = [Cue(st.key, m.start(), m.end()) for st in shipped_stages() for m in st.cue.finditer(sentence)]
    return sorted(found, key=lambda c: c.start)


def narrative_date(events: Sequence[dict[str, Any]], text: str, s0: int, published: str | None) -> str | None:
    """The date the previous sentence of the same paragraph gives its event, if the text gave one.

    "I travelled to Tokyo and Seoul at the beginning of this month. We concluded new
    partnerships with Japan and South Korea": an undated step told right after a dated one
    happened then. Only a date the text states counts (an undated event gets its week from
    the publication date: precision ``week``), and only one not after publication.
    """
    para = text.rfind("\n\n", 0, s0)
    prev = [e for e in events if e["end"] <= s0 and e["start"] > para and e.get("aux") not in UNREAL]
    prev = [e for e in prev if e.get("date") and e.get("precision") not in (None, "week", "unknown")]
    if not prev:
        return None
    last = max(prev, key=lambda e: e["end"])
    if text[last["end"] : s0].count(".") > 1:
        return None  # not the sentence right before
    day = str(last["date"])
    return day if not published or day <= published[: len(day)] else None


def sentence_date(
    events: Sequence[dict[str, Any]], s0: int, s1: int, carried: str | None = None
) -> tuple[str | None, bool]:
    """The event coder's date of a sentence's lifecycle step, and whether any step happened.

    The coder resolved the sentence's dates against the dateline or publication date ("signed
    on Friday", "ratified in 2019"): the dated real event whose trigger is a cue gives the day;
    an event the coder dated only by the publication week (precision ``week``: the sentence
    has no date) gives none. A sentence whose every event is future, hypothetical or negated
    ("will sign the pact next month") reports no step. ``carried``: :func:`narrative_date`.
    """
    evs = [e for e in events if e["start"] < s1 and s0 < e["end"]]
    if evs and all(e.get("aux") in UNREAL for e in evs):
        return None, False
    for e in evs:
        trig = str(e.get("trigger") or "")
        if e.get("date") and e.get("aux") not in UNREAL and cues(trig) and e.get("precision") != "week":
            return str(e["date"]), True
    return carried, True


@dataclass(frozen=True)
class StageDate:
    """A step's date (``None``: the text gives none), how it was found and its precision."""

    day: str | None
    basis: str
    precision: str | None = None


def stage_dates(
    sentence: str,
    name: tuple[int, int],
    others: Sequence[tuple[int, int]],
    when: tuple[str | None, bool],
    ref: tuple[date | None, str],
) -> dict[str, StageDate]:
    """The steps a sentence reports of the instrument named at ``name`` (sentence offsets).

    ``others`` are the spans of the sentence's other instrument names, ``when`` is
    :func:`sentence_date`, ``ref`` is :func:`reference`. See the module doc for the rules.
    """
    if not when[1]:
        return {}
    n0, n1 = name
    lo = max((e for s, e in others if e <= n0), default=0)
    hi = min((s for s, e in others if s >= n1), default=len(sentence))
    dates = text_dates(sentence, ref[0])
    own = next((d for d in dates if n1 <= d.start <= n1 + _gap(sentence, n1, hi)), None)
    own = None if own is None or _future(own, ref[0]) else own
    mine = [c for c in cues(sentence) if lo <= c.start and c.end <= hi and _governs(sentence, c, name)]
    if not mine and _coordinated(sentence, lo, n0):
        # "launched a Digital Partnership in 2022 and a Green Partnership in 2023": the verb
        # before the first name governs the second too.
        mine = [c for c in cues(sentence) if c.end <= lo and _governs(sentence, c, (c.end, lo))]
    out: dict[str, StageDate] = {}
    for c in mine:
        got = _cue_date(sentence, c, name, hi, dates, own, when, ref)
        if got is None:
            continue  # "to be signed next month": a planned step, not one taken
        have = out.get(c.stage)
        if have is None or _rank(got) < _rank(have):
            out[c.stage] = got
    if not mine and own is not None and own.precision == "year" and not out:
        # "after the Visiting Forces Agreement with the United States in 1998": a year printed
        # right after a name no verb governs dates it as a name's year does (``by_year``).
        stage = next((s.key for s in shipped_stages() if s.by_year), None)
        if stage is not None:
            return {stage: StageDate(own.value, "text", "year")}
    return _named_by_year(sentence, name, ref[0], out)


_YEAR_BEFORE = re.compile(r"\b((?:19|20)\d{2})(?:'s)?\s+$")
_YEAR_FIRST = re.compile(r"((?:19|20)\d{2})\s")


def _named_by_year(
    sentence: str, name: tuple[int, int], ref: date | None, out: dict[str, StageDate]
) -> dict[str, StageDate]:
    """Add the step a year before the name dates ("the 1953 Mutual Defense Treaty"; the
    ``by_year`` stage of ``stages.yaml``) unless the sentence already dates that step."""
    stage = next((s.key for s in shipped_stages() if s.by_year), None)
    if stage is None or (out.get(stage) is not None and out[stage].day):
        return out
    n0, n1 = name
    m = _YEAR_BEFORE.search(sentence[max(0, n0 - 8) : n0]) or _YEAR_FIRST.match(sentence[n0:n1])
    if m is None or (ref is not None and m.group(1) > str(ref.year)):
        return out
    return {**out, stage: StageDate(m.group(1), "text", "year")}


#: After a name, before its own date: a partner ("with the United States"), a place ("in
#: Ankara"), then the date's preposition ("signed a memorandum ... in Ankara on Wednesday").
_PARTNER = re.compile(
    r"(?:\s+with\s+(?:the\s+)?(?:[A-Z][\w.-]*\s*)+?)?"
    r"(?:\s+in\s+(?:the\s+)?(?:[A-Z][\w.-]*\s*)+?)?"
    r"\s+(?:in|on|of|from|since)\s+"
)


#: How a date was found, best first (:func:`stage_dates` keeps the best per stage).
BASIS_RANK = {"text": 0, "event": 1, "dateline": 2, "published": 3}


def _rank(d: StageDate) -> int:
    return BASIS_RANK.get(d.basis, 9) if d.day else 10


def _gap(sentence: str, n1: int, hi: int) -> int:
    """How far after a name its own date may start: " in 2023", " with the United States in
    1960" (a partner, no verb and no comma between) or " in Ankara on Wednesday" (a place)."""
    m = _PARTNER.match(sentence[n1:hi])
    return m.end() if m else 1


def _future(d: Dated, ref: date | None) -> bool:
    return ref is not None and d.value[:10] > ref.isoformat()[: len(d.value[:10])]


def _governs(sentence: str, c: Cue, name: tuple[int, int]) -> bool:
    """Whether cue ``c`` reports a step of the instrument at ``name``: it comes shortly before
    the name ("signed a ...", "announced the new ...") or after it in the same clause ("...,
    signed in 1998", "... that the two countries signed", "..., which came into force")."""
    n0, n1 = name
    if c.end <= n0:
        gap = sentence[c.end : n0]
        return len(gap) <= 45 and not re.search(r"[;:]|\b(?:under|according|about|over|against|to)\b", gap)
    if c.start >= n1:
        gap = sentence[n1 : c.start]
        return len(gap) <= 70 and not _NEW_CLAUSE.search(gap)
    return True  # the cue is inside the name ("the Proposed ... Treaty")


#: Between a name and a cue after it: a new clause, whose verb is not about the name.
_NEW_CLAUSE = re.compile(
    r"[;:]|,\s*(?:and|but|while|as)\b|\b(?:and|but)\s+(?:then\s+)?(?:it|they|we|he|she)\b"
)


def _coordinated(sentence: str, lo: int, n0: int) -> bool:
    return lo > 0 and bool(re.fullmatch(r"[^,;.]{0,25}\s+and\s+(?:a|an|the)?\s*", sentence[lo:n0]))


def _cue_date(
    sentence: str,
    c: Cue,
    name: tuple[int, int],
    hi: int,
    dates: Sequence[Dated],
    own: Dated | None,
    when: tuple[str | None, bool],
    ref: tuple[date | None, str],
) -> StageDate | None:
    """The date of one cue's step (see the module doc for the order); ``None`` when the date
    after the cue lies after the reference date (a planned step) or the text says the step was
    not taken."""
    if _WORDS.untaken_before.search(sentence[max(0, c.start - 40) : c.start]) or _WORDS.untaken_after.match(
        sentence, c.end
    ):
        return None  # "failed to sign", "signing a deal has proved elusive": a step not taken
    if own is not None:
        return StageDate(own.value, "text", own.precision)
    stop = hi if c.start >= name[1] else len(sentence)
    near = next((d for d in dates if c.end <= d.start <= min(c.end + 60, stop)), None)
    if near is not None and _future(near, ref[0]):
        return None
    if _PLANNED.search(sentence[max(0, c.start - 60) : c.start]):
        return None  # "must still be ratified", "has yet to be signed": a step still to come
    if near is not None:
        return StageDate(near.value, "text", near.precision)
    if _PAST.search(sentence[max(0, c.start - 14) : c.start]) or _PAST.search(sentence[c.end : c.end + 12]):
        return StageDate(None, "text")  # "recently signed": a past step the text does not date
    if re.match(r"\s+of\b", sentence[c.end :]):
        return StageDate(None, "text")  # "the launch of this partnership": the step as a topic
    cited = c.start >= name[1] and re.match(r"\s*,?\s*(?:that|which)\b", sentence[name[1] : c.start])
    relative = _days_after(sentence, c, dates, ref[0]) or (None if cited else _said_day(sentence, c, dates))
    if relative is not None:
        return relative
    day0 = ref[0].isoformat() if ref[0] is not None else None
    if when[0] and when[0] == day0 and all(_stated(sentence, d, day0) for d in dates):
        # The coder dated a sentence that prints no date but the reference day itself (a
        # dateline's own "30 January 2025") by that day: the dateline's (or publication's) date,
        # not the text's ("today", "on Thursday" are the text's).
        return StageDate(when[0], ref[1], "day")
    if when[0]:
        return StageDate(when[0], "event")
    if cited:
        return StageDate(None, "text")  # "the treaty that they signed": cited, not reported
    day, basis = ref
    return StageDate(day.isoformat() if day else None, basis, "day" if day else None)


def _days_after(sentence: str, c: Cue, dates: Sequence[Dated], ref: date | None) -> StageDate | None:
    """ "..., its speaker said on Sunday, two days after the two presidents signed the treaty":
    the step is that many days (weeks) before the date printed before the phrase, else before
    the reference day."""
    m = _AFTER.search(sentence[max(0, c.start - 80) : c.start])
    if m is None:
        return None
    at = max(0, c.start - 80) + m.start()
    anchor = next((d for d in reversed(dates) if d.end <= at and d.precision == "day"), None)
    base = date.fromisoformat(anchor.value) if anchor is not None else ref
    if base is None:
        return None
    n = _NUM.get(m.group("n").lower()) or int(m.group("n"))
    weeks = m.group("du").lower().startswith("week")
    day = base - (timedelta(weeks=n) if weeks else timedelta(days=n))
    return StageDate(day.isoformat(), "text", "week" if weeks else "day")


def _said_day(sentence: str, c: Cue, dates: Sequence[Dated]) -> StageDate | None:
    """ "Armenia and Azerbaijan have finalised the text ..., the ministries said on Thursday": a
    step reported as news without a date of its own happened on the day its source said so
    (a day printed right after a reporting verb after the cue)."""
    for d in dates:
        if d.start > c.end and d.precision == "day":
            lead = re.sub(r"\s*\bon\s*$", " ", sentence[max(c.end, d.start - 40) : d.start])
            if _SAID.search(lead):
                return StageDate(d.value, "text", "day")
    return None


def _stated(sentence: str, d: Dated, day: str | None) -> bool:
    """Whether a date expression is the reference day written out ("30 January 2025"), as a
    dateline prints it, rather than a relative word resolved to it."""
    return d.value == day and any(ch.isdigit() for ch in sentence[d.start : d.end])
