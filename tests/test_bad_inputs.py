"""The bad-input suite (issue 18): each kind of bad input ingested beside good ones.

For every case, through the real command line (click's CliRunner on ``legation ingest``, the
library's ``ingest`` behind it with the session's loaded pipeline): every good input is
stored, every bad one is named in the error report with its file (and line or record) and a
reason, the exit code is 1 (0 when the odd input is one that must be accepted), and nothing
prints a traceback. The cases are the table in ``bad_cases_files.py`` and
``bad_cases_records.py``; the harness is ``bad_inputs.py``.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import duckdb
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from bad_cases_files import file_cases
from bad_cases_records import bound_cases, jsonl_cases, warc_cases
from bad_inputs import MAX_BYTES, Case, matches, write_good
from legation import cli
from legation.ingest import runner
from legation.ingest.bounds import Bounds, parse_size
from legation.ingest.runner import IngestReport, ingest
from legation.ingest.sources import site_of
from legation.ingest.work import InputTimeout, time_bound


def all_cases(monkeypatch: pytest.MonkeyPatch) -> list[Case]:
    return file_cases(monkeypatch) + jsonl_cases() + warc_cases() + bound_cases(monkeypatch)


KINDS = [kind for kind, _ in all_cases(pytest.MonkeyPatch())]


def test_the_suite_has_at_least_60_kinds() -> None:
    assert len(KINDS) >= 60, len(KINDS)
    assert len(set(KINDS)) == len(KINDS), "kinds must be distinct"


def _stored(db: Path) -> list[tuple[str, list[str]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("SELECT source, warnings FROM articles").fetchall()
    finally:
        con.close()
    return [(s, json.loads(w) if isinstance(w, str) else list(w or [])) for s, w in rows]


def _run_cli(args: list[str], pipeline: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, IngestReport]:
    """``legation ingest ARGS`` through click, the ingest behind it using ``pipeline``."""
    reports: list[IngestReport] = []

    def run(*a: Any, **k: Any) -> IngestReport:
        reports.append(ingest(*a, pipeline=pipeline, **k))
        return reports[-1]

    monkeypatch.setattr(cli, "run_ingest", run)
    result = CliRunner().invoke(cli.main, ["ingest", *args])
    assert reports, result.output
    return result, reports[0]


def _race_after_plan(monkeypatch: pytest.MonkeyPatch, race: Callable[[], None]) -> None:
    real_plan = runner._plan

    def plan_then_race(*a: Any, **k: Any) -> Any:
        got = real_plan(*a, **k)
        race()
        return got

    monkeypatch.setattr(runner, "_plan", plan_then_race)


@pytest.mark.parametrize("kind", KINDS)
def test_bad_input_beside_good_ones(
    kind: str, tmp_path: Path, pipeline: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    build = dict(all_cases(monkeypatch))[kind]
    folder, scratch = tmp_path / "in", tmp_path / "scratch"
    scratch.mkdir()
    good = write_good(folder)
    built = build(folder, scratch)
    if built.race is not None:
        _race_after_plan(monkeypatch, built.race)
    db = tmp_path / "db.duckdb"
    args = [str(folder), *map(str, built.paths), "--db", str(db), "--workers", "1"]
    result, report = _run_cli([*args, "--max-bytes", str(MAX_BYTES), *built.args], pipeline, monkeypatch)

    out = result.output + (result.stderr if result.stderr_bytes is not None else "")
    assert "Traceback" not in out, out
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    errors = [(e.source, e.locator, e.reason) for e in report.errors]
    for e in report.errors:
        assert f"failed: {e}" in out  # named on standard error
    unexpected = [e for e in errors if not any(matches(x, *e) for x in built.bad)]
    missing = [x for x in built.bad if not any(matches(x, *e) for e in errors)]
    assert not unexpected and not missing, f"unexpected {unexpected}, missing {missing}"
    assert result.exit_code == (1 if built.bad else 0), out

    stored = _stored(db)
    sources = [s for s, _ in stored]
    assert all(str(g) in sources for g in good), sources
    assert len(stored) == len(good) + built.stored, sources
    if built.warning:
        warnings = [w for _, ws in stored for w in ws]
        assert any(re.search(built.warning, w) for w in warnings), warnings


# ------------------------------------------------------------------ site_of never raises
_URL_PIECES = st.sampled_from(
    ["http://", "https://", "//", "[", "]", "::1", "[::1", "%", "@", ":", "#", "?", "/", "\x00", "\ud800",
     "www.", "example.org", ":99999", ":-1", "ö", " ", "\\", "[v1.x]", "[fe80::1%eth0]"]
)  # fmt: skip


@st.composite
def _mutated_url(draw: st.DrawFn) -> str:
    base = draw(
        st.sampled_from(["https://www.example.org/a/b?c=d#e", "http://[::1]:8080/x", "news.example.org"])
    )
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(base)))
        if draw(st.booleans()):
            base = base[:at] + draw(st.one_of(_URL_PIECES, st.text(max_size=4))) + base[at:]
        else:
            base = base[:at] + base[at + draw(st.integers(1, 3)) :]
    return base


@settings(max_examples=2000, deadline=None)
@given(_mutated_url())
def test_site_of_never_raises_on_mutated_urls(url: str) -> None:
    site = site_of(url)
    assert site is None or (isinstance(site, str) and site != "")


def test_site_of_still_reads_good_urls() -> None:
    assert site_of("https://www.example.org/a") == "example.org"
    assert site_of("http://[::1/oops") is None
    assert site_of(urlunsplit(urlsplit("http://news.example.org:8080/x"))) == "news.example.org"


# ------------------------------------------------------------------ bounds: units and options
def test_time_bound_stops_a_block_and_is_off_elsewhere() -> None:
    start = time.monotonic()
    with pytest.raises(InputTimeout), time_bound(0.2):
        time.sleep(5)
    assert time.monotonic() - start < 2
    with time_bound(0):  # 0: no bound
        time.sleep(0.01)
    done: list[bool] = []

    def in_thread() -> None:
        with time_bound(0.05):  # not the main thread: not enforced, never raises there
            time.sleep(0.2)
        done.append(True)

    t = threading.Thread(target=in_thread)
    t.start()
    t.join()
    assert done == [True]


def test_sizes_and_bounds_are_checked() -> None:
    assert parse_size("20MB") == 20 * 2**20 and parse_size("512k") == 512 * 1024 and parse_size("77") == 77
    with pytest.raises(ValueError):
        parse_size("lots")
    with pytest.raises(ValueError):
        Bounds(max_bytes=0)
    with pytest.raises(ValueError):
        Bounds(max_seconds=-1)


def test_bound_options_reach_the_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}

    def run(*a: Any, **k: Any) -> IngestReport:
        seen.update(k)
        return IngestReport()

    monkeypatch.setattr(cli, "run_ingest", run)
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    args = ["ingest", str(tmp_path / "a.txt"), "--max-bytes", "1MB", "--max-chars", "5000"]
    result = CliRunner().invoke(cli.main, [*args, "--max-seconds", "7.5", "--max-html-chars", "9000"])
    assert result.exit_code == 0, result.output
    assert seen["bounds"] == Bounds(max_bytes=2**20, max_html_chars=9000, max_chars=5000, max_seconds=7.5)
    result = CliRunner().invoke(cli.main, ["ingest", str(tmp_path / "a.txt"), "--max-bytes", "lots"])
    assert result.exit_code == 2 and "not a size" in result.output
    seen.clear()
    assert CliRunner().invoke(cli.main, ["ingest", str(tmp_path / "a.txt")]).exit_code == 0
    assert seen["bounds"] is None  # the defaults


class _SlowParse:
    """A stand-in pipeline whose parse hangs on the article whose id is "slow"."""

    def __init__(self, seconds: float) -> None:
        self.bounds = Bounds(max_seconds=seconds)

    def begin(self, raw: Any, article_id: str, ctx: Any) -> Any:
        from legation.models import Article

        return Article(id=article_id, source=raw.source, input_key=raw.input_key, text=raw.content)

    def parse_many(self, jobs: Any) -> None:
        if any(a.id == "slow" for a, _ in jobs):
            time.sleep(30)

    def finish(self, article: Any, raw: Any, ctx: Any) -> Any:
        return article


@pytest.mark.parametrize("ids", [["slow"], ["a", "slow", "b", "c"]])
def test_an_input_never_runs_past_its_time_bound(ids: list[str]) -> None:
    """Alone or in a chunk whose shared parse it stalls, the slow input is stopped within its
    bound (the shared attempt counted against it) and the others are kept."""
    from legation.ingest.work import process_many
    from legation.models import InputError, RawDoc

    items = [(RawDoc(source=f"{i}.txt", fmt="text", content="x", input_key=i), i, None) for i in ids]
    start = time.monotonic()
    out = process_many(_SlowParse(1.0), items)  # type: ignore[arg-type]
    # Alone: the bound (not twice it, as when a failed shared parse was not counted); in a
    # chunk: the shared attempt (at most the bound) and what the slow input has left.
    assert time.monotonic() - start < (1.6 if len(ids) == 1 else 2.3)
    failed = {r.source for r in out if isinstance(r, InputError)}
    assert failed == {"slow.txt"}, out
    assert "time bound of 1 s" in next(r.reason for r in out if isinstance(r, InputError))
