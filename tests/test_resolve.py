"""Unit tests of actor resolution in context, one or more synthetic sentences per rule.

Texts are invented (no seed page is recognised): each checks one rule and, where a rule could
over-reach, a negative case that must stay unresolved.
"""

from __future__ import annotations

from typing import Any

import pytest

from actor_helpers import resolve_text, resolved
from legation.models import Mention


def _find(mentions: list[Mention], text: str, nth: int = 1) -> Mention | None:
    hits = [m for m in mentions if m.text == text]
    return hits[nth - 1] if len(hits) >= nth else None


def _code(
    pipeline: Any, text: str, surface: str, published: str | None = "2024-06-01", **kw: Any
) -> str | None:
    m = _find(resolve_text(pipeline, text, published, **kw), surface)
    return m.code if m else None


# ---------------------------------------------------------------- dictionary, dates, roles
def test_person_resolves_to_role_on_the_date(pipeline: Any) -> None:
    text = "Mark Rutte said the talks were useful."
    assert _code(pipeline, text, "Mark Rutte", "2024-06-01") == "NLD"
    assert _code(pipeline, text, "Mark Rutte", "2024-11-01") == "NATO"


def test_dateline_date_beats_published(pipeline: Any) -> None:
    text = "Mark Rutte spoke.\n\nMark Rutte spoke again."
    lines = [
        {"start": 0, "end": 18, "date": "2024-05-01"},
        {"start": 19, "end": len(text), "date": "2024-11-01"},
    ]
    ms = resolve_text(pipeline, text, "2024-11-20", datelines=lines)
    assert [m.code for m in ms if m.kind == "person"] == ["NLD", "NATO"]


def test_undated_text_uses_the_office_holders_window(pipeline: Any) -> None:
    text = (
        "Foreign Minister Park Jin met Defence Minister Lee Jong-sup. Later Mark Rutte, the Dutch "
        "prime minister, called."
    )
    assert _code(pipeline, text, "Mark Rutte", None) == "NLD"


def test_reduced_published_year(pipeline: Any) -> None:
    assert _code(pipeline, "Antony Blinken spoke.", "Antony Blinken", "2023") == "USA"


def test_former_office_holder_falls_back_to_nationality(pipeline: Any) -> None:
    m = _find(resolve_text(pipeline, "Ban Ki-moon attended the forum.", "2024-06-01"), "Ban Ki-moon")
    assert m is not None and (m.code, m.sector) == ("KOR", "ELI")


# ---------------------------------------------------------------- titles and appositions
def test_title_resolves_unknown_person(pipeline: Any) -> None:
    ms = resolve_text(pipeline, "NATO Secretary General Jane Doeling met reporters.", "2024-06-01")
    m = _find(ms, "Jane Doeling")
    assert m is not None and m.code == "NATO" and m.rule == "title" and m.actor_id is None
    assert _code(pipeline, "South Korean Foreign Minister Min-ho Parkson spoke.", "Min-ho Parkson") == "KOR"
    assert _code(pipeline, "EU foreign policy chief Joan Exampler spoke.", "Joan Exampler") == "EU"


def test_apposition_and_former(pipeline: Any) -> None:
    m = _find(
        resolve_text(pipeline, "John Exampleton, the former Estonian prime minister, spoke.", "2024-06-01"),
        "John Exampleton",
    )
    assert m is not None and (m.code, m.sector, m.role) == ("EST", "ELI", None)
    text = "Josep Borrell, the EU's high representative, spoke."
    assert _code(pipeline, text, "Josep Borrell") == "EU"


def test_succession(pipeline: Any) -> None:
    text = (
        "Josep Borrell, the EU's high representative, spoke. He will be succeeded by Kaja Kallas, "
        "the former Estonian prime minister."
    )
    assert _code(pipeline, text, "Kaja Kallas", "2024-09-01") == "EU"


