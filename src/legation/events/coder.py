"""The PLOVER event coder: classifier scores, lexicon triggers and the parse -> :class:`Event`.

For each sentence the learned classifier scores the 16 types (:mod:`legation.learn.model`),
the lexicon fires its triggers over the dependency parse (:mod:`legation.events.triggers`),
and :mod:`legation.events.decide` keeps the triggers the two support and adds one for every
type the classifier finds that no trigger gave. Each kept trigger's actor is the subject of its
clause (the "by" agent of a passive, the shared subject of a participle or coordinated verb,
the light verb's subject for "held talks"), its recipients the arguments the lexicon or the
type's rules (``data/plover/types.yaml``) name. Parties are the actor mentions those noun
phrases cover, generic agents ("police", "gunmen") and unknown names included: an event is
never dropped because its actor is not a known state.

The PLOVER manual's coding rules applied here, each commented where it is applied: future
cooperation is AGREE, future retreat is CONCEDE, meetings and joint signings list every party
as actor, a single state's weapons test is MOBILIZE weapons with no recipient, troops sent to
help another state are AID (military), a government's "protest" is ACCUSE. Questions and
habitual statements report no event. Auxiliary modes (future, hypothetical, negated,
historical) and attribution (reported speech by a non-party, "according to X") come from the
clause around the trigger.
"""

from __future__ import annotations

import hashlib
import re

from spacy.tokens import Doc, Span, Token

from legation.events.cameo import CameoMap
from legation.events.coder_syntax import MentionIndex, span_text, tokens_of
from legation.events.decide import decide, policy_for
from legation.events.lexicon import Lexicon
from legation.events.modality import (
    attribution_of,
    aux_mode,
    event_contexts,
    is_habitual,
    is_historical,
    is_question,
    reference_day,
)
from legation.events.quantity import event_quantity
from legation.events.roles import Hit, assign_roles, helped_state, host_from_place, main_subject
from legation.events.triggers import HitState, lexicon_hits
from legation.events.types import TypeRules
from legation.events.when import event_date
from legation.events.where import event_location
from legation.learn.model import EventModel, Scores
from legation.models import Article, Event, Party
from legation.select import covered, scores_of

_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
# What may trail a short record's last sentence after its full stop: links, tags, emoji.
_TRAILER = re.compile(r"(?:\s+(?:https?://\S+|[#@]\w+|[^\w\s.,;:!?\"'”’()\[\]-]+))+\s*$")


def code_events(
    doc: Doc,
    article: Article,
    *,
    lexicon: Lexicon,
    cameo: CameoMap,
    rules: TypeRules,
    model: EventModel | None = None,
    parsed: list[tuple[int, int]] | None = None,
    known_scores: dict[str, Scores] | None = None,
) -> list[Event]:
    """Code every PLOVER event in an article.

    Args:
        doc: the spaCy parse of ``article.text`` (sentence offsets are taken from it).
        article: the article, with resolved ``mentions`` (char offsets into ``text``).
        lexicon: the trigger lexicon (:meth:`Lexicon.load`).
        cameo: the CAMEO/quad/Goldstein mapping (:meth:`CameoMap.load`).
        rules: the PLOVER type rules (:meth:`TypeRules.load`).
        model: the event classifier; None codes with the lexicon alone.
        parsed: the character ranges that carry a parse (:mod:`legation.select`); sentences
            outside them are not coded. None: the whole text is parsed.
        known_scores: classifier scores already computed, by normalised sentence text.

    Returns:
        One event per kept trigger, in text order, each with provenance (sentence, offsets,
        rule, trigger, confidence); repeated mentions of one interaction share an
        ``event_cluster``.
    """
    index = MentionIndex(article.mentions)
    n_sents = len(list(doc.sents))
    short = n_sents <= 2
    policy = policy_for(n_sents)
    units: list[tuple[Span, int, int]] = []
    for sent in doc.sents:
        start, end = _sentence_offsets(article.text, sent)
        if start is None or end is None or not covered(parsed, start, end):
            continue
        if _is_sentence(sent, short=short):
            units.append((sent, start, end))
    all_scores: list[Scores | None] = (
        list(scores_of(model, [s.text for s, _, _ in units], {} if known_scores is None else known_scores))
        if model is not None
        else [None] * len(units)
    )
    events: list[Event] = []
    prev_actors: list[Party] = []
    for (sent, start, end), scores in zip(units, all_scores, strict=True):
        if is_question(sent):
            continue  # a question reports nothing ("Is X about to recall its envoy?")
        found = lexicon_hits(sent, lexicon, rules, HitState())
        hits = decide(sent, found, scores, model, lexicon, rules, index, policy)
        for hit in hits:
            assign_roles(hit, index, prev_actors, lexicon)
        coded = [_to_event(hit, sent, article, index, lexicon, cameo, rules, start, end) for hit in hits]
        events += one_per_interaction([ev for ev in coded if ev is not None])
        # "South Korea is a like-minded country ... It has voted ...": a pronoun opening the
        # next sentence is the subject of this one's main clause, else this one's first actor.
        firsts = [h for h in hits if h.actors]
        subject = main_subject(sent, index)
        if subject:
            prev_actors = subject
        elif firsts:
            prev_actors = firsts[0].actors
    for ev in events:
        ev.event_cluster = _cluster(article.id, ev)
    return events


