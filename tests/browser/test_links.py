"""No link from a name (issue 17, finding 9): text from a workbook is never a link on a page.

A cluster's summary names its units as a careless or hostile file might: an HTML link, a bare
web address, a www. address and an e-mail address inside a unit's name; the unit named by the
HTML link leads its cluster, so the ranking page writes its name in the sentence on top. Served
by Streamlit and drawn in Chromium, no page shows an <a> element that comes from those names (the
Markdown escaping left bare addresses, which Streamlit's Markdown turned into links).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from etl import db
from etl.load import LoadOptions, load_file
from tests.etl.builders import CLUSTER, Book

from . import harness
from .conftest import YEAR, shot

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect

expect.set_options(timeout=30_000)

NAMES = [
    '<a href="https://evil.example/x">Ban B</a>',  # leads the cluster
    "Ban C https://evil.example/y",
    "Sở D www.evil.example",
    "Phòng E lienhe@evil.example",
    "Ban F [trang](https://evil.example/z)",
]

# Every <a> of the page (plotly's SVG links included) that points at, or shows, a name's address.
LINKS_JS = """() => Array.from(document.querySelectorAll('a')).map(a => [
  a.getAttribute('href') || a.getAttribute('xlink:href') || '', a.textContent || ''
]).filter(([href, text]) => (href + ' ' + text).includes('evil.example'))"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    reason = harness.missing_browser()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    tmp = tmp_path_factory.mktemp("links")
    path = tmp / "links.duckdb"
    book = Book()
    book.kind_b(
        [
            (i + 1, name, f"{97 - i}", f"{95 - i},5", None, None, f"{95 - i},5", i + 1, None)
            for i, name in enumerate(NAMES)
        ]
    )
    report = load_file(db.connect(path), book.save(tmp / "b.xlsx"), LoadOptions(user="test"))
    assert report.status == "loaded", [i.human() for i in report.errors]
    db.close(path)
    with harness.serving(path, tmp / "streamlit.log") as server:
        yield server.url


@pytest.fixture
def tab(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport=harness.VIEWPORT, locale="vi-VN")
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def _open(page: Any, url: str, heading: str) -> None:
    page.goto(url)
    title = page.locator("h1").first
    expect(title).to_be_visible()
    # Workbook text may hold an invisible word joiner inside an address: it reads the same.
    assert title.inner_text().replace("\u2060", "").strip() == heading
    page.wait_for_load_state("networkidle")
    # Streamlit draws in steps: wait until it says it is no longer running.
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)


def test_the_ranking_page_shows_no_link_from_a_unit_name(served: str, tab: Any) -> None:
    url = f"{served}/xep_hang?nam={YEAR}&cum={quote(CLUSTER)}"
    _open(tab, url, f"Xếp hạng {CLUSTER} – năm {YEAR}")
    main = tab.get_by_test_id("stMain")
    expect(main.get_by_text("dẫn đầu", exact=False).first).to_be_visible()
    shot(tab, "links_xep_hang")
    # The leading unit's name reads as typed in the sentence on top, not as a link "Ban B" (an
    # invisible word joiner may sit inside an address).
    shown = main.inner_text().replace("\u2060", "")
    assert f"{NAMES[0]} dẫn đầu {CLUSTER}" in shown
    assert tab.evaluate(LINKS_JS) == []


@pytest.mark.parametrize("name", NAMES)
def test_the_unit_page_shows_no_link_from_its_name(served: str, tab: Any, name: str) -> None:
    url = f"{served}/don_vi?nam={YEAR}&cum={quote(CLUSTER)}&don_vi={quote(name)}"
    _open(tab, url, name)
    assert tab.evaluate(LINKS_JS) == []


@pytest.mark.parametrize("path", ["", "khen_thuong", "tien_do", "chi_tieu"])
def test_other_pages_show_no_link_from_a_unit_name(served: str, tab: Any, path: str) -> None:
    tab.goto(f"{served}/{path}?nam={YEAR}&cum={quote(CLUSTER)}")
    expect(tab.get_by_role("heading").first).to_be_visible()
    tab.wait_for_load_state("networkidle")
    expect(tab.get_by_test_id("stStatusWidget")).to_have_count(0)
    assert tab.evaluate(LINKS_JS) == []


def test_the_probe_sees_a_link(served: str, tab: Any) -> None:
    """The check is not blind: an <a> to the address, put on the page, is found."""
    _open(
        tab,
        f"{served}/xep_hang?nam={YEAR}&cum={quote(CLUSTER)}",
        f"Xếp hạng {CLUSTER} – năm {YEAR}",
    )
    tab.evaluate(
        "() => { const a = document.createElement('a'); a.href = 'https://evil.example/x';"
        " a.textContent = 'x'; document.body.appendChild(a); }"
    )
    assert len(tab.evaluate(LINKS_JS)) == 1
