"""The chart builders on small frames: trace types, titles, decimal comma, the leading unit, ties,
the merger break, target bands, estimates and sources on hover."""

from __future__ import annotations

import json
import re

import plotly.graph_objects as go
import polars as pl
import pytest

from dashboard import format as fmt
from dashboard.figures import indicators, plotly, ranking, style, targets, units
from dashboard.figures.plotly import draw
from dashboard.format import (
    leading_sentence,
    source_footnote,
    status_badges,
    vn_number,
    vn_number_expr,
    year_ranges,
)


def drawn(builder):
    """A figure model builder's plotly figure, as the page draws it."""
    return lambda *args: draw(builder(*args))


C = "Cụm thi đua số 1"


def hover_texts(fig: go.Figure) -> str:
    """Everything a reader could see on hover or on the chart, as one string."""
    return json.dumps(fig.to_plotly_json(), ensure_ascii=False)


def check_common(fig: go.Figure, title_part: str) -> None:
    assert fig.layout.separators == ",."
    assert title_part in fig.layout.title.text.replace("<br>", " ")


def ranking_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "unit": ["A", "B", "C", "D", "E"],
            "rank": [1, 2, 2, 4, None],
            "tied": [False, True, True, False, False],
            "is_leading": [True, False, False, False, False],
            "voted_leading": [False] * 5,
            "self_score": [97.0, 95.0, 92.0, 90.0, 80.0],
            "assessed_score": [95.5, 92.5, 92.0, 88.25, None],
            "total_score": [96.5, 92.5, 92.5, 88.0, None],
            "max_score": [100.0] * 5,
            "classification": ["Hoàn thành xuất sắc nhiệm vụ"] * 4 + [None],
            "not_ranked_reason": [None, None, None, None, "Bị kỷ luật"],
            "source_file": ["tong_hop.xlsx"] * 5,
            "source_sheet": ["Cụm 1"] * 5,
            "source_cell": ["H7", "H8", "H9", "H10", "H11"],
        },
        schema_overrides={"rank": pl.Int32},
    )


def test_ranking_bar_marks_leader_ties_and_sources() -> None:
    fig = draw(ranking.ranking_model(ranking_frame(), C, 2026))
    check_common(fig, "Xếp hạng Cụm thi đua số 1 năm 2026")
    assert {t.type for t in fig.data} == {"bar"}
    assert all(t.orientation == "h" for t in fig.data)
    lead = next(t for t in fig.data if t.name == "Dẫn đầu")
    assert list(lead.y) == ["A"] and lead.marker.color == style.LEAD
    others = next(t for t in fig.data if t.name == "Đơn vị khác")
    assert others.marker.color != style.LEAD
    assert list(lead.text) == ["96,5 điểm · Hạng 1 · ★ Dẫn đầu"]
    texts = [x for t in fig.data for x in t.text]
    tied = [x for x in texts if "Hạng 2 (đồng hạng)" in x]
    assert len(tied) == 2  # both tied units carry the same rank number
    assert any("Hạng 4" in x for x in texts)  # the next rank is skipped: 1, 2, 2, 4
    assert any("Không xếp hạng: Bị kỷ luật" in x for x in texts)
    assert list(fig.layout.yaxis.categoryarray) == ["A", "B", "C", "D", "E"]
    assert fig.layout.yaxis.autorange == "reversed"
    assert "tong_hop.xlsx · Cụm 1 · ô H7" in hover_texts(fig)


def test_ranking_bar_vote_wins() -> None:
    frame = ranking_frame().with_columns(
        pl.Series("is_leading", [False, True, False, False, False]),
        pl.Series("voted_leading", [False, True, False, False, False]),
    )
    fig = draw(ranking.ranking_model(frame, C, 2026))
    lead = next(t for t in fig.data if t.name == "Dẫn đầu")
    assert list(lead.y) == ["B"]
    assert "★ Dẫn đầu (cụm biểu quyết)" in lead.text[0]


def test_self_vs_assessed_flags_over_scoring() -> None:
    fig = draw(ranking.self_vs_assessed(ranking_frame(), C, 2026))
    check_common(fig, "Tự chấm và cụm chấm")
    assert all(t.type == "scatter" for t in fig.data)
    over = [t for t in fig.data if t.mode == "lines" and t.line.color == style.OVER]
    assert over, "a red segment for units that scored themselves higher"
    flagged = {y for t in over for y in t.y if y}
    assert flagged == {"A", "B", "D"}  # C's self-score equals its assessed score; E has none
    names = {t.name for t in fig.data if t.showlegend is not False}
    assert {"Tự chấm", "Cụm chấm"} <= names


