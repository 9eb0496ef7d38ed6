"""Context for mention resolution: reference dates, titles, appositions and office categories.

These helpers answer the questions the resolver asks about the words *around* a name: which
office a title names ("National Defense Minister" and "Defence Minister" are the same office),
which state or organisation a title attaches it to ("South Korean", "NATO", "the EU's"),
whether it is a past office ("former"), and on which day the sentence holding a mention speaks.
They are pure functions of the parsed text, the article and the dictionary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from legation.actors.dictionary import DATA_CUTOFF, ActorDictionary
from legation.actors.dictionary_model import normalize
from legation.actors.titles import shipped_titles
from legation.models import Article

#: Office categories, tested in order on a normalised title or dictionary office. Categories,
#: not exact offices, because news writes the same office many ways ("National Defense
#: Minister", "defence chief", "Secretary of Defense"); comparing categories is what lets a
#: title confirm a dictionary role (and so a fuzzy spelling) without listing every variant.
_CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx))
    for name, rx in (
        ("deputy", r"\b(deputy|vice (foreign|defen[cs]e)|first vice)\b"),
        ("vp", r"\bvice president\b"),
        (
            "foreign",
            r"\b(foreign (minister|secretary|affairs|policy|office)|secretary of state|"
            r"high representative|top diplomat|chief diplomat)\b",
        ),
        (
            "defence",
            r"\b(defen[cs]e (minister|secretary|chief)|secretary of (defen[cs]e|war)|"
            r"national defen[cs]e minister|minister of (national )?defen[cs]e)\b",
        ),
        ("pm", r"\b(prime minister|premier|chancellor)\b"),
        ("sg", r"\b(secretary general|director general)\b"),
        ("president", r"\bpresident\b"),
        ("monarch", r"\b(king|queen|monarch|emir|sultan)\b"),
        ("leader", r"\b(supreme leader|leader)\b"),
    )
)

#: Words that carry an office (a run without one of these is not a title): the ``office`` terms
#: of ``data/actors/titles.yaml``.
OFFICE_WORDS = shipped_titles().office

#: Words that make a run of words before a name a title ("Defence Minister", "foreign policy
#: chief"). Only runs holding one of these count: a run of capitalised words alone is just
#: more name ("Major General Lena Persson Herlitz" still has "General"). The ``office`` and
#: ``title`` terms of ``data/actors/titles.yaml``.
TITLE_WORDS = shipped_titles().title

_FUNCTION = frozenset({"of", "the", "for", "and", "'s", "’s"})


def office_category(text: str | None) -> str | None:
    """The office category of a title or dictionary office, or None if it names none."""
    if not text:
        return None
    norm = normalize(text)
    for name, rx in _CATEGORIES:
        if rx.search(norm):
            return name
    return None


@dataclass
class TitleInfo:
    """What the words around a name say about the person: office, attached actor, tense.

    ``codes`` are the states/organisations the title names ("South Korean" -> KOR, "NATO"),
    ``office`` the remaining words ("Foreign Minister"), ``former`` whether the office is past.
    ``start`` is where a title before the name begins (the mention keeps only the name).
    """

    office: str | None = None
    codes: list[str] = field(default_factory=list)
    former: bool = False
    start: int | None = None
    source: str = ""

    @property
    def category(self) -> str | None:
        return office_category(self.office)

    def merge(self, other: TitleInfo) -> TitleInfo:
        """Combine a title before the name with an apposition after it (the title wins)."""
        if not other.office and not other.codes:
            return self
        if not self.office and not self.codes:
            return other
        return TitleInfo(
            office=self.office or other.office,
            codes=self.codes or other.codes,
            former=self.former or other.former,
            start=self.start,
            source=self.source or other.source,
        )


def codes_in(tokens: list[Any], dictionary: ActorDictionary) -> list[str]:
    """State/organisation codes named in a short run of tokens (demonyms, names, acronyms).

    Longest n-gram first, so "South Korean" gives KOR rather than "Korean" alone twice.
    """
    words = [t.text for t in tokens]
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(4, len(words) - i), 0, -1):
            piece = " ".join(words[i : i + n])
            if piece.lower() in _FUNCTION:
                continue
            code = dictionary.demonym(piece)
            if code is None:
                hits = [e for e in dictionary.lookup(piece) if e.kind in ("state", "igo")]
                whole = [e for e in hits if normalize(piece) in {normalize(a) for a in (e.name, *e.aliases)}]
                code = whole[0].code if len(whole) == 1 else None
            if code:
                if code not in out:
                    out.append(code)
                i += n
                break
        else:
            i += 1
    return out


def _title_from(tokens: list[Any], dictionary: ActorDictionary, source: str) -> TitleInfo:
    lowered = [t.lower_ for t in tokens]
    if not any(w in OFFICE_WORDS or w.rstrip("s") in OFFICE_WORDS for w in lowered):
        # "Lithuania's Arvydas Anusauskas": a possessive state right before the name says whom
        # the person acts for, even without an office.
        if source == "title" and len(tokens) >= 2 and tokens[-1].text in ("'s", "’s"):
            codes = codes_in(tokens[:-1], dictionary)
            if len(codes) == 1:
                return TitleInfo(office=None, codes=codes, start=tokens[0].idx, source=source)
        return TitleInfo()
    codes = codes_in(tokens, dictionary)
    # The office is the run of title words at the end ("Secretary of State", "high representative
    # for foreign affairs"), keeping inner "of/for" so that office categories still match.
    k = len(tokens)
    while k > 0 and tokens[k - 1].lower_ in TITLE_WORDS and tokens[k - 1].lower_ not in ("'s", "’s"):
        k -= 1
    tail = [t for t in tokens[k:] if t.lower_ != "former"]
    while tail and tail[0].lower_ in _FUNCTION:
        tail = tail[1:]
    if not any(t.lower_ in OFFICE_WORDS for t in tail):
        tail = [t for t in tokens if t.lower_ in TITLE_WORDS and t.lower_ not in _FUNCTION | {"former"}]
    office = " ".join(t.text for t in tail) or None
    return TitleInfo(
        office=office,
        codes=codes,
        former="former" in lowered or "ex" in lowered,
        start=tokens[0].idx if tokens else None,
        source=source,
    )


def title_before(
    doc: Any, start: int, dictionary: ActorDictionary, stop: frozenset[int] = frozenset()
) -> TitleInfo:
    """The title phrase right before token ``start`` ("South Korean Foreign Minister").

    Walks left over capitalised words, title words and "of/the/'s" until a punctuation mark or
    an ordinary lower-case word: "where I met Defence Minister X" yields "Defence Minister".
    Tokens in ``stop`` (other people's names) end the walk, so in "Foreign Minister Park Jin and
    Defence Minister Lee" the second title does not swallow the first person.
    """
    i = start - 1
    sent_start = doc[start].sent.start
    while i >= sent_start:
        tok = doc[i]
        if i in stop or (tok.is_punct and tok.text not in ("-",)):
            break
        low = tok.lower_
        if not (low in TITLE_WORDS or tok.is_title or tok.is_upper or tok.text in ("'s", "’s", "-")):
            break
        if tok.pos_ in ("VERB", "AUX") and low not in TITLE_WORDS:
            break
        i -= 1
    if (
        i == start - 1
        and i > sent_start
        and doc[i].text == ","
        and doc[i - 1].lower_ in OFFICE_WORDS | {"diplomat"}
    ):
        # "The EU's top diplomat, Kaja Kallas, said": a title set off by a comma.
        return title_before(doc, i, dictionary, stop)
    tokens = [t for t in doc[i + 1 : start]]
    while tokens and tokens[0].lower_ in _FUNCTION:
        tokens = tokens[1:]
    return _title_from(tokens, dictionary, "title")


def apposition_after(doc: Any, end: int, dictionary: ActorDictionary) -> TitleInfo:
    """An apposition after a name: ", the EU's high representative for ...," / ", the former X".

    Only the clause up to the next punctuation counts, and it must start like a description
    (a determiner, "former", or a title word), so "Borrell, Cho and Iwaya" is not one.
    """
    if end >= len(doc) or doc[end].text != ",":
        return TitleInfo()
    tokens: list[Any] = []
    for tok in doc[end + 1 : end + 16]:
        if tok.is_punct and tok.text not in ("-", "'s", "’s"):
            break
        if tok.pos_ in ("VERB", "AUX") or tok.lower_ in ("who", "which", "that"):
            break
        tokens.append(tok)
    if not tokens:
        return TitleInfo()
    first = tokens[0].lower_
    if first not in ("the", "a", "an", "former", "then") and first not in TITLE_WORDS:
        return TitleInfo()
    # Stop at a coordinated second noun phrase ("the former UN Secretary General and other
    # civil society representatives"): what follows "and" describes somebody else.
    cut = next((k for k, t in enumerate(tokens) if t.lower_ == "and" and k > 1), len(tokens))
    info = _title_from(tokens[:cut], dictionary, "apposition")
    info.start = None
    return info


# ---------------------------------------------------------------------- dates
@dataclass(frozen=True)
class DateFrame:
    """What the article says about its dates: published (maybe reduced) and a role window."""

    published: date | None
    span: tuple[date, date] | None
    window: tuple[date, date | None] | None


def parse_published(value: str | None) -> tuple[date | None, tuple[date, date] | None]:
    """An ISO day, or the span a reduced ISO date ("2024", "2024-11") covers."""
    if not value:
        return None, None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", value):
            return date.fromisoformat(value[:10]), None
        if re.fullmatch(r"\d{4}-\d{2}", value):
            y, m = int(value[:4]), int(value[5:7])
            nxt = date(y + (m == 12), m % 12 + 1, 1)
            return None, (date(y, m, 1), nxt - timedelta(days=1))
        if re.fullmatch(r"\d{4}", value):
            y = int(value)
            return None, (date(y, 1, 1), date(y, 12, 31))
    except ValueError:
        return None, None
    return None, None


def _midpoint(lo: date, hi: date | None) -> date:
    # An open window (someone still in office at the data cut-off) ends at the cut-off: the
    # dictionary knows nothing later, so a later day would only be a guess.
    hi = hi if hi is not None else max(lo, DATA_CUTOFF)
    return lo + (hi - lo) / 2


def reference_day(frame: DateFrame, article: Article, offset: int) -> date | None:
    """The day a mention at ``offset`` speaks of.

    Precedence (each step is more specific than the next): the date of the dateline item
    holding the mention; the article's published day; a reduced published date narrowed by
    the office-holders the text names (their common tenure), else its middle; the office-holders'
    common tenure alone (its middle); None when nothing dates the text.
    """
    for line in article.datelines:
        if line.start <= offset < line.end and line.date:
            day, _ = parse_published(line.date)
            if day:
                return day
    if frame.published:
        return frame.published
    if frame.span:
        lo, hi = frame.span
        if frame.window:
            wlo, whi = frame.window
            a, b = max(lo, wlo), hi if whi is None else min(hi, whi)
            if a <= b:
                return _midpoint(a, b)
        return _midpoint(lo, hi)
    if frame.window:
        return _midpoint(*frame.window)
    return None
