"""The dashboard on a phone (390 px wide, as a leader opens it before a meeting): every analytic
page reads — no chart title, axis title or bar label runs past its chart, the page does not
scroll sideways, the filters are one tap away — and users see no Deploy button or developer menu.

Screenshots: tests/artifacts/phone_<page>.png (the whole page, device scale factor 2).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from . import harness
from .conftest import Demo, shot
from .test_browser import PAGES

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}

# Text of every chart (titles, axis titles, tick labels, legend, bar labels, notes) whose box
# leaves the chart's own drawing: [chart index, what, text, px past the left, px past the right].
OVERFLOW_JS = """() => {
  const out = [];
  document.querySelectorAll('.js-plotly-plot').forEach((plot, i) => {
    const svg = plot.querySelector('svg.main-svg');
    if (!svg) return;
    const box = svg.getBoundingClientRect();
    const texts = plot.querySelectorAll(
      '.gtitle, .g-gtitle text, .xtitle, .ytitle, .xtick text, .ytick text, .legendtext, ' +
      '.bartext, .annotation-text');
    texts.forEach(t => {
      const r = t.getBoundingClientRect();
      if (r.width && (r.left < box.left - 1 || r.right > box.right + 1)) {
        out.push([i, t.getAttribute('class'), t.textContent.slice(0, 60),
                  Math.round(box.left - r.left), Math.round(r.right - box.right)]);
      }
    });
  });
  return out;
}"""


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    context.set_default_timeout(30_000)
    try:
        yield context
    finally:
        context.close()


# Every analytic page; those of the first list draw at least one chart on the demo data.
CHARTED = [p[0] for p in PAGES]
OTHERS = ["tien_do", "khen_thuong", "lich_thi_dua", "xuat_bao_cao"]


# A cluster whose long unit names leave the bars little room: their labels must stay in the chart.
CLUSTER_4 = "xep_hang?nam=2026&cum=C%E1%BB%A5m%20thi%20%C4%91ua%20s%E1%BB%91%204"
PHONE_PAGES = [pytest.param(p, id=p or "tong_quan") for p in CHARTED + OTHERS] + [
    pytest.param(CLUSTER_4, id="xep_hang_cum_4")
]


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_page_reads_on_a_phone(phone: Any, demo_server: Demo, path: str) -> None:
    page = phone.new_page()
    try:
        page.goto(f"{demo_server.url}/{path}")
        expect(page.locator("h1").first).to_be_visible()
        charts = page.locator(harness.CHART)
        if path in CHARTED or path == CLUSTER_4:
            expect(charts.first).to_be_visible()
        page.wait_for_timeout(1500)  # plotly lays text out after the chart becomes visible
        assert page.evaluate(OVERFLOW_JS) == []
        if path in CHARTED:  # the check above looked at real titles
            assert page.locator(f"{harness.CHART} .gtitle").count() >= 1
        # Nothing wider than the screen: the page never scrolls sideways (tables scroll inside).
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        # The plotly tool bar stays off the chart on a narrow screen.
        assert page.locator(".modebar-container").first.is_hidden()
        # The toolbar is there, without the Deploy button.
        expect(page.get_by_test_id("stMainMenu")).to_be_visible()
        expect(page.get_by_test_id("stAppDeployButton")).to_have_count(0)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        shot(page, f"phone_{path or 'tong_quan'}")
    finally:
        page.close()


def test_filters_are_one_tap_away_on_a_phone(phone: Any, demo_server: Demo) -> None:
    page = phone.new_page()
    try:
        page.goto(f"{demo_server.url}/xep_hang")
        expect(page.locator(harness.CHART).first).to_be_visible()
        cluster = page.get_by_test_id("stSidebar").get_by_text("Cụm, khối thi đua")

        def on_screen() -> bool:
            box = cluster.bounding_box()
            return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

        assert not on_screen()  # the sidebar starts folded away, leaving the page to the charts
        page.get_by_test_id("stExpandSidebarButton").click()
        page.wait_for_timeout(800)  # the sidebar slides in
        assert on_screen()
        shot(page, "phone_filters")
    finally:
        page.close()
