"""Per-article agreement mentions: treaties, partnerships, task forces, pacts and alliances.

Recurring meeting formats (dialogues, summits, fora) are CONSULT events, not agreements: they
bind nobody. A lower-case description of a relationship ("a close and strategic partnership
between the Union and the Alliance") names no instrument unless the sentence reports a step
taken on it (signed, launched, ...).

A mention is a head noun ("partnership", "treaty", "task force", "dialogue", "agreement") with
the modifiers that name it ("EU-Japan Security and Defence Partnership", "a comprehensive
strategic partnership treaty"). A bare head ("this partnership") refers back to one already
named and is skipped. Parties come, in order of preference, from the name's "X-Y" prefix, from
"between X and Y", from "with X (and Y)" plus the sentence's first actor, else from the actors
of the sentence (or of the one before it when the sentence names fewer than two). Pure
functions over an article's text, mention records and event facts, run once per article by
the extract stage (:mod:`legation.extract.stage`, in the worker), so any batch order gives the
same mentions; merging them across articles is :mod:`legation.crossdoc.agreements`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from legation.datafile import phrase_alternation
from legation.events.where import gazetteer
from legation.extract.agreement_dates import UNREAL as _UNREAL
from legation.extract.agreement_dates import cues, narrative_date, reference, sentence_date, stage_dates
from legation.extract.agreement_merge import head_class, merge_descriptions, name_bare_heads
from legation.extract.agreement_names import Head, shipped_names
from legation.extract.agreement_parties import (
    adjective_referent,
    apposed_groups,
    clause_agents,
    listed_parties,
    name_parties,
    pointed_at,
)
from legation.extract.agreement_parties import codes as _codes
from legation.extract.sentences import sentences

_NAMES = shipped_names()
_HEADS = _NAMES.head_pattern()
_MODS = (
    _NAMES.modifier_pattern() + r"|(?-i:(?!(?:This|These|That|Those|Such|The|Our|Their|Its|We|It|A|An)\b)"
    r"[A-Z][\w.]*(?:[-–][A-Z][\w.]*(?: of [A-Z]\w*)?)*)"
)
_NAME_RE = re.compile(rf"[‘“'\"]?((?:(?:{_MODS})[\s-]+)+)({_HEADS})\b[’”'\"]?", re.IGNORECASE)
_PARTY_KINDS = {"state", "igo", "person", "org"}


def _head(form: str) -> Head | None:
    return _NAMES.head_of(form)


def _kind(head: str) -> str:
    h = _head(head)
    return h.kind if h else "agreement"


def _key_head(head: str) -> str:
    """The head written in the merge key: "the pact" and "the treaty" are one ``agreement``."""
    h = _head(head)
    return h.key if h else _singular(head.lower())


_ENDS_IN_HEAD = re.compile(rf"\b(?:{_HEADS})$", re.IGNORECASE)


def _is_instrument(mention: dict[str, Any]) -> bool:
    """Whether an actor mention is an instrument's name the actor tagger took for an unknown
    body ("Defence Cooperation Agreement" tagged as an organisation): no party of anything.
    A name the actor dictionary knows ("the Atlantic Alliance" = NATO) stays an actor."""
    return not mention.get("actor_id") and bool(_ENDS_IN_HEAD.search(str(mention.get("text") or "")))


def not_instrument(text: str, end: int) -> bool:
    """Whether the noun right after a head at ``end`` makes the phrase a meeting format, a body
    or a thing of the instrument ("Partnership Council", "ceasefire talks", "ceasefire line")."""
    m = re.match(r"[’”'\"]?\s+([a-z]+)\b", text[end:], re.IGNORECASE)
    return bool(m and m.group(1).lower() in _NAMES.not_instruments)


_BODY_AFTER = re.compile(
    rf",\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){{0,3}}?(?:{phrase_alternation(_NAMES.bodies)})\b", re.IGNORECASE
)


def is_body(text: str, end: int) -> bool:
    """Whether an apposition right after a name at ``end`` calls it a body ("the Trade
    Partnership, a trade-focused consulting firm"): an organisation, not an instrument."""
    return bool(_NAMES.bodies) and bool(_BODY_AFTER.match(text, end))


#: Key prefix of agreements named after a place: one record whoever the sentence names.
NAMED = "*"


def place_named(mods: str, names: frozenset[str]) -> bool:
    """Whether a name carries a place ("Minsk agreements", "North Atlantic Treaty", "Oslo Accords").

    Such a name identifies one instrument: the actors of the sentences that mention it (summit
    guests, members, critics) are not its parties, so mentions must not split by party set.
    Capitalised words that are not the parties' own names are looked up in the gazetteer of
    :mod:`legation.events.where` (cities only: a country in a name is usually a party).
    """

    words = [w for w in re.split(r"[\s-]+", mods) if w[:1].isupper() and w.lower() not in names]
    for w in words:
        if w.lower() in _NAMES.seas:
            return True
        place = gazetteer().lookup(w)
        if place is not None and place.kind == "city":
            return True
    return False


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def norm_key(mods: str, head: str, names: frozenset[str] = frozenset()) -> str:
    """Merge key of a name: lower case, British spelling, descriptive words and party names dropped.

    ``names`` are the lower-cased words of the actor mentions nearby: "EU-Republic of Korea"
    in a name says who the parties are, which the key holds separately.
    """
    words = [w.lower().replace("defense", "defence") for w in mods.split()]
    words = [
        w for w in words if w not in _NAMES.descriptive and not any(p in names for p in re.split(r"[-–]", w))
    ]
    return " ".join([*words, _key_head(head)] if head else words)


def _signers(events: Sequence[dict[str, Any]], s0: int, s1: int) -> list[str]:
    """The actor codes of the sentence's real lifecycle event ("the two allies finalized ...").

    The event coder has resolved who signed (pronouns, "the two allies", appositions), which the
    sentence's mentions alone do not say: bystanders named after the verb are not parties.
    """
    for e in events:
        if not (e["start"] < s1 and s0 < e["end"]) or e.get("aux") in _UNREAL:
            continue
        if cues(str(e.get("trigger") or "")):
            codes = [c for i, c in enumerate(e.get("actors") or []) if c not in (e.get("actors") or [])[:i]]
            if len(codes) >= 2:
                return codes
    return []


def _mention(
    name: str, head: str, parties: list[str], sent: _Sentence, key: str, span: tuple[int, int]
) -> dict[str, Any]:
    """A mention record; its steps dated by :func:`legation.extract.agreement_dates.stage_dates`."""
    found = stage_dates(sent.text, span, [x for x in sent.names if x != span], sent.when, sent.ref)
    return {
        "name": name,
        "kind": _kind(head),
        "parties": sorted(parties),
        "key": key,
        "dates": {stage: d.day for stage, d in found.items()},
        "date_basis": {stage: d.basis for stage, d in found.items() if d.day},
        "date_precision": {stage: d.precision for stage, d in found.items() if d.day and d.precision},
        "evidence": sent.text,
    }


def extract_agreements(
    article: dict[str, Any],
    mentions: Sequence[dict[str, Any]],
    spans: Sequence[tuple[int, int]] | None = None,
) -> list[dict[str, Any]]:
    """Agreement mentions of one article, each with name, kind, parties, merge key and dates.

    ``article`` holds ``text``, ``published``, ``datelines`` (``start``, ``end``, ``date``) and
    ``events`` (the event facts of :func:`legation.extract.stage.event_facts`); ``spans`` are
    the sentence spans of the text (split here when not given). Only mentions with two or more
    distinct parties are kept: an agreement with one known party cannot be told apart from
    another of its kind. A bare "the agreement" refers back to the instrument of its kind named
    last (:func:`_anaphora`), and a lower-case description of an instrument the article also
    names, with the same parties, is that instrument (:func:`merge_descriptions`).
    """
    text = article["text"] or ""
    events = article.get("events") or []
    published = article.get("published")
    ments = sorted(
        (m for m in mentions if m.get("code") and m.get("kind") in _PARTY_KINDS and not _is_instrument(m)),
        key=lambda m: (m["start"], m["end"]),
    )
    out: list[dict[str, Any]] = []
    prev: list[str] = []
    topic, topics = topic_party(ments), topic_parties(ments)
    for s0, s1 in sentences(text) if spans is None else spans:
        carried = narrative_date(events, text, s0, published)
        in_sent = [m for m in ments if s0 <= m["start"] < s1 and not _attributor(text, s0, m)]
        when = sentence_date(events, s0, s1, carried)
        st = text[s0:s1]
        found = [
            m for m in _NAME_RE.finditer(st) if not not_instrument(st, m.end()) and not is_body(st, m.end())
        ]
        bare = [m for m in _BARE_RE.finditer(st) if not not_instrument(st, m.end())]
        names = [(m.start(1), m.end()) for m in found] + [(m.start(), m.end()) for m in bare]
        sent = _Sentence(
            st, s0, s1, in_sent, prev, events, when, reference(article, s0), sorted(names), topic, topics
        )
        for m in found:
            ref = adjective_referent(
                st, s0, (m.start(1), m.end()), m.group(1), m.group(2), in_sent, out, ments
            )
            out.extend(
                _name_mentions(sent, m) if ref is None else _refer_back(sent, ref, (m.start(1), m.end()))
            )
        for m in bare:
            out.extend(_anaphora(sent, m, out))
        prev = _codes(in_sent) or prev
    return name_bare_heads(merge_descriptions(out))


#: The subject of a relative clause that names the signatories by number: "the two governments".
_TWO = re.compile(r"(?:the\s+two|both)\s+[\w-]+", re.IGNORECASE)


def topic_parties(mentions: Sequence[dict[str, Any]]) -> list[str]:
    """The parties of an article, most often named first (ties: the first named first)."""
    counts = Counter(m["code"] for m in mentions)
    first = {c: i for i, c in reversed(list(enumerate(m["code"] for m in mentions)))}
    return sorted(counts, key=lambda c: (-counts[c], first[c]))


def topic_party(mentions: Sequence[dict[str, Any]]) -> str | None:
    """The party an article names most often (the first named of those tied): what an analysis
    of "Manila's pacts" is about, the party of "the Visiting Forces Agreement with the United
    States" when the sentence names no other. ``None`` when no party is named twice."""
    counts = Counter(m["code"] for m in mentions)
    if not counts:
        return None
    best = max(counts.values())
    if best < 2:
        return None
    return next(str(m["code"]) for m in mentions if counts[m["code"]] == best)


#: A bare head: "the agreement", "the pact", "a memorandum (of understanding)", "an agreement".
_BARE_RE = re.compile(
    rf"\b(?P<det>the|this|that|an?)\s+(?P<head>{_HEADS}|{'|'.join(_NAMES.references)})\b", re.IGNORECASE
)


#: What names a bare instrument after its head: "a memorandum on joint border patrols",
#: "a treaty of enhanced cooperation" (up to five words, not a place or time phrase).
_POSTMOD = re.compile(
    r"\s+(?:on|of|for)\s+(?!(?:the\s+)?(?:\d|[A-Z]))(?:(?!in\b|at\b|with\b|on\b|that\b|which\b)[a-z-]+\s*){1,5}"
)


def _new_instrument(text: str, start: int, end: int) -> bool:
    """Whether an indefinite name of only descriptive words introduces an instrument rather
    than refers back: right after a lifecycle cue ("signed an intergovernmental agreement") or
    before a relative clause reporting its step ("an intergovernmental agreement that X and Y
    signed")."""
    if not re.search(r"\ban?\s+$", text[max(0, start - 4) : start]):
        return False
    return any(c.end <= start and start - c.end <= 30 for c in cues(text)) or _relative(text, end) is not None


#: Right after a name: the start of a relative clause ("that", ", which", or none: "the treaty
#: Russia signed").
_REL_OPEN = re.compile(r"[’”'\"]?(?P<comma>\s*,)?\s*(?P<pron>that|which)?\s+")
#: Adverbs and auxiliaries between a relative clause's subject and its verb.
_REL_AUX = re.compile(r"(?:\s+(?:has|have|had|jointly|both|formally|officially|finally|already))+$")
#: "with X (and Y)" right after the relative clause's verb: the other signatories.
_REL_WITH = re.compile(r"\s+with\s+((?:(?!\s(?:in|on|at|last|this|a|an)\s)[^,;.]|(?<=\b[A-Z])\.){1,50})")


def _relative(text: str, end: int) -> tuple[int, int, int] | None:
    """The relative clause reporting a step of the instrument whose name ends at ``end``: the
    offsets of its subject (start, end) and the end of its cue verb, or ``None``."""
    m = _REL_OPEN.match(text, end)
    if m is None or (m.group("comma") and not m.group("pron")):
        return None
    s = m.end()
    cue = next((c for c in cues(text) if c.start >= s), None)
    if cue is None or cue.start - s > 70:
        return None
    subj = _REL_AUX.sub("", text[s : cue.start].rstrip())
    if not subj or re.search(r"[,;:]|(?<!\b[A-Z])\.", subj):
        return None
    if not m.group("pron") and not subj[:1].isupper():
        return None  # a reduced relative needs a named subject ("the treaty Russia signed")
    return s, s + len(subj), cue.end


def relative_end(text: str, end: int) -> int:
    """Where the relative clause after a name ending at ``end`` ends: after its verb and its
    "with ..." (the description it gives: "treaty Russia signed with North Korea")."""
    rel = _relative(text, end)
    if rel is None:
        return end
    w = _REL_WITH.match(text, rel[2])
    return w.end(1) if w is not None else rel[2]


def relative_parties(text: str, s0: int, end: int, mentions: Sequence[dict[str, Any]]) -> list[str]:
    """The signatories a relative clause after an instrument's name gives ("a status of forces
    agreement that Jamaica and Haiti signed", "the pact, which Armenia and Azerbaijan signed",
    "the partnership that Starmer signed with Ukraine"): the actors of its subject, then those
    of "with ..." after its verb. ``text`` is the sentence, starting at article offset ``s0``;
    ``end`` ends the name in it."""
    rel = _relative(text, end)
    if rel is None:
        return _signed_by(text, s0, end, mentions)
    subj0, subj1, cue_end = rel
    inside = [x for x in mentions if s0 + subj0 <= x["start"] and x["end"] <= s0 + subj1]
    w = _REL_WITH.match(text, cue_end)
    if w is not None:
        inside += [x for x in mentions if s0 + w.start(1) <= x["start"] and x["end"] <= s0 + w.end(1)]
    return _codes(inside)


#: Right after a name, a passive step with its agent: "(, which was) (recently) signed by".
_PASSIVE = re.compile(
    r"[’”'\"]?\s*,?\s*(?:(?:which|that)\s+(?:was|were|has\s+been|had\s+been)\s+)?(?:\w+ly\s+)?(?P<cue>\w+)\s+by\s+"
    r"(?P<by>(?:[^,;.]|(?<=\b[A-Z])\.){1,80}?)(?=[,;]|(?<!\b[A-Z])\.|\s+(?:in|on|at|last|this)\s|$)"
)


def _signed_by(text: str, s0: int, end: int, mentions: Sequence[dict[str, Any]]) -> list[str]:
    """The signatories a passive names as its agents ("the defence cooperation agreement
    recently signed by Russia and North Korea"): two or more, else none."""
    m = _PASSIVE.match(text, end)
    if m is None or not cues(m.group("cue")):
        return []
    got = _codes([x for x in mentions if s0 + m.start("by") <= x["start"] and x["end"] <= s0 + m.end("by")])
    return got if len(got) >= 2 else []


def _anaphora(sent: _Sentence, m: re.Match[str], before: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """A bare head as a mention: "the agreement" of the instrument of its kind named last in
    the article; "signed an agreement in Ankara" a new instrument when the sentence reports
    its step and names its parties."""
    head = m.group("head")
    span = (m.start(), m.end())
    if m.group("det").lower() in ("a", "an"):
        if not any(c.start < m.start() and m.start() - c.end <= 30 for c in cues(sent.text)):
            return []
        post = _POSTMOD.match(sent.text, m.end())
        name = re.sub(
            r"\s+", " ", m.group(0)[len(m.group("det")) :].strip() + (post.group(0) if post else "")
        )
        return _name_mentions(
            sent, m, (name, head, (m.start(), m.end() + (len(post.group(0)) if post else 0)), name)
        )
    same = [x for x in before if head_class(x["head"]) == head_class(head)]
    post = _POSTMOD.match(sent.text, m.end())
    if post and not re.match(r"\s+\w+\s+the\b", post.group(0)) and not _named_by(post.group(0), same):
        # "the agreement on security co-operation that the two countries signed": the words
        # after the head name another instrument than the one named last.
        name = re.sub(r"\s+", " ", head + post.group(0)).strip()
        return _name_mentions(sent, m, (name, head, (m.start(), m.end() + len(post.group(0))), name))
    rel = relative_parties(sent.text, sent.s0, m.end(), sent.mentions)
    if len(rel) >= 2 and not any(sorted(rel) == x["parties"] for x in same):
        # "the treaty Russia signed with North Korea", "the truce, which Israel and Lebanon
        # accepted": a relative clause names the signatories of an instrument not named before.
        name = re.sub(r"\s+", " ", sent.text[m.start("head") : relative_end(sent.text, m.end())])
        return _name_mentions(sent, m, (name, head, span, head.lower()))  # the clause describes, not names
    after = {x["code"] for x in sent.mentions if 0 <= x["start"] - sent.s0 - m.end() <= 40}
    if not same or not after <= set(same[-1]["parties"]):
        return []  # "the treaty Russia signed with North Korea": another instrument of the kind
    return _refer_back(sent, same[-1], span)


def _refer_back(sent: _Sentence, last: dict[str, Any], span: tuple[int, int]) -> list[dict[str, Any]]:
    """A mention of the instrument ``last`` named before, when the sentence dates a step of it."""
    rec = _mention(last["name"], last["head"], list(last["parties"]), sent, last["key"], span)
    return [{**rec, "head": last["head"], "quoted": last.get("quoted", False)}] if rec["dates"] else []


def _named_by(post: str, same: Sequence[dict[str, Any]]) -> bool:
    """Whether the naming words after a bare head ("on security co-operation") are those of the
    instrument it would refer back to."""
    if not same:
        return False
    words = set(re.findall(r"[a-z-]+", post.lower())) - {"on", "of", "for"} - _NAMES.descriptive
    return words <= set(same[-1]["name"].lower().replace("defense", "defence").split())


#: "For NATO, Xi and Putin have a strategic partnership", "according to Seoul, ...": the actor
#: a statement is attributed to is its source, not a party to what it describes.
_FOR_BEFORE = re.compile(r"(?:^|[.;:]\s*)[Ff]or\s+(?:the\s+)?$")
_ACCORDING_BEFORE = re.compile(r"\b[Aa]ccording to\s+(?:the\s+)?$")


def _attributor(text: str, s0: int, m: dict[str, Any]) -> bool:
    """Whether mention ``m`` (in the sentence starting at ``s0``) names whom the sentence is
    attributed to: "For X, ..." opening the sentence, or "according to X"."""
    before = text[max(s0, m["start"] - 30) : m["start"]]
    if _ACCORDING_BEFORE.search(before):
        return True
    return bool(_FOR_BEFORE.search(before)) and text[m["end"] : m["end"] + 2].lstrip().startswith(",")


@dataclass(frozen=True)
class _Sentence:
    """One sentence of an article with what naming its agreements needs."""

    text: str
    s0: int
    s1: int
    #: The party mentions inside it, in text order.
    mentions: list[dict[str, Any]]
    #: The party codes of the last sentence that named any: "it" and "the two" refer back.
    prev: list[str]
    events: Sequence[dict[str, Any]]
    #: :func:`sentence_date` of the sentence.
    when: tuple[str | None, bool]
    #: :func:`legation.extract.agreement_dates.reference` of the sentence.
    ref: tuple[date | None, str]
    #: The spans of the sentence's instrument names (named and bare), in order.
    names: list[tuple[int, int]]
    #: The party the article names most often (its subject), :func:`topic_party`.
    topic: str | None = None
    #: The article's parties, most often named first (:func:`topic_parties`).
    topics: tuple[str, ...] | list[str] = ()


_QUOTES = "‘“'\""


def _display_name(mods: str, head: str) -> str:
    """The name as printed, singular, without the articles and "new" that only describe it."""
    name = re.sub(r"\s+", " ", (mods + _singular(head) if not head.endswith("ies") else mods + head)).strip()
    return " ".join(w for w in name.split() if w.lower() not in {"new", "the", "a"}).removeprefix("and ")


def _name_mentions(
    sent: _Sentence, m: re.Match[str], bare: tuple[str, str, tuple[int, int], str] | None = None
) -> list[dict[str, Any]]:
    """The mentions one name match gives: one per party group, plus "following those with ...".

    ``bare``: (name, head, span, key words) of a bare head that names a new instrument ("signed
    an agreement", "the treaty Russia signed with North Korea": key words only "treaty"), which
    :func:`_anaphora` passes instead of a name's modifiers.
    """
    mods, head = (m.group(1), m.group(2)) if bare is None else ("", bare[1])
    span = (m.start(1), m.end()) if bare is None else bare[2]
    quoted = bare is None and m.group(0)[:1] in _QUOTES
    names = frozenset(w.lower() for x in sent.mentions for w in re.split(r"[\s-]+", x["text"]))
    key_mods = norm_key(mods, head, names) if bare is None else norm_key(bare[3], "")
    if (
        bare is None
        and key_mods == norm_key("", head)
        and not quoted
        and not _new_instrument(sent.text, span[0], span[1])
    ):
        return []  # a bare head: a reference back, not a name
    a, b = sent.s0 + span[0], sent.s0 + (m.start(2) if bare is None else span[0])
    prefix = [x for x in sent.mentions if a <= x["start"] and x["end"] <= b] or name_parties(
        sent.text[span[0] : span[0] + len(mods)], a
    )
    others = [x for x in sent.names if x != span]
    if (
        not re.search(r"[A-Z]", mods)
        and not pointed_at(sent.text, span[0], head)
        and not stage_dates(sent.text, span, others, sent.when, sent.ref)
    ):
        return []  # "a close (‘strategic’) partnership": a relationship described, no instrument
    name = _display_name(mods, head) if bare is None else bare[0]
    named = place_named(mods, names)
    out: list[dict[str, Any]] = []
    for parties in _party_groups(sent, span, prefix, head):
        parties = [p for i, p in enumerate(parties) if p not in parties[:i]]
        if len(parties) < 2:
            continue
        key = (NAMED if named else " ".join(sorted(parties))) + " | " + key_mods
        out.append({**_mention(name, head, parties, sent, key, span), "head": head, "quoted": quoted})
    # "the third of this type, following those with Norway and Moldova": same kind, other partners.
    follow = re.search(r"following (?:those|the ones|ones) with\s+([^.;]{0,60})", sent.text[span[1] :])
    if follow and len(_codes(prefix)) >= 2:
        f0 = sent.s0 + span[1] + follow.start(1)
        f1 = sent.s0 + span[1] + follow.end(1)
        lead = _codes(prefix)[0]
        for p in _codes([x for x in sent.mentions if f0 <= x["start"] < f1]):
            if p != lead:
                key = f"{' '.join(sorted([lead, p]))} | {key_mods}"
                nm = re.sub(r"^\S+-\S+\s", f"{lead}-{p} ", name)
                rec = _mention(nm, head, [lead, p], sent, key, span)
                # An earlier instrument of the kind: neither its steps nor their dates come from
                # this sentence ("we announced the EU-Japan one" announces no Norway one).
                rec.update(dates={}, date_basis={}, date_precision={})
                out.append({**rec, "head": head, "quoted": False})
    return out


def _party_groups(
    sent: _Sentence, span: tuple[int, int], prefix: Sequence[dict[str, Any]], head: str
) -> list[list[str]]:
    """The party sets of a name, by the first rule that applies (see the module doc).

    The name's own "X-Y" prefix; the actors of the sentence's signing or launching event;
    "between X and Y"; "with X (and Y)" after the name, led by the actor before it (one
    agreement per partner when the head is plural); else the actors of the sentence.
    """
    if len(_codes(prefix)) >= 2:
        return [_codes(prefix)]
    rel = relative_parties(sent.text, sent.s0, span[1], sent.mentions)
    if len(rel) >= 2:
        return [rel]  # the signatories a relative clause names
    rel_at = _relative(sent.text, span[1])
    if rel_at is not None and _TWO.fullmatch(sent.text[rel_at[0] : rel_at[1]]):
        # "a status of forces agreement that the two governments signed": the two the article
        # is about, led by those the sentence names before the name.
        before = _codes([x for x in sent.mentions if x["end"] <= sent.s0 + span[0]])
        two = list(dict.fromkeys([*before, *sent.topics]))[:2]
        if len(two) == 2:
            return [two]
    signers = _signers(sent.events, sent.s0, sent.s1)
    if len(signers) >= 2:
        return [signers]  # the actors of the sentence's signing or launching event
    rest = sent.text[span[1] :]
    a = sent.s0 + span[0]
    agent = [x for x in sent.mentions if x["end"] <= a]
    between = re.search(r"\bbetween\b", sent.text)
    if between:
        return [listed_parties(sent.text, sent.s0, between.end(), sent.mentions)]
    plural = head.lower().endswith("s") and not head.lower().endswith("ss")
    apposed = apposed_groups(sent.text, sent.s0, span[1], sent.mentions, plural)
    if apposed:
        return apposed  # "treaties with X - A and B -": the apposition names the signatories
    with_m = re.match(
        r"\s*(?:,[^,]*,\s*)?(?:following those\s+|(?:signed|concluded|agreed)\s+)?with\s+"
        r"((?:(?:[^,.;]|(?<=\b[A-Z])\.){0,40}?)(?:\band\b[^,.;]{0,30})?)"
        r"(?=[,;]|(?<!\b[A-Z])\.|$|\s+which|\s+that)",  # "U.S." does not end the partners
        rest,
    )
    if with_m and (prefix or agent or sent.topic):
        w0, w1 = sent.s0 + span[1] + with_m.start(1), sent.s0 + span[1] + with_m.end(1)
        partners = _codes([x for x in sent.mentions if w0 <= x["start"] < w1])
        # "..., while other units serve under an agreement signed with X": the actors of the
        # sentence's other clauses do not lead; the party the article is about does.
        own_clause = clause_agents(sent.text, sent.s0, span[0], sent.mentions)
        if sent.topic and not own_clause:
            agent = []
        # "the U.S. alliances with Japan and with South Korea": the one party the name gives.
        own = [c for c in _codes(prefix)[:1] if c not in partners]
        # "the Visiting Forces Agreement with the United States" with nobody named before it:
        # the actor the article is about, when it is not the partner, is the other party.
        lead = own[0] if own else _codes(agent)[0] if agent else str(sent.topic)
        if not own and not agent and (lead in partners or not partners):
            return [_codes(sent.mentions)]
        return [[lead, p] for p in partners] if plural else [[lead, *partners]]
    # The actors named before the agreement are the ones acting on it ("The EU and Japan
    # launched a ... Partnership and condemned North Korea's support to Russia"): actors after
    # it are more often what the sentence goes on to discuss.
    codes = _codes(agent) if len(_codes(agent)) >= 2 else _codes(sent.mentions)
    if (
        len(codes) == 1
        and not re.search(r"[A-Z]", sent.text[span[0] : span[1]])
        and pointed_at(sent.text, span[0], head)
    ):
        # "Rwanda's forces operate under a defence cooperation memorandum": the one party named
        # and the one the article is most about, not the actors of the sentence before.
        return [list(dict.fromkeys([*codes, *sent.topics]))[:2]]
    return [codes if len(codes) >= 2 else _codes([{"code": c} for c in codes + sent.prev])]
