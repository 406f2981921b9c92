"""Fixtures of the national-deployment tests: a fresh catalog database (in the session's PostgreSQL,
tests/conftest.py) and shared data folder per case."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from etl import db
from tests.postgres import Cluster

NewLake = Callable[[], dict[str, str]]


@pytest.fixture
def new_lake(
    postgres: Cluster, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[NewLake]:
    """Makes a fresh national deployment (a catalog database and a data folder) the current one
    (THIDUA_CATALOG, THIDUA_DATA_PATH) and returns its environment."""

    def make() -> dict[str, str]:
        env = {
            "THIDUA_CATALOG": "postgres:" + postgres.create_database(),
            "THIDUA_DATA_PATH": str(tmp_path_factory.mktemp("lake")),
        }
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("THIDUA_ORIGINALS_DIR", raising=False)
        return env

    yield make
    db.close_all()


@pytest.fixture
def lake(new_lake: NewLake) -> dict[str, str]:
    return new_lake()


@pytest.fixture
def embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "embedded" / "thidua.duckdb"
    monkeypatch.setenv("THIDUA_DB", str(path))
    return path
