"""Per-line evidence for the text-dump cleaner: is a logical line prose, chrome, or neither?

Every logical line gets a score: positive for prose (proportional to its length, so long paragraphs
anchor the body), slightly negative for short neutral lines (headings, datelines, captions: cheap
to bridge inside a body, never worth starting one), strongly negative for what is certainly chrome
(chrome phrases, counters, lines printed twice on the page, lines the site prints on many pages).
The region picker in :mod:`legation.clean.textdump` then looks for the best-scoring block.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from legation.clean.agencies import shipped_agencies
from legation.clean.chrome import SiteChrome, line_key
from legation.clean.textdump_lines import PhysLine

# Widget and navigation phrases: a short line that *is* one of these (or starts with one) is chrome.
# Only applied to short lines (see _PHRASE_MAX_WORDS): a body sentence may well say "subscribe".
_CHROME_START = re.compile(
    r"^(?:share(?: this| on| via|d)?\b|tweet\b|pin it|email this|print(?: this)?\b|subscribe|sign (?:up|in)|"
    r"log ?in\b|log ?out|register\b|forgot(?:ten)? (?:your )?password|retrieve your password|"
    r"(?:remember|lost) (?:me|password)|"
    r"related(?: posts| articles| news| stories| content| topics| coverage)?\b|read (?:more|next|also|full)|"
    r"see (?:more|also|all)|view (?:all|more|comments)|show (?:more|comments)|load more|"
    r"more (?:from|on|in|stories|news|articles)|"
    r"recommended|trending|most (?:popular|read|viewed|shared)|popular (?:posts|stories|now)|must read|"
    r"latest (?:news|posts|stories|articles)|last posts|recent (?:posts|comments|articles)|top stories|"
    r"editor'?s picks|"
    r"you (?:may|might) (?:also )?like|don'?t miss|also read|further reading|next (?:article|post|story)|"
    r"previous (?:article|post|story)|(?:leave|post|write|add) a (?:reply|comment|response)|comments?\b|"
    r"\d+ comments?|no comments|be the first to comment|join the (?:conversation|discussion)|cancel reply|"
    r"please enter your|your (?:email|name|comment)|required fields|stay connected|follow us|"
    r"connect with us|find us on|like us on|newsletter|get (?:the|our) (?:latest|newsletter)|"
    r"advertisement|advertising|sponsored|ads? by|skip to|jump to|back to top|go to top|main menu|menu\b|"
    r"search\b|close\b|home\b|about us|contact(?: us)?\b|privacy|cookie|terms (?:of|and)|sitemap|"
    r"all rights reserved|copyright|©|\(c\) \d|no results?\b|view all results?|tags?:|filed under|"
    r"posted in|categories:|category:|photo credit|image credit|credit:|source:? ?(?:getty|ap|reuters)|"
    r"click here|download (?:the|our) app|listen to|watch:|video:|forward to (?:a|your) friends?|"
    r"welcome back|log in to your account|add new playlist|edition\b|select (?:language|edition)|"
    r"toggle|loading|javascript|enable javascript|your browser)",
    re.IGNORECASE,
)
_PHRASE_MAX_WORDS = 12

# Boilerplate sentences that are chrome at any length (consent banners, rights notices).
_CHROME_ANY = re.compile(
    r"(?:this (?:web)?site uses cookies|we use cookies|by (?:continuing|using) (?:to use )?(?:this|our) "
    r"(?:web)?site|all rights reserved|cookie policy|accept (?:all )?cookies|"
    r"you (?:are|have) (?:reached|read) (?:your|the) (?:limit|maximum)|subscribe (?:now|today) (?:to|for)|"
    r"this material may not be published, broadcast, rewritten|please enter your (?:comment|name|email)|"
    # Comment-form consent notices (WordPress and GDPR plugins): long, sentence-shaped, and printed
    # right under the article, so the region ran on into them (dev: pv-magazine, 4 lines of them).
    r"save my name, email,? and website|by submitting this form|you may revoke (?:this|your) consent|"
    r"your personal data will|"
    # Reprint notices under science-news articles ("Citation: <title> (2019, November 18) retrieved
    # 20 November 2019 from https://...", "This document is subject to copyright.").
    r"this document is subject to copyright|^citation: .* retrieved \d)",
    re.IGNORECASE,
)

# Social counters glued to their label ("16,985FansLike", "2,458 Followers Follow", "12 Shares").
_COUNTER = re.compile(
    r"^\d[\d,.]*\s*[kKmM]?\s*(?:fans|followers|subscribers|likes?|shares?|comments?|views?|reads?|"
    r"members|posts|tweets|pins|votes)\b",
    re.IGNORECASE,
)
# A photo caption or credit: "In this Dec. 12, 2006, file photo, ...", "FILE PHOTO: ...", "... (AP Photo/
# Alan Diaz, File)", "(Image: GETTY )", "Photograph: Tim Robberts/Getty Images", "... REUTERS/Brendan
# McDermid". Captions are sentence-shaped, so they scored as prose and pulled the region start onto
# the lead picture above the body (dev: ctvnews). On the benchmark dumps 54 lines match, none is
# gold body text; agency names are matched case-sensitively ("(ePA)" in a German body is not EPA).
_CAPTION = re.compile(
    r"^(?:file photo\b|(?:in )?this\b[^.]{0,80}\b(?:file )?photo(?:graph)?\b)"
    r"|\b(?:photo(?:graph)?|image|picture)s?: [^.!?]{0,60}$"
    # Agency names from data/clean/agencies.yaml ("caption" and "slash" spellings).
    r"|\((?-i:" + shipped_agencies().alternation("caption") + r")(?: Photo[^)]*)?\)$"
    r"|\b(?-i:" + shipped_agencies().alternation("slash") + r")/\S+(?: \S+)?$",
    re.IGNORECASE,
)
_CAPTION_MAX_WORDS = 60
# A word cloud or a flattened menu: thirty words or more without a single punctuation mark ("adote
# um amigo agua alerta ...", "Archives Select Month October 2019 September 2019 ...", "AL AK AS
# ..."). Its length made it prose; a paragraph that long always has a comma or a full stop. On
# the benchmark dumps 13 lines match, none of them body text (at 15 words, 23 body lines would).
_CLOUD_MIN_WORDS = 30
_PUNCT = re.compile(r"[.,;:!?。，、！？]")
# A byline or author label on its own line ("By Jane Doe", "Author: Daniel", "written by Regan").
_BYLINE = re.compile(r"^(?:by|author|authors|written by|posted by|published by|words by)\s*:?\s+\S", re.I)

_SENT_END = re.compile(r"[.!?。！？][\"”’')\]]*$")
# A teaser cut short by the site ("... Active Noise Cancellat...", "Read more »"): never body text
# (the body is printed whole), and its full stop must not make it look like a sentence.
_TRUNCATED = re.compile(r"(?:\.{3}|…|\[(?:…|\.\.\.)\]|read more\W*|continue reading\W*)$", re.IGNORECASE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


@dataclass
class LineInfo:
    """Evidence about one logical line.

    Attributes:
        units: length in "word units" (characters / 6, CJK characters counted triple because they
            carry a word's worth of content in two characters).
        words: whitespace-separated tokens.
        sentence: ends with sentence punctuation.
        chrome: certainly chrome (phrase, counter, site memory, byline).
        repeated: its key occurs more than once on the page (a menu printed twice).
        score: the line's contribution to a body region.
    """

    units: float
    words: int
    sentence: bool
    chrome: bool
    repeated: bool
    score: float


# Score of a short neutral line. -1.5 word units: a body with a sub-heading every few paragraphs
# pays little, but a run of twenty menu items costs as much as a 30-word paragraph gains, which
# stopped regions from reaching across menus on the dev split (tried -0.5 .. -4; -1 to -2 best).
_NEUTRAL = -3.0
# Score of a certain-chrome line: large enough that no region reaches across a chrome line for a
# single paragraph (a 40-word teaser after "Related Posts" is not the body), small enough that a
# long body on both sides of an inline "Advertisement" stays one region.
_CHROME = -12.0
# Score of a line printed more than once on the page (and not certain chrome): a menu printed twice
# costs 3 per item, which with the neutral score of its non-repeated neighbours keeps regions out of
# menus; -12 (as certain chrome) cut bodies with repeated sub-headings in two on the dev split.
_REPEATED = -3.0
# A prose line must have at least this many word units to count as prose when it does not end a
# sentence (long titles of related posts do not end with a full stop; paragraphs nearly always do).
_LONG_UNITS = 25.0
_PROSE_OFFSET = 10.0
# Prose lines shorter than this are scored like neutral lines unless they end a sentence.
_MIN_SENT_WORDS = 5


def _units(text: str) -> float:
    return (len(text) + 2 * len(_CJK.findall(text))) / 6.0


def analyse(texts: list[str], heads: list[PhysLine], chrome: SiteChrome | None) -> list[LineInfo]:
    """Score every logical line of a page.

    Args:
        texts: logical lines (from :func:`legation.clean.textdump_lines.logical_lines`).
        heads: the physical line each logical line starts with.
        chrome: the site's memory, if any.

    Returns:
        One :class:`LineInfo` per line.
    """
    keys = [line_key(t) for t in texts]
    on_page = Counter(k for k in keys if k is not None)
    out: list[LineInfo] = []
    for text, head, key in zip(texts, heads, keys, strict=True):
        words = len(text.split())
        units = _units(text)
        truncated = bool(_TRUNCATED.search(text))
        sentence = bool(_SENT_END.search(text)) and not truncated
        repeated = key is not None and on_page[key] > 1
        is_chrome = (
            (words <= _PHRASE_MAX_WORDS and bool(_CHROME_START.match(text)))
            or bool(_CHROME_ANY.search(text))
            or bool(_COUNTER.match(text))
            or (words <= _CAPTION_MAX_WORDS and bool(_CAPTION.search(text)))
            or (words >= _CLOUD_MIN_WORDS and not _PUNCT.search(text))
            or (words <= 6 and bool(_BYLINE.match(text)))
            or (chrome is not None and chrome.is_chrome(text))
        )
        if is_chrome:
            score = _CHROME
        elif repeated:
            # A line printed twice on one page is a menu, a widget label, a ticker or a teaser
            # headline; but bodies repeat lines too (a recipe's "Pre-Workout Meal" sections, a
            # pull quote), so the penalty is mild and the line is only dropped from the body when
            # a copy of it lies outside the body (see textdump._keep).
            score = _REPEATED
        elif truncated:
            score = _NEUTRAL
        elif (sentence and words >= _MIN_SENT_WORDS) or units >= _LONG_UNITS:
            score = (units if sentence else units * 0.5) - _PROSE_OFFSET
            if head.bullet:
                # List items in a body are usually short sentences; long bulleted lines are more
                # often teasers in a sidebar. Half weight either way.
                score *= 0.5
        else:
            score = _NEUTRAL
        out.append(LineInfo(units, words, sentence, is_chrome, repeated, score))
    return out
