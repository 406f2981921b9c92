"""The SQL views analysts open (interface.md §2, §3): names, columns, types and the ranking
rules."""

from __future__ import annotations

import pytest

from etl.load import load_file
from tests.etl.builders import Book, Title, rows

# interface.md §2, column by column; None where the contract states no type.
INTERFACE_VIEWS: dict[str, dict[str, str | None]] = {
    "v_framework_criteria": {
        "year": "INTEGER",
        "cluster": "VARCHAR",
        "seq": "INTEGER",
        "code": "VARCHAR",
        "parent_seq": "INTEGER",
        "level": "INTEGER",
        "criterion": "VARCHAR",
        "max_points": "DOUBLE",
        "import_id": None,
    },
    "v_unit_scores": {
        "year": "INTEGER",
        "cluster": "VARCHAR",
        "unit": "VARCHAR",
        "max_score": "DOUBLE",
        "self_score": "DOUBLE",
        "assessed_score": "DOUBLE",
        "bonus": "DOUBLE",
        "deduction": "DOUBLE",
        "total_score": "DOUBLE",
        "score_basis": "VARCHAR",
        "rank": "INTEGER",
        "not_ranked_reason": "VARCHAR",
        "classification": "VARCHAR",
        "file_rank": "INTEGER",
        "import_id": None,
    },
    "v_criterion_scores": {
        "year": "INTEGER",
        "cluster": "VARCHAR",
        "unit": "VARCHAR",
        "seq": "INTEGER",
        "code": "VARCHAR",
        "parent_seq": "INTEGER",
        "level": "INTEGER",
        "criterion": "VARCHAR",
        "section": "VARCHAR",
        "max_points": "DOUBLE",
        "self_score": "DOUBLE",
        "assessed_score": "DOUBLE",
        "source_file": "VARCHAR",
        "source_sheet": "VARCHAR",
        "source_cell": "VARCHAR",
        "import_id": None,
    },
    "v_target_completion": {
        "year": "INTEGER",
        "period": "VARCHAR",
        "cluster": "VARCHAR",
        "unit": "VARCHAR",
        "target": "VARCHAR",
        "uom": "VARCHAR",
        "direction": "VARCHAR",
        "planned": "DOUBLE",
        "actual": "DOUBLE",
        "planned_text": "VARCHAR",
        "actual_text": "VARCHAR",
        "completion_pct": "DOUBLE",
        "met": "BOOLEAN",
        "source_file": "VARCHAR",
        "source_sheet": "VARCHAR",
        "source_row": "INTEGER",
        "import_id": None,
    },
    "v_province_indicators": {
        "indicator": "VARCHAR",
        "uom": "VARCHAR",
        "year": "INTEGER",
        "value": "DOUBLE",
        "value_kind": "VARCHAR",
        "target_text": "VARCHAR",
        "target_low": "DOUBLE",
        "target_high": "DOUBLE",
        "target_direction": "VARCHAR",
        "status": "VARCHAR",
        "source": "VARCHAR",
        "import_id": None,
    },
    "v_cluster_members": {
        "year": "INTEGER",
        "cluster": "VARCHAR",
        "unit": "VARCHAR",
        "role": "VARCHAR",
        "short_name": "VARCHAR",
    },
    "v_imports": {
        "import_id": None,
        "file_name": "VARCHAR",
        "sha256": "VARCHAR",
        "kinds": "VARCHAR",
        "rows_loaded": None,
        "status": "VARCHAR",
        "superseded_by": None,
        "loaded_by": "VARCHAR",
        "loaded_at": "TIMESTAMP",
    },
    "v_submissions": {
        "year": "INTEGER",
        "period": "VARCHAR",
        "cluster": "VARCHAR",
        "unit": "VARCHAR",
        "due_date": "DATE",
        "submitted_on": "DATE",
        "status": "VARCHAR",
        "days_late": "INTEGER",
        "import_id": None,
    },
    "v_award_proposals": {
        "year": "INTEGER",
        "cluster": "VARCHAR",
        "name": "VARCHAR",
        "award": "VARCHAR",
        "achievement": "VARCHAR",
        "decision": "VARCHAR",
        "status": "VARCHAR",
        "rule": "VARCHAR",
        "reason": "VARCHAR",
        "source_file": "VARCHAR",
        "source_sheet": "VARCHAR",
        "source_row": "INTEGER",
        "import_id": None,
    },
}


