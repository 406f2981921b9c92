"""The proposal list in the layout councils use: an Excel sheet and a Word (.docx) draft.

Columns: STT | Tên tập thể | Hình thức khen thưởng | Thành tích | Kết quả kiểm tra. The Excel goes
through the shared writer (its guard keeps text that starts with "=" from running as a formula);
the .docx is a draft a clerk edits and signs: title block, one table grouped by cluster, blanks for
the document number and date, signature block. Text from workbooks is written as plain runs.
"""

from __future__ import annotations

import io
from datetime import datetime

import polars as pl
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from dashboard.export import xlsx
from dashboard.format import file_slug

XLSX_MIME = xlsx.MIME
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HEADERS = ("STT", "Tên tập thể", "Hình thức khen thưởng", "Thành tích", "Kết quả kiểm tra")
WIDTHS_CM = (1.2, 6.5, 5.0, 7.0, 6.8)
FONT = "Times New Roman"
STATUS_WORDS = {
    "hợp lệ": "Hợp lệ",
    "vượt hạn mức": "Vượt hạn mức",
    "không đủ điều kiện": "Không đủ điều kiện",
}


def check_text(status: str, reason: str | None) -> str:
    """What the council reads in "Kết quả kiểm tra": the status, and why when it is not valid."""
    word = STATUS_WORDS.get(status, status)
    return word if status == "hợp lệ" or not reason else f"{word}: {reason}"


def council_rows(proposals: pl.DataFrame) -> pl.DataFrame:
    """The list in the council's order: by cluster, award, rank; numbered within each cluster."""
    ordered = proposals.sort(["cluster", "award", "rank", "name"], nulls_last=True)
    return ordered.select(
        pl.int_range(1, pl.len() + 1).over("cluster").alias("stt"),
        pl.col("name"),
        pl.col("award"),
        pl.col("achievement").fill_null(""),
        pl.struct("status", "reason")
        .map_elements(lambda s: check_text(s["status"], s["reason"]), return_dtype=pl.String)
        .alias("check"),
        pl.col("cluster").fill_null("Chưa rõ cụm, khối"),
    )


def file_name(year: int, cluster: str | None, ext: str) -> str:
    parts = ["danh-sach-de-nghi-khen-thuong", str(year), file_slug(cluster) if cluster else ""]
    return "_".join(p for p in parts if p) + f".{ext}"


def council_xlsx(proposals: pl.DataFrame, year: int, cluster: str | None) -> bytes:
    rows = council_rows(proposals)
    return xlsx.workbook(
        rows,
        title="Danh sách đề nghị",
        headers=[*HEADERS, "Cụm, khối"],
        formats=["0", None, None, None, None, None],
        about=[
            ("Bảng", f"Danh sách đề nghị khen thưởng năm {year}"),
            ("Phạm vi", cluster or "toàn tỉnh"),
            ("Số đề nghị", rows.height),
            ("Thời điểm xuất", datetime.now().replace(microsecond=0)),
            ("Nguồn", "View v_award_proposals (kết quả kiểm tra theo quy tắc khen thưởng)"),
        ],
    )


def _run(paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float = 13):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return run


def _para(cell_or_doc, text: str = "", *, center: bool = True, **style):
    p = cell_or_doc.add_paragraph() if hasattr(cell_or_doc, "add_paragraph") else cell_or_doc
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    p.paragraph_format.space_after = Pt(2)
    if text:
        _run(p, text, **style)
    return p


def _cell_text(cell, text: str, *, center: bool = False, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    _run(p, text, bold=bold, size=12)


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def council_docx(proposals: pl.DataFrame, year: int, cluster: str | None) -> bytes:
    """A Word draft of the proposal list, landscape A4, ready for a clerk to complete and sign."""
    rows = council_rows(proposals)
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    section.top_margin = section.bottom_margin = Cm(1.5)

    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    _cell_text(left, "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", center=True)
    _para(left, (cluster or "CÁC CỤM, KHỐI THI ĐUA").upper(), bold=True)
    _para(left, "Số: ……/DS-HĐTĐKT")
    _cell_text(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", center=True, bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", bold=True)
    _para(right, "Lâm Đồng, ngày …… tháng …… năm ……", italic=True)

    _para(doc)
    _para(doc, f"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}", bold=True, size=14)
    _para(doc, "(Kèm theo Tờ trình số ……/TTr-…… ngày …… tháng …… năm ……)", italic=True)

    table = doc.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
        _cell_text(cell, text, center=True, bold=True)
    _repeat_header(table.rows[0])
    for (name,), part in rows.group_by("cluster", maintain_order=True):
        heading = table.add_row().cells
        merged = heading[0].merge(heading[-1])
        _cell_text(merged, str(name).upper(), bold=True)
        for r in part.iter_rows(named=True):
            cells = table.add_row().cells
            _cell_text(cells[0], str(r["stt"]), center=True)
            _cell_text(cells[1], r["name"])
            _cell_text(cells[2], r["award"] or "")
            _cell_text(cells[3], r["achievement"])
            _cell_text(cells[4], r["check"])
    for row in table.rows:
        for cell, width in zip(row.cells, WIDTHS_CM, strict=False):
            cell.width = Cm(width)

    _para(doc)
    n = rows.height
    valid = rows.filter(pl.col("check") == "Hợp lệ").height
    _para(
        doc,
        f"Danh sách có {n} đề nghị; {valid} hợp lệ, {n - valid} cần Hội đồng xem xét lại.",
        center=False,
        italic=True,
        size=12,
    )
    sign = doc.add_table(rows=1, cols=2)
    left, right = sign.rows[0].cells
    _cell_text(left, "NGƯỜI LẬP DANH SÁCH", center=True, bold=True)
    _cell_text(right, "T/M HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", center=True, bold=True)
    _para(right, "CHỦ TỊCH", bold=True)
    for cell in (left, right):
        _para(cell, "(Ký, ghi rõ họ tên)", italic=True, size=12)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
