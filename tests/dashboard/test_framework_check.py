"""The framework beside a unit's criteria (dashboard/framework_check.py) and what a database
holding only a framework counts as."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from dashboard import framework_check, queries
from etl import db
from etl.load import load_file
from tests.etl.builders import UNIT, Book, framework_tree
from tests.etl.test_framework import FRAMEWORK, sheet_rows


def _criteria(con, unit: str = UNIT) -> pl.DataFrame:
    return queries.run(con, "unit_criteria", {"year": 2026, "unit": unit})


def _framework(con, unit: str = UNIT) -> pl.DataFrame:
    return queries.run(con, "unit_framework", {"year": 2026, "unit": unit})


def test_nothing_beside_without_a_framework(tmp_path: Path) -> None:
    con = db.connect(tmp_path / "a.duckdb")
    book = Book()
    book.kind_a(sheet_rows())
    load_file(con, book.save(tmp_path / "a.xlsx"))
    assert framework_check.beside(_criteria(con), _framework(con)) is None
    db.close(tmp_path / "a.duckdb")


def test_the_general_framework_serves_when_the_cluster_has_none(tmp_path: Path) -> None:
    from tests.etl.builders import framework_title

    con = db.connect(tmp_path / "a.duckdb")
    general = Book()
    rows = [r if r[1] != "Kiểm tra, giám sát" else (*r[:2], "25", *r[3:]) for r in FRAMEWORK]
    framework_tree(general, rows, title=framework_title(cluster=None))
    load_file(con, general.save(tmp_path / "chung.xlsx"))
    book = Book()
    book.kind_a(sheet_rows())
    load_file(con, book.save(tmp_path / "a.xlsx"))
    check = framework_check.beside(_criteria(con), _framework(con))
    assert check is not None
    assert check.column == [None] * 9 + ["25"]
    assert check.missing == [] and check.matched == 10
    db.close(tmp_path / "a.duckdb")


def test_a_database_with_only_a_framework_has_no_emulation_data(tmp_path: Path) -> None:
    con = db.connect(tmp_path / "a.duckdb")
    book = Book()
    framework_tree(book, FRAMEWORK)
    assert load_file(con, book.save(tmp_path / "khung.xlsx")).status == "loaded"
    (version,) = queries.run(con, "data_version", {}).to_dicts()
    assert version["emulation_scopes"] == 0
    db.close(tmp_path / "a.duckdb")
