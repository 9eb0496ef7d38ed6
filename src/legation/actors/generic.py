"""Actors the dictionary does not name: generic agents and unknown organisations and people.

PLOVER codes "Indonesian riot police" as ``IDN`` with sector ``COP`` and "masked gunmen" as
``UAF`` of the country the story is about; an event is never dropped because its actor is not a
known state. After the dictionary resolver (:mod:`legation.actors.resolve`) has run, this pass
adds two kinds of mention over the tokens it left uncovered:

* **generic agents**: a noun phrase whose head (or head with its compound: "trade
  unionists", "health workers") is listed in ``data/actors/agents.yaml``, with that sector
  and a country from, in order: the phrase itself (a demonym, a possessive or named actor
  modifying it, "of/from <state>"), a place the sentence puts things in ("in Lagos"), the
  dateline heading the item, the one state the sentence names, the article's main state;
* **unknown names**: a person, organisation or group spaCy's NER finds that no dictionary entry
  covers, with ``actor_id`` null and a country only when the phrase gives one.

A named actor modifying the head ("Hamas fighters", "UN peacekeepers") gives its own code; the
merged mention replaces the modifier's own mention, as the resolver merges "North Korean" +
"soldiers".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from legation.actors.dictionary import ActorDictionary
from legation.actors.resolve_context import TITLE_WORDS
from legation.events.where import NOT_NAMES, gazetteer
from legation.models import STATED_GENERIC_RULES, Article, Mention

_NP_MODIFIERS = frozenset({"amod", "compound", "nmod", "poss", "nummod", "quantmod"})
_LOCATIVE = frozenset({"in", "at", "near", "outside", "inside", "across", "around", "throughout"})
_UNKNOWN_KINDS = {"PERSON": "person", "ORG": "org", "NORP": "group"}
#: Head words of facility names a gazetteer may list as towns ("University", Florida).
_FACILITY = frozenset(
    {"university", "college", "school", "hospital", "airport", "base", "camp", "prison", "square", "street"}
)
#: Title words of a state's own national office (a "spokesman" may speak for anyone).
_NATIONAL_OFFICES = frozenset({"minister", "president", "premier", "chancellor"})
_ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj"})
_STATE_KINDS = frozenset({"state"})
#: A main state must hold this share of the article's state mentions (and two at least).
_MAIN_SHARE = 0.5


def _states(m: Mention) -> bool:
    """A mention that names a state: a state, or an agent whose phrase named its state."""
    return m.kind in _STATE_KINDS or m.rule in STATED_GENERIC_RULES


def main_state(mentions: Iterable[Mention], share: float = _MAIN_SHARE) -> str | None:
    """The article's main state: the state named most (twice at least, the first named on a
    tie), if it holds ``share`` of the article's state mentions."""
    states = Counter(m.code for m in mentions if m.kind in _STATE_KINDS and m.code)
    total = sum(states.values())
    top = states.most_common(1)
    return top[0][0] if top and top[0][1] >= 2 and top[0][1] >= share * total else None


def extra_mentions(doc: Doc, article: Article, d: ActorDictionary, mentions: list[Mention]) -> list[Mention]:
    """``mentions`` plus generic agents and unknown names, in text order (a new list)."""
    return _Pass(doc, article, d, mentions).run()


