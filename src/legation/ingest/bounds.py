"""Bounds on one input: bytes read, characters handed to the model, wall time.

INTERFACE: ``Bounds``, ``BoundExceeded``, ``parse_size(text) -> int``, ``markup_size(html) ->
int``, the defaults ``MAX_BYTES``, ``MAX_HTML_CHARS``, ``MAX_CHARS`` and ``MAX_SECONDS``.

An ingest reads whatever it is given, so every input is bounded, and an input over a bound
is a named error for that input (its file, line or record, and which bound), never the end
of the run. The bounds are per input: a JSONL file of many gigabytes is fine, one line of it
over the byte bound is not.

- ``max_bytes``: bytes read for one article: a ``.txt`` or ``.html`` file, one JSONL line,
  one WARC record's block, one decompressed HTTP payload. Larger inputs are refused unread
  (a WARC record is skipped over). Real news pages are well under 2 MB even as raw HTML with
  inline scripts; the default leaves a tenfold margin.
- ``max_html_chars``: characters of HTML markup handed to the HTML extractor (trafilatura),
  scripts, styles, comments and inline SVG not counted (they are most of a page and cheap to
  skip). The extractor's time grows with the markup: a 5 MB page of prose took 235 s. A page
  over the bound is refused before the extractor sees it. The largest of the 290 benchmark
  pages has 1.02 M such characters; the default is three times that.
- ``max_chars``: characters of the clean body handed to the language model. A longer body is
  not refused: it is cut at a paragraph break before the bound, coded, and the article's
  ``warnings`` say where it was cut. The longest article body of the 290 benchmark pages has
  117,703 characters; 200,000 of prose are coded in 43 s end to end on this 2-core machine, a
  third of the time bound (a million, spaCy's ``max_length`` and the cut before, took over
  six minutes and so could never finish within it).
- ``max_seconds``: wall time of the per-article stages for one input in a worker; an input
  that runs longer is stopped and named. 0 turns the bound off. It is enforced with a
  real-time interval timer (``SIGALRM``) and so only in a process's main thread: in-process,
  in local worker processes and on Dask workers run with one thread in their main thread;
  elsewhere (threads) it is not enforced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Default bytes read per input (20 MiB).
MAX_BYTES = 20 * 1024 * 1024
#: Default characters of HTML markup handed to the extractor, scripts and styles not counted.
MAX_HTML_CHARS = 3_000_000
#: Default characters of clean body handed to the model: 1.7 times the longest benchmark article.
MAX_CHARS = 200_000
#: Default wall time per input in a worker (seconds).
MAX_SECONDS = 120.0

_HEAVY_OPEN = re.compile(r"<(script|style|svg)\b|<!--", re.I)
_HEAVY_CLOSE = {
    "script": re.compile(r"</script\s*>", re.I),
    "style": re.compile(r"</style\s*>", re.I),
    "svg": re.compile(r"</svg\s*>", re.I),
    "": re.compile("-->"),
}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.I)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


class BoundExceeded(ValueError):
    """One input is over one of its bounds; the message names the bound and its option."""


def markup_size(html: str) -> int:
    """Characters of ``html`` besides scripts, styles, comments and inline SVG.

    Linear in the page: each element is found once, and an unclosed one ends the scan (what
    follows it counts as markup).
    """
    heavy = pos = 0
    while (m := _HEAVY_OPEN.search(html, pos)) is not None:
        close = _HEAVY_CLOSE[(m.group(1) or "").lower()].search(html, m.end())
        if close is None:
            break
        heavy += close.end() - m.start()
        pos = close.end()
    return len(html) - heavy


def parse_size(text: str) -> int:
    """Bytes from ``"20MB"``, ``"512k"``, ``"3MiB"`` or a plain number (units of 1,024).

    Raises:
        ValueError: when ``text`` is no size.
    """
    m = _SIZE.match(text)
    if not m:
        raise ValueError(f"not a size: {text!r} (e.g. 20MB, 512KB, 1000000)")
    unit = (m.group(2) or "").lower()[:1]
    return int(float(m.group(1)) * _UNITS[unit])


@dataclass(frozen=True)
class Bounds:
    """The bounds of one input (see the module doc); every one configurable."""

    max_bytes: int = MAX_BYTES
    max_html_chars: int = MAX_HTML_CHARS
    max_chars: int = MAX_CHARS
    max_seconds: float = MAX_SECONDS

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_html_chars", "max_chars"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.max_seconds < 0:
            raise ValueError("max_seconds must be 0 (no bound) or more")
