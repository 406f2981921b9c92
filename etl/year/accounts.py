"""Local accounts of the dashboard: roles, scrypt-hashed passwords, sign-in throttle, audit log.

Roles are ordered ``viewer < uploader < admin``. Every staff action (upload, retract, restore,
account changes) calls :func:`require` where it runs, so hiding a page is never the only guard.

Account changes write an audit row when given the ``actor`` who made them, and refusals by
:func:`require` always do. Sign-ins (ok and failed), blocks and sign-outs go to the sign-in store
(etl.db.signin_store), not the database: a sign-in writes no database copy.

Passwords are only ever stored as ``scrypt$n$r$p$salt_b64$hash_b64`` and compared in constant
time; they are never written to the audit log. There is no default account: the first admin is
created with ``thidua user add NAME --role admin``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import duckdb

from etl import settings
from etl.db import signin_store
from etl.db.transactions import transaction

ROLES: tuple[str, ...] = ("viewer", "uploader", "admin")
ROLE_LABELS: dict[str, str] = {
    "viewer": "Người xem",
    "uploader": "Người tải dữ liệu",
    "admin": "Quản trị viên",
}

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
MAX_NAME_LENGTH = 64

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32

BAD_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."

_NAME_RE = re.compile(r"^[\w.@-]+$")


class AccountError(ValueError):
    """An account operation that cannot be done; the message is Vietnamese, for the user."""


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: the role when it succeeded, else a message."""

    role: str | None
    message: str | None = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.role is not None


def _now() -> datetime:
    """The clock (local time, like the TIMESTAMP columns); tests replace it."""
    return datetime.now().replace(microsecond=0)


# --- names, roles ---------------------------------------------------------------------------


def normalize_name(name: str) -> str:
    """An account name as stored: NFC, trimmed, lower case."""
    return unicodedata.normalize("NFC", (name or "").strip()).lower()


def _valid_name(name: str) -> str:
    key = normalize_name(name)
    if not key:
        raise AccountError("Tên tài khoản không được để trống.")
    if len(key) > MAX_NAME_LENGTH:
        raise AccountError(f"Tên tài khoản dài quá {MAX_NAME_LENGTH} ký tự.")
    if not _NAME_RE.match(key):
        raise AccountError(
            "Tên tài khoản chỉ gồm chữ, số và các dấu '.', '_', '-', '@' (không có khoảng trắng)."
        )
    return key


def _valid_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"Quyền '{role}' không hợp lệ; chọn một trong: {', '.join(ROLES)}.")
    return role


def role_label(role: str | None) -> str:
    return ROLE_LABELS.get(role or "", role or "")


def role_at_least(role: str | None, needed: str) -> bool:
    """Whether ``role`` includes the rights of ``needed`` (viewer < uploader < admin)."""
    if needed not in ROLES:
        raise ValueError(f"unknown role {needed!r}")
    if role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(needed)


# --- passwords ------------------------------------------------------------------------------


def check_password_policy(password: str) -> None:
    if password is None or not password.strip():
        raise AccountError("Mật khẩu không được để trống.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"Mật khẩu dài quá {MAX_PASSWORD_LENGTH} ký tự.")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=dklen, maxmem=256 * 1024 * 1024
    )


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt_b64$hash_b64`` for ``password`` with a fresh random salt."""
    check_password_policy(password)
    salt = os.urandom(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches the stored self-describing hash (constant-time compare)."""
    try:
        scheme, n_s, r_s, p_s, salt_s, hash_s = stored.split("$")
        n, r, p = int(n_s), int(r_s), int(p_s)
        salt = base64.b64decode(salt_s, validate=True)
        expected = base64.b64decode(hash_s, validate=True)
    except (ValueError, AttributeError):
        return False
    # Refuse malformed or absurd parameters rather than burn memory on them.
    if scheme != "scrypt" or not (2 <= n <= 2**20) or not (1 <= r <= 32) or not (1 <= p <= 16):
        return False
    if not expected or len(expected) > 256:
        return False
    try:
        digest = _scrypt(password or "", salt, n, r, p, len(expected))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(digest, expected)


_dummy_hash: str | None = None


