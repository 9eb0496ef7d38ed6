"""Articles processed as a chunk (one shared parse) give what one at a time gives, and fail alone."""

from __future__ import annotations

from typing import Any

import pytest

from legation.ingest.work import process_many, process_one
from legation.models import Article, InputError, RawDoc

FILLER = "The weather stayed mild and dry for most of the week, and little change was expected. "
TEXTS = [
    "Russia and China signed a trade agreement in Beijing on Monday.\n\n"
    + FILLER * 4
    + "\n\nPolice fired tear gas at protesters in the capital on Tuesday.\n",
    "   \n\n  ",  # no article text
    "NATO foreign ministers met in Brussels on 3 April. "
    + FILLER * 3
    + "\n\nThe United States imposed sanctions on Iran on Friday.\n",
]


def _items() -> list[tuple[RawDoc, str, None]]:
    return [
        (
            RawDoc(source=f"{i}.txt", fmt="text", content=t, input_key=f"{i}.txt", path=f"{i}.txt"),
            f"a{i}",
            None,
        )
        for i, t in enumerate(TEXTS)
    ]


def _summary(r: Article | InputError) -> Any:
    if isinstance(r, InputError):
        return ("error", r.source)
    return (r.id, [(m.start, m.code) for m in r.mentions], [(e.event, e.start) for e in r.events])


def test_chunk_equals_one_by_one(pipeline: Any) -> None:
    items = _items()
    together = process_many(pipeline, items)
    alone = [process_one(pipeline, *it) for it in items]
    assert [_summary(r) for r in together] == [_summary(r) for r in alone]
    assert isinstance(together[1], InputError) and "no article text" in together[1].reason
    assert isinstance(together[0], Article) and together[0].events and together[0].content_hash


def test_a_failing_parse_fails_only_its_article(pipeline: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    parser = pipeline.parser
    real = parser.spans_many

    def spans_many(jobs: Any) -> Any:
        if any("NATO" in text for text, _ in jobs):
            raise RuntimeError("boom")
        return real(jobs)

    monkeypatch.setattr(parser, "spans_many", spans_many)
    got = process_many(pipeline, _items())
    assert isinstance(got[2], InputError) and "internal error: RuntimeError: boom" in got[2].reason
    assert got[2].source == "2.txt"
    assert isinstance(got[0], Article) and got[0].events
