"""The shipped event classifier: per-sentence PLOVER type scores, modes and trigger words.

One logistic head per PLOVER type plus a ``NONE`` head ("the sentence reports no event"),
over the features of :mod:`legation.learn.features`; a softmax head per type picks the mode.
The weights are trained by :mod:`legation.learn.train` (``make train``) and shipped in
``legation/data/models/events/``; loading reads two files from the installed package and
never touches the network. Inference is NumPy only.

A type is *predicted* for a sentence when its probability reaches the threshold calibrated
for it on the dev split (never on training data): see ``docs/events-model.md``.
"""

from __future__ import annotations

import functools
import io
import json
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from legation.learn.features import LexiconCues, Vocabulary, embed, tokens

NONE = "NONE"
MODEL_DIR = ("data", "models", "events")


@dataclass
class Scores:
    """The classifier's view of one sentence."""

    probs: dict[str, float]  # type (and NONE) -> probability
    predicted: dict[str, float]  # types at or above their threshold -> probability
    none: float
    #: type -> (its most probable mode, None when "no mode" wins; that mode's probability)
    modes: Mapping[str, tuple[str | None, float]] = field(default_factory=dict)

    def best(self) -> tuple[str | None, float]:
        """The most probable type, whether or not it passed its threshold."""
        if not self.probs:
            return None, 0.0
        t = max((k for k in self.probs if k != NONE), key=lambda k: self.probs[k])
        return t, self.probs[t]


