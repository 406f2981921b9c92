"""Fault injection on the national storage (issue 15: "kill -9 at named points, disk full, damaged
files passes on both storages"): the cases of tests/etl/test_fault_injection.py run against a
DuckLake whose catalog is a real PostgreSQL. Whatever kills or starves the load, the catalog shows
a committed state (the views before the load, or after it), the kept originals are whole, the
journal agrees with the catalog, the writer lock is free again, and the load can simply be done
again.

Not repeated here, because it does not exist at this scale: the people file written beside the
originals (``people_written``: accounts and the audit log are rows of the catalog, committed with
the rest) and the read snapshots a damaged main file must not be published to (every DuckLake
commit is a snapshot; there is no main file).
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

from etl import db
from etl.load import load_file
from etl.load.originals import (
    Journal,
    StoreWriteError,
    find_original,
    sha256_of,
    stored_shas,
    sync_journal,
)
from tests.conftest import tmpfs
from tests.etl.snapshots import journal_matches, view_contents
from tests.etl.test_fault_injection import IGNORE, sheet
from tests.postgres import Cluster

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def using(env: dict[str, str]) -> Iterator[None]:
    """This process on the deployment ``env`` names (THIDUA_CATALOG, THIDUA_DATA_PATH)."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("THIDUA_")}
    for name in saved:
        del os.environ[name]
    os.environ.update(env)
    try:
        yield
    finally:
        db.close_all()
        for name in env:
            os.environ.pop(name, None)
        os.environ.update(saved)


def read_views(env: dict[str, str]) -> dict[str, list[tuple]]:
    with using(env):
        con = db.read_only()
        try:
            return view_contents(con, IGNORE)
        finally:
            con.close()


class Scene:
    """A catalog per case holding one load (state S0, a copy of one made once); the file whose
    load is interrupted; S1: the views once that load has committed."""

    def __init__(self, cluster: Cluster, folder: Path) -> None:
        self.cluster = cluster
        self.folder = folder
        self.copies = itertools.count(1)
        self.first = sheet(folder, "dau.xlsx", "1", 50)
        self.second = sheet(folder, "sau.xlsx", "0,5", 3000)  # big enough to be killed mid-way
        self.template = {
            "THIDUA_CATALOG": "postgres:" + cluster.create_database("thidua_faults"),
            "THIDUA_DATA_PATH": str(folder / "template"),
        }
        (folder / "template").mkdir()
        with using(self.template):
            assert load_file(db.connect(), self.first).status == "loaded"
        env = self.fresh("s1")
        self.s0 = read_views(env)
        assert self.run_load(env).wait(timeout=180) == 0
        self.s1 = read_views(env)
        assert self.s1 != self.s0

    def fresh(self, name: str, data_path: Path | None = None) -> dict[str, str]:
        """A new deployment in state S0: a copy of the template's catalog database (PostgreSQL's
        CREATE DATABASE … TEMPLATE, 0.1 s instead of 5 s of creating and loading) pointed at a
        copy of its data folder."""
        catalog = self.template["THIDUA_CATALOG"].removeprefix("postgres:")
        template = psycopg.conninfo.conninfo_to_dict(catalog)
        dbname = f"thidua_fault_{next(self.copies)}"
        made = self.cluster.run("createdb", "-T", str(template["dbname"]), dbname)
        assert made.returncode == 0, made.stderr
        data = data_path or self.folder / name
        shutil.copytree(self.template["THIDUA_DATA_PATH"], data)
        conninfo = self.cluster.conninfo(dbname)
        with psycopg.connect(conninfo) as con:
            con.execute(
                "UPDATE ducklake_metadata SET value = %s WHERE key = 'data_path'",
                [str(data) + os.sep],
            )
        return {"THIDUA_CATALOG": "postgres:" + conninfo, "THIDUA_DATA_PATH": str(data)}

    def run_load(
        self, env: dict[str, str], fault: str | None = None, wait: float = 120
    ) -> subprocess.Popen:
        child = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
        child.update(env, THIDUA_WRITE_WAIT_SECONDS=str(wait))
        if fault:
            child["THIDUA_FAULT_POINT"] = fault
        return subprocess.Popen(
            [sys.executable, "-m", "etl", "load", str(self.second)],
            env=child,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def check(self, env: dict[str, str]) -> str:
        """Which committed state the catalog is in; the originals and journal consistent."""
        originals = Path(env["THIDUA_DATA_PATH"]) / "originals"
        for kept in stored_shas(originals):  # every kept original is whole
            assert sha256_of(kept) == kept.name.split(".", 1)[0]
        with using(env):
            con = db.read_only()
            try:
                views = view_contents(con, IGNORE)
                assert views in (self.s0, self.s1)
                database = {
                    r[0]
                    for r in con.execute(
                        "SELECT sha256 FROM imports WHERE loaded_by IS DISTINCT FROM "
                        "'dữ liệu tham chiếu'"
                    ).fetchall()
                }
                journal = Journal(originals)
                # A load killed between its journal line and its commit is mended at the next
                # write; a load the catalog holds is always in the journal.
                assert {k.sha for k in journal.replay()} >= database
                sync_journal(con, journal)
                assert journal_matches(con, originals)
            finally:
                con.close()
        for kept in journal.replay():
            assert find_original(originals, kept.sha) is not None
        return "S1" if views == self.s1 else "S0"

    def reload(self, env: dict[str, str]) -> None:
        """The interrupted load done again: the writer lock is free at once, and it lands."""
        started = time.monotonic()
        assert self.run_load(env, wait=5).wait(timeout=180) == 0
        assert time.monotonic() - started < 60
        assert self.check(env) == "S1"


@pytest.fixture(scope="module")
def scene(postgres: Cluster, tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return Scene(postgres, tmp_path_factory.mktemp("national_faults"))


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ("store_copied", "S0"),  # the original half kept, under a private temporary name
        ("stored", "S0"),  # the original kept, nothing in the catalog yet
        ("inserted", "S0"),  # rows written inside the open DuckLake transaction, lock held
        ("journaled", "S0"),  # the journal line fsync'ed, the commit not reached
        ("committed", "S1"),
    ],
)
def test_kill_at_each_step_of_a_load(scene, point, expected):
    env = scene.fresh(point)
    assert scene.run_load(env, fault=point).wait(timeout=180) == -9
    assert scene.check(env) == expected
    scene.reload(env)


