"""Hoàn thành chỉ tiêu: how far units completed the targets they registered."""

import polars as pl
import streamlit as st

from dashboard import data, state, ui
from dashboard.figures import targets as charts
from dashboard.format import (
    PERIOD_ORDER,
    figure_or_text_expr,
    md_text,
    period_label,
    source_ref_expr,
    vn_number,
    vn_number_expr,
)

MAX_POINTS = 2000  # points of the planned-vs-actual chart
MAX_ROWS = 500  # rows of the table of targets not met

data.require_data()
f = state.current()
year, cluster = f.year, f.cluster
st.title(f"Hoàn thành chỉ tiêu thi đua – năm {year}")
st.caption(
    f"Phạm vi: {md_text(cluster) if cluster else 'tất cả cụm, khối'}. "
    "Đổi năm, cụm, khối ở thanh bên trái."
)

summary = data.query("targets_periods", year=year, cluster=cluster) if year else None
if summary is None or summary.is_empty():
    st.info(f"Chưa có chỉ tiêu thi đua nào được đăng ký cho năm {year}.")
    st.stop()

by_group = data.query("targets_by_group", year=year, cluster=cluster)
note = "Tỷ lệ tính trên các chỉ tiêu đã có kết quả; số trong ngoặc: đạt / đã có kết quả."
labels = by_group["label"].unique()
if labels.len() > ui.MAX_BARS:  # a national database: hundreds of clusters
    # The groups that need attention: the lowest rate of the first period (whole year first).
    worst = (
        by_group.filter(pl.col("period") == by_group["period"][0])  # sorted: year, H1, …
        .sort("pct_met", "label", nulls_last=True)
        .head(ui.MAX_BARS)["label"]
    )
    by_group = by_group.filter(pl.col("label").is_in(worst.to_list()))
    note += (
        f" Biểu đồ vẽ {ui.MAX_BARS} trong số {vn_number(labels.len(), 0)} "
        f"{'đơn vị' if cluster else 'cụm, khối'} có tỷ lệ đạt thấp nhất; chọn một cụm, khối ở "
        "thanh bên trái để xem riêng."
    )
ui.chart(charts.completion_bars, by_group, year, cluster is not None, key="by_group", note=note)

present = summary["period"].to_list()
periods = [p for p in PERIOD_ORDER if p in present] + sorted(set(present) - set(PERIOD_ORDER))
period = periods[0]
if len(periods) > 1:
    period = (
        st.segmented_control(
            "Kỳ đánh giá",
            periods,
            default=periods[0],
            format_func=period_label,
            key="target_period",
        )
        or period
    )
counts = summary.filter(pl.col("period") == period).row(0, named=True)

c = st.columns(4)
c[0].metric("Chỉ tiêu đăng ký", counts["n_targets"])
c[1].metric("Đạt", counts["n_met"])
c[2].metric("Chưa đạt", counts["n_not_met"])
c[3].metric("Chưa có kết quả", counts["n_pending"])

# Bounded whatever the scope: bins, a sample of points and the least completed targets.
in_period = {"year": year, "cluster": cluster, "period": period}
bins = data.query("targets_histogram", **in_period)
points = data.query("targets_points", **in_period, max_points=MAX_POINTS)
left, right = st.columns(2)
with left:
    ui.chart(charts.completion_histogram, bins, year, key="histogram")
with right:
    n_points = points["n_points"][0] if points.height else 0
    ui.chart(
        charts.planned_vs_actual,
        points,
        year,
        key="planned_actual",
        note=f"Vẽ {vn_number(points.height, 0)} trong số {vn_number(n_points, 0)} chỉ tiêu "
        "(một mẫu cố định); chọn một cụm, khối ở thanh bên trái để xem đủ."
        if n_points > points.height
        else None,
    )

st.subheader(f"Chỉ tiêu chưa đạt – {period_label(period).lower()}")
not_met = data.query("targets_not_met", **in_period, max_rows=MAX_ROWS)
if not_met.is_empty():
    st.success("Không có chỉ tiêu nào chưa đạt trong kỳ này.")
else:
    planned = figure_or_text_expr("planned", "planned_text")
    actual = figure_or_text_expr("actual", "actual_text")
    ui.table(
        not_met.select(
            pl.col("cluster").alias("Cụm, khối"),
            pl.col("unit").alias("Đơn vị"),
            pl.col("target").alias("Chỉ tiêu"),
            pl.col("uom").fill_null("").alias("ĐVT"),
            planned.fill_null("–").alias("Kế hoạch"),
            actual.fill_null("–").alias("Thực hiện"),
            vn_number_expr(pl.col("completion_pct"), 1).alias("% hoàn thành"),
            source_ref_expr(cell="source_row", cell_word="dòng ").alias(
                "Nguồn (tệp · sheet · dòng)"
            ),
        ),
        right=["Kế hoạch", "Thực hiện", "% hoàn thành"],
        key="not_met",
    )
    if counts["n_not_met"] > not_met.height:
        st.caption(
            f"{vn_number(not_met.height, 0)} chỉ tiêu có mức hoàn thành thấp nhất trong số "
            f"{vn_number(counts['n_not_met'], 0)} chỉ tiêu chưa đạt; chọn một cụm, khối ở thanh "
            "bên trái để xem đủ."
        )
ui.excel_download(
    "v_target_completion",
    key="targets_xlsx",
    label=f"Tải Excel mọi chỉ tiêu – {period_label(period).lower()} (.xlsx)",
    year=year,
    cluster=cluster,
    period=period,
)
