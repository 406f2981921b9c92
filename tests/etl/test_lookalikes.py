"""Look-alike characters (workbooks.md §1).

Issue #8, finding 3: "Phòng Tổ chức – Cán bộ" (an en dash from Word's autocorrect) was refused
against the list's "Phòng Tổ chức - Cán bộ", and "B’Lao" (a curly apostrophe) against "B'Lao".
"""

from __future__ import annotations

import pytest

from etl.load import load_file
from etl.read.numbers import parse_number
from etl.read.text import fold
from tests.etl.builders import Book, Title, rows

TCCB = "Phòng Tổ chức - Cán bộ, Công an tỉnh"
BLAO = "Ban Xây dựng Đảng Đảng ủy phường B'Lao"
OTHER = "Ban Tổ chức Đảng ủy Công an tỉnh"


def membership(con, tmp_path):
    book = Book()
    book.kind_e(
        [
            (1, TCCB, "Cụm thi đua số 4", "Cụm trưởng", "PTCCB Công an"),
            (2, BLAO, "Cụm thi đua số 4", "Thành viên", "B'Lao"),
            (3, OTHER, "Cụm thi đua số 4", "Thành viên", None),
        ]
    )
    report = load_file(con, book.save(tmp_path / "danh_sach.xlsx"))
    assert report.status == "loaded", [i.human() for i in report.errors]


@pytest.mark.parametrize(
    ("typed", "same"),
    [
        ("Phòng Tổ chức – Cán bộ", "Phòng Tổ chức - Cán bộ"),  # en dash
        ("Phòng Tổ chức — Cán bộ", "Phòng Tổ chức - Cán bộ"),  # em dash
        ("Phòng Tổ chức − Cán bộ", "Phòng Tổ chức - Cán bộ"),  # minus sign
        ("B’Lao", "B'Lao"),
        ("B‘Lao", "B'Lao"),
        ("B`Lao", "B'Lao"),
        ("B´Lao", "B'Lao"),
        ("Phòng\u00a0Tổ\u200bchức", "Phòng Tổchức"),  # NBSP and a zero-width space
    ],
)
def test_lookalikes_fold_to_the_same_name(typed, same):
    assert fold(typed) == fold(same)


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("12\u00a0489,4", 12489.4),
        ("12\u202f489,4", 12489.4),
        ("− 0,5", -0.5),
        ("– 0,5", -0.5),
        ("— 0,5", -0.5),
        ("-0,5", -0.5),
        ("10đ", 10.0),
        ("10 đ", 10.0),
        ("100 điểm", 100.0),
        ("\u200b3,5", 3.5),
    ],
)
def test_numbers_typed_with_lookalikes(typed, value):
    parsed = parse_number(typed)
    assert parsed.kind == "number" and parsed.value == pytest.approx(value)


def test_names_with_an_en_dash_or_a_curly_apostrophe_match_the_list(con, tmp_path):
    membership(con, tmp_path)
    book = Book()
    book.kind_b(
        [
            (1, "Phòng Tổ chức – Cán bộ, Công an tỉnh", "95 điểm", "94,5đ", "1 đ", "− 0,5", None),
            (2, "Ban Xây dựng Đảng Đảng ủy phường B’Lao", "92", "90,25", None, "– 0,25", None),
            (3, OTHER, "90", "88", None, None, "88"),
        ],
        columns=(
            "Tên đơn vị",
            "Điểm tự chấm",
            "Điểm cụm chấm",
            "Điểm thưởng",
            "Điểm trừ",
            "Tổng điểm",
        ),
        title=Title(title="BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM NĂM {year}", unit=None),
    )
    report = load_file(con, book.save(tmp_path / "tong_hop.xlsx"))
    assert report.status == "loaded", [i.human() for i in report.errors]
    got = {r["unit"]: r for r in rows(con, "SELECT unit, total_score FROM v_unit_scores")}
    # The list's names are kept, and the figures read through the look-alikes.
    assert got[TCCB]["total_score"] == pytest.approx(94.5 + 1 - 0.5)
    assert got[BLAO]["total_score"] == pytest.approx(90.25 - 0.25)


def test_a_scoring_sheet_whose_unit_line_has_an_en_dash(con, tmp_path):
    membership(con, tmp_path)
    book = Book()
    book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", "55", "54,5"),
            ("II", "Công tác xây dựng Đảng", "40", "36", "35"),
            ("III", "Điểm trừ", None, None, None),
            ("1", "Chậm báo cáo", None, "− 0,5", "— 1"),
        ],
        note=False,
        title=Title(unit="Phòng Tổ chức – Cán bộ, Công an tỉnh"),
    )
    report = load_file(con, book.save(tmp_path / "a.xlsx"))
    assert report.status == "loaded", [i.human() for i in report.errors]
    (u,) = rows(con, "SELECT unit, assessed_score, deduction FROM v_unit_scores")
    assert u["unit"] == TCCB
    assert u["assessed_score"] == pytest.approx(54.5 + 35 - 1)
    assert u["deduction"] == pytest.approx(1)


def test_an_indicator_value_with_nbsp_thousands(con, tmp_path):
    book = Book()
    book.kind_d(
        [(1, "GRDP bình quân đầu người", "triệu đồng", "120 – 125", "98,5", "12\u00a0489,4")],
    )
    report = load_file(con, book.save(tmp_path / "d.xlsx"))
    assert report.status == "loaded", [i.human() for i in report.errors]
    got = rows(
        con,
        "SELECT year, value, target_low, target_high FROM v_province_indicators "
        "WHERE source_file = 'd.xlsx'",
    )
    by_year = {r["year"]: r for r in got}
    assert by_year[2023]["value"] == pytest.approx(98.5)
    assert by_year[2024]["value"] == pytest.approx(12489.4)
    assert (by_year[2024]["target_low"], by_year[2024]["target_high"]) == (120, 125)
