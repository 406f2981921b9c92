"""Transformations of a workbook that must not change a single figure (issue #8, workbooks.md §1).

Each is what an office does to a file without changing what it says: move the table (title rows
added, columns inserted on the left), type in decomposed Unicode, retype numbers as text (decimal
comma, non-breaking-space thousands, "− 0,5"), protect the sheets, keep an old copy in a hidden
sheet or a hidden older column before each score column, hide rows by hand or by a filter, use
look-alike dashes and apostrophes in names, reorder the sheets.

Where the score columns are is taken from the ETL's own reading of the untouched file: the test
is that the reading of the transformed file gives the same figures, not how columns are found.
Transformations work on copies with openpyxl; openpyxl's insert_rows/insert_cols do not move
merged ranges, so each sheet is rebuilt cell by cell through a row and column map.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from etl.kinds import registry
from etl.read.layout import Layout, find_layout
from etl.read.numbers import parse_number
from etl.read.text import canonical_cluster, lookalike, nfc
from etl.read.workbook import open_workbook

# Columns whose figures reach a view: an older copy hidden before any of them must not be read.
SCORE_ROLES = (
    "max",
    "bonus_allowed",
    "deduction_allowed",
    "self",
    "assessed",
    "bonus",
    "deduction",
    "total",
    "rank",
    "planned",
    "actual",
    "pct",
)
# Neutral title lines: no year, unit, cluster or period a title parser could take.
TITLE_LINES = ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", None, "Số: 45/BC-HĐTĐKT")
MINUS = {"ascii": "-", "spaced": "- ", "unicode": "− "}


@dataclass(frozen=True)
class Plan:
    title_rows: int = 0  # neutral lines added above everything
    left_cols: int = 0  # empty columns inserted on the left
    nfd: bool = False
    numbers_as_text: bool = False
    minus: str = "unicode"  # how a negative number is retyped: "-0,5", "- 0,5", "− 0,5"
    protect: bool = False
    hidden_old_sheet: bool = False
    hidden_old_column: str | None = None  # None, "same" header or "edition" ("… (lần 1)")
    hide_rows: str | None = None  # None, "hand" or "filter"
    lookalikes: bool = False
    reorder: bool = False
    # An older copy hidden before every column of the table, whatever its role (issue 17).
    hidden_old_every: bool = False

    def describe(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self.__dict__.items() if v not in (0, False, None))


ALL = Plan(
    title_rows=3,
    left_cols=2,
    nfd=True,
    numbers_as_text=True,
    protect=True,
    hidden_old_sheet=True,
    hidden_old_column="edition",
    hide_rows="filter",
    lookalikes=True,
    reorder=True,
)


@dataclass
class SheetPlan:
    """Where the ETL found the table of one sheet in the untouched file (0-based)."""

    layout: Layout
    height: int
    score_cols: list[int] = field(default_factory=list)
    every_cols: list[int] = field(default_factory=list)  # every column the ETL reads


def read_layouts(path: Path) -> dict[str, SheetPlan]:
    wb = open_workbook(path)
    out: dict[str, SheetPlan] = {}
    for name in wb.sheet_names:
        if wb.sheet_type(name) != "worksheet" or wb.sheet_hidden(name):
            continue
        sheet = wb.read_sheet(name)
        if sheet.height == 0 or sheet.frame.width == 0:
            continue
        layout = find_layout(sheet, registry.COLUMN_ROLES)
        if layout is None:
            continue
        cols = {c for role, c in layout.columns.items() if role in SCORE_ROLES}
        cols |= {c for _, _, c in layout.year_columns}
        cols |= {c for _, group in layout.unit_columns for c in group.values()}
        out[name] = SheetPlan(layout, sheet.height, sorted(cols), _every_column(layout, cols))
    return out


def _every_column(layout: Layout, score_cols: set[int]) -> list[int]:
    cols = set(score_cols) | set(layout.columns.values())
    if layout.target_column is not None:
        cols.add(layout.target_column)
    return sorted(cols)


# --- cell values ----------------------------------------------------------------------------------


def _is_number(v: object) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _year_like(v: float) -> bool:
    return float(v).is_integer() and 1900 <= v <= 2100


def vn_text(v: float, minus: str) -> str:
    """A number as a clerk types it as text: decimal comma, NBSP thousands, a spaced minus."""
    sign = MINUS[minus] if v < 0 else ""
    v = abs(v)
    if float(v).is_integer():
        whole, frac = int(v), ""
    else:
        text = repr(float(v))
        if "e" in text:
            text = f"{v:.15f}".rstrip("0")
        whole_s, _, frac = text.partition(".")
        whole = int(whole_s)
    grouped = f"{whole:,}".replace(",", "\u00a0")
    return sign + grouped + ("," + frac if frac else "")


def _older(v: object) -> object:
    """An earlier edition of a figure: different, so that reading it would show."""
    if _is_number(v):
        return v + 7
    if isinstance(v, str):
        parsed = parse_number(v)
        if parsed.kind == "number" and parsed.value is not None:
            return parsed.value + 7
    return v


def _retype(ws: Worksheet, fn: Callable[[object], object]) -> None:
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell, MergedCell) or cell.value is None:
                continue
            new = fn(cell.value)
            if new is not cell.value:
                cell.value = new


# --- moving cells ---------------------------------------------------------------------------------


def _rebuild(
    wb: openpyxl.Workbook,
    ws: Worksheet,
    row_shift: int,
    col_map: Callable[[int], int],
    header_rows: range,
    inserted: dict[int, int],
) -> Worksheet:
    """A copy of ``ws`` with every cell, merge and dimension moved (1-based maps).

    ``inserted`` maps an old score column to the new hidden column placed just before it: a
    header merge that starts at the score column is widened to take the hidden column in, so it
    stays under its group ("ĐIỂM", a unit's name).
    """
    index = wb.worksheets.index(ws)
    new = wb.create_sheet(title=ws.title + "~", index=index)
    for (r, c), cell in list(ws._cells.items()):
        if isinstance(cell, MergedCell) or cell.value is None:
            continue
        target = new.cell(r + row_shift, col_map(c), cell.value)
        target.number_format = cell.number_format
    for rng in ws.merged_cells.ranges:
        c1 = col_map(rng.min_col)
        if rng.min_col in inserted and rng.min_row in header_rows and rng.max_col > rng.min_col:
            c1 = inserted[rng.min_col]
            anchor = new.cell(rng.min_row + row_shift, col_map(rng.min_col))
            new.cell(rng.min_row + row_shift, c1, anchor.value)
        new.merge_cells(
            start_row=rng.min_row + row_shift,
            start_column=c1,
            end_row=rng.max_row + row_shift,
            end_column=col_map(rng.max_col),
        )
    for dim in ws.column_dimensions.values():
        if dim.width:
            new.column_dimensions[get_column_letter(col_map(dim.min or 1))].width = dim.width
    for r, dim in ws.row_dimensions.items():
        if dim.height:
            new.row_dimensions[r + row_shift].height = dim.height
    new.sheet_state = ws.sheet_state
    title = ws.title
    wb.remove(ws)
    new.title = title
    return new


def _move(wb: openpyxl.Workbook, ws: Worksheet, plan: Plan, sp: SheetPlan | None) -> Worksheet:
    scores = [c + 1 for c in sp.score_cols] if sp and plan.hidden_old_column else []
    if sp and plan.hidden_old_every:
        scores = [c + 1 for c in sp.every_cols]

    def col_map(c: int) -> int:
        return c + plan.left_cols + sum(1 for s in scores if s <= c)

    inserted = {s: col_map(s) - 1 for s in scores}
    shift = plan.title_rows
    header = range(sp.layout.header_top + 1, sp.layout.header_bottom + 2) if sp else range(0)
    if not (shift or plan.left_cols or scores):
        return ws
    new = _rebuild(wb, ws, shift, col_map, header, inserted)
    first = 1 + plan.left_cols
    for i in range(shift):
        line = TITLE_LINES[i % len(TITLE_LINES)]
        if line:
            new.cell(i + 1, first, line)
    if sp and scores:
        _fill_hidden_columns(new, sp, scores, plan, col_map)
    return new


def _fill_hidden_columns(new: Worksheet, sp: SheetPlan, scores, plan: Plan, col_map) -> None:
    """An older edition of each score column, hidden just before it."""
    shift = plan.title_rows
    top, bottom = sp.layout.header_top + 1, sp.layout.header_bottom + 1
    for s in scores:
        hidden = col_map(s) - 1
        visible = col_map(s)
        letter = get_column_letter(hidden)
        new.column_dimensions[letter].hidden = True
        labelled = [
            r
            for r in range(top, bottom + 1)
            if not isinstance(new.cell(r + shift, visible), MergedCell)
            and new.cell(r + shift, visible).value is not None
        ]
        for r in labelled:
            v = new.cell(r + shift, visible).value
            if plan.hidden_old_column == "edition" and r == labelled[-1]:
                v = f"{v} (lần 1)"
            new.cell(r + shift, hidden, v)
            # A plain header merged down both header rows: the copy is merged the same way.
            span = next(
                (
                    m
                    for m in new.merged_cells.ranges
                    if m.min_row == r + shift and m.min_col == m.max_col == visible
                ),
                None,
            )
            if span is not None:
                new.merge_cells(
                    start_row=span.min_row,
                    start_column=hidden,
                    end_row=span.max_row,
                    end_column=hidden,
                )
        for r in range(bottom + 1, sp.height + 1):
            cell = new.cell(r + shift, visible)
            if isinstance(cell, MergedCell) or cell.value is None:
                continue
            older = _older(cell.value)
            if plan.hidden_old_every and older == cell.value and isinstance(older, str):
                older = _older_text(older)
            new.cell(r + shift, hidden, older)


def _older_text(v: str) -> str:
    """An earlier edition of a text (a code, a name, a criterion): different, so that reading it
    would show; a cluster heading stays one (the older copy of a heading row is a heading too)."""
    return v if canonical_cluster(v) else f"{v} (bản cũ)"


def _hide_rows(ws: Worksheet, plan: Plan, sp: SheetPlan) -> None:
    first = sp.layout.data_start + 1 + plan.title_rows
    last = sp.height + plan.title_rows
    for r in range(first, last + 1, 3):
        ws.row_dimensions[r].hidden = True
    if plan.hide_rows == "filter":
        top = sp.layout.header_bottom + 1 + plan.title_rows
        ws.auto_filter.ref = f"A{top}:{get_column_letter(max(ws.max_column, 1))}{last}"


def _old_copy(wb: openpyxl.Workbook, ws: Worksheet) -> None:
    """An earlier copy of a table, kept in a hidden sheet in front of the others."""
    copy = wb.copy_worksheet(ws)
    copy.title = "Bản cũ (ẩn)"
    _retype(copy, _older)
    copy.sheet_state = "hidden"
    wb.move_sheet(copy, offset=-wb.worksheets.index(copy))


def transform(src: Path, dst: Path, plan: Plan) -> Path:
    layouts = (
        read_layouts(src)
        if (plan.hidden_old_column or plan.hide_rows or plan.hidden_old_every)
        else {}
    )
    wb = openpyxl.load_workbook(src)
    for ws in list(wb.worksheets):
        sp = layouts.get(ws.title)
        ws = _move(wb, ws, plan, sp)
        if plan.hide_rows and sp is not None:
            _hide_rows(ws, plan, sp)
        if plan.protect:
            ws.protection.sheet = True
            ws.protection.password = "1234"
    if plan.hidden_old_sheet:
        visible = [ws for ws in wb.worksheets if ws.sheet_state == "visible"]
        if visible:
            _old_copy(wb, visible[0])
    for ws in wb.worksheets:
        if plan.numbers_as_text:
            _retype(
                ws,
                lambda v: vn_text(v, plan.minus) if _is_number(v) and not _year_like(v) else v,
            )
        if plan.nfd:
            _retype(ws, lambda v: unicodedata.normalize("NFD", v) if isinstance(v, str) else v)
        if plan.lookalikes:
            _retype(
                ws,
                lambda v: v.replace(" - ", " – ").replace("'", "’") if isinstance(v, str) else v,
            )
            ws.title = ws.title.replace("'", "’").replace(" - ", " – ")
    if plan.reorder:
        wb._sheets.reverse()
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = False
    wb.active = next(i for i, ws in enumerate(wb.worksheets) if ws.sheet_state == "visible")
    wb.active.sheet_view.tabSelected = True
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


# --- legacy encodings (issue #17) -----------------------------------------------------------------


def _legacy_tables() -> dict[str, dict[str, str]]:
    from etl.read import text

    tcvn3 = {letter: code for code, letter in text._TCVN3.items()}
    vni: dict[str, str] = {}
    for code, letter in text._VNI.items():
        if code == (code.lower() if letter.islower() else code.upper()):
            vni[letter] = code
    return {"TCVN3": tcvn3, "VNI": vni}


_LEGACY = _legacy_tables()
_WORDS = re.compile(r"\w+")


def to_legacy(value: str, encoding: str) -> str:
    """``value`` as typed with a legacy font encoding ('TCVN3' or 'VNI'): what an office that
    never moved to Unicode sends. TCVN3 has no capital "Ở": its offices type capitals with a
    capitals font (.VnTimeH) that shows the small letters' codes as capitals, so a capital is
    written with its small letter's code."""
    table = _LEGACY[encoding]

    def one(m: re.Match[str]) -> str:
        return "".join(
            table.get(ch) or table.get(ch.lower(), ch) if not ch.isascii() else ch
            for ch in m.group(0)
        )

    return _WORDS.sub(one, unicodedata.normalize("NFC", value))


# --- comparing views ------------------------------------------------------------------------------

VIEWS = (
    "v_unit_scores",
    "v_criterion_scores",
    "v_target_completion",
    "v_province_indicators",
    "v_cluster_members",
)
# Where a figure came from legitimately moves with the table.
MOVING = {"import_id", "source_file", "source_cell", "source_row", "source_sheet"}


# Cells kept as typed beside their figure: "93.5" from a number cell, "93,5" typed as text.
TYPED = {"planned_text", "actual_text"}


def _canonical(v: object, column: str = "") -> object:
    if isinstance(v, float):
        return round(v, 6) + 0.0
    if isinstance(v, str):
        if column in TYPED:
            parsed = parse_number(v)
            if parsed.kind == "number" and parsed.value is not None:
                return (round(parsed.value, 6) + 0.0, parsed.percent)
            if parsed.kind == "ambiguous" and parsed.alt is not None:
                # A kept text "13.100" beside an amount: shown by a number format (dot
                # thousands) as the clerk typed "13 100" (issue #17).
                return (round(parsed.alt, 6) + 0.0, parsed.percent)
        return lookalike(nfc(v))
    return v


def snapshot(con) -> dict[str, list[tuple]]:
    """Every public view, without the columns that say where a figure sits, as sorted rows.

    Texts are compared in NFC with look-alike dashes and apostrophes made ASCII: stored text
    stays as typed, and these are the same name to the reader (workbooks.md §1)."""
    out = {}
    for view in VIEWS:
        cur = con.execute(f"SELECT * FROM {view}")
        names = [d[0] for d in cur.description]
        keep = [i for i, n in enumerate(names) if n not in MOVING]
        rows = [tuple(_canonical(r[i], names[i]) for i in keep) for r in cur.fetchall()]
        out[view] = sorted(rows, key=repr)
    return out


def differences(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> list[str]:
    out = []
    for view in VIEWS:
        a, b = before[view], after[view]
        if a == b:
            continue
        gone = [r for r in a if r not in b][:3]
        new = [r for r in b if r not in a][:3]
        out.append(f"{view}: {len(a)} → {len(b)} dòng; mất {gone}; thêm {new}")
    return out


# --- what the clerk sees (issue #17): number formats, formulas, legacy encodings, file formats ----

_UNIT_WORD = re.compile(r"[^\W\d_]")


def _as_number(v: object) -> tuple[float, str] | None:
    """A figure typed as text ("92,5%", "12 500", "- 0,5") as the number a program stores and
    the number format that shows it the same way; None for anything else."""
    if not isinstance(v, str):
        return None
    parsed = parse_number(v)
    if parsed.kind != "number" or parsed.value is None or _UNIT_WORD.search(v):
        return None
    fraction = repr(float(parsed.value)).partition(".")[2]
    decimals = 0 if "e" in fraction or fraction == "0" else len(fraction)
    tail = "." + "0" * decimals if decimals else ""
    if parsed.percent:
        return parsed.value / 100, f"0{tail}%"
    if abs(parsed.value) >= 1000:
        return parsed.value, f"#,##0{tail}"
    return parsed.value, f"0{tail}" if decimals else "General"


def formatted(src: Path, dst: Path, formulas: str | None = None) -> Path:
    """The figures of every score column stored as numbers with a number format that shows them
    as they were typed ("92,5%" is 0.925 shown "0.0%", "12 500" is 12500 shown "#,##0").

    With ``formulas``, each figure becomes a formula whose saved value cannot be trusted:
    "none" (no saved value: openpyxl's own output) or "placeholder" (0 saved, the workbook
    flagged to recalculate on opening, as XlsxWriter and web systems write it)."""
    layouts = read_layouts(src)
    wb = openpyxl.load_workbook(src)
    for ws in wb.worksheets:
        sp = layouts.get(ws.title)
        if sp is None:
            continue
        for c in sp.score_cols:
            for r in range(sp.layout.data_start + 1, sp.height + 1):
                cell = ws.cell(r, c + 1)
                if isinstance(cell, MergedCell) or cell.value is None:
                    continue
                number = _as_number(cell.value)
                if number is None and _is_number(cell.value):
                    number = (float(cell.value), cell.number_format)
                if number is None:
                    continue
                value, fmt = number
                cell.number_format = fmt
                cell.value = f"={value!r}*1" if formulas else value
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    if formulas == "placeholder":
        _rewrite(dst, lambda name, data: re.sub(rb"(</f>)(?!<v>)", rb"\1<v>0</v>", data))
    return dst


def legacy(src: Path, dst: Path, encoding: str) -> Path:
    """Every text typed in a legacy encoding (TCVN3 or VNI), as an office that never moved to
    Unicode sends it; sheet names stay (Excel shows a tab's name in Unicode)."""
    wb = openpyxl.load_workbook(src)
    for ws in wb.worksheets:
        _retype(ws, lambda v: to_legacy(v, encoding) if isinstance(v, str) else v)
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


def _rewrite(path: Path, fn: Callable[[str, bytes], bytes]) -> None:
    """Rewrite every XML part of a zipped workbook through ``fn(name, data)``."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        entries = [(i.filename, zf.read(i)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            xml = name.endswith((".xml", ".rels"))
            zf.writestr(name, fn(name, data) if xml else data)


# Transitional namespaces and their ISO/IEC 29500 Strict counterparts.
STRICT = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": (
        b"http://purl.oclc.org/ooxml/spreadsheetml/main"
    ),
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
    b"http://schemas.openxmlformats.org/drawingml/2006/main": (
        b"http://purl.oclc.org/ooxml/drawingml/main"
    ),
}


def strict(src: Path, dst: Path) -> Path:
    """The workbook saved as Strict Open XML (Excel's "Strict Open XML Spreadsheet")."""
    import shutil

    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)

    def swap(_name: str, data: bytes) -> bytes:
        for old, new in STRICT.items():
            data = data.replace(old, new)
        return data

    _rewrite(dst, swap)
    return dst


def libreoffice(
    files: list[Path], fmt: str, where: Path, profile: Path | None = None
) -> list[Path]:
    """``files`` saved by LibreOffice Calc as ``fmt`` (xls, ods, xlsx), in one run of soffice,
    with the user ``profile`` folder given (one made for each run costs seconds) or its own."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice")
    assert soffice is not None
    where.mkdir(parents=True, exist_ok=True)
    filters = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "xls": "xls", "ods": "ods"}
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile or where / 'profile'}", "--headless",
         "--convert-to", filters[fmt], "--outdir", str(where), *map(str, files)],
        capture_output=True, timeout=600, check=True,
    )  # fmt: skip
    out = [where / f"{f.stem}.{fmt}" for f in files]
    missing = [p.name for p in out if not p.exists()]
    assert not missing, f"LibreOffice did not write {missing}"
    return out


def casefolded(views: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """Views with every text case-folded: TCVN3 writes capitals with a capitals font that uses
    the small letters' codes, so "Ủy" typed in TCVN3 comes back as "ủy"."""
    return {
        view: sorted(
            (tuple(v.casefold() if isinstance(v, str) else v for v in row) for row in rows),
            key=repr,
        )
        for view, rows in views.items()
    }


# --- Excel Tables and stacked blocks (issue 17) ---------------------------------------------------


def _insert_row(ws: Worksheet, at: int) -> None:
    """A blank row at ``at`` (1-based), moving merges and row heights below it too."""
    moved = []
    for rng in list(ws.merged_cells.ranges):
        if rng.min_row >= at:
            moved.append((rng.min_row, rng.min_col, rng.max_row, rng.max_col))
            ws.unmerge_cells(str(rng))
    dims = {r: (d.height, d.hidden) for r, d in list(ws.row_dimensions.items()) if r >= at}
    ws.insert_rows(at)
    for r in sorted(dims, reverse=True):
        height, hidden = dims[r]
        ws.row_dimensions[r + 1].height = height
        ws.row_dimensions[r + 1].hidden = hidden
        ws.row_dimensions[r].height = None
        ws.row_dimensions[r].hidden = False
    for r1, c1, r2, c2 in moved:
        ws.merge_cells(start_row=r1 + 1, start_column=c1, end_row=r2 + 1, end_column=c2)


def _table_rows(ws: Worksheet, sp: SheetPlan, left: int, right: int) -> int | None:
    """The last sheet row (1-based) of the table's data: above the footer, with a value."""
    from etl.read.layout import is_footer_row

    last = None
    for r in range(sp.layout.data_start + 1, ws.max_row + 1):
        values = [ws.cell(r, c).value for c in range(1, ws.max_column + 1)]
        texts = [None if v is None else str(v) for v in values]
        if is_footer_row(texts):
            break
        if any(ws.cell(r, c).value is not None for c in range(left, right + 1)):
            last = r
    return last


def as_excel_tables(src: Path, dst: Path) -> tuple[Path, list[str]]:
    """Each table Excel can format as a Table ("Format as Table": a one-row header and no merged
    cell inside) is made one, with banded rows and a totals row added under its data: "Bình
    quân" in the unit (or first) column and a figure in every score column. Returns the file and
    the sheets so formatted (Excel refuses the others, and so would the office)."""
    from openpyxl.worksheet.table import Table, TableStyleInfo

    layouts = read_layouts(src)
    wb = openpyxl.load_workbook(src)
    done: list[str] = []
    for ws in wb.worksheets:
        sp = layouts.get(ws.title)
        if sp is None or sp.layout.header_top != sp.layout.header_bottom or ws.tables:
            continue
        header = sp.layout.header_top + 1
        filled = [c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value is not None]
        if not filled:
            continue
        left, right = min(filled), max(filled)
        last = _table_rows(ws, sp, left, right)
        if last is None:
            continue
        names = [str(ws.cell(header, c).value or "") for c in range(left, right + 1)]
        crossing = any(
            m.min_row <= last + 1
            and m.max_row >= header
            and m.min_col <= right
            and m.max_col >= left
            for m in ws.merged_cells.ranges
        )
        if crossing or "" in names or len(set(names)) < len(names):
            continue
        for c in range(left, right + 1):
            ws.cell(header, c).value = str(ws.cell(header, c).value)
        totals = last + 1
        _insert_row(ws, totals)
        label = sp.layout.columns.get("unit", sp.layout.columns.get("criterion", left - 1)) + 1
        ws.cell(totals, label if left <= label <= right else left, "Bình quân")
        for c in sp.score_cols:
            if left <= c + 1 <= right and c + 1 != label:
                ws.cell(totals, c + 1, 99.99)
        table = Table(
            displayName=f"Bang{len(done) + 1}",
            ref=f"{get_column_letter(left)}{header}:{get_column_letter(right)}{totals}",
            totalsRowCount=1,
        )
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        ws.add_table(table)
        done.append(ws.title)
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst, done


def _copy_rows(src: Worksheet, first: int, last: int, dst: Worksheet, at: int) -> int:
    """Rows ``first``..``last`` of ``src`` (values, number formats, merges inside them) written
    from row ``at`` of ``dst``; returns the next free row."""
    for (r, c), cell in list(src._cells.items()):
        if first <= r <= last and not isinstance(cell, MergedCell) and cell.value is not None:
            target = dst.cell(r - first + at, c, cell.value)
            target.number_format = cell.number_format
    for rng in src.merged_cells.ranges:
        if first <= rng.min_row and rng.max_row <= last:
            dst.merge_cells(
                start_row=rng.min_row - first + at,
                start_column=rng.min_col,
                end_row=rng.max_row - first + at,
                end_column=rng.max_col,
            )
    return at + last - first + 1


def stacked(files: list[Path], dst: Path) -> Path:
    """The one-cluster summaries of a year stacked on one sheet, as a province summary of all
    clusters is made: the first file's title block without its cluster lines, then per file a
    merged line "CỤM THI ĐUA SỐ N" over that file's own header and units, a blank line between
    blocks, and the first file's signatures under the last."""
    from etl.read.layout import parse_title

    out = openpyxl.Workbook()
    ws = out.active
    ws.title = "Tổng hợp các cụm"
    row = 1
    footer: tuple[Worksheet, int, int] | None = None
    for k, path in enumerate(files):
        ((name, sp),) = read_layouts(path).items()
        sheet = open_workbook(path).read_sheet(name)
        title = parse_title(sheet.rows(0, sp.layout.header_top))
        assert title.cluster, path
        src = openpyxl.load_workbook(path)[name]
        header = sp.layout.header_top + 1
        width = max(c for c in range(1, src.max_column + 1) if src.cell(header, c).value)
        left = min(c for c in range(1, src.max_column + 1) if src.cell(header, c).value)
        last = _table_rows(src, sp, left, width) or header
        if k == 0:
            for r in range(1, header):
                for c in range(1, src.max_column + 1):
                    v = src.cell(r, c).value
                    cluster_line = isinstance(v, str) and canonical_cluster(v)
                    merged = isinstance(src.cell(r, c), MergedCell)
                    if v is not None and not merged and not cluster_line:
                        ws.cell(row + r - 1, c, v)
            row += header  # the title block and a blank line
            footer = (src, last + 1, src.max_row)
        ws.cell(row, left, title.cluster.upper())
        ws.merge_cells(start_row=row, start_column=left, end_row=row, end_column=width)
        row = _copy_rows(src, header, last, ws, row + 1) + 1
    assert footer is not None
    _copy_rows(*footer, ws, row)
    dst.parent.mkdir(parents=True, exist_ok=True)
    out.save(dst)
    return dst
