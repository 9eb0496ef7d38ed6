"""The briefing: what changed since a date, in Markdown or HTML, every line with its sources.

``build_brief`` reads the store through the same queries as the API, so the briefing and
the dashboard never disagree. Sections: top stories, new or changed agreements, disputed
claims with who says what, and the sharpest shifts in relations (mean Goldstein score of a
pair's events after ``since`` against before it). A line's sources are article ids in
brackets; in HTML they link to the dashboard's article view.
"""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path
from typing import Any

from legation.api import queries as Q
from legation.store.db import Store

FORMATS = ("md", "html")


def _cite(ids: list[str], fmt: str) -> str:
    ids = [i for i in dict.fromkeys(ids) if i][:5]
    if not ids:
        return ""
    if fmt == "html":
        links = ", ".join(f'<a href="/#/article/{html.escape(i)}">{html.escape(i)}</a>' for i in ids)
        return f" [{links}]"
    return " [" + ", ".join(ids) + "]"


def _involves(codes: list[str], actor: str | None) -> bool:
    return actor is None or actor in codes


def _sides(e: dict[str, Any], side: str) -> list[str]:
    return sorted({a["code"] for a in e.get(side) or [] if a.get("code")})


def _stories(store: Store, since: str | None, actor: str | None) -> list[tuple[str, list[str]]]:
    lines = []
    for s in Q.stories(store):
        if since and str(s.get("last") or "") < since:
            continue
        ids = list(s.get("article_ids") or [])
        if actor:
            n_actor = Q.events(store, Q.EventFilter(story=str(s.get("id")), actor=actor), limit=1, offset=0)[
                1
            ]
            n_recipient = Q.events(
                store, Q.EventFilter(story=str(s.get("id")), recipient=actor), limit=1, offset=0
            )[1]
            if not n_actor + n_recipient:
                continue
        lines.append(
            (f"{s.get('title') or s.get('id')} ({s.get('n_articles')} articles, latest {s.get('last')})", ids)
        )
    if not lines:
        # No stories stage yet: the latest articles stand in, each its own story.
        involved = None
        if actor:
            involved = {
                e["article_id"]
                for e in Q.all_events(store)
                if actor in _sides(e, "actor") + _sides(e, "recipient")
            }
        for a in Q.articles(store, limit=200, offset=0)[0]:
            if a.get("duplicate_of") or (since and str(a.get("published") or "") < since):
                continue
            if involved is not None and a["id"] not in involved:
                continue
            lines.append(
                (
                    f"{a.get('title') or '(untitled)'} ({a.get('published') or 'undated'}, {a.get('site')})",
                    [a["id"]],
                )
            )
    return lines[:10]


def _agreements(store: Store, since: str | None, actor: str | None) -> list[tuple[str, list[str]]]:
    lines = []
    for ag in Q.agreements(store, party=actor):
        dates = {k: v for k, v in (ag.get("dates") or {}).items() if v}
        recent = {k: v for k, v in dates.items() if not since or str(v) >= since}
        if since and not recent:
            continue
        stages = ", ".join(f"{k} {v}" for k, v in sorted(recent.items(), key=lambda kv: str(kv[1])))
        parties = ", ".join(ag.get("parties") or [])
        lines.append(
            (
                f"{ag.get('name')} ({ag.get('kind') or 'agreement'}; {parties}): {ag.get('status') or '?'}"
                + (f"; {stages}" if stages else ""),
                list(ag.get("article_ids") or []),
            )
        )
    return lines


def _who(claim: dict[str, Any]) -> str:
    names = [str(x.get("code") or x.get("text") or "?") for x in claim.get("claimant") or []]
    return ", ".join(names) or "unattributed"


