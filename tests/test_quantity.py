"""Quantities: normalised values, units, qualifiers and spans."""

from __future__ import annotations

from typing import Any

import pytest

from legation.events.quantity import event_quantity, quantities, shared_currency


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("The fund received $1.5 billion last year.", 1.5e9, "USD", None),
        ("Brussels added €50m for demining.", 5e7, "EUR", None),
        ("Seoul set aside 10 trillion won for the plan.", 1e13, "KRW", None),
        ("Officials said at least 40 people were killed in the raid.", 40, "killed", "at least"),
        ("Up to 2,500 troops will rotate through the base.", 2500, "soldiers", "up to"),
        ("Some 12,000 residents were displaced by the shelling.", 12000, "displaced", "approximately"),
        ("The convoy delivered over 30 tanks.", 30, "tanks", "over"),
    ],
)
def test_units_and_qualifiers(text: str, value: float, unit: str, qualifier: str | None) -> None:
    found = quantities(text)
    assert found, text
    q = found[0]
    assert q["value"] == pytest.approx(value) and q["unit"] == unit and q["qualifier"] == qualifier
    assert text[q["start"] : q["end"]] == q["text"]


def test_years_and_bare_numbers_are_not_quantities() -> None:
    assert quantities("In 2023 the 3 ministers met in room 12.") == []


def test_designations_are_not_counts() -> None:
    # "F-16 jets" names a model; the count is the number before it, if any.
    assert quantities("Its F-16 jets struck the depot and S-400 batteries fired back.") == []
    got = [(q["value"], q["unit"]) for q in quantities("Kyiv received 24 F-16 jets and 31 T-72 tanks.")]
    assert got == [(24.0, "jets"), (31.0, "tanks")]
    # A maker's model number and a variant after a hyphen are models too.
    assert quantities("The Boeing 737 jets and the A350-900 jets were grounded.") == []
    got = [
        (q["value"], q["unit"])
        for q in quantities("It ordered 30 Boeing 787 jets and 50 Airbus A350-900 jets.")
    ]
    assert got == [(30.0, "jets"), (50.0, "jets")]


def test_follow_on_figure_takes_previous_unit() -> None:
    found = quantities("Roughly 6,000 Belarusian troops crossed, with 2,000 held in reserve and 900 others.")
    assert [(q["value"], q["unit"]) for q in found] == [
        (6000, "soldiers"),
        (2000, "soldiers"),
        (900, "soldiers"),
    ]


def test_event_quantity_uses_text_of_span_like_object() -> None:
    class Span:
        text = "The ministry pledged more than $200 million in aid."

    q = event_quantity(Span())
    assert q is not None and q["value"] == 2e8 and q["qualifier"] == "more than" and q["unit"] == "USD"
    assert event_quantity("No figure here.") is None


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("About 63,000 people have fled to neighbouring Chad since May.", 63000, "displaced"),
        ("The gunmen stormed the market, killing 18 villagers.", 18, "killed"),
        ("At least 238 members of the group were also killed in the strikes.", 238, "killed"),
        ("More than 1,800 Indonesians have been wounded, officials said.", 1800, "wounded"),
        ("Nearly 500 civilians were injured in the shelling.", 500, "wounded"),
        ("At least 30 Rwandan soldiers have died over the same period.", 30, "killed"),
        ("The ambush killed 12 soldiers near the border.", 12, "killed"),
        ("Roughly 1,600 peacekeepers serve with the mission.", 1600, "soldiers"),
    ],
)
def test_people_count_by_what_their_verb_says(text: str, value: float, unit: str) -> None:
    # People named by who they are ("villagers", "Indonesians") are counted only when the verb
    # of their clause says killed, wounded or displaced; soldiers who died are losses, not a force.
    got = [(q["value"], q["unit"]) for q in quantities(text)]
    assert got[:1] == [(value, unit)], text


