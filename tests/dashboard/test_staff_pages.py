"""The staff pages (upload, history, admin) in streamlit's AppTest, and their action functions.

A signed-in user is simulated through session state; the database is a temporary DuckDB file
named by THIDUA_DB and opened through the broker, so the pages share the test's connection.
Most tests use a stand-in for ``etl.load`` so they check the pages' own logic; one test at the
end runs the real loader when it is there.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from dashboard import auth_ui, staff
from dashboard.format import md_text
from etl import actions, db
from etl.report import FileReport, SheetReport
from etl.year import accounts

PAGES = Path(__file__).resolve().parents[2] / "dashboard" / "app_pages"
UPLOAD = PAGES / "tai_len.py"
HISTORY = PAGES / "lich_su.py"
ADMIN = PAGES / "quan_tri.py"

PASSWORD = "mat-khau-thu-nghiem"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
USERS = {"xem": "viewer", "nap": "uploader", "quantri": "admin"}


@pytest.fixture
def con(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "staff.duckdb"
    monkeypatch.setenv("THIDUA_DB", str(path))
    connection = db.connect(path)
    # These tests number their own loads from 1: start without the shipped reference load.
    for table in ("indicator_values", "indicator_targets", "import_scopes", "imports"):
        connection.execute(f"DELETE FROM {table}")
    for name, role in USERS.items():
        accounts.add_user(connection, name, role, PASSWORD)
    yield connection
    db.close(path)


def run_page(page: Path, user: str | None = None) -> AppTest:
    at = AppTest.from_file(page, default_timeout=60)
    if user is not None:
        at.session_state[auth_ui.USER_KEY] = user
        at.session_state[auth_ui.ROLE_KEY] = USERS.get(user, "viewer")
    return at.run()


def texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "error", "warning", "success", "info", "caption")
        for e in getattr(at, kind)
    ]
    raw = "\n".join(str(p) for p in parts)
    return re.sub(r"\\([^\w\s]|_)", r"\1", raw)  # as a reader sees it: no Markdown escapes


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


# --- a stand-in for etl.load ------------------------------------------------------------------


@dataclass
class FakeOptions:
    year: int | None = None
    cluster: str | None = None
    unit: str | None = None
    period: str | None = None
    user: str | None = None


class FakeLoad(types.ModuleType):
    """Files named bad*.xlsx have an error in cell F12; everything else is valid."""

    LoadOptions = FakeOptions

    def __init__(self) -> None:
        super().__init__("etl.load")
        self.validated: list[tuple[str, Any]] = []
        self.loaded: list[tuple[str, Any, bytes]] = []
        self.retracted: list[tuple[int, str | None]] = []
        self.restored: list[tuple[int, str | None]] = []

    def _report(self, name: str, status: str) -> FileReport:
        sheet = SheetReport(name="Cụm 4", kind="A", rows=12)
        if name.startswith("bad"):
            sheet.error('"ba" không phải là số', "F12")
            status = "refused"
        else:
            sheet.warn("Thiếu điểm cụm chấm; dùng điểm tự chấm", "G7")
        return FileReport(file=name, sha256="0" * 64, status=status, sheets=[sheet])

    def validate_file(self, path, options=None, con=None, original_name=None) -> FileReport:
        assert Path(path).exists()
        self.validated.append((original_name, options))
        return self._report(original_name, "valid")

    def prepare(self, path, options=None, con=None, original_name=None) -> None:
        """Reading before the writer lock: the stand-in reads at load_file instead."""
        assert Path(path).exists()

    def load_file(self, con, path, options=None, original_name=None, prepared=None) -> FileReport:
        self.loaded.append((original_name, options, Path(path).read_bytes()))
        report = self._report(original_name, "loaded")
        report.import_id = 41 + len(self.loaded)
        return report

    def retract(self, con, import_id: int, user: str | None = None) -> bool:
        self.retracted.append((import_id, user))
        return import_id != 999

    def restore(self, con, import_id: int, user: str | None = None) -> bool:
        self.restored.append((import_id, user))
        return True


@pytest.fixture
def fake_load(monkeypatch: pytest.MonkeyPatch) -> FakeLoad:
    fake = FakeLoad()
    for name in ("validate_file", "prepare", "load_file", "retract", "restore"):
        monkeypatch.setattr(actions, name, getattr(fake, name))
    return fake


def add_import(con, import_id: int, file_name: str, scope: str, *, retracted=False, by="nap"):
    con.execute(
        "INSERT INTO imports (import_id, file_name, sha256, kinds, rows_loaded, precedence, "
        "retracted, loaded_by, loaded_at) VALUES (?, ?, ?, 'A', 12, ?, ?, ?, ?)",
        [
            import_id,
            file_name,
            f"{import_id:064d}",
            import_id,
            retracted,
            by,
            datetime(2026, 11, 20, 9, import_id),
        ],
    )
    con.execute("INSERT INTO import_scopes VALUES (?, ?)", [import_id, scope])


# --- upload page ----------------------------------------------------------------------------


@pytest.mark.parametrize("user", [None, "xem"])
def test_upload_page_refuses_anonymous_and_viewer(con, user: str | None) -> None:
    at = run_page(UPLOAD, user)
    assert not at.exception
    assert len(at.file_uploader) == 0
    assert len(at.download_button) == 0
    refusal = " ".join(e.value for e in [*at.warning, *at.error])
    assert "Người tải dữ liệu" in refusal


def test_upload_page_shows_uploader_to_uploader(con) -> None:
    at = run_page(UPLOAD, "nap")
    assert not at.exception
    assert len(at.file_uploader) == 1
    uploader = at.file_uploader[0]
    assert uploader.accept_multiple_files
    # No type filter: Streamlit would grey a .csv out with the English tooltip "text/csv files
    # are not allowed."; every file is answered in Vietnamese instead (etl.actions.precheck).
    assert list(uploader.allowed_type) == []
    assert len(at.download_button) == len(staff.KINDS)
    for label in ("Năm",):
        assert any(n.label == label for n in at.number_input)
    assert {t.label for t in at.text_input} >= {"Cụm/Khối thi đua", "Đơn vị"}
    assert any(s.label == "Kỳ" for s in at.selectbox)


def test_removed_account_loses_the_page(con) -> None:
    accounts.remove_user(con, "nap")
    at = run_page(UPLOAD, "nap")
    assert len(at.file_uploader) == 0
    assert auth_ui.USER_KEY not in at.session_state


def test_upload_checks_first_and_loads_only_on_confirm(
    con, fake_load: FakeLoad, monkeypatch: pytest.MonkeyPatch
) -> None:
    cleared: list[bool] = []
    monkeypatch.setattr(st.cache_data, "clear", lambda: cleared.append(True))
    at = run_page(UPLOAD, "nap")
    at.file_uploader[0].set_value(
        [("good.xlsx", b"good-bytes", XLSX), ("bad.xlsx", b"bad-bytes", XLSX)]
    )
    next(n for n in at.number_input if n.label == "Năm").set_value(2026)
    at.run()
    assert fake_load.validated == [] and fake_load.loaded == []

    button(at, "Kiểm tra").click().run()
    assert not at.exception
    assert [v[0] for v in fake_load.validated] == ["good.xlsx", "bad.xlsx"]
    assert fake_load.validated[0][1].year == 2026
    assert fake_load.loaded == []  # checking writes nothing
    errors = " ".join(e.value for e in at.error)
    assert "1 lỗi" in errors
    assert any("F12" in str(t.value.to_dict()) for t in at.table)  # messages wrapped, whole
    assert "Sẽ nạp 1 tệp: good.xlsx" in texts(at)

    button(at, "Xác nhận nạp").click().run()
    assert not at.exception
    assert [(n, o.user, o.year, b) for n, o, b in fake_load.loaded] == [
        ("good.xlsx", "nap", 2026, b"good-bytes")
    ]
    assert any("good.xlsx: Đã nạp (lần nạp số 42)" in s.value for s in at.success)
    assert cleared
    audit = con.execute("SELECT actor, detail FROM audit_log WHERE action = 'upload'").fetchall()
    assert len(audit) == 1 and audit[0][0] == "nap" and '"import_id": 42' in audit[0][1]

    # Nothing is left to confirm: the loaded file is not loaded twice.
    at.run()
    assert button(at, "Xác nhận nạp").disabled


def test_changed_fields_need_a_new_check(con, fake_load: FakeLoad) -> None:
    at = run_page(UPLOAD, "nap")
    at.file_uploader[0].set_value(("good.xlsx", b"good-bytes", XLSX))
    at.run()
    button(at, "Kiểm tra").click().run()
    at.text_input[0].set_value("Cụm thi đua số 4").run()
    assert button(at, "Xác nhận nạp").disabled
    assert "Kiểm tra» lại" in texts(at)


def test_upload_actions_refuse_a_viewer(con, fake_load: FakeLoad) -> None:
    fields = staff.UploadFields.of(2026)
    with pytest.raises(PermissionError):
        actions.check_upload(con, "xem", "good.xlsx", b"x", fields.options("xem"))
    with pytest.raises(PermissionError):
        actions.upload(con, "xem", "good.xlsx", b"x", fields.options("xem"))
    with pytest.raises(PermissionError):
        actions.upload(con, None, "good.xlsx", b"x", fields.options(None))
    assert fake_load.loaded == []


def test_upload_refuses_wrong_type_and_oversize(
    con, fake_load: FakeLoad, monkeypatch: pytest.MonkeyPatch
) -> None:
    fields = staff.UploadFields()
    report = actions.check_upload(con, "nap", "ảnh.pdf", b"%PDF", fields.options("nap"))
    assert report.status == "refused" and ".pdf" in report.errors[0].message
    monkeypatch.setenv("THIDUA_MAX_UPLOAD_MB", "1")
    report = actions.upload(
        con, "nap", "to.xlsx", b"x" * (3 * 1024 * 1024 // 2), fields.options("nap")
    )
    assert report.status == "refused"
    assert "Tệp lớn 1,5 MB, vượt giới hạn 1 MB" in report.errors[0].message
    assert fake_load.validated == [] and fake_load.loaded == []


def test_a_csv_is_answered_with_how_to_save_it_as_xlsx(con, fake_load: FakeLoad) -> None:
    report = actions.check_upload(
        con, "nap", "chi_tieu.csv", b"Chi tieu;2026\n", staff.UploadFields().options("nap")
    )
    assert report.status == "refused"
    message = report.errors[0].message
    assert "Tệp › Lưu thành › Sổ làm việc Excel" in message and ".xlsx" in message
    assert fake_load.validated == []


# --- history page ---------------------------------------------------------------------------


def test_history_lists_loads(con) -> None:
    add_import(con, 1, "cum4_cu.xlsx", "S|2026|cụm 4|ban a")
    add_import(con, 2, "cum4_moi.xlsx", "S|2026|cụm 4|ban a")
    add_import(con, 3, "chi_tieu.xlsx", "C|2026|ban b", retracted=True, by="quantri")
    at = run_page(HISTORY, "nap")
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Mã lần nạp"]) == [3, 2, 1]
    assert dict(zip(table["Mã lần nạp"], table["Trạng thái"], strict=True)) == {
        1: "bị thay thế",
        2: "đã nạp",
        3: "đã rút",
    }
    assert table.loc[table["Mã lần nạp"] == 1, "Bị thay thế bởi"].iloc[0] == "2"
    assert table.loc[table["Mã lần nạp"] == 2, "Bị thay thế bởi"].iloc[0] == ""
    assert set(table["Người nạp"]) == {"nap", "quantri"}
    assert at.button(key="retract_3").disabled and not at.button(key="restore_3").disabled
    assert at.button(key="restore_2").disabled and not at.button(key="retract_2").disabled


def test_history_empty_and_refused(con) -> None:
    assert "Chưa có lần nạp nào" in texts(run_page(HISTORY, "nap"))
    add_import(con, 1, "cum4.xlsx", "S|2026|cụm 4|ban a")
    for user in (None, "xem"):
        at = run_page(HISTORY, user)
        assert len(at.dataframe) == 0 and len(at.button) == 0


def test_history_retract_asks_then_acts(con, fake_load: FakeLoad) -> None:
    add_import(con, 1, "cum4.xlsx", "S|2026|cụm 4|ban a")
    at = run_page(HISTORY, "nap")
    at.button(key="retract_1").click().run()
    assert fake_load.retracted == []  # a confirmation step first
    assert "Bạn chắc chắn muốn rút lại lần nạp số 1" in texts(at)
    at.button(key="cancel_retract_1").click().run()
    assert fake_load.retracted == [] and "chắc chắn" not in texts(at)

    at.button(key="retract_1").click().run()
    at.button(key="confirm_retract_1").click().run()
    assert not at.exception
    assert fake_load.retracted == [(1, "nap")]
    assert any("Đã rút lại lần nạp số 1" in s.value for s in at.success)
    assert con.execute(
        "SELECT actor, action FROM audit_log WHERE action = 'retract'"
    ).fetchall() == [("nap", "retract")]


def test_retract_and_restore_as_viewer_raise(con, fake_load: FakeLoad) -> None:
    add_import(con, 1, "cum4.xlsx", "S|2026|cụm 4|ban a")
    for actor in ("xem", None, "khong-co-ai"):
        with pytest.raises(PermissionError):
            actions.retract_load(con, actor, 1)
        with pytest.raises(PermissionError):
            actions.restore_load(con, actor, 1)
    assert fake_load.retracted == [] and fake_load.restored == []
    assert actions.restore_load(con, "quantri", 1) is True
    assert actions.retract_load(con, "nap", 999) is False
    assert [
        r[0]
        for r in con.execute(
            "SELECT action FROM audit_log WHERE action IN ('retract', 'restore') ORDER BY audit_id"
        ).fetchall()
    ] == ["restore", "retract"]


# --- admin page -----------------------------------------------------------------------------


@pytest.mark.parametrize("user", [None, "xem", "nap"])
def test_admin_page_refuses_non_admins(con, user: str | None) -> None:
    at = run_page(ADMIN, user)
    assert not at.exception
    assert len(at.text_input) == 0 and len(at.dataframe) == 0
    assert "Quản trị viên" in " ".join(e.value for e in [*at.warning, *at.error])


def test_admin_page_lists_accounts_without_hashes(con) -> None:
    at = run_page(ADMIN, "quantri")
    assert not at.exception
    users = at.dataframe[0].value
    assert sorted(users["Tài khoản"]) == ["nap", "quantri", "xem"]
    assert "scrypt" not in users.to_csv()
    assert not any("hash" in str(c).lower() for c in users.columns)


def test_admin_adds_an_account_through_the_form(con) -> None:
    at = run_page(ADMIN, "quantri")
    form_inputs = {t.label: t for t in at.text_input}
    form_inputs["Tên đăng nhập"].set_value("Mai.Le")
    form_inputs["Mật khẩu (ít nhất 8 ký tự)"].set_value("mot-mat-khau-dai")
    form_inputs["Nhập lại mật khẩu"].set_value("mot-mat-khau-dai")
    next(s for s in at.selectbox if s.label == "Quyền").set_value("uploader")
    button(at, "Thêm tài khoản").click().run()
    assert not at.exception
    assert accounts.get_role(con, "mai.le") == "uploader"
    assert accounts.authenticate(con, "mai.le", "mot-mat-khau-dai") == "uploader"
    assert any("mai.le" in s.value for s in at.success)
    assert "mot-mat-khau-dai" not in str(con.execute("SELECT * FROM audit_log").fetchall())


def test_admin_actions_require_admin(con) -> None:
    with pytest.raises(PermissionError):
        actions.add_user(con, "nap", "moi", "viewer", PASSWORD)
    with pytest.raises(PermissionError):
        actions.set_role(con, "nap", "nap", "admin")
    with pytest.raises(PermissionError):
        actions.set_password(con, "xem", "quantri", PASSWORD + "1")
    with pytest.raises(PermissionError):
        actions.remove_user(con, None, "quantri")
    assert accounts.get_role(con, "nap") == "uploader"
    assert accounts.get_role(con, "moi") is None
    # An admin cannot lock themself out from the dashboard.
    with pytest.raises(accounts.AccountError):
        actions.set_role(con, "quantri", "quantri", "viewer")
    with pytest.raises(accounts.AccountError):
        actions.remove_user(con, "quantri", "quantri")
    actions.set_role(con, "quantri", "xem", "uploader")
    actions.set_password(con, "quantri", "xem", PASSWORD + "1")
    actions.remove_user(con, "quantri", "nap")
    assert [u["name"] for u in accounts.list_users(con)] == ["quantri", "xem"]
    assert accounts.authenticate(con, "xem", PASSWORD + "1") == "uploader"


def test_admin_sets_a_figure_setting_through_the_form(con) -> None:
    """Settings that change a figure are edited on the page, audited (issue 15, finding 1)."""
    at = run_page(ADMIN, "quantri")
    next(s for s in at.selectbox if s.label == "Thiết lập").set_value("class_excellent_pct")
    next(t for t in at.text_input if t.label == "Giá trị mới").set_value("85")
    button(at, "Lưu thiết lập").click().run()
    assert not at.exception
    (value,) = con.execute(
        "SELECT value FROM settings WHERE name = 'class_excellent_pct'"
    ).fetchone()
    assert value == "85"
    assert con.execute("SELECT actor FROM audit_log WHERE action = 'setting_set'").fetchall() == [
        ("quantri",)
    ]
    next(t for t in at.text_input if t.label == "Giá trị mới").set_value("chín mươi")
    button(at, "Lưu thiết lập").click().run()
    assert "không phải là số phần trăm" in texts(at)


def test_admin_page_shows_membership_and_audit(con) -> None:
    add_import(con, 1, "danh_sach_cum.xlsx", "E|2026")
    con.executemany(
        "INSERT INTO members (import_id, scope, year, cluster, unit, role, short_name, seq) "
        "VALUES (1, 'E|2026', 2026, ?, ?, ?, NULL, ?)",
        [
            ("Cụm thi đua số 10", "Sở Y tế", "Cụm trưởng", 1),
            ("Cụm thi đua số 2", "Sở Tài chính", "Cụm trưởng", 2),
            ("Cụm thi đua số 2", "Sở Xây dựng", "Thành viên", 3),
        ],
    )
    accounts.audit(con, "nap", "upload", {"file": "danh_sach_cum.xlsx"})
    at = run_page(ADMIN, "quantri")
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert labels == ["Cụm thi đua số 2 (2 đơn vị)", "Cụm thi đua số 10 (1 đơn vị)"]
    assert "loại E" in " ".join(i.value for i in at.info)
    log = at.dataframe[-1].value
    assert "upload" in set(log["Thao tác"])


def test_sign_in_box(con) -> None:
    def app() -> None:
        import streamlit as st

        from dashboard import auth_ui

        auth_ui.sign_in_box()
        user = auth_ui.current_user()
        st.write(f"user={user}")

    at = AppTest.from_function(app, default_timeout=60).run()
    assert not at.sidebar.text_input  # a visitor who only reads gets a button, not the form
    button(at, "Đăng nhập").click().run()
    at.sidebar.text_input[0].set_value("NAP")
    at.sidebar.text_input[1].set_value("sai-mat-khau")
    at.sidebar.button[0].click().run()
    assert "không đúng" in " ".join(e.value for e in at.sidebar.error)
    assert auth_ui.USER_KEY not in at.session_state
    at.sidebar.text_input[0].set_value("NAP")
    at.sidebar.text_input[1].set_value(PASSWORD)
    at.sidebar.button[0].click().run()
    assert not at.exception
    assert at.session_state[auth_ui.USER_KEY] == "nap"
    assert at.session_state[auth_ui.ROLE_KEY] == "uploader"
    assert "user=('nap', 'uploader')" in texts(at)
    assert "Người tải dữ liệu" in texts(at)
    stored = {k: at.session_state[k] for k in at.session_state}
    assert PASSWORD not in str(stored)
    button(at, "Đăng xuất").click().run()
    assert auth_ui.USER_KEY not in at.session_state
    actions = [
        a["action"] for a in reversed(accounts.audit_log(con)) if a["action"].startswith("sign")
    ]
    assert actions == ["sign_in_failed", "sign_in", "sign_out"]
    # Signing in and out wrote nothing into the database (issue 15, finding 4).
    assert not con.execute("SELECT count(*) FROM audit_log WHERE action LIKE 'sign%'").fetchone()[0]


# --- with the real loader -------------------------------------------------------------------


def _membership_workbook(path: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(["DANH SÁCH CỤM, KHỐI THI ĐUA NĂM 2026"])
    ws.append([])
    ws.append(["STT", "Đơn vị", "Cụm thi đua", "Vai trò", "Tên viết tắt"])
    ws.append([1, "Sở Tài chính", "Cụm thi đua số 2", "Cụm trưởng", "STC"])
    ws.append([2, "Sở Xây dựng", "Cụm thi đua số 2", "Thành viên", "SXD"])
    wb.save(path)
    return path


def test_real_loader_check_confirm_and_history(con, tmp_path: Path) -> None:
    pytest.importorskip("etl.load", reason="etl/load/ (the lead's loader) is not there yet")
    data = _membership_workbook(tmp_path / "danh_sach.xlsx").read_bytes()
    at = run_page(UPLOAD, "nap")
    at.file_uploader[0].set_value(("danh_sach.xlsx", data, XLSX))
    at.run()
    button(at, "Kiểm tra").click().run()
    assert not at.exception
    assert con.execute("SELECT count(*) FROM imports").fetchall() == [(0,)]
    button(at, "Xác nhận nạp").click().run()
    assert not at.exception
    assert "danh_sach.xlsx: Đã nạp" in texts(at), texts(at)
    history = staff.history(con)
    assert [(h["file_name"], h["status"], h["loaded_by"]) for h in history] == [
        ("danh_sach.xlsx", "loaded", "nap")
    ]
    at = run_page(HISTORY, "nap")
    assert list(at.dataframe[0].value["Tệp"]) == ["danh_sach.xlsx"]
    import_id = history[0]["import_id"]

    # Retract through the page (with its confirmation step), then restore: one audit row each.
    at.button(key=f"retract_{import_id}").click().run()
    at.button(key=f"confirm_retract_{import_id}").click().run()
    assert not at.exception
    assert staff.history(con)[0]["status"] == "retracted"
    assert actions.restore_load(con, "nap", import_id) is True
    assert staff.history(con)[0]["status"] == "loaded"
    rows = con.execute(
        "SELECT actor, action FROM audit_log WHERE action IN ('upload', 'retract', 'restore') "
        "ORDER BY audit_id"
    ).fetchall()
    assert rows == [("nap", "upload"), ("nap", "retract"), ("nap", "restore")]


def _upload(at: AppTest, name: str, data: bytes, **fields: object) -> AppTest:
    at.file_uploader[0].set_value((name, data, XLSX))
    if "year" in fields:
        at.number_input[0].set_value(fields["year"])
    if "cluster" in fields:
        at.text_input[0].set_value(fields["cluster"])
    at.run()
    button(at, "Kiểm tra").click().run()
    button(at, "Xác nhận nạp").click().run()
    assert not at.exception
    return at


def test_the_real_framework_uploads_with_year_and_cluster_fields(con) -> None:
    from tests.etl.test_framework import REAL as real

    at = _upload(run_page(UPLOAD, "nap"), real.name, real.read_bytes(), year=2022, cluster="Cụm 3")
    # The name is shown as typed: its underscores are escaped, not read as italics.
    assert any(f"{md_text(real.name)}: Đã nạp" in s.value for s in at.success), texts(at)
    (count,) = con.execute(
        "SELECT count(*) FROM v_framework_criteria WHERE year = 2022 "
        "AND cluster = 'Cụm thi đua số 3'"
    ).fetchall()[0]
    assert count == 38


def test_a_partial_replacement_reads_the_same_on_upload_and_history(con, tmp_path) -> None:
    from tests.etl.test_versions import OTHER_UNITS, unit_sheets

    first = unit_sheets(tmp_path, "dot1.xlsx", list(OTHER_UNITS[:2]), "30")
    second = unit_sheets(tmp_path, "dot2.xlsx", [OTHER_UNITS[1]], "31")
    _upload(run_page(UPLOAD, "nap"), first.name, first.read_bytes())
    at = _upload(run_page(UPLOAD, "nap"), second.name, second.read_bytes())
    ids = {h["file_name"]: h["import_id"] for h in staff.history(con)}
    message = next(s.value for s in at.success if "dot2.xlsx" in s.value)
    assert f"thay thế một phần lần nạp số {ids['dot1.xlsx']}" in message, message
    table = run_page(HISTORY, "nap").dataframe[0].value
    row = table[table["Mã lần nạp"] == ids["dot1.xlsx"]].iloc[0]
    assert row["Trạng thái"] == staff.PARTLY_LABEL
    assert row["Bị thay thế bởi"] == str(ids["dot2.xlsx"])
    assert "Còn hiệu lực một phần (2/4 phạm vi dữ liệu)" in row["Ghi chú"]
    # It can be restored (to take its other part back), and so can the newer one after that.
    at = run_page(HISTORY, "nap")
    assert not at.button(key=f"restore_{ids['dot1.xlsx']}").disabled
    assert at.button(key=f"restore_{ids['dot2.xlsx']}").disabled
    assert actions.restore_load(con, "nap", ids["dot1.xlsx"]) is True
    after = {h["import_id"]: h for h in staff.history(con)}
    assert after[ids["dot1.xlsx"]]["status"] == "loaded"
    assert after[ids["dot1.xlsx"]]["replaced_by"] is None
    assert after[ids["dot2.xlsx"]]["status"] == "superseded"
