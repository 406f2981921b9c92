"""Reporting periods and submissions (workbooks.md §8).

A load reports a unit and period when it carries a scoring sheet or target file (A, A2, C) of that
period, or a summary row (B) for the year. Its date is the document's own date line (in the title
block, else above the signatures under the table), else the day it was loaded (in the view). Due
dates have the defaults of §8 unless an administrator sets one per cluster, year and period
(``due_dates``); "today" is ``THIDUA_TODAY`` or the machine's date.
"""

from __future__ import annotations

import re
from datetime import date

import duckdb

from etl.kinds.common import LoadOptions, Tables
from etl.read.layout import (
    PLACE_BEFORE_DATE,
    TitleInfo,
    date_cell_on_line,
    impossible_doc_date,
    parse_doc_date,
)
from etl.read.text import nfc
from etl.read.workbook import Sheet, address
from etl.settings import today

PERIODS: tuple[str, ...] = ("H1", "year", "Q1", "Q2", "Q3", "Q4")
STATUSES: tuple[str, ...] = ("chưa nộp", "trễ hạn", "chưa đến hạn", "đúng hạn")


FOOTER_SCAN_ROWS = 40
_PLACE_DATE = re.compile(r"^[^\d,]{2,40},\s*ngày\b", re.I)


def footer_date(sheet: Sheet, below: int) -> tuple[date, str] | None:
    """A place-and-date line under the table, above the signatures ("Lâm Đồng, ngày 18 tháng 6
    năm 2026", or a date cell formatted so), for sheets whose title block has none: the last one
    in the sheet's bottom rows."""
    found = _footer_line(sheet, below)
    return (found[0], found[1]) if found and found[0] is not None else None


def footer_bad_date(sheet: Sheet, below: int) -> tuple[str, str] | None:
    """The text and cell of a date line under the table whose day does not exist."""
    found = _footer_line(sheet, below)
    return (found[2], found[1]) if found and found[0] is None else None


def _footer_line(sheet: Sheet, below: int) -> tuple[date | None, str, str] | None:
    start = max(below, sheet.height - FOOTER_SCAN_ROWS)
    for r in range(sheet.height - 1, start - 1, -1):
        row = sheet.rows(r, r + 1)[0]
        texts = [(c, nfc(v)) for c, v in enumerate(row) if v and nfc(v)]
        for n, (c, text) in enumerate(texts):
            if _PLACE_DATE.match(text):
                if (found := parse_doc_date(text)) is not None:
                    return found, address(r, c), text
                if impossible_doc_date(text):
                    return None, address(r, c), text
            # A date cell: alone on its row, or after the place ("Lâm Đồng, ngày").
            alone_or_placed = len(texts) == 1 or (n and PLACE_BEFORE_DATE.match(texts[n - 1][1]))
            if alone_or_placed and (found := date_cell_on_line(texts, n)) is not None:
                return found, address(r, c), text
    return None


def derive(
    kind: str,
    tables: Tables,
    title: TitleInfo,
    options: LoadOptions,
    sheet_name: str,
    file_name: str,
    sheet: Sheet | None = None,
    below: int = 0,
) -> Tables:
    """The submission rows a parsed sheet stands for (one per unit and period)."""
    rows: dict[tuple, dict[str, object]] = {}
    doc_date, date_cell = title.date, title.date_cell
    if doc_date is None and sheet is not None and (found := footer_date(sheet, below)):
        doc_date, date_cell = found

    def add(row: dict, period: str, scope: str) -> None:
        key = (row["year"], period, row["unit"])
        rows.setdefault(
            key,
            {
                "scope": scope,
                "kind": kind,
                "year": row["year"],
                "period": period,
                "cluster": row.get("cluster"),
                "unit": row["unit"],
                "doc_date": doc_date,
                "source_file": file_name,
                "source_sheet": sheet_name,
                "source_cell": date_cell,
            },
        )

    if kind in ("A", "A2", "B"):
        period = "year" if kind == "B" else title.period or options.period or "year"
        for row in tables.get("unit_results", []):
            if isinstance(row, dict):
                add(row, period, str(row["scope"]))
    if kind == "C":
        for row in tables.get("targets", []):
            if isinstance(row, dict):
                add(row, str(row["period"]), str(row["scope"]))
    return {"submissions": list(rows.values())} if rows else {}


def as_of(con: duckdb.DuckDBPyConnection, day: date | None = None) -> duckdb.DuckDBPyRelation:
    """v_submissions as of ``day`` (default: today())."""
    return con.sql("SELECT * FROM submissions_as_of($d)", params={"d": day or today()})
