"""Validate a workbook whole, then load it in one transaction; retract, restore, rebuild.

read (workbook) → find the table (layout) → parse per kind (kinds/) → validate → load (store).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from etl import accounts, awards, db, submissions
from etl.kinds.calendar import parse_calendar
from etl.kinds.common import Context, LoadOptions, Member, Membership, Tables
from etl.kinds.indicators import parse_indicators
from etl.kinds.members import parse_members
from etl.kinds.proposals import parse_proposals
from etl.kinds.scoring import parse_scoring
from etl.kinds.summary import parse_summary
from etl.kinds.targets import parse_targets
from etl.layout import HEADER_SCAN_ROWS, find_layout, parse_title
from etl.report import FileReport, Issue, SheetReport, WorkbookRefused
from etl.store import Rows, insert_tables, new_import, sha256_of, store_original
from etl.text import legacy_encoding, nfc
from etl.workbook import address, open_workbook, sheet_kind_reason

__all__ = ["LoadOptions", "load_file", "rebuild", "restore", "retract", "validate_file"]

PARSERS = {
    "A": parse_scoring,
    "A2": parse_scoring,
    "B": parse_summary,
    "C": parse_targets,
    "D": parse_indicators,
    "G": parse_proposals,
    "H": parse_calendar,
}
# Tables an administrator edits in the dashboard: carried over as they are by rebuild.
CARRIED_TABLES: tuple[str, ...] = ("due_dates", "award_rules", "calendar_entries")
_INSTRUCTIONS = ("huong dan", "hướng dẫn", "ghi chú", "ghi chu", "readme", "instructions")


@dataclass
class Validated:
    report: FileReport
    tables: dict[str, list[dict]] = field(default_factory=dict)  # small tables, row by row
    frames: dict[str, list[Rows]] = field(default_factory=dict)  # large tables, as built
    scopes: set[str] = field(default_factory=set)

    @property
    def kinds(self) -> list[str]:
        return sorted({s.kind for s in self.report.sheets if s.kind})


def memberships(con: duckdb.DuckDBPyConnection | None) -> dict[int, Membership]:
    out: dict[int, Membership] = {}
    if con is None:
        return out
    rows = con.execute(
        "SELECT year, cluster, unit, role, short_name FROM v_cluster_members"
    ).fetchall()
    for year, cluster, unit, role, short in rows:
        out.setdefault(int(year), Membership()).add(Member(unit, cluster, role, short))
    return out


def validate_file(
    path: Path,
    options: LoadOptions | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    original_name: str | None = None,
) -> FileReport:
    """All the checks of a load; writes nothing."""
    result = _validate(Path(path), options or LoadOptions(), con, original_name)
    if result.report.status != "refused":
        result.report.status = "valid"
    return result.report


def _legacy_text(sheet, rows: int) -> tuple[str, str] | None:
    for r, row in enumerate(sheet.rows(0, rows)):
        for c, v in enumerate(row):
            if v and not v.replace(".", "").replace(",", "").strip().isdigit():
                found = legacy_encoding(v)
                if found:
                    return found, address(r, c)
    return None


def _validate(
    path: Path, options: LoadOptions, con: duckdb.DuckDBPyConnection | None, name: str | None
) -> Validated:
    file_name = nfc(name or path.name)
    report = FileReport(file=file_name)
    result = Validated(report)
    try:
        report.sha256 = sha256_of(path)
        wb = open_workbook(path)
    except WorkbookRefused as exc:
        report.refuse(exc.message)
        return result
    except OSError as exc:
        report.refuse(f"Không mở được tệp: {exc.strerror or exc}.")
        return result
    ctx = Context(file_name, options, memberships(con))
    found = []
    for sheet_name in wb.sheet_names:
        sr = SheetReport(nfc(sheet_name))
        report.sheets.append(sr)
        sheet_type = wb.sheet_type(sheet_name)
        if sheet_type != "worksheet":
            sr.skipped_reason = f"Bỏ qua: {sheet_kind_reason(sheet_type)}."
            continue
        try:
            sheet = wb.read_sheet(sheet_name)
        except WorkbookRefused as exc:
            report.refuse(exc.message)
            return result
        except Exception as exc:  # calamine raises many kinds of errors on odd sheets
            sr.skipped_reason = f"Bỏ qua: không đọc được sheet ({type(exc).__name__})."
            continue
        if sheet.height == 0 or sheet.frame.width == 0:
            sr.skipped_reason = "Bỏ qua: sheet trống."
            continue
        legacy = _legacy_text(sheet, min(sheet.height, HEADER_SCAN_ROWS + 20))
        if legacy:
            enc, cell = legacy
            sr.error(
                f"Văn bản được gõ bằng bảng mã cũ {enc} ({'ABC' if enc == 'TCVN3' else 'VNI'}), "
                "không phải Unicode. Hãy chuyển mã sang Unicode (Unikey: Ctrl+Shift+F6, chọn "
                f"nguồn '{enc}' và đích 'Unicode') rồi tải lên lại.",
                cell,
            )
            continue
        layout = find_layout(sheet)
        if layout is None:
            lowered = sr.name.lower()
            if any(w in lowered for w in _INSTRUCTIONS):
                sr.skipped_reason = "Bỏ qua: sheet hướng dẫn."
            else:
                sr.skipped_reason = (
                    "Bỏ qua: không nhận ra bảng số liệu (không tìm thấy dòng tiêu đề cột như "
                    "'STT | Nội dung tiêu chí | Điểm chuẩn | Điểm tự chấm')."
                )
            continue
        sr.kind = layout.kind
        title = parse_title(sheet.rows(0, layout.header_top))
        found.append((sheet, layout, title, sr))

    # Membership lists first: a file may carry the list and the sheets it governs.
    for sheet, layout, title, sr in found:
        if layout.kind != "E":
            continue
        parsed = parse_members(sheet, layout, title, ctx, sr, file_name)
        if parsed:
            tables, scopes, lists = parsed
            _merge(result, tables, scopes)
            for year, membership in lists.items():
                ctx.memberships[year] = membership
    for sheet, layout, title, sr in found:
        if layout.kind == "E":
            continue
        parsed_other = PARSERS[layout.kind](sheet, layout, title, ctx, sr, file_name)
        if parsed_other:
            _merge(result, *parsed_other)
            derived = submissions.derive(
                layout.kind,
                parsed_other[0],
                title,
                ctx.options,
                sr.name,
                file_name,
                sheet,
                layout.data_start,
            )
            _merge(result, derived, set())
            if layout.kind == "B":
                _merge(result, awards.derive_from_summary(parsed_other[0], sr.name, sr.warn), set())

    if not found:
        report.refuse(
            "Không nhận ra sheet nào là bảng thi đua (bảng chấm điểm, tổng hợp, chỉ tiêu, danh "
            "sách cụm, danh sách đề nghị khen thưởng, lịch thi đua). Hãy dùng mẫu tải về từ "
            "trang 'Tải dữ liệu lên' (lệnh thidua template)."
        )
    _dedupe_unit_results(result)
    report.status = "refused" if report.errors else "valid"
    return result


def _merge(result: Validated, tables: Tables, scopes: set[str]) -> None:
    for table, rows in tables.items():
        for row in rows:
            if isinstance(row, Rows):
                result.frames.setdefault(table, []).append(row)
            else:
                result.tables.setdefault(table, []).append(row)
    result.scopes |= scopes


def _dedupe_unit_results(result: Validated) -> None:
    """One score per unit and year in a file: a summary (B) restates sheets (A) and wins."""
    best: dict[str, dict] = {}
    for row in result.tables.get("unit_results", []):
        other = best.get(row["scope"])
        if other is None or (
            other["source_kind"] != row["source_kind"] and row["source_kind"] == "B"
        ):
            best[row["scope"]] = row
        elif other["source_kind"] == row["source_kind"]:
            result.report.file_issues.append(
                Issue(
                    "error",
                    f"Đơn vị '{row['unit']}' ({row['cluster']}, năm {row['year']}) có điểm ở hai chỗ "
                    f"trong cùng tệp: sheet '{other['source_sheet']}' và sheet "
                    f"'{row['source_sheet']}'. Hãy giữ một bảng cho mỗi đơn vị.",
                    row["source_sheet"],
                    row["source_cell"],
                )
            )
    if best:
        result.tables["unit_results"] = list(best.values())


def load_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    options: LoadOptions | None = None,
    original_name: str | None = None,
) -> FileReport:
    """Validate and load one file in one transaction: all of it or nothing."""
    options = options or LoadOptions()
    path = Path(path)
    result = _validate(path, options, con, original_name)
    report = result.report
    if report.status == "refused":
        return report
    existing = con.execute(
        "SELECT import_id, retracted FROM imports WHERE sha256 = ? ORDER BY import_id LIMIT 1",
        [report.sha256],
    ).fetchone()
    if existing:
        report.status = "already_loaded"
        report.import_id = int(existing[0])
        if existing[1]:
            report.file_issues.append(
                _issue_warning(
                    f"Tệp này đã được nạp (lần nạp số {existing[0]}) và đã bị rút lại. "
                    f"Dùng 'Khôi phục' (thidua restore {existing[0]}) nếu muốn dùng lại."
                )
            )
        return report
    stored = store_original(con, path, report.sha256 or "")
    rows = sum(s.rows for s in report.sheets)
    before = _holders(con, result.scopes)
    with db.transaction(con):
        import_id = new_import(
            con,
            file_name=report.file,
            sha=report.sha256 or "",
            stored_path=str(stored),
            kinds=",".join(result.kinds),
            rows=rows,
            loaded_by=options.user,
            options=options.as_dict(),
            report={**report.as_dict(), "status": "loaded"},
        )
        insert_tables(con, import_id, result.tables, result.scopes, result.frames)
    report.status = "loaded"
    report.import_id = import_id
    report.superseded = sorted(before)
    return report


def _issue_warning(message: str) -> Issue:
    return Issue("warning", message)


def _holders(con: duckdb.DuckDBPyConnection, scopes: set[str]) -> set[int]:
    """Loads currently holding any of these scopes: the new load supersedes them there."""
    if not scopes:
        return set()
    rows = con.execute(
        "SELECT DISTINCT import_id FROM current_scopes WHERE list_contains(?, scope)",
        [sorted(scopes)],
    ).fetchall()
    return {int(r[0]) for r in rows}


def retract(con: duckdb.DuckDBPyConnection, import_id: int, user: str | None = None) -> bool:
    """Withdraw a load: it stays in the history and can be restored."""
    with db.transaction(con):
        row = con.execute(
            "SELECT retracted FROM imports WHERE import_id = ?", [import_id]
        ).fetchone()
        if row is None:
            return False
        con.execute("UPDATE imports SET retracted = true WHERE import_id = ?", [import_id])
        accounts.audit(con, user, "retract", f"import {import_id}")
    return True


def restore(con: duckdb.DuckDBPyConnection, import_id: int, user: str | None = None) -> bool:
    """Bring a withdrawn or superseded load back: it becomes the newest for its scopes."""
    with db.transaction(con):
        row = con.execute("SELECT 1 FROM imports WHERE import_id = ?", [import_id]).fetchone()
        if row is None:
            return False
        con.execute(
            "UPDATE imports SET retracted = false, precedence = nextval('precedence_seq') "
            "WHERE import_id = ?",
            [import_id],
        )
        accounts.audit(con, user, "restore", f"import {import_id}")
    return True


def rebuild(db_file: Path) -> list[FileReport]:
    """Rebuild the database from the stored original files, in their original order.

    Loads are replayed into a new file with their options; then withdrawals, restores, accounts
    and the audit log are carried over, and the new file replaces the old (kept as .bak).
    """
    db_file = Path(db_file).resolve()
    old = db.connect(db_file)
    loads = old.execute(
        "SELECT import_id, file_name, stored_path, options, loaded_by, retracted, precedence, "
        "loaded_at FROM imports WHERE loaded_by IS DISTINCT FROM ? ORDER BY import_id",
        ["dữ liệu tham chiếu"],
    ).fetchall()
    tmp = db_file.with_name(db_file.name + ".rebuild")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    new = db.connect(tmp)
    reports = []
    mapping: dict[int, int] = {}
    for import_id, file_name, stored, options, loaded_by, _retracted, _prec, _at in loads:
        opts = LoadOptions(**json.loads(options or "{}"), user=loaded_by)
        stored_path = Path(stored) if stored else None
        if stored_path is None or not stored_path.exists():
            report = FileReport(file=file_name)
            report.refuse(f"Không tìm thấy bản gốc đã lưu: {stored}.")
            reports.append(report)
            continue
        report = load_file(new, stored_path, opts, original_name=file_name)
        reports.append(report)
        if report.import_id is not None:
            mapping[import_id] = report.import_id
    old_state = {r[0]: (r[5], r[6], r[7]) for r in loads}
    with db.transaction(new):
        for old_id, new_id in mapping.items():
            retracted, precedence, loaded_at = old_state[old_id]
            new.execute(
                "UPDATE imports SET retracted = ?, precedence = ?, loaded_at = ? WHERE import_id = ?",
                [retracted, precedence, loaded_at, new_id],
            )
        for table in CARRIED_TABLES:  # what administrators typed, not read from files
            kept = old.execute(f"SELECT * FROM {table}").fetchall()
            new.execute(f"DELETE FROM {table}")
            if kept:
                marks = ", ".join("?" * len(kept[0]))
                new.executemany(f"INSERT INTO {table} VALUES ({marks})", kept)
        new.execute("DELETE FROM users")
        users = old.execute(
            "SELECT name, role, password_hash, failures, locked_until, created_at FROM users"
        ).fetchall()
        if users:
            new.executemany("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?)", users)
        # The audit trail of the old file comes first, then the replay's own entries.
        new.execute("DELETE FROM audit_log")
        history = old.execute(
            "SELECT at_time, actor, action, detail FROM audit_log ORDER BY audit_id"
        ).fetchall()
        history.append((datetime.now(), None, "rebuild", f"{len(mapping)} lần nạp được dựng lại"))
        new.executemany(
            "INSERT INTO audit_log (at_time, actor, action, detail) VALUES (?, ?, ?, ?)", history
        )
    db.close(tmp)
    db.close(db_file)
    backup = db_file.with_name(db_file.name + ".bak")
    shutil.move(str(db_file), str(backup))
    shutil.move(str(tmp), str(db_file))
    return reports
