"""The dashboard in headless Chromium: every page draws, an uploader signs in, loads a new scoring
sheet and sees the ranking change, and a bad sheet is refused cell by cell. (How fast the first
chart appears is measured by benchmarks/, not asserted here.)

Screenshots of every page and step: tests/artifacts/browser_*.png.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from . import harness
from .conftest import CLUSTER, PASSWORD, USER, YEAR, Demo, shot

pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
from playwright.sync_api import expect

expect.set_options(timeout=20_000)

# (url path, nav label, expected <h1> — a regex, or None for "a unit of the demo data")
PAGES = (
    ("", "Tổng quan", rf"Tổng quan thi đua năm {YEAR}"),
    ("xep_hang", "Xếp hạng cụm, khối", rf"Xếp hạng .+ – năm {YEAR}"),
    ("don_vi", "Đơn vị", None),
    ("chi_tieu", "Hoàn thành chỉ tiêu", rf"Hoàn thành chỉ tiêu thi đua – năm {YEAR}"),
    (
        "kinh_te_xa_hoi",
        "Chỉ tiêu KT-XH (Chỉ thị 34)",
        r"Chỉ tiêu kinh tế – xã hội \(Chỉ thị 34-CT/TU\)",
    ),
)


# --- helpers ---------------------------------------------------------------------------------


def kind_a_workbook(path: Path, unit: str, scores: list[tuple[str, str, float, Any, Any]]) -> Path:
    """A kind-A scoring sheet ("Bảng chấm điểm thi đua") of ``unit`` in CLUSTER, YEAR.

    ``scores``: (code, criterion, max points, self score, assessed score) from row 12 down; the
    "Tổng cộng" row follows with the sums of the numeric scores.
    """
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Bảng chấm"
    ws["B1"], ws["E1"] = "ĐẢNG BỘ TỈNH LÂM ĐỒNG", "ĐẢNG CỘNG SẢN VIỆT NAM"
    ws["E2"] = f"Lâm Đồng, ngày 18 tháng 12 năm {YEAR}"
    ws["B4"] = f"BẢNG CHẤM ĐIỂM THI ĐUA NĂM {YEAR}"
    ws["B5"] = f"Đơn vị: {unit}"
    ws["B6"] = CLUSTER
    ws.merge_cells("E8:F8")
    for col, text in zip(
        "BCDEG", ("STT", "Nội dung tiêu chí", "Điểm chuẩn", "Điểm chấm", "Ghi chú"), strict=True
    ):
        ws[f"{col}8"] = text
    ws["E9"], ws["F9"] = "Tự chấm", "Cụm chấm"
    row = 10
    for code, text, max_points, self_score, assessed in scores:
        ws[f"B{row}"], ws[f"C{row}"], ws[f"D{row}"] = code, text, max_points
        if self_score is not None:
            ws[f"E{row}"] = self_score
        if assessed is not None:
            ws[f"F{row}"] = assessed
        row += 1
    numbers = [s for s in scores if isinstance(s[3], int | float)]
    ws[f"C{row}"] = "Tổng cộng"
    ws[f"D{row}"] = sum(s[2] for s in scores if s[0].isdigit())
    ws[f"E{row}"] = sum(s[3] for s in numbers)
    ws[f"F{row}"] = sum(s[4] for s in numbers if isinstance(s[4], int | float))
    wb.save(path)
    return path


def criteria(
    self_2: Any = 20, assessed_total: float = 99.5
) -> list[tuple[str, str, float, Any, Any]]:
    """Two groups of two criteria (100 points); the assessed scores add up to assessed_total."""
    rest = assessed_total / 4
    return [
        ("I", "Công tác tham mưu", 40, None, None),
        ("1", "Tham mưu chương trình, kế hoạch công tác năm", 20, 20, rest - 5),
        ("2", "Tham mưu đúng hạn, bảo đảm chất lượng", 20, self_2, rest - 5),
        ("II", "Công tác tổ chức thực hiện", 60, None, None),
        ("1", "Tổ chức thực hiện nhiệm vụ được giao", 30, 30, rest + 5),
        ("2", "Kiểm tra, giám sát, sơ kết, tổng kết", 30, 30, rest + 5),
    ]


def sign_in(page: Any, base: str) -> None:
    page.goto(base + "/")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("button", name="Đăng nhập").click()  # opens the form
    sidebar.get_by_label("Tên đăng nhập").fill(USER)
    sidebar.get_by_label("Mật khẩu").fill(PASSWORD)
    sidebar.get_by_role("button", name="Đăng nhập").click()
    expect(sidebar).to_contain_text("Đã đăng nhập", timeout=20_000)
    expect(sidebar).to_contain_text(USER)


def open_nav(page: Any, label: str, heading: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=label, exact=True).click()
    expect(page.get_by_role("heading", name=heading, exact=True).first).to_be_visible()


def grid_rows(frame: Any) -> list[list[str]]:
    """The cells of an st.dataframe (its accessible grid), header row first."""
    frame.locator("th, td").first.wait_for(state="attached")
    out = []
    for tr in frame.locator("tr").all():
        out.append([c.strip() for c in tr.locator("th, td").all_text_contents()])
    return out


def upload(page: Any, path: Path) -> None:
    """Choose ``path`` in the uploader of "Tải dữ liệu lên" and press «Kiểm tra»."""
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    uploader = page.get_by_test_id("stFileUploader")
    expect(uploader.get_by_role("button", name=f"Remove {path.name}")).to_be_visible()
    check = page.get_by_role("button", name="Kiểm tra", exact=True)
    expect(check).to_be_enabled()
    check.click()
    expect(page.get_by_role("heading", name=path.name)).to_be_visible(timeout=30_000)


def history_entries(page: Any) -> list[str]:
    """The loads listed on "Lịch sử nhập" ("Số N · tệp · trạng thái · ...")."""
    open_nav(page, "Lịch sử nhập", "Lịch sử nhập")
    main = page.get_by_test_id("stMain")
    # Newest first; the list is complete once the first load (the shipped reference figures,
    # load 1 of every database) is drawn.
    expect(main.get_by_text(re.compile(r"^Số 1 · "))).to_be_visible()
    return [t.strip() for t in main.get_by_text(re.compile(r"^Số \d+ · ")).all_inner_texts()]


# --- tests -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "label", "title"), PAGES, ids=[p[0] or "tong_quan" for p in PAGES]
)
def test_page_draws(page: Any, demo_server: Demo, path: str, label: str, title: str | None) -> None:
    page.goto(f"{demo_server.url}/{path}")
    h1 = page.locator("h1").first
    expect(h1).to_be_visible()
    if title is None:  # Đơn vị: the page is titled by the unit it shows
        expect(h1).to_have_text(re.compile("|".join(map(re.escape, demo_server.all_units))))
    else:
        expect(h1).to_have_text(re.compile(title))
    nav = page.get_by_test_id("stSidebarNav").locator("a[aria-current]")
    expect(nav).to_contain_text(label)
    expect(page.locator(harness.CHART).first).to_be_visible()
    assert page.locator(harness.CHART).count() >= 1
    expect(page.get_by_test_id("stException")).to_have_count(0)
    shot(page, f"browser_page_{path or 'tong_quan'}")


def test_sign_in_as_uploader(page: Any, demo_server: Demo) -> None:
    sign_in(page, demo_server.url)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link", name="Tải dữ liệu lên")).to_be_visible()
    expect(nav.get_by_role("link", name="Lịch sử nhập")).to_be_visible()
    expect(nav.get_by_role("link", name="Quản trị")).to_have_count(0)  # uploader, not admin
    shot(page, "browser_signed_in")


def test_upload_valid_workbook_changes_ranking(
    page: Any, demo_server: Demo, tmp_path: Path
) -> None:
    # The unit ranked last of the cluster rises to the top with 99.5 points.
    unit = max(demo_server.units, key=lambda u: (demo_server.ranks[u] or 0, u))
    assert demo_server.ranks[unit] != 1
    total = 99.5
    assert total > demo_server.best_total
    book = kind_a_workbook(tmp_path / "bang_cham_diem_moi.xlsx", unit, criteria(20, total))

    sign_in(page, demo_server.url)
    open_nav(page, "Tải dữ liệu lên", "Tải dữ liệu lên")
    shot(page, "browser_upload_1_page")
    upload(page, book)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Hợp lệ — có thể nạp.")).to_be_visible()
    report = grid_rows(main.get_by_test_id("stDataFrame").first)  # one row per sheet
    assert report[0][:3] == ["Sheet", "Loại", "Số dòng"], report
    assert report[1][:2] == ["Bảng chấm", "A"], report
    assert int(report[1][2]) >= 4 and report[1][4] == "0", report  # rows; no errors
    shot(page, "browser_upload_2_checked")

    confirm = page.get_by_role("button", name="Xác nhận nạp")
    expect(confirm).to_be_enabled()
    confirm.scroll_into_view_if_needed()
    shot(page, "browser_upload_2b_confirm")
    confirm.click()
    expect(main.get_by_text(re.compile(rf"{re.escape(book.name)}: Đã nạp"))).to_be_visible(
        timeout=30_000
    )
    shot(page, "browser_upload_3_loaded")

    page.goto(f"{demo_server.url}/xep_hang?nam={YEAR}&cum={quote(CLUSTER)}")
    expect(page.locator("h1").first).to_have_text(f"Xếp hạng {CLUSTER} – năm {YEAR}")
    expect(page.locator(harness.CHART).first).to_be_visible()
    rows = grid_rows(page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first)
    header, first = rows[0], rows[1]
    assert header[0] == "Hạng" and "Đơn vị" in header, header
    assert first[0] == "1", rows  # alone at the top: no "(đồng hạng)"
    assert first[header.index("Đơn vị")].lstrip("★ ") == unit, rows
    assert first[header.index("Tổng")] == "99,5", rows
    assert all(r[0] != "1" for r in rows[2:]), rows
    shot(page, "browser_upload_4_ranking")


def test_upload_bad_workbook_is_refused_by_cell(
    page: Any, demo_server: Demo, tmp_path: Path
) -> None:
    unit = demo_server.units[0]
    book = kind_a_workbook(tmp_path / "bang_cham_co_loi.xlsx", unit, criteria(self_2="ba"))

    sign_in(page, demo_server.url)
    before = history_entries(page)
    open_nav(page, "Tải dữ liệu lên", "Tải dữ liệu lên")
    upload(page, book)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(re.compile(r"^1 lỗi — tệp này sẽ không được nạp"))).to_be_visible()
    issues = grid_rows(main.get_by_test_id("stTable").first)  # errors first, wrapped
    assert issues[0] == ["Mức", "Sheet", "Ô", "Nội dung"], issues
    level, sheet, cell, message = issues[1]
    assert (level, sheet, cell) == ("Lỗi", "Bảng chấm", "E12"), issues  # ô E12: "ba"
    assert '"ba" không phải là số' in message, message
    confirm = page.get_by_role("button", name="Xác nhận nạp")
    expect(confirm).to_be_disabled()
    expect(main.get_by_text(f"Không nạp (còn lỗi): {book.name}")).to_be_visible()
    expect(main.get_by_text("Kết quả nạp")).to_have_count(0)
    confirm.scroll_into_view_if_needed()
    shot(page, "browser_bad_upload_refused")

    after = history_entries(page)
    assert after == before  # nothing was loaded
    assert not any(book.name in entry for entry in after)
    shot(page, "browser_bad_upload_history")


def test_meeting_pack_downloads_as_editable_pptx(page: Any, demo_server: Demo) -> None:
    from pptx import Presentation

    page.goto(f"{demo_server.url}/xuat_bao_cao")
    expect(page.locator("h1").first).to_have_text("Xuất báo cáo cho cuộc họp")
    outline = grid_rows(page.get_by_test_id("stDataFrame").first)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Tải PowerPoint (.pptx)").click()
    assert download.value.suggested_filename == f"bao-cao-thi-dua-{YEAR}.pptx"
    deck = Presentation(download.value.path())
    titles = [
        next(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides
    ]
    # The outline on the page lists the slides the file holds, in order.
    assert titles == [row[1] for row in outline[1:]]
    assert any(shape.has_chart for slide in deck.slides for shape in slide.shapes)
    shot(page, "browser_xuat_bao_cao")


def test_chart_downloads_as_sharp_png(page: Any, demo_server: Demo) -> None:
    from PIL import Image

    page.goto(f"{demo_server.url}/xep_hang")
    expect(page.locator(harness.CHART).first).to_be_visible()
    page.get_by_role("button", name="Tải biểu đồ").first.click()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Ảnh PNG (nét cao)").click()
    assert download.value.suggested_filename.startswith("xep-hang-")
    image = Image.open(download.value.path()).convert("RGB")
    assert image.width >= 3000  # high resolution: 3× the 1200 px layout
    colors = image.resize((300, 150)).getcolors(maxcolors=100_000) or []
    assert len(colors) > 50, "the PNG is blank or nearly so"
