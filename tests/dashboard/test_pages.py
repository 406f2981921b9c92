"""The analytic pages in Streamlit's AppTest, through app.py, on the fixture database."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import state
from dashboard.export import render
from etl import db

from .conftest import (
    C1,
    C2,
    LEADER_2026_C1,
    MISSING_MEMBER,
    NOT_RANKED_2026_C2,
    SUPERSEDED_SCORE,
    TIED_2026_C1,
    WARNING,
    build_fixture,
)

APP = Path(__file__).resolve().parents[2] / "dashboard" / "app.py"
PAGES = ("tong_quan", "xep_hang", "don_vi", "chi_tieu", "kinh_te_xa_hoi")
GUIDANCE = "Chưa có dữ liệu. Hãy tải tệp lên ở trang Tải dữ liệu lên, hoặc chạy `thidua demo`."


def run(page: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    if page is not None and page != "tong_quan":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    kinds = (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "success",
        "warning",
        "error",
    )
    raw = "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))
    return re.sub(r"\\([^\w\s]|_)", r"\1", raw)  # as a reader sees it: no Markdown escapes


def charts(at: AppTest) -> list[dict]:
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


def chart_titles(at: AppTest) -> list[str]:
    return [c["layout"]["title"]["text"].replace("<br>", " ") for c in charts(at)]


def tables(at: AppTest) -> list:
    return [d.value for d in at.dataframe]


def cells(at: AppTest) -> str:
    return "\n".join(t.to_csv(index=False) for t in tables(at))


@pytest.fixture
def on_fixture(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("THIDUA_DB", str(fixture_db))
    return fixture_db


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(on_fixture: Path, page: str) -> None:
    at = run(page)
    assert at.title, page
    for chart in charts(at):
        assert chart["layout"]["separators"] == ",."
        assert chart["layout"]["title"]["text"]


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_downloads_as_png_svg_and_pdf(on_fixture: Path, page: str) -> None:
    from PIL import Image

    at = run(page)
    specs = charts(at)
    assert specs, page
    labels = [b.proto.label for b in at.get("download_button")]
    for label in ("Ảnh PNG (nét cao)", "SVG", "PDF"):
        assert labels.count(label) == len(specs), (page, label)
    if render.browser_missing():
        pytest.skip(f"no Chromium to draw the images: {render.browser_missing()}")
    for spec, png in zip(specs, render.render_many(specs, "png"), strict=True):
        image = Image.open(io.BytesIO(png)).convert("RGB").resize((400, 200))
        shades = len(image.getcolors(maxcolors=100_000) or [])
        assert shades > 50, f"{page}: {spec['layout']['title']['text']} is blank"


def test_export_page_outlines_the_pack_of_the_chosen_clusters(on_fixture: Path) -> None:
    at = run("xuat_bao_cao")
    assert at.title[0].value == "Xuất báo cáo cho cuộc họp"
    (chosen,) = at.multiselect
    assert chosen.value == [C1, C2]  # every cluster of the year by default
    outline = tables(at)[0]
    assert outline["Tiêu đề"].iloc[0] == "Báo cáo công tác thi đua năm 2026"
    assert f"Xếp hạng {C2} – năm 2026" in set(outline["Tiêu đề"])
    chosen.set_value([C1]).run()
    titles = set(tables(at)[0]["Tiêu đề"])
    assert f"Xếp hạng {C1} – năm 2026" in titles and f"Xếp hạng {C2} – năm 2026" not in titles
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Tải PowerPoint (.pptx)", "Tải PDF"]


@pytest.mark.parametrize("page", [*PAGES, "xuat_bao_cao"])
def test_empty_database_shows_guidance(empty_db: Path, monkeypatch, page: str) -> None:
    monkeypatch.setenv("THIDUA_DB", str(empty_db))
    at = run(page)
    assert GUIDANCE in [i.value for i in at.info]


def test_overview(on_fixture: Path) -> None:
    at = run()
    assert at.title[0].value == "Tổng quan thi đua năm 2026"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Cụm, khối thi đua"] == "2"
    assert metrics["Được xếp hạng"] == "7/8"
    assert "Điểm bình quân" in metrics
    assert any(t.startswith("Đơn vị dẫn đầu từng cụm") for t in chart_titles(at))
    lead = charts(at)[0]["data"][0]
    assert any(LEADER_2026_C1 in t for t in lead["text"])
    labels = [t.label for t in at.tabs]
    assert "Chưa có điểm (1)" in labels and "Không xếp hạng (1)" in labels
    assert "Hạng theo tệp khác hạng tính (1)" in labels
    table_text = cells(at)
    assert MISSING_MEMBER in table_text
    assert NOT_RANKED_2026_C2 in table_text
    assert WARNING in table_text
    assert str(SUPERSEDED_SCORE).replace(".", ",") not in table_text


def test_ranking_shows_leader_and_tie(on_fixture: Path) -> None:
    at = run("xep_hang", {"nam": "2026", "cum": C1})
    assert at.title[0].value == f"Xếp hạng {C1} – năm 2026"
    text = texts(at)
    assert f"**{LEADER_2026_C1}** dẫn đầu" in text
    assert f"{TIED_2026_C1[0]} và {TIED_2026_C1[1]} đồng hạng 2" in text
    spec = charts(at)[0]
    assert spec["layout"]["title"]["text"].startswith(f"Xếp hạng {C1} năm 2026")
    lead = next(t for t in spec["data"] if t["name"] == "Dẫn đầu")
    assert lead["y"] == [LEADER_2026_C1]
    assert lead["text"][0].endswith("★ Dẫn đầu")
    table = tables(at)[0]
    assert list(table["Hạng"]) == ["1", "2 (đồng hạng)", "2 (đồng hạng)", "4"]
    assert table["Đơn vị"][0] == f"★ {LEADER_2026_C1}"
    assert "Hạng theo tệp" not in table.columns  # every file rank agrees in this cluster
    titles = chart_titles(at)
    assert any(t.startswith("Tỷ lệ điểm đạt theo nhóm tiêu chí") for t in titles)
    assert any(t.startswith("Tự chấm và cụm chấm") for t in titles)
    history = next(c for c in charts(at) if c["layout"]["title"]["text"].startswith("Thứ hạng"))
    notes = [a.get("text", "").replace("<br>", " ") for a in history["layout"]["annotations"]]
    assert "Sáp nhập tỉnh 01/7/2025" in notes  # in short lines for phones (small_screens)
    assert str(SUPERSEDED_SCORE).replace(".", ",") not in cells(at)


def test_ranking_shows_file_rank_and_unranked(on_fixture: Path) -> None:
    at = run("xep_hang", {"nam": "2026", "cum": C2})
    table = tables(at)[0]
    assert "Hạng theo tệp" in table.columns and "1" in list(table["Hạng theo tệp"])
    assert "Không xếp hạng" in list(table["Hạng"])
    assert "Bị kỷ luật trong năm" in list(table["Lý do không xếp hạng"])


def test_filters_come_from_and_go_to_the_url(on_fixture: Path) -> None:
    at = run("xep_hang", {"nam": "2025", "cum": C2})
    assert at.title[0].value == f"Xếp hạng {C2} – năm 2025"
    assert at.query_params["nam"] == "2025" and at.query_params["cum"] == C2
    at.selectbox(key="flt_nam").set_value(2024).run()
    assert at.title[0].value == f"Xếp hạng {C2} – năm 2024"
    assert at.query_params["nam"] == "2024"
    # The choice carries over to another page.
    at.switch_page("app_pages/chi_tieu.py").run()
    assert at.title[0].value == "Hoàn thành chỉ tiêu thi đua – năm 2024"
    # A value the data does not have falls back to the default.
    at = run("xep_hang", {"nam": "1999"})
    assert at.title[0].value.endswith("năm 2026")


def test_unit_page(on_fixture: Path) -> None:
    at = run("don_vi", {"nam": "2026", "cum": C1, "don_vi": LEADER_2026_C1})
    assert at.title[0].value == LEADER_2026_C1
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Hạng"] == "1 / 4" and metrics["Tổng điểm 2026"] == "96,5"
    assert any("Đơn vị dẫn đầu" in s.value for s in at.success)
    titles = chart_titles(at)
    assert f"Tổng điểm thi đua qua các năm – {LEADER_2026_C1}" in titles
    assert any(t.startswith(f"Mức hoàn thành chỉ tiêu – {LEADER_2026_C1}") for t in titles)
    (tree,) = tables(at)
    (targets,) = [t.value for t in at.table]  # wrapped: every target text whole
    assert tree["Tiêu chí"][1].startswith("\u2003")  # level-2 rows are indented
    assert f"bang_cham_cum1_2026.xlsx · {LEADER_2026_C1} · ô F10" in list(tree.iloc[:, -1])
    assert "Chưa đạt" in list(targets["Kết quả"])


def test_unit_page_tie(on_fixture: Path) -> None:
    at = run("don_vi", {"nam": "2026", "cum": C1, "don_vi": TIED_2026_C1[1]})
    assert {m.label: m.value for m in at.metric}["Hạng (đồng hạng)"] == "2 / 4"


def test_targets_page(on_fixture: Path) -> None:
    at = run("chi_tieu", {"nam": "2026"})
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Chỉ tiêu đăng ký": "24",
        "Đạt": "12",
        "Chưa đạt": "6",
        "Chưa có kết quả": "6",
    }
    titles = chart_titles(at)
    assert "Tỷ lệ chỉ tiêu đạt theo cụm, khối – năm 2026" in titles
    assert "Phân bố mức hoàn thành chỉ tiêu – năm 2026" in titles
    not_met = tables(at)[0]
    assert set(not_met["Chỉ tiêu"]) == {"Số văn bản tham mưu đúng hạn"}
    at = run("chi_tieu", {"nam": "2026", "cum": C1})
    assert "Tỷ lệ chỉ tiêu đạt theo đơn vị – năm 2026" in chart_titles(at)


def summary(at: AppTest) -> list[str]:
    """The status summary on top of Chỉ tiêu KT-XH: one paragraph per group of indicators."""
    text = next(m.value for m in at.markdown if m.value.startswith("**Tăng trưởng kinh tế**"))
    return text.split("\n\n")


def test_province_indicators_page(on_fixture: Path) -> None:
    at = run("kinh_te_xa_hoi")
    # On top, the latest status of every indicator, group by group, whichever group is drawn.
    groups = summary(at)
    assert [g.split("**")[1] for g in groups] == [
        "Tăng trưởng kinh tế",
        "Cơ cấu kinh tế",
        "Giảm nghèo",
    ]
    assert groups[0].startswith("**Tăng trưởng kinh tế** – 2024: ")
    assert ":blue-badge[Tốc độ tăng trưởng GRDP bình quân – 2025 (ước): vượt]" in groups[0]
    assert ":red-badge[GRDP bình quân đầu người: chưa đạt]" in groups[0]
    assert ":green-badge[Tỷ trọng khu vực nông lâm thủy sản trong GRDP: đạt]" in groups[1]
    assert ":red-badge[Tỷ lệ hộ nghèo đa chiều: chưa đạt]" in groups[2]
    assert ":gray-badge[Tỷ lệ hộ nghèo đồng bào dân tộc thiểu số: chưa so sánh]" in groups[2]
    # ... and why it is not compared, on the page (finding 7 of issue 8).
    assert (
        "*Chưa so sánh* – Tỷ lệ hộ nghèo đồng bào dân tộc thiểu số: "
        "thiếu số liệu năm 2022 để tính mức giảm." in groups[2]
    )
    # Below, the charts of one group: the first by default, only groups with data offered.
    control = at.button_group(key="view_nhom")
    assert control.options == ["Tăng trưởng kinh tế", "Cơ cấu kinh tế", "Giảm nghèo"]
    assert control.value == "tang_truong" and at.query_params["nhom"] == "tang_truong"
    assert [t.split(" (")[0] for t in chart_titles(at)] == [
        "Tốc độ tăng trưởng GRDP bình quân",
        "Tăng trưởng khu vực nông lâm thủy sản",
        "Tăng trưởng khu vực công nghiệp - xây dựng",
        "Tăng trưởng khu vực dịch vụ",
        "GRDP bình quân đầu người",
    ]
    growth = charts(at)[0]
    assert any(s["type"] == "rect" for s in growth["layout"]["shapes"])  # the target band
    symbols = {t.get("marker", {}).get("symbol") for t in growth["data"]}
    assert {"circle", "circle-open"} <= symbols  # the 2025 estimate is drawn open
    assert any("Nguồn:" in str(t.get("customdata", "")) for t in growth["data"])
    text = texts(at)
    assert ":blue-badge[2025 (ước): vượt]" in text  # the yearly badges under each chart
    assert "Nguồn: " in text and "Dân Việt, 29/12/2022" in text
    # Another group: poverty, with the change of the poverty standard; the URL follows.
    control.set_value("giam_ngheo").run()
    assert at.query_params["nhom"] == "giam_ngheo"
    assert chart_titles(at) == [
        "Tỷ lệ hộ nghèo đa chiều: mức giảm hằng năm",
        "Tỷ lệ hộ nghèo đồng bào dân tộc thiểu số: mức giảm hằng năm",
    ]
    poverty = charts(at)[0]
    assert any("Đổi chuẩn nghèo" in a.get("text", "") for a in poverty["layout"]["annotations"])
    text = texts(at)
    assert ":red-badge[2022: chưa đạt]" in text
    assert "Chuỗi số liệu gián đoạn: từ 2021 tính theo chuẩn nghèo 2022 - 2025." in text
    assert (
        "Chưa so sánh* – 2020: năm đầu của chuỗi số liệu, chưa có năm trước để tính mức giảm; "
        "2021: từ năm này tính theo chuẩn nghèo 2022 - 2025, khác năm trước, không so được."
    ) in text
    assert len(summary(at)) == 3  # the summary stays


def test_province_indicator_group_comes_from_and_stays_in_the_url(on_fixture: Path) -> None:
    at = run("kinh_te_xa_hoi", {"nhom": "co_cau"})
    assert at.button_group(key="view_nhom").value == "co_cau"
    assert [t.split(":")[0] for t in chart_titles(at)] == ["Cơ cấu kinh tế"]
    text = texts(at)
    assert "Nông, lâm, thủy sản: :red-badge[2024: chưa đạt] :green-badge[2025 (ước): đạt]" in text
    assert "Nguồn: " in text
    # Another page drops the parameter (as Streamlit does); coming back keeps the group.
    at.switch_page("app_pages/tong_quan.py").run()
    del at.query_params["nhom"]
    at.switch_page("app_pages/kinh_te_xa_hoi.py").run()
    assert at.button_group(key="view_nhom").value == "co_cau"
    assert at.query_params["nhom"] == "co_cau"
    # A group the data does not have (no culture indicators here) falls back to the first.
    at = run("kinh_te_xa_hoi", {"nhom": "van_hoa"})
    assert at.button_group(key="view_nhom").value == "tang_truong"
    assert at.query_params["nhom"] == "tang_truong"


def test_upload_invalidates_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = build_fixture(tmp_path / "t.duckdb")
    monkeypatch.setenv("THIDUA_DB", str(path))
    at = run("xep_hang", {"nam": "2026", "cum": C1})
    assert "96,5" in list(tables(at)[0]["Tổng"])
    # Withdraw the corrected summary: the first (superseded) file becomes current again.
    con = db.connect(path)
    con.execute("UPDATE imports SET retracted = true WHERE file_name = 'tong_hop_cum1_2026.xlsx'")
    at.run()
    assert not at.exception
    assert "99" in list(tables(at)[0]["Tổng"])
    db.close(path)


def test_view_requires_login(on_fixture: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THIDUA_VIEW_REQUIRES_LOGIN", "true")
    at = run()
    assert not at.get("plotly_chart")
    assert any("Cần đăng nhập" in i.value for i in at.info)
    # Everyone must sign in here: the form is open, not behind a button.
    assert [t.label for t in at.sidebar.text_input] == ["Tên đăng nhập", "Mật khẩu"]


def test_app_runs_without_the_sign_in_module(
    on_fixture: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "dashboard.auth_ui", None)  # import fails: module missing
    at = run("xep_hang")
    assert f"**{LEADER_2026_C1}** dẫn đầu" in texts(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_again_on_the_demo_database(
    demo_db: Path, monkeypatch, page: str
) -> None:
    monkeypatch.setenv("THIDUA_DB", str(demo_db))
    at = run(page)
    assert GUIDANCE not in [i.value for i in at.info]
    assert at.get("plotly_chart"), "every analytic page leads with a chart"
    at.run()  # warm: cached queries and figures (how fast: benchmarks/dashboard.py)
    assert not at.exception
    assert at.get("plotly_chart")


@pytest.mark.parametrize(
    "role,staff_pages",
    [
        (None, set()),
        ("viewer", set()),
        ("uploader", {"tai_len", "lich_su"}),
        ("admin", {"tai_len", "lich_su", "quan_tri"}),
    ],
)
def test_staff_pages_follow_the_role(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, role: str | None, staff_pages: set[str]
) -> None:
    auth_ui = pytest.importorskip("dashboard.auth_ui")
    from etl.year import accounts

    path = build_fixture(tmp_path / "t.duckdb")
    monkeypatch.setenv("THIDUA_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    if role is not None:
        accounts.add_user(db.connect(path), "nguoidung", role, "mat-khau-thu-nghiem-dai")
        at.session_state[auth_ui.USER_KEY] = "nguoidung"
        at.session_state[auth_ui.ROLE_KEY] = role
    at.run()
    assert not at.exception
    pages_dir = APP.parent / "app_pages"
    for page in ("tai_len", "lich_su", "quan_tri"):
        if not (pages_dir / f"{page}.py").is_file():
            continue
        if page in staff_pages:
            at.switch_page(f"app_pages/{page}.py")  # registered in the navigation
        else:
            with pytest.raises(ValueError):
                at.switch_page(f"app_pages/{page}.py")
    db.close(path)


def test_figure_cache_key_follows_content_and_order() -> None:
    import polars as pl

    from dashboard.ui import fingerprint

    frame = pl.DataFrame({"unit": ["A", "B"], "rank": [1, 2]})
    assert fingerprint(frame) == fingerprint(frame.clone())
    assert fingerprint(frame) != fingerprint(frame.reverse())
    assert fingerprint(frame) != fingerprint(frame.with_columns(pl.lit(3).alias("rank")))


def test_unit_page_shows_the_framework_maximum_where_it_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from etl.load import load_file
    from tests.etl.builders import CLUSTER, UNIT, Book, framework_tree
    from tests.etl.test_framework import FRAMEWORK, sheet_rows

    path = tmp_path / "khung.duckdb"
    monkeypatch.setenv("THIDUA_DB", str(path))
    con = db.connect(path)
    sheet = sheet_rows()
    sheet[5] = ("a", "Báo cáo định kỳ", "12", "12", "11")  # 15 in the framework
    del sheet[3]  # "Đúng chất lượng" (10) left out
    book = Book()
    book.kind_a(sheet)
    assert load_file(con, book.save(tmp_path / "a.xlsx")).status == "loaded"
    # The framework comes after the sheet: the page compares all the same.
    framework = Book()
    framework_tree(framework, FRAMEWORK)
    assert load_file(con, framework.save(tmp_path / "khung.xlsx")).status == "loaded"
    db.close(path)

    at = run("don_vi", {"nam": "2026", "cum": CLUSTER, "don_vi": UNIT})
    tree, missing = tables(at)[:2]
    beside = dict(zip(tree["Tiêu chí"].str.strip(), tree["Điểm chuẩn theo khung"], strict=True))
    assert beside["a Báo cáo định kỳ"] == "15"
    assert beside["a Đúng tiến độ"] == ""  # the same maximum: nothing beside it
    assert list(missing["Tiêu chí thiếu"]) == ["b Đúng chất lượng"]
    assert list(missing["Điểm chuẩn"]) == ["10"]
    assert any("thiếu 1 tiêu chí" in w.value for w in at.warning)


def test_a_country_of_units_is_listed_cluster_by_cluster(
    on_fixture: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond UNITS_LISTED units across all clusters (a national catalog has ten thousand), the
    unit box asks for a cluster first instead of sending every name to every browser; a unit
    chosen in the URL or within a cluster stays chosen."""
    monkeypatch.setattr(state, "UNITS_LISTED", 2)
    at = run("tong_quan", {"nam": "2026"})
    assert at.selectbox(key="flt_don_vi").options == [state.CLUSTER_FIRST]
    at.selectbox(key="flt_cum").set_value(C1).run()
    assert LEADER_2026_C1 in at.selectbox(key="flt_don_vi").options
    at.selectbox(key="flt_don_vi").set_value(LEADER_2026_C1).run()
    at.selectbox(key="flt_cum").set_value("").run()  # back to all clusters: the unit stays
    assert at.selectbox(key="flt_don_vi").options == [state.CLUSTER_FIRST, LEADER_2026_C1]
    assert at.selectbox(key="flt_don_vi").value == LEADER_2026_C1
    at = run("don_vi", {"nam": "2026", "don_vi": LEADER_2026_C1})
    assert at.title[0].value == LEADER_2026_C1
    monkeypatch.setattr(state, "UNITS_LISTED", 500)  # a province's few hundred: all listed
    at = run("tong_quan", {"nam": "2026"})
    assert LEADER_2026_C1 in at.selectbox(key="flt_don_vi").options
