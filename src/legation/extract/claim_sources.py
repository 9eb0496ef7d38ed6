"""Sources of a figure that the actor dictionary does not know: their names read from the text.

A monitor, a committee or a research institute that asserts a figure often has no code ("The
Syrian Observatory for Human Rights, a Britain-based monitoring group, has put the toll at
1,700"; "according to the Armed Conflict Location and Event Data project"; "A national
fact-finding committee said"). Its claimant record keeps its name with no code, rather than
the country of its seat or no claimant at all. The words are data
(``data/claims/sources.yaml``); :mod:`legation.extract.claims` calls these helpers.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from legation.datafile import DataFileError, load_sections

_SOURCE = "legation/data/claims/sources.yaml"
_SECTIONS = ("seat_suffixes", "determiners", "pronouns", "national", "max_words")


@dataclass(frozen=True)
class SourceCues:
    """The compiled cues of ``data/claims/sources.yaml``."""

    seat: re.Pattern[str]
    determiner: re.Pattern[str]
    pronouns: frozenset[str]
    national: re.Pattern[str]
    max_words: int


def parse_source_cues(text: str, source: str = _SOURCE) -> SourceCues:
    """The cues of a sources file.

    Raises:
        DataFileError: not valid YAML, an unknown section, or a list missing or not of words.
    """
    d = load_sections(text, source, _SECTIONS)
    lists = {}
    for key in ("seat_suffixes", "determiners", "pronouns", "national"):
        words = d.get(key)
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w for w in words):
            raise DataFileError(f"{source}: {key} must be a non-empty list of words")
        lists[key] = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    max_words = d.get("max_words", 8)
    if not isinstance(max_words, int) or max_words < 1:
        raise DataFileError(f"{source}: max_words must be a positive integer")
    return SourceCues(
        seat=re.compile(rf"(?:{lists['seat_suffixes']})\b", re.I),
        determiner=re.compile(rf"^(?:{lists['determiners']})\s+", re.I),
        pronouns=frozenset(w.lower() for w in d["pronouns"]),
        national=re.compile(rf"\b(?:{lists['national']})\b", re.I),
        max_words=max_words,
    )


@functools.lru_cache(maxsize=1)
def shipped_source_cues() -> SourceCues:
    """The shipped cues, read once per process."""
    text = resources.files("legation").joinpath("data", "claims", "sources.yaml").read_text(encoding="utf-8")
    return parse_source_cues(text)


def is_seat(text: str, m: Mapping[str, Any]) -> bool:
    """Whether a state mention only names the seat of a source ("a Britain-based monitor")."""
    return bool(shipped_source_cues().seat.match(text, int(m["end"])))


def is_national(name: str) -> bool:
    """Whether a source's name makes it one of the state the report is filed from."""
    return bool(shipped_source_cues().national.search(name))


#: Where a clause that may open with a source's name starts: the sentence start, after a
#: dateline dash, a colon or a semicolon.
_CLAUSE_START = re.compile(r"^.*(?:\s[–—-]\s|[:;]\s)", re.S)
#: A name's words: capitalised words, lower-case words and hyphenated ones, no figures.
_NAME = re.compile(r"^[A-Za-z][\w’'-]*(?:\s+[A-Za-z][\w’'-]*)*$")


def _name(phrase: str) -> str | None:
    """``phrase`` when it reads as the name of a source: a determiner then words, or a
    capitalised word first; at most ``max_words`` words and no figure."""
    cues = shipped_source_cues()
    phrase = phrase.strip()
    if not _NAME.match(phrase) or len(phrase.split()) > cues.max_words:
        return None
    if phrase.split()[0].lower() in cues.pronouns:
        return None
    rest = cues.determiner.sub("", phrase, count=1)
    if rest == phrase and not phrase[0].isupper():
        return None
    return phrase if rest else None


def phrase_after(sentence: str, i: int) -> str | None:
    """The source named from ``sentence[i:]`` to the end of its phrase ("according to the
    Armed Conflict Location and Event Data project, a monitoring group")."""
    m = re.match(r"\s*([^,;.()]+)", sentence[i:])
    return _name(m.group(1)) if m else None


def subject_before(sentence: str, i: int) -> str | None:
    """The source named as the subject of the reporting verb at ``sentence[i]``, when its
    clause opens with it ("A national fact-finding committee said ...")."""
    head = sentence[:i]
    start = _CLAUSE_START.match(head)
    return _name(head[start.end() if start else 0 :])


#: A subject with an apposition that says what it is ("HRANA, a US-based group that tracks
#: rights abuses in Iran, has counted ..."): the name, then ", a/an ...,".
_APPOSED = re.compile(r"([^,;]+),\s+an?\s+[^,;]{3,120},\s+\S")


def apposed_subject(sentence: str) -> tuple[str, int] | None:
    """The source opening a clause with an apposition, and where its name ends."""
    start = _CLAUSE_START.match(sentence[:160])
    at = start.end() if start else 0
    m = _APPOSED.match(sentence, at)
    if not m:
        return None
    name = _name(m.group(1))
    return (name, m.end(1)) if name else None
