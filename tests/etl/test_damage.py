"""Damage is caught before anything is published from it (issue 15, finding 3): a truncated or
partly overwritten main file never becomes the read snapshot, readers keep the last good one with
a Vietnamese notice, DuckDB's "…in block at location…" is damage and not a busy file, and a
rebuild stopped by a full disk says so (exit 4)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import duckdb
import pytest

from etl import cli, db, errors
from etl.db import damage
from etl.load import load_file
from etl.year import accounts
from tests.conftest import tmpfs
from tests.etl.builders import Book, Title

PASSWORD = "mat-khau-rat-dai-2026"


def scoring(folder: Path, name: str, score: str, rows: int = 400) -> Path:
    book = Book()
    book.kind_a(
        [(str(i), f"Tiêu chí số {i}", "1", score, score) for i in range(1, rows + 1)],
        title=Title(),
    )
    return book.save(folder / name)


def run(capsys, *args: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = cli.main(list(args))
    return code, capsys.readouterr().err


@pytest.fixture
def published(db_file, tmp_path) -> Path:
    """A database with loads and an account, published; every process closed."""
    with db.writing(db_file) as con:
        for i in range(3):
            assert load_file(con, scoring(tmp_path, f"s{i}.xlsx", str(i))).status == "loaded"
        accounts.add_user(con, "quantri", "admin", PASSWORD)
    db.close_all()
    return db_file


def snapshot_is_good(db_file: Path) -> bool:
    snap = db.read_path(db_file).resolve()
    try:
        damage.check_file(str(snap))
    except duckdb.Error:
        return False
    return True


def test_a_truncated_main_file_leaves_readers_on_the_last_good_snapshot(published):
    good = db.read_path(published).resolve()
    with published.open("r+b") as fh:
        fh.truncate(published.stat().st_size // 2)
    snap, con = db.reader_of(published)
    assert snap == good
    assert con.execute("SELECT count(*) FROM users").fetchone() == (1,)
    notice = db.damage_notice(published)
    assert notice and "thidua rebuild" in notice and "Exception" not in notice


@pytest.mark.parametrize("where", [i / 9 for i in range(1, 9)])
def test_a_damaged_block_is_never_published(published, tmp_path, capsys, monkeypatch, where):
    """One 4 KiB block overwritten somewhere in the file: `user add` and `load` either work on a
    file that is still whole, or refuse with exit 5; the read snapshot always passes a full read."""
    size = published.stat().st_size
    with published.open("r+b") as fh:
        fh.seek(int(size * where) // 4096 * 4096)
        fh.write(os.urandom(4096))
    for args, stdin in (
        (["user", "add", "moi", "--role", "viewer"], PASSWORD + "\n"),
        (["load", str(scoring(tmp_path, "them.xlsx", "1", 30))], None),
    ):
        before = db.read_path(published).resolve()
        code, err = run(capsys, *args, "--db", str(published), stdin=stdin, monkeypatch=monkeypatch)
        assert code in (0, cli.EXIT_CORRUPT), err
        assert "Exception" not in err and "bận" not in err
        if code == cli.EXIT_CORRUPT:
            assert "CSDL hỏng" in err and "thidua rebuild" in err
            assert db.read_path(published).resolve() == before
        assert snapshot_is_good(published)


def test_damage_in_a_block_is_not_a_busy_database():
    err = duckdb.Error(
        "Corrupt database file: computed checksum 1 does not match stored checksum 2 in block "
        "at location 12288"
    )
    assert errors.is_corrupt(err) and not errors.is_lock_conflict(err)
    busy = duckdb.IOException(
        'IO Error: Could not set lock on file "/d/thidua.duckdb": Conflicting lock is held in '
        "python (PID 1)."
    )
    assert errors.is_lock_conflict(busy) and not errors.is_corrupt(busy)


def test_a_damaged_block_makes_commands_say_damaged_not_busy(published, capsys):
    size = published.stat().st_size
    with published.open("r+b") as fh:  # the first data blocks: every open reads them
        fh.seek(3 * 4096)
        fh.write(os.urandom(size // 2))
    for args in (["retract", "1"], ["history"], ["rebuild"]):
        code, err = run(capsys, *args, "--db", str(published))
        assert code in (0, cli.EXIT_CORRUPT), (args, err)
        assert code != cli.EXIT_BUSY and "bận" not in err


def written_by_a_newer_duckdb(path: Path) -> None:
    """Give the file's main header a storage version this DuckDB does not read, with the header's
    checksum made again (DuckDB's: 5381 xor each 64-bit word times 0xbf58476d1ce4e5b9), as a
    newer DuckDB leaves it: whole, only newer."""
    import struct

    data = bytearray(path.read_bytes())
    data[12:20] = struct.pack("<Q", 999)
    checksum = 5381
    for (word,) in struct.iter_unpack("<Q", bytes(data[8:4096])):
        checksum ^= (word * 0xBF58476D1CE4E5B9) & (2**64 - 1)
    data[0:8] = struct.pack("<Q", checksum)
    path.write_bytes(bytes(data))


def test_a_file_of_a_newer_duckdb_is_not_called_damaged_and_is_left_alone(
    published, tmp_path, capsys
):
    """Opened by an analyst's newer DuckDB (or a newer thidua), the file is whole: the clerk is
    told which DuckDB reads it, not that it is damaged, and nothing is set aside or rebuilt."""
    written_by_a_newer_duckdb(published)
    before = published.read_bytes()
    with pytest.raises(duckdb.IOException, match="newer version"):
        duckdb.connect(str(published)).close()
    code, err = run(capsys, "load", str(scoring(tmp_path, "moi.xlsx", "1")), "--db", str(published))
    assert code == errors.EXIT_REFUSED, err
    assert "phiên bản DuckDB mới hơn" in err and "hỏng" not in err.replace("không hỏng", "")
    assert published.read_bytes() == before
    assert sorted(p.name for p in published.parent.iterdir() if "hong" in p.name.lower()) == []


@pytest.fixture
def small_disk(tmp_path):
    with tmpfs(tmp_path / "disk", 32) as mount:
        yield mount


def test_rebuild_on_a_nearly_full_disk_exits_4(small_disk, tmp_path, capsys, monkeypatch):
    db_file = small_disk / "data" / "thidua.duckdb"
    monkeypatch.setenv("THIDUA_DB", str(db_file))
    with db.writing(db_file) as con:
        load_file(con, scoring(tmp_path, "lon.xlsx", "1", 3000))
    db.close_all()
    stat = os.statvfs(small_disk)
    with (small_disk / "filler").open("wb") as fh:
        fh.write(b"\0" * max(0, stat.f_bavail * stat.f_frsize - (256 << 10)))
    before = db_file.read_bytes()
    code, err = run(capsys, "rebuild", "--db", str(db_file))
    assert code == cli.EXIT_DISK_FULL, err
    assert "ổ đĩa đã đầy" in err and "Exception" not in err
    assert db_file.read_bytes() == before
    assert not list(db_file.parent.glob("*.rebuild*"))
    (small_disk / "filler").unlink()
    assert run(capsys, "rebuild", "--db", str(db_file))[0] == 0
