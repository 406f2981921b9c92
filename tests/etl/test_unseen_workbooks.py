"""Acceptance: workbooks the project has never seen, typed the way offices type them.

Every workbook here follows ../shared/spec/workbooks.md but differs from tools/samples.py and
tests/etl/builders.py: tables starting in column C or D, long merged title blocks, header synonyms
used nowhere else ("Số TT", "Mã tiêu chí", "Thang điểm", "Đơn vị tự chấm", "Điểm Hội đồng chấm",
"Tên tập thể", "Xếp thứ", "KH năm", "% so KH", "Hướng", "Nghị quyết", "Chức danh trong cụm"...),
codes "Tiêu chuẩn 1" / "Phần I" / "a1.2" / "B1.1", bonus and deduction sections typed with either
sign, a deduction cap note, several unit sheets with an instructions sheet, and so on.

Expected figures are worked out by hand from the contract (workbooks.md §2-6, interface.md §2-3)
and written as literals with their arithmetic. Where the ETL disagrees with the contract the test
still asserts the contract's answer and is marked ``xfail(strict=True, reason="BUG: ...")``.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from etl import db
from etl.load import LoadOptions, load_file

XS = "Hoàn thành xuất sắc nhiệm vụ"  # >= 90 % of max_score
TOT = "Hoàn thành tốt nhiệm vụ"  # >= 70 %
HT = "Hoàn thành nhiệm vụ"  # >= 50 %
KHT = "Không hoàn thành nhiệm vụ"  # below


def nfd(text: str) -> str:
    """Decomposed Unicode, as some Vietnamese keyboard settings type it."""
    return unicodedata.normalize("NFD", text)


# --- a small typist: one sheet, top to bottom ----------------------------------------------------


class Typist:
    """Types a sheet row by row, the table starting in column ``col0`` (1-based).

    ``str`` values are written as typed text, numbers as real numbers, ``None`` left blank.
    """

    def __init__(self, ws, col0: int = 1, width: int = 6) -> None:
        self.ws, self.c0, self.width, self.r = ws, col0, width, 1

    def _merge(self, row: int, first: int, last: int) -> None:
        if last > first:
            self.ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)

    def line(self, text: str, at: int = 0) -> int:
        """A title line merged across the table's width."""
        self.ws.cell(self.r, self.c0 + at, text)
        self._merge(self.r, self.c0 + at, self.c0 + self.width - 1)
        self.r += 1
        return self.r - 1

    def pair(self, left: str | None, right: str | None, split: int = 3) -> int:
        """Issuing body on the left, motto or date on the right, each merged."""
        if left is not None:
            self.ws.cell(self.r, self.c0, left)
            self._merge(self.r, self.c0, self.c0 + split - 1)
        if right is not None:
            self.ws.cell(self.r, self.c0 + split, right)
            self._merge(self.r, self.c0 + split, self.c0 + self.width - 1)
        self.r += 1
        return self.r - 1

    def blank(self, n: int = 1) -> None:
        self.r += n

    def row(self, *values) -> int:
        for j, v in enumerate(values):
            if v is not None:
                self.ws.cell(self.r, self.c0 + j, v)
        self.r += 1
        return self.r - 1

    def two_row_header(self, cells) -> int:
        """A label (merged over both rows) or ``(group, [subs])`` per column."""
        top, c = self.r, self.c0
        for h in cells:
            if isinstance(h, tuple):
                label, subs = h
                self.ws.cell(top, c, label)
                self._merge(top, c, c + len(subs) - 1)
                for k, s in enumerate(subs):
                    self.ws.cell(top + 1, c + k, s)
                c += len(subs)
            else:
                self.ws.cell(top, c, h)
                self.ws.merge_cells(start_row=top, start_column=c, end_row=top + 1, end_column=c)
                c += 1
        self.r += 2
        return top

    def addr(self, row: int, j: int) -> str:
        return f"{get_column_letter(self.c0 + j)}{row}"


def new_book(sheet: str) -> tuple[Workbook, object]:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    return wb, ws


# --- fixtures and queries ------------------------------------------------------------------------


