"""The `thidua` command line: a thin layer over etl.load and friends (interface.md §1)."""

from __future__ import annotations

import argparse
import csv
import errno
import getpass
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

import duckdb

from etl import accounts, db, settings
from etl.load import LoadOptions, load_file, restore, retract, validate_file
from etl.originals import StoreWriteError
from etl.rebuild import corrupt_message, is_corrupt, rebuild
from etl.report import FileReport
from etl.storage import asof, lake, query

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "data" / "samples"
STATUS_VN = {
    "loaded": "đã nạp",
    "already_loaded": "đã nạp từ trước — không thay đổi gì",
    "refused": "BỊ TỪ CHỐI — không nạp gì từ tệp này",
    "valid": "hợp lệ",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # exit status 2 on bad usage, in Vietnamese
        self.print_usage(sys.stderr)
        self.exit(2, f"thidua: lỗi cú pháp lệnh: {message}\n")


def _db_arg(p: argparse.ArgumentParser, nested: bool = False) -> None:
    help_ = "tệp DuckDB (mặc định data/thidua.duckdb hoặc biến THIDUA_DB)"
    if nested:  # a nested subcommand ("user add") must not reset a --db given before it
        p.add_argument("--db", help=help_, default=argparse.SUPPRESS)
    else:
        p.add_argument("--db", help=help_)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="thidua", description="Thi đua – khen thưởng: nạp bảng Excel vào DuckDB.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("load", help="kiểm tra và nạp tệp")
    _db_arg(p)
    for opt, help_ in (
        ("--year", "năm"),
        ("--cluster", "cụm/khối thi đua"),
        ("--unit", "đơn vị"),
        ("--period", "kỳ: year, H1, Q1..Q4"),
        ("--user", "người nạp"),
    ):
        p.add_argument(opt, type=int if opt == "--year" else str, help=help_ + " khi tệp không ghi")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("files", nargs="+", type=Path)

    p = sub.add_parser("validate", help="chỉ kiểm tra, không ghi gì")
    _db_arg(p)
    for opt, help_ in (
        ("--year", "năm"),
        ("--cluster", "cụm/khối thi đua"),
        ("--unit", "đơn vị"),
        ("--period", "kỳ: year, H1, Q1..Q4"),
    ):
        p.add_argument(opt, type=int if opt == "--year" else str, help=help_ + " khi tệp không ghi")
    p.add_argument("--json", action="store_true")
    p.add_argument("files", nargs="+", type=Path)

    p = sub.add_parser("template", help="tạo mẫu trống")
    _db_arg(p)
    p.add_argument("kind", choices=["A", "A2", "B", "C", "D", "E", "F", "G", "H"])
    p.add_argument("-o", "--output", type=Path, required=True)

    for name, help_ in (
        ("demo", "dựng CSDL mẫu từ data/samples"),
        ("rebuild", "dựng lại CSDL từ các tệp gốc đã lưu"),
        ("history", "liệt kê các lần nạp"),
        ("serve", "chạy bảng điều khiển"),
    ):
        p = sub.add_parser(name, help=help_)
        _db_arg(p)
        if name == "serve":
            p.add_argument("--port", type=int, default=8501)
        if name == "rebuild":
            p.add_argument(
                "--allow-missing",
                action="store_true",
                help="vẫn thay CSDL khi có lần nạp không dựng lại được (mất các lần nạp đó)",
            )

    for name in ("retract", "restore"):
        p = sub.add_parser(
            name, help="rút lại lần nạp" if name == "retract" else "khôi phục lần nạp"
        )
        _db_arg(p)
        p.add_argument("import_id", type=int)
        p.add_argument("--user")

    p = sub.add_parser("export", help="xuất bảng Excel hoặc bộ tài liệu họp")
    _db_arg(p)
    esub = p.add_subparsers(dest="export_command", required=True, parser_class=_Parser)
    q = esub.add_parser("table", help="một view thành bảng Excel có định dạng")
    q.add_argument("view", help="tên view, ví dụ v_unit_scores")
    q.add_argument("-o", "--output", type=Path, required=True, help="tệp .xlsx")
    q.add_argument("--year", type=int, help="chỉ lấy năm này")
    q.add_argument("--cluster", help="chỉ lấy cụm/khối thi đua này")
    q.add_argument("--unit", help="chỉ lấy đơn vị này")
    q.add_argument("--period", help="chỉ lấy kỳ này: year, H1, Q1..Q4")
    _as_of_arg(q)
    _db_arg(q, nested=True)
    q = esub.add_parser("pack", help="bộ tài liệu họp (PowerPoint hoặc PDF)")
    q.add_argument("--year", type=int, required=True, help="năm")
    q.add_argument(
        "--cluster", action="extend", nargs="+", help="một hay nhiều cụm/khối (mặc định: tất cả)"
    )
    q.add_argument("-o", "--output", type=Path, required=True, help="tệp .pptx hoặc .pdf")
    _as_of_arg(q)
    _db_arg(q, nested=True)

    p = sub.add_parser("query", help="chạy một câu SELECT (chỉ đọc) trên các view")
    _db_arg(p)
    p.add_argument("sql", help="một câu SELECT, ví dụ \"SELECT * FROM v_unit_scores\"")
    _as_of_arg(p)
    shape = p.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="in một mảng JSON các đối tượng")
    shape.add_argument("--csv", action="store_true", help="in CSV có dòng tiêu đề")

    p = sub.add_parser("user", help="quản lý tài khoản")
    _db_arg(p)
    usub = p.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    q = usub.add_parser("add")
    q.add_argument("name")
    q.add_argument("--role", choices=["viewer", "uploader", "admin"], required=True)
    _db_arg(q, nested=True)
    for name in ("passwd", "remove"):
        q = usub.add_parser(name)
        q.add_argument("name")
        _db_arg(q, nested=True)
    return parser


