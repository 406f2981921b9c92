"""Kind E: which units belong to which cluster in a year, and their roles (workbooks.md §6)."""

from __future__ import annotations

from etl.kinds.common import (
    Context,
    Member,
    Membership,
    Tables,
    numeric_column,
    scope,
    table_span,
    text_column,
)
from etl.read.layout import Layout, TitleInfo, is_total_name
from etl.read.text import canonical_cluster, fold_header
from etl.read.workbook import Sheet, address
from etl.report import SheetReport

ROLES = {
    "cum truong": "Cụm trưởng",
    "cum pho thuong truc": "Cụm phó Thường trực",
    "cum pho": "Cụm phó",
    "khoi truong": "Khối trưởng",
    "khoi pho thuong truc": "Khối phó Thường trực",
    "khoi pho": "Khối phó",
    "thanh vien": "Thành viên",
}


def parse_members(
    sheet: Sheet,
    layout: Layout,
    title: TitleInfo,
    ctx: Context,
    report: SheetReport,
    file_name: str,
) -> tuple[Tables, set[str], dict[int, Membership]] | None:
    cols = layout.columns
    start, stop = table_span(sheet, layout, report)
    units = text_column(sheet, cols["unit"], start, stop)
    codes = text_column(sheet, cols.get("code"), start, stop)
    # A cluster or role merged down over its members applies to each of them.
    clusters = text_column(sheet, cols.get("cluster"), start, stop, fill_merged=True)
    roles = text_column(sheet, cols.get("role"), start, stop, fill_merged=True)
    shorts = text_column(sheet, cols.get("short_name"), start, stop)
    years = numeric_column(sheet, cols.get("year"), start, stop, report, label="Năm")
    title_year = title.year or ctx.options.year
    heading = title.cluster or (ctx.options.cluster and canonical_cluster(ctx.options.cluster))
    out: list[dict[str, object]] = []
    scopes: set[str] = set()
    found: dict[int, Membership] = {}
    unit_rows = 0
    for off, unit in enumerate(units):
        r = start + off
        # A heading row "CỤM THI ĐUA SỐ 1" opens a block of members.
        head = canonical_cluster(unit or "") if unit else None
        code = codes[off]
        if head is None and code and not unit:
            head = canonical_cluster(code)
        if head and not roles[off] and not shorts[off] and (not clusters[off]):
            heading = head
            continue
        if unit is None or is_total_name(unit):
            continue
        unit_rows += 1
        typed_year = years.values[off]
        year = int(typed_year) if typed_year is not None else title_year
        if year is None:
            report.error(
                "Không xác định được năm của danh sách. Hãy ghi 'NĂM 2026' trong tiêu đề "
                "hoặc thêm cột 'Năm'.",
                address(r, cols["unit"]),
            )
            return None
        raw_cluster = clusters[off] or heading
        cluster = canonical_cluster(raw_cluster) if raw_cluster else None
        if cluster is None:
            report.error(
                f"Không rõ đơn vị '{unit}' thuộc cụm, khối nào. Hãy điền cột 'Cụm/Khối thi "
                "đua' hoặc đặt dòng tiêu đề 'CỤM THI ĐUA SỐ …' phía trên.",
                address(r, cols["unit"]),
            )
            continue
        role = roles[off]
        if role:
            role = ROLES.get(fold_header(role), role)
        key = scope("E", year, cluster)
        scopes.add(key)
        member = Member(unit, cluster, role, shorts[off])
        found.setdefault(year, Membership()).add(member)
        out.append(
            {
                "scope": key,
                "year": year,
                "cluster": cluster,
                "unit": unit,
                "role": role,
                "short_name": shorts[off],
                "seq": len(out) + 1,
            }
        )
    report.rows = len(out)
    if not unit_rows:
        report.error("Không có đơn vị nào trong danh sách.")
    if not out:
        return None
    return {"members": out}, scopes, found
