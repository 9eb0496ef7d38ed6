"""The event classifier: training is deterministic, the shipped model loads and behaves.

Training here runs on a tiny corpus written in the test (the real corpora are too slow for the
suite); what is checked is the machinery: byte-identical weights from the same data and seed,
splits by document, calibrated thresholds, and a model that learns what it was shown.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from legation.learn.corpus import split_of, written_examples
from legation.learn.metrics import prf_table, sweep_threshold
from legation.learn.model import NONE, EventModel
from legation.learn.train import LABELS, targets, train

SUBJECTS = [
    "Ruritania",
    "The army of Freedonia",
    "Police in Sylvania",
    "Borduria",
    "Syldavia",
    "Kerplakistan",
]
OBJECTS = ["the border town", "a convoy", "the capital", "villages in the north", "a checkpoint", "the port"]
TEMPLATES = {
    "ASSAULT": "{s} shelled {o} on {d}, killing several people.",
    "PROTEST": "Thousands of demonstrators marched through {o} on {d} to protest against {s}.",
    "CONSULT": "{s} held talks with envoys about {o} on {d}.",
}
NEGATIVE = "{s} reported strong growth in its tourism sector near {o} on {d}."
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _write_corpus(folder: Path) -> None:
    folder.mkdir(parents=True)
    lines = []
    n = 0
    for i, s in enumerate(SUBJECTS):
        for j, o in enumerate(OBJECTS):
            d = DAYS[(i + j) % len(DAYS)]
            for etype, tpl in TEMPLATES.items():
                n += 1
                ev = {"type": etype, "mode": None, "trigger": "x", "actor": [], "recipient": [], "aux": None}
                lines.append({"doc": f"t-{n % 40}", "text": tpl.format(s=s, o=o, d=d), "events": [ev]})
            n += 1
            lines.append({"doc": f"t-{n % 40}", "text": NEGATIVE.format(s=s, o=o, d=d), "events": []})
    (folder / "tiny.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("train")
    _write_corpus(root / "written")
    cfg = yaml.safe_load(Path("training/config.yaml").read_text(encoding="utf-8"))
    cfg["data"].update({"ngec": "absent", "written": "written", "pages": "absent", "benchmarks": "absent"})
    cfg["features"]["min_df"] = 1
    config = root / "config.yaml"
    config.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    return root, config


@pytest.fixture(scope="module")
def trained(tiny: tuple[Path, Path]) -> tuple[Path, dict]:
    root, config = tiny
    figures = train(config, root, root / "model-a")
    return root, figures


def test_training_is_deterministic(tiny: tuple[Path, Path], trained: tuple[Path, dict]) -> None:
    root, config = tiny
    train(config, root, root / "model-b")
    for name in ("model.json", "model.npz"):
        assert (root / "model-a" / name).read_bytes() == (root / "model-b" / name).read_bytes(), name


def test_missing_sources_are_reported_not_fatal(trained: tuple[Path, dict]) -> None:
    _, figures = trained
    assert any("NGEC quotes not used" in p for p in figures["problems"])
    assert figures["by_source"]["written"]["negatives"] > 0


def test_trained_model_learns_its_types(trained: tuple[Path, dict]) -> None:
    root, _ = trained
    model = EventModel.load(root / "model-a")
    assert model.labels == LABELS
    texts = [
        "Syldavia shelled the port on Monday, killing several people.",
        "Thousands of demonstrators marched through the capital on Friday to protest against Borduria.",
        "Ruritania reported strong growth in its tourism sector near a checkpoint on Sunday.",
    ]
    s_assault, s_protest, s_none = model.score(texts)
    assert "ASSAULT" in s_assault.predicted and "PROTEST" not in s_assault.predicted
    assert "PROTEST" in s_protest.predicted
    assert not s_none.predicted
    assert s_none.none > s_assault.none


def test_thresholds_calibrated_in_range(trained: tuple[Path, dict]) -> None:
    root, _ = trained
    model = EventModel.load(root / "model-a")
    for label in LABELS:
        assert 0.0 < model.threshold(label) < 1.0


def test_split_is_by_document() -> None:
    # Every sentence of one document lands in one split, whatever its text.
    assert len({split_of("written", "doc-7") for _ in range(3)}) == 1
    splits = {split_of("written", f"doc-{i}") for i in range(200)}
    assert splits == {"train", "dev", "test"}


def test_written_corpus_has_negatives_and_every_type() -> None:
    examples = written_examples(Path("training/corpus/written"))
    assert len(examples) >= 3000
    assert sum(1 for e in examples if not e.types) >= 1000
    covered = {t for e in examples for t in e.types}
    assert covered == set(LABELS) - {NONE}
    docs_by_split: dict[str, set[str]] = {}
    for e in examples:
        docs_by_split.setdefault(e.split, set()).add(e.doc)
    assert not docs_by_split["train"] & docs_by_split["test"]


def test_none_head_never_learns_from_ngec_quotes() -> None:
    from legation.learn.corpus import Example

    quote = Example(text="x", source="ngec", doc="d", split="train")
    page = Example(text="y", source="page:a", doc="p", split="train")
    rows, ys, _ = targets([quote, page], NONE, {})
    assert rows.tolist() == [0, 1] and ys.tolist() == [0, 1]


def test_shipped_model_loads_and_scores() -> None:
    model = EventModel.load()
    assert model.labels == LABELS
    scores = model.score(["The two armies exchanged artillery fire across the border overnight."])[0]
    probs = np.array(list(scores.probs.values()))
    assert ((probs >= 0) & (probs <= 1)).all()
    assert scores.probs["ASSAULT"] > scores.probs["AGREE"]
    again = model.score(["The two armies exchanged artillery fire across the border overnight."])[0]
    assert again.probs == scores.probs


def test_metrics() -> None:
    table = prf_table([{"A"}, {"B"}, set()], [{"A"}, {"A"}, set()], ["A", "B"])
    assert table["types"]["A"]["p"] == 0.5 and table["types"]["A"]["r"] == 1.0
    assert table["types"]["B"]["f1"] == 0.0
    # The threshold that separates the positives is picked.
    assert sweep_threshold([(0.9, 1), (0.8, 1), (0.3, 0), (0.2, 0)], [0.1, 0.5, 0.95]) == 0.5
