"""Sample data of the emulation year (issue #11), written with tools/samples.py's helpers.

- the 2026 campaign calendar (kind H) from the seeds' themes: the quarterly themes of seed 002
  (Kế hoạch thi đua năm 2021 of Khối thi đua số 1, Đà Lạt) and the three-phase plan of seed 003;
- the 2026 proposal list (kind G) of the four clusters, with one proposal that breaks the Cờ thi
  đua rule and one over its quota, and the 2025 decisions (kind G with decision numbers);
- the oracles of expected.json: each 2026 unit's submissions (from the date lines the generator
  wrote) with their status as of a fixed day, and each proposal's check under the default rules,
  computed here from the generator's own ranks — never by reading the files back.
"""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path
from typing import Any

from tools import samples as S

AS_OF = date(2026, 12, 28)  # the day expected.json states the 2026 submissions as of
# Date lines of the 2026 reports (day, month) that differ from the usual ones: late reports.
LATE_YEAR = {(2, 1): 23, (3, 2): 22}  # (cluster, member index) -> day of December (A sheets)
LATE_H1 = {(1, 2): 24, (1, 4): 27}  # (cluster, member index) -> day of June (H1 target files)
YEAR_DAY, H1_DAY, C_YEAR_DAY, B_DAY = 15, 20, 10, 28

CALENDAR_2026 = (
    ("Quý I", "Mừng Đảng, mừng xuân", date(2026, 1, 1), date(2026, 3, 31)),
    (
        "Quý II",
        "Chào mừng ngày giải phóng hoàn toàn miền Nam, thống nhất đất nước (30/4)",
        date(2026, 4, 1),
        date(2026, 6, 30),
    ),
    (
        "Quý III",
        "Giáo dục truyền thống cách mạng, chào mừng Cách mạng tháng Tám và Quốc khánh 02/9",
        date(2026, 7, 1),
        date(2026, 9, 30),
    ),
    (
        "Quý IV",
        "Thi đua nước rút, phấn đấu hoàn thành xuất sắc nhiệm vụ chính trị năm 2026",
        date(2026, 10, 1),
        date(2026, 12, 31),
    ),
    (
        "Đợt cao điểm - giai đoạn 1",
        "Khởi động, đăng ký giao ước thi đua",
        date(2026, 1, 1),
        date(2026, 3, 31),
    ),
    ("Đợt cao điểm - giai đoạn 2", "Tăng tốc, sơ kết 6 tháng", date(2026, 4, 1), date(2026, 6, 30)),
    (
        "Đợt cao điểm - giai đoạn 3",
        "Về đích, tổng kết và suy tôn",
        date(2026, 7, 1),
        date(2026, 12, 31),
    ),
)

CO = "Cờ thi đua của Ủy ban nhân dân tỉnh"
BK = "Bằng khen của Chủ tịch UBND tỉnh"
BK_SHORT = "BK UBND tỉnh"
RULES_CSV = "award_rules.csv"
CLASS_LEVEL = {
    "Hoàn thành xuất sắc nhiệm vụ": 4,
    "Hoàn thành tốt nhiệm vụ": 3,
    "Hoàn thành nhiệm vụ": 2,
    "Không hoàn thành nhiệm vụ": 1,
}


def year_report_day(cluster: int, index: int) -> int:
    return LATE_YEAR.get((cluster, index), YEAR_DAY)


def h1_report_day(cluster: int, index: int) -> int:
    return LATE_H1.get((cluster, index), H1_DAY)


def write_calendar(outdir: Path) -> tuple[Path, list[dict]]:
    name = "4_lich_thi_dua_2026.xlsx"
    wb = S.new_workbook()
    ws = wb.create_sheet("Lịch thi đua")
    headers = [
        ("STT", None),
        ("Đợt thi đua", None),
        ("Chủ đề", None),
        ("Thời gian", "Từ ngày"),
        ("Thời gian", "Đến ngày"),
        ("Ghi chú", None),
    ]
    tb = S.TitleBlock(
        ("TỈNH ỦY LÂM ĐỒNG", "BAN TỔ CHỨC"),
        "Số: 05-KH/BTCTU",
        S.date_line("Lâm Đồng", 12, 1, 2026),
        "LỊCH THI ĐUA NĂM 2026",
        ("Ngành Tổ chức xây dựng Đảng tỉnh Lâm Đồng",),
    )
    row = S.write_title_block(ws, 1, len(headers), 2, tb)
    row = S.write_header(ws, row, 1, headers)
    out = []
    for k, (phase, theme, start, end) in enumerate(CALENDAR_2026, start=1):
        # Dates typed both ways: real date cells and "dd/mm/yyyy" text.
        cells = (start, end) if k % 2 else (f"{start:%d/%m/%Y}", f"{end:%d/%m/%Y}")
        S.write_row(ws, row, 1, [k, phase, theme, *cells, None], text_cols=(1, 2))
        for c in (4, 5):
            ws.cell(row=row, column=c).number_format = "dd/mm/yyyy"
        row += 1
        out.append(
            {"file": name, "phase": phase, "theme": theme, "start": str(start), "end": str(end)}
        )
    S.write_signatures(
        ws,
        row + 1,
        1,
        len(headers),
        3,
        ("Người lập", "Nguyễn Thị Hoa"),
        ("KT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN", "Trần Văn Minh"),
    )
    S.set_widths(ws, 1, [6, 28, 60, 12, 12, 14])
    return S.save(wb, outdir / name), out


