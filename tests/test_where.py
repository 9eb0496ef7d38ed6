"""Places of events (``legation.events.where``) on sentences written for these tests, and the
linear-time helpers behind them: a long sentence with many locative phrases was quadratic."""

from __future__ import annotations

from typing import Any

import pytest

from legation.events import where
from test_generic_actors import run

TEXTS = [
    "Russian forces shelled Kharkiv and the Kursk region on Monday, officials in South Korea said.",
    "The United Nations Security Council met in New York as protesters gathered outside the "
    "European Parliament in Strasbourg.",
    "Troops of the Democratic Republic of the Congo clashed with M23 rebels near Goma.",
]


@pytest.mark.parametrize("text", TEXTS)
def test_entity_at_is_the_entity_covering_the_token(pipeline: Any, text: str) -> None:
    doc = pipeline.nlp(text)
    assert doc.ents, "the sentence must hold entities for the test to mean anything"
    for t in doc:
        ent = next((e for e in doc.ents if e.start <= t.i < e.end), None)
        got = where._entity_at(t)
        want = (ent.start, ent.end) if ent is not None else None
        assert ((got.start, got.end) if got is not None else None) == want, t.text


def test_most_specific_place_of_a_locative_phrase(pipeline: Any) -> None:
    doc = pipeline.nlp("Ukrainian troops advanced in Russia's Kursk region on Tuesday.")
    loc = where.event_location(next(iter(doc.sents)))
    assert loc is not None and loc["country"] == "RUS" and loc["name"].startswith("Kursk")


def test_generic_agents_take_the_place_of_their_own_sentence(pipeline: Any) -> None:
    # The sentence's place is kept between the agents of one sentence and never leaks into
    # the next sentence (one cache entry a sentence).
    a = run(
        pipeline,
        "Police in Kenya arrested protesters and soldiers detained students in Nairobi. "
        "In Ghana, police arrested traders and soldiers dispersed crowds in Accra.",
    )
    cut = a.text.index("In Ghana")
    codes = {(m.text, m.start < cut): m.code for m in a.mentions if m.rule.startswith("generic")}
    assert len(codes) == 4, codes
    assert {c for (_, early), c in codes.items() if early} == {"KEN"}, codes
    assert {c for (_, early), c in codes.items() if not early} == {"GHA"}, codes


@pytest.mark.parametrize(
    ("text", "not_parties"),
    [
        # A place between states names no party (the visit's host is where the place lies:
        # the gazetteer puts the DMZ in South Korea).
        ("Josep Borrell travelled to the Demilitarised Zone between South and North Korea.", {"PRK"}),
        ("Josep Borrell travelled to the border between Poland and Belarus.", {"POL", "BLR"}),
        # ... while talks between two states still name both.
        ("Josep Borrell held talks between the European Union and Japan.", None),
    ],
)
def test_states_after_a_place_between_them_are_no_parties(
    pipeline: Any, text: str, not_parties: set[str] | None
) -> None:
    from test_decide import code

    events = code(pipeline, text).events
    assert [e.event for e in events] == ["CONSULT"]
    parties = {p.code for p in events[0].actor + events[0].recipient}
    if not_parties is None:
        assert {"EU", "JPN"} <= parties
    else:
        assert "EU" in parties and not parties & not_parties, parties
    assert where.between_nouns() >= {"zone", "border"}


def test_a_month_is_no_place(pipeline: Any) -> None:
    # The gazetteer holds March (Cambridgeshire); "in March" is a date, so the protesters of a
    # Syrian report stay Syrian and the clash has no British place.
    text = "Syria said protesters clashed with police in the capital in March, and 40 were arrested."
    art = run(pipeline, text)
    assert {m.code for m in art.mentions if m.text in ("protesters", "police")} == {"SYR"}
    assert all((e.location or {}).get("country") != "GBR" for e in art.events)
    assert where.gazetteer().lookup("March") is not None  # still a town when named as one
