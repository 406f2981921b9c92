"""Tiến độ nộp báo cáo: which unit of which cluster has reported for which period (§8)."""

from datetime import date

import polars as pl
import streamlit as st

from dashboard import auth_ui, data, staff, state, ui
from dashboard.figures import year as year_charts
from dashboard.format import REPORT_LABELS
from etl import actions, settings
from etl.errors import ThiduaError, describe
from etl.kinds import submissions
from etl.settings import today_checked

data.require_data()
f = state.current()
if f.year is None:
    st.title("Tiến độ nộp báo cáo")
    st.info("Chưa có dữ liệu của năm nào.")
    st.stop()
year, cluster = f.year, f.cluster
today, bad_today = today_checked()
if bad_today:
    st.warning(bad_today)

st.title(f"Tiến độ nộp báo cáo năm {year}")
st.caption(
    f"Tính đến ngày {today:%d/%m/%Y}"
    + (" (đặt bằng THIDUA_TODAY)" if str(settings.get("today")).strip() else "")
    + ". Ngày nộp là ngày ghi ở dòng địa danh, ngày tháng của văn bản; không có thì là ngày nạp. "
    "Hạn mặc định: 6 tháng 20/6, cả năm 20/12, quý ngày 20 tháng cuối quý."
)

allrows = data.query("submissions", as_of=today, year=year, cluster=cluster)
if allrows.is_empty():
    st.info(f"Năm {year} chưa có danh sách cụm, khối hay báo cáo nào.")
    st.stop()

periods = (
    allrows.group_by("period").agg(pl.col("due_date").min()).sort("due_date")["period"].to_list()
)
# The latest deadline already passed (its late and missing reports matter now), else the next.
passed = allrows.filter(pl.col("due_date") < today).sort("due_date")
default = passed["period"][-1] if passed.height else periods[0]
period = st.radio(
    "Kỳ báo cáo",
    periods,
    index=periods.index(default),
    format_func=lambda p: REPORT_LABELS.get(p, p),
    horizontal=True,
    key="tien_do_period",
)
rows = allrows.filter(pl.col("period") == period)
label = REPORT_LABELS.get(period, period)

counts = {s: rows.filter(pl.col("status") == s).height for s in year_charts.STATUS_ORDER}
c = st.columns(5)
c[0].metric("Đúng hạn", counts["đúng hạn"])
c[1].metric("Trễ hạn", counts["trễ hạn"])
c[2].metric("Chưa nộp (quá hạn)", counts["chưa nộp"])
c[3].metric("Chưa đến hạn", counts["chưa đến hạn"])
next_due = allrows.filter(pl.col("due_date") >= today)["due_date"].min()
if next_due is None:
    c[4].metric("Hạn tiếp theo", "–", help=f"Mọi hạn nộp năm {year} đã qua.")
else:
    days = (next_due - today).days
    c[4].metric(
        "Hạn tiếp theo",
        f"{next_due:%d/%m/%Y}",
        help="Hạn nộp gần nhất chưa qua.",
        delta=f"còn {days} ngày" if days else "hôm nay",
        delta_color="off",
    )

per_cluster = year_charts.status_counts(rows)
ui.chart(
    year_charts.submissions_model,
    per_cluster,
    f"Tiến độ nộp báo cáo {label.lower()} {year}",
    f"Tính đến {today:%d/%m/%Y} · hạn {rows['due_date'].min():%d/%m/%Y}"
    + (" (có cụm đặt hạn riêng)" if rows["due_date"].n_unique() > 1 else ""),
    key="tien_do_chart",
)

st.subheader("Từng đơn vị")
st.caption("Chưa nộp và trễ hạn đứng trước.")
ui.table(
    rows.select(
        pl.col("cluster").alias("Cụm, khối"),
        pl.col("unit").alias("Đơn vị"),
        pl.col("due_date").dt.strftime("%d/%m/%Y").alias("Hạn nộp"),
        pl.col("submitted_on").dt.strftime("%d/%m/%Y").fill_null("–").alias("Ngày nộp"),
        pl.when(pl.col("status") == "trễ hạn")
        .then(pl.format("trễ hạn {} ngày", pl.col("days_late")))
        .when(pl.col("status") == "chưa nộp")
        .then(pl.format("chưa nộp (quá hạn {} ngày)", pl.col("days_late")))
        .otherwise(pl.col("status"))
        .alias("Tình trạng"),
    ),
    key="tien_do_table",
)
ui.excel_download(
    "v_submissions",
    key="tien_do_xlsx",
    label="Tải Excel tiến độ nộp báo cáo (.xlsx)",
    year=year,
    cluster=cluster,
    period=period,
)

if auth_ui.has_role("admin"):
    user = auth_ui.current_user()
    assert user is not None
    with st.expander("Đặt hạn nộp báo cáo (quản trị)"):
        clusters = sorted(allrows["cluster"].unique().to_list())
        with st.form("due_date_form"):
            fc = st.selectbox(
                "Cụm, khối", clusters, index=clusters.index(cluster) if cluster in clusters else 0
            )
            fp = st.selectbox("Kỳ", submissions.PERIODS, format_func=lambda p: REPORT_LABELS[p])
            fd = st.date_input("Hạn nộp", value=date(year, 12, 20), format="DD/MM/YYYY")
            reset = st.checkbox("Trở về hạn mặc định (và bỏ kỳ quý không còn nộp)")
            go = st.form_submit_button("Lưu")
        if go:
            try:
                with staff.writer() as con:
                    if reset:
                        actions.clear_due_date(con, user[0], year, fc, fp)
                    else:
                        actions.set_due_date(con, user[0], year, fc, fp, fd)
            except (PermissionError, ValueError) as exc:
                st.error(str(exc))
            except ThiduaError as exc:
                st.error(describe(exc).sentence)
            else:
                st.success("Đã lưu hạn nộp.")
                st.rerun()
