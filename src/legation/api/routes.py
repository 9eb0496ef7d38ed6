"""The ``/api/...`` endpoints: thin over ``legation.api.queries``.

Lists answer ``{"items": [...], "total": N}`` with ``limit`` 1–1000 (default 100) and
``offset`` ≥ 0, as the contract fixes. Dates are ISO (``2024``, ``2024-11`` or
``2024-11-04``); anything else is refused with the parameter named.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import StreamingResponse

from legation.actors.dictionary import ActorDictionary
from legation.api import plover
from legation.api import queries as Q
from legation.api import queries_actor as A
from legation.api import queries_chart as C
from legation.api import queries_dash as D
from legation.api import search as S
from legation.api.answer import JSONRoute
from legation.api.deps import ParamError, open_store
from legation.api.download import Format, download
from legation.brief import shifts
from legation.events.lexicon import PLOVER_TYPES
from legation.extract.lifecycle import STATUSES, stages_payload
from legation.store.db import Store
from legation.store.export import iter_records
from legation.store.watch_rows import alerts_page

router = APIRouter(route_class=JSONRoute)

#: The 16 PLOVER event types of the contract (the lexicon module holds the one list).
PLOVER_EVENTS = PLOVER_TYPES

StoreDep = Annotated[Store, Depends(open_store)]
Limit = Annotated[int, Query(ge=1, le=1000, description="page size, 1–1000")]
#: Past this an offset is a 422, not a database overflow (DuckDB's BIGINT ends at 2**63 - 1).
MAX_OFFSET = 100_000_000
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description=f"items to skip, 0–{MAX_OFFSET}")]
DateParam = Annotated[str | None, Query(description="ISO date: YYYY, YYYY-MM or YYYY-MM-DD", max_length=10)]
Text = Annotated[str | None, Query(max_length=200)]
FormatParam = Annotated[
    Format | None,
    Query(description="csv, json or jsonl: download every match (limit and offset ignored, bounded)"),
]
Answer = dict[str, Any] | StreamingResponse


def _date(name: str, value: str | None) -> str | None:
    """Check an ISO (possibly reduced) date and return it unchanged."""
    if value is None or value == "":
        return None
    try:
        if len(value) == 4 and value.isdigit():
            return value
        if len(value) == 7:
            dt.date.fromisoformat(value + "-01")
            return value
        if len(value) == 10:
            dt.date.fromisoformat(value)
            return value
    except ValueError:
        pass
    raise ParamError(name, f"{value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")


def _window(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    s, u = _date("since", since), _date("until", until)
    if s and u and s > u:
        raise ParamError("since", f"{s} is after until={u}")
    return s, u


#: The agreement statuses: the stages of ``data/agreements/stages.yaml``, then "mentioned".
AGREEMENT_STATUSES = STATUSES


def _actor_param(name: str, value: str | None) -> str | None:
    """A code in any case, an actor_id, or a dictionary name, as the stored code or id.

    "prk" and "North Korea" are PRK. A value that is none of these is a 422 naming it (an
    unknown actor is not an empty result: it is a typo the user should see).
    """
    if value is None or not value.strip():
        return None  # an empty filter box filters nothing
    value = value.strip()
    d = ActorDictionary.load()
    if value.upper() in d.codes():
        return value.upper()
    if d.get(value) is not None:
        return value
    found = [e for e in d.lookup(value) if e.code]
    if found:
        return str(found[0].code) if found[0].kind != "person" else found[0].actor_id
    raise ParamError(name, f"{value!r} is no actor code, id or name the dictionary knows")


def _found(rec: dict[str, Any] | None, what: str, key: str) -> dict[str, Any]:
    """``rec``, or a 404 naming what was not found."""
    if rec is None:
        raise HTTPException(404, f"no {what} {key!r}")
    return rec


def _listing(items: list[dict[str, Any]], total: int) -> dict[str, Any]:
    return {"items": items, "total": total}


def _answer(
    request: Request, store: Store, kind: str, fetch: Q.Fetch, fmt: Format | None, limit: int, offset: int
) -> Answer:
    """One page as JSON, or with ``format`` every match as a download."""
    if fmt:
        return download(request, store, kind, fetch, fmt)
    return _listing(*fetch(store, limit, offset))


@router.get("/types")
def plover_types() -> dict[str, Any]:
    """The 16 PLOVER event types in the manual's order with their rules (quad class, whether a
    recipient or a partner is required, ...), and the quad classes' names: the dashboard's
    filters read them here instead of keeping a copy (``data/plover/types.yaml``). Also the
    agreement lifecycle stages (``agreement_stages``: key and label, in lifecycle order, from
    ``data/agreements/stages.yaml``), the columns of the dashboard's agreements table."""
    return {**plover.shipped_payload(), "agreement_stages": stages_payload()}