def _as_of_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as-of",
        metavar="WHEN",
        help="số liệu như tại thời điểm: 2026-12-20 (cuối ngày), 2026-12-20T09:00 hoặc import:N "
        "(ngay sau lần nạp số N)",
    )


def _print_report(report: FileReport) -> None:
    lineage = f" (lần nạp số {report.import_id}; {report.lineage()})" if report.lineage() else ""
    print(f"{report.file}: {STATUS_VN.get(report.status, report.status)}{lineage}")
    for s in report.sheets:
        if s.kind:
            print(f'  Sheet "{s.name}": loại {s.kind}, {s.rows} dòng')
        elif s.skipped_reason:
            print(f'  Sheet "{s.name}": {s.skipped_reason}')
    for issue in report.errors:
        print(f"  LỖI  {issue.human()}")
    for issue in report.warnings:
        print(f"  CẢNH BÁO  {issue.human()}")
    for issue in (i for i in report.issues if i.severity == "info"):
        print(f"  GHI NHẬN  {issue.human()}")


def _emit(reports: list[FileReport], as_json: bool) -> None:
    if as_json:
        for r in reports:
            print(json.dumps(r.as_dict(), ensure_ascii=False))
    else:
        for r in reports:
            _print_report(r)


def _cmd_load(args: argparse.Namespace) -> int:
    options = LoadOptions(
        args.year, args.cluster, args.unit, args.period, args.user or os.environ.get("USER")
    )
    reports = []
    for f in args.files:
        if not f.exists():
            r = FileReport(file=str(f))
            r.refuse(f"Không tìm thấy tệp '{f}'.")
        else:
            # One file, one turn at the writer: other writers (the dashboard) go in between.
            with db.writing(args.db) as con:
                r = load_file(con, f, options)
                if r.status == "loaded":
                    accounts.audit(con, options.user, "upload", f"{r.file} → lần nạp {r.import_id}")
        reports.append(r)
    _emit(reports, args.json)
    return 1 if any(r.status == "refused" for r in reports) else 0


