"""The sample workbooks load, and the views hold the figures the generator put in the sheets.

expected.json is written by tools/samples.py from its own model of the data, never by reading the
files back, so it is an independent check of the whole read → parse → load → view path.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl import db
from etl.cli import SAMPLES_DIR, sample_files
from etl.load import LoadOptions, load_file

EXPECTED = json.loads((SAMPLES_DIR / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    con = db.connect(path)
    reports = {
        r.file: r for r in (load_file(con, f, LoadOptions(user="test")) for f in sample_files())
    }
    yield con, reports
    db.close(path)


def test_every_sample_loads(demo):
    _, reports = demo
    assert len(reports) == len(EXPECTED["files"])
    refused = {
        name: [i.human() for i in r.errors] for name, r in reports.items() if r.status != "loaded"
    }
    assert refused == {}


def _close(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-6)


def test_unit_scores_match_the_sheets(demo):
    con, _ = demo
    rows = con.execute(
        "SELECT year, cluster, unit, max_score, self_score, assessed_score, bonus, deduction, "
        "total_score, rank, not_ranked_reason, classification FROM v_unit_scores"
    ).fetchall()
    got = {r[:3]: r[3:] for r in rows}
    restated = {(s["year"], s["cluster"], s["unit"]) for s in EXPECTED["summaries"]}
    assert len(got) == len(EXPECTED["unit_scores"])
    for exp in EXPECTED["unit_scores"]:
        key = (exp["year"], exp["cluster"], exp["unit"])
        assert key in got, key
        (max_s, self_s, ass_s, bonus, ded, total, rank, reason, klass) = got[key]
        assert _close(total, exp["total_score"]), key
        assert rank == exp["rank"], key
        assert klass == exp["classification"], key
        assert (reason is None) == (exp["not_ranked_reason"] is None), key
        if key not in restated:  # a cluster summary loaded later restates these
            assert _close(max_s, exp["max_score"]), key
            assert _close(self_s, exp["self_score"]), key
            assert _close(ass_s, exp["assessed_score"]), key
            assert _close(bonus, exp["bonus"]), key
            assert _close(ded, exp["deduction"]), key


def test_tie_shares_the_better_rank(demo):
    con, _ = demo
    tie = EXPECTED["special_cases"]["tie"]
    rows = con.execute(
        "SELECT unit, rank, total_score FROM v_unit_scores WHERE year = ? AND cluster = ? "
        "ORDER BY rank, unit",
        [tie["year"], tie["cluster"]],
    ).fetchall()
    assert sorted((u, r) for u, r, _ in rows) == sorted((u, r) for u, r, _ in tie["ranks"])
    assert [r for _, r, _ in rows] == [1, 1, 3, 4, 5]


def test_nfd_name_matches_its_nfc_spelling(demo):
    con, _ = demo
    case = EXPECTED["special_cases"]["nfd_unit_name"]
    rows = con.execute(
        "SELECT unit FROM v_unit_scores WHERE year = ? AND cluster = ?",
        [case["year"], case["cluster"]],
    ).fetchall()
    assert case["unit"] in {r[0] for r in rows}  # stored NFC, identical to the membership list


def test_warnings_point_at_the_cells(demo):
    _, reports = demo
    typo = EXPECTED["special_cases"]["total_row_typo"][0]
    warnings = reports[typo["file"]].warnings
    assert any(
        w.cell == typo["cell"]
        and w.sheet == typo["sheet"]
        and "84,5" in w.message
        and "84" in w.message
        for w in warnings
    )
    wrong = EXPECTED["special_cases"]["wrong_file_rank"][0]
    summary = reports[Path(wrong["file"]).name]
    assert any(
        wrong["unit"] in w.message and "xếp hạng 3" in w.message and "xếp hạng 4" in w.message
        for w in summary.warnings
    )


def test_not_ranked_unit_has_a_reason(demo):
    con, _ = demo
    case = EXPECTED["special_cases"]["not_ranked"]
    row = con.execute(
        "SELECT rank, not_ranked_reason FROM v_unit_scores WHERE year = ? AND cluster = ? AND unit = ?",
        [case["year"], case["cluster"], case["unit"]],
    ).fetchone()
    assert row[0] is None
    assert "Không xếp loại" in row[1]


def test_skipped_sheets_say_why(demo):
    _, reports = demo
    for case in EXPECTED["special_cases"]["skipped_sheets"]:
        sheet = next(s for s in reports[case["file"]].sheets if s.name == case["sheet"])
        assert sheet.kind is None and sheet.skipped_reason


def test_targets_match(demo):
    con, _ = demo
    rows = con.execute(
        "SELECT year, period, unit, count(*), count(*) FILTER (met), count(*) FILTER (NOT met), "
        "count(*) FILTER (met IS NULL) FROM v_target_completion GROUP BY ALL"
    ).fetchall()
    got = {r[:3]: r[3:] for r in rows}
    for t in EXPECTED["targets"]:
        assert got[(t["year"], t["period"], t["unit"])] == (
            t["targets"],
            t["met"],
            t["not_met"],
            t["no_result"],
        )


def test_indicators_match_and_keep_their_source(demo):
    con, _ = demo
    rows = con.execute(
        "SELECT indicator_key, year, value, source FROM v_province_indicators"
    ).fetchall()
    got = {(k, y): (v, s) for k, y, v, s in rows}
    for i in EXPECTED["indicators"]:
        value, source = got[(i["code"], i["year"])]
        assert abs(value - i["value"]) < 1e-9
        assert source


def test_members_match(demo):
    con, _ = demo
    rows = set(con.execute("SELECT year, cluster, unit, role FROM v_cluster_members").fetchall())
    assert rows == {
        (m["year"], m["cluster"], m["unit"], m["role"]) for m in EXPECTED["memberships"]
    }


def test_load_report_is_kept_with_its_warnings(demo):
    """The dashboard's "Cần chú ý" reads the warnings of current loads from imports.report."""
    con, _ = demo
    typo = EXPECTED["special_cases"]["total_row_typo"][0]
    rows = con.execute(
        "SELECT w ->> 'sheet', w ->> 'cell', w ->> 'message' FROM ("
        "  SELECT unnest(json_extract(report, '$.sheets[*].warnings[*]')) AS w"
        "  FROM imports WHERE file_name = ?)",
        [typo["file"]],
    ).fetchall()
    assert (typo["sheet"], typo["cell"]) in {(s, c) for s, c, _ in rows}


