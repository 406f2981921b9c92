"""Workbooks as Vietnamese offices make them, built with openpyxl for the ETL tests.

A sheet has a title block (issuing body, national motto, place and date, title, "Đơn vị: …",
"Cụm thi đua số 4"), a two-row header with a merged group cell ("ĐIỂM" over "Chuẩn | Tự chấm |
Cụm chấm"), a table that starts in column B, numbers typed as text with decimal commas ("3,5",
"- 0,5"), names typed in decomposed Unicode (NFD), a total row and signatures under the table.

Tests state the tree and the scores compactly::

    book = Book()
    t = book.kind_a(rows=[("I", "Công tác chuyên môn", "60", "55,5", "54"), ...])
    path = book.save(tmp_path / "a.xlsx")
    t.cell(0, "Tự chấm")  # -> "E11", the address a message should name

Values: ``str`` is written as text (as typed), ``int``/``float`` as a real number, ``None`` blank.

openpyxl cannot write a formula's saved value, so formula and error cells are made by patching the
sheet XML inside the saved zip (:func:`patch_cells`). :func:`write_zip` writes a zip from raw
(already compressed) entries, for zip bombs and entries that lie about their size.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

Value = str | int | float | None

UNIT = "Ban Tổ chức Đảng ủy Công an tỉnh"
CLUSTER = "Cụm thi đua số 4"
YEAR = 2026
BODY = ("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "BAN TỔ CHỨC TỈNH ỦY")
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
DATE_LINE = "Lâm Đồng, ngày 15 tháng 12 năm {year}"

# Header texts as offices type them (workbooks.md synonyms).
STT = "STT"
CRITERION = "Nội dung tiêu chí"
SCORE_GROUP = "ĐIỂM"


def nfd(text: str) -> str:
    """Decomposed Unicode, as some Vietnamese keyboard settings type it."""
    return unicodedata.normalize("NFD", text)


@dataclass
class Group:
    """A merged group cell over sub-headers: ``Group("ĐIỂM", ["Chuẩn", "Tự chấm"])``."""

    label: str
    subs: Sequence[str]


Header = str | Group


@dataclass
class Title:
    """The free text above a table. ``None`` leaves a line out."""

    year: int | None = YEAR
    title: str | None = "BẢNG CHẤM ĐIỂM THI ĐUA NĂM {year}"
    unit: str | None = UNIT
    cluster: str | None = CLUSTER
    date_year: int | None = None  # the date line's year; defaults to `year`
    body: tuple[str, str] | None = BODY
    extra: Sequence[str] = ()  # more lines under the title ("Sơ kết 6 tháng đầu năm 2026")
    nfd_names: bool = True  # the unit line typed in NFD
    date_line: str | None = None  # the whole place-and-date line, in place of DATE_LINE


@dataclass
class Table:
    """Where a table landed in its sheet, to name cells in assertions (1-based rows)."""

    sheet: str
    header_row: int
    columns: dict[str, str]  # leaf header label -> column letter
    rows: list[int] = field(default_factory=list)  # sheet row of each data row
    total_row: int | None = None
    top_total_row: int | None = None

    def cell(self, i: int, column: str) -> str:
        """Address of data row ``i`` (0-based) in the column headed ``column``."""
        return f"{self.columns[column]}{self.rows[i]}"

    def total_cell(self, column: str) -> str:
        assert self.total_row is not None
        return f"{self.columns[column]}{self.total_row}"


def _leaves(headers: Sequence[Header]) -> list[str]:
    out: list[str] = []
    for h in headers:
        out.extend(h.subs if isinstance(h, Group) else [h])
    return out


def _put(ws: Worksheet, row: int, col: int, value: Value) -> None:
    if value is None:
        return
    ws.cell(row=row, column=col, value=value)


def write_title(ws: Worksheet, t: Title, start_col: int, width: int) -> int:
    """Write the title block from row 1; return the next free row (a blank line left under it)."""
    half = max(2, width // 2)
    right = start_col + half
    last = start_col + width - 1
    row = 1
    if t.body is not None:
        for i, (left_text, right_text) in enumerate(zip(t.body, MOTTO, strict=True)):
            ws.cell(row=row + i, column=start_col, value=left_text)
            ws.merge_cells(
                start_row=row + i, start_column=start_col, end_row=row + i, end_column=right - 1
            )
            ws.cell(row=row + i, column=right, value=right_text)
            if last > right:
                ws.merge_cells(
                    start_row=row + i, start_column=right, end_row=row + i, end_column=last
                )
        row += 2
        ws.cell(row=row, column=start_col, value="Số: 125-BC/BTCTU")
        date_year = t.date_year or t.year
        if t.date_line is not None:
            ws.cell(row=row, column=right, value=t.date_line)
        elif date_year is not None:
            ws.cell(row=row, column=right, value=DATE_LINE.format(year=date_year))
        row += 2
    lines = []
    if t.title is not None:
        lines.append(t.title.format(year=t.year))
    lines.extend(t.extra)
    if t.unit is not None:
        unit = nfd(t.unit) if t.nfd_names else t.unit
        lines.append(f"Đơn vị: {unit}")
    if t.cluster is not None:
        lines.append(t.cluster)
    for line in lines:
        ws.cell(row=row, column=start_col, value=line)
        ws.merge_cells(start_row=row, start_column=start_col, end_row=row, end_column=last)
        row += 1
    return row + 1


def write_header(
    ws: Worksheet, headers: Sequence[Header], row: int, start_col: int
) -> tuple[int, dict[str, str]]:
    """One header row, or two when a Group is present (plain headers merged over both rows)."""
    two = any(isinstance(h, Group) for h in headers)
    columns: dict[str, str] = {}
    col = start_col
    for h in headers:
        if isinstance(h, Group):
            ws.cell(row=row, column=col, value=h.label)
            if len(h.subs) > 1:
                ws.merge_cells(
                    start_row=row, start_column=col, end_row=row, end_column=col + len(h.subs) - 1
                )
            for sub in h.subs:
                ws.cell(row=row + 1, column=col, value=sub)
                columns[sub] = get_column_letter(col)
                col += 1
        else:
            ws.cell(row=row, column=col, value=h)
            if two:
                ws.merge_cells(start_row=row, start_column=col, end_row=row + 1, end_column=col)
            columns[h] = get_column_letter(col)
            col += 1
    return row + (2 if two else 1), columns


def write_signatures(ws: Worksheet, row: int, start_col: int, width: int) -> int:
    """The footer every office puts under a table."""
    right = start_col + max(2, width - 2)
    row += 1
    ws.cell(row=row, column=start_col, value="Người lập biểu")
    ws.cell(row=row, column=right, value="THỦ TRƯỞNG ĐƠN VỊ")
    ws.cell(row=row + 1, column=right, value="(Ký, ghi rõ họ tên, đóng dấu)")
    ws.cell(row=row + 4, column=start_col, value="Nguyễn Thị Hoa")
    ws.cell(row=row + 4, column=right, value="Trần Văn Minh")
    return row + 5


def write_table(
    ws: Worksheet,
    headers: Sequence[Header],
    rows: Iterable[Sequence[Value]],
    *,
    title: Title | None = None,
    total: Sequence[Value] | None = None,
    top_total: Sequence[Value] | None = None,
    start_col: int = 2,
    signatures: bool = True,
    merge_down: Sequence[tuple[int, int]] = (),
) -> Table:
    """Title block, header, data rows (aligned to the leaf headers), total row, signatures.

    ``merge_down`` lists (data row index, number of rows) whose first cell (the code) is merged
    vertically, as a framework merges "C3.1" over its alternative levels.
    """
    leaves = _leaves(headers)
    width = len(leaves)
    row = write_title(ws, title, start_col, width) if title is not None else 1
    header_row = row
    row, columns = write_header(ws, headers, row, start_col)
    table = Table(ws.title, header_row, columns)
    if top_total is not None:
        for j, v in enumerate(top_total):
            _put(ws, row, start_col + j, v)
        table.top_total_row = row
        row += 1
    for values in rows:
        assert len(values) <= width, f"row wider than the header: {values}"
        for j, v in enumerate(values):
            _put(ws, row, start_col + j, v)
        table.rows.append(row)
        row += 1
    for i, n in merge_down:
        first = table.rows[i]
        ws.merge_cells(
            start_row=first, start_column=start_col, end_row=first + n - 1, end_column=start_col
        )
    if total is not None:
        for j, v in enumerate(total):
            _put(ws, row, start_col + j, v)
        table.total_row = row
        row += 1
    if signatures:
        write_signatures(ws, row, start_col, width)
    for j in range(width):
        ws.column_dimensions[get_column_letter(start_col + j)].width = 40 if j == 1 else 12
    return table


class Book:
    """A workbook of one or more sheets, each added by a kind helper."""

    def __init__(self) -> None:
        self.wb = Workbook()
        self._fresh = True

    def sheet(self, name: str) -> Worksheet:
        if self._fresh:
            ws = self.wb.active
            assert ws is not None
            ws.title = name
            self._fresh = False
            return ws
        return self.wb.create_sheet(name)

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.wb.save(path)
        return path

    # --- generic -------------------------------------------------------------------------------

    def table(
        self, name: str, headers: Sequence[Header], rows: Iterable[Sequence[Value]], **kw
    ) -> Table:
        return write_table(self.sheet(name), headers, rows, **kw)

    def text_sheet(self, name: str, lines: Sequence[str]) -> None:
        """A sheet of prose (instructions)."""
        ws = self.sheet(name)
        for i, line in enumerate(lines, start=1):
            ws.cell(row=i, column=1, value=line)

    def empty_sheet(self, name: str) -> None:
        self.sheet(name)

    # --- kinds ---------------------------------------------------------------------------------

    def kind_a(
        self,
        rows: Iterable[Sequence[Value]],
        *,
        name: str = "Cụm 4",
        scores: Sequence[str] = ("Tự chấm", "Cụm chấm"),
        framework: Sequence[str] = (),
        total: Sequence[Value] | None = None,
        title: Title | None = None,
        note: bool = True,
        **kw,
    ) -> Table:
        """Kind A: STT | Nội dung tiêu chí | ĐIỂM [Chuẩn (Thưởng Trừ) Tự chấm Cụm chấm] | Ghi chú.

        Each row is (code, criterion, max, *framework values, *scores[, note]).
        """
        headers: list[Header] = [STT, CRITERION, Group(SCORE_GROUP, ["Chuẩn", *framework, *scores])]
        if note:
            headers.append("Ghi chú")
        return self.table(name, headers, rows, title=title or Title(), total=total, **kw)

    def kind_a2(
        self,
        units: Sequence[str],
        rows: Iterable[Sequence[Value]],
        *,
        name: str = "Chấm chéo",
        pairs: bool = False,
        total: Sequence[Value] | None = None,
        title: Title | None = None,
        **kw,
    ) -> Table:
        """Kind A2: criteria, then one column per unit, or a merged unit name over the pair
        Tự chấm | Cụm chấm.

        Each row is (code, criterion, max, *unit scores) in unit order (two per unit with pairs).
        """
        headers: list[Header] = [STT, CRITERION, "Điểm chuẩn"]
        for u in units:
            headers.append(Group(nfd(u), ["Tự chấm", "Cụm chấm"]) if pairs else nfd(u))
        t = title or Title(title="BẢNG TỔNG HỢP CHẤM ĐIỂM CHÉO NĂM {year}", unit=None)
        table = write_table(self.sheet(name), headers, rows, title=t, total=total, **kw)
        if pairs:  # leaf labels repeat: name them "<unit>/Tự chấm"
            first = table.columns[STT]
            stt = _col_index(first)
            table.columns = {
                STT: first,
                CRITERION: get_column_letter(stt + 1),
                "Điểm chuẩn": get_column_letter(stt + 2),
            }
            for k, u in enumerate(units):
                table.columns[f"{u}/Tự chấm"] = get_column_letter(stt + 3 + 2 * k)
                table.columns[f"{u}/Cụm chấm"] = get_column_letter(stt + 4 + 2 * k)
        return table

    def kind_b(
        self,
        rows: Iterable[Sequence[Value]],
        *,
        name: str = "Tổng hợp",
        columns: Sequence[str] = (
            "Tên đơn vị",
            "Điểm tự chấm",
            "Điểm cụm chấm",
            "Điểm thưởng",
            "Điểm trừ",
            "Tổng điểm",
            "Xếp hạng",
            "Xếp loại",
            "Ghi chú",
        ),
        title: Title | None = None,
        **kw,
    ) -> Table:
        """Kind B: STT | <columns>; each row is (stt, unit, ...) aligned to the columns.

        Unit names are written in NFD, as a decomposed-Unicode keyboard types them.
        """
        rows = [
            tuple(nfd(v) if j == 1 and isinstance(v, str) else v for j, v in enumerate(r))
            for r in rows
        ]
        t = title or Title(title="BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM {year}", unit=None)
        return self.table(name, [STT, *columns], rows, title=t, **kw)

    def kind_c(
        self,
        rows: Iterable[Sequence[Value]],
        *,
        name: str = "Chỉ tiêu",
        columns: Sequence[str] = (
            "Chỉ tiêu",
            "ĐVT",
            "Chỉ tiêu đăng ký",
            "Kết quả thực hiện",
            "Tỷ lệ (%)",
            "Ghi chú",
        ),
        title: Title | None = None,
        **kw,
    ) -> Table:
        """Kind C: STT | Chỉ tiêu | ĐVT | Chỉ tiêu đăng ký | Kết quả thực hiện | Tỷ lệ (%) |
        Ghi chú."""
        t = title or Title(title="ĐĂNG KÝ CHỈ TIÊU THI ĐUA VÀ KẾT QUẢ THỰC HIỆN NĂM {year}")
        return self.table(name, [STT, *columns], rows, title=t, **kw)

    def kind_d(
        self,
        rows: Iterable[Sequence[Value]],
        *,
        name: str = "KT-XH",
        columns: Sequence[str] = (
            "Chỉ tiêu",
            "ĐVT",
            "Mục tiêu NQ",
            "TH 2023",
            "TH 2024",
            "Ước 2025",
            "KH 2025",
            "Nguồn",
        ),
        title: Title | None = None,
        **kw,
    ) -> Table:
        """Kind D: STT | Chỉ tiêu | ĐVT | Mục tiêu NQ | TH 2023 | TH 2024 | Ước 2025 | KH 2025 |
        Nguồn."""
        t = title or Title(
            title="CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI CHỦ YẾU GIAI ĐOẠN 2021 - 2025",
            unit=None,
            cluster=None,
            year=2025,
        )
        return self.table(name, [STT, *columns], rows, title=t, **kw)

    def kind_e(
        self,
        rows: Iterable[Sequence[Value]],
        *,
        name: str = "Danh sách cụm",
        columns: Sequence[str] = ("Tên đơn vị", "Cụm/Khối thi đua", "Vai trò", "Tên viết tắt"),
        title: Title | None = None,
        **kw,
    ) -> Table:
        """Kind E: STT | Tên đơn vị | Cụm/Khối thi đua | Vai trò | Tên viết tắt.

        Without a cluster column, heading rows ("CỤM THI ĐUA SỐ 1") open each block: pass them as
        rows like (None, "CỤM THI ĐUA SỐ 1").
        """
        t = title or Title(title="DANH SÁCH CỤM, KHỐI THI ĐUA NĂM {year}", unit=None, cluster=None)
        return self.table(name, [STT, *columns], rows, title=t, **kw)


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


# --- patching the saved file ----------------------------------------------------------------------


def _sheet_member(zf: zipfile.ZipFile, sheet_index: int) -> str:
    return f"xl/worksheets/sheet{sheet_index + 1}.xml"


def patch_cells(path: Path, cells: dict[str, str], sheet_index: int = 0) -> None:
    """Replace whole ``<c>`` elements of a saved sheet: ``{"F12": '<c r="F12" t="e">…</c>'}``.

    A cell that is not in the XML yet (it was blank) is appended to its row, which must exist.
    The saved values are Excel's: the file no longer asks to be recalculated on opening, as
    openpyxl marks it (fullCalcOnLoad) and Excel never saves it.
    """
    with zipfile.ZipFile(path) as zf:
        member = _sheet_member(zf, sheet_index)
        entries = [(i, zf.read(i)) for i in zf.infolist()]
    out = []
    for info, data in entries:
        if info.filename == member:
            xml = data.decode("utf-8")
            for ref, element in cells.items():
                pattern = re.compile(rf'<c r="{ref}"(?:[^>]*/>|[^>]*>.*?</c>)', re.S)
                xml, n = pattern.subn(lambda _m, e=element: e, xml, count=1)
                if n == 0:
                    row = re.match(r"[A-Z]+(\d+)", ref)
                    assert row is not None
                    xml, n = re.subn(
                        rf'(<row r="{row.group(1)}"[^>]*>.*?)(</row>)',
                        lambda m, e=element: m.group(1) + e + m.group(2),
                        xml,
                        count=1,
                        flags=re.S,
                    )
                    assert n == 1, f"row of {ref} not in the sheet"
            data = xml.encode("utf-8")
        if info.filename == "xl/workbook.xml":
            data = re.sub(rb'\s*fullCalcOnLoad="(?:1|true)"', b"", data)
        out.append((info, data))
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in out:
            zf.writestr(info.filename, data)
    tmp.replace(path)


def formula_cell(ref: str, formula: str, saved: str | None) -> str:
    """A formula cell with its saved value (``None``: as written by a program that never
    calculates)."""
    value = "" if saved is None else f"<v>{saved}</v>"
    return f'<c r="{ref}"><f>{formula}</f>{value}</c>'


def error_cell(ref: str, error: str, formula: str = "1/0") -> str:
    return f'<c r="{ref}" t="e"><f>{formula}</f><v>{error}</v></c>'


# --- raw zips -------------------------------------------------------------------------------------


@dataclass
class RawEntry:
    """A zip member given as raw-deflate chunks with the sizes and CRC to declare."""

    name: str
    chunks: Iterable[bytes]
    crc: int
    compressed_size: int
    declared_size: int


def deflate_entry(name: str, data: bytes) -> RawEntry:
    comp = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = comp.compress(data) + comp.flush()
    return RawEntry(name, [body], zlib.crc32(data), len(body), len(data))


def write_zip(path: Path, entries: Sequence[RawEntry]) -> None:
    """A zip of deflated entries written by hand (no zip64: every size stays below 4 GiB)."""
    central = io.BytesIO()
    with path.open("wb") as fh:
        for e in entries:
            offset = fh.tell()
            name = e.name.encode("utf-8")
            fh.write(
                struct.pack(
                    "<IHHHHHIIIHH",
                    0x04034B50,
                    20,
                    0x800,
                    8,
                    0,
                    0x21,
                    e.crc,
                    e.compressed_size,
                    e.declared_size,
                    len(name),
                    0,
                )
            )
            fh.write(name)
            written = 0
            for chunk in e.chunks:
                fh.write(chunk)
                written += len(chunk)
            assert written == e.compressed_size
            central.write(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    0x800,
                    8,
                    0,
                    0x21,
                    e.crc,
                    e.compressed_size,
                    e.declared_size,
                    len(name),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
            )
            central.write(name)
        start = fh.tell()
        cd = central.getvalue()
        fh.write(cd)
        fh.write(
            struct.pack(
                "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(cd), start, 0
            )
        )


def _gf2_times(mat: list[int], vec: int) -> int:
    out = 0
    i = 0
    while vec:
        if vec & 1:
            out ^= mat[i]
        vec >>= 1
        i += 1
    return out


def _gf2_square(mat: list[int]) -> list[int]:
    return [_gf2_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """zlib's crc32_combine: the CRC of A+B from crc(A), crc(B) and len(B)."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def repeated_deflate(
    prefix: bytes, block: bytes, repeats: int, suffix: bytes
) -> tuple[Iterator[bytes], int, int, int]:
    """Raw deflate of prefix + block * repeats + suffix without compressing it all.

    A full flush empties the compressor's window, so the compressed form of ``block`` after a full
    flush is the same bytes every time: it is computed once and repeated. Returns (chunks,
    compressed size, uncompressed size, crc32).
    """
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = comp.compress(prefix) + comp.flush(zlib.Z_FULL_FLUSH)
    one = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = comp.compress(suffix) + comp.flush(zlib.Z_FINISH)
    # Check the repeated block really is position independent.
    again = zlib.compressobj(9, zlib.DEFLATED, -15)
    again.compress(prefix)
    again.flush(zlib.Z_FULL_FLUSH)
    again.compress(block)
    again.flush(zlib.Z_FULL_FLUSH)
    assert again.compress(block) + again.flush(zlib.Z_FULL_FLUSH) == one
    crc_block = zlib.crc32(block)
    crc_repeated = 0
    length = 0
    # crc of block * repeats by doubling
    acc_crc, acc_len, n = crc_block, len(block), repeats
    while n:
        if n & 1:
            crc_repeated = crc32_combine(crc_repeated, acc_crc, acc_len) if length else acc_crc
            length += acc_len
        acc_crc = crc32_combine(acc_crc, acc_crc, acc_len)
        acc_len *= 2
        n >>= 1
    crc = crc32_combine(zlib.crc32(prefix), crc_repeated, length)
    crc = crc32_combine(crc, zlib.crc32(suffix), len(suffix))
    total = len(prefix) + length + len(suffix)

    def chunks() -> Iterator[bytes]:
        yield head
        batch = one * 256
        left = repeats
        while left >= 256:
            yield batch
            left -= 256
        if left:
            yield one * left
        yield tail

    size = len(head) + len(one) * repeats + len(tail)
    return chunks(), size, total, crc


