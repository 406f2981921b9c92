"""The meeting pack as one PDF: every slide drawn as a plotly page, all printed at once by kaleido's
browser (render.pdf_pages).

The pages use the same slide boxes as the PowerPoint file and the shipped Noto Sans font, which
Chromium embeds in each page: the PDF reads the same on any computer.
"""

from __future__ import annotations

import textwrap
from typing import Any

import plotly.graph_objects as go

from dashboard.export import render
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
from dashboard.figures.plotly import draw, plotly_text, template

PX_PER_INCH = 100
PX_PER_PT = PX_PER_INCH / 72
TITLE_COLOR = "#1F3864"
TEXT_COLOR = "#222222"
MUTED_COLOR = "#666666"
HEADER_FILL = "#1F5FA8"
BAND_FILL = "#EEF2F8"
CHART_TITLE_IN = 0.85  # the band above a chart's plot area: its title and target, 3 lines
CATEGORY_LABELS_IN = 1.5  # room left of a bar chart for its category names


def _x(inches: float) -> float:
    return inches / SLIDE_WIDTH


def _y(inches: float) -> float:
    return 1 - inches / SLIDE_HEIGHT


def _wrap(text: str, width_in: float, size_pt: float) -> str:
    # Noto Sans averages about half an em per character in Vietnamese text.
    per_line = max(10, int(width_in * 72 / (size_pt * 0.5)))
    # Wrapped as typed, then escaped: a unit named "<b>…" is not bold (plotly reads HTML).
    return "<br>".join(
        plotly_text(part)
        for line in text.split("\n")
        for part in (textwrap.wrap(line, per_line) or [""])
    )


def _text(
    fig: dict[str, Any],
    box: Box,
    text: str,
    size: float,
    *,
    color: str = TEXT_COLOR,
    bold: bool = False,
) -> None:
    body = _wrap(text, box.width, size)
    fig["layout"]["annotations"].append(
        {
            "text": f"<b>{body}</b>" if bold else body,
            "x": _x(box.left),
            "y": _y(box.top),
            "xref": "paper",
            "yref": "paper",
            "xanchor": "left",
            "yanchor": "top",
            "align": "left",
            "showarrow": False,
            "font": {"size": size * PX_PER_PT, "color": color},
        }
    )


def _ref(ref: str | None, axis: str) -> str | None:
    """An axis reference of the page's figure ("x", "y domain") on the slide's n-th axes."""
    if ref is None or ref == "paper":
        return ref
    letter, _, rest = ref.partition(" ")
    return f"{letter[0]}{axis}" + (f" {rest}" if rest else "")


def _chart(fig: dict[str, Any], n: int, box: Box, spec: Figure, *, legend: bool) -> None:
    """The chart as the page draws it (plotly.draw of the same model), placed in ``box``."""
    axis = "" if n == 1 else str(n)
    drawn = draw(spec).to_dict()
    layout = drawn["layout"]
    page_layout = fig["layout"]
    plot_top = box.top + CHART_TITLE_IN
    plot_bottom = box.top + box.height - (0.55 if legend else 0.35)
    plot_left = box.left + (CATEGORY_LABELS_IN if spec.kind in ("bar", "stacked_bar") else 0.55)
    heading = spec.title + ("\n" + spec.subtitle if spec.subtitle else "")
    page_layout["annotations"].append(
        {
            "text": f"<b>{_wrap(heading, box.width, 13)}</b>",
            "x": _x(box.left + box.width / 2),
            "y": _y(box.top),
            "xref": "paper",
            "yref": "paper",
            "xanchor": "center",
            "yanchor": "top",
            "showarrow": False,
            "font": {"size": 13 * PX_PER_PT, "color": TEXT_COLOR},
        }
    )
    x_domain = [_x(plot_left), _x(box.left + box.width - 0.15)]
    y_domain = [_y(plot_bottom), _y(plot_top)]
    for trace in drawn["data"]:
        trace["xaxis"], trace["yaxis"] = f"x{axis}", f"y{axis}"
        trace["showlegend"] = trace.get("showlegend", True) and legend and n == 1
        fig["data"].append(trace)
    page_layout[f"xaxis{axis}"] = {
        **layout.get("xaxis", {}),
        "domain": x_domain,
        "anchor": f"y{axis}",
    }
    page_layout[f"yaxis{axis}"] = {
        **layout.get("yaxis", {}),
        "domain": y_domain,
        "anchor": f"x{axis}",
    }
    for shape in layout.get("shapes", []):
        shape.update(xref=_ref(shape.get("xref"), axis), yref=_ref(shape.get("yref"), axis))
        page_layout["shapes"].append(shape)
    for note in layout.get("annotations", []):
        if note.get("xref") == "paper":  # a message in the middle of the chart
            note["x"] = x_domain[0] + note.get("x", 0.5) * (x_domain[1] - x_domain[0])
        if note.get("yref") == "paper":
            note["y"] = y_domain[0] + note.get("y", 0.5) * (y_domain[1] - y_domain[0])
        note.update(xref=_ref(note.get("xref"), axis), yref=_ref(note.get("yref"), axis))
        page_layout["annotations"].append(note)
    if legend and n == 1:
        page_layout["legend"] = {
            "orientation": "h",
            "x": _x(box.left + box.width / 2),
            "xanchor": "center",
            "y": _y(box.top + box.height - 0.3),
            "yanchor": "top",
            "font": {"size": 13},
        }


