"""Kind F, the scoring framework (workbooks.md §6b): both layouts, v_framework_criteria, and the
check of scoring sheets against their cluster's framework.

Frameworks are built as offices issue them (title block "BẢNG ĐIỂM CHUẨN …", "Cụm thi đua số 4",
merged "ĐIỂM" over "Chuẩn | Thưởng | Trừ", numbers typed as text, signatures), and the real Tiền
Giang file (Level | Order | Score | Name) is loaded as it is.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from etl import cli
from etl.load import LoadOptions, load_file, validate_file
from etl.load.framework import Node, compare, ordinals
from tests.etl.builders import (
    CLUSTER,
    FIXTURES,
    UNIT,
    Book,
    Title,
    counts,
    framework_flat,
    framework_title,
    framework_tree,
    nfd,
    rows,
    tien_giang_book,
)
from tests.etl.test_scoring import TG_SELF

# The real file as published (synd276/chitieuthidua; shared/reference/real-world), copied unchanged.
REAL = FIXTURES / "tien_giang_tnmt_diem_chuan.xlsx"
REAL_OPTIONS = LoadOptions(year=2022, cluster="Cụm thi đua số 3")

# A framework whose codes restart: "a", "b" under 1 and again under 2.
FRAMEWORK = [
    ("I", "Công tác chuyên môn", "60", None, None),
    ("1", "Hoàn thành kế hoạch công tác năm", "30", None, None),
    ("a", "Đúng tiến độ", "20", None, None),
    ("b", "Đúng chất lượng", "10", None, None),
    ("2", "Thực hiện chế độ báo cáo", "30", None, None),
    ("a", "Báo cáo định kỳ", "15", None, None),
    ("-", "Mỗi báo cáo chậm", None, None, "- 0,5"),
    ("b", "Báo cáo đột xuất", "15", None, None),
    ("II", "Công tác xây dựng Đảng", "40", None, None),
    ("1", "Học tập, quán triệt nghị quyết", "20", None, None),
    ("2", "Kiểm tra, giám sát", "20", "1", None),
]
# The same tree flattened: (level, order, max, name).
FLAT = [
    (1, 1, 60, "Công tác chuyên môn"),
    (2, 1, 30, "Hoàn thành kế hoạch công tác năm"),
    (3, 1, 20, "Đúng tiến độ"),
    (3, 2, 10, "Đúng chất lượng"),
    (2, 2, 30, "Thực hiện chế độ báo cáo"),
    (3, 1, "15", "Báo cáo định kỳ"),
    (3, 2, "15", "Báo cáo đột xuất"),
    (1, 2, 40, "Công tác xây dựng Đảng"),
    (2, 1, 20, "Học tập, quán triệt nghị quyết"),
    (2, 2, 20, "Kiểm tra, giám sát"),
]


def sheet_rows() -> list[tuple]:
    """The unit's scoring rows (code, criterion, max, self, assessed) following FRAMEWORK."""
    return [
        ("I", "Công tác chuyên môn", "60", None, None),
        ("1", "Hoàn thành kế hoạch công tác năm", "30", None, None),
        ("a", "Đúng tiến độ", "20", "19", "18,5"),
        ("b", "Đúng chất lượng", "10", "9", "9"),
        ("2", "Thực hiện chế độ báo cáo", "30", None, None),
        ("a", "Báo cáo định kỳ", "15", "15", "14"),
        ("b", "Báo cáo đột xuất", "15", "14", "14"),
        ("II", "Công tác xây dựng Đảng", "40", None, None),
        ("1", "Học tập, quán triệt nghị quyết", "20", "19,5", "19"),
        ("2", "Kiểm tra, giám sát", "20", "18", "18"),
    ]


def framework_book(layout: str = "tree", **title) -> Book:
    book = Book()
    if layout == "tree":
        framework_tree(
            book, FRAMEWORK, title=framework_title(**title), total=(None, "Tổng cộng", 100)
        )
    else:
        framework_flat(book, FLAT, title=framework_title(**title))
    return book


