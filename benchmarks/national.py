"""A national-scale synthetic database for the dashboard benchmark, generated inside DuckDB.

34 provinces x 10 years (2017-2026) x CLUSTERS clusters x UNITS units: every unit-year has a
scoring sheet of CRITERIA criterion rows (``criterion_scores``, about 10 million rows), a result
row (``unit_results``), TARGETS targets for the year and for the first half (``targets``) and a
membership row (``members``); one load per province-year for the membership lists, one per
cluster-year for the scoring sheets and one for the targets, plus an earlier scoring load for one
cluster-year in ten that the later one supersedes (its rows stay in the tables, as real superseded
loads do). Every load speaks for its scopes in ``import_scopes`` so the real views decide what is
current. The database is opened through ``etl.db.connect`` (the real schema, views and reference
data); the rows are made with ``range()`` in SQL, not Python loops.

Usage: python benchmarks/national.py OUT.duckdb [--scale 1.0]
       [--compare "dbname=… host=…" [--sessions 50] [--repeat 1] [--port 8661]]

``--compare`` builds the same database a second time in the national storage (DuckLake with its
catalog in the given, empty PostgreSQL database; data files beside OUT) and measures, on each:
the build; ``thidua load`` of one real workbook (a new process); one small committed write
(embedded: with its read snapshot); every analytic page in a new session after the caches were
cleared (AppTest, benchmarks/dashboard.py); and --sessions websocket sessions at once spread over
two ``thidua serve`` processes on that storage, each opening Xếp hạng and changing the cluster
(benchmarks/load.py), right after both are ready and again with warm caches: p95 to the first
chart and server CPU per session. Prints a Markdown table; writes benchmarks/out/national.json.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# The 34 provinces and cities after the 1 July 2025 reorganisation.
PROVINCES = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh",
    "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
)  # fmt: skip
FIRST_YEAR, YEARS = 2017, 10
CLUSTERS = 30  # per province and year
UNITS = 10  # per cluster
CRITERIA = 96  # criterion rows per scoring sheet: 5 groups x 16 rows, bonus 1+7, deduction 1+7
TARGETS = 8  # per unit, period
PERIODS = ("year", "H1")
SUPERSEDED_EVERY = 10  # one cluster-year in ten was loaded twice


def _sql(clusters: int, units: int) -> list[tuple[str, str]]:
    """(label, statement) in order; $base_id/$base_prec are the first free load number/precedence."""
    roman = "['I','II','III','IV','V']"
    return [
        (
            "dimensions",
            f"""
            CREATE OR REPLACE TEMP TABLE prov AS
            SELECT generate_subscripts(l, 1) - 1 AS p, unnest(l) AS province
            FROM (SELECT $provinces::VARCHAR[] AS l);
            CREATE OR REPLACE TEMP TABLE cy AS  -- cluster-years
            SELECT p, province, y AS year, c,
                   'Cụm thi đua số ' || (c + 1) || ' – ' || province AS cluster,
                   (hash(p, y, c) % {SUPERSEDED_EVERY}) = 0 AS reloaded
            FROM prov, range({FIRST_YEAR}, {FIRST_YEAR + YEARS}) t(y), range({clusters}) s(c);
            CREATE OR REPLACE TEMP TABLE uy AS  -- unit-years
            SELECT cy.*, k,
                   'Đơn vị ' || (k + 1) || ', cụm ' || (c + 1) || ', ' || province AS unit,
                   'ĐV' || (k + 1) || '-C' || (c + 1) AS short_name,
                   ((p * {YEARS} + (year - {FIRST_YEAR})) * {clusters} + c) * {units} + k AS uid
            FROM cy, range({units}) s(k);
            """,
        ),
        (
            "imports",
            f"""
            CREATE OR REPLACE TEMP TABLE imp AS
            WITH loads AS (
                SELECT p, year, NULL::BIGINT AS c, 'E' AS kind, 0 AS step,
                       'danh_sach_cum_khoi_' || year || '_' || p || '.xlsx' AS file_name,
                       false AS old
                FROM prov, range({FIRST_YEAR}, {FIRST_YEAR + YEARS}) t(year)
                UNION ALL
                SELECT p, year, c, 'A', 1, 'bang_cham_diem_cum' || (c + 1) || '_' || year || '_'
                       || p || '_ban_dau.xlsx', true
                FROM cy WHERE reloaded
                UNION ALL
                SELECT p, year, c, 'A', 2, 'bang_cham_diem_cum' || (c + 1) || '_' || year || '_'
                       || p || '.xlsx', false
                FROM cy
                UNION ALL
                SELECT p, year, c, 'C', 3, 'chi_tieu_cum' || (c + 1) || '_' || year || '_'
                       || p || '.xlsx', false
                FROM cy
            )
            SELECT *, $base_id + row_number() OVER w - 1 AS import_id,
                   $base_prec + row_number() OVER w - 1 AS precedence
            FROM loads
            WINDOW w AS (ORDER BY year, step, p, c);
            INSERT INTO imports (import_id, file_name, sha256, stored_path, kinds, rows_loaded,
                                 precedence, retracted, loaded_by, loaded_at, options, report)
            SELECT import_id, file_name, sha256(file_name), NULL, kind,
                   CASE kind WHEN 'E' THEN {clusters * units} WHEN 'A' THEN {units * CRITERIA}
                             ELSE {units * TARGETS * len(PERIODS)} END,
                   precedence, false, 'can_bo_' || p,
                   make_timestamp(year, 12, 1, 8, 0, 0) + to_seconds(import_id % 1000000),
                   '{{}}', NULL
            FROM imp ORDER BY import_id;
            """,
        ),
        (
            "import_scopes",
            """
            INSERT INTO import_scopes
            SELECT i.import_id, 'e|' || cy.year || '|' || lower(cy.cluster)
            FROM imp i JOIN cy ON i.kind = 'E' AND cy.p = i.p AND cy.year = i.year;
            INSERT INTO import_scopes
            SELECT i.import_id, kind_scope || '|' || uy.year || '|' || lower(uy.cluster) || '|'
                   || lower(uy.unit)
            FROM imp i JOIN uy ON i.kind = 'A' AND uy.p = i.p AND uy.year = i.year AND uy.c = i.c,
                 (VALUES ('s'), ('t')) v(kind_scope);
            INSERT INTO import_scopes
            SELECT i.import_id, 'c|' || uy.year || '|' || lower(uy.unit) || '|' || lower(period)
            FROM imp i JOIN uy ON i.kind = 'C' AND uy.p = i.p AND uy.year = i.year AND uy.c = i.c,
                 (VALUES ('year'), ('H1')) v(period);
            """,
        ),
        (
            "members",
            f"""
            INSERT INTO members
            SELECT i.import_id, 'e|' || uy.year || '|' || lower(uy.cluster), uy.year, uy.cluster,
                   uy.unit, CASE WHEN uy.k = 0 THEN 'Cụm trưởng'
                                 WHEN uy.k = 1 THEN 'Cụm phó' ELSE 'Thành viên' END,
                   uy.short_name, uy.c * {units} + uy.k + 1
            FROM uy JOIN imp i ON i.kind = 'E' AND i.p = uy.p AND i.year = uy.year
            ORDER BY uy.uid;
            """,
        ),
        (
            "unit_results",
            """
            INSERT INTO unit_results (import_id, scope, source_kind, year, cluster, unit,
                max_score, self_score, assessed_score, bonus, deduction, total_score,
                group1_score, file_total, file_rank, file_classification, proposal,
                voted_leading, not_ranked_reason, note, source_file, source_sheet, source_cell)
            SELECT i.import_id, 's|' || uy.year || '|' || lower(uy.cluster) || '|' || lower(uy.unit),
                   'A', uy.year, uy.cluster, uy.unit, 100,
                   a + 2, a, b, d,
                   CASE WHEN nr THEN NULL ELSE a + b - d END,
                   round(a * 0.2, 2), CASE WHEN nr THEN NULL ELSE a + b - d END,
                   NULL, NULL, NULL, NULL,
                   CASE WHEN nr THEN 'Đơn vị bị kỷ luật trong năm' END, NULL,
                   i.file_name, uy.short_name, 'F' || (12 + 96)
            FROM (SELECT *,
                         round(70 + (hash(uid, 1) % 2800) / 100.0, 2) AS a,
                         (hash(uid, 2) % 5) * 0.25 AS b,
                         (hash(uid, 3) % 3) * 0.25 AS d,
                         hash(uid, 4) % 200 = 0 AS nr
                  FROM uy) uy
            JOIN imp i ON i.kind = 'A' AND i.p = uy.p AND i.year = uy.year AND i.c = uy.c
            ORDER BY i.import_id, uy.uid;
            """,
        ),
        (
            "criterion_scores",
            f"""
            CREATE OR REPLACE TEMP TABLE tree AS  -- one scoring sheet's rows
            SELECT seq,
                   CASE WHEN seq <= 80 THEN CASE WHEN pos = 0 THEN 1 WHEN r = 0 THEN 2 ELSE 3 END
                        WHEN seq IN (81, 89) THEN 1 ELSE 2 END AS level,
                   CASE WHEN seq <= 80 THEN
                            CASE WHEN pos = 0 THEN {roman}[g + 1]
                                 WHEN r = 0 THEN CAST(k + 1 AS VARCHAR)
                                 ELSE chr(CAST(96 + r AS INTEGER)) END
                        WHEN seq IN (81, 89) THEN NULL ELSE '-' END AS code,
                   CASE WHEN seq <= 80 THEN
                            CASE WHEN pos = 0 THEN NULL WHEN r = 0 THEN g * 16 + 1
                                 ELSE g * 16 + 2 + k * 3 END
                        WHEN seq BETWEEN 82 AND 88 THEN 81
                        WHEN seq > 89 THEN 89 END AS parent_seq,
                   CASE WHEN seq <= 80 THEN 'criterion' WHEN seq <= 88 THEN 'bonus'
                        ELSE 'deduction' END AS section,
                   CASE WHEN seq <= 80 THEN
                            CASE WHEN pos = 0 THEN 'Nhóm tiêu chí ' || {roman}[g + 1]
                                 WHEN r = 0 THEN 'Tiêu chí ' || (k + 1) || ' của nhóm '
                                                 || {roman}[g + 1]
                                 ELSE 'Nội dung ' || chr(CAST(96 + r AS INTEGER))
                                      || ' của tiêu chí ' || (k + 1) || ', nhóm '
                                      || {roman}[g + 1] END
                        WHEN seq = 81 THEN 'Điểm thưởng'
                        WHEN seq = 89 THEN 'Điểm trừ'
                        ELSE 'Trường hợp ' || (seq - 81) END AS criterion,
                   CASE WHEN seq <= 80 THEN CASE WHEN pos = 0 THEN 20 WHEN r = 0 THEN 4 ELSE 2 END
                        WHEN seq = 81 THEN 5 WHEN seq < 89 THEN 1 ELSE NULL END AS max_points
            FROM (SELECT seq, (seq - 1) // 16 AS g, (seq - 1) % 16 AS pos,
                         ((seq - 1) % 16 - 1) // 3 AS k, ((seq - 1) % 16 - 1) % 3 AS r
                  FROM range(1, {CRITERIA + 1}) t(seq));
            INSERT INTO criterion_scores
            SELECT i.import_id, 't|' || uy.year || '|' || lower(uy.cluster) || '|' || lower(uy.unit),
                   uy.year, uy.cluster, uy.unit, t.seq, t.code, t.parent_seq, t.level,
                   t.criterion, t.section, t.max_points,
                   CASE WHEN t.section = 'bonus' AND t.level = 1 THEN 5 END,
                   CASE WHEN t.section = 'deduction' AND t.level = 1 THEN 5 END,
                   s, s - 0.25 * (h % 2),
                   coalesce(s, t.max_points * 0.9), coalesce(s - 0.25 * (h % 2), t.max_points * 0.85),
                   NULL, i.file_name, uy.short_name, 'E' || (11 + t.seq), 11 + t.seq
            FROM uy
            JOIN imp i ON i.kind = 'A' AND i.p = uy.p AND i.year = uy.year AND i.c = uy.c
            CROSS JOIN tree t,
            LATERAL (SELECT hash(uy.uid, t.seq, i.old) AS h) hh,
            LATERAL (SELECT CASE WHEN t.level = 3 OR (t.section <> 'criterion' AND t.level = 2
                                                       AND h % 4 = 0)
                                 THEN t.max_points * (0.6 + (h % 41) / 100.0) END AS s) ss
            ORDER BY i.import_id, uy.uid, t.seq;
            """,
        ),
        (
            "targets",
            f"""
            INSERT INTO targets
            SELECT i.import_id, 'c|' || uy.year || '|' || lower(uy.unit) || '|' || lower(period),
                   uy.year, period, uy.cluster, uy.unit, n, CAST(n AS VARCHAR),
                   'Chỉ tiêu thi đua số ' || n, CASE WHEN n % 2 = 0 THEN '%' ELSE 'hồ sơ' END,
                   CASE WHEN n = {TARGETS} THEN 'lower' ELSE 'higher' END,
                   planned, actual, NULL, NULL,
                   CASE WHEN actual IS NULL THEN NULL
                        WHEN n = {TARGETS} THEN 100.0 * planned / nullif(actual, 0)
                        ELSE 100.0 * actual / planned END,
                   CASE WHEN actual IS NULL THEN NULL
                        WHEN n = {TARGETS} THEN actual <= planned
                        ELSE actual >= planned END,
                   NULL, NULL, i.file_name, uy.short_name, 8 + n
            FROM uy
            JOIN imp i ON i.kind = 'C' AND i.p = uy.p AND i.year = uy.year AND i.c = uy.c
            CROSS JOIN (VALUES ('year', 1.0), ('H1', 0.55)) pe(period, share)
            CROSS JOIN range(1, {TARGETS + 1}) tn(n),
            LATERAL (SELECT 100.0 + (hash(uy.uid, n) % 50) AS planned) pl,
            LATERAL (SELECT CASE WHEN hash(uy.uid, n, period) % 20 = 0 THEN NULL
                                 ELSE planned * share * (0.85 + (hash(uy.uid, n, 7) % 30) / 100.0)
                            END AS actual) ac
            ORDER BY i.import_id, uy.uid, period, n;
            """,
        ),
    ]


def build(path: Path, scale: float = 1.0, log=print) -> Path:
    """Write the national database at ``path`` (replaced if it exists)."""
    from etl import db

    clusters = max(1, round(CLUSTERS * scale))
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    start = time.perf_counter()
    con = db.connect(path)  # the real schema, views and the shipped reference load
    try:
        # Numbered after the shipped reference load (whose precedence is below every upload).
        base_id, base_prec = con.execute(
            "SELECT greatest(coalesce(max(import_id), 0) + 1, 1),"
            " greatest(coalesce(max(precedence), 0) + 1, 1) FROM imports"
        ).fetchall()[0]
        params = {"provinces": list(PROVINCES), "base_id": base_id, "base_prec": base_prec}
        con.execute("SET preserve_insertion_order = true")
        with db.transaction(con):
            for label, sql in _sql(clusters, UNITS):
                t = time.perf_counter()
                for statement in filter(str.strip, sql.split(";")):
                    names = [n for n in params if f"${n}" in statement]
                    con.execute(statement, {n: params[n] for n in names} if names else None)
                log(f"  {label}: {time.perf_counter() - t:.1f} s")
        con.execute("CHECKPOINT")
        counts = {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
            for t in ("criterion_scores", "unit_results", "targets", "members", "imports",
                      "import_scopes")
        }  # fmt: skip
    finally:
        db.close(path)
    log(
        f"national database {path}: {time.perf_counter() - start:.1f} s, "
        + ", ".join(f"{t} {n:,}" for t, n in counts.items())
    )
    return path


SAMPLES = ROOT / "data" / "samples"
MEMBERS = SAMPLES / "0_danh_sach_cum_khoi_thi_dua_2026.xlsx"  # the clusters the scoring names
SAMPLE = SAMPLES / "1_cham_diem_cum1_2026.xlsx"  # a real scoring workbook (kind A), timed


def _storage_env(out: Path, national: bool, conninfo: str) -> dict[str, str]:
    if national:
        return {
            "THIDUA_CATALOG": "postgres:" + conninfo,
            "THIDUA_DATA_PATH": str(out.with_name(out.stem + "-lake")),
        }
    return {"THIDUA_DB": str(out)}


def _use(env: dict[str, str]) -> None:
    """This process (and the children it starts) on the storage of ``env``."""
    import os

    for name in ("THIDUA_CATALOG", "THIDUA_DATA_PATH", "THIDUA_DB"):
        os.environ.pop(name, None)
    os.environ.update(env)


def _load_once(out: Path) -> float:
    """Seconds for ``thidua load`` of one real workbook, a new process, as a clerk's upload
    (after the year's membership list, not timed)."""
    import subprocess

    def load(path: Path) -> float:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "etl", "load", str(path), "--db", str(out)],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        return time.perf_counter() - start

    load(MEMBERS)
    return load(SAMPLE)


