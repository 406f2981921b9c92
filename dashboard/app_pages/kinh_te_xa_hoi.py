"""Chỉ tiêu KT-XH (Chỉ thị 34): province indicators against the targets of the 2020–2025 term.

A table of every indicator's status by year comes first, so nothing is out of sight; below it the
charts of one group of indicators at a time (``?nhom=...`` in the URL), which keeps a first visit
quick: each chart costs a few milliseconds to build.
"""

import polars as pl
import streamlit as st

from dashboard import data, state, ui
from dashboard.figures import indicators as charts
from dashboard.figures.indicator_groups import STRUCTURE, present_groups
from dashboard.format import md_text, source_footnote, status_badges, status_summary

st.title("Chỉ tiêu kinh tế – xã hội (Chỉ thị 34-CT/TU)")
data.require_data(stop=False)  # the shipped reference figures are still worth showing
st.caption(
    "Số liệu cấp tỉnh so với mục tiêu nhiệm kỳ 2020 – 2025; bộ lọc cụm, đơn vị không áp dụng. "
    "Đầu trang: trạng thái năm gần nhất của mọi chỉ tiêu; chọn nhóm để xem biểu đồ từng năm. "
    "Điểm đặc: số thực hiện; điểm rỗng, nét đứt: số ước tính hoặc kế hoạch. "
    "Màu: xanh lá đạt, xanh dương vượt, đỏ chưa đạt. Rê chuột để xem nguồn của từng số."
)

ind = data.query("indicators")
if ind.is_empty():
    st.info("Chưa có số liệu chỉ tiêu kinh tế – xã hội. Hãy tải tệp chỉ tiêu KT-XH (loại D) lên.")
    st.stop()


def basis_note(frame: pl.DataFrame) -> str:
    """ "Chuỗi số liệu gián đoạn: từ 2021 tính theo chuẩn nghèo 2022 - 2025." """
    breaks = frame.filter(pl.col("basis_break"))
    parts = [
        f"từ {y} tính theo {b or 'cơ sở khác'}"
        for y, b in breaks.select("year", "basis").iter_rows()
    ]
    return ("Chuỗi số liệu gián đoạn: " + "; ".join(parts) + ". ") if parts else ""


def draw_structure(frame: pl.DataFrame) -> None:
    ui.chart(charts.economic_structure, frame, key="structure")
    for key in charts.SECTOR_KEYS:
        part = frame.filter(pl.col("indicator_key") == key)
        if part.height:
            st.markdown(f"{charts.SECTOR_NAMES[key]}: {status_badges(part)}")
    st.caption(
        md_text(
            source_footnote(frame.sort("year").unique("year", keep="first", maintain_order=True))
        )
    )


def draw_indicators(frame: pl.DataFrame, keys: list[str]) -> None:
    for i in range(0, len(keys), 2):
        cols = st.columns(2)
        for col, key in zip(cols, keys[i : i + 2], strict=False):
            series = frame.filter(pl.col("indicator_key") == key)
            with col:
                ui.chart(charts.indicator_model, series, key=f"ind_{key}")
                st.markdown(status_badges(series))
                st.caption(md_text(basis_note(series) + source_footnote(series)))


groups = present_groups(ind["indicator_key"].unique(maintain_order=True).to_list())
st.markdown(status_summary(ind, list(groups.values())))
ui.excel_download("v_province_indicators", key="indicators_xlsx")
slug = state.choose_view("nhom", "Nhóm chỉ tiêu", list(groups), lambda s: groups[s][0])
keys = groups[slug][1]
shown = ind.filter(pl.col("indicator_key").is_in(keys))
if slug == STRUCTURE:
    draw_structure(shown)
else:
    draw_indicators(shown, keys)
