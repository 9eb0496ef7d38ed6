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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from legation.clean.dates import find_dates
from legation.events.where import gazetteer
from legation.extract.sentences import sentences

_HEADS = r"partnerships?|agreements?|treaty|treaties|task forces?|accords?|pacts?|alliances?"
_MODS = (
    r"security|and|defen[cs]e|strategic|comprehensive|free|trade|framework|digital|green|high-level|"
    r"partnership|cooperation|economic|military|mutual|peace|ceasefire|nuclear|political|new|"
    r"joint|(?-i:(?!(?:This|These|That|Those|Such|The|Our|Their|Its|We|It|A|An)\b)"
    r"[A-Z][\w.]*(?:[-–][A-Z][\w.]*(?: of [A-Z]\w*)?)*)"
)
_NAME_RE = re.compile(rf"[‘“'\"]?((?:(?:{_MODS})[\s-]+)+)({_HEADS})\b[’”'\"]?", re.IGNORECASE)
#: Modifiers that describe rather than name an agreement, dropped from the merge key.
_DROP = {
    "new",
    "the",
    "a",
    "an",
    "comprehensive",
    "first",
    "inaugural",
    "close",
    "existing",
    "joint",
    "and",
    "of",
}
_KIND = {
    "partnership": "partnership",
    "agreement": "agreement",
    "treaty": "treaty",
    "task force": "task force",
    "accord": "agreement",
    "pact": "agreement",
    "alliance": "alliance",
}
_STAGES = [
    ("announced", re.compile(r"\bannounc\w*", re.I)),
    ("signed", re.compile(r"\b(?:sign\w*|conclud\w*|finali[sz]\w*|agreed)", re.I)),
    ("ratified", re.compile(r"\bratif\w*", re.I)),
    ("launched", re.compile(r"\b(?:launch\w*|set up|establish\w*|inaugurat\w*)", re.I)),
]
_PARTY_KINDS = {"state", "igo", "person", "org"}
#: Heads that name the same kind of instrument: "the Comprehensive Strategic Partnership
#: treaty" and "... agreement" are one record.
_KEY_HEAD = {"treaty": "agreement", "accord": "agreement", "pact": "agreement"}
#: Sea and ocean names that, like a city, make an agreement's name unique ("North Atlantic").
_SEAS = frozenset({"atlantic", "pacific", "arctic", "baltic", "mediterranean", "caribbean"})
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
        if w.lower() in _SEAS:
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
    words = [w for w in words if w not in _DROP and not any(p in names for p in re.split(r"[-–]", w))]
    head = _singular(head.lower())
    return " ".join([*words, _KEY_HEAD.get(head, head)])