def test_submissions_match_the_dates_written(demo):
    con, _ = demo
    oracle = EXPECTED["submissions_2026"]
    got = {
        (r[0], r[1], r[2]): r[3:]
        for r in con.execute(
            "SELECT period, cluster, unit, CAST(submitted_on AS VARCHAR), status, days_late "
            "FROM submissions_as_of(CAST(? AS DATE)) WHERE year = 2026",
            [oracle["as_of"]],
        ).fetchall()
    }
    want = {
        (r["period"], r["cluster"], r["unit"]): (r["submitted_on"], r["status"], r["days_late"])
        for r in oracle["rows"]
    }
    assert got == want
    assert {s for _, s, _ in want.values()} == {"đúng hạn", "trễ hạn", "chưa nộp"}


def test_award_proposals_match_the_default_rules(demo):
    con, _ = demo
    got = sorted(
        con.execute(
            "SELECT year, cluster, name, award_code, decision, status, "
            "CASE WHEN status = 'hợp lệ' THEN NULL ELSE split_part(rule, ':', 1) END "
            "FROM v_award_proposals"
        ).fetchall(),
        key=lambda r: (r[0], r[1], r[3], r[2]),
    )
    want = [tuple(p.values()) for p in EXPECTED["award_proposals"]]
    assert got == want
    assert {p["status"] for p in EXPECTED["award_proposals"]} == {
        "hợp lệ",
        "vượt hạn mức",
        "không đủ điều kiện",
    }


def test_calendar_and_award_history(demo):
    con, _ = demo
    got = con.execute(
        "SELECT phase, theme, CAST(start_date AS VARCHAR), CAST(end_date AS VARCHAR) "
        "FROM v_calendar WHERE year = 2026"
    ).fetchall()
    want = [(c["phase"], c["theme"], c["start"], c["end"]) for c in EXPECTED["calendar"]]
    assert sorted(got) == sorted(want)
    granted = {p["name"] for p in EXPECTED["award_proposals"] if p["decision"]}
    history = {r[0] for r in con.execute("SELECT unit FROM v_award_history").fetchall()}
    assert history == granted and granted
