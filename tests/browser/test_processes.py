"""Two dashboard servers over one data folder, and a load from the command line while both serve:
the open page shows it within seconds without a reload, and the other server shows it too."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.conftest import copy_demo

from . import harness
from .conftest import ARTIFACTS, CLUSTER, YEAR, _read_demo, shot
from .test_browser import criteria, grid_rows, kind_a_workbook

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect

FOLLOW_BUDGET_S = 25  # the page polls every 10 s; a rerun and a redraw follow


def leader(page: Any) -> tuple[str, str]:
    """(rank, unit) of the first row of the ranking table."""
    rows = grid_rows(page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first)
    header, first = rows[0], rows[1]
    return first[header.index("Hạng")], first[header.index("Đơn vị")].lstrip("★ ")


def test_cli_load_shows_on_both_servers(chromium: Any, tmp_path: Path, demo_folder: Path) -> None:
    db = copy_demo(demo_folder, tmp_path / "data")
    units, ranks, best, _ = _read_demo(db)
    unit = max(units, key=lambda u: (ranks[u] or 0, u))
    assert ranks[unit] != 1 and best < 99.5
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    url = f"/xep_hang?nam={YEAR}&cum={quote(CLUSTER)}"
    with harness.serving_together(db, [tmp_path / "a.log", tmp_path / "b.log"]) as servers:
        first, second = servers
        context = chromium.new_context(viewport=harness.VIEWPORT, locale="vi-VN")
        try:
            page_a, page_b = context.new_page(), context.new_page()
            for page, server in ((page_a, first), (page_b, second)):
                page.goto(server.url + url)
                expect(page.locator(harness.CHART).first).to_be_visible(timeout=30_000)
                assert leader(page)[1] != unit

            book = kind_a_workbook(tmp_path / "nap_tu_dong_lenh.xlsx", unit, criteria(20, 99.5))
            harness.thidua("load", str(book), db=db)
            loaded_at = time.monotonic()

            # The open page follows without a reload.
            deadline = loaded_at + FOLLOW_BUDGET_S
            while leader(page_a)[1] != unit:
                assert time.monotonic() < deadline, leader(page_a)
                page_a.wait_for_timeout(500)
            shot(page_a, "browser_processes_followed")
            # The second server reads the same snapshots.
            page_b.reload()
            expect(page_b.locator(harness.CHART).first).to_be_visible(timeout=30_000)
            assert leader(page_b) == ("1", unit)
        finally:
            context.close()
