import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.read.text import (
    canonical_cluster,
    closest,
    fold,
    fold_header,
    legacy_encoding,
    nfc,
    roman_to_int,
    strip_diacritics,
)


def nfd(s: str) -> str:
    return unicodedata.normalize("NFD", s)


# --- nfc / fold -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ban Tổ chức", "Ban Tổ chức"),
        ("  Ban\u00a0Tổ\tchức \n", "Ban Tổ chức"),
        ("Ban\u2007Tổ\u202fchức", "Ban Tổ chức"),
        ("Ban\r\n\r\nTổ   chức", "Ban Tổ chức"),
        ("Ban\u200b Tổ chức", "Ban Tổ chức"),
        ("\ufeffSở Tài chính", "Sở Tài chính"),
        ("   ", ""),
    ],
)
def test_nfc_collapses_whitespace(raw: str, expected: str) -> None:
    assert nfc(raw) == expected


def test_nfc_composes_decomposed_text() -> None:
    decomposed = nfd("Đảng ủy Công an tỉnh")
    assert decomposed != "Đảng ủy Công an tỉnh"
    assert nfc(decomposed) == "Đảng ủy Công an tỉnh"


def test_fold_ignores_case_form_and_spacing_but_keeps_diacritics() -> None:
    assert fold(nfd("Ban Tổ chức")) == fold("Ban Tổ chức")
    assert fold("BAN TỔ  CHỨC") == fold("ban tổ chức")
    assert fold("Ban Tổ chức") != fold("Ban To chuc")
    assert fold("ĐẢNG BỘ") == "đảng bộ"


_VIETNAMESE_LETTERS = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
)
vietnamese_text = st.text(
    alphabet=st.sampled_from(_VIETNAMESE_LETTERS + _VIETNAMESE_LETTERS.upper() + "  \t0123"),
    max_size=40,
)


@given(vietnamese_text)
def test_nfd_and_nfc_fold_equal(s: str) -> None:
    assert fold(nfd(s)) == fold(unicodedata.normalize("NFC", s))


@given(vietnamese_text)
def test_strip_diacritics_leaves_ascii(s: str) -> None:
    assert strip_diacritics(s).isascii()


# --- fold_header ------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ĐIỂM\nTỰ  CHẤM:", "diem tu cham"),
        ("Điểm tự chấm", "diem tu cham"),
        (nfd("Điểm tự chấm"), "diem tu cham"),
        ("  Điểm chuẩn. ", "diem chuan"),
        ("Tiêu chí;", "tieu chi"),
        ("Ghi chú*", "ghi chu"),
        ('"Ghi chú"', "ghi chu"),
        ("“Nội dung”", "noi dung"),
        ("Điểm tự chấm (*)", "diem tu cham"),
        ("Điểm thưởng (cộng)", "diem thuong (cong)"),
        ("(Điểm chuẩn)", "diem chuan"),
        ("Tỷ lệ (%)", "ty le"),
        ("Điểm trừ)", "diem tru"),
        ("STT", "stt"),
        ("Số\u00a0TT", "so tt"),
        ("Đơn vị tính", "don vi tinh"),
        ("% so KH", "% so kh"),
    ],
)
def test_fold_header(raw: str, expected: str) -> None:
    assert fold_header(raw) == expected


# --- roman numerals ---------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("I", 1),
        ("ii", 2),
        ("IV", 4),
        ("v", 5),
        ("IX", 9),
        ("XIV", 14),
        ("XIX", 19),
        ("XXIV", 24),
        ("XXXIX", 39),
        (" III ", 3),
    ],
)
def test_roman_to_int(raw: str, expected: int) -> None:
    assert roman_to_int(raw) == expected


@pytest.mark.parametrize("raw", ["", "IIII", "VV", "IC", "XL", "XXXX", "a", "1", "IIX", "VX"])
def test_roman_to_int_rejects(raw: str) -> None:
    assert roman_to_int(raw) is None


