"""Cross-article step: the agreements registry, one record per agreement across all articles.

Per-article mentions (:mod:`legation.crossdoc.agreements_extract`) are stored with their merge
key (sorted parties + normalised name); every key the batch touches is then rebuilt from all
its stored mentions. A record is a function of the set of mentions, so batch order does not
change it and re-ingesting changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from legation.crossdoc.agreements_extract import NAMED, extract_agreements
from legation.crossdoc.common import originals_with_mentions
from legation.store.db import Store

#: Lifecycle order: a later stage is the status ("launched" outranks "signed").
STAGES = ("announced", "signed", "ratified", "launched")
#: Evidence sentences kept per record: enough to check it, not the whole corpus.
MAX_EVIDENCE = 5


def update(store: Store, article_ids: Sequence[str]) -> None:
    """Store the batch's agreement mentions and rebuild the records of the keys they touch."""
    if not store.has_table("agreements"):
        return
    ids = list(article_ids)
    old = {
        k
        for (k,) in store.con.execute(
            "SELECT DISTINCT key FROM agreement_mentions WHERE article_id IN (SELECT unnest(?))", [ids]
        ).fetchall()
    }
    store.con.execute("DELETE FROM agreement_mentions WHERE article_id IN (SELECT unnest(?))", [ids])
    arts, ments = originals_with_mentions(store, ids)
    events: dict[str, list[dict[str, Any]]] = {}
    for aid, start, end, day, aux, trig, actors, precision in store.con.execute(
        "SELECT article_id, CAST(record->>'$.text_info.start' AS INTEGER),"
        " CAST(record->>'$.text_info.end' AS INTEGER), date, record->>'$.aux', record->>'$.trigger',"
        " record->>'$.actor', record->>'$.date_precision'"
        " FROM events WHERE article_id IN (SELECT unnest(?)) ORDER BY article_id, idx",
        [ids],
    ).fetchall():
        codes = [p.get("code") for p in json.loads(actors or "[]") if p.get("code")]
        events.setdefault(aid, []).append(
            {
                "start": start,
                "end": end,
                "date": day,
                "aux": aux,
                "trigger": trig,
                "actors": codes,
                "precision": precision,
            }
        )
    rows = []
    for aid, seq, text, published in arts:
        art = {"id": aid, "text": text, "published": published, "events": events.get(aid, [])}
        for m in extract_agreements(art, ments.get(aid, [])):
            m["article_id"] = aid
            rows.append((aid, seq, m["key"], json.dumps(m)))
    if rows:
        store.con.executemany("INSERT INTO agreement_mentions VALUES (?, ?, ?, ?)", rows)
    for key in sorted(old | {r[2] for r in rows}):
        _rebuild(store, key)


#: How a date was found, best first: printed in the text, the coder's event date, publication.
_BASIS_RANK = {"text": 0, "event": 1, "dateline": 2, "published": 3}


def _rebuild(store: Store, key: str) -> None:
    """Replace the record of ``key`` with one built from all its stored mentions."""
    rid = "ag-" + hashlib.sha1(key.encode()).hexdigest()[:12]
    store.con.execute("DELETE FROM agreements WHERE id = ?", [rid])
    found = store.con.execute(
        "SELECT seq, record FROM agreement_mentions WHERE key = ? ORDER BY seq", [key]
    ).fetchall()
    if not found:
        return
    ms = [json.loads(r) for _, r in found]
    # The fullest surface form names the record ("EU-Japan Security and Defence Partnership").
    name = sorted((m["name"] for m in ms), key=lambda n: (-len(n), n))[0]
    dates: dict[str, str | None] = {s: None for s in STAGES}
    basis: dict[str, str] = {}
    evidence_of: dict[str, str] = {}
    seen = set()
    for m in ms:
        for stage, day in m["dates"].items():
            seen.add(stage)
            have = dates[stage]
            if not day:
                continue
            how = (m.get("date_basis") or {}).get(stage, "published")
            rank, have_rank = _BASIS_RANK.get(how, 9), _BASIS_RANK.get(basis.get(stage, ""), 9)
            if (
                have is None
                or rank < have_rank  # a date the text gives beats the publication date
                or (rank == have_rank and day.startswith(have) and len(day) > len(have))
                or (rank == have_rank and not have.startswith(day) and day < have)
            ):
                dates[stage], basis[stage], evidence_of[stage] = day, how, m["evidence"]
    status = next((s for s in reversed(STAGES) if s in seen), "mentioned")
    evidence: list[str] = []
    for m in ms:
        if m["evidence"] not in evidence and len(evidence) < MAX_EVIDENCE:
            evidence.append(m["evidence"])
    parties = ms[0]["parties"]
    if key.startswith(NAMED + " |"):
        # A place-named instrument: its parties are those most of its mentions name.
        counts = Counter(p for m in ms for p in m["parties"])
        parties = sorted(p for p, n in counts.items() if 2 * n >= len(ms)) or parties
    record = {
        "id": rid,
        "name": name,
        "kind": ms[0]["kind"],
        "parties": parties,
        "dates": dates,
        "date_basis": basis,
        "date_evidence": evidence_of,
        "status": status,
        "article_ids": list(dict.fromkeys(m["article_id"] for m in ms)),
        "evidence": evidence,
    }
    store.con.execute("INSERT INTO agreements VALUES (?, ?, ?)", [rid, found[0][0], json.dumps(record)])


def iter_agreements(store: Store) -> list[dict[str, Any]]:
    """Every agreement record in order of first mention, for the CLI."""
    if not store.has_table("agreements"):
        return []
    return [
        json.loads(r)
        for (r,) in store.con.execute("SELECT record FROM agreements ORDER BY seq, id").fetchall()
    ]