def _proposal_sheet(
    path_name: str,
    title: str,
    date_text: str,
    items: list[tuple[str, str, str, str, str | None]],
    outdir: Path,
    decisions: bool,
) -> Path:
    """A council-wide list: STT | Tên tập thể | Cụm thi đua | Hình thức | Thành tích [| QĐ]."""
    wb = S.new_workbook()
    ws = wb.create_sheet("Danh sách")
    headers = [
        ("STT", None),
        ("Tên tập thể", None),
        ("Cụm thi đua", None),
        ("Hình thức khen thưởng đề nghị", None),
        ("Tóm tắt thành tích", None),
    ]
    if decisions:
        headers.append(("Số quyết định", None))
    tb = S.TitleBlock(
        ("TỈNH ỦY LÂM ĐỒNG", "BAN TỔ CHỨC"),
        "Số: 31-DS/BTCTU",
        date_text,
        title,
        ("Ngành Tổ chức xây dựng Đảng tỉnh Lâm Đồng",),
    )
    row = S.write_title_block(ws, 1, len(headers), 2, tb)
    row = S.write_header(ws, row, 1, headers)
    for k, (unit, cluster, award, achievement, decision) in enumerate(items, start=1):
        values: list[Any] = [k, unit, cluster, award, achievement]
        if decisions:
            values.append(decision)
        S.write_row(ws, row, 1, values, text_cols=(1, 2, 3, 4, 5))
        row += 1
    S.write_signatures(
        ws,
        row + 1,
        1,
        len(headers),
        3,
        ("Người lập biểu", "Nguyễn Thị Hoa"),
        ("KT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN", "Trần Văn Minh"),
    )
    S.set_widths(ws, 1, [6, 48, 18, 36, 40, 30][: len(headers)])
    return S.save(wb, outdir / path_name)


def _by_cluster(results: list, year: int) -> dict[str, list]:
    out: dict[str, list] = {}
    for r in results:
        if r.year == year and r.cluster.startswith("Cụm thi đua số"):
            out.setdefault(r.cluster, []).append(r)
    for members in out.values():
        members.sort(key=lambda r: (r.rank is None, r.rank or 0, -r.total, r.unit))
    return dict(sorted(out.items()))


def write_proposals(results: list, outdir: Path) -> tuple[list[Path], list[dict]]:
    """The 2026 proposal list and the 2025 decisions; returns the G rows for the oracle."""
    rows_2026: list[tuple[str, str, str, str, str | None]] = []
    for cluster, members in _by_cluster(results, 2026).items():
        number = int(cluster.rsplit(" ", 1)[1])
        first, second, third = members[0], members[1], members[2]
        rows_2026.append((first.unit, cluster, CO, "Dẫn đầu cụm thi đua năm 2026", None))
        rows_2026.append((second.unit, cluster, BK, "Hoàn thành xuất sắc nhiệm vụ năm 2026", None))
        if number == 2:  # proposed for the flag although not the leading unit: breaks the rule
            rows_2026.append((second.unit, cluster, "Cờ thi đua UBND tỉnh", "Xếp thứ hai", None))
        if number == 3:  # one Bằng khen more than the cluster's share
            rows_2026.append((third.unit, cluster, BK_SHORT, "Nhiều mô hình hay", None))
    rows_2025: list[tuple[str, str, str, str, str | None]] = []
    for cluster, members in _by_cluster(results, 2025).items():
        lead = members[0]
        rows_2025.append(
            (
                lead.unit,
                cluster,
                CO,
                "Dẫn đầu cụm thi đua năm 2025",
                "Quyết định số 215/QĐ-UBND ngày 20/01/2026",
            )
        )
    p26 = _proposal_sheet(
        "5_de_nghi_khen_thuong_2026.xlsx",
        "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG TỔNG KẾT PHONG TRÀO THI ĐUA NĂM 2026",
        S.date_line("Lâm Đồng", 29, 12, 2026),
        rows_2026,
        outdir,
        decisions=False,
    )
    p25 = _proposal_sheet(
        "5_quyet_dinh_khen_thuong_2025.xlsx",
        "DANH SÁCH TẬP THỂ ĐƯỢC KHEN THƯỞNG NĂM 2025",
        S.date_line("Lâm Đồng", 22, 1, 2026),
        rows_2025,
        outdir,
        decisions=True,
    )
    out = [
        {
            "file": p.name,
            "year": y,
            "cluster": c,
            "name": u,
            "award_text": a,
            "decision": d,
            "row": k,
        }
        for p, y, items in ((p26, 2026, rows_2026), (p25, 2025, rows_2025))
        for k, (u, c, a, _, d) in enumerate(items)
    ]
    return [p26, p25], out


