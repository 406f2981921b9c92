"""The national deployment: two dashboard servers over one PostgreSQL catalog (as behind a load
balancer), and a load from the command line at a third place while both serve: the page open on
the first server follows it within seconds, and the second server shows it too."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from . import harness
from .conftest import CLUSTER, YEAR
from .test_browser import criteria, kind_a_workbook
from .test_processes import FOLLOW_BUDGET_S, leader

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect

SAMPLES = harness.ROOT / "data" / "samples"
FILES = [
    SAMPLES / f"0_danh_sach_cum_khoi_thi_dua_{YEAR}.xlsx",
    SAMPLES / f"1_cham_diem_cum4_{YEAR}.xlsx",
]


def thidua(env: dict[str, str], *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=harness.ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_a_load_shows_on_two_servers_over_one_catalog(
    postgres: Any, chromium: Any, tmp_path: Path
) -> None:
    reason = harness.missing_browser()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    lake = {
        "THIDUA_CATALOG": "postgres:" + postgres.create_database(),
        "THIDUA_DATA_PATH": str(tmp_path / "shared"),
        "THIDUA_DB": str(tmp_path / "unused" / "thidua.duckdb"),  # no local file is made
    }
    thidua(lake, "load", *map(str, FILES))
    out = thidua(
        lake,
        "query",
        "--csv",
        f"SELECT unit FROM v_cluster_members WHERE year = {YEAR} AND cluster = '{CLUSTER}' "
        "ORDER BY unit",
    )
    units = [row[0] for row in list(csv.reader(io.StringIO(out)))[1:]]
    assert units
    unit = units[-1]
    url = f"/xep_hang?nam={YEAR}&cum={quote(CLUSTER)}"
    db = Path(lake["THIDUA_DB"])
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    with harness.serving_together(db, logs, settings=lake) as servers:
        first, second = servers
        context = chromium.new_context(viewport=harness.VIEWPORT, locale="vi-VN")
        try:
            page_a, page_b = context.new_page(), context.new_page()
            for page, server in ((page_a, first), (page_b, second)):
                page.goto(server.url + url)
                expect(page.locator(harness.CHART).first).to_be_visible(timeout=60_000)
                assert leader(page)[1] != unit

            book = kind_a_workbook(tmp_path / "nap_tu_may_khac.xlsx", unit, criteria(20, 99.5))
            thidua(lake, "load", str(book))
            deadline = time.monotonic() + FOLLOW_BUDGET_S
            while leader(page_a)[1] != unit:  # the open page follows without a reload
                assert time.monotonic() < deadline, leader(page_a)
                page_a.wait_for_timeout(500)
            page_b.reload()  # the other server reads the same catalog
            expect(page_b.locator(harness.CHART).first).to_be_visible(timeout=60_000)
            assert leader(page_b) == ("1", unit)
        finally:
            context.close()
    assert not (tmp_path / "unused").exists()
