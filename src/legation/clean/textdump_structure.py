"""Page structure the per-line scores cannot see: comment threads and related-story teaser lists.

Line scores (:mod:`textdump_score`) judge each line alone, so a comment thread (each comment a
sentence or two of prose) or a related-story list (each teaser a one-sentence summary) scores like
body text and the region picker runs on into it. Both have a give-away *rhythm*: the same kind of
short line comes back before every piece of prose. This module finds those rhythms and lowers the
scores of the lines they cover, before the region is chosen.
"""

from __future__ import annotations

import re

from legation.clean.chrome import SiteChrome
from legation.clean.textdump_score import LineInfo

# The metadata line of a comment: "Milan on September 12, 2018 at 4:47 pm said:", "2 days ago at
# 07:52 am", "November 19, 2019 at 6:34 am", "1. joetoronto says:", "Rating: 36 Votes", "Reply".
# Each alone is weak (a body may quote "he said:"); only a cluster of them is evidence (below).
# A bare time ("11/20/2019 01:14 PM") is not enough: datelines and news tickers print those, and a
# ticker right under the dateline of the article pulled the thread start onto the article (dev).
# Bare "Report"/"Like" are the buttons of embedded tweets inside bodies, so only "Reply" counts.
_COMMENT_META = re.compile(
    r"(?:\b(?:says|said|wrote|writes)\s*:$"
    r"|\bat \d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?$"
    r"|^\d+\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b"
    r"|^rating:\s*[-+]?\d+"
    r"|^reply$"
    r"|^\d+\s+(?:responses|replies|comments|thoughts)\s+(?:to|on)\b)",
    re.IGNORECASE,
)
# Only short lines can be comment metadata (a byline-and-date line is under a dozen words).
_META_MAX_WORDS = 14
# A comment thread: at least 3 metadata lines, consecutive ones at most 15 lines apart (a long
# comment is a handful of paragraphs). Two timestamped lines occur in bodies (an update note and a
# correction); three in a tight cluster did not on the benchmark dev split or the seeds.
_META_MIN = 3
_META_MAX_SPAN = 15
# After the last metadata line the last comment's own text follows: up to this many lines of it
# are part of the thread.
_LAST_COMMENT_LINES = 6
_THREAD_SCORE = -12.0


def comment_threads(texts: list[str], infos: list[LineInfo]) -> list[tuple[int, int]]:
    """Find comment threads: clusters of comment metadata lines.

    Returns:
        ``(start, end)`` line ranges (end exclusive), from the first metadata line to the end of
        the last comment.
    """
    metas = [
        i
        for i, t in enumerate(texts)
        if infos[i].words <= _META_MAX_WORDS and _COMMENT_META.search(t.strip())
    ]
    out: list[tuple[int, int]] = []
    k = 0
    while k < len(metas):
        j = k
        while j + 1 < len(metas) and metas[j + 1] - metas[j] <= _META_MAX_SPAN:
            j += 1
        if j - k + 1 >= _META_MIN:
            end = metas[j] + 1
            limit = min(len(texts), end + _LAST_COMMENT_LINES)
            while end < limit and infos[end].score > 0:
                end += 1
            out.append((metas[k], end))
        k = j + 1
    return out


def mark_threads(texts: list[str], infos: list[LineInfo], scores: list[float]) -> int:
    """Give every line of a comment thread a chrome score (in place). Returns the lines marked."""
    n = 0
    for a, b in comment_threads(texts, infos):
        for i in range(a, b):
            scores[i] = min(scores[i], _THREAD_SCORE)
            n += 1
    return n


