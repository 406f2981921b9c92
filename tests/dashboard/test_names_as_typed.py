"""Text from a workbook is shown as typed everywhere (issue 9, item 6): unit names that look like
Markdown, LaTeX, links or HTML are loaded from a real kind-B workbook, then every page and chart
(figure JSON, the chart download and the pack) must show them literally."""

from __future__ import annotations

import io
import json
from pathlib import Path

import polars as pl
import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from dashboard.export import pack
from dashboard.figures import ranking as ranking_charts
from dashboard.figures import units
from dashboard.figures.plotly import draw
from dashboard.format import md_text
from dashboard.queries import run as query
from etl import db
from etl.load import load_file
from tests.etl.builders import CLUSTER, Book

from .test_pages import APP

NAMES = [
    ":red[**C**]",
    "**đậm**",
    "$$\\LaTeX$$",
    "[x](http://vi.du/)",
    '<a href="http://vi.du/">Sở A</a>',
    "<b>B</b><br>C",
]
YEAR = 2026


@pytest.fixture(scope="module")
def named_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("names") / "t.duckdb"
    book = Book()
    book.kind_b(
        [
            (i + 1, name, f"{97 - i}", f"{95 - i},5", None, None, f"{95 - i},5", None, None)
            for i, name in enumerate(NAMES)
        ]
    )
    report = load_file(db.connect(path), book.save(path.parent / "b.xlsx"))
    assert report.status == "loaded", [i.human() for i in report.errors]
    loaded = {r[0] for r in db.cursor(path).sql("SELECT unit FROM v_unit_scores").fetchall()}
    assert loaded == set(NAMES)
    yield path
    db.close(path)


def page(path: Path, name: str, query_params: dict[str, str]) -> AppTest:
    import os

    os.environ["THIDUA_DB"] = str(path)
    try:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params.update(query_params)
        at.run()
        if name != "tong_quan":
            at.switch_page(f"app_pages/{name}.py").run()
    finally:
        del os.environ["THIDUA_DB"]
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_values(at: AppTest) -> list[str]:
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "success", "warning")
    return [str(e.value) for kind in kinds for e in getattr(at, kind)]


def assert_markdown_plain(values: list[str]) -> None:
    """Every name appears only in its escaped form: Streamlit draws it as typed."""
    joined = "\n".join(values)
    for name in NAMES:
        plain = joined.replace(md_text(name), "")
        assert name not in plain, (name, [v for v in values if name in v])


def assert_figure_plain(spec: dict) -> None:
    """No name reaches plotly unescaped: plotly would draw the link, the bold, the break."""
    text = json.dumps(spec, ensure_ascii=False)
    for raw in ('<a href="http://vi.du/">', "<b>B</b>", "B</b><br>C"):
        assert raw not in text
    assert "&lt;a" in text or "&lt;b&gt;B" in text


@pytest.mark.parametrize(
    "name",
    ["tong_quan", "xep_hang", "don_vi", "chi_tieu", "tien_do", "khen_thuong", "lich_thi_dua"],
)
def test_pages_show_names_as_typed(named_db: Path, name: str) -> None:
    for unit in NAMES if name == "don_vi" else [None]:
        params = {"nam": str(YEAR), "cum": CLUSTER}
        if unit is not None:
            params["don_vi"] = unit
        at = page(named_db, name, params)
        assert_markdown_plain(markdown_values(at))
        for chart in at.get("plotly_chart"):
            spec = json.loads(chart.proto.spec)
            if any(n in json.dumps(spec, ensure_ascii=False) for n in ("Sở A", "B&lt;")):
                assert_figure_plain(spec)
        if unit is not None:  # the page is titled by the unit, as typed
            assert at.title[0].value == md_text(unit)


