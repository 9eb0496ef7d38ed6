"""Publication dates read from a page's address, the last resort when the page gives none."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from legation.clean.urldate import url_date

TODAY = date(2026, 1, 1)


@pytest.mark.parametrize(
    ("url", "want"),
    [
        ("https://example.com/2019/11/18/ministers-meet/", ("2019-11-18", "day")),
        ("https://example.com/world/2019/11/8/20948348/talks", ("2019-11-08", "day")),
        ("https://example.com/business/story/2019-11-19/merger-news", ("2019-11-19", "day")),
        ("https://example.com/commentisfree/2019/nov/18/the-view", ("2019-11-18", "day")),
        ("https://example.com/news/2019/11/summit-ends.html", ("2019-11", "month")),
        ("https://example.com/a/275221/", None),  # an id, no date
        ("https://example.com/2019/02/30/no-such-day/", ("2019-02", "month")),  # the month holds
        ("https://example.com/2031/05/01/the-future/", None),  # after today
        ("https://example.com/1200/11/18/not-a-year/", None),
        ("https://example.com/item?date=2019/11/18", None),  # the query is not the path
        ("", None),
        ("http://[::1/oops", None),
    ],
)
def test_dates_in_news_addresses(url: str, want: tuple[str, str] | None) -> None:
    assert url_date(url, today=TODAY) == want


def test_an_undated_page_takes_the_day_of_its_address_and_says_so(tmp_path: Path, pipeline: Any) -> None:
    from legation.ingest.runner import ingest
    from legation.store.db import Store

    body = (
        "Ministers meet in the capital\n\n"
        "Foreign ministers of the two countries met on Tuesday to discuss trade and security. "
        "They agreed to meet again next year and to open talks on a new agreement.\n\n"
        "The talks were described as constructive by both sides, officials said afterwards."
    )
    recs = [
        {"id": "u1", "url": "https://news.example.com/2019/11/18/ministers-meet/", "text": body},
        {
            "id": "u2",
            "url": "https://news.example.com/2019/11/18/ministers-meet-2/",
            "text": body,
            "published": "2024-03-03",
        },
    ]
    src = tmp_path / "pages.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in recs) + "\n", encoding="utf-8")
    db = tmp_path / "t.duckdb"
    ingest([src], db=db, pipeline=pipeline)
    with Store(db) as s:
        rows = dict(
            (r[0], r[1:])
            for r in s.con.execute(
                "SELECT input_key, published, published_basis, published_precision FROM articles"
            ).fetchall()
        )
    got = sorted(rows.values())
    assert ("2019-11-18", "url", "day") in got  # no date in the page: its address
    assert ("2024-03-03", "record", "day") in got  # a date the record gives comes first
