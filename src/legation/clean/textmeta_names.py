"""Names in a text dump's head and footer: bylines, photo credits and the site's name.

Split out of :mod:`legation.clean.textmeta`, which finds where the head is; this module only
reads single lines. Authors are persons: a byline that names a wire service, a desk or "staff"
("By Legation Wire staff", "By Reuters") is still a byline (it is not the headline and not body
text) but gives no author, because ``author`` lists people and the organisation is what ``site``
is for. Job titles after a name ("By Jane Doe, Defense Correspondent") are not further authors.
"""

from __future__ import annotations

import re

from legation.clean.agencies import shipped_agencies

SENT_END = re.compile(r"[.!?…][\"”’')\]]*$")
_WORD = re.compile(r"[^\W\d_][\w’'\-.]*")

_AUTHOR_LABEL = re.compile(
    r"^(?:Author|Authors|Written by|Words by|Reporting by|Posted by|By)\s*[:\-–]?\s*(?P<names>.+)$", re.I
)
# Labels that make a line a byline whatever follows them ("Author: <anything>"). "By" is left out:
# "By the numbers: ..." and "By contrast" open headlines and sentences.
_STRONG_LABEL = re.compile(r"(?i)^(?:Authors?|Written by|Words by|Reporting by|Posted by)\b")
# Offices that make "Name, <office...>" a byline rather than the start of a sentence.
_OFFICE = re.compile(
    r"\b(?:Minister|President|Secretary|Representative|Ambassador|Commissioner|Chancellor|Director|"
    r"Chair(?:man|woman|person)?|Head|Chief|Spokes(?:person|man|woman)|Correspondent|Reporter|Editor|"
    r"Writer|Journalist|Columnist|Analyst|Professor|Fellow|Researcher|Senator|Governor|Mayor|Envoy|"
    r"Adviser|Advisor|Member|Leader|Founder|Officer|General|Vice-President|Contributor)\b"
)
# Words of job titles and of collective bylines. A byline part holding one of them is a role
# ("Defense Correspondent", "Washington Bureau Chief") or an organisation ("Legation Wire staff",
# "Associated Press"), never a person's name: person names are what the author list is for.
_JOB_WORDS = {
    "correspondent", "correspondents", "editor", "editors", "reporter", "reporters", "writer", "writers",
    "staff", "bureau", "chief", "contributor", "contributors", "contributing", "columnist", "journalist",
    "producer", "photographer", "photographers", "analyst", "critic", "anchor", "host", "intern",
    "desk", "team", "newsroom", "reports", "wire", "wires", "agency", "agencies", "press", "services",
    "senior", "associate", "managing", "executive", "deputy", "special", "freelance",
}  # fmt: skip
_NAME_TOKEN = re.compile(r"^(?:[A-Z][a-zà-ÿ’'\-]*\.?|[A-Z]{2,}|[A-Z][a-z]+-[A-Z][a-z]+)$")
_NAME_PARTICLES = {
    "de", "da", "del", "della", "di", "van", "von", "der", "den", "bin", "al", "la", "le", "du",
}  # fmt: skip
NOT_NAME = {
    "The", "A", "An", "Staff", "Our", "Editorial", "Admin", "Team", "Newsroom", "Desk", "News",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
}  # fmt: skip
MONTH_WORDS = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
}  # fmt: skip
# Where the name part of a byline ends: a separator ("Jane Doe | Reuters", "Jane Doe - Nov 4"),
# a category or place tail ("Keiko Arden in Diplomacy, EU", which a dump glues to the byline when
# the category row follows it), an outlet ("Jane Doe for The Gazette") or a web address.
_NAMES_END = re.compile(r"\s[|•·–—-]\s|\s*\||\s+(?:in|for|at|from|via|on)\s+|\s+\S+\.(?:com|org|net|co)\b")

