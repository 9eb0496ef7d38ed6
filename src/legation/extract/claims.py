"""Per-article claim extraction: asserted figures with subject, claimant and as-of date.

Pure functions over an article's clean text and its resolved actor mention records, run once
per article by the extract stage (:mod:`legation.extract.stage`, in the worker), so a re-run
gives the same claims. A claim is a quantity of a countable kind (troops, weapons, money,
casualties, displaced people) found by :mod:`legation.events.quantity`. Grouping the claims
of many articles and flagging disputes is cross-article work (:mod:`legation.crossdoc.claims`).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from legation.datafile import DataFileError, load_sections
from legation.events.quantity import quantities, shared_currency
from legation.events.when import MONTH_NAMES
from legation.extract.claim_sources import is_seat
from legation.extract.claimants import figure_claimant, gapped, record, surnames
from legation.extract.sentences import sentences
from legation.models import STATED_GENERIC_RULES

_WITH = re.compile(r"\s*with\s+(?:[\w$€£.,]+\s+){0,2}$", re.IGNORECASE)
_TO = re.compile(r"\b(?:to|for)\s+(?:the\s+)?$", re.IGNORECASE)
_PLACE = re.compile(r"\b(?:in|to|into|inside)\s+$", re.IGNORECASE)
_MONTHS = {m: i for i, m in enumerate(MONTH_NAMES, start=1)}
_ON_DATE = re.compile(
    r"\b(?i:on|as of|by)\s+(\d{1,2})\s+([A-Z][a-z]+)|\b(?i:on|as of|by)\s+([A-Z][a-z]+)\s+(\d{1,2})\b"
)
#: Kinds of figure that are claims about the world; counts like "15 areas" are not.
CLAIM_KINDS = {"troops", "weapons", "money", "killed", "wounded", "displaced"}
#: Mention kinds that can make or be the subject of a claim.
_ACTOR_KINDS = {"state", "igo", "person", "org", "group"}
#: Mention kinds with no code that can still name who asserts a figure.
_SOURCE_KINDS = {"person", "org"}


def _as_of(sentence: str, published: str | None) -> str | None:
    """The sentence's own day ("On 23 October") in the publication year, else the publication date."""
    m = _ON_DATE.search(sentence)
    if m and published and len(published) >= 4:
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        mon = _MONTHS.get(month.lower())
        if mon and 1 <= int(day) <= 31:
            return f"{published[:4]}-{mon:02d}-{int(day):02d}"
    return published[:10] if published else None


_RANGE = re.compile(r"\d\s*(?:-|–|to|and)\s*[\d$€£]", re.I)
_KIND_SOURCE = "legation/data/claims/kinds.yaml"
_KIND_SECTIONS = ("qualifiers", "range", "subset", "projection", "cumulative")
#: Currency prefixes the figure's text leaves out ("A$368 billion" is read from "$368").
_CURRENCY_PREFIX = r"(?:[A-Z]{1,3})?"


@dataclass(frozen=True)
class KindCues:
    """The compiled cue patterns of ``data/claims/kinds.yaml`` that decide a ``claim_kind``."""

    range_before: re.Pattern[str]
    range_after: re.Pattern[str]
    subset_before: re.Pattern[str]
    subset_same_unit: re.Pattern[str]
    subset_after: re.Pattern[str]
    projection_before: re.Pattern[str]
    projection_after: re.Pattern[str]
    money_projection: re.Pattern[str]
    money_after: re.Pattern[str]
    cumulative_before: re.Pattern[str]
    cumulative_start: re.Pattern[str]
    total_to: re.Pattern[str]
    cumulative_after: re.Pattern[str]
    since_after: re.Pattern[str]
    increment: re.Pattern[str]
    cumulative_window: int


def _alt(data: dict[str, Any], section: str, key: str, source: str) -> str:
    """The cues ``data[section][key]`` as one alternation, checked to be regular expressions."""
    cues = data.get(section, {}).get(key) if isinstance(data.get(section), dict) else None
    if not isinstance(cues, list) or not cues or not all(isinstance(c, str) and c for c in cues):
        raise DataFileError(f"{source}: {section}.{key} must be a non-empty list of patterns")
    alt = "(?:" + "|".join(f"(?:{c})" for c in cues) + ")"
    try:
        re.compile(alt)
    except re.error as exc:
        raise DataFileError(f"{source}: {section}.{key}: a cue is not a regular expression: {exc}") from None
    return alt


