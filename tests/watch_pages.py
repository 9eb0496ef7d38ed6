"""Small news-like pages and feeds for the watch tests, written for them (no seed text).

Each story is a few sentences of its own, so no two pages are near duplicates, and the first
sentence of each is one the coder reads as a clear event (checked by the tests that use it).
"""

from __future__ import annotations

from html import escape

STORIES: list[dict[str, str]] = [
    {
        "slug": "kursk",
        "title": "Troops strike near Kursk",
        "published": "2025-03-02",
        "body": (
            "North Korean troops attacked Ukrainian positions near Kursk on Sunday, Ukraine's general "
            "staff said. The assault began before dawn and lasted several hours. Local officials reported "
            "damage to two villages and a bridge over the Seym river."
        ),
    },
    {
        "slug": "tokyo",
        "title": "EU and Japan seal defence pact",
        "published": "2025-03-03",
        "body": (
            "The European Union and Japan signed a security and defence partnership in Tokyo on Monday, "
            "officials said. The pact covers maritime security, cyber defence and space. Both sides "
            "promised regular meetings of their defence ministers."
        ),
    },
    {
        "slug": "beijing",
        "title": "Lavrov visits Beijing",
        "published": "2025-03-04",
        "body": (
            "Russian Foreign Minister Sergei Lavrov met Chinese Foreign Minister Wang Yi in Beijing on "
            "Tuesday to discuss trade and energy, the Russian ministry said. The talks lasted three hours. "
            "Neither side took questions from reporters afterwards."
        ),
    },
    {
        "slug": "bryansk",
        "title": "Drones hit depot in Bryansk",
        "published": "2025-03-05",
        "body": (
            "Ukrainian drones struck an oil depot in Russia's Bryansk region overnight, the regional "
            "governor said on Wednesday. Firefighters worked through the morning to contain the blaze. "
            "Rail traffic near the depot was halted for several hours."
        ),
    },
    {
        "slug": "seoul",
        "title": "Seoul protests missile launch",
        "published": "2025-03-06",
        "body": (
            "South Korea condemned North Korea's launch of a ballistic missile into the sea on Thursday, "
            "the foreign ministry in Seoul said. The missile flew about 600 kilometres. Japan's coast guard "
            "warned ships to stay clear of falling debris."
        ),
    },
]


def page_html(story: dict[str, str], extra: str = "") -> str:
    """The story as a small article page with a little site chrome around it."""
    paras = "".join(
        f"<p>{escape(s.strip())}.</p>" for s in (story["body"] + " " + extra).split(". ") if s.strip()
    )
    paras = paras.replace("..</p>", ".</p>")
    return (
        f"<html><head><title>{escape(story['title'])} | Harbour Wire</title>"
        f'<meta property="article:published_time" content="{story["published"]}"></head>'
        "<body><nav>Home | World | Business | Contact</nav>"
        f"<article><h1>{escape(story['title'])}</h1>{paras}</article>"
        "<footer>© Harbour Wire. All rights reserved.</footer></body></html>"
    )


def rss(base: str, stories: list[dict[str, str]], title: str = "Harbour Wire") -> str:
    """An RSS 2.0 feed listing ``stories`` newest first, linking to ``base/items/<slug>.html``."""
    items = "".join(
        f"<item><title>{escape(s['title'])}</title><link>{base}/items/{s['slug']}.html</link>"
        f"<guid>{base}/items/{s['slug']}.html</guid>"
        f"<pubDate>{_rfc822(s['published'])}</pubDate></item>"
        for s in sorted(stories, key=lambda s: s["published"], reverse=True)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>{base}/</link><description>World news</description>"
        f"{items}</channel></rss>"
    )


def atom(base: str, stories: list[dict[str, str]]) -> str:
    """An Atom feed of ``stories`` with links to their pages."""
    entries = "".join(
        f'<entry><title>{escape(s["title"])}</title><link href="{base}/items/{s["slug"]}.html"/>'
        f"<id>tag:harbour,2025:{s['slug']}</id><updated>{s['published']}T08:00:00Z</updated></entry>"
        for s in stories
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Harbour Wire</title><id>tag:harbour,2025:feed</id><updated>2025-03-06T08:00:00Z</updated>"
        f"{entries}</feed>"
    )


def sitemap(base: str, stories: list[dict[str, str]]) -> str:
    urls = "".join(f"<url><loc>{base}/items/{s['slug']}.html</loc></url>" for s in stories)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'


def _rfc822(day: str) -> str:
    y, m, d = (int(x) for x in day.split("-"))
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{d:02d} {months[m - 1]} {y} 08:00:00 +0000"
