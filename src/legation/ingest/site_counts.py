"""Per-site line counts for one ingest run, held as sorted 64-bit hashes.

The site chrome memory (:mod:`legation.clean.chrome`) cleans a text page with, for each of its
lines, the number of pages of its site that hold the line: the stored pages plus every page of
the run. The plan pass therefore counts every line of every text page before the first page is
cleaned, and those counts live until the run ends.

Held as ``{site: Counter[key]}`` the keys were strings of up to 200 characters, one per
distinct line (about 250 bytes each with the dict slot): O(corpus) in the ingesting process,
about 100 MiB after the plan pass over 100,000 synthetic articles (tracemalloc; 25 MiB now),
and as much again for the stored counts of a database of that size. Here each distinct line
costs 16 bytes (hash and count, in numpy arrays), and 16 bytes per line occurrence while the
plan pass is still adding.

The hashes are Python's ``hash(str)``. They are only ever compared inside this process during
one run (a page's counts are looked up here and handed to the worker as a ``{key: count}``
dict of strings), so the per-process hash salt does not matter. Two distinct lines of one site
collide with probability about ``n**2 / 2**65``: about 3e-8 for a site with a million distinct
lines, and a collision only adds one line's count to the other's.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable

import numpy as np


class SiteLineCounts:
    """How many pages of each site hold each line key: add, then :meth:`freeze`, then look up.

    Example:
        >>> c = SiteLineCounts()
        >>> c.add_page("example.org", {"menu", "story one"})
        >>> c.add_page("example.org", {"menu", "story two"})
        >>> c.freeze()
        >>> c.lookup("example.org", {"menu", "story two", "unseen"})
        {'menu': 2, 'story two': 1, 'unseen': 0}
        >>> c.docs("example.org")
        2
    """

    def __init__(self) -> None:
        self._hashes: dict[str, array[int]] = {}
        self._weights: dict[str, array[int]] = {}
        self._docs: Counter[str] = Counter()
        self._frozen: dict[str, tuple[np.ndarray, np.ndarray]] | None = None

    def _add(self, site: str, pairs: Iterable[tuple[str, int]]) -> None:
        if self._frozen is not None:
            raise RuntimeError("SiteLineCounts is frozen: add everything before the first lookup")
        hashes = self._hashes.setdefault(site, array("q"))
        weights = self._weights.setdefault(site, array("q"))
        for key, n in pairs:
            hashes.append(hash(key))
            weights.append(n)

    def add_page(self, site: str, keys: Iterable[str]) -> None:
        """Count one page of ``site`` holding each of ``keys`` (distinct line keys)."""
        self._add(site, ((k, 1) for k in keys))
        self._docs[site] += 1

    def add_stored(self, site: str, rows: Iterable[tuple[str, int]], docs: int) -> None:
        """Add counts already stored for ``site``: ``(key, pages)`` rows over ``docs`` pages."""
        self._add(site, rows)
        self._docs[site] += docs

    def sites(self) -> list[str]:
        """The sites counted so far (every add, even of 0 stored pages, enters ``_docs``)."""
        return sorted(self._docs)

    def freeze(self) -> None:
        """Sum the counts per distinct key; after this, only lookups."""
        frozen: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for site, hashes in self._hashes.items():
            # One sort (inside unique); sums are order-independent, so the weights need not be sorted.
            keys, inverse = np.unique(np.frombuffer(hashes, dtype=np.int64), return_inverse=True)
            sums = np.zeros(len(keys), dtype=np.int64)
            np.add.at(sums, inverse, np.frombuffer(self._weights[site], dtype=np.int64))
            frozen[site] = (keys, sums)
        self._hashes.clear()
        self._weights.clear()
        self._frozen = frozen

    def lookup(self, site: str, keys: Iterable[str]) -> dict[str, int]:
        """``{key: pages of site holding it}`` for each of ``keys`` (0 when never counted)."""
        if self._frozen is None:
            raise RuntimeError("call freeze() before lookup()")
        keys = list(keys)
        got = self._frozen.get(site)
        if got is None or not keys or not len(got[0]):
            return dict.fromkeys(keys, 0)
        table, sums = got
        q = np.fromiter((hash(k) for k in keys), dtype=np.int64, count=len(keys))
        idx = np.searchsorted(table, q)
        idx_in = np.minimum(idx, len(table) - 1)
        hit = (idx < len(table)) & (table[idx_in] == q)
        counts = np.where(hit, sums[idx_in], 0)
        return {k: int(n) for k, n in zip(keys, counts.tolist(), strict=True)}

    def docs(self, site: str) -> int:
        """Pages of ``site`` counted (stored and in this run)."""
        return self._docs[site]
