"""``--as-of``: the views as they were at a moment, after later loads, supersessions, retracts and
restores — the same rule on both storages (etl/db/asof.py)."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

from etl import db
from etl.actions import restore_load, retract_load
from etl.cli import SAMPLES_DIR
from etl.db import asof
from etl.load import LoadOptions, load_file
from tests.etl.metamorphic import Plan, transform
from tests.national.test_views import public_views

LISTS = sorted(SAMPLES_DIR.glob("0_danh_sach_*.xlsx"))
A, B, C = (SAMPLES_DIR / f"1_cham_diem_cum{n}_2026.xlsx" for n in (1, 2, 3))
# The load numbers and the precedence values themselves are renumbered as of the moment; what
# they decide (which load is current) is compared.
SKIP = {"loaded_at", "stored_path", "precedence"}


def views(con, names):
    out = {}
    for name in names:
        cur = con.execute(f"SELECT * FROM {name}")
        cols = [d[0] for d in cur.description]
        keep = [i for i, c in enumerate(cols) if c not in SKIP]
        out[name] = sorted((tuple(r[i] for i in keep) for r in cur.fetchall()), key=repr)
    return out


@pytest.fixture(params=["embedded", "national"])
def storage(request, tmp_path, monkeypatch):
    if request.param == "embedded":
        monkeypatch.setenv("THIDUA_DB", str(tmp_path / "db" / "thidua.duckdb"))
        monkeypatch.delenv("THIDUA_CATALOG", raising=False)
        yield request.param
        db.close_all()
    else:
        request.getfixturevalue("new_lake")()
        yield request.param


def load(con, path):
    report = load_file(con, path, LoadOptions(user="test"))
    assert report.status == "loaded", [i.human() for i in report.errors][:3]
    return report.import_id


def test_the_views_of_a_moment_come_back_after_later_corrections(storage, tmp_path):
    corrected_a = transform(A, tmp_path / "sua" / A.name, Plan(title_rows=1))  # same figures
    with db.writing() as con:
        for f in LISTS:
            load(con, f)
        load(con, A)
        b = load(con, B)
        names = public_views(con)
        first, first_at = views(con, names), datetime.now()
        time.sleep(1.1)  # the audit trail's clock keeps whole seconds
        a2 = load(con, corrected_a)  # supersedes A
        assert retract_load(con, "test", b, terminal=True)
        assert restore_load(con, "test", a2 - 1, terminal=True)  # A on top again
        second, second_at = views(con, names), datetime.now()
        time.sleep(1.1)
        load(con, C)
        now = views(con, names)
    assert first != second != now  # the moments differ in what a reader sees

    for when, expected in (
        (f"import:{b}", first),
        (first_at.isoformat(), first),
        (second_at.isoformat(), second),
        ("2999-01-01", now),
    ):
        con = asof.connect(asof.parse(when))
        try:
            got = views(con, names)
        finally:
            con.close()
        for name in names:
            assert got[name] == expected[name], f"{name} as of {when} ({storage})"


def test_before_the_first_load_nothing_shows(storage):
    with db.writing() as con:
        load(con, LISTS[0])
    con = asof.connect(asof.parse("2000-01-01"))
    try:
        assert con.execute("SELECT count(*) FROM v_cluster_members").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM v_imports").fetchone() == (0,)
    finally:
        con.close()


@pytest.mark.parametrize("text", ["hôm qua", "2026-13-01", "import:x"])
def test_a_moment_that_cannot_be_read_is_refused_in_vietnamese(text):
    with pytest.raises(asof.BadMoment, match="Không hiểu thời điểm"):
        asof.parse(text)