def _int(data: dict[str, Any], section: str, key: str, default: int) -> int:
    value = data.get(section, {}).get(key, default)
    return value if isinstance(value, int) else default


def parse_kind_cues(text: str, source: str = _KIND_SOURCE) -> KindCues:
    """The cue patterns of a kinds file.

    Raises:
        DataFileError: not valid YAML, an unknown section, or a cue list missing or not made
            of regular expressions.
    """
    d = load_sections(text, source, _KIND_SECTIONS)
    quals = d.get("qualifiers")
    if not isinstance(quals, list) or not all(isinstance(q, str) and q for q in quals):
        raise DataFileError(f"{source}: qualifiers must be a list of words")
    qual = r"(?:(?:" + "|".join(re.escape(q).replace(r"\ ", r"\s+") for q in quals) + r")\s+)?"
    end = qual + _CURRENCY_PREFIX + "$"

    def before(section: str, key: str, gap: int = 0) -> re.Pattern[str]:
        words = rf"(?:[\w'-]+\s+){{0,{gap}}}" if gap else ""
        return re.compile(r"\b" + _alt(d, section, key, source) + r"\s*" + words + end, re.I)

    def after(section: str, key: str, window: int) -> re.Pattern[str]:
        return re.compile(rf"^[^,;.]{{0,{window}}}?\b" + _alt(d, section, key, source), re.I)

    gap = _int(d, "projection", "gap", 3)
    rng: dict[str, Any] = d["range"] if isinstance(d.get("range"), dict) else {}
    since_window = _int(d, "cumulative", "since_window", 80)
    return KindCues(
        range_before=before("range", "before"),
        range_after=re.compile(
            r"^\s*" + (_alt(d, "range", "after", source) if "after" in rng else "(?!)"), re.I
        ),
        subset_before=before("subset", "before"),
        subset_same_unit=before("subset", "before_same_unit"),
        subset_after=re.compile(r"(?:^|\s)" + _alt(d, "subset", "after", source) + r"\b", re.I),
        projection_before=before("projection", "before", gap),
        projection_after=after("projection", "after", _int(d, "projection", "window", 40)),
        money_projection=before("projection", "money_before", _int(d, "projection", "money_gap", gap)),
        money_after=re.compile(r"^\s*" + _alt(d, "projection", "money_after", source), re.I),
        cumulative_before=re.compile(r"\b" + _alt(d, "cumulative", "before", source), re.I),
        cumulative_start=re.compile(r"^[\s,]*" + _alt(d, "cumulative", "before", source) + r"\b", re.I),
        total_to=before("cumulative", "total_to"),
        cumulative_after=re.compile(
            rf"^[^;.]{{0,{_int(d, 'cumulative', 'window', 60)}}}?\b" + _alt(d, "cumulative", "after", source),
            re.I,
        ),
        since_after=re.compile(
            rf"^[^;.]{{0,{since_window}}}?\b" + _alt(d, "cumulative", "since", source), re.I
        ),
        increment=re.compile(r"\b" + _alt(d, "cumulative", "increment", source) + r"\b", re.I),
        cumulative_window=_int(d, "cumulative", "before_window", 25),
    )


@functools.lru_cache(maxsize=1)
def shipped_kind_cues() -> KindCues:
    """The shipped cue patterns, read once per process."""
    text = resources.files("legation").joinpath("data", "claims", "kinds.yaml").read_text(encoding="utf-8")
    return parse_kind_cues(text)


