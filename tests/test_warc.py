"""The WARC reader, on small WARC files written by the helpers below."""

from __future__ import annotations

import gzip
import io
import itertools
import zlib
from pathlib import Path

import pytest

from legation.ingest.warc import (
    WarcBad,
    WarcFormatError,
    WarcHtml,
    WarcSkip,
    iter_html_responses,
    iter_warc,
    parse_http_response,
)

_ids = itertools.count(1)
PAGE = (
    "<!doctype html><html><head><title>Talks</title></head><body><p>Envoys met in Genève.</p></body></html>"
)


def warc_record(
    wtype: str,
    block: bytes,
    *,
    uri: str | None = "https://example.org/a",
    content_type: str | None = None,
    version: str = "WARC/1.1",
) -> bytes:
    """One WARC record, with the headers a crawler writes."""
    headers = [
        ("WARC-Type", wtype),
        ("WARC-Record-ID", f"<urn:uuid:00000000-0000-0000-0000-{next(_ids):012d}>"),
        ("WARC-Date", "2024-10-28T12:00:00Z"),
    ]
    if uri is not None:
        headers.append(("WARC-Target-URI", uri))
    if content_type is None and wtype in {"response", "request"}:
        content_type = f"application/http; msgtype={wtype}"
    if content_type is not None:
        headers.append(("Content-Type", content_type))
    headers.append(("Content-Length", str(len(block))))
    head = "".join(f"{k}: {v}\r\n" for k, v in headers)
    return f"{version}\r\n{head}\r\n".encode() + block + b"\r\n\r\n"


def http(body: bytes, *, status: str = "200 OK", headers: dict[str, str] | None = None) -> bytes:
    """An HTTP/1.1 response message."""
    hdrs = {"Content-Type": "text/html; charset=utf-8"} if headers is None else headers
    head = "".join(f"{k}: {v}\r\n" for k, v in hdrs.items())
    return f"HTTP/1.1 {status}\r\n{head}\r\n".encode() + body


def chunked(body: bytes, size: int = 7) -> bytes:
    parts = [
        b"%x;ext=1\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size])
        for i in range(0, len(body), size)
    ]
    return b"".join(parts) + b"0\r\n\r\n"


def sample_records() -> list[bytes]:
    """A small crawl: info, request, page, image, 404, redirect, chunked+gzip page, dns."""
    cp_page = "<html><body><p>“Talks” – resumed</p></body></html>".encode("cp1252")
    return [
        warc_record("warcinfo", b"software: test\r\n", uri=None, content_type="application/warc-fields"),
        warc_record("request", b"GET /a HTTP/1.1\r\nHost: example.org\r\n\r\n"),
        warc_record("response", http(PAGE.encode())),
        warc_record("response", http(b"\x89PNG\r\n\x1a\n\x00", headers={"Content-Type": "image/png"})),
        warc_record("response", http(b"<html>gone</html>", status="404 Not Found")),
        warc_record("response", http(b"", status="301 Moved Permanently", headers={"Location": "/b"})),
        warc_record(
            "response",
            http(
                chunked(gzip.compress(PAGE.replace("Talks", "Second").encode())),
                headers={
                    "Content-Type": "text/html",
                    "Transfer-Encoding": "chunked",
                    "Content-Encoding": "gzip",
                },
            ),
            uri="https://example.org/b",
        ),
        warc_record("response", http(cp_page, headers={"Content-Type": "text/html; charset=windows-1252"})),
        warc_record(
            "response", b"20241028120000\nexample.org. 300 IN A 192.0.2.1\n", content_type="text/dns"
        ),
    ]


def _write(tmp_path: Path, records: list[bytes], mode: str) -> Path:
    if mode == "plain":
        data = b"".join(records)
    elif mode == "per-record":
        data = b"".join(gzip.compress(r) for r in records)
    else:
        data = gzip.compress(b"".join(records))
    path = tmp_path / ("crawl.warc" if mode == "plain" else "crawl.warc.gz")
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("mode", ["plain", "per-record", "whole-file"])
def test_html_responses_and_skips(tmp_path: Path, mode: str) -> None:
    items = list(iter_html_responses(_write(tmp_path, sample_records(), mode)))
    assert [i.number for i in items] == list(range(1, 10))
    pages = [i for i in items if isinstance(i, WarcHtml)]
    skips = {i.number: i.reason for i in items if isinstance(i, WarcSkip)}
    assert skips == {
        1: "warcinfo record",
        2: "request record",
        4: "not HTML (image/png)",
        5: "status 404",
        6: "status 301",
        9: "not an HTTP response (text/dns)",
    }
    assert [p.number for p in pages] == [3, 7, 8]
    first, second, third = pages
    assert first.text == PAGE
    assert first.url == "https://example.org/a"
    assert first.date == "2024-10-28T12:00:00Z"
    assert first.record_id is not None and first.record_id.startswith("<urn:uuid:")
    assert first.status == 200
    # chunked transfer encoding and gzip content encoding both undone
    assert second.text == PAGE.replace("Talks", "Second")
    assert second.url == "https://example.org/b"
    # the HTTP charset is used for decoding
    assert "“Talks” – resumed" in third.text
    assert third.encoding == "cp1252"


