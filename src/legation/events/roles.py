"""Who does what to whom: the actor and recipient of a fired trigger.

Split from :mod:`legation.events.coder` so each module stays reviewable: this one reads the
dependency parse around a trigger (subjects, objects, prepositional arguments, possessors of a
nominal event) and turns the tokens into coded parties through the resolved actor mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from legation.events.coder_syntax import (
    MentionIndex,
    direct_objects,
    is_passive,
    np_parties,
    prep_objects,
    span_text,
    subject_tokens,
    to_party,
    unique_parties,
)
from legation.events.lexicon import Lexicon, Trigger
from legation.events.where import between_nouns, gazetteer
from legation.models import Party

#: Words that make a MOBILIZE of troops into AID: the troops go to help another state.
_HELP_VERBS = frozenset({"assist", "support", "help", "aid", "back", "reinforce", "bolster"})


@dataclass
class Hit:
    """A fired trigger before it becomes an Event."""

    trigger: Trigger
    token: Token  # the trigger word
    clause: Token  # the verb whose subject is the actor (the light verb for "held talks")
    rule: str
    obj: Token | None = None
    etype: str = ""
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    content: str | None = None  # the type of an absorbed inner event
    actor_toks: list[Token] = field(default_factory=list)
    recipient_toks: list[Token] = field(default_factory=list)
    actors: list[Party] = field(default_factory=list)
    recipients: list[Party] = field(default_factory=list)
    inherited: bool = False
    inner_recipient_toks: list[Token] = field(default_factory=list)
    source: str = "lexicon"  # which part of the coder found it: lexicon, model or both
    score: float | None = None  # the classifier's probability of ``etype`` for the sentence
    #: the classifier is sure enough of the type to report it when no actor is known
    actorless: bool = False


# ---------------------------------------------------------------- roles
def recipient_tokens(tok: Token, entry: Trigger, obj: Token | None) -> list[Token]:
    out: list[Token] = []
    for path in entry.recipient:
        if path == "dobj":
            out += direct_objects(tok)
        elif path == "obj":
            out += [obj] if obj is not None else direct_objects(tok)
        elif path in ("dative", "iobj"):
            out += [c for c in tok.children if c.dep_ in ("dative", "iobj")]
        elif path == "clause":
            out += [s for c in tok.children if c.dep_ == "ccomp" for s in c.children if s.dep_ == "nsubj"]
        elif path.startswith("obj."):
            rest = path[4:]
            target = obj if obj is not None else next(iter(direct_objects(tok)), None)
            if target is None:
                continue
            if rest in ("poss", "amod", "compound"):
                out.append(target)
            else:
                out += prep_objects(target, (rest,))
        else:
            out += prep_objects(tok, (path,))
    return out


def assign_roles(hit: Hit, index: MentionIndex, prev: list[Party], lexicon: Lexicon) -> None:
    entry, tok = hit.trigger, hit.token
    noun = tok.pos_ in ("NOUN", "PROPN") and hit.clause is tok
    if noun:
        hit.actor_toks = nominal_actor_tokens(tok, hit.etype)
        hit.recipient_toks += recipient_tokens(tok, entry, None)
    else:
        subj, inherited = subject_tokens(hit.clause)
        hit.inherited = inherited
        if entry.frame == "host":
            # Host: the visitor (object) is the actor, the host the recipient (manual CONSULT).
            hit.actor_toks, hit.recipient_toks = direct_objects(tok), subj
        else:
            hit.actor_toks = subj
            clause = hit.clause
            if clause.dep_ == "acl" and clause.tag_ == "VBG" and index.covering(clause.head) is not None:
                # "students protesting outside parliament": the actor the participle describes.
                hit.actor_toks = [clause.head]
            elif clause.dep_ == "acl" and clause.tag_ == "VBN":
                # "a rocket fired by Hezbollah": the participle's agent acts.
                hit.actor_toks = instrument_agents(clause.head)
            if not subj and hit.etype == "MOBILIZE" and is_passive(tok):
                # "North Korean soldiers were deployed": troops mobilised are their state's act.
                hit.actor_toks = direct_objects(tok)
            hit.recipient_toks += recipient_tokens(tok, entry, hit.obj)
            if hit.clause is not tok:
                hit.recipient_toks += recipient_tokens(hit.clause, entry, tok)
    hit.actors = parties_of(hit.actor_toks, index)
    if not hit.actors:
        # "A drone launched by the Houthis hit ...": the subject is an instrument; whoever
        # launched, fired or set it off acts.
        agents = [a for t in hit.actor_toks for a in instrument_agents(t)]
        if agents:
            hit.actor_toks, hit.actors = agents, parties_of(agents, index)
    if not hit.actors and noun and hit.source == "model":
        # "freed Bowman as part of an amnesty": an event noun the classifier found, with no
        # owner of its own, belongs to the clause it sits in.
        verb = next((a for a in tok.ancestors if a.pos_ == "VERB"), None)
        if verb is not None:
            hit.actor_toks, _ = subject_tokens(verb)
            hit.actors = parties_of(hit.actor_toks, index)
    if not hit.actors:
        hit.actors = [p for t in hit.actor_toks for p in pair_antecedents(t, index)]
    pron = next((t for t in hit.actor_toks if t.pos_ == "PRON" and t.lower_ in _PRONOUNS), None)
    if not hit.actors and pron is not None:
        hit.actors = (
            antecedent(pron, index) or speaker_parties(hit.clause, index, lexicon.speech_verbs) or list(prev)
        )
    hit.recipients = parties_of(hit.recipient_toks, index)
    if not hit.recipients and hit.inner_recipient_toks:
        # "agreed to provide aid to Ukraine": the content's recipient is the frame's recipient.
        hit.recipient_toks = hit.inner_recipient_toks
        hit.recipients = parties_of(hit.recipient_toks, index)
    if not hit.actors:
        return  # no coded subject: a "with X" partner alone does not make an actor
    if entry.joint or (hit.etype in ("CONSULT", "AGREE") and entry.frame == "verb" and entry.joint):
        # Reciprocal events: every participant is an actor, no recipient (manual 2.2).
        hit.actors = unique_parties(hit.actors + hit.recipients)
        hit.recipients = []
    if entry.frame not in ("host",) and not entry.joint:
        # A recipient that is one of the actors is dropped; police and students of one state
        # are two parties (same code, different sectors).
        same = {(p.code, p.sector) for p in hit.actors}
        hit.recipients = [p for p in hit.recipients if (p.code, p.sector) not in same]


#: Pronoun subjects resolved to an earlier party, and the mention kinds each can stand for.
_PRONOUNS: dict[str, frozenset[str]] = {
    "he": frozenset({"person"}),
    "she": frozenset({"person"}),
    "it": frozenset({"state", "igo", "org", "group"}),
    "they": frozenset({"state", "igo", "org", "group", "person"}),
}


def antecedent(pron: Token, index: MentionIndex) -> list[Party]:
    """The subject of an earlier clause of the same sentence that the pronoun can stand for.

    "While South Korea has provided non-lethal aid, it has declined requests for arms": "it" is
    South Korea, not whoever acted in the previous sentence.
    """
    kinds = _PRONOUNS[pron.lower_]
    for tok in reversed(list(pron.sent[: pron.i - pron.sent.start])):
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            continue
        parties = [p for p in np_parties(tok, index) if p.kind in kinds]
        if parties:
            return parties
    return []


#: Plural nouns that, counted as two ("the two sides", "both countries"), name the last two
#: states or organisations the article named.
_PAIR_HEADS = frozenset(
    {
        "allies",
        "countries",
        "nations",
        "sides",
        "states",
        "governments",
        "partners",
        "neighbours",
        "neighbors",
        "capitals",
        "parties",
        "blocs",
        "organisations",
        "organizations",
    }
)


def pair_antecedents(tok: Token, index: MentionIndex) -> list[Party]:
    """ "The two allies finalized a partnership": the two states named last before the phrase

    (directly, or through a person acting for one).
    """
    counted = any(
        (c.dep_ == "nummod" and c.lower_ == "two") or (c.dep_ in ("det", "predet") and c.lower_ == "both")
        for c in tok.children
    )
    if not counted or tok.lower_ not in _PAIR_HEADS or index.covering(tok) is not None:
        return []
    out: list[Party] = []
    doc = tok.doc
    for m in index.before(tok.left_edge.idx):
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not _subject_like(span.root):
            continue  # the pair is who acted before ("urging South Korea" is not one of them)
        if m.code and m.kind in ("state", "igo", "person") and all(p.code != m.code for p in out):
            out.append(to_party(m))
        if len(out) == 2:
            return out
    return []


def _subject_like(tok: Token) -> bool:
    """A subject, or a conjunct or apposition of one ("the EU and Korea said ...")."""
    for _ in range(4):
        if tok.dep_ in ("nsubj", "nsubjpass"):
            return True
        if tok.dep_ not in ("conj", "appos", "compound") or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def main_subject(sent: Span, index: MentionIndex) -> list[Party]:
    """The parties the subject of a sentence's main clause names (none for a pronoun)."""
    root = sent.root
    for tok in root.children:
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ != "PRON":
            return np_parties(tok, index)
    return []


