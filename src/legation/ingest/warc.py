"""A small streaming reader for WARC 1.0 / 1.1 files (plain, per-record gzip, whole-file gzip).

INTERFACE: ``iter_warc(fileobj) -> Iterator[WarcRecord]``, ``iter_html_responses(path) ->
Iterator[WarcHtml | WarcSkip | WarcBad]`` (``html_responses(fileobj)`` for an open file),
``WarcFormatError``.

Crawls arrive as WARC files of many gigabytes, so the reader never holds more than one record
(and a bounded read buffer) in memory. It is written here rather than taken from a WARC library
because only a small part of the format is needed: the record headers, and for ``response``
records the HTTP status, headers and payload (parsed in :mod:`legation.ingest.warc_http`).

Compression: a ``.warc.gz`` is a series of gzip members, normally one per record so that an index
can seek to any record; some tools compress the whole file as one member instead. Both are read
the same way, member after member, and each record's ``offset`` is the file offset of the gzip
member where it starts (for per-record gzip, exactly the offset an index such as CDX gives).
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from legation.ingest.encoding import decode_noted, looks_binary
from legation.ingest.warc_http import HttpResponse, media_type, parse_http_response

_CHUNK = 64 * 1024
# A header line longer than this is not a WARC or HTTP header but binary garbage, and must
# not be buffered without limit while looking for its end.
_MAX_LINE = 64 * 1024
# Records larger than this (videos, software archives) are skipped without being read into
# memory; no news page comes near it. The ingest passes its byte bound instead
# (:mod:`legation.ingest.bounds`), which also bounds a decompressed HTTP payload (gzip bombs).
MAX_BLOCK = 64 * 1024 * 1024
# Of a record over the bound, this much is read to tell an HTML page (an error: a page that was
# not read) from a video or an archive (skipped, as crawls hold them by design).
_PEEK = 16 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


class WarcFormatError(ValueError):
    """A WARC file is truncated or corrupt.

    Attributes:
        record: 1-based number of the record that could not be read.
        offset: byte offset in the file where that record (or its gzip member) starts.
    """

    def __init__(self, message: str, *, record: int, offset: int) -> None:
        super().__init__(f"record {record} at byte {offset}: {message}")
        self.record = record
        self.offset = offset


class _StreamError(Exception):
    """Corrupt compressed data, raised below the record level and given context above it."""


@dataclass
class WarcRecord:
    """One WARC record.

    Attributes:
        number: 1-based position of the record in the file.
        offset: file offset of the record, or of the gzip member it starts in.
        version: e.g. ``"WARC/1.1"``.
        headers: WARC headers, names in lower case (the last value wins if one repeats).
        block: the record block; only its first bytes when the record exceeded the size bound.
        oversized: True when the block was skipped for its size (``content_length`` tells it).
        http: the parsed HTTP response for ``response`` records holding one.
        http_problem: why a ``response`` record's HTTP message could not be parsed, or None.
    """

    number: int
    offset: int
    version: str
    headers: dict[str, str]
    block: bytes
    oversized: bool = False
    http: HttpResponse | None = None
    http_problem: str | None = None

    @property
    def warc_type(self) -> str:
        return self.headers.get("warc-type", "").lower()

    @property
    def target_uri(self) -> str | None:
        # WARC 1.0's grammar wrapped the URI in angle brackets and some writers still do.
        uri = self.headers.get("warc-target-uri", "").strip().strip("<>")
        return uri or None

    @property
    def date(self) -> str | None:
        return self.headers.get("warc-date") or None

    @property
    def record_id(self) -> str | None:
        return self.headers.get("warc-record-id") or None

    @property
    def content_length(self) -> int:
        return int(self.headers.get("content-length", "0"))


@dataclass
class WarcHtml:
    """An HTML page found in a WARC file, decoded to text."""

    number: int
    url: str | None
    date: str | None
    record_id: str | None
    text: str
    encoding: str
    status: int | None = None
    encoding_note: str = ""  # a warning when the encoding was guessed (decode_noted)


@dataclass
class WarcSkip:
    """A record that holds no HTML page, and why, so that the caller can report it."""

    number: int
    reason: str
    url: str | None = None
    record_id: str | None = None


@dataclass
class WarcBad:
    """An HTML page that could not be read (over a bound, undecodable): an error to report."""

    number: int
    reason: str
    url: str | None = None


@dataclass
class _Member:
    """Where a gzip member starts, in the decompressed stream and in the file."""

    plain_start: int
    file_start: int


class _Source:
    """A byte stream over a plain or gzipped WARC file, with line reads and position tracking."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._buf = bytearray()
        self._head = 0  # index of the first unread byte in _buf
        self._pos = 0  # decompressed bytes handed out so far
        self._produced = 0  # decompressed bytes put into _buf so far
        first = raw.read(2)
        self._pending = first  # file bytes read but not yet consumed
        self._raw_read = len(first)  # file bytes read so far
        self.gzipped = first == _GZIP_MAGIC
        self._inflater: zlib._Decompress | None = None
        self._members: list[_Member] = []
        self._eof = False
        self.truncated = False  # the file ended inside a gzip member

    def tell(self) -> int:
        return self._pos

    def file_offset(self, plain_pos: int) -> int:
        """File offset for a position in the decompressed stream (its gzip member's start)."""
        if not self.gzipped:
            return plain_pos
        best = 0
        for m in self._members:
            if m.plain_start <= plain_pos:
                best = m.file_start
            else:
                break
        # Members wholly before this position are no longer needed.
        while len(self._members) > 1 and self._members[1].plain_start <= plain_pos:
            self._members.pop(0)
        return best

    def _next_raw(self) -> bytes:
        if self._pending:
            data, self._pending = self._pending, b""
            return data
        data = self._raw.read(_CHUNK)
        self._raw_read += len(data)
        return data

    def _fill(self) -> bool:
        """Append decompressed bytes to the buffer; False at the end of the file."""
        if self._eof:
            return False
        if not self.gzipped:
            data = self._next_raw()
            if not data:
                self._eof = True
                return False
            self._append(data)
            return True
        while True:
            if self._inflater is not None and self._inflater.unconsumed_tail:
                data = self._inflater.unconsumed_tail
            else:
                data = self._next_raw()
            if self._inflater is None:
                if not data:
                    self._eof = True
                    return False
                if not data.strip(b"\x00\r\n\t "):
                    continue  # padding after the last member
                self._members.append(_Member(self._produced, self._raw_read - len(data)))
                self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            elif not data:
                self._eof = True
                self.truncated = True
                return False
            try:
                out = self._inflater.decompress(data, _CHUNK)
            except zlib.error as exc:
                raise _StreamError(f"corrupt gzip data ({exc})") from exc
            if self._inflater.eof:
                self._pending = self._inflater.unused_data
                self._inflater = None
            if out:
                self._append(out)
                return True

    def _append(self, data: bytes) -> None:
        if self._head > _CHUNK * 4:
            del self._buf[: self._head]
            self._head = 0
        self._buf += data
        self._produced += len(data)

    def readline(self) -> bytes:
        """Bytes up to and including the next LF, at most ``_MAX_LINE``; b"" at EOF."""
        # Positions are kept relative to _head: _fill() may compact the buffer and shift it.
        scanned = 0
        while True:
            nl = self._buf.find(b"\n", self._head + scanned)
            if nl >= 0:
                end = nl + 1
                break
            if len(self._buf) - self._head >= _MAX_LINE:
                end = self._head + _MAX_LINE
                break
            scanned = len(self._buf) - self._head
            if not self._fill():
                end = len(self._buf)
                break
        line = bytes(self._buf[self._head : end])
        self._head = end
        self._pos += len(line)
        return line

    def read(self, n: int) -> bytes:
        """Up to ``n`` bytes; fewer only at the end of the file."""
        while len(self._buf) - self._head < n and self._fill():
            pass
        data = bytes(self._buf[self._head : self._head + n])
        self._head += len(data)
        self._pos += len(data)
        return data

    def skip(self, n: int) -> int:
        """Discard up to ``n`` bytes without holding them all; returns how many were skipped."""
        done = 0
        while done < n:
            got = len(self.read(min(_CHUNK, n - done)))
            if not got:
                break
            done += got
        return done