# A photo caption or credit: credits close captions ("... in Madrid. (Manu Fernandez/AP)",
# "Credit... Doug Mills/The New York Times", "[SpaceX via Nasa]", "... Timothy Weeks AP") and
# position markers ("Kevin King (left)") are never part of a headline. Captions sit between the
# headline and the text as often as bylines do, and are headline-shaped otherwise.
# The agency names come from data/clean/agencies.yaml: "bracketed" spellings inside the brackets,
# "line_end" spellings after the last space.
_CREDIT = re.compile(
    r"\bCredit\b|\bPhoto(?:graph)?s?\s*(?:by\b|:)|\((?:left|right|cent(?:er|re)|top|bottom|L|R)\)"
    r"|[(\[][^()\[\]]{0,60}(?:/|\bvia\b|\b[Ss]ource\b|\bPublished\b|\.com\b|"
    + shipped_agencies().alternation("bracketed", whole_caps=True)
    + r")[^()\[\]]{0,60}[)\]]\s*$"
    r"|\b[A-Z][\w.\-]*/[A-Z][\w.\- ]*$|\s(?:" + shipped_agencies().alternation("line_end") + r")\.?$"
)
_COPYRIGHT = re.compile(
    r"(?:(?:©|\([cC]\)|\bCopyright\b)\s*)+(?:(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?)?\s*,?\s*"
    r"(?P<site>[A-Z][\w&'’.\- ]{0,60}?)\s*(?:[.,|·•]\s|[|·•]|\s[-–]\s|\s+All\s+Rights|\.?$)",
)
# Company forms after the name of the company that owns the site: the site's name is the name
# the page shows its readers, not the legal entity's.
_LEGAL_SUFFIX = re.compile(
    r"(?:,?\s+(?:LLC|L\.L\.C\.|Inc\.?|Ltd\.?|Limited|Corp\.?|Corporation|GmbH|PLC|plc|S\.A\.|AG|Co\.))+$"
)
_TRAILING_YEAR = re.compile(r"\s*,?\s*(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?$")


def words(line: str) -> list[str]:
    """The words of a line (letters first; numbers are not words)."""
    return _WORD.findall(line)


def is_role(part: str) -> bool:
    """The byline part is a job title or an organisation, not a person ("Defense Correspondent")."""
    return any(t.strip(".,").lower() in _JOB_WORDS for t in part.split())


def names(text: str, *, allow_single: bool) -> list[str]:
    """Person names from a byline's name part ("Jane Doe and John Smith | Reuters").

    Names come first and the first part that is not a name ends them ("Jane Doe, Reuters"); a part
    that is a job title ends them too, so "Rachel Okafor, Defense Correspondent" is one author
    while "Jane Doe, John Smith and Li Wei" are three.
    """
    text = _NAMES_END.split(text)[0]
    out: list[str] = []
    for part in re.split(r"\s*(?:,|\band\b|&)\s*", text):
        tokens = part.split()
        if not tokens:
            continue
        caps = [t for t in tokens if t.lower() not in _NAME_PARTICLES]
        if (
            not 1 <= len(tokens) <= 4
            or not caps
            or not all(_NAME_TOKEN.match(t) for t in caps)
            or caps[0] in NOT_NAME
            or caps[0] in MONTH_WORDS
            or is_role(part)
            or (len(caps) < 2 and not allow_single)
        ):
            break
        name = " ".join(tokens)
        out.append(name.title() if name.isupper() else name)
    return out


def all_names(text: str) -> list[str]:
    """The names when ``text`` is nothing but person names ("Chris Davies", "Jane Doe and Li Wei")."""
    found = names(text, allow_single=False)
    rest = re.sub(r"\s*(?:,|\band\b|&)\s*", " ", text).split()
    return found if found and sum(len(n.split()) for n in found) == len(rest) else []


def name_shaped(line: str) -> bool:
    """Only capitalised words, "and" and initials: a byline without label ("VICTOR TANGERMANN, FUTURISM")."""
    tokens = line.replace(",", " ").split()
    return (
        2 <= len(tokens) <= 12
        and all(w[0].isupper() or w in ("and", "&") or w.lower() in _NAME_PARTICLES for w in tokens)
        and not any(ch.isdigit() for ch in line)
    )


