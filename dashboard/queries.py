"""The named queries of ``dashboard/sql/<name>.sql``: one statement each, ``$name`` parameters
whose values are always bound. No Streamlit here: the exports and the command line run them too
(dashboard.data adds the per-session cursor and the cache).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

SQL_DIR = Path(__file__).parent / "sql"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


@functools.cache
def sql_text(name: str) -> str:
    """The text of ``dashboard/sql/<name>.sql``."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"bad query name: {name!r}")
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def sql_params(name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_PARAM.findall(sql_text(name))))


def bind(name: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters the query names, taken from ``params``; a missing one is an error."""
    wanted = sql_params(name)
    missing = [p for p in wanted if p not in params]
    if missing:
        raise TypeError(f"query {name!r} needs parameters {missing}")
    return {p: params[p] for p in wanted}


def run(cur: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> pl.DataFrame:
    """The result of ``sql/<name>.sql`` on ``cur`` (uncached)."""
    return cur.sql(sql_text(name), params=bind(name, params) or None).pl()
