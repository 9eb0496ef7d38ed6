"""Alerts: which stored facts match which rules, what an alert says, and its delivery.

Why a fact has a key of its own rather than its row id: "fires once per matching fact" must
hold when the same fact arrives again, as a syndicated copy on another site, as the next
version of an edited page, or after a restart. An event's key is its type, its two sides and
its normalised sentence (so a copy or a new version of the page repeating it does not fire
again); an agreement's is its id plus what a change would change (status, dates, parties), so
a new or changed agreement fires once per state; a disputed claim group's is its group id; a
relation shift's is the pair, the direction and the window it was seen in. An alert's ``id``
hashes its rule's name with the fact's key: the store keeps each id once.

Matching is pure (records in, alerts out); :mod:`legation.watch.poll` reads the records and
stores the alerts through :mod:`legation.store.watch_rows`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

import httpx

from legation.brief import Shift, figure, relation_shifts
from legation.watch.fetch import FetchError, post_json
from legation.watch.rules import DEFAULT_EXCLUDED_AUX, Rule

Alert = dict[str, Any]


def _hash(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass")).hexdigest()[
        :16
    ]


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _codes(side: list[dict[str, Any]] | None) -> list[str]:
    return sorted({str(a["code"]) for a in side or [] if a.get("code")})


def _sentence(rec: dict[str, Any]) -> str:
    return " ".join(str((rec.get("text_info") or {}).get("sentence") or "").split())


def _has_keyword(text: str, keywords: Iterable[str]) -> bool:
    low = text.lower()
    return any(re.search(r"(?<!\w)" + re.escape(k) + r"(?!\w)", low) for k in keywords)


def _alert(
    rule: Rule,
    kind: str,
    fact_id: str,
    key: str,
    summary: str,
    sentence: str,
    article_id: str | None,
    article: dict[str, Any] | None,
    fact: dict[str, Any],
    fired: str,
) -> Alert:
    """The alert record: stored, exported, served, and what every action delivers."""
    return {
        "id": _hash(rule.name, key),
        "rule": rule.name,
        "kind": kind,
        "fact_id": fact_id,
        "summary": summary,
        "sentence": sentence,
        "article_id": article_id,
        "article": article or {},
        "fact": fact,
        "fired": fired,
        "actions": list(rule.actions),
    }


# ---------------------------------------------------------------------------- events
def event_key(rec: dict[str, Any]) -> str:
    """The event as a fact: type, sides and sentence, not which article it was read in."""
    return _hash(
        "event",
        rec.get("event"),
        _codes(rec.get("actor")),
        _codes(rec.get("recipient")),
        _norm(_sentence(rec)),
    )


def match_event(rule: Rule, rec: dict[str, Any]) -> bool:
    """Whether the event record meets every condition of ``rule``."""
    actors, recipients = set(_codes(rec.get("actor"))), set(_codes(rec.get("recipient")))
    place = str((rec.get("location") or {}).get("country") or "")
    aux = rec.get("aux")
    confidence = rec.get("confidence")
    checks = (
        not rule.event or rec.get("event") in rule.event,
        not rule.quad or rec.get("quad") in rule.quad,
        not rule.actor or bool(actors & rule.actor),
        not rule.recipient or bool(recipients & rule.recipient),
        not rule.country or place in rule.country or bool((actors | recipients) & rule.country),
        not rule.context or bool({str(c).lower() for c in rec.get("context") or []} & rule.context),
        rule.min_confidence is None
        or (isinstance(confidence, int | float) and confidence >= rule.min_confidence),
        not rule.keyword or _has_keyword(_sentence(rec), rule.keyword),
        aux not in DEFAULT_EXCLUDED_AUX or aux in rule.include_aux,
    )
    return all(checks)


def event_summary(rec: dict[str, Any]) -> str:
    """ "ASSAULT: PRK → UKR, 2025-03-02 (Kursk)"."""
    sides = f"{','.join(_codes(rec.get('actor'))) or '?'} → {','.join(_codes(rec.get('recipient'))) or '?'}"
    place = (rec.get("location") or {}).get("name")
    aux = f" [{rec['aux']}]" if rec.get("aux") else ""
    return f"{rec.get('event')}{aux}: {sides}, {rec.get('date') or 'undated'}" + (
        f" ({place})" if place else ""
    )


def event_alerts(rules: list[Rule], events: list[dict[str, Any]], fired: str) -> list[Alert]:
    """An alert for each (rule, event fact) that matches, the first mention naming it."""
    out = []
    for rec in events:
        key = event_key(rec)
        for rule in rules:
            if match_event(rule, rec):
                fact = {k: v for k, v in rec.items() if not k.startswith("_")}
                out.append(
                    _alert(
                        rule,
                        "event",
                        str(rec.get("id")),
                        key,
                        event_summary(rec),
                        _sentence(rec),
                        rec.get("article_id"),
                        rec.get("_article"),
                        fact,
                        fired,
                    )
                )
    return out


# ---------------------------------------------------------------------------- agreements
def agreement_key(rec: dict[str, Any]) -> str:
    state = json.dumps(
        [rec.get("status"), rec.get("dates"), sorted(rec.get("parties") or []), rec.get("name")],
        sort_keys=True,
        default=str,
    )
    return _hash("agreement", rec.get("id"), state)


def match_agreement(rule: Rule, rec: dict[str, Any]) -> bool:
    parties = set(rec.get("parties") or [])
    return all(
        (
            not rule.party or bool(parties & rule.party),
            not rule.kind or str(rec.get("kind") or "").lower() in rule.kind,
            not rule.status or str(rec.get("status") or "").lower() in rule.status,
            not rule.keyword or _has_keyword(str(rec.get("name") or ""), rule.keyword),
        )
    )


def _agreement_change(rec: dict[str, Any], before: dict[str, Any] | None) -> str:
    if before is None:
        return "new agreement"
    old, new = before.get("dates") or {}, rec.get("dates") or {}
    changes = [f"{k} {new[k]}" for k in sorted(new) if new.get(k) and new.get(k) != old.get(k)]
    if before.get("status") != rec.get("status"):
        changes.insert(0, f"status {before.get('status')} → {rec.get('status')}")
    if sorted(before.get("parties") or []) != sorted(rec.get("parties") or []):
        changes.append("parties " + ", ".join(rec.get("parties") or []))
    return "changed agreement (" + "; ".join(changes or ["details"]) + ")"


def agreement_alerts(
    rules: list[Rule],
    records: list[dict[str, Any]],
    previous: Callable[[Rule], dict[str, Alert]],
    refs: dict[str, dict[str, Any]],
    fired: str,
) -> list[Alert]:
    """An alert per (rule, agreement state) that matches: new, or changed since its last alert."""
    out = []
    for rule in rules:
        before = previous(rule)
        for rec in records:
            if not match_agreement(rule, rec):
                continue
            last = before.get(str(rec.get("id")))
            if last is not None and agreement_key(last.get("fact") or {}) == agreement_key(rec):
                continue
            what = _agreement_change(rec, (last or {}).get("fact"))
            parties = ", ".join(rec.get("parties") or [])
            kind = rec.get("kind") or "agreement"
            summary = f"{what}: {rec.get('name')} ({kind}; {parties}), {rec.get('status')}"
            ids = list(rec.get("article_ids") or [])
            evidence = list(rec.get("evidence") or [])
            art = ids[-1] if ids else None
            out.append(
                _alert(
                    rule,
                    "agreement",
                    str(rec.get("id")),
                    agreement_key(rec),
                    summary,
                    " ".join(str(evidence[-1]).split()) if evidence else "",
                    art,
                    refs.get(art or ""),
                    rec,
                    fired,
                )
            )
    return out


# ---------------------------------------------------------------------------- disputed claims
def _who(claim: dict[str, Any]) -> str:
    return (
        ", ".join(str(x.get("code") or x.get("text")) for x in claim.get("claimant") or []) or "unattributed"
    )


def disputed_alerts(
    rules: list[Rule], claims: list[dict[str, Any]], refs: dict[str, dict[str, Any]], fired: str
) -> list[Alert]:
    """An alert per (rule, claim group) that is disputed, once: the group id is the fact."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in claims:
        groups[str(c.get("group_id") or c.get("id"))].append(c)
    out = []
    for gid, group in groups.items():
        codes = {str(x.get("code")) for c in group for x in c.get("claimant") or [] if x.get("code")}
        text = " ".join(str(x) for c in group for x in (c.get("topic"), c.get("subject"), _sentence(c)) if x)
        says = "; ".join(f"{_who(c)}: {figure(c)}" for c in group)
        last = group[-1]
        for rule in rules:
            if rule.party and not codes & rule.party:
                continue
            if rule.keyword and not _has_keyword(text, rule.keyword):
                continue
            summary = f"disputed: {last.get('topic')} ({says})"
            fact = {"group_id": gid, "topic": last.get("topic"), "claims": group}
            art = str(last.get("article_id") or "") or None
            out.append(
                _alert(
                    rule,
                    "disputed",
                    gid,
                    _hash("disputed", gid),
                    summary,
                    _sentence(last),
                    art,
                    refs.get(art or ""),
                    fact,
                    fired,
                )
            )
    return out


