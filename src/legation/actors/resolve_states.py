"""Rules for states, organisations and their bodies: names, demonyms, metonyms, institutions.

A mixin of the resolver (:mod:`legation.actors.resolve`), kept apart so that each module stays
readable. Everything here resolves to a state or organisation code, never to a person, except
"the bloc"/"the agency" descriptions, which refer back to an organisation already named.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from legation.actors.dictionary import ActorDictionary, ActorEntry
from legation.actors.dictionary_model import normalize
from legation.actors.resolve_context import TITLE_WORDS, TitleInfo
from legation.actors.resolve_match import Hit
from legation.events.where import gazetteer
from legation.models import Article, Mention

#: Single generic words that are aliases of an organisation only when capitalised *and* the
#: organisation is named elsewhere in the article ("the Alliance" = NATO in a NATO story; in
#: another story it may be any alliance).
_GENERIC_ALIASES = frozenset(
    {"alliance", "union", "commission", "council", "parliament", "assembly", "court"}
)

#: Nouns after a demonym that make it a place, not an actor ("the Korean peninsula").
_PLACE_NOUNS = frozenset(
    [
        "peninsula",
        "border",
        "borders",
        "archipelago",
        "sea",
        "strait",
        "coast",
        "waters",
        "territory",
        "region",
        "soil",
        "side",
        "airspace",
        "capital",
        "city",
        "island",
        "islands",
        "mainland",
        "language",
        "people",
    ]
)

#: Nouns after a demonym that say which part of the state acts.
_NOUN_SECTOR = {
    "leaders": "GOV",
    "leader": "GOV",
    "officials": "GOV",
    "official": "GOV",
    "authorities": "GOV",
    "diplomats": "GOV",
    "counterparts": "GOV",
    "counterpart": "GOV",
    "delegation": "GOV",
}

_FUNCTION = frozenset({"of", "the", "for", "and"})

#: Words that turn a demonym into a region ("South American", "Central Asian").
_COMPASS = frozenset({"South", "North", "East", "West", "Central", "Latin", "Southeast", "Northeast"})

#: Verbs after which a capital is where somebody goes, not who acts ("visited Pyongyang").
_MOTION = frozenset(
    [
        "visit",
        "travel",
        "go",
        "come",
        "arrive",
        "leave",
        "reach",
        "fly",
        "return",
        "head",
        "move",
        "invite",
        "send",
    ]
)

#: Nouns that, after "the", may refer back to an organisation named earlier.
ORG_NOUNS = frozenset(
    {"bloc", "alliance", "union", "commission", "council", "agency", "organisation", "organization", "court"}
)


@dataclass
class Cand:
    """A candidate mention in text order (token offsets)."""

    start: int
    end: int
    kind: str  # person | hit | propn | pronoun | phrase
    hit: Hit | None = None
    entries: tuple[ActorEntry, ...] = ()
    title: TitleInfo | None = None


class StateRules:
    """Resolution of non-person mentions; mixed into the resolver, which provides the state."""

    doc: Any
    text: str
    article: Article
    d: ActorDictionary
    hits: list[Hit]
    out: list[Mention]
    sent_of: list[int]
    inst_codes: dict[str, str]

    def _emit(self, start: int, end: int, **kw: Any) -> Mention:
        raise NotImplementedError

    def _place_after(self, end: int) -> str | None:
        """The state of a place named right after a phrase ("... in Yekaterinburg", "of Lagos")."""
        doc = self.doc
        if end >= len(doc) or doc[end].lower_ not in ("in", "of", "at"):
            return None
        names = []
        for t in doc[end + 1 : end + 5]:
            if t.pos_ != "PROPN":
                break
            names.append(t.text)
        place = gazetteer().lookup(" ".join(names)) if names else None
        return place.country if place is not None else None

    def _context_codes(self, tok: int, back: int = 1) -> list[str]:
        """State codes named in this sentence and the ``back`` before (for confirmation only)."""
        k = self.sent_of[tok]
        codes: list[str] = []
        for h in self.hits:
            if not k - back <= self.sent_of[h.start] <= k:
                continue
            text = self.doc[h.start : h.end].text
            code = None
            if h.kind == "demonym":
                code = self.d.demonym(text)
            elif h.kind == "metonym":
                code = self.d.metonym(text)
            elif h.kind == "entry":
                e = self.d.get(h.key)
                code = e.code if e is not None and e.kind == "state" else None
            if code and code not in codes:
                codes.append(code)
        return codes

    def _orgref(self, c: Cand) -> bool:
        """ "the bloc", "the alliance", "the agency": the last organisation named that fits."""
        noun = self.doc[c.end - 1].lower_
        entry = self._org_antecedent(noun)
        if entry is None:
            return False
        self._emit(
            c.start,
            c.end,
            actor_id=entry.actor_id,
            name=entry.name,
            code=entry.code,
            kind=entry.kind,
            sector=entry.sector,
            role=None,
            rule="coreference",
        )
        return True

    def _org_antecedent(self, noun: str) -> ActorEntry | None:
        """The most recent organisation (or its body) mentioned that a generic noun can denote.

        "bloc" is any organisation as a whole; other nouns must occur in the organisation's or a
        body's name ("the agency" -> International Atomic Energy Agency, "the Commission" after
        von der Leyen -> European Commission). Office-holders count as their organisation.
        """
        d = self.d
        tried: set[str] = set()
        for m in reversed(self.out):
            if not m.code or m.code in tried:
                continue
            whole = d.by_code(m.code)
            if whole is None or whole.kind not in ("igo", "org"):
                continue
            tried.add(m.code)
            own = d.get(m.actor_id) if m.actor_id and m.kind != "person" else None
            if noun == "bloc":
                return whole
            pool = [e for e in (own, whole) if e is not None]
            pool += [e for e in d.entries.values() if e.code == m.code and e.parent and e not in pool]
            for e in pool:
                if any(noun in normalize(t).split() for t in (e.name, *e.aliases)):
                    return e
        return None

    # ------------------------------------------------------------ states, organisations, bodies
    def _merge_modifiers(self, cands: list[Cand]) -> dict[int, Cand]:
        """Pair "North Korean" + "soldiers", "South Korea's" + "presidential office".

        Returns {id(institution candidate): modifier candidate}; the modifier is not emitted on
        its own (the institution mention spans both).
        """
        out: dict[int, Cand] = {}
        hits = [c for c in cands if c.kind == "hit" and c.hit is not None]
        for prev, cur in itertools.pairwise(hits):
            assert prev.hit is not None and cur.hit is not None
            if cur.hit.kind != "institution" or prev.hit.kind not in ("demonym", "entry", "metonym"):
                continue
            gap = self.doc[prev.end : cur.start]
            if len(gap) > 1 or (len(gap) == 1 and gap[0].text not in ("'s", "’s")):
                continue
            if prev.hit.kind == "metonym" and len(gap) == 0:
                continue
            if self._modifier_code(prev) is None:
                continue
            out[id(cur)] = prev
        return out

    def _modifier_code(self, c: Cand) -> str | None:
        assert c.hit is not None
        text = self.doc[c.start : c.end].text
        if c.hit.kind == "demonym":
            return self.d.demonym(text)
        if c.hit.kind == "metonym":
            return self.d.metonym(text)
        e = self.d.get(c.hit.key)
        return e.code if e is not None and e.kind in ("state", "igo") else None

    def _hit(self, c: Cand, modifier: Cand | None) -> None:
        assert c.hit is not None
        h, d, doc = c.hit, self.d, self.doc
        text = doc[c.start : c.end].text
        if h.kind == "institution":
            self._institution(c, modifier)
        elif h.kind == "entry":
            e = d.get(h.key)
            if e is None:
                return
            owner = self._possessor(c.start)
            if owner is not None and e.parent is not None:
                # "Russia's Security Council" is Russia's own body, not the UN organ.
                body = d.by_code(owner)
                self._emit(
                    c.start,
                    c.end,
                    actor_id=owner,
                    name=body.name if body else owner,
                    code=owner,
                    kind="state",
                    sector=e.sector,
                    role=None,
                    rule="institution",
                )
                return
            bare = normalize(text)
            if bare in _GENERIC_ALIASES:
                prior = self._org_antecedent(bare)
                if prior is not None:
                    e = prior
                elif not self._named_elsewhere(e.code, h):
                    return
            self._emit(
                c.start,
                c.end,
                actor_id=e.actor_id,
                name=e.name,
                code=e.code,
                kind=e.kind,
                sector=e.sector,
                role=None,
                rule="dictionary",
            )
        elif h.kind == "demonym":
            self._demonym(c, text)
        elif h.kind == "metonym":
            self._metonym(c, text)

    def _possessor(self, start: int) -> str | None:
        """The state in "<State>'s" right before token ``start``, if any."""
        doc = self.doc
        if start < 2 or doc[start - 1].text not in ("'s", "’s"):
            return None
        for h in self.hits:
            if h.end == start - 1 and h.kind == "entry":
                e = self.d.get(h.key)
                return e.code if e is not None and e.kind == "state" else None
        return None

    def _named_elsewhere(self, code: str | None, h: Hit) -> bool:
        for x in self.hits:
            if x is h or x.kind != "entry":
                continue
            e = self.d.get(x.key)
            if (
                e is not None
                and e.code == code
                and normalize(self.doc[x.start : x.end].text) not in _GENERIC_ALIASES
            ):
                return True
        return False

    def _demonym(self, c: Cand, text: str) -> None:
        code = self.d.demonym(text)
        if code is None:
            return
        nxt = self.doc[c.end] if c.end < len(self.doc) else None
        prev = self.doc[c.start - 1] if c.start > 0 else None
        after = self.doc[c.end + 1] if c.end + 1 < len(self.doc) else None
        if nxt is not None and nxt.text in ("-", "‑"):
            return  # "Iranian-designed drones", "Russian-made": origin, not an actor
        if (
            nxt is not None
            and nxt.lower_ in _PLACE_NOUNS
            and not (after is not None and after.pos_ == "NOUN")
        ):
            return  # "the Korean peninsula" (but "Polish border guards" act)
        if prev is not None and prev.text in _COMPASS:
            # "South American countries" is a region, not the United States.
            return
        if nxt is not None and (
            (nxt.pos_ == "PROPN" and nxt.is_title)
            or (nxt.lower_ in TITLE_WORDS and nxt.lower_ not in _FUNCTION)
        ):
            # "South Korean Foreign Minister ...", "the former Estonian prime minister" describe a
            # person (resolved with the person); "Korean War" is a name of its own.
            return
        sector = _NOUN_SECTOR.get(nxt.lower_) if nxt is not None else None
        end = c.end + 1 if sector else c.end
        if nxt is not None and nxt.lower_ in _PLACE_NOUNS and after is not None:
            end = c.end + 2
        body = self.d.by_code(code)
        self._emit(
            c.start,
            end,
            actor_id=body.actor_id if body else code,
            name=body.name if body else code,
            code=code,
            kind=body.kind if body else "state",
            sector=sector,
            role=None,
            rule="demonym",
        )

    def _acting(self, tok: Any) -> bool:
        """Whether a capital acts (says, does, owns) rather than names a place.

        Subjects ("Seoul said"), possessives ("Seoul's"), agents ("raised by Washington"),
        objects of non-motion verbs ("embolden Pyongyang") and conjuncts of any of these act;
        "in Seoul", "visited Pyongyang" and datelines do not.
        """
        for _ in range(4):
            dep = tok.dep_
            if dep in ("nsubj", "poss"):
                return True
            if dep == "pobj":
                return bool(tok.head.dep_ == "agent")
            if dep == "dobj":
                return tok.head.lemma_.lower() not in _MOTION
            if dep == "conj":
                tok = tok.head
                continue
            return False
        return False

    def _metonym(self, c: Cand, text: str) -> None:
        code = self.d.metonym(text)
        if code is None:
            return
        offset = self.doc[c.start].idx
        if any(line.start <= offset < line.start + len(line.text) for line in self.article.datelines):
            return  # "Seoul:" heading an item says where it was written, not who acts
        recs = self.d.metonym_candidates(text)
        head = self.doc[c.end - 1]
        is_seat = normalize(text) != normalize(text.split()[-1]) or any(
            r.text.lower().startswith("the ") for r in recs
        )
        after = self.doc[c.end] if c.end < len(self.doc) else None
        possessive = after is not None and after.text in ("'s", "’s")
        if is_seat:
            # "met at the Kremlin" is a place; "the Kremlin said" / "by the Pentagon" act.
            k = c.start - 1 if c.start > 0 and self.doc[c.start - 1].lower_ == "the" else c.start
            prev = self.doc[k - 1] if k > 0 else None
            if (
                prev is not None
                and prev.lower_ in ("in", "at", "to", "from", "inside", "outside", "near", "into")
                and head.head.dep_ != "agent"
            ):
                return
        elif not (possessive or self._acting(head)):
            return
        rec = next((r for r in recs if r.code == code), None)
        body = self.d.by_code(code)
        self._emit(
            c.start,
            c.end,
            actor_id=body.actor_id if body else code,
            name=body.name if body else code,
            code=code,
            kind=body.kind if body else "state",
            sector=rec.sector if rec else None,
            role=None,
            rule="metonym",
        )

    def _located(self, end: int) -> str | None:
        """The state of "the Joint Chiefs of Staff in Seoul" / "the foreign ministry of Japan"."""
        doc = self.doc
        if end + 1 >= len(doc) or doc[end].lower_ not in ("in", "of"):
            return None
        for h in self.hits:
            if h.start == end + 1 or (h.start == end + 2 and doc[end + 1].lower_ == "the"):
                text = doc[h.start : h.end].text
                if h.kind == "metonym":
                    return self.d.metonym(text)
                if h.kind == "entry":
                    e = self.d.get(h.key)
                    return e.code if e is not None and e.kind == "state" else None
        return None

    def _institution(self, c: Cand, modifier: Cand | None) -> None:
        assert c.hit is not None
        inst = next((i for i in self.d.institutions if i.inst_id == c.hit.key), None)
        if inst is None:
            return
        start = c.start
        code = inst.code
        if modifier is not None:
            start = modifier.start
            code = code or self._modifier_code(modifier)
        if code is None:
            code = self._located(c.end)
        if code is None and inst.inst_id in self.inst_codes:
            # The same body named earlier with its state ("China's coast guard ... The coast guard").
            code = self.inst_codes[inst.inst_id]
        if code is None and inst.context:
            # "a court in Yekaterinburg": a place attached to the body says whose it is.
            code = self._place_after(c.end)
        if code is None and inst.context:
            # No state named in the phrase and the body may take its state from context
            # (``context: true`` in institutions.yaml): accept the one state this sentence, else
            # this and the previous sentence, talk about.
            for back in (0, 1):
                near = self._context_codes(c.start, back)
                if near:
                    code = near[0] if len(near) == 1 else None
                    break
        if code is None:
            return
        self.inst_codes[inst.inst_id] = code
        body = self.d.by_code(code)
        self._emit(
            start,
            c.end,
            actor_id=body.actor_id if body else code,
            name=inst.name if inst.code else (body.name if body else code),
            code=code,
            kind=body.kind if body else "state",
            sector=inst.sector,
            role=None,
            rule="institution",
        )
