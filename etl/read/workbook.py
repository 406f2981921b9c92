"""Opening a workbook safely and reading each sheet into a grid of strings.

Everything that can be refused before parsing is refused here (wrong format, encrypted, too large,
a zip bomb). Values come from calamine through fastexcel in one pass per sheet, every cell as a
string; the sheet XML is streamed once (bounded) for what calamine does not report: merged
ranges, formulas that have no saved value, which cells were typed as text, and which columns and
rows are hidden (what the clerk sees decides, workbooks.md §1).
"""

from __future__ import annotations

import functools
import html
import itertools
import logging
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from posixpath import join, normpath

import fastexcel
import polars as pl
from openpyxl.utils import column_index_from_string, get_column_letter

from etl import settings
from etl.read import cells
from etl.read.legacy_formats import ods_structure, xls_structure
from etl.read.tables import ExcelTable, excel_tables
from etl.read.text import from_legacy
from etl.report import WorkbookRefused

CHUNK = 1 << 22
# fastexcel logs its type guessing in English ("Could not determine dtype…"), which Python prints
# on stderr: nothing English reaches a clerk. Cells are read as strings and checked here.
logging.getLogger("fastexcel").setLevel(logging.ERROR)

_CELL_REF = re.compile(rb"([A-Z]{1,3})([0-9]{1,7})")
_MERGE = re.compile(rb'<mergeCell ref="([A-Z]{1,3}[0-9]{1,7}):([A-Z]{1,3}[0-9]{1,7})"')
# A formula cell: its reference, its formula's text (none for a shared formula's follower) and
# its saved value (missing or empty when written by a program that never calculates).
_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<f([^>]*?)(?:/>|>([^<]*)</f>)'
    rb"\s*(?:<v>([^<]*)</v>|<v\s*/>)?"
)
# A cell's type attribute (none or "n" for a number).
_TYPE = re.compile(rb'\bt="(\w+)"')
# <col min="3" max="3" hidden="1"/> in <cols>, before <sheetData>.
_COL = re.compile(rb"<col\s[^>]*>")
_HIDDEN = re.compile(rb'\shidden="(?:1|true)"')
_MIN_MAX = re.compile(rb'\s(min|max)="([0-9]+)"')
# A row hidden by hand or by a filter: <row r="12" hidden="1" ...>.
_HIDDEN_ROW = re.compile(rb'<row\s[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_NUMBER = re.compile(rb'\sr="([0-9]+)"')
_ROW = re.compile(rb'<row r="([0-9]{1,7})"')
_FORMULA_START = re.compile(rb"<f[\s>/]")  # faster than `b"<f" in body` on large sheets
_CELL_ERROR = re.compile(r"Error\((\w+)\)")
# A Vietnamese (or other Latin) letter beyond Latin-1, which no legacy-encoded text holds; curly
# quotes and dashes may be there all the same.
_UNICODE_LETTER = r"[\x{100}-\x{24F}\x{1E00}-\x{1EFF}]"


def _styled_cells(styles: list[str]) -> re.Pattern[bytes] | None:
    """A search for the cells whose style shows numbers in a format of its own, or None when the
    workbook has no such style (then the scan costs nothing more)."""
    ids = [str(i).encode() for i, code in enumerate(styles) if cells.shows_number(code)]
    if not ids:
        return None
    return re.compile(
        rb'<c r="([A-Z]{1,3})([0-9]{1,7})"((?:\s+(?!s=)[\w:]+="[^"]*")*)\s+s="('
        + b"|".join(ids)
        + rb')"([^>]*)>'
    )


_ERROR_NAMES = {
    "Div0": "#DIV/0!",
    "NA": "#N/A",
    "Name": "#NAME?",
    "Null": "#NULL!",
    "Num": "#NUM!",
    "Ref": "#REF!",
    "Value": "#VALUE!",
    "GettingData": "#GETTING_DATA",
}


def col_letter(index: int) -> str:
    """0-based column index to Excel letters (0 -> A)."""
    return get_column_letter(index + 1)


def col_index(letters: str) -> int:
    """Excel letters to a 0-based column index (A -> 0)."""
    return column_index_from_string(letters) - 1


def address(row: int, col: int) -> str:
    """0-based row and column to an A1 address."""
    return f"{col_letter(col)}{row + 1}"


def _parse_ref(ref: bytes) -> tuple[int, int]:
    m = _CELL_REF.fullmatch(ref)
    assert m is not None
    return int(m.group(2)) - 1, col_index(m.group(1).decode())


@dataclass
class Sheet:
    """One sheet as strings. Rows and columns are 0-based sheet positions."""

    name: str
    frame: pl.DataFrame  # string columns, one per sheet column from `first_col`, row 0 = row 1
    first_col: int
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas_without_value: list[tuple[int, int]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    shared_strings: frozenset[str] | None = None
    has_inline_strings: bool = False
    hidden_cols: frozenset[int] = frozenset()
    hidden_rows: list[int] = field(default_factory=list)
    source: tuple[Path, str] | None = None  # the file and zip member, to look up typed text
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # number cell -> its format
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # formula cell -> formula
    computed: set[tuple[int, int]] = field(default_factory=set)  # formulas computed on loading
    stored: dict[tuple[int, int], str | None] = field(default_factory=dict)  # values replaced
    tables: list[ExcelTable] = field(default_factory=list)  # Excel Tables (Format as Table)

    @property
    def height(self) -> int:
        return self.frame.height

    @property
    def width(self) -> int:
        return self.first_col + self.frame.width

    def column(self, col: int) -> pl.Series:
        """The whole column (all rows) as a string series; an absent column is all null."""
        j = col - self.first_col
        if 0 <= j < self.frame.width:
            return self.frame.to_series(j)
        return pl.Series([None] * self.height, dtype=pl.String)

    def rows(self, start: int, stop: int) -> list[list[str | None]]:
        """Rows [start, stop) as lists indexed by absolute column."""
        pad = [None] * self.first_col
        return [pad + list(r) for r in self.frame.slice(start, max(0, stop - start)).rows()]

    def value(self, row: int, col: int) -> str | None:
        j = col - self.first_col
        if 0 <= row < self.height and 0 <= j < self.frame.width:
            return self.frame.item(row, j)
        return None

    def shown(self, row: int, col: int) -> str | None:
        """The text Excel shows in a cell: its number format applied, Vietnamese separators."""
        value = self.value(row, col)
        code = self.formats.get((row, col))
        if value is None or code is None:
            return value
        number = self.stored.get((row, col), value)
        try:
            return cells.shown(float(number or ""), code)
        except ValueError:
            return value

    def cell(self, row: int, col: int) -> cells.Cell:
        """Everything known about one cell (etl.read.cells.Cell)."""
        pos = (row, col)
        merged = next((m for m in self.merged if m[0] <= row <= m[2] and m[1] <= col <= m[3]), None)
        error = self.errors.get(pos)
        untrusted = pos in self.formulas_without_value
        return cells.Cell(
            row,
            col,
            self.value(row, col),
            self.shown(row, col),
            self.formats.get(pos, cells.GENERAL),
            self.formulas.get(pos),
            trusted=not untrusted and error is None,
            computed=pos in self.computed,
            error=error,
            hidden=row in self.hidden_rows or col in self.hidden_cols,
            merged=merged,
        )

    def convert_legacy(self, encoding: str) -> tuple[list[tuple[str, str]], list[tuple[int, int]]]:
        """Every text of the sheet typed in a legacy encoding ('TCVN3' or 'VNI') made Unicode.

        Returns the texts changed (before, after), in sheet order, and the cells holding a word
        that shows the encoding's marks but decodes to no Vietnamese syllable."""
        changed: list[tuple[str, str]] = []
        unsure: list[tuple[int, int]] = []
        columns = self.frame.get_columns()
        # A sheet typed wholly in the legacy encoding holds no letter beyond Latin-1.
        pure = not any(s.str.contains(_UNICODE_LETTER).any() for s in columns)
        for j, series in enumerate(columns):
            legacy = series.str.contains(r"[\x80-\xff]").fill_null(False)
            if not legacy.any():
                continue
            rows = legacy.arg_true().to_list()
            out = []
            for r, raw in zip(rows, series.gather(rows).to_list(), strict=True):
                text, sure = from_legacy(raw, encoding, pure)
                out.append(text)
                if text != raw:
                    changed.append((raw, text))
                if not sure:
                    unsure.append((r, self.first_col + j))
            columns[j] = series.scatter(rows, pl.Series(out, dtype=pl.String))
        self.frame = pl.DataFrame(columns)
        return changed, unsure

    def typed_as_text(self, row: int, col: int, raw: str) -> bool:
        """Whether a cell holding ``raw`` was typed as text rather than stored as a number.

        Only asked for the rare ambiguous cells ("2.125"), so it may be slow.
        """
        if self.source is None:
            return True  # xls/ods: no way to tell, so the cell stays ambiguous
        if self.shared_strings is not None and raw in self.shared_strings:
            return True
        if not self.has_inline_strings:
            return False
        needle = b">" + raw.encode("utf-8") + b"</t>"
        path, part = self.source
        with zipfile.ZipFile(path) as zf, zf.open(part) as fh:
            carry = b""
            while chunk := fh.read(CHUNK):
                if needle in carry + chunk:
                    return True
                carry = chunk[-len(needle) :]
        return False


@dataclass
class Workbook:
    path: Path
    format: str  # xlsx, xlsm, xls, ods
    sheet_names: list[str]
    _reader: fastexcel.ExcelReader
    _parts: dict[str, str] = field(default_factory=dict)  # sheet name -> zip member of its XML
    _kinds: dict[str, str] = field(default_factory=dict)  # sheet name -> worksheet|chartsheet|...
    _shared: frozenset[str] | None = None
    _states: dict[str, str] = field(default_factory=dict)  # sheet name -> hidden|veryHidden
    _styles: list[str] = field(default_factory=list)  # cell style index -> number format
    recalculate_on_open: bool = False  # saved formula values are placeholders (fullCalcOnLoad)
    _computed: dict[str, dict[tuple[int, int], cells.Computed]] | None = None

    def sheet_type(self, name: str) -> str:
        return self._kinds.get(name, "worksheet")

    def sheet_hidden(self, name: str) -> str | None:
        """'hidden' or 'veryhidden' for a sheet the clerk cannot see, else None."""
        if self.format in ("xlsx", "xlsm"):
            state = self._states.get(name, "visible").lower()
        else:
            try:
                state = self._reader.load_sheet(
                    name, header_row=None, n_rows=1, dtypes="string"
                ).visible
            except Exception:  # an unreadable sheet is reported when it is read
                return None
        return state if state in ("hidden", "veryhidden") else None

    def read_sheet(self, name: str) -> Sheet:
        """Read one sheet; its XML is streamed first, so a bomb is refused before calamine runs."""
        part = self._parts.get(name)
        styled = _styled_cells(self._styles) if part is not None else None
        scan = _scan_sheet_xml(self.path, part, styled) if part is not None else None
        loaded = self._reader.load_sheet(
            name, header_row=None, dtypes="string", skip_rows=0, dtype_coercion="coerce"
        )
        columns = loaded.available_columns()
        first_col = columns[0].absolute_index if columns else 0
        batch, cell_errors = loaded.to_arrow_with_errors()
        frame = pl.from_arrow(batch)
        assert isinstance(frame, pl.DataFrame)
        frame = frame.rename({c: f"c{first_col + i}" for i, c in enumerate(frame.columns)})
        errors: dict[tuple[int, int], str] = {}
        if cell_errors is not None:
            for err in cell_errors.errors:
                m = _CELL_ERROR.search(err.detail)
                if m:
                    r, c = err.position
                    errors[(r, first_col + c)] = _ERROR_NAMES.get(m.group(1), "#" + m.group(1))
        sheet = Sheet(name, frame, first_col, errors, shared_strings=self._shared)
        if scan is not None and part is not None:
            sheet.merged = scan.merged
            sheet.has_inline_strings = scan.has_inline
            sheet.hidden_cols = scan.hidden_cols
            sheet.hidden_rows = scan.hidden_rows
            sheet.source = (self.path, part)
            sheet.tables = excel_tables(self.path, part)
            sheet.formulas = {pos: text for pos, (text, _) in scan.formulas.items()}
            self._settle_formulas(sheet, scan)
            styles = self._styles
            _apply_formats(
                sheet,
                {
                    pos: styles[i] if i < len(styles) else cells.GENERAL
                    for pos, i in scan.styled.items()
                },
            )
        elif self.format in ("xls", "ods"):
            self._read_structure(sheet)
        return sheet

    def _read_structure(self, sheet: Sheet) -> None:
        """Merged ranges, hidden rows and columns, and number formats of an .xls or .ods sheet."""
        read = xls_structure if self.format == "xls" else ods_structure
        try:
            found = read(self.path, sheet.name)
        except Exception:  # what calamine read is still the sheet; only its structure is lost
            return
        sheet.merged = found.merged
        sheet.hidden_rows = found.hidden_rows
        sheet.hidden_cols = found.hidden_cols
        _apply_formats(sheet, found.formats)

    def _settle_formulas(self, sheet: Sheet, scan: _Scan) -> None:
        """Formulas whose saved values cannot be trusted take the values computed here; one that
        cannot be computed is left in ``formulas_without_value`` (an error naming the cell)."""
        untrusted = [
            pos
            for pos, (_, saved) in scan.formulas.items()
            if self.recalculate_on_open or not saved
        ]
        if not untrusted:
            return
        if self._computed is None:
            try:
                self._computed = cells.recompute(self.path)
            except Exception:  # the library fails on what it cannot parse: nothing computed
                self._computed = {}
        results = self._computed.get(sheet.name.upper(), {})
        updates: dict[tuple[int, int], str | None] = {}
        for pos in untrusted:
            result = results.get(pos)
            if result is None:
                sheet.formulas_without_value.append(pos)
                updates[pos] = None  # a placeholder is never read as a figure
            elif result.error is not None:
                sheet.errors[pos] = result.error
                updates[pos] = None
            else:
                updates[pos] = cells.as_stored_text(result.value)
                sheet.computed.add(pos)
        _set_cells(sheet, updates)


def _apply_formats(sheet: Sheet, formats: dict[tuple[int, int], str]) -> None:
    """Number formats: each formatted number cell keeps its format, for the text it shows; a
    percent counts as the percentage the clerk sees (0.925 shown "92,5%" is "92,5%")."""
    updates: dict[tuple[int, int], str | None] = {}
    sheet.formats.update(formats)
    # A sheet has a handful of formats over many cells: each format is read once.
    percents = {code for code in set(formats.values()) if cells.percent_count(code)}
    for pos, code in formats.items():
        if code not in percents:
            continue
        value = sheet.value(*pos)
        try:
            number = float(value or "")
        except ValueError:
            continue
        sheet.stored[pos] = value
        updates[pos] = cells.counted(number, code)
    _set_cells(sheet, updates)


def _set_cells(sheet: Sheet, updates: dict[tuple[int, int], str | None]) -> None:
    """Write values into the sheet's frame, a column at a time."""
    by_col: dict[int, tuple[list[int], list[str | None]]] = {}
    for (r, c), v in updates.items():
        j = c - sheet.first_col
        if 0 <= r < sheet.height and 0 <= j < sheet.frame.width:
            rows, values = by_col.setdefault(j, ([], []))
            rows.append(r)
            values.append(v)
    if not by_col:
        return
    columns = sheet.frame.get_columns()
    for j, (rows, values) in by_col.items():
        columns[j] = columns[j].scatter(rows, pl.Series(values, dtype=pl.String))
    sheet.frame = pl.DataFrame(columns)


# Shown for a .csv wherever one arrives (upload page, CLI): a CSV loses merged cells, the title
# block and the sheets, so it cannot follow the contract; the clerk saves the workbook instead.
CSV_ADVICE = (
    "Tệp .csv (văn bản phân cách bằng dấu phẩy) không giữ được khối tiêu đề, ô gộp và các sheet "
    "nên không nạp được. Hãy mở tệp bằng Excel, chọn Tệp > Lưu Như, chọn kiểu "
    '"Sổ làm việc Excel (*.xlsx)" rồi tải tệp .xlsx lên.'
)


def _sniff(head: bytes) -> str | None:
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return None


def _describe_foreign(head: bytes) -> str:
    if head.startswith(b"%PDF"):
        return "tệp PDF"
    if head.startswith(b"\x89PNG") or head.startswith(b"\xff\xd8\xff") or head[:4] == b"GIF8":
        return "tệp hình ảnh"
    if head.lstrip().startswith((b"<html", b"<!DOCTYPE", b"<?xml")):
        return "tệp văn bản HTML/XML"
    if head.startswith(b"Rar!") or head.startswith(b"7z\xbc\xaf"):
        return "tệp nén"
    text = head.decode("utf-8", errors="ignore")  # the head may cut a character in two
    lines = [line for line in text.splitlines() if line.strip()]
    if "\x00" not in text and lines and any(sep in lines[0] for sep in (",", ";", "\t")):
        return "tệp văn bản (CSV hoặc TXT)"
    return "một loại tệp khác"


def open_workbook(path: Path) -> Workbook:
    """Open ``path`` or raise WorkbookRefused with a message a clerk understands."""
    size = path.stat().st_size
    max_mb = int(settings.get("max_upload_mb"))
    if size > max_mb * 1024 * 1024:
        raise WorkbookRefused(
            f"Tệp nặng {size / 1048576:.1f} MB, vượt giới hạn {max_mb} MB. "
            "Hãy tách thành nhiều tệp nhỏ hơn."
        )
    if size == 0:
        raise WorkbookRefused("Tệp rỗng (0 byte). Hãy lưu lại bảng tính rồi tải lên lại.")
    with path.open("rb") as fh:
        head = fh.read(4096)
    kind = _sniff(head)
    if kind is None and path.suffix.lower() in (".csv", ".txt"):
        raise WorkbookRefused(CSV_ADVICE)
    if kind is None:
        raise WorkbookRefused(
            f"Đây là {_describe_foreign(head)}, không phải bảng tính Excel dù có đuôi "
            f"'{path.suffix}'. Hãy mở bằng Excel và lưu dưới dạng .xlsx."
        )
    if kind == "ole":
        with path.open("rb") as fh:
            blob = fh.read(min(size, 1 << 20))
        if (
            "EncryptionInfo".encode("utf-16-le") in blob
            or "EncryptedPackage".encode("utf-16-le") in blob
        ):
            raise WorkbookRefused(
                "Tệp được đặt mật khẩu nên không đọc được. Hãy mở tệp, gỡ mật khẩu "
                "(File > Info > Protect Workbook) rồi lưu và tải lên lại."
            )
        fmt = "xls"
        parts: dict[str, str] = {}
        kinds: dict[str, str] = {}
        states: dict[str, str] = {}
        shared = None
        styles: list[str] = []
        recalc = False
    else:
        fmt, parts, kinds, states, shared, styles, recalc = _inspect_zip(path)
    try:
        reader = fastexcel.read_excel(path)
        names = list(reader.sheet_names)
    except Exception as exc:  # calamine reports corrupt files with many error types
        raise WorkbookRefused(
            "Không đọc được tệp: tệp bị hỏng hoặc không đúng định dạng bảng tính. Hãy mở bằng "
            "Excel, lưu lại dưới dạng .xlsx rồi tải lên lại."
        ) from exc
    _check_sheet_count(len(names))
    return Workbook(path, fmt, names, reader, parts, kinds, shared, states, styles, recalc)


def _check_sheet_count(count: int) -> None:
    """Refuse before any sheet is read: each costs a parse however small (20,000 tiny sheets in a
    6.8 MB file took minutes)."""
    limit = int(settings.get("max_sheets"))
    if count > limit:
        raise WorkbookRefused(
            f"Tệp có {_thousands(count)} sheet, vượt giới hạn {_thousands(limit)} sheet của một tệp "
            "(THIDUA_MAX_SHEETS). Hãy tách thành nhiều tệp, hoặc xóa các sheet không cần nạp."
        )


def _inspect_zip(
    path: Path,
) -> tuple[
    str, dict[str, str], dict[str, str], dict[str, str], frozenset[str] | None, list[str], bool
]:
    limit = int(settings.get("max_uncompressed_mb")) * 1024 * 1024
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise WorkbookRefused(
            "Tệp .xlsx bị hỏng (không giải nén được). Hãy mở bằng Excel, lưu lại rồi tải lên lại."
        ) from exc
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if any(i.flag_bits & 0x1 for i in infos):
            raise WorkbookRefused("Tệp được đặt mật khẩu nên không đọc được. Hãy gỡ mật khẩu.")
        declared = sum(i.file_size for i in infos)
        if declared > limit:
            raise WorkbookRefused(
                f"Tệp khi giải nén nặng {declared / 1048576:.0f} MB, vượt giới hạn "
                f"{limit // 1048576} MB. Tệp có thể bị lỗi hoặc là 'bom nén'; không nạp."
            )
        if "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype"):
            return "ods", {}, {}, {}, None, [], False
        if "xl/workbook.xml" not in names:
            raise WorkbookRefused(
                "Tệp nén này không phải bảng tính Excel (.xlsx). Hãy lưu bảng tính dưới dạng .xlsx."
            )
        fmt = "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
        _check_sheet_count(len(_SHEET.findall(zf.read("xl/workbook.xml"))))
        parts, kinds, states = _sheet_parts(zf)
        shared = _shared_strings(zf, limit) if "xl/sharedStrings.xml" in names else None
        # Every part is decompressed once, bounded by its declared size; a part that lies about
        # its size fails the CRC check here, before calamine ever sees it.
        for info in infos:
            if info.filename in parts.values():
                continue  # a worksheet is streamed (and counted) by read_sheet before parsing
            _drain(zf, info)
        styles = cells.number_formats(zf)
        recalc = cells.recalculate_on_open(zf)
    parts = {n: p for n, p in parts.items() if p in names}
    return fmt, parts, kinds, states, shared, styles, recalc


def _inflate(path: Path, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The entry's bytes, inflated from its raw compressed data and never beyond its declared size.

    zipfile stops reading at the declared size and so trusts it; calamine inflates the whole
    compressed stream. An entry that would yield more than it declares is therefore refused here,
    before calamine sees it.
    """
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise WorkbookRefused(f"Tệp .xlsx dùng kiểu nén không hỗ trợ (phần '{info.filename}').")
    with path.open("rb") as fh:
        fh.seek(info.header_offset)
        header = fh.read(30)
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            raise zlib.error("bad local header")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        fh.seek(info.header_offset + 30 + name_len + extra_len)
        remaining = info.compress_size
        inflater = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type else None
        produced = 0
        while remaining > 0:
            raw = fh.read(min(CHUNK, remaining))
            if not raw:
                raise zlib.error("truncated entry")
            remaining -= len(raw)
            while raw:
                if inflater is None:
                    out, raw = raw, b""
                else:
                    out = inflater.decompress(raw, CHUNK)
                    raw = inflater.unconsumed_tail
                produced += len(out)
                if produced > info.file_size:
                    raise WorkbookRefused(
                        f"Tệp .xlsx bị hỏng: phần '{info.filename}' giải nén ra nhiều hơn kích "
                        "thước khai báo (có thể là 'bom nén'); không nạp."
                    )
                if out:
                    yield out
        if produced != info.file_size:
            raise zlib.error("size mismatch")


_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.I)


def _refuse_dtd(chunk: bytes, part: str) -> None:
    """Excel never writes a DTD; one in a part is how an XML external entity (XXE) or an entity
    expansion is smuggled in. Refused with a sentence, before any XML parser sees it."""
    if _DTD.search(chunk):
        raise WorkbookRefused(
            f"Tệp có phần '{part}' chứa khai báo DOCTYPE/ENTITY của XML. Excel và LibreOffice không "
            "bao giờ tạo ra khai báo này; tệp đã bị sửa bằng công cụ khác (có thể nhằm tấn công) "
            "nên không được đọc. Hãy mở tệp gốc bằng Excel, lưu lại dưới dạng .xlsx rồi tải lên."
        )


def _drain(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    try:
        for chunk in _inflate(Path(zf.filename or ""), info):
            if info.filename.endswith((".xml", ".rels")):
                _refuse_dtd(chunk, info.filename)
    except (zipfile.BadZipFile, zlib.error) as exc:
        raise WorkbookRefused(
            f"Tệp .xlsx bị hỏng (phần '{info.filename}' không giải nén đúng). "
            "Hãy mở bằng Excel, lưu lại rồi tải lên lại."
        ) from exc
    except (OSError, EOFError, ValueError) as exc:
        raise WorkbookRefused(
            "Tệp .xlsx bị hỏng. Hãy mở bằng Excel, lưu lại rồi tải lên lại."
        ) from exc


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _too_many_cells(max_cells: int) -> WorkbookRefused:
    return WorkbookRefused(
        f"Một sheet có hơn {_thousands(max_cells)} ô có dữ liệu, vượt giới hạn. "
        "Hãy tách dữ liệu thành nhiều tệp."
    )


def _too_wide(
    first: tuple[int, int], last: tuple[int, int], far: tuple[int, int], max_cells: int
) -> WorkbookRefused:
    span = f"{address(*first)}:{address(*last)}"
    return WorkbookRefused(
        f"Dữ liệu của một sheet trải trên vùng {span}, rộng hơn {_thousands(max_cells)} ô: có ô "
        f"có dữ liệu nằm xa bảng chính (ví dụ ô {address(*far)}). Hãy xóa các ô đó rồi lưu lại."
    )


def _above(n: int, digits: str, width: int) -> bytes:
    """A regex for numerals of at most ``width`` symbols that are greater than ``n``, written in
    positional notation over ``digits`` (decimal rows "0"-"9" from 1, or column letters "A"-"Z"
    from 1 in bijective base 26)."""
    base = len(digits)
    text = ""
    if digits.startswith("0"):
        text = str(n)
    else:
        while n > 0:
            n, rem = divmod(n - 1, base)
            text = digits[rem] + text
    alternatives = []
    lead = digits[1:] if digits.startswith("0") else digits
    if len(text) < width:
        alternatives.append(
            f"[{lead[0]}-{lead[-1]}][{digits[0]}-{digits[-1]}]{{{len(text)},{width - 1}}}"
        )
    for i, ch in enumerate(text):
        higher = digits[digits.index(ch) + 1 :]
        if higher:
            rest = len(text) - i - 1
            tail = f"[{digits[0]}-{digits[-1]}]{{{rest}}}" if rest else ""
            alternatives.append(f"{text[:i]}[{higher[0]}-{higher[-1]}]{tail}")
    return ("(?:" + "|".join(alternatives) + ")" if alternatives else "(?!)").encode()


# A cell holding something calamine keeps: a value, inline text or a formula.
_VALUED = rb"[^>]*>\s*<(?:v|is|f)[\s>/]"
_VALUED_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"' + _VALUED)
# For the cell-by-cell pass: any <row> or <c> tag (attributes in any order), its reference, and
# whether what follows a cell's tag is a value, inline text or a formula.
_ROW_OR_CELL = re.compile(rb"<(?:[\w.-]+:)?(row|c)\b([^>]*?)(/?)>")
_REF = re.compile(rb'\br="([A-Z]{0,3})([0-9]{1,7})"')
_HOLDS_VALUE = re.compile(rb"\s*<(?:[\w.-]+:)?(?:v|is|f)[\s>/]")
# Cells or rows written with a namespace prefix (<x:c>), which the reader takes as cells and
# the quick search does not see.
_PREFIXED = re.compile(rb":(?:c|row)[\s>/]")


@functools.lru_cache(maxsize=64)
def _outside(rows: int, cols: int) -> re.Pattern[bytes]:
    """A cell with a value beyond row ``rows`` or column ``cols`` (1-based), or one this search
    cannot place."""
    col = _above(cols, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 3)
    row = _above(rows, "0123456789", 7)
    beyond = rb' r="(?:' + col + rb"[0-9]{1,7}|[A-Z]{1,3}" + row + rb')"' + _VALUED
    # A cell whose first attribute is not its reference (or that has none) is placed where this
    # search cannot see: it too sends the sheet to the cell-by-cell pass. Both start "<c", a
    # literal the search skips ahead to: a third faster on a large sheet.
    return re.compile(rb"<c(?:" + beyond + rb'|(?! r=")[\s>/])')


_REL = re.compile(rb"<Relationship\b[^>]*>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_SHEET = re.compile(rb"<sheet\b[^>]*>")


def _attrs(tag: bytes) -> dict[str, str]:
    return {k.decode(): html.unescape(v.decode("utf-8")) for k, v in _ATTR.findall(tag)}


def _sheet_parts(
    zf: zipfile.ZipFile,
) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Sheet name -> zip member holding its XML, sheet name -> sheet type, and sheet name -> its
    state when not visible."""
    workbook = zf.read("xl/workbook.xml")
    states = {
        a.get("name", ""): a["state"] for a in map(_attrs, _SHEET.findall(workbook)) if "state" in a
    }
    try:
        rels_xml = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}, {}, states
    rels = {}
    for tag in _REL.findall(rels_xml):
        a = _attrs(tag)
        target = a.get("Target", "")
        member = target.lstrip("/") if target.startswith("/") else normpath(join("xl", target))
        rels[a.get("Id")] = (member, a.get("Type", "").rsplit("/", 1)[-1])
    parts, kinds = {}, {}
    for tag in _SHEET.findall(workbook):
        a = _attrs(tag)
        rid = next((v for k, v in a.items() if k == "id"), None)
        if rid in rels:
            member, rtype = rels[rid]
            kinds[a.get("name", "")] = rtype
            if rtype == "worksheet":
                parts[a.get("name", "")] = member
    return parts, kinds, states


_SI_TEXT = re.compile(rb"<si>(.*?)</si>", re.S)
_T_TEXT = re.compile(rb"<t[^>]*>([^<]*)</t>")


def _shared_strings(zf: zipfile.ZipFile, limit: int) -> frozenset[str]:
    info = zf.getinfo("xl/sharedStrings.xml")
    if info.file_size > limit:
        raise WorkbookRefused("Bảng chuỗi của tệp quá lớn; tệp có thể bị lỗi.")
    data = zf.read(info)
    out = set()
    for si in _SI_TEXT.findall(data):
        out.add(html.unescape(b"".join(_T_TEXT.findall(si)).decode("utf-8", "replace")))
    return frozenset(out)


def _fallback_cut(data: bytes) -> int:
    """Where to end a stretch of sheet XML that holds no whole cell, keeping the last 64 KiB for
    the next one: after a tag that ends in the MiB before that point, so no tag is split unless
    it is over a MiB long (which the caller then treats as suspect)."""
    end = max(len(data) - 64 * 1024, 0)
    return data.rfind(b">", max(end - (1 << 20), 0), end) + 1 or end


def _valued_box(
    path: Path, info: zipfile.ZipInfo
) -> tuple[int, tuple[int, int], tuple[int, int], tuple[int, int]]:
    """How many cells hold a value; the 0-based (row, col) corners of the smallest box holding
    them all (the grid calamine allocates); and the valued cell farthest from A1.

    Cells are placed as a reader places them (by their ``r``, else next to the previous cell or
    below the previous row), whatever the order of their attributes. Cell by cell, so only run
    when the quick check cannot vouch for the sheet."""
    cells, top, left, bottom, right = 0, 1 << 30, 1 << 30, -1, -1
    row, col = -1, -1
    farthest = (0, 0)
    carry = b""
    for chunk in itertools.chain(_inflate(path, info), [b""]):
        data = carry + chunk
        # Never split a tag here, however long: this pass must see every cell.
        cut = data.rfind(b"</c>") + 4 if chunk else len(data)
        cut = max(data.rfind(b"<", 0, max(len(data) - 64 * 1024, 0)), 0) if cut < 4 else cut
        body, carry = data[:cut], data[cut:]
        for m in _ROW_OR_CELL.finditer(body):
            ref = _REF.search(m.group(2))
            if m.group(1) == b"row":
                row = int(ref.group(2)) - 1 if ref and not ref.group(1) else row + 1
                col = -1
                continue
            if ref and ref.group(1):
                row, col = int(ref.group(2)) - 1, col_index(ref.group(1).decode())
            else:
                col += 1
            if m.group(3) or not _HOLDS_VALUE.match(body, m.end()):
                continue  # an empty cell (formatting only): the reader keeps nothing
            cells += 1
            top, bottom = min(top, row), max(bottom, row)
            left, right = min(left, col), max(right, col)
            if (row + 1) * (col + 1) > (farthest[0] + 1) * (farthest[1] + 1):
                farthest = (row, col)
    if bottom < 0:
        return 0, (0, 0), (0, 0), farthest
    return cells, (top, left), (bottom, right), farthest


@dataclass
class _Scan:
    """What one pass over a worksheet's XML found besides the values calamine reads."""

    # (row, col) -> (formula text, "" for a shared formula's follower; whether a value is saved)
    formulas: dict[tuple[int, int], tuple[str, bool]] = field(default_factory=dict)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    has_inline: bool = False
    hidden_cols: frozenset[int] = frozenset()
    hidden_rows: list[int] = field(default_factory=list)
    styled: dict[tuple[int, int], int] = field(default_factory=dict)  # number cell -> its style


def _scan_sheet_xml(path: Path, part: str, styles: re.Pattern[bytes] | None = None) -> _Scan:
    """Stream one worksheet's XML once, bounded: count the cells that hold a value and check the
    box they span (refusing a sheet over the limit on either), and collect formulas without a
    saved value, merged ranges, whether any cell holds inline text, and the hidden columns and
    rows (0-based).

    The box matters because calamine allocates every cell of it: one value at XFD1048576 beside
    a table at A1 would ask for 17 billion cells. The sheet's <dimension> is not used (a stray
    formatted cell makes it huge, a crafted file can understate it). Instead the box is bounded
    from A1 to the last <row> tag seen and the widest valued column of the first chunk, and one
    quick search per chunk proves no value lies beyond that bound; only when one does, or the
    bound is over the limit, is the values' real box measured cell by cell.

    ``styles`` finds the number cells whose style shows numbers in a format of their own
    (percent, decimals, thousands; etl.read.cells), when the workbook has such styles."""
    max_cells = int(settings.get("max_cells"))
    scan = _Scan()
    formulas = scan.formulas
    merged = scan.merged
    hidden_cols: set[int] = set()
    hidden_rows = scan.hidden_rows
    has_inline = False
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(part)
        rows = cols = 0  # the bound: the highest <row> number and the widest valued column
        measure = False  # whether the values' real box must be measured
        in_tail = False
        chunks = _inflate(path, info)
        carry = b""
        first = True
        while True:
            chunk = next(chunks, b"")
            _refuse_dtd(chunk, part)
            data = carry + chunk
            if not chunk:
                cut = len(data)
            else:
                cut = data.rfind(b"</c>")
                cut = _fallback_cut(data) if cut < 0 else cut + 4
            body, carry = data[:cut], data[cut:]
            if not measure:
                last_row = _ROW.search(body, max(body.rfind(b"<row "), 0))
                rows = max(rows, int(last_row.group(1)) if last_row else 0)
                if first and body:
                    letters = {c for c, _ in _VALUED_CELL.findall(body)}  # a handful
                    cols = max((col_index(c.decode()) + 1 for c in letters), default=0)
                    first = False
                measure = (
                    _PREFIXED.search(body) is not None
                    or body.rfind(b"<") > body.rfind(b">")  # a tag split by _fallback_cut
                    or _outside(rows, cols).search(body) is not None
                )
            if _FORMULA_START.search(body):
                for m in _FORMULA_CELL.finditer(body):
                    saved = m.group(4) is not None and m.group(4).strip() != b""
                    text = html.unescape((m.group(3) or b"").decode("utf-8", "replace"))
                    formulas[_parse_ref(m.group(1))] = (text, saved)
            if styles is not None:
                for m in styles.finditer(body):
                    kind = _TYPE.search(m.group(3) + m.group(5))
                    if kind is None or kind.group(1) == b"n":
                        r, c = int(m.group(2)) - 1, col_index(m.group(1).decode())
                        scan.styled[(r, c)] = int(m.group(4))
            # <mergeCells> follows <sheetData> in every worksheet (ECMA-376 §18.3.1.99).
            in_tail = in_tail or b"</sheetData>" in body
            if in_tail and b"<mergeCell " in body:
                for m in _MERGE.finditer(body):
                    r1, c1 = _parse_ref(m.group(1))
                    r2, c2 = _parse_ref(m.group(2))
                    merged.append((r1, c1, r2, c2))
            has_inline = has_inline or b'"inlineStr"' in body
            # Cheap searches per chunk; the attributes are read only where something is hidden
            # (LibreOffice writes hidden="false" on every row).
            if b'hidden="1"' in body or b'hidden="true"' in body:
                for m in _COL.finditer(body):
                    if _HIDDEN.search(m.group(0)):
                        bounds = dict(_MIN_MAX.findall(m.group(0)))
                        lo = int(bounds.get(b"min", b"1"))
                        hi = min(int(bounds.get(b"max", lo)), lo + 16384)
                        hidden_cols.update(range(lo - 1, hi))
                for m in _HIDDEN_ROW.finditer(body):
                    number = _ROW_NUMBER.search(m.group(0))
                    if number:
                        hidden_rows.append(int(number.group(1)) - 1)
            if not chunk:
                break
        if measure or rows * cols > max_cells:
            cells, top_left, bottom_right, farthest = _valued_box(path, info)
            if cells > max_cells:
                raise _too_many_cells(max_cells)
            area = (bottom_right[0] - top_left[0] + 1) * (bottom_right[1] - top_left[1] + 1)
            if area > max_cells:
                raise _too_wide(top_left, bottom_right, farthest, max_cells)
    except (zipfile.BadZipFile, zlib.error, KeyError) as exc:
        raise WorkbookRefused(
            f"Tệp .xlsx bị hỏng (phần '{part}' không giải nén đúng). "
            "Hãy mở bằng Excel, lưu lại rồi tải lên lại."
        ) from exc
    scan.has_inline, scan.hidden_cols = has_inline, frozenset(hidden_cols)
    return scan


def sheet_kind_reason(kind: str) -> str:
    return {
        "chartsheet": "sheet biểu đồ",
        "dialogsheet": "sheet hộp thoại",
        "macrosheet": "sheet macro",
    }.get(kind, f"sheet loại {kind}")
