"""The naming vocabulary of instruments (``data/agreements/names.yaml``): loading, checks, use."""

from __future__ import annotations

import pytest

from legation.datafile import DataFileError
from legation.extract.agreement_names import parse_names, shipped_names
from legation.extract.agreements import not_instrument
from test_agreements import _extract


def test_shipped_file_loads_and_knows_its_heads() -> None:
    names = shipped_names()
    assert names.head_of("Treaties") is not None and names.head_of("Treaties").key == "agreement"  # type: ignore[union-attr]
    assert names.head_of("memorandum of understanding").kind == "memorandum"  # type: ignore[union-attr]
    assert names.head_of("truce").cls == names.head_of("ceasefire").cls == "ceasefire"  # type: ignore[union-attr]
    assert names.head_of("summit") is None
    assert {"dialogue", "summit", "forum", "conference"} <= names.not_instruments


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("heads: {}\n", "'heads' must be a non-empty mapping"),
        ("heads: {pact: {plural: [pacts]}}\n", "head 'pact': needs a 'kind'"),
        ("heads: {pact: {kind: agreement, colour: red}}\n", "unknown field(s) colour"),
        ("heads: {pact: {kind: agreement}}\nmodifiers: ['(?:one']\n", "is not a regular expression"),
        ("heads: {pact: {kind: agreement}}\nsummits: [x]\n", "unknown section(s) summits"),
        ("heads: {pact: {kind: agreement}}\ndescriptive: [1, 2]\n", "'descriptive' must be a list"),
        ("heads: {Pact: {kind: agreement}}\n", "lower-case"),
    ],
)
def test_a_broken_names_file_is_an_error_naming_the_file(text: str, message: str) -> None:
    with pytest.raises(DataFileError) as err:
        parse_names(text, "names.yaml")
    assert str(err.value).startswith("names.yaml:") and message in str(err.value)


def test_a_head_followed_by_a_meeting_format_is_no_instrument() -> None:
    assert not_instrument("the Partnership Council met", len("the Partnership"))
    assert not_instrument("ceasefire talks", len("ceasefire"))
    assert not not_instrument("the Partnership, signed in 2020", len("the Partnership"))
    assert _extract("Canada and Chile held the first Security Partnership Council in Ottawa.") == []
    assert _extract("Canada and Chile launched ceasefire talks on Monday.") == []


def test_ceasefire_and_truce_heads_name_instruments() -> None:
    got = _extract("Canada and Chile signed a Humanitarian Ceasefire on Monday.")
    assert [(a["kind"], a["parties"], a["key"].split(" | ")[1]) for a in got] == [
        ("ceasefire", ["CAN", "CHL"], "humanitarian ceasefire")
    ]
    truce = _extract("Canada and Chile agreed the Easter Truce on Monday.")
    assert truce[0]["kind"] == "ceasefire" and truce[0]["key"].endswith("| easter ceasefire")


def test_lower_case_modifiers_of_the_file_name_an_instrument() -> None:
    got = _extract("Canada and Chile signed a status of forces agreement on Monday.")
    assert [(a["name"], a["parties"]) for a in got] == [("status of forces agreement", ["CAN", "CHL"])]
    got = _extract("Canada and Chile signed an intergovernmental framework on Monday.")
    assert got and got[0]["key"].endswith("| framework")  # "intergovernmental" only describes it


def test_relationship_classes_are_read_from_the_file() -> None:
    names = parse_names("heads: {pact: {kind: agreement}}\nrelationships: [Partnership]\n")
    assert names.relationships == frozenset({"partnership"})
    assert shipped_names().relationships >= {"partnership", "alliance"}
    assert shipped_names().head_of("deal") is not None and "deal" in shipped_names().references
