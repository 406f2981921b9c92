"""Export speed: the meeting pack of the demo year as PowerPoint and as PDF, and chart images.

Usage: python benchmarks/exports.py [--repeat 3] [--year 2026]

Builds the demo database (benchmarks/out/exports-demo.duckdb), then times, each in a fresh
process so nothing is cached between the formats:
- `thidua export pack --year Y -o pack.pptx` and `-o pack.pdf`, the whole command (Python start,
  queries, slides, for the PDF also the start of the kaleido browser and every page's render);
- in one process, the chart images of the ranking page: the first PNG (which starts the browser)
  and the median of the next ones per format.

Target (the issue): the pack for the demo year in under 10 s. Prints a Markdown table; writes
benchmarks/out/exports.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
THIDUA = [sys.executable, "-m", "etl"]
TARGET_S = 10.0

CHART_SCRIPT = """
import json, statistics, sys, time
import duckdb
from dashboard.figures import ranking
from dashboard.figures.plotly import draw
from dashboard.queries import run
from dashboard.export import render
cur = duckdb.connect(sys.argv[1], read_only=True)
year = int(sys.argv[2])
cluster = run(cur, "filter_clusters", {"year": year})["cluster"][0]
fig = draw(ranking.ranking_model(run(cur, "ranking", {"year": year, "cluster": cluster}), cluster, year))
t = time.perf_counter(); render.render(fig, "png"); first = time.perf_counter() - t
out = {"first_png_with_browser_start": first}
for fmt in ("png", "svg", "pdf"):
    times = []
    for _ in range(5):
        t = time.perf_counter(); render.render(fig, fmt); times.append(time.perf_counter() - t)
    out[fmt] = statistics.median(times)
print(json.dumps(out))
"""


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--year", type=int, default=2026)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "exports-demo.duckdb"
    for stale in (db, db.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    subprocess.run([*THIDUA, "demo", "--db", str(db)], check=True, cwd=ROOT, capture_output=True)

    results: dict[str, object] = {"machine": platform.platform(), "year": args.year}
    rows = []
    for fmt in ("pptx", "pdf"):
        target = OUT / f"pack-{args.year}.{fmt}"
        cmd = [*THIDUA, "export", "pack", "--db", str(db), "--year", str(args.year),
               "-o", str(target)]  # fmt: skip
        times = [timed(cmd) for _ in range(args.repeat)]
        results[f"pack_{fmt}_s"] = times
        rows.append((f"Bộ báo cáo năm {args.year} (.{fmt}), cả lệnh", statistics.median(times),
                     target.stat().st_size))  # fmt: skip
    chart = json.loads(
        subprocess.run(
            [sys.executable, "-c", CHART_SCRIPT, str(db), str(args.year)],
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout
    )
    results["chart"] = chart
    (OUT / "exports.json").write_text(json.dumps(results, indent=2), encoding="utf-8")

    print("| việc | trung vị (s) | kích thước |\n|---|---:|---:|")
    for name, seconds, size in rows:
        print(f"| {name} | {seconds:.2f} | {size / 1024:.0f} KiB |")
    print(
        f"| Ảnh PNG đầu tiên (gồm khởi động Chromium) | {chart['first_png_with_browser_start']:.2f} | |"
    )
    for fmt in ("png", "svg", "pdf"):
        print(f"| Một biểu đồ {fmt.upper()} (trình duyệt đã chạy) | {chart[fmt]:.2f} | |")
    worst = max(statistics.median(results[f"pack_{f}_s"]) for f in ("pptx", "pdf"))  # type: ignore[arg-type]
    print(f"\nMục tiêu < {TARGET_S:.0f} s: {'đạt' if worst < TARGET_S else 'CHƯA ĐẠT'} "
          f"(chậm nhất {worst:.2f} s).")  # fmt: skip


if __name__ == "__main__":
    main()
