"""The PLOVER trigger lexicon: load ``data/plover/lexicon.yaml`` and validate it.

The lexicon is data, not code, so that an analyst can review and extend the coder without
reading Python: one YAML line per trigger, with its type, mode, contexts and the syntactic
constraints under which it fires. Validation happens on load and names the offending entry,
because a typo in a type or mode would otherwise silently produce events nobody can score.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

#: The 16 PLOVER event types (manual, chapter "Event Categories").
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
FRAMES = ("verb", "visit", "host", "absorb", "content")
_FIELDS = {
    "id",
    "lemma",
    "pos",
    "type",
    "mode",
    "context",
    "object",
    "prep",
    "modifier",
    "subject",
    "recipient",
    "joint",
    "frame",
    "standalone",
    "cameo",
    "notes",
}
_LISTS = ("speech_verbs", "future_governors", "hypothetical_governors", "negating_governors", "light_verbs")


class _Loader(yaml.SafeLoader):
    """YAML 1.1 reads ``on``/``off``/``yes``/``no`` as booleans; in a lexicon they are words.

    Only ``true``/``false`` are booleans here, so that ``prep: [on]`` means the preposition.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str) -> Any:
    """Parse lexicon-style YAML (booleans only as true/false)."""
    return yaml.load(text, Loader=_Loader)


class LexiconError(ValueError):
    """The lexicon file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry: a word that signals a PLOVER event under some constraints."""

    id: str
    lemma: str
    pos: str
    type: str
    mode: str | None = None
    context: tuple[str, ...] = ()
    object: frozenset[str] = frozenset()
    prep: frozenset[str] = frozenset()
    modifier: frozenset[str] = frozenset()
    subject: frozenset[str] = frozenset()
    recipient: tuple[str, ...] = ("dobj",)
    joint: bool = False
    frame: str = "verb"
    standalone: bool = False
    cameo: str | None = None
    notes: str = ""

    @property
    def specificity(self) -> int:
        """How many constraints the entry has: the most specific matching entry wins."""
        return sum(bool(x) for x in (self.object, self.prep, self.modifier, self.subject))


