"""The briefing: what changed since a date, in Markdown or HTML, every line with its sources.

``build_brief`` reads the store through the same queries as the API, so the briefing and
the dashboard never disagree. Sections: top stories, new or changed agreements, disputed
claims with who says what, and the sharpest shifts in relations (mean Goldstein score of a
pair's events after ``since`` against before it). A line's sources are the cited articles'
titles, sites and dates; they link to the dashboard's article view when a base URL is given,
else to the article's own URL. An agreement's stage date the text does not give says how it
was found ("announced 2024-11-16 (publication date)", from the record's ``date_basis``).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import urlsplit

from legation.api import queries as Q
from legation.store.db import Store

FORMATS = ("md", "html")


Refs = dict[str, dict[str, Any]]


def _href(article_id: str, ref: dict[str, Any], base_url: str | None) -> str | None:
    """Where a citation links: the dashboard's article view at ``base_url`` (absolute, so the
    file works opened from disk), else the article's own URL, else nothing."""
    if base_url:
        return f"{base_url.rstrip('/')}/#/article/{article_id}"
    url = ref.get("url")
    return str(url) if url else None


def _label(article_id: str, ref: dict[str, Any]) -> str:
    """ "Title (Site, 2024-11-05)"; an untitled page is named by its address or its file, the id
    only when it has neither (a hash tells a reader nothing)."""
    title = " ".join(str(ref.get("title") or "").split()) or _untitled(ref) or article_id
    site, day = ref.get("site"), str(ref.get("published") or "")[:10]
    extra = ", ".join(str(x) for x in (site, day) if x)
    return f"{title} ({extra})" if extra else title


def _untitled(ref: dict[str, Any]) -> str:
    """A name for a page with no title: "host: last words of its path", else its file name."""
    url = urlsplit(str(ref.get("url") or ""))
    if url.netloc:
        leaf = next((p for p in reversed(url.path.split("/")) if re.search(r"[A-Za-z]{3}", p)), "")
        words = re.sub(r"\.(?:html?|php|aspx?)$", "", leaf).replace("-", " ").replace("_", " ").strip()
        host = url.netloc.removeprefix("www.")
        return f"{host}: {words[:90]}" if words else host
    return PurePath(str(ref.get("source") or "")).name


def _cite(ids: list[str], fmt: str, refs: Refs, base_url: str | None = None) -> str:
    ids = [i for i in dict.fromkeys(ids) if i][:5]
    if not ids:
        return ""
    parts = []
    for i in ids:
        ref = refs.get(i, {})
        label, href = _label(i, ref), _href(i, ref, base_url)
        if fmt == "html":
            text = html.escape(label)
            parts.append(f'<a href="{html.escape(href)}">{text}</a>' if href else text)
        else:
            parts.append(f"[{label}]({href})" if href else label)
    if fmt == "html":
        return ' <span class="src">— ' + "; ".join(parts) + "</span>"
    return " — sources: " + "; ".join(parts)


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
        count = articles_count(s.get("n_articles"))
        lines.append((f"{s.get('title') or s.get('id')} ({count}, latest {s.get('last')})", ids))
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


#: How a stage date that the text does not give was found, as the briefing says it: a
#: publication or dateline date is when the page or the item appeared, not the step itself.
_BASIS_NOTE = {"published": " (publication date)", "dateline": " (dateline date)"}


def _agreements(store: Store, since: str | None, actor: str | None) -> list[tuple[str, list[str]]]:
    lines = []
    for ag in Q.agreements(store, party=actor):
        dates = {k: v for k, v in (ag.get("dates") or {}).items() if v}
        recent = {k: v for k, v in dates.items() if not since or str(v) >= since}
        if since and not recent:
            continue
        basis = ag.get("date_basis") or {}
        stages = ", ".join(
            f"{k} {v}{_BASIS_NOTE.get(basis.get(k, ''), '')}"
            for k, v in sorted(recent.items(), key=lambda kv: str(kv[1]))
        )
        parties = ", ".join(ag.get("parties") or [])
        lines.append(
            (
                f"{ag.get('name')} ({ag.get('kind') or 'agreement'}; {parties}): {ag.get('status') or '?'}"
                + (f"; {stages}" if stages else ""),
                list(ag.get("article_ids") or []),
            )
        )
    return lines


def articles_count(n: Any) -> str:
    """ "1 article", "3 articles"."""
    return f"{n} article{'' if n == 1 else 's'}"


