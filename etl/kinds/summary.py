"""Kind B: a cluster's results summary, one row per unit (workbooks.md §3)."""

from __future__ import annotations

import re

from etl.kinds.common import (
    Context,
    Tables,
    merged_range,
    numeric_column,
    scope,
    table_span,
    text_column,
    vertical_merges,
)
from etl.read.layout import Layout, TitleInfo, is_total_name
from etl.read.numbers import parse_rank
from etl.read.text import fold_header
from etl.read.workbook import Sheet, address
from etl.report import SheetReport, vn_number


def _words(text: str) -> bool:
    return "xep loai" in fold_header(text)


def parse_summary(
    sheet: Sheet,
    layout: Layout,
    title: TitleInfo,
    ctx: Context,
    report: SheetReport,
    file_name: str,
) -> tuple[Tables, set[str]] | None:
    cols = layout.columns
    numeric = [
        cols[k] for k in ("self", "assessed", "bonus", "deduction", "total", "rank") if k in cols
    ]
    start, stop = table_span(sheet, layout, report, numeric)
    units = text_column(sheet, cols["unit"], start, stop, fill_merged=True)
    clusters = text_column(sheet, cols.get("cluster"), start, stop, fill_merged=True)
    years = numeric_column(sheet, cols.get("year"), start, stop, report, label="Năm")

    def num(role: str, label: str):
        return numeric_column(
            sheet, cols.get(role), start, stop, report, label=label, words_ok=_words
        )

    self_c, ass_c = num("self", "Điểm tự chấm"), num("assessed", "Điểm cụm chấm")
    bonus_c, ded_c = num("bonus", "Điểm thưởng"), num("deduction", "Điểm trừ")
    total_c = num("total", "Tổng điểm")
    rank_c = numeric_column(
        sheet, cols.get("rank"), start, stop, report, label="Xếp hạng", words_ok=lambda t: True
    )
    klass = text_column(sheet, cols.get("classification"), start, stop, fill_merged=True)
    proposal = text_column(sheet, cols.get("proposal"), start, stop, fill_merged=True)
    notes = text_column(sheet, cols.get("note"), start, stop)
    ranks = _ranks(sheet, cols.get("rank"), start, stop, rank_c, report)
    _refuse_shared_scores(sheet, cols, start, stop, report)
    # Rank checks rest on every total of the sheet: none are made when a value is an error.
    score_errors = bool(report.errors)

    out: list[dict[str, object]] = []
    scopes: set[str] = set()
    title_year = ctx.year(title, report) if cols.get("year") is None else None
    # One cause, one message: a cluster missing from the list is reported once, at the cell that
    # names it (the title line, or its first cell in the Cụm/Khối column).
    clusters_seen: dict[tuple[str | None, int], str | None] = {}
    unit_rows = 0
    for off, raw_unit in enumerate(units):
        if raw_unit is None or is_total_name(raw_unit):
            continue
        unit_rows += 1
        r = start + off
        typed_year = years.values[off]
        year = int(typed_year) if typed_year is not None else title_year
        if year is None:
            continue
        raw_cluster = clusters[off] or title.cluster
        if (raw_cluster, year) not in clusters_seen:
            cell = (
                address(r, cols["cluster"])
                if clusters[off] and "cluster" in cols
                else title.cluster_cell
            )
            clusters_seen[(raw_cluster, year)] = ctx.cluster(raw_cluster, year, report, cell)
        cluster = clusters_seen[(raw_cluster, year)]
        if cluster is None:
            continue
        unit = ctx.unit(raw_unit, year, report, address(r, cols["unit"]))
        if unit is None:
            continue
        s, a = self_c.values[off], ass_c.values[off]
        b, d = bonus_c.values[off], ded_c.values[off]
        d = abs(d) if d is not None else None
        stated = total_c.values[off]
        base = a if a is not None else s
        computed = None if base is None else base + (b or 0.0) - (d or 0.0)
        total = stated if stated is not None else computed
        # 0 where the unit's own scores give a figure is a placeholder, never a score: a formula
        # exported unevaluated and saved again as .xls or .ods keeps 0, with no flag left to say so.
        placeholder = (
            stated is not None and computed is not None and stated == 0 and abs(computed) > 0.01
        )
        if placeholder:
            # The file states what its formula gives once recalculated, as an export read with
            # its recalculation flag does: the same total whichever program saved it last.
            total = stated = computed
            report.warn(
                f"Tổng điểm của {unit} ghi 0 nhưng điểm chấm + thưởng − trừ = "
                f"{vn_number(computed)} (thường là công thức chưa được tính lại khi lưu tệp). "
                f"Dùng {vn_number(computed)}; hãy mở tệp, tính lại (Ctrl+Shift+F9) và kiểm tra.",
                address(r, cols["total"]),
            )
        elif (
            stated is not None
            and computed is not None
            and abs(stated - computed) > 0.01
            and (b is not None or d is not None)
        ):
            report.warn(
                f"Tổng điểm của {unit} ghi {vn_number(stated)} nhưng điểm chấm + thưởng − trừ = "
                f"{vn_number(computed)}. Dùng tổng điểm ghi trong tệp; hãy kiểm tra lại.",
                address(r, cols["total"]),
            )
        reason = None
        for c, role in (
            (self_c, "self"),
            (ass_c, "assessed"),
            (total_c, "total"),
            (rank_c, "rank"),
        ):
            if off in c.text and "xep loai" in fold_header(c.text[off]):
                reason = f"Không xếp loại (ghi trong tệp, ô {address(r, cols[role])})"
        rank = ranks[off]
        prop = proposal[off]
        voted = bool(prop and "dan dau" in fold_header(prop)) or None
        unit_scope = scope("S", year, cluster, unit)
        scopes.add(unit_scope)
        row = {
            "scope": unit_scope,
            "source_kind": "B",
            "year": year,
            "cluster": cluster,
            "unit": unit,
            "max_score": None,
            "self_score": s,
            "assessed_score": a,
            "bonus": b,
            "deduction": d,
            "total_score": total,
            "group1_score": None,
            "file_total": stated,
            "file_rank": rank,
            "file_classification": klass[off],
            "proposal": prop,
            "voted_leading": voted,
            "not_ranked_reason": reason,
            "note": notes[off],
            "source_file": file_name,
            "source_sheet": sheet.name,
            "source_cell": address(
                r, cols["total"] if "total" in cols else cols.get("assessed", cols["unit"])
            ),
        }
        out.append(row)
    max_score = _max_from_title(title)
    for row in out:
        row["max_score"] = max_score
    if not score_errors:
        _check_file_ranks(out, report)
    report.rows = len(out)
    if not unit_rows:
        report.error("Không có dòng đơn vị nào dưới dòng tiêu đề cột.")
    if not out:
        return None
    return {"unit_results": out}, scopes


