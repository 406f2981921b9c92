"""Đơn vị: one unit — its result, its criteria tree with sources, its history and its targets."""

import polars as pl
import streamlit as st

from dashboard import data, framework_check, state, ui
from dashboard.figures import units as charts
from dashboard.format import (
    MET_LABELS,
    figure_or_text_expr,
    md_text,
    period_label,
    rank_label,
    source_ref_expr,
    vn_number_expr,
    vn_percent,
    vn_score,
)

FRAMEWORK_COLUMN = "Điểm chuẩn theo khung"

data.require_data()
f = state.current()
units = (
    data.query("filter_units", year=f.year, cluster=f.cluster)["unit"].to_list() if f.year else []
)
if not units:
    st.title("Đơn vị")
    st.info("Chưa có đơn vị nào trong năm đã chọn.")
    st.stop()
year = f.year
unit = f.unit if f.unit in units else units[0]

st.title(md_text(unit))
if f.unit is None:
    st.caption("Chọn đơn vị ở thanh bên trái (đang xem đơn vị đầu tiên trong danh sách).")

summary = data.query("unit_summary", year=year, unit=unit)
if summary.is_empty():
    st.info(f"{md_text(unit)} chưa có điểm thi đua năm {year}.")
else:
    for row in summary.iter_rows(named=True):
        if row["rank"] is None:
            rank = "–"
            rank_help = rank_label(None, False, row["not_ranked_reason"])
        else:
            rank = f"{row['rank']} / {row['n_ranked']}"
            rank_help = (
                "Đồng hạng: cùng tổng điểm với đơn vị khác. " if row["tied"] else ""
            ) + f"Trong {row['n_ranked']} đơn vị được xếp hạng của cụm, khối."
        c = st.columns([2, 1, 1, 1])
        c[0].metric("Cụm, khối", row["cluster"])
        c[1].metric(
            f"Tổng điểm {year}",
            vn_score(row["total_score"]),
            help=f"Điểm chuẩn {vn_score(row['max_score'])}; đạt {vn_percent(row['score_pct'])}.",
        )
        c[2].metric("Hạng (đồng hạng)" if row["tied"] else "Hạng", rank, help=rank_help)
        c[3].metric("% điểm chuẩn", vn_percent(row["score_pct"]))
        st.markdown(
            f"Xếp loại: **{md_text(row['classification'] or 'chưa xếp loại')}**"
            + (f" · Đề nghị khen thưởng: {md_text(row['proposal'])}" if row["proposal"] else "")
        )
        if row["is_leading"]:
            st.success(
                f"Đơn vị dẫn đầu {md_text(row['cluster'])} năm {year}"
                + (" (theo biểu quyết của cụm)." if row["voted_leading"] else " (đề xuất)."),
                icon=":material/military_tech:",
            )

history = data.query("unit_history", unit=unit)
targets = data.query("unit_targets", year=year, unit=unit)
left, right = st.columns(2)
with left:
    ui.chart(charts.score_history, history, unit, key="unit_history")
with right:
    periods = targets["period"].unique(maintain_order=True).to_list()
    if periods:
        period = periods[0]
        if len(periods) > 1:
            period = (
                st.segmented_control(
                    "Kỳ", periods, default=periods[0], format_func=period_label, key="unit_period"
                )
                or period
            )
        ui.chart(
            charts.target_bars,
            targets.filter(pl.col("period") == period),
            unit,
            year,
            period,
            key="unit_targets_chart",
        )
    else:
        st.info(f"{md_text(unit)} chưa đăng ký chỉ tiêu thi đua năm {year}.")

st.subheader("Bảng chấm điểm theo tiêu chí")
criteria = data.query("unit_criteria", year=year, unit=unit)
if criteria.is_empty():
    st.info(
        f"Chưa có bảng chấm điểm theo tiêu chí của {md_text(unit)} năm {year}"
        " (có thể chỉ mới có bảng tổng hợp của cụm)."
    )
