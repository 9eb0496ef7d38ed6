"""Datelines of a body that is already clean (HTML pages, whose chrome trafilatura removed).

Text dumps find their datelines while the cleaner still sees the raw lines
(:func:`legation.clean.textmeta.text_metadata`). An HTML body has none of that context, but a
wire dateline reads the same in both ("BORGO EGNAZIA, Italy, June 13 —", "SEOUL, Nov. 4
(Agency) -"), so the same line tests run over its paragraphs, and each dateline dates the item
it heads up to the next one: the reference date of every sentence in it.
"""

from __future__ import annotations

from legation.clean.textmeta import _dateline_line, _place_only, _ranges, _resolve_yearless
from legation.models import Dateline


def body_datelines(body: str, published: str | None, precision: str | None) -> list[Dateline]:
    """Datelines in a clean body whose paragraphs are separated by blank lines.

    Args:
        body: the clean text; its offsets are what the returned ranges index.
        published: the page's publication date (ISO), used to give a yearless wire dateline its
            year (the latest such day on or before it).
        precision: the precision of ``published``; only a day-precise date resolves a yearless
            dateline, as in text dumps.

    Returns:
        One :class:`Dateline` per item, in text order (empty when the body prints none).
    """
    lines = body.split("\n\n")
    found = []
    for j, line in enumerate(lines):
        got = _dateline_line(line)
        # A place alone ("KYIV (Reuters) -") heads only the first paragraph, or the one right
        # under a headline that trafilatura kept in the body.
        if got is None and j <= 1:
            got = _place_only(line)
        if got is not None:
            got.line = j
            found.append(got)
    if not found:
        return []
    _resolve_yearless(found, published, precision)  # type: ignore[arg-type]
    return _ranges(lines, list(range(len(lines))), found, body)