@pytest.fixture
def con(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("THIDUA_ORIGINALS_DIR", raising=False)
    path = tmp_path / "db" / "unseen.duckdb"
    monkeypatch.setenv("THIDUA_DB", str(path))
    yield db.connect(path)
    db.close_all()


def q(con, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def load(con, path: Path, options: LoadOptions | None = None):
    report = load_file(con, path, options)
    assert report.status == "loaded", [i.human() for s in report.sheets for i in s.issues]
    return report


def units(con, import_id: int | None = None) -> dict[str, dict]:
    sql = "SELECT * FROM v_unit_scores" + (" WHERE import_id = ?" if import_id else "")
    return {u["unit"]: u for u in q(con, sql, [import_id] if import_id else [])}


def criteria(con, unit: str) -> list[dict]:
    return q(con, "SELECT * FROM v_criterion_scores WHERE unit = ? ORDER BY seq", [unit])


def seq_of(rows: list[dict], criterion: str) -> int:
    (hit,) = [r["seq"] for r in rows if r["criterion"] == criterion]
    return hit


def issues(report, severity: str) -> list:
    return [i for s in report.sheets for i in s.issues if i.severity == severity]


# === Kind A ======================================================================================


def build_wps_column_d(path: Path) -> None:
    """WPS-style: table in column D, 12-row title, UPPER-CASE broken headers, (1)..(6) row."""
    wb, ws = new_book("Bang cham diem")
    t = Typist(ws, col0=4, width=6)
    t.pair("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "ĐẢNG CỘNG SẢN VIỆT NAM")
    t.pair("ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH", None)
    t.pair("*", None)
    t.pair("Số: 07-BC/BTGDV", "Lâm Đồng, ngày 10 tháng 01 năm 2027")  # date year 2027 loses
    t.blank()
    t.line("BẢNG CHẤM ĐIỂM THI ĐUA")
    t.line("NĂM 2026")
    t.line("(Kèm theo Hướng dẫn số 05-HD/ĐU ngày 12/3/2026)")
    t.line(nfd("Đơn vị: Ban Tuyên giáo và Dân vận Tỉnh ủy"))
    t.line("Thuộc: CỤM THI ĐUA SỐ 2")
    t.blank()
    t.row(
        "SỐ\nTT",
        "NỘI DUNG  CHẤM ĐIỂM:",
        "THANG\nĐIỂM",
        "ĐƠN VỊ\nTỰ CHẤM",
        "ĐIỂM THẨM\nĐỊNH",
        "GHI CHÚ",
    )  # row 12: D..I
    t.row("(1)", "(2)", "(3)", "(4)", "(5)", "(6)")
    t.row("Tiêu chuẩn 1", "Công tác tham mưu", 30)  # row 14
    t.row("1", "Tham mưu ban hành văn bản", 15, 15, "14,5")  # own value AND children
    t.row("1.1", "Đúng thời hạn", 10, 10, "9,5")
    t.row("1.2", "Đúng thể thức", 5, 5, 4)
    t.row("2", "Sơ kết, tổng kết", 15, "14", "13,5")
    t.row("Tiêu chuẩn 2", "Công tác tuyên truyền", 40)
    t.row("a", "Tuyên truyền nghị quyết", 20, "19,5", 18)
    t.row("b", "Dư luận xã hội", 20, 18, "17,5")
    t.row("Tiêu chuẩn 3", "Công tác dân vận", 30)
    t.row("a", "Dân vận chính quyền", 15, 15, 15)  # letters restart
    t.row("b", "Phong trào thi đua dân vận khéo", 15, "12,5", "12")
    t.row("-", "Chậm báo cáo quý III", None, "- 0,5", "-1")  # detail under b (own wins)
    t.row(None, "Cộng điểm", 5)
    t.row("+", "Được Ban Thường vụ biểu dương", None, "+ 1,2", "1")
    t.row("+", "Có sáng kiến được công nhận", None, "1", "0,5")
    t.row(None, "Trừ điểm")
    t.row("-", "Chậm nộp báo cáo", None, "- 0,5", "0,5")
    t.row("-", "Sai sót số liệu", None, "0,5", "- 1")
    t.row(None, "TỔNG CỘNG", "100 điểm", "95,2", "90")  # row 32; 90 is the sheet's own slip
    t.blank()
    t.row("Nơi nhận:", None, None, "TM. BAN THƯỜNG VỤ")
    t.row("- Như trên;", None, None, "K/T TRƯỞNG BAN")
    t.row("- Lưu VP.", None, None, "PHÓ TRƯỞNG BAN")
    t.blank(3)
    t.row(None, None, None, "Nguyễn Văn Bình")
    wb.save(path)


def test_a_wps_layout_in_column_d(con, tmp_path):
    path = tmp_path / "bang_cham_diem_btgdv.xlsx"
    build_wps_column_d(path)
    report = load(con, path)
    unit = "Ban Tuyên giáo và Dân vận Tỉnh ủy"
    (u,) = units(con).values()
    assert u["unit"] == unit  # typed NFD, stored NFC
    assert (u["year"], u["cluster"]) == (2026, "Cụm thi đua số 2")  # title year beats date line
    assert u["max_score"] == pytest.approx(100.0)  # "100 điểm" on the total row
    # self: TC1 = 15 (own, not 10+5) + 14 = 29; TC2 = 19,5 + 18 = 37,5;
    #       TC3 = 15 + 12,5 (own, not -0,5) = 27,5; bonus 1,2 + 1 = 2,2; deduction 0,5 + 0,5 = 1
    #       -> 29 + 37,5 + 27,5 + 2,2 - 1 = 95,2
    assert u["self_score"] == pytest.approx(95.2)
    # assessed: TC1 = 14,5 + 13,5 = 28; TC2 = 18 + 17,5 = 35,5; TC3 = 15 + 12 = 27;
    #           bonus 1 + 0,5 = 1,5; deduction 0,5 + 1 = 1,5 -> 28 + 35,5 + 27 + 1,5 - 1,5 = 90,5
    assert u["assessed_score"] == pytest.approx(90.5)
    assert u["total_score"] == pytest.approx(90.5)
    assert u["score_basis"] == "assessed"
    assert (u["bonus"], u["deduction"]) == (pytest.approx(1.5), pytest.approx(1.5))
    assert u["rank"] == 1
    assert u["classification"] == XS  # 90,5 / 100 >= 90 %
    # The sheet says 90 but the criteria give 90,5: a warning with both figures at H32.
    warns = [w for w in issues(report, "warning") if w.cell == "H32"]
    assert warns and "90,5" in warns[0].message and "90" in warns[0].message
    rows = criteria(con, unit)
    assert len(rows) == 18  # title, header, (1)..(6), total row and footer are not criteria
    by_text = {r["criterion"]: r for r in rows}
    tc3 = seq_of(rows, "Công tác dân vận")
    assert by_text["Phong trào thi đua dân vận khéo"]["parent_seq"] == tc3
    assert by_text["Chậm báo cáo quý III"]["parent_seq"] == seq_of(
        rows, "Phong trào thi đua dân vận khéo"
    )
    assert by_text["Chậm báo cáo quý III"]["level"] == 3
    assert by_text["Đúng thể thức"]["level"] == 3
    assert by_text["Sai sót số liệu"]["section"] == "deduction"
    assert by_text["Có sáng kiến được công nhận"]["section"] == "bonus"


def build_libreoffice_two_row(path: Path) -> None:
    """LibreOffice-style: column C, 20-row title, 'Điểm chấm' over 'Tự chấm | Cụm chấm'."""
    wb, ws = new_book("Sheet1")
    t = Typist(ws, col0=3, width=6)
    t.pair("HUYỆN ỦY ĐỨC TRỌNG", "ĐẢNG CỘNG SẢN VIỆT NAM")
    t.pair("ĐẢNG ỦY XÃ HIỆP THẠNH", "Độc lập - Tự do - Hạnh phúc")
    t.pair("*", None)
    t.pair("Số: 21-BC/ĐU", "Hiệp Thạnh, ngày 05 tháng 12 năm 2025")
    t.blank(3)
    t.line("BẢNG TỰ CHẤM ĐIỂM VÀ ĐIỂM CHẤM CỦA KHỐI")
    t.line("THI ĐUA NĂM 2025")
    t.line("(Theo Quy chế số 03-QC/KTĐ)")
    t.blank()
    t.line("Khối thi đua 1")
    t.line("Tên đơn vị: Đảng ủy xã Hiệp Thạnh")
    t.line("Lĩnh vực: Công tác xây dựng Đảng")
    t.blank(5)
    t.two_row_header(
        [
            "Mã tiêu chí",
            "Nội dung thi đua",
            "Điểm quy định",
            ("Điểm chấm", ["Tự chấm", "Cụm chấm"]),
            "Ghi chú",
        ]
    )
    t.row("Phần I", "Công tác xây dựng Đảng và hệ thống chính trị", 50)
    t.row("I", "Công tác chính trị tư tưởng", 20, "18,5", 17)  # own value wins
    t.row("1", "Quán triệt nghị quyết", 10, 9, "8,5")
    t.row("2", "Tuyên truyền", 10, 10, 9)
    t.row("II", "Công tác tổ chức cán bộ", 30)
    t.row("1", "Kiện toàn tổ chức", 15)
    t.row("a", "Có đề án", 8, "7,5", 7)
    t.row("b", "Thực hiện đúng quy trình", 7, 7, "6,5")
    t.row("2", "Quản lý đảng viên", 15)
    t.row("a1", "Kết nạp đảng viên mới", 5)
    t.row("a1.1", "Đạt chỉ tiêu", 3, 3, "2,5")
    t.row("a1.2", "Chất lượng hồ sơ", 2, 2, 2)
    t.row("a2", "Sinh hoạt chi bộ", 10, "10 điểm", 9)
    t.row("Phần II", "Công tác chuyên môn", 50)
    t.row("1", "Phát triển kinh tế", 25, 25, 24)
    t.row("2", "Văn hóa - xã hội", 25, "23,5", 21)
    t.row("Tổng cộng", None, 100)
    t.blank()
    t.row(None, "Hiệp Thạnh, ngày 05 tháng 12 năm 2025")
    t.row(None, "NGƯỜI LẬP BIỂU", None, "T/M ĐẢNG ỦY")
    wb.save(path)


def test_a_libreoffice_two_row_header_mixed_codes(con, tmp_path):
    path = tmp_path / "hiep_thanh.xlsx"
    build_libreoffice_two_row(path)
    load(con, path)
    (u,) = units(con).values()
    assert (u["year"], u["cluster"], u["unit"]) == (
        2025,
        "Khối thi đua số 1",
        "Đảng ủy xã Hiệp Thạnh",
    )
    # self: I = 18,5 (own; children 19); II = (7,5 + 7) + ((3 + 2) + 10) = 29,5; Phần I = 48;
    #       Phần II = 25 + 23,5 = 48,5 -> 96,5
    assert u["self_score"] == pytest.approx(96.5)
    # assessed: I = 17 (own; children 17,5); II = (7 + 6,5) + ((2,5 + 2) + 9) = 27; Phần I = 44;
    #           Phần II = 24 + 21 = 45 -> 89
    assert u["assessed_score"] == pytest.approx(89.0)
    assert u["total_score"] == pytest.approx(89.0)
    assert u["max_score"] == pytest.approx(100.0)
    assert u["classification"] == TOT  # 89 %
    rows = criteria(con, u["unit"])
    assert len(rows) == 16
    got = {(r["code"], r["criterion"]): (r["parent_seq"], r["level"]) for r in rows}
    assert got[("Phần I", "Công tác xây dựng Đảng và hệ thống chính trị")] == (None, 1)
    assert got[("I", "Công tác chính trị tư tưởng")] == (1, 2)
    assert got[("II", "Công tác tổ chức cán bộ")] == (1, 2)
    assert got[("a", "Có đề án")] == (6, 4)  # under II.1 (seq 6)
    assert got[("a1", "Kết nạp đảng viên mới")] == (9, 4)  # under II.2 (seq 9)
    assert got[("a1.2", "Chất lượng hồ sơ")] == (10, 5)
    assert got[("a2", "Sinh hoạt chi bộ")] == (9, 4)
    assert got[("Phần II", "Công tác chuyên môn")] == (None, 1)
    assert got[("2", "Văn hóa - xã hội")] == (14, 2)


def _unit_sheet(wb: Workbook, name: str, unit: str, scores, *, only_groups: bool = False) -> None:
    """One unit's sheet of a cluster file: 'TT | Nội dung | Điểm tối đa | Tự chấm |
    Điểm Hội đồng chấm | Ghi chú', table in column B."""
    ws = wb.create_sheet(name)
    t = Typist(ws, col0=2, width=6)
    t.pair("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "ĐẢNG CỘNG SẢN VIỆT NAM")
    t.pair("ĐẢNG ỦY XÃ", None)
    t.blank()
    t.line("KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM 2025")
    t.line(nfd(f"Đơn vị: {unit}"))
    t.line("Cụm thi đua số 5")
    t.blank()
    t.row("TT", "Nội dung", "Điểm tối đa", "Tự chấm", "Điểm Hội đồng chấm", "Ghi chú")
    if only_groups:  # scores typed on the groups only
        t.row("I", "Thực hiện nhiệm vụ chính trị", 60, scores[0], scores[1])
        t.row("1", "Phát triển kinh tế", 30)
        t.row("2", "Bảo đảm an sinh xã hội", 30)
        t.row("II", "Công tác xây dựng Đảng", 40, scores[2], scores[3])
        t.row("1", "Công tác tổ chức", 20)
        t.row("2", "Công tác kiểm tra, giám sát", 20)
    else:
        t.row("I", "Thực hiện nhiệm vụ chính trị", 60)
        t.row("1", "Phát triển kinh tế", 30, *scores[0])
        t.row("2", "Bảo đảm an sinh xã hội", 30, *scores[1])
        t.row("II", "Công tác xây dựng Đảng", 40)
        t.row("1", "Công tác tổ chức", 20, *scores[2])
        t.row("2", "Công tác kiểm tra, giám sát", 20, *scores[3])
    t.row(None, "Cộng", 100)
    t.blank()
    t.row("Người lập biểu", None, None, "THỦ TRƯỞNG ĐƠN VỊ")
    t.row(None, None, None, "(Ký tên, đóng dấu)")


def build_sheets_per_unit(path: Path) -> None:
    wb, ws = new_book("Hướng dẫn")
    ws["A1"] = "HƯỚNG DẪN NHẬP ĐIỂM"
    ws["A3"] = "1. Mỗi đơn vị một sheet, tên sheet là tên viết tắt của đơn vị."
    ws["A4"] = "2. Điểm gõ số thập phân bằng dấu phẩy, ví dụ 27,5."
    ws["A5"] = "3. Đơn vị không đủ điều kiện ghi 'không xếp loại' vào ô điểm."
    _unit_sheet(
        wb,
        "HT",
        "Đảng ủy xã Hiệp Thạnh",
        [("28", "27,5"), ("28", "27,5"), ("18", "17,6"), ("18", "17,4")],
    )
    _unit_sheet(
        wb,
        "DT",
        "Đảng ủy xã Đức Trọng",
        [("30", "29,3"), ("27", "25,7"), ("18", "17,1"), ("18", "17,9")],
    )
    _unit_sheet(wb, "TH", "Đảng ủy xã Tà Hine", ["55", "54", "34", "33"], only_groups=True)
    _unit_sheet(wb, "LB", "Đảng ủy xã Lộc Bắc", [(36, 35), (21, 20), (9, 8), (8, 7)])
    _unit_sheet(
        wb,
        "ĐV",
        "Đảng ủy xã Đinh Văn",
        [("16", "15,2"), ("18", "17,9"), ("9", "8,3"), ("9", "8,6")],
    )
    _unit_sheet(
        wb, "QT", "Đảng ủy xã Quảng Tín", [("20", "19,5"), ("12", 10), ("10", 10), ("10", 10)]
    )
    _unit_sheet(
        wb,
        "NG",
        "Đảng ủy xã Ninh Gia",
        [("26", "25"), ("26", "25"), ("16", "15"), ("18", "(không xếp loại)")],
    )
    wb.save(path)


def test_a_one_sheet_per_unit_ties_bands_and_not_ranked(con, tmp_path):
    path = tmp_path / "cum5_2025.xlsx"
    build_sheets_per_unit(path)
    report = load(con, path)
    assert report.sheets[0].kind is None  # the instructions sheet is skipped
    assert [s.kind for s in report.sheets[1:]] == ["A"] * 7
    got = units(con)
    assert {u["cluster"] for u in got.values()} == {"Cụm thi đua số 5"}
    expected = {
        # unit: (assessed total, rank, classification)
        "Đảng ủy xã Hiệp Thạnh": (90.0, 1, XS),  # 27,5 + 27,5 + 17,6 + 17,4 = 90
        "Đảng ủy xã Đức Trọng": (90.0, 1, XS),  # 29,3 + 25,7 + 17,1 + 17,9 = 90 -> tie 1, 1
        "Đảng ủy xã Tà Hine": (87.0, 3, TOT),  # groups only: 54 + 33 = 87 -> rank 3
        "Đảng ủy xã Lộc Bắc": (70.0, 4, TOT),  # 35 + 20 + 8 + 7 = 70 -> exactly 70 %
        "Đảng ủy xã Đinh Văn": (50.0, 5, HT),  # 15,2 + 17,9 + 8,3 + 8,6 = 50 -> exactly 50 %
        "Đảng ủy xã Quảng Tín": (49.5, 6, KHT),  # 19,5 + 10 + 10 + 10 = 49,5
    }
    for unit, (total, rank, klass) in expected.items():
        u = got[unit]
        assert u["total_score"] == pytest.approx(total), unit
        assert u["max_score"] == pytest.approx(100.0), unit
        assert (u["rank"], u["classification"], u["not_ranked_reason"]) == (rank, klass, None), unit
    assert got["Đảng ủy xã Hiệp Thạnh"]["self_score"] == pytest.approx(92.0)  # 28+28+18+18
    assert got["Đảng ủy xã Tà Hine"]["self_score"] == pytest.approx(89.0)  # 55 + 34
    ng = got["Đảng ủy xã Ninh Gia"]  # "(không xếp loại)" in a Hội đồng chấm cell
    assert ng["rank"] is None and ng["not_ranked_reason"]


def build_deduction_cap(path: Path) -> None:
    """Framework 'Thưởng | Trừ' columns, coded sections 'III Điểm thưởng' / 'IV Trừ điểm',
    a cap note for item 2 of the deduction section."""
    wb, ws = new_book("Chấm điểm 2026")
    t = Typist(ws, col0=1, width=7)
    t.pair("UBND TỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    t.pair("SỞ TƯ PHÁP", "Độc lập - Tự do - Hạnh phúc")
    t.blank()
    t.line("BẢNG ĐIỂM THI ĐUA CỦA KHỐI THI ĐUA SỐ 3 NĂM 2026")
    t.line(nfd("Cơ quan: Sở Tư pháp"))
    t.blank()
    t.row("Số TT", "Tiêu chí", "Điểm chuẩn", "Thưởng", "Trừ", "Điểm tự chấm", "Kết quả thẩm định")
    t.row("I", "Công tác chuyên môn", 70)
    t.row("1", "Xây dựng văn bản quy phạm pháp luật", 40, None, None, 38, 37)
    t.row("2", "Phổ biến giáo dục pháp luật", 30, None, None, "28,5", 27)
    t.row("II", "Công tác xây dựng tổ chức", 30)
    t.row("1", "Xây dựng cơ quan đạt chuẩn văn hóa", 30, None, None, 29, 28)
    t.row("III", "Điểm thưởng")
    t.row("1", "Sáng kiến được công nhận cấp tỉnh", None, 1, None, 1, 1)
    t.row("2", "Được UBND tỉnh tặng Bằng khen", None, 2, None, 2, 2)
    t.row("IV", "Trừ điểm")
    t.row("1", "Vi phạm chế độ báo cáo", None, None, "0,5", "- 0,5", "-0,5")
    t.row("2", "Chất lượng tham mưu")
    t.row("-", "Văn bản phải sửa lần 1", None, None, "0,5", "0,5", "0,5")
    t.row("-", "Văn bản phải sửa lần 2", None, None, "0,5", "0,5", "0,5")
    t.row("-", "Văn bản bị trả lại", None, None, "0,5", None, "0,5")
    t.row("3", "Cán bộ bị kỷ luật từ cảnh cáo trở lên", None, None, "(không xếp loại)")
    t.row(None, "Ghi chú: Tổng điểm trừ của mục 2 không quá 1 điểm")  # row 23
    t.row(None, "Tổng cộng", 100, None, None, 97, "93,5")
    t.blank()
    t.row(None, "Đà Lạt, ngày 20 tháng 12 năm 2026")
    t.row(None, "NGƯỜI LẬP BIỂU", None, None, "GIÁM ĐỐC")
    wb.save(path)


def test_a_deduction_cap_note_and_framework_words(con, tmp_path):
    path = tmp_path / "so_tu_phap.xlsx"
    build_deduction_cap(path)
    report = load(con, path)  # "(không xếp loại)" in the Trừ column is a rule, not an error
    (u,) = units(con).values()
    assert (u["year"], u["cluster"], u["unit"]) == (2026, "Khối thi đua số 3", "Sở Tư pháp")
    # self: I = 38 + 28,5 = 66,5; II = 29; bonus 1 + 2 = 3; deduction 0,5 + (0,5 + 0,5) = 1,5
    #       -> 66,5 + 29 + 3 - 1,5 = 97
    assert u["self_score"] == pytest.approx(97.0)
    # assessed: I = 37 + 27 = 64; II = 28; bonus 3; deduction 0,5 + min(0,5 * 3, 1) = 1,5
    #           -> 64 + 28 + 3 - 1,5 = 93,5
    assert u["assessed_score"] == pytest.approx(93.5)
    assert u["total_score"] == pytest.approx(93.5)
    assert (u["bonus"], u["deduction"]) == (pytest.approx(3.0), pytest.approx(1.5))
    assert u["not_ranked_reason"] is None and u["rank"] == 1
    assert u["classification"] == XS
    # The cap was applied and reported.
    assert any("1,5" in w.message for w in issues(report, "warning"))
    rows = criteria(con, "Sở Tư pháp")
    assert "Ghi chú: Tổng điểm trừ của mục 2 không quá 1 điểm" not in {r["criterion"] for r in rows}
    by_text = {r["criterion"]: r for r in rows}
    assert by_text["Văn bản bị trả lại"]["parent_seq"] == seq_of(rows, "Chất lượng tham mưu")
    assert by_text["Văn bản bị trả lại"]["section"] == "deduction"
    assert by_text["Được UBND tỉnh tặng Bằng khen"]["section"] == "bonus"


def build_letter_codes(path: Path) -> None:
    """Only an assessed column ('Điểm đoàn kiểm tra'); codes A, A1, B1.1; 'C Cộng điểm',
    'D Trừ điểm'; no maximum on the total row (sum of top-level maxima)."""
    wb, ws = new_book("Khoi 1")
    t = Typist(ws, col0=2, width=5)
    t.blank(4)
    t.line("BẢNG CHẤM ĐIỂM THI ĐUA CỦA ĐOÀN KIỂM TRA")
    t.line("Khối thi đua số 1 - Năm 2026")
    t.line("Đơn vị: Văn phòng Tỉnh ủy")
    t.blank()
    t.row("Mã", "Nội dung đánh giá", "Chuẩn", "Điểm đoàn kiểm tra", "Ghi chú")
    t.row("A", "Nhóm tiêu chí về lãnh đạo, chỉ đạo", 40)
    t.row("A1", "Ban hành chương trình công tác", 20, 18)
    t.row("A2", "Kiểm tra việc thực hiện", 20, "19,5")
    t.row("B", "Nhóm tiêu chí về thực hiện nhiệm vụ", 60)
    t.row("B1", "Tham mưu", 30)
    t.row("B1.1", "Đúng hạn", 15, 14)
    t.row("B1.2", "Chất lượng", 15, "13,5")
    t.row("B2", "Phục vụ", 30, 25)
    t.row("C", "Cộng điểm")
    t.row("C1", "Đơn vị được Trung ương khen", None, 2)
    t.row("C2", "Có mô hình hay", None, 1)
    t.row("D", "Trừ điểm")
    t.row("D1", "Chậm tiến độ", None, 1)
    t.row("D2", "Để xảy ra sai sót", None, "- 0,5")
    t.row(None, "Tổng số điểm", None, "91,5")
    t.blank()
    t.row(None, "TM. ĐOÀN KIỂM TRA", None, "Người lập biểu")
    wb.save(path)


def test_a_letter_codes_and_assessed_only(con, tmp_path):
    path = tmp_path / "vptu.xlsx"
    build_letter_codes(path)
    load(con, path)
    (u,) = units(con).values()
    assert (u["year"], u["cluster"], u["unit"]) == (2026, "Khối thi đua số 1", "Văn phòng Tỉnh ủy")
    # A = 18 + 19,5 = 37,5; B = (14 + 13,5) + 25 = 52,5; bonus 2 + 1 = 3;
    # deduction 1 + 0,5 (typed "1" and "- 0,5") = 1,5 -> 37,5 + 52,5 + 3 - 1,5 = 91,5
    assert u["self_score"] is None
    assert u["assessed_score"] == pytest.approx(91.5)
    assert u["total_score"] == pytest.approx(91.5)
    assert (u["bonus"], u["deduction"]) == (pytest.approx(3.0), pytest.approx(1.5))
    assert u["max_score"] == pytest.approx(100.0)  # 40 + 60
    assert u["classification"] == XS
    rows = criteria(con, u["unit"])
    assert len(rows) == 14
    by_code = {r["code"]: r for r in rows}
    assert by_code["B1.2"]["parent_seq"] == by_code["B1"]["seq"] and by_code["B1.2"]["level"] == 3
    assert by_code["C"]["level"] == 1 and by_code["C1"]["section"] == "bonus"
    assert by_code["D"]["level"] == 1 and by_code["D2"]["section"] == "deduction"


def build_matrix(path: Path) -> None:
    """A2 cross-scoring matrix: unit names merged over 'Tự chấm | Cụm chấm'; saved as .xlsm."""
    wb, ws = new_book("Cham cheo")
    t = Typist(ws, col0=2, width=9)
    t.line("BẢNG CHẤM ĐIỂM CHÉO CỤM THI ĐUA SỐ 6 NĂM 2026")
    t.blank()
    t.two_row_header(
        [
            "Số TT",
            "Nội dung tiêu chí",
            "Thang điểm",
            (nfd("Sở Ngoại vụ"), ["Tự chấm", "Cụm chấm"]),
            ("Sở Du lịch", ["Tự chấm", "Cụm chấm"]),
            ("Sở Khoa học và Công nghệ", ["Tự chấm", "Cụm chấm"]),
        ]
    )
    t.row("I", "Công tác chuyên môn", 60)
    t.row("1", "Tham mưu", 30, 29, 28, 30, "28,5", 27, 26)
    t.row("2", "Tổ chức thực hiện", 30, 28, 27, 29, "27,5", 28, 27)
    t.row("II", "Xây dựng cơ quan", 40, 38, 37, 39, 38, 35, 35)
    t.row(None, "Điểm trừ")
    t.row("-", "Chậm báo cáo", None, None, None, "- 0,5", "- 1", None, None)
    t.row(None, "Tổng cộng", 100)
    wb.save(path)


def test_a2_matrix_in_xlsm(con, tmp_path):
    path = tmp_path / "cham_cheo_cum6.xlsm"
    build_matrix(path)
    load(con, path)
    got = units(con)
    # Ngoại vụ: self 29 + 28 + 38 = 95, cụm 28 + 27 + 37 = 92
    # Du lịch: self 30 + 29 + 39 - 0,5 = 97,5, cụm 28,5 + 27,5 + 38 - 1 = 93
    # KH&CN: self 27 + 28 + 35 = 90, cụm 26 + 27 + 35 = 88
    expected = {
        "Sở Ngoại vụ": (95.0, 92.0, 2, XS),
        "Sở Du lịch": (97.5, 93.0, 1, XS),
        "Sở Khoa học và Công nghệ": (90.0, 88.0, 3, TOT),
    }
    assert set(got) == set(expected)
    for unit, (self_, assessed, rank, klass) in expected.items():
        u = got[unit]
        assert u["self_score"] == pytest.approx(self_), unit
        assert u["assessed_score"] == pytest.approx(assessed), unit
        assert (u["rank"], u["classification"], u["cluster"]) == (rank, klass, "Cụm thi đua số 6")
    assert got["Sở Du lịch"]["deduction"] == pytest.approx(1.0)


# --- kind A: where the ETL departs from the contract ---------------------------------------------


def build_mid_deduction(path: Path) -> None:
    wb, ws = new_book("BTC")
    t = Typist(ws, col0=1, width=5)
    t.line("BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2026")
    t.line("Đơn vị: Ban Tổ chức Huyện ủy Lạc Dương")
    t.line("Cụm thi đua số 7")
    t.blank()
    t.row("STT", "Nội dung chấm điểm", "Điểm chuẩn", "Tự chấm", "Ghi chú")
    t.row("I", "Công tác tổ chức", 30)
    t.row("1", "Tham mưu kiện toàn tổ chức", 15)
    t.row("-", "Ban hành văn bản đúng hạn", 15, 15)
    t.row(None, "Trừ điểm:")  # an uncoded deduction line inside criterion 1
    t.row("-", "Chậm 1 văn bản trừ 0,5 điểm", None, "-0,5")
    t.row("2", "Quản lý hồ sơ đảng viên", 15, 14)  # same style as "1": its sibling
    t.row("II", "Công tác cán bộ", 70, 68)  # roman, like "I": top level
    t.row(None, "Tổng cộng", 100, "96,5")
    t.blank()
    t.row("Người lập biểu", None, "TRƯỞNG BAN")
    wb.save(path)


def test_a_uncoded_deduction_line_inside_a_criterion(con, tmp_path):
    path = tmp_path / "btc_lac_duong.xlsx"
    build_mid_deduction(path)
    load(con, path)
    (u,) = units(con).values()
    rows = criteria(con, u["unit"])
    # '2' has the style of '1' -> sibling under I; 'II' has the style of 'I' -> top level.
    assert {r["criterion"]: r["parent_seq"] for r in rows}["Quản lý hồ sơ đảng viên"] == 1
    assert {r["criterion"]: r["level"] for r in rows}["Công tác cán bộ"] == 1
    # I = (15 - 0,5) + 14 = 28,5; II = 68 -> 96,5 (the sheet's own total)
    assert u["self_score"] == pytest.approx(96.5)
    assert u["classification"] == XS


def build_signature(path: Path, signature: str) -> None:
    """The only signature line sits under the score column (the right-hand side)."""
    wb, ws = new_book("Cham diem")
    t = Typist(ws, col0=1, width=5)
    t.line("BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2026")
    t.line("Đơn vị: Sở Ngoại vụ")
    t.line("Cụm thi đua số 6")
    t.blank()
    t.row("STT", "Nội dung tiêu chí", "Điểm chuẩn", "Điểm chấm chéo", "Ghi chú")
    t.row("1", "Công tác đối ngoại", 60, 55)
    t.row("2", "Công tác xây dựng cơ quan", 40, "37,5")
    t.row(None, "Tổng cộng", 100, "92,5")
    t.blank()
    t.row(None, None, None, signature)
    t.row(None, None, None, "(Ký, ghi rõ họ tên)")
    wb.save(path)


_SIGNATURE_BUG = (
    "BUG: signature titles outside a fixed prefix list (etl/layout.py _FOOTER) are not footers; "
    "under a score column they are refused as '… không phải là số'"
)


@pytest.mark.parametrize(
    "signature",
    [
        "KT. GIÁM ĐỐC",
        "TL. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
        "TRƯỞNG ĐOÀN KIỂM TRA",
        "CHÁNH VĂN PHÒNG",
    ],
)
def test_a_signature_under_the_score_column_ends_the_table(con, tmp_path, signature):
    path = tmp_path / "so_ngoai_vu.xlsx"
    build_signature(path, signature)
    load(con, path)
    (u,) = units(con).values()
    assert u["assessed_score"] == pytest.approx(92.5)  # 55 + 37,5
    assert len(criteria(con, "Sở Ngoại vụ")) == 2


def build_subtotal(path: Path) -> None:
    wb, ws = new_book("Sheet1")
    t = Typist(ws, col0=1, width=5)
    t.line("BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2026")
    t.line("Đơn vị: Sở Nông nghiệp và Môi trường")
    t.line("Cụm thi đua số 3")
    t.blank()
    t.row("TT", "Nội dung tiêu chí", "Điểm chuẩn", "Điểm tự chấm", "Điểm cụm chấm")
    t.row("I", "Thực hiện nhiệm vụ chuyên môn", 70, 66, 65)
    t.row("II", "Xây dựng cơ quan", 30, 29, 28)
    t.row(None, "Cộng (I + II)", 100, 95, 93)  # a "Cộng" total row before the sections
    t.row(None, "Điểm thưởng")
    t.row("-", "Sáng kiến cấp tỉnh", None, 2, 2)
    t.row(None, "Điểm trừ")
    t.row("-", "Chậm báo cáo", None, "0,5", 1)
    t.row(None, "Tổng điểm", None, "96,5", 94)
    wb.save(path)


def test_a_subtotal_row_is_not_a_criterion(con, tmp_path):
    path = tmp_path / "so_nnmt.xlsx"
    build_subtotal(path)
    load(con, path)
    (u,) = units(con).values()
    # self 66 + 29 + 2 - 0,5 = 96,5; assessed 65 + 28 + 2 - 1 = 94
    assert (u["self_score"], u["assessed_score"]) == (pytest.approx(96.5), pytest.approx(94.0))
    rows = criteria(con, u["unit"])
    assert "Cộng (I + II)" not in {r["criterion"] for r in rows}
    assert len(rows) == 6


def build_split_unit_label(path: Path) -> None:
    """25-row title whose unit line is typed as 'Đơn vị:' | name in two cells (form style)."""
    wb, ws = new_book("Mau 01")
    t = Typist(ws, col0=2, width=7)
    t.pair("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "ĐẢNG CỘNG SẢN VIỆT NAM")
    t.pair("ĐẢNG ỦY CÔNG AN TỈNH", None)
    t.pair("*", None)
    t.pair("Số: 112-BC/ĐU", "Lâm Đồng, ngày 18 tháng 12 năm 2026")
    t.blank(6)
    t.line("BẢNG CHẤM ĐIỂM THI ĐUA")
    t.line("CỦA CÁC BAN XÂY DỰNG ĐẢNG NĂM 2026")
    t.blank()
    ws.cell(t.r, 2, "Đơn vị:")
    ws.cell(t.r, 4, "Ban Tổ chức Đảng ủy Công an tỉnh")
    ws.merge_cells(start_row=t.r, start_column=4, end_row=t.r, end_column=8)
    t.r += 1
    t.line("Cụm thi đua số 4")
    t.blank(9)
    t.two_row_header(
        ["STT", "Tiêu chí", "Điểm chuẩn", ("ĐIỂM", ["Tự chấm", "Cụm chấm"]), "Ghi chú"]
    )
    t.row("(1)", "(2)", "(3)", "(4)", "(5)", "(6)")
    t.row("1", "Công tác tham mưu", 50, "không xếp loại", 45)
    t.row("2", "Công tác tổ chức", 50, 48, 47)
    t.row(None, "Tổng cộng", 100)
    wb.save(path)


def test_a_unit_label_and_name_in_separate_cells(con, tmp_path):
    path = tmp_path / "mau01.xlsx"
    build_split_unit_label(path)
    load(con, path)
    (u,) = units(con).values()
    assert (u["year"], u["cluster"], u["unit"]) == (
        2026,
        "Cụm thi đua số 4",
        "Ban Tổ chức Đảng ủy Công an tỉnh",
    )
    assert u["assessed_score"] == pytest.approx(92.0)  # 45 + 47
    assert u["rank"] is None and u["not_ranked_reason"]  # "không xếp loại" typed as self score


# === Kind B ======================================================================================


def build_summary_ties(path: Path) -> None:
    wb, ws = new_book("TH Khoi 3")
    t = Typist(ws, col0=1, width=10)
    t.pair("UBND TỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", split=4)
    t.pair("KHỐI THI ĐUA SỐ 3", "Độc lập - Tự do - Hạnh phúc", split=4)
    t.pair(None, "Đà Lạt, ngày 15 tháng 01 năm 2026", split=4)
    t.blank()
    t.line("BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM 2025")
    t.line("(Các sở, ban, ngành thuộc Khối thi đua số 3)")
    t.blank()
    t.row(
        "STT",
        "Tên tập thể",
        "Điểm tự chấm",
        "Điểm khối chấm",
        "Điểm cộng",
        "Điểm trừ",
        "Điểm đạt",
        "Xếp thứ",
        "Xếp loại",
        "Hình thức khen thưởng (đề nghị)",
    )
    t.row(
        1,
        nfd("Sở Tư pháp"),
        96,
        "94,5",
        1,
        "0,5",
        95,
        1,
        "Hoàn thành xuất sắc",
        "Cờ thi đua của UBND tỉnh",
    )
    t.row(2, "Sở Nội vụ", 97, 95, "0,5", "0,5", "95,00", 1, "Hoàn thành xuất sắc", "Bằng khen")
    t.row(3, "Sở Y tế", "95,5", 93, None, None, 93, 2, "Hoàn thành xuất sắc")  # row 11, claims 2
    t.row(4, "Sở Xây dựng", 94, 93, None, None, "93", 3, "Hoàn thành xuất sắc")
    t.row(5, "Thanh tra tỉnh", 92, "90,5", None, "- 1", "89,5", 5, "Hoàn thành tốt")
    t.blank()
    t.row(None, "Nơi nhận:", None, None, None, None, "TM. KHỐI THI ĐUA SỐ 3")
    t.row(None, "- Ban TĐKT tỉnh;", None, None, None, None, "KHỐI TRƯỞNG")
    wb.save(path)


def test_b_total_column_ties_and_a_wrong_claimed_rank(con, tmp_path):
    path = tmp_path / "tong_hop_khoi3.xlsx"
    build_summary_ties(path)
    report = load(con, path)
    got = units(con)
    # totals from "Điểm đạt": 95, 95, 93, 93, 89,5 -> ranks 1, 1, 3, 3, 5
    expected = {
        "Sở Tư pháp": (95.0, 1, 1),  # (total, rank, file_rank)
        "Sở Nội vụ": (95.0, 1, 1),
        "Sở Y tế": (93.0, 3, 2),
        "Sở Xây dựng": (93.0, 3, 3),
        "Thanh tra tỉnh": (89.5, 5, 5),
    }
    assert set(got) == set(expected)
    for unit, (total, rank, file_rank) in expected.items():
        u = got[unit]
        assert (u["year"], u["cluster"]) == (2025, "Khối thi đua số 3"), unit
        assert u["total_score"] == pytest.approx(total), unit
        assert (u["rank"], u["file_rank"]) == (rank, file_rank), unit
    assert got["Thanh tra tỉnh"]["deduction"] == pytest.approx(1.0)  # "- 1" -> 1 subtracted
    assert got["Sở Tư pháp"]["assessed_score"] == pytest.approx(94.5)
    warned = [w for w in issues(report, "warning") if "Sở Y tế" in w.message]
    assert warned and "2" in warned[0].message and "3" in warned[0].message


def build_summary_no_total(path: Path) -> None:
    wb, ws = new_book("Tong hop")
    t = Typist(ws, col0=3, width=8)
    t.line("BAN THI ĐUA - KHEN THƯỞNG TỈNH")
    t.line("Cụm thi đua 4")
    t.blank()
    t.line("TỔNG HỢP ĐIỂM THI ĐUA NĂM 2026")
    t.blank()
    t.row(
        "TT",
        "Tập thể",
        "Tự chấm",
        "Điểm thẩm định",
        "Điểm thưởng",
        "Điểm trừ",
        "Thứ hạng",
        "Ghi chú",
    )
    t.row("1", "2", "3", "4", "5", "6", "7", "8")
    t.row("1", "Công an tỉnh", 98, "96,5", 2, "-0,5", 1)
    t.row("2", "Bộ Chỉ huy Quân sự tỉnh", 97, 96, "+ 1,5", "0,5", 2)
    t.row("3", "Bộ đội Biên phòng tỉnh", 99, "97,5", None, "0,5", 2)
    t.row("4", "Ban Chỉ huy Phòng thủ dân sự tỉnh", 95, None, 1, None, 4, "Chưa thẩm định")
    t.blank()
    t.row(None, "Người tổng hợp", None, None, None, "T/M CỤM THI ĐUA")
    wb.save(path)


def test_b_without_total_column(con, tmp_path):
    path = tmp_path / "cum4_2026.xlsx"
    build_summary_no_total(path)
    load(con, path)
    got = units(con)
    expected = {
        "Công an tỉnh": (98.0, 1, "assessed"),  # 96,5 + 2 - 0,5
        "Bộ Chỉ huy Quân sự tỉnh": (97.0, 2, "assessed"),  # 96 + 1,5 - 0,5
        "Bộ đội Biên phòng tỉnh": (97.0, 2, "assessed"),  # 97,5 - 0,5
        "Ban Chỉ huy Phòng thủ dân sự tỉnh": (96.0, 4, "self"),  # not assessed: 95 + 1
    }
    assert set(got) == set(expected)
    for unit, (total, rank, basis) in expected.items():
        u = got[unit]
        assert (u["year"], u["cluster"]) == (2026, "Cụm thi đua số 4"), unit
        assert u["total_score"] == pytest.approx(total), unit
        assert (u["rank"], u["score_basis"]) == (rank, basis), unit
    assert got["Công an tỉnh"]["deduction"] == pytest.approx(0.5)


def build_summary_columns(path: Path) -> None:
    wb, ws = new_book("KQ")
    t = Typist(ws, col0=2, width=7)
    t.line("BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM CÁC CỤM THI ĐUA")
    t.blank()
    t.row("STT", "Đơn vị", "Cụm/Khối thi đua", "Năm", "Điểm cụm chấm", "Tổng điểm", "Xếp hạng")
    t.row(1, "Sở Tài chính", "Cụm 4", 2026, "95,5", "95,5", 1)
    t.row(2, "Sở Xây dựng", "Cụm 4", 2026, "96", "96", 2)
    t.row(3, "Văn phòng Tỉnh ủy", "Khối thi đua số 1", 2026, 90, 90, 1)
    t.row(4, "Ban Tổ chức Tỉnh ủy", "KHỐI THI ĐUA SỐ 1", 2026, "92,25", "92,25", 2)
    t.row(5, "Ban Dân vận Tỉnh ủy", "Khối thi đua số 1", 2026, "90,004", "90,004", 3)
    wb.save(path)


def test_b_cluster_and_year_columns_rank_each_cluster(con, tmp_path):
    path = tmp_path / "tong_hop_cac_cum.xlsx"
    build_summary_columns(path)
    load(con, path)
    got = units(con)
    expected = {
        "Sở Xây dựng": ("Cụm thi đua số 4", 1),  # 96
        "Sở Tài chính": ("Cụm thi đua số 4", 2),  # 95,5
        "Ban Tổ chức Tỉnh ủy": ("Khối thi đua số 1", 1),  # 92,25
        "Văn phòng Tỉnh ủy": ("Khối thi đua số 1", 2),  # 90
        "Ban Dân vận Tỉnh ủy": ("Khối thi đua số 1", 2),  # 90,004: equal to 0.01 -> shared
    }
    assert {k: (v["cluster"], v["rank"]) for k, v in got.items()} == expected
    assert {v["year"] for v in got.values()} == {2026}


def build_summary_bad_cell(path: Path) -> None:
    wb, ws = new_book("Khối 2")
    t = Typist(ws, col0=3, width=5)
    t.line("KẾT QUẢ CHẤM ĐIỂM THI ĐUA KHỐI THI ĐUA SỐ 2 NĂM 2026")
    t.blank()
    t.row("STT", "Tên đơn vị", "Điểm tự chấm", "Điểm khối chấm", "Xếp hạng")
    t.row(1, "Ban Tổ chức Đảng ủy Công an tỉnh", 95, "93,5", 1)
    t.row(2, "Văn phòng Đảng ủy Công an tỉnh", 94, "chín mươi", 2)  # F5
    wb.save(path)


def test_b_score_in_words_is_refused_naming_the_cell(con, tmp_path):
    path = tmp_path / "khoi2.xlsx"
    build_summary_bad_cell(path)
    report = load_file(con, path)
    assert report.status == "refused"
    errors = issues(report, "error")
    assert [(e.sheet, e.cell) for e in errors] == [("Khối 2", "F5")]
    assert "chín mươi" in errors[0].message and "không phải là số" in errors[0].message
    assert q(con, "SELECT count(*) AS n FROM v_unit_scores")[0]["n"] == 0


# === Kind C ======================================================================================


def build_targets_quarter(path: Path) -> None:
    wb, ws = new_book("Quy II")
    t = Typist(ws, col0=2, width=8)
    t.pair("CÔNG AN TỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    t.pair("PHÒNG THAM MƯU", "Độc lập - Tự do - Hạnh phúc")
    t.pair(None, "Lâm Đồng, ngày 30 tháng 6 năm 2026")
    t.line("KẾT QUẢ THỰC HIỆN CHỈ TIÊU THI ĐUA")
    t.line("Quý II năm 2026")
    t.line(nfd("Đơn vị: Phòng Tham mưu Công an tỉnh"))
    t.blank()
    t.row("STT", "Tên chỉ tiêu", "ĐVT", "KH năm", "Ước thực hiện", "% so KH", "Hướng", "Ghi chú")
    t.row("I", "CHỈ TIÊU VỀ CHUYÊN MÔN")
    t.row(1, "Tỷ lệ điều tra khám phá án hình sự", "%", 75, "80,5", "107,3", "tăng")
    t.row(2, "Số vụ tai nạn giao thông", "vụ", 120, 96, None, "giảm")
    t.row(3, "Số vụ cháy nổ không quá 10 vụ", "vụ", 10, 12)
    t.row(4, "Thời gian giải quyết hồ sơ tối đa 5 ngày", "ngày", 5, "4,5")
    t.row(5, "Tỷ lệ hồ sơ trễ hạn dưới 2%", "%", "2%", "1,5%")
    t.row(6, "Tỷ lệ tái phạm ≤ 5%", "%", 5, 0)
    t.row("II", "CHỈ TIÊU VỀ XÂY DỰNG LỰC LƯỢNG")
    t.row(7, "Hoàn thành kế hoạch tuyển sinh", None, "Hoàn thành", "Đạt")
    t.row(8, "Không để xảy ra vi phạm nghiêm trọng", None, "Đạt", "Không đạt")
    t.row(9, "Xây dựng đơn vị vững mạnh", None, "Hoàn thành", "Hoàn thành xuất sắc")
    t.blank()
    t.row(None, "NGƯỜI LẬP BIỂU", None, None, None, "TRƯỞNG PHÒNG")
    wb.save(path)


def test_c_quarter_lower_is_better_and_words(con, tmp_path):
    path = tmp_path / "chi_tieu_quy2.xlsx"
    build_targets_quarter(path)
    load(con, path)
    got = q(con, "SELECT * FROM v_target_completion ORDER BY seq")
    assert {(r["year"], r["period"], r["unit"]) for r in got} == {
        (2026, "Q2", "Phòng Tham mưu Công an tỉnh")
    }
    expected = [
        # (target, direction, completion %, met)
        ("Tỷ lệ điều tra khám phá án hình sự", "higher", 80.5 / 75 * 100, True),  # 107,33
        ("Số vụ tai nạn giao thông", "lower", 120 / 96 * 100, True),  # Hướng "giảm": 125
        ("Số vụ cháy nổ không quá 10 vụ", "lower", 10 / 12 * 100, False),  # 83,33
        ("Thời gian giải quyết hồ sơ tối đa 5 ngày", "lower", 5 / 4.5 * 100, True),  # 111,1
        ("Tỷ lệ hồ sơ trễ hạn dưới 2%", "lower", 2 / 1.5 * 100, True),  # 133,3
        ("Tỷ lệ tái phạm ≤ 5%", "lower", 100.0, True),  # achieved 0 -> 100 %
        ("Hoàn thành kế hoạch tuyển sinh", "qualitative", 100.0, True),  # "Đạt"
        ("Không để xảy ra vi phạm nghiêm trọng", "qualitative", 0.0, False),  # "Không đạt"
        ("Xây dựng đơn vị vững mạnh", "qualitative", 100.0, True),  # "Hoàn thành xuất sắc"
    ]
    assert [r["target"] for r in got] == [e[0] for e in expected]  # headings are not targets
    for r, (target, direction, pct, met) in zip(got, expected, strict=True):
        assert r["direction"] == direction, target
        assert r["completion_pct"] == pytest.approx(pct), target
        assert r["met"] is met, target


def build_targets_half_year(path: Path) -> None:
    wb, ws = new_book("6 thang")
    t = Typist(ws, col0=1, width=7)
    t.line("UBND XÃ ĐỨC TRỌNG")
    t.blank()
    t.line("BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU THI ĐUA NĂM 2025")
    t.line("(6 tháng đầu năm)")
    t.line("Đơn vị: Ủy ban nhân dân xã Đức Trọng")
    t.blank()
    t.row(
        "TT",
        "Nội dung đăng ký",
        "Đơn vị tính",
        "Chỉ tiêu giao",
        "Thực hiện",
        "Tỷ lệ hoàn thành",
        "Chiều",
    )
    t.row(1, "Thu ngân sách nhà nước trên địa bàn", "triệu đồng", "12.489,4", "13.100")
    t.row(2, "Tỷ lệ giải ngân vốn đầu tư công", "%", "95%", "95,5")
    t.row(3, "Số hộ thoát nghèo", "hộ", "1.250", "1.180")
    t.row(4, "Tỷ lệ hộ nghèo", "%", 3, "2,6", None, "giảm")
    t.row(5, "Chuyển đổi số trong cơ quan", None, "Hoàn thành", "Chưa hoàn thành")
    t.row(6, "Cải cách hành chính", None, "Hoàn thành")
    t.blank()
    t.row(None, "Đức Trọng, ngày 25 tháng 6 năm 2025", None, None, "CHỦ TỊCH")
    wb.save(path)


def test_c_half_year_amounts_and_words(con, tmp_path):
    path = tmp_path / "chi_tieu_6_thang.xlsx"
    build_targets_half_year(path)
    load(con, path)
    got = q(con, "SELECT * FROM v_target_completion ORDER BY seq")
    assert {(r["year"], r["period"]) for r in got} == {(2025, "H1")}
    expected = [
        # (planned, actual, direction, completion %, met)
        (12489.4, 13100.0, "higher", 13100 / 12489.4 * 100, True),  # amounts: dot = thousands
        (95.0, 95.5, "higher", 95.5 / 95 * 100, True),
        (1250.0, 1180.0, "higher", 94.4, False),  # 1180 / 1250
        (3.0, 2.6, "lower", 3 / 2.6 * 100, True),  # Chiều "giảm": 115,38
        (None, None, "qualitative", 0.0, False),  # "Chưa hoàn thành"
        (None, None, "qualitative", None, None),  # no result yet
    ]
    assert len(got) == len(expected)
    for r, (planned, actual, direction, pct, met) in zip(got, expected, strict=True):
        t = r["target"]
        assert (r["planned"], r["actual"]) == (
            pytest.approx(planned) if planned is not None else None,
            pytest.approx(actual) if actual is not None else None,
        ), t
        assert r["direction"] == direction, t
        assert r["completion_pct"] == (pytest.approx(pct) if pct is not None else None), t
        assert r["met"] is met, t


def build_targets_group_header(path: Path, *, title_year: bool, heading: str) -> None:
    """'Năm 2026' merged over 'Đăng ký | Thực hiện'; group headings merged across the row."""
    wb, ws = new_book("Chi tieu")
    t = Typist(ws, col0=1, width=6)
    t.line("ĐĂNG KÝ VÀ KẾT QUẢ THỰC HIỆN CHỈ TIÊU THI ĐUA" + (" NĂM 2026" if title_year else ""))
    t.line("Đơn vị: Đảng ủy xã Lạc Dương")
    t.blank()
    t.two_row_header(["STT", "Chỉ tiêu", "ĐVT", ("Năm 2026", ["Đăng ký", "Thực hiện"]), "Ghi chú"])
    t.line(heading)
    t.row(1, "Tốc độ tăng trưởng kinh tế", "%", "7,5", 8)
    t.line("XÂY DỰNG ĐẢNG")
    t.row(2, "Kết nạp đảng viên mới", "người", 30, 27)
    t.blank()
    t.row("Nơi nhận:", None, None, "T/M ĐẢNG ỦY")
    wb.save(path)


def _check_lac_duong_targets(con) -> None:
    got = q(con, "SELECT * FROM v_target_completion ORDER BY seq")
    assert [(r["year"], r["period"], r["target"]) for r in got] == [
        (2026, "year", "Tốc độ tăng trưởng kinh tế"),
        (2026, "year", "Kết nạp đảng viên mới"),
    ]
    assert got[0]["completion_pct"] == pytest.approx(8 / 7.5 * 100) and got[0]["met"] is True
    assert got[1]["completion_pct"] == pytest.approx(90.0) and got[1]["met"] is False  # 27/30


def test_c_merged_group_headings(con, tmp_path):
    path = tmp_path / "lac_duong.xlsx"
    build_targets_group_header(path, title_year=True, heading="NHIỆM VỤ CHÍNH TRỊ")
    load(con, path)
    _check_lac_duong_targets(con)


def test_c_heading_lanh_dao_is_not_a_footer(con, tmp_path):
    path = tmp_path / "lac_duong.xlsx"
    build_targets_group_header(path, title_year=True, heading="LÃNH ĐẠO THỰC HIỆN NHIỆM VỤ")
    load(con, path)
    _check_lac_duong_targets(con)


def test_c_year_from_the_column_group(con, tmp_path):
    path = tmp_path / "lac_duong.xlsx"
    build_targets_group_header(path, title_year=False, heading="NHIỆM VỤ CHÍNH TRỊ")
    load(con, path)
    _check_lac_duong_targets(con)


# === Kind D ======================================================================================


def build_indicators(path: Path) -> None:
    wb, ws = new_book("KTXH")
    t = Typist(ws, col0=2, width=10)
    t.line("TỈNH ỦY LÂM ĐỒNG")
    t.line("BAN CHỈ ĐẠO THỰC HIỆN CHỈ THỊ 34-CT/TU")
    t.blank()
    t.line("KẾT QUẢ THỰC HIỆN MỘT SỐ CHỈ TIÊU KINH TẾ - XÃ HỘI CHỦ YẾU")
    t.line("GIAI ĐOẠN 2021 - 2025")
    t.blank()
    t.row(
        "STT",
        "Tên chỉ tiêu",
        "ĐVT",
        "Nghị quyết",
        2021,
        "Năm 2022",
        "TH 2023",
        "TH 2024",
        "Ước 2025",
        "Nguồn",
    )
    t.row(
        1,
        "Tốc độ tăng trưởng kinh tế bình quân (thử nghiệm)",
        "%",
        "7-8%",
        "3,04",
        "12,09",
        "7,5",
        None,
        "8%",
        "Cục Thống kê",
    )
    t.row(
        2,
        "Thu nhập bình quân đầu người (thử nghiệm)",
        "triệu đồng",
        "120 - 125 triệu đồng",
        "85,2",
        "95,6",
        110,
        None,
        "122,5 triệu đồng",
        "Cục Thống kê",
    )
    t.row(
        3,
        "Tỷ lệ tham gia bảo hiểm y tế (thử nghiệm)",
        "%",
        "≥ 92",
        None,
        None,
        "91,5",
        None,
        92,
        "BHXH tỉnh",
    )
    t.row(
        4,
        "Tỷ lệ hộ dùng nước hợp vệ sinh (thử nghiệm)",
        "%",
        ">= 92%",
        None,
        90,
        92,
        None,
        None,
        "Sở NN&MT",
    )
    t.row(
        5,
        "Tỷ lệ hộ nghèo đa chiều (thử nghiệm)",
        "%",
        "giảm ít nhất 1 - 1,5%/năm",
        "3,5",
        "2,3",
        "1,9",
        "0,2",
        None,
        "Sở NN&MT",
    )
    t.row(
        6,
        "Thu ngân sách trên địa bàn (thử nghiệm)",
        "tỷ đồng",
        None,
        "12.489,4",
        "13.100",
        None,
        None,
        None,
        "Sở Tài chính",
    )
    t.blank()
    t.row(None, "Nguồn: Báo cáo của các sở, ngành")
    wb.save(path)


def test_d_targets_years_and_statuses(con, tmp_path):
    path = tmp_path / "ktxh.xlsx"
    build_indicators(path)
    report = load(con, path)
    got = {
        (r["indicator"].split(" (")[0], r["year"]): r
        for r in q(
            con, "SELECT * FROM v_province_indicators WHERE import_id = ?", [report.import_id]
        )
    }
    expected = {
        # (indicator, year): (value, value_kind, low, high, direction, status)
        ("Tốc độ tăng trưởng kinh tế bình quân", 2021): (3.04, "actual", 7, 8, "band", "chưa đạt"),
        ("Tốc độ tăng trưởng kinh tế bình quân", 2022): (12.09, "actual", 7, 8, "band", "vượt"),
        ("Tốc độ tăng trưởng kinh tế bình quân", 2023): (7.5, "actual", 7, 8, "band", "đạt"),
        ("Tốc độ tăng trưởng kinh tế bình quân", 2025): (8.0, "estimate", 7, 8, "band", "đạt"),
        ("Thu nhập bình quân đầu người", 2021): (85.2, "actual", 120, 125, "band", "chưa đạt"),
        ("Thu nhập bình quân đầu người", 2023): (110.0, "actual", 120, 125, "band", "chưa đạt"),
        ("Thu nhập bình quân đầu người", 2025): (122.5, "estimate", 120, 125, "band", "đạt"),
        ("Tỷ lệ tham gia bảo hiểm y tế", 2023): (91.5, "actual", 92, None, "higher", "chưa đạt"),
        ("Tỷ lệ tham gia bảo hiểm y tế", 2025): (92.0, "estimate", 92, None, "higher", "đạt"),
        ("Tỷ lệ hộ dùng nước hợp vệ sinh", 2022): (90.0, "actual", 92, None, "higher", "chưa đạt"),
        ("Tỷ lệ hộ dùng nước hợp vệ sinh", 2023): (92.0, "actual", 92, None, "higher", "đạt"),
        # yearly fall of the rate: 2022 3,5 - 2,3 = 1,2 (in 1 - 1,5); 2023 2,3 - 1,9 = 0,4;
        # 2024 1,9 - 0,2 = 1,7 (beyond 1,5 in the good direction)
        ("Tỷ lệ hộ nghèo đa chiều", 2022): (2.3, "actual", 1, 1.5, "decrease", "đạt"),
        ("Tỷ lệ hộ nghèo đa chiều", 2023): (1.9, "actual", 1, 1.5, "decrease", "chưa đạt"),
        ("Tỷ lệ hộ nghèo đa chiều", 2024): (0.2, "actual", 1, 1.5, "decrease", "vượt"),
        # amounts: "12.489,4" and "13.100" (a column that also holds "12,09") -> 13 100
        ("Thu ngân sách trên địa bàn", 2021): (12489.4, "actual", None, None, None, None),
        ("Thu ngân sách trên địa bàn", 2022): (13100.0, "actual", None, None, None, None),
    }
    for key, (value, kind, low, high, direction, status) in expected.items():
        r = got[key]
        assert r["value"] == pytest.approx(value), key
        assert r["value_kind"] == kind, key
        assert r["target_low"] == (None if low is None else pytest.approx(low)), key
        assert r["target_high"] == (None if high is None else pytest.approx(high)), key
        assert (r["target_direction"], r["status"]) == (direction, status), key
    assert ("Tốc độ tăng trưởng kinh tế bình quân", 2024) not in got  # blank cell: no value


def build_indicators_plan(path: Path) -> None:
    wb, ws = new_book("Ke hoach 2025")
    t = Typist(ws, col0=1, width=6)
    t.line("KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2025")
    t.blank()
    t.row("TT", "Chỉ tiêu", "ĐVT", "Chỉ tiêu đến năm 2025", "TH 2024", "KH 2025")
    t.row(1, "Tỷ trọng dịch vụ trong GRDP (thử nghiệm)", "%", "35 - 36,5", "34,2", 36)
    t.row(2, "Tốc độ tăng thu nhập (thử nghiệm)", "%", "7 – 8 %", "7,8", "8,5")
    wb.save(path)


def test_d_plan_column_and_dash_ranges(con, tmp_path):
    path = tmp_path / "kh2025.xlsx"
    build_indicators_plan(path)
    report = load(con, path)
    got = {
        (r["indicator"].split(" (")[0], r["year"]): r
        for r in q(
            con, "SELECT * FROM v_province_indicators WHERE import_id = ?", [report.import_id]
        )
    }
    expected = {
        ("Tỷ trọng dịch vụ trong GRDP", 2024): (34.2, "actual", 35, 36.5, "chưa đạt"),
        ("Tỷ trọng dịch vụ trong GRDP", 2025): (36.0, "plan", 35, 36.5, "đạt"),
        ("Tốc độ tăng thu nhập", 2024): (7.8, "actual", 7, 8, "đạt"),
        ("Tốc độ tăng thu nhập", 2025): (8.5, "plan", 7, 8, "vượt"),
    }
    assert set(got) == set(expected)
    for key, (value, kind, low, high, status) in expected.items():
        r = got[key]
        assert (r["value"], r["value_kind"]) == (pytest.approx(value), kind), key
        assert (r["target_low"], r["target_high"]) == (pytest.approx(low), pytest.approx(high))
        assert (r["target_direction"], r["status"]) == ("band", status), key


def build_indicators_two_row(path: Path) -> None:
    wb, ws = new_book("Chi thi 34")
    t = Typist(ws, col0=1, width=8)
    t.line("CHỈ TIÊU KINH TẾ - XÃ HỘI")
    t.blank()
    t.two_row_header(
        [
            "STT",
            "Tên chỉ tiêu",
            "ĐVT",
            "Mục tiêu NQ",
            ("Thực hiện", ["2022", "2023", "2024"]),
            ("Ước thực hiện", ["2025"]),
        ]
    )
    t.row(1, "Tỷ lệ lao động qua đào tạo (thử nghiệm)", "%", "≥ 70", 65, 68, 70, 72)
    wb.save(path)


def test_d_two_row_header_estimate_group(con, tmp_path):
    path = tmp_path / "ct34.xlsx"
    build_indicators_two_row(path)
    report = load(con, path)
    got = {
        r["year"]: r
        for r in q(
            con, "SELECT * FROM v_province_indicators WHERE import_id = ?", [report.import_id]
        )
    }
    assert {y: (r["value"], r["value_kind"]) for y, r in got.items()} == {
        2022: (65.0, "actual"),
        2023: (68.0, "actual"),
        2024: (70.0, "actual"),
        2025: (72.0, "estimate"),  # "Ước thực hiện" over "2025"
    }
    assert (got[2023]["status"], got[2024]["status"]) == ("chưa đạt", "đạt")  # ≥ 70


# === Kind E ======================================================================================


def build_members_columns(path: Path) -> None:
    wb, ws = new_book("Danh sach cum khoi")
    t = Typist(ws, col0=2, width=5)
    t.line("UBND TỈNH LÂM ĐỒNG")
    t.line("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG")
    t.blank()
    t.line("DANH SÁCH CÁC CỤM, KHỐI THI ĐUA NĂM 2026")
    t.line("(Kèm theo Quyết định số 15/QĐ-HĐTĐKT ngày 10 tháng 01 năm 2026)")
    t.blank()
    t.row("STT", "Tên đơn vị", "Tên viết tắt", "Cụm/Khối thi đua", "Chức danh trong cụm")
    t.row(1, "Sở Tài chính", "STC", "Cụm 4", "Cụm trưởng")
    t.row(2, nfd("Sở Xây dựng"), "SXD", "Cụm thi đua 4", "cụm phó thường trực")
    t.row(3, "Sở Công Thương", "SCT", "CỤM THI ĐUA SỐ 4", "Thành viên")
    t.row(4, "Văn phòng Tỉnh ủy", "VPTU", "Khối thi đua số 1", "Khối trưởng")
    t.row(5, "Ban Tổ chức Tỉnh ủy", "BTCTU", "Khối 1", "KHỐI PHÓ")
    t.blank()
    t.row(None, "TM. HỘI ĐỒNG", None, None, "CHỦ TỊCH")
    wb.save(path)


def build_nfd_scoring_sheet(path: Path) -> None:
    """A unit sheet typed in NFD, upper-cased, without a cluster line."""
    wb, ws = new_book("SXD")
    t = Typist(ws, col0=3, width=5)
    t.line("BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2026")
    t.line(nfd("Đơn vị: SỞ XÂY DỰNG"))
    t.blank()
    t.row("TT", "Tiêu chí", "Điểm chuẩn", "Điểm tự chấm", "Điểm cụm chấm")
    t.row("1", "Quản lý quy hoạch", 60, 57, "55,5")
    t.row("2", "Cải cách hành chính", 40, 38, 36)
    t.row(None, "Tổng cộng", 100, 95, "91,5")
    wb.save(path)


def test_e_column_form_then_an_nfd_scoring_sheet(con, tmp_path):
    members = tmp_path / "danh_sach_2026.xlsx"
    build_members_columns(members)
    load(con, members)
    got = q(con, "SELECT year, cluster, unit, role, short_name FROM v_cluster_members")
    assert {(r["unit"], r["cluster"], r["role"], r["short_name"]) for r in got} == {
        ("Sở Tài chính", "Cụm thi đua số 4", "Cụm trưởng", "STC"),
        ("Sở Xây dựng", "Cụm thi đua số 4", "Cụm phó Thường trực", "SXD"),
        ("Sở Công Thương", "Cụm thi đua số 4", "Thành viên", "SCT"),
        ("Văn phòng Tỉnh ủy", "Khối thi đua số 1", "Khối trưởng", "VPTU"),
        ("Ban Tổ chức Tỉnh ủy", "Khối thi đua số 1", "Khối phó", "BTCTU"),
    }
    assert {r["year"] for r in got} == {2026}
    sheet = tmp_path / "sxd.xlsx"
    build_nfd_scoring_sheet(sheet)
    load(con, sheet)
    (u,) = units(con).values()
    # NFD + upper case match the list's name; the cluster comes from the list.
    assert (u["unit"], u["cluster"]) == ("Sở Xây dựng", "Cụm thi đua số 4")
    assert u["total_score"] == pytest.approx(91.5)  # 55,5 + 36


def build_members_headings(path: Path, *, scoring_unit: str | None) -> None:
    wb, ws = new_book("Danh sách khối")
    t = Typist(ws, col0=1, width=4)
    t.line("DANH SÁCH KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG NĂM 2026")
    t.blank()
    t.row("STT", "Đơn vị", "Tên viết tắt", "Vai trò")
    t.line("KHỐI THI ĐUA SỐ 2")
    t.row(1, "Ban Tổ chức Đảng ủy Công an tỉnh", "BTC CA", "Khối trưởng")
    t.row(2, "Ban Tuyên giáo Đảng ủy Quân sự tỉnh", "BTG QS", "Khối phó")
    t.row(3, "Văn phòng Đảng ủy Công an tỉnh", "VP CA", "Thành viên")
    t.line("KHỐI THI ĐUA SỐ 3")
    t.row(1, "Ban Tổ chức Đảng ủy Biên phòng tỉnh", "BTC BP", "Khối trưởng")
    t.row(2, "Văn phòng Đảng ủy Quân sự tỉnh", "VP QS", "Thành viên")
    if scoring_unit is not None:
        s = Typist(wb.create_sheet("BTC CA"), col0=2, width=5)
        s.line("BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2026")
        s.line(f"Đơn vị: {scoring_unit}")  # B2
        s.line("Khối thi đua số 2")
        s.blank()
        s.row("STT", "Nội dung", "Điểm chuẩn", "Tự chấm", "Khối chấm")
        s.row("1", "Công tác tham mưu", 50, 48, 47)
        s.row("2", "Công tác tổ chức", 50, 47, 46)
        s.row(None, "Tổng cộng", 100, 95, 93)
    wb.save(path)


def test_e_heading_rows_form(con, tmp_path):
    path = tmp_path / "khoi_2026.xlsx"
    build_members_headings(path, scoring_unit="Ban Tổ chức Đảng ủy Công an tỉnh")
    load(con, path)
    got = q(con, "SELECT cluster, unit, role FROM v_cluster_members")
    assert [(r["cluster"], r["unit"], r["role"]) for r in got] == [
        ("Khối thi đua số 2", "Ban Tổ chức Đảng ủy Công an tỉnh", "Khối trưởng"),
        ("Khối thi đua số 2", "Ban Tuyên giáo Đảng ủy Quân sự tỉnh", "Khối phó"),
        ("Khối thi đua số 2", "Văn phòng Đảng ủy Công an tỉnh", "Thành viên"),
        ("Khối thi đua số 3", "Ban Tổ chức Đảng ủy Biên phòng tỉnh", "Khối trưởng"),
        ("Khối thi đua số 3", "Văn phòng Đảng ủy Quân sự tỉnh", "Thành viên"),
    ]
    (u,) = units(con).values()
    assert (u["unit"], u["cluster"], u["total_score"], u["rank"]) == (
        "Ban Tổ chức Đảng ủy Công an tỉnh",
        "Khối thi đua số 2",
        pytest.approx(93.0),
        1,
    )


MISSPELLED = "Ban Tổ chứ Đảng ủy Công an tỉnh"


def test_e_misspelled_unit_is_refused_with_a_suggestion(con, tmp_path):
    path = tmp_path / "khoi_2026.xlsx"
    build_members_headings(path, scoring_unit=MISSPELLED)
    report = load_file(con, path)
    assert report.status == "refused"
    errors = issues(report, "error")
    assert len(errors) == 1 and errors[0].sheet == "BTC CA"
    assert f"'{MISSPELLED}'" in errors[0].message
    assert "có phải 'Ban Tổ chức Đảng ủy Công an tỉnh'" in errors[0].message
    # nothing of a refused file is loaded, not even its membership list
    assert q(con, "SELECT count(*) AS n FROM v_cluster_members")[0]["n"] == 0
    assert q(con, "SELECT count(*) AS n FROM v_unit_scores")[0]["n"] == 0


def test_e_misspelled_unit_refusal_names_the_cell(con, tmp_path):
    path = tmp_path / "khoi_2026.xlsx"
    build_members_headings(path, scoring_unit=MISSPELLED)
    report = load_file(con, path)
    assert report.status == "refused"
    (error,) = issues(report, "error")
    assert error.cell == "B2"  # the 'Đơn vị: …' line
