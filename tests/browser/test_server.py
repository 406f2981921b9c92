"""The server as a stranger meets it: quiet page loads, no developer menu, no traceback, and an
upload endpoint that keeps nothing for anyone who has not signed in.

The uploads are raw HTTP requests, bounded in size and sent only to the test server on
127.0.0.1; a browser (or a bare WebSocket client) supplies the live Streamlit session they name.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import urllib.error
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


def _put(base: str, path: str, size: int, xsrf: str) -> int:
    """PUT one file of ``size`` bytes to ``path`` on the server; the HTTP status."""
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
            path,
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


def _by_session_id(session: str) -> str:
    """The upload path Streamlit itself would use: the session id in the URL."""
    return f"/_stcore/upload_file/{session}/{uuid.uuid4()}"


def test_anonymous_visitors_cannot_upload(demo_server: Demo) -> None:
    """No sign-in, no uploader on the page: five PUTs of 5 MB to the session's own upload path
    are refused, and nobody can read how much the server holds (the metrics endpoint is shut)."""
    base = demo_server.url
    xsrf = _xsrf(base)
    ws, session = _anonymous_session(base)
    try:
        statuses = [_put(base, _by_session_id(session), 5 * MB, xsrf) for _ in range(5)]
    finally:
        ws.close()
    assert statuses == [400] * 5
    with pytest.raises(urllib.error.HTTPError) as closed:
        urllib.request.urlopen(f"{base}/_stcore/metrics", timeout=10)
    assert closed.value.code == 404


def _upload_path(page: Any, demo_server: Demo, tmp_path: Path) -> tuple[str, str]:
    """Sign in as the uploader and choose a small file on «Tải dữ liệu lên»: the path the browser
    was given to PUT it to (held back here, so the test sends the bodies itself), and the id of
    the browser's Streamlit session."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    paths: list[str] = []
    sessions: list[str] = []

    def on_frame(payload: Any) -> None:
        if isinstance(payload, bytes):
            with contextlib.suppress(Exception):  # not every frame is a whole ForwardMsg
                fm = ForwardMsg.FromString(payload)
                if fm.WhichOneof("type") == "new_session":
                    sessions.append(fm.new_session.initialize.session_id)

    def hold(route: Any) -> None:
        if route.request.method == "PUT":
            paths.append(urlsplit(route.request.url).path)
            route.abort()
        else:
            route.continue_()

    page.on("websocket", lambda ws: ws.on("framereceived", on_frame))
    page.route("**/_stcore/upload_file/**", hold)
    sign_in(page, demo_server.url)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Tải dữ liệu lên").click()
    small = tmp_path / "nho.xlsx"
    small.write_bytes(b"x" * 1024)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(small))
    for _ in range(30):  # the route callback runs while the page waits
        if paths:
            break
        page.wait_for_timeout(1000)
    assert paths and sessions, "the browser never asked to upload"
    return paths[0], sessions[-1]


def test_uploads_are_bounded_on_the_server(page: Any, demo_server: Demo, tmp_path: Path) -> None:
    """Signed in as an uploader: the URL the page hands out names a token, not the session; a file
    within THIDUA_MAX_UPLOAD_MB is taken through it, one over the limit is refused by the server
    itself (the page's limit is not the only one), and after signing out it opens nothing."""
    path, session = _upload_path(page, demo_server, tmp_path)
    assert session not in path.split("/")
    xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_streamlit_xsrf")
    base = demo_server.url
    assert _put(base, _by_session_id(session), 1 * MB, xsrf) == 400  # the session id opens nothing
    assert _put(base, path, 1 * MB, xsrf) == 204
    assert _put(base, path, (LIMIT_MB + 1) * MB, xsrf) == 413
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("button", name="Đăng xuất").click()
    sidebar.get_by_label("Tên đăng nhập").wait_for(state="visible")
    assert _put(base, path, 1 * MB, xsrf) == 400