def test_roman_to_int_covers_one_to_thirty_nine() -> None:
    ones = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    for n in range(1, 40):
        assert roman_to_int("X" * (n // 10) + ones[n % 10]) == n


# --- canonical_cluster ------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("CỤM THI ĐUA SỐ 4", "Cụm thi đua số 4"),
        ("Cụm 4", "Cụm thi đua số 4"),
        ("cụm thi đua 4", "Cụm thi đua số 4"),
        ("Cụm thi đua số 04", "Cụm thi đua số 4"),
        ("Cụm thi đua số IV", "Cụm thi đua số 4"),
        ("Cụm thi đua iv", "Cụm thi đua số 4"),
        ("Cụm số 4", "Cụm thi đua số 4"),
        ("Cụm TĐ số 4", "Cụm thi đua số 4"),
        ("Cụm thi đua số: 4", "Cụm thi đua số 4"),
        ("Cụm thi đua số 12", "Cụm thi đua số 12"),
        ("Cụm thi đua số 4 - Ngành Tổ chức xây dựng Đảng", "Cụm thi đua số 4"),
        ("KHỐI THI ĐUA SỐ 1", "Khối thi đua số 1"),
        ("Khối 1", "Khối thi đua số 1"),
        ("Khối thi đua 1", "Khối thi đua số 1"),
        ("Khối thi đua số II", "Khối thi đua số 2"),
        (
            "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM CỤM THI ĐUA SỐ 4 NĂM 2026",
            "Cụm thi đua số 4",
        ),
        ("Cum thi dua so 4", "Cụm thi đua số 4"),
        ("KHOI THI DUA SO 3", "Khối thi đua số 3"),
        (nfd("Cụm thi đua số 4"), "Cụm thi đua số 4"),
        (nfd("KHỐI THI ĐUA SỐ 7"), "Khối thi đua số 7"),
        ("Cụm\u00a0thi\nđua số 5", "Cụm thi đua số 5"),
    ],
)
def test_canonical_cluster(raw: str, expected: str) -> None:
    assert canonical_cluster(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "Ban Tổ chức Tỉnh ủy",
        "BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2026",
        "Cụm dân cư",
        "Khối các cơ quan Đảng",
        "Khối lượng 5 tấn",
        "các cụm vi phạm",
        "Cụm thi đua số 0",
        "Tiêu chuẩn 4",
    ],
)
def test_canonical_cluster_none(raw: str) -> None:
    assert canonical_cluster(raw) is None


@given(
    st.one_of(
        vietnamese_text,
        st.builds(
            lambda word, middle, n, tail: f"{word}{middle}{n}{tail}",
            st.sampled_from(["Cụm", "CỤM", "Khối", "KHỐI", "cum", "khoi"]),
            st.sampled_from([" ", " thi đua ", " THI ĐUA SỐ ", " số ", " thi đua số "]),
            st.one_of(st.integers(0, 200).map(str), st.sampled_from(["I", "IV", "xii"])),
            st.sampled_from(["", " năm 2026", " - Ngành Tổ chức"]),
        ),
    )
)
def test_canonical_cluster_is_idempotent(s: str) -> None:
    once = canonical_cluster(s)
    if once is not None:
        assert canonical_cluster(once) == once


# --- legacy encodings -------------------------------------------------------

TCVN3_SAMPLES = [
    "Së Tµi chÝnh",
    "Ban Tæ chøc",
    "Céng hoµ x· héi chñ nghÜa ViÖt Nam",
    "§¶ng bé",
    "Ban Tæ chøc TØnh ñy",
    "§éc lËp - Tù do - H¹nh phóc",
    "§¶ng bé tØnh L©m §ång",
    "B¶ng chÊm ®iÓm thi ®ua n¨m 2026",
    "§iÓm tù chÊm",
    "Ban Tuyªn gi¸o TØnh ñy",
    "ñy ban nh©n d©n huyÖn §øc Träng",
    "Ng\xadêi lËp biÓu",
    "Thñ tr\xadëng ®¬n vÞ",
    "Hoµn thµnh xuÊt s¾c nhiÖm vô",
    "Côm thi ®ua sè 4",
    "Tæng céng",
    "Së Gi¸o dôc vµ §µo t¹o",
    "V¨n phßng §oµn ®¹i biÓu Quèc héi",
    "Tiªu chÝ 1: Thùc hiÖn nhiÖm vô chÝnh trÞ",
    "§¬n vÞ: C«ng an tØnh",
    "B¶NG CHÊM §IÓM THI §UA",
]

VNI_SAMPLES = [
    "Sôû Taøi chính",
    "Ñaûng boä",
    "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam",
    "Ban Toå chöùc Tænh uûy",
    "Ñoäc laäp - Töï do - Haïnh phuùc",
    "Ñaûng boä tænh Laâm Ñoàng",
    "Baûng chaám ñieåm thi ñua naêm 2026",
    "Ñieåm töï chaám",
    "Ban Tuyeân giaùo Tænh uûy",
    "UÛy ban nhaân daân huyeän Ñöùc Troïng",
    "Ngöôøi laäp bieåu",
    "Thuû tröôûng ñôn vò",
    "Hoaøn thaønh xuaát saéc nhieäm vuï",
    "Cuïm thi ñua soá 4",
    "Toång coäng",
    "Sôû Giaùo duïc vaø Ñaøo taïo",
    "Vaên phoøng Ñoaøn ñaïi bieåu Quoác hoäi",
    "Tieâu chí 1: Thöïc hieän nhieäm vuï chính trò",
    "Ñôn vò: Coâng an tænh",
    "BAÛNG CHAÁM ÑIEÅM THI ÑUA",
]

