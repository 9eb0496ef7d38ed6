"""Parse a text paragraph by paragraph, so that no sentence spans a blank line.

The statistical parser of the small English model decides sentence boundaries from syntax
alone, and a headline without final punctuation followed by a blank line and the first
sentence ("Japan and EU agree ...\\n\\nTokyo, 1 Nov - ...") is parsed as one long sentence: the
event coder then codes the headline's verb with the body's arguments, and the event's sentence
offsets span two paragraphs. Presetting ``is_sent_start`` before the parser does not work with
this model (measured: "Tokyo" after the forced boundary became a one-word sentence), so each
paragraph is parsed as its own Doc and the Docs are joined: the joined Doc's text is exactly the
input (offsets hold) and no dependency tree crosses a paragraph. A single newline is not a
paragraph break: in records supplied as JSONL it may be a hard wrap inside a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from spacy.tokens import Doc

#: A blank line (possibly holding spaces) and the whitespace after it ends a paragraph.
_BREAK = re.compile(r"\n[ \t]*\n\s*")


def paragraphs(text: str) -> list[str]:
    """``text`` cut after each blank line; the pieces concatenate to ``text``."""
    out: list[str] = []
    pos = 0
    for m in _BREAK.finditer(text):
        out.append(text[pos : m.end()])
        pos = m.end()
    if pos < len(text) or not out:
        out.append(text[pos:])
    return out


def trimmed(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` of ``text`` without their surrounding whitespace; empty ones dropped."""
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def join_docs(docs: Iterable[Any]) -> Any:
    """One Doc over consecutive Docs whose texts concatenate to the original text."""

    docs = list(docs)
    if len(docs) == 1:
        return docs[0]
    # The tensor is per-chunk model state nobody reads after the parse; user data is empty.
    return Doc.from_docs(docs, ensure_whitespace=False, exclude=["tensor", "user_data"])  # type: ignore[call-arg]


def parse(nlp: Any, text: str) -> Any:
    """The spaCy Doc of ``text``, every paragraph parsed on its own (see the module docstring)."""
    parts = paragraphs(text)
    if len(parts) == 1:
        return nlp(text)
    return join_docs(nlp.pipe(parts))
