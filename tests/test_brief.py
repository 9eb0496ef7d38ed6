"""The briefing (``build_brief``) and the ``brief`` and ``serve`` commands."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
from click.testing import CliRunner

from api_data import build_db
from legation import brief
from legation.brief import build_brief
from legation.cli import main


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("brief") / "full.duckdb", later_stages=True)


@pytest.fixture(scope="module")
def early_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("brief") / "early.duckdb", later_stages=False)


@pytest.fixture
def lenient_shifts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture has one or two events per pair: let a single event count as a shift."""
    import legation.brief

    monkeypatch.setattr(legation.brief, "SHIFT_MIN_EVENTS", 1)
    monkeypatch.setattr(legation.brief, "SHIFT_MIN_SOURCES", 1)
    monkeypatch.setattr(legation.brief, "SHIFT_Z", 0.0)


def section(md: str, title: str, *, sources: bool = False) -> list[str]:
    """The bullet lines of one Markdown section (without their sources unless asked)."""
    body = md.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in body.splitlines() if line.startswith("- ")]
    return lines if sources else [line.split(" — sources: ")[0] for line in lines]


def test_every_line_cites_its_sources(db: Path, lenient_shifts: None) -> None:
    md = build_brief(db)
    bullets = [line for line in md.splitlines() if line.startswith("- ")]
    assert len(bullets) >= 5
    titles = {"Putin and Kim sign treaty", "EU and Korea partnership", "Partnership, and war news"}
    for line in bullets:
        assert " — sources: " in line, line
        cited = line.split(" — sources: ")[1].split("; ")
        # Each source by its title, site and date, never a bare hash.
        assert all(re.match(r".+ \(Test Wire, \d{4}-\d{2}-\d{2}\)$", c) for c in cited), line
        assert any(t in line for t in titles), line


def test_sections_hold_the_expected_facts(db: Path, lenient_shifts: None) -> None:
    md = build_brief(db)
    assert section(md, "Top stories") == ["- EU–Korea partnership (2 articles, latest 2024-11-05)"]
    agreements = section(md, "New or changed agreements")
    assert len(agreements) == 2 and any("EU–Korea" in a and "launched 2024-11-04" in a for a in agreements)
    claims = section(md, "Disputed claims")
    assert claims == [
        "- troops (PRK in RUS): Seoul (KOR) says 3,000 soldiers; Washington (USA) says 10,000 soldiers"
    ]
    shifts = section(md, "Sharpest shifts in relations")
    assert shifts and shifts[0].startswith("- PRK–UKR: cooler")


def test_one_event_is_not_a_shift(db: Path) -> None:
    # Defaults: a shift needs three recent events of the pair from two articles.
    assert section(build_brief(db), "Sharpest shifts in relations") == ["- nothing to report"]


def test_since_and_actor_narrow_the_brief(db: Path, lenient_shifts: None) -> None:
    md = build_brief(db, since="2024-11-01", actor="KOR")
    agreements = section(md, "New or changed agreements")
    assert len(agreements) == 1 and "EU–Korea" in agreements[0]  # the June treaty is older
    assert section(md, "Disputed claims") == ["- nothing to report"]  # as_of dates are before November
    assert all("KOR" in line for line in section(md, "Sharpest shifts in relations"))
    assert "since 2024-11-01 involving KOR" in md.splitlines()[0]


def test_without_story_tables_stories_come_from_articles(early_db: Path, tmp_path: Path) -> None:
    md = build_brief(early_db, actor="UKR")
    assert section(md, "Disputed claims") == ["- nothing to report"]
    # The stories table is missing: the articles' story_id groups them (title of the first).
    assert section(md, "Top stories") == ["- EU and Korea partnership (2 articles, latest 2024-11-05)"]
    # No story at all: each article involving the actor stands in, newest first.
    bare = build_db(tmp_path / "bare.duckdb", later_stages=False)
    con = duckdb.connect(str(bare))
    con.execute("UPDATE articles SET story_id = NULL")
    con.close()
    assert section(build_brief(bare, actor="PRK"), "Top stories") == [
        "- Partnership, and war news (2024-11-05, Test Wire)",
        "- Putin and Kim sign treaty (2024-06-20, Test Wire)",
    ]


def test_html_brief_links_sources_and_escapes(db: Path) -> None:
    page = build_brief(db, fmt="html", base_url="http://analyst.local:8000/")
    assert page.startswith("<!doctype html>") and "<h2>Disputed claims</h2>" in page
    assert '<a href="http://analyst.local:8000/#/article/a1">Putin and Kim sign treaty' in page
    assert "<style>" in page and "<script" not in page and "http" not in page.split("<body>")[0]
    assert 'class="meta">period: everything stored; made ' in page
    # Without a base URL, a source links to the article's own URL, or is plain text.
    assert 'href="/#' not in build_brief(db, fmt="html")
    with pytest.raises(ValueError, match="unknown format"):
        build_brief(db, fmt="pdf")


