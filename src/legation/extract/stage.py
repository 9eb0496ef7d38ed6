"""The extract stage: an article's claims and agreement mentions, found in the worker.

Both extractors are per-article: they read the article's text, its resolved mentions and its
coded events, nothing of other articles. Run here, after the events stage, they cost the
worker processes (which scale with ``--workers`` and Dask) instead of the ingesting process,
and the text is split once instead of read back from the store and split by each extractor.
The cross-article steps only store the rows (:mod:`legation.crossdoc.claims`,
:mod:`legation.crossdoc.agreements`) and group or merge them.

The inputs are built to be exactly what the steps used to read back from the store (mention
records, dateline records, the event facts of :func:`event_facts`), so the rows are the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from legation.extract.agreements import extract_agreements
from legation.extract.claims import extract_claims
from legation.extract.sentences import sentences
from legation.models import Article, Dateline, Event, Mention, RawDoc
from legation.stages import Context


def dateline_spans(text: str, datelines: Sequence[Dateline]) -> list[tuple[int, int]]:
    """Character spans of the article's datelines, found by their words.

    An item may start at its headline, above the dateline, so the dateline's offsets only say
    where to start looking.
    """
    out: list[tuple[int, int]] = []
    for d in datelines:
        at = text.find(d.text or "\0", d.start, d.end + 1)
        if at >= 0:
            out.append((at, at + len(d.text)))
    return out


def mention_records(article: Article) -> list[dict[str, Any]]:
    """The article's mention records (as stored), those inside a dateline left out.

    The place a report was filed from ("BORGO EGNAZIA, Italy —") neither claims a figure nor
    signs an agreement.
    """
    lines = dateline_spans(article.text, article.datelines)
    return [m.to_record(article.id) for m in article.mentions if not _inside(m, lines)]


def _inside(m: Mention, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= m.start < b for a, b in spans)


def event_facts(events: Sequence[Event]) -> list[dict[str, Any]]:
    """The facts of the article's events that date and name agreements, in order.

    ``start``/``end`` (sentence offsets), ``date``, ``aux``, ``trigger``, ``actors`` (the
    actors' codes, those without a code left out) and ``precision``.
    """
    return [
        {
            "start": e.start,
            "end": e.end,
            "date": e.date,
            "aux": e.aux,
            "trigger": e.trigger,
            "actors": [p.code for p in e.actor if p.code],
            "precision": e.date_precision,
        }
        for e in events
    ]


class ExtractStage:
    """Text, mentions and events -> ``article.claims`` and ``article.agreement_mentions``.

    Needs no loaded resource (the gazetteer the agreement names are checked against loads
    once per process on first use), so it holds no pipeline.
    """

    name = "extract"
    reads: tuple[str, ...] = ("text", "published", "datelines", "mentions", "events")
    writes: tuple[str, ...] = ("claims", "agreement_mentions")

    def __call__(self, article: Article, raw: RawDoc, ctx: Context) -> None:
        ments = mention_records(article)
        spans = sentences(article.text)
        art = {"id": article.id, "text": article.text, "published": article.published}
        article.claims = extract_claims(art, ments, spans)
        lines = [{"start": d.start, "end": d.end, "date": d.date} for d in article.datelines]
        facts = {**art, "events": event_facts(article.events), "datelines": lines}
        found = extract_agreements(facts, ments, spans)
        for m in found:
            m["article_id"] = article.id
        article.agreement_mentions = found
