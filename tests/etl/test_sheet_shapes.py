"""Sheets shaped as offices shape them (issue 17, workbooks.md §1): a summary formatted as an
Excel Table with a totals row, several clusters stacked on one sheet, and an older copy hidden
before every column of a cross-scoring matrix.

Each workbook is built the way the file was described: a title block with the national motto and
a date line, merged title lines, a header found by name, numbers typed as text with decimal
commas, names in decomposed Unicode, signatures under the table.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.table import Table as ExcelTable
from openpyxl.worksheet.table import TableStyleInfo

from etl.load import LoadOptions, load_file
from tests.etl.builders import (
    STT,
    Book,
    Group,
    Title,
    formula_cell,
    nfd,
    patch_cells,
    rows,
    write_signatures,
    write_title,
)

CLUSTER_1 = "Cụm thi đua số 1"
CLUSTER_2 = "Cụm thi đua số 2"
C1_UNITS = ["Sở Tài chính", "Sở Xây dựng", "Sở Tư pháp", "Sở Y tế", "Sở Nội vụ"]
C2_UNITS = [
    "Ban Xây dựng Đảng Đảng ủy phường B'Lao",
    "Ban Xây dựng Đảng Đảng ủy phường Mũi Né",
    "Ban Xây dựng Đảng Đảng ủy xã Di Linh",
]


def load(con, path: Path):
    report = load_file(con, path, LoadOptions(user="test"))
    assert report.status == "loaded", [i.human() for i in report.errors]
    return report


def members(tmp_path: Path) -> Path:
    book = Book()
    items = [(u, CLUSTER_1) for u in C1_UNITS] + [(u, CLUSTER_2) for u in C2_UNITS]
    book.kind_e([(i + 1, u, c, "Thành viên", None) for i, (u, c) in enumerate(items)])
    return book.save(tmp_path / "ds.xlsx")


def scores(con) -> dict[str, tuple]:
    got = rows(con, "SELECT unit, cluster, total_score, rank FROM v_unit_scores")
    return {r["unit"]: (r["cluster"], r["total_score"], r["rank"]) for r in got}


def issues(report) -> list:
    return [i for s in report.sheets for i in s.issues] + list(report.file_issues)


# --- Excel Tables and totals rows -----------------------------------------------------------------

SUMMARY_COLUMNS = (
    "Tên đơn vị",
    "Điểm tự chấm",
    "Điểm cụm chấm",
    "Tổng điểm",
    "Xếp hạng",
    "Xếp loại",
)
# (self, assessed, total, rank) of each unit of cluster 1, as typed.
C1_ROWS = [
    ("96,5", "95", "95", 1),
    ("93", "92,5", "92,5", 2),
    ("91", "90", "90", 3),
    ("88", "86,25", "86,25", 4),
    ("80", "78", "78", 5),
]
AVERAGES = ("89,7", "88,35", "88,35")  # what SUBTOTAL(101, …) shows in the totals row


def table_summary(path: Path, *, label: str | None, label_in: str) -> Path:
    """A cluster's summary as Excel's Format as Table makes it: a one-row header, banded rows, and
    the totals row Excel adds ("Total Row"), whose label the clerk retyped; the numbers in it are
    SUBTOTAL formulas over the table's columns, saved with their values."""
    book = Book()
    t = book.kind_b(
        [
            (i + 1, u, s, a, tot, rank, None)
            for i, (u, (s, a, tot, rank)) in enumerate(zip(C1_UNITS, C1_ROWS, strict=True))
        ],
        columns=SUMMARY_COLUMNS,
        title=Title(
            title="BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM {year}",
            unit=None,
            cluster=CLUSTER_1,
        ),
        total=(
            (label if label_in == "STT" else None),
            (label if label_in == "unit" else None),
        ),
    )
    ws = book.wb.active
    first, last = t.columns[STT], t.columns["Xếp loại"]
    ref = f"{first}{t.header_row}:{last}{t.total_row}"
    table = ExcelTable(displayName="TongHop", ref=ref, totalsRowCount=1)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    ws.add_table(table)
    path = book.save(path)
    cells = {}
    for header, saved in zip(SUMMARY_COLUMNS[1:4], AVERAGES, strict=True):
        ref = f"{t.columns[header]}{t.total_row}"
        formula = f"SUBTOTAL(101,TongHop[{header}])"
        cells[ref] = formula_cell(ref, formula, saved.replace(",", "."))
    patch_cells(path, cells)
    assert load_workbook(path).active.tables["TongHop"].totalsRowCount == 1
    return path


