"""Quantities in a sentence: troops, weapons, money, casualties and displaced people.

Numbers are found with patterns rather than a parser because the phrasing of figures in news
copy is narrow ("approximately 10,000 soldiers", "$1.5 billion", "10 trillion won") and a
pattern keeps the character span exact, which claims need for evidence. Each quantity carries
its normalised value, a unit (a currency code or a noun class), the hedging qualifier and the
span. :func:`quantities` returns every quantity of a text; :func:`event_quantity` is the hook
the event coder calls for the one quantity of an event sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import resources
from typing import Any

from legation.datafile import DataFileError, load_sections, phrase_alternation

#: Scale words and suffixes, so "$1.5 billion" and "€50m" normalise to plain numbers.
SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}


def _load_units() -> dict[str, Any]:
    """The shipped ``data/claims/units.yaml``: currency symbols and words, victim classes."""
    source = "data/claims/units.yaml"
    text = resources.files("legation").joinpath("data", "claims", "units.yaml").read_text(encoding="utf-8")
    sections = (
        "symbols",
        "words",
        "by_state",
        "victims",
        "follow_on",
        "makers",
        "number_words",
        "worded_not",
        "persons",
        "not_people",
    )
    data = load_sections(text, source, sections)
    for section in ("symbols", "words", "by_state", "victims", "follow_on", "number_words"):
        if not isinstance(data.get(section), dict) or not data[section]:
            raise DataFileError(f"{source}: {section} must be a non-empty mapping")
    for key in ("before", "after"):
        cues = data["follow_on"].get(key)
        if not isinstance(cues, list) or not cues or not all(isinstance(c, str) and c for c in cues):
            raise DataFileError(f"{source}: follow_on.{key} must be a non-empty list of patterns")
    if not all(isinstance(v, int) and v > 0 for v in data["number_words"].values()):
        raise DataFileError(f"{source}: number_words must map words to positive integers")
    for section in ("persons", "makers", "not_people", "worded_not"):
        words = data.get(section)
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise DataFileError(f"{source}: {section} must be a list of words")
    return data


_UNITS = _load_units()
#: A maker's name right before a number makes the number a model ("Boeing 737", "Airbus 380").
_MAKERS = phrase_alternation(_UNITS["makers"])
_MAKER = re.compile(rf"\b(?:{_MAKERS})\s+$")
#: Currency symbols (lower-cased) and the ISO code each stands for.
SYMBOLS: dict[str, str] = {str(k).lower(): str(v) for k, v in _UNITS["symbols"].items()}
#: Currency names and codes written after a figure.
CURRENCY_WORDS: dict[str, str] = {str(k).lower(): str(v) for k, v in _UNITS["words"].items()}
#: Currency names several states use, by state code (``default`` when the state says nothing).
SHARED_CURRENCIES: dict[str, dict[str, str]] = {
    str(k).lower(): {str(c): str(v) for c, v in m.items()} for k, m in _UNITS["by_state"].items()
}
#: Victim class of a casualty figure by the words that name who was hit.
VICTIMS: dict[str, str] = {str(w).lower(): str(cls) for cls, ws in _UNITS["victims"].items() for w in ws}
_VICTIM_RE = re.compile(rf"\b({phrase_alternation(VICTIMS)})\b", re.IGNORECASE)


def shared_currency(word: str, states: Sequence[str] = ()) -> str:
    """The currency of a name several states use ("crowns"): that of the first of ``states``
    (the state a figure is about, then its claimants) that uses it, else the default, else the
    word itself."""
    by = SHARED_CURRENCIES.get(word.lower(), {})
    return next((by[s] for s in states if s in by), None) or by.get("default") or word.lower()


def victims(words: str) -> str | None:
    """The victim class (civilians, forces, militants) the words of a casualty figure name."""
    m = _VICTIM_RE.search(words)
    return VICTIMS[re.sub(r"\s+", " ", m.group(1).lower())] if m else None


#: Unit nouns by kind; the unit reported is the kind's canonical noun (weapons keep their noun).
KIND_NOUNS: dict[str, tuple[str, ...]] = {
    "troops": (
        "soldiers",
        "troops",
        "personnel",
        "servicemen",
        "fighters",
        "mercenaries",
        "conscripts",
        "sailors",
        "marines",
        "workers",
        "peacekeepers",
        # police sent abroad count as a force ("a further 600 police officers to Haiti")
        "police officers",
        "officers",
        "policemen",
    ),
    "weapons": (
        "tanks",
        "missiles",
        "shells",
        "rounds",
        "drones",
        "rockets",
        "howitzers",
        "jets",
        "aircraft",
        "helicopters",
        "warships",
        "artillery shells",
        "munitions",
        "containers",
    ),
    "killed": ("killed", "dead", "deaths", "fatalities", "casualties"),
    "wounded": ("wounded", "injured"),
    "displaced": ("displaced", "refugees", "evacuated", "evacuees", "homeless", "arrivals"),
}
CANONICAL = {
    "troops": "soldiers",
    "killed": "killed",
    "wounded": "wounded",
    "displaced": "displaced",
}
QUALIFIERS = {
    "approximately": "approximately",
    "about": "approximately",
    "around": "approximately",
    "roughly": "approximately",
    "nearly": "approximately",
    "almost": "approximately",
    "some": "approximately",
    "an estimated": "approximately",
    "estimated": "approximately",
    "over": "over",
    "more than": "more than",
    "upwards of": "more than",
    "in excess of": "more than",
    "up to": "up to",
    "as many as": "up to",
    "at least": "at least",
    "no fewer than": "at least",
    "fewer than": "less than",
    "less than": "less than",
    "under": "less than",
}

#: Numbers written in words, by value ("four", "twenty"; "twenty-five" adds its parts).
NUMBER_WORDS: dict[str, int] = {str(k).lower(): int(v) for k, v in _UNITS["number_words"].items()}
_WORD = "|".join(sorted(map(re.escape, NUMBER_WORDS), key=len, reverse=True))
_TENS = "|".join(w for w, v in NUMBER_WORDS.items() if v >= 20 and v % 10 == 0)
_ONES = "|".join(w for w, v in NUMBER_WORDS.items() if v < 10)
#: A number in words, whole words only; "a" only as "a hundred" / "a thousand".
_WORD_NUM = rf"(?:(?:{_TENS})-(?:{_ONES})|{_WORD}|a(?=\s+(?:hundred|thousand)\b))\b"
_NUM = rf"\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|{_WORD_NUM}"
_QUAL = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
_SYM = rf"(?<![A-Za-z])(?:{phrase_alternation(_UNITS['symbols'])})"
_SCALE = r"hundred|thousand|million|billion|trillion|mln|mn|bn|tn|m|b|k"
_CUR = phrase_alternation([*CURRENCY_WORDS, *SHARED_CURRENCIES])
_NUM_RE = re.compile(
    rf"(?:(?P<qual>{_QUAL})\s+)?(?P<sym>{_SYM})?\s?(?P<num>{_NUM})"
    rf"(?:\s?(?P<scale>{_SCALE})\b)?(?:\s(?P<cur>{_CUR})\b)?",
    re.IGNORECASE,
)
_NOUN_INDEX = {n: k for k, ns in KIND_NOUNS.items() for n in ns}
_NOUNS = "|".join(sorted(map(re.escape, _NOUN_INDEX), key=len, reverse=True))
#: Words no modifier of a figure's noun is: a figure's words end before them ("killed 14 people
#: and injured 70", "36 warships including the aircraft carrier", "one of the soldiers"); "and"
#: before a number in words joins two figures of one noun ("22 single-seat and four twin-seat jets").
_NOT_MODIFIER = (
    rf"(?!(?:and|or)\b(?!\s+(?:{_WORD})\b))"
    r"(?!(?:but|nor|including|the|a|an|of|in|on|at|to|from|by|for|with|as|who|which|that"
    r"|while|when|after|before|during|among|against)\b)"
)
#: A unit noun after at most four modifiers ("10,000 North Korean soldiers", "40 people killed").
#: A number right before a figure makes the figure a model ("roughly 400 737 Max jets").
_NUMBER_BEFORE = re.compile(r"\d\s+$")
#: A hyphen and a smaller number right after a figure: a model's variant ("787-9", "737-800").
_VARIANT = re.compile(r"[-‑](\d+)\b(?!\s*(?:to|and)\b)")
#: Nouns that make a figure count no people, whatever verb follows ("in 21 cities have been
#: killed"); one adjective may come before them ("12 Iranian provinces").
_NOT_PEOPLE = re.compile(
    rf"\s+(?:[\w’'-]+\s+)?(?:{phrase_alternation(_UNITS['not_people'])})\b",
    re.IGNORECASE,
)
#: A model number among a figure's modifiers ("400 737 Max jets", "30 787-9 Dreamliners").
_MODEL = r"\d{3,4}(?:-\d{1,3})?(?=\s+(?-i:[A-Z]))"
_UNIT_RE = re.compile(
    rf"(?:[\s-]+(?:(?:{_MAKERS})\s+[A-Z]{{0,3}}-?\d[\w-]*|{_MODEL}|{_NOT_MODIFIER}[A-Z][\w’'.-]*|additional|more|new|foreign|armed|military|regular|combat|elite"
    rf"|people|civilians|persons|were|have been|had been|been)){{0,4}}[\s-]+(?P<noun>{_NOUNS})\b",
    re.IGNORECASE,
)
#: A part of a group named after the figure ("some 40,000 of the new arrivals", "37 of the 55
#: drones"): the unit of the group's noun.
_PARTITIVE_RE = re.compile(
    rf"\s+of\s+(?:the|these|those|its|their)\s+(?:[\w’'.,-]+\s+){{0,2}}?(?P<noun>{_NOUNS})\b", re.IGNORECASE
)
#: People named by who they are rather than by a unit noun ("63,000 people", "18 attackers",
#: "150,000 Rohingya", "1,800 Indonesians"): the clause's verb says what the figure counts.
_PERSONS = (
    r"people|persons|civilians|residents|villagers|children|women|men|members|attackers|militants"
    r"|insurgents|rebels|hostages|migrants|passengers|Rohingya|[A-Z][a-z]+(?:ans|ese|is)|"
    + phrase_alternation(_UNITS["persons"])
)
_PERSON_RE = re.compile(
    rf"(?:[\s-]+(?:[A-Z][\w’'.-]*|more|other|foreign|armed|local|ethnic)){{0,3}}[\s-]+(?:{_PERSONS})\b"
)
#: The verb before the figure ("killing 18 attackers", "has killed at least 180 people").
_VERB_BEFORE = {
    # ... or the killing named as a noun ("the killing of 76 people", "the murder of 22 people")
    "killed": re.compile(
        r"\b(?:(?:killed|killing|kills?)(?:\s+all)?|(?:killings?|murders?|massacre|deaths?)\s+of)\s*$",
        re.IGNORECASE,
    ),
    "wounded": re.compile(r"\b(?:wounded|wounding|injured|injuring)(?:\s+all)?\s*$", re.IGNORECASE),
    # people a state hosts or an agency registered are refugees ("hosts about 2.5 million Syrians")
    "displaced": re.compile(
        r"\b(?:displaced|displacing|hosts?|hosting|hosted|shelters?|sheltering|registered|registering)"
        r"(?:\s+(?:a\s+total\s+of|an\s+estimated|about|some|more\s+than|over|nearly|around))?\s*$",
        re.IGNORECASE,
    ),
}
#: ... or after the people, in their clause ("... were also killed", "... have fled", "forced
#: ... from their homes").
_VERB_AFTER = {
    # "were killed", "were murdered", "were ambushed and killed", "six people, including five
    # women, were murdered"
    "killed": re.compile(
        r"^(?:,?\s+[\w’'-]+){0,4}?,?\s+(?:were|was|have\s+been|had\s+been)\s+(?:also\s+)?"
        r"(?:[a-z]+\s+and\s+)?(?:killed|murdered|slain|executed)\b"
        r"|^\s+(?:have\s+|had\s+)?died\b",
        re.IGNORECASE,
    ),
    "wounded": re.compile(
        r"^(?:\s+[\w’'-]+){0,4}?\s+(?:were|was|have\s+been|had\s+been)\s+(?:also\s+)?(?:wounded|injured)\b",
        re.IGNORECASE,
    ),
    "displaced": re.compile(
        r"^\s+(?:who\s+)?(?:have\s+|had\s+|has\s+)?(?:also\s+)?(?:fled|crossed|arrived|been\s+displaced)\b"
        r"|^\s+from\s+their\s+homes\b",
        re.IGNORECASE,
    ),
}


def _person_unit(text: str, start: int, end: int) -> tuple[str, int] | None:
    """(kind, end of the people's noun) for a figure of people whose verb says what it counts."""
    who = _PERSON_RE.match(text, end)
    if who is None:
        return None
    kind = _casualty(text, start, who.end(), ("killed", "wounded", "displaced"))
    return (kind, who.end()) if kind else None


def _casualty(text: str, start: int, end: int, kinds: tuple[str, ...]) -> str | None:
    """The casualty kind the verb around the figure ``text[start:end]`` says, if any (the verb
    before a range is its upper bound's: "killed an estimated 100 to 300 people")."""
    before, after = text[max(0, start - 60) : start], text[end : end + 80]
    before = _RANGE_LOW.sub("", before)[-30:]
    for kind in kinds:
        if _VERB_BEFORE[kind].search(before) or _VERB_AFTER[kind].match(after):
            return kind
    return None


#: Unit nouns a number in words rarely counts as the unit ("five rounds" of talks).
_WORDED_NOT = {str(w).lower() for w in _UNITS["worded_not"]}
#: Words before a number in words that make it no count ("no one", "every five", "one another").
_NO_COUNT = re.compile(r"\b(?:no|every|each|any)\s+$", re.IGNORECASE)
#: Follow-on figures that take the unit of the figure before them ("and 3,000 others").
_INHERIT_AFTER = re.compile(r"\s+(?:others|more|additional|of them)\b", re.IGNORECASE)
_INHERIT_BEFORE = re.compile(
    r"\b(?:with|including|of whom|of which|among them|among whom|and|up from|down from)\s+$", re.IGNORECASE
)
#: A unit named before the figure by what it measures: "put the death toll at 1,700", "the
#: number of Sudanese refugees in the country at 1.3 million", "bringing its contingent to 3,000".
_UNIT_BEFORE = {
    kind: re.compile(
        rf"\b(?:the|its|their|his|her|a)\s+(?:[\w’'-]+\s+){{0,2}}(?:{nouns})"
        r"\s+(?:[\w’'-]+\s+){0,4}?(?:at|to)\s+$",
        re.IGNORECASE,
    )
    for kind, nouns in {
        "killed": r"death\s+toll|toll|number\s+of\s+(?:the\s+)?(?:dead|deaths|people\s+killed)",
        "displaced": r"number\s+of\s+(?:[\w’'-]+\s+){0,2}?(?:refugees|displaced(?:\s+people)?|arrivals)"
        r"|refugee\s+population",
        "troops": r"contingent|force|deployment|troop\s+numbers"
        r"|number\s+of\s+(?:[\w’'-]+\s+){0,2}?(?:troops|soldiers)",
    }.items()
}


_QUALS_BEFORE = rf"(?:\s+(?:{_QUAL}))?"
#: A bare figure that goes on counting what the article's figure before it counted
#: (``follow_on`` of ``data/claims/units.yaml``).
_FOLLOW_BEFORE = re.compile(
    r"\b(?:" + "|".join(_UNITS["follow_on"]["before"]) + ")" + _QUALS_BEFORE + r"\s*$", re.IGNORECASE
)
_FOLLOW_AFTER = re.compile(r"\s+(?:" + "|".join(_UNITS["follow_on"]["after"]) + ")", re.IGNORECASE)


def _unit_before(before: str) -> str | None:
    """The kind a figure gets from the measure named before it (see :data:`_UNIT_BEFORE`)."""
    return next((kind for kind, pat in _UNIT_BEFORE.items() if pat.search(before[-120:])), None)


def _word_value(raw: str) -> float:
    """The value of a number in words ("four" 4, "twenty-five" 25, "a" 1 before a scale)."""
    return float(sum(NUMBER_WORDS.get(part, 1) for part in raw.lower().split("-")))


def _number(m: re.Match[str]) -> float:
    raw = m.group("num")
    value = _word_value(raw) if raw[0].isalpha() else float(raw.replace(",", ""))
    scale = (m.group("scale") or "").lower()
    # A bare "m"/"b"/"k" only scales money ("€50m"), never "10 m" of distance.
    if scale and (len(scale) > 1 or m.group("sym") or m.group("cur")):
        value *= SCALES.get(scale, 1.0)
    return value


def _is_year(m: re.Match[str]) -> bool:
    raw = m.group("num")
    return raw.isdigit() and len(raw) == 4 and 1800 <= int(raw) <= 2100


def quantities(text: str, offset: int = 0, earlier: tuple[str, str] | None = None) -> list[dict[str, Any]]:
    """Every countable quantity in ``text``, in order of appearance.

    Args:
        text: the text to scan (a sentence, usually).
        offset: added to every character offset, so spans can point into a larger text.
        earlier: ``(kind, unit)`` of the last figure before ``text`` (in its article), which a
            bare figure with a follow-on cue ("a further 50,000 to cross") goes on counting.

    Returns:
        Dicts with ``value`` (float, scales applied), ``unit`` (currency code or noun class),
        ``kind`` (money, troops, weapons, killed, wounded, displaced), ``qualifier`` (or None),
        ``text`` and ``start``/``end`` offsets. Bare numbers with no unit are dropped, except a
        follow-on figure ("with 8,000 positioned nearby", "10,000 others"), which takes the
        unit of the quantity before it in the same text.
    """
    out: list[dict[str, Any]] = []
    for m in _NUM_RE.finditer(text):
        i = m.start("num")
        if i > 0 and (text[i - 1].isalnum() or text[i - 1] in "/:"):
            continue
        if i > 1 and text[i - 1] in "-‑" and text[i - 2].isalnum():
            continue  # a designation, not a count: "F-16 jets", "S-400 systems", "A350-900 jets"
        if _MAKER.search(text, 0, i) or _NUMBER_BEFORE.search(text, 0, i):
            continue  # a model number: "Boeing 737 jets", "Sukhoi 35 fighters", "400 737 Max jets"
        value = _number(m)
        variant = _VARIANT.match(text, m.end("num"))
        if variant and float(variant.group(1)) < value:
            continue  # a model and its variant, not a range: "787-9 Dreamliner", "737-800"
        worded = m.group("num")[0].isalpha()
        if worded and _NO_COUNT.search(text, 0, i):
            continue  # "no one was hurt", "four in every five people"
        qual = QUALIFIERS.get((m.group("qual") or "").lower())
        end = m.end()
        sym = (m.group("sym") or "").lower()
        word = re.sub(r"\s+", " ", (m.group("cur") or "").lower())
        shared = word if word in SHARED_CURRENCIES else None
        cur = CURRENCY_WORDS.get(word) or (shared_currency(word) if shared else SYMBOLS.get(sym))
        # Where the figure's words start (a symbol is always a currency, so the branches below
        # that read the words before a figure see a qualifier or the number itself first).
        start = m.start() if m.group("qual") else m.start("sym") if m.group("sym") else m.start("num")
        follow_on = False
        if cur:
            kind, unit = "money", cur
        elif _is_year(m):
            continue
        elif (found := _unit_of(text, m, start, end, out, earlier, worded)) is not None:
            kind, unit, end, follow_on = found
        else:
            continue
        if value <= 0:
            continue
        q = {
            "value": value,
            "unit": unit,
            "kind": kind,
            "qualifier": qual,
            "text": text[start:end],
            "start": start + offset,
            "end": end + offset,
        }
        if shared:
            q["currency_word"] = shared
        if follow_on:
            q["follow_on"] = True
        if kind in ("killed", "wounded"):
            q["victims"] = _figure_victims(text, start, end, out)
        out.append(q)
    return out


def _unit_of(
    text: str,
    m: re.Match[str],
    start: int,
    end: int,
    out: list[dict[str, Any]],
    earlier: tuple[str, str] | None,
    worded: bool = False,
) -> tuple[str, str, int, bool] | None:
    """(kind, unit, end of the figure's words, follow-on) of a figure that is no sum: its noun,
    the figure before it, the verb of its people, the measure named before it, or the
    article's figure before it (``earlier``) for a bare follow-on. A follow-on ("a further
    50,000", "40,000 of the new arrivals") is about whom the article's figure before it was.
    A number in words (``worded``) takes a unit only from its noun or its people's verb."""
    if _NOT_PEOPLE.match(text, end):
        return None  # "106 protesters in 21 cities have been killed": the 21 counts places
    noun = _UNIT_RE.match(text, end)
    part = None if noun or worded else _PARTITIVE_RE.match(text, end)
    if noun or part:
        found = noun or part
        assert found is not None
        word = found.group("noun").lower()
        if worded and word in _WORDED_NOT:
            return None  # "held five rounds before the war": talks, not ammunition
        kind = _NOUN_INDEX[word]
        if kind == "troops":
            # "30 Rwandan soldiers have died", "killing 18 soldiers": troops lost, not sent
            kind = _casualty(text, m.start(), found.end(), ("killed", "wounded")) or kind
        unit = CANONICAL.get(kind, word)
        return kind, unit, found.end(), bool(part and earlier and not out and (kind, unit) == earlier)
    if worded:
        by_verb = _person_unit(text, m.start(), end)
        return (by_verb[0], CANONICAL[by_verb[0]], by_verb[1], False) if by_verb else None
    if out and (_INHERIT_AFTER.match(text, end) or _INHERIT_BEFORE.search(text[:start])):
        after = _INHERIT_AFTER.match(text, end)
        return out[-1]["kind"], out[-1]["unit"], after.end() if after else end, False
    if (by_verb := _person_unit(text, m.start(), end)) is not None:
        return by_verb[0], CANONICAL[by_verb[0]], by_verb[1], False
    if (bare := _bare_casualty(text, m.start(), end, out)) is not None:
        return bare, CANONICAL[bare], end, False
    if (ranged := _range_low(text, start, end, out, earlier)) is not None:
        return ranged
    if (measured := _unit_before(text[:start])) is not None:
        return measured, CANONICAL[measured], end, False
    prev = (out[-1]["kind"], out[-1]["unit"]) if out else earlier
    if prev and (_FOLLOW_BEFORE.search(text[:start]) or _FOLLOW_AFTER.match(text, end)):
        return prev[0], prev[1], end, not out
    return None


def _range_low(
    text: str, start: int, end: int, out: list[dict[str, Any]], earlier: tuple[str, str] | None
) -> tuple[str, str, int, bool] | None:
    """The lower bound of a range takes the unit and the words of the upper one ("100 to 300
    people", "between 3,000 and 4,000 Rwandan soldiers": about whom the upper one is)."""
    upper = _RANGE_HIGH.match(text, end) or (_BETWEEN.search(text[:start]) and _RANGE_AND.match(text, end))
    high = _NUM_RE.match(text, upper.end()) if upper else None
    if high is None:
        return None
    found = _unit_of(text, high, high.start(), high.end(), out, earlier)
    return (found[0], found[1], found[2], False) if found is not None and found[0] != "money" else None


def _bare_casualty(text: str, start: int, end: int, out: list[dict[str, Any]]) -> str | None:
    """The casualty kind of a bare figure: "at least 290 have died", or one after a casualty
    verb that goes on from a casualty figure before it ("killed 14 people and injured 70")."""
    if _DIED.match(text, end):
        return "killed"
    if not out or out[-1]["kind"] not in ("killed", "wounded"):
        return None
    before = text[max(0, start - 30) : start]
    return next((k for k in ("killed", "wounded") if _VERB_BEFORE[k].search(before)), None)


#: A bare figure's own verb that says it counts the dead ("290 have died", "12 had died").
_DIED = re.compile(r"\s+(?:(?:have|had)\s+(?:also\s+)?)?died\b", re.IGNORECASE)
#: The lower bound of a range right before a figure ("an estimated 100 to "), and its link to
#: the upper bound after a figure (" to 300 people").
_RANGE_LOW = re.compile(
    rf"(?:\b(?:between|from)\s+)?(?:(?:{_QUAL})\s+)?(?:{_NUM})\s*(?:to|and|-|–)\s*$", re.IGNORECASE
)
_RANGE_HIGH = re.compile(r"\s*(?:to|-|–)\s*(?=\d)", re.IGNORECASE)
_BETWEEN = re.compile(r"\bbetween\s+$", re.IGNORECASE)
_RANGE_AND = re.compile(r"\s+and\s+(?=\d)", re.IGNORECASE)


def _figure_victims(text: str, start: int, end: int, before: list[dict[str, Any]]) -> str | None:
    """Who a casualty figure counts: the figure's own words ("12 civilians"), else the measure
    named before it ("the civilian death toll at 1,700"), else, for a follow-on ("and 3 more"),
    the figure before it."""
    tail = _OF_WHOM.match(text, end) or _PERSON_RE.match(text, end)
    own = victims(text[start:end] + (tail.group(0) if tail else ""))
    if own:
        return own
    measure = _MEASURE_BEFORE.search(text[max(0, start - 120) : start])
    if measure:
        return victims(measure.group(0))
    follow_on = _INHERIT_AFTER.match(text, end) or _INHERIT_BEFORE.search(text[:start])
    # "and 12 more", not "and 12 civilians": a figure with its own people is not a follow-on.
    bare = not _OWN_PEOPLE.search(text[start:end])
    if before and before[-1]["kind"] in ("killed", "wounded") and follow_on and bare and not tail:
        return before[-1].get("victims")
    return None


#: Words that say whom a figure itself counts (then it takes no victims from the figure before).
_OWN_PEOPLE = re.compile(rf"\b(?:{_PERSONS}|{'|'.join(KIND_NOUNS['troops'])})\b", re.IGNORECASE)
#: Whom a figure of "members" counts: "238 members of the security forces".
_OF_WHOM = re.compile(r"\s+of\s+(?:the\s+)?(?:[\w’'-]+\s+){0,2}[\w’'-]+")
#: The measure a figure is the value of, just before it ("put the civilian death toll at").
_MEASURE_BEFORE = re.compile(
    r"\b(?:the|its|their|a)\s+(?:[\w’'-]+\s+){0,3}?(?:death\s+)?toll\b[^.;]*$", re.IGNORECASE
)


def event_quantity(sent: Any) -> dict[str, Any] | None:
    """The main quantity of an event sentence (a spaCy Span), for the event record.

    The first quantity is taken: in event sentences the figure that the event is about comes
    first ("sent 3,000 soldiers, with 8,000 more expected"). Offsets are relative to the
    sentence, matching the event's ``text_info``.
    """
    found = quantities(str(getattr(sent, "text", sent)))
    if not found:
        return None
    q = found[0]
    return {
        "value": q["value"],
        "unit": q["unit"],
        "kind": q["kind"],
        "qualifier": q["qualifier"],
        "text": q["text"],
        "start": q["start"],
        "end": q["end"],
    }
