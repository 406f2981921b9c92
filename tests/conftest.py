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

from tests.postgres import Cluster, Unavailable

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


@pytest.hookimpl(tryfirst=True)  # before xdist's hook of the same name, which reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """`make test` spreads the tests over two processes (pytest-xdist, --dist loadgroup), and each
    process builds the module- and session-wide fixtures it needs itself. The tests that share an
    expensive one stay together on one process, so that it is built once (see ``xdist_group``)."""
    for item in items:
        group = xdist_group(item)
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


def xdist_group(item: pytest.Item) -> str | None:
    """The tests of the demo server (tests/browser/conftest.py: one Streamlit server and its
    warm-up) are one group; the tests of a module that defines a module- or session-wide fixture
    they use (a served database, a scene, a corpus, files converted by LibreOffice) are another;
    the other tests go wherever a process is free."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return None
    if "demo_server" in info.names_closure:
        return "demo_server"
    module = getattr(item, "module", None)
    for name in info.names_closure:
        for fixturedef in info.name2fixturedefs.get(name, ()):
            if (
                fixturedef.scope in ("module", "session")
                and module is not None
                and (getattr(fixturedef.func, "__module__", None) == module.__name__)
            ):
                return item.nodeid.split("::")[0]
    return None
