#!/usr/bin/env python3
# ruff: noqa: E501  (the embedded pages keep the long lines real HTML has)
"""Build ``examples/warc/crawl.warc.gz``, the small WARC of the example corpus.

Standard library only and deterministic: fixed WARC-Date values, record ids derived from fixed
names, gzip members written with mtime 0. Each record is gzipped as its own member, as crawlers do.

The crawl holds, in this order:

1. a ``warcinfo`` record;
2. a ``request`` record (GET of the first page);
3. an HTML ``response``: Russia and North Korea sign their treaty (June 2024), UTF-8, declared in
   the HTTP header;
4. an HTML ``response``: the Camp David summit (August 2023). Its HTTP header says
   ``charset=ISO-8859-1`` although the bytes are UTF-8 (a common server mislabel; the page's own
   ``<meta charset="utf-8">`` is right);
5. a non-HTML ``response`` (a 1x1 ``image/png``) that a reader must skip;
6. a non-HTML ``response`` (``application/json``, a site's comment counter) that a reader must skip;
7. an HTML ``response``: AUKUS Pillar II and Japan (April 2024), no charset in the HTTP header,
   only in the page.

Usage::

    python examples/make_warc.py            # write the file, then parse it back and check it
    python examples/make_warc.py --check    # only parse the committed file back and check it

The texts are written for the Legation project about real public events; they are not copies of
news articles (see ``examples/README.md``).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import struct
import sys
import uuid
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent / "warc" / "crawl.warc.gz"
_NS = uuid.UUID("6f1c2a52-3d0e-4b8e-9a57-1e8f3c0b9d41")  # fixed namespace for record ids

# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------

TREATY_URL = "https://www.eastwindtimes.example/world/2024/06/20/putin-kim-treaty-pyongyang"
TREATY_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Putin and Kim sign mutual defence treaty in Pyongyang | East Wind Times</title>
<meta property="og:title" content="Putin and Kim sign mutual defence treaty in Pyongyang">
<meta property="og:site_name" content="East Wind Times">
<meta property="article:published_time" content="2024-06-20T21:30:00+09:00">
<meta name="author" content="Sun-hee Yoon">
</head>
<body>
<div class="cookie">By using this site you agree to our use of cookies. <a href="/cookies">Details</a> <button>Close</button></div>
<header><div class="date">Sunday, June 23, 2024</div><a class="logo" href="/">East Wind Times</a>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/korea">Korea</a> <a href="/china">China</a> <a href="/russia">Russia</a> <a href="/opinion">Opinion</a></nav></header>
<main>
<article>
<h1>Putin and Kim sign mutual defence treaty in Pyongyang</h1>
<p class="byline">By Sun-hee Yoon | June 20, 2024</p>
<div class="share">Share on FacebookShare on TwitterShare on Telegram</div>
<p>SEOUL, June 20 &ndash; Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a Comprehensive Strategic Partnership treaty in Pyongyang on Wednesday that commits the two countries to help each other if either is attacked, the most significant agreement between Moscow and Pyongyang in decades.</p>
<p>Putin's visit was his first to North Korea since 2000. After talks with Kim, he said the treaty provided for mutual assistance in the event of aggression against one of the parties, and that Russia did not rule out developing military-technical cooperation with North Korea. Kim said the agreement raised relations between the two countries to the level of an alliance and pledged full support for Russia's war in Ukraine.</p>
<p>According to the text published on Thursday by North Korea's state news agency KCNA, if one side is put in a state of war by an armed attack, the other is to provide military and other assistance without delay, with all the means at its disposal.</p>
<p>South Korea's presidential office expressed grave concern about the pact and said Seoul would reconsider its position on supplying weapons to Ukraine. The United States and its allies have accused North Korea of sending artillery shells and ballistic missiles to Russia for use in Ukraine, in violation of United Nations Security Council resolutions; Moscow and Pyongyang have denied any arms deals.</p>
<p>The treaty came a year after Kim travelled to Russia's Far East for a summit with Putin at the Vostochny cosmodrome in September 2023. Putin flew on from Pyongyang to Vietnam.</p>
<p>The treaty still has to be ratified by both countries before it enters into force.</p>
</article>
<section class="related"><h3>Related Posts</h3><ul>
<li><a href="/korea/2024/06/02/trash-balloons">North Korea sends more trash balloons across the border</a></li>
<li><a href="/world/2023/09/13/kim-putin-vostochny">Kim and Putin meet at Russian space centre</a></li></ul></section>
<section class="comments"><h3>Comments (4)</h3><p><b>kr_watcher</b>: This is the 1961 treaty all over again.</p></section>
</main>
<footer><p>&copy; 2024 East Wind Times &middot; <a href="/about">About</a> &middot; <a href="/privacy">Privacy</a></p><p>14,905FansLike 6,230FollowersFollow</p></footer>
</body>
</html>
"""

