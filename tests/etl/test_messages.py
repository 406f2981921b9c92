"""Messages fit the cause (workbooks.md §1): one cause, one message, at the cell, with what to do.

Issue #8, finding 7: a Khối missing from the membership list was reported once per unit row, at
the data cells rather than the title cell that names it, suggested "Cụm thi đua số 1 / số 2" for
"Khối thi đua số 5", ended with "Không có dòng đơn vị nào" although 5 rows exist, and never said
to upload the list of that year first. A refused file's report added rank warnings computed from
values that were themselves errors.
"""

from __future__ import annotations

from etl.load import load_file
from tests.etl.builders import Book, Title, counts

UNITS = (
    "Ban Tuyên giáo Thành ủy",
    "Ban Dân vận Thành ủy",
    "Ủy ban Kiểm tra Thành ủy",
    "Văn phòng Thành ủy",
    "Ban Tổ chức Thành ủy",
)


def membership(con, tmp_path):
    book = Book()
    book.kind_e(
        [
            (1, "Ban Tổ chức Đảng ủy Công an tỉnh", "Cụm thi đua số 1", "Cụm trưởng", None),
            (2, "Văn phòng Ban Tổ chức Tỉnh ủy", "Cụm thi đua số 1", "Thành viên", None),
            (3, "Phòng Chính trị Bộ Chỉ huy Quân sự tỉnh", "Cụm thi đua số 2", "Cụm trưởng", None),
        ]
    )
    assert load_file(con, book.save(tmp_path / "danh_sach_2026.xlsx")).status == "loaded"


def khoi_summary(tmp_path, scores=("95", "93", "91", "90", "88"), ranks=(1, 2, 3, 4, 5)):
    book = Book()
    book.kind_b(
        [(i + 1, u, s, r) for i, (u, s, r) in enumerate(zip(UNITS, scores, ranks, strict=True))],
        columns=("Tên đơn vị", "Tổng điểm", "Xếp hạng"),
        title=Title(
            title="BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM NĂM {year}",
            unit=None,
            cluster="Khối thi đua số 5",
        ),
    )
    ws = book.wb.active
    cell = next(
        c.coordinate for row in ws.iter_rows() for c in row if c.value == "Khối thi đua số 5"
    )
    return book.save(tmp_path / "tong_hop_khoi5.xlsx"), cell


def test_a_cluster_missing_from_the_list_is_reported_once_at_its_title_cell(con, tmp_path):
    membership(con, tmp_path)
    before = counts(con)
    path, cell = khoi_summary(tmp_path)
    report = load_file(con, path)
    assert report.status == "refused"
    assert counts(con) == before
    (error,) = report.errors
    assert error.cell == cell
    assert "Khối thi đua số 5" in error.message and "năm 2026" in error.message
    assert "tải lên danh sách cụm, khối thi đua năm 2026" in error.message
    assert "sửa lại tên" in error.message
    assert "Cụm thi đua số" not in error.message  # no unrelated suggestion
    assert not [
        i for i in report.file_issues + report.sheets[0].issues if "Không có dòng" in i.message
    ]


def test_a_missing_cluster_names_what_the_list_has_of_its_kind(con, tmp_path):
    membership(con, tmp_path)
    book = Book()
    book.kind_b(
        [(1, "Ban Tổ chức Đảng ủy Công an tỉnh", "95", 1)],
        columns=("Tên đơn vị", "Tổng điểm", "Xếp hạng"),
        title=Title(title="TỔNG HỢP NĂM {year}", unit=None, cluster="Cụm thi đua số 7"),
    )
    report = load_file(con, book.save(tmp_path / "cum7.xlsx"))
    (error,) = report.errors
    assert "Danh sách năm 2026 có: Cụm thi đua số 1, Cụm thi đua số 2." in error.message


def test_no_rank_warning_is_derived_from_a_value_that_is_an_error(con, tmp_path):
    book = Book()
    t = book.kind_b(
        [
            (i + 1, u, s, r)
            for i, (u, s, r) in enumerate(
                zip(UNITS, ("95", "ba", "91", "90", "88"), (1, 2, 3, 4, 5), strict=True)
            )
        ],
        columns=("Tên đơn vị", "Tổng điểm", "Xếp hạng"),
    )
    report = load_file(con, book.save(tmp_path / "b.xlsx"))
    assert report.status == "refused"
    (error,) = report.errors
    assert error.cell == t.cell(1, "Tổng điểm") and '"ba"' in error.message
    assert report.warnings == []


def test_sheets_of_a_missing_cluster_get_one_full_message_and_no_unit_errors(con, tmp_path):
    membership(con, tmp_path)
    book = Book()
    for i, unit in enumerate(UNITS[:3]):
        book.kind_a(
            [("I", "Công tác chuyên môn", "100", "90", "88")],
            name=f"Đơn vị {i + 1}",
            note=False,
            title=Title(unit=unit, cluster="Khối thi đua số 5"),
        )
    report = load_file(con, book.save(tmp_path / "khoi5.xlsx"))
    assert report.status == "refused"
    errors = report.errors
    assert [e.sheet for e in errors] == ["Đơn vị 1", "Đơn vị 2", "Đơn vị 3"]
    assert "tải lên danh sách cụm, khối thi đua năm 2026" in errors[0].message
    for later in errors[1:]:
        assert "xem thông báo ở sheet 'Đơn vị 1'" in later.message
    assert not [e for e in errors if "Không tìm thấy đơn vị" in e.message]


def test_a_csv_is_refused_with_how_to_save_it_as_xlsx(con, tmp_path):
    path = tmp_path / "tong_hop.csv"
    path.write_text("STT,Tên đơn vị,Tổng điểm\n1,Văn phòng Thành ủy,95\n", encoding="utf-8")
    report = load_file(con, path)
    assert report.status == "refused"
    (error,) = report.errors
    assert ".csv" in error.message and ".xlsx" in error.message and "Lưu Như" in error.message


def test_no_total_warning_is_derived_from_a_score_that_is_an_error(con, tmp_path):
    book = Book()
    t = book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", "55", "ba"),
            ("II", "Công tác xây dựng Đảng", "40", "36", "35"),
        ],
        note=False,
        total=(None, "Tổng cộng", "100", "91", "89"),
        title=Title(),
    )
    report = load_file(con, book.save(tmp_path / "a.xlsx"))
    assert report.status == "refused"
    assert [(e.cell, '"ba"' in e.message) for e in report.errors] == [(t.cell(0, "Cụm chấm"), True)]
    assert report.warnings == []
