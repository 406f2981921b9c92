"""Kind F, the scoring framework (bảng điểm chuẩn, workbooks.md §6b): the criteria tree of a year
and cluster with its maxima and no scores.

Two layouts: a kind-A table without score columns (read by the scoring parser, which builds the
same tree), or a flat list Level | Order | Score | Name where Level is the depth and rows come in
tree order (read here).
"""

from __future__ import annotations

import re

import polars as pl

from etl.kinds.common import (
    Context,
    Tables,
    check_cells,
    framework_rows,
    numeric_column,
    table_end,
    text_column,
)
from etl.kinds.scoring import _section_head, parse_scoring
from etl.read.layout import Layout, TitleInfo, is_total_text
from etl.read.text import fold_header, nfc
from etl.read.workbook import Sheet, address, col_letter
from etl.report import SheetReport, vn_number

_NUMBER = r"^\s*[-+−–]?\s*\d"
_NOTE = re.compile(r"^(\*\s*)?(ghi chu|luu y|chu y)\b|^\*")
_NUMERIC_ROLES = ("level", "order", "max", "bonus_allowed", "deduction_allowed")


def parse_framework(
    sheet: Sheet,
    layout: Layout,
    title: TitleInfo,
    ctx: Context,
    report: SheetReport,
    file_name: str,
) -> tuple[Tables, set[str]] | None:
    _stray_numbers(sheet, layout, report)
    if "level" not in layout.columns:
        return parse_scoring(sheet, layout, title, ctx, report, file_name)
    return _parse_flat(sheet, layout, title, ctx, report, file_name)


def _stray_numbers(sheet: Sheet, layout: Layout, report: SheetReport) -> None:
    """Numbers in a column that no framework role claims: a unit's scores under a header the
    reader does not know (a one-unit matrix, "Điểm đạt"), which must not vanish silently."""
    cols = layout.columns
    numeric = [cols[k] for k in _NUMERIC_ROLES if k in cols]
    start = layout.data_start
    stop = table_end(sheet, layout, numeric, cols.get("code"))
    if stop <= start:
        return
    header = sheet.rows(layout.header_top, layout.header_bottom + 1)
    taken = set(cols.values())
    first, last = min(taken), max(taken)
    for c in range(sheet.width):
        if c in taken:
            continue
        label = next((nfc(row[c]) for row in reversed(header) if c < len(row) and row[c]), "")
        if not label and not first < c < last:
            continue  # a figure beside the table (a page number), not a column of it
        cells = sheet.column(c).slice(start, stop - start)
        hits = cells.str.contains(_NUMBER).fill_null(False).arg_true()
        if hits.len():
            where = address(start + int(hits[0]), c)
            named = f' ("{label}")' if label else ""
            report.error(
                f"Cột {col_letter(c)}{named} có số (ô {where}) nhưng không phải cột của bảng điểm "
                "chuẩn (Điểm chuẩn, Thưởng, Trừ). Nếu đây là điểm của một đơn vị, hãy ghi tiêu đề "
                "cột 'Điểm tự chấm' hoặc 'Điểm cụm chấm'; nếu là bảng điểm chuẩn, hãy xóa cột này.",
                where,
            )


