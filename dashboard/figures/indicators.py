"""The charts of the province indicators (Kinh tế – xã hội): each indicator over the years
against its target band (split at the merger and at a change of basis), the economic structure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import polars as pl

from dashboard.figures import model as fm
from dashboard.figures.labels import crosses_merger, source, wrap
from dashboard.figures.style import MERGER_LABEL, NO_DATA, SERIES_LINE, STATUS_COLORS
from dashboard.format import MERGER_YEAR, era, kind_suffix, status_texts, vn_number

HOVER_WIDTH = 60  # characters per line of a source on hover in a half-width chart


SECTOR_KEYS = ("share_agri", "share_industry", "share_services")


SECTOR_NAMES = {
    "share_agri": "Nông, lâm, thủy sản",
    "share_industry": "Công nghiệp – xây dựng",
    "share_services": "Dịch vụ",
}


SECTOR_COLORS = {"share_agri": "#6B8E23", "share_industry": "#B5651D", "share_services": "#1F5FA8"}


KIND_NAMES = {"actual": "Thực hiện", "estimate": "Ước thực hiện", "plan": "Kế hoạch"}


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
    where = source(df)
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
                "Nguồn: " + wrap(r["src"], HOVER_WIDTH, 8, sep="\n"),
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


def economic_structure(frame: pl.DataFrame) -> fm.Figure:
    """GRDP shares of the three sectors per year as stacked bars, beside the target ranges.

    Columns: indicator_key (share_agri / share_industry / share_services), year, value,
    value_kind, target_low, target_high, horizon (+ source, source_file, source_sheet, source_cell).
    """
    title = "Cơ cấu kinh tế: tỷ trọng các khu vực trong GRDP (%)"
    df = frame.filter(pl.col("indicator_key").is_in(list(SECTOR_KEYS)))
    if df.is_empty():
        return fm.Figure("stacked_column", title, (), (), 1, message=NO_DATA, height=220)
    where = source(df)
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
    categories = [*xs, target_x]
    at = {x: i for i, x in enumerate(categories)}
    blank = [None] * len(categories)
    series = []
    for key in SECTOR_KEYS:
        sub = df.filter(pl.col("indicator_key") == key)
        if sub.is_empty():
            continue
        name = SECTOR_NAMES[key]
        values: list[float | None] = list(blank)
        labels, hover, hollow = (
            [""] * len(categories),
            [""] * len(categories),
            [False] * len(categories),
        )
        for x, value, kind, where_from in sub.select("x", "value", "value_kind", "src").rows():
            i = at[x]
            values[i], labels[i], hollow[i] = value, vn_number(value, 1), kind != "actual"
            hover[i] = f"{name} – {x}\nTỷ trọng: {vn_number(value, 1)}%" + (
                f"\nNguồn: {where_from}" if where_from else ""
            )
        series.append(
            fm.Series(
                name,
                tuple(values),
                tuple(labels),
                SECTOR_COLORS[key],
                hollow=tuple(hollow),
                hover=tuple(hover),
                group=key,
            )
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
            last = len(categories) - 1
            series.append(
                fm.Series(
                    name,
                    tuple(mid if i == last else None for i in range(len(categories))),
                    tuple(rng if i == last else "" for i in range(len(categories))),
                    SECTOR_COLORS[key],
                    hover=tuple(f"{name}\nMục tiêu: {rng}" for _ in categories),
                    legend=False,
                    group=key,
                    faded=True,
                )
            )
    years = df["year"].unique().sort().to_list()
    breaks = ()
    if crosses_merger(years):
        first = next(i for i, x in enumerate(xs) if int(x[:4]) >= MERGER_YEAR)
        breaks = (fm.Break(first, MERGER_LABEL, "merger"),)
    return fm.Figure(
        "stacked_column",
        title,
        tuple(categories),
        tuple(series),
        1,
        subtitle="Cột gạch chéo: số ước tính hoặc kế hoạch. "
        "Cột nhạt bên phải: mục tiêu (giữa khoảng).",
        breaks=breaks,
        value_title="% GRDP",
        height=430,
        wide=True,
        value_range=(0, 105),
        value_suffix="%",
        bar_gap=0.35,
    )
