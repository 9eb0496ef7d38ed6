"""Claims and agreements scored against the project's own gold set (``tests/data/crossdoc_gold``).

Ingests the gold articles (plain ``.txt`` pages written for the project) into a temporary
DuckDB with the library call, exports claims, agreements and articles, matches them to
``gold.jsonl`` and prints, for all articles and for a dev and an unseen test split:

* agreements: recall (core facts: one instrument in one article), precision (system records
  that are a gold instrument, core or not), duplicates (further records of one instrument),
  party F1, date accuracy, date-basis accuracy;
* claims: recall (core claims), precision (system claims that are a gold claim, core or not),
  ``claim_kind``, qualifier, claimant (code) and claimant name accuracy, dispute accuracy, and
  pairwise grouping recall and precision;

then the mismatches (fact, expected, got) so an engineer can see what fails.

The split is computed, not stored: an article is ``dev`` when the SHA-1 of its file name is
even, ``test`` when it is odd (:func:`split_of`). Usage::

    PYTHONPATH=src .venv/bin/python bench/eval_crossdoc_gold.py [--db FILE] [--json] [--no-details]

``--db`` scores an already ingested database instead of ingesting into a temporary one.

How a system record matches a gold fact (the same logic as ``../shared/tools/score.py`` where
it applies, extended to per-article facts):

* a claim matches a gold claim of its article when its value is within 1% of the gold value
  (either bound of a range) and its figure (``text_info.quantity_start/end``) lies inside the
  gold ``evidence`` span of the article's clean text (or, when the cleaner changed that text,
  its sentence contains the evidence);
* an agreement record is assigned to the gold instrument whose name or an alias shares at
  least 30% of its content words with the record's name (party names, demonyms and articles
  left out; treaty, accord, pact, deal, convention and protocol count as "agreement") and that
  is mentioned in one of the record's articles; among several, the one whose parties overlap
  most. A fact (instrument, article) is found when a record assigned to its instrument lists
  the article.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from legation.ingest.runner import ingest
from legation.store.export import export

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "crossdoc_gold"
SPLITS = ("all", "dev", "test")


# ---------------------------------------------------------------------- gold and system data
def split_of(doc: str) -> str:
    """``dev`` or ``test`` for an article file name, by the parity of its SHA-1."""
    return "dev" if int(hashlib.sha1(doc.encode()).hexdigest(), 16) % 2 == 0 else "test"


def load_gold(path: Path = DATA / "gold.jsonl") -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def ingest_articles(db: Path, pipeline: Any = None, data: Path = DATA) -> None:
    """Ingest the gold articles of ``data`` into ``db`` with the library call (one worker)."""
    report = ingest([data / "articles"], db=db, workers=1, pipeline=pipeline)
    if report.exit_code != 0:
        raise SystemExit(f"ingest failed: {[str(e) for e in report.errors]}")


def export_all(db: Path) -> dict[str, list[dict[str, Any]]]:
    """The ``articles``, ``claims`` and ``agreements`` export records of ``db``."""
    out = {}
    for kind in ("articles", "claims", "agreements"):
        buf = io.StringIO()
        export(kind, db=db, out=buf)
        out[kind] = [json.loads(x) for x in buf.getvalue().splitlines() if x.strip()]
    return out


def norm_ws(s: str | None) -> str:
    return re.sub(r"\s+", " ", s or "").strip()


def codes(parties: Iterable[Any] | None) -> set[str]:
    out = set()
    for p in parties or []:
        c = p.get("code") if isinstance(p, dict) else p
        if c:
            out.add(str(c).upper())
    return out


def span_of(text: str, evidence: str) -> tuple[int, int] | None:
    """Where ``evidence`` is in ``text``, whitespace-insensitive."""
    pat = r"\s+".join(re.escape(w) for w in evidence.split())
    m = re.search(pat, text)
    return (m.start(), m.end()) if m else None


# ---------------------------------------------------------------------- claims
#: Qualifier classes: the text's hedge in the gold, the normalised word in the system.
QUALIFIER_CLASS = {
    "about": "approx",
    "around": "approx",
    "approximately": "approx",
    "roughly": "approx",
    "some": "approx",
    "estimated": "approx",
    "an estimated": "approx",
    "nearly": "approx",
    "almost": "approx",
    "more than": "more",
    "over": "more",
    "upwards of": "more",
    "in excess of": "more",
    "exceeded": "more",
    "at least": "least",
    "no fewer than": "least",
    "up to": "upto",
    "as many as": "upto",
    "less than": "less",
    "fewer than": "less",
    "under": "less",
}


def qualifier_class(q: str | None) -> str | None:
    if not q:
        return None
    return QUALIFIER_CLASS.get(q.lower().strip(), q.lower().strip())


_NAME_STOP = {"the", "a", "an", "of", "its", "their", "his", "her", "s", "and", "'s", "’s"}


def _words(s: str | None) -> list[str]:
    return [w for w in re.findall(r"[a-zà-ž0-9]+", (s or "").lower()) if w not in _NAME_STOP]


def claimant_named(gold_name: str, system: Sequence[dict[str, Any]], gold_codes: Sequence[str]) -> bool:
    """Whether the system claimant names the gold source: its text holds the head word of
    the gold name ("Department", "Demchenko", "ministry"), not only the country or its code."""
    gw = _words(gold_name)
    if not gw:
        return True
    head = gw[-1]
    for c in system:
        sw = set(_words(c.get("text")))
        if head in sw:
            return True
        if len(gw) == 1 and str(c.get("code") or "").upper() in set(gold_codes):
            return True  # "Britain", "Ukraine": the name is the state
    return False


def _value_fits(g: dict[str, Any], v: Any) -> bool:
    if not isinstance(v, (int, float)):
        return False
    for x in (g["value"], g.get("value_high")):
        if x is not None and abs(float(v) - float(x)) <= 0.01 * abs(float(x)):
            return True
    return False


def match_claims(
    gold: Sequence[dict[str, Any]],
    claims: Sequence[dict[str, Any]],
    texts: dict[str, str],
    doc_of: dict[str, str],
) -> tuple[dict[str, dict[str, Any]], dict[str, str], list[dict[str, Any]]]:
    """Gold claim id -> its system claim; system claim id -> the gold id it matches; notes on
    evidence the clean text lost."""
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in claims:
        by_doc[doc_of.get(c.get("article_id", ""), "?")].append(c)
    g2s: dict[str, dict[str, Any]] = {}
    s2g: dict[str, str] = {}
    notes = []
    for g in gold:
        text = texts.get(g["doc"], "")
        sp = span_of(text, g["evidence"])
        if sp is None:
            notes.append(
                {"id": g["id"], "problem": "evidence not in the clean text", "evidence": g["evidence"]}
            )
        cands = []
        for c in by_doc.get(g["doc"], []):
            if not _value_fits(g, c.get("value")):
                continue
            ti = c.get("text_info") or {}
            q0, q1 = ti.get("quantity_start"), ti.get("quantity_end")
            if sp is not None and isinstance(q0, int) and isinstance(q1, int):
                ok = q0 < sp[1] and sp[0] < q1
            else:
                ok = norm_ws(g["evidence"]) in norm_ws(ti.get("sentence"))
            if ok:
                cands.append(c)
        if not cands:
            continue
        g2s[g["id"]] = next((c for c in cands if c["id"] not in s2g), cands[0])
        for c in cands:
            s2g.setdefault(c["id"], g["id"])
    return g2s, s2g, notes


def score_claims(
    gold: Sequence[dict[str, Any]],
    claims: Sequence[dict[str, Any]],
    texts: dict[str, str],
    doc_of: dict[str, str],
    docs: set[str],
) -> dict[str, Any]:
    """Claim metrics over the articles ``docs``, and the mismatches."""
    gold_all = [g for g in gold if g["type"] == "claim"]
    g2s, s2g, notes = match_claims(gold_all, claims, texts, doc_of)
    core = [g for g in gold_all if g.get("core", True) and g["doc"] in docs]
    sys_here = [c for c in claims if doc_of.get(c.get("article_id", "")) in docs]
    found = [g for g in core if g["id"] in g2s]
    problems: list[dict[str, Any]] = [
        n for n in notes if any(g["id"] == n["id"] and g["doc"] in docs for g in gold_all)
    ]
    kind_ok = qual_ok = cl_ok = cl_n = name_ok = name_n = disp_ok = unit_ok = 0
    for g in core:
        if g["id"] not in g2s:
            problems.append(
                {
                    "class": "claim not found",
                    "id": g["id"],
                    "doc": g["doc"],
                    "evidence": g["evidence"],
                    "expected": {"value": g["value"], "unit": g["unit"], "kind": g["kind"]},
                }
            )
            continue
        c = g2s[g["id"]]
        got_kind = c.get("claim_kind")
        if got_kind in {g["kind"], *g.get("alt_kinds", [])}:
            kind_ok += 1
        else:
            problems.append(
                {
                    "class": "claim_kind",
                    "id": g["id"],
                    "evidence": g["evidence"],
                    "expected": g["kind"],
                    "got": got_kind,
                }
            )
        if qualifier_class(g.get("qualifier")) == qualifier_class(c.get("qualifier")):
            qual_ok += 1
        else:
            problems.append(
                {
                    "class": "qualifier",
                    "id": g["id"],
                    "evidence": g["evidence"],
                    "expected": g.get("qualifier"),
                    "got": c.get("qualifier"),
                }
            )
        if _unit_fits(g["unit"], c.get("unit")):
            unit_ok += 1
        else:
            problems.append(
                {
                    "class": "unit",
                    "id": g["id"],
                    "evidence": g["evidence"],
                    "expected": g["unit"],
                    "got": c.get("unit"),
                }
            )
        if g.get("claimant"):
            cl_n += 1
            if codes(c.get("claimant")) & set(g["claimant"]):
                cl_ok += 1
            else:
                problems.append(
                    {
                        "class": "claimant",
                        "id": g["id"],
                        "evidence": g["evidence"],
                        "expected": g["claimant"],
                        "got": c.get("claimant"),
                    }
                )
        if g.get("claimant_name"):
            name_n += 1
            if claimant_named(g["claimant_name"], c.get("claimant") or [], g.get("claimant", [])):
                name_ok += 1
            else:
                problems.append(
                    {
                        "class": "claimant name",
                        "id": g["id"],
                        "evidence": g["evidence"],
                        "expected": g["claimant_name"],
                        "got": [x.get("text") for x in c.get("claimant") or []],
                    }
                )
        if bool(c.get("disputed")) == bool(g.get("disputed")):
            disp_ok += 1
        else:
            problems.append(
                {
                    "class": "disputed",
                    "id": g["id"],
                    "evidence": g["evidence"],
                    "group": g["group"],
                    "expected": bool(g.get("disputed")),
                    "got": bool(c.get("disputed")),
                    "kind": got_kind,
                    "topic": c.get("topic"),
                }
            )
    # Grouping, pairwise over found core claims: one gold group should be one system group,
    # claims of different gold quantities should not share one.
    same = same_ok = joined = joined_ok = 0
    for i, a in enumerate(found):
        for b in found[i + 1 :]:
            ga, gb = g2s[a["id"]].get("group_id"), g2s[b["id"]].get("group_id")
            together = ga is not None and ga == gb
            if a["group"] == b["group"]:
                same += 1
                same_ok += together
                if not together:
                    problems.append(
                        {
                            "class": "group split",
                            "ids": [a["id"], b["id"]],
                            "group": a["group"],
                            "got": [g2s[a["id"]].get("topic"), g2s[b["id"]].get("topic")],
                        }
                    )
            if together:
                joined += 1
                joined_ok += a["quantity"] == b["quantity"]
                if a["quantity"] != b["quantity"]:
                    problems.append(
                        {
                            "class": "group merge",
                            "ids": [a["id"], b["id"]],
                            "expected": [a["quantity"], b["quantity"]],
                            "topic": g2s[a["id"]].get("topic"),
                        }
                    )
    wrong = [c for c in sys_here if c["id"] not in s2g]
    for c in wrong:
        ti = c.get("text_info") or {}
        problems.append(
            {
                "class": "claim not in gold",
                "doc": doc_of.get(c["article_id"]),
                "value": c.get("value"),
                "unit": c.get("unit"),
                "kind": c.get("claim_kind"),
                "quantity": ti.get("quantity"),
                "sentence": norm_ws(ti.get("sentence"))[:160],
            }
        )
    n = len(found)
    return {
        "gold_claims": len(core),
        "system_claims": len(sys_here),
        "recall": n / len(core) if core else 1.0,
        "precision": (len(sys_here) - len(wrong)) / len(sys_here) if sys_here else 0.0,
        "kind_acc": kind_ok / n if n else 0.0,
        "qualifier_acc": qual_ok / n if n else 0.0,
        "unit_acc": unit_ok / n if n else 0.0,
        "claimant_acc": cl_ok / cl_n if cl_n else 0.0,
        "claimant_name_acc": name_ok / name_n if name_n else 0.0,
        "dispute_acc": disp_ok / n if n else 0.0,
        "group_pair_recall": same_ok / same if same else 1.0,
        "group_pair_precision": joined_ok / joined if joined else 1.0,
        "problems": problems,
    }


#: Gold units by class: the system reports troops as "soldiers" and weapons by their noun.
UNIT_CLASS = {
    "soldiers": "personnel",
    "troops": "personnel",
    "personnel": "personnel",
    "servicemen": "personnel",
    "officers": "personnel",
    "peacekeepers": "personnel",
    "recruits": "personnel",
    "killed": "casualties",
    "casualties": "casualties",
    "wounded": "casualties",
    "dead": "casualties",
    "deaths": "casualties",
    "fatalities": "casualties",
    "jets": "aircraft",
    "aircraft": "aircraft",
    "fighters": "aircraft",
    "vessels": "ships",
    "ships": "ships",
    "tankers": "ships",
    "warships": "ships",
}


def _unit_fits(gold_unit: str, got: str | None) -> bool:
    g, s = (gold_unit or "").lower(), (got or "").lower()
    return g == s or UNIT_CLASS.get(g, g) == UNIT_CLASS.get(s, s)


# ---------------------------------------------------------------------- agreements
#: Words that do not name an instrument: articles, and the names of its parties.
NAME_STOP = set(
    """
    the of a an and on for in with between new its their own s eu european union philippines
    philippine japan japanese korea korean south north republic russia russian belarus belarusian
    poland polish lithuania lithuanian kenya kenyan haiti haitian jamaica jamaican niger nigerien
    mali burkina faso turkey turkish israel israeli lebanon lebanese germany german finland finnish
    sweden swedish united states us u uk britain british kingdom ukraine ukrainian egypt egyptian
    sudan sudanese australia australian armenia armenian azerbaijan azerbaijani congo congolese dr
    rwanda rwandan indonesia indonesian papua guinea png nauru tuvalu iran iranian india indian
    somalia somali denmark danish saudi arabia pakistan pakistani italy italian france french
    vietnam vietnamese rok gcc nato china chinese
    """.split()  # noqa: SIM905 - a word list, one line per few words
)
#: Heads that name the same kind of instrument.
HEAD_SYNONYMS = {
    "treaty": "agreement",
    "treaties": "agreement",
    "accord": "agreement",
    "accords": "agreement",
    "pact": "agreement",
    "pacts": "agreement",
    "deal": "agreement",
    "convention": "agreement",
    "protocol": "agreement",
    "agreements": "agreement",
    "partnerships": "partnership",
    "defense": "defence",
    "memorandum": "memorandum",
    "mou": "memorandum",
}


def name_tokens(s: str | None) -> set[str]:
    words = re.findall(r"[a-z0-9]+", (s or "").lower().replace("’", "'").replace("'s", ""))
    return {HEAD_SYNONYMS.get(w, w) for w in words if w not in NAME_STOP}


#: Head words: two names that share only their head ("security agreement", "Nakamal
#: Agreement") do not name one instrument.
HEADS = {
    "agreement",
    "partnership",
    "memorandum",
    "alliance",
    "framework",
    "charter",
    "union",
    "understanding",
}


def names_match(names: Iterable[str], got: str | None) -> bool:
    """Whether a system name is one of the gold names: at least 30% of the content words in
    common, and a word besides the head unless both names are bare heads ("an agreement")."""
    at = name_tokens(got)
    for n in names:
        gt = name_tokens(n)
        if not (gt and at) or len(gt & at) / len(gt | at) < 0.3:
            continue
        if (gt & at) - HEADS or not (gt - HEADS or at - HEADS):
            return True
    return False


def _f1(gold: set[str], got: set[str]) -> float:
    tp = len(gold & got)
    if not tp:
        return 0.0
    p, r = tp / len(got), tp / len(gold)
    return 2 * p * r / (p + r)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _in_range(value: str | None, lo: str, hi: str) -> bool:
    """A system date (YYYY, YYYY-MM or YYYY-MM-DD) fits a gold range when its span overlaps it."""
    v = str(value or "")[:10]
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        start = end = v
    elif re.fullmatch(r"\d{4}-\d{2}", v):
        start, end = v + "-01", v + "-31"
    elif re.fullmatch(r"\d{4}", v):
        start, end = v + "-01-01", v + "-12-31"
    else:
        return False
    return start <= hi and end >= lo


#: The basis a record may give for a gold basis: the coder's event date is a date from the text.
BASIS_OK = {"text": {"text", "event"}, "dateline": {"dateline"}, "published": {"published"}}


def assign_records(
    gold: Sequence[dict[str, Any]], agreements: Sequence[dict[str, Any]], doc_of: dict[str, str]
) -> dict[str, str | None]:
    """System record id -> the gold instrument it is (or None)."""
    instruments: dict[str, dict[str, Any]] = {}
    for g in gold:
        if g["type"] == "agreement":
            ins = instruments.setdefault(
                g["instrument"],
                {"names": [g["name"], *g["aliases"]], "parties": set(g["parties"]), "docs": set()},
            )
            ins["docs"].add(g["doc"])
            ins["names"].append(g["mention"])
    out: dict[str, str | None] = {}
    for a in agreements:
        docs = {doc_of.get(x, "?") for x in a.get("article_ids") or []}
        parties = codes(a.get("parties"))
        cands = [
            (_jaccard(ins["parties"], parties), len(ins["docs"] & docs), key)
            for key, ins in instruments.items()
            if ins["docs"] & docs and names_match(ins["names"], a.get("name"))
        ]
        out[a["id"]] = max(cands)[2] if cands else None
    return out


def score_agreements(
    gold: Sequence[dict[str, Any]],
    agreements: Sequence[dict[str, Any]],
    doc_of: dict[str, str],
    docs: set[str],
) -> dict[str, Any]:
    """Agreement metrics over the articles ``docs``, and the mismatches."""
    assigned = assign_records(gold, agreements, doc_of)
    recs_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in agreements:
        if assigned[a["id"]]:
            recs_of[str(assigned[a["id"]])].append(a)
    facts = [g for g in gold if g["type"] == "agreement" and g["doc"] in docs]
    core = [g for g in facts if g.get("core", True)]
    problems: list[dict[str, Any]] = []
    found = f1_sum = exact = dated = date_ok = based = basis_ok = 0
    for g in core:
        cover = [
            a
            for a in recs_of.get(g["instrument"], [])
            if g["doc"] in {doc_of.get(x) for x in a["article_ids"]}
        ]
        if not cover:
            problems.append(
                {
                    "class": "agreement not found",
                    "id": g["id"],
                    "doc": g["doc"],
                    "mention": g["mention"],
                    "expected": {"name": g["name"], "parties": g["parties"]},
                    "evidence": g["evidence"],
                }
            )
            continue
        found += 1
        rec = max(cover, key=lambda a: _f1(set(g["parties"]), codes(a.get("parties"))))
        f = _f1(set(g["parties"]), codes(rec.get("parties")))
        f1_sum += f
        exact += codes(rec.get("parties")) == set(g["parties"])
        if codes(rec.get("parties")) != set(g["parties"]):
            problems.append(
                {
                    "class": "parties",
                    "id": g["id"],
                    "name": rec.get("name"),
                    "expected": g["parties"],
                    "got": sorted(codes(rec.get("parties"))),
                }
            )
        if g.get("dates"):
            dated += 1
            hits = [
                (a, stage)
                for a in cover
                for stage, d in (a.get("dates") or {}).items()
                if d and any(_in_range(d, lo, hi) for lo, hi in g["dates"].values())
            ]
            if hits:
                date_ok += 1
                based += 1
                bases = {(a.get("date_basis") or {}).get(stage) for a, stage in hits}
                if bases & BASIS_OK.get(g.get("date_basis") or "text", set()):
                    basis_ok += 1
                else:
                    problems.append(
                        {
                            "class": "date basis",
                            "id": g["id"],
                            "name": rec.get("name"),
                            "expected": g.get("date_basis"),
                            "got": [a.get("date_basis") for a, _ in hits],
                        }
                    )
            else:
                problems.append(
                    {
                        "class": "date",
                        "id": g["id"],
                        "name": rec.get("name"),
                        "expected": g["dates"],
                        "got": [{k: v for k, v in (a.get("dates") or {}).items() if v} for a in cover],
                        "evidence": g["evidence"],
                    }
                )
    here = [a for a in agreements if {doc_of.get(x) for x in a.get("article_ids") or []} & docs]
    real = [a for a in here if assigned[a["id"]]]
    dups = 0
    instruments_here = {g["instrument"] for g in facts}
    for key in sorted(instruments_here):
        recs = [a for a in recs_of.get(key, []) if a in here]
        if len(recs) > 1:
            dups += len(recs) - 1
            problems.append(
                {
                    "class": "duplicate",
                    "instrument": key,
                    "got": [{"name": a.get("name"), "parties": a.get("parties")} for a in recs],
                }
            )
    negs = [g for g in gold if g["type"] == "negative"]
    for a in here:
        if assigned[a["id"]]:
            continue
        adocs = {doc_of.get(x) for x in a.get("article_ids") or []}
        neg = next((n for n in negs if n["doc"] in adocs and names_match([n["name"]], a.get("name"))), None)
        problems.append(
            {
                "class": "negative taken for an agreement" if neg else "agreement not in gold",
                "name": a.get("name"),
                "parties": a.get("parties"),
                "docs": sorted(d for d in adocs if d),
                "why": neg["why"] if neg else None,
                "evidence": (a.get("evidence") or [""])[0][:160],
            }
        )
    return {
        "gold_facts": len(core),
        "system_agreements": len(here),
        "recall": found / len(core) if core else 1.0,
        "precision": len(real) / len(here) if here else 0.0,
        "duplicates": dups,
        "party_f1": f1_sum / found if found else 0.0,
        "party_exact": exact / found if found else 0.0,
        "date_acc": date_ok / dated if dated else 0.0,
        "date_basis_acc": basis_ok / based if based else 0.0,
        "problems": problems,
    }


# ---------------------------------------------------------------------- the whole evaluation
def evaluate(
    exported: dict[str, list[dict[str, Any]]], gold: Sequence[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Scores for ``all``, ``dev`` and ``test`` from the export records of an ingested database."""
    gold = load_gold() if gold is None else gold
    doc_of = {a["id"]: os.path.basename(a.get("source") or "") for a in exported["articles"]}
    texts = {doc_of[a["id"]]: a.get("text") or "" for a in exported["articles"]}
    all_docs = {g["doc"] for g in gold}
    out = {}
    for split in SPLITS:
        docs = all_docs if split == "all" else {d for d in all_docs if split_of(d) == split}
        out[split] = {
            "articles": len(docs),
            "agreements": score_agreements(gold, exported["agreements"], doc_of, docs),
            "claims": score_claims(gold, exported["claims"], texts, doc_of, docs),
        }
    return out


