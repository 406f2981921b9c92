"""The charts of the emulation targets (Chỉ tiêu): completion per cluster, unit and target."""

from __future__ import annotations

from typing import cast

import plotly.graph_objects as go
import polars as pl

from dashboard.figures import model as fm
from dashboard.figures.labels import source, with_labels
from dashboard.figures.plotly import _escaped, _layout, _plan_line, _source_line, empty_figure
from dashboard.figures.style import MET_COLORS, NO_DATA, PERIOD_COLORS, UNIT
from dashboard.format import MET_LABELS, PERIOD_ORDER, period_label, vn_number_expr


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
                MET_LABELS[met],
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
        source(df, "source_row").alias("src"),
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
            name=MET_LABELS[met],
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
