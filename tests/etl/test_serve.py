"""`thidua serve` alongside everybody else: while it serves, every command of interface.md works
from another shell, a notebook reads the current views, and SIGTERM stops the whole server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from etl import db
from tests.browser.harness import free_port
from tests.conftest import copy_demo
from tests.etl.builders import Book, Title

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mat-khau-rat-dai-2026\n"


def thidua(db_file: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=ROOT,
        env={**os.environ, "THIDUA_DB": str(db_file)},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
    )


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def serve(db_file: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "etl", "serve", "--port", str(port), "--db", str(db_file)],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")},
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    out.close()
    deadline = time.monotonic() + 90
    while True:
        assert proc.poll() is None, log.read_text(errors="replace")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return proc
        except OSError:
            pass
        assert time.monotonic() < deadline, log.read_text(errors="replace")
        time.sleep(0.2)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, demo_folder: Path):
    tmp = tmp_path_factory.mktemp("serve")
    db_file = copy_demo(demo_folder, tmp / "data")
    port = free_port()
    proc = serve(db_file, port, tmp / "serve.log")
    yield db_file, port, proc, tmp
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=30)


def scoring(path: Path, db_file: Path) -> tuple[Path, str]:
    """A new scoring sheet of a member unit of the demo data (2026)."""
    con = db.read_only(db_file)
    cluster, unit = con.execute(
        "SELECT cluster, min(unit) FROM v_cluster_members WHERE year = 2026 "
        "GROUP BY cluster ORDER BY cluster LIMIT 1"
    ).fetchone()
    con.close()
    book = Book()
    book.kind_a(
        [("I", "Công tác chuyên môn", "60", "55", "54"), ("II", "Xây dựng Đảng", "40", "38", "37")],
        title=Title(unit=unit, cluster=cluster),
        total=(None, "Tổng cộng", "100", None, None),
    )
    return book.save(path), unit


def test_every_command_works_while_the_dashboard_serves(served):
    db_file, _port, proc, tmp = served
    book, unit = scoring(tmp / "dang_phuc_vu.xlsx", db_file)
    steps = [
        (("user", "add", "quantri", "--role", "admin"), PASSWORD),
        (("user", "passwd", "quantri"), PASSWORD),
        (("validate", "--db", str(db_file), str(book)), ""),
        (("load", str(book)), ""),
        (("history",), ""),
        (("export", "table", "v_unit_scores", "-o", str(tmp / "bang.xlsx")), ""),
        (("export", "pack", "--year", "2026", "-o", str(tmp / "hop.pptx")), ""),
        (("template", "A", "-o", str(tmp / "mau.xlsx")), ""),
        (("user", "add", "tam", "--role", "viewer"), PASSWORD),
        (("user", "remove", "tam"), ""),
    ]
    for args, stdin in steps:
        result = thidua(db_file, *args, stdin=stdin)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert proc.poll() is None  # the server is still up
    loaded = db.read_only(db_file)  # what an analyst's notebook does
    row = loaded.execute(
        "SELECT import_id FROM v_imports WHERE file_name = 'dang_phuc_vu.xlsx'"
    ).fetchone()
    loaded.close()
    assert row is not None
    for verb in ("retract", "restore"):
        result = thidua(db_file, verb, str(row[0]))
        assert result.returncode == 0, result.stderr
    notebook = db.read_only(db_file)
    current = notebook.execute(
        "SELECT s.total_score FROM v_unit_scores s JOIN v_imports i USING (import_id) "
        "WHERE s.unit = ? AND s.year = 2026 AND i.file_name = 'dang_phuc_vu.xlsx'",
        [unit],
    ).fetchall()
    notebook.close()
    assert current == [(91.0,)]


def test_a_second_server_serves_the_same_data(served):
    db_file, _port, _proc, tmp = served
    port = free_port()
    second = serve(db_file, port, tmp / "second.log")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as resp:
            assert resp.status == 200
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)


def test_sigterm_stops_the_whole_server(served):
    db_file, port, proc, _tmp = served
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) is not None
    deadline = time.monotonic() + 10
    while port_open(port):
        assert time.monotonic() < deadline, "something still listens on the port"
        time.sleep(0.2)
    # Nothing holds the data: a writer goes straight through.
    result = thidua(db_file, "user", "add", "sau_khi_dung", "--role", "viewer", stdin=PASSWORD)
    assert result.returncode == 0, result.stderr
