"""Held-out check of issue 17: workbooks made the way offices make them, from the spec alone.

Each test builds its file the way the probe file that found the defect was made (XlsxWriter
exports saved again by LibreOffice, footnotes typed in the STT column, an impossible date in the
date line, a score typed over its criterion's maximum) and asserts what the clerk or the leader
would notice.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest
import xlsxwriter
from openpyxl import Workbook

from etl.load import load_file
from tests.etl.metamorphic import libreoffice
from tests.programs import libreoffice_missing

CALC_MISSING = libreoffice_missing("calc")


def rows(con, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def messages(report) -> list[str]:
    return [i.human() for s in report.sheets for i in s.issues] + [
        i.human() for i in report.file_issues
    ]


def warnings_at(report, cell: str) -> list:
    """The warnings the clerk is shown at ``cell`` (any sheet)."""
    return [i for s in report.sheets for i in s.warnings if i.cell == cell]


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """The two exports (``export_summary``, ``export_scoring_sheet``) as written, under
    ("tong_hop" | "cham_diem", "export"), and saved again by LibreOffice as .xlsx, .xls and .ods,
    under (name, fmt): one soffice run per format for the module, not one per test (seconds
    each)."""
    if CALC_MISSING is not None:
        pytest.skip(CALC_MISSING)
    tmp = tmp_path_factory.mktemp("saved_by_libreoffice")
    sources = [export_summary(tmp / "tong_hop.xlsx"), export_scoring_sheet(tmp / "cham_diem.xlsx")]
    out = {(src.stem, "export"): src for src in sources}
    for fmt in ("xlsx", "xls", "ods"):
        copies = libreoffice(sources, fmt, tmp / fmt, profile=tmp / "lo")
        for src, copy in zip(sources, copies, strict=True):
            out[src.stem, fmt] = copy
    return out


def own_copy(saved: dict[tuple[str, str], Path], name: str, fmt: str, tmp_path: Path) -> Path:
    """This test's copy of a file of ``saved`` (a load keeps and names the file it was given)."""
    src = saved[name, fmt]
    (tmp_path / fmt).mkdir(exist_ok=True)
    return Path(shutil.copy2(src, tmp_path / fmt / src.name))


