"""The ``legation`` command: a thin layer over the library.

Every command calls one documented function (``legation.ingest.runner.ingest``,
``legation.store.export.export``, ``legation.store.stats.stats``); this module only parses
options, shows progress and formats results. Exit codes follow the contract: 0 success,
1 some inputs failed, 2 usage error.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from legation import __version__
from legation.actors.dictionary import ActorDictionary
from legation.brief import build_brief
from legation.ingest.bounds import MAX_BYTES, MAX_CHARS, MAX_HTML_CHARS, MAX_SECONDS, Bounds, parse_size
from legation.ingest.runner import ingest as run_ingest
from legation.ingest.sources import UsageError
from legation.pipeline import PipelineConfig
from legation.store.crossdoc_rows import iter_agreements, iter_claims
from legation.store.db import Store, StoreError, default_db_path
from legation.store.export import ExportError
from legation.store.export import export as run_export
from legation.store.stats import stats as get_stats
from legation.store.summary import refresh as refresh_summaries
from legation.watch.fetch import FetchPolicy
from legation.watch.poll import parse_interval
from legation.watch.poll import watch as run_watch
from legation.watch.report import PollReport
from legation.watch.rules import RulesError, load_rules

DB_HELP = "database file (default: $LEGATION_DB, else ./legation.duckdb)"


def _db(value: str | None) -> str:
    return value or default_db_path()


def _fail(message: str, code: int = 1) -> None:
    """An error on standard error, unwrapped (scripts grep it), and the exit code."""
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="legation")
def main() -> None:
    """Legation: news pages in, a source-attributed record of international security out."""


class _Size(click.ParamType):  # type: ignore[type-arg]
    """A byte count: ``20MB``, ``512KB``, ``1000000``."""

    name = "SIZE"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_size(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _bound_options(f: click.decorators.FC) -> click.decorators.FC:
    """The per-input bounds of ``legation ingest`` (docs/ingest.md)."""
    options = [
        click.option(
            "--max-seconds",
            type=click.FloatRange(min=0),
            default=None,
            help=f"wall time per input in a worker, 0 for none (default {MAX_SECONDS:g})",
        ),
        click.option(
            "--max-chars",
            type=click.IntRange(min=1),
            default=None,
            help=f"characters of clean body handed to the model; longer bodies are cut and coded "
            f"(default {MAX_CHARS:,})",
        ),
        click.option(
            "--max-html-chars",
            type=click.IntRange(min=1),
            default=None,
            help=f"characters of HTML markup (scripts and styles not counted) handed to the extractor "
            f"(default {MAX_HTML_CHARS:,})",
        ),
        click.option(
            "--max-bytes",
            type=_Size(),
            default=None,
            help=f"bytes read per input: a file, a JSONL line, a WARC record, a decompressed payload "
            f"(default {MAX_BYTES // 2**20}MB)",
        ),
    ]
    for option in options:
        f = option(f)
    return f


def _bounds(given: dict[str, float | int | None]) -> Bounds | None:
    """The bounds the options name (the others at their defaults), or None when none is given."""
    chosen = {k: v for k, v in given.items() if v is not None}
    if not chosen:
        return None
    try:
        return Bounds(**chosen)  # type: ignore[arg-type]
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--db", default=None, help=DB_HELP)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="worker processes (default: all cores; with --dask local, the cluster's size, default 2)",
)
@click.option(
    "--dask",
    "dask",
    default=None,
    metavar="ADDRESS|local",
    help="run the per-article stages on the Dask scheduler at ADDRESS (tcp://host:8786), or on a "
    "local Dask cluster started for this run; needs pip install 'legation[dask]' (see docs/dask.md)",
)
@click.option("--model", default=None, help="installed spaCy model package to load")
@click.option("--quiet", "-q", is_flag=True, help="no progress bar or summary, errors only")
@click.option(
    "--actors",
    "actors",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=str),
    help="extra actor dictionary YAML (repeatable; see docs/actors.md)",
)
@_bound_options
def ingest(
    paths: tuple[str, ...],
    db: str | None,
    workers: int | None,
    model: str | None,
    quiet: bool,
    actors: tuple[str, ...] = (),
    dask: str | None = None,
    max_bytes: int | None = None,
    max_html_chars: int | None = None,
    max_chars: int | None = None,
    max_seconds: float | None = None,
) -> None:
    """Read files and folders (.txt, .html, .htm, .jsonl, .warc, .warc.gz) into the database.

    Every input is bounded (--max-bytes, --max-html-chars, --max-chars, --max-seconds); one
    over a bound is named as failed and the run goes on.
    """

    err = Console(stderr=True)
    config = None
    if model or actors:
        config = PipelineConfig(extra={"actors": list(actors)})
        config.model = model or config.model
    show = err.is_terminal and not quiet
    progress = Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not show,
    )
    task = progress.add_task("ingest", total=None)
    bounds = _bounds(
        {
            "max_bytes": max_bytes,
            "max_html_chars": max_html_chars,
            "max_chars": max_chars,
            "max_seconds": max_seconds,
        }
    )

    def on_progress(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total)

    try:
        with progress:
            report = run_ingest(
                paths,
                db=_db(db),
                workers=workers,
                config=config,
                progress=on_progress,
                dask=dask,
                bounds=bounds,
            )
    except UsageError as exc:
        raise click.UsageError(str(exc)) from exc
    except (StoreError, RuntimeError) as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        # The batch in flight was rolled back; every committed batch stays.
        _fail("interrupted: what was committed is kept; run the same command again to complete", 130)
    for e in report.errors:
        click.echo(f"failed: {e}", err=True)
    if not quiet:
        parts = [
            f"{report.added} added",
            f"{report.duplicates} of them duplicates",
            f"{report.already_stored} already stored",
            f"{len(report.errors)} failed",
        ]
        if report.skipped:
            parts.append(f"{len(report.skipped)} non-article records skipped")
        click.echo(f"{report.files} files, {report.articles} articles: " + ", ".join(parts))
    sys.exit(report.exit_code)


@main.command()
@click.argument(
    "kind",
    type=click.Choice(
        ["articles", "events", "mentions", "claims", "agreements", "actors", "graph", "alerts"]
    ),
)
@click.option("--db", default=None, help=DB_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet", "plover", "gdelt", "graphml"]),
    default="jsonl",
    show_default=True,
    help="plover (PLOVER JSONL) and gdelt (GDELT-2.0-style TSV) are for events; graphml for graph",
)
@click.option("-o", "--output", default=None, help="output file (default: standard output)")
def export(kind: str, db: str | None, fmt: str, output: str | None) -> None:
    """Export KIND records in the contract's format (events also as PLOVER or GDELT TSV)."""

    try:
        run_export(kind, db=_db(db), fmt=fmt, out=sys.stdout if output is None else None, path=output)
    except ExportError as exc:
        raise click.UsageError(str(exc)) from exc
    except StoreError as exc:
        _fail(str(exc))


