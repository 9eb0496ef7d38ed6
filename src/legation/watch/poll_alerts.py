"""The alert half of a poll: read what is new, match the rules, store, deliver.

Events are matched once, in ``seq`` order, past a watermark that moves in the same transaction
as the alerts it produced; agreements, disputed claim groups and relation shifts are states,
matched in full on each poll, their alerts kept once by id. Delivery comes after storage and
is recorded per action, so a kill between the two delivers on the next start what was stored
and not yet delivered, and nothing twice (a webhook that fails is tried again on the next
polls, up to ``watch_rows.MAX_DELIVERY_ATTEMPTS``).
"""

from __future__ import annotations

import datetime as dt
from typing import IO

import httpx

from legation.store import watch_rows as W
from legation.store.db import Store
from legation.watch.alerts import (
    Alert,
    agreement_alerts,
    deliver,
    disputed_alerts,
    event_alerts,
    shift_alerts,
    shift_cut,
)
from legation.watch.fetch import FetchError
from legation.watch.rules import Rule, Rules

#: Articles whose events are matched per transaction (bounded memory on a first poll of a big
#: database, whose every stored event is new to the rules).
EVENT_CHUNK = 2000
#: How far before a shift's window its "before" mean reaches back, in days.
SHIFT_LOOKBACK_DAYS = 365


def _event_pass(store: Store, rules: list[Rule], fired: str) -> list[Alert]:
    """Events past each rule's watermark, read once for all rules, a chunk per transaction."""
    if not rules:
        return []
    top = W.max_seq(store)
    marks = {r.name: W.events_watermark(store, r.name) for r in rules}
    lo = min(marks.values())
    new: list[Alert] = []
    while lo < top:
        hi = min(top, lo + EVENT_CHUNK)
        events = W.events_after(store, lo, hi)
        found = [
            a
            for r in rules
            for a in event_alerts([r], [e for e in events if e["_seq"] > marks[r.name]], fired)
        ]
        new += W.store_alerts(store, found, {r.name: max(marks[r.name], hi) for r in rules})
        lo = hi
    return new


def _shift_pass(store: Store, rules: list[Rule], fired: str) -> list[Alert]:
    latest = W.latest_event_date(store)
    if not rules or not latest:
        return []
    widest = max(r.window_days for r in rules)
    since = shift_cut(shift_cut(latest, widest), SHIFT_LOOKBACK_DAYS)
    events = W.dated_events(store, since)
    found = [a for r in rules for a in shift_alerts(r, events, latest, fired)]
    refs = W.article_refs(store, [str(a["article_id"]) for a in found if a.get("article_id")])
    for a in found:
        a["article"] = refs.get(str(a.get("article_id")), {})
    return W.store_alerts(store, found)


def evaluate(store: Store, rules: Rules) -> list[Alert]:
    """Match every rule against what is new; store and return the alerts not stored before."""
    fired = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    new = _event_pass(store, rules.of("event"), fired)
    if rules.of("agreement"):
        records = W.agreement_records(store)
        refs = W.article_refs(store, [str(i) for r in records for i in (r.get("article_ids") or [])[-1:]])
        found = agreement_alerts(
            rules.of("agreement"),
            records,
            lambda rule: W.previous_fact_records(store, rule.name, "agreement"),
            refs,
            fired,
        )
        new += W.store_alerts(store, found)
    if rules.of("disputed"):
        claims = W.disputed_claims(store)
        refs = W.article_refs(store, [str(c.get("article_id")) for c in claims])
        new += W.store_alerts(store, disputed_alerts(rules.of("disputed"), claims, refs, fired))
    new += _shift_pass(store, rules.of("shift"), fired)
    return new


def deliver_pending(store: Store, out: IO[str], client: httpx.Client) -> list[str]:
    """Run every action not yet done for every stored alert; returns the failures, named."""
    errors = []
    for alert, action in W.pending_deliveries(store):
        try:
            deliver(alert, action, out, client)
        except (OSError, FetchError) as exc:
            why = f"alert {alert['id']} ({alert['rule']}): {action}: {exc}"
            errors.append(why)
            W.record_delivery(store, alert["id"], action, str(exc))
            continue
        W.record_delivery(store, alert["id"], action, None)
    return errors
