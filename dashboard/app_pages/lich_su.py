"""Lịch sử nhập — every load with its status; retract or restore a load (uploader+)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth_ui, staff
from dashboard.format import md_text
from etl import actions
from etl.errors import ThiduaError, describe

PENDING_KEY = "history_pending"  # ("retract" | "restore", import_id) awaiting confirmation
FLASH_KEY = "history_flash"  # (kind, message) shown once after an action

ACTIONS = {
    "retract": (actions.retract_load, "rút lại", "Đã rút lại lần nạp số {id}."),
    "restore": (actions.restore_load, "khôi phục", "Đã khôi phục lần nạp số {id}."),
}

st.title("Lịch sử nhập")

user = auth_ui.page_gate("uploader")
if user is None:
    st.stop()
name, role = user
con = staff.session_cursor()

flash = st.session_state.pop(FLASH_KEY, None)
if flash:
    getattr(st, flash[0])(flash[1])

items = staff.history(con)
if not items:
    st.info("Chưa có lần nạp nào.")
    st.stop()

st.caption(
    "Mỗi lần nạp được giữ mãi. Tệp mới cùng loại, năm, cụm, đơn vị và kỳ sẽ thay thế tệp cũ; "
    "có thể rút lại một lần nạp hoặc khôi phục lần nạp đã bị thay thế hay đã rút."
)
st.dataframe(pd.DataFrame(staff.history_table(items)), hide_index=True, width="stretch")

st.subheader("Rút lại / khôi phục")
pending = st.session_state.get(PENDING_KEY)


def _confirm_box(action: str, import_id: int, file_name: str) -> None:
    func, verb, done = ACTIONS[action]
    st.warning(f"Bạn chắc chắn muốn {verb} lần nạp số {import_id} ({md_text(file_name)})?")
    yes, no = st.columns(2)
    if yes.button(f"Đồng ý {verb}", key=f"confirm_{action}_{import_id}", type="primary"):
        st.session_state.pop(PENDING_KEY, None)
        try:
            with staff.writer() as wcon:
                ok = func(wcon, name, import_id)
        except PermissionError as exc:
            st.session_state[FLASH_KEY] = ("error", str(exc))
        except ThiduaError as exc:
            st.session_state[FLASH_KEY] = ("error", describe(exc).sentence)
        else:
            st.cache_data.clear()
            st.session_state[FLASH_KEY] = (
                ("success", done.format(id=import_id))
                if ok
                else ("error", f"Không có lần nạp số {import_id}.")
            )
        st.rerun()
    if no.button("Hủy", key=f"cancel_{action}_{import_id}"):
        st.session_state.pop(PENDING_KEY, None)
        st.rerun()


def _ask(action: str, import_id: int) -> None:
    st.session_state[PENDING_KEY] = (action, import_id)


for item in items:
    import_id = item["import_id"]
    info, retract_col, restore_col = st.columns([6, 1, 1], vertical_alignment="center")
    when = f"{item['loaded_at']:%d/%m/%Y %H:%M}" if item["loaded_at"] else ""
    info.markdown(
        f"**Số {import_id}** · {item['file_name']} · {item['status_label']} · "
        f"{item['loaded_by'] or 'không rõ'} · {when}"
    )
    retract_col.button(
        "Rút lại",
        key=f"retract_{import_id}",
        disabled=item["status"] == "retracted",
        on_click=_ask,
        args=("retract", import_id),
    )
    restore_col.button(
        "Khôi phục",
        key=f"restore_{import_id}",
        # A load replaced only in part can be restored: it takes its other part back.
        disabled=item["status"] == "loaded" and not item["replaced_by"],
        on_click=_ask,
        args=("restore", import_id),
    )
    if pending and pending[1] == import_id:
        _confirm_box(pending[0], import_id, item["file_name"])
