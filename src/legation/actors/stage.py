"""The actor stage: parse the clean body once and resolve every actor mention in it.

The spaCy ``Doc`` is left on the context (``ctx.doc``) so that the events stage reuses the
parse instead of paying for it twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from legation.actors.resolve import resolve_mentions
from legation.actors.resolve_match import ActorMatcher
from legation.models import Article, RawDoc

if TYPE_CHECKING:
    from legation.pipeline import Context, Pipeline


class ActorStage:
    """Clean text -> ``article.mentions`` (people, states, organisations, bodies)."""

    name = "actors"
    reads: tuple[str, ...] = ("text", "author", "published", "datelines")
    writes: tuple[str, ...] = ("mentions", "doc")

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self._matcher: ActorMatcher | None = None

    @property
    def matcher(self) -> ActorMatcher:
        """Phrase matchers over the pipeline's dictionary, built on first use (once per process)."""
        if self._matcher is None:
            self._matcher = ActorMatcher(self.pipeline.nlp, self.pipeline.actors)
        return self._matcher

    def __call__(self, article: Article, raw: RawDoc, ctx: Context) -> None:
        doc: Any = self.pipeline.nlp(article.text)
        ctx.doc = doc
        article.mentions = resolve_mentions(doc, article, self.pipeline.actors, self.matcher)
