"""Dashboard speed: every analytic page on the demo database and on a national-scale one.

Usage: python benchmarks/dashboard.py [--repeat 3] [--scale 1.0] [--reuse] [--no-browser]

1. Databases: the demo database of `thidua demo`, and a synthetic national one (34 provinces,
   10 years, about 10 million criterion rows; benchmarks/national.py, made by SQL in DuckDB and
   opened through etl.db.connect so the schema and views are the real ones). Both are written to
   benchmarks/out/ (gitignored); --reuse keeps a national database that is already there.
2. Server side, with streamlit.testing.v1.AppTest, one fresh process per database, median of
   --repeat runs of each page:
   - "cold": a new session after st.cache_data / st.cache_resource were cleared (every query
     runs and every figure is built: the first visitor after a start or a new upload);
   - "session": a new session while the caches are warm (every later visitor);
   - "rerun": the same session run again (a widget change that hits the caches).
3. Browser: `streamlit run` on each database and headless Debian Chromium (Playwright), the time
   from navigation until the first chart of Tổng quan is visible: a first visit with an empty
   browser cache (Streamlit's and plotly's JavaScript are downloaded and compiled), and a
   returning visit (new session, cached JavaScript). Median of --repeat, after one warm-up
   visit that starts the server's own caches.

Targets (the issue): every page under 0.3 s on the demo data and under 2 s at national scale;
the first chart of Tổng quan within 3 s. Prints a Markdown table; writes
benchmarks/out/dashboard.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on sys.path, where this very file would shadow
# the `dashboard` package: the repository root takes its place.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

OUT = ROOT / "benchmarks" / "out"
APP = ROOT / "dashboard" / "app.py"
PAGES = (
    ("tong_quan", "Tổng quan"),
    ("xep_hang", "Xếp hạng cụm, khối"),
    ("don_vi", "Đơn vị"),
    ("chi_tieu", "Hoàn thành chỉ tiêu"),
    ("kinh_te_xa_hoi", "Chỉ tiêu KT-XH"),
)
TARGETS = {"demo": 0.3, "national": 2.0, "first_chart": 3.0}
MODES = ("cold", "session", "rerun")


# --- server side (AppTest), run in a child process per database -----------------------------


def apptest_times(db: Path, repeat: int) -> dict[str, dict[str, list[float]]]:
    """{page: {mode: [seconds, ...]}} for every analytic page on ``db`` (this process)."""
    os.environ["THIDUA_DB"] = str(db)
    import streamlit as st
    from streamlit import logger
    from streamlit.testing.v1 import AppTest

    logger.set_log_level("error")  # "No runtime found" on every cache clear, outside a server

    def session(page: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=600)
        if page != "tong_quan":
            at.switch_page(f"app_pages/{page}.py")
        return at

    def timed(at: AppTest) -> float:
        start = time.perf_counter()
        at.run()
        elapsed = time.perf_counter() - start
        if at.exception:
            raise RuntimeError(f"{at.exception[0].value}")
        return elapsed

    timed(session("tong_quan"))  # imports, the database connection: not part of any page
    out: dict[str, dict[str, list[float]]] = {}
    for page, _ in PAGES:
        runs: dict[str, list[float]] = {m: [] for m in MODES}
        for _ in range(repeat):
            st.cache_data.clear()
            st.cache_resource.clear()
            at = session(page)
            runs["cold"].append(timed(at))
            runs["rerun"].append(timed(at))
            runs["session"].append(timed(session(page)))
        out[page] = runs
    return out


def _apptest_in_child(db: Path, repeat: int) -> dict[str, dict[str, list[float]]]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        target = Path(fh.name)
    try:
        subprocess.run(
            [sys.executable, __file__, "--apptest-child", str(db), str(target), str(repeat)],
            check=True,
            cwd=ROOT,
        )
        return json.loads(target.read_text())
    finally:
        target.unlink(missing_ok=True)


# --- browser ----------------------------------------------------------------------------------


def browser_times(db: Path, repeat: int, log: Path) -> dict[str, Any]:
    """Seconds until the first chart of Tổng quan is visible, in headless Chromium."""
    from playwright.sync_api import sync_playwright

    from tests.browser import harness

    overview = "Đơn vị dẫn đầu từng cụm"  # the title of Tổng quan's first chart
    result: dict[str, Any] = {"first_visit": [], "returning_visit": []}
    with harness.serving(db, log) as server, sync_playwright() as p:
        browser = harness.launch(p)
        try:
            url = server.url + "/"

            def visit(page: Any) -> float:
                start = time.perf_counter()
                page.goto(url)
                page.locator(harness.CHART, has_text=overview).first.wait_for(
                    state="visible", timeout=120_000
                )
                return time.perf_counter() - start

            for i in range(repeat + 1):
                context = browser.new_context(viewport=harness.VIEWPORT)
                try:
                    page = context.new_page()
                    first = visit(page)
                    page.goto("about:blank")
                    again = visit(page)
                finally:
                    context.close()
                if i == 0:  # the server's first page: imports, empty caches
                    result["server_start_visit"] = first
                    continue
                result["first_visit"].append(first)
                result["returning_visit"].append(again)
        finally:
            browser.close()
    return result


# --- databases -------------------------------------------------------------------------------


def counts(db: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            t: int(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0])
            for t in ("criterion_scores", "unit_results", "targets", "members", "imports",
                      "import_scopes")
        }  # fmt: skip
    finally:
        con.close()


def build_databases(scale: float, reuse: bool) -> dict[str, Path]:
    from benchmarks import national
    from tests.browser import harness

    OUT.mkdir(parents=True, exist_ok=True)
    demo = OUT / "bench_demo.duckdb"
    for leftover in (demo, demo.with_name(demo.name + ".wal")):
        leftover.unlink(missing_ok=True)
    start = time.perf_counter()
    harness.thidua("demo", "--db", str(demo), db=demo)
    print(f"demo database {demo}: {time.perf_counter() - start:.1f} s", flush=True)
    nat = OUT / ("national.duckdb" if scale == 1 else f"national_{scale:g}.duckdb")
    if reuse and nat.exists():
        print(f"national database {nat}: reused", flush=True)
    else:
        national.build(nat, scale, log=lambda m: print(m, flush=True))
    return {"demo": demo, "national": nat}


# --- report ----------------------------------------------------------------------------------


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def table(results: dict[str, Any]) -> str:
    dbs = [d for d in ("demo", "national") if d in results["apptest"]]
    head = ["Trang"] + [f"{d}: {m}" for d in dbs for m in MODES]
    lines = ["| " + " | ".join(head) + " |", "|---" + "|---:" * (len(head) - 1) + "|"]
    for page, label in PAGES:
        cells = [label]
        for d in dbs:
            for m in MODES:
                s = median(results["apptest"][d][page][m])
                flag = " ⚠" if s >= TARGETS[d] else ""
                cells.append(f"{s:.3f}{flag}")
        lines.append("| " + " | ".join(cells) + " |")
    if results.get("browser"):
        lines.append("")
        lines.append("| Tổng quan: biểu đồ đầu tiên trong Chromium (s) | " + " | ".join(dbs) + " |")
        lines.append("|---" + "|---:" * len(dbs) + "|")
        for key, label in (
            ("first_visit", "lần đầu mở (bộ nhớ đệm trình duyệt trống)"),
            ("returning_visit", "mở lại (phiên mới)"),
            ("server_start_visit", "trang đầu tiên sau khi khởi động máy chủ"),
        ):
            cells = []
            for d in dbs:
                v = results["browser"].get(d, {}).get(key)
                s = median(v) if isinstance(v, list) else v
                flag = " ⚠" if s is not None and key != "server_start_visit" and s >= 3 else ""
                cells.append("–" if s is None else f"{s:.2f}{flag}")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--apptest-child"]:
        db, target, repeat = Path(argv[1]), Path(argv[2]), int(argv[3])
        target.write_text(json.dumps(apptest_times(db, repeat)))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the national clusters")
    ap.add_argument("--reuse", action="store_true", help="keep an existing national database")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium timings")
    args = ap.parse_args(argv)

    dbs = build_databases(args.scale, args.reuse)
    results: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        "repeat": args.repeat,
        "scale": args.scale,
        "targets_s": TARGETS,
        "databases": {name: {"path": str(p), **counts(p)} for name, p in dbs.items()},
        "apptest": {},
        "browser": {},
    }
    for name, path in dbs.items():
        start = time.perf_counter()
        results["apptest"][name] = _apptest_in_child(path, args.repeat)
        print(f"AppTest on {name}: {time.perf_counter() - start:.0f} s", flush=True)

    if not args.no_browser:
        from tests.browser import harness

        reason = harness.missing_browser()
        if reason:
            print(f"browser timings skipped: {reason}", flush=True)
        else:
            for name, path in dbs.items():
                results["browser"][name] = browser_times(
                    path, args.repeat, OUT / f"streamlit_{name}.log"
                )
                print(f"Chromium on {name}: done", flush=True)

    results["medians"] = {
        name: {page: {m: median(runs[m]) for m in MODES} for page, runs in pages.items()}
        for name, pages in results["apptest"].items()
    }
    results["met"] = {
        name: all(max(v.values()) < TARGETS[name] for v in results["medians"][name].values())
        for name in results["medians"]
    }
    for name, b in results["browser"].items():
        results["met"][f"first_chart_{name}"] = median(b["first_visit"]) < TARGETS["first_chart"]
    (OUT / "dashboard.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print()
    print(table(results))
    print(f"\n{OUT / 'dashboard.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
