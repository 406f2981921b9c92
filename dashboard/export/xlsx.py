"""A formatted one-table .xlsx, written fast and safe to open.

openpyxl lays the workbook out (styles, the header row, frozen pane, filter, widths, an information
sheet); the data rows are rendered as sheet XML by polars, a column at a time, and put into the
saved file. openpyxl alone spends about 10 µs a cell: 15 s for 100 000 rows of 16 columns.

Text that a spreadsheet could take for a formula (OWASP "CSV/formula injection": a leading ``=``,
``+``, ``-``, ``@``, tab or line break) or for an error value ("#N/A") is written as a string cell
with a quote prefix, so it is never run, not even when the cell is edited.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import polars as pl
from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

DATETIME = "dd/mm/yyyy hh:mm"
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_WIDTH = 50  # characters; longer texts wrap inside their column
MAX_TEXT = 32767  # characters Excel keeps in a cell
_ILLEGAL = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x{FFFE}\x{FFFF}]"  # characters XML 1.0 cannot hold
_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 (1900 date system)
_DATA_SHEET = "xl/worksheets/sheet1.xml"


def needs_guard(text: str) -> bool:
    """Whether a spreadsheet could run ``text`` as a formula or read it as an error value."""
    return text.startswith(FORMULA_TRIGGERS) or text in ERROR_CODES


def _guard_expr(text: pl.Expr) -> pl.Expr:
    """The vectorised twin of :func:`needs_guard`."""
    triggers = "".join(re.escape(t) for t in FORMULA_TRIGGERS)
    return text.str.contains(f"^[{triggers}]") | text.is_in(list(ERROR_CODES))


def _put_text(cell: Cell, text: str) -> None:
    """Write ``text`` into an openpyxl cell as text, whatever it starts with."""
    cell.value = text
    if needs_guard(text):
        cell.data_type = "s"  # openpyxl takes "=…" for a formula and "#N/A" for an error
        cell.quotePrefix = True


def _clean_text(text: pl.Expr) -> pl.Expr:
    """Text an .xlsx can hold: no control characters, not longer than a cell, empty as NULL."""
    text = text.str.replace_all(_ILLEGAL, "").str.slice(0, MAX_TEXT)
    return pl.when(text != "").then(text)


def _decimals(number_format: str) -> int:
    return len(number_format.partition(".")[2])


def _content_width(frame: pl.DataFrame, name: str, number_format: str | None) -> int:
    """How many characters the widest value of a column takes on screen."""
    if number_format == DATETIME or frame.schema[name].is_temporal():
        return len(number_format or DATETIME)
    if number_format is None:
        return int(frame.select(pl.col(name).str.len_chars().max()).item() or 0)
    largest = frame.select(pl.col(name).abs().max()).item()
    return len(f"{float(largest or 0):,.{_decimals(number_format)}f}") + 1  # a minus sign


def _widths(
    frame: pl.DataFrame, headers: Sequence[str], formats: Sequence[str | None]
) -> list[int]:
    out = []
    for name, header, fmt in zip(frame.columns, headers, formats, strict=True):
        longest_word = max((len(w) for w in header.split()), default=0)  # headers wrap
        out.append(min(MAX_WIDTH, max(_content_width(frame, name, fmt), longest_word, 6) + 2))
    return out


def _style_id(ws: Worksheet, **style: Any) -> int:
    """The index of a cell style in the saved workbook (registered if new)."""
    cell = WriteOnlyCell(ws)
    for key, value in style.items():
        setattr(cell, key, value)
    return int(cell.style_id)


def _escape(text: pl.Expr) -> pl.Expr:
    # A raw CR would be read back as LF (XML end-of-line handling): keep it as a reference.
    for raw, ref in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;")):
        text = text.str.replace_all(raw, ref, literal=True)
    return text


def _cell_xml(
    ws: Worksheet, i: int, name: str, dtype: pl.DataType, fmt: str | None, wrap: bool
) -> pl.Expr:
    """The ``<c>`` element of every row of one column ("" where the value is NULL)."""
    value = pl.col(name)
    ref = pl.concat_str(pl.lit(f'<c r="{get_column_letter(i)}'), pl.col("__row"))
    if fmt is None:
        align = {"alignment": Alignment(wrap_text=True, vertical="top")} if wrap else {}
        plain, quoted = _style_id(ws, **align), _style_id(ws, quotePrefix=True, **align)
        style = pl.when(_guard_expr(value)).then(pl.lit(quoted)).otherwise(pl.lit(plain))
        xml = pl.concat_str(
            ref,
            pl.lit('" s="'),
            style.cast(pl.String),
            pl.lit('" t="inlineStr"><is><t xml:space="preserve">'),
            _escape(value),
            pl.lit("</t></is></c>"),
        )
    else:
        number = value
        if dtype.is_temporal():
            number = (value.cast(pl.Datetime("us")) - _EPOCH).dt.total_microseconds() / 86_400e6
        xml = pl.concat_str(
            ref,
            pl.lit(f'" s="{_style_id(ws, number_format=fmt)}"><v>'),
            number.cast(pl.String),
            pl.lit("</v></c>"),
        )
    return xml.fill_null("")


def _rows_xml(
    ws: Worksheet, frame: pl.DataFrame, formats: Sequence[str | None], col_widths: Sequence[int]
) -> str:
    cells = [
        _cell_xml(ws, i, name, dtype, fmt, width >= MAX_WIDTH)
        for i, ((name, dtype), fmt, width) in enumerate(
            zip(frame.schema.items(), formats, col_widths, strict=True), start=1
        )
    ]
    row = pl.concat_str(pl.lit('<row r="'), pl.col("__row"), pl.lit('">'), *cells, pl.lit("</row>"))
    numbered = frame.with_columns((pl.int_range(pl.len()) + 2).cast(pl.String).alias("__row"))
    return "".join(numbered.select(row.alias("xml"))["xml"].to_list())


def _header(ws: Worksheet, headers: Sequence[str]) -> None:
    font = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    border = Border(bottom=Side(style="thin"))
    align = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for i, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=i)
        _put_text(cell, header)
        cell.font, cell.fill, cell.border, cell.alignment = font, fill, border, align


def _about(wb: Workbook, about: Sequence[tuple[str, Any]]) -> None:
    info = wb.create_sheet("Thông tin")
    info.column_dimensions["A"].width = 26
    info.column_dimensions["B"].width = 80
    for row, (label, value) in enumerate(about, start=1):
        info.cell(row=row, column=1, value=label).font = Font(bold=True)
        cell = info.cell(row=row, column=2)
        if isinstance(value, str):
            _put_text(cell, value)
        else:
            cell.value = value
            if isinstance(value, datetime):
                cell.number_format = DATETIME


def _insert_rows(xlsx: bytes, rows: str, last_ref: str) -> bytes:
    """The saved workbook with ``rows`` appended to the data sheet."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=3) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == _DATA_SHEET:
                xml = data.decode("utf-8")
                xml = re.sub(
                    r'<dimension ref="[^"]*"', f'<dimension ref="A1:{last_ref}"', xml, count=1
                )
                xml = xml.replace("</sheetData>", rows + "</sheetData>", 1)
                data = xml.encode("utf-8")
            dst.writestr(item.filename, data)
    return out.getvalue()


