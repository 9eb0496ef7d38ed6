"""Turn the bytes of an input file or a WARC payload into text.

INTERFACE: ``decode_bytes(data, *, declared=None, is_html=False) -> (text, encoding)``,
``decode_noted(...) -> Decoded`` (the same, with how the encoding was found and a warning
when it was only guessed or bytes were replaced) and ``looks_binary(data) -> bool``.

News pages arrive in every encoding: UTF-8 mostly, but also windows-1252 pages labelled
ISO-8859-1, Shift_JIS or GB18030 pages from Asian outlets, UTF-16 exports of office tools.
The order of evidence follows what a browser trusts, from the strongest to the weakest:

1. a byte-order mark, which cannot appear by accident at the start of a text, or, without
   one, the NUL-every-other-byte pattern of UTF-16 text in a Latin script (an export of an
   office tool that wrote no BOM; read with a warning);
2. the charset the transport declared (HTTP ``Content-Type``), if the bytes decode with it;
3. strict UTF-8: multi-byte UTF-8 sequences almost never form by chance in other encodings,
   so a clean strict decode is near-certain evidence;
4. for HTML, the page's own ``<meta charset>`` / ``http-equiv`` / XML declaration;
5. UTF-8 with a few stray bytes: text whose valid multi-byte sequences far outnumber its
   invalid bytes is UTF-8 with damage, not a single-byte page (a statistical guess reads such a
   page as "mac-iceland" and breaks every other non-ASCII character); the stray bytes become
   U+FFFD and the article says so;
6. charset-normalizer's statistical guess, where windows-1252 wins over another single-byte
   code page whenever it reads the bytes as Western text (punctuation and a minority of
   accented Latin letters): charset-normalizer reads English with curly quotes as cp852;
7. windows-1252 with replacement characters, which never fails.

Steps 5-7 are guesses: :func:`decode_noted` returns a warning for them, which the clean stage
adds to the article's warnings.

Newlines are normalised to ``"\\n"`` so that offsets computed later do not depend on the
platform the page was saved on.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

# (BOM, codec) pairs. UTF-32-LE must come before UTF-16-LE: its BOM starts with UTF-16-LE's.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Labels that WHATWG's Encoding Standard maps to windows-1252: servers and pages say
# "ISO-8859-1" or "US-ASCII" while the text uses the 0x80-0x9F range for curly quotes and
# dashes, which latin-1 would turn into invisible C1 control characters.
_CP1252_LABELS = {"iso8859-1", "latin-1", "ascii", "cp1252"}

# Single-byte codecs accept (nearly) any byte sequence, so "it decodes" is no evidence at all
# for them; see ``_declared_wins``.
_PERMISSIVE = _CP1252_LABELS | {"iso8859-15", "cp1251", "cp1250", "koi8-r"}

# A page's charset declaration sits in <head>; the WHATWG prescan reads 1024 bytes, but real
# pages put kilobytes of inline scripts and styles before the <meta>, so read further. 16 KB
# covers every page of the article-extraction benchmark that declares one.
_META_SCAN = 16 * 1024
_META_RE = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{2,40})""", re.I)
_XML_DECL_RE = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:\-]{2,40})""", re.I)

# looks_binary reads this much: enough for a meaningful share, little enough to be cheap.
_SNIFF = 8 * 1024
# Plain text has essentially no C0 control characters besides tab, newline, form feed,
# carriage return and ESC (ISO-2022 encodings). Binary formats have many: a compressed or
# image file has ~12% of its bytes below 0x20 by chance alone. 5% separates the two with a
# wide margin on both sides.
_CONTROL_SHARE = 0.05
_TEXT_CONTROLS = {0x08, 0x09, 0x0A, 0x0C, 0x0D, 0x1B}
# Magic numbers of formats that people drop into an input folder by mistake and whose first
# bytes can look like text (a PDF header is plain ASCII for its first few hundred bytes).
# Only signatures that cannot begin a real text are listed (no "ID3", "RIFF", "BZh").
_MAGIC = (
    b"%PDF-",
    b"\x89PNG\r\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!\x1a",
    b"\x7fELF",
    b"\xfd7zXZ\x00",
)


def _codec_name(label: str) -> str | None:
    """Python's canonical codec name for an encoding label, or None if unknown."""
    label = label.strip().strip("\"'").lower()
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # Python calls it "iso8859-1"; normalise the aliases that spell latin-1.
    return "iso8859-1" if name in {"latin-1", "latin_1", "l1"} else name