# Related-story lists: every teaser is one or two short paragraphs announced by a few short lines
# (kicker, headline, source/tags), e.g. "REINDEER GAMES" / "'Why Don't You ...'" / "aeon.co Sex" /
# one-sentence summary, repeated down the page. A body has prose paragraphs back to back, with a
# sub-heading or a captioned picture (one or two lines) now and then, and its paragraphs come in
# runs of more than two between such breaks.
# Calibration (dev split): the first version (any 2+ line gap, teasers up to 60 units, anywhere on
# the page) fixed one page but broke six list-shaped bodies (product round-ups, sports results,
# Q&A), -0.003 dev F1. Asking for a headline-like line in each gap, teasers under 40 units and an
# article before the run kept the fix and removed all six regressions.
_TEASER_MIN_GAP = 2  # short lines announcing each teaser
_TEASER_MAX_PROSE = 2  # prose lines per teaser
_TEASER_MAX_UNITS = 40.0  # word units (~240 characters): one or two sentences
_TEASER_MIN_RUN = 3  # teasers in a row before the run is a list, not a picture-heavy body
_TEASER_SCORE = -3.0  # as a short neutral line: cheap to bridge, never worth reaching for
# Prose score (about 250 words) that must come before a run for it to be related stories: a run at
# the top of the page is the body itself (a list article, a results page), as on two dev pages.
_TEASER_MIN_BEFORE = 150.0
# Not a headline: ends like a sentence or a label, or is a Q&A prompt (interviews alternate short
# questions and answers with the same rhythm as teasers).
_NOT_HEADLINE = re.compile(r"(?:[.:;,?]$|^[QA]\s*[:.)-])")


def _headline(text: str) -> bool:
    """A line that can be a teaser's headline: a few words, not a sentence, question or label."""
    return 3 <= len(text.split()) <= 25 and not _NOT_HEADLINE.search(text)


def teaser_runs(texts: list[str], infos: list[LineInfo], scores: list[float]) -> list[list[int]]:
    """Find runs of teasers; returns the prose line indices of each run."""
    prose = [i for i, s in enumerate(scores) if s > 0]
    units: list[list[int]] = []  # each unit: its prose line indices, or [] for a non-teaser block
    prev = -10
    for i in prose:
        gap = i - prev - 1
        if gap == 0 and units and units[-1]:
            units[-1].append(i)
        elif gap >= _TEASER_MIN_GAP and any(_headline(texts[j]) for j in range(max(prev + 1, 0), i)):
            units.append([i])
        else:
            units.append([])  # a paragraph after a one-line break: body rhythm
        prev = i
    runs: list[list[int]] = []
    cur: list[int] = []
    n = 0
    for u in units:
        ok = 0 < len(u) <= _TEASER_MAX_PROSE and sum(infos[j].units for j in u) <= _TEASER_MAX_UNITS
        if ok:
            cur += u
            n += 1
            continue
        if n >= _TEASER_MIN_RUN:
            runs.append(cur)
        cur, n = [], 0
    if n >= _TEASER_MIN_RUN:
        runs.append(cur)
    return runs


def mark_teasers(texts: list[str], infos: list[LineInfo], scores: list[float]) -> int:
    """Score the prose of teaser runs as neutral lines (in place). Returns the lines marked."""
    n = 0
    for run in teaser_runs(texts, infos, scores):
        before = sum(s for s in scores[: run[0]] if s > 0)
        if before < _TEASER_MIN_BEFORE:
            continue
        for i in run:
            scores[i] = _TEASER_SCORE
            n += 1
    return n


# Site boilerplate in prose form ("Acme is a global provider of ...", "pv magazine offers daily
# updates ...") is printed under every story of a site, but SiteChrome only calls prose chrome once
# it is on 4 pages, so that a story republished on two or three pages of the site keeps its body.
# The page itself tells the two apart: a republished story shares most of its prose with the other
# page, a boilerplate paragraph is a small share of a page whose other prose is its own. Below
# this share of the page's prose (in word units), prose seen on another page of the site is
# chrome. Half: on the benchmark's two-page hosts the shared share is either a few percent
# (boilerplate) or none; a republished copy would be near 100%.
_SHARED_PROSE_MAX_SHARE = 0.5


def mark_shared_prose(
    texts: list[str], infos: list[LineInfo], scores: list[float], chrome: SiteChrome | None
) -> int:
    """Score prose lines shared with other pages of the site as chrome when they are a small part
    of the page's prose (in place). Returns the lines marked."""
    if chrome is None or chrome.n_docs < 2:
        return 0
    prose = [i for i, s in enumerate(scores) if s > 0]
    shared = [i for i in prose if chrome.pages(texts[i]) >= 2]
    if not shared:
        return 0
    total = sum(infos[i].units for i in prose)
    if sum(infos[i].units for i in shared) > _SHARED_PROSE_MAX_SHARE * total:
        return 0
    for i in shared:
        scores[i] = _THREAD_SCORE
    return len(shared)
