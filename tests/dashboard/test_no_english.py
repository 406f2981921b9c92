"""No English word reaches a user: every rendered page (texts, labels, options, help, tables,
charts with their hover texts) and every export (pptx, pdf, xlsx) is scanned."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from google.protobuf.message import Message
from openpyxl import load_workbook
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from dashboard.export import pack, render, tables
from etl import db
from etl.db import figure_settings

from .test_pages import APP, PAGES, run
from .vietnamese import decimal_points, english_words

# Fields of Streamlit's element messages that a user reads.
SHOWN_FIELDS = {
    "label", "body", "help", "placeholder", "options", "caption", "text", "value", "title",
    "display_value", "default_value", "captions", "icon_text", "subtitle",
}  # fmt: skip
STAFF_PAGES = ("tai_len", "lich_su", "quan_tri")
STYLE = re.compile(r"<style>.*?</style>", re.S)
CSS_CONTENT = re.compile(r'content:\s*"([^"]*)"')
ACCOUNTS = {"quantri", "tester"}  # account names are data typed by an administrator
# The settings' names and the tie-break's values are what an administrator types into
# `thidua setting set`; the Quản trị page shows them as they are typed, beside their meaning.
SETTING_WORDS = set(figure_settings.FIGURE_SETTINGS) | set(figure_settings.TIE_BREAKS)


def proto_texts(message: Message) -> list[str]:
    out: list[str] = []
    for field, value in message.ListFields():
        if field.name == "spec" and isinstance(value, str):  # a plotly chart
            out += chart_texts(json.loads(value))
        elif field.type == field.TYPE_MESSAGE:
            items = value if field.is_repeated else [value]
            for item in items:
                out += proto_texts(item)
        elif field.name in SHOWN_FIELDS and field.type == field.TYPE_STRING:
            out += list(value) if field.is_repeated else [value]
    return out


def chart_texts(spec: dict[str, Any]) -> list[str]:
    """Every string a reader can see in a plotly figure (titles, ticks, names, text, hover)."""
    out: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k not in ("template", "type", "mode", "xref", "yref", "font", "marker", "line"):
                    walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in (
            "text", "name", "ticktext", "customdata", "hovertemplate", "texttemplate", "values",
        ):  # fmt: skip
            out.append(node)

    walk(spec.get("data", []))
    walk(spec.get("layout", {}))
    return out


def page_texts(at: AppTest) -> str:
    texts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            texts.extend(proto_texts(proto))
        if type(node).__name__ == "Dataframe":
            frame = node.value
            texts.extend(str(c) for c in frame.columns)
            texts.extend(str(v) for v in frame.astype(str).to_numpy().ravel())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    # A page's CSS is not read; the words it shows (content: "Chọn tệp") are.
    return STYLE.sub(lambda m: " ".join(CSS_CONTENT.findall(m[0])), "\n".join(texts))


def assert_vietnamese(text: str, where: str, data: set[str] = frozenset()) -> None:
    assert not english_words(text) - data, (where, sorted(english_words(text) - data))
    assert not decimal_points(text), (where, sorted(decimal_points(text)))


@pytest.fixture
def on_demo(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("THIDUA_DB", str(demo_db))
    return demo_db


def test_the_scanner_finds_what_it_must() -> None:
    assert english_words("Drag and drop file here · Limit 50MB per file") >= {"Drag", "Limit"}
    assert "estimate" in english_words("as later reported (an early estimate said 3.15)")
    assert decimal_points("ước tính 3.15") == {"3.15"}
    assert not english_words("Tỷ lệ hộ nghèo đa chiều giảm 1 - 1,5 điểm % mỗi năm; tải PDF")
    assert not english_words("Xếp hạng Khối thi đua số 2 năm 2026 theo tổng điểm")


@pytest.mark.parametrize("page", (*PAGES, "tien_do", "khen_thuong", "lich_thi_dua"))
def test_pages_speak_vietnamese(on_demo: Path, page: str) -> None:
    at = run(page)
    assert_vietnamese(page_texts(at), page)


@pytest.mark.parametrize("group", ["tang_truong", "giam_ngheo", "co_cau", "van_hoa"])
def test_every_indicator_group_speaks_vietnamese(on_demo: Path, group: str) -> None:
    at = run("kinh_te_xa_hoi", {"nhom": group})
    assert_vietnamese(page_texts(at), group)


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_pages_speak_vietnamese(tmp_path: Path, monkeypatch, page: str) -> None:
    auth_ui = pytest.importorskip("dashboard.auth_ui")
    from etl.year import accounts

    from .conftest import build_fixture

    path = build_fixture(tmp_path / "t.duckdb")
    monkeypatch.setenv("THIDUA_DB", str(path))
    accounts.add_user(db.connect(path), "quantri", "admin", "mat-khau-thu-nghiem-dai")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[auth_ui.USER_KEY] = "quantri"
    at.session_state[auth_ui.ROLE_KEY] = "admin"
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert_vietnamese(page_texts(at), page, ACCOUNTS | SETTING_WORDS)
    db.close(path)


def test_pptx_speaks_vietnamese(demo_db: Path) -> None:
    built = pack.build_pack(db.cursor(demo_db), 2026)
    deck = Presentation(io.BytesIO(pack.pack_bytes(built, "pptx")))
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [c.text for row in shape.table.rows for c in row.cells]
            if shape.has_chart:
                chart = shape.chart
                texts.append(chart.chart_title.text_frame.text)
                texts += [s.name for s in chart.series]
                texts += [str(c) for c in chart.plots[0].categories]
                xml = chart._chartSpace.xml
                texts += [t.split("</a:t>")[0] for t in xml.split("<a:t>")[1:]]
    assert_vietnamese("\n".join(texts), "pptx")


@pytest.mark.skipif(
    render.browser_missing() is not None, reason=f"no Chromium: {render.browser_missing()}"
)
def test_pdf_speaks_vietnamese(demo_db: Path) -> None:
    from pypdf import PdfReader

    built = pack.build_pack(db.cursor(demo_db), 2026)
    reader = PdfReader(io.BytesIO(pack.pack_bytes(built, "pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert_vietnamese(text, "pdf")


@pytest.mark.parametrize("view", sorted(tables.VIEWS))
def test_excel_exports_speak_vietnamese(demo_db: Path, view: str) -> None:
    frame = tables.select_view(db.cursor(demo_db), view)
    data = tables.to_xlsx(frame, view, filters={}, database="/srv/thidua/thidua.duckdb")
    wb = load_workbook(io.BytesIO(data))
    texts = [wb.properties.title or "", *wb.sheetnames]
    for ws in wb.worksheets:
        texts += [str(c.value) for c in ws[1] if c.value is not None]
        if ws.title != wb.sheetnames[0]:  # the "Thông tin" sheet: every cell
            texts += [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert_vietnamese("\n".join(texts), view)
    assert isinstance(frame, pl.DataFrame)