def test_kill_after_a_random_delay(scene):
    """SIGKILL at random moments across the whole command (start-up, reading, the DuckLake
    commit in PostgreSQL)."""
    rng = random.Random(15)
    env = scene.fresh("timing")
    started = time.monotonic()
    assert scene.run_load(env).wait(timeout=180) == 0
    duration = time.monotonic() - started
    seen = []
    for trial in range(3):
        env = scene.fresh(f"kill{trial}")
        proc = scene.run_load(env)
        time.sleep(rng.uniform(0.6, 1.05) * duration)
        proc.kill()
        proc.wait(timeout=120)
        seen.append(scene.check(env))
    scene.reload(env)
    print("states after the kills:", seen)


@pytest.fixture
def small_disk(tmp_path):
    """A real 8 MiB file system (tmpfs) as the shared data path."""
    with tmpfs(tmp_path / "disk", 8) as mount:
        yield mount


def test_disk_full_on_the_data_path(scene, small_disk):
    """The shared data path fills up with less and less room left: the load either commits or
    is refused with a Vietnamese message that names the data path (never the catalog's
    connection keywords); the catalog is never damaged, the server's own connection goes on, and
    once room is made the load goes through. (The catalog's PostgreSQL keeps its own disk; its
    running out is PostgreSQL's to report, and the transaction it refuses leaves nothing.)"""
    size = scene.second.stat().st_size
    # No room; room for the original but not the data files; room for everything.
    outcomes, messages = set(), []
    for n, free in enumerate((0, size + (16 << 10), 4 << 20)):
        env = scene.fresh(f"full{n}", small_disk / f"lake{n}")
        stat = os.statvfs(small_disk)
        filler = small_disk / "filler"
        with filler.open("wb") as fh:
            fh.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - free))
        with using(env):
            con = db.connect()
            try:
                report = load_file(con, scene.second)
            except StoreWriteError as exc:
                assert exc.errno == errno.ENOSPC, exc
                assert "ổ đĩa đã đầy" in exc.strerror and "dbname" not in exc.strerror
                messages.append(exc.strerror)
                outcome = "refused"
            else:
                assert report.status == "loaded"
                outcome = "loaded"
            filler.unlink()
            assert view_contents(db.cursor(), IGNORE) == (
                scene.s1 if outcome == "loaded" else scene.s0
            )
            # The same server process loads it once there is room.
            assert load_file(db.connect(), scene.second).status in ("loaded", "already_loaded")
        outcomes.add(outcome)
        assert scene.check(env) == "S1"
        subprocess.call(["rm", "-rf", str(small_disk / f"lake{n}")])
    assert outcomes == {"refused", "loaded"}
    assert any("THIDUA_DATA_PATH" in m for m in messages), messages  # the data files' turn


