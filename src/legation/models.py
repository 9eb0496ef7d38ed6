"""Records that flow between pipeline stages.

Every stage declares which of these it reads and which it writes (see
:mod:`legation.pipeline`). They are plain dataclasses so that they pickle cheaply
to worker processes and to Dask, and so that a stage is a pure function of them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

PublishedBasis = Literal["record", "metadata", "dateline", "text", "inferred", "unknown"]
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


@dataclass
class Article:
    """A cleaned article with its metadata: what the ingest stage writes.

    ``published`` is an ISO date, or a reduced ISO form ("2024", "2024-11") when only
    the year or month is supported by the evidence; ``published_precision`` says which.
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
    lang: str | None = None
    content_hash: str = ""
    norm_hash: str = ""
    duplicate_of: str | None = None
    story_id: str | None = None
    minhash_signature: bytes = b""
    minhash_bands: list[int] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_record(self) -> dict[str, Any]:
        """The contract's ``articles`` export record (plus documented extra fields)."""
        return {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "site": self.site,
            "title": self.title,
            "published": self.published,
            "published_basis": self.published_basis,
            "published_precision": self.published_precision,
            "author": list(self.author),
            "text": self.text,
            "duplicate_of": self.duplicate_of,
            "story_id": self.story_id,
            "datelines": [asdict(d) for d in self.datelines],
        }


@dataclass
class InputError:
    """A failure to read or analyse one input; named to the user, never fatal to the batch."""

    source: str
    reason: str
    locator: str = ""

    def __str__(self) -> str:
        where = f"{self.source} ({self.locator})" if self.locator else self.source
        return f"{where}: {self.reason}"


@dataclass
class Skipped:
    """An input unit that holds no article by design (a WARC request or image record)."""

    source: str
    reason: str
    locator: str = ""
