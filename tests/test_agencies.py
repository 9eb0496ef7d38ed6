"""News and photo agencies as data (``data/clean/agencies.yaml``) and the patterns built from it.

The cleaner recognises photo credits by the agencies they name; the names are data, so these
tests check the loader's refusals, that each pattern takes the spellings the file gives it,
and that the credit and caption tests of the cleaning modules still see the classic credits.
"""

from __future__ import annotations

import re
from importlib import resources

import pytest

from legation.clean import textdump_score, textmeta_names
from legation.clean.agencies import USES, Agencies, AgenciesError, shipped_agencies

SHIPPED = resources.files("legation").joinpath("data", "clean", "agencies.yaml").read_text(encoding="utf-8")


def test_every_use_has_spellings_and_agencies_have_a_kind() -> None:
    a = shipped_agencies()
    for use in USES:
        assert a.spellings(use), use
    assert {x.kind for x in a.agencies} == {"wire", "photo"}
    assert "AP" in a.spellings("bracketed") and "REUTERS" in a.spellings("slash")


@pytest.mark.parametrize(
    "line",
    [
        "Protesters gather outside parliament in Madrid. (Manu Fernandez/AP)",
        "Soldiers at a checkpoint near Kharkiv [Photo: Getty]",
        "The minister arrives for talks (Associated Press)",
        "Smoke rises over the city Timothy Weeks AP",
        "A stock image of a gavel Shutterstock.",
    ],
)
def test_credits_naming_an_agency_are_credits(line: str) -> None:
    assert textmeta_names.is_credit(line)


@pytest.mark.parametrize(
    "line",
    [
        "The talks ended without an agreement (CHAPTER 5)",  # "AP" inside a word is no agency
        "Wir berichten weiter (ePA)",  # case matters
        "Reporters asked about the apology.",
    ],
)
def test_lines_without_an_agency_credit_are_not(line: str) -> None:
    assert not textmeta_names.is_credit(line)


def test_caption_pattern_takes_caption_and_slash_spellings() -> None:
    cap = textdump_score._CAPTION
    assert cap.search("Police officers patrol the square (AP Photo/Alan Diaz, File)")
    assert cap.search("Rescue workers search the rubble (EPA)")
    assert cap.search("Rescue workers search the rubble REUTERS/Brendan McDermid")
    assert not cap.search("Rescue workers search the rubble (ap)")  # agencies are case-sensitive
    assert not cap.search("Rescue workers search the rubble (Shutterstock)")  # not a caption spelling


def test_an_agency_added_to_a_copy_feeds_the_patterns_it_names() -> None:
    text = SHIPPED + "- name: Xinhua\n  spellings:\n    Xinhua: [bracketed, caption]\n"
    a = Agencies.from_text(text, "copy.yaml")
    assert a.agencies[-1].name == "Xinhua" and a.agencies[-1].kind == "photo"
    assert "Xinhua" in a.spellings("bracketed") and "Xinhua" not in a.spellings("line_end")
    assert re.search(rf"\((?:{a.alternation('caption')})\)$", "Fishing boats in the harbour (Xinhua)")
    assert "Xinhua" not in shipped_agencies().spellings("bracketed")


def test_capital_spellings_can_be_whole_words() -> None:
    a = Agencies.from_text("wires:\n- name: AP\n  spellings:\n    AP: [bracketed]\n", "x.yaml")
    assert re.search(a.alternation("bracketed"), "CHAPTER")
    assert not re.search(a.alternation("bracketed", whole_caps=True), "CHAPTER")
    assert re.search(a.alternation("bracketed", whole_caps=True), "by AP staff")


def test_a_use_without_spellings_matches_nothing() -> None:
    a = Agencies.from_text("wires:\n- name: AP\n  spellings:\n    AP: [bracketed]\n", "x.yaml")
    assert not re.search(a.alternation("slash"), "anything at all")
    with pytest.raises(KeyError, match="unknown agency use 'slsh'"):
        a.spellings("slsh")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("wires: [\n", "not valid YAML"),
        ("- AP\n", "top level must be a mapping"),
        ("agencies: []\n", "unknown list(s) agencies"),
        ("wires: {AP: [bracketed]}\n", "wires must be a list of agencies"),
        ("wires:\n- name: AP\n", "exactly the keys name and spellings"),
        (
            "wires:\n- name: AP\n  spellings: {AP: [bracketed]}\n  note: x\n",
            "exactly the keys name and spellings",
        ),
        ("wires:\n- name: ''\n  spellings: {AP: [bracketed]}\n", "name must be a non-empty string"),
        ("wires:\n- name: AP\n  spellings: {}\n", "spellings must map each spelling"),
        ("wires:\n- name: AP\n  spellings: {AP: [braketed]}\n", "needs a non-empty list of uses"),
        ("wires:\n- name: AP\n  spellings: {AP: []}\n", "needs a non-empty list of uses"),
        ("wires:\n- name: AP\n  spellings: {' AP': [bracketed]}\n", "must be a trimmed non-empty string"),
        ("wires:\n- name: AP\n  spellings: {AP: [bracketed], AP: [caption]}\n", "written twice"),
        (
            "wires:\n- name: AP\n  spellings: {AP: [bracketed]}\n"
            "photo_agencies:\n- name: Other\n  spellings: {AP: [caption]}\n",
            "spelling 'AP' is already AP's",
        ),
    ],
)
def test_a_malformed_agencies_file_is_refused_naming_the_file(text: str, why: str) -> None:
    with pytest.raises(AgenciesError) as err:
        Agencies.from_text(text, "my/agencies.yaml")
    assert "my/agencies.yaml" in str(err.value) and why in str(err.value), str(err.value)
