"""The lifecycle stages of an agreement, read from the one data file that defines them.

``data/agreements/stages.yaml`` lists the stages in lifecycle order (proposed, announced, agreed,
signed, ratified, in force, launched) with their printed label and the cue words that report
each in a sentence. The extractor matches the cues, the registry orders the stages to find a
record's status, and the API, the CSV download, the watch rules and the dashboard (through
``GET /api/types``) read the keys from here instead of keeping copies.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from legation.datafile import DataFileError, load_sections

_SOURCE = "legation/data/agreements/stages.yaml"
#: The status of an agreement whose mentions report no stage.
MENTIONED = "mentioned"


@dataclass(frozen=True)
class Stage:
    """One lifecycle stage: its record key, its printed label and its cue pattern;
    ``by_year``: a year right before an instrument's name dates this stage ("the 1953 Mutual
    Defense Treaty")."""

    key: str
    label: str
    cue: re.Pattern[str]
    by_year: bool = False


def parse_stages(text: str, source: str = _SOURCE) -> tuple[Stage, ...]:
    """The stages of a stages file, in its order.

    Raises:
        DataFileError: not valid YAML, no ``stages`` list, a stage without key or cues, a key
            written twice, or a cue that is no regular expression.
    """
    data = load_sections(text, source, ("stages",))
    raw = data.get("stages")
    if not isinstance(raw, list) or not raw:
        raise DataFileError(f"{source}: 'stages' must be a non-empty list")
    out: list[Stage] = []
    for i, item in enumerate(raw):
        out.append(_stage(item, f"{source}: stage {i + 1}"))
    keys = [s.key for s in out]
    if len(set(keys)) != len(keys) or MENTIONED in keys:
        raise DataFileError(f"{source}: stage keys must be distinct and not {MENTIONED!r}")
    if sum(s.by_year for s in out) > 1:
        raise DataFileError(f"{source}: at most one stage may be dated 'by_year'")
    return tuple(out)


def _stage(item: Any, where: str) -> Stage:
    if not isinstance(item, dict) or not isinstance(item.get("key"), str):
        raise DataFileError(f"{where}: needs a 'key'")
    cues = item.get("cues")
    if not isinstance(cues, list) or not cues or not all(isinstance(c, str) and c for c in cues):
        raise DataFileError(f"{where} ({item['key']}): needs a non-empty list of 'cues'")
    try:
        cue = re.compile(r"\b(?:" + "|".join(f"(?:{c})" for c in cues) + ")", re.IGNORECASE)
    except re.error as exc:
        raise DataFileError(f"{where} ({item['key']}): a cue is not a regular expression: {exc}") from None
    by_year = item.get("by_year", False)
    if not isinstance(by_year, bool):
        raise DataFileError(f"{where} ({item['key']}): 'by_year' must be true or false")
    return Stage(item["key"], str(item.get("label") or item["key"]), cue, by_year)


@functools.lru_cache(maxsize=1)
def shipped_stages() -> tuple[Stage, ...]:
    """The shipped stages, read once per process."""
    text = (
        resources.files("legation").joinpath("data", "agreements", "stages.yaml").read_text(encoding="utf-8")
    )
    return parse_stages(text)


#: Stage keys in lifecycle order: a later stage is the status ("launched" outranks "signed").
STAGES: tuple[str, ...] = tuple(s.key for s in shipped_stages())
#: The values an agreement's ``status`` takes: a stage, or ``mentioned``.
STATUSES: tuple[str, ...] = (*STAGES, MENTIONED)


def stages_payload() -> list[dict[str, str]]:
    """The stages as the dashboard reads them (``GET /api/types``): key and label, in order."""
    return [{"key": s.key, "label": s.label} for s in shipped_stages()]
