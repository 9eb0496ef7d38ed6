"""The office-title vocabulary: ``data/actors/titles.yaml`` loaded and validated.

Three resolver modules need to know title words, each for its own question: the dictionary's
name lookup skips titles in front of a name, the resolver strips them from people the NER
found, and the title reader decides whether the words before a name are a title at all. They
used to keep three Python lists that drifted apart; now one reviewed file holds every term with
the uses it has (the header of ``titles.yaml`` explains each), and this module turns it into the
sets the three modules read.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from legation.actors.dictionary_model import DictionaryError, normalize
from legation.datafile import DataFileError, load_sections

__all__ = [
    "SECTIONS",
    "TITLES_FILE",
    "USES",
    "TitleVocabulary",
    "TitlesError",
    "read_titles",
    "shipped_titles",
]

#: The file name under ``legation/data/actors/``; the dictionary loader skips it.
TITLES_FILE = "titles.yaml"

#: Sections of the file, in the order they are written. They group terms for the reader only.
SECTIONS = ("offices", "honorifics", "ranks", "modifiers", "title_words")

#: The uses a term can have (see the header of ``titles.yaml``).
USES = ("lookup", "lookup_word", "strip", "office", "title")

#: Uses that compare a single token, so their terms must be single words.
_ONE_WORD = frozenset({"lookup_word", "strip", "office", "title"})


class TitlesError(DictionaryError):
    """The titles file is malformed; the message names the file, the section and the term."""


@dataclass(frozen=True)
class TitleVocabulary:
    """The title sets the resolver reads, each derived from the uses in ``titles.yaml``.

    Attributes:
        lookup: the words of every ``lookup`` term; the dictionary adds their plurals.
        lookup_words: ``lookup_word`` terms, skipped by the name lookup as they stand.
        strip: words stripped from the front of a NER person.
        office: words that carry an office.
        title: words that may stand in a title phrase (every office word included).
        source: where the vocabulary was read from, for messages.
    """

    lookup: frozenset[str]
    lookup_words: frozenset[str]
    strip: frozenset[str]
    office: frozenset[str]
    title: frozenset[str]
    source: str = TITLES_FILE

    @classmethod
    def from_text(cls, text: str, source: str) -> TitleVocabulary:
        """Parse and validate the YAML text of a titles file.

        Raises:
            TitlesError: the text is not valid YAML, or a section, term or use is malformed.
        """
        try:
            data = load_sections(text, source, SECTIONS, "section")
        except DataFileError as exc:
            raise TitlesError(str(exc)) from None
        by_use: dict[str, set[str]] = {use: set() for use in USES}
        where: dict[str, str] = {}
        for section in SECTIONS:
            terms = data.get(section) or {}
            if not isinstance(terms, dict):
                raise TitlesError(f"{source}: section {section!r} must map terms to lists of uses")
            for term, uses in terms.items():
                _check_term(source, section, term, uses)
                if term in where:
                    raise TitlesError(f"{source}: {section}: {term!r} is already listed in {where[term]}")
                where[term] = section
                for use in uses:
                    by_use[use].add(term)
        office = frozenset(by_use["office"])
        return cls(
            lookup=frozenset(w for term in by_use["lookup"] for w in term.split()),
            lookup_words=frozenset(by_use["lookup_word"]),
            strip=frozenset(by_use["strip"]),
            office=office,
            title=office | by_use["title"],
            source=source,
        )


def _check_term(source: str, section: str, term: object, uses: object) -> None:
    """One term and its uses are well formed (the checks ``titles.yaml``'s header promises)."""
    if not isinstance(term, str) or not term.strip():
        raise TitlesError(f"{source}: {section}: term {term!r} must be a non-empty string")
    at = f"{source}: {section}: {term!r}"
    if term != term.lower() or term != " ".join(term.split()):
        raise TitlesError(f"{at}: write terms in lower case with single spaces")
    if not isinstance(uses, list) or not uses:
        raise TitlesError(f"{at}: needs a non-empty list of uses ({', '.join(USES)})")
    bad = [u for u in uses if u not in USES]
    if bad:
        raise TitlesError(f"{at}: unknown use(s) {bad} (allowed: {', '.join(USES)})")
    if " " in term and _ONE_WORD.intersection(uses):
        raise TitlesError(f"{at}: only 'lookup' applies to a phrase; list its words for the other uses")
    if "lookup" in uses and normalize(term) != term:
        raise TitlesError(f"{at}: a lookup term is matched on normalised text; write {normalize(term)!r}")


def read_titles(path: str | Path) -> TitleVocabulary:
    """A titles file other than the shipped one (a reviewer's draft, a test's copy).

    Raises:
        TitlesError: the file is unreadable or malformed; the message names it.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise TitlesError(f"{path}: cannot read titles file: {exc}") from None
    return TitleVocabulary.from_text(text, str(path))


@functools.lru_cache(maxsize=1)
def shipped_titles() -> TitleVocabulary:
    """The shipped vocabulary (``legation/data/actors/titles.yaml``), read once per process."""
    text = resources.files("legation").joinpath("data", "actors", TITLES_FILE).read_text(encoding="utf-8")
    return TitleVocabulary.from_text(text, f"legation/data/actors/{TITLES_FILE}")
