"""Precision, recall and F1 per PLOVER type, and threshold sweeps (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def f_beta(p: float, r: float, beta: float = 1.0) -> float:
    b2 = beta * beta
    return (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0


def prf_table(gold: Sequence[set[str]], pred: Sequence[set[str]], types: Iterable[str]) -> dict[str, Any]:
    """Per-type P/R/F1 over units (sentences) with gold and predicted type sets, plus macro.

    The macro average is over types with at least one gold positive in the data (a type absent
    from the gold set has no recall to speak of). ``any_event`` scores "some event" vs "none",
    ``exact`` the share of units whose predicted set equals the gold set.
    """
    rows: dict[str, dict[str, float]] = {}
    for t in types:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if t in g and t in p)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if t not in g and t in p)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if t in g and t not in p)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        rows[t] = {"p": prec, "r": rec, "f1": f_beta(prec, rec), "support": tp + fn, "predicted": tp + fp}
    present = [r for r in rows.values() if r["support"]]
    macro = {k: sum(r[k] for r in present) / len(present) if present else 0.0 for k in ("p", "r", "f1")}
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g and p)
    fp = sum(1 for g, p in zip(gold, pred, strict=True) if not g and p)
    fn = sum(1 for g, p in zip(gold, pred, strict=True) if g and not p)
    ap = tp / (tp + fp) if tp + fp else 0.0
    ar = tp / (tp + fn) if tp + fn else 0.0
    micro_tp = sum(len(g & p) for g, p in zip(gold, pred, strict=True))
    micro_fp = sum(len(p - g) for g, p in zip(gold, pred, strict=True))
    micro_fn = sum(len(g - p) for g, p in zip(gold, pred, strict=True))
    mp = micro_tp / (micro_tp + micro_fp) if micro_tp + micro_fp else 0.0
    mr = micro_tp / (micro_tp + micro_fn) if micro_tp + micro_fn else 0.0
    return {
        "types": rows,
        "macro": macro,
        "micro": {"p": mp, "r": mr, "f1": f_beta(mp, mr)},
        "any_event": {"p": ap, "r": ar, "f1": f_beta(ap, ar)},
        "exact": sum(1 for g, p in zip(gold, pred, strict=True) if g == p) / len(gold) if gold else 0.0,
        "units": len(gold),
    }


def sweep_threshold(pairs: Sequence[tuple[float, int]], grid: Sequence[float], beta: float = 1.0) -> float:
    """The grid threshold with the best F-beta on (probability, 0/1) pairs; 0.5 without positives.

    Ties go to the higher threshold (fewer false positives for the same F).
    """
    if not any(y for _, y in pairs):
        return 0.5
    best, best_f = 0.5, -1.0
    for thr in grid:
        tp = sum(1 for p, y in pairs if p >= thr and y)
        fp = sum(1 for p, y in pairs if p >= thr and not y)
        fn = sum(1 for p, y in pairs if p < thr and y)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f = f_beta(prec, rec, beta)
        if f >= best_f:
            best, best_f = thr, f
    return float(best)
