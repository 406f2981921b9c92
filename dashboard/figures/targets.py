"""The charts of the emulation targets (Chỉ tiêu): completion per cluster, unit and target."""

from __future__ import annotations

from typing import cast

import polars as pl

from dashboard.figures import model as fm
from dashboard.figures.labels import source, with_labels
from dashboard.figures.style import MET_COLORS, NO_DATA, PERIOD_COLORS, UNIT
from dashboard.format import MET_LABELS, PERIOD_ORDER, period_label, vn_number, vn_number_expr


def target_counts_model(frame: pl.DataFrame, title: str) -> fm.Figure:
    """How many targets each unit met, missed and has no result for (stacked bars).

    Columns: unit, n_met, n_not_met, n_pending (+ short_name).
    """
    if frame.is_empty():
        return fm.Figure("stacked_bar", title, (), (), 0, message=NO_DATA, height=220)
    df = with_labels(frame, 30, sep=None)
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
        wrap=30,
    )


def completion_bars(frame: pl.DataFrame, year: int, by_unit: bool) -> fm.Figure:
    """Share of targets met per cluster (or per unit of one cluster), one bar per period.

    Columns: label, period, pct_met, n_met, n_targets, n_pending.
    """
    what = "đơn vị" if by_unit else "cụm, khối"
    title = f"Tỷ lệ chỉ tiêu đạt theo {what} – năm {year}"
    df = frame.filter(pl.col("pct_met").is_not_null())
    if df.is_empty():
        return fm.Figure(
            "grouped_bar",
            title,
            (),
            (),
            1,
            message="Chưa có kết quả thực hiện chỉ tiêu để so sánh.",
            height=220,
        )
    df = df.with_columns(
        pl.concat_str(
            vn_number_expr(pl.col("pct_met"), 0),
            pl.lit("% ("),
            pl.col("n_met").cast(pl.String),
            pl.lit("/"),
            (pl.col("n_targets") - pl.col("n_pending")).cast(pl.String),
            pl.lit(")"),
        ).alias("text"),
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
    where = {label: i for i, label in enumerate(order)}
    periods = [p for p in PERIOD_ORDER if p in set(df["period"].to_list())]
    periods += sorted(set(df["period"].to_list()) - set(periods))
    series = []
    for period in periods:
        values: list[float | None] = [None] * len(order)
        texts, hover = [""] * len(order), [""] * len(order)
        sub = df.filter(pl.col("period") == period)
        for label, pct, text, pending in sub.select(
            "label", "pct_met", "text", "n_pending"
        ).iter_rows():
            i = where[label]
            values[i], texts[i] = pct, text
            hover[i] = (
                f"{label} – {period_label(period)}\nChỉ tiêu đạt: {vn_number(pct, 1)}%"
                f"\nChưa có kết quả: {pending} chỉ tiêu"
            )
        series.append(
            fm.Series(
                period_label(period),
                tuple(values),
                tuple(texts),
                PERIOD_COLORS.get(period, UNIT),
                hover=tuple(hover),
            )
        )
    return fm.Figure(
        "grouped_bar",
        title,
        tuple(order),
        tuple(series),
        1,
        value_title="% chỉ tiêu đạt (trong số đã có kết quả)",
        height=150 + 30 * df.height + 20 * len(order),
        wide=True,
        value_range=(0, 125),
        value_suffix="%",
        bar_gap=0.2,
    )


def completion_histogram(frame: pl.DataFrame, year: int) -> fm.Figure:
    """How far the targets were completed: a histogram of completion_pct (capped at 200%).

    One row per target; or, already binned (sql/targets_histogram.sql), one row per bin of 10
    points with its middle in ``completion_pct`` and the number of targets in ``n``.
    """
    title = f"Phân bố mức hoàn thành chỉ tiêu – năm {year}"
    df = frame.filter(pl.col("completion_pct").is_not_null())
    if df.is_empty():
        return fm.Figure(
            "histogram",
            title,
            (),
            (),
            0,
            message="Chưa có kết quả thực hiện chỉ tiêu.",
            height=220,
        )
    counts = df.select(
        (pl.col("completion_pct").clip(0, 199.99) // 10).cast(pl.Int32).alias("bin"),
        (pl.col("n") if "n" in df.columns else pl.lit(1)).alias("n"),
    )
    per_bin = dict(counts.group_by("bin").agg(pl.col("n").sum()).iter_rows())
    bins = range(20)
    series = tuple(
        fm.Series(
            name,
            tuple(float(per_bin.get(b, 0)) if (b < 10) == below else None for b in bins),
            ("",) * len(bins),
            color,
        )
        for below, color, name in (
            (True, MET_COLORS[False], "Dưới 100% kế hoạch"),
            (False, MET_COLORS[True], "Từ 100% kế hoạch trở lên"),
        )
    )
    return fm.Figure(
        "histogram",
        title,
        tuple(f"{b * 10}–{b * 10 + 10}%" for b in bins),
        series,
        0,
        x=tuple(b * 10 + 5.0 for b in bins),
        value_title="% hoàn thành (từ 200% trở lên gộp lại)",
        other_title="Số chỉ tiêu",
        height=380,
        value_range=(0, 200),
        value_suffix="%",
        marks=(fm.Mark(100, "100% kế hoạch"),),
        bin=10,
        count_of="chỉ tiêu",
    )


def planned_vs_actual(frame: pl.DataFrame, year: int) -> fm.Figure:
    """Each numeric target as a point: planned (x) against achieved (y), log scales.

    Columns: unit, target, planned, actual, met (+ uom, direction, completion_pct, source_*).
    """
    title = f"Kế hoạch và thực hiện của từng chỉ tiêu – năm {year}"
    df = frame.filter((pl.col("planned") > 0) & (pl.col("actual") > 0))
    if df.is_empty():
        return fm.Figure(
            "scatter",
            title,
            (),
            (),
            2,
            message="Chưa có chỉ tiêu định lượng có cả kế hoạch và kết quả.",
            height=220,
        )
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
    # Series.min()/max() are typed as any Python literal or None; these columns are numeric.
    lo = float(min(cast(float, df["planned"].min()), cast(float, df["actual"].min())))
    hi = float(max(cast(float, df["planned"].max()), cast(float, df["actual"].max())))
    ends = (lo * 0.8, hi * 1.25)
    series = [
        fm.Series("Thực hiện = kế hoạch", ends, ("", ""), "#777", dash=True, xs=ends),
    ]
    for met in (True, False, None):
        sub = df.filter(pl.col("met").is_null() if met is None else pl.col("met") == met)
        if sub.is_empty():
            continue
        rows = sub.select("target", "unit", "u", "dir", "pct", "src", "planned", "actual").rows()
        series.append(
            fm.Series(
                MET_LABELS[met],
                tuple(sub["actual"].to_list()),
                ("",) * sub.height,
                MET_COLORS[met],
                hover=tuple(
                    f"{t}\n{unit}\nKế hoạch: {vn_number(p, 2, trim=True)} {u}"
                    f"\nThực hiện: {vn_number(a, 2, trim=True)} {u} ({pct}%)\nChiều: {d}"
                    + (f"\nNguồn: {src}" if src else "")
                    for t, unit, u, d, pct, src, p, a in rows
                ),
                xs=tuple(sub["planned"].to_list()),
            )
        )
    return fm.Figure(
        "scatter",
        title,
        (),
        tuple(series),
        2,
        subtitle="Trên đường chéo: vượt kế hoạch; dưới: chưa đạt "
        "(ngược lại với chỉ tiêu càng thấp càng tốt).",
        value_title="Thực hiện (thang lôgarit)",
        other_title="Kế hoạch (thang lôgarit)",
        height=440,
        log=True,
    )
