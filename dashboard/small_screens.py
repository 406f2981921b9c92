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


def wrap_lines(text: str, width: int) -> str:
    """``text`` with every line (``<br>``-separated) longer than ``width`` broken at spaces;
    text holding other markup is left as it is (a break must not fall inside a tag)."""
    if not text or _TAG.search(text):
        return text
    out = []
    for line in _BREAK.split(text):
        current = ""
        for word in line.split():
            if current and len(current) + 1 + len(word) > width:
                out.append(current)
                current = word
            else:
                current = f"{current} {word}".strip()
        out.append(current)
    return "<br>".join(out)


def fit(fig: go.Figure) -> go.Figure:
    """Break the title and subtitle of ``fig`` for a phone-wide chart (in place; returns it)."""
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
    return fig
