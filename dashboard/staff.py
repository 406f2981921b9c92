"""The logic behind the staff pages (upload, history, admin), kept out of the page scripts.

Each action function takes a connection and the signed-in name (reads take the session's cursor
of the read snapshot, writes a connection from :func:`writer`), and calls
``accounts.require`` first: roles are enforced where the action runs, not only by hiding pages.
The ETL (``etl.load``, ``etl.templates``) is imported when first needed.
"""

from __future__ import annotations

import errno
import hashlib
import importlib
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import duckdb

from dashboard.format import vn_number
from etl import accounts, settings
from etl import db as etl_db
from etl.report import FileReport, WorkbookRefused

UPLOAD_TYPES: tuple[str, ...] = ("xlsx", "xlsm", "xls", "ods")
KINDS: tuple[str, ...] = ("A", "A2", "B", "C", "D", "E", "F", "G", "H")

KIND_LABELS: dict[str, str] = {
    "A": "A — Bảng chấm điểm thi đua của một đơn vị",
    "A2": "A2 — Bảng chấm điểm chéo",
    "B": "B — Bảng tổng hợp kết quả chấm điểm của cụm",
    "C": "C — Đăng ký chỉ tiêu thi đua / kết quả thực hiện",
    "D": "D — Chỉ tiêu kinh tế - xã hội của tỉnh",
    "E": "E — Danh sách cụm, khối thi đua",
    "F": "F — Bảng điểm chuẩn (khung tiêu chí) của cụm, khối",
    "G": "G — Danh sách đề nghị khen thưởng",
    "H": "H — Lịch thi đua",
}

STATUS_LABELS: dict[str, str] = {
    "loaded": "đã nạp",
    "superseded": "bị thay thế",
    "retracted": "đã rút",
}
# A load of which a later load replaced only a part: still current for the rest (v_imports).
PARTLY_LABEL = "đã nạp, một phần đã được thay"

RESULT_LABELS: dict[str, str] = {
    "loaded": "Đã nạp",
    "already_loaded": "Tệp này đã được nạp trước đây — không có gì thay đổi",
    "refused": "Bị từ chối — không nạp gì từ tệp này",
    "valid": "Hợp lệ",
}

PERIOD_LABELS: dict[str, str] = {
    "": "(lấy theo tệp)",
    "year": "Cả năm",
    "H1": "6 tháng đầu năm",
    "Q1": "Quý I",
    "Q2": "Quý II",
    "Q3": "Quý III",
    "Q4": "Quý IV",
}

SEVERITY_LABELS: dict[str, str] = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Ghi nhận"}

# --- connection -----------------------------------------------------------------------------


def session_cursor() -> duckdb.DuckDBPyConnection:
    """This browser session's cursor of the newest read snapshot (for reading only)."""
    from dashboard.data import cursor

    return cursor()


