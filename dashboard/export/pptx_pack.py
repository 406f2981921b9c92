"""The meeting pack as PowerPoint: 16:9 slides with native charts whose data stays editable."""

from __future__ import annotations

import io
from typing import Any

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.slide import Slide as PptxSlide
from pptx.util import Inches, Pt

from dashboard.export.pack import (
    CONTENT,
    COVER_BOXES,
    FOOTNOTE_BOX,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    SUBTITLE_BOX,
    TITLE_BOX,
    Box,
    Chart,
    Pack,
    Slide,
    Table,
    content_boxes,
    table_rows,
)

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


def _chart(slide: PptxSlide, box: Box, spec: Chart, *, legend: bool) -> None:
    data = CategoryChartData(number_format=spec.number_format)
    data.categories = spec.categories
    for series in spec.series:
        data.add_series(series.name, series.values)
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
    chart.chart_title.text_frame.text = spec.title
    title_run = chart.chart_title.text_frame.paragraphs[0].runs[0]
    title_run.font.size = Pt(13)
    title_run.font.bold = True
    title_run.font.name = FONT
    chart.has_legend = legend and len(spec.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(10)
    plot = chart.plots[0]
    if spec.kind != "line":
        # A bar chart lists its first category at the bottom; a ranking reads from the top.
        chart.category_axis.reverse_order = True
        plot.gap_width = 60
        if spec.kind == "stacked_bar":
            plot.overlap = 100
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = _rgb("DDDDDD")
    value_axis.tick_labels.font.size = Pt(10)
    if spec.kind != "line":
        value_axis.minimum_scale = 0  # bars start at zero, or small gaps would look large
    value_axis.tick_labels.number_format = spec.number_format
    value_axis.tick_labels.number_format_is_linked = False
    chart.category_axis.tick_labels.font.size = Pt(10 if len(spec.categories) <= 10 else 9)
    for pptx_series, series in zip(plot.series, spec.series, strict=True):
        if spec.kind == "line":
            line = pptx_series.format.line
            line.color.rgb = _rgb(series.color)
            line.width = Pt(1.5 if series.dash else 2.5)
            pptx_series.smooth = False
            if series.dash:
                line.dash_style = MSO_LINE_DASH_STYLE.DASH
                pptx_series.marker.style = XL_MARKER_STYLE.NONE
            continue
        fill = pptx_series.format.fill
        fill.solid()
        fill.fore_color.rgb = _rgb(series.color)
        for i, color in enumerate(series.point_colors or []):
            point_fill = pptx_series.points[i].format.fill
            point_fill.solid()
            point_fill.fore_color.rgb = _rgb(color)
    if spec.kind == "bar" or spec.kind == "line":
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format = spec.number_format
        labels.number_format_is_linked = False
        labels.font.size = Pt(10)
        labels.position = (
            XL_LABEL_POSITION.OUTSIDE_END if spec.kind == "bar" else (XL_LABEL_POSITION.ABOVE)
        )
        if spec.kind == "line":
            # Only the measured series carries labels; the target lines speak through the legend.
            for pptx_series, series in zip(plot.series, spec.series, strict=True):
                if series.dash:
                    pptx_series.data_labels.show_value = False


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