def _cmd_validate(args: argparse.Namespace) -> int:
    has_db = args.db or Path(settings.db_path()).exists()
    con = db.read_cursor(args.db) if has_db else None
    reports = []
    for f in args.files:
        if not f.exists():
            r = FileReport(file=str(f))
            r.refuse(f"Không tìm thấy tệp '{f}'.")
        else:
            r = validate_file(f, LoadOptions(args.year, args.cluster, args.unit, args.period), con)
        reports.append(r)
    _emit(reports, args.json)
    return 1 if any(r.status == "refused" for r in reports) else 0


def sample_files() -> list[Path]:
    """Sample workbooks in load order: membership lists, sheets, then the summaries."""
    files = sorted(SAMPLES_DIR.glob("*.xlsx"))
    first = [f for f in files if "danh_sach" in f.name or "thanh_vien" in f.name]
    rest = [f for f in files if f not in first]
    return first + rest + sorted((SAMPLES_DIR / "summaries").glob("*.xlsx"))


def _cmd_demo(args: argparse.Namespace) -> int:
    path = db.main_path(args.db)
    with db.write_lock(path):
        db.close(path)
        for leftover in (path, path.with_name(path.name + ".wal")):
            leftover.unlink(missing_ok=True)
        with db.writing(path) as con:
            reports = [load_file(con, f, LoadOptions(user="demo")) for f in sample_files()]
            row = con.execute(
                "SELECT count(*), count(DISTINCT cluster), count(DISTINCT year) FROM v_unit_scores"
            ).fetchone() or (0, 0, 0)
    refused = [r for r in reports if r.status == "refused"]
    for r in refused:
        _print_report(r)
    print(
        f"Đã dựng CSDL mẫu {path}: {len(reports) - len(refused)}/{len(reports)} tệp, "
        f"{row[0]} kết quả đơn vị, {row[1]} cụm/khối, {row[2]} năm."
    )
    return 1 if refused else 0


def _cmd_history(args: argparse.Namespace) -> int:
    con = db.read_cursor(args.db)
    rows = con.execute(
        "SELECT import_id, status, loaded_at, loaded_by, rows_loaded, kinds, file_name, "
        "status_note FROM v_imports ORDER BY import_id"
    ).fetchall()
    print("Mã  | Trạng thái  | Thời điểm           | Người nạp | Dòng | Loại | Tệp")
    for iid, status, at, by, rows_, kinds, name, note in rows:
        extra = f" — {note}" if note else ""
        print(
            f"{iid:<3} | {status:<11} | {at:%Y-%m-%d %H:%M:%S} | {by or '':<9} | {rows_:>4} | "
            f"{kinds or '':<4} | {name}{extra}"
        )
    return 0


def _cmd_retract_restore(args: argparse.Namespace) -> int:
    fn = retract if args.command == "retract" else restore
    with db.writing(args.db) as con:
        ok = fn(con, args.import_id, args.user or os.environ.get("USER"))
    if not ok:
        print(f"Không có lần nạp số {args.import_id}.", file=sys.stderr)
        return 1
    print(
        ("Đã rút lại" if args.command == "retract" else "Đã khôi phục")
        + f" lần nạp {args.import_id}."
    )
    return 0


def _read_password(confirm: bool = True) -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Mật khẩu: ")
    if confirm and getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise ValueError("Hai lần nhập mật khẩu không khớp.")
    return first


