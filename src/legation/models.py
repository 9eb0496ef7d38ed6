"""Records that flow between pipeline stages.

Every stage declares which of these it reads and which it writes (see
:mod:`legation.pipeline`). They are plain dataclasses so that they pickle cheaply
to worker processes and to Dask, and so that a stage is a pure function of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

PublishedBasis = Literal["record", "metadata", "dateline", "text", "inferred", "url", "unknown"]
Precision = Literal["day", "month", "year", "unknown"]


@dataclass(frozen=True)
class RawDoc:
    """One article as it arrived, before any cleaning.

    Attributes:
        source: path of the file, or the record's / WARC record's URL. Shown to users.
        locator: where inside ``path`` it came from (``"line 12"``, ``"record 3"``), or "".
        path: the file it was read from (errors name the file, whatever the source URL).
        input_key: a stable key of the input unit, used to skip inputs that a previous run
            already stored (file path plus line or record number).
        fmt: ``"text"`` or ``"html"``: which cleaner applies.
        content: the page text or HTML, already decoded to ``str``.
        id: the record's own id when the input gave one, else None (derived from content).
        url, site, title, published: metadata given by the input record; it wins over
            anything the pipeline infers.
        encoding: the encoding the bytes were decoded from (detected for non-UTF-8 files).
        encoding_note: a warning when that encoding was only guessed or bytes were replaced
            (:func:`legation.ingest.encoding.decode_noted`); the article carries it.
        record: the content is a JSONL record's ``text``: the body as its producer gave it,
            cleaned lightly (:mod:`legation.clean.record`), never refused for being short.
    """

    source: str
    fmt: Literal["text", "html"]
    content: str
    input_key: str
    locator: str = ""
    path: str = ""
    id: str | None = None
    url: str | None = None
    site: str | None = None
    title: str | None = None
    published: str | None = None
    encoding: str = "utf-8"
    record: bool = False
    encoding_note: str = ""


@dataclass
class Dateline:
    """A dateline heading an item of the body ("Brussels, 28 October 2024").

    ``start``/``end`` are offsets in the article text of the item it heads: every
    sentence in that range takes ``date`` as its reference date.
    """

    start: int
    end: int
    date: str | None
    place: str | None
    text: str


#: Rules of generic agents whose state the phrase itself names ("Russian peacekeepers", "troops
#: from Chad"); other generic rules guess the state (dateline, place, sentence, article).
STATED_GENERIC_RULES = frozenset({"generic:modifier", "generic:phrase"})


@dataclass
class Mention:
    """A resolved actor mention: the contract's ``mentions`` record.

    ``start``/``end`` are character offsets in the article's ``text``. ``code`` is the state or
    organisation the actor acts for on the mention's reference date; ``role`` the office that
    gives it (None for states and organisations themselves). ``rule`` says how it was resolved
    (dictionary, title, apposition, coreference, metonym, demonym, fuzzy, first-person...).
    """

    text: str
    start: int
    end: int
    actor_id: str | None
    name: str
    code: str | None
    kind: str
    sector: str | None = None
    role: str | None = None
    rule: str = ""

    def to_record(self, article_id: str) -> dict[str, Any]:
        return {
            "article_id": article_id,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "actor_id": self.actor_id,
            "name": self.name,
            "code": self.code,
            "kind": self.kind,
            "sector": self.sector,
            "role": self.role,
            "rule": self.rule,
        }


@dataclass
class Party:
    """An actor or recipient of an event: the mention text and what it resolves to."""

    text: str
    code: str | None
    actor_id: str | None = None
    sector: str | None = None
    kind: str | None = None

    def to_record(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "code": self.code,
            "actor_id": self.actor_id,
            "sector": self.sector,
            "kind": self.kind,
        }


@dataclass
class Event:
    """One PLOVER event mention: the contract's ``events`` record.

    ``start``/``end`` are the offsets of ``sentence`` in the article text, so that
    ``text[start:end] == sentence``. ``rule`` names the coding rule that fired (provenance).
    """

    event: str
    sentence: str
    start: int
    end: int
    rule: str
    mode: str | None = None
    context: list[str] = field(default_factory=list)
    actor: list[Party] = field(default_factory=list)
    recipient: list[Party] = field(default_factory=list)
    date: str | None = None
    date_precision: str = "unknown"
    aux: str | None = None
    attribution: dict[str, Any] | None = None
    location: dict[str, Any] | None = None
    quantity: dict[str, Any] | None = None
    cameo: str | None = None
    quad: int | None = None
    goldstein: float | None = None
    trigger: str = ""
    event_cluster: str | None = None
    confidence: float | None = None

    def to_record(self, event_id: str, article_id: str) -> dict[str, Any]:
        return {
            "id": event_id,
            "article_id": article_id,
            "event": self.event,
            "mode": self.mode,
            "context": list(self.context),
            "actor": [p.to_record() for p in self.actor],
            "recipient": [p.to_record() for p in self.recipient],
            "date": self.date,
            "date_precision": self.date_precision,
            "aux": self.aux,
            "attribution": self.attribution,
            "location": self.location,
            "quantity": self.quantity,
            "cameo": self.cameo,
            "quad": self.quad,
            "goldstein": self.goldstein,
            "text_info": {"sentence": self.sentence, "start": self.start, "end": self.end},
            "event_cluster": self.event_cluster,
            "rule": self.rule,
            "trigger": self.trigger,
            "confidence": self.confidence,
        }


@dataclass
class Article:
    """A cleaned article with its metadata: what the ingest stage writes.

    ``published`` is an ISO date, or a reduced ISO form ("2024", "2024-11") when only
    the year or month is supported by the evidence; ``published_precision`` says which.

    ``language`` is set by the pipeline's language stage right after cleaning
    (:mod:`legation.clean.language`): ``"en"`` when the body is English, ``"und"``
    (BCP 47 "undetermined") when it is judged not to be. Bodies too short to judge (a headline,
    a one-line record) count as English, so they are still coded. Only English is recognised;
    a ``"und"`` article is stored and exported but the actor and event stages skip it, so it
    has no mentions and no events. ``None`` means not judged: articles stored by a version of
    Legation before the language stage.

    ``claims`` and ``agreement_mentions`` are the records the extract stage
    (:mod:`legation.extract.stage`) found in this article alone; the cross-article steps store
    those of originals and group or merge them with other articles' (so they are not part of
    the ``articles`` record). Plain dicts, the records as stored, so the article still pickles
    cheaply to workers and Dask.
    """

    id: str
    source: str
    input_key: str
    text: str
    url: str | None = None
    site: str | None = None
    title: str | None = None
    author: list[str] = field(default_factory=list)
    published: str | None = None
    published_basis: PublishedBasis = "unknown"
    published_precision: Precision = "unknown"
    datelines: list[Dateline] = field(default_factory=list)
    fmt: str = "text"
    encoding: str = "utf-8"
    language: str | None = None
    content_hash: str = ""
    norm_hash: str = ""
    duplicate_of: str | None = None
    version_of: str | None = None
    story_id: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    agreement_mentions: list[dict[str, Any]] = field(default_factory=list)
    minhash_signature: bytes = b""
    minhash_bands: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class InputError:
    """A failure to read or analyse one input; named to the user, never fatal to the batch."""

    source: str
    reason: str
    locator: str = ""

    def __post_init__(self) -> None:
        # A file name with undecodable bytes, or a record's lone surrogate quoted in a reason,
        # must still print and store: an error report that cannot be written loses the run.
        self.source, self.reason, self.locator = map(printable, (self.source, self.reason, self.locator))

    def __str__(self) -> str:
        where = f"{self.source} ({self.locator})" if self.locator else self.source
        return f"{where}: {self.reason}"


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """``text`` with lone surrogates spelled out: the bytes of a file name that were not UTF-8
    (Python's ``surrogateescape``: U+DCFF is the byte 0xFF) as ``\\xff``, others as ``\\ud800``."""

    def spell(m: re.Match[str]) -> str:
        c = ord(m.group())
        return f"\\x{c - 0xDC00:02x}" if 0xDC80 <= c <= 0xDCFF else f"\\u{c:04x}"

    return _LONE_SURROGATE.sub(spell, text)


@dataclass
class Skipped:
    """An input unit that holds no article by design (a WARC request or image record)."""

    source: str
    reason: str
    locator: str = ""
