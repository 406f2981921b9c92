"""Reporting periods and submissions (workbooks.md §8; v_submissions in interface.md)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from etl import actions, db, settings
from etl.load import LoadOptions, load_file, retract
from etl.load.rebuild import rebuild
from etl.read.layout import parse_doc_date
from etl.year import accounts
from tests.etl.builders import CLUSTER, Book, Title, rows

U1 = "Ban Tổ chức Đảng ủy Công an tỉnh"
U2 = "Phòng Chính trị, Bộ Chỉ huy Quân sự tỉnh"
U3 = "Ban Xây dựng Đảng Đảng ủy các cơ quan Đảng tỉnh"


def members(tmp_path: Path) -> Path:
    book = Book()
    book.kind_e(
        [
            (1, U1, CLUSTER, "Cụm trưởng", "CA"),
            (2, U2, CLUSTER, "Thành viên", "QS"),
            (3, U3, CLUSTER, "Thành viên", "CQĐ"),
        ]
    )
    return book.save(tmp_path / "ds.xlsx")


def scoring(tmp_path: Path, unit: str, date_line: str | None, name: str, **kw) -> Path:
    book = Book()
    book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", "55", "54"),
            ("II", "Công tác xây dựng Đảng", "40", "35,5", "35"),
        ],
        title=Title(unit=unit, date_line=date_line, **kw),
    )
    return book.save(tmp_path / name)


def targets(tmp_path: Path, unit: str, date_line: str, extra: str, name: str) -> Path:
    book = Book()
    book.kind_c(
        [(1, "Tỷ lệ đảng viên được học tập nghị quyết", "%", "100", "98", "98")],
        title=Title(unit=unit, date_line=date_line, extra=(extra,)),
    )
    return book.save(tmp_path / name)


def load(con, path: Path, **opts) -> int:
    report = load_file(con, path, LoadOptions(user="test", **opts))
    assert report.status == "loaded", report.as_dict()
    return report.import_id


def status(con, day: date, period: str = "year") -> dict[str, tuple]:
    got = rows(
        con,
        "SELECT unit, status, days_late, submitted_on, due_date FROM submissions_as_of(?) "
        "WHERE year = 2026 AND period = ?",
        [day, period],
    )
    return {r["unit"]: (r["status"], r["days_late"], r["submitted_on"], r["due_date"]) for r in got}


@pytest.fixture
def cluster(con, tmp_path):
    load(con, members(tmp_path))
    load(con, scoring(tmp_path, U1, "Lâm Đồng, ngày 18 tháng 12 năm 2026", "u1.xlsx"))
    load(con, scoring(tmp_path, U2, "Đà Lạt, ngày 23/12/2026", "u2.xlsx"))
    return con


def test_date_line_forms():
    assert parse_doc_date("Lâm Đồng, ngày 18 tháng 6 năm 2026") == date(2026, 6, 18)
    assert parse_doc_date("Đà Lạt, ngày 8/6/2026") == date(2026, 6, 8)
    assert parse_doc_date("Bảo Lộc, ngày  05 tháng 01 năm 2027") == date(2027, 1, 5)
    assert parse_doc_date("Lâm Đồng, ngày 31 tháng 2 năm 2026") is None
    # A citation of another document is not this document's date.
    assert parse_doc_date("Căn cứ Quyết định số 959/QĐ-UBND ngày 04/6/2024 của UBND tỉnh") is None


def test_every_status_from_the_document_dates(cluster):
    late = status(cluster, date(2026, 12, 28))
    assert late[U1] == ("đúng hạn", 0, date(2026, 12, 18), date(2026, 12, 20))
    assert late[U2] == ("trễ hạn", 3, date(2026, 12, 23), date(2026, 12, 20))
    assert late[U3] == ("chưa nộp", 8, None, date(2026, 12, 20))
    early = status(cluster, date(2026, 12, 19))
    assert early[U3][0] == "chưa đến hạn"
    assert early[U1][:3] == ("đúng hạn", 0, date(2026, 12, 18))
    # As of a day before a document's date, that document had not been sent yet.
    assert early[U2][:3] == ("chưa đến hạn", 0, None)


def test_half_year_and_quarters_from_target_files(cluster, tmp_path):
    load(
        cluster,
        targets(
            tmp_path,
            U1,
            "Lâm Đồng, ngày 19 tháng 6 năm 2026",
            "Sơ kết 6 tháng đầu năm 2026",
            "c.xlsx",
        ),
    )
    h1 = status(cluster, date(2026, 7, 1), "H1")
    assert h1[U1][:2] == ("đúng hạn", 0)
    assert h1[U2][:2] == ("chưa nộp", 11)
    # No quarter is due until the cluster reports quarterly...
    assert status(cluster, date(2026, 12, 28), "Q3") == {}
    load(
        cluster,
        targets(tmp_path, U2, "Lâm Đồng, ngày 25 tháng 9 năm 2026", "Quý III năm 2026", "q.xlsx"),
    )
    q3 = status(cluster, date(2026, 12, 28), "Q3")
    assert status(cluster, date(2026, 12, 28), "Q1")[U2][0] == "chưa nộp"
    assert q3[U2] == ("trễ hạn", 5, date(2026, 9, 25), date(2026, 9, 20))
    assert q3[U3][0] == "chưa nộp"


def test_summary_row_reports_the_year_only(con, tmp_path):
    load(con, members(tmp_path))
    book = Book()
    book.kind_b(
        [(1, U1, "95", "94", None, None, "94", 1, "Hoàn thành xuất sắc nhiệm vụ", None)],
        title=Title(
            title="BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM {year}",
            unit=None,
            date_line="Lâm Đồng, ngày 22 tháng 12 năm 2026",
        ),
    )
    load(con, book.save(tmp_path / "b.xlsx"))
    assert status(con, date(2026, 12, 31))[U1][:2] == ("trễ hạn", 2)
    assert status(con, date(2026, 12, 31), "H1")[U1][0] == "chưa nộp"


def test_without_a_date_line_the_load_day_counts(con, tmp_path):
    load(con, members(tmp_path))
    load(con, scoring(tmp_path, U1, None, "nodate.xlsx", body=None))
    got = status(con, date.today(), "year")
    assert got[U1][2] == date.today()


def test_thidua_today_is_honoured(db_file, tmp_path, monkeypatch):
    monkeypatch.setenv("THIDUA_TODAY", "2026-12-21")
    con = db.connect(db_file)
    load(con, members(tmp_path))
    got = {r["unit"]: r for r in rows(con, "SELECT * FROM v_submissions WHERE period = 'year'")}
    assert got[U1]["status"] == "chưa nộp" and got[U1]["days_late"] == 1
    assert settings.today() == date(2026, 12, 21)
    db.close_all()
    # Another process's environment changes no figure (issue 15): the day is data, set by an
    # administrator.
    monkeypatch.setenv("THIDUA_TODAY", "2026-12-19")
    con = db.connect(db_file)
    got = {r["unit"]: r for r in rows(con, "SELECT * FROM v_submissions WHERE period = 'year'")}
    assert got[U1]["status"] == "chưa nộp"
    accounts.add_user(con, "quantri", "admin", "mat-khau-rat-dai-2026")
    actions.set_setting(con, "quantri", "today", "2026-12-19")
    got = {r["unit"]: r for r in rows(con, "SELECT * FROM v_submissions WHERE period = 'year'")}
    assert got[U1]["status"] == "chưa đến hạn"


def test_bad_thidua_today_is_explained(monkeypatch):
    monkeypatch.setenv("THIDUA_TODAY", "21/12/2026")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        settings.today()


def test_earliest_document_counts_and_retracted_loads_do_not(cluster, tmp_path):
    # U2 sends a corrected sheet later: still the first date counts.
    load(cluster, scoring(tmp_path, U2, "Đà Lạt, ngày 27/12/2026", "u2b.xlsx"))
    assert status(cluster, date(2026, 12, 31))[U2][:2] == ("trễ hạn", 3)
    # U1's on-time file is withdrawn: U1 has not reported.
    first = cluster.execute("SELECT import_id FROM imports WHERE file_name = 'u1.xlsx'").fetchone()[
        0
    ]
    retract(cluster, first, "test")
    assert status(cluster, date(2026, 12, 31))[U1][0] == "chưa nộp"


def test_admin_sets_a_due_date_audited_and_kept_by_rebuild(cluster, db_file):
    accounts.add_user(cluster, "quantri", "admin", "mat-khau-dai-1")
    accounts.add_user(cluster, "nhanvien", "uploader", "mat-khau-dai-2")
    with pytest.raises(PermissionError):
        actions.set_due_date(cluster, "nhanvien", 2026, CLUSTER, "year", date(2026, 12, 25))
    actions.set_due_date(cluster, "quantri", 2026, CLUSTER, "year", date(2026, 12, 25))
    assert status(cluster, date(2026, 12, 28))[U2][:2] == ("đúng hạn", 0)
    audit = rows(cluster, "SELECT actor, action, detail FROM audit_log WHERE action LIKE 'due%'")
    assert audit[0]["actor"] == "quantri" and "2026-12-25" in audit[0]["detail"]
    rebuild(db_file)
    con = db.connect(db_file)
    assert status(con, date(2026, 12, 28))[U2][:2] == ("đúng hạn", 0)
    actions.clear_due_date(con, "quantri", 2026, CLUSTER, "year")
    assert status(con, date(2026, 12, 28))[U2][:2] == ("trễ hạn", 3)


def test_without_membership_the_units_seen_are_listed(con, tmp_path):
    load(con, scoring(tmp_path, U1, "Lâm Đồng, ngày 18 tháng 12 năm 2026", "u1.xlsx"))
    got = rows(con, "SELECT cluster, unit, status FROM submissions_as_of(DATE '2026-12-28')")
    assert {(r["cluster"], r["unit"], r["status"]) for r in got} == {
        (CLUSTER, U1, "đúng hạn"),
        (CLUSTER, U1, "chưa nộp"),  # its H1 report
    }


def test_a_date_line_above_the_signatures_counts_when_the_title_has_none(con, tmp_path):
    load(con, members(tmp_path))
    book = Book()
    table = book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", "55", "54"),
            ("II", "Công tác xây dựng Đảng", "40", "35,5", "35"),
        ],
        title=Title(unit=U1, body=None),
    )
    ws = book.wb[table.sheet]
    # Between the table and "Người lập biểu | THỦ TRƯỞNG ĐƠN VỊ", as many offices place it.
    ws.cell(row=table.rows[-1] + 1, column=5, value="Đà Lạt, ngày 22 tháng 12 năm 2026")
    load(con, book.save(tmp_path / "footer.xlsx"))
    assert status(con, date(2026, 12, 28))[U1][:3] == ("trễ hạn", 2, date(2026, 12, 22))
    cell = rows(con, "SELECT source_cell FROM submissions")[0]["source_cell"]
    assert cell == f"E{table.rows[-1] + 1}"
