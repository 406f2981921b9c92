"""Backup and recovery (README "Sao lưu và khôi phục"): move the data folder, delete or corrupt
the database, tamper with or lose a kept original. Each case ends with every load back, or with a
clear refusal that leaves the live database as it was; never with less data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import etl.load.originals
from etl import cli, db
from etl.load import load_file, restore, retract
from etl.load.originals import Journal, find_original
from etl.year import accounts
from tests.etl.builders import UNIT, Book, Title, patch_cells, rows
from tests.etl.snapshots import journal_matches, view_contents, views_of

PASSWORD = "mat-khau-rat-dai-2026"


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def scoring(folder: Path, name: str, score: str, unit: str = UNIT) -> tuple[Path, str]:
    """A kind A sheet; also the address of its second criterion's assessed score."""
    book = Book()
    table = book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", "55", "54"),
            ("II", "Công tác xây dựng Đảng", "40", score, score),
        ],
        title=Title(unit=unit),
    )
    return book.save(folder / name), table.cell(1, "Cụm chấm")


def office_data(con, folder: Path) -> dict[str, int]:
    """A year of an office's loads: membership list, a sheet, its newer version, another unit,
    targets, a summary with the proposal and the voted leader; one retract, one restore."""
    folder.mkdir(parents=True, exist_ok=True)
    members = Book()
    members.kind_e(
        [
            (1, UNIT, "Cụm thi đua số 4", "Cụm trưởng", "BTC CA"),
            (2, "Văn phòng Đảng ủy Công an tỉnh", "Cụm thi đua số 4", "Thành viên", None),
        ]
    )
    targets = Book()
    targets.kind_c([(1, "Số hồ sơ giải quyết đúng hạn", "hồ sơ", "200", "230")])
    summary = Book()
    summary.kind_b(
        [(1, "Văn phòng Đảng ủy Công an tỉnh", "95", "94", None, None, "94", "1", "Cờ thi đua")],
        columns=(
            "Tên đơn vị",
            "Điểm tự chấm",
            "Điểm cụm chấm",
            "Điểm thưởng",
            "Điểm trừ",
            "Tổng điểm",
            "Xếp hạng",
            "Đề nghị khen thưởng",
        ),
    )
    files = {
        "ds": members.save(folder / "ds.xlsx"),
        "cu": scoring(folder, "cu.xlsx", "38")[0],
        "moi": scoring(folder, "moi.xlsx", "39")[0],
        "vp": scoring(folder, "vp.xlsx", "37", unit="Văn phòng Đảng ủy Công an tỉnh")[0],
        "ct": targets.save(folder / "ct.xlsx"),
        "th": summary.save(folder / "tong_hop.xlsx"),
    }
    ids = {}
    for key, path in files.items():
        report = load_file(con, path)
        assert report.status == "loaded", report.as_dict()
        ids[key] = report.import_id
    retract(con, ids["ct"])
    restore(con, ids["cu"])  # the older sheet brought back over the newer one
    return ids


@pytest.fixture
def live(db_file, tmp_path):
    """A database with office data and an admin account; its views as the user saw them."""
    with db.writing(db_file) as con:  # as every command and page writes: published, kept
        office_data(con, tmp_path / "incoming")
        accounts.add_user(con, "quantri", "admin", PASSWORD)
        before = view_contents(con)
    db.close_all()
    return before


def backups(folder: Path, name: str) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith(name + ".bak-"))


def test_moved_data_folder_rebuilds_every_load_and_keeps_every_backup(
    live, db_file, tmp_path, capsys
):
    moved = tmp_path / "chuyen_sang"
    shutil.copytree(db_file.parent, moved)
    shutil.rmtree(db_file.parent)
    target = moved / db_file.name

    code, out, err = run(capsys, "rebuild", "--db", str(target))
    assert code == 0, out + err
    assert "Dựng lại được 6/6 lần nạp." in out
    assert views_of(target) == live
    con = db.connect(target)
    assert accounts.authenticate(con, "quantri", PASSWORD) == "admin"
    # The kept originals are found in the moved folder, not at the path recorded at load time.
    assert all(
        str(moved) in r["stored_path"]
        for r in rows(con, "SELECT stored_path FROM imports WHERE loaded_by IS NOT NULL")
        if r["stored_path"] and "originals" in r["stored_path"]
    )
    db.close_all()
    (first,) = backups(moved, db_file.name)
    first_bytes = first.read_bytes()

    # A second rebuild keeps the first backup as it was and adds its own.
    code, out, _ = run(capsys, "rebuild", "--db", str(target))
    assert code == 0
    assert len(backups(moved, db_file.name)) == 2
    assert first.read_bytes() == first_bytes
    assert views_of(target) == live