@dataclass
class EventModel:
    """Weights and vocabularies of the event classifier (see the module docstring)."""

    labels: tuple[str, ...]  # 16 types then NONE
    vocab: Vocabulary
    cues: LexiconCues
    w_ngram: np.ndarray  # (terms, labels)
    w_embed: np.ndarray  # (256, labels)
    w_cues: np.ndarray  # (cue types, labels)
    bias: np.ndarray  # (labels,)
    thresholds: np.ndarray  # (labels,)
    block_scale: Mapping[str, float]
    modes: Mapping[str, tuple[str, ...]]  # type -> mode names ("" = no mode)
    w_mode_ngram: np.ndarray  # (terms, all mode columns)
    w_mode_embed: np.ndarray
    mode_bias: np.ndarray
    mode_cols: Mapping[str, tuple[int, int]]  # type -> column range
    meta: dict[str, Any] = field(default_factory=dict)
    _word_cache: dict[str, dict[str, float]] = field(default_factory=dict, repr=False, compare=False)

    # ------------------------------------------------------------ features
    def _blocks(
        self, texts: Sequence[str]
    ) -> tuple[list[tuple[np.ndarray, np.ndarray]], np.ndarray, np.ndarray]:
        sparse = [self.vocab.vector(t) for t in texts]
        emb = embed(texts) * self.block_scale["embed"] if self.block_scale["embed"] else None
        cues = np.stack([self.cues.vector(t) for t in texts]) * self.block_scale["cues"]
        if emb is None:
            emb = np.zeros((len(texts), self.w_embed.shape[0]), dtype=np.float32)
        return sparse, emb, cues

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """(n, labels) decision values."""
        return self._logits(texts)[0]

    def _logits(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Type and mode decision values, (n, labels) and (n, mode columns), from one
        featurization of the texts (the TF-IDF vector and the embedding serve both heads)."""
        n_modes = self.mode_bias.shape[0]
        if not texts:
            return np.zeros((0, len(self.labels)), np.float32), np.zeros((0, n_modes), np.float32)
        sparse, emb, cues = self._blocks(texts)
        z = emb @ self.w_embed + cues @ self.w_cues + self.bias
        zm = np.tile(self.mode_bias, (len(texts), 1)).astype(np.float32)
        if self.block_scale["embed"]:
            zm += emb @ self.w_mode_embed
        for row, (idx, val) in enumerate(sparse):
            if len(idx):
                z[row] += val @ self.w_ngram[idx]
                zm[row] += val @ self.w_mode_ngram[idx]
        return np.asarray(z, dtype=np.float32), zm

    def score(self, texts: Sequence[str]) -> list[Scores]:
        """Probabilities, thresholded predictions and the mode of each type for each text."""
        z, zm = self._logits(texts)
        probs = 1.0 / (1.0 + np.exp(-z))
        out: list[Scores] = []
        none_k = self.labels.index(NONE)
        for row, mode_row in zip(probs, zm, strict=True):
            p = {lab: float(row[k]) for k, lab in enumerate(self.labels)}
            pred = {
                lab: float(row[k])
                for k, lab in enumerate(self.labels)
                if lab != NONE and row[k] >= self.thresholds[k]
            }
            modes = _Modes(self, mode_row)
            out.append(Scores(probs=p, predicted=pred, none=float(row[none_k]), modes=modes))
        return out

    def threshold(self, label: str) -> float:
        return float(self.thresholds[self.labels.index(label)])

    def _mode(self, mode_row: np.ndarray, etype: str) -> tuple[str | None, float]:
        """The most probable mode of ``etype`` from a text's mode decision values."""
        lo, hi = self.mode_cols[etype]
        z = np.asarray(mode_row[lo:hi], dtype=np.float64)
        z = np.exp(z - z.max())
        p = z / z.sum()
        k = int(p.argmax())
        name = self.modes[etype][k]
        return (name or None), float(p[k])

    def word_weights(self, etype: str) -> dict[str, float]:
        """Unigram weights of a type's head, for choosing the word that carries the event."""
        cached = self._word_cache.get(etype)
        if cached is None:
            k = self.labels.index(etype)
            col = self.w_ngram[:, k]
            cached = {t: float(col[i]) for i, t in enumerate(self.vocab.terms) if " " not in t}
            self._word_cache[etype] = cached
        return cached

    # ------------------------------------------------------------ files
    def save(self, folder: Path) -> None:
        """Write ``model.json`` and ``model.npz`` (float16 weights, deterministic)."""
        folder.mkdir(parents=True, exist_ok=True)
        head = {
            "labels": list(self.labels),
            "terms": list(self.vocab.terms),
            "n_max": self.vocab.n_max,
            "cues": self.cues.to_json(),
            "block_scale": dict(self.block_scale),
            "modes": {k: list(v) for k, v in self.modes.items()},
            "mode_cols": {k: list(v) for k, v in self.mode_cols.items()},
            "meta": self.meta,
        }
        (folder / "model.json").write_text(
            json.dumps(head, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
        arrays: dict[str, np.ndarray] = {
            "idf": self.vocab.idf.astype(np.float32),
            "w_ngram": self.w_ngram.astype(np.float16),
            "w_embed": self.w_embed.astype(np.float32),
            "w_cues": self.w_cues.astype(np.float32),
            "bias": self.bias.astype(np.float32),
            "thresholds": self.thresholds.astype(np.float32),
            "w_mode_ngram": self.w_mode_ngram.astype(np.float16),
            "w_mode_embed": self.w_mode_embed.astype(np.float32),
            "mode_bias": self.mode_bias.astype(np.float32),
        }
        write_npz(folder / "model.npz", arrays)

    @classmethod
    def load(cls, folder: Path | None = None) -> EventModel:
        """The shipped model, or the one saved in ``folder``."""
        if folder is None:
            return _shipped()
        return _read(folder / "model.json", folder / "model.npz")


class _Modes(Mapping[str, tuple[str | None, float]]):
    """A sentence's mode per type, each worked out when first asked for.

    Most sentences are scored only to be found eventless (:mod:`legation.select`); their modes
    are never read, and the softmax of 16 mode heads per sentence was a third of scoring.
    """

    def __init__(self, model: EventModel, row: np.ndarray) -> None:
        self._model, self._row = model, row
        self._done: dict[str, tuple[str | None, float]] = {}

    def __getitem__(self, etype: str) -> tuple[str | None, float]:
        if etype not in self._done:
            if etype not in self._model.mode_cols:
                raise KeyError(etype)
            self._done[etype] = self._model._mode(self._row, etype)
        return self._done[etype]

    def __iter__(self) -> Iterator[str]:
        return iter(self._model.mode_cols)

    def __len__(self) -> int:
        return len(self._model.mode_cols)


def write_npz(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """An ``.npz`` that is byte-identical for identical arrays (np.savez stamps the time)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, buf.getvalue())


def _read(json_path: Any, npz_path: Any) -> EventModel:
    head = json.loads(json_path.read_text(encoding="utf-8"))
    with npz_path.open("rb") as f:
        arr = dict(np.load(f))
    vocab = Vocabulary(terms=tuple(head["terms"]), idf=arr["idf"], n_max=int(head["n_max"]))
    return EventModel(
        labels=tuple(head["labels"]),
        vocab=vocab,
        cues=LexiconCues.from_json(head["cues"]),
        w_ngram=arr["w_ngram"].astype(np.float32),
        w_embed=arr["w_embed"],
        w_cues=arr["w_cues"],
        bias=arr["bias"],
        thresholds=arr["thresholds"],
        block_scale={str(k): float(v) for k, v in head["block_scale"].items()},
        modes={k: tuple(v) for k, v in head["modes"].items()},
        w_mode_ngram=arr["w_mode_ngram"].astype(np.float32),
        w_mode_embed=arr["w_mode_embed"],
        mode_bias=arr["mode_bias"],
        mode_cols={k: (int(v[0]), int(v[1])) for k, v in head["mode_cols"].items()},
        meta=head.get("meta", {}),
    )


@functools.lru_cache(maxsize=1)
def _shipped() -> EventModel:
    base = resources.files("legation").joinpath(*MODEL_DIR)
    return _read(base.joinpath("model.json"), base.joinpath("model.npz"))


def word_tokens(text: str) -> list[str]:
    """The classifier's tokens of a word (to look a spaCy token up in :meth:`word_weights`)."""
    return tokens(text)
