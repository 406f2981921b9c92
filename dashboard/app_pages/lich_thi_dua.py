"""Lịch thi đua: the year's phases and quarterly themes with the reporting deadlines."""

from datetime import date

import polars as pl
import streamlit as st

from dashboard import auth_ui, data, staff, state, ui
from dashboard.figures import year as year_charts
from dashboard.format import REPORT_LABELS
from etl import actions
from etl.errors import ThiduaError, describe
from etl.settings import today_checked

data.require_data()
f = state.current()
if f.year is None:
    st.title("Lịch thi đua")
    st.info("Chưa có dữ liệu của năm nào.")
    st.stop()
year, cluster = f.year, f.cluster
today, _ = today_checked()  # the Tiến độ page explains a bad THIDUA_TODAY

st.title(f"Lịch thi đua năm {year}")
st.caption(
    "Các đợt thi đua, chủ đề từng quý và hạn nộp báo cáo. Lịch được nạp từ tệp lịch thi đua "
    "(loại H) hoặc do quản trị viên nhập dưới đây."
)

events = data.query("calendar", year=year, cluster=cluster)
deadlines = data.query("deadlines", as_of=today, year=year, cluster=cluster).with_columns(
    pl.col("period")
    .replace_strict(REPORT_LABELS, default=pl.col("period"))
    .str.to_lowercase()
    .alias("label")
)
if events.is_empty() and deadlines.is_empty():
    st.info(f"Năm {year} chưa có lịch thi đua.")
else:
    ui.chart(year_charts.calendar_timeline, events, deadlines, year, today, key="lich_chart")

if not events.is_empty():
    st.subheader("Các đợt thi đua")
    ui.table(
        events.select(
            pl.col("phase").alias("Đợt thi đua"),
            pl.col("theme").alias("Chủ đề"),
            pl.col("start_date").dt.strftime("%d/%m/%Y").alias("Từ ngày"),
            pl.col("end_date").dt.strftime("%d/%m/%Y").alias("Đến ngày"),
            pl.col("cluster").fill_null("Toàn tỉnh").alias("Phạm vi"),
            pl.col("source").alias("Nguồn"),
        ),
        key="lich_table",
    )
if not deadlines.is_empty():
    st.subheader("Hạn nộp báo cáo")
    ui.table(
        deadlines.select(
            pl.col("label").str.to_titlecase().alias("Kỳ"),
            pl.col("due_date").dt.strftime("%d/%m/%Y").alias("Hạn nộp"),
            pl.format("{}/{}", pl.col("units") - pl.col("outstanding"), pl.col("units")).alias(
                "Đã nộp"
            ),
            pl.col("late").alias("Trễ hạn"),
        ),
        right=["Đã nộp", "Trễ hạn"],
        key="lich_deadlines",
    )
    st.page_link(
        "app_pages/tien_do.py", label="Xem tiến độ nộp báo cáo", icon=":material/schedule_send:"
    )

if auth_ui.has_role("admin"):
    user = auth_ui.current_user()
    assert user is not None
    with st.expander("Thêm đợt thi đua (quản trị)"):
        with st.form("calendar_form", clear_on_submit=True):
            phase = st.text_input("Đợt thi đua / giai đoạn", placeholder="Quý I")
            theme = st.text_input("Chủ đề", placeholder="Mừng Đảng, mừng xuân")
            c = st.columns(2)
            start = c[0].date_input("Từ ngày", value=date(year, 1, 1), format="DD/MM/YYYY")
            end = c[1].date_input("Đến ngày", value=date(year, 3, 31), format="DD/MM/YYYY")
            add = st.form_submit_button("Thêm")
        if add:
            try:
                with staff.writer() as con:
                    actions.add_calendar_entry(
                        con, user[0], year, phase, theme, start, end, cluster
                    )
            except (PermissionError, ValueError) as exc:
                st.error(str(exc))
            except ThiduaError as exc:
                st.error(describe(exc).sentence)
            else:
                st.rerun()
        typed = events.filter(pl.col("entry_id").is_not_null())
        if not typed.is_empty():
            with st.form("calendar_remove"):
                gone = st.selectbox(
                    "Xóa đợt đã nhập tay",
                    typed["entry_id"].to_list(),
                    format_func=lambda i: typed.filter(pl.col("entry_id") == i)["phase"][0],
                )
                remove = st.form_submit_button("Xóa")
            if remove:
                with staff.writer() as con:
                    actions.remove_calendar_entry(con, user[0], int(gone))
                st.rerun()