def names_only(line: str) -> bool:
    """Nothing but names and affiliations: a byline without label or a photo credit.

    "Jane Doe, Gazette", "Al Goldis, Associated Press", "Tom Davies Associated Press", "Detroit
    News wire services": capitalised words (or job and agency words) only, with a person's name
    first or an agency's words in it. A title-cased headline has the shape too, which is why such
    lines are only passed over, not ruled out (see textmeta._title).
    """
    tokens = line.replace(",", " ").split()
    if not 2 <= len(tokens) <= 10 or any(ch.isdigit() for ch in line):
        return False
    if not all(t[0].isupper() or t in ("and", "&") or is_role(t) for t in tokens):
        return False
    parts = [p.strip() for p in line.split(",")]
    return bool(all_names(parts[0])) or is_role(line)


def is_credit(line: str) -> bool:
    """The line is a photo caption's credit or carries one (see _CREDIT)."""
    return bool(_CREDIT.search(line))


def _collective(rest: str) -> bool:
    """A "By" byline naming no person: a desk, a wire or staff ("Legation Wire staff", "Reuters").

    Short, capitalised or job words only, and not a time ("By Sunday") or an article ("By The way").
    """
    tokens = _NAMES_END.split(rest)[0].strip(" -–—:").split()
    return (
        1 <= len(tokens) <= 5
        and tokens[0] not in NOT_NAME - {"Staff", "Team", "Newsroom", "Desk", "News", "Editorial"}
        and tokens[0] not in MONTH_WORDS
        and all(t[0].isupper() or t.lower() in _JOB_WORDS for t in tokens)
    )


def byline(line: str) -> tuple[list[str], bool] | None:
    """Names of a byline line, and whether it was explicitly labelled ("Author:", "By").

    Forms: "Author: Daniel", "By Jane Doe and John Smith", "Jane Doe, Foreign Minister of X",
    "Author: Keiko Arden in Diplomacy, EU" (a category row glued to the byline). A labelled byline
    that names no person ("By Legation Wire staff") is a byline with no names: ``([], True)``.
    """
    if len(line) > 250 or (SENT_END.search(line) and not line.endswith(".")):
        return None
    m = _AUTHOR_LABEL.match(line)
    if m:
        label_is_by = line[:2].lower() == "by"
        # "By Sunday, the ..." or "By contrast" are sentences; a "By" byline is short.
        if label_is_by and (len(words(line)) > 12 or SENT_END.search(line)):
            return None
        found = names(m.group("names"), allow_single=not label_is_by)
        if found:
            return found, True
        if (not label_is_by and len(words(line)) <= 12) or (label_is_by and _collective(m.group("names"))):
            return [], True
        return None
    if SENT_END.search(line):
        return None
    name, sep, role = line.partition(", ")
    if sep and _OFFICE.search(role) and len(words(line)) <= 30:
        found = names(name, allow_single=False)
        if found and len(found) == 1 and found[0] == name:
            return found, False
    return None


def is_labelled_byline(line: str) -> bool:
    """The line opens with an author label that only bylines carry ("Author:", "Written by")."""
    return bool(_STRONG_LABEL.match(line))


def author_label(text: str) -> re.Match[str] | None:
    """Match of an author label and the names after it ("By: Jane Doe"), anchored at the start."""
    return _AUTHOR_LABEL.match(text)


def site(lines: list[str]) -> str | None:
    """The site's name from a copyright line ("© 2022 Argumentum. All Rights Reserved.").

    The copyright holder is often the publishing company ("Capitol Brief Media LLC") or carries the
    year after it ("© Nordic Security Review 2024"); the year and company forms are dropped, and
    when a shorter form of the name stands alone on a line of the page (the masthead, "CAPITOL
    BRIEF"), that is the name readers know the site by.
    """
    for line in reversed(lines):  # copyright lines sit in the footer
        m = _COPYRIGHT.search(line)
        if not m:
            continue
        name = m.group("site").strip(" .,")
        name = _LEGAL_SUFFIX.sub("", _TRAILING_YEAR.sub("", name)).strip(" .,")
        if not 1 <= len(name.split()) <= 5 or name.lower().startswith(("all rights", "by ")):
            continue
        standalone = {ln.strip().lower() for ln in lines if 0 < len(ln.strip()) <= len(name)}
        tokens = name.split()
        for k in range(len(tokens) - 1, 1, -1):  # two words at least: "Asia" is a menu item
            if " ".join(tokens[:k]).lower() in standalone:
                return " ".join(tokens[:k])
        return name
    return None