def query(env: dict[str, str], sql: str) -> subprocess.CompletedProcess:
    child = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    return subprocess.run(
        [sys.executable, "-m", "etl", "query", sql],
        env={**child, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_damaged_data_file_is_named_and_brought_back_from_a_copy(scene, tmp_path):
    """A Parquet data file of the catalog cut short, then gone (a broken copy, a cleaner run by
    hand): reading it is refused with exit 5 and a Vietnamese sentence naming the file and the
    way back (no "Câu truy vấn không chạy được" that blames the statement); the file copied back
    from a backup gives the same views again, as data files are never changed once written.
    (Bytes overwritten inside a Parquet file without changing its length are not caught: DuckDB
    does not check page checksums, and DuckLake keeps no hash of its files.)"""
    env = scene.fresh("damaged")
    assert scene.run_load(env).wait(timeout=180) == 0
    folder = Path(env["THIDUA_DATA_PATH"])
    target = max(folder.rglob("criterion_scores/*.parquet"), key=lambda p: p.stat().st_size)
    backup = tmp_path / target.name
    backup.write_bytes(target.read_bytes())
    sql = "SELECT count(*) FROM v_criterion_scores"
    os.truncate(target, target.stat().st_size // 2)
    for _damage in ("cut short", "gone"):
        done = query(env, sql)
        assert done.returncode == 5, done.stderr
        assert "không đọc được tệp dữ liệu" in done.stderr and target.name in done.stderr
        assert "bản sao lưu" in done.stderr
        assert "Traceback" not in done.stderr and "không chạy được" not in done.stderr
        target.unlink(missing_ok=True)  # then gone
    target.write_bytes(backup.read_bytes())
    assert query(env, sql).returncode == 0
    assert scene.check(env) == "S1"


PAGE_RUN = """
import json, sys
from streamlit.testing.v1 import AppTest
at = AppTest.from_file(sys.argv[1], default_timeout=120)
at.switch_page("app_pages/xep_hang.py")
at.run()
print(json.dumps({"exceptions": [e.value for e in at.exception],
                  "errors": [e.value for e in at.error]}))
"""


def test_a_page_meeting_a_damaged_data_file_names_it_in_vietnamese(scene):
    """A leader opening Xếp hạng while a Parquet file its criteria chart needs is cut short reads a
    Vietnamese sentence naming that file and the way back, not DuckDB's English exception."""
    env = scene.fresh("page_damaged")
    assert scene.run_load(env).wait(timeout=180) == 0
    folder = Path(env["THIDUA_DATA_PATH"])
    target = max(folder.rglob("criterion_scores/*.parquet"), key=lambda p: p.stat().st_size)
    os.truncate(target, target.stat().st_size // 2)
    child = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    done = subprocess.run(
        [sys.executable, "-c", PAGE_RUN, str(ROOT / "dashboard" / "app.py")],
        env={**child, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout.strip().splitlines()[-1])
    assert shown["exceptions"] == []
    assert any(
        "không đọc được tệp dữ liệu" in e and target.name in e and "bản sao lưu" in e
        for e in shown["errors"]
    ), shown["errors"]
