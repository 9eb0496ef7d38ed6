"""Who the parties of an agreement mention are, where the sentence's words say it directly.

Helpers of :func:`legation.extract.agreements._party_groups`: the party codes of mention
records, the parties a name's own modifiers give when the mention tagger found none in them
("the U.S. alliances"), the list of parties after "between", and whether a lower-case name
is an instrument a possessive or "under" points at ("under a stationing agreement").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from legation.actors.dictionary import ActorDictionary
from legation.extract.agreement_merge import head_class
from legation.extract.agreement_names import shipped_names


def codes(ms: Sequence[dict[str, Any]]) -> list[str]:
    """The distinct actor codes of mention records, in order."""
    out: list[str] = []
    for m in ms:
        if m["code"] not in out:
            out.append(m["code"])
    return out


#: A capitalised word of a name that may be a party the mention tagger left untagged: an
#: initialism ("U.S.", "UK") or a nationality adjective ("Russian", "South Korean").
_PARTY_WORD = re.compile(r"(?:[A-Z]\.){2,}|[A-Z]{2,3}\b|(?:(?:North|South|New)\s+)?[A-Z][a-z]+")


def name_parties(mods: str, start: int) -> list[dict[str, Any]]:
    """Party mentions the modifiers of a name give (``mods`` starting at article offset
    ``start``) when the mention tagger found none in them: "the U.S. alliances with Japan and
    with South Korea" is led by the United States. Only a state the shipped actor dictionary
    gives one code for: an initialism (a grouping's, "AUKUS", is no party of what it names)
    or a nationality adjective; a place ("Washington accord") or a word that is also a
    state's ("Union") is not one."""
    out: list[dict[str, Any]] = []
    actors = ActorDictionary.load()
    for w in _PARTY_WORD.finditer(mods):
        word = w.group(0)
        if word.isupper() or word.endswith("."):
            hits = {e.code for e in actors.lookup(word) if e.kind == "state" and e.code}
            code = next(iter(hits)) if len(hits) == 1 else None
        else:
            code = actors.demonym(word)
        if code:
            out.append({"text": word, "start": start + w.start(), "end": start + w.end(), "code": code})
    return out


#: What may stand between two parties listed after "between": "X and Y", "X, Y, Z and W".
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:the\s+)?")


def listed_parties(text: str, s0: int, at: int, mentions: Sequence[dict[str, Any]]) -> list[str]:
    """The parties "between" lists from offset ``at`` of the sentence ``text`` (which starts at
    article offset ``s0``): "between Canada and Chile", "the 2015 nuclear deal between Iran,
    the United States, Britain, France and China" (all of a list of names; else the first two
    named after the word)."""
    after = [x for x in mentions if x["start"] >= s0 + at]
    listed = after[:1]
    for x in after[1:]:
        if not _LIST_GAP.fullmatch(text[listed[-1]["end"] - s0 : x["start"] - s0]):
            break
        listed.append(x)
    return codes(listed) if len(codes(listed)) >= 2 else codes(after)[:2]


#: Right before a name: a possessive or "under" that points at one instrument ("ended its
#: defence cooperation agreement with Paris", "troops operate under a stationing agreement").
_POINTED = re.compile(r"\b(?:its|their|under\s+(?:an?|the|its|their))\s+$", re.IGNORECASE)


def pointed_at(text: str, start: int, head: str) -> bool:
    """Whether the lower-case name starting at ``start`` of ``text`` is an instrument a
    possessive or "under" points at, though no step of it is reported; never one whose head
    may describe a relationship ("under their close partnership"; ``relationships`` of
    ``data/agreements/names.yaml``)."""
    if head_class(head) in shipped_names().relationships:
        return False
    return bool(_POINTED.search(text[max(0, start - 12) : start]))


#: Where a clause of its own starts inside a sentence: "..., while other units serve under a
#: defence agreement with X", "...; but the government signed an agreement with Y". The actors
#: before it act in another clause, not on the instrument after it.
_CLAUSE_OPEN = re.compile(r"(?:,\s*(?:while|whereas|but|although|though|because)\b|;|:)", re.IGNORECASE)