def test_brief_command(db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["brief", "--db", str(db), "--since", "2024-11-01"])
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith("# Legation briefing (since 2024-11-01)")
    out = tmp_path / "b.html"
    res = runner.invoke(main, ["brief", "--db", str(db), "--format", "html", "-o", str(out)])
    assert res.exit_code == 0 and out.read_text().startswith("<!doctype html>")
    res = runner.invoke(main, ["brief", "--db", str(db), "--since", "last week"])
    assert res.exit_code == 2 and "--since" in res.stderr
    res = runner.invoke(main, ["brief", "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 1 and "no such database" in res.stderr


def test_serve_command_refuses_a_missing_database(tmp_path: Path) -> None:
    runner = CliRunner()
    res = runner.invoke(main, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 1 and "no such database" in res.stderr
    res = runner.invoke(main, ["serve", "--help"])
    assert res.exit_code == 0 and "127.0.0.1" in res.stdout
    res = runner.invoke(main, ["serve", "--port", "0"])
    assert res.exit_code == 2


def test_unknown_actor_is_a_usage_error(db: Path) -> None:
    res = CliRunner().invoke(main, ["brief", "--db", str(db), "--actor", "XXQ"])
    assert res.exit_code == 2 and "--actor" in res.output
    ok = CliRunner().invoke(main, ["brief", "--db", str(db), "--actor", "kor"])
    assert ok.exit_code == 0 and "involving KOR" in ok.output


def test_agreement_dates_say_when_they_are_only_the_publication_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import api_data

    dated = [
        {**api_data.AGREEMENTS[0], "date_basis": {"signed": "text", "launched": "published"}},
        {**api_data.AGREEMENTS[1], "date_basis": {"signed": "dateline"}},
    ]
    monkeypatch.setattr(api_data, "AGREEMENTS", dated)
    db = build_db(tmp_path / "basis.duckdb", later_stages=True)
    md = section(build_brief(db), "New or changed agreements")
    eu = next(a for a in md if "EU–Korea" in a)
    # The text's own date stands alone; a publication date says that it is one.
    assert "signed 2024-11-04, launched 2024-11-04 (publication date)" in eu
    assert any("signed 2024-06-19 (dateline date)" in a for a in md)
    page = build_brief(db, fmt="html")
    assert "launched 2024-11-04 (publication date)" in page


def _ev(n: int, date: str, score: float, pair: tuple[str, str] = ("EU", "PRK")) -> dict[str, object]:
    return {
        "id": f"e{date}{n}{score}",
        "article_id": f"a{n % 2}",
        "date": date,
        "goldstein": score,
        "confidence": 0.9,
        "actor": [{"code": pair[0]}],
        "recipient": [{"code": pair[1]}],
    }


def test_a_move_within_the_noise_of_the_scores_is_no_shift() -> None:
    from legation.brief import relation_shifts

    # Scores spread widely over other pairs; EU-PRK moves from -2.0 to -1.8 over 3 + 5 events.
    spread = [_ev(i, "2024-01-01", s, ("USA", "CHN")) for i, s in enumerate((-10.0, 8.0, -6.0, 7.0))]
    small = [_ev(i, "2024-01-02", -2.0) for i in range(3)] + [
        _ev(i, "2024-03-02", s) for i, s in enumerate((-2.0, -2.0, -1.0, -2.0, -2.0))
    ]
    assert [(s.a, s.b) for s in relation_shifts(spread + small, "2024-03-01")] == []
    # The same pair turning from hostile to cooperative is a shift, and says which way.
    big = [_ev(i, "2024-01-02", -9.0) for i in range(3)] + [_ev(i, "2024-03-02", 7.0) for i in range(5)]
    got = relation_shifts(spread + big, "2024-03-01")
    assert [(s.a, s.b, s.direction) for s in got] == [("EU", "PRK", "warmer")]


@pytest.mark.parametrize(
    ("ref", "want"),
    [
        (
            {"title": "Talks resume", "site": "Example Wire", "published": "2024-11-05T08:00"},
            "Talks resume (Example Wire, 2024-11-05)",
        ),  # the site in full, the day only
        (
            {
                "url": "https://www.example.com/world/2024/11/05/ministers-meet-in-seoul.html",
                "site": "Example",
            },
            "example.com: ministers meet in seoul (Example)",
        ),
        ({"url": "https://example.org/a/123456", "published": "2024-11-05"}, "example.org (2024-11-05)"),
        ({"source": "/data/pages/item-7.txt"}, "item-7.txt"),
        ({}, "0123abcd"),
    ],
)
def test_an_untitled_source_is_named_by_its_address(ref: dict[str, Any], want: str) -> None:
    assert brief._label("0123abcd", ref) == want


def test_a_story_of_one_article_says_article() -> None:
    assert [brief.articles_count(n) for n in (1, 2, 0)] == ["1 article", "2 articles", "0 articles"]