def export_summary(path: Path) -> Path:
    """A cluster summary as a web system exports it (XlsxWriter): every total a formula saved
    with the placeholder 0, the workbook flagged to recalculate on opening."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Tổng hợp")
    ws.write("A1", "ĐẢNG BỘ TỈNH LÂM ĐỒNG")
    ws.write("A2", "KHỐI THI ĐUA SỐ 2")
    ws.write("A4", "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM 2026")
    heads = ["STT", "Tên đơn vị", "Điểm tự chấm", "Điểm khối chấm", "Điểm cộng", "Điểm trừ",
             "Tổng điểm", "Xếp hạng"]  # fmt: skip
    ws.write_row(6, 0, heads)
    data = [
        ("Ban Tổ chức Tỉnh ủy", 98, 96.5, 1, 0, "Nhất"),
        ("Ban Tuyên giáo và Dân vận Tỉnh ủy", 97, 95, 0.5, 0, "Nhì"),
        ("Văn phòng Tỉnh ủy", 90, 85, 0, 1, "Ba"),
    ]
    for i, (unit, s, a, bonus, ded, rank) in enumerate(data):
        r = 7 + i
        ws.write_row(r, 0, [i + 1, unit, s, a, bonus, ded])
        ws.write_formula(r, 6, f"=D{r + 1}+E{r + 1}-F{r + 1}", None, 0)
        ws.write(r, 7, rank)
    ws.write(11, 1, "Bình quân")
    ws.write_formula(11, 6, "=AVERAGE(G8:G10)", None, 0)
    wb.close()
    return path


def export_scoring_sheet(path: Path) -> Path:
    """One unit's self-scoring sheet exported by XlsxWriter: the total row's maximum and score
    are formulas saved with the placeholder 0."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sở Y tế")
    ws.write("A1", "UBND TỈNH LÂM ĐỒNG")
    ws.write("A2", "SỞ Y TẾ")
    ws.write("A4", "BẢNG TỰ CHẤM ĐIỂM THI ĐUA NĂM 2026")
    ws.write("A5", "CỤM THI ĐUA SỐ 5")
    ws.write("A6", "Đơn vị: Sở Y tế")
    ws.write_row("A8", ["TT", "Tiêu chí thi đua", "Điểm tối đa", "Điểm tự chấm"])
    ws.write_row("A9", ["I", "Thực hiện nhiệm vụ chính trị", 70])
    ws.write_row("A10", ["1", "Kết quả thực hiện chỉ tiêu", 40, 38])
    ws.write_row("A11", ["2", "Cải cách hành chính", 30, "28,5"])
    ws.write_row("A12", ["II", "Công tác xây dựng Đảng và đoàn thể", 30, 29])
    ws.write(13, 1, "Tổng cộng")
    ws.write_formula(13, 2, "=C9+C12", None, 0)
    ws.write_formula(13, 3, "=D10+D11+D12", None, 0)
    wb.close()
    return path


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_an_export_saved_again_by_libreoffice_never_loads_its_placeholder_totals(
    con, tmp_path, fmt, saved
):
    # LibreOffice does not recalculate such an export on opening: the .xls or .ods it saves keeps
    # 0 as every total's saved value, and no flag says so any more.
    report = load_file(con, own_copy(saved, "tong_hop", fmt, tmp_path))
    assert report.status == "loaded", messages(report)
    got = rows(con, "SELECT unit, total_score, rank FROM v_unit_scores ORDER BY rank")
    assert [(r["unit"], r["total_score"], r["rank"]) for r in got] == [
        ("Ban Tổ chức Tỉnh ủy", 97.5, 1),  # 96,5 + 1 − 0
        ("Ban Tuyên giáo và Dân vận Tỉnh ủy", 95.5, 2),  # 95 + 0,5
        ("Văn phòng Tỉnh ủy", 84.0, 3),  # 85 − 1
    ]
    warned = [i for s in report.sheets for i in s.issues if i.cell == "G8"]
    assert warned and "0" in warned[0].message and "97,5" in warned[0].message
    # no rank disagreement derived from a placeholder
    assert not any("theo tổng điểm 0" in m for m in messages(report))


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_an_export_and_its_copy_saved_by_libreoffice_give_the_same_views(tmp_path, fmt, saved):
    """The export as the web system wrote it (recalculated on reading) and the clerk's copy saved
    again by LibreOffice (placeholder 0s kept, no flag): every view row the same, the total the
    file states included."""
    from etl import db

    from .snapshots import view_contents

    seen = []
    for name, form in (("xuat", "export"), ("luu_lai", fmt)):
        path = own_copy(saved, "tong_hop", form, tmp_path)
        con = db.connect(tmp_path / name / "thidua.duckdb")
        report = load_file(con, path)
        assert report.status == "loaded", messages(report)
        seen.append(view_contents(con, ignore=("source_file", "loaded_at", "file_name", "sha256")))
        db.close_all()
    assert seen[0] == seen[1]


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_a_placeholder_maximum_in_the_total_row_is_not_the_sheets_maximum(
    con, tmp_path, fmt, saved
):
    report = load_file(con, own_copy(saved, "cham_diem", fmt, tmp_path))
    assert report.status == "loaded", messages(report)
    (unit,) = rows(con, "SELECT * FROM v_unit_scores")
    assert unit["self_score"] == 95.5  # 38 + 28,5 + 29
    assert unit["max_score"] == 100.0  # 70 + 30, not the saved 0
    assert unit["classification"] == "Hoàn thành xuất sắc nhiệm vụ"
    assert not any("vượt điểm tối đa 0" in m for m in messages(report))
    assert warnings_at(report, "C14"), messages(report)


