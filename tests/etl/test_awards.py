"""Award proposals and rules (workbooks.md §6c, §9; v_award_proposals in interface.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl import actions, db
from etl.kinds import awards
from etl.load import LoadOptions, load_file
from etl.load.rebuild import rebuild
from etl.year import accounts
from tests.etl.builders import CLUSTER, STT, Book, Group, Title, nfd, rows

UNITS = [
    "Ban Tổ chức Đảng ủy Công an tỉnh",
    "Phòng Chính trị, Bộ Chỉ huy Quân sự tỉnh",
    "Ban Xây dựng Đảng Đảng ủy các cơ quan Đảng tỉnh",
    "Ban Xây dựng Đảng Đảng ủy Ủy ban nhân dân tỉnh",
    "Phòng Tổ chức - Cán bộ, Công an tỉnh",
    "Ban Tổ chức Huyện ủy Lạc Dương",
]
TOTALS = ["98", "95,5", "93", "91", "80", "60"]  # of 100: four excellent, one good, one done
U1, U2, U3, U4, U5, U6 = UNITS


def load(con, path: Path) -> None:
    report = load_file(con, path, LoadOptions(user="test"))
    assert report.status == "loaded", report.as_dict()
    return report


def members(tmp_path: Path) -> Path:
    book = Book()
    book.kind_e([(i + 1, u, CLUSTER, "Thành viên", None) for i, u in enumerate(UNITS)])
    return book.save(tmp_path / "ds.xlsx")


def summary(tmp_path: Path, totals=TOTALS, proposals: dict[str, str] | None = None) -> Path:
    proposals = proposals or {}
    book = Book()
    book.kind_b(
        [
            (i + 1, u, None, t, None, None, t, None, None, proposals.get(u))
            for i, (u, t) in enumerate(zip(UNITS, totals, strict=True))
        ],
        columns=(
            "Tên đơn vị",
            "Điểm tự chấm",
            "Điểm cụm chấm",
            "Điểm thưởng",
            "Điểm trừ",
            "Tổng điểm",
            "Xếp hạng",
            "Xếp loại",
            "Đề nghị khen thưởng",
        ),
    )
    return book.save(tmp_path / "b.xlsx")


def proposal_list(
    tmp_path: Path,
    items,
    name: str = "g.xlsx",
    decisions: bool = False,
    header: str = "Tên tập thể",
) -> Path:
    """A cluster's list as offices type it: title block with a date line, a merged two-row
    header, names in NFD, signatures under the table."""
    book = Book()
    subs = ["Hình thức khen thưởng", "Thành tích"] + (["Số quyết định"] if decisions else [])
    book.table(
        "Đề nghị",
        [STT, header, Group("ĐỀ NGHỊ", subs)],
        [(i + 1, nfd(n), *rest) for i, (n, *rest) in enumerate(items)],
        title=Title(
            title="DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}",
            unit=None,
            date_line="Lâm Đồng, ngày 22 tháng 12 năm 2026",
        ),
    )
    return book.save(tmp_path / name)


def checked(con) -> dict[tuple[str, str], dict]:
    got = rows(con, "SELECT * FROM v_award_proposals")
    return {(r["name"], r["award_code"] or r["award"]): r for r in got}


@pytest.fixture
def cluster(con, tmp_path):
    load(con, members(tmp_path))
    load(con, summary(tmp_path, proposals={U1: "Đơn vị dẫn đầu Cụm; đề nghị Cờ thi đua UBND tỉnh"}))
    return con


def test_every_status_with_its_rule_and_figures(cluster, tmp_path):
    report = load(
        cluster,
        proposal_list(
            tmp_path,
            [
                (U1, "Cờ thi đua của Ủy ban nhân dân tỉnh", "Dẫn đầu Cụm thi đua số 4"),
                (U2, "Cờ thi đua UBND tỉnh", "Hoàn thành xuất sắc nhiệm vụ"),
                (U1, "BK UBND tỉnh", "Hoàn thành xuất sắc nhiệm vụ"),
                (U3, "Bằng khen UBND tỉnh", "Hoàn thành xuất sắc nhiệm vụ"),
                (U5, "Bằng khen của Chủ tịch UBND tỉnh", "Hoàn thành tốt nhiệm vụ"),
                (U6, "Bằng khen BTV Tỉnh ủy", "Có nhiều cố gắng"),
                (U4, "Huân chương Lao động hạng Ba", "Thành tích xuất sắc"),
                ("Phòng Tổ chức cán bộ Sở Nội vụ", "Giấy khen", "Phối hợp tốt"),
            ],
        ),
    )
    warnings = [i.message for s in report.sheets for i in s.issues]
    assert any("Huân chương Lao động hạng Ba" in w for w in warnings)
    assert any("Phòng Tổ chức cán bộ Sở Nội vụ" in w for w in warnings)
    got = checked(cluster)
    # The summary's proposal and the list's are one proposal.
    assert sum(1 for k in got if k == (U1, "CO_UBND")) == 1
    co = got[(U1, "CO_UBND")]
    assert co["status"] == "hợp lệ" and co["award"] == "Cờ thi đua của Ủy ban nhân dân tỉnh"
    assert "xếp hạng 1" in co["reason"] and co["achievement"] == "Dẫn đầu Cụm thi đua số 4"
    not_leading = got[(U2, "CO_UBND")]
    assert not_leading["status"] == "không đủ điều kiện"
    assert not_leading["rule"].startswith("CO-1")
    assert "xếp hạng 2" in not_leading["reason"] and U1 in not_leading["reason"]
    assert got[(U1, "BK_CT_UBND")]["status"] == "hợp lệ"
    over = got[(U3, "BK_CT_UBND")]
    assert over["status"] == "vượt hạn mức" and over["rule"].startswith("BK-2")
    # 30 % of 6 ranked units, rounded down, is 1; the cluster proposes 2.
    assert (
        "30%" in over["reason"] and "6 đơn vị" in over["reason"] and "đề nghị 2" in over["reason"]
    )
    good = got[(U5, "BK_CT_UBND")]
    assert good["status"] == "không đủ điều kiện" and good["rule"].startswith("BK-1")
    assert '"Hoàn thành tốt nhiệm vụ"' in good["reason"] and "80 điểm" in good["reason"]
    low = got[(U6, "BK_BTV_TU")]
    assert low["status"] == "không đủ điều kiện" and "xếp hạng 6" in low["reason"]
    unknown = got[(U4, "Huân chương Lao động hạng Ba")]
    assert unknown["status"] == "không đủ điều kiện" and "danh mục" in unknown["reason"]
    outsider = got[("Phòng Tổ chức cán bộ Sở Nội vụ", "GK")]
    assert outsider["status"] == "không đủ điều kiện"
    assert "Chưa có kết quả chấm điểm" in outsider["reason"]
    assert {r["source_row"] for r in got.values() if r["source_kind"] == "G"} >= {11, 12}


def test_quota_of_one_flag_per_cluster_with_a_tie(con, tmp_path):
    load(con, members(tmp_path))
    load(con, summary(tmp_path, totals=["98", "98", "93", "91", "80", "60"]))
    load(
        con,
        proposal_list(
            tmp_path, [(U1, "Cờ thi đua UBND tỉnh", "x"), (U2, "Cờ thi đua UBND tỉnh", "y")]
        ),
    )
    got = checked(con)
    statuses = sorted(got[(u, "CO_UBND")]["status"] for u in (U1, U2))
    assert statuses == ["hợp lệ", "vượt hạn mức"]
    over = next(got[(u, "CO_UBND")] for u in (U1, U2) if got[(u, "CO_UBND")]["status"] != "hợp lệ")
    assert over["rule"].startswith("CO-2") and "tối đa 1 mỗi cụm" in over["reason"]


def test_people_and_awards_without_rules(cluster, tmp_path):
    load(
        cluster,
        proposal_list(
            tmp_path, [("Nguyễn Văn An", "CSTĐCS", "Sáng kiến cấp cơ sở")], header="Họ và tên"
        ),
    )
    got = checked(cluster)[("Nguyễn Văn An", "CSTDCS")]
    assert got["status"] == "hợp lệ" and got["subject"] == "cá nhân"
    assert got["award"] == "Chiến sĩ thi đua cơ sở"


def test_a_newer_list_supersedes_and_grants_form_the_history(cluster, tmp_path):
    load(cluster, proposal_list(tmp_path, [(U3, "Giấy khen", "a"), (U4, "Giấy khen", "b")]))
    load(cluster, proposal_list(tmp_path, [(U3, "Giấy khen", "a")], name="g2.xlsx"))
    got = checked(cluster)
    assert (U4, "GK") not in got and (U3, "GK") in got
    load(
        cluster,
        proposal_list(
            tmp_path,
            [(U1, "Cờ thi đua của UBND tỉnh", "Dẫn đầu", "Quyết định số 123/QĐ-UBND")],
            name="qd.xlsx",
            decisions=True,
        ),
    )
    history = rows(cluster, "SELECT * FROM v_award_history")
    assert [(h["unit"], h["award"], h["decision"]) for h in history] == [
        (U1, "Cờ thi đua của Ủy ban nhân dân tỉnh", "Quyết định số 123/QĐ-UBND")
    ]
    # The grant stands for the proposal: still one row, now with its decision.
    co = [
        r for r in rows(cluster, "SELECT * FROM v_award_proposals") if r["award_code"] == "CO_UBND"
    ]
    assert len(co) == 1 and co[0]["decision"] == "Quyết định số 123/QĐ-UBND"


def test_a_summary_with_proposals_is_kind_b_not_g(con, tmp_path):
    load(con, members(tmp_path))
    report = load(con, summary(tmp_path, proposals={U2: "Đề nghị Trưởng Ban tặng Giấy khen"}))
    assert [s.kind for s in report.sheets] == ["B"]
    assert checked(con)[(U2, "GK")]["source_kind"] == "B"


def test_admin_edits_a_rule_with_its_basis(cluster, tmp_path, db_file):
    load(
        cluster,
        proposal_list(tmp_path, [(U1, "BK UBND tỉnh", "a"), (U3, "Bằng khen UBND tỉnh", "b")]),
    )
    accounts.add_user(cluster, "quantri", "admin", "mat-khau-dai-1")
    accounts.add_user(cluster, "nhanvien", "uploader", "mat-khau-dai-2")
    with pytest.raises(PermissionError):
        actions.edit_award_rule(cluster, "nhanvien", "BK-2", "50%", "Công văn 12/BTĐKT")
    with pytest.raises(ValueError, match="cố định"):
        actions.edit_award_rule(cluster, "quantri", "CO-1", "", "x")
    with pytest.raises(ValueError, match="căn cứ"):
        actions.edit_award_rule(cluster, "quantri", "BK-2", "50%", " ")
    actions.edit_award_rule(
        cluster, "quantri", "BK-2", "50%", "Công văn số 12/BTĐKT ngày 5/11/2026"
    )
    got = checked(cluster)[(U3, "BK_CT_UBND")]
    assert got["status"] == "hợp lệ" and "Công văn số 12/BTĐKT" in got["rule"]
    # The edit survives a reopen (the shipped CSV does not overwrite it) and a rebuild.
    db.close_all()
    rebuild(db_file)
    con = db.connect(db_file)
    assert checked(con)[(U3, "BK_CT_UBND")]["status"] == "hợp lệ"
    assert rows(con, "SELECT value FROM award_rules WHERE rule_id = 'BK-2'")[0]["value"] == "0.5"


def test_award_names_as_offices_write_them():
    assert awards.match_awards("BK UBND tỉnh") == ["BK_CT_UBND"]
    assert awards.match_awards("Bằng khen của Chủ tịch UBND tỉnh") == ["BK_CT_UBND"]
    assert awards.match_awards("Cờ Thi đua của UBND Tỉnh") == ["CO_UBND"]
    assert awards.match_awards(nfd("TTLĐXS")) == ["TTLDXS"]
    assert awards.match_awards(
        "Đơn vị dẫn đầu Cụm; đề nghị Ban Thường vụ Tỉnh ủy tặng Bằng khen"
    ) == ["BK_BTV_TU"]
    assert awards.match_awards("Cờ thi đua UBND tỉnh và Bằng khen UBND tỉnh") == [
        "CO_UBND",
        "BK_CT_UBND",
    ]
    assert awards.match_awards("Huân chương Lao động") == []


def test_a_council_list_as_typed_elsewhere(con, tmp_path):
    """Group headings ("I. TẬP THỂ"), a long award header, short names, a cluster column, the
    cluster typed loosely, and a sheet of individuals in the same file."""
    load(con, members(tmp_path))
    load(con, summary(tmp_path))
    book = Book()
    headers = [
        "TT",
        "Tên đơn vị",
        "Cụm",
        "Danh hiệu thi đua, hình thức khen thưởng đề nghị",
        "Tóm tắt thành tích",
        "Ghi chú",
    ]
    book.table(
        "Tập thể",
        headers,
        [
            ("I", "TẬP THỂ", None, None, None, None),
            (1, nfd(U1), "Cụm 4", "Cờ Thi đua của UBND Tỉnh", "Dẫn đầu", None),
            (2, U3, "CỤM THI ĐUA SỐ 4", "Tập thể lao động xuất sắc", "Xuất sắc", None),
            (3, U6, "Cụm 4", "TTLĐXS", "Cố gắng", "Chưa đạt"),
        ],
        title=Title(title="DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}", unit=None, cluster=None),
    )
    book.table(
        "Cá nhân",
        ["STT", "Họ và tên", "Danh hiệu đề nghị", "Lý do"],
        [(1, "Trần Thị Bình", "Lao động tiên tiến", "Hoàn thành tốt")],
        title=Title(title="DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}", unit=None),
    )
    report = load(con, book.save(tmp_path / "hd.xlsx"))
    assert [s.kind for s in report.sheets] == ["G", "G"]
    got = checked(con)
    assert got[(U1, "CO_UBND")]["status"] == "hợp lệ"
    assert got[(U3, "TTLDXS")]["status"] == "hợp lệ"
    low = got[(U6, "TTLDXS")]
    assert low["status"] == "không đủ điều kiện" and low["rule"].startswith("TTXS-1")
    assert '"Hoàn thành nhiệm vụ"' in low["reason"]
    person = got[("Trần Thị Bình", "LDTT")]
    assert person["subject"] == "cá nhân" and person["cluster"] == CLUSTER
    assert len(got) == 4  # the heading row is not a proposal


@pytest.mark.parametrize(
    "variant",
    [
        {"start_col": 1},
        {"start_col": 5, "name": "DS đề nghị (bản cuối)"},
        {"nfd": True, "name": "Sheet1"},
    ],
)
def test_checks_do_not_depend_on_where_or_how_the_list_is_typed(con, tmp_path, variant):
    load(con, members(tmp_path))
    load(con, summary(tmp_path))
    items = [(U1, "Cờ thi đua UBND tỉnh", "a"), (U2, "Cờ thi đua UBND tỉnh", "b"), (U3, "GK", "c")]
    baseline = tmp_path / "base"
    load(con, proposal_list(baseline, items))
    want = {k: (r["status"], r["rule"], r["reason"]) for k, r in checked(con).items()}
    book = Book()
    rows = [(i + 1, nfd(n) if variant.get("nfd") else n, a, t) for i, (n, a, t) in enumerate(items)]
    book.table(
        variant.get("name", "Đề nghị"),
        [STT, "Tên tập thể", Group("ĐỀ NGHỊ", ["Hình thức khen thưởng", "Thành tích"])],
        rows,
        title=Title(title="DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}", unit=None),
        start_col=variant.get("start_col", 2),
    )
    load(con, book.save(tmp_path / "moved.xlsx"))
    got = {k: (r["status"], r["rule"], r["reason"]) for k, r in checked(con).items()}
    assert got == want


def test_short_forms_offices_use_make_the_leading_units_flag_valid(con, tmp_path):
    """Issue 17, finding 6: a cluster's list in the short forms offices write ("Cờ TĐ UBND tỉnh",
    "Tập thể LĐXS", "BKCT UBND tỉnh") is read as the forms they stand for, so the leading unit's
    Cờ is valid rather than "không đủ điều kiện"."""
    load(con, members(tmp_path))
    load(con, summary(tmp_path))
    report = load(
        con,
        proposal_list(
            tmp_path,
            [
                (U1, "Cờ TĐ UBND tỉnh", "Dẫn đầu Cụm thi đua số 4"),
                (U2, "Tập thể LĐXS", "Hoàn thành xuất sắc nhiệm vụ"),
                (U3, "BKCT UBND tỉnh", "Hoàn thành xuất sắc nhiệm vụ"),
                (U4, "Tập thể LĐTT", "Hoàn thành tốt nhiệm vụ"),
            ],
        ),
    )
    got = checked(con)
    assert got[(U1, "CO_UBND")]["status"] == "hợp lệ"
    assert got[(U1, "CO_UBND")]["award"] == "Cờ thi đua của Ủy ban nhân dân tỉnh"
    assert got[(U2, "TTLDXS")]["award"] == "Tập thể lao động xuất sắc"
    assert (U3, "BK_CT_UBND") in got and (U4, "TTLDTT") in got
    assert not [i.message for s in report.sheets for i in s.issues if "Không nhận ra" in i.message]


def test_every_short_form_is_data_with_its_basis():
    """The short forms sit beside the forms in data/reference/, each with the text it rests on,
    and each names exactly its own form."""
    shorts = awards.short_forms()
    assert len(shorts) >= 20
    for s in shorts:
        assert s.basis.strip(), s
        assert awards.match_awards(s.short_form) == [s.award_code], s
    for typed, code in [
        ("Cờ TĐ UBND tỉnh", "CO_UBND"),
        ("CTĐ", "CO_UBND"),
        ("Tập thể LĐXS", "TTLDXS"),
        ("TT LĐXS", "TTLDXS"),
        ("Tập thể LĐTT", "TTLDTT"),
        ("BK Chủ tịch UBND tỉnh", "BK_CT_UBND"),
        ("GK", "GK"),
        ("CSTĐ cơ sở", "CSTDCS"),
        ("LĐTT", "LDTT"),
    ]:
        assert awards.match_awards(typed) == [code], typed


def test_an_unknown_form_is_a_warning_naming_the_closest_forms(con, tmp_path):
    load(con, members(tmp_path))
    load(con, summary(tmp_path))
    report = load(con, proposal_list(tmp_path, [(U2, "Bằng khen Thủ tướng Chính phủ", "x")]))
    (warning,) = [i for s in report.sheets for i in s.issues if "Không nhận ra" in i.message]
    assert warning.cell and "Bằng khen" in warning.message
    assert "Lao động tiên tiến" not in warning.message  # the closest forms, not the whole list