def _award_code(text: str) -> str:
    """The generator's own names for the forms it writes (not the ETL's matcher)."""
    if text.startswith("Cờ thi đua"):
        return "CO_UBND"
    if "Ban Thường vụ Tỉnh ủy" in text:
        return "BK_BTV_TU"
    if text.startswith(("Bằng khen", "BK")):
        return "BK_CT_UBND"
    assert "Giấy khen" in text, text
    return "GK"


def expected_proposals(results: list, g_rows: list[dict]) -> list[dict]:
    """Every proposal (lists and summaries) with its status under the default rules."""
    with (S.REFERENCE_DIR / RULES_CSV).open(encoding="utf-8") as fh:
        rules = list(csv.DictReader(fh))
    unit = {(r.year, r.cluster, r.unit): r for r in results}
    n_ranked: dict[tuple[int, str], int] = {}
    for r in results:
        if r.rank is not None:
            n_ranked[(r.year, r.cluster)] = n_ranked.get((r.year, r.cluster), 0) + 1
    props = []
    for g in g_rows:
        props.append({**g, "award_code": _award_code(g["award_text"]), "kind": "G"})
    for cluster in S.CLUSTERS_2026:
        for k, member in enumerate(cluster.members):
            r = unit[(2026, cluster.name, member.name)]
            text = S.proposal(r.rank, S.classify(r.total, r.max_score))
            if text:
                props.append(
                    {
                        "year": 2026,
                        "cluster": r.cluster,
                        "name": r.unit,
                        "award_text": text,
                        "award_code": _award_code(text),
                        "decision": None,
                        "kind": "B",
                        "row": k,
                    }
                )
    for p in props:
        r = unit[(p["year"], p["cluster"], p["name"])]
        p["rank"] = r.rank
        p["classification"] = S.classify(r.total, r.max_score)
        p["status"] = "hợp lệ"
        for rule in rules:
            if rule["award_code"] != p["award_code"]:
                continue
            kind, value = rule["check_kind"], rule["value"]
            failed = (
                (kind == "leading_only" and r.rank != 1)
                or (
                    kind == "min_classification"
                    and CLASS_LEVEL[p["classification"]] < CLASS_LEVEL[value]
                )
                or (kind == "max_rank" and (r.rank is None or r.rank > int(value)))
            )
            if failed:
                p["status"], p["rule"] = "không đủ điều kiện", rule["rule_id"]
                break
    for rule in rules:
        kind = rule["check_kind"]
        if kind not in ("quota_count", "quota_share"):
            continue
        groups: dict[tuple[int, str], list[dict]] = {}
        for p in props:
            if p["award_code"] == rule["award_code"] and p["status"] == "hợp lệ":
                groups.setdefault((p["year"], p["cluster"]), []).append(p)
        for key, group in groups.items():
            limit = (
                int(rule["value"])
                if kind == "quota_count"
                else math.floor(float(rule["value"]) * n_ranked.get(key, 0) + 1e-9)
            )
            group.sort(key=lambda p: (p["decision"] is None, p["rank"] or 10**6, p["row"]))
            for p in group[limit:]:
                p["status"], p["rule"] = "vượt hạn mức", rule["rule_id"]
    return [
        {
            k: p.get(k)
            for k in ("year", "cluster", "name", "award_code", "decision", "status", "rule")
        }
        for p in sorted(props, key=lambda p: (p["year"], p["cluster"], p["award_code"], p["name"]))
    ]


def expected_submissions() -> list[dict]:
    """Each 2026 member unit's H1 and year report: the earliest date written, and its status."""
    out = []
    for cluster in S.CLUSTERS_2026:
        for k, member in enumerate(cluster.members):
            dates: dict[str, list[date]] = {"H1": [], "year": []}
            dates["year"].append(date(2026, 12, year_report_day(cluster.number, k)))
            dates["year"].append(date(2026, 12, B_DAY))
            if cluster.number in S.C_CLUSTERS:
                dates["year"].append(date(2026, 12, C_YEAR_DAY))
            if cluster.number == S.C_HALF_YEAR_CLUSTER:
                dates["H1"].append(date(2026, 6, h1_report_day(cluster.number, k)))
            for period, due in (("H1", date(2026, 6, 20)), ("year", date(2026, 12, 20))):
                sent = min((d for d in dates[period] if d <= AS_OF), default=None)
                if sent is None:
                    status, late = (
                        ("chưa nộp", (AS_OF - due).days) if due < AS_OF else ("chưa đến hạn", 0)
                    )
                elif sent <= due:
                    status, late = "đúng hạn", 0
                else:
                    status, late = "trễ hạn", (sent - due).days
                out.append(
                    {
                        "period": period,
                        "cluster": cluster.name,
                        "unit": member.name,
                        "submitted_on": str(sent) if sent else None,
                        "status": status,
                        "days_late": late,
                    }
                )
    return out
