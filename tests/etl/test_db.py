"""Who writes and who reads (etl/db/connections.py): one writer at a time across processes, readers on
snapshots that only ever show a committed state, and failures that end in a Vietnamese sentence.

Every "other program" here is a real second process: the lock is an flock and DuckDB's own file
lock is per process, so threads would prove nothing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from etl import cli, db
from etl.year import accounts
from tests.etl.builders import Book, Title

ROOT = Path(__file__).resolve().parents[2]


def scoring(path: Path, unit: str = "Sở Tài chính", second: str = "40") -> Path:
    book = Book()
    book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", "55", "54"),
            ("II", "Công tác xây dựng Đảng", "40", second, second),
        ],
        title=Title(unit=unit),
        total=(None, "Tổng cộng", "100", None, None),
    )
    return book.save(path)


def thidua(db_file: Path, *args: str, stdin: str = "", env: dict | None = None):
    """`thidua ARGS` in a process of its own, on ``db_file`` (THIDUA_DB)."""
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=ROOT,
        env={**os.environ, "THIDUA_DB": str(db_file), **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


HOLDER = """
import sys, time
from pathlib import Path
from etl import db
from etl.year import accounts
path, seconds, marker = Path(sys.argv[1]), float(sys.argv[2]), Path(sys.argv[3])
with db.writing(path) as con:
    con.execute("BEGIN TRANSACTION")
    accounts.audit(con, "holder", "test", "chưa ghi xong")
    marker.write_text("held")
    time.sleep(seconds)
    con.execute("COMMIT")
