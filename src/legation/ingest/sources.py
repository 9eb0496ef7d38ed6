"""Finding inputs and reading them into :class:`~legation.models.RawDoc` records.

Reading is streaming: a JSONL or WARC file of any size is read a record at a time. Every
failure becomes an :class:`~legation.models.InputError` naming the file (and line or
record) and the reader goes on with the next record, so one bad line never loses the rest.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from legation.ingest.encoding import decode_noted, looks_binary
from legation.ingest.warc import WarcFormatError, WarcHtml, WarcSkip, iter_html_responses
from legation.models import InputError, RawDoc, Skipped

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
JSONL_SUFFIXES = {".jsonl"}
# A single article file or record larger than this is refused: real news pages are well under
# 2 MB even as raw HTML with inline scripts; bigger inputs are dumps, binaries or attacks, and
# cleaning them would take unbounded time and memory.
MAX_ARTICLE_BYTES = 20 * 1024 * 1024


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
    Hidden files and folders are skipped.
    """
    files: list[Path] = []
    ignored: list[Path] = []
    errors: list[InputError] = []
    for p in paths:
        path = Path(p)
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory")
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path)
                if any(part.startswith(".") for part in rel.parts) or f.is_dir():
                    continue
                if not f.is_file():
                    if kind_of(f):  # a FIFO, device or broken link named like an input
                        errors.append(InputError(str(f), _not_regular(f)))
                    continue
                (files if kind_of(f) else ignored).append(f)
        elif not path.is_file():
            # A FIFO would block the run forever and a device never ends: only regular files.
            errors.append(InputError(str(path), _not_regular(path)))
        elif kind_of(path):
            files.append(path)
        else:
            errors.append(
                InputError(
                    str(path), "unsupported file type (want .txt, .html, .htm, .jsonl, .warc, .warc.gz)"
                )
            )
    seen: set[Path] = set()
    unique = [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))]  # type: ignore[func-returns-value]
    return Discovery(unique, ignored, errors)


def _not_regular(path: Path) -> str:
    """Why a path that is no regular file is not read."""
    if path.is_symlink() and not path.exists():
        return "broken symbolic link (not read)"
    if path.is_fifo():
        return "a named pipe, not a regular file (not read)"
    if path.is_char_device() or path.is_block_device():
        return "a device, not a regular file (not read)"
    return "not a regular file (not read)"


def site_of(url: str | None) -> str | None:
    """The host of a URL without ``www.``, used as the site key for chrome memory."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:  # "http://[::1/oops": no host can be told, the record still counts
        return None
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


def content_id(raw: RawDoc, salt: str = "") -> str:
    """A stable id derived from the content (and the salt, for copies from other sources)."""
    h = hashlib.sha256()
    h.update(raw.fmt.encode())
    h.update(b"\0")
    h.update(raw.content.encode("utf-8", "surrogatepass"))
    if salt:
        h.update(b"\0" + salt.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:20]


def _read_file(path: Path, fmt: str) -> RawDoc | InputError:
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            return InputError(str(path), f"file too large ({size:,} bytes; the cap is {MAX_ARTICLE_BYTES:,})")
        data = path.read_bytes()
    except OSError as exc:
        return InputError(str(path), f"cannot read: {exc.strerror or exc}")
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


def _opt_str(rec: dict[str, object], key: str) -> str | None:
    v = rec.get(key)
    if v is None or v == "":
        return None
    if not isinstance(v, str | int | float):
        raise ValueError(f"field {key!r} must be a string")
    text = str(v)
    if _SURROGATE.search(text):
        # A lone surrogate ("\ud800") is valid JSON but no Unicode text: it cannot be stored.
        raise ValueError(f"field {key!r} holds a lone surrogate (not Unicode text)")
    return text


def _read_jsonl(path: Path) -> Iterator[RawDoc | InputError | Skipped]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {exc.strerror or exc}")
        return
    with fh:
        for n, line in enumerate(fh, start=1):
            loc = f"line {n}"
            if not line.strip():
                continue
            if len(line) > MAX_ARTICLE_BYTES:
                yield InputError(str(path), f"record too large ({len(line):,} bytes)", loc)
                continue
            if n == 1 and line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]  # a UTF-8 byte-order mark before the first record
            try:
                rec = json.loads(line.decode("utf-8"))
            except RecursionError:
                yield InputError(str(path), "JSON nested too deeply", loc)
                continue
            except UnicodeDecodeError as exc:
                yield InputError(str(path), f"not valid UTF-8 at byte {exc.start}", loc)
                continue
            except json.JSONDecodeError as exc:
                yield InputError(str(path), f"invalid JSON: {exc.msg} (column {exc.colno})", loc)
                continue
            if not isinstance(rec, dict):
                yield InputError(str(path), "a record must be a JSON object", loc)
                continue
            try:
                text, html = _opt_str(rec, "text"), _opt_str(rec, "html")
                rid, url = _opt_str(rec, "id"), _opt_str(rec, "url")
                site, title = _opt_str(rec, "site"), _opt_str(rec, "title")
                published = _opt_str(rec, "published")
            except ValueError as exc:
                yield InputError(str(path), str(exc), loc)
                continue
            body = text if text is not None else html
            if body is None or not body.strip():
                yield InputError(str(path), "record has neither 'text' nor 'html'", loc)
                continue
            yield RawDoc(
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


def _read_warc(path: Path) -> Iterator[RawDoc | InputError | Skipped]:
    try:
        for item in iter_html_responses(path):
            if isinstance(item, WarcSkip):
                # Not an error: a crawl holds requests, images and redirects by design.
                yield Skipped(str(path), item.reason, f"record {item.number}")
            elif isinstance(item, WarcHtml):
                if not item.text.strip():
                    yield InputError(str(path), "empty HTML response", f"record {item.number}")
                    continue
                yield RawDoc(
                    source=item.url or str(path),
                    fmt="html",
                    content=item.text,
                    input_key=f"{path}#{item.number}",
                    locator=f"record {item.number}",
                    path=str(path),
                    url=item.url,
                    encoding=item.encoding,
                    encoding_note=item.encoding_note,
                )
    except WarcFormatError as exc:
        yield InputError(str(path), f"malformed WARC: {exc}")
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {exc}")


def read_inputs(files: Iterable[Path]) -> Iterator[RawDoc | InputError | Skipped]:
    """Every article (or error) in ``files``, in order."""
    for f in files:
        kind = kind_of(f)
        if kind in ("text", "html"):
            yield _read_file(f, kind)
        elif kind == "jsonl":
            yield from _read_jsonl(f)
        elif kind == "warc":
            yield from _read_warc(f)
