"""Chart images drawn on the server: sharp, not blank, and set in the shipped fonts only."""

from __future__ import annotations

import io
import re
import subprocess

import pytest

from dashboard.export import render
from dashboard.figures import ranking as ranking_charts
from dashboard.figures.plotly import draw
from etl import db

pytestmark = pytest.mark.skipif(
    render.browser_missing() is not None, reason=f"no Chromium: {render.browser_missing()}"
)
VIETNAMESE = "ẮẰẲẴẶắằẳẵặẤẦẨẪẬấầẩẫậĐđÉÈẺẼẸẾỀỂỄỆếềểễệỐỒỔỖỘốồổỗộƠỚỜỞỠỢơớờởỡợƯỨỪỬỮỰưứừửữự"


def _ranking_figure(demo_db):
    cur = db.cursor(demo_db)
    ranking = cur.sql(
        "SELECT unit, rank, rank IS NOT NULL AND count(*) OVER (PARTITION BY rank) > 1 AS tied,"
        " is_leading, voted_leading, self_score, assessed_score, bonus, deduction, total_score,"
        " max_score, score_pct, score_basis, classification, file_rank, not_ranked_reason,"
        " source_file, source_sheet, source_cell, import_id, NULL::VARCHAR AS short_name"
        " FROM v_unit_scores WHERE year = 2026 AND cluster = 'Cụm thi đua số 1'"
    ).pl()
    return draw(ranking_charts.ranking_model(ranking, "Cụm thi đua số 1", 2026))


def test_fontconfig_names_only_the_shipped_fonts() -> None:
    listed = subprocess.run(
        ["fc-list", "--format", "%{file}\n"],
        env={"FONTCONFIG_FILE": str(render.fontconfig_file()), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert listed, "fontconfig sees no font at all"
    assert {p.rsplit("/", 1)[0] for p in listed} == {str(render.FONT_DIR)}


def test_chart_png_is_sharp_and_not_blank(demo_db) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(render.render(_ranking_figure(demo_db), "png"))).convert("RGB")
    assert image.width == render.EXPORT_WIDTH * render.PNG_SCALE  # 3600 px: print quality
    # A drawn ranking has bars, text and gridlines: thousands of distinct shades, not a flat page.
    assert len(image.getcolors(maxcolors=1_000_000) or []) > 300
    # The leading unit's bar (style.LEAD, #C62828) is on it.
    assert any(
        abs(r - 0xC6) < 8 and abs(g - 0x28) < 8 and abs(b - 0x28) < 8
        for _, (r, g, b) in image.getcolors(maxcolors=1_000_000)
    )


def test_chart_svg_and_pdf_use_the_shipped_font_for_vietnamese(tmp_path) -> None:
    import plotly.graph_objects as go
    from pypdf import PdfReader

    fig = go.Figure(go.Bar(x=["Xã Đắk Rồng", "Phường Lâm Viên – Đà Lạt"], y=[3, -1.5]))
    fig.update_layout(title=f"Tỷ lệ hộ nghèo ≥ 90 ★ {VIETNAMESE}")
    svg = render.render(fig, "svg").decode()
    assert "Noto Sans" in svg and "Tỷ lệ hộ nghèo" in svg
    reader = PdfReader(io.BytesIO(render.render(fig, "pdf")))
    fonts = _embedded_fonts(reader)
    assert fonts and all(
        re.fullmatch(r"[A-Z]{6}\+NotoSans(Math|Symbols2)?-(Regular|Bold)", f) for f in fonts
    ), fonts
    text = reader.pages[0].extract_text()
    # Every Vietnamese letter maps back to text: the embedded glyphs cover them all.
    assert VIETNAMESE in text.replace("\n", "")
    assert "−" in text and "≥" in text and "★" in text  # from Noto Sans Math and Symbols 2


def _embedded_fonts(reader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"], font["/BaseFont"]
            names.add(str(font["/BaseFont"]).lstrip("/"))
    return names


def test_render_error_is_vietnamese_when_chromium_is_missing(monkeypatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(render.RenderError, match="Chromium"):
        render._Browser()


def test_pages_print_in_one_document_each_at_its_size() -> None:
    """render.pdf_pages: one printed page per figure, in order, each the size of its figure, the
    document titled; a second document from the same kept-open tab holds only its own pages."""
    import plotly.graph_objects as go
    from pypdf import PdfReader

    sizes = [(1333, 750), (800, 600), (1333, 750)]
    figs = [
        go.Figure(go.Bar(x=["Đà Lạt", "Bảo Lộc"], y=[n, 2]), layout={"width": w, "height": h})
        for n, (w, h) in enumerate(sizes, start=1)
    ]
    for n, fig in enumerate(figs, start=1):
        fig.update_layout(title=f"Trang {n} – Lâm Đồng")
    reader = PdfReader(io.BytesIO(render.pdf_pages(figs, "Bộ tài liệu họp")))
    assert reader.metadata.title == "Bộ tài liệu họp"
    assert len(reader.pages) == len(sizes)
    for n, (page, (w, h)) in enumerate(zip(reader.pages, sizes, strict=True), start=1):
        box = page.mediabox  # CSS pixels are 3/4 of a point
        assert abs(float(box.width) - w * 0.75) < 1 and abs(float(box.height) - h * 0.75) < 1
        assert f"Trang {n} – Lâm Đồng" in page.extract_text()
    again = PdfReader(io.BytesIO(render.pdf_pages(figs[1:2], "Một trang")))
    assert len(again.pages) == 1 and "Trang 2" in again.pages[0].extract_text()


def test_chart_images_are_unchanged_after_a_pack_printed_in_their_tabs() -> None:
    """A pack is printed in one of the tabs that draw chart downloads: it leaves the tab as it
    found it (kaleido's own image shown, no page of the pack left behind, kaleido's title)."""
    import plotly.graph_objects as go
    from pypdf import PdfReader

    fig = go.Figure(go.Bar(x=["Đà Lạt", "Bảo Lộc"], y=[3, 2]), layout={"title": "Lâm Đồng ★"})

    def images() -> list[tuple[bytes, int, list[float], str]]:
        every_tab = [fig] * (render.TABS + 1)  # kaleido reloads a tab after each image: PDF first
        pdfs = [PdfReader(io.BytesIO(b)) for b in render.render_many(every_tab, "pdf")]
        pngs = render.render_many(every_tab, "png")
        return [
            (png, len(pdf.pages), [float(v) for v in pdf.pages[0].mediabox], pdf.metadata.title)
            for png, pdf in zip(pngs, pdfs, strict=True)
        ]

    before = images()
    pack = go.Figure(go.Bar(x=["Trang"], y=[1]), layout={"width": 1333, "height": 750})
    assert len(PdfReader(io.BytesIO(render.pdf_pages([pack, pack], "Bộ tài liệu"))).pages) == 2
    after = images()
    assert after == before and len({png for png, *_ in after}) == 1
    assert all(pages == 1 and title != "Bộ tài liệu" for _, pages, _, title in after)
