"""Checking a database file before anything is published from it.

(Telling a busy file, a damaged block and a full disk apart from DuckDB's error text is
etl.errors: is_lock_conflict, is_corrupt, is_disk_full.)

A damaged 4 KiB inside a table's block is only noticed when that block is read, and a write may
succeed without reading it. :func:`scan` therefore reads every column of every table (DuckDB
checks each block's checksum as it reads it): a read snapshot is published only after its copy
passed the scan, so a damaged main file never becomes what the dashboard shows.
"""

from __future__ import annotations

import duckdb


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
