"""The HTTP message inside a WARC ``response`` record: status, headers, payload.

INTERFACE: ``parse_http_response(block, *, max_payload, headers_only) -> HttpResponse``,
``media_type(content_type) -> (media, charset)``.

The payload is de-chunked (``Transfer-Encoding: chunked``) and decompressed
(``Content-Encoding: gzip`` / ``deflate``), the decompressed size bounded (gzip bombs).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

#: Default bound on a decompressed payload (the ingest passes its byte bound).
MAX_PAYLOAD = 64 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass
class HttpResponse:
    """The HTTP message of a ``response`` record.

    Attributes:
        status: the status code (200, 404...).
        reason: the reason phrase.
        headers: header (name in lower case, value) pairs in their order.
        payload: the body, de-chunked and decompressed.
        problem: why the payload could not be decoded (e.g. an unsupported Content-Encoding),
            or None.
    """

    status: int
    reason: str
    headers: list[tuple[str, str]]
    payload: bytes
    problem: str | None = None

    def header(self, name: str) -> str | None:
        """The first value of a header, by case-insensitive name."""
        name = name.lower()
        return next((v for k, v in self.headers if k == name), None)


def _dechunk(body: bytes) -> bytes | None:
    """Undo ``Transfer-Encoding: chunked``; None when ``body`` is not chunked after all.

    Crawlers disagree on whether the stored payload keeps the transfer encoding: some store
    the body already de-chunked but leave the header. A body whose first line is not a hex
    chunk size is therefore taken as already de-chunked.
    """
    out = bytearray()
    pos = 0
    while True:
        eol = body.find(b"\n", pos)
        if eol < 0:
            return bytes(out) if out else None
        size_text = body[pos:eol].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return bytes(out) if out else None
        pos = eol + 1
        if size == 0:
            return bytes(out)
        out += body[pos : pos + size]
        pos += size
        if pos >= len(body):
            return bytes(out)  # cut short: keep what arrived
        pos += 2 if body.startswith(b"\r\n", pos) else 1 if body.startswith(b"\n", pos) else 0


class _TooLarge(ValueError):
    """A decompressed payload over its bound."""


def _inflate(data: bytes, wbits: int, bound: int) -> bytes:
    """Decompress gzip or deflate data (all gzip members), at most ``bound`` bytes."""
    out = bytearray()
    while data:
        inflater = zlib.decompressobj(wbits)
        out += inflater.decompress(data, bound - len(out) + 1)
        if len(out) > bound:
            raise _TooLarge(f"decompressed payload over the byte bound of {bound:,}")
        data = inflater.unused_data if inflater.eof and wbits > 16 else b""
        if data and not data.startswith(_GZIP_MAGIC):
            break  # trailing bytes after the last member
    return bytes(out)


def _decode_content(payload: bytes, encoding: str, bound: int) -> tuple[bytes, str | None]:
    """Undo ``Content-Encoding``; returns the payload and a problem message, if any."""
    enc = encoding.strip().lower()
    if enc in {"", "identity", "none"}:
        return payload, None
    if enc in {"gzip", "x-gzip"}:
        if not payload.startswith(_GZIP_MAGIC):
            return payload, None  # the crawler stored it decompressed and kept the header
        attempts = [16 + zlib.MAX_WBITS]
    elif enc == "deflate":
        attempts = [zlib.MAX_WBITS, -zlib.MAX_WBITS]  # zlib-wrapped per RFC, raw in practice too
    else:
        return payload, f"unsupported Content-Encoding {enc}"
    for wbits in attempts:
        try:
            return _inflate(payload, wbits, bound), None
        except _TooLarge as exc:
            return b"", str(exc)
        except zlib.error:
            continue
    return payload, f"cannot decompress Content-Encoding {enc}"


def parse_http_response(
    block: bytes, *, max_payload: int = MAX_PAYLOAD, headers_only: bool = False
) -> HttpResponse:
    """Parse the HTTP response held in a ``response`` record's block.

    ``max_payload`` bounds the decompressed payload; with ``headers_only`` (the first bytes of
    a record too large to read) the payload is left as it is.

    Raises:
        ValueError: when the status line or the header section is malformed.
    """
    ends = [i for i in (block.find(b"\r\n\r\n"), block.find(b"\n\n")) if i >= 0]
    if not ends:
        raise ValueError("HTTP headers not terminated")
    cut = min(ends)
    body_start = cut + (4 if block.startswith(b"\r\n\r\n", cut) else 2)
    lines = block[:cut].decode("latin-1").replace("\r\n", "\n").split("\n")
    parts = lines[0].split(None, 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise ValueError(f"malformed HTTP status line {lines[0][:60]!r}")
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if line[:1] in {" ", "\t"} and headers:
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
            continue
        name, sep, value = line.partition(":")
        if sep:
            headers.append((name.strip().lower(), value.strip()))
    response = HttpResponse(int(parts[1]), parts[2] if len(parts) > 2 else "", headers, block[body_start:])
    if headers_only:
        return response
    if "chunked" in (response.header("transfer-encoding") or "").lower():
        dechunked = _dechunk(response.payload)
        if dechunked is not None:
            response.payload = dechunked
    response.payload, response.problem = _decode_content(
        response.payload, response.header("content-encoding") or "", max_payload
    )
    return response


def media_type(content_type: str | None) -> tuple[str, str | None]:
    """(media type in lower case, charset parameter or None) of a Content-Type value."""
    if not content_type:
        return "", None
    media, *params = content_type.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media.strip().lower(), charset
