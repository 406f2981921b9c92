"""Quản trị — accounts, the membership list per year (read-only) and the audit log (admin)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard import auth_ui, staff
from dashboard.format import md_text
from etl import actions
from etl.errors import ThiduaError, describe
from etl.year import accounts

FLASH_KEY = "admin_flash"

st.title("Quản trị")

user = auth_ui.page_gate("admin")
if user is None:
    st.stop()
name, role = user
con = staff.session_cursor()

flash = st.session_state.pop(FLASH_KEY, None)
if flash:
    getattr(st, flash[0])(flash[1])


def _run(action: Callable[..., object], *args: str, done: str) -> None:
    """Run one admin action; report its outcome after the rerun."""
    try:
        with staff.writer() as wcon:
            action(wcon, name, *args)
    except (PermissionError, accounts.AccountError) as exc:
        st.error(str(exc))
        return
    except ThiduaError as exc:
        st.error(describe(exc).sentence)
        return
    st.session_state[FLASH_KEY] = ("success", done)
    st.rerun()


tab_users, tab_members, tab_audit = st.tabs(
    ["Tài khoản", "Danh sách cụm, khối thi đua", "Nhật ký thao tác"]
)

with tab_users:
    users = staff.users_table(con)
    if users:
        st.dataframe(pd.DataFrame(users), hide_index=True, width="stretch")
    else:
        st.info("Chưa có tài khoản nào.")

    st.markdown("#### Thêm tài khoản")
    with st.form("admin_add_user", clear_on_submit=True):
        new_name = st.text_input("Tên đăng nhập")
        new_role = st.selectbox("Quyền", accounts.ROLES, format_func=accounts.role_label)
        new_pw = st.text_input("Mật khẩu (ít nhất 8 ký tự)", type="password")
        new_pw2 = st.text_input("Nhập lại mật khẩu", type="password")
        add = st.form_submit_button("Thêm tài khoản")
    if add:
        if new_pw != new_pw2:
            st.error("Hai lần nhập mật khẩu không khớp.")
        else:
            _run(
                actions.add_user,
                new_name,
                new_role,
                new_pw,
                done=f"Đã thêm tài khoản '{accounts.normalize_name(new_name)}'.",
            )

    names = [u["Tài khoản"] for u in users]
    if names:
        st.markdown("#### Sửa tài khoản")
        target = st.selectbox("Tài khoản", names, key="admin_target")
        current_role = accounts.get_role(con, target) or "viewer"

        with st.form("admin_set_role"):
            chosen = st.selectbox(
                "Quyền mới",
                accounts.ROLES,
                index=accounts.ROLES.index(current_role),
                format_func=accounts.role_label,
            )
            change = st.form_submit_button("Đổi quyền")
        if change:
            _run(
                actions.set_role,
                target,
                chosen,
                done=f"Đã đổi quyền của '{target}' thành {accounts.role_label(chosen)}.",
            )

        with st.form("admin_reset_password", clear_on_submit=True):
            pw = st.text_input("Mật khẩu mới (ít nhất 8 ký tự)", type="password")
            pw2 = st.text_input("Nhập lại mật khẩu mới", type="password")
            reset = st.form_submit_button("Đặt lại mật khẩu")
        if reset:
            if pw != pw2:
                st.error("Hai lần nhập mật khẩu không khớp.")
            else:
                _run(
                    actions.set_password,
                    target,
                    pw,
                    done=f"Đã đặt lại mật khẩu của '{target}' (và mở khóa nếu đang bị khóa).",
                )

        with st.form("admin_remove_user"):
            sure = st.checkbox(f"Tôi chắc chắn muốn xóa tài khoản '{target}'")
            remove = st.form_submit_button("Xóa tài khoản")
        if remove:
            if not sure:
                st.warning("Hãy đánh dấu ô xác nhận trước khi xóa.")
            else:
                _run(actions.remove_user, target, done=f"Đã xóa tài khoản '{target}'.")

with tab_members:
    st.info(
        "Danh sách chỉ để xem. Muốn thay đổi, hãy tải lên một tệp danh sách cụm, khối thi đua "
        "(mẫu loại E) ở trang «Tải dữ liệu lên»."
    )
    years = staff.membership_years(con)
    if not years:
        st.caption("Chưa có danh sách cụm, khối thi đua nào được nạp.")
    else:
        year = st.selectbox("Năm", years, key="admin_members_year")
        for cluster, members in staff.membership(con, year).items():
            with st.expander(f"{md_text(cluster)} ({len(members)} đơn vị)"):
                st.dataframe(pd.DataFrame(members), hide_index=True, width="stretch")

with tab_audit:
    st.caption("200 thao tác gần nhất (đăng nhập, nạp, rút lại, khôi phục, thay đổi tài khoản).")
    log = staff.audit_table(con, 200)
    if log:
        st.dataframe(pd.DataFrame(log), hide_index=True, width="stretch")
    else:
        st.caption("Chưa có thao tác nào.")
