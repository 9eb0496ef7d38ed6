"""The paragraph-skipping parse: exact offsets, and nothing skipped that could matter."""

from __future__ import annotations

from typing import Any

from legation.models import Article
from legation.pipeline import Context, PipelineConfig

FILLER = (
    "the weather stayed mild and dry for most of the week, with light winds from the south "
    "and clear skies over the coast, and forecasters expected little change before the weekend."
)
TEXT = (
    "Russia and China signed a trade agreement in Beijing on Monday.\n\n"
    f"{FILLER.capitalize()}\n\n{FILLER.capitalize()}\n\n"
    "Macron said he would visit Berlin next week.\n"
)


def _stage(pipeline: Any) -> Any:
    return next(s for s in pipeline.stages if s.name == "actors")


def test_skips_only_paragraphs_without_trigger_actor_or_capital(pipeline: Any) -> None:
    parser = _stage(pipeline).parser
    assert parser.skippable(FILLER.capitalize())
    assert not parser.skippable("The ministers met in the capital.")  # trigger: met
    assert not parser.skippable("it was, he noted, a cold morning.")  # pronoun
    assert not parser.skippable("the weather in Kyiv stayed mild.")  # a capitalised name
    runs = parser.runs(TEXT)
    assert "".join(c for c, _ in runs) == TEXT
    assert [p for _, p in runs] == [True, False, True]


def test_partial_doc_keeps_offsets_mentions_and_events(pipeline: Any) -> None:
    doc = _stage(pipeline).parser(TEXT)
    assert doc.text == TEXT
    full = pipeline.nlp(TEXT)
    # People are what the resolver takes from NER; the filler's dates ("the weekend") are not
    # needed (event dates come from the event's own sentence, which is always parsed).
    assert [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"] == [
        (e.start_char, e.end_char) for e in full.ents if e.label_ == "PERSON"
    ]

    def run(parse_all: bool) -> tuple[list[Any], list[Any]]:
        old = pipeline.config
        pipeline.config = PipelineConfig(model=old.model, extra={**old.extra, "parse_all": parse_all})
        try:
            art = Article(id="t", source="t", input_key="t", text=TEXT, published="2024-06-03")
            ctx = Context()
            for s in pipeline.stages[1:]:  # all but cleaning: the text is given
                s(art, None, ctx)
            return [(m.start, m.end, m.code) for m in art.mentions], [(e.event, e.date) for e in art.events]
        finally:
            pipeline.config = old

    assert run(parse_all=False) == run(parse_all=True)
