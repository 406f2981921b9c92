"""Issue 15, finding 8: a copy of the data folder taken while a load runs still rebuilds; a
notebook reader never waits for a writer's commit; an XXE workbook is refused in Vietnamese."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
import zipfile
from pathlib import Path

from etl import cli, db
from tests.etl.builders import Book, Title
from tests.etl.test_file_cost import many_sheets


def scoring(folder: Path, name: str, unit: str, score: str) -> Path:
    book = Book()
    book.kind_a([("1", "Tiêu chí", "10", score, score)], title=Title(unit=unit))
    return book.save(folder / name)


def test_a_copy_taken_during_a_load_rebuilds_everything_else(db_file, tmp_path, capsys):
    """rsync -a data/ copies originals/ first and the database after: a load committed in
    between is in the database copy without its original; rebuild says so and does not refuse."""
    for i, unit in enumerate(("Sở Tài chính", "Sở Xây dựng")):
        assert (
            cli.main(["load", "--db", str(db_file), str(scoring(tmp_path, f"{i}.xlsx", unit, "8"))])
            == 0
        )
    backup = tmp_path / "sao_luu"
    shutil.copytree(db_file.parent / "originals", backup / "originals")  # rsync: originals/ first
    late = scoring(tmp_path, "dang_nap.xlsx", "Sở Y tế", "7")
    assert cli.main(["load", "--db", str(db_file), str(late)]) == 0  # the load in flight
    shutil.copyfile(db.read_path(db_file).resolve(), backup / db_file.name)  # then the database
    capsys.readouterr()
    target = backup / db_file.name
    code = cli.main(["rebuild", "--db", str(target)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "dang_nap.xlsx" in out and "Dựng lại được 2/2 lần nạp." in out
    con = db.read_only(target)
    units = {r[0] for r in con.execute("SELECT unit FROM v_unit_scores").fetchall()}
    con.close()
    assert units == {"Sở Tài chính", "Sở Xây dựng"}
    assert cli.main(["load", "--db", str(target), str(late)]) == 0  # loading it again mends it


def test_a_reader_does_not_wait_for_a_commit(db_file, tmp_path):
    assert (
        cli.main(["load", "--db", str(db_file), str(scoring(tmp_path, "a.xlsx", "Sở Y tế", "8"))])
        == 0
    )
    db.close_all()
    before = db.read_path(db_file).resolve()
    fd = os.open(db.lock_path(db_file), os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a writer is committing a big load...
    try:
        os.utime(db_file)  # ...and the main file has moved on from the snapshot
        started = time.monotonic()
        con = db.read_only(db_file)
        took = time.monotonic() - started
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    assert took < 0.5  # it waited for the writer lock (seconds for a 200k-row commit)
    assert con.execute("SELECT count(*) FROM v_unit_scores").fetchone() == (1,)
    con.close()
    assert db.read_path(db_file).resolve() == before


def test_an_xxe_workbook_is_refused_in_vietnamese(tmp_path, capsys):
    plain = many_sheets(tmp_path / "goc.xlsx", 1)
    evil = tmp_path / "xxe.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(evil, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b'<?xml version="1.0"?>',
                    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
                ).replace(b"<v>1</v>", b"<v>&e;</v>")
            dst.writestr(info, data)
    assert cli.main(["validate", "--json", str(evil)]) == 1
    report = json.loads(capsys.readouterr().out)
    message = " ".join(e["message"] for s in report["sheets"] for e in s["errors"])
    message += " ".join(s.get("skipped_reason") or "" for s in report["sheets"])
    assert "DOCTYPE" in message and "Excel" in message
    assert "Calamine" not in json.dumps(report) and "Error" not in message
