"""The one plotly renderer: a figure model (dashboard.figures.model) drawn as the page's plotly
figure, which is also the chart download and the PDF pack's chart; and the theme every chart shares.

Every chart has a Vietnamese title that says what it shows, uses the decimal comma
(``separators=",."``) and, where the model says where a figure was read from, shows the file, sheet
and cell on hover. Charts that cross the 1 July 2025 merger of the province mark it with a dashed
line and never join a series across it: the units before and after are different populations.

The model's texts are plain text as typed; plotly reads a subset of HTML in every text, so this
renderer, and only it, escapes them (``plotly_text``).
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from datetime import date
from typing import Any, TypeAlias

import plotly.graph_objects as go
import plotly.io as pio
from plotly import shapeannotation

from dashboard.figures import model as fm
from dashboard.figures.labels import crosses_merger, unique_wraps, wrap
from dashboard.figures.style import MERGER_LABEL, NO_DATA, SERIES_LINE
from dashboard.format import MERGER_YEAR

SEPARATORS = ",."
TITLE_WIDTH = 58  # characters per title line: half-width charts must not clip their titles
FONT = {"family": "Inter, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif", "size": 13}
BAND_FILL = "rgba(46, 125, 50, 0.13)"


def _merge(target: dict[str, Any], props: dict[str, Any]) -> None:
    """``target.update(props)`` recursively, as plotly updates a figure: a None value unsets."""
    for key, value in props.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict):
            current = target.get(key)
            if not isinstance(current, dict):
                current = target[key] = {}
            _merge(current, value)
        else:
            target[key] = value


def _titled(props: dict[str, Any]) -> dict[str, Any]:
    """``title="x"`` as ``title={"text": "x"}``: plotly.js 3 reads only the second form."""
    title = props.get("title")
    return {**props, "title": {"text": title}} if isinstance(title, str) else props


class Draft:
    """A figure written as plain dicts and made a ``go.Figure`` once, without validation.

    Plotly checks every property on every call (``add_scatter``, ``update_layout``, ...), which is
    nearly all the time a small chart takes to build: ``indicator_chart`` took about 20 ms, of which
    the data work is 2. A draft takes the same calls the helpers here make on a figure (nested
    dicts only: no ``line_width`` shorthand) and ``figure()`` hands the finished dicts to plotly in
    one unvalidated step. tests/dashboard/test_charts.py checks that plotly's validation would not
    change a thing in the drafted charts.
    """

    def __init__(self) -> None:
        self.data: list[dict[str, Any]] = []
        self.layout: dict[str, Any] = {}

    def add_trace(self, kind: str, **props: Any) -> None:
        trace: dict[str, Any] = {"type": kind}
        _merge(trace, props)
        self.data.append(trace)

    def add_scatter(self, **props: Any) -> None:
        self.add_trace("scatter", **props)

    def add_bar(self, **props: Any) -> None:
        self.add_trace("bar", **props)

    def _append(self, kind: str, props: dict[str, Any]) -> None:
        item: dict[str, Any] = {}
        _merge(item, props)
        self.layout.setdefault(kind, []).append(item)

    def add_shape(self, **props: Any) -> None:
        self._append("shapes", props)

    def add_annotation(self, arg: dict[str, Any] | None = None, **props: Any) -> None:
        self._append("annotations", {**(arg or {}), **props})

    def update_layout(self, **props: Any) -> None:
        _merge(self.layout, _titled(props))

    def update_xaxes(self, **props: Any) -> None:
        _merge(self.layout.setdefault("xaxis", {}), _titled(props))

    def update_yaxes(self, **props: Any) -> None:
        _merge(self.layout.setdefault("yaxis", {}), _titled(props))

    def figure(self) -> go.Figure:
        return go.Figure(data=self.data, layout=self.layout, _validate=False)


Canvas: TypeAlias = go.Figure | Draft


def _layout(
    fig: Canvas,
    title: str,
    subtitle: str | None = None,
    *,
    height: int = 420,
    legend: bool = True,
    wide: bool = False,
) -> go.Figure:
    """Title, subtitle, decimal comma, fonts and legend placement shared by every chart.

    Long titles and subtitles are broken into lines (plotly clips them otherwise): a chart drawn in
    half the page (``wide=False``) fits about 58 title characters per line. A draft is made a
    figure here.
    """
    width = TITLE_WIDTH * (2 if wide else 1)
    title = wrap(title, width, 3)
    extra = title.count("<br>")
    if subtitle:
        subtitle = wrap(subtitle, int(width * 1.45), 3)
        extra += subtitle.count("<br>")
    top = (90 if subtitle else 60) + 20 * extra
    fig.update_layout(
        title={
            "text": title,
            "x": 0,
            "xanchor": "left",
            "font": {"size": 17},
            **(
                {"subtitle": {"text": subtitle, "font": {"size": 12, "color": "#555"}}}
                if subtitle
                else {}
            ),
        },
        separators=SEPARATORS,
        font=FONT,
        height=height + 20 * extra,
        margin={"l": 10, "r": 20, "t": top, "b": 90 if legend else 40},
        hoverlabel={"font": {"size": 13}, "align": "left"},
        showlegend=legend,
        # Below the x axis title, at the bottom of the figure: never over the axis labels.
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0.01,
            "yanchor": "bottom",
            "x": 0,
            "xanchor": "left",
            "title": None,
        },
    )
    if isinstance(fig, Draft):
        fig = fig.figure()
    _use_template(fig)
    return fig


# What of plotly_white the charts here use: the template travels inside every chart a page sends,
# and the whole of it (geo, polar, 3D and ternary axes, twenty kinds of trace, colour scales: the
# heatmap sets its own) is 7 kB of a 10 kB bar chart. A chart carries the trace defaults of its
# own kinds of trace only.
TEMPLATE_TRACES = ("bar", "scatter", "heatmap", "histogram", "table")
TEMPLATE_UNUSED = ("geo", "polar", "scene", "ternary", "coloraxis", "colorscale")


@functools.cache
def template(traces: tuple[str, ...] = TEMPLATE_TRACES) -> go.layout.Template:
    """plotly_white as these charts draw it, for the kinds of trace ``traces``, without what they
    never use."""
    full = pio.templates["plotly_white"].to_plotly_json()
    data = {kind: full["data"][kind] for kind in traces if kind in full["data"]}
    for trace in data.get("heatmap", ()):
        trace.pop("colorscale", None)
    layout = {k: v for k, v in full["layout"].items() if k not in TEMPLATE_UNUSED}
    return go.layout.Template(data=data, layout=layout)


def _use_template(fig: go.Figure) -> None:
    """``fig.update_layout(template=template(...))`` at a third of the cost.

    Plotly validates a template by rebuilding it property by property, which is most of the time
    a small chart takes to build. The template was validated once, when it was made: it is
    stored as plotly stores its default template (validation off for the assignment).
    """
    kinds = {trace.type for trace in fig.data}
    layout = fig.layout
    validate = layout._validate
    layout._validate = False
    try:
        layout["template"] = template(tuple(k for k in TEMPLATE_TRACES if k in kinds))
    finally:
        layout._validate = validate


def _spanning(fig: Canvas, kind: str, **kwargs: object) -> None:
    """``fig.add_vline/add_hline/add_vrect/add_hrect(**kwargs)`` for a figure of one plot.

    The same shape and annotation as plotly's methods, without their cost: those rebuild the
    tuple of every shape and annotation on each call (about a tenth of a chart's build time).
    """
    vertical = kind in ("vline", "vrect")
    if kind.endswith("line"):
        at = kwargs.pop("x" if vertical else "y")
        shape = {"type": "line", "x0": at, "x1": at, "y0": 0, "y1": 1}
        if not vertical:
            shape = {"type": "line", "x0": 0, "x1": 1, "y0": at, "y1": at}
    else:
        keys = ("x0", "x1") if vertical else ("y0", "y1")
        shape = {"type": "rect", "x0": 0, "x1": 1, "y0": 0, "y1": 1}
        shape.update({k: kwargs.pop(k) for k in keys})
    shape_kwargs, annotation_kwargs = shapeannotation.split_dict_by_key_prefix(
        kwargs, "annotation_"
    )
    annotation = shapeannotation.axis_spanning_shape_annotation(
        None, kind, shape, annotation_kwargs
    )
    refs = {"xref": "x", "yref": "y domain"} if vertical else {"xref": "x domain", "yref": "y"}
    fig.add_shape(**shape, **shape_kwargs, **refs)
    if annotation is not None:
        fig.add_annotation(annotation, **refs)


def empty_figure(title: str, message: str = NO_DATA) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(
        text=message,
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font={"size": 14, "color": "#666"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, height=220, legend=False)


def _legend_mark(fig: Canvas, name: str, color: str, symbol: str, *, dash: bool = False) -> None:
    """A legend-only entry (the real traces are coloured by status and kept out of the legend)."""
    fig.add_scatter(
        x=[None],
        y=[None],
        mode="lines+markers" if dash else "markers",
        name=name,
        marker={"color": color, "size": 10, "symbol": symbol, "line": {"width": 2, "color": color}},
        line={"color": color, "dash": "dash"} if dash else None,
        hoverinfo="skip",
    )


def _merger_line(fig: Canvas, x: float, label: str = MERGER_LABEL) -> None:
    """The dashed vertical line "Sáp nhập tỉnh 01/7/2025" at ``x``, labelled above the plot."""
    _spanning(fig, "vline", x=x, line={"dash": "dash", "color": "#444", "width": 1.5})
    fig.add_annotation(
        x=x,
        y=1,
        xref="x",
        yref="y domain",
        xanchor="center",
        yanchor="bottom",
        text=plotly_text(label),
        showarrow=False,
        font={"size": 12, "color": "#444"},
    )


def mark_merger(fig: Canvas, years: Sequence[int | None], *, x: float | None = None) -> bool:
    """The merger line on a figure drawn by hand, when the years straddle the merger."""
    if not crosses_merger(years):
        return False
    _merger_line(fig, MERGER_YEAR - 0.5 if x is None else x)
    return True


def _hover_html(text: str) -> str:
    """A model's hover text for plotly: escaped, its first line bold, its source line small."""
    lines = [plotly_text(line) for line in text.split("\n")]
    out = [f"<b>{lines[0]}</b>"] if lines else []
    small = False
    for line in lines[1:]:
        small = small or line.startswith("Nguồn: ")
        out.append(f"<span style='font-size:11px'>{line}</span>" if small else line)
    return "<br>".join(out)


def _drawn_categories(model: fm.Figure) -> list[str]:
    """The category labels as drawn: broken into lines when the model asks, escaped for plotly."""
    if not model.wrap:
        return [plotly_text(c) for c in model.categories]
    wrapped = unique_wraps(model.categories, model.wrap, 2, sep="\n")
    return [plotly_text(wrapped[c]) for c in model.categories]


def _positions(model: fm.Figure) -> list[Any]:
    return list(model.x) if model.x is not None else _drawn_categories(model)


def _break_at(model: fm.Figure, before: int) -> float:
    if model.x is not None:
        return (model.x[before - 1] + model.x[before]) / 2
    return before - 0.5


def _draw_target(fig: Canvas, model: fm.Figure) -> None:
    target = model.target
    if target is None or model.kind not in ("line", "column"):
        return
    y0 = target.low if target.low is not None else 0.0
    y1 = target.high if target.high is not None else target.top
    _spanning(
        fig,
        "hrect",
        y0=float(y0),
        y1=float(y1),
        fillcolor=BAND_FILL,
        line={"width": 0},
        layer="below",
        annotation_text=plotly_text(target.label),
        annotation_position="top left",
        annotation_font={"size": 11, "color": "#2E7D32"},
    )


def _draw_breaks(fig: Canvas, model: fm.Figure) -> None:
    for brk in model.breaks:
        pos = _break_at(model, brk.before)
        if brk.kind == "merger":
            _merger_line(fig, pos, brk.label)
        else:
            _spanning(
                fig,
                "vline",
                x=pos,
                line={"dash": "dot", "color": "#8E24AA", "width": 1.5},
                annotation_text=plotly_text(brk.label),
                annotation_position="bottom right",
                annotation_font={"size": 11, "color": "#8E24AA"},
            )


def _draw_lines(fig: Canvas, model: fm.Figure, xs: list[Any], legend: bool) -> None:
    for s in model.series:
        n = len(s.values)
        shown = [i for i, v in enumerate(s.values) if v is not None]
        if not shown:
            continue
        span = range(shown[0], shown[-1] + 1)  # a None inside stays a gap
        fig.add_scatter(
            x=[xs[i] for i in span],
            y=[s.values[i] for i in span],
            mode="lines",
            line={
                "color": s.color,
                "width": 2 if s.dash else 2.5,
                "dash": "dash" if s.dash else None,
            },
            showlegend=False,
            hoverinfo="skip",
            name=s.name,
        )
        colors = s.point_colors or (s.color,) * n
        hollow = s.hollow or (False,) * n
        marked = s.marked or (True,) * n
        for open_mark in (False, True):
            at = [
                i
                for i in range(n)
                if s.values[i] is not None and marked[i] and hollow[i] == open_mark
            ]
            if not at:
                continue
            pc = [colors[i] for i in at]
            fig.add_scatter(
                x=[xs[i] for i in at],
                y=[s.values[i] for i in at],
                mode="markers+text",
                name=s.name,
                showlegend=legend and s.legend,
                marker={
                    "size": 13,
                    "symbol": "circle-open" if open_mark else "circle",
                    "color": pc,
                    "line": {
                        "width": 3 if open_mark else 1.5,
                        "color": pc if open_mark else "white",
                    },
                },
                text=[plotly_text(s.labels[i]) for i in at],
                textposition="top center",
                **_hover_props(s, at),
            )


def _hover_props(s: fm.Series, at: list[int]) -> dict[str, Any]:
    if s.hover is None:
        return {"hoverinfo": "skip"}
    return {
        "customdata": [_hover_html(s.hover[i]) for i in at],
        "hovertemplate": "%{customdata}<extra></extra>",
    }


def _bar_marker(s: fm.Series, at: list[int]) -> dict[str, Any]:
    color: Any = [s.point_colors[i] for i in at] if s.point_colors else s.color
    if s.faded:
        return {"color": color, "opacity": 0.45, "line": {"color": s.color, "width": 2}}
    hollow = [bool(s.hollow and s.hollow[i]) for i in at]
    if len(set(hollow)) > 1:  # estimates among the figures: those bars hatched
        return {"color": color, "pattern": {"shape": ["/" if h else "" for h in hollow]}}
    return {
        "color": color,
        "pattern": {"shape": "/" if hollow[0] else ""},
        "opacity": 0.6 if hollow[0] else 1,
    }


def _bar_text(model: fm.Figure, s: fm.Series) -> dict[str, Any]:
    if s.faded:
        return {"textposition": "inside", "textfont": {"color": "black"}}
    if model.labels_inside:
        return {
            "textposition": "inside",
            "insidetextanchor": "start",
            "textfont": {"color": "white", "size": 13},
        }
    if model.kind in ("stacked_bar", "stacked_column"):
        return {"textposition": "inside"}
    # A 0% bar has no length: its label, in the bar's colour, shows it.
    font = {"textfont": {"color": s.color}} if model.label_colors else {}
    return {"textposition": "outside", **font}


def _draw_bars(fig: Canvas, model: fm.Figure, xs: list[Any], legend: bool) -> None:
    horizontal = model.kind not in ("column", "stacked_column")
    for s in model.series:
        at = [i for i, v in enumerate(s.values) if v is not None]
        if not at:
            continue
        positions = [xs[i] for i in at]
        values = [s.values[i] for i in at]
        fig.add_bar(
            x=values if horizontal else positions,
            y=positions if horizontal else values,
            orientation="h" if horizontal else "v",
            name=plotly_text(s.name),
            showlegend=legend and s.legend,
            legendgroup=s.group or None,
            marker=_bar_marker(s, at),
            text=[plotly_text(s.labels[i]) for i in at],
            **_bar_text(model, s),
            cliponaxis=False,
            **_hover_props(s, at),
        )


def _draw_ranks(fig: Canvas, model: fm.Figure, xs: list[Any], legend: bool) -> None:
    """A line per series on a rank axis: rank 1 a star, the muted series thin and behind."""
    for s in model.series:
        at = [i for i, v in enumerate(s.values) if v is not None]
        ranks = [s.values[i] for i in at]
        fig.add_scatter(
            x=[xs[i] for i in at],
            y=ranks,
            mode="lines+markers",
            name=plotly_text(s.name),
            legendgroup=s.group or None,
            showlegend=legend and s.legend,
            line={"color": s.color, "width": 1.2 if s.muted else 2.5},
            marker={
                "size": 6 if s.muted else [14 if r == 1 else 9 for r in ranks],
                "symbol": ["star" if r == 1 else "circle" for r in ranks],
                "color": s.color,
            },
            **_hover_props(s, at),
        )
    worst = max([1.0, *(v for s in model.series for v in s.values if v is not None)])
    fig.update_yaxes(
        range=[worst + 0.5, 0.5],
        tickmode="linear",
        tick0=1,
        dtick=1,
        title=plotly_text(model.value_title) or None,
        zeroline=False,
    )


def _draw_dumbbell(fig: Canvas, model: fm.Figure, xs: list[Any], legend: bool) -> None:
    """The first two series' points at each category, joined where a link says, in its colour."""
    low, high = model.series[0], model.series[1]
    for link in model.links:
        line_x: list[float | None] = []
        line_y: list[Any] = []
        for i in link.at:
            line_x += [low.values[i], high.values[i], None]
            line_y += [xs[i], xs[i], None]
        fig.add_scatter(
            x=line_x,
            y=line_y,
            mode="lines",
            line={"color": link.color, "width": 5},
            name=plotly_text(link.name),
            hoverinfo="skip",
            showlegend=False,
        )
    for s in model.series:
        at = [i for i, v in enumerate(s.values) if v is not None]
        fig.add_scatter(
            x=[s.values[i] for i in at],
            y=[xs[i] for i in at],
            mode="markers",
            name=plotly_text(s.name),
            showlegend=legend and s.legend,
            marker={"color": s.color, "size": 13, "symbol": s.symbol},
            **_hover_props(s, at),
        )
    fig.update_yaxes(categoryorder="array", categoryarray=xs, autorange="reversed", title=None)
    fig.update_xaxes(title=plotly_text(model.value_title) or None)


HEAT_SCALE = [[0, "#D73027"], [0.5, "#FEE08B"], [1, "#1A9850"]]


def _draw_heatmap(fig: Canvas, model: fm.Figure, xs: list[Any], legend: bool) -> None:
    """One row per series, one cell per category, coloured from red (low) to green (high)."""
    low, high = model.value_range or (None, None)
    fig.add_trace(
        "heatmap",
        z=[list(s.values) for s in model.series],
        x=xs,
        y=[plotly_text(s.name) for s in model.series],
        text=[[plotly_text(t) for t in s.labels] for s in model.series],
        texttemplate="%{text}",
        textfont={"size": 13},
        customdata=[[_hover_html(h) for h in s.hover or ()] for s in model.series],
        colorscale=HEAT_SCALE,
        zmin=low,
        zmax=high,
        xgap=2,
        ygap=2,
        colorbar={"ticksuffix": model.value_suffix, "thickness": 12, "len": 0.9},
        hovertemplate="%{customdata}<extra></extra>",
    )
    fig.update_yaxes(autorange="reversed", title=None)
    # tickangle left to plotly: horizontal where the names fit (a desktop), turned where they
    # would overlap (a phone, 390 px).
    fig.update_xaxes(side="bottom", title=None, automargin=True)


def _draw_histogram(fig: Canvas, model: fm.Figure, xs: list[Any], legend: bool) -> None:
    """Counts per bin (already counted), one colour per series, bins ``model.bin`` wide."""
    assert model.x is not None and model.value_range is not None
    start, end = model.value_range
    counted = plotly_text(model.count_of)
    for s in model.series:
        at = [i for i, v in enumerate(s.values) if v]
        if not at:
            continue
        fig.add_trace(
            "histogram",
            x=[model.x[i] for i in at],
            y=[s.values[i] for i in at],
            histfunc="sum",
            name=plotly_text(s.name),
            showlegend=legend and s.legend,
            marker={"color": s.color, "line": {"color": "white", "width": 1}},
            xbins={"start": start, "end": end, "size": model.bin},
            hovertemplate=f"%{{x}}{model.value_suffix}: %{{y}} {counted}<extra></extra>",
        )
    fig.update_xaxes(
        range=[start, end],
        ticksuffix=model.value_suffix,
        title=plotly_text(model.value_title) or None,
    )
    fig.update_yaxes(title=plotly_text(model.other_title) or None)
    fig.update_layout(barmode="overlay")


def _draw_scatter(fig: Canvas, model: fm.Figure, xs: list[Any], legend: bool) -> None:
    """Each series' points at (xs, values); a dashed series is a reference line."""
    for s in model.series:
        at = [i for i, v in enumerate(s.values) if v is not None]
        across = s.xs or ()
        points = {"x": [across[i] for i in at], "y": [s.values[i] for i in at]}
        name = plotly_text(s.name)
        if s.dash:
            line = {"dash": "dash", "color": s.color}
            fig.add_scatter(**points, mode="lines", line=line, name=name, hoverinfo="skip")
            continue
        fig.add_scatter(
            **points,
            mode="markers",
            name=name,
            marker={
                "color": s.color,
                "size": 10,
                "opacity": 0.85,
                "line": {"color": "white", "width": 1},
            },
            **_hover_props(s, at),
        )
    # Powers of ten only: leaders read "1, 10, 100, 1.000", not the minor log ticks.
    log = {"type": "log", "dtick": 1, "tickformat": ",~g"} if model.log else {}
    fig.update_xaxes(**log, title=plotly_text(model.other_title) or None)
    fig.update_yaxes(**log, title=plotly_text(model.value_title) or None)


DAY_MS = 86_400_000


def _draw_timeline(fig: Canvas, model: fm.Figure, xs: list[Any], legend: bool) -> None:
    """The spans as bars on a date axis, one row each; a label never runs past its bar."""
    for span in model.spans:
        days = (date.fromisoformat(span.end) - date.fromisoformat(span.start)).days + 1
        fig.add_bar(
            y=[xs[span.row]],
            x=[days * DAY_MS],
            base=[span.start],
            orientation="h",
            marker={"color": span.color},
            showlegend=False,
            text=[plotly_text(span.label)],
            textposition="inside",
            insidetextanchor="start",
            textfont={"size": 12},
            # On a phone the chart is 350 px wide: plotly shrinks the label to fit its bar; the
            # whole of it is in the hover.
            constraintext="inside",
            customdata=[plotly_text(span.hover)],
            hovertemplate="%{customdata}<extra></extra>",
        )
    fig.update_xaxes(
        type="date",
        range=list(model.value_range) if model.value_range else None,
        dtick="M1",
        tickformat="%m",  # months 01..12, the year in the axis title: no tilted labels
        title=plotly_text(model.value_title) or None,
    )
    fig.update_yaxes(autorange="reversed", title=None, type="category")


def _draw_marks(fig: Canvas, model: fm.Figure) -> None:
    """Each mark: a line across the plot at its value (or date), labelled above or at the top."""
    for mark in model.marks:
        line = {"dash": mark.dash, "color": mark.color}
        _spanning(
            fig, "vline", x=mark.at, line=line if mark.width == 2 else {**line, "width": mark.width}
        )
        fig.add_annotation(
            x=mark.at,
            y=1,
            xref="x",
            yref="y domain",
            xanchor=mark.anchor,
            yanchor="bottom" if mark.high else "top",
            text=plotly_text(mark.label),
            showarrow=False,
            font={"size": 11, "color": mark.color},
        )


SPECIAL = {
    "ranks": _draw_ranks,
    "dumbbell": _draw_dumbbell,
    "heatmap": _draw_heatmap,
    "histogram": _draw_histogram,
    "scatter": _draw_scatter,
    "timeline": _draw_timeline,
}


def draw(model: fm.Figure) -> go.Figure:
    """The plotly figure of a figure model: the page, the chart download and the PDF pack."""
    title = plotly_text(model.title)
    if not (model.categories or model.marks or any(s.values for s in model.series)):
        return empty_figure(title, plotly_text(model.message) or NO_DATA)
    fig = Draft()
    xs = _positions(model)
    legend = not model.keys and model.legend
    _draw_target(fig, model)
    if model.kind in SPECIAL:
        SPECIAL[model.kind](fig, model, xs, legend)
    elif model.kind == "line":
        _draw_lines(fig, model, xs, legend)
    else:
        _draw_bars(fig, model, xs, legend)
    for key in model.keys:
        symbol = "square" if model.kind == "column" and key.color == SERIES_LINE else "circle"
        _legend_mark(
            fig,
            plotly_text(key.name),
            key.color,
            symbol + ("-open" if key.hollow else ""),
            dash=key.dash,
        )
    values = [v for s in model.series for v in s.values if v is not None]
    if model.kind in ("line", "column", "ranks"):
        fig.update_xaxes(
            tickmode="array",
            tickvals=xs,
            ticktext=_drawn_categories(model),
            range=[xs[0] - 0.6, xs[-1] + 0.6] if model.x is not None else None,
            showgrid=False,
            title=None,
        )
    if model.kind in ("line", "column"):
        fig.update_yaxes(title=plotly_text(model.value_title) or None)
        if model.kind == "column" and model.value_range:
            fig.update_yaxes(range=list(model.value_range))
        elif model.kind == "column":
            fig.update_yaxes(rangemode="tozero")
            _spanning(fig, "hline", y=0, line={"color": "#999", "width": 1})
        else:
            lines = [v for _, v, _ in model.target.lines()] if model.target else []
            span = values + lines
            if span:
                pad = (max(span) - min(span)) * 0.2 or abs(max(span)) * 0.1 or 1
                fig.update_yaxes(range=[min(span) - pad, max(span) + pad * 1.5])
    elif model.kind == "stacked_column":
        fig.update_layout(barmode="stack", bargap=model.bar_gap)
        fig.update_xaxes(categoryorder="array", categoryarray=xs, title=None)
        fig.update_yaxes(
            range=list(model.value_range) if model.value_range else None,
            ticksuffix=model.value_suffix or None,
            title=plotly_text(model.value_title) or None,
        )
    elif model.kind in ("bar", "grouped_bar", "stacked_bar"):
        top = max([0.0, *values])
        fig.update_xaxes(
            range=list(model.value_range) if model.value_range else [0, top * 1.3 or 1],
            ticksuffix=model.value_suffix or None,
            title=plotly_text(model.value_title),
        )
        fig.update_yaxes(categoryorder="array", categoryarray=xs, autorange="reversed", title=None)
        mode = {"stacked_bar": "stack", "grouped_bar": "group"}.get(model.kind, "overlay")
        fig.update_layout(barmode=mode, bargap=model.bar_gap)
    _draw_marks(fig, model)
    _draw_breaks(fig, model)
    if model.message:
        fig.add_annotation(
            text=plotly_text(model.message),
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
            font={"size": 13, "color": "#666"},
        )
    return _layout(
        fig,
        title,
        plotly_text(model.subtitle) or None,
        height=model.height,
        legend=model.legend,
        wide=model.wide,
    )


def plotly_text(text: str | None) -> str:
    """Plain text as plotly shows it as typed: ``<``, ``>`` and ``&`` escaped (plotly reads a
    subset of HTML in every text), line breaks as ``<br>``."""
    return html.escape(text or "", quote=False).replace("\n", "<br>")
