"""``thidua query``: one read-only SQL statement over the views, on either storage (interface.md
§1). Only a single SELECT runs: a statement that would write (INSERT, CREATE, COPY, ATTACH…) is
refused before it reaches the database, with a Vietnamese message."""

from __future__ import annotations

from typing import Any

import duckdb

from etl.errors import Refused, damaged_data_file, data_file_error


class QueryRefused(Refused):
    """The statement is not one read-only SELECT, or it failed; the message is Vietnamese."""


def check(sql: str) -> str:
    """The one SELECT statement of ``sql``, or :class:`QueryRefused`."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise QueryRefused(f"Câu truy vấn sai cú pháp: {_first_line(exc)}") from None
    if len(statements) != 1:
        raise QueryRefused(
            f"Lệnh thidua query chạy đúng một câu lệnh SQL (đã cho {len(statements)})."
        )
    (statement,) = statements
    if statement.type != duckdb.StatementType.SELECT:
        raise QueryRefused(
            "Lệnh thidua query chỉ đọc dữ liệu: chỉ chạy câu SELECT, không ghi gì vào CSDL "
            f"(câu lệnh đã cho là {statement.type.name})."
        )
    return statement.query


def run(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of the one SELECT in ``sql``."""
    query = check(sql)
    try:
        cur = con.execute(query)
        rows = cur.fetchall()
    except duckdb.Error as exc:
        data_file = damaged_data_file(exc)
        if data_file is not None:  # not the statement's fault: say which file, exit 5
            raise data_file_error(data_file) from None
        raise QueryRefused(f"Câu truy vấn không chạy được: {_first_line(exc)}") from None
    return [d[0] for d in cur.description or []], rows


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
