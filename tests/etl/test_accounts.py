"""Tests for etl.year.accounts: password hashing, sign-in and lockout, roles, require, audit."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from etl import db
from etl.year import accounts

PASSWORD = "Mật-khẩu-Rất-Riêng-2026"


@pytest.fixture
def dbfile(tmp_path: Path) -> Path:
    path = tmp_path / "accounts.duckdb"
    yield path
    db.close(path)


@pytest.fixture
def con(dbfile: Path):
    return db.connect(dbfile)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock(datetime(2026, 11, 20, 9, 0, 0))
    monkeypatch.setattr(accounts, "_now", c)
    return c


@pytest.fixture(autouse=True)
def fresh_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no failed sign-ins remembered (the throttle lives in memory)."""
    monkeypatch.setattr(accounts, "_throttle", accounts._Throttle())


def _audit(con, action: str) -> list[tuple]:
    return con.execute(
        "SELECT actor, action, detail FROM audit_log WHERE action = ? ORDER BY audit_id",
        [action],
    ).fetchall()


# --- hashing --------------------------------------------------------------------------------


def test_hash_is_self_describing_salted_and_verifies() -> None:
    h1 = accounts.hash_password(PASSWORD)
    h2 = accounts.hash_password(PASSWORD)
    assert h1 != h2  # a fresh salt each time
    scheme, n, r, p, salt, digest = h1.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2**14), "8", "1")
    import base64

    assert len(base64.b64decode(salt)) == 16
    assert len(base64.b64decode(digest)) >= 32
    assert PASSWORD not in h1
    assert accounts.verify_password(PASSWORD, h1)
    assert not accounts.verify_password(PASSWORD + "x", h1)
    assert not accounts.verify_password("", h1)
    assert not accounts.verify_password(PASSWORD, "plain-text")
    assert not accounts.verify_password(PASSWORD, "scrypt$999999999$8$1$AAAA$AAAA")


@pytest.mark.parametrize("bad", ["", "   ", "ngắn", "1234567"])
def test_short_or_empty_password_refused_in_vietnamese(con, bad: str) -> None:
    with pytest.raises(accounts.AccountError, match="Mật khẩu"):
        accounts.add_user(con, "lan", "viewer", bad)
    assert accounts.list_users(con) == []
    accounts.add_user(con, "lan", "viewer", PASSWORD)
    with pytest.raises(accounts.AccountError, match="ít nhất 8"):
        accounts.set_password(con, "lan", "1234567")


def test_no_clear_password_in_database_file(dbfile: Path) -> None:
    con = db.connect(dbfile)
    accounts.add_user(con, "hoa.tran", "uploader", PASSWORD)
    accounts.set_password(con, "hoa.tran", PASSWORD + "-mới")
    assert accounts.authenticate(con, "hoa.tran", PASSWORD + "-mới") == "uploader"
    accounts.authenticate(con, "hoa.tran", PASSWORD)  # a wrong attempt is audited, not the text
    con.execute("CHECKPOINT")
    db.close(dbfile)
    raw = dbfile.read_bytes()
    wal = dbfile.with_name(dbfile.name + ".wal")
    if wal.exists():
        raw += wal.read_bytes()
    assert b"hoa.tran" in raw  # the account is really in the file...
    for secret in (PASSWORD, PASSWORD + "-mới"):
        assert secret.encode("utf-8") not in raw  # ...its password is not
        assert secret.encode("utf-16-le") not in raw


# --- accounts -------------------------------------------------------------------------------


def test_no_default_accounts_in_fresh_database(con) -> None:
    assert accounts.list_users(con) == []
    assert con.execute("SELECT count(*) FROM users").fetchall() == [(0,)]
    assert accounts.authenticate(con, "admin", "admin") is None
    assert accounts.authenticate(con, "admin", "admin1234") is None


