"""Training and evaluation examples for the event classifier, read from three kinds of data.

* the NGEC-2025 VOA quotes (``../shared/training/ngec-voa``), read in place: each quote is a
  positive of the type it was given as evidence for; the document-level judgements around it
  (a verified ``label: 0``, a type the screen did not list) make it a negative of other types,
  weighted by how reliable that judgement is;
* the corpus written for the project (``training/corpus/written/*.jsonl``);
* our labels of the sentences of the real benchmark pages (``training/corpus/pages``), which
  name a page and a sentence key: the sentence text is re-read from the benchmark, never copied.

Every example carries the source document it came from, and the split (train, dev, test) is
a function of that document alone (:func:`split_of`), so sentences of one document never
straddle training and evaluation.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legation.events.lexicon import PLOVER_TYPES

#: Share of documents (percent) in the train and dev splits; the rest is test.
TRAIN_PCT, DEV_PCT = 70, 15

#: How often the NGEC screen missed a real positive, per type (its README): a type the screen
#: did not list is a negative with weight ``1 - rate``.
SCREEN_MISS = {
    "PROTEST": 0.02,
    "THREATEN": 0.02,
    "MOBILIZE": 0.05,
    "RETREAT": 0.05,
    "AGREE": 0.085,
    "AID": 0.085,
    "CONCEDE": 0.085,
    "COOPERATE": 0.085,
    "REJECT": 0.085,
    "ASSAULT": 0.125,
    "COERCE": 0.125,
    "REQUEST": 0.125,
    "SUPPORT": 0.125,
    "CONSULT": 0.17,
    "SANCTION": 0.26,
    "ACCUSE": 0.36,
}

#: NGEC mode names that the project's mode vocabulary spells differently (lexicon.yaml modes).
NGEC_MODES = {
    "massacre": "targeted",
    "assassinate": "targeted",
    "execute": "targeted",
    "ban": "restrict",
    "cleansing": None,
    "rights": None,
    "violence": "violence",
}


@dataclass
class Example:
    """One sentence (or evidence quote) with what is known of its event types.

    ``labels`` maps a type to ``(value, weight)``: value 1 or 0, weight how sure the label is.
    Types absent from ``labels`` are unknown for this example. ``events`` are the full labelled
    events (with actors) where the source gives them, for evaluating the whole coder.
    """

    text: str
    source: str
    doc: str
    split: str
    labels: dict[str, tuple[int, float]] = field(default_factory=dict)
    modes: dict[str, str] = field(default_factory=dict)
    hard: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    style: str | None = None

    @property
    def types(self) -> set[str]:
        """The types this example is a positive of."""
        return {t for t, (v, _) in self.labels.items() if v == 1}


def split_of(source: str, doc: str) -> str:
    """``train``, ``dev`` or ``test`` for a source document, stable across runs and machines."""
    n = int(hashlib.sha1(f"{source}:{doc}".encode()).hexdigest()[:8], 16) % 100
    return "train" if n < TRAIN_PCT else "dev" if n < TRAIN_PCT + DEV_PCT else "test"


def norm_text(text: str) -> str:
    """Whitespace-normalised text (the identity of a quote or sentence)."""
    return " ".join(text.split())


def sentence_key(page: str, text: str) -> str:
    """The key a page label names a sentence by (training/README.md)."""
    return hashlib.sha1(f"{page}|{norm_text(text)}".encode()).hexdigest()[:16]


def _jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if line.strip():
                rec = json.loads(line)
                if not isinstance(rec, dict):
                    raise ValueError(f"{path}:{i}: not a JSON object")
                yield i, rec


def _actual(ev: dict[str, Any]) -> bool:
    """Whether a labelled event counts as a positive: negated and hypothetical ones do not."""
    return ev.get("aux") not in ("negated", "hypothetical")


def labelled_example(rec: dict[str, Any], source: str, doc: str, text: str) -> Example:
    """An example from a corpus record in the codebook format: complete labels, weight 1."""
    events = [e for e in rec.get("events") or [] if isinstance(e, dict)]
    pos = {str(e["type"]) for e in events if _actual(e)}
    ex = Example(
        text=text,
        source=source,
        doc=doc,
        split=split_of(source, doc),
        hard=rec.get("hard"),
        events=events,
        style=rec.get("style"),
    )
    ex.labels = {t: (int(t in pos), 1.0) for t in PLOVER_TYPES}
    for e in events:
        if _actual(e) and e.get("mode"):
            ex.modes.setdefault(str(e["type"]), str(e["mode"]))
    return ex


# ---------------------------------------------------------------- NGEC quotes
def ngec_examples(
    folder: Path, *, screened_weight: float = 0.6, unknown_weight: float = 0.3
) -> list[Example]:
    """The NGEC VOA quotes as examples (one per distinct quote), labels from all judgements.

    Args:
        folder: the ``ngec-voa`` folder (``verified.jsonl``, ``screened.jsonl``).
        screened_weight: weight of a positive the recall-oriented screen gave but nobody verified.
        unknown_weight: weight of the negative assumed for a type nothing was said about (a
            quote is evidence for one event; most quotes hold no second type).
    """
    verified = [r for _, r in _jsonl(folder / "verified.jsonl")]
    screened = {r["doc_id"]: r for _, r in _jsonl(folder / "screened.jsonl")}
    doc_neg: dict[str, set[str]] = defaultdict(set)  # verified: the document holds no event of type
    for r in verified:
        if r.get("label") == 0:
            doc_neg[r["doc_id"]].add(r["type"])
    quotes: dict[str, Example] = {}

    def example(quote: str, doc: str) -> Example:
        key = norm_text(quote)
        ex = quotes.get(key)
        if ex is None:
            ex = quotes[key] = Example(text=key, source="ngec", doc=doc, split=split_of("ngec", doc))
        return ex

    for r in verified:
        if r.get("label") == 1 and r.get("quote"):
            ex = example(r["quote"], r["doc_id"])
            ex.labels[r["type"]] = (1, 1.0)
            modes = [NGEC_MODES.get(m, m) for m in r.get("modes") or []]
            mode = next((m for m in modes if m), None)
            if mode:
                ex.modes.setdefault(r["type"], mode)
    for doc, r in screened.items():
        for t, quote in (r.get("quotes") or {}).items():
            if not quote or t in doc_neg[doc]:
                continue
            ex = example(quote, doc)
            if t not in ex.labels:
                ex.labels[t] = (1, screened_weight)
    for ex in quotes.values():
        scr = screened.get(ex.doc)
        for t in PLOVER_TYPES:
            if t in ex.labels:
                continue
            if t in doc_neg[ex.doc]:
                ex.labels[t] = (0, 1.0)
            elif scr is not None and t not in scr["candidates"]:
                ex.labels[t] = (0, 1.0 - SCREEN_MISS[t])
            else:
                ex.labels[t] = (0, unknown_weight)
    return sorted(quotes.values(), key=lambda e: (e.doc, e.text))


# ---------------------------------------------------------------- written corpus
def written_examples(folder: Path) -> list[Example]:
    """Sentences of the corpus written for the project (``*.jsonl`` under ``folder``)."""
    out: list[Example] = []
    for path in sorted(folder.glob("*.jsonl")):
        for i, rec in _jsonl(path):
            text = rec.get("text")
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{path}:{i}: no 'text'")
            out.append(labelled_example(rec, "written", str(rec.get("doc") or f"{path.stem}:{i}"), text))
    return out


# ---------------------------------------------------------------- benchmark pages
def page_sentences(body: str, split: Callable[[str], Iterable[str]]) -> list[str]:
    """The sentences of a page body as labels name them (``split`` is the sentence splitter)."""
    return [t for t in (s.strip() for s in split(body)) if len(t) >= 3]


def page_examples(
    labels_dir: Path, benchmarks: Path, split: Callable[[str], Iterable[str]]
) -> tuple[list[Example], list[str]]:
    """Sentences of the benchmark pages we labelled, with the labels' problems (unmatched keys).

    A page marked ``judged: all`` contributes every sentence: those without a label line are
    negatives. Only labelled sentences of pages not so marked are used.
    """
    out: list[Example] = []
    problems: list[str] = []
    for path in sorted(labels_dir.glob("*.labels.jsonl")):
        bench = path.name.removesuffix(".labels.jsonl")
        truth = json.loads((benchmarks / bench / "ground-truth.json").read_text(encoding="utf-8"))
        by_page: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        judged: set[str] = set()
        for i, rec in _jsonl(path):
            page = str(rec.get("page"))
            if rec.get("judged") == "all":
                judged.add(page)
            elif "key" in rec:
                by_page[page][str(rec["key"])] = rec
            else:
                problems.append(f"{path}:{i}: neither a key nor a judged line")
        for page in sorted(set(by_page) | judged):
            body = (truth.get(page) or {}).get("articleBody") or ""
            seen: set[str] = set()
            for text in page_sentences(body, split):
                key = sentence_key(page, text)
                found = by_page[page].get(key)
                if found is None and page not in judged:
                    continue
                seen.add(key)
                out.append(labelled_example(found or {"events": []}, f"page:{bench}", page, norm_text(text)))
            problems += [
                f"{path}: page {page}: key {k} matches no sentence" for k in by_page[page] if k not in seen
            ]
    return out, problems
