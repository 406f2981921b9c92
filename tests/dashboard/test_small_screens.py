"""small_screens.fit: what a chart changes so it reads 390 px wide (the browser test checks the
drawn result; these check the rules on figures the pages draw)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from dashboard.figures import plotly, ranking, small_screens
from dashboard.figures.plotly import draw


def _lines(text: str) -> list[str]:
    return text.split("<br>")


def test_long_title_is_broken_into_lines_that_fit_and_keeps_every_word() -> None:
    title = "Mức hoàn thành chỉ tiêu – Ban Tổ chức Đảng ủy Công an tỉnh, cả năm 2026"
    fig = go.Figure(layout={"title": {"text": title}, "margin": {"t": 60}, "height": 400})
    small_screens.fit(fig)
    lines = _lines(fig.layout.title.text)
    assert len(lines) > 1
    assert all(len(line) <= small_screens.TITLE_CHARS for line in lines)
    assert " ".join(lines).split() == title.split()
    added = len(lines) - 1
    assert fig.layout.margin.t == 60 + small_screens.LINE_PX * added
    assert fig.layout.height == 400 + small_screens.LINE_PX * added


def test_an_earlier_break_is_reflowed_not_kept() -> None:
    text = "Tổng điểm thi đua qua các năm – Ban Tổ chức Đảng ủy Công<br>an tỉnh"
    wrapped = small_screens.wrap_lines(text, 36)
    assert _lines(wrapped) == [
        "Tổng điểm thi đua qua các năm – Ban",
        "Tổ chức Đảng ủy Công an tỉnh",
    ]


def test_short_or_marked_up_text_is_left_alone() -> None:
    assert small_screens.wrap_lines("Xếp hạng năm 2026", 36) == "Xếp hạng năm 2026"
    source = "Một phụ đề khá dài<br><span style='font-size:11px'>Nguồn: tệp · sheet · ô A1</span>"
    assert small_screens.wrap_lines(source, 10) == source


def test_names_beside_bars_get_short_lines_but_bars_keep_their_categories() -> None:
    names = [
        "Tỷ lệ tổ chức cơ sở đảng được kiểm điểm, đánh giá, xếp loại chất lượng hằng năm",
        "Lạc Dương",
    ]
    fig = go.Figure(go.Bar(y=names, x=[90, 80], orientation="h"))
    small_screens.fit(fig)
    assert list(fig.data[0].y) == names
    assert list(fig.layout.yaxis.tickvals) == names
    long, short = fig.layout.yaxis.ticktext
    assert short == "Lạc Dương"
    assert len(_lines(long)) == small_screens.LABEL_LINES
    assert all(len(line) <= small_screens.LABEL_CHARS for line in _lines(long))
    assert long.endswith("…")


def test_bar_labels_go_inside_when_they_can_but_an_empty_bar_keeps_its_label_after_it() -> None:
    fig = go.Figure()
    fig.add_bar(y=["A", "B"], x=[91.5, 80], orientation="h", text=["91,5", "80"],
                textposition="outside", textfont={"size": 13, "color": "#2E7D32"})  # fmt: skip
    fig.add_bar(y=["C"], x=[0], orientation="h", text=["chưa có kết quả"], textposition="outside")
    small_screens.fit(fig)
    filled, empty = fig.data
    assert filled.textposition == "inside"
    assert filled.insidetextfont.color == "white" and filled.insidetextfont.size == 13
    assert filled.textfont.color == "#2E7D32"  # outside, where it does not fit inside
    assert empty.textposition == "outside"


def test_ranking_bar_fits_a_phone() -> None:
    frame = pl.DataFrame(
        {
            "unit": ["Đơn vị A", "Đơn vị B"],
            "rank": [1, 2],
            "tied": [False, False],
            "is_leading": [True, False],
            "total_score": [91.5, 83.75],
        }
    )
    fig = small_screens.fit(
        draw(ranking.ranking_model(frame, "Cụm thi đua số 1 tỉnh Lâm Đồng", 2026))
    )
    leader, others = fig.data
    assert leader.textposition == "inside"  # its label is long: two lines, in the bar
    first, second = leader.text[0].split("<br>")
    assert first == "91,5 điểm · Hạng 1" and "Dẫn đầu" in second
    assert others.textposition == "inside"
    assert all(len(line) <= small_screens.TITLE_CHARS for line in _lines(fig.layout.title.text))


def test_merger_label_above_the_plot_is_narrowed() -> None:
    fig = go.Figure(go.Scatter(x=[2023, 2024, 2025, 2026], y=[1, 2, 3, 4]))
    fig.update_layout(margin={"t": 90})
    assert plotly.mark_merger(fig, [2023, 2026])
    small_screens.fit(fig)
    (note,) = [a for a in fig.layout.annotations if "Sáp nhập" in a.text]
    assert all(len(line) <= small_screens.NOTE_CHARS for line in _lines(note.text))
    assert fig.layout.margin.t == 90 + small_screens.NOTE_LINE_PX * (len(_lines(note.text)) - 1)
