"""PLOVER type rules as data: ``data/plover/types.yaml`` loaded and validated.

The coder, the cross-article steps and the dashboard (through ``/api/plover/types``) read the
same rules, so "AID needs a recipient" or "future CONSULT is AGREE" is written once.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml
from spacy.tokens import Span, Token

from legation.events.lexicon import PLOVER_TYPES

_KEYS = {
    "mode_cues",
    "quad",
    "needs_recipient",
    "needs_partner",
    "future_to",
    "content",
    "content_modes",
    "place_target",
    "reciprocal",
    "recipient",
}


class TypeRulesError(ValueError):
    """``types.yaml`` is malformed; the message names the type and the key."""


@dataclass(frozen=True)
class TypeRule:
    """What the manual says about one PLOVER type (see the header of ``types.yaml``)."""

    name: str
    quad: int
    needs_recipient: bool = False
    needs_partner: bool = False
    future_to: str | None = None
    content: bool = False
    content_modes: Mapping[str, str] = field(default_factory=dict)
    place_target: bool = False
    reciprocal: bool = False
    recipient: tuple[str, ...] = ("dobj",)
    #: Words that give the mode of an event of this type no trigger or classifier gave one to
    #: ("tear gas" -> crowd-control): the trigger's own dependents first, then the sentence.
    mode_cues: Mapping[str, str] = field(default_factory=dict)

    def cue_mode(self, trigger: Token, sent: Span) -> str | None:
        """The mode the first cue names, looking at the trigger's dependents, then the sentence."""
        if not self.mode_cues:
            return None
        for toks in (list(trigger.children), list(sent)):
            for t in toks:
                for key in (t.lower_, t.lemma_.lower()):
                    mode = self.mode_cues.get(key)
                    if mode is not None:
                        return mode
            text = " ".join(t.lower_ for t in toks)
            for cue, mode in self.mode_cues.items():
                if " " in cue and f" {cue} " in f" {text} ":
                    return mode
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "quad": self.quad,
            "needs_recipient": self.needs_recipient,
            "needs_partner": self.needs_partner,
            "future_to": self.future_to,
            "content": self.content,
            "content_modes": dict(self.content_modes),
            "place_target": self.place_target,
            "reciprocal": self.reciprocal,
            "recipient": list(self.recipient),
            "mode_cues": dict(self.mode_cues),
        }


@dataclass(frozen=True)
class TypeRules:
    """All 16 type rules, indexed by type name."""

    rules: Mapping[str, TypeRule]

    def __getitem__(self, etype: str) -> TypeRule:
        return self.rules[etype]

    def quad(self, etype: str) -> int:
        return self.rules[etype].quad

    def of_quad(self, quad: int) -> tuple[str, ...]:
        """The types of a quad class, in PLOVER order."""
        return tuple(t for t in PLOVER_TYPES if self.rules[t].quad == quad)

    def to_json(self) -> dict[str, Any]:
        return {"types": [self.rules[t].to_json() for t in PLOVER_TYPES]}

    @classmethod
    def from_text(cls, text: str, source: str = "types.yaml") -> TypeRules:
        data = yaml.safe_load(text)
        raw = data.get("types") if isinstance(data, dict) else None
        if not isinstance(raw, dict):
            raise TypeRulesError(f"{source}: needs a top-level 'types' mapping")
        missing = [t for t in PLOVER_TYPES if t not in raw]
        unknown = [t for t in raw if t not in PLOVER_TYPES]
        if missing or unknown:
            raise TypeRulesError(f"{source}: missing types {missing}, unknown types {unknown}")
        return cls(rules={t: _rule(t, raw[t], source) for t in PLOVER_TYPES})

    @classmethod
    def load(cls) -> TypeRules:
        return _shipped()


def _rule(name: str, raw: Any, source: str) -> TypeRule:
    where = f"{source}: {name}"
    if not isinstance(raw, dict):
        raise TypeRulesError(f"{where}: must be a mapping")
    bad = sorted(set(raw) - _KEYS)
    if bad:
        raise TypeRulesError(f"{where}: unknown key(s) {bad}")
    quad = raw.get("quad")
    if quad not in (1, 2, 3, 4):
        raise TypeRulesError(f"{where}: quad must be 1-4, not {quad!r}")
    future_to = raw.get("future_to")
    if future_to is not None and future_to not in PLOVER_TYPES:
        raise TypeRulesError(f"{where}: future_to {future_to!r} is not a PLOVER type")
    modes = raw.get("content_modes") or {}
    if not isinstance(modes, dict) or any(k not in PLOVER_TYPES for k in modes):
        raise TypeRulesError(f"{where}: content_modes must map PLOVER types to modes")
    cues = raw.get("mode_cues") or {}
    if not isinstance(cues, dict):
        raise TypeRulesError(f"{where}: mode_cues must map words to modes")
    if any(not isinstance(k, str) or k != k.lower() for k in cues):
        raise TypeRulesError(f"{where}: mode_cues words must be lower-case strings")
    recipient = raw.get("recipient") or ["dobj"]
    if not isinstance(recipient, list):
        raise TypeRulesError(f"{where}: recipient must be a list")
    return TypeRule(
        name=name,
        quad=int(quad),
        needs_recipient=bool(raw.get("needs_recipient", False)),
        needs_partner=bool(raw.get("needs_partner", False)),
        future_to=future_to,
        content=bool(raw.get("content", False)),
        content_modes={str(k): str(v) for k, v in modes.items()},
        place_target=bool(raw.get("place_target", False)),
        reciprocal=bool(raw.get("reciprocal", False)),
        recipient=tuple(str(p) for p in recipient),
        mode_cues={str(k): str(v) for k, v in cues.items()},
    )


@functools.lru_cache(maxsize=1)
def _shipped() -> TypeRules:
    text = resources.files("legation").joinpath("data", "plover", "types.yaml").read_text(encoding="utf-8")
    return TypeRules.from_text(text, "legation/data/plover/types.yaml")
