"""Fault injection (issue 9): a load killed with SIGKILL at any moment, or stopped by a full disk,
leaves the views equal to a committed state (before or after that load), the kept originals
intact and the journal consistent with the database."""

from __future__ import annotations

import errno
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import etl.load.originals
from etl import cli, db
from etl.load import load_file
from etl.load.originals import (
    Journal,
    StoreWriteError,
    find_original,
    sha256_of,
    stored_shas,
    sync_journal,
)
from etl.load.rebuild import rebuild
from tests.conftest import tmpfs
from tests.etl.builders import Book, Title
from tests.etl.snapshots import journal_matches, view_contents, views_of

IGNORE = ("loaded_at",)  # a load's time differs between runs of the same file
ROOT = Path(__file__).resolve().parents[2]


def sheet(folder: Path, name: str, score: str, rows: int) -> Path:
    book = Book()
    book.kind_a(
        [(str(i), f"Tiêu chí số {i}", "1", score, score) for i in range(1, rows + 1)],
        title=Title(),
    )
    return book.save(folder / name)


class Scene:
    """A database holding one load (state S0), the file whose load is interrupted, and S1: the
    views once that load has committed."""

    def __init__(self, folder: Path) -> None:
        self.template = folder / "template"
        self.first = sheet(folder, "dau.xlsx", "1", 50)
        self.second = sheet(folder, "sau.xlsx", "0,5", 3000)  # big enough to be killed mid-way
        con = db.connect(self.template / "thidua.duckdb")
        assert load_file(con, self.first).status == "loaded"
        self.s0 = view_contents(con, IGNORE)
        db.close_all()
        trial = self.copy(folder / "s1")
        code = self.run_load(trial).wait(timeout=120)
        assert code == 0
        self.s1 = views_of(trial, IGNORE)
        db.close_all()
        assert self.s1 != self.s0

    def copy(self, where: Path) -> Path:
        shutil.copytree(self.template, where)
        return where / "thidua.duckdb"

    def run_load(self, db_file: Path, fault: str | None = None) -> subprocess.Popen:
        env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
        if fault:
            env["THIDUA_FAULT_POINT"] = fault
        return subprocess.Popen(
            [sys.executable, "-m", "etl", "load", "--db", str(db_file), str(self.second)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def check(self, db_file: Path) -> str:
        """Which committed state the database is in; the originals and journal consistent."""
        views = views_of(db_file, IGNORE)
        assert views in (self.s0, self.s1)
        originals = db_file.parent / "originals"
        # Every kept original is whole: its content is its name.
        for kept in stored_shas(originals):
            assert sha256_of(kept) == kept.name.split(".", 1)[0]
        con = db.connect(db_file)
        # Whatever the journal holds beyond the database (a load killed between its journal
        # line and its commit) is mended at the next write.
        database = {r[0] for r in con.execute("SELECT sha256 FROM imports").fetchall()}
        journal = Journal(originals)
        assert {k.sha for k in journal.replay()} >= database - {_reference_sha(con)}
        sync_journal(con, journal)
        assert journal_matches(con, originals)
        for kept in journal.replay():
            assert find_original(originals, kept.sha) is not None
        db.close_all()
        return "S1" if views == self.s1 else "S0"


def _reference_sha(con) -> str:
    (sha,) = con.execute(
        "SELECT sha256 FROM imports WHERE loaded_by = 'dữ liệu tham chiếu'"
    ).fetchone()
    return sha


@pytest.fixture(scope="module")
def scene(tmp_path_factory) -> Scene:
    return Scene(tmp_path_factory.mktemp("faults"))


@pytest.mark.parametrize(
    ("point", "expected"),
    [
        ("store_copied", "S0"),  # the original half kept, under a private temporary name
        ("stored", "S0"),  # the original kept, nothing in the database yet
        ("inserted", "S0"),  # rows written inside the open transaction
        ("journaled", "S0"),  # the journal line fsync'ed, the commit not reached
        ("committed", "S1"),
    ],
)
def test_kill_at_each_step_of_a_load(scene, tmp_path, point, expected):
    db_file = scene.copy(tmp_path / point)
    code = scene.run_load(db_file, fault=point).wait(timeout=120)
    assert code == -9
    assert scene.check(db_file) == expected
    # The journal alone gives back the same state when the database is then lost.
    db_file.unlink()
    db_file.with_name(db_file.name + ".wal").unlink(missing_ok=True)
    result = rebuild(db_file)
    assert result.swapped and not result.missing
    assert views_of(db_file, IGNORE) == (scene.s1 if expected == "S1" else scene.s0)
    db.close_all()


def test_kill_after_a_random_delay(scene, tmp_path):
    """SIGKILL at random moments across the whole command (start-up, reading, writing)."""
    rng = random.Random(9)
    db_file = scene.copy(tmp_path / "timing")
    started = time.monotonic()
    assert scene.run_load(db_file).wait(timeout=120) == 0
    duration = time.monotonic() - started
    seen = []
    for trial in range(4):
        db_file = scene.copy(tmp_path / f"kill{trial}")
        proc = scene.run_load(db_file)
        time.sleep(rng.uniform(0.6, 1.05) * duration)
        proc.kill()
        proc.wait(timeout=120)
        seen.append(scene.check(db_file))
    # The interrupted load can simply be done again.
    assert scene.run_load(db_file).wait(timeout=120) == 0
    assert scene.check(db_file) == "S1"
    print("states after the kills:", seen)


def _clear(folder: Path) -> None:
    for p in folder.iterdir():
        shutil.rmtree(p) if p.is_dir() else p.unlink()


@pytest.fixture
def small_disk(tmp_path):
    """A real 8 MiB file system (tmpfs), so that writes fail the way a full disk fails them."""
    with tmpfs(tmp_path / "disk", 8) as mount:
        yield mount


def test_disk_full_at_every_stage(scene, small_disk):
    """Fill the disk to leave less and less room: the load either commits or is refused with a
    Vietnamese message; the data is never damaged, and once room is made the load goes through."""
    outcomes = set()
    for free in (0, 8 << 10, 64 << 10, 4 << 20):
        _clear(small_disk)
        db_file = small_disk / "data" / "thidua.duckdb"
        con = db.connect(db_file)
        assert load_file(con, scene.first).status == "loaded"
        stat = os.statvfs(small_disk)
        filler = small_disk / "filler"
        with filler.open("wb") as fh:
            fh.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - free))
        try:
            report = load_file(con, scene.second)
        except StoreWriteError as exc:
            assert exc.errno == errno.ENOSPC
            assert "ổ đĩa đã đầy" in exc.strerror and "dữ liệu cũ còn nguyên" in exc.strerror
            outcome = "refused"
        else:
            assert report.status == "loaded"
            outcome = "loaded"
        outcomes.add(outcome)
        db.close_all()
        filler.unlink()
        assert views_of(db_file, IGNORE) == (scene.s1 if outcome == "loaded" else scene.s0)
        con = db.connect(db_file)
        sync_journal(con, Journal(db_file.parent / "originals"))
        assert journal_matches(con, db_file.parent / "originals")
        assert load_file(con, scene.second).status in ("loaded", "already_loaded")
        assert view_contents(con, IGNORE) == scene.s1
        db.close_all()
    assert outcomes == {"refused", "loaded"}


