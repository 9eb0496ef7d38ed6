"""Parse only the paragraphs that can hold an actor or an event; tokenize the rest.

The spaCy parse is about 80% of ingest time (``docs/performance.md``), so the cheapest speed-up
is not to parse text that can produce nothing. A paragraph is skipped only when a cheap test
on its surface words proves it can hold neither an event nor an actor candidate the parse
would find:

* no word form of an event trigger (every inflection of every verb and noun lemma in the
  PLOVER lexicon, plus the model's irregular forms), so the event coder has no trigger;
* no first- or third-person pronoun (speaker and "he said" resolution needs the parse);
* no capitalised word, except a stop word opening a sentence ("The", "But"): people missing
  from the dictionary come from NER and proper-noun tags, both of which need capitals.

Dictionary names written in lower case ("the defence ministry") are still found, because the
phrase matcher runs on the joined document's tokens, which skipped paragraphs keep.

The result is one ``Doc`` over the whole text, with exact character offsets: parsed runs and
tokenized runs are joined with ``Doc.from_docs``; a skipped run gets one flat tree per line so
it still splits into sentences where a parse would (paragraph breaks). When nothing can be
skipped, the text is parsed whole, exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IDX, LEMMA, MORPH, POS, TAG
from spacy.tokens import Doc

from legation.paragraphs import join_docs, paragraphs

#: First- and third-person pronouns the actor resolver turns into mentions.
_PRONOUNS = frozenset(
    {"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "he", "she"}
)
_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
# A capitalised word, with group 1 set when it opens a sentence (start or after .!?:; or quote).
_CAPITAL = re.compile(r"(^\s*|[.!?:;\"“”‘’(]\s*)?\b([A-Z][A-Za-z]*)")
#: The annotations a parsed range gives back to the whole Doc (``PartialParser.spans``).
_ATTRS = [TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]
_NEWLINE = re.compile(r"\n")
_LINE = re.compile(r"[^\n]*\n*")
# Runs shorter than this are parsed with their neighbours: splitting the text for a few
# characters saves nothing and costs the parser context at the seams.
MIN_SKIP_CHARS = 200


def trigger_forms(lemmas: Iterable[str], exceptions: dict[str, dict[str, list[str]]]) -> frozenset[str]:
    """Every surface form a trigger lemma can take (a superset: extra forms only parse more).

    Args:
        lemmas: verb and noun lemmas of the event lexicon.
        exceptions: the model lemmatizer's irregular forms, ``{pos: {form: [lemma, ...]}}``.
    """
    keys = {k.lower() for k in lemmas}
    parts = keys | {p for k in keys for p in re.split(r"[-\s]", k) if p}
    forms: set[str] = set()
    for w in parts:
        forms.update((w, w + "s", w + "es", w + "ed", w + "d", w + "ing", w + "er", w + "ers"))
        if w.endswith("e"):
            forms.add(w[:-1] + "ing")
        if w.endswith("y"):
            forms.update((w[:-1] + "ies", w[:-1] + "ied"))
        if len(w) > 2 and w[-1] not in "aeiouwxy":  # doubled final consonant: "planned"
            forms.update((w + w[-1] + "ed", w + w[-1] + "ing"))
    for table in exceptions.values():
        for form, lems in table.items():
            if any(lem in keys for lem in lems):
                forms.add(form.lower())
    return frozenset(forms)


class PartialParser:
    """Parses a text, skipping paragraphs that can hold no event and no parse-found actor."""

    def __init__(self, nlp: Any, trigger_words: frozenset[str]) -> None:
        self.nlp = nlp
        self.trigger_words = trigger_words
        self.stop_words: frozenset[str] = frozenset(nlp.Defaults.stop_words)

    def skippable(self, line: str) -> bool:
        """Whether nothing in ``line`` can become an event or a parse-found actor mention."""
        if not line.strip():
            return True
        words = {w.lower() for w in _WORD.findall(line)}
        if words & _PRONOUNS:
            return False
        if any(
            w in self.trigger_words or any(p in self.trigger_words for p in re.split(r"[-'’]", w))
            for w in words
        ):
            return False
        for m in _CAPITAL.finditer(line):
            if m.group(1) is None or m.group(2).lower() not in self.stop_words:
                return False
        return True

    def runs(self, text: str) -> list[tuple[str, bool]]:
        """The text cut into consecutive (chunk, parse?) runs; chunks concatenate to ``text``."""
        runs: list[tuple[str, bool]] = []
        for m in _LINE.finditer(text):
            line = m.group()
            if not line:
                continue
            parse = not self.skippable(line)
            if runs and runs[-1][1] == parse:
                runs[-1] = (runs[-1][0] + line, parse)
            else:
                runs.append((line, parse))
        # Short skipped runs are not worth a seam: parse them with their neighbours.
        merged: list[tuple[str, bool]] = []
        for chunk, parse in runs:
            if not parse and len(chunk) < MIN_SKIP_CHARS:
                parse = True
            if merged and merged[-1][1] == parse:
                merged[-1] = (merged[-1][0] + chunk, parse)
            else:
                merged.append((chunk, parse))
        return merged

    def __call__(self, text: str) -> Any:
        """A Doc over all of ``text``; only the runs that can matter carry a parse."""
        # Parsed runs go to the parser a paragraph at a time (legation.paragraphs: no sentence
        # may span a blank line); skipped runs keep their flat per-line trees.
        pieces = [(para, p) for c, p in self.runs(text) for para in (paragraphs(c) if p else [c])]
        if len(pieces) == 1 and pieces[0][1]:
            return self.nlp(text)
        parsed = iter(self.nlp.pipe([c for c, p in pieces if p]))
        return join_docs(next(parsed) if p else self._flat(c) for c, p in pieces)

    def spans(self, text: str, spans: list[tuple[int, int]]) -> Any:
        """A Doc over all of ``text`` where only the character ranges ``spans`` are parsed."""
        return self.spans_many([(text, spans)])[0]

    def spans_many(self, jobs: Sequence[tuple[str, list[tuple[int, int]]]]) -> list[Any]:
        """For each (text, ranges), a Doc over all of the text where only the ranges are parsed.

        Each text is tokenized once; each range (sentences the select stage kept,
        :mod:`legation.select`; never across a paragraph break) becomes a Doc of its own tokens
        (``Span.as_doc``: no second tokenization, identical tokens), the full pipeline runs on
        the ranges of all the texts in one ``nlp.pipe`` batch, and their tags, lemmas, entities
        and trees are written back into each whole Doc in one array. Tokens outside the ranges
        keep one flat tree per line, so the Doc still splits into sentences there. Joining
        separately parsed Docs (``Doc.from_docs``) did the same at twice the cost (measured:
        3.3 s of 19 s on 80 benchmark pages).
        """
        docs = [self.nlp.make_doc(text) for text, _ in jobs]
        parts = []
        for k, (doc, (_, spans)) in enumerate(zip(docs, jobs, strict=True)):
            for s, e in spans:
                span = doc.char_span(s, e, alignment_mode="expand")
                if span is not None and len(span):
                    parts.append((k, span))
        arrays = [np.zeros((len(doc), len(_ATTRS)), dtype=np.int64) for doc in docs]
        done = [np.zeros(len(doc), dtype=bool) for doc in docs]
        for (k, span), sub in zip(parts, self.nlp.pipe(p.as_doc() for _, p in parts), strict=True):
            arrays[k][span.start : span.end] = sub.to_array(_ATTRS).astype(np.int64)
            done[k][span.start : span.end] = True
        for doc, arr, got in zip(docs, arrays, done, strict=True):
            self._flat_trees(doc, arr, got)
            doc.from_array(_ATTRS, arr.astype(np.uint64))
        return docs

    def _flat_trees(self, doc: Any, arr: np.ndarray, done: np.ndarray) -> None:
        """Heads and labels of the unparsed tokens: one flat tree per line of each unparsed run.

        A line starts at the first token, after a token holding a line break (spaCy makes every
        whitespace but one space a token of its own), and where an unparsed run begins. Worked
        out on the token offsets as arrays: a loop over Token objects cost 0.8 s per 80 pages.
        """
        n = len(doc)
        if n == 0 or done.all():
            return
        idx = doc.to_array([IDX]).astype(np.int64).reshape(-1)
        breaks = np.fromiter((m.start() for m in _NEWLINE.finditer(doc.text)), dtype=np.int64)
        seen = np.searchsorted(breaks, idx)  # line breaks before each token's start
        start = np.ones(n, dtype=bool)
        start[1:] = (seen[1:] > seen[:-1]) | done[:-1]
        pos = np.arange(n)
        root = np.maximum.accumulate(np.where(start, pos, 0))
        free = ~done
        head, dep = _ATTRS.index(HEAD), _ATTRS.index(DEP)
        arr[free, head] = (root - pos)[free]
        labels = np.where(root == pos, doc.vocab.strings.add("ROOT"), doc.vocab.strings.add("dep"))
        arr[free, dep] = labels[free].astype(np.uint64).astype(np.int64)

    def _flat(self, chunk: str) -> Any:
        """Tokens of a skipped run, one flat tree (so one sentence) per line."""

        tok = self.nlp.make_doc(chunk)
        heads: list[int] = []
        deps: list[str] = []
        root = 0
        for t in tok:
            if t.i == 0 or "\n" in tok[t.i - 1].text:
                root = t.i
            heads.append(root)
            deps.append("ROOT" if t.i == root else "dep")
        return Doc(
            self.nlp.vocab,
            words=[t.text for t in tok],
            spaces=[bool(t.whitespace_) for t in tok],
            heads=heads,
            deps=deps,
        )
