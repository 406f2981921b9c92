"""Fixtures shared by every test folder: a real PostgreSQL (tests/postgres.py) for the national
deployment, started once per session when a test asks for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.postgres import Cluster, Unavailable


@pytest.fixture(scope="session")
def postgres() -> Iterator[Cluster]:
    try:
        cluster = Cluster().start()
    except Unavailable as exc:
        pytest.skip(f"PostgreSQL cannot start here: {exc}")
    yield cluster
    from etl import db

    db.close_all()
    cluster.stop()
