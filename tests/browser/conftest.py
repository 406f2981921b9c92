"""The dashboard served by Streamlit on the demo database, and a headless Chromium to drive it.

Session-wide: a demo database built by `thidua demo` in a temporary directory, an uploader
account (password given on standard input), and `streamlit run dashboard/app.py` on a free
localhost port. Every test gets a fresh browser context (a new Streamlit session). Screenshots go
to tests/artifacts/ (gitignored).

Skipped, with the reason, on a machine without /usr/bin/chromium or without playwright.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.browser import harness  # noqa: E402
from tests.conftest import copy_demo  # noqa: E402

ARTIFACTS = ROOT / "tests" / "artifacts"
USER = "canbo_tai_len"
PASSWORD = "Mat-khau-thu-2026"
YEAR = 2026
CLUSTER = "Cụm thi đua số 4"


@dataclass(frozen=True)
class Demo:
    """What the tests need to know about the served database."""

    url: str
    db: Path
    units: tuple[str, ...]  # members of CLUSTER in YEAR (v_cluster_members)
    ranks: dict[str, int | None]  # their rank in YEAR before any upload
    best_total: float  # the highest total score of CLUSTER in YEAR before any upload
    all_units: tuple[str, ...]  # every member unit of YEAR
    server: harness.Server


def _read_demo(
    db: Path,
) -> tuple[tuple[str, ...], dict[str, int | None], float, tuple[str, ...]]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        units = [
            r[0]
            for r in con.execute(
                "SELECT unit FROM v_cluster_members WHERE year = ? AND cluster = ? ORDER BY unit",
                [YEAR, CLUSTER],
            ).fetchall()
        ]
        scores = con.execute(
            "SELECT unit, rank, total_score FROM v_unit_scores WHERE year = ? AND cluster = ?",
            [YEAR, CLUSTER],
        ).fetchall()
        everyone = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT unit FROM v_cluster_members WHERE year = ?", [YEAR]
            ).fetchall()
        ]
    finally:
        con.close()
    ranks = {unit: rank for unit, rank, _ in scores}
    best = max((total for _, _, total in scores if total is not None), default=0.0)
    return tuple(units), {u: ranks.get(u) for u in units}, float(best), tuple(everyone)


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory, demo_folder: Path) -> Iterator[Demo]:
    reason = harness.missing_browser()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    tmp = tmp_path_factory.mktemp("browser")
    db = copy_demo(demo_folder, tmp / "data")  # the tests upload into it
    # `--db` comes from THIDUA_DB (set by harness.thidua); the password is read from stdin.
    harness.thidua("user", "add", USER, "--role", "uploader", db=db, stdin=PASSWORD + "\n")
    units, ranks, best, everyone = _read_demo(db)
    assert units, f"the demo database has no members of {CLUSTER} in {YEAR}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with harness.serving(db, tmp / "streamlit.log") as server:
        yield Demo(server.url, db, units, ranks, best, everyone, server)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """The session's one headless Chromium: Playwright's sync API runs one per process."""
    reason = harness.missing_browser()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = harness.launch(p)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def browser(demo_server: Demo, chromium: Any) -> Any:
    return chromium


@pytest.fixture(scope="session")
def browser_context(browser: Any) -> Iterator[Any]:
    """One context (one HTTP cache) for the tests; each page in it is its own Streamlit session."""
    context = browser.new_context(viewport=harness.VIEWPORT, locale="vi-VN")
    context.set_default_timeout(20_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(browser_context: Any) -> Iterator[Any]:
    """A new tab: a new Streamlit session (signed out, filters at their defaults)."""
    pg = browser_context.new_page()
    try:
        yield pg
    finally:
        pg.close()


def shot(page: Any, name: str) -> Path:
    """A full-page screenshot in tests/artifacts/<name>.png."""
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