def one_per_interaction(events: list[Event]) -> list[Event]:
    """The events of one sentence with repeats of one reported interaction removed.

    "met and held talks" is one CONSULT; "called for an end to X and demanded the withdrawal of
    Y's forces" is one REQUEST, to Y: an event with no recipient is dropped when another of its
    type and actors in the sentence names one.
    """
    with_recipient = {(ev.event, _party_keys(ev.actor)) for ev in events if ev.recipient}
    seen: set[tuple[str, tuple[str, ...], tuple[str, ...]]] = set()
    out: list[Event] = []
    for ev in events:
        key = (ev.event, _party_keys(ev.actor), _party_keys(ev.recipient))
        if key in seen or (not ev.recipient and key[:2] in with_recipient):
            continue
        seen.add(key)
        out.append(ev)
    return out


def _party_keys(parties: list[Party]) -> tuple[str, ...]:
    return tuple(sorted(p.code or f"?{p.text.lower()}" for p in parties))


# ---------------------------------------------------------------- sentences
def _sentence_offsets(text: str, sent: Span) -> tuple[int | None, int | None]:
    """Offsets such that ``text[start:end] == sent.text`` always holds (else None)."""
    s, e = sent.start_char, sent.end_char
    if text[s:e] == sent.text:
        return s, e
    found = text.find(sent.text)
    return (found, found + len(sent.text)) if found >= 0 else (None, None)


def _is_sentence(sent: Span, *, short: bool) -> bool:
    """Headlines, bylines and fragments carry no reportable event of their own.

    A headline repeats the story's main event in telegraphic form ("EU and South Korea Demand
    North Korea Withdraw Troops"); coding it would duplicate the body's event with worse
    parties. Such lines lack terminal punctuation and often a finite verb. A text of one or two
    sentences (a short record, a news quote) has no body to repeat it: there a sentence may
    end without a full stop, or with a link, tag or emoji after it.
    """
    if len(sent) < 4:
        return False
    if short:
        return True  # a quote may be headline-styled: "Kenyan police fire tear gas at ..."
    if not any(t.pos_ in ("VERB", "AUX") for t in sent):
        return False
    return bool(_TERMINAL.search(_TRAILER.sub("", sent.text)))


