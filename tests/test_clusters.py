"""Event clusters: when two mentions are one real-world event, and how clusters grow."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

from legation.crossdoc.clusters import Mention, assign, cluster_id_for, compatible, mention_from


def _m(
    i: int,
    event: str = "CONSULT",
    actors: tuple[str, ...] = ("RUS",),
    recipients: tuple[str, ...] = ("PRK",),
    day: date | None = date(2023, 9, 13),
    precision: str = "day",
    published: date | None = date(2023, 9, 14),
    story: str | None = "s1",
    aux: str | None = None,
) -> Mention:
    return Mention(
        id=f"e{i}", seq=i, idx=0, event=event, aux=aux, actors=frozenset(actors),
        recipients=frozenset(recipients), day=day, precision=precision, published=published, story=story,
    )


def test_same_meeting_reported_twice_is_one_event() -> None:
    assert compatible(_m(1), _m(2, actors=("PRK",), recipients=("RUS",), day=date(2023, 9, 14)))


def test_type_aux_and_parties_must_agree() -> None:
    assert not compatible(_m(1), _m(2, event="AGREE"))
    assert not compatible(_m(1), _m(2, aux="negated"))
    assert not compatible(_m(1), _m(2, actors=("USA",), recipients=("JPN",)))


def test_direction_matters_for_directed_types() -> None:
    a = _m(1, event="SANCTION", actors=("EU",), recipients=("RUS",))
    assert compatible(a, _m(2, event="SANCTION", actors=("EU",), recipients=("RUS",)))
    assert not compatible(a, _m(3, event="SANCTION", actors=("RUS",), recipients=("EU",)))


def test_dates_follow_precision() -> None:
    a = _m(1, day=date(2023, 9, 13))
    assert not compatible(a, _m(2, day=date(2023, 9, 16)))
    assert compatible(a, _m(3, day=date(2023, 9, 11), precision="week"))  # week of 11-17 Sept
    assert not compatible(a, _m(6, day=date(2023, 9, 18), precision="week"))
    assert not compatible(
        _m(7, day=date(2024, 6, 17), precision="week"), _m(8, day=date(2024, 6, 24), precision="week")
    )
    assert compatible(a, _m(4, day=date(2023, 9, 1), precision="month"))
    assert not compatible(a, _m(5, day=date(2023, 11, 1), precision="month"))


def test_undated_mentions_join_only_within_their_story() -> None:
    a = _m(1)
    assert compatible(a, _m(2, day=None, precision="unknown"))
    assert not compatible(a, _m(3, day=None, precision="unknown", story="s2"))


def test_other_story_joins_only_when_published_close() -> None:
    a = _m(1)
    assert compatible(a, _m(2, story="s2", published=date(2023, 9, 16)))
    assert not compatible(a, _m(3, story="s2", published=date(2023, 9, 20), day=date(2023, 9, 13)))


def test_assign_links_in_order_and_names_cluster_after_first_mention() -> None:
    ms = [_m(1), _m(2, day=date(2023, 9, 14)), _m(3, event="AGREE"), _m(4, day=date(2023, 9, 12))]
    assign([], ms)
    e1, e3, e4 = cluster_id_for("e1"), cluster_id_for("e3"), cluster_id_for("e4")
    # e4 is a day before e1 but two before e2: it must agree with every member's date.
    assert [m.cluster for m in ms] == [e1, e1, e3, e4]


def test_a_chain_of_dates_cannot_stretch_one_event() -> None:
    # Each is one day after the previous one: single link on dates alone would chain all four.
    ms = [_m(i, day=date(2023, 9, 10 + i)) for i in range(1, 5)]
    assign([], ms)
    assert ms[0].cluster == ms[1].cluster
    assert ms[2].cluster != ms[0].cluster


def test_stored_pool_is_linked_like_the_batch() -> None:
    stored = replace(_m(1), cluster="ec-old")
    new = [_m(2)]
    assign([stored], new)
    assert new[0].cluster == "ec-old"


def test_mention_from_reads_the_stored_record() -> None:
    rec = (
        '{"event": "AGREE", "aux": null, "actor": [{"code": "KOR"}, {"code": null}],'
        ' "recipient": [{"code": "JPN"}], "date": "2023-08", "date_precision": "month"}'
    )
    m = mention_from(("x-e0", 5, 0, rec, date(2023, 8, 19), "s9", None))
    assert (m.event, m.actors, m.recipients, m.day, m.precision, m.story) == (
        "AGREE", frozenset({"KOR"}), frozenset({"JPN"}), date(2023, 8, 1), "month", "s9"
    )


def test_pool_fields_read_in_sql_match_the_record(tmp_path: Path) -> None:
    """The pool's mentions (fields extracted by DuckDB) equal ``mention_from`` on the record."""
    from legation.crossdoc.clusters import mention_from_fields
    from legation.store.crossdoc_rows import EVENT_FIELDS, EVENT_ROW
    from legation.store.db import Store

    recs = [
        {"event": "AGREE", "aux": None, "actor": [{"code": "KOR"}, {"code": None}],
         "recipient": [{"code": "JPN"}], "date": "2023-08", "date_precision": "month"},
        {"event": "ACCUSE", "aux": "negated", "actor": [], "recipient": [{"code": "EU"}, {"code": "USA"}],
         "date": None, "date_precision": "unknown"},
    ]
    with Store(tmp_path / "a.duckdb") as s:
        s.con.execute(
            "INSERT INTO articles (id, seq, source, input_key, published_date, published_basis, "
            "published_precision, text, content_hash, norm_hash, story_id) VALUES "
            "('a', 1, 'a', 'a', DATE '2023-08-19', 'x', 'day', 't', 'c', 'n', 's9')"
        )
        for i, r in enumerate(recs):
            s.con.execute(
                "INSERT INTO events (id, seq, idx, article_id, event, record) VALUES (?, 1, ?, 'a', ?, ?)",
                [f"a-e{i}", i, r["event"], json.dumps(r)],
            )
        by_record = [mention_from(r) for r in s.con.execute(EVENT_ROW + "ORDER BY e.idx").fetchall()]
        fields = s.con.execute(EVENT_FIELDS + "ORDER BY e.idx").fetchall()
        by_fields = [mention_from_fields(r) for r in fields]
    assert by_fields == by_record and by_record[1].aux == "negated" and by_record[0].actors == {"KOR"}


def test_assign_picks_the_earliest_compatible_mention_across_codes() -> None:
    """Candidates come from per-code lists merged in storage order: the earliest compatible one
    wins even when it is found through a different code than a later one."""
    early = replace(_m(1), actors=frozenset({"USA"}), recipients=frozenset({"JPN"}), cluster="ec-early")
    late = replace(_m(2), actors=frozenset({"KOR"}), recipients=frozenset({"JPN"}), cluster="ec-late")
    new = [replace(_m(3), actors=frozenset({"KOR", "USA"}), recipients=frozenset({"JPN"}))]
    assign([late, early], new)
    assert new[0].cluster == "ec-early"
