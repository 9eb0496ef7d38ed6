"""Every actor kept: generic agents, unknown names, crowds, pronouns, short records.

The sentences are written for these tests. Each asserts one behaviour of the actor pass
(``legation.actors.generic``) or of the event roles that use it.
"""

from __future__ import annotations

from typing import Any

import pytest

from legation.models import Article, Event, Mention, RawDoc
from legation.pipeline import Context


def run(pipeline: Any, text: str, published: str | None = "2024-05-02") -> Article:
    article = Article(id="t", source="t", input_key="t", text=text, published=published)
    raw = RawDoc(source="t", fmt="text", content=text, input_key="t")
    ctx = Context()
    for name in ("actors", "events"):
        next(s for s in pipeline.stages if s.name == name)(article, raw, ctx)
    return article


def mention(article: Article, text: str) -> Mention:
    found = [m for m in article.mentions if m.text == text]
    assert found, [(m.text, m.code, m.sector) for m in article.mentions]
    return found[0]


def only(events: list[Event], etype: str) -> Event:
    same = [e for e in events if e.event == etype]
    assert same, [(e.event, e.rule) for e in events]
    return same[0]


def test_nationality_gives_generic_agent_its_state(pipeline: Any) -> None:
    a = run(pipeline, "Senegalese soldiers arrested four smugglers near the border on Tuesday.")
    m = mention(a, "Senegalese soldiers")
    assert (m.code, m.sector) == ("SEN", "MIL")
    ev = only(a.events, "COERCE")
    assert ev.actor[0].sector == "MIL" and ev.actor[0].code == "SEN"


def test_place_gives_generic_agent_its_state(pipeline: Any) -> None:
    a = run(pipeline, "Striking dock workers blocked the port of Mombasa on Monday to demand better pay.")
    agents = [m for m in a.mentions if m.sector == "LAB"]
    assert agents and agents[0].code == "KEN"


def test_plural_demonym_is_civilians_of_the_state(pipeline: Any) -> None:
    a = run(
        pipeline, "Thousands of Chileans marched through Valparaiso on Sunday against the pension reform."
    )
    m = mention(a, "Chileans")
    assert (m.code, m.sector) == ("CHL", "CVL")
    assert only(a.events, "PROTEST").actor[0].code == "CHL"


def test_unknown_organisation_is_still_an_actor(pipeline: Any) -> None:
    a = run(
        pipeline, "The Zorvath Liberation Council kidnapped two engineers in the north of Mali on Friday."
    )
    ev = only(a.events, "ASSAULT")
    assert ev.actor, "an unknown named group must stay the actor"
    assert "Zorvath" in ev.actor[0].text and ev.actor[0].code is None


def test_unknown_name_takes_the_code_of_its_apposition(pipeline: Any) -> None:
    a = run(
        pipeline,
        "Police detained Amara Kellow, the spokesman of the Kenyan opposition, in Nairobi on Monday.",
    )
    m = mention(a, "Amara Kellow")
    assert m.code == "KEN"


def test_crowd_protesting_is_coded_by_the_place(pipeline: Any) -> None:
    a = run(pipeline, "Several thousand people rallied in Yerevan on Saturday against the border deal.")
    ev = only(a.events, "PROTEST")
    assert ev.actor[0].code == "ARM" and ev.actor[0].sector == "CVL"


def test_instrument_subject_gives_way_to_who_launched_it(pipeline: Any) -> None:
    a = run(
        pipeline, "A rocket fired by Hezbollah hit a house in northern Israel on Sunday, wounding two people."
    )
    assert any(p.code == "LBN" for e in a.events if e.event == "ASSAULT" for p in e.actor)


def test_pronoun_takes_the_subject_of_an_earlier_clause(pipeline: Any) -> None:
    a = run(pipeline, "Although Hungary had backed the first package, it vetoed the new sanctions on Monday.")
    ev = only(a.events, "REJECT")
    assert [p.code for p in ev.actor] == ["HUN"]


def test_two_allies_are_the_last_two_actors(pipeline: Any) -> None:
    a = run(
        pipeline,
        "Japan and the Philippines held talks in Manila. The two allies signed a defence pact on Friday.",
    )
    signed = [e for e in a.events if e.event in ("SUPPORT", "AGREE", "COOPERATE") and "signed" in e.sentence]
    assert signed and {p.code for p in signed[0].actor} == {"JPN", "PHL"}


