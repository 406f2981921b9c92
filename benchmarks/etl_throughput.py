"""ETL throughput: raw polars.read_excel vs `thidua load`, with peak memory, at 10k–500k rows.

Usage: python benchmarks/etl_throughput.py [--sizes 10000,100000,500000]

Each size gets a scoring workbook made like an office's (title block, two-row header, decimal
commas typed as text, a total row and signatures), cached in benchmarks/out/. Every measurement
runs in a fresh process so that peak memory (max RSS) belongs to that step alone.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import openpyxl

OUT = Path(__file__).resolve().parent / "out"


def make_workbook(rows: int, path: Path) -> Path:
    if path.exists():
        return path
    rnd = random.Random(rows)
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Cụm 1")
    ws.append(["ĐẢNG BỘ TỈNH LÂM ĐỒNG", None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"])
    ws.append([None, None, None, "Lâm Đồng, ngày 15 tháng 12 năm 2026"])
    ws.append(["BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2026"])
    ws.append(["Đơn vị: Ban Tổ chức Đảng ủy Công an tỉnh"])
    ws.append(["Cụm thi đua số 1"])
    ws.append([])
    ws.append(
        ["STT", "Nội dung tiêu chí", "Điểm chuẩn", "Điểm tự chấm", "Điểm cụm chấm", "Ghi chú"]
    )
    group = 1000
    for i in range(rows):
        top = i // group + 1
        if i % group == 0:
            ws.append([str(top), f"Nhóm tiêu chí {top}", group - 1, None, None, None])
            continue
        score = rnd.choice([1, 0.5, 0.75, 0.25])
        text = f"{score}".replace(".", ",")
        ws.append(
            [
                f"{top}.{i % group}",
                f"Tiêu chí số {i} về công tác chuyên môn",
                1,
                text if i % 3 else score,
                score,
                None,
            ]
        )
    ws.append([None, "Tổng cộng"])
    ws.append([])
    ws.append([None, "Người lập biểu", None, "THỦ TRƯỞNG ĐƠN VỊ"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


_RAW = """
import resource, sys, time, polars as pl
t = time.perf_counter()
pl.read_excel(sys.argv[1])
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

_LOAD = """
import resource, sys, time
from pathlib import Path
from etl import db
from etl.load import LoadOptions, load_file
con = db.connect(Path(sys.argv[2]))
t = time.perf_counter()
report = load_file(con, Path(sys.argv[1]), LoadOptions())
elapsed = time.perf_counter() - t
assert report.status == "loaded", [i.human() for i in report.errors][:5]
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _run(code: str, *args: str) -> tuple[float, float]:
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    # DuckDB may print a progress bar before the measurement on a slow (busy) machine.
    return float(out[-2]), int(out[-1]) / 1024  # seconds, MiB


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000,500000")
    args = parser.parse_args()
    results = []
    for rows in (int(s) for s in args.sizes.split(",")):
        path = make_workbook(rows, OUT / f"scoring_{rows}.xlsx")
        raw_s, raw_mb = _run(_RAW, str(path))
        with tempfile.TemporaryDirectory() as tmp:
            load_s, load_mb = _run(_LOAD, str(path), str(Path(tmp) / "bench.duckdb"))
        results.append(
            {
                "rows": rows,
                "raw_s": raw_s,
                "raw_mb": raw_mb,
                "load_s": load_s,
                "load_mb": load_mb,
                "ratio": load_s / raw_s,
            }
        )
    print("| dòng | polars.read_excel (s) | thidua load (s) | tỷ lệ | bộ nhớ đỉnh khi nạp (MiB) |")
    print("|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r['rows']:,} | {r['raw_s']:.2f} | {r['load_s']:.2f} | {r['ratio']:.1f}× | "
            f"{r['load_mb']:.0f} |".replace(",", ".")
        )
    (OUT / "etl_throughput.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
