"""The embedded storage choice, measured (issue #15): today's DuckDB file against DuckLake with a
local catalog (a DuckDB file), and the national DuckLake with a PostgreSQL catalog.

For each: load every sample workbook (data/samples, as `thidua demo` does), one small committed
write (an audit row: what a sign-in or a retract costs; embedded: with its read snapshot), and the
ranking of a cluster (v_unit_scores) on a connection opened for it, as a new process or notebook
sees it, then again on that open connection, as a running server does. One table row per storage.

Usage: python benchmarks/storage.py [--postgres "dbname=… host=… user=…"]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGE = (
    "SELECT unit, total_score, rank, classification FROM v_unit_scores "
    "WHERE year = 2026 AND cluster = 'Cụm thi đua số 4' ORDER BY rank"
)


def _load_all(con) -> float:
    from etl.cli import sample_files
    from etl.load import LoadOptions, load_file

    start = time.perf_counter()
    for f in sample_files():
        assert load_file(con, f, LoadOptions(user="bench")).status == "loaded", f
    return time.perf_counter() - start


def _commit(con) -> float:
    from etl import db
    from etl.year import accounts

    times = []
    for i in range(10):
        start = time.perf_counter()
        with db.transaction(con):
            accounts.audit(con, f"bench{i}", "bench")
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def embedded(folder: Path) -> tuple[float, float, tuple[float, float]]:
    from etl import db

    path = folder / "thidua.duckdb"
    with db.writing(path) as con:
        load = _load_all(con)
    with db.writing(path) as con:  # a write, its checkpoint and its published read snapshot
        start = time.perf_counter()
        from etl.year import accounts

        accounts.audit(con, "bench", "bench")
    commit = time.perf_counter() - start
    db.close_all()
    return load, commit, _cold(lambda: db.read_only(path))


def local_lake(folder: Path) -> tuple[float, float, tuple[float, float]]:
    import duckdb

    from etl import db
    from etl.db import lake

    os.environ["THIDUA_ORIGINALS_DIR"] = str(folder / "originals")
    folder.mkdir(parents=True)

    def connect():
        con = duckdb.connect(config=lake.config())
        con.execute(
            f"ATTACH 'ducklake:{folder}/catalog.ducklake' AS thidua (DATA_PATH '{folder}/files/')"
        )
        con.execute("USE thidua")
        return con

    con = connect()
    db._migrate(con, lake.ddl)
    load = _load_all(con)
    commit = _commit(con)
    con.close()
    return load, commit, _cold(connect)


def national(conninfo: str, folder: Path) -> tuple[float, float, tuple[float, float]]:
    from etl import db
    from etl.db import lake

    os.environ.pop("THIDUA_ORIGINALS_DIR", None)
    os.environ["THIDUA_CATALOG"] = "postgres:" + conninfo
    os.environ["THIDUA_DATA_PATH"] = str(folder)
    with db.writing() as con:
        load = _load_all(con)
        commit = _commit(con)
    db.close_all()
    result = load, commit, _cold(lambda: lake.open_connection(read_only=True))
    del os.environ["THIDUA_CATALOG"]
    return result


def _cold(opener) -> tuple[float, float]:
    """(open + first query, the same query again on the open connection): medians of 5."""
    cold, warm = [], []
    for _ in range(5):
        start = time.perf_counter()
        con = opener()
        con.execute(PAGE).fetchall()
        cold.append(time.perf_counter() - start)
        start = time.perf_counter()
        con.execute(PAGE).fetchall()
        warm.append(time.perf_counter() - start)
        con.close()
    return statistics.median(cold), statistics.median(warm)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--postgres", help="libpq keywords of an empty database for the national row")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("DuckDB file (embedded, today)", embedded(Path(tmp) / "a")))
        rows.append(("DuckLake, local DuckDB-file catalog", local_lake(Path(tmp) / "b")))
        if args.postgres:
            rows.append(("DuckLake, PostgreSQL catalog", national(args.postgres, Path(tmp) / "c")))
    print(
        "| storage | load 31 samples (s) | one small commit (ms) | open + ranking query (ms) "
        "| ranking query, open connection (ms) |"
    )
    print("|---|---|---|---|---|")
    for name, (load, commit, (cold, warm)) in rows:
        print(
            f"| {name} | {load:.1f} | {commit * 1000:.0f} | {cold * 1000:.0f} | {warm * 1000:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
