"""Tổng quan: the year at a glance — headline figures, leading units, what needs attention."""

import polars as pl
import streamlit as st

from dashboard import data, state, ui
from dashboard.figures import ranking as charts
from dashboard.format import (
    md_text,
    source_ref_expr,
    vn_number,
    vn_number_expr,
    vn_percent,
    vn_score,
)
from etl.settings import today_checked

data.require_data()
f = state.current()
if f.year is None:
    st.title("Tổng quan")
    st.info("Chưa có điểm thi đua, chỉ tiêu hay danh sách cụm, khối của năm nào.")
    st.stop()
year, cluster = f.year, f.cluster
scope = md_text(cluster) if cluster else "toàn tỉnh"

st.title(f"Tổng quan thi đua năm {year}")
st.caption(f"Phạm vi: {scope}. Đổi năm, cụm, khối ở thanh bên trái.")

m = data.query("overview_metrics", year=year, cluster=cluster).row(0, named=True)
c = st.columns(6)
c[0].metric("Cụm, khối thi đua", m["n_clusters"])
c[1].metric("Đơn vị", m["n_units"], help="Theo danh sách cụm, khối và các bảng điểm của năm.")
c[2].metric(
    "Được xếp hạng",
    f"{m['n_ranked']}/{m['n_scored']}",
    help="Số đơn vị được xếp hạng trên số đơn vị có điểm.",
)
c[3].metric(
    "Điểm bình quân",
    vn_score(m["avg_score"]),
    help=f"Bình quân tổng điểm; bằng {vn_percent(m['avg_pct'])} điểm chuẩn.",
)
judged = m["targets_judged"] or 0
c[4].metric(
    "Chỉ tiêu thi đua đạt",
    vn_percent(100 * m["targets_met"] / judged if judged else None, 0),
    help=f"{m['targets_met']}/{judged} chỉ tiêu đã có kết quả"
    + (" (kết quả cả năm)." if m["targets_period"] == "year" else "."),
)
if m["indicator_year"] is None:
    c[5].metric("Chỉ tiêu KT-XH", "–", help="Chưa có số liệu chỉ tiêu kinh tế – xã hội.")
else:
    c[5].metric(
        f"KT-XH đạt ({m['indicator_year']})",
        f"{m['indicators_met']}/{m['indicators_judged']}",
        help=f"Chỉ tiêu kinh tế – xã hội năm {m['indicator_year']}: {m['indicators_met']} đạt"
        f" hoặc vượt, {m['indicators_not_met']} chưa đạt, trong số "
        f"{m['indicators_judged']} chỉ tiêu so sánh được với mục tiêu Chỉ thị 34.",
    )

st.subheader("Đơn vị dẫn đầu")
leading = data.query("overview_leading", year=year, cluster=cluster)
if leading.is_empty():
    st.info(f"Năm {year} chưa có đơn vị nào được xếp hạng.")
else:
    drawn, note = leading, None
    if leading.height > ui.MAX_BARS:  # a national database: hundreds of clusters
        drawn = leading.sort("total_score", "cluster", descending=[True, False], nulls_last=True)
        drawn = drawn.head(ui.MAX_BARS)
        note = (
            f"Biểu đồ vẽ {ui.MAX_BARS} trong số {vn_number(leading.height, 0)} cụm, khối: những "
            "cụm, khối có đơn vị dẫn đầu điểm cao nhất. Bảng dưới đây có đủ; chọn một cụm, khối "
            "ở thanh bên trái để xem riêng."
        )
    ui.chart(charts.leading_units_bar, drawn, year, key="lead_chart", note=note)
    ui.table(
        leading.select(
            pl.col("cluster").alias("Cụm, khối"),
            pl.col("units").alias("Đơn vị dẫn đầu"),
            vn_number_expr(pl.col("total_score"), 2, trim=True).alias("Tổng điểm"),
            vn_number_expr(pl.col("score_pct"), 1).alias("% điểm chuẩn"),
            pl.col("classification").alias("Xếp loại"),
            pl.when(pl.col("voted"))
            .then(pl.lit("Cụm biểu quyết"))
            .otherwise(pl.lit("Hạng 1 (đề xuất)"))
            .alias("Căn cứ"),
        ),
        right=["Tổng điểm", "% điểm chuẩn"],
        key="lead_table",
    )
    ui.excel_download(
        "v_unit_scores",
        key="lead_xlsx",
        label="Tải Excel bảng điểm mọi đơn vị (.xlsx)",
        year=year,
        cluster=cluster,
    )

