"""The `thidua` command line: a thin layer over etl.actions and friends (interface.md §1).

Each command parses its arguments, opens the database and calls one library function. Commands
of other parts of the program (the dashboard's exports) are registered through the entry point
group ``thidua.commands``: the command line never imports the dashboard.
"""

from __future__ import annotations

import argparse
import csv
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

# What every command needs. The rest (the readers, the kinds, the loader) is imported by the
# commands that use it: `thidua serve` hands over to the server within 0.3 s of CPU, not 0.6.
from etl import db, errors, settings
from etl.db import lake
from etl.errors import (
    EXIT_BUSY,
    EXIT_CORRUPT,
    EXIT_DISK_FULL,
    EXIT_NOT_WRITTEN,
    EXIT_REBUILD_INCOMPLETE,
    EXIT_SYSTEM,
)

if TYPE_CHECKING:
    from etl.report import FileReport

__all__ = [
    "EXIT_BUSY",
    "EXIT_CORRUPT",
    "EXIT_DISK_FULL",
    "EXIT_NOT_WRITTEN",
    "EXIT_REBUILD_INCOMPLETE",
    "EXIT_SYSTEM",
    "build_parser",
    "main",
]
COMMANDS_GROUP = "thidua.commands"

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "data" / "samples"
STATUS_VN = {
    "loaded": "đã nạp",
    "already_loaded": "đã nạp từ trước — không thay đổi gì",
    "refused": "BỊ TỪ CHỐI — không nạp gì từ tệp này",
    "valid": "hợp lệ",
}


# argparse writes its own words in English: the few a user meets, in Vietnamese.
_ARGPARSE_VI = (
    ("usage: ", "cách dùng: "),
    ("positional arguments:", "đối số:"),
    ("options:", "tùy chọn:"),
    ("show this help message and exit", "hiện trợ giúp này rồi thoát"),
    ("the following arguments are required:", "thiếu đối số bắt buộc:"),
    ("unrecognized arguments:", "đối số không nhận ra:"),
    ("invalid choice:", "lựa chọn không hợp lệ:"),
    ("(choose from", "(chọn một trong"),
    ("expected at least one argument", "cần ít nhất một giá trị"),
    ("expected one argument", "cần đúng một giá trị"),
    ("invalid int value:", "không phải số nguyên:"),
    ("not allowed with argument", "không dùng cùng với đối số"),
    ("argument ", "đối số "),
)


def _vi(text: str) -> str:
    for english, vietnamese in _ARGPARSE_VI:
        text = text.replace(english, vietnamese)
    return text


class _Parser(argparse.ArgumentParser):
    def format_usage(self) -> str:
        return _vi(super().format_usage())

    def format_help(self) -> str:
        return _vi(super().format_help())

    def error(self, message: str) -> NoReturn:  # exit status 2 on bad usage, in Vietnamese
        self.print_usage(sys.stderr)
        self.exit(2, f"thidua: lỗi cú pháp lệnh: {_vi(message)}\n")


class _KindCodes(Sequence[str]):
    """The kind codes `template` accepts, asked of the registry only when a command names a kind
    or shows its help: the registry imports every kind's parser."""

    @staticmethod
    def _codes() -> tuple[str, ...]:
        from etl.kinds.registry import CODES

        return CODES

    def __getitem__(self, index: Any) -> Any:
        return self._codes()[index]

    def __len__(self) -> int:
        return len(self._codes())


def db_arg(p: argparse.ArgumentParser, nested: bool = False) -> None:
    """Every command takes --db; a nested subcommand ("user add") keeps one given before it."""
    help_ = "tệp DuckDB (mặc định data/thidua.duckdb hoặc biến THIDUA_DB)"
    if nested:  # a nested subcommand ("user add") must not reset a --db given before it
        p.add_argument("--db", help=help_, default=argparse.SUPPRESS)
    else:
        p.add_argument("--db", help=help_)


