"""A Streamlit session without a browser: Streamlit's own protobufs over its websocket.

What a browser tab does, reduced to what loads the server: connect to ``/_stcore/stream``, ask
for a run of a page (``rerun_script`` with the page name and query string), read the forward
messages until the script finishes, then change one selectbox (a ``rerun_script`` carrying the
widget states) and read that run too. Like the browser, the client tells the server which large
messages it already holds (``cached_message_hashes``), so a rerun is answered with references
where the content did not change.

Used by benchmarks/load.py; talks to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import websockets
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from dashboard.server import warmup


class SessionError(Exception):
    """The server ended the run badly (an exception shown, a compile error, a closed socket)."""


@dataclass
class Run:
    """What one script run sent."""

    first_chart_s: float | None = None  # request → the first delta carrying a plotly chart
    first_chart_bytes: int | None = None  # bytes received up to and with that delta
    bytes: int = 0  # bytes received for the whole run
    finished_s: float | None = None  # request → script_finished
    charts: int = 0
    exceptions: list[str] = field(default_factory=list)
    selectboxes: dict[str, Any] = field(default_factory=dict)  # label → Selectbox proto


@dataclass
class SessionResult:
    open: Run
    change: Run | None
    bytes_received: int


class Session:
    def __init__(self, url: str) -> None:
        host = url.split("://", 1)[-1].rstrip("/")
        if not host.startswith(("127.0.0.1:", "localhost:")):
            raise ValueError(f"the load client only talks to this machine, not {url}")
        self.ws_url = f"ws://{host}/_stcore/stream"
        self.ws: Any = None
        self.page_hash = ""
        self.cached: dict[str, str] = {}  # hash of a cacheable message → its element type
        self.bytes = 0

    async def __aenter__(self) -> Session:
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=60,
            ping_interval=None,  # a browser sends no pings: a busy server must not drop us
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.ws.close()

    async def run(
        self, *, page_name: str = "", query: str = "", widgets: Sequence[Any] = ()
    ) -> Run:
        """Ask for a run (as the browser does on load or on a widget change) and read it."""
        msg = warmup.rerun_message(
            page_name, query=query, page_hash=self.page_hash, cached=self.cached, widgets=widgets
        )
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        out = Run()
        while True:
            raw = await self.ws.recv()
            self.bytes += len(raw)
            out.bytes += len(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":  # the page actually run (st.navigation)
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "delta" or kind == "ref_hash":
                element = self._element(fwd, kind)
                if element == "plotly_chart":
                    out.charts += 1
                    if out.first_chart_s is None:
                        out.first_chart_s = time.perf_counter() - start
                        out.first_chart_bytes = out.bytes
                elif element == "exception":
                    out.exceptions.append(fwd.delta.new_element.exception.message)
                elif element == "selectbox":
                    box = fwd.delta.new_element.selectbox
                    out.selectboxes[box.label] = box
            elif kind == "script_finished":
                out.finished_s = time.perf_counter() - start
                if fwd.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise SessionError("the script did not compile")
                if warmup.is_last(fwd):
                    return out

    def _element(self, fwd: ForwardMsg, kind: str) -> str | None:
        if kind == "ref_hash":
            return self.cached.get(fwd.ref_hash)
        if fwd.delta.WhichOneof("type") != "new_element":
            return None
        element = fwd.delta.new_element.WhichOneof("type")
        if fwd.metadata.cacheable and fwd.hash:
            self.cached[fwd.hash] = element or ""
        return element


def selectbox_states(boxes: dict[str, Any], change: str) -> list[Any]:
    """Widget states of every selectbox drawn, with ``change`` set to its last option (or its
    second, when the last is already chosen)."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    states = []
    for label, box in boxes.items():
        value = box.raw_value if box.HasField("raw_value") else None
        if value is None and box.HasField("default") and box.options:
            value = box.options[box.default]
        if label == change:
            options = list(box.options)
            value = options[-1] if value != options[-1] else options[min(1, len(options) - 1)]
        if value is not None:
            states.append(WidgetState(id=box.id, string_value=value))
    return states


async def open_and_change(
    url: str, *, page_name: str, change: str, timeout: float
) -> SessionResult:
    """One leader: open ``page_name``, then choose the next option of the selectbox ``change``."""

    async def scenario() -> SessionResult:
        async with Session(url) as s:
            opened = await s.run(page_name=page_name)
            if change not in opened.selectboxes:
                raise SessionError(
                    f"no selectbox {change!r} on the page (saw {sorted(opened.selectboxes)})"
                )
            changed = await s.run(
                page_name=page_name, widgets=selectbox_states(opened.selectboxes, change)
            )
            return SessionResult(opened, changed, s.bytes)

    return await asyncio.wait_for(scenario(), timeout)
