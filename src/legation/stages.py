"""The stage contract: what a per-article stage is given and what it declares.

Like spaCy's components, each stage declares what it reads and what it writes
(:class:`Stage`), checked when a pipeline is built (:func:`check_contracts`). A stage is given
the read-only resources it needs through :class:`Resources` (the model, the dictionary, the
classifier, loaded once per process on first use), not the pipeline that runs it: the stage
modules import this module, never :mod:`legation.pipeline`, so there is no cycle between the
pipeline and its stages, not even for the type checker.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from legation.actors.dictionary import ActorDictionary
from legation.actors.parse import PartialParser
from legation.clean.chrome import SiteChrome
from legation.ingest.bounds import Bounds
from legation.learn.model import EventModel
from legation.models import Article, RawDoc


@dataclass
class Context:
    """Per-article inputs that are not part of the document itself."""

    chrome: SiteChrome | None = None
    doc: Any = None  # the spaCy parse of ``article.text`` (written by ActorStage, reused later)
    #: Character ranges of ``article.text`` that get the full spaCy pipeline (SelectStage);
    #: None: all of it.
    parse_spans: list[tuple[int, int]] | None = None
    #: Event-classifier scores by normalised sentence text (SelectStage; the coder reuses them).
    scores: dict[str, Any] = field(default_factory=dict)


class Stage(Protocol):
    """A per-article stage: reads some fields of an Article, writes others."""

    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]

    def __call__(self, article: Article, raw: RawDoc, ctx: Context) -> None: ...


class Resources(Protocol):
    """What stages read from the pipeline: loaded once per process, on first use."""

    @property
    def nlp(self) -> Any: ...

    @property
    def actors(self) -> ActorDictionary: ...

    @property
    def event_model(self) -> EventModel | None: ...

    @property
    def parser(self) -> PartialParser: ...

    @property
    def is_word(self) -> Callable[[str], bool]: ...

    @property
    def selective(self) -> bool: ...

    @property
    def bounds(self) -> Bounds: ...


def contract_fields() -> frozenset[str]:
    """The names a stage may read or write: ``Article`` and ``Context`` fields, and ``raw``."""
    names = {f.name for f in dataclasses.fields(Article)} | {f.name for f in dataclasses.fields(Context)}
    return frozenset({*names, "raw"})


def check_contracts(stages: Sequence[Stage]) -> None:
    """Fail early when a stage names a field that does not exist, or reads one that no earlier
    stage (nor the input) writes (as spaCy validates ``assigns``/``requires``)."""
    known = contract_fields()
    for s in stages:
        unknown = [f for f in (*s.reads, *s.writes) if f not in known]
        if unknown:
            raise ValueError(f"stage {s.name!r} names {unknown}, which are no Article or Context fields")
    available = {"raw"}
    for s in stages:
        missing = [r for r in s.reads if r not in available]
        if missing:
            raise ValueError(f"stage {s.name!r} reads {missing} which no earlier stage writes")
        available.update(s.writes)
