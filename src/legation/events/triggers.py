"""Trigger words over a dependency parse: lexicon entries that fire, and content frames.

Split from :mod:`legation.events.coder`. For each sentence :func:`lexicon_hits` finds the
lexicon's trigger words (verbs and nouns of ``data/plover/lexicon.yaml``), outer frames first,
so that "agreed to set up", "demanded the withdrawal of" and "declined to meet" give one
event, not two: the outer frame *absorbs* the inner trigger, whose type becomes its content.
The same absorption applies to a trigger the classifier found (:mod:`legation.events.decide`).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from legation.events.coder_syntax import direct_objects, prep_objects, subject_tokens
from legation.events.lexicon import Lexicon, Trigger
from legation.events.roles import Hit, recipient_tokens
from legation.events.types import TypeRules

#: Dependencies under a content frame whose subtree is the frame's content (not new events).
_CONTENT_DEPS = frozenset({"dobj", "xcomp", "prep", "ccomp", "nsubjpass"})


def object_of(tok: Token, entry: Trigger) -> Token | None:
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


def matches(tok: Token, entry: Trigger) -> tuple[bool, Token | None]:
    """Whether the entry's constraints hold at ``tok``, and the object they matched."""
    obj = object_of(tok, entry)
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


def verb_lemmas(tok: Token) -> tuple[str, ...]:
    """Lemma candidates of a verb token, repairing the small model's "-ed" cuts."""
    lemma = tok.lemma_.lower()
    out = [lemma, tok.lower_]
    if tok.tag_ in ("VBD", "VBN") and tok.lower_.endswith("ed") and lemma == tok.lower_[:-2]:
        # The lemmatizer cuts "-ed" whole from verbs whose base ends in "e" ("staged" -> "stag").
        out.append(lemma + "e")
    return tuple(out)


def verb_entry(tok: Token, lexicon: Lexicon) -> tuple[Trigger, Token | None] | None:
    """The most specific verb entry whose constraints hold at ``tok``."""
    if tok.pos_ not in ("VERB", "AUX") and not (tok.pos_ == "NOUN" and tok.dep_ == "ROOT"):
        return None
    for lemma in verb_lemmas(tok):
        entries = lexicon.verb_entries(lemma)
        if entries:
            break
    for entry in entries:
        ok, obj = matches(tok, entry)
        if ok:
            return entry, obj
    return None


def noun_entry(tok: Token, lexicon: Lexicon) -> Trigger | None:
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    for entry in lexicon.noun_entries(tok.lemma_.lower()) or lexicon.noun_entries(tok.lower_):
        ok, _ = matches(tok, entry)
        if ok:
            return entry
    return None


class HitState:
    """Tokens already used by a fired trigger or inside a content frame's argument."""

    def __init__(self) -> None:
        self.consumed: set[int] = set()
        self.content: set[int] = set()

    def free(self, tok: Token) -> bool:
        return tok.i not in self.consumed and tok.i not in self.content

    def take(self, hit: Hit, lexicon: Lexicon, rules: TypeRules) -> None:
        """Mark the hit's tokens used; absorb its inner event; fence off a content frame."""
        self.consumed.add(hit.token.i)
        if hit.obj is not None:
            self.consumed.add(hit.obj.i)
        absorb(hit, lexicon, rules, self.consumed)
        if rules[hit.trigger.type].content:
            for c in hit.token.children:
                if c.dep_ in _CONTENT_DEPS:
                    self.content.update(x.i for x in c.subtree)


def lexicon_hits(sent: Span, lexicon: Lexicon, rules: TypeRules, state: HitState) -> list[Hit]:
    """Fire the lexicon's triggers outer-first; inner triggers an outer frame absorbs are consumed."""
    hits: list[Hit] = []
    # Text order. Outer-first (by depth below the root) was the intent, but a token-identity
    # bug (``tok.head is tok`` is never true: spaCy makes a new Token per access) made every
    # depth equal, so text order is what every floor was measured with. Outer-first, measured
    # once the bug was found, cost the seed dates (accuracy 0.91 against 1.0): not switched on.
    for tok in sent:
        if tok.i in state.consumed:
            continue
        hit = _verb_hit(tok, lexicon) or _noun_hit(tok, lexicon, state.content)
        if hit is None:
            continue
        state.take(hit, lexicon, rules)
        hits.append(hit)
    return hits


def _verb_hit(tok: Token, lexicon: Lexicon) -> Hit | None:
    found = verb_entry(tok, lexicon)
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


def light_governor(tok: Token, lexicon: Lexicon) -> Token | None:
    """The light verb a nominal trigger is the object of ("held talks", "took part in the summit")."""
    gov = tok.head
    if tok.dep_ == "pobj" and gov.dep_ == "prep":
        gov = gov.head
    if (
        tok.dep_ in ("dobj", "nsubjpass", "pobj", "attr", "conj")
        and gov.pos_ in ("VERB", "AUX")
        and gov.lemma_.lower() in lexicon.light_verbs
    ):
        return gov
    return None


def _noun_hit(tok: Token, lexicon: Lexicon, content_heads: set[int]) -> Hit | None:
    entry = noun_entry(tok, lexicon)
    if entry is None:
        return None
    gov = light_governor(tok, lexicon)
    if gov is not None:
        return Hit(trigger=entry, token=tok, clause=gov, rule=f"light:{gov.lemma_.lower()}+{entry.id}")
    if entry.standalone and tok.i not in content_heads:
        return Hit(trigger=entry, token=tok, clause=tok, rule=f"nominal:{entry.id}")
    return None


def absorb(hit: Hit, lexicon: Lexicon, rules: TypeRules, consumed: set[int]) -> None:
    """Frames whose content is another event: keep one event, take the inner's meaning.

    "agreed to set up a task force", "urged Seoul to provide aid", "declined to meet",
    "threatened to impose sanctions", "demanded the withdrawal of forces": the manual codes the
    outer act (AGREE, REQUEST, REJECT, THREATEN); the inner one has not happened.
    """
    entry = hit.trigger
    hit.etype, hit.context = entry.type, list(entry.context)
    hit.mode = hit.mode or entry.mode
    rule = rules[entry.type]
    if entry.frame != "absorb" and not (rule.content and rule.content_modes):
        return
    inner: Trigger | None = None
    for c in (c for c in hit.token.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ == "VERB"):
        found = verb_entry(c, lexicon)
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
            n = noun_entry(o, lexicon) if o is not None else None
            if n is not None and o is not None:
                inner = n
                consumed.add(o.i)
                break
    if inner is None:
        return
    hit.content = inner.type
    if hit.mode is None:
        hit.mode = rule.content_modes.get(inner.type)
    hit.context += [c for c in inner.context if c not in hit.context]
