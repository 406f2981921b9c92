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

import html
from collections.abc import Sequence
from typing import Any, TypeAlias

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl
from plotly import shapeannotation

from dashboard.figures import model as fm
from dashboard.figures.labels import crosses_merger, wrap
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


def _use_template(fig: go.Figure) -> None:
    """``fig.update_layout(template="plotly_white")`` at a third of the cost.

    Plotly validates a template by rebuilding it property by property, which is most of the time
    a small chart takes to build. plotly_white is a registered template, valid already: it is
    stored as plotly stores its default template (validation off for the assignment).
    """
    layout = fig.layout
    validate = layout._validate
    layout._validate = False
    try:
        layout["template"] = pio.templates["plotly_white"]
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


def _escaped(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column as plotly shows it as typed (``fm.plotly_text``): a unit named
    ``<a href=…>Sở A</a>`` is not a link. For the builders that write plotly text themselves."""
    text = [c for c, t in frame.schema.items() if t == pl.String]
    if not text:
        return frame
    col = pl.col(text)
    for raw, shown in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\n", "<br>")):
        col = col.str.replace_all(raw, shown, literal=True)
    return frame.with_columns(col)


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


def _source_line(template_field: str) -> str:
    return f"<br><span style='font-size:11px'>Nguồn: {template_field}</span>"


def mark_merger(fig: Canvas, years: Sequence[int | None], *, x: float | None = None) -> bool:
    """A dashed vertical line "Sáp nhập tỉnh 01/7/2025" when the years straddle the merger."""
    if not crosses_merger(years):
        return False
    pos = MERGER_YEAR - 0.5 if x is None else x
    _spanning(fig, "vline", x=pos, line={"dash": "dash", "color": "#444", "width": 1.5})
    fig.add_annotation(
        x=pos,
        y=1,
        xref="x",
        yref="y domain",
        xanchor="center",
        yanchor="bottom",
        text=MERGER_LABEL,
        showarrow=False,
        font={"size": 12, "color": "#444"},
    )
    return True


def _plan_line(fig: go.Figure, x: float = 100) -> None:
    """The dotted "100% kế hoạch" line, labelled just above the plot area (over no data)."""
    _spanning(fig, "vline", x=x, line={"dash": "dot", "color": "#333"})
    fig.add_annotation(
        x=x,
        y=1,
        xref="x",
        yref="y domain",
        xanchor="center",
        yanchor="bottom",
        text="100% kế hoạch",
        showarrow=False,
        font={"size": 11, "color": "#333"},
    )


def _year_axis(fig: Canvas, years: Sequence[int]) -> None:
    ys = sorted({y for y in years if y is not None})
    if ys:
        fig.update_xaxes(
            tickmode="array",
            tickvals=ys,
            ticktext=[str(y) for y in ys],
            range=[ys[0] - 0.6, ys[-1] + 0.6],
            showgrid=False,
            title=None,
        )


def _hover_html(text: str) -> str:
    """A model's hover text for plotly: escaped, its first line bold, its source line small."""
    lines = [plotly_text(line) for line in text.split("\n")]
    out = [f"<b>{lines[0]}</b>"] if lines else []
    small = False
    for line in lines[1:]:
        small = small or line.startswith("Nguồn: ")
        out.append(f"<span style='font-size:11px'>{line}</span>" if small else line)
    return "<br>".join(out)


def _positions(model: fm.Figure) -> list[Any]:
    return list(model.x) if model.x is not None else [plotly_text(c) for c in model.categories]


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
            _spanning(fig, "vline", x=pos, line={"dash": "dash", "color": "#444", "width": 1.5})
            fig.add_annotation(
                x=pos,
                y=1,
                xref="x",
                yref="y domain",
                xanchor="center",
                yanchor="bottom",
                text=plotly_text(brk.label),
                showarrow=False,
                font={"size": 12, "color": "#444"},
            )
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


def _draw_bars(fig: Canvas, model: fm.Figure, xs: list[Any], legend: bool) -> None:
    horizontal = model.kind != "column"
    for s in model.series:
        at = [i for i, v in enumerate(s.values) if v is not None]
        if not at:
            continue
        hollow = bool(s.hollow and s.hollow[at[0]])
        positions = [xs[i] for i in at]
        values = [s.values[i] for i in at]
        fig.add_bar(
            x=values if horizontal else positions,
            y=positions if horizontal else values,
            orientation="h" if horizontal else "v",
            name=s.name,
            showlegend=legend and s.legend,
            marker={
                "color": [s.point_colors[i] for i in at] if s.point_colors else s.color,
                "pattern": {"shape": "/" if hollow else ""},
                "opacity": 0.6 if hollow else 1,
            },
            text=[plotly_text(s.labels[i]) for i in at],
            textposition="inside" if model.kind == "stacked_bar" else "outside",
            cliponaxis=False,
            **_hover_props(s, at),
        )


def draw(model: fm.Figure) -> go.Figure:
    """The plotly figure of a figure model: the page, the chart download and the PDF pack."""
    if isinstance(model, go.Figure):  # a builder not yet moved to the model (issue 14)
        return model
    title = plotly_text(model.title)
    if not model.categories:
        return empty_figure(title, plotly_text(model.message) or NO_DATA)
    fig = Draft()
    xs = _positions(model)
    legend = not model.keys and model.legend
    _draw_target(fig, model)
    if model.kind == "line":
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
    if model.kind in ("line", "column"):
        fig.update_xaxes(
            tickmode="array",
            tickvals=xs,
            ticktext=[plotly_text(c) for c in model.categories],
            range=[xs[0] - 0.6, xs[-1] + 0.6] if model.x is not None else None,
            showgrid=False,
            title=None,
        )
        fig.update_yaxes(title=plotly_text(model.value_title) or None)
        if model.kind == "column":
            fig.update_yaxes(rangemode="tozero")
            _spanning(fig, "hline", y=0, line={"color": "#999", "width": 1})
        else:
            lines = [v for _, v, _ in model.target.lines()] if model.target else []
            span = values + lines
            if span:
                pad = (max(span) - min(span)) * 0.2 or abs(max(span)) * 0.1 or 1
                fig.update_yaxes(range=[min(span) - pad, max(span) + pad * 1.5])
    else:
        top = max([0.0, *values])
        fig.update_xaxes(range=[0, top * 1.3 or 1], title=plotly_text(model.value_title))
        fig.update_yaxes(categoryorder="array", categoryarray=xs, autorange="reversed", title=None)
        fig.update_layout(
            barmode="stack" if model.kind == "stacked_bar" else "overlay", bargap=0.25
        )
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
