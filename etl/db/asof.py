"""The data as it was at a moment (interface.md §1 ``--as-of``): ``2026-12-20``, ``2026-12-20T09:00``
or ``import:N`` (just after load N), so the meeting of 20/12 can be shown again after later
corrections.

One rule for both storages: a read-only, in-memory DuckDB attaches the current data (the embedded
read snapshot, or the national lake) as ``src``, sees every table of it through a view, except
``imports``, which it computes as of the moment from the loads' times and the audit trail of
retracts and restores (etl/db/sql/asof.sql), and ``settings``, whose "today" becomes the moment's
day; then it runs the same view SQL as the stored views (etl/sql/*.sql without their tables). A
load after the moment, a later retract or restore, and a later supersession all disappear.
Administrators' edits (due dates, award rules, calendar entries) show as they are now. The audit
trail records whole seconds, so a retract or restore in the same second as the moment counts as
before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import duckdb

from etl import settings
from etl.db import lake
from etl.db.connections import read_only, reader_of
from etl.db.migrations import SCHEMA_FILES, _sql
from etl.errors import NotFound, Refused

# A statement of the schema files that makes a table (the as-of database sees src's instead).
_TABLE = re.compile(r"^(\s*--[^\n]*\n)*\s*CREATE\s+(TABLE|SEQUENCE)\b", re.IGNORECASE)


class BadMoment(Refused):
    """``WHEN`` cannot be read, or names no load; the message is Vietnamese."""


@dataclass(frozen=True)
class Moment:
    text: str
    at: datetime | None = None  # a date-time given, or the time of load ``upto``
    upto: int | None = None  # import:N

    def label(self) -> str:
        if self.upto is not None:
            return f"ngay sau lần nạp số {self.upto}"
        assert self.at is not None
        return f"lúc {self.at:%H:%M ngày %d/%m/%Y}"


def parse(text: str) -> Moment:
    """``import:N``, a date (the end of that day) or a date-time."""
    raw = text.strip()
    found = re.fullmatch(r"import:(\d+)", raw, re.IGNORECASE)
    if found:
        return Moment(raw, upto=int(found.group(1)))
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            return Moment(raw, at=datetime.combine(date.fromisoformat(raw), time.max))
        return Moment(raw, at=datetime.fromisoformat(raw))
    except ValueError:
        raise BadMoment(
            f"Không hiểu thời điểm '{text}': hãy ghi ngày (2026-12-20), ngày giờ "
            "(2026-12-20T09:00) hoặc import:N (ngay sau lần nạp số N)."
        ) from None


def connect(moment: Moment) -> duckdb.DuckDBPyConnection:
    """A new connection whose views show the data at ``moment`` (nothing in it is written back:
    the source is attached read-only)."""
    con = duckdb.connect(config=lake.config() if lake.enabled() else {})
    try:
        if lake.enabled():
            lake.attach(con, name="src", read_only=True)
        else:
            snapshot, _ = reader_of()
            quoted = "'" + str(snapshot).replace("'", "''") + "'"  # ATTACH takes no parameters
            con.execute(f"ATTACH {quoted} AS src (READ_ONLY)")
        _build(con, moment)
    except BaseException:
        con.close()
        raise
    return con


def reading(when: str | None, db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection for a query or an export: as of ``when`` (``--as-of``), else now.
    The caller closes it."""
    path = settings.db_path(str(db) if db else None)
    if not lake.enabled() and not path.exists():  # connecting would create an empty database
        raise NotFound(f"không có cơ sở dữ liệu '{path}'.")
    return connect(parse(when)) if when else read_only(path)


def _build(con: duckdb.DuckDBPyConnection, moment: Moment) -> None:
    at, upto = moment.at, moment.upto
    if upto is not None:
        row = con.execute(
            "SELECT loaded_at FROM src.main.imports WHERE import_id = ?", [upto]
        ).fetchone()
        if row is None:
            raise BadMoment(f"Không có lần nạp số {upto}.")
        at = row[0]
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'src' "
            "AND schema_name = 'main'"
        ).fetchall()
    ]
    for table in tables:
        if table not in ("imports", "settings"):
            con.execute(f'CREATE VIEW main."{table}" AS SELECT * FROM src.main."{table}"')
    # Submissions are judged as of the moment's day (a moment still to come is now).
    day = str(at.date()) if at and at < datetime.now() else None
    con.execute(
        "CREATE TABLE main.settings AS SELECT name, CASE WHEN name = 'today' AND ? IS NOT NULL "
        "THEN ? ELSE value END AS value, help FROM src.main.settings",
        [day, day],
    )
    con.execute(
        "CREATE TABLE main.imports AS " + _sql("asof.sql"),
        {"at": at, "upto": upto},
    )
    for name in SCHEMA_FILES:
        for statement in duckdb.extract_statements(_sql(name)):
            if not _TABLE.match(statement.query):
                con.execute(statement.query)
    con.execute("USE memory")
