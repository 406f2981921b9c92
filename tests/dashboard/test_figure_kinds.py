"""Every kind of figure model, drawn by the one renderer (dashboard.figures.plotly.draw), is what
plotly's validation gives: the renderer drafts plain dicts and skips validation for all charts
now, so a misspelt or ill-typed property of any kind would reach the browser unchecked."""

from __future__ import annotations

import datetime as dt
import json

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard.figures import indicators, ranking, targets, units, year
from dashboard.figures.plotly import draw

from .test_charts import C, history_frame, ranking_frame, structure_frame, targets_frame

HEAT = pl.DataFrame(
    {
        "unit": ["<b>A</b>", "<b>A</b>", "B", "B"],
        "group_label": ["I Nhiệm vụ chính trị", "II Xây dựng Đảng"] * 2,
        "group_order": [1, 4, 1, 4],
        "score": [48.0, 27.0, 40.0, 30.0],
        "max_points": [50.0, 30.0, 50.0, 30.0],
        "share": [0.96, 0.9, 0.8, 1.0],
        "rank": [1, 1, 2, 2],
    }
)
GROUPS = pl.DataFrame(
    {
        "label": ["A", "B", "A", "B"],
        "period": ["year", "year", "H1", "H1"],
        "n_targets": [4] * 4,
        "n_met": [2, 1, 1, 0],
        "n_pending": [1] * 4,
        "pct_met": [66.7, 33.3, 33.3, 0.0],
    }
)
LEADING = pl.DataFrame(
    {
        "cluster": [C],
        "units": ["A"],
        "n_leading": [1],
        "total_score": [96.5],
        "max_score": [100.0],
        "score_pct": [96.5],
        "voted": [False],
        "classification": ["Hoàn thành xuất sắc nhiệm vụ"],
        "source": ["a.xlsx · S · ô H7"],
    }
)
EVENTS = pl.DataFrame(
    {
        "phase": ["Đợt 1", "Đợt 2"],
        "theme": ["Khởi động, đăng ký giao ước thi đua", "Về đích"],
        "start_date": [dt.date(2026, 2, 1), dt.date(2026, 6, 1)],
        "end_date": [dt.date(2026, 5, 1), dt.date(2026, 9, 1)],
    }
)
DEADLINES = pl.DataFrame(
    {
        "label": ["sơ kết 6 tháng", "tổng kết năm"],
        "due_date": [dt.date(2026, 6, 20), dt.date(2026, 12, 20)],
    }
)
ONE_UNIT = (
    history_frame()
    .filter(pl.col("unit") == "A")
    .with_columns(pl.lit(C).alias("cluster"), (pl.col("rank") == 1).alias("is_leading"))
)


@pytest.mark.parametrize(
    "build",
    [
        lambda: ranking.leading_units_bar(LEADING, 2026),
        lambda: ranking.self_vs_assessed(ranking_frame(), C, 2026),
        lambda: ranking.criterion_heatmap(HEAT, C, 2026),
        lambda: ranking.rank_history(history_frame(), C, ["A"]),
        lambda: units.score_history(ONE_UNIT, "A"),
        lambda: units.target_bars(targets_frame(), "A", 2026, "year"),
        lambda: targets.completion_bars(GROUPS, 2026, True),
        lambda: targets.completion_histogram(targets_frame(), 2026),
        lambda: targets.planned_vs_actual(targets_frame(), 2026),
        lambda: indicators.economic_structure(structure_frame()),
        lambda: year.calendar_timeline(EVENTS, DEADLINES, 2026, dt.date(2026, 12, 7)),
        lambda: year.calendar_timeline(EVENTS.head(0), DEADLINES, 2026),
    ],
    ids=[
        "bar",
        "dumbbell",
        "heatmap",
        "ranks",
        "column",
        "bar_marks",
        "grouped_bar",
        "histogram",
        "scatter",
        "stacked_column",
        "timeline",
        "timeline_no_events",
    ],
)
def test_every_kind_is_what_plotly_validation_gives(build) -> None:
    fig = draw(build())
    assert fig.data or fig.layout.shapes  # something is drawn
    validated = go.Figure(fig.to_dict())  # ValueError on a misspelt or ill-typed property
    assert json.loads(validated.to_json()) == json.loads(fig.to_json())
    # Text from a workbook reaches plotly escaped: a unit named "<b>A</b>" is not bold.
    assert "<b>A</b>" not in json.dumps([t.y for t in fig.data if t.y is not None], default=str)
