"""One figure, one truth: every chart of the PowerPoint pack carries the values, the labels (with
their decimals) and the breaks of the chart the dashboard page draws from the same query.

The PowerPoint side is read from the chart XML itself (what PowerPoint shows and "Sửa dữ liệu"
edits); the page side is the plotly figure the page draws (ranking_model, indicator_model
drawn by plotly.draw).
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from pathlib import Path

import openpyxl
import plotly.graph_objects as go
import polars as pl
import pytest
from pptx import Presentation

from dashboard import format as fmt
from dashboard.export import pack
from dashboard.figures import indicators
from dashboard.figures import ranking as ranking_charts
from dashboard.figures.indicator_groups import present_groups
from dashboard.figures.plotly import draw
from dashboard.queries import run
from etl import db

YEAR = 2026


C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def deck(demo_db: Path):
    data = pack.pack_bytes(pack.build_pack(db.cursor(demo_db), YEAR), "pptx")
    return Presentation(io.BytesIO(data))


def slide_charts(deck) -> list[tuple[str, object]]:
    out = []
    for slide in deck.slides:
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        out += [(texts[0], s.chart) for s in slide.shapes if s.has_chart]
    return out


def pptx_points(chart) -> dict[str, list[tuple[str, float, str]]]:
    """Series name -> (category, value, label text) of each point with a value, from the XML."""
    space = chart._chartSpace
    out: dict[str, list[tuple[str, float, str]]] = defaultdict(list)
    for ser in space.iter(f"{C}ser"):
        name = "".join(t.text for t in ser.find(f"{C}tx").iter(f"{C}v"))
        cats = {
            int(pt.get("idx")): pt.find(f"{C}v").text for pt in ser.find(f"{C}cat").iter(f"{C}pt")
        }
        values = {
            int(pt.get("idx")): float(pt.find(f"{C}v").text)
            for pt in ser.find(f"{C}val").iter(f"{C}pt")
        }
        labels = {
            int(lbl.find(f"{C}idx").get("val")): "".join(t.text or "" for t in lbl.iter(f"{A}t"))
            for lbl in ser.iter(f"{C}dLbl")
        }
        for i in sorted(values):
            out[name].append((cats[i], values[i], labels.get(i, "")))
    return out


def page_points(fig: go.Figure, categories: dict[float, str] | None = None) -> dict:
    """Series name -> (category, value, label) of each labelled mark the page draws."""
    out: dict[str, list[tuple[str, float, str]]] = defaultdict(list)
    for t in fig.data:
        if t.text is None or (t.type == "scatter" and "text" not in (t.mode or "")):
            continue
        horizontal = t.orientation == "h"
        xs, ys = (t.y, t.x) if horizontal else (t.x, t.y)
        for x, y, text in zip(xs, ys, t.text, strict=True):
            category = categories[x] if categories else x
            out[t.name].append((plain(category), y, plain(text)))
    return {name: sorted(points) for name, points in out.items()}


def plain(text: object) -> str:
    """Plotly text back to what a reader sees: line breaks as "\\n", entities decoded."""
    s = re.sub(r"<br>", "\n", str(text))
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def pptx_by_name(chart) -> dict[str, list[tuple[str, float, str]]]:
    """The measured series of a pptx chart (target lines aside), points sorted."""
    return {
        name: sorted((c, v, lbl) for c, v, lbl in points if lbl)
        for name, points in pptx_points(chart).items()
        if not name.startswith("Mục tiêu")
    }


def test_every_pack_chart_is_a_page_chart_with_its_values_labels_and_breaks(deck, demo_db) -> None:
    cur = db.cursor(demo_db)
    found = slide_charts(deck)
    assert found
    ind = run(cur, "indicators", {}).filter(pl.col("year") <= YEAR)
    by_title = {}
    for key, frame in ind.sort("year").partition_by("indicator_key", as_dict=True).items():
        by_title[indicators.indicator_model(frame).title] = (key[0], frame)
    clusters = pack.available_clusters(cur, YEAR)
    checked = 0
    for slide_title, chart in found:
        title = chart.chart_title.text_frame.paragraphs[0].text
        if slide_title.startswith("Xếp hạng"):
            cluster = next(c for c in clusters if slide_title.startswith(f"Xếp hạng {c} –"))
            fig = draw(
                ranking_charts.ranking_model(
                    run(cur, "ranking", {"year": YEAR, "cluster": cluster}), cluster, YEAR
                )
            )
            assert pptx_by_name(chart) == page_points(fig), slide_title
            checked += 1
        elif title in by_title:
            key, frame = by_title[title]
            fig = draw(indicators.indicator_model(frame))
            ticks = dict(zip(fig.layout.xaxis.tickvals, fig.layout.xaxis.ticktext, strict=True))
            assert pptx_by_name(chart) == page_points(fig, ticks), key
            # The target lines are the page's band.
            model = indicators.indicator_model(frame)
            lines = {n: v for n, v, _ in model.target.lines()} if model.target else {}
            pptx_lines = {
                n: {v for _, v, _ in pts}
                for n, pts in pptx_points(chart).items()
                if n.startswith("Mục tiêu")
            }
            assert pptx_lines == {n: {v} for n, v in lines.items()}, key
            assert_breaks(chart, fig, frame)
            checked += 1
    n_indicator_charts = sum(
        len(keys) for _, keys in present_groups(ind["indicator_key"].to_list()).values()
    )
    n_rankings = sum(1 for t, _ in found if t.startswith("Xếp hạng"))
    assert checked == n_indicator_charts + n_rankings


def assert_breaks(chart, fig: go.Figure, frame: pl.DataFrame) -> None:
    """The page marks a break (the merger, a change of basis) where the series starts anew, and
    no pptx line joins a year before such a break to one after it."""
    starts, _ = indicators._breaks(frame.sort("year"))
    page_breaks = sorted(
        s.x0 + 0.5 for s in fig.layout.shapes if s.type == "line" and s.x0 == s.x1 and s.x0 % 1
    )
    assert page_breaks == sorted(float(b) for b in starts)
    if "LINE" not in str(chart.chart_type):  # bars (the yearly fall) are never joined
        return
    for name, points in pptx_points(chart).items():
        if name.startswith("Mục tiêu"):
            continue
        shown = [int(c[:4]) for c, _, _ in points]
        for b in starts:
            assert not (min(shown) < b <= max(shown)), (name, shown, b)


def test_merged_province_series_are_not_joined_in_the_pack(deck, demo_db) -> None:
    """The finding: the pack joined 2024 to 2025 across the merger. Growth has both years."""
    cur = db.cursor(demo_db)
    growth = run(cur, "indicators", {}).filter(pl.col("indicator_key") == "grdp_growth")
    years = growth["year"]
    assert years.min() < fmt.MERGER_YEAR <= years.max()
    title = indicators.indicator_model(growth).title
    chart = next(
        c for _, c in slide_charts(deck) if c.chart_title.text_frame.paragraphs[0].text == title
    )
    actual = [pts for n, pts in pptx_points(chart).items() if n == "Thực hiện"]
    spans = [[int(c[:4]) for c, _, _ in pts] for pts in actual]
    assert all(max(s) < fmt.MERGER_YEAR or min(s) >= fmt.MERGER_YEAR for s in spans)


def test_labels_keep_the_page_decimals() -> None:
    """12,09 stays 12,09 on the slide (the pack rounded it to 12,1)."""
    frame = pl.DataFrame(
        {
            "indicator_key": ["grdp_growth"] * 2,
            "indicator": ["Tốc độ tăng trưởng GRDP"] * 2,
            "uom": ["%"] * 2,
            "year": [2022, 2023],
            "value": [12.09, 5.6],
            "value_kind": ["actual"] * 2,
            "target_text": ["7 - 8"] * 2,
            "target_low": [7.0] * 2,
            "target_high": [8.0] * 2,
            "target_direction": ["band"] * 2,
            "horizon": ["2021-2025"] * 2,
            "status": ["vượt", "chưa đạt"],
            "source": ["Cục Thống kê"] * 2,
        }
    )
    slide = pack.Slide(title="x", charts=[indicators.indicator_model(frame)], footnote="y")
    deck = Presentation(io.BytesIO(pack.pack_bytes(pack.Pack(2023, [], [slide]), "pptx")))
    (chart,) = [s.chart for s in deck.slides[0].shapes if s.has_chart]
    assert pptx_by_name(chart)["Thực hiện"] == [("2022", 12.09, "12,09"), ("2023", 5.6, "5,6")]


def test_poverty_slide_draws_the_target_lines_it_promises(deck) -> None:
    slide = next(s for s in deck.slides if s.shapes[0].text_frame.text.startswith("Giảm nghèo"))
    subtitle = slide.shapes[1].text_frame.text
    assert "màu xanh: mục tiêu" in subtitle
    for chart in (s.chart for s in slide.shapes if s.has_chart):
        xml = chart._chartSpace.xml
        targets = [n for n in pptx_points(chart) if n.startswith("Mục tiêu")]
        assert targets, chart.chart_title.text_frame.text
        assert 'prstDash val="dash"' in xml


def test_cover_counts_every_slide(deck) -> None:
    body = deck.slides[0].shapes[2].text_frame.text
    assert f"Gồm {len(deck.slides)} trang" in body


def test_embedded_chart_workbooks_hold_no_formula(fixture_db, tmp_path) -> None:
    """A unit named =HYPERLINK(…) is text in the workbook behind the chart ("Sửa dữ liệu")."""
    import shutil

    path = tmp_path / "t.duckdb"
    shutil.copy(fixture_db, path)
    evil = '=HYPERLINK("http://example.com/x","bấm")'
    con = db.connect(path)
    con.execute("UPDATE unit_results SET unit = ? WHERE unit = 'Sở Y tế'", [evil])
    con.execute("UPDATE members SET unit = ? WHERE unit = 'Sở Y tế'", [evil])
    db.close(path)
    cur = db.cursor(path)
    data = pack.pack_bytes(pack.build_pack(cur, YEAR), "pptx")
    deck = Presentation(io.BytesIO(data))
    seen = 0
    for _, chart in slide_charts(deck):
        wb = openpyxl.load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (cell.coordinate, cell.value)
                    seen += cell.value == evil
    assert seen