def _commits(repeat: int = 3) -> float:
    """One small committed write (an audit line; embedded: with its read snapshot), median."""
    import statistics

    from etl import db
    from etl.year import accounts

    times = []
    for i in range(repeat):
        start = time.perf_counter()
        with db.writing() as con:
            accounts.audit(con, f"bench{i}", "bench")
        times.append(time.perf_counter() - start)
    db.close_all()
    return statistics.median(times)


def _cold_pages(out: Path, repeat: int) -> dict[str, float]:
    """Each analytic page in a new session after every cache was cleared (AppTest, a child
    process on this storage): seconds, median of ``repeat``."""
    import statistics

    from benchmarks import dashboard

    times = dashboard._apptest_in_child(out, repeat)
    return {page: statistics.median(t["cold"]) for page, t in times.items()}


def _two_servers(out: Path, env: dict[str, str], sessions: int, waves: int, port: int) -> list:
    """``sessions`` websocket sessions at once spread over two ``thidua serve`` processes on the
    same storage (as behind a load balancer), each opening Xếp hạng and changing the cluster;
    once right after both say they are ready, then with their caches warm."""
    from benchmarks import load

    results = []
    load.OUT.mkdir(parents=True, exist_ok=True)
    logs = [load.OUT / f"national_server{i}.log" for i in (1, 2)]
    for log in logs:
        log.unlink(missing_ok=True)
    with contextlib.ExitStack() as stack:
        servers = [
            stack.enter_context(load.server("thidua", out, port + i, log, env=env))
            for i, log in enumerate(logs)
        ]
        for (url, proc), log in zip(servers, logs, strict=True):
            load.wait_ready(url, proc, timeout=600)
            load.wait_for_line(log, load.WARMED, proc, timeout=600)
        urls, pids = [url for url, _ in servers], [proc.pid for _, proc in servers]
        for _ in range(waves):
            results.append(load.load_wave(urls, pids, sessions, "xep_hang", 300))
            print(f"  two servers, wave {len(results)}: {results[-1]}", flush=True)
    return results


