"""Chart builders: a polars frame in, a plotly Figure out. No Streamlit, no database.

Every chart has a Vietnamese title that says what it shows, uses the decimal comma
(``separators=",."``) and, where the frame says where a figure was read from, shows the file, sheet
and cell on hover. Charts that cross the 1 July 2025 merger of the province mark it with a dashed
line and never join a series across it: the units before and after are different populations.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from typing import Any, TypeAlias, cast

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl
from plotly import shapeannotation

from dashboard import figure_model as fm
from dashboard.format import (
    MERGER_YEAR,
    PERIOD_ORDER,
    era,
    kind_suffix,
    period_label,
    source_ref_expr,
    status_texts,
    vn_number,
    vn_number_expr,
)

SEPARATORS = ",."
NO_DATA = "Chưa có dữ liệu để vẽ biểu đồ này."
TITLE_WIDTH = 58  # characters per title line: half-width charts must not clip their titles
HOVER_WIDTH = 60  # characters per line of a source on hover in a half-width chart
FONT = {"family": "Inter, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif", "size": 13}

MERGER_LABEL = "Sáp nhập tỉnh 01/7/2025"

LEAD = "#C62828"  # the leading unit: the red of the emulation flag
UNIT = "#4C72B0"
MUTED = "#B8BEC8"
SELF = "#E08E0B"
ASSESSED = "#1F5FA8"
OVER = "#C62828"
GREY_LINE = "#9AA3AF"
SERIES_LINE = "#37474F"
STATUS_COLORS = {"đạt": "#2E7D32", "vượt": "#1565C0", "chưa đạt": "#C62828", None: "#8A8F98"}
MET_COLORS = {True: "#2E7D32", False: "#C62828", None: "#9E9E9E"}
MET_NAMES = {True: "Đạt", False: "Chưa đạt", None: "Chưa có kết quả"}
BAND_FILL = "rgba(46, 125, 50, 0.13)"
PERIOD_COLORS = {
    "year": "#1F5FA8",
    "H1": "#7FA7D9",
    "Q1": "#B5651D",
    "Q2": "#D9A066",
    "Q3": "#6B8E23",
    "Q4": "#A3C16B",
}
SERIES_COLORS = [
    "#1F5FA8",
    "#C62828",
    "#2E7D32",
    "#E08E0B",
    "#6A3D9A",
    "#00838F",
    "#8D6E63",
    "#D81B60",
    "#546E7A",
    "#7CB342",
    "#5E35B1",
    "#F4511E",
]
SECTOR_KEYS = ("share_agri", "share_industry", "share_services")
SECTOR_NAMES = {
    "share_agri": "Nông, lâm, thủy sản",
    "share_industry": "Công nghiệp – xây dựng",
    "share_services": "Dịch vụ",
}
SECTOR_COLORS = {"share_agri": "#6B8E23", "share_industry": "#B5651D", "share_services": "#1F5FA8"}


# --------------------------------------------------------------------------- common helpers


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


# What the helpers below draw on: a plotly figure, or a draft of one.
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
    title = _wrap(title, width, 3)
    extra = title.count("<br>")
    if subtitle:
        subtitle = _wrap(subtitle, int(width * 1.45), 3)
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
# heatmap sets its own) is 7 kB of a 10 kB bar chart.
TEMPLATE_TRACES = ("bar", "scatter", "heatmap", "histogram", "table")
TEMPLATE_UNUSED = ("geo", "polar", "scene", "ternary", "coloraxis", "colorscale")


@functools.cache
def template() -> go.layout.Template:
    """plotly_white as these charts draw it, without what they never use."""
    full = pio.templates["plotly_white"].to_plotly_json()
    data = {kind: full["data"][kind] for kind in TEMPLATE_TRACES}
    for trace in data["heatmap"]:
        trace.pop("colorscale", None)
    layout = {k: v for k, v in full["layout"].items() if k not in TEMPLATE_UNUSED}
    return go.layout.Template(data=data, layout=layout)


def _use_template(fig: go.Figure) -> None:
    """``fig.update_layout(template=template())`` at a third of the cost.

    Plotly validates a template by rebuilding it property by property, which is most of the time
    a small chart takes to build. The template was validated once, when it was made: it is
    stored as plotly stores its default template (validation off for the assignment).
    """
    layout = fig.layout
    validate = layout._validate
    layout._validate = False
    try:
        layout["template"] = template()
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


def _source(frame: pl.DataFrame, cell: str | None = "source_cell") -> pl.Expr:
    """ "file · sheet · ô C7" when the frame carries the source columns, else ""."""
    cols = set(frame.columns)
    if not {"source_file", "source_sheet"} <= cols:
        return pl.lit("")
    if cell is not None and cell not in cols:
        cell = None
    word = "dòng " if cell == "source_row" else "ô "
    return source_ref_expr(cell=cell, cell_word=word)


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


def crosses_merger(years: Sequence[int | None]) -> bool:
    ys = [y for y in years if y is not None]
    return bool(ys) and min(ys) < MERGER_YEAR <= max(ys)


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


def _wrap(text: str | None, width: int = 18, lines: int = 3, sep: str = "<br>") -> str:
    """Break a long label into short lines (``sep``) for an axis; the hover shows it whole."""
    words, out, line = (text or "").split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if len(out) > lines:
        out = [*out[: lines - 1], _short(" ".join(out[lines - 1 :]), width)]
    return sep.join(out)


def unique_wraps(texts: Sequence[str], width: int, lines: int = 2) -> dict[str, str]:
    """Each text broken into at most ``lines`` lines; texts whose cut forms clash stay whole."""
    wrapped = {t: _wrap(t, width, lines) for t in dict.fromkeys(texts)}
    counts = Counter(wrapped.values())
    return {t: w if counts[w] == 1 else t for t, w in wrapped.items()}


def with_labels(frame: pl.DataFrame, width: int = 30, sep: str = "<br>") -> pl.DataFrame:
    """Add ``label``: the unit's short name from the membership list when the frame has one,
    else its name broken into at most two lines (``sep``); always unique within the frame."""
    names = frame["unit"].unique(maintain_order=True).to_list()
    short: dict[str, str] = {}
    if "short_name" in frame.columns:
        pairs = frame.select("unit", "short_name").drop_nulls().unique("unit", keep="last")
        short = dict(pairs.iter_rows())
    labels = {u: short.get(u) or _wrap(u, width, 2, sep) for u in names}
    for fallback in (lambda u: _wrap(u, width, 2, sep), lambda u: u):
        counts = Counter(labels.values())
        # Units whose labels clash (e.g. "Lạc Dương" before and after the merger) get their names.
        labels = {u: fallback(u) if counts[lab] > 1 else lab for u, lab in labels.items()}
    return frame.with_columns(
        pl.col("unit").replace_strict(labels, return_dtype=pl.String).alias("label")
    )


def _short(text: str | None, n: int = 34) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# --------------------------------------------------------------------------- overview


def leading_units_bar(frame: pl.DataFrame, year: int) -> go.Figure:
    """The leading unit(s) of each cluster and their total score.

    Columns: cluster, units, n_leading, total_score, max_score, score_pct, voted, classification,
    source.
    """
    frame = _escaped(frame)
    title = f"Đơn vị dẫn đầu từng cụm, khối thi đua năm {year} (tổng điểm)"
    if frame.is_empty():
        return empty_figure(title)
    df = frame.with_columns(
        pl.concat_str(
            pl.col("units"),
            pl.when(pl.col("n_leading") > 1).then(pl.lit(" (đồng hạng)")).otherwise(pl.lit("")),
            pl.when(pl.col("voted").fill_null(False))
            .then(pl.lit(" – theo biểu quyết"))
            .otherwise(pl.lit("")),
            pl.lit(" · "),
            vn_number_expr(pl.col("total_score"), 2, trim=True),
            pl.lit(" điểm"),
        ).alias("text"),
        vn_number_expr(pl.col("score_pct"), 1).alias("pct"),
        pl.col("classification").fill_null("–"),
        pl.col("source").fill_null(""),
    )
    fig = go.Figure(
        go.Bar(
            y=df["cluster"].to_list(),
            x=df["total_score"].to_list(),
            orientation="h",
            marker_color=LEAD,
            text=df["text"].to_list(),
            textposition="inside",
            insidetextanchor="start",
            textfont={"color": "white", "size": 13},
            customdata=df.select("units", "pct", "classification", "source").rows(),
            hovertemplate=(
                "<b>%{y}</b><br>Dẫn đầu: %{customdata[0]}<br>Tổng điểm: %{x:.2~f}"
                " (%{customdata[1]}% điểm chuẩn)<br>Xếp loại: %{customdata[2]}"
                + _source_line("%{customdata[3]}")
                + "<extra></extra>"
            ),
            name="Đơn vị dẫn đầu",
        )
    )
    # Series.max() is typed as any Python literal; these columns are numeric.
    top = max(
        cast(float, df["max_score"].fill_null(0).max() or 0),
        cast(float, df["total_score"].max() or 0),
    )
    fig.update_xaxes(range=[0, float(top) * 1.02 or 1], title="Tổng điểm")
    fig.update_yaxes(autorange="reversed", title=None)
    return _layout(
        fig,
        title,
        "Đơn vị hạng 1 của mỗi cụm, khối là đơn vị dẫn đầu được đề xuất; "
        "biểu quyết của cụm quyết định.",
        height=140 + 48 * df.height,
        legend=False,
        wide=True,
    )


# --------------------------------------------------------------------------- ranking


def ranking_model(frame: pl.DataFrame, cluster: str, year: int) -> fm.Figure:
    """One cluster's ranking: horizontal bars sorted by rank, the leading unit in red.

    Columns: unit, rank, tied, is_leading, total_score (+ voted_leading, classification,
    not_ranked_reason, short_name, source_file, source_sheet, source_cell when known).
    """
    title = f"Xếp hạng {cluster} năm {year} theo tổng điểm"
    if frame.is_empty():
        return fm.Figure("bar", title, (), (), 2, message=NO_DATA, height=220)
    cols = frame.columns
    rank_txt = (
        pl.when(pl.col("rank").is_null())
        .then(pl.lit("Không xếp hạng"))
        .when(pl.col("tied").fill_null(False))
        .then(pl.lit("Hạng ") + pl.col("rank").cast(pl.String) + pl.lit(" (đồng hạng)"))
        .otherwise(pl.lit("Hạng ") + pl.col("rank").cast(pl.String))
    )
    reason = pl.col("not_ranked_reason") if "not_ranked_reason" in cols else pl.lit(None, pl.String)
    voted = pl.col("voted_leading").fill_null(False) if "voted_leading" in cols else pl.lit(False)
    df = frame.with_columns(
        rank_txt.alias("rank_text"),
        pl.when(pl.col("is_leading").fill_null(False))
        .then(pl.lit("Dẫn đầu"))
        .when(pl.col("rank").is_null())
        .then(pl.lit("Không xếp hạng"))
        .otherwise(pl.lit("Đơn vị khác"))
        .alias("category"),
        _source(frame).alias("src"),
        (pl.col("classification") if "classification" in cols else pl.lit(None, pl.String))
        .fill_null("–")
        .alias("cls"),
        reason.fill_null("").alias("reason"),
    ).with_columns(
        pl.when(pl.col("total_score").is_null())
        .then(
            pl.lit("Không xếp hạng")
            + pl.when(pl.col("reason") != "")
            .then(pl.lit(": ") + pl.col("reason"))
            .otherwise(pl.lit(""))
        )
        .otherwise(
            vn_number_expr(pl.col("total_score"), 2, trim=True)
            + pl.lit(" điểm · ")
            + pl.col("rank_text")
            + pl.when(pl.col("category") == "Dẫn đầu")
            .then(
                pl.lit(" · ★ Dẫn đầu")
                + pl.when(voted).then(pl.lit(" (cụm biểu quyết)")).otherwise(pl.lit(""))
            )
            .otherwise(pl.lit(""))
        )
        .alias("bar_text"),
        pl.concat_str(
            pl.col("unit"),
            pl.lit("\nTổng điểm: ") + vn_number_expr(pl.col("total_score"), 2, trim=True),
            pl.lit("\n") + pl.col("rank_text"),
            pl.lit("\nXếp loại: ") + pl.col("cls"),
            pl.when(_source(frame) != "")
            .then(pl.lit("\nNguồn: ") + _source(frame))
            .otherwise(pl.lit("")),
        ).alias("hover"),
    )
    df = with_labels(df, 40, sep="\n")
    categories = tuple(df["label"].to_list())
    category = df["category"].to_list()
    scores = df["total_score"].fill_null(0).to_list()
    texts, hover = df["bar_text"].to_list(), tuple(df["hover"].to_list())
    series = tuple(
        fm.Series(
            name,
            tuple(v if c == name else None for c, v in zip(category, scores, strict=True)),
            tuple(t if c == name else "" for c, t in zip(category, texts, strict=True)),
            color,
            hover=hover,
        )
        for name, color in (("Dẫn đầu", LEAD), ("Đơn vị khác", UNIT), ("Không xếp hạng", MUTED))
        if name in category
    )
    return fm.Figure(
        "bar",
        title,
        categories,
        series,
        2,
        subtitle="Sắp theo hạng. Đỏ: đơn vị dẫn đầu (đề xuất). "
        "Bằng điểm (chênh dưới 0,01) thì đồng hạng.",
        value_title="Tổng điểm",
        height=150 + 44 * df.height,
        wide=True,
    )


def ranking_bar(frame: pl.DataFrame, cluster: str, year: int) -> go.Figure:
    """The page's (and the chart download's) drawing of ``ranking_model``."""
    return draw(ranking_model(frame, cluster, year))


def target_counts_model(frame: pl.DataFrame, title: str) -> fm.Figure:
    """How many targets each unit met, missed and has no result for (stacked bars).

    Columns: unit, n_met, n_not_met, n_pending (+ short_name).
    """
    if frame.is_empty():
        return fm.Figure("stacked_bar", title, (), (), 0, message=NO_DATA, height=220)
    df = with_labels(frame, 30, sep="\n")
    series = []
    for met, col in ((True, "n_met"), (False, "n_not_met"), (None, "n_pending")):
        counts = df[col].to_list()
        series.append(
            fm.Series(
                MET_NAMES[met],
                tuple(float(n) if n is not None else None for n in counts),
                tuple(str(n) if n else "" for n in counts),
                MET_COLORS[met],
            )
        )
    return fm.Figure(
        "stacked_bar",
        title,
        tuple(df["label"].to_list()),
        tuple(series),
        0,
        value_title="Số chỉ tiêu",
        height=150 + 44 * df.height,
    )


def self_vs_assessed(frame: pl.DataFrame, cluster: str, year: int) -> go.Figure:
    """Dumbbell: each unit's self-score against the score the cluster gave it.

    Columns: unit, self_score, assessed_score (rows without both are left out).
    """
    frame = _escaped(frame)
    cluster = fm.plotly_text(cluster)
    title = f"Tự chấm và cụm chấm – {cluster} năm {year}"
    df = frame.filter(pl.col("self_score").is_not_null() & pl.col("assessed_score").is_not_null())
    if df.is_empty():
        return empty_figure(title, "Chưa có điểm cụm chấm để so sánh với điểm tự chấm.")
    gap = pl.col("self_score") - pl.col("assessed_score")
    df = (
        df.with_columns(gap.alias("gap"))
        .with_columns(
            (pl.col("gap") > 0.005).alias("over"),
            pl.when(pl.col("gap") > 0).then(pl.lit("+")).otherwise(pl.lit("")).alias("sign"),
        )
        .with_columns(
            (pl.col("sign") + vn_number_expr(pl.col("gap"), 2, trim=True)).alias("gap_text")
        )
    )
    df = with_labels(df, 24)
    fig = go.Figure()
    for over, color, name in (
        (True, OVER, "Tự chấm cao hơn cụm chấm"),
        (False, GREY_LINE, "Tự chấm không cao hơn"),
    ):
        sub = df.filter(pl.col("over") == over)
        if sub.is_empty():
            continue
        xs: list[float | None] = []
        ys: list[str | None] = []
        for unit, s, a in sub.select("label", "self_score", "assessed_score").iter_rows():
            xs += [a, s, None]
            ys += [unit, unit, None]
        fig.add_scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": color, "width": 5},
            name=name,
            hoverinfo="skip",
            showlegend=False,
        )
    custom = df.select("gap_text", "unit").rows()
    fig.add_scatter(
        x=df["assessed_score"].to_list(),
        y=df["label"].to_list(),
        mode="markers",
        name="Cụm chấm",
        marker={"color": ASSESSED, "size": 13, "symbol": "diamond"},
        customdata=custom,
        hovertemplate="<b>%{customdata[1]}</b><br>Cụm chấm: %{x:.2~f}<extra></extra>",
    )
    fig.add_scatter(
        x=df["self_score"].to_list(),
        y=df["label"].to_list(),
        mode="markers",
        name="Tự chấm",
        marker={"color": SELF, "size": 13, "symbol": "circle"},
        customdata=custom,
        hovertemplate=(
            "<b>%{customdata[1]}</b><br>Tự chấm: %{x:.2~f}"
            "<br>Chênh lệch so với cụm chấm: %{customdata[0]}"
            "<extra></extra>"
        ),
    )
    fig.update_yaxes(
        categoryorder="array", categoryarray=df["label"].to_list(), autorange="reversed", title=None
    )
    fig.update_xaxes(title="Điểm")
    return _layout(
        fig,
        title,
        "Đoạn đỏ: đơn vị tự chấm cao hơn điểm cụm chấm (độ dài = chênh lệch).",
        height=200 + 44 * df.height,
    )


def criterion_heatmap(frame: pl.DataFrame, cluster: str, year: int) -> go.Figure:
    """Units x top-level criterion groups, coloured by the share of the group's maximum reached.

    Columns: unit, group_label, group_order, score, max_points, share (0..1), rank
    (+ criterion, source_file, source_sheet, source_cell).
    """
    frame = _escaped(frame)
    cluster = fm.plotly_text(cluster)
    title = f"Tỷ lệ điểm đạt theo nhóm tiêu chí – {cluster} năm {year}"
    df = frame.filter(pl.col("share").is_not_null())
    if df.is_empty():
        return empty_figure(title, "Chưa có bảng chấm điểm theo tiêu chí cho cụm này.")
    df = df.with_columns(
        (pl.col("share") * 100).alias("pct"),
        _source(df).alias("src"),
        pl.concat_str(
            vn_number_expr(pl.col("score"), 2, trim=True),
            pl.lit(" / "),
            vn_number_expr(pl.col("max_points"), 2, trim=True),
            pl.lit(" điểm"),
        ).alias("detail"),
        (pl.col("criterion") if "criterion" in df.columns else pl.col("group_label"))
        .fill_null("")
        .alias("full"),
    )
    groups = (
        df.group_by("group_label")
        .agg(pl.col("group_order").min())
        .sort("group_order")["group_label"]
        .to_list()
    )
    df = with_labels(df, 30)
    unit_rows = df.group_by("unit", maintain_order=True).agg(
        pl.col("rank").min(), pl.col("label").first()
    )
    unit_rows = unit_rows.sort("rank", nulls_last=True, maintain_order=True)
    labels = unit_rows["label"].to_list()
    units = unit_rows["unit"].to_list()
    index = {(u, g): r for r, (u, g) in enumerate(df.select("unit", "group_label").iter_rows())}
    pct = df["pct"].to_list()
    extra = df.select("detail", "full", "src", "unit").rows()
    z = [[pct[index[(u, g)]] if (u, g) in index else None for g in groups] for u in units]
    text = [[f"{vn_number(v, 0)}%" if v is not None else "" for v in row] for row in z]
    custom = [
        [extra[index[(u, g)]] if (u, g) in index else ("", "", "", u) for g in groups]
        for u in units
    ]
    low = min(v for row in z for v in row if v is not None)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            # One line per group (the whole name is in the hover): plotly turns the names when
            # they would overlap (a phone), and turned lines of a wrapped name would overlap.
            x=[g if len(g) <= 26 else g[:25].rstrip() + "…" for g in groups],
            y=labels,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 13},
            customdata=custom,
            colorscale=[[0, "#D73027"], [0.5, "#FEE08B"], [1, "#1A9850"]],
            zmin=min(50.0, float(low)),
            zmax=100,
            xgap=2,
            ygap=2,
            colorbar={"ticksuffix": "%", "thickness": 12, "len": 0.9},
            hovertemplate=(
                "<b>%{customdata[3]}</b><br>%{customdata[1]}<br>%{customdata[0]} (%{z:.1f}%)"
                + _source_line("%{customdata[2]}")
                + "<extra></extra>"
            ),
        )
    )
    fig.update_yaxes(autorange="reversed", title=None)
    # tickangle left to plotly: horizontal where the group names fit (a desktop), turned where
    # they would overlap (a phone, 390 px).
    fig.update_xaxes(side="bottom", title=None, automargin=True)
    return _layout(
        fig,
        title,
        "Điểm đạt so với điểm chuẩn của từng nhóm tiêu chí cấp 1.",
        height=230 + 42 * len(units),
        legend=False,
        wide=True,
    )


def rank_history(frame: pl.DataFrame, cluster: str, highlight: Sequence[str] = ()) -> go.Figure:
    """Rank of each unit over the years, rank 1 on top; never joined across the merger.

    Columns: year, unit, rank, tied (+ total_score, n_ranked, short_name). The units named in
    ``highlight`` (those of the year being looked at) are coloured and in the legend; the others
    (e.g. the units of before the merger) are thin grey lines.
    """
    frame = _escaped(frame)
    cluster = fm.plotly_text(cluster)
    highlight = [fm.plotly_text(u) for u in highlight]
    title = f"Thứ hạng qua các năm – {cluster}"
    df = frame.filter(pl.col("rank").is_not_null())
    if df.is_empty():
        return empty_figure(title)
    df = with_labels(df.sort("unit", "year"), 40).with_columns(
        (pl.col("year") >= MERGER_YEAR).cast(pl.Int8).alias("era"),
        pl.concat_str(
            pl.lit("Hạng "),
            pl.col("rank").cast(pl.String),
            pl.when(pl.col("tied").fill_null(False))
            .then(pl.lit(" (đồng hạng)"))
            .otherwise(pl.lit("")),
            *(
                (pl.lit("/"), pl.col("n_ranked").cast(pl.String))
                if "n_ranked" in frame.columns
                else ()
            ),
        ).alias("rank_text"),
        (
            vn_number_expr(pl.col("total_score"), 2, trim=True)
            if "total_score" in frame.columns
            else pl.lit("–")
        ).alias("score_text"),
    )
    fig = go.Figure()
    units = df["unit"].unique(maintain_order=True).to_list()
    chosen = [u for u in units if u in set(highlight)] or units
    others = [u for u in units if u not in set(chosen)]
    grey_shown = False
    for unit in [*others, *chosen]:  # the coloured lines are drawn on top
        main = unit in chosen
        color = SERIES_COLORS[chosen.index(unit) % len(SERIES_COLORS)] if main else MUTED
        rows = df.filter(pl.col("unit") == unit)
        label = rows["label"][0].replace("<br>", " ")
        shown = False
        for part in rows.partition_by("era", maintain_order=True):
            ranks = part["rank"].to_list()
            legend = (not shown) if main else (not grey_shown)
            fig.add_scatter(
                x=part["year"].to_list(),
                y=ranks,
                mode="lines+markers",
                name=label if main else "Đơn vị của các năm khác",
                legendgroup=unit if main else "others",
                showlegend=legend,
                line={"color": color, "width": 2.5 if main else 1.2},
                marker={
                    "size": [14 if r == 1 else 9 for r in ranks] if main else 6,
                    "symbol": ["star" if r == 1 else "circle" for r in ranks],
                    "color": color,
                },
                customdata=part.select("rank_text", "score_text").rows(),
                hovertemplate=(
                    f"<b>{unit}</b><br>Năm %{{x}}: %{{customdata[0]}}"
                    "<br>Tổng điểm: %{customdata[1]}<extra></extra>"
                ),
            )
            shown = True
            grey_shown = grey_shown or not main
    years = df["year"].to_list()
    worst = int(cast(int, df["rank"].max() or 1))  # ranks are integers
    fig.update_yaxes(
        range=[worst + 0.5, 0.5],
        tickmode="linear",
        tick0=1,
        dtick=1,
        title="Hạng (1 ở trên cùng)",
        zeroline=False,
    )
    _year_axis(fig, years)
    mark_merger(fig, years)
    entries = len(chosen) + (1 if others else 0)
    return _layout(
        fig,
        title,
        "Trước và sau sáp nhập tỉnh là hai tập đơn vị khác nhau: "
        "đường không nối qua mốc 01/7/2025.",
        height=380 + 22 * entries,
    )


# --------------------------------------------------------------------------- one unit


def score_history(frame: pl.DataFrame, unit: str) -> go.Figure:
    """A unit's total score per year, with its rank written on each bar.

    Columns: year, cluster, total_score, rank, is_leading (+ n_ranked, classification, source_*).
    """
    frame = _escaped(frame)
    unit = fm.plotly_text(unit)
    title = f"Tổng điểm thi đua qua các năm – {unit}"
    df = frame.filter(pl.col("total_score").is_not_null())
    if df.is_empty():
        return empty_figure(title)
    rank_text = (
        pl.when(pl.col("rank").is_null())
        .then(pl.lit("không xếp hạng"))
        .otherwise(
            pl.lit("hạng ")
            + pl.col("rank").cast(pl.String)
            + (
                pl.lit("/") + pl.col("n_ranked").cast(pl.String)
                if "n_ranked" in df.columns
                else pl.lit("")
            )
        )
    )
    df = df.with_columns(
        (vn_number_expr(pl.col("total_score"), 2, trim=True) + pl.lit("<br>") + rank_text).alias(
            "text"
        ),
        pl.when(pl.col("is_leading").fill_null(False))
        .then(pl.lit(LEAD))
        .when(pl.col("year") < MERGER_YEAR)
        .then(pl.lit("#8FA8CC"))
        .otherwise(pl.lit(UNIT))
        .alias("color"),
        _source(df).alias("src"),
        (pl.col("classification") if "classification" in df.columns else pl.lit(None, pl.String))
        .fill_null("–")
        .alias("cls"),
    )
    fig = go.Figure(
        go.Bar(
            x=df["year"].to_list(),
            y=df["total_score"].to_list(),
            marker_color=df["color"].to_list(),
            text=df["text"].to_list(),
            textposition="outside",
            cliponaxis=False,
            customdata=df.select("cluster", "cls", "src").rows(),
            name="Tổng điểm",
            hovertemplate=(
                "<b>Năm %{x}</b> – %{customdata[0]}<br>Tổng điểm: %{y:.2~f}"
                "<br>Xếp loại: %{customdata[1]}"
                + _source_line("%{customdata[2]}")
                + "<extra></extra>"
            ),
        )
    )
    top = float(cast(float, df["total_score"].max() or 1))  # a numeric column's max
    fig.update_yaxes(range=[0, top * 1.25], title="Tổng điểm")
    _year_axis(fig, df["year"].to_list())
    mark_merger(fig, df["year"].to_list())
    return _layout(
        fig,
        title,
        "Đỏ: năm đơn vị dẫn đầu cụm, khối. Nhạt: trước sáp nhập tỉnh.",
        height=380,
        legend=False,
    )


def target_bars(frame: pl.DataFrame, unit: str, year: int, period: str) -> go.Figure:
    """Completion of each target of one unit in one period.

    Columns: target, completion_pct, met (+ uom, planned, actual, planned_text, actual_text,
    source_file, source_sheet, source_row).
    """
    frame = _escaped(frame)
    unit = fm.plotly_text(unit)
    title = f"Mức hoàn thành chỉ tiêu – {unit}, {period_label(period).lower()} {year}"
    if frame.is_empty():
        return empty_figure(title)
    cols = frame.columns
    planned = (
        pl.coalesce(
            vn_number_expr(pl.col("planned"), 2, trim=True).replace("–", None),
            pl.col("planned_text"),
        )
        if "planned_text" in cols
        else vn_number_expr(pl.col("planned"), 2, trim=True)
    )
    actual = (
        pl.coalesce(
            vn_number_expr(pl.col("actual"), 2, trim=True).replace("–", None), pl.col("actual_text")
        )
        if "actual_text" in cols
        else vn_number_expr(pl.col("actual"), 2, trim=True)
    )
    df = frame.with_columns(
        pl.col("target")
        .replace_strict(unique_wraps(frame["target"].to_list(), 40), return_dtype=pl.String)
        .alias("label"),
        planned.fill_null("–").alias("p"),
        actual.fill_null("chưa có").alias("a"),
        (pl.col("uom") if "uom" in cols else pl.lit("")).fill_null("").alias("u"),
        _source(frame, "source_row").alias("src"),
        pl.when(pl.col("completion_pct").is_null())
        .then(pl.lit("chưa có kết quả"))
        .otherwise(vn_number_expr(pl.col("completion_pct"), 1) + pl.lit("%"))
        .alias("pct_text"),
    )
    fig = go.Figure()
    for met in (True, False, None):
        sub = df.filter(pl.col("met").is_null() if met is None else pl.col("met") == met)
        if sub.is_empty():
            continue
        fig.add_bar(
            y=sub["label"].to_list(),
            x=sub["completion_pct"].fill_null(0).to_list(),
            orientation="h",
            name=MET_NAMES[met],
            marker_color=MET_COLORS[met],
            text=sub["pct_text"].to_list(),
            textposition="outside",
            cliponaxis=False,
            textfont={"color": MET_COLORS[met]},  # a 0% bar has no length: its label shows it
            customdata=sub.select("target", "p", "a", "u", "src").rows(),
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>Kế hoạch: %{customdata[1]} %{customdata[3]}"
                "<br>Thực hiện: %{customdata[2]} %{customdata[3]}<br>Hoàn thành: %{x:.1f}%"
                + _source_line("%{customdata[4]}")
                + "<extra></extra>"
            ),
        )
    top = float(cast(float, df["completion_pct"].max() or 100))  # a numeric column's max
    fig.update_xaxes(range=[0, max(top, 100) * 1.25], ticksuffix="%", title="% kế hoạch")
    fig.update_yaxes(
        categoryorder="array", categoryarray=df["label"].to_list(), autorange="reversed", title=None
    )
    fig.update_layout(barmode="overlay")
    _plan_line(fig)
    return _layout(fig, title, None, height=150 + 46 * df.height)


# --------------------------------------------------------------------------- targets


def completion_bars(frame: pl.DataFrame, year: int, by_unit: bool) -> go.Figure:
    """Share of targets met per cluster (or per unit of one cluster), one bar per period.

    Columns: label, period, pct_met, n_met, n_targets, n_pending.
    """
    frame = _escaped(frame)
    what = "đơn vị" if by_unit else "cụm, khối"
    title = f"Tỷ lệ chỉ tiêu đạt theo {what} – năm {year}"
    df = frame.filter(pl.col("pct_met").is_not_null())
    if df.is_empty():
        return empty_figure(title, "Chưa có kết quả thực hiện chỉ tiêu để so sánh.")
    df = df.with_columns(
        pl.concat_str(
            vn_number_expr(pl.col("pct_met"), 0),
            pl.lit("% ("),
            pl.col("n_met").cast(pl.String),
            pl.lit("/"),
            (pl.col("n_targets") - pl.col("n_pending")).cast(pl.String),
            pl.lit(")"),
        ).alias("text"),
        pl.col("n_pending").cast(pl.String).alias("pending"),
    )
    order = (
        df.sort(
            pl.col("period").replace_strict(
                {p: i for i, p in enumerate(PERIOD_ORDER)}, default=99, return_dtype=pl.Int32
            ),
            pl.col("pct_met"),
            descending=[False, True],
        )["label"]
        .unique(maintain_order=True)
        .to_list()
    )
    fig = go.Figure()
    periods = [p for p in PERIOD_ORDER if p in set(df["period"].to_list())]
    periods += sorted(set(df["period"].to_list()) - set(periods))
    for period in periods:
        sub = df.filter(pl.col("period") == period)
        fig.add_bar(
            y=sub["label"].to_list(),
            x=sub["pct_met"].to_list(),
            orientation="h",
            name=period_label(period),
            marker_color=PERIOD_COLORS.get(period, UNIT),
            text=sub["text"].to_list(),
            textposition="outside",
            cliponaxis=False,
            customdata=sub.select("pending").rows(),
            hovertemplate=(
                "<b>%{y}</b> – " + period_label(period) + "<br>Chỉ tiêu đạt: %{x:.1f}%"
                "<br>Chưa có kết quả: %{customdata[0]} chỉ tiêu<extra></extra>"
            ),
        )
    fig.update_xaxes(
        range=[0, 125], ticksuffix="%", title="% chỉ tiêu đạt (trong số đã có kết quả)"
    )
    fig.update_yaxes(categoryorder="array", categoryarray=order, autorange="reversed", title=None)
    fig.update_layout(barmode="group", bargap=0.2)
    return _layout(fig, title, None, height=150 + 30 * df.height + 20 * len(order), wide=True)


def completion_histogram(frame: pl.DataFrame, year: int) -> go.Figure:
    """How far the targets were completed: a histogram of completion_pct (capped at 200%).

    One row per target; or, already binned (sql/targets_histogram.sql), one row per bin of 10
    points with its middle in ``completion_pct`` and the number of targets in ``n``.
    """
    frame = _escaped(frame)
    title = f"Phân bố mức hoàn thành chỉ tiêu – năm {year}"
    df = frame.filter(pl.col("completion_pct").is_not_null())
    if df.is_empty():
        return empty_figure(title, "Chưa có kết quả thực hiện chỉ tiêu.")
    binned = "n" in df.columns
    capped = df.with_columns(pl.col("completion_pct").clip(0, 199.99).alias("x"))
    fig = go.Figure()
    for below, color, name in (
        (True, MET_COLORS[False], "Dưới 100% kế hoạch"),
        (False, MET_COLORS[True], "Từ 100% kế hoạch trở lên"),
    ):
        sub = capped.filter((pl.col("x") < 100) if below else (pl.col("x") >= 100))
        if sub.is_empty():
            continue
        counts = {"y": sub["n"].to_list(), "histfunc": "sum"} if binned else {}
        fig.add_histogram(
            x=sub["x"].to_list(),
            name=name,
            marker_color=color,
            xbins={"start": 0, "end": 200, "size": 10},
            marker_line={"color": "white", "width": 1},
            hovertemplate="%{x}%: %{y} chỉ tiêu<extra></extra>",
            **counts,
        )
    _plan_line(fig)
    fig.update_xaxes(range=[0, 200], ticksuffix="%", title="% hoàn thành (từ 200% trở lên gộp lại)")
    fig.update_yaxes(title="Số chỉ tiêu")
    fig.update_layout(barmode="overlay")
    return _layout(fig, title, None, height=380)


def planned_vs_actual(frame: pl.DataFrame, year: int) -> go.Figure:
    """Each numeric target as a point: planned (x) against achieved (y), log scales.

    Columns: unit, target, planned, actual, met (+ uom, direction, completion_pct, source_*).
    """
    frame = _escaped(frame)
    title = f"Kế hoạch và thực hiện của từng chỉ tiêu – năm {year}"
    df = frame.filter((pl.col("planned") > 0) & (pl.col("actual") > 0))
    if df.is_empty():
        return empty_figure(title, "Chưa có chỉ tiêu định lượng có cả kế hoạch và kết quả.")
    cols = df.columns
    df = df.with_columns(
        (pl.col("uom") if "uom" in cols else pl.lit("")).fill_null("").alias("u"),
        _source(df, "source_row").alias("src"),
        pl.when(pl.col("direction") == "lower")
        .then(pl.lit("càng thấp càng tốt"))
        .otherwise(pl.lit("càng cao càng tốt"))
        .alias("dir")
        if "direction" in cols
        else pl.lit("").alias("dir"),
        vn_number_expr(pl.col("completion_pct"), 1).alias("pct")
        if "completion_pct" in cols
        else pl.lit("–").alias("pct"),
    )
    fig = go.Figure()
    # Series.min()/max() are typed as any Python literal or None; these columns are numeric.
    lo = float(min(cast(float, df["planned"].min()), cast(float, df["actual"].min())))
    hi = float(max(cast(float, df["planned"].max()), cast(float, df["actual"].max())))
    fig.add_scatter(
        x=[lo * 0.8, hi * 1.25],
        y=[lo * 0.8, hi * 1.25],
        mode="lines",
        line={"dash": "dash", "color": "#777"},
        name="Thực hiện = kế hoạch",
        hoverinfo="skip",
    )
    for met in (True, False, None):
        sub = df.filter(pl.col("met").is_null() if met is None else pl.col("met") == met)
        if sub.is_empty():
            continue
        fig.add_scatter(
            x=sub["planned"].to_list(),
            y=sub["actual"].to_list(),
            mode="markers",
            name=MET_NAMES[met],
            marker={
                "color": MET_COLORS[met],
                "size": 10,
                "opacity": 0.85,
                "line": {"color": "white", "width": 1},
            },
            customdata=sub.select("target", "unit", "u", "dir", "pct", "src").rows(),
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>%{customdata[1]}"
                "<br>Kế hoạch: %{x:,.2~f} %{customdata[2]}"
                "<br>Thực hiện: %{y:,.2~f} %{customdata[2]} (%{customdata[4]}%)"
                "<br>Chiều: %{customdata[3]}" + _source_line("%{customdata[5]}") + "<extra></extra>"
            ),
        )
    # Powers of ten only: leaders read "1, 10, 100, 1.000", not the minor log ticks.
    fig.update_xaxes(type="log", dtick=1, tickformat=",~g", title="Kế hoạch (thang lôgarit)")
    fig.update_yaxes(type="log", dtick=1, tickformat=",~g", title="Thực hiện (thang lôgarit)")
    return _layout(
        fig,
        title,
        "Trên đường chéo: vượt kế hoạch; dưới: chưa đạt "
        "(ngược lại với chỉ tiêu càng thấp càng tốt).",
        height=440,
    )


# --------------------------------------------------------------------------- province indicators


def _breaks(df: pl.DataFrame) -> tuple[list[int], list[int]]:
    """Years that start a new series segment, and among them those where the basis changed.

    A segment starts after the merger or when the basis of the figures changes (a new poverty
    standard): the series is not joined across either.
    """
    years = df["year"].to_list()
    basis_break = (
        df["basis_break"].fill_null(False).to_list()
        if "basis_break" in df.columns
        else [False] * len(years)
    )
    starts, basis = [], []
    for i, y in enumerate(years):
        if i and (era(y) != era(years[i - 1]) or basis_break[i]):
            starts.append(y)
        if i and basis_break[i]:
            basis.append(y)
    return starts, basis


KIND_NAMES = {"actual": "Thực hiện", "estimate": "Ước thực hiện", "plan": "Kế hoạch"}


def indicator_model(frame: pl.DataFrame) -> fm.Figure:
    """One province indicator over the years against its target band.

    Columns: indicator, uom, year, value, value_kind, target_low, target_high, target_direction,
    target_text, horizon, status, change, basis, basis_break, source (+ source_file, source_sheet,
    source_cell). For a 'decrease' target the yearly fall is charted against the band. Series are
    split into segments at the merger and at a change of basis: never joined across either.
    """
    if frame.is_empty():
        return fm.Figure(
            "line", "Chỉ tiêu kinh tế – xã hội", (), (), 2, message=NO_DATA, height=220
        )
    df = frame.sort("year")
    first = df.row(0, named=True)
    name, uom = first["indicator"], first.get("uom") or ""
    direction = first.get("target_direction")
    low, high = first.get("target_low"), first.get("target_high")
    target_text = first.get("target_text") or ""
    horizon = first.get("horizon") or ""
    decrease = direction == "decrease"
    breaks, basis_breaks = _breaks(df)
    segment = pl.lit(0)
    for b in breaks:
        segment = segment + (pl.col("year") >= b).cast(pl.Int32)
    where = _source(df)
    df = df.with_columns(
        segment.alias("segment"),
        pl.when(pl.col("source").is_not_null() & (where != ""))
        .then(pl.col("source") + pl.lit(" (") + where + pl.lit(")"))
        .otherwise(pl.coalesce(pl.col("source"), where))
        .fill_null("không ghi nguồn")
        .alias("src"),
        pl.Series("status_text", status_texts(df), pl.String),
        (pl.col("value_kind") != "actual").alias("is_estimate"),
        (-pl.col("change")).alias("fall") if "change" in df.columns else pl.lit(None).alias("fall"),
        (pl.col("basis") if "basis" in df.columns else pl.lit(None, pl.String))
        .fill_null("")
        .alias("basis_text"),
    )
    if decrease:
        title = f"{name}: mức giảm hằng năm"
        y_col, unit_text = "fall", "điểm %"
        # A fall is only comparable between consecutive years on the same basis.
        df = df.with_columns(
            pl.when(pl.col("year").diff() == 1).then(pl.col("fall")).otherwise(None).alias("fall")
        ).with_columns(
            pl.when(pl.col("year").is_in(breaks)).then(None).otherwise(pl.col("fall")).alias("fall")
        )
    else:
        title = f"{name} ({uom})" if uom else name
        y_col, unit_text = "value", uom
    subtitle = f"Mục tiêu: {target_text}" + (
        f" (giai đoạn {horizon})" if "-" in horizon else f" (đến {horizon})" if horizon else ""
    )
    if not target_text:
        subtitle = "Chưa có mục tiêu để so sánh."
    rows = df.to_dicts()
    years = [r["year"] for r in rows]
    ys = [r[y_col] for r in rows]
    labels = [vn_number(v, 2, trim=True) if v is not None else "" for v in ys]
    colors = [STATUS_COLORS.get(r["status"], STATUS_COLORS[None]) for r in rows]
    # A source runs to a hundred characters and more: on one line its hover box is wider than a
    # half-width chart and is cut off at the chart's edges (the footnote below keeps it whole).
    hover = [
        "\n".join(
            line
            for line in (
                f"Năm {r['year']} – {KIND_NAMES.get(r['value_kind'], 'Thực hiện')}",
                f"{'Mức giảm' if decrease else 'Giá trị'}: {label} {unit_text}".rstrip(),
                f"Đánh giá: {r['status_text']}",
                f"Tỷ lệ năm: {vn_number(r['value'], 2, trim=True)}" if decrease else "",
                r["basis_text"],
                "Nguồn: " + _wrap(r["src"], HOVER_WIDTH, 8, sep="\n"),
            )
            if line
        )
        for r, label in zip(rows, labels, strict=True)
    ]
    if decrease:
        categories = [
            f"{y}\n{vn_number(r['value'], 2, trim=True)}%" for y, r in zip(years, rows, strict=True)
        ]
    else:
        categories = [
            f"{y}{kind_suffix(r['value_kind'])}" for y, r in zip(years, rows, strict=True)
        ]

    def pick(keep: Sequence[bool], values: Sequence[Any], blank: Any) -> tuple[Any, ...]:
        return tuple(v if k else blank for k, v in zip(keep, values, strict=True))

    series: list[fm.Series] = []
    estimate = [bool(r["is_estimate"]) for r in rows]
    if decrease:
        for est in (False, True):
            keep = [e == est and v is not None for e, v in zip(estimate, ys, strict=True)]
            if any(keep):
                series.append(
                    fm.Series(
                        "Ước tính / kế hoạch" if est else "Thực hiện",
                        pick(keep, ys, None),
                        pick(keep, labels, ""),
                        SERIES_LINE,
                        point_colors=tuple(colors),
                        hollow=(est,) * len(rows),
                        hover=tuple(hover),
                    )
                )
    else:
        seg = [r["segment"] for r in rows]
        for n in dict.fromkeys(seg):
            actual = [
                s == n and not e and v is not None
                for s, e, v in zip(seg, estimate, ys, strict=True)
            ]
            planned = [
                s == n and e and v is not None for s, e, v in zip(seg, estimate, ys, strict=True)
            ]
            if any(actual):
                series.append(
                    fm.Series(
                        "Thực hiện",
                        pick(actual, ys, None),
                        pick(actual, labels, ""),
                        SERIES_LINE,
                        point_colors=tuple(colors),
                        hover=tuple(hover),
                        legend=not any(s.name == "Thực hiện" for s in series),
                    )
                )
            if any(planned):
                # The dashed line starts at the segment's last actual figure (no marker there).
                first_plan = planned.index(True)
                before = [i for i, a in enumerate(actual) if a and i < first_plan]
                join = [p or (bool(before) and i == before[-1]) for i, p in enumerate(planned)]
                series.append(
                    fm.Series(
                        "Ước tính / kế hoạch",
                        pick(join, ys, None),
                        pick(planned, labels, ""),
                        SERIES_LINE,
                        point_colors=tuple(colors),
                        hollow=tuple(planned),
                        marked=tuple(planned),
                        hover=tuple(hover),
                        dash=True,
                        legend=not any(s.name == "Ước tính / kế hoạch" for s in series),
                    )
                )
    values = [v for v in ys if v is not None]
    top = max([*values, high or 0, low or 0, 0])
    target = None
    if low is not None or high is not None:
        if direction == "lower":
            low, high = None, high if high is not None else low
        elif direction == "higher":
            high = None
        target = fm.Target(
            low,
            high,
            "Vùng mục tiêu" + (" (mức giảm mỗi năm)" if decrease else ""),
            max(top, float(low or 0)) * 1.15,
        )
    model_breaks = [
        fm.Break(i, MERGER_LABEL, "merger")
        for i in range(1, len(years))
        if era(years[i]) != era(years[i - 1])
    ]
    for b in basis_breaks:
        basis = next(r["basis_text"] for r in rows if r["year"] == b)
        label = "Đổi chuẩn nghèo" if "nghèo" in basis.lower() else "Đổi cơ sở số liệu"
        model_breaks.append(fm.Break(years.index(b), label, "basis"))
    message = ""
    if decrease and not values:
        message = "Chưa có hai năm liền nhau cùng một chuẩn để tính mức giảm."
    return fm.Figure(
        "column" if decrease else "line",
        title,
        tuple(categories),
        tuple(series),
        2,
        subtitle=subtitle,
        x=tuple(float(y) for y in years),
        target=target,
        breaks=tuple(model_breaks),
        value_title=unit_text,
        footnotes=tuple(dict.fromkeys(df["source"].drop_nulls().to_list())),
        message=message,
        keys=(
            *((fm.Key("Thực hiện", SERIES_LINE),) if False in estimate else ()),
            *(
                (fm.Key("Ước tính / kế hoạch", SERIES_LINE, hollow=True, dash=not decrease),)
                if True in estimate
                else ()
            ),
            *(fm.Key(s.capitalize(), STATUS_COLORS[s]) for s in ("đạt", "vượt", "chưa đạt")),
        ),
    )


def indicator_chart(frame: pl.DataFrame) -> go.Figure:
    """The page's (and the chart download's) drawing of ``indicator_model``."""
    return draw(indicator_model(frame))


# --------------------------------------------------------------------------- figure models


def _hover_html(text: str) -> str:
    """A model's hover text for plotly: escaped, its first line bold, its source line small."""
    lines = [fm.plotly_text(line) for line in text.split("\n")]
    out = [f"<b>{lines[0]}</b>"] if lines else []
    small = False
    for line in lines[1:]:
        small = small or line.startswith("Nguồn: ")
        out.append(f"<span style='font-size:11px'>{line}</span>" if small else line)
    return "<br>".join(out)


