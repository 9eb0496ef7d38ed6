"""The run's per-site line counts: hashed and summed, they must equal plain counting."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legation.ingest.site_counts import SiteLineCounts

SITES = st.sampled_from(["a.example", "b.example", "c.example"])
KEYS = st.text(alphabet="abc xyz", min_size=0, max_size=6)
PAGES = st.lists(st.tuples(SITES, st.sets(KEYS, max_size=6)), max_size=25)
STORED = st.dictionaries(
    SITES, st.tuples(st.dictionaries(KEYS, st.integers(1, 50), max_size=8), st.integers(0, 60))
)


@settings(max_examples=200, deadline=None)
@given(pages=PAGES, stored=STORED, probe=st.sets(KEYS, max_size=8))
def test_lookup_equals_counting_pages_plus_stored(
    pages: list[tuple[str, set[str]]], stored: dict[str, tuple[dict[str, int], int]], probe: set[str]
) -> None:
    counts = SiteLineCounts()
    model: dict[str, Counter[str]] = {}
    docs: Counter[str] = Counter()
    for site, keys in pages:
        counts.add_page(site, keys)
        model.setdefault(site, Counter()).update(keys)
        docs[site] += 1
    for site, (rows, n_docs) in stored.items():
        counts.add_stored(site, rows.items(), n_docs)
        model.setdefault(site, Counter()).update(rows)
        docs[site] += n_docs
    counts.freeze()
    for site in ["a.example", "b.example", "c.example", "never.example"]:
        wanted = set(model.get(site, {})) | probe
        assert counts.lookup(site, wanted) == {k: model.get(site, Counter())[k] for k in wanted}
        assert counts.docs(site) == docs[site]


def test_adding_after_freeze_is_refused_and_lookup_needs_freeze() -> None:
    counts = SiteLineCounts()
    counts.add_page("a.example", {"menu"})
    with pytest.raises(RuntimeError, match="freeze"):
        counts.lookup("a.example", {"menu"})
    counts.freeze()
    with pytest.raises(RuntimeError, match="frozen"):
        counts.add_page("a.example", {"menu"})


def test_a_site_with_pages_but_no_lines_looks_up_zero() -> None:
    counts = SiteLineCounts()
    counts.add_page("a.example", set())
    counts.freeze()
    assert counts.lookup("a.example", {"menu"}) == {"menu": 0}
    assert counts.docs("a.example") == 1
