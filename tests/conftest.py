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
from filelock import FileLock
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
    """A folder holding the demo database (``DEMO_DB``), its read snapshots and its originals.

    Made once per run: under pytest-xdist every worker's temporary folder lies in the run's own,
    where the first worker that asks makes it (under a lock) and the others find it made."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return _make_demo(tmp_path_factory.mktemp("demo_source"))
    run = tmp_path_factory.getbasetemp().parent
    folder, made = run / "demo_source", run / "demo_source.made"
    with FileLock(run / "demo_source.lock"):
        if not made.is_file():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir()
            _make_demo(folder)
            made.touch()
    return folder


def _make_demo(folder: Path) -> Path:
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


@pytest.hookimpl(trylast=True)  # after xdist's hook of the same name (see below)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`make test` spreads the tests over two processes (pytest-xdist, --dist loadgroup), and each
    process builds the module- and session-wide fixtures it needs itself. The tests that share an
    expensive one stay together on one process, so that it is built once (see ``xdist_group``).

    xdist tells its scheduler a test's group by appending ``@group`` to the test's id, in its own
    pytest_collection_modifyitems; with pytest 9.2 that write no longer changes the id
    (pytest-xdist issue 1386), so every test was scheduled alone. The suffix is written here."""
    loadgroup = bool(getattr(config.option, "loadgroup", False))
    shared = {module_of(item) for item in items if uses_a_fixture_of_its_module(item)}
    for item in items:
        if "demo_server" in getattr(item, "fixturenames", ()):
            group = "demo_server"
        elif module_of(item) in shared:
            group = module_of(item)
        else:
            continue
        item.add_marker(pytest.mark.xdist_group(group))
        if loadgroup and not item.nodeid.endswith(f"@{group}"):
            grouped = f"{item.nodeid}@{group}"
            if hasattr(item, "_id"):  # pytest >= 9.2: a structured id
                from _pytest.nodeid import NodeId

                item._id = NodeId.parse(grouped)
            else:
                item._nodeid = grouped


def module_of(item: pytest.Item) -> str:
    return item.nodeid.split("::")[0]


def uses_a_fixture_of_its_module(item: pytest.Item) -> bool:
    """Whether ``item`` uses a module- or session-wide fixture that its own module defines (a
    served database, a fault scene, a corpus, files converted by LibreOffice...): the tests of
    such a module are one xdist group, as the tests of the demo server (tests/browser/conftest.py:
    one Streamlit server and its warm-up) are another; the others go wherever a process is free.
    Grouped modules are also scheduled first (xdist starts with its largest groups), which puts
    the long tests of those modules at the start rather than at the end of the run."""
    info = getattr(item, "_fixtureinfo", None)
    module = getattr(item, "module", None)
    if info is None or module is None:
        return False
    return any(
        fixturedef.scope in ("module", "session")
        and getattr(fixturedef.func, "__module__", None) == module.__name__
        for name in info.names_closure
        for fixturedef in info.name2fixturedefs.get(name, ())
    )
