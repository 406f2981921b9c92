"""Every documented recovery path keeps what people typed (issue 15, finding 2): accounts, the
audit log, figure settings, due dates, award-rule edits and calendar entries survive `thidua
rebuild` after a damaged main file, a backup of `originals/` alone and a deleted database; the
rebuild says what it kept."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pytest

from etl import actions, cli, db
from etl.db import figure_settings, people
from etl.year import accounts
from tests.etl.snapshots import views_of
from tests.etl.test_recovery import PASSWORD, office_data

CLUSTER = "Cụm thi đua số 4"


def typed(db_file: Path) -> dict[str, list[tuple]]:
    con = db.read_only(db_file)
    try:
        tables = people.read_tables(con)
    finally:
        con.close()
    tables["audit_log"] = [r[1:] for r in tables["audit_log"]]  # who and what, not when
    return tables


@pytest.fixture(scope="module")
def made_office(tmp_path_factory) -> tuple[Path, dict[str, list[tuple]]]:
    """Loads, then what an office's staff did through the command line and the pages (each its own
    write, as they happen): four accounts, sign-outs..., due dates, a rule edit, the calendar, a
    band. Made once for the module (seconds of loads and writes); each test damages its own copy
    (``office``). The database file, and what people typed."""
    folder = tmp_path_factory.mktemp("office")
    db_file = folder / "db" / "thidua.duckdb"
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("THIDUA_DB", str(db_file))
        monkeypatch.delenv("THIDUA_ORIGINALS_DIR", raising=False)
        return db_file, _office(db_file, folder, monkeypatch)


@pytest.fixture
def office(made_office, db_file) -> dict[str, list[tuple]]:
    """This test's copy of the office's data folder (database, snapshots, originals, journal) at
    ``db_file``; what people typed in it."""
    source, before = made_office
    shutil.copytree(source.parent, db_file.parent, symlinks=True)
    assert typed(db_file) == before
    return before


def _office(db_file: Path, tmp_path: Path, monkeypatch) -> dict[str, list[tuple]]:
    with db.writing(db_file) as con:
        office_data(con, tmp_path / "incoming")
    for name, role in (("quantri", "admin"), ("nap1", "uploader"), ("nap2", "uploader")):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert cli.main(["user", "add", name, "--role", role, "--db", str(db_file)]) == 0
    with db.writing(db_file) as con:
        accounts.add_user(con, "xem", "viewer", PASSWORD, actor="quantri")
    with db.writing(db_file) as con:
        actions.set_due_date(con, "quantri", 2026, CLUSTER, "year", date(2026, 12, 15))
    with db.writing(db_file) as con:
        (rule,) = con.execute(
            "SELECT rule_id FROM award_rules WHERE check_kind = 'quota_count' AND NOT fixed "
            "ORDER BY seq LIMIT 1"
        ).fetchone()
        actions.edit_award_rule(con, "quantri", rule, "2", "Quyết định số 12/QĐ-UBND")
    with db.writing(db_file) as con:
        actions.add_calendar_entry(
            con, "quantri", 2026, "Đợt thi đua cao điểm", None, date(2026, 3, 1), date(2026, 4, 30)
        )
    with db.writing(db_file) as con:
        actions.set_setting(con, "quantri", "class_excellent_pct", "85")
    db.close_all()
    before = typed(db_file)
    assert len(before["users"]) == 4 and len(before["due_dates"]) == 1
    assert len(before["calendar_entries"]) == 1
    return before


def kept(before: dict, after: dict) -> None:
    for table in ("users", "due_dates", "award_rules", "calendar_entries", "settings"):
        assert after[table] == before[table], table
    assert after["audit_log"][: len(before["audit_log"])] == before["audit_log"]
    assert after["audit_log"][-1][1] == "rebuild"


def rebuild(capsys, db_file: Path) -> str:
    code = cli.main(["rebuild", "--db", str(db_file)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "4 tài khoản" in out and "1 hạn nộp" in out and "1 mục lịch thi đua" in out
    assert "1 quy tắc khen thưởng đã sửa" in out and "thiết lập số liệu" in out
    return out


def test_rebuild_after_a_damaged_main_file_keeps_people(office, db_file, capsys):
    loads = views_of(db_file)
    with db_file.open("r+b") as fh:
        fh.truncate(db_file.stat().st_size // 3)
    rebuild(capsys, db_file)
    kept(office, typed(db_file))
    assert views_of(db_file) == loads


def test_a_backup_of_originals_alone_keeps_people(office, db_file, tmp_path, capsys):
    loads = views_of(db_file)
    restored = tmp_path / "may_moi" / "data"
    shutil.copytree(db_file.parent / "originals", restored / "originals")
    target = restored / db_file.name
    out = rebuild(capsys, target)
    assert "people.json" in out
    kept(office, typed(target))
    assert views_of(target) == loads
    db.close_all()
    con = db.connect(target)
    assert accounts.authenticate(con, "quantri", PASSWORD) == "admin"
    assert figure_settings.stored(con)["class_excellent_pct"] == "85"


def test_a_deleted_database_keeps_people(office, db_file, capsys):
    db_file.unlink()
    shutil.rmtree(db.snapshots_dir(db_file))
    db.read_path(db_file).unlink()
    rebuild(capsys, db_file)
    kept(office, typed(db_file))


def test_without_the_people_file_the_newest_snapshot_still_keeps_them(office, db_file, capsys):
    people.path_of(db_file).unlink()  # a store from before the people file
    with db_file.open("r+b") as fh:
        fh.truncate(db_file.stat().st_size // 3)
    out = rebuild(capsys, db_file)
    assert "bản đọc mới nhất" in out
    kept(office, typed(db_file))


def test_a_calendar_entry_added_after_a_rebuild_gets_a_new_number(office, db_file, capsys):
    db_file.unlink()
    rebuild(capsys, db_file)
    with db.writing(db_file) as con:
        new = actions.add_calendar_entry(
            con, "quantri", 2026, "Đợt hai", None, date(2026, 9, 1), date(2026, 9, 30)
        )
    assert new not in [r[0] for r in office["calendar_entries"]]