def _read_headers(src: _Source) -> dict[str, str] | str:
    """Header lines up to the blank line, or an error message."""
    headers: dict[str, str] = {}
    last: str | None = None
    while True:
        line = src.readline()
        if not line:
            return "file ends inside the record headers"
        if not line.endswith(b"\n"):
            return "header line too long or not terminated"
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if not text:
            return headers
        if text[0] in " \t" and last is not None:  # folded continuation line
            headers[last] += " " + text.strip()
            continue
        name, sep, value = text.partition(":")
        if not sep or not name.strip():
            return f"malformed header line {text[:60]!r}"
        last = name.strip().lower()
        headers[last] = value.strip()


def iter_warc(
    fileobj: BinaryIO, *, max_block: int = MAX_BLOCK, max_payload: int = MAX_BLOCK
) -> Iterator[WarcRecord]:
    """Read the records of a WARC file one by one.

    Args:
        fileobj: the file opened in binary mode; plain or gzip (detected from its first bytes).
        max_block: blocks larger than this are skipped over and yielded with ``oversized`` set
            (and their first bytes as ``block``, enough for the HTTP headers).
        max_payload: bound on a decompressed HTTP payload (``HttpResponse.problem`` says so).

    Yields:
        Each record, with the HTTP message parsed for ``response`` records.

    Raises:
        WarcFormatError: at the first truncated or corrupt record, after every record before
            it has been yielded.
    """
    src = _Source(fileobj)
    number = 0
    while True:
        start = src.tell()
        try:
            line = src.readline()
            while line.strip() == b"" and line:  # the CRLF pairs that end the previous record
                start = src.tell()
                line = src.readline()
        except _StreamError as exc:
            raise WarcFormatError(str(exc), record=number + 1, offset=src.file_offset(start)) from None
        if not line:
            if src.truncated:
                offset = src.file_offset(start)
                raise WarcFormatError("gzip data ends early", record=number + 1, offset=offset)
            return
        number += 1
        offset = src.file_offset(start)

        def fail(msg: str, number: int = number, offset: int = offset) -> WarcFormatError:
            if src.truncated:
                msg += " (gzip data ends early)"
            return WarcFormatError(msg, record=number, offset=offset)

        version = line.decode("latin-1").strip()
        if not version.startswith("WARC/"):
            raise fail(f"expected a 'WARC/1.x' version line, found {version[:40]!r}")
        try:
            headers = _read_headers(src)
            if isinstance(headers, str):
                raise fail(headers)
            length_text = headers.get("content-length", "")
            if not length_text.isdigit():
                raise fail(f"missing or invalid Content-Length {length_text!r}")
            length = int(length_text)
            oversized = length > max_block
            if oversized:
                block = src.read(min(length, _PEEK))
                got = len(block) + src.skip(length - len(block))
            else:
                block = src.read(length)
                got = len(block)
        except _StreamError as exc:
            raise fail(str(exc)) from None
        if got < length:
            raise fail(f"truncated: block has {got} of its {length} bytes")
        record = WarcRecord(number, offset, version, headers, block, oversized)
        if record.warc_type == "response":
            if block.startswith(b"HTTP/"):
                try:
                    record.http = parse_http_response(block, max_payload=max_payload, headers_only=oversized)
                except ValueError as exc:
                    record.http_problem = str(exc)
            else:
                record.http_problem = f"not an HTTP response ({headers.get('content-type', 'no type')})"
        yield record


