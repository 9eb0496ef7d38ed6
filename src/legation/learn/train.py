"""Train the event classifier from the config in ``training/config.yaml`` (``make train``).

Deterministic: examples are read in a fixed order, the learners are seeded, and the weights
are written without timestamps, so the same data and config give byte-identical files.

Steps: read the three kinds of data (:mod:`legation.learn.corpus`); fit the n-gram vocabulary
on the train split; fit one weighted logistic regression per PLOVER type and one for ``NONE``
(scikit-learn, liblinear); fit a multinomial mode head per type; pick each type's threshold on
the dev split; score the test split; save the model with its figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from legation.actors.parse import trigger_forms
from legation.events.lexicon import PLOVER_TYPES, Lexicon
from legation.learn.corpus import Example, ngec_examples, page_examples, written_examples
from legation.learn.features import EMBED_DIM, LexiconCues, Vocabulary, embed
from legation.learn.metrics import prf_table, sweep_threshold
from legation.learn.model import NONE, EventModel
from legation.paragraphs import parse
from legation.pipeline import DEFAULT_MODEL, load_model

LABELS: tuple[str, ...] = (*PLOVER_TYPES, NONE)


@dataclass
class Data:
    """All examples, and the problems met reading them (reported, never fatal)."""

    examples: list[Example]
    problems: list[str]

    def split(self, name: str) -> list[Example]:
        return [e for e in self.examples if e.split == name]


def load_config(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not a mapping")
    return data


def sentence_splitter(nlp: Any) -> Callable[[str], Iterable[str]]:
    """The pipeline's own sentences (paragraph-wise parse), as page labels were keyed."""
    return lambda body: [s.text for s in parse(nlp, body).sents]


def read_data(cfg: dict[str, Any], root: Path, nlp: Any) -> Data:
    d = cfg["data"]
    ex: list[Example] = []
    problems: list[str] = []
    ngec = root / d["ngec"]
    if ngec.exists():
        ex += ngec_examples(
            ngec, screened_weight=d["ngec_screened_weight"], unknown_weight=d["ngec_unknown_weight"]
        )
    else:
        problems.append(f"{ngec}: missing (NGEC quotes not used)")
    ex += written_examples(root / d["written"])
    bench = root / d["benchmarks"]
    if bench.exists():
        pages, probs = page_examples(root / d["pages"], bench, sentence_splitter(nlp))
        ex += pages
        problems += probs
    else:
        problems.append(f"{bench}: missing (page labels not used)")
    return Data(examples=ex, problems=problems)


def lexicon_cues(nlp: Any) -> LexiconCues:
    """Every word form of each type's trigger lemmas (frozen into the model)."""
    lexicon = Lexicon.load()
    exc: dict[str, dict[str, list[str]]] = {}
    if "lemmatizer" in nlp.pipe_names:
        table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_exc", {})
        exc = {str(k): dict(table[k]) for k in table}
    forms: dict[str, set[int]] = {}
    for k, t in enumerate(PLOVER_TYPES):
        lemmas = [x.lemma for x in lexicon.triggers if x.type == t]
        for f in trigger_forms(lemmas, exc):
            if " " not in f:
                forms.setdefault(f, set()).add(k)
    return LexiconCues(types=PLOVER_TYPES, forms={f: frozenset(v) for f, v in forms.items()})


class Featurizer:
    """Builds the sparse design matrix the learners see (the model's blocks, scaled)."""

    def __init__(self, vocab: Vocabulary, cues: LexiconCues, embed_scale: float, cue_scale: float) -> None:
        self.vocab, self.cues = vocab, cues
        self.embed_scale, self.cue_scale = embed_scale, cue_scale
        self._emb: dict[str, np.ndarray] = {}

    def embeddings(self, texts: Sequence[str]) -> np.ndarray:
        todo = sorted({t for t in texts if t not in self._emb})
        for start in range(0, len(todo), 512):
            chunk = todo[start : start + 512]
            for t, v in zip(chunk, embed(chunk), strict=True):
                self._emb[t] = v
        return np.stack([self._emb[t] for t in texts]) if texts else np.zeros((0, EMBED_DIM), np.float32)

    def matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        rows, cols, vals = [], [], []
        for r, t in enumerate(texts):
            idx, val = self.vocab.vector(t)
            rows += [r] * len(idx)
            cols += idx.tolist()
            vals += val.tolist()
        n_terms = len(self.vocab.terms)
        ng = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), n_terms), dtype=np.float64)
        emb = sparse.csr_matrix(self.embeddings(texts).astype(np.float64) * self.embed_scale)
        cues = sparse.csr_matrix(
            np.stack([self.cues.vector(t) for t in texts]).astype(np.float64) * self.cue_scale
        )
        return sparse.hstack([ng, emb, cues], format="csr")


