"""The actor stage: parse the clean body once and resolve every actor mention in it.

The spaCy ``Doc`` is left on the context (``ctx.doc``) so that the events stage reuses the
parse instead of paying for it twice. Paragraphs that can hold neither an event nor an actor
the parse would find are only tokenized (:mod:`legation.actors.parse`), because the parse is
most of the ingest time; ``PipelineConfig.skip_eventless`` turns that off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from legation.actors.generic import extra_mentions
from legation.actors.parse import PartialParser, trigger_forms
from legation.actors.resolve import resolve_mentions
from legation.actors.resolve_match import ActorMatcher
from legation.events.lexicon import Lexicon
from legation.models import Article, RawDoc
from legation.paragraphs import parse

if TYPE_CHECKING:
    from legation.pipeline import Context, Pipeline


class ActorStage:
    """Clean text -> ``article.mentions`` (people, states, organisations, bodies)."""

    name = "actors"
    reads: tuple[str, ...] = ("text", "author", "published", "datelines", "parse_spans")
    writes: tuple[str, ...] = ("mentions", "doc")

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self._matcher: ActorMatcher | None = None
        self._parser: PartialParser | None = None

    @property
    def matcher(self) -> ActorMatcher:
        """Phrase matchers over the pipeline's dictionary, built on first use (once per process)."""
        if self._matcher is None:
            self._matcher = ActorMatcher(self.pipeline.nlp, self.pipeline.actors)
        return self._matcher

    @property
    def parser(self) -> PartialParser:
        """The paragraph-skipping parser, built on first use from the event lexicon's triggers."""
        if self._parser is None:

            nlp = self.pipeline.nlp
            lexicon = Lexicon.load()
            lemmas = [t.lemma for t in lexicon.triggers]
            exc: dict[str, dict[str, list[str]]] = {}
            if "lemmatizer" in nlp.pipe_names:
                table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_exc", {})
                exc = {str(k): dict(table[k]) for k in table}
            self._parser = PartialParser(nlp, trigger_forms(lemmas, exc))
        return self._parser

    def __call__(self, article: Article, raw: RawDoc, ctx: Context) -> None:
        if ctx.parse_spans is not None:
            doc: Any = self.parser.spans(article.text, ctx.parse_spans)
        elif self.pipeline.config.skip_eventless:
            doc = self.parser(article.text)
        else:
            doc = parse(self.pipeline.nlp, article.text)
        ctx.doc = doc
        known = resolve_mentions(doc, article, self.pipeline.actors, self.matcher)
        article.mentions = extra_mentions(doc, article, self.pipeline.actors, known)
