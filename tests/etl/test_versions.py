"""Loading, versions and history (workbooks.md §7): the same file twice, a newer file superseding,
retract, restore, rebuild from the kept originals, one transaction per file."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import etl.load
import etl.store
from etl import accounts, cli, db
from etl.load import load_file, restore, retract
from etl.rebuild import rebuild
from tests.etl.builders import UNIT, Book, Title, counts, rows

REFERENCE_FILTER = " WHERE loaded_by IS DISTINCT FROM 'dữ liệu tham chiếu'"
VIEWS = (
    "v_unit_scores",
    "v_criterion_scores",
    "v_target_completion",
    "v_province_indicators",
    "v_cluster_members",
    "v_imports",
)


def scoring(tmp_path: Path, name: str, self_: str, assessed: str, **title) -> Path:
    book = Book()
    book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", "55", "54"),
            ("II", "Công tác xây dựng Đảng", "40", self_, assessed),
        ],
        title=Title(**title),
    )
    return book.save(tmp_path / name)


def total(con, unit: str = UNIT) -> float | None:
    got = rows(con, "SELECT total_score FROM v_unit_scores WHERE unit = ?", [unit])
    return got[0]["total_score"] if got else None


def imports(con) -> dict[int, dict]:
    return {r["import_id"]: r for r in rows(con, "SELECT * FROM v_imports")}


def test_same_file_twice_changes_nothing(con, tmp_path):
    path = scoring(tmp_path, "a.xlsx", "38", "37")
    first = load_file(con, path)
    assert first.status == "loaded"
    before = counts(con)
    again = load_file(con, path)
    assert again.status == "already_loaded"
    assert again.import_id == first.import_id
    assert counts(con) == before
    # Under another name too: the content decides.
    copy = tmp_path / "ban_sao.xlsx"
    copy.write_bytes(path.read_bytes())
    assert load_file(con, copy).status == "already_loaded"
    assert counts(con) == before


def test_newer_file_supersedes_and_retract_restore(con, tmp_path):
    old = load_file(con, scoring(tmp_path, "cu.xlsx", "38", "37"))
    new = load_file(con, scoring(tmp_path, "moi.xlsx", "39", "39,5"))
    assert (old.status, new.status) == ("loaded", "loaded")
    assert old.import_id in new.superseded
    assert total(con) == pytest.approx(93.5)
    assert len(rows(con, "SELECT * FROM v_unit_scores")) == 1
    assert {r["import_id"] for r in rows(con, "SELECT import_id FROM v_criterion_scores")} == {
        new.import_id
    }
    got = imports(con)
    assert got[old.import_id]["status"] == "superseded"
    assert got[old.import_id]["superseded_by"] == new.import_id
    assert got[new.import_id]["status"] == "loaded"
    assert got[new.import_id]["superseded_by"] is None

    # Retract the newer: the views fall back to the older load.
    assert retract(con, new.import_id)
    assert total(con) == pytest.approx(91.0)
    got = imports(con)
    assert got[new.import_id]["status"] == "retracted"
    assert got[old.import_id]["status"] == "loaded"

    # Restore the newer: it is current again; then restore the older over it.
    assert restore(con, new.import_id)
    assert total(con) == pytest.approx(93.5)
    assert restore(con, old.import_id)
    assert total(con) == pytest.approx(91.0)
    got = imports(con)
    assert got[old.import_id]["status"] == "loaded"
    assert got[new.import_id]["status"] == "superseded"
    assert got[new.import_id]["superseded_by"] == old.import_id
    # Nothing was deleted on the way.
    assert (
        len(
            rows(
                con,
                "SELECT * FROM unit_results WHERE import_id IN (?, ?)",
                [old.import_id, new.import_id],
            )
        )
        == 2
    )


def test_retract_and_restore_of_a_missing_load(con):
    assert retract(con, 999) is False
    assert restore(con, 999) is False


def test_a_newer_file_for_another_unit_supersedes_nothing(con, tmp_path):
    a = load_file(con, scoring(tmp_path, "a.xlsx", "38", "37"))
    b = load_file(
        con, scoring(tmp_path, "b.xlsx", "39", "39", unit="Văn phòng Đảng ủy Công an tỉnh")
    )
    assert b.superseded == []
    assert imports(con)[a.import_id]["status"] == "loaded"
    assert len(rows(con, "SELECT * FROM v_unit_scores")) == 2


def test_a_newer_year_supersedes_nothing(con, tmp_path):
    a = load_file(con, scoring(tmp_path, "a.xlsx", "38", "37"))
    load_file(con, scoring(tmp_path, "b.xlsx", "39", "39", year=2025))
    assert imports(con)[a.import_id]["status"] == "loaded"
    assert sorted(r["year"] for r in rows(con, "SELECT year FROM v_unit_scores")) == [2025, 2026]


def test_original_file_is_kept_by_sha256_next_to_the_db(con, db_file, tmp_path):
    path = scoring(tmp_path, "a.xlsx", "38", "37")
    report = load_file(con, path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert report.sha256 == sha
    kept = [p for p in (db_file.parent / "originals").glob("??/*") if p.is_file()]
    assert [p.name for p in kept] == [f"{sha}.xlsx"]
    assert kept[0].parent.name == sha[:2]
    assert kept[0].read_bytes() == path.read_bytes()
    assert imports(con)[report.import_id]["sha256"] == sha


def test_a_load_is_one_transaction(con, tmp_path, monkeypatch):
    path = scoring(tmp_path, "a.xlsx", "38", "37")
    real = etl.store.insert_tables

    def first_table_then_fail(con_, import_id, tables, scopes, *args, **kw):
        # Write the first table (and the scopes) for real, then fail.
        first = next(iter(tables))
        real(con_, import_id, {first: tables[first]}, scopes)
        written = counts(con_)
        assert written["import_scopes"] > before["import_scopes"]
        assert written["imports"] > before["imports"]
        raise RuntimeError("mất điện giữa chừng")

    monkeypatch.setattr(etl.store, "insert_tables", first_table_then_fail)
    monkeypatch.setattr(etl.load, "insert_tables", first_table_then_fail)
    before = counts(con)
    with pytest.raises(RuntimeError):
        load_file(con, path)
    assert counts(con) == before
    monkeypatch.undo()
    # The connection is usable and the same file loads afterwards.
    assert load_file(con, path).status == "loaded"
    assert total(con) == pytest.approx(91.0)


def _view_contents(con) -> dict[str, list[tuple]]:
    """Every view's rows, without load ids. The shipped reference data is loaded afresh into
    every new database (at that moment), so its own v_imports row is left out."""
    out = {}
    for view in VIEWS:
        cols = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
        keep = [c for c in cols if c not in ("import_id", "superseded_by")]
        select = ", ".join(f'"{c}"' for c in keep)
        where = REFERENCE_FILTER if view == "v_imports" else ""
        out[view] = sorted(con.execute(f"SELECT {select} FROM {view}{where}").fetchall(), key=repr)
    return out


def test_rebuild_gives_identical_views_and_keeps_users(con, db_file, tmp_path):
    members = Book()
    members.kind_e(
        [
            (1, UNIT, "Cụm thi đua số 4", "Cụm trưởng", "BTC CA"),
            (2, "Văn phòng Đảng ủy Công an tỉnh", "Cụm thi đua số 4", "Thành viên", None),
        ]
    )
    load_file(con, members.save(tmp_path / "ds.xlsx"))
    old = load_file(con, scoring(tmp_path, "cu.xlsx", "38", "37"))
    new = load_file(con, scoring(tmp_path, "moi.xlsx", "39", "39,5"))
    other = load_file(
        con, scoring(tmp_path, "vp.xlsx", "39", "39", unit="Văn phòng Đảng ủy Công an tỉnh")
    )
    targets = Book()
    targets.kind_c([(1, "Số hồ sơ giải quyết đúng hạn", "hồ sơ", "200", "230")])
    load_file(con, targets.save(tmp_path / "ct.xlsx"))
    retract(con, other.import_id)
    restore(con, old.import_id)
    accounts.add_user(con, "quantri", "admin", "mat-khau-rat-dai-2026")
    assert total(con) == pytest.approx(91.0)
    assert new.status == "loaded"
    before = _view_contents(con)
    users_before = accounts.list_users(con)

    result = rebuild(db_file)
    assert result.swapped and not result.missing
    assert [r.status for r in result.reports] == ["loaded"] * 5
    con = db.connect(db_file)
    after = _view_contents(con)
    for view in VIEWS:
        assert after[view] == before[view], view
    assert accounts.list_users(con) == users_before
    assert accounts.authenticate(con, "quantri", "mat-khau-rat-dai-2026") == "admin"
    assert total(con) == pytest.approx(91.0)


def test_batch_with_a_refused_file(db_file, tmp_path, capsys):
    good = scoring(tmp_path, "a.xlsx", "38", "37")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"%PDF-1.4 not a workbook")
    code = cli.main(["load", "--db", str(db_file), str(good), str(bad)])
    out = capsys.readouterr().out
    assert code == 1
    assert "a.xlsx: đã nạp" in out
    assert "bad.xlsx: BỊ TỪ CHỐI" in out
    con = db.connect(db_file)
    assert total(con) == pytest.approx(91.0)
    loaded = rows(con, "SELECT file_name FROM v_imports" + REFERENCE_FILTER)
    assert [r["file_name"] for r in loaded] == ["a.xlsx"]
