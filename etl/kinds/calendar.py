"""Kind H: the campaign calendar of a year — phases and quarterly themes with their dates.

STT | Đợt thi đua (Giai đoạn) | Chủ đề | Từ ngày | Đến ngày | Ghi chú, under a title block that
names the year ("LỊCH THI ĐUA NĂM 2026"). A newer calendar of the same year (and cluster, when the
title names one) supersedes the older.
"""

from __future__ import annotations

import re
from datetime import date

from etl.kinds.common import Context, Tables, scope, table_span, text_column
from etl.read.layout import Layout, TitleInfo, is_total_text, parse_doc_date
from etl.read.text import nfc
from etl.read.workbook import Sheet, address
from etl.report import SheetReport

_ISO = re.compile(r"^((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")


def parse_cell_date(text: str | None) -> date | None:
    """A date as a cell shows it: a real date, "01/04/2026", "1-4-2026", "ngày 1 tháng 4 năm 2026"."""
    if not text:
        return None
    t = nfc(text)
    m = _ISO.match(t)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return parse_doc_date(t)


def parse_calendar(
    sheet: Sheet,
    layout: Layout,
    title: TitleInfo,
    ctx: Context,
    report: SheetReport,
    file_name: str,
) -> tuple[Tables, set[str]] | None:
    cols = layout.columns
    start, stop = table_span(sheet, layout, report)
    phases = text_column(sheet, cols.get("phase"), start, stop)
    themes = text_column(sheet, cols.get("theme"), start, stop)
    starts = text_column(sheet, cols["start"], start, stop)
    ends = text_column(sheet, cols["end"], start, stop)
    notes = text_column(sheet, cols.get("note"), start, stop)
    year = ctx.year(title, report, layout.header_year)
    if year is None:
        return None
    cluster = title.cluster or ctx.options.cluster
    key = scope("H", year, cluster or "")
    out: list[dict[str, object]] = []
    for off in range(stop - start):
        label = phases[off] or themes[off]
        if label is None or is_total_text(label):
            continue
        r = start + off
        first, last = parse_cell_date(starts[off]), parse_cell_date(ends[off])
        for value, parsed, role in ((starts[off], first, "start"), (ends[off], last, "end")):
            if parsed is None:
                report.error(
                    f'"{value or ""}" không phải là ngày. Hãy ghi ngày dạng 01/04/{year}.',
                    address(r, cols[role]),
                )
        if first is None or last is None:
            continue
        if last < first:
            report.error(
                f"Ngày kết thúc {last:%d/%m/%Y} trước ngày bắt đầu {first:%d/%m/%Y}.",
                address(r, cols["end"]),
            )
            continue
        out.append(
            {
                "scope": key,
                "year": year,
                "cluster": cluster,
                "phase": phases[off],
                "theme": themes[off],
                "start_date": first,
                "end_date": last,
                "note": notes[off],
                "seq": len(out) + 1,
                "source_file": file_name,
                "source_sheet": sheet.name,
                "source_row": r + 1,
            }
        )
    report.rows = len(out)
    if not out:
        report.error("Không có đợt thi đua nào (tên, từ ngày, đến ngày) dưới dòng tiêu đề cột.")
        return None
    return {"calendar": out}, {key}