CAMP_DAVID_URL = "https://pacificledger.example/2023/08/19/camp-david-trilateral-summit"
CAMP_DAVID_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>At Camp David, U.S., Japan and South Korea pledge to consult on threats — Pacific Ledger</title>
<meta property="og:title" content="At Camp David, U.S., Japan and South Korea pledge to consult on threats">
<meta property="og:site_name" content="Pacific Ledger">
<meta name="author" content="Grace Whitfield">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "At Camp David, U.S., Japan and South Korea pledge to consult on threats", "datePublished": "2023-08-19T07:00:00-04:00", "author": {"@type": "Person", "name": "Grace Whitfield"}}</script>
</head>
<body>
<header><a href="/">Pacific Ledger</a> · <span>Independent reporting on the Indo-Pacific</span>
<ul class="menu"><li>Politics</li><li>Security</li><li>Trade</li><li>Technology</li><li>Podcasts</li></ul></header>
<div class="consent">We and our partners use cookies — <a href="/privacy">privacy policy</a>. <button>I agree</button></div>
<article>
<h1>At Camp David, U.S., Japan and South Korea pledge to consult on threats</h1>
<p class="meta">Grace Whitfield · August 19, 2023 · 5 min read</p>
<p>CAMP DAVID, Md., Aug. 18 — President Joe Biden, Japanese Prime Minister Fumio Kishida and South Korean President Yoon Suk Yeol agreed on Friday to consult each other quickly in a crisis and to hold trilateral summits every year, at the first stand-alone summit of the three countries' leaders.</p>
<p>The meeting at the presidential retreat in Maryland, the first time Biden has hosted foreign leaders there, produced three documents: a set of Camp David Principles, a joint statement called the Spirit of Camp David, and a Commitment to Consult. In the last, the three governments pledge to consult one another expeditiously in response to regional challenges, provocations and threats that affect their collective interests and security.</p>
<p>Officials stressed that the commitment is not a mutual defence pact and does not change the existing U.S. alliances with Japan and with South Korea. But the three leaders also agreed to hold multi-domain military exercises every year, to share data on North Korean missile launches in real time by the end of 2023, and to set up a trilateral hotline.</p>
<p>Kishida and Yoon, whose countries have long been divided by disputes over Japan's colonial rule of Korea, have met repeatedly this year after Yoon moved to settle a dispute over compensation for wartime forced labour.</p>
<p>North Korea's nuclear and missile programmes were the main security concern in the leaders' statements, which also criticised China's behaviour in the South China Sea. China has described the growing cooperation among the three countries as an attempt to form exclusive blocs in Asia.</p>
</article>
<div class="share-bar">Share: Facebook · X · Email · Copy link</div>
<aside><h3>Related</h3><ol><li>Yoon's Tokyo visit ends 12-year gap in summit diplomacy (March 17, 2023)</li><li>NATO's Vilnius summit welcomes Indo-Pacific partners (July 12, 2023)</li></ol></aside>
<div class="comments"><h3>Comments</h3><p>No comments yet. Be the first to comment.</p></div>
<footer>© 2023 Pacific Ledger · Privacy · Terms · Contact</footer>
</body>
</html>
"""

AUKUS_URL = "https://www.southerncrossdefence.example/news/aukus-pillar-two-japan-consultations"
AUKUS_HTML = """<!DOCTYPE html>
<html lang="en-AU">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>AUKUS partners to consult Japan on Pillar II projects - Southern Cross Defence</title>
<meta property="og:title" content="AUKUS partners to consult Japan on Pillar II projects">
<meta property="article:published_time" content="2024-04-09T09:15:00+10:00">
<meta name="author" content="Liam Hartigan">
</head>
<body>
<nav class="topnav"><a href="/">Home</a> | <a href="/news">News</a> | <a href="/capability">Capability</a> | <a href="/industry">Industry</a> | <a href="/events">Events</a> | <a href="/subscribe">Subscribe</a></nav>
<div class="edition">Thursday 18 April 2024</div>
<article>
<h1>AUKUS partners to consult Japan on Pillar II projects</h1>
<div class="byline">Liam Hartigan &mdash; 9 April 2024</div>
<p>CANBERRA &ndash; Australia, Britain and the United States said on Monday that they were considering cooperation with Japan on projects under the second pillar of the AUKUS partnership, which covers advanced military technologies rather than submarines.</p>
<p>In a joint statement, U.S. Defense Secretary Lloyd Austin, Australian Deputy Prime Minister and Defence Minister Richard Marles and British Defence Secretary Grant Shapps said the three countries recognised Japan's strengths and its close bilateral defence partnerships with each of them. The statement did not name specific projects and did not suggest that Japan would join AUKUS as a member.</p>
<p>Pillar II covers work in areas such as undersea capabilities, quantum technologies, artificial intelligence and autonomy, advanced cyber, hypersonic and counter-hypersonic weapons, and electronic warfare. The first pillar is the plan, set out in San Diego in March 2023, for Australia to acquire conventionally armed, nuclear-powered submarines.</p>
<p>AUKUS was announced in September 2021. New Zealand and Canada have also expressed interest in taking part in Pillar II work, and the three partners have said that any cooperation with other countries would be decided project by project.</p>
<p>The announcement came days before Japanese Prime Minister Fumio Kishida's official visit to Washington, where he is due to hold a summit with President Joe Biden. China has repeatedly criticised AUKUS as a threat to regional stability.</p>
</article>
<div class="social">Share on FacebookShare on TwitterShare on LinkedIn</div>
<div class="related"><h4>Related Posts</h4><p>Submarine Rotational Force-West: what to expect in 2027</p><p>Marles and Austin meet in Washington</p></div>
<div class="comments">2 Comments<p>Reg: Pillar II is where the real value is.</p><p>Sam: Japan first, then Canada and New Zealand?</p></div>
<footer>Southern Cross Defence &copy; 2024 | Privacy | Terms | Advertise with us</footer>
</body>
</html>
"""

COUNTER_URL = "https://www.eastwindtimes.example/api/comments/count?post=putin-kim-treaty-pyongyang"
COUNTER_JSON = '{"post": "putin-kim-treaty-pyongyang", "comments": 4, "shares": 211}\n'

LOGO_URL = "https://pacificledger.example/static/pixel.png"


def _png_1x1() -> bytes:
    """A valid 1x1 transparent PNG, built byte for byte (no image library)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)  # 1x1, 8-bit RGBA
    idat = zlib.compress(b"\x00\x00\x00\x00\x00", 9)  # filter byte + one transparent pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _rid(name: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(_NS, name)}>"


