"""Sign-in box of the dashboard and the signed-in user of this browser session.

Session state holds only the name and role, and only after a successful
``accounts.authenticate``. The role is re-read from the database on every run, so a removed or
demoted account loses its pages at once (actions check again with ``accounts.require``).
"""

from __future__ import annotations

import streamlit as st

from dashboard import data
from dashboard.format import md_text
from dashboard.server import upload_guard
from etl.year import accounts

USER_KEY = "auth_user"  # the signed-in account name
ROLE_KEY = "auth_role"  # its role
OPEN_KEY = "auth_form_open"  # the sign-in form was asked for in this browser session


def _sign_out() -> None:
    for key in (USER_KEY, ROLE_KEY):
        st.session_state.pop(key, None)
    upload_guard.grant(None)


def current_user() -> tuple[str, str] | None:
    """(name, role) of the signed-in user, or None.

    Also tells the upload guard whether this browser session may send files to the server.
    """
    name = st.session_state.get(USER_KEY)
    role = accounts.get_role(data.cursor(), name) if name else None
    upload_guard.grant(name if accounts.role_at_least(role, "uploader") else None)
    if not name:
        return None
    if role is None:  # the account was removed meanwhile
        _sign_out()
        return None
    if role != st.session_state.get(ROLE_KEY):
        st.session_state[ROLE_KEY] = role
    return name, role


def has_role(role: str) -> bool:
    """Whether the signed-in user holds ``role`` or a higher one."""
    user = current_user()
    return user is not None and accounts.role_at_least(user[1], role)


def sign_in_box(*, folded: bool = True) -> None:
    """The sidebar block: the signed-in name, role and "Đăng xuất"; else the sign-in form, behind
    a "Đăng nhập" button when ``folded`` (viewing needs no account: most visitors only read, and
    the form's fields are then neither sent to nor drawn by their browsers)."""
    user = current_user()
    with st.sidebar:
        if user is not None:
            name, role = user
            st.markdown(f"Đã đăng nhập: **{md_text(name)}**  \n{accounts.role_label(role)}")
            if st.button("Đăng xuất", key="auth_sign_out"):
                accounts.log_sign_event(data.cursor(), name, "sign_out", None)
                _sign_out()
                st.rerun()
            return
        if folded and not st.session_state.get(OPEN_KEY):
            st.button(
                "Đăng nhập",
                key="auth_open",
                icon=":material/login:",
                help="Dành cho cán bộ nạp dữ liệu, quản trị",
                on_click=lambda: st.session_state.update({OPEN_KEY: True}),
            )
            return
        with st.form("auth_sign_in", clear_on_submit=True):
            st.markdown("**Đăng nhập** (dành cho cán bộ nạp dữ liệu, quản trị)")
            name = st.text_input("Tên đăng nhập", key="auth_name_input")
            password = st.text_input("Mật khẩu", type="password", key="auth_password_input")
            submitted = st.form_submit_button("Đăng nhập")
        if submitted:
            # A read of the snapshot and the sign-in store: no database write, no writer lock.
            address = st.context.ip_address
            result = accounts.sign_in(
                data.cursor(),
                name,
                password,
                client=address if isinstance(address, str) else None,
            )
            if result.ok:
                st.session_state[USER_KEY] = accounts.normalize_name(name)
                st.session_state[ROLE_KEY] = result.role
                st.rerun()
            else:
                st.error(result.message or accounts.BAD_CREDENTIALS)


def page_gate(role: str) -> tuple[str, str] | None:
    """Show a refusal and return None unless the signed-in user holds ``role``; else the user."""
    user = current_user()
    needed = accounts.role_label(role)
    if user is None:
        st.warning(
            f"Trang này dành cho tài khoản có quyền {needed} trở lên. "
            "Hãy đăng nhập ở thanh bên trái."
        )
        return None
    if not accounts.role_at_least(user[1], role):
        st.error(
            f"Tài khoản '{user[0]}' ({accounts.role_label(user[1])}) không có quyền dùng trang "
            f"này: cần quyền {needed} trở lên."
        )
        return None
    return user
