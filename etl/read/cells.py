"""What a cell holds and what the clerk sees in it: the one cell reader every kind reads through.

calamine (through fastexcel) gives each cell's stored value as a string, fast; the sheet's XML is
streamed once (etl.read.workbook) for what calamine does not report. This module owns the rest:

- number formats: the format of each styled number cell (xl/styles.xml), the text Excel would
  show for it ("92,5%", "12.500", "3,50"), with Vietnamese separators, and what a percent cell
  counts as (0.925 shown "92,5%" is 92.5, exactly as if "92,5%" had been typed; workbooks.md §1);
- formulas: whether their saved values can be trusted (not when the workbook asks to be
  recalculated on opening, as XlsxWriter and many web systems write it with a placeholder 0, nor
  when a formula has no saved value) and, when not, their values computed with Excel's
  semantics by the `formulas` library;
- `Cell`: one cell with all of it, for the cells a message or a check looks at one by one.

The display formatter is our own on purpose: the `formulas` library's TEXT() was measured
(1.3.4): "0.0" shows 3.25 as "3.2", "0.0;-0.0" shows -0.5 as "--0.5", a "[Red]" section raises.
Only what a figure depends on is formatted here: digits, decimals, thousands, percent, literals.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils import column_index_from_string

GENERAL = "General"

_NUM_FMT = re.compile(rb"<numFmt\b[^>]*>")
_CELL_XFS = re.compile(rb"<cellXfs\b[^>]*>(.*?)</cellXfs>", re.S)
_XF = re.compile(rb"<xf\b[^>]*>")
_FMT_ID = re.compile(rb'\bnumFmtId="([0-9]+)"')
_FMT_CODE = re.compile(rb'\bformatCode="([^"]*)"')
# <calcPr fullCalcOnLoad="1"/>: the program that wrote the file did not calculate its formulas.
_FULL_CALC = re.compile(rb'<calcPr\b[^>]*\bfullCalcOnLoad="(?:1|true)"')


def number_formats(zf: zipfile.ZipFile) -> list[str]:
    """The number format code of each cell style (the ``s`` attribute of a cell), by index."""
    import html

    try:
        data = zf.read("xl/styles.xml")
    except KeyError:
        return []
    custom: dict[int, str] = {}
    for tag in _NUM_FMT.findall(data):
        fid, code = _FMT_ID.search(tag), _FMT_CODE.search(tag)
        if fid and code:
            custom[int(fid.group(1))] = html.unescape(code.group(1).decode("utf-8", "replace"))
    xfs = _CELL_XFS.search(data)
    out = []
    for tag in _XF.findall(xfs.group(1)) if xfs else []:
        fid = _FMT_ID.search(tag)
        n = int(fid.group(1)) if fid else 0
        out.append(custom.get(n) or BUILTIN_FORMATS.get(n) or GENERAL)
    return out


def recalculate_on_open(zf: zipfile.ZipFile) -> bool:
    """Whether the workbook asks to be recalculated when opened (its saved values are not kept)."""
    try:
        return _FULL_CALC.search(zf.read("xl/workbook.xml")) is not None
    except KeyError:
        return False


def shows_number(code: str) -> bool:
    """Whether a format changes how a number is shown (not General, text or a date)."""
    return code not in (GENERAL, "@", "") and not is_date_format(code)


# --- showing a number as Excel would, with Vietnamese separators --------------------------------

_BRACKET = re.compile(r"\[[^\]]*\]")
_QUOTED = re.compile(r'"([^"]*)"|\\(.)|_.|\*.')
_PLACEHOLDERS = re.compile(r"[0#?][0#?,]*(?:\.[0#?]*)?|\.[0#?]+")


def _section(code: str, value: float) -> tuple[str, bool]:
    """The section of ``code`` that shows ``value`` and whether it shows the sign itself."""
    sections = _split_sections(code)
    if value < 0 and len(sections) > 1:
        return sections[1], True
    if value == 0 and len(sections) > 2:
        return sections[2], True
    return sections[0], False


def _split_sections(code: str) -> list[str]:
    out, cur, quoted = [], "", False
    i = 0
    while i < len(code):
        ch = code[i]
        if ch == '"':
            quoted = not quoted
        elif ch == "\\" and not quoted and i + 1 < len(code):
            cur += code[i : i + 2]
            i += 2
            continue
        elif ch == ";" and not quoted:
            out.append(cur)
            cur = ""
            i += 1
            continue
        cur += ch
        i += 1
    out.append(cur)
    return out


def percent_count(code: str) -> int:
    """How many times a format multiplies by 100 (one per unquoted "%" of its first section)."""
    section = _QUOTED.sub("", _BRACKET.sub("", _split_sections(code)[0]))
    return section.count("%")


def _digits(value: Decimal, placeholder: str) -> str:
    whole_p, _, frac_p = placeholder.partition(".")
    scale = 0
    while whole_p.endswith(","):  # "#,##0," shows thousands
        whole_p = whole_p[:-1]
        scale += 3
    if scale:
        value = value.scaleb(-scale)
    decimals = len(frac_p)
    quantum = Decimal(1).scaleb(-decimals)
    rounded = abs(value).quantize(quantum, rounding=ROUND_HALF_UP)
    whole, _, frac = f"{rounded:f}".partition(".")
    min_whole = whole_p.count("0")
    whole = whole.lstrip("0") or ""
    whole = whole.rjust(min_whole, "0")
    if "," in whole_p and whole:
        groups = []
        while len(whole) > 3:
            groups.insert(0, whole[-3:])
            whole = whole[:-3]
        whole = ".".join([whole, *groups])
    # Optional decimals ("#") are dropped when zero, required ones ("0") kept.
    required = frac_p.count("0")
    frac = frac[:decimals]
    while len(frac) > required and frac.endswith("0"):
        frac = frac[:-1]
    return whole + ("," + frac if frac else "")


def _general(value: float) -> str:
    text = f"{value:.10g}" if abs(value) < 1e11 else f"{value:.15g}"
    if "e" in text:
        return text.replace(".", ",")
    return text.replace(".", ",")


def shown(value: float, code: str) -> str:
    """The text Excel shows for ``value`` under number format ``code``, Vietnamese separators."""
    if not shows_number(code):
        return _general(value)
    section, signed = _section(code, value)
    plain = _BRACKET.sub("", section)
    try:
        number = Decimal(repr(float(value)))
    except InvalidOperation:
        return _general(value)
    number *= Decimal(100) ** percent_count(code)
    out = []
    done = False
    pos = 0
    literal = ""
    while pos < len(plain):
        m = _QUOTED.match(plain, pos)
        if m:
            literal = m.group(1) if m.group(1) is not None else (m.group(2) or " ")
            if m.group(0)[0] == "*":
                literal = ""
            out.append(literal)
            pos = m.end()
            continue
        m = _PLACEHOLDERS.match(plain, pos)
        if m and not done:
            out.append(_digits(number, m.group(0)))
            done = True
            pos = m.end()
            continue
        out.append(plain[pos])
        pos += 1
    text = "".join(out).strip()
    if not done:
        return text or _general(value)
    negative = number < 0 and not signed and any(ch.isdigit() and ch != "0" for ch in text)
    return ("-" + text) if negative else text


def counted(value: float, code: str) -> str:
    """What a number cell counts as, written the way a clerk would type it.

    A percent format turns the stored fraction into the percentage the clerk sees, at full
    precision ("92,547%" for 0.92547 shown "92,5%"); other formats leave the value as stored.
    """
    n = percent_count(code)
    if not n:
        return _general(value)
    number = Decimal(repr(float(value))) * Decimal(100) ** n
    text = f"{number.normalize():f}"
    return text.replace(".", ",") + "%"


# --- formulas whose saved values cannot be trusted ------------------------------------------------

_KEY = re.compile(r"^'?\[[^\]]*\](.*?)'?!\$?([A-Z]{1,3})\$?([0-9]{1,7})$")


@dataclass(frozen=True)
class Computed:
    value: object  # a float, str or bool; None for an empty result
    error: str | None = None  # "#DIV/0!", "#NAME?", ... when it could not be computed


def recompute(path: Path) -> dict[str, dict[tuple[int, int], Computed]]:
    """Every formula of the workbook computed with Excel's semantics: sheet name (upper case, as
    the library keys it) -> (row, col) 0-based -> the result.

    The library's progress bar and warnings go nowhere: nothing English reaches a clerk."""
    os.environ.setdefault("TQDM_DISABLE", "1")
    sink = io.StringIO()
    with contextlib.redirect_stderr(sink), contextlib.redirect_stdout(sink):
        import warnings

        import formulas

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = formulas.ExcelModel().loads(str(path)).finish()
            solution = model.calculate()
    out: dict[str, dict[tuple[int, int], Computed]] = {}
    for key, ranges in solution.items():
        m = _KEY.match(str(key))
        if m is None:
            continue  # a range such as E2:E4, or a name
        sheet = m.group(1).replace("''", "'")
        value = getattr(ranges, "value", ranges)
        try:
            cell = value[0][0]
        except (TypeError, IndexError, KeyError):
            cell = value
        out.setdefault(sheet, {})[
            (int(m.group(3)) - 1, column_index_from_string(m.group(2)) - 1)
        ] = _computed(cell)
    return out