def _classify(rec: WarcRecord, max_block: int = MAX_BLOCK) -> WarcHtml | WarcSkip | WarcBad:
    """Turn a record into an HTML page, a reason to skip it, or why a page could not be read.

    Records that hold no page (requests, images, redirects, 404s) are skips: a crawl holds
    them by design. A page that is HTML by its type (or, untyped, by its first bytes) but
    cannot be read (over the byte bound, its Content-Encoding undecodable or over the bound
    once decompressed, binary) is a :class:`WarcBad`: an article was there and is lost.
    """
    skip = WarcSkip(rec.number, "", rec.target_uri, rec.record_id)
    kind = rec.warc_type or "untyped"
    if kind not in {"response", "resource"}:
        skip.reason = f"{kind} record"
        return skip
    status: int | None = None
    if kind == "response":
        if rec.http is None:
            skip.reason = rec.http_problem or "no HTTP response"
            if rec.oversized:
                skip.reason = f"record too large ({rec.content_length:,} bytes) and {skip.reason}"
            return skip
        status = rec.http.status
        if not 200 <= status < 300:
            skip.reason = f"status {status}"
            return skip
        content_type, payload, problem = rec.http.header("content-type"), rec.http.payload, rec.http.problem
    else:  # a resource record stores the document itself, typed by the WARC header
        content_type, payload, problem = rec.headers.get("content-type"), rec.block, None
    media, charset = media_type(content_type)
    if media and media not in _HTML_TYPES:
        skip.reason = f"not HTML ({media})"
        return skip
    if not media and not _HTML_START.match(payload[:4096]):
        skip.reason = "not HTML (no content type, and the payload does not look like HTML)"
        return skip
    bad = WarcBad(rec.number, "", rec.target_uri)
    if rec.oversized:
        size = f"{rec.content_length:,} bytes"
        bad.reason = f"record too large ({size}): over the byte bound of {max_block:,}"
    elif problem:
        bad.reason = problem
    elif looks_binary(payload):
        bad.reason = f"binary payload despite type {media or 'unknown'}"
    if bad.reason:
        return bad
    if not payload.strip():
        skip.reason = "empty payload"
        return skip
    dec = decode_noted(payload, declared=charset, is_html=True)
    return WarcHtml(
        rec.number, rec.target_uri, rec.date, rec.record_id, dec.text, dec.encoding, status, dec.warning
    )