def as_of_arg(p: argparse.ArgumentParser) -> None:
    """``--as-of WHEN`` of the reading commands (query, the exports)."""
    p.add_argument(
        "--as-of",
        metavar="WHEN",
        help="số liệu như tại thời điểm: 2026-12-20 (cuối ngày), 2026-12-20T09:00 hoặc import:N "
        "(ngay sau lần nạp số N)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="thidua", description="Thi đua – khen thưởng: nạp bảng Excel vào DuckDB.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("load", help="kiểm tra và nạp tệp")
    db_arg(p)
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
    p.set_defaults(func=_cmd_load)

    p = sub.add_parser("validate", help="chỉ kiểm tra, không ghi gì")
    db_arg(p)
    for opt, help_ in (
        ("--year", "năm"),
        ("--cluster", "cụm/khối thi đua"),
        ("--unit", "đơn vị"),
        ("--period", "kỳ: year, H1, Q1..Q4"),
    ):
        p.add_argument(opt, type=int if opt == "--year" else str, help=help_ + " khi tệp không ghi")
    p.add_argument("--json", action="store_true")
    p.add_argument("files", nargs="+", type=Path)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("template", help="tạo mẫu trống")
    db_arg(p)
    p.add_argument("kind", choices=_KindCodes(), metavar="LOẠI", help="loại bảng: %(choices)s")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(func=_cmd_template)

    for name, help_, func in (
        ("demo", "dựng CSDL mẫu từ data/samples", _cmd_demo),
        ("rebuild", "dựng lại CSDL từ các tệp gốc đã lưu", _cmd_rebuild),
        ("history", "liệt kê các lần nạp", _cmd_history),
        ("serve", "chạy bảng điều khiển", _cmd_serve),
    ):
        p = sub.add_parser(name, help=help_)
        p.set_defaults(func=func)
        db_arg(p)
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
        db_arg(p)
        p.add_argument("import_id", type=int)
        p.add_argument("--user")
        p.set_defaults(func=_cmd_retract_restore)

    p = sub.add_parser("setting", help="xem, đặt thiết lập làm thay đổi số liệu (quản trị viên)")
    db_arg(p)
    p.set_defaults(func=_cmd_setting)
    ssub = p.add_subparsers(dest="setting_command", required=True, parser_class=_Parser)
    q = ssub.add_parser("list", help="các thiết lập số liệu trong CSDL")
    db_arg(q, nested=True)
    q = ssub.add_parser("set", help="đặt một thiết lập (ghi nhật ký thao tác)")
    q.add_argument("name", help="ví dụ class_excellent_pct, tie_break, today")
    q.add_argument("value")
    q.add_argument("--user", help="tài khoản quản trị thực hiện (mặc định: biến USER)")
    db_arg(q, nested=True)

    p = sub.add_parser("user", help="quản lý tài khoản")
    db_arg(p)
    p.set_defaults(func=_cmd_user)
    usub = p.add_subparsers(dest="user_command", required=True, parser_class=_Parser)
    q = usub.add_parser("add")
    q.add_argument("name")
    q.add_argument("--role", choices=["viewer", "uploader", "admin"], required=True)
    db_arg(q, nested=True)
    for name in ("passwd", "remove"):
        q = usub.add_parser(name)
        q.add_argument("name")
        db_arg(q, nested=True)
    p = sub.add_parser("query", help="chạy một câu SELECT (chỉ đọc) trên các view")
    db_arg(p)
    p.add_argument("sql", help='một câu SELECT, ví dụ "SELECT * FROM v_unit_scores"')
    as_of_arg(p)
    shape = p.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="in một mảng JSON các đối tượng")
    shape.add_argument("--csv", action="store_true", help="in CSV có dòng tiêu đề")
    p.set_defaults(func=_cmd_query)
    for command in entry_points(group=COMMANDS_GROUP):
        command.load()(sub, db_arg)
    return parser


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
    from etl import actions
    from etl.load import LoadOptions
    from etl.load.loader import prepare

    options = LoadOptions(
        args.year, args.cluster, args.unit, args.period, args.user or os.environ.get("USER")
    )
    reports = []
    for f in args.files:
        # Read and checked outside the writer lock, from the read snapshot: a file that takes
        # long to read holds up no other load and no page.
        prepared = prepare(f, options, db.read_cursor(args.db)) if f.exists() else None
        if prepared is not None and prepared.report.status == "refused":
            reports.append(prepared.report)
            continue
        # One file, one turn at the writer: other writers (the dashboard) go in between.
        with db.writing(args.db) as con:
            reports.append(
                actions.load(con, options.user, f, options, terminal=True, prepared=prepared)
            )
    _emit(reports, args.json)
    return 1 if any(r.status == "refused" for r in reports) else 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from etl import actions
    from etl.load import LoadOptions, validate_file

    has_db = args.db or Path(settings.db_path()).exists()
    con = db.read_cursor(args.db) if has_db else None
    reports = []
    for f in args.files:
        if not f.exists():
            r = actions.missing_file(f)
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
    from etl.load import LoadOptions, load_file

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
        db.close(path)
        db.publish(path)  # nested in the lock above, writing() left the publishing to us
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
    from etl import actions

    act = actions.retract_load if args.command == "retract" else actions.restore_load
    with db.writing(args.db) as con:
        ok = act(con, args.user or os.environ.get("USER"), args.import_id, terminal=True)
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
    from etl import actions

    actor = os.environ.get("USER") or "cli"
    # A damaged or busy database is reported before anyone types a password, and the
    # password is asked outside the writer lock: nobody waits on a typist.
    with db.write_lock(args.db):
        db.connect(args.db)  # opens (and migrates) the file, or says it is damaged
        db.close(args.db)
    password = _read_password() if args.user_command in ("add", "passwd") else ""
    with db.writing(args.db) as con:
        if args.user_command == "add":
            actions.add_user(con, actor, args.name, args.role, password, terminal=True)
            print(f"Đã tạo tài khoản {args.name} với vai trò {args.role}.")
        elif args.user_command == "passwd":
            actions.set_password(con, actor, args.name, password, terminal=True)
            print(f"Đã đổi mật khẩu của {args.name}.")
        else:
            actions.remove_user(con, actor, args.name, terminal=True)
            print(f"Đã xóa tài khoản {args.name}.")
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
        # The server refuses what the upload page says it refuses (dashboard.server.upload_guard).
        "--server.maxUploadSize",
        str(settings.get("max_upload_mb")),
    ]


