"""The harness of the bad-input suite (tests/test_bad_inputs.py) and the builders it shares.

A case is a kind of bad input and a builder. The builder writes the bad input beside the good
ones (two short news texts written for this suite, in ``in/``) and says what must happen: which
errors name which file (and line or record) with which reason, how many articles the bad input
itself holds that must be stored, and optionally a race to set up (a hook run between the two
passes of the ingest, so deletions and changes during a run are reproduced deterministically).
"""

from __future__ import annotations

import gzip
import itertools
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

GOOD_1 = """Coastal states agree joint fisheries patrols

By Mara Ellison

Published 14 March 2025

Officials from Senegal and Mauritania agreed on Friday to run joint patrols against illegal
fishing off their shared coast, the two fisheries ministries said in a statement.

The patrols will begin in May and involve four vessels from each navy, according to the
statement, which was issued after two days of talks in Nouakchott.

Fishing communities on both sides of the border have complained for years that foreign
trawlers operate without licences inside the exclusive economic zones.

A spokesperson for the Senegalese ministry said the agreement would be reviewed after twelve
months.
"""

GOOD_2 = """Parliament delays vote on border treaty

By Tomas Reyes

Published 2 April 2025

Lawmakers in Asunción postponed on Wednesday a vote on the border treaty with Bolivia, saying
they needed more time to study the maps attached to the agreement.

The treaty, signed by both foreign ministers in January, settles the line along a disputed
stretch of the Pilcomayo river.

Opposition deputies asked the government to publish the technical annexes before any vote is
held, and the speaker agreed to a hearing next month.

Bolivia's congress has not yet scheduled its own debate on the text.
"""

#: Short, distinct news items for records and pages the bad inputs also hold (all good).
NEWS = [
    "Kenyan police fired tear gas at protesters in Nairobi on Tuesday, witnesses said.",
    "The Chilean navy rescued eleven fishermen off Valparaíso after their boat sank on Sunday.",
    "Estonia expelled a Russian diplomat on Monday over what it called hostile activities.",
    "Vietnam and the Philippines agreed on Thursday to hold joint coast guard drills next year.",
    "Ghana's parliament approved a loan of 300 million dollars for rural roads on Friday.",
    "Peru recalled its ambassador to Mexico on Wednesday after a dispute over asylum.",
    "Norway pledged 50 million euros to a fund for Sudanese refugees in Chad on Saturday.",
    "Troops from Niger and Chad launched a joint operation against armed groups near the lake.",
]

#: The bounds the suite runs with: small, so inputs over them are cheap to write.
MAX_BYTES = 2_000_000


def page_html(i: int) -> str:
    """A small HTML news page holding ``NEWS[i]`` and two more paragraphs."""
    return (
        f"<!doctype html><html><head><title>Report {i}</title></head><body><article>"
        f"<h1>Report {i}</h1><p>{NEWS[i]}</p>"
        f"<p>{NEWS[(i + 1) % len(NEWS)]} Officials gave no further details.</p>"
        f"<p>{NEWS[(i + 2) % len(NEWS)]} The statement was published late in the evening.</p>"
        "</article></body></html>"
    )


def record(i: int, **fields: object) -> str:
    """One JSONL line holding ``NEWS[i]`` (fields override or add)."""
    return json.dumps({"id": f"rec-{i}", "text": NEWS[i], **fields})


@dataclass(frozen=True)
class Expect:
    """An error that must be reported: a part of the file's name, its reason, its locator."""

    name: str
    reason: str  # a regular expression searched in the reason, case-insensitive
    locator: str = ""  # "line 3", "record 2"; "" for the whole file


@dataclass
class Built:
    """What a builder wrote and what must happen to it."""

    bad: list[Expect] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)  # given explicitly, besides in/
    stored: int = 0  # articles the bad input also holds that must be stored
    warning: str = ""  # a warning that must be on some stored article (a regex)
    args: list[str] = field(default_factory=list)  # more options for `legation ingest`
    race: Callable[[], None] | None = None  # run between the plan and the second pass


Builder = Callable[[Path, Path], Built]  # (in/, a scratch folder outside it) -> Built
Case = tuple[str, Builder]


def write_good(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / "good1.txt", folder / "good2.txt"]
    paths[0].write_text(GOOD_1, encoding="utf-8")
    paths[1].write_text(GOOD_2, encoding="utf-8")
    return paths


