"""Kind D: province socio-economic indicators with their targets (workbooks.md §5)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from etl.kinds.common import Context, Tables, numeric_column, scope, table_span, text_column
from etl.read.layout import Layout, TitleInfo, is_total_text
from etl.read.numbers import parse_number
from etl.read.text import fold, fold_header, nfc
from etl.read.workbook import Sheet, address
from etl.report import SheetReport
from etl.settings import REFERENCE_DIR


@dataclass(frozen=True)
class Target:
    text: str
    low: float | None
    high: float | None
    direction: str | None  # higher | lower | band | decrease


_RANGE = re.compile(r"([-+]?\d+(?:[.,]\d+)?)\s*(?:-|–|—|đến|tới|÷)\s*([-+]?\d+(?:[.,]\d+)?)")
_ONE = re.compile(r"(\d+(?:[.,]\d+)*)")


def _num(token: str) -> float | None:
    return parse_number(token).value


def parse_target(text: str | None) -> Target | None:
    """Understand "7 - 8", "≥ 92", "100%", "120 - 125 triệu đồng", "giảm 1 - 1,5%/năm"."""
    if not text or not text.strip():
        return None
    raw = nfc(text)
    folded = fold_header(raw).replace("–", "-").replace("—", "-")
    t = raw.replace("–", "-").replace("—", "-")
    decrease = bool(re.search(r"\bgiam\b", folded))
    m = _RANGE.search(t)
    if m:
        low, high = _num(m.group(1)), _num(m.group(2))
        if low is not None and high is not None and low > high:
            low, high = high, low
        return Target(raw, low, high, "decrease" if decrease else "band")
    m = _ONE.search(t)
    if not m:
        return Target(raw, None, None, None)
    value = _num(m.group(1))
    if decrease:
        return Target(raw, value, None, "decrease")
    if re.search(r"≤|<=|<|khong qua|duoi|toi da|khong vuot", folded) or "≤" in raw:
        return Target(raw, value, None, "lower")
    return Target(raw, value, None, "higher")


@cache
def reference_indicators() -> dict[str, str]:
    """Folded indicator name -> code, from the shipped Chỉ thị 34 targets."""
    path = REFERENCE_DIR / "chi_thi_34_targets.csv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {fold(r["indicator"]): r["code"] for r in csv.DictReader(fh)}


def indicator_key(name: str) -> str:
    known = reference_indicators().get(fold(name))
    if known:
        return known
    return re.sub(r"[^a-z0-9]+", "_", fold_header(name)).strip("_")[:80]


def parse_indicators(
    sheet: Sheet,
    layout: Layout,
    title: TitleInfo,
    ctx: Context,
    report: SheetReport,
    file_name: str,
) -> tuple[Tables, set[str]] | None:
    cols = layout.columns
    year_cols = [c for _, _, c in layout.year_columns]
    start, stop = table_span(sheet, layout, report, year_cols)
    names = text_column(sheet, cols["indicator"], start, stop)
    uoms = text_column(sheet, cols.get("uom"), start, stop)
    sources = text_column(sheet, cols.get("source"), start, stop)
    notes = text_column(sheet, cols.get("note"), start, stop)
    targets = text_column(sheet, layout.target_column, start, stop)
    values = {
        c: numeric_column(sheet, c, start, stop, report, label=f"năm {y}", amounts=True)
        for y, _, c in layout.year_columns
    }
    vals: list[dict[str, object]] = []
    tgts: list[dict[str, object]] = []
    scopes: set[str] = set()
    rows = 0
    for off, name in enumerate(names):
        if name is None or is_total_text(name):
            continue
        key = indicator_key(name)
        target = parse_target(targets[off])
        has_value = False
        for year, kind, c in layout.year_columns:
            v = values[c].values[off]
            if v is None:
                continue
            has_value = True
            s = scope("D", key, year)
            scopes.add(s)
            vals.append(
                {
                    "scope": s,
                    "indicator_key": key,
                    "indicator": name,
                    "uom": uoms[off],
                    "year": year,
                    "value": v,
                    "value_kind": kind,
                    "source": sources[off] or f"{file_name} (tải lên)",
                    "basis": None,
                    "note": notes[off],
                    "source_file": file_name,
                    "source_sheet": sheet.name,
                    "source_cell": address(start + off, c),
                }
            )
        if target is not None and target.direction is not None:
            s = scope("DT", key)
            scopes.add(s)
            tgts.append(
                {
                    "scope": s,
                    "indicator_key": key,
                    "indicator": name,
                    "uom": uoms[off],
                    "target_text": target.text,
                    "target_low": target.low,
                    "target_high": target.high,
                    "target_direction": target.direction,
                    "horizon": None,
                    "source": file_name,
                }
            )
        elif targets[off]:
            report.warn(
                f'Không hiểu mục tiêu "{targets[off]}"; chỉ tiêu này sẽ không có trạng thái.',
                address(start + off, layout.target_column or cols["indicator"]),
            )
        rows += 1 if has_value or target else 0
    report.rows = rows
    if not rows:
        report.error("Không có chỉ tiêu nào có số liệu theo năm.")
        return None
    return {"indicator_values": vals, "indicator_targets": tgts}, scopes