def describe(con, view: str) -> dict[str, str]:
    return {r[0]: r[1] for r in con.execute(f"DESCRIBE {view}").fetchall()}


@pytest.mark.parametrize("view", sorted(INTERFACE_VIEWS))
def test_view_has_the_contract_columns_and_types(con, view):
    got = describe(con, view)
    missing = [c for c in INTERFACE_VIEWS[view] if c not in got]
    assert not missing, f"{view} lacks {missing}"
    wrong = {c: got[c] for c, t in INTERFACE_VIEWS[view].items() if t and got[c] != t}
    assert not wrong, f"{view}: {wrong}"


def test_ids_are_integers(con):
    for view in INTERFACE_VIEWS:
        got = describe(con, view)
        for col in ("import_id", "superseded_by", "rows_loaded"):
            if col in got:
                assert got[col] in ("INTEGER", "BIGINT"), (view, col, got[col])


def test_views_are_readable_from_a_read_only_connection(con, db_file, tmp_path):
    import duckdb

    from etl import db

    book = Book()
    book.kind_a([("1", "Công tác chuyên môn", "100", "90", "90")])
    load_file(con, book.save(tmp_path / "a.xlsx"))
    db.close(db_file)
    ro = duckdb.connect(str(db_file), read_only=True)
    try:
        for view in INTERFACE_VIEWS:
            ro.execute(f"SELECT * FROM {view}").fetchall()
        assert ro.execute("SELECT count(*) FROM v_unit_scores").fetchall() == [(1,)]
    finally:
        ro.close()


# --- ranking rules ------------------------------------------------------------------------------


def _scoring_sheet(book: Book, unit: str, score: str, name: str) -> None:
    book.kind_a(
        [("I", "Công tác chuyên môn", "60", "58"), ("II", "Công tác xây dựng Đảng", "40", score)],
        name=name,
        scores=("Tự chấm",),
        title=Title(unit=unit),
    )


def test_ranks_with_ties_across_units_from_separate_sheets(con, tmp_path):
    # Four units of one cluster, one sheet each; totals 96, 96, 95,995 (a tie to 0,01), 90.
    units = {"Sở Tài chính": "38", "Sở Xây dựng": "38", "Sở Y tế": "37,995", "Sở Nội vụ": "32"}
    for k, (unit, score) in enumerate(units.items()):
        book = Book()
        _scoring_sheet(book, unit, score, "Cụm 4")
        assert load_file(con, book.save(tmp_path / f"{k}.xlsx")).status == "loaded"
    got = {u["unit"]: u["rank"] for u in rows(con, "SELECT unit, rank FROM v_unit_scores")}
    assert got == {"Sở Tài chính": 1, "Sở Xây dựng": 1, "Sở Y tế": 1, "Sở Nội vụ": 4}


def test_ranks_are_per_year_and_cluster(con, tmp_path):
    book = Book()
    book.kind_b(
        [
            (1, "Sở Tài chính", None, None, None, None, "90"),
            (2, "Sở Xây dựng", None, None, None, None, "95"),
        ]
    )
    load_file(con, book.save(tmp_path / "c4.xlsx"))
    other = Book()
    other.kind_b(
        [(1, "Sở Y tế", None, None, None, None, "80")],
        title=Title(
            title="BẢNG TỔNG HỢP KẾT QUẢ NĂM {year}", unit=None, cluster="Khối thi đua số 1"
        ),
    )
    load_file(con, other.save(tmp_path / "k1.xlsx"))
    got = {u["unit"]: u["rank"] for u in rows(con, "SELECT unit, rank FROM v_unit_scores")}
    assert got == {"Sở Tài chính": 2, "Sở Xây dựng": 1, "Sở Y tế": 1}


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        ("100", "Hoàn thành xuất sắc nhiệm vụ"),
        ("90", "Hoàn thành xuất sắc nhiệm vụ"),
        ("89,99", "Hoàn thành tốt nhiệm vụ"),
        ("70", "Hoàn thành tốt nhiệm vụ"),
        ("69,99", "Hoàn thành nhiệm vụ"),
        ("50", "Hoàn thành nhiệm vụ"),
        ("49,99", "Không hoàn thành nhiệm vụ"),
        ("104,5", "Hoàn thành xuất sắc nhiệm vụ"),
    ],
)
def test_classification_thresholds(con, tmp_path, total, expected):
    book = Book()
    book.kind_a([("1", "Công tác chuyên môn", "100", total)], scores=("Tự chấm",))
    load_file(con, book.save(tmp_path / "a.xlsx"))
    (u,) = rows(con, "SELECT classification, max_score FROM v_unit_scores")
    assert u == {"classification": expected, "max_score": 100.0}