def xlsx_with_sheet_xml(path: Path, sheet: RawEntry, source: Path) -> None:
    """Copy the saved workbook ``source`` to ``path``, with its first sheet's XML replaced by
    ``sheet``."""
    with zipfile.ZipFile(source) as zf:
        others = [
            deflate_entry(i.filename, zf.read(i))
            for i in zf.infolist()
            if i.filename != "xl/worksheets/sheet1.xml"
        ]
    write_zip(path, [*others, sheet])


# --- the database ---------------------------------------------------------------------------------

# Tables a load writes to; "nothing loaded" means none of these changed.
DATA_TABLES = (
    "imports",
    "import_scopes",
    "unit_results",
    "criterion_scores",
    "targets",
    "indicator_values",
    "indicator_targets",
    "members",
    "framework_criteria",
)


def counts(con) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in DATA_TABLES}


def rows(con, sql: str, params: list | None = None) -> list[dict]:
    """Query results as dicts (column name -> value), fetched fully."""
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


# --- the Tiền Giang framework ---------------------------------------------------------------------

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TIEN_GIANG_TSV = FIXTURES / "tien_giang_framework.tsv"
TIEN_GIANG_UNIT = "Phòng Tài nguyên và Môi trường huyện Cai Lậy"


def _as_typed(raw: str) -> Value:
    """A framework cell pasted into Excel: whole numbers become numbers, the rest stays text."""
    if raw == "":
        return None
    return int(raw) if re.fullmatch(r"\d+", raw) else raw