def test_ranking_chart_and_its_download_show_names_as_typed(named_db: Path) -> None:
    ranking = query(db.cursor(named_db), "ranking", {"year": YEAR, "cluster": CLUSTER})
    fig = draw(ranking_charts.ranking_model(ranking, CLUSTER, YEAR))
    spec = fig.to_plotly_json()
    assert_figure_plain(spec)
    ticks = [t for trace in spec["data"] for t in trace["y"]]
    assert any(t.startswith("&lt;a href=") for t in ticks)  # the tick reads as typed
    leading = ranking.filter(pl.col("unit") == NAMES[5]).select(
        pl.col("unit").alias("units"),
        pl.lit(CLUSTER).alias("cluster"),
        pl.lit(1).alias("n_leading"),
        "total_score",
        "max_score",
        "score_pct",
        pl.lit(False).alias("voted"),
        "classification",
        pl.lit("b.xlsx").alias("source"),
    )
    for other in (
        draw(ranking_charts.self_vs_assessed(ranking, CLUSTER, YEAR)),
        draw(ranking_charts.leading_units_bar(leading, YEAR)),
        draw(
            units.score_history(
                ranking.with_columns(pl.lit(YEAR).alias("year"), pl.lit(CLUSTER).alias("cluster")),
                NAMES[4],
            )
        ),
    ):
        assert_figure_plain(other.to_plotly_json())


def test_pack_writes_names_as_typed(named_db: Path) -> None:
    built = pack.build_pack(db.cursor(named_db), YEAR)
    deck = Presentation(io.BytesIO(pack.pack_bytes(built, "pptx")))
    categories = [
        str(c)
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_chart
        for c in shape.chart.plots[0].categories
    ]
    for name in NAMES:
        assert any(name in c.replace("\n", " ") or c in name for c in categories), name
    # The PDF pack draws each slide as a plotly page: names there are escaped too.
    from dashboard.export import pdf_pack

    pages = [pdf_pack.page(slide).to_plotly_json() for slide in built.slides]
    for spec in pages:
        text = json.dumps(spec, ensure_ascii=False)
        assert '<a href="http://vi.du/">' not in text and "<b>B</b>" not in text
    assert any("&lt;b&gt;B&lt;/b&gt;" in json.dumps(p, ensure_ascii=False) for p in pages)


def test_wrapped_tables_show_cells_as_typed() -> None:
    """ui.text_table (upload messages, target texts) reads Markdown in its cells: a target
    result typed "-" must not become a bullet, "**đậm**" not bold."""

    def app() -> None:
        import polars as pl

        from dashboard import ui

        ui.text_table(pl.DataFrame({"Thực hiện": ["-", "**đậm**", "1. Sở", "Hoàn thành"]}))

    at = AppTest.from_function(app).run()
    assert not at.exception
    cells = list(at.table[0].value["Thực hiện"])
    assert cells == [md_text("-"), md_text("**đậm**"), md_text("1. Sở"), "Hoàn thành"]
    assert cells[0] == "\\-" and cells[2] == "1\\. Sở"


LONG_NAMES = [
    "Ban Xây dựng Đảng Đảng ủy phường Xuân Trường - Đà Lạt",
    "Ban Xây dựng Đảng Đảng ủy phường Lang Biang - Đà Lạt",
    "Phòng Tổ chức - Cán bộ, Công an tỉnh",
    "Ban Xây dựng Đảng Đảng ủy các cơ quan Đảng tỉnh và các đoàn thể chính trị - xã hội tỉnh",
]


def test_the_editable_charts_data_holds_the_names_as_typed(tmp_path: Path) -> None:
    """Issue 17: the unit names in a pack chart's own workbook (what "Edit Data" opens in
    PowerPoint) and in its category cache are the names as typed, whole; breaking a long name
    into lines is only for the drawn label, which PowerPoint wraps itself."""
    import openpyxl

    path = tmp_path / "t.duckdb"
    book = Book()
    book.kind_b(
        [
            (i + 1, name, f"{97 - i}", f"{95 - i},5", None, None, f"{95 - i},5", None, None)
            for i, name in enumerate(LONG_NAMES)
        ]
    )
    report = load_file(db.connect(path), book.save(tmp_path / "b.xlsx"))
    assert report.status == "loaded", [i.human() for i in report.errors]
    try:
        built = pack.build_pack(db.cursor(path), YEAR)
        deck = Presentation(io.BytesIO(pack.pack_bytes(built, "pptx")))
    finally:
        db.close(path)
    seen: list[str] = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if not shape.has_chart:
                continue
            blob = shape.chart.part.chart_workbook.xlsx_part.blob
            ws = openpyxl.load_workbook(io.BytesIO(blob)).worksheets[0]
            data = [str(c.value) for c in ws["A"][1:] if c.value is not None]
            units = [d for d in data if d.replace("\n", " ").startswith(("Ban ", "Phòng "))]
            if units:
                assert units == data
                assert [str(c) for c in shape.chart.plots[0].categories] == data
            seen += units
    assert set(seen) == set(LONG_NAMES), seen