def load(con, tmp_path: Path, book: Book, name: str, options: LoadOptions | None = None):
    report = load_file(con, book.save(tmp_path / name), options)
    assert report.status == "loaded", [i.human() for i in report.errors]
    return report


def framework_rows(con) -> list[dict]:
    return rows(con, "SELECT * FROM v_framework_criteria ORDER BY cluster NULLS FIRST, seq")


def notes(report) -> list[str]:
    return [i.message for i in report.issues if i.severity == "info"]


def warnings(report) -> list[str]:
    return [i.message for i in report.warnings]


# --- the real Tiền Giang file --------------------------------------------------------------------


def test_real_tien_giang_framework_loads(con, tmp_path):
    path = tmp_path / "tien_giang_tnmt_diem_chuan.xlsx"
    shutil.copyfile(REAL, path)
    report = load_file(con, path, REAL_OPTIONS)
    assert report.status == "loaded", [i.human() for i in report.errors]
    assert [s.kind for s in report.sheets] == ["F"]
    got = framework_rows(con)
    assert len(got) == 38
    assert {(r["year"], r["cluster"]) for r in got} == {(2022, "Cụm thi đua số 3")}
    top = [r for r in got if r["level"] == 1]
    assert [r["criterion"] for r in top] == [f"Tiêu chuẩn {k}" for k in range(1, 6)]
    assert sum(r["max_points"] for r in top) == pytest.approx(100)
    by_seq = {r["seq"]: r for r in got}
    c4 = next(r for r in got if r["criterion"] == "Phần C4")
    assert (c4["level"], c4["max_points"], c4["code"]) == (3, 4, "4")
    assert by_seq[c4["parent_seq"]]["criterion"] == "Mục C"
    assert by_seq[by_seq[c4["parent_seq"]]["parent_seq"]]["criterion"] == "Tiêu chuẩn 1"
    mục_42 = next(r for r in got if r["criterion"] == "Mục 4.2")
    assert mục_42["max_points"] == pytest.approx(0.5)
    # The children of each group add up to it in this framework (no alternative levels).
    for parent in got:
        kids = [r["max_points"] for r in got if r["parent_seq"] == parent["seq"]]
        if kids:
            assert sum(kids) == pytest.approx(parent["max_points"]), parent["criterion"]
    (imp,) = rows(con, "SELECT * FROM v_imports WHERE file_name = ?", [path.name])
    assert (imp["kinds"], imp["status"], imp["rows_loaded"]) == ("F", "loaded", 38)


def test_real_file_without_year_says_how_to_give_it(con, tmp_path):
    report = validate_file(REAL, LoadOptions(), con)
    assert report.status == "refused"
    (error,) = report.errors
    assert "năm" in error.message and "--year" in error.message
    assert counts(con)["framework_criteria"] == 0