def test_deleted_database_is_rebuilt_from_the_journal(live, db_file, capsys):
    db_file.unlink()
    code, out, _ = run(capsys, "rebuild", "--db", str(db_file))
    assert code == 0
    assert "nhật ký bản gốc" in out and "6/6" in out
    assert "Giữ lại (từ tệp people.json cạnh các bản gốc): 1 tài khoản" in out
    assert views_of(db_file) == live
    con = db.connect(db_file)
    assert [u["name"] for u in accounts.list_users(con)] == ["quantri"]
    assert journal_matches(con, db_file.parent / "originals")


@pytest.mark.parametrize("damage", ["truncated", "garbled"])
def test_corrupt_database_is_named_then_rebuilt_and_kept_aside(
    live, db_file, tmp_path, capsys, damage
):
    data = bytearray(db_file.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 3]
    else:
        data[: 1 << 16] = b"\x00\xff" * (1 << 15)
    db_file.write_bytes(bytes(data))

    for command in (
        ["load", str(scoring(tmp_path, "moi_nua.xlsx", "36")[0])],
        ["retract", "2"],
        ["user", "add", "x", "--role", "admin"],
    ):
        code, out, err = run(capsys, *command, "--db", str(db_file))
        assert code == cli.EXIT_CORRUPT, command
        assert "CSDL hỏng" in err and "thidua rebuild" in err
        assert "Traceback" not in out + err
    for command in (  # readers keep the last good snapshot
        ["history"],
        ["export", "table", "v_unit_scores", "-o", str(db_file.with_suffix(".xlsx"))],
    ):
        code, out, err = run(capsys, *command, "--db", str(db_file))
        assert code == 0, command
        assert "Traceback" not in out + err

    damaged = db_file.read_bytes()
    code, out, _ = run(capsys, "rebuild", "--db", str(db_file))
    assert code == 0, out
    assert views_of(db_file) == live
    (aside,) = db_file.parent.glob(db_file.name + ".corrupt-*")
    assert aside.read_bytes() == damaged  # moved, never deleted
    assert "hỏng được giữ lại" in out


def test_tampered_original_refuses_the_swap(live, db_file, tmp_path, capsys):
    con = db.connect(db_file)
    (sha,) = con.execute("SELECT sha256 FROM imports WHERE file_name = 'vp.xlsx'").fetchone()
    db.close_all()
    originals = db_file.parent / "originals"
    kept = find_original(originals, sha)
    _, cell = scoring(db_file.parent, "scratch.xlsx", "37")
    patch_cells(kept, {cell: f'<c r="{cell}"><v>40</v></c>'})  # one cell, 37 → 40
    live_bytes = db_file.read_bytes()

    code, out, err = run(capsys, "rebuild", "--db", str(db_file))
    assert code == cli.EXIT_REBUILD_INCOMPLETE
    assert "vp.xlsx" in out and "đã bị sửa" in out and "SHA-256" in out
    assert "KHÔNG thay CSDL" in err and "--allow-missing" in err
    assert db_file.read_bytes() == live_bytes
    assert backups(db_file.parent, db_file.name) == []
    assert views_of(db_file) == live

    # Loading the true file again mends the kept copy; then the rebuild goes through.
    true_file = tmp_path / "incoming" / "vp.xlsx"
    code, out, _ = run(capsys, "load", "--db", str(db_file), str(true_file))
    assert code == 0 and "đã nạp từ trước" in out
    code, out, _ = run(capsys, "rebuild", "--db", str(db_file))
    assert code == 0
    assert views_of(db_file) == live


def test_missing_original_refuses_unless_allowed(live, db_file, capsys):
    con = db.connect(db_file)
    (sha,) = con.execute("SELECT sha256 FROM imports WHERE file_name = 'ct.xlsx'").fetchone()
    db.close_all()
    find_original(db_file.parent / "originals", sha).unlink()
    db_file.unlink()  # even with the database gone, a rebuild that would lose a load waits

    code, out, _ = run(capsys, "rebuild", "--db", str(db_file))
    assert code == cli.EXIT_REBUILD_INCOMPLETE
    assert "ct.xlsx" in out and "Không tìm thấy bản gốc" in out
    assert not db_file.exists()

    code, out, _ = run(capsys, "rebuild", "--allow-missing", "--db", str(db_file))
    assert code == 0 and "5/6" in out and "--allow-missing" in out
    con = db.connect(db_file)
    names = {r["file_name"] for r in rows(con, "SELECT file_name FROM v_imports")}
    assert "ct.xlsx" not in names and {"cu.xlsx", "moi.xlsx", "tong_hop.xlsx"} <= names


