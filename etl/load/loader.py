"""Validate a workbook whole, then load it in one transaction; retract, restore.

read (workbook) → find the table (layout) → parse per kind (kinds/) → validate → load (store).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from etl import settings
from etl.db.store import Rows, insert_tables, new_import
from etl.db.transactions import transaction
from etl.kinds import registry
from etl.kinds.common import Context, LoadOptions, Member, Membership, Tables, table_end
from etl.kinds.members import parse_members
from etl.load.framework import check_sheets as check_frameworks
from etl.load.originals import (
    REFERENCE_LOADER,
    Journal,
    OriginalUnusable,
    database_path,
    disk_full,
    fault_point,
    root_of,
    sha256_of,
    store_original,
    sync_journal,
)
from etl.read.blocks import split_blocks
from etl.read.layout import HEADER_SCAN_ROWS, Layout, find_layout, parse_title
from etl.read.text import legacy_encoding, nfc
from etl.read.workbook import Sheet, address, col_letter, open_workbook, sheet_kind_reason
from etl.report import FileReport, Issue, SheetReport, WorkbookRefused

# Tables an administrator edits in the dashboard: carried over as they are by rebuild.
CARRIED_TABLES: tuple[str, ...] = ("due_dates", "award_rules", "calendar_entries")
_INSTRUCTIONS = ("huong dan", "hướng dẫn", "ghi chú", "ghi chu", "readme", "instructions")


@dataclass
class Validated:
    report: FileReport
    tables: dict[str, list[dict]] = field(default_factory=dict)  # small tables, row by row
    frames: dict[str, list[Rows]] = field(default_factory=dict)  # large tables, as built
    scopes: set[str] = field(default_factory=set)
    # The loads the checks saw (membership lists, frameworks): a load made from this result
    # re-checks only when another load, retract or restore came in between (load_file).
    state: tuple | None = None

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


def state_key(con: duckdb.DuckDBPyConnection | None) -> tuple | None:
    """What the checks of a file depend on in the database: changes with every load, retract
    and restore."""
    if con is None:
        return None
    row = con.execute(
        "SELECT max(import_id), max(precedence), count(*) FILTER (WHERE retracted), count(*) "
        "FROM imports"
    ).fetchone()
    return tuple(row) if row else None


def prepare(
    path: Path,
    options: LoadOptions | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    original_name: str | None = None,
) -> Validated:
    """Read and check a file for a load, with a *read* connection (a snapshot): the expensive
    part of a load, done before the writer lock is taken (load_file(..., prepared=...))."""
    result = _validate(Path(path), options or LoadOptions(), con, original_name)
    result.state = state_key(con)
    return result


def _legacy_text(sheet, rows: int) -> tuple[str, str] | None:
    for r, row in enumerate(sheet.rows(0, rows)):
        for c, v in enumerate(row):
            if v and not v.replace(".", "").replace(",", "").strip().isdigit():
                found = legacy_encoding(v)
                if found:
                    return found, address(r, c)
    return None


def _convert_legacy(sheet: Sheet, encoding: str, cell: str, sr: SheetReport) -> bool:
    """Convert a sheet typed in a legacy encoding to Unicode, with one warning that shows the
    clerk the converted names to confirm; False when some text cannot be decoded with confidence
    (an error names each such cell)."""
    changed, unsure = sheet.convert_legacy(encoding)
    name = f"{encoding} ({'ABC' if encoding == 'TCVN3' else 'VNI'})"
    for r, c in unsure[:20]:
        sr.error(
            f"Ô này có chữ gõ bằng bảng mã cũ {name} nhưng không chuyển được chắc chắn sang "
            "Unicode. Hãy gõ lại ô này bằng Unicode.",
            address(r, c),
        )
    if unsure:
        return False
    examples = []
    for before, after in changed:
        pair = f"'{nfc(before)}' → '{nfc(after)}'"
        if pair not in examples:
            examples.append(pair)
    shown = "; ".join(examples[:8]) + (
        f" và {len(examples) - 8} chữ khác" if len(examples) > 8 else ""
    )
    sr.warn(
        f"Văn bản của sheet được gõ bằng bảng mã cũ {name}, không phải Unicode, và đã được chuyển "
        f"sang Unicode: {shown}. Hãy kiểm tra các tên đã chuyển trước khi nạp.",
        cell,
    )
    return True


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
    cells_left = int(settings.get("max_cells"))  # what the whole file may cost (finding 7)
    for sheet_name in wb.sheet_names:
        sr = SheetReport(nfc(sheet_name))
        report.sheets.append(sr)
        sheet_type = wb.sheet_type(sheet_name)
        if sheet_type != "worksheet":
            sr.skipped_reason = f"Bỏ qua: {sheet_kind_reason(sheet_type)}."
            continue
        hidden = wb.sheet_hidden(sheet_name)
        if hidden:
            sr.skipped_reason = _HIDDEN_SHEET[hidden]
            continue
        try:
            sheet = wb.read_sheet(sheet_name)
        except WorkbookRefused as exc:
            report.refuse(exc.message)
            return result
        except Exception:  # calamine raises many kinds of errors on odd sheets
            sr.skipped_reason = (
                "Bỏ qua: không đọc được sheet (nội dung của sheet bị hỏng hoặc có dạng Excel "
                "không tạo ra). Nếu cần nạp sheet này, hãy mở tệp bằng Excel, lưu lại rồi tải lên."
            )
            continue
        cells_left -= sheet.height * sheet.frame.width
        if cells_left < 0:
            report.refuse(file_too_big(file_name))
            return result
        if sheet.height == 0 or sheet.frame.width == 0:
            sr.skipped_reason = "Bỏ qua: sheet trống."
            continue
        legacy = _legacy_text(sheet, min(sheet.height, HEADER_SCAN_ROWS + 20))
        if legacy and not _convert_legacy(sheet, *legacy, sr):
            continue
        if sheet.computed:
            first = min(sheet.computed)
            sr.note(
                f"Tệp không lưu giá trị đã tính của công thức (thường do phần mềm xuất ra: tệp "
                f"không lưu giá trị hoặc yêu cầu tính lại khi mở): {len(sheet.computed)} ô công "
                "thức đã được tính lại như Excel tính khi mở tệp.",
                address(*first),
            )
        layout = find_layout(sheet, registry.COLUMN_ROLES)
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
        _warn_hidden(sheet, layout, sr)
        _warn_unread(sheet, layout, sr)
        _warn_older_copies(sheet, layout, sr)
        title = parse_title(sheet.rows(0, layout.header_top), sheet.hidden_rows, sheet.hidden_cols)
        for block in split_blocks(sheet, layout, registry.COLUMN_ROLES):
            own = title
            if block.cluster is not None:  # one of several clusters stacked on the sheet
                own = dataclasses.replace(
                    title, cluster=block.cluster, cluster_cell=block.cluster_cell
                )
            found.append((sheet, block.layout, own, sr))

    # Membership lists first: a file may carry the list and the sheets it governs.
    listed: set[int] = set()
    for sheet, layout, title, sr in found:
        if layout.kind != "E":
            continue
        rows_before = sr.rows
        parsed = parse_members(sheet, layout, title, ctx, sr, file_name)
        sr.rows += rows_before
        if parsed:
            tables, scopes, lists = parsed
            _merge(result, tables, scopes)
            for year, membership in lists.items():
                if year in listed:  # another block or sheet of this file's list of the year
                    for member in membership.by_unit.values():
                        ctx.memberships[year].add(member)
                else:
                    ctx.memberships[year] = membership
                    listed.add(year)
    for sheet, layout, title, sr in found:
        if layout.kind == "E":
            continue
        kind = registry.BY_CODE[layout.kind]
        assert kind.parser is not None
        rows_before = sr.rows  # a sheet of stacked blocks counts the rows of each
        parsed_other = kind.parser(sheet, layout, title, ctx, sr, file_name)
        sr.rows += rows_before
        if parsed_other:
            _merge(result, *parsed_other)
            seen = registry.Parsed(
                kind.code,
                parsed_other[0],
                title,
                ctx.options,
                sr,
                file_name,
                sheet,
                layout.data_start,
            )
            for derive in kind.derives:
                _merge(result, derive(seen), set())

    check_frameworks(con, result.frames, {sr.name: (lay.columns, sr) for _, lay, _, sr in found})
    if not found and any(s.skipped_reason in _HIDDEN_SHEET.values() for s in report.sheets):
        report.refuse(
            "Không có sheet đang hiện nào là bảng thi đua; các sheet ẩn không được đọc. Nếu số "
            "liệu nằm ở sheet ẩn, hãy bỏ ẩn sheet đó (chuột phải vào tên sheet, chọn Bỏ ẩn) rồi "
            "tải lên lại."
        )
    elif not found and not report.errors:
        report.refuse(
            "Không nhận ra sheet nào là bảng thi đua (bảng chấm điểm, tổng hợp, chỉ tiêu, danh "
            "sách cụm, danh sách đề nghị khen thưởng, lịch thi đua). Hãy dùng mẫu tải về từ "
            "trang 'Tải dữ liệu lên' (lệnh thidua template)."
        )
    _dedupe_unit_results(result)
    report.status = "refused" if report.errors else "valid"
    return result


def file_too_big(file_name: str) -> str:
    limit = f"{int(settings.get('max_cells')):,}".replace(",", ".")
    return (
        f"Tệp '{file_name}' có tổng cộng hơn {limit} ô trên các sheet, vượt giới hạn xử lý một tệp "
        "(THIDUA_MAX_CELLS). Hãy tách thành nhiều tệp nhỏ hơn hoặc xóa các sheet không cần nạp."
    )


_HIDDEN_SHEET = {
    "hidden": "Bỏ qua: sheet đang bị ẩn (thường là bản cũ được giữ lại). Nếu cần nạp sheet này, "
    "hãy bỏ ẩn (chuột phải vào tên sheet, chọn Bỏ ẩn) rồi tải lên lại.",
    "veryhidden": "Bỏ qua: sheet bị ẩn hẳn (không hiện trong danh sách sheet của Excel), nên "
    "không phải dữ liệu người lập biểu nhìn thấy.",
}


def _warn_unread(sheet: Sheet, layout: Layout, sr: SheetReport) -> None:
    """Nothing is dropped silently: the columns with a header and figures that no role reads
    are named in one warning (workbooks.md §1)."""
    if not layout.unread:
        return
    stop = table_end(sheet, layout, [], layout.columns.get("code"))
    named = []
    for col, label in layout.unread.items():
        body = sheet.column(col).slice(layout.data_start, max(0, stop - layout.data_start))
        if body.drop_nulls().str.strip_chars().str.len_chars().gt(0).any():
            why = " (đang bị ẩn)" if col in sheet.hidden_cols else ""
            named.append(f"{col_letter(col)} ('{label}'){why}")
    if not named:
        return
    sr.warn(
        f"Cột {', '.join(named)} có số liệu nhưng không được đọc: tên cột không ứng với nội dung "
        "nào của loại bảng này. Nếu cần đọc, hãy đặt tên cột theo mẫu (ví dụ 'Ước thực hiện năm "
        "2025', 'Điểm tự chấm', 'Kết quả thực hiện').",
        address(layout.header_bottom, next(iter(layout.unread))),
    )


def _warn_older_copies(sheet: Sheet, layout: Layout, sr: SheetReport) -> None:
    """A hidden column of a role a visible column carries is not read, and the clerk is told
    which visible column is read instead (workbooks.md §1: what the clerk sees decides)."""
    stop = table_end(sheet, layout, [], layout.columns.get("code"))
    for col, (label, shown, shown_label) in layout.older_copies.items():
        body = sheet.column(col).slice(layout.data_start, max(0, stop - layout.data_start))
        if not body.drop_nulls().str.strip_chars().str.len_chars().gt(0).any():
            continue
        sr.warn(
            f"Cột {col_letter(col)} ('{label}') đang bị ẩn và cùng nội dung với cột "
            f"{col_letter(shown)} ('{shown_label}') đang hiện: chỉ đọc cột {col_letter(shown)}, "
            "cột ẩn (thường là bản cũ được giữ lại) không được đọc. Nếu số liệu đúng nằm ở cột "
            "ẩn, hãy bỏ ẩn cột đó và xóa cột kia rồi tải lên lại.",
            address(layout.header_bottom, col),
        )


def _warn_hidden(sheet: Sheet, layout: Layout, sr: SheetReport) -> None:
    """What the clerk sees decides: say which hidden columns and rows are read anyway."""
    for col, label in layout.hidden_read.items():
        sr.warn(
            f"Cột {col_letter(col)} ('{label}') đang bị ẩn nhưng không có cột nào đang hiện mang "
            "cùng nội dung, nên vẫn được đọc. Hãy bỏ ẩn cột để kiểm tra số liệu.",
            address(layout.header_bottom, col),
        )
    if not sheet.hidden_rows:
        return
    in_table = [r for r in sheet.hidden_rows if r >= layout.data_start]
    if not in_table:
        return
    stop = table_end(sheet, layout, [], layout.columns.get("code"))
    filled = sheet.frame.select(pl.any_horizontal(pl.all().is_not_null())).to_series().to_list()
    shown = [r + 1 for r in in_table if r < min(stop, sheet.height) and filled[r]]
    if not shown:
        return
    listed = ", ".join(map(str, shown[:20]))
    if len(shown) > 20:
        listed += f" và {len(shown) - 20} dòng khác"
    first = min(layout.columns.values(), default=sheet.first_col)
    sr.warn(
        f"Các dòng {listed} đang bị ẩn (ẩn tay hoặc do bộ lọc) nhưng vẫn được đọc như dữ liệu: "
        "ẩn dòng không phải là xóa. Nếu không dùng các dòng này nữa, hãy xóa hẳn rồi tải lên lại.",
        address(shown[0] - 1, first),
    )


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
    *,
    keep_journal: bool = True,
    prepared: Validated | None = None,
) -> FileReport:
    """Validate and load one file in one transaction: all of it or nothing.

    The original is kept (content-addressed) and the load journaled before the commit; a rebuild
    replays into a fresh file with ``keep_journal=False``, the journal already holding the load.
    With ``prepared`` (from :func:`prepare`, made outside the writer lock) the file is not read
    again unless its bytes or the loads its checks saw have changed since.
    """
    options = options or LoadOptions()
    path = Path(path)
    result = prepared
    if result is None or result.state != state_key(con) or result.report.sha256 != sha256_of(path):
        result = _validate(path, options, con, original_name)
    report = result.report
    if report.status == "refused":
        return report
    existing = con.execute(
        "SELECT import_id, retracted FROM imports WHERE sha256 = ? ORDER BY import_id LIMIT 1",
        [report.sha256],
    ).fetchone()
    if existing:
        # The same bytes again also mend a kept original that went missing or was altered.
        store_original(root_of(con), path, report.sha256 or "")
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
    sha = report.sha256 or ""
    db_file = database_path(con)
    root = settings.originals_dir(db_file)
    journal = Journal(root) if keep_journal else None
    try:
        stored = store_original(root, path, sha)
    except OriginalUnusable as exc:  # the file changed after it was checked
        report.refuse(exc.message)
        return report
    fault_point("stored")
    if journal:
        sync_journal(con, journal)
    rows = sum(s.rows for s in report.sheets)
    report.superseded, report.partly_superseded = _replaced(con, result.scopes)
    event = None
    try:
        with transaction(con):
            import_id = new_import(
                con,
                file_name=report.file,
                sha=sha,
                stored_path=str(stored),
                kinds=",".join(result.kinds),
                rows=rows,
                loaded_by=options.user,
                options=options.as_dict(),
                report={**report.as_dict(), "status": "loaded"},
            )
            insert_tables(con, import_id, result.tables, result.scopes, result.frames)
            fault_point("inserted")
            if journal:
                # Before the commit: a load the database holds is always in the journal.
                event = journal.append(_load_event(con, import_id))
            fault_point("journaled")
        fault_point("committed")
    except BaseException as exc:
        if journal:
            journal.cancel(event)
        if isinstance(exc, duckdb.Error) and "No space left on device" in str(exc):
            raise disk_full(db_file) from exc
        raise
    report.status = "loaded"
    report.import_id = import_id
    return report


def _load_event(con: duckdb.DuckDBPyConnection, import_id: int) -> dict:
    row = con.execute(
        "SELECT sha256, file_name, options, loaded_by, loaded_at, precedence FROM imports "
        "WHERE import_id = ?",
        [import_id],
    ).fetchone()
    assert row is not None
    sha, name, options, by, at, precedence = row
    return {
        "event": "load",
        "sha": sha,
        "file_name": name,
        "options": json.loads(options or "{}"),
        "loaded_by": by,
        "loaded_at": at.isoformat(),
        "precedence": int(precedence),
    }


def _issue_warning(message: str) -> Issue:
    return Issue("warning", message)


def _replaced(con: duckdb.DuckDBPyConnection, scopes: set[str]) -> tuple[list[int], list[int]]:
    """The loads a new load for ``scopes`` takes over: wholly (all their current scopes are among
    them) and in part (they stay current for the rest), as v_imports will show them."""
    if not scopes:
        return [], []
    rows = con.execute(
        "SELECT import_id, bool_and(list_contains(?, scope)) FROM current_scopes "
        "WHERE import_id IN (SELECT import_id FROM current_scopes WHERE list_contains(?, scope)) "
        "GROUP BY import_id ORDER BY import_id",
        [sorted(scopes), sorted(scopes)],
    ).fetchall()
    return [int(i) for i, whole in rows if whole], [int(i) for i, whole in rows if not whole]


def retract(con: duckdb.DuckDBPyConnection, import_id: int, user: str | None = None) -> bool:
    """Withdraw a load: it stays in the history and can be restored."""
    return _set_retracted(con, import_id, user, retract=True)


def restore(con: duckdb.DuckDBPyConnection, import_id: int, user: str | None = None) -> bool:
    """Undo a withdrawal, or bring a superseded load back.

    A retracted load gets back exactly the place it had (its own precedence), so retract then
    restore changes nothing. Restoring a load that is not retracted is the explicit "use this
    older version again": it becomes the newest for its scopes.
    """
    return _set_retracted(con, import_id, user, retract=False)


def _set_retracted(
    con: duckdb.DuckDBPyConnection, import_id: int, user: str | None, *, retract: bool
) -> bool:
    row = con.execute(
        "SELECT sha256, loaded_by FROM imports WHERE import_id = ?", [import_id]
    ).fetchone()
    if row is None:
        return False
    journal = Journal(root_of(con)) if row[1] != REFERENCE_LOADER else None
    if journal:
        sync_journal(con, journal)
    event = None
    try:
        with transaction(con):
            retracted = con.execute(
                "SELECT retracted FROM imports WHERE import_id = ?", [import_id]
            ).fetchone()
            if retracted is None:
                return False
            if retract:
                con.execute("UPDATE imports SET retracted = true WHERE import_id = ?", [import_id])
            elif retracted[0]:
                con.execute("UPDATE imports SET retracted = false WHERE import_id = ?", [import_id])
            else:
                con.execute(
                    "UPDATE imports SET precedence = "
                    "(SELECT greatest(max(precedence), 0) + 1 FROM imports) WHERE import_id = ?",
                    [import_id],
                )
            action = "retract" if retract else "restore"
            if journal:
                (precedence,) = con.execute(
                    "SELECT precedence FROM imports WHERE import_id = ?", [import_id]
                ).fetchone() or (0,)
                event = journal.append(
                    {"event": action, "sha": row[0], "by": user, "precedence": int(precedence)}
                )
    except BaseException:
        if journal:
            journal.cancel(event)
        raise
    return True