def workbook(
    frame: pl.DataFrame,
    *,
    title: str,
    headers: Sequence[str],
    formats: Sequence[str | None],
    about: Sequence[tuple[str, Any]] = (),
) -> bytes:
    """``frame`` as an .xlsx of one table: ``headers`` in a bold, filled, frozen row with a filter,
    an Excel number format per column (None: text; text columns must be strings), widths fitted to
    the content; ``about`` (label, value) pairs on a second sheet "Thông tin"."""
    frame = frame.select(
        _clean_text(pl.col(name).cast(pl.String))
        if fmt is None
        else pl.when(pl.col(name).is_finite()).then(pl.col(name))  # Excel has no NaN, no ∞
        if dtype.is_float()
        else pl.col(name)
        for (name, dtype), fmt in zip(frame.schema.items(), formats, strict=True)
    )
    col_widths = _widths(frame, headers, formats)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    _header(ws, headers)
    ws.freeze_panes = "A2"
    for i, width in enumerate(col_widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    last_ref = f"{get_column_letter(max(len(headers), 1))}{frame.height + 1}"
    ws.auto_filter.ref = f"A1:{last_ref}"
    rows = _rows_xml(ws, frame, formats, col_widths)  # registers the cell styles it uses
    if about:
        _about(wb, about)
    saved = io.BytesIO()
    wb.save(saved)
    return _insert_rows(saved.getvalue(), rows, last_ref)
