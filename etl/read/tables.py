"""Excel Tables (ListObjects) of a worksheet: where each sits, its header rows and totals rows.

A range formatted as a Table ("Format as Table") is read by its own header, and its totals row
("Total Row": "Bình quân", "Tổng cộng", SUBTOTAL formulas) is a total, never data (workbooks.md
§1). The table parts are small XML files the opener has already checked for size.
"""

from __future__ import annotations

import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from posixpath import dirname, join, normpath

_REL = re.compile(rb"<Relationship\b[^>]*>")
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_TABLE = re.compile(rb"<(?:\w+:)?table\b[^>]*>")
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})")
# A table part is a few hundred bytes per column; anything far larger is not read.
_MAX_PART = 1 << 20


@dataclass(frozen=True)
class ExcelTable:
    """One Table, rows and columns 0-based and inclusive."""

    name: str
    top: int
    left: int
    bottom: int
    right: int
    header_rows: int  # 0 or 1
    totals_rows: int  # 0 or 1


def _attrs(tag: bytes) -> dict[str, str]:
    return {k.decode(): html.unescape(v.decode("utf-8")) for k, v in _ATTR.findall(tag)}


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def excel_tables(path: Path, sheet_part: str) -> list[ExcelTable]:
    """The Tables of the worksheet stored in ``sheet_part`` of the .xlsx at ``path``."""
    rels = join(dirname(sheet_part), "_rels", sheet_part.rsplit("/", 1)[-1] + ".rels")
    out: list[ExcelTable] = []
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if rels not in names:
            return out
        for tag in _REL.findall(zf.read(rels)):
            a = _attrs(tag)
            if not a.get("Type", "").endswith("/table"):
                continue
            target = a.get("Target", "")
            member = (
                target.lstrip("/")
                if target.startswith("/")
                else normpath(join(dirname(sheet_part), target))
            )
            if member not in names or zf.getinfo(member).file_size > _MAX_PART:
                continue
            head = _TABLE.search(zf.read(member))
            if head is None:
                continue
            t = _attrs(head.group(0))
            m = _REF.fullmatch(t.get("ref", ""))
            if m is None:
                continue
            out.append(
                ExcelTable(
                    t.get("displayName") or t.get("name", ""),
                    int(m.group(2)) - 1,
                    _col(m.group(1)),
                    int(m.group(4)) - 1,
                    _col(m.group(3)),
                    int(t.get("headerRowCount", "1") or 1),
                    int(t.get("totalsRowCount", "0") or 0),
                )
            )
    return out
