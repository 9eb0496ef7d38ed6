"""How an event is reported: auxiliary mode, attribution, contexts and historical dating.

Split from :mod:`legation.events.coder`. These read the clause around a fired trigger
(auxiliaries, negation, governing verbs of saying or planning) and the sentence's words; none
of them changes who did what, only how certain and how current the report is.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from spacy.tokens import Span

from legation.events.coder_syntax import (
    MentionIndex,
    clause_chain,
    np_parties,
    prep_objects,
    span_text,
    subject_tokens,
)
from legation.events.lexicon import Lexicon
from legation.events.roles import Hit, parties_of, speaker
from legation.models import Article

_FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
#: Adverbs that make a present-tense clause a habit or a general truth, not a datable event.
_HABITUAL = frozenset(
    {"routinely", "regularly", "usually", "often", "frequently", "typically", "generally", "normally",
     "habitually", "customarily", "traditionally", "always", "sometimes", "occasionally", "commonly",
     "rarely", "seldom", "never", "constantly", "repeatedly"}
)
_CLOSERS = "\"'”’)]»"
_HYPOTHETICAL_AUX = frozenset({"could", "might", "may"})


# ---------------------------------------------------------------- reports or not
def is_question(sent: Span) -> bool:
    """A sentence that asks rather than reports ("Is Lisbon about to recall its ambassador?")."""
    text = sent.text.rstrip().rstrip(_CLOSERS).rstrip()
    return text.endswith("?")


def is_habitual(hit: Hit) -> bool:
    """A present-tense clause of habit or general truth ("poachers often cross the park at night").

    The trigger's clause (or the verb it depends on) is in the simple present, or "used to",
    and carries a frequency adverb: nothing datable happened.
    """
    for v in clause_chain(hit.clause)[:2]:
        advs = {c.lower_ for c in v.children if c.dep_ in ("advmod", "npadvmod")}
        if advs & _HABITUAL and v.tag_ in ("VBZ", "VBP"):
            return True
        if v.lemma_ == "use" and any(c.dep_ == "xcomp" for c in v.children) and v.tag_ == "VBD":
            return True
    return False


# ---------------------------------------------------------------- aux modes and attribution
def aux_mode(hit: Hit, lexicon: Lexicon) -> str | None:
    """negated > hypothetical > future: the strongest qualifier the clause carries."""
    chain = clause_chain(hit.clause)
    tok = hit.token
    speech = speaker(hit.clause, lexicon.speech_verbs) is not None
    neg = any(c.dep_ == "neg" for c in hit.clause.children) or any(
        c.dep_ == "det" and c.lower_ == "no" for c in tok.children
    )
    for up in chain[1:]:
        if up.lemma_.lower() in lexicon.negating_governors and hit.clause.dep_ == "xcomp":
            neg = True
    if neg:
        return "negated"
    auxes = [c for t in chain[:2] for c in t.children if c.dep_ in ("aux", "auxpass")]
    marks = {c.lower_ for t in chain for c in t.children if c.dep_ == "mark"}
    advs = {c.lemma_.lower() for t in chain[:2] for c in t.children if c.dep_ == "advmod"}
    if marks & {"if", "unless", "whether"} or advs & {"potentially", "possibly", "perhaps"}:
        return "hypothetical"
    if any(a.lower_ in _HYPOTHETICAL_AUX for a in auxes):
        return "hypothetical"
    for up in chain[1:4]:
        if up.lemma_.lower() in ("possibility", "possible", "potential"):
            return "hypothetical"
    if any(a.lower_ == "would" for a in auxes):
        # "said it would provide": future in the past; a bare "would" is a hypothesis.
        return "future" if speech else "hypothetical"
    if any(a.lower_ in _FUTURE_AUX for a in auxes):
        return "future"
    if any(a.lemma_ == "go" and a.tag_ == "VBG" for a in auxes):
        return "future"
    for low, up in itertools.pairwise(chain):
        if low.dep_ == "xcomp" and up.lemma_.lower() in lexicon.future_governors:
            return "future"
        if low.dep_ == "xcomp" and up.lemma_ == "be" and any(c.lower_ == "to" for c in low.children):
            return "future"  # "is to visit"
    if any(
        c.dep_ == "amod" and c.lemma_.lower() in ("future", "planned", "upcoming", "proposed")
        for c in tok.children
    ):
        return "future"
    return None


def attribution_of(hit: Hit, sent: Span, index: MentionIndex, lexicon: Lexicon) -> dict[str, Any] | None:
    """Who reports the event, when the reporter is not a party to it."""
    parties = {p.code for p in hit.actors + hit.recipients}
    for t in sent:
        # "according to Ukraine's defence intelligence"
        if t.lemma_.lower() == "accord" and t.lower_ == "according":
            for pobj in prep_objects(t, ("to",)):
                src = np_parties(pobj, index)
                if src and src[0].code not in parties:
                    return {"text": span_text(pobj), "code": src[0].code}
    v = speaker(hit.clause, lexicon.speech_verbs)
    if v is None:
        return None
    subj, _ = subject_tokens(v)
    src = parties_of(subj, index)
    if src and not ({p.code for p in src} & parties):
        return {"text": span_text(subj[0]), "code": src[0].code}
    return None


def event_contexts(hit: Hit, sent: Span, lexicon: Lexicon) -> list[str]:
    out = list(hit.context)
    low = sent.text.lower()
    words = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
    for name, cues in lexicon.contexts.items():
        if name in out:
            continue
        if any((" " in c and c in low) or c in words for c in cues):
            out.append(name)
    return out


def reference_day(article: Article, start: int) -> date | None:
    ref = article.published
    for d in article.datelines:
        if d.start <= start < d.end and d.date:
            ref = d.date
    if not ref:
        return None
    try:
        if len(ref) >= 10:
            return date.fromisoformat(ref[:10])
        if len(ref) == 7:
            return date(int(ref[:4]), int(ref[5:7]), 15)
        return date(int(ref[:4]), 7, 1)
    except ValueError:
        return None


def is_historical(when: str | None, precision: str, ref: date | None) -> bool:
    """Events the text dates well before its reference date ("in 2019", "last year")."""
    if not when or ref is None:
        return False
    try:
        year = int(when[:4])
        if precision == "year" or len(when) == 4:
            return year < ref.year
        if len(when) == 7 or precision == "month":
            month = int(when[5:7])
            end = date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)
        else:
            end = date.fromisoformat(when[:10])
    except ValueError:
        return False
    return end < ref - timedelta(days=180)