def bad_file(name: str, data: bytes | str, reason: str, *, explicit: bool = False) -> Builder:
    """A file (in in/, or outside it and given explicitly) that must be named with ``reason``."""

    def build(folder: Path, scratch: Path) -> Built:
        path = (scratch if explicit else folder) / name
        _write(path, data)
        return Built([Expect(name, reason)], [path] if explicit else [])

    return build


def good_file(name: str, data: bytes | str, *, stored: int = 1, warning: str = "") -> Builder:
    """A file in in/ that looks odd but holds an article that must be stored."""

    def build(folder: Path, scratch: Path) -> Built:
        _write(folder / name, data)
        return Built(stored=stored, warning=warning)

    return build


def jsonl(lines: list[str | bytes], bad: dict[int, str], *, stored: int, sep: bytes = b"\n") -> Builder:
    """A JSONL file in in/: ``bad`` maps line numbers to the reason each must be named with."""

    def build(folder: Path, scratch: Path) -> Built:
        data = sep.join(x if isinstance(x, bytes) else x.encode("utf-8", "surrogatepass") for x in lines)
        (folder / "records.jsonl").write_bytes(data + sep)
        return Built([Expect("records.jsonl", r, f"line {n}") for n, r in bad.items()], stored=stored)

    return build


def warc(
    records: list[bytes], bad: dict[int | str, str], *, stored: int, gz: bool = False, cut: int = 0
) -> Builder:
    """A WARC file in in/ (per-record gzip with ``gz``; its last ``cut`` bytes dropped).

    ``bad`` maps record numbers to reasons (a key of ``""`` names the file as a whole).
    """

    def build(folder: Path, scratch: Path) -> Built:
        data = b"".join(gzip.compress(r) for r in records) if gz else b"".join(records)
        name = "crawl.warc.gz" if gz else "crawl.warc"
        (folder / name).write_bytes(data[: len(data) - cut])
        expects = [Expect(name, r, f"record {n}" if n != "" else "") for n, r in bad.items()]
        return Built(expects, stored=stored)

    return build


_RECORD_IDS = itertools.count(1)


def warc_record(wtype: str, block: bytes, *, content_type: str | None = None, length: str = "") -> bytes:
    """One WARC/1.1 record (``length`` overrides the Content-Length header)."""
    if content_type is None and wtype in {"response", "request"}:
        content_type = f"application/http; msgtype={wtype}"
    n = next(_RECORD_IDS)
    head = [
        ("WARC-Type", wtype),
        ("WARC-Record-ID", f"<urn:uuid:00000000-0000-0000-0000-{n:012d}>"),
        ("WARC-Date", "2025-03-14T12:00:00Z"),
        ("WARC-Target-URI", f"https://news.example.org/story/{n}"),
    ]
    if content_type:
        head.append(("Content-Type", content_type))
    head.append(("Content-Length", length or str(len(block))))
    return (
        b"WARC/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head).encode() + b"\r\n" + block + b"\r\n\r\n"
    )


def http(body: bytes, *, status: str = "200 OK", headers: dict[str, str] | None = None) -> bytes:
    hdrs = {"Content-Type": "text/html; charset=utf-8"} if headers is None else headers
    return (
        f"HTTP/1.1 {status}\r\n".encode()
        + "".join(f"{k}: {v}\r\n" for k, v in hdrs.items()).encode()
        + b"\r\n"
        + body
    )


def html_response(i: int) -> bytes:
    return warc_record("response", http(page_html(i).encode()))


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def simulate_denied(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """Make opening or listing ``target`` fail with EACCES, as chmod 000 does for a non-root
    user (root reads through any mode bits, and the suite may run as root)."""
    real_open, real_scandir = os.open, os.scandir

    def denied_open(path: object, *a: object, **k: object) -> int:
        if Path(str(path)) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *a, **k)  # type: ignore[arg-type]

    def denied_scandir(path: object = ".") -> object:
        if Path(str(path)) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "open", denied_open)
    monkeypatch.setattr(os, "scandir", denied_scandir)


def matches(expect: Expect, source: str, locator: str, reason: str) -> bool:
    return (
        expect.name in source
        and locator == expect.locator
        and re.search(expect.reason, reason, re.I) is not None
    )
