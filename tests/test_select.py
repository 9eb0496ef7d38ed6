"""The select stage: which sentences of a long article get the full spaCy pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from legation.models import Article
from legation.pipeline import Context, PipelineConfig
from legation.select import covered, load_cues, merge, sentence_spans

FILLER = (
    "The weather stayed mild and dry for most of the week. Forecasters expected little change "
    "before the weekend, with clear skies over the coast."
)
LONG = (
    "Russia and China signed a trade agreement in Beijing on Monday.\n\n"
    f"{FILLER}\n\n{FILLER}\n\n"
    "Some 12,000 soldiers have been sent to the border region, officials said.\n\n"
    f"{FILLER}\n\n"
    "Police fired tear gas at protesters in the capital on Tuesday.\n"
)


def _select(pipeline: Any, text: str) -> Context:
    art = Article(id="t", source="t", input_key="t", text=text, published="2024-06-03")
    ctx = Context()
    next(s for s in pipeline.stages if s.name == "select")(art, None, ctx)
    return ctx


def test_sentences_split_at_ends_not_at_abbreviations_or_across_paragraphs() -> None:
    text = "Mr. Kim met U.S. envoys in Seoul. \"It went well,\" he said.\nThen he left\n\nNext one. Done"
    got = [text[s:e] for s, e in sentence_spans(text)]
    assert got == [
        "Mr. Kim met U.S. envoys in Seoul.",
        "\"It went well,\" he said.",
        "Then he left",
        "Next one.",
        "Done",
    ]


def test_merge_joins_neighbours_inside_a_paragraph_only() -> None:
    text = "A one. B two.\n\nC three."
    spans = sentence_spans(text)
    assert merge(spans, text) == [(0, 13), (15, 23)]
    assert covered([(0, 13)], 2, 6) and not covered([(0, 13)], 10, 16) and covered(None, 0, 99)


def test_long_article_parses_event_and_claim_sentences_only(pipeline: Any) -> None:
    ctx = _select(pipeline, LONG)
    assert ctx.parse_spans is not None
    kept = [LONG[s:e] for s, e in ctx.parse_spans]
    assert any(k.startswith("Russia and China signed") for k in kept)
    assert any(k.startswith("Police fired tear gas") for k in kept)
    assert any("12,000 soldiers" in k for k in kept)  # a claim cue, whatever the classifier says
    assert not any("weather" in k or "Forecasters" in k for k in kept)
    assert set(ctx.scores) >= {" ".join(FILLER.split(". ")[0].split()) + "."}


def test_short_text_and_parse_all_parse_everything(pipeline: Any) -> None:
    assert _select(pipeline, "Russia and China signed a trade agreement.").parse_spans is None
    old = pipeline.config
    pipeline.config = PipelineConfig(model=old.model, extra={**old.extra, "parse_all": True})
    try:
        assert _select(pipeline, LONG).parse_spans is None
    finally:
        pipeline.config = old


def test_partly_parsed_doc_keeps_offsets_and_the_kept_parse(pipeline: Any) -> None:
    ctx = _select(pipeline, LONG)
    parser = next(s for s in pipeline.stages if s.name == "actors").parser
    doc = parser.spans(LONG, ctx.parse_spans)
    assert doc.text == LONG
    full = pipeline.nlp(LONG[: LONG.index("\n")])
    head = [(t.text, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in doc[: len(full)]]
    assert head == [(t.text, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in full]
    weather = doc.char_span(LONG.index("The weather"), LONG.index("The weather") + 11)
    assert weather is not None and {t.dep_ for t in weather} <= {"ROOT", "dep"}
    assert not weather[1].lemma_ and not weather[1].tag_  # only tokenized
    # every sentence lies inside a parsed range or in unparsed text, never across
    for sent in doc.sents:
        inside = covered(ctx.parse_spans, sent.start_char, sent.end_char)
        overlaps = any(s < sent.end_char and sent.start_char < e for s, e in ctx.parse_spans)
        assert inside or not overlaps or sent.text.strip() == ""


def test_selective_ingest_codes_what_the_full_parse_codes(pipeline: Any) -> None:
    def run(parse_all: bool) -> list[tuple[str, str | None]]:
        old = pipeline.config
        pipeline.config = PipelineConfig(model=old.model, extra={**old.extra, "parse_all": parse_all})
        try:
            art = Article(id="t", source="t", input_key="t", text=LONG, published="2024-06-03")
            ctx = Context()
            for s in pipeline.stages[1:]:  # all but cleaning: the text is given
                s(art, None, ctx)
            return [(e.event, e.date) for e in art.events]
        finally:
            pipeline.config = old

    got = run(parse_all=False)
    assert got == run(parse_all=True)
    assert len(got) >= 2 and "ASSAULT" in {t for t, _ in got}


def test_cues_file_is_checked(tmp_path: Path) -> None:
    bad = tmp_path / "select.yaml"
    bad.write_text("number_words: [dozen]\nclaim_nouns: []\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"select\.yaml.*claim_nouns"):
        load_cues(bad)
    cues = load_cues()
    assert cues.keeps("The Security and Defence Partnership covers cyber.")
    assert cues.keeps("Some 10,000 troops are in Kursk.")
    assert not cues.keeps("On 4 November the ministers spoke.")  # a date is no quantity claim