EXPECTED_C1 = {
    u: (CLUSTER_1, float(tot.replace(",", ".")), rank)
    for u, (_, _, tot, rank) in zip(C1_UNITS, C1_ROWS, strict=True)
}


@pytest.mark.parametrize(
    ("label", "label_in"),
    [
        ("Bình quân", "unit"),
        ("Trung bình", "unit"),
        ("Chung cả Cụm", "unit"),  # only the Table says it is the totals row
        ("Tổng", "STT"),  # Excel's own label, left in the first column
    ],
)
@pytest.mark.parametrize("with_list", [True, False], ids=["with-list", "no-list"])
def test_a_summary_formatted_as_an_excel_table_loads_without_its_totals_row(
    con, tmp_path, label, label_in, with_list
):
    if with_list:
        load(con, members(tmp_path))
    report = load(con, table_summary(tmp_path / "b.xlsx", label=label, label_in=label_in))
    assert scores(con) == EXPECTED_C1
    assert [s.rows for s in report.sheets] == [5]
    assert not [i.message for i in issues(report) if "xếp hạng" in i.message.lower()]


@pytest.mark.parametrize("label", ["Bình quân", "Trung bình", "Tổng số", "Cộng"])
def test_a_totals_row_without_a_table_is_not_a_unit(con, tmp_path, label):
    """The spec's words for a totals row, typed under a plain range, are a total too."""
    load(con, members(tmp_path))
    book = Book()
    book.kind_b(
        [
            (i + 1, u, s, a, tot, rank, None)
            for i, (u, (s, a, tot, rank)) in enumerate(zip(C1_UNITS, C1_ROWS, strict=True))
        ],
        columns=SUMMARY_COLUMNS,
        title=Title(title="BẢNG TỔNG HỢP KẾT QUẢ NĂM {year}", unit=None, cluster=CLUSTER_1),
        total=(None, label, *AVERAGES),
    )
    load(con, book.save(tmp_path / "b.xlsx"))
    assert scores(con) == EXPECTED_C1


def test_a_unit_named_tong_cong_ty_is_a_unit(con, tmp_path):
    """ "Tổng công ty …" starts like "Tổng cộng" but is an enterprise in a cluster."""
    book = Book()
    book.kind_b(
        [
            (1, "Tổng Công ty Cà phê Lâm Đồng", "95", "94", "94", 1, None),
            (2, "Công ty Điện lực Lâm Đồng", "93", "92", "92", 2, None),
        ],
        columns=SUMMARY_COLUMNS,
        title=Title(
            title="BẢNG TỔNG HỢP KẾT QUẢ NĂM {year}", unit=None, cluster="Khối thi đua số 5"
        ),
    )
    load(con, book.save(tmp_path / "b.xlsx"))
    assert set(scores(con)) == {"Tổng Công ty Cà phê Lâm Đồng", "Công ty Điện lực Lâm Đồng"}


# --- several clusters stacked on one sheet -------------------------------------------------------

C2_ROWS = [("94", "92,5", 1), ("92", "91", 2), ("90,5", "88", 3)]
C1_STACK = [(s, a, r) for s, a, _, r in C1_ROWS]
STACK_HEADERS = [STT, "Đơn vị", Group("ĐIỂM", ["Tự chấm", "Cụm chấm"]), "Xếp hạng", "Ghi chú"]


def _block_rows(units, values, bad: dict[int, str] | None = None):
    out = []
    for i, (u, (s, a, r)) in enumerate(zip(units, values, strict=True)):
        out.append([i + 1, nfd(u), (bad or {}).get(i, s), a, r, None])
    return out


