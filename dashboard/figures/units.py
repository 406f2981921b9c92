"""The charts of one unit (Đơn vị): its scores over the years, its targets in a period."""

from __future__ import annotations

from typing import cast

import polars as pl

from dashboard.figures import model as fm
from dashboard.figures.labels import source, unique_wraps
from dashboard.figures.style import LEAD, MERGER_LABEL, MET_COLORS, NO_DATA, UNIT
from dashboard.format import MERGER_YEAR, MET_LABELS, era, period_label, vn_number, vn_number_expr


def score_history(frame: pl.DataFrame, unit: str) -> fm.Figure:
    """A unit's total score per year, with its rank written on each bar.

    Columns: year, cluster, total_score, rank, is_leading (+ n_ranked, classification, source_*).
    """
    title = f"Tổng điểm thi đua qua các năm – {unit}"
    df = frame.filter(pl.col("total_score").is_not_null())
    if df.is_empty():
        return fm.Figure("column", title, (), (), 2, message=NO_DATA, height=220)
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
        (vn_number_expr(pl.col("total_score"), 2, trim=True) + pl.lit("\n") + rank_text).alias(
            "text"
        ),
        pl.when(pl.col("is_leading").fill_null(False))
        .then(pl.lit(LEAD))
        .when(pl.col("year") < MERGER_YEAR)
        .then(pl.lit("#8FA8CC"))
        .otherwise(pl.lit(UNIT))
        .alias("color"),
        source(df).alias("src"),
        (pl.col("classification") if "classification" in df.columns else pl.lit(None, pl.String))
        .fill_null("–")
        .alias("cls"),
    )
    years = df["year"].to_list()
    hover = [
        f"Năm {y} – {cluster}\nTổng điểm: {vn_number(score, 2, trim=True)}\nXếp loại: {cls}"
        + (f"\nNguồn: {src}" if src else "")
        for y, cluster, score, cls, src in df.select(
            "year", "cluster", "total_score", "cls", "src"
        ).iter_rows()
    ]
    series = fm.Series(
        "Tổng điểm",
        tuple(df["total_score"].to_list()),
        tuple(df["text"].to_list()),
        UNIT,
        point_colors=tuple(df["color"].to_list()),
        hover=tuple(hover),
    )
    return fm.Figure(
        "column",
        title,
        tuple(str(y) for y in years),
        (series,),
        2,
        subtitle="Đỏ: năm đơn vị dẫn đầu cụm, khối. Nhạt: trước sáp nhập tỉnh.",
        x=tuple(float(y) for y in years),
        breaks=tuple(
            fm.Break(i, MERGER_LABEL, "merger")
            for i in range(1, len(years))
            if era(years[i]) != era(years[i - 1])
        ),
        value_title="Tổng điểm",
        height=380,
        legend=False,
        # Room above the highest bar for its two-line label.
        value_range=(0, float(cast(float, df["total_score"].max() or 1)) * 1.25),
    )


def target_bars(frame: pl.DataFrame, unit: str, year: int, period: str) -> fm.Figure:
    """Completion of each target of one unit in one period.

    Columns: target, completion_pct, met (+ uom, planned, actual, planned_text, actual_text,
    source_file, source_sheet, source_row).
    """
    title = f"Mức hoàn thành chỉ tiêu – {unit}, {period_label(period).lower()} {year}"
    if frame.is_empty():
        return fm.Figure("bar", title, (), (), 1, message=NO_DATA, height=220)
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
        .replace_strict(
            unique_wraps(frame["target"].to_list(), 40, sep="\n"), return_dtype=pl.String
        )
        .alias("label"),
        planned.fill_null("–").alias("p"),
        actual.fill_null("chưa có").alias("a"),
        (pl.col("uom") if "uom" in cols else pl.lit("")).fill_null("").alias("u"),
        source(frame, "source_row").alias("src"),
        pl.when(pl.col("completion_pct").is_null())
        .then(pl.lit("chưa có kết quả"))
        .otherwise(vn_number_expr(pl.col("completion_pct"), 1) + pl.lit("%"))
        .alias("pct_text"),
    )
    rows = df.select("target", "p", "a", "u", "src", "completion_pct").rows()
    hover = tuple(
        f"{t}\nKế hoạch: {p} {u}\nThực hiện: {a} {u}\nHoàn thành: {vn_number(c or 0, 1)}%"
        + (f"\nNguồn: {src}" if src else "")
        for t, p, a, u, src, c in rows
    )
    met_of = df["met"].to_list()
    values = df["completion_pct"].fill_null(0).to_list()
    texts = df["pct_text"].to_list()
    series = tuple(
        fm.Series(
            MET_LABELS[met],
            tuple(v if m == met else None for m, v in zip(met_of, values, strict=True)),
            tuple(t if m == met else "" for m, t in zip(met_of, texts, strict=True)),
            MET_COLORS[met],
            hover=hover,
        )
        for met in (True, False, None)
        if met in met_of
    )
    top = float(cast(float, df["completion_pct"].max() or 100))  # a numeric column's max
    return fm.Figure(
        "bar",
        title,
        tuple(df["label"].to_list()),
        series,
        1,
        value_title="% kế hoạch",
        height=150 + 46 * df.height,
        label_colors=True,
        value_range=(0, max(top, 100) * 1.25),
        value_suffix="%",
        marks=(fm.Mark(100, "100% kế hoạch"),),
        bar_gap=0.2,
    )
