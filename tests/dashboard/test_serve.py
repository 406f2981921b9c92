"""dashboard.server.serve, the process `thidua serve` runs: it says it is ready only once every analytic
page has been opened once (the first leader finds the page warm), and it tells browsers to show
users no Deploy button or developer menu. Talks to the server as a browser does (Streamlit's
protobufs over its websocket), without a browser."""

from __future__ import annotations

import asyncio
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NewSession_pb2 import Config

from dashboard.server import serve, warmup
from etl import db
from tests.browser import harness


def test_streamlit_variable_names() -> None:
    assert serve._env_name("client.toolbarMode") == "STREAMLIT_CLIENT_TOOLBAR_MODE"
    assert serve._env_name("runner.postScriptGC") == "STREAMLIT_RUNNER_POST_SCRIPT_GC"


async def _open(port: int, page: str) -> list[ForwardMsg]:
    import websockets

    out = []
    async with websockets.connect(
        f"ws://127.0.0.1:{port}/_stcore/stream", subprotocols=["streamlit"], max_size=None
    ) as ws:
        await ws.send(warmup.rerun_message(page).SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await ws.recv())
            out.append(msg)
            if warmup.is_last(msg):
                return out


def _wait_for(log: Path, text: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = log.read_text(errors="replace")
        if text in content:
            return content
        time.sleep(0.2)
    pytest.fail(f"{text!r} not in the server's log after {timeout:.0f} s:\n{content[-2000:]}")


def test_server_warms_every_page_and_hides_developer_options(
    fixture_db: Path, tmp_path: Path
) -> None:
    # A copy: this test process keeps the fixture open, and the server is another process.
    db.connect(fixture_db).execute("CHECKPOINT")
    copy = Path(shutil.copy(fixture_db, tmp_path / "served.duckdb"))
    log = tmp_path / "serve.log"
    with harness.serving(copy, log) as server:
        port = int(server.url.rsplit(":", 1)[1])
        content = _wait_for(log, "bảng điều khiển đã sẵn sàng")
        assert "Traceback" not in content, content[-3000:]
        # On a thread of its own: the browser tests may keep an event loop running on this one.
        with ThreadPoolExecutor(1) as pool:
            msgs = pool.submit(asyncio.run, _open(port, "xep_hang")).result(timeout=120)
    session = next(m.new_session for m in msgs if m.WhichOneof("type") == "new_session")
    assert session.config.toolbar_mode == Config.ToolbarMode.VIEWER
    elements = [
        m.delta.new_element.WhichOneof("type")
        for m in msgs
        if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element"
    ]
    alerts = [m.delta.new_element.alert.body for m in msgs if m.WhichOneof("type") == "delta"]
    alerts = [a for a in alerts if a]
    assert "plotly_chart" in elements, alerts
    assert "exception" not in elements