def test_record_fields_and_member_offsets(tmp_path: Path) -> None:
    records = sample_records()
    members = [gzip.compress(r) for r in records]
    path = tmp_path / "x.warc.gz"
    path.write_bytes(b"".join(members))
    with path.open("rb") as f:
        got = list(iter_warc(f))
    expected_offsets = list(itertools.accumulate((len(m) for m in members[:-1]), initial=0))
    assert [r.offset for r in got] == expected_offsets
    rec = got[2]
    assert rec.version == "WARC/1.1"
    assert rec.warc_type == "response"
    assert rec.content_length == len(rec.block)
    assert rec.http is not None and rec.http.status == 200
    assert rec.http.header("CONTENT-TYPE") == "text/html; charset=utf-8"


def test_plain_offsets_are_record_starts(tmp_path: Path) -> None:
    records = sample_records()
    with _write(tmp_path, records, "plain").open("rb") as f:
        offsets = [r.offset for r in iter_warc(f)]
    assert offsets == list(itertools.accumulate((len(r) for r in records[:-1]), initial=0))


@pytest.mark.parametrize("mode", ["plain", "per-record"])
def test_truncated_file_keeps_earlier_records(tmp_path: Path, mode: str) -> None:
    records = sample_records()[:4]
    path = _write(tmp_path, records, mode)
    data = path.read_bytes()
    start_of_third = sum(len(r if mode == "plain" else gzip.compress(r)) for r in records[:2])
    path.write_bytes(data[: start_of_third + 60])  # cut inside record 3
    seen: list[int] = []
    with pytest.raises(WarcFormatError) as err:
        for item in iter_html_responses(path):
            seen.append(item.number)
    assert seen == [1, 2]
    assert err.value.record == 3
    assert err.value.offset == start_of_third
    assert f"record 3 at byte {start_of_third}" in str(err.value)


def test_truncated_whole_file_gzip(tmp_path: Path) -> None:
    path = _write(tmp_path, sample_records(), "whole-file")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 30])
    with pytest.raises(WarcFormatError, match="gzip data ends early"):
        list(iter_html_responses(path))


def test_garbage_instead_of_a_record() -> None:
    data = warc_record("request", b"GET / HTTP/1.1\r\n\r\n") + b"<html>not a warc record</html>\r\n"
    got: list[int] = []
    with pytest.raises(WarcFormatError, match=r"record 2 .*expected a 'WARC/1\.x' version line"):
        for rec in iter_warc(io.BytesIO(data)):
            got.append(rec.number)
    assert got == [1]


def test_missing_content_length() -> None:
    data = b"WARC/1.0\r\nWARC-Type: resource\r\n\r\nabc\r\n\r\n"
    with pytest.raises(WarcFormatError, match="Content-Length"):
        list(iter_warc(io.BytesIO(data)))


def test_corrupt_gzip_member() -> None:
    good = gzip.compress(warc_record("request", b"GET / HTTP/1.1\r\n\r\n"))
    bad = bytearray(gzip.compress(warc_record("response", http(PAGE.encode()))))
    bad[20:40] = b"\xff" * 20
    with pytest.raises(WarcFormatError) as err:
        list(iter_warc(io.BytesIO(good + bytes(bad))))
    assert err.value.record == 2
    assert err.value.offset == len(good)


class _SmallReads(io.BytesIO):
    """A stream that records the largest read asked of it."""

    largest = 0

    def read(self, size: int | None = -1) -> bytes:
        self.largest = max(self.largest, size if size is not None and size >= 0 else 1 << 62)
        return super().read(size)