@router.get("/overview")
def overview(store: StoreDep) -> dict[str, Any]:
    """Counts and the latest stories and articles, for the dashboard's front page."""
    data = Q.overview(store)
    data["stories"] = Q.stories_page(store, 10, 0)[0]
    data["latest_articles"] = [
        {k: a[k] for k in ("id", "title", "site", "published", "story_id")}
        for a in Q.articles(store, limit=10, offset=0)[0]
    ]
    return data


@router.get("/articles", response_model=None)
def articles(
    request: Request,
    store: StoreDep,
    limit: Limit = 100,
    offset: Offset = 0,
    q: Text = None,
    story: Text = None,
    format: FormatParam = None,
) -> Answer:
    """Articles, newest first; ``q`` searches title and text, ``story`` keeps one story."""

    def fetch(st: Store, n: int, skip: int) -> Q.Page:
        return Q.articles(st, limit=n, offset=skip, q=q, story=story)

    return _answer(request, store, "articles", fetch, format, limit, offset)


@router.get("/articles/{article_id}")
def article(article_id: str, store: StoreDep) -> dict[str, Any]:
    """One article with its actor ``mentions`` and ``events`` (offsets into ``text``)."""
    return _found(Q.article(store, article_id), "article", article_id)


def event_filter(
    actor: Text = None,
    recipient: Text = None,
    event: Text = None,
    quad: Annotated[int | None, Query(ge=1, le=4, description="1–4")] = None,
    relation: Annotated[
        str | None,
        Query(pattern="^(cooperation|conflict)$", description="cooperation: quads 1–2; conflict: 3–4"),
    ] = None,
    since: DateParam = None,
    until: DateParam = None,
    story: Text = None,
    q: Text = None,
    country: Annotated[str | None, Query(max_length=3, description="ISO alpha-3 code of the place")] = None,
    place: Annotated[str | None, Query(max_length=200, description="the place's name, exactly")] = None,
) -> Q.EventFilter:
    """The filters of ``/api/events`` (shared by its histogram and places). ``actor`` and
    ``recipient`` take a code (any case), an actor_id or a name the dictionary knows."""
    actor, recipient = _actor_param("actor", actor), _actor_param("recipient", recipient)
    if event is not None:
        event = event.upper()
        if event not in PLOVER_EVENTS:
            raise ParamError("event", f"{event!r} is not a PLOVER event type ({', '.join(PLOVER_EVENTS)})")
    s, u = _window(since, until)
    return Q.EventFilter(
        actor=actor,
        recipient=recipient,
        event=event,
        quad=quad,
        relation=relation,
        since=s,
        until=u,
        story=story,
        q=q,
        country=country or None,
        place=place or None,
    )


EventFilterDep = Annotated[Q.EventFilter, Depends(event_filter)]


@router.get("/events", response_model=None)
def events(
    request: Request,
    store: StoreDep,
    f: EventFilterDep,
    limit: Limit = 100,
    offset: Offset = 0,
    format: FormatParam = None,
) -> Answer:
    """Event mentions, newest first. ``actor``/``recipient`` take a code (any case), an
    actor_id or a name the dictionary knows ("North Korea"); ``country``/``place`` keep the
    events located there."""

    def fetch(st: Store, n: int, skip: int) -> Q.Page:
        return Q.events(st, f, limit=n, offset=skip)

    return _answer(request, store, "events", fetch, format, limit, offset)