def tien_giang_rows() -> list[dict[str, str]]:
    """The Tiền Giang Department of Natural Resources and Environment framework (bảng điểm
    chuẩn), one dict per row (code, merged, criterion, max, bonus, deduction), its two total rows
    included."""
    import csv

    with TIEN_GIANG_TSV.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def tien_giang_index(key: str, framework: list[dict[str, str]]) -> int:
    """Row index for a key: a code ("a4"), or "X>Y": the first row coded Y after the row coded X
    ("3.3.2.2>c"), or "X>": the first uncoded row after X (an alternative level)."""
    anchor, sep, sub = key.partition(">")
    idx = next(i for i, r in enumerate(framework) if r["code"] == anchor)
    if sep:
        idx = next(j for j in range(idx + 1, len(framework)) if framework[j]["code"] == sub)
    return idx


def tien_giang_book(self_scores: dict[str, Value], total_self: Value = None, **title) -> Book:
    """The framework as a scoring sheet with an added "Điểm tự chấm" column filled from
    ``self_scores`` (keys as in :func:`tien_giang_index`); the "Tổng cộng" row at the top and the
    "Tổng cộng … 100 điểm" row at the bottom as in the original."""
    framework = tien_giang_rows()
    scores = {tien_giang_index(k, framework): v for k, v in self_scores.items()}
    data = [
        (
            r["code"] or None,
            r["criterion"],
            _as_typed(r["max"]),
            _as_typed(r["bonus"]),
            _as_typed(r["deduction"]),
            scores.get(i),
        )
        for i, r in enumerate(framework)
    ]
    merges = []
    i = 1
    while i < len(framework) - 1:
        if framework[i]["merged"] and framework[i]["code"]:
            n = 1
            while framework[i + n]["merged"] and not framework[i + n]["code"]:
                n += 1
            merges.append((i - 1, n))
            i += n
        else:
            i += 1
    book = Book()
    t = Title(
        year=title.get("year", 2022),
        title="BẢNG TỰ CHẤM ĐIỂM THI ĐUA NĂM {year}",
        unit=title.get("unit", TIEN_GIANG_UNIT),
        cluster=title.get("cluster", "CỤM THI ĐUA SỐ 3"),
        body=("UBND HUYỆN CAI LẬY", "PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG"),
    )
    headers: list[Header] = [
        "STT",
        "TIÊU CHUẨN THI  ĐUA",
        Group("ĐIỂM", ["Chuẩn", "Thưởng", "Trừ"]),
        "Điểm tự chấm",
    ]
    book.table(
        "Bảng điểm",
        headers,
        data[1:-1],
        title=t,
        top_total=data[0],
        total=(*data[-1][:5], total_self),
        merge_down=merges,
    )
    return book


