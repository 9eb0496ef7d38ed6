"""The PLOVER type rules as the dashboard reads them: the answer of ``GET /api/types``.

The dashboard used to carry its own copy of the 16 type names and the quad classes' names;
serving them from ``data/plover/types.yaml`` (through :class:`legation.events.types.TypeRules`,
the coder's own reader) keeps one list, so a change to the rules reaches the filters too.
The quad classes' names are the file's ``quads`` block, which the coder does not read.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml

from legation.events.lexicon import PLOVER_TYPES
from legation.events.types import TypeRules, TypeRulesError

_SOURCE = "legation/data/plover/types.yaml"


def quad_names(text: str, source: str = _SOURCE) -> dict[int, str]:
    """The ``quads`` block of a types file: quad class 1-4 -> its name ("verbal cooperation").

    Raises:
        TypeRulesError: the block is missing, or does not name exactly the classes 1 to 4.
    """
    data = yaml.safe_load(text)
    raw = data.get("quads") if isinstance(data, dict) else None
    if not isinstance(raw, dict) or set(raw) != {1, 2, 3, 4}:
        raise TypeRulesError(f"{source}: needs a top-level 'quads' mapping of 1, 2, 3 and 4 to names")
    bad = [q for q, name in raw.items() if not isinstance(name, str) or not name.strip()]
    if bad:
        raise TypeRulesError(f"{source}: quads {sorted(bad)} need a name")
    return {int(q): str(raw[q]) for q in sorted(raw)}


def types_payload(rules: TypeRules, quads: dict[int, str]) -> dict[str, Any]:
    """``{"types": [...], "quads": [...]}``: the types in the manual's order, then the classes.

    Each type carries every rule of ``types.yaml`` (:meth:`TypeRule.to_json`) plus ``quad_name``;
    each quad class its ``name`` and its ``types`` in the manual's order.
    """
    return {
        "types": [{**rules[t].to_json(), "quad_name": quads[rules.quad(t)]} for t in PLOVER_TYPES],
        "quads": [{"quad": q, "name": name, "types": list(rules.of_quad(q))} for q, name in quads.items()],
    }


@functools.lru_cache(maxsize=1)
def shipped_payload() -> dict[str, Any]:
    """The payload for the shipped rules, built once per process (the file does not change)."""
    text = resources.files("legation").joinpath("data", "plover", "types.yaml").read_text(encoding="utf-8")
    return types_payload(TypeRules.load(), quad_names(text))
