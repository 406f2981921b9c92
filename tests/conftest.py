"""Shared by every test folder: the demo data of `thidua demo`, made once per test session, and a
real PostgreSQL for the national deployment (tests/postgres.py), started when a test asks for it.

Several suites need the demo database (the pages, the packs, the browser, the servers); each used
to run `thidua demo` itself, seconds of loading the same sample workbooks every time. The folder
is made once; a suite that changes its data works on a copy (``copy_demo``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from tests.postgres import Cluster, Unavailable

# Speed is measured by benchmarks/, not by tests: an example that takes long on a busy machine is
# not a failure (hypothesis's default 200 ms deadline made a parser property test fail under load).
settings.register_profile("thidua", deadline=None)
settings.load_profile("thidua")

ROOT = Path(__file__).resolve().parents[1]
DEMO_DB = "thidua.duckdb"


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the demo database (``DEMO_DB``), its read snapshots and its originals."""
    folder = tmp_path_factory.mktemp("demo_source")
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    done = subprocess.run(
        [sys.executable, "-m", "etl", "demo", "--db", str(folder / DEMO_DB)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        pytest.skip(f"`thidua demo` failed: {(done.stdout + done.stderr)[-1000:]}")
    return folder


@contextlib.contextmanager
def tmpfs(folder: Path, size_mb: int) -> Iterator[Path]:
    """A real file system of ``size_mb`` MiB (tmpfs) mounted at ``folder``, so that writes fail the
    way a full disk fails them; the test is skipped where mounting needs root."""
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.call(
        ["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ):
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield folder
    finally:
        from etl import db

        db.close_all()
        subprocess.call(["umount", str(folder)])


def copy_demo(source: Path, folder: Path) -> Path:
    """The demo folder copied into ``folder`` (its own data, snapshots and originals); the
    database file in it."""
    shutil.copytree(source, folder, symlinks=True, dirs_exist_ok=True)
    return folder / DEMO_DB


@pytest.fixture(scope="session")
def postgres():  # type: ignore[no-untyped-def]
    try:
        cluster = Cluster().start()
    except Unavailable as exc:
        pytest.skip(f"PostgreSQL cannot start here: {exc}")
    yield cluster
    from etl import db

    db.close_all()
    cluster.stop()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`make test` spreads the tests over two processes (pytest-xdist, --dist loadgroup). The
    browser tests share one demo server and one Chromium, and start servers that time what they
    see: they stay together on one worker."""
    for item in items:
        if item.nodeid.startswith("tests/browser/"):
            item.add_marker(pytest.mark.xdist_group("browser"))