def run(db: Path | None = None, pipeline: Any = None, data: Path = DATA) -> dict[str, Any]:
    """Ingest the articles of ``data`` (unless ``db`` is given) and evaluate against its gold."""
    gold = load_gold(data / "gold.jsonl")
    if db is not None:
        return evaluate(export_all(db), gold)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gold.duckdb"
        ingest_articles(path, pipeline, data)
        return evaluate(export_all(path), gold)


AGREEMENT_KEYS = (
    "recall",
    "precision",
    "duplicates",
    "party_f1",
    "party_exact",
    "date_acc",
    "date_basis_acc",
)
CLAIM_KEYS = (
    "recall",
    "precision",
    "kind_acc",
    "qualifier_acc",
    "unit_acc",
    "claimant_acc",
    "claimant_name_acc",
    "dispute_acc",
    "group_pair_recall",
    "group_pair_precision",
)


def summary(res: dict[str, Any]) -> str:
    def fmt(v: Any) -> str:
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    lines = []
    for split in SPLITS:
        r = res[split]
        ag, cl = r["agreements"], r["claims"]
        lines.append(
            f"[{split}] {r['articles']} articles, {ag['gold_facts']} agreement facts, "
            f"{cl['gold_claims']} claims (system: {ag['system_agreements']} agreements, "
            f"{cl['system_claims']} claims)"
        )
        lines.append("  agreements " + "  ".join(f"{k}={fmt(ag[k])}" for k in AGREEMENT_KEYS))
        lines.append("  claims     " + "  ".join(f"{k}={fmt(cl[k])}" for k in CLAIM_KEYS))
    return "\n".join(lines)


def details(res: dict[str, Any]) -> str:
    lines = []
    for area in ("agreements", "claims"):
        probs = res["all"][area]["problems"]
        by: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for p in probs:
            by[p.get("class", p.get("problem", "?"))].append(p)
        for cls, ps in sorted(by.items(), key=lambda kv: -len(kv[1])):
            lines.append(f"\n== {area}: {cls} ({len(ps)})")
            for p in ps:
                rest = {k: v for k, v in p.items() if k != "class"}
                lines.append("  " + json.dumps(rest, ensure_ascii=False, default=str))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="score this ingested database instead of ingesting")
    ap.add_argument("--json", action="store_true", help="print the full result as JSON")
    ap.add_argument("--no-details", action="store_true", help="only the figures, not the mismatches")
    ap.add_argument(
        "--data", type=Path, default=DATA,
        help="a gold folder (articles/ and gold.jsonl); tests/data/crossdoc_fresh is the held-out one",
    )
    args = ap.parse_args(argv)
    res = run(args.db, data=args.data)
    if args.json:
        print(json.dumps(res, indent=1, ensure_ascii=False, default=str))
        return 0
    print(summary(res))
    if not args.no_details:
        print(details(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
