"""Excel export of the views: what a user sees on opening the file (headers, values equal to the
database, number formats, frozen header, filter), and that no text ever runs as a formula."""

from __future__ import annotations

import io
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from dashboard import ui
from dashboard.export import tables, xlsx
from etl import cli, db
from tests.dashboard.conftest import C1, C1_UNITS
from tests.dashboard.test_pages import run as run_page
from tests.etl.builders import Book
from tests.etl.test_views import INTERFACE_VIEWS

NUMERIC = ("INTEGER", "BIGINT", "DOUBLE", "DECIMAL", "HUGEINT", "TIMESTAMP", "DATE")


@pytest.fixture
def cur(fixture_db: Path) -> duckdb.DuckDBPyConnection:
    cur = db.cursor(fixture_db)
    yield cur
    cur.close()


def sheet(data: bytes | Path) -> Worksheet:
    wb = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    return wb.worksheets[0]


def rows_of(ws: Worksheet) -> list[dict]:
    """The data rows as {header: cell}."""
    headers = [c.value for c in ws[1]]
    return [dict(zip(headers, r, strict=True)) for r in ws.iter_rows(min_row=2)]


def info(data: bytes | Path) -> dict:
    wb = load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)
    return {a.value: b.value for a, b in wb["Thông tin"].iter_rows()}


@pytest.mark.parametrize("view", sorted(tables.VIEWS))
def test_declared_columns_exist_in_order_with_formats(cur, view):
    types = dict(cur.sql(f"SELECT column_name, column_type FROM (DESCRIBE {view})").fetchall())
    declared = [c.name for c in tables.VIEWS[view].columns]
    assert set(declared) <= set(types)
    contract = list(INTERFACE_VIEWS[view])
    assert declared[: len(contract)] == contract  # the interface columns first, in their order
    for c in tables.VIEWS[view].columns:
        assert c.header and not c.header[0].islower(), c
        numeric = types[c.name].startswith(NUMERIC) and c.labels is None
        assert (c.number_format is not None) == numeric, c


def test_ranking_export_matches_the_view(cur, fixture_db):
    frame = tables.select_view(cur, "v_unit_scores", year=2026, cluster=C1)
    ws = sheet(tables.to_xlsx(frame, "v_unit_scores", filters={"year": 2026, "cluster": C1}))
    spec = tables.VIEWS["v_unit_scores"]
    assert ws.title == "Xếp hạng"
    assert [c.value for c in ws[1]] == [c.header for c in spec.columns]
    assert ws[1][0].font.b and ws[1][0].fill.fgColor.rgb.endswith("DDEBF7")
    assert ws.freeze_panes == "A2"
    last = chr(ord("A") + len(spec.columns) - 1)
    assert ws.auto_filter.ref == f"A1:{last}{len(C1_UNITS) + 1}"

    got = rows_of(ws)
    expected = cur.sql(
        "SELECT unit, total_score, deduction, rank FROM v_unit_scores "
        "WHERE year = 2026 AND cluster = $c ORDER BY rank NULLS LAST, unit",
        params={"c": C1},
    ).fetchall()
    assert [(r["Đơn vị"].value, r["Tổng điểm"].value) for r in got] == [e[:2] for e in expected]
    assert sum(r["Điểm trừ"].value for r in got) == pytest.approx(sum(e[2] for e in expected))
    first = got[0]
    assert first["Năm"].value == 2026 and first["Năm"].number_format == "0"
    assert first["Tổng điểm"].number_format == "#,##0.00" and first["Tổng điểm"].data_type == "n"
    assert first["% điểm chuẩn"].number_format == "#,##0.0"
    assert first["Hạng"].value == 1 and first["Dẫn đầu"].value == "Dẫn đầu"
    assert first["Tổng điểm tính theo"].value == "Cụm chấm"
    assert [r["Hạng"].value for r in got] == [1, 2, 2, 4]  # đồng hạng
    for letter, dim in ws.column_dimensions.items():
        assert 6 <= dim.width <= xlsx.MAX_WIDTH + 2, letter
    about = info(tables.to_xlsx(frame, "v_unit_scores", filters={"year": 2026, "cluster": C1}))
    assert about["Bộ lọc"] == f"Năm: 2026; Cụm, khối thi đua: {C1}"
    assert about["Số dòng"] == len(C1_UNITS)