def scoring_with_footnote(path: Path, self_scores=(28.5, 30, 38)) -> Path:
    """A scoring sheet whose footnote is typed in the STT column under the total row, as
    offices type "* Ghi chú: …" below a table."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Chấm điểm"
    ws["A1"] = "UBND TỈNH LÂM ĐỒNG"
    ws["A3"] = "BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2026"
    ws["A4"] = "Đơn vị: Sở Tài chính"
    ws["A5"] = "Cụm thi đua số 3"
    for j, h in enumerate(["STT", "Nội dung tiêu chí", "Điểm chuẩn", "Tự chấm", "Cụm chấm"]):
        ws.cell(7, j + 1, h)
    data = [
        ("I", "CÔNG TÁC CHUYÊN MÔN", 60, None, None),
        ("1", "Hoàn thành kế hoạch công tác năm", 30, self_scores[0], 28),
        ("2", "Cải cách hành chính", 30, self_scores[1], 29.5),
        ("II", "CÔNG TÁC XÂY DỰNG ĐẢNG", 40, self_scores[2], 37),
    ]
    for i, row in enumerate(data):
        for j, v in enumerate(row):
            if v is not None:
                ws.cell(8 + i, j + 1, v)
    ws["B12"] = "TỔNG CỘNG"
    ws["C12"] = 100
    ws["A14"] = "* Ghi chú: Điểm cụm chấm theo biên bản họp cụm ngày 10/12/2026."
    ws["B16"] = "NGƯỜI LẬP BIỂU"
    ws["D16"] = "THỦ TRƯỞNG ĐƠN VỊ"
    wb.save(path)
    return path


def test_a_footnote_typed_in_the_stt_column_is_not_a_criterion(con, tmp_path):
    report = load_file(con, scoring_with_footnote(tmp_path / "cham_diem.xlsx"))
    assert report.status == "loaded", messages(report)
    got = rows(con, "SELECT code, criterion FROM v_criterion_scores ORDER BY seq")
    assert [r["code"] for r in got] == ["I", "1", "2", "II"]
    (unit,) = rows(con, "SELECT * FROM v_unit_scores")
    assert unit["assessed_score"] == 94.5  # 28 + 29,5 + 37


def test_a_score_over_its_criterions_maximum_is_named_to_the_clerk(con, tmp_path):
    # 32 typed where the criterion allows 30: a typo the clerk must be told about, by its cell.
    path = scoring_with_footnote(tmp_path / "cham_diem.xlsx", self_scores=(32, 30, 38))
    report = load_file(con, path)
    assert report.status == "loaded", messages(report)
    over = warnings_at(report, "D9")
    assert over, messages(report)
    assert "32" in over[0].message and "30" in over[0].message


def targets_with_date(path: Path, date_line: str) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Chỉ tiêu"
    ws["A1"] = "UBND TỈNH LÂM ĐỒNG"
    ws["D1"] = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["D3"] = date_line
    ws["A4"] = "ĐĂNG KÝ VÀ KẾT QUẢ THỰC HIỆN CHỈ TIÊU THI ĐUA NĂM 2026"
    ws["A5"] = "Đơn vị: Sở Tư pháp"
    ws["A6"] = "Cụm thi đua số 3"
    for j, h in enumerate(["STT", "Nội dung chỉ tiêu", "ĐVT", "Chỉ tiêu đăng ký", "Kết quả"]):
        ws.cell(8, j + 1, h)
    ws.append([1, "Thu ngân sách nhà nước", "tỷ đồng", "12.489,4", 13100])
    ws.append([2, "Số hồ sơ trễ hạn không quá", "hồ sơ", 5, 3])
    wb.save(path)
    return path


def test_an_impossible_date_in_the_date_line_is_named_not_ignored(con, tmp_path):
    path = targets_with_date(tmp_path / "chi_tieu.xlsx", "Lâm Đồng, ngày 31 tháng 02 năm 2026")
    report = load_file(con, path)
    assert report.status == "loaded", messages(report)
    bad = warnings_at(report, "D3")
    assert bad, messages(report)
    assert "31" in bad[0].message and "ngày" in bad[0].message


def test_a_real_date_in_the_date_line_raises_no_warning(con, tmp_path):
    path = targets_with_date(tmp_path / "chi_tieu.xlsx", "Lâm Đồng, ngày 28 tháng 02 năm 2026")
    report = load_file(con, path)
    assert report.status == "loaded", messages(report)
    assert not warnings_at(report, "D3")
    (sub,) = rows(con, "SELECT submitted_on FROM v_submissions WHERE submitted_on IS NOT NULL")
    assert str(sub["submitted_on"]) == "2026-02-28"


def test_a_hidden_older_copy_of_a_read_column_is_named_as_such(con, tmp_path):
    # The office hid its first count ("Thực hiện (lần 1)") before the column it now reports:
    # the clerk must be told why it is not read, not asked to rename it after the template.
    wb = Workbook()
    ws = wb.active
    ws.title = "Quý III"
    ws["A1"] = "KẾT QUẢ THỰC HIỆN CHỈ TIÊU THI ĐUA QUÝ III NĂM 2026"
    ws["A2"] = "Đơn vị: Sở Nội vụ"
    ws["A3"] = "Cụm thi đua số 3"
    heads = ["STT", "Nội dung chỉ tiêu", "ĐVT", "Chỉ tiêu đăng ký", "Thực hiện (lần 1)",
             "Kết quả thực hiện"]  # fmt: skip
    for j, h in enumerate(heads):
        ws.cell(5, j + 1, h)
    ws.append([1, "Thu ngân sách nhà nước", "tỷ đồng", 12000, 9000, 13100])
    ws.append([2, "Số hồ sơ trễ hạn không quá", "hồ sơ", 5, 9, 3])
    ws.column_dimensions["E"].hidden = True
    wb.save(tmp_path / "quy3.xlsx")
    report = load_file(con, tmp_path / "quy3.xlsx")
    assert report.status == "loaded", messages(report)
    got = rows(con, "SELECT actual FROM v_target_completion ORDER BY source_row")
    assert [r["actual"] for r in got] == [13100.0, 3.0]
    named = [i for s in report.sheets for i in s.warnings if "Thực hiện (lần 1)" in i.message]
    assert len(named) == 1, messages(report)
    assert named[0].cell == "E5"
    assert "cột F" in named[0].message
    assert "không ứng với nội dung" not in named[0].message


def test_a_date_line_typed_as_a_date_cell_is_the_documents_date(con, tmp_path, monkeypatch):
    # Offices type the date line once as a real date with a custom format that carries the
    # place: the clerk sees "Lâm Đồng, ngày 18 tháng 06 năm 2026" and the report was on time.
    import datetime as dt

    monkeypatch.setenv("THIDUA_TODAY", "2026-12-07")
    wb = Workbook()
    ws = wb.active
    ws.title = "6 tháng"
    ws["A1"] = "UBND TỈNH LÂM ĐỒNG"
    ws["A2"] = "SỞ XÂY DỰNG"
    ws["D2"] = dt.datetime(2026, 6, 18)
    ws["D2"].number_format = '"Lâm Đồng, ngày "dd" tháng "mm" năm "yyyy'
    ws["A4"] = "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU THI ĐUA 6 THÁNG ĐẦU NĂM 2026"
    ws["A5"] = "Đơn vị: Sở Xây dựng"
    ws["A6"] = "Cụm thi đua số 5"
    for j, h in enumerate(["STT", "Tên chỉ tiêu", "ĐVT", "KH năm", "Ước thực hiện"]):
        ws.cell(8, j + 1, h)
    ws.append([1, "Cấp giấy phép xây dựng đúng hạn", "%", "100%", "98%"])
    wb.save(tmp_path / "sau_thang.xlsx")
    report = load_file(con, tmp_path / "sau_thang.xlsx")
    assert report.status == "loaded", messages(report)
    (sub,) = rows(con, "SELECT * FROM v_submissions WHERE period = 'H1'")
    assert str(sub["submitted_on"]) == "2026-06-18"
    assert sub["status"] == "đúng hạn"


def test_a_plain_number_is_kept_as_the_clerk_sees_it_with_a_decimal_comma(con, tmp_path):
    # 7.5 stored as a number in a General cell shows "7,5" on a Vietnamese machine; typed as
    # text "7.5" it shows as typed.
    wb = Workbook()
    ws = wb.active
    ws.title = "Đăng ký"
    ws["A1"] = "ĐĂNG KÝ CHỈ TIÊU THI ĐUA NĂM 2026"
    ws["A2"] = "Đơn vị: Sở Y tế"
    ws["A3"] = "Cụm thi đua số 5"
    for j, h in enumerate(["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "Chiều"]):
        ws.cell(5, j + 1, h)
    ws.append([1, "Tỷ lệ tử vong sơ sinh", "‰", 8, 7.5, "giảm"])
    ws.append([2, "Số giường bệnh/vạn dân", "giường", "30,5", "31.0", "tăng"])
    wb.save(tmp_path / "dang_ky.xlsx")
    report = load_file(con, tmp_path / "dang_ky.xlsx")
    assert report.status == "loaded", messages(report)
    got = rows(con, "SELECT planned_text, actual_text FROM v_target_completion ORDER BY source_row")
    assert [(r["planned_text"], r["actual_text"]) for r in got] == [
        ("8", "7,5"),
        ("30,5", "31.0"),
    ]


def targets_with_footer(path: Path, footer) -> Path:
    """A target sheet whose only date line sits under the table, above the signatures."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Chỉ tiêu"
    ws["A1"] = "KẾT QUẢ THỰC HIỆN CHỈ TIÊU THI ĐUA SƠ KẾT 6 THÁNG ĐẦU NĂM 2026"
    ws["A2"] = "Đơn vị: Sở Tư pháp"
    ws["A3"] = "Cụm thi đua số 3"
    for j, h in enumerate(["STT", "Nội dung chỉ tiêu", "ĐVT", "Chỉ tiêu đăng ký", "Kết quả"]):
        ws.cell(5, j + 1, h)
    ws.append([1, "Thu ngân sách nhà nước", "tỷ đồng", 12000, 13100])
    ws["D9"] = footer
    if not isinstance(footer, str):
        ws["D9"].number_format = '"Lâm Đồng, ngày "dd" tháng "mm" năm "yyyy'
    ws["D10"] = "GIÁM ĐỐC"
    wb.save(path)
    return path