def test_add_list_role_remove(con, clock: Clock) -> None:
    name = accounts.add_user(con, "  Lan.Nguyen ", "uploader", PASSWORD, actor="root")
    assert name == "lan.nguyen"
    assert accounts.get_role(con, "LAN.NGUYEN") == "uploader"
    users = accounts.list_users(con)
    assert [u["name"] for u in users] == ["lan.nguyen"]
    assert set(users[0]) == {"name", "role", "failures", "locked_until", "created_at"}
    assert "password_hash" not in users[0]
    with pytest.raises(accounts.AccountError, match="đã tồn tại"):
        accounts.add_user(con, "lan.nguyen", "viewer", PASSWORD)
    with pytest.raises(accounts.AccountError, match="không hợp lệ"):
        accounts.add_user(con, "mai", "superuser", PASSWORD)
    with pytest.raises(accounts.AccountError):
        accounts.add_user(con, "có dấu cách", "viewer", PASSWORD)
    accounts.set_role(con, "lan.nguyen", "admin", actor="root")
    assert accounts.get_role(con, "lan.nguyen") == "admin"
    accounts.remove_user(con, "lan.nguyen", actor="root")
    assert accounts.get_role(con, "lan.nguyen") is None
    with pytest.raises(accounts.AccountError, match="Không có tài khoản"):
        accounts.remove_user(con, "lan.nguyen")
    actions = [r[1] for r in con.execute("SELECT actor, action FROM audit_log").fetchall()]
    assert actions == ["user_add", "user_role", "user_remove"]
    assert _audit(con, "user_add")[0][0] == "root"
    # Without an actor the caller (the command line) writes its own audit row.
    accounts.add_user(con, "mai", "viewer", PASSWORD)
    accounts.set_password(con, "mai", PASSWORD + "2")
    assert len(con.execute("SELECT * FROM audit_log").fetchall()) == 3


# --- sign-in --------------------------------------------------------------------------------


def test_authenticate_right_and_wrong(con, clock: Clock) -> None:
    accounts.add_user(con, "lan", "uploader", PASSWORD)
    assert accounts.authenticate(con, "lan", PASSWORD) == "uploader"
    assert accounts.authenticate(con, " LAN ", PASSWORD) == "uploader"
    assert accounts.authenticate(con, "lan", PASSWORD.lower()) is None
    assert accounts.authenticate(con, "lan", "") is None
    wrong = accounts.sign_in(con, "lan", "sai-mat-khau")
    unknown = accounts.sign_in(con, "khong-co-ai", PASSWORD)
    assert wrong.message == unknown.message == accounts.BAD_CREDENTIALS
    assert [r[0] for r in _audit(con, "sign_in")] == ["lan", "lan"]
    failed = _audit(con, "sign_in_failed")
    assert [r[0] for r in failed] == ["lan", "lan", "lan", accounts.UNKNOWN_NAME]
    logged = " ".join(str(v) for r in con.execute("SELECT * FROM audit_log").fetchall() for v in r)
    assert PASSWORD not in logged and "sai-mat-khau" not in logged
    assert "khong-co-ai" not in logged  # a name that matches no account is never stored


