"""Restore is the undo of retract (issue 9 item 3): retract then restore gives back exactly what
was there, whatever came before; restoring a superseded load is the explicit "use this older
version again"."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import db
from etl.load import load_file, restore, retract
from etl.load.rebuild import rebuild
from tests.etl.builders import UNIT, Book, Title, rows
from tests.etl.snapshots import journal_matches, view_contents, views_of

OTHER = "Văn phòng Đảng ủy Công an tỉnh"
SUMMARY_COLUMNS = (
    "Tên đơn vị",
    "Điểm tự chấm",
    "Điểm cụm chấm",
    "Điểm thưởng",
    "Điểm trừ",
    "Tổng điểm",
    "Xếp hạng",
    "Đề nghị khen thưởng",
)


def sheet(folder: Path, name: str, score: str, unit: str = UNIT) -> Path:
    book = Book()
    book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", "55", "54"),
            ("II", "Công tác xây dựng Đảng", "40", score, score),
        ],
        title=Title(unit=unit),
    )
    return book.save(folder / name)


def summary(folder: Path, name: str = "tong_hop.xlsx") -> Path:
    book = Book()
    book.kind_b(
        [
            (1, UNIT, "95", "94", None, None, "94", "1", "Cờ thi đua, đơn vị dẫn đầu"),
            (2, OTHER, "93", "92", None, None, "92", "2", "Bằng khen"),
        ],
        columns=SUMMARY_COLUMNS,
    )
    return book.save(folder / name)


def pool(folder: Path) -> list[Path]:
    """Files whose scopes overlap: two versions of a unit's sheet, another unit, the cluster
    summary that restates both units, targets, the membership list."""
    folder.mkdir(parents=True, exist_ok=True)
    members = Book()
    members.kind_e(
        [
            (1, UNIT, "Cụm thi đua số 4", "Cụm trưởng", "BTC CA"),
            (2, OTHER, "Cụm thi đua số 4", "Thành viên", None),
        ]
    )
    targets = Book()
    targets.kind_c([(1, "Số hồ sơ giải quyết đúng hạn", "hồ sơ", "200", "230")])
    return [
        sheet(folder, "cu.xlsx", "38"),
        sheet(folder, "moi.xlsx", "39"),
        sheet(folder, "vp.xlsx", "37", unit=OTHER),
        summary(folder),
        targets.save(folder / "ct.xlsx"),
        members.save(folder / "ds.xlsx"),
    ]


def unit_row(con, unit: str = UNIT) -> dict:
    (got,) = rows(con, "SELECT * FROM v_unit_scores WHERE unit = ?", [unit])
    return got


def test_retract_then_restore_of_a_superseded_sheet_keeps_the_summary(con, tmp_path):
    """The reported case: the sheet is superseded by the cluster summary; retracting and
    restoring the sheet must not let it take the summary's place."""
    files = pool(tmp_path)
    old = load_file(con, files[0])
    load_file(con, files[3])
    before = view_contents(con)
    assert unit_row(con)["proposal"] == "Cờ thi đua, đơn vị dẫn đầu"
    assert unit_row(con)["voted_leading"] is True

    assert retract(con, old.import_id)
    assert restore(con, old.import_id)
    assert view_contents(con) == before

    # Restoring it again, now that it is not retracted, is "use this older version": explicit.
    assert restore(con, old.import_id)
    got = unit_row(con)
    assert (got["source_kind"], got["proposal"], got["voted_leading"]) == ("A", None, False)


OPS = st.lists(
    st.tuples(st.sampled_from(["load", "retract", "restore"]), st.integers(0, 5)),
    min_size=1,
    max_size=12,
)


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    return pool(tmp_path_factory.mktemp("pool"))


# A dozen histories: each replays real loads, seconds apiece.
REPLAYS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def replay(con, files: list[Path], ops: list[tuple[str, int]]) -> list[int]:
    """Play a history of OPS on ``con``; the loads it made, in order."""
    loaded: list[int] = []
    for op, k in ops:
        if op == "load":
            report = load_file(con, files[k])
            if report.status == "loaded":
                loaded.append(report.import_id)
        elif loaded:
            (retract if op == "retract" else restore)(con, loaded[k % len(loaded)])
    return loaded


@REPLAYS
@given(ops=OPS)
def test_retract_restore_is_an_identity_and_the_journal_replays_it(files, ops, monkeypatch):
    """Any history of loads, retracts and restores; then for every load that is not retracted,
    retract + restore changes no view; and the journal alone rebuilds the same views."""
    monkeypatch.delenv("THIDUA_ORIGINALS_DIR", raising=False)
    folder = Path(tempfile.mkdtemp(prefix="thidua-restore-"))
    db_file = folder / "thidua.duckdb"
    try:
        con = db.connect(db_file)
        loaded = replay(con, files, ops)
        live = {
            r[0]
            for r in con.execute(
                "SELECT import_id FROM imports WHERE NOT retracted AND loaded_by IS NULL"
            ).fetchall()
        }
        for import_id in sorted(live):
            before = view_contents(con)
            retract(con, import_id)
            restore(con, import_id)
            assert view_contents(con) == before, import_id
        assert journal_matches(con, folder / "originals")
        before = view_contents(con)
        db.close_all()
        db_file.unlink()
        result = rebuild(db_file)
        assert result.source == ("journal" if loaded else "none") and not result.missing
        assert views_of(db_file) == before
    finally:
        db.close_all()
        shutil.rmtree(folder, ignore_errors=True)
