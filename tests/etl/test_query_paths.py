"""The short paths the dashboard's queries take (etl/db/sql/views.sql): ``current_load`` per data
row instead of grouping every scope, the views without their order, ``unit_scores_of`` limited to
the years and clusters a unit was scored in. Whatever history of loads, retracts and restores came
before, they show exactly the rows of the public views a leader's figures come from."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given

from dashboard import queries
from etl import db
from tests.etl.test_restore import OPS, REPLAYS, pool, replay

# internal view -> (public view, the internal view's columns that the public one leaves out)
UNORDERED = {
    "current_unit_scores": ("v_unit_scores", ""),
    "current_target_completion": ("v_target_completion", ""),
    "current_cluster_members": ("v_cluster_members", " EXCLUDE (seq)"),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    return pool(tmp_path_factory.mktemp("pool"))


def _bag(con, sql: str, params: list | None = None) -> list[tuple]:
    return sorted(con.execute(sql, params or []).fetchall(), key=repr)


def _check(con) -> None:
    # The load current for each scope: the same as current_scopes says, or none for both.
    assert _bag(
        con,
        "SELECT DISTINCT s.scope, c.import_id FROM import_scopes s "
        "LEFT JOIN current_scopes c USING (scope)",
    ) == _bag(con, "SELECT DISTINCT scope, current_load(scope) FROM import_scopes")
    for internal, (public, drop) in UNORDERED.items():
        assert _bag(con, f"SELECT *{drop} FROM {internal}") == _bag(
            con, f"SELECT * FROM {public}"
        ), internal
    for (unit,) in con.execute("SELECT DISTINCT unit FROM unit_results").fetchall():
        # The unit's rows, and whole years and clusters around them: ranks, ties and leaders.
        own = "SELECT * FROM {} WHERE (year, cluster) IN (SELECT (year, cluster) FROM {} WHERE unit = ?)"
        assert _bag(con, own.format("unit_scores_of(?, NULL)", "v_unit_scores"), [unit, unit]) == (
            _bag(con, own.format("v_unit_scores", "v_unit_scores"), [unit])
        ), unit
        assert _bag(con, "SELECT * FROM unit_scores_of(?, NULL) WHERE unit = ?", [unit, unit]) == (
            _bag(con, "SELECT * FROM v_unit_scores WHERE unit = ?", [unit])
        ), unit
    years = [r[0] for r in con.execute("SELECT DISTINCT year FROM unit_results").fetchall()]
    for some in (years, years[:1], []):
        assert _bag(con, "SELECT * FROM unit_scores_of(NULL, ?)", [some]) == _bag(
            con, "SELECT * FROM v_unit_scores WHERE list_contains(?, year)", [some]
        )
    # The overview's load warnings: from exactly the newest loads v_imports calls current.
    con.execute(
        "UPDATE imports SET report = json_object('sheets', [json_object('warnings', "
        "[json_object('sheet', 'S', 'cell', 'A1', 'message', 'lần nạp ' || import_id)])])"
    )
    current = [
        r[0]
        for r in con.execute(
            "SELECT import_id FROM v_imports WHERE status = 'loaded' "
            "ORDER BY loaded_at DESC, import_id DESC LIMIT 3"
        ).fetchall()
    ]
    warned = queries.run(con, "overview_load_warnings", {"max_loads": 3})
    assert warned["import_id"].to_list() == current
    assert warned["message"].to_list() == [f"lần nạp {i}" for i in current]


@REPLAYS
@given(ops=OPS)
def test_short_paths_show_the_public_views_rows(files, ops, monkeypatch):
    monkeypatch.delenv("THIDUA_ORIGINALS_DIR", raising=False)
    folder = Path(tempfile.mkdtemp(prefix="thidua-paths-"))
    try:
        con = db.connect(folder / "thidua.duckdb")
        replay(con, files, ops)
        _check(con)
    finally:
        db.close_all()
        shutil.rmtree(folder, ignore_errors=True)