@router.get("/events/histogram")
def events_histogram(
    store: StoreDep,
    f: EventFilterDep,
    bucket: Annotated[C.Bucket, Query(description="day, week or month")] = "day",
    by: Annotated[C.By, Query(description="quad (class) or type (PLOVER event)")] = "quad",
) -> list[dict[str, Any]]:
    """Events per time bucket and quad class or type, with the filters of ``/api/events``:
    ``[{"bucket": "2024-11-04", "precision": "day", "key": "1", "n": 3}, ...]``. A date known
    to the week or month only counts in a bucket of that precision (label: the Monday, or
    ``YYYY-MM``); undated events are in the ``unknown`` bucket."""
    return C.histogram(store, f, bucket, by)


@router.get("/events/places")
def events_places(
    store: StoreDep,
    f: EventFilterDep,
    digits: Annotated[int, Query(ge=0, le=2, description="decimals the coordinates are rounded to")] = 0,
) -> dict[str, Any]:
    """Located events matching the filters of ``/api/events``, clustered by coordinates
    rounded to ``digits`` decimals: ``{"clusters": [{"lat", "lon", "n", "places",
    "countries"}, ...], "unplaced": N}``."""
    return C.places(store, f, digits)


@router.get("/events/{event_id}")
def event(event_id: str, store: StoreDep) -> dict[str, Any]:
    """One event with ``mentions`` (every event record of its cluster) and their ``articles``."""
    return _found(Q.event(store, event_id), "event", event_id)


def _actors(store: Store) -> list[dict[str, Any]]:

    return list(iter_records(store, "actors"))


@router.get("/actors")
def actors(
    store: StoreDep,
    limit: Limit = 100,
    offset: Offset = 0,
    q: Text = None,
    kind: Annotated[str | None, Query(pattern="^(state|igo|person|org|group)$")] = None,
    present: Annotated[bool, Query(description="true: only actors mentioned in the data")] = False,
    sort: Annotated[str, Query(pattern="^(dictionary|mentions)$")] = "dictionary",
) -> dict[str, Any]:
    """Actors of the dictionary, each with its number of ``mentions`` in the data. ``q``
    matches names, aliases and codes by prefix or substring, any case, best matches first (the
    dashboard's autocomplete); ``kind`` keeps one kind; ``present`` only those mentioned;
    ``sort=mentions`` orders by mention count."""
    items = _actors(store)
    if kind:
        items = [a for a in items if a.get("kind") == kind]
    if q and q.strip():
        items = S.match_actors(items, q)
    counts = D.mention_counts(store, items)
    items = [{**a, "mentions": counts.get(str(a.get("actor_id")), 0)} for a in items]
    if present:
        items = [a for a in items if a["mentions"]]
    if sort == "mentions":
        items.sort(key=lambda a: -int(a["mentions"]))
    return _listing(*Q.page(items, limit, offset))


@router.get("/search")
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="words to find, any case")],
    limit: Annotated[int, Query(ge=1, le=100, description="hits per kind, 1–100")] = 10,
) -> dict[str, Any]:
    """Articles, events, actors, claims and agreements containing ``q`` (case-insensitive
    substring; no full-text index: DuckDB's ``fts`` extension is not available offline)."""
    return S.search(store, q.strip() or q, limit)


@router.get("/actors/{actor_id}")
def actor(actor_id: str, store: StoreDep) -> dict[str, Any]:
    """One actor (by actor_id or code) with roles, a monthly timeline and relations."""
    everyone = _actors(store)
    found = next((a for a in everyone if a.get("actor_id") == actor_id), None)
    found = found or next(
        (a for a in everyone if a.get("code") == actor_id and a.get("kind") in ("state", "igo")), None
    )
    return A.actor_detail(store, _found(found, "actor", actor_id))


