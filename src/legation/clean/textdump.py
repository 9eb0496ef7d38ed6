"""Cleaner for plain-text dumps of web pages (no markup left).

INTERFACE (owned by the text-dump cleaner; the pipeline relies on exactly this):

    clean_text_dump(text, *, is_word, chrome=None) -> TextDumpResult

- ``text``: the whole page as text (site chrome and all).
- ``is_word(w) -> bool``: True when ``w`` (lower-case) is an English word; used to rejoin words
  broken by hard line breaks ("sta\\nted" -> "stated"). Built from the language model's lexicon
  (:func:`legation.clean.lexicon.load_lexicon`).
- ``chrome``: optional :class:`legation.clean.chrome.SiteChrome` for the page's site: lines seen
  on many pages of the site are chrome.

How: the dump is normalised and hard-wrapped lines are rejoined (:mod:`textdump_lines`); each
logical line is scored (:mod:`textdump_score`: prose positive, short neutral lines slightly negative,
certain chrome strongly negative); page structure then lowers the scores of comment threads,
related-story teaser runs and site boilerplate paragraphs (:mod:`textdump_structure`) and raises
those of lists and tables that follow prose (:mod:`textdump_lists`); the body is
the contiguous block of lines with the best total
score (a maximum-sum segment, so short sub-headings and an inline advert inside the body are
bridged while menus and related-post lists around it are not), less the certain-chrome lines
inside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from legation.clean.chrome import SiteChrome, line_key
from legation.clean.textdump_lines import logical_lines
from legation.clean.textdump_lists import mark_lists
from legation.clean.textdump_score import LineInfo, analyse
from legation.clean.textdump_structure import mark_shared_prose, mark_teasers, mark_threads


@dataclass
class TextDumpResult:
    """What the text-dump cleaner found.

    Attributes:
        lines: the page's logical lines after normalisation and after rejoining broken words
            (a paragraph wrapped over several physical lines becomes one logical line).
        kept: indices into ``lines`` of the body lines, in order.
        body: the body: kept lines joined, paragraphs separated by a blank line.
    """

    lines: list[str]
    kept: list[int]
    body: str
    notes: list[str] = field(default_factory=list)


def best_region(scores: list[float]) -> tuple[int, int, float]:
    """The contiguous segment with the largest score sum (Kadane).

    Args:
        scores: one score per line.

    Returns:
        ``(start, end, total)`` with ``end`` exclusive; ``(0, 0, 0.0)`` when no score is positive.
    """
    best = (0, 0, 0.0)
    start, run = 0, 0.0
    for i, s in enumerate(scores):
        if run <= 0.0:
            start, run = i, 0.0
        run += s
        if run > best[2]:
            best = (start, i + 1, run)
    return best


# A region is cut where the lines between two prose lines add up to this much negative score: a
# chrome gap that long (e.g. "Related" + tags + share buttons + "Read these next") ends the article
# even when teasers after it would pay for crossing it. About four certain-chrome lines; an inline
# advert or share bar inside a body is one to three. Tuned on the dev split (tried 30..120).
_MAX_GAP = 80.0


def split_at_gaps(scores: list[float], start: int, end: int) -> list[tuple[int, int, float]]:
    """Cut ``scores[start:end]`` at chrome gaps deeper than ``_MAX_GAP``.

    Returns:
        The pieces as ``(start, end, total)``; each starts and ends on a positive line.
    """
    pieces: list[tuple[int, int, float]] = []
    p_start, total, gap, last_pos = -1, 0.0, 0.0, -1
    for i in range(start, end):
        s = scores[i]
        if s > 0:
            if p_start >= 0 and gap <= -_MAX_GAP:
                pieces.append((p_start, last_pos + 1, total))
                p_start, total = -1, 0.0
            if p_start < 0:
                p_start, total = i, 0.0
            else:
                total += gap
            total += s
            gap, last_pos = 0.0, i
        else:
            gap += s
    if p_start >= 0:
        pieces.append((p_start, last_pos + 1, total))
    return pieces


def _keep(i: int, info: LineInfo, keys: list[str | None], start: int, end: int) -> bool:
    """Whether a line inside the body region stays in the body."""
    if info.chrome:
        return False
    if info.repeated and info.score < 0:
        # Repeated inside the body only (recipe sections, Q&A labels): body. A copy outside the
        # body (a menu entry or a ticker that also shows up in the article's frame): chrome.
        k = keys[i]
        return all(keys[j] != k for j in range(len(keys)) if not start <= j < end)
    return True


def clean_text_dump(
    text: str, *, is_word: Callable[[str], bool], chrome: SiteChrome | None = None
) -> TextDumpResult:
    """Keep the article body of a text dump and drop the site chrome around it.

    Args:
        text: the whole page as text.
        is_word: English word test (see module docstring).
        chrome: the site's chrome memory, if the pipeline has one.

    Returns:
        The logical lines, the indices of the body lines, the body and notes on what was done.
    """
    lines, heads = logical_lines(text, is_word)
    notes: list[str] = []
    if not lines:
        return TextDumpResult(lines, [], "", ["empty page"])
    infos = analyse(lines, heads, chrome)
    scores = [i.score for i in infos]
    if n := mark_threads(lines, infos, scores):
        notes.append(f"{n} comment-thread line(s)")
    if n := mark_shared_prose(lines, infos, scores, chrome):
        notes.append(f"{n} prose line(s) shared with other pages of the site")
    if n := mark_teasers(lines, infos, scores):
        notes.append(f"{n} teaser line(s)")
    if n := mark_lists(lines, infos, scores):
        notes.append(f"{n} list item(s)")
    start, end, total = best_region(scores)
    if end == 0:
        notes.append("no prose found")
        return TextDumpResult(lines, [], "", notes)
    pieces = split_at_gaps(scores, start, end)
    if len(pieces) > 1:
        start, end, total = max(pieces, key=lambda p: p[2])
        notes.append(f"region cut at {len(pieces) - 1} chrome gap(s)")
    keys = [line_key(t) for t in lines]
    kept = [i for i in range(start, end) if _keep(i, infos[i], keys, start, end)]
    dropped = (end - start) - len(kept)
    notes.append(f"body: lines {start}..{end - 1} of {len(lines)}, score {total:.0f}, {dropped} dropped")
    body = "\n\n".join(lines[i] for i in kept)
    return TextDumpResult(lines, kept, body, notes)