def stacked_summary(
    path: Path,
    *,
    header_each: bool = True,
    two_rows: bool = True,
    headings: tuple[str, str] = ("CỤM THI ĐUA SỐ 1", "CỤM THI ĐUA SỐ 2"),
    bad: dict[int, str] | None = None,
) -> tuple[Path, dict[str, int]]:
    """The province summary of all clusters: a title block, then per cluster a merged line
    "CỤM THI ĐUA SỐ N" over its own two-row header (ĐIỂM over Tự chấm | Cụm chấm) and its units in
    rank order; signatures under the last block. With ``header_each`` False the header is written
    once and each cluster opens with a heading row "I | CỤM THI ĐUA SỐ N" inside the table.

    Returns the file and the sheet rows (1-based) of interest: each heading, the first unit row of
    the second block.
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    width, c0 = 6, 2
    row = write_title(
        ws,
        Title(
            title="BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA CÁC CỤM NĂM {year}",
            unit=None,
            cluster=None,
        ),
        c0,
        width,
    )
    where: dict[str, int] = {}

    def header(at: int) -> int:
        if not two_rows:
            labels = (STT, "Đơn vị", "Điểm tự chấm", "Điểm cụm chấm", "Xếp hạng", "Ghi chú")
            for j, label in enumerate(labels):
                ws.cell(at, c0 + j, label)
            return at + 1
        ws.cell(at, c0, STT)
        ws.cell(at, c0 + 1, "Đơn vị")
        ws.cell(at, c0 + 2, "ĐIỂM")
        ws.merge_cells(start_row=at, start_column=c0 + 2, end_row=at, end_column=c0 + 3)
        ws.cell(at + 1, c0 + 2, "Tự chấm")
        ws.cell(at + 1, c0 + 3, "Cụm chấm")
        ws.cell(at, c0 + 4, "Xếp hạng")
        ws.cell(at, c0 + 5, "Ghi chú")
        for j in (0, 1, 4, 5):
            ws.merge_cells(start_row=at, start_column=c0 + j, end_row=at + 1, end_column=c0 + j)
        return at + 2

    blocks = ((headings[0], C1_UNITS, C1_STACK, None), (headings[1], C2_UNITS, C2_ROWS, bad))
    if not header_each:
        row = header(row)
    for k, (heading, units, values, wrong) in enumerate(blocks):
        if header_each:
            ws.cell(row, c0, heading)
            ws.merge_cells(start_row=row, start_column=c0, end_row=row, end_column=c0 + width - 1)
            where[f"heading{k + 1}"] = row
            row = header(row + 1)
        else:
            ws.cell(row, c0, "I" if k == 0 else "II")
            ws.cell(row, c0 + 1, heading)
            where[f"heading{k + 1}"] = row
            row += 1
        where[f"first{k + 1}"] = row
        for values_row in _block_rows(units, values, wrong):
            for j, v in enumerate(values_row):
                if v is not None:
                    ws.cell(row, c0 + j, v)
            row += 1
        if header_each:
            row += 1  # a blank line between blocks
    write_signatures(ws, row, c0, width)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path, where


EXPECTED_STACK = {
    **{
        u: (CLUSTER_1, float(a.replace(",", ".")), r)
        for u, (_, a, r) in zip(C1_UNITS, C1_STACK, strict=True)
    },
    **{
        u: (CLUSTER_2, float(a.replace(",", ".")), r)
        for u, (_, a, r) in zip(C2_UNITS, C2_ROWS, strict=True)
    },
}


@pytest.mark.parametrize(
    ("header_each", "two_rows"),
    [(True, True), (True, False), (False, True)],
    ids=["header-per-block", "one-row-header-per-block", "heading-rows"],
)
@pytest.mark.parametrize("with_list", [True, False], ids=["with-list", "no-list"])
def test_clusters_stacked_on_one_sheet_load_each_into_its_cluster(
    con, tmp_path, header_each, two_rows, with_list
):
    if with_list:
        load(con, members(tmp_path))
    path, _ = stacked_summary(tmp_path / "b.xlsx", header_each=header_each, two_rows=two_rows)
    report = load(con, path)
    assert scores(con) == EXPECTED_STACK
    assert [s.rows for s in report.sheets] == [len(EXPECTED_STACK)]
    assert not [i.message for i in issues(report) if "xếp hạng" in i.message.lower()]


def test_a_bad_cell_in_the_second_block_is_named(con, tmp_path):
    load(con, members(tmp_path))
    path, where = stacked_summary(tmp_path / "b.xlsx", bad={1: "chín hai"})
    report = load_file(con, path, LoadOptions(user="test"))
    assert report.status == "refused"
    (error,) = report.errors
    assert error.cell == f"D{where['first2'] + 1}" and "chín hai" in error.message
    assert scores(con) == {}


def test_a_block_of_a_cluster_missing_from_the_list_is_named_at_its_heading(con, tmp_path):
    load(con, members(tmp_path))
    path, where = stacked_summary(
        tmp_path / "b.xlsx", headings=("CỤM THI ĐUA SỐ 1", "CỤM THI ĐUA SỐ 7")
    )
    report = load_file(con, path, LoadOptions(user="test"))
    assert report.status == "refused"
    (error,) = report.errors
    assert error.cell == f"B{where['heading2']}"
    assert "Cụm thi đua số 7" in error.message
    assert "Hãy ghi dòng" not in error.message  # the sheet has the line: no asking for it
    assert scores(con) == {}


# --- an older copy hidden before every column ----------------------------------------------------

MATRIX_UNITS = ["Sở Tài chính", "Sở Xây dựng"]
# (code, criterion, max, {unit: (self, assessed)})
MATRIX_ROWS = [
    ("I", "Công tác chuyên môn", 60, {"Sở Tài chính": (57, 56), "Sở Xây dựng": (56, 55)}),
    ("II", "Công tác xây dựng Đảng", 40, {"Sở Tài chính": (39, 38), "Sở Xây dựng": (37, "36,5")}),
]


def hidden_copies_matrix(path: Path) -> Path:
    """A cross-scoring matrix (a unit's name merged over Tự chấm | Cụm chấm) where the office kept
    last year's copy of every column hidden just before it: STT, Nội dung tiêu chí, Điểm chuẩn
    (merged down the two header rows like the visible ones) and each unit's pair, whose name
    the office merged over the visible pair only."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "Chấm chéo"
    c0 = 2
    title = Title(title="BẢNG TỔNG HỢP CHẤM ĐIỂM CHÉO NĂM {year}", unit=None, cluster=CLUSTER_1)
    row = write_title(ws, title, c0, 14)
    columns: list[tuple[int, bool, object]] = []  # (column, hidden, what it holds)
    c = c0
    for label in (STT, "Nội dung tiêu chí", "Điểm chuẩn"):
        for hidden in (True, False):
            ws.cell(row, c, label)
            ws.merge_cells(start_row=row, start_column=c, end_row=row + 1, end_column=c)
            columns.append((c, hidden, label))
            c += 1
    for unit in MATRIX_UNITS:
        for hidden in (True, False):
            for sub in ("Tự chấm", "Cụm chấm"):
                ws.cell(row + 1, c, sub)
                columns.append((c, hidden, (unit, sub)))
                c += 1
            if not hidden:
                ws.cell(row, c - 2, nfd(unit))
                ws.merge_cells(start_row=row, start_column=c - 2, end_row=row, end_column=c - 1)
    r = row + 2
    for code, text, mx, by_unit in MATRIX_ROWS:
        for col, hidden, what in columns:
            if what == STT:
                v = {"I": 1, "II": 2}[code] if hidden else code
            elif what == "Nội dung tiêu chí":
                v = f"{text} (năm trước)" if hidden else text
            elif what == "Điểm chuẩn":
                v = mx - 5 if hidden else mx
            else:
                unit, sub = what
                v = by_unit[unit][0 if sub == "Tự chấm" else 1]
                if hidden:
                    v = float(str(v).replace(",", ".")) + 7
            ws.cell(r, col, v)
        r += 1
    for col, hidden, _ in columns:
        ws.column_dimensions[get_column_letter(col)].hidden = hidden
    write_signatures(ws, r, c0, 14)
    wb.save(path)
    return path


@pytest.mark.parametrize("with_list", [True, False], ids=["with-list", "no-list"])
def test_a_matrix_with_a_hidden_older_copy_before_every_column_reads_the_visible_ones(
    con, tmp_path, with_list
):
    if with_list:
        book = Book()
        book.kind_e([(i + 1, u, CLUSTER_1, "Thành viên", None) for i, u in enumerate(MATRIX_UNITS)])
        load(con, book.save(tmp_path / "ds.xlsx"))
    report = load(con, hidden_copies_matrix(tmp_path / "a2.xlsx"))
    got = {
        r["unit"]: (r["self_score"], r["assessed_score"], r["max_score"])
        for r in rows(con, "SELECT * FROM v_unit_scores")
    }
    # Sở Tài chính: 57 + 39 = 96 and 56 + 38 = 94; Sở Xây dựng: 56 + 37 = 93 and 55 + 36,5 =
    # 91,5; of 60 + 40 = 100. No unit named "Điểm chuẩn".
    assert got == {"Sở Tài chính": (96.0, 94.0, 100.0), "Sở Xây dựng": (93.0, 91.5, 100.0)}
    criteria = rows(
        con,
        "SELECT DISTINCT code, criterion, max_points FROM v_criterion_scores ORDER BY max_points",
    )
    assert [(c["code"], c["criterion"], c["max_points"]) for c in criteria] == [
        ("II", "Công tác xây dựng Đảng", 40.0),
        ("I", "Công tác chuyên môn", 60.0),
    ]
    assert not [i.message for i in issues(report) if "ẩn" in i.message]
