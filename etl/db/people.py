"""What people typed, kept beside the originals: accounts, the audit log, figure settings, due dates,
award-rule edits and calendar entries.

The kept workbooks and their journal (etl.originals) rebuild every load; these tables are not in
any workbook, so the database alone used to hold them and a rebuild from the journal (database
deleted or damaged, or a backup of ``originals/`` alone) lost them. After every committed write
(``etl.db.connections.writing``) they are written whole to ``<originals>/people.json``: a temporary file,
flushed to disk, then renamed over the old one, so the file is always one committed state and a
copy taken at any moment (rsync of the data folder) is whole. A rebuild takes them from the
readable database, else from this file, else from the newest snapshot that reads whole.

The file holds the scrypt hashes of the passwords, as the database does: it is created readable
by its owner only.
"""

from __future__ import annotations

import json
import os
import signal
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb

from etl import settings
from etl.db import damage
from etl.db.figure_settings import FIGURE_SETTINGS

FILE_NAME = "people.json"
VERSION = 1
# Table -> the columns kept, in the order rebuild inserts them.
TABLES: dict[str, tuple[str, ...]] = {
    "users": ("name", "role", "password_hash", "failures", "locked_until", "created_at"),
    "audit_log": ("at_time", "actor", "action", "detail"),
    "due_dates": ("year", "cluster", "period", "due_date", "set_by", "set_at"),
    "award_rules": (
        "rule_id",
        "seq",
        "award_code",
        "check_kind",
        "value",
        "applies_to",
        "fixed",
        "description",
        "basis",
        "edited_by",
        "edited_at",
    ),
    "calendar_entries": (
        "entry_id",
        "year",
        "cluster",
        "phase",
        "theme",
        "start_date",
        "end_date",
        "note",
        "added_by",
        "added_at",
    ),
    "settings": ("name", "value", "help"),
}
ORDER = {
    "users": "name",
    "audit_log": "audit_id",
    "due_dates": "year, cluster, period",
    "award_rules": "rule_id",
    "calendar_entries": "entry_id",
    "settings": "name",
}
LABELS = {
    "users": "tài khoản",
    "audit_log": "dòng nhật ký thao tác",
    "settings": "thiết lập số liệu",
    "due_dates": "hạn nộp",
    "award_rules": "quy tắc khen thưởng đã sửa",
    "calendar_entries": "mục lịch thi đua",
}


@dataclass
class People:
    """The rows of each table (tuples in the column order of TABLES) and where they came from."""

    source: str  # "database", "file", "snapshot" or "none"
    rows: dict[str, list[tuple]] = field(default_factory=dict)

    def count(self, table: str) -> int:
        rows = self.rows.get(table, [])
        if table == "award_rules":  # the shipped rules come back anyway: count the edits
            edited = TABLES["award_rules"].index("edited_by")
            return sum(1 for r in rows if r[edited])
        return len(rows)

    def summary(self) -> str:
        return ", ".join(f"{self.count(t)} {LABELS[t]}" for t in LABELS)


def path_of(db_file: Path) -> Path:
    return settings.originals_dir(Path(db_file)) / FILE_NAME


def read_tables(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """The people tables of a database (missing tables are empty)."""
    present = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    out: dict[str, list[tuple]] = {}
    for table, columns in TABLES.items():
        if table not in present:
            out[table] = []
            continue
        have = {
            r[0]
            for r in con.execute(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = ?", [table]
            ).fetchall()
        }
        cols = ", ".join(c if c in have else "NULL" for c in columns)
        order = f" ORDER BY {ORDER[table]}" if table in ORDER else ""
        where = ""
        params: list[Any] = []
        if table == "settings":  # the schema signature is the program's, not people's
            where, params = " WHERE list_contains(?, name)", [list(FIGURE_SETTINGS)]
        out[table] = [
            tuple(r)
            for r in con.execute(f"SELECT {cols} FROM {table}{where}{order}", params).fetchall()
        ]
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def save(con: duckdb.DuckDBPyConnection, db_file: Path) -> bool:
    """Write the people tables of ``con`` beside the originals; False when nothing changed."""
    tables = read_tables(con)
    doc = {
        "version": VERSION,
        "tables": {
            t: {"columns": list(TABLES[t]), "rows": [[_jsonable(v) for v in r] for r in rows]}
            for t, rows in tables.items()
        },
    }
    data = json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")
    target = path_of(db_file)
    try:
        if target.read_bytes() == data:
            return False
    except OSError:
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=".people.", suffix=".part")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if os.environ.get("THIDUA_FAULT_POINT") == "people_written":  # fault-injection tests
            os.kill(os.getpid(), signal.SIGKILL)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def _parse(value: Any, column: str) -> Any:
    if isinstance(value, str) and (column.endswith(("_at", "_time")) or column == "locked_until"):
        return datetime.fromisoformat(value)
    if isinstance(value, str) and column in ("due_date", "start_date", "end_date"):
        return date.fromisoformat(value)
    return value


def load_file(db_file: Path) -> People | None:
    """The people tables as last saved beside the originals; None when there is no usable file."""
    try:
        doc = json.loads(path_of(db_file).read_text(encoding="utf-8"))
        if doc.get("version") != VERSION:
            return None
        rows: dict[str, list[tuple]] = {}
        for table, columns in TABLES.items():
            stored = doc["tables"].get(table, {"columns": list(columns), "rows": []})
            index = {c: i for i, c in enumerate(stored["columns"])}
            rows[table] = [
                tuple(_parse(r[index[c]], c) if c in index else None for c in columns)
                for r in stored["rows"]
            ]
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None
    return People("file", rows)


def from_snapshot(snapshot: Path | None) -> People | None:
    """The people tables of a read snapshot that reads whole; None otherwise."""
    if snapshot is None or not snapshot.exists():
        return None
    try:
        con = duckdb.connect(str(snapshot), read_only=True)
    except duckdb.Error:
        return None
    try:
        damage.scan(con)
        return People("snapshot", read_tables(con))
    except duckdb.Error:
        return None
    finally:
        con.close()