# ---------------------------------------------------------------- event assembly
def _adjust(
    hit: Hit, index: MentionIndex, rules: TypeRules, aux: str | None
) -> tuple[str, str | None, str | None, str | None, list[Party]]:
    """Type, mode, content, aux and recipients after the manual's recoding rules."""
    etype, mode, content, recipients = hit.etype, hit.mode, hit.content, hit.recipients
    tok, actors = hit.token, hit.actors
    # Troops sent to help another state are AID with a military context (manual AID: "military
    # assistance including arms and personnel"); a deployment with no helped state stays MOBILIZE.
    if etype == "MOBILIZE" and mode == "troops":
        helped = helped_state(tok, index, {p.code for p in actors})
        if helped:
            etype, mode, recipients = "AID", None, helped
    if mode is None:
        mode = rules[etype].cue_mode(tok, tok.sent)
    # A weapons test by one state is MOBILIZE weapons with no recipient (manual MOBILIZE).
    if etype == "MOBILIZE" and mode == "weapons":
        recipients = []
    # The manual: future CONSULT/SUPPORT/COOPERATE/AID is AGREE, future RETREAT is CONCEDE,
    # coded as the single category without the future auxiliary.
    target = rules[etype].future_to
    if aux == "future" and target is not None:
        if target == "AGREE":
            content = etype
        etype, mode, aux = target, None, None
    return etype, mode, content, aux, recipients


def _codable(hit: Hit, etype: str, mode: str | None, recipients: list[Party], rules: TypeRules) -> bool:
    """Whether the manual's minimum parties for the type are there."""
    actors = hit.actors
    rule = rules[etype]
    if not actors and not hit.actorless:
        # Who did it is unknown (a pronoun nobody resolved, a subjectless clause): such an event
        # is reported only when the classifier is sure of it (Policy.actorless_min). A generic
        # or unknown actor is an actor (its mention).
        return False
    if rule.needs_recipient and not recipients:
        return False
    if rule.needs_partner and not recipients and len(actors) < 2:
        return False  # cooperation needs a partner
    if hit.trigger.joint and mode != "visit" and len(actors) + len(recipients) < 2 and hit.source != "model":
        # A meeting, signing or agreement with one known party is half an event: the partner
        # was not resolved, and a one-party "met"/"signed" misleads more than it informs.
        return False
    # A bare nominal ("Russia's aggression") is an event only when it names its target.
    return not (
        hit.rule.startswith("nominal:")
        and hit.source != "model"
        and etype not in ("MOBILIZE", "CONSULT")
        and not recipients
    )


def _to_event(
    hit: Hit,
    sent: Span,
    article: Article,
    index: MentionIndex,
    lexicon: Lexicon,
    cameo: CameoMap,
    rules: TypeRules,
    start: int,
    end: int,
) -> Event | None:
    if is_habitual(hit):
        return None  # "poachers often cross the park at night": no single event
    aux = aux_mode(hit, lexicon)
    etype, mode, content, aux, recipients = _adjust(hit, index, rules, aux)
    location = event_location(sent, exclude=tokens_of(hit.actor_toks + hit.recipient_toks))
    if not hit.actors and hit.actor_toks and etype == "PROTEST":
        hit.actors = _crowd(hit, location)
    if not recipients and rules[etype].quad == 4 and hit.recipient_toks:
        recipients = _victims(hit.recipient_toks)
    recipients = _placed(recipients, location)
    if not _codable(hit, etype, mode, recipients, rules):
        return None
    contexts = event_contexts(hit, sent, lexicon)
    if etype != "AGREE" and mode is not None and mode not in lexicon.modes.get(etype, frozenset()):
        mode = None
    when, precision = event_date(sent, article, trigger_i=hit.token.i)
    if aux is None and is_historical(when, precision, reference_day(article, start)):
        aux = "historical"
    actor_codes = {p.code for p in hit.actors}
    # A named place stands for the state it lies in as the target or host of these events.
    place_recipient = rules[etype].place_target or (etype == "CONSULT" and mode == "visit")
    if not recipients and place_recipient:
        # "shelled Kharkiv", "visited Pyongyang"
        recipients = host_from_place(hit, actor_codes)
    target = location
    if not recipients and target is None and hit.recipient_toks:
        # "fired missiles at militant camps inside Pakistan": the target phrase holds the place.
        target = event_location(sent, exclude=tokens_of(hit.actor_toks))
    if not recipients and place_recipient and target and target.get("country") and None not in actor_codes:
        # "visited the DMZ", "fired missiles at camps inside Pakistan": the state the event
        # took place in is its host or target when it is not the actor's own (an attack at
        # home names its target in the text, or has none we can tell).
        country = target["country"]
        if country not in actor_codes:
            recipients = [Party(text=str(target.get("name") or country), code=str(country))]
    code, quad, goldstein = cameo.code(
        etype, mode, contexts, content, pinned=hit.trigger.cameo if etype == hit.trigger.type else None
    )
    return Event(
        event=etype,
        sentence=sent.text,
        start=start,
        end=end,
        rule=_rule(hit),
        mode=mode,
        context=contexts,
        actor=list(hit.actors),
        recipient=list(recipients),
        date=when,
        date_precision=precision or "unknown",
        aux=aux,
        attribution=attribution_of(hit, sent, index, lexicon),
        location=location,
        quantity=event_quantity(sent),
        cameo=code,
        quad=quad,
        goldstein=goldstein,
        trigger=_trigger_text(hit),
        confidence=confidence(hit),
    )


