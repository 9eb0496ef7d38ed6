"""Exact and near-duplicate articles.

Exact: the SHA-1 of the body after normalisation (case, punctuation and white space folded),
so the same story with different chrome or quote styles is one body.

Near: MinHash over word 5-grams with LSH banding. Two bodies are near duplicates when the
estimated Jaccard similarity of their 5-gram sets is at least ``NEAR_THRESHOLD``.

Calibration (``bench/calibrate_dedup.py``, figures in ``docs/dedup.md``): over the 181
distinct pages of the article-extraction benchmark the highest 5-gram Jaccard between two
different articles is far below 0.1, while a syndicated copy with a changed headline, a
sentence edited and a paragraph added or dropped stays above 0.6. 0.5 sits in the wide gap,
and keeps "wire copy plus a local paragraph or two" as a duplicate while a rewrite that
only quotes the same source is not. Bands: 32 bands of 4 rows over 128 permutations put the
LSH S-curve's midpoint at (1/32)^(1/4) ≈ 0.42, so pairs at 0.5 are found with probability
≈ 0.88 and pairs at 0.6 with ≈ 0.99; candidates are then checked against the threshold.

The original is the first article stored; a later copy gets ``duplicate_of`` and is kept,
but later stages count only originals.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 5
NEAR_THRESHOLD = 0.5
# A body under this many words has too few 5-grams for a stable estimate; only the exact
# hash applies to it.
MIN_WORDS_NEAR = 25
_SEED = 1
# Pinned so that signatures stored by one version compare with those computed by the next
# (datasketch 2.0 made the hashing scheme explicit for this reason).
SCHEME = "affine32"

_WORD = re.compile(r"\w+", re.UNICODE)


def normalise(text: str) -> str:
    """Body folded for comparison: NFKC, lower case, words only, single spaces."""
    t = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(t))


def norm_hash(text: str) -> str:
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """What dedup needs of one body; computed in the worker with the rest of the article."""

    norm_hash: str
    signature: bytes  # NUM_PERM uint64 little-endian, empty when the body is too short
    bands: tuple[int, ...]


_PERMS: MinHash | None = None


def _template() -> MinHash:
    # Building the permutations is the slow part of a MinHash; share one template's.
    global _PERMS
    if _PERMS is None:
        _PERMS = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=SCHEME)
    return _PERMS


def fingerprint(text: str) -> Fingerprint:
    words = normalise(text).split()
    h = hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()
    if len(words) < MIN_WORDS_NEAR:
        return Fingerprint(h, b"", ())
    shingles = {" ".join(words[i : i + SHINGLE]).encode("utf-8") for i in range(len(words) - SHINGLE + 1)}
    mh = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_template().permutations, scheme=SCHEME)
    mh.update_batch(list(shingles))
    values = np.asarray(mh.hashvalues, dtype="<u8")
    bands = tuple(
        struct.unpack(
            "<q", hashlib.blake2b(values[b * ROWS : (b + 1) * ROWS].tobytes(), digest_size=8).digest()
        )[0]
        for b in range(BANDS)
    )
    return Fingerprint(h, values.tobytes(), bands)


def jaccard(sig_a: bytes, sig_b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal MinHash values)."""
    if not sig_a or not sig_b:
        return 0.0
    a = np.frombuffer(sig_a, dtype="<u8")
    b = np.frombuffer(sig_b, dtype="<u8")
    return float(np.count_nonzero(a == b)) / len(a)


@dataclass
class Known:
    """What the store knows about a batch before it is written: originals by normalised
    hash, LSH band candidates per new article, the candidates' signatures, and the ids
    already stored under each version key (URL, else input key), oldest first."""

    exact: dict[str, str]
    candidates: dict[str, list[str]]
    signatures: dict[str, bytes]
    versions: dict[str, list[str]]


@dataclass(frozen=True)
class Verdict:
    duplicate_of: str | None
    version_of: str | None


def version_key(url: str | None, input_key: str) -> str:
    """What makes two articles versions of one page: the same URL, else the same input."""
    return url or input_key


def judge(batch: list[tuple[str, str, Fingerprint]], known: Known) -> list[Verdict]:
    """Duplicate and version verdicts for ``(id, version key, fingerprint)``, in order.

    Each article is compared against the stored originals and the batch's earlier originals,
    so the first copy seen is always the original. An article whose page or file was stored
    before with other content is a new *version* of it (``version_of`` = the latest earlier
    one), never a near duplicate of its own earlier versions: a small edit of a watched
    file is a new version. It can still be an exact or near duplicate of another page.
    """
    exact = dict(known.exact)
    sigs = dict(known.signatures)
    versions = {k: list(v) for k, v in known.versions.items()}
    batch_bands: dict[tuple[int, int], list[str]] = {}
    out: list[Verdict] = []
    for aid, key, fp in batch:
        own = set(versions.get(key, ()))
        dup = exact.get(fp.norm_hash)
        if dup is None and fp.bands:
            pool = list(known.candidates.get(aid, []))
            pool += [c for i, h in enumerate(fp.bands) for c in batch_bands.get((i, h), [])]
            best, best_j = None, NEAR_THRESHOLD
            for c in dict.fromkeys(pool):
                if c in own:
                    continue
                j = jaccard(fp.signature, sigs[c])
                if j >= best_j and (best is None or j > best_j):
                    best, best_j = c, j
            dup = best
        prior = versions.get(key)
        out.append(Verdict(dup, prior[-1] if prior and dup is None else None))
        versions.setdefault(key, []).append(aid)
        if dup is None:
            exact.setdefault(fp.norm_hash, aid)
            if fp.bands:
                sigs[aid] = fp.signature
                for i, h in enumerate(fp.bands):
                    batch_bands.setdefault((i, h), []).append(aid)
    return out