def test_cli_loads_the_real_file_with_year_and_cluster(db_file, capsys):
    assert cli.main(["validate", str(REAL)]) == 1
    capsys.readouterr()
    code = cli.main(["validate", "--year", "2022", "--cluster", "Cụm thi đua số 3", str(REAL)])
    assert code == 0, capsys.readouterr().out
    code = cli.main(
        ["load", "--db", str(db_file), "--year", "2022", "--cluster", "Cụm 3", "--json", str(REAL)]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert '"status": "loaded"' in out and '"kind": "F"' in out


def test_tien_giang_sheet_matches_the_real_framework(con, tmp_path):
    path = tmp_path / "diem_chuan.xlsx"
    shutil.copyfile(REAL, path)
    load_file(con, path, REAL_OPTIONS)
    report = load(con, tmp_path, tien_giang_book(TG_SELF, total_self="105,7"), "tg.xlsx")
    (note,) = notes(report)
    assert note.startswith("Khớp với bảng điểm chuẩn năm 2022 của Cụm thi đua số 3")
    assert "38 tiêu chí" in note
    assert not [w for w in warnings(report) if "điểm chuẩn" in w.lower() and "Khớp" not in w]


def test_tien_giang_sheet_with_a_wrong_maximum(con, tmp_path):
    path = tmp_path / "diem_chuan.xlsx"
    shutil.copyfile(REAL, path)
    load_file(con, path, REAL_OPTIONS)
    book = tien_giang_book(TG_SELF, total_self="105,7")
    ws = book.wb.active
    (row,) = [r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=2).value == "a4"]
    ws.cell(row=row, column=4, value="4")  # Chuẩn: the framework says 3,5
    report = load(con, tmp_path, book, "tg.xlsx")
    diffs = [i for i in report.warnings if "bảng điểm chuẩn" in i.message]
    assert len(diffs) == 1, [i.message for i in diffs]
    assert diffs[0].cell == f"D{row}"
    assert "a4" in diffs[0].message and "là 4 " in diffs[0].message and "3,5" in diffs[0].message
    assert not notes(report)


# --- the two layouts, built as offices make them -------------------------------------------------


def test_flat_framework_in_vietnamese_with_title_block(con, tmp_path):
    book = Book()
    rows_nfd = [(lvl, order, top, nfd(name)) for lvl, order, top, name in FLAT]
    t = framework_flat(
        book,
        rows_nfd,
        headers=("Cấp", "Thứ tự", "Điểm", "Tên tiêu chí"),
        total=(None, None, "100", "Tổng cộng"),
    )
    report = load(con, tmp_path, book, "khung.xlsx")
    assert [s.kind for s in report.sheets] == ["F"]
    got = framework_rows(con)
    assert [(r["level"], r["max_points"], r["criterion"]) for r in got] == [
        (lvl, float(top), name) for lvl, _, top, name in FLAT
    ]
    assert {(r["year"], r["cluster"]) for r in got} == {(2026, CLUSTER)}
    parents = [None, 1, 2, 2, 1, 5, 5, None, 8, 8]
    assert [r["parent_seq"] for r in got] == parents
    assert got[0]["source_cell"] == f"D{t.rows[0]}"
    assert not report.warnings


def test_tree_framework_is_kind_a_without_scores(con, tmp_path):
    book = Book()
    t = framework_tree(
        book,
        [
            *FRAMEWORK[:7],
            (None, "Ghi chú: Tổng điểm trừ của mục 2 không quá 1 điểm"),
            *FRAMEWORK[7:],
        ],
        total=(None, "Tổng cộng", "100 điểm"),
    )
    report = load(con, tmp_path, book, "diem_chuan.xlsx")
    assert [s.kind for s in report.sheets] == ["F"]
    got = framework_rows(con)
    assert len(got) == len(FRAMEWORK)  # neither the note nor the total is a criterion
    assert [r["code"] for r in got] == [r[0] for r in FRAMEWORK]
    by_seq = {r["seq"]: r for r in got}
    second_a = got[5]
    assert (second_a["code"], by_seq[second_a["parent_seq"]]["criterion"]) == (
        "a",
        "Thực hiện chế độ báo cáo",
    )
    late = got[6]
    assert (late["section"], late["deduction_allowed"]) == ("deduction", -0.5)
    assert got[10]["bonus_allowed"] == 1
    assert got[0]["source_cell"] == t.cell(0, "Chuẩn")


def test_a_newer_framework_supersedes_the_older_of_its_cluster_only(con, tmp_path):
    old = load(con, tmp_path, framework_book(), "cu.xlsx")
    other = load(con, tmp_path, framework_book("flat", cluster="Cụm thi đua số 5"), "cum5.xlsx")
    new = load(con, tmp_path, framework_book("flat"), "moi.xlsx")
    assert new.superseded == [old.import_id]
    got = framework_rows(con)
    assert {r["import_id"] for r in got} == {other.import_id, new.import_id}
    assert len([r for r in got if r["cluster"] == CLUSTER]) == len(FLAT)


