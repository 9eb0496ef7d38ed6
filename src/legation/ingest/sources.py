"""Finding inputs and reading them into :class:`~legation.models.RawDoc` records.

Reading is streaming: a JSONL or WARC file of any size is read a record at a time. Every
failure becomes an :class:`~legation.models.InputError` naming the file (and line or
record) and the reader goes on with the next record, so one bad line never loses the rest.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from legation.ingest.bounds import MAX_BYTES
from legation.ingest.encoding import decode_noted, looks_binary
from legation.ingest.warc import WarcBad, WarcFormatError, WarcSkip, html_responses
from legation.models import InputError, RawDoc, Skipped, printable

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
# The default byte bound of one article file or record (``--max-bytes``; see
# :mod:`legation.ingest.bounds`): real news pages are well under 2 MB even as raw HTML with
# inline scripts; bigger inputs are dumps, binaries or attacks.
MAX_ARTICLE_BYTES = MAX_BYTES


class UsageError(Exception):
    """A path given on the command line does not exist (exit code 2)."""


def kind_of(path: Path) -> str | None:
    """``text``, ``html``, ``jsonl``, ``warc`` or None for unsupported files."""
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz")):
        return "warc"
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return None


@dataclass
class Discovery:
    files: list[Path]
    ignored: list[Path]
    errors: list[InputError]


def discover(paths: Iterable[str | Path]) -> Discovery:
    """All supported files under ``paths``, recursively, in a stable (sorted) order.

    Unsupported files inside folders are ignored (folders hold READMEs, images...); an
    unsupported file named explicitly is an error, and a missing path is a usage error.
    Hidden files and folders are skipped, and symbolic links to folders are not followed (a
    link back up the tree would loop). Only regular files are read: a FIFO, a device, a broken
    link or a link loop is named and skipped, given explicitly or met in a folder, and so is a
    folder that cannot be listed and a file whose name is not valid UTF-8 (it could be neither
    stored nor printed).
    """
    found = Discovery([], [], [])
    for p in paths:
        path = Path(p)
        if not path.exists() and not path.is_symlink():
            raise UsageError(f"{printable(str(path))}: no such file or directory")
        if path.is_dir():
            _walk(path, found)
        elif (why := _refusal(path)) is not None:
            found.errors.append(InputError(str(path), why))
        elif kind_of(path):
            found.files.append(path)
        else:
            found.errors.append(
                InputError(
                    str(path), "unsupported file type (want .txt, .html, .htm, .jsonl, .warc, .warc.gz)"
                )
            )
    seen: set[Path] = set()
    unique = [f for f in found.files if not (f.resolve() in seen or seen.add(f.resolve()))]  # type: ignore[func-returns-value]
    return Discovery(unique, found.ignored, found.errors)


def _walk(folder: Path, found: Discovery) -> None:
    """Add the inputs under ``folder`` to ``found``, in name order, depth first."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        found.errors.append(
            InputError(str(folder), f"cannot list the folder: {exc.strerror or exc} (not read)")
        )
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                _walk(path, found)
                continue
            if entry.is_symlink() and path.is_dir():
                continue  # not followed
        except OSError:
            pass  # a link loop: named below if it is named like an input
        if not kind_of(path):
            if path.is_file():
                found.ignored.append(path)
            continue
        why = _refusal(path)
        if why is None:
            found.files.append(path)
        else:
            found.errors.append(InputError(str(path), why))


def _refusal(path: Path) -> str | None:
    """Why a file is not read, or None when it is a regular file with a storable name."""
    if _SURROGATE.search(str(path)):
        return "file name is not valid UTF-8 (rename the file to ingest it)"
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop (not read)"
        if path.is_symlink():
            return "broken symbolic link (not read)"
        return f"cannot read: {exc.strerror or exc}"
    return None if stat.S_ISREG(mode) else _not_regular(mode)


def _not_regular(mode: int) -> str:
    """Why a path that is no regular file is not read, from its ``st_mode``."""
    if stat.S_ISFIFO(mode):
        return "a named pipe, not a regular file (not read)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file (not read)"
    if stat.S_ISDIR(mode):
        return "a folder, not a regular file (not read)"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file (not read)"
    return "not a regular file (not read)"


