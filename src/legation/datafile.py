"""Reading the reviewable YAML data files: a safe loader that refuses a key written twice.

PyYAML keeps the last of two equal keys in a mapping and says nothing, so a term or a spelling
listed twice with different settings would silently lose the first line a reviewer wrote. The
vocabulary files (``data/actors/titles.yaml``, ``data/clean/agencies.yaml``) are mappings of
terms, where that mistake is easy to make; they are read through :func:`load_yaml`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml


class DataFileError(ValueError):
    """A data file is not valid YAML or writes a key twice; the message names the file."""


class _StrictLoader(yaml.SafeLoader):
    """A safe loader whose mappings refuse duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"{key!r} is written twice in one mapping", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str, source: str) -> Any:
    """The YAML document in ``text``; ``source`` names the file in the error.

    Raises:
        DataFileError: the text is not valid YAML or a mapping has a duplicate key.
    """
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise DataFileError(f"{source}: not valid YAML: {exc}") from None


def load_sections(text: str, source: str, allowed: tuple[str, ...], what: str = "section") -> dict[str, Any]:
    """The top-level mapping of a data file whose keys must be among ``allowed``.

    Raises:
        DataFileError: not valid YAML, a duplicate key, not a mapping, or an unknown key.
    """
    data = load_yaml(text, source)
    if not isinstance(data, dict):
        raise DataFileError(f"{source}: top level must be a mapping with {what}s {', '.join(allowed)}")
    unknown = sorted(str(k) for k in set(data) - set(allowed))
    if unknown:
        names = ", ".join(allowed)
        raise DataFileError(f"{source}: unknown {what}(s) {', '.join(unknown)} (allowed: {names})")
    return data


def phrase_alternation(phrases: Iterable[str]) -> str:
    """A regular expression alternation of the word phrases of a data file: each escaped, its
    spaces matching any run of white space, longest first (so "police officers" is tried before
    "police"). The caller adds the anchors and word boundaries."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in ordered)
