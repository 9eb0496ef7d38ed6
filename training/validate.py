"""Check corpus files against the format in training/README.md.

Usage: python training/validate.py FILE.jsonl [FILE.jsonl ...]

Errors (exit 1): a line that is not JSON, a missing field, an unknown type, mode, aux, style
or hard-negative kind, an actor/recipient text that is not a substring of the sentence.
Warnings: a code the shipped actor dictionary does not know (fine for groups not yet in it),
a sector not in sectors.yaml. Prints a summary per file: sentences, docs, negatives, types.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from legation.actors.dictionary import ActorDictionary
from legation.events.lexicon import PLOVER_TYPES, Lexicon

AUX = {None, "future", "hypothetical", "negated", "historical"}
STYLES = {
    "wire", "broadsheet", "press-release", "translated", "agency-1990s", "live-blog", "local",
    "analysis", "headline-like", "nonpolitical",
}
HARD = {
    None, "question", "rhetoric", "habitual", "generic", "proposal", "conditional", "negated",
    "background", "opinion", "nonpolitical", "disaster", "fiction", "business", "sports", "other",
}


def check_party(p: object, text: str, where: str, codes: set[str], sectors: set[str]) -> list[str]:
    errs: list[str] = []
    if not isinstance(p, dict) or "text" not in p:
        return [f"{where}: party must be an object with 'text', 'code', 'sector'"]
    if not isinstance(p["text"], str) or p["text"] not in text:
        errs.append(f"{where}: party text {p.get('text')!r} is not a substring of the sentence")
    code, sector = p.get("code"), p.get("sector")
    if code is not None and code not in codes:
        print(f"warning: {where}: code {code!r} not in the shipped dictionary")
    if sector is not None and sector not in sectors:
        errs.append(f"{where}: sector {sector!r} not in sectors.yaml")
    return errs


def check_line(rec: object, where: str, modes: dict[str, frozenset[str]], codes: set[str],
               sectors: set[str]) -> list[str]:
    if not isinstance(rec, dict):
        return [f"{where}: not an object"]
    errs: list[str] = []
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        return [f"{where}: 'text' missing"]
    if "page" not in rec:
        if not isinstance(rec.get("doc"), str) or not rec["doc"]:
            errs.append(f"{where}: 'doc' missing")
        if rec.get("style") not in STYLES:
            errs.append(f"{where}: style {rec.get('style')!r} not one of {sorted(STYLES)}")
    if rec.get("hard") not in HARD:
        errs.append(f"{where}: hard {rec.get('hard')!r} not one of {sorted(h for h in HARD if h)}")
    events = rec.get("events")
    if not isinstance(events, list):
        return [*errs, f"{where}: 'events' must be a list"]
    if events and rec.get("hard"):
        errs.append(f"{where}: a sentence with events has hard={rec['hard']!r}")
    for k, ev in enumerate(events):
        w = f"{where} event {k}"
        if not isinstance(ev, dict):
            errs.append(f"{w}: not an object")
            continue
        t = ev.get("type")
        if t not in PLOVER_TYPES:
            errs.append(f"{w}: type {t!r} is not a PLOVER type")
            continue
        m = ev.get("mode")
        if m is not None and m not in modes[t]:
            errs.append(f"{w}: mode {m!r} not a {t} mode {sorted(modes[t])}")
        if ev.get("aux") not in AUX:
            errs.append(f"{w}: aux {ev.get('aux')!r}")
        for role in ("actor", "recipient"):
            parties = ev.get(role, [])
            if not isinstance(parties, list):
                errs.append(f"{w}: {role} must be a list")
                continue
            for p in parties:
                errs += check_party(p, text, f"{w} {role}", codes, sectors)
    return errs


def main(paths: list[str]) -> int:
    lex = Lexicon.load()
    modes = {k: v for k, v in lex.modes.items()}
    d = ActorDictionary.load()
    codes = d.codes() | {"IMG"}
    sectors = set(d.sectors)
    bad = 0
    for path in paths:
        docs: set[str] = set()
        types: Counter[str] = Counter()
        n = neg = 0
        for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path}:{i}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                print(f"error: {where}: not JSON: {exc}")
                bad += 1
                continue
            for e in check_line(rec, where, modes, codes, sectors):
                print(f"error: {e}")
                bad += 1
            n += 1
            docs.add(str(rec.get("doc", rec.get("page"))))
            evs = rec.get("events") or []
            neg += not evs
            types.update(ev.get("type") for ev in evs if isinstance(ev, dict))
        print(f"{path}: {n} sentences, {len(docs)} docs, {neg} without events; {dict(sorted(types.items()))}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