#: Nouns that, as the object of violence or repression, name civilians ("killed 22 people").
#: Too vague to be actors (agents.yaml leaves them out), they are the victims here.
_VICTIM_NOUNS = frozenset(
    {
        "people",
        "person",
        "persons",
        "man",
        "men",
        "woman",
        "women",
        "child",
        "children",
        "civilian",
        "civilians",
        "family",
        "families",
        "boy",
        "boys",
        "girl",
        "girls",
        "others",
        "individuals",
    }
)


def _victims(toks: list[Token]) -> list[Party]:
    """Unnamed civilians a material-conflict event acts on ("killed 22 people")."""
    head = toks[0]
    if head.lemma_.lower() in _VICTIM_NOUNS or head.lower_ in _VICTIM_NOUNS:
        return [Party(text=span_text(head), code=None, sector="CVL", kind="group")]
    return []


def _placed(parties: list[Party], location: dict[str, object] | None) -> list[Party]:
    """Recipients without a state take the state the event happened in (victims are where the
    attack is): generic agents and unnamed civilians, never a named unknown organisation."""
    country = location.get("country") if location else None
    if not country:
        return parties
    return [
        Party(text=p.text, code=str(country), actor_id=p.actor_id, sector=p.sector, kind=p.kind)
        if p.code is None and p.sector is not None
        else p
        for p in parties
    ]


def _crowd(hit: Hit, location: dict[str, object] | None) -> list[Party]:
    """Protesters no mention covers ("Thousands of people rallied in Tbilisi").

    Crowds have no dictionary entry: they are coded as civilians of the country they protest in.
    """
    first = hit.actor_toks[0]
    if first.pos_ == "PRON" or not location or not location.get("country"):
        return []
    return [Party(text=span_text(first), code=str(location["country"]), sector="CVL", kind="group")]


def _rule(hit: Hit) -> str:
    """Which part found the event, the classifier's score, and the lexicon rule or model trigger."""
    score = f"({hit.score:.2f})" if hit.score is not None else ""
    return f"{hit.source}{score}:{hit.rule}"


def confidence(hit: Hit) -> float:
    """The coder's estimate that the event is right (0-1), from which parts agree.

    Calibrated on the dev split (docs/events-model.md): events both parts find are right most
    often, then confident classifier events, then lexicon triggers the classifier doubts.
    """
    p = hit.score if hit.score is not None else 0.5
    if hit.source == "both":
        return round(0.5 + 0.5 * p, 3)
    if hit.source == "model":
        return round(0.8 * p, 3)
    return round(0.4 * (0.5 + p), 3)


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
            ",".join(_party_keys(ev.actor)),
            ",".join(_party_keys(ev.recipient)),
            str(ev.date),
            str(ev.aux),
        ]
    )
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