def _claims(store: Store, since: str | None, actor: str | None) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in Q.claims(store, disputed=True):
        groups[str(c.get("group_id") or c.get("id"))].append(c)
    lines = []
    for group in groups.values():
        claimants = [x.get("code") or x.get("text") for c in group for x in c.get("claimant") or []]
        if actor and actor not in claimants:
            continue
        if since and all(str(c.get("as_of") or "9999") < since for c in group):
            continue
        says = "; ".join(f"{_who(c)} says {c.get('value')} {c.get('unit') or ''}".strip() for c in group)
        head = f"{group[0].get('topic')}" + (
            f" ({group[0].get('subject')})" if group[0].get("subject") else ""
        )
        lines.append((f"{head}: {says}", [str(c.get("article_id")) for c in group]))
    return lines


def _shifts(store: Store, since: str | None, actor: str | None) -> list[tuple[str, list[str]]]:
    """Pairs whose mean Goldstein score moved most between before and after ``since``.

    Without ``since`` the split is the median event date, so "recent" means the later half.
    """
    evs = [e for e in Q.all_events(store) if e.get("date") and e.get("goldstein") is not None]
    if not evs:
        return []
    cut = since or sorted(str(e["date"]) for e in evs)[len(evs) // 2]
    pairs: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: {"before": [], "after": []}
    )
    for e in evs:
        for a in _sides(e, "actor"):
            for b in _sides(e, "recipient"):
                if a == b or not _involves([a, b], actor):
                    continue
                key = (min(a, b), max(a, b))
                pairs[key]["after" if str(e["date"]) >= cut else "before"].append(e)
    rows = []
    for (a, b), p in pairs.items():
        if not p["after"]:
            continue
        after = sum(float(e["goldstein"]) for e in p["after"]) / len(p["after"])
        before = sum(float(e["goldstein"]) for e in p["before"]) / len(p["before"]) if p["before"] else 0.0
        if p["before"] and abs(after - before) < 0.1:
            continue  # no shift worth a line
        rows.append((abs(after - before), a, b, before, after, p))
    rows.sort(key=lambda r: -r[0])
    lines = []
    for _delta, a, b, before, after, p in rows[:5]:
        direction = "warmer" if after > before else "cooler"
        basis = f"{before:+.1f} → {after:+.1f}" if p["before"] else f"new, {after:+.1f}"
        lines.append(
            (
                f"{a}–{b}: {direction} (mean Goldstein {basis}, {len(p['after'])} recent events)",
                [str(e["article_id"]) for e in p["after"]],
            )
        )
    return lines


def build_brief(
    db: str | Path, *, since: str | None = None, actor: str | None = None, fmt: str = "md"
) -> str:
    """The briefing for ``db`` as Markdown (``fmt="md"``) or a standalone HTML page.

    Args:
        db: the database file (opened read-only).
        since: ISO date; only what happened (or changed) on or after it. ``None``: everything.
        actor: an actor code; only lines that involve it.
        fmt: ``md`` or ``html``.

    Raises:
        ValueError: for an unknown format.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose md or html)")
    with Store(db, read_only=True) as store:
        sections = [
            ("Top stories", _stories(store, since, actor)),
            ("New or changed agreements", _agreements(store, since, actor)),
            ("Disputed claims", _claims(store, since, actor)),
            ("Sharpest shifts in relations", _shifts(store, since, actor)),
        ]
    scope = " ".join(
        x for x in (f"since {since}" if since else "", f"involving {actor}" if actor else "") if x
    )
    title = "Legation briefing" + (f" ({scope})" if scope else "")
    if fmt == "md":
        out = [f"# {title}", ""]
        for head, lines in sections:
            out += [f"## {head}", ""]
            out += [f"- {text}{_cite(ids, fmt)}" for text, ids in lines] or ["- nothing to report"]
            out.append("")
        return "\n".join(out)
    body = [f"<h1>{html.escape(title)}</h1>"]
    for head, lines in sections:
        body.append(f"<h2>{html.escape(head)}</h2><ul>")
        body += [f"<li>{html.escape(text)}{_cite(ids, fmt)}</li>" for text, ids in lines] or [
            "<li>nothing to report</li>"
        ]
        body.append("</ul>")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body>" + "\n".join(body) + "</body></html>\n"
    )
