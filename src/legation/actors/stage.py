"""The parse stage (clean body -> one spaCy Doc) and the actor stage (Doc -> mentions).

The Doc is left on the context (``ctx.doc``) so that the actor and event stages share one
parse. Only what can matter is parsed (:mod:`legation.select`, :mod:`legation.actors.parse`),
because the parse is most of the ingest time; ``PipelineConfig.skip_eventless`` turns that off.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from legation.actors.generic import extra_mentions
from legation.actors.parse import PartialParser
from legation.actors.resolve import resolve_mentions
from legation.actors.resolve_match import ActorMatcher
from legation.models import Article, RawDoc
from legation.paragraphs import parse
from legation.stages import Context, Resources


class ParseStage:
    """Clean text -> ``ctx.doc``: the spaCy Doc every later stage reads.

    In a long article only the ranges the select stage kept (``ctx.parse_spans``) get the full
    pipeline (:meth:`PartialParser.spans`); a short text is parsed paragraph by paragraph, its
    eventless paragraphs only tokenized unless ``parse_all`` (:class:`PartialParser`).
    :meth:`parse_many` parses the kept ranges of many articles in one ``nlp.pipe`` batch: the
    kept ranges are short, and spaCy's per-call cost was a tenth of the parse when each
    article was its own batch.
    """

    name = "parse"
    reads: tuple[str, ...] = ("text", "parse_spans")
    writes: tuple[str, ...] = ("doc",)

    def __init__(self, resources: Resources) -> None:
        self.res = resources

    def __call__(self, article: Article, raw: RawDoc, ctx: Context) -> None:
        self.parse_many([(article, ctx)])

    def parse_many(self, jobs: Sequence[tuple[Article, Context]]) -> None:
        """Set ``ctx.doc`` for each (article, context), the selected ones in one batch."""
        parser = self.res.parser
        selected = [(a, c) for a, c in jobs if c.parse_spans is not None]
        docs = parser.spans_many([(a.text, c.parse_spans or []) for a, c in selected])
        for (_, ctx), doc in zip(selected, docs, strict=True):
            ctx.doc = doc
        for article, ctx in jobs:
            if ctx.parse_spans is None:
                ctx.doc = self._whole(article.text)

    def _whole(self, text: str) -> Any:
        if self.res.selective:
            return self.res.parser(text)
        return parse(self.res.nlp, text)


class ActorStage:
    """Clean text -> ``article.mentions`` (people, states, organisations, bodies)."""

    name = "actors"
    reads: tuple[str, ...] = ("text", "author", "published", "datelines", "doc")
    writes: tuple[str, ...] = ("mentions",)

    def __init__(self, resources: Resources) -> None:
        self.res = resources
        self._matcher: ActorMatcher | None = None

    @property
    def matcher(self) -> ActorMatcher:
        """Phrase matchers over the pipeline's dictionary, built on first use (once per process)."""
        if self._matcher is None:
            self._matcher = ActorMatcher(self.res.nlp, self.res.actors)
        return self._matcher

    @property
    def parser(self) -> PartialParser:
        """The pipeline's partial parser (also what a caller of this stage alone parses with)."""
        return self.res.parser

    def __call__(self, article: Article, raw: RawDoc, ctx: Context) -> None:
        doc: Any = ctx.doc
        if doc is None or doc.text != article.text:
            # Called on its own (tests, tools): parse here, as the parse stage would.
            ParseStage(self.res)(article, raw, ctx)
            doc = ctx.doc
        known = resolve_mentions(doc, article, self.res.actors, self.matcher)
        article.mentions = extra_mentions(doc, article, self.res.actors, known)
