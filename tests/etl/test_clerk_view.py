"""What the clerk sees decides (workbooks.md §1): hidden columns, rows and sheets.

Each workbook is built the way issue #8 describes the file that went wrong: a Cụm 4 summary whose
hidden column C "Điểm tự chấm (lần 1)" (an earlier round, kept by the office) sits before the
visible D "Điểm tự chấm"; the ranking page showed 90 / 88 / 80 / 79 instead of 84,5 / 86,5 /
77,75 / 77.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl.workbook.protection import WorkbookProtection

from etl.load import load_file, validate_file
from tests.etl.builders import Book, Title, rows

UNITS = (
    "Phòng Tổ chức - Cán bộ, Công an tỉnh",
    "Ban Tổ chức Đảng ủy Công an tỉnh",
    "Phòng Chính trị Bộ Chỉ huy Quân sự tỉnh",
    "Văn phòng Ban Tổ chức Tỉnh ủy",
)
EARLIER = ("90", "88", "80", "79")  # "Điểm tự chấm (lần 1)", hidden
SHOWN = ("84,5", "86,5", "77,75", "77")  # "Điểm tự chấm", visible
SHOWN_VALUES = [84.5, 86.5, 77.75, 77.0]
RANKS = (2, 1, 3, 4)  # the ranks the visible scores earn


def summary(
    tmp_path: Path, earlier_header: str = "Điểm tự chấm (lần 1)", *, hide: str = "C", **kw
) -> tuple[Path, Book]:
    """STT | Tên đơn vị | <earlier> | Điểm tự chấm | Xếp hạng | Ghi chú, table from column A."""
    book = Book()
    book.kind_b(
        [
            (i + 1, u, e, s, r, None)
            for i, (u, e, s, r) in enumerate(zip(UNITS, EARLIER, SHOWN, RANKS, strict=True))
        ],
        columns=("Tên đơn vị", earlier_header, "Điểm tự chấm", "Xếp hạng", "Ghi chú"),
        start_col=1,
        **kw,
    )
    ws = book.wb.active
    if hide:
        ws.column_dimensions[hide].hidden = True
    return book.save(tmp_path / "tong_hop_cum4.xlsx"), book


def totals(con) -> list[float]:
    by_unit = {
        r["unit"]: r["total_score"]
        for r in rows(con, "SELECT unit, total_score FROM v_unit_scores")
    }
    return [by_unit[u] for u in UNITS]


@pytest.mark.parametrize("earlier_header", ["Điểm tự chấm (lần 1)", "Điểm tự chấm"])
def test_hidden_earlier_column_is_not_read_in_place_of_the_visible_one(
    con, tmp_path, earlier_header
):
    path, _ = summary(tmp_path, earlier_header)
    report = load_file(con, path)
    assert report.status == "loaded", [i.human() for i in report.errors]
    assert totals(con) == SHOWN_VALUES
    # The file's ranks agree with the visible scores, so no rank is questioned.
    assert not [w for w in report.warnings if "xếp hạng" in w.message]
    file_ranks = rows(con, "SELECT unit, file_rank, rank FROM v_unit_scores")
    assert all(r["file_rank"] == r["rank"] for r in file_ranks)


def test_hidden_column_as_libreoffice_saves_it(con, tmp_path):
    """LibreOffice writes hidden="true" on a hidden column and hidden="false" on every row."""
    path, _ = summary(tmp_path)
    with zipfile.ZipFile(path) as zf:
        entries = [(i.filename, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b'hidden="1"', b'hidden="true"')
                data = re.sub(rb"<row ((?:(?!hidden=)[^>])*)>", rb'<row \1 hidden="false">', data)
                assert b'hidden="false"' in data and b'hidden="true"' in data
            zf.writestr(name, data)
    report = load_file(con, path)
    assert report.status == "loaded", [i.human() for i in report.errors]
    assert totals(con) == SHOWN_VALUES


def test_the_same_columns_all_visible_still_take_the_first(con, tmp_path):
    # Nothing hidden: two visible columns of one role keep the earlier rule (the first one).
    path, _ = summary(tmp_path, hide="")
    assert load_file(con, path).status == "loaded"
    assert totals(con) == [90.0, 88.0, 80.0, 79.0]


def test_a_role_only_a_hidden_column_carries_is_read_with_a_warning(con, tmp_path):
    path, book = summary(tmp_path, "Ghi chú cũ", hide="D")  # D "Điểm tự chấm" is the only score
    header = next(r for r in range(1, 20) if book.wb.active.cell(r, 4).value == "Điểm tự chấm")
    report = load_file(con, path)
    assert report.status == "loaded", [i.human() for i in report.errors]
    assert totals(con) == SHOWN_VALUES
    (warning,) = [w for w in report.warnings if "ẩn" in w.message]
    assert warning.cell == f"D{header}" and "Điểm tự chấm" in warning.message
    assert "vẫn được đọc" in warning.message


def test_rows_hidden_by_hand_or_by_a_filter_are_data_with_one_warning(con, tmp_path):
    path, book = summary(tmp_path, hide="C")
    ws = book.wb.active
    header = next(r for r in range(1, 20) if ws.cell(r, 2).value == "Tên đơn vị")
    ws.row_dimensions[header + 2].hidden = True  # by hand
    ws.auto_filter.ref = f"A{header}:F{header + 4}"
    ws.auto_filter.add_filter_column(3, ["84,5", "86,5", "77"])  # a filter hides 77,75
    ws.row_dimensions[header + 3].hidden = True
    book.save(path)
    report = load_file(con, path)
    assert report.status == "loaded", [i.human() for i in report.errors]
    assert totals(con) == SHOWN_VALUES  # hiding is not deleting
    hidden = [w for w in report.warnings if "dòng" in w.message and "ẩn" in w.message]
    assert len(hidden) == 1
    assert f"{header + 2}, {header + 3}" in hidden[0].message


def test_a_hidden_sheet_with_an_old_copy_is_skipped_with_a_reason(con, tmp_path):
    path, book = summary(tmp_path)
    old = book.wb.copy_worksheet(book.wb.active)
    old.title = "Tổng hợp (bản cũ)"
    for r in range(1, old.max_row + 1):
        if old.cell(r, 4).value in SHOWN:
            old.cell(r, 4).value = "50"
    old.sheet_state = "hidden"
    very = book.wb.copy_worksheet(book.wb.active)
    very.title = "Ẩn hẳn"
    very.sheet_state = "veryHidden"
    book.save(path)
    report = load_file(con, path)
    assert report.status == "loaded", [i.human() for i in report.errors]
    assert totals(con) == SHOWN_VALUES
    reasons = {s.name: s.skipped_reason for s in report.sheets}
    assert "ẩn" in reasons["Tổng hợp (bản cũ)"] and "bỏ ẩn" in reasons["Tổng hợp (bản cũ)"]
    assert "ẩn hẳn" in reasons["Ẩn hẳn"]
    assert not [i for i in report.file_issues if "hai chỗ" in i.message]


def test_sheet_protection_changes_nothing(con, tmp_path):
    path, book = summary(tmp_path)
    book.wb.active.protection.sheet = True
    book.wb.active.protection.password = "123"
    # Protecting the workbook's structure is not encrypting it either.
    book.wb.security = WorkbookProtection(workbookPassword="123", lockStructure=True)
    book.save(path)
    report = validate_file(path)
    assert report.status == "valid", [i.human() for i in report.errors]
    assert load_file(con, path).status == "loaded"
    assert totals(con) == SHOWN_VALUES


def test_hidden_earlier_column_in_a_scoring_sheet(con, tmp_path):
    # Kind A: a hidden "Cụm chấm (lần 1)" before the visible "Cụm chấm" under the ĐIỂM group.
    book = Book()
    t = book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", "55", "58", "54,5"),
            ("II", "Công tác xây dựng Đảng", "40", "36", "39", "35,25"),
        ],
        scores=("Tự chấm", "Cụm chấm (lần 1)", "Cụm chấm"),
        note=False,
        title=Title(),
    )
    book.wb.active.column_dimensions[t.columns["Cụm chấm (lần 1)"]].hidden = True
    path = book.save(tmp_path / "a.xlsx")
    report = load_file(con, path)
    assert report.status == "loaded", [i.human() for i in report.errors]
    (u,) = rows(con, "SELECT assessed_score, self_score FROM v_unit_scores")
    assert u["assessed_score"] == pytest.approx(89.75)  # 54,5 + 35,25, not 58 + 39
    assert u["self_score"] == pytest.approx(91.0)


def test_a_file_whose_only_table_is_in_a_hidden_sheet_says_so(con, tmp_path):
    path, book = summary(tmp_path)
    book.wb.create_sheet("Ghi chú").cell(1, 1, "Bảng số liệu ở sheet Tổng hợp")
    book.wb.active.sheet_state = "hidden"
    book.wb.active = 1
    book.save(path)
    report = load_file(con, path)
    assert report.status == "refused"
    (error,) = report.errors
    assert "sheet ẩn" in error.message and "Bỏ ẩn" in error.message


def test_an_old_title_in_a_hidden_row_does_not_change_the_year(con, tmp_path):
    book = Book()
    book.kind_a(
        [("I", "Công tác chuyên môn", "100", "90", "88,5")],
        note=False,
        title=Title(
            title="BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2025",  # last year's, kept and hidden
            extra=["BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2026"],
        ),
    )
    ws = book.wb.active
    old = next(r for r in range(1, 20) if ws.cell(r, 2).value == "BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2025")
    ws.row_dimensions[old].hidden = True
    report = load_file(con, book.save(tmp_path / "a.xlsx"))
    assert report.status == "loaded", [i.human() for i in report.errors]
    (u,) = rows(con, "SELECT year, assessed_score FROM v_unit_scores")
    assert u == {"year": 2026, "assessed_score": 88.5}
    # The hidden line is above the table: no warning about hidden table rows.
    assert not [w for w in report.warnings if "dòng" in w.message and "ẩn" in w.message]