def test_criterion_heatmap_shares_and_sources() -> None:
    frame = pl.DataFrame(
        {
            "unit": ["A", "A", "B", "B"],
            "group_label": ["I Nhiệm vụ chính trị", "II Xây dựng Đảng"] * 2,
            "group_order": [1, 4, 1, 4],
            "criterion": ["Nhiệm vụ chính trị", "Xây dựng Đảng"] * 2,
            "score": [48.0, 27.0, 40.0, 30.0],
            "max_points": [50.0, 30.0, 50.0, 30.0],
            "share": [0.96, 0.9, 0.8, 1.0],
            "rank": [1, 1, 2, 2],
            "source_file": ["cham.xlsx"] * 4,
            "source_sheet": ["A", "A", "B", "B"],
            "source_cell": ["F10", "F13", "F10", "F13"],
        }
    )
    fig = draw(ranking.criterion_heatmap(frame, C, 2026))
    check_common(fig, "Tỷ lệ điểm đạt theo nhóm tiêu chí")
    (trace,) = fig.data
    assert trace.type == "heatmap"
    assert list(trace.y) == ["A", "B"]
    assert [list(r) for r in trace.z] == [[96.0, 90.0], [80.0, 100.0]]
    assert "cham.xlsx · B · ô F13" in hover_texts(fig)


def history_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "year": [2023, 2024, 2025, 2026, 2023, 2024, 2025, 2026],
            "unit": ["A"] * 4 + ["B"] * 4,
            "rank": [1, 2, 1, 1, 2, 1, 2, 2],
            "tied": [False] * 8,
            "total_score": [95.0, 90, 96, 97, 90, 95, 92, 93],
            "n_ranked": [2] * 8,
        },
        schema_overrides={"rank": pl.Int32},
    )


def crossing_lines(fig: go.Figure) -> list[str]:
    """Names of line traces that join a year before the merger with one after it."""
    bad = []
    for t in fig.data:
        if t.type == "scatter" and "lines" in (t.mode or ""):
            xs = [x for x in (t.x or ()) if x is not None]
            if xs and min(xs) < fmt.MERGER_YEAR <= max(xs):
                bad.append(t.name)
    return bad


def merger_marked(fig: go.Figure) -> bool:
    lines = [
        s for s in fig.layout.shapes if s.type == "line" and s.line.dash == "dash" and s.x0 == s.x1
    ]
    labels = [a.text for a in fig.layout.annotations]
    return bool(lines) and style.MERGER_LABEL in labels


def test_rank_history_breaks_at_merger_and_reverses_axis() -> None:
    fig = draw(ranking.rank_history(history_frame(), C))
    check_common(fig, "Thứ hạng qua các năm")
    assert merger_marked(fig)
    assert fig.layout.shapes[0].x0 == pytest.approx(2024.5)
    assert crossing_lines(fig) == []
    assert fig.layout.yaxis.range[0] > fig.layout.yaxis.range[1]  # rank 1 on top
    assert sum(1 for t in fig.data if t.showlegend is not False) == 2  # one legend entry per unit


def test_rank_history_one_side_has_no_break() -> None:
    fig = draw(ranking.rank_history(history_frame().filter(pl.col("year") >= 2025), C))
    assert not merger_marked(fig)


def test_score_history_marks_merger() -> None:
    frame = (
        history_frame()
        .filter(pl.col("unit") == "A")
        .with_columns(
            pl.lit(C).alias("cluster"),
            (pl.col("rank") == 1).alias("is_leading"),
        )
    )
    fig = draw(units.score_history(frame, "A"))
    check_common(fig, "Tổng điểm thi đua qua các năm – A")
    assert fig.data[0].type == "bar"
    assert merger_marked(fig)
    assert style.LEAD in list(fig.data[0].marker.color)


