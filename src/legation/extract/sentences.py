"""The sentence splitter the claim and agreement extractors share.

A regular expression rather than the sentences of the spaCy parse the actor stage leaves on
the context (``ctx.doc``): a long article is only partly parsed (:mod:`legation.select`), and
its unparsed text has one flat tree per line, so ``doc.sents`` there are lines, not sentences.
Even taking spaCy's sentences only inside the parsed spans, they are cut elsewhere: on the
seeds the claims and agreements came out the same, but on the 181 pages of the
article-extraction benchmark 107 of 255 claims and 1 of 5 agreement mentions changed (spaCy
cut elsewhere around abbreviations, quotes and headlines). The
results must not change with where the work runs, and the splitter costs well under a
millisecond an article; the extract stage runs it once for both extractors.
"""

from __future__ import annotations

import re

from legation.paragraphs import trimmed

#: Periods that do not end a sentence: initialisms ("U.S.", "U.N.") and common abbreviations
#: of titles, months and US states in datelines ("Gen.", "Oct.", "Md."). Without them "a deal
#: signed with the U.S. and Britain" is cut at "U." and loses its second party.
_ABBR = (
    r"(?:\b(?:[A-Z]\.){1,3}(?=[\s,;:)])|\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Adm|Gov|Sen|Rep|Prof|St|No|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Md|Calif|Va|Mass|Fla)\.(?=[\s,]))"
)
#: A point between digits is a decimal point or a thousands separator ("$6.5 billion",
#: "1.200 soldiers"), never a sentence end: the splitter once cut "$6.5 billion" into "...$6."
#: and "5 billion...", and the claim was stored as 6.
_DECIMAL = r"(?<=\d)\.(?=\d)"
_SENT = re.compile(rf"(?:{_ABBR}|{_DECIMAL}|[^.!?\n])+(?:[.!?]+|$)")


def sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text`` (a simple splitter: enough for figures)."""
    return trimmed(text, (m.span() for m in _SENT.finditer(text)))
