"""Many writers on one national catalog: they take turns without losing a load, the same file
sent from two sites at once becomes one load, a writer killed with -9 mid-load leaves the catalog
consistent (and the lock free), and a writer mid-transaction never blocks a reader."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from etl import db
from etl.cli import SAMPLES_DIR

ROOT = Path(__file__).resolve().parents[2]
LISTS = sorted(SAMPLES_DIR.glob("0_danh_sach_*.xlsx"))
A, B, C = (SAMPLES_DIR / f"1_cham_diem_cum{n}_2026.xlsx" for n in (1, 2, 3))


def thidua(env: dict[str, str], *args: str, extra: dict[str, str] | None = None):
    return subprocess.Popen(
        [sys.executable, "-m", "etl", *args],
        cwd=ROOT,
        env={**os.environ, **env, **(extra or {})},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate("", timeout=300)
    return proc.returncode, out, err


def loads(con) -> list[tuple[int, str, str]]:
    return con.execute(
        "SELECT import_id, file_name, status FROM v_imports "
        "WHERE loaded_by IS DISTINCT FROM 'dữ liệu tham chiếu' ORDER BY import_id"
    ).fetchall()


def test_three_writers_at_once_plus_one_killed_mid_load(lake):
    code, _, err = finish(thidua(lake, "load", *map(str, LISTS)))
    assert code == 0, err
    procs = {
        "a": thidua(lake, "load", "--json", str(A)),
        "b": thidua(lake, "load", "--json", str(B)),
        "a-again": thidua(lake, "load", "--json", str(A)),  # the same file from another site
        # Dies as kill -9 would, inside its transaction, rows inserted, the lock held.
        "killed": thidua(lake, "load", str(C), extra={"THIDUA_FAULT_POINT": "inserted"}),
    }
    results = {name: finish(p) for name, p in procs.items()}
    assert results["killed"][0] == -signal.SIGKILL
    for name in ("a", "b", "a-again"):
        assert results[name][0] == 0, (name, results[name][2])
    statuses = sorted(json.loads(results[n][1])["status"] for n in ("a", "a-again"))
    assert statuses == ["already_loaded", "loaded"]

    con = db.read_only()
    try:
        got = loads(con)
        names = [name for _, name, _ in got]
        assert names.count(A.name) == 1 and names.count(B.name) == 1
        assert C.name not in names  # the killed load left nothing
        ids = [i for i, _, _ in got]
        assert len(ids) == len(set(ids))
        (units,) = con.execute(
            "SELECT count(*) FROM v_unit_scores WHERE year = 2026 AND cluster ILIKE '%số 3%'"
        ).fetchone()
        assert units == 0
    finally:
        con.close()

    # The lock died with the killed writer, and the catalog takes the same file again at once.
    start = time.monotonic()
    code, out, err = finish(thidua(lake, "load", "--json", str(C), extra={
        "THIDUA_WRITE_WAIT_SECONDS": "5"}))  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["status"] == "loaded"
    assert time.monotonic() - start < 60
    con = db.read_only()
    try:
        assert [n for _, n, _ in loads(con)].count(C.name) == 1
        (units,) = con.execute(
            "SELECT count(*) FROM v_unit_scores WHERE year = 2026 AND cluster ILIKE '%số 3%'"
        ).fetchone()
        assert units > 0
    finally:
        con.close()


HOLDER = """
import sys, time
from pathlib import Path
from etl import db
from etl.year import accounts
seconds, marker = float(sys.argv[1]), Path(sys.argv[2])
with db.writing() as con:
    con.execute("BEGIN TRANSACTION")
    accounts.audit(con, "holder", "test", "chưa ghi xong")
    marker.write_text("held")
    time.sleep(seconds)
    con.execute("COMMIT")
"""


def hold_writer(env: dict[str, str], seconds: float, marker: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(seconds), str(marker)],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, "the holder died"
        assert time.monotonic() < deadline, "the holder never took the writer"
        time.sleep(0.05)
    return proc


def audit_actors() -> list[str]:
    con = db.read_only()
    try:
        return [
            r[0] for r in con.execute("SELECT actor FROM audit_log ORDER BY audit_id").fetchall()
        ]
    finally:
        con.close()


def test_a_writer_mid_transaction_blocks_no_reader_and_the_next_writer_waits(lake, tmp_path):
    db.connect()  # the catalog exists before the holder starts
    holder = hold_writer(lake, 8, tmp_path / "held")
    try:
        start = time.monotonic()
        assert "holder" not in audit_actors()  # nothing half-written shows
        assert time.monotonic() - start < 5  # and the reader did not wait for the writer
        user = thidua(lake, "user", "add", "canbo", "--role", "uploader")
        code, _, err = finish_with_input(user, "mat-khau-rat-dai-2026\n")
        assert code == 0, err
        assert holder.poll() is not None  # it waited for the holder's turn
    finally:
        holder.wait(timeout=120)
    actors = audit_actors()
    assert actors.index("holder") < len(actors) - 1  # the holder's entry, then the user add


def finish_with_input(proc: subprocess.Popen, text: str) -> tuple[int, str, str]:
    out, err = proc.communicate(text, timeout=300)
    return proc.returncode, out, err


def test_a_writer_killed_while_holding_the_lock_frees_it(lake, tmp_path):
    db.connect()
    holder = hold_writer(lake, 600, tmp_path / "held")
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    start = time.monotonic()
    with db.writing(timeout=10) as con:
        from etl.year import accounts

        accounts.audit(con, "after", "test")
    assert time.monotonic() - start < 10
    actors = audit_actors()
    assert "holder" not in actors and actors[-1] == "after"