@contextmanager
def writer() -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection for one staff action; it waits its turn behind other writers
    (the command line, another server) and publishes a new snapshot for readers when done."""
    with etl_db.writing(settings.db_path()) as con:
        yield con


def _etl_load() -> ModuleType:
    return importlib.import_module("etl.load")


def loader_available() -> bool:
    try:
        _etl_load()
    except ImportError:
        return False
    return True


# --- upload ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadFields:
    """What the clerk typed to supply what a title block lacks (all optional)."""

    year: int | None = None
    cluster: str | None = None
    unit: str | None = None
    period: str | None = None

    @classmethod
    def of(
        cls,
        year: int | float | None = None,
        cluster: str | None = None,
        unit: str | None = None,
        period: str | None = None,
    ) -> UploadFields:
        return cls(
            year=int(year) if year else None,
            cluster=(cluster or "").strip() or None,
            unit=(unit or "").strip() or None,
            period=(period or "").strip() or None,
        )

    def options(self, user: str | None) -> Any:
        load = _etl_load()
        return load.LoadOptions(
            year=self.year, cluster=self.cluster, unit=self.unit, period=self.period, user=user
        )


@dataclass
class Checked:
    """One uploaded file after step 1 (Kiểm tra)."""

    name: str
    sha256: str
    size: int
    fields: UploadFields
    report: FileReport
    result: FileReport | None = field(default=None)

    @property
    def confirmable(self) -> bool:
        return can_confirm(self.report) and self.result is None


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def max_upload_mb() -> int:
    return max(1, int(settings.get("max_upload_mb")))


CSV_ADVICE = (
    "Tệp .csv chưa có định dạng bảng tính nên không đọc được. Mở tệp bằng Excel, chọn "
    "Tệp › Lưu thành › Sổ làm việc Excel (*.xlsx), rồi tải tệp .xlsx vừa lưu lên."
)


def _precheck(name: str, data: bytes) -> FileReport | None:
    """A refused report when the file's type or size is wrong before it is even parsed.

    The uploader takes every file (its own refusal of a type is an English tooltip): a wrong type
    is answered here, a .csv with how to save it as .xlsx.
    """
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix == "csv":
        report = FileReport(file=name, sha256=digest(data))
        report.refuse(CSV_ADVICE)
        return report
    if suffix not in UPLOAD_TYPES:
        report = FileReport(file=name, sha256=digest(data))
        report.refuse(
            "Chỉ nhận tệp Excel hoặc LibreOffice (.xlsx, .xlsm, .xls, .ods); "
            f"tệp này có đuôi '.{suffix}'."
            if suffix
            else "Tệp không có đuôi .xlsx/.xlsm/.xls/.ods."
        )
        return report
    limit = max_upload_mb()
    if len(data) > limit * 1024 * 1024:
        report = FileReport(file=name, sha256=digest(data))
        size = vn_number(len(data) / 1048576, 1)
        report.refuse(f"Tệp lớn {size} MB, vượt giới hạn {limit} MB.")
        return report
    return None


def _temp_copy(tmp: str, name: str, data: bytes) -> Path:
    safe = Path(name).name or "upload"
    path = Path(tmp) / f"upload{Path(safe).suffix.lower()}"
    path.write_bytes(data)
    return path


def failure_message(exc: BaseException, verb: str) -> str:
    """What a user reads when the server fails: what happened and what to do, never a path."""
    if isinstance(exc, etl_db.DatabaseError):
        return exc.message
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return (
            f"Máy chủ đã hết chỗ trống trên đĩa nên chưa {verb} được tệp; không có gì bị nạp dở. "
            "Hãy báo người quản trị giải phóng chỗ trống rồi thử lại."
        )
    return (
        f"Lỗi ngoài dự kiến của máy chủ khi {verb} tệp ({type(exc).__name__}); không có gì bị "
        "nạp dở. Hãy thử lại; nếu vẫn lỗi, báo người quản trị."
    )


def _refused(name: str, data: bytes, message: str) -> FileReport:
    report = FileReport(file=name, sha256=digest(data))
    report.refuse(message)
    return report


def validate_upload(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    name: str,
    data: bytes,
    fields: UploadFields,
) -> FileReport:
    """Step 1: check one uploaded file with ``validate_file``; writes nothing."""
    accounts.require(con, actor, "uploader")
    early = _precheck(name, data)
    if early is not None:
        return early
    load = _etl_load()
    try:
        with tempfile.TemporaryDirectory(prefix="thidua-upload-") as tmp:
            path = _temp_copy(tmp, name, data)
            return load.validate_file(path, fields.options(actor), con=con, original_name=name)
    except WorkbookRefused as exc:
        return _refused(name, data, exc.message)
    except Exception as exc:  # a clerk gets a message, not a traceback
        return _refused(name, data, failure_message(exc, "kiểm tra"))


def prepare_upload(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    name: str,
    data: bytes,
    fields: UploadFields,
) -> Any:
    """Read and check a file for step 2 with the session's read cursor, before the writer lock
    is taken (etl.load.prepare); None when there is nothing to prepare or it failed (step 2 then
    reads the file itself)."""
    if not accounts.role_at_least(accounts.get_role(con, actor), "uploader"):
        return None  # confirm_upload refuses, and writes the audit row
    if _precheck(name, data) is not None:
        return None
    load = _etl_load()
    try:
        with tempfile.TemporaryDirectory(prefix="thidua-upload-") as tmp:
            path = _temp_copy(tmp, name, data)
            return load.prepare(path, fields.options(actor), con, original_name=name)
    except Exception:  # step 2 reports it, with its message
        return None


def confirm_upload(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    name: str,
    data: bytes,
    fields: UploadFields,
    prepared: Any = None,
) -> FileReport:
    """Step 2: load one file (one transaction) as ``actor`` and write the audit row."""
    accounts.require(con, actor, "uploader")
    report = _precheck(name, data)
    if report is None:
        load = _etl_load()
        try:
            with tempfile.TemporaryDirectory(prefix="thidua-upload-") as tmp:
                path = _temp_copy(tmp, name, data)
                extra = {"prepared": prepared} if prepared is not None else {}
                report = load.load_file(
                    con, path, fields.options(actor), original_name=name, **extra
                )
        except WorkbookRefused as exc:
            report = _refused(name, data, exc.message)
        except Exception as exc:
            report = _refused(name, data, failure_message(exc, "nạp"))
    accounts.audit(
        con,
        actor,
        "upload",
        {
            "file": name,
            "sha256": report.sha256,
            "status": report.status,
            "import_id": report.import_id,
            "superseded": list(report.superseded),
            "partly_superseded": list(report.partly_superseded),
            "errors": len(report.errors),
        },
    )
    return report


def can_confirm(report: FileReport) -> bool:
    """Only a file with no errors may be loaded."""
    return report.status != "refused" and not report.errors


def sheet_rows(report: FileReport) -> list[dict[str, Any]]:
    """One row per sheet: the kind recognised, rows, and counts of warnings and errors."""
    return [
        {
            "Sheet": s.name,
            "Loại": s.kind or "—",
            "Số dòng": s.rows,
            "Cảnh báo": len(s.warnings),
            "Lỗi": len(s.errors),
            "Ghi chú": s.skipped_reason or "",
        }
        for s in report.sheets
    ]


def issue_rows(report: FileReport) -> list[dict[str, Any]]:
    """Every error, warning and note with its sheet and cell, errors first."""
    rank = {"error": 0, "warning": 1}
    issues = sorted(report.issues, key=lambda i: rank.get(i.severity, 2))
    return [
        {
            "Mức": SEVERITY_LABELS.get(i.severity, i.severity),
            "Sheet": i.sheet or "(cả tệp)",
            "Ô": i.cell or "",
            "Nội dung": i.message,
        }
        for i in issues
    ]


def template_bytes(kind: str) -> bytes:
    """A blank template of ``kind`` as .xlsx bytes."""
    templates = importlib.import_module("etl.templates")
    with tempfile.TemporaryDirectory(prefix="thidua-template-") as tmp:
        path = templates.write_template(kind, Path(tmp) / f"mau_{kind}.xlsx")
        return Path(path).read_bytes()


# --- history --------------------------------------------------------------------------------


def history(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every load, newest first, from ``v_imports``."""
    rows = con.execute(
        "SELECT import_id, file_name, kinds, rows_loaded, status, superseded_by, loaded_by, "
        "loaded_at, replaced_by, status_note FROM v_imports ORDER BY import_id DESC"
    ).fetchall()
    keys = (
        "import_id",
        "file_name",
        "kinds",
        "rows_loaded",
        "status",
        "superseded_by",
        "loaded_by",
        "loaded_at",
        "replaced_by",
        "status_note",
    )
    out = []
    for row in rows:
        item = dict(zip(keys, row, strict=True))
        item["status_label"] = STATUS_LABELS.get(item["status"], item["status"])
        if item["status"] == "loaded" and item["replaced_by"]:
            item["status_label"] = PARTLY_LABEL
        out.append(item)
    return out


