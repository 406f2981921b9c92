"""Writing a validated load: the import row, its scopes and its data rows."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import polars as pl

from etl.db.transactions import quote_ident
from etl.read.text import fold

# Column types of the data tables, so that an all-null column still inserts with the right type.
_TYPES = {
    "year": pl.Int32,
    "seq": pl.Int32,
    "parent_seq": pl.Int32,
    "level": pl.Int32,
    "file_rank": pl.Int32,
    "source_row": pl.Int32,
    "voted_leading": pl.Boolean,
    "met": pl.Boolean,
    "doc_date": pl.Date,
    "start_date": pl.Date,
    "end_date": pl.Date,
}
_FLOATS = {
    "max_score",
    "self_score",
    "assessed_score",
    "bonus",
    "deduction",
    "total_score",
    "group1_score",
    "file_total",
    "max_points",
    "bonus_allowed",
    "deduction_allowed",
    "self_computed",
    "assessed_computed",
    "planned",
    "actual",
    "completion_pct",
    "file_pct",
    "value",
    "target_low",
    "target_high",
}


def new_import(
    con: duckdb.DuckDBPyConnection,
    *,
    file_name: str,
    sha: str,
    stored_path: str | None,
    kinds: str,
    rows: int,
    loaded_by: str | None,
    options: dict | None = None,
    report: dict | None = None,
    precedence_offset: int = 0,
) -> int:
    """Insert the import row (inside the caller's transaction) and return its id."""
    # max + 1 under the writer lock, on both storages (DuckLake has no sequences).
    row = con.execute(
        "SELECT coalesce(max(import_id), 0) + 1, greatest(coalesce(max(precedence), 0), 0) + 1 "
        "FROM imports"
    ).fetchone()
    assert row is not None
    import_id, precedence = int(row[0]), int(row[1]) + precedence_offset
    con.execute(
        "INSERT INTO imports (import_id, file_name, sha256, stored_path, kinds, rows_loaded, "
        "precedence, retracted, loaded_by, loaded_at, options, report) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, false, ?, ?, ?, ?)",
        [
            import_id,
            file_name,
            sha,
            stored_path,
            kinds,
            rows,
            precedence,
            loaded_by,
            datetime.now(),
            json.dumps(options or {}, ensure_ascii=False),
            json.dumps(report or {}, ensure_ascii=False),
        ],
    )
    return import_id


def scope(*parts: object) -> str:
    """The key of what a load replaces (import_scopes): kind and parts, folded."""
    return "|".join("" if p is None else fold(str(p)) for p in parts)


@dataclass
class Rows:
    """Rows of a large table: a frame, plus the values that are the same on every row."""

    frame: pl.DataFrame
    constants: dict[str, object] = field(default_factory=dict)


def insert_tables(
    con: duckdb.DuckDBPyConnection,
    import_id: int,
    tables: dict[str, list[dict]],
    scopes: set[str],
    frames: dict[str, list[Rows]] | None = None,
) -> None:
    """Insert a load's rows: small tables row by row, large ones as polars frames."""
    if scopes:
        con.executemany(
            "INSERT INTO import_scopes (import_id, scope) VALUES (?, ?)",
            [(import_id, s) for s in sorted(scopes)],
        )
    for table, rows in tables.items():
        if rows:
            columns = {
                k: pl.Series(k, [r[k] for r in rows], dtype=_dtype(k), strict=False)
                for k in rows[0]
            }
            _insert(con, table, import_id, pl.DataFrame(columns))
    for table, parts in (frames or {}).items():
        for part in parts:
            _insert(con, table, import_id, part.frame, part.constants)


def _insert(
    con: duckdb.DuckDBPyConnection,
    table: str,
    import_id: int,
    frame: pl.DataFrame,
    constants: dict[str, object] | None = None,
) -> None:
    constants = {"import_id": import_id, **(constants or {})}
    extra = ", ".join(f"? AS {quote_ident(k)}" for k in constants)
    name = f"_load_{table}"
    con.register(name, frame)
    try:
        con.execute(
            f"INSERT INTO {quote_ident(table)} BY NAME SELECT *, {extra} FROM {quote_ident(name)}",
            list(constants.values()),
        )
    finally:
        con.unregister(name)


def _dtype(column: str) -> pl.DataType | type[pl.DataType]:
    if column in _TYPES:
        return _TYPES[column]
    if column in _FLOATS:
        return pl.Float64
    return pl.String
