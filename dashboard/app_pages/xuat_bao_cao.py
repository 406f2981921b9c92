"""Xuất báo cáo: the meeting pack of a year and chosen clusters, as PowerPoint or PDF."""

import functools
from typing import Any

import polars as pl
import streamlit as st

from dashboard import data, state, ui
from dashboard.export import pack as meeting_pack
from dashboard.export import render

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

data.require_data()
f = state.current()
st.title("Xuất báo cáo cho cuộc họp")
if f.year is None:
    st.info("Chưa có năm nào có số liệu thi đua.")
    st.stop()
year = f.year
st.caption(
    f"Bộ trình chiếu năm {year} (chọn năm ở thanh bên trái): trang bìa; mỗi cụm, khối một trang "
    "xếp hạng (biểu đồ PowerPoint sửa được số liệu, kèm bảng điểm); thực hiện chỉ tiêu thi đua; "
    "chỉ tiêu kinh tế – xã hội so với mục tiêu. Chân mỗi trang ghi tệp nguồn và ngày nạp số liệu."
)

known = data.query("filter_clusters", year=year)["cluster"].to_list()
chosen = st.multiselect(
    "Cụm, khối thi đua đưa vào báo cáo",
    known,
    default=[f.cluster] if f.cluster in known else known,
    placeholder="Chọn ít nhất một cụm, khối",
)
if not chosen:
    st.warning("Hãy chọn ít nhất một cụm, khối thi đua.")
    st.stop()


@st.cache_data(show_spinner=False, max_entries=20)
def _outline(
    path: str, version: tuple[Any, ...], year: int, clusters: tuple[str, ...], _cur: Any
) -> meeting_pack.Pack:
    # Building the pack runs some twenty queries (about 0.2 s on the demo data): once per data
    # version, not on every rerun. The download buttons write this same pack.
    return meeting_pack.build_pack(_cur, year, clusters)


outline = _outline(str(data.db_path()), data.version(), year, tuple(chosen), data.cursor())
render.start()  # the PDF button then finds the renderer running
ui.table(
    pl.DataFrame(
        {
            "Trang": list(range(1, len(outline.slides) + 1)),
            "Tiêu đề": [s.title for s in outline.slides],
            "Nội dung": [
                ", ".join(
                    part
                    for part in (
                        f"{len(s.charts)} biểu đồ" if s.charts else "",
                        f"bảng {len(s.table.rows)} dòng" if s.table else "",
                    )
                    if part
                )
                or "trang bìa"
                for s in outline.slides
            ],
        }
    ),
    height="content",
)


left, right = st.columns(2)
with left:
    st.download_button(
        "Tải PowerPoint (.pptx)",
        data=functools.partial(meeting_pack.pack_bytes, outline, "pptx"),
        file_name=f"{outline.file_stem}.pptx",
        mime=PPTX_MIME,
        on_click="ignore",
        icon=":material/slideshow:",
        type="primary",
        width="stretch",
    )
with right:
    st.download_button(
        "Tải PDF",
        data=functools.partial(meeting_pack.pack_bytes, outline, "pdf"),
        file_name=f"{outline.file_stem}.pdf",
        mime="application/pdf",
        on_click="ignore",
        icon=":material/picture_as_pdf:",
        width="stretch",
    )
st.caption(
    "Biểu đồ trong tệp PowerPoint là biểu đồ gốc: bấm chuột phải, chọn Sửa dữ liệu để chỉnh số. "
    "Tệp PDF dùng phông Noto Sans nhúng sẵn, đọc đúng tiếng Việt trên mọi máy. "
    "Cũng xuất được từ dòng lệnh: `thidua export pack --year "
    f"{year} -o bao-cao.pptx`."
)
