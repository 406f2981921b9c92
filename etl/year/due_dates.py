"""Due dates of the reports an administrator sets per cluster, year and period (workbooks.md §8).

The writes only; etl.actions checks the role, wraps them in a transaction and audits them.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb

from etl.kinds.submissions import PERIODS
from etl.year import accounts


def set_due_date(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    year: int,
    cluster: str,
    period: str,
    due: date,
) -> None:
    """Set the due date of a cluster's report (etl.actions checks the role and audits)."""
    if period not in PERIODS:
        raise ValueError(f"Kỳ báo cáo '{period}' không hợp lệ.")
    con.execute(
        "DELETE FROM due_dates WHERE year = ? AND cluster = ? AND period = ?",
        [int(year), cluster, period],
    )
    con.execute(
        "INSERT INTO due_dates (year, cluster, period, due_date, set_by, set_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [int(year), cluster, period, due, accounts.normalize_name(actor or ""), datetime.now()],
    )


def clear_due_date(con: duckdb.DuckDBPyConnection, year: int, cluster: str, period: str) -> bool:
    """Back to the default (and, for a quarter, no longer due unless reported)."""
    # No RETURNING: DuckLake does not support it.
    where = "WHERE year = ? AND cluster = ? AND period = ?"
    found = con.execute(f"SELECT 1 FROM due_dates {where}", [int(year), cluster, period]).fetchall()
    con.execute(f"DELETE FROM due_dates {where}", [int(year), cluster, period])
    return bool(found)
