"""Build a large synthetic Legation database for API load tests (``bench/bench_api_load.py``).

The file is opened with :class:`legation.store.db.Store`, so the migrations create legation's
own schema; the rows are then generated inside DuckDB (``INSERT ... SELECT ... FROM range()``),
which writes a million events in well under a minute. Every table an API endpoint reads gets
rows shaped like the pipeline's: articles (4 events each), mentions (3 per article), events
with PLOVER records (actor/recipient codes and actor ids, quad, Goldstein, sentence), event
clusters (3 mentions each), stories (20 articles each), claims (1 per 5 articles, 500 topics)
and agreements. Deterministic: the same ``--events`` gives the same database.

Usage::

    .venv/bin/python bench/gen_events_db.py --events 1000000 --db /tmp/big.duckdb
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from legation.store.db import Store
from legation.store.schema import EVENT_PARTIES_FROM_RECORDS
from legation.store.summary import refresh as refresh_summaries

CODES = [
    "RUS", "UKR", "CHN", "USA", "FRA", "DEU", "JPN", "IND", "IRN", "ISR", "TUR", "BRA", "KOR", "PRK",
    "GBR", "POL", "EGY", "SAU", "PAK", "ZAF", "NATO", "EU", "UN", "AU", "IAEA", "ASEAN", "QAT", "AUT",
]  # fmt: skip
PEOPLE = [
    ("vladimir-putin", "RUS"),
    ("volodymyr-zelensky", "UKR"),
    ("xi-jinping", "CHN"),
    ("kim-jong-un", "PRK"),
]
TYPES = [
    ("AGREE", 1, 4.0), ("CONSULT", 1, 1.0), ("SUPPORT", 1, 3.0), ("CONCEDE", 2, 5.0),
    ("COOPERATE", 2, 6.0), ("AID", 2, 7.0), ("RETREAT", 2, 5.0), ("REQUEST", 1, 3.0),
    ("ACCUSE", 3, -2.0), ("REJECT", 3, -4.0), ("THREATEN", 3, -6.0), ("PROTEST", 3, -6.5),
    ("SANCTION", 4, -8.0), ("MOBILIZE", 4, -7.0), ("COERCE", 4, -7.0), ("ASSAULT", 4, -10.0),
]  # fmt: skip
DAYS = 730

BODY = (
    "{a} and {b} held talks in the capital on the crisis, officials said, describing the meeting as "
    "constructive. {a} accused {b} of violating the ceasefire along the border. Analysts said the move "
    "reflected growing tension in the region. The statement did not give further details. Diplomats said "
    "more meetings were expected in the coming weeks."
)


def _list_sql(values: list[str]) -> str:
    return "[" + ", ".join(f"'{v}'" for v in values) + "]"


def build(db: str, n_events: int) -> dict[str, int]:
    n_art = max(1, n_events // 4)
    codes = _list_sql(CODES)
    types = _list_sql([t for t, _, _ in TYPES])
    quads = "[" + ", ".join(str(q) for _, q, _ in TYPES) + "]"
    golds = "[" + ", ".join(str(g) for _, _, g in TYPES) + "]"
    people = _list_sql([p for p, _ in PEOPLE])
    people_codes = _list_sql([c for _, c in PEOPLE])
    nc = len(CODES)
    with Store(db) as store:
        con = store.con
        con.execute("SET preserve_insertion_order = false")

        def run(label: str, sql: str) -> None:
            t = time.time()
            con.execute(sql)
            print(f"  {label}: {time.time() - t:.1f} s", flush=True)

        # Article i: published on day i*DAYS/n_art; parties a = CODES[i % nc], b = CODES[(i*7+3) % nc].
        run(
            "articles",
            f"""
            INSERT INTO articles (id, seq, source, input_key, url, site, title, published, published_date,
                published_basis, published_precision, author, text, datelines, fmt, encoding, lang,
                content_hash, norm_hash, duplicate_of, story_id, warnings)
            SELECT 'a' || lpad(i::VARCHAR, 8, '0'), i + 1,
                   'https://site' || (i % 12) || '.example/' || i, 'synthetic.jsonl#' || (i + 1),
                   'https://site' || (i % 12) || '.example/' || i, 'site' || (i % 12) || '.example',
                   a || ' and ' || b || ' trade accusations over border incident #' || i,
                   strftime(d, '%Y-%m-%d'), d, 'record', 'day', ['Staff writer'],
                   replace(replace('{BODY}', '{{a}}', a), '{{b}}', b),
                   '[]', 'text', 'utf-8', 'en', md5(i::VARCHAR), md5('n' || i::VARCHAR),
                   CASE WHEN i % 50 = 49 THEN 'a' || lpad((i - 1)::VARCHAR, 8, '0') END,
                   's-' || lpad((i // 20)::VARCHAR, 8, '0'), []
            FROM (SELECT i, DATE '2023-01-01' + CAST(i * {DAYS} // {n_art} AS INTEGER) AS d,
                         {codes}[1 + i % {nc}] AS a, {codes}[1 + (i * 7 + 3) % {nc}] AS b
                  FROM range({n_art}) t(i))
            """,
        )
        # Event j of article j // 4 (idx 1..4); 3 mentions per cluster; one in 8 has a person as actor.
        run(
            "events",
            f"""
            INSERT INTO events (id, seq, idx, article_id, event, quad, date, event_cluster, record)
            SELECT id, art + 1, idx, aid, ev, q, dt, cl,
                   json_object(
                     'id', id, 'article_id', aid, 'event', ev, 'mode', NULL, 'context', [],
                     'actor', [json_object('text', atext, 'code', acode, 'actor_id', aact, 'sector', NULL)],
                     'recipient', [json_object('text', bcode, 'code', bcode, 'actor_id', bcode,
                                               'sector', NULL)],
                     'date', dt, 'date_precision', 'day', 'aux', NULL, 'attribution', NULL, 'location', NULL,
                     'quantity', NULL, 'cameo', '040', 'quad', q, 'goldstein', g,
                     'text_info', json_object('sentence', acode || ' ' || lower(ev) || ' ' || bcode
                                              || ' over the border incident number ' || j,
                                              'start', 0, 'end', 60),
                     'event_cluster', cl, 'rule', 'synthetic', 'trigger', lower(ev))
            FROM (
              SELECT j, id, art, idx, aid, ev, q, g, dt, cl, bcode,
                     CASE WHEN j % 8 = 0 THEN {people_codes}[1 + j % 4] ELSE acode0 END AS acode,
                     CASE WHEN j % 8 = 0 THEN {people}[1 + j % 4] ELSE acode0 END AS aact,
                     CASE WHEN j % 8 = 0 THEN {people}[1 + j % 4] ELSE acode0 END AS atext
              FROM (
                SELECT j, j // 4 AS art, (j % 4 + 1)::INTEGER AS idx,
                       'a' || lpad((j // 4)::VARCHAR, 8, '0') AS aid,
                       'a' || lpad((j // 4)::VARCHAR, 8, '0') || '-e' || (j % 4 + 1) AS id,
                       {types}[1 + (j * 5 + j // 4) % 16] AS ev,
                       {quads}[1 + (j * 5 + j // 4) % 16]::INTEGER AS q,
                       {golds}[1 + (j * 5 + j // 4) % 16]::DOUBLE AS g,
                       strftime(DATE '2023-01-01' + CAST((j // 4) * {DAYS} // {n_art} AS INTEGER),
                                '%Y-%m-%d') AS dt,
                       'ec-' || lpad((j // 3)::VARCHAR, 8, '0') AS cl,
                       {codes}[1 + (j // 4) % {nc}] AS acode0,
                       {codes}[1 + ((j // 4) * 7 + 3 + j % 4) % {nc}] AS bcode
                FROM range({n_events}) t(j)))
            """,
        )
        run("event parties", EVENT_PARTIES_FROM_RECORDS)
        run(
            "mentions",
            f"""
            INSERT INTO mentions (seq, article_id, start_char, end_char, actor_id, code, kind, record)
            SELECT art + 1, aid, s, s + length(c), c, c, 'state',
                   json_object('article_id', aid, 'text', c, 'start', s, 'end', s + length(c),
                               'actor_id', c, 'name', c, 'code', c, 'kind', 'state', 'sector', NULL,
                               'role', NULL, 'rule', 'dictionary')
            FROM (SELECT k // 3 AS art, 'a' || lpad((k // 3)::VARCHAR, 8, '0') AS aid, (k % 3) * 40 AS s,
                         {codes}[1 + ((k // 3) * (1 + k % 3 * 6) + k % 3 * 3) % {nc}] AS c
                  FROM range({n_art * 3}) t(k))
            """,
        )
        run(
            "event_clusters",
            """
            INSERT INTO event_clusters (cluster_id, seq, first_event, event, story_id, date_min, date_max,
                mentions, articles, sources)
            SELECT e.event_cluster, min(e.seq), min_by(e.id, e.seq * 100000 + e.idx), min(e.event),
                   min_by(a.story_id, e.seq), min(e.date), max(e.date),
                   count(*) FILTER (a.duplicate_of IS NULL),
                   count(DISTINCT e.article_id) FILTER (a.duplicate_of IS NULL),
                   count(DISTINCT a.site) FILTER (a.duplicate_of IS NULL)
            FROM events e JOIN articles a ON a.id = e.article_id GROUP BY e.event_cluster
            """,
        )
        run(
            "stories",
            """
            INSERT INTO stories (story_id, seq, first_article, title, first_published, last_published,
                articles, originals, sites)
            SELECT story_id, min(seq), min_by(id, seq), min_by(title, seq), min(published_date),
                   max(published_date), count(*), count(*) FILTER (duplicate_of IS NULL), count(DISTINCT site)
            FROM articles GROUP BY story_id
            """,
        )
        run(
            "claims",
            f"""
            INSERT INTO claims (id, seq, article_id, topic, group_id, disputed, record)
            SELECT id, art + 1, aid, topic, 'cg-' || md5(topic)[:12], (art // 5) % 500 % 3 = 0,
                   json_object('id', id, 'article_id', aid, 'topic', topic, 'value', (art % 900) + 5,
                               'unit', 'killed', 'qualifier', NULL, 'kind', 'killed', 'subject', topic,
                               'claimant', [json_object('text', code || ' officials', 'code', code)],
                               'as_of', NULL, 'text_info', json_object('sentence', code || ' officials said '
                               || ((art % 900) + 5) || ' soldiers had been killed.', 'start', 0, 'end', 50),
                               'group_id', 'cg-' || md5(topic)[:12], 'disputed', (art // 5) % 500 % 3 = 0)
            FROM (SELECT art, 'a' || lpad(art::VARCHAR, 8, '0') AS aid,
                         md5('claim' || art::VARCHAR)[:16] AS id,
                         {codes}[1 + (art // 5) % 500 % {nc}] || ' killed ' || ((art // 5) % 500) AS topic,
                         {codes}[1 + (art // 5) % 500 % {nc}] AS code
                  FROM range(0, {n_art}, 5) t(art))
            """,
        )
        n_ag = max(1, n_art // 125)
        run(
            "agreements",
            f"""
            INSERT INTO agreements (id, seq, record)
            SELECT id, art + 1,
                   json_object('id', id, 'name', 'Synthetic Agreement ' || k, 'kind', 'agreement',
                               'parties', list_sort([{codes}[1 + k % {nc}], {codes}[1 + (k * 3 + 1) % {nc}]]),
                               'dates', json_object('announced', NULL, 'signed', d, 'ratified', NULL,
                                                    'launched', NULL),
                               'status', CASE k % 3 WHEN 0 THEN 'signed' WHEN 1 THEN 'announced'
                                         ELSE 'ratified' END,
                               'article_ids', ['a' || lpad(art::VARCHAR, 8, '0')],
                               'evidence', ['They signed Synthetic Agreement ' || k || '.'])
            FROM (SELECT k, k * 125 AS art, 'ag-' || md5('ag' || k::VARCHAR)[:12] AS id,
                         strftime(DATE '2023-01-01' + CAST(k * 125 * {DAYS} // {n_art} AS INTEGER),
                                  '%Y-%m-%d') AS d
                  FROM range({n_ag}) t(k))
            """,
        )
        t = time.time()
        refresh_summaries(con)  # as an ingest ends: the summary tables the API reads
        print(f"  summary tables: {time.time() - t:.1f} s", flush=True)
        con.execute("CHECKPOINT")
        counts = {
            t: int(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0])
            for t in ("articles", "events", "mentions", "event_clusters", "stories", "claims", "agreements")
        }
    return counts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--db", required=True, help="database file to create (must not exist)")
    args = ap.parse_args()
    if Path(args.db).exists():
        raise SystemExit(f"{args.db} exists; remove it first")
    t = time.time()
    counts = build(args.db, args.events)
    print(", ".join(f"{k} {v:,}" for k, v in counts.items()))
    print(f"built in {time.time() - t:.1f} s: {args.db} ({Path(args.db).stat().st_size / 2**20:.0f} MiB)")


if __name__ == "__main__":
    main()
