"""How instruments are named, read from the reviewable data file ``data/agreements/names.yaml``.

The file lists the head nouns that name an instrument (partnership, treaty, pact, task force,
ceasefire, truce, framework, ...) with their record kind, plural forms, merge-key head and
reference class; the nouns that only refer back ("the deal"); the lower-case modifiers that may
stand in a name ("status of forces", "intergovernmental", "20-year"); the descriptive words the
merge key leaves out; the words that only date an instrument or say how long it runs ("the
November ceasefire", "the 20-year treaty"), which the registry ignores when it compares names;
the nouns that make "<head> <noun>" a meeting format or a body rather than
an instrument ("Partnership Council", "ceasefire talks"); the seas that make a name unique;
and the reference classes whose lower-case names may only describe a relationship.
:mod:`legation.extract.agreements` builds its patterns from it. Checked on load: a mistake is a
:class:`~legation.datafile.DataFileError` naming the file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from legation.datafile import DataFileError, load_sections, phrase_alternation

_SOURCE = "legation/data/agreements/names.yaml"
_SECTIONS = (
    "heads",
    "references",
    "modifiers",
    "descriptive",
    "incidental",
    "not_instruments",
    "seas",
    "relationships",
    "bodies",
)
_HEAD_FIELDS = frozenset({"kind", "plural", "key", "class", "forms"})
#: The reference class of a head that names none.
DEFAULT_CLASS = "agreement"


@dataclass(frozen=True)
class Head:
    """One head noun: its singular, record kind, merge-key head, reference class, other forms."""

    word: str
    kind: str
    key: str
    cls: str
    plurals: tuple[str, ...]
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Names:
    """The naming vocabulary of instruments (see the module doc)."""

    heads: dict[str, Head]
    references: tuple[str, ...]
    modifiers: tuple[str, ...]
    descriptive: frozenset[str]
    incidental: frozenset[str]
    not_instruments: frozenset[str]
    seas: frozenset[str]
    #: Reference classes a lower-case name of which may describe a relationship rather than
    #: name an instrument ("its close partnership with Paris"; "its defence cooperation
    #: agreement with Paris" is an instrument).
    relationships: frozenset[str] = frozenset()
    #: Nouns of an apposition that make a name a body, not an instrument ("the Trade
    #: Partnership, a trade-focused consulting firm").
    bodies: frozenset[str] = frozenset()

    def head_pattern(self) -> str:
        """A regular expression of every head form, longest first ("task forces" before "task")."""
        return phrase_alternation(f for h in self.heads.values() for f in (h.word, *h.plurals, *h.forms))

    def modifier_pattern(self) -> str:
        """A regular expression of one lower-case modifier (the file's, in its order)."""
        return "|".join(f"(?:{m})" for m in self.modifiers)

    def head_of(self, form: str) -> Head | None:
        """The head a printed form is ("Treaties" -> treaty, "memorandum of understanding")."""
        low = re.sub(r"\s+", " ", form.lower())
        for h in self.heads.values():
            if low == h.word or low in h.plurals or low in h.forms:
                return h
        return None


def _words(data: dict[str, Any], section: str, source: str) -> tuple[str, ...]:
    raw = data.get(section)
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(w, str) and w.strip() for w in raw):
        raise DataFileError(f"{source}: '{section}' must be a list of non-empty strings")
    return tuple(w.strip() for w in raw)


def _head(word: Any, spec: Any, source: str) -> Head:
    where = f"{source}: head {word!r}"
    if not isinstance(word, str) or not word.strip() or word != word.lower():
        raise DataFileError(f"{where}: a head is a non-empty lower-case word")
    if not isinstance(spec, dict) or not isinstance(spec.get("kind"), str) or not spec["kind"]:
        raise DataFileError(f"{where}: needs a 'kind'")
    unknown = sorted(set(spec) - _HEAD_FIELDS)
    if unknown:
        raise DataFileError(f"{where}: unknown field(s) {', '.join(unknown)}")
    lists = {}
    for field in ("plural", "forms"):
        got = spec.get(field, [])
        if not isinstance(got, list) or not all(isinstance(x, str) and x.strip() for x in got):
            raise DataFileError(f"{where}: '{field}' must be a list of words")
        lists[field] = tuple(x.lower().strip() for x in got)
    for field in ("key", "class"):
        if field in spec and not (isinstance(spec[field], str) and spec[field]):
            raise DataFileError(f"{where}: '{field}' must be a word")
    return Head(
        word,
        spec["kind"],
        str(spec.get("key", word)),
        str(spec.get("class", DEFAULT_CLASS)),
        lists["plural"],
        lists["forms"],
    )


def parse_names(text: str, source: str = _SOURCE) -> Names:
    """The naming vocabulary of a names file.

    Raises:
        DataFileError: not valid YAML, an unknown section, no heads, a head without a kind or
            with an unknown field, a list that holds no strings, or a modifier that is no
            regular expression.
    """
    data = load_sections(text, source, _SECTIONS)
    raw = data.get("heads")
    if not isinstance(raw, dict) or not raw:
        raise DataFileError(f"{source}: 'heads' must be a non-empty mapping of head nouns")
    heads = {str(w): _head(w, spec, source) for w, spec in raw.items()}
    modifiers = _words(data, "modifiers", source)
    for m in modifiers:
        try:
            re.compile(m)
        except re.error as exc:
            raise DataFileError(f"{source}: modifier {m!r} is not a regular expression: {exc}") from None
    low = {s: frozenset(w.lower() for w in _words(data, s, source)) for s in _SECTIONS[3:]}
    return Names(
        heads,
        tuple(w.lower() for w in _words(data, "references", source)),
        modifiers,
        low["descriptive"],
        low["incidental"],
        low["not_instruments"],
        low["seas"],
        low["relationships"],
        low["bodies"],
    )


@functools.lru_cache(maxsize=1)
def shipped_names() -> Names:
    """The shipped naming vocabulary, read once per process."""
    text = (
        resources.files("legation").joinpath("data", "agreements", "names.yaml").read_text(encoding="utf-8")
    )
    return parse_names(text)