@main.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--json", "as_json", is_flag=True, help="print the figures as JSON")
@click.option(
    "--latest",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="list this many of the most recently published articles",
)
def stats(db: str | None, as_json: bool, latest: int) -> None:
    """What the database holds."""


    try:
        s = get_stats(_db(db), latest=latest)
    except StoreError as exc:
        _fail(str(exc))
        return
    if as_json:
        click.echo(json.dumps(s, indent=1, default=str))
        return
    con = Console(width=max(100, Console().width))
    con.print(f"[bold]{s['database']}[/bold] (schema v{s['schema_version']})", highlight=False)
    counts = Table(show_header=False, box=None, padding=(0, 2))
    counts.add_column(style="bold")
    counts.add_column(justify="right")
    for k in (
        "articles",
        "originals",
        "duplicates",
        "sites",
        "with_title",
        "with_author",
        "words",
        "events",
        "mentions",
        "claims",
        "agreements",
        "stories",
        "event_clusters",
    ):
        counts.add_row(k.replace("_", " "), f"{s.get(k, 0):,}")
    con.print(counts)
    if s["published_basis"]:
        basis = ", ".join(f"{k} {v}" for k, v in s["published_basis"].items())
        con.print(f"publication date found by: {basis}", highlight=False)
    if s["by_year"]:
        con.print(
            "articles by year: " + ", ".join(f"{k} {v}" for k, v in s["by_year"].items()), highlight=False
        )
    if s["latest"]:
        t = Table(title=f"latest {len(s['latest'])} articles", title_justify="left", box=None, padding=(0, 1))
        widths = {"published": 10, "by": 8, "site": 22, "title": 56}
        for col, w in widths.items():
            t.add_column(col, overflow="ellipsis", no_wrap=True, min_width=min(w, 10), max_width=w)
        for a in s["latest"]:
            title = (a["title"] or "(no title)") + (" [duplicate]" if a["duplicate"] else "")
            t.add_row(a["published"] or "-", a["published_basis"], a["site"], title)
        con.print(t)
    _print_sources(con, s.get("sources") or [], s.get("alerts", 0))


