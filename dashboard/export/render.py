"""Server-side rendering of plotly figures to PNG, SVG and PDF with kaleido.

One kaleido browser (Debian's Chromium) is started on first use and kept for the life of the
process, driven from its own event-loop thread: Streamlit runs download callbacks on several
threads at once, and each render simply waits for one of the browser's tabs.

Chromium sees only the fonts shipped in ``dashboard/fonts`` (Noto Sans, with Noto Sans Math and
Symbols 2 for −, ≥ and ★): the fontconfig file it is given lists no system directory, so a chart
looks the same on every server, whatever fonts it has.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import copy
import os
import shutil
import tempfile
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, Literal

import plotly.graph_objects as go

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT_FAMILY = "Noto Sans"
FALLBACK_FAMILIES = ("Noto Sans Math", "Noto Sans Symbols 2")
EXPORT_WIDTH = 1200  # px of a chart whose layout does not fix its width (the page stretches it)
EXPORT_HEIGHT = 600
PNG_SCALE = 3  # 1200 px wide → 3600 px: sharp on a projector and in a printed report

Format = Literal["png", "svg", "pdf"]
MIME: dict[str, str] = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}

TABS = 2  # one per core: the pages of a PDF pack render side by side
RENDER_TIMEOUT = 120  # seconds for one figure before the caller is told

_lock = threading.Lock()
_browser: _Browser | None = None


class RenderError(RuntimeError):
    """No chart image could be made (no Chromium on this server, or it did not answer)."""


def browser_missing() -> str | None:
    """Why no chart image can be drawn here (no Chromium), or None when one can."""
    path = os.environ.get("BROWSER_PATH")
    if path:
        return None if Path(path).is_file() else f"không có trình duyệt ở BROWSER_PATH={path}"
    if any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")):
        return None
    return "chưa cài Chromium (gói chromium của Debian)"


def fontconfig_file() -> Path:
    """A fontconfig file naming only the shipped fonts (written once per process and user)."""
    cache = Path(tempfile.gettempdir()) / f"thidua-fontconfig-{os.getuid()}"
    cache.mkdir(exist_ok=True)
    prefer = "".join(f"<family>{f}</family>" for f in (FONT_FAMILY, *FALLBACK_FAMILIES))
    aliases = "".join(
        f"<alias><family>{generic}</family><prefer>{prefer}</prefer></alias>"
        for generic in ("sans-serif", "serif", "monospace", "system-ui")
    )
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{FONT_DIR}</dir><cachedir>{cache}</cachedir>{aliases}</fontconfig>\n"
    )
    path = cache / "fonts.conf"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return path


class _Browser:
    """A kaleido browser driven from its own event loop thread, shared by every caller."""

    def __init__(self) -> None:
        import kaleido

        # Chromium inherits the environment when kaleido launches it: this is how it gets our fonts.
        os.environ["FONTCONFIG_FILE"] = str(fontconfig_file())
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True).start()
        try:
            self._kaleido = kaleido.Kaleido(n=TABS, mathjax=False)
            self._call(self._kaleido.open())
        except Exception as exc:
            self._loop.call_soon_threadsafe(self._loop.stop)
            raise RenderError(
                "Không khởi động được Chromium để vẽ biểu đồ (cần gói chromium của Debian "
                f"hoặc biến BROWSER_PATH). Chi tiết: {exc}"
            ) from exc
        atexit.register(self.close)

    def _call(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(RENDER_TIMEOUT)

    def render_many(self, jobs: list[tuple[dict[str, Any], dict[str, Any]]]) -> list[bytes]:
        async def gather() -> list[bytes]:
            return await asyncio.gather(
                *(self._kaleido.calc_fig(spec, opts=opts) for spec, opts in jobs)
            )

        return [bytes(b) for b in self._call(gather())]

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._call(self._kaleido.close())
        self._loop.call_soon_threadsafe(self._loop.stop)


def _shared_browser() -> _Browser:
    global _browser
    with _lock:
        if _browser is None:
            _browser = _Browser()
        return _browser


def for_export(fig: go.Figure | dict[str, Any]) -> dict[str, Any]:
    """A copy of the figure as a dict, set in the shipped font, with a fixed size."""
    spec = fig.to_dict() if isinstance(fig, go.Figure) else copy.deepcopy(fig)  # to_dict copies
    layout = spec.setdefault("layout", {})
    layout.setdefault("font", {})["family"] = FONT_FAMILY
    layout.setdefault("width", EXPORT_WIDTH)
    layout.setdefault("height", EXPORT_HEIGHT)
    return spec


def _job(fig: go.Figure | dict[str, Any], fmt: Format) -> tuple[dict[str, Any], dict[str, Any]]:
    spec = for_export(fig)
    layout = spec["layout"]
    scale = PNG_SCALE if fmt == "png" else 1
    return spec, {
        "format": fmt,
        "width": layout["width"],
        "height": layout["height"],
        "scale": scale,
    }


def render(fig: go.Figure | dict[str, Any], fmt: Format) -> bytes:
    """The figure as PNG (at ``PNG_SCALE``), SVG or PDF bytes."""
    return render_many([fig], fmt)[0]


def render_many(figs: list[go.Figure | dict[str, Any]], fmt: Format) -> list[bytes]:
    """Several figures in one format, rendered side by side in the shared browser."""
    try:
        return _shared_browser().render_many([_job(f, fmt) for f in figs])
    except TimeoutError as exc:
        raise RenderError(f"Chromium không trả lời sau {RENDER_TIMEOUT} giây.") from exc
