"""The publication day a page's address carries ("/2019/11/18/", "/story/2019-11-19/").

News sites put the day of a story in its URL path, and a page whose text and markup give no date
(a text dump with the masthead stripped, a page whose metadata is missing) still has it: on the
181 benchmark pages (text dumps) 106 had no date, and 38 of those carry one in the URL. It is the last resort
(``published_basis`` ``url``): the page's own metadata or text, when they date it, come first,
because an address can be minted before the story is finished or reused for an update.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

from legation.clean.dates import SpanPrecision

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
#: "/2019/11/18/", "/2019/11/18-", "/2019-11-19/", "/2019/nov/18/", then "/2019/11/" (a month).
_DAY_PATHS = (
    re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?=[/_-]|$)"),
    re.compile(r"[/_-]((?:19|20)\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
    re.compile(rf"/((?:19|20)\d{{2}})/({'|'.join(_MONTHS)})/(0?[1-9]|[12]\d|3[01])(?=/|$)", re.IGNORECASE),
)
_MONTH_PATH = re.compile(r"/((?:19|20)\d{2})/(0[1-9]|1[0-2])(?=/)")
#: A year before the web's news sites is a number in the path, not a date.
_FIRST_YEAR = 1995


def url_date(url: str | None, today: date | None = None) -> tuple[str, SpanPrecision] | None:
    """The ISO day (or month) a news URL's path names, with its precision; ``None`` if none.

    A date after ``today`` (default: the machine's date) is not a publication date.
    """
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    limit = today or date.today()
    for pat in _DAY_PATHS:
        m = pat.search(path)
        if m is None:
            continue
        y, mo, d = m.groups()
        month = _MONTHS.index(mo.lower()) + 1 if mo.isalpha() else int(mo)
        try:
            day = date(int(y), month, int(d))
        except ValueError:
            continue  # "/2019/02/30/": no such day
        if day.year >= _FIRST_YEAR and day <= limit:
            return day.isoformat(), "day"
    m = _MONTH_PATH.search(path)
    if m and int(m.group(1)) >= _FIRST_YEAR and date(int(m.group(1)), int(m.group(2)), 1) <= limit:
        return f"{m.group(1)}-{m.group(2)}", "month"
    return None
