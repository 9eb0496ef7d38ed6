"""News and photo agencies as data: ``data/clean/agencies.yaml`` loaded, and regex pieces built.

A photo caption or credit looks like a headline or a sentence; what gives it away is the name of
the agency that took or sold the picture ("(Manu Fernandez/AP)", "REUTERS/Brendan McDermid").
Those names used to be spelled out inside three regexes in two modules, each with its own
subset; the file now lists each agency once with its spellings and the patterns that look for
each spelling, and the cleaning modules build their patterns from :func:`shipped_agencies`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from legation.datafile import DataFileError, load_sections

__all__ = ["KINDS", "USES", "Agencies", "AgenciesError", "Agency", "shipped_agencies"]

#: Top-level lists of the file and the kind each gives its agencies.
KINDS = {"wires": "wire", "photo_agencies": "photo"}

#: The patterns a spelling can feed (see the header of ``agencies.yaml``).
USES = ("bracketed", "line_end", "caption", "slash", "not_heading")

#: Matches nothing: the alternation of a use no spelling has, so a pattern never matches all.
_NEVER = "(?!)"


class AgenciesError(ValueError):
    """The agencies file is malformed; the message names the file and the agency."""


@dataclass(frozen=True)
class Agency:
    """One agency: its name, kind (``wire`` or ``photo``) and spellings with their uses."""

    name: str
    kind: str
    spellings: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class Agencies:
    """Every agency of the file, in file order."""

    agencies: tuple[Agency, ...]

    def spellings(self, use: str) -> tuple[str, ...]:
        """The spellings that feed one pattern, in file order.

        Raises:
            KeyError: ``use`` is not one of :data:`USES` (a typo in code, not in data).
        """
        if use not in USES:
            raise KeyError(f"unknown agency use {use!r} (known: {', '.join(USES)})")
        return tuple(s for a in self.agencies for s, uses in a.spellings.items() if use in uses)

    def alternation(self, use: str, *, whole_caps: bool = False) -> str:
        """The spellings of ``use`` as a regex alternation (no group around it).

        With ``whole_caps`` a spelling in capitals ("AP") must be a whole word, so that "AP"
        is not found inside "CHAPTER"; mixed-case names ("Getty") match anywhere.
        """
        parts = [
            rf"\b{re.escape(s)}\b" if whole_caps and s.isupper() else re.escape(s)
            for s in self.spellings(use)
        ]
        return "|".join(parts) if parts else _NEVER

    @classmethod
    def from_text(cls, text: str, source: str) -> Agencies:
        """Parse and validate the YAML text of an agencies file.

        Raises:
            AgenciesError: not valid YAML, an unknown list or use, or a spelling listed twice.
        """
        try:
            data = load_sections(text, source, tuple(KINDS), "list")
        except DataFileError as exc:
            raise AgenciesError(str(exc)) from None
        out: list[Agency] = []
        seen: dict[str, str] = {}
        for key, kind in KINDS.items():
            raw = data.get(key) or []
            if not isinstance(raw, list):
                raise AgenciesError(f"{source}: {key} must be a list of agencies")
            for i, item in enumerate(raw):
                agency = _agency(f"{source}: {key}[{i}]", item, kind)
                for spelling in agency.spellings:
                    if spelling in seen:
                        raise AgenciesError(
                            f"{source}: {agency.name}: spelling {spelling!r} is already {seen[spelling]}'s"
                        )
                    seen[spelling] = agency.name
                out.append(agency)
        return cls(tuple(out))


def _agency(where: str, item: object, kind: str) -> Agency:
    """One agency entry: ``{name: ..., spellings: {spelling: [uses]}}``."""
    if not isinstance(item, dict) or set(item) != {"name", "spellings"}:
        raise AgenciesError(f"{where}: must be a mapping with exactly the keys name and spellings")
    name, raw = item["name"], item["spellings"]
    if not isinstance(name, str) or not name.strip():
        raise AgenciesError(f"{where}: name must be a non-empty string")
    if not isinstance(raw, dict) or not raw:
        raise AgenciesError(f"{where} ({name}): spellings must map each spelling to its uses")
    spellings: dict[str, tuple[str, ...]] = {}
    for spelling, uses in raw.items():
        if not isinstance(spelling, str) or not spelling.strip() or spelling != spelling.strip():
            raise AgenciesError(f"{where} ({name}): spelling {spelling!r} must be a trimmed non-empty string")
        if not isinstance(uses, list) or not uses or any(u not in USES for u in uses):
            raise AgenciesError(
                f"{where} ({name}): {spelling!r} needs a non-empty list of uses from {', '.join(USES)}"
            )
        spellings[spelling] = tuple(uses)
    return Agency(name=name, kind=kind, spellings=spellings)


@functools.lru_cache(maxsize=1)
def shipped_agencies() -> Agencies:
    """The shipped agencies (``legation/data/clean/agencies.yaml``), read once per process."""
    text = resources.files("legation").joinpath("data", "clean", "agencies.yaml").read_text(encoding="utf-8")
    return Agencies.from_text(text, "legation/data/clean/agencies.yaml")
