"""The `thidua` command line: a thin layer over etl.load and friends (interface.md §1)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import duckdb

from etl import accounts, db, settings
from etl.load import LoadOptions, load_file, rebuild, restore, retract, validate_file
from etl.report import FileReport

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
    p.add_argument("--json", action="store_true")
    p.add_argument("files", nargs="+", type=Path)

    p = sub.add_parser("template", help="tạo mẫu trống")
    _db_arg(p)
    p.add_argument("kind", choices=["A", "A2", "B", "C", "D", "E", "G", "H"])
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
    _db_arg(q, nested=True)
    q = esub.add_parser("pack", help="bộ tài liệu họp (PowerPoint hoặc PDF)")
    q.add_argument("--year", type=int, required=True, help="năm")
    q.add_argument(
        "--cluster", action="extend", nargs="+", help="một hay nhiều cụm/khối (mặc định: tất cả)"
    )
    q.add_argument("-o", "--output", type=Path, required=True, help="tệp .pptx hoặc .pdf")
    _db_arg(q, nested=True)

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


def _print_report(report: FileReport) -> None:
    print(f"{report.file}: {STATUS_VN.get(report.status, report.status)}")
    for s in report.sheets:
        if s.kind:
            print(f'  Sheet "{s.name}": loại {s.kind}, {s.rows} dòng')
        elif s.skipped_reason:
            print(f'  Sheet "{s.name}": {s.skipped_reason}')
    for issue in report.errors:
        print(f"  LỖI  {issue.human()}")
    for issue in report.warnings:
        print(f"  CẢNH BÁO  {issue.human()}")


def _emit(reports: list[FileReport], as_json: bool) -> None:
    if as_json:
        for r in reports:
            print(json.dumps(r.as_dict(), ensure_ascii=False))
    else:
        for r in reports:
            _print_report(r)


def _cmd_load(args: argparse.Namespace) -> int:
    con = db.connect(args.db)
    options = LoadOptions(
        args.year, args.cluster, args.unit, args.period, args.user or os.environ.get("USER")
    )
    reports = []
    for f in args.files:
        if not f.exists():
            r = FileReport(file=str(f))
            r.refuse(f"Không tìm thấy tệp '{f}'.")
        else:
            r = load_file(con, f, options)
        reports.append(r)
        if r.status == "loaded":
            accounts.audit(con, options.user, "upload", f"{r.file} → lần nạp {r.import_id}")
    _emit(reports, args.json)
    return 1 if any(r.status == "refused" for r in reports) else 0


def _cmd_validate(args: argparse.Namespace) -> int:
    con = db.connect(args.db) if args.db or Path(settings.db_path()).exists() else None
    reports = []
    for f in args.files:
        if not f.exists():
            r = FileReport(file=str(f))
            r.refuse(f"Không tìm thấy tệp '{f}'.")
        else:
            r = validate_file(f, LoadOptions(), con)
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
    path = settings.db_path(args.db)
    db.close(path)
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    con = db.connect(path)
    reports = [load_file(con, f, LoadOptions(user="demo")) for f in sample_files()]
    refused = [r for r in reports if r.status == "refused"]
    for r in refused:
        _print_report(r)
    row = con.execute(
        "SELECT count(*), count(DISTINCT cluster), count(DISTINCT year) FROM v_unit_scores"
    ).fetchone() or (0, 0, 0)
    print(
        f"Đã dựng CSDL mẫu {path}: {len(reports) - len(refused)}/{len(reports)} tệp, "
        f"{row[0]} kết quả đơn vị, {row[1]} cụm/khối, {row[2]} năm."
    )
    return 1 if refused else 0


def _cmd_history(args: argparse.Namespace) -> int:
    con = db.connect(args.db)
    rows = con.execute(
        "SELECT import_id, status, loaded_at, loaded_by, rows_loaded, kinds, file_name, "
        "superseded_by FROM v_imports ORDER BY import_id"
    ).fetchall()
    print("Mã  | Trạng thái  | Thời điểm           | Người nạp | Dòng | Loại | Tệp")
    for iid, status, at, by, rows_, kinds, name, sup in rows:
        extra = f" (thay bởi {sup})" if sup else ""
        print(
            f"{iid:<3} | {status:<11} | {at:%Y-%m-%d %H:%M:%S} | {by or '':<9} | {rows_:>4} | "
            f"{kinds or '':<4} | {name}{extra}"
        )
    return 0


def _cmd_retract_restore(args: argparse.Namespace) -> int:
    con = db.connect(args.db)
    fn = retract if args.command == "retract" else restore
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
    con = db.connect(args.db)
    actor = os.environ.get("USER") or "cli"
    try:
        if args.user_command == "add":
            accounts.add_user(con, args.name, args.role, _read_password(), actor=actor)
            print(f"Đã tạo tài khoản {args.name} với vai trò {args.role}.")
        elif args.user_command == "passwd":
            accounts.set_password(con, args.name, _read_password(), actor=actor)
            print(f"Đã đổi mật khẩu của {args.name}.")
        else:
            accounts.remove_user(con, args.name, actor=actor)
            print(f"Đã xóa tài khoản {args.name}.")
    except (ValueError, KeyError, LookupError) as exc:
        print(f"Lỗi: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 1
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    path = settings.db_path(args.db).resolve()
    con = db.connect(path)
    admins = con.execute("SELECT count(*) FROM users WHERE role = 'admin'").fetchone()
    db.close(path)  # the server process opens its own connection
    if not admins or not admins[0]:
        print(
            "Chưa có tài khoản quản trị. Tạo tài khoản đầu tiên bằng:\n"
            f"  .venv/bin/thidua user add <tên> --role admin --db {path}\n"
            "(không có mật khẩu mặc định; việc xem bảng điều khiển không cần đăng nhập "
            "trừ khi đặt THIDUA_VIEW_REQUIRES_LOGIN=1)"
        )
    app = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
    env = {**os.environ, "THIDUA_DB": str(path)}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(args.port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    print(f"Bảng điều khiển: http://localhost:{args.port}")
    return subprocess.call(cmd, env=env)


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


def _cmd_export(args: argparse.Namespace) -> int:
    path = settings.db_path(getattr(args, "db", None))
    if not path.exists():  # connecting would create an empty database
        print(f"Lỗi: không có cơ sở dữ liệu '{path}'.", file=sys.stderr)
        return 1
    try:
        cur = db.cursor(path)
    except duckdb.Error as exc:
        print(
            f"Lỗi: không mở được cơ sở dữ liệu '{path}' (có thể bảng điều khiển đang mở nó): {exc}",
            file=sys.stderr,
        )
        return 1
    try:
        print(_export(args, cur))
    except ValueError as exc:  # unknown view, no data for the year, wrong file suffix
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"Lỗi: không ghi được tệp '{args.output}' (thư mục không có hoặc không được ghi): "
            f"{exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1
    finally:
        cur.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "db", None):
        os.environ["THIDUA_DB"] = str(args.db)
    handlers = {
        "load": _cmd_load,
        "validate": _cmd_validate,
        "template": _cmd_template,
        "demo": _cmd_demo,
        "history": _cmd_history,
        "retract": _cmd_retract_restore,
        "restore": _cmd_retract_restore,
        "user": _cmd_user,
        "export": _cmd_export,
        "serve": _cmd_serve,
    }
    if args.command == "rebuild":
        reports = rebuild(settings.db_path(args.db))
        refused = [r for r in reports if r.status == "refused"]
        for r in refused:
            _print_report(r)
        print(f"Đã dựng lại CSDL từ {len(reports)} tệp gốc ({len(refused)} lỗi).")
        return 1 if refused else 0
    try:
        return handlers[args.command](args)
    finally:
        db.close_all()
