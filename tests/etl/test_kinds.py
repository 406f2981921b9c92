"""Kinds B (cluster summary), C (targets), D (province indicators) and E (membership list)."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.load import load_file
from tests.etl.builders import CLUSTER, UNIT, Book, Title, counts, rows

UNITS = ["Sở Tài chính", "Sở Xây dựng", "Sở Y tế", "Sở Nội vụ"]


def load(con, tmp_path: Path, book: Book, name: str = "f.xlsx"):
    report = load_file(con, book.save(tmp_path / name))
    assert report.status == "loaded", [i.human() for i in report.errors]
    return report


def by_unit(con) -> dict[str, dict]:
    return {u["unit"]: u for u in rows(con, "SELECT * FROM v_unit_scores")}


# --- B: the cluster's results summary -------------------------------------------------------------


def test_b_ranks_ties_as_1_1_3(con, tmp_path):
    book = Book()
    book.kind_b(
        [
            (
                1,
                "Sở Tài chính",
                "96",
                "95,5",
                None,
                None,
                "95,5",
                None,
                "Hoàn thành xuất sắc nhiệm vụ",
            ),
            (2, "Sở Xây dựng", "97", "95,5", None, None, "95,5", None, None),
            (3, "Sở Y tế", "92", "90", None, None, "90", None, None),
            (4, "Sở Nội vụ", "80", "65", None, None, "65", None, None),
        ]
    )
    report = load(con, tmp_path, book)
    assert report.sheets[0].kind == "B"
    got = by_unit(con)
    assert set(got) == set(UNITS)  # NFD names in the sheet, NFC in the view
    assert [got[u]["rank"] for u in UNITS] == [1, 1, 3, 4]
    assert {got[u]["cluster"] for u in UNITS} == {CLUSTER}
    assert got["Sở Tài chính"]["total_score"] == pytest.approx(95.5)
    assert got["Sở Tài chính"]["self_score"] == pytest.approx(96.0)


def test_b_file_rank_differing_is_a_warning_with_both_figures(con, tmp_path):
    book = Book()
    t = book.kind_b(
        [
            (1, "Sở Tài chính", None, "95", None, None, "95", "1"),
            (2, "Sở Xây dựng", None, "93", None, None, "93", "2"),  # earns 3
            (3, "Sở Y tế", None, "94", None, None, "94", "3"),  # earns 2
        ]
    )
    report = load(con, tmp_path, book)
    assert not report.errors
    (w,) = [i for i in report.warnings if "Sở Xây dựng" in i.message]
    assert "xếp hạng 2" in w.message and "xếp hạng 3" in w.message
    assert w.cell == t.cell(1, "Tổng điểm")
    assert [i for i in report.warnings if "Sở Y tế" in i.message]
    assert not [i for i in report.warnings if "Sở Tài chính" in i.message]
    got = by_unit(con)
    assert (got["Sở Xây dựng"]["file_rank"], got["Sở Xây dựng"]["rank"]) == (2, 3)
    assert (got["Sở Y tế"]["file_rank"], got["Sở Y tế"]["rank"]) == (3, 2)


def test_b_total_from_assessed_plus_bonus_minus_deduction(con, tmp_path):
    book = Book()
    book.kind_b(
        [
            (1, "Sở Tài chính", "96", "92,5", "1,5", "0,5"),
            (2, "Sở Xây dựng", "95", "93", None, "- 1"),
            (3, "Sở Y tế", "90", None, "1", None),  # not assessed: self + bonus
        ],
        columns=("Tên đơn vị", "Điểm tự chấm", "Điểm cụm chấm", "Điểm thưởng", "Điểm trừ"),
    )
    load(con, tmp_path, book)
    got = by_unit(con)
    assert got["Sở Tài chính"]["total_score"] == pytest.approx(93.5)
    assert got["Sở Tài chính"]["deduction"] == pytest.approx(0.5)
    assert got["Sở Xây dựng"]["total_score"] == pytest.approx(92.0)
    assert got["Sở Xây dựng"]["deduction"] == pytest.approx(1.0)  # positive, subtracted
    assert got["Sở Y tế"]["total_score"] == pytest.approx(91.0)
    assert got["Sở Y tế"]["score_basis"] == "self"
    assert got["Sở Tài chính"]["score_basis"] == "assessed"
    assert [got[u]["rank"] for u in UNITS[:3]] == [1, 2, 3]


def test_b_not_ranked_word(con, tmp_path):
    book = Book()
    book.kind_b(
        [
            (1, "Sở Tài chính", None, "95", None, None, "95"),
            (2, "Sở Xây dựng", None, "97", None, None, "Không xếp loại"),
        ],
        columns=(
            "Tên đơn vị",
            "Điểm tự chấm",
            "Điểm cụm chấm",
            "Điểm thưởng",
            "Điểm trừ",
            "Tổng điểm",
        ),
    )
    report = load(con, tmp_path, book)
    assert not report.errors
    got = by_unit(con)
    assert got["Sở Xây dựng"]["rank"] is None
    assert got["Sở Xây dựng"]["not_ranked_reason"]
    assert got["Sở Tài chính"]["rank"] == 1


# --- C: targets and their results -----------------------------------------------------------------

C_ROWS = [
    ("I", "Chỉ tiêu chuyên môn", None, None, None, None, None),
    (1, "Số hồ sơ giải quyết đúng hạn", "hồ sơ", "200", "230", None, None),
    (2, "Tỷ lệ văn bản trả lời đúng hạn", "%", "95%", "90%", None, None),
    (3, "Số vụ vi phạm, giảm so với năm trước", "vụ", "10", "8", None, None),
    (4, "Không để xảy ra khiếu nại vượt cấp", "vụ", "0", "0", None, None),
    (5, "Số vụ tai nạn giao thông không quá", "vụ", "4", "0", None, None),
    (6, "Số cuộc kiểm tra không để xảy ra sai phạm", "cuộc", "2", "5", None, None),
    (7, "Hoàn thành đề án vị trí việc làm", None, "Hoàn thành", "Hoàn thành", None, None),
    (8, "Xây dựng cơ sở dữ liệu cán bộ", None, "Hoàn thành", "Chưa hoàn thành", None, None),
    (9, "Tổ chức hội nghị chuyên đề", "cuộc", "4", None, None, None),
]


def targets(con) -> dict[str, dict]:
    return {t["target"]: t for t in rows(con, "SELECT * FROM v_target_completion")}


def test_c_directions_completion_and_words(con, tmp_path):
    book = Book()
    t = book.kind_c(C_ROWS)
    report = load(con, tmp_path, book)
    assert report.sheets[0].kind == "C"
    got = targets(con)
    assert "Chỉ tiêu chuyên môn" not in got  # a group heading, not a target
    higher = got["Số hồ sơ giải quyết đúng hạn"]
    assert (higher["direction"], higher["met"]) == ("higher", True)
    assert higher["completion_pct"] == pytest.approx(115.0)
    assert (higher["planned"], higher["actual"]) == (200.0, 230.0)
    pct = got["Tỷ lệ văn bản trả lời đúng hạn"]
    assert pct["met"] is False
    assert pct["completion_pct"] == pytest.approx(90 / 95 * 100)
    lower = got["Số vụ vi phạm, giảm so với năm trước"]
    assert (lower["direction"], lower["met"]) == ("lower", True)
    assert lower["completion_pct"] == pytest.approx(125.0)
    zero = got["Không để xảy ra khiếu nại vượt cấp"]
    assert (zero["direction"], zero["met"]) == ("lower", True)
    assert zero["completion_pct"] == pytest.approx(100.0)  # achieved 0: 100 %
    none_ = got["Số vụ tai nạn giao thông không quá"]
    assert none_["direction"] == "lower"
    assert none_["completion_pct"] == pytest.approx(100.0)
    failed = got["Số cuộc kiểm tra không để xảy ra sai phạm"]
    assert (failed["direction"], failed["met"]) == ("lower", False)
    assert failed["completion_pct"] == pytest.approx(40.0)
    done = got["Hoàn thành đề án vị trí việc làm"]
    assert (done["direction"], done["met"], done["completion_pct"]) == ("qualitative", True, 100.0)
    assert done["actual_text"] == "Hoàn thành"
    undone = got["Xây dựng cơ sở dữ liệu cán bộ"]
    assert (undone["direction"], undone["met"], undone["completion_pct"]) == (
        "qualitative",
        False,
        0.0,
    )
    pending = got["Tổ chức hội nghị chuyên đề"]
    assert pending["met"] is None and pending["completion_pct"] is None
    assert higher["source_row"] == t.rows[1]
    assert {x["period"] for x in got.values()} == {"year"}
    assert {x["unit"] for x in got.values()} == {UNIT}
    assert {x["year"] for x in got.values()} == {2026}


def test_c_direction_column(con, tmp_path):
    book = Book()
    book.kind_c(
        [
            (1, "Tỷ lệ nợ đọng thuế", "%", "5", "4", "giảm"),
            (2, "Số thuê bao", "thuê bao", "100", "120", "tăng"),
        ],
        columns=("Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "Chiều (tăng/giảm)"),
    )
    load(con, tmp_path, book)
    got = targets(con)
    assert got["Tỷ lệ nợ đọng thuế"]["direction"] == "lower"
    assert got["Tỷ lệ nợ đọng thuế"]["met"] is True
    assert got["Tỷ lệ nợ đọng thuế"]["completion_pct"] == pytest.approx(125.0)
    assert got["Số thuê bao"]["direction"] == "higher"


def test_c_stated_rate_differing_is_a_warning(con, tmp_path):
    book = Book()
    t = book.kind_c([(1, "Số hồ sơ giải quyết", "hồ sơ", "200", "230", "105%")])
    report = load(con, tmp_path, book)
    (w,) = report.warnings
    assert w.cell == t.cell(0, "Tỷ lệ (%)")
    assert "105" in w.message and "115" in w.message
    assert targets(con)["Số hồ sơ giải quyết"]["completion_pct"] == pytest.approx(115.0)


@pytest.mark.parametrize(
    ("line", "period"),
    [
        ("Sơ kết 6 tháng đầu năm 2026", "H1"),
        ("Quý II năm 2026", "Q2"),
        ("Quý 4", "Q4"),
        ("Tổng kết năm 2026", "year"),
    ],
)
def test_c_period_from_the_title(con, tmp_path, line, period):
    book = Book()
    book.kind_c(
        [(1, "Số hồ sơ giải quyết", "hồ sơ", "200", "90")],
        title=Title(title="ĐĂNG KÝ CHỈ TIÊU THI ĐUA NĂM {year}", extra=[line]),
    )
    load(con, tmp_path, book)
    (row,) = rows(con, "SELECT year, period FROM v_target_completion")
    assert row == {"year": 2026, "period": period}


def test_c_periods_do_not_supersede_each_other(con, tmp_path):
    for line in ("Sơ kết 6 tháng đầu năm 2026", "Tổng kết năm 2026"):
        book = Book()
        book.kind_c(
            [(1, "Số hồ sơ giải quyết", "hồ sơ", "200", "90")],
            title=Title(title="KẾT QUẢ THỰC HIỆN CHỈ TIÊU THI ĐUA", extra=[line]),
        )
        load(con, tmp_path, book, f"{line}.xlsx")
    got = rows(con, "SELECT period FROM v_target_completion ORDER BY period")
    assert [r["period"] for r in got] == ["H1", "year"]


# --- D: province indicators -----------------------------------------------------------------------

D_COLUMNS = (
    "Chỉ tiêu",
    "ĐVT",
    "Mục tiêu NQ",
    "TH 2022",
    "TH 2023",
    "TH 2024",
    "Ước 2025",
    "KH 2025",
    "Nguồn",
)


def indicators(con, name: str) -> dict[int, dict]:
    got = rows(con, "SELECT * FROM v_province_indicators WHERE indicator = ? ORDER BY year", [name])
    return {r["year"]: r for r in got}


def test_d_targets_year_columns_and_statuses(con, tmp_path):
    book = Book()
    book.kind_d(
        [
            (
                1,
                "Tốc độ tăng trưởng kinh tế của huyện",
                "%",
                "7 - 8",
                "6",
                "6,5",
                "7,5",
                "8,4",
                "8",
                "Chi cục Thống kê",
            ),
            (2, "Tỷ lệ trường đạt chuẩn quốc gia", "%", "≥ 92", None, "90", "92", "95", None, None),
            (
                3,
                "Tỷ lệ hộ nghèo của huyện",
                "%",
                "giảm 1 - 1,5",
                "7",
                "5,2",
                "4",
                "3,8",
                None,
                None,
            ),
            (
                4,
                "Số xã đạt chuẩn nông thôn mới nâng cao",
                "xã",
                "7-8%",
                None,
                None,
                None,
                None,
                "9",
                None,
            ),
        ],
        columns=D_COLUMNS,
    )
    report = load(con, tmp_path, book)
    assert report.sheets[0].kind == "D"
    growth = indicators(con, "Tốc độ tăng trưởng kinh tế của huyện")
    assert set(growth) == {2022, 2023, 2024, 2025}
    assert (growth[2025]["value"], growth[2025]["value_kind"]) == (8.4, "estimate")
    assert growth[2024]["value_kind"] == "actual"
    assert (growth[2024]["target_low"], growth[2024]["target_high"]) == (7.0, 8.0)
    assert growth[2024]["target_direction"] == "band"
    assert [growth[y]["status"] for y in (2022, 2023, 2024, 2025)] == [
        "chưa đạt",
        "chưa đạt",
        "đạt",
        "vượt",
    ]
    assert growth[2024]["source"] == "Chi cục Thống kê"
    assert growth[2024]["uom"] == "%"

    schools = indicators(con, "Tỷ lệ trường đạt chuẩn quốc gia")
    assert schools[2023]["target_direction"] == "higher"
    assert schools[2023]["target_low"] == 92.0
    assert [schools[y]["status"] for y in (2023, 2024, 2025)] == ["chưa đạt", "đạt", "vượt"]

    poor = indicators(con, "Tỷ lệ hộ nghèo của huyện")
    assert poor[2023]["target_direction"] == "decrease"
    assert (poor[2023]["target_low"], poor[2023]["target_high"]) == (1.0, 1.5)
    # The rate falls 1,8 then 1,2 points a year; the first year has nothing to compare, and
    # 2024 -> 2025 crosses the 1 July 2025 merger (two different provinces): not compared either.
    assert [poor[y]["status"] for y in (2022, 2023, 2024, 2025)] == [
        None,
        "vượt",
        "đạt",
        None,
    ]

    plan_only = indicators(con, "Số xã đạt chuẩn nông thôn mới nâng cao")
    assert plan_only[2025]["value_kind"] == "plan"


@pytest.mark.parametrize(
    ("text", "low", "high", "direction"),
    [
        ("7 - 8", 7, 8, "band"),
        ("7-8%", 7, 8, "band"),
        ("7 – 8 %", 7, 8, "band"),
        ("≥ 92", 92, None, "higher"),
        (">= 92%", 92, None, "higher"),
        ("100%", 100, None, "higher"),
        ("120 - 125 triệu đồng", 120, 125, "band"),
        ("35 - 36,5", 35, 36.5, "band"),
        ("giảm 1 - 1,5", 1, 1.5, "decrease"),
        ("giảm ít nhất 1 - 1,5%/năm", 1, 1.5, "decrease"),
    ],
)
def test_d_target_texts(con, tmp_path, text, low, high, direction):
    book = Book()
    book.kind_d(
        [(1, "Chỉ tiêu thử nghiệm", "%", text, None, None, "50", None, None, None)],
        columns=D_COLUMNS,
    )
    load(con, tmp_path, book)
    (r,) = rows(con, "SELECT * FROM v_province_indicators WHERE indicator = 'Chỉ tiêu thử nghiệm'")
    assert (r["target_low"], r["target_high"], r["target_direction"]) == (low, high, direction)
    assert r["target_text"] == text


# --- E: membership lists --------------------------------------------------------------------------

E_ROWS = [
    (1, UNIT, "Cụm thi đua số 4", "Cụm trưởng", "BTC CA"),
    (2, "Văn phòng Đảng ủy Công an tỉnh", "CỤM THI ĐUA SỐ 4", "cụm phó", "VP CA"),
    (3, "Ủy ban Kiểm tra Đảng ủy Công an tỉnh", "Cụm 4", "Thành viên", None),
    (4, "Sở Tài chính", "Khối thi đua số 1", "Khối trưởng", "STC"),
]


def members(con) -> dict[str, dict]:
    return {m["unit"]: m for m in rows(con, "SELECT * FROM v_cluster_members")}


def test_e_column_form(con, tmp_path):
    book = Book()
    book.kind_e(E_ROWS)
    report = load(con, tmp_path, book)
    assert report.sheets[0].kind == "E"
    got = members(con)
    assert set(got) == {r[1] for r in E_ROWS}
    assert got[UNIT]["cluster"] == "Cụm thi đua số 4"
    assert got[UNIT]["role"] == "Cụm trưởng"
    assert got[UNIT]["year"] == 2026
    assert got["Văn phòng Đảng ủy Công an tỉnh"]["role"] == "Cụm phó"
    assert got["Văn phòng Đảng ủy Công an tỉnh"]["cluster"] == "Cụm thi đua số 4"
    assert got["Ủy ban Kiểm tra Đảng ủy Công an tỉnh"]["cluster"] == "Cụm thi đua số 4"
    assert got["Sở Tài chính"]["cluster"] == "Khối thi đua số 1"
    assert got["Sở Tài chính"]["short_name"] == "STC"


def test_e_heading_row_form(con, tmp_path):
    book = Book()
    book.kind_e(
        [
            (None, "CỤM THI ĐUA SỐ 1"),
            (1, "Sở Tài chính", "STC"),
            (2, "Sở Xây dựng", "SXD"),
            (None, "CỤM THI ĐUA SỐ 2"),
            (1, "Sở Y tế", "SYT"),
        ],
        columns=("Tên đơn vị", "Tên viết tắt"),
    )
    report = load(con, tmp_path, book)
    assert report.sheets[0].kind == "E"
    got = members(con)
    assert set(got) == {"Sở Tài chính", "Sở Xây dựng", "Sở Y tế"}
    assert got["Sở Tài chính"]["cluster"] == "Cụm thi đua số 1"
    assert got["Sở Xây dựng"]["cluster"] == "Cụm thi đua số 1"
    assert got["Sở Y tế"]["cluster"] == "Cụm thi đua số 2"


def test_e_unknown_unit_is_refused_with_the_closest_name(con, tmp_path):
    book = Book()
    book.kind_e(E_ROWS)
    load(con, tmp_path, book, "members.xlsx")
    before = counts(con)
    sheet = Book()
    sheet.kind_a(
        [("1", "Công tác chuyên môn", "100", "90", "90")],
        title=Title(unit="Ban To chuc Cong an tinh"),
    )
    report = load_file(con, sheet.save(tmp_path / "a.xlsx"))
    assert report.status == "refused"
    (err,) = report.errors
    assert "Ban To chuc Cong an tinh" in err.message
    assert f"'{UNIT}'" in err.message
    assert "có phải" in err.message
    assert counts(con) == before


def test_e_known_unit_in_another_spelling_loads_under_the_list_name(con, tmp_path):
    book = Book()
    book.kind_e(E_ROWS)
    load(con, tmp_path, book, "members.xlsx")
    sheet = Book()
    sheet.kind_a(
        [("1", "Công tác chuyên môn", "100", "90", "90")],
        title=Title(unit="  " + UNIT.upper(), cluster="CỤM THI ĐUA SỐ 4"),
    )
    load(con, tmp_path, sheet, "a.xlsx")
    (u,) = rows(con, "SELECT unit, cluster FROM v_unit_scores")
    assert u == {"unit": UNIT, "cluster": "Cụm thi đua số 4"}


def test_e_unknown_cluster_is_refused(con, tmp_path):
    book = Book()
    book.kind_e(E_ROWS)
    load(con, tmp_path, book, "members.xlsx")
    sheet = Book()
    sheet.kind_a(
        [("1", "Công tác chuyên môn", "100", "90", "90")], title=Title(cluster="Cụm thi đua số 9")
    )
    report = load_file(con, sheet.save(tmp_path / "a.xlsx"))
    assert report.status == "refused"
    assert any("Cụm thi đua số 9" in e.message for e in report.errors)


def test_e_sheet_without_a_cluster_line_takes_the_cluster_from_the_list(con, tmp_path):
    book = Book()
    book.kind_e(E_ROWS)
    load(con, tmp_path, book, "members.xlsx")
    sheet = Book()
    sheet.kind_a([("1", "Công tác chuyên môn", "100", "90", "90")], title=Title(cluster=None))
    load(con, tmp_path, sheet, "a.xlsx")
    (u,) = rows(con, "SELECT unit, cluster FROM v_unit_scores")
    assert u == {"unit": UNIT, "cluster": "Cụm thi đua số 4"}


def test_e_list_and_sheets_in_one_workbook(con, tmp_path):
    book = Book()
    book.kind_a(
        [("1", "Công tác chuyên môn", "100", "90", "90")], name="BTC CA", title=Title(unit=None)
    )  # one sheet per unit, named by its short name
    book.kind_e(E_ROWS)
    report = load(con, tmp_path, book)
    assert [s.kind for s in report.sheets] == ["A", "E"]
    (u,) = rows(con, "SELECT unit FROM v_unit_scores")
    assert u["unit"] == UNIT
