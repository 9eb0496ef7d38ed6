"""Resolving people: dictionary names, titles, appositions, confirmed misspellings, short forms.

A person resolves to what they acted for *on the mention's reference date* (see
:func:`legation.actors.resolve_context.reference_day`). The rules, in order of precedence:

1. **coreference** of a short form (a surname, "Cho", "Kim") to the most recent person seen
   earlier in the article whose name holds that word;
2. **dictionary**: the name or an alias; several hits are narrowed by the title's state and
   office; the role held that day gives code, sector and role;
3. **fuzzy**: a name the dictionary lacks, *confirmed* by a title whose office category and
   state (from the title or the surrounding two sentences) match a dictionary office-holder on
   that day with a near-identical name (rapidfuzz ratio >= 80). Never without such a title;
4. **title/apposition**: an unknown person whose title names a state or organisation
   ("NATO Secretary General X", "X, the former Estonian prime minister") takes that code;
5. anything else stays unresolved and is not emitted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rapidfuzz import fuzz

from legation.actors.dictionary import ActorDictionary, ActorEntry, Role
from legation.actors.dictionary_model import normalize
from legation.actors.resolve_context import TITLE_WORDS, TitleInfo, office_category

#: Minimum rapidfuzz ratio for a misspelt name. 80 admits one transposition in a short name
#: ("Gen Natakani" vs "Gen Nakatani" = 83) while different people with the same office (Kim
#: Young Hyun vs Kim Jong Un = 67) stay apart; the title's office and state must agree as well.
FUZZY_MIN = 80.0

#: Sector an office category implies for a person the dictionary lacks.
_CATEGORY_SECTOR = {"defence": "MIL"}

_SUCCEEDED_BY = re.compile(r"\b(succeeded|replaced)\s+by\s*$", re.I)
_WILL_SUCCEED = re.compile(r"^\s*(will|would|is to|is set to|to|,? who will)?\s*(succeed|replace)s?\b", re.I)


@dataclass
class Person:
    """A person resolved in this article, kept for coreference of later short forms."""

    actor_id: str | None
    name: str
    code: str | None
    sector: str | None
    role: str | None
    category: str | None
    keys: set[str] = field(default_factory=set)
    start: int = 0


def name_keys(*names: str) -> set[str]:
    """Words of a name that can stand alone for it later ("Borrell", "Cho", "Kim")."""
    keys: set[str] = set()
    for name in names:
        for word in normalize(name).split():
            if len(word) >= 2 and word not in TITLE_WORDS:
                keys.add(word)
    return keys


def role_matches(role: Role, title: TitleInfo) -> bool:
    """Whether a dictionary role is the office a title names (same category, same actor)."""
    cat = title.category
    if cat and office_category(role.office) != cat:
        return False
    return not title.codes or role.code in title.codes


def _role_in(entry: ActorEntry, title: TitleInfo, lo: date, hi: date | None) -> Role | None:
    """A role the title names that overlaps [lo, hi] (the article's possible dates)."""
    for role in entry.roles:
        if not role_matches(role, title):
            continue
        if (role.end is None or role.end >= lo) and (hi is None or role.start is None or role.start <= hi):
            return role
    return None


def code_for(
    dictionary: ActorDictionary,
    entry: ActorEntry,
    day: date | None,
    title: TitleInfo,
    window: tuple[date, date | None] | None,
) -> tuple[str | None, str | None, str | None]:
    """``(code, sector, role)`` of a dictionary person on ``day``, checked against the title.

    * the role held on the day, unless the title calls that office "former";
    * when the day is only an estimate (the middle of a role window) and the title names an
      office the person held within the window, that office: the text is the better witness;
    * no office that day but the title or apposition states a current one the dictionary lacks
      ("Mark Carney, the UN special envoy"): the stated office;
    * no day at all: the office the title names; else the one code all the person's offices
      share; else nothing (``None``: Rutte undated and untitled may be NLD or NATO);
    * no office: nationality with the person's own sector (ELI for former officials).
    """
    if day is None:
        if title.office and not title.former:
            for stated in sorted(entry.roles, key=lambda r: r.start or date.min, reverse=True):
                if role_matches(stated, title):
                    return stated.code, stated.sector, stated.office
        codes = {r.code for r in entry.roles}
        if len(codes) == 1 and not title.former:
            only = max(entry.roles, key=lambda r: (r.end or date.max, r.rank))
            return only.code, only.sector, only.office
        if not entry.roles or (title.former and codes == {entry.code}):
            return entry.code, entry.sector, None
        return None, None, None
    role = dictionary.role_on(entry.actor_id, day)
    if role is not None and title.former and role_matches(role, title):
        role = None
    elif role is not None and title.office and not title.former and not role_matches(role, title) and window:
        in_window = _role_in(entry, title, *window)
        if in_window is not None:
            role = in_window
    if role is not None:
        return role.code, role.sector, role.office
    if title.office and title.codes and not title.former:
        return title.codes[0], _CATEGORY_SECTOR.get(title.category or "", "GOV"), title.office
    return entry.code, entry.sector or ("ELI" if entry.roles else None), None


def pick_entry(
    dictionary: ActorDictionary, entries: list[ActorEntry], day: date | None, title: TitleInfo
) -> ActorEntry | None:
    """One person out of several dictionary hits: the one whose office fits the title/day."""
    people = [e for e in entries if e.kind == "person"]
    if len(people) <= 1:
        return people[0] if people else None
    if title.codes or title.category:
        fit = [
            e
            for e in people
            if any(role_matches(r, title) and (day is None or r.held_on(day)) for r in e.roles)
            or (not title.category and e.code in title.codes)
        ]
        if len(fit) == 1:
            return fit[0]
    if day is not None:
        active = [e for e in people if dictionary.role_on(e.actor_id, day) is not None]
        if len(active) == 1:
            return active[0]
    return None


def fuzzy_person(
    dictionary: ActorDictionary,
    text: str,
    title: TitleInfo,
    context_codes: list[str],
    day: date | None,
) -> tuple[ActorEntry, Role] | None:
    """A misspelt office-holder, only when the title's office and state confirm it.

    Candidates are people holding an office of the title's category for one of the states the
    title or the surrounding sentences name, on the mention's day. The best name must reach
    :data:`FUZZY_MIN` and beat the runner-up, otherwise nothing is guessed.
    """
    cat = title.category
    # An office category ("Defence Minister") or a named actor ("NATO chief") must confirm.
    if day is None or (cat is None and not title.codes) or title.former:
        return None
    codes = title.codes or context_codes
    if not codes:
        return None
    key = normalize(text)
    scored: list[tuple[float, ActorEntry, Role]] = []
    for entry in dictionary.of_kind("person"):
        role = next(
            (
                r
                for r in entry.roles
                if r.held_on(day) and r.code in codes and (cat is None or office_category(r.office) == cat)
            ),
            None,
        )
        if role is None:
            continue
        score = max(fuzz.ratio(key, normalize(n)) for n in (entry.name, *entry.aliases))
        scored.append((score, entry, role))
    scored.sort(key=lambda s: -s[0])
    if not scored or scored[0][0] < FUZZY_MIN:
        return None
    if len(scored) > 1 and scored[1][0] >= scored[0][0]:
        return None
    return scored[0][1], scored[0][2]


def title_only(title: TitleInfo, dictionary: ActorDictionary) -> tuple[str, str | None] | None:
    """``(code, sector)`` an unknown person's title gives ("NATO Secretary General X").

    A former office leaves the person with that state as a former official (``ELI``), the same
    convention the dictionary uses for its own former office-holders.
    """
    if not title.codes:
        return None
    code = title.codes[0]
    if not title.office:
        entry = dictionary.by_code(code)
        return (code, None) if entry is not None and entry.kind == "state" else None
    if title.former:
        entry = dictionary.by_code(code)
        return (code, "ELI") if entry is not None and entry.kind == "state" else None
    return code, _CATEGORY_SECTOR.get(title.category or "", "GOV")


def successor_of(
    doc: Any, text: str, span_start: int, span_end: int, persons: list[Person], later: list[Person]
) -> Person | None:
    """The predecessor when the text says this person succeeds somebody.

    "he will be succeeded by Y" -> the most recent person before Y; "Y will succeed X" -> X.
    Used only for a person holding no office that day: a successor-designate acts for the
    office they are taking over (Kaja Kallas announced as Borrell's successor: EU).
    """
    sent = doc[span_start].sent
    before = text[sent.start_char : doc[span_start].idx]
    if _SUCCEEDED_BY.search(before):
        prior = [p for p in persons if p.role]
        return prior[-1] if prior else None
    after = text[doc[span_end - 1].idx + len(doc[span_end - 1].text) : sent.end_char]
    if _WILL_SUCCEED.match(after):
        nxt = [p for p in later if p.role]
        return nxt[0] if nxt else None
    return None
