"""Telling DuckDB's errors apart, and checking a database file before anything is published from it.

DuckDB reports a busy file, a damaged block and a full disk all as ``IOException`` or plain
``duckdb.Error``; only the text differs. A damaged block says "…in block at location…", which
contains "lock": a busy file is recognised by DuckDB's own lock sentence, never by a substring.

A damaged 4 KiB inside a table's block is only noticed when that block is read, and a write may
succeed without reading it. :func:`scan` therefore reads every column of every table (DuckDB
checks each block's checksum as it reads it): a read snapshot is published only after its copy
passed the scan, so a damaged main file never becomes what the dashboard shows.
"""

from __future__ import annotations

import errno
import re

import duckdb

_LOCK = re.compile(r"could not set lock on file|conflicting lock is held", re.I)
_CORRUPT_SIGNS = (
    "not a valid duckdb database",
    "could not read enough bytes",
    "corrupt",
    "checksum",
    "serialization",
    "invalid wal",
    "failed to deserialize",
    "in block at location",
)
_DISK_FULL_SIGNS = ("no space left on device", "disk is full", "not enough space")


def is_lock_conflict(exc: BaseException) -> bool:
    """Another process holds the file open (DuckDB's file lock)."""
    return bool(_LOCK.search(str(exc)))


def is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    text = str(exc).lower()
    return any(sign in text for sign in _DISK_FULL_SIGNS)


def is_corrupt(exc: BaseException) -> bool:
    """Whether a DuckDB error on opening or reading a database means the file is damaged (not
    merely locked by another process, unreadable for lack of rights, or the disk full)."""
    if not isinstance(exc, duckdb.Error) or is_lock_conflict(exc) or is_disk_full(exc):
        return False
    text = str(exc).lower()
    if "permission denied" in text:
        return False
    return any(sign in text for sign in _CORRUPT_SIGNS)


def scan(con: duckdb.DuckDBPyConnection) -> int:
    """Read every column of every table of ``con``'s database; the number of tables read.

    Raises the ``duckdb.Error`` of the first damaged block.
    """
    tables = con.execute(
        "SELECT schema_name, table_name FROM duckdb_tables() "
        "WHERE database_name = current_database() AND NOT temporary"
    ).fetchall()
    for schema, table in tables:
        name = '"' + schema.replace('"', '""') + '"."' + table.replace('"', '""') + '"'
        con.execute(f"SELECT count(*), bit_xor(hash(COLUMNS(*))) FROM {name}").fetchall()
    return len(tables)


def check_file(path: str) -> None:
    """Open ``path`` read-only and :func:`scan` it; raises the ``duckdb.Error`` of the damage."""
    con = duckdb.connect(path, read_only=True)
    try:
        scan(con)
    finally:
        con.close()