def test_leading_units_bar() -> None:
    frame = pl.DataFrame(
        {
            "cluster": [C, "Khối thi đua số 2"],
            "units": ["A", "X / Y"],
            "n_leading": [1, 2],
            "total_score": [96.5, 94.0],
            "max_score": [100.0, 100.0],
            "score_pct": [96.5, 94.0],
            "voted": [False, False],
            "classification": ["Hoàn thành xuất sắc nhiệm vụ"] * 2,
            "source": ["a.xlsx · S · ô H7", "b.xlsx · S · ô H7"],
        }
    )
    fig = draw(ranking.leading_units_bar(frame, 2026))
    check_common(fig, "Đơn vị dẫn đầu từng cụm, khối thi đua năm 2026")
    assert fig.data[0].type == "bar"
    assert any("X / Y (đồng hạng)" in t for t in fig.data[0].text)
    assert "96,5" in fig.data[0].text[0]  # decimal comma in the labels
    assert "a.xlsx · S · ô H7" in hover_texts(fig)


def targets_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "cluster": [C] * 4,
            "unit": ["A", "A", "B", "B"],
            "target": ["Giải ngân", "Văn bản", "Hồ sơ trễ hạn", "Chuyển đổi số"],
            "uom": ["%", "văn bản", "%", "ứng dụng"],
            "direction": ["higher", "higher", "lower", "higher"],
            "planned": [95.0, 120.0, 2.0, 5.0],
            "actual": [97.0, 100.0, 1.5, None],
            "planned_text": [None] * 4,
            "actual_text": [None] * 4,
            "completion_pct": [102.1, 83.3, 133.3, None],
            "met": [True, False, True, None],
            "source_file": ["ct.xlsx"] * 4,
            "source_sheet": ["Chỉ tiêu"] * 4,
            "source_row": [9, 10, 11, 12],
        }
    )


def test_completion_charts() -> None:
    groups = pl.DataFrame(
        {
            "label": ["A", "B", "A", "B"],
            "period": ["year", "year", "H1", "H1"],
            "n_targets": [4, 4, 4, 4],
            "n_met": [2, 1, 1, 0],
            "n_not_met": [1, 2, 2, 3],
            "n_pending": [1, 1, 1, 1],
            "pct_met": [66.7, 33.3, 33.3, 0.0],
            "avg_completion": [100.0, 90.0, 60.0, 50.0],
        }
    )
    fig = draw(targets.completion_bars(groups, 2026, by_unit=True))
    check_common(fig, "Tỷ lệ chỉ tiêu đạt theo đơn vị – năm 2026")
    assert [t.name for t in fig.data] == ["Cả năm", "6 tháng đầu năm"]
    assert fig.layout.barmode == "group"

    hist = draw(targets.completion_histogram(targets_frame(), 2026))
    check_common(hist, "Phân bố mức hoàn thành chỉ tiêu")
    assert {t.type for t in hist.data} == {"histogram"}
    assert any(a.text == "100% kế hoạch" for a in hist.layout.annotations)

    pva = draw(targets.planned_vs_actual(targets_frame(), 2026))
    check_common(pva, "Kế hoạch và thực hiện")
    assert pva.layout.xaxis.type == "log"
    assert "ct.xlsx · Chỉ tiêu · dòng 9" in hover_texts(pva)

    bars = draw(units.target_bars(targets_frame().filter(pl.col("unit") == "A"), "A", 2026, "year"))
    check_common(bars, "Mức hoàn thành chỉ tiêu – A, cả năm 2026")
    assert {t.name for t in bars.data} == {"Đạt", "Chưa đạt"}


def indicator_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator_key": ["grdp_growth"] * 5,
            "indicator": ["Tốc độ tăng trưởng GRDP"] * 5,
            "uom": ["%"] * 5,
            "year": [2021, 2022, 2023, 2024, 2025],
            "value": [3.04, 12.09, 5.63, 7.4, 8.2],
            "value_kind": ["actual", "actual", "actual", "actual", "estimate"],
            "target_text": ["7 - 8"] * 5,
            "target_low": [7.0] * 5,
            "target_high": [8.0] * 5,
            "target_direction": ["band"] * 5,
            "horizon": ["2021-2025"] * 5,
            "status": ["chưa đạt", "vượt", "chưa đạt", "đạt", "vượt"],
            "change": [None, 9.05, -6.46, 1.77, 0.8],
            "basis": [None] * 5,
            "basis_break": [False] * 5,
            "source": ["VietnamPlus", "Dân Việt, 29/12/2022", "Nhân Dân", "UBND", "UBND (ước)"],
            "source_file": ["ktxh.xlsx"] * 5,
            "source_sheet": ["KTXH"] * 5,
            "source_cell": ["E5", "E6", "E7", "E8", "E9"],
        }
    )