def test_an_impossible_date_under_the_table_is_named(con, tmp_path):
    path = targets_with_footer(tmp_path / "ct.xlsx", "Lâm Đồng, ngày 31 tháng 6 năm 2026")
    report = load_file(con, path)
    assert report.status == "loaded", messages(report)
    bad = warnings_at(report, "D9")
    assert bad and "31" in bad[0].message, messages(report)


def test_a_date_cell_under_the_table_is_the_documents_date(con, tmp_path, monkeypatch):
    import datetime as dt

    monkeypatch.setenv("THIDUA_TODAY", "2026-12-07")
    path = targets_with_footer(tmp_path / "ct.xlsx", dt.datetime(2026, 6, 19))
    report = load_file(con, path)
    assert report.status == "loaded", messages(report)
    (sub,) = rows(con, "SELECT * FROM v_submissions WHERE period = 'H1'")
    assert (str(sub["submitted_on"]), sub["status"]) == ("2026-06-19", "đúng hạn")


ENGLISH = ("usage:", "positional arguments", "options:", "show this help", "the following",
           "invalid choice", "expected one argument", "unrecognized arguments", "choose from")  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [["load"], ["frobnicate"], ["load", "--year"], ["load", "--zz", "a.xlsx"], ["--help"],
     ["load", "--help"]],
)  # fmt: skip
def test_the_command_line_speaks_vietnamese_on_bad_usage_and_help(capsys, db_file, args):
    from etl import cli

    with contextlib.suppress(SystemExit):
        cli.main(args)
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert said.strip()
    assert not [w for w in ENGLISH if w in said], said


