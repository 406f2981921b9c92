"""The sign-in throttle of the national deployment (issue 15: "shared by every server"; "nobody can
lock out a named user from elsewhere"): its counters live in the catalog's PostgreSQL database, so
failures made through one server count at every other, on any machine, and a sign-in still writes
no DuckLake snapshot."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest

from etl import db
from etl.db import lake
from etl.year import accounts

PASSWORD = "mat-khau-rat-dai-2026"
ROOT = Path(__file__).resolve().parents[2]
GUESSER = "203.0.113.9"
OFFICE = "10.0.0.2"

FAIL = """
import sys
from etl import db
from etl.year import accounts
name, client, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
cur = db.read_cursor()
results = [accounts.sign_in(cur, name, "sai", client) for _ in range(times)]
assert all(r.role is None and r.locked_until is None for r in results), results
"""


def another_server(env: dict[str, str], folder: Path, times: int) -> subprocess.Popen:
    """A server process on another machine: its own working and local data folder, the same
    catalog."""
    folder.mkdir()
    return subprocess.Popen(
        [sys.executable, "-c", FAIL, "quantri", GUESSER, str(times)],
        cwd=folder,
        env={
            **os.environ,
            **env,
            "PYTHONPATH": str(ROOT),
            "THIDUA_DB": str(folder / "data" / "thidua.duckdb"),
            "THIDUA_LOGIN_MAX_FAILURES": "5",
        },
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def accounts_made(lake: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("THIDUA_LOGIN_MAX_FAILURES", "5")
    with db.writing() as con:
        accounts.add_user(con, "quantri", "admin", PASSWORD)
        accounts.add_user(con, "lan", "uploader", PASSWORD)
    return lake


def pg(env: dict[str, str]) -> psycopg.Connection:
    return psycopg.connect(env["THIDUA_CATALOG"].removeprefix("postgres:"), autocommit=True)


def test_failures_through_two_other_servers_count_here(accounts_made, tmp_path):
    """Two servers (other processes, other folders) fail twice each at once; the fifth failure,
    here, blocks the guesser: no count was lost between them, and none was kept on a machine."""
    env = accounts_made
    cur = db.read_cursor()
    before = lake.snapshot_id(cur)
    servers = [another_server(env, tmp_path / f"server{n}", 2) for n in (1, 2)]
    for server in servers:
        _, err = server.communicate(timeout=120)
        assert server.returncode == 0, err
    fifth = accounts.sign_in(cur, "quantri", "sai", GUESSER)
    assert fifth.locked_until is not None and "tạm bị chặn" in (fifth.message or "")
    assert accounts.sign_in(cur, "quantri", PASSWORD, GUESSER).role is None
    # Nobody locks a named user out from elsewhere: the admin signs in from the office.
    assert accounts.sign_in(cur, "quantri", PASSWORD, OFFICE).role == "admin"

    with pg(env) as con:
        (failures,) = con.execute(
            "SELECT failures FROM thidua_signin.account_failures WHERE name = 'quantri'"
        ).fetchone() or (0,)
    assert failures == 0  # the admin's success cleared the account's count...
    listed = {u["name"]: u for u in accounts.list_users(cur)}
    assert listed["quantri"]["locked_until"] == fifth.locked_until  # ...not the guesser's block
    # No per-machine store, no DuckLake commit per attempt, the sign-in log shared.
    for folder in (tmp_path / "server1", tmp_path / "server2"):
        assert not list(folder.rglob("*.signin.sqlite*"))
    for folder in (ROOT, Path.cwd()):  # where a SQLite store named after the catalog once went
        assert not list(folder.glob("postgres:*"))
    assert lake.snapshot_id(cur) == before
    log = [a["action"] for a in accounts.audit_log(cur, 20)]
    assert log.count("sign_in_failed") >= 5 and log.count("sign_in") == 1


def test_the_block_ends_and_another_address_is_never_blocked(accounts_made, monkeypatch):
    cur = db.read_cursor()
    for _ in range(5):
        last = accounts.sign_in(cur, "lan", "sai", GUESSER)
    assert last.locked_until is not None
    assert accounts.sign_in(cur, "lan", PASSWORD, OFFICE).role == "uploader"
    assert accounts.sign_in(cur, "lan", PASSWORD, GUESSER).role is None
    later = accounts._now() + timedelta(minutes=16)  # THIDUA_LOGIN_LOCKOUT_MINUTES is 15
    monkeypatch.setattr(accounts, "_now", lambda: later)
    assert accounts.sign_in(cur, "lan", PASSWORD, GUESSER).role == "uploader"


@pytest.mark.parametrize(
    "damage",
    [
        "DROP TABLE thidua_signin.strikes",
        "UPDATE thidua_signin.strikes SET until = 'ngày mai'",
        "ALTER TABLE thidua_signin.known DROP COLUMN last_at",
    ],
)
def test_a_damaged_store_is_set_aside_and_sign_in_goes_on(accounts_made, damage):
    """The store's tables damaged (an administrator's mistake): the attempt that meets it is
    refused in Vietnamese, the damaged schema is kept aside, and the next attempts are counted
    again from zero."""
    cur = db.read_cursor()
    assert accounts.sign_in(cur, "quantri", "sai", GUESSER).role is None
    with pg(accounts_made) as con:
        con.execute(damage)
    met = accounts.sign_in(cur, "quantri", PASSWORD, GUESSER)
    assert met.role is None and "kho đếm lượt đăng nhập bị hỏng" in (met.message or "")
    assert accounts.sign_in(cur, "quantri", PASSWORD, OFFICE).role == "admin"
    for _ in range(5):
        last = accounts.sign_in(cur, "quantri", "sai", GUESSER)
    assert last.locked_until is not None
    with pg(accounts_made) as con:
        aside = con.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'thidua_signin_damaged_%'"
        ).fetchall()
    assert len(aside) == 1


def test_an_unreachable_store_refuses_sign_in_until_it_is_back(accounts_made):
    """The store's connection cut (PostgreSQL restarted, a failover) and new connections refused:
    nobody is let in unchecked, the refusal is Vietnamese, and sign-ins work once it is back."""
    env = accounts_made
    cur = db.read_cursor()
    assert accounts.sign_in(cur, "quantri", PASSWORD, OFFICE).role == "admin"
    conninfo = env["THIDUA_CATALOG"].removeprefix("postgres:")
    dbname = psycopg.conninfo.conninfo_to_dict(conninfo)["dbname"]
    admin = psycopg.conninfo.make_conninfo(conninfo, dbname="postgres")
    with pg(env) as con:
        con.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = 'thidua signin'"
        )
    cut = accounts.sign_in(cur, "quantri", PASSWORD, OFFICE)
    assert cut.role is None and "kho đếm lượt đăng nhập" in (cut.message or "")
    assert "Traceback" not in (cut.message or "")

    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'ALTER DATABASE "{dbname}" ALLOW_CONNECTIONS false')
    try:
        refused = accounts.sign_in(cur, "quantri", PASSWORD, OFFICE)
        assert refused.role is None and "Chưa đăng nhập được" in (refused.message or "")
    finally:
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute(f'ALTER DATABASE "{dbname}" ALLOW_CONNECTIONS true')
    assert accounts.sign_in(cur, "quantri", PASSWORD, OFFICE).role == "admin"
