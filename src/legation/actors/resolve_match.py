"""Dictionary phrase matching: every name, alias, demonym, metonym and institution as patterns.

spaCy's NER finds most people and places but misses organisations written as acronyms in odd
places, demonyms, seats of government and lower-case institutions ("the defence ministry").
A :class:`PhraseMatcher` built once from the dictionary finds those; NER then adds people the
dictionary lacks. Building the matchers costs a few hundred milliseconds, so a pipeline builds
them once and every article reuses them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.matcher import PhraseMatcher

from legation.actors.dictionary import ActorDictionary
from legation.actors.dictionary_model import is_acronym

#: Lower-case words allowed inside a proper name ("Secretary of State", "Ursula von der Leyen").
_NAME_LOWER = frozenset(
    {"of", "the", "and", "for", "von", "der", "de", "la", "al", "bin", "van", "du", "des", "di"}
)


@dataclass(frozen=True)
class Hit:
    """One dictionary match: token span, kind of pattern and the key it resolves through."""

    start: int
    end: int
    kind: str  # entry | demonym | metonym | institution
    key: str


class ActorMatcher:
    """Phrase matchers over the dictionary, built once per (dictionary, vocabulary)."""

    def __init__(self, nlp: Any, dictionary: ActorDictionary) -> None:
        self.vocab = nlp.vocab
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        lower: dict[str, set[str]] = {}
        exact: dict[str, set[str]] = {}

        def add(label: str, text: str) -> None:
            variants = {text, text.replace("-", " "), text.replace("'", "’")}
            if text.lower().startswith("the "):
                variants.add(text[4:])
            # Short all-capital aliases must match case exactly ("US" not "us", "WHO" not "who").
            target = exact if is_acronym(text) else lower
            target.setdefault(label, set()).update(v for v in variants if v.strip())

        for entry in dictionary.entries.values():
            for text in (entry.name, *entry.aliases):
                add(f"entry|{entry.actor_id}", text)
            for rec in entry.demonyms:
                add(f"demonym|{rec.text}", rec.text)
            for rec in entry.names:
                add(f"metonym|{rec.text}", rec.text)
        for inst in dictionary.institutions:
            for text in (inst.name, *inst.aliases):
                add(f"institution|{inst.inst_id}", text)
        make = nlp.make_doc
        for table, matcher in ((lower, self.lower), (exact, self.exact)):
            for label, texts in table.items():
                matcher.add(label, [make(t) for t in sorted(texts)])

    def __call__(self, doc: Any) -> list[Hit]:
        """Longest non-overlapping matches, capitalised like names (institutions excepted)."""
        raw: list[tuple[int, int, str]] = []
        for matcher in (self.lower, self.exact):
            for match_id, start, end in matcher(doc):
                raw.append((start, end, self.vocab.strings[match_id]))
        raw.sort(key=lambda m: (-(m[1] - m[0]), m[0], _priority(m[2])))
        taken = [False] * len(doc)
        hits: list[Hit] = []
        for start, end, label in raw:
            kind, key = label.split("|", 1)
            if any(taken[start:end]):
                continue
            if kind != "institution" and not _capitalised(doc[start:end]):
                continue
            for i in range(start, end):
                taken[i] = True
            hits.append(Hit(start, end, kind, key))
        hits.sort(key=lambda h: h.start)
        return hits


def _priority(label: str) -> int:
    # Equal spans: a named entry beats a demonym or metonym of the same words ("Korea").
    return {"entry": 0, "institution": 1, "metonym": 2, "demonym": 3}.get(label.split("|", 1)[0], 9)


def _capitalised(span: Any) -> bool:
    """Names are capitalised in running text: "the alliance" is not "the Alliance" (NATO)."""
    words = [t for t in span if t.is_alpha and t.lower_ not in _NAME_LOWER]
    return bool(words) and all(t.text[0].isupper() for t in words)
