"""The national deployment (interface.md §4): DuckLake, its catalog in PostgreSQL, its data files in
``THIDUA_DATA_PATH`` — the same tables and the same view SQL as the embedded DuckDB file.

* **Connections.** One DuckDB instance per process is opened on the lake (it is its default
  database); every session, thread or writer takes a cursor of it. DuckDB loads the DuckLake and
  PostgreSQL extensions from their PyPI wheels (nothing is downloaded at run time): the files are
  linked into an extension folder of ours under the names DuckDB autoloads them by (the
  PostgreSQL one only as ``postgres_scanner``).
* **Readers never wait.** A DuckLake transaction reads the snapshot that was current when it
  began; a commit adds a snapshot in one PostgreSQL transaction, so readers see a whole load or
  nothing, on every server at once.
* **Writers take turns.** DuckLake has no primary keys, unique constraints or sequences, and the
  loader numbers loads (max + 1) and refuses a file already loaded (by its sha256). A writer
  therefore holds a PostgreSQL advisory lock (the national counterpart of the embedded flock) for
  its transaction: the same file loaded at two sites at once becomes one load and one "already
  loaded". The lock belongs to the writer's PostgreSQL session, so a writer killed with -9 drops
  it with its connection, and its DuckLake commit either happened (one PostgreSQL transaction) or
  did not. DuckLake itself retries a commit that meets another writer's (a notebook, a compaction)
  when the two do not touch the same rows (``ducklake_max_retry_count``).
"""

from __future__ import annotations

import os
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

LAKE = "thidua"  # the name the lake is attached under in every connection
# pg_advisory_lock key of the writer: 'thidua' in ASCII, one lock for the whole catalog.
WRITER_LOCK_KEY = 0x746869647561
_EXTENSIONS = {
    # file name DuckDB loads it by -> (wheel package, file in the wheel)
    "ducklake.duckdb_extension": ("duckdb_extension_ducklake", "ducklake.duckdb_extension"),
    "postgres_scanner.duckdb_extension": (
        "duckdb_extension_postgres",
        "postgres.duckdb_extension",
    ),
}

_lock = threading.Lock()
_instances: dict[tuple[str, str], duckdb.DuckDBPyConnection] = {}
_held = threading.local()  # per thread: (psycopg connection, depth) of the writer lock