def claim_kind(
    sentence: str,
    q_start: int,
    q_end: int,
    q_text: str,
    earlier_same_unit: bool,
    money: bool = False,
    earlier_figure: bool | None = None,
) -> str:
    """What a figure claims: ``count`` (how many there are), ``projection`` (how many there
    will or would be), ``subset`` (part of a total the sentence gives: "10,000 in Russia, with
    8,000 near Ukraine"), ``cumulative`` (a running total: "a total of", "so far") or ``range``.

    Offsets are relative to ``sentence``; ``earlier_figure`` says whether a claim figure of any
    unit comes before this one in the sentence (by default ``earlier_same_unit``). The cue
    words are data (``data/claims/kinds.yaml``). Only counts of one kind about one quantity can
    dispute each other (:func:`disputed`). A sum of money with a future verb ("will provide
    $394 million") is a pledge: the amount pledged is the claim, a count, not a forecast; a
    cost foreseen or an amount aimed at ("will cost", "hope to raise") is a projection.
    """
    cues = shipped_kind_cues()
    earlier = earlier_same_unit if earlier_figure is None else earlier_figure
    # 100 characters: "brings total US military aid to Ukraine since February 2022 to" is 62.
    before, after = sentence[max(0, q_start - 100) : q_start], sentence[q_end:]
    if _RANGE.search(q_text) or cues.range_before.search(before) or cues.range_after.match(after):
        return "range"
    if (
        (earlier and cues.subset_before.search(before))
        or (earlier_same_unit and cues.subset_same_unit.search(before))
        or cues.subset_after.search(q_text)
        or cues.subset_after.match(after)
    ):
        return "subset"
    if money:
        if cues.money_projection.search(before) or cues.money_after.match(after):
            return "projection"
    elif cues.projection_after.match(after) or cues.projection_before.search(before[-40:]):
        return "projection"
    if cues.total_to.search(before) or _running_total(cues, before, after, q_text):
        return "cumulative"
    return "count"


def _running_total(cues: KindCues, before: str, after: str, q_text: str) -> bool:
    """Whether a cue around the figure makes it a running total ("a total of", "so far",
    "since 2023"); an increment ("4,000 additional soldiers") never is one."""
    if cues.increment.search(q_text) or cues.increment.search(before[-12:]):
        return False
    return bool(
        cues.cumulative_before.search(before[-cues.cumulative_window :])
        or cues.cumulative_start.match(after[:20])
        or cues.cumulative_after.match(after)
        or cues.since_after.match(after)
    )


def extract_claims(
    article: dict[str, Any],
    mentions: Sequence[dict[str, Any]],
    spans: Sequence[tuple[int, int]] | None = None,
) -> list[dict[str, Any]]:
    """The claims of one article.

    Args:
        article: ``id``, ``text`` and ``published`` of the article.
        mentions: its resolved actor mention records (``start``, ``end``, ``code``, ``kind``).
        spans: the sentence spans of ``text`` (:func:`legation.extract.sentences.sentences`,
            computed here when not given: the extract stage splits once for both extractors).

    Returns:
        Claim records without ``group_id``/``disputed`` (set across articles later) but with a
        ``topic`` key "WHO what [to WHOM]": who is the actor the figure is about (the
        nationality inside "10,000 North Korean soldiers", else the nearest actor before it),
        so that figures about one quantity from different pages meet in one topic.
    """
    text = article["text"] or ""
    ments = sorted(
        (m for m in mentions if m.get("code") and m.get("kind") in _ACTOR_KINDS and not is_seat(text, m)),
        key=lambda m: (m["start"], m["end"]),
    )
    # Sources the dictionary does not know keep their names as claimants.
    nameless = surnames(
        ments,
        sorted(
            (m for m in mentions if not m.get("code") and m.get("kind") in _SOURCE_KINDS),
            key=lambda m: (m["start"], m["end"]),
        ),
    )
    # The state the report is filed from, as the resolver read it for generic agents.
    home = next((str(m["code"]) for m in ments if m.get("rule") == "generic:dateline"), None)
    out: list[dict[str, Any]] = []
    for s0, s1 in sentences(text) if spans is None else spans:
        # A bare follow-on figure ("a further 50,000 to cross") counts what the last one did,
        # of the same actor: (kind, unit, who) of the article's last claim.
        earlier = (
            (str(out[-1]["kind"]), str(out[-1]["unit"]), str(out[-1]["topic"]).split(" ")[0]) if out else None
        )
        out.extend(_sentence_claims(article, text, s0, s1, ments, nameless, home, earlier))
    return out


