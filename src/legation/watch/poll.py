"""``legation watch``: poll sources, ingest what is new, match the rules, deliver the alerts.

The library call is :func:`watch`; ``legation watch`` calls it. One poll:

1. ingest what a killed poll left in the spool (fetched, never committed);
2. for each source, in the order given, list its items (a folder's files, a feed's entries, a
   sitemap's URLs, a page), fetch the new ones (a conditional GET for what was seen), write
   them to the spool, ingest them through :func:`legation.ingest.runner.ingest` (ids,
   duplicates, one transaction per batch, the cross-article steps), then record each item and
   the source's health; a source that fails is recorded with its reason and the next goes on;
3. match the rules against what is new (events past the watermark, agreements, disputed
   claim groups, relation shifts), store the alerts new by their ids, and deliver them.

A source's validators (ETag, Last-Modified) are saved only once its items are recorded, so a
poll killed at any point is redone by the next one: items already recorded are not fetched
again, the spool is ingested, and alerts already stored are neither stored nor delivered twice.
"""

from __future__ import annotations

import hashlib
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from legation.ingest.runner import IngestReport, ingest
from legation.ingest.sources import UsageError, discover
from legation.models import InputError
from legation.pipeline import Pipeline, PipelineConfig
from legation.store import watch_rows as W
from legation.store.db import Store, StoreError, default_db_path
from legation.watch.fetch import Fetcher, FetchError, FetchPolicy
from legation.watch.poll_alerts import deliver_pending, evaluate
from legation.watch.report import PollReport, SourceReport
from legation.watch.rules import Rules
from legation.watch.sources import Source, parse_source
from legation.watch.spool import Spool, SpoolItem, read_items, rewrite
from legation.watch.urls import UrlPoller

#: Items fetched from one source in one poll; the rest wait for the next poll (a first poll of
#: a big sitemap would otherwise hold the watch for hours).
MAX_ITEMS_PER_POLL = 100


