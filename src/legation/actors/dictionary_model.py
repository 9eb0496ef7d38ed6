"""Value types of the actor dictionary, its error type and the name normaliser.

Kept apart from the loader so that later stages (mention resolution, date inference) can import
the small immutable records without pulling in YAML parsing.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

#: Actor kinds of the contract's ``actors`` record.
KINDS = ("state", "igo", "person", "org", "group")


class DictionaryError(ValueError):
    """A dictionary file is malformed. The message names the file and the entry."""


@dataclass(frozen=True, slots=True)
class Role:
    """One office held by a person over an interval.

    ``start``/``end`` are the first and last day in office (both inclusive); ``None`` means
    unbounded (start: before the data's coverage, end: still in office at the data cut-off).
    A month-precision date written ``YYYY-MM`` (``approx``) expands to the whole month, so the
    interval is generous rather than wrong; ``start_text``/``end_text`` keep what was written.
    """

    office: str
    code: str
    sector: str
    start: date | None
    end: date | None
    start_text: str | None = None
    end_text: str | None = None
    approx: bool = False
    acting: bool = False
    concurrent: bool = False
    rank: int = 50
    note: str | None = None

    def held_on(self, day: date) -> bool:
        """Whether the office was held on ``day`` (inclusive bounds)."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def export(self) -> dict[str, str | None]:
        """The contract's role record (dates as written: ``YYYY-MM-DD`` or ``YYYY-MM``)."""
        return {"office": self.office, "code": self.code, "start": self.start_text, "end": self.end_text}


@dataclass(frozen=True, slots=True)
class NameRecord:
    """A demonym, capital or metonym pointing at a code (``"the Kremlin"`` -> RUS/GOV).

    ``primary`` wins when several codes share the text (Brussels -> EU); ``ambiguous`` marks a
    text that must not resolve on its own (``"Male"``, ``"Congolese"``).
    """

    text: str
    code: str
    actor_id: str
    sector: str | None = None
    primary: bool = False
    ambiguous: bool = False
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ActorEntry:
    """A state, organisation, body of an organisation, group or person.

    For a person ``code`` is the nationality (the code they resolve to when they hold no office
    on the date asked); use :meth:`ActorDictionary.role_on` for the code on a date.
    """

    actor_id: str
    name: str
    kind: str
    code: str | None
    sector: str | None = None
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    parent: str | None = None
    institution: str | None = None
    status: str | None = None
    code_aliases: tuple[str, ...] = ()
    note: str | None = None
    source: str = ""
    names: tuple[NameRecord, ...] = field(default=(), repr=False)
    demonyms: tuple[NameRecord, ...] = field(default=(), repr=False)

    @property
    def nationality(self) -> str | None:
        """A person's home state (``None`` for non-persons)."""
        return self.code if self.kind == "person" else None


@dataclass(frozen=True, slots=True)
class Institution:
    """A state body named generically (state from context) or specifically (state fixed)."""

    inst_id: str
    name: str
    aliases: tuple[str, ...]
    code: str | None
    sector: str
    context: bool
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Sector:
    """A sector code with its one-line description and origin (plover or legation)."""

    code: str
    description: str
    origin: str
    aliases: tuple[str, ...] = ()


_TRANSLIT = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "ß": "ss",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ı": "i",
        "œ": "oe",
        "Œ": "oe",
        "ð": "d",
        "þ": "th",
    }
)
_DASHES = re.compile(r"[\-\u2010-\u2015\u2212_/]+")
_DROP = re.compile(r"[.'’‘`´,()\"“”]")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Fold a name to its index key: case, diacritics, hyphens, dots and a leading "the".

    "Cho Tae-yul" == "cho tae yul", "U.S." == "US", "the Élysée" == "Elysee". Dots and
    apostrophes are dropped (not spaced) so that initials and "People's" fold consistently.
    """
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _DROP.sub("", _DASHES.sub(" ", text)).casefold()
    text = _SPACES.sub(" ", text).strip()
    if text.startswith("the "):
        text = text[4:]
    return text


def is_acronym(text: str) -> bool:
    """Short all-capitals aliases ("US", "WHO", "IS", "AU") match only upper-case text.

    Without this rule the pronouns "us"/"who" and the verb "is" would resolve to actors.
    """
    bare = re.sub(r"[.\s]", "", text)
    return 1 < len(bare) <= 4 and bare.isupper() and bare.isalnum()


def parse_day(value: object, *, end: bool) -> tuple[date | None, str | None, bool]:
    """Parse a dictionary date: a YAML date, ``"YYYY-MM-DD"``, ``"YYYY-MM"`` or null.

    Returns ``(day, text, month_precision)``. A month-precision start is the month's first day
    and a month-precision end its last day. Raises ``ValueError`` with a reason otherwise.
    """
    if value is None:
        return None, None, False
    if isinstance(value, date):
        day, text, month = value, value.isoformat(), False
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day, text, month = date.fromisoformat(value), value, False
        except ValueError as exc:
            raise ValueError(f"bad date {value!r}: {exc}") from None
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value):
        year, mon = int(value[:4]), int(value[5:])
        if not 1 <= mon <= 12:
            raise ValueError(f"bad month in {value!r}")
        last = calendar.monthrange(year, mon)[1]
        day, text, month = date(year, mon, last if end else 1), value, True
    else:
        raise ValueError(f"bad date {value!r} (want YYYY-MM-DD, or YYYY-MM with approx: true)")
    if not 1900 <= day.year <= 2100:
        raise ValueError(f"date {text} out of range 1900-2100")
    return day, text, month


def office_rank(office: str) -> int:
    """Default precedence of an office, used when one person holds two at once.

    Head of state 100 > head of government / head of an organisation 90 > leaders of bodies 85
    > crown prince, vice-president 75-80 > foreign 70 > defence 65 > commanders 60 > other 50;
    deputies and vice-ministers 45. A role's explicit ``rank`` overrides this.
    """
    o = normalize(office)
    acting = o.startswith("acting ")
    if acting:
        o = o[len("acting ") :]
    vice = " vice " in f" {o} " and "vice president" not in o
    if vice or o.startswith(("deputy", "first vice")):
        rank = 45
    elif o in ("president", "king", "monarch", "emir", "supreme leader") or o.startswith("general secretary"):
        rank = 100
    elif "vice president" in o:
        rank = 75
    elif o.startswith(
        (
            "president of",
            "prime minister",
            "premier",
            "chancellor",
            "secretary general",
            "director general",
            "managing director",
            "de facto leader",
        )
    ):
        rank = 90
    elif o.startswith(("high representative", "chair", "head of", "leader", "commissioner general")):
        rank = 85
    elif o.startswith("crown prince"):
        rank = 80
    elif o.startswith(("foreign", "secretary of state")):
        rank = 70
    elif o.startswith(("defence", "secretary of defense")):
        rank = 65
    elif o.startswith(("commander", "chief of")):
        rank = 60
    else:
        rank = 50
    return rank - 5 if acting else rank
