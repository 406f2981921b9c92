"""Bringing a database file up to this version: schema, views, settings and shipped seeds.

Run by every read-write open; skipped when the file's stored signature is already current.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from importlib import resources

import duckdb

from etl.db import figure_settings, seeds
from etl.db.transactions import transaction

SCHEMA_FILES = ("schema.sql", "views.sql", "framework.sql", "year.sql")


def _sql(name: str) -> str:
    return resources.files("etl.db.sql").joinpath(name).read_text(encoding="utf-8")


def _schema_signature() -> str:
    """What a read-write open must bring the file up to: the SQL and the shipped seeds.

    Not the environment: settings that change a figure are data in the file
    (etl.db.figure_settings), which the environment only seeds.
    """
    digest = hashlib.sha256()
    for name in SCHEMA_FILES:
        digest.update(_sql(name).encode())
    digest.update(seeds.reference_sha().encode())
    digest.update(seeds.awards_sha().encode())
    return digest.hexdigest()


def apply_schema(con: duckdb.DuckDBPyConnection, ddl: Callable[[str], str] = str) -> None:
    for name in SCHEMA_FILES:
        con.execute(ddl(_sql(name)))
    store_settings(con)


def store_settings(con: duckdb.DuckDBPyConnection) -> None:
    """Seed the settings the views depend on where the file holds none (never overwrite)."""
    figure_settings.seed(con)


def _stored_signature(con: duckdb.DuckDBPyConnection) -> str | None:
    # Ask the catalog first: a missing table would make DuckDB look for a Python variable.
    exists = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'settings'"
    ).fetchone()
    if not exists or not exists[0]:
        return None
    row = con.execute("SELECT value FROM main.settings WHERE name = '_schema'").fetchone()
    return row[0] if row else None


def is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the file of ``con`` carries this program's schema (migrate would do nothing)."""
    return _stored_signature(con) == _schema_signature()


def migrate(con: duckdb.DuckDBPyConnection, ddl: Callable[[str], str] = str) -> None:
    """Schema, views, settings and reference data, skipped when the file is already current."""
    signature = _schema_signature()
    if _stored_signature(con) == signature:
        return
    with transaction(con):  # one commit: on DuckLake each commit is a catalog round trip
        apply_schema(con, ddl)
    seeds.ensure_reference(con)
    seeds.ensure_awards(con)
    con.execute("DELETE FROM settings WHERE name = '_schema'")
    con.execute(
        "INSERT INTO settings (name, value, help) VALUES ('_schema', ?, ?)",
        [signature, "Dấu của lược đồ và thiết lập đã áp dụng (do chương trình ghi)."],
    )
