"""One function per thing a user does to the data: it checks the role, writes, and writes the
audit row once, in one shape. The command line and the pages both call these.

``actor`` is the signed-in name. The command line passes ``terminal=True``: whoever runs it
holds the data folder itself (interface.md §1 has no sign-in there), so no role is checked, and
the audit row names the operating-system user.
"""

from __future__ import annotations

import hashlib
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from etl import settings
from etl.db.transactions import transaction
from etl.errors import describe
from etl.kinds.common import LoadOptions
from etl.load.loader import load_file, restore, retract, validate_file
from etl.report import FileReport, WorkbookRefused, vn_number
from etl.year import accounts, awards, campaign, due_dates

UPLOAD_TYPES: tuple[str, ...] = ("xlsx", "xlsm", "xls", "ods")
CSV_ADVICE = (
    "Tệp .csv chưa có định dạng bảng tính nên không đọc được. Mở tệp bằng Excel, chọn "
    "Tệp › Lưu thành › Sổ làm việc Excel (*.xlsx), rồi tải tệp .xlsx vừa lưu lên."
)


def _check(con: duckdb.DuckDBPyConnection, actor: str | None, needed: str, terminal: bool) -> None:
    if not terminal:
        accounts.require(con, actor, needed)


# --- loads ----------------------------------------------------------------------------------


def upload_detail(report: FileReport) -> dict[str, Any]:
    """The one shape of an upload's audit row, loaded or refused."""
    return {
        "file": report.file,
        "sha256": report.sha256,
        "status": report.status,
        "import_id": report.import_id,
        "superseded": list(report.superseded),
        "partly_superseded": list(report.partly_superseded),
        "errors": len(report.errors),
    }


def missing_file(path: Path) -> FileReport:
    report = FileReport(file=str(path))
    report.refuse(f"Không tìm thấy tệp '{path}'.")
    return report


def load(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    path: Path,
    options: LoadOptions,
    original_name: str | None = None,
    *,
    terminal: bool = False,
) -> FileReport:
    """Load one file (one transaction) as ``actor``; every attempt is audited, refused or not."""
    _check(con, actor, "uploader", terminal)
    path = Path(path)
    report = load_file(con, path, options, original_name) if path.exists() else missing_file(path)
    accounts.audit(con, actor, "upload", upload_detail(report))
    return report


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def max_upload_mb() -> int:
    return max(1, int(settings.get("max_upload_mb")))


def _refused(name: str, data: bytes, message: str) -> FileReport:
    report = FileReport(file=name, sha256=digest(data))
    report.refuse(message)
    return report


def precheck(name: str, data: bytes) -> FileReport | None:
    """A refused report when an uploaded file's type or size is wrong before it is even parsed.

    The uploader takes every file (its own refusal of a type is an English tooltip): a wrong type
    is answered here, a .csv with how to save it as .xlsx.
    """
    suffix = Path(name).suffix.lower().lstrip(".")
    if suffix == "csv":
        return _refused(name, data, CSV_ADVICE)
    if suffix not in UPLOAD_TYPES:
        return _refused(
            name,
            data,
            "Chỉ nhận tệp Excel hoặc LibreOffice (.xlsx, .xlsm, .xls, .ods); "
            f"tệp này có đuôi '.{suffix}'."
            if suffix
            else "Tệp không có đuôi .xlsx/.xlsm/.xls/.ods.",
        )
    limit = max_upload_mb()
    if len(data) > limit * 1024 * 1024:
        size = vn_number(len(data) / 1048576, 1, trim=False)
        return _refused(name, data, f"Tệp lớn {size} MB, vượt giới hạn {limit} MB.")
    return None


def _temp_copy(tmp: str, name: str, data: bytes) -> Path:
    safe = Path(name).name or "upload"
    path = Path(tmp) / f"upload{Path(safe).suffix.lower()}"
    path.write_bytes(data)
    return path


def check_upload(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    name: str,
    data: bytes,
    options: LoadOptions,
) -> FileReport:
    """Step 1 of an upload: every check of a load; writes nothing."""
    _check(con, actor, "uploader", False)
    early = precheck(name, data)
    if early is not None:
        return early
    try:
        with tempfile.TemporaryDirectory(prefix="thidua-upload-") as tmp:
            path = _temp_copy(tmp, name, data)
            return validate_file(path, options, con=con, original_name=name)
    except WorkbookRefused as exc:
        return _refused(name, data, exc.message)
    except Exception as exc:  # a clerk gets a message, not a traceback
        return _refused(name, data, describe(exc).sentence)


