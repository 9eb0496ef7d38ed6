"""HTML extraction: body without chrome, metadata, robustness, and the benchmark floor."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from conftest import load_module
from legation.clean.html import extract_html

REPO = Path(__file__).resolve().parents[1]

PARAS = [
    "Foreign ministers of the two countries met in Geneva on Monday to resume talks on the "
    "disputed border, the first such meeting since negotiations collapsed last spring.",
    "The talks, hosted by the Swiss government, lasted more than six hours and ended with a "
    "joint statement committing both sides to a further round of negotiations next month.",
    "Diplomats familiar with the discussions said the most difficult issue remained the status "
    "of the river crossings, which both governments claim and which have been closed since March.",
    "Neither minister took questions from reporters after the meeting, but a spokesperson said "
    "the atmosphere had been constructive and that working groups would meet in the coming weeks.",
]

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Ministers resume border talks in Geneva | The Daily Courier</title>
<meta property="og:title" content="Ministers resume border talks in Geneva">
<meta property="og:site_name" content="The Daily Courier">
<meta name="author" content="Jane Doe; John Roe">
<meta property="article:published_time" content="2024-10-28T09:30:00Z">
<meta property="article:modified_time" content="2024-11-02T17:00:00Z">
<link rel="canonical" href="https://courier.example.com/world/border-talks">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe now</a></li></ul></nav></header>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on Twitter</a></div>
<main><article>
<h1>Ministers resume border talks in Geneva</h1>
<p class="byline">By Jane Doe and John Roe</p>
{"".join(f"<p>{p}</p>" for p in PARAS)}
</article>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>Reader99: This is the worst deal ever, nobody should trust them.</p></div>
<div class="comment"><p>PeaceFan: Finally some good news from the region, let us hope it lasts.</p></div>
</section></main>
<aside class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Celebrity chef opens new restaurant</a></li>
<li><a href="/b">Ten tips for a better garden this autumn</a></li></ul></aside>
<footer><p>© 2024 The Daily Courier. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""


def test_body_is_the_article_without_chrome() -> None:
    res = extract_html(PAGE, url="https://courier.example.com/world/border-talks?utm=x")
    for p in PARAS:
        assert p in res.body
    chunks = res.body.split("\n\n")
    assert all(p in chunks for p in PARAS)  # one paragraph each, blank-line separated
    for chrome in (
        "Subscribe now",
        "Share on Facebook",
        "Most read",
        "Celebrity chef",
        "All rights reserved",
        "Privacy policy",
        "worst deal ever",
        "PeaceFan",
    ):
        assert chrome not in res.body
    assert "<" not in res.body and ">" not in res.body


def test_metadata() -> None:
    res = extract_html(PAGE, url="https://courier.example.com/world/border-talks?utm=x")
    assert res.title == "Ministers resume border talks in Geneva"
    assert res.site == "The Daily Courier"
    assert res.author == ["Jane Doe", "John Roe"]
    # the original publication date, not the later modification date
    assert res.published == "2024-10-28"
    assert res.published_basis == "metadata"
    assert res.published_precision == "day"
    assert res.url == "https://courier.example.com/world/border-talks"


UNDATED = PAGE.replace("2024-10-28T09:30:00Z", "").replace("2024-11-02T17:00:00Z", "").replace("© 2024 ", "")


@pytest.mark.parametrize(
    ("lead", "published", "precision"),
    [
        ("", None, "unknown"),
        ("Posted on 5 July 2018.", "2018-07-05", "day"),
        # htmldate reads these as 2018-07-01: only the month is known
        ("Ausgabe 07/2018.", "2018-07", "month"),
        # htmldate turns a bare year or a copyright line into 1 January: not a publication date
        ("Dossier juillet 2018.", None, "unknown"),
        ("© 2019 The Daily Courier.", None, "unknown"),
    ],
)
def test_dates_found_in_text_keep_only_their_real_precision(
    lead: str, published: str | None, precision: str
) -> None:
    res = extract_html(UNDATED.replace("<p>Foreign", f"<p>{lead} Foreign"))
    assert (res.published, res.published_precision) == (published, precision)
    assert res.published_basis == ("metadata" if published else "unknown")


def test_first_of_month_from_markup_stays_a_day() -> None:
    res = extract_html(PAGE.replace("2024-10-28T09:30:00Z", "2024-03-01T09:30:00Z"))
    assert (res.published, res.published_precision) == ("2024-03-01", "day")


def test_tables_and_lists_become_plain_text() -> None:
    rows = "".join(f"<tr><td>Delegation {i}</td><td>{i * 10} members</td></tr>" for i in range(1, 4))
    page = PAGE.replace(
        f"<p>{PARAS[2]}</p>",
        f"<p>{PARAS[2]}</p><table><tr><th>Delegation</th><th>Size</th></tr>{rows}</table>"
        "<ul><li>Opening statements from both foreign ministers</li>"
        "<li>Working lunch hosted by the Swiss president</li></ul>",
    )
    body = extract_html(page).body
    assert "Delegation 1\t10 members\nDelegation 2\t20 members" in body
    assert "\n\nOpening statements from both foreign ministers\n\n" in body
    assert "|" not in body and "- Opening" not in body


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n",
        "<html></html>",
        "<html><body><nav><ul><li><a href=/>Home</a></li><li><a href=/w>World</a></li></ul></nav>"
        "<footer>Contact</footer></body></html>",
        "<<<>>>",
        "\x00\x01\x02",
        "<p>unclosed <b>tags <i>everywhere",
        "<?xml version='1.0'?><rss></rss>",
    ],
)
def test_empty_or_malformed_html_gives_empty_body(html: str) -> None:
    res = extract_html(html, url="https://example.org/x")
    assert res.body == ""
    assert res.url == "https://example.org/x"


def test_control_characters_do_not_break_extraction() -> None:
    res = extract_html(PAGE.replace(PARAS[0], PARAS[0].replace("Geneva", "Gen\x00eva\x0b")))
    assert PARAS[1] in res.body
    assert "\x00" not in res.body


def _bench_module() -> ModuleType:
    return load_module(REPO / "bench" / "eval_html.py", "legation_eval_html")


@pytest.mark.shared
@pytest.mark.slow
def test_benchmark_f1(shared_dir: Path) -> None:
    """The 181-page article-extraction benchmark (about 7-10 s on the reference machine).

    Measured F1 0.9641 (P 0.9577, R 0.9705) with the chosen options; the floor is that
    figure rounded down, above the task's 0.958 target.
    """
    res = _bench_module().run(shared_dir)
    assert res["missing"] == 0
    assert res["f1"] >= 0.964, res
