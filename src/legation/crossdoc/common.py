"""Rows shared by the claim and agreement steps, and the filter both apply to mentions.

Pure: the store reads these rows (:mod:`legation.store.crossdoc_rows`), the steps only
compute on them, so the rules can be tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ArticleText:
    """An original English article as the claim and agreement extractors read it.

    Duplicates are never read: a copy repeats its original's claims and agreements, and
    counting it would make one source look like two.
    """

    id: str
    seq: int
    text: str | None
    published: str | None
    #: The stored dateline records (``text``, ``start``, ``end``).
    datelines: Sequence[Mapping[str, Any]] = field(default_factory=tuple)


def dateline_spans(article: ArticleText) -> list[tuple[int, int]]:
    """Character spans of the article's datelines, found by their words.

    An item may start at its headline, above the dateline, so the stored offsets only say
    where to start looking.
    """
    text = article.text or ""
    out: list[tuple[int, int]] = []
    for d in article.datelines:
        at = text.find(d.get("text") or "\0", int(d["start"]), int(d["end"]) + 1)
        if at >= 0:
            out.append((at, at + len(d["text"])))
    return out


def mentions_outside_datelines(
    articles: Sequence[ArticleText], mentions: Iterable[tuple[str, dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """The ``(article id, mention record)`` pairs grouped by article, dateline mentions left out.

    The place a report was filed from ("BORGO EGNAZIA, Italy —") neither claims a figure nor
    signs an agreement. Order within an article is the order given.
    """
    lines = {a.id: spans for a in articles if (spans := dateline_spans(a))}
    out: dict[str, list[dict[str, Any]]] = {}
    for aid, m in mentions:
        if not any(a <= m["start"] < b for a, b in lines.get(aid, [])):
            out.setdefault(aid, []).append(m)
    return out
