"""Memory of chrome across the pages of one site.

INTERFACE: ``line_key(line) -> str | None`` (the normalised key a line is counted under, None for
lines not worth counting) and ``SiteChrome(counts, n_docs).is_chrome(line) -> bool``. The store keeps
``counts`` (key -> number of pages of the site holding the line) and ``n_docs`` per site.

Why a memory at all: a plain-text dump has no markup, so a site's menu items, footers and widget
labels can look exactly like short body lines. What gives them away is that they are printed on
page after page of the same site, which the body never is (except when a story is syndicated or
republished, hence the stronger evidence asked of prose below).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_BULLET = re.compile(r"^\s*(?:[•*+·▪►»◦‣-]|o(?=\s))\s*")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_SPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?。！？][\"”’')\]]*$")

# Keys are truncated: two long lines that agree on their first 200 characters are the same
# boilerplate (cookie notices differ only in trailing links), and it keeps the store small.
_KEY_LEN = 200

# A "prose" line for the purpose of the stronger evidence rule: a sentence of at least this many
# words. Eight words is where headlines end and sentences begin on the benchmark dumps (menu
# items and related-post headlines are nearly all shorter, body sentences nearly all longer).
_PROSE_WORDS = 8

# Short lines (menu items, widget labels, footers): chrome once they are on 2 pages of the site
# *and* on at least 1 page in 50. Two pages are enough evidence for a short line because body
# lines that short are rare and losing one (a repeated sub-heading) costs little, whereas leaving
# a menu in costs much. The fraction keeps a busy site (thousands of pages in the store) from
# erasing recurrent short body lines like "Background" or a correspondent's sign-off that occur
# on a handful of pages. Calibrated on the benchmark's multi-page hosts (2 pages each: all their
# shared short lines are chrome) and by reading the seed pages' menus.
_SHORT_MIN_PAGES = 2
_SHORT_MIN_SHARE = 0.02

# Prose lines need 4 pages and 1 page in 10: an original story plus two syndicated or updated
# copies on the same site (3 pages) must keep their body, while the boilerplate sentences of a
# site (cookie notices, "about us" blurbs, newsletter pitches) are on nearly every page. Not
# calibrated on data: the benchmark has no host with more than 2 pages, so these values are set by
# the syndication argument above and only checked not to hurt the benchmark (they cannot fire there).
_PROSE_MIN_PAGES = 4
_PROSE_MIN_SHARE = 0.10


def _two_letters(s: str) -> bool:
    """Whether ``s`` holds at least two letters; stops at the second (most lines are words,
    and counting every character of every line was a third of the text-dump cleaner)."""
    seen = False
    for c in s:
        if c.isalpha():
            if seen:
                return True
            seen = True
    return False


def line_key(line: str) -> str | None:
    """The key a line is counted under across the pages of a site.

    Case, bullets, whitespace and numbers are normalised away so that "16,985FansLike" and
    "16,990FansLike" (a counter that changed between two crawls) count as one line.

    Args:
        line: one line of a page (physical or logical).

    Returns:
        The key, or None for lines with fewer than two letters (blank lines, separators, lone
        numbers) which carry no evidence either way.
    """
    s = _BULLET.sub("", line.replace("\u00a0", " ")).strip().lower()
    if not _two_letters(s):
        return None
    s = _DIGITS.sub("0", s)
    s = _SPACE.sub(" ", s)
    return s[:_KEY_LEN]


def is_prose(line: str) -> bool:
    """True for a sentence-like line (needs stronger evidence before it is called chrome)."""
    s = line.strip()
    return (len(s.split()) >= _PROSE_WORDS and bool(_SENTENCE_END.search(s))) or len(s) >= 200


class SiteChrome:
    """Per-site line counts and the decision whether a line is the site's chrome.

    Args:
        counts: ``line_key`` -> number of pages of the site that hold the line (including the page
            being cleaned and the other pages of its batch).
        n_docs: number of pages of the site the counts were taken over.
    """

    def __init__(self, counts: Mapping[str, int], n_docs: int) -> None:
        self.counts = counts
        self.n_docs = n_docs

    def pages(self, line: str) -> int:
        """On how many pages of the site the line occurs (0 when not counted)."""
        key = line_key(line)
        return self.counts.get(key, 0) if key is not None else 0

    def is_chrome(self, line: str) -> bool:
        """True when the line is printed on enough pages of the site to be its chrome.

        See the module constants for the thresholds and how they were chosen.
        """
        c = self.pages(line)
        if c < _SHORT_MIN_PAGES or self.n_docs < 2:
            return False
        if is_prose(line):
            return c >= _PROSE_MIN_PAGES and c >= _PROSE_MIN_SHARE * self.n_docs
        return c >= _SHORT_MIN_SHARE * self.n_docs