def _try(data: bytes, codec: str) -> str | None:
    """Strict decode, or None when any byte sequence is invalid for ``codec``."""
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_label(data: bytes, label: str | None, *, allow_wide: bool = True) -> tuple[str, str] | None:
    """Decode strictly with the encoding an HTTP header or a page declared.

    Args:
        data: the bytes.
        label: the declared label, e.g. ``"ISO-8859-1"``.
        allow_wide: False for in-document declarations, where a UTF-16/32 label cannot be
            true (the declaration itself was readable as ASCII), as WHATWG also rules.

    Returns:
        (text, codec) or None when the label is unknown or the bytes do not decode.
    """
    codec = _codec_name(label or "")
    if codec is None:
        return None
    if codec.startswith(("utf-16", "utf-32")) and not allow_wide:
        codec = "utf-8"
    candidates = ["cp1252", "iso8859-1"] if codec in _CP1252_LABELS else [codec]
    for cand in candidates:
        text = _try(data, cand)
        if text is not None:
            return text, cand
    return None


def _has_multibyte_utf8(data: bytes) -> bool:
    """True when ``data`` is valid UTF-8 and holds at least one non-ASCII character."""
    return not data.isascii() and _try(data, "utf-8") is not None


def _declared_wins(data: bytes, codec: str) -> bool:
    """Whether a declared single-byte charset should beat a clean UTF-8 decode.

    Servers commonly send a default ``charset=ISO-8859-1`` for pages that are UTF-8. A
    single-byte codec decodes anything, so its success proves nothing, whereas text that is
    valid multi-byte UTF-8 is practically never genuine latin-1 (it would have to be full of
    sequences like "Ã©"). In that one case UTF-8 is preferred over the declaration.
    """
    return not (codec in _PERMISSIVE and _has_multibyte_utf8(data))


def _meta_charset(data: bytes) -> str | None:
    """The charset that an HTML/XML document declares in its first kilobytes."""
    head = data[:_META_SCAN]
    m = _XML_DECL_RE.search(head) or _META_RE.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def _normalise(text: str) -> str:
    """Drop a leading BOM character and turn CRLF / CR line ends into LF."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _guess(data: bytes) -> str | None:
    """charset-normalizer's best encoding, preferring windows-1252 among equally good ones.

    Western text that only uses the accented letters common to several code pages scores the
    same in cp1250, cp1252 and others (measured: "Genève ... “ceasefire”" ties cp1250 and
    cp1252 on both chaos and coherence, and cp1250 is listed first). windows-1252 is by far
    the most common single-byte encoding of web pages (it is WHATWG's fallback for most
    locales), so it wins a tie.
    """
    results = from_bytes(data)
    best = results.best()
    if best is None or not best.encoding:
        return None
    for match in results:
        if match.encoding == "cp1252" and (match.chaos, match.coherence) == (best.chaos, best.coherence):
            return "cp1252"
    name = _codec_name(best.encoding) or best.encoding
    if name != "cp1252" and _single_byte(name) and _reads_western(data):
        return "cp1252"
    return name


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the codec used, how it was chosen and a warning when it was a guess."""

    text: str
    encoding: str
    basis: str  # bom, declared, utf-8, meta, utf-8-repaired, guess, fallback
    warning: str = ""


#: Non-ASCII characters of Western text in windows-1252 besides Latin-1 letters: typographic
#: punctuation and the common symbols.
_WESTERN_MARKS = frozenset("‘’‚“”„–—…•·«»‹›€£¥©®™°±§¶×÷¢¡¿\u00a0")
#: The letters windows-1252 adds to Latin-1 in 0x80-0x9F ("Šefčovič" has one).
_CP1252_LETTERS = frozenset("ŠšŽžŒœŸƒ")
#: In Western text accented letters are a minority of the letters; in Cyrillic or Greek read
#: as windows-1252 (every letter a byte above 0x7F) they are nearly all of them.
_WESTERN_ACCENT_SHARE = 0.3


def _single_byte(codec: str) -> bool:
    """Whether ``codec`` maps every byte to one character (the code-page family)."""
    try:
        return len(b"\xe9\xe9".decode(codec, errors="replace")) == 2
    except LookupError:
        return False


def _reads_western(data: bytes) -> bool:
    """Whether windows-1252 reads ``data`` as Western text: strictly, every non-ASCII character a
    Latin-1 letter or typographic mark, and accented letters a minority of the letters."""
    text = _try(data, "cp1252")
    if text is None:
        return False
    accented = letters = 0
    for c in text:
        if c.isalpha():
            letters += 1
            if c > "\x7f":
                if not ("\u00c0" <= c <= "\u00ff" or c in _CP1252_LETTERS):
                    return False
                accented += 1
        elif c > "\x7f" and c not in _WESTERN_MARKS:
            return False
    return letters > 0 and accented / letters < _WESTERN_ACCENT_SHARE