def _timing_dummy() -> str:
    """A hash to check unknown names against, so they take as long as wrong passwords."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = hash_password(base64.b64encode(os.urandom(18)).decode("ascii"))
    return _dummy_hash


# --- audit ----------------------------------------------------------------------------------


def audit(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    action: str,
    detail: str | Mapping[str, Any] | None = None,
) -> None:
    """Append one row to ``audit_log``. ``detail`` may be text or a mapping (stored as JSON)."""
    if isinstance(detail, Mapping):
        detail = json.dumps(dict(detail), ensure_ascii=False, sort_keys=True, default=str)
    con.execute(
        "INSERT INTO audit_log (audit_id, at_time, actor, action, detail) "
        "SELECT coalesce(max(audit_id), 0) + 1, ?, ?, ?, ? FROM audit_log",
        [_now(), actor, action, detail],
    )


def audit_log(con: duckdb.DuckDBPyConnection, limit: int = 200) -> list[dict[str, Any]]:
    """The latest ``limit`` audit rows, newest first."""
    rows = con.execute(
        "SELECT audit_id, at_time, actor, action, detail FROM audit_log "
        "ORDER BY at_time DESC, audit_id DESC LIMIT ?",
        [int(limit)],
    ).fetchall()
    keys = ("audit_id", "at_time", "actor", "action", "detail")
    out = [dict(zip(keys, row, strict=True)) for row in rows]
    # Sign-ins live in the sign-in log (etl.db.signin_store), shown here with the rest.
    out += [dict(zip(keys, (None, *event), strict=True)) for event in _store(con).events(limit)]
    out.sort(key=lambda a: (a["at_time"], a["audit_id"] or 0), reverse=True)
    return out[:limit]


# --- accounts -------------------------------------------------------------------------------


def _exists(con: duckdb.DuckDBPyConnection, key: str) -> bool:
    return con.execute("SELECT count(*) FROM users WHERE name = ?", [key]).fetchall()[0][0] > 0


def _must_exist(con: duckdb.DuckDBPyConnection, key: str) -> None:
    if not _exists(con, key):
        raise AccountError(f"Không có tài khoản '{key}'.")


def add_user(
    con: duckdb.DuckDBPyConnection,
    name: str,
    role: str,
    password: str,
    *,
    actor: str | None = None,
) -> str:
    """Create an account; returns the stored (normalised) name.

    Like the other account changes, it writes an audit row when ``actor`` is given (the
    dashboard and the command line always give it).
    """
    key = _valid_name(name)
    _valid_role(role)
    password_hash = hash_password(password)
    with transaction(con):
        if _exists(con, key):
            raise AccountError(f"Tài khoản '{key}' đã tồn tại.")
        con.execute(
            "INSERT INTO users (name, role, password_hash, failures, locked_until, created_at) "
            "VALUES (?, ?, ?, 0, NULL, ?)",
            [key, role, password_hash, _now()],
        )
        if actor is not None:
            audit(con, actor, "user_add", {"name": key, "role": role})
    return key


def set_password(
    con: duckdb.DuckDBPyConnection, name: str, password: str, *, actor: str | None = None
) -> None:
    """Replace an account's password; also clears its failure count and lock."""
    key = normalize_name(name)
    password_hash = hash_password(password)
    with transaction(con):
        _must_exist(con, key)
        con.execute(
            "UPDATE users SET password_hash = ?, failures = 0, locked_until = NULL WHERE name = ?",
            [password_hash, key],
        )
        _store(con).forget(key)
        if actor is not None:
            audit(con, actor, "user_passwd", {"name": key})


def set_role(
    con: duckdb.DuckDBPyConnection, name: str, role: str, *, actor: str | None = None
) -> None:
    key = normalize_name(name)
    _valid_role(role)
    with transaction(con):
        _must_exist(con, key)
        con.execute("UPDATE users SET role = ? WHERE name = ?", [role, key])
        if actor is not None:
            audit(con, actor, "user_role", {"name": key, "role": role})


def remove_user(con: duckdb.DuckDBPyConnection, name: str, *, actor: str | None = None) -> None:
    key = normalize_name(name)
    with transaction(con):
        _must_exist(con, key)
        con.execute("DELETE FROM users WHERE name = ?", [key])
        if actor is not None:
            audit(con, actor, "user_remove", {"name": key})


def get_role(con: duckdb.DuckDBPyConnection, name: str | None) -> str | None:
    if not name:
        return None
    rows = con.execute("SELECT role FROM users WHERE name = ?", [normalize_name(name)]).fetchall()
    return rows[0][0] if rows else None


