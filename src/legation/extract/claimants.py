"""Who asserts a figure: the claimant of a claim, read from its sentence.

The actor just before a reporting verb, after "according to", or the sentence's subject; a
source the actor dictionary does not know keeps its name (:mod:`legation.extract.claim_sources`);
a giver named after a sum and a subject whose verb is left out claim their own figures. Pure
functions over a sentence and its mention records, called by :mod:`legation.extract.claims`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from legation.extract.claim_sources import apposed_subject, is_national, phrase_after, subject_before

#: Verbs and phrases that mark who asserts a figure; the claimant is the actor just before them.
_REPORT = re.compile(
    r"\b(?:reported|reports|announced|announces|claimed|claims|said|says|estimated|estimates|stated|"
    r"confirmed|revealed|told|assessed|believes|warned)\b",
    re.IGNORECASE,
)
_ACCORDING = re.compile(r"\baccording to\b", re.IGNORECASE)


def claimant_of(
    sentence: str,
    s0: int,
    q_start: int,
    ments: Sequence[dict[str, Any]],
    nameless: Sequence[dict[str, Any]] = (),
) -> list[dict[str, str | None]]:
    """Who asserts the figure: the actor just before a reporting verb, or after "according to".

    Only a verb before the figure counts ("X announced that 3,000 ..."); with none, the subject
    of the sentence (its first actor before the figure) stands behind the number, as in "South
    Korea will provide Ukraine with $394 million". A source the dictionary does not know
    (``nameless``: organisations and people with no code) keeps its name with no code
    (:mod:`legation.extract.claim_sources`).
    """
    rel = q_start - s0
    before = [m for m in ments if m["end"] <= q_start]
    # A source with no code speaks for the state its sentence is about ("Defence Minister
    # Antti Häkkänen said Finland had spent ..."), when the sentence's first actor is a state.
    state = before[0]["code"] if before and before[0].get("kind") == "state" else None
    acc = _ACCORDING.search(sentence)
    if acc:
        after = [m for m in ments if m["start"] >= s0 + acc.end()]
        unknown = [m for m in nameless if m["start"] >= s0 + acc.end()]
        if unknown and (not after or unknown[0]["start"] < after[0]["start"]):
            name = phrase_after(sentence, acc.end()) or unknown[0]["text"]
            return [_nameless(name, unknown[0].get("code") or state)]
        if after:
            return [record(after[0])]
    verbs = [v for v in _REPORT.finditer(sentence) if v.start() < rel]
    if verbs:
        found = _before_verb(sentence, s0, verbs[-1].start(), ments, nameless, state)
        if found:
            return found
    # "..., the Pentagon said on Monday": a reporting clause after the figure, its actor right
    # before its verb and a comma between the figure and that actor.
    for v in _REPORT.finditer(sentence):
        if v.start() <= rel:
            continue
        near = [m for m in ments if m["start"] > q_start and 0 <= s0 + v.start() - m["end"] <= 2]
        if near and "," in sentence[rel : near[-1]["start"] - s0]:
            return [record(near[-1])]
    apposed = apposed_subject(sentence)
    if apposed and apposed[1] <= rel:
        inside = [m for m in ments if m["end"] <= s0 + apposed[1]]
        return [record(inside[0])] if inside else [_nameless(apposed[0])]
    return [record(before[0])] if before else []


def record(m: Mapping[str, Any]) -> dict[str, str | None]:
    return {"text": m["text"], "code": m["code"]}


def _nameless(name: str, code: str | None = None) -> dict[str, str | None]:
    return {"text": name, "code": code}


#: Between a coded mention and the name after it that is one source ("Bangladesh's
#: commissioner, Mohammed Mizanur Rahman"): a few words, no clause.
_SAME_SOURCE = re.compile(r"^(?:[’']s)?(?:\s+[\w’'-]+){0,6},?\s+$")


def _before_verb(
    sentence: str,
    s0: int,
    v_start: int,
    ments: Sequence[dict[str, Any]],
    nameless: Sequence[dict[str, Any]],
    state: str | None,
) -> list[dict[str, str | None]]:
    """The source of the reporting verb at ``sentence[v_start]``: the actor just before it; a
    name with no code keeps the code of the actor it names a part of ("the committee's
    spokesman, Yasser al-Farhan, told"), else ``state``; with no actor, the name its clause
    opens with."""
    before = [m for m in ments if m["end"] <= s0 + v_start]
    unknown = [m for m in nameless if m["end"] <= s0 + v_start]
    if unknown and (not before or unknown[-1]["start"] >= before[-1]["end"]):
        u = unknown[-1]
        gap = sentence[before[-1]["end"] - s0 : u["start"] - s0] if before else ""
        code = u.get("code") or (before[-1]["code"] if before and _SAME_SOURCE.match(gap) else state)
        return [_nameless(u["text"], code)]
    if before:
        return [record(before[-1])]
    name = subject_before(sentence, v_start)
    return [_nameless(name, state)] if name else []


def surnames(ments: Sequence[dict[str, Any]], nameless: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sources with no code, with the code of a person named in full earlier in the article
    whose name ends with theirs ("Mohammed Mizanur Rahman" (BGD) ... "Rahman said")."""
    people = [m for m in ments if m.get("kind") == "person" and " " in str(m["text"])]
    out = []
    for m in nameless:
        full = [p for p in people if p["end"] <= m["start"] and str(p["text"]).endswith(" " + str(m["text"]))]
        out.append({**m, "code": full[-1]["code"]} if full and m.get("kind") == "person" else m)
    return out


#: A subject whose verb is left out, right before its figure ("..., and the European Union
#: about $20bn", "..., Belarus some 5,000").
_GAPPED = re.compile(r"(?:,|\band)\s+(?:the\s+)?$", re.IGNORECASE)


def gapped(text: str, q: Mapping[str, Any], before: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """The actor of a second figure of a sentence whose verb is left out, if it stands there."""
    if not before or text[before[-1]["end"] : q["start"]].strip():
        return None
    m = before[-1]
    if m.get("kind") not in ("state", "igo") or not _GAPPED.search(
        text[max(0, m["start"] - 12) : m["start"]]
    ):
        return None
    return m


def figure_claimant(
    text: str,
    s0: int,
    s1: int,
    q: Mapping[str, Any],
    ments: Sequence[dict[str, Any]],
    nameless: Sequence[dict[str, Any]],
    home: str | None,
) -> tuple[list[dict[str, str | None]], dict[str, Any] | None]:
    """Who asserts the figure of ``q`` in the sentence ``text[s0:s1]`` (:func:`claimant_of`),
    and the giver a relative or passive clause after a sum names (:func:`_giver_after`)."""
    claimant = claimant_of(
        text[s0:s1],
        s0,
        q["start"],
        [m for m in ments if s0 <= m["start"] < s1],
        [m for m in nameless if s0 <= m["start"] < s1],
    )
    # "A national fact-finding committee": a source of the state the report is filed from.
    claimant = [
        {**c, "code": home} if c["code"] is None and home and is_national(str(c["text"])) else c
        for c in claimant
    ]
    before = [m for m in ments if s0 <= m["start"] and m["end"] <= q["start"]]
    giver = _giver_after(text, q, before, [m for m in ments if q["end"] <= m["start"] < s1])
    if giver is not None and not claimant:
        claimant = [record(giver)]
    return claimant, giver


#: Between a sum and its giver named after it, in a relative or passive clause ("£3bn a
#: year in military aid that Britain has promised", "the 35 billion set aside by Norway").
_GIVER_AFTER = re.compile(r"^[^,;.]{0,60}?\b(?:that|which|by)\s+(?:the\s+)?$", re.IGNORECASE)


def _giver_after(
    text: str, q: Mapping[str, Any], before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]]
) -> dict[str, Any] | None:
    """The giver of a sum whose sentence names no actor before it, when a relative or
    passive clause after it names one (a state or an organisation of states)."""
    if q["kind"] != "money" or before or not after:
        return None
    m = after[0]
    if m.get("kind") not in ("state", "igo") or not _GIVER_AFTER.match(text[q["end"] : m["start"]]):
        return None
    return m