def _positions(model: fm.Figure) -> list[Any]:
    return list(model.x) if model.x is not None else [fm.plotly_text(c) for c in model.categories]


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
        annotation_text=fm.plotly_text(target.label),
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
                text=fm.plotly_text(brk.label),
                showarrow=False,
                font={"size": 12, "color": "#444"},
            )
        else:
            _spanning(
                fig,
                "vline",
                x=pos,
                line={"dash": "dot", "color": "#8E24AA", "width": 1.5},
                annotation_text=fm.plotly_text(brk.label),
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
                text=[fm.plotly_text(s.labels[i]) for i in at],
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
            text=[fm.plotly_text(s.labels[i]) for i in at],
            textposition="inside" if model.kind == "stacked_bar" else "outside",
            cliponaxis=False,
            **_hover_props(s, at),
        )


def draw(model: fm.Figure) -> go.Figure:
    """The plotly figure of a figure model: the page, the chart download and the PDF pack."""
    title = fm.plotly_text(model.title)
    if not model.categories:
        return empty_figure(title, fm.plotly_text(model.message) or NO_DATA)
    fig = Draft()
    xs = _positions(model)
    legend = not model.keys
    _draw_target(fig, model)
    if model.kind == "line":
        _draw_lines(fig, model, xs, legend)
    else:
        _draw_bars(fig, model, xs, legend)
    for key in model.keys:
        symbol = "square" if model.kind == "column" and key.color == SERIES_LINE else "circle"
        _legend_mark(
            fig,
            fm.plotly_text(key.name),
            key.color,
            symbol + ("-open" if key.hollow else ""),
            dash=key.dash,
        )
    values = [v for s in model.series for v in s.values if v is not None]
    if model.kind in ("line", "column"):
        fig.update_xaxes(
            tickmode="array",
            tickvals=xs,
            ticktext=[fm.plotly_text(c) for c in model.categories],
            range=[xs[0] - 0.6, xs[-1] + 0.6] if model.x is not None else None,
            showgrid=False,
            title=None,
        )
        fig.update_yaxes(title=fm.plotly_text(model.value_title) or None)
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
        fig.update_xaxes(range=[0, top * 1.3 or 1], title=fm.plotly_text(model.value_title))
        fig.update_yaxes(categoryorder="array", categoryarray=xs, autorange="reversed", title=None)
        fig.update_layout(
            barmode="stack" if model.kind == "stacked_bar" else "overlay", bargap=0.25
        )
    _draw_breaks(fig, model)
    if model.message:
        fig.add_annotation(
            text=fm.plotly_text(model.message),
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
            font={"size": 13, "color": "#666"},
        )
    return _layout(
        fig, title, fm.plotly_text(model.subtitle) or None, height=model.height, wide=model.wide
    )