def instrument_agents(tok: Token) -> list[Token]:
    """The "by" agents of a past participle modifying ``tok`` ("a mine planted by rebels")."""
    out: list[Token] = []
    for c in tok.children:
        if c.dep_ == "acl" and c.tag_ == "VBN":
            out += [g for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"]
    return out


def nominal_actor_tokens(tok: Token, etype: str) -> list[Token]:
    """Who a bare nominal event belongs to: possessor, naming modifier, "by" agent, "between" pair."""
    out = [c for c in tok.children if c.dep_ in ("poss", "compound", "amod", "nmod")]
    for c in tok.children:
        if c.dep_ in ("prep", "agent") and c.lower_ in ("by", "between"):
            out += [g for g in c.children if g.dep_ == "pobj"]
        if etype == "MOBILIZE" and c.dep_ == "prep" and c.lower_ == "of":
            # "the deployment of North Korean soldiers": the soldiers' state deploys them.
            out += [g for g in c.children if g.dep_ == "pobj"]
    return out


def parties_of(toks: list[Token], index: MentionIndex) -> list[Party]:
    """The parties the phrases headed by ``toks`` name; "the zone between X and Y" names none."""
    out: list[Party] = []
    places = between_nouns()
    for t in toks:
        out += np_parties(t, index, between=t.lemma_.lower() not in places)
    return unique_parties(out)


def speaker(tok: Token, speech_verbs: frozenset[str]) -> Token | None:
    """The verb of saying whose complement holds ``tok`` ("X said that ..."), if any."""
    cur = tok
    for _ in range(5):
        if cur.head.i == cur.i:
            return None
        if cur.dep_ in ("ccomp", "parataxis") and cur.head.lemma_.lower() in speech_verbs:
            return cur.head
        if cur.dep_ not in ("xcomp", "conj", "advcl", "ccomp", "aux"):
            return None
        cur = cur.head
    return None


def speaker_parties(tok: Token, index: MentionIndex, speech_verbs: frozenset[str]) -> list[Party]:
    v = speaker(tok, speech_verbs)
    if v is None:
        return []
    subj, _ = subject_tokens(v)
    return parties_of(subj, index)


def host_from_place(hit: Hit, actor_codes: set[str | None]) -> list[Party]:
    """The host of a visit named by its destination ("visited Pyongyang", "travelled to Tokyo").

    The actor stage does not make a party of a place a visit goes to; the gazetteer of
    :mod:`legation.events.where` names the state it lies in.
    """
    out: list[Party] = []
    for t in hit.recipient_toks:
        name = span_text(t)
        for cand in (name, re.sub(r"^(?:the)\s+", "", name, flags=re.I), t.text):
            place = gazetteer().lookup(cand)
            if place is not None and place.country not in actor_codes:
                out.append(Party(text=t.text, code=place.country))
                break
    return out[:1]


def helped_state(tok: Token, index: MentionIndex, actor_codes: set[str | None]) -> list[Party]:
    """The state troops are sent to help: "to Russia", "in support of Moscow", "to assist X"."""
    cands: list[Token] = []
    cands += prep_objects(tok, ("to", "into"))
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "for"):
            for p in c.children:
                if p.dep_ == "pobj" and p.lemma_.lower() in ("support", "aid", "help", "defence", "defense"):
                    cands += prep_objects(p, ("of",))
        if c.dep_ in ("advcl", "xcomp") and c.lemma_.lower() in _HELP_VERBS:
            cands += direct_objects(c)
    parties = [p for p in parties_of(cands, index) if p.code not in actor_codes]
    return parties