def compare(out: Path, scale: float, conninfo: str, sessions: int, repeat: int, port: int) -> dict:
    import json
    import os

    from etl import db

    rows: dict[str, dict] = {}
    for name, national in (("tệp DuckDB", False), ("DuckLake + PostgreSQL", True)):
        env = _storage_env(out, national, conninfo)
        _use(env)
        print(f"{name}:", flush=True)
        start = time.perf_counter()
        build(out, scale)
        row: dict = {"build_s": time.perf_counter() - start}
        db.close_all()
        row["load_s"] = _load_once(out)
        row["commit_s"] = _commits()
        row["cold_pages_s"] = _cold_pages(out, repeat)
        row["waves"] = _two_servers(out, env, sessions, 2, port)
        rows[name] = row
        print(f"  {json.dumps(row, ensure_ascii=False)}", flush=True)
    (ROOT / "benchmarks" / "out").mkdir(exist_ok=True)
    (ROOT / "benchmarks" / "out" / "national.json").write_text(
        json.dumps({"load_1m_end": os.getloadavg()[0], "storages": rows}, indent=2,
                   ensure_ascii=False)
    )  # fmt: skip
    print(table(rows, sessions))
    return rows


def _n(x: float) -> str:
    return "–" if x != x else f"{x:.2f}".replace(".", ",")