def _table(fig: dict[str, Any], box: Box, spec: Table) -> None:
    row_h, size = table_rows(spec, box)
    columns: list[list[str]] = (
        [[plotly_text(v) for v in col] for col in zip(*spec.rows, strict=True)]
        if spec.rows
        else [[] for _ in spec.headers]
    )
    font_colors = [
        [spec.colors.get((r, c), TEXT_COLOR) for r in range(len(spec.rows))]
        for c in range(len(spec.headers))
    ]
    align = ["right" if c in spec.right else "left" for c in range(len(spec.headers))]
    fig["data"].append(
        {
            "type": "table",
            "domain": {
                "x": [_x(box.left), _x(box.left + box.width)],
                "y": [_y(box.top + box.height), _y(box.top)],
            },
            "columnwidth": spec.widths,
            "header": {
                "values": [f"<b>{h}</b>" for h in spec.headers],
                "fill": {"color": HEADER_FILL},
                "font": {"color": "white", "size": size * PX_PER_PT},
                "align": align,
                "height": row_h * PX_PER_INCH,
            },
            "cells": {
                "values": columns,
                "fill": {
                    "color": [[BAND_FILL if r % 2 else "white" for r in range(len(spec.rows))]]
                    * len(spec.headers)
                },
                "font": {"color": font_colors, "size": size * PX_PER_PT},
                "align": align,
                "height": row_h * PX_PER_INCH,
                "line": {"color": "#D0D7E2"},
            },
        }
    )


def page(spec: Slide) -> go.Figure:
    """One slide as a plotly figure of the slide's size.

    Composed as a dict and handed to plotly once, unvalidated (as figures.plotly.Draft does): validating
    every annotation, axis and table cell was most of the time a pack took."""
    fig: dict[str, Any] = {
        "data": [],
        "layout": {
            "width": round(SLIDE_WIDTH * PX_PER_INCH),
            "height": round(SLIDE_HEIGHT * PX_PER_INCH),
            "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "separators": ",.",
            "barmode": "stack",  # the series of a bar chart never share a bar: stacked is overlaid
            "showlegend": True,
            "template": template().to_plotly_json(),
            "font": {"color": TEXT_COLOR},
            "annotations": [],
            "shapes": [],
        },
    }
    if spec.lines:
        title, subtitle, body = COVER_BOXES
        _text(fig, title, spec.title, 40, color=TITLE_COLOR, bold=True)
        _text(fig, subtitle, spec.subtitle, 22, color=MUTED_COLOR)
        _text(fig, body, "\n".join(spec.lines), 16)
    else:
        _text(fig, TITLE_BOX, spec.title, 28, color=TITLE_COLOR, bold=True)
        if spec.subtitle:
            _text(fig, SUBTITLE_BOX, spec.subtitle, 15, color=MUTED_COLOR)
        chart_boxes, table_box = content_boxes(spec)
        for n, (box, chart) in enumerate(zip(chart_boxes, spec.charts, strict=True), start=1):
            _chart(fig, n, box, chart, legend=len(spec.charts) <= 2)
        if spec.table is not None and table_box is not None:
            _table(fig, table_box, spec.table)
        if not spec.charts and spec.table is None:
            _text(fig, CONTENT, "Chưa có số liệu.", 16, color=MUTED_COLOR)
    if spec.footnote:
        _text(fig, FOOTNOTE_BOX, spec.footnote, 9, color=MUTED_COLOR)
    if not any(t["type"] != "table" for t in fig["data"]):
        # A page without a chart must not show plotly's empty default axes.
        fig["layout"].update(xaxis={"visible": False}, yaxis={"visible": False})
    return go.Figure(data=fig["data"], layout=fig["layout"], _validate=False)


def to_pdf(pack: Pack) -> bytes:
    """Every slide a page of one PDF, in one pass of the shared renderer."""
    return render.pdf_pages([page(s) for s in pack.slides], title=pack.slides[0].title)
