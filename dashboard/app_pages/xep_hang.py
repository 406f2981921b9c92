"""Xếp hạng cụm, khối: one cluster's ranking in a year, how it was scored, how it moved."""

import polars as pl
import streamlit as st

from dashboard import data, state, ui
from dashboard.figures import ranking as charts
from dashboard.format import (
    leading_sentence,
    md_text,
    rank_label_expr,
    source_ref_expr,
    vn_number_expr,
)

data.require_data()
f = state.current()
clusters = data.query("filter_clusters", year=f.year)["cluster"].to_list() if f.year else []
if f.year is None or not clusters:  # no year means no clusters too
    st.title("Xếp hạng cụm, khối")
    st.info("Chưa có cụm, khối thi đua nào có điểm.")
    st.stop()
year = f.year
cluster = f.cluster or clusters[0]

st.title(f"Xếp hạng {md_text(cluster)} – năm {year}")
if f.cluster is None:
    st.caption(f"Đang xem {md_text(cluster)}. Chọn cụm, khối khác ở thanh bên trái.")

ranking = data.query("ranking", year=year, cluster=cluster)
if ranking.is_empty():
    st.info(f"{md_text(cluster)} chưa có điểm thi đua năm {year}.")
    st.stop()

st.markdown(ui.derived(leading_sentence, ranking, cluster, year))
ui.chart(charts.ranking_model, ranking, cluster, year, key="ranking_chart")


def score_table(ranking: pl.DataFrame) -> pl.DataFrame:
    score = {"trim": True}
    columns = [
        rank_label_expr().alias("Hạng"),
        pl.when(pl.col("is_leading"))
        .then(pl.lit("★ ") + pl.col("unit"))
        .otherwise(pl.col("unit"))
        .alias("Đơn vị"),
        vn_number_expr(pl.col("self_score"), 2, **score).alias("Tự chấm"),
        vn_number_expr(pl.col("assessed_score"), 2, **score).alias("Cụm chấm"),
        vn_number_expr(pl.col("bonus"), 2, **score).alias("Thưởng"),
        vn_number_expr(pl.col("deduction"), 2, **score).alias("Trừ"),
        vn_number_expr(pl.col("total_score"), 2, **score).alias("Tổng"),
        pl.col("classification").fill_null("–").alias("Xếp loại"),
    ]
    differs = pl.col("file_rank").is_not_null() & pl.col("file_rank").ne_missing(pl.col("rank"))
    if ranking.select(differs.any()).item():  # beside the computed rank, where nobody misses it
        columns.insert(
            1,
            pl.when(differs)
            .then(pl.col("file_rank").cast(pl.String))
            .otherwise(pl.lit(""))
            .alias("Hạng theo tệp"),
        )
    if ranking["not_ranked_reason"].is_not_null().any():
        columns.append(pl.col("not_ranked_reason").fill_null("").alias("Lý do không xếp hạng"))
    columns.append(source_ref_expr().alias("Nguồn (tệp · sheet · ô)"))
    return ranking.select(columns)


with st.expander("Bảng điểm chi tiết", expanded=True):
    ui.table(
        ui.derived(score_table, ranking),
        right=["Tự chấm", "Cụm chấm", "Thưởng", "Trừ", "Tổng", "Hạng theo tệp"],
        key="ranking_table",
    )
    st.caption(
        "★ đơn vị dẫn đầu (đề xuất theo hạng 1; biểu quyết của cụm quyết định). "
        "Đơn vị bằng điểm (chênh dưới 0,01) đồng hạng; hạng kế tiếp bị bỏ qua (1, 1, 3)."
    )
    ui.excel_download("v_unit_scores", key="ranking_xlsx", year=year, cluster=cluster)

groups = data.query("ranking_criterion_groups", year=year, cluster=cluster)
if not groups.is_empty():
    ui.chart(charts.criterion_heatmap, groups, cluster, year, key="heatmap")

history = data.query("ranking_history", cluster=cluster)
left, right = st.columns(2)
with left:
    ui.chart(charts.self_vs_assessed, ranking, cluster, year, key="self_chart")
with right:
    if history["year"].n_unique() > 1:
        ui.chart(
            charts.rank_history,
            history,
            cluster,
            tuple(ranking["unit"].to_list()),
            key="history_chart",
            note="Thứ hạng chỉ so sánh được trong cùng một phía của mốc sáp nhập tỉnh 01/7/2025.",
        )
    else:
        st.info(f"{md_text(cluster)} mới có điểm của một năm, chưa vẽ được diễn biến thứ hạng.")
