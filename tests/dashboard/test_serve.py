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


# The workbook readers, the kinds and the loader: what a cold start paid 0.6 s of CPU for before
# a leader saw a chart, though only uploads and the command line's loads use them.
READERS = ("etl.read.workbook", "etl.kinds.registry", "etl.load", "etl.actions")

_FIRST_SCREEN = """
import os, sys
from etl import cli
def handed_over(*_args):
    print(sorted(m for m in sys.modules if m.startswith(READERS)))
    sys.exit(0)
os.execv = handed_over
cli.main(["serve", "--db", DB, "--port", "8999"])
"""


def test_serve_and_the_first_page_leave_the_workbook_readers_unimported(demo_db, tmp_path):
    """`thidua serve` hands over to the server, and the server shows the page a leader opens
    first, without importing the workbook readers (README "Tốc độ": cold start)."""
    import subprocess
    import sys

    app = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
    head = f"READERS = {READERS!r}\nDB = {str(demo_db)!r}\nAPP = {str(app)!r}\n"
    before_exec = subprocess.run(
        [sys.executable, "-c", head + _FIRST_SCREEN],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert before_exec.stdout.strip().splitlines()[-1] == "[]"

    page = head + (
        "import sys\nfrom streamlit.testing.v1 import AppTest\n"
        "os = __import__('os'); os.environ['THIDUA_DB'] = DB\n"
        "at = AppTest.from_file(APP, default_timeout=60)\n"
        "at.run()\nassert not at.exception, at.exception\n"
        "print(sorted(m for m in sys.modules if m.startswith(READERS)))\n"
    )
    first_page = subprocess.run(
        [sys.executable, "-c", page], capture_output=True, text=True, timeout=120, check=True
    )
    assert first_page.stdout.strip().splitlines()[-1] == "[]"


def test_no_installed_package_ships_a_streamlit_component() -> None:
    """dashboard.server.serve skips Streamlit's scan for custom components at start: true only
    while no installed package ships one. A dependency that does fails here; then drop the skip."""
    from streamlit.components.v2.manifest_scanner import scan_component_manifests

    assert scan_component_manifests() == []