def test_unknown_name_without_title_stays_unresolved(pipeline: Any) -> None:
    ms = resolve_text(pipeline, "Analyst Miguel Exampleiro said the war would go on.", "2024-06-01")
    assert not [m for m in resolved(ms) if m.kind == "person"]
    # ... but the name is still an actor: an unknown person, with no code.
    people = [(m.text, m.code, m.rule) for m in ms if m.kind == "person"]
    assert people == [("Miguel Exampleiro", None, "unknown")]


# ---------------------------------------------------------------- fuzzy
def test_misspelling_confirmed_by_title_and_country(pipeline: Any) -> None:
    text = "My first stop was Tokyo, where I met Defence Minister Gen Natakani."
    m = _find(resolve_text(pipeline, text, "2024-11-10"), "Gen Natakani")
    assert m is not None and (m.code, m.name, m.rule) == ("JPN", "Gen Nakatani", "fuzzy")


@pytest.mark.parametrize(
    "text",
    [
        "Defence Minister Gen Natakani spoke.",  # no state anywhere
        "Gen Natakani spoke in Tokyo.",  # no title
        "In Seoul, Defence Minister Gen Natakani spoke.",  # the title's state disagrees
    ],
)
def test_misspelling_without_confirmation_stays_unresolved(pipeline: Any, text: str) -> None:
    assert _find(resolved(resolve_text(pipeline, text, "2024-11-10")), "Gen Natakani") is None


# ---------------------------------------------------------------- coreference
def test_surname_and_short_forms(pipeline: Any) -> None:
    text = "Kim Jong Un met Vladimir Putin. Putin later invited Kim to Moscow."
    ms = resolve_text(pipeline, text, "2024-06-20")
    assert _find(ms, "Kim") is not None and _find(ms, "Kim").code == "PRK"  # type: ignore[union-attr]
    putin = _find(ms, "Putin")
    assert putin is not None and putin.actor_id == "vladimir-putin"


def test_the_president_only_when_unambiguous(pipeline: Any) -> None:
    text = "President Emmanuel Macron spoke. The president said more."
    assert _code(pipeline, text, "The president") == "FRA"
    text = "President Emmanuel Macron met President Yoon Suk Yeol. The president said more."
    assert _code(pipeline, text, "The president") is None


def test_the_two_presidents(pipeline: Any) -> None:
    text = "President Emmanuel Macron met President Yoon Suk Yeol. The two Presidents agreed."
    ms = [m for m in resolve_text(pipeline, text, "2024-06-01") if m.text == "The two Presidents"]
    assert sorted(m.code or "" for m in ms) == ["FRA", "KOR"]


def test_the_alliance_needs_nato_in_the_text(pipeline: Any) -> None:
    assert _code(pipeline, "NATO met. The Alliance agreed.", "The Alliance") == "NATO"
    assert _code(pipeline, "Ministers met. The Alliance agreed.", "The Alliance") is None
    # Lower case: a description referring back to the organisation named before.
    assert _code(pipeline, "NATO met. The alliance agreed.", "The alliance") == "NATO"
    assert _code(pipeline, "Ministers met. The alliance agreed.", "The alliance") is None


def test_the_bloc_and_the_agency_refer_back(pipeline: Any) -> None:
    text = "ASEAN ministers met in Vientiane. The bloc urged restraint."
    assert _code(pipeline, text, "The bloc") == "ASEAN"
    text = "Rafael Grossi visited the plant. The agency said experts would stay."
    assert _code(pipeline, text, "The agency", "2022-09-01") == "IAEA"


def test_subject_pronoun_only_with_one_candidate(pipeline: Any) -> None:
    text = "Ursula von der Leyen arrived in Kyiv. She announced new aid."
    assert _code(pipeline, text, "She", "2025-02-24") == "EU"
    text = "Ursula von der Leyen met Volodymyr Zelensky. She announced new aid."
    assert _code(pipeline, text, "She", "2025-02-24") is None


