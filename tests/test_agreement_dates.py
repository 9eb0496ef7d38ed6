"""Agreement step dates for two classes of sentence (``legation.extract.agreement_dates``):
a place between the name and its date, and a treaty named by its year. Sentences written for
these tests."""

from __future__ import annotations

from datetime import date

import pytest

from legation.datafile import DataFileError
from legation.extract.agreement_dates import stage_dates
from legation.extract.lifecycle import parse_stages

REF = (date(2025, 8, 14), "dateline")  # a Thursday


def _dates(sentence: str, name: str, when: tuple[str | None, bool] = (None, True)) -> dict[str, tuple]:
    i = sentence.index(name)
    got = stage_dates(sentence, (i, i + len(name)), [], when, REF)
    return {k: (v.day, v.basis, v.precision) for k, v in got.items()}


def test_a_place_between_the_name_and_its_date() -> None:
    s = "Chile and Peru signed a memorandum on coastal patrols and search and rescue in Lima on Tuesday."
    assert _dates(s, "memorandum on coastal patrols and search and rescue") == {
        "signed": ("2025-08-12", "text", "day")
    }
    s = "Kenya signed a defence cooperation agreement with the United Kingdom in Nairobi on Monday."
    assert _dates(s, "defence cooperation agreement")["signed"] == ("2025-08-11", "text", "day")


def test_the_event_date_does_not_beat_the_text_of_the_name() -> None:
    s = "Oman signed a maritime security pact with India in Muscat on Wednesday, officials said."
    # the coder's date of the sentence (here the dateline day) ranks below the text's own date
    got = _dates(s, "maritime security pact", when=("2025-08-14", True))
    assert got["signed"][:2] == ("2025-08-13", "text")


@pytest.mark.parametrize(
    ("sentence", "name", "year"),
    [
        ("Troops are stationed there under the 1951 Security Treaty.", "Security Treaty", "1951"),
        ("Both still cite the 1994 Framework Agreement in talks.", "Framework Agreement", "1994"),
    ],
)
def test_a_treaty_named_by_its_year(sentence: str, name: str, year: str) -> None:
    assert _dates(sentence, name) == {"signed": (year, "text", "year")}


def test_a_year_after_the_reference_date_or_a_dated_step_wins() -> None:
    assert _dates("Both cite the 2031 Framework Agreement.", "Framework Agreement") == {}
    s = "They recalled the 1994 Framework Agreement, signed in Lisbon in 1995."
    assert _dates(s, "Framework Agreement")["signed"] == ("1995", "text", "year")


def test_by_year_must_be_a_flag_on_one_stage() -> None:
    one = "stages:\n  - key: signed\n    by_year: true\n    cues: ['signed']\n"
    assert [s.by_year for s in parse_stages(one)] == [True]
    with pytest.raises(DataFileError, match="by_year"):
        parse_stages("stages:\n  - key: signed\n    by_year: 'yes'\n    cues: ['signed']\n")
    two = one + "  - key: ratified\n    by_year: true\n    cues: ['ratified']\n"
    with pytest.raises(DataFileError, match="by_year"):
        parse_stages(two)


# ---------------------------------------------------------------------- issue 16, second round
def test_days_after_a_date_of_the_sentence() -> None:
    s = (
        "Parliament will debate the pact, its speaker said on Wednesday, two days after the "
        "ministers signed the pact in Lima."
    )
    i = s.rindex("pact")
    got = stage_dates(s, (i, i + 4), [], (None, True), REF)
    assert (got["signed"].day, got["signed"].basis) == ("2025-08-11", "text")  # Wednesday 13th less two
    # Without a date before the phrase the reference day is the anchor.
    s = "Three days after Chile and Peru signed the Lima Accord, fighting resumed."
    assert _dates(s, "Lima Accord")["signed"] == ("2025-08-11", "text", "day")


def test_a_step_reported_as_news_happened_on_the_day_its_source_said_so() -> None:
    s = "Chile and Peru have finalised the text of a peace treaty, the foreign ministries said on Tuesday."
    assert _dates(s, "peace treaty")["agreed"] == ("2025-08-12", "text", "day")
    # A step cited in a relative clause is not dated by the attribution.
    s = (
        "The treaty that Chile and Peru signed has kept the border quiet for two decades and "
        "more, officials said on Tuesday."
    )
    assert _dates(s, "The treaty")["signed"][0] is None


@pytest.mark.parametrize(
    "sentence",
    [
        "The Lima Accord must still be ratified by the Peruvian congress.",
        "The Lima Accord has yet to be signed.",
        "The president is expected to travel to Lima next year to sign the Lima Accord.",
    ],
)
def test_a_step_still_to_come_is_no_step(sentence: str) -> None:
    assert _dates(sentence, "Lima Accord") == {}


def test_the_dates_file_is_checked() -> None:
    from legation.extract.agreement_dates import parse_date_words

    untaken = "untaken_before: [not]\nuntaken_after: [stalled]\n"
    assert parse_date_words("reporting_verbs: [said]\nafter_words: [after]\n" + untaken, "dates.yaml")
    with pytest.raises(DataFileError, match=r"dates\.yaml: 'after_words' must be a non-empty list"):
        parse_date_words("reporting_verbs: [said]\nafter_words: []\n" + untaken, "dates.yaml")
    with pytest.raises(DataFileError, match="unknown"):
        parse_date_words(
            "reporting_verbs: [said]\nafter_words: [after]\nbefore: [x]\n" + untaken, "dates.yaml"
        )
    with pytest.raises(DataFileError, match=r"dates\.yaml: 'untaken_after' must be a non-empty list"):
        parse_date_words(
            "reporting_verbs: [said]\nafter_words: [after]\nuntaken_before: [not]\n", "dates.yaml"
        )
    with pytest.raises(DataFileError, match="not a regular expression"):
        parse_date_words(
            "reporting_verbs: [said]\nafter_words: [after]\nuntaken_before: ['(']\nuntaken_after: [x]\n",
            "dates.yaml",
        )


def test_the_coders_default_date_is_the_datelines() -> None:
    """A sentence that prints no date of its own, dated by the coder on the reference day: the
    dateline gave that day, not the text."""
    s = "HANOI, 14 August 2025 (Wire) – Chile and Peru signed a memorandum on coastal patrols in Lima."
    assert _dates(s, "memorandum on coastal patrols", ("2025-08-14", True))["signed"] == (
        "2025-08-14",
        "dateline",
        "day",
    )
    # A day the coder read in the text ("On Monday, ...") stays the event's.
    s = "Today, Chile and Peru signed a memorandum on coastal patrols in Lima."
    got = _dates(s, "memorandum on coastal patrols", ("2025-08-14", True))
    assert got["signed"][:2] == ("2025-08-14", "event")