def upload(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    name: str,
    data: bytes,
    options: LoadOptions,
) -> FileReport:
    """Step 2 of an upload: load the bytes as ``actor`` (one transaction), audited."""
    _check(con, actor, "uploader", False)
    report = precheck(name, data)
    if report is None:
        try:
            with tempfile.TemporaryDirectory(prefix="thidua-upload-") as tmp:
                path = _temp_copy(tmp, name, data)
                report = load_file(con, path, options, original_name=name)
        except WorkbookRefused as exc:
            report = _refused(name, data, exc.message)
        except Exception as exc:
            report = _refused(name, data, describe(exc).sentence)
    accounts.audit(con, actor, "upload", upload_detail(report))
    return report


def retract_load(
    con: duckdb.DuckDBPyConnection, actor: str | None, import_id: int, *, terminal: bool = False
) -> bool:
    """Withdraw a load (uploader or admin); False when there is no such load."""
    _check(con, actor, "uploader", terminal)
    ok = retract(con, int(import_id), actor)
    accounts.audit(con, actor, "retract", {"import_id": int(import_id), "ok": ok})
    return ok


def restore_load(
    con: duckdb.DuckDBPyConnection, actor: str | None, import_id: int, *, terminal: bool = False
) -> bool:
    """Bring a superseded or withdrawn load back (uploader or admin)."""
    _check(con, actor, "uploader", terminal)
    ok = restore(con, int(import_id), actor)
    accounts.audit(con, actor, "restore", {"import_id": int(import_id), "ok": ok})
    return ok


# --- accounts -------------------------------------------------------------------------------


def add_user(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    name: str,
    role: str,
    password: str,
    *,
    terminal: bool = False,
) -> str:
    _check(con, actor, "admin", terminal)
    return accounts.add_user(con, name, role, password, actor=actor)


def set_role(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    name: str,
    role: str,
    *,
    terminal: bool = False,
) -> None:
    _check(con, actor, "admin", terminal)
    if accounts.normalize_name(name) == accounts.normalize_name(actor or "") and role != "admin":
        raise accounts.AccountError("Bạn không thể tự hạ quyền quản trị của chính mình.")
    accounts.set_role(con, name, role, actor=actor)


def set_password(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    name: str,
    password: str,
    *,
    terminal: bool = False,
) -> None:
    _check(con, actor, "admin", terminal)
    accounts.set_password(con, name, password, actor=actor)


def remove_user(
    con: duckdb.DuckDBPyConnection, actor: str | None, name: str, *, terminal: bool = False
) -> None:
    _check(con, actor, "admin", terminal)
    if not terminal and accounts.normalize_name(name) == accounts.normalize_name(actor or ""):
        raise accounts.AccountError("Bạn không thể tự xóa tài khoản của chính mình.")
    accounts.remove_user(con, name, actor=actor)


# --- what administrators edit for the year ---------------------------------------------------


def edit_award_rule(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    rule_id: str,
    value: str,
    basis: str,
    description: str | None = None,
) -> None:
    """An administrator changes a rule's value and the text it rests on."""
    _check(con, actor, "admin", False)
    with transaction(con):
        stored = awards.edit_rule(con, actor, rule_id, value, basis, description)
        accounts.audit(con, actor, "award_rule_edit", {"rule": rule_id, "value": stored})


def set_due_date(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    year: int,
    cluster: str,
    period: str,
    due: date,
) -> None:
    """An administrator sets the due date of a cluster's report."""
    _check(con, actor, "admin", False)
    with transaction(con):
        due_dates.set_due_date(con, actor, year, cluster, period, due)
        accounts.audit(
            con,
            actor,
            "due_date_set",
            {"year": int(year), "cluster": cluster, "period": period, "due": due.isoformat()},
        )


def clear_due_date(
    con: duckdb.DuckDBPyConnection, actor: str | None, year: int, cluster: str, period: str
) -> bool:
    """Back to the default due date (and, for a quarter, no longer due unless reported)."""
    _check(con, actor, "admin", False)
    with transaction(con):
        found = due_dates.clear_due_date(con, year, cluster, period)
        accounts.audit(
            con, actor, "due_date_clear", {"year": int(year), "cluster": cluster, "period": period}
        )
    return found


def add_calendar_entry(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    year: int,
    phase: str,
    theme: str | None,
    start: date,
    end: date,
    cluster: str | None = None,
) -> int:
    """An administrator adds a phase to the campaign calendar; its id."""
    _check(con, actor, "admin", False)
    with transaction(con):
        entry = campaign.add_entry(con, actor, year, phase, theme, start, end, cluster)
        accounts.audit(con, actor, "calendar_add", {"entry": entry, "phase": phase})
    return entry


def remove_calendar_entry(con: duckdb.DuckDBPyConnection, actor: str | None, entry_id: int) -> bool:
    _check(con, actor, "admin", False)
    with transaction(con):
        gone = campaign.remove_entry(con, entry_id)
        accounts.audit(con, actor, "calendar_remove", {"entry": int(entry_id)})
    return gone
