"""Charts of the emulation year: reporting progress per cluster and the campaign calendar.

Pure functions of polars frames into figure models (the pages and the meeting pack draw the same
figures, dashboard.figures.plotly and the pack's renderers).
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from dashboard.figures import model as fm
from dashboard.figures.labels import wrap
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
) -> fm.Figure:
    """The year's phases and themes as bars, the reporting deadlines as red lines."""
    labels: list[str] = []
    spans = []
    for row in events.iter_rows(named=True):
        label = wrap(row["phase"] or row["theme"] or "", 28, 2, sep="\n")
        if label in labels:
            label += " "  # two phases of the same name stay two rows
        labels.append(label)
        start, end = row["start_date"], row["end_date"]
        spans.append(
            fm.Span(
                len(labels) - 1,
                start.isoformat(),
                end.isoformat(),
                _short(row["theme"] or "", (end - start).days),
                f"{row['phase'] or ''}\n{start:%d/%m/%Y} – {end:%d/%m/%Y}\n{row['theme'] or ''}",
                PHASE_COLOR,
            )
        )
    marks = [
        # Short ("Sơ kết", "Tổng kết", "Quý I" over the date), so that two deadlines a quarter
        # apart stay apart on a phone.
        fm.Mark(
            row["due_date"].isoformat(),
            f"{_deadline_name(row['label'])}\n{row['due_date']:%d/%m}",
            DEADLINE_COLOR,
            anchor="right" if row["due_date"].month >= 11 else "center",
        )
        for row in deadlines.iter_rows(named=True)
    ]
    if today is not None and today.year == year:
        marks.append(
            fm.Mark(
                today.isoformat(),
                f" Hôm nay {today:%d/%m} ",
                "#37474F",
                dash="solid",
                width=1,
                high=False,
                anchor="right" if today.month >= 10 else "left",
            )
        )
    return fm.Figure(
        "timeline",
        f"Lịch thi đua năm {year}",
        tuple(labels),
        (),
        0,
        subtitle="Các đợt thi đua, chủ đề và hạn nộp báo cáo (đường đỏ)",
        value_title=f"Tháng năm {year}",
        height=max(280, 120 + 46 * max(len(labels), 1)),
        wide=True,
        legend=False,
        value_range=(
            date(year, 1, 1).isoformat(),
            (date(year, 12, 31) + timedelta(days=1)).isoformat(),
        ),
        marks=tuple(marks),
        spans=tuple(spans),
    )
