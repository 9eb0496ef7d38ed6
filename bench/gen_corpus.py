"""Generate a synthetic news corpus for the scale benchmarks (``bench/bench_memory.py``).

Articles are short (60-150 words), built from templates with varied actors (states,
organisations, leaders), event verbs, dates, figures and agreements, so that the pipeline
finds actors, events, claims and agreements, and related articles form stories and event
clusters. Output is deterministic for a given ``--seed``.

Layout: ``DIR/jsonl/part-NNNNN.jsonl`` with ``--per-file`` records each (default 1000), plus
every ``--txt-every``-th article written as a plain ``DIR/txt/NNNNNN.txt`` page instead.
Articles come out roughly in publication order (a crawl sorted by day, with a little jitter),
over ``--days`` days; ``--shuffle`` writes them in random date order instead, the worst case
for the date-windowed cross-article steps.

Usage::

    .venv/bin/python bench/gen_corpus.py --n 100000 --out /tmp/corpus [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

STATES: list[tuple[str, str, str, str]] = [
    # (name, adjective, capital, leader)
    ("Russia", "Russian", "Moscow", "Vladimir Putin"),
    ("Ukraine", "Ukrainian", "Kyiv", "Volodymyr Zelensky"),
    ("China", "Chinese", "Beijing", "Xi Jinping"),
    ("the United States", "US", "Washington", "Joe Biden"),
    ("France", "French", "Paris", "Emmanuel Macron"),
    ("Germany", "German", "Berlin", "Olaf Scholz"),
    ("Japan", "Japanese", "Tokyo", "Fumio Kishida"),
    ("India", "Indian", "New Delhi", "Narendra Modi"),
    ("Iran", "Iranian", "Tehran", "Masoud Pezeshkian"),
    ("Israel", "Israeli", "Jerusalem", "Benjamin Netanyahu"),
    ("Turkey", "Turkish", "Ankara", "Recep Tayyip Erdogan"),
    ("Brazil", "Brazilian", "Brasilia", "Luiz Inacio Lula da Silva"),
    ("South Korea", "South Korean", "Seoul", "Yoon Suk Yeol"),
    ("North Korea", "North Korean", "Pyongyang", "Kim Jong Un"),
    ("the United Kingdom", "British", "London", "Keir Starmer"),
    ("Poland", "Polish", "Warsaw", "Donald Tusk"),
    ("Egypt", "Egyptian", "Cairo", "Abdel Fattah al-Sisi"),
    ("Saudi Arabia", "Saudi", "Riyadh", "Mohammed bin Salman"),
    ("Pakistan", "Pakistani", "Islamabad", "Shehbaz Sharif"),
    ("South Africa", "South African", "Pretoria", "Cyril Ramaphosa"),
]
ORGS = [
    "NATO",
    "the European Union",
    "the United Nations",
    "the African Union",
    "the International Atomic Energy Agency",
    "ASEAN",
]
SITES = [
    ("Legation Wire", "wire.legation.example"),
    ("Global Desk", "globaldesk.example"),
    ("The Diplomatic Post", "dippost.example"),
    ("Capital Times", "capitaltimes.example"),
    ("World Security Review", "wsr.example"),
    ("Morning Herald", "morningherald.example"),
]
# (headline verb, body sentence) templates; {a}/{b} are actors, {d} a date phrase, {n} a number.
EVENTS = [
    ("meets", "{a} met {b} in {city} {d} to discuss security cooperation and trade."),
    ("talks", "{la} held talks with {lb} {d}, officials said, describing the meeting as constructive."),
    ("sanctions", "{a} imposed new sanctions on {b} {d}, targeting {n} companies and banks."),
    ("accuses", "{a} accused {b} {d} of violating the ceasefire along the border."),
    ("condemns", "{a} condemned the missile launch by {b} {d}, calling it a grave provocation."),
    ("aid", "{a} pledged {n} million dollars in humanitarian aid to {b} {d}."),
    ("threatens", "{a} threatened {b} with retaliation {d} if the blockade continued."),
    ("deploys", "{a} deployed {n} troops near the border with {b} {d}, satellite images showed."),
    ("attack", "Forces of {a} attacked positions held by {b} {d}, killing at least {n} people."),
    ("calls", "{la} spoke by phone with {lb} {d} about the crisis and regional stability."),
    ("rejects", "{a} rejected the proposal put forward by {b} {d}, saying it ignored its concerns."),
    ("urges", "{a} urged {b} {d} to return to negotiations and release the detained diplomats."),
    ("visits", "{la} visited {city} {d} and was received by {lb}."),
    ("protests", "{a} summoned the ambassador of {b} {d} to protest against the airspace violation."),
]
AGREEMENTS = [
    "Strategic Partnership Agreement",
    "Defence Cooperation Agreement",
    "Free Trade Agreement",
    "Energy Security Pact",
    "Maritime Security Accord",
    "Grain Export Deal",
]
AG_STAGES = ["signed", "announced", "ratified", "launched"]
FILLER = [
    "Analysts said the move reflected growing tension in the region.",
    "The statement did not give further details.",
    "Diplomats said more meetings were expected in the coming weeks.",
    "Markets reacted calmly to the news.",
    "The foreign ministry said the talks had been frank and open.",
    "Observers warned that the situation could escalate quickly.",
    "A spokesperson declined to comment on the report.",
    "The issue is expected to come up at the next summit.",
    "Officials on both sides described relations as stable.",
    "Opposition politicians criticised the government's handling of the matter.",
    "Experts noted that similar steps had been taken last year.",
    "Residents near the border said they had heard explosions overnight.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


SYLLABLES = [
    "ka",
    "ro",
    "vel",
    "mir",
    "ta",
    "sun",
    "bor",
    "lin",
    "dra",
    "zek",
    "ol",
    "pra",
    "nev",
    "ish",
    "gor",
    "tam",
    "ul",
    "ves",
    "char",
    "kon",
    "ri",
    "das",
    "mel",
    "tov",
    "ash",
    "quin",
    "bel",
    "yor",
]
STORY_NOUNS = [
    "pipeline",
    "corridor",
    "dam",
    "port",
    "airbase",
    "border crossing",
    "gas field",
    "railway",
    "enclave",
    "strait",
    "island",
    "refinery",
    "canal",
    "mine",
    "reactor",
    "bridge",
]


def _party(rng: random.Random) -> tuple[str, str, str, str]:
    if rng.random() < 0.2:
        o = rng.choice(ORGS)
        return (o, o, "Brussels", o)
    return rng.choice(STATES)


def _pseudo(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


@dataclass
class Story:
    """A news story: two parties and a distinctive subject, covered for a few days."""

    a: tuple[str, str, str, str]
    b: tuple[str, str, str, str]
    place: str
    thing: str
    words: list[str]
    left: int


def new_story(rng: random.Random) -> Story:
    a, b = _party(rng), _party(rng)
    while b[0] == a[0]:
        b = _party(rng)
    words = [_pseudo(rng) for _ in range(6)]
    return Story(a, b, _pseudo(rng), rng.choice(STORY_NOUNS), words, rng.randint(5, 60))


def article(i: int, day: date, rng: random.Random, st: Story) -> dict[str, Any]:
    """One synthetic article of story ``st``, published on ``day``."""
    a, b = (st.a, st.b) if rng.random() < 0.7 else (st.b, st.a)
    d_phrase = rng.choice([f"on {WEEKDAYS[day.weekday()]}", f"on {day.day} {day:%B} {day.year}", "this week"])
    fields = {
        "a": a[0],
        "b": b[0],
        "la": a[3] if rng.random() < 0.5 else a[0],
        "lb": b[3] if rng.random() < 0.5 else b[0],
        "city": rng.choice([a[2], b[2], "Geneva", "Vienna", "Doha"]),
        "d": d_phrase,
    }
    w = st.words
    story_lines = [
        f"The dispute centres on the {st.place} {st.thing}, which both sides claim.",
        f"Officials in {st.place} said the {w[0]} and {w[1]} districts were closed to traffic.",
        f"The {w[2]} commission, chaired by {w[3]} {w[4]}, is due to report on the {st.place} {st.thing}.",
        f"Residents of {w[5]} near the {st.thing} described long queues and shortages.",
        f"Satellite images of the {st.place} {st.thing} showed new construction around {w[0]}.",
        f"The {w[1]} {w[2]} company, which operates the {st.thing}, suspended work at {st.place}.",
    ]
    sentences: list[str] = []
    head_verb = ""
    for k in range(rng.randint(2, 3)):
        verb, tpl = rng.choice(EVENTS)
        head_verb = head_verb or verb
        sentences.append(tpl.format(n=rng.randint(2, 900), **fields))
        if k == 0 and rng.random() < 0.4:
            who = rng.choice([a[1], b[1]])
            sentences.append(
                f"{who} officials said {rng.randint(5, 500)} soldiers had been killed "
                "since the start of the month."
            )
    if rng.random() < 0.25:
        ag = rng.choice(AGREEMENTS)
        stage = rng.choice(AG_STAGES)
        sentences.append(f"{a[0][0].upper() + a[0][1:]} and {b[0]} {stage} the {ag} {d_phrase}.")
    sentences += rng.sample(story_lines, rng.randint(2, 4))
    target = rng.randint(60, 150)
    while sum(len(x.split()) for x in sentences) < target:
        sentences.append(rng.choice(FILLER + story_lines))
    rest = sentences[1:]
    rng.shuffle(rest)
    sentences = sentences[:1] + rest
    paras = [" ".join(sentences[j : j + 3]) for j in range(0, len(sentences), 3)]
    paras[0] = f"{a[2].upper()}, {day:%b}. {day.day} - " + paras[0]
    subject = a[0][0].upper() + a[0][1:]
    title = f"{subject} {head_verb} {b[0]} over {st.place} {st.thing}"
    site, host = rng.choice(SITES)
    return {
        "id": f"syn-{i:07d}",
        "url": f"https://{host}/{day:%Y/%m/%d}/story-{i}",
        "site": site,
        "title": title,
        "published": day.isoformat(),
        "text": "\n\n".join(paras),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000, help="articles (default 100000)")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-file", type=int, default=1000, help="records per .jsonl file")
    ap.add_argument("--txt-every", type=int, default=50, help="every Nth article as a .txt file (0: none)")
    ap.add_argument("--days", type=int, default=730, help="days the corpus spans")
    ap.add_argument(
        "--shuffle", action="store_true", help="random date order instead of roughly chronological"
    )
    args = ap.parse_args()
    rng = random.Random(args.seed)
    start = date(2023, 1, 1)
    days = [
        start + timedelta(days=int(args.days * i / max(1, args.n)) + rng.randint(-1, 1))
        for i in range(args.n)
    ]
    if args.shuffle:
        rng.shuffle(days)
    (args.out / "jsonl").mkdir(parents=True, exist_ok=True)
    (args.out / "txt").mkdir(parents=True, exist_ok=True)
    fh = None
    in_file = 0
    part = 0
    n_txt = 0
    try:
        live: list[Story] = []
        for i in range(args.n):
            # About 40 stories run at once; each ends after its last article.
            if len(live) < 40 or rng.random() < 0.02:
                live.append(new_story(rng))
            st = rng.choice(live)
            st.left -= 1
            if st.left <= 0:
                live.remove(st)
            rec = article(i, days[i], rng, st)
            if args.txt_every and i % args.txt_every == args.txt_every - 1:
                # A plain text page: title line, dateline, body (no site: the path is the source).
                page = f"{rec['title']}\n{days[i]:%B} {days[i].day}, {days[i].year}\n\n{rec['text']}\n"
                (args.out / "txt" / f"{i:07d}.txt").write_text(page, encoding="utf-8")
                n_txt += 1
                continue
            if fh is None or in_file >= args.per_file:
                if fh is not None:
                    fh.close()
                fh = (args.out / "jsonl" / f"part-{part:05d}.jsonl").open("w", encoding="utf-8")
                part += 1
                in_file = 0
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            in_file += 1
    finally:
        if fh is not None:
            fh.close()
    print(f"{args.n} articles: {args.n - n_txt} in {part} .jsonl files, {n_txt} .txt files, under {args.out}")


if __name__ == "__main__":
    main()
