"""The shipped actor dictionary (states, organisations, office-holders) and its queries.

The data lives in reviewable YAML under ``legation/data/actors/`` (format: ``docs/actors.md``).
:meth:`ActorDictionary.load` reads it plus any user files, validates everything, and answers the
questions later stages ask: which actor does this name denote, what office did this person hold
on this day, and in which interval could an undated text that names these office-holders have
been written.

User files (``--actors FILE``) use the same format and are read after the shipped files. An entry
whose id (a state's code, an organisation's id, a person's id) is already known *replaces* it;
with ``merge: true`` it instead *extends* it (aliases, roles and names are appended). Duplicate ids
inside the shipped data, or inside one user file, are errors.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from legation.actors.dictionary_model import (
    ActorEntry,
    DictionaryError,
    Institution,
    NameRecord,
    Role,
    Sector,
    is_acronym,
    normalize,
)
from legation.actors.dictionary_schema import (
    SECTIONS,
    Ctx,
    check_references,
    merge_entries,
    parse_agents,
    parse_institution,
    parse_org,
    parse_person,
    parse_sector,
    parse_state,
)
from legation.actors.titles import TITLES_FILE, TitleVocabulary, shipped_titles

__all__ = ["ActorDictionary", "ActorEntry", "DictionaryError", "Institution", "NameRecord", "Role", "Sector"]

_Raw = list[tuple[str, dict[str, Any]]]

#: The file with facts about the shipped dictionary as a whole (``data_cutoff``).
META_FILE = "meta.yaml"
#: Files of ``data/actors/`` that hold no entries: read by their own loaders, skipped here.
_NOT_ENTRIES = frozenset({META_FILE, TITLES_FILE})


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader that leaves dates as strings, so a bad date is reported with its entry."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _read_mapping(text: str, source: str, keys: Iterable[str]) -> dict[str, Any]:
    """The top-level mapping of a YAML file ({} for an empty one); ``keys`` are for the message."""
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise DictionaryError(f"{source}: not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DictionaryError(f"{source}: top level must be a mapping with keys {', '.join(keys)}")
    return data


def _read_yaml(text: str, source: str) -> dict[str, Any]:
    data = _read_mapping(text, source, SECTIONS)
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise DictionaryError(
            f"{source}: unknown section(s) {', '.join(map(str, unknown))} (allowed: {', '.join(SECTIONS)})"
        )
    for key, value in data.items():
        if not isinstance(value, list):
            raise DictionaryError(f"{source}: section {key!r} must be a list of entries")
    return data


def read_cutoff(text: str, source: str) -> date:
    """The ``data_cutoff`` day of a dictionary metadata file (see ``data/actors/meta.yaml``).

    Raises:
        DictionaryError: the file is not valid YAML, has other keys, or the day is no ISO date.
    """
    data = _read_mapping(text, source, ["data_cutoff"])
    if set(data) != {"data_cutoff"}:
        found = ", ".join(sorted(map(str, data))) or "none"
        raise DictionaryError(f"{source}: needs exactly one key, data_cutoff (found: {found})")
    value = data["data_cutoff"]
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise DictionaryError(f"{source}: data_cutoff {value!r} is not a date (want YYYY-MM-DD)") from None


#: Data cut-off: open-ended roles (``end: null``) mean "in office on this date". The day is data
#: (``data/actors/meta.yaml``), so that a review of the roles moves it in the same change.
DATA_CUTOFF = read_cutoff(
    resources.files("legation").joinpath("data", "actors", META_FILE).read_text(encoding="utf-8"),
    f"legation/data/actors/{META_FILE}",
)


@functools.lru_cache(maxsize=1)
def _shipped_raw() -> tuple[tuple[str, dict[str, Any]], ...]:
    """The shipped YAML files, parsed once per process (the slow part of loading)."""
    root = resources.files("legation").joinpath("data", "actors")
    out = []
    for item in sorted(root.iterdir(), key=lambda t: t.name):
        if item.name.endswith((".yaml", ".yml")) and item.name not in _NOT_ENTRIES:
            source = f"legation/data/actors/{item.name}"
            out.append((source, _read_yaml(item.read_text(encoding="utf-8"), source)))
    return tuple(out)


@dataclass
class ActorDictionary:
    """The validated dictionary and its indexes. Build it with :meth:`load`."""

    entries: dict[str, ActorEntry]
    sectors: dict[str, Sector]
    institutions: tuple[Institution, ...]
    #: Generic agent nouns ("police", "gunmen", "trade unionists") -> PLOVER sector (agents.yaml).
    agents: Mapping[str, str] = field(default_factory=dict)
    _by_code: dict[str, ActorEntry] = field(default_factory=dict, repr=False)
    _aliases: dict[str, list[tuple[str, bool]]] = field(default_factory=dict, repr=False)
    _demonyms: dict[str, list[NameRecord]] = field(default_factory=dict, repr=False)
    _metonyms: dict[str, list[NameRecord]] = field(default_factory=dict, repr=False)
    _institutions: dict[str, list[Institution]] = field(default_factory=dict, repr=False)
    _prefix_words: frozenset[str] = field(default=frozenset(), repr=False)

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(
        cls, extra: list[Path] | None = None, *, titles: TitleVocabulary | None = None
    ) -> ActorDictionary:
        """Load the shipped dictionary plus user files (later files override earlier ones).

        The shipped-only dictionary is cached per process, so repeated calls are free.
        ``titles`` replaces the shipped title vocabulary (``data/actors/titles.yaml``) that the
        name lookup skips in front of names: a reviewer's draft is tried without editing the
        shipped file.

        Raises:
            DictionaryError: a file is unreadable or an entry is invalid; the message names both.
        """
        if not extra and titles is None:
            return _shipped_dictionary()
        user: _Raw = []
        for path in extra or []:
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as exc:
                raise DictionaryError(f"{path}: cannot read actor file: {exc}") from None
            user.append((str(path), _read_yaml(text, str(path))))
        return cls._build(list(_shipped_raw()), user, titles if titles is not None else shipped_titles())

    @classmethod
    def _build(cls, shipped: _Raw, user: _Raw, titles: TitleVocabulary) -> ActorDictionary:
        sectors: dict[str, Sector] = {}
        for source, data in shipped + user:
            for i, raw in enumerate(data.get("sectors", [])):
                sector = parse_sector(Ctx(source, "sectors", i), raw)
                sectors[sector.code] = sector
        if not sectors:
            raise DictionaryError("no sectors defined (sectors.yaml missing?)")
        lookup = {s.code: s.code for s in sectors.values()}
        lookup.update({a: s.code for s in sectors.values() for a in s.aliases})

        entries: dict[str, ActorEntry] = {}
        institutions: dict[str, Institution] = {}
        agents: dict[str, str] = {}
        origin: dict[str, str] = {}
        for is_user, docs in ((False, shipped), (True, user)):
            for source, data in docs:
                seen_here: set[str] = set()
                for section, parse in (
                    ("states", parse_state),
                    ("organisations", parse_org),
                    ("people", parse_person),
                ):
                    for i, raw in enumerate(data.get(section, [])):
                        ctx = Ctx(source, section, i)
                        entry = parse(ctx, raw, lookup)
                        key = entry.actor_id
                        if key in seen_here or (key in entries and not is_user):
                            where = origin.get(key, source)
                            raise ctx.error(f"duplicate id {key!r} (already defined in {where})")
                        seen_here.add(key)
                        if is_user and key in entries and isinstance(raw, dict) and raw.get("merge"):
                            entry = merge_entries(entries[key], entry)
                        entries[key] = entry
                        origin[key] = source
                for i, raw in enumerate(data.get("institutions", [])):
                    ctx = Ctx(source, "institutions", i)
                    inst = parse_institution(ctx, raw, lookup)
                    if inst.inst_id in institutions and not is_user:
                        raise ctx.error(f"duplicate institution id {inst.inst_id!r}")
                    institutions[inst.inst_id] = inst
                for i, raw in enumerate(data.get("agents", [])):
                    ctx = Ctx(source, "agents", i)
                    agent_sector, words = parse_agents(ctx, raw, lookup)
                    for w in words:
                        if w in agents and agents[w] != agent_sector and not is_user:
                            raise ctx.error(f"agent word {w!r} already maps to {agents[w]}")
                        agents[w] = agent_sector
        codes = {e.code for e in entries.values() if e.kind != "person" and e.code}
        check_references(entries, codes)
        for inst in institutions.values():
            if inst.code is not None and inst.code not in codes:
                raise DictionaryError(f"institution {inst.inst_id!r}: unknown code {inst.code!r}")
        return cls(
            entries=entries, sectors=sectors, institutions=tuple(institutions.values()), agents=agents
        )._index(titles)

    def _index(self, titles: TitleVocabulary) -> ActorDictionary:
        aliases: defaultdict[str, list[tuple[str, bool]]] = defaultdict(list)
        demonyms: defaultdict[str, list[NameRecord]] = defaultdict(list)
        metonyms: defaultdict[str, list[NameRecord]] = defaultdict(list)
        for entry in self.entries.values():
            if (
                entry.kind != "person"
                and entry.code
                and (entry.kind == "state" or (entry.parent is None and entry.kind != "group"))
            ):
                self._by_code.setdefault(entry.code, entry)
                for alt in entry.code_aliases:
                    self._by_code.setdefault(alt, entry)
            for text in (entry.name, *entry.aliases):
                key, hit = normalize(text), (entry.actor_id, is_acronym(text))
                if key and hit not in aliases[key]:
                    aliases[key].append(hit)
            for rec in entry.demonyms:
                demonyms[normalize(rec.text)].append(rec)
            for rec in entry.names:
                metonyms[normalize(rec.text)].append(rec)
        institutions: defaultdict[str, list[Institution]] = defaultdict(list)
        for inst in self.institutions:
            for text in (inst.name, *inst.aliases):
                institutions[normalize(text)].append(inst)
        words = set(titles.lookup)
        words |= {w for key in demonyms for w in key.split()}
        words |= {
            w
            for e in self.entries.values()
            if e.kind != "person"
            for text in (e.name, *e.aliases)
            if not is_acronym(text) or text.isupper()
            for w in normalize(text).split()
        }
        words |= {w + "s" for w in words} | titles.lookup_words
        self._prefix_words = frozenset(words)
        self._aliases, self._demonyms = dict(aliases), dict(demonyms)
        self._metonyms, self._institutions = dict(metonyms), dict(institutions)
        return self

    # ------------------------------------------------------------------ entries
    def get(self, actor_id: str) -> ActorEntry | None:
        """The entry with this actor id (a state's code, an organisation id, a person slug)."""
        return self.entries.get(actor_id)

    def by_code(self, code: str) -> ActorEntry | None:
        """The state or organisation (as a whole) with this code; PLOVER aliases (KOS, UNO, EUR) work."""
        return self._by_code.get(code.upper())

    def codes(self) -> set[str]:
        """Every actor code the dictionary knows (states, organisations, group home codes)."""
        return set(self._by_code) | {e.code for e in self.entries.values() if e.kind != "person" and e.code}

    def of_kind(self, kind: str) -> Iterator[ActorEntry]:
        """Entries of one kind: state, igo, person, org or group."""
        return (e for e in self.entries.values() if e.kind == kind)

    # ------------------------------------------------------------------ names
    def lookup(self, name: str) -> list[ActorEntry]:
        """Entries whose name or alias matches ``name`` (case/diacritic/hyphen-insensitive).

        Several entries come back when a name is shared ("Congo", "Duterte"); the caller decides
        by context. If the whole text does not match, leading words that are titles, demonyms or
        state/organisation names are dropped one by one ("NATO Secretary General Jens
        Stoltenberg", "South Korean Foreign Minister Cho Tae-yul", "President Yoon").
        Short all-capital aliases ("US", "WHO") match only when ``name`` is upper-case too.
        """
        upper = "".join(ch for ch in name if ch.isalnum()).isupper()
        tokens = normalize(name).split()
        for i in range(len(tokens)):
            if i and tokens[i - 1] not in self._prefix_words:
                break
            candidates = self._aliases.get(" ".join(tokens[i:]), [])
            hits = [aid for aid, acronym in candidates if upper or not acronym]
            if hits:
                return [self.entries[aid] for aid in dict.fromkeys(hits)]
        return []

    def _resolve(self, records: list[NameRecord]) -> str | None:
        primary = [r for r in records if r.primary]
        if primary:
            return primary[0].code
        codes = {r.code for r in records}
        if len(codes) == 1 and not any(r.ambiguous for r in records):
            return records[0].code
        return None

    def demonym(self, text: str) -> str | None:
        """The code an adjective of nationality denotes ("South Korean" -> KOR), or None if ambiguous."""
        return self._resolve(self._demonyms.get(normalize(text), []))

    def demonym_candidates(self, text: str) -> list[NameRecord]:
        """All demonym records for ``text``, ambiguous ones included."""
        return list(self._demonyms.get(normalize(text), []))

    def metonym(self, text: str) -> str | None:
        """The code a capital or seat of government stands for ("the Kremlin" -> RUS).

        ``None`` when the text is ambiguous (a common word, or shared by several actors without
        a primary one). See :meth:`metonym_candidates` for the sector and the alternatives.
        """
        return self._resolve(self._metonyms.get(normalize(text), []))

    def metonym_candidates(self, text: str) -> list[NameRecord]:
        """All capital/metonym records for ``text`` with code, sector and ambiguity flags."""
        return list(self._metonyms.get(normalize(text), []))

    def institution(self, text: str) -> Institution | None:
        """A state institution named by ``text``; ``code`` is None when the state comes from context."""
        hits = self._institutions.get(normalize(text))
        return hits[0] if hits else None

    # ------------------------------------------------------------------ roles
    def role_on(self, actor_id: str, day: date) -> Role | None:
        """The office ``actor_id`` held on ``day``; of two held at once, the higher-ranked.

        Rank: head of state > head of government or organisation > foreign > defence > other
        (``office_rank``); a tie goes to the more recently started role.
        """
        entry = self.entries.get(actor_id)
        if entry is None:
            return None
        held = [r for r in entry.roles if r.held_on(day)]
        if not held:
            return None
        return max(held, key=lambda r: (r.rank, r.start or date.min))

    def code_on(self, actor_id: str, day: date) -> tuple[str | None, str | None]:
        """``(code, sector)`` an actor acts for on ``day``.

        A person with an office that day carries the office's code and sector; one without
        (a former office-holder such as Ban Ki-moon) falls back to their nationality and their
        own sector (ELI for former officials, OPP for opposition figures). Others: their code.
        """
        entry = self.entries.get(actor_id)
        if entry is None:
            return None, None
        role = self.role_on(actor_id, day) if entry.kind == "person" else None
        if role is not None:
            return role.code, role.sector
        return entry.code, entry.sector

    def role_intervals(self, actor_ids: Iterable[str | tuple[str, str]]) -> list[tuple[date, date | None]]:
        """Intervals in which every named person held an office (intersection of their tenures).

        Each item is an actor id, or ``(actor_id, office_or_code)`` to count only the office the
        text gives them ("Foreign Minister Park Jin" -> ``("park-jin", "Foreign Minister")``).
        Actors without dated roles (states, former officials) do not constrain the result.
        ``None`` as an interval end means open (in office at the data cut-off).

        Raises:
            KeyError: an actor id is unknown.
        """
        result: list[tuple[date, date | None]] = [(date.min, None)]
        for item in actor_ids:
            actor_id, want = (item, None) if isinstance(item, str) else item
            entry = self.entries[actor_id]
            spans = [
                (r.start or date.min, r.end)
                for r in entry.roles
                if want is None or normalize(want) in (normalize(r.office), normalize(r.code))
            ]
            if not spans:
                if want is not None:
                    return []
                continue
            result = _intersect(result, _union(spans))
            if not result:
                return []
        return [] if result == [(date.min, None)] else result

    def roles_window(self, actor_ids: Iterable[str | tuple[str, str]]) -> tuple[date, date | None] | None:
        """The span in which every named office-holder held their office, or None if never.

        When the tenures intersect in several pieces, the hull (earliest start, latest end) is
        returned; :meth:`role_intervals` gives the pieces. A later stage uses this to date an
        undated article ("Foreign Minister Park Jin and Defence Minister Lee Jong-sup" ->
        May 2022 - Oct 2023).
        """
        pieces = self.role_intervals(actor_ids)
        if not pieces:
            return None
        ends = [e for _, e in pieces]
        return pieces[0][0], None if None in ends else max(e for e in ends if e is not None)

    # ------------------------------------------------------------------ export
    def to_export_records(self) -> list[dict[str, Any]]:
        """Every entry as the contract's ``actors`` record, sorted by kind then id.

        A person's ``code``/``sector`` are those of their current (or, if out of office, their
        most recent) role; a person without roles carries their nationality.
        """
        order = {"state": 0, "igo": 1, "org": 2, "group": 3, "person": 4}
        out = []
        for entry in sorted(self.entries.values(), key=lambda e: (order[e.kind], e.actor_id)):
            code, sector = entry.code, entry.sector
            if entry.kind == "person" and entry.roles:
                latest = max(entry.roles, key=lambda r: (r.end or date.max, r.rank))
                code, sector = latest.code, latest.sector
            out.append(
                {
                    "actor_id": entry.actor_id,
                    "name": entry.name,
                    "kind": entry.kind,
                    "code": code,
                    "sector": sector,
                    "aliases": list(entry.aliases),
                    "roles": [r.export() for r in entry.roles],
                }
            )
        return out


def _union(spans: list[tuple[date, date | None]]) -> list[tuple[date, date | None]]:
    spans = sorted(spans, key=lambda s: s[0])
    out: list[tuple[date, date | None]] = []
    for start, end in spans:
        if out:
            last_start, last_end = out[-1]
            if last_end is None or start <= last_end:
                out[-1] = (last_start, None if last_end is None or end is None else max(last_end, end))
                continue
        out.append((start, end))
    return out


def _intersect(
    a: list[tuple[date, date | None]], b: list[tuple[date, date | None]]
) -> list[tuple[date, date | None]]:
    out: list[tuple[date, date | None]] = []
    for s1, e1 in a:
        for s2, e2 in b:
            lo = max(s1, s2)
            hi = e1 if e2 is None else e2 if e1 is None else min(e1, e2)
            if hi is None or lo <= hi:
                out.append((lo, hi))
    return sorted(out, key=lambda s: s[0])


@functools.lru_cache(maxsize=1)
def _shipped_dictionary() -> ActorDictionary:
    return ActorDictionary._build(list(_shipped_raw()), [], shipped_titles())


def sectors_table(dictionary: ActorDictionary) -> Mapping[str, str]:
    """Sector code -> description, for help texts and the API."""
    return {code: s.description for code, s in sorted(dictionary.sectors.items())}