def test_classification_is_a_share_of_the_maximum(con, tmp_path):
    # Maximum 50 (the total row): 45 is 90 %.
    book = Book()
    book.kind_a(
        [("1", "Công tác chuyên môn", "50", "45")],
        scores=("Tự chấm",),
        total=(None, "Tổng cộng", "50 điểm", "45"),
    )
    load_file(con, book.save(tmp_path / "a.xlsx"))
    (u,) = rows(con, "SELECT classification FROM v_unit_scores")
    assert u["classification"] == "Hoàn thành xuất sắc nhiệm vụ"


SUMMARY = ("Tên đơn vị", "Tổng điểm", "Đề nghị khen thưởng")


def leading(con) -> set[str]:
    return {u["unit"] for u in rows(con, "SELECT unit FROM v_unit_scores WHERE is_leading")}


def test_leading_unit_is_rank_1_without_a_vote(con, tmp_path):
    book = Book()
    book.kind_b(
        [
            (1, "Sở Tài chính", "92", "Bằng khen UBND tỉnh"),
            (2, "Sở Xây dựng", "95", None),
            (3, "Sở Y tế", "90", None),
        ],
        columns=SUMMARY,
    )
    load_file(con, book.save(tmp_path / "b.xlsx"))
    assert leading(con) == {"Sở Xây dựng"}


def test_a_recorded_vote_wins_over_rank_1(con, tmp_path):
    book = Book()
    book.kind_b(
        [
            (1, "Sở Tài chính", "92", "Cờ thi đua - đơn vị dẫn đầu cụm"),
            (2, "Sở Xây dựng", "95", "Bằng khen UBND tỉnh"),
            (3, "Sở Y tế", "90", None),
        ],
        columns=SUMMARY,
    )
    load_file(con, book.save(tmp_path / "b.xlsx"))
    assert leading(con) == {"Sở Tài chính"}
    ranks = {u["unit"]: u["rank"] for u in rows(con, "SELECT unit, rank FROM v_unit_scores")}
    assert ranks["Sở Xây dựng"] == 1  # the rank stays what the totals say


def test_views_show_nfc_text(con, tmp_path):
    import unicodedata

    book = Book()
    book.kind_b([(1, "Sở Tài chính", "92")], columns=("Tên đơn vị", "Tổng điểm"))  # typed in NFD
    load_file(con, book.save(tmp_path / "b.xlsx"))
    (u,) = rows(con, "SELECT unit, cluster FROM v_unit_scores")
    assert u["unit"] == unicodedata.normalize("NFC", u["unit"]) == "Sở Tài chính"


def test_yearly_fall_is_not_compared_across_the_merger(con):
    """2024 (old Lâm Đồng) and 2025 (the merged province) are different populations."""
    from etl.db.store import insert_tables, new_import
    from etl.kinds.common import scope

    values = [
        {
            "scope": scope("D", "poor_household_rate", y),
            "indicator_key": "poor_household_rate",
            "indicator": "Tỷ lệ hộ nghèo đa chiều",
            "uom": "%",
            "year": y,
            "value": v,
            "value_kind": "actual",
            "source": "kiểm thử",
            "basis": None,
            "note": None,
            "source_file": None,
            "source_sheet": None,
            "source_cell": None,
        }
        for y, v in ((2023, 3.0), (2024, 1.5), (2025, 0.2))
    ]
    import_id = new_import(
        con, file_name="t.xlsx", sha="x" * 64, stored_path=None, kinds="D", rows=3, loaded_by="test"
    )
    insert_tables(con, import_id, {"indicator_values": values}, {r["scope"] for r in values})
    status = dict(
        con.execute(
            "SELECT year, status FROM v_province_indicators WHERE indicator_key = 'poor_household_rate'"
        ).fetchall()
    )
    assert status[2024] == "đạt"  # fell 1.5 points within the old province: inside 1 - 1.5
    assert status[2025] is None  # a 1.3-point fall across the merger is not a comparison
