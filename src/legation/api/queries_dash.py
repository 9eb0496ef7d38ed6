"""Read queries behind the dashboard's newer views: fact sentences, search, charts, the map.

Kept apart from :mod:`legation.api.queries` (which holds the list and detail queries) so each
module stays readable; like it, every user value reaches DuckDB as a bound parameter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from legation.store.db import Store


# ---------------------------------------------------------------------------- fact sentences
def sentence_spans(store: Store, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, int]]:
    """Where each ``(article_id, sentence)`` stands in its article's text, as ``(start, end)``.

    Agreements keep their evidence sentences as text and alerts their sentence; the article
    view highlights by offsets, so the sentences are found here (one query for the texts). A
    sentence not found verbatim is left out.
    """
    pairs = {(a, s) for a, s in wanted if a and s}
    if not pairs:
        return {}
    ids = sorted({a for a, _ in pairs})
    texts = {
        r["id"]: str(r["text"] or "")
        for r in store.iter_rows("SELECT id, text FROM articles WHERE id IN (SELECT unnest(?))", [ids])
    }
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for art, sentence in pairs:
        text = texts.get(art)
        if text is None:
            continue
        at = text.find(sentence)
        if at < 0:
            at = text.find(sentence.strip())
            sentence = sentence.strip()
        if at >= 0:
            out[(art, sentence)] = (at, at + len(sentence))
    return out


def agreement_sentences(store: Store, items: list[dict[str, Any]]) -> None:
    """Add ``sentences`` to each agreement: ``{"article_id", "start", "end", "sentence"}`` per
    article of it whose text holds one of its evidence sentences (the first one found)."""
    wanted = [(a, s) for ag in items for a in ag.get("article_ids") or [] for s in ag.get("evidence") or []]
    spans = sentence_spans(store, wanted)
    for ag in items:
        found = []
        for art in ag.get("article_ids") or []:
            for s in ag.get("evidence") or []:
                span = spans.get((art, s)) or spans.get((art, s.strip()))
                if span:
                    found.append({"article_id": art, "start": span[0], "end": span[1], "sentence": s})
                    break
        ag["sentences"] = found


def alert_spans(store: Store, items: list[dict[str, Any]]) -> None:
    """Add ``span`` (``{"start", "end"}`` or None) to each alert: where its sentence is in its article."""
    spans = sentence_spans(
        store, [(str(a.get("article_id") or ""), str(a.get("sentence") or "")) for a in items]
    )
    for a in items:
        key = (str(a.get("article_id") or ""), str(a.get("sentence") or ""))
        span = spans.get(key) or spans.get((key[0], key[1].strip()))
        a["span"] = {"start": span[0], "end": span[1]} if span else None