def _sentence_claims(
    article: dict[str, Any],
    text: str,
    s0: int,
    s1: int,
    ments: Sequence[dict[str, Any]],
    nameless: Sequence[dict[str, Any]] = (),
    home: str | None = None,
    earlier: tuple[str, str, str] | None = None,
) -> list[dict[str, Any]]:
    """The claims of the sentence ``text[s0:s1]``, in the order of their figures.

    Figures are read left to right because the second of two counts of one unit may be a
    part of the first ("10,000 in Russia, with 8,000 near Ukraine") and a follow-on figure
    is about the actor of the one before it.
    """
    sentence = text[s0:s1]
    prev_who: str | None = None
    units_seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for q in quantities(sentence, offset=s0, earlier=earlier[:2] if earlier else None):
        if q["kind"] not in CLAIM_KINDS or (q["kind"] == "money" and not _sum_of_affairs(sentence, q, s0)):
            continue
        if q.get("follow_on") and earlier and earlier[2] != "?":
            prev_who = earlier[2]  # going on from the article's figure before: about its actor, if named
        kind = claim_kind(
            sentence,
            q["start"] - s0,
            q["end"] - s0,
            q["text"],
            q["unit"] in units_seen,
            money=q["kind"] == "money",
            earlier_figure=bool(units_seen),
        )
        joined = _AND.match(text, out[-1]["text_info"]["quantity_end"]) if out else None
        if joined and joined.end() == q["start"] and out[-1]["claim_kind"] == "subset":
            kind = "subset"  # "among them 49 women and 13 children": the next part of one total
        units_seen.add(q["unit"])
        before = [m for m in ments if s0 <= m["start"] and m["end"] <= q["start"]]
        after = [m for m in ments if q["end"] <= m["start"] < s1]
        claimant, giver = figure_claimant(text, s0, s1, q, ments, nameless, home)
        host = _host(text, q, after)
        elided = gapped(text, q, before) if out else None
        if elided is not None:
            # "X is providing $20bn and the European Union about $20bn": the verb left out
            claimant = [record(elided)]
        who = str(elided["code"]) if elided else _about(text, q, ments, before, claimant, prev_who, host)
        prev_who = who
        if q.get("currency_word"):
            # "85 billion crowns": the crown of the state the figure is about, else the claimant's.
            q["unit"] = shared_currency(
                q["currency_word"], [who, *(c["code"] for c in claimant if c["code"])]
            )
        # the giver named after a sum is not its recipient
        topic = _topic(text, s0, q, who, before, [m for m in after if m is not giver])
        where = next(
            (m["code"] for m in after if _PLACE.search(text[max(s0, m["start"] - 8) : m["start"]])), None
        )
        subject = f"{who} {_what(q)}" + (f" in {where}" if where else "")
        rec = _claim_record(article, sentence, s0, s1, q, kind, topic, subject, claimant)
        if host and host != who:
            rec["place"] = host
        out.append(rec)
    return out


#: Sums below this are prices, fees and salaries, not what states give, spend or lose. Calibrated
#: on the three gold sets (seeds, own, held-out: every one of their 60-odd money claims is 1
#: million or more, the smallest "$73 million") and the 181 general-news benchmark pages, where
#: 163 of the 233 sums found were below it, all prices, fines, fees or car and gadget prices.
MONEY_MIN = 1_000_000
#: A rate is no sum: "$9.99 a month", "$2.53 per share", "$4 billion per month" ("a year" stays:
#: budgets and aid are pledged by the year).
_RATE = re.compile(
    r"\s*(?:/|-a-|-per-|(?:a|per|each)\s+(?:month|week|day|hour|share|barrel|unit|head|person|gallon|litre|ton|tonne)\b"
    r"|per\s+diluted\s+share)",
    re.IGNORECASE,
)


def _sum_of_affairs(sentence: str, q: Mapping[str, Any], s0: int) -> bool:
    """Whether a sum of money can be a claim: large enough and not a rate."""
    return q["value"] >= MONEY_MIN and not _RATE.match(sentence, q["end"] - s0)


#: Between two parts of one total ("49 women and 13 children", "436 civilians, 435 members").
_AND = re.compile(r"(?:\s+(?!and\b)[A-Za-z’'-]+){0,3}?\s*(?:,\s*(?:and\s+)?|\s+and\s+)")


#: Between a figure of troops and the state they are in ("2,500 US troops are in Iraq",
#: "troops were stationed in Syria", "will rotate through Finland"): up to three words, then
#: a place preposition.
_HOST = re.compile(r"^(?:\s+[\w’'-]+){0,3}?\s+(?:in|into|inside|to|through)\s+(?:the\s+)?$", re.IGNORECASE)


def _host(text: str, q: Mapping[str, Any], after: Sequence[dict[str, Any]]) -> str | None:
    """The state a figure of troops says they are in, right after it, named by its name."""
    if q["kind"] != "troops" or not after:
        return None
    m = after[0]
    if m.get("kind") != "state" or str(m.get("rule") or "").startswith("generic"):
        return None
    return str(m["code"]) if _HOST.match(text[q["end"] : m["start"]]) else None