def _cmd_serve(args: argparse.Namespace) -> int:
    path = db.main_path(args.db)
    if not db.settled(path):  # a start that finds nothing to do takes no lock and copies nothing
        with db.writing(path):  # migrates an older file and publishes a current snapshot
            pass
    con = db.read_only(path)
    try:
        admins = con.execute("SELECT count(*) FROM users WHERE role = 'admin'").fetchone()
    finally:
        con.close()
    if not admins or not admins[0]:
        print(
            "Chưa có tài khoản quản trị. Tạo tài khoản đầu tiên bằng:\n"
            f"  .venv/bin/thidua user add <tên> --role admin --db {path}\n"
            "(không có mật khẩu mặc định; việc xem bảng điều khiển không cần đăng nhập "
            "trừ khi đặt THIDUA_VIEW_REQUIRES_LOGIN=1)"
        )
    app = Path(__file__).resolve().parents[1] / "dashboard" / "app.py"
    os.environ["THIDUA_DB"] = str(path)
    # dashboard.server.serve: Streamlit, with the heavy imports and the pages warmed at start.
    cmd = [
        sys.executable,
        "-m",
        "dashboard.server.serve",
        "run",
        str(app),
        *_server_flags(args.port),
    ]
    print(f"Bảng điều khiển: http://localhost:{args.port}", flush=True)
    db.close_all()
    # The server replaces this process: SIGTERM or Ctrl+C reach Streamlit itself, and no child
    # is left behind holding files.
    os.execv(sys.executable, cmd)


