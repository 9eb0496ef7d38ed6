"""The dashboard in a real browser: Playwright driving Debian's Chromium.

Never downloads a browser: it uses ``/usr/bin/chromium`` (``make test`` installs it with
apt-get) and skips, saying why, when that or Playwright is missing. Screenshots of each
view are kept under ``tests/artifacts/`` (gitignored) for a human to look at.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from api_data import build_db

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"

pytestmark = [
    pytest.mark.web,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (the test extra)")
uvicorn = pytest.importorskip("uvicorn", reason="needs uvicorn (the serve extra)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server (uvicorn in a thread) over the hand-made database."""
    from legation.api.app import create_app

    db = build_db(tmp_path_factory.mktemp("web") / "web.duckdb", later_stages=True)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture()
def page(browser: object, base_url: str) -> Iterator[object]:
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # Offline: any request to another origin fails the test.
    pg.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(base_url) else route.abort()
    )
    yield pg
    context.close()
    assert not errors, errors


def shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_overview_loads_with_counts(page: object) -> None:
    page.goto("/")  # type: ignore[attr-defined]
    counts = page.locator("#counts")  # type: ignore[attr-defined]
    sync_api.expect(counts).to_contain_text("3articles")
    sync_api.expect(counts).to_contain_text("5events")
    sync_api.expect(page.get_by_role("link", name="EU–Korea partnership")).to_be_visible()  # type: ignore[attr-defined]
    # One event per pair is no shift: the section says what a shift needs.
    sync_api.expect(page.get_by_text("No shift: a pair needs 3 recent events")).to_be_visible()  # type: ignore[attr-defined]
    shot(page, "overview")
    # A story opens its first article.
    page.get_by_role("link", name="first article").first.click()  # type: ignore[attr-defined]
    sync_api.expect(page.locator("h1")).to_contain_text("EU and Korea partnership")  # type: ignore[attr-defined]


def test_filter_narrows_the_timeline(page: object) -> None:
    page.goto("/#/events")  # type: ignore[attr-defined]
    rows = page.locator("#events tr.event-row")  # type: ignore[attr-defined]
    sync_api.expect(rows).to_have_count(5)
    page.fill("#event-filters input[name=actor]", "EU")  # type: ignore[attr-defined]
    page.click("#event-filters button")  # type: ignore[attr-defined]
    sync_api.expect(rows).to_have_count(2)
    sync_api.expect(page.locator("#event-total")).to_contain_text("2 events")  # type: ignore[attr-defined]
    page.select_option("#event-filters select[name=event]", "ASSAULT")  # type: ignore[attr-defined]
    page.click("#event-filters button")  # type: ignore[attr-defined]
    sync_api.expect(rows).to_have_count(0)
    shot(page, "timeline-filtered")


def test_type_and_quad_filters_come_from_the_api(page: object) -> None:
    """The select boxes list what /api/types serves (the dashboard keeps no copy of the rules)."""
    served = page.request.get("/api/types").json()  # type: ignore[attr-defined]
    page.goto("/#/events?quad=4")  # type: ignore[attr-defined]
    options = page.locator("#event-filters select[name=event] option")  # type: ignore[attr-defined]
    sync_api.expect(options).to_have_count(17)  # "any" and the 16 types
    assert options.all_inner_texts()[1:] == [t["name"] for t in served["types"]]
    quad = page.locator("#event-filters select[name=quad]")  # type: ignore[attr-defined]
    labels = [f"{q['quad']} {q['name']}" for q in served["quads"]]
    assert quad.locator("option").all_inner_texts()[1:] == labels
    assert quad.input_value() == "4"


def test_clicking_an_event_opens_its_article_with_the_sentence_highlighted(page: object) -> None:
    page.goto("/#/events?quad=3")  # type: ignore[attr-defined]
    row = page.locator("#events tr.event-row")  # type: ignore[attr-defined]
    sync_api.expect(row).to_have_count(1)
    row.locator("td").nth(4).click()
    current = page.locator("#article-text mark.sentence.current")  # type: ignore[attr-defined]
    sync_api.expect(current).to_have_text("Seoul condemned the treaty.")
    sync_api.expect(current).to_have_attribute("data-events", "e2")
    # Actor mentions are highlighted too, inside and outside event sentences.
    sync_api.expect(current.locator("span.mention")).to_have_text("Seoul")
    sync_api.expect(page.locator("#article-text span.mention")).to_have_count(3)  # type: ignore[attr-defined]
    assert "#/article/a1?event=e2" in page.url  # type: ignore[attr-defined]
    shot(page, "article-highlighted")