else:
    indent = pl.lit("\u2003").repeat_by(pl.col("level") - 1).list.join("")
    section = (
        pl.when(pl.col("section") == "bonus")
        .then(pl.lit(" (điểm thưởng)"))
        .when(pl.col("section") == "deduction")
        .then(pl.lit(" (điểm trừ)"))
        .otherwise(pl.lit(""))
    )
    tree = criteria.select(
        pl.concat_str(
            indent,
            pl.col("code").fill_null(""),
            pl.lit(" "),
            pl.col("criterion").fill_null(""),
            section,
        ).alias("Tiêu chí"),
        vn_number_expr(pl.col("max_points"), 2, trim=True).alias("Điểm chuẩn"),
        vn_number_expr(pl.col("self_score"), 2, trim=True).alias("Tự chấm"),
        vn_number_expr(pl.col("assessed_score"), 2, trim=True).alias("Cụm chấm"),
        source_ref_expr().alias("Nguồn (tệp · sheet · ô)"),
    )
    check = framework_check.beside(criteria, data.query("unit_framework", year=year, unit=unit))
    if check is not None and any(check.column):
        tree = tree.insert_column(
            2, pl.Series(FRAMEWORK_COLUMN, check.column, dtype=pl.String).fill_null("")
        )
    ui.table(
        tree,
        right=["Điểm chuẩn", FRAMEWORK_COLUMN, "Tự chấm", "Cụm chấm"],
        height=min(38 + 35 * tree.height, 700),
        key="criteria",
    )
    ui.excel_download("v_criterion_scores", key="criteria_xlsx", year=year, unit=unit)
    st.caption(
        "Điểm của một nhóm là điểm ghi ở dòng nhóm, nếu không có thì bằng tổng các dòng con."
    )
    if check is not None:
        if check.missing:
            st.warning(
                f"Bảng chấm điểm thiếu {len(check.missing)} tiêu chí có trong bảng điểm chuẩn "
                f"của cụm, khối năm {year}:"
            )
            ui.table(
                pl.DataFrame(check.missing, schema=["Tiêu chí thiếu", "Điểm chuẩn"], orient="row"),
                right=["Điểm chuẩn"],
                key="criteria_missing",
            )
        if any(check.column):
            st.caption(
                f"Cột «{FRAMEWORK_COLUMN}» chỉ ghi ở những tiêu chí có điểm chuẩn khác bảng điểm "
                "chuẩn của cụm, khối năm này (hoặc không có trong đó)."
            )
        elif not check.missing:
            st.caption(
                f"Khớp với bảng điểm chuẩn của cụm, khối năm {year}: {check.matched} tiêu chí, "
                "cùng điểm chuẩn."
            )

if not targets.is_empty():
    st.subheader("Chỉ tiêu thi đua")
    planned = figure_or_text_expr("planned", "planned_text")
    actual = figure_or_text_expr("actual", "actual_text")
    # Target texts run long: a table that wraps them shows each one whole.
    ui.text_table(
        targets.select(
            pl.col("period").replace({p: period_label(p) for p in periods}).alias("Kỳ"),
            pl.col("target").alias("Chỉ tiêu"),
            pl.col("uom").fill_null("").alias("ĐVT"),
            planned.fill_null("–").alias("Kế hoạch"),
            actual.fill_null("–").alias("Thực hiện"),
            vn_number_expr(pl.col("completion_pct"), 1).alias("% hoàn thành"),
            pl.when(pl.col("met").is_null())
            .then(pl.lit(MET_LABELS[None]))
            .when(pl.col("met"))
            .then(pl.lit(MET_LABELS[True]))
            .otherwise(pl.lit(MET_LABELS[False]))
            .alias("Kết quả"),
            source_ref_expr(cell="source_row", cell_word="dòng ").alias(
                "Nguồn (tệp · sheet · dòng)"
            ),
        )
    )
    ui.excel_download("v_target_completion", key="unit_targets_xlsx", year=year, unit=unit)

st.subheader("Khen thưởng đã nhận")
awarded = data.query("unit_awards", unit=unit)
if awarded.is_empty():
    st.caption(f"Chưa có quyết định khen thưởng nào của {md_text(unit)} được nạp.")
else:
    ui.table(
        awarded.select(
            pl.col("year").cast(pl.String).alias("Năm"),
            pl.col("award").alias("Hình thức khen thưởng"),
            pl.col("decision").alias("Quyết định"),
            pl.col("achievement").fill_null("").alias("Thành tích"),
            pl.col("cluster").alias("Cụm, khối"),
        ),
        key="unit_awards",
    )
