"""The server as a stranger meets it: quiet page loads, no developer menu, no traceback, and an
upload endpoint that keeps nothing for anyone who has not signed in.

The uploads are raw HTTP requests, bounded in size and sent only to the test server on
127.0.0.1; a browser (or a bare WebSocket client) supplies the live Streamlit session they name.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import urllib.request
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import pytest

from . import harness
from .conftest import Demo, shot
from .test_browser import sign_in

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

MB = 1024 * 1024
LIMIT_MB = 20  # THIDUA_MAX_UPLOAD_MB's default: the demo server runs with the defaults


def _outside_requests(requests: list[str], base: str) -> list[str]:
    host = urlsplit(base).netloc
    return [
        u
        for u in requests
        if urlsplit(u).scheme in ("http", "https", "ws", "wss") and urlsplit(u).netloc != host
    ]


def test_page_loads_fetch_nothing_from_outside(browser: Any, demo_server: Demo) -> None:
    """Offices may have no internet, and an outside fetch tells a third party who reads the
    dashboard: every request of the page, its icons and fonts goes to this server."""
    context = browser.new_context(viewport=harness.VIEWPORT, locale="vi-VN")
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    try:
        for path in ("", "xep_hang", "chi_tieu"):
            page.goto(f"{demo_server.url}/{path}")
            page.locator(harness.CHART).first.wait_for(state="visible", timeout=30_000)
            page.wait_for_timeout(1000)  # late requests: favicon, icon font
        assert any("/_stcore/" in u or "/static/" in u for u in requests)
        assert _outside_requests(requests, demo_server.url) == []
        # The icons are drawn all the same (Material Symbols shipped with Streamlit).
        assert page.locator("[data-testid=stIconMaterial]").count() > 0
    finally:
        context.close()


def test_no_deploy_button_or_developer_menu(page: Any, demo_server: Demo) -> None:
    page.goto(demo_server.url)
    page.locator(harness.CHART).first.wait_for(state="visible")
    assert page.get_by_text("Deploy", exact=True).count() == 0
    assert page.locator("[data-testid=stAppDeployButton]").count() == 0
    menu = page.locator("[data-testid=stMainMenu]")
    if menu.count():
        menu.click()
        items = page.locator("[data-testid=stMainMenuList]").inner_text()
        assert not re.search(r"Rerun|Clear cache|Developer|Deploy", items), items
    shot(page, "server_menu")


def test_an_exception_shows_no_traceback(
    browser: Any, demo_server: Demo, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A page whose query fails (here a view missing from a damaged copy) makes the app raise: the
    browser gets a generic notice, not the exception, its traceback or the server's paths (they go
    to the server log). (Figure settings are data in the database now, so a bad environment value
    no longer raises: the database's own settings win.)"""
    tmp = tmp_path_factory.mktemp("broken")
    db = tmp / "demo.duckdb"
    db.write_bytes(demo_server.db.read_bytes())
    con = duckdb.connect(str(db))
    con.execute("DROP VIEW v_unit_scores CASCADE")
    con.close()
    log = tmp / "streamlit.log"
    server = harness.start_server(db, log)
    page = browser.new_page()
    try:
        page.goto(server.url)
        notice = page.get_by_text("This app has encountered an error")
        notice.wait_for(state="visible", timeout=30_000)
        text = page.inner_text("body")
        shot(page, "server_exception")
    finally:
        page.close()
        harness.stop_server(server)
    assert "CatalogException" in log.read_text(errors="replace")  # it did raise, and was logged
    for leak in ("Traceback", "CatalogException", "v_unit_scores", "duckdb", str(Path.cwd())):
        assert leak not in text, leak
    assert "/work/" not in text and ".py" not in text


# --- uploads --------------------------------------------------------------------------------------


def _xsrf(base: str) -> str:
    with urllib.request.urlopen(f"{base}/_stcore/health", timeout=10) as resp:
        cookies = resp.headers.get_all("Set-Cookie") or []
    for c in cookies:
        name, _, value = c.split(";")[0].partition("=")
        if name == "_streamlit_xsrf":
            return value
    raise AssertionError(f"no XSRF cookie from /_stcore/health: {cookies}")


