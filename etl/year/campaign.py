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
    # max + 1 under the writer lock (DuckLake has neither sequences nor RETURNING).
    row = con.execute("SELECT coalesce(max(entry_id), 0) + 1 FROM calendar_entries").fetchone()
    assert row is not None
    con.execute(
        "INSERT INTO calendar_entries (entry_id, year, cluster, phase, theme, start_date, "
        "end_date, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            row[0],
            int(year),
            cluster or None,
            phase.strip(),
            (theme or "").strip() or None,
            start,
            end,
            accounts.normalize_name(actor or ""),
            datetime.now(),
        ],
    )
    return int(row[0])


def remove_entry(con: duckdb.DuckDBPyConnection, entry_id: int) -> bool:
    where = "WHERE entry_id = ?"
    gone = con.execute(f"SELECT 1 FROM calendar_entries {where}", [int(entry_id)]).fetchall()
    con.execute(f"DELETE FROM calendar_entries {where}", [int(entry_id)])
    return bool(gone)
