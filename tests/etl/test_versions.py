"""Loading, versions and history (workbooks.md §7): the same file twice, a newer file superseding,
retract, restore, rebuild from the kept originals, one transaction per file."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

import etl.db.store
import etl.load.loader
from etl import cli, db
from etl.load import load_file, restore, retract
from etl.load.rebuild import rebuild
from etl.year import accounts
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
    real = etl.db.store.insert_tables

    def first_table_then_fail(con_, import_id, tables, scopes, *args, **kw):
        # Write the first table (and the scopes) for real, then fail.
        first = next(iter(tables))
        real(con_, import_id, {first: tables[first]}, scopes)
        written = counts(con_)
        assert written["import_scopes"] > before["import_scopes"]
        assert written["imports"] > before["imports"]
        raise RuntimeError("mất điện giữa chừng")

    monkeypatch.setattr(etl.db.store, "insert_tables", first_table_then_fail)
    monkeypatch.setattr(etl.load.loader, "insert_tables", first_table_then_fail)
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


# --- lineage when loads overlap only in part (issue 8, finding 5) ---------------------------------

OTHER_UNITS = (
    "Văn phòng Đảng ủy Công an tỉnh",
    "Ban Tuyên giáo Đảng ủy Công an tỉnh",
    "Ủy ban Kiểm tra Đảng ủy Công an tỉnh",
    "Đoàn Thanh niên Công an tỉnh",
    "Công đoàn Công an tỉnh",
)


def unit_sheets(tmp_path: Path, name: str, units: list[str], ii: str) -> Path:
    """One workbook with a scoring sheet per unit, as a cluster secretary sends them."""
    book = Book()
    for k, unit in enumerate(units):
        book.kind_a(
            [
                ("I", "Công tác chuyên môn", "60", "55", "54"),
                ("II", "Công tác xây dựng Đảng", "40", ii, ii),
            ],
            name=f"ĐV {k + 1}",
            title=Title(unit=unit),
        )
    return book.save(tmp_path / name)


def summary(tmp_path: Path, name: str, units: list[str]) -> Path:
    book = Book()
    book.kind_b(
        [(k + 1, u, "90", "88", None, None, "88", None, None, None) for k, u in enumerate(units)]
    )
    return book.save(tmp_path / name)


def test_partial_supersession_message_and_history_agree(con, tmp_path):
    u1, u4, u5, u6 = UNIT, *OTHER_UNITS[:3]
    early = load_file(con, summary(tmp_path, "tong_hop.xlsx", [u1, OTHER_UNITS[3]]))  # "16"
    first = load_file(con, unit_sheets(tmp_path, "dot1.xlsx", [u4, u5], "30"))  # "29"
    second = load_file(con, unit_sheets(tmp_path, "dot2.xlsx", [u4, u5, u6], "31"))  # "30"
    assert second.superseded == [first.import_id] and second.partly_superseded == []
    # A file for two units, one taken from the summary and one from the second batch.
    third = load_file(con, unit_sheets(tmp_path, "dot3.xlsx", [u1, u5], "32"))  # "31"
    assert third.status == "loaded"
    assert third.superseded == []
    assert third.partly_superseded == [early.import_id, second.import_id]
    (stored,) = con.execute(
        "SELECT report FROM imports WHERE import_id = ?", [third.import_id]
    ).fetchall()[0]
    assert json.loads(stored)["partly_superseded"] == third.partly_superseded  # kept as reported
    assert third.lineage() == (
        f"thay thế một phần lần nạp số {early.import_id}, số {second.import_id} "
        "(phần còn lại của các lần nạp đó vẫn được dùng)"
    )

    got = imports(con)
    # The first batch was replaced by the second when that was loaded; the third took nothing
    # from it (it held nothing by then), so the history does not name the third.
    assert got[first.import_id]["status"] == "superseded"
    assert got[first.import_id]["superseded_by"] == second.import_id
    for partly in (early.import_id, second.import_id):
        assert got[partly]["status"] == "loaded"
        assert got[partly]["superseded_by"] is None
        assert got[partly]["replaced_by"] == str(third.import_id)
        assert f"thay bởi lần nạp số {third.import_id}" in got[partly]["status_note"]
    assert got[early.import_id]["scopes_current"] == 1  # the summary's other unit
    assert got[second.import_id]["scopes_current"] == 4  # u4 and u6: a score and a tree each

    # What the views show agrees: every unit's figure comes from a load the history calls current.
    shown = rows(con, "SELECT unit, total_score, import_id FROM v_unit_scores")
    by_unit = {r["unit"]: r for r in shown}
    assert by_unit[u1]["import_id"] == third.import_id
    assert by_unit[u5]["import_id"] == third.import_id
    assert by_unit[u4]["import_id"] == second.import_id
    assert by_unit[u6]["import_id"] == second.import_id
    assert by_unit[OTHER_UNITS[3]]["import_id"] == early.import_id
    current = {i for i, r in got.items() if r["status"] == "loaded"}
    assert {r["import_id"] for r in shown} <= current

    # Withdraw the second batch: the first is current again for u4 (u5 stays with the third).
    assert retract(con, second.import_id)
    got = imports(con)
    assert got[first.import_id]["status"] == "loaded"
    assert got[first.import_id]["replaced_by"] == str(third.import_id)
    assert got[first.import_id]["scopes_current"] == 2
    shown = {r["unit"]: r["import_id"] for r in rows(con, "SELECT * FROM v_unit_scores")}
    assert shown[u4] == first.import_id
    assert u6 not in shown


def test_a_load_that_replaces_a_whole_load_and_part_of_another(con, tmp_path):
    old = load_file(con, unit_sheets(tmp_path, "a.xlsx", [UNIT], "30"))
    wide = load_file(con, unit_sheets(tmp_path, "b.xlsx", OTHER_UNITS[:2], "31"))
    new = load_file(con, unit_sheets(tmp_path, "c.xlsx", [UNIT, OTHER_UNITS[0]], "32"))
    assert new.superseded == [old.import_id]
    assert new.partly_superseded == [wide.import_id]
    assert new.lineage().startswith(f"thay thế toàn bộ lần nạp số {old.import_id}; thay thế một")
    got = imports(con)
    assert got[old.import_id]["superseded_by"] == new.import_id
    assert got[old.import_id]["status_note"] == (
        f"Đã được thay toàn bộ bởi lần nạp số {new.import_id}."
    )
    assert got[wide.import_id]["status"] == "loaded"
    assert (got[wide.import_id]["scopes_current"], got[wide.import_id]["scopes_total"]) == (2, 4)
