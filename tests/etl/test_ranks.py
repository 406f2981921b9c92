"""Ranks typed by people (workbooks.md §1).

Issue #8, finding 4: "Nhất", "Nhì", "Đồng hạng 3" in a Xếp hạng column gave an empty file_rank,
so the rank cross-check silently did nothing.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.load import load_file
from etl.read.numbers import parse_rank
from tests.etl.builders import Book, Title, rows

WORDS = {1: "Nhất", 2: "Nhì", 3: "Ba", 4: "Tư", 5: "Năm"}
ROMAN = {
    1: "I",
    2: "II",
    3: "III",
    4: "IV",
    5: "V",
    6: "VI",
    7: "VII",
    8: "VIII",
    9: "IX",
    # A lone "X" is not here: an "x" in a cell means "no value" (workbooks.md §1), which wins.
    11: "XI",
    12: "XII",
    14: "XIV",
    19: "XIX",
    24: "XXIV",
}


def forms(n: int) -> list[str]:
    """Every way the contract lists of typing rank n."""
    out = [str(n), f"{n:02d}", f"{n}.0", f"{n},0", f"Thứ {n}", f"Hạng {n}", f"Xếp thứ {n}"]
    out += [f"{n} (đồng hạng)", f"Đồng hạng {n}", f"đồng hạng {n}", f"{n}(đồng hạng)"]
    if n in WORDS:
        out += [WORDS[n], f"Hạng {WORDS[n]}", f"Hạng {WORDS[n].lower()}", WORDS[n].upper()]
    if n in ROMAN:
        out += [ROMAN[n], f"Hạng {ROMAN[n]}", f"{ROMAN[n]} (đồng hạng)"]
    return out


@st.composite
def typed_rank(draw) -> tuple[int, str]:
    n = draw(st.integers(min_value=1, max_value=30))
    text = draw(st.sampled_from(forms(n)))
    # However it was keyed: NFD, stray or non-breaking spaces, a zero-width space.
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    pad = draw(st.sampled_from(["", " ", "\u00a0", "\u200b", "  "]))
    return n, pad + text.replace(" ", draw(st.sampled_from([" ", "  ", "\u00a0"]))) + pad


@given(typed_rank())
def test_every_typed_form_of_a_rank_reads_as_that_rank(case):
    n, text = case
    assert parse_rank(text) == n


@given(st.integers(min_value=1, max_value=9999))
def test_a_plain_number_is_its_rank(n):
    assert parse_rank(str(n)) == n
    assert parse_rank(f"{n}.0") == n


@pytest.mark.parametrize(
    "text", ["", "x", "-", "/", "0", "1,5", "2.5", "không xếp loại", "Đạt", "Hoàn thành"]
)
def test_what_is_not_a_rank(text):
    assert parse_rank(text) is None


def test_ranks_typed_as_words_reach_file_rank_and_the_cross_check(con, tmp_path):
    book = Book()
    book.kind_b(
        [
            (1, "Ban Tổ chức Đảng ủy Công an tỉnh", "95", "Nhất"),
            (2, "Văn phòng Ban Tổ chức Tỉnh ủy", "92", "Nhì"),
            (3, "Phòng Chính trị Bộ Chỉ huy Quân sự tỉnh", "90", "Đồng hạng 3"),
            (4, "Phòng Tổ chức - Cán bộ, Công an tỉnh", "90", "3 (đồng hạng)"),
            (5, "Ban Xây dựng Đảng Đảng ủy phường B'Lao", "89", "Hạng III"),
        ],
        columns=("Tên đơn vị", "Tổng điểm", "Xếp hạng"),
        title=Title(title="BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM NĂM {year}", unit=None),
    )
    report = load_file(con, book.save(tmp_path / "b.xlsx"))
    assert report.status == "loaded", [i.human() for i in report.errors]
    got = {
        r["unit"]: r["file_rank"] for r in rows(con, "SELECT unit, file_rank FROM v_unit_scores")
    }
    assert sorted(got.values()) == [1, 2, 3, 3, 3]
    # The last unit claims III but its 89 points earn rank 5: the cross-check now says so.
    (warning,) = [w for w in report.warnings if "xếp hạng" in w.message]
    assert "B'Lao" in warning.message and "xếp hạng 3" in warning.message
    assert "xếp hạng 5" in warning.message


def test_an_unreadable_rank_is_named(con, tmp_path):
    book = Book()
    t = book.kind_b(
        [
            (1, "Ban Tổ chức Đảng ủy Công an tỉnh", "95", "cao nhất cụm"),
            (2, "Văn phòng Ban Tổ chức Tỉnh ủy", "92", "2"),
        ],
        columns=("Tên đơn vị", "Tổng điểm", "Xếp hạng"),
    )
    report = load_file(con, book.save(tmp_path / "b.xlsx"))
    assert report.status == "loaded"
    (warning,) = [w for w in report.warnings if "xếp hạng" in w.message]
    assert warning.cell == t.cell(0, "Xếp hạng") and "cao nhất cụm" in warning.message
