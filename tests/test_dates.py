"""Date finding: formats, yearless and relative dates, traps, and record dates."""

from __future__ import annotations

from datetime import date

import pytest

from legation.clean import dates
from legation.clean.dates import DateSpan, find_dates, infer_year, parse_iso_or_partial, period_bounds

REF = date(2024, 11, 4)  # a Monday


def values(text: str, reference: date | None = REF) -> list[str | None]:
    return [s.value for s in find_dates(text, reference=reference)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("published 16 November, 2024 in", ["2024-11-16"]),
        ("Thu. Nov 21st, 2024", ["2024-11-21"]),
        ("Brussels, 29 October 2024", ["2024-10-29"]),
        ("on Monday, 4th of November 2024.", ["2024-11-04"]),
        ("November 4 2024 and Sept. 3, 2023", ["2024-11-04", "2023-09-03"]),
        ("at 2024-11-04T10:00:00Z", ["2024-11-04"]),
        ("the EU-Japan Summit in July 2023", ["2023-07"]),
        ("partners since 2010, in 2022 and in early 2023", ["2010", "2022", "2023"]),
        ("on 28/10/2024", ["2024-10-28"]),
        ("on 10/28/2024", ["2024-10-28"]),
    ],
)
def test_absolute_formats(text: str, expected: list[str]) -> None:
    assert values(text) == expected


def test_span_offsets_and_flags() -> None:
    text = "Clock: Thu. Nov 21st, 2024 | menu"
    (span,) = find_dates(text)
    assert text[span.start : span.end] == span.text == "Thu. Nov 21st, 2024"
    assert (span.precision, span.has_year, span.has_weekday, span.is_relative) == ("day", True, True, False)


def test_longest_span_wins_over_its_parts() -> None:
    spans = find_dates("in July 2023 and on 7 October 2023")
    assert [s.text for s in spans] == ["July 2023", "7 October 2023"]


def test_ambiguous_numeric_date_is_dropped() -> None:
    # 4 November in Europe, 11 April in the US: no guess.
    assert values("on 4/11/2024") == []


@pytest.mark.parametrize(
    "text",
    [
        "We may march on the capital.",  # verbs, not months
        "3,000 soldiers and 10,000 others",  # counts
        "It sent 2000 troops.",  # a bare number is not a year without a word making it one
        "USA-1945!!",
        "Resolution 1244",
        "the 2020 Sentra gets a new grille",  # a model year, on sale the year before
        "a force of 2000 troops",
    ],
)
def test_non_dates(text: str) -> None:
    assert find_dates(text, reference=REF) == []


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("held in Seoul on November 4.", date(2024, 11, 4), "2024-11-04"),  # the day itself
        ("held in Seoul on November 4.", date(2024, 11, 1), "2023-11-04"),  # closest in the past
        ("On 23 October, the service said", date(2025, 1, 10), "2024-10-23"),
        ("in July last year", date(2024, 3, 1), "2023-07"),
        ("on February 24 last year", date(2023, 5, 1), "2022-02-24"),
    ],
)
def test_yearless_dates_take_the_reference_year(text: str, reference: date, expected: str) -> None:
    (span,) = find_dates(text, reference=reference)
    assert span.value == expected
    assert not span.has_year


def test_yearless_and_relative_dates_without_reference_have_no_value() -> None:
    spans = find_dates("On November 4 and yesterday, in July last year")
    assert [s.text for s in spans] == ["November 4", "yesterday", "July last year"]
    assert [s.value for s in spans] == [None, None, None]


def test_relative_phrases() -> None:
    spans = find_dates("yesterday, three days ago, last month and last year", reference=REF)
    assert [(s.value, s.precision) for s in spans] == [
        ("2024-11-03", "day"),
        ("2024-11-01", "day"),
        ("2024-10", "month"),
        ("2023", "year"),
    ]
    assert all(s.is_relative for s in spans)


def test_weekday_names() -> None:
    # News style names the weekday even for the day of publication (REF is a Monday).
    assert values("arrived on Sunday. On Monday, he met") == ["2024-11-03", "2024-11-04"]
    assert values("last Monday and next Monday") == ["2024-10-28", "2024-11-11"]


def test_absolute_formats_do_not_call_dateparser(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(phrase: str, reference: date) -> date | None:
        raise AssertionError(f"dateparser called on {phrase!r}")

    monkeypatch.setattr(dates, "_dateparser", boom)
    text = "Thu. Nov 21st, 2024; 16 November, 2024; 2024-11-04; in July 2023; November 4; on Monday"
    assert len(find_dates(text, reference=REF)) == 6


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-11-04T10:00:00Z", ("2024-11-04", "day")),
        ("2024-11-04T23:30:00-05:00", ("2024-11-04", "day")),
        ("2024-11-04", ("2024-11-04", "day")),
        ("2024-11", ("2024-11", "month")),
        ("2024", ("2024", "year")),
        ("Mon, 04 Nov 2024 10:00:00 GMT", ("2024-11-04", "day")),
        ("2024-13", None),
        ("2024-02-30", None),
        ("soon", None),
        ("", None),
    ],
)
def test_parse_iso_or_partial(raw: str, expected: tuple[str, str] | None) -> None:
    assert parse_iso_or_partial(raw) == expected


def test_period_bounds() -> None:
    assert period_bounds("2024") == (date(2024, 1, 1), date(2024, 12, 31))
    assert period_bounds("2024-02") == (date(2024, 2, 1), date(2024, 2, 29))
    assert period_bounds("2024-12") == (date(2024, 12, 1), date(2024, 12, 31))
    assert period_bounds("2024-11-04") == (date(2024, 11, 4), date(2024, 11, 4))


def clock(text: str) -> list[DateSpan]:
    return find_dates(text)


@pytest.mark.parametrize(
    ("text", "header", "expected"),
    [
        ("They met on 3 March 2024. The summit is scheduled for October 2024.", [], "2024"),
        ("They signed the accord on 3 March 2024 in the capital.", clock("Thu. Nov 21st, 2024"), "2024"),
        ("They signed the accord on 3 March 2024 in the capital.", [], None),  # no upper bound
        ("The summit is scheduled for October 2024.", [], None),  # no lower bound
        ("They met on 3 March 2024. The summit will be held in 2025.", [], None),  # two years
        ("They met in 2023. Seoul will give $394 million in 2024, more than in 2023.", [], None),
        ("The talks were postponed until March 2024. They will meet in 2024.", [], None),  # not a past date
        ("The 2020 Sentra was unveiled. It will be on sale in 2020.", [], None),  # model year
    ],
)
def test_infer_year(text: str, header: list[DateSpan], expected: str | None) -> None:
    assert infer_year(text, header) == expected
