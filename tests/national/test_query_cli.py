"""``thidua query`` and ``--as-of`` on the command line, on both storages: one read-only SELECT,
JSON and CSV, a write refused in Vietnamese with exit 1, and an Excel export as of a load."""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from etl import cli, db
from etl.cli import SAMPLES_DIR

LISTS = sorted(SAMPLES_DIR.glob("0_danh_sach_*.xlsx"))
A, B = (SAMPLES_DIR / f"1_cham_diem_cum{n}_2026.xlsx" for n in (1, 2))


def load_three() -> int:
    """Lists, then cluster 1 (load N), then cluster 2, into the current storage; returns N."""
    assert cli.main(["load", *map(str, LISTS), str(A)]) == 0
    con = db.read_only()
    (first,) = con.execute("SELECT max(import_id) FROM imports").fetchone()
    con.close()
    assert cli.main(["load", str(B)]) == 0
    return first


@pytest.fixture(scope="module", params=["embedded", "national"])
def loaded_once(request, tmp_path_factory):
    """Lists, then cluster 1 (load N), then cluster 2, in a storage made once per storage kind
    for the module (loads take seconds, a DuckLake's most): the environment that names it, and
    N. Its tests only read it, or try a write that must be refused."""
    folder = tmp_path_factory.mktemp(f"loaded_{request.param}")
    env = {"THIDUA_DB": str(folder / "db" / "thidua.duckdb")}
    if request.param == "national":
        catalog = "postgres:" + request.getfixturevalue("postgres").create_database()
        env.update(THIDUA_CATALOG=catalog, THIDUA_DATA_PATH=str(folder / "lake"))
    with pytest.MonkeyPatch.context() as mp:
        reader(env, mp)
        first = load_three()
        db.close_all()
    return env, first


def reader(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("THIDUA_CATALOG", "THIDUA_DATA_PATH", "THIDUA_ORIGINALS_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def read_loaded(loaded_once, monkeypatch):
    """``loaded_once`` made the current storage; for tests that write nothing to it."""
    env, first = loaded_once
    reader(env, monkeypatch)
    yield first
    db.close_all()


def test_query_prints_json_csv_and_a_table(read_loaded, capsys):
    capsys.readouterr()
    sql = "SELECT cluster, count(*) AS units FROM v_unit_scores GROUP BY cluster ORDER BY cluster"
    assert cli.main(["query", sql, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 2 and all(r["units"] > 0 for r in rows)
    assert cli.main(["query", sql, "--csv"]) == 0
    table = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert table[0] == ["cluster", "units"] and len(table) == 3
    assert cli.main(["query", sql]) == 0
    assert "(2 dòng)" in capsys.readouterr().out
    assert cli.main(["query", sql, "--json", "--as-of", f"import:{read_loaded}"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1  # cluster 2 came after


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM imports",
        "CREATE TABLE x AS SELECT 1",
        "ATTACH '/tmp/x.duckdb' AS x",
        "COPY (SELECT 1) TO '/tmp/x.csv'",
        "SELECT 1; DELETE FROM imports",
    ],
)
def test_a_write_is_refused_in_vietnamese(read_loaded, sql, capsys):
    count = ["query", "SELECT count(*) AS n FROM imports", "--csv"]
    capsys.readouterr()
    assert cli.main(count) == 0
    before = int(capsys.readouterr().out.split()[1])
    assert before >= 5
    assert cli.main(["query", sql]) == 1
    err = capsys.readouterr().err
    assert "Lỗi: Lệnh thidua query" in err and "Traceback" not in err
    assert cli.main(count) == 0
    assert int(capsys.readouterr().out.split()[1]) == before  # nothing was deleted


def test_a_failing_select_is_exit_1_in_vietnamese(read_loaded, capsys):
    assert cli.main(["query", "SELECT * FROM khong_co"]) == 1
    assert "Câu truy vấn không chạy được" in capsys.readouterr().err


def test_export_table_as_of_a_load(read_loaded, tmp_path):
    now, then = tmp_path / "now.xlsx", tmp_path / "then.xlsx"
    assert cli.main(["export", "table", "v_unit_scores", "-o", str(now)]) == 0
    assert (
        cli.main(
            [
                "export",
                "table",
                "v_unit_scores",
                "-o",
                str(then),
                "--as-of",
                f"import:{read_loaded}",
            ]
        )
        == 0
    )

    def clusters(path):
        ws = openpyxl.load_workbook(path).worksheets[0]
        values = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
        return {v for v in values if v.startswith("Cụm thi đua số")}

    assert len(clusters(now)) == 2
    assert len(clusters(then)) == 1
