"""Event exports in other systems' formats: PLOVER JSONL and a GDELT-2.0-style event TSV.

The contract's ``events`` record is already PLOVER-aligned; these formats exist so that tools
written for PLOVER datasets or for GDELT's event table read Legation's output unchanged.

* **PLOVER** follows the field names of the PLOVER manual's data-fields chapter (``id``,
  ``date``, ``actor``/``recipient`` entity objects with ``code``, ``sector``, ``entity_text``,
  ``identifier_id``; ``event``, ``mode`` and ``context`` as lists; ``event_loc`` with the
  Geonames field names; ``quad_code``, ``event_scale``, ``text_info``, ``cite_info``).
* **GDELT** writes the 61 columns of GDELT 2.0's event table, one row per *event cluster*
  (GDELT counts events, not sentences), with ``NumMentions``/``NumArticles``/``NumSources``
  from the cluster. The column mapping is documented in ``docs/formats.md``.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from legation.store.db import Store

#: GDELT 2.0 event table columns, in file order.
GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(
        f"Actor{n}{f}"
        for n in (1, 2)
        for f in (
            "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
            "Religion2Code", "Type1Code", "Type2Code", "Type3Code",
        )
    ),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(
        f"{who}Geo_{f}"
        for who in ("Actor1", "Actor2", "Action")
        for f in ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
    ),
    "DATEADDED", "SOURCEURL",
)

_CODER = "legation"
_CODEBOOK = "plover-base (PLOVER manual 2021); CAMEO 1.1b3 via CAMEO2PLOVER-2021"


def _entity(p: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": p.get("code"),
        "sector": p.get("sector"),
        "entity_text": p.get("text"),
        "identifier_id": p.get("actor_id"),
    }


def plover_record(event: dict[str, Any], article: dict[str, Any] | None) -> dict[str, Any]:
    """One contract ``events`` record in PLOVER's JSON field names.

    Args:
        event: the contract record (``legation export events``).
        article: its article's export record, for the citation object (may be None).
    """
    loc = event.get("location") or None
    ti = event.get("text_info") or {}
    art = article or {}
    return {
        "id": event["id"],
        "date": event.get("date"),
        "date_precision": event.get("date_precision"),
        "actor": [_entity(p) for p in event.get("actor") or []],
        "recipient": [_entity(p) for p in event.get("recipient") or []],
        "event": [event["event"]],
        "mode": [event["mode"]] if event.get("mode") else [],
        "context": list(event.get("context") or []),
        "event_loc": None
        if not loc
        else {
            "extracted_place": loc.get("name"),
            "resolved_place": loc.get("name"),
            "lat": loc.get("lat"),
            "lon": loc.get("lon"),
            "country_code": loc.get("country"),
        },
        "event_text": [ti.get("sentence", "")],
        "quad_code": event.get("quad"),
        "event_scale": event.get("goldstein"),
        "cameo": event.get("cameo"),
        "aux": event.get("aux"),
        "attribution": event.get("attribution"),
        "quantity": event.get("quantity"),
        "link": event.get("event_cluster"),
        "text_info": {"start": ti.get("start"), "end": ti.get("end")},
        "cite_info": {
            "citation": event.get("article_id"),
            "url": art.get("url") or art.get("source"),
            "title": art.get("title"),
            "publication": art.get("site"),
            "language": "en",
            "coder": _CODER,
            "codebook": _CODEBOOK,
        },
        "coder": f"{_CODER}:{event.get('rule', '')}",
        "comment": None,
    }


def global_event_id(key: str) -> int:
    """A stable positive 48-bit integer for an event (GDELT ids are integers, ours strings)."""
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:12], 16)


def _actor_cols(parties: list[dict[str, Any]]) -> list[str]:
    if not parties:
        return [""] * 10
    p = parties[0]
    code = str(p.get("code") or "")
    sector = str(p.get("sector") or "")
    state = len(code) == 3 and code.isalpha() and code.isupper()
    return [
        code + sector,  # CAMEO actor codes concatenate country/group and role ("KORGOV")
        str(p.get("text") or "").upper(),
        code if state else "",
        "" if state else code,
        "", "", "",
        sector, "", "",
    ]


def _geo_cols(loc: dict[str, Any] | None) -> list[str]:
    if not loc:
        return ["0", "", "", "", "", "", "", ""]
    kind = 1 if loc.get("kind") == "country" else 4  # GDELT: 1 country, 4 world city
    return [
        str(kind), str(loc.get("name") or ""), str(loc.get("country") or ""), "", "",
        _num(loc.get("lat")), _num(loc.get("lon")), "",
    ]


def _num(v: Any) -> str:
    return "" if v is None else str(v)


def gdelt_rows(
    events: Iterable[dict[str, Any]], articles: dict[str, dict[str, Any]]
) -> Iterator[list[str]]:
    """GDELT event-table rows, one per event cluster (its first mention stands for it).

    ``events`` must come with each cluster's mentions adjacent (the export orders them so),
    which keeps memory bounded by the largest cluster. Mentions in articles marked
    ``duplicate_of`` count as mentions but not as articles or sources, as elsewhere in
    Legation. An event without a cluster is its own cluster.
    """
    for key, group in itertools.groupby(events, key=lambda e: e.get("event_cluster") or e["id"]):
        evs = list(group)
        ev = evs[0]
        art = articles.get(ev.get("article_id") or "", {})
        originals = {
            e["article_id"] for e in evs if not articles.get(e["article_id"], {}).get("duplicate_of")
        }
        sources = {
            articles[a].get("site") or articles[a].get("source") for a in originals if a in articles
        }
        date = ev.get("date") or art.get("published") or ""
        day = date[:10] if len(date) >= 10 else (date[:7] + "-01" if len(date) >= 7 else "")
        sqldate = day.replace("-", "")
        year = day[:4]
        frac = ""
        if day:
            y, m, d = int(day[:4]), int(day[5:7]), int(day[8:10])
            frac = f"{y + ((m - 1) * 30.4 + d) / 365:.4f}"
        cameo = str(ev.get("cameo") or "")
        loc = ev.get("location")
        row = [
            str(global_event_id(key)), sqldate, sqldate[:6], year, frac,
            *_actor_cols(ev.get("actor") or []),
            *_actor_cols(ev.get("recipient") or []),
            "1", cameo, cameo[:3], cameo[:2], _num(ev.get("quad")), _num(ev.get("goldstein")),
            str(len(evs)), str(max(1, len(sources))), str(max(1, len(originals))), "",
            *_geo_cols(None), *_geo_cols(None), *_geo_cols(loc),
            (art.get("published") or "").replace("-", "")[:8],
            str(art.get("url") or art.get("source") or ""),
        ]
        yield [c.replace("\t", " ").replace("\n", " ") for c in row]


_ARTICLE_COLS = "id, source, url, site, title, published, duplicate_of"


def _articles(store: Store) -> dict[str, dict[str, Any]]:
    """Article fields the formats cite, by id (a few strings per article, not the texts)."""
    return {r["id"]: r for r in store.iter_rows(f"SELECT {_ARTICLE_COLS} FROM articles")}


def write_plover(store: Store, out: IO[str]) -> int:
    """Every event as PLOVER JSONL; returns the count."""
    arts = _articles(store)
    n = 0
    for row in store.iter_rows("SELECT record FROM events ORDER BY seq, idx"):
        ev = json.loads(row["record"])
        out.write(json.dumps(plover_record(ev, arts.get(ev["article_id"])), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_gdelt(store: Store, out: IO[str], *, header: bool = True) -> int:
    """The GDELT-style event TSV (one row per event cluster); returns the number of rows."""
    arts = _articles(store)
    rows = store.iter_rows(
        "SELECT record FROM events ORDER BY coalesce(event_cluster, id), seq, idx"
    )
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
    if header:
        writer.writerow(GDELT_COLUMNS)
    n = 0
    for r in gdelt_rows((json.loads(x["record"]) for x in rows), arts):
        writer.writerow(r)
        n += 1
    return n
