"""Merged cells inside the table (workbooks.md §1).

Issue #8, finding 2: the Cụm chấm score 9,5 merged across criteria a (max 6) and b (max 5) was
credited to a alone: the Đơn vị page showed a = 9,5 above its maximum, b = –, and no warning.
"""

from __future__ import annotations

import pytest

from etl.load import load_file
from tests.etl.builders import Book, Title, rows

CRITERIA = [
    ("I", "Công tác chuyên môn", "60", "55", "54"),
    ("II", "Công tác phối hợp trong Cụm", "11", None, None),
    ("a", "Tham gia đầy đủ hoạt động của Cụm thi đua", "6", "5,5", "9,5"),
    ("b", "Tổ chức giao lưu, trao đổi kinh nghiệm", "5", "4", None),
    ("III", "Công tác xây dựng Đảng", "29", "27", "26,5"),
]


def merged_book(tmp_path, assessed_a="9,5", rows_=None):
    data = [list(r) for r in (rows_ or CRITERIA)]
    data[2][4] = assessed_a
    book = Book()
    t = book.kind_a([tuple(r) for r in data], note=False, title=Title())
    ws = book.wb.active
    col = t.columns["Cụm chấm"]
    ws.merge_cells(f"{col}{t.rows[2]}:{col}{t.rows[3]}")
    return book.save(tmp_path / "cum4.xlsx"), t


def criteria(con) -> dict[str, dict]:
    return {
        r["code"]: r
        for r in rows(
            con,
            "SELECT code, max_points, assessed_score, assessed_computed FROM v_criterion_scores",
        )
    }


def test_a_score_merged_over_two_criteria_counts_once_for_both(con, tmp_path):
    path, t = merged_book(tmp_path)
    report = load_file(con, path)
    assert report.status == "loaded", [i.human() for i in report.errors]
    got = criteria(con)
    # Never credited to a alone: a and b have no score of their own, their parent has 9,5.
    assert got["a"]["assessed_score"] is None and got["b"]["assessed_score"] is None
    assert got["II"]["assessed_computed"] == pytest.approx(9.5)
    (u,) = rows(con, "SELECT assessed_score, self_score FROM v_unit_scores")
    assert u["assessed_score"] == pytest.approx(54 + 9.5 + 26.5)
    assert u["self_score"] == pytest.approx(55 + 5.5 + 4 + 27)
    where = f"{t.cell(2, 'Cụm chấm')}:{t.cell(3, 'Cụm chấm')}"
    (warning,) = [w for w in report.warnings if w.cell == where]
    assert "9,5" in warning.message and "a, b" in warning.message
    assert "vượt" not in warning.message


def test_a_merged_score_is_checked_against_the_joint_maximum(con, tmp_path):
    path, t = merged_book(tmp_path, assessed_a="12")
    report = load_file(con, path)
    assert report.status == "loaded"
    where = f"{t.cell(2, 'Cụm chấm')}:{t.cell(3, 'Cụm chấm')}"
    (warning,) = [w for w in report.warnings if w.cell == where]
    assert "vượt tổng điểm chuẩn 11" in warning.message


def test_a_merged_score_over_top_level_criteria_counts_once_in_the_total(con, tmp_path):
    data = [
        ("I", "Công tác chuyên môn", "60", "55", "88"),
        ("II", "Công tác xây dựng Đảng", "40", "36", None),
    ]
    book = Book()
    t = book.kind_a(data, note=False, title=Title())
    col = t.columns["Cụm chấm"]
    book.wb.active.merge_cells(f"{col}{t.rows[0]}:{col}{t.rows[1]}")
    report = load_file(con, book.save(tmp_path / "a.xlsx"))
    assert report.status == "loaded"
    (u,) = rows(con, "SELECT assessed_score FROM v_unit_scores")
    assert u["assessed_score"] == pytest.approx(88)
    got = criteria(con)
    assert got["I"]["assessed_score"] is None and got["II"]["assessed_score"] is None


def test_texts_merged_down_apply_to_each_row_and_scores_merged_over_units_are_refused(
    con, tmp_path
):
    book = Book()
    t = book.kind_b(
        [
            (1, "Ban Tổ chức Đảng ủy Công an tỉnh", "95", "94", 1, "Hoàn thành xuất sắc"),
            (2, "Văn phòng Ban Tổ chức Tỉnh ủy", "92", "90", 2, None),
            (3, "Phòng Chính trị Bộ Chỉ huy Quân sự tỉnh", "91", "90", None, None),
        ],
        columns=("Tên đơn vị", "Điểm tự chấm", "Điểm cụm chấm", "Xếp hạng", "Xếp loại"),
    )
    ws = book.wb.active
    # Tied units share a merged rank; one classification is merged over the first two rows.
    ws.merge_cells(f"{t.cell(1, 'Xếp hạng')}:{t.cell(2, 'Xếp hạng')}")
    ws.merge_cells(f"{t.cell(0, 'Xếp loại')}:{t.cell(1, 'Xếp loại')}")
    path = book.save(tmp_path / "b.xlsx")
    report = load_file(con, path)
    assert report.status == "loaded", [i.human() for i in report.errors]
    got = {
        r["unit"]: r
        for r in rows(con, "SELECT unit, file_rank, file_classification FROM v_unit_scores")
    }
    assert got["Phòng Chính trị Bộ Chỉ huy Quân sự tỉnh"]["file_rank"] == 2
    assert got["Văn phòng Ban Tổ chức Tỉnh ủy"]["file_classification"] == "Hoàn thành xuất sắc"
    assert not [w for w in report.warnings if "xếp hạng" in w.message]

    ws.merge_cells(f"{t.cell(1, 'Điểm cụm chấm')}:{t.cell(2, 'Điểm cụm chấm')}")
    book.save(path)
    refused = load_file(con, path)
    where = f"{t.cell(1, 'Điểm cụm chấm')}:{t.cell(2, 'Điểm cụm chấm')}"
    assert refused.status == "refused"
    assert [e.cell for e in refused.errors] == [where]


def test_a_cluster_merged_down_a_membership_list_applies_to_each_member(con, tmp_path):
    book = Book()
    t = book.kind_e(
        [
            (1, "Ban Tổ chức Đảng ủy Công an tỉnh", "Cụm thi đua số 4", "Cụm trưởng", None),
            (2, "Văn phòng Ban Tổ chức Tỉnh ủy", None, "Thành viên", None),
            (3, "Phòng Chính trị Bộ Chỉ huy Quân sự tỉnh", None, None, None),
        ]
    )
    ws = book.wb.active
    ws.merge_cells(f"{t.cell(0, 'Cụm/Khối thi đua')}:{t.cell(2, 'Cụm/Khối thi đua')}")
    ws.merge_cells(f"{t.cell(1, 'Vai trò')}:{t.cell(2, 'Vai trò')}")
    report = load_file(con, book.save(tmp_path / "e.xlsx"))
    assert report.status == "loaded", [i.human() for i in report.errors]
    got = rows(con, "SELECT cluster, role FROM v_cluster_members ORDER BY unit")
    assert {r["cluster"] for r in got} == {"Cụm thi đua số 4"}
    assert sorted(r["role"] for r in got) == ["Cụm trưởng", "Thành viên", "Thành viên"]
