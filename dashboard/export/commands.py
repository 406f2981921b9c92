"""The `thidua export …` commands, registered with the command line through the entry point
group ``thidua.commands`` (pyproject.toml): the exports are the dashboard's code, and the
command line never imports the dashboard."""

from __future__ import annotations

import argparse
import errno
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from etl.cli import as_of_arg
from etl.db import asof
from etl.errors import Refused


def register(sub: Any, db_arg: Callable[..., None]) -> None:
    """Add `export table` and `export pack` to the command line's subcommands ``sub``."""
    p = sub.add_parser("export", help="xuất bảng Excel hoặc bộ tài liệu họp")
    db_arg(p)
    p.set_defaults(func=run)
    esub = p.add_subparsers(dest="export_command", required=True, parser_class=type(p))
    q = esub.add_parser("table", help="một view thành bảng Excel có định dạng")
    q.add_argument("view", help="tên view, ví dụ v_unit_scores")
    q.add_argument("-o", "--output", type=Path, required=True, help="tệp .xlsx")
    q.add_argument("--year", type=int, help="chỉ lấy năm này")
    q.add_argument("--cluster", help="chỉ lấy cụm/khối thi đua này")
    q.add_argument("--unit", help="chỉ lấy đơn vị này")
    q.add_argument("--period", help="chỉ lấy kỳ này: year, H1, Q1..Q4")
    as_of_arg(q)
    db_arg(q, nested=True)
    q = esub.add_parser("pack", help="bộ tài liệu họp (PowerPoint hoặc PDF)")
    q.add_argument("--year", type=int, required=True, help="năm")
    q.add_argument(
        "--cluster", action="extend", nargs="+", help="một hay nhiều cụm/khối (mặc định: tất cả)"
    )
    q.add_argument("-o", "--output", type=Path, required=True, help="tệp .pptx hoặc .pdf")
    as_of_arg(q)
    db_arg(q, nested=True)


def _export(args: argparse.Namespace, cur: duckdb.DuckDBPyConnection) -> str:
    """Write the export; the line that says what was written."""
    if args.export_command == "table":
        from dashboard.export.tables import write_view

        filters = {k: getattr(args, k) for k in ("year", "cluster", "unit", "period")}
        rows = write_view(cur, args.view, args.output, **filters)
        return f"Đã xuất {rows} dòng của {args.view} vào {args.output}."
    from dashboard.export.pack import write_pack

    pages = write_pack(cur, args.year, args.cluster, args.output)
    what = "trang chiếu" if args.output.suffix.lower() == ".pptx" else "trang"
    return f"Đã tạo bộ tài liệu họp năm {args.year}: {args.output} ({pages} {what})."


def run(args: argparse.Namespace) -> int:
    if args.export_command == "pack" and args.output.suffix.lower() == ".pdf":
        # Chromium starts first: it loads while the database opens and the pack is built.
        from dashboard.export import render

        render.start(tabs=1)  # one pack, then the command ends
    cur = asof.reading(args.as_of, getattr(args, "db", None))
    try:
        print(_export(args, cur))
    except ValueError as exc:  # unknown view, no data for the year, wrong file suffix
        raise Refused(str(exc)) from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise
        raise Refused(
            f"không ghi được tệp '{args.output}' (thư mục không có hoặc không được ghi): "
            f"{exc.strerror or exc}"
        ) from exc
    finally:
        cur.close()
    return 0
