"""What a database holds, for ``legation stats`` and the end of ``make demo``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from legation.store.db import Store
from legation.store.watch_rows import alerts_count, sources_health


def stats(db: str | Path | None = None, *, latest: int = 20) -> dict[str, Any]:
    """Counts that tell a user at a glance what was found.

    Returns a dict with the schema version, article counts (originals and duplicates), sites,
    publication-date bases, the articles per year, the last run, and the ``latest`` most
    recently published articles (title, date and how it was found, site, duplicate flag), the
    sources ``legation watch`` polls with their health (last success, last error, items) and
    the number of alerts fired.
    """
    with Store(db, read_only=True) as s:
        out: dict[str, Any] = {
            "database": s.path,
            "schema_version": s.version(),
            "articles": s.scalar("SELECT count(*) FROM articles"),
            "originals": s.scalar("SELECT count(*) FROM articles WHERE duplicate_of IS NULL"),
            "duplicates": s.scalar("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"),
            "sites": s.scalar("SELECT count(DISTINCT site) FROM articles WHERE site IS NOT NULL"),
            "with_title": s.scalar("SELECT count(*) FROM articles WHERE title IS NOT NULL"),
            "with_author": s.scalar("SELECT count(*) FROM articles WHERE len(author) > 0"),
            "words": s.scalar("SELECT coalesce(sum(len(string_split(text, ' '))), 0) FROM articles"),
        }
        out["published_basis"] = {
            r["published_basis"]: r["n"]
            for r in s.iter_rows(
                "SELECT published_basis, count(*) AS n FROM articles GROUP BY 1 ORDER BY 2 DESC, 1"
            )
        }
        out["by_year"] = {
            str(r["y"]): r["n"]
            for r in s.iter_rows(
                "SELECT year(published_date) AS y, count(*) AS n FROM articles "
                "WHERE published_date IS NOT NULL GROUP BY 1 ORDER BY 1"
            )
        }
        for kind in ("events", "mentions", "claims", "agreements", "stories", "event_clusters"):
            out[kind] = s.scalar(f"SELECT count(*) FROM {kind}") if s.has_table(kind) else 0
        last = list(
            s.iter_rows(
                "SELECT run_id, started, finished, added, skipped, failed FROM ingest_runs "
                "ORDER BY started DESC LIMIT 1"
            )
        )
        out["last_run"] = last[0] if last else None
        out["sources"] = sources_health(s)
        out["alerts"] = alerts_count(s)
        out["latest"] = list(
            s.iter_rows(
                "SELECT id, title, published, published_basis, coalesce(site, '') AS site, "
                "duplicate_of IS NOT NULL AS duplicate FROM articles "
                "ORDER BY published_date DESC NULLS LAST, seq LIMIT ?",
                [latest],
            )
        )
    return out