def test_indicator_chart_band_estimates_sources_and_merger() -> None:
    fig = draw(indicators.indicator_model(indicator_frame()))
    check_common(fig, "Tốc độ tăng trưởng GRDP (%)")
    assert "7 - 8" in fig.layout.title.subtitle.text
    bands = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(bands) == 1 and (bands[0].y0, bands[0].y1) == (7.0, 8.0)
    markers = [t for t in fig.data if t.mode == "markers+text"]
    estimate = next(t for t in markers if t.name == "Ước tính / kế hoạch")
    assert estimate.marker.symbol == "circle-open" and list(estimate.x) == [2025]
    actual = next(t for t in markers if t.name == "Thực hiện")
    assert actual.marker.symbol == "circle"
    colors = dict(zip(actual.x, actual.marker.color, strict=True))
    assert colors[2022] == style.STATUS_COLORS["vượt"]
    assert colors[2021] == style.STATUS_COLORS["chưa đạt"]
    assert merger_marked(fig)
    assert crossing_lines(fig) == []
    assert "Dân Việt, 29/12/2022 (ktxh.xlsx · KTXH · ô E6)" in hover_texts(fig)


def test_indicator_chart_long_source_fits_the_hover() -> None:
    """A long source is broken into lines on hover (one line is cut off by a half-width chart)."""
    source = (
        "2021: VietnamPlus, bài tổng hợp của tỉnh; 2022: Dân Việt, 29/12/2022; 2023: Nhân Dân, "
        "báo cáo cuối năm; 2024: Người Quan Sát, đầu năm 2025"
    )
    fig = draw(indicators.indicator_model(indicator_frame().with_columns(source=pl.lit(source))))
    shown = {h for t in fig.data if t.customdata is not None for h in t.customdata}
    assert shown
    for text in shown:
        lines = re.sub(r"<[^>]+>", "\n", text.split("Nguồn: ", 1)[1]).split("\n")
        lines = [line for line in lines if line]
        assert len(lines) > 1 and all(len(line) <= indicators.HOVER_WIDTH for line in lines)
        assert " ".join(lines).startswith(source + " (ktxh.xlsx · KTXH · ô E")


def poverty_frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "indicator_key": ["poor_household_rate"] * 4,
            "indicator": ["Tỷ lệ hộ nghèo đa chiều"] * 4,
            "uom": ["%"] * 4,
            "year": [2020, 2021, 2022, 2023],
            "value": [3.5, 2.87, 1.94, 1.09],
            "value_kind": ["actual"] * 4,
            "target_text": ["giảm 1 - 1,5"] * 4,
            "target_low": [1.0] * 4,
            "target_high": [1.5] * 4,
            "target_direction": ["decrease"] * 4,
            "horizon": ["2021-2025"] * 4,
            "status": [None, None, "chưa đạt", "chưa đạt"],
            "change": [None, -0.63, -0.93, -0.85],
            "basis": [
                "chuẩn 2016 - 2020",
                "chuẩn nghèo 2022 - 2025",
                "chuẩn nghèo 2022 - 2025",
                "chuẩn nghèo 2022 - 2025",
            ],
            "basis_break": [False, True, False, False],
            "source": ["Báo Lâm Đồng"] * 4,
        }
    )


def test_indicator_chart_decrease_and_basis_break() -> None:
    fig = draw(indicators.indicator_model(poverty_frame()))
    check_common(fig, "Tỷ lệ hộ nghèo đa chiều: mức giảm hằng năm")
    bars = [t for t in fig.data if t.type == "bar"]
    assert bars
    xs = [x for t in bars for x in t.x]
    assert 2021 not in xs  # the fall across the change of poverty standard is not comparable
    assert sorted(xs) == [2022, 2023]
    assert [round(y, 2) for t in bars for y in t.y] == [0.93, 0.85]
    assert any("Đổi chuẩn nghèo" in (a.text or "") for a in fig.layout.annotations)
    assert any(s.type == "rect" and (s.y0, s.y1) == (1.0, 1.5) for s in fig.layout.shapes)


def structure_frame() -> pl.DataFrame:
    rows = []
    for key, v24, v25, lo, hi in (
        ("share_agri", 43.8, 36.0, 35, 36.5),
        ("share_industry", 18.0, 22.5, 22, 23.5),
        ("share_services", 38.2, 41.5, 42, 43.5),
    ):
        for year, value, kind in ((2024, v24, "actual"), (2025, v25, "estimate")):
            rows.append(
                {
                    "indicator_key": key,
                    "year": year,
                    "value": value,
                    "value_kind": kind,
                    "target_low": float(lo),
                    "target_high": float(hi),
                    "horizon": "2025",
                    "source": "CafeF",
                }
            )
    return pl.DataFrame(rows)