def test_unknown_name_still_hashes(con, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = accounts.verify_password

    def spy(password: str, stored: str) -> bool:
        calls.append(stored)
        return real(password, stored)

    monkeypatch.setattr(accounts, "verify_password", spy)
    assert accounts.authenticate(con, "khong-co-ai", PASSWORD) is None
    assert len(calls) == 1 and calls[0].startswith("scrypt$16384$8$1$")


def test_failures_block_the_client_not_the_account(
    con, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THIDUA_LOGIN_MAX_FAILURES", "3")
    monkeypatch.setenv("THIDUA_LOGIN_LOCKOUT_MINUTES", "15")
    accounts.add_user(con, "admin", "admin", PASSWORD)
    attacker, office = "203.0.113.9", "10.0.0.21"
    assert accounts.sign_in(con, "admin", "sai-1", attacker).locked_until is None
    assert accounts.sign_in(con, "admin", "sai-2", attacker).locked_until is None
    third = accounts.sign_in(con, "admin", "sai-3", attacker)
    assert third.locked_until == clock.now + timedelta(minutes=15)
    assert "chặn" in (third.message or "") and "09:15" in (third.message or "")

    # The blocked machine gets nowhere, even with the right password ...
    clock.now += timedelta(minutes=14)
    blocked = accounts.sign_in(con, "admin", PASSWORD, attacker)
    assert blocked.role is None
    assert "09:15" in (blocked.message or "") and "20/11/2026" in (blocked.message or "")
    # ... but the administrator signs in from her own machine: the account is not locked.
    assert accounts.authenticate(con, "admin", PASSWORD, office) == "admin"
    # Repeating the attack does not lock her out either.
    for _ in range(10):
        accounts.sign_in(con, "admin", "sai", attacker)
    assert accounts.authenticate(con, "admin", PASSWORD, office) == "admin"

    # Once the time has passed the blocked machine may try again.
    clock.now += timedelta(minutes=16)
    assert accounts.authenticate(con, "admin", PASSWORD, attacker) == "admin"


def test_a_client_guessing_many_names_is_blocked_for_all(con, clock: Clock, monkeypatch) -> None:
    monkeypatch.setenv("THIDUA_LOGIN_MAX_FAILURES", "3")
    accounts.add_user(con, "lan", "uploader", PASSWORD)
    spray = "198.51.100.7"
    limit = 3 * accounts.CLIENT_FAILURE_FACTOR
    results = [accounts.sign_in(con, f"ten-{i}", "sai", spray) for i in range(limit)]
    assert all(r.locked_until is None for r in results[:-1])
    assert results[-1].locked_until == clock.now + timedelta(minutes=15)
    assert accounts.authenticate(con, "lan", PASSWORD, spray) is None  # blocked for every name
    assert accounts.authenticate(con, "lan", PASSWORD, "10.0.0.5") == "uploader"


def test_unknown_and_blocked_names_answer_alike(con, clock: Clock, monkeypatch) -> None:
    """Whether a name exists cannot be told from the answers, their count or their work."""
    monkeypatch.setenv("THIDUA_LOGIN_MAX_FAILURES", "3")
    accounts.add_user(con, "admin", "admin", PASSWORD)
    calls: list[str] = []
    real = accounts.verify_password

    def spy(password: str, stored: str) -> bool:
        calls.append(stored)
        return real(password, stored)

    monkeypatch.setattr(accounts, "verify_password", spy)

    def attempts(name: str, client: str) -> tuple[list[tuple], list[int]]:
        answers, hashes = [], []
        for i in range(6):
            calls.clear()
            r = accounts.sign_in(con, name, f"sai-{i}", client)
            answers.append((r.role, r.message, r.locked_until))
            hashes.append(len(calls))
        return answers, hashes

    real_answers, real_hashes = attempts("admin", "192.0.2.1")
    ghost_answers, ghost_hashes = attempts("khong-co-ai", "192.0.2.2")
    assert real_answers == ghost_answers
    assert real_hashes == ghost_hashes == [1, 1, 1, 0, 0, 0]  # no hashing once blocked
    assert "chặn" in (real_answers[-1][1] or "")


def test_a_password_typed_as_the_name_is_not_logged(con, clock: Clock) -> None:
    accounts.add_user(con, "lan", "uploader", PASSWORD)
    for _ in range(7):  # blocked on the way: its log row must not hold the text either
        accounts.sign_in(con, PASSWORD, PASSWORD, "192.0.2.3")
    rows = con.execute("SELECT actor, action, detail FROM audit_log").fetchall()
    assert rows and all(r[0] == accounts.UNKNOWN_NAME for r in rows)
    logged = " ".join(str(v) for r in rows for v in r)
    assert PASSWORD.lower() not in logged.lower()
    assert "192.0.2.3" in logged  # the machine is recorded instead
    assert len(rows) == 5  # five failures (the fifth records the block), not each blocked try


def test_administrator_sees_which_accounts_are_blocked(con, clock: Clock, monkeypatch) -> None:
    monkeypatch.setenv("THIDUA_LOGIN_MAX_FAILURES", "2")
    accounts.add_user(con, "lan", "uploader", PASSWORD)
    accounts.add_user(con, "mai", "uploader", PASSWORD)
    for _ in range(2):
        accounts.sign_in(con, "lan", "sai", "192.0.2.4")
    users = {u["name"]: u for u in accounts.list_users(con)}
    assert users["lan"]["locked_until"] == clock.now + timedelta(minutes=15)
    assert users["lan"]["failures"] == 2
    assert users["mai"]["locked_until"] is None


def test_success_resets_the_failure_count(con, clock: Clock, monkeypatch) -> None:
    monkeypatch.setenv("THIDUA_LOGIN_MAX_FAILURES", "3")
    accounts.add_user(con, "lan", "viewer", PASSWORD)
    for _ in range(2):
        accounts.authenticate(con, "lan", "sai-mat-khau")
    assert accounts.authenticate(con, "lan", PASSWORD) == "viewer"
    for _ in range(2):
        accounts.authenticate(con, "lan", "sai-mat-khau")
    assert accounts.authenticate(con, "lan", PASSWORD) == "viewer"  # not locked: not consecutive


def test_password_reset_unlocks(con, clock: Clock, monkeypatch) -> None:
    monkeypatch.setenv("THIDUA_LOGIN_MAX_FAILURES", "2")
    accounts.add_user(con, "lan", "viewer", PASSWORD)
    accounts.authenticate(con, "lan", "sai-mat-khau")
    accounts.authenticate(con, "lan", "sai-mat-khau")
    assert accounts.authenticate(con, "lan", PASSWORD) is None
    accounts.set_password(con, "lan", PASSWORD + "2", actor="quantri")
    assert accounts.authenticate(con, "lan", PASSWORD + "2") == "viewer"
    assert accounts.authenticate(con, "lan", PASSWORD) is None


# --- roles ----------------------------------------------------------------------------------


def test_role_ordering() -> None:
    assert accounts.ROLES == ("viewer", "uploader", "admin")
    assert accounts.role_at_least("admin", "uploader")
    assert accounts.role_at_least("admin", "admin")
    assert accounts.role_at_least("uploader", "viewer")
    assert not accounts.role_at_least("viewer", "uploader")
    assert not accounts.role_at_least("uploader", "admin")
    assert not accounts.role_at_least(None, "viewer")
    assert not accounts.role_at_least("root", "viewer")
    with pytest.raises(ValueError):
        accounts.role_at_least("admin", "root")


def test_require_refuses_viewer_and_anonymous(con) -> None:
    accounts.add_user(con, "xem", "viewer", PASSWORD)
    accounts.add_user(con, "nap", "uploader", PASSWORD)
    accounts.add_user(con, "quantri", "admin", PASSWORD)
    with pytest.raises(PermissionError, match="không đủ quyền"):
        accounts.require(con, "xem", "uploader")
    with pytest.raises(PermissionError, match="đăng nhập"):
        accounts.require(con, None, "uploader")
    with pytest.raises(PermissionError):
        accounts.require(con, "khong-co-ai", "viewer")
    with pytest.raises(PermissionError):
        accounts.require(con, "nap", "admin")
    assert accounts.require(con, "nap", "uploader") == "uploader"
    assert accounts.require(con, "quantri", "uploader") == "admin"
    # The role comes from the database: a demoted account loses its rights at once.
    accounts.set_role(con, "nap", "viewer")
    with pytest.raises(PermissionError):
        accounts.require(con, "nap", "uploader")
    assert len(_audit(con, "permission_denied")) == 5


def test_audit_rows(con, clock: Clock) -> None:
    accounts.audit(con, "lan", "upload", {"file": "Cụm 4.xlsx", "import_id": 3})
    accounts.audit(con, None, "retract", "lần nạp 3")
    rows = con.execute(
        "SELECT at_time, actor, action, detail FROM audit_log ORDER BY audit_id"
    ).fetchall()
    assert rows[0][0] == clock.now
    assert rows[0][1:3] == ("lan", "upload")
    assert '"file": "Cụm 4.xlsx"' in rows[0][3]
    assert rows[1][1:] == (None, "retract", "lần nạp 3")
    assert [a["action"] for a in accounts.audit_log(con, 1)] == ["retract"]