def _cmd_user(args: argparse.Namespace) -> int:
    actor = os.environ.get("USER") or "cli"
    try:
        # A damaged or busy database is reported before anyone types a password, and the
        # password is asked outside the writer lock: nobody waits on a typist.
        with db.write_lock(args.db):
            db.connect(args.db)  # opens (and migrates) the file, or says it is damaged
            db.close(args.db)
        password = _read_password() if args.user_command in ("add", "passwd") else ""
        with db.writing(args.db) as con:
            if args.user_command == "add":
                accounts.add_user(con, args.name, args.role, password, actor=actor)
                print(f"Đã tạo tài khoản {args.name} với vai trò {args.role}.")
            elif args.user_command == "passwd":
                accounts.set_password(con, args.name, password, actor=actor)
                print(f"Đã đổi mật khẩu của {args.name}.")
            else:
                accounts.remove_user(con, args.name, actor=actor)
                print(f"Đã xóa tài khoản {args.name}.")
    except (ValueError, KeyError, LookupError) as exc:
        print(f"Lỗi: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 1
    return 0


def _server_flags(port: int) -> list[str]:
    """The Streamlit settings `thidua serve` gives on the command line. The fixed ones (no error
    details, no developer menu, ...) are in dashboard/.streamlit/config.toml, which Streamlit
    reads from any working directory; these depend on the call or on THIDUA_* settings."""
    return [
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # The server refuses what the upload page says it refuses (dashboard.upload_guard).
        "--server.maxUploadSize",
        str(settings.get("max_upload_mb")),
    ]


def _cmd_serve(args: argparse.Namespace) -> int:
    path = db.main_path(args.db)
    with db.writing(path) as con:  # migrates an older file and publishes a current snapshot
        admins = con.execute("SELECT count(*) FROM users WHERE role = 'admin'").fetchone()
    if not admins or not admins[0]:
        print(
            "Chưa có tài khoản quản trị. Tạo tài khoản đầu tiên bằng:\n"
            f"  .venv/bin/thidua user add <tên> --role admin --db {path}\n"
            "(không có mật khẩu mặc định; việc xem bảng điều khiển không cần đăng nhập "
            "trừ khi đặt THIDUA_VIEW_REQUIRES_LOGIN=1)"
        )
    app = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
    os.environ["THIDUA_DB"] = str(path)
    # dashboard.serve: Streamlit, with the heavy imports and the pages warmed at start.
    cmd = [sys.executable, "-m", "dashboard.serve", "run", str(app), *_server_flags(args.port)]
    print(f"Bảng điều khiển: http://localhost:{args.port}", flush=True)
    db.close_all()
    # The server replaces this process: SIGTERM or Ctrl+C reach Streamlit itself, and no child
    # is left behind holding files.
    os.execv(sys.executable, cmd)


def _cmd_template(args: argparse.Namespace) -> int:
    from etl.templates import write_template

    path = write_template(args.kind, args.output)
    print(f"Đã tạo mẫu loại {args.kind}: {path}")
    return 0


def _export(args: argparse.Namespace, cur: duckdb.DuckDBPyConnection) -> str:
    """Write the export; the line that says what was written."""
    if args.export_command == "table":
        # The exports are the dashboard's code: imported only when asked for.
        from dashboard.export.tables import write_view

        filters = {k: getattr(args, k) for k in ("year", "cluster", "unit", "period")}
        rows = write_view(cur, args.view, args.output, **filters)
        return f"Đã xuất {rows} dòng của {args.view} vào {args.output}."
    from dashboard.export.pack import write_pack

    pages = write_pack(cur, args.year, args.cluster, args.output)
    what = "trang chiếu" if args.output.suffix.lower() == ".pptx" else "trang"
    return f"Đã tạo bộ tài liệu họp năm {args.year}: {args.output} ({pages} {what})."


def _reading(args: argparse.Namespace) -> duckdb.DuckDBPyConnection | None:
    """A read-only connection for a query or an export, as of ``--as-of`` when given; None (and
    the reason printed) when there is nothing to read."""
    path = settings.db_path(getattr(args, "db", None))
    if not lake.enabled() and not path.exists():  # connecting would create an empty database
        print(f"Lỗi: không có cơ sở dữ liệu '{path}'.", file=sys.stderr)
        return None
    if not args.as_of:
        return db.read_only(path)
    try:
        return asof.connect(asof.parse(args.as_of))
    except asof.BadMoment as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return None


def _cmd_query(args: argparse.Namespace) -> int:
    try:
        query.check(args.sql)  # refused before anything is opened
    except query.QueryRefused as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    con = _reading(args)
    if con is None:
        return 1
    try:
        names, rows = query.run(con, args.sql)
    except query.QueryRefused as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    finally:
        con.close()
    if args.json:
        print(json.dumps([dict(zip(names, r, strict=True)) for r in rows], ensure_ascii=False,
                         default=str, indent=1))  # fmt: skip
    elif args.csv:
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(names)
        out.writerows(["" if v is None else v for v in r] for r in rows)
    else:
        cells = [names, *[["" if v is None else str(v) for v in r] for r in rows]]
        widths = [max(len(row[i]) for row in cells) for i in range(len(names))]
        for n, row in enumerate(cells):
            print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
            if n == 0:
                print("-+-".join("-" * w for w in widths))
        print(f"({len(rows)} dòng)")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    cur = _reading(args)
    if cur is None:
        return 1
    try:
        print(_export(args, cur))
    except ValueError as exc:  # unknown view, no data for the year, wrong file suffix
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise
        print(
            f"Lỗi: không ghi được tệp '{args.output}' (thư mục không có hoặc không được ghi): "
            f"{exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    finally:
        cur.close()
    return 0


# Exit statuses beyond 0 (done), 1 (a file refused, no such load) and 2 (bad usage).
EXIT_BUSY = db.DatabaseBusy.exit_code  # another writer held it past THIDUA_WRITE_WAIT_SECONDS
EXIT_DISK_FULL = 4  # nothing was written (or half-written); old data intact
EXIT_NOT_WRITTEN = EXIT_DISK_FULL
EXIT_CORRUPT = db.DatabaseCorrupt.exit_code  # the database file is damaged: run thidua rebuild
EXIT_SYSTEM = 6  # another error of the operating system (rights, a missing folder)
EXIT_REBUILD_INCOMPLETE = 7  # rebuild refused to swap: some loads could not be replayed
EXIT_INTERNAL = 70


def _cmd_rebuild(args: argparse.Namespace) -> int:
    if lake.enabled():
        print(
            "Lỗi: triển khai toàn quốc (THIDUA_CATALOG) không dựng lại từ bản gốc: danh mục "
            "PostgreSQL và thư mục dữ liệu dùng chung được sao lưu và khôi phục bằng pg_dump / "
            "pg_restore cùng bản chép THIDUA_DATA_PATH (README, \"Triển khai toàn quốc\").",
            file=sys.stderr,
        )
        return 1
    path = settings.db_path(args.db)
    with db.write_lock(path):  # no load, sign-in or other rebuild runs meanwhile
        result = rebuild(path, allow_missing=args.allow_missing)
        db.close_all()
        if result.swapped:
            db.publish(path)
    source = {
        "database": "danh sách lần nạp trong CSDL hiện có",
        "journal": "nhật ký bản gốc (CSDL không có hoặc bị hỏng)",
        "store": "các tệp gốc trên đĩa (không có nhật ký: tên tệp và tùy chọn nạp không còn)",
        "none": "không có gì (không có CSDL, nhật ký hay tệp gốc nào)",
    }[result.source]
    print(f"Thư mục bản gốc: {result.originals}")
    print(f"Dựng lại theo {source}.")
    if result.journal_only:
        print(
            f"CHÚ Ý: {len(result.journal_only)} lần nạp có trong nhật ký bản gốc nhưng không có "
            "trong CSDL này (CSDL được chép lại từ bản cũ, hay lần nạp bị ngắt trước khi xong): "
            + ", ".join(result.journal_only)
            + ". Chúng không được dựng lại; bản gốc vẫn còn, muốn dùng thì nạp lại các tệp đó."
        )
    for r in result.missing:
        _print_report(r)
    done = len(result.reports) - len(result.missing)
    print(f"Dựng lại được {done}/{len(result.reports)} lần nạp.")
    if result.missing and not result.swapped:
        print(
            f"KHÔNG thay CSDL: {len(result.missing)} lần nạp không dựng lại được (liệt kê ở trên), "
            f"CSDL hiện có ({path}) vẫn giữ nguyên. Hãy chép lại các bản gốc thiếu hay bị sửa từ "
            "bản sao lưu rồi chạy lại; hoặc chạy 'thidua rebuild --allow-missing' nếu chấp nhận "
            "mất các lần nạp đó.",
            file=sys.stderr,
        )
        return EXIT_REBUILD_INCOMPLETE
    if result.missing:
        print(f"Đã thay CSDL dù thiếu {len(result.missing)} lần nạp (--allow-missing).")
    if result.corrupt_kept:
        print(f"Tệp CSDL hỏng được giữ lại thành {result.corrupt_kept}.")
    if result.backup:
        print(f"CSDL cũ được giữ lại thành {result.backup}.")
    if not result.users_kept:
        print(
            "Tài khoản không dựng lại được từ tệp gốc: hãy tạo lại bằng 'thidua user add "
            "<tên> --role admin'. Nhật ký thao tác cũ cũng không còn."
        )
    print(f"Đã dựng lại CSDL {path}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "db", None):
        os.environ["THIDUA_DB"] = str(args.db)
    try:
        return _run(args)
    except db.DatabaseError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except StoreWriteError as exc:  # its own Vietnamese sentence: what was not written, and why
        print(f"Lỗi: {exc.strerror}", file=sys.stderr)
        return EXIT_DISK_FULL if exc.errno == errno.ENOSPC else EXIT_SYSTEM
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            print(
                "Lỗi: ổ đĩa đã đầy, không ghi được. Không có gì bị nạp dở: hãy giải phóng chỗ "
                "trống (xóa tệp tạm, chuyển bản sao lưu cũ đi) rồi chạy lại lệnh.",
                file=sys.stderr,
            )
            return EXIT_DISK_FULL
        print(
            f"Lỗi hệ thống: {exc.strerror or exc} ({exc.filename or 'không rõ tệp'}). Hãy kiểm tra "
            "quyền ghi và chỗ trống của thư mục dữ liệu rồi chạy lại lệnh.",
            file=sys.stderr,
        )
        return EXIT_SYSTEM
    except duckdb.Error as exc:
        if is_corrupt(exc):
            print(f"Lỗi: {corrupt_message(settings.db_path())}", file=sys.stderr)
            return EXIT_CORRUPT
        print(
            "Lỗi: cơ sở dữ liệu báo lỗi, lệnh không thay đổi gì. Nếu lỗi lặp lại, chạy "
            f"'thidua rebuild' để dựng lại từ các tệp gốc. Chi tiết: {type(exc).__name__}.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu; lần nạp đang dở (nếu có) không được ghi.", file=sys.stderr)
        return 130
    except Exception as exc:  # a clerk reads a sentence, not a traceback
        print(
            "Lỗi ngoài dự kiến của chương trình, lệnh dừng lại và không ghi dở gì. Hãy gửi dòng "
            f"sau cho người quản trị: {type(exc).__name__}: {exc}",
            file=sys.stderr,
        )
        if os.environ.get("THIDUA_DEBUG"):
            raise
        return EXIT_INTERNAL
    finally:
        db.close_all()


def _run(args: argparse.Namespace) -> int:
    handlers = {
        "load": _cmd_load,
        "validate": _cmd_validate,
        "template": _cmd_template,
        "demo": _cmd_demo,
        "history": _cmd_history,
        "rebuild": _cmd_rebuild,
        "retract": _cmd_retract_restore,
        "restore": _cmd_retract_restore,
        "user": _cmd_user,
        "export": _cmd_export,
        "query": _cmd_query,
        "serve": _cmd_serve,
    }
    return handlers[args.command](args)
