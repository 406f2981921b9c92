"""Chỉ tiêu KT-XH (Chỉ thị 34): province indicators against the targets of the 2020–2025 term."""

import polars as pl
import streamlit as st

from dashboard import charts, data, ui
from dashboard.format import source_footnote, status_badges

# The order of the plan for Chỉ thị 34-CT/TU (Kế hoạch kèm Quyết định 959/QĐ-UBND, III.6).
ORDER = (
    "grdp_growth",
    "grdp_growth_agri",
    "grdp_growth_industry",
    "grdp_growth_services",
    "grdp_per_capita",
    "labour_productivity_growth",
    "budget_revenue_growth",
    "tax_fee_growth",
    "poor_household_rate",
    "poor_household_rate_ethnic",
    "cultural_families",
    "cultural_villages",
    "new_rural_culture_communes",
    "civilized_urban_wards",
    "cultural_agencies",
)

st.title("Chỉ tiêu kinh tế – xã hội (Chỉ thị 34-CT/TU)")
data.require_data(stop=False)  # the shipped reference figures are still worth showing
st.caption(
    "Số liệu cấp tỉnh so với mục tiêu nhiệm kỳ 2020 – 2025; bộ lọc cụm, đơn vị không áp dụng. "
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


structure = ind.filter(pl.col("indicator_key").is_in(list(charts.SECTOR_KEYS)))
if not structure.is_empty():
    ui.chart(charts.economic_structure, structure, key="structure")
    for key in charts.SECTOR_KEYS:
        part = structure.filter(pl.col("indicator_key") == key)
        if part.height:
            st.markdown(f"{charts.SECTOR_NAMES[key]}: {status_badges(part)}")
    st.caption(
        source_footnote(structure.sort("year").unique("year", keep="first", maintain_order=True))
    )

keys = [
    k
    for k in ind["indicator_key"].unique(maintain_order=True).to_list()
    if k not in charts.SECTOR_KEYS
]
keys.sort(key=lambda k: ORDER.index(k) if k in ORDER else len(ORDER))
for i in range(0, len(keys), 2):
    cols = st.columns(2)
    for col, key in zip(cols, keys[i : i + 2], strict=False):
        series = ind.filter(pl.col("indicator_key") == key)
        with col:
            ui.chart(charts.indicator_chart, series, key=f"ind_{key}")
            st.markdown(status_badges(series))
            st.caption(basis_note(series) + source_footnote(series))
