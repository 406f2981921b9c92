"""The one place that opens DuckDB, and that decides who writes and who reads.

DuckDB lets one process hold a database file read-write, and then no other process may open it at
all. thidua therefore keeps two kinds of file:

* the **main file** (``data/thidua.duckdb``): only a writer opens it, briefly, while it holds the
  cross-process writer lock (``thidua.duckdb.lock``, a ``filelock``). Writers wait their turn: a load
  from the command line waits while the dashboard confirms an upload, and the other way round.
* **read snapshots**: when a write ends, the checkpointed main file is copied to
  ``thidua.duckdb.snapshots/NNNNNNNN.duckdb`` and the link ``thidua.read.duckdb`` is switched to it
  atomically. Readers (the dashboard's sessions, ``thidua history``/``export``, an analyst's
  notebook) open snapshots read-only, so any number of processes read while one writes, and a
  reader sees the state of the last committed write, never half of a load.

A crash (kill -9) mid-write leaves the main file with its WAL; DuckDB replays or drops the
unfinished transaction the next time a writer opens it, and the snapshot readers use is untouched.
The next write, or the next reader that finds the snapshot older than the main file, publishes a
fresh snapshot.
"""

from __future__ import annotations

import errno
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

from etl import settings
from etl.db import damage, lake
from etl.db.migrations import is_current, migrate
from etl.errors import (
    DatabaseBusy,
    DatabaseCorrupt,
    DatabaseError,
    corrupt_error,
    is_corrupt,
    is_disk_full,
    is_lock_conflict,
    is_too_new,
    too_new_error,
)

_lock = threading.Lock()
_connections: dict[Path, duckdb.DuckDBPyConnection] = {}
_readers: dict[Path, list[tuple[Path, duckdb.DuckDBPyConnection]]] = {}
_held = threading.local()  # per thread: {main path: depth} of the writer locks it holds
# Main files found damaged, by (size, mtime) when found: readers keep the last good snapshot and
# do not open the file again until it changes (a rebuild swaps it).
_damaged: dict[Path, tuple[tuple[int, int], str]] = {}

SNAPSHOTS_KEPT = 3  # older snapshots are unlinked; readers that still hold one keep reading it