def history_table(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "Mã lần nạp": i["import_id"],
            "Tệp": i["file_name"],
            "Loại": i["kinds"] or "",
            "Số dòng": i["rows_loaded"],
            "Trạng thái": i["status_label"],
            # Text, so that an empty cell reads empty rather than Streamlit's grey "None".
            "Bị thay thế bởi": i["replaced_by"] or "",
            "Người nạp": i["loaded_by"] or "",
            "Thời điểm": f"{i['loaded_at']:%d/%m/%Y %H:%M}" if i["loaded_at"] else "",
            "Ghi chú": i["status_note"] or "",
        }
        for i in items
    ]


def _last_audit_id(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT coalesce(max(audit_id), 0) FROM audit_log").fetchall()[0][0])


def _load_action(
    con: duckdb.DuckDBPyConnection, actor: str | None, import_id: int, action: str
) -> bool:
    accounts.require(con, actor, "uploader")
    before = _last_audit_id(con)
    ok = bool(getattr(_etl_load(), action)(con, int(import_id), user=actor))
    already = con.execute(
        "SELECT count(*) FROM audit_log WHERE audit_id > ? AND action = ?", [before, action]
    ).fetchall()[0][0]
    if not already:  # the loader did not write the row itself
        accounts.audit(con, actor, action, {"import_id": int(import_id), "ok": ok})
    return ok


def retract_load(con: duckdb.DuckDBPyConnection, actor: str | None, import_id: int) -> bool:
    """Withdraw a load (uploader or admin); False when there is no such load."""
    return _load_action(con, actor, import_id, "retract")


def restore_load(con: duckdb.DuckDBPyConnection, actor: str | None, import_id: int) -> bool:
    """Bring a superseded or withdrawn load back (uploader or admin)."""
    return _load_action(con, actor, import_id, "restore")


# --- administration -------------------------------------------------------------------------


def admin_add_user(
    con: duckdb.DuckDBPyConnection, actor: str | None, name: str, role: str, password: str
) -> str:
    accounts.require(con, actor, "admin")
    return accounts.add_user(con, name, role, password, actor=actor)


def admin_set_role(con: duckdb.DuckDBPyConnection, actor: str | None, name: str, role: str) -> None:
    accounts.require(con, actor, "admin")
    if accounts.normalize_name(name) == accounts.normalize_name(actor or "") and role != "admin":
        raise accounts.AccountError("Bạn không thể tự hạ quyền quản trị của chính mình.")
    accounts.set_role(con, name, role, actor=actor)


def admin_reset_password(
    con: duckdb.DuckDBPyConnection, actor: str | None, name: str, password: str
) -> None:
    accounts.require(con, actor, "admin")
    accounts.set_password(con, name, password, actor=actor)


def admin_remove_user(con: duckdb.DuckDBPyConnection, actor: str | None, name: str) -> None:
    accounts.require(con, actor, "admin")
    if accounts.normalize_name(name) == accounts.normalize_name(actor or ""):
        raise accounts.AccountError("Bạn không thể tự xóa tài khoản của chính mình.")
    accounts.remove_user(con, name, actor=actor)


def admin_set_setting(
    con: duckdb.DuckDBPyConnection, actor: str | None, name: str, value: str
) -> str:
    from etl import figure_settings

    return figure_settings.set_value(con, actor, name, value)


def figure_settings_table(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    from etl import figure_settings

    return [
        {"Thiết lập": s["name"], "Giá trị": s["value"], "Ý nghĩa": s["help"]}
        for s in figure_settings.listing(con)
    ]


def users_table(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    now = accounts._now()
    return [
        {
            "Tài khoản": u["name"],
            "Quyền": accounts.role_label(u["role"]),
            "Đăng nhập sai liên tiếp": u["failures"],
            "Chặn máy đăng nhập sai đến": (
                f"{u['locked_until']:%d/%m/%Y %H:%M}"
                if u["locked_until"] and u["locked_until"] > now
                else ""
            ),
            "Ngày tạo": f"{u['created_at']:%d/%m/%Y}" if u["created_at"] else "",
        }
        for u in accounts.list_users(con)
    ]


def membership_years(con: duckdb.DuckDBPyConnection) -> list[int]:
    rows = con.execute("SELECT DISTINCT year FROM v_cluster_members ORDER BY year DESC").fetchall()
    return [int(r[0]) for r in rows]


def membership(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, list[dict[str, Any]]]:
    """The member units of each cluster in ``year`` (current loads only)."""
    rows = con.execute(
        "SELECT cluster, unit, role, short_name FROM v_cluster_members WHERE year = ?",
        [int(year)],
    ).fetchall()
    out: dict[str, list[dict[str, Any]]] = {}
    for cluster, unit, role, short_name in rows:  # the view keeps each list's own order
        out.setdefault(cluster, []).append(
            {"Đơn vị": unit, "Vai trò": role or "", "Tên viết tắt": short_name or ""}
        )
    return {c: out[c] for c in sorted(out, key=_natural_key)}


def _natural_key(text: str) -> tuple[Any, ...]:
    """'Cụm thi đua số 2' before 'Cụm thi đua số 10'."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in re.split(r"(\d+)", text))


def audit_table(con: duckdb.DuckDBPyConnection, limit: int = 200) -> list[dict[str, Any]]:
    return [
        {
            "Thời điểm": f"{a['at_time']:%d/%m/%Y %H:%M:%S}",
            "Người thực hiện": a["actor"] or "",
            "Thao tác": a["action"],
            "Chi tiết": a["detail"] or "",
        }
        for a in accounts.audit_log(con, limit)
    ]
