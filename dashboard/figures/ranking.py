"""The charts of the cluster rankings (Tổng quan, Xếp hạng): frames in, figures out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import plotly.graph_objects as go
import polars as pl

from dashboard.figures import model as fm
from dashboard.figures.labels import source, with_labels
from dashboard.figures.plotly import (
    _escaped,
    _layout,
    _source_line,
    _year_axis,
    draw,
    empty_figure,
    mark_merger,
    plotly_text,
)
from dashboard.figures.style import (
    ASSESSED,
    GREY_LINE,
    LEAD,
    MUTED,
    NO_DATA,
    OVER,
    SELF,
    SERIES_COLORS,
    UNIT,
)
from dashboard.format import MERGER_YEAR, vn_number, vn_number_expr


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
        source(frame).alias("src"),
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
            pl.when(source(frame) != "")
            .then(pl.lit("\nNguồn: ") + source(frame))
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


def self_vs_assessed(frame: pl.DataFrame, cluster: str, year: int) -> go.Figure:
    """Dumbbell: each unit's self-score against the score the cluster gave it.

    Columns: unit, self_score, assessed_score (rows without both are left out).
    """
    frame = _escaped(frame)
    cluster = plotly_text(cluster)
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
    cluster = plotly_text(cluster)
    title = f"Tỷ lệ điểm đạt theo nhóm tiêu chí – {cluster} năm {year}"
    df = frame.filter(pl.col("share").is_not_null())
    if df.is_empty():
        return empty_figure(title, "Chưa có bảng chấm điểm theo tiêu chí cho cụm này.")
    df = df.with_columns(
        (pl.col("share") * 100).alias("pct"),
        source(df).alias("src"),
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
    cluster = plotly_text(cluster)
    highlight = [plotly_text(u) for u in highlight]
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
