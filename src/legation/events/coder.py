"""The PLOVER event coder: lexicon triggers over a dependency parse -> :class:`Event` records.

For each sentence the coder finds trigger words (verbs and nouns from
``data/plover/lexicon.yaml``), outer frames first so that "agreed to set up", "demanded the
withdrawal of" and "declined to meet" give one event, not two. Each trigger's actor is the
subject of its clause (the "by" agent of a passive, the shared subject of a participle or
coordinated verb, the light verb's subject for "held talks"), its recipients the arguments the
lexicon names. Parties are the resolved actor mentions (``article.mentions``) that those noun
phrases cover. An event with no coded actor is dropped: an event about nobody is noise.

The PLOVER manual's coding rules applied here, each commented where it is applied: future
cooperation is AGREE, future retreat is CONCEDE, meetings and joint signings list every party
as actor, a single state's weapons test is MOBILIZE weapons with no recipient, troops sent to
help another state are AID (military), a government's "protest" is ACCUSE. Auxiliary modes
(future, hypothetical, negated, historical) and attribution (reported speech by a non-party,
"according to X") come from the clause around the trigger.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from typing import Any

from spacy.tokens import Doc, Span, Token

from legation.events.cameo import CameoMap
from legation.events.coder_syntax import (
    MentionIndex,
    direct_objects,
    prep_objects,
    span_text,
    subject_tokens,
    tokens_of,
)
from legation.events.lexicon import Lexicon, Trigger
from legation.events.modality import attribution_of, aux_mode, event_contexts, is_historical, reference_day
from legation.events.roles import Hit, assign_roles, helped_state, host_from_place, recipient_tokens
from legation.models import Article, Event, Party

#: Cooperative types that the manual turns into AGREE when reported in the future tense.
_FUTURE_TO_AGREE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})
#: The manual's "Requires recipient: Yes" types: without a recipient they are not codable.
_NEEDS_RECIPIENT = frozenset({"AID", "SANCTION"})
#: Verbal frames whose xcomp/object event is their content, and the mode the content implies.
_CONTENT_MODE = {
    "REQUEST": {
        "CONSULT": "meet",
        "AGREE": "meet",
        "AID": "assist",
        "COOPERATE": "assist",
        "SUPPORT": "assist",
        "RETREAT": "yield",
        "CONCEDE": "yield",
    },
    "REJECT": {
        "CONSULT": "meet",
        "AGREE": "meet",
        "AID": "assist",
        "COOPERATE": "assist",
        "SUPPORT": "assist",
        "RETREAT": "yield",
        "CONCEDE": "yield",
    },
    "THREATEN": {
        "ASSAULT": "violence",
        "MOBILIZE": "violence",
        "SANCTION": "relations",
        "COERCE": "restrict",
        "REJECT": "relations",
    },
}
_STRIKE_MODES = {
    "drone": "drone",
    "air": "aerial",
    "artillery": "heavy-weapons",
    "missile": "heavy-weapons",
    "rocket": "heavy-weapons",
}
#: Types whose target may be named by a place ("struck Odesa", "blockaded Gaza"), not a state.
_PLACE_TARGETS = frozenset({"ASSAULT", "COERCE", "THREATEN"})
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


def code_events(doc: Doc, article: Article, *, lexicon: Lexicon, cameo: CameoMap) -> list[Event]:
    """Code every PLOVER event in an article.

    Args:
        doc: the spaCy parse of ``article.text`` (sentence offsets are taken from it).
        article: the article, with resolved ``mentions`` (char offsets into ``text``).
        lexicon: the trigger lexicon (:meth:`Lexicon.load`).
        cameo: the CAMEO/quad/Goldstein mapping (:meth:`CameoMap.load`).

    Returns:
        One event per fired trigger, in text order, each with provenance (sentence, offsets,
        rule, trigger); repeated mentions of one interaction share an ``event_cluster``.
    """
    index = MentionIndex(article.mentions)
    helpers = _Helpers.load()
    events: list[Event] = []
    prev_actors: list[Party] = []
    for sent in doc.sents:
        start, end = _sentence_offsets(article.text, sent)
        if start is None or end is None or not _is_sentence(sent):
            continue
        hits = _sentence_hits(sent, lexicon, index, prev_actors)
        seen: set[tuple[str, tuple[str, ...], tuple[str, ...]]] = set()
        for hit in hits:
            ev = _to_event(hit, sent, article, index, lexicon, cameo, helpers, start, end)
            if ev is None:
                continue
            key = (
                ev.event,
                tuple(sorted(str(p.code) for p in ev.actor)),
                tuple(sorted(str(p.code) for p in ev.recipient)),
            )
            if key in seen:
                continue  # one event per reported interaction: "met and held talks" is one CONSULT
            seen.add(key)
            events.append(ev)
        if hits:
            firsts = [h for h in hits if h.actors]
            if firsts:
                prev_actors = firsts[0].actors
    for ev in events:
        ev.event_cluster = _cluster(article.id, ev)
    return events


# ---------------------------------------------------------------- sentences
def _sentence_offsets(text: str, sent: Span) -> tuple[int | None, int | None]:
    """Offsets such that ``text[start:end] == sent.text`` always holds (else None)."""
    s, e = sent.start_char, sent.end_char
    if text[s:e] == sent.text:
        return s, e
    found = text.find(sent.text)
    return (found, found + len(sent.text)) if found >= 0 else (None, None)


def _is_sentence(sent: Span) -> bool:
    """Headlines, bylines and fragments carry no reportable event of their own.

    A headline repeats the story's main event in telegraphic form ("EU and South Korea Demand
    North Korea Withdraw Troops"); coding it would duplicate the body's event with worse
    parties. Such lines lack terminal punctuation and often a finite verb.
    """
    if len(sent) < 4 or not _TERMINAL.search(sent.text):
        return False
    return any(t.pos_ in ("VERB", "AUX") for t in sent)


# ---------------------------------------------------------------- trigger matching
def _object_of(tok: Token, entry: Trigger) -> Token | None:
    """The object an entry constrains: direct object, passive subject or object of its preposition."""
    cands = direct_objects(tok)
    if entry.prep:
        cands += prep_objects(tok, entry.prep)
    cands += [c for c in tok.children if c.dep_ in ("attr", "oprd")]
    if entry.object:
        for c in cands:
            if c.lemma_.lower() in entry.object or c.lower_ in entry.object:
                return c
            for conj in c.conjuncts:
                if conj.lemma_.lower() in entry.object:
                    return conj
        return None
    return cands[0] if cands else None


def _modifiers(tok: Token, obj: Token | None) -> set[str]:
    words: set[str] = set()
    for t in (tok, obj):
        if t is None:
            continue
        for c in t.children:
            words.add(c.lemma_.lower())
            if c.dep_ == "prep":
                words.update(g.lemma_.lower() for g in c.children if g.dep_ == "pobj")
    return words


def _matches(tok: Token, entry: Trigger) -> tuple[bool, Token | None]:
    obj = _object_of(tok, entry)
    if entry.object and obj is None:
        return False, None
    if entry.prep:
        kids = {c.lower_ for c in tok.children if c.dep_ in ("prep", "prt", "agent", "advmod", "dative")}
        if obj is not None and obj.head.dep_ == "prep":
            kids.add(obj.head.lower_)
        if not kids & entry.prep:
            return False, None
    if entry.modifier and not (_modifiers(tok, obj) & entry.modifier):
        return False, None
    if entry.subject:
        subj, _ = subject_tokens(tok)
        if not any(s.lemma_.lower() in entry.subject for s in subj):
            return False, None
    return True, obj


def _verb_entry(tok: Token, lexicon: Lexicon) -> tuple[Trigger, Token | None] | None:
    if tok.pos_ not in ("VERB", "AUX") and not (tok.pos_ == "NOUN" and tok.dep_ == "ROOT"):
        return None
    lemma = tok.lemma_.lower()
    entries = lexicon.verb_entries(lemma) or lexicon.verb_entries(tok.lower_)
    if not entries and tok.tag_ in ("VBD", "VBN") and tok.lower_.endswith("ed") and lemma == tok.lower_[:-2]:
        # The small model's lemmatizer cuts "-ed" whole from verbs whose base ends in "e"
        # ("staged" -> "stag", "raped" -> "rap"): try the base with its "e".
        entries = lexicon.verb_entries(lemma + "e")
    for entry in entries:
        ok, obj = _matches(tok, entry)
        if ok:
            return entry, obj
    return None


def _noun_entry(tok: Token, lexicon: Lexicon) -> Trigger | None:
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    for entry in lexicon.noun_entries(tok.lemma_.lower()) or lexicon.noun_entries(tok.lower_):
        ok, _ = _matches(tok, entry)
        if ok:
            return entry
    return None


def _depth(tok: Token) -> int:
    d = 0
    while tok.head is not tok and d < 50:
        tok = tok.head
        d += 1
    return d


def _sentence_hits(sent: Span, lexicon: Lexicon, index: MentionIndex, prev: list[Party]) -> list[Hit]:
    """Fire triggers outer-first; inner triggers an outer frame absorbs are consumed."""
    consumed: set[int] = set()
    content_heads: set[int] = set()  # tokens inside an absorbing frame's argument
    hits: list[Hit] = []
    for tok in sorted(sent, key=lambda t: (_depth(t), t.i)):
        if tok.i in consumed:
            continue
        hit = _verb_hit(tok, lexicon) or _noun_hit(tok, lexicon, content_heads)
        if hit is None:
            continue
        consumed.add(tok.i)
        if hit.obj is not None:
            consumed.add(hit.obj.i)
        _absorb(hit, lexicon, consumed)
        if hit.trigger.type in ("REQUEST", "ACCUSE", "REJECT", "THREATEN", "AGREE"):
            for c in hit.token.children:
                if c.dep_ in ("dobj", "xcomp", "prep", "ccomp", "nsubjpass"):
                    content_heads.update(x.i for x in c.subtree)
        assign_roles(hit, index, prev, lexicon)
        hits.append(hit)
    hits.sort(key=lambda h: h.token.i)
    return hits


def _verb_hit(tok: Token, lexicon: Lexicon) -> Hit | None:
    found = _verb_entry(tok, lexicon)
    if found is None:
        return None
    entry, obj = found
    # "adopted a joint declaration condemning X": the declaration's clause is the event.
    if (
        entry.frame == "content"
        and obj is not None
        and any(c.dep_ in ("acl", "relcl") and lexicon.verb_entries(c.lemma_.lower()) for c in obj.children)
    ):
        return None
    return Hit(trigger=entry, token=tok, clause=tok, rule=f"{entry.frame}:{entry.id}", obj=obj)


def _noun_hit(tok: Token, lexicon: Lexicon, content_heads: set[int]) -> Hit | None:
    entry = _noun_entry(tok, lexicon)
    if entry is None:
        return None
    gov = tok.head
    if tok.dep_ == "pobj" and gov.dep_ == "prep":
        gov = gov.head  # "engage in talks", "took part in the summit"
    if (
        tok.dep_ in ("dobj", "nsubjpass", "pobj", "attr", "conj")
        and gov.pos_ in ("VERB", "AUX")
        and gov.lemma_.lower() in lexicon.light_verbs
    ):
        return Hit(trigger=entry, token=tok, clause=gov, rule=f"light:{gov.lemma_.lower()}+{entry.id}")
    if entry.standalone and tok.i not in content_heads:
        return Hit(trigger=entry, token=tok, clause=tok, rule=f"nominal:{entry.id}")
    return None


def _absorb(hit: Hit, lexicon: Lexicon, consumed: set[int]) -> None:
    """Frames whose content is another event: keep one event, take the inner's meaning.

    "agreed to set up a task force", "urged Seoul to provide aid", "declined to meet",
    "threatened to impose sanctions", "demanded the withdrawal of forces": the manual codes the
    outer act (AGREE, REQUEST, REJECT, THREATEN); the inner one has not happened.
    """
    entry = hit.trigger
    hit.etype, hit.mode, hit.context = entry.type, entry.mode, list(entry.context)
    if entry.frame != "absorb" and entry.type not in ("REQUEST", "REJECT", "THREATEN"):
        return
    inner: Trigger | None = None
    cands = [c for c in hit.token.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB"]
    for c in cands:
        found = _verb_entry(c, lexicon)
        if found is not None:
            inner = found[0]
            consumed.add(c.i)
            if found[1] is not None:
                consumed.add(found[1].i)
            hit.inner_recipient_toks = recipient_tokens(c, found[0], found[1])
            break
    if inner is None:
        objs = [hit.obj] if hit.obj is not None else []
        objs += prep_objects(hit.token, ("for", "to"))
        for o in objs:
            n = _noun_entry(o, lexicon) if o is not None else None
            if n is not None and o is not None:
                inner = n
                consumed.add(o.i)
                break
    if inner is None:
        return
    hit.content = inner.type
    if entry.type in _CONTENT_MODE and hit.mode is None:
        hit.mode = _CONTENT_MODE[entry.type].get(inner.type)
    hit.context += [c for c in inner.context if c not in hit.context]


# ---------------------------------------------------------------- event assembly
class _Helpers:
    """The colleague-owned date/place/quantity functions, imported lazily (None until they exist)."""

    def __init__(self, date_fn: Any, place_fn: Any, qty_fn: Any) -> None:
        self.date_fn, self.place_fn, self.qty_fn = date_fn, place_fn, qty_fn

    @classmethod
    def load(cls) -> _Helpers:
        def get(mod: str, name: str) -> Any:
            try:
                return getattr(importlib.import_module(f"legation.events.{mod}"), name)
            except (ImportError, AttributeError):
                return None

        return cls(
            get("when", "event_date"), get("where", "event_location"), get("quantity", "event_quantity")
        )


def _to_event(
    hit: Hit,
    sent: Span,
    article: Article,
    index: MentionIndex,
    lexicon: Lexicon,
    cameo: CameoMap,
    helpers: _Helpers,
    start: int,
    end: int,
) -> Event | None:
    etype, mode, content = hit.etype, hit.mode, hit.content
    if not hit.actors and etype == "PROTEST" and helpers.place_fn is not None:
        # Crowds have no dictionary entry: protesters are coded by the country they protest in.
        try:
            where = helpers.place_fn(sent, exclude=set())
        except Exception:
            where = None
        if where and where.get("country") and hit.actor_toks:
            hit.actors = [Party(text=span_text(hit.actor_toks[0]), code=str(where["country"]), sector="CVL")]
    if not hit.actors:
        return None  # an event needs a coded actor
    actors, recipients = hit.actors, hit.recipients
    tok = hit.token
    # Troops sent to help another state are AID with a military context (manual AID: "military
    # assistance including arms and personnel"); a deployment with no helped state stays MOBILIZE.
    if etype == "MOBILIZE" and mode == "troops":
        helped = helped_state(tok, index, {p.code for p in actors})
        if helped:
            etype, mode, recipients = "AID", None, helped
    if etype == "ASSAULT" and mode is None:
        mods = {c.lemma_.lower() for c in tok.children}
        mode = next((m for w, m in _STRIKE_MODES.items() if w in mods), None)
    # A weapons test by one state is MOBILIZE weapons with no recipient (manual MOBILIZE).
    if etype == "MOBILIZE" and mode == "weapons" and hit.trigger.id != "launch-missile":
        recipients = []
    aux = aux_mode(hit, lexicon)
    # The manual: future CONSULT/SUPPORT/COOPERATE/AID is AGREE, future RETREAT is CONCEDE,
    # coded as the single category without the future auxiliary.
    if aux == "future" and etype in _FUTURE_TO_AGREE:
        content, etype, mode, aux = etype, "AGREE", None, None
    elif aux == "future" and etype == "RETREAT":
        etype, mode, aux = "CONCEDE", None, None
    if etype in _NEEDS_RECIPIENT and not recipients:
        return None
    if etype == "COOPERATE" and not recipients and len(actors) < 2:
        return None  # cooperation needs a partner
    if hit.trigger.joint and mode != "visit" and len(actors) + len(recipients) < 2:
        # A meeting, signing or agreement with one known party is half an event: the partner
        # was not resolved, and a one-party "met"/"signed" misleads more than it informs.
        return None
    if hit.rule.startswith("nominal:") and etype not in ("MOBILIZE", "CONSULT") and not recipients:
        # A bare nominal ("Russia's aggression") is an event only when it names its target.
        return None
    contexts = event_contexts(hit, sent, lexicon)
    if etype not in ("AGREE",) and mode is not None and mode not in lexicon.modes.get(etype, frozenset()):
        mode = None
    when, precision = None, "unknown"
    if helpers.date_fn is not None:
        try:
            when, precision = helpers.date_fn(sent, article, trigger_i=tok.i)
        except Exception:
            when, precision = None, "unknown"
    if aux is None and is_historical(when, precision, reference_day(article, start)):
        aux = "historical"
    location = None
    exclude = tokens_of(hit.actor_toks + hit.recipient_toks)
    if helpers.place_fn is not None:
        try:
            location = helpers.place_fn(sent, exclude=exclude)
        except Exception:
            location = None
    if not recipients and (etype in _PLACE_TARGETS or (etype == "CONSULT" and mode == "visit")):
        # "shelled Kharkiv", "visited Pyongyang": a named place stands for the state it lies in.
        recipients = host_from_place(hit, {p.code for p in actors})
    if etype == "CONSULT" and mode == "visit" and not recipients and location and location.get("country"):
        # "visited the DMZ": the host is the state the visit took place in.
        country = location["country"]
        if country not in {p.code for p in actors}:
            recipients = [Party(text=str(location.get("name") or country), code=country)]
    quantity = None
    if helpers.qty_fn is not None:
        try:
            quantity = helpers.qty_fn(sent)
        except Exception:
            quantity = None
    code, quad, goldstein = cameo.code(
        etype, mode, contexts, content, pinned=hit.trigger.cameo if etype == hit.trigger.type else None
    )
    return Event(
        event=etype,
        sentence=sent.text,
        start=start,
        end=end,
        rule=hit.rule,
        mode=mode,
        context=contexts,
        actor=list(actors),
        recipient=list(recipients),
        date=when,
        date_precision=precision or "unknown",
        aux=aux,
        attribution=attribution_of(hit, sent, index, lexicon),
        location=location,
        quantity=quantity,
        cameo=code,
        quad=quad,
        goldstein=goldstein,
        trigger=_trigger_text(hit),
    )


def _trigger_text(hit: Hit) -> str:
    toks = {hit.token.i}
    if hit.clause is not hit.token:
        toks.add(hit.clause.i)
    if hit.obj is not None:
        toks.add(hit.obj.i)
    toks.update(c.i for c in hit.token.children if c.dep_ == "prt")
    doc = hit.token.doc
    return " ".join(doc[i].text for i in sorted(toks))


def _cluster(article_id: str, ev: Event) -> str:
    """Mentions of one interaction (same type, parties and date) share a cluster id."""
    key = "|".join(
        [
            article_id,
            ev.event,
            ",".join(sorted(str(p.code) for p in ev.actor)),
            ",".join(sorted(str(p.code) for p in ev.recipient)),
            str(ev.date),
            str(ev.aux),
        ]
    )
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