class Refused(Exception):
    """An input is not read: not a regular file (any more), or over the byte bound."""


def open_regular(path: Path, max_bytes: int | None = None) -> BinaryIO:
    """``path`` opened for reading, checked to be a regular file on the open descriptor.

    Discovery already refused FIFOs and devices, but a file can be replaced between discovery
    and the read: the check is repeated on what was opened, and the open itself does not
    block (``O_NONBLOCK``: opening a FIFO with no writer would wait forever).

    Raises:
        Refused: not a regular file, or larger than ``max_bytes``.
        OSError: the file cannot be opened.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Refused(_not_regular(st.st_mode))
        if max_bytes is not None and st.st_size > max_bytes:
            raise Refused(_too_large("file", st.st_size, max_bytes))
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def _too_large(what: str, size: int | None, bound: int) -> str:
    got = f" ({size:,} bytes)" if size is not None else ""
    return f"{what} too large{got}: over the byte bound of {bound:,} (--max-bytes)"


def site_of(url: str | None) -> str | None:
    """The host of a URL without ``www.``, used as the site key for chrome memory."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:  # "http://[::1/oops": no host can be told, the record still counts
        return None
    if host and host.startswith("www."):
        host = host[4:]
    return host or None  # "https://www.//x" has the host "www." and so none


def content_id(raw: RawDoc, salt: str = "") -> str:
    """A stable id derived from the content (and the salt, for copies from other sources)."""
    h = hashlib.sha256()
    h.update(raw.fmt.encode())
    h.update(b"\0")
    h.update(raw.content.encode("utf-8", "surrogatepass"))
    if salt:
        h.update(b"\0" + salt.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:20]


def _read_file(path: Path, fmt: str, max_bytes: int) -> RawDoc | InputError:
    try:
        with open_regular(path, max_bytes) as fh:
            data = fh.read(max_bytes + 1)
    except Refused as exc:
        return InputError(str(path), str(exc))
    except OSError as exc:
        return InputError(str(path), f"cannot read: {exc.strerror or exc}")
    if len(data) > max_bytes:  # it grew after the check
        return InputError(str(path), _too_large("file", None, max_bytes))
    if not data.strip():
        return InputError(str(path), "empty file")
    if looks_binary(data):
        return InputError(str(path), "binary content, not text or HTML")
    dec = decode_noted(data, is_html=(fmt == "html"))
    return RawDoc(
        source=str(path),
        fmt="html" if fmt == "html" else "text",
        content=dec.text,
        input_key=str(path),
        path=str(path),
        encoding=dec.encoding,
        encoding_note=dec.warning,
    )


_SURROGATE = re.compile("[\ud800-\udfff]")
# Fields that must be JSON strings; ``id`` may also be an integer.
_STRING_FIELDS = ("text", "html", "url", "site", "title", "published")


def _opt_str(rec: dict[str, object], key: str) -> str | None:
    v = rec.get(key)
    if v is None or v == "":
        return None
    if isinstance(v, bool) or not isinstance(v, str | int):
        raise ValueError(f"field {key!r} must be a {'string or an integer' if key == 'id' else 'string'}")
    if key != "id" and not isinstance(v, str):
        raise ValueError(f"field {key!r} must be a string")
    text = str(v)
    if _SURROGATE.search(text):
        # A lone surrogate ("\ud800") is valid JSON but no Unicode text: it cannot be stored.
        raise ValueError(f"field {key!r} holds a lone surrogate (not Unicode text)")
    return text


