"""Read queries behind the dashboard's newer views: fact sentences, search, charts, the map.

Kept apart from :mod:`legation.api.queries` (which holds the list and detail queries) so each
module stays readable; like it, every user value reaches DuckDB as a bound parameter.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from legation.api.queries import like_pattern
from legation.store import summary_rows as R
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


# ---------------------------------------------------------------------------- actors in the data
def mention_counts(store: Store, actors: list[dict[str, Any]]) -> dict[str, int]:
    """Mentions per dictionary actor_id, over the ``mentions`` table (one grouped query).

    A mention counts for an actor when it names its actor_id, or, for a state or an
    organisation, its code (as the actor page counts them).
    """
    by_id: dict[str, int] = {}
    by_code: dict[str, int] = {}
    groups = (
        R.mention_groups(store)
        if R.current(store)
        else store.iter_rows("SELECT actor_id, code, count(*) AS n FROM mentions GROUP BY ALL")
    )
    for r in groups:
        n = int(r["n"])
        if r["actor_id"]:
            by_id[r["actor_id"]] = by_id.get(r["actor_id"], 0) + n
        if r["code"] and r["code"] != r["actor_id"]:
            by_code[r["code"]] = by_code.get(r["code"], 0) + n
    out: dict[str, int] = {}
    for a in actors:
        aid, code = str(a.get("actor_id") or ""), str(a.get("code") or "")
        n = by_id.get(aid, 0)
        if code and code != aid and a.get("kind") in ("state", "igo"):
            n += by_id.get(code, 0) + by_code.get(code, 0)
        elif code and code == aid:
            n += by_code.get(code, 0)
        out[aid] = n
    return out


# ---------------------------------------------------------------------------- search
def search_claims(store: Store, q: str, limit: int) -> tuple[list[dict[str, Any]], int]:
    """Claims whose sentence, topic, subject, unit or claimant contains ``q`` (any case)."""
    if not store.has_table("claims"):
        return [], 0
    fields = ["$.text_info.sentence", "$.topic", "$.subject", "$.unit", "$.claimant"]
    where = " OR ".join(f"json_extract_string(record, '{f}') ILIKE ? ESCAPE '\\'" for f in fields)
    params = [like_pattern(q)] * len(fields)
    total = int(store.scalar(f"SELECT count(*) FROM claims WHERE {where}", params) or 0)
    rows = store.iter_rows(
        f"SELECT record FROM claims WHERE {where} ORDER BY seq, id LIMIT ?", [*params, limit]
    )
    return [json.loads(r["record"]) for r in rows], total
