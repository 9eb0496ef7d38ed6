"""Alert rules, read from YAML and checked before the watch starts.

A rule says which kind of fact it is on with ``fact:`` (not ``on:``, which YAML 1.1 reads as
the boolean true).

Why checked up front: a watch runs unattended, and a rule with a typo ("ASSUALT", "actor:
PKR", "treshold") would otherwise match nothing, silently, for weeks. Every error names the
file, the rule and the key. The format (docs/watch.md)::

    actions: [stdout, {jsonl: alerts.jsonl}]      # default actions of every rule
    rules:
      - name: North Korean attacks
        fact: event                               # event (default), agreement, disputed, shift
        event: ASSAULT                            # one value or a list: any of them
        actor: PRK
      - name: Korean agreements
        fact: agreement
        party: KOR
        actions: [{webhook: http://127.0.0.1:9000/hook}]

Within a rule every condition must hold; within a list any value may.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from legation.actors.dictionary import ActorDictionary
from legation.events.lexicon import PLOVER_TYPES
from legation.extract.lifecycle import STATUSES

KINDS = ("event", "agreement", "disputed", "shift")
#: The conditions each kind of rule takes (besides ``name``, ``fact`` and ``actions``).
KEYS: dict[str, tuple[str, ...]] = {
    "event": (
        "event",
        "quad",
        "actor",
        "recipient",
        "country",
        "context",
        "min_confidence",
        "keyword",
        "include_aux",
    ),
    "agreement": ("party", "kind", "status", "keyword"),
    "disputed": ("party", "keyword"),
    "shift": ("actor", "pair", "threshold", "window_days", "direction"),
}
AUX = ("future", "hypothetical", "negated", "historical")
#: Events reported as not happening, or as only possible, do not alert unless asked for.
DEFAULT_EXCLUDED_AUX = ("negated", "hypothetical")
DIRECTIONS = ("any", "warmer", "cooler")


class RulesError(Exception):
    """A rules file that cannot be used; the message names the file, rule and key."""


@dataclass(frozen=True)
class Rule:
    """One alert rule. Empty sets match anything."""

    name: str
    on: str = "event"
    event: frozenset[str] = frozenset()
    quad: frozenset[int] = frozenset()
    actor: frozenset[str] = frozenset()
    recipient: frozenset[str] = frozenset()
    country: frozenset[str] = frozenset()
    context: frozenset[str] = frozenset()
    min_confidence: float | None = None
    keyword: tuple[str, ...] = ()
    include_aux: frozenset[str] = frozenset()
    party: frozenset[str] = frozenset()
    kind: frozenset[str] = frozenset()
    status: frozenset[str] = frozenset()
    pair: tuple[str, ...] = ()
    threshold: float = 1.0
    window_days: int = 30
    direction: str = "any"
    actions: tuple[str, ...] = ("stdout",)


@dataclass(frozen=True)
class Rules:
    """The rules of one file (``source``, for messages)."""

    rules: tuple[Rule, ...] = ()
    source: str = ""

    def of(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.on == kind]


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _action(value: Any, where: str) -> str:
    """An action as its stored id: ``stdout``, ``jsonl:PATH`` or ``webhook:URL``."""
    if value == "stdout":
        return "stdout"
    if isinstance(value, dict) and len(value) == 1:
        ((k, v),) = value.items()
        if k == "jsonl" and isinstance(v, str) and v:
            return f"jsonl:{v}"
        if k == "webhook" and isinstance(v, str) and v.startswith(("http://", "https://")):
            return f"webhook:{v}"
    raise RulesError(
        f"{where}: action {value!r} is none of stdout, {{jsonl: FILE}}, {{webhook: http(s)://URL}}"
    )


def _actions(value: Any, where: str) -> tuple[str, ...]:
    acts = tuple(_action(a, where) for a in _list(value))
    if not acts:
        raise RulesError(f"{where}: 'actions' is empty")
    return acts


class _Checker:
    """Turns one rule's YAML mapping into keyword arguments of :class:`Rule`."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.codes = ActorDictionary.load().codes()

    def fail(self, key: str, why: str) -> RulesError:
        return RulesError(f"{self.where}: '{key}': {why}")

    def codes_of(self, key: str, value: Any) -> frozenset[str]:
        out = set()
        for v in _list(value):
            code = str(v).strip().upper()
            if code not in self.codes:
                raise self.fail(key, f"{v!r} is no actor code the dictionary knows (e.g. KOR, EU, NATO)")
            out.add(code)
        return frozenset(out)

    def words(self, key: str, value: Any, allowed: tuple[str, ...] | None = None) -> frozenset[str]:
        out = {str(v).strip().lower() for v in _list(value) if str(v).strip()}
        bad = sorted(out - set(allowed)) if allowed else []
        if bad:
            raise self.fail(key, f"{bad[0]!r} is not one of {', '.join(allowed or ())}")
        return frozenset(out)

    def number(self, key: str, value: Any, lo: float, hi: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise self.fail(key, f"{value!r} is not a number from {lo:g} to {hi:g}")
        return float(value)

    def field(self, key: str, value: Any) -> Any:
        if key == "event":
            types = {str(v).strip().upper() for v in _list(value)}
            bad = sorted(types - set(PLOVER_TYPES))
            if bad:
                raise self.fail(key, f"{bad[0]!r} is not a PLOVER event type ({', '.join(PLOVER_TYPES)})")
            return frozenset(types)
        if key == "quad":
            quads = set()
            for v in _list(value):
                quads.add(int(self.number(key, v, 1, 4)))
            return frozenset(quads)
        if key in ("actor", "recipient", "country", "party"):
            return self.codes_of(key, value)
        if key == "pair":
            pair = tuple(sorted(self.codes_of(key, value)))
            if len(pair) != 2:
                raise self.fail(key, "give two actor codes, e.g. [EU, CHN]")
            return pair
        if key in ("context", "kind"):
            return self.words(key, value)
        if key == "status":
            return self.words(key, value, STATUSES)
        if key == "include_aux":
            return self.words(key, value, AUX)
        if key == "direction":
            return sorted(self.words(key, value, DIRECTIONS))[0]
        if key == "keyword":
            return tuple(str(v).strip().lower() for v in _list(value) if str(v).strip())
        if key == "min_confidence":
            return self.number(key, value, 0, 1)
        if key == "threshold":
            return self.number(key, value, 0, 20)
        if key == "window_days":
            return int(self.number(key, value, 1, 3650))
        raise self.fail(key, "unknown key")


def _rule(raw: Any, n: int, source: str, default_actions: tuple[str, ...]) -> Rule:
    if not isinstance(raw, dict):
        raise RulesError(f"{source}: rule {n}: a rule is a mapping of keys to values")
    name = str(raw.get("name") or f"rule {n}")
    where = f"{source}: rule {name!r}"
    if True in raw or "on" in raw:  # YAML 1.1 reads a bare `on:` key as the boolean true
        raise RulesError(f"{where}: say what a rule is on with 'fact:' ({', '.join(KINDS)})")
    on = str(raw.get("fact", "event")).strip().lower()
    if on not in KINDS:
        raise RulesError(f"{where}: 'fact': {on!r} is not one of {', '.join(KINDS)}")
    check = _Checker(where)
    kwargs: dict[str, Any] = {}
    for key, value in raw.items():
        if key in ("name", "fact"):
            continue
        if key == "actions":
            kwargs["actions"] = _actions(value, where)
            continue
        if key not in KEYS[on]:
            raise RulesError(
                f"{where}: '{key}' is no condition of an {on!r} rule (use {', '.join(KEYS[on])})"
            )
        if value is None:
            raise RulesError(f"{where}: '{key}' has no value")
        kwargs[key] = check.field(key, value)
    kwargs.setdefault("actions", default_actions)
    return Rule(name=name, on=on, **kwargs)


def parse_rules(data: Any, source: str = "rules") -> Rules:
    """Rules from the parsed YAML document ``data``."""
    if data is None:
        return Rules((), source)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RulesError(f"{source}: want a mapping with a 'rules' list")
    unknown = sorted(set(data) - {"rules", "actions"})
    if unknown:
        raise RulesError(f"{source}: unknown top-level key {unknown[0]!r} (want 'rules' and 'actions')")
    default = _actions(data["actions"], source) if "actions" in data else ("stdout",)
    rules = tuple(_rule(r, n, source, default) for n, r in enumerate(data["rules"], start=1))
    names = [r.name for r in rules]
    dup = next((x for x in names if names.count(x) > 1), None)
    if dup is not None:
        # A rule's name is part of its alerts' ids: two rules of one name would share them.
        raise RulesError(f"{source}: two rules are named {dup!r}")
    return Rules(rules, source)


def load_rules(path: str | Path) -> Rules:
    """The rules of a YAML file; raises :class:`RulesError` naming what is wrong."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesError(f"{path}: cannot read rules: {exc.strerror or exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RulesError(f"{path}: not valid YAML: {exc}") from None
    return parse_rules(data, str(path))
