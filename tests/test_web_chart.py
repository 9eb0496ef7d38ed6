"""The timeline's time chart and the map in Chromium (Playwright), at 1280 px and at 390 px.

Reuses the page fixture of ``test_web_dash`` (fails on a page error, a console error or a
request to another origin); screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import pytest

from test_web import CHROMIUM, base_url, browser, shot, sync_api  # noqa: F401 (fixtures)
from test_web_dash import no_sideways_scroll, page  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.web,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (apt-get install chromium)"),
]


def _hash_params(pg: object) -> dict[str, str]:
    """The query of the page's ``#/view?...`` hash."""
    frag = str(pg.evaluate("location.hash"))  # type: ignore[attr-defined]
    return {k: v[0] for k, v in parse_qs(frag.partition("?")[2]).items()}


def test_the_chart_draws_axes_and_bars_and_its_brush_sets_the_window(page: object) -> None:  # noqa: F811
    page.goto("/#/events")  # type: ignore[attr-defined]
    chart = page.locator("#time-chart")  # type: ignore[attr-defined]
    sync_api.expect(chart.locator("rect.bar")).to_have_count(4)  # 3 buckets, one of them stacked
    sync_api.expect(chart.locator(".x-axis")).to_have_count(1)
    sync_api.expect(chart.locator(".y-axis")).to_have_count(1)
    assert chart.locator("text.x-tick").count() >= 3
    assert chart.locator("text.y-tick").count() >= 2
    sync_api.expect(page.locator(".chart-legend span")).to_have_count(3)  # type: ignore[attr-defined]
    sync_api.expect(page.locator("#event-total")).to_contain_text("5 events")  # type: ignore[attr-defined]
    no_sideways_scroll(page)
    shot(page, f"chart-{page.width}")  # type: ignore[attr-defined]
    # Drag across the November bars only.
    bars = [chart.locator("rect.bar[data-bucket='2024-11-04']").nth(i).bounding_box() for i in range(2)]
    left = min(b["x"] for b in bars) - 6
    right = max(b["x"] + b["width"] for b in bars) + 4
    y = bars[0]["y"] + bars[0]["height"] / 2
    page.mouse.move(left, y)  # type: ignore[attr-defined]
    page.mouse.down()  # type: ignore[attr-defined]
    page.mouse.move((left + right) / 2, y, steps=4)  # type: ignore[attr-defined]
    page.mouse.move(right, y, steps=4)  # type: ignore[attr-defined]
    page.mouse.up()  # type: ignore[attr-defined]
    sync_api.expect(page).to_have_url(re.compile(r"#/events\?.*since=2024-1"))
    params = _hash_params(page)
    day = re.compile(r"\d{4}-\d\d-\d\d")
    assert day.fullmatch(params["since"]) and day.fullmatch(params["until"])
    assert "2024-06-21" < params["since"] <= "2024-11-04" <= "2024-11-05" <= params["until"]
    sync_api.expect(page.locator("#events tr.event-row")).to_have_count(3)  # type: ignore[attr-defined]
    ids = page.locator("#events tr.event-row").evaluate_all("rs => rs.map(r => r.dataset.id)")  # type: ignore[attr-defined]
    assert sorted(ids) == ["e3", "e4", "e5"]
    assert page.locator("#event-filters input[name=since]").input_value() == params["since"]  # type: ignore[attr-defined]
    shot(page, f"chart-brushed-{page.width}")  # type: ignore[attr-defined]


def test_the_map_draws_clusters_that_open_the_timeline(page: object) -> None:  # noqa: F811
    page.goto("/#/map")  # type: ignore[attr-defined]
    clusters = page.locator("#events-map circle.cluster")  # type: ignore[attr-defined]
    sync_api.expect(clusters).to_have_count(3)
    names = sorted(clusters.evaluate_all("cs => cs.map(c => c.dataset.place)"))
    assert names == ["Pyongyang", "Seoul", "Ukraine"]
    assert page.locator("#events-map text.country").all_text_contents() == ["KOR", "PRK", "UKR"]  # type: ignore[attr-defined]
    assert page.locator("#events-map .graticule line").count() >= 4  # type: ignore[attr-defined]
    # Country outlines from the shipped Natural Earth file; countries with events shaded.
    assert page.locator("#events-map path.country-shape").count() > 150  # type: ignore[attr-defined]
    active = page.locator("#events-map path.country-shape.active")  # type: ignore[attr-defined]
    shaded = active.evaluate_all("ps => ps.map(p => p.dataset.iso)")
    assert sorted(shaded) == ["KOR", "PRK", "UKR"]
    assert "2 events" in page.locator("#events-map circle[data-place=Seoul] title").text_content()  # type: ignore[attr-defined]
    no_sideways_scroll(page)
    shot(page, f"map-{page.width}")  # type: ignore[attr-defined]
    page.locator("#events-map circle[data-place=Ukraine]").click()  # type: ignore[attr-defined]
    sync_api.expect(page.locator("#events tr.event-row")).to_have_count(1)  # type: ignore[attr-defined]
    assert page.locator("#events tr.event-row").get_attribute("data-id") == "e5"  # type: ignore[attr-defined]
    assert _hash_params(page)["place"] == "Ukraine"
    # The map honours the timeline's filters: cooperation only leaves Seoul and Pyongyang.
    page.goto("/#/map?quad=1")  # type: ignore[attr-defined]
    sync_api.expect(clusters).to_have_count(2)
