"""Syntax helpers for the event coder: parties, arguments, clause relations over a spaCy parse.

The coder asks three kinds of question of the dependency parse: which resolved actor mentions a
noun phrase names (:class:`MentionIndex`, :func:`np_parties`), who the subject of a clause is
once passives, control verbs, relative clauses and coordination are taken into account
(:func:`clause_subjects`), and where a trigger's other arguments sit (:func:`arg_tokens`). They
live apart from the coding rules so that each rule in :mod:`legation.events.coder` reads as a
sentence about PLOVER, not about dependency labels.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from spacy.tokens import Token

from legation.models import Mention, Party

#: Relative pronouns: a relative clause's subject is the noun the clause modifies.
_RELATIVE = frozenset({"who", "which", "that", "whom"})
#: Verbs whose object is the understood subject of their infinitive ("urged Seoul to act").
_OBJECT_CONTROL = frozenset(
    {
        "urge",
        "ask",
        "call",
        "press",
        "invite",
        "help",
        "allow",
        "force",
        "persuade",
        "encourage",
        "request",
        "tell",
        "order",
        "implore",
        "push",
    }
)
#: Modifiers of a noun that can name the actor or state it belongs to ("North Korean soldiers",
#: "Russia's war", "EU sanctions", "Ursula von der Leyen, the Commission President").
_NP_MODIFIERS = frozenset({"compound", "amod", "poss", "nmod", "appos", "flat", "npadvmod"})
_PASSIVE = frozenset({"nsubjpass", "auxpass", "csubjpass"})


class MentionIndex:
    """Resolved actor mentions, looked up by the character span of a token."""

    def __init__(self, mentions: Iterable[Mention]) -> None:
        # Every mention can be a party: a generic agent or unknown name without a country is
        # still the event's actor (its text, kind and sector say who).
        self.mentions = sorted(mentions, key=lambda m: (m.start, -m.end))
        self._starts = [m.start for m in self.mentions]

    def covering(self, tok: Token) -> Mention | None:
        """The mention whose span covers the token (the longest when several start together)."""
        pos = tok.idx
        i = bisect.bisect_right(self._starts, pos)
        for j in range(i - 1, max(-1, i - 8), -1):
            m = self.mentions[j]
            if m.start <= pos < m.end:
                return m
        return None


    def before(self, offset: int) -> list[Mention]:
        """Mentions that end before ``offset``, nearest first."""
        i = bisect.bisect_left(self._starts, offset)
        return [m for m in reversed(self.mentions[:i]) if m.end <= offset]


def to_party(m: Mention) -> Party:
    """The event-record form of a mention."""
    return Party(text=m.text, code=m.code, actor_id=m.actor_id, sector=m.sector, kind=m.kind)


def unique_parties(parties: Iterable[Party]) -> list[Party]:
    """One party per code, first mention first (PLOVER lists entities, not mentions).

    Parties without a code are told apart by their text (two unnamed groups stay two).
    """
    seen: set[str] = set()
    out: list[Party] = []
    for p in parties:
        key = p.code or f"?{p.text.lower()}"
        if key in seen:
            continue
        seen.add(key)
        out.append(p)
    return out


def np_parties(tok: Token, index: MentionIndex, *, of: bool = True, between: bool = True) -> list[Party]:
    """The parties a noun phrase headed by ``tok`` names, coordination included.

    The head itself when a mention covers it ("Russia", "President Yoon"); otherwise the
    mentions among its modifiers ("North Korea's support", "North Korean soldiers",
    "the leaders of South Korea and Japan"). Relative clauses and other prepositional phrases
    are not searched: "support to Russia" does not make Russia the accused.
    """
    out: list[Party] = []
    for head in (tok, *tok.conjuncts):
        out.extend(_head_parties(head, index, of=of, between=between, depth=0))
    return unique_parties(out)


def _head_parties(tok: Token, index: MentionIndex, *, of: bool, between: bool, depth: int) -> list[Party]:
    m = index.covering(tok)
    if m is not None:
        out_cov = [to_party(m)]
        # Names with particles ("Ursula von der Leyen and Mark Rutte") are often mis-parsed so
        # that the coordination hangs under a modifier of the head: follow it.
        for child in tok.children:
            # "Turkish and Swedish officials": the coordination hangs under the first adjective.
            coordinated = any(g.dep_ == "cc" for g in child.children)
            if child.dep_ in ("appos", "nmod", "compound", "amod") and coordinated:
                for c2 in (child, *child.conjuncts):
                    cm2 = index.covering(c2)
                    if cm2 is not None:
                        out_cov.append(to_party(cm2))
            elif child.dep_ in ("appos", "nmod"):
                for c2 in child.conjuncts:
                    cm2 = index.covering(c2)
                    if cm2 is not None:
                        out_cov.append(to_party(cm2))
        return out_cov
    if depth > 3:
        return []
    out: list[Party] = []
    for child in tok.children:
        if child.dep_ in _NP_MODIFIERS:
            cm = index.covering(child)
            if cm is not None:
                out.append(to_party(cm))
                for c2 in child.conjuncts:  # "Australian and Indian navies"
                    cm2 = index.covering(c2)
                    if cm2 is not None:
                        out.append(to_party(cm2))
            elif child.dep_ in ("poss", "appos", "nmod"):
                out.extend(_head_parties(child, index, of=of, between=between, depth=depth + 1))
        elif child.dep_ == "prep" and (
            (of and child.lower_ == "of") or (between and child.lower_ == "between")
        ):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    for h in (pobj, *pobj.conjuncts):
                        out.extend(_head_parties(h, index, of=of, between=between, depth=depth + 1))
    return out


def is_passive(v: Token) -> bool:
    """A passive clause: its grammatical subject is the patient ("talks were held")."""
    return any(c.dep_ in _PASSIVE for c in v.children)


def agents(v: Token) -> list[Token]:
    """The "by X" agent of a passive verb (coordination expanded by np_parties later)."""
    return [p for c in v.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]


def direct_objects(v: Token) -> list[Token]:
    """The direct object, or the passive subject, which plays the same role."""
    objs = [c for c in v.children if c.dep_ in ("dobj", "obj")]
    if not objs and is_passive(v):
        objs = [c for c in v.children if c.dep_ == "nsubjpass"]
    return objs


def prep_objects(v: Token, preps: Iterable[str]) -> list[Token]:
    """Objects of the given prepositions/particles under ``v`` ("with X", "to X")."""
    wanted = set(preps)
    out: list[Token] = []
    for c in v.children:
        if c.dep_ in ("prep", "agent", "dative", "prt") and c.lower_ in wanted:
            out.extend(g for g in c.children if g.dep_ in ("pobj", "pcomp"))
            # "in support of X": the party is one level down.
        if c.dep_ == "prep" and c.lower_ in wanted and not any(g.dep_ == "pobj" for g in c.children):
            out.extend(g for g in c.children if g.dep_ == "prep")
    return out


def subject_tokens(v: Token, depth: int = 0) -> tuple[list[Token], bool]:
    """The tokens naming who does ``v``, and whether they come from an enclosing clause.

    Handles passives ("by X"), relative clauses ("the EU, which condemned"), object control
    ("urged Seoul to act": Seoul acts), shared subjects of coordinated and participial clauses
    ("met Yoon and signed", "a declaration condemning"), in that order.
    """
    subj = [c for c in v.children if c.dep_ in ("nsubj", "csubj", "expl")]
    if subj:
        if subj[0].lower_ in _RELATIVE and v.dep_ == "relcl":
            return [v.head], True
        return subj, False
    if is_passive(v):
        ag = agents(v)
        if ag:
            return ag, False
        return [], False
    if v.tag_ == "VBG" and v.i > 0:
        # Accusative gerund: "about North Korea (allegedly) dispatching troops": the noun just
        # before the gerund is its subject.
        prev = v.doc[v.i - 1]
        while prev.dep_ == "advmod" and prev.i > 0:
            prev = v.doc[prev.i - 1]
        if prev.pos_ == "PROPN" and prev.dep_ in ("pobj", "dobj") and prev.head.i < prev.i:
            return [prev], False
    if depth >= 4 or v.dep_ == "ROOT":
        return [], False
    head = v.head
    if v.dep_ == "relcl":
        return [head], True
    if v.dep_ == "xcomp" and head.lemma_ in _OBJECT_CONTROL:
        objs = direct_objects(head) or prep_objects(head, ("on", "upon"))
        if objs:
            return objs, True
    if v.dep_ in ("xcomp", "advcl", "conj", "pcomp", "acl", "ccomp"):
        # Climb to the clause that owns the subject: through a preposition ("by testing") or a
        # noun ("a declaration condemning X" -> whoever adopted the declaration).
        while head.pos_ not in ("VERB", "AUX") and head.dep_ != "ROOT" and head.head.i != head.i:
            if head.dep_ in ("nsubj", "nsubjpass"):
                return [], False  # a participle on the subject noun describes it, no action
            head = head.head
        if v.dep_ == "advcl" and is_passive(head):
            return [], False  # "were raised by X about Y dispatching": X is not the actor
        if v.dep_ == "xcomp" and is_passive(head) and not agents(head):
            # Raising: "Australia is expected to sign": the passive subject signs.
            return [c for c in head.children if c.dep_ == "nsubjpass"], True
        if head.pos_ in ("VERB", "AUX"):
            toks, _ = subject_tokens(head, depth + 1)
            return toks, True
    return [], False


def clause_chain(v: Token, limit: int = 5) -> list[Token]:
    """``v`` and the verbs above it through non-finite/complement links (for aux modes)."""
    out = [v]
    cur = v
    for _ in range(limit):
        if cur.dep_ not in (
            "xcomp",
            "ccomp",
            "advcl",
            "conj",
            "pcomp",
            "acl",
            "pobj",
            "prep",
            "dobj",
            "relcl",
        ):
            break
        if cur.head.i == cur.i:
            break
        cur = cur.head
        out.append(cur)
    return out


def span_text(tok: Token) -> str:
    """The text of a token's subtree (a whole noun phrase)."""
    toks = sorted(tok.subtree, key=lambda t: t.i)
    doc = tok.doc
    return doc[toks[0].i : toks[-1].i + 1].text


def tokens_of(parties_src: Sequence[Token]) -> set[int]:
    """Token indices of noun phrases, to keep parties out of the location search."""
    out: set[int] = set()
    for t in parties_src:
        out.update(x.i for x in t.subtree)
    return out