def test_missiles_fired_at_a_target_are_an_assault(pipeline: Any) -> None:
    a = run(pipeline, "Iran fired ballistic missiles at two air bases in Israel on Tuesday night.")
    ev = only(a.events, "ASSAULT")
    assert ev.mode == "heavy-weapons" and [p.code for p in ev.actor] == ["IRN"]
    assert not [e for e in a.events if e.event == "MOBILIZE"]


def test_missile_test_stays_mobilize(pipeline: Any) -> None:
    a = run(pipeline, "North Korea fired a short-range ballistic missile into the sea on Thursday.")
    assert only(a.events, "MOBILIZE").mode == "weapons"


def test_question_codes_nothing(pipeline: Any) -> None:
    a = run(pipeline, "Will Caracas really expel the observers before the vote?")
    assert not a.events


def test_habitual_statement_codes_nothing(pipeline: Any) -> None:
    a = run(pipeline, "Traffickers routinely bribe customs officers at the northern crossings.")
    assert not a.events


@pytest.mark.parametrize(
    "text",
    [
        "Police fire tear gas at marchers in Dakar 📹",
        "Ecuador declares state of emergency after prison riots #Ecuador https://t.co/x1Yz",
        "Tanks roll into the border town",
    ],
)
def test_short_record_is_never_refused(pipeline: Any, text: str) -> None:
    raw = RawDoc(source="r.jsonl", fmt="text", content=text, input_key="r.jsonl:1", record=True)
    article = pipeline.process(raw, "r")
    assert article.text.strip(), "a record's text is its body, however short"
    assert article.text.split()[0] == text.split()[0]


def test_short_record_headline_is_coded(pipeline: Any) -> None:
    text = "Chadian troops kill 20 rebels in clashes near Tibesti #Chad"
    raw = RawDoc(source="r.jsonl", fmt="text", content=text, input_key="r.jsonl:1", record=True)
    article = pipeline.process(raw, "r")
    ev = only(article.events, "ASSAULT")
    assert ev.actor[0].code == "TCD" and ev.rule.split("(")[0] in ("model", "both", "lexicon")


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        # An unknown name in apposition to a phrase that names its state acts for that state.
        (
            "Chile's mining commissioner, Carlos Ortega, said on Monday the mine would close.",
            "Carlos Ortega",
            "CHL",
        ),
        (
            "The Kenya Defence Forces spokesperson, Colonel Zipporah Kioko, said the unit had left.",
            "Zipporah Kioko",
            "KEN",
        ),
        # ... and a phrase that names none gives none.
        (
            "The local shop owner, Carlos Ortega, said on Monday the mine would close.",
            "Carlos Ortega",
            None,
        ),
    ],
)
def test_an_unknown_name_takes_the_state_of_its_apposition(
    pipeline: Any, text: str, name: str, code: str | None
) -> None:
    assert mention(run(pipeline, text), name).code == code


def _filed_from(pipeline: Any, place: str, body: str) -> Article:
    from legation.models import Dateline

    text = f"{place.upper()}, 16 October 2024 (Wire) – {body}"
    article = Article(id="t", source="t", input_key="t", text=text, published="2024-10-16")
    article.datelines = [Dateline(0, len(text), "2024-10-16", place, text[:40])]
    raw = RawDoc(source="t", fmt="text", content=text, input_key="t")
    next(s for s in pipeline.stages if s.name == "actors")(article, raw, Context())
    return article


@pytest.mark.parametrize(
    ("body", "name", "code", "sector"),
    [
        # An unqualified national title in an item filed from a capital: that state's office.
        (
            "Defence Minister Carlos Ortega told parliament on Tuesday that the unit had left.",
            "Carlos Ortega",
            "MOZ",
            "MIL",
        ),
        (
            "President Carlos Ortega said on Tuesday that the talks would resume.",
            "Carlos Ortega",
            "MOZ",
            "GOV",
        ),
        # A spokesman may speak for anyone; a foreign minister is named with his state.
        ("Army spokesman Carlos Ortega said on Tuesday that the unit had left.", "Carlos Ortega", None, None),
        (
            "Chilean Defence Minister Carlos Ortega said on Tuesday that the unit had left.",
            "Carlos Ortega",
            "CHL",
            "MIL",
        ),
    ],
)
def test_an_unqualified_national_title_takes_the_dateline_state(
    pipeline: Any, body: str, name: str, code: str | None, sector: str | None
) -> None:
    m = mention(_filed_from(pipeline, "Maputo", body), name)
    assert (m.code, m.sector) == (code, sector)
