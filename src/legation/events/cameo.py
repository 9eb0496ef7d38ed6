"""PLOVER (type, mode, context) -> CAMEO code, quad class and Goldstein score.

GDELT users filter and weight events by CAMEO code, QuadClass and GoldsteinScale; PLOVER has
none of these, so the coder adds them from ``data/plover/cameo.yaml``. The quad comes from the
PLOVER type (the manual gives one per type); the CAMEO code from the most specific default row
that fits the event (or a code pinned by the lexicon entry); the Goldstein score from the
standard CAMEO scale for that code.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from legation.events.lexicon import PLOVER_TYPES, load_yaml


class CameoError(ValueError):
    """The mapping file is malformed; the message names the row."""


@dataclass(frozen=True)
class CameoRow:
    """A default row: which events get which CAMEO code."""

    type: str
    cameo: str
    mode: str | None = None
    context: str | None = None
    content: str | None = None

    def fits(self, etype: str, mode: str | None, contexts: Iterable[str], content: str | None) -> int:
        """-1 when the row does not apply, else its specificity (higher wins)."""
        if etype != self.type:
            return -1
        score = 0
        if self.mode is not None:
            if self.mode != mode:
                return -1
            score += 4
        if self.context is not None:
            if self.context not in set(contexts):
                return -1
            score += 2
        if self.content is not None:
            if self.content != content:
                return -1
            score += 1
        return score


@dataclass(frozen=True)
class CameoMap:
    """The validated mapping: quads per type, Goldstein per code, default rows."""

    quads: Mapping[str, int]
    goldstein: Mapping[str, float]
    labels: Mapping[str, str]
    rows: tuple[CameoRow, ...]

    @classmethod
    def load(cls, path: Path | None = None) -> CameoMap:
        """The shipped mapping, or the file at ``path``."""
        if path is None:
            return _shipped()
        return cls.from_text(path.read_text(encoding="utf-8"), str(path))

    @classmethod
    def from_text(cls, text: str, source: str = "cameo.yaml") -> CameoMap:
        """Parse and validate: every type has a quad and a default row, every code a score."""
        data = load_yaml(text)
        if not isinstance(data, dict):
            raise CameoError(f"{source}: top level must be a mapping")
        quads = {str(k): int(v) for k, v in (data.get("quads") or {}).items()}
        if set(quads) != set(PLOVER_TYPES) or not set(quads.values()) <= {1, 2, 3, 4}:
            raise CameoError(f"{source}: quads must give 1-4 for exactly the 16 PLOVER types")
        codes: dict[str, Any] = data.get("codes") or {}
        goldstein = {str(k): float(v["goldstein"]) for k, v in codes.items()}
        labels = {str(k): str(v.get("label", "")) for k, v in codes.items()}
        if any(not -10.0 <= g <= 10.0 for g in goldstein.values()):
            raise CameoError(f"{source}: Goldstein scores lie in [-10, 10]")
        rows = []
        for n, raw in enumerate(data.get("defaults") or [], 1):
            row = CameoRow(
                type=str(raw["type"]),
                cameo=str(raw["cameo"]),
                mode=raw.get("mode"),
                context=raw.get("context"),
                content=raw.get("content"),
            )
            if row.type not in quads:
                raise CameoError(f"{source}: defaults row {n}: unknown type {row.type!r}")
            if row.cameo not in goldstein:
                raise CameoError(f"{source}: defaults row {n}: CAMEO code {row.cameo} has no Goldstein score")
            rows.append(row)
        plain = {r.type for r in rows if r.mode is None and r.context is None and r.content is None}
        if plain != set(PLOVER_TYPES):
            raise CameoError(
                f"{source}: every type needs a plain default row; missing {set(PLOVER_TYPES) - plain}"
            )
        return cls(quads=quads, goldstein=goldstein, labels=labels, rows=tuple(rows))

    def code(
        self,
        etype: str,
        mode: str | None = None,
        contexts: Iterable[str] = (),
        content: str | None = None,
        pinned: str | None = None,
    ) -> tuple[str, int, float]:
        """``(cameo, quad, goldstein)`` for an event; ``pinned`` (from the lexicon) wins when known."""
        ctx = tuple(contexts)
        if pinned and pinned in self.goldstein:
            best = pinned
        else:
            scored = [(r.fits(etype, mode, ctx, content), i, r) for i, r in enumerate(self.rows)]
            fitting = [s for s in scored if s[0] >= 0]
            best = max(fitting, key=lambda s: (s[0], -s[1]))[2].cameo
        return best, self.quads[etype], self.goldstein[best]


@functools.lru_cache(maxsize=1)
def _shipped() -> CameoMap:
    text = resources.files("legation").joinpath("data", "plover", "cameo.yaml").read_text(encoding="utf-8")
    return CameoMap.from_text(text, "legation/data/plover/cameo.yaml")
