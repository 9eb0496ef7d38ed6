"""From a raw text dump to logical lines: whitespace normalisation and rejoining of wrapped lines.

A wrapped paragraph arrives as several physical lines, sometimes with a word cut in two by the
wrap ("Borrell sta" / "ted that ..."). The cleaner scores whole paragraphs, and downstream stages
need the words intact, so physical lines are first rejoined into logical lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

# Characters that render as a space: no-break spaces, figure/thin spaces, tabs, ideographic space.
_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\f\v]")
# Invisible characters that only break words apart for matching (zero-width space, soft hyphen,
# word joiner, BOM); deleting them never changes a visible word.
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_RUNS = re.compile(r" {2,}")

# List markers of the usual text renderers: "•", "*", "+", "-", "·", "▪", "►", "»", and "o" used by
# lynx/html2text for third-level lists (only when followed by a space and more text).
BULLET = re.compile(r"^(?:[•*+·▪►»◦‣–-]|o(?= \S))(?: +|$)")
# End of a sentence (also with closing quotes/brackets after the mark); ":" and ";" also end a
# line for the purpose of joining (a colon introduces a list or a quote on its own line).
_END = re.compile(r"[.!?:;。！？][\"”’')\]]*$")
_TAIL_WORD = re.compile(r"([A-Za-z]+)(-?)$")
_HEAD_WORD = re.compile(r"^([a-z]+)")


@dataclass
class PhysLine:
    """One normalised physical line.

    Attributes:
        text: the line without indentation, bullet or redundant spaces.
        indent: number of leading spaces in the dump (renderers indent nested blocks).
        bullet: the line started with a list marker.
        blank_before: a blank line precedes it (a paragraph break).
    """

    text: str
    indent: int
    bullet: bool
    blank_before: bool


def normalise(text: str) -> list[PhysLine]:
    """Split a dump into non-blank physical lines with whitespace normalised.

    Args:
        text: the raw dump.

    Returns:
        The non-blank lines; blank lines only survive as ``blank_before`` flags.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = _INVISIBLE.sub("", _SPACES.sub(" ", text))
    out: list[PhysLine] = []
    blank = True
    for raw in text.split("\n"):
        s = raw.rstrip()
        body = s.lstrip(" ")
        if not body:
            blank = True
            continue
        indent = len(s) - len(body)
        m = BULLET.match(body)
        bullet = m is not None
        if m is not None:
            body = body[m.end() :]
            if not body:
                # A bare list marker (an icon-only link): nothing to keep, but not a paragraph break.
                continue
        out.append(PhysLine(_RUNS.sub(" ", body).strip(), indent, bullet, blank))
        blank = False
    return out


def _glues(left: str, right: str, is_word: Callable[[str], bool]) -> bool:
    """True when ``left`` + ``right`` is a word cut in two ("sta" + "ted"), not two words."""
    return is_word(left + right) and not (is_word(left) and is_word(right))


def _join(a: str, b: str, is_word: Callable[[str], bool]) -> str:
    """Join two pieces of one sentence, gluing a word the wrap cut in two.

    "sta" + "ted" is glued ("stated" is a word, "sta" is not); "to" + "discuss" is not (both are
    words, and so is neither "todiscuss"). A wrap after a hyphen ("long-" / "awaited") keeps the
    hyphen unless removing it yields a word whose parts are not words ("marit-" / "ime").
    """
    tm = _TAIL_WORD.search(a)
    hm = _HEAD_WORD.match(b)
    if tm is None or hm is None:
        return f"{a} {b}"
    left, hyphen, right = tm.group(1), tm.group(2), hm.group(1)
    glued = _glues(left, right, is_word)
    if hyphen:
        return (a[:-1] + b) if glued else (a + b)
    return (a + b) if glued else f"{a} {b}"


def _continues(cur: PhysLine, prev_text: str, is_word: Callable[[str], bool]) -> bool:
    """True when ``cur`` continues the sentence of ``prev`` (a hard wrap, not a new line)."""
    if cur.blank_before or cur.bullet or not cur.text[:1].islower():
        return False
    if _END.search(prev_text):
        return False
    # Menus print one lower-case item per line ("news" / "sport"); a wrapped sentence has at least
    # two words before the break, or the break cuts a word that _join will glue.
    if len(prev_text.split()) >= 2:
        return True
    tm, hm = _TAIL_WORD.search(prev_text), _HEAD_WORD.match(cur.text)
    return tm is not None and hm is not None and _glues(tm.group(1), hm.group(1), is_word)


def logical_lines(text: str, is_word: Callable[[str], bool]) -> tuple[list[str], list[PhysLine]]:
    """Normalise a dump and rejoin hard-wrapped lines into logical lines.

    Args:
        text: the raw dump.
        is_word: the English word test used to glue words cut by a wrap.

    Returns:
        The logical lines' texts and, in parallel, the physical line each one starts with (its
        indentation, bullet and paragraph-break flags describe the logical line).
    """
    texts: list[str] = []
    heads: list[PhysLine] = []
    for pl in normalise(text):
        if texts and _continues(pl, texts[-1], is_word):
            texts[-1] = _join(texts[-1], pl.text, is_word)
        else:
            texts.append(pl.text)
            heads.append(pl)
    return texts, heads
