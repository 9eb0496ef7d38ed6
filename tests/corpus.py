"""Synthetic pages for tests: deterministic, varied prose wrapped in site chrome.

Sentences are assembled from small vocabularies with a seeded RNG, so every page is a distinct
article (no two share long word runs) while the chrome around it repeats like a real site's.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

SUBJECTS = [
    "The foreign ministry",
    "The defence minister",
    "Officials in the capital",
    "The delegation",
    "The prime minister",
    "A government spokesperson",
    "The envoy",
    "Parliament",
    "The council",
    "Military planners",
    "The trade commissioner",
    "Diplomats",
    "The security council",
    "Observers",
]
VERBS = [
    "announced",
    "discussed",
    "rejected",
    "welcomed",
    "criticised",
    "reviewed",
    "proposed",
    "confirmed",
    "postponed",
    "questioned",
    "supported",
    "examined",
    "negotiated",
    "outlined",
]
OBJECTS = [
    "a new maritime patrol plan",
    "the border agreement",
    "fresh sanctions on shipping firms",
    "a humanitarian corridor",
    "the reconstruction fund",
    "joint naval exercises",
    "the cyber defence dialogue",
    "an arms export licence",
    "the grain shipment deal",
    "a ceasefire monitoring mission",
    "the energy security pact",
    "talks on prisoner exchanges",
    "a regional air defence network",
    "the satellite launch schedule",
]
TAILS = [
    "after weeks of talks",
    "despite objections from the opposition",
    "ahead of the summit",
    "in a statement on its website",
    "during a visit to the region",
    "according to local media",
    "as tensions rose along the frontier",
    "following an emergency meeting",
    "for the third time this year",
    "with support from neighbouring states",
    "while markets watched closely",
    "in a televised address",
]

CHROME_TOP = ["Home", "World", "Politics", "Business", "Opinion", "Subscribe", "Log In"]
CHROME_BOTTOM = [
    "Share on FacebookShare on Twitter",
    "Related Posts",
    "12,345FansLike",
    "LEAVE A REPLY",
    "Please enter your comment!",
    "© 2024 Example Times. All Rights Reserved.",
]


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(TAILS)}."


def body(seed: int, paragraphs: int = 5) -> str:
    rng = random.Random(seed)
    paras = []
    for _ in range(paragraphs):
        paras.append(" ".join(sentence(rng) for _ in range(rng.randint(3, 5))))
    return "\n\n".join(paras)


def page(seed: int, title: str | None = None) -> str:
    """A text dump: menu, title, date, body, footer chrome."""
    title = title or f"Officials weigh response to regional crisis, part {seed}"
    return (
        "\n".join(CHROME_TOP)
        + f"\n\n{title}\n\n14 March 2024\n\n"
        + body(seed)
        + "\n\n"
        + "\n".join(CHROME_BOTTOM)
        + "\n"
    )


def write_corpus(folder: Path, n: int, *, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        p = folder / f"page_{i:04d}.txt"
        p.write_text(page(i), encoding="utf-8")
        paths.append(p)
    return paths


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path
