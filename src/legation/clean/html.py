"""HTML pages: body and metadata with trafilatura (date via htmldate, original date preferred).

INTERFACE: ``extract_html(html: str, *, url: str | None = None) -> HtmlResult``.

trafilatura is the best-measured open extractor on news pages (its published F1 on the
article-extraction benchmark, 0.958, is above newspaper4k, readability and goose), and it
already runs htmldate for the publication date. This module only chooses its options, turns
its output into plain paragraphs, and normalises the metadata into the pipeline's types.
The options were chosen on the 181-page benchmark with ``bench/eval_html.py``; the figures are
in the comments next to each option.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import trafilatura
from htmldate import find_date
from lxml import etree

from legation.models import Precision, PublishedBasis


@dataclass
class HtmlResult:
    """What one HTML page yields.

    Attributes:
        body: article text, plain, paragraphs separated by a blank line; "" when none found.
        title: the page's headline, if found.
        author: author names, one per item.
        site: the site's name (``og:site_name`` and the like).
        published: ISO date (``YYYY-MM-DD``, or ``YYYY-MM`` when only the month is sure) of
            first publication, if found.
        published_basis: ``"metadata"`` when ``published`` came from the page, else "unknown".
        published_precision: ``"day"`` or ``"month"`` when ``published`` is set, else "unknown".
        url: the page's canonical URL, or the URL it was fetched from.
    """

    body: str
    title: str | None = None
    author: list[str] = field(default_factory=list)
    site: str | None = None
    published: str | None = None
    published_basis: PublishedBasis = "unknown"
    published_precision: Precision = "unknown"
    url: str | None = None


# htmldate options. ``original_date`` prefers the first-publication date over "updated"
# stamps: an event's reference date is when it was first reported. ``extensive_search`` lets
# htmldate fall back on dates in the free text when the markup and the URL have none (on the
# benchmark it finds a date on 181 pages instead of 179).
_DATE_PARAMS: dict[str, Any] = {
    "original_date": True,
    "extensive_search": True,
    "outputformat": "%Y-%m-%d",
}

# trafilatura options, measured on the 181 benchmark pages with ``bench/eval_html.py --variants``
# (F1 / precision / recall of word 4-gram shingles, averaged per page):
#   trafilatura defaults (comments on)       0.9582 / 0.9388 / 0.9783
#   include_comments=False                   0.9598 / 0.9420 / 0.9783
#   ... + favor_recall                       0.9593 / 0.9408 / 0.9785
#   ... + fast (no fallback extractors)      0.9623 / 0.9461 / 0.9791
#   ... + deduplicate                        0.9514 / 0.9416 / 0.9614  3 pages lost their whole body
#   ... + favor_precision                    0.9641 / 0.9577 / 0.9705  <- chosen
#   ... + favor_precision + fast             0.9461 / 0.9467 / 0.9455  1 page empty
#   ... + favor_precision, tables off        0.9570 / 0.9558 / 0.9582  tables hold article facts
#   ... + favor_precision, comments on       0.9641 / 0.9577 / 0.9705  no change on these pages
# Time is 25-55 ms per page (p95 45-125 ms) for every set on a shared 2-core machine, with more
# spread between runs of one set than between sets, so it did not decide anything.
# A post-filter dropping short paragraphs with call-to-action words ("subscribe", "share this",
# "comments") added at most +0.0005 F1 and risks cutting real sentences, so there is none.
EXTRACT_OPTIONS: dict[str, Any] = {
    "include_comments": False,  # reader comments are not the article
    "include_tables": True,
    "favor_precision": True,
    "favor_recall": False,
    "fast": False,  # trafilatura's fallback extractors (readability, justext) help recall
    "deduplicate": False,
}

# No second, recall-oriented pass is made when this finds nothing: on the benchmark it never
# does, and on pages that hold no article (a menu, a login wall) such a pass returns menu items
# ("Home", "World") where the caller should report "no article text found".

# Horizontal whitespace to collapse. Tabs are left alone: they separate table cells below.
_SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# C0 controls other than tab/newline/CR make lxml refuse a document ("All strings must be XML
# compatible"); they carry no text, so they are dropped before parsing.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# trafilatura's text output is Markdown-flavoured for lists and tables: "- item",
# "| a | b |" rows with "\|" escapes and a "|---|---|" rule under the header row.
_TABLE_RULE = re.compile(r"^\|(?:\s*:?-+:?\s*\|)+$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")


def _table_row(line: str) -> str:
    """One Markdown table row as its non-empty cells separated by tabs."""
    cells = (c.replace("\\|", "|").strip() for c in _CELL_SPLIT.split(line.strip().strip("|")))
    return "\t".join(c for c in cells if c)


def _paragraphs(text: str) -> str:
    """trafilatura's text output as plain paragraphs separated by a blank line.

    trafilatura writes one block (paragraph, heading, list item, table row) per line. Each
    block becomes a paragraph; list bullets are dropped; a table becomes one paragraph with a
    line per row and tab-separated cells, so that a row stays one unit for the sentence
    splitter downstream.
    """
    paragraphs: list[str] = []
    table: list[str] = []
    for raw in text.split("\n"):
        line = _SPACES.sub(" ", raw).strip()
        if line.startswith("|") and line.endswith("|") and len(line) > 1:
            if not _TABLE_RULE.match(line) and (row := _table_row(line)):
                table.append(row)
            continue
        if table:
            paragraphs.append("\n".join(table))
            table = []
        if line.startswith(("- ", "* ")):
            line = line[2:].strip()
        if line:
            paragraphs.append(line)
    if table:
        paragraphs.append("\n".join(table))
    return "\n\n".join(paragraphs)


def _authors(raw: str | None) -> list[str]:
    """Split trafilatura's ``"A; B"`` author string into distinct names, order kept."""
    if not raw:
        return []
    seen: dict[str, None] = {}
    for part in raw.split(";"):
        name = _SPACES.sub(" ", part).strip(" ,")
        if name and name.lower() not in {n.lower() for n in seen}:
            seen[name] = None
    return list(seen)


