"""The pages and exports of the emulation year (issue #11) on the demo database, as of a fixed day.

THIDUA_TODAY is 28/12/2026: the H1 and year deadlines have passed, so the demo's reports are on
time, late or missing (expected.json's oracle), and its proposals valid, over quota or ineligible.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from docx import Document
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from dashboard import auth_ui
from dashboard.export import pack, proposals_doc, xlsx
from dashboard.queries import run as query
from etl import db
from etl.cli import SAMPLES_DIR
from etl.year import accounts
from tests import programs
from tests.dashboard.test_pages import APP, GUIDANCE, run, texts

EXPECTED = json.loads((SAMPLES_DIR / "expected.json").read_text(encoding="utf-8"))
PAGES = ("tien_do", "khen_thuong", "lich_thi_dua")


@pytest.fixture
def demo(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("THIDUA_DB", str(demo_db))
    monkeypatch.setenv("THIDUA_TODAY", EXPECTED["submissions_2026"]["as_of"])
    return demo_db


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def oracle_count(period: str, status: str) -> int:
    rows = EXPECTED["submissions_2026"]["rows"]
    return sum(1 for r in rows if r["period"] == period and r["status"] == status)


def test_progress_page_opens_on_the_last_deadline_with_every_status(demo):
    at = run("tien_do", {"nam": "2026"})
    assert at.title[0].value == "Tiến độ nộp báo cáo năm 2026"
    assert at.radio[0].value == "year"  # 20/12 is the deadline that passed last
    m = metrics(at)
    assert m["Đúng hạn"] == str(oracle_count("year", "đúng hạn"))
    assert m["Trễ hạn"] == str(oracle_count("year", "trễ hạn")) != "0"
    table = at.dataframe[0].value
    late = [r for r in EXPECTED["submissions_2026"]["rows"] if r["status"] == "trễ hạn"]
    year_late = next(r for r in late if r["period"] == "year")
    first = table.iloc[0]
    assert first["Tình trạng"] == f"trễ hạn {year_late['days_late']} ngày"  # worst first
    at.radio[0].set_value("H1").run()
    m = metrics(at)
    assert m["Chưa nộp (quá hạn)"] == str(oracle_count("H1", "chưa nộp")) != "0"
    assert at.dataframe[0].value.iloc[0]["Tình trạng"].startswith("chưa nộp (quá hạn")


def test_awards_page_shows_each_check(demo):
    at = run("khen_thuong", {"nam": "2026"})
    props = [p for p in EXPECTED["award_proposals"] if p["year"] == 2026]
    m = metrics(at)
    assert m["Đề nghị"] == str(len(props))
    for label, status in (
        ("Hợp lệ", "hợp lệ"),
        ("Vượt hạn mức", "vượt hạn mức"),
        ("Không đủ điều kiện", "không đủ điều kiện"),
    ):
        assert m[label] == str(sum(p["status"] == status for p in props))
    shown = pl.concat(
        [pl.from_pandas(d.value) for d in at.dataframe if "Kết quả kiểm tra" in d.value.columns]
    )
    assert sorted(shown["Kết quả kiểm tra"].to_list()) == sorted(p["status"] for p in props)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Danh sách trình Hội đồng (.xlsx)" in labels and "Dự thảo danh sách (.docx)" in labels
    assert "CO-1" in texts(at) or any("CO-1" in str(d.value) for d in at.dataframe)


def test_calendar_page_draws_phases_and_deadlines(demo):
    at = run("lich_thi_dua", {"nam": "2026"})
    (chart,) = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert chart["layout"]["title"]["text"].startswith("Lịch thi đua năm 2026")
    bars = {t["y"][0].strip() for t in chart["data"]}
    assert {c["phase"] for c in EXPECTED["calendar"]} <= {b.replace("<br>", " ") for b in bars}
    notes = " ".join(a["text"] for a in chart["layout"]["annotations"])
    assert "Sơ kết<br>20/06" in notes and "Tổng kết<br>20/12" in notes


def test_overview_points_to_the_progress_page(demo):
    at = run(None, {"nam": "2026"})
    missing = oracle_count("H1", "chưa nộp") + oracle_count("year", "chưa nộp")
    late = oracle_count("H1", "trễ hạn") + oracle_count("year", "trễ hạn")
    assert any(
        f"{missing} báo cáo chưa nộp đã quá hạn, {late} báo cáo nộp trễ hạn" in w.value
        for w in at.warning
    )
    assert any(link.proto.label == "Tiến độ nộp báo cáo" for link in at.get("page_link"))


def test_unit_page_lists_the_awards_granted(demo):
    granted = next(p for p in EXPECTED["award_proposals"] if p["decision"])
    at = run("don_vi", {"nam": "2025", "don_vi": granted["name"]})
    history = next(d.value for d in at.dataframe if "Quyết định" in d.value.columns)
    assert history.iloc[0]["Quyết định"] == granted["decision"]
    assert history.iloc[0]["Năm"] == "2025"


@pytest.mark.parametrize("page", PAGES)
def test_empty_database_shows_guidance(empty_db: Path, monkeypatch, page: str) -> None:
    monkeypatch.setenv("THIDUA_DB", str(empty_db))
    at = run(page)
    assert GUIDANCE in [i.value for i in at.info]


def proposals(demo: Path) -> pl.DataFrame:
    cur = db.cursor(demo)
    try:
        return query(cur, "award_proposals", {"year": 2026, "cluster": None})
    finally:
        cur.close()


def test_council_excel_layout_and_formula_guard(demo):
    frame = proposals(demo)
    # A name typed as a formula stays text.
    frame = frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit('=HYPERLINK("http://x")'))
        .otherwise(pl.col("name"))
        .alias("name")
    )
    ws = load_workbook(io.BytesIO(proposals_doc.council_xlsx(frame, 2026, None))).worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[:5] == [
        "STT",
        "Tên tập thể",
        "Hình thức khen thưởng",
        "Thành tích",
        "Kết quả kiểm tra",
    ]
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(values) == frame.height
    guarded = next(row for row in ws.iter_rows(min_row=2) if row[1].value.startswith("="))
    assert guarded[1].data_type == "s" and guarded[1].quotePrefix
    assert xlsx.needs_guard(guarded[1].value)
    checks = {row[4] for row in values}
    assert "Hợp lệ" in checks
    assert any(c.startswith("Không đủ điều kiện: ") for c in checks)
    assert any(c.startswith("Vượt hạn mức: ") for c in checks)


def test_council_docx_has_the_table_in_vietnamese(demo):
    frame = proposals(demo)
    doc = Document(io.BytesIO(proposals_doc.council_docx(frame, 2026, None)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2026" in text
    table = doc.tables[1]
    assert [c.text for c in table.rows[0].cells] == list(proposals_doc.HEADERS)
    clusters = frame["cluster"].n_unique()
    assert len(table.rows) == 1 + clusters + frame.height
    names = {row.cells[1].text for row in table.rows[1:]}
    assert set(frame["name"].to_list()) <= names


@pytest.mark.skipif(
    programs.libreoffice_missing("writer") is not None,
    reason=str(programs.libreoffice_missing("writer")),
)
def test_council_docx_opens_in_libreoffice(demo, tmp_path):
    frame = proposals(demo)
    source = tmp_path / "danh_sach.docx"
    source.write_bytes(proposals_doc.council_docx(frame, 2026, None))
    done = subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    pdf = tmp_path / "danh_sach.pdf"
    assert pdf.exists(), done.stdout + done.stderr
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM 2026" in text
    assert "Kết quả kiểm tra" in text and "Không đủ điều kiện" in text


def test_pack_has_the_progress_and_proposal_slides(demo):
    cur = db.cursor(demo)
    try:
        built = pack.build_pack(cur, 2026)
    finally:
        cur.close()
    by_title = {s.title: s for s in built.slides}
    progress = by_title["Tiến độ nộp báo cáo tổng kết năm 2026"]
    assert progress.charts[0].kind == "stacked_bar" and progress.table is not None
    assert "Tệp nguồn:" in progress.footnote
    counted = sum(int(v) for row in progress.table.rows for v in row[1:])
    assert counted == sum(1 for r in EXPECTED["submissions_2026"]["rows"] if r["period"] == "year")
    awards = by_title["Đề nghị khen thưởng năm 2026"]
    assert awards.charts and "Tệp nguồn:" in awards.footnote
    flagged = [r for s in built.slides if s.title.startswith("Đề nghị") for r in s.table.rows]
    wrong = [
        p for p in EXPECTED["award_proposals"] if p["year"] == 2026 and p["status"] != "hợp lệ"
    ]
    assert len(flagged) == len(wrong)
    assert all(r[2].startswith(("không đủ điều kiện (", "vượt hạn mức (")) for r in flagged)


@pytest.fixture
def admin_demo(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo database (these tests write) with an administrator and a viewer."""
    path = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db, path)
    monkeypatch.setenv("THIDUA_DB", str(path))
    monkeypatch.setenv("THIDUA_TODAY", EXPECTED["submissions_2026"]["as_of"])
    con = db.connect(path)
    accounts.add_user(con, "quantri", "admin", "mat-khau-dai-1")
    accounts.add_user(con, "xem", "viewer", "mat-khau-dai-2")
    yield path
    db.close(path)


