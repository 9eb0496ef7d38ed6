"""Encoding detection: BOMs, declared charsets, meta declarations, guesses, binary refusal."""

from __future__ import annotations

import codecs
import json
import random
from pathlib import Path

import duckdb
import pytest

from legation.ingest.encoding import decode_bytes, looks_binary

SMART = "“Peace talks” resumed – the envoy said €5m was pledged."
JAPANESE = (
    "外務大臣は本日、東京で記者会見を行い、近隣諸国との対話を継続する方針を改めて示した。"
    "会談では安全保障と経済協力について意見が交わされ、双方は来月にも再び協議することで合意した。"
)


def _html(body: str, meta: str = "") -> str:
    return f"<html><head>{meta}<title>t</title></head><body><p>{body}</p></body></html>"


def test_plain_utf8() -> None:
    assert decode_bytes("Genève – Zürich".encode()) == ("Genève – Zürich", "utf-8")


def test_empty_input() -> None:
    assert decode_bytes(b"") == ("", "utf-8")


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    ],
)
def test_bom_decides_and_is_stripped(bom: bytes, codec: str, name: str) -> None:
    data = bom + SMART.encode(codec)
    text, enc = decode_bytes(data, declared="iso-8859-1")  # the BOM beats a wrong header
    assert text == SMART
    assert enc == name


def test_declared_iso_8859_1_is_read_as_windows_1252() -> None:
    # 0x93/0x94 are curly quotes in cp1252 but C1 controls in latin-1; browsers use cp1252.
    text, enc = decode_bytes(SMART.encode("cp1252"), declared="ISO-8859-1")
    assert text == SMART
    assert enc == "cp1252"


def test_declared_latin1_with_byte_undefined_in_cp1252_falls_back_to_latin1() -> None:
    data = "café".encode("latin-1") + b"\x81"  # 0x81 has no cp1252 mapping
    text, enc = decode_bytes(data, declared="latin-1")
    assert text == "café\x81"
    assert enc == "iso8859-1"


def test_declared_single_byte_loses_to_valid_multibyte_utf8() -> None:
    # The common server default "charset=ISO-8859-1" on a UTF-8 page.
    text, enc = decode_bytes("Genève – Zürich".encode(), declared="iso-8859-1")
    assert (text, enc) == ("Genève – Zürich", "utf-8")


def test_declared_charset_that_does_not_decode_is_ignored() -> None:
    data = _html(SMART, '<meta charset="windows-1252">').encode("cp1252")
    text, enc = decode_bytes(data, declared="utf-8", is_html=True)
    assert SMART in text
    assert enc == "cp1252"


def test_declared_shift_jis() -> None:
    text, enc = decode_bytes(JAPANESE.encode("shift_jis"), declared="Shift_JIS")
    assert (text, enc) == (JAPANESE, "shift_jis")


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="shift_jis">',
        "<meta http-equiv='Content-Type' content='text/html; charset=Shift_JIS'>",
    ],
)
def test_meta_declaration_in_html(meta: str) -> None:
    text, enc = decode_bytes(_html(JAPANESE, meta).encode("shift_jis"), is_html=True)
    assert JAPANESE in text
    assert enc == "shift_jis"


def test_meta_is_not_read_for_plain_text() -> None:
    # Not HTML: the <meta> means nothing, so the statistical guess decides; it must still
    # produce the right characters (cp932 is a superset of Shift_JIS).
    data = _html(JAPANESE, '<meta charset="koi8-r">').encode("shift_jis")
    text, enc = decode_bytes(data)
    assert JAPANESE in text
    assert enc in {"shift_jis", "cp932"}


def test_meta_utf16_label_in_8bit_page_is_not_believed() -> None:
    data = _html(SMART, '<meta charset="utf-16">').encode("cp1252")
    text, _ = decode_bytes(data, is_html=True)
    assert "envoy said" in text


def test_xml_declaration() -> None:
    data = ('<?xml version="1.0" encoding="ISO-8859-15"?>' + _html("Prix : 5 €")).encode("iso8859-15")
    text, enc = decode_bytes(data, is_html=True)
    assert "Prix : 5 €" in text
    assert enc == "iso8859-15"


