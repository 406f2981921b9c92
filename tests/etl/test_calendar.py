"""The campaign calendar (kind H, and entries an administrator types)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from etl import actions as etl_actions
from etl.load import LoadOptions, load_file
from etl.year import accounts
from tests.etl.builders import STT, Book, Title, rows

HEADERS = [STT, "Đợt thi đua", "Chủ đề", "Từ ngày", "Đến ngày", "Ghi chú"]


def calendar_book(tmp_path, items, name="lich.xlsx"):
    book = Book()
    table = book.table(
        "Lịch thi đua",
        HEADERS,
        items,
        title=Title(title="LỊCH THI ĐUA NĂM {year}", unit=None, cluster=None),
    )
    return book.save(tmp_path / name), table


def test_phases_with_dates_typed_every_way(con, tmp_path):
    path, _ = calendar_book(
        tmp_path,
        [
            (1, "Quý I", "Mừng Đảng, mừng xuân", date(2026, 1, 1), datetime(2026, 3, 31), None),
            (2, "Quý II", "Chào mừng ngày giải phóng", "01/04/2026", "30/6/2026", None),
            (3, "Quý III", None, "ngày 1 tháng 7 năm 2026", "30-09-2026", "Sơ kết"),
        ],
    )
    report = load_file(con, path, LoadOptions(user="t"))
    assert report.status == "loaded" and report.sheets[0].kind == "H"
    got = rows(con, "SELECT phase, theme, start_date, end_date FROM v_calendar")
    assert [(r["phase"], r["start_date"], r["end_date"]) for r in got] == [
        ("Quý I", date(2026, 1, 1), date(2026, 3, 31)),
        ("Quý II", date(2026, 4, 1), date(2026, 6, 30)),
        ("Quý III", date(2026, 7, 1), date(2026, 9, 30)),
    ]
    assert got[0]["theme"] == "Mừng Đảng, mừng xuân"


def test_bad_dates_name_the_cell(con, tmp_path):
    path, table = calendar_book(
        tmp_path,
        [
            (1, "Quý I", "x", "01/01/2026", "31/3/2026", None),
            (2, "Quý II", "y", "đầu tháng 4", "30/6/2026", None),
            (3, "Quý III", "z", "30/9/2026", "01/07/2026", None),
        ],
    )
    report = load_file(con, path, LoadOptions(user="t"))
    assert report.status == "refused"
    errors = {(i.cell, i.message) for i in report.sheets[0].errors}
    assert any(cell == table.cell(1, "Từ ngày") and "đầu tháng 4" in msg for cell, msg in errors)
    assert any(
        cell == table.cell(2, "Đến ngày") and "trước ngày bắt đầu" in msg for cell, msg in errors
    )


def test_admin_entries_are_audited(con):
    accounts.add_user(con, "quantri", "admin", "mat-khau-dai-1")
    accounts.add_user(con, "xem", "viewer", "mat-khau-dai-2")
    with pytest.raises(PermissionError):
        etl_actions.add_calendar_entry(
            con, "xem", 2026, "Đợt 1", None, date(2026, 1, 1), date(2026, 2, 1)
        )
    with pytest.raises(ValueError, match="trước ngày bắt đầu"):
        etl_actions.add_calendar_entry(
            con, "quantri", 2026, "Đợt 1", None, date(2026, 2, 1), date(2026, 1, 1)
        )
    entry = etl_actions.add_calendar_entry(
        con,
        "quantri",
        2026,
        "Đợt cao điểm",
        "Chào mừng Đại hội",
        date(2026, 3, 1),
        date(2026, 5, 1),
    )
    got = rows(con, "SELECT phase, source FROM v_calendar")
    assert got == [{"phase": "Đợt cao điểm", "source": "Nhập tay bởi quantri"}]
    assert etl_actions.remove_calendar_entry(con, "quantri", entry)
    assert rows(con, "SELECT * FROM v_calendar") == []
    actions = [r["action"] for r in rows(con, "SELECT action FROM audit_log ORDER BY audit_id")]
    assert "calendar_add" in actions and "calendar_remove" in actions
