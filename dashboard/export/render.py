"""Server-side rendering of plotly figures to PNG, SVG and PDF with kaleido.

One kaleido browser (Debian's Chromium, or its headless shell) is started on first use and kept
for the life of the process, driven from its own event-loop thread: Streamlit runs download
callbacks on several threads at once, and each render simply waits for one of the browser's tabs.

Chromium sees only the fonts shipped in ``dashboard/fonts`` (Noto Sans, with Noto Sans Math and
Symbols 2 for −, ≥ and ★): the fontconfig file it is given lists no system directory, so a chart
looks the same on every server, whatever fonts it has.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import contextlib
import copy
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, Literal

import plotly.graph_objects as go
import plotly.io as pio

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONT_FAMILY = "Noto Sans"
FALLBACK_FAMILIES = ("Noto Sans Math", "Noto Sans Symbols 2")
EXPORT_WIDTH = 1200  # px of a chart whose layout does not fix its width (the page stretches it)
EXPORT_HEIGHT = 600
PNG_SCALE = 3  # 1200 px wide → 3600 px: sharp on a projector and in a printed report

Format = Literal["png", "svg", "pdf"]
MIME: dict[str, str] = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}

TABS = 2  # a server's tabs: a chart download need not wait while a pack is being printed
# Debian's Chromium built without the browser's window layer: the same engine, so the same pages,
# started in half the CPU time of `chromium --headless` (no blank first renderer). Used when
# installed; kaleido's own search (Debian's chromium) otherwise.
HEADLESS_SHELL = "chromium-headless-shell"
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
    if any(
        shutil.which(name)
        for name in (HEADLESS_SHELL, "chromium", "chromium-browser", "google-chrome")
    ):
        return None
    return "chưa cài Chromium (gói chromium của Debian)"


def _browser_path() -> str | None:
    """The browser to start: BROWSER_PATH, else the headless shell when installed, else None
    (kaleido looks for Debian's chromium)."""
    return os.environ.get("BROWSER_PATH") or shutil.which(HEADLESS_SHELL)


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
    """A kaleido browser driven from its own event loop thread, shared by every caller.

    Every tab holds kaleido's page with plotly.js and our page printer (``_PAGES_SCRIPT``) loaded
    once: a chart image and a PDF pack take whichever tab is free."""

    def __init__(self, tabs: int = TABS) -> None:
        import kaleido

        # Chromium inherits the environment when kaleido launches it: this is how it gets our fonts.
        os.environ["FONTCONFIG_FILE"] = str(fontconfig_file())
        self._dir = Path(tempfile.mkdtemp(prefix="thidua-render-"))
        printer = self._dir / "pages.js"
        printer.write_text(_PAGES_SCRIPT, encoding="utf-8")
        page = kaleido.PageGenerator(mathjax=False, others=[(printer.as_uri(), "utf-8")])
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, name="kaleido", daemon=True).start()
        try:
            self._kaleido = kaleido.Kaleido(n=tabs, page_generator=page, path=_browser_path())
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

    def pdf_pages(self, jobs: list[tuple[dict[str, Any], dict[str, Any]]], title: str) -> bytes:
        figures = ",".join(
            f'{{"fig": {pio.to_json(spec)}, "width": {opts["width"]}, "height": {opts["height"]}}}'
            for spec, opts in jobs
        )
        call = f"drawPages([{figures}], {json.dumps(title)})"

        async def run() -> bytes:
            ready = self._kaleido.tabs_ready  # kaleido's queue of free tabs: one is ours a while
            kaleido_tab = await ready.get()
            tab = kaleido_tab.tab
            try:
                drawn = await _evaluate(tab, call)
                if "exceptionDetails" in drawn["result"]:
                    raise RenderError(
                        f"plotly.js không vẽ được: {drawn['result']['exceptionDetails']}"
                    )
                printed = _check(
                    await tab.send_command(
                        "Page.printToPDF",
                        params={"printBackground": True, "preferCSSPageSize": True, **_NO_MARGINS},
                    )
                )
            finally:
                await _evaluate(tab, "clearPages()")
                ready.put_nowait(kaleido_tab)
            return base64.b64decode(printed["result"]["data"])

        return self._call(run())

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._call(self._kaleido.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        shutil.rmtree(self._dir, ignore_errors=True)


_NO_MARGINS = {f"margin{side}": 0 for side in ("Top", "Bottom", "Left", "Right")}


def _check(response: dict[str, Any]) -> dict[str, Any]:
    if "error" in response:
        raise RenderError(f"Chromium không in được tài liệu PDF: {response['error']}")
    return response


async def _evaluate(tab: Any, expression: str) -> dict[str, Any]:
    return _check(
        await tab.send_command(
            "Runtime.evaluate",
            params={"expression": expression, "awaitPromise": True, "returnByValue": True},
        )
    )


# Each figure drawn by plotly.js into a block of its size (static: no hover or zoom layers), one
# printed sheet per block at the figure's size. The page is kaleido's, shared with chart images:
# its image is hidden while a document is shown, and clearPages() leaves the page as it found it.
_PAGES_SCRIPT = """
const pagesStyle = document.head.appendChild(document.createElement("style"));
let keptTitle = "";

async function drawPages(pages, title) {
  keptTitle = document.title;
  document.title = title;
  document.body.classList.add("pages");
  // Not break-after: plotly.js puts a hidden element of its own after the last block.
  let css = `body.pages {margin: 0 !important; padding: 0 !important; background: white}
    body.pages > img {display: none} .page {overflow: hidden} .page + .page {break-before: page}`;
  const blocks = pages.map((page, n) => {
    css += `@page p${n} {size: ${page.width}px ${page.height}px; margin: 0}
      .p${n} {page: p${n}; width: ${page.width}px; height: ${page.height}px}`;
    const block = document.createElement("div");
    block.className = `page p${n}`;
    document.body.appendChild(block);
    return block;
  });
  pagesStyle.textContent = css;
  for (const [n, page] of pages.entries()) {
    const layout = {...page.fig.layout, width: page.width, height: page.height};
    await Plotly.newPlot(blocks[n], page.fig.data, layout, {staticPlot: true});
  }
  return pages.length;
}

function clearPages() {
  for (const block of document.querySelectorAll(".page")) {
    Plotly.purge(block);
    block.remove();
  }
  pagesStyle.textContent = "";
  document.body.classList.remove("pages");
  document.title = keptTitle;
}
"""


def _shared_browser(tabs: int = TABS) -> _Browser:
    global _browser
    with _lock:
        if _browser is None:
            _browser = _Browser(tabs)
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


def pdf_pages(figs: list[go.Figure | dict[str, Any]], title: str) -> bytes:
    """Several figures as the pages of one PDF (each page the figure's size), drawn side by side
    in the shared browser and printed in one pass. ``title`` is the document's title."""
    try:
        return _shared_browser().pdf_pages([_job(f, "pdf") for f in figs], title)
    except TimeoutError as exc:
        raise RenderError(f"Chromium không trả lời sau {RENDER_TIMEOUT} giây.") from exc


def start(tabs: int = TABS) -> None:
    """Start the shared browser on a thread of its own, if it is not running, and return at once:
    an export asked for a moment later finds it ready. Each of its ``tabs`` loads plotly.js; a
    command that prints one pack and ends needs one. Without Chromium, nothing happens (the export
    itself says why)."""
    if _browser is None and browser_missing() is None:
        threading.Thread(
            target=_start_quietly, args=(tabs,), name="kaleido-start", daemon=True
        ).start()


def _start_quietly(tabs: int) -> None:
    with contextlib.suppress(RenderError, TimeoutError):
        _shared_browser(tabs)
