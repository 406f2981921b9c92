"""Running the dashboard for a browser: a Streamlit server in a subprocess and headless Chromium.

Plain functions (no pytest), shared by tests/browser and benchmarks/dashboard.py. The browser is
Debian's Chromium (``/usr/bin/chromium``); no browser is ever downloaded.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"
CHROMIUM = Path(os.environ.get("THIDUA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1400, "height": 1000}
CHART = ".js-plotly-plot"  # a drawn plotly chart
WARMED = ("đã sẵn sàng", "bỏ qua bước làm nóng")  # dashboard.server.serve's log after its warm-up


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return (
            f"{CHROMIUM} is not installed (Debian package 'chromium'; "
            "`apt-get install chromium`, as .ci/run does)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        return f"playwright is not installed (pip install -e '.[dev]'): {exc}"
    return None


def free_port() -> int:
    """A free localhost port: from THIDUA_TEST_PORTS ("8641-8649") when set, so that sessions
    sharing a machine keep to their own ports; else any."""
    wanted = os.environ.get("THIDUA_TEST_PORTS", "")
    first, _, last = wanted.partition("-")
    candidates = range(int(first), int(last or first) + 1) if first else [0]
    for port in candidates:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise RuntimeError(f"no free port in THIDUA_TEST_PORTS={wanted}")


def thidua(*args: str, db: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the `thidua` command line (``python -m etl``) on ``db``; raise when it fails."""
    env = {**os.environ, "THIDUA_DB": str(db)}
    proc = subprocess.run(
        [sys.executable, "-m", "etl", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"thidua {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def start_server(
    db: Path, log: Path, *, timeout: float = 60.0, settings: dict[str, str] | None = None
) -> Server:
    """The dashboard (dashboard.server.serve, as `thidua serve` starts it) on a free localhost port with
    THIDUA_DB=db (and the THIDUA_* ``settings`` given, nothing else from this environment); wait
    for it."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("THIDUA_")}
    env["THIDUA_DB"] = str(db)
    env.update(settings or {})
    cmd = [
        sys.executable,
        "-m",
        "dashboard.server.serve",  # as `thidua serve` runs it: warmed, thidua's server settings
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    out = log.open("wb")
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    out.close()
    server = Server(f"http://127.0.0.1:{port}", process, log)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(server.url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            stop_server(server)
            raise RuntimeError(f"streamlit did not answer in {timeout:.0f} s:\n{server.log_tail()}")
        time.sleep(0.2)


def stop_server(server: Server) -> None:
    """Stop the server process started by start_server (only that process)."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


def wait_warm(server: Server, timeout: float = 180.0) -> None:
    """Wait until the server says its warm-up is over (dashboard.server.serve): every analytic page has
    been opened once, so a test's first visit of a page is not the server's first run of it."""
    deadline = time.monotonic() + timeout
    while not any(line in server.log.read_text(errors="replace") for line in WARMED):
        if server.process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"no warm-up in {timeout:.0f} s:\n{server.log_tail()}")
        time.sleep(0.2)


@contextlib.contextmanager
def serving(db: Path, log: Path, settings: dict[str, str] | None = None) -> Iterator[Server]:
    server = start_server(db, log, settings=settings)
    try:
        wait_warm(server)
        yield server
    finally:
        stop_server(server)


@contextlib.contextmanager
def serving_together(
    db: Path, logs: list[Path], settings: dict[str, str] | None = None
) -> Iterator[list[Server]]:
    """One server per log on ``db``, as ``serving`` starts them, but each next one starts as soon as
    the one before answers (it takes its port), so that their warm-ups overlap instead of
    following each other; all are warm before they are used."""
    servers: list[Server] = []
    try:
        for log in logs:
            servers.append(start_server(db, log, settings=settings))
        for server in servers:
            wait_warm(server)
        yield servers
    finally:
        for server in servers:
            stop_server(server)


def launch(playwright: Any) -> Any:
    """Headless Debian Chromium through Playwright."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )


def time_first_chart(page: Any, url: str, timeout_ms: float = 30_000) -> float:
    """Seconds from navigating to ``url`` until the first plotly chart is visible."""
    start = time.perf_counter()
    page.goto(url)
    page.locator(CHART).first.wait_for(state="visible", timeout=timeout_ms)
    return time.perf_counter() - start
