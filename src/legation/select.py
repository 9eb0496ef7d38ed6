"""Parse only what can hold an event, a claim or an agreement (the select stage).

The spaCy pipeline is most of the ingest time (``docs/performance.md``), and in a long article
most sentences are context: on the benchmark pages 89 % hold no event. Before anything is
parsed, this stage cuts the clean body into sentences with a cheap splitter, scores them all
with the event classifier (which reads words, not the parse), and keeps for the full pipeline
only the sentences that

* the classifier does not call eventless: their "no event" probability is below the long-
  article policy's ``none_max`` (:data:`legation.events.decide.LONG_POLICY`), the very test by
  which the coder codes nothing in a sentence, so a skipped sentence loses no event; or
* carry a claim or agreement cue (``data/select.yaml``): a number beside a quantity noun, an
  instrument's name.

The rest is only tokenized: the actor dictionary still finds its names there, but NER, tags,
lemmas and the parse are not computed, so a person known only to NER in such a sentence is not
a mention. Short texts (at most ``SHORT_MAX_SENTENCES`` sentences: records, quotes) are parsed
whole: each of their sentences was chosen because it reports something.

The stage writes ``ctx.parse_spans`` (character ranges to parse, in order; ``None``: all of the
text) and ``ctx.scores`` (classifier scores by normalised sentence text, so the coder does not
score a sentence twice).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from legation.events import decide
from legation.learn.model import Scores
from legation.models import Article, RawDoc
from legation.paragraphs import paragraphs, trimmed
from legation.stages import Context, Resources

# A sentence ends at . ! or ? (closing quotes and brackets included) before whitespace and a
# capital, a digit or an opening quote; a single capital or a known abbreviation before the
# stop ("U.S.", "Mr.", "Jan.") does not end one. A paragraph break always ends one.
_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_ABBR = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Gov|Sen|Rep|St|Jr|Sr|No|Vol"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|approx|Inc|Corp|Ltd|Co))\.$"
)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Cues:
    """The words that keep a sentence the classifier calls eventless (``data/select.yaml``)."""

    number: re.Pattern[str]
    claim: re.Pattern[str]
    instrument: re.Pattern[str]

    def keeps(self, sentence: str) -> bool:
        """Whether ``sentence`` can hold a quantity claim or name an agreement."""
        if self.instrument.search(sentence):
            return True
        has_number = bool(_DIGIT.search(sentence)) or bool(self.number.search(sentence))
        return has_number and bool(self.claim.search(sentence))


def _words(words: Sequence[str]) -> str:
    """A whole-word, plural-tolerant alternation of ``words`` (longest first)."""
    alts = sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True)
    return rf"\b(?:{'|'.join(alts)})(?:s|es)?\b"


@lru_cache(maxsize=4)
def load_cues(path: Path | None = None) -> Cues:
    """The cues of ``path`` (default: the shipped ``legation/data/select.yaml``), read once."""
    source: Any = path or resources.files("legation") / "data" / "select.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    keys = ("number_words", "claim_nouns", "claim_symbols", "instrument_heads")
    bad = [k for k in keys if not isinstance((data or {}).get(k), list) or not data[k]]
    if bad:
        raise ValueError(f"{source}: {', '.join(bad)} must be non-empty lists")
    symbols = "|".join(re.escape(s) for s in data["claim_symbols"])
    return Cues(
        number=re.compile(_words(data["number_words"]), re.IGNORECASE),
        claim=re.compile(rf"{_words(data['claim_nouns'])}|{symbols}", re.IGNORECASE),
        instrument=re.compile(_words(data["instrument_heads"]), re.IGNORECASE),
    )


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of the sentences of ``text``, never across a paragraph break.

    Cheap and conservative: where in doubt it does not split (a longer unit is scored as one),
    and every range is trimmed of surrounding whitespace.
    """
    out: list[tuple[int, int]] = []
    pos = 0
    for para in paragraphs(text):
        start = pos
        for m in _END.finditer(para):
            if _ABBR.search(para[: m.end()]):
                continue
            out.append((start, pos + m.end()))
            start = pos + m.end()
        out.append((start, pos + len(para)))
        pos += len(para)
    return trimmed(text, out)


def norm(text: str) -> str:
    """The key a sentence's scores are cached under (whitespace-normalised text)."""
    return " ".join(text.split())


def merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Kept sentence ranges joined where only whitespace inside one paragraph separates them."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and not text[out[-1][1] : s].strip() and "\n\n" not in text[out[-1][1] : s]:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


class SelectStage:
    """Clean body -> the character ranges worth the full spaCy pipeline, and sentence scores."""

    name = "select"
    reads: tuple[str, ...] = ("text",)
    writes: tuple[str, ...] = ("parse_spans", "scores")

    def __init__(self, models: Resources) -> None:
        self.models = models

    def __call__(self, article: Article, raw: RawDoc, ctx: Context) -> None:
        ctx.parse_spans = None
        ctx.scores = {}
        if not self.models.selective:
            return
        model = self.models.event_model
        if model is None:
            return
        text = article.text
        spans = sentence_spans(text)
        if len(spans) <= decide.SHORT_MAX_SENTENCES:
            return
        sents = [text[s:e] for s, e in spans]
        scores: list[Scores] = model.score(sents)
        gate = decide.LONG_POLICY.none_max
        cues = load_cues()
        kept = [
            sp
            for sp, sent, sc in zip(spans, sents, scores, strict=True)
            if sc.none < gate or cues.keeps(sent)
        ]
        ctx.scores = {norm(sent): sc for sent, sc in zip(sents, scores, strict=True)}
        ctx.parse_spans = merge(kept, text)


def covered(spans: list[tuple[int, int]] | None, start: int, end: int) -> bool:
    """Whether the range ``start``-``end`` lies inside one of ``spans`` (None: all is parsed)."""
    if spans is None:
        return True
    return any(s <= start and end <= e for s, e in spans)


def scores_of(model: Any, texts: list[str], cache: dict[str, Scores]) -> list[Scores]:
    """Classifier scores of ``texts``, from ``cache`` where the select stage already has them."""
    missing = [t for t in dict.fromkeys(texts) if norm(t) not in cache]
    if missing:
        cache.update({norm(t): sc for t, sc in zip(missing, model.score(missing), strict=True)})
    return [cache[norm(t)] for t in texts]
