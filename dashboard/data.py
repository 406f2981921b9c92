"""Data access for the dashboard pages.

Every query lives in ``dashboard/sql/<name>.sql`` (one statement, ``$name`` parameters whose values
are always bound). Results come back as polars DataFrames and are cached by the database path and a
cheap *data version* (the newest load, the highest precedence, the number of withdrawn loads and the
stored settings), so any upload, retract or restore invalidates every cached result at once.

Each Streamlit session reads through its own cursor of the process-wide read-only connection to
the newest snapshot (etl.db.reader): a load from the command line or from another server shows at
the next rerun, and a reader never waits for a writer. Writes go through :func:`writer`.
"""

from __future__ import annotations

import functools
import os
import threading
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from dashboard import queries
from etl import db, errors, settings
from etl.db import asof, lake

_CURSORS = "_thidua_cursors"  # session state: {database path: this session's cursor}
_VERSION = "_thidua_version"  # session state: (database path, data version) of this run

EMPTY_GUIDANCE = (
    "Chưa có dữ liệu. Hãy tải tệp lên ở trang Tải dữ liệu lên, hoặc chạy `thidua demo`."
)


class DataUnavailable(Exception):
    """The database cannot be opened (e.g. locked by another program)."""


def db_path() -> Path:
    return _resolved(settings.db_path())


@functools.lru_cache(maxsize=8)
def _resolved(path: Path) -> Path:
    # Called by every query of every run; resolving touches the file system each time.
    return path.resolve()


def moment() -> asof.Moment | None:
    """The moment of ``?asof=…`` in the page's address (interface.md §1), or None: now."""
    raw = st.query_params.get("asof")
    if not raw:
        return None
    try:
        return asof.parse(raw)
    except asof.BadMoment as exc:
        raise DataUnavailable(str(exc)) from exc


@st.cache_resource(max_entries=8, show_spinner=False)
def _as_of_reader(text: str, generation: str) -> duckdb.DuckDBPyConnection:
    # One connection per moment and data generation, shared by the sessions that look at it.
    return asof.connect(asof.parse(text))


def _reader(path: Path) -> tuple[Path, duckdb.DuckDBPyConnection]:
    try:
        snapshot, con = db.reader_of(path)
        when = moment()
        if when is None:
            return snapshot, con
        return Path(f"{snapshot}@{when.text}"), _as_of_reader(when.text, str(snapshot))
    except db.DatabaseError as exc:
        raise DataUnavailable(exc.message) from exc
    except (duckdb.Error, OSError) as exc:  # unreadable file, disk trouble...
        raise DataUnavailable(
            "tệp số liệu không đọc được (lỗi đĩa hoặc tệp hỏng). Hãy tải lại trang sau ít phút; "
            "nếu vẫn lỗi, báo người quản trị kiểm tra thư mục dữ liệu và chạy 'thidua rebuild'."
        ) from exc


def damage_notice() -> str | None:
    """Why the page shows older data than the main file holds (a damaged main file), if it does."""
    return db.damage_notice(db_path())


def _cursor_key() -> str:
    # One cursor per session *and thread*: DuckDB 2.0 refuses a call on a connection that is
    # busy with another, and a session's script run, a fragment or a download callable may
    # overlap.
    return f"{db_path()}|{threading.get_ident()}"


def cursor() -> duckdb.DuckDBPyConnection:
    """This session's (and thread's) cursor of the newest snapshot of the configured database."""
    snapshot, reader = _reader(db_path())
    cursors: dict[str, tuple[Path, duckdb.DuckDBPyConnection]] = st.session_state.setdefault(
        _CURSORS, {}
    )
    key = _cursor_key()
    held = cursors.get(key)
    if held is None or held[0] != snapshot:  # a newer snapshot was published
        # Streamlit starts a rerun on a new thread (fast reruns): forget the cursors of threads
        # that have ended, so a long session does not collect them.
        alive = {str(t.ident) for t in threading.enumerate()}
        for gone in [k for k in cursors if k.rsplit("|", 1)[-1] not in alive]:
            del cursors[gone]
        held = cursors[key] = (snapshot, reader.cursor())
    return held[1]


def generation() -> str:
    """Which snapshot is newest: changes when any process commits a write."""
    return str(_reader(db_path())[0])


