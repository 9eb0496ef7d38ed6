"""The events stage: resolved mentions + the parse -> ``article.events`` (PLOVER records)."""

from __future__ import annotations

from typing import Any

from legation.events.cameo import CameoMap
from legation.events.coder import code_events
from legation.events.lexicon import Lexicon
from legation.events.types import TypeRules
from legation.learn.model import EventModel
from legation.models import Article, RawDoc
from legation.paragraphs import parse
from legation.stages import Context, Resources


class EventStage:
    """Code the article's events with the shipped classifier, lexicon and CAMEO mapping.

    Reuses the Doc the actor stage parsed (``ctx.doc``) so the article is parsed once; parses
    again only when no Doc is there or it is not of this text (offsets must match the text).
    ``PipelineConfig.extra["event_model"]`` set to ``False`` codes with the lexicon alone (the
    coder as it was before the classifier; used to measure what each part contributes).
    """

    name = "events"
    reads: tuple[str, ...] = ("text", "mentions", "published", "datelines", "parse_spans", "scores")
    writes: tuple[str, ...] = ("events",)

    def __init__(self, resources: Resources) -> None:
        self.res = resources
        self.lexicon = Lexicon.load()
        self.cameo = CameoMap.load()
        self.rules = TypeRules.load()

    @property
    def model(self) -> EventModel | None:
        """The event classifier the pipeline holds (None when switched off)."""
        return self.res.event_model

    def __call__(self, article: Article, raw: RawDoc, ctx: Context) -> None:
        doc: Any = getattr(ctx, "doc", None)
        if doc is None or doc.text != article.text:
            doc = parse(self.res.nlp, article.text)
        article.events = code_events(
            doc,
            article,
            lexicon=self.lexicon,
            cameo=self.cameo,
            rules=self.rules,
            model=self.model,
            parsed=ctx.parse_spans,
            known_scores=ctx.scores,
        )