def test_network_actor_claims_and_agreements_views(page: object) -> None:
    page.goto("/#/network")  # type: ignore[attr-defined]
    sync_api.expect(page.locator("#network g")).to_have_count(5)  # type: ignore[attr-defined]
    sync_api.expect(page.locator("#network line.agreement")).to_have_count(2)  # type: ignore[attr-defined]
    shot(page, "network")
    page.locator("#network g", has_text="PRK").click()  # type: ignore[attr-defined]
    sync_api.expect(page.locator("h1")).to_contain_text("North Korea")  # type: ignore[attr-defined]
    sync_api.expect(page.locator(".bar")).to_have_count(2)  # type: ignore[attr-defined]
    shot(page, "actor")
    page.goto("/#/claims?disputed=true")  # type: ignore[attr-defined]
    sync_api.expect(page.locator(".claim.disputed")).to_have_count(1)  # type: ignore[attr-defined]
    sync_api.expect(page.locator(".claim.disputed")).to_contain_text("10,000 soldiers")  # type: ignore[attr-defined]  # thousands separator
    shot(page, "claims")
    page.goto("/#/agreements")  # type: ignore[attr-defined]
    table = page.locator("#agreements")  # type: ignore[attr-defined]
    sync_api.expect(table).to_contain_text("EU–Korea Security and Defence Partnership")
    # Only the stages some agreement has a date for get a column (signed, launched here).
    heads = table.locator("th").all_text_contents()
    want = ["name", "kind", "parties", "signed", "launched", "status", "sources"]
    assert [c.lower() for c in heads] == want
    table.get_by_role("link", name="[1]").first.click()
    sync_api.expect(page.locator("#article-text")).to_be_visible()  # type: ignore[attr-defined]
    shot(page, "agreements-source")


def test_articles_view_lists_and_searches(page: object) -> None:
    page.goto("/#/articles")  # type: ignore[attr-defined]
    rows = page.locator("#articles tr.article-row")  # type: ignore[attr-defined]
    sync_api.expect(rows).to_have_count(3)
    page.fill("#article-filters input[name=q]", "treaty")  # type: ignore[attr-defined]
    page.click("#article-filters button")  # type: ignore[attr-defined]
    sync_api.expect(rows).to_have_count(1)
    page.goto("/#/no-such-view")  # type: ignore[attr-defined]
    sync_api.expect(page.locator("h1")).to_have_text("Not found")  # type: ignore[attr-defined]


def test_alerts_view_lists_alerts_and_links_to_the_sentence(page: object) -> None:
    page.goto("/#/alerts")  # type: ignore[attr-defined]
    rows = page.locator("#alerts tr.alert-row")  # type: ignore[attr-defined]
    sync_api.expect(rows).to_have_count(2)
    sync_api.expect(page.locator("#alert-total")).to_contain_text("2 alerts")  # type: ignore[attr-defined]
    attack = rows.filter(has_text="PRK attacks")
    sync_api.expect(attack).to_contain_text("ASSAULT: PRK → UKR")
    quote = attack.locator("blockquote")
    sync_api.expect(quote).to_have_text("North Korean troops attacked positions in Ukraine.")
    shot(page, "alerts")
    page.locator("#alert-filters select[name=kind]").select_option("agreement")  # type: ignore[attr-defined]
    page.locator("#alert-filters button").click()  # type: ignore[attr-defined]
    sync_api.expect(rows).to_have_count(1)
    sync_api.expect(rows).to_contain_text("Korean agreements")
    page.goto("/#/alerts?kind=event")  # type: ignore[attr-defined]
    page.locator("#alerts a", has_text="Partnership, and war news").click()  # type: ignore[attr-defined]
    current = page.locator("#article-text mark.current")  # type: ignore[attr-defined]
    sync_api.expect(current).to_contain_text("North Korean troops")