def test_a_one_unit_matrix_is_not_taken_for_a_framework(con, tmp_path):
    book = Book()
    t = book.kind_a2(
        ["Sở Tài chính"],
        [("I", "Công tác chuyên môn", "60", "55"), ("II", "Công tác xây dựng Đảng", "40", "38")],
    )
    before = counts(con)
    report = load_file(con, book.save(tmp_path / "ma_tran.xlsx"))
    assert report.status == "refused"
    (error,) = report.errors
    assert error.cell == f"E{t.rows[0]}"  # the unit's first score
    assert "Sở Tài chính" in error.message and "Điểm tự chấm" in error.message
    assert counts(con) == before


def test_flat_level_out_of_tree_order_names_the_cell(con, tmp_path):
    book = Book()
    t = framework_flat(book, [(1, 1, 60, "Công tác chuyên môn"), (3, 1, 20, "Đúng tiến độ")])
    report = load_file(con, book.save(tmp_path / "sai_cap.xlsx"))
    assert report.status == "refused"
    (error,) = report.errors
    assert error.cell == t.cell(1, "Cấp")
    assert "Cấp 3 ngay sau một dòng cấp 1" in error.message


def test_flat_order_that_skips_warns(con, tmp_path):
    book = Book()
    t = framework_flat(
        book,
        [(1, 1, 60, "Công tác chuyên môn"), (1, 3, 40, "Công tác xây dựng Đảng")],
    )
    report = load(con, tmp_path, book, "thieu.xlsx")
    (w,) = report.warnings
    assert w.cell == t.cell(1, "Thứ tự")
    assert "Thứ tự 3" in w.message and "mục thứ 2" in w.message


def test_framework_without_cluster_serves_every_cluster(con, tmp_path):
    general = load(con, tmp_path, framework_book(cluster=None), "chung.xlsx")
    assert any("mọi cụm, khối" in w for w in warnings(general))
    assert {r["cluster"] for r in framework_rows(con)} == {None}
    book = Book()
    book.kind_a(sheet_rows(), title=Title(cluster="Cụm thi đua số 7"))
    report = load(con, tmp_path, book, "a.xlsx")
    (note,) = notes(report)
    assert "của mọi cụm, khối" in note
    # A cluster's own framework wins over the general one.
    own = Book()
    rows_ = [
        r if r[0] != "2" or r[1] != "Kiểm tra, giám sát" else (*r[:2], "25", *r[3:])
        for r in FRAMEWORK
    ]
    framework_tree(own, rows_, title=framework_title(cluster="Cụm thi đua số 7"))
    load(con, tmp_path, own, "rieng.xlsx")
    book2 = Book()
    book2.kind_a(sheet_rows(), title=Title(cluster="Cụm thi đua số 7", unit="Văn phòng"))
    report = load(con, tmp_path, book2, "b.xlsx")
    (w,) = [w for w in warnings(report) if "bảng điểm chuẩn" in w]
    assert "Cụm thi đua số 7" in w and "25" in w


# --- the check ----------------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["tree", "flat"])
def test_a_sheet_that_matches_says_so(con, tmp_path, layout):
    fw = load(con, tmp_path, framework_book(layout), "khung.xlsx")
    book = Book()
    book.kind_a(sheet_rows(), total=(None, "Tổng cộng", "100", "94,5", "92,5"))
    report = load(con, tmp_path, book, "a.xlsx")
    (note,) = notes(report)
    assert note == (
        f"Khớp với bảng điểm chuẩn năm 2026 của {CLUSTER} (lần nạp số {fw.import_id}, tệp "
        f"khung.xlsx): 10 tiêu chí, cùng điểm chuẩn."
    )
    assert not report.warnings
    assert report.as_dict()["sheets"][0]["notes"][0]["message"] == note


