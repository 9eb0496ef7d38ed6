"""Light cleaning of a record's text: the body as given, whitespace and wrapped words repaired.

A JSONL record's ``text`` is the article body its producer chose (a news quote, a snippet, a
wire item), not a page dump, so nothing in it is chrome to be scored away: a one-sentence
record is a one-sentence article. Only what any text needs is done: line ends and odd spaces
normalised, invisible characters and control characters removed, words cut by a hard wrap
rejoined (:func:`legation.clean.textdump_lines.logical_lines`), paragraphs kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from legation.clean.textdump_lines import logical_lines

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
#: A record of at most this many non-blank lines is taken as given (never chrome-scored).
SHORT_RECORD_LINES = 3


def is_short(text: str) -> bool:
    """Whether a record is short enough that its text is its body, whatever it looks like."""
    return sum(1 for line in text.splitlines() if line.strip()) <= SHORT_RECORD_LINES


def clean_record_text(text: str, is_word: Callable[[str], bool]) -> str:
    """The record's text lightly cleaned; empty only when the text holds nothing visible."""
    lines, heads = logical_lines(_CONTROL.sub(" ", text), is_word)
    out: list[str] = []
    for line, head in zip(lines, heads, strict=True):
        if out:
            out.append("\n\n" if head.blank_before else "\n")
        out.append(line)
    return "".join(out).strip()