class _Pass:
    def __init__(self, doc: Doc, article: Article, d: ActorDictionary, mentions: list[Mention]) -> None:
        self.doc, self.article, self.d = doc, article, d
        self.mentions = list(mentions)
        self.text = doc.text
        self.owner: list[Mention | None] = [None] * len(doc)
        # Each sentence's place, by its first token: a sentence of n tokens with k generic
        # agents was scanned k times (quadratic on a long sentence); an entry is dropped when a
        # new mention covers one of the sentence's tokens, as the place depends on the owners.
        self._places: dict[int, str | None] = {}
        for m in self.mentions:
            self._cover(m)
        self.main = main_state(mentions)

    def _cover(self, m: Mention) -> None:
        for t in self.doc.char_span(m.start, m.end, alignment_mode="expand") or ():
            if self.owner[t.i] is None:
                self.owner[t.i] = m
        self._places.clear()

    def run(self) -> list[Mention]:
        for tok in self.doc:
            if self.owner[tok.i] is None:
                self._agent(tok)
        for ent in self.doc.ents:
            kind = _UNKNOWN_KINDS.get(ent.label_)
            if kind == "group" and self._people(ent):
                continue
            if kind and all(self.owner[i] is None for i in range(ent.start, ent.end)):
                self._unknown(ent, kind)
        for tok in self.doc:
            # A name NER missed that acts or is acted on ("Buyoya denounced ..."): the parse
            # says it is the subject or object; its text is all we know.
            if (
                tok.pos_ == "PROPN"
                and self.owner[tok.i] is None
                and tok.dep_ in _ARG_DEPS
                and tok.is_title
                and not tok.is_stop
                and tok.lower_ not in TITLE_WORDS
            ):
                first = tok.i
                while (
                    first > 0 and self.doc[first - 1].pos_ == "PROPN" and self.doc[first - 1].head.i >= tok.i
                ):
                    first -= 1
                span = self.doc[first : tok.i + 1]
                if all(self.owner[t.i] is None for t in span) and not self._named_part(tok):
                    self._unknown(span, "person" if len(span) <= 3 else "org")
        return sorted(self.mentions, key=lambda m: (m.start, m.end))

    # ------------------------------------------------------------ generic agents
    def _agent_words(self, tok: Token) -> tuple[str, str] | None:
        """(phrase, sector) when ``tok`` heads a generic agent phrase."""
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ in ("compound", "amod"):
            return None
        if tok.pos_ == "PROPN" and not tok.is_lower:
            return None  # "the Premier League", "the West Bank": names, not roles
        agents = self.d.agents
        prev = self.doc[tok.i - 1] if tok.i > 0 else None
        if prev is not None and prev.head.i == tok.i and prev.dep_ in ("compound", "amod"):
            two = f"{prev.lower_} {tok.lower_}"
            if two in agents:
                return two, agents[two]
        low = tok.lower_
        if low in agents:
            return low, agents[low]
        if prev is not None and prev.head.i == tok.i and prev.dep_ == "compound" and prev.lower_ in agents:
            # "militia commanders", "rebel leaders": the compound says whose people they are.
            return f"{prev.lower_} {low}", agents[prev.lower_]
        return None

    def _agent(self, tok: Token) -> None:
        found = self._agent_words(tok)
        if found is None:
            return
        phrase, sector = found
        if tok.tag_ == "NN" and (
            tok.head.lower_ in _LOCATIVE or any(c.lower_ in _LOCATIVE for c in tok.lefts)
        ):
            return  # "protesting outside parliament": a place, not an actor ("at students" acts on)
        start = tok.i
        named: Mention | None = None
        for child in tok.lefts:
            if child.dep_ not in _NP_MODIFIERS:
                continue
            start = min(start, child.left_edge.i)
            for t in child.subtree:
                if self.owner[t.i] is not None and named is None:
                    named = self.owner[t.i]
        while start < tok.i and self.doc[start].pos_ not in ("ADJ", "NOUN", "PROPN", "VERB"):
            start += 1
        code, how = (named.code, "modifier") if named is not None and named.code else self._country(tok)
        if named is not None and named.kind in ("group", "org", "igo") and named.code:
            sector = named.sector or sector  # "Hamas fighters": the group's own sector
        if named is not None:
            self.mentions.remove(named)
        s = self.doc[start].idx
        e = tok.idx + len(tok.text)
        m = Mention(
            text=self.text[s:e],
            start=s,
            end=e,
            actor_id=None,
            name=phrase,
            code=code,
            kind="group",
            sector=sector,
            role=None,
            rule=f"generic:{how}" if code else "generic",
        )
        self.mentions.append(m)
        for i in range(start, tok.i + 1):
            self.owner[i] = m
        self._places.pop(tok.sent.start, None)

    def _country(self, tok: Token) -> tuple[str | None, str]:
        """A state for a generic agent: the phrase, the sentence's place, dateline, sentence, article."""
        for child in tok.rights:
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                for pobj in child.children:
                    m = self.owner[pobj.i]
                    if m is not None and m.code and m.kind in _STATE_KINDS:
                        return m.code, "phrase"
        sent = tok.sent
        if sent.start not in self._places:
            self._places[sent.start] = self._sentence_place(sent)
        place = self._places[sent.start]
        if place:
            return place, "place"
        dateline = self._dateline(tok.idx)
        if dateline:
            return dateline, "dateline"
        codes = {m.code for t in sent if (m := self.owner[t.i]) is not None and m.code and _states(m)}
        if len(codes) == 1:
            return next(iter(codes)), "sentence"
        # "The Rapid Support Forces ... killing hundreds of residents": the one coded actor of
        # the sentence (a group of one state) says where they are.
        codes = {m.code for t in sent if (m := self.owner[t.i]) is not None and m.code}
        if len(codes) == 1:
            return next(iter(codes)), "sentence"
        if self.main:
            return self.main, "article"
        return None, ""

    def _sentence_place(self, sent: Span) -> str | None:
        """The state of the first place the sentence names: a state after a locative preposition,
        else a place name (NER's GPE/LOC) the gazetteer knows ("in Borno state", "off Lagos")."""
        gaz = gazetteer()
        for t in sent:
            if t.dep_ == "pobj" and t.head.lower_ in _LOCATIVE:
                m = self.owner[t.i]
                if m is not None and m.kind in _STATE_KINDS and m.code:
                    return m.code
                named = t.pos_ == "PROPN" and t.ent_type_ not in NOT_NAMES  # "in March": a month
                if m is None and named and t.lower_ not in _FACILITY:
                    # "near El Fasher" (whatever NER called it); not "at Sharif University" nor
                    # "in the University of X": a facility's name is no place name.
                    if any(c.dep_ == "prep" for c in t.children):
                        continue
                    name = " ".join(x.text for x in t.lefts if x.pos_ == "PROPN" and x.dep_ == "compound")
                    place = gaz.lookup(f"{name} {t.text}".strip())
                    if place is not None:
                        return place.country
        for ent in sent.ents:
            if ent.label_ in ("GPE", "LOC") and all(self.owner[i] is None for i in range(ent.start, ent.end)):
                place = gaz.lookup(ent.text) or gaz.lookup(ent.text.removeprefix("the "))
                if place is not None:
                    return place.country
        return None

    def _national_title_before(self, start: int) -> set[str] | None:
        """The words of a title of national office right before the name ("Defence Minister",
        "President") that names no state or organisation of its own, else None."""
        words: set[str] = set()
        i = start - 1
        while i >= 0 and self.doc[i].lower_ in TITLE_WORDS and self.owner[i] is None:
            words.add(self.doc[i].lower_)
            i -= 1
        if not words & _NATIONAL_OFFICES or (i >= 0 and self.doc[i].is_title):
            return None  # no national office, or a capitalised word before it ("Rwandan ...")
        return words

    def _appositive_of(self, root: Token) -> tuple[str | None, str | None]:
        """Code and sector of the phrase a name stands in apposition to: "Bangladesh's refugee
        commissioner, Mohammed Mizanur Rahman, said", "the Rwanda Defence Force spokesperson,
        Brigadier General Ronald Rwivanga, said": the state of that phrase, if it names one."""
        if root.dep_ != "appos":
            return None, None
        head = root.head
        owner = self.owner[head.i]
        if owner is not None:
            return (owner.code, owner.sector) if owner.code else (None, None)
        for t in head.subtree:
            if t.i >= head.i:
                break
            m = self.owner[t.i]
            if m is not None and m.code and m.kind in ("state", "igo"):
                return m.code, None
        return None, None

    def _dateline(self, offset: int) -> str | None:
        gaz = gazetteer()
        for line in self.article.datelines:
            if line.start <= offset < line.end and line.place:
                place = gaz.lookup(line.place.split(",")[0])
                if place is not None:
                    return place.country
        return None

    # ------------------------------------------------------------ unknown names
    def _people(self, ent: Span) -> bool:
        """A nationality NER calls a group: "British" (an adjective: nothing) or "Israelis".

        A plural demonym names the people of a state, coded as its civilians ("Tens of
        thousands of Israelis protested"). Returns True when the entity is a nationality.
        """
        text = ent.text.strip()
        if self.d.demonym(text):
            return True
        singular = text[:-1] if text.endswith("s") else ""
        code = self.d.demonym(singular) if singular else None
        if code is None:
            return False
        m = Mention(
            text=text,
            start=ent.start_char,
            end=ent.start_char + len(text),
            actor_id=None,
            name=text,
            code=code,
            kind="group",
            sector="CVL",
            role=None,
            rule="generic:demonym",
        )
        self.mentions.append(m)
        self._cover(m)
        return True

    def _named_part(self, tok: Token) -> bool:
        """``tok`` is no new actor: it ends a name a mention covers ("Lula da Silva") or a place."""
        ents = [e for e in self.doc.ents if e.start <= tok.i < e.end]
        if any(e.label_ not in _UNKNOWN_KINDS for e in ents):
            return True  # a place, date or work NER recognised ("the Falkland Islands")
        if any(self.owner[i] is not None for e in ents for i in range(e.start, e.end)):
            return True
        return any(c.dep_ in ("compound", "flat") and self.owner[c.i] is not None for c in tok.children)

    def _unknown(self, ent: Span, kind: str) -> None:
        start = ent.start
        while start < ent.end - 1 and self.doc[start].pos_ in ("DET", "PUNCT"):
            start += 1
        if start >= ent.end or not any(t.is_alpha for t in ent):
            return
        text = self.text[self.doc[start].idx : ent.end_char]
        if gazetteer().lookup(text) is not None:
            return  # a place NER called a name ("El Fasher"): a location, not an actor
        code, sector = None, None
        for t in self.doc[max(0, start - 2) : start]:
            m = self.owner[t.i]
            if m is not None and m.rule == "demonym" and m.code:
                code = m.code  # "Nigerian businessman Aliko ...": a nationality before the name
        for c in self.doc[ent.end - 1].children:
            m = self.owner[c.i]
            if m is None and c.dep_ == "appos":
                # "Rached Ghannouchi, the leader of the Ennahda party": whose leader he is.
                m = next((self.owner[g.i] for p in c.children if p.lower_ == "of" for g in p.children
                          if g.dep_ == "pobj" and self.owner[g.i] is not None), None)
            if code is None and m is not None and m.code and c.dep_ in ("poss", "appos"):
                # "China's Rocket Force"; "Alba Verde, a small Peruvian opposition party"
                code = m.code
                sector = m.sector if c.dep_ == "appos" else None
        if code is None and kind == "person":
            code, sector = self._appositive_of(self.doc[ent.end - 1])
        title = self._national_title_before(start) if code is None and kind == "person" else None
        if title:
            # Wire style: "Defence Minister Cristóvão Chume told parliament" in an item filed
            # from Maputo is Mozambique's minister; a foreign one is named with his state.
            code = self._dateline(self.doc[start].idx)
            sector = ("MIL" if title & {"defence", "defense"} else "GOV") if code else None
        s, e = self.doc[start].idx, ent.end_char
        m = Mention(
            text=self.text[s:e],
            start=s,
            end=e,
            actor_id=None,
            name=self.text[s:e],
            code=code,
            kind=kind,
            sector=sector,
            role=None,
            rule="unknown",
        )
        self.mentions.append(m)
        for i in range(start, ent.end):
            self.owner[i] = m