def test_another_reader_sees_the_same_numbers(cur, tmp_path):
    """calamine (polars.read_excel) reads the rows written as sheet XML like Excel would."""
    path = tmp_path / "chi_tieu.xlsx"
    assert tables.write_view(cur, "v_target_completion", path, year=2026) == 48
    read = pl.read_excel(path, sheet_name="Hoàn thành chỉ tiêu")
    db_rows = cur.sql(
        "SELECT sum(planned), sum(actual), sum(completion_pct) FROM v_target_completion "
        "WHERE year = 2026"
    ).fetchall()[0]
    assert read.height == 48
    assert read["Kế hoạch"].sum() == pytest.approx(db_rows[0])
    assert read["Thực hiện"].sum() == pytest.approx(db_rows[1])
    assert read["% hoàn thành"].sum() == pytest.approx(db_rows[2])
    assert info(path)["Cơ sở dữ liệu"].endswith("t.duckdb")


def test_codes_are_shown_in_words(cur):
    ws = sheet(
        tables.to_xlsx(tables.select_view(cur, "v_target_completion"), "v_target_completion")
    )
    got = rows_of(ws)
    assert [r["Kỳ"].value for r in got[:1]] == ["Cả năm"]  # the whole year before the half
    assert {r["Kỳ"].value for r in got} == {"Cả năm", "6 tháng đầu năm"}
    assert {r["Chiều"].value for r in got} == {"Càng cao càng tốt", "Càng thấp càng tốt"}
    assert {r["Kết quả"].value for r in got} == {"Đạt", "Chưa đạt", "Chưa có kết quả"}

    ws = sheet(
        tables.to_xlsx(tables.select_view(cur, "v_province_indicators"), "v_province_indicators")
    )
    got = rows_of(ws)
    assert {"Thực hiện", "Ước thực hiện"} <= {r["Loại số liệu"].value for r in got}
    assert {"Đạt", "Chưa đạt"} <= {r["Đánh giá"].value for r in got}
    falls = [
        r["Thay đổi so với năm trước"] for r in got if r["Chỉ tiêu"].value.startswith("Tỷ lệ hộ")
    ]
    assert any(c.value is not None and c.value < 0 and c.data_type == "n" for c in falls)

    ws = sheet(tables.to_xlsx(tables.select_view(cur, "v_imports"), "v_imports"))
    got = rows_of(ws)
    assert {"Đã nạp", "Bị thay thế", "Đã rút"} <= {r["Trạng thái"].value for r in got}
    loaded_at = got[-1]["Thời điểm nạp"]
    assert loaded_at.is_date and loaded_at.number_format == "dd/mm/yyyy hh:mm"


def test_filters_apply_where_the_view_has_the_column(cur):
    all_units = tables.select_view(cur, "v_unit_scores", year=2026)
    assert set(all_units["cluster"]) == {C1, "Khối thi đua số 2"}
    one = tables.select_view(cur, "v_criterion_scores", year=2026, unit=C1_UNITS[0])
    assert set(one["unit"]) == {C1_UNITS[0]} and one.height == 7
    half = tables.select_view(cur, "v_target_completion", period="H1")
    assert set(half["period"]) == {"H1"}
    indicators = tables.select_view(cur, "v_province_indicators")
    # no cluster column: the filter does not apply (and does not empty the table)
    assert tables.select_view(cur, "v_province_indicators", cluster=C1).height == indicators.height
    # values are bound, never spliced into the SQL
    assert tables.select_view(cur, "v_unit_scores", cluster="x' OR '1'='1").is_empty()


@pytest.mark.parametrize("view", ["v_nope", "imports", 'v_imports" --', "v_unit_scores; DROP"])
def test_only_declared_views(cur, view):
    with pytest.raises(ValueError, match="chỉ xuất được các view v_unit_scores"):
        tables.select_view(cur, view)


def test_file_name_is_ascii():
    name = tables.file_name("v_unit_scores", year=2026, cluster="Cụm thi đua số 1")
    assert name == "xep-hang_2026_cum-thi-dua-so-1.xlsx"
    assert tables.file_name("v_province_indicators", cluster="Cụm 1") == "chi-tieu-ktxh.xlsx"
    assert tables.file_name("v_target_completion", year=2026, period="H1") == (
        "chi-tieu_2026_h1.xlsx"
    )


DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://x","bấm")',
    "+84 263 382",
    "-nộp trễ",
    "@canbo1",
    "\t=1",
    "\r=1",
    "\n=1",
    "#N/A",
    "=",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_needs_guard(text):
    assert xlsx.needs_guard(text)


@pytest.mark.parametrize("text", ["Sở Tài chính", "1 = 1", "a-b", "mail@x", "", " =1"])
def test_plain_text_needs_no_guard(text):
    assert not xlsx.needs_guard(text)


def members(units: list[str], roles: list[str]) -> pl.DataFrame:
    n = len(units)
    return pl.DataFrame(
        {
            "year": [2026] * n,
            "cluster": [C1] * n,
            "unit": units,
            "role": roles,
            "short_name": [None] * n,
            "import_id": [-1] * n,
        },
        schema_overrides={"short_name": pl.String},
    )


def test_formula_text_stays_text_and_negative_numbers_stay_numbers():
    frame = members(DANGEROUS, ["Thành viên"] * len(DANGEROUS))
    got = rows_of(sheet(tables.to_xlsx(frame, "v_cluster_members")))
    for text, row in zip(DANGEROUS, got, strict=True):
        cell = row["Đơn vị"]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True)
        assert row["Vai trò"].quotePrefix is False
        assert row["Mã lần nạp"].value == -1 and row["Mã lần nạp"].data_type == "n"


def test_information_sheet_text_is_guarded_too():
    frame = pl.DataFrame({"a": ["x"]})
    data = xlsx.workbook(frame, title="T", headers=["A"], formats=[None], about=[("Ghi chú", "=1")])
    cell = load_workbook(io.BytesIO(data))["Thông tin"]["B1"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1", "s", True)


@settings(max_examples=60, deadline=None)
@given(st.text())
@example("=1+1")
@example('=HYPERLINK("http://x","bấm")')
@example("\r\n=1")
@example("a\x00b")
@example("\ufffe=")
@example("#REF!")
@example("  ")
def test_any_text_reads_back_as_the_same_string(text):
    """Short (plain cells) or beside a long text (wrapped cells): the same string, never a
    formula; control characters XML cannot hold are dropped."""
    frame = members([text, "x"], [text, "y" * (xlsx.MAX_WIDTH + 10)])
    row = rows_of(sheet(tables.to_xlsx(frame, "v_cluster_members")))[0]
    kept = "".join(
        ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and ch not in "\ufffe\uffff")
    )
    for cell in (row["Đơn vị"], row["Vai trò"]):
        assert cell.data_type != "f"
        if kept:
            assert (cell.value, cell.data_type) == (kept, "s")
            assert cell.quotePrefix == xlsx.needs_guard(kept)
        else:
            assert cell.value is None