def _ranks(sheet: Sheet, col: int | None, start: int, stop: int, rank_c, report) -> list:
    """The rank each row claims, as people type it ("1", "Nhất", "II", "Đồng hạng 2"); a rank
    merged down several rows (tied units) applies to each of them."""
    ranks: list[int | None] = []
    for off, v in enumerate(rank_c.values):
        if v is not None:
            rank = int(v) if v == int(v) and v >= 1 else None
            shown = rank_c.text.get(off) or vn_number(v)
        elif off in rank_c.text:
            shown = rank_c.text[off]
            rank = parse_rank(shown)
        else:
            ranks.append(None)
            continue
        if rank is None and "xep loai" not in fold_header(shown):
            report.warn(
                f'Không hiểu xếp hạng "{shown}"; hãy ghi số thứ hạng (ví dụ 1, 2, 3 hoặc "Nhất").',
                address(start + off, col) if col is not None else None,
            )
        ranks.append(rank)
    if col is not None:
        for r1, r2 in vertical_merges(sheet, col, start, stop):
            for r in range(max(r1, start) + 1, min(r2 + 1, stop)):
                ranks[r - start] = ranks[r1 - start] if r1 >= start else None
    return ranks


def _refuse_shared_scores(sheet: Sheet, cols: dict[str, int], start: int, stop: int, report):
    """A score merged down several unit rows belongs to no unit alone: never credit the first."""
    for role, label in (
        ("self", "Điểm tự chấm"),
        ("assessed", "Điểm cụm chấm"),
        ("bonus", "Điểm thưởng"),
        ("deduction", "Điểm trừ"),
        ("total", "Tổng điểm"),
    ):
        col = cols.get(role)
        if col is None:
            continue
        for r1, r2 in vertical_merges(sheet, col, start, stop):
            report.error(
                f"{label} được gộp ô ({merged_range(r1, r2, col)}) cho nhiều đơn vị, nên "
                "không biết điểm của từng đơn vị. Hãy bỏ gộp ô và ghi điểm riêng cho mỗi đơn vị.",
                merged_range(r1, r2, col),
            )


def _max_from_title(title: TitleInfo) -> float:
    """A summary rarely states the maximum; '…/100 điểm' in the title does, else assume 100."""
    for line in title.lines:
        m = re.search(r"(?:thang điểm|tối đa|/)\s*(\d{2,4})\s*điểm", line, re.I)
        if m:
            return float(m.group(1))
    return 100.0


def _check_file_ranks(out: list[dict], report: SheetReport) -> None:
    """Compare the rank each row claims with the rank its total earns (ties share: 1, 1, 3)."""
    groups: dict[tuple, list[dict]] = {}
    for row in out:
        if row["total_score"] is not None:
            groups.setdefault((row["year"], row["cluster"]), []).append(row)
    for rows in groups.values():
        for row in rows:
            mine = round(row["total_score"], 2)
            computed = 1 + sum(1 for other in rows if round(other["total_score"], 2) > mine)
            claimed = row["file_rank"]
            if claimed is not None and claimed != computed:
                report.warn(
                    f"{row['unit']}: tệp ghi xếp hạng {claimed} nhưng theo tổng điểm "
                    f"{vn_number(row['total_score'])} thì xếp hạng {computed}.",
                    row["source_cell"],
                )