def _anonymous_session(base: str) -> tuple[Any, str]:
    """A live session opened the way a script would: a WebSocket and one rerun request."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    ws = connect(f"ws://{urlsplit(base).netloc}/_stcore/stream", subprotocols=["streamlit"])
    msg = BackMsg()
    msg.rerun_script.query_string = ""
    ws.send(msg.SerializeToString())
    while True:
        fm = ForwardMsg.FromString(ws.recv(timeout=30))
        if fm.WhichOneof("type") == "new_session":
            return ws, fm.new_session.initialize.session_id


def _put(base: str, session: str, size: int, xsrf: str) -> int:
    """PUT one file of ``size`` bytes to the upload endpoint; the HTTP status."""
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    body = head + b"x" * size + f"\r\n--{boundary}--\r\n".encode()
    netloc = urlsplit(base).netloc
    assert netloc.startswith("127.0.0.1:")  # never anywhere else
    conn = http.client.HTTPConnection(netloc, timeout=60)
    try:
        conn.request(
            "PUT",
            f"/_stcore/upload_file/{session}/{uuid.uuid4()}",
            body=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-Xsrftoken": xsrf,
                "Cookie": f"_streamlit_xsrf={xsrf}",
            },
        )
        return conn.getresponse().status
    except (BrokenPipeError, ConnectionResetError):
        return 413  # refused and closed before the whole body was sent
    finally:
        conn.close()


def _held_upload_bytes(base: str) -> int:
    """Bytes the server's upload store holds, from Streamlit's metrics endpoint."""
    with urllib.request.urlopen(f"{base}/_stcore/metrics", timeout=10) as resp:
        text = resp.read().decode()
    return sum(
        int(float(m.group(1)))
        for m in re.finditer(r'cache_type="UploadedFileManager"[^}]*\}\s+([0-9.e+]+)', text)
    )


def test_anonymous_visitors_cannot_upload(demo_server: Demo) -> None:
    """No sign-in, no uploader on the page: five PUTs of 5 MB are refused before their body is
    read, and the server holds no more upload bytes than before."""
    base = demo_server.url
    xsrf = _xsrf(base)
    before = _held_upload_bytes(base)
    ws, session = _anonymous_session(base)
    try:
        statuses = [_put(base, session, 5 * MB, xsrf) for _ in range(5)]
        held = _held_upload_bytes(base)
    finally:
        ws.close()
    assert statuses == [400] * 5
    assert held == before


def _signed_in_session(page: Any, demo_server: Demo) -> str:
    """Sign in as the uploader in the browser; the id of that browser's Streamlit session."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    sessions: list[str] = []

    def on_frame(payload: Any) -> None:
        if isinstance(payload, bytes):
            with contextlib.suppress(Exception):  # not every frame is a whole ForwardMsg
                fm = ForwardMsg.FromString(payload)
                if fm.WhichOneof("type") == "new_session":
                    sessions.append(fm.new_session.initialize.session_id)

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    sign_in(page, demo_server.url)
    assert sessions
    return sessions[-1]


def test_uploads_are_bounded_on_the_server(page: Any, demo_server: Demo) -> None:
    """Signed in as an uploader: a file within THIDUA_MAX_UPLOAD_MB is taken, one over it is
    refused by the server itself (the page's limit is not the only one)."""
    session = _signed_in_session(page, demo_server)
    xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_streamlit_xsrf")
    base = demo_server.url
    assert _put(base, session, 1 * MB, xsrf) == 204
    assert _put(base, session, (LIMIT_MB + 1) * MB, xsrf) == 413
    # Signed out, the same session may no longer send anything.
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("button", name="Đăng xuất").click()
    sidebar.get_by_label("Tên đăng nhập").wait_for(state="visible")
    assert _put(base, session, 1 * MB, xsrf) == 400