def test_undeclared_cp1252_is_guessed() -> None:
    prose = (
        "The minister’s statement – issued on Tuesday – said the “ceasefire” would hold. "
        "Délégués from both sides met in Genève; the agreement’s text wasn’t published. "
    ) * 4
    text, _ = decode_bytes(prose.encode("cp1252"))
    assert text == prose


def test_newlines_are_normalised() -> None:
    assert decode_bytes(b"one\r\ntwo\rthree\n")[0] == "one\ntwo\nthree\n"
    assert decode_bytes(codecs.BOM_UTF16_LE + "a\r\nb".encode("utf-16-le"))[0] == "a\nb"


def test_arbitrary_bytes_never_raise() -> None:
    rng = random.Random(7)
    for _ in range(20):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        text, enc = decode_bytes(data, declared=rng.choice([None, "utf-8", "bogus-charset"]), is_html=True)
        assert isinstance(text, str)
        assert enc


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        b"PK\x03\x04\x14\x00\x06\x00",
        b"hello\x00world",
        bytes(range(1, 32)) * 20 + b"some text",
    ],
)
def test_binary_is_recognised(data: bytes) -> None:
    assert looks_binary(data)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"Ordinary news text.\n\tIndented.\r\n",
        codecs.BOM_UTF16_LE + "UTF-16 text is full of NULs".encode("utf-16-le"),
        JAPANESE.encode("iso2022_jp"),  # uses ESC sequences, still text
        SMART.encode("cp1252"),
    ],
)
def test_text_is_not_binary(data: bytes) -> None:
    assert not looks_binary(data)


# A Western news paragraph with typographic quotes, dashes and a few accented names.
WESTERN = (
    "The European Union’s foreign policy chief said on Monday that the “strategic partnership” "
    "with Japan – agreed in Genève last year – would be extended. Mr Šefcovic and Ms Müller "
    "welcomed the step; the ministers’ statement followed talks in Brussels. "
) * 6


def test_cp1252_english_is_not_read_as_another_code_page() -> None:
    from legation.ingest.encoding import decode_noted

    data = WESTERN.encode("cp1252")
    got = decode_noted(data)
    assert got.encoding == "cp1252" and got.text == WESTERN
    assert got.basis == "guess" and "cp1252" in got.warning


def test_utf8_with_stray_bytes_is_repaired_and_says_so() -> None:
    from legation.ingest.encoding import decode_noted

    raw = WESTERN.encode("utf-8")
    data = raw[:300] + b"\x92" + raw[300:700] + b"\xe9" + raw[700:]
    got = decode_noted(data)
    assert got.encoding == "utf-8" and got.basis == "utf-8-repaired"
    assert "2 invalid byte" in got.warning
    assert got.text.count("’") == WESTERN.count("’")  # every valid character kept
    assert got.text.count("\ufffd") == 2


def test_other_scripts_keep_their_code_page() -> None:
    from legation.ingest.encoding import decode_noted

    russian = "Москва заявила, что переговоры о перемирии продолжатся на следующей неделе. " * 8
    assert decode_noted(russian.encode("cp1251")).text == russian
    # Clean UTF-8 and a declared charset are no guesses: no warning.
    assert decode_noted(WESTERN.encode("utf-8")).warning == ""
    assert decode_noted(WESTERN.encode("cp1252"), declared="windows-1252").warning == ""


def test_guessed_encoding_reaches_the_article_warnings(tmp_path: Path) -> None:
    from legation.ingest.runner import ingest

    (tmp_path / "a.txt").write_bytes(("Headline\n\n" + WESTERN).encode("cp1252"))
    db = tmp_path / "x.duckdb"
    ingest([tmp_path / "a.txt"], db=db, workers=1)
    con = duckdb.connect(str(db), read_only=True)
    try:
        (warnings,) = con.execute("SELECT warnings FROM articles").fetchone()
    finally:
        con.close()
    stored = json.loads(warnings) if isinstance(warnings, str) else list(warnings)
    assert any("read as cp1252" in w for w in stored)