def test_streams_and_skips_oversized_blocks() -> None:
    big = warc_record("resource", b"x" * 300_000, content_type="video/mp4")
    data = big + warc_record("resource", PAGE.encode(), content_type="text/html")
    stream = _SmallReads(gzip.compress(data))
    recs = list(iter_warc(stream, max_block=100_000))
    assert [r.oversized for r in recs] == [True, False]
    assert recs[0].block == b"x" * 16 * 1024  # only its first bytes, to tell what it holds
    assert recs[0].content_length == 300_000
    assert recs[1].block == PAGE.encode()
    assert stream.largest <= 64 * 1024  # read in bounded chunks, never the whole file


def test_resource_record_and_warc10_uri(tmp_path: Path) -> None:
    rec = warc_record(
        "resource", PAGE.encode(), uri="<https://example.org/r>", content_type="text/html", version="WARC/1.0"
    )
    items = list(iter_html_responses(_write(tmp_path, [rec], "plain")))
    assert len(items) == 1 and isinstance(items[0], WarcHtml)
    assert items[0].url == "https://example.org/r"
    assert items[0].status is None


def test_missing_content_type_sniffs_payload(tmp_path: Path) -> None:
    recs = [
        warc_record("response", http(PAGE.encode(), headers={})),
        warc_record("response", http(b"just some bytes", headers={})),
    ]
    items = list(iter_html_responses(_write(tmp_path, recs, "plain")))
    assert isinstance(items[0], WarcHtml)
    assert isinstance(items[1], WarcSkip) and items[1].reason.startswith("not HTML")


def test_chunked_header_on_already_dechunked_body() -> None:
    resp = parse_http_response(http(PAGE.encode(), headers={"Transfer-Encoding": "chunked"}))
    assert resp.payload == PAGE.encode()


def test_http_problems_become_skips_and_unreadable_pages_errors(tmp_path: Path) -> None:
    recs = [
        warc_record(
            "response",
            http(b"\x00\x01brotli", headers={"Content-Type": "text/html", "Content-Encoding": "br"}),
        ),
        warc_record("response", b"HTTP/1.1 banana\r\n\r\n"),
        warc_record("revisit", http(b"", headers={})),
        warc_record(
            "response",
            http(
                gzip.compress(b" " * 5000), headers={"Content-Type": "text/html", "Content-Encoding": "gzip"}
            ),
        ),
        warc_record("response", http(PAGE.encode() * 100)),
        warc_record("response", http(b"\x89PNG" + b"\x00" * 5000, headers={"Content-Type": "image/png"})),
    ]
    items = list(iter_html_responses(_write(tmp_path, recs, "plain"), max_bytes=4096))
    reasons = [(i.number, i.reason) for i in items if isinstance(i, WarcSkip)]
    # A page that is there but cannot be read is an error; a record with no page a skip.
    assert reasons == [
        (2, "malformed HTTP status line 'HTTP/1.1 banana'"),
        (3, "revisit record"),
        (6, "not HTML (image/png)"),
    ]
    bad = [(i.number, i.reason) for i in items if isinstance(i, WarcBad)]
    assert bad[0] == (1, "unsupported Content-Encoding br")
    assert bad[1] == (4, "decompressed payload over the byte bound of 4,096")
    assert bad[2][0] == 5 and bad[2][1].startswith("record too large") and len(bad) == 3


def test_deflate_content_encoding() -> None:
    raw = zlib.compressobj(wbits=-15)
    body = raw.compress(PAGE.encode()) + raw.flush()
    resp = parse_http_response(
        http(body, headers={"Content-Type": "text/html", "Content-Encoding": "deflate"})
    )
    assert resp.payload == PAGE.encode()
    assert resp.problem is None


def test_empty_file_has_no_records() -> None:
    assert list(iter_warc(io.BytesIO(b""))) == []
    assert list(iter_warc(io.BytesIO(b"\r\n\r\n"))) == []


@pytest.mark.parametrize("mode", ["plain", "per-record", "whole-file"])
def test_many_records_across_buffer_refills(tmp_path: Path, mode: str) -> None:
    # ~1.5 MB: the read buffer is refilled and compacted many times, with header lines
    # falling across refills (a regression: a compaction during a line read lost a header).
    pages = [PAGE.replace("Talks", f"Talks {i}") * (300 + i) for i in range(50)]
    path = _write(tmp_path, [warc_record("response", http(p.encode())) for p in pages], mode)
    got = [i.text for i in iter_html_responses(path) if isinstance(i, WarcHtml)]
    assert got == pages
