"""Charts of the emulation year: reporting progress per cluster and the campaign calendar.

Pure functions of polars frames (the pages and the meeting pack draw the same figures); the
shared title/legend/decimal-comma layout comes from dashboard.figures.plotly.
"""

from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go
import polars as pl

from dashboard.figures import model as fm
from dashboard.figures.labels import wrap
from dashboard.figures.plotly import _layout, draw
from dashboard.figures.style import NO_DATA

STATUS_ORDER = ("đúng hạn", "trễ hạn", "chưa nộp", "chưa đến hạn")
STATUS_COLORS = {
    "đúng hạn": "#2E7D32",
    "trễ hạn": "#E08E0B",
    "chưa nộp": "#C62828",
    "chưa đến hạn": "#9AA3AF",
}
STATUS_NAMES = {
    "đúng hạn": "Đúng hạn",
    "trễ hạn": "Trễ hạn",
    "chưa nộp": "Chưa nộp",
    "chưa đến hạn": "Chưa đến hạn",
}
# The check of an award proposal against the award rules (Khen thưởng, the pack).
CHECK_COLORS = {"không đủ điều kiện": "#C62828", "vượt hạn mức": "#B26A00", "hợp lệ": "#2E7D32"}
PHASE_COLOR = "#1F5FA8"
DEADLINE_COLOR = "#C62828"
DAY_MS = 86_400_000


def status_counts(frame: pl.DataFrame) -> pl.DataFrame:
    """Counts per cluster and status (every status, zeros included), worst clusters first."""
    if frame.is_empty():
        return pl.DataFrame(schema={"cluster": pl.String, "status": pl.String, "n": pl.Int64})
    counts = frame.group_by("cluster", "status").len("n")
    grid = (
        frame.select("cluster")
        .unique()
        .join(pl.DataFrame({"status": list(STATUS_ORDER)}), how="cross")
    )
    out = grid.join(counts, on=["cluster", "status"], how="left").with_columns(
        pl.col("n").fill_null(0).cast(pl.Int64)
    )
    bad = (
        out.filter(pl.col("status").is_in(["chưa nộp", "trễ hạn"]))
        .group_by("cluster")
        .agg(pl.col("n").sum().alias("bad"))
    )
    return (
        out.join(bad, on="cluster").sort(["bad", "cluster"], descending=[True, False]).drop("bad")
    )


def submissions_model(counts: pl.DataFrame, title: str, subtitle: str = "") -> fm.Figure:
    """Stacked bars: per cluster, how many units reported on time, late, not yet, not due.

    The one model of this chart: the page draws it (``plotly.draw``) and so does the meeting
    pack (PowerPoint and PDF).
    """
    clusters = tuple(dict.fromkeys(counts["cluster"].to_list()))
    if not clusters:
        return fm.Figure("stacked_bar", title, (), (), 0, message=NO_DATA, height=220)
    series = []
    for status in STATUS_ORDER:
        part = counts.filter(pl.col("status") == status)
        by = dict(zip(part["cluster"].to_list(), part["n"].to_list(), strict=True))
        values = [int(by.get(c, 0)) for c in clusters]
        series.append(
            fm.Series(
                STATUS_NAMES[status],
                tuple(float(v) for v in values),
                tuple(str(v) if v else "" for v in values),
                STATUS_COLORS[status],
                hover=tuple(
                    f"{c}: {v} đơn vị {STATUS_NAMES[status].lower()}"
                    for c, v in zip(clusters, values, strict=True)
                ),
            )
        )
    return fm.Figure(
        "stacked_bar",
        title,
        clusters,
        tuple(series),
        0,
        subtitle=subtitle,
        value_title="Số đơn vị",
        height=max(260, 60 + 34 * len(clusters)),
        wide=True,
    )


def submissions_bar(counts: pl.DataFrame, title: str, subtitle: str) -> go.Figure:
    return draw(submissions_model(counts, title, subtitle))