@pytest.mark.parametrize("layout", ["tree", "flat"])
def test_differences_are_warnings_with_cell_and_both_figures(con, tmp_path, layout):
    load(con, tmp_path, framework_book(layout), "khung.xlsx")
    sheet = sheet_rows()
    sheet[6] = ("b", nfd("BÁO CÁO ĐỘT XUẤT"), "10", "9", "9")  # 15 in the framework
    del sheet[3]  # "Đúng chất lượng" (10) left out
    sheet.append(("3", "Công tác dân vận", "5", "5", "5"))  # not in the framework
    book = Book()
    t = book.kind_a(sheet)
    report = load(con, tmp_path, book, "a.xlsx")
    diffs = [i for i in report.warnings if "bảng điểm chuẩn" in i.message]
    assert len(diffs) == 3, [i.message for i in diffs]
    missing, wrong, extra = diffs
    assert missing.cell == t.cell(1, "Chuẩn")  # under "1 Hoàn thành kế hoạch công tác năm"
    assert "Thiếu tiêu chí" in missing.message and "Đúng chất lượng" in missing.message
    assert "(điểm chuẩn 10)" in missing.message
    assert wrong.cell == t.cell(5, "Chuẩn")
    assert "là 10 nhưng bảng điểm chuẩn" in wrong.message and "ghi 15" in wrong.message
    assert extra.cell == t.cell(9, "Chuẩn")
    assert "Công tác dân vận" in extra.message and "không có trong" in extra.message
    assert not notes(report)
    # The sheet still loads: the differences are warnings.
    assert rows(con, "SELECT total_score FROM v_unit_scores")[0]["total_score"] is not None


def test_framework_in_the_same_file_as_the_sheets(con, tmp_path):
    book = Book()
    framework_tree(book, FRAMEWORK, name=nfd("Điểm chuẩn"))  # sheet names typed in NFD
    sheet = sheet_rows()
    sheet[2] = ("a", "Đúng tiến độ", "25", "19", "18,5")
    t = book.kind_a(sheet, name=nfd("Đơn vị 1"))
    report = load(con, tmp_path, book, "ca_hai.xlsx")
    (w,) = [i for i in report.warnings if "bảng điểm chuẩn" in i.message]
    assert (w.sheet, w.cell) == ("Đơn vị 1", t.cell(2, "Chuẩn"))
    assert "sheet 'Điểm chuẩn' của tệp này" in w.message


def test_a_matrix_is_checked_once_not_per_unit(con, tmp_path):
    load(con, tmp_path, framework_book(), "khung.xlsx")
    book = Book()
    units = ["Sở Tài chính", "Sở Xây dựng", "Sở Y tế"]
    matrix = [(c, text, top, "1", "1", "1") for c, text, top, *_ in sheet_rows()]
    matrix[9] = ("2", "Kiểm tra, giám sát", "15", "1", "1", "1")
    book.kind_a2(units, matrix)
    report = load(con, tmp_path, book, "cheo.xlsx")
    diffs = [i for i in report.warnings if "bảng điểm chuẩn" in i.message]
    assert len(diffs) == 1


def test_a_sheet_loaded_before_its_framework_is_not_checked_then(con, tmp_path):
    book = Book()
    sheet = sheet_rows()
    sheet[2] = ("a", "Đúng tiến độ", "25", "19", "18,5")
    book.kind_a(sheet)
    report = load(con, tmp_path, book, "a.xlsx")
    assert not notes(report) and not [w for w in warnings(report) if "điểm chuẩn" in w]
    fw = load(con, tmp_path, framework_book(), "khung.xlsx")
    # The framework's own report says which loaded sheets differ from it.
    (w,) = [w for w in warnings(fw) if UNIT in w]
    assert "1 tiêu chí" in w and "trang Đơn vị" in w


# --- matching, as a pure function ----------------------------------------------------------------


