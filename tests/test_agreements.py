"""Agreements: names, parties, follow-on registrations and merge keys."""

from __future__ import annotations

from typing import Any

from legation.crossdoc.agreements_extract import extract_agreements, norm_key
from test_claims import _mentions

NAMES = {
    "Canada": ("CAN", "state"),
    "Chile": ("CHL", "state"),
    "Peru": ("PER", "state"),
    "Mexico": ("MEX", "state"),
    "We": ("CAN", "state"),
    "Ottawa": ("CAN", "state"),
    "Santiago": ("CHL", "state"),
    "Brazil": ("BRA", "state"),
}


def _extract(text: str) -> list[dict[str, Any]]:
    return extract_agreements({"id": "x", "text": text, "published": "2025-05-01"}, _mentions(text, NAMES))


def test_prefix_parties_and_follow_on_registrations() -> None:
    got = _extract(
        "We signed the Canada-Chile Critical Minerals Partnership, the third of its kind, "
        "following those with Peru and Mexico."
    )
    assert [(a["parties"], a["key"].split(" | ")[1]) for a in got] == [
        (["CAN", "CHL"], "critical minerals partnership"),
        (["CAN", "PER"], "critical minerals partnership"),
        (["CAN", "MEX"], "critical minerals partnership"),
    ]
    assert got[0]["dates"] == {"signed": "2025-05-01"} and got[0]["kind"] == "partnership"


def test_plural_with_gives_one_agreement_per_partner() -> None:
    got = _extract("We concluded new Security and Defence Partnerships with Chile and Brazil.")
    assert sorted(tuple(a["parties"]) for a in got) == [("BRA", "CAN"), ("CAN", "CHL")]
    assert len({a["key"].split(" | ")[1] for a in got}) == 1


def test_between_and_spelling_variants_share_a_key() -> None:
    a = _extract(
        "Ottawa and Santiago will sign a new security and defense partnership between Canada and Chile."
    )
    b = _extract("The Canada-Chile Security and Defence Partnership was launched.")
    assert a and b and a[0]["key"] == b[0]["key"]
    assert b[0]["dates"] == {"launched": "2025-05-01"}


def test_bare_references_are_not_agreements() -> None:
    assert _extract("Canada and Chile praised this partnership and the treaty.") == []
    assert norm_key("new comprehensive", "partnerships") == "partnership"