@pytest.mark.parametrize(
    "text",
    [
        "Some 300 people attended the rally in the capital.",
        "Police arrested 40 protesters outside parliament.",
        "The ministry said 2,000 residents had signed the petition.",
        "About 150 delegates from 30 countries met in Vienna.",
    ],
)
def test_people_without_a_casualty_verb_are_not_counted(text: str) -> None:
    assert quantities(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # The measure named before the figure gives its unit.
        ("The agency put the overall death toll at more than 2,100.", [(2100, "killed")]),
        ("Officials put the number of displaced people in the region at 45,000.", [(45000, "displaced")]),
        (
            "Chad sent 300 more troops, bringing its contingent there to about 1,400.",
            [(300, "soldiers"), (1400, "soldiers")],
        ),
        # Follow-on figures after a qualifier or "among them", "up from" take the unit before.
        (
            "Some 9,000 troops joined, including about 6,500 Americans.",
            [(9000, "soldiers"), (6500, "soldiers")],
        ),
        ("At least 85 people were killed, among them 12 children.", [(85, "killed"), (12, "killed")]),
        (
            "It puts the number of refugees at 2.1 million, up from 1.6 million in May.",
            [(2.1e6, "displaced"), (1.6e6, "displaced")],
        ),
        # Currencies named after the figure.
        ("The contract is worth 120 billion rupees.", [(1.2e11, "INR")]),
        ("Warsaw will spend 10 billion zlotys on the shield.", [(1e10, "PLN")]),
        # No measure, no unit.
        ("The committee put the vote at 14.", []),
        ("The bank raised its forecast to 3 percent.", []),
    ],
)
def test_units_named_before_the_figure(text: str, want: list[tuple[float, str]]) -> None:
    assert [(q["value"], q["unit"]) for q in quantities(text)] == [(pytest.approx(v), u) for v, u in want]


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Wellington commits NZ$12 billion over four years.", "NZD"),
        ("Ottawa has sent C$3.02 billion to Kyiv.", "CAD"),
        ("Canberra pledged A$50 million more.", "AUD"),
        ("The budget sets aside 165 trillion rupiah.", "IDR"),
        ("The loan of 1.2 billion Canadian dollars was approved.", "CAD"),
        ("Washington gave US$400 million.", "USD"),
        ("It costs $5 million.", "USD"),
    ],
)
def test_currencies_of_many_states(text: str, unit: str) -> None:
    found = quantities(text)
    assert [q["unit"] for q in found] == [unit], text


def test_a_letter_before_a_symbol_is_not_a_country_prefix() -> None:
    # "S$" is the Singapore dollar, but not the tail of an unknown "XS$" prefix.
    assert [q["unit"] for q in quantities("It paid XS$5 million.")] == []


def test_a_currency_name_several_states_use_waits_for_the_state() -> None:
    q = quantities("Oslo will give 85 billion crowns in aid.")[0]
    assert (q["unit"], q["currency_word"]) == ("crowns", "crowns")
    assert shared_currency("crowns", ["NOR"]) == "NOK"
    assert shared_currency("crowns", ["XXX", "SWE"]) == "SEK"
    assert shared_currency("rupees", ["XXX"]) == "INR"  # the default when no state uses it


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("15 soldiers and 14 civilians had been killed on the border.", ["forces", None]),
        ("238 members of the security forces were also killed.", ["forces"]),
        ("Troops stormed the train, killing all 33 militants involved.", ["militants"]),
        ("The fighting has killed at least 180 people since March.", [None]),
        ("The clashes killed 30 soldiers and 12 more were wounded.", ["forces", "forces"]),
    ],
)
def test_victims_of_a_casualty_figure(text: str, want: list[str | None]) -> None:
    assert [q.get("victims") for q in quantities(text)] == want, text


def test_units_file_is_checked(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from legation.datafile import DataFileError
    from legation.events import quantity

    class _Files:
        def joinpath(self, *parts: str) -> Any:
            return tmp_path / "units.yaml"

    (tmp_path / "units.yaml").write_text("symbols: {}\nwords: {dollars: USD}\nby_state: {}\nvictims: {}\n")
    monkeypatch.setattr(quantity.resources, "files", lambda _pkg: _Files())
    with pytest.raises(DataFileError, match=r"units\.yaml: symbols"):
        quantity._load_units()


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        # people a state hosts or an agency registered are refugees
        ("Jordan now shelters about 1.3 million Iraqis in three camps.", 1.3e6, "displaced"),
        ("The agency registered some 64,000 Eritreans who arrived since May.", 64000, "displaced"),
        # people who fled or arrived, with a lower-case modifier before them
        ("About 90,000 ethnic Georgians fled the valley in June.", 90000, "displaced"),
        ("Nearly 7,000 Malians who arrived in Mauritania were counted.", 7000, "displaced"),
        # a part of a group the figure names after it
        ("Officials said 3,000 of the new arrivals were elderly.", 3000, "displaced"),
    ],
)
def test_refugees_and_arrivals_with_no_displacement_verb(text: str, value: float, unit: str) -> None:
    q = quantities(text)[0]
    assert (q["value"], q["unit"]) == (pytest.approx(value), unit), text


