"""The meeting pack as PowerPoint: 16:9 slides with native charts whose data stays editable."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE, MSO_PATTERN
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.oxml.xmlchemy import OxmlElement
from pptx.slide import Slide as PptxSlide
from pptx.util import Inches, Pt, lazyproperty
from xlsxwriter import Workbook

from dashboard.export.slides import (
    CONTENT,
    COVER_BOXES,
    FOOTNOTE_BOX,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    SUBTITLE_BOX,
    TITLE_BOX,
    Box,
    Pack,
    Slide,
    Table,
    content_boxes,
    table_rows,
)
from dashboard.figures.model import Figure

# Arial has every Vietnamese glyph on Windows and macOS, and LibreOffice maps it to the
# metric-compatible Liberation Sans: the slides keep their layout wherever they are opened.
FONT = "Arial"
TITLE_COLOR = "1F3864"
TEXT_COLOR = "222222"
MUTED_COLOR = "666666"
HEADER_FILL = "1F5FA8"
BAND_FILL = "EEF2F8"
CHART_TYPES = {
    "bar": XL_CHART_TYPE.BAR_CLUSTERED,
    "stacked_bar": XL_CHART_TYPE.BAR_STACKED,
    "line": XL_CHART_TYPE.LINE_MARKERS,
    "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
}


def _rgb(color: str) -> RGBColor:
    return RGBColor.from_string(color.lstrip("#").upper())


def _text(
    slide: PptxSlide,
    box: Box,
    text: str,
    size: float,
    *,
    color: str = TEXT_COLOR,
    bold: bool = False,
) -> None:
    shape = slide.shapes.add_textbox(
        Inches(box.left), Inches(box.top), Inches(box.width), Inches(box.height)
    )
    frame = shape.text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        _run(para, line, size, bold=bold, color=color)


def _run(para: Any, text: str, size: float, *, bold: bool, color: str) -> None:
    run = para.add_run()
    run.text = text
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(color)


class _TextWorkbookWriter(CategoryWorkbookWriter):
    """The chart's embedded workbook with every text written as text.

    XlsxWriter, which python-pptx uses, writes a string starting with "=" as a formula and one
    like "http://…" as a link: a unit named ``=HYPERLINK(…)`` would run on "Sửa dữ liệu".
    """

    @contextmanager
    def _open_worksheet(self, xlsx_file: Any) -> Iterator[tuple[Workbook, Any]]:
        options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        workbook = Workbook(xlsx_file, options)
        yield workbook, workbook.add_worksheet()
        workbook.close()


class _ChartData(CategoryChartData):
    @lazyproperty
    def _workbook_writer(self) -> CategoryWorkbookWriter:
        return _TextWorkbookWriter(self)


def _targets(spec: Figure) -> list[tuple[str, float, str]]:
    """The dashed target lines a slide draws for the model's target band."""
    if spec.target is None or spec.kind not in ("line", "column"):
        return []
    return spec.target.lines()


def _as_combo(chart: Any, n_lines: int) -> None:
    """Move the last ``n_lines`` series of a column chart into a line chart on the same axes
    (python-pptx draws one chart type per chart): the target lines over the yearly bars."""
    bar = chart.plots[0]._element
    line = OxmlElement("c:lineChart")
    for tag, val in (("c:grouping", "standard"), ("c:varyColors", "0")):
        el = OxmlElement(tag)
        el.set("val", val)
        line.append(el)
    for ser in bar.findall(qn("c:ser"))[-n_lines:]:
        for unwanted in ser.findall(qn("c:invertIfNegative")):
            ser.remove(unwanted)
        marker = OxmlElement("c:marker")
        symbol = OxmlElement("c:symbol")
        symbol.set("val", "none")
        marker.append(symbol)
        # A line series has its marker right after its name and shape properties.
        anchor = ser.find(qn("c:spPr"))
        (anchor if anchor is not None else ser.find(qn("c:tx"))).addnext(marker)
        smooth = OxmlElement("c:smooth")
        smooth.set("val", "0")
        ser.append(smooth)
        line.append(ser)
    mark = OxmlElement("c:marker")
    mark.set("val", "1")
    line.append(mark)
    for ax in bar.findall(qn("c:axId")):
        copy = OxmlElement("c:axId")
        copy.set("val", ax.get("val"))
        line.append(copy)
    bar.addnext(line)


def _labels(pptx_series: Any, labels: tuple[str, ...], position: Any) -> None:
    """The model's own label texts (decimals as the page writes them) on each point."""
    for i, text in enumerate(labels):
        if not text:
            continue
        label = pptx_series.points[i].data_label
        label.position = position
        frame = label.text_frame
        frame.text = text
        font = frame.paragraphs[0].runs[0].font
        font.size = Pt(10)
        font.name = FONT