"""


def hold_writer(db_file: Path, seconds: float, tmp_path: Path) -> subprocess.Popen:
    """Another process that holds the writer, mid-transaction, for ``seconds``."""
    marker = tmp_path / f"held-{time.monotonic_ns()}"
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db_file), str(seconds), str(marker)],
        cwd=ROOT,
        env={**os.environ, "THIDUA_DB": str(db_file)},
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert proc.poll() is None, "the holder died"
        assert time.monotonic() < deadline, "the holder never took the writer"
        time.sleep(0.05)
    return proc


def audit_actions(db_file: Path) -> list[str]:
    con = db.read_only(db_file)
    try:
        return [
            r[0] for r in con.execute("SELECT actor FROM audit_log ORDER BY audit_id").fetchall()
        ]
    finally:
        con.close()


@pytest.fixture
def loaded(db_file: Path, tmp_path: Path) -> Path:
    """A database with one load, built by the command line."""
    book = scoring(tmp_path / "a.xlsx")
    assert cli.main(["load", "--db", str(db_file), str(book)]) == 0
    db.close_all()
    return db_file


def test_reader_sees_the_last_commit_while_a_writer_is_mid_transaction(loaded, tmp_path):
    before = audit_actions(loaded)
    holder = hold_writer(loaded, 3, tmp_path)
    try:
        assert audit_actions(loaded) == before  # nothing half-written shows
        history = thidua(loaded, "history")
        assert history.returncode == 0, history.stderr
        assert "a.xlsx" in history.stdout
    finally:
        holder.wait(timeout=60)
    assert audit_actions(loaded) == [*before, "holder"]


def test_a_second_writer_waits_its_turn_and_goes_through(loaded, tmp_path):
    holder = hold_writer(loaded, 2, tmp_path)
    start = time.monotonic()
    user = thidua(
        loaded, "user", "add", "canbo", "--role", "uploader", stdin="mat-khau-rat-dai-2026\n"
    )
    waited = time.monotonic() - start
    holder.wait(timeout=60)
    assert user.returncode == 0, user.stderr
    assert waited > 1.0  # it waited for the holder instead of failing on a lock
    con = db.read_only(loaded)
    assert con.execute("SELECT count(*) FROM users WHERE name = 'canbo'").fetchone()[0] == 1
    con.close()


def test_busy_beyond_the_wait_is_refused_in_vietnamese(loaded, tmp_path):
    holder = hold_writer(loaded, 6, tmp_path)
    try:
        book = scoring(tmp_path / "b.xlsx", second="30")
        result = thidua(loaded, "load", str(book), env={"THIDUA_WRITE_WAIT_SECONDS": "1"})
    finally:
        holder.wait(timeout=60)
    assert result.returncode == cli.EXIT_BUSY
    assert "đang bận" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    con = db.read_only(loaded)
    assert con.execute("SELECT count(*) FROM imports WHERE file_name = 'b.xlsx'").fetchone()[0] == 0
    con.close()


def test_the_same_file_loaded_twice_at_once_is_one_load(db_file, tmp_path):
    book = scoring(tmp_path / "cung_tep.xlsx")
    assert cli.main(["history", "--db", str(db_file)]) == 0  # creates the database
    db.close_all()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "etl", "load", "--json", "--db", str(db_file), str(book)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    statuses = sorted(json.loads(out)["status"] for out, _ in outs)
    assert statuses == ["already_loaded", "already_loaded", "loaded"]
    con = db.read_only(db_file)
    rows = con.execute(
        "SELECT count(*), count(DISTINCT sha256) FROM imports WHERE file_name = 'cung_tep.xlsx'"
    ).fetchone()
    con.close()
    assert rows == (1, 1)
    leftovers = [p for p in (db_file.parent / "originals").rglob("*") if p.suffix == ".part"]
    assert leftovers == []


def test_concurrent_versions_supersede_in_order_and_say_so(db_file, tmp_path):
    books = [scoring(tmp_path / f"ban_{i}.xlsx", second=str(30 + i)) for i in range(3)]
    assert cli.main(["history", "--db", str(db_file)]) == 0
    db.close_all()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "etl", "load", "--json", "--db", str(db_file), str(b)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for b in books
    ]
    reports = [json.loads(p.communicate(timeout=120)[0]) for p in procs]
    assert all(r["status"] == "loaded" for r in reports)
    con = db.read_only(db_file)
    imports = con.execute(
        "SELECT import_id, status, superseded_by FROM v_imports WHERE loaded_by IS DISTINCT FROM "
        "'dữ liệu tham chiếu' ORDER BY import_id"
    ).fetchall()
    current = con.execute("SELECT import_id FROM v_unit_scores").fetchall()
    con.close()
    # Whatever order the writers took, the last one in holds the scope, and each load's own
    # report names the one it replaced: no notice is lost to the race.
    ids = [i for i, _, _ in imports]
    assert [s for _, s, _ in imports] == ["superseded", "superseded", "loaded"]
    assert current == [(ids[-1],)]
    by_id = {r["import_id"]: r for r in reports}
    assert by_id[ids[1]]["superseded"] == [ids[0]]
    assert by_id[ids[2]]["superseded"] == [ids[1]]


def test_a_writer_killed_mid_transaction_leaves_the_last_commit(loaded, tmp_path):
    before = audit_actions(loaded)
    holder = hold_writer(loaded, 30, tmp_path)
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    # The kernel released the lock with the process: the next writer goes straight through.
    user = thidua(
        loaded,
        "user",
        "add",
        "sau_su_co",
        "--role",
        "viewer",
        stdin="mat-khau-rat-dai-2026\n",
        env={"THIDUA_WRITE_WAIT_SECONDS": "5"},
    )
    assert user.returncode == 0, user.stderr
    assert audit_actions(loaded)[: len(before)] == before
    assert "holder" not in audit_actions(loaded)


def test_a_deleted_database_comes_back_from_the_last_snapshot(loaded, tmp_path):
    loaded.unlink()
    history = thidua(loaded, "history")
    assert history.returncode == 0 and "a.xlsx" in history.stdout
    user = thidua(loaded, "user", "add", "moi", "--role", "viewer", stdin="mat-khau-rat-dai-2026\n")
    assert user.returncode == 0, user.stderr
    assert "khôi phục từ bản đọc" in user.stderr
    con = db.read_only(loaded)
    assert con.execute("SELECT count(*) FROM imports WHERE file_name = 'a.xlsx'").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM users WHERE name = 'moi'").fetchone()[0] == 1
    con.close()


def test_a_garbled_database_is_refused_with_the_way_out(loaded, tmp_path):
    data = bytearray(loaded.read_bytes())
    data[0:4096] = os.urandom(4096)
    loaded.write_bytes(bytes(data))
    result = thidua(loaded, "load", str(scoring(tmp_path / "c.xlsx", second="20")))
    assert result.returncode == cli.EXIT_CORRUPT, result.stderr
    assert "thidua rebuild" in result.stderr and "Traceback" not in result.stderr
    # Readers keep the last good snapshot meanwhile.
    con = db.read_only(loaded)
    assert con.execute("SELECT count(*) FROM imports WHERE file_name = 'a.xlsx'").fetchone()[0] == 1
    con.close()


def test_disk_full_while_publishing_keeps_the_write_and_catches_up(loaded, tmp_path, monkeypatch):
    import shutil

    real_copy = shutil.copy2

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copy2", full)
    with db.writing(loaded) as con:
        accounts.audit(con, "x", "test")
    db.close_all()
    monkeypatch.setattr(shutil, "copy2", real_copy)
    # The write stands; the next reader finds the snapshot behind the main file and publishes.
    assert audit_actions(loaded)[-1] == "x"


def test_disk_full_during_a_load_is_a_clear_refusal(loaded, tmp_path, monkeypatch, capsys):
    from etl.load import originals

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(originals, "_copy_hashing", full)
    before = audit_actions(loaded)
    code = cli.main(["load", "--db", str(loaded), str(scoring(tmp_path / "d.xlsx", second="25"))])
    err = capsys.readouterr().err
    assert code == cli.EXIT_DISK_FULL
    assert "ổ đĩa đã đầy" in err
    con = db.read_only(loaded)
    assert con.execute("SELECT count(*) FROM imports WHERE file_name = 'd.xlsx'").fetchone()[0] == 0
    con.close()
    assert audit_actions(loaded) == before


def test_old_snapshots_are_pruned(loaded, tmp_path):
    for i in range(5):
        with db.writing(loaded) as con:
            accounts.audit(con, f"w{i}", "t")
    snaps = sorted(db.snapshots_dir(db.main_path(loaded)).glob("*.duckdb"))
    assert len(snaps) == db.SNAPSHOTS_KEPT
    assert os.path.realpath(db.read_path(loaded)) == str(snaps[-1])
