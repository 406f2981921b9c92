"""Kind C: a unit's registered emulation targets and their results (workbooks.md §4)."""

from __future__ import annotations

import re

from etl.kinds.common import (
    Context,
    Tables,
    numeric_column,
    scope,
    shown_column,
    table_span,
    text_column,
)
from etl.read.layout import Layout, TitleInfo, is_total_text, parse_period
from etl.read.text import fold_header
from etl.read.workbook import Sheet, address
from etl.report import SheetReport, vn_number

MET_WORDS = (
    "hoan thanh xuat sac",
    "hoan thanh tot",
    "hoan thanh",
    "dat",
    "vuot",
    "co",
    "da thuc hien",
)
NOT_MET_WORDS = (
    "chua hoan thanh",
    "khong hoan thanh",
    "khong dat",
    "chua dat",
    "chua thuc hien",
    "khong",
)
_LOWER = re.compile(r"\bgiam\b|khong de xay ra|khong qua|toi da|\bduoi\b|≤|<=|khong vuot|khong co")


def word_result(text: str | None) -> bool | None:
    """True for met words, False for not-met words, None otherwise."""
    if not text:
        return None
    t = fold_header(text)
    if any(t == w or t.startswith(w + " ") for w in NOT_MET_WORDS):
        return False
    if any(t == w or t.startswith(w + " ") or t.startswith(w + ",") for w in MET_WORDS):
        return True
    return None


def _words_ok(text: str) -> bool:
    return word_result(text) is not None


def direction_of(target: str, direction_cell: str | None) -> str:
    if direction_cell:
        d = fold_header(direction_cell)
        if d.startswith("giam") or d in ("thap hon", "-"):
            return "lower"
        if d.startswith("tang") or d in ("cao hon", "+"):
            return "higher"
    return "lower" if _LOWER.search(fold_header(target)) or "≤" in target else "higher"


def completion(
    direction: str, planned: float | None, actual: float | None
) -> tuple[float | None, bool | None]:
    if planned is None or actual is None:
        return None, None
    if direction == "lower":
        met = actual <= planned + 1e-9
        if actual == 0:
            return 100.0, met
        return planned / actual * 100.0, met
    met = actual >= planned - 1e-9
    if planned == 0:
        return (100.0 if actual >= 0 else 0.0), met
    return actual / planned * 100.0, met


def parse_targets(
    sheet: Sheet,
    layout: Layout,
    title: TitleInfo,
    ctx: Context,
    report: SheetReport,
    file_name: str,
) -> tuple[Tables, set[str]] | None:
    cols = layout.columns
    numeric = [cols[k] for k in ("planned", "actual", "pct") if k in cols]
    start, stop = table_span(sheet, layout, report, numeric)
    year = ctx.year(title, report, layout.header_year)
    period = title.period or ctx.options.period or "year"
    unit = ctx.unit(title.unit, year, report, cell=title.unit_cell, sheet_name=sheet.name)
    cluster = ctx.member_cluster(unit, year) if unit else None
    if cluster is None and (title.cluster or ctx.options.cluster):
        cluster = ctx.cluster(title.cluster, year, report, title.cluster_cell)
    if year is None or unit is None:
        return None
    targets = text_column(sheet, cols["target"], start, stop)
    codes = text_column(sheet, cols.get("code"), start, stop)
    uoms = text_column(sheet, cols.get("uom"), start, stop)
    dirs = text_column(sheet, cols.get("direction"), start, stop)
    notes = text_column(sheet, cols.get("note"), start, stop)
    periods = text_column(sheet, cols.get("period"), start, stop)
    planned_c = numeric_column(
        sheet,
        cols.get("planned"),
        start,
        stop,
        report,
        label="Chỉ tiêu đăng ký",
        amounts=True,
        words_ok=_words_ok,
    )
    actual_c = numeric_column(
        sheet,
        cols.get("actual"),
        start,
        stop,
        report,
        label="Kết quả thực hiện",
        amounts=True,
        words_ok=_words_ok,
    )
    pct_c = numeric_column(
        sheet, cols.get("pct"), start, stop, report, label="Tỷ lệ", words_ok=lambda t: True
    )
    raw_planned = shown_column(sheet, cols.get("planned"), start, stop)
    raw_actual = shown_column(sheet, cols.get("actual"), start, stop)

    out: list[dict[str, object]] = []
    scopes: set[str] = set()
    seq = 0
    for off, target in enumerate(targets):
        if target is None or is_total_text(target):
            continue
        planned, actual = planned_c.values[off], actual_c.values[off]
        p_word, a_word = planned_c.text.get(off), actual_c.text.get(off)
        if planned is None and actual is None and p_word is None and a_word is None:
            continue  # a group heading ("I. Chỉ tiêu chuyên môn"), not a target
        typed_period = periods[off]
        row_period = (parse_period(typed_period) if typed_period else None) or period
        direction = direction_of(target, dirs[off])
        if a_word is not None or (p_word is not None and actual is None):
            direction = "qualitative"
            met = word_result(a_word) if a_word is not None else None
            pct = None if met is None else (100.0 if met else 0.0)
        else:
            pct, met = completion(direction, planned, actual)
        stated = pct_c.values[off]
        if stated is not None and off not in pct_c.percent and stated <= 2 and (pct or 0) > 2:
            stated *= 100  # "0,95" typed for 95 %
        if stated is not None and pct is not None and abs(stated - pct) > 0.5:
            report.warn(
                f"Tỷ lệ ghi trong tệp là {vn_number(stated, 1)}% nhưng tính lại được {vn_number(pct, 1)}% "
                f'cho chỉ tiêu "{target[:60]}".',
                address(start + off, cols["pct"]),
            )
        seq += 1
        row_scope = scope("C", year, unit, row_period)
        scopes.add(row_scope)
        row = {
            "scope": row_scope,
            "year": year,
            "period": row_period,
            "cluster": cluster,
            "unit": unit,
            "seq": seq,
            "code": codes[off],
            "target": target,
            "uom": uoms[off],
            "direction": direction,
            "planned": planned,
            "actual": actual,
            "planned_text": raw_planned[off],
            "actual_text": raw_actual[off],
            "completion_pct": pct,
            "met": met,
            "file_pct": stated,
            "note": notes[off],
            "source_file": file_name,
            "source_sheet": sheet.name,
            "source_row": start + off + 1,
        }
        out.append(row)
    report.rows = seq
    if not seq:
        report.error("Không có chỉ tiêu nào có số đăng ký hoặc kết quả dưới dòng tiêu đề cột.")
        return None
    return {"targets": out}, scopes