st.subheader("Cần chú ý")
late = data.query("overview_reports", as_of=today_checked()[0], year=year, cluster=cluster)
reports = late.row(0, named=True)
if reports["missing"] or reports["late"]:
    st.warning(
        f"Báo cáo năm {year}: {reports['missing']} báo cáo chưa nộp đã quá hạn, "
        f"{reports['late']} báo cáo nộp trễ hạn.",
        icon=":material/schedule_send:",
    )
st.page_link("app_pages/tien_do.py", label="Tiến độ nộp báo cáo", icon=":material/schedule_send:")
missing = data.query("overview_missing_scores", year=year, cluster=cluster)
not_ranked = data.query("overview_not_ranked", year=year, cluster=cluster)
mismatch = data.query("overview_rank_mismatch", year=year, cluster=cluster)
warnings = data.query("overview_load_warnings", max_loads=20)
tabs = st.tabs(
    [
        f"Chưa có điểm ({missing.height})",
        f"Không xếp hạng ({not_ranked.height})",
        f"Hạng theo tệp khác hạng tính ({mismatch.height})",
        f"Cảnh báo khi nạp ({warnings.height})",
    ]
)
with tabs[0]:
    if missing.is_empty():
        st.success("Mọi đơn vị trong danh sách cụm, khối đều đã có điểm.")
    else:
        st.caption("Đơn vị có trong danh sách cụm, khối của năm nhưng chưa có bảng điểm.")
        ui.table(
            missing.select(
                pl.col("cluster").alias("Cụm, khối"),
                pl.col("unit").alias("Đơn vị"),
                pl.col("role").alias("Vai trò"),
            ),
            key="missing",
        )
with tabs[1]:
    if not_ranked.is_empty():
        st.success("Không có đơn vị nào bị loại khỏi xếp hạng.")
    else:
        ui.table(
            not_ranked.select(
                pl.col("cluster").alias("Cụm, khối"),
                pl.col("unit").alias("Đơn vị"),
                pl.col("not_ranked_reason").alias("Lý do"),
                source_ref_expr().alias("Nguồn (tệp · sheet · ô)"),
            ),
            key="not_ranked",
        )
with tabs[2]:
    if mismatch.is_empty():
        st.success("Hạng ghi trong các tệp khớp với hạng tính lại.")
    else:
        st.caption(
            "Hạng do tệp ghi khác hạng hệ thống tính lại từ tổng điểm (đồng điểm thì đồng hạng)."
        )
        ui.table(
            mismatch.select(
                pl.col("cluster").alias("Cụm, khối"),
                pl.col("unit").alias("Đơn vị"),
                pl.col("file_rank").cast(pl.String).alias("Hạng theo tệp"),
                pl.col("rank").cast(pl.String).fill_null("không xếp hạng").alias("Hạng tính lại"),
                vn_number_expr(pl.col("total_score"), 2, trim=True).alias("Tổng điểm"),
                source_ref_expr(cell=None).alias("Tệp · sheet"),
            ),
            right=["Hạng theo tệp", "Hạng tính lại", "Tổng điểm"],
            key="mismatch",
        )
with tabs[3]:
    if warnings.is_empty():
        st.success("Các lần nạp gần đây không có cảnh báo.")
    else:
        st.caption("Cảnh báo của 20 lần nạp gần nhất còn hiệu lực.")
        ui.table(
            warnings.select(
                pl.col("file_name").alias("Tệp"),
                pl.col("loaded_at").dt.strftime("%d/%m/%Y %H:%M").alias("Lúc nạp"),
                pl.col("sheet").alias("Sheet"),
                pl.col("cell").alias("Ô"),
                pl.col("message").alias("Cảnh báo"),
            ),
            key="warnings",
        )