def test_economic_structure_stacks_and_targets() -> None:
    fig = draw(indicators.economic_structure(structure_frame()))
    check_common(fig, "Cơ cấu kinh tế")
    assert fig.layout.barmode == "stack"
    assert {t.type for t in fig.data} == {"bar"}
    xs = {x for t in fig.data for x in t.x}
    assert {"2024", "2025 (ước)", "Mục tiêu 2025"} <= xs
    assert any("35–36,5%" in (t.text[0] if t.text else "") for t in fig.data)
    assert merger_marked(fig)


@pytest.mark.parametrize(
    "build",
    [
        lambda: draw(indicators.indicator_model(indicator_frame())),
        lambda: draw(
            indicators.indicator_model(indicator_frame().with_columns(target_text=pl.lit(None)))
        ),
        lambda: draw(indicators.indicator_model(poverty_frame())),
        lambda: draw(indicators.indicator_model(poverty_frame().head(1))),  # no fall to draw
        lambda: draw(indicators.economic_structure(structure_frame())),
    ],
    ids=["band", "no_target", "decrease", "decrease_one_year", "structure"],
)
def test_drafted_charts_are_what_plotly_validation_gives(build) -> None:
    """The KT-XH charts are drafted as plain dicts and skip plotly's validation (plotly.Draft):
    plotly, validating the same properties, raises on none and changes nothing."""
    fig = build()
    validated = go.Figure(fig.to_dict())  # ValueError on a misspelt or ill-typed property
    assert json.loads(validated.to_json()) == json.loads(fig.to_json())


def test_draft_rejected_properties_raise() -> None:
    draft = plotly.Draft()
    draft.add_scatter(x=[1], y=[2], marker={"colour": "red"})
    with pytest.raises(ValueError, match="colour"):
        go.Figure(draft.figure().to_dict())


@pytest.mark.parametrize(
    "builder,args",
    [
        (drawn(ranking.ranking_model), (C, 2026)),
        (drawn(ranking.self_vs_assessed), (C, 2026)),
        (drawn(ranking.rank_history), (C,)),
        (drawn(indicators.indicator_model), ()),
    ],
)
def test_empty_frames_give_a_message(builder, args) -> None:
    empty = pl.DataFrame(
        schema={
            "unit": pl.String,
            "rank": pl.Int32,
            "tied": pl.Boolean,
            "is_leading": pl.Boolean,
            "total_score": pl.Float64,
            "self_score": pl.Float64,
            "assessed_score": pl.Float64,
            "year": pl.Int32,
        }
    )
    fig = builder(empty, *args)
    assert fig.layout.separators == ",."
    assert fig.layout.annotations and "Chưa có" in fig.layout.annotations[0].text


@pytest.mark.parametrize(
    "value,decimals,trim,expected",
    [
        (12489.4, 1, False, "12.489,4"),
        (1234567.891, 2, False, "1.234.567,89"),
        (92.5, 2, True, "92,5"),
        (95.0, 2, True, "95"),
        (-3.5, 1, False, "-3,5"),
        (-0.04, 1, False, "0,0"),
        (0.0, 0, False, "0"),
        (None, 1, False, "–"),
    ],
)
def test_vn_number_and_its_vectorised_twin(value, decimals, trim, expected) -> None:
    assert vn_number(value, decimals, trim=trim) == expected
    frame = pl.DataFrame({"x": [value]}, schema={"x": pl.Float64})
    assert frame.select(vn_number_expr(pl.col("x"), decimals, trim=trim)).item() == expected


def test_text_helpers() -> None:
    assert year_ranges([2021, 2022, 2023, 2025]) == "2021–2023, 2025"
    sentence = leading_sentence(ranking_frame(), C, 2026)
    assert "**A** dẫn đầu" in sentence and "B và C đồng hạng 2" in sentence
    frame = indicator_frame()
    assert "2022: Dân Việt, 29/12/2022 (ktxh.xlsx · KTXH · ô E6)" in source_footnote(frame)
    badges = status_badges(frame)
    assert ":blue-badge[2022: vượt]" in badges and ":red-badge[2021: chưa đạt]" in badges
    assert "2025 (ước): vượt" in badges