def _who(claim: dict[str, Any]) -> str:
    """The named source and its code: "the South Korean National Intelligence Service (KOR)"."""
    names = []
    for x in claim.get("claimant") or []:
        text, code = x.get("text"), x.get("code")
        names.append(f"{text} ({code})" if text and code and text != code else str(text or code or "?"))
    return ", ".join(names) or "unattributed"


def figure(claim: dict[str, Any]) -> str:
    """A claimed figure as a reader writes it: qualifier, thousands separators, unit, kind.

    "more than 10,000 soldiers (projection)", "$394,000,000 USD" rather than "10000.0 soldiers".
    """
    value = claim.get("value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    number = f"{value:,}" if isinstance(value, (int, float)) else str(value)
    parts = [str(claim.get("qualifier") or ""), number, str(claim.get("unit") or "")]
    kind = claim.get("claim_kind")
    text = " ".join(p for p in parts if p)
    return f"{text} ({kind})" if kind and kind != "count" else text


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
        says = "; ".join(f"{_who(c)} says {figure(c)}" for c in group)
        head = f"{group[0].get('topic')}" + (
            f" ({group[0].get('subject')})" if group[0].get("subject") else ""
        )
        lines.append((f"{head}: {says}", [str(c.get("article_id")) for c in group]))
    return lines


#: A shift needs this many recent events of the pair, from this many articles, each coded with
#: at least this confidence (the coder's: classifier score with the lexicon's agreement).
SHIFT_MIN_EVENTS = 3
SHIFT_MIN_SOURCES = 2
SHIFT_MIN_CONFIDENCE = 0.5
#: A known pair's mean must move by this many standard errors of the difference of two means,
#: each event's spread taken as that of all events considered (a z-test; 1.96 is the two-sided
#: 95 % point). Without it, three events moving a mean from -2.0 to -1.8 made a "warmer" line:
#: on a -10..+10 scale whose events spread by about 5, that move is noise.
SHIFT_Z = 1.96


def _confidence(event: dict[str, Any]) -> float:
    """The coder's confidence; events stored before it was recorded count as sure."""
    value = event.get("confidence")
    return float(value) if isinstance(value, (int, float)) else 1.0


def _usable(e: dict[str, Any]) -> bool:
    """An event a shift may use: dated, scored, coded with at least :data:`SHIFT_MIN_CONFIDENCE`."""
    return bool(e.get("date")) and e.get("goldstein") is not None and _confidence(e) >= SHIFT_MIN_CONFIDENCE


def _sentence(event: dict[str, Any]) -> str:
    return " ".join(str((event.get("text_info") or {}).get("sentence") or "").split())


@dataclass(frozen=True)
class Shift:
    """A pair whose mean Goldstein score moved: ``before`` is None when the pair is new."""

    a: str
    b: str
    before: float | None
    after: float
    recent: list[dict[str, Any]]

    @property
    def delta(self) -> float:
        return self.after - (self.before or 0.0)

    @property
    def direction(self) -> str:
        return "warmer" if self.delta > 0 else "cooler"


def relation_shifts(events: list[dict[str, Any]], cut: str, actor: str | None = None) -> list[Shift]:
    """Pairs whose mean Goldstein score moved between events dated before ``cut`` and from
    it on, sharpest first. Pure: the briefing and the watch's shift alerts share it.

    A shift needs :data:`SHIFT_MIN_EVENTS` recent events of the pair from
    :data:`SHIFT_MIN_SOURCES` articles, each coded with at least :data:`SHIFT_MIN_CONFIDENCE`;
    a known pair whose mean moved less than 0.1, or by less than :data:`SHIFT_Z` standard errors,
    is no shift.
    """
    pairs: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = defaultdict(
        lambda: {"before": [], "after": []}
    )
    usable = [e for e in events if _usable(e)]
    for e in usable:
        for a in _sides(e, "actor"):
            for b in _sides(e, "recipient"):
                if a == b or not _involves([a, b], actor):
                    continue
                key = (min(a, b), max(a, b))
                pairs[key]["after" if str(e["date"]) >= cut else "before"].append(e)
    scores = [float(e["goldstein"]) for e in usable]
    # Each score's spread, from all events considered (the z-test of SHIFT_Z).
    sigma = statistics.pstdev(scores) if len(scores) > 1 else 0.0
    rows = []
    for (a, b), p in pairs.items():
        sources = {e.get("article_id") for e in p["after"]}
        if len(p["after"]) < SHIFT_MIN_EVENTS or len(sources) < SHIFT_MIN_SOURCES:
            continue  # one event, or one article's events, is not a shift
        after = sum(float(e["goldstein"]) for e in p["after"]) / len(p["after"])
        before = sum(float(e["goldstein"]) for e in p["before"]) / len(p["before"]) if p["before"] else None
        if before is not None:
            noise = SHIFT_Z * sigma * math.sqrt(1 / len(p["before"]) + 1 / len(p["after"]))
            if abs(after - before) < max(0.1, noise):
                continue  # no shift worth a line
        rows.append(Shift(a, b, before, after, p["after"]))
    rows.sort(key=lambda r: -abs(r.delta))
    return rows


def shifts(store: Store, since: str | None, actor: str | None) -> tuple[str | None, list[Shift]]:
    """The cut and the pairs whose mean Goldstein score moved most between before and after
    ``since``, sharpest first (the briefing's section and ``GET /api/shifts``).

    Without ``since`` the split is the median event date, so "recent" means the later half.
    """
    evs = [e for e in Q.all_events(store) if _usable(e)]
    if not evs:
        return None, []
    cut = since or sorted(str(e["date"]) for e in evs)[len(evs) // 2]
    return cut, relation_shifts(evs, cut, actor)


def _shifts(store: Store, since: str | None, actor: str | None) -> list[tuple[str, list[str]]]:
    """The briefing's lines for the five sharpest shifts, each with its articles."""
    _, found = shifts(store, since, actor)
    lines = []
    for s in found[:5]:
        basis = f"{s.before:+.1f} → {s.after:+.1f}" if s.before is not None else f"new, {s.after:+.1f}"
        behind = "; ".join(f"{e.get('date')} {e.get('event')} ({_sentence(e)[:80]})" for e in s.recent[:5])
        lines.append(
            (
                f"{s.a}–{s.b}: {s.direction} (mean Goldstein {basis}, {len(s.recent)} recent events from "
                f"{len({e.get('article_id') for e in s.recent})} sources: {behind})",
                list(dict.fromkeys(str(e["article_id"]) for e in s.recent)),
            )
        )
    return lines


_CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:52rem;margin:2rem auto;
padding:0 1rem;color:#1b1f24;background:#fff}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:1.8rem;
border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
.meta{color:#57606a;font-size:.9rem}ul{padding-left:1.2rem}li{margin:.45rem 0}
.src{color:#57606a;font-size:.88rem}a{color:#0a58ca}
"""


def build_brief(
    db: str | Path,
    *,
    since: str | None = None,
    actor: str | None = None,
    fmt: str = "md",
    base_url: str | None = None,
    now: dt.datetime | None = None,
) -> str:
    """The briefing for ``db`` as Markdown (``fmt="md"``) or a self-contained HTML page.

    Args:
        db: the database file (opened read-only).
        since: ISO date; only what happened (or changed) on or after it. ``None``: everything.
        actor: an actor code; only lines that involve it.
        fmt: ``md`` or ``html``.
        base_url: where the dashboard is served ("http://host:8000"): sources link to its
            article view. Without it they link to the article's own URL.
        now: when the briefing is made (the header says so); defaults to the current time.

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
        refs = Q.article_refs(store, [i for _, lines in sections for _, ids in lines for i in ids])
    scope = " ".join(
        x for x in (f"since {since}" if since else "", f"involving {actor}" if actor else "") if x
    )
    title = "Legation briefing" + (f" ({scope})" if scope else "")
    made = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    period = f"period: {since} to {made[:10]}" if since else "period: everything stored"
    meta = f"{period}; made {made}"
    if fmt == "md":
        out = [f"# {title}", "", f"_{meta}_", ""]
        for head, lines in sections:
            out += [f"## {head}", ""]
            out += [f"- {text}{_cite(ids, fmt, refs, base_url)}" for text, ids in lines] or [
                "- nothing to report"
            ]
            out.append("")
        return "\n".join(out)
    body = [f"<h1>{html.escape(title)}</h1>", f'<p class="meta">{html.escape(meta)}</p>']
    for head, lines in sections:
        body.append(f"<h2>{html.escape(head)}</h2><ul>")
        body += [f"<li>{html.escape(text)}{_cite(ids, fmt, refs, base_url)}</li>" for text, ids in lines] or [
            "<li>nothing to report</li>"
        ]
        body.append("</ul>")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )
