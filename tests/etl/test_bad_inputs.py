"""Files that must be refused: a plain Vietnamese message naming the cell or the cause, exit status
1 from `thidua validate`, and nothing loaded (workbooks.md §1)."""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from etl import cli, db
from etl.load import load_file
from tests.etl.builders import (
    Book,
    RawEntry,
    Title,
    counts,
    error_cell,
    formula_cell,
    patch_cells,
    repeated_deflate,
    rows,
    xlsx_with_sheet_xml,
)

ROOT = Path(__file__).resolve().parents[2]
VIETNAMESE = re.compile(
    r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]", re.I
)

SCORES = [
    ("I", "Công tác chuyên môn", "60", None, None),
    ("1", "Hoàn thành kế hoạch công tác", "30", "28,5", "28"),
    ("2", "Thực hiện chế độ báo cáo", "30", "29", "27,5"),
    ("II", "Công tác xây dựng Đảng", "40", "38", "37"),
]


def kind_a(tmp_path: Path, rows_=SCORES, name: str = "a.xlsx", **kw):
    book = Book()
    table = book.kind_a(rows_, **kw)
    return book.save(tmp_path / name), table


def validate_cli(path: Path, capsys) -> tuple[int, dict, str]:
    """`thidua validate --json FILE` and `thidua validate FILE`: exit status, JSON, human text."""
    code = cli.main(["validate", "--json", str(path)])
    out = capsys.readouterr().out
    (obj,) = [json.loads(line) for line in out.splitlines() if line.strip()]
    code_human = cli.main(["validate", str(path)])
    human = capsys.readouterr().out
    assert code_human == code
    return code, obj, human


def errors_of(obj: dict) -> list[dict]:
    return [e for s in obj["sheets"] for e in s["errors"]]


def assert_refused(path: Path, db_file: Path, capsys, words: list[str], cell: str | None = None):
    """Exit 1, a Vietnamese message with ``words`` (and ``cell``), and nothing loaded."""
    code, obj, human = validate_cli(path, capsys)
    assert code == 1
    assert obj["status"] == "refused"
    errs = errors_of(obj)
    assert errs, obj
    hits = [e for e in errs if all(w.lower() in e["message"].lower() for w in words)]
    assert hits, [e["message"] for e in errs]
    assert all(VIETNAMESE.search(e["message"]) for e in errs)
    if cell is not None:
        assert cell in [e["cell"] for e in hits], errs
        assert f"ô {cell}" in human
    assert "Traceback" not in human
    con = db.connect(db_file)
    before = counts(con)
    report = load_file(con, path)
    assert report.status == "refused"
    assert counts(con) == before
    return obj, human


# --- not a workbook at all ------------------------------------------------------------------------


def _pdf(tmp_path: Path) -> Path:
    p = tmp_path / "bang_cham_diem.xlsx"
    p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n")
    return p


def _png(tmp_path: Path) -> Path:
    p = tmp_path / "anh_chup.xlsx"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + b"\x00" * 17)
    return p


def _truncated_zip(tmp_path: Path) -> Path:
    src, _ = kind_a(tmp_path, name="src.xlsx")
    data = src.read_bytes()
    p = tmp_path / "hong.xlsx"
    p.write_bytes(data[: len(data) // 2])  # the download stopped half way
    return p


def _damaged_member(tmp_path: Path) -> Path:
    src, _ = kind_a(tmp_path, name="src.xlsx")
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 20, start + min(info.compress_size - 4, 220)):
        data[k] ^= 0x5A
    p = tmp_path / "hong_ben_trong.xlsx"
    p.write_bytes(bytes(data))
    return p


def _empty(tmp_path: Path) -> Path:
    p = tmp_path / "rong.xlsx"
    p.write_bytes(b"")
    return p


def _encrypted(tmp_path: Path) -> Path:
    """What Excel writes for a password-protected .xlsx: an OLE2 compound file holding the
    streams EncryptionInfo and EncryptedPackage."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHH", header, 24, 0x3E, 3, 0xFFFE, 9)

    def entry(name: str, kind: int) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        e = bytearray(128)
        e[: len(raw)] = raw
        struct.pack_into("<HB", e, 64, len(raw), kind)
        return bytes(e)

    directory = entry("Root Entry", 5) + entry("EncryptionInfo", 2) + entry("EncryptedPackage", 2)
    directory += entry("\x06DataSpaces", 1)
    p = tmp_path / "co_mat_khau.xlsx"
    p.write_bytes(bytes(header) + directory + b"\x00" * 4096)
    return p


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (_pdf, ["PDF", "không phải bảng tính"]),
        (_png, ["hình ảnh"]),
        (_truncated_zip, ["hỏng"]),
        (_empty, ["rỗng"]),
        (_encrypted, ["mật khẩu"]),
    ],
    ids=["pdf", "png", "truncated-zip", "empty", "password"],
)
def test_not_a_readable_workbook(tmp_path, db_file, capsys, make: Callable, words):
    assert_refused(make(tmp_path), db_file, capsys, words)


def test_damaged_sheet_inside_the_zip_says_the_file_is_damaged(tmp_path, db_file, capsys):
    assert_refused(_damaged_member(tmp_path), db_file, capsys, ["hỏng"])


# --- bad cells ------------------------------------------------------------------------------------


def test_text_in_a_score_cell_names_the_cell(tmp_path, db_file, capsys):
    rows_ = [*SCORES[:2], ("2", "Thực hiện chế độ báo cáo", "30", "ba", "27,5"), SCORES[3]]
    path, t = kind_a(tmp_path, rows_)
    cell = t.cell(2, "Tự chấm")
    _, human = assert_refused(path, db_file, capsys, ['"ba"', "không phải là số"], cell)
    assert f'Sheet "Cụm 4", ô {cell}: "ba" không phải là số' in human


def test_formula_without_a_saved_value(tmp_path, db_file, capsys):
    path, t = kind_a(tmp_path)
    cell = t.cell(1, "Tự chấm")
    patch_cells(path, {cell: formula_cell(cell, "30-1,5", None)})
    assert_refused(path, db_file, capsys, ["công thức"], cell)


@pytest.mark.parametrize("error", ["#REF!", "#DIV/0!", "#VALUE!", "#N/A"])
def test_error_cells(tmp_path, db_file, capsys, error):
    path, t = kind_a(tmp_path)
    cell = t.cell(3, "Cụm chấm")
    patch_cells(path, {cell: error_cell(cell, error, "F99/0")})
    assert_refused(path, db_file, capsys, [error], cell)


def test_formula_with_a_saved_value_counts(con, tmp_path):
    path, t = kind_a(tmp_path)
    cell = t.cell(3, "Tự chấm")
    patch_cells(path, {cell: formula_cell(cell, "SUM(E10:E11)", "37.5")})
    report = load_file(con, path)
    assert report.status == "loaded", [i.human() for i in report.errors]
    (u,) = rows(con, "SELECT self_score FROM v_unit_scores")
    assert u["self_score"] == pytest.approx(28.5 + 29 + 37.5)


@pytest.mark.parametrize(
    ("encoding", "unit", "criterion"),
    [
        ("TCVN3", "Së Tµi chÝnh", "C«ng t¸c chuyªn m«n"),
        ("TCVN3", "Ban Tæ chøc TØnh ñy", "Thùc hiÖn chÕ ®é b¸o c¸o"),
        ("VNI", "Sôû Taøi chính", "Coâng taùc chuyeân moân"),
        ("VNI", "Ban Toå chöùc Tænh uûy", "Thöïc hieän cheá ñoä baùo caùo"),
    ],
)
def test_legacy_encodings(tmp_path, db_file, capsys, encoding, unit, criterion):
    rows_ = [("I", criterion, "100", "90", "90")]
    path, _ = kind_a(tmp_path, rows_, title=Title(unit=unit, nfd_names=False))
    code, obj, _ = validate_cli(path, capsys)
    if code == 0:  # converted: the clerk sees the name in Unicode
        con = db.connect(db_file)
        assert load_file(con, path).status == "loaded"
        (u,) = rows(con, "SELECT unit FROM v_unit_scores")
        assert u["unit"].startswith(("Sở Tài chính", "Ban Tổ chức"))
        return
    assert_refused(path, db_file, capsys, [encoding])
    assert any("Unicode" in e["message"] for e in errors_of(obj))


def test_ambiguous_thousands_without_evidence(tmp_path, db_file, capsys):
    rows_ = [("I", "Công tác chuyên môn", "100", "80.000", "80")]
    path, t = kind_a(tmp_path, rows_)
    assert_refused(path, db_file, capsys, ["80.000"], t.cell(0, "Tự chấm"))


def test_ambiguous_number_settled_by_the_column(con, tmp_path):
    # Another cell of the column ("55.25") proves a decimal point: "35.000" is thirty-five.
    rows_ = [
        ("I", "Công tác chuyên môn", "60", "55.25", None),
        ("II", "Công tác xây dựng Đảng", "40", "35.000", None),
    ]
    path, _ = kind_a(tmp_path, rows_)
    report = load_file(con, path)
    assert report.status == "loaded", [i.human() for i in report.errors]
    (u,) = rows(con, "SELECT self_score FROM v_unit_scores")
    assert u["self_score"] == pytest.approx(90.25)


# --- sheets ---------------------------------------------------------------------------------------


def test_no_sheet_recognised(tmp_path, db_file, capsys):
    book = Book()
    book.text_sheet(
        "Báo cáo", ["BÁO CÁO THÀNH TÍCH NĂM 2026", "Năm 2026, đơn vị đã hoàn thành ..."]
    )
    book.empty_sheet("Sheet2")
    path = book.save(tmp_path / "bao_cao.xlsx")
    assert_refused(path, db_file, capsys, ["không nhận ra"])


def test_instructions_and_empty_sheets_are_skipped_with_a_reason(con, tmp_path):
    book = Book()
    book.text_sheet(
        "Hướng dẫn", ["Hướng dẫn điền bảng chấm điểm", "1. Điền điểm tự chấm vào cột E"]
    )
    book.kind_a(SCORES)
    book.empty_sheet("Sheet3")
    report = load_file(con, book.save(tmp_path / "a.xlsx"))
    assert report.status == "loaded"
    sheets = {s.name: s for s in report.sheets}
    assert sheets["Cụm 4"].kind == "A"
    assert sheets["Cụm 4"].rows == 4
    for name in ("Hướng dẫn", "Sheet3"):
        assert sheets[name].kind is None
        assert sheets[name].skipped_reason and "Bỏ qua" in sheets[name].skipped_reason
    assert "hướng dẫn" in sheets["Hướng dẫn"].skipped_reason
    assert len(rows(con, "SELECT * FROM v_unit_scores")) == 1


def test_chart_sheet_is_skipped_with_a_reason(con, tmp_path):
    from openpyxl.chart import BarChart, Reference

    book = Book()
    book.kind_a(SCORES)
    ws = book.wb["Cụm 4"]
    chart = BarChart()
    chart.add_data(Reference(ws, min_col=5, min_row=11, max_row=14))
    book.wb.create_chartsheet("Biểu đồ").add_chart(chart)
    report = load_file(con, book.save(tmp_path / "a.xlsx"))
    assert report.status == "loaded", [i.human() for i in report.errors]
    sheets = {s.name: s for s in report.sheets}
    assert sheets["Biểu đồ"].kind is None
    assert "biểu đồ" in (sheets["Biểu đồ"].skipped_reason or "")


def test_one_bad_sheet_refuses_the_whole_file(tmp_path, db_file, capsys):
    book = Book()
    book.kind_a(SCORES, name="Đơn vị 1")
    book.kind_a(
        [("I", "Công tác chuyên môn", "100", "chín mươi", "90")],
        name="Đơn vị 2",
        title=Title(unit="Văn phòng Đảng ủy Công an tỉnh"),
    )
    path = book.save(tmp_path / "hai_don_vi.xlsx")
    assert_refused(path, db_file, capsys, ['"chín mươi"'])


# --- zip bombs ------------------------------------------------------------------------------------

_PROBE = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    limit = 3 * 1024 ** 3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))  # a runaway reader fails, not the box
    from etl.load import validate_file
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    try:
        report = validate_file(Path(sys.argv[1]))
        status, errors = report.status, [i.message for i in report.errors]
    except MemoryError:
        status, errors = "MemoryError", []
    seconds = time.monotonic() - start
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
    print(json.dumps({"status": status, "errors": errors, "seconds": seconds, "grown": grown}))
""")


def _probe(path: Path) -> dict:
    """Validate ``path`` in a fresh process: its own time and peak memory growth."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def _bomb(tmp_path: Path, mib: int, declared: int | None = None, crc_of_prefix: bool = False):
    """A valid scoring workbook whose sheet XML holds ``mib`` MiB of whitespace inside
    <sheetData>, deflated block by block: a few MB on disk."""
    src, _ = kind_a(tmp_path, name="src.xlsx")
    with zipfile.ZipFile(src) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml")
    cut = xml.index(b"</sheetData>")
    prefix, suffix = xml[:cut], xml[cut:]
    chunks, csize, usize, crc = repeated_deflate(prefix, b" \n" * (1 << 19), mib, suffix)
    size = usize if declared is None else declared
    if crc_of_prefix:  # the CRC of exactly the declared bytes: a reader that stops there is fooled
        pad = size - len(prefix)
        crc = zlib.crc32(prefix + b" \n" * (pad // 2) + b" " * (pad % 2))
    path = tmp_path / "bom.xlsx"
    xlsx_with_sheet_xml(path, RawEntry("xl/worksheets/sheet1.xml", chunks, crc, csize, size), src)
    return path, usize


def test_zip_bomb_is_refused_fast_and_small(tmp_path, db_file, capsys):
    path, inflated = _bomb(tmp_path, 2048)
    assert inflated > 2 * 1024**3
    assert path.stat().st_size < 5 * 1024**2
    got = _probe(path)
    assert got["status"] == "refused", got
    assert got["seconds"] < 5, got
    assert got["grown"] < 300 * 1024**2, got
    assert any("giải nén" in m for m in got["errors"]), got
    assert_refused(path, db_file, capsys, ["giải nén"])


def test_entry_declaring_a_small_size_but_inflating_large(tmp_path, db_file, capsys):
    path, _ = _bomb(tmp_path, 512, declared=200_000)
    got = _probe(path)
    assert got["status"] == "refused", got
    assert got["seconds"] < 5, got
    assert got["grown"] < 300 * 1024**2, got
    assert_refused(path, db_file, capsys, ["hỏng"])


def test_entry_lying_about_its_size_with_a_matching_crc(tmp_path):
    path, _ = _bomb(tmp_path, 512, declared=200_000, crc_of_prefix=True)
    got = _probe(path)
    assert got["status"] == "refused", got
    assert got["seconds"] < 5, got
    assert got["grown"] < 300 * 1024**2, got


# --- sheet size: the cells that hold a value, not the declared dimension --------------------------


def _edit_sheet_xml(path: Path, edit: Callable[[str], str]) -> Path:
    """Rewrite the first worksheet's XML of a saved workbook."""
    with zipfile.ZipFile(path) as zf:
        entries = [(info.filename, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            if name == "xl/worksheets/sheet1.xml":
                data = edit(data.decode("utf-8")).encode("utf-8")
            zf.writestr(name, data)
    return path


def _far_cell(xml: str, cell: str, dimension: str) -> str:
    """Declare ``dimension`` and add ``cell`` (a whole <c> element) in row 1048576."""
    xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', xml)
    return xml.replace("</sheetData>", f'<row r="1048576">{cell}</row></sheetData>')


def test_a_stray_formatted_cell_at_the_sheet_end_is_not_refused(tmp_path, db_file, capsys):
    """Formatting XFD1048576 makes the dimension A1:XFD1048576 (17 billion cells), but the cell is
    empty: the sheet is as small as before and checks exactly as before."""
    plain, _ = kind_a(tmp_path, name="plain.xlsx")
    stray, _ = kind_a(tmp_path, name="stray.xlsx")
    _edit_sheet_xml(stray, lambda x: _far_cell(x, '<c r="XFD1048576" s="1"/>', "A1:XFD1048576"))
    code_plain, obj_plain, _ = validate_cli(plain, capsys)
    code_stray, obj_stray, human = validate_cli(stray, capsys)
    assert code_plain == 0, obj_plain
    assert (code_stray, obj_stray["status"]) == (code_plain, obj_plain["status"]), human
    assert errors_of(obj_stray) == errors_of(obj_plain)


@pytest.mark.parametrize(
    ("dimension", "far", "named"),
    [
        (
            "A1:XFD1048576",
            '<c r="XFD1048576" t="inlineStr"><is><t>ghi chú</t></is></c>',
            "XFD1048576",
        ),
        ("A1:F12", '<c r="XFD1048576" t="inlineStr"><is><t>ghi chú</t></is></c>', "XFD1048576"),
        ("A1:F12", '<c t="inlineStr" r="XFD1048576"><is><t>ghi chú</t></is></c>', "XFD1048576"),
        ("A1:F12", '<c t="inlineStr"><is><t>ghi chú</t></is></c>', "A1048576"),
    ],
    ids=["declared", "understated", "reference-not-first", "no-reference"],
)
def test_a_value_far_from_the_table_is_refused_naming_it(
    tmp_path, db_file, capsys, dimension, far, named
):
    """One value at XFD1048576 beside a table at A1 would make the reader allocate 17 billion
    cells (and crash the server): refused, naming the cell, with little memory, even when the
    sheet's <dimension> understates the area or the cell hides its reference."""
    path, _ = kind_a(tmp_path, name="xa.xlsx")
    _edit_sheet_xml(path, lambda x: _far_cell(x, far, dimension))
    got = _probe(path)
    assert got["status"] == "refused", got
    assert got["grown"] < 300 * 1024**2, got
    obj, _ = assert_refused(path, db_file, capsys, [named, "xóa"])
    assert all("ô. " not in e["message"] for e in errors_of(obj))


def test_more_valued_cells_than_the_limit_is_refused_in_plain_words(
    tmp_path, db_file, capsys, monkeypatch
):
    many = [("I", "Công tác chuyên môn", "1000", None, None)] + [
        (f"{i}", f"Tiêu chí {i}", "1", "1", "1") for i in range(1, 400)
    ]
    path, _ = kind_a(tmp_path, rows_=many)
    monkeypatch.setenv("THIDUA_MAX_CELLS", "1500")
    obj, _ = assert_refused(path, db_file, capsys, ["1.500 ô có dữ liệu, vượt giới hạn"])
    monkeypatch.setenv("THIDUA_MAX_CELLS", "5000")
    code, obj, _ = validate_cli(path, capsys)
    assert code == 0, errors_of(obj)


def test_a_far_value_in_namespace_prefixed_xml_is_refused(tmp_path, db_file, capsys):
    """Some programs write <x:c> instead of <c>; the reader takes both as cells."""

    def prefixed(xml: str) -> str:
        xml = xml.replace('<worksheet xmlns="', '<x:worksheet xmlns:x="', 1)
        xml = re.sub(r"<(/?)(?!x:)([a-zA-Z]+)", r"<\1x:\2", xml)
        far = '<x:row r="1048576"><x:c r="XFD1048576" t="inlineStr"><x:is><x:t>xa</x:t></x:is>'
        return xml.replace("</x:sheetData>", far + "</x:c></x:row></x:sheetData>")

    path, _ = kind_a(tmp_path, name="tien_to.xlsx")
    _edit_sheet_xml(path, prefixed)
    got = _probe(path)
    assert got["status"] == "refused", got
    assert got["grown"] < 300 * 1024**2, got
    assert_refused(path, db_file, capsys, ["XFD1048576", "xóa"])
