"""Khen thưởng: the year's award proposals with their check against the rules (§9)."""

import functools

import pandas as pd
import polars as pl
import streamlit as st

from dashboard import auth_ui, data, staff, state, ui
from dashboard.export import proposals_doc
from dashboard.format import md_text
from etl import actions
from etl.errors import ThiduaError, describe
from etl.kinds import awards

STATUS_STYLE = {
    "không đủ điều kiện": "background-color: #FDECEA; color: #8E1B1B",
    "vượt hạn mức": "background-color: #FFF4E0; color: #7A4A00",
    "hợp lệ": "background-color: #E8F5E9; color: #1B5E20",
}

data.require_data()
f = state.current()
if f.year is None:
    st.title("Khen thưởng")
    st.info("Chưa có dữ liệu của năm nào.")
    st.stop()
year, cluster = f.year, f.cluster

st.title(f"Đề nghị khen thưởng năm {year}")
st.caption(
    "Mỗi đề nghị được kiểm tra theo các quy tắc (điều kiện trước, hạn mức sau). Các quy tắc là "
    "mặc định của phần mềm, ghi rõ căn cứ; quản trị viên sửa được (trừ quy tắc Cờ thi đua)."
)

proposals = data.query("award_proposals", year=year, cluster=cluster)
if proposals.is_empty():
    st.info(
        f"Năm {year} chưa có đề nghị khen thưởng. Hãy tải lên danh sách đề nghị (loại G) hoặc bảng "
        "tổng hợp có cột «Đề nghị khen thưởng»."
    )
else:
    n = {s: proposals.filter(pl.col("status") == s).height for s in STATUS_STYLE}
    c = st.columns(4)
    c[0].metric("Đề nghị", proposals.height)
    c[1].metric("Hợp lệ", n["hợp lệ"])
    c[2].metric("Vượt hạn mức", n["vượt hạn mức"])
    c[3].metric("Không đủ điều kiện", n["không đủ điều kiện"])

    for name, part in proposals.group_by("cluster", maintain_order=True):
        cluster_name = name[0] or "Chưa rõ cụm, khối"
        bad = part.filter(pl.col("status") != "hợp lệ").height
        st.subheader(md_text(cluster_name))
        if bad:
            st.caption(f"{bad} đề nghị cần xem lại (tô màu).")
        shown = part.select(
            pl.col("name").alias("Tên tập thể, cá nhân"),
            pl.col("award").alias("Hình thức khen thưởng"),
            pl.col("rank").cast(pl.String).fill_null("–").alias("Hạng"),
            pl.col("status").alias("Kết quả kiểm tra"),
            pl.col("reason").alias("Lý do"),
            pl.col("rule").alias("Quy tắc (căn cứ)"),
            pl.col("decision").fill_null("").alias("Quyết định"),
        ).to_pandas()
        styled = shown.style.map(lambda v: STATUS_STYLE.get(v, ""), subset=["Kết quả kiểm tra"])
        st.dataframe(styled, hide_index=True, width="stretch", key=f"kt_{cluster_name}")

    c = st.columns(3)
    with c[0]:
        ui.excel_download(
            "v_award_proposals",
            key="kt_xlsx_all",
            label="Tải Excel mọi cột (.xlsx)",
            year=year,
            cluster=cluster,
        )
    c[1].download_button(
        "Danh sách trình Hội đồng (.xlsx)",
        data=functools.partial(proposals_doc.council_xlsx, proposals, year, cluster),
        on_click="ignore",
        file_name=proposals_doc.file_name(year, cluster, "xlsx"),
        mime=proposals_doc.XLSX_MIME,
        icon=":material/download:",
        key="kt_council_xlsx",
    )
    c[2].download_button(
        "Dự thảo danh sách (.docx)",
        data=functools.partial(proposals_doc.council_docx, proposals, year, cluster),
        on_click="ignore",
        file_name=proposals_doc.file_name(year, cluster, "docx"),
        mime=proposals_doc.DOCX_MIME,
        icon=":material/description:",
        key="kt_council_docx",
    )

st.subheader("Quy tắc khen thưởng")
rules = data.query("award_rules")
st.dataframe(
    pd.DataFrame(
        {
            "Mã": rules["rule_id"].to_list(),
            "Hình thức": rules["award"].to_list(),
            "Quy tắc": rules["description"].to_list(),
            "Giá trị": rules["value"].to_list(),
            "Căn cứ": rules["basis"].to_list(),
            "Cố định": ["có" if x else "" for x in rules["fixed"].to_list()],
            "Sửa lần cuối": rules["edited"].to_list(),
        }
    ),
    hide_index=True,
    width="stretch",
    key="kt_rules",
)

if auth_ui.has_role("admin"):
    user = auth_ui.current_user()
    assert user is not None
    editable = rules.filter(~pl.col("fixed"))
    with st.expander("Sửa quy tắc (quản trị)"):
        with st.form("rule_form"):
            rule_id = st.selectbox(
                "Quy tắc",
                editable["rule_id"].to_list(),
                format_func=lambda r: (
                    f"{r} — " + editable.filter(pl.col("rule_id") == r)["description"][0]
                ),
            )
            value = st.text_input(
                "Giá trị mới",
                help="Tỷ lệ (ví dụ 30%), số lượng, thứ hạng, hoặc xếp loại: "
                + "; ".join(awards.CLASSIFICATIONS),
            )
            basis = st.text_area("Căn cứ (văn bản, điều khoản)")
            save = st.form_submit_button("Lưu quy tắc")
        if save:
            try:
                with staff.writer() as con:
                    actions.edit_award_rule(con, user[0], rule_id, value, basis)
            except (PermissionError, ValueError) as exc:
                st.error(str(exc))
            except ThiduaError as exc:
                st.error(describe(exc).sentence)
            else:
                st.success(f"Đã sửa quy tắc {rule_id}.")
                st.rerun()
