"""Hoàn thành chỉ tiêu: how far units completed the targets they registered."""

import polars as pl
import streamlit as st

from dashboard import charts, data, state, ui
from dashboard.format import PERIOD_ORDER, period_label, source_ref_expr, vn_number_expr

data.require_data()
f = state.current()
year, cluster = f.year, f.cluster
st.title(f"Hoàn thành chỉ tiêu thi đua – năm {year}")
st.caption(f"Phạm vi: {cluster or 'tất cả cụm, khối'}. Đổi năm, cụm, khối ở thanh bên trái.")

detail = data.query("targets_detail", year=year, cluster=cluster) if year else None
if detail is None or detail.is_empty():
    st.info(f"Chưa có chỉ tiêu thi đua nào được đăng ký cho năm {year}.")
    st.stop()

by_group = data.query("targets_by_group", year=year, cluster=cluster)
ui.chart(
    charts.completion_bars,
    by_group,
    year,
    cluster is not None,
    key="by_group",
    note="Tỷ lệ tính trên các chỉ tiêu đã có kết quả; số trong ngoặc: đạt / đã có kết quả.",
)

present = set(detail["period"].to_list())
periods = [p for p in PERIOD_ORDER if p in present] + sorted(present - set(PERIOD_ORDER))
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
rows = detail.filter(pl.col("period") == period)

n_met = rows.filter(pl.col("met").fill_null(False)).height
n_not = rows.filter(~pl.col("met").fill_null(True)).height
c = st.columns(4)
c[0].metric("Chỉ tiêu đăng ký", rows.height)
c[1].metric("Đạt", n_met)
c[2].metric("Chưa đạt", n_not)
c[3].metric("Chưa có kết quả", rows.height - n_met - n_not)

left, right = st.columns(2)
with left:
    ui.chart(charts.completion_histogram, rows, year, key="histogram")
with right:
    ui.chart(charts.planned_vs_actual, rows, year, key="planned_actual")

st.subheader(f"Chỉ tiêu chưa đạt – {period_label(period).lower()}")
not_met = rows.filter(pl.col("met") == False)  # noqa: E712 (a polars expression)
if not_met.is_empty():
    st.success("Không có chỉ tiêu nào chưa đạt trong kỳ này.")
else:
    planned = pl.coalesce(
        vn_number_expr(pl.col("planned"), 2, trim=True).replace("–", None), pl.col("planned_text")
    )
    actual = pl.coalesce(
        vn_number_expr(pl.col("actual"), 2, trim=True).replace("–", None), pl.col("actual_text")
    )
    ui.table(
        not_met.sort("completion_pct", nulls_last=True).select(
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
