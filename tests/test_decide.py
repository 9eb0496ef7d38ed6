"""How the classifier and the lexicon decide together (``legation.events.decide``)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from legation.events import decide
from legation.events.types import TypeRules
from legation.models import Article, RawDoc
from legation.pipeline import Context


def code(pipeline: Any, text: str) -> Article:
    article = Article(id="d", source="d", input_key="d", text=text, published="2024-03-01")
    raw = RawDoc(source="d", fmt="text", content=text, input_key="d")
    ctx = Context()
    for name in ("actors", "events"):
        next(s for s in pipeline.stages if s.name == name)(article, raw, ctx)
    return article


def test_policy_depends_on_the_length_of_the_text() -> None:
    assert decide.policy_for(1) is decide.SHORT_POLICY
    assert decide.policy_for(decide.SHORT_MAX_SENTENCES + 1) is decide.LONG_POLICY
    # An article trusts the classifier alone less than a short record does.
    assert decide.LONG_POLICY.model_alone_min > decide.SHORT_POLICY.model_alone_min
    assert decide.LONG_POLICY.actorless_min > 1.0 >= decide.SHORT_POLICY.actorless_min


def test_rule_names_the_part_and_the_score(pipeline: Any) -> None:
    a = code(pipeline, "Ghanaian police arrested twelve opposition activists in Accra on Tuesday.")
    assert a.events
    for ev in a.events:
        assert re.fullmatch(r"(model|both|lexicon)\(\d\.\d\d\):\w+:[\w+-]+", ev.rule), ev.rule
        assert 0.0 <= ev.confidence <= 1.0


def test_classifier_finds_what_the_lexicon_lacks(pipeline: Any) -> None:
    # No lexicon trigger for "torched"; the classifier reads the attack off the sentence.
    a = code(pipeline, "Rioters torched three police stations in the northern city of Kano on Sunday.")
    assert any(e.event in ("ASSAULT", "PROTEST") and e.rule.startswith("model") for e in a.events), [
        (e.event, e.rule) for e in a.events
    ]


def test_without_the_classifier_the_lexicon_alone_codes(
    pipeline: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(pipeline.config.extra, "event_model", False)
    a = code(pipeline, "Ghanaian police arrested twelve opposition activists in Accra on Tuesday.")
    assert [e.event for e in a.events] == ["COERCE"]


def test_mode_cues_are_data() -> None:
    rules = TypeRules.load()
    assert rules["ASSAULT"].mode_cues["tear gas"] == "crowd-control"
    assert rules["PROTEST"].mode_cues["roadblock"] == "obstruct"
    with pytest.raises(ValueError, match="mode_cues"):
        TypeRules.from_text(
            "types:\n"
            + "".join(f"  {t}: {{quad: 1}}\n" for t in TypeRules.load().rules if t != "AGREE")
            + "  AGREE: {quad: 1, mode_cues: [x]}\n"
        )