# --- kind F, the scoring framework -------------------------------------------------------------

FRAMEWORK_TITLE = "BẢNG ĐIỂM CHUẨN CHẤM ĐIỂM THI ĐUA NĂM {year}"


def framework_title(**kw) -> Title:
    """The title block of a framework: no unit line; the cluster unless ``cluster=None``."""
    return Title(**{"title": FRAMEWORK_TITLE, "unit": None, **kw})


def framework_tree(
    book: Book,
    rows: Iterable[Sequence[Value]],
    *,
    name: str = "Điểm chuẩn",
    title: Title | None = None,
    **kw,
) -> Table:
    """Kind F as a kind-A table without scores: STT | Nội dung tiêu chí | ĐIỂM [Chuẩn | Thưởng |
    Trừ] | Ghi chú; each row is (code, criterion, max, bonus, deduction[, note])."""
    headers: list[Header] = [STT, CRITERION, Group(SCORE_GROUP, ["Chuẩn", "Thưởng", "Trừ"])]
    headers.append("Ghi chú")
    return book.table(name, headers, rows, title=title or framework_title(), **kw)


def framework_flat(
    book: Book,
    rows: Iterable[Sequence[Value]],
    *,
    name: str = "Khung điểm",
    headers: Sequence[str] = ("Cấp", "Thứ tự", "Điểm", "Nội dung"),
    title: Title | None = None,
    **kw,
) -> Table:
    """Kind F as a flat list: each row is (level, order, max, name), in tree order."""
    return book.table(name, list(headers), rows, title=title or framework_title(), **kw)