def list_users(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every account (never the hash): name, role, failures, locked_until (the latest time a
    client stays blocked from signing in as it), created_at."""
    rows = con.execute(
        "SELECT name, role, failures, locked_until, created_at FROM users ORDER BY name"
    ).fetchall()
    keys = ("name", "role", "failures", "locked_until", "created_at")
    users = [dict(zip(keys, row, strict=True)) for row in rows]
    store = _store(con)
    for user in users:  # failures and blocks live in the sign-in store, per client
        user["failures"] = store.account_failures(user["name"])
        user["locked_until"] = store.blocked_until(user["name"], _now())
    return users


# --- sign-in ---------------------------------------------------------------------------------

# Logged instead of a name that matches no account: what was typed there may be a password.
UNKNOWN_NAME = "(tên không tồn tại)"
CLIENT_FAILURE_FACTOR = signin_store.CLIENT_FAILURE_FACTOR


def _store(con: duckdb.DuckDBPyConnection) -> signin_store.SignInStore:
    """The sign-in store of ``con``'s storage (shared by every server process; in the national
    deployment by every server on every machine): sign-ins write no database copy."""
    return signin_store.of(con)


def log_sign_event(
    con: duckdb.DuckDBPyConnection, actor: str | None, action: str, detail: str | None
) -> None:
    """A sign-in, failed sign-in or sign-out, in the sign-in log (not the database).

    A sign-out goes on when the store cannot be reached: it only loses its log line."""
    try:
        _store(con).log(_now(), actor, action, detail)
    except signin_store.Unavailable as exc:
        import sys

        print(f"thidua: chưa ghi được nhật ký '{action}': {exc.message}", file=sys.stderr)


def _blocked_message(until: datetime) -> str:
    return (
        "Đăng nhập sai quá nhiều lần từ máy này nên tạm bị chặn; "
        f"hãy thử lại sau {until:%H:%M} ngày {until:%d/%m/%Y}."
    )


def sign_in(
    con: duckdb.DuckDBPyConnection, name: str, password: str, client: str | None = None
) -> SignIn:
    """Check a name and password from ``client`` (its address), count failures, block the
    client after too many, write the audit row.

    Unknown names, wrong passwords and blocks answer alike, whether the name exists or not:
    the same message, and one scrypt hash per attempt that is not blocked (none when it is).
    Only a real account's name is written to the audit log; whatever else was typed in the
    name field (sometimes a password) is logged as ``UNKNOWN_NAME``. When the sign-in store cannot
    be used, nobody is let in: the attempt is refused with the store's Vietnamese message.
    """
    try:
        return _sign_in(con, name, password, client)
    except signin_store.Unavailable as exc:
        return SignIn(None, exc.message)


def _sign_in(
    con: duckdb.DuckDBPyConnection, name: str, password: str, client: str | None
) -> SignIn:
    key = normalize_name(name)[: MAX_NAME_LENGTH + 1]
    client = client or "localhost"  # Streamlit gives no address for a local browser
    now = _now()
    store = _store(con)
    rows = con.execute("SELECT role, password_hash FROM users WHERE name = ?", [key]).fetchall()
    actor = key if rows else UNKNOWN_NAME
    where = f"máy {client}"

    blocked = store.blocked(client, key, now)
    if blocked is not None:
        until, logged = blocked
        if not logged:
            store.mark_logged(client, key)
            store.log(now, actor, "sign_in_failed", f"{where} đang bị chặn")
        return SignIn(None, _blocked_message(until), until)

    ok = verify_password(password, rows[0][1] if rows else _timing_dummy())
    if rows and ok:
        store.succeed(client, key, now)
        store.log(now, key, "sign_in", where)
        return SignIn(rows[0][0], None)

    per_name = int(settings.get("login_max_failures"))
    window = timedelta(minutes=int(settings.get("login_lockout_minutes")))
    until = store.fail(client, key, now, per_name, window, key if rows else None)
    if until is not None:
        store.log(now, actor, "sign_in_failed", f"{where}; chặn máy này đến {until:%Y-%m-%d %H:%M}")
        return SignIn(None, f"{BAD_CREDENTIALS} {_blocked_message(until)}", until)
    store.log(now, actor, "sign_in_failed", where)
    return SignIn(None, BAD_CREDENTIALS)


def authenticate(
    con: duckdb.DuckDBPyConnection, name: str, password: str, client: str | None = None
) -> str | None:
    """The account's role when the name and password are right and the client is not blocked."""
    return sign_in(con, name, password, client).role


def require(con: duckdb.DuckDBPyConnection, actor: str | None, needed: str) -> str:
    """Raise PermissionError unless ``actor`` currently holds ``needed`` (or more); return its role.

    The role is read from the database, not from the caller, so a removed or demoted account
    loses its rights at once.
    """
    role = get_role(con, actor) if actor else None
    if role_at_least(role, needed):
        return role  # type: ignore[return-value]
    audit(con, normalize_name(actor) if actor else None, "permission_denied", {"needed": needed})
    if role is None:
        raise PermissionError(
            f"Bạn cần đăng nhập với quyền {role_label(needed)} trở lên để thực hiện thao tác này."
        )
    raise PermissionError(
        f"Tài khoản '{normalize_name(actor or '')}' ({role_label(role)}) không đủ quyền: "
        f"cần quyền {role_label(needed)} trở lên."
    )
