"""A small hand-made database for the API, briefing and dashboard tests.

Built with SQL rather than by ingesting, so every count and filter result below is known
exactly and the tests do not need the language model. ``later_stages=True`` adds claims,
agreements and stories tables holding contract-format records (as ``store/export.py`` reads
them); ``False`` drops them, as in a database made before those stages existed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from legation.store.db import Store
from legation.store.schema import EVENT_PARTIES_FROM_RECORDS
from legation.store.watch_rows import store_alerts
from legation.watch.alerts import agreement_alerts, event_alerts
from legation.watch.rules import Rule

A1 = "Russia and North Korea signed a defence treaty in Pyongyang. Seoul condemned the treaty."
A2 = "The EU and South Korea launched a security and defence partnership in Seoul."
A3 = "EU and Korea launch partnership. North Korean troops attacked positions in Ukraine."

ARTICLES: list[dict[str, Any]] = [
    {"id": "a1", "title": "Putin and Kim sign treaty", "published": "2024-06-20", "text": A1, "story": None},
    {"id": "a2", "title": "EU and Korea partnership", "published": "2024-11-04", "text": A2, "story": "s1"},
    {"id": "a3", "title": "Partnership, and war news", "published": "2024-11-05", "text": A3, "story": "s1"},
]


def _side(*codes: str) -> list[dict[str, Any]]:
    return [{"text": c, "code": c, "actor_id": c, "sector": None} for c in codes]


def _event(
    eid: str,
    art: str,
    text: str,
    sentence: str,
    ev: str,
    actor: str,
    recip: str,
    date: str,
    quad: int,
    gold: float,
    cluster: str,
) -> dict[str, Any]:
    start = text.index(sentence)
    return {
        "id": eid,
        "article_id": art,
        "event": ev,
        "mode": None,
        "context": [],
        "actor": _side(actor),
        "recipient": _side(recip),
        "date": date,
        "date_precision": "day",
        "aux": None,
        "attribution": None,
        "location": None,
        "quantity": None,
        "cameo": "000",
        "quad": quad,
        "goldstein": gold,
        "text_info": {"sentence": sentence, "start": start, "end": start + len(sentence)},
        "event_cluster": cluster,
        "rule": "test",
    }


EVENTS = [
    _event(
        "e1",
        "a1",
        A1,
        "Russia and North Korea signed a defence treaty in Pyongyang.",
        "AGREE",
        "RUS",
        "PRK",
        "2024-06-20",
        1,
        8.0,
        "c0",
    ),
    _event(
        "e2", "a1", A1, "Seoul condemned the treaty.", "ACCUSE", "KOR", "PRK", "2024-06-21", 3, -2.0, "c2"
    ),
    _event("e3", "a2", A2, A2, "AGREE", "EU", "KOR", "2024-11-04", 1, 8.0, "c1"),
    _event(
        "e4", "a3", A3, "EU and Korea launch partnership.", "AGREE", "EU", "KOR", "2024-11-04", 1, 8.0, "c1"
    ),
    _event(
        "e5",
        "a3",
        A3,
        "North Korean troops attacked positions in Ukraine.",
        "ASSAULT",
        "PRK",
        "UKR",
        "2024-11-05",
        4,
        -10.0,
        "c3",
    ),
]

#: Where the events happened, as the gazetteer records places (``events/where.py``).
PLACES = {
    "e1": {"name": "Pyongyang", "country": "PRK", "lat": 39.0392, "lon": 125.7625},
    "e2": {"name": "Seoul", "country": "KOR", "lat": 37.5665, "lon": 126.978},
    "e3": {"name": "Seoul", "country": "KOR", "lat": 37.5665, "lon": 126.978},
    "e5": {"name": "Ukraine", "country": "UKR", "lat": 49.0, "lon": 32.0},
}
for _e in EVENTS:
    _e["location"] = PLACES.get(_e["id"])

CLAIMS = [
    {
        "id": "k1",
        "article_id": "a1",
        "topic": "troops",
        "value": 3000,
        "unit": "soldiers",
        "subject": "PRK in RUS",
        "claimant": [{"text": "Seoul", "code": "KOR"}],
        "as_of": "2024-10-23",
        "text_info": {"sentence": "Seoul condemned the treaty.", "start": 61, "end": 88},
        "group_id": "g1",
        "disputed": True,
    },
    {
        "id": "k2",
        "article_id": "a3",
        "topic": "troops",
        "value": 10000,
        "unit": "soldiers",
        "subject": "PRK in RUS",
        "claimant": [{"text": "Washington", "code": "USA"}],
        "as_of": "2024-10-29",
        "text_info": None,
        "group_id": "g1",
        "disputed": True,
    },
    {
        "id": "k3",
        "article_id": "a2",
        "topic": "aid",
        "value": 50,
        "unit": "billion USD",
        "subject": "UKR",
        "claimant": [{"text": "G7", "code": "G7"}],
        "as_of": "2024-06-13",
        "text_info": None,
        "group_id": "g2",
        "disputed": False,
    },
]

AGREEMENTS = [
    {
        "id": "g-eu-kor",
        "name": "EU–Korea Security and Defence Partnership",
        "kind": "partnership",
        "parties": ["EU", "KOR"],
        "dates": {"announced": None, "signed": "2024-11-04", "ratified": None, "launched": "2024-11-04"},
        "status": "launched",
        "article_ids": ["a2", "a3"],
        "evidence": [A2, "EU and Korea launch partnership."],
    },
    {
        "id": "g-rus-prk",
        "name": "Comprehensive Strategic Partnership Treaty",
        "kind": "treaty",
        "parties": ["PRK", "RUS"],
        "dates": {"announced": None, "signed": "2024-06-19", "ratified": None, "launched": None},
        "status": "signed",
        "article_ids": ["a1"],
        "evidence": ["Russia and North Korea signed a defence treaty in Pyongyang."],
    },
]

STORIES = [
    {
        "id": "s1",
        "title": "EU–Korea partnership",
        "n_articles": 2,
        "first": "2024-11-04",
        "last": "2024-11-05",
        "article_ids": ["a2", "a3"],
    },
]


STORIES_TABLE = """
CREATE TABLE stories (
    story_id VARCHAR PRIMARY KEY, seq BIGINT NOT NULL, first_article VARCHAR NOT NULL, title VARCHAR,
    first_published DATE, last_published DATE, articles INTEGER NOT NULL, originals INTEGER NOT NULL,
    sites INTEGER NOT NULL
)
"""


def build_db(path: Path, *, later_stages: bool) -> Path:
    """Write the test database at ``path`` and return it."""
    Store(path).close()  # creates the schema through the project's own migrations
    con = duckdb.connect(str(path))
    try:
        for seq, a in enumerate(ARTICLES):
            con.execute(
                "INSERT INTO articles (id, seq, source, input_key, url, site, title, published, "
                "published_date, published_basis, published_precision, author, text, content_hash, "
                "norm_hash, story_id) VALUES (?, ?, ?, ?, NULL, 'Test Wire', ?, ?, CAST(? AS DATE), "
                "'record', 'day', ?, ?, ?, ?, ?)",
                [
                    a["id"],
                    seq,
                    f"test/{a['id']}.txt",
                    a["id"],
                    a["title"],
                    a["published"],
                    a["published"],
                    ["Reporter"],
                    a["text"],
                    a["id"],
                    a["id"],
                    a["story"],
                ],
            )
        names = {
            "Russia": "RUS",
            "North Korea": "PRK",
            "Seoul": "KOR",
            "EU": "EU",
            "South Korea": "KOR",
            "Korea": "KOR",
            "Ukraine": "UKR",
        }
        for seq, a in enumerate(ARTICLES):
            taken: list[tuple[int, int]] = []
            for name, code in sorted(names.items(), key=lambda kv: -len(kv[0])):
                i = a["text"].find(name)
                if i < 0 or any(s <= i < e for s, e in taken):
                    continue
                taken.append((i, i + len(name)))
                rec = {
                    "article_id": a["id"],
                    "text": name,
                    "start": i,
                    "end": i + len(name),
                    "actor_id": code,
                    "name": name,
                    "code": code,
                    "kind": "state",
                    "sector": None,
                    "role": None,
                }
                con.execute(
                    "INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, 'state', ?)",
                    [seq, a["id"], i, i + len(name), code, code, json.dumps(rec)],
                )
        for idx, e in enumerate(EVENTS):
            seq = [a["id"] for a in ARTICLES].index(e["article_id"])
            con.execute(
                "INSERT INTO events (id, seq, idx, article_id, event, quad, date, event_cluster, record) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    e["id"],
                    seq,
                    idx,
                    e["article_id"],
                    e["event"],
                    e["quad"],
                    e["date"],
                    e["event_cluster"],
                    # As ingest stores it: the cluster is decided later and lives in the column.
                    json.dumps({**e, "event_cluster": None}),
                ],
            )
        # The parties and Goldstein column, as ingest writes them (read back from the records).
        con.execute(EVENT_PARTIES_FROM_RECORDS)
        for table, recs in (("claims", CLAIMS), ("agreements", AGREEMENTS)):
            # Whatever a newer migration made of these tables, the test decides what is there.
            con.execute(f"DROP TABLE IF EXISTS {table}")
            if later_stages:
                con.execute(f"CREATE TABLE {table} (seq BIGINT, id VARCHAR, record JSON)")
                for seq, r in enumerate(recs):
                    con.execute(f"INSERT INTO {table} VALUES (?, ?, ?)", [seq, r["id"], json.dumps(r)])
        if later_stages:
            con.execute("DROP TABLE IF EXISTS event_clusters")
            con.execute(
                "CREATE TABLE event_clusters (cluster_id VARCHAR PRIMARY KEY, seq BIGINT NOT NULL, "
                "first_event VARCHAR NOT NULL, event VARCHAR NOT NULL, story_id VARCHAR, "
                "date_min VARCHAR, date_max VARCHAR, mentions INTEGER NOT NULL, articles INTEGER NOT NULL, "
                "sources INTEGER NOT NULL)"
            )
            con.execute(
                "INSERT INTO event_clusters VALUES ('c1', 0, 'e3', 'AGREE', 's1', '2024-11-04', "
                "'2024-11-04', 2, 2, 1)"
            )
        # Stories in the columns of schema migration 4 (the stories stage's table).
        con.execute("DROP TABLE IF EXISTS stories")
        if later_stages:
            con.execute(STORIES_TABLE)
            for seq, st in enumerate(STORIES):
                con.execute(
                    "INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)",
                    [
                        st["id"],
                        seq,
                        st["article_ids"][0],
                        st["title"],
                        st["first"],
                        st["last"],
                        st["n_articles"],
                        st["n_articles"],
                    ],
                )
        if not later_stages:
            con.execute("DROP TABLE IF EXISTS alerts")  # a database from before `legation watch`
    finally:
        con.close()
    if later_stages:
        _add_alerts(path)
    return path


FIRED = "2024-11-06T08:00:00Z"


def _add_alerts(path: Path) -> None:
    """Two alerts, as a watch with these rules would store them: one event, one agreement."""
    refs = {
        a["id"]: {"title": a["title"], "site": "Test Wire", "published": a["published"]} for a in ARTICLES
    }
    events = [{**e, "_article": refs[e["article_id"]]} for e in EVENTS]
    found = event_alerts(
        [Rule("PRK attacks", event=frozenset({"ASSAULT"}), actor=frozenset({"PRK"}))], events, FIRED
    )
    found += agreement_alerts(
        [Rule("Korean agreements", on="agreement", party=frozenset({"KOR"}))],
        AGREEMENTS[:1],
        lambda r: {},
        refs,
        FIRED,
    )
    with Store(path) as store:
        store_alerts(store, found)
