"""Entry point of the dashboard: `streamlit run dashboard/app.py` (or `thidua serve`)."""

from __future__ import annotations

import importlib
import sys
from datetime import timedelta
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script by Streamlit: make the packages importable
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard.server import upload_guard, warmup  # noqa: E402

upload_guard.install()  # first, before the slow imports: see upload_guard
warmup.wait_until_imported()  # the server may still be importing what the imports below need

from dashboard import data, state  # noqa: E402
from dashboard.figures import small_screens  # noqa: E402
from etl import settings  # noqa: E402

PAGES = Path(__file__).parent / "app_pages"
# Served by this server: a `:material/...:` page icon is fetched from fonts.gstatic.com.
FAVICON = Path(__file__).parent / "assets" / "favicon.png"

# (file, title, icon): the analytic pages, which share the sidebar filters.
ANALYTIC = (
    ("tong_quan.py", "Tổng quan", ":material/dashboard:"),
    ("xep_hang.py", "Xếp hạng cụm, khối", ":material/leaderboard:"),
    ("don_vi.py", "Đơn vị", ":material/apartment:"),
    ("chi_tieu.py", "Hoàn thành chỉ tiêu", ":material/task_alt:"),
    ("tien_do.py", "Tiến độ nộp báo cáo", ":material/schedule_send:"),
    ("khen_thuong.py", "Khen thưởng", ":material/military_tech:"),
    ("lich_thi_dua.py", "Lịch thi đua", ":material/calendar_month:"),
    ("kinh_te_xa_hoi.py", "Chỉ tiêu KT-XH (Chỉ thị 34)", ":material/monitoring:"),
    ("xuat_bao_cao.py", "Xuất báo cáo", ":material/slideshow:"),
)
# (file, title, icon, role needed): the staff pages, written in another part of the project.
STAFF = (
    ("tai_len.py", "Tải dữ liệu lên", ":material/upload_file:", "uploader"),
    ("lich_su.py", "Lịch sử nhập", ":material/history:", "uploader"),
    ("quan_tri.py", "Quản trị", ":material/admin_panel_settings:", "admin"),
)


def _auth() -> ModuleType | None:
    """dashboard.auth_ui when it exists; the app still runs (without staff pages) until then."""
    try:
        return importlib.import_module("dashboard.auth_ui")
    except ModuleNotFoundError as exc:
        if exc.name != "dashboard.auth_ui":
            raise
        return None


def _sign_in_prompt() -> None:
    st.title("Thi đua – Khen thưởng")
    st.info(
        "Cần đăng nhập để xem bảng điều khiển. Hãy đăng nhập ở thanh bên trái.",
        icon=":material/lock:",
    )


def _login_unavailable() -> None:
    st.title("Thi đua – Khen thưởng")
    st.error("Bảng điều khiển yêu cầu đăng nhập nhưng chức năng đăng nhập chưa được cài đặt.")


_SEEN = "_thidua_seen_generation"


@st.fragment(run_every=timedelta(seconds=10))
def _follow_new_data() -> None:
    """Rerun the page when another process (the command line, another server) has loaded data,
    so a leader with the page open sees it within seconds without reloading."""
    try:
        current = data.generation()
    except data.DataUnavailable:
        return
    if st.session_state.setdefault(_SEEN, current) != current:
        st.session_state[_SEEN] = current
        st.rerun(scope="app")


def _as_of_banner() -> None:
    """``?asof=…``: every page shows the data of that moment, and says so at its top."""
    try:
        when = data.moment()
    except data.DataUnavailable as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()
    if when is not None:
        st.warning(
            f"Đang xem số liệu {when.label()} (địa chỉ có ?asof={when.text}); bỏ phần đó khỏi "
            "địa chỉ để xem số liệu hiện tại.",
            icon=":material/history:",
        )


def main() -> None:
    st.set_page_config(layout="wide", page_title="Thi đua – Khen thưởng", page_icon=FAVICON)
    data.begin_run()
    state.begin_run()
    st.session_state.pop(_SEEN, None)  # this full run shows the newest data
    st.html(small_screens.CSS)
    _as_of_banner()

    filters_box = st.sidebar.container()  # filled below, drawn above the sign-in box
    auth = _auth()
    if auth is not None:
        with st.sidebar:
            auth.sign_in_box(folded=not settings.get("view_requires_login"))
    signed_in = auth is not None and auth.current_user() is not None

    if settings.get("view_requires_login") and not signed_in:
        prompt = _sign_in_prompt if auth is not None else _login_unavailable
        st.navigation(
            [st.Page(prompt, title="Đăng nhập", url_path="dang_nhap", default=True)],
            position="hidden",
        ).run()
        return

    analytic = [
        st.Page(PAGES / file, title=title, icon=icon, default=i == 0)
        for i, (file, title, icon) in enumerate(ANALYTIC)
    ]
    staff = [
        st.Page(PAGES / file, title=title, icon=icon)
        for file, title, icon, role in STAFF
        if auth is not None and auth.has_role(role) and (PAGES / file).is_file()
    ]
    sections = {"Tổng hợp": analytic}
    if staff:
        sections["Nghiệp vụ"] = staff
    page = st.navigation(sections)

    if page.title in {title for _, title, _ in ANALYTIC}:
        try:
            if data.has_data():
                state.render(filters_box)
        except data.DataUnavailable:
            pass  # the page explains it (data.require_data)
    _follow_new_data()
    notice = data.damage_notice()
    if notice:
        st.warning(notice, icon=":material/warning:")
    try:
        page.run()
    except data.DataUnavailable as exc:  # met by a query after the page's require_data
        st.error(f"Chưa đọc được số liệu: {exc}", icon=":material/error:")


main()