def _lines(fh: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) pairs; the line is None when it is over ``max_bytes``, and is then
    skipped without being held in memory."""
    n = 0
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        n += 1
        if len(line) <= max_bytes:
            yield n, line
            continue
        while line and not line.endswith(b"\n"):
            line = fh.readline(1 << 20)
        yield n, None


def _parse_record(line: bytes, first: bool) -> dict[str, object] | str:
    """The JSON object of one line, or why it is none."""
    if first and line.startswith(b"\xef\xbb\xbf"):
        line = line[3:]  # a UTF-8 byte-order mark before the first record
    try:
        rec = json.loads(line.decode("utf-8"))
    except RecursionError:
        return "JSON nested too deeply"
    except UnicodeDecodeError as exc:
        return f"not valid UTF-8 at byte {exc.start}"
    except json.JSONDecodeError as exc:
        return f"invalid JSON: {exc.msg} (column {exc.colno})"
    if not isinstance(rec, dict):
        return f"a record must be a JSON object, not {_json_kind(rec)}"
    return rec


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, list):
        return "an array"
    return "a string" if isinstance(value, str) else "a number"


def _record(path: Path, n: int, rec: dict[str, object]) -> RawDoc | InputError:
    loc = f"line {n}"
    try:
        text, html = _opt_str(rec, "text"), _opt_str(rec, "html")
        rid, url = _opt_str(rec, "id"), _opt_str(rec, "url")
        site, title = _opt_str(rec, "site"), _opt_str(rec, "title")
        published = _opt_str(rec, "published")
    except ValueError as exc:
        return InputError(str(path), str(exc), loc)
    body = text if text is not None else html
    if body is None or not body.strip():
        return InputError(str(path), "record has neither 'text' nor 'html'", loc)
    return RawDoc(
        source=url or str(path),
        fmt="text" if text is not None else "html",
        content=body,
        input_key=f"{path}#{n}",
        locator=loc,
        path=str(path),
        id=rid,
        url=url,
        site=site,
        title=title,
        published=published,
        record=text is not None,
    )


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[RawDoc | InputError | Skipped]:
    try:
        fh = open_regular(path)
    except Refused as exc:
        yield InputError(str(path), str(exc))
        return
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {exc.strerror or exc}")
        return
    lines = records = 0
    with fh:
        for n, line in _lines(fh, max_bytes):
            lines = n
            if line is None:
                yield InputError(str(path), _too_large("record", None, max_bytes), f"line {n}")
                records += 1
                continue
            if not line.strip() or (n == 1 and line.strip() == b"\xef\xbb\xbf"):
                continue
            records += 1
            rec = _parse_record(line, n == 1)
            yield InputError(str(path), rec, f"line {n}") if isinstance(rec, str) else _record(path, n, rec)
    if not records:
        yield InputError(str(path), "empty file" if not lines else "no records (only blank lines)")


def _read_warc(path: Path, max_bytes: int) -> Iterator[RawDoc | InputError | Skipped]:
    records = 0
    try:
        with open_regular(path) as fh:
            for item in html_responses(fh, max_bytes=max_bytes):
                records += 1
                where = f"record {item.number}"
                if isinstance(item, WarcSkip):
                    # Not an error: a crawl holds requests, images and redirects by design.
                    yield Skipped(str(path), item.reason, where)
                elif isinstance(item, WarcBad):
                    yield InputError(str(path), item.reason, where)
                elif not item.text.strip():
                    yield InputError(str(path), "empty HTML response", where)
                else:
                    yield RawDoc(
                        source=item.url or str(path),
                        fmt="html",
                        content=item.text,
                        input_key=f"{path}#{item.number}",
                        locator=where,
                        path=str(path),
                        url=item.url,
                        encoding=item.encoding,
                        encoding_note=item.encoding_note,
                    )
    except Refused as exc:
        yield InputError(str(path), str(exc))
        return
    except WarcFormatError as exc:
        yield InputError(str(path), f"malformed WARC: {exc}")
        return
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {exc.strerror or exc}")
        return
    if not records:
        yield InputError(str(path), "no WARC records (empty file)")


def read_inputs(files: Iterable[Path], max_bytes: int = MAX_BYTES) -> Iterator[RawDoc | InputError | Skipped]:
    """Every article (or error) in ``files``, in order; ``max_bytes`` bounds each one
    (:class:`legation.ingest.bounds.Bounds`)."""
    for f in files:
        kind = kind_of(f)
        if kind in ("text", "html"):
            yield _read_file(f, kind, max_bytes)
        elif kind == "jsonl":
            yield from _read_jsonl(f, max_bytes)
        elif kind == "warc":
            yield from _read_warc(f, max_bytes)
