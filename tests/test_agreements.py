"""Agreements: names, parties, follow-on registrations and merge keys."""

from __future__ import annotations

from typing import Any

import pytest

from legation.extract.agreements import extract_agreements, norm_key, topic_party
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
    # The earlier ones were not signed by this sentence: no step, no date (status "mentioned").
    assert got[1]["dates"] == got[2]["dates"] == {}


def test_plural_with_gives_one_agreement_per_partner() -> None:
    got = _extract("We concluded new Security and Defence Partnerships with Chile and Brazil.")
    assert sorted(tuple(a["parties"]) for a in got) == [("BRA", "CAN"), ("CAN", "CHL")]
    assert len({a["key"].split(" | ")[1] for a in got}) == 1


def test_between_and_spelling_variants_share_a_key() -> None:
    a = _extract(
        "Ottawa and Santiago signed a new security and defense partnership between Canada and Chile."
    )
    # A lower-case description of a planned step ("will sign a new ... partnership") names no
    # instrument yet: the modal makes the step one still to come.
    assert not _extract("Ottawa and Santiago will sign a new security and defense partnership.")
    b = _extract("The Canada-Chile Security and Defence Partnership was launched.")
    assert a and b and a[0]["key"] == b[0]["key"]
    assert b[0]["dates"] == {"launched": "2025-05-01"}


def test_bare_references_are_not_agreements() -> None:
    assert _extract("Canada and Chile praised this partnership and the treaty.") == []
    assert norm_key("new comprehensive", "partnerships") == "partnership"