def _print_sources(con: Console, sources: list[dict[str, object]], alerts: int) -> None:
    """The watched sources and their health, under the counts of ``legation stats``; each
    source's last error on a line of its own (error texts are long, a table would fold them)."""
    if not sources:
        return
    t = Table(title=f"watched sources ({alerts:,} alerts)", title_justify="left", box=None, padding=(0, 1))
    for col in ("source", "kind", "items", "polls", "failures", "last success"):
        t.add_column(col, overflow="fold", max_width=60 if col == "source" else 20)
    for r in sources:
        t.add_row(
            str(r["source"]), str(r["kind"]), str(r["items"]), str(r["polls"]), str(r["failures"]),
            str(r.get("last_success") or "never"),
        )
    con.print(t)
    for r in sources:
        if r.get("last_error"):
            when, why = r["last_error_at"], r["last_error"]
            con.print(f"last error of {r['source']} ({when}): {why}", highlight=False, soft_wrap=True)


def _print_poll(report: PollReport, quiet: bool) -> None:
    """Each source's line (errors always, the rest unless --quiet) on standard error."""
    for s in report.sources:
        if s.error or not quiet:
            click.echo(s.line(), err=True)
        for p in s.problems:
            click.echo(f"  {s.kind} {s.source}: {p}", err=True)
    if report.recovered and not quiet:
        click.echo(f"recovered {report.recovered} items a stopped poll had fetched", err=True)
    for e in report.delivery_errors:
        click.echo(f"error: {e}", err=True)
    if not quiet:
        click.echo(f"{len(report.alerts)} new alerts", err=True)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--db", default=None, help=DB_HELP)
@click.option("--every", default="15m", show_default=True, help="time between polls: 90, 30s, 15m, 2h, 1d")
@click.option("--rules", "rules_file", default=None, type=click.Path(dir_okay=False, path_type=str),
              help="YAML alert rules (see docs/watch.md)")
@click.option("--once", is_flag=True, help="poll once and exit (exit 1 when a source failed)")
@click.option("--host-delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
              help="seconds between two requests to the same host")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
              help="seconds to connect and for each read")
@click.option("--model", default=None, help="installed spaCy model package to load")
@click.option("--quiet", "-q", is_flag=True, help="only errors and alerts")
def watch(
    sources: tuple[str, ...], db: str | None, every: str, rules_file: str | None, once: bool,
    host_delay: float, timeout: float, model: str | None, quiet: bool,
) -> None:
    """Keep the database current from folders, feeds (URL or file), sitemaps and pages, with alerts.

    SOURCE is a folder, a feed file, or a URL (feed, sitemap or page, told by its answer;
    prefix feed:, sitemap: or page: to fix it). Alerts go where the rules say (default: one
    line each on standard output); each source's outcome goes to standard error.
    """
    try:
        interval = parse_interval(every)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--every") from exc
    try:
        rules = load_rules(rules_file) if rules_file else None
    except RulesError as exc:
        raise click.BadParameter(str(exc), param_hint="--rules") from exc
    policy = FetchPolicy(timeout=timeout, host_delay=host_delay)
    config = PipelineConfig(model=model) if model else None
    try:
        reports = run_watch(
            sources, db=_db(db), every=interval, rules=rules, once=once, policy=policy, config=config,
            on_poll=lambda r: _print_poll(r, quiet),
        )
    except UsageError as exc:
        raise click.UsageError(str(exc)) from exc
    except StoreError as exc:
        _fail(str(exc))
        return
    except KeyboardInterrupt:
        # What each source committed is kept; the next start resumes from the stored state.
        _fail("interrupted: the next `legation watch` resumes where this one stopped", 130)
        return
    sys.exit(0 if all(r.ok for r in reports) else 1)


@main.command()
@click.option("--db", default=None, help=DB_HELP)
def migrate(db: str | None) -> None:
    """Upgrade a database written by an earlier Legation to this version's schema.

    Readers (`serve`, `export`, `stats`, `brief`) never write, so they refuse an older file and
    name this command; `ingest` migrates as it opens. Each migration is atomic.
    """
    path = _db(db)
    if not Path(path).exists():
        _fail(f"{path}: no such database")
    try:
        with Store(path, migrate=False) as s:
            before = s.version()
            after = s.migrate()
            refresh_summaries(s.con)  # no-op when they match the data
    except StoreError as exc:
        _fail(str(exc))
        return
    done = f"schema version {before} -> {after}" if before != after else f"already at version {after}"
    click.echo(f"{path}: {done}")


