"""Sentence boundaries at paragraph breaks and datelines of clean (HTML) bodies."""

from __future__ import annotations

from typing import Any

from legation.clean.body_datelines import body_datelines
from legation.paragraphs import paragraphs, parse


def test_a_headline_without_a_full_stop_is_its_own_sentence(pipeline: Any) -> None:
    text = (
        "Japan and Australia agree to deepen defence ties\n\n"
        "Tokyo and Canberra agreed on Friday to hold joint drills next year. Ministers met in Tokyo."
    )
    sents = [s.text.strip() for s in parse(pipeline.nlp, text).sents]
    assert sents[0] == "Japan and Australia agree to deepen defence ties"
    assert sents[1].startswith("Tokyo and Canberra agreed")


def test_a_single_newline_is_left_to_the_parser(pipeline: Any) -> None:
    # A hard wrap inside a sentence of a JSONL record must not split it.
    text = "The foreign ministers of Chile and Peru met in Lima on Monday\nto discuss border trade."
    assert len(list(parse(pipeline.nlp, text).sents)) == 1


def test_paragraph_pieces_rebuild_the_text_and_the_doc_keeps_offsets(pipeline: Any) -> None:
    text = "Headline here\n\n  First para. Second.\n \n\nThird para\n"
    assert "".join(paragraphs(text)) == text and len(paragraphs(text)) == 3
    doc = parse(pipeline.nlp, text)
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)


def test_html_body_datelines_date_their_items() -> None:
    body = (
        "Leaders agree loan for Ukraine\n\n"
        "BORGO EGNAZIA, Italy, June 13 — Leaders of the Group of Seven agreed on Thursday to a loan.\n\n"
        "The loan is repaid from profits.\n\n"
        "BRUSSELS, June 14 (Reuters) - Ministers welcomed the deal."
    )
    got = body_datelines(body, "2024-06-14", "day")
    assert [(d.date, d.place) for d in got] == [
        ("2024-06-13", "BORGO EGNAZIA, Italy"),
        ("2024-06-14", "BRUSSELS"),
    ]
    # The first item starts at the top (its headline), the second at its dateline.
    assert got[0].start == 0 and body[got[1].start :].startswith("BRUSSELS, June 14")
    assert got[0].end <= got[1].start


def test_html_body_without_datelines() -> None:
    assert body_datelines("Leaders met in Rome on Monday.\n\nThey agreed.", "2024-06-14", "day") == []