def _extract_with_events(text: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    art = {"id": "x", "text": text, "published": "2025-05-01", "events": events}
    return extract_agreements(art, _mentions(text, NAMES))


def test_lifecycle_date_comes_from_the_sentences_event_not_the_publication() -> None:
    text = "Canada and Chile signed the Critical Minerals Partnership in March 2019."
    got = _extract_with_events(text, [{"start": 0, "end": len(text), "date": "2019-03", "aux": "historical"}])
    assert got[0]["dates"] == {"signed": "2019-03"}


def test_a_future_signing_records_no_lifecycle_step() -> None:
    text = "Canada and Chile will sign the Critical Minerals Partnership next month."
    got = _extract_with_events(text, [{"start": 0, "end": len(text), "date": "2025-06", "aux": "future"}])
    assert got and got[0]["dates"] == {}
    # Without coded events, the date after the verb lies after the publication: still planned.
    assert _extract(text)[0]["dates"] == {}


def test_place_named_treaty_keys_on_its_name_not_the_sentence_actors() -> None:
    a = _extract("Canada and Mexico said the North Atlantic Treaty binds its members.")
    b = _extract("Chile and Peru praised the North Atlantic Treaty on its anniversary.")
    assert a[0]["key"] == b[0]["key"] == "* | north atlantic agreement"
    # A generic name still needs its parties in the key: these are two partnerships.
    c = _extract("Canada and Chile signed a Security and Defence Partnership.")
    d = _extract("Canada and Peru signed a Security and Defence Partnership.")
    assert c[0]["key"] != d[0]["key"]


def test_treaty_and_agreement_of_one_name_share_a_key() -> None:
    a = _extract("Canada and Chile signed a Comprehensive Strategic Partnership Treaty.")
    b = _extract("Canada and Chile ratified the Comprehensive Strategic Partnership agreement.")
    assert a[0]["key"] == b[0]["key"] and a[0]["kind"] == "treaty"


def test_the_signing_events_date_dates_the_step_when_no_date_follows_the_verb() -> None:
    text = "On 3 March, after two years of talks, Canada and Chile signed the Critical Minerals Partnership."
    ev = {"start": 0, "end": len(text), "date": "2025-03-03", "aux": None, "trigger": "signed"}
    other = {"start": 0, "end": len(text), "date": "2023-01-01", "aux": None, "trigger": "talks"}
    got = _extract_with_events(text, [other, ev])
    assert got[0]["dates"] == {"signed": "2025-03-03"}


def test_a_date_printed_after_the_verb_wins() -> None:
    got = _extract("The Canada-Chile Defence Treaty, signed in Santiago on April 4, 1949, still binds them.")
    assert got[0]["dates"] == {"signed": "1949-04-04"}


def test_signed_with_an_initialism_partner() -> None:
    names = {**NAMES, "Volodymyr Zelensky": ("UKR", "person"), "Joe Biden": ("USA", "person")}
    text = (
        "The summit gave Volodymyr Zelensky a ten-year bilateral security accord signed with "
        "U.S. President Joe Biden, and more."
    )
    got = extract_agreements({"id": "x", "text": text, "published": "2024-06-15"}, _mentions(text, names))
    assert [(a["name"], a["parties"]) for a in got] == [
        ("ten-year bilateral security accord", ["UKR", "USA"])
    ]


def test_meeting_formats_are_not_agreements() -> None:
    got = _extract(
        "Canada and Chile held their first Strategic Dialogue in Ottawa, a new ministerial format."
    )
    assert got == []


def test_a_described_relationship_is_no_instrument() -> None:
    assert _extract("Canada and Chile enjoy a close and strategic partnership.") == []
    # ... unless the sentence reports a step taken on it.
    got = _extract("Canada and Chile signed a comprehensive strategic partnership on Monday.")
    assert [a["parties"] for a in got] == [["CAN", "CHL"]]


def test_the_date_after_each_name_dates_that_agreement() -> None:
    got = _extract("Canada and Chile launched a Mining Partnership in 2022 and a Water Partnership in 2023.")
    dates = {a["name"]: (a["dates"], a["date_basis"]) for a in got}
    assert dates["Mining Partnership"] == ({"launched": "2022"}, {"launched": "text"})
    assert dates["Water Partnership"] == ({"launched": "2023"}, {"launched": "text"})


def test_publication_date_says_so() -> None:
    got = _extract("Canada and Chile signed the Pacific Fisheries Accord.")
    assert got[0]["dates"] == {"signed": "2025-05-01"} and got[0]["date_basis"] == {"signed": "published"}


def test_signing_events_actors_are_the_parties() -> None:
    text = "The two allies signed the Andes Water Treaty, which Peru had criticised."
    art = {
        "id": "x",
        "text": text,
        "published": "2025-05-01",
        "events": [
            {
                "start": 0,
                "end": len(text),
                "date": "2025-04-30",
                "aux": None,
                "trigger": "signed",
                "actors": ["CAN", "CHL"],
            }
        ],
    }
    got = extract_agreements(art, _mentions(text, NAMES))
    assert [a["parties"] for a in got] == [["CAN", "CHL"]]
    assert got[0]["date_basis"] == {"signed": "event"}


def test_an_undated_step_takes_the_date_of_the_sentence_before() -> None:
    text = (
        "Canada's minister travelled to Santiago in early March. "
        "There, Canada and Chile signed the Andes Water Treaty."
    )
    first_end = text.index(".") + 1
    events = [
        {
            "start": 0,
            "end": first_end,
            "date": "2025-03",
            "precision": "month",
            "aux": None,
            "trigger": "travelled",
        },
        {
            "start": first_end + 1,
            "end": len(text),
            "date": "2025-04-28",
            "precision": "week",
            "aux": None,
            "trigger": "signed",
            "actors": ["CAN", "CHL"],
        },
    ]
    got = _extract_with_events(text, events)
    assert got[0]["dates"] == {"signed": "2025-03"} and got[0]["date_basis"] == {"signed": "event"}
    # A new paragraph breaks the thread: the step is dated by the publication day, and says so.
    para = text.replace(". There,", ".\n\nThere,")
    events[1] = {**events[1], "start": first_end + 2, "end": len(para)}
    got = _extract_with_events(para, events)
    assert got[0]["dates"] == {"signed": "2025-05-01"} and got[0]["date_basis"] == {"signed": "published"}


def test_whom_a_statement_is_attributed_to_is_no_party() -> None:
    names = {
        "the EU": ("EU", "igo"),
        "China": ("CHN", "state"),
        "Iran": ("IRN", "state"),
        "Washington": ("USA", "state"),
    }
    for text in (
        "For the EU, China and Iran have signed a “strategic partnership” aimed at sanctions relief.",
        "According to Washington, China and Iran signed a security pact last month.",
    ):
        got = extract_agreements({"id": "x", "text": text, "published": "2025-05-01"}, _mentions(text, names))
        assert [a["parties"] for a in got] == [["CHN", "IRN"]], text


# ------------------------------------------------------------------ stages and relative dates
def test_one_stage_list_serves_the_registry_the_api_and_the_watch_rules() -> None:
    from legation.api.routes import AGREEMENT_STATUSES
    from legation.crossdoc.agreements import STAGES as REGISTRY
    from legation.extract.lifecycle import STAGES, STATUSES, stages_payload
    from legation.watch.rules import STATUSES as WATCH

    assert REGISTRY == STAGES and AGREEMENT_STATUSES == WATCH == STATUSES == (*STAGES, "mentioned")
    assert "in_force" in STAGES and STAGES.index("signed") < STAGES.index("ratified") < STAGES.index(
        "in_force"
    )
    assert {"key": "in_force", "label": "in force"} in stages_payload()


def test_a_stages_file_with_a_bad_cue_is_refused_naming_it() -> None:
    from legation.datafile import DataFileError
    from legation.extract.lifecycle import parse_stages

    with pytest.raises(DataFileError, match="signed"):
        parse_stages("stages:\n  - key: signed\n    cues: ['sign(']\n", "x.yaml")
    with pytest.raises(DataFileError, match="distinct"):
        parse_stages("stages:\n  - {key: a, cues: [x]}\n  - {key: a, cues: [y]}\n", "x.yaml")


def test_relative_dates_resolve_against_the_dateline_and_say_their_precision() -> None:
    from datetime import date

    from legation.extract.agreement_dates import text_dates

    ref = date(2025, 1, 20)  # a Monday
    got = {
        d.value: d.precision for d in text_dates("signed last week, a day earlier, earlier this month", ref)
    }
    assert got == {"2025-01-13": "week", "2025-01-19": "day", "2025-01": "month"}
    assert [(d.value, d.precision) for d in text_dates("ratified last spring", date(2024, 11, 16))] == [
        ("2024", "season")
    ]


def _ext(text: str, names: dict[str, tuple[str, str]], published: str = "2025-01-20") -> list[dict[str, Any]]:
    return extract_agreements({"id": "x", "text": text, "published": published}, _mentions(text, names))


def test_each_instrument_of_a_sentence_gets_its_own_date_and_in_force_is_a_stage() -> None:
    names = {"Finland": ("FIN", "state"), "Norway": ("NOR", "state")}
    text = (
        "Finland and Norway launched a Digital Partnership in 2022 and a Green Partnership in 2023. "
        "The Finland-Norway Border Treaty, which came into force in October 2023, stays."
    )
    got = {m["name"]: m["dates"] for m in _ext(text, names)}
    assert got["Digital Partnership"] == {"launched": "2022"}
    assert got["Green Partnership"] == {"launched": "2023"}
    assert got["Finland-Norway Border Treaty"] == {"in_force": "2023-10"}


def test_a_step_cited_as_past_gets_no_publication_date_and_last_week_is_resolved() -> None:
    names = {"Chile": ("CHL", "state"), "Peru": ("PER", "state")}
    text = (
        "Chile and Peru signed a memorandum of understanding on border patrols last week. "
        "Critics fear the defence cooperation agreement recently signed by Chile and Peru."
    )
    got = _ext(text, names)
    memo = [m for m in got if m["name"].startswith("memorandum")]
    assert memo and memo[0]["dates"] == {"signed": "2025-01-13"}
    assert memo[0]["date_basis"] == {"signed": "text"} and memo[0]["date_precision"] == {"signed": "week"}
    recent = [m for m in got if m["name"] == "defence cooperation agreement"]
    assert recent and recent[0]["dates"] == {"signed": None}


def test_the_agreement_refers_back_to_the_instrument_named_before() -> None:
    names = {"Sweden": ("SWE", "state"), "United States": ("USA", "state")}
    text = (
        "Sweden and the United States debated the Defence Cooperation Agreement. "
        "Sweden and the United States signed the agreement in Washington in December 2023."
    )
    got = _ext(text, names)
    assert len({m["key"] for m in got}) == 1
    assert any(m["dates"] == {"signed": "2023-12"} for m in got)


# ---------------------------------------------------------------------- issue 16, second round
def test_relative_clause_names_the_signatories_not_the_bystanders() -> None:
    got = _extract(
        "Mexico will send 50 more officers to Brazil under a status of forces agreement that "
        "Canada and Chile signed last week in Ottawa."
    )
    assert [a["parties"] for a in got] == [["CAN", "CHL"]]
    got = _extract("Under the truce, which Canada and Chile accepted in March, Peru may send monitors.")
    assert [(a["kind"], a["parties"], a["dates"]) for a in got] == [
        ("ceasefire", ["CAN", "CHL"], {"agreed": "2025-03"})
    ]
    # A reduced relative with a named subject and "with X" after the verb.
    got = _extract("The pact differs from the treaty Canada signed with Chile in 2019, Peru said.")
    assert [(a["parties"], a["dates"]) for a in got] == [(["CAN", "CHL"], {"signed": "2019"})]


def test_an_indefinite_descriptive_name_before_a_relative_clause_is_an_instrument() -> None:
    got = _extract(
        "The brigade is governed by an intergovernmental agreement that Canada and Chile signed in 2023."
    )
    assert [(a["name"], a["parties"], a["dates"]) for a in got] == [
        ("intergovernmental agreement", ["CAN", "CHL"], {"signed": "2023"})
    ]


def test_an_unknown_body_named_like_an_instrument_is_no_party() -> None:
    text = "Canada's own Defence Cooperation Agreement with Chile came into force in 2024."
    body = {"text": "Defence Cooperation Agreement", "start": 15, "end": 44, "code": "CAN", "kind": "org"}
    ments = [*_mentions(text, NAMES), body]
    got = extract_agreements({"id": "x", "text": text, "published": "2025-05-01"}, ments)
    assert [(a["key"], a["dates"]) for a in got] == [
        ("CAN CHL | defence cooperation agreement", {"in_force": "2024"})
    ]


def test_words_after_a_definite_head_name_another_instrument() -> None:
    got = _extract(
        "Canada signed an agreement with Chile on Tuesday to lend it $2 billion. "
        "The loan is governed by the agreement on security co-operation that the two countries "
        "signed in Ottawa in January."
    )
    assert [(a["name"], a["parties"], a["dates"]) for a in got] == [
        ("agreement", ["CAN", "CHL"], {"signed": "2025-04-29"}),
        ("agreement on security co-operation", ["CAN", "CHL"], {"signed": "2025-01"}),
    ]
    # Words the instrument named last already has: a reference back.
    got = _extract(
        "Canada and Chile signed the Defence Cooperation Agreement in 2020. "
        "Chile and Canada ratified the agreement on defence cooperation in 2021."
    )
    assert len({a["key"] for a in got}) == 1 and got[1]["dates"] == {"ratified": "2021"}


def test_an_instrument_named_by_its_year() -> None:
    got = _extract("Canada and Chile still apply a 2016 agreement on fisheries, Peru said.")
    assert [(a["name"], a["dates"]) for a in got] == [("2016 agreement", {"signed": "2016"})]


def test_with_x_and_nobody_before_it_takes_the_party_the_article_is_about() -> None:
    text = (
        "Chile has widened its defence ties. Chile and Peru signed a coastguard memorandum in 2020. "
        "The oldest strand remains the Visiting Forces Agreement with Canada, signed in 1998."
    )
    got = _extract(text)
    vfa = next(a for a in got if a["name"] == "Visiting Forces Agreement")
    assert vfa["parties"] == ["CAN", "CHL"] and vfa["dates"] == {"signed": "1998"}
    # No party named twice: no subject to lean on, the sentence's actors stay.
    assert topic_party(_mentions("Chile and Peru met.", NAMES)) is None


def test_the_two_governments_of_a_relative_clause_are_the_articles_two() -> None:
    text = (
        "Chile sent 300 more soldiers to Peru on Monday. Chile and Peru have worked together "
        "since 2019. Peru's army operates under a status of forces agreement that the two "
        "governments signed in Lima in June 2022, Canada said."
    )
    got = _extract(text)
    assert [(a["parties"], a["dates"]) for a in got] == [(["CHL", "PER"], {"signed": "2022-06"})]


def test_a_year_right_after_a_name_no_verb_governs_dates_its_signing() -> None:
    got = _extract("It is Chile's fourth such pact, after the Defence Treaty with Canada in 1998.")
    assert [(a["parties"], a["dates"]) for a in got] == [(["CAN", "CHL"], {"signed": "1998"})]


def test_signatories_named_as_agents_of_a_passive_not_the_bystanders_before() -> None:
    text = "Peru and Mexico fear the defence cooperation agreement recently signed by Canada and Chile."
    got = _extract(text)
    assert [(a["parties"], a["dates"]) for a in got] == [(["CAN", "CHL"], {"signed": None})]
    # One agent is no signatory set: the sentence's other rules decide.
    got = _extract("Peru and Mexico praised the defence cooperation agreement signed by Canada last week.")
    assert got and got[0]["parties"] != ["CAN"]
