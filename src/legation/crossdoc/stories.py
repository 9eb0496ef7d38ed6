"""Cross-article step: stories, i.e. articles about the same news story.

Method (figures and calibration in ``docs/crossdoc.md``, sweep in ``bench/eval_stories.py``):
every original article becomes a bag of terms (body and title words without stop words, the
title counted twice because headlines name the story, plus one token per resolved actor so
that "Kim Jong Un" and "Putin" count as much as a content word). Terms are weighted TF-IDF
with document frequencies kept in the store (``story_df``) and updated as articles arrive,
so no model is downloaded and nothing is refitted. A new article is compared with the
articles published within ``WINDOW_DAYS`` of it; it joins the story whose closest member
is at least ``THRESHOLD`` cosine-similar (single link: coverage of a summit drifts from the
preview to the communiqué, and each day's piece resembles the previous day's more than the
first), otherwise it starts a new story named after itself.

Incremental and equal to a one-shot ingest: articles are assigned one at a time in their
storage order (``seq``), each seeing exactly the articles stored before it and the document
frequencies of those articles plus itself, whether they arrived in this batch or an earlier
one. An article's vector is fixed (and stored) when it is assigned, and its assignment is
never revisited, so a new batch only adds to stories and costs the same whatever came before.
Duplicates (``duplicate_of`` set) join their original's story and do not count in the
frequencies, so a syndicated copy neither splits nor inflates a story.

Pure: rows in, updates out. :mod:`legation.crossdoc.update` reads the rows from the store and
writes the result (:mod:`legation.store.crossdoc_rows`), so the rules are tested without one.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

#: Articles further apart than this (by published date) are never compared. Calibrated on the
#: dev half of the labelled corpus (``tests/data/stories``, 300 articles in 45 stories, split
#: by story; ``bench/eval_stories.py --sweep``): the window is what separates two stories on
#: one topic a week apart (a second round of strikes, the next prisoner exchange), which share
#: their actors and words. Dev B³ F1 at threshold 0.12: 3 days 0.933, 4 days 0.944, 5 days
#: 0.893, 7 days 0.893, 10 days 0.900 (unseen test: 0.915, 0.902, 0.884, 0.886, 0.886). A
#: story stays one story while it keeps being covered, because every member extends the window
#: (single link); a gap of more than four days in its coverage starts a new one. A similarity
#: that decays with the gap instead of a hard window did no better on dev (0.944 at best).
WINDOW_DAYS = 4
#: Cosine similarity to the closest story member needed to join a story. The dev split of the
#: labelled corpus in ``tests/data/stories`` has a plateau at 0.08-0.16 (4-day window, dev F1
#: 0.944-0.951; ``bench/eval_stories.py --sweep``); real pages (``bench/eval_stories_real.py``:
#: 181 benchmark pages labelled by hand, long copy, most pages of no shared story) chain
#: unrelated pages below 0.16 (B³ F1 0.712 at 0.12, 0.889 at 0.16 with undated pages at 0.12).
#: 0.16 is the top of the corpus plateau (dev 0.951, unseen test 0.912) and holds on both.
THRESHOLD = 0.16
#: Weight of an actor token relative to a word of the same TF-IDF. 0.5 keeps actors as
#: evidence without letting the ubiquitous codes (RUS, UKR, EU) pull stories together; 1.0
#: narrowed the plateau to 0.12-0.14 in the calibration.
ENTITY_WEIGHT = 0.5
#: Undated articles are compared with this many most recent originals.
UNDATED_POOL = 500
#: Similarity an undated article needs to join a story: no date narrows its candidates to a
#: few days, so it needs more evidence from its words. Real pages, at THRESHOLD 0.16: B³ F1
#: 0.889 / 0.907 / 0.923 / 0.929 with this at 0.16 / 0.20 / 0.25 / 0.30; the corpus with every
#: fourth date removed: dev 0.840 / 0.827 / 0.824 / 0.795, test 0.868 / 0.867 / 0.854 / 0.788.
#: 0.20 holds on both.
UNDATED_THRESHOLD = 0.20

_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]{2}", re.UNICODE)
_STOP_WORDS = """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my no nor not now of off on once only or other our
    ours out over own same she should so some such than that the their theirs them then there
    these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your said says say told also according new one two
    three year years week day days month months last first next many much well may might must
    since still yet however including whose among within without across per around toward
    towards upon via ago like made make makes take took including amid"""
STOP = frozenset(_STOP_WORDS.split())


def _stem(w: str) -> str:
    """A light plural fold ("sanctions"/"sanction"): enough for headline vocabulary, and
    unlike a full stemmer it never merges unrelated words."""
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def words(text: str) -> list[str]:
    """Content words of ``text``: folded, without stop words, lightly stemmed."""
    t = unicodedata.normalize("NFKC", text).casefold().replace("’", "'")
    out = []
    for w in _WORD.findall(t):
        w = w.removesuffix("'s")
        if w not in STOP and len(w) > 2:
            out.append(_stem(w))
    return out


def article_terms(title: str | None, text: str, actors: Iterable[str]) -> dict[str, int]:
    """The term counts of one article (what ``story_docs.terms`` stores)."""
    c: Counter[str] = Counter(words(text))
    for w in words(title or ""):
        c[w] += 2
    for a in actors:
        c["@" + a] += 1
    return dict(sorted(c.items()))


@dataclass
class Doc:
    """One original article as the assigner sees it.

    ``vector`` is the article's normalised TF-IDF vector, fixed when the article is assigned
    (with the frequencies of that moment) and stored with it: a stored article is never
    re-weighted, which keeps comparisons cheap and makes them independent of batch limits.
    """

    id: str
    seq: int
    published: date | None
    terms: Mapping[str, int]
    story_id: str | None = None
    vector: dict[str, float] | None = None


@dataclass
class Params:
    """The tunable parts, separate so that the calibration sweep can vary them."""

    threshold: float = THRESHOLD
    undated_threshold: float = UNDATED_THRESHOLD
    window_days: int = WINDOW_DAYS
    entity_weight: float = ENTITY_WEIGHT


def story_id_for(article_id: str) -> str:
    """A story is named after its first article, so the name is stable across runs."""
    return "s-" + hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:16]


@dataclass
class Assigner:
    """Assigns stories one article at a time, holding document frequencies and the pool.

    Candidates are found through an inverted index of the pool's vectors, so an article is
    only multiplied with the articles it shares a term with.
    """

    params: Params = field(default_factory=Params)
    df: dict[str, int] = field(default_factory=dict)
    n_docs: int = 0
    pool: list[Doc] = field(default_factory=list)
    #: Index only these terms (None: all). Only the terms of the articles still to assign are
    #: ever looked up, so indexing a pool of 2,300 stored articles by their every term was most
    #: of the step's time (bench_throughput, 199 pages); the result is the same.
    index_only: frozenset[str] | None = None
    _postings: dict[str, list[tuple[Doc, float]]] = field(default_factory=dict)

    def add(self, doc: Doc) -> None:
        """Put an already assigned article (with its vector and story) into the pool."""
        assert doc.vector is not None and doc.story_id is not None
        self.pool.append(doc)
        only = self.index_only
        for t, x in doc.vector.items():
            if only is None or t in only:
                self._postings.setdefault(t, []).append((doc, x))

    def _vector(self, terms: Mapping[str, int]) -> dict[str, float]:
        n = self.n_docs
        v: dict[str, float] = {}
        for t in sorted(terms):
            w = (1.0 + math.log(terms[t])) * (math.log((n + 1) / (self.df.get(t, 0) + 1)) + 1.0)
            if t.startswith("@"):
                w *= self.params.entity_weight
            if w:
                v[t] = w
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    def assign(self, doc: Doc) -> str:
        """Give ``doc`` its story, add it to the pool and the frequencies, return the story."""
        for t in doc.terms:
            self.df[t] = self.df.get(t, 0) + 1
        self.n_docs += 1
        vec = self._vector(doc.terms)
        acc: dict[str, float] = {}
        docs: dict[str, Doc] = {}
        for t, x in vec.items():  # sorted: the sums are the same whatever the batch
            for d, y in self._postings.get(t, ()):
                acc[d.id] = acc.get(d.id, 0.0) + x * y
                docs[d.id] = d
        if doc.published is None:
            recent = {d.id for d in self.pool[-UNDATED_POOL:]}
            ok = [i for i in acc if i in recent]
        else:
            w = timedelta(days=self.params.window_days)
            ok = [
                i
                for i in acc
                if (p := docs[i].published) is not None and abs(p - doc.published) <= w
            ]
        best: dict[str, tuple[float, int]] = {}
        for i in ok:
            d = docs[i]
            if d.seq >= doc.seq:
                continue
            assert d.story_id is not None
            s, first = best.get(d.story_id, (0.0, d.seq))
            best[d.story_id] = (max(s, acc[i]), min(first, d.seq))
        need = self.params.threshold if doc.published is not None else self.params.undated_threshold
        pick = max(((s, -first, sid) for sid, (s, first) in best.items() if s >= need), default=None)
        doc.story_id = pick[2] if pick else story_id_for(doc.id)
        doc.vector = vec
        self.add(doc)
        return doc.story_id


@dataclass(frozen=True)
class BatchArticle:
    """A stored article of the batch as the story step reads it (duplicates included)."""

    id: str
    seq: int
    title: str | None
    text: str | None
    published: date | None
    duplicate_of: str | None
    #: Resolved actor ids (else codes) of its mentions, in text order.
    actors: tuple[str, ...] = ()


@dataclass(frozen=True)
class PoolWindow:
    """Which stored articles can be candidates for a batch.

    Only articles stored before the batch's first one (``before_seq``) and either published
    within ``dated`` (the batch's dates widened by :data:`WINDOW_DAYS`) or, when the batch
    has undated originals, among the ``undated`` most recent: reading only these keeps a
    batch's cost independent of the corpus size.
    """

    before_seq: int
    dated: tuple[date, date] | None
    undated: int | None


@dataclass
class StoryUpdate:
    """What one batch changes: rows to write, nothing is deleted but the touched stories' rows."""

    #: The batch's originals with their vectors and stories (new ``story_docs`` rows).
    docs: list[Doc]
    #: Document-frequency increments (``story_df``).
    new_df: Counter[str]
    #: The story of every batch article, duplicates included (``articles.story_id``).
    story_of: dict[str, str]
    #: Stories whose summary rows must be rebuilt from their articles.
    touched: list[str]


def batch_docs(batch: Sequence[BatchArticle]) -> list[Doc]:
    """The batch's originals as unassigned documents: duplicates do not count in the frequencies."""
    return [
        Doc(a.id, a.seq, a.published, article_terms(a.title, a.text or "", a.actors))
        for a in batch
        if a.duplicate_of is None
    ]


def pool_window(batch: Sequence[BatchArticle], docs: Sequence[Doc]) -> PoolWindow:
    """The stored articles the batch's originals can be compared with (see :class:`PoolWindow`)."""
    dates = [d.published for d in docs if d.published is not None]
    w = timedelta(days=WINDOW_DAYS)
    return PoolWindow(
        before_seq=min((a.seq for a in batch), default=0),
        dated=(min(dates) - w, max(dates) + w) if dates else None,
        undated=UNDATED_POOL if any(d.published is None for d in docs) else None,
    )


def needed_terms(docs: Sequence[Doc]) -> list[str]:
    """The terms whose stored document frequencies the batch needs."""
    return sorted({t for d in docs for t in d.terms})


def stored_originals(batch: Sequence[BatchArticle], docs: Sequence[Doc]) -> list[str]:
    """Originals of the batch's duplicates stored in an earlier batch: their story is read."""
    return sorted({a.duplicate_of for a in batch if a.duplicate_of is not None} - {d.id for d in docs})


def assign_batch(
    batch: Sequence[BatchArticle],
    docs: Sequence[Doc],
    pool: Sequence[Doc],
    df: Mapping[str, int],
    n_docs: int,
    stored_story: Mapping[str, str],
) -> StoryUpdate:
    """Assign the batch's originals in ``seq`` order and give each duplicate its original's story.

    Args:
        batch: every article of the batch, in ``seq`` order.
        docs: its originals (:func:`batch_docs`), assigned in place.
        pool: the stored candidates (:func:`pool_window`), with vectors and stories.
        df: stored document frequencies of :func:`needed_terms`; ``n_docs`` stored originals.
        stored_story: the story of each of :func:`stored_originals`.
    """
    asg = Assigner(index_only=frozenset(t for d in docs for t in d.terms))
    for d in sorted(pool, key=lambda d: d.seq):
        asg.add(d)
    asg.df = dict(df)
    asg.n_docs = n_docs
    new_df: Counter[str] = Counter()
    for d in docs:
        asg.assign(d)
        new_df.update(d.terms.keys())
    story_of: dict[str, str | None] = {d.id: d.story_id for d in docs}
    story_of.update(stored_story)
    final: dict[str, str] = {}
    for a in batch:
        sid = story_of.get(a.duplicate_of) if a.duplicate_of is not None else story_of[a.id]
        final[a.id] = sid if sid is not None else story_id_for(a.id)
    return StoryUpdate(list(docs), new_df, final, sorted({s for s in final.values() if s}))
