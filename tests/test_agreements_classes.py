"""Agreements: classes of sentence that name an instrument once, its parties and its year.

Invented sentences: an indefinite bare head named in full later, a name whose own modifier is
its party, a list of parties after "between", a named "deal", an instrument a possessive or
"under" points at, and the year an instrument "dates from".
"""

from __future__ import annotations

from test_agreements import _extract


def test_an_indefinite_bare_head_named_in_full_further_on_is_one_instrument() -> None:
    got = _extract(
        "Canada and Chile signed a memorandum on 28 April to pool their coastal radars. "
        "Their ministers signed the memorandum of cooperation in a hangar near the port."
    )
    assert [m["name"] for m in got] == ["memorandum", "memorandum of cooperation"]
    assert len({m["key"] for m in got}) == 1
    # Two steps dated differently by the sentences are two instruments.
    got = _extract(
        "Canada and Chile signed a memorandum on 3 March. "
        "Canada and Chile signed the memorandum of cooperation on 28 April."
    )
    assert len({m["key"] for m in got}) == 2


def test_a_party_the_name_itself_gives_leads_the_partners_after_with() -> None:
    # "U.S." is no tagged mention here: the name's own initialism is the lead party.
    got = _extract(
        "Officials said the summit leaves the existing U.S. alliances with Canada and with Chile as they are."
    )
    assert sorted(m["parties"] for m in got) == [["CAN", "USA"], ["CHL", "USA"]]


def test_between_lists_all_its_parties_and_a_named_deal_is_an_instrument() -> None:
    got = _extract("The 2016 trade deal between Canada, Chile, Peru and Mexico expires in May.")
    assert [(m["name"], m["parties"], m["dates"]) for m in got] == [
        ("2016 trade deal", ["CAN", "CHL", "MEX", "PER"], {"signed": "2016"})
    ]
    # A bare "the deal" still only refers back.
    assert _extract("Canada and Chile praised the deal.") == []


def test_an_instrument_a_possessive_or_under_points_at_needs_no_step() -> None:
    got = _extract("Canada's engineers work in Chile under a stationing agreement, the ministry said.")
    assert [m["parties"] for m in got] == [["CAN", "CHL"]]
    got = _extract("Canada ended its defence cooperation agreement with Chile at short notice.")
    assert [m["parties"] for m in got] == [["CAN", "CHL"]]
    # A relationship described is still no instrument.
    assert _extract("Canada values its close partnership with Chile.") == []


def test_one_party_under_an_instrument_takes_the_article_party_not_the_last_sentences() -> None:
    got = _extract(
        "Canada and Chile signed a status of forces agreement in 2020. Peru and Mexico watched. "
        "Chile's engineers also serve under a defence cooperation memorandum."
    )
    memo = next(m for m in got if m["name"] == "defence cooperation memorandum")
    assert memo["parties"] == ["CAN", "CHL"]


def test_the_year_an_instrument_dates_from_is_its_signing_year() -> None:
    got = _extract("Canada and Chile work under a defence memorandum dating from 2018.")
    assert [(m["parties"], m["dates"]) for m in got] == [(["CAN", "CHL"], {"signed": "2018"})]


def test_a_name_an_apposition_calls_a_body_is_no_instrument() -> None:
    got = _extract(
        "Canada and Chile signed the Pacific Radar Partnership on 28 April, said Ana Ruiz, director "
        "of the Coastal Trade Partnership, a Santiago-based research group."
    )
    assert [m["name"] for m in got] == ["Pacific Radar Partnership"]


def test_a_step_the_text_says_was_not_taken_dates_nothing() -> None:
    for text in (
        "Canada and Chile reached the Pacific Radar Accord, but actually signing it has proved elusive.",
        "Canada and Chile failed to sign the Pacific Radar Accord on Monday.",
        "Canada and Chile did not sign the Pacific Radar Accord on Monday.",
        "The signing of the Pacific Radar Accord by Canada and Chile was postponed on Monday.",
    ):
        got = _extract(text)
        assert all("signed" not in (m.get("dates") or {}) for m in got), (text, got)
    got = _extract("Canada and Chile signed the Pacific Radar Accord on Monday.")
    assert got and got[0]["dates"].get("signed") == "2025-04-28"


def test_a_perfect_infinitive_cites_a_step_without_dating_it() -> None:
    got = _extract("Chile, the only state to have signed the Pacific Radar Accord with Canada, protested.")
    assert got and got[0]["dates"].get("signed") is None


def test_a_plural_head_with_an_apposition_gives_one_instrument_per_signatory() -> None:
    # The apposition between dashes names the subject's states; the actor of the next clause
    # ("the Mexico tariff") is a bystander.
    got = _extract(
        "The only two coastal states to have signed peace treaties with Canada - Chile and Peru - "
        "also condemned the Mexico tariff."
    )
    assert sorted(m["parties"] for m in got) == [["CAN", "CHL"], ["CAN", "PER"]]
    got = _extract("The coastal states that signed peace treaties with Canada (Chile and Peru) met in May.")
    assert sorted(m["parties"] for m in got) == [["CAN", "CHL"], ["CAN", "PER"]]


def test_the_actor_of_another_clause_does_not_lead_the_partner_after_with() -> None:
    # Peru and Mexico act in the clause before "while": the article's subject, Chile, leads.
    got = _extract(
        "Chile sent two frigates north. Chile expects more. Peru patrols with Mexico in the "
        "south, while other ships sail under a maritime security agreement signed with Canada in 2019."
    )
    assert [m["parties"] for m in got] == [["CAN", "CHL"]]


def test_the_adjective_of_a_party_names_the_instrument_named_before_not_the_last_actors() -> None:
    # "the Canadian partnership" in a sentence naming no party is the Fisheries Partnership
    # of Canada and Chile, not an instrument of the actors of the sentence before it.
    text = (
        "The Fisheries Partnership that Chile launched with Canada last week is modest. "
        "It follows a trade agreement Chile signed with Peru. "
        "The Canadian partnership was signed on 3 May, officials said."
    )
    got = _extract(text)
    assert [m["name"] for m in got if m["head"].lower() == "partnership"] == ["Fisheries Partnership"] * 2
    assert len({m["key"] for m in got if m["head"].lower() == "partnership"}) == 1