def _clean(value: Any) -> str | None:
    """A metadata string with its whitespace collapsed, or None when empty."""
    if not isinstance(value, str):
        return None
    value = _SPACES.sub(" ", value).strip()
    return value or None


def _published(date: str | None, html: str, url: str | None) -> tuple[str | None, Precision]:
    """The publication date and how precise it really is.

    htmldate's free-text fallback fills in what it did not find: a "2018-07" pattern becomes
    2018-07-01 and, as a last resort, a footer's "© 2024" becomes 2024-01-01. Reported as a day
    those would be wrong reference dates for every event in the article. So a date on the 1st
    of a month is checked against htmldate's markup-only search (no free-text fallback); if
    that finds nothing, the date is reduced to its month, or dropped when it is a 1 January
    (a copyright or bare year says nothing about when the article appeared). The cost is one
    more htmldate run on the few pages dated the 1st; a real 1st-of-month date that only the
    free text gives is reported with month precision, which is still true.
    """
    if not date:
        return None, "unknown"
    if date.endswith("-01"):
        strict = find_date(html, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
        if strict is None:
            return (None, "unknown") if date.endswith("-01-01") else (date[:7], "month")
        if strict != date:
            return strict, "day"
    return date, "day"


def _bare(html: str, url: str | None, options: dict[str, Any]) -> Any:
    """trafilatura's extraction with metadata, or None when it finds no body."""
    try:
        return trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            date_extraction_params=_DATE_PARAMS,
            output_format="python",
            **options,
        )
    except (ValueError, etree.LxmlError):
        # trafilatura guards its own parsing, but lxml can still refuse pathological input
        # (e.g. a document nested deeper than libxml2 allows). Treat it as "no article".
        return None


def extract_html(html: str, *, url: str | None = None) -> HtmlResult:
    """Extract the article body and its metadata from one HTML page.

    Args:
        html: the page, already decoded (see :func:`legation.ingest.encoding.decode_bytes`).
        url: where the page came from; helps trafilatura and htmldate (dates in URLs) and is
            returned when the page names no canonical URL.

    Returns:
        The extracted body and metadata. Empty or malformed HTML yields an empty body (the
        caller reports "no article text found") rather than an exception.
    """
    html = _CONTROLS.sub("", html or "")
    if not html.strip():
        return HtmlResult(body="", url=url)
    doc = _bare(html, url, EXTRACT_OPTIONS)
    if doc is None:
        return HtmlResult(body="", url=url)
    published, precision = _published(_clean(getattr(doc, "date", None)), html, url)
    return HtmlResult(
        body=_paragraphs(getattr(doc, "text", None) or ""),
        title=_clean(getattr(doc, "title", None)),
        author=_authors(getattr(doc, "author", None)),
        site=_clean(getattr(doc, "sitename", None)),
        published=published,
        published_basis="metadata" if published else "unknown",
        published_precision=precision,
        url=_clean(getattr(doc, "url", None)) or url,
    )