def _open(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if is_lock_conflict(exc):  # not "lock" anywhere: "…in block at location…" is damage
            raise DatabaseBusy(
                "Một chương trình khác đang giữ cơ sở dữ liệu để ghi (ví dụ một notebook mở tệp "
                "chính ở chế độ ghi). Hãy đóng chương trình đó rồi thử lại; notebook nên mở "
                "bản đọc (etl.db.read_only() hoặc tệp thidua.read.duckdb)."
            ) from exc
        if is_too_new(exc):
            raise too_new_error(path) from exc
        raise corrupt_error(path) from exc
    except (duckdb.SerializationException, duckdb.InternalException) as exc:
        raise corrupt_error(path) from exc


def connect(db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """The process-wide read-write connection to the main file (created and migrated on first use).

    Other processes cannot open the file while this connection is open: outside tests, take it
    through :func:`writing`, which holds the writer lock and closes it again.
    """
    if lake.enabled():
        return _lake()
    path = main_path(db)
    with _lock:
        con = _connections.get(path)
        if con is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            _restore_from_snapshot(path)
            con = _open(path)
            try:
                migrate(con)
            except duckdb.Error as exc:
                con.close()
                if is_corrupt(exc):
                    raise corrupt_error(path) from exc
                raise
            _connections[path] = con
        return con


def _lake() -> duckdb.DuckDBPyConnection:
    """The national storage's process-wide instance (etl.db.lake), migrated on first use."""
    try:
        return lake.instance(_migrate_lake)
    except lake.LakeUnavailable as exc:
        raise DatabaseError(exc.message) from exc


def _migrate_lake(con: duckdb.DuckDBPyConnection) -> None:
    if is_current(con):
        return
    with lake.write_lock(float(settings.get("write_wait_seconds")), DatabaseBusy):
        migrate(con, lake.ddl)


def _restore_from_snapshot(main: Path) -> None:
    """A deleted main file comes back from the newest snapshot, which holds the last commit.

    Without this, the next write (even a sign-in) would create an empty database and publish it.
    """
    if main.exists():
        return
    snap = _current_snapshot(main)
    if snap is None:
        return
    tmp = main.with_name(main.name + ".restore")
    shutil.copyfile(snap, tmp)
    tmp.replace(main)
    import sys

    print(
        f"thidua: không thấy tệp '{main.name}'; đã khôi phục từ bản đọc mới nhất ({snap.name}).",
        file=sys.stderr,
    )


def cursor(db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A cursor of the shared read-write connection: give one to each session or thread."""
    return connect(db).cursor()


def main_path(db: str | Path | None = None) -> Path:
    return settings.db_path(str(db) if db else None).resolve()


def close(db: str | Path | None = None) -> None:
    path = main_path(db)
    with _lock:
        con = _connections.pop(path, None)
        readers = _readers.pop(path, [])
    if con is not None:
        con.close()
    for _, reader in readers:
        reader.close()


def close_all() -> None:
    lake.close_all()
    with _lock:
        cons = list(_connections.values())
        cons += [c for held in _readers.values() for _, c in held]
        _connections.clear()
        _readers.clear()
    for con in cons:
        con.close()


# --- the writer ---------------------------------------------------------------------------------


def lock_path(main: Path) -> Path:
    return main.with_name(main.name + ".lock")


def _depths() -> dict[Path, int]:
    if not hasattr(_held, "depths"):
        _held.depths = {}
    return _held.depths


@contextmanager
def write_lock(db: str | Path | None = None, timeout: float | None = None) -> Iterator[Path]:
    """Hold the cross-process writer lock of ``db`` (re-entrant within a thread).

    Waits up to ``timeout`` seconds (setting ``write_wait_seconds``) and then raises
    :class:`DatabaseBusy` with a Vietnamese message.
    """
    main = main_path(db)
    if lake.enabled():
        wait = float(settings.get("write_wait_seconds") if timeout is None else timeout)
        with lake.write_lock(wait, DatabaseBusy):
            yield main
        return
    depths = _depths()
    if depths.get(main):
        depths[main] += 1
        try:
            yield main
        finally:
            depths[main] -= 1
        return
    main.parent.mkdir(parents=True, exist_ok=True)
    wait = float(settings.get("write_wait_seconds") if timeout is None else timeout)
    lock = FileLock(lock_path(main), mode=0o644, is_singleton=True, preserve_lock_file=True)
    try:
        lock.acquire(timeout=wait, poll_interval=0.05)
    except Timeout:
        raise DatabaseBusy(
            f"Cơ sở dữ liệu đang bận: một thao tác ghi khác (nạp tệp, dựng lại…) chưa "
            f"xong sau {wait:.0f} giây chờ. Hãy thử lại sau ít phút."
        ) from None
    depths[main] = 1
    try:
        yield main
    finally:
        depths.pop(main, None)
        lock.release()


@contextmanager
def writing(
    db: str | Path | None = None, timeout: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The one way to write: the writer lock, the main file open read-write, then a snapshot.

    When the block ends (normally or not) the connection is closed, which checkpoints the file,
    and the result is published for readers. A connection this process already held open (tests,
    a rebuild) stays open and is checkpointed instead.
    """
    if lake.enabled():
        with write_lock(db, timeout):
            con = _lake().cursor()
            try:
                yield con
            finally:
                con.close()
        return
    with write_lock(db, timeout) as main:
        nested = _depths()[main] > 1
        held = main in _connections
        con = _connect_waiting(main, timeout)
        failed: BaseException | None = None
        try:
            yield con
            if not nested:
                _save_people(con, main)
        except BaseException as exc:
            failed = exc
            raise
        finally:
            if not nested:
                try:
                    if held:
                        con.execute("CHECKPOINT")
                    else:
                        close(main)
                except duckdb.Error as exc:
                    failed = failed or exc
                    if not _is_damage(exc):
                        raise
                if failed is not None and _is_damage(failed):
                    # The write read a damaged block: nothing of this file is shown to readers.
                    _mark_damaged(main)
                    if not isinstance(failed, DatabaseCorrupt):
                        raise damaged_error(main) from failed
                else:
                    _publish_quietly(main)


def _save_people(con: duckdb.DuckDBPyConnection, main: Path) -> None:
    """Keep what people typed beside the originals (etl.db.people). The write stands if this
    fails: the next write saves again."""
    from etl.db import people

    try:
        people.save(con, main)
    except (OSError, duckdb.Error) as exc:
        if _is_damage(exc):
            raise
        import sys

        reason = "ổ đĩa đã đầy" if is_disk_full(exc) else str(exc)
        print(
            f"thidua: đã ghi xong nhưng chưa chép được tài khoản và nhật ký thao tác ra "
            f"{people.path_of(main)} ({reason}); lần ghi sau sẽ chép lại.",
            file=sys.stderr,
        )


def _is_damage(exc: BaseException) -> bool:
    return isinstance(exc, DatabaseCorrupt) or is_corrupt(exc)


def _connect_waiting(main: Path, timeout: float | None) -> duckdb.DuckDBPyConnection:
    """connect(), waiting while a program that ignores the writer lock holds the file."""
    wait = float(settings.get("write_wait_seconds") if timeout is None else timeout)
    deadline = time.monotonic() + wait
    while True:
        try:
            return connect(main)
        except DatabaseBusy:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.2)


# --- snapshots for readers ------------------------------------------------------------------------


def snapshots_dir(main: Path) -> Path:
    return main.with_name(main.name + ".snapshots")


def read_path(db: str | Path | None = None) -> Path:
    """The stable name readers open: a link to the newest snapshot (``thidua.read.duckdb``)."""
    main = main_path(db)
    return main.with_name(main.stem + ".read" + main.suffix)


def _snapshot_number(path: Path) -> int:
    try:
        return int(path.name.split(".")[0])
    except ValueError:
        return -1


def _current_snapshot(main: Path) -> Path | None:
    try:
        target = os.readlink(read_path(main))
    except OSError:
        return None
    snap = (main.parent / target).resolve()
    return snap if snap.exists() else None


def _is_stale(main: Path, snap: Path) -> bool:
    try:
        m = main.stat()
    except FileNotFoundError:
        return False  # nothing newer to publish (connect() restores a deleted main file)
    try:
        s = snap.stat()
    except FileNotFoundError:
        return True
    wal = main.with_name(main.name + ".wal")
    return m.st_mtime_ns != s.st_mtime_ns or m.st_size != s.st_size or wal.exists()


def settled(db: str | Path | None = None) -> bool:
    """Whether the main file needs no writer before it is read: it exists and its newest snapshot
    is current and carries this program's schema (nothing to migrate, nothing to publish)."""
    main = main_path(db)
    snap = _current_snapshot(main)
    if snap is None or not main.exists() or _is_stale(main, snap):
        return False
    try:
        con = _open(snap, read_only=True)
    except DatabaseError:
        return False
    try:
        return is_current(con)
    except duckdb.Error:
        return False
    finally:
        con.close()


def publish(db: str | Path | None = None) -> Path:
    """Copy the main file to a new snapshot and point the read link at it (writer lock held).

    The main file must be closed or checkpointed by this process; the copy keeps its modification
    time, which is how readers tell that a snapshot is current.
    """
    main = main_path(db)
    if lake.enabled():
        return main  # every DuckLake commit is a snapshot readers see
    if not _depths().get(main):
        raise RuntimeError("publish() needs the writer lock")
    con = _connections.get(main)
    if con is not None:
        con.execute("CHECKPOINT")
    elif main.with_name(main.name + ".wal").exists():
        connect(main)  # replays the WAL of a crashed writer...
        close(main)  # ...and checkpoints it into the main file
    folder = snapshots_dir(main)
    folder.mkdir(exist_ok=True)
    existing = sorted(
        (p for p in folder.glob("*.duckdb") if _snapshot_number(p) >= 0), key=_snapshot_number
    )
    number = _snapshot_number(existing[-1]) + 1 if existing else 1
    final = folder / f"{number:08d}.duckdb"
    tmp = final.with_name(final.name + ".tmp")
    try:
        shutil.copy2(main, tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        _verify_copy(main, tmp)
        tmp.replace(final)
        link = read_path(main)
        link_tmp = link.with_name(link.name + ".tmp")
        link_tmp.unlink(missing_ok=True)
        link_tmp.symlink_to(os.path.relpath(final, link.parent))
        link_tmp.replace(link)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    for old in existing[: max(0, len(existing) + 1 - SNAPSHOTS_KEPT)]:
        old.unlink(missing_ok=True)
    for leftover in folder.glob("*.tmp"):
        leftover.unlink(missing_ok=True)
    return final


def _verify_copy(main: Path, copy: Path) -> None:
    """Read every block of the copy before readers may see it; a damaged one is never published."""
    try:
        damage.check_file(str(copy))
    except duckdb.Error as exc:
        if is_disk_full(exc):
            raise OSError(errno.ENOSPC, str(exc)) from exc
        _mark_damaged(main)
        raise damaged_error(main) from exc
    _damaged.pop(main, None)


DAMAGE_NOTICE = (
    "Tệp CSDL chính bị hỏng nên đang hiện số liệu đã ghi xong lần cuối trước khi hỏng; số liệu "
    "nạp sau đó (nếu có) chưa hiện. Người quản trị hãy chạy 'thidua rebuild' để dựng lại từ các "
    "tệp gốc."
)


def _mark_damaged(main: Path) -> None:
    key = _file_key(main)
    if key is not None:
        _damaged[main] = (key, DAMAGE_NOTICE)


def damaged_error(main: Path) -> DatabaseCorrupt:
    return DatabaseCorrupt(
        f"CSDL hỏng: tệp {main} có khối dữ liệu bị hỏng (sai mã kiểm tra), nên thao tác vừa rồi "
        "không được đưa ra cho người xem: bảng điều khiển và notebook vẫn thấy bản đọc tốt cuối "
        f"cùng. Hãy chạy 'thidua rebuild --db {main}' để dựng lại từ các tệp gốc (tài khoản, "
        "nhật ký thao tác và những gì quản trị viên đã nhập được giữ; tệp hỏng được giữ lại)."
    )


def damage_notice(db: str | Path | None = None) -> str | None:
    """A Vietnamese sentence for readers when the main file is damaged and they are shown the
    last good snapshot; None when all is well."""
    held = _damaged.get(main_path(db))
    return held[1] if held else None


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def _publish_quietly(main: Path) -> None:
    """Publish after a committed write. The write stands even if the copy fails (disk full):
    readers keep the previous snapshot, and the next reader or writer publishes again."""
    try:
        publish(main)
    except OSError as exc:
        import sys

        reason = "ổ đĩa đã đầy" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        print(
            f"thidua: đã ghi xong nhưng chưa tạo được bản đọc mới ({reason}); bảng điều khiển "
            "vẫn hiện số liệu trước đó cho đến lần ghi sau.",
            file=sys.stderr,
        )


def _fresh_snapshot(main: Path, timeout: float) -> Path | None:
    """The newest snapshot, published first when none exists or the main file moved on."""
    snap = _current_snapshot(main)
    if snap is not None and not _is_stale(main, snap):
        return snap
    if not main.exists() and snap is not None:
        return snap
    known = _damaged.get(main)
    if snap is not None and known is not None and known[0] == _file_key(main):
        return snap  # found damaged before and not changed since: do not open it again
    try:
        # A reader that has a snapshot never waits for a writer (a big commit): it reads the
        # last one, and the writer publishes when it is done.
        with write_lock(main, timeout=timeout if snap is None else 0):
            snap = _current_snapshot(main)
            if snap is not None and not _is_stale(main, snap):
                return snap
            if main not in _connections:
                # A new, empty database (schema and reference data), a crashed writer's WAL, or
                # a file written by a program that took no lock: opening settles each.
                connect(main)
                close(main)
            return publish(main)
    except DatabaseBusy:
        return snap  # a writer is busy: it publishes when it is done; meanwhile, the last one
    except (DatabaseCorrupt, duckdb.Error) as exc:
        if snap is None:
            raise
        if isinstance(exc, duckdb.Error) and not is_corrupt(exc):
            return snap  # the disk is full, ...: the last snapshot is still good
        _mark_damaged(main)
        return snap  # readers keep the last good state; writers are told to rebuild


def read_only(db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """A new read-only connection to the newest snapshot, for a notebook or a script.

    The caller closes it; it keeps showing the snapshot it opened (reconnect to see later loads).
    """
    if lake.enabled():
        try:
            return lake.open_connection(read_only=True)
        except lake.LakeUnavailable as exc:
            raise DatabaseError(exc.message) from exc
    main = main_path(db)
    snap = _fresh_snapshot(main, timeout=float(settings.get("write_wait_seconds")))
    if snap is None:
        raise DatabaseBusy("Cơ sở dữ liệu chưa có bản đọc nào. Hãy thử lại sau ít giây.")
    return _open(snap, read_only=True)


def reader(db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    """The process-wide read-only connection to the newest snapshot (refreshed when it changes).

    Cheap to call often: it stats two files. Take a cursor of it per session or thread.
    """
    return reader_of(db)[1]


def reader_of(db: str | Path | None = None) -> tuple[Path, duckdb.DuckDBPyConnection]:
    """:func:`reader` with the snapshot it reads (which names the data's generation)."""
    if lake.enabled():
        con = _lake()
        return Path(f"ducklake-snapshot-{lake.snapshot_id(con)}"), con
    main = main_path(db)
    for _attempt in range(3):
        snap = _fresh_snapshot(main, timeout=0.5)
        if snap is None:
            raise DatabaseBusy("Cơ sở dữ liệu đang được tạo. Hãy tải lại trang sau ít giây.")
        with _lock:
            held = _readers.setdefault(main, [])
            if held and held[-1][0] == snap:
                return held[-1]
        if snap.exists():
            break  # else a writer published twice and removed it meanwhile: look again
    con = _open(snap, read_only=True)
    with _lock:
        held = _readers.setdefault(main, [])
        if held and held[-1][0] == snap:  # another thread opened it meanwhile
            con.close()
            return held[-1]
        held.append((snap, con))
        # Sessions still reading an older snapshot finish on it; two generations are enough.
        stale = held[:-2]
        del held[:-2]
    for _, old in stale:
        old.close()
    return snap, con


def read_cursor(db: str | Path | None = None) -> duckdb.DuckDBPyConnection:
    return reader(db).cursor()