def html_responses(
    fileobj: BinaryIO, *, max_bytes: int = MAX_BLOCK
) -> Iterator[WarcHtml | WarcSkip | WarcBad]:
    """:func:`iter_html_responses` on an open file; ``max_bytes`` bounds a record's block and
    a decompressed payload."""
    for record in iter_warc(fileobj, max_block=max_bytes, max_payload=max_bytes):
        yield _classify(record, max_bytes)


def iter_html_responses(
    path: str | os.PathLike[str], *, max_bytes: int = MAX_BLOCK
) -> Iterator[WarcHtml | WarcSkip | WarcBad]:
    """The HTML pages of a WARC file, a skip item for every other record, and a
    :class:`WarcBad` for every page that could not be read.

    HTML means a ``response`` record with a 2xx status and a ``text/html`` or
    ``application/xhtml+xml`` payload (or no type and a payload that starts like HTML), or a
    ``resource`` record of those types. The text is decoded with the HTTP charset first
    (:func:`legation.ingest.encoding.decode_bytes`).

    Args:
        path: a ``.warc`` or ``.warc.gz`` file.
        max_bytes: bound on a record's block and on a decompressed payload.

    Yields:
        :class:`WarcHtml` for pages, :class:`WarcSkip` (record number and reason, e.g.
        "request record", "status 404", "not HTML (image/png)") for the rest and
        :class:`WarcBad` for unreadable pages, in file order.

    Raises:
        WarcFormatError: on a truncated or corrupt record, after the records before it.
    """
    with open(path, "rb") as fileobj:
        yield from html_responses(fileobj, max_bytes=max_bytes)


__all__ = [
    "MAX_BLOCK",
    "HttpResponse",
    "WarcBad",
    "WarcFormatError",
    "WarcHtml",
    "WarcRecord",
    "WarcSkip",
    "html_responses",
    "iter_html_responses",
    "iter_warc",
    "parse_http_response",
]
