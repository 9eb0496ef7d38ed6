"""Run the actor stage on a bare text (shared by the resolver tests)."""

from __future__ import annotations

from typing import Any

from legation.models import Article, Dateline, Mention, RawDoc


def resolve_text(
    pipeline: Any,
    text: str,
    published: str | None = None,
    author: list[str] | None = None,
    datelines: list[dict[str, Any]] | None = None,
) -> list[Mention]:
    """Mentions the pipeline's actor stage finds in ``text`` with the given metadata."""
    from legation.pipeline import Context

    stage = next(s for s in pipeline.stages if s.name == "actors")
    article = Article(
        id="case",
        source="case",
        input_key="case",
        text=text,
        published=published,
        author=list(author or []),
        datelines=[
            Dateline(d["start"], d["end"], d.get("date"), d.get("place"), d.get("text", ""))
            for d in datelines or []
        ],
    )
    stage(article, RawDoc(source="case", fmt="text", content=text, input_key="case"), Context())
    return article.mentions


def mentions_at(mentions: list[Mention], start: int, end: int) -> list[Mention]:
    """Mentions overlapping the character range, the best-aligned first."""
    hits = [m for m in mentions if m.start < end and start < m.end]
    return sorted(hits, key=lambda m: (abs(m.start - start) + abs(m.end - end), m.kind != "person"))


def resolved(mentions: list[Mention]) -> list[Mention]:
    """The mentions the dictionary resolved (generic agents and unknown names left out)."""
    return [m for m in mentions if not m.rule.startswith("generic") and m.rule != "unknown"]
