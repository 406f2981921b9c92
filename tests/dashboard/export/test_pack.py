"""The meeting pack: slides, native chart data and footnotes checked against the database."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Emu

from dashboard.export import pack, render
from etl import db
from tests import programs

ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "tests" / "artifacts"
YEAR = 2026
needs_browser = pytest.mark.skipif(
    render.browser_missing() is not None, reason=f"no Chromium: {render.browser_missing()}"
)


@pytest.fixture(scope="module")
def deck_bytes(demo_db: Path) -> bytes:
    return pack.pack_bytes(pack.build_pack(db.cursor(demo_db), YEAR), "pptx")


@pytest.fixture(scope="module")
def deck(deck_bytes: bytes):
    return Presentation(io.BytesIO(deck_bytes))


def _texts(slide) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def _charts(slide) -> list:
    return [s.chart for s in slide.shapes if s.has_chart]


def _tables(slide) -> list:
    return [s.table for s in slide.shapes if s.has_table]


def _slide(deck, title: str):
    found = [s for s in deck.slides if _texts(s) and _texts(s)[0] == title]
    assert found, f"no slide titled {title!r}: {[_texts(s)[0] for s in deck.slides]}"
    return found[0]


def test_deck_is_16_9_with_a_title_slide_and_a_footnote_on_every_slide(deck, demo_db) -> None:
    assert round(Emu(deck.slide_width).inches / Emu(deck.slide_height).inches, 3) == round(
        16 / 9, 3
    )
    first = _texts(deck.slides[0])
    assert first[0] == f"Báo cáo công tác thi đua năm {YEAR}"
    clusters = (
        db.cursor(demo_db)
        .sql(
            "SELECT DISTINCT cluster FROM v_unit_scores WHERE year = ? ORDER BY cluster",
            params=[YEAR],
        )
        .fetchall()
    )
    assert all(c in first[2] for (c,) in clusters)
    newest = db.cursor(demo_db).sql("SELECT max(loaded_at) FROM v_imports").fetchall()[0][0]
    assert f"Số liệu nạp đến ngày {newest:%d/%m/%Y}" in first[2]
    for slide in list(deck.slides)[1:]:
        footnote = _texts(slide)[-1]
        assert re.search(r"Tệp nguồn: .+\. Số liệu nạp đến ngày \d\d/\d\d/\d{4}\.$", footnote), (
            footnote
        )


def test_each_cluster_ranking_is_a_native_bar_chart_with_the_database_scores(deck, demo_db) -> None:
    cur = db.cursor(demo_db)
    clusters = [
        c
        for (c,) in cur.sql(
            "SELECT DISTINCT cluster FROM v_unit_scores WHERE year = ?", params=[YEAR]
        ).fetchall()
    ]
    assert len(clusters) == 4
    for cluster in clusters:
        slide = _slide(deck, f"Xếp hạng {cluster} – năm {YEAR}")
        (chart,) = _charts(slide)
        assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
        rows = cur.sql(
            "SELECT s.unit, coalesce(m.short_name, s.unit), s.total_score, s.source_file"
            " FROM v_unit_scores s LEFT JOIN v_cluster_members m"
            "   ON m.year = s.year AND m.cluster = s.cluster AND lower(m.unit) = lower(s.unit)"
            " WHERE s.year = ? AND s.cluster = ? ORDER BY s.rank NULLS LAST, s.unit",
            params=[YEAR, cluster],
        ).fetchall()
        # The chart's own (editable) data: categories and values are the view's, in rank order
        # (a unit's name broken into lines as on the page; one series per kind of bar).
        categories = [c.replace("\n", " ") for c in chart.plots[0].categories]
        assert categories == [r[1] for r in rows]
        scores = [
            next((s.values[i] for s in chart.series if s.values[i] is not None), None)
            for i in range(len(rows))
        ]
        assert scores == pytest.approx([r[2] if r[2] is not None else 0 for r in rows])
        (table,) = _tables(slide)
        assert len(table.rows) == len(rows) + 1
        assert [table.cell(i + 1, 1).text.lstrip("★ ") for i in range(len(rows))] == [
            r[0] for r in rows
        ]
        assert rows[0][3] in _texts(slide)[-1]  # the footnote names the source file


def test_target_completion_counts_match_the_database(deck, demo_db) -> None:
    cur = db.cursor(demo_db)
    per_cluster = cur.sql(
        "SELECT cluster, count(*) FILTER (WHERE met), count(*) FILTER (WHERE NOT met),"
        " count(*) FILTER (WHERE met IS NULL) FROM v_target_completion"
        " WHERE year = ? AND period = 'year' GROUP BY cluster ORDER BY cluster",
        params=[YEAR],
    ).fetchall()
    assert per_cluster
    for cluster, met, not_met, pending in per_cluster:
        slide = _slide(deck, f"Chỉ tiêu thi đua {cluster} – cả năm {YEAR}")
        (chart,) = _charts(slide)
        assert chart.chart_type == XL_CHART_TYPE.BAR_STACKED
        sums = {s.name: sum(s.values) for s in chart.series}
        assert sums == {"Đạt": met, "Chưa đạt": not_met, "Chưa có kết quả": pending}


def test_indicators_against_target_bands(deck, demo_db) -> None:
    cur = db.cursor(demo_db)
    growth = cur.sql(
        "SELECT year, value, target_low, target_high FROM v_province_indicators"
        " WHERE indicator_key = 'grdp_growth' AND year <= ? ORDER BY year",
        params=[YEAR],
    ).fetchall()
    slide = _slide(deck, "Tăng trưởng kinh tế – so với mục tiêu")
    chart = next(c for c in _charts(slide) if "GRDP bình quân (" in c.chart_title.text_frame.text)
    assert chart.chart_type in (XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE_MARKERS)
    values = [
        next((s.values[i] for s in chart.series if s.values[i] is not None), None)
        for i in range(len(growth))
        if not all(s.name.startswith("Mục tiêu") for s in chart.series)
    ]
    assert values == pytest.approx([g[1] for g in growth])
    values = {s.name: list(s.values) for s in chart.series}
    assert set(values["Mục tiêu (cận dưới)"]) == {growth[0][2]}
    assert set(values["Mục tiêu (cận trên)"]) == {growth[0][3]}
    summary = [
        table
        for slide in deck.slides
        if _texts(slide)[0].startswith(f"Chỉ tiêu kinh tế – xã hội đến năm {YEAR}")
        for table in _tables(slide)
    ]
    assert len(summary) == 2  # 19 indicators: 10 rows, then the rest on a continuation slide
    statuses = [t.cell(r, 5).text for t in summary for r in range(1, len(t.rows))]
    assert (
        len(statuses)
        == cur.sql(
            "SELECT count(DISTINCT indicator_key) FROM v_province_indicators WHERE year <= ?",
            params=[YEAR],
        ).fetchall()[0][0]
    )
    met = cur.sql(
        "SELECT count(*) FILTER (WHERE status IN ('đạt', 'vượt')) FROM ("
        " SELECT status FROM v_province_indicators WHERE year <= ?"
        " QUALIFY row_number() OVER (PARTITION BY indicator_key ORDER BY year DESC) = 1)",
        params=[YEAR],
    ).fetchall()[0][0]
    assert met > 0
    assert sum(s in ("Đạt", "Vượt") for s in statuses) == met


def test_ties_and_not_ranked_units_are_shown_as_such(fixture_db) -> None:
    from tests.dashboard.conftest import C1, C2, NOT_RANKED_2026_C2, TIED_2026_C1

    built = pack.build_pack(db.cursor(fixture_db), YEAR, [C1, C2])
    c1 = next(s for s in built.slides if s.title == f"Xếp hạng {C1} – năm {YEAR}")
    tied = {row[1]: row[0] for row in c1.table.rows}
    assert all(tied[u] == "2 (đồng hạng)" for u in TIED_2026_C1)
    c2 = next(s for s in built.slides if s.title == f"Xếp hạng {C2} – năm {YEAR}")
    row = next(r for r in c2.table.rows if r[1].endswith(NOT_RANKED_2026_C2))
    assert row[0].startswith("Không xếp hạng")
    # As on the page: the unit is listed with no bar, and its label says why.
    chart = c2.charts[0]
    i = chart.categories.index(NOT_RANKED_2026_C2)
    (series,) = [s for s in chart.series if s.labels[i]]
    assert series.name == "Không xếp hạng" and series.values[i] == 0
    assert series.labels[i].startswith("Không xếp hạng")


def test_unknown_cluster_and_format_are_refused_in_vietnamese(demo_db, tmp_path) -> None:
    cur = db.cursor(demo_db)
    with pytest.raises(ValueError, match="Năm 2026 không có Cụm thi đua số 9"):
        pack.build_pack(cur, YEAR, ["Cụm thi đua số 9"])
    with pytest.raises(ValueError, match=r"chỉ xuất ra \.pptx hoặc \.pdf"):
        pack.write_pack(cur, YEAR, None, tmp_path / "x.docx")
    with pytest.raises(ValueError, match="chưa có số liệu thi đua"):
        pack.build_pack(cur, 1999)


@needs_browser
def test_pdf_has_the_same_slides_with_embedded_vietnamese_fonts(demo_db, deck) -> None:
    from pypdf import PdfReader

    data = pack.pack_bytes(pack.build_pack(db.cursor(demo_db), YEAR), "pdf")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == len(deck.slides)
    for page, slide in zip(reader.pages, deck.slides, strict=True):
        text = page.extract_text().replace("\n", " ")
        assert _texts(slide)[0] in text  # each page opens with its slide's title
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font["/Subtype"] == "/Type3":  # a synthesised bold (★ in bold): drawn glyphs
                assert font["/CharProcs"]
                continue
            assert re.fullmatch(r"/[A-Z]{6}\+NotoSans\w*-\w+", str(font["/BaseFont"]))
            assert "/FontFile2" in font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"bao-cao-thi-dua-{YEAR}.pdf").write_bytes(data)


@pytest.mark.skipif(
    programs.libreoffice_missing("impress") is not None,
    reason=str(programs.libreoffice_missing("impress")),
)
def test_libreoffice_renders_every_slide(deck_bytes, deck, tmp_path) -> None:
    """The slides as LibreOffice draws them, kept as PNGs in tests/artifacts to look at."""
    source = tmp_path / "pack.pptx"
    source.write_bytes(deck_bytes)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "pack.pdf"
    assert pdf.is_file()
    from pypdf import PdfReader

    assert len(PdfReader(pdf).pages) == len(deck.slides)
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTIFACTS.glob("pack_slide-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-r", "80", "-png", str(pdf), str(ARTIFACTS / "pack_slide")],
            check=True,
            timeout=120,
        )
        assert len(list(ARTIFACTS.glob("pack_slide-*.png"))) == len(deck.slides)
