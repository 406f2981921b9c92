"""What makes a chart read on a phone (390 px wide): the one place for it, applied by ui.figure
to every figure a page draws (the PDF and PowerPoint packs keep their own page widths).

plotly does not wrap titles: a line wider than the chart is cut at its edge. At 390 px a chart is
about 350 px wide, room for about 36 characters of a 17 px title and 52 of a 12 px subtitle, so
longer lines are broken at spaces and the top margin grows to make room. The tool bar (zoom,
download) is hidden on narrow screens (CSS below), where it would sit on the title; downloads
stay under every chart.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go

TITLE_CHARS = 36
SUBTITLE_CHARS = 52
AXIS_TITLE_CHARS = 36  # a 13 px axis title, centred on the plot area (narrower than the chart)
BAR_LABEL_CHARS = 22  # a label longer than this goes in the bar, in two lines
LABEL_CHARS = 22  # a bar's name on the y axis
LABEL_LINES = 3
NOTE_CHARS = 14  # a note centred above the plot
NOTE_LINE_PX = 16
LINE_PX = 20  # height one more title line takes
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<(?!br\s*/?>)[^>]*>", re.IGNORECASE)

CSS = """
<style>
@media (max-width: 640px) {
  .js-plotly-plot .modebar-container { display: none !important; }
}
</style>
"""


def wrap_lines(text: str, width: int, max_lines: int | None = None) -> str:
    """``text`` broken at spaces into lines of at most ``width`` characters when one of its
    lines (``<br>``-separated) is longer (the text is then reflowed as a whole), cut with "…"
    after ``max_lines``; text holding other markup is left as it is (a break must not fall
    inside a tag)."""
    if not text or _TAG.search(text):
        return text
    if all(len(line) <= width for line in _BREAK.split(text)):
        return text
    out: list[str] = []
    current = ""
    for word in _BREAK.sub(" ", text).split():
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    out.append(current)
    if max_lines is not None and len(out) > max_lines:
        out = [*out[: max_lines - 1], out[max_lines - 1][: width - 1].rstrip() + "…"]
    return "<br>".join(out)


def fit(fig: go.Figure) -> go.Figure:
    """``fig`` made to read at 390 px as well as on a desktop (in place; returns it):

    - the title, subtitle and x axis title broken into lines that fit, and the names beside
      horizontal bars into short lines;
    - a bar's label placed inside the bar (white), instead of after it, where it runs past the
      edge of a narrow chart; a long label
      ("91,5 điểm · Hạng 1 · ★ Dẫn đầu") in two lines, always inside;
    - a note centred above the plot (the merger line's label) in short lines.
    """
    _wrap_titles(fig)
    axis_title = fig.layout.xaxis.title.text or ""
    wrapped = wrap_lines(axis_title, AXIS_TITLE_CHARS)
    if wrapped != axis_title:
        fig.layout.xaxis.title.text = wrapped
        fig.layout.xaxis.automargin = True
    _shorter_category_labels(fig)
    for trace in fig.data:
        # A bar of no length keeps its label after it (e.g. "chưa có kết quả").
        horizontal = trace.type == "bar" and trace.orientation == "h"
        if horizontal and trace.textposition == "outside" and all(v for v in trace.x or [0]):
            texts = [str(t) for t in (trace.text or [])] if not isinstance(trace.text, str) else []
            if any(len(t) > BAR_LABEL_CHARS for t in texts):
                # "91,5 điểm · Hạng 1 · ★ Dẫn đầu (...)": the last part on a second line, always
                # in the bar, where plotly shrinks the text to fit rather than let it leave.
                trace.text = ["<br>".join(t.rsplit(" · ", 1)) for t in texts]
                trace.textposition = "inside"
            else:
                # In the bar, where plotly shrinks the text to fit: after a bar it would run past
                # the edge of a phone-wide chart when long names leave the bars little room.
                trace.textposition = "inside"
            trace.insidetextfont = {**trace.textfont.to_plotly_json(), "color": "white"}
    _narrow_notes_above(fig)
    return fig


def _wrap_titles(fig: go.Figure) -> None:
    title = fig.layout.title
    added = 0
    for part, width in ((title, TITLE_CHARS), (title.subtitle, SUBTITLE_CHARS)):
        text = part.text or ""
        wrapped = wrap_lines(text, width)
        if wrapped != text:
            added += len(_BREAK.findall(wrapped)) - len(_BREAK.findall(text))
            part.text = wrapped
    if added:
        top = fig.layout.margin.t
        fig.layout.margin.t = (80 if top is None else top) + LINE_PX * added
        if fig.layout.height is not None:
            fig.layout.height += LINE_PX * added


def _shorter_category_labels(fig: go.Figure) -> None:
    """Names on the y axis of a horizontal bar chart in lines of at most LABEL_CHARS characters
    (the bars keep their categories; the hover keeps the whole name): a 40-character line would
    leave a phone-wide chart almost no room for its bars."""
    names = [
        y
        for trace in fig.data
        if trace.type == "bar" and trace.orientation == "h" and trace.y is not None
        for y in trace.y
    ]
    if not names or not all(isinstance(y, str) for y in names):
        return
    names = list(dict.fromkeys(names))
    labels = [wrap_lines(n, LABEL_CHARS, LABEL_LINES) for n in names]
    if labels != names and len(set(labels)) == len(labels):
        fig.layout.yaxis.tickmode = "array"
        fig.layout.yaxis.tickvals = names
        fig.layout.yaxis.ticktext = labels


def _narrow_notes_above(fig: go.Figure) -> None:
    """A note centred over a point of the plot, above it (the merger line's "Sáp nhập tỉnh
    01/7/2025"), in short lines: centred near the edge of a narrow chart it would run past it.
    The top margin grows by the lines added."""
    added = 0
    for note in fig.layout.annotations:
        text = note.text or ""
        above = (note.yref or "").endswith("domain") and (note.y or 0) >= 1
        if above and note.yanchor == "bottom" and note.xanchor == "center":
            wrapped = wrap_lines(text, NOTE_CHARS)
            added = max(added, len(_BREAK.findall(wrapped)) - len(_BREAK.findall(text)))
            note.text = wrapped
    if added > 0:
        top = fig.layout.margin.t
        fig.layout.margin.t = (80 if top is None else top) + NOTE_LINE_PX * added
        if fig.layout.height is not None:
            fig.layout.height += NOTE_LINE_PX * added