def _codes(ms: Sequence[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for m in ms:
        if m["code"] not in out:
            out.append(m["code"])
    return out


#: Auxiliary modes of events that have not happened: a "will sign" dates no signing.
_UNREAL = frozenset({"future", "hypothetical", "negated"})


def narrative_date(events: Sequence[dict[str, Any]], text: str, s0: int, published: str | None) -> str | None:
    """The date the previous sentence of the same paragraph gives its event, if the text gave one.

    "I travelled to Tokyo and Seoul at the beginning of this month. We concluded new
    partnerships with Japan and South Korea": an undated step told right after a dated one
    happened then. Only a date the text states counts (an undated event gets its week from
    the publication date: precision ``week``), and only one not after publication.
    """
    para = text.rfind("\n\n", 0, s0)
    prev = [e for e in events if e["end"] <= s0 and e["start"] > para and e.get("aux") not in _UNREAL]
    prev = [e for e in prev if e.get("date") and e.get("precision") not in (None, "week", "unknown")]
    if not prev:
        return None
    last = max(prev, key=lambda e: e["end"])
    if text[last["end"] : s0].count(".") > 1:
        return None  # not the sentence right before
    day = str(last["date"])
    return day if not published or day <= published[: len(day)] else None


def sentence_date(
    events: Sequence[dict[str, Any]], s0: int, s1: int, published: str | None, carried: str | None = None
) -> tuple[str | None, bool, str]:
    """The date a sentence's lifecycle verbs happened on, and whether they happened at all.

    The event coder has already resolved the sentence's dates against the article or dateline
    date ("signed on Friday", "ratified in 2019"): the dated real event whose trigger is a
    lifecycle verb gives the day. A sentence whose every event is future, hypothetical or negated
    ("will sign the pact next month") reports no lifecycle step. Otherwise the publication date
    is the best evidence left (a report of a signing is published the day of it or the next),
    unless the sentence before, in the same paragraph, dated its event (``carried``,
    :func:`narrative_date`). The third value says which: ``event`` or ``published``.
    """
    evs = [e for e in events if e["start"] < s1 and s0 < e["end"]]
    if evs and all(e.get("aux") in _UNREAL for e in evs):
        return None, False, "published"
    undated: str | None = None
    for e in evs:
        trig = str(e.get("trigger") or "")
        if e.get("date") and e.get("aux") not in _UNREAL and any(rx.search(trig) for _, rx in _STAGES):
            if e.get("precision") != "week":
                return str(e["date"]), True, "event"
            undated = undated or str(e["date"])  # the publication week: no date in the sentence
    if carried:
        return carried, True, "event"
    if undated:
        return undated, True, "published"
    return (published[:10] if published else None), True, "published"


def _signers(events: Sequence[dict[str, Any]], s0: int, s1: int) -> list[str]:
    """The actor codes of the sentence's real lifecycle event ("the two allies finalized ...").

    The event coder has resolved who signed (pronouns, "the two allies", appositions), which the
    sentence's mentions alone do not say: bystanders named after the verb are not parties.
    """
    for e in events:
        if not (e["start"] < s1 and s0 < e["end"]) or e.get("aux") in _UNREAL:
            continue
        trig = str(e.get("trigger") or "")
        if any(rx.search(trig) for _, rx in _STAGES):
            codes = [c for i, c in enumerate(e.get("actors") or []) if c not in (e.get("actors") or [])[:i]]
            if len(codes) >= 2:
                return codes
    return []


def _stage_dates(
    sentence: str, when: tuple[str | None, bool, str], published: str | None
) -> dict[str, str | None]:
    """Each lifecycle stage the sentence reports, dated by a date printed right after its verb
    ("signed in Washington on April 4, 1949"), else by :func:`sentence_date`."""
    return {stage: day for stage, (day, _) in stage_dates(sentence, when, published).items()}


def stage_dates(
    sentence: str, when: tuple[str | None, bool, str], published: str | None, name_end: int | None = None
) -> dict[str, tuple[str | None, str]]:
    """:func:`_stage_dates` with how each date was found: ``text`` (printed right after the
    agreement's name, or after the verb), ``event`` (the coder's date of the sentence's
    lifecycle event) or ``published``. "launched a Digital Partnership in 2022 and a Green
    Partnership in 2023": the date after each name dates that one."""
    day, real, basis = when
    if not real:
        return {}
    found = [(stage, m) for stage, rx in _STAGES if (m := rx.search(sentence))]
    if not found:
        return {}
    ref = None
    if published and len(published) >= 10:
        try:
            ref = date.fromisoformat(published[:10])
        except ValueError:
            ref = None
    spans = [sp for sp in find_dates(sentence, reference=ref) if sp.value]
    out: dict[str, tuple[str | None, str]] = {}
    own = None
    if name_end is not None:
        # 12 characters: " in 2023", " on 4 May" start there; the next clause does not.
        own = next((sp.value for sp in spans if name_end <= sp.start <= name_end + 12), None)
    for stage, m in found:
        if own and not (published and own[:10] > published[: len(own)]):
            out[stage] = (own, "text")
            continue
        # 60 characters: a place and a preposition ("in Washington on") fit, the next clause not.
        near = next((sp.value for sp in spans if m.end() <= sp.start <= m.end() + 60), None)
        if near and published and near[:10] > published[: len(near)]:
            continue  # "to be signed next month": a planned step, not one taken
        out[stage] = (near, "text") if near else (day, basis)
    return out


def _mention(
    name: str,
    head: str,
    parties: list[str],
    sentence: str,
    when: tuple[str | None, bool, str],
    key: str,
    published: str | None = None,
    name_end: int | None = None,
) -> dict[str, Any]:
    found = stage_dates(sentence, when, published, name_end)
    return {
        "name": name,
        "kind": _KIND.get(_singular(head.lower()), "agreement"),
        "parties": sorted(parties),
        "key": key,
        "dates": {stage: day for stage, (day, _) in found.items()},
        "date_basis": {stage: basis for stage, (day, basis) in found.items() if day},
        "evidence": sentence,
    }


def extract_agreements(
    article: dict[str, Any],
    mentions: Sequence[dict[str, Any]],
    spans: Sequence[tuple[int, int]] | None = None,
) -> list[dict[str, Any]]:
    """Agreement mentions of one article, each with name, kind, parties, merge key and dates.

    ``article`` holds ``text``, ``published`` and ``events`` (the event facts of
    :func:`legation.extract.stage.event_facts`); ``spans`` are the sentence spans of the text
    (split here when not given). Only mentions with exactly two or more distinct parties are
    kept: an agreement with one known party cannot be told apart from another of its kind.
    """
    text = article["text"] or ""
    events = article.get("events") or []
    published = article.get("published")
    ments = sorted(
        (m for m in mentions if m.get("code") and m.get("kind") in _PARTY_KINDS),
        key=lambda m: (m["start"], m["end"]),
    )
    out: list[dict[str, Any]] = []
    prev: list[str] = []
    for s0, s1 in sentences(text) if spans is None else spans:
        carried = narrative_date(events, text, s0, published)
        in_sent = [m for m in ments if s0 <= m["start"] < s1 and not _attributor(text, s0, m)]
        when = sentence_date(events, s0, s1, published, carried)
        sent = _Sentence(text[s0:s1], s0, s1, in_sent, prev, events, when, published)
        for m in _NAME_RE.finditer(sent.text):
            out.extend(_name_mentions(sent, m))
        prev = _codes(in_sent) or prev
    return out


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
    when: tuple[str | None, bool, str]
    published: str | None


_QUOTES = "‘“'\""


def _display_name(mods: str, head: str) -> str:
    """The name as printed, singular, without the articles and "new" that only describe it."""
    name = re.sub(r"\s+", " ", (mods + _singular(head) if not head.endswith("ies") else mods + head)).strip()
    return " ".join(w for w in name.split() if w.lower() not in {"new", "the", "a"}).removeprefix("and ")


def _name_mentions(sent: _Sentence, m: re.Match[str]) -> list[dict[str, Any]]:
    """The mentions one name match gives: one per party group, plus "following those with ..."."""
    mods, head = m.group(1), m.group(2)
    names = frozenset(w.lower() for x in sent.mentions for w in re.split(r"[\s-]+", x["text"]))
    key_mods = norm_key(mods, head, names)
    if key_mods == norm_key("", head) and m.group(0)[:1] not in _QUOTES:
        return []  # a bare head: a reference back, not a name
    a, b = sent.s0 + m.start(1), sent.s0 + m.start(2)
    prefix = [x for x in sent.mentions if a <= x["start"] and x["end"] <= b]
    dates_here = _stage_dates(sent.text, sent.when, sent.published)
    if not dates_here and not re.search(r"[A-Z]", mods) and m.group(0)[:1] not in _QUOTES:
        return []  # "a close strategic partnership": a relationship described, no instrument
    name = _display_name(mods, head)
    named = place_named(mods, names)
    out: list[dict[str, Any]] = []
    for parties in _party_groups(sent, m, prefix, head):
        parties = [p for i, p in enumerate(parties) if p not in parties[:i]]
        if len(parties) < 2:
            continue
        key = (NAMED if named else " ".join(sorted(parties))) + " | " + key_mods
        out.append(_mention(name, head, parties, sent.text, sent.when, key, sent.published, m.end()))
    # "the third of this type, following those with Norway and Moldova": same kind, other partners.
    follow = re.search(r"following (?:those|the ones|ones) with\s+([^.;]{0,60})", sent.text[m.end() :])
    if follow and len(_codes(prefix)) >= 2:
        f0 = sent.s0 + m.end() + follow.start(1)
        f1 = sent.s0 + m.end() + follow.end(1)
        lead = _codes(prefix)[0]
        for p in _codes([x for x in sent.mentions if f0 <= x["start"] < f1]):
            if p != lead:
                key = f"{' '.join(sorted([lead, p]))} | {key_mods}"
                nm = re.sub(r"^\S+-\S+\s", f"{lead}-{p} ", name)
                out.append(_mention(nm, head, [lead, p], sent.text, (None, True, "published"), key))
    return out


def _party_groups(
    sent: _Sentence, m: re.Match[str], prefix: Sequence[dict[str, Any]], head: str
) -> list[list[str]]:
    """The party sets of a name, by the first rule that applies (see the module doc).

    The name's own "X-Y" prefix; the actors of the sentence's signing or launching event;
    "between X and Y"; "with X (and Y)" after the name, led by the actor before it (one
    agreement per partner when the head is plural); else the actors of the sentence.
    """
    if len(_codes(prefix)) >= 2:
        return [_codes(prefix)]
    signers = _signers(sent.events, sent.s0, sent.s1)
    if len(signers) >= 2:
        return [signers]  # the actors of the sentence's signing or launching event
    rest = sent.text[m.end() :]
    a = sent.s0 + m.start(1)
    agent = [x for x in sent.mentions if x["end"] <= a]
    between = re.search(r"\bbetween\b", sent.text)
    if between:
        return [_codes([x for x in sent.mentions if x["start"] >= sent.s0 + between.end()])[:2]]
    with_m = re.match(
        r"\s*(?:,[^,]*,\s*)?(?:following those\s+|(?:signed|concluded|agreed)\s+)?with\s+"
        r"((?:(?:[^,.;]|(?<=\b[A-Z])\.){0,40}?)(?:\band\b[^,.;]{0,30})?)"
        r"(?=[,;]|(?<!\b[A-Z])\.|$|\s+which|\s+that)",  # "U.S." does not end the partners
        rest,
    )
    if with_m and agent:
        w0, w1 = sent.s0 + m.end() + with_m.start(1), sent.s0 + m.end() + with_m.end(1)
        partners = _codes([x for x in sent.mentions if w0 <= x["start"] < w1])
        lead = _codes(agent)[0]
        plural = head.lower().endswith("s") and not head.lower().endswith("ss")
        return [[lead, p] for p in partners] if plural else [[lead, *partners]]
    # The actors named before the agreement are the ones acting on it ("The EU and Japan
    # launched a ... Partnership and condemned North Korea's support to Russia"): actors after
    # it are more often what the sentence goes on to discuss.
    codes = _codes(agent) if len(_codes(agent)) >= 2 else _codes(sent.mentions)
    return [codes if len(codes) >= 2 else _codes([{"code": c} for c in codes + sent.prev])]
