"""Kind A and A2: a unit's total from its criteria tree, by the rules of workbooks.md §2.

Every sheet here is built the way offices type them (title block, "ĐIỂM" over "Chuẩn | Tự chấm |
Cụm chấm", numbers as text with decimal commas, signatures under the table), loaded into a fresh
database, and read back from the public views.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.load import load_file
from tests.etl.builders import (
    CLUSTER,
    TIEN_GIANG_UNIT,
    UNIT,
    Book,
    Title,
    rows,
    tien_giang_book,
)

TOTAL = (None, "Tổng cộng", "100 điểm")


def load(con, tmp_path: Path, book: Book, name: str = "a.xlsx"):
    report = load_file(con, book.save(tmp_path / name))
    assert report.status == "loaded", [i.human() for i in report.errors]
    return report


def unit_scores(con) -> list[dict]:
    return rows(con, "SELECT * FROM v_unit_scores ORDER BY unit")


def only_unit(con) -> dict:
    (u,) = unit_scores(con)
    return u


def messages(report) -> list[str]:
    return [i.message for i in report.warnings]


# --- the scoring rule ---------------------------------------------------------------------------


def test_leaf_only_scoring_sums_up_the_tree(con, tmp_path):
    book = Book()
    book.kind_a(
        [
            ("I", "Thực hiện nhiệm vụ chuyên môn", "60", None, None),
            ("1", "Hoàn thành kế hoạch công tác năm", "30", "28,5", "28"),
            ("2", "Thực hiện chế độ báo cáo", "30", "29", "27,5"),
            ("II", "Công tác xây dựng Đảng", "40", None, None),
            ("1", "Học tập, quán triệt nghị quyết", "20", "19,5", "19"),
            ("2", "Kiểm tra, giám sát", "20", "18", "18"),
        ],
        total=(*TOTAL, "95", "92,5"),
    )
    load(con, tmp_path, book)
    u = only_unit(con)
    assert (u["year"], u["cluster"], u["unit"]) == (2026, CLUSTER, UNIT)
    assert u["self_score"] == pytest.approx(95.0)
    assert u["assessed_score"] == pytest.approx(92.5)
    assert u["total_score"] == pytest.approx(92.5)
    assert u["score_basis"] == "assessed"
    assert u["max_score"] == pytest.approx(100.0)


def test_group_only_scoring(con, tmp_path):
    book = Book()
    book.kind_a(
        [
            ("I", "Thực hiện nhiệm vụ chuyên môn", "60", "57", "56,5"),
            ("1", "Hoàn thành kế hoạch công tác năm", "30", None, None),
            ("2", "Thực hiện chế độ báo cáo", "30", None, None),
            ("II", "Công tác xây dựng Đảng", "40", "38,5", "37"),
            ("1", "Học tập, quán triệt nghị quyết", "20", None, None),
        ],
        total=(*TOTAL, "95,5", "93,5"),
    )
    report = load(con, tmp_path, book)
    u = only_unit(con)
    assert u["self_score"] == pytest.approx(95.5)
    assert u["total_score"] == pytest.approx(93.5)
    assert not report.warnings


def test_a_groups_own_value_wins_over_its_children(con, tmp_path):
    # The children of I are the deductions behind its net score: detail, not added again.
    book = Book()
    book.kind_a(
        [
            ("I", "Thực hiện nhiệm vụ chuyên môn", "60", "58", "57"),
            ("1", "Chậm báo cáo (trừ 1 điểm/lần)", None, "- 1", "- 2"),
            ("2", "Hoàn thành kế hoạch", "30", "30", "30"),
            ("II", "Công tác xây dựng Đảng", "40", "39", "38"),
        ],
        total=(*TOTAL, "97", "95"),
    )
    load(con, tmp_path, book)
    u = only_unit(con)
    assert u["self_score"] == pytest.approx(97.0)
    assert u["assessed_score"] == pytest.approx(95.0)


@pytest.mark.parametrize(
    ("bonus", "deduction"),
    [("1,5", "0,5"), ("+ 1,5", "- 0,5"), ("+1,5", "-0,5"), (1.5, -0.5), ("1,5", "-0,5")],
)
def test_bonus_adds_and_deduction_subtracts_whatever_the_sign(con, tmp_path, bonus, deduction):
    book = Book()
    book.kind_a(
        [
            ("I", "Thực hiện nhiệm vụ chuyên môn", "60", "55"),
            ("II", "Công tác xây dựng Đảng", "40", "35"),
            (None, "Điểm thưởng", None, None),
            ("1", "Có sáng kiến được công nhận", None, bonus),
            (None, "Điểm trừ", None, None),
            ("1", "Chậm gửi báo cáo", None, deduction),
        ],
        scores=("Tự chấm",),
        total=(*TOTAL, "91"),
    )
    report = load(con, tmp_path, book)
    u = only_unit(con)
    assert u["total_score"] == pytest.approx(91.0)
    assert u["bonus"] == pytest.approx(1.5)
    assert u["deduction"] == pytest.approx(0.5)  # a positive number that was subtracted
    assert u["score_basis"] == "self"
    assert not report.warnings
    sections = {r["criterion"]: r["section"] for r in rows(con, "SELECT * FROM v_criterion_scores")}
    assert sections["Có sáng kiến được công nhận"] == "bonus"
    assert sections["Chậm gửi báo cáo"] == "deduction"
    assert sections["Công tác xây dựng Đảng"] == "criterion"


def test_bonus_and_deduction_sections_with_section_words_in_the_text(con, tmp_path):
    # "Cộng điểm" and "Trừ điểm" open the sections too, typed with codes of their own.
    book = Book()
    book.kind_a(
        [
            ("I", "Công tác chuyên môn", "100", "90"),
            ("II", "Cộng điểm", None, None),
            ("1", "Được Bộ khen thưởng", None, "2"),
            ("2", "Có mô hình hay", None, "1"),
            ("III", "Trừ điểm", None, None),
            ("1", "Để xảy ra sai phạm", None, "1,5"),
        ],
        scores=("Tự chấm",),
        total=(*TOTAL, "91,5"),
    )
    report = load(con, tmp_path, book)
    u = only_unit(con)
    assert u["total_score"] == pytest.approx(91.5)
    assert u["bonus"] == pytest.approx(3.0)
    assert u["deduction"] == pytest.approx(1.5)
    assert not report.warnings


def test_deduction_cap_from_a_note_row_is_applied_and_reported(con, tmp_path):
    book = Book()
    t = book.kind_a(
        [
            ("a", "Quản lý đất đai", "30", None, None),
            ("a1", "Triển khai Luật Đất đai (điểm chuẩn 3 điểm)", "3", None, None),
            ("a1.1", "Mỗi trường hợp chậm triển khai: trừ 0,5 điểm", None, "-0,5", "3"),
            ("a1.2", "Không phối hợp tuyên truyền: trừ 0,5 điểm", None, "-0,5", None),
            (None, "Ghi chú: Tổng điểm trừ của mục a1 không quá 1,5 điểm", None, None, None),
            ("a2", "Thống kê, kiểm kê đất đai", "27", None, "27"),
        ],
        scores=("Tự chấm",),
        framework=("Trừ",),
        note=False,
    )
    # a1 has no value of its own: it scores the sum of its children, the deductions, typed 3 in
    # all and capped at 1,5 by the note.
    report = load(con, tmp_path, book)
    u = only_unit(con)
    assert u["deduction"] == pytest.approx(1.5)
    assert u["total_score"] == pytest.approx(27 - 1.5)
    caps = [i for i in report.warnings if "1,5" in i.message and "3" in i.message]
    assert caps, messages(report)
    assert caps[0].cell == t.cell(4, "Nội dung tiêu chí")  # the note row that states the cap


def test_deduction_cap_on_the_criterion_text(con, tmp_path):
    book = Book()
    book.kind_a(
        [
            ("1", "Công tác chuyên môn", "90", None, "90"),
            ("2", "Chế độ báo cáo", "10", None, None),
            ("2.1", "Gửi báo cáo đúng hạn", "10", None, "10"),
            (
                "2.2",
                "Chậm báo cáo, mỗi lần trừ 0,5 điểm. Điểm trừ tối đa là 1 điểm",
                None,
                "-0,5",
                "2",
            ),
        ],
        scores=("Tự chấm",),
        framework=("Trừ",),
        note=False,
    )
    report = load(con, tmp_path, book)
    u = only_unit(con)
    assert u["total_score"] == pytest.approx(99.0)
    assert any("tối đa" in m for m in messages(report)), messages(report)


@pytest.mark.parametrize("word", ["không xếp loại", "(không xếp loại)", "Không xếp loại"])
def test_not_ranked_word_in_a_score_cell(con, tmp_path, word):
    book = Book()
    book.kind_a(
        [
            ("1", "Công tác chuyên môn", "90", "85", "84"),
            ("2", "Gửi báo cáo giải trình chấm điểm thi đua", "10", None, word),
        ]
    )
    report = load(con, tmp_path, book)
    assert not report.errors
    u = only_unit(con)
    assert u["rank"] is None
    assert u["not_ranked_reason"]
    assert "xếp loại" in u["not_ranked_reason"].lower()


def test_not_ranked_unit_stays_out_of_the_ranking(con, tmp_path):
    other = Book()
    other.kind_a(
        [("1", "Công tác chuyên môn", "100", "80", "80")],
        title=Title(unit="Văn phòng Đảng ủy Công an tỉnh"),
    )
    load(con, tmp_path, other, "other.xlsx")
    book = Book()
    book.kind_a(
        [
            ("1", "Công tác chuyên môn", "100", "95", "95"),
            ("2", "Báo cáo", None, None, "không xếp loại"),
        ]
    )
    load(con, tmp_path, book)
    by_unit = {u["unit"]: u for u in unit_scores(con)}
    assert by_unit[UNIT]["rank"] is None
    assert by_unit["Văn phòng Đảng ủy Công an tỉnh"]["rank"] == 1


def test_not_ranked_words_in_the_framework_column_are_not_an_error(con, tmp_path):
    book = Book()
    book.kind_a(
        [
            ("5", "Thực hiện chế độ báo cáo", "5", None, None, "5"),
            ("5.1", "Gửi báo cáo không đúng thời gian", None, None, "-0,5", None),
            ("5.2", "Không gửi báo cáo giải trình chấm điểm", None, None, "(không xếp loại)", None),
            ("6", "Công tác chuyên môn", "95", None, None, "90"),
        ],
        scores=("Tự chấm",),
        framework=("Thưởng", "Trừ"),
        note=False,
    )
    report = load(con, tmp_path, book)
    assert not report.errors
    u = only_unit(con)
    assert u["rank"] == 1
    assert u["not_ranked_reason"] is None
    assert u["total_score"] == pytest.approx(95.0)


def test_total_row_disagreeing_is_a_warning_naming_both_figures(con, tmp_path):
    book = Book()
    t = book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", "55,5", "54"),
            ("II", "Công tác xây dựng Đảng", "40", "38", "37"),
        ],
        total=(*TOTAL, "94", "92"),
    )
    report = load(con, tmp_path, book)
    by_cell = {i.cell: i.message for i in report.warnings}
    assert t.total_cell("Tự chấm") in by_cell, by_cell
    assert "94" in by_cell[t.total_cell("Tự chấm")]
    assert "93,5" in by_cell[t.total_cell("Tự chấm")]
    assert t.total_cell("Cụm chấm") in by_cell
    assert "92" in by_cell[t.total_cell("Cụm chấm")]
    assert "91" in by_cell[t.total_cell("Cụm chấm")]
    # The computed total is used.
    assert only_unit(con)["total_score"] == pytest.approx(91.0)
    assert only_unit(con)["self_score"] == pytest.approx(93.5)


def test_total_row_within_a_hundredth_is_no_warning(con, tmp_path):
    book = Book()
    book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", "33,333", "33,333"),
            ("II", "Công tác xây dựng Đảng", "40", "33,333", "33,333"),
            ("III", "Công tác dân vận", None, "33,333", "33,333"),
        ],
        total=(*TOTAL, "99,99", "100"),
    )
    report = load(con, tmp_path, book)
    assert not [m for m in messages(report) if "ghi trên sheet" in m or "cộng từ" in m]


def test_total_above_the_maximum_is_flagged_not_refused(con, tmp_path):
    book = Book()
    book.kind_a(
        [
            ("I", "Công tác chuyên môn", "80", "80"),
            ("II", "Công tác xây dựng Đảng", "20", "20"),
            (None, "Điểm thưởng", None, None),
            ("1", "Bằng khen của Thủ tướng", None, "4,4"),
        ],
        scores=("Tự chấm",),
        total=(*TOTAL, "104,4"),
    )
    report = load(con, tmp_path, book)
    assert report.status == "loaded"
    u = only_unit(con)
    assert u["total_score"] == pytest.approx(104.4)
    assert u["rank"] == 1
    flagged = [m for m in messages(report) if "104,4" in m and "100" in m]
    assert flagged, messages(report)


@pytest.mark.parametrize("stated", ["100 điểm", "100", 100])
def test_maximum_from_the_total_row(con, tmp_path, stated):
    # The top-level maxima add up to 110 (alternatives); the total row says 100.
    book = Book()
    book.kind_a(
        [
            ("I", "Công tác chuyên môn", "70", "65"),
            ("II", "Công tác xây dựng Đảng", "40", "25"),
        ],
        scores=("Tự chấm",),
        total=(None, "Tổng cộng", stated, "90"),
    )
    load(con, tmp_path, book)
    assert only_unit(con)["max_score"] == pytest.approx(100.0)


def test_maximum_without_a_total_row_is_the_sum_of_top_level_maxima(con, tmp_path):
    book = Book()
    book.kind_a(
        [
            ("I", "Công tác chuyên môn", "70", "65"),
            ("1", "Nhiệm vụ 1", "40", None),
            ("2", "Nhiệm vụ 2", "30", None),
            ("II", "Công tác xây dựng Đảng", "50", "45"),
        ],
        scores=("Tự chấm",),
    )
    load(con, tmp_path, book)
    assert only_unit(con)["max_score"] == pytest.approx(120.0)


@pytest.mark.parametrize(
    ("headers", "start_col"),
    [
        (("TT", "Nội dung\nđánh giá", "Điểm tối đa", "Điểm  tự chấm.", "Điểm thẩm định"), 2),
        (("Số TT", "TIÊU CHUẨN THI ĐUA", "Thang điểm", "Đơn vị tự chấm", "Điểm khối chấm"), 1),
        (
            (
                "Mã tiêu chí",
                "Nội dung chấm điểm:",
                "Điểm quy định",
                "Điểm tự đánh giá",
                "Kết quả thẩm định",
            ),
            5,
        ),
    ],
)
def test_headers_by_name_in_any_column(con, tmp_path, headers, start_col):
    book = Book()
    book.table(
        "Cụm 4",
        headers,
        [
            ("I", "Công tác chuyên môn", "60", "58", "57"),
            ("II", "Công tác xây dựng Đảng", "40", "38", "36,5"),
        ],
        title=Title(),
        start_col=start_col,
    )
    report = load(con, tmp_path, book)
    assert report.sheets[0].kind == "A"
    u = only_unit(con)
    assert (u["self_score"], u["assessed_score"]) == (96.0, 93.5)


def test_numbers_typed_with_unit_words_and_empty_marks(con, tmp_path):
    book = Book()
    book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60 điểm", "-", "x"),  # no value: the children's sum
            ("1", "Nhiệm vụ 1", "30 điểm", "28,5 điểm", "28"),
            ("2", "Nhiệm vụ 2", "30", "29", "/"),
            ("II", "Công tác xây dựng Đảng", "40", "38", "—"),
        ]
    )
    load(con, tmp_path, book)
    u = only_unit(con)
    assert u["self_score"] == pytest.approx(95.5)
    assert u["assessed_score"] == pytest.approx(28.0)


def test_title_year_wins_over_the_date_line(con, tmp_path):
    book = Book()
    book.kind_a(
        [("1", "Công tác chuyên môn", "100", "90", "90")], title=Title(year=2025, date_year=2026)
    )
    load(con, tmp_path, book)
    assert only_unit(con)["year"] == 2025


def test_nfd_unit_name_matches_nfc(con, tmp_path):
    first = Book()
    first.kind_a([("1", "Công tác chuyên môn", "100", "90", "90")])  # the unit line in NFD
    load(con, tmp_path, first, "nfd.xlsx")
    second = Book()
    second.kind_a([("1", "Công tác chuyên môn", "100", "91", "91")], title=Title(nfd_names=False))
    load(con, tmp_path, second, "nfc.xlsx")
    (u,) = unit_scores(con)  # the same unit: the newer file supersedes the older
    assert u["unit"] == UNIT
    assert u["total_score"] == pytest.approx(91.0)


@pytest.mark.parametrize("typed", ["CỤM THI ĐUA SỐ 4", "Cụm 4", "Cụm thi đua 4"])
def test_cluster_names_are_canonical(con, tmp_path, typed):
    book = Book()
    book.kind_a([("1", "Công tác chuyên môn", "100", "90", "90")], title=Title(cluster=typed))
    load(con, tmp_path, book)
    assert only_unit(con)["cluster"] == "Cụm thi đua số 4"


def test_criterion_rows_name_the_cell_of_the_score(con, tmp_path):
    book = Book()
    t = book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", "55", None),
            ("II", "Công tác xây dựng Đảng", "40", "38", "37"),
        ]
    )
    load(con, tmp_path, book)
    got = {r["code"]: r for r in rows(con, "SELECT * FROM v_criterion_scores")}
    assert got["I"]["source_cell"] == t.cell(0, "Tự chấm")  # no assessed score on that row
    assert got["II"]["source_cell"] == t.cell(1, "Cụm chấm")
    assert got["II"]["source_sheet"] == "Cụm 4"
    assert got["II"]["source_file"] == "a.xlsx"
    seqs = rows(con, "SELECT seq FROM v_criterion_scores ORDER BY seq")
    assert [r["seq"] for r in seqs] == [1, 2]


def test_a_leaf_scored_above_its_maximum_is_named_by_its_cell(con, tmp_path):
    # 32 typed for 30 is kept but named; a bonus the row allows (Thưởng) is no excess, and a
    # group is never checked (its children's bonuses may lift it).
    book = Book()
    t = book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", None, None, "63", None),
            ("1", "Hoàn thành kế hoạch", "30", None, None, "32", "29"),
            ("2", "Có sáng kiến", "30", "2", None, "31,5", "32,5"),
            ("II", "Công tác xây dựng Đảng", "40", None, None, "41", "38"),
        ],
        framework=("Thưởng", "Trừ"),
    )
    report = load(con, tmp_path, book)
    over = [(i.message.split(" của tiêu chí")[0], i.cell) for i in report.warnings]
    over = [o for o in over if "vượt điểm chuẩn" in o[0]]
    assert over == [
        (f"Điểm tự chấm của {UNIT} ở tiêu chí 1 là 32, vượt điểm chuẩn 30", t.cell(1, "Tự chấm")),
        (f"Điểm tự chấm của {UNIT} ở tiêu chí II là 41, vượt điểm chuẩn 40", t.cell(3, "Tự chấm")),
        (
            f"Điểm cụm chấm của {UNIT} ở tiêu chí 2 là 32,5, vượt điểm chuẩn 32",
            t.cell(2, "Cụm chấm"),
        ),
    ]


# --- A2: the cross-scoring matrix -----------------------------------------------------------------

UNITS_A2 = ["Sở Tài chính", "Sở Xây dựng", "Sở Y tế"]


def test_a2_matrix_with_one_column_per_unit(con, tmp_path):
    book = Book()
    book.kind_a2(
        UNITS_A2,
        [
            ("I", "Công tác chuyên môn", "60", "55", "58,5", "50"),
            ("II", "Công tác xây dựng Đảng", "40", "38", "36,5", "39"),
            (None, "Điểm thưởng", None, "1", None, None),
        ],
        total=(None, "Tổng cộng", "100", "94", "95", "89"),
    )
    report = load(con, tmp_path, book)
    assert report.sheets[0].kind == "A2"
    got = {u["unit"]: u for u in unit_scores(con)}
    assert set(got) == set(UNITS_A2)
    assert got["Sở Tài chính"]["total_score"] == pytest.approx(94.0)
    assert got["Sở Xây dựng"]["total_score"] == pytest.approx(95.0)
    assert got["Sở Y tế"]["total_score"] == pytest.approx(89.0)
    assert [got[u]["rank"] for u in UNITS_A2] == [2, 1, 3]
    assert {u["cluster"] for u in got.values()} == {CLUSTER}


def test_a2_matrix_with_merged_unit_names_over_self_and_assessed(con, tmp_path):
    book = Book()
    t = book.kind_a2(
        UNITS_A2[:2],
        [
            ("I", "Công tác chuyên môn", "60", "56", "55", "58", "57,5"),
            ("II", "Công tác xây dựng Đảng", "40", "38", "37", "39", "36"),
        ],
        pairs=True,
    )
    report = load(con, tmp_path, book)
    assert report.sheets[0].kind == "A2"
    got = {u["unit"]: u for u in unit_scores(con)}
    assert set(got) == set(UNITS_A2[:2])
    assert got["Sở Tài chính"]["self_score"] == pytest.approx(94.0)
    assert got["Sở Tài chính"]["assessed_score"] == pytest.approx(92.0)
    assert got["Sở Xây dựng"]["self_score"] == pytest.approx(97.0)
    assert got["Sở Xây dựng"]["assessed_score"] == pytest.approx(93.5)
    assert got["Sở Xây dựng"]["rank"] == 1
    crit = rows(con, "SELECT * FROM v_criterion_scores WHERE unit = 'Sở Xây dựng' AND code = 'II'")
    assert crit[0]["source_cell"] == t.cell(1, "Sở Xây dựng/Cụm chấm")


# --- the Tiền Giang framework ---------------------------------------------------------------------

# A district office's self-scoring against the real framework: the net typed on the criteria
# (a4 = 3,5 + 2 bonus), leaves scored under groups without a value (C1.1, C3.1's levels), bonus and
# deduction cases (C3.3, 3.3.2.2 c, 3.3.3.3 a, 4.3.1, 4.3.2) and a group whose own value wins (b.).
TG_SELF = {
    "a1": "3",
    "a2": "3",
    "a3": "2",
    "a4": "5,5",
    "a5": "3",
    "a6": "3",
    "a7": "3",
    "a8": "3,5",
    "a9": "5",  # a = 31
    "b.": "15",
    "b1.": "2",
    "b2": "5,5",  # b. = 15: its own value wins
    "C1.1": "5",
    "C2.1": "5",
    "C2.4": "0,3",
    "C3.1>": "2",
    "C3.2>": "3",
    "C3.3": "+1",
    "C4": "4",
    "C5": "5",
    "C6": "1",  # C = 5 + 5,3 + 6 + 4 + 5 + 1 = 26,3
    "d1": "5",
    "d2": "7",  # d. = 12; Tiêu chuẩn 1 = 84,3
    "2.1": "1",
    "2.2": "1,5",  # 2 = 2,5
    "3.1.1": "2",
    "3.2": "2,5",
    "3.3.1": "6",
    "3.3.2.2>c": "2",
    "3.3.3.3>a": "0,2",  # 3 = 12,3
    "4.1": "1",
    "4.2": "0,5",
    "4.3.1": "0,6",
    "4.3.2": "- 0,5",  # 4 = 1,6
    "5": "5",
}
TG_TOTAL = 84.3 + 2.5 + 12.3 + 1.6 + 5  # 105,7: above the maximum, as Cai Lậy's 124,4/100


@pytest.fixture
def tien_giang(con, tmp_path):
    report = load(con, tmp_path, tien_giang_book(TG_SELF, total_self="105,7"), "tien_giang.xlsx")
    crit = rows(con, "SELECT * FROM v_criterion_scores ORDER BY seq")
    return report, crit


def _by_code(crit: list[dict], code: str) -> list[dict]:
    return [r for r in crit if r["code"] == code]


def test_tien_giang_total_above_100_comes_out_right(con, tien_giang):
    report, _ = tien_giang
    assert not report.errors
    u = only_unit(con)
    assert u["unit"] == TIEN_GIANG_UNIT
    assert u["cluster"] == "Cụm thi đua số 3"
    assert u["year"] == 2022
    assert u["total_score"] == pytest.approx(TG_TOTAL)
    assert u["max_score"] == pytest.approx(100.0)
    assert u["score_basis"] == "self"
    assert u["rank"] == 1
    assert u["not_ranked_reason"] is None  # "(không xếp loại)" only states a rule there
    warnings = messages(report)
    assert any("105,7" in m and "100" in m for m in warnings), warnings
    assert not any("ghi trên sheet" in m for m in warnings), warnings


def test_tien_giang_group_scores(tien_giang):
    _, crit = tien_giang
    computed = {r["code"]: r["self_computed"] for r in crit if r["level"] <= 2 and r["code"]}
    assert computed["1"] == pytest.approx(84.3)
    assert computed["a"] == pytest.approx(31.0)
    assert computed["b."] == pytest.approx(15.0)
    assert computed["C"] == pytest.approx(26.3)
    assert computed["d."] == pytest.approx(12.0)
    assert computed["3"] == pytest.approx(12.3)
    assert computed["4"] == pytest.approx(1.6)


def test_tien_giang_tree_parents(tien_giang):
    _, crit = tien_giang
    seq = {r["seq"]: r for r in crit}

    def parent(r):
        return seq[r["parent_seq"]] if r["parent_seq"] else None

    (a1_1,) = _by_code(crit, "a1.1")
    assert parent(a1_1)["code"] == "a1"
    (a4_1_1,) = _by_code(crit, "a4.1.1")
    assert parent(a4_1_1)["code"] == "a4.1"
    (a7_1,) = _by_code(crit, "a.7.1")
    assert parent(a7_1)["code"] == "a7"
    (c1_2,) = _by_code(crit, "C1.2")
    assert parent(c1_2)["code"] == "C1"
    # "a" restarts under every parent: the ones under 3.3.2.1 and 3.3.2.2 are different rows.
    a_rows = _by_code(crit, "a")
    parents_of_a = [parent(r)["code"] for r in a_rows]
    assert parents_of_a == ["1", "3.3.2.1", "3.3.2.2", "3.3.2.3", "3.3.3.1", "3.3.3.2", "3.3.3.3"]
    assert len({r["parent_seq"] for r in a_rows}) == len(a_rows)
    # b., C and d. are siblings of a, under Tiêu chuẩn 1.
    (a,) = [r for r in crit if r["code"] == "a" and r["level"] == 2]
    for code in ("b.", "C", "d."):
        (r,) = _by_code(crit, code)
        assert r["parent_seq"] == a["parent_seq"], code
        assert parent(r)["code"] == "1"
    # An alternative level with a merged (empty) code belongs to the coded row above it.
    levels = [r for r in crit if r["criterion"] == "- Không tổ chức"]
    assert parent(levels[0])["code"] == "C3.2"


def test_tien_giang_levels(tien_giang):
    _, crit = tien_giang
    level: dict[str, int] = {}
    for r in crit:
        if r["code"]:
            level.setdefault(r["code"], r["level"])  # the first row of a repeated code
    assert level["1"] == 1
    assert level["5"] == 1
    assert level["a"] == 2
    assert level["a1"] == 3
    assert level["a1.1"] == 4
    assert level["a4.1.1"] == 5
    assert level["3.3.2.1"] == 4
    assert [r["level"] for r in _by_code(crit, "d")][-1] == 5  # the last "d" under 3.3.3.3
    assert {r["code"] for r in crit if r["level"] == 1} == {"1", "2", "3", "4", "5"}


def test_tien_giang_total_rows_are_not_criteria(tien_giang):
    _, crit = tien_giang
    texts = [r["criterion"] for r in crit]
    assert not [t for t in texts if t and t.lower().startswith("tổng cộng")]
    assert texts[0].startswith("Tiêu chuẩn 1")


def test_tien_giang_ghi_chu_rows_are_not_criteria(tien_giang):
    _, crit = tien_giang
    assert not [r for r in crit if (r["criterion"] or "").startswith("Ghi chú")]


def test_tien_giang_star_note_row_is_not_a_criterion(tien_giang):
    _, crit = tien_giang
    assert not [r for r in crit if "tối đa đối với d2" in (r["criterion"] or "")]


def test_tien_giang_sections(tien_giang):
    _, crit = tien_giang
    section = {r["code"]: r["section"] for r in crit if r["code"]}
    assert section["a1.1"] == "deduction"
    assert section["a4.2.2"] == "bonus"
    assert section["b.2.6"] == "deduction"  # "-0,5" typed in the Thưởng column
    assert section["3.3.2"] == "bonus"  # "Điểm thưởng được thực hiện …"
    assert section["3.3.3"] == "deduction"  # "Điểm trừ được thực hiện …"
    assert section["a1"] == "criterion"
    assert section["5.2"] == "criterion"  # "(không xếp loại)" in Trừ is a rule, not a value
