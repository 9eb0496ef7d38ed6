"""Lists and tables inside a body: runs of structured lines that are content, not chrome.

Per-line scores (:mod:`textdump_score`) treat every short non-sentence line as neutral (slightly
negative), which is right for menus, datelines and captions, but wrong for bodies made largely of
structured lines: a standings table ("1 Kyle Busch 5040 5 1 17 27"), a race calendar ("1a etapa:
10 de março – Interlagos"), a meal plan ("Portion Fix Containers: 1 Green, 1 Red"), bulleted
product specs ("Automatically on, automatically connected"). The region picker then stops at the
list, or prefers a disclaimer footer to a body that is mostly a table.

What tells such lists from menus and related-story lists is their *items*: a menu item is one to
three words ("Home", "Meal Plans"), a related-story headline is in Title Case, while a list item of
a body carries data (digits) or is written in sentence case. A run of consecutive such items is
content when it follows prose (a body's list comes after at least a lead): its items get a small
positive score, so the region picker reaches over the list when it belongs to the article, and a
table-only body can outweigh a sidebar.

Calibration (benchmark, with site memory; ablation of this pass alone): dev 0.9371 -> 0.9438,
test 0.9204 -> 0.9350, the wins on standings tables, race calendars, bulleted specs and spec-heavy
reviews. Known miss: a list of sentence-case related headlines right *after* the body, with no
chrome line between, is taken for a body list (one dev page, -0.02). Tried and not kept: cheaper
non-item lines inside a run (-2 instead of -3, so that product boxes alternating specs with
"$139.00" / "Buy Now" stay one block): dev unchanged, so not kept although test gained 0.003.
"""

from __future__ import annotations

import re

from legation.clean.textdump_score import LineInfo

_DIGIT = re.compile(r"\d")
_WORD = re.compile(r"[^\W\d_]+")


# Share of the longer words (4+ letters) that must be capitalised for a line to be in Title Case.
_TITLE_SHARE = 0.6


def _title_case(text: str) -> bool:
    """Most longer words capitalised: a headline or a menu label, not a list item of a body."""
    long_words: list[str] = [w for w in _WORD.findall(text) if len(w) >= 4]
    if not long_words:
        return True
    caps = sum(w[0].isupper() for w in long_words)
    return caps >= _TITLE_SHARE * len(long_words)


def is_item(text: str, info: LineInfo) -> bool:
    """A line that can be an item of a body's list or a row of a body's table.

    Three words at least (menu labels are one to three), and either digits with words (a table row,
    a dated or measured entry: "1 Kyle Busch 5040 5 1 17 27", "Eat 60–90 minutes before your
    workout") or sentence case (a bulleted spec: "Charges quickly in the case"). Asking for two
    numbers instead of one lost two list bodies on dev (-0.003) to win one related-post list on test.
    """
    if info.words < 3:
        return False
    if _DIGIT.search(text) is not None and _WORD.search(text) is not None:
        return True
    return not _title_case(text)


# An item inside a list run scores this much: positive, so that the region reaches over a list that
# belongs to the article and a table-only body (forty rows of neutral lines) outweighs a sidebar;
# small and flat, so that a list never outweighs a few paragraphs of prose. Scoring items by their
# length instead (0.2 per word unit) won a meal-plan page but let five related-headline lists
# after bodies into the region (dev: 5 pages down by 0.02 to 0.08), so it was not kept.
_ITEM_SCORE = 1.0
# A list run needs this many items, and this share of its lines must be items (the rest are the
# list's own sub-headings: "Meal 1", "Pre-Workout Meal").
_MIN_ITEMS = 4
_MIN_ITEM_SHARE = 0.5
# Scores at or below this are certain chrome (phrase, memory, thread): they end a list run.
_CHROME_LEVEL = -12.0


def _after_prose(scores: list[float], start: int) -> bool:
    """The run follows prose directly, or across one chrome line (a share bar, "Don't Miss:").

    A body's list comes after at least a lead paragraph; a list of sentence-case headlines that
    does not follow prose is a "most read" or video-teaser column before the article (without this
    condition two pages lost 0.16 and 0.25, for no gain elsewhere).
    """
    return any(scores[k] > 0 for k in range(start - 1, max(start - 3, -1), -1))


def list_runs(
    texts: list[str], infos: list[LineInfo], scores: list[float]
) -> list[tuple[int, int, list[int]]]:
    """Runs of consecutive non-chrome, non-prose lines that qualify as a body's list.

    Lines printed twice on the page count too: a product round-up repeats its spec bullets for
    each variant, and ``textdump._keep`` still drops a copy whose twin is outside the body.

    Returns:
        For each run, its ``(start, end, items)``: the line range (end exclusive) and the indices of
        its item lines.
    """
    runs: list[tuple[int, int, list[int]]] = []
    i, n = 0, len(texts)
    while i < n:
        if scores[i] <= _CHROME_LEVEL or scores[i] > 0:
            i += 1
            continue
        j = i
        items: list[int] = []
        while j < n and _CHROME_LEVEL < scores[j] <= 0:
            if is_item(texts[j], infos[j]):
                items.append(j)
            j += 1
        big_enough = len(items) >= _MIN_ITEMS and len(items) >= _MIN_ITEM_SHARE * (j - i)
        if big_enough and _after_prose(scores, i):
            runs.append((i, j, items))
        i = j
    return runs


def mark_lists(texts: list[str], infos: list[LineInfo], scores: list[float]) -> int:
    """Score the lines of list runs as list content (in place). Returns the items marked.

    Runs after the other structure passes, so comment threads and teaser runs (already scored as
    chrome or neutral) are seen with their lowered scores.
    """
    n = 0
    for _start, _end, items in list_runs(texts, infos, scores):
        for i in items:
            scores[i] = _ITEM_SCORE
            n += 1
    return n
