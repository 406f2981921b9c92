"""Kind G: a list of award proposals, or of awards granted with their decisions (§6c).

One list per cluster and year supersedes the previous list of that cluster and year; a list that
carries decisions (the council's grants) is kept beside the proposals it answers.
"""

from __future__ import annotations

from etl.kinds.awards import closest_forms, forms, match_awards
from etl.kinds.common import Context, Tables, numeric_column, scope, table_span, text_column
from etl.read.layout import Layout, TitleInfo, is_total_name
from etl.read.text import canonical_cluster, nfc
from etl.read.workbook import Sheet, address
from etl.report import SheetReport


def parse_proposals(
    sheet: Sheet,
    layout: Layout,
    title: TitleInfo,
    ctx: Context,
    report: SheetReport,
    file_name: str,
) -> tuple[Tables, set[str]] | None:
    cols = layout.columns
    name_col = cols.get("unit", cols.get("person"))
    assert name_col is not None  # the layout requires one of them
    start, stop = table_span(sheet, layout, report)
    names = text_column(sheet, name_col, start, stop)
    people = "unit" not in cols
    award_texts = text_column(sheet, cols["award"], start, stop)
    achievements = text_column(sheet, cols.get("achievement"), start, stop)
    decisions = text_column(sheet, cols.get("decision"), start, stop)
    decision_dates = text_column(sheet, cols.get("decision_date"), start, stop)
    notes = text_column(sheet, cols.get("note"), start, stop)
    clusters = text_column(sheet, cols.get("cluster"), start, stop)
    years = numeric_column(sheet, cols.get("year"), start, stop, report, label="Năm")
    title_year = title.year or layout.header_year or ctx.options.year
    out: list[dict[str, object]] = []
    scopes: set[str] = set()
    for off, raw in enumerate(names):
        if raw is None or is_total_name(raw):
            continue
        r = start + off
        award_text = award_texts[off]
        if award_text is None:
            continue  # a group heading ("I. TẬP THỂ") or an empty line
        typed_year = years.values[off]
        year = int(typed_year) if typed_year is not None else title_year
        if year is None:
            ctx.year(title, report)  # the message that says how to give the year
            return None
        name, cluster = _name_and_cluster(
            raw, clusters[off], year, title, ctx, report, address(r, name_col), people
        )
        if cluster is None:
            continue
        codes = match_awards(award_text)
        if not codes:
            near = closest_forms(award_text)
            report.warn(
                f'Không nhận ra hình thức khen thưởng "{award_text}"; đề nghị vẫn được ghi nhận '
                "nhưng sẽ bị đánh dấu không đủ điều kiện. "
                + (
                    "Gần nhất: " + "; ".join(near)
                    if near
                    else "Các hình thức đã biết: " + "; ".join(f.name for f in forms().values())
                )
                + ". Nếu đây là cách viết tắt của tỉnh, quản trị viên bổ sung vào danh mục cách "
                "viết tắt (data/reference/award_short_forms.csv).",
                address(r, cols["award"]),
            )
        decision = _decision(decisions[off], decision_dates[off])
        key = scope("GQ" if decision else "G", year, cluster)
        scopes.add(key)
        for code in codes or [None]:
            out.append(
                {
                    "scope": key,
                    "source_kind": "G",
                    "year": year,
                    "cluster": cluster,
                    "name": name,
                    "subject": "cá nhân"
                    if people or (code and forms()[code].subject == "cá nhân")
                    else "tập thể",
                    "award_code": code,
                    "award_text": award_text,
                    "achievement": achievements[off],
                    "decision": decision,
                    "note": notes[off],
                    "seq": len(out) + 1,
                    "source_file": file_name,
                    "source_sheet": sheet.name,
                    "source_row": r + 1,
                }
            )
    report.rows = len(out)
    if not out:
        report.error("Không có đề nghị nào (tên và hình thức khen thưởng) dưới dòng tiêu đề cột.")
        return None
    return {"award_proposals": out}, scopes


def _name_and_cluster(
    raw: str,
    typed_cluster: str | None,
    year: int,
    title: TitleInfo,
    ctx: Context,
    report: SheetReport,
    cell: str,
    people: bool,
) -> tuple[str, str | None]:
    """The canonical unit name and its cluster: the list's own, else the membership list's."""
    name = nfc(raw)
    members = ctx.memberships.get(year)
    member = members.find(name) if members and not people else None
    if member is not None:
        name = member.unit
    raw_cluster = typed_cluster or title.cluster or (member.cluster if member else None)
    if raw_cluster is None and ctx.options.cluster:
        raw_cluster = ctx.options.cluster
    if raw_cluster is None:
        ctx.cluster(None, year, report, cell)  # says how to give the cluster
        return name, None
    cluster = canonical_cluster(raw_cluster) or nfc(raw_cluster)
    if members and members.by_unit and not people and member is None:
        report.warn(
            f"'{name}' không có trong danh sách cụm, khối thi đua năm {year}: các quy tắc dựa trên "
            "xếp hạng, xếp loại không xét được cho đề nghị này.",
            cell,
        )
    return name, cluster


def _decision(number: str | None, day: str | None) -> str | None:
    if number and day and day not in number:
        return f"{number}, ngày {day}"
    return number or day
