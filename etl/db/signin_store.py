"""The sign-in throttle and the sign-in log, outside the database.

A sign-in must not be a database write: writing the DuckDB file means taking the writer lock and
copying the whole file for readers (0.3–0.46 s on the demo, hundreds of MB at national size, per
attempt, anonymous or not). Failed attempts, blocks, the pairs (client, name) that signed in
successfully, and the sign-in/sign-out log therefore live in a small side store that every server
process shares, one short transaction per attempt. The backend is chosen by the storage of the
connection the attempt reads accounts from (:func:`of`):

- the embedded default: the SQLite file ``<database>.signin.sqlite`` beside the database (WAL mode;
  SQLite's own locking between the processes of the machine);
- the national deployment (a DuckLake whose catalog is in PostgreSQL): schema ``thidua_signin`` in
  that PostgreSQL database, so every server on every machine counts the same failures (a guesser
  cannot spread attempts over the servers). Its write transactions take a PostgreSQL advisory lock,
  so two servers counting the same client at once never lose a failure.

A store that cannot be reached refuses the attempt (:class:`Unavailable`, a Vietnamese message):
without its counters a sign-in is not allowed. A damaged store (SQLite: not a database any more;
PostgreSQL: its tables gone or altered, a value unreadable) is set aside and started afresh; the
attempt that met it is refused, the next one works.

The policy (README "Bảo mật"):

- failures are counted per (client, typed name): ``login_max_failures`` of them block that client
  for that name ``login_lockout_minutes``; the account itself is never locked, so nobody can lock a
  named user out from another address;
- a client failing ``CLIENT_FAILURE_FACTOR`` times as often over all names is blocked for every name
  *except* those it has signed in with successfully in the last ``KNOWN_DAYS`` days: a stranger
  spraying names from an office's shared address (NAT, a proxy) does not lock that office's users
  out;
- the client is the TCP peer, or the address a configured trusted proxy forwarded
  (``THIDUA_TRUSTED_PROXIES``, applied by dashboard.serve); a header the client sends itself is
  never believed.

The SQL is plain (``INSERT … ON CONFLICT … DO UPDATE``, ``?`` parameters) and the same for both
backends: a backend is a ``connect`` function, a paramstyle and what damage looks like, not another
policy.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from etl.errors import DatabaseError

CLIENT_FAILURE_FACTOR = 4
KNOWN_DAYS = 30
ANY_NAME = ""  # the key of a client's failures over all names
EVENTS_KEPT_DAYS = 400

SCHEMA = (
    """CREATE TABLE IF NOT EXISTS strikes (
        client TEXT NOT NULL, name TEXT NOT NULL, failures INTEGER NOT NULL,
        last_at TEXT NOT NULL, until TEXT, logged INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (client, name))""",
    """CREATE TABLE IF NOT EXISTS known (
        client TEXT NOT NULL, name TEXT NOT NULL, last_at TEXT NOT NULL,
        PRIMARY KEY (client, name))""",
    """CREATE TABLE IF NOT EXISTS account_failures (
        name TEXT PRIMARY KEY, failures INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS events (
        at_time TEXT NOT NULL, actor TEXT, action TEXT NOT NULL, detail TEXT)""",
    "CREATE INDEX IF NOT EXISTS events_at ON events (at_time)",
)


class Unavailable(DatabaseError):
    """The sign-in store cannot be used now; ``message`` (Vietnamese) says so. A sign-in meeting
    it is refused: without the counters nobody is let in."""


def _iso(t: datetime | None) -> str | None:
    return t.isoformat(sep=" ") if t is not None else None


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class SignInStore:
    """Throttle state and sign-in log over one DB-API connection factory.

    ``damaged(exc)`` tells that the store itself is broken (``reset()`` sets it aside),
    ``unreachable(exc)`` that it cannot be used now (the attempt is refused, the connection dropped).
    ``serialize`` is a statement that starts each counting transaction, so that two processes never
    count from the same stale row. ``shared`` keeps one connection for the whole process (a
    PostgreSQL server's connections are few) instead of one per thread.
    """

    def __init__(
        self,
        connect: Callable[[], Any],
        paramstyle: str = "qmark",
        damaged: Callable[[BaseException], bool] = lambda _exc: False,
        reset: Callable[[], None] = lambda: None,
        *,
        schema: tuple[str, ...] = SCHEMA,
        serialize: str | None = None,
        unreachable: Callable[[BaseException], bool] = lambda _exc: False,
        shared: bool = False,
    ) -> None:
        self._connect = connect
        self._mark = "?" if paramstyle == "qmark" else "%s"
        self._local: Any = _Shared() if shared else threading.local()
        self._shared = threading.Lock() if shared else contextlib.nullcontext()
        self._damaged = damaged
        self._reset = reset
        self._schema = schema
        self._serialize = serialize
        self._unreachable = unreachable
        self._generation = 0  # moves on when a damaged store is replaced: threads reconnect
        self._created = False

    def _sql(self, text: str) -> str:
        return text if self._mark == "?" else text.replace("?", self._mark)

    def _ready(self) -> Any:
        """This thread's (or the process's) connection, the tables created on first use."""
        con = getattr(self._local, "con", None)
        if con is None or getattr(self._local, "generation", None) != self._generation:
            con = self._connect()
            self._local.con = con
            self._local.generation = self._generation
        if not self._created:
            cur = con.cursor()
            try:
                for statement in self._schema:
                    cur.execute(statement)
                con.commit()
            except BaseException:
                with contextlib.suppress(Exception):
                    con.rollback()
                raise
            finally:
                cur.close()
            self._created = True
        return con

    def _drop(self, con: Any) -> None:
        self._local.con = None  # the next attempt connects afresh
        if con is not None:
            with contextlib.suppress(Exception):
                con.close()

    def _set_aside(self, con: Any) -> None:
        """Move a damaged store aside; the next use creates a fresh one."""
        self._drop(con)
        self._reset()
        self._generation += 1
        self._created = False

    @contextmanager
    def _tx(self, serialize: bool = False) -> Iterator[_Cursor]:
        with self._shared:
            yield from self._in_tx(serialize)

    def _in_tx(self, serialize: bool) -> Iterator[_Cursor]:
        for attempt in range(2):
            try:
                con = self._ready()
                break
            except Exception as exc:
                if self._unreachable(exc):
                    self._drop(getattr(self._local, "con", None))
                    raise unavailable(exc) from exc
                if attempt or not self._damaged(exc):
                    raise
                # Damaged before this attempt did anything: set aside, start afresh, go on.
                self._set_aside(getattr(self._local, "con", None))
        cur = con.cursor()
        try:
            wrapped = _Cursor(cur, self._sql)
            if serialize and self._serialize:
                wrapped.execute(self._serialize)
            yield wrapped
            con.commit()
        except BaseException as exc:
            with contextlib.suppress(Exception):  # a damaged file may refuse the rollback too
                con.rollback()
            if self._unreachable(exc):
                self._drop(con)
                raise unavailable(exc) from exc
            if self._damaged(exc):
                # Throttle state is worth less than signing in: a damaged store is moved aside
                # and started afresh (the next attempt works); the attempt that met it is refused.
                self._set_aside(con)
                raise Unavailable(
                    "Chưa đăng nhập được: kho đếm lượt đăng nhập bị hỏng nên đã được đặt sang một "
                    "bên và tạo lại (chỉ mất các lần đếm sai). Hãy đăng nhập lại."
                ) from exc
            raise
        finally:
            with contextlib.suppress(Exception):
                cur.close()

    # --- the throttle --------------------------------------------------------------------------

    def blocked(self, client: str, name: str, now: datetime) -> tuple[datetime, bool] | None:
        """(until, logged) of a block on this client and name, if one holds now."""
        with self._tx() as cur:
            known = self._known(cur, client, name, now)
            keys = [(client, name)] if known else [(client, name), (client, ANY_NAME)]
            for c, n in keys:
                row = cur.one(
                    "SELECT until, logged FROM strikes WHERE client = ? AND name = ?", c, n
                )
                until = _time(row[0]) if row else None
                if until is not None and until > now:
                    return until, bool(row[1])
        return None

    def mark_logged(self, client: str, name: str) -> None:
        with self._tx() as cur:
            cur.run(
                "UPDATE strikes SET logged = 1 WHERE client = ? AND name IN (?, ?)",
                client,
                name,
                ANY_NAME,
            )

    def fail(
        self,
        client: str,
        name: str,
        now: datetime,
        per_name: int,
        window: timedelta,
        account: str | None,
    ) -> datetime | None:
        """Count a failure; the time the client is blocked until, if this failure blocks it."""
        until = None
        with self._tx(serialize=True) as cur:
            if account is not None:  # consecutive failures of the account, for the administrator
                cur.run(
                    "INSERT INTO account_failures (name, failures) VALUES (?, 1) "
                    "ON CONFLICT (name) DO UPDATE SET failures = account_failures.failures + 1",
                    account,
                )
            if per_name <= 0:
                return None
            for key, limit in ((name, per_name), (ANY_NAME, per_name * CLIENT_FAILURE_FACTOR)):
                row = cur.one(
                    "SELECT failures, last_at FROM strikes WHERE client = ? AND name = ?",
                    client,
                    key,
                )
                failures = 0
                if row is not None and now - (_time(row[1]) or now) < window:
                    failures = int(row[0])  # an old streak is forgotten
                failures += 1
                blocked = now + window if failures >= limit else None
                cur.run(
                    "INSERT INTO strikes (client, name, failures, last_at, until, logged) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (client, name) DO UPDATE SET "
                    "failures = excluded.failures, last_at = excluded.last_at, "
                    "until = excluded.until, logged = excluded.logged",
                    client,
                    key,
                    0 if blocked else failures,
                    _iso(now),
                    _iso(blocked),
                    1 if blocked else 0,
                )
                if blocked is not None and (key == name or not self._known(cur, client, name, now)):
                    until = max(until or blocked, blocked)
        return until

    def succeed(self, client: str, name: str, now: datetime) -> None:
        with self._tx(serialize=True) as cur:
            cur.run("DELETE FROM strikes WHERE client = ? AND name = ?", client, name)
            cur.run("DELETE FROM account_failures WHERE name = ?", name)
            cur.run(
                "INSERT INTO known (client, name, last_at) VALUES (?, ?, ?) "
                "ON CONFLICT (client, name) DO UPDATE SET last_at = excluded.last_at",
                client,
                name,
                _iso(now),
            )

    def forget(self, name: str) -> None:
        """Clear every block on ``name`` (its password was reset)."""
        with self._tx() as cur:
            cur.run("DELETE FROM strikes WHERE name = ?", name)
            cur.run("DELETE FROM account_failures WHERE name = ?", name)

    def blocked_until(self, name: str, now: datetime) -> datetime | None:
        """The latest time any client stays blocked from signing in as ``name``."""
        with self._tx() as cur:  # a value that does not read back is damage, set aside there
            row = cur.one("SELECT max(until) FROM strikes WHERE name = ?", name)
            until = _time(row[0]) if row else None
        return until if until is not None and until > now else None

    def account_failures(self, name: str) -> int:
        with self._tx() as cur:
            row = cur.one("SELECT failures FROM account_failures WHERE name = ?", name)
        return int(row[0]) if row else 0

    def _known(self, cur: _Cursor, client: str, name: str, now: datetime) -> bool:
        row = cur.one("SELECT last_at FROM known WHERE client = ? AND name = ?", client, name)
        last = _time(row[0]) if row else None
        return last is not None and now - last < timedelta(days=KNOWN_DAYS)

    # --- the sign-in log ---------------------------------------------------------------------

    def log(self, at: datetime, actor: str | None, action: str, detail: str | None) -> None:
        with self._tx() as cur:
            cur.run(
                "INSERT INTO events (at_time, actor, action, detail) VALUES (?, ?, ?, ?)",
                _iso(at),
                actor,
                action,
                detail,
            )
            cur.run(
                "DELETE FROM events WHERE at_time < ?", _iso(at - timedelta(days=EVENTS_KEPT_DAYS))
            )

    def events(self, limit: int) -> list[tuple[datetime, str | None, str, str | None]]:
        """The latest ``limit`` sign-in events, newest first."""
        with self._tx() as cur:
            rows = cur.all(
                "SELECT at_time, actor, action, detail FROM events ORDER BY at_time DESC LIMIT ?",
                int(limit),
            )
            return [(_time(r[0]), r[1], r[2], r[3]) for r in rows]  # type: ignore[misc]


def unavailable(exc: BaseException) -> Unavailable:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return Unavailable(
        "Chưa đăng nhập được: không dùng được kho đếm lượt đăng nhập sai (" + reason + "), nên "
        "chưa kiểm tra được máy này có đang bị chặn không. Hãy thử lại sau ít phút; nếu vẫn "
        "vậy, hãy báo quản trị hệ thống."
    )


class _Shared:
    """The one connection of a ``shared`` store (in place of a thread-local)."""

    con: Any = None
    generation: int | None = None


class _Cursor:
    def __init__(self, cur: Any, sql: Callable[[str], str]) -> None:
        self._cur = cur
        self._sql = sql

    def execute(self, text: str) -> None:
        self._cur.execute(text)

    def run(self, text: str, *params: Any) -> None:
        self._cur.execute(self._sql(text), params)

    def one(self, text: str, *params: Any) -> tuple | None:
        self._cur.execute(self._sql(text), params)
        return self._cur.fetchone()

    def all(self, text: str, *params: Any) -> list[tuple]:
        self._cur.execute(self._sql(text), params)
        return self._cur.fetchall()


# --- the embedded default: one SQLite file beside the database --------------------------------

_stores: dict[Path | str, SignInStore] = {}
_stores_lock = threading.Lock()


def sqlite_path(main: Path) -> Path:
    return main.with_name(main.name + ".signin.sqlite")


def _sqlite_damaged(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "disk i/o error" in text
    )


def _sqlite_reset(path: Path) -> Callable[[], None]:
    def reset() -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        for suffix in ("", "-wal", "-shm"):
            part = path.with_name(path.name + suffix)
            if part.exists():
                part.replace(part.with_name(f"{path.name}.damaged-{stamp}{suffix}"))

    return reset


def _sqlite_unreachable(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and (
        "unable to open" in text or "database is locked" in text or "readonly" in text
    )


def _sqlite_connect(path: Path) -> Callable[[], sqlite3.Connection]:
    def connect() -> sqlite3.Connection:
        con = sqlite3.connect(path, timeout=30, isolation_level="DEFERRED")
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=NORMAL")
        return con

    return connect


def main_of(con: duckdb.DuckDBPyConnection) -> Path:
    """The main database file behind ``con``, also when ``con`` reads a snapshot."""
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    path = Path(row[0]).resolve() if row and row[0] else Path("data/thidua.duckdb").resolve()
    folder = path.parent
    if folder.name.endswith(".snapshots"):  # etl.db.snapshots_dir
        return folder.with_name(folder.name[: -len(".snapshots")])
    return path


def for_database(main: Path) -> SignInStore:
    """The store shared by every process that uses the database ``main``."""
    main = Path(main).resolve()
    with _stores_lock:
        store = _stores.get(main)
        if store is None:
            main.parent.mkdir(parents=True, exist_ok=True)
            path = sqlite_path(main)
            store = _stores[main] = SignInStore(
                _sqlite_connect(path),
                damaged=_sqlite_damaged,
                reset=_sqlite_reset(path),
                # Take the write lock before reading the count: two processes never count from
                # the same row (a deferred transaction's upgrade would fail "database is locked").
                serialize="BEGIN IMMEDIATE",
                unreachable=_sqlite_unreachable,
            )
        return store


# --- the national deployment: a schema of the catalog's PostgreSQL database --------------------

PG_SCHEMA = "thidua_signin"
# pg_advisory_xact_lock key of the counters: 'signin' in ASCII (the writer's is 'thidua').
PG_LOCK_KEY = 0x7369676E696E
_PG_LOCK = f"SELECT pg_advisory_xact_lock({PG_LOCK_KEY})"


def _pg_connect(conninfo: str) -> Callable[[], Any]:
    def connect() -> Any:
        import psycopg

        con = psycopg.connect(conninfo, application_name="thidua signin", connect_timeout=10)
        # Created on first use (SCHEMA, in the first schema of the path that exists).
        con.execute(f"SET search_path TO {PG_SCHEMA}")
        # A count is worth less than a sign-in's wait for the WAL flush: a PostgreSQL crash may
        # forget the last few counts (like a SQLite store in WAL mode with synchronous=NORMAL),
        # never half of one.
        con.execute("SET synchronous_commit TO off")
        con.commit()
        return con

    return connect


def _pg_damaged(exc: BaseException) -> bool:
    """The store's tables gone or altered, or a value in them that does not read back."""
    import psycopg.errors as pe

    gone = (pe.UndefinedTable, pe.UndefinedColumn, pe.InvalidSchemaName, pe.DatatypeMismatch)
    return isinstance(exc, (*gone, pe.DataException, ValueError, TypeError))


def _pg_unreachable(exc: BaseException) -> bool:
    import psycopg

    return isinstance(
        exc,
        (psycopg.OperationalError, psycopg.InterfaceError, psycopg.errors.InsufficientPrivilege),
    )


def _pg_reset(conninfo: str) -> Callable[[], None]:
    def reset() -> None:
        import psycopg
        from psycopg import sql

        aside = f"{PG_SCHEMA}_damaged_{datetime.now():%Y%m%d_%H%M%S_%f}"
        try:
            with psycopg.connect(conninfo, connect_timeout=10) as con:  # one transaction
                con.execute(_PG_LOCK)
                found = con.execute(
                    "SELECT 1 FROM pg_namespace WHERE nspname = %s", [PG_SCHEMA]
                ).fetchone()
                if found:
                    con.execute(
                        sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(
                            sql.Identifier(PG_SCHEMA), sql.Identifier(aside)
                        )
                    )
        except psycopg.Error:
            pass  # unreachable now: the next attempt meets the damage and tries again

    return reset


def for_catalog(conninfo: str) -> SignInStore:
    """The store every server of the national deployment shares: in the catalog's database."""
    key = "postgres:" + conninfo
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = SignInStore(
                _pg_connect(conninfo),
                "format",
                damaged=_pg_damaged,
                reset=_pg_reset(conninfo),
                schema=(_PG_LOCK, f"CREATE SCHEMA IF NOT EXISTS {PG_SCHEMA}", *SCHEMA),
                serialize=_PG_LOCK,
                unreachable=_pg_unreachable,
                shared=True,
            )
        return store


def of(con: duckdb.DuckDBPyConnection) -> SignInStore:
    """The store of the storage ``con`` reads: the catalog's PostgreSQL for a DuckLake kept there
    (every server, every machine), else the SQLite file beside the database file."""
    row = con.execute(
        "SELECT type, path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    if row and row[0] == "ducklake" and str(row[1] or "").startswith("postgres:"):
        return for_catalog(str(row[1]).removeprefix("postgres:"))
    return for_database(main_of(con))
