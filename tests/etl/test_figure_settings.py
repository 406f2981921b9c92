"""Settings that change a figure are data in the database (issue 15, finding 1): the environment
seeds them when the database is created and never changes them afterwards; an administrator does,
audited."""

from __future__ import annotations

import pytest

from etl import actions, cli, db
from etl.load import load_file
from etl.year import accounts
from tests.etl.builders import Book, Title

PASSWORD = "mat-khau-rat-dai-2026"


def scored(folder, name: str, self_score: str):
    """A unit scoring 85 of 100: excellent at a band of 80, only good at the default 90."""
    book = Book()
    book.kind_a(
        [("I", "Công tác chuyên môn", "60", "50", "50"), ("II", "Xây dựng Đảng", "40", "35", "35")],
        title=Title(),
    )
    return book.save(folder / name)


def classes(db_file) -> list[str]:
    con = db.read_only(db_file)
    try:
        return [r[0] for r in con.execute("SELECT classification FROM v_unit_scores").fetchall()]
    finally:
        con.close()


def test_a_command_without_the_servers_environment_changes_no_figure(
    db_file, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("THIDUA_CLASS_EXCELLENT_PCT", "80")  # the server's environment
    with db.writing(db_file) as con:
        assert load_file(con, scored(tmp_path, "a.xlsx", "85")).status == "loaded"
    db.close_all()
    assert classes(db_file) == ["Hoàn thành xuất sắc nhiệm vụ"]

    monkeypatch.delenv("THIDUA_CLASS_EXCELLENT_PCT")  # a clerk's shell
    assert cli.main(["retract", "999999", "--db", str(db_file)]) == 1
    assert cli.main(["history", "--db", str(db_file)]) == 0
    capsys.readouterr()
    assert classes(db_file) == ["Hoàn thành xuất sắc nhiệm vụ"]

    monkeypatch.setenv("THIDUA_CLASS_EXCELLENT_PCT", "95")  # another process, another value
    with db.writing(db_file) as con:
        accounts.add_user(con, "quantri", "admin", PASSWORD)
    assert classes(db_file) == ["Hoàn thành xuất sắc nhiệm vụ"]


def test_an_administrator_changes_a_band_and_the_audit_log_says_so(db_file, tmp_path):
    con = db.connect(db_file)
    load_file(con, scored(tmp_path, "a.xlsx", "85"))
    accounts.add_user(con, "quantri", "admin", PASSWORD)
    accounts.add_user(con, "nhap", "uploader", PASSWORD)
    with pytest.raises(PermissionError):
        actions.set_setting(con, "nhap", "class_excellent_pct", "80")
    with pytest.raises(ValueError, match="giảm dần"):
        actions.set_setting(con, "quantri", "class_excellent_pct", "60")
    assert actions.set_setting(con, "quantri", "class_excellent_pct", "80") == "80"
    (cls,) = con.execute("SELECT classification FROM v_unit_scores").fetchone()
    assert cls == "Hoàn thành xuất sắc nhiệm vụ"
    (detail,) = con.execute("SELECT detail FROM audit_log WHERE action = 'setting_set'").fetchone()
    assert '"old": "90"' in detail and '"value": "80"' in detail


def test_the_command_line_lists_and_sets_a_setting(db_file, tmp_path, monkeypatch, capsys):
    con = db.connect(db_file)
    accounts.add_user(con, "quantri", "admin", PASSWORD)
    db.close_all()
    monkeypatch.setenv("USER", "quantri")
    monkeypatch.setenv("THIDUA_TIE_BREAK", "group_1")  # ignored: the database holds 'none'
    assert cli.main(["setting", "set", "class_good_pct", "65", "--db", str(db_file)]) == 0
    assert cli.main(["setting", "list", "--db", str(db_file)]) == 0
    out = capsys.readouterr().out
    assert "class_good_pct" in out and "65" in out
    assert "THIDUA_TIE_BREAK=group_1 không có tác dụng" in out
    monkeypatch.setenv("USER", "ai-do")
    assert cli.main(["setting", "set", "class_good_pct", "60", "--db", str(db_file)]) == 1