def test_first_person_in_signed_op_ed(pipeline: Any) -> None:
    text = 'I travelled to Tokyo. We signed a partnership. Our aims are clear. "We will resist," they said.'
    ms = resolve_text(pipeline, text, "2024-11-10", author=["Josep Borrell"])
    i = _find(ms, "I")
    assert i is not None and (i.name, i.code, i.rule) == ("Josep Borrell", "EU", "first-person")
    we = _find(ms, "We")
    assert we is not None and (we.code, we.kind) == ("EU", "igo")
    assert _find(ms, "We", 2) is None  # inside a quotation: somebody else speaking


def test_first_person_without_author_is_not_resolved(pipeline: Any) -> None:
    assert _find(resolve_text(pipeline, "I travelled to Tokyo.", "2024-11-10"), "I") is None


# ---------------------------------------------------------------- metonyms, demonyms, institutions
def test_capital_acts_only_as_subject_or_possessive(pipeline: Any) -> None:
    ms = resolve_text(pipeline, "Officials met in Seoul. Seoul said it would respond.", "2024-06-01")
    seoul = [m for m in ms if m.text == "Seoul"]
    assert len(seoul) == 1 and seoul[0].start > 20 and seoul[0].code == "KOR"
    assert _code(pipeline, "Seoul's position is clear.", "Seoul") == "KOR"
    assert (
        _find(resolve_text(pipeline, "Vladimir Putin visited Pyongyang.", "2024-06-20"), "Pyongyang") is None
    )
    assert _code(pipeline, "Concerns were raised by Washington and Seoul.", "Seoul") == "KOR"


def test_seats_of_government(pipeline: Any) -> None:
    text = "The Kremlin denied it. The Pentagon said more. Officials met at the Kremlin."
    ms = resolved(resolve_text(pipeline, text, "2024-06-01"))
    assert [(m.code, m.sector) for m in ms] == [("RUS", "GOV"), ("USA", "MIL")]


def test_demonyms_with_sector(pipeline: Any) -> None:
    ms = resolve_text(pipeline, "North Korean soldiers crossed. South Korean leaders objected.", "2024-06-01")
    assert [(m.text, m.code, m.sector) for m in ms] == [
        ("North Korean soldiers", "PRK", "MIL"),
        ("South Korean leaders", "KOR", "GOV"),
    ]
    assert (
        _find(resolve_text(pipeline, "Tension on the Korean peninsula rose.", "2024-06-01"), "Korean") is None
    )


def test_institutions(pipeline: Any) -> None:
    text = "The National Intelligence Service said so. The Korean presidential office agreed."
    ms = resolved(resolve_text(pipeline, text, "2024-06-01"))
    assert [(m.code, m.sector) for m in ms] == [("KOR", "SPY"), ("KOR", "GOV")]
    ms = resolve_text(pipeline, "Ukraine's defence intelligence said so.", "2024-06-01")
    assert [(m.code, m.sector) for m in ms] == [("UKR", "SPY")]
    # A generic body with no state in the phrase or the sentences around it stays unresolved.
    assert [m.code for m in resolve_text(pipeline, "The defence ministry said so.", "2024-06-01")] == [None]


def test_acronyms_are_case_sensitive(pipeline: Any) -> None:
    ms = resolve_text(pipeline, "Tell us who is there. The US and WHO agreed.", "2024-06-01")
    assert [m.code for m in ms] == ["USA", "WHO"]


def test_stage_leaves_the_parse_on_the_context(pipeline: Any) -> None:
    from legation.models import Article, RawDoc
    from legation.pipeline import Context

    stage = next(s for s in pipeline.stages if s.name == "actors")
    ctx = Context()
    article = Article(id="x", source="x", input_key="x", text="NATO met.")
    stage(article, RawDoc(source="x", fmt="text", content="NATO met.", input_key="x"), ctx)
    assert ctx.doc is not None and ctx.doc.text == "NATO met."


def test_institution_context_flag_is_honoured(pipeline: Any) -> None:
    # institutions.yaml marks the interior ministry `context: true`: the sentence's one state.
    ms = resolved(
        resolve_text(
            pipeline, "Protests spread across Kenya, and the interior ministry said so.", "2024-06-01"
        )
    )
    assert [(m.text, m.code) for m in ms if "ministry" in m.text] == [("interior ministry", "KEN")]
