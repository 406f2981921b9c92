"""A small database for the dashboard tests, built through the real broker and schema.

Rows go into the BASE tables with bound parameters; the views (etl/db/sql/views.sql) then decide what
is current, how units rank and which unit leads. Contents:

- 2 clusters x 4 units x 3 years (2024 before the 1 July 2025 merger, 2025 and 2026 after it);
- in 2026 "Cụm thi đua số 1" has a tie for rank 2 (đồng hạng) and its first summary file is
  superseded by a corrected one; "Khối thi đua số 2" has a unit that is not ranked and a file rank
  that differs from the computed one;
- a membership list for 2026 with a unit that has no score;
- a criteria tree per unit of Cụm 1 in 2026, targets with met / not met / pending results, and
  province indicators (growth, economic structure, poverty with a change of basis).

Run as a script to write the database for a manual look:
`python tests/dashboard/conftest.py X.duckdb`.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from etl import db  # noqa: E402
from etl.kinds.common import scope as make_scope  # noqa: E402
from tests.conftest import copy_demo  # noqa: E402

C1 = "Cụm thi đua số 1"
C2 = "Khối thi đua số 2"
C1_UNITS = ["Sở Tài chính", "Sở Xây dựng", "Sở Y tế", "Sở Giáo dục và Đào tạo"]
C2_UNITS = [
    "Ban Tổ chức Tỉnh ủy",
    "Ban Tuyên giáo và Dân vận Tỉnh ủy",
    "Ủy ban Kiểm tra Tỉnh ủy",
    "Văn phòng Tỉnh ủy",
]
ROW = {unit: i for i, unit in enumerate(C1_UNITS)}  # the summary sheet's row of each unit
MISSING_MEMBER = "Sở Nội vụ"
LEADER_2026_C1 = "Sở Tài chính"
TIED_2026_C1 = ("Sở Xây dựng", "Sở Y tế")
NOT_RANKED_2026_C2 = "Văn phòng Tỉnh ủy"
SUPERSEDED_SCORE = 99.0  # the score of the superseded file: it must never be shown
WARNING = "Tổng điểm trong tệp (92,0) khác tổng tính được (92,5)"

# (self, assessed, bonus, deduction) per unit; total = assessed + bonus - deduction
SCORES: dict[tuple[int, str], list[tuple[float, float | None, float, float]]] = {
    (2024, C1): [(95, 93, 1, 0), (92, 90, 0, 0.5), (90, 91, 0, 0), (88, 85, 0, 0)],
    (2024, C2): [(96, 94, 0, 0), (93, 92, 0, 0), (91, 90, 1, 0), (89, 87, 0, 0)],
    (2025, C1): [(94, 92, 0, 0), (95, 93.5, 0, 0), (90, 88, 0, 0), (91, 90, 0, 0)],
    (2025, C2): [(97, 95, 0, 0), (90, 89, 0, 0), (93, 92, 0, 0), (92, 90, 0, 0)],
    # 2026 Cụm 1: Sở Tài chính 96.5 leads; Sở Xây dựng and Sở Y tế tie on 92.5; 4th 88.
    (2026, C1): [(97, 95.5, 1, 0), (95, 92.5, 0.5, 0.5), (92, 92, 0.5, 0), (90, 88.25, 0, 0.25)],
    (2026, C2): [(95, 94, 0, 0), (96, 91, 0, 0), (92, 92.5, 0, 0), (90, None, 0, 0)],
}


def _insert_import(
    con,
    file_name: str,
    *,
    kinds: str,
    report: dict | None = None,
    retracted: bool = False,
    minute: int = 0,
) -> int:
    """A load row numbered as the loader numbers them (max + 1)."""
    row = con.execute(
        "INSERT INTO imports (import_id, file_name, sha256, stored_path, kinds, rows_loaded,"
        " precedence, retracted, loaded_by, loaded_at, options, report)"
        " SELECT coalesce(max(import_id), 0) + 1, ?, sha256(?), NULL, ?, 0,"
        " greatest(coalesce(max(precedence), 0), 0) + 1, ?, ?, ?, '{}', ? FROM imports"
        " RETURNING import_id",
        [
            file_name,
            file_name,
            kinds,
            retracted,
            "tester",
            datetime(2026, 12, 20, 9, minute),
            json.dumps(report, ensure_ascii=False) if report is not None else None,
        ],
    ).fetchone()
    return int(row[0])


def _scope(con, import_id: int, scope: str) -> None:
    con.execute("INSERT OR IGNORE INTO import_scopes VALUES (?, ?)", [import_id, scope])


def _unit_result(
    con,
    import_id: int,
    year: int,
    cluster: str,
    unit: str,
    scores,
    *,
    file_rank=None,
    reason=None,
    file_name="",
) -> None:
    self_s, assessed, bonus, deduction = scores
    base = assessed if assessed is not None else self_s
    total = None if reason else base + bonus - deduction
    scope = make_scope("S", year, cluster, unit)
    _scope(con, import_id, scope)
    con.execute(
        "INSERT INTO unit_results (import_id, scope, source_kind, year, cluster, unit, max_score,"
        " self_score, assessed_score, bonus, deduction, total_score, group1_score, file_total,"
        " file_rank, not_ranked_reason, source_file, source_sheet, source_cell)"
        " VALUES (?, ?, 'B', ?, ?, ?, 100, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)",
        [
            import_id,
            scope,
            year,
            cluster,
            unit,
            self_s,
            assessed,
            bonus,
            deduction,
            total,
            total,
            file_rank,
            reason,
            file_name,
            "Tổng hợp",
            f"H{7 + ROW.get(unit, 0)}",
        ],
    )


CRITERIA = [
    # (code, level, parent index, text, section, max, share of max reached by the leader)
    ("I", 1, None, "Thực hiện nhiệm vụ chính trị được giao", "criterion", 50),
    ("1", 2, 0, "Hoàn thành chỉ tiêu, nhiệm vụ trọng tâm", "criterion", 30),
    ("2", 2, 0, "Chất lượng tham mưu", "criterion", 20),
    ("II", 1, None, "Xây dựng Đảng, đoàn thể vững mạnh", "criterion", 30),
    ("III", 1, None, "Công tác thi đua, khen thưởng", "criterion", 20),
    ("IV", 1, None, "Điểm thưởng", "bonus", 2),
    ("V", 1, None, "Điểm trừ", "deduction", 2),
]
SHARES = {  # per unit of Cụm 1 in 2026: share of max in groups I, II, III
    "Sở Tài chính": (0.96, 0.95, 0.95),
    "Sở Xây dựng": (0.92, 0.95, 0.90),
    "Sở Y tế": (0.94, 0.90, 0.90),
    "Sở Giáo dục và Đào tạo": (0.88, 0.90, 0.85),
}


def _criteria(con, import_id: int, unit: str, file_name: str) -> None:
    scope = make_scope("T", 2026, C1, unit)
    _scope(con, import_id, scope)
    s1, s2, s3 = SHARES[unit]
    values = {0: 50 * s1, 1: 30 * s1, 2: 20 * s1, 3: 30 * s2, 4: 20 * s3, 5: 1.0, 6: 0.0}
    for i, (code, level, parent, text, section, mx) in enumerate(CRITERIA):
        v = round(values[i], 2)
        con.execute(
            "INSERT INTO criterion_scores (import_id, scope, year, cluster, unit, seq, code,"
            " parent_seq, level, criterion, section, max_points, self_score, assessed_score,"
            " self_computed, assessed_computed, source_file, source_sheet, source_cell, source_row)"
            " VALUES (?, ?, 2026, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                import_id,
                scope,
                C1,
                unit,
                i + 1,
                code,
                None if parent is None else parent + 1,
                level,
                text,
                section,
                mx,
                v + 0.5 if level == 1 and section == "criterion" else v,
                v,
                v + 0.5 if level == 1 and section == "criterion" else v,
                v,
                file_name,
                unit[:31],
                f"F{10 + i}",
                10 + i,
            ],
        )


TARGETS = [
    # (target, uom, direction, planned, actual, met)
    ("Giải ngân vốn đầu tư công", "%", "higher", 95.0, 97.0, True),
    ("Số văn bản tham mưu đúng hạn", "văn bản", "higher", 120.0, 100.0, False),
    ("Tỷ lệ hồ sơ trễ hạn", "%", "lower", 2.0, 1.5, True),
    ("Ứng dụng chuyển đổi số", "ứng dụng", "higher", 5.0, None, None),
]


def _targets(con, import_id: int, cluster: str, unit: str, k: int, file_name: str) -> None:
    for period in ("year", "H1"):
        scope = make_scope("C", 2026, unit, period)
        _scope(con, import_id, scope)
        for seq, (target, uom, direction, planned, actual, met) in enumerate(TARGETS, start=1):
            if actual is not None and period == "H1":
                actual = actual * 0.6
                met = False if direction == "higher" else met
            if actual is not None and k % 2 and direction == "higher":
                actual = actual * 1.1
            if actual is None:
                pct = None
            elif direction == "lower":
                pct = 100.0 * planned / actual if actual else 100.0
            else:
                pct = 100.0 * actual / planned
            if pct is not None:
                met = pct >= 100 - 1e-9
            con.execute(
                "INSERT INTO targets (import_id, scope, year, period, cluster, unit, seq, code,"
                " target, uom, direction, planned, actual, completion_pct, met, source_file,"
                " source_sheet, source_row) VALUES (?, ?, 2026, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?, ?)",
                [
                    import_id,
                    scope,
                    period,
                    cluster,
                    unit,
                    seq,
                    str(seq),
                    target,
                    uom,
                    direction,
                    planned,
                    actual,
                    pct,
                    met,
                    file_name,
                    "Chỉ tiêu",
                    8 + seq,
                ],
            )


INDICATOR_TARGETS = [
    (
        "grdp_growth",
        "Tốc độ tăng trưởng GRDP bình quân",
        "%/năm",
        "7 - 8",
        7,
        8,
        "band",
        "2021-2025",
    ),
    (
        "share_agri",
        "Tỷ trọng khu vực nông lâm thủy sản trong GRDP",
        "%",
        "35 - 36.5",
        35,
        36.5,
        "band",
        "2025",
    ),
    (
        "share_industry",
        "Tỷ trọng khu vực công nghiệp - xây dựng trong GRDP",
        "%",
        "22 - 23.5",
        22,
        23.5,
        "band",
        "2025",
    ),
    (
        "share_services",
        "Tỷ trọng khu vực dịch vụ trong GRDP",
        "%",
        "42 - 43.5",
        42,
        43.5,
        "band",
        "2025",
    ),
    (
        "poor_household_rate",
        "Tỷ lệ hộ nghèo đa chiều",
        "% số hộ",
        "giảm ít nhất 1 - 1.5/năm",
        1,
        1.5,
        "decrease",
        "2021-2025",
    ),
]
OLD_POVERTY, NEW_POVERTY = "chuẩn nghèo 2016 - 2020", "chuẩn nghèo 2022 - 2025"
INDICATOR_VALUES = [
    # (key, year, value, kind, basis, source)
    ("grdp_growth", 2021, 3.04, "actual", None, "VietnamPlus, bài tổng hợp của tỉnh"),
    ("grdp_growth", 2022, 12.09, "actual", None, "Dân Việt, 29/12/2022"),
    ("grdp_growth", 2023, 5.63, "actual", None, "Nhân Dân, year-end report"),
    ("grdp_growth", 2024, 7.4, "actual", None, "Báo cáo UBND tỉnh"),
    ("grdp_growth", 2025, 8.2, "estimate", None, "Báo cáo UBND tỉnh (ước)"),
    ("share_agri", 2024, 43.8, "actual", None, "CafeF, 03/02/2025"),
    ("share_industry", 2024, 18.0, "actual", None, "CafeF, 03/02/2025"),
    ("share_services", 2024, 38.2, "actual", None, "CafeF, 03/02/2025"),
    ("share_agri", 2025, 36.0, "estimate", None, "Báo cáo UBND tỉnh (ước)"),
    ("share_industry", 2025, 22.5, "estimate", None, "Báo cáo UBND tỉnh (ước)"),
    ("share_services", 2025, 41.5, "estimate", None, "Báo cáo UBND tỉnh (ước)"),
    ("poor_household_rate", 2020, 3.5, "actual", OLD_POVERTY, "Báo Lâm Đồng, 01/2021"),
    ("poor_household_rate", 2021, 2.87, "actual", NEW_POVERTY, "Báo Lâm Đồng, 01/2022"),
    ("poor_household_rate", 2022, 1.94, "actual", NEW_POVERTY, "Báo Dân Sinh, 03/2023"),
    ("poor_household_rate", 2023, 1.09, "actual", NEW_POVERTY, "Báo Lâm Đồng, 10/2024"),
]


def _indicators(con, import_id: int) -> None:
    names = {t[0]: t[1] for t in INDICATOR_TARGETS}
    for key, name, uom, text, low, high, direction, horizon in INDICATOR_TARGETS:
        scope = make_scope("DT", key)
        _scope(con, import_id, scope)
        con.execute(
            "INSERT INTO indicator_targets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                import_id,
                scope,
                key,
                name,
                uom,
                text,
                low,
                high,
                direction,
                horizon,
                "Kế hoạch 959/QĐ-UBND",
            ],
        )
    for i, (key, year, value, kind, basis, source) in enumerate(INDICATOR_VALUES):
        scope = make_scope("D", key, year)
        _scope(con, import_id, scope)
        con.execute(
            "INSERT INTO indicator_values (import_id, scope, indicator_key, indicator, uom, year,"
            " value, value_kind, source, basis, source_file, source_sheet, source_cell)"
            " VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                import_id,
                scope,
                key,
                names[key],
                year,
                value,
                kind,
                source,
                basis,
                "chi_tieu_ktxh.xlsx",
                "KTXH",
                f"E{5 + i}",
            ],
        )


def build_fixture(path: Path) -> Path:
    con = db.connect(path)  # applies schema.sql and views.sql (and the shipped reference data)
    con.execute("BEGIN TRANSACTION")
    minute = iter(range(60))
    for (year, cluster), rows in SCORES.items():
        units = C1_UNITS if cluster == C1 else C2_UNITS
        if (year, cluster) == (2026, C1):
            # The first summary file, superseded below by a corrected one.
            name = "tong_hop_cum1_2026_ban_dau.xlsx"
            first = _insert_import(con, name, kinds="B", minute=next(minute))
            for unit in units:
                _unit_result(
                    con, first, year, cluster, unit, (SUPERSEDED_SCORE, None, 0, 0), file_name=name
                )
            continue
        name = f"tong_hop_{'cum1' if cluster == C1 else 'khoi2'}_{year}.xlsx"
        load = _insert_import(con, name, kinds="B", minute=next(minute))
        for unit, scores in zip(units, rows, strict=True):
            reason = "Bị kỷ luật trong năm" if (year, unit) == (2026, NOT_RANKED_2026_C2) else None
            file_rank = 1 if (year, unit) == (2026, "Ban Tuyên giáo và Dân vận Tỉnh ủy") else None
            _unit_result(
                con,
                load,
                year,
                cluster,
                unit,
                scores,
                reason=reason,
                file_rank=file_rank,
                file_name=name,
            )

    # The corrected Cụm 1 summary of 2026, with a warning in its report.
    name = "tong_hop_cum1_2026.xlsx"
    report = {
        "file": name,
        "sha256": "x",
        "status": "loaded",
        "import_id": None,
        "sheets": [
            {
                "name": "Tổng hợp",
                "kind": "B",
                "rows": 4,
                "skipped_reason": None,
                "warnings": [{"sheet": "Tổng hợp", "cell": "H9", "message": WARNING}],
                "errors": [],
            }
        ],
    }
    corrected = _insert_import(con, name, kinds="B", report=report, minute=next(minute))
    for unit, scores in zip(C1_UNITS, SCORES[(2026, C1)], strict=True):
        _unit_result(con, corrected, 2026, C1, unit, scores, file_name=name)

    load = _insert_import(con, "bang_cham_cum1_2026.xlsx", kinds="A", minute=next(minute))
    for unit in C1_UNITS:
        _criteria(con, load, unit, "bang_cham_cum1_2026.xlsx")

    load = _insert_import(con, "chi_tieu_2026.xlsx", kinds="C", minute=next(minute))
    for k, unit in enumerate(C1_UNITS):
        _targets(con, load, C1, unit, k, "chi_tieu_2026.xlsx")
    for k, unit in enumerate(C2_UNITS[:2]):
        _targets(con, load, C2, unit, k + 1, "chi_tieu_2026.xlsx")

    load = _insert_import(con, "danh_sach_cum_2026.xlsx", kinds="E", minute=next(minute))
    for cluster, units in ((C1, [*C1_UNITS, MISSING_MEMBER]), (C2, C2_UNITS)):
        scope = make_scope("E", 2026, cluster)
        _scope(con, load, scope)
        for seq, unit in enumerate(units, start=1):
            con.execute(
                "INSERT INTO members VALUES (?, ?, 2026, ?, ?, ?, NULL, ?)",
                [load, scope, cluster, unit, "Cụm trưởng" if seq == 1 else "Thành viên", seq],
            )

    load = _insert_import(con, "chi_tieu_ktxh.xlsx", kinds="D", minute=next(minute))
    _indicators(con, load)

    # A withdrawn load: its data must not show anywhere.
    load = _insert_import(con, "rut_lai.xlsx", kinds="B", retracted=True, minute=next(minute))
    _unit_result(con, load, 2026, C2, C2_UNITS[0], (1, 1, 0, 0), file_name="rut_lai.xlsx")
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    return path


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("fixture") / "t.duckdb")


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "t.duckdb"
    db.connect(path)
    return path


@pytest.fixture(scope="session")
def demo_db(demo_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database of `thidua demo` (tests/conftest.py makes it once per session)."""
    return copy_demo(demo_folder, tmp_path_factory.mktemp("demo"))


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/thidua_fixture.duckdb")
    out.unlink(missing_ok=True)
    build_fixture(out)
    print(out)
