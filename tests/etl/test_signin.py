"""Sign-in (issue 15, findings 4 and 5): no database write per attempt, a throttle shared by every
server process that trusts no client-supplied address and lets nobody lock a named user out from
elsewhere."""

from __future__ import annotations

import asyncio
import fcntl
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest

from dashboard.server import serve
from etl import db
from etl.year import accounts

PASSWORD = "mat-khau-rat-dai-2026"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def published(db_file: Path) -> Path:
    with db.writing(db_file) as con:
        accounts.add_user(con, "quantri", "admin", PASSWORD)
        accounts.add_user(con, "lan", "uploader", PASSWORD)
    db.close_all()
    return db_file


def test_sign_in_copies_nothing_and_waits_for_no_writer(published, monkeypatch):
    """A long load holds the writer lock; sign-ins (right, wrong, blocked, unknown) still answer at
    once, from a read snapshot, and no new snapshot appears."""
    monkeypatch.setenv("THIDUA_LOGIN_MAX_FAILURES", "3")
    snapshot = db.read_path(published).resolve()
    main = published.stat()
    fd = os.open(db.lock_path(published), os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # the writer is busy
    try:
        cur = db.read_cursor(published)
        started = time.monotonic()
        results = [accounts.sign_in(cur, "quantri", PASSWORD, "10.0.0.2")]
        results += [accounts.sign_in(cur, "quantri", "sai", "203.0.113.9") for _ in range(5)]
        results += [accounts.sign_in(cur, "khong-co", "sai", "203.0.113.9")]
        took = (time.monotonic() - started) / len(results)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    assert results[0].role == "admin" and results[3].locked_until is not None
    assert took < 1.0  # one scrypt hash each, no copy (a copy waited 120 s for the lock)
    assert db.read_path(published).resolve() == snapshot
    assert published.stat().st_mtime_ns == main.st_mtime_ns
    log = [a["action"] for a in accounts.audit_log(cur)]
    assert log.count("sign_in") == 1 and "sign_in_failed" in log


def _fail_in_another_process(db_file: Path, name: str, client: str, times: int) -> None:
    code = (
        "from etl import db\nfrom etl.year import accounts\n"
        f"cur = db.read_cursor({str(db_file)!r})\n"
        f"for _ in range({times}):\n"
        f"    accounts.sign_in(cur, {name!r}, 'sai', {client!r})\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=ROOT)


def test_the_counters_are_shared_by_every_server_process(published, monkeypatch):
    monkeypatch.setenv("THIDUA_LOGIN_MAX_FAILURES", "3")
    _fail_in_another_process(published, "quantri", "203.0.113.9", 2)  # server 1
    cur = db.read_cursor(published)
    third = accounts.sign_in(cur, "quantri", "sai", "203.0.113.9")  # server 2
    assert third.locked_until is not None
    assert accounts.sign_in(cur, "quantri", PASSWORD, "203.0.113.9").role is None
    assert accounts.sign_in(cur, "quantri", PASSWORD, "10.0.0.2").role == "admin"


def test_a_stranger_sharing_the_office_address_does_not_lock_its_users_out(published, monkeypatch):
    """Behind one address (NAT, a proxy without the header) a stranger's guesses over many names
    block that address for names it never signed in with, not for the office's own users."""
    monkeypatch.setenv("THIDUA_LOGIN_MAX_FAILURES", "3")
    office = "192.0.2.50"
    cur = db.read_cursor(published)
    assert accounts.sign_in(cur, "lan", PASSWORD, office).role == "uploader"
    for i in range(3 * accounts.CLIENT_FAILURE_FACTOR):
        accounts.sign_in(cur, f"ten-{i}", "sai", office)
    assert accounts.sign_in(cur, "lan", PASSWORD, office).role == "uploader"
    assert accounts.sign_in(cur, "quantri", PASSWORD, office).role is None  # never from here
    assert accounts.sign_in(cur, "quantri", PASSWORD, "10.0.0.2").role == "admin"


def _run_apart(coroutine) -> None:
    """Run a coroutine on a thread of its own: the browser tests' Playwright keeps an event loop
    running on the main thread for the rest of the session."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coroutine).result(timeout=60)


def test_rotating_x_forwarded_for_is_not_believed():
    """uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise; thidua's server tells
    it to believe nobody unless THIDUA_TRUSTED_PROXIES names the proxy."""
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    def client_seen(trusted: str) -> str:
        seen = {}

        async def app(scope, receive, send):
            seen["client"] = scope["client"][0]

        allowed = serve.proxy_environment(trusted)["FORWARDED_ALLOW_IPS"]
        scope = {
            "type": "http",
            "client": ("127.0.0.1", 5000),
            "headers": [(b"x-forwarded-for", b"198.51.100.77")],
            "scheme": "http",
        }
        _run_apart(ProxyHeadersMiddleware(app, trusted_hosts=allowed)(scope, None, None))
        return seen["client"]

    assert client_seen("") == "127.0.0.1"
    assert client_seen("127.0.0.1") == "198.51.100.77"


def test_thidua_serve_passes_the_trusted_proxies_to_the_server(monkeypatch):
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    monkeypatch.setenv("THIDUA_TRUSTED_PROXIES", "10.1.2.3, 10.9.0.0/16")
    monkeypatch.setattr(sys, "argv", ["serve", "version"])
    monkeypatch.setattr("streamlit.web.cli.main", lambda **_kw: None)
    from streamlit.web.server.starlette import starlette_app

    monkeypatch.setattr(starlette_app, "create_metrics_routes", starlette_app.create_metrics_routes)
    serve.main()
    assert os.environ["FORWARDED_ALLOW_IPS"] == "10.1.2.3,10.9.0.0/16"


def test_the_sign_in_log_is_in_the_audit_table(published):
    cur = db.read_cursor(published)
    accounts.sign_in(cur, "lan", PASSWORD, "10.0.0.3")
    accounts.log_sign_event(cur, "lan", "sign_out", None)
    log = accounts.audit_log(cur, 5)
    assert [a["action"] for a in log[:2]] == ["sign_out", "sign_in"]
    assert isinstance(log[0]["at_time"], datetime)


def test_the_metrics_endpoint_is_closed(monkeypatch):
    """Issue 15, finding 6: /_stcore/metrics was open to anyone."""
    from starlette.applications import Starlette
    from streamlit.web.server.starlette import starlette_app

    monkeypatch.setattr(starlette_app, "create_metrics_routes", starlette_app.create_metrics_routes)
    serve.close_metrics()
    app = Starlette(routes=starlette_app.create_metrics_routes(None, None))
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": "/_stcore/metrics",
        "raw_path": b"/_stcore/metrics",
        "query_string": b"",
        "headers": [],
        "scheme": "http",
        "server": ("127.0.0.1", 8501),
        "client": ("127.0.0.1", 5000),
        "root_path": "",
    }
    _run_apart(app(scope, receive, send))
    assert sent[0]["status"] == 404
    body = b"".join(m.get("body", b"") for m in sent[1:])
    assert b"session" not in body and b"cache" not in body