def targets(
    examples: Sequence[Example], label: str, source_weight: dict[str, float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows that know ``label``, their 0/1 values and weights."""
    picked: list[tuple[int, int, float]] = []
    for i, e in enumerate(examples):
        sw = source_weight.get(e.source.split(":")[0], 1.0)
        if label == NONE:
            # An NGEC quote was chosen as evidence of an event: never a "no event" example.
            picked.append((i, 0 if e.source == "ngec" else int(not e.types), sw))
            continue
        known = e.labels.get(label)
        if known is not None:
            picked.append((i, known[0], known[1] * sw))
    rows = [r for r, _, _ in picked]
    ys = [y for _, y, _ in picked]
    ws = [w for _, _, w in picked]
    return np.array(rows, dtype=np.int64), np.array(ys), np.array(ws, dtype=np.float64)


def fit_heads(
    x: sparse.csr_matrix, examples: Sequence[Example], cfg: dict[str, Any]
) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients (features, labels) and intercepts of one logistic head per label."""
    coef = np.zeros((x.shape[1], len(LABELS)))
    bias = np.zeros(len(LABELS))
    for k, label in enumerate(LABELS):
        rows, y, w = targets(examples, label, cfg["data"]["source_weight"])
        if len(set(y.tolist())) < 2:
            bias[k] = -10.0
            continue
        clf = LogisticRegression(
            C=cfg["model"]["C"], solver="liblinear", random_state=cfg["seed"], max_iter=500
        )
        clf.fit(x[rows], y, sample_weight=w)
        coef[:, k] = clf.coef_[0]
        bias[k] = clf.intercept_[0]
    return coef, bias


def fit_modes(
    x: sparse.csr_matrix,
    examples: Sequence[Example],
    cfg: dict[str, Any],
    modes_of: dict[str, frozenset[str]],
) -> tuple[dict[str, tuple[str, ...]], np.ndarray, np.ndarray, dict[str, tuple[int, int]]]:
    """A multinomial head per type over its modes ("" = none), trained on the type's positives."""
    names: dict[str, tuple[str, ...]] = {}
    blocks: list[np.ndarray] = []
    biases: list[np.ndarray] = []
    cols: dict[str, tuple[int, int]] = {}
    start = 0
    for t in PLOVER_TYPES:
        rows, ys = [], []
        for i, e in enumerate(examples):
            if t in e.types:
                m = e.modes.get(t, "")
                rows.append(i)
                ys.append(m if m in modes_of[t] else "")
        classes = sorted(set(ys))
        counts = {c: ys.count(c) for c in classes}
        if len(classes) < 2 or sorted(counts.values())[-2] < cfg["model"]["min_mode_examples"]:
            continue
        clf = LogisticRegression(C=cfg["model"]["mode_C"], max_iter=2000, random_state=cfg["seed"])
        clf.fit(x[np.array(rows)], np.array(ys))
        cls = tuple(str(c) for c in clf.classes_)
        coef = clf.coef_ if len(cls) > 2 else np.vstack([-clf.coef_[0] / 2, clf.coef_[0] / 2])
        icpt = clf.intercept_ if len(cls) > 2 else np.array([-clf.intercept_[0] / 2, clf.intercept_[0] / 2])
        names[t] = cls
        blocks.append(coef.T)
        biases.append(icpt)
        cols[t] = (start, start + len(cls))
        start += len(cls)
    w = np.hstack(blocks) if blocks else np.zeros((x.shape[1], 0))
    return names, w, np.concatenate(biases) if biases else np.zeros(0), cols


def calibrate(model: EventModel, dev: Sequence[Example], cfg: dict[str, Any]) -> np.ndarray:
    """Per-type thresholds maximising F-beta on the dev split (labels of weight >= 0.5 only)."""
    scores = model.score([e.text for e in dev])
    thr = np.full(len(LABELS), 0.5, dtype=np.float32)
    for k, label in enumerate(LABELS):
        if label == NONE:
            continue
        pairs = [
            (s.probs[label], e.labels[label][0])
            for s, e in zip(scores, dev, strict=True)
            if label in e.labels and e.labels[label][1] >= 0.5
        ]
        thr[k] = sweep_threshold(pairs, cfg["model"]["threshold_grid"], cfg["model"]["threshold_beta"])
    return thr


def evaluate_classifier(model: EventModel, examples: Sequence[Example]) -> dict[str, Any]:
    """Per-type precision, recall, F1 on examples (complete labels: unknown counts as negative)."""
    scores = model.score([e.text for e in examples])
    gold = [e.types for e in examples]
    pred = [set(s.predicted) for s in scores]
    return prf_table(gold, pred, PLOVER_TYPES)


def data_digest(examples: Sequence[Example]) -> str:
    h = hashlib.sha1()
    for e in examples:
        h.update(json.dumps([e.source, e.doc, e.split, e.text, sorted(e.labels.items())]).encode())
    return h.hexdigest()[:16]


def train(config: Path, root: Path, out: Path, *, spacy_model: str = DEFAULT_MODEL) -> dict[str, Any]:
    """Train, calibrate and save the model; returns the figures (also in the model's meta)."""
    cfg = load_config(config)
    nlp = load_model(spacy_model)
    data = read_data(cfg, root, nlp)
    train_ex, dev_ex, test_ex = data.split("train"), data.split("dev"), data.split("test")
    f = cfg["features"]
    vocab = Vocabulary.fit(
        (e.text for e in train_ex), min_df=f["min_df"], max_terms=f["max_terms"], n_max=f["ngram_max"]
    )
    cues = lexicon_cues(nlp)
    feats = Featurizer(vocab, cues, f["embed_scale"], f["cue_scale"])
    x = feats.matrix([e.text for e in train_ex])
    coef, bias = fit_heads(x, train_ex, cfg)
    lexicon = Lexicon.load()
    mode_names, mode_w, mode_b, mode_cols = fit_modes(x, train_ex, cfg, dict(lexicon.modes))
    n_terms = len(vocab.terms)
    model = EventModel(
        labels=LABELS,
        vocab=vocab,
        cues=cues,
        w_ngram=coef[:n_terms].astype(np.float32),
        w_embed=coef[n_terms : n_terms + EMBED_DIM].astype(np.float32),
        w_cues=coef[n_terms + EMBED_DIM :].astype(np.float32),
        bias=bias.astype(np.float32),
        thresholds=np.full(len(LABELS), 0.5, np.float32),
        block_scale={"embed": float(f["embed_scale"]), "cues": float(f["cue_scale"])},
        modes=mode_names,
        w_mode_ngram=mode_w[:n_terms].astype(np.float32),
        w_mode_embed=mode_w[n_terms : n_terms + EMBED_DIM].astype(np.float32),
        mode_bias=mode_b.astype(np.float32),
        mode_cols=mode_cols,
    )
    model.thresholds = calibrate(model, dev_ex, cfg)
    figures = {
        "examples": {s: len(data.split(s)) for s in ("train", "dev", "test")},
        "by_source": _by_source(data.examples),
        "data_digest": data_digest(data.examples),
        "test": {
            src: evaluate_classifier(model, [e for e in test_ex if e.source.split(":")[0] == src])
            for src in sorted({e.source.split(":")[0] for e in test_ex})
        },
        "problems": data.problems[:50],
        "config": cfg,
    }
    model.meta = figures
    model.save(out)
    return figures


def _by_source(examples: Sequence[Example]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for e in examples:
        src = e.source.split(":")[0]
        row = out.setdefault(src, {"train": 0, "dev": 0, "test": 0, "negatives": 0})
        row[e.split] += 1
        row["negatives"] += not e.types
    return out


#: Where the shipped model lives (loaded by :meth:`EventModel.load_shipped`).
SHIPPED = Path(__file__).resolve().parent.parent / "data" / "models" / "events"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m legation.learn.train``: train from a config and print the test figures."""

    ap = argparse.ArgumentParser(description="Train the event classifier (deterministic).")
    ap.add_argument("--config", type=Path, default=Path("training/config.yaml"))
    ap.add_argument("--root", type=Path, default=Path("."), help="what config paths are relative to")
    ap.add_argument("--out", type=Path, default=SHIPPED, help="model directory (default: the shipped one)")
    ap.add_argument("--spacy-model", default=DEFAULT_MODEL)
    args = ap.parse_args(argv)
    figures = train(args.config, args.root, args.out, spacy_model=args.spacy_model)
    print(json.dumps({"examples": figures["examples"], "by_source": figures["by_source"]}))
    for src, r in figures["test"].items():
        macro = {k: round(v, 3) for k, v in r["macro"].items()}
        print(f"test {src}: macro {macro}")
    for problem in figures["problems"]:
        print(f"warning: {problem}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