def test_a_bare_follow_on_figure_counts_what_the_figure_before_it_counted() -> None:
    # "a further N to cross": the unit of the article's figure before it, and marked so the
    # claim takes that figure's actor; with no cue a bare figure is still nothing.
    q = quantities(
        "The ministry expects a further 9,000 to cross by June.", earlier=("displaced", "displaced")
    )
    assert [(x["value"], x["unit"], x.get("follow_on")) for x in q] == [(9000, "displaced", True)]
    q = quantities("The agency has registered about 41,000.", earlier=("displaced", "displaced"))
    assert [(x["value"], x["unit"]) for x in q] == [(41000, "displaced")]
    assert quantities("The ministry expects a further 9,000 to cross by June.") == []
    assert quantities("The hall seats 9,000.", earlier=("displaced", "displaced")) == []


def test_police_sent_abroad_are_a_force_and_police_killed_are_forces_dead() -> None:
    got = [
        (q["value"], q["unit"])
        for q in quantities("Ghana will send a further 300 police officers to Liberia.")
    ]
    assert got == [(300, "soldiers")]
    # the villagers in words are a figure of their own, the toll (no victim class)
    got_v = [
        (q["value"], q["unit"], q["victims"])
        for q in quantities("Eleven villagers and 7 policemen were killed in the ambush.")
    ]
    assert got_v == [(11, "killed", None), (7, "killed", "forces")]


def _vu(text: str) -> list[tuple[float, str]]:
    return [(q["value"], q["unit"]) for q in quantities(text)]


def test_numbers_in_words_are_figures_of_their_noun_or_people() -> None:
    # invented sentences
    assert _vu("A roadside bomb killed three Malian soldiers near Gao.") == [(3, "killed")]
    assert _vu("Seven villagers were shot and killed at the market.") == [(7, "killed")]
    assert _vu("Twelve thousand Chadian troops took part in the drill.") == [(12000, "soldiers")]
    assert _vu("The navy ordered twenty-four patrol drones.") == [(24, "drones")]
    assert _vu("The governor sent up to a thousand reservist troops north.") == [(1000, "soldiers")]
    # no count: "no one", a group it is part of, a proportion, rounds of talks
    assert _vu("No one was killed when the shell hit the depot.") == []
    assert _vu("One of the soldiers was killed in the raid.") == []
    assert _vu("Three in every ten residents were evacuated.") == []
    assert _vu("The two sides held six rounds of talks in Doha.") == []


def test_a_figure_words_end_at_a_conjunction_or_preposition() -> None:
    # invented: the noun after "and injured" is not the first figure's unit
    assert _vu("The blast killed 9 pilgrims and injured 41 at the shrine.") == [
        (9, "killed"),
        (41, "wounded"),
    ]
    assert _vu("The fleet has 12 frigates including the tanker , 40 aircraft.") == [(40, "aircraft")]
    # ... but "and" before a number in words joins two figures of one noun
    assert _vu("The order covers 30 single-engine and six twin-engine jets.") == [(30, "jets"), (6, "jets")]


def test_bare_casualty_figures_and_the_killing_named_as_a_noun() -> None:
    # invented sentences
    assert _vu("At least 85 have died in the camp since the outbreak.") == [(85, "killed")]
    assert _vu("Crowds mourned the massacre of 31 farmers in the valley.") == [(31, "killed")]
    assert _vu("Four people, among them two guards, were murdered at the depot.")[0] == (4, "killed")


def test_both_bounds_of_a_range_take_the_upper_bounds_unit() -> None:
    # invented sentences
    got = quantities("The strike killed an estimated 40 to 90 people in the suburb.")
    assert [(q["value"], q["unit"]) for q in got] == [(40, "killed"), (90, "killed")]
    got = quantities("Analysts counted between 2,000 and 2,500 Eritrean soldiers in the region.")
    assert [(q["value"], q["unit"]) for q in got] == [(2000, "soldiers"), (2500, "soldiers")]
    assert "Eritrean soldiers" in got[0]["text"]  # the lower bound is about whom the upper one is


def test_places_and_model_variants_are_no_counts() -> None:
    got = quantities("At least 40 protesters in 12 towns have been killed, rights groups said.")
    assert [(q["value"], q["unit"]) for q in got] == [(40.0, "killed")]  # the 12 counts towns
    got = quantities("The carrier grounded roughly 300 737 Max jets and bought 20 A321-200 jets.")
    assert [(q["value"], q["unit"]) for q in got] == [(300.0, "jets"), (20.0, "jets")]
    assert quantities("It flies the 787-9 Dreamliner jets on long routes.") == []
    # A range with a larger upper bound stays a range.
    assert [q["value"] for q in quantities("Between 50-70 people were killed.")] == [50.0]


def test_a_number_in_words_before_a_hyphen_and_digits_is_read_not_a_crash() -> None:
    # The variant check compares numbers, so a number in words ("four-2") must not be parsed as
    # digits: this raised ValueError and lost the article's figures.
    assert isinstance(quantities("The vote went four-2 and twenty-3 soldiers were sent."), list)