def test_a_large_export_round_trips():
    n = 100_000
    frame = pl.DataFrame(
        {
            "year": [2026] * n,
            "cluster": [C1] * n,
            "unit": [f"Đơn vị {i % 500}" for i in range(n)],
            "seq": range(n),
            "code": ["a1"] * n,
            "parent_seq": range(n),
            "level": [2] * n,
            "criterion": ["Thực hiện nhiệm vụ chính trị được giao, chỉ tiêu trọng tâm"] * n,
            "section": ["criterion", "bonus", "deduction", "criterion"] * (n // 4),
            "max_points": [10.0] * n,
            "self_score": [9.5] * n,
            "assessed_score": [-0.5] * n,
            "source_file": ["bang_cham.xlsx"] * n,
            "source_sheet": ["Cụm 4"] * n,
            "source_cell": ["F12"] * n,
            "import_id": [3] * n,
        }
    )
    data = tables.to_xlsx(frame, "v_criterion_scores")  # how fast: benchmarks/exports.py
    read = pl.read_excel(io.BytesIO(data), sheet_name="Điểm theo tiêu chí")
    assert read.height == n
    assert read["Cụm chấm"].sum() == pytest.approx(-0.5 * n)
    assert set(read["Phần"]) == {"Tiêu chí", "Điểm thưởng", "Điểm trừ"}


# --- the buttons under the page tables -------------------------------------------------------

PAGE_BUTTONS = {
    "tong_quan": ["lead_xlsx"],
    "xep_hang": ["ranking_xlsx"],
    "don_vi": ["criteria_xlsx", "unit_targets_xlsx"],
    "chi_tieu": ["targets_xlsx"],
    "kinh_te_xa_hoi": ["indicators_xlsx"],
}


@pytest.mark.parametrize("page", PAGE_BUTTONS)
def test_page_tables_offer_excel(fixture_db, monkeypatch, page):
    monkeypatch.setenv("THIDUA_DB", str(fixture_db))
    at = run_page(page, {"nam": "2026", "cum": C1, "don_vi": C1_UNITS[0]})
    labels = {b.key: b.label for b in at.download_button}
    for key in PAGE_BUTTONS[page]:
        assert "Tải Excel" in labels[key], labels


def test_the_button_builds_the_file_on_click_with_its_own_cursor(fixture_db, monkeypatch):
    monkeypatch.setenv("THIDUA_DB", str(fixture_db))
    button: dict = {}
    monkeypatch.setattr(ui.st, "download_button", lambda label, **kw: button.update(kw))
    ui.excel_download("v_unit_scores", key="k", year=2026, cluster=C1)
    assert button["file_name"] == "xep-hang_2026_cum-thi-dua-so-1.xlsx"
    assert button["mime"] == xlsx.MIME and button["on_click"] == "ignore"
    with ThreadPoolExecutor(1) as pool:  # Streamlit runs it outside the script thread
        data = pool.submit(button["data"]).result()
    got = rows_of(sheet(data))
    assert got[0]["Đơn vị"].value == C1_UNITS[0]  # the leader first
    assert len(got) == len(C1_UNITS) and {r["Cụm, khối thi đua"].value for r in got} == {C1}


# --- end to end: a clerk's workbook through the loader and `thidua export table` --------------


def test_hyperlink_typed_in_a_targets_sheet_never_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("THIDUA_DB", str(tmp_path / "unused.duckdb"))  # main() sets it from --db
    monkeypatch.delenv("THIDUA_ORIGINALS_DIR", raising=False)
    formula = '=HYPERLINK("http://x","bấm")'
    book = Book()
    t = book.kind_c(
        [
            (1, formula, "hồ sơ", "200", "230", None, "-nộp trễ 2 hồ sơ"),
            (2, "Tăng trưởng dư nợ tín dụng", "%", "5", "-1,5", None, "@canbo1 kiểm tra lại"),
        ]
    )
    typed = book.wb[t.sheet][t.cell(0, "Chỉ tiêu")]
    typed.data_type = "s"  # what the clerk's apostrophe leaves: text, not a formula
    source = book.save(tmp_path / "chi_tieu.xlsx")
    database = tmp_path / "db" / "thidua.duckdb"
    out = tmp_path / "out.xlsx"
    try:
        assert cli.main(["load", "--db", str(database), str(source)]) == 0
        code = cli.main(
            ["export", "table", "v_target_completion", "-o", str(out), "--db", str(database)]
        )
    finally:
        db.close_all()
    assert code == 0
    assert "2 dòng" in capsys.readouterr().out

    by_target = {r["Chỉ tiêu"].value: r for r in rows_of(sheet(out))}
    link = by_target[formula]["Chỉ tiêu"]
    assert (link.value, link.data_type, link.quotePrefix) == (formula, "s", True)
    note = by_target[formula]["Ghi chú"]
    assert (note.value, note.data_type, note.quotePrefix) == ("-nộp trễ 2 hồ sơ", "s", True)
    credit = by_target["Tăng trưởng dư nợ tín dụng"]
    assert (credit["Thực hiện"].value, credit["Thực hiện"].data_type) == (-1.5, "n")
    assert credit["Ghi chú"].value == "@canbo1 kiểm tra lại" and credit["Ghi chú"].quotePrefix
    assert credit["Kết quả"].value == "Chưa đạt"
    with zipfile.ZipFile(out) as zf:  # no formula anywhere in the file
        assert not any(b"<f>" in zf.read(n) for n in zf.namelist() if n.startswith("xl/work"))