def _reset_cursor() -> None:
    st.session_state.get(_CURSORS, {}).pop(_cursor_key(), None)


def _with_cursor(fn: Any) -> Any:
    """Run ``fn(cursor)``; on a closed or broken cursor take a fresh one once. A national data
    file that cannot be read is named in Vietnamese (DataUnavailable), with the way back."""
    try:
        try:
            return fn(cursor())
        except (duckdb.ConnectionException, duckdb.InvalidInputException):
            _reset_cursor()
            return fn(cursor())
    except duckdb.Error as exc:
        damaged = errors.damaged_data_file(exc)
        if damaged is None:
            raise
        raise DataUnavailable(errors.data_file_error(damaged).message) from exc


def _read_version(cur: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
    return tuple(queries.run(cur, "data_version", {}).row(0))


@st.cache_resource(max_entries=16, show_spinner=False)
def _snapshot_version(snapshot: str, inode: int, mtime_ns: int, _cur: Any) -> tuple[Any, ...]:
    return _read_version(_cur)


def version() -> tuple[Any, ...]:
    """The data version: changes whenever a load is added, retracted or restored.

    A published snapshot is never written again, so the version of the one this session reads is
    read once per process (keyed by the file's identity, or the DuckLake snapshot id) and shared
    by every session."""

    def read(cur: duckdb.DuckDBPyConnection) -> tuple[Any, ...]:
        held = st.session_state.get(_CURSORS, {}).get(_cursor_key())
        if held is None or held[1] is not cur:
            return _read_version(cur)
        if lake.enabled():
            # A DuckLake snapshot id names one committed state of the whole catalog; reading
            # the version from the lake costs 0.1-0.4 s (data files listed in PostgreSQL).
            return _snapshot_version(str(held[0]), 0, 0, cur)
        try:
            stat = os.stat(held[0])
        except OSError:
            return _read_version(cur)
        return _snapshot_version(str(held[0]), stat.st_ino, stat.st_mtime_ns, cur)

    return _with_cursor(read)


def has_data(ver: tuple[Any, ...] | None = None) -> bool:
    """Whether any emulation data is current (the shipped reference figures do not count)."""
    ver = _page_version() if ver is None else ver
    return bool(ver[3])  # data_version.sql: emulation_scopes


# Shared, not copied, by every session (cache_resource): the pages only read the frames. A cursor
# is taken only on a miss (``_read`` is _with_cursor): a hit touches no file.
@st.cache_resource(show_spinner=False, max_entries=1000)
def _cached(
    path: str, ver: tuple[Any, ...], name: str, params: tuple[tuple[str, Any], ...], _read: Any
) -> pl.DataFrame:
    return _read(lambda cur: queries.run(cur, name, dict(params)))


def query(name: str, **params: Any) -> pl.DataFrame:
    """The result of ``sql/<name>.sql`` with ``params`` bound, cached by data version."""
    # Every write publishes a new snapshot, so its name keys the cache too: edits that the data
    # version does not count (due dates, award rules, the calendar) show at once.
    ver = (*_run_state(),)
    key = tuple(sorted(queries.bind(name, params).items()))
    return _cached(str(db_path()), ver, name, key, _with_cursor)


def begin_run() -> None:
    """Called by app.py at the start of every script run: the data version is read again."""
    st.session_state[_VERSION] = None


def _page_version() -> tuple[Any, ...]:
    """The data version, read once per script run (every query of a run sees the same version).

    Outside app.py (no ``begin_run``) it is read on every call.
    """
    return _run_state()[1]


def _run_state() -> tuple[str, tuple[Any, ...]]:
    """(snapshot, data version) of this script run, read once per run."""
    cached = st.session_state.get(_VERSION)
    if cached is not None and cached[0] == str(db_path()):
        return cached[1]
    state = (generation(), version())
    if _VERSION in st.session_state:
        st.session_state[_VERSION] = (str(db_path()), state)
    return state


def require_data(*, stop: bool = True) -> bool:
    """Whether the database holds emulation data; if not, explain (and stop the page)."""
    try:
        ver = _page_version()
    except DataUnavailable as exc:
        st.error(f"Chưa đọc được số liệu: {exc}", icon=":material/error:")
        st.stop()
    if has_data(ver):
        return True
    st.info(EMPTY_GUIDANCE, icon=":material/upload_file:")
    if stop:
        st.stop()
    return False
