"""Warm a freshly started dashboard server: open every analytic page once, as a browser would.

A page visited once leaves behind what every later visitor shares: the modules its script
imports, the data connection, the cached query results of the default view and the built
figures. The visit goes through the server's own websocket with Streamlit's protobufs (what the
browser sends on load: a ``rerun_script`` request naming the page), so it exercises exactly the
code a leader's first visit would, and needs no browser. Used by dashboard.server.serve at start, which
imports the heavy modules meanwhile (page runs wait for that: wait_until_imported).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

_imported: threading.Event | None = None  # set by dashboard.server.serve when it imports at start


def expect_imports() -> threading.Event:
    """Make page runs wait (wait_until_imported) until the returned event is set."""
    global _imported
    _imported = threading.Event()
    return _imported


def wait_until_imported(timeout: float = 120) -> None:
    """Wait while dashboard.server.serve imports the heavy modules at start (at once otherwise): two
    threads importing the same modules can see them half made."""
    if _imported is not None:
        _imported.wait(timeout)


QUIET_S = 2.5  # seconds without a visitor's page run before the warm-up visits its next page

# URL paths of the analytic pages ("" is the default page, Tổng quan). Xuất báo cáo is left out:
# its pack is built on demand, not on every start.
PAGES = (
    "",
    "xep_hang",
    "don_vi",
    "chi_tieu",
    "tien_do",
    "khen_thuong",
    "lich_thi_dua",
    "kinh_te_xa_hoi",
)


def rerun_message(
    page_name: str,
    *,
    query: str = "",
    page_hash: str = "",
    cached: Iterable[str] = (),
    widgets: Iterable[Any] = (),
) -> BackMsg:
    """The request a browser sends to run a page: on load (``page_name`` is the URL path) and on
    every widget change (``widgets``: WidgetState protos; ``cached``: hashes of the large
    messages it already holds, which the server then sends as references)."""
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query
    state.page_name = page_name
    state.page_script_hash = page_hash
    state.cached_message_hashes.extend(cached)
    state.context_info.timezone = "Asia/Ho_Chi_Minh"
    state.context_info.locale = "vi-VN"
    state.widget_states.widgets.extend(widgets)
    return msg


def is_last(msg: ForwardMsg) -> bool:
    """Whether ``msg`` ends the run that was asked for (not one cut short by a newer request)."""
    return (
        msg.WhichOneof("type") == "script_finished"
        and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
    )


async def visit(host: str, port: int, page_name: str) -> None:
    """Open ``page_name`` in a new session and read until its script has run."""
    import websockets

    async with websockets.connect(
        f"ws://{host}:{port}/_stcore/stream",
        subprotocols=["streamlit"],  # type: ignore[list-item]
        max_size=None,
        ping_interval=None,
    ) as ws:
        await ws.send(rerun_message(page_name).SerializeToString())
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await ws.recv())
            if is_last(msg):
                return


def wait_ready(host: str, port: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://{host}:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    return False


class _Runs:
    """The page runs of this process (Streamlit runs each on a thread of this name), seen by
    polling: whether someone other than the warm-up has run a page, and when a page last ran."""

    THREAD = "ScriptRunner.scriptThread"

    def __init__(self) -> None:
        self.seen: dict[threading.Thread, float] = {}

    def poll(self) -> None:
        now = time.monotonic()
        for thread in threading.enumerate():
            if thread.name == self.THREAD:
                self.seen[thread] = now

    async def watch(self) -> None:
        while True:
            self.poll()
            await asyncio.sleep(0.05)

    def last(self) -> float:
        return max(self.seen.values(), default=0.0)


async def _quiet(runs: _Runs, visits: int, seconds: float, limit: float) -> None:
    """Once a visitor has come (more page runs than the warm-up's ``visits``), wait until no page
    has run for ``seconds`` (the visitor's browser draws what it got meanwhile), at most
    ``limit``: the warm-up takes no processor from a leader's first page."""
    deadline = time.monotonic() + limit
    runs.poll()
    while len(runs.seen) > visits and time.monotonic() < deadline:
        if time.monotonic() - runs.last() >= seconds:
            return
        await asyncio.sleep(0.05)


def warm(
    host: str,
    port: int,
    pages: Iterable[str] = PAGES,
    timeout: float = 120,
    quiet: float = QUIET_S,
) -> float:
    """Wait for the server at ``host:port``, visit ``pages`` one after the other; the seconds it
    took. Each page is visited at once while no visitor has come (the first page while the
    first browser still loads Streamlit's JavaScript), else once no visitor's page has run for
    ``quiet`` seconds. A page that fails is skipped: warming never stops the server."""
    start = time.monotonic()
    if not wait_ready(host, port, timeout):
        raise TimeoutError(f"no answer from {host}:{port} in {timeout:.0f} s")

    async def run_all() -> None:
        runs = _Runs()
        watcher = asyncio.ensure_future(runs.watch())
        try:
            for n, page in enumerate(pages):
                await _quiet(runs, n, quiet, timeout)
                with contextlib.suppress(Exception):  # a timeout, a closed socket: still serve
                    await asyncio.wait_for(visit(host, port, page), timeout)
                runs.poll()
        finally:
            watcher.cancel()

    asyncio.run(run_all())
    return time.monotonic() - start