def _about(
    text: str,
    q: dict[str, Any],
    ments: Sequence[dict[str, Any]],
    before: Sequence[dict[str, Any]],
    claimant: Sequence[dict[str, str | None]],
    prev_who: str | None,
    host: str | None = None,
) -> str:
    """The code of the actor a figure is about ("?" when the sentence names none before it).

    The nationality inside the figure ("10,000 North Korean soldiers") first, unless it is
    a common noun read as of the ``host`` state named after it ("Rwanda has some 2,500
    soldiers in Mozambique"); for money the
    giver, the sentence's subject that is not the dative recipient ("provide Ukraine with
    $X"); then the actor of the figure before it in the sentence; else the nearest actor
    before it that is not the claimant.
    """
    inside = [m for m in ments if m["start"] >= q["start"] and m["end"] <= q["end"]]
    stated = [m for m in inside if _stated(m) and not (m["code"] == host and str(m["text"]).islower())]
    if stated:
        return str(stated[0]["code"])
    if q["kind"] == "money":
        giving = [m for m in before if not _WITH.match(text[m["end"] : q["start"]])]
        if giving:
            return str(giving[0]["code"])
    if prev_who:
        return prev_who  # a follow-on figure ("8,000 positioned ...") is about the same actor
    claim_codes = {c["code"] for c in claimant}
    cands = [m for m in before if m["code"] not in claim_codes] or list(before)
    if cands:
        return str(cands[-1]["code"])
    return str(inside[0]["code"]) if inside else "?"


def _stated(m: Mapping[str, Any]) -> bool:
    """Whether a mention's state is stated, not guessed: a state guessed for a generic agent
    from the dateline, the sentence's place or the article ("Russia, which deployed 2,000
    peacekeepers" filed from Washington) decides whom a figure is about only when nothing better.
    """
    rule = str(m.get("rule") or "")
    return not rule.startswith("generic") or rule in STATED_GENERIC_RULES


def _topic(
    text: str,
    s0: int,
    q: dict[str, Any],
    who: str,
    before: Sequence[dict[str, Any]],
    after: Sequence[dict[str, Any]],
) -> str:
    """The topic key "WHO what [to WHOM]": the recipient of a sum belongs to it, since aid to
    two countries is two quantities.

    The recipient is the dative before the figure ("provide Ukraine with $50 billion"), else
    "to/for X" after it, else any other actor (after first: the giver usually comes first).
    """
    topic = f"{who} {'aid' if q['kind'] == 'money' else _what(q)}"
    if q["kind"] != "money":
        return topic
    to_x = [m for m in after if _TO.search(text[max(s0, m["start"] - 9) : m["start"]])]
    to = (
        [m for m in before if m["code"] != who and _WITH.match(text[m["end"] : q["start"]])]
        or [m for m in to_x if m["code"] != who]
        or [m for m in after if m["code"] != who]
        or [m for m in before if m["code"] != who]
    )
    return topic + f" to {to[0]['code']}" if to else topic


def _what(q: Mapping[str, Any]) -> str:
    """What a figure counts: its unit, with the victims of a casualty figure ("civilians killed"),
    since the dead of two classes are two quantities, not rival counts of one."""
    return f"{q['victims']} {q['unit']}" if q.get("victims") else str(q["unit"])


def _claim_record(
    article: dict[str, Any],
    sentence: str,
    s0: int,
    s1: int,
    q: dict[str, Any],
    kind: str,
    topic: str,
    subject: str,
    claimant: list[dict[str, str | None]],
) -> dict[str, Any]:
    """The stored claim record; its id hashes article and figure offsets, stable across runs."""
    cid = hashlib.sha1(f"{article['id']}|{q['start']}|{q['end']}".encode()).hexdigest()[:16]
    return {
        "id": cid,
        "article_id": article["id"],
        "topic": topic,
        "value": q["value"],
        "unit": q["unit"],
        "qualifier": q["qualifier"],
        "kind": q["kind"],
        "claim_kind": kind,
        "subject": subject,
        "claimant": claimant,
        "as_of": _as_of(sentence, article.get("published")),
        "text_info": {
            "sentence": sentence,
            "start": s0,
            "end": s1,
            "quantity": q["text"],
            "quantity_start": q["start"],
            "quantity_end": q["end"],
        },
        "group_id": None,
        "disputed": False,
    }
