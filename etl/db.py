"""The one place that opens DuckDB.

DuckDB allows one read-write connection per database file and process; every caller in this
process shares it and takes its own cursor (one per session or thread). The schema and views are
(re)applied whenever the broker opens a file read-write, so an old database is migrated in place.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from etl import settings

_lock = threading.Lock()
_connections: dict[Path, duckdb.DuckDBPyConnection] = {}

SCHEMA_FILES = ("schema.sql", "views.sql", "year.sql")


def _sql(name: str) -> str:
    return resources.files("etl.sql").joinpath(name).read_text(encoding="utf-8")


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    for name in SCHEMA_FILES:
        con.execute(_sql(name))
    store_settings(con)


def store_settings(con: duckdb.DuckDBPyConnection) -> None:
    """Copy the settings the views depend on into the database."""
    rows = [(s.name, str(settings.get(s.name)), s.help) for s in settings.SETTINGS]
    con.executemany("INSERT OR REPLACE INTO settings (name, value, help) VALUES (?, ?, ?)", rows)


def connect(db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """The process-wide read-write connection to ``db`` (created and migrated on first use)."""
    path = settings.db_path(str(db) if db else None).resolve()
    with _lock:
        con = _connections.get(path)
        if con is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            con = duckdb.connect(str(path))
            apply_schema(con)
            from etl.reference import ensure_reference  # the reference loader needs this module

            ensure_reference(con)
            from etl.awards import ensure_awards

            ensure_awards(con)
            _connections[path] = con
        return con


def cursor(db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A cursor of the shared connection: give one to each session or thread."""
    return connect(db).cursor()


def close(db: str | Path | None = None) -> None:
    path = settings.db_path(str(db) if db else None).resolve()
    with _lock:
        con = _connections.pop(path, None)
    if con is not None:
        con.close()


def close_all() -> None:
    with _lock:
        cons = list(_connections.values())
        _connections.clear()
    for con in cons:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit when the block ends normally, roll back on any exception."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
