"""The work one file may cost is bounded, and reading a file holds up nobody (issue 15, finding 7):
a workbook of 20,000 tiny sheets is refused at once with a Vietnamese message naming it; a slow
file is read outside the writer lock, so other loads and sign-ins go on meanwhile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from etl import cli, db
from tests.etl.builders import Book, Title

ROOT = Path(__file__).resolve().parents[2]


def many_sheets(path: Path, count: int) -> Path:
    """A valid .xlsx of ``count`` sheets, each holding one number (as a generator makes them)."""
    sheets = "".join(
        f'<sheet name="S{i}" sheetId="{i}" r:id="rId{i}"/>' for i in range(1, count + 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, count + 1)
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/>' + overrides + "</Types>",
        )
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook {ns} {rns}><sheets>{sheets}</sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships">{rels}</Relationships>',
        )
        for i in range(1, count + 1):
            zf.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<?xml version="1.0"?><worksheet {ns}><sheetData><row r="1"><c r="A1"><v>{i}</v>'
                "</c></row></sheetData></worksheet>",
            )
    return path


def test_a_workbook_of_20000_sheets_is_refused_at_once(db_file, tmp_path, capsys):
    big = many_sheets(tmp_path / "hai_muoi_nghin_sheet.xlsx", 20_000)
    started = time.monotonic()
    code = cli.main(["load", "--json", "--db", str(db_file), str(big)])
    took = time.monotonic() - started
    report = json.loads(capsys.readouterr().out)
    assert code == 1 and report["status"] == "refused"
    assert report["file"] == "hai_muoi_nghin_sheet.xlsx"
    message = " ".join(e["message"] for s in report["sheets"] for e in s["errors"])
    assert "20.000 sheet" in message and "THIDUA_MAX_SHEETS" in message
    assert took < 10  # (the whole file read took over 9 minutes)
    assert not db.main_path(db_file).with_name("originals").exists()  # nothing kept


def test_a_file_over_the_cells_of_a_file_is_refused(db_file, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("THIDUA_MAX_CELLS", "2000")
    book = Book()
    for unit in ("Sở Tài chính", "Sở Xây dựng", "Sở Y tế"):
        book.kind_a(
            [(str(i), f"Tiêu chí {i}", "1", "1", "1") for i in range(1, 120)],
            title=Title(unit=unit),
            name=unit,
        )
    path = book.save(tmp_path / "ba_don_vi.xlsx")
    assert cli.main(["validate", "--json", str(path)]) == 1
    report = json.loads(capsys.readouterr().out)
    message = " ".join(e["message"] for s in report["sheets"] for e in s["errors"])
    assert "'ba_don_vi.xlsx'" in message and "THIDUA_MAX_CELLS" in message


def _run(*args: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "etl", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_slow_file_is_read_outside_the_writer_lock(db_file, tmp_path):
    """While a 2,000-sheet file (allowed here) is read, another load commits and a reader sees
    it: the slow file takes the writer lock only for its own short write."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    env.update(THIDUA_MAX_SHEETS="5000", THIDUA_WRITE_WAIT_SECONDS="3", PYTHONPATH=str(ROOT))
    book = Book()
    book.kind_a([("1", "Tiêu chí", "10", "9", "9")], title=Title())
    small = book.save(tmp_path / "nho.xlsx")
    assert cli.main(["load", "--db", str(db_file), str(small)]) == 0  # the database exists
    db.close_all()
    slow = _run(
        "load", "--db", str(db_file), str(many_sheets(tmp_path / "cham.xlsx", 2000)), env=env
    )
    time.sleep(2)  # the slow file is being read
    book = Book()
    book.kind_a([("1", "Tiêu chí", "10", "8", "8")], title=Title(unit="Sở Y tế"))
    other = book.save(tmp_path / "khac.xlsx")
    started = time.monotonic()
    quick = _run("load", "--db", str(db_file), str(other), env=env)
    out, err = quick.communicate(timeout=120)
    assert quick.returncode == 0, out + err
    assert slow.poll() is None, "the slow file should still be being read"
    assert time.monotonic() - started < 30
    # What the slow load then does is not this test's concern: it is stopped rather than waited
    # for (reading the rest of its 2,000 sheets took half a minute of processor).
    slow.kill()
    slow.communicate(timeout=60)
