"""What calamine does not report for .xls and .ods sheets: merged ranges, hidden rows and
columns, and number formats (the .xlsx equivalent is streamed from the sheet XML in
etl.read.workbook). Without merged ranges a unit or cluster name merged down several rows would
apply to its first row only, so the same list saved as .xls or .ods would load differently.

.xls is read with xlrd (formatting information on); .ods by streaming content.xml, where each
cell says how many rows and columns it spans and repeats.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import iterparse

from etl.read import cells


@dataclass
class Structure:
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2
    hidden_rows: list[int] = field(default_factory=list)
    hidden_cols: frozenset[int] = frozenset()
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # number cell -> format


def xls_structure(path: Path, sheet_name: str) -> Structure:
    import xlrd

    book = xlrd.open_workbook(
        str(path), formatting_info=True, on_demand=True, logfile=io.StringIO()
    )
    try:
        sheet = book.sheet_by_name(sheet_name)
        out = Structure()
        out.merged = [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in sheet.merged_cells]
        out.hidden_rows = sorted(r for r, info in sheet.rowinfo_map.items() if info.hidden)
        out.hidden_cols = frozenset(c for c, info in sheet.colinfo_map.items() if info.hidden)
        for r in range(sheet.nrows):
            for c, cell in enumerate(sheet.row(r)):
                if cell.ctype != xlrd.XL_CELL_NUMBER:
                    continue
                fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key)
                if fmt is not None and cells.shows_number(fmt.format_str):
                    out.formats[(r, c)] = fmt.format_str
        return out
    finally:
        book.release_resources()


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _count(el, name: str) -> int:
    try:
        return max(1, int(el.get(_TABLE + name, "1")))
    except ValueError:
        return 1


def ods_structure(path: Path, sheet_name: str) -> Structure:
    out = Structure()
    hidden_cols: set[int] = set()
    with zipfile.ZipFile(path) as zf, zf.open("content.xml") as fh:
        inside = False
        row = col = column = 0
        for event, el in iterparse(fh, events=("start", "end")):
            tag = el.tag
            if tag == _TABLE + "table":
                if event == "start":
                    inside = el.get(_TABLE + "name") == sheet_name
                    row = col = column = 0
                elif inside:
                    break
                continue
            if not inside:
                if event == "end":
                    el.clear()
                continue
            if tag == _TABLE + "table-column" and event == "start":
                n = _count(el, "number-columns-repeated")
                if el.get(_TABLE + "visibility", "visible") != "visible":
                    hidden_cols.update(range(column, column + min(n, 16384)))
                column += n
            elif tag == _TABLE + "table-row":
                if event == "start":
                    col = 0
                    if el.get(_TABLE + "visibility", "visible") != "visible":
                        n = _count(el, "number-rows-repeated")
                        out.hidden_rows.extend(range(row, row + min(n, 1 << 20)))
                else:
                    row += _count(el, "number-rows-repeated")
                    el.clear()
            elif tag in (_TABLE + "table-cell", _TABLE + "covered-table-cell") and event == "end":
                rows_spanned = _count(el, "number-rows-spanned")
                cols_spanned = _count(el, "number-columns-spanned")
                if rows_spanned > 1 or cols_spanned > 1:
                    out.merged.append((row, col, row + rows_spanned - 1, col + cols_spanned - 1))
                kind = el.get(_OFFICE + "value-type")
                if kind in ("percentage", "float"):
                    code = _ods_format(el.get(_OFFICE + "value"), "".join(el.itertext()), kind)
                    if code is not None:
                        out.formats[(row, col)] = code
                col += _count(el, "number-columns-repeated")
                el.clear()
    out.hidden_cols = frozenset(hidden_cols)
    return out


_CANDIDATES = [f"{group}{'.' + '0' * d if d else ''}" for group in ("0", "#,##0") for d in range(7)]


def _ods_format(value: str | None, text: str, kind: str) -> str | None:
    """The number format that shows ``value`` as the .ods file's own shown ``text`` ("12,500",
    "92.5%": written in the saving program's locale), or None when it is shown plainly."""
    try:
        number = float(value or "")
    except ValueError:
        return None
    suffix = "%" if kind == "percentage" else ""
    wanted = text.strip().replace("\u00a0", "")
    for code in _CANDIDATES:
        ours = cells.shown(number, code + suffix)
        swapped = ours.translate(str.maketrans(",.", ".,"))
        if wanted in (ours, swapped):
            return None if code == "0" and not suffix else code + suffix
    return "0%" if suffix else None