def run_as(user: str, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[auth_ui.USER_KEY] = user
    at.session_state[auth_ui.ROLE_KEY] = "admin" if user == "quantri" else "viewer"
    at.query_params.update({"nam": "2026"})
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_admin_sets_a_due_date_on_the_progress_page(admin_demo):
    assert "Lưu" not in [b.label for b in run_as("xem", "tien_do").button]
    at = run_as("quantri", "tien_do")
    cluster = next(s for s in at.selectbox if s.label == "Cụm, khối")
    late = next(
        r
        for r in EXPECTED["submissions_2026"]["rows"]
        if r["status"] == "trễ hạn" and r["period"] == "year"
    )
    cluster.set_value(late["cluster"])
    next(s for s in at.selectbox if s.label == "Kỳ").set_value("year")
    at.date_input[0].set_value(date(2026, 12, 31))
    next(b for b in at.button if b.label == "Lưu").click().run()
    assert not at.exception
    con = db.connect(admin_demo)
    got = con.execute(
        "SELECT status FROM submissions_as_of(DATE '2026-12-28') WHERE year = 2026 "
        "AND period = 'year' AND unit = ?",
        [late["unit"]],
    ).fetchone()
    assert got == ("đúng hạn",)
    actions = [r[0] for r in con.execute("SELECT actor || ':' || action FROM audit_log").fetchall()]
    assert "quantri:due_date_set" in actions


def test_admin_edits_a_rule_on_the_awards_page(admin_demo):
    at = run_as("quantri", "khen_thuong")
    next(s for s in at.selectbox if s.label == "Quy tắc").set_value("BTV-2")
    next(t for t in at.text_input if t.label == "Giá trị mới").set_value("2")
    at.text_area[0].set_value("Hướng dẫn số 12-HD/TU (giả định trong kiểm thử)")
    next(b for b in at.button if b.label == "Lưu quy tắc").click().run()
    assert not at.exception
    over = next(m for m in at.metric if m.label == "Vượt hạn mức")
    assert over.value == "0"  # the tie of Cụm 4 now fits two Bằng khen of the Tỉnh ủy


@pytest.mark.parametrize("view", ["v_submissions", "v_award_proposals"])
def test_year_views_export_to_excel(demo, view):
    from dashboard.export import tables

    cur = db.cursor(demo)
    try:
        frame = tables.select_view(cur, view, year=2026)
    finally:
        cur.close()
    ws = load_workbook(io.BytesIO(tables.to_xlsx(frame, view, filters={"year": 2026}))).worksheets[
        0
    ]
    assert ws.max_row == frame.height + 1 > 1
    headers = [c.value for c in ws[1]]
    if view == "v_submissions":
        due = ws.cell(row=2, column=headers.index("Hạn nộp") + 1)
        assert due.is_date and due.number_format == "dd/mm/yyyy"
    else:
        assert {"Kết quả kiểm tra", "Quy tắc (căn cứ)", "Lý do"} <= set(headers)


def test_a_bad_thidua_today_is_explained_not_fatal(demo, monkeypatch):
    monkeypatch.setenv("THIDUA_TODAY", "28/12/2026")
    at = run("tien_do", {"nam": "2026"})
    assert any("YYYY-MM-DD" in w.value for w in at.warning)
    assert run(None, {"nam": "2026"}).title  # the overview still renders