def test_a_csv_renamed_to_xlsx_is_called_a_text_file(con, tmp_path):
    path = tmp_path / "tong_hop.xlsx"
    path.write_text("STT,Tên đơn vị,Tổng điểm\n1,Sở Y tế,95\n", encoding="utf-8")
    report = load_file(con, path)
    assert report.status == "refused"
    (msg,) = messages(report)
    assert "CSV" in msg
    assert "tệp không phải bảng tính, không phải bảng tính" not in msg


def test_a_roman_coded_deduction_section_after_numbered_criteria_is_top_level(con, tmp_path):
    # Criteria numbered 1, 2, then the deduction section coded "III" as offices number their
    # sections: the deduction is the unit's, not detail under criterion 2.
    wb = Workbook()
    ws = wb.active
    ws.title = "Sở Y tế"
    ws["A1"] = "BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2026"
    ws["A2"] = "Đơn vị: Sở Y tế"
    ws["A3"] = "Cụm thi đua số 5"
    for j, h in enumerate(["STT", "Nội dung", "Điểm chuẩn", "Điểm tự chấm", "Điểm thẩm định"]):
        ws.cell(5, j + 1, h)
    ws.append(["1", "Công tác chuyên môn", 70, 70, "69,5"])
    ws.append(["2", "Công tác Đảng", 30, 29, 28])
    ws.append(["III", "Trừ điểm", None, None, None])
    ws.append(["-", "Để xảy ra khiếu nại vượt cấp", None, 1, 1])
    ws.append(["IV", "Điểm thưởng", None, None, None])
    ws.append(["-", "Sáng kiến cấp tỉnh", None, "0,5", "0,5"])
    wb.save(tmp_path / "y_te.xlsx")
    report = load_file(con, tmp_path / "y_te.xlsx")
    assert report.status == "loaded", messages(report)
    (unit,) = rows(con, "SELECT * FROM v_unit_scores")
    # 70 + 29 − 1 + 0,5 and 69,5 + 28 − 1 + 0,5
    assert (unit["self_score"], unit["assessed_score"], unit["deduction"]) == (98.5, 97.0, 1.0)
    got = rows(con, "SELECT code, parent_seq, level FROM v_criterion_scores ORDER BY seq")
    assert [(r["code"], r["parent_seq"], r["level"]) for r in got] == [
        ("1", None, 1),
        ("2", None, 1),
        ("III", None, 1),
        ("-", 3, 2),
        ("IV", None, 1),
        ("-", 5, 2),
    ]


def test_a_unit_sheet_without_a_unit_line_is_told_how_its_sheet_name_can_be_used(con, tmp_path):
    # One sheet per unit, named after the unit, no "Đơn vị:" line and no membership list yet.
    wb = Workbook()
    ws = wb.active
    ws.title = "Sở Y tế"
    ws["A1"] = "BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2026 - CỤM THI ĐUA SỐ 5"
    for j, h in enumerate(["STT", "Nội dung", "Điểm chuẩn", "Điểm tự chấm"]):
        ws.cell(3, j + 1, h)
    ws.append(["I", "Chuyên môn", 60, 58])
    ws.append(["II", "Xây dựng Đảng", 40, "37,5"])
    wb.save(tmp_path / "cum5.xlsx")
    report = load_file(con, tmp_path / "cum5.xlsx")
    assert report.status == "refused"
    (msg,) = messages(report)
    assert "'Sở Y tế'" in msg and "danh sách cụm, khối thi đua năm 2026" in msg
