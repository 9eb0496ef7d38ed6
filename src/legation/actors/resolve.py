"""Actor resolution in context: which state, organisation or person each mention denotes.

:func:`resolve_mentions` is a pure function of (parsed doc, article, dictionary, matcher): the
matcher is derived from the dictionary and the model's vocabulary and only caches patterns.
Candidates come from the dictionary phrase matcher and spaCy NER (``PERSON`` spans the
dictionary lacks); they are resolved in text order so that later short forms ("Borrell", "the
president", "the Alliance") can refer back. People are resolved by the rules in
:mod:`legation.actors.resolve_people`; states, organisations, demonyms, metonyms and
institutions by :mod:`legation.actors.resolve_states`. What cannot be resolved is not
emitted (``docs/actors.md``, "Resolution").
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from legation.actors.dictionary import ActorDictionary
from legation.actors.dictionary_model import normalize
from legation.actors.resolve_context import (
    TITLE_WORDS,
    DateFrame,
    TitleInfo,
    apposition_after,
    codes_in,
    office_category,
    parse_published,
    reference_day,
    title_before,
)
from legation.actors.resolve_match import ActorMatcher, Hit
from legation.actors.resolve_people import (
    Person,
    code_for,
    fuzzy_person,
    name_keys,
    pick_entry,
    role_matches,
    successor_of,
    title_only,
)
from legation.actors.resolve_states import ORG_NOUNS, Cand, StateRules
from legation.actors.titles import shipped_titles
from legation.models import Article, Mention

_FIRST_SINGULAR = frozenset({"i", "me", "my", "mine", "myself"})
_FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
_QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"")
_OFFICE_HEADS = (
    "president",
    "prime minister",
    "foreign minister",
    "defence minister",
    "defense minister",
    "secretary general",
    "chancellor",
    "premier",
    "leader",
    "minister",
)


def resolve_mentions(
    doc: Any, article: Article, dictionary: ActorDictionary, matcher: ActorMatcher
) -> list[Mention]:
    """Every resolved actor mention of the article, in text order."""
    return _Resolver(doc, article, dictionary, matcher(doc)).run()


class _Resolver(StateRules):
    def __init__(self, doc: Any, article: Article, dictionary: ActorDictionary, hits: list[Hit]) -> None:
        self.doc, self.article, self.d = doc, article, dictionary
        self.hits = hits
        self.sent_of = [0] * len(doc)
        for k, sent in enumerate(doc.sents):
            for i in range(sent.start, sent.end):
                self.sent_of[i] = k
        self.persons: list[Person] = []
        self.inst_codes: dict[str, str] = {}
        self.out: list[Mention] = []
        # Doc.text rebuilds the string on every access: keep one copy.
        self.text: str = doc.text
        self.quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(self.text)]

    # ------------------------------------------------------------ candidates
    def _candidates(self) -> list[Cand]:
        doc, d = self.doc, self.d
        covered = [False] * len(doc)
        cands: list[Cand] = []
        for h in self.hits:
            for i in range(h.start, h.end):
                covered[i] = True
            entry = d.get(h.key) if h.kind == "entry" else None
            if entry is not None and entry.kind == "person":
                people = tuple(e for e in d.lookup(doc[h.start : h.end].text) if e.kind == "person") or (
                    entry,
                )
                cands.append(Cand(h.start, h.end, "person", h, people))
            else:
                cands.append(Cand(h.start, h.end, "hit", h))
        for ent in doc.ents:
            if ent.label_ != "PERSON" or any(covered[ent.start : ent.end]):
                continue
            start = ent.start
            while start < ent.end - 1 and (
                doc[start].lower_ in _TITLE_STRIP or doc[start].lower_ in TITLE_WORDS
            ):
                start += 1
            people = tuple(e for e in d.lookup(doc[start : ent.end].text) if e.kind == "person")
            cands.append(Cand(start, ent.end, "person", None, people))
            for i in range(ent.start, ent.end):
                covered[i] = True
        for tok in doc:
            if covered[tok.i]:
                continue
            low = tok.lower_
            if tok.pos_ == "PROPN" and tok.is_title and len(tok) >= 2:
                cands.append(Cand(tok.i, tok.i + 1, "propn"))
            elif tok.pos_ == "PRON" and (low in _FIRST_PLURAL or low in _FIRST_SINGULAR):
                if low != "us" or tok.text in ("us", "Us"):
                    cands.append(Cand(tok.i, tok.i + 1, "pronoun"))
            elif low in ("he", "she") and tok.dep_ in ("nsubj", "nsubjpass"):
                cands.append(Cand(tok.i, tok.i + 1, "pronoun"))
            elif low in ("the", "both"):
                end = self._phrase_end(tok.i)
                if end:
                    cands.append(Cand(tok.i, end, "phrase"))
                elif low == "the" and self._orgref_end(tok.i):
                    cands.append(Cand(tok.i, tok.i + 2, "orgref"))
        names = frozenset(i for c in cands if c.kind == "person" for i in range(c.start, c.end))
        for c in cands:
            if c.kind == "person":
                c.title = title_before(doc, c.start, d, names).merge(apposition_after(doc, c.end, d))
        cands.sort(key=lambda c: (c.start, -c.end))
        return cands

    def _orgref_end(self, i: int) -> bool:
        """Whether "the bloc/alliance/agency/..." starts at ``i`` (a description of an organisation)."""
        doc = self.doc
        if i + 1 >= len(doc) or doc[i + 1].lower_ not in ORG_NOUNS:
            return False
        nxt = doc[i + 2] if i + 2 < len(doc) else None
        return nxt is None or not (nxt.pos_ in ("PROPN", "NOUN") or nxt.lower_ == "of")

    def _phrase_end(self, i: int) -> int | None:
        """End of "the (two) (Russian) president(s)" starting at token ``i``, else None."""
        doc = self.doc
        j = i + 1
        if j < len(doc) and doc[j].lower_ == "two":
            j += 1
        if j < len(doc) and doc[j].lower_ == "former":
            j += 1
        while j < len(doc) and (doc[j].lower_ in ("south", "north") or self.d.demonym(doc[j].text)):
            j += 1
        for n in (2, 1):
            words = [t.lower_ for t in doc[j : j + n]]
            if len(words) < n:
                continue
            singular = " ".join([*words[:-1], words[-1].removesuffix("s")])
            if singular in _OFFICE_HEADS and doc[j + n - 1].text[0].isalpha():
                nxt = doc[j + n] if j + n < len(doc) else None
                if nxt is not None and (nxt.pos_ == "PROPN" or nxt.lower_ == "of"):
                    return None
                return j + n
        return None

    # ------------------------------------------------------------ dates
    def _frame(self, cands: list[Cand]) -> DateFrame:
        day, span = parse_published(self.article.published)
        items: list[tuple[str, str]] = []
        for c in cands:
            if c.kind != "person" or len(c.entries) != 1 or c.title is None or c.title.former:
                continue
            if not c.title.office:
                continue
            entry = c.entries[0]
            for role in entry.roles:
                if role_matches(role, c.title) and (entry.actor_id, role.code) not in items:
                    items.append((entry.actor_id, role.code))
                    break
        window = self.d.roles_window(items) if items and day is None else None
        return DateFrame(published=day, span=span, window=window)

    # ------------------------------------------------------------ run
    def run(self) -> list[Mention]:
        cands = self._candidates()
        self.frame = self._frame(cands)
        consumed: set[int] = set()
        for c in cands:
            if c.kind == "person" and c.title and c.title.start is not None:
                first = next(i for i in range(c.start, -1, -1) if self.doc[i].idx <= c.title.start)
                consumed.update(range(first, c.start))
        self.author = self._author()
        self.names = {
            e.code for c in cands if c.hit and c.hit.kind == "entry" for e in [self.d.get(c.hit.key)] if e
        }
        merged = self._merge_modifiers(cands)
        modifiers = {id(m) for m in merged.values()}
        for k, c in enumerate(cands):
            if c.start in consumed or id(c) in modifiers:
                continue
            if c.kind == "person":
                self._person(c, cands[k + 1 :])
            elif c.kind == "propn":
                self._propn(c)
            elif c.kind == "pronoun":
                self._pronoun(c)
            elif c.kind == "orgref":
                self._orgref(c)
            elif c.kind == "phrase":
                if self._phrase(c):
                    consumed.update(range(c.start, c.end))
            elif c.hit is not None:
                self._hit(c, merged.get(id(c)))
        self.out.sort(key=lambda m: (m.start, m.end))
        return self.out

    def day(self, tok: int) -> date | None:
        return reference_day(self.frame, self.article, self.doc[tok].idx)

    def _emit_person(self, c: Cand, p: Any, rule: str) -> Mention:
        """A person mention for ``c`` carrying ``p``'s identity and the role it held."""
        return self._emit(
            c.start, c.end, actor_id=p.actor_id, name=p.name, code=p.code, kind="person",
            sector=p.sector, role=p.role, rule=rule,
        )

    def _emit(self, start: int, end: int, **kw: Any) -> Mention:
        s, e = self.doc[start].idx, self.doc[end - 1].idx + len(self.doc[end - 1].text)
        m = Mention(text=self.text[s:e], start=s, end=e, **kw)
        self.out.append(m)
        return m

    # ------------------------------------------------------------ people
    def _record(self, c: Cand, person: Person, rule: str, text_name: str) -> None:
        person.start = c.start
        person.keys |= name_keys(text_name)
        self.persons.append(person)
        self._emit_person(c, person, rule)

    def _earlier(self, text: str) -> Person | None:
        keys = name_keys(text)
        if not keys:
            return None
        for p in reversed(self.persons):
            if keys <= p.keys:
                return p
        return None

    def _person(self, c: Cand, later: list[Cand]) -> None:
        d, title = self.d, c.title or TitleInfo()
        text = self.doc[c.start : c.end].text
        day = self.day(c.start)
        window = self.frame.window
        # A short form refers back to the person already named: "Kim" after "Kim Jong Un".
        if c.end - c.start <= 2 and len(normalize(text).split()) <= 2:
            prior = self._earlier(text)
            ids = {e.actor_id for e in c.entries}
            if prior is not None and (not ids or (len(ids) > 1 and prior.actor_id in ids)):
                self._record(c, _copy(prior), "coreference", text)
                return
        entry = pick_entry(d, list(c.entries), day, title)
        rule = "apposition" if title.source == "apposition" else "dictionary"
        if entry is None and not c.entries:
            found = fuzzy_person(d, text, title, self._context_codes(c.start), day)
            if found is not None:
                entry, role = found
                self._record(
                    c,
                    Person(
                        entry.actor_id,
                        entry.name,
                        role.code,
                        role.sector,
                        role.office,
                        office_category(role.office),
                        name_keys(entry.name),
                    ),
                    "fuzzy",
                    text,
                )
                return
            given = title_only(title, d)
            if given is not None:
                given_code, given_sector = given
                role_text = None if title.former else title.office
                self._record(
                    c,
                    Person(None, text, given_code, given_sector, role_text, title.category, name_keys(text)),
                    title.source or "title",
                    text,
                )
            return
        if entry is None:
            return
        code, sector, role_name = code_for(d, entry, day, title, window)
        if role_name is None and day is not None:
            pred = successor_of(self.doc, self.text, c.start, c.end, self.persons, self._peek(later))
            if pred is not None and pred.code:
                code, sector, role_name, rule = pred.code, pred.sector, pred.role, "succession"
        if code is None:
            return  # the text does not say which of the person's offices is meant
        person = Person(
            entry.actor_id,
            entry.name,
            code,
            sector,
            role_name,
            office_category(role_name) or title.category,
            name_keys(entry.name, *entry.aliases),
        )
        self._record(c, person, rule, text)

    def _peek(self, later: list[Cand]) -> list[Person]:
        """Dictionary people named later in the sentence (for "Y will succeed X")."""
        out = []
        for c in later[:3]:
            if c.kind == "person" and len(c.entries) == 1:
                e = c.entries[0]
                role = self.d.role_on(e.actor_id, self.day(c.start) or date.max)
                if role is not None:
                    out.append(Person(e.actor_id, e.name, role.code, role.sector, role.office, None))
        return out

    def _propn(self, c: Cand) -> None:
        doc = self.doc
        tok = doc[c.start]
        # Part of a longer unknown name ("Miguel Monjardino"): not a short form of anyone.
        for n in (c.start - 1, c.start + 1):
            if 0 <= n < len(doc) and doc[n].pos_ == "PROPN" and doc[n].lower_ not in _TITLE_STRIP:
                return
        prior = self._earlier(tok.text)
        if prior is not None:
            self._record(c, _copy(prior), "coreference", tok.text)

    def _phrase(self, c: Cand) -> bool:
        """ "the two Presidents", "the president", "the Russian president": True if resolved."""
        doc, d = self.doc, self.d
        words = [t for t in doc[c.start + 1 : c.end]]
        former = any(t.lower_ == "former" for t in words)
        two = any(t.lower_ == "two" for t in words) or doc[c.start].lower_ == "both"
        codes = codes_in([t for t in words if t.lower_ not in ("two", "former")], d)
        head = " ".join(t.lower_ for t in words[-2:]).removesuffix("s")
        bare_minister = head.split()[-1] == "minister" and office_category(head) is None
        cat = office_category(head) if not head.endswith("leader") else None
        if two != doc[c.end - 1].lower_.endswith("s"):
            return False
        day = self.day(c.start)
        seen: list[Person] = []
        for p in reversed(self.persons):
            if former:
                # "the former Estonian prime minister": somebody named before who held that
                # office earlier; they resolve to what they act for now.
                entry = d.get(p.actor_id) if p.actor_id else None
                fits = entry is not None and any(
                    office_category(r.office) == cat
                    and (not codes or r.code in codes)
                    and (day is None or (r.end is not None and r.end < day))
                    for r in entry.roles
                )
            elif bare_minister:
                # "the minister": an earlier minister ("Secretary of Defense" is not one).
                fits = bool(p.role and "minister" in p.role.lower() and p.category != "pm")
            else:
                fits = (cat is None or p.category == cat) and (not codes or p.code in codes)
            if fits and p.code and all((q.actor_id or q.name) != (p.actor_id or p.name) for q in seen):
                seen.append(p)
        if two:
            for p in seen[:2] if len(seen) >= 2 else []:
                self._emit_person(c, p, "coreference")
            return len(seen) >= 2
        if len(seen) == 1:
            p = seen[0]
            self._emit_person(c, p, "coreference")
            return True
        if seen or former or not codes or cat is None or day is None:
            return False
        # "the Russian president" never named before: the one holder of that office that day.
        holders = [
            (e, r)
            for e in d.of_kind("person")
            for r in [d.role_on(e.actor_id, day)]
            if r is not None and r.code in codes and office_category(r.office) == cat
        ]
        if len(holders) == 1:
            e, r = holders[0]
            person = Person(e.actor_id, e.name, r.code, r.sector, r.office, cat, name_keys(e.name))
            self._record(c, person, "title", e.name)
            return True
        return False

    def _author(self) -> Person | None:
        """The signed author resolved on the article date (for first-person voice)."""
        day = reference_day(self.frame, self.article, 0) if self.article.text else None
        for name in self.article.author:
            people = [e for e in self.d.lookup(name) if e.kind == "person"]
            if len(people) == 1:
                e = people[0]
                code, sector, role = code_for(self.d, e, day, TitleInfo(), self.frame.window)
                return Person(
                    e.actor_id, e.name, code, sector, role, office_category(role), name_keys(e.name)
                )
        return None

    def _in_quote(self, offset: int) -> bool:
        return any(s <= offset < e for s, e in self.quoted)

    def _pronoun(self, c: Cand) -> None:
        """First person in a signed piece: "I"/"my" is the author; "we"/"our" what they act for.

        Only when an author resolves and the text outside quotes speaks in the first person
        singular (an op-ed). "We" in an official's op-ed is the state or organisation the
        author speaks for: Borrell's "we concluded partnerships" is the EU.
        """
        tok = self.doc[c.start]
        if tok.lower_ in ("he", "she"):
            self._third_person(c)
            return
        a = self.author
        if a is None or self._in_quote(tok.idx) or not self._first_person_text():
            return
        if tok.lower_ in _FIRST_SINGULAR:
            self._emit_person(c, a, "first-person")
            return
        body = self.d.by_code(a.code) if a.code else None
        if body is not None and a.role is not None:
            self._emit(
                c.start,
                c.end,
                actor_id=body.actor_id,
                name=body.name,
                code=body.code,
                kind=body.kind,
                sector=None,
                role=None,
                rule="first-person",
            )

    def _third_person(self, c: Cand) -> None:
        """ "He"/"She" as a subject: the one person the previous sentence (or this one) names.

        Only when exactly one person was named there; with two, the pronoun stays unresolved
        (no gender or salience model to choose between them).
        """
        k = self.sent_of[c.start]
        for sent in (k, k - 1):
            named = {(p.actor_id or p.name): p for p in self.persons if self.sent_of[p.start] == sent}
            if len(named) == 1:
                p = next(iter(named.values()))
                self._emit_person(c, p, "coreference")
                return
            if named:
                return

    def _first_person_text(self) -> bool:
        if not hasattr(self, "_fp"):
            self._fp = any(t.text == "I" and t.pos_ == "PRON" and not self._in_quote(t.idx) for t in self.doc)
        return self._fp


#: Title words stripped from the front of a NER PERSON span ("President Yoon" -> "Yoon"): the
#: ``strip`` terms of ``data/actors/titles.yaml``.
_TITLE_STRIP = shipped_titles().strip


def _copy(p: Person) -> Person:
    return Person(p.actor_id, p.name, p.code, p.sector, p.role, p.category, set(p.keys), p.start)