def test_configured_originals_folder(db_file, tmp_path, monkeypatch, capsys):
    store = tmp_path / "kho_ban_goc"
    monkeypatch.setenv("THIDUA_ORIGINALS_DIR", str(store))
    con = db.connect(db_file)
    office_data(con, tmp_path / "incoming")
    before = view_contents(con)
    db.close_all()
    assert not (db_file.parent / "originals").exists()
    assert (store / "journal.jsonl").exists()
    db_file.unlink()
    code, out, err = run(capsys, "rebuild", "--db", str(db_file))
    assert code == 0 and str(store) in out, (out, err)
    assert views_of(db_file) == before


def test_store_without_a_journal_is_still_rebuilt(db_file, tmp_path, capsys):
    """Originals kept before the journal existed: their files alone are replayed."""
    con = db.connect(db_file)
    a, _ = scoring(tmp_path, "a.xlsx", "38")
    b, _ = scoring(tmp_path, "b.xlsx", "37", unit="Văn phòng Đảng ủy Công an tỉnh")
    load_file(con, a)
    load_file(con, b)
    scores = rows(con, "SELECT unit, total_score FROM v_unit_scores ORDER BY unit")
    db.close_all()
    (db_file.parent / "originals" / "journal.jsonl").unlink()
    db_file.unlink()
    code, out, _ = run(capsys, "rebuild", "--db", str(db_file))
    assert code == 0 and "không có nhật ký" in out and "2/2" in out
    con = db.connect(db_file)
    assert rows(con, "SELECT unit, total_score FROM v_unit_scores ORDER BY unit") == scores


def test_a_load_after_a_rebuild_is_still_the_newest(db_file, tmp_path):
    """A restore raised a precedence above the load count; the rebuilt file's counter follows."""
    con = db.connect(db_file)
    old, _ = scoring(tmp_path, "cu.xlsx", "38")
    new, _ = scoring(tmp_path, "moi.xlsx", "39")
    old_id = load_file(con, old).import_id
    load_file(con, new)
    for _ in range(3):
        restore(con, old_id)  # each time the newest again: precedence climbs
    db.close_all()
    from etl.load.rebuild import rebuild

    assert rebuild(db_file).swapped
    con = db.connect(db_file)
    newest, _ = scoring(tmp_path, "moi_nhat.xlsx", "40")
    load_file(con, newest)
    (got,) = rows(con, "SELECT total_score, source_file FROM v_unit_scores")
    assert got["source_file"] == "moi_nhat.xlsx"


def test_a_torn_journal_line_is_skipped(db_file, tmp_path):
    con = db.connect(db_file)
    a, _ = scoring(tmp_path, "a.xlsx", "38")
    load_file(con, a)
    journal = db_file.parent / "originals" / "journal.jsonl"
    with journal.open("a", encoding="utf-8") as fh:
        fh.write('{"event": "load", "sha": "ab')  # a crash in the middle of a write
    b, _ = scoring(tmp_path, "b.xlsx", "37", unit="Văn phòng Đảng ủy Công an tỉnh")
    load_file(con, b)
    assert journal_matches(con, journal.parent)
    assert len(Journal(journal.parent).replay()) == 2


def test_a_file_that_changes_while_it_is_kept_is_refused(con, db_file, tmp_path, monkeypatch):
    path, _ = scoring(tmp_path, "a.xlsx", "38")
    real = etl.load.originals._copy_hashing

    def altered_on_the_way(src, dest):
        real(src, dest)
        return "0" * 64  # the bytes copied are not the bytes that were checked

    monkeypatch.setattr(etl.load.originals, "_copy_hashing", altered_on_the_way)
    report = load_file(con, path)
    assert report.status == "refused"
    assert "đã thay đổi trong lúc nạp" in report.errors[0].message
    assert rows(con, "SELECT * FROM imports WHERE file_name = 'a.xlsx'") == []
    assert list((db_file.parent / "originals").glob("??/*")) == []


def test_an_older_database_copied_back_is_rebuilt_as_it_is_and_says_what_it_lacks(
    db_file, tmp_path, capsys
):
    con = db.connect(db_file)
    a, _ = scoring(tmp_path, "a.xlsx", "38")
    load_file(con, a)
    db.close_all()
    older = tmp_path / "older.duckdb"
    shutil.copy(db_file, older)
    con = db.connect(db_file)
    b, _ = scoring(tmp_path, "b.xlsx", "37", unit="Văn phòng Đảng ủy Công an tỉnh")
    load_file(con, b)
    db.close_all()
    shutil.copy(older, db_file)  # the user puts an older copy back
    before = views_of(db_file)

    code, out, _ = run(capsys, "rebuild", "--db", str(db_file))
    assert code == 0
    assert "1 lần nạp có trong nhật ký bản gốc nhưng không có trong CSDL" in out and "b.xlsx" in out
    assert views_of(db_file) == before