def _cmd_template(args: argparse.Namespace) -> int:
    from etl.kinds.registry import write_template

    path = write_template(args.kind, args.output)
    print(f"Đã tạo mẫu loại {args.kind}: {path}")
    return 0


def _cmd_setting(args: argparse.Namespace) -> int:
    from etl import actions
    from etl.db import figure_settings

    if args.setting_command == "list":
        for item in figure_settings.listing(db.read_cursor(args.db)):
            print(f"{item['name']} = {item['value']!s:<10} {item['help']}")
            if item["ignored_env"] is not None:
                print(
                    f"  (THIDUA_{item['name'].upper()}={item['ignored_env']} không có tác dụng: "
                    "biến môi trường chỉ đặt giá trị ban đầu khi tạo CSDL)"
                )
        return 0
    actor = args.user or os.environ.get("USER") or "cli"
    with db.writing(args.db) as con:
        value = actions.set_setting(con, actor, args.name, args.value)
    print(f"Đã đặt {args.name} = {value} (ghi nhật ký thao tác).")
    return 0


def _cmd_query(args: argparse.Namespace) -> int:
    from etl.db import asof, query

    query.check(args.sql)  # refused before anything is opened
    con = asof.reading(args.as_of, args.db)
    try:
        names, rows = query.run(con, args.sql)
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


def _cmd_rebuild(args: argparse.Namespace) -> int:
    from etl.load.rebuild import PEOPLE_SOURCES, rebuild

    if lake.enabled():
        raise errors.Refused(
            "triển khai toàn quốc (THIDUA_CATALOG) không dựng lại từ bản gốc: danh mục "
            "PostgreSQL và thư mục dữ liệu dùng chung được sao lưu và khôi phục bằng pg_dump / "
            'pg_restore cùng bản chép THIDUA_DATA_PATH (README, "Triển khai toàn quốc").'
        )
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
    if result.in_flight:
        print(
            f"CHÚ Ý: {len(result.in_flight)} lần nạp có trong CSDL nhưng chưa có bản gốc và dòng "
            "nhật ký nào (đang nạp dở đúng lúc thư mục dữ liệu được chép, ví dụ rsync chép "
            "originals/ trước): " + ", ".join(result.in_flight) + ". Chúng không được dựng lại; "
            "CSDL cũ được giữ thành tệp .bak; hãy nạp lại các tệp đó."
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
    if result.people is not None and result.people.source != "none":
        print(f"Giữ lại (từ {PEOPLE_SOURCES[result.people.source]}): {result.people.summary()}.")
    else:
        print(
            "Không tìm thấy tài khoản, nhật ký thao tác, thiết lập số liệu, hạn nộp, quy tắc "
            "khen thưởng đã sửa hay lịch thi đua nào để giữ (không có CSDL đọc được, tệp "
            "people.json hay bản đọc): hãy tạo lại tài khoản bằng 'thidua user add <tên> --role "
            "admin'."
        )
    print(f"Đã dựng lại CSDL {path}.")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "db", None):
        os.environ["THIDUA_DB"] = str(args.db)
    command: Callable[[argparse.Namespace], int] = args.func
    try:
        return command(args)
    except BaseException as exc:  # a clerk reads a sentence, not a traceback
        if isinstance(exc, SystemExit):
            raise
        failure = errors.describe(exc, settings.db_path())
        print(f"Lỗi: {failure.message}", file=sys.stderr)
        if os.environ.get("THIDUA_DEBUG") and failure.exit_code == errors.EXIT_INTERNAL:
            raise
        return failure.exit_code
    finally:
        db.close_all()