# ---------------------------------------------------------------------------- relation shifts
def shift_cut(latest: str, window_days: int) -> str:
    """The first day of the recent window: the latest event's day less ``window_days``."""
    day = dt.date.fromisoformat(latest[:10])
    return (day - dt.timedelta(days=window_days)).isoformat()


def shift_alerts(rule: Rule, events: list[dict[str, Any]], latest: str, fired: str) -> list[Alert]:
    """An alert per pair whose mean Goldstein score moved by ``threshold`` or more.

    The fact is the pair, the direction and the window period (days since 1970 // window), so
    a pair that keeps shifting alerts at most once per direction per window.
    """
    cut = shift_cut(latest, rule.window_days)
    period = dt.date.fromisoformat(cut).toordinal() // rule.window_days
    out = []
    actor = None if len(rule.actor) != 1 else next(iter(rule.actor))
    for s in relation_shifts(events, cut, actor):
        if abs(s.delta) < rule.threshold or (rule.direction != "any" and s.direction != rule.direction):
            continue
        if rule.pair and (s.a, s.b) != rule.pair:
            continue
        if rule.actor and not {s.a, s.b} & rule.actor:
            continue
        out.append(_shift_alert(rule, s, cut, period, fired))
    return out


def _shift_alert(rule: Rule, s: Shift, cut: str, period: int, fired: str) -> Alert:
    basis = f"{s.before:+.1f} → {s.after:+.1f}" if s.before is not None else f"new, {s.after:+.1f}"
    n_src = len({e.get("article_id") for e in s.recent})
    summary = (
        f"{s.a}–{s.b} {s.direction}: mean Goldstein {basis} since {cut} "
        f"({len(s.recent)} events from {n_src} articles)"
    )
    strongest = max(s.recent, key=lambda e: abs(float(e.get("goldstein") or 0)))
    fact = {
        "pair": [s.a, s.b],
        "direction": s.direction,
        "before": s.before,
        "after": round(s.after, 2),
        "since": cut,
        "events": [e.get("id") for e in s.recent],
    }
    fact_id = f"{s.a}-{s.b}"
    return _alert(
        rule,
        "shift",
        fact_id,
        _hash("shift", fact_id, s.direction, period),
        summary,
        _sentence(strongest),
        strongest.get("article_id"),
        None,
        fact,
        fired,
    )


# ---------------------------------------------------------------------------- delivery
def alert_line(alert: Alert) -> str:
    """The one line the ``stdout`` action prints."""
    art = alert.get("article") or {}
    where = art.get("url") or art.get("source") or alert.get("article_id") or ""
    title = " ".join(str(art.get("title") or "").split())
    sentence = alert.get("sentence") or ""
    if len(sentence) > 200:
        sentence = sentence[:199].rsplit(" ", 1)[0] + "…"
    cite = f"{title} <{where}>" if title else f"<{where}>"
    return f"alert [{alert['rule']}] {alert['summary']} — “{sentence}” — {cite}"


def deliver(alert: Alert, action: str, out: IO[str], client: httpx.Client) -> None:
    """Run one action for one alert; raises ``OSError`` (a JSONL file) or FetchError (a webhook)."""
    if action == "stdout":
        out.write(alert_line(alert) + "\n")
        out.flush()
    elif action.startswith("jsonl:"):
        path = Path(action[len("jsonl:") :])
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(alert, ensure_ascii=False, default=str) + "\n")
    elif action.startswith("webhook:"):
        post_json(client, action[len("webhook:") :], alert)
    else:
        raise FetchError(action, "unknown action")
