"""Bad-input cases of JSONL records, WARC crawls and the per-input bounds."""

# ruff: noqa: E501  (one case a line: the table reads best unwrapped)

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

from bad_inputs import (
    GOOD_2,
    MAX_BYTES,
    NEWS,
    Builder,
    Built,
    Case,
    Expect,
    html_response,
    http,
    jsonl,
    page_html,
    record,
    warc,
    warc_record,
)
from corpus import body

SURROGATE = '"\\ud800"'  # a lone surrogate, as JSON spells it


def _with_surrogate(field: str) -> str:
    """A record whose ``field`` holds a lone surrogate (for ``id`` the last key wins)."""
    return f'{{"id": "sur", "text": "{NEWS[5]}", "{field}": {SURROGATE}}}'


def _deep(n: int) -> str:
    return (
        json.dumps({"id": "deep", "text": NEWS[6]})[:-1] + ', "meta": ' + '{"a": ' * n + "1" + "}" * n + "}"
    )


def jsonl_cases() -> list[Case]:
    g = record  # good records: g(i) holds NEWS[i]
    return [
        ("JSONL invalid JSON line", jsonl([g(0), "{not json", g(1)], {2: "invalid JSON"}, stored=2)),
        ("JSONL record that is a list", jsonl([g(0), "[1, 2]"], {2: "must be a JSON object, not an array"}, stored=1)),
        ("JSONL record that is a number", jsonl(["42", g(1)], {1: "not a number"}, stored=1)),
        ("JSONL record that is a string", jsonl([g(0), '"text"'], {2: "not a string"}, stored=1)),
        ("JSONL record that is null", jsonl([g(0), "null"], {2: "not null"}, stored=1)),
        ("JSONL record missing text", jsonl([g(0), '{"id": "t", "title": "T"}'], {2: "neither 'text' nor 'html'"}, stored=1)),
        ("JSONL text a number", jsonl([g(0), '{"id": "n", "text": 5}'], {2: "'text' must be a string"}, stored=1)),
        ("JSONL text a list", jsonl([g(0), '{"text": ["a", "b"]}'], {2: "'text' must be a string"}, stored=1)),
        ("JSONL text an empty string", jsonl([g(0), '{"text": ""}'], {2: "neither"}, stored=1)),
        ("JSONL text whitespace only", jsonl([g(0), '{"text": " \\n\\t "}'], {2: "neither"}, stored=1)),
        ("JSONL title a boolean", jsonl([g(0), g(1, title=True)], {2: "'title' must be a string"}, stored=1)),
        ("JSONL id an object", jsonl([g(0), g(1, id={"a": 1})], {2: "'id' must be a string or an integer"}, stored=1)),
        ("JSONL lone surrogate in title", jsonl([g(0), _with_surrogate("title")], {2: "lone surrogate"}, stored=1)),
        ("JSONL lone surrogate in url", jsonl([g(0), _with_surrogate("url")], {2: "lone surrogate"}, stored=1)),
        ("JSONL lone surrogate in site", jsonl([g(0), _with_surrogate("site")], {2: "lone surrogate"}, stored=1)),
        ("JSONL lone surrogate in id", jsonl([g(0), _with_surrogate("id")], {2: "lone surrogate"}, stored=1)),
        ("JSONL lone surrogate in text", jsonl([g(0), '{"text": "Troops ' + SURROGATE[1:-1] + ' left."}'], {2: "lone surrogate"}, stored=1)),
        ("JSONL url http://[::1/oops", jsonl([g(0), g(1, url="http://[::1/oops")], {}, stored=2)),
        ("JSONL HTML record with url http://[::1/oops", jsonl([json.dumps({"html": page_html(2), "url": "http://[::1/oops"})], {}, stored=1)),
        ("JSONL 100,000 nested brackets", jsonl([g(0), "[" * 100_000 + "]" * 100_000, g(1)], {2: "nested too deeply"}, stored=2)),
        ("JSONL deeply nested object", jsonl([g(0), _deep(50_000)], {2: "nested too deeply"}, stored=1)),
        ("JSONL huge object over the byte bound", jsonl([g(0), g(1, meta={f"k{i}": i for i in range(MAX_BYTES // 8)})], {2: "record too large"}, stored=1)),
        ("JSONL line over the byte bound", jsonl([g(0), g(1, text="word " * (MAX_BYTES // 4))], {2: "record too large"}, stored=1)),
        ("JSONL with a UTF-8 BOM", jsonl(["\ufeff" + g(0), g(1)], {}, stored=2)),
        ("JSONL with CRLF line ends", jsonl([g(0), g(1), g(2)], {}, stored=3, sep=b"\r\n")),
        ("JSONL one sentence ending in an emoji", jsonl([json.dumps({"text": NEWS[7] + " 📹"})], {}, stored=1)),
        ("JSONL duplicate record id", jsonl([g(0), g(1, id="rec-0")], {2: "duplicate record id"}, stored=1)),
        ("JSONL invalid UTF-8 in a line", jsonl([g(0), b'{"text": "caf\xe9 talks"}'], {2: "not valid UTF-8"}, stored=1)),
        ("JSONL truncated last line", jsonl([g(0), g(1)[:-9]], {2: "invalid JSON"}, stored=1)),
        ("JSONL NUL escape in text", jsonl([json.dumps({"text": NEWS[3] + "\u0000 Talks continue."})], {}, stored=1)),
        ("JSONL published not a date", jsonl([g(4, published="2024-13-45")], {}, stored=1)),
        ("JSONL HTML record with no article", jsonl([g(0), '{"html": "<html><body></body></html>"}'], {2: "no article text"}, stored=1)),
        ("JSONL empty file", _empty_jsonl(b"", "empty file")),
        ("JSONL blank lines only", _empty_jsonl(b"\n  \n\n", "no records")),
    ]  # fmt: skip


def _empty_jsonl(data: bytes, reason: str) -> Builder:
    def build(folder: Path, scratch: Path) -> Built:
        (folder / "none.jsonl").write_bytes(data)
        return Built([Expect("none.jsonl", reason)])

    return build


def _gzip_bomb_payload() -> bytes:
    bomb = gzip.compress(b" " * (MAX_BYTES * 4))  # ~800 KB of spaces in a few hundred bytes
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    return warc_record("response", http(bomb, headers=headers))


def _big_record() -> bytes:
    big = page_html(1).replace("<p>", "<p>" + "padding " * (MAX_BYTES // 8), 1).encode()
    return warc_record("response", http(big))


def _corrupt_member(folder: Path, scratch: Path) -> Built:
    first, second = gzip.compress(html_response(0)), bytearray(gzip.compress(html_response(1)))
    second[len(second) // 2 : len(second) // 2 + 8] = b"\x00" * 8
    (folder / "crawl.warc.gz").write_bytes(first + bytes(second))
    return Built([Expect("crawl.warc.gz", "malformed WARC: record 2.*(corrupt gzip|crc|invalid)")], stored=1)


def warc_cases() -> list[Case]:
    ok = html_response
    others = [
        warc_record("warcinfo", b"software: test\r\n", content_type="application/warc-fields"),
        warc_record("request", b"GET / HTTP/1.1\r\nHost: news.example.org\r\n\r\n"),
        warc_record("metadata", b"outlinks: none\r\n", content_type="application/warc-fields"),
        warc_record("response", http(b"\x89PNG\r\n\x1a\n", headers={"Content-Type": "image/png"})),
        warc_record("response", http(b"<html>gone</html>", status="404 Not Found")),
        warc_record("revisit", b""),
    ]
    brotli = warc_record(
        "response", http(b"\x1b\x00brotli", headers={"Content-Type": "text/html", "Content-Encoding": "br"})
    )
    return [
        ("WARC truncated", warc([ok(0), ok(1)], {"": "malformed WARC: record 2.*truncated"}, stored=1, cut=120)),
        ("WARC with a bad version line", warc([ok(0), b"HTTP/1.1 200 OK\r\n\r\n"], {"": "expected a 'WARC/1.x' version line"}, stored=1)),
        ("WARC with an invalid Content-Length", warc([ok(0), warc_record("response", b"x", length="12x")], {"": "invalid Content-Length"}, stored=1)),
        ("WARC header line of binary garbage", warc([ok(0), b"WARC/1.1\r\n" + b"\x01" * 70_000], {"": "malformed WARC: record 2"}, stored=1)),
        ("WARC HTML record over the byte bound", warc([ok(0), _big_record(), ok(2)], {2: "record too large.*over the byte bound"}, stored=2)),
        ("WARC gzip bomb in a record", warc([ok(0), _big_record(), ok(2)], {2: "record too large"}, stored=2, gz=True)),
        ("WARC gzip bomb as Content-Encoding", warc([ok(0), _gzip_bomb_payload()], {2: "decompressed payload over the byte bound"}, stored=1)),
        ("WARC unsupported Content-Encoding on a page", warc([ok(0), brotli], {2: "unsupported Content-Encoding br"}, stored=1)),
        ("WARC binary payload typed text/html", warc([ok(0), warc_record("response", http(b"\x00\x01\x02" * 500))], {2: "binary payload"}, stored=1)),
        ("WARC gzip member corrupted", _corrupt_member),
        ("WARC truncated .gz", warc([ok(0), ok(1)], {"": "gzip data ends early"}, stored=1, gz=True, cut=30)),
        ("WARC non-HTML record types", warc([*others, ok(3)], {}, stored=1)),
        ("WARC empty file", warc([], {"": "no WARC records"}, stored=0)),
        ("WARC that is an HTML page", warc([page_html(0).encode()], {"": "expected a 'WARC/1.x' version line"}, stored=0)),
    ]  # fmt: skip


def _long_text(folder: Path, scratch: Path) -> Built:
    paragraphs = [body(i, paragraphs=2) for i in range(8)]  # distinct prose, 8 KB or so
    (folder / "long.txt").write_text(
        "A long day of news\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8"
    )
    return Built(stored=1, warning="body cut at .*the bound is 3,000", args=["--max-chars", "3000"])


def _slow(monkeypatch: pytest.MonkeyPatch) -> Builder:
    """One page whose extraction hangs (a stand-in for a page trafilatura takes minutes on)."""

    def build(folder: Path, scratch: Path) -> Built:
        import legation.pipeline as pipeline_mod

        real = pipeline_mod.extract_html

        def extract(html: str, **kw: object) -> object:
            if "Hangs here" in html:
                time.sleep(30)  # interrupted by the time bound
            return real(html, **kw)  # type: ignore[arg-type]

        monkeypatch.setattr(pipeline_mod, "extract_html", extract)
        (folder / "slow.html").write_text(page_html(0).replace("Report 0", "Hangs here"), encoding="utf-8")
        return Built([Expect("slow.html", "longer than the time bound of 2 s")], args=["--max-seconds", "2"])

    return build


def bound_cases(monkeypatch: pytest.MonkeyPatch) -> list[Case]:
    return [
        ("text over the character bound is coded, not refused", _long_text),
        ("input over the time bound", _slow(monkeypatch)),
        ("page and text beside a smaller byte bound", _byte_bound_option),
    ]


def _byte_bound_option(folder: Path, scratch: Path) -> Built:
    (folder / "page.html").write_text(page_html(1) + "<!-- " + "x" * 4000 + " -->", encoding="utf-8")
    (folder / "extra.txt").write_text(GOOD_2.replace("Bolivia", "Brazil"), encoding="utf-8")
    return Built(
        [Expect("page.html", r"over the byte bound of 2,048")], stored=1, args=["--max-bytes", "2KB"]
    )