def _parse_flat(
    sheet: Sheet,
    layout: Layout,
    title: TitleInfo,
    ctx: Context,
    report: SheetReport,
    file_name: str,
) -> tuple[Tables, set[str]] | None:
    """Level | Order | Score | Name: the parent of a row is the nearest row above one level up."""
    cols = layout.columns
    year = ctx.year(title, report, layout.header_year)
    if year is None:
        return None
    cluster = ctx.framework_cluster(title, year, report)
    numeric = [cols[k] for k in _NUMERIC_ROLES if k in cols]
    start = layout.data_start
    stop = table_end(sheet, layout, numeric, cols.get("code"))
    check_cells(sheet, range(start, stop), numeric, report)
    texts = text_column(sheet, cols["criterion"], start, stop)
    codes = text_column(sheet, cols.get("code"), start, stop)
    notes = text_column(sheet, cols.get("note"), start, stop)

    def number(role: str, label: str, words_ok=None):
        return numeric_column(
            sheet, cols.get(role), start, stop, report, label=label, words_ok=words_ok
        ).values

    levels = number("level", "Cấp")
    orders = number("order", "Thứ tự")
    maxes = number("max", "Điểm")
    bonus = number("bonus_allowed", "Thưởng", lambda t: True)
    deduction = number("deduction_allowed", "Trừ", lambda t: True)

    level_col, crit_col = cols["level"], cols["criterion"]
    out: dict[str, list] = {
        k: []
        for k in (
            "code",
            "parent_seq",
            "level",
            "criterion",
            "section",
            "max_points",
            "bonus_allowed",
            "deduction_allowed",
            "note",
            "source_row",
            "source_cell",
        )
    }
    stack: list[int] = []  # row index (0-based) of the open row at each depth
    children: dict[int | None, int] = {}
    for off in range(stop - start):
        r = start + off
        text, lvl = texts[off], levels[off]
        if lvl is None:
            if text is None and maxes[off] is None and codes[off] is None:
                continue
            if text is not None and (is_total_text(text) or _NOTE.match(fold_header(text))):
                continue  # the total row and note rows are not criteria
            report.error(
                "Dòng tiêu chí không ghi cấp. Hãy ghi cấp của tiêu chí (1 là cấp cao nhất, 2 là "
                "mục con của dòng cấp 1 gần nhất phía trên…).",
                address(r, level_col),
            )
            continue
        if lvl != int(lvl) or lvl < 1:
            report.error(
                f"Cấp '{vn_number(lvl)}' không hợp lệ: cấp là số nguyên từ 1 trở lên.",
                address(r, level_col),
            )
            continue
        depth = int(lvl)
        if depth > len(stack) + 1:
            above = f"một dòng cấp {len(stack)}" if stack else "đầu bảng"
            report.error(
                f"Cấp {depth} ngay sau {above}: các dòng phải theo thứ tự của cây tiêu chí (mục "
                f"cấp {depth} nằm dưới một dòng cấp {depth - 1}). Hãy kiểm tra cấp của dòng này "
                "hoặc dòng bị thiếu phía trên.",
                address(r, level_col),
            )
            continue
        del stack[depth - 1 :]
        parent = stack[-1] if stack else None
        children[parent] = children.get(parent, 0) + 1
        order = orders[off]
        if order is not None and order != children[parent]:
            under = f"dưới '{out['criterion'][parent]}'" if parent is not None else "ở cấp 1"
            report.warn(
                f"Thứ tự {vn_number(order)} nhưng đây là mục thứ {children[parent]} {under}: có "
                "thể thiếu hoặc thừa một dòng phía trên.",
                address(r, cols["order"]),
            )
        code = codes[off] or (vn_number(order, 3) if order is not None else None)
        head = _section_head(text)
        section = head or (out["section"][parent] if parent is not None else "criterion")
        for key, value in (
            ("code", code),
            ("parent_seq", None if parent is None else parent + 1),
            ("level", depth),
            ("criterion", text),
            ("section", section),
            ("max_points", maxes[off]),
            ("bonus_allowed", bonus[off]),
            ("deduction_allowed", deduction[off]),
            ("note", notes[off]),
            ("source_row", r + 1),
            ("source_cell", address(r, cols["max"])),
        ):
            out[key].append(value)
        stack.append(len(out["code"]) - 1)
    m = len(out["code"])
    if not m:
        report.error("Không có dòng tiêu chí nào dưới dòng tiêu đề cột.", address(start, crit_col))
        return None
    report.rows = m
    frame = pl.DataFrame(
        {
            "seq": pl.Series(range(1, m + 1), dtype=pl.Int32),
            "code": pl.Series(out["code"], dtype=pl.String),
            "parent_seq": pl.Series(out["parent_seq"], dtype=pl.Int32),
            "level": pl.Series(out["level"], dtype=pl.Int32),
            "criterion": pl.Series(out["criterion"], dtype=pl.String),
            "section": pl.Series(out["section"], dtype=pl.String),
            "max_points": pl.Series(out["max_points"], dtype=pl.Float64),
            "bonus_allowed": pl.Series(out["bonus_allowed"], dtype=pl.Float64),
            "deduction_allowed": pl.Series(out["deduction_allowed"], dtype=pl.Float64),
            "note": pl.Series(out["note"], dtype=pl.String),
            "source_row": pl.Series(out["source_row"], dtype=pl.Int32),
            "source_cell": pl.Series(out["source_cell"], dtype=pl.String),
        }
    )
    constants = {"year": year, "cluster": cluster, "source_file": file_name}
    return framework_rows(frame, constants, sheet.name)