def _computed(cell: object) -> Computed:
    from formulas.tokens.operand import XlError

    if isinstance(cell, XlError):
        return Computed(None, str(cell))
    if cell is None or cell == "" or type(cell).__name__ == "EmptyValue":
        return Computed(None)
    if hasattr(cell, "item"):  # numpy scalars
        cell = cell.item()
    return Computed(cell)


def as_stored_text(value: object) -> str | None:
    """A computed value written as calamine writes a stored one ("91.5", "92", "true")."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        f = float(value)
        return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)
    return str(value)


# --- one cell -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One cell as the clerk sees it. Rows and columns are 0-based sheet positions."""

    row: int
    col: int
    value: str | None  # what the kinds read: the stored value, or a percent as the clerk sees it
    shown: str | None  # the text Excel would show (number format applied)
    number_format: str
    formula: str | None  # the formula's text, "" for a shared formula's follower, None for none
    trusted: bool  # whether the value can be trusted (False: a formula that could not be computed)
    computed: bool  # the value was computed here because the saved one could not be trusted
    error: str | None  # "#DIV/0!", ... for an error cell or a formula that cannot be computed
    hidden: bool  # its row or its column is hidden
    merged: tuple[int, int, int, int] | None  # the merged range (r1, c1, r2, c2) it belongs to
