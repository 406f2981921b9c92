"""What the clerk sees decides (issue #17, workbooks.md §1): number formats, formulas whose saved
values cannot be trusted, columns nobody reads, legacy encodings, and no English on stderr.

Each workbook is made the way the finding describes it: by an office in Excel (openpyxl, with
number formats set on the cells) or by a web system's export (XlsxWriter: formulas saved with a
placeholder 0, the workbook flagged to recalculate on opening), with a title block, merged
headers and signatures.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import load_workbook

from etl.load import load_file
from tests.etl.builders import Book, Title
from tests.etl.metamorphic import libreoffice, to_legacy
from tests.programs import libreoffice_missing


def rows(con, sql: str, params=()) -> list[dict]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def messages(report) -> list[str]:
    return [i.human() for i in report.issues]


# --- finding 1: a percent format is what the clerk sees --------------------------------------------

TARGETS = [
    (1, "Tỷ lệ hồ sơ giải quyết đúng hạn", "%", (0.9, "90,0%"), (0.925, "92,5%")),
    (2, "Tỷ lệ cán bộ được bồi dưỡng", "%", (0.95, "95,0%"), (0.875, "87,5%")),
    (3, "Số hóa hồ sơ lưu trữ", "hồ sơ", (12500, "12.500"), (13100, "13.100")),
]


def targets_book(path: Path, formatted: bool) -> Path:
    """Kind C as the unit types it; ``formatted``: numbers stored with a number format ("0.0%",
    "#,##0"), else the same figures typed as text."""
    book = Book()
    pick = 0 if formatted else 1
    t = book.kind_c(
        [(n, name, uom, plan[pick], act[pick], None, None) for n, name, uom, plan, act in TARGETS],
        title=Title(unit="Sở Tư pháp", cluster="Cụm thi đua số 2"),
    )
    if formatted:
        ws = book.wb[t.sheet]
        for i, (*_, uom, _p, _a) in enumerate(TARGETS):
            for col in ("Chỉ tiêu đăng ký", "Kết quả thực hiện"):
                ws[t.cell(i, col)].number_format = "0.0%" if uom == "%" else "#,##0"
    return book.save(path)


def test_a_percent_formatted_target_counts_as_the_clerk_sees_it(con, tmp_path):
    report = load_file(con, targets_book(tmp_path / "formatted.xlsx", formatted=True))
    assert report.status == "loaded", messages(report)
    got = rows(
        con,
        "SELECT target, planned, actual, planned_text, actual_text, met, completion_pct "
        "FROM v_target_completion ORDER BY seq",
    )
    first, second, third = got
    assert (first["planned"], first["actual"]) == (pytest.approx(90.0), pytest.approx(92.5))
    assert (first["planned_text"], first["actual_text"]) == ("90,0%", "92,5%")
    assert first["met"] is True
    assert first["completion_pct"] == pytest.approx(92.5 / 90 * 100)
    assert (second["planned"], second["actual"], second["met"]) == (95.0, 87.5, False)
    assert (third["planned"], third["planned_text"], third["actual_text"]) == (
        12500,
        "12.500",
        "13.100",
    )


def test_formatted_and_typed_targets_are_the_same_figures(con, tmp_path):
    sql = (
        "SELECT target, planned, actual, planned_text, actual_text, met, completion_pct "
        "FROM v_target_completion ORDER BY seq"
    )
    assert load_file(con, targets_book(tmp_path / "typed.xlsx", formatted=False)).status == "loaded"
    typed = rows(con, sql)
    assert load_file(con, targets_book(tmp_path / "fmt.xlsx", formatted=True)).status == "loaded"
    assert rows(con, sql) == typed


def indicators_book(path: Path, formatted: bool) -> Path:
    book = Book()
    values = [(0.9, "90%"), (0.915, "91,5%"), (0.925, "92,5%")]
    pick = 0 if formatted else 1
    t = book.kind_d(
        [
            (1, "Tỷ lệ trường học đạt chuẩn quốc gia", "%", "≥ 92%", *(v[pick] for v in values)),
            (2, "Tốc độ tăng trưởng GRDP", "%", "7 - 8", "6,1", "7,2", "8,05", "8"),
        ]
    )
    if formatted:
        ws = book.wb[t.sheet]
        for col in ("TH 2023", "TH 2024", "Ước 2025"):
            ws[t.cell(0, col)].number_format = "0.0%"
    return book.save(path)


def test_a_percent_formatted_indicator_is_judged_as_the_clerk_sees_it(con, tmp_path):
    report = load_file(con, indicators_book(tmp_path / "kt_xh.xlsx", formatted=True))
    assert report.status == "loaded", messages(report)
    got = rows(
        con,
        "SELECT year, value, value_kind, status FROM v_province_indicators "
        "WHERE indicator LIKE 'Tỷ lệ trường%' ORDER BY year",
    )
    assert [(r["year"], r["value"], r["status"]) for r in got] == [
        (2023, pytest.approx(90.0), "chưa đạt"),
        (2024, pytest.approx(91.5), "chưa đạt"),
        (2025, pytest.approx(92.5), "vượt"),
    ]


def test_formatted_and_typed_indicators_are_the_same_figures(con, tmp_path):
    sql = (
        "SELECT indicator, year, value, value_kind, status FROM v_province_indicators "
        "ORDER BY indicator, year"
    )
    assert load_file(con, indicators_book(tmp_path / "t.xlsx", formatted=False)).status == "loaded"
    typed = rows(con, sql)
    assert load_file(con, indicators_book(tmp_path / "f.xlsx", formatted=True)).status == "loaded"
    assert rows(con, sql) == typed


# --- finding 2: formulas saved with placeholders are computed -------------------------------------

UNITS = [
    ("Sở Tài chính", 95, 94.5, 2, 0),
    ("Sở Xây dựng", 93, 92, 1, 0.5),
    ("Sở Tư pháp", 90, 88, 0, 0),
    ("Sở Y tế", 92, 91, 1.5, 0),
    ("Sở Nội vụ", 89, 87.5, 0, 1),
    ("Sở Công Thương", 94, 93, 0.5, 0),
]


def web_export(path: Path, extra: dict[str, str] | None = None) -> Path:
    """A cluster summary as a web system exports it with XlsxWriter: a title block merged across
    the table, formulas for the total and the rank saved with the placeholder 0, signatures."""
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Tổng hợp")
    merge = wb.add_format({"align": "center", "bold": True})
    ws.merge_range("A1:C1", "UBND TỈNH LÂM ĐỒNG", merge)
    ws.merge_range("D1:H1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", merge)
    ws.merge_range("A2:C2", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", merge)
    ws.merge_range("D2:H2", "Độc lập - Tự do - Hạnh phúc", merge)
    ws.merge_range("A4:H4", "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM 2026", merge)
    ws.merge_range("A5:H5", "Cụm thi đua số 3", merge)
    ws.merge_range("A7:A8", "STT", merge)
    ws.merge_range("B7:B8", "Tên đơn vị", merge)
    ws.merge_range("C7:F7", "ĐIỂM", merge)
    ws.write_row("C8", ["Điểm tự chấm", "Điểm cụm chấm", "Điểm thưởng", "Điểm trừ"])
    ws.merge_range("G7:G8", "Tổng điểm", merge)
    ws.merge_range("H7:H8", "Xếp hạng", merge)
    first, last = 9, 9 + len(UNITS) - 1
    for i, (unit, own, assessed, bonus, deduction) in enumerate(UNITS):
        r = first + i
        ws.write_row(f"A{r}", [i + 1, unit, own, assessed, bonus, deduction])
        ws.write_formula(f"G{r}", f"=D{r}+E{r}-F{r}")
        ws.write_formula(f"H{r}", f"=RANK(G{r},$G${first}:$G${last})")
    for ref, formula in (extra or {}).items():
        ws.write_formula(ref, formula)
    ws.write(f"B{last + 2}", "Người lập biểu")
    ws.write(f"F{last + 2}", "TM. HỘI ĐỒNG THI ĐUA")
    ws.write(f"F{last + 6}", "Nguyễn Văn An")
    wb.close()
    return path


def test_a_web_export_with_placeholder_formulas_loads_the_computed_totals(con, tmp_path):
    report = load_file(con, web_export(tmp_path / "tong_hop.xlsx"))
    assert report.status == "loaded", messages(report)
    got = {
        r["unit"]: r
        for r in rows(con, "SELECT unit, total_score, rank, file_rank FROM v_unit_scores")
    }
    for unit, _own, assessed, bonus, deduction in UNITS:
        assert got[unit]["total_score"] == pytest.approx(assessed + bonus - deduction), unit
    assert [u for u, r in sorted(got.items(), key=lambda kv: kv[1]["rank"])][:2] == [
        "Sở Tài chính",
        "Sở Công Thương",
    ]
    assert got["Sở Tài chính"]["file_rank"] == 1
    assert not any("xếp hạng" in m.lower() for m in messages(report)), messages(report)
    notes = [i for s in report.sheets for i in s.notes]
    assert any("tính lại" in n.message for n in notes)


def test_a_formula_that_cannot_be_computed_is_an_error_naming_the_cell(tmp_path, con):
    path = web_export(tmp_path / "tong_hop.xlsx", {"E10": "=KHONGCO(D10)", "H11": "=KHONGCO(1)"})
    report = load_file(con, path)
    assert report.status == "refused"
    assert {i.cell for i in report.errors} >= {"E10", "H11"}, messages(report)
    # One cause, one message: no rank warning from the placeholder 0 left in H11.
    assert not any("xếp hạng" in m.lower() for m in messages(report)), messages(report)
    assert rows(con, "SELECT * FROM v_unit_scores") == []


# --- finding 3: no column dropped silently --------------------------------------------------------


def test_an_estimate_column_named_with_its_year_is_read_as_estimates(con, tmp_path):
    book = Book()
    book.kind_d(
        [
            (1, "Tốc độ tăng trưởng GRDP", "%", "7 - 8", "6,1", "7,2", "8,05"),
            (2, "Tỷ lệ hộ nghèo", "%", "giảm 1 - 1,5", "2,87", "1,94", "1,09"),
        ],
        columns=(
            "Chỉ tiêu",
            "ĐVT",
            "Mục tiêu NQ",
            "Thực hiện năm 2023",
            "Thực hiện năm 2024",
            "Ước thực hiện năm 2025",
        ),
    )
    report = load_file(con, book.save(tmp_path / "kt_xh.xlsx"))
    assert report.status == "loaded", messages(report)
    got = rows(
        con,
        "SELECT indicator, year, value, value_kind FROM v_province_indicators "
        "WHERE year = 2025 ORDER BY value",
    )
    assert [(r["year"], r["value"], r["value_kind"]) for r in got] == [
        (2025, pytest.approx(1.09), "estimate"),
        (2025, pytest.approx(8.05), "estimate"),
    ]


def test_a_column_nobody_reads_is_named_in_a_warning(con, tmp_path):
    book = Book()
    t = book.kind_d(
        [
            (1, "Tốc độ tăng trưởng GRDP", "%", "7 - 8", "6,1", "7,2", "Khá"),
            (2, "Tỷ lệ hộ nghèo", "%", "giảm 1 - 1,5", "2,87", "1,94", "Tốt"),
        ],
        columns=("Chỉ tiêu", "ĐVT", "Mục tiêu NQ", "TH 2023", "TH 2024", "Đánh giá chung"),
    )
    report = load_file(con, book.save(tmp_path / "kt_xh.xlsx"))
    assert report.status == "loaded", messages(report)
    col = t.columns["Đánh giá chung"]
    unread = [w for w in report.warnings if "Đánh giá chung" in w.message]
    assert len(unread) == 1, messages(report)
    assert f"Cột {col}" in unread[0].message


# --- finding 7: legacy encodings are converted ----------------------------------------------------


@pytest.mark.parametrize("encoding", ["TCVN3", "VNI"])
def test_a_sheet_typed_in_a_legacy_encoding_loads_converted(con, tmp_path, encoding):
    book = Book()
    book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", "55,5", "54"),
            ("II", "Công tác xây dựng Đảng", "40", "38", "37"),
        ],
        title=Title(unit="Sở Tài chính", nfd_names=False),
    )
    path = book.save(tmp_path / "legacy.xlsx")
    wb = load_workbook(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.value = to_legacy(cell.value, encoding)
    wb.save(path)
    report = load_file(con, path)
    assert report.status == "loaded", messages(report)
    legacy = [i for i in report.issues if encoding in i.message]
    assert len(legacy) == 1 and legacy[0].severity == "warning", messages(report)
    assert "Sở Tài chính" in legacy[0].message  # the converted name, for the clerk to confirm
    assert not any("Hãy dùng mẫu" in m for m in messages(report))
    (u,) = rows(con, "SELECT unit, cluster, self_score FROM v_unit_scores")
    assert (u["unit"], u["cluster"], u["self_score"]) == ("Sở Tài chính", "Cụm thi đua số 4", 93.5)
    names = [r["criterion"] for r in rows(con, "SELECT criterion FROM v_criterion_scores")]
    assert names == ["Công tác chuyên môn", "Công tác xây dựng Đảng"]


def test_legacy_text_that_cannot_be_decoded_gives_one_message_per_cell(con, tmp_path):
    book = Book()
    t = book.kind_a(
        [
            ("I", "C«ng t¸c chuyªn m«n", "60", "55,5", "54"),
            ("II", "Qu¶n lý Müller", "40", "38", "37"),
        ],
        title=Title(unit="Së Tµi chÝnh", nfd_names=False),
    )
    report = load_file(con, book.save(tmp_path / "legacy.xlsx"))
    assert report.status == "refused"
    assert [i.cell for i in report.errors] == [t.cell(1, "Nội dung tiêu chí")], messages(report)
    assert not any("Hãy dùng mẫu" in m for m in messages(report))


# --- nothing English on stderr --------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


# Whether Calc is installed is read from LibreOffice's registry (tests/programs.py), not by a
# trial conversion: each one starts LibreOffice, seconds per test.
CALC_MISSING = libreoffice_missing("calc")


@pytest.fixture(scope="module")
def saved_as(tmp_path_factory) -> dict[str, Path]:
    """A scoring sheet (``cham_diem``) and formatted targets (``chi_tieu``) saved by LibreOffice
    Calc as .xls and .ods: one soffice run per format for the module (seconds each), under
    "<name>.<fmt>"."""
    if CALC_MISSING is not None:
        pytest.skip(CALC_MISSING)
    tmp = tmp_path_factory.mktemp("saved_as")
    book = Book()
    book.kind_a(
        [("I", "Công tác chuyên môn", "60", "55,5", 54), ("II", "Công tác Đảng", 40, 38, 37)]
    )
    sources = [book.save(tmp / "cham_diem.xlsx"), targets_book(tmp / "chi_tieu.xlsx", True)]
    for fmt in ("xls", "ods"):
        libreoffice(sources, fmt, tmp / fmt, profile=tmp / "lo")
    return {
        f"{src.stem}.{fmt}": tmp / fmt / f"{src.stem}.{fmt}"
        for src in sources
        for fmt in ("xls", "ods")
    }


def own_copy(saved_as: dict[str, Path], name: str, tmp_path: Path) -> Path:
    """This test's copy of a file of ``saved_as``."""
    return Path(shutil.copy2(saved_as[name], tmp_path / name))


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_loading_a_legacy_format_prints_nothing_on_stderr(db_file, tmp_path, fmt, saved_as):
    src = own_copy(saved_as, f"cham_diem.{fmt}", tmp_path)
    # In its own process, as the clerk's command runs: pytest would capture library logging.
    done = subprocess.run(
        [sys.executable, "-m", "etl", "validate", str(src)],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT), "THIDUA_DB": str(db_file)},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout
    assert "hợp lệ" in done.stdout
    assert done.stderr == ""


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_percent_and_thousands_formats_survive_saving_as_xls_or_ods(con, tmp_path, fmt, saved_as):
    report = load_file(con, own_copy(saved_as, f"chi_tieu.{fmt}", tmp_path))
    assert report.status == "loaded", messages(report)
    got = rows(
        con,
        "SELECT planned, actual, planned_text, actual_text FROM v_target_completion ORDER BY seq",
    )
    assert [tuple(r.values()) for r in got] == [
        (90.0, 92.5, "90,0%", "92,5%"),
        (95.0, 87.5, "95,0%", "87,5%"),
        (12500.0, 13100.0, "12.500", "13.100"),
    ]
