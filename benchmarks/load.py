"""Many leaders at once: the dashboard under 50 concurrent sessions, and its cold start.

Usage: python benchmarks/load.py [--sessions 50] [--waves 2] [--cold-repeat 3] [--port 8651]
       (or `make bench-load`)

Two servers on this machine, one after the other, on 127.0.0.1 only:
- "thidua": `thidua serve` (python -m etl serve) on the demo database (`thidua demo`, made in
  benchmarks/out/, gitignored);
- "floor": a bare Streamlit page with one plotly chart and one selectbox
  (benchmarks/floor_app.py), served by `streamlit run` with the server settings of thidua's
  dashboard/.streamlit/config.toml (no file watcher, no garbage collection after every run...):
  what Streamlit and plotly cost on this machine, the best any page could do.

For each server:
1. Cold start (--cold-repeat times, median): a fresh server process; the time from starting it
   until the first chart is visible in a fresh headless Chromium context (Debian's
   /usr/bin/chromium via Playwright, launched before the server). The browser opens the page as
   soon as /_stcore/health answers, as a user would once the server says it is ready.
2. Load (--waves times on one freshly started server, the first wave right after it is ready):
   --sessions websocket sessions at once (benchmarks/ws_client.py: Streamlit's own protobufs, no
   browser), each opening Xếp hạng (the floor's only page) and then changing the cluster filter.
   Per session: seconds from the request to the first delta carrying a plotly chart, on opening
   and after the change, and the whole session. Server CPU per session: the CPU time (user +
   system) of the server's process tree during the wave, over the number of sessions.

The client runs on the same machine as the server and takes CPU from it, as the issue's figures
did. Every session and wave is bounded in time; the servers are stopped at the end. Prints a
Markdown table; writes benchmarks/out/load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
# Run as a script, this folder comes first on sys.path, where benchmarks/dashboard.py would
# shadow the `dashboard` package: the repository root takes its place.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from benchmarks import ws_client  # noqa: E402
from dashboard.server import serve  # noqa: E402

OUT = ROOT / "benchmarks" / "out"
FILTER = "Cụm, khối thi đua"
TARGETS = {"cold_start_ratio": 1.2, "p95_first_chart_s": 5.0, "cpu_per_session_s": 0.1}
WARMED = ("đã sẵn sàng", "bỏ qua bước làm nóng")  # dashboard.server.serve's log after its warm-up
FLAGS = [
    "--server.headless",
    "true",
    "--server.address",
    "127.0.0.1",
    "--server.fileWatcherType",
    "none",
    "--browser.gatherUsageStats",
    "false",
]


# --- servers ---------------------------------------------------------------------------------


def _command(target: str, db: Path, port: int) -> list[str]:
    if target == "thidua":
        return [sys.executable, "-m", "etl", "serve", "--db", str(db), "--port", str(port)]
    app = HERE / "floor_app.py"
    return [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port), *FLAGS]


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux /proc)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(parents.get(p, []))
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` and its descendants so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in _tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"the server did not answer in {timeout:.0f} s")


def wait_for_line(log: Path, words: tuple[str, ...], proc: Any, timeout: float = 120) -> None:
    """Wait until the server's log has a line holding one of ``words``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        if any(w in text for w in words):
            return
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        time.sleep(0.1)
    raise RuntimeError(f"the server did not say {words!r} in {timeout:.0f} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server we started and its descendants (children first); wait until every
    one of them is gone, so the next server gets the port."""
    pids = _tree(proc.pid)
    for pid in reversed(pids):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in pids[1:]):
        time.sleep(0.05)
    for pid in pids[1:]:
        if Path(f"/proc/{pid}").exists():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def _config_as_env(path: Path) -> dict[str, str]:
    """A Streamlit config.toml as STREAMLIT_* variables (for a script beside no such file)."""
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    return {
        serve._env_name(f"{section}.{key}"): str(value).lower()
        if isinstance(value, bool)
        else str(value)
        for section, options in table.items()
        for key, value in options.items()
    }


@contextmanager
def server(
    target: str, db: Path, port: int, log: Path, env: dict[str, str] | None = None
) -> Iterator[tuple[str, Any]]:
    """A server on ``db``; ``env``: more THIDUA_* variables (the national storage's)."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise RuntimeError(f"port {port} is already in use")
    child = {k: v for k, v in os.environ.items() if not k.startswith(("THIDUA_", "STREAMLIT_"))}
    child["THIDUA_DB"] = str(db)
    child.update(env or {})
    if target == "floor":  # the server settings thidua's app.py gets from its config file
        child.update(_config_as_env(ROOT / "dashboard" / ".streamlit" / "config.toml"))
    with log.open("ab") as out:
        proc = subprocess.Popen(
            _command(target, db, port), cwd=ROOT, env=child, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        yield f"http://127.0.0.1:{port}", proc
    finally:
        stop(proc)


# --- measurements ----------------------------------------------------------------------------


def cold_start(target: str, db: Path, port: int, log: Path, browser: Any) -> dict[str, float]:
    """Seconds from starting the server to its health answer and to the first visible chart."""
    from tests.browser import harness

    start = time.perf_counter()
    with server(target, db, port, log) as (url, proc):
        wait_ready(url, proc)
        ready = time.perf_counter() - start
        context = browser.new_context(viewport=harness.VIEWPORT, locale="vi-VN")
        try:
            page = context.new_page()
            page.goto(url + "/")
            page.locator(harness.CHART).first.wait_for(state="visible", timeout=120_000)
            chart = time.perf_counter() - start
        finally:
            context.close()
    return {"ready_s": ready, "first_chart_s": chart}


def percentile(xs: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not xs:
        return float("nan")
    s = sorted(xs)
    return s[max(0, math.ceil(q / 100 * len(s)) - 1)]


async def _wave(urls: list[str], sessions: int, page: str, timeout: float) -> list[Any]:
    async def one(url: str) -> Any:
        start = time.perf_counter()
        try:
            res = await ws_client.open_and_change(
                url, page_name=page, change=FILTER, timeout=timeout
            )
        except Exception as exc:  # a failed session is counted, not hidden
            return f"{type(exc).__name__}: {exc}"
        return res, time.perf_counter() - start

    # Spread over the servers in turn, as a load balancer with sticky sessions would.
    return await asyncio.gather(*(one(urls[i % len(urls)]) for i in range(sessions)))


def load_wave(
    urls: list[str], pids: list[int], sessions: int, page: str, timeout: float
) -> dict[str, Any]:
    """``sessions`` at once over the servers at ``urls``; CPU of the processes ``pids``."""
    cpu0, t0 = sum(map(cpu_seconds, pids)), time.perf_counter()
    results = asyncio.run(_wave(urls, sessions, page, timeout))
    wall, cpu = time.perf_counter() - t0, sum(map(cpu_seconds, pids)) - cpu0
    done = [r for r in results if not isinstance(r, str)]
    errors = [r for r in results if isinstance(r, str)]
    failed = [
        r
        for r, _ in done
        if r.open.first_chart_s is None
        or r.change.first_chart_s is None
        or r.open.exceptions
        or r.change.exceptions
    ]
    errors += [f"no chart or an error: {r.open.exceptions or r.change.exceptions}" for r in failed]
    opened = [r.open.first_chart_s for r, _ in done if r.open.first_chart_s is not None]
    changed = [r.change.first_chart_s for r, _ in done if r.change.first_chart_s is not None]
    whole = [s for _, s in done]
    return {
        "sessions": sessions,
        "completed": len(done) - len(failed),
        "errors": errors[:5],
        "n_errors": len(errors),
        "wall_s": wall,
        "server_cpu_s": cpu,
        "cpu_per_session_s": cpu / sessions,
        "open_first_chart_s": {"p50": percentile(opened, 50), "p95": percentile(opened, 95)},
        "change_first_chart_s": {"p50": percentile(changed, 50), "p95": percentile(changed, 95)},
        "session_s": {"p50": percentile(whole, 50), "p95": percentile(whole, 95)},
        "bytes_per_session": sum(r.bytes_received for r, _ in done) / max(1, len(done)),
    }


def measure(target: str, db: Path, port: int, args: argparse.Namespace) -> dict[str, Any]:
    cold_log, log = OUT / f"load_{target}_cold.log", OUT / f"load_{target}.log"
    for old in (cold_log, log):
        old.unlink(missing_ok=True)
    out: dict[str, Any] = {"cold": [], "waves": []}
    if args.cold_repeat:
        from playwright.sync_api import sync_playwright

        from tests.browser import harness

        with sync_playwright() as p:
            browser = harness.launch(p)
            try:
                for _ in range(args.cold_repeat):
                    out["cold"].append(cold_start(target, db, port, cold_log, browser))
                    print(f"{target} cold start: {out['cold'][-1]}", flush=True)
            finally:
                browser.close()
    page = "xep_hang" if target == "thidua" else ""
    with server(target, db, port, log) as (url, proc):
        wait_ready(url, proc)
        if target == "thidua":  # the load comes once the server says it is ready (warmed)
            wait_for_line(log, WARMED, proc)
        for i in range(args.waves):
            wave = load_wave([url], [proc.pid], args.sessions, page, args.timeout)
            out["waves"].append(wave)
            print(f"{target} wave {i + 1}: {json.dumps(wave, ensure_ascii=False)}", flush=True)
    return out


# --- report ----------------------------------------------------------------------------------


def _median(xs: list[float]) -> float:
    return sorted(xs)[len(xs) // 2] if xs else float("nan")


def _s(x: float) -> str:
    return "–" if x != x else f"{x:.2f}".replace(".", ",")


def table(results: dict[str, Any]) -> str:
    names = list(results["servers"])
    rows = ["| đo trên dữ liệu mẫu | " + " | ".join(names) + " | mục tiêu |"]
    rows.append("|---" * (len(names) + 2) + "|")

    def row(label: str, values: list[str], target: str) -> None:
        rows.append(f"| {label} | " + " | ".join(values) + f" | {target} |")

    servers = [results["servers"][n] for n in names]
    if any(s["cold"] for s in servers):
        row(
            "khởi động → biểu đồ đầu tiên (trình duyệt mới), s",
            [_s(_median([c["first_chart_s"] for c in s["cold"]])) for s in servers],
            "≤ 1,2× sàn",
        )
        row(
            "khởi động → máy chủ sẵn sàng, s",
            [_s(_median([c["ready_s"] for c in s["cold"]])) for s in servers],
            "",
        )
    for i in range(max(len(s["waves"]) for s in servers)):
        waves = [s["waves"][i] if i < len(s["waves"]) else None for s in servers]
        n = results["sessions"]
        tag = f"đợt {i + 1}" + (" (ngay khi máy chủ báo sẵn sàng)" if i == 0 else " (bộ đệm đã có)")

        def cell(w: Any, key: str, q: str) -> str:
            return _s(w[key][q]) if w else "–"

        row(
            f"{n} phiên, {tag}: mở trang → biểu đồ đầu, p50 / p95, s",
            [f"{cell(w, 'open_first_chart_s', 'p50')} / {cell(w, 'open_first_chart_s', 'p95')}"
             for w in waves],
            "p95 ≤ 5",
        )  # fmt: skip
        row(
            f"{n} phiên, {tag}: đổi cụm → biểu đồ đầu, p50 / p95, s",
            [f"{cell(w, 'change_first_chart_s', 'p50')} / {cell(w, 'change_first_chart_s', 'p95')}"
             for w in waves],
            "p95 ≤ 5",
        )  # fmt: skip
        row(
            f"{n} phiên, {tag}: CPU máy chủ mỗi phiên, s",
            [_s(w["cpu_per_session_s"]) if w else "–" for w in waves],
            "≤ 0,1",
        )
        row(
            f"{n} phiên, {tag}: phiên lỗi",
            [str(w["n_errors"]) if w else "–" for w in waves],
            "0",
        )
    return "\n".join(rows)


def demo_db() -> Path:
    db = OUT / "load_demo.duckdb"
    if not db.exists():
        subprocess.run([sys.executable, "-m", "etl", "demo", "--db", str(db)], cwd=ROOT, check=True)
    return db


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--waves", type=int, default=2)
    ap.add_argument("--cold-repeat", type=int, default=3, help="0: no browser")
    ap.add_argument("--timeout", type=float, default=180, help="seconds a session may take")
    ap.add_argument("--port", type=int, default=8651, help="the port the servers use, in turn")
    ap.add_argument("--only", choices=("thidua", "floor"), help="measure one server")
    ap.add_argument("--note", default="", help="measurement conditions, kept in the JSON")
    args = ap.parse_args(argv)
    if not 1 <= args.sessions <= 500:
        ap.error("--sessions: 1..500")
    OUT.mkdir(parents=True, exist_ok=True)
    db = demo_db()
    load1 = os.getloadavg()[0]
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "load_1m": load1},
        "note": args.note,
        "sessions": args.sessions,
        "targets": TARGETS,
        "servers": {},
    }
    for target in ("thidua", "floor"):
        if args.only in (None, target):
            results["servers"][target] = measure(target, db, args.port, args)
    results["machine"]["load_1m_end"] = os.getloadavg()[0]
    (OUT / "load.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print()
    print(table(results))
    print(f"\nload average (1 min) at start {load1:.2f}, at end {os.getloadavg()[0]:.2f}")
    print(f"{OUT / 'load.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