def _legend_once(chart: Any, spec: Figure) -> None:
    """One legend entry per name: a series split at the merger continues the same name."""
    legend = chart.legend._element
    for idx, series in enumerate(spec.series):
        if series.legend:
            continue
        entry = OxmlElement("c:legendEntry")
        for tag, val in (("c:idx", str(idx)), ("c:delete", "1")):
            el = OxmlElement(tag)
            el.set("val", val)
            entry.append(el)
        legend.find(qn("c:legendPos")).addnext(entry)


def _chart(slide: PptxSlide, box: Box, spec: Figure, *, legend: bool) -> None:
    if not spec.categories:
        _text(slide, box, f"{spec.title}\n{spec.message}", 12, color=MUTED_COLOR)
        return
    targets = _targets(spec)
    data = _ChartData(number_format=spec.number_format)
    data.categories = spec.categories
    for series in spec.series:
        data.add_series(series.name, series.values)
    for name, value, _ in targets:
        data.add_series(name, [value] * len(spec.categories))
    graphic = slide.shapes.add_chart(
        CHART_TYPES[spec.kind],
        Inches(box.left),
        Inches(box.top),
        Inches(box.width),
        Inches(box.height),
        data,  # type: ignore[arg-type]  # CategoryChartData is a ChartData; the stubs say otherwise
    )
    chart = graphic.chart  # type: ignore[attr-defined]  # add_chart returns a GraphicFrame
    chart.font.name = FONT
    chart.font.size = Pt(11)
    chart.has_title = True
    title = chart.chart_title.text_frame
    title.text = spec.title
    title_run = title.paragraphs[0].runs[0]
    title_run.font.size = Pt(13)
    title_run.font.bold = True
    title_run.font.name = FONT
    if spec.subtitle:
        para = title.add_paragraph()
        _run(para, spec.subtitle, 10, bold=False, color=MUTED_COLOR)
    names = {s.name for s in spec.series} | {t[0] for t in targets}
    chart.has_legend = legend and len(names) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(10)
        _legend_once(chart, spec)
    plot = chart.plots[0]
    if spec.kind in ("bar", "stacked_bar"):
        # A bar chart lists its first category at the bottom; a ranking reads from the top.
        chart.category_axis.reverse_order = True
    if spec.kind != "line":
        plot.gap_width = 60
        plot.overlap = 100  # stacked, or one series per point (the leading unit, the estimates)
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = _rgb("DDDDDD")
    value_axis.tick_labels.font.size = Pt(10)
    if spec.kind != "line":
        value_axis.minimum_scale = 0  # bars start at zero, or small gaps would look large
    # Round ticks need no decimals ("20", not "20.00"); the separator is the reader's locale's.
    value_axis.tick_labels.number_format = "General"
    value_axis.tick_labels.number_format_is_linked = False
    chart.category_axis.tick_labels.font.size = Pt(10 if len(spec.categories) <= 10 else 9)
    position = {
        "line": XL_LABEL_POSITION.ABOVE,
        "column": XL_LABEL_POSITION.OUTSIDE_END,
        "bar": XL_LABEL_POSITION.OUTSIDE_END,
        "stacked_bar": XL_LABEL_POSITION.CENTER,
    }[spec.kind]
    pptx_all = list(plot.series)
    for pptx_series, series in zip(pptx_all, spec.series, strict=False):
        n = len(series.values)
        colors = series.point_colors or (series.color,) * n
        hollow = series.hollow or (False,) * n
        if spec.kind == "line":
            line = pptx_series.format.line
            line.color.rgb = _rgb(series.color)
            line.width = Pt(1.75 if series.dash else 2.5)
            pptx_series.smooth = False
            if series.dash:
                line.dash_style = MSO_LINE_DASH_STYLE.DASH
            marked = series.marked or (True,) * n
            for i, value in enumerate(series.values):
                if value is None:
                    continue
                marker = pptx_series.points[i].marker
                if not marked[i]:
                    marker.style = XL_MARKER_STYLE.NONE
                    continue
                marker.style = XL_MARKER_STYLE.CIRCLE
                marker.size = 8
                marker.format.fill.solid()
                marker.format.fill.fore_color.rgb = _rgb("#FFFFFF" if hollow[i] else colors[i])
                marker.format.line.color.rgb = _rgb(colors[i])
                marker.format.line.width = Pt(2 if hollow[i] else 1)
        else:
            fill = pptx_series.format.fill
            fill.solid()
            fill.fore_color.rgb = _rgb(series.color)
            for i, value in enumerate(series.values):
                if value is None or (series.point_colors is None and not hollow[i]):
                    continue
                point_fill = pptx_series.points[i].format.fill
                if hollow[i]:  # estimates hatched, as on the page
                    point_fill.patterned()
                    point_fill.pattern = MSO_PATTERN.WIDE_UPWARD_DIAGONAL
                    point_fill.fore_color.rgb = _rgb(colors[i])
                    point_fill.back_color.rgb = _rgb("#FFFFFF")
                else:
                    point_fill.solid()
                    point_fill.fore_color.rgb = _rgb(colors[i])
        _labels(pptx_series, series.labels, position)
    for pptx_series, (_, _, color) in zip(pptx_all[len(spec.series) :], targets, strict=True):
        line = pptx_series.format.line
        line.color.rgb = _rgb(color)
        line.width = Pt(1.5)
        line.dash_style = MSO_LINE_DASH_STYLE.DASH
        if spec.kind == "line":
            pptx_series.smooth = False
            pptx_series.marker.style = XL_MARKER_STYLE.NONE
    if spec.kind == "column" and targets:
        _as_combo(chart, len(targets))


