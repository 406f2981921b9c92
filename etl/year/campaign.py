"""The campaign calendar entered by an administrator (beside the kind-H workbooks).

The writes only; etl.actions checks the role, wraps them in a transaction and audits them.
"""

from __future__ import annotations

from datetime import date, datetime

import duckdb

from etl.year import accounts


def add_entry(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    year: int,
    phase: str,
    theme: str | None,
    start: date,
    end: date,
    cluster: str | None = None,
) -> int:
    if not phase.strip():
        raise ValueError("Hãy ghi tên đợt thi đua.")
    if end < start:
        raise ValueError(f"Ngày kết thúc {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y}.")
    row = con.execute(
        "INSERT INTO calendar_entries (year, cluster, phase, theme, start_date, end_date, "
        "added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING entry_id",
        [
            int(year),
            cluster or None,
            phase.strip(),
            (theme or "").strip() or None,
            start,
            end,
            accounts.normalize_name(actor or ""),
            datetime.now(),
        ],
    ).fetchone()
    assert row is not None
    return int(row[0])


def remove_entry(con: duckdb.DuckDBPyConnection, entry_id: int) -> bool:
    gone = con.execute(
        "DELETE FROM calendar_entries WHERE entry_id = ? RETURNING 1", [int(entry_id)]
    ).fetchall()
    return bool(gone)
