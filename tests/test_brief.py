"""The briefing (``build_brief``) and the ``brief`` and ``serve`` commands."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from api_data import build_db
from legation.brief import build_brief
from legation.cli import main


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("brief") / "full.duckdb", later_stages=True)


@pytest.fixture(scope="module")
def early_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_db(tmp_path_factory.mktemp("brief") / "early.duckdb", later_stages=False)


def section(md: str, title: str) -> list[str]:
    """The bullet lines of one Markdown section."""
    body = md.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in body.splitlines() if line.startswith("- ")]


def test_every_line_cites_its_sources(db: Path) -> None:
    md = build_brief(db)
    bullets = [line for line in md.splitlines() if line.startswith("- ")]
    assert len(bullets) >= 5
    for line in bullets:
        assert re.search(r"\[(a\d)(, a\d)*\]$", line), line


def test_sections_hold_the_expected_facts(db: Path) -> None:
    md = build_brief(db)
    assert section(md, "Top stories") == ["- EU–Korea partnership (2 articles, latest 2024-11-05) [a2, a3]"]
    agreements = section(md, "New or changed agreements")
    assert len(agreements) == 2 and any("EU–Korea" in a and "launched 2024-11-04" in a for a in agreements)
    claims = section(md, "Disputed claims")
    assert claims == ["- troops (PRK in RUS): KOR says 3000 soldiers; USA says 10000 soldiers [a1, a3]"]
    shifts = section(md, "Sharpest shifts in relations")
    assert shifts and shifts[0].startswith("- PRK–UKR: cooler")


def test_since_and_actor_narrow_the_brief(db: Path) -> None:
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
    assert section(md, "Top stories") == [
        "- EU and Korea partnership (2 articles, latest 2024-11-05) [a2, a3]"
    ]
    # No story at all: each article involving the actor stands in, newest first.
    bare = build_db(tmp_path / "bare.duckdb", later_stages=False)
    con = duckdb.connect(str(bare))
    con.execute("UPDATE articles SET story_id = NULL")
    con.close()
    assert section(build_brief(bare, actor="PRK"), "Top stories") == [
        "- Partnership, and war news (2024-11-05, Test Wire) [a3]",
        "- Putin and Kim sign treaty (2024-06-20, Test Wire) [a1]",
    ]


def test_html_brief_links_sources_and_escapes(db: Path) -> None:
    page = build_brief(db, fmt="html")
    assert page.startswith("<!doctype html>") and "<h2>Disputed claims</h2>" in page
    assert '<a href="/#/article/a1">a1</a>' in page
    assert "<script" not in page
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
