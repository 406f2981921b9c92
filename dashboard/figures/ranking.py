"""The charts of the cluster rankings (Tổng quan, Xếp hạng): frames in, figures out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import polars as pl

from dashboard.figures import model as fm
from dashboard.figures.labels import source, with_labels
from dashboard.figures.style import (
    ASSESSED,
    GREY_LINE,
    LEAD,
    MERGER_LABEL,
    MUTED,
    NO_DATA,
    OVER,
    SELF,
    SERIES_COLORS,
    UNIT,
)
from dashboard.format import MERGER_YEAR, era, vn_number, vn_number_expr


def leading_units_bar(frame: pl.DataFrame, year: int) -> fm.Figure:
    """The leading unit(s) of each cluster and their total score.

    Columns: cluster, units, n_leading, total_score, max_score, score_pct, voted, classification,
    source.
    """
    title = f"Đơn vị dẫn đầu từng cụm, khối thi đua năm {year} (tổng điểm)"
    if frame.is_empty():
        return fm.Figure("bar", title, (), (), 2, message=NO_DATA, height=220)
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
        pl.concat_str(
            pl.col("cluster"),
            pl.lit("\nDẫn đầu: "),
            pl.col("units"),
            pl.lit("\nTổng điểm: "),
            vn_number_expr(pl.col("total_score"), 2, trim=True),
            pl.lit(" ("),
            vn_number_expr(pl.col("score_pct"), 1),
            pl.lit("% điểm chuẩn)\nXếp loại: "),
            pl.col("classification").fill_null("–"),
            pl.lit("\nNguồn: "),
            pl.col("source").fill_null(""),
        ).alias("hover"),
    )
    # Series.max() is typed as any Python literal; these columns are numeric.
    top = max(
        cast(float, df["max_score"].fill_null(0).max() or 0),
        cast(float, df["total_score"].max() or 0),
    )
    return fm.Figure(
        "bar",
        title,
        tuple(df["cluster"].to_list()),
        (
            fm.Series(
                "Đơn vị dẫn đầu",
                tuple(df["total_score"].to_list()),
                tuple(df["text"].to_list()),
                LEAD,
                hover=tuple(df["hover"].to_list()),
            ),
        ),
        2,
        subtitle="Đơn vị hạng 1 của mỗi cụm, khối là đơn vị dẫn đầu được đề xuất; "
        "biểu quyết của cụm quyết định.",
        value_title="Tổng điểm",
        height=140 + 48 * df.height,
        wide=True,
        legend=False,
        labels_inside=True,
        value_range=(0, float(top) * 1.02 or 1),
        bar_gap=0.2,
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
    df = with_labels(df, 40, sep=None)
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
        wrap=40,
    )


def self_vs_assessed(frame: pl.DataFrame, cluster: str, year: int) -> fm.Figure:
    """Dumbbell: each unit's self-score against the score the cluster gave it.

    Columns: unit, self_score, assessed_score (rows without both are left out).
    """
    title = f"Tự chấm và cụm chấm – {cluster} năm {year}"
    df = frame.filter(pl.col("self_score").is_not_null() & pl.col("assessed_score").is_not_null())
    if df.is_empty():
        return fm.Figure(
            "dumbbell",
            title,
            (),
            (),
            2,
            message="Chưa có điểm cụm chấm để so sánh với điểm tự chấm.",
            height=220,
        )
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
    df = with_labels(df, 24, sep="\n")
    rows = df.select("unit", "self_score", "assessed_score", "gap_text").rows()
    over = df["over"].to_list()
    assessed = fm.Series(
        "Cụm chấm",
        tuple(a for _, _, a, _ in rows),
        ("",) * len(rows),
        ASSESSED,
        hover=tuple(f"{u}\nCụm chấm: {vn_number(a, 2, trim=True)}" for u, _, a, _ in rows),
        symbol="diamond",
    )
    own = fm.Series(
        "Tự chấm",
        tuple(s for _, s, _, _ in rows),
        ("",) * len(rows),
        SELF,
        hover=tuple(
            f"{u}\nTự chấm: {vn_number(s, 2, trim=True)}\nChênh lệch so với cụm chấm: {g}"
            for u, s, _, g in rows
        ),
    )
    links = tuple(
        fm.Link(name, color, at)
        for flag, color, name in (
            (True, OVER, "Tự chấm cao hơn cụm chấm"),
            (False, GREY_LINE, "Tự chấm không cao hơn"),
        )
        if (at := tuple(i for i, o in enumerate(over) if o == flag))
    )
    return fm.Figure(
        "dumbbell",
        title,
        tuple(df["label"].to_list()),
        (assessed, own),
        2,
        subtitle="Đoạn đỏ: đơn vị tự chấm cao hơn điểm cụm chấm (độ dài = chênh lệch).",
        value_title="Điểm",
        height=200 + 44 * df.height,
        links=links,
    )


def criterion_heatmap(frame: pl.DataFrame, cluster: str, year: int) -> fm.Figure:
    """Units x top-level criterion groups, coloured by the share of the group's maximum reached.

    Columns: unit, group_label, group_order, score, max_points, share (0..1), rank
    (+ criterion, source_file, source_sheet, source_cell).
    """
    title = f"Tỷ lệ điểm đạt theo nhóm tiêu chí – {cluster} năm {year}"
    df = frame.filter(pl.col("share").is_not_null())
    if df.is_empty():
        return fm.Figure(
            "heatmap",
            title,
            (),
            (),
            0,
            message="Chưa có bảng chấm điểm theo tiêu chí cho cụm này.",
            height=220,
        )
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
    df = with_labels(df, 30, sep="\n")
    unit_rows = df.group_by("unit", maintain_order=True).agg(
        pl.col("rank").min(), pl.col("label").first()
    )
    unit_rows = unit_rows.sort("rank", nulls_last=True, maintain_order=True)
    index = {(u, g): r for r, (u, g) in enumerate(df.select("unit", "group_label").iter_rows())}
    pct = df["pct"].to_list()
    extra = df.select("detail", "full", "src").rows()

    def hover(unit: str, at: int | None) -> str:
        if at is None:
            return unit
        detail, full, src = extra[at]
        lines = [unit, full, f"{detail} ({vn_number(pct[at], 1)}%)"]
        return "\n".join([*lines, f"Nguồn: {src}"] if src else lines)

    series = []
    for unit, _, label in unit_rows.iter_rows():
        at = [index.get((unit, g)) for g in groups]
        values = tuple(pct[i] if i is not None else None for i in at)
        series.append(
            fm.Series(
                label,
                values,
                tuple(f"{vn_number(v, 0)}%" if v is not None else "" for v in values),
                "",
                hover=tuple(hover(unit, i) for i in at),
            )
        )
    low = min(v for v in pct if v is not None)
    return fm.Figure(
        "heatmap",
        title,
        # One line per group (the whole name is in the hover): plotly turns the names when they
        # would overlap (a phone), and turned lines of a wrapped name would overlap.
        tuple(g if len(g) <= 26 else g[:25].rstrip() + "…" for g in groups),
        tuple(series),
        0,
        subtitle="Điểm đạt so với điểm chuẩn của từng nhóm tiêu chí cấp 1.",
        height=230 + 42 * len(series),
        wide=True,
        legend=False,
        value_range=(min(50.0, float(low)), 100),
        value_suffix="%",
    )


def rank_history(frame: pl.DataFrame, cluster: str, highlight: Sequence[str] = ()) -> fm.Figure:
    """Rank of each unit over the years, rank 1 on top; never joined across the merger.

    Columns: year, unit, rank, tied (+ total_score, n_ranked, short_name). The units named in
    ``highlight`` (those of the year being looked at) are coloured and in the legend; the others
    (e.g. the units of before the merger) are thin grey lines.
    """
    title = f"Thứ hạng qua các năm – {cluster}"
    df = frame.filter(pl.col("rank").is_not_null())
    if df.is_empty():
        return fm.Figure("ranks", title, (), (), 0, message=NO_DATA, height=220)
    df = with_labels(df.sort("unit", "year"), 40, sep="\n").with_columns(
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
    years = sorted(set(df["year"].to_list()))
    column = {y: i for i, y in enumerate(years)}
    units = df["unit"].unique(maintain_order=True).to_list()
    chosen = [u for u in units if u in set(highlight)] or units
    others = [u for u in units if u not in set(chosen)]
    series: list[fm.Series] = []
    grey_shown = False
    for unit in [*others, *chosen]:  # the coloured lines are drawn on top
        main = unit in chosen
        color = SERIES_COLORS[chosen.index(unit) % len(SERIES_COLORS)] if main else MUTED
        rows = df.filter(pl.col("unit") == unit)
        label = rows["label"][0].replace("\n", " ")
        shown = False
        for part in rows.partition_by("era", maintain_order=True):
            values: list[float | None] = [None] * len(years)
            hover = [""] * len(years)
            for year, rank, rank_text, score_text in part.select(
                "year", "rank", "rank_text", "score_text"
            ).iter_rows():
                values[column[year]] = float(rank)
                hover[column[year]] = f"{unit}\nNăm {year}: {rank_text}\nTổng điểm: {score_text}"
            series.append(
                fm.Series(
                    label if main else "Đơn vị của các năm khác",
                    tuple(values),
                    ("",) * len(years),
                    color,
                    hover=tuple(hover),
                    legend=(not shown) if main else (not grey_shown),
                    muted=not main,
                    group=unit if main else "others",
                )
            )
            shown = True
            grey_shown = grey_shown or not main
    entries = len(chosen) + (1 if others else 0)
    return fm.Figure(
        "ranks",
        title,
        tuple(str(y) for y in years),
        tuple(series),
        0,
        subtitle="Trước và sau sáp nhập tỉnh là hai tập đơn vị khác nhau: "
        "đường không nối qua mốc 01/7/2025.",
        x=tuple(float(y) for y in years),
        breaks=tuple(
            fm.Break(i, MERGER_LABEL, "merger")
            for i in range(1, len(years))
            if era(years[i]) != era(years[i - 1])
        ),
        value_title="Hạng (1 ở trên cùng)",
        height=380 + 22 * entries,
    )
