"""Fuzz tests: no input crashes the cleaners or the pipeline (issue 7, "bad input").

Hypothesis generates text dumps, HTML fragments and news-like sentences from building blocks
that are known to stress the code (broken words, chrome lines, dates, bullets, quotes, control
characters, non-Latin scripts). The property is the contract each function gives its callers:
the cleaners return their result type, the whole pipeline either returns an article whose
event and mention offsets point into its text or raises ``EmptyArticle`` (the one error the
runner turns into a named per-file failure).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legation.clean.html import extract_html
from legation.clean.textdump import clean_text_dump
from legation.models import RawDoc
from legation.pipeline import EmptyArticle

# Pieces real pages are made of; hypothesis combines them with arbitrary text.
_PIECES = [
    "Share this article", "Subscribe", "16,985FansLike", "Home | World | Asia",
    "Brussels, 28 October 2024", "SEOUL, Nov. 4 (Yonhap) --", "Author: Daniel", "•", "* * *",
    "The European Union and South Korea signed a security partnership on Monday.",
    "North Korea sent 10,000 troops to Russia, according to Seoul.",
    "sta\nted", "de-\nployment", "“We condemn it,” he said.", "Cookies help us.", "1.", "2024",
    "Пхеньян заявил", "北朝鮮", "مرحبا", "\x00", "\u200b", "\t", "   ", "I travelled to Tokyo.",
    "The minister will not visit Moscow next week.", "On Sunday NATO", "$1.5 billion", "'s",
]
_TEXT = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=40)), max_size=30).map(
    lambda parts: "\n".join(parts)
)
_TAGS = ["p", "div", "article", "h1", "script", "style", "nav", "footer", "span", "table", "li"]


@st.composite
def _html(draw: Any) -> str:
    body = []
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(st.sampled_from(_TAGS))
        text = draw(_TEXT)
        closed = draw(st.booleans())  # malformed HTML: unclosed tags
        body.append(f"<{tag}>{text}" + (f"</{tag}>" if closed else ""))
    head = draw(st.sampled_from(["", "<title>T</title>", '<meta name="date" content="2024-13-45">']))
    return f"<html><head>{head}</head><body>{''.join(body)}</body></html>"


_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_FUZZ
@given(_TEXT)
def test_text_dump_cleaner_never_crashes(pipeline: Any, text: str) -> None:
    result = clean_text_dump(text, is_word=pipeline.is_word)
    assert all(0 <= i < len(result.lines) for i in result.kept)
    assert isinstance(result.body, str)


@_FUZZ
@given(_html())
def test_html_extractor_never_crashes(html: str) -> None:
    result = extract_html(html, url="https://example.org/x")
    assert isinstance(result.body, str)
    assert result.published is None or result.published[:4].isdigit()


@_FUZZ
@given(text=_TEXT, fmt=st.sampled_from(["text", "html"]))
def test_pipeline_never_crashes(pipeline: Any, text: str, fmt: str) -> None:
    content = f"<html><body><p>{text}</p></body></html>" if fmt == "html" else text
    raw = RawDoc(source="fuzz", fmt=fmt, content=content, input_key="fuzz")
    try:
        art = pipeline.process(raw, article_id="fuzz")
    except EmptyArticle:
        return
    for m in art.mentions:
        assert art.text[m.start : m.end] == m.text
    for e in art.events:
        assert art.text[e.start : e.end] == e.sentence
