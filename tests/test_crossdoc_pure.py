"""The cross-article algorithms on rows made by hand: no database in this file.

Each step of :mod:`legation.crossdoc.update` reads rows through :mod:`legation.store.crossdoc_rows`
and hands them to the pure functions tested here (stories, event clusters, claim groups and
disputes, the agreements registry, the relations graph). The last tests keep it that way: no
SQL and no connection under ``crossdoc/``, and the algorithm modules import nothing of the
store.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from legation.crossdoc import agreements, claims, clusters, stories
from legation.crossdoc.graph import edges_from
from legation.extract.agreements import extract_agreements
from legation.extract.claims import extract_claims
from legation.models import Article, Mention

CROSSDOC = Path(__file__).resolve().parents[1] / "src" / "legation" / "crossdoc"
EXTRACT = CROSSDOC.parent / "extract"


def _mentions(text: str, names: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    """Mention records for every occurrence of each name (code, kind), as the resolver stores them."""
    out = []
    for name, (code, kind) in names.items():
        for m in re.finditer(re.escape(name), text):
            out.append({"start": m.start(), "end": m.end(), "text": name, "code": code, "kind": kind})
    return sorted(out, key=lambda m: m["start"])


# ---------------------------------------------------------------------------- stories

SUMMIT = (
    "Kim Jong Un met Vladimir Putin at the Vostochny cosmodrome to discuss weapons supplies, "
    "satellite technology and military cooperation between North Korea and Russia."
)
SUMMIT_2 = (
    "After meeting Vladimir Putin at the Vostochny cosmodrome, Kim Jong Un toured weapons "
    "factories; the talks on military cooperation and satellite technology went on."
)
RATES = (
    "The European Central Bank raised its deposit rate by a quarter point to curb inflation, "
    "and economists expect borrowing costs in the eurozone to stay high into next year."
)


def _art(
    aid: str, seq: int, text: str, day: date | None, actors: tuple[str, ...] = (), dup: str | None = None
) -> stories.BatchArticle:
    return stories.BatchArticle(aid, seq, None, text, day, dup, actors)


def _assign(
    batch: list[stories.BatchArticle], pool: list[stories.Doc] | None = None, **kw: Any
) -> stories.StoryUpdate:
    docs = stories.batch_docs(batch)
    return stories.assign_batch(
        batch, docs, pool or [], kw.get("df", {}), kw.get("n_docs", 0), kw.get("stored", {})
    )


def test_articles_sharing_actors_and_words_join_one_story_an_unrelated_one_does_not() -> None:
    batch = [
        _art("a", 1, SUMMIT, date(2023, 9, 13), ("PRK", "RUS")),
        _art("b", 2, SUMMIT_2, date(2023, 9, 14), ("PRK", "RUS")),
        _art("c", 3, RATES, date(2023, 9, 14), ("ECB",)),
    ]
    up = _assign(batch)
    assert up.story_of["a"] == up.story_of["b"] == stories.story_id_for("a")  # named after the first
    assert up.story_of["c"] == stories.story_id_for("c")
    assert up.touched == sorted({stories.story_id_for("a"), stories.story_id_for("c")})
    # Frequencies count each term once per original; the summit words are in two articles.
    assert up.new_df["cosmodrome"] == 2 and up.new_df["@PRK"] == 2 and up.new_df["inflation"] == 1
    assert [d.id for d in up.docs] == ["a", "b", "c"] and all(d.vector for d in up.docs)


def test_the_same_words_outside_the_window_start_a_new_story() -> None:
    later = date(2023, 9, 13).toordinal() + stories.WINDOW_DAYS + 1
    up = _assign([_art("a", 1, SUMMIT, date(2023, 9, 13)), _art("b", 2, SUMMIT, date.fromordinal(later))])
    assert up.story_of["b"] == stories.story_id_for("b")


def test_batch_by_batch_equals_one_batch() -> None:
    """The second batch sees the first only through what the store keeps: vectors and stories
    of the assigned documents and the document frequencies."""
    arts = [
        _art("a", 1, SUMMIT, date(2023, 9, 13), ("PRK", "RUS")),
        _art("c", 2, RATES, date(2023, 9, 14), ("ECB",)),
        _art("b", 3, SUMMIT_2, date(2023, 9, 15), ("PRK", "RUS")),
    ]
    one = _assign(arts)
    first = _assign(arts[:2])
    second = _assign(arts[2:], first.docs, df=dict(first.new_df), n_docs=len(first.docs))
    assert {**first.story_of, **second.story_of} == one.story_of
    assert second.story_of["b"] == one.story_of["a"]


def test_a_duplicate_takes_its_originals_story_and_is_not_counted() -> None:
    batch = [
        _art("a", 1, SUMMIT, date(2023, 9, 13)),
        _art("a2", 2, SUMMIT, date(2023, 9, 13), dup="a"),
        _art("x2", 3, RATES, date(2023, 9, 13), dup="x"),  # its original was stored earlier
    ]
    docs = stories.batch_docs(batch)
    assert [d.id for d in docs] == ["a"]
    assert stories.stored_originals(batch, docs) == ["x"]
    up = stories.assign_batch(batch, docs, [], {}, 0, {"x": "s-stored"})
    assert up.story_of == {"a": stories.story_id_for("a"), "a2": stories.story_id_for("a"), "x2": "s-stored"}
    assert up.new_df["cosmodrome"] == 1


def test_pool_window_covers_the_batch_dates_and_undated_articles() -> None:
    batch = [_art("a", 7, SUMMIT, date(2023, 9, 13)), _art("b", 9, RATES, date(2023, 9, 20))]
    w = stories.pool_window(batch, stories.batch_docs(batch))
    assert w.before_seq == 7 and w.undated is None
    wd = timedelta(days=stories.WINDOW_DAYS)
    assert w.dated == (date(2023, 9, 13) - wd, date(2023, 9, 20) + wd)
    batch.append(_art("c", 8, RATES, None))
    w = stories.pool_window(batch, stories.batch_docs(batch))
    assert w.undated == stories.UNDATED_POOL


# ---------------------------------------------------------------------------- event clusters


def _m(
    i: int, actors: tuple[str, ...], recipients: tuple[str, ...], day: date, **kw: Any
) -> clusters.Mention:
    m = clusters.Mention(
        id=f"e{i}",
        seq=i,
        idx=0,
        event="CONSULT",
        aux=None,
        actors=frozenset(actors),
        recipients=frozenset(recipients),
        day=day,
        precision="day",
        published=day,
        story="s1",
    )
    return replace(m, **kw)


def _record(m: clusters.Mention) -> str:
    return json.dumps({"id": m.id, "event": m.event, "event_cluster": None, "date": str(m.day)})


def test_mentions_of_one_meeting_share_a_cluster_and_records_carry_it() -> None:
    new = [
        _m(1, ("RUS",), ("PRK",), date(2023, 9, 13)),
        _m(2, ("PRK",), ("RUS",), date(2023, 9, 14)),  # a day apart, parties swapped: one meeting
        _m(3, ("FRA",), ("DEU",), date(2023, 9, 13)),  # no party in common
    ]
    up = clusters.cluster_batch(new, [_record(m) for m in new], [])
    first = clusters.cluster_id_for("e1")
    assert up.ids == ["e1", "e2", "e3"]
    assert up.clusters == [first, first, clusters.cluster_id_for("e3")]
    assert up.touched == sorted({first, clusters.cluster_id_for("e3")})
    rec = json.loads(up.records[1])
    assert rec["event_cluster"] == first and list(rec) == ["id", "event", "event_cluster", "date"]


def test_a_mention_joins_a_stored_cluster_unless_its_date_disagrees_with_a_member() -> None:
    stored = [
        _m(1, ("RUS",), ("PRK",), date(2023, 9, 13), cluster="ec-old"),
        _m(2, ("RUS",), ("PRK",), date(2023, 9, 14), cluster="ec-old"),
    ]
    near = _m(5, ("RUS",), ("PRK",), date(2023, 9, 14))
    far = _m(6, ("RUS",), ("PRK",), date(2023, 9, 16))  # compatible with no member's day
    up = clusters.cluster_batch([near, far], [_record(near), _record(far)], stored)
    assert up.clusters == ["ec-old", clusters.cluster_id_for("e6")]


def test_pool_query_reads_the_batch_types_codes_stories_and_windows() -> None:
    new = [
        _m(4, ("RUS",), ("PRK",), date(2023, 9, 13)),
        _m(3, ("USA",), (), date(2023, 10, 1), event="ACCUSE", story="s2"),
    ]
    q = clusters.pool_query(new)
    assert q.before_seq == 3 and q.stories == ["s1", "s2"]
    assert q.types == ["ACCUSE", "CONSULT"] and q.codes == ["PRK", "RUS", "USA"]
    assert q.close_window == (date(2023, 8, 13), date(2023, 11, 1))  # +- LOOKBACK_DAYS
    assert q.story_window is not None and q.story_window[0] < q.close_window[0]
    undated = clusters.pool_query([replace(new[0], published=None)])
    assert undated.close_window is None and undated.story_window is None


# ---------------------------------------------------------------------------- claims

TOPIC = "PRK soldiers"


def _claim(cid: str, day: str | None, value: float, kind: str = "count", **kw: Any) -> claims.StoredClaim:
    rec = {
        "id": cid,
        "as_of": day,
        "value": value,
        "qualifier": None,
        "claim_kind": kind,
        "article_id": cid,
        **kw,
    }
    return claims.StoredClaim(cid, rec, None, None)


def test_two_counts_of_one_quantity_that_disagree_are_disputed() -> None:
    writes = claims.regroup(TOPIC, [_claim("a", "2024-10-23", 3000), _claim("b", "2024-11-12", 11000)], True)
    assert [(w.group_id, w.disputed, w.ids) for w in writes] == [(claims.group_id(TOPIC), True, ["a", "b"])]
    assert all(r["group_id"] == claims.group_id(TOPIC) and r["disputed"] for r in writes[0].records)


def test_a_projection_beside_a_count_and_rounded_figures_are_not_disputed() -> None:
    projection = [_claim("a", "2024-10-23", 3000), _claim("b", "2024-10-24", 11000, "projection")]
    rounded = [_claim("a", "2024-10-23", 10000), _claim("b", "2024-10-24", 10400)]
    for group in (projection, rounded):
        writes = claims.regroup(TOPIC, group, True)
        assert [w.disputed for w in writes] == [False]


def test_a_figure_a_season_later_is_its_own_group_and_unchanged_claims_are_not_written() -> None:
    recs = [_claim("a", "2024-10-23", 3000), _claim("b", "2025-06-01", 11000)]
    writes = claims.regroup(TOPIC, recs, True)
    later = claims.group_id(f"{TOPIC}|2025-06-01")
    assert [(w.group_id, w.ids, w.disputed) for w in writes] == [
        (claims.group_id(TOPIC), ["a"], False),
        (later, ["b"], False),
    ]
    stored = [replace(recs[0], group_id=claims.group_id(TOPIC), disputed=False), recs[1]]
    assert [w.ids for w in claims.regroup(TOPIC, stored, True)] == [["b"]]
    # Regrouped from a later group on (``first`` false), the group is named after its first day.
    assert [w.group_id for w in claims.regroup(TOPIC, recs[1:], False)] == [later]


def _article(aid: str, text: str, published: str | None, dup: str | None = None, **kw: Any) -> Article:
    return Article(aid, "src", aid, text, published=published, duplicate_of=dup, **kw)


def test_claim_rows_store_the_originals_claims_and_regroup_days_say_from_when() -> None:
    text = "North Korea has sent about 10,000 soldiers to Russia, the Pentagon said. No figure here."
    names = {"North Korea": ("PRK", "state"), "Russia": ("RUS", "state"), "Pentagon": ("USA", "state")}
    batch = []
    pages = [("a", "2024-10-28", None), ("u", None, None), ("d", None, "a")]  # "d" copies "a"
    for seq, (aid, day, dup) in enumerate(pages, start=4):
        art = {"id": aid, "text": text, "published": day}
        batch.append((_article(aid, text, day, dup, claims=extract_claims(art, _mentions(text, names))), seq))
    rows = claims.claim_rows(batch)
    assert [(r.article_id, r.seq, r.topic) for r in rows] == [("a", 4, TOPIC), ("u", 5, TOPIC)]  # no copy
    assert rows[0].record["claimant"][0]["code"] == "USA" and rows[0].record["value"] == 10000
    days = [(r.topic, r.record["as_of"]) for r in rows]
    assert claims.regroup_days(days) == {TOPIC: None}  # an undated claim: the whole topic is regrouped
    assert claims.regroup_days(days[:1]) == {TOPIC: date(2024, 10, 28)}
    assert claims.regroup_days([(TOPIC, "2024-11-02"), (TOPIC, "2024-10-30"), ("T", "2024")]) == {
        "T": None,  # a reduced date is no day
        TOPIC: date(2024, 10, 30),
    }


# ---------------------------------------------------------------------------- agreements

EU_JAPAN = {"EU": ("EU", "igo"), "Japan": ("JPN", "state")}


def _agreement_rows(texts: list[tuple[str, str]]) -> list[agreements.MentionRow]:
    batch = []
    for seq, (aid, text) in enumerate(texts, start=1):
        found = extract_agreements({"text": text, "published": "2024-11-01"}, _mentions(text, EU_JAPAN))
        rows = [{**m, "article_id": aid} for m in found]
        batch.append((_article(aid, text, "2024-11-01", agreement_mentions=rows), seq))
    return agreements.mention_rows(batch)


def test_two_names_of_one_instrument_merge_into_one_agreement_record() -> None:
    rows = _agreement_rows(
        [
            ("a", "The EU and Japan signed the EU-Japan Security and Defence Partnership."),
            ("b", "Japan and the EU launched their Security and Defense Partnership in Tokyo."),
            ("c", "The EU and Japan signed an Economic Partnership Agreement."),
        ]
    )
    keys = sorted({r.key for r in rows})
    assert len(keys) == 2  # the partnership (two spellings) and the trade agreement
    sdp = next(k for k in keys if "defence" in k)
    rec = agreements.build_record(sdp, [(r.seq, r.record) for r in rows if r.key == sdp])
    assert rec is not None and rec.id == agreements.agreement_id(sdp) and rec.seq == 1
    assert rec.record["name"] == "EU-Japan Security and Defence Partnership"  # the fullest form
    assert rec.record["parties"] == ["EU", "JPN"] and rec.record["article_ids"] == ["a", "b"]
    assert rec.record["status"] == "launched"  # the later stage
    assert rec.record["dates"]["signed"] == rec.record["dates"]["launched"] == "2024-11-01"


def _pact(day: str, evidence: str, basis: str = "text", prec: str | None = None) -> dict[str, Any]:
    """A stored mention of the A–B "Pact", signed on ``day``, from article ``evidence``."""
    return {
        "name": "Pact",
        "kind": "agreement",
        "parties": ["A", "B"],
        "article_id": evidence,
        "dates": {"signed": day},
        "date_basis": {"signed": basis},
        **({"date_precision": {"signed": prec}} if prec else {}),
        "evidence": evidence,
    }


def test_a_date_printed_in_the_text_beats_the_publication_date() -> None:
    found = [(1, _pact("2024-05-10", "x", "published")), (2, _pact("2024-05-04", "y"))]
    rec = agreements.build_record("A B | pact", found)
    assert rec is not None
    assert rec.record["dates"]["signed"] == "2024-05-04" and rec.record["date_basis"]["signed"] == "text"
    assert rec.record["date_evidence"]["signed"] == "y" and rec.record["status"] == "signed"
    assert agreements.build_record("A B | pact", []) is None  # no mention left: the record goes


def test_a_copy_adds_no_agreement_mention() -> None:
    text = "The EU and Japan signed an Economic Partnership Agreement."
    found = extract_agreements({"text": text, "published": "2024-11-01"}, _mentions(text, EU_JAPAN))
    copy = _article("c", text, "2024-11-01", "a", agreement_mentions=found)
    assert len(found) == 1 and agreements.mention_rows([(copy, 2)]) == []


# ---------------------------------------------------------------------------- relations graph


def test_graph_edges_sum_real_events_and_add_shared_agreements() -> None:
    pair = {"actor": [{"code": "KOR"}], "recipient": [{"code": "JPN"}]}
    events = [
        {**pair, "quad": 1, "goldstein": 3.0, "date": "2024-05"},
        {**pair, "quad": 2, "goldstein": 5.0, "date": "2024-03"},
        {**pair, "aux": "negated", "goldstein": -9.0},  # did not happen: no edge weight
    ]
    got = list(edges_from(events, [{"name": "Pact", "parties": ["JPN", "KOR"]}]))
    assert [(e["source"], e["target"]) for e in got] == [("JPN", "KOR"), ("KOR", "JPN")]
    undirected, directed = got
    assert undirected["agreements"] == ["Pact"] and undirected["events"] == 0
    assert directed["events"] == 2 and directed["mean_goldstein"] == 4.0
    assert (directed["first"], directed["last"]) == ("2024-03", "2024-05")
    assert directed["quad"] == {"1": 1, "2": 1, "3": 0, "4": 0}


# ------------------------------------------------------------------ no SQL in crossdoc/ and extract/

#: SQL verbs as written in statements (upper case), and the store calls that take SQL.
_SQL = re.compile(r"\b(?:SELECT|INSERT|DELETE|UPDATE|CREATE|DROP|ALTER|WITH\s+\w+\s+AS)\b")
_SQL_CALLS = {"execute", "executemany", "con", "scalar", "iter_rows", "sql", "query", "fetchall"}
#: Modules of pure algorithms: they must not even import the store or DuckDB. The per-article
#: extractors (extract/, run in the workers) are all pure.
_PURE = [CROSSDOC / f"{n}.py" for n in ("agreements", "claims", "clusters", "dedup", "stories")]
_PURE += sorted(EXTRACT.glob("*.py"))


def test_no_sql_and_no_connection_under_crossdoc() -> None:
    found = []
    for path in sorted([*CROSSDOC.glob("*.py"), *EXTRACT.glob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in _SQL_CALLS:
                found.append(f"{path.name}:{node.lineno}: .{node.attr}")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL.search(node.value):
                found.append(f"{path.name}:{node.lineno}: {node.value[:40]!r}")
    assert not found, found


def test_the_algorithm_modules_import_nothing_of_the_store() -> None:
    found = []
    for path in _PURE:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        name = f"{path.parent.name}/{path.name}"
        for node in ast.walk(tree):
            mods = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [f"{name}: {m}" for m in mods if m.startswith(("legation.store", "duckdb"))]
    assert not found, found


def test_the_sql_check_catches_sql() -> None:
    """The checks above would see a query (guards against a pattern that matches nothing)."""
    tree = ast.parse('store.con.execute("SELECT id FROM articles WHERE id = ?", [x])')
    attrs = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    consts = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert attrs & _SQL_CALLS and any(_SQL.search(c) for c in consts)


def test_figures_that_name_no_actor_group_only_within_one_country() -> None:
    text = "At least 1,600 people were killed in gang violence, officials said."
    haiti = [Mention("Haiti", 0, 5, "HTI", "Haiti", "HTI", "state", None, None, "dictionary")] * 2
    lebanon = [Mention("Lebanon", 0, 7, "LBN", "Lebanon", "LBN", "state", None, None, "dictionary")] * 2
    batch = []
    for seq, (aid, ments) in enumerate([("h1", haiti), ("h2", haiti), ("l1", lebanon), ("x", [])], start=1):
        found = extract_claims({"id": aid, "text": text, "published": "2025-04-01"}, [])
        batch.append((_article(aid, text, "2025-04-01", claims=found, mentions=list(ments)), seq))
    rows = claims.claim_rows(batch)
    assert {r.record["topic"] for r in rows} == {"? killed"}
    # The two Haiti pages share a group key; Lebanon's and the page naming no state do not.
    assert [r.topic for r in rows] == ["? killed @HTI", "? killed @HTI", "? killed @LBN", "? killed @x"]
    named = extract_claims({"id": "n", "text": "Russia sent 3,000 soldiers.", "published": None}, [])
    n = _article("n", "", None, claims=named)
    assert claims.group_topic("RUS soldiers", claims.topic_scope(n)) == "RUS soldiers"


def test_group_keys_one_record_per_instrument_however_named() -> None:
    keys = [
        "EU KOR | partnership",
        "EU KOR | digital partnership",
        "EU KOR | green partnership",
        "EU KOR | framework agreement",
        "EU KOR | free trade agreement",
        "GBR UKR | 100-year partnership",
        "GBR UKR | year partnership",
        "GBR UKR | partnership agreement",
        "ISR LBN | november ceasefire",
        "ISR LBN | truce",
        "ISR LBN | ceasefire agreement",
        "IRN RUS | strategic partnership agreement",
        "IRN RUS | 20-year agreement",
        "IRN RUS | partnership",
    ]
    got = agreements.group_keys(keys)
    # "partnership" could be the Digital or the Green Partnership: it stays its own.
    assert {k: v for k, v in got.items() if k.startswith("EU KOR")} == {k: k for k in keys[:5]}
    assert {got[k] for k in keys[5:8]} == {"GBR UKR | 100-year partnership"}
    assert {got[k] for k in keys[8:11]} == {"ISR LBN | ceasefire agreement"}
    assert {got[k] for k in keys[11:]} == {"IRN RUS | strategic partnership agreement"}
    # A function of the set of keys: order and repetition do not matter.
    assert agreements.group_keys(reversed(keys + keys[:3])) == got
    # Of two candidates, the one whose own head is of the key's class: a bare "partnership" is the
    # Security and Defence Partnership, not the Strategic Partnership Agreement.
    jpn = [
        "EU JPN | partnership",
        "EU JPN | security defence partnership",
        "EU JPN | strategic partnership agreement",
    ]
    assert agreements.group_keys(jpn)["EU JPN | partnership"] == "EU JPN | security defence partnership"
    assert agreements.group_keys(jpn)["EU JPN | strategic partnership agreement"] == jpn[2]
    # Another party set never joins.
    assert agreements.group_keys(["A B | pact", "A C | pact"]) == {
        "A B | pact": "A B | pact",
        "A C | pact": "A C | pact",
    }


def test_group_keys_keeps_apart_names_that_date_one_step_differently() -> None:
    keys = ["GBR UKR | agreement", "GBR UKR | agreement on security co-operation"]
    assert len(set(agreements.group_keys(keys).values())) == 1

    def ms(day: str, article: str) -> list[dict[str, Any]]:
        return [{"dates": {"signed": day}, "date_basis": {"signed": "text"}, "article_id": article}]

    dates = {keys[0]: ms("2024-12-10", "a"), keys[1]: ms("2024-01", "b")}
    assert len(set(agreements.group_keys(keys, dates).values())) == 2
    dates = {keys[0]: ms("2024-01-16", "a"), keys[1]: ms("2024-01", "b")}  # a day in the month
    assert len(set(agreements.group_keys(keys, dates).values())) == 1
    # A bare head the extractor kept apart from another name of its own article is another.
    dates = {keys[0]: ms("2024-01-16", "a"), keys[1]: ms("2024-01", "a")}
    assert len(set(agreements.group_keys(keys, dates).values())) == 2
    # Only a date the text or the event gives counts: a dateline day stands in for none.
    m = {
        "dates": {"signed": "2024-12-10", "launched": "2024-12-11"},
        "date_basis": {"signed": "text", "launched": "dateline"},
    }
    assert agreements.text_dates(m) == {"signed": "2024-12-10"}


def test_a_week_does_not_beat_a_day_inside_it() -> None:
    for found in (
        [(1, _pact("2025-04-19", "x", prec="day")), (2, _pact("2025-04-14", "y", prec="week"))],
        [(1, _pact("2025-04-14", "y", prec="week")), (2, _pact("2025-04-19", "x", prec="day"))],
    ):
        rec = agreements.build_record("A B | pact", found)
        assert rec is not None and rec.record["dates"]["signed"] == "2025-04-19"


def test_group_keys_checks_a_key_against_every_date_of_the_group() -> None:
    def ms(day: str, prec: str = "day") -> list[dict[str, Any]]:
        basis, precision = {"signed": "text"}, {"signed": prec}
        return [{"dates": {"signed": day}, "date_basis": basis, "date_precision": precision}]

    keys = ["IND USA | framework agreement", "IND USA | 10-year framework", "IND USA | 2015 framework"]
    mentions = {keys[0]: [], keys[1]: ms("2025-10-31"), keys[2]: ms("2015", "year")}
    got = agreements.group_keys(keys, mentions)
    assert got[keys[1]] == keys[0] and got[keys[2]] == keys[2]  # the 2015 one is another
    # "last week" (the week's Monday) agrees with a day of that week, not with one after it.
    week = {"A B | forces agreement": ms("2025-04-14", "week"), "A B | status forces agreement": []}
    week["A B | status forces agreement"] = ms("2025-04-19")
    assert len(set(agreements.group_keys(week, week).values())) == 1
    week["A B | status forces agreement"] = ms("2025-04-22")
    assert len(set(agreements.group_keys(week, week).values())) == 2