def table(rows: dict[str, dict], sessions: int) -> str:
    lines = [
        "| cách lưu trữ | dựng CSDL (s) | nạp một bảng tính thật (s) | một lần ghi nhỏ (s) "
        "| trang nguội, chậm nhất (s) | " + f"{sessions} phiên trên 2 máy chủ: p95 mở Xếp hạng, "
        "đợt 1 / đợt 2 (s) | CPU mỗi phiên, đợt 1 / đợt 2 (s) | phiên lỗi |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in rows.items():
        slowest = max(r["cold_pages_s"], key=r["cold_pages_s"].get)
        w = r["waves"]
        lines.append(
            f"| {name} | {_n(r['build_s'])} | {_n(r['load_s'])} | {_n(r['commit_s'])} "
            f"| {_n(r['cold_pages_s'][slowest])} ({slowest}) "
            f"| {' / '.join(_n(x['open_first_chart_s']['p95']) for x in w)} "
            f"| {' / '.join(_n(x['cpu_per_session_s']) for x in w)} "
            f"| {sum(x['n_errors'] for x in w)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--scale", type=float, default=1.0, help="fraction of the clusters")
    ap.add_argument("--compare", metavar="CONNINFO", help="an empty PostgreSQL database (libpq)")
    ap.add_argument("--sessions", type=int, default=50, help="with --compare: over 2 servers")
    ap.add_argument("--repeat", type=int, default=1, help="with --compare: cold pages, median")
    ap.add_argument("--port", type=int, default=8661, help="with --compare: the two servers' first")
    args = ap.parse_args(argv)
    if args.compare:
        compare(args.out.resolve(), args.scale, args.compare, args.sessions, args.repeat, args.port)
    else:
        build(args.out.resolve(), args.scale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