@dataclass(frozen=True)
class Lexicon:
    """The validated lexicon with lemma indexes for verbs and nouns."""

    triggers: tuple[Trigger, ...]
    modes: Mapping[str, frozenset[str]]
    contexts: Mapping[str, frozenset[str]]
    speech_verbs: frozenset[str] = frozenset()
    future_governors: frozenset[str] = frozenset()
    hypothetical_governors: frozenset[str] = frozenset()
    negating_governors: frozenset[str] = frozenset()
    light_verbs: frozenset[str] = frozenset()
    _verbs: dict[str, tuple[Trigger, ...]] = field(default_factory=dict, repr=False)
    _nouns: dict[str, tuple[Trigger, ...]] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: Path | None = None) -> Lexicon:
        """Load the shipped lexicon, or the file at ``path`` (same format)."""
        if path is None:
            return _shipped()
        return cls.from_text(path.read_text(encoding="utf-8"), str(path))

    @classmethod
    def from_text(cls, text: str, source: str = "lexicon.yaml") -> Lexicon:
        """Parse and validate lexicon YAML; raises :class:`LexiconError` naming the entry."""
        try:
            data = load_yaml(text)
        except yaml.YAMLError as exc:
            raise LexiconError(f"{source}: not valid YAML: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("triggers"), list):
            raise LexiconError(f"{source}: needs a top-level mapping with a 'triggers' list")
        modes = _modes(data.get("modes"), source)
        contexts = {
            str(k): frozenset(str(w).lower() for w in _list(v, f"{source}: contexts.{k}"))
            for k, v in (data.get("contexts") or {}).items()
        }
        lists = {
            name: frozenset(str(w).lower() for w in _list(data.get(name), f"{source}: {name}"))
            for name in _LISTS
        }
        triggers = tuple(_trigger(raw, n, source, modes) for n, raw in enumerate(data["triggers"], 1))
        seen: set[str] = set()
        for t in triggers:
            if t.id in seen:
                raise LexiconError(f"{source}: duplicate trigger id {t.id!r}")
            seen.add(t.id)
        verbs: dict[str, list[Trigger]] = {}
        nouns: dict[str, list[Trigger]] = {}
        for t in triggers:
            (verbs if t.pos == "verb" else nouns).setdefault(t.lemma, []).append(t)
        return cls(
            triggers=triggers,
            modes=modes,
            contexts=contexts,
            **lists,
            _verbs={k: _by_specificity(v) for k, v in verbs.items()},
            _nouns={k: _by_specificity(v) for k, v in nouns.items()},
        )

    def verb_entries(self, lemma: str) -> tuple[Trigger, ...]:
        """Verb entries for a lemma, most specific first."""
        return self._verbs.get(lemma, ())

    def noun_entries(self, lemma: str) -> tuple[Trigger, ...]:
        """Noun entries for a lemma, most specific first."""
        return self._nouns.get(lemma, ())

    def counts(self) -> dict[str, int]:
        """Triggers per PLOVER type (for reports and the documentation)."""
        out = dict.fromkeys(PLOVER_TYPES, 0)
        for t in self.triggers:
            out[t.type] += 1
        return out


def _by_specificity(entries: list[Trigger]) -> tuple[Trigger, ...]:
    return tuple(sorted(entries, key=lambda t: -t.specificity))


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise LexiconError(f"{where}: must be a list")
    return value


def _modes(raw: Any, source: str) -> dict[str, frozenset[str]]:
    if not isinstance(raw, dict):
        raise LexiconError(f"{source}: 'modes' must map each PLOVER type to its modes")
    missing = [t for t in PLOVER_TYPES if t not in raw]
    unknown = [t for t in raw if t not in PLOVER_TYPES]
    if missing or unknown:
        raise LexiconError(f"{source}: modes: missing types {missing}, unknown types {unknown}")
    return {str(k): frozenset(str(m) for m in _list(v, f"{source}: modes.{k}")) for k, v in raw.items()}


def _words(raw: Mapping[str, Any], key: str, where: str) -> frozenset[str]:
    return frozenset(str(w).lower() for w in _list(raw.get(key), f"{where}: {key}"))


def _trigger(raw: Any, n: int, source: str, modes: Mapping[str, frozenset[str]]) -> Trigger:
    where = f"{source}: trigger #{n}"
    if not isinstance(raw, dict):
        raise LexiconError(f"{where}: must be a mapping")
    where = f"{source}: trigger {raw.get('id', '#' + str(n))!r}"
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise LexiconError(f"{where}: unknown field(s) {unknown}")
    for key in ("id", "lemma", "pos", "type"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise LexiconError(f"{where}: {key!r} is required")
    if raw["pos"] not in ("verb", "noun"):
        raise LexiconError(f"{where}: pos must be 'verb' or 'noun', not {raw['pos']!r}")
    etype = raw["type"]
    if etype not in PLOVER_TYPES:
        raise LexiconError(f"{where}: type {etype!r} is not a PLOVER type")
    mode = raw.get("mode")
    if mode is not None and mode not in modes[etype]:
        raise LexiconError(f"{where}: mode {mode!r} is not a {etype} mode ({sorted(modes[etype])})")
    frame = raw.get("frame", "verb")
    if frame not in FRAMES:
        raise LexiconError(f"{where}: frame {frame!r} not one of {FRAMES}")
    recipient = tuple(str(p) for p in _list(raw.get("recipient"), where)) or ("dobj",)
    if raw.get("standalone") and raw["pos"] != "noun":
        raise LexiconError(f"{where}: only noun triggers can be standalone")
    return Trigger(
        id=raw["id"],
        lemma=raw["lemma"].lower(),
        pos=raw["pos"],
        type=etype,
        mode=mode,
        context=tuple(str(c) for c in _list(raw.get("context"), where)),
        object=_words(raw, "object", where),
        prep=_words(raw, "prep", where),
        modifier=_words(raw, "modifier", where),
        subject=_words(raw, "subject", where),
        recipient=recipient,
        joint=bool(raw.get("joint", False)),
        frame=frame,
        standalone=bool(raw.get("standalone", False)),
        cameo=str(raw["cameo"]) if raw.get("cameo") is not None else None,
        notes=str(raw.get("notes") or ""),
    )


@functools.lru_cache(maxsize=1)
def _shipped() -> Lexicon:
    text = resources.files("legation").joinpath("data", "plover", "lexicon.yaml").read_text(encoding="utf-8")
    return Lexicon.from_text(text, "legation/data/plover/lexicon.yaml")


def types_covered(triggers: Iterable[Trigger]) -> set[str]:
    """The PLOVER types with at least one trigger."""
    return {t.type for t in triggers}