UNICODE_SAMPLES = [
    "Sở Tài chính",
    "Ban Tổ chức Tỉnh ủy",
    "Ban Tổ chức Đảng ủy Công an tỉnh",
    "Cộng hòa xã hội chủ nghĩa Việt Nam",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "ĐẢNG BỘ TỈNH LÂM ĐỒNG",
    "BAN TỔ CHỨC TỈNH ỦY",
    "Lâm Đồng, ngày 15 tháng 12 năm 2026",
    "BẢNG CHẤM ĐIỂM THI ĐUA NĂM 2026",
    "Đơn vị: Ban Tổ chức Đảng ủy Công an tỉnh",
    "Cụm thi đua số 4",
    "Khối thi đua số 1",
    "Điểm tự chấm",
    "Điểm cụm chấm",
    "Người lập biểu",
    "THỦ TRƯỞNG ĐƠN VỊ",
    "Nơi nhận:",
    "Hoàn thành xuất sắc nhiệm vụ",
    "Không hoàn thành",
    "Tổng cộng",
    "Ghi chú: Tổng điểm trừ của mục a1 không quá 1,5 điểm",
    "Tiêu chí 1: Thực hiện nhiệm vụ chính trị được giao",
    "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ đạt trên 90%",
    "Không để xảy ra vi phạm pháp luật, tham nhũng, lãng phí",
    "Ủy ban nhân dân huyện Đức Trọng",
    "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân",
    "Sở Giáo dục và Đào tạo",
    "Trường Trung học phổ thông Nguyễn Huệ",
    "Thu ngân sách nhà nước đạt 12.489,4 tỷ đồng",
    "Khuyến khích, đẩy mạnh ứng dụng khoa học – kỹ thuật",
    "Quỹ khuyến học; hưởng ứng phong trào “Người tốt, việc tốt”",
    "Giảm tỷ lệ hộ nghèo ít nhất 1 - 1,5%/năm",
    "ÐẢNG ỦY XÃ ÐỨC PHỔ",  # Icelandic eth typed for Đ
]


@pytest.mark.parametrize("s", TCVN3_SAMPLES)
def test_detects_tcvn3(s: str) -> None:
    assert legacy_encoding(s) == "TCVN3"


@pytest.mark.parametrize("s", VNI_SAMPLES)
def test_detects_vni(s: str) -> None:
    assert legacy_encoding(s) == "VNI"


@pytest.mark.parametrize("s", UNICODE_SAMPLES)
def test_unicode_vietnamese_is_not_legacy(s: str) -> None:
    assert legacy_encoding(s) is None
    assert legacy_encoding(nfd(s)) is None


@pytest.mark.parametrize(
    "s",
    [
        "",
        "STT",
        "12.489,4",
        "100%",
        "Total score",
        "café",
        "Hôtel de Ville",
        "naïve café",
        "Müller",
        "Müller Düsseldorf Köln",
        "Søren Kierkegård",
        "El Niño, año, señor",
        "Crème brûlée à la française",
        "Microsoft® Excel©",
        "A · B · C",
        "Điều 5 § 2",
        "5 µm",
        "Së",  # a single marker is not enough
        "Sôû",
    ],
)
def test_other_text_is_not_legacy(s: str) -> None:
    assert legacy_encoding(s) is None


# --- closest ----------------------------------------------------------------

UNITS = [
    "Ban Tổ chức Đảng ủy Công an tỉnh",
    "Ban Tuyên giáo Đảng ủy Công an tỉnh",
    "Ban Tổ chức Tỉnh ủy",
    "Sở Tài chính",
    "Sở Tư pháp",
    "Văn phòng Tỉnh ủy",
    "Ủy ban Kiểm tra Tỉnh ủy",
    "Đảng ủy Khối các cơ quan tỉnh",
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ban To chuc Cong an tinh", "Ban Tổ chức Đảng ủy Công an tỉnh"),
        ("Ban TC Đảng ủy CA tỉnh", "Ban Tổ chức Đảng ủy Công an tỉnh"),
        ("ban tổ chức đảng uỷ công an tỉnh", "Ban Tổ chức Đảng ủy Công an tỉnh"),
        ("So Tai chinh", "Sở Tài chính"),
        ("Sở Tài Chánh", "Sở Tài chính"),
        ("Van phong Tinh uy", "Văn phòng Tỉnh ủy"),
        ("UBKT Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy"),
        ("Ban Tuyen giao CA tinh", "Ban Tuyên giáo Đảng ủy Công an tỉnh"),
    ],
)
def test_closest_finds_the_intended_unit_first(name: str, expected: str) -> None:
    assert closest(name, UNITS)[0] == expected


