"""Which headline-shaped line is the page's own: the one its address spells.

A text dump's head often holds several headline-shaped lines: the site's name, a teaser of a
related story, a section label, the headline itself. News sites write the headline into the
URL ("/2019/11/18/thousands-of-wework-employees-to-be-laid-off-this-week/"), so the line whose
words cover most of the address's words is the page's headline. This only chooses among lines
the page prints; it never makes a title up from the address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
#: Words of an address that say nothing of the story ("index", "html", "story", "news").
_STOP = frozenset(
    """a an and are as at be by for from in is it its of on or the to with was were will
    html htm php aspx index story stories news article articles amp txt json jsonl warc""".split()  # noqa: SIM905 - a word list
)
#: A line must spell at least this many of the address's words, and this share of them.
MIN_WORDS = 3
MIN_SHARE = 0.5


def slug_words(source: str) -> frozenset[str]:
    """The story words of an address's path: its segment with the most words ("" for a path
    with no such segment, or a file name of digits and hashes)."""
    try:
        path = urlsplit(source).path if "//" in source else source
    except ValueError:
        return frozenset()
    best: frozenset[str] = frozenset()
    for seg in re.split(r"[/\\\\]", path):
        found = frozenset(w.lower() for w in _WORD.findall(seg.replace("_", " "))) - _STOP
        if len(found) > len(best):
            best = found
    return best if len(best) >= MIN_WORDS else frozenset()


def spelt_share(line: str, slug: frozenset[str]) -> float:
    """The share of the address's words a line spells (plural and singular alike)."""
    if not slug:
        return 0.0
    have = {w.lower() for w in _WORD.findall(line)}
    have |= {w[:-1] for w in have if w.endswith("s")}
    hits = [w for w in slug if w in have or w.rstrip("s") in have]
    return len(hits) / len(slug) if len(hits) >= MIN_WORDS else 0.0


def spelt_line(lines: Sequence[str], cands: Sequence[int], slug: frozenset[str]) -> int | None:
    """Of the candidate line indexes, the one that spells most of the address (the latest on a
    tie: closest to the text), if it spells enough of it."""
    scored = [(spelt_share(lines[j], slug), j) for j in cands]
    best = max(scored, default=(0.0, -1))
    return best[1] if best[0] >= MIN_SHARE else None