@pytest.mark.parametrize("where", ["original", "journal"])
def test_disk_full_simulated_in_the_store(con, db_file, tmp_path, monkeypatch, where):
    """Without a small disk: the write of the original or of the journal line fails."""
    first = sheet(tmp_path, "dau.xlsx", "1", 5)
    second = sheet(tmp_path, "sau.xlsx", "0,5", 5)
    assert load_file(con, first).status == "loaded"
    before = view_contents(con)

    def no_space(*_args, **_kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "original":
        monkeypatch.setattr(etl.load.originals, "_copy_hashing", no_space)
    else:
        monkeypatch.setattr(etl.load.originals, "_write_all", no_space)
    with pytest.raises(StoreWriteError) as caught:
        load_file(con, second)
    assert "ổ đĩa đã đầy" in caught.value.strerror
    monkeypatch.undo()
    assert view_contents(con) == before
    originals = db_file.parent / "originals"
    assert journal_matches(con, originals)
    if where == "original":
        assert find_original(originals, sha256_of(second)) is None
    assert load_file(con, second).status == "loaded"


def test_disk_full_at_the_commit_is_a_clear_refusal(con, tmp_path, monkeypatch):
    first = sheet(tmp_path, "dau.xlsx", "1", 5)
    second = sheet(tmp_path, "sau.xlsx", "0,5", 5)
    assert load_file(con, first).status == "loaded"
    before = view_contents(con)

    def failing(*_args, **_kw):
        raise duckdb.IOException('Could not write file "x.wal": No space left on device')

    monkeypatch.setattr("etl.load.loader.insert_tables", failing)
    with pytest.raises(StoreWriteError) as caught:
        load_file(con, second)
    assert caught.value.errno == errno.ENOSPC and "CSDL" in caught.value.strerror
    monkeypatch.undo()
    assert view_contents(con) == before


def test_disk_full_on_the_command_line(db_file, tmp_path, monkeypatch, capsys):
    first = sheet(tmp_path, "dau.xlsx", "1", 5)
    second = sheet(tmp_path, "sau.xlsx", "0,5", 5)
    assert cli.main(["load", "--db", str(db_file), str(first)]) == 0
    before = views_of(db_file)

    def no_space(*_args, **_kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(etl.load.originals, "_copy_hashing", no_space)
    capsys.readouterr()
    assert cli.main(["load", "--db", str(db_file), str(second)]) == cli.EXIT_NOT_WRITTEN
    err = capsys.readouterr().err
    assert "ổ đĩa đã đầy" in err and "Traceback" not in err and "Errno" not in err
    assert views_of(db_file) == before


def test_kill_while_the_people_file_is_written(db_file, tmp_path):
    """The people file beside the originals (issue 15) is replaced in one rename: a kill -9 before
    it leaves the previous whole file, and the next write brings it up to date."""
    from etl.db import people

    env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}

    def add(name: str, fault: str | None = None) -> int:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "etl",
                "user",
                "add",
                name,
                "--role",
                "viewer",
                "--db",
                str(db_file),
            ],
            input="mat-khau-rat-dai-2026\n",
            text=True,
            env={**env, **({"THIDUA_FAULT_POINT": fault} if fault else {})},
            cwd=ROOT,
            capture_output=True,
        ).returncode

    assert add("mot") == 0
    assert add("hai", fault="people_written") == -9
    kept = people.load_file(db_file)
    assert kept is not None and [u[0] for u in kept.rows["users"]] == ["mot"]
    assert add("ba") == 0
    kept = people.load_file(db_file)
    assert kept is not None and [u[0] for u in kept.rows["users"]] == ["ba", "hai", "mot"]