class LakeUnavailable(Exception):
    """The catalog cannot be reached or is not configured; ``message`` is Vietnamese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def catalog() -> str:
    """``THIDUA_CATALOG`` (``postgres:<libpq keywords>``), or '' for the embedded default."""
    return os.environ.get("THIDUA_CATALOG", "").strip()


def enabled() -> bool:
    return bool(catalog())


def data_path() -> Path:
    raw = os.environ.get("THIDUA_DATA_PATH", "").strip()
    if not raw:
        raise LakeUnavailable(
            "Đã đặt THIDUA_CATALOG (triển khai toàn quốc) nhưng chưa đặt THIDUA_DATA_PATH: thư "
            "mục dữ liệu dùng chung mà mọi máy chủ đều truy cập được."
        )
    return Path(raw)


def conninfo(cat: str | None = None) -> str:
    """The libpq keywords of the catalog (``postgres:`` stripped)."""
    cat = catalog() if cat is None else cat
    if not cat.startswith("postgres:"):
        raise LakeUnavailable(
            f"THIDUA_CATALOG='{cat}' không hợp lệ: hãy ghi 'postgres:' rồi các tham số kết nối "
            "PostgreSQL, ví dụ 'postgres:dbname=thidua host=db.example user=thidua'."
        )
    return cat.removeprefix("postgres:")


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def extension_dir() -> Path:
    """A DuckDB extension directory holding the wheels' files under the names DuckDB loads
    them by: ``autoload`` then finds them there (and ``autoinstall`` stays off)."""
    version = duckdb.__version__
    root = Path(tempfile.gettempdir()) / f"thidua-duckdb-extensions-{os.getuid()}"
    platform = duckdb.execute("PRAGMA platform").fetchone()[0]  # type: ignore[index]
    folder = root / f"v{version}" / platform
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    for name, (package, file) in _EXTENSIONS.items():
        source = Path(str(resources.files(package).joinpath("extensions", f"v{version}", file)))
        link = folder / name
        if link.is_symlink() and os.readlink(link) == str(source):
            continue
        tmp = folder / f".{name}.{os.getpid()}"
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(source)
        tmp.replace(link)
    return root


def config() -> dict[str, str | bool]:
    return {
        "extension_directory": str(extension_dir()),
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": True,
    }


def attach(
    con: duckdb.DuckDBPyConnection,
    *,
    name: str = LAKE,
    read_only: bool = False,
    snapshot_time: str | None = None,
) -> None:
    """Attach the configured lake to ``con`` as ``name`` (optionally as it was at a moment);
    creates the catalog, with its data path, when there is none yet."""
    options = [f"DATA_PATH {_quote(str(data_path()) + os.sep)}", "METADATA_SCHEMA 'public'"]
    if read_only or snapshot_time:
        options.append("READ_ONLY")
    if snapshot_time:
        options.append(f"SNAPSHOT_TIME {_quote(snapshot_time)}")
    target = "ducklake:postgres:" + conninfo()
    try:
        con.execute(f"ATTACH {_quote(target)} AS {name} ({', '.join(options)})")
    except duckdb.Error as exc:
        raise LakeUnavailable(
            f"Không kết nối được kho dữ liệu toàn quốc (THIDUA_CATALOG): {_first_line(exc)}"
        ) from exc


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def open_connection(*, read_only: bool = False, snapshot_time: str | None = None):  # type: ignore[no-untyped-def]
    """A new in-memory DuckDB with the lake attached as ``thidua`` and made the default (for
    one connection: a notebook, a command, a moment in the past)."""
    con = duckdb.connect(config=config())
    try:
        attach(con, read_only=read_only, snapshot_time=snapshot_time)
        con.execute(f"USE {LAKE}")
    except BaseException:
        con.close()
        raise
    return con


def _open_instance() -> duckdb.DuckDBPyConnection:
    """DuckDB opened *on* the lake, so that every cursor of it (one per session or thread) has
    the lake as its default database, as cursors of a DuckDB file do."""
    target = "ducklake:postgres:" + conninfo()
    try:
        return duckdb.connect(target, config=config())
    except duckdb.Error:
        pass  # no catalog yet: create it, with its data path, then open it
    open_connection().close()
    try:
        return duckdb.connect(target, config=config())
    except duckdb.Error as exc:
        raise LakeUnavailable(
            f"Không kết nối được kho dữ liệu toàn quốc (THIDUA_CATALOG): {_first_line(exc)}"
        ) from exc


def instance(migrate: object = None) -> duckdb.DuckDBPyConnection:
    """The process-wide instance (created, and migrated by ``migrate(con)``, on first use)."""
    key = (catalog(), str(data_path()))
    with _lock:
        con = _instances.get(key)
        if con is None:
            con = _open_instance()
            try:
                if callable(migrate):
                    migrate(con)
            except BaseException:
                con.close()
                raise
            _instances[key] = con
        return con


def close_all() -> None:
    with _lock:
        cons = list(_instances.values())
        _instances.clear()
    for con in cons:
        con.close()


def snapshot_id(con: duckdb.DuckDBPyConnection) -> int:
    """The newest snapshot of the lake: changes with every commit, from any server."""
    row = con.execute(
        "SELECT max(snapshot_id) FROM ducklake_snapshots(current_database())"
    ).fetchone()
    return int(row[0]) if row else 0


# --- the writer ---------------------------------------------------------------------------------


def _pg_connect():  # type: ignore[no-untyped-def]
    import psycopg

    try:
        return psycopg.connect(conninfo(), autocommit=True, application_name="thidua writer")
    except psycopg.Error as exc:
        raise LakeUnavailable(
            f"Không kết nối được CSDL danh mục PostgreSQL: {_first_line(exc)}"
        ) from exc


@contextmanager
def write_lock(wait: float, busy: type[Exception]) -> Iterator[None]:
    """Hold the catalog's writer lock (re-entrant within a thread); ``busy(message)`` after
    ``wait`` seconds."""
    held = getattr(_held, "lock", None)
    if held is not None:
        _held.lock = (held[0], held[1] + 1)
        try:
            yield
        finally:
            _held.lock = (held[0], _held.lock[1] - 1)
        return
    pg = _pg_connect()
    try:
        deadline = time.monotonic() + wait
        while True:
            row = pg.execute("SELECT pg_try_advisory_lock(%s)", [WRITER_LOCK_KEY]).fetchone()
            if row and row[0]:
                break
            if time.monotonic() >= deadline:
                raise busy(
                    f"Kho dữ liệu đang bận: một thao tác ghi khác (nạp tệp, rút lại…) ở một máy "
                    f"chủ nào đó chưa xong sau {wait:.0f} giây chờ. Hãy thử lại sau ít phút."
                )
            time.sleep(0.05)
        _held.lock = (pg, 1)
        try:
            yield
        finally:
            _held.lock = None
            pg.execute("SELECT pg_advisory_unlock(%s)", [WRITER_LOCK_KEY])
    finally:
        pg.close()


def holds_lock() -> bool:
    return getattr(_held, "lock", None) is not None


# --- the schema ---------------------------------------------------------------------------------

_INLINE_KEY = re.compile(r"\s+PRIMARY KEY(?=[\s,])")
_KEY_LINE = re.compile(r",\s*\n\s*PRIMARY KEY\s*\([^)]*\)")


def ddl(sql: str) -> str:
    """The shared schema SQL as DuckLake takes it: without primary keys (it has none; the
    writer lock and the loader keep keys unique)."""
    return _INLINE_KEY.sub("", _KEY_LINE.sub("", sql))
