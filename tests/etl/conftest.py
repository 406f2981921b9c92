"""Fixtures of the ETL tests: a fresh DuckDB file per test, closed afterwards."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl import db


@pytest.fixture
def db_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database path of this test only; THIDUA_DB points at it (restored afterwards)."""
    path = tmp_path / "db" / "thidua.duckdb"
    monkeypatch.setenv("THIDUA_DB", str(path))
    monkeypatch.delenv("THIDUA_ORIGINALS_DIR", raising=False)
    yield path
    db.close_all()


@pytest.fixture
def con(db_file: Path) -> duckdb.DuckDBPyConnection:
    return db.connect(db_file)