def test_a_damaged_sign_in_store_is_set_aside_and_sign_in_goes_on(db_file):
    """The sign-in side store (issue 15) overwritten with garbage: one attempt may be refused (in
    Vietnamese, never an exception), the store is moved aside (kept as .damaged-…) and sign-ins
    work again; no account is touched."""
    from etl.db import signin_store
    from etl.year import accounts

    with db.writing(db_file) as con:
        accounts.add_user(con, "quantri", "admin", "mat-khau-rat-dai-2026")
    cur = db.read_cursor(db_file)
    assert accounts.sign_in(cur, "quantri", "sai", "10.0.0.9").role is None
    signin_store._stores.clear()  # another process starts, and finds the file damaged
    path = signin_store.sqlite_path(db.main_path(db_file))
    for part in path.parent.glob(path.name + "*"):
        part.write_bytes(os.urandom(8192))
    result = accounts.sign_in(cur, "quantri", "mat-khau-rat-dai-2026", "10.0.0.9")
    assert result.ok or "kho đếm lượt đăng nhập bị hỏng" in (result.message or "")
    assert accounts.sign_in(cur, "quantri", "mat-khau-rat-dai-2026", "10.0.0.9").role == "admin"
    assert list(path.parent.glob(path.name + ".damaged-*"))
