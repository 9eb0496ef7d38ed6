"""One article's agreement mentions of one instrument made one: descriptions and bare heads.

Run by :func:`legation.extract.agreements.extract_agreements` on the mentions of an article
once they are all found, so a mention can take the key of one named after it: the registry
(:mod:`legation.crossdoc.agreements`) then merges them whatever else the corpus holds.
"""

from __future__ import annotations

import re
from typing import Any

from legation.extract.agreement_names import DEFAULT_CLASS, shipped_names

#: How a date was found when the sentence itself gives it (a dateline or publication day only
#: stands in for a date the sentence does not give).
_TEXT_BASES = frozenset({"text", "event"})


def head_class(head: str) -> str:
    """What a bare head refers back to: "the pact" may be the treaty named before."""
    h = shipped_names().head_of(head)
    return h.cls if h else DEFAULT_CLASS


def merge_descriptions(ms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A lower-case description ("the defence cooperation agreement recently signed by Russia
    and North Korea") of an instrument the article names ("comprehensive strategic partnership
    treaty") with the same parties and head class takes that instrument's key, unless the two
    date a step differently (then they are two instruments)."""
    for m in ms:
        if _proper(m):
            continue
        for other in ms:
            if (
                other["key"] != m["key"]
                and other["parties"] == m["parties"]
                and head_class(other["head"]) == head_class(m["head"])
                and (_proper(other) or ms.index(other) < ms.index(m))
                and _dates_agree(m, other)
            ):
                m["key"] = other["key"]
                break
    return ms


def _bare_key(m: dict[str, Any]) -> bool:
    """Whether a mention's key names it by its head alone ("JPN KOR USA | memorandum": "signed
    a memorandum on Sunday", "signed an intergovernmental agreement")."""
    words = str(m["key"]).split(" | ", 1)[-1].split()
    h = shipped_names().head_of(str(m["head"]))
    return len(words) == 1 and words[0] == (h.key if h else str(m["head"]).lower())


def name_bare_heads(ms: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An instrument introduced by its bare head ("the three ministers signed a memorandum on
    Sunday") and named in full further on ("they signed the memorandum of cooperation in
    Tokyo") is one instrument: the mentions of the bare key (the first and those referring
    back to it) take the key of the first later mention of the same parties and head class,
    unless the sentences date one step differently (a dateline or publication day stands in
    for a date and says nothing)."""
    for i, m in enumerate(ms):
        if not _bare_key(m) or any(x["key"] == m["key"] for x in ms[:i]):
            continue
        mine = [x for x in ms if x["key"] == m["key"]]
        for other in ms[i + 1 :]:
            theirs = [x for x in ms if x["key"] == other["key"]]
            if (
                other["key"] != m["key"]
                and not _bare_key(other)
                and other["parties"] == m["parties"]
                and head_class(other["head"]) == head_class(m["head"])
                and all(_dates_agree(_text_dated(x), _text_dated(y)) for x in mine for y in theirs)
            ):
                for x in mine:
                    x["key"] = other["key"]
                break
    return ms


def _text_dated(m: dict[str, Any]) -> dict[str, Any]:
    """The mention with only the step dates its sentence gives."""
    basis = m.get("date_basis") or {}
    return {**m, "dates": {s: d for s, d in m["dates"].items() if d and basis.get(s) in _TEXT_BASES}}


def _proper(m: dict[str, Any]) -> bool:
    """Whether a mention names its instrument (capitals or quotes) rather than describes it."""
    return bool(re.search(r"[A-Z]", m["name"]) or m.get("quoted"))


def _dates_agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    for stage, day in a["dates"].items():
        other = b["dates"].get(stage)
        if day and other and not (str(day).startswith(str(other)) or str(other).startswith(str(day))):
            return False
    return True