def _table(slide: PptxSlide, box: Box, spec: Table) -> None:
    n_rows = len(spec.rows) + 1
    row_h, size = table_rows(spec, box)
    shape = slide.shapes.add_table(
        n_rows,
        len(spec.headers),
        Inches(box.left),
        Inches(box.top),
        Inches(box.width),
        Inches(row_h * n_rows),
    )
    table = shape.table
    total = sum(spec.widths)
    for i, w in enumerate(spec.widths):
        table.columns[i].width = Inches(box.width * w / total)
    for r in range(n_rows):
        table.rows[r].height = Inches(row_h)
    for c, header in enumerate(spec.headers):
        _cell(
            table.cell(0, c),
            header,
            size,
            bold=True,
            color="FFFFFF",
            fill=HEADER_FILL,
            right=c in spec.right,
        )
    for r, row in enumerate(spec.rows, start=1):
        for c, value in enumerate(row):
            _cell(
                table.cell(r, c),
                value,
                size,
                color=spec.colors.get((r - 1, c), "#" + TEXT_COLOR).lstrip("#"),
                bold=(r - 1, c) in spec.colors,
                fill=BAND_FILL if r % 2 == 0 else "FFFFFF",
                right=c in spec.right,
            )


def _cell(
    cell: object, text: str, size: float, *, bold: bool = False, color: str, fill: str, right: bool
) -> None:
    cell.fill.solid()  # type: ignore[attr-defined]
    cell.fill.fore_color.rgb = _rgb(fill)  # type: ignore[attr-defined]
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE  # type: ignore[attr-defined]
    cell.margin_top = cell.margin_bottom = Inches(0.03)  # type: ignore[attr-defined]
    frame = cell.text_frame  # type: ignore[attr-defined]
    frame.word_wrap = True
    para = frame.paragraphs[0]
    para.alignment = PP_ALIGN.RIGHT if right else PP_ALIGN.LEFT
    _run(para, text, size, bold=bold, color=color)


def _title_slide(slide: PptxSlide, spec: Slide) -> None:
    title, subtitle, body = COVER_BOXES
    _text(slide, title, spec.title, 40, color=TITLE_COLOR, bold=True)
    _text(slide, subtitle, spec.subtitle, 22, color=MUTED_COLOR)
    _text(slide, body, "\n".join(spec.lines), 16)


def _content_slide(slide: PptxSlide, spec: Slide) -> None:
    _text(slide, TITLE_BOX, spec.title, 28, color=TITLE_COLOR, bold=True)
    if spec.subtitle:
        _text(slide, SUBTITLE_BOX, spec.subtitle, 15, color=MUTED_COLOR)
    chart_boxes, table_box = content_boxes(spec)
    for box, chart in zip(chart_boxes, spec.charts, strict=True):
        # Small charts in a grid share the legend the subtitle spells out.
        _chart(slide, box, chart, legend=len(spec.charts) <= 2)
    if spec.table is not None and table_box is not None:
        _table(slide, table_box, spec.table)
    if not spec.charts and spec.table is None:
        _text(slide, CONTENT, "Chưa có số liệu.", 16, color=MUTED_COLOR)


def to_pptx(pack: Pack) -> bytes:
    prs = Presentation()
    prs.slide_width = Inches(SLIDE_WIDTH)
    prs.slide_height = Inches(SLIDE_HEIGHT)
    blank = prs.slide_layouts[6]
    for spec in pack.slides:
        slide = prs.slides.add_slide(blank)
        if spec.lines:
            _title_slide(slide, spec)
        else:
            _content_slide(slide, spec)
        if spec.footnote:
            _text(slide, FOOTNOTE_BOX, spec.footnote, 9, color=MUTED_COLOR)
    prs.core_properties.title = pack.slides[0].title
    prs.core_properties.author = "thidua"
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