def test_ordinals_of_mixed_code_styles():
    assert ordinals(["a", "b.", "C", "d."]) == [1, 2, 3, 4]
    assert ordinals(["I", "II", "III", "IV"]) == [1, 2, 3, 4]
    assert ordinals(["I"]) == [1]
    assert ordinals(["a1", "a.2", "C3", "b.2.5", "3.3.2.1"]) == [1, 2, 3, 5, 1]
    assert ordinals(["Tiêu chuẩn 2", "-", None, "+"]) == [2, None, None, None]


def _nodes(spec: list[tuple]) -> list[Node]:
    """(seq, parent, code, text, max) -> criterion nodes."""
    return [Node(s, p, c, t, "criterion", m, f"D{s}") for s, p, c, t, m in spec]


def test_a_flat_framework_pairs_with_lettered_codes_by_position_in_the_list():
    framework = _nodes(
        [
            (1, None, "1", "Tiêu chuẩn 1", 10),
            (2, 1, "1", "Mục a", 4),
            (3, 1, "2", "Mục b", 3),
            (4, 1, "3", "Mục c", 2),
            (5, 1, "4", "Mục d", 1),
        ]
    )
    sheet = _nodes(
        [
            (1, None, "1", "Tiêu chuẩn 1: Thực hiện tốt nhiệm vụ chuyên môn", 10),
            (2, 1, "a", "Quản lý đất đai", 4),
            (3, 1, "b.", "Tài nguyên nước", 3),
            (4, 1, "d.", "Thanh tra, kiểm tra", 1),  # c is missing: d pairs with Order 4
            (5, 4, "d1", "Chi tiết dưới d", 1),  # the framework stops at d: not compared
        ]
    )
    result = compare(sheet, framework)
    assert result.pairs == {1: 1, 2: 2, 3: 3, 4: 5}
    (missing,) = result.differences
    assert (missing.kind, missing.framework.criterion, missing.anchor.seq) == (
        "missing",
        "Mục c",
        1,
    )


def test_the_real_file_moved_and_retyped_gives_the_same_framework(con, tmp_path):
    """Title rows above, two columns inserted on the left, numbers retyped as text with a decimal
    comma, names in NFD: the same criteria come out."""
    wb = openpyxl.load_workbook(REAL)
    ws = wb.active
    ws.insert_cols(1, 2)
    ws.insert_rows(1, 4)
    ws["A1"] = "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG TỈNH TIỀN GIANG"
    ws["A2"] = "BẢNG ĐIỂM CHUẨN CHẤM ĐIỂM THI ĐUA NĂM 2022"
    ws["A3"] = "Cụm thi đua số 3"
    for row in ws.iter_rows(min_row=6):
        score, name = row[4:6]
        if isinstance(score.value, float):
            score.value = str(score.value).replace(".", ",")
        name.value = nfd(name.value)
    ws.cell(row=ws.max_row + 2, column=3, value="Người lập biểu")
    moved = tmp_path / "da_chuyen.xlsx"
    wb.save(moved)
    load_file(con, REAL, REAL_OPTIONS)
    keep = "seq, code, parent_seq, level, criterion, max_points, year, cluster"
    before = rows(con, f"SELECT {keep} FROM v_framework_criteria ORDER BY seq")
    report = load_file(con, moved)  # year and cluster from its own title block this time
    assert report.status == "loaded", [i.human() for i in report.errors]
    assert rows(con, f"SELECT {keep} FROM v_framework_criteria ORDER BY seq") == before


def test_a_framework_for_a_cluster_not_on_the_membership_list_is_refused(con, tmp_path):
    members = Book()
    members.kind_e([(1, UNIT, CLUSTER, "Cụm trưởng", None)])
    load(con, tmp_path, members, "ds.xlsx")
    book = framework_book(cluster="Cụm thi đua số 9")
    report = load_file(con, book.save(tmp_path / "khung.xlsx"))
    assert report.status == "refused"
    (error,) = report.errors
    assert "Cụm thi đua số 9" in error.message and CLUSTER in error.message