def proposals_model(rows: pl.DataFrame, title: str) -> fm.Figure:
    """Stacked bars: per cluster, how many proposals passed, exceed a quota, are not eligible."""
    order = tuple(dict.fromkeys(rows["cluster"].to_list()))
    series = []
    for status, color in reversed(CHECK_COLORS.items()):
        counts = [
            rows.filter((pl.col("cluster") == c) & (pl.col("status") == status)).height
            for c in order
        ]
        series.append(
            fm.Series(
                status[:1].upper() + status[1:],
                tuple(float(n) for n in counts),
                tuple(str(n) if n else "" for n in counts),
                color,
            )
        )
    return fm.Figure("stacked_bar", title, order, tuple(series), 0, value_title="Số đề nghị")


def _short(theme: str, days: int) -> str:
    """The theme as far as it fits in its bar (about one character per three days at 12 px)."""
    room = max(days // 3, 8)
    return theme if len(theme) <= room else theme[: room - 1].rstrip() + "…"


def _deadline_name(label: str) -> str:
    short = " ".join(label.split()[:2])  # "sơ kết 6 tháng" → "sơ kết"
    return short[:1].upper() + short[1:]


def calendar_timeline(
    events: pl.DataFrame, deadlines: pl.DataFrame, year: int, today: date | None = None
) -> go.Figure:
    """The year's phases and themes as bars, the reporting deadlines as red lines."""
    fig = go.Figure()
    labels: list[str] = []
    for row in events.iter_rows(named=True):
        label = wrap(row["phase"] or row["theme"] or "", 28, 2)
        if label in labels:
            label += " "  # two phases of the same name stay two rows
        labels.append(label)
        start, end = row["start_date"], row["end_date"]
        fig.add_bar(
            y=[label],
            x=[((end - start).days + 1) * DAY_MS],
            base=[start.isoformat()],
            orientation="h",
            marker_color=PHASE_COLOR,
            showlegend=False,
            text=[_short(row["theme"] or "", (end - start).days)],
            textposition="inside",
            insidetextanchor="start",
            textfont={"size": 12},
            # A theme never runs past its bar (on a phone the chart is 350 px wide): plotly
            # shrinks it to fit; the whole theme is in the hover.
            constraintext="inside",
            hovertemplate=(
                f"{row['phase'] or ''}<br>{start:%d/%m/%Y} – {end:%d/%m/%Y}"
                f"<br>{row['theme'] or ''}<extra></extra>"
            ),
        )
    for row in deadlines.iter_rows(named=True):
        due = row["due_date"]
        fig.add_shape(
            type="line",
            x0=due,
            x1=due,
            y0=0,
            y1=1,
            yref="paper",
            line={"color": DEADLINE_COLOR, "width": 2, "dash": "dot"},
        )
        fig.add_annotation(
            x=due,
            y=1,
            yref="paper",
            # Short ("Sơ kết", "Tổng kết", "Quý I" over the date), so that two deadlines a
            # quarter apart stay apart on a phone.
            text=f"{_deadline_name(row['label'])}<br>{due:%d/%m}",
            showarrow=False,
            yanchor="bottom",
            xanchor="right" if due.month >= 11 else "center",
            font={"size": 11, "color": DEADLINE_COLOR},
        )
    if today is not None and today.year == year:
        fig.add_shape(
            type="line",
            x0=today,
            x1=today,
            y0=0,
            y1=1,
            yref="paper",
            line={"color": "#37474F", "width": 1},
        )
        fig.add_annotation(
            x=today,
            y=1,
            yref="paper",
            text=f" Hôm nay {today:%d/%m} ",
            showarrow=False,
            yanchor="top",
            xanchor="right" if today.month >= 10 else "left",
            font={"size": 11},
        )
    fig.update_xaxes(
        type="date",
        range=[date(year, 1, 1).isoformat(), (date(year, 12, 31) + timedelta(days=1)).isoformat()],
        dtick="M1",
        tickformat="%m",  # months 01..12 of the year in the axis title: no tilted labels
        title=f"Tháng năm {year}",
    )
    fig.update_yaxes(autorange="reversed", title=None, type="category")
    height = max(280, 120 + 46 * max(len(labels), 1))
    return _layout(
        fig,
        f"Lịch thi đua năm {year}",
        "Các đợt thi đua, chủ đề và hạn nộp báo cáo (đường đỏ)",
        height=height,
        legend=False,
        wide=True,
    )
