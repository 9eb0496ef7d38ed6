"""The dashboard's newer views in Chromium (Playwright), at 1280 px and at 390 px.

Reuses the server and browser fixtures of ``test_web``; every page fails its test on a page
error or a request to another origin. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_web import CHROMIUM, base_url, browser, shot, sync_api  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.web,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]

WIDTHS = [1280, 390]


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def page(request: pytest.FixtureRequest, browser: object, base_url: str) -> Iterator[object]:  # noqa: F811
    width = int(request.param)
    context = browser.new_context(
        accept_downloads=True, base_url=base_url, viewport={"width": width, "height": 900}
    )  # type: ignore[attr-defined]
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(base_url) else route.abort()
    )
    pg.width = width  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert not errors, errors


def no_sideways_scroll(page: object) -> None:
    """The page itself never scrolls sideways (wide tables scroll inside their own box)."""
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")  # type: ignore[attr-defined]
    assert wide <= 0, f"the page is {wide}px wider than the window"


def current_mark(page: object) -> object:
    return page.locator("#article-text mark.current")  # type: ignore[attr-defined]


def in_view(page: object, loc: object) -> bool:
    box = loc.bounding_box()  # type: ignore[attr-defined]
    height = page.evaluate("window.innerHeight")  # type: ignore[attr-defined]
    return bool(box and box["y"] >= 0 and box["y"] + box["height"] <= height)


# ---------------------------------------------------------------------------- every fact to its sentence
def test_a_claim_opens_its_sentence_highlighted(page: object) -> None:
    page.goto("/#/claims")  # type: ignore[attr-defined]
    claim = page.locator(".claim .pair > div", has_text="3,000 soldiers")  # type: ignore[attr-defined]
    claim.get_by_role("link", name="source article").click()
    sync_api.expect(current_mark(page)).to_have_text("Seoul condemned the treaty.")
    assert in_view(page, current_mark(page))
    no_sideways_scroll(page)
    shot(page, f"claim-sentence-{page.width}")  # type: ignore[attr-defined]


def test_every_agreement_source_opens_its_sentence_highlighted(page: object) -> None:
    expected = {
        "EU–Korea Security and Defence Partnership": [
            "The EU and South Korea launched a security and defence partnership in Seoul.",
            "EU and Korea launch partnership.",
        ],
        "Comprehensive Strategic Partnership Treaty": [
            "Russia and North Korea signed a defence treaty in Pyongyang."
        ],
    }
    for name, sentences in expected.items():
        for i, sentence in enumerate(sentences):
            page.goto("/#/agreements")  # type: ignore[attr-defined]
            row = page.locator("#agreements tr", has_text=name)  # type: ignore[attr-defined]
            row.get_by_role("link", name=f"[{i + 1}]").click()
            sync_api.expect(current_mark(page)).to_have_text(sentence)
            assert in_view(page, current_mark(page))
    shot(page, f"agreement-sentence-{page.width}")  # type: ignore[attr-defined]


def test_an_agreement_alert_opens_its_sentence(page: object) -> None:
    page.goto("/#/alerts?kind=agreement")  # type: ignore[attr-defined]
    page.locator("#alerts td a").last.click()  # type: ignore[attr-defined]
    sync_api.expect(current_mark(page)).to_have_count(1)
    sync_api.expect(current_mark(page)).to_contain_text("partnership")


# ---------------------------------------------------------------------------- downloads
def _downloaded(page: object, link: object) -> str:
    with page.expect_download() as info:  # type: ignore[attr-defined]
        link.click()  # type: ignore[attr-defined]
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_a_filtered_timeline_downloads_exactly_its_rows(page: object) -> None:
    page.goto("/#/events")  # type: ignore[attr-defined]
    page.fill("#event-filters input[name=actor]", "eu")  # type: ignore[attr-defined]
    page.click("#event-filters button")  # type: ignore[attr-defined]
    sync_api.expect(page.locator("#events tr.event-row")).to_have_count(2)  # type: ignore[attr-defined]
    text = _downloaded(page, page.locator("#events-downloads a", has_text="CSV"))  # type: ignore[attr-defined]
    served = page.request.get("/api/events?actor=eu&limit=1000").json()  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["id"] for r in rows] == [e["id"] for e in served["items"]] == ["e3", "e4"]
    text = _downloaded(page, page.locator("#events-downloads a", has_text="JSON"))  # type: ignore[attr-defined]
    assert json.loads(text) == served["items"]
    no_sideways_scroll(page)


@pytest.mark.parametrize(
    ("hash_", "kind"),
    [
        ("#/articles?q=treaty", "articles"),
        ("#/claims?disputed=true", "claims"),
        ("#/agreements?party=PRK", "agreements"),
        ("#/alerts?kind=event", "alerts"),
    ],
)
def test_every_list_downloads_its_filter(page: object, hash_: str, kind: str) -> None:
    page.goto("/" + hash_)  # type: ignore[attr-defined]
    text = _downloaded(page, page.locator(f"#{kind}-downloads a", has_text="CSV"))  # type: ignore[attr-defined]
    query = hash_.split("?", 1)[1]
    served = page.request.get(f"/api/{kind}?{query}&limit=1000").json()  # type: ignore[attr-defined]
    assert [r["id"] for r in csv.DictReader(io.StringIO(text))] == [x["id"] for x in served["items"]]
    assert served["total"] >= 1
    no_sideways_scroll(page)


# ---------------------------------------------------------------------------- 390 px
@pytest.mark.parametrize(
    ("hash_", "ready"),
    [
        ("#/", "#counts"),
        ("#/events", "#events"),
        ("#/agreements", "#agreements"),
        ("#/claims", ".claim"),
        ("#/alerts", "#alerts"),
        ("#/articles", "#articles"),
        ("#/article/a1?event=e1", "#article-text"),
        ("#/network", "#network"),
        ("#/actors", "h1"),
    ],
)
def test_no_view_scrolls_the_page_sideways(page: object, hash_: str, ready: str) -> None:
    page.goto("/" + hash_)  # type: ignore[attr-defined]
    sync_api.expect(page.locator(ready).first).to_be_visible()  # type: ignore[attr-defined]
    no_sideways_scroll(page)
    if page.width == 390 and hash_ in ("#/events", "#/agreements", "#/claims"):  # type: ignore[attr-defined]
        shot(page, "narrow-" + hash_.strip("#/"))


# ---------------------------------------------------------------------------- search, autocomplete, actors
def test_search_finds_north_korea_from_north_kor(page: object) -> None:
    page.goto("/")  # type: ignore[attr-defined]
    page.fill("#search-box", "north kor")  # type: ignore[attr-defined]
    page.press("#search-box", "Enter")  # type: ignore[attr-defined]
    actors = page.locator("#hits-actors li")  # type: ignore[attr-defined]
    sync_api.expect(actors.first).to_contain_text("North Korea")
    sync_api.expect(page.locator("#hits-events h2")).to_have_text("Events (2)")  # type: ignore[attr-defined]
    sync_api.expect(page.locator("#hits-agreements")).to_contain_text("Comprehensive Strategic")  # type: ignore[attr-defined]
    no_sideways_scroll(page)
    shot(page, f"search-{page.width}")  # type: ignore[attr-defined]
    page.locator("#hits-events li a").first.click()  # type: ignore[attr-defined]
    sync_api.expect(current_mark(page)).to_have_text("North Korean troops attacked positions in Ukraine.")


def test_actor_filter_suggests_names_from_a_datalist(page: object) -> None:
    page.goto("/#/events")  # type: ignore[attr-defined]
    box = page.locator("#event-filters input[name=actor]")  # type: ignore[attr-defined]
    assert box.get_attribute("list") == "actor-names"
    box.press_sequentially("north kor")
    option = page.locator("#actor-names option[value=PRK]")  # type: ignore[attr-defined]
    sync_api.expect(option).to_have_count(1)
    sync_api.expect(option).to_have_text("North Korea (state)")
    box.fill("North Korea")  # a name is a filter too
    page.click("#event-filters button")  # type: ignore[attr-defined]
    sync_api.expect(page.locator("#events tr.event-row")).to_have_count(1)  # type: ignore[attr-defined]


def test_actors_page_lists_actors_in_the_data_by_mentions(page: object) -> None:
    page.goto("/#/actors")  # type: ignore[attr-defined]
    rows = page.locator("#actors tr.actor-row")  # type: ignore[attr-defined]
    sync_api.expect(rows.first).to_contain_text("KOR")
    present = rows.count()
    assert 3 <= present < 50
    mentions = [int(t) for t in page.locator("#actors td.num").all_inner_texts()]  # type: ignore[attr-defined]
    assert mentions == sorted(mentions, reverse=True) and min(mentions) > 0
    no_sideways_scroll(page)
    shot(page, f"actors-{page.width}")  # type: ignore[attr-defined]
    page.click("#actor-toggle")  # type: ignore[attr-defined]
    sync_api.expect(page.locator("h1 + form + p")).to_contain_text("in the dictionary")  # type: ignore[attr-defined]
    assert rows.count() > present


# ---------------------------------------------------------------------------- network
def test_network_nodes_stay_off_the_borders_and_links_open_their_own_facts(page: object) -> None:
    page.goto("/#/network")  # type: ignore[attr-defined]
    nodes = page.locator("#network g")  # type: ignore[attr-defined]
    sync_api.expect(nodes).to_have_count(5)
    spots = [g.get_attribute("transform") for g in nodes.all()]
    assert len(set(spots)) == 5  # no two nodes on one spot
    page.locator("#network line.conflict").first.dispatch_event("click")  # type: ignore[attr-defined]
    sync_api.expect(page.locator("#events tr.event-row")).to_have_count(1)  # type: ignore[attr-defined]
    assert "relation=conflict" in page.url and "quad=" not in page.url  # type: ignore[attr-defined]
    page.goto("/#/network")  # type: ignore[attr-defined]
    page.locator("#network line.agreement").first.dispatch_event("click")  # type: ignore[attr-defined]
    sync_api.expect(page.locator("#agreements tr")).to_have_count(2)  # type: ignore[attr-defined]  (header + 1)
