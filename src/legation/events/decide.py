"""Which triggers of a sentence become events: the classifier and the lexicon together.

The classifier (:mod:`legation.learn.model`) scores every sentence for the 16 PLOVER types;
the lexicon fires triggers over the parse (:mod:`legation.events.triggers`). Neither gates the
other:

* a lexicon trigger is kept when the classifier gives its type at least ``AGREE_FACTOR`` of
  that type's threshold (``both``); failing that, when no classifier type takes its word and
  the classifier does not call the sentence eventless (``lexicon``; lower confidence). A
  trigger whose own word the classifier reads as another, ``DOMINATE`` times more probable
  type is dropped (:func:`_stolen`);
* a type the classifier predicts that no kept trigger gives becomes an event of its own
  (``model``): its trigger is the free word of the sentence that carries most of that type's
  weight in the classifier (preferring words the lexicon lists for the type), and its actor and
  recipient come from the parse around that word exactly as for a lexicon trigger.

The constants below were calibrated on the dev split of the training data with the whole
coder (``bench/eval_coder.py --split dev``); ``docs/events-model.md`` has the figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from legation.events.coder_syntax import MentionIndex
from legation.events.lexicon import Lexicon, Trigger
from legation.events.roles import Hit
from legation.events.triggers import HitState, light_governor, noun_entry, object_of, verb_entry
from legation.events.types import TypeRules
from legation.learn.model import EventModel, Scores

#: A lexicon trigger whose type scores at least this share of the type's threshold is "both".
AGREE_FACTOR = 0.5
#: A lexicon trigger is doubted when the classifier predicts another type this many times as
#: probable on the trigger's own word ("protesting" is a diplomatic protest in the lexicon, a
#: street protest here).
DOMINATE = 3.0
#: A mode the classifier gives is used from this probability on (else the event has none).
MODE_MIN = 0.5
#: Weight added to a word the lexicon lists for the type when choosing a model trigger.
LEXICON_BONUS = 1.0
_MODIFIER_DEPS = frozenset(
    {"compound", "amod", "poss", "nmod", "npadvmod", "nummod", "appos", "prep", "aux", "auxpass", "agent"}
)
#: A second classifier event in one sentence needs a word this strong (the first takes the
#: best predicate; a runner-up type on a weak word is usually the same event misread).
SECOND_ANCHOR_MIN = 1.0
#: Texts of at most this many sentences are short records (news quotes, snippets, headlines).
SHORT_MAX_SENTENCES = 3


@dataclass(frozen=True)
class Policy:
    """How far the classifier is trusted; one policy for short records, one for articles.

    Attributes:
        agree_factor, dominate: see the module docstring.
        lexicon_floor, lexicon_none_max: a trigger the classifier does not support survives
            only above this probability of its type and below this probability of "no event".
        model_alone_min: a type the classifier alone finds becomes an event from this
            probability on (and its calibrated threshold).
        model_anchor_min: ... and its trigger word must weigh at least this much for the type
            (None: the main verb may stand in when no word carries the type).
        actorless_min: an event nobody can name the actor of (a pronoun without antecedent, a
            subjectless headline) is reported from this probability of its type on.
        none_max: a sentence the classifier gives at least this probability of "no event"
            codes nothing (1.01: never so judged).
    """

    agree_factor: float = AGREE_FACTOR
    lexicon_floor: float = 0.0
    lexicon_none_max: float = 1.01
    dominate: float = DOMINATE
    model_alone_min: float = 0.0
    model_anchor_min: float | None = None
    actorless_min: float = 1.1
    none_max: float = 1.01


# Calibrated on the dev split of the training data (bench/eval_coder.py --split dev, every
# example a one-sentence record) and on the seed pages (long articles); docs/events-model.md
# has the figures. In a short record the text was chosen because it reports something: the
# classifier alone speaks, and a confident type is kept even when its actor is unknown. In a
# long article most sentences are context and commentary (the benchmark pages: 89 % carry no
# event): the classifier alone needs a strong type on a word of its own, every event an actor,
# and the lexicon's triggers are vetoed only when their word is another type's.
SHORT_POLICY = Policy(lexicon_floor=0.02, lexicon_none_max=0.6, actorless_min=0.5)
# In a long article a sentence the classifier calls eventless ("no event" at 0.9 or more) codes
# nothing, whatever its triggers (``none_max``, ``lexicon_none_max``): on the dev split's whole
# pages (bench/eval_pages.py) event precision 0.188 -> 0.310, any-event precision 0.353 -> 0.561,
# recall 0.212 -> 0.204, seeds unchanged; 0.95 kept more noise, 0.8 lost seed events. It is also
# what lets the select stage (legation.select) leave such sentences unparsed.
LONG_POLICY = Policy(model_alone_min=0.9, model_anchor_min=1.0, lexicon_none_max=0.9, none_max=0.9)


def policy_for(n_sentences: int) -> Policy:
    """The policy for a text of ``n_sentences`` sentences (read at call time: tools may swap it)."""
    return SHORT_POLICY if n_sentences <= SHORT_MAX_SENTENCES else LONG_POLICY


def decide(
    sent: Span,
    lexicon_found: list[Hit],
    scores: Scores | None,
    model: EventModel | None,
    lexicon: Lexicon,
    rules: TypeRules,
    index: MentionIndex,
    policy: Policy = LONG_POLICY,
) -> list[Hit]:
    """The hits of one sentence that become events, in text order."""
    if scores is None or model is None:
        return sorted(lexicon_found, key=lambda h: h.token.i)
    if scores.none >= policy.none_max:
        return []
    supported: list[Hit] = []
    doubted: list[Hit] = []
    stolen: set[int] = set()
    # Each predicted type's own word in the sentence (its anchor with nothing taken yet), found
    # once for all triggers: it does not depend on the trigger asking.
    rival_anchor: dict[str, Token | None] = {}
    for h in lexicon_found:
        h.score = scores.probs.get(h.etype, 0.0)
        if _stolen(h, scores, model, (sent, lexicon, rules, index), policy, rival_anchor):
            stolen.add(h.token.i)
            doubted.append(h)
        elif h.score >= policy.agree_factor * model.threshold(h.etype):
            h.source = "both"
            supported.append(h)
        else:
            doubted.append(h)
    for h in lexicon_found:
        if h.trigger.mode is None and h.mode is None:
            h.mode = _model_mode(scores, h.trigger.type)
    state = HitState()
    for h in sorted(supported, key=lambda h: h.token.i):
        state.take(h, lexicon, rules)
    kept = list(supported)
    covered = {h.etype for h in kept}
    # Types the classifier finds that no supported trigger gives: a doubted trigger's word is
    # free for them ("fired missiles at": the lexicon says MOBILIZE, the classifier ASSAULT).
    for etype, p in sorted(scores.predicted.items(), key=lambda kv: (-kv[1], kv[0])):
        if etype in covered or p < policy.model_alone_min:
            continue
        second = any(h.source == "model" for h in kept)
        anchor = choose_anchor(
            sent,
            etype,
            model,
            lexicon,
            rules,
            state,
            index,
            min_weight=SECOND_ANCHOR_MIN if second else policy.model_anchor_min,
        )
        if anchor is None:
            continue
        hit = model_hit(anchor, etype, p, scores, lexicon, rules)
        state.take(hit, lexicon, rules)
        kept.append(hit)
        covered.add(etype)
    for h in doubted:
        if (
            state.free(h.token)
            and h.token.i not in stolen
            and h.etype not in covered
            and h.score is not None
            and h.score >= policy.lexicon_floor
            and scores.none < policy.lexicon_none_max
        ):
            h.source = "lexicon"
            state.take(h, lexicon, rules)
            kept.append(h)
    for h in kept:
        h.actorless = h.source != "lexicon" and (h.score or 0.0) >= policy.actorless_min
    return sorted(kept, key=lambda h: h.token.i)


def _stolen(
    h: Hit,
    scores: Scores,
    model: EventModel,
    ctx: tuple[Span, Lexicon, TypeRules, MentionIndex],
    policy: Policy,
    anchors: dict[str, Token | None],
) -> bool:
    """Whether the classifier reads the trigger's own word as another type.

    "protesting" is a diplomatic protest (ACCUSE) in the lexicon; when the classifier predicts
    PROTEST ``dominate`` times as probable and PROTEST's own trigger word in the sentence
    (:func:`choose_anchor`) is that very word, the word is the street protest. A rival type
    the classifier finds on another word ("the war ... poses a threat": THREATEN on "threat")
    leaves the trigger alone: one sentence often reports several events. ``anchors`` caches
    each rival's word for the sentence.
    """
    sent, lexicon, rules, index = ctx
    p = h.score or 0.0
    for rival, q in scores.predicted.items():
        if rival == h.etype or q < policy.dominate * p:
            continue
        if rival not in anchors:
            anchors[rival] = choose_anchor(sent, rival, model, lexicon, rules, HitState(), index)
        anchor = anchors[rival]
        if anchor is not None and anchor.i == h.token.i:
            return True
    return False


def _lexicon_types(tok: Token, lexicon: Lexicon) -> set[str]:
    entries = [*lexicon.verb_entries(tok.lemma_.lower()), *lexicon.noun_entries(tok.lemma_.lower())]
    return {e.type for e in entries}


def _predicates(sent: Span, etype: str, lexicon: Lexicon, rules: TypeRules) -> list[Token]:
    """Words that can carry an event: verbs heading a clause, and event nouns.

    A noun qualifies when the lexicon lists it as a trigger of some type or a light verb governs
    it ("held a rally"). A verb of saying carries only verbal events (types 1 and 3: "X said Y
    was to blame" is an accusation) and a modifier ("riot" in "riot police") carries none.
    """
    verbal = rules.quad(etype) in (1, 3)
    out: list[Token] = []
    for tok in sent:
        if tok.dep_ in _MODIFIER_DEPS:
            continue
        if tok.pos_ == "VERB":
            if verbal or tok.lemma_.lower() not in lexicon.speech_verbs:
                out.append(tok)
        elif tok.pos_ == "NOUN" and (
            lexicon.noun_entries(tok.lemma_.lower()) or light_governor(tok, lexicon) is not None
        ):
            out.append(tok)
    return out


def choose_anchor(
    sent: Span,
    etype: str,
    model: EventModel,
    lexicon: Lexicon,
    rules: TypeRules,
    state: HitState,
    index: MentionIndex,
    *,
    min_weight: float | None = None,
) -> Token | None:
    """The free predicate of ``sent`` that carries most of ``etype``'s weight.

    Among the sentence's predicates (:func:`_predicates`) not used by another event nor inside
    an actor mention, the one whose word the classifier weighs most for the type, a word the
    lexicon lists for the type first. When none weighs anything, the main verb: the classifier
    read the type off the whole sentence, and the main clause is what the sentence reports.
    With ``min_weight`` only a word weighing more than that qualifies (no main-verb fallback).
    """
    weights = model.word_weights(etype)
    cands = [
        t for t in _predicates(sent, etype, lexicon, rules) if state.free(t) and index.covering(t) is None
    ]
    headline = not any(t.pos_ in ("VERB", "AUX") for t in sent)
    if not cands and headline:
        # "Kenyan police fire tear gas at marchers": the tagger reads a headline's verb as a
        # noun. Any free content word may carry the event; the classifier's weights choose.
        cands = [
            t
            for t in sent
            if t.pos_ in ("NOUN", "ADJ", "PROPN") and state.free(t) and index.covering(t) is None
        ]
    if not cands:
        return None
    best: tuple[float, int] | None = None
    choice: Token | None = None
    for tok in cands:
        w = max(weights.get(tok.lower_, 0.0), weights.get(tok.lemma_.lower(), 0.0))
        if etype in _lexicon_types(tok, lexicon):
            w += LEXICON_BONUS
        key = (w, -tok.i)
        if w > (min_weight or 0.0) and (best is None or key > best):
            best, choice = key, tok
    if choice is None and min_weight is None:
        roots = [t for t in cands if t.pos_ == "VERB" and t.dep_ in ("ROOT", "ccomp", "conj")]
        # The first clause-heading verb (text order; the shallowest one measured worse on the
        # seed dates, see legation.events.triggers.lexicon_hits).
        choice = min(roots, key=lambda t: t.i) if roots else None
        if choice is None and headline and sent.root in cands:
            choice = sent.root
    return choice


def _entry_for(anchor: Token, etype: str, lexicon: Lexicon, rules: TypeRules) -> tuple[Trigger, Token | None]:
    """The lexicon entry of ``etype`` at the anchor when there is one, else a type template."""
    found = verb_entry(anchor, lexicon)
    if found is not None and found[0].type == etype:
        return found
    noun = noun_entry(anchor, lexicon)
    if noun is not None and noun.type == etype:
        return noun, None
    rule = rules[etype]
    pos = "noun" if anchor.pos_ in ("NOUN", "PROPN") else "verb"
    trigger = Trigger(
        id=f"model-{etype.lower()}",
        lemma=anchor.lemma_.lower(),
        pos=pos,
        type=etype,
        recipient=rule.recipient,
        joint=rule.reciprocal,
        frame="absorb" if rule.content and rule.content_modes else "verb",
    )
    return trigger, object_of(anchor, trigger) if pos == "verb" else None


def model_hit(anchor: Token, etype: str, p: float, scores: Scores, lexicon: Lexicon, rules: TypeRules) -> Hit:
    """A hit for a type the classifier found, anchored at ``anchor``."""
    entry, obj = _entry_for(anchor, etype, lexicon, rules)
    clause = anchor
    if anchor.pos_ in ("NOUN", "PROPN"):
        # "carried out strikes": the light verb's subject acts; any other governor ("condemned
        # the strikes") is not the event's actor, so the noun stands alone.
        clause = light_governor(anchor, lexicon) or anchor
    hit = Hit(
        trigger=entry,
        token=anchor,
        clause=clause,
        rule=f"{entry.frame}:{entry.id}",
        obj=obj,
        source="model",
        score=p,
    )
    if entry.mode is None:
        hit.mode = _model_mode(scores, etype)
    return hit


def _model_mode(scores: Scores, etype: str) -> str | None:
    """The classifier's mode of ``etype`` for the sentence when it is more likely than not."""
    mode, conf = scores.modes.get(etype, (None, 0.0))
    return mode if mode is not None and conf >= MODE_MIN else None