@pytest.mark.parametrize("name", ["Hội Nông dân", "Trường THPT Nguyễn Huệ", "xyz", ""])
def test_closest_suggests_nothing_for_unrelated_names(name: str) -> None:
    assert closest(name, UNITS) == []


def test_closest_limits_and_orders() -> None:
    found = closest("Ban To chuc Cong an tinh", UNITS, n=2)
    assert found == ["Ban Tổ chức Đảng ủy Công an tỉnh", "Ban Tổ chức Tỉnh ủy"]
    assert closest("Sở Tài chính", ["Sở Tài chính", "Sở Tài chính", "Sở Tư pháp"], n=3)[0] == (
        "Sở Tài chính"
    )
    assert closest("Sở Tài chính", ["Sở Tài chính", "Sở Tài chính"]) == ["Sở Tài chính"]


# Issue 17: a suggestion offered an unrelated unit. In a real list most names share a long stem
# ("Ban Xây dựng Đảng Đảng ủy phường …"); only the words that tell units apart make two names
# close.
WARD_BOARDS = [
    "Ban Tổ chức Đảng ủy Công an tỉnh",
    "Ban Xây dựng Đảng Đảng ủy các cơ quan Đảng tỉnh",
    "Ban Xây dựng Đảng Đảng ủy Ủy ban nhân dân tỉnh",
    "Phòng Chính trị, Bộ Chỉ huy Quân sự tỉnh",
    "Phòng Tổ chức - Cán bộ, Công an tỉnh",
] + [
    f"Ban Xây dựng Đảng Đảng ủy {place}"
    for place in (
        "phường 1 Bảo Lộc",
        "phường B'Lao",
        "phường Bắc Gia Nghĩa",
        "phường Nam Gia Nghĩa",
        "phường Hàm Thắng",
        "phường La Gi",
        "phường Mũi Né",
        "phường Phan Thiết",
        "phường Phú Thủy",
        "phường Lâm Viên - Đà Lạt",
        "phường Xuân Hương - Đà Lạt",
        "phường Xuân Trường - Đà Lạt",
        "xã Di Linh",
        "xã Đức Trọng",
        "xã Lạc Dương",
    )
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ban XD Đảng phường B Lao", "Ban Xây dựng Đảng Đảng ủy phường B'Lao"),
        ("Ban XDĐ phường Mui Ne", "Ban Xây dựng Đảng Đảng ủy phường Mũi Né"),
        (
            "Ban Xây dựng Đảng phường Xuân Hương",
            "Ban Xây dựng Đảng Đảng ủy phường Xuân Hương - Đà Lạt",
        ),
        ("Ban Xay dung Dang Dang uy xa Duc Trong", "Ban Xây dựng Đảng Đảng ủy xã Đức Trọng"),
        ("Phòng Tổ chức cán bộ Công an tỉnh", "Phòng Tổ chức - Cán bộ, Công an tỉnh"),
        ("Phòng Chính trị Bộ CHQS tỉnh", "Phòng Chính trị, Bộ Chỉ huy Quân sự tỉnh"),
        ("Ban TC Đảng ủy CA tỉnh", "Ban Tổ chức Đảng ủy Công an tỉnh"),
    ],
)
def test_a_near_miss_is_offered_only_its_own_unit(name: str, expected: str) -> None:
    assert closest(name, WARD_BOARDS) == [expected]


@pytest.mark.parametrize(
    "name",
    [
        "Ban Dân vận Tỉnh ủy",  # another board of the province
        "Ban Xây dựng Đảng Đảng ủy xã Bảo Lâm",  # a commune of another cluster
        "Ban Xây dựng Đảng Đảng ủy phường Cam Ly",
        "Sở Giáo dục và Đào tạo",
        "Bình quân",
        "Điểm chuẩn",
    ],
)
def test_an_unrelated_unit_is_offered_nothing(name: str) -> None:
    assert closest(name, WARD_BOARDS) == []
