"""The reading side of the staff pages (upload, history, admin), kept out of the page scripts.

What staff do to the data (upload, retract, restore, accounts) is etl.actions, which checks the
role where the action runs, not only by hiding pages; the pages call it with a connection from
:func:`writer`. Reads take the session's cursor of the read snapshot.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from etl import db as etl_db
from etl import settings
from etl.kinds import registry
from etl.load import LoadOptions
from etl.report import FileReport
from etl.year import accounts

KINDS: tuple[str, ...] = registry.CODES
KIND_LABELS: dict[str, str] = {k.code: k.title for k in registry.KINDS}

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

    def options(self, user: str | None) -> LoadOptions:
        return LoadOptions(
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
    with tempfile.TemporaryDirectory(prefix="thidua-template-") as tmp:
        path = registry.write_template(kind, Path(tmp) / f"mau_{kind}.xlsx")
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
