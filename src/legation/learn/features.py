"""Sentence features shared by training and inference: word n-grams, lexicon cues, embeddings.

The same code turns a sentence into features when the model is trained and when it codes an
article, so the two cannot drift apart. Three blocks:

* **n-grams**: lower-cased word unigrams and bigrams (digits folded to ``0``), weighted by
  sublinear TF-IDF and L2-normalised, over a vocabulary frozen at training time;
* **lexicon cues**: one indicator per PLOVER type, set when a word form of one of that type's
  trigger lemmas occurs (the forms are frozen into the model, so a later lexicon edit cannot
  silently change what a shipped model sees);
* **embeddings**: the 256-d static sentence embedding of ``wordllama`` (weights shipped in its
  wheel, loaded from the installed package with downloads disabled).

Nothing here needs scikit-learn or SciPy: inference is sparse dot products in NumPy.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import wordllama
from wordllama import WordLlama

_TOKEN = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+(?:[.,]\d+)*")
_DIGITS = re.compile(r"\d")
EMBED_DIM = 256


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens, every digit folded to ``0`` ("1,200" and "3,500" look alike)."""
    return [_DIGITS.sub("0", t) for t in _TOKEN.findall(text.lower())]


def ngrams(toks: Sequence[str], n_max: int = 2) -> list[str]:
    """Unigrams and (up to ``n_max``) word n-grams joined with a space."""
    out = list(toks)
    for n in range(2, n_max + 1):
        out += [" ".join(toks[i : i + n]) for i in range(len(toks) - n + 1)]
    return out


@dataclass(frozen=True)
class Vocabulary:
    """The n-gram vocabulary and IDF weights frozen at training time."""

    terms: tuple[str, ...]
    idf: np.ndarray  # float32, one per term
    n_max: int = 2

    @functools.cached_property
    def index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.terms)}

    @classmethod
    def fit(cls, texts: Iterable[str], *, min_df: int, max_terms: int, n_max: int = 2) -> Vocabulary:
        """The ``max_terms`` most frequent n-grams seen in at least ``min_df`` texts."""
        df: Counter[str] = Counter()
        n_docs = 0
        for text in texts:
            n_docs += 1
            df.update(set(ngrams(tokens(text), n_max)))
        kept = sorted((t for t, c in df.items() if c >= min_df), key=lambda t: (-df[t], t))[:max_terms]
        kept.sort()
        idf = np.array([math.log((1 + n_docs) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float32)
        return cls(terms=tuple(kept), idf=idf, n_max=n_max)

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Sparse TF-IDF of ``text``: (term indices, L2-normalised values)."""
        counts: Counter[int] = Counter()
        index = self.index
        for g in ngrams(tokens(text), self.n_max):
            i = index.get(g)
            if i is not None:
                counts[i] += 1
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        val = (1.0 + np.log(tf)) * self.idf[idx]
        val /= float(np.linalg.norm(val)) or 1.0
        return idx, val.astype(np.float32)


@dataclass(frozen=True)
class LexiconCues:
    """Word forms of the trigger lexicon, per PLOVER type (frozen into the model)."""

    types: tuple[str, ...]
    forms: Mapping[str, frozenset[int]]  # word form -> indexes into ``types``

    def vector(self, text: str) -> np.ndarray:
        """One 0/1 value per type: does a trigger form of that type occur in ``text``."""
        out = np.zeros(len(self.types), dtype=np.float32)
        for t in tokens(text):
            for k in self.forms.get(t, ()):
                out[k] = 1.0
        return out

    def to_json(self) -> dict[str, Any]:
        return {"types": list(self.types), "forms": {f: sorted(v) for f, v in sorted(self.forms.items())}}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LexiconCues:
        return cls(
            types=tuple(data["types"]),
            forms={str(f): frozenset(int(i) for i in v) for f, v in data["forms"].items()},
        )


@functools.lru_cache(maxsize=1)
def embedder() -> Any:
    """The wordllama model from its installed package folder; never downloads."""
    folder = Path(wordllama.__file__).parent
    return WordLlama.load(cache_dir=folder, disable_download=True, dim=EMBED_DIM)


def embed(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised sentence embeddings, one row per text (float32)."""
    if not texts:
        return np.zeros((0, EMBED_DIM), dtype=np.float32)
    return np.asarray(embedder().embed(list(texts), norm=True), dtype=np.float32)