def economic_structure(frame: pl.DataFrame) -> go.Figure:
    """GRDP shares of the three sectors per year as stacked bars, beside the target ranges.

    Columns: indicator_key (share_agri / share_industry / share_services), year, value,
    value_kind, target_low, target_high, horizon (+ source, source_file, source_sheet, source_cell).
    """
    frame = _escaped(frame)
    title = "Cơ cấu kinh tế: tỷ trọng các khu vực trong GRDP (%)"
    df = frame.filter(pl.col("indicator_key").is_in(list(SECTOR_KEYS)))
    if df.is_empty():
        return empty_figure(title)
    where = _source(df)
    src = (
        pl.when(pl.col("source").is_not_null() & (where != ""))
        .then(pl.col("source") + pl.lit(" (") + where + pl.lit(")"))
        .otherwise(pl.coalesce(pl.col("source"), where))
        .fill_null("không ghi nguồn")
        if "source" in df.columns
        else where
    )
    df = df.sort("year").with_columns(
        pl.concat_str(
            pl.col("year").cast(pl.String),
            pl.when(pl.col("value_kind") == "estimate")
            .then(pl.lit(" (ước)"))
            .when(pl.col("value_kind") == "plan")
            .then(pl.lit(" (KH)"))
            .otherwise(pl.lit("")),
        ).alias("x"),
        src.alias("src"),
    )
    xs = df.sort("year")["x"].unique(maintain_order=True).to_list()
    targets = df.filter(pl.col("target_low").is_not_null()).unique("indicator_key")
    # Series.first() is typed as any Python literal; "horizon" is a text column.
    horizon = cast(
        "str | None", targets["horizon"].drop_nulls().first() if targets.height else None
    )
    target_x = f"Mục tiêu {horizon}" if horizon else "Mục tiêu"
    fig = Draft()
    for key in SECTOR_KEYS:
        sub = df.filter(pl.col("indicator_key") == key)
        if sub.is_empty():
            continue
        est = (sub["value_kind"] != "actual").to_list()
        fig.add_bar(
            x=sub["x"].to_list(),
            y=sub["value"].to_list(),
            name=SECTOR_NAMES[key],
            legendgroup=key,
            marker={
                "color": SECTOR_COLORS[key],
                "pattern": {"shape": ["/" if e else "" for e in est]},
            },
            text=[vn_number(v, 1) for v in sub["value"].to_list()],
            textposition="inside",
            customdata=sub.select("src").rows(),
            hovertemplate=(
                f"<b>{SECTOR_NAMES[key]}</b> – %{{x}}<br>Tỷ trọng: %{{y:.1f}}%"
                + _source_line("%{customdata[0]}")
                + "<extra></extra>"
            ),
        )
        t = targets.filter(pl.col("indicator_key") == key)
        if t.height:
            lo, hi = t["target_low"][0], t["target_high"][0]
            mid = (lo + hi) / 2 if hi is not None else lo
            rng = (
                f"{vn_number(lo, 1, trim=True)}–{vn_number(hi, 1, trim=True)}%"
                if hi is not None
                else f"≥ {vn_number(lo, 1, trim=True)}%"
            )
            fig.add_bar(
                x=[target_x],
                y=[mid],
                name=SECTOR_NAMES[key],
                legendgroup=key,
                showlegend=False,
                marker={
                    "color": SECTOR_COLORS[key],
                    "opacity": 0.45,
                    "line": {"color": SECTOR_COLORS[key], "width": 2},
                },
                text=[rng],
                textposition="inside",
                textfont={"color": "black"},
                hovertemplate=(f"<b>{SECTOR_NAMES[key]}</b><br>Mục tiêu: {rng}<extra></extra>"),
            )
    fig.update_layout(barmode="stack", bargap=0.35)
    fig.update_xaxes(categoryorder="array", categoryarray=[*xs, target_x], title=None)
    fig.update_yaxes(range=[0, 105], ticksuffix="%", title="% GRDP")
    years = df["year"].unique().sort().to_list()
    if crosses_merger(years):
        pos = next(i for i, x in enumerate(xs) if int(x[:4]) >= MERGER_YEAR) - 0.5
        mark_merger(fig, years, x=pos)
    return _layout(
        fig,
        title,
        "Cột gạch chéo: số ước tính hoặc kế hoạch. Cột nhạt bên phải: mục tiêu (giữa khoảng).",
        height=430,
        wide=True,
    )