def decode_bytes(data: bytes, *, declared: str | None = None, is_html: bool = False) -> tuple[str, str]:
    """Decode bytes to text, choosing the encoding from the strongest evidence available.

    Args:
        data: raw bytes of a file or an HTTP payload.
        declared: charset label given by the transport (HTTP ``Content-Type``), if any.
        is_html: look for an in-document charset declaration (``<meta>``, XML declaration).

    Returns:
        ``(text, encoding)``: the text with ``"\\n"`` newlines and the Python codec name used
        (``"utf-8"``, ``"cp1252"``, ``"shift_jis"``, ...). Never raises for ordinary input;
        undecodable bytes become U+FFFD in the last-resort path.
    """
    d = decode_noted(data, declared=declared, is_html=is_html)
    return d.text, d.encoding


def decode_noted(data: bytes, *, declared: str | None = None, is_html: bool = False) -> Decoded:
    """:func:`decode_bytes` with the basis of the choice and a warning for the guessed ones."""
    if not data:
        return Decoded("", "utf-8", "utf-8")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _try(data, codec)
            if text is not None:
                enc = "utf-8" if codec == "utf-8-sig" else _codec_name(codec) or codec
                return Decoded(_normalise(text), enc, "bom")
            break  # a BOM with undecodable bytes after it: fall through to the other evidence
    wide = utf16_without_bom(data)
    if wide is not None and (text := _try(data, wide)) is not None:
        note = f"encoding: {wide.upper()} without a byte-order mark (read by its pattern of NUL bytes)"
        return Decoded(_normalise(text), wide, "utf-16-pattern", note)
    if declared:
        hit = _decode_label(data, declared)
        if hit is not None and _declared_wins(data, hit[1]):
            return Decoded(_normalise(hit[0]), hit[1], "declared")
    text = _try(data, "utf-8")
    if text is not None:
        return Decoded(_normalise(text), "utf-8", "utf-8")
    if is_html:
        hit = _decode_label(data, _meta_charset(data), allow_wide=False)
        if hit is not None:
            return Decoded(_normalise(hit[0]), hit[1], "meta")
    repaired = _damaged_utf8(data)
    if repaired is not None:
        text, bad = repaired
        note = f"encoding: UTF-8 with {bad} invalid byte(s), replaced by U+FFFD"
        return Decoded(_normalise(text), "utf-8", "utf-8-repaired", note)
    guess = _guess(data)
    if guess is not None:
        guessed = _try(data, guess)
        if guessed is not None:
            note = f"encoding: not declared and not UTF-8; read as {guess} (a statistical guess)"
            return Decoded(_normalise(guessed), guess, "guess", note)
    note = "encoding: not recognised; read as cp1252, undecodable bytes replaced by U+FFFD"
    return Decoded(_normalise(data.decode("cp1252", errors="replace")), "cp1252", "fallback", note)


# UTF-8 with damage: at least this many valid multi-byte characters per invalid byte (and at
# least two of them). A single-byte page has almost no valid multi-byte sequences (its
# accented letters are single bytes followed by ASCII), so the ratio separates the two widely.
_REPAIR_RATIO = 4


def _damaged_utf8(data: bytes) -> tuple[str, int] | None:
    """The text and the number of invalid bytes, when ``data`` is UTF-8 with a few stray bytes."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    multi = sum(1 for c in text if c > "\x7f" and c != "\ufffd")
    if bad > 0 and multi >= 2 and multi >= _REPAIR_RATIO * bad:
        return text, bad
    return None


#: UTF-16 without a BOM: in Latin-script text nearly every other byte is NUL. At least this
#: share of the code units must have their high byte NUL and a non-NUL low byte.
_UTF16_SHARE = 0.9


def utf16_without_bom(data: bytes) -> str | None:
    """``"utf-16-le"`` or ``"utf-16-be"`` when ``data`` (no BOM) has the byte pattern of UTF-16
    text in a Latin script, else None. Reads the first 8 KB."""
    head = data[: _SNIFF - _SNIFF % 2]
    if len(head) < 16 or len(head) % 2:
        return None
    units = len(head) // 2
    even, odd = head[0::2], head[1::2]
    if sum(1 for lo, hi in zip(even, odd, strict=True) if hi == 0 and lo != 0) >= _UTF16_SHARE * units:
        return "utf-16-le"
    if sum(1 for hi, lo in zip(even, odd, strict=True) if hi == 0 and lo != 0) >= _UTF16_SHARE * units:
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """Whether ``data`` is a binary file (image, PDF, archive...) rather than text.

    The caller refuses such files with a clear error instead of feeding mojibake to the
    pipeline. UTF-16/32 text is full of NUL bytes, so a BOM exempts a file from the NUL test.

    Args:
        data: the file's bytes (only the first 8 KB are read).

    Returns:
        True for a known binary magic number, a NUL byte in BOM-less data, or more than 5% of
        C0 control characters other than the whitespace ones.
    """
    head = data[:_SNIFF]
    if not head:
        return False
    if head.startswith(_MAGIC):
        return True
    if any(head.startswith(bom) for bom, _ in _BOMS) or utf16_without_bom(head) is not None:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 0x20 and b not in _TEXT_CONTROLS)
    return controls / len(head) > _CONTROL_SHARE