def clause_agents(text: str, s0: int, start: int, mentions: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mentions before the name starting at ``start`` of the sentence ``text`` (at article
    offset ``s0``) that stand in the name's own clause: those after the last clause opening
    before it (all before it when none opens a clause)."""
    opens = [m.end() for m in _CLAUSE_OPEN.finditer(text, 0, start)]
    a = s0 + (opens[-1] if opens else 0)
    return [x for x in mentions if a <= x["start"] and x["end"] <= s0 + start]


#: "with X - A and B -" or "with X (A and B)" right after a name: a with-phrase, then an
#: apposition between dashes or in brackets that lists names.
_WITH_APPOSED = re.compile(
    r"\s+with\s+(?P<with>[^-–—(),;.]{1,40}?)\s*(?:[-–—]\s*(?P<dash>[^-–—();.]{1,60}?)\s*[-–—]"
    r"|\(\s*(?P<paren>[^();.]{1,60}?)\s*\))"
)


def apposed_groups(
    text: str, s0: int, end: int, mentions: Sequence[dict[str, Any]], plural: bool
) -> list[list[str]]:
    """The party sets of a name ending at ``end`` that a with-phrase and an apposition after it
    give. "The only two coastal states to have signed peace treaties with Canada - Chile and
    Peru - ...": the apposition names the subject, the signatories, and the with-phrase their
    partner (one instrument per signatory for a plural head). "signed treaties with two
    neighbours - Chile and Peru -": the apposition names the partners, and no lead is known
    here (an empty list: the caller's other rules apply). The actors of the sentence's other
    clauses are no party either way."""
    m = _WITH_APPOSED.match(text, end)
    if m is None:
        return []
    grp = "dash" if m.group("dash") is not None else "paren"

    def inside(g: str) -> list[str]:
        return codes([x for x in mentions if s0 + m.start(g) <= x["start"] and x["end"] <= s0 + m.end(g)])

    partners, apposed = inside("with"), inside(grp)
    if not partners or not apposed:
        return []
    if plural:
        return [[a, p] for a in apposed for p in partners]
    return [[*apposed, *partners]]


def adjective_referent(
    text: str,
    s0: int,
    span: tuple[int, int],
    mods: str,
    head: str,
    in_sent: Sequence[dict[str, Any]],
    before: Sequence[dict[str, Any]],
    mentions: Sequence[dict[str, Any]],
) -> dict[str, Any] | None:
    """The instrument named before that "the <Adjective> <head>" refers back to, or ``None``.

    "The Security and Defence Partnership the Philippines launched with the European Union ...
    What the European partnership brings is money": a definite name whose only naming words
    are capitalised words of a party of the last instrument of its class in the article (the
    first word of that party's name, or its nationality adjective) is that instrument, not one
    of the actors of the sentence before, when its sentence names no other party before it or
    right after it. ``text`` is the sentence (at article offset ``s0``), ``span`` the name's
    offsets in it (its modifiers ``mods`` first); ``in_sent`` the sentence's party mentions,
    ``before`` the article's instrument mentions so far, ``mentions`` its party mentions."""
    start, end = span
    if not re.search(r"\bthe\s+$", text[max(0, start - 4) : start], re.IGNORECASE):
        return None
    same = [x for x in before if head_class(x["head"]) == head_class(head)]
    words = [w for w in re.split(r"[\s-]+", mods) if w]
    if not same or not words or not all(w[:1].isupper() for w in words):
        return None
    last = same[-1]
    near = {x["code"] for x in in_sent if x["start"] - s0 < end + 40}
    if not near <= set(last["parties"]):
        return None  # "the Canadian partnership with Peru": another instrument
    actors = ActorDictionary.load()
    own = {
        re.sub(r"^the\s+", "", str(x.get(f) or ""), flags=re.IGNORECASE).split(" ")[0]
        for x in mentions
        if x["code"] in last["parties"]
        for f in ("text", "name")
    }
    if all(w in own or actors.demonym(w) in last["parties"] for w in words):
        return last
    return None
