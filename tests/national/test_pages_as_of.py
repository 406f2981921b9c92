"""Pages with ``?asof=…`` show the data of that moment and say so at their top."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl import db
from etl.actions import retract_load
from etl.cli import SAMPLES_DIR
from etl.load import LoadOptions, load_file

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
LISTS = sorted(SAMPLES_DIR.glob("0_danh_sach_*.xlsx"))
A = SAMPLES_DIR / "1_cham_diem_cum1_2026.xlsx"


def shown(at: AppTest) -> str:
    """Every text and table cell of the page, as one string."""
    parts = [str(e.value) for kind in ("markdown", "caption", "warning", "info", "title")
             for e in getattr(at, kind)]  # fmt: skip
    for kind in ("dataframe", "table"):
        parts += [e.value.to_string() for e in getattr(at, kind)]
    return "\n".join(parts)


@pytest.fixture
def retracted_after_meeting(tmp_path, monkeypatch):
    """Cluster 1's 2026 scores loaded (load N), then withdrawn."""
    monkeypatch.setenv("THIDUA_DB", str(tmp_path / "db" / "thidua.duckdb"))
    monkeypatch.delenv("THIDUA_CATALOG", raising=False)
    with db.writing() as con:
        for f in LISTS:
            assert load_file(con, f, LoadOptions(user="test")).status == "loaded"
        report = load_file(con, A, LoadOptions(user="test"))
        (cluster, leader) = con.execute(
            "SELECT cluster, unit FROM v_unit_scores WHERE import_id = ? AND rank = 1",
            [report.import_id],
        ).fetchone()
        time.sleep(1.1)  # the audit trail's clock keeps whole seconds
        assert retract_load(con, "test", report.import_id, terminal=True)
    db.close_all()
    yield report.import_id, cluster, leader
    db.close_all()


def test_the_ranking_page_as_of_a_load_shows_that_moment(retracted_after_meeting):
    import_id, cluster, leader = retracted_after_meeting
    query = {"nam": "2026", "cum": cluster}

    now = AppTest.from_file(APP, default_timeout=60)
    now.query_params.update(query)
    now.run()
    now.switch_page("app_pages/xep_hang.py").run()
    assert not now.exception, [e.value for e in now.exception]
    assert leader not in shown(now)
    assert "Đang xem số liệu" not in shown(now)

    then = AppTest.from_file(APP, default_timeout=60)
    then.query_params.update({**query, "asof": f"import:{import_id}"})
    then.run()
    then.switch_page("app_pages/xep_hang.py").run()
    assert not then.exception, [e.value for e in then.exception]
    text = shown(then)
    assert f"Đang xem số liệu ngay sau lần nạp số {import_id}" in text
    assert leader in text


def test_a_moment_that_cannot_be_read_is_said_in_vietnamese(retracted_after_meeting):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"asof": "hôm qua"})
    at.run()
    assert not at.exception
    assert "Không hiểu thời điểm 'hôm qua'" in "\n".join(str(e.value) for e in at.error)
