"""Tải dữ liệu lên — step 1 checks the uploaded workbooks, step 2 loads them (uploader+)."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from dashboard import auth_ui, staff, ui
from dashboard.format import PERIOD_LABELS, md_text
from etl import actions
from etl.errors import ThiduaError, describe
from etl.report import FileReport

CHECKED_KEY = "upload_checked"

st.title("Tải dữ liệu lên")

user = auth_ui.page_gate("uploader")
if user is None:
    st.stop()
name, role = user
con = staff.session_cursor()


def _issue_style(row: pd.Series) -> list[str]:
    if row["Mức"] == staff.SEVERITY_LABELS["error"]:
        return ["color: #b91c1c; font-weight: 600"] * len(row)
    if row["Mức"] == staff.SEVERITY_LABELS["info"]:
        return ["color: #166534"] * len(row)
    return ["color: #92400e"] * len(row)


def _show_report(report: FileReport) -> None:
    sheets = staff.sheet_rows(report)
    if sheets:
        st.dataframe(pd.DataFrame(sheets), hide_index=True, width="stretch")
    issues = staff.issue_rows(report)
    if issues:
        # Every message whole, wrapped: a narrow grid column cut them off.
        ui.text_table(pd.DataFrame(issues), style=lambda s: s.apply(_issue_style, axis=1))


with st.expander("Tải mẫu trống", icon=":material/download:"):
    st.caption("Mẫu Excel trống cho từng loại bảng, có sheet hướng dẫn bằng tiếng Việt.")
    for kind in staff.KINDS:
        st.download_button(
            staff.KIND_LABELS[kind],
            data=partial(staff.template_bytes, kind),
            file_name=f"mau_trong_loai_{kind}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"template_{kind}",
            on_click="ignore",
        )

st.subheader("Bước 1 — Chọn tệp và kiểm tra")
st.caption(
    "Có thể chọn nhiều tệp .xlsx, .xlsm, .xls, .ods cùng lúc "
    f"(tối đa {actions.max_upload_mb()} MB mỗi tệp). Kiểm tra không ghi gì vào cơ sở dữ liệu."
)
ui.uploader_in_vietnamese(actions.max_upload_mb())
uploads = st.file_uploader(
    "Chọn tệp bảng tính",
    type=None,  # every file is taken and answered in Vietnamese (actions.CSV_ADVICE, ...)
    accept_multiple_files=True,
    max_upload_size=actions.max_upload_mb(),
    key="upload_files",
)

st.markdown("**Thông tin bổ sung** — chỉ cần khi tiêu đề của tệp không ghi rõ:")
col_year, col_period = st.columns(2)
year = col_year.number_input(
    "Năm", min_value=2000, max_value=2100, value=None, step=1, placeholder="theo tệp"
)
periods = {"": "(lấy theo tệp)", **PERIOD_LABELS}
period = col_period.selectbox("Kỳ", list(periods), format_func=periods.__getitem__)
col_cluster, col_unit = st.columns(2)
cluster = col_cluster.text_input("Cụm/Khối thi đua", placeholder="ví dụ: Cụm thi đua số 4")
unit = col_unit.text_input("Đơn vị", placeholder="theo tệp")
fields = staff.UploadFields.of(year, cluster, unit, period)

files = [(f.name, f.getvalue()) for f in (uploads or [])]
current = [(fname, data, actions.digest(data)) for fname, data in files]
checked: dict[str, staff.Checked] = st.session_state.setdefault(CHECKED_KEY, {})
# Forget checks of files that are no longer in the uploader.
for key in [k for k in checked if k not in {f"{n}|{h}" for n, _, h in current}]:
    del checked[key]

if st.button("Kiểm tra", type="primary", disabled=not current):
    try:
        for fname, data, sha in current:
            report = actions.check_upload(con, name, fname, data, fields.options(name))
            checked[f"{fname}|{sha}"] = staff.Checked(fname, sha, len(data), fields, report)
    except PermissionError as exc:
        st.error(str(exc))

shown = [
    (fname, data, checked[f"{fname}|{sha}"])
    for fname, data, sha in current
    if f"{fname}|{sha}" in checked
]
for fname, _, item in shown:
    report = item.report
    st.markdown(f"#### {md_text(fname)}")
    if report.errors:
        st.error(
            f"{len(report.errors)} lỗi — tệp này sẽ không được nạp. "
            "Sửa các ô nêu dưới đây rồi tải lên lại."
        )
    elif report.warnings:
        st.warning(f"Hợp lệ, có {len(report.warnings)} cảnh báo — vẫn có thể nạp.")
    else:
        st.success("Hợp lệ — có thể nạp.")
    _show_report(report)

if shown:
    st.subheader("Bước 2 — Xác nhận nạp")
    stale = any(item.fields != fields for _, _, item in shown)
    ready = [(fname, data, item) for fname, data, item in shown if item.confirmable]
    blocked = [fname for fname, _, item in shown if not staff.can_confirm(item.report)]
    if stale:
        st.warning("Thông tin bổ sung đã thay đổi sau lần kiểm tra — hãy bấm «Kiểm tra» lại.")
    if blocked:
        st.caption("Không nạp (còn lỗi): " + ", ".join(map(md_text, blocked)))
    if ready:
        st.caption(f"Sẽ nạp {len(ready)} tệp: " + ", ".join(md_text(f) for f, _, _ in ready))
    if st.button("Xác nhận nạp", type="primary", disabled=stale or not ready):
        try:
            for fname, data, item in ready:
                with staff.writer() as wcon:  # each file waits its turn at the writer
                    item.result = actions.upload(wcon, name, fname, data, item.fields.options(name))
        except PermissionError as exc:
            st.error(str(exc))
        except ThiduaError as exc:
            st.error(describe(exc).sentence)
        finally:
            st.cache_data.clear()  # the charts must show the new data

    results = [(fname, item.result) for fname, _, item in shown if item.result is not None]
    if results:
        st.subheader("Kết quả nạp")
    for fname, result in results:
        label = staff.RESULT_LABELS.get(result.status, result.status)
        if result.status == "loaded":
            extra = f" (lần nạp số {result.import_id})" if result.import_id else ""
            if result.lineage():
                extra += "; " + result.lineage()
            st.success(f"{md_text(fname)}: {label}{md_text(extra)}.")
        elif result.status == "already_loaded":
            st.info(f"{md_text(fname)}: {label}.")
        else:
            st.error(f"{md_text(fname)}: {label}.")
            _show_report(result)
