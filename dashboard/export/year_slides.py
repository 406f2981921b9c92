"""The meeting pack's slides of the emulation year: reporting progress and award proposals.

Built from the same queries as the Tiến độ nộp báo cáo and Khen thưởng pages, into the pack's
slide model (native PowerPoint chart and tables, the same slides in the PDF), each with its sources
in the footnote. ``slides`` is the one entry point, called by dashboard.export.pack.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb
import polars as pl

from dashboard.export.slides import MAX_TABLE_ROWS, Slide, Table
from dashboard.figures import year as year_charts
from dashboard.figures.year import CHECK_COLORS, proposals_model
from dashboard.format import REPORT_LABELS
from dashboard.queries import run
from etl.settings import today_checked

MAX_PROBLEM_ROWS = 5  # reasons take two or three lines: fewer rows than the pack's tables


def _ids(values: Sequence[int | None]) -> tuple[int, ...]:
    return tuple(sorted({int(v) for v in values if v is not None}))


def _sources(cur: duckdb.DuckDBPyConnection, ids: tuple[int, ...], lead: str) -> str:
    loads = run(cur, "pack_imports", {"import_ids": list(ids)})
    if loads.is_empty():
        return lead
    files = loads["file_name"].unique(maintain_order=True).to_list()
    shown = "; ".join(files[:6]) + (f" và {len(files) - 6} tệp khác" if len(files) > 6 else "")
    return f"{lead} Tệp nguồn: {shown}. Số liệu nạp đến ngày {loads['loaded_at'].max():%d/%m/%Y}."


def _progress_slide(
    cur: duckdb.DuckDBPyConnection, year: int, clusters: list[str], today: date
) -> list[Slide]:
    rows = run(cur, "submissions", {"as_of": today, "year": year, "cluster": None}).filter(
        pl.col("cluster").is_in(clusters)
    )
    if rows.is_empty():
        return []
    passed = rows.filter(pl.col("due_date") < today).sort("due_date")
    period = passed["period"][-1] if passed.height else rows.sort("due_date")["period"][0]
    rows = rows.filter(pl.col("period") == period)
    counts = year_charts.status_counts(rows)
    order = list(dict.fromkeys(counts["cluster"].to_list()))
    by = {(c, s): n for c, s, n in counts.iter_rows()}
    table = Table(
        headers=["Cụm, khối", *(year_charts.STATUS_NAMES[s] for s in year_charts.STATUS_ORDER)],
        rows=[[c, *(str(by.get((c, s), 0)) for s in year_charts.STATUS_ORDER)] for c in order][
            :MAX_TABLE_ROWS
        ],
        widths=[3.0, 1.0, 1.0, 1.0, 1.2],
        right=frozenset({1, 2, 3, 4}),
    )
    label = REPORT_LABELS.get(period, period)
    late = rows.filter(pl.col("status").is_in(["chưa nộp", "trễ hạn"])).height
    due = rows["due_date"].min()
    return [
        Slide(
            title=f"Tiến độ nộp báo cáo {label.lower()} {year}",
            subtitle=f"Hạn {due:%d/%m/%Y} · tính đến {today:%d/%m/%Y} · "
            f"{late}/{rows.height} báo cáo chưa nộp hoặc nộp trễ",
            charts=[year_charts.submissions_model(counts, "Số đơn vị")],
            table=table,
            footnote=_sources(
                cur,
                _ids(rows["import_id"].to_list()),
                "Ngày nộp là ngày ghi ở dòng địa danh, ngày tháng của văn bản (không có thì ngày "
                "nạp); hạn mặc định 20/6 và 20/12, quản trị viên có thể đặt hạn riêng.",
            ),
            import_ids=_ids(rows["import_id"].to_list()),
        )
    ]


def _proposal_slides(cur: duckdb.DuckDBPyConnection, year: int, clusters: list[str]) -> list[Slide]:
    """Counts per cluster by check result (chart) and the proposals the council must look at."""
    rows = run(cur, "award_proposals", {"year": year, "cluster": None}).filter(
        pl.col("cluster").is_in(clusters)
    )
    if rows.is_empty():
        return []
    ids = _ids(rows["import_id"].to_list())
    n = {s: rows.filter(pl.col("status") == s).height for s in CHECK_COLORS}
    chart = proposals_model(rows, "Số đề nghị")
    problems = rows.filter(pl.col("status") != "hợp lệ")
    table_rows = [
        [
            r["name"],
            r["award"] or "",
            # The first clause of the reason states the rule's figure; the rest is on the page.
            f"{r['status']} ({r['rule'].split(':', 1)[0]}): {r['reason'].split(';', 1)[0]}",
        ]
        for r in problems.iter_rows(named=True)
    ]
    colors = [CHECK_COLORS[s] for s in problems["status"].to_list()]
    footnote = _sources(
        cur,
        ids,
        "Kiểm tra theo quy tắc khen thưởng (điều kiện trước, hạn mức sau); quy tắc là mặc định "
        "của phần mềm kèm căn cứ, danh sách đầy đủ ở trang Khen thưởng.",
    )
    subtitle = (
        f"{rows.height} đề nghị: {n['hợp lệ']} hợp lệ, {n['vượt hạn mức']} vượt hạn mức, "
        f"{n['không đủ điều kiện']} không đủ điều kiện"
    )
    step = MAX_PROBLEM_ROWS
    parts = [range(i, min(i + step, len(table_rows))) for i in range(0, len(table_rows), step)]
    slides = []
    for k, part in enumerate(parts or [range(0)]):
        suffix = f" (tiếp, {k + 1}/{len(parts)})" if k else ""
        slides.append(
            Slide(
                title=f"Đề nghị khen thưởng năm {year}{suffix}",
                subtitle=subtitle,
                charts=[chart] if k == 0 else [],
                table=Table(
                    headers=["Đề nghị cần xem lại", "Hình thức", "Kết quả kiểm tra"],
                    rows=[table_rows[i] for i in part] or [["Mọi đề nghị đều hợp lệ", "", ""]],
                    widths=[2.4, 2.0, 3.4],
                    colors={(i - part.start, 2): colors[i] for i in part},
                ),
                footnote=footnote,
                import_ids=ids,
            )
        )
    return slides


def slides(cur: duckdb.DuckDBPyConnection, year: int, clusters: list[str]) -> list[Slide]:
    """The reporting-progress slide and the award-proposal slides of the chosen clusters."""
    return _progress_slide(cur, year, clusters, today_checked()[0]) + _proposal_slides(
        cur, year, clusters
    )