@router.get("/claims", response_model=None)
def claims(
    request: Request,
    store: StoreDep,
    limit: Limit = 100,
    offset: Offset = 0,
    disputed: Annotated[bool | None, Query(description="true: only disputed; false: only agreed")] = None,
    topic: Text = None,
    format: FormatParam = None,
) -> Answer:
    """Claims (empty until the claims stage has run)."""

    def fetch(st: Store, n: int, skip: int) -> Q.Page:
        return Q.claims_page(st, disputed=disputed, topic=topic, limit=n, offset=skip)

    return _answer(request, store, "claims", fetch, format, limit, offset)


@router.get("/agreements", response_model=None)
def agreements(
    request: Request,
    store: StoreDep,
    limit: Limit = 100,
    offset: Offset = 0,
    party: Text = None,
    status: Text = None,
    other: Annotated[str | None, Query(max_length=200, description="a second party, as party")] = None,
    format: FormatParam = None,
) -> Answer:
    """Agreements (empty until the agreements stage has run). ``party`` takes a code in any
    case; ``status`` is one of the lifecycle stages or ``mentioned``."""
    if status is not None and status.lower() not in AGREEMENT_STATUSES:
        raise ParamError("status", f"{status!r} is not a status ({', '.join(AGREEMENT_STATUSES)})")
    party, other = _actor_param("party", party), _actor_param("other", other)
    status = status.lower() if status else None

    def fetch(st: Store, n: int, skip: int) -> Q.Page:
        items, total = Q.page(Q.agreements(st, party=party, status=status, other=other), n, skip)
        D.agreement_sentences(st, items)
        return items, total

    return _answer(request, store, "agreements", fetch, format, limit, offset)


@router.get("/stories")
def stories(store: StoreDep, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Stories, largest first (empty until the stories stage has run)."""
    return _listing(*Q.stories_page(store, limit, offset))


ALERT_KINDS = ("event", "agreement", "disputed", "shift")


@router.get("/alerts", response_model=None)
def alerts(
    request: Request,
    store: StoreDep,
    limit: Limit = 100,
    offset: Offset = 0,
    rule: Text = None,
    kind: Text = None,
    format: FormatParam = None,
) -> Answer:
    """Alerts fired by ``legation watch``, newest first (empty until a watch with rules ran).
    ``rule`` keeps one rule's (its name, exactly); ``kind`` one kind of fact."""
    if kind is not None and kind.lower() not in ALERT_KINDS:
        raise ParamError("kind", f"{kind!r} is not a kind of alert ({', '.join(ALERT_KINDS)})")
    kind = kind.lower() if kind else None

    def fetch(st: Store, n: int, skip: int) -> Q.Page:
        items, total = alerts_page(st, limit=n, offset=skip, rule=rule, kind=kind)
        D.alert_spans(st, items)
        return items, total

    return _answer(request, store, "alerts", fetch, format, limit, offset)


@router.get("/graph")
def graph(store: StoreDep, since: DateParam = None, until: DateParam = None) -> dict[str, Any]:
    """Actors as nodes; cooperation, conflict and agreement edges within ``since``..``until``."""
    s, u = _window(since, until)
    return A.graph(store, s, u)


def _evidence(e: dict[str, Any]) -> dict[str, Any]:
    """An event behind a shift: enough to list it and open its sentence."""
    info = e.get("text_info") or {}
    keep = ("id", "article_id", "date", "event", "goldstein", "quad")
    return {**{k: e.get(k) for k in keep}, **{k: info.get(k) for k in ("sentence", "start", "end")}}


@router.get("/shifts")
def relation_shifts(
    store: StoreDep,
    since: DateParam = None,
    actor: Text = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> dict[str, Any]:
    """Pairs whose mean Goldstein score moved between events dated before ``since`` and from it
    on (default: the median event date), sharpest first, as the briefing computes them; each
    with its recent events and their sentence offsets, so a shift opens its evidence."""
    code = _actor_param("actor", actor)
    cut, found = shifts(store, _date("since", since), code)
    items = [
        {
            "a": s.a,
            "b": s.b,
            "before": s.before,
            "after": round(s.after, 2),
            "delta": round(s.delta, 2),
            "direction": s.direction,
            "events": [_evidence(e) for e in s.recent],
        }
        for s in found[:limit]
    ]
    return {"cut": cut, "items": items, "total": len(found)}
