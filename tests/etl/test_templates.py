"""Tests for etl.kinds.templates: the blank, styled workbook templates of each kind."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from etl.kinds.registry import CODES as KINDS
from etl.kinds.registry import write_template
from etl.kinds.templates import (
    EXAMPLE_NOTE,
    INSTRUCTIONS_SHEET,
    NUMBER_ERROR,
    VALIDATED_ROWS,
)

# The canonical header names of workbooks.md, first header row (and second row for A2).
EXPECTED_HEADERS: dict[str, list[str]] = {
    "A": ["STT", "Nội dung tiêu chí", "Điểm chuẩn", "Điểm tự chấm", "Điểm cụm chấm", "Ghi chú"],
    "A2": ["STT", "Nội dung tiêu chí", "Điểm chuẩn", "Đơn vị 1", "Đơn vị 2", "Ghi chú"],
    "B": [
        "STT",
        "Đơn vị",
        "Điểm tự chấm",
        "Điểm cụm chấm",
        "Điểm thưởng",
        "Điểm trừ",
        "Tổng điểm",
        "Xếp hạng",
        "Xếp loại",
        "Đề nghị khen thưởng",
        "Ghi chú",
    ],
    "C": [
        "STT",
        "Chỉ tiêu",
        "ĐVT",
        "Chỉ tiêu đăng ký",
        "Kết quả thực hiện",
        "Tỷ lệ (%)",
        "Chiều (tăng/giảm)",
        "Ghi chú",
    ],
    "D": [
        "STT",
        "Chỉ tiêu",
        "ĐVT",
        "Mục tiêu NQ",
        "TH 2021",
        "TH 2022",
        "TH 2023",
        "TH 2024",
        "Ước 2025",
        "Nguồn",
        "Ghi chú",
    ],
    "E": ["STT", "Đơn vị", "Tên viết tắt", "Cụm/Khối thi đua", "Vai trò", "Năm"],
    "F": ["STT", "Nội dung tiêu chí", "Điểm chuẩn", "Thưởng", "Trừ", "Ghi chú"],
    "G": ["STT", "Tên tập thể", "Hình thức khen thưởng", "Thành tích", "Số quyết định", "Ghi chú"],
    "H": ["STT", "Đợt thi đua", "Chủ đề", "Từ ngày", "Đến ngày", "Ghi chú"],
}

NUMERIC_HEADER: dict[str, str] = {
    "A": "Điểm chuẩn",
    "A2": "Điểm chuẩn",
    "B": "Tổng điểm",
    "C": "Tỷ lệ (%)",
    "D": "TH 2023",
    "F": "Điểm chuẩn",
}


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("templates")
    return {kind: write_template(kind, out / f"mau_{kind}.xlsx", year=2026) for kind in KINDS}


def _main(path: Path) -> Worksheet:
    return openpyxl.load_workbook(path).worksheets[0]


def _header_row(ws: Worksheet) -> int:
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == "STT":
            return row[0].row
    raise AssertionError("no header row")


def _row_values(ws: Worksheet, row: int) -> list[object]:
    return [ws.cell(row=row, column=c).value for c in range(1, ws.max_column + 1)]


def _column_of(ws: Worksheet, header: str) -> int:
    values = _row_values(ws, _header_row(ws))
    return values.index(header) + 1


def _covered_rows(sqref: str, column: int) -> set[int]:
    rows: set[int] = set()
    for part in str(sqref).split():
        a, _, b = part.partition(":")
        b = b or a
        col_a = column_index_from_string("".join(ch for ch in a if ch.isalpha()))
        col_b = column_index_from_string("".join(ch for ch in b if ch.isalpha()))
        if col_a <= column <= col_b:
            lo = int("".join(ch for ch in a if ch.isdigit()))
            hi = int("".join(ch for ch in b if ch.isdigit()))
            rows.update(range(lo, hi + 1))
    return rows


def test_kinds() -> None:
    assert KINDS == ("A", "A2", "B", "C", "D", "E", "F", "G", "H")


@pytest.mark.parametrize("kind", KINDS)
def test_writes_and_opens_with_instructions(books: dict[str, Path], kind: str) -> None:
    path = books[kind]
    assert path.is_file()
    wb = openpyxl.load_workbook(path)
    assert len(wb.sheetnames) == 2
    assert wb.sheetnames[1] == INSTRUCTIONS_SHEET
    assert wb.active is not None and wb.active.title == wb.sheetnames[0]
    guide = "\n".join(
        str(v) for row in wb[INSTRUCTIONS_SHEET].iter_rows(values_only=True) for v in row if v
    )
    assert "HƯỚNG DẪN" in guide
    assert "thidua load" in guide
    assert "80.000" in guide and "3,5" in guide
    for header in EXPECTED_HEADERS[kind]:
        if not header.startswith("Đơn vị "):
            assert header in guide


@pytest.mark.parametrize("kind", KINDS)
def test_header_has_canonical_names(books: dict[str, Path], kind: str) -> None:
    ws = _main(books[kind])
    row = _header_row(ws)
    values = [v for v in _row_values(ws, row) if v is not None]
    assert values[: len(EXPECTED_HEADERS[kind])] == EXPECTED_HEADERS[kind]
    cell = ws.cell(row=row, column=1)
    assert cell.font.b
    assert cell.fill.fgColor.rgb.endswith("DDEBF7")
    assert cell.border.left.style == "thin"
    assert cell.alignment.wrap_text
    for c in range(1, len(EXPECTED_HEADERS[kind]) + 1):
        assert ws.column_dimensions[get_column_letter(c)].width >= 6


def test_a2_has_merged_unit_headers(books: dict[str, Path]) -> None:
    ws = _main(books["A2"])
    row = _header_row(ws)
    sub = _row_values(ws, row + 1)
    assert sub[3:7] == ["Tự chấm", "Cụm chấm", "Tự chấm", "Cụm chấm"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"D{row}:E{row}" in merged
    assert f"F{row}:G{row}" in merged
    assert f"B{row}:B{row + 1}" in merged  # criterion spans both header rows


@pytest.mark.parametrize("kind", KINDS)
def test_panes_frozen_under_header(books: dict[str, Path], kind: str) -> None:
    ws = _main(books[kind])
    last_header = _header_row(ws) + (1 if kind == "A2" else 0)
    assert ws.freeze_panes is not None
    frozen_row = int("".join(ch for ch in ws.freeze_panes if ch.isdigit()))
    assert frozen_row == last_header + 1


@pytest.mark.parametrize("kind", KINDS)
def test_title_block_and_footer(books: dict[str, Path], kind: str) -> None:
    ws = _main(books[kind])
    header = _header_row(ws)
    above = [v for r in range(1, header) for v in _row_values(ws, r) if v]
    assert "TÊN CƠ QUAN, ĐƠN VỊ" in above
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in above
    assert "Độc lập - Tự do - Hạnh phúc" in above
    assert ws.merged_cells.ranges  # title block is merged
    below = [v for r in range(header + 1, ws.max_row + 1) for v in _row_values(ws, r) if v]
    assert "Người lập biểu" in below
    assert "THỦ TRƯỞNG ĐƠN VỊ" in below


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("A", ["BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2027", "Đơn vị: ……", "Cụm thi đua số …"]),
        ("B", ["BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM 2027", "Cụm thi đua số …"]),
        ("C", ["Đơn vị: ……", "Cụm thi đua số …", "Năm 2027"]),
        ("E", ["DANH SÁCH CỤM, KHỐI THI ĐUA NĂM 2027"]),
    ],
)
def test_metadata_lines_follow_year(tmp_path: Path, kind: str, expected: list[str]) -> None:
    ws = _main(write_template(kind, tmp_path / "t.xlsx", year=2027))
    above = [v for r in range(1, _header_row(ws)) for v in _row_values(ws, r) if v]
    for line in expected:
        assert line in above


def test_d_year_columns_follow_year(tmp_path: Path) -> None:
    ws = _main(write_template("D", tmp_path / "d.xlsx", year=2031))
    values = _row_values(ws, _header_row(ws))
    assert values[4:9] == ["TH 2026", "TH 2027", "TH 2028", "TH 2029", "Ước 2030"]


@pytest.mark.parametrize("kind", KINDS)
def test_example_rows_marked_grey_italic(books: dict[str, Path], kind: str) -> None:
    ws = _main(books[kind])
    header = _header_row(ws)
    examples = [r for r in range(header + 1, ws.max_row + 1) if EXAMPLE_NOTE in _row_values(ws, r)]
    assert 2 <= len(examples) <= 8
    for r in examples:
        for cell in ws[r]:
            if cell.value is not None:
                assert cell.font.i
                assert cell.font.color.rgb.endswith("808080")
    numbers = [
        c for r in examples for c in ws[r] if isinstance(c.value, float | int) and c.column > 1
    ]
    assert numbers or kind in ("G", "H"), "examples hold real numbers"  # G, H: no number columns


def test_a_examples_show_codes_and_sections(books: dict[str, Path]) -> None:
    ws = _main(books["A"])
    header = _header_row(ws)
    codes = [ws.cell(row=r, column=1).value for r in range(header + 1, header + 8)]
    assert codes[:4] == ["I", "1", "a", "b"]
    texts = [str(ws.cell(row=r, column=2).value) for r in range(header + 1, header + 8)]
    assert any(t.startswith("Điểm thưởng") for t in texts)
    assert any(t.startswith("Điểm trừ") for t in texts)
    score = ws.cell(row=header + 3, column=_column_of(ws, "Điểm tự chấm"))
    assert score.value == 5 and score.number_format == "0.00"


@pytest.mark.parametrize("kind", sorted(NUMERIC_HEADER))
def test_numeric_columns_validated(books: dict[str, Path], kind: str) -> None:
    ws = _main(books[kind])
    col = _column_of(ws, NUMERIC_HEADER[kind])
    first = _header_row(ws) + (2 if kind == "A2" else 1)
    decimals = [
        dv
        for dv in ws.data_validations.dataValidation
        if dv.type == "decimal" and _covered_rows(dv.sqref, col)
    ]
    assert decimals
    dv = decimals[0]
    assert dv.error.startswith(NUMBER_ERROR)
    assert dv.showErrorMessage and dv.allow_blank
    rows = _covered_rows(dv.sqref, col)
    assert first in rows
    assert len(rows) >= VALIDATED_ROWS - 10
    # The footer's signature cells stay free text.
    footer = next(r for r in range(first, ws.max_row + 1) if "Người lập biểu" in _row_values(ws, r))
    assert footer not in rows


@pytest.mark.parametrize(
    ("kind", "header", "choices"),
    [
        (
            "E",
            "Vai trò",
            [
                "Cụm trưởng",
                "Cụm phó Thường trực",
                "Cụm phó",
                "Khối trưởng",
                "Khối phó",
                "Thành viên",
            ],
        ),
        ("C", "Chiều (tăng/giảm)", ["tăng", "giảm"]),
    ],
)
def test_list_validations(
    books: dict[str, Path], kind: str, header: str, choices: list[str]
) -> None:
    ws = _main(books[kind])
    col = _column_of(ws, header)
    lists = [
        dv
        for dv in ws.data_validations.dataValidation
        if dv.type == "list" and _covered_rows(dv.sqref, col)
    ]
    assert len(lists) == 1
    assert lists[0].formula1 == '"' + ",".join(choices) + '"'


def test_scores_accept_khong_xep_loai_with_warning(books: dict[str, Path]) -> None:
    ws = _main(books["A"])
    col = _column_of(ws, "Điểm tự chấm")
    (dv,) = [dv for dv in ws.data_validations.dataValidation if _covered_rows(dv.sqref, col)]
    assert dv.errorStyle == "warning"
    assert "không xếp loại" in dv.error


@pytest.mark.parametrize("kind", KINDS)
def test_no_formulas(books: dict[str, Path], kind: str) -> None:
    wb = openpyxl.load_workbook(books[kind])
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate


def test_kind_is_case_insensitive_and_creates_folder(tmp_path: Path) -> None:
    out = write_template(" a2 ", tmp_path / "sub" / "mau.xlsx")
    assert out == tmp_path / "sub" / "mau.xlsx"
    assert out.is_file()


@pytest.mark.parametrize("kind", ["Z", "", "bảng"])
def test_unknown_kind_raises_vietnamese_error(tmp_path: Path, kind: str) -> None:
    with pytest.raises(ValueError, match="Không có mẫu cho loại bảng") as err:
        write_template(kind, tmp_path / "x.xlsx")
    assert "A, A2, B, C, D, E" in str(err.value)
    assert not (tmp_path / "x.xlsx").exists()


def test_wrong_suffix_raises(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"đuôi \.xlsx"):
        write_template("A", tmp_path / "x.xls")