def _sha1(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode("ascii")


def _http_response(status: str, headers: list[tuple[str, str]], payload: bytes) -> bytes:
    lines = [f"HTTP/1.1 {status}"] + [f"{k}: {v}" for k, v in headers]
    lines.append(f"Content-Length: {len(payload)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii") + payload


def _record(headers: list[tuple[str, str]], block: bytes) -> bytes:
    """One WARC record: version line, headers, blank line, block, two CRLFs."""
    head = ["WARC/1.1", *(f"{k}: {v}" for k, v in headers), f"Content-Length: {len(block)}"]
    return ("\r\n".join(head) + "\r\n\r\n").encode("utf-8") + block + b"\r\n\r\n"


def _response(
    name: str,
    url: str,
    date: str,
    ctype: str,
    payload: bytes,
    extra_http: list[tuple[str, str]] | None = None,
    concurrent: str | None = None,
) -> bytes:
    http = _http_response(
        "200 OK",
        [("Date", date), ("Server", "nginx"), ("Content-Type", ctype), *(extra_http or [])],
        payload,
    )
    headers = [
        ("WARC-Type", "response"),
        ("WARC-Record-ID", _rid(name)),
        ("WARC-Date", date_iso(date)),
        ("WARC-Target-URI", url),
        ("WARC-IP-Address", "192.0.2.10"),
        ("Content-Type", "application/http;msgtype=response"),
        ("WARC-Payload-Digest", _sha1(payload)),
        ("WARC-Block-Digest", _sha1(http)),
    ]
    if concurrent:
        headers.insert(4, ("WARC-Concurrent-To", concurrent))
    return _record(headers, http)


_HTTP_DATES = {
    "Thu, 20 Jun 2024 02:00:00 GMT": "2024-06-20T02:00:00Z",
    "Thu, 20 Jun 2024 02:00:01 GMT": "2024-06-20T02:00:01Z",
    "Sat, 19 Aug 2023 12:00:00 GMT": "2023-08-19T12:00:00Z",
    "Sat, 19 Aug 2023 12:00:02 GMT": "2023-08-19T12:00:02Z",
    "Tue, 09 Apr 2024 00:30:00 GMT": "2024-04-09T00:30:00Z",
}


def date_iso(http_date: str) -> str:
    return _HTTP_DATES[http_date]


def build() -> bytes:
    """All records, each one its own gzip member, concatenated."""
    records: list[bytes] = []

    info = (
        b"software: legation examples/make_warc.py\r\n"
        b"format: WARC File Format 1.1\r\n"
        b"description: example crawl for the Legation project; texts written for the project\r\n"
    )
    records.append(
        _record(
            [
                ("WARC-Type", "warcinfo"),
                ("WARC-Record-ID", _rid("warcinfo")),
                ("WARC-Date", "2024-06-20T02:00:00Z"),
                ("WARC-Filename", "crawl.warc.gz"),
                ("Content-Type", "application/warc-fields"),
            ],
            info,
        )
    )

    req = (
        "GET /world/2024/06/20/putin-kim-treaty-pyongyang HTTP/1.1\r\n"
        "Host: www.eastwindtimes.example\r\n"
        "User-Agent: legation-example-crawler/0.1\r\n"
        "Accept: text/html,application/xhtml+xml\r\n"
        "Accept-Encoding: identity\r\n\r\n"
    ).encode("ascii")
    records.append(
        _record(
            [
                ("WARC-Type", "request"),
                ("WARC-Record-ID", _rid("request-treaty")),
                ("WARC-Date", "2024-06-20T02:00:00Z"),
                ("WARC-Target-URI", TREATY_URL),
                ("WARC-Concurrent-To", _rid("response-treaty")),
                ("Content-Type", "application/http;msgtype=request"),
                ("WARC-Block-Digest", _sha1(req)),
            ],
            req,
        )
    )

    records.append(
        _response(
            "response-treaty",
            TREATY_URL,
            "Thu, 20 Jun 2024 02:00:00 GMT",
            "text/html; charset=utf-8",
            TREATY_HTML.encode("utf-8"),
            concurrent=_rid("request-treaty"),
        )
    )
    records.append(
        _response(
            "response-camp-david",
            CAMP_DAVID_URL,
            "Sat, 19 Aug 2023 12:00:00 GMT",
            "text/html; charset=ISO-8859-1",
            CAMP_DAVID_HTML.encode("utf-8"),
            extra_http=[("Cache-Control", "max-age=600")],
        )
    )
    records.append(
        _response("response-pixel", LOGO_URL, "Sat, 19 Aug 2023 12:00:02 GMT", "image/png", _png_1x1())
    )
    records.append(
        _response(
            "response-counter",
            COUNTER_URL,
            "Thu, 20 Jun 2024 02:00:01 GMT",
            "application/json",
            COUNTER_JSON.encode("utf-8"),
        )
    )
    records.append(
        _response(
            "response-aukus",
            AUKUS_URL,
            "Tue, 09 Apr 2024 00:30:00 GMT",
            "text/html",
            AUKUS_HTML.encode("utf-8"),
        )
    )

    return b"".join(gzip.compress(r, compresslevel=9, mtime=0) for r in records)


# --------------------------------------------------------------------------------------------
# Self-check: a tiny independent reader
# --------------------------------------------------------------------------------------------


def read_records(data: bytes) -> list[tuple[dict[str, str], bytes]]:
    """Parse a .warc.gz member by member; assert one complete record per member."""
    out: list[tuple[dict[str, str], bytes]] = []
    rest = data
    while rest:
        d = zlib.decompressobj(wbits=31)
        raw = d.decompress(rest) + d.flush()
        assert d.eof, "truncated gzip member"
        rest = d.unused_data
        head, sep, tail = raw.partition(b"\r\n\r\n")
        assert sep, "record without header end"
        lines = head.decode("utf-8").split("\r\n")
        assert lines[0] == "WARC/1.1", lines[0]
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            headers[k.strip()] = v.strip()
        n = int(headers["Content-Length"])
        block = tail[:n]
        assert len(block) == n, "block shorter than Content-Length"
        assert tail[n:] == b"\r\n\r\n", f"bytes after block: {tail[n:]!r}"
        if "WARC-Block-Digest" in headers:
            assert headers["WARC-Block-Digest"] == _sha1(block), "block digest"
        out.append((headers, block))
    return out


def check(path: Path = OUT) -> None:
    records = read_records(path.read_bytes())
    ids = [h["WARC-Record-ID"] for h, _ in records]
    assert len(set(ids)) == len(ids), "duplicate record ids"
    html = 0
    for headers, block in records:
        kind = headers["WARC-Type"]
        ctype = ""
        if kind == "response":
            http_head, _, payload = block.partition(b"\r\n\r\n")
            hl = http_head.decode("ascii").split("\r\n")
            assert hl[0].startswith("HTTP/1.1 200"), hl[0]
            hh = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in hl[1:])}
            assert int(hh["content-length"]) == len(payload), "HTTP Content-Length"
            assert headers["WARC-Payload-Digest"] == _sha1(payload), "payload digest"
            ctype = hh["content-type"]
            if ctype.startswith("text/html"):
                html += 1
                payload.decode("utf-8")  # all pages are UTF-8, whatever the header says
        print(
            f"  {kind:9s} {headers['Content-Length']:>6s} B  {ctype:30s} {headers.get('WARC-Target-URI', '')}"
        )
    assert html == 3, html
    print(f"ok: {path.name}: {len(records)} records, {html} HTML responses, {path.stat().st_size} bytes")


def main(argv: list[str]) -> int:
    if "--check" not in argv:
        data = build()
        OUT.parent.mkdir(parents=True, exist_ok=True)
        if OUT.exists() and OUT.read_bytes() == data:
            print(f"unchanged: {OUT}")
        else:
            OUT.write_bytes(data)
            print(f"wrote {OUT}")
    check()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