def parse_interval(text: str) -> float:
    """Seconds in ``"90"``, ``"30s"``, ``"15m"``, ``"2h"`` or ``"1d"``; raises ValueError."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text.lower())
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"{text!r} is not an interval (e.g. 90, 30s, 15m, 2h, 1d)")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def _file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Watcher:
    """One watch: its sources, rules, fetcher, spool and (lazily loaded) pipeline."""

    def __init__(
        self,
        sources: Sequence[Source],
        *,
        db: str | Path,
        rules: Rules | None = None,
        fetcher: Fetcher | None = None,
        pipeline: Pipeline | None = None,
        config: PipelineConfig | None = None,
        out: IO[str] | None = None,
        max_items: int = MAX_ITEMS_PER_POLL,
    ) -> None:
        self.sources = list(sources)
        self.db = str(db)
        self.rules = rules or Rules()
        self.fetcher = fetcher or Fetcher()
        self._pipeline = pipeline
        self.config = config
        self.out = out or sys.stdout
        self.max_items = max_items
        self.spool = Spool(Path(self.db + ".watch"))

    def close(self) -> None:
        self.fetcher.close()

    @property
    def pipeline(self) -> Pipeline:
        if self._pipeline is None:
            self._pipeline = Pipeline(self.config)
        return self._pipeline

    def _ingest(self, paths: Sequence[Path]) -> IngestReport:
        return ingest(paths, db=self.db, pipeline=self.pipeline)

    # ------------------------------------------------------------------ one poll
    def poll(self) -> PollReport:
        """Poll every source once, then match and deliver; never raises for one bad source."""
        report = PollReport()
        report.recovered = self._recover()
        for src in self.sources:
            report.sources.append(self._poll_source(src))
        with Store(self.db) as store:
            report.alerts = evaluate(store, self.rules)
            report.delivery_errors = deliver_pending(store, self.out, self.fetcher.client)
        return report

    def _poll_source(self, src: Source) -> SourceReport:
        rep = SourceReport(src.spec, src.kind)
        try:
            if src.kind == "folder":
                self._poll_folder(src, rep)
            else:
                UrlPoller(self, src, rep).run()
        except (FetchError, UsageError, OSError, ValueError) as exc:
            rep.error = exc.reason if isinstance(exc, FetchError) else str(exc)
        if rep.error:
            with Store(self.db) as store:
                W.record_source_error(store, src.spec, rep.kind, rep.error)
        return rep

    # ------------------------------------------------------------------ the spool
    def ingest_items(self, path: Path, items: list[SpoolItem], rep: SourceReport) -> list[W.ItemRow]:
        """Ingest a spool file and tell, item by item, what became of it; removes the file."""
        if not items:
            path.unlink(missing_ok=True)
            return []
        with Store(self.db) as store:
            before = W.max_seq(store)
            seen = W.items_state(store, [it.url for it in items])
        result = self._ingest([path])
        errors = _errors_by_line(result.errors, path)
        rows = []
        with Store(self.db) as store:
            found = W.articles_by_content(store, [(it.url, it.content_hash) for it in items])
        for n, it in enumerate(items, start=1):
            art = found.get((it.url, it.content_hash))
            prev = seen.get(it.url)
            if art is None:
                rep.failed += 1
                why = errors.get(n, "not stored")
                rep.problems.append(f"{it.url}: {why}")
                rows.append(
                    W.ItemRow(it.url, it.source, f"failed: {why}", it.etag, it.last_modified, it.content_hash)
                )
                continue
            fresh = art["seq"] > before or prev is None or prev.content_hash != it.content_hash
            if art["seq"] > before:
                rep.added += 1
                rep.duplicates += art["duplicate_of"] is not None
            else:
                rep.already += 1
            what = "added" if art["seq"] > before else "already stored"
            if art["duplicate_of"]:
                what += f" (duplicate of {art['duplicate_of']})"
            rows.append(
                W.ItemRow(
                    it.url,
                    it.source,
                    what,
                    it.etag,
                    it.last_modified,
                    it.content_hash,
                    article_id=art["id"],
                    changed=fresh,
                )
            )
        with Store(self.db) as store:
            W.record_items(store, rows)
        path.unlink(missing_ok=True)
        return rows

    def _recover(self) -> int:
        """Ingest the spool files a killed poll left; returns how many items they held."""
        n = 0
        for path in self.spool.leftovers():
            items = list(read_items(path))
            rewrite(path, items)
            source = items[0].source if items else "spool"
            self.ingest_items(path, items, SourceReport(source, "spool"))
            n += len(items)
        return n

    # ------------------------------------------------------------------ folders
    def _poll_folder(self, src: Source, rep: SourceReport) -> None:
        """New and changed files of a folder: size and mtime first, the content hash to be sure."""
        found = discover([src.location])
        rep.problems += [str(e) for e in found.errors]
        with Store(self.db) as store:
            state = W.items_state(store, [str(f) for f in found.files])
            before = W.max_seq(store)
        rows: list[W.ItemRow] = []
        todo: list[tuple[Path, str, int, int]] = []
        for f in found.files:
            st = f.stat()
            prev = state.get(str(f))
            if prev and prev.size == st.st_size and prev.mtime_ns == st.st_mtime_ns:
                continue
            digest = _file_hash(f)
            if prev and prev.content_hash == digest:  # touched, not changed
                rows.append(
                    W.ItemRow(
                        str(f),
                        src.spec,
                        prev.result,
                        content_hash=digest,
                        size=st.st_size,
                        mtime_ns=st.st_mtime_ns,
                    )
                )
                continue
            todo.append((f, digest, st.st_size, st.st_mtime_ns))
        rep.new = len(todo)
        if todo:
            result = self._ingest([t[0] for t in todo])
            with Store(self.db) as store:
                latest = W.latest_by_input(store, [str(t[0]) for t in todo], before)
            rows += [_file_row(src, t, latest.get(str(t[0])), result.errors, rep) for t in todo]
        with Store(self.db) as store:
            W.record_items(store, rows)
            W.record_source_ok(store, src.spec, "folder", etag=None, last_modified=None, added=rep.added)


def _file_row(
    src: Source,
    t: tuple[Path, str, int, int],
    art: dict[str, object] | None,
    errors: list[InputError],
    rep: SourceReport,
) -> W.ItemRow:
    """The state of one new or changed file after its ingest."""
    path, digest, size, mtime = t
    mine = [e for e in errors if e.source == str(path)]
    if art is not None:
        rep.added += int(str(art["n"]))
        rep.duplicates += art["duplicate_of"] is not None
        what = "added" + (f" (duplicate of {art['duplicate_of']})" if art["duplicate_of"] else "")
        rep.problems += [str(e) for e in mine]
        return W.ItemRow(
            str(path),
            src.spec,
            what,
            content_hash=digest,
            size=size,
            mtime_ns=mtime,
            article_id=str(art["id"]),
            changed=True,
        )
    if mine:
        rep.failed += 1
        rep.problems += [str(e) for e in mine]
        return W.ItemRow(
            str(path),
            src.spec,
            f"failed: {mine[0].reason}",
            content_hash=digest,
            size=size,
            mtime_ns=mtime,
            changed=True,
        )
    rep.already += 1
    return W.ItemRow(str(path), src.spec, "already stored", content_hash=digest, size=size, mtime_ns=mtime)


def _errors_by_line(errors: list[InputError], path: Path) -> dict[int, str]:
    out = {}
    for e in errors:
        if e.source == str(path) and e.locator.startswith("line "):
            out[int(e.locator.split()[1])] = e.reason
    return out


def watch(
    sources: Sequence[str],
    *,
    db: str | Path | None = None,
    every: float = 900.0,
    rules: Rules | None = None,
    once: bool = False,
    policy: FetchPolicy | None = None,
    pipeline: Pipeline | None = None,
    config: PipelineConfig | None = None,
    out: IO[str] | None = None,
    on_poll: Callable[[PollReport], None] | None = None,
    polls: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[PollReport]:
    """Watch ``sources`` into ``db``: the library call behind ``legation watch``.

    Args:
        sources: folders, feed files, and feed, sitemap or page URLs (``feed:URL`` and the like
            fix a URL's kind; see :func:`legation.watch.sources.parse_source`).
        db: database path (default ``$LEGATION_DB`` or ``./legation.duckdb``).
        every: seconds from the start of one poll to the start of the next.
        rules: alert rules (:func:`legation.watch.rules.load_rules`); None: no alerts.
        once: one poll, then return.
        policy: how requests are made (timeouts, retries, delays, size cap).
        pipeline, config: an already loaded pipeline, or the config to load one with.
        out: where the ``stdout`` action writes (default standard output).
        on_poll: called with each poll's report (the CLI prints it).
        polls: stop after this many polls (tests); None: until interrupted.
        sleep: how to wait between polls.

    Returns:
        The reports of the polls made. Raises ``UsageError`` for a source path that does not
        exist and ``StoreError`` when the database cannot be opened.
    """
    parsed = [parse_source(s) for s in sources]
    path = str(db or default_db_path())
    with Store(path):  # fail now, not after loading the model, when the file cannot be opened
        pass
    watcher = Watcher(
        parsed,
        db=path,
        rules=rules,
        fetcher=Fetcher(policy or FetchPolicy()),
        pipeline=pipeline,
        config=config,
        out=out,
    )
    reports: list[PollReport] = []
    try:
        while True:
            started = time.monotonic()
            try:
                reports.append(watcher.poll())
            except StoreError as exc:  # the file is locked by another writer: try next time
                reports.append(PollReport(delivery_errors=[f"database: {exc}"]))
            if on_poll:
                on_poll(reports[-1])
            if once or (polls is not None and len(reports) >= polls):
                return reports
            sleep(max(0.0, every - (time.monotonic() - started)))
    finally:
        watcher.close()