@main.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="address to bind (default: local only)")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--allowed-host",
    "allowed",
    multiple=True,
    help="a Host header to answer besides localhost and the bound address (repeatable; '*' for any)",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="server processes (uvicorn workers), each with its own snapshot copy: one per core to spare",
)
def serve(db: str | None, host: str, port: int, allowed: tuple[str, ...], workers: int) -> None:
    """The read-only HTTP API (/api/..., /openapi.json) and the dashboard (/).

    Requests naming another host are refused (400): a page elsewhere cannot reach the server
    through a DNS name pointed at this machine. Bound to every address (0.0.0.0, ::) without
    --allowed-host, any host is answered, as the user asked for a public server.
    """

    try:
        import uvicorn  # the serve extra: optional, so imported by the command that needs it

        from legation.api.app import ENV_DB, ENV_HOSTS, ENV_WORKERS, create_app

    except ImportError as exc:
        _fail(f"serving needs the 'serve' extra: pip install 'legation[serve]' ({exc})")
        return
    path = _db(db)
    if not Path(path).exists():
        _fail(f"{path}: no such database (run `legation ingest` first)")
    click.echo(f"serving {path} on http://{host}:{port}/", err=True)
    hosts = serve_hosts(host, allowed)
    if workers == 1:
        uvicorn.run(create_app(path, hosts), host=host, port=port, log_level="warning")
        return
    # Worker processes build their app from an import string, with the settings in the
    # environment they inherit.
    os.environ[ENV_DB], os.environ[ENV_WORKERS] = str(Path(path).resolve()), str(workers)
    if hosts is None:
        os.environ.pop(ENV_HOSTS, None)
    else:
        os.environ[ENV_HOSTS] = "\n".join(hosts)
    uvicorn.run(
        "legation.api.app:app_from_env", factory=True, workers=workers, host=host, port=port,
        log_level="warning",
    )


def serve_hosts(host: str, allowed: Sequence[str]) -> list[str] | None:
    """The Host values ``legation serve`` answers (None: any)."""
    if "*" in allowed or (host in ("0.0.0.0", "::") and not allowed):
        return None
    return sorted({"localhost", "127.0.0.1", "[::1]", "::1", host, *allowed})


@main.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--since", default=None, help="only what happened or changed on or after this ISO date")
@click.option("--actor", default=None, help="only lines involving this actor code (e.g. KOR)")
@click.option(
    "--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True, help="md or html"
)
@click.option("-o", "--output", default=None, help="output file (default: standard output)")
@click.option(
    "--base-url", default=None, help="dashboard address (http://host:8000): sources link to its article view"
)
def brief(
    db: str | None, since: str | None, actor: str | None, fmt: str, output: str | None, base_url: str | None
) -> None:
    """A briefing: top stories, agreements, disputed claims, shifts in relations, with sources."""


    if since is not None:
        try:
            dt.date.fromisoformat(since)
        except ValueError as exc:
            msg = f"{since!r} is not an ISO date (YYYY-MM-DD)"
            raise click.BadParameter(msg, param_hint="--since") from exc
    if actor is not None:

        if actor.upper() not in ActorDictionary.load().codes():
            msg = f"{actor!r} is no actor code the dictionary knows (e.g. KOR, EU, NATO)"
            raise click.BadParameter(msg, param_hint="--actor")
        actor = actor.upper()
    try:
        text = build_brief(_db(db), since=since, actor=actor, fmt=fmt, base_url=base_url)
    except StoreError as exc:
        _fail(str(exc))
        return
    if output:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("--db", default=None, help=DB_HELP)
@click.option("--disputed", is_flag=True, help="only claims whose group's figures disagree")
def claims(db: str | None, disputed: bool) -> None:
    """Numeric claims (one JSON record a line), grouped by topic across articles."""


    try:
        with Store(_db(db), read_only=True) as store:
            for rec in iter_claims(store, disputed_only=disputed):
                click.echo(json.dumps(rec, ensure_ascii=False))
    except StoreError as exc:
        _fail(str(exc))


@main.command()
@click.option("--db", default=None, help=DB_HELP)
def agreements(db: str | None) -> None:
    """The agreements registry (one JSON record a line, one record per agreement)."""


    try:
        with Store(_db(db), read_only=True) as store:
            for rec in iter_agreements(store):
                click.echo(json.dumps(rec, ensure_ascii=False))
    except StoreError as exc:
        _fail(str(exc))


if __name__ == "__main__":
    main()
