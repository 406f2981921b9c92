"""Demo workbooks for ``thidua``: ``python -m tools.samples`` writes them into ``data/samples/``.

The workbooks imitate what the offices of Lâm Đồng mail around (contract:
``workbooks.md``): title blocks, merged two-row headers, tables that start in
column B, numbers typed as text with a decimal comma, signatures under the
table, codes that restart under every parent. Names come from the planning
documents (Ngành Tổ chức xây dựng Đảng tỉnh Lâm Đồng 2026, Khối thi đua số 1
thành phố Đà Lạt, Chỉ thị 34-CT/TU) and from the real Tiền Giang scoring
framework; scores are invented. Province figures are the published ones from
``data/reference/`` where they exist, else marked "Số liệu minh họa (không phải số thật)".

Everything is seeded (``random.Random`` with string seeds derived from
``SEED``): no clock, no network, byte-identical files on every run (zip
timestamps and document properties are pinned after openpyxl saves).

``expected.json`` holds the figures the sheets mean, computed from the
generator's own data model, never by reading the files back. Its
``special_cases`` entry says where the deliberate quirks are: the tie (ranks
1, 1, 3), the NFD-typed unit name, the total row typed 0,5 too high, the
summary whose "Xếp hạng" is wrong for one unit, and the "không xếp loại" cell.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tools import samples_year

SEED = 2026
REPO = Path(__file__).resolve().parents[1]
REFERENCE_DIR = REPO / "data" / "reference"
SAMPLES_DIR = REPO / "data" / "samples"
FIXED_ZIP_TIME = (2026, 12, 15, 8, 0, 0)
FIXED_DOC_TIME = "2026-12-15T08:00:00Z"

CUM_TRUONG = "Cụm trưởng"
CUM_PHO_TT = "Cụm phó Thường trực"
CUM_PHO = "Cụm phó"
THANH_VIEN = "Thành viên"
KHOI_TRUONG = "Khối trưởng"
KHOI_PHO = "Khối phó"

# ---------------------------------------------------------------------------
# Data: cluster membership (kind E) — Ngành Tổ chức xây dựng Đảng tỉnh Lâm Đồng
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    name: str
    short: str
    role: str


@dataclass(frozen=True)
class Cluster:
    number: int
    area: str
    place: str
    members: tuple[Member, ...]

    @property
    def name(self) -> str:
        return f"Cụm thi đua số {self.number}"


def _bxdd(where: str, short: str, role: str) -> Member:
    return Member(f"Ban Xây dựng Đảng Đảng ủy {where}", short, role)


CA_TINH = "Ban Tổ chức Đảng ủy Công an tỉnh"
CQ_DANG = "Ban Xây dựng Đảng Đảng ủy các cơ quan Đảng tỉnh"
UBND_TINH = "Ban Xây dựng Đảng Đảng ủy Ủy ban nhân dân tỉnh"
PCT_QS = "Phòng Chính trị, Bộ Chỉ huy Quân sự tỉnh"
PTCCB_CA = "Phòng Tổ chức - Cán bộ, Công an tỉnh"

# After the merger of 1 July 2025: party boards of the province's direct party committees and of
# the new wards and communes (seed 001: "Ban Tổ chức, Ban xây dựng các Đảng ủy trực thuộc Tỉnh
# ủy; Phòng Tổ chức - Cán bộ, Công an tỉnh; Phòng Chính trị, Bộ Chỉ huy Quân sự tỉnh").
CLUSTERS_2026 = (
    Cluster(
        1,
        "Khu vực Đà Lạt - Lạc Dương",
        "Đà Lạt",
        (
            _bxdd("phường Xuân Hương - Đà Lạt", "Xuân Hương", CUM_TRUONG),
            _bxdd("phường Cam Ly - Đà Lạt", "Cam Ly", CUM_PHO_TT),
            _bxdd("phường Lâm Viên - Đà Lạt", "Lâm Viên", CUM_PHO),
            _bxdd("phường Xuân Trường - Đà Lạt", "Xuân Trường", THANH_VIEN),
            _bxdd("phường Lang Biang - Đà Lạt", "Lang Biang", THANH_VIEN),
            _bxdd("xã Lạc Dương", "Lạc Dương", THANH_VIEN),
        ),
    ),
    Cluster(
        2,
        "Khu vực Bảo Lộc - Đức Trọng - Gia Nghĩa",
        "Bảo Lộc",
        (
            _bxdd("phường 1 Bảo Lộc", "P1 Bảo Lộc", CUM_TRUONG),
            _bxdd("phường B'Lao", "B'Lao", CUM_PHO_TT),
            _bxdd("xã Đức Trọng", "Đức Trọng", CUM_PHO),
            _bxdd("xã Di Linh", "Di Linh", THANH_VIEN),
            _bxdd("phường Bắc Gia Nghĩa", "Bắc Gia Nghĩa", THANH_VIEN),
            _bxdd("phường Nam Gia Nghĩa", "Nam Gia Nghĩa", THANH_VIEN),
        ),
    ),
    Cluster(
        3,
        "Khu vực Phan Thiết - La Gi",
        "Phan Thiết",
        (
            _bxdd("phường Phan Thiết", "Phan Thiết", CUM_TRUONG),
            _bxdd("phường Mũi Né", "Mũi Né", CUM_PHO_TT),
            _bxdd("phường Hàm Thắng", "Hàm Thắng", CUM_PHO),
            _bxdd("phường Phú Thủy", "Phú Thủy", THANH_VIEN),
            _bxdd("phường La Gi", "La Gi", THANH_VIEN),
        ),
    ),
    Cluster(
        4,
        "Các Đảng ủy trực thuộc Tỉnh ủy và lực lượng vũ trang",
        "Lâm Đồng",
        (
            Member(CA_TINH, "BTC ĐU Công an", CUM_TRUONG),
            Member(CQ_DANG, "BXDĐ ĐU CQ Đảng", CUM_PHO_TT),
            Member(UBND_TINH, "BXDĐ ĐU UBND", CUM_PHO),
            Member(PCT_QS, "PCT BCHQS", THANH_VIEN),
            Member(PTCCB_CA, "PTCCB Công an", THANH_VIEN),
        ),
    ),
)

# 2025 (scored in December 2025, after the merger): the same units, other roles; phường Nam Gia
# Nghĩa joined Cụm 2 only in 2026.
CLUSTERS_2025 = (
    Cluster(
        1,
        "Khu vực Đà Lạt - Lạc Dương",
        "Đà Lạt",
        (
            _bxdd("phường Xuân Hương - Đà Lạt", "Xuân Hương", CUM_PHO),
            _bxdd("phường Cam Ly - Đà Lạt", "Cam Ly", CUM_TRUONG),
            _bxdd("phường Lâm Viên - Đà Lạt", "Lâm Viên", CUM_PHO_TT),
            _bxdd("phường Xuân Trường - Đà Lạt", "Xuân Trường", THANH_VIEN),
            _bxdd("phường Lang Biang - Đà Lạt", "Lang Biang", THANH_VIEN),
            _bxdd("xã Lạc Dương", "Lạc Dương", THANH_VIEN),
        ),
    ),
    Cluster(
        2,
        "Khu vực Bảo Lộc - Đức Trọng - Gia Nghĩa",
        "Bảo Lộc",
        (
            _bxdd("phường 1 Bảo Lộc", "P1 Bảo Lộc", CUM_PHO_TT),
            _bxdd("phường B'Lao", "B'Lao", CUM_TRUONG),
            _bxdd("xã Đức Trọng", "Đức Trọng", CUM_PHO),
            _bxdd("xã Di Linh", "Di Linh", THANH_VIEN),
            _bxdd("phường Bắc Gia Nghĩa", "Bắc Gia Nghĩa", THANH_VIEN),
        ),
    ),
    Cluster(
        3,
        "Khu vực Phan Thiết - La Gi",
        "Phan Thiết",
        (
            _bxdd("phường Phan Thiết", "Phan Thiết", CUM_PHO_TT),
            _bxdd("phường Mũi Né", "Mũi Né", CUM_TRUONG),
            _bxdd("phường Hàm Thắng", "Hàm Thắng", THANH_VIEN),
            _bxdd("phường Phú Thủy", "Phú Thủy", CUM_PHO),
            _bxdd("phường La Gi", "La Gi", THANH_VIEN),
        ),
    ),
    Cluster(
        4,
        "Các Đảng ủy trực thuộc Tỉnh ủy và lực lượng vũ trang",
        "Lâm Đồng",
        (
            Member(CA_TINH, "BTC ĐU Công an", CUM_PHO_TT),
            Member(CQ_DANG, "BXDĐ ĐU CQ Đảng", CUM_TRUONG),
            Member(UBND_TINH, "BXDĐ ĐU UBND", CUM_PHO),
            Member(PCT_QS, "PCT BCHQS", THANH_VIEN),
            Member(PTCCB_CA, "PTCCB Công an", THANH_VIEN),
        ),
    ),
)


def _btc(where: str, short: str, role: str) -> Member:
    return Member(f"Ban Tổ chức {where}", short, role)


def _btctu(division: str, short: str, role: str) -> Member:
    return Member(f"{division}, Ban Tổ chức Tỉnh ủy", short, role)


# 2024: the old (pre-merger) province — district party committees still existed.
CLUSTERS_2024 = (
    Cluster(
        1,
        "Đà Lạt và các huyện phía Bắc",
        "Lâm Đồng",
        (
            _btc("Thành ủy Đà Lạt", "Đà Lạt", CUM_TRUONG),
            _btc("Huyện ủy Lạc Dương", "Lạc Dương", CUM_PHO_TT),
            _btc("Huyện ủy Đơn Dương", "Đơn Dương", CUM_PHO),
            _btc("Huyện ủy Đức Trọng", "Đức Trọng", THANH_VIEN),
            _btc("Huyện ủy Lâm Hà", "Lâm Hà", THANH_VIEN),
        ),
    ),
    Cluster(
        2,
        "Bảo Lộc và các huyện phía Nam",
        "Bảo Lộc",
        (
            _btc("Thành ủy Bảo Lộc", "Bảo Lộc", CUM_TRUONG),
            _btc("Huyện ủy Bảo Lâm", "Bảo Lâm", CUM_PHO_TT),
            _btc("Huyện ủy Di Linh", "Di Linh", CUM_PHO),
            _btc("Huyện ủy Đạ Huoai", "Đạ Huoai", THANH_VIEN),
            _btc("Huyện ủy Đam Rông", "Đam Rông", THANH_VIEN),
        ),
    ),
    Cluster(
        3,
        "Các Đảng ủy trực thuộc và lực lượng vũ trang",
        "Lâm Đồng",
        (
            _btc("Đảng ủy Khối các cơ quan tỉnh", "ĐU Khối CQ", CUM_TRUONG),
            _btc("Đảng ủy Khối Doanh nghiệp tỉnh", "ĐU Khối DN", CUM_PHO_TT),
            Member(PTCCB_CA, "PTCCB Công an", CUM_PHO),
            Member(PCT_QS, "PCT BCHQS", THANH_VIEN),
            Member("Văn phòng Ban Tổ chức Tỉnh ủy", "VP Ban", THANH_VIEN),
        ),
    ),
    Cluster(
        4,
        "Các phòng chuyên môn Ban Tổ chức Tỉnh ủy",
        "Lâm Đồng",
        (
            _btctu("Phòng Tổ chức Đảng - Đảng viên", "P.TCĐ-ĐV", CUM_TRUONG),
            _btctu("Phòng Cán bộ", "P.Cán bộ", CUM_PHO_TT),
            _btctu("Phòng Bảo vệ chính trị nội bộ", "P.BVCTNB", CUM_PHO),
            _btctu("Phòng Địa phương", "P.Địa phương", THANH_VIEN),
            _btctu("Phòng Tổ chức bộ máy - Biên chế", "P.TCBM-BC", THANH_VIEN),
        ),
    ),
)

CLUSTERS = {2024: CLUSTERS_2024, 2025: CLUSTERS_2025, 2026: CLUSTERS_2026}

# Khối thi đua số 1 of Đà Lạt (seed 002): "Văn phòng, các Ban xây dựng Đảng Thành ủy và Trung tâm
# Bồi dưỡng chính trị thành phố Đà Lạt". Ban Dân vận led it in 2021; the lead rotates.
KHOI_DA_LAT = "Khối thi đua số 1"
KHOI_UNITS = (
    ("Văn phòng Thành ủy Đà Lạt", "VP Thành ủy"),
    ("Ban Tổ chức Thành ủy Đà Lạt", "BTC Thành ủy"),
    ("Ban Tuyên giáo Thành ủy Đà Lạt", "BTG Thành ủy"),
    ("Ban Dân vận Thành ủy Đà Lạt", "BDV Thành ủy"),
    ("Ủy ban Kiểm tra Thành ủy Đà Lạt", "UBKT Thành ủy"),
    ("Trung tâm Bồi dưỡng chính trị thành phố Đà Lạt", "TT BDCT"),
)
KHOI_LEADS = {2021: (3, 1), 2022: (1, 4), 2023: (4, 2), 2024: (2, 0)}  # (Khối trưởng, Khối phó)

# ---------------------------------------------------------------------------
# Data: criteria trees (kind A / A2)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Crit:
    code: str
    text: str
    max: float | None = None
    children: tuple[Crit, ...] = ()


def C(code: str, text: str, max_: float | None = None, *children: Crit) -> Crit:
    return Crit(code, text, max_, children)


# Year-specific wording of the Ngành tree (seed 001 for 2026).
NGANH_WORDING = {
    2024: {
        "bo_may": "Tham mưu sắp xếp, tinh gọn tổ chức bộ máy theo Nghị quyết số 18-NQ/TW; chuẩn bị"
        " nhân sự đại hội đảng bộ các cấp nhiệm kỳ 2025 - 2030",
        "quy_hoach": "Rà soát, bổ sung quy hoạch cán bộ lãnh đạo, quản lý nhiệm kỳ 2025 - 2030",
        "so": "Ứng dụng công nghệ thông tin, chuyển đổi số trong công tác tổ chức xây dựng Đảng;"
        " cải cách hành chính",
        "nam": "94 năm Ngày truyền thống Ngành Tổ chức xây dựng Đảng (14/10/1930 - 14/10/2024)",
    },
    2025: {
        "bo_may": "Tham mưu sắp xếp tổ chức bộ máy, vận hành chính quyền địa phương 2 cấp từ ngày"
        " 01/7/2025 bảo đảm thông suốt",
        "quy_hoach": "Rà soát, bổ sung quy hoạch cán bộ lãnh đạo, quản lý sau sắp xếp",
        "so": "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị; chuyển đổi số,"
        " cải cách hành chính",
        "nam": "95 năm Ngày truyền thống Ngành Tổ chức xây dựng Đảng (14/10/1930 - 14/10/2025)",
    },
    2026: {
        "bo_may": "Tham mưu vận hành tổ chức bộ máy của hệ thống chính trị theo mô hình mới bảo đảm"
        " thông suốt, đồng bộ, hiệu năng, hiệu lực, hiệu quả",
        "quy_hoach": "Rà soát, bổ sung quy hoạch cán bộ lãnh đạo, quản lý nhiệm kỳ 2025 - 2030,"
        " 2026 - 2031 và nhiệm kỳ 2030 - 2035, 2031 - 2036",
        "so": "Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị: đẩy mạnh chuyển"
        " đổi số, ứng dụng khoa học, công nghệ, đổi mới sáng tạo",
        "nam": "96 năm Ngày truyền thống Ngành Tổ chức xây dựng Đảng (14/10/1930 - 14/10/2026)",
    },
}


def nganh_tree(year: int) -> tuple[Crit, ...]:
    """The 100-point tree of the Ngành clusters, from the contents of seed 001."""
    w = NGANH_WORDING[year]
    return (
        C(
            "I",
            f"Tham mưu triển khai thực hiện Chương trình, Kế hoạch công tác năm {year} bảo"
            " đảm tiến độ, chất lượng, bám sát thực tiễn",
            20,
            C("1", "Ban hành chương trình, kế hoạch công tác năm, quý, tháng đúng thời gian", 4),
            C(
                "2",
                "Triển khai thực hiện nhiệm vụ theo chương trình, kế hoạch",
                11,
                C("a", "Hoàn thành 100% nhiệm vụ theo chương trình, kế hoạch đề ra", 6),
                C("b", "Chất lượng văn bản tham mưu, bảo đảm thời hạn", 5),
            ),
            C("3", "Sơ kết 6 tháng, tổng kết năm; chế độ thông tin, báo cáo đúng thời gian", 5),
        ),
        C(
            "II",
            w["bo_may"],
            20,
            C(
                "1",
                "Tham mưu sắp xếp, kiện toàn tổ chức bộ máy, bảo đảm sự lãnh đạo toàn diện của"
                " Đảng ở cấp cơ sở",
                8,
            ),
            C(
                "2",
                "Xây dựng, thực hiện quy chế làm việc; phân cấp, phân quyền trong công tác cán bộ",
                6,
            ),
            C("3", "Quản lý biên chế của hệ thống chính trị; xây dựng danh mục vị trí việc làm", 6),
        ),
        C(
            "III",
            "Thực hiện tốt các nhiệm vụ thường xuyên",
            40,
            C(
                "1",
                "Công tác cán bộ",
                12,
                C("a", w["quy_hoach"], 4),
                C("b", "Đánh giá cán bộ lãnh đạo, quản lý hằng quý, năm theo quy định", 4),
                C(
                    "c",
                    "Thực hiện chế độ, chính sách tiền lương, nghỉ dưỡng, chăm sóc sức khỏe cán"
                    " bộ theo phân cấp",
                    4,
                ),
            ),
            C(
                "2",
                "Công tác tổ chức cơ sở đảng và đảng viên",
                12,
                C(
                    "a",
                    "Củng cố, nâng cao chất lượng tổ chức cơ sở đảng sau kiểm điểm, đánh giá, xếp"
                    " loại hằng năm",
                    4,
                ),
                C("b", "Kết nạp đảng viên mới đạt chỉ tiêu được giao", 4),
                C("c", "Quản lý đảng viên, chuyển sinh hoạt đảng đúng quy định", 4),
            ),
            C(
                "3",
                "Công tác bảo vệ chính trị nội bộ",
                6,
                C(
                    "a",
                    "Thẩm tra, xác minh lịch sử chính trị và chính trị hiện nay của cán bộ, đảng"
                    " viên",
                    3,
                ),
                C(
                    "b",
                    "Thẩm định, kết luận tiêu chuẩn chính trị phục vụ công tác cán bộ và kết nạp"
                    " đảng viên",
                    3,
                ),
            ),
            C(
                "4",
                "Tổng kết thực tiễn, nghiên cứu khoa học; tuyên truyền về xây dựng Đảng",
                5,
                C("-", "Có ít nhất 01 chuyên đề tổng kết thực tiễn hoặc đề tài nghiên cứu", 2),
                C("-", "Có tin, bài tuyên truyền về công tác xây dựng Đảng", 3),
            ),
            C("5", "Kiểm tra, giám sát về công tác tổ chức xây dựng Đảng", 5),
        ),
        C(
            "IV",
            w["so"],
            10,
            C(
                "1",
                "Ứng dụng phần mềm quản lý cơ sở dữ liệu đảng viên, cập nhật đầy đủ, kịp thời",
                5,
            ),
            C("2", "Gửi, nhận văn bản điện tử, ký số; cải cách hành chính", 5),
        ),
        C(
            "V",
            "Công tác thi đua, khen thưởng; xây dựng cơ quan, đơn vị",
            10,
            C("1", f"Đăng ký, phát động thi đua; hoạt động chào mừng kỷ niệm {w['nam']}", 4),
            C("2", "Tham gia đầy đủ hoạt động của Cụm thi đua; giao lưu văn hóa - thể thao", 3),
            C("3", "Có cách làm hay, mô hình mới; gương điển hình tiên tiến", 3),
        ),
        C(
            "VI",
            "Điểm thưởng (tối đa 5 điểm)",
            None,
            C(
                "1",
                "Có mô hình mới, cách làm hay được Ban Tổ chức Tỉnh ủy ghi nhận, nhân rộng"
                " (cộng 1 điểm/mô hình)",
            ),
            C(
                "2",
                "Được cấp có thẩm quyền khen thưởng đột xuất về công tác tổ chức xây dựng Đảng"
                " (cộng 1 điểm)",
            ),
            C(
                "3",
                "Hoàn thành nhiệm vụ đột xuất được giao trước thời hạn (cộng 0,5 điểm/nhiệm vụ)",
            ),
        ),
        C(
            "VII",
            "Điểm trừ",
            None,
            C("-", "Chậm gửi báo cáo định kỳ, đột xuất (trừ 0,5 điểm/báo cáo)"),
            C("-", "Không tham gia hoạt động chung của Cụm thi đua (trừ 1 điểm/lần)"),
            C(
                "-",
                "Có cán bộ, công chức bị xử lý kỷ luật (trừ 2 điểm/trường hợp; từ cảnh cáo trở"
                " lên: không xếp loại)",
            ),
        ),
    )


KHOI_QUARTERS = {
    2021: (
        "Mừng Đảng, mừng Xuân Tân Sửu",
        "Chào mừng 46 năm ngày giải phóng Đà Lạt và giải phóng hoàn toàn miền Nam",
        "Chào mừng 76 năm Cách mạng tháng Tám và Quốc khánh 02/9",
    ),
    2022: (
        "Mừng Đảng, mừng Xuân Nhâm Dần",
        "Chào mừng 47 năm ngày giải phóng Đà Lạt và giải phóng hoàn toàn miền Nam",
        "Chào mừng 77 năm Cách mạng tháng Tám và Quốc khánh 02/9",
    ),
    2023: (
        "Mừng Đảng, mừng Xuân Quý Mão",
        "Chào mừng 48 năm ngày giải phóng Đà Lạt và giải phóng hoàn toàn miền Nam",
        "Chào mừng 78 năm Cách mạng tháng Tám và Quốc khánh 02/9",
    ),
    2024: (
        "Mừng Đảng, mừng Xuân Giáp Thìn",
        "Chào mừng 49 năm ngày giải phóng Đà Lạt và giải phóng hoàn toàn miền Nam",
        "Chào mừng 79 năm Cách mạng tháng Tám và Quốc khánh 02/9",
    ),
}


def khoi_tree(year: int) -> tuple[Crit, ...]:
    """The 100-point tree of Khối thi đua số 1 (Đà Lạt), from the plan in seed 002."""
    q1, q2, q3 = KHOI_QUARTERS[year]
    return (
        C(
            "I",
            "Thực hiện nhiệm vụ chính trị, chuyên môn được giao",
            50,
            C(
                "1",
                "Tham mưu Thường trực, Ban Thường vụ Thành ủy theo chức năng, nhiệm vụ",
                25,
                C("a", "Tham mưu ban hành văn bản lãnh đạo, chỉ đạo đúng tiến độ, chất lượng", 10),
                C("b", "Triển khai, hướng dẫn, kiểm tra thực hiện các chỉ thị, nghị quyết", 10),
                C("c", "Nắm bắt, dự báo tình hình, kịp thời đề xuất giải pháp", 5),
            ),
            C("2", "Hoàn thành đạt và vượt các chỉ tiêu thi đua đã đăng ký", 15),
            C(
                "3",
                "Chế độ thông tin, báo cáo (báo cáo 06 tháng trước ngày 20/6, báo cáo năm trước"
                " ngày 20/12)",
                10,
            ),
        ),
        C(
            "II",
            "Xây dựng Văn phòng, các Ban xây dựng Đảng, Trung tâm Bồi dưỡng chính trị vững mạnh",
            20,
            C("1", "Nội bộ đoàn kết, thực hiện tốt quy chế dân chủ ở cơ sở", 5),
            C("2", "Tích cực tham gia xây dựng cơ quan văn hóa", 5),
            C("3", "Kiện toàn tổ chức cán bộ, đào tạo, bồi dưỡng cán bộ", 5),
            C(
                "4",
                "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh gắn với Nghị"
                " quyết Trung ương 4 (khóa XII)",
                5,
            ),
        ),
        C(
            "III",
            "Thực hiện phong trào thi đua theo chủ đề từng quý",
            20,
            C("1", f"Quý I: \u201c{q1}\u201d", 5),
            C("2", f"Quý II: \u201c{q2}\u201d", 5),
            C("3", f"Quý III: \u201c{q3}\u201d", 5),
            C(
                "4",
                "Quý IV: thi đua nước rút \u201cPhấn đấu hoàn thành xuất sắc nhiệm vụ chính trị"
                f" của cơ quan năm {year}\u201d",
                5,
            ),
        ),
        C(
            "IV",
            "Hoạt động của Công đoàn, Chi đoàn cơ quan",
            10,
            C("-", "Hưởng ứng, tham gia các phong trào do Thành phố phát động", 5),
            C("-", "Tham gia hội thi, hoạt động văn hóa - văn nghệ - thể thao", 5),
        ),
        C(
            "V",
            "Điểm thưởng",
            None,
            C("-", "Có sáng kiến, mô hình mới được Thường trực Thành ủy ghi nhận (cộng 1 điểm)"),
            C("-", "Được cấp tỉnh trở lên khen thưởng đột xuất (cộng 1 điểm)"),
        ),
        C(
            "VI",
            "Điểm trừ",
            None,
            C("-", "Chậm gửi báo cáo sơ kết, tổng kết cho Khối trưởng (trừ 0,5 điểm/báo cáo)"),
            C("-", "Không tham gia kiểm tra chéo cuối năm (trừ 1 điểm)"),
        ),
    )


# How each Ngành scoring workbook is laid out: first column of the table, header style, the
# scoring mode of its sheets in turn ("leaves", "groups" or "all" rows carry values), and whether
# the cluster scored the units too. Header styles are defined in A_HEADERS.
A_LAYOUT: dict[tuple[int, int], tuple[int, str, tuple[str, ...], bool]] = {
    (2024, 1): (2, "synonyms2", ("leaves", "groups"), True),
    (2024, 2): (1, "plain", ("all", "leaves"), True),
    (2024, 3): (1, "linebreaks", ("groups", "leaves"), True),
    (2024, 4): (2, "synonyms", ("leaves",), False),
    (2025, 1): (1, "synonyms", ("leaves", "all", "groups"), True),
    (2025, 2): (2, "two_row", ("groups", "leaves"), True),
    (2025, 3): (1, "plain", ("leaves", "groups"), True),
    (2025, 4): (2, "synonyms2", ("all", "leaves"), True),
    (2026, 1): (1, "two_row", ("leaves", "groups", "all"), True),
    (2026, 2): (2, "plain", ("leaves", "groups"), True),
    (2026, 3): (1, "synonyms", ("groups", "leaves"), True),
    (2026, 4): (2, "two_row", ("leaves", "all"), True),
}

# (top header, sub header or None) for: code, criterion, max, self, assessed, note.
A_HEADERS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "plain": (
        ("STT", None),
        ("Nội dung tiêu chí", None),
        ("Điểm chuẩn", None),
        ("Điểm tự chấm", None),
        ("Điểm cụm chấm", None),
        ("Ghi chú", None),
    ),
    "two_row": (
        ("STT", None),
        ("Nội dung tiêu chí", None),
        ("Điểm chuẩn", None),
        ("Điểm chấm", "Tự chấm"),
        ("Điểm chấm", "Cụm chấm"),
        ("Ghi chú", None),
    ),
    "synonyms": (
        ("TT", None),
        ("Tiêu chí", None),
        ("Điểm tối đa", None),
        ("Tự chấm", None),
        ("Cụm chấm", None),
        ("Ghi chú", None),
    ),
    "synonyms2": (
        ("Số TT", None),
        ("Nội dung chấm điểm", None),
        ("Thang điểm", None),
        ("Đơn vị tự chấm", None),
        ("Điểm thẩm định", None),
        ("Ghi chú", None),
    ),
    "linebreaks": (
        ("STT", None),
        ("Nội dung\ntiêu chí", None),
        ("Điểm\nchuẩn", None),
        ("Điểm\ntự chấm", None),
        ("Điểm\ncụm chấm", None),
        ("Ghi chú", None),
    ),
}

# Deliberate quirks, recorded in expected.json.
TIE = (2026, 4)  # the two best units of this cluster-year end on exactly the same total
TOTAL_TYPO = (2025, 1, "Cam Ly")  # its "Tổng cộng" row shows the assessed total + 0,5
NFD_UNIT = (2025, 1, "Lâm Viên")  # its "Đơn vị:" line is typed in decomposed Unicode (NFD)
NOT_RANKED = (2025, 3, "Phú Thủy")  # "không xếp loại" typed in a self-score cell
WRONG_FILE_RANK = (2026, 2)  # the kind-B summary of this cluster misranks one unit
LOW_UNIT = (2024, 2, "Đam Rông")  # a weak year: "Hoàn thành nhiệm vụ"
INSTRUCTIONS_SHEET = (2026, 1)  # the workbook also holds a "Hướng dẫn" sheet (skipped)
EMPTY_SHEET = (2024, 2)  # the workbook also holds an empty "Sheet1" (skipped)

# ---------------------------------------------------------------------------
# Data: registered targets (kind C)
# ---------------------------------------------------------------------------

# (group, target, unit of measure, planned) — planned None = per unit (new party members).
C_TARGETS: tuple[tuple[str, str, str, float | str | None], ...] = (
    ("I", "Tỷ lệ tổ chức cơ sở đảng được kiểm điểm, đánh giá, xếp loại chất lượng", "%", 100),
    ("I", "Tỷ lệ đảng viên được đánh giá, xếp loại chất lượng", "%", 100),
    ("I", "Số đảng viên mới kết nạp", "đảng viên", None),
    ("I", "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên", "%", 90),
    ("I", "Hoàn thành rà soát, bổ sung quy hoạch cán bộ nhiệm kỳ 2026 - 2031", "", "Hoàn thành"),
    ("I", "Không để xảy ra sai phạm trong công tác cán bộ", "vụ", 0),
    ("II", "Số hồ sơ trễ hạn không quá 2", "hồ sơ", 2),
    ("II", "Tỷ lệ văn bản đi được ký số, gửi qua hệ thống điện tử", "%", 95),
    ("II", "Số tin, bài tuyên truyền về công tác xây dựng Đảng", "bài", 12),
)
C_GROUPS = {
    "I": "CHỈ TIÊU VỀ CÔNG TÁC TỔ CHỨC XÂY DỰNG ĐẢNG",
    "II": "CHỈ TIÊU VỀ XÂY DỰNG CƠ QUAN, CẢI CÁCH HÀNH CHÍNH",
}
C_CLUSTERS = (1, 4)  # 2026 clusters whose units registered targets
C_HALF_YEAR_CLUSTER = 1  # ... and which one also mailed a "Sơ kết 6 tháng" version

# ---------------------------------------------------------------------------
# Data: province indicators (kind D)
# ---------------------------------------------------------------------------

D_YEARS = (2021, 2022, 2023, 2024, 2025)
D_HEADERS = ("TH 2021", "TH 2022", "TH 2023", "TH 2024", "Ước 2025")
D_GROUPS = (("A", "CHỈ TIÊU KINH TẾ", 11), ("B", "CHỈ TIÊU VĂN HÓA - XÃ HỘI", 7))

# Invented ("Số liệu minh họa") values for the years the press did not give; the
# published figures in data/reference/lam_dong_published_figures.csv replace them.
D_DEMO_VALUES: dict[str, tuple[float, float, float, float, float]] = {
    "grdp_growth": (3.1, 11.8, 5.5, 4.2, 7.1),
    "grdp_growth_agri": (4.1, 4.9, 4.3, 4.1, 4.6),
    "grdp_growth_industry": (2.1, 9.2, 5.2, 0.5, 7.8),
    "grdp_growth_services": (1.9, 20.5, 6.4, 6.1, 7.5),
    "share_agri": (45.2, 44.6, 44.1, 43.8, 43.2),
    "share_industry": (17.6, 17.8, 17.9, 18.0, 18.3),
    "share_services": (37.2, 37.6, 38.0, 38.2, 38.5),
    "grdp_per_capita": (66.9, 77.6, 89.5, 103.6, 112.0),
    "labour_productivity_growth": (2.6, 10.8, 5.1, 3.9, 6.5),
    "budget_revenue_growth": (8.2, 15.4, -3.1, 12.6, 11.5),
    "tax_fee_growth": (9.1, 14.2, 2.5, 10.8, 12.1),
    "poor_household_rate": (2.9, 1.9, 1.1, 0.72, 0.45),
    "poor_household_rate_ethnic": (8.5, 5.6, 3.2, 2.1, 1.4),
    "cultural_families": (92.5, 93.1, 93.6, 94.0, 94.2),
    "cultural_villages": (94.6, 95.2, 95.9, 96.3, 96.5),
    "new_rural_culture_communes": (86.0, 90.5, 93.2, 95.9, 98.6),
    "civilized_urban_wards": (80.0, 84.2, 87.5, 89.5, 91.7),
    "cultural_agencies": (97.1, 97.6, 98.0, 98.3, 98.5),
}
DEMO_SOURCE = "Số liệu minh họa (không phải số thật)"

# The sources of the published figures, as the sheet shows them (in Vietnamese).
D_SOURCE_VI = {
    "VietnamPlus, bài tổng hợp của tỉnh": "VietnamPlus, bài tổng hợp của tỉnh",
    "Dân Việt, 29/12/2022 (thứ 9 cả nước)": "Dân Việt, 29/12/2022",
    "Dân Việt, 29/12/2022": "Dân Việt, 29/12/2022",
    "Dân Việt, 29/12/2022 (kế hoạch 71 - 73)": "Dân Việt, 29/12/2022",
    "Nhân Dân, báo cáo cuối năm (đạt 14/18 chỉ tiêu)": "Nhân Dân, báo cáo cuối năm",
    "Người Quan Sát, đầu năm 2025 (thứ 61 cả nước)": "Người Quan Sát, đầu năm 2025",
    "Người Quan Sát, đầu năm 2025": "Người Quan Sát, đầu năm 2025",
    "CafeF, 03/02/2025": "CafeF, 03/02/2025",
    "Báo Lâm Đồng, 01/2022": "Báo Lâm Đồng, 01/2022",
    "Báo Dân Sinh, 03/2023": "Báo Dân Sinh, 03/2023",
    "Báo Lâm Đồng, 10/2024": "Báo Lâm Đồng, 10/2024",
}
D_NOTES_VI = {
    "grdp_growth": "Năm 2024: dự thảo báo cáo của tỉnh nêu 5,3%; Cục Thống kê công bố 4,02%",
    "grdp_per_capita": "Năm 2022: kế hoạch 71 - 73 triệu đồng",
    "share_agri": "Năm 2024: cách tính khác với Nghị quyết",
    "poor_household_rate": "Theo chuẩn nghèo đa chiều giai đoạn 2022 - 2025; chuỗi số liệu gián"
    " đoạn giữa năm 2021 và 2022",
    "poor_household_rate_ethnic": "Theo chuẩn nghèo đa chiều giai đoạn 2022 - 2025",
}

# ---------------------------------------------------------------------------
# Data: people who sign (invented)
# ---------------------------------------------------------------------------

SIGNERS = (
    "Nguyễn Thị Hồng Nhung",
    "Trần Minh Tuấn",
    "Lê Văn Hùng",
    "Phạm Thị Lan",
    "Võ Thị Thanh Hà",
    "Đặng Văn Long",
    "Bùi Thị Mai",
    "Đỗ Quang Vinh",
    "Huỳnh Thị Kim Oanh",
    "Ngô Văn Thắng",
    "Dương Thị Ngọc Ánh",
    "Lý Văn Phúc",
    "Trương Công Danh",
    "Mai Thị Thu Trang",
    "Phan Văn Tài",
    "Vũ Đức Anh",
    "Châu Thị Bích Ngọc",
    "Lương Văn Sơn",
    "Tạ Thị Hạnh",
    "Ka Huê",
    "Hồ Văn Nam",
    "Nguyễn Đình Khoa",
    "Trần Thị Thu Hà",
    "Lê Thị Bảo Trâm",
)

# ---------------------------------------------------------------------------
# Data: the real Tiền Giang framework (bảng điểm chuẩn, Sở TN&MT) and Cai Lậy's self-scoring
# ---------------------------------------------------------------------------

TG_UNIT = "Phòng Tài nguyên và Môi trường thị xã Cai Lậy"
TG_CLUSTER = "Cụm thi đua số 5"
TG_YEAR = 2022

# Self-scores from the office's report (Số 403/BC-PTNMT): 124,4/100. Keys are codes; a code that
# occurs more than once is scored on its first occurrence.
TG_SELF: dict[str, float | str] = {
    "1": "100,4",
    "a": 40,
    "a1": 3,
    "a2": 3,
    "a3": 3,
    "a4": "5,5",
    "a5": 3,
    "a6": 3,
    "a7": 11,
    "a8": "3,5",
    "a9": 5,
    "b.": 16,
    "b1.": 2,
    "b2": "5,5",
    "b3": "3,5",
    "b4": 5,
    "C": "26,4",
    "C1": 5,
    "C2": "5,7",
    "C2.1": 5,
    "C3": "5,2",
    "C3.1": 2,
    "C3.2": 3,
    "C4": "4,5",
    "C4.1": 2,
    "C4.2": "2,5",
    "C5": 5,
    "C5.1": 1,
    "C5.2": 2,
    "C5.3": 2,
    "C6": 1,
    "d.": 18,
    "d1": 5,
    "d2": 13,
    "2": "2,5",
    "2.1": 1,
    "2.2": "1,5",
    "3": "12,5",
    "3.1": 2,
    "3.2": "2,5",
    "3.3": 8,
    "4": 4,
    "4.1": 1,
    "4.2": "0,5",
    "4.3": "2,5",
    "5": 5,
    # detail rows: the bonuses behind the group scores, and deductions typed as 0
    "a1.1": 0,
    "a1.2": 0,
    "a4.2.2": "+2",
    "a.7.6": "+ 8",
    "a.8.1": 0,
    "a.8.2": 0,
    "b.1.1": 0,
    "b.2.5": "+0,5",
    "b3.1": "+ 0,5",
    "C2.4": "+0,7",
    "C3.3": "+0,2",
    "d1.5": "+2",
    "d2.3": "+6",
    "2.2.1": "+0,5",
    "3.2.1": "+0,5",
    "d": "+2",
    "4.3.1": "+1",
}
TG_SELF_BULLETS = {"- Gửi báo cáo định kỳ": 2, "- Công tác phối hợp": 3}
TG_NOTES = {
    "a4": "Cộng 2 điểm (mục a4.2.2)",
    "a7": "Cộng 8 điểm: 08 văn bản về quản lý đất công",
    "b2": "Cộng 0,5 điểm (mục b.2.5)",
    "d1": "Kiểm tra vượt kế hoạch từ 20% trở lên",
    "d2": "Vận động rút 06 đơn khiếu nại",
    "3": "Tự chấm tạm tính",
    "3.3": "Trước hạn 626/723 hồ sơ (86,58%)",
}
TG_TOTAL = 124.4

# One table row per line: code | criterion | Chuẩn | Thưởng | Trừ. "[vm]" marks a code cell that is
# merged vertically with the row above; a backslash at the end of a line continues it.
TIEN_GIANG_FRAMEWORK = """\
  | Tổng cộng | 100 |  |
1 | Tiêu chuẩn 1: Thực hiện tốt nhiệm vụ chuyên môn. (Hoàn thành 100% kế hoạch công tác của đơn\
 vị đã đăng ký trong năm) | 80 |  |
a |  Thực hiện công tác quản lý đất đai (Phòng Quản lý đất đai theo dõi, kiểm tra, đánh giá từ\
 mục a1 đến a9 có tổng điểm chuẩn 30 điểm). | 30 |  |
a1 | Triển khai kịp thời, đầy đủ Luật Đất đai 2013 và các văn bản hướng dẫn thi hành theo quy\
 định; đồng thời, phối hợp với Sở Tài nguyên & Môi trường trong việc tuyên truyền pháp luật đất\
 đai khi Sở có văn bản yêu cầu (điểm chuẩn 3 điểm) | 3 |  |
a1.1 | Mỗi trường hợp không triển khai hoặc chậm triển khai so với kế hoạch (nếu có): trừ 0,5\
 điểm. |  |  | -0,5
a1.2 | Mỗi trường hợp không phối hợp với Sở Tài nguyên & Môi trường trong việc tuyên truyền\
 pháp luật đất đai: trừ 0,5 điểm. |  |  | -0,5
 | Ghi chú: Tổng điểm trừ của mục a1 không quá 1,5 điểm |  |  |
a2 | Hoàn thành lập quy hoạch, kế hoạch sử dụng đất cấp huyện; điều chỉnh quy hoạch sử dụng đất\
 cấp huyện theo quy định; đồng thời, công bố công khai quy hoạch, kế hoạch sử dụng đất sau khi\
 được cơ quan có thẩm quyền phê duyệt (điểm chuẩn 3 điểm). | 3 | 0,5 |
a2.1 | Mỗi trường hợp chậm trễ trong việc lập quy hoạch hoặc kế hoạch sử dụng đất cấp huyện\
 hoặc điều chỉnh quy hoạch sử dụng đất cấp huyện theo quy định: trừ 1 điểm. |  |  | -1
a2.2 | Mỗi trường hợp chậm trễ (15 ngày kể từ ngày phê duyệt) trong việc công bố công khai quy\
 hoạch, kế hoạch sử dụng đất cấp huyện, điều chỉnh quy hoạch sử dụng đất cấp huyện theo quy\
 định: trừ 0,5 điểm. |  |  | -0,5
a2.3 | Mỗi trường hợp sử dụng đất sai mục đích khi thanh tra, kiểm tra phát hiện: trừ 0,5 điểm.\
 |  |  | -0,5
 | Ghi chú: Tổng điểm trừ của mục a2 không quá 2 điểm |  |  |
a3 | Hoàn thành công tác thống kê, kiểm kê đất đai (điểm chuẩn 3 điểm) | 3 |  |
a3.1 | Chậm trễ nộp báo cáo kết quả thống kê cấp huyện: trừ 1 điểm. |  |  | -1
a3.2 | Chậm trễ nộp báo cáo kết quả kiểm kê đất đai cấp huyện: trừ 1,5 điểm |  |  | -1,5
a4 | Công tác cấp GCNQSDĐ, QSHNƠ & TSKGLVĐ lần đầu cho hộ gia đình, cá nhân phải đảm bảo đủ các\
 tiêu chí: (1) Mời đăng ký đạt 100% số thửa chưa đăng ký và hướng dẫn người sử dụng đất đối với\
 các trường hợp phải bổ sung hồ sơ; (2) Việc cấp Giấy chứng nhận cho hộ gia đình, cá nhân lũy\
 tiến trên địa bàn đạt 98,5% diện tích trở lên; (3) Tham gia đầy đủ quy trình cấp giấy cho tổ\
 chức (điểm chuẩn 3,5 điểm) | 3.5 | 2 |
a4.1 | Tiêu chí này được trừ điểm đối với một số trường hợp sau: |  |  |
a4.1.1 | Mời đăng ký không đạt 100% số thửa chưa đăng ký hoặc có phản ánh về không hướng dẫn\
 người sử dụng đất đối với các trường hợp phải bổ sung hồ sơ nếu nội dung phản ánh được xác\
 minh là đúng: trừ 1 điểm. |  |  | -1
a4.1.2 | Việc cấp Giấy chứng nhận cho hộ gia đình, cá nhân lũy tiến trên địa bàn đạt dưới 98,5%\
 diện tích: trừ 0,5 điểm. |  |  | -0,5
a4.1.3 | Mỗi trường hợp có tổ chức sử dụng đất, cơ quan liên quan phản ánh địa phương không\
 tham gia công tác cấp Giây chứng nhận cho tổ chức nếu nội dung phản ánh được xác minh là đúng:\
 trừ 0,5 điểm. |  |  | -0,5
a4.2 | Trường hợp đạt đủ các tiêu chí đạt điểm chuẩn mục này thì cộng điểm đối với 01 trong 02\
 trường hợp sau: |  |  |
a4.2.1 | Trường hợp cấp Giấy chứng nhận cho hộ gia đình, cá nhân lũy tiến trên địa bàn đạt\
 99,0% diện tích trở lên: cộng 1 điểm. |  | +1 |
a4.2.2 | Trường hợp cấp Giấy chứng nhận cho hộ gia đình, cá nhân lũy tiến trên địa bàn đạt\
 99,0% trở lên; đồng thời, lũy tiến cấp Giấy chứng nhận trên địa bàn đạt 95,0% trở lên (bao gồm\
 cả hộ gia đình, cá nhân, tổ chức,..) : cộng 2 điểm. |  | +2 |
 | Ghi chú: Tổng điểm trừ của mục a4 không quá 2 điểm (không liên quan đến điểm cộng). |  |  |
a5 | Hoàn thành Danh mục và bổ sung danh mục công trình, dự án thực hiện phải thu hồi đất; Danh\
 mục và bổ sung danh mục công trình, dự án thực hiện có sử dụng đất phải chuyển mục đích sử\
 dụng đất trồng lúa dưới 10 ha, đất rừng phòng hộ dưới 20 ha trên địa bàn (điểm chuẩn 3 điểm).\
 | 3 |  |
 | Mỗi trường hợp chậm trễ trong việc nộp Danh mục hoặc bổ sung Danh mục công trình, dự án: trừ\
 1 điểm |  |  | -1
 | Ghi chú: Tổng điểm trừ của mục a5 không quá 2 điểm. |  |  |
a6 | Thực hiện việc giao đất, cho thuê đất, thu hồi đất, đính chính giấy chứng nhận, thu hồi\
 giấy chứng nhận, cho phép chuyển mục đích sử dụng đất theo quy định và theo chức năng, nhiệm\
 vụ được giao (điểm chuẩn 3 điểm). | 3 |  |
 | Mỗi trường hợp sai (bị phát hiện): trừ 0,5 điểm. |  |  | -0,5
 | Ghi chú: Tổng điểm trừ của mục a6 không quá 1,5 điểm. |  |  |
a7 | Thực hiện công tác thống kê đầy đủ, quản lý “đất công” tốt (điểm chuẩn 3 điểm). | 3 |  | -1
a.7.1 | Không có kế hoạch đấu giá “đất công” trong năm: trừ 0,5 điểm |  |  | -0,5
a.7.2 | Mỗi trường hợp thống kê thiếu: trừ 0,2 điểm |  |  | -0,2
a.7.3 | Không có văn bản tham mưu, chỉ đạo, hướng dẫn trong quản lý “đất công” trên địa bàn\
 trong năm: trừ 0,5 điểm. |  |  | -0,5
a.7.4 | Trường hợp không tổ chức thực hiện kiểm tra việc quản lý sử dụng “đất công” (không có\
 tài liệu chứng minh đã kiểm tra như kế hoạch, biên bản,…): trừ 0,5 điểm |  |  | -0,5
a.7.5 | Trường hợp trên địa bàn có sai phạm trong quản lý, sử dụng “đất công” mà cơ quan có\
 thẩm quyền có kết luận hoặc có ý kiến về trách nhiệm Phòng Tài nguyên và Môi trường cấp huyện\
 để xảy ra sai phạm: trừ 0,5 điểm. |  |  | -0,5
a.7.6 | Mỗi trường hợp có giải pháp tác động quản lý đất công tốt (giải pháp tính trong năm thi\
 đua): cộng 1 điểm. |  | +1 |
 | Ghi chú: Tổng điểm trừ của mục a7 không quá 1,5 điểm (không liên quan đến điểm cộng). |  |  |
a8 | Nộp về Sở đúng thời gian quy định, đúng nội dung, đúng mẫu biểu, đạt yêu cầu đối với các\
 loại báo cáo định kỳ, báo cáo theo yêu cầu trong lĩnh vực quản lý đất đai, đo đạc và bản đồ\
 (điểm chuẩn 3,5 điểm). | 3.5 |  |
a.8.1 |  Mỗi loại báo cáo không đạt chất lượng theo yêu cầu, không đúng thời gian quy định: trừ\
 0,5 điểm. |  |  | -0,5
a.8.2 | Riêng đối với báo cáo “Đánh giá tình hình quản lý, sử dụng đất đai và tác động của\
 chính sách, pháp luật đất đai đến kinh tế, xã hội và môi trường” không đạt chất lượng theo yêu\
 cầu, không đúng thời gian quy định: trừ 1 điểm. |  |  | -1
 | Ghi chú: Tổng điểm trừ của mục a8 không quá 2 điểm. |  |  |
a9 | Thực hiện công tác thẩm định bồi thường giải phóng mặt bằng. Tham gia tích cực xây dựng\
 bảng giá đất, định giá đất, mức thu tiền sử dụng đất, tiền thuê đất (điểm chuẩn 5 điểm). | 5 |\
  |
a9.1 | Chậm gửi báo cáo, góp ý trong công tác bồi thường, hỗ trợ và tái định cư.  |  |  | -1
a9.2 | Để xảy ra tiêu cực, không phát hiện xử lý kịp thời trong công tác bồi thường, hỗ trợ và\
 tái định cư |  |  | -1
a9.3 | Không phối hợp, chậm gửi ý kiến góp ý xây dựng bảng giá đất, định giá đất theo yêu cầu\
 của Sở. |  |  | -1
a9.4 | Gửi báo cáo, góp ý trong công tác bồi thường, hỗ trợ và tái định cư trước 05 (năm) ngày\
 làm việc cộng 0,1 điểm cho 01 báo cáo hoặc góp ý.  |  | + 0,1 |
 | Ghi chú: Tổng điểm trừ của mục a9 không quá 2,5 điểm (không liên quan đến điểm cộng). |  |  |
b. | Công tác quản lý tài nguyên nước, khoáng sản, Khí tượng thủy văn và Biển | 15 |  |
b1. |  Thống kê, cập nhật đầy đủ thông tin, số lượng giếng khoan thuộc đối tượng phải cấp phép\
 khai thác nước dưới đất, nước mặt, nước biển. | 2 |  |
b.1.1 | Không thống kê hoặc thống kê, cập nhật không đầy đủ để Sở TNMT phát hiện thì trừ 0,25\
 điểm/01 trường hợp. (Trừ trường hợp phát hiện kịp thời báo cáo Sở TNMT để cập nhật). Điểm trừ\
 tối đa 01 điểm. |  |  | - 0,25
b.1.2 | Định kỳ, sáu (06) tháng một lần (trước ngày 15/6 và 01/12), không tổng hợp, lập danh\
 sách giếng đã trám lấp trên địa bàn, báo cáo Sở Tài nguyên và Môi trường thì trừ 0,25 điểm/01\
 kỳ báo cáo |  |  | - 0,25
b2 |  Phối hợp với cấp tỉnh trong quản lý nhà nước về tài nguyên nước, khoáng sản, KTTV và\
 biển; tổ chức kiểm tra,  tuyên truyền việc tuân thủ các quy định của pháp luật về tài nguyên\
 nước, khoáng sản, KTTV và biển đến các tổ chức, cá nhân có liên quan; thực hiện các nhiệm vụ\
 và báo cáo thuộc lĩnh vực tài nguyên nước, khoáng sản, KTTV và biển theo văn bản đề nghị của\
 Sở TNMT | 5 |  |
b2.1 | Tự phát hiện khoan giếng trái phép trên địa bàn quản lý (giếng tầng nông hoặc tầng sâu)\
 và kiểm tra, xử lý đúng theo quy định, tính trên mỗi giếng cộng 0,5 điểm (Điểm cộng tối đa là\
 1 điểm). |  | + 0,5 |
b2.2 | Để Sở Tài nguyên và Môi trường phát hiện khoan giếng trái phép trên địa bàn quản lý\
 (giếng tầng nông hoặc tầng sâu), tính trên mỗi giếng trừ 0,5 điểm (Điểm trừ tối đa là 1 điểm).\
 |  |  | - 0,5
b2.3 |  Không phối hợp với Sở Tài nguyên và Môi trường khi có giấy mời trong các lĩnh vực (VD:\
 phối hợp kiểm tra; khảo sát thực địa cấp phép; v.v),  tính trên mỗi lần phối hợp: trừ 0,2\
 điểm. Điểm trừ tối đa là 1 điểm. |  |  | -0,2
b2.4 |  Không thực hiện, không báo cáo hoặc báo cáo trễ hạn đối với các nhiệm vụ và báo cáo\
 thuộc lĩnh vực tài nguyên nước, khoáng sản, KTTV và biển theo văn bản đề nghị của Sở TNMT (đối\
 với nội dung  Sở TNMT đề nghị UBND cấp huyện báo cáo, sẽ căn cứ văn bản tham mưu của phòng\
 TNMT để chẩm điểm). Mỗi nội dung: trừ 0,5 điểm. Điểm trừ tối đa là 1 điểm.) |  |  | -0,5
b.2.5 | Có tham mưu xây dựng và hoàn thành đúng tiến độ kế hoạch kiểm tra việc chấp hành quy\
 định pháp luật về tài nguyên nước đối với các tổ chức, cá nhân hoạt động thăm dò, khai thác sử\
 dụng tài nguyên nước và xả nước thải vào nguồn nước trên địa bàn quản lý. (Góp ý: Có xây dựng\
 kế hoạch và hoàn thành đúng tiến độ kế hoạch (Kế hoạch riêng hoặc lồng ghép) kiểm tra việc\
 chấp hành quy định pháp luật về tài nguyên nước đối với các tổ chức, cá nhân hoạt động thăm\
 dò, khai thác sử dụng tài nguyên nước và xả nước thải vào nguồn nước trên địa bàn quản lý.) | \
 | +0,5 |
b.2.6 | Không tham mưu xây dựng kế hoạch kiểm tra việc chấp hành quy định pháp luật về tài\
 nguyên nước đối với các tổ chức, cá nhân hoạt động thăm dò, khai thác sử dụng tài nguyên nước\
 và xả nước thải vào nguồn nước trên địa bàn quản lý.) |  | -0,5 |
b.2.7 | Để Sở Tài nguyên và Môi trường phát hiện xảy ra trường hợp sai quy định nêu tại mục\
 b.2.6 hoặc tự phát hiện nhưng không kịp thời ngăn chặn, không báo cáo cơ quan có thẩm quyền xử\
 lý. Mỗi trường hợp trừ 0,5 điểm (Điểm trừ tối đa là 01 điểm) |  |  | -0,5
b3 | Có giải pháp nhắc nhở, đôn đốc (có hồ sơ, tài liệu chứng minh, có chữ ký của tổ chức/cá\
 nhân) đối với các tổ chức, cá nhân thăm dò, khai thác nước dưới đất, nước mặt, nước biển, xả\
 nước thải, giao khu vực biển, nhận chìm ở biển trên địa bàn quản lý thuộc đối tượng phải cấp\
 phép thực hiện nộp hồ sơ cấp phép đúng quy định. | 3 |  |
b3.1 | Có 100% công trình thăm dò, khai thác nước dưới đất, nước mặt, nước biển, giao khu vực\
 biển, nhận chìm ở biển được cấp giấy phép đúng quy định. |  | + 0,5 |
b3.2 | Cứ mỗi trường hợp thăm dò, khai thác nước dưới đất, nước mặt, nước biển, giao khu vực\
 biển, nhận chìm ở biển không nộp hồ sơ cấp giấy phép đúng quy định (tính tại thời điểm nộp hồ\
 sơ) mà không có giải pháp nhắc nhở. Điểm trừ tối đa là 02 điểm. |  |  | -0,1
b4 | Tổ chức đăng ký, xác nhận tờ khai đăng ký khai thác nước dưới đất đúng quy định; tham mưu\
 báo cáo kết quả đăng ký theo quy định. | 5 |  |
b.4.1 | Để Sở Tài nguyên và Môi trường phát hiện trường hợp thuộc đối tượng phải đăng ký nhưng\
 chưa thực hiện đăng ký theo quy định, tính trên mỗi giếng trừ 0,5 điểm (Điểm trừ tối đa là 3\
 điểm). |   |   | -0,5
b.4.2 | Không lập sổ theo dõi, cập nhật đầy đủ số liệu đăng ký khai thác nước dưới đất trên địa\
 bàn quản lý. |   |   | - 0,5
b.4.3 | Trước ngày 15/6 và 15/11 hằng năm, không tham mưu UBND cấp huyện tổng hợp, báo cáo kết\
 quả đăng ký khai thác tới Sở Tài nguyên và Môi trường thì trừ 0,25 điểm/01 kỳ báo cáo |   |  \
 | - 0,25
 | Phòng Tài nguyên Nước, Khoáng sản và Biển theo dõi, kiểm tra, đánh giá mục b |   |   |
C | Thực hiện các chỉ tiêu môi trường  (Phòng Quản lý Môi trường theo dõi, kiểm tra, đánh giá\
 mục C) | 25 |   |
C1 | Công tác thu gom chất thải rắn ở đô thị được thu gom và xử lý đạt trên 98% | 5 |   |
C1.1 | 'UBND các huyện, thị, thành hoặc Phòng Tài nguyên và Môi trường tham mưu UBND các huyện,\
 thị xã Gò Công, thị xã Cai Lậy và thành phố Mỹ Tho tổ chức thu gom chất thải đô thị đạt trên\
 98%. Căn cứ chấm điểm: - Văn bản của UBND cấp huyện triển khai công tác thu gom (hàng năm);-\
 Số hộ được thu gom/tổng số hộ tại đô thị | 5 |  |
C1.2 | 'Tỷ lệ thu gom chất thải đô thị đạt từ 97% đến dưới 98%. Căn cứ chấm điểm: - Văn bản của\
 UBND cấp huyện triển khai công tác thu gom (hàng năm);- Số hộ được thu gom/tổng số hộ tại đô\
 thị | 4 |  |
C1.3 | 'Tỷ lệ thu gom chất thải đô thị đạt từ 96% đến dưới 97%. Căn cứ chấm điểm: - Văn bản của\
 UBND cấp huyện triển khai công tác thu gom (hàng năm); - Số hộ được thu gom/tổng số hộ tại đô\
 thị | 3 |  |
C2 | Cơ sở sản xuất kinh doanh, dịch vụ xử lý chất thải đạt tiêu chuẩn môi trường trên 90% | 5\
 |  |
C2.1 | Tỷ lệ cơ sở sản xuất kinh doanh, dịch vụ xử lý chất thải đạt tiêu chuẩn môi trường đạt\
 trên 90% Căn cứ chấm điểm:- Các văn bản của UBND cấp huyện triển khai  (hàng năm);- Số cơ sở\
 đã được cấp phép/Số cơ sở thuộc đối tượng thực hiện hồ sơ môi trường trên địa bàn huyện (Cam\
 kết, đề án, kế hoạch, giấy phép môi trường);- Số cơ sở có xử lý nước thải,chất thải/tổng cơ sở\
 đã được cấp phép hồ sơ môi trường | 5 |  |
C2.2 | Tỷ lệ cơ sở sản xuất kinh doanh, dịch vụ xử lý chất thải đạt tiêu chuẩn môi trường đạt\
 từ 80% đến dưới 90%. Căn cứ chấm điểm: - Văn bản của UBND cấp huyện triển khai (hàng năm ; -\
 Số cơ sở đã được cấp phép/Số cơ sở thuộc đối tượng thực hiện hồ sơ môi trường trên địa bàn\
 huyện (Cam kết, đề án, kế hoạch, giấy phép môi trường); - Số cơ sở có xử lý nước thải,chất\
 thải/tổng cơ sở đã được cấp phép hồ sơ môi trường | 4 |  |
C2.3 | Tỷ lệ cơ sở sản xuất kinh doanh, dịch vụ xử lý chất thải đạt tiêu chuẩn môi trường đạt\
 từ 70% đến dưới 80%. 'Căn cứ chấm điểm: - Văn bản của UBND cấp huyện triển khai (hàng năm); -\
 Số cơ sở đã được cấp phép/Số cơ sở thuộc đối tượng thực hiện hồ sơ môi trường trên địa bàn\
 huyện (Cam kết, đề án, kế hoạch, giấy phép môi trường); - Số cơ sở có xử lý nước thải,chất\
 thải/tổng cơ sở đã được cấp phép hồ sơ môi trường. | 3 |  |
C2.4 | Tỷ lệ các cơ sở sản xuất kinh doanh, dịch vụ xử lý chất thải đạt tiêu chuẩn môi trường\
 đạt  trên 92% được + 0,1 điểm (luỹ kế cứ tăng 1% được cộng 0,1 điểm nhưng điểm cộng tối đa\
 không quá 0,5 điểm).Căn cứ chấm điểm:- Văn bản của UBND cấp huyện triển khai  (hàng năm); - Số\
 cơ sở đã được cấp phép/Số cơ sở thuộc đối tượng thực hiện hồ sơ môi trường trên địa bàn huyện\
 (Cam kết, đề án, kế hoạch, giấy phép môi trường); - Số cơ sở có xử lý nước thải,chất thải/tổng\
 cơ sở đã được cấp phép hồ sơ môi trường |   |  |
C3 | Tiếp tục triển khai các nội dung liên quan công tác thu gom, vận chuyển và xử lý bao gói\
 thuốc bảo vệ thực vật sau sử dụng (theo Hướng dẫn số 4305/HD-STNMT ngày 22/9/2017 của Sở Tài\
 nguyên và Môi trường và Sở Nông nghiệp và Phát triển nông thôn và Công văn số\
 2675/SNN7PTNT-CCTT ngày 05/9/2018 của Sở Nông nghiệp và Phát triển nông thôn), trong đó phải\
 có thực hiện các nội dung, cụ thể : | 5 |  |
C3.1[vm] | Tham mưu UBND cấp huyện chỉ đạo, theo dõi UBND cấp xã có Kế hoạch tuyên truyền vận\
 động người dân thu gom bao gói thuốc bảo vệ thực vật sau sử dụng bỏ vào các hố đã được xây lấp\
 (trong đó mỗi xã phải tổ chức ít nhất 01 cuộc tuyên truyền và 01 lượt phát trên phương tiện\
 truyền thông cấp xã).  Căn cứ chấm điểm: Công văn của UBND cấp huyện; kế hoạch và Báo cáo kết\
 quả của cácUBND cấp xã. | 2 |  |
[vm] | - Có báo cáo (kẻm theo đầy đủ các tài liệu chứng minh; cứ thiếu tài liệu của 1 mục bị\
 điểm trừ 0,1điểm nhưng tối đa không quá 0,5 điểm) | 2 |  |
[vm] | - Không có công văn chỉ đạo | 0 |  | -2
C3.2[vm] | Tổ chức thu gom bao gói thuốc bảo vệ thực vật sau sử dụng, chuyển giao cho đơn vị có\
 chức năng xử lý (ít nhất 2 lần/năm). Tổ chức thu gom 100% đơn vị cấp xã trên địa bàn.Căn cứ\
 chấm điểm: Hợp đồng, hóa đơn và các chứng từ liên quan. (của UBND cấp huyện hoặc Phòng TNMT\
 hoặc  UBND cấp xã tùy địa phương) | 3 |  |
[vm] | - Có tổ chức (nếu đơn vị cấp xã không tổ chức thu gom: cứ 01 đơn vị bị trừ 0,2 điểm\
 nhưng không quá 2 điểm; nếu đơn vị cấp xã tổ chức thu gom không đủ số lần quy định: cứ 01 đơn\
 vị bị trừ 0,1 điểm nhưng không quá 1 điểm) | 3 |  |
[vm] | - Không tổ chức | 0 |  | -3
C3.3 | Tổ chức thu gom 100% đơn vị cấp xã trên địa bàn  và nhiều hơn 2 lần/năm (cứ mỗi lần được\
 điểm thưởng 0,2 điểm nhưng không quá 1 điểm). Căn cứ chấm điểm: Hợp đồng và hóa đơn, chứng từ\
 giao nhận có liên quan |   | +1 |
C4 | Thực hiện theo các nội dung liên quan "Kế hoạch số 146/KH-UBND ngày 01/6/2020 của UBND\
 tỉnh về việc bảo vệ môi trường khu vực nông thôn trên địa bàn tỉnh Tiền Giang", cụ thể:- Nội\
 dung 1: Có giải pháp và tổ chức thực hiện cải thiện và bảo vệ môi trường các kênh, rạch trên\
 địa bàn;- Nội dung 2: Phối hợp với các Hội, đoàn thể vận động nhân dân tham gia bảo vệ môi\
 trường; trong đó: tập trung triển khai các mô hình thu gom rác thải nhựa …đến các tổ chức, cá\
 nhân trên địa bàn | 4 |  |
C4.1[vm] | Giải pháp và tổ chức thực hiện cải thiện các kênh, rạch bị ô nhiễm trên địa bàn  Căn\
 cứ chấm điểm: Các văn bản liên quan đến thống kê, rà soát các kênh rạch ô nhiễm và có đề xuất\
 giải pháp, kết quả thực hiện của UBND cấp huyện hoặc của Phòng TNMT hoặc cơ quan được UBND cấp\
 huyện giao thực hiện) | 2 |  |
[vm] | - Có triển khai thực hiện và đã có giải pháp thực hiện cải thiện các kênh, rạch bị ô\
 nhiễm trên địa bàn   | 2 |  |
[vm] | - Chưa triển khai thực hiện | 0 |  |
C4.2[vm] | Triển khai các mô hình thu gom rác thải nhựa quy mô trên toàn xã (100% xã, phường,\
 thị trấn trên địa bàn các huyện, thị, thành)Căn cứ chấm điểm: Các văn bản liên quan hàng năm\
 của UBND cấp huyện hoặc của Phòng TNMT khi có chỉ đạo của UBND cấp huyện (các công văn, kế\
 hoạch, báo cáo kết quả triển khai thực hiện mô hình,…) | 2 |  |
[vm] | 100% xã, phường, thị trấn trên địa bàn các huyện, thị, thành triển khai các mô hình thu\
 gom rác thải nhựa trên toàn xã | 2 |  |
[vm] | Triển khai  mô hình thu gom rác thải nhựa không đủ 100% xã, phường, thị trấn trên địa\
 bàn các huyện, thị, thành | 0 |  |
C5 | Triển khai thực hiện công tác bảo vệ môi trường trong xây dựng nông thôn mới; trong đó: |\
 5 |  |
C5.1[vm] | Hướng dẫn và kế hoạch kiểm tra các xã triển khai thực hiện tiêu chí môi trường trong\
 xây dựng xã nông thôn mới và xã nông thôn mới nâng cao, nông thôn mới kiểu mẫu; duy trì và\
 nâng chất tiêu chí môi trường trong xây dựng xã nông thôn mới, xã nông thôn mới nâng cao và\
 nông thôn mới kiểu mẫuCăn cứ chấm điểm: Các văn bản liên quan đến công tác triển khai của của\
 UBND cấp huyện hoặc của Phòng TNMT khi có chỉ đạo của UBND cấp huyện (hàng năm) | 1 |  |
[vm] | - Có văn bản hướng dẫn | 0,5 |  |
[vm] | - Không có văn bản hướng dẫn | 0 |  |
[vm] | - Có kế hoạch kiểm tra | 0,5 |  |
[vm] | - Không có kế hoạch kiểm tra | 0 |  |
C5.2[vm] | Các xã trên địa bàn có xây dựng kế hoạch thực hiện duy trì và nâng chất tiêu chí môi\
 trường trong xây dựng xã nông thôn mới, xã nông thôn mới nâng cao, xã nông thôn mới kiểu\
 mẫu(Kế hoạch phải có nội dung thực hiện duy trì và nâng chất từng chỉ tiêu và phân công cụ thể\
 từng đơn vị thực hiện đối với từng nội dung) Căn cứ chấm điểm: Các văn bản chỉ đạo trong năm\
 2022 của UBND cấp xã  | 1 |  |
[vm] | - Có kế hoạch (100% các xã) | 1 |  |
[vm] | - Không có kế hoạch (100% các xã) | 0 |  |
[vm] | - Trường hợp các xã không xây dựng đầy đủ kế hoạch: cứ 1 xã bị điểm trừ (0,2 điểm) nhưng\
 tối đa không quá 1 điểm |   |  |
C5.3[vm] | Báo cáo của Phòng TNMT về việc thực hiện duy trì và nâng chất tiêu chí môi trường\
 trong xây dựng xã nông thôn mới, xã nông thôn mới nâng cao, xã kiểu mẫu Báo cáo có so sánh kết\
 quả thực hiện: đối với xã nông thôn mới so sánh với năm trước; đối với xã nông thôn mới nâng\
 cao so sánh với năm ra mắt; đối với xã nông thôn mới kiểu mẫu so sánh với năm ra mắt xã nâng\
 cao) | 3 |  |
[vm] | 'Có báo cáo kết quả thực hiện duy trì và nâng chất tiêu chí môi trường trong xây dựng xã\
 nông thôn mới, xã nông thôn mới nâng cao, xã kiểu mẫu. Qua đánh giá của Sở TNMT các xã trên\
 địa bàn huyện thực hiện duy trì và nâng chất tiêu chí môi trường đạt 100% |  3 |  |
 | Qua đánh giá của  Sở TNMT nếu có 01 xã trên địa bàn các huyện, thị, thành thực hiện duy trì\
 và nâng chất tiêu chí môi trường không đạt bị trừ 0,2 điểm, lũy kế cứ 1 xã thực hiện duy trì\
 và nâng chất không đạt bị trừ 0,2 điểm, điểm trừ tối đa không quá 2 điểm |  |  |
C6 | Tổng hợp Báo cáo 05 chỉ tiêu môi trường: Hạn gửi Báo cáo hàng năm về Sở TNMT trước 05 ngày\
 Sở tổ chức chấm điểm thi đua cho cấp huyệnCăn cứ chấm điểm: Báo cáo tổng hợp 05 chỉ tiêu môi\
 trường (Bảng tự chấm điểm và Báo cáo thuyết minh của Phòng TN&MT cấp huyện;  kèm các tài liệu\
 chứng minh theo yêu cầu từ mục C1 đến C5) | 1 |  |
 [vm] | - Có báo cáo (kẻm theo đầy đủ các tài liệu chứng minh; cứ thiếu tài liệu của 1 mục bị\
 điểm trừ 0,1điểm nhưng tối đa không quá 0,5 điểm) | 1 |  |
[vm] | - Không báo cáo |  |  | -1
d. |  Thực hiện công tác thanh tra, kiểm tra, giải quyết khiếu nại tố cáo về tài nguyên và môi\
 trường (Thanh tra Sở theo dõi, kiểm tra, đánh giá mục d) | 10 |  |
d1 | Thực hiện chỉ tiêu kế hoạch thanh tra, kiểm tra hàng năm | 3 |  |
d1.1 | Không xây dựng hoặc không thực hiện kế hoạch hàng năm |   |  | -3
d1.2 | Thực hiện không đạt chỉ tiêu kế hoạch dưới 95% |   |  | -2
d1.3 | Thực hiện không đạt chỉ tiêu kế hoạch từ 95% đến dưới 100% |   |  | -1
d1.4 |  Thực hiện vượt chỉ tiêu kế hoạch dưới 20% |   | + 1 |
d1.5 | Thực hiện vượt chỉ tiêu kế hoạch từ 20% trở lên |   | + 2 |
d2 | Giải quyết khiếu nại, tố cáo, phản ánh về tài nguyên và môi trường không đúng quy định | 7\
 |  |
d2.1 | Xử lý không đảm bảo thời gian, không đúng quy định pháp luật đối với 01 trường hợp |  | \
 | -1
d2.2 | Không thông báo kết quả giải quyết về Sở Tài nguyên và Môi trường đối với mỗi trường hợp\
 Sở Tài nguyên và Môi trường chuyển đơn |   |  | -1
d2.3 | Động viên đương sự tự nguyện rút đơn khiếu nại đối với quyết định hành chính của cơ quan\
 có thẩm quyền đã đúng pháp luật hoặc rút đơn tố cáo (Chỉ xét đối với những vụ đã có Thông báo\
 thụ lý, có đơn xin rút đơn khiếu nại, tố cáo và biên bản làm việc với người khiếu nại, tố cáo\
 liên quan nội dung rút đơn) (điểm cộng tối đa không quá 2 điểm). |   | 1 |
d2.4 | Không phối hợp trong công tác giải quyết khiếu nại, tố cáo, phản ánh về tài nguyên và\
 môi trường (01 trường hợp trừ 0,5 điểm) |   |  | - 0,5
d2.5 | Để xảy ra khai thác cát sông trái phép trở thành điểm nóng trên địa bàn quản lý |   |  |\
 -1
 | * Điểm trừ, cộng tối đa đối với d2 không quá 7 điểm |   |  |
2 | Tiêu chuẩn 2: Xây dựng và nâng cao chất lượng đội ngũ công chức, viên chức. | 2 |  |
2.1 | Chấp hành tốt nội qui, qui chế của cơ quan | 1 |  |
2.1.1 | Có 01 CB.CC (CNVC.LĐ), đảng viên bị kỷ luật: |   |  |
 | Khiển trách |   |  | -1
 | Cảnh cáo trở lên |   |  | -2
 | (nếu đơn vị chủ động phát hiện và xử lý công chức,viên chức: không trừ điểm tương ứng nêu\
 trên) |   |  |
2.2 | Thực hiện báo cáo, thống kê về công chức, viên chức đúng nội dung, thời gian, biểu mẫu |\
 1 |  |
2.2.1 | Mỗi báo cáo thực hiện đúng nội dung, biểu mẫu, gửi trước 3 ngày so với thời gian quy\
 định |   | +0,5 |
2.2.2 | Báo cáo gửi trễ thời gian quy định |   |  | -1
 | (Văn phòng Sở theo dõi, kiểm tra, đánh giá tiêu chuẩn 2) |   |   |
3 | Tiêu chuẩn 3: Thực hiện công tác cải cách hành chính (Văn phòng Sở theo dõi, kiểm tra, đánh\
 giá tiêu chuẩn 3.1 và 3.2) | 10 |   |
3.1 | Xây dựng kế hoạch thực hiện cải cách hành chính. | 2 |   |
3.1.1 | Ban hành kế hoạch thực hiện cải cách hành chính trong tháng 1 hàng năm | 2 |   |
3.1.2 | Ban hành kế hoạch  thực hiện cải cách hành chính sau ngày 31/1 hàng năm |   |  | - 0,5
3.2 | Phát động chuyên đề thi đua cải cách hành chính | 2 |  |
3.2.1 | Có phát động chuyên đề thi đua cải cách hành chính bằng văn bản |   | +0,5 |
3.2.2 | Không phát động chuyên đề thi đua cải cách hành chính bằng văn bản |   |  | -0,5
3.2.3 | Không kiểm tra việc thực hiện (Biên bản kiểm tra) |   |  | -0,5
3.3 | Thực hiện tốt công tác giải quyết thủ tục hành chính (kiểm tra trên sổ tiếp nhận hồ sơ và\
 một cửa điện tử) (Phòng Quản lý đất đai, Phòng Quản lý Môi trường, phòng Tài nguyên Nước,\
 Khoáng sản và Biển theo dõi, kiểm tra, đánh giá mục 3.3) | 6 |   |
3.3.1 |  Không có hồ sơ trễ hạn (đạt điểm chuẩn 6 điểm) | 6 |   |
3.3.2 | Điểm thưởng được thực hiện đối với một trong các trường hợp sau đây (không có hồ sơ trễ\
 hạn), không áp dụng đối với tỷ lệ trước hạn dưới 1%: |   |   |
3.3.2.1 | Đơn vị tiếp nhận hồ sơ trong năm dưới 1000 hồ sơ  |   |   |
a | Giải quyết trước hạn từ 1%  đến dưới 5% |   | + 0,5 |
b | Giải quyết trước hạn từ 5%  đến dưới 7% |   | +1 |
c | Giải quyết trước hạn từ 7%  đến dưới 10% |   | +1,5 |
d | Giải quyết trước hạn từ 10% trở lên |   | +2 |
3.3.2.2 | Đơn vị tiếp nhận hồ sơ trong năm từ 1000 hồ sơ  đến dưới 2000 hồ sơ |   |  |
a | Giải quyết trước hạn từ 1%  đến dưới 5% |   | + 1 |
b | Giải quyết trước hạn từ 5%  đến dưới 7% |   | +1,5 |
c | Giải quyết trước hạn từ 7%  đến dưới 10% |   | +2 |
d | Giải quyết trước hạn từ 10% trở lên |   | +2,5 |
3.3.2.3 | Đơn vị tiếp nhận hồ sơ trong năm từ 2000 hồ sơ  trở lên |   |   |
a | Giải quyết trước hạn từ 1%  đến dưới 5% |   | + 1,2 |
b | Giải quyết trước hạn từ 5%  đến dưới 7% |   | +1,7 |
c | Giải quyết trước hạn từ 7%  đến dưới 10% |   | +2,2 |
d | Giải quyết trước hạn từ 10% trở lên |   | +2,7 |
3.3.3 | Điểm trừ được thực hiện đối với một trong các trường hợp sau đây: |   |   |
3.3.3.1 | Đơn vị tiếp nhận hồ sơ trong năm dưới 1000 hồ sơ  |   |   |
a | Giải quyết trễ hạn dưới 1%  |   |   | - 1
b | Giải quyết trễ hạn từ 1%  đến dưới 7% |   |   | -1,5
c | Giải quyết trễ hạn từ 7%  đến dưới 10% |   |   | -2
d | Giải quyết trễ hạn từ 10% trở lên |   |   | -2,5
3.3.3.2 | Đơn vị tiếp nhận hồ sơ trong năm từ 1000 hồ sơ  đến dưới 2000 hồ sơ |   |   |
a | Giải quyết trễ hạn dưới 1%  |   |   | - 0,5
b | Giải quyết trễ hạn từ 1%  đến dưới 7% |   |   | -1
c | Giải quyết trễ hạn từ 7%  đến dưới 10% |   |   | -1,5
d | Giải quyết trễ hạn từ 10% trở lên |   |   | -2
3.3.3.3 | Đơn vị tiếp nhận hồ sơ trong năm từ 2000 hồ sơ  trở lên |   |   |
a | Giải quyết trễ hạn dưới 1%  |   |   | - 0,2
b | Giải quyết trễ hạn từ 1%  đến dưới 7% |   |   | -0,7
c | Giải quyết trễ hạn từ 7%  đến dưới 10% |   |   | - 1,2
d | Giải quyết trễ hạn từ 10% trở lên |   |   | -1,7
3.3.4 | Có đơn thư phản ánh về giải quyết thủ tục hành chính chậm, nhũng nhiễu của công chức,\
 viên chức của phòng TN&MT  (nếu xác minh đúng). |   |   | -2
4 | Tiêu chuẩn 4: Thực hiện  công tác thi đua, khen thưởng | 3 |   |
4.1 | Ban hành văn bản phát động phong trào thi đua của Ngành trong tháng 1 hàng năm (đạt 1\
 điểm chuẩn) | 1 |   |
4.1.1 | Ban hành sau ngày 31/1 hàng năm |   | -1 |
4.2 | Tham gia đầy đủ các phong trào do Sở Tài nguyên và Môi trường tổ chức (kể cả các buổi\
 mittinh, diễu hành) | 0,5 |   |
4.2.1 | Không tham gia 01 phong trào |   |   | - 0,5
4.3 | Tích cực tham gia viết bài, đưa tin các hoạt động thường xuyên gửi về Sở Tài nguyên và\
 Môi trường hàng ngày, hàng tháng... | 1,5 |   |
4.3.1 | Có 01 bài viết được chọn đăng trên Bản tin Tài nguyên và Môi trường được cộng 0,2 điểm)\
 (Tổng điểm cộng không quá 01 điểm) |   | +0,2 |
4.3.2 | Không tham gia viết bài cho Bản tin Tài nguyên và Môi trường (trừ 0,5 điểm/ 1 quí) |  \
 |   | -0,5
 | (Văn phòng Sở theo dõi, kiểm tra, đánh giá tiêu chuẩn 4.1; 4.2; Bộ phận phụ trách Bản tin\
 theo dõi, kiểm tra, đánh giá tiêu chuẩn 4.3) |   |   |
5 |   Tiêu chuẩn 5: Thực hiện chế độ báo cáo tổng hợp, phối hợp thực hiện nhiệm vụ chung  | 5 |\
   |
 | - Gửi báo cáo định kỳ, đột xuất, đúng biểu mẫu, đúng thời gian quy định  | 2 |   |
5.1 | Gửi 01 báo cáo (nêu trên) không đúng thời gian quy định. |   |   | -0,5
5.2 | Không gửi báo cáo giải trình chấm điểm thi đua và bản chấm điểm thi đua  |   |   | (không\
 xếp loại)
 | - Công tác phối hợp thực hiện nhiệm vụ chung, phối hợp đầy đủ, đúng nội dung, đúng thời hạn \
 | 3 |  |
5.3 | Phối hợp trễ (tính trên mỗi nhiệm vụ, điểm trừ không quá 3 điểm). |  |  | -0.5
5.5 | Không phối hợp (tính trên mỗi nhiệm vụ, điểm trừ không quá 3 điểm). |  |  | -1
 | (Văn phòng Sở theo dõi, kiểm tra, đánh giá tiêu chuẩn 5) |   |   |
 | Tổng cộng | 100 điểm |   |
"""

# ---------------------------------------------------------------------------
# Number and text helpers
# ---------------------------------------------------------------------------


def vn(x: float) -> str:
    """A number as a Vietnamese office types it: decimal comma, no trailing zeros."""
    return f"{abs(x):.2f}".rstrip("0").rstrip(".").replace(".", ",")


def plain(x: float) -> int | float:
    return int(x) if float(x).is_integer() else round(x, 2)


def score_cell(x: float, rng: random.Random, section: str = "criterion") -> Any:
    """The cell for a score: a real number or text, signed the way clerks sign them."""
    if section == "deduction":
        return rng.choice([f"- {vn(x)}", f"-{vn(x)}", -plain(x), plain(x), vn(x)])
    if section == "bonus":
        return rng.choice([f"+ {vn(x)}", f"+{vn(x)}", plain(x), vn(x)])
    return vn(x) if rng.random() < 0.3 and not float(x).is_integer() else plain(x)


def q4(x: float) -> float:
    """Round to a quarter point."""
    return round(x * 4) / 4


def r2(x: float | None) -> float | None:
    return None if x is None else round(x + 0.0, 2)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------------------
# Sheet layout helpers
# ---------------------------------------------------------------------------

FONT = Font(name="Times New Roman", size=12)
BOLD = Font(name="Times New Roman", size=12, bold=True)
ITALIC = Font(name="Times New Roman", size=12, italic=True)
TITLE = Font(name="Times New Roman", size=14, bold=True)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def put(
    ws: Worksheet,
    row: int,
    col: int,
    value: Any,
    font: Font = FONT,
    align: Alignment = LEFT,
    box: bool = False,
) -> None:
    cell = ws.cell(row=row, column=col, value=value)
    cell.font = font
    cell.alignment = align
    if box:
        cell.border = BOX


def span(
    ws: Worksheet,
    row: int,
    col: int,
    last_col: int,
    value: Any,
    font: Font = FONT,
    align: Alignment = CENTER,
) -> None:
    put(ws, row, col, value, font, align)
    if last_col > col:
        ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=last_col)


@dataclass
class TitleBlock:
    issuer: tuple[str, str]
    doc_no: str
    date_line: str
    title: str
    lines: tuple[str, ...] = ()


def write_title_block(ws: Worksheet, col0: int, ncols: int, split: int, tb: TitleBlock) -> int:
    """Issuing body left, national motto right, then the title and the "Đơn vị:"/"Cụm" lines."""
    last = col0 + ncols - 1
    mid = col0 + split
    span(ws, 1, col0, mid - 1, tb.issuer[0])
    span(ws, 1, mid, last, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", BOLD)
    span(ws, 2, col0, mid - 1, tb.issuer[1], BOLD)
    span(ws, 2, mid, last, "Độc lập - Tự do - Hạnh phúc", BOLD)
    span(ws, 3, col0, mid - 1, tb.doc_no)
    span(ws, 3, mid, last, tb.date_line, ITALIC)
    span(ws, 5, col0, last, tb.title, TITLE)
    row = 6
    for line in tb.lines:
        span(ws, row, col0, last, line, BOLD if line.isupper() else FONT)
        row += 1
    return row + 1


def write_header(
    ws: Worksheet, row: int, col0: int, headers: Iterable[tuple[str, str | None]]
) -> int:
    """One or two header rows; equal consecutive tops with sub-headers are merged across."""
    hs = list(headers)
    two = any(sub is not None for _, sub in hs)
    col, i = col0, 0
    while i < len(hs):
        top, sub = hs[i]
        if sub is None:
            put(ws, row, col, top, BOLD, CENTER, box=True)
            if two:
                put(ws, row + 1, col, None, BOLD, CENTER, box=True)
                ws.merge_cells(start_row=row, start_column=col, end_row=row + 1, end_column=col)
            col, i = col + 1, i + 1
            continue
        j = i
        while j < len(hs) and hs[j][0] == top and hs[j][1] is not None:
            j += 1
        for k in range(i, j):
            put(ws, row, col + k - i, top if k == i else None, BOLD, CENTER, box=True)
            put(ws, row + 1, col + k - i, hs[k][1], BOLD, CENTER, box=True)
        if j - i > 1:
            ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + j - i - 1)
        col, i = col + j - i, j
    return row + (2 if two else 1)


def write_row(
    ws: Worksheet,
    row: int,
    col0: int,
    values: list[Any],
    bold: bool = False,
    text_cols: Iterable[int] = (1,),
) -> None:
    texts = set(text_cols)
    for k, value in enumerate(values):
        align = LEFT if k in texts else CENTER
        put(ws, row, col0 + k, value, BOLD if bold else FONT, align, box=True)


def write_signatures(
    ws: Worksheet,
    row: int,
    col0: int,
    ncols: int,
    split: int,
    left: tuple[str, str],
    right: tuple[str, str],
    recipients: tuple[str, ...] = (),
) -> None:
    """Signatures under the table: (title, name) left and right, optional "Nơi nhận:"."""
    last, mid = col0 + ncols - 1, col0 + split
    row += 1
    span(ws, row, col0, mid - 1, left[0], BOLD)
    span(ws, row, mid, last, right[0], BOLD)
    span(ws, row + 1, col0, mid - 1, "(Ký, ghi rõ họ tên)", ITALIC)
    span(ws, row + 1, mid, last, "(Ký tên, đóng dấu)", ITALIC)
    span(ws, row + 5, col0, mid - 1, left[1], BOLD)
    span(ws, row + 5, mid, last, right[1], BOLD)
    if recipients:
        row += 7
        put(
            ws,
            row,
            col0,
            "Nơi nhận:",
            Font(name="Times New Roman", size=11, bold=True, italic=True),
        )
        for k, text in enumerate(recipients, start=1):
            put(ws, row + k, col0, text, Font(name="Times New Roman", size=11))


def set_widths(ws: Worksheet, col0: int, widths: Iterable[float]) -> None:
    if col0 > 1:
        ws.column_dimensions["A"].width = 3
    for k, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(col0 + k)].width = width


def save(wb: Workbook, path: Path) -> Path:
    """Save with pinned zip timestamps and document dates, so the bytes never change."""
    wb.properties.creator = "thidua (dữ liệu mẫu)"
    buffer = io.BytesIO()
    wb.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*",
                    rb"\g<1>" + FIXED_DOC_TIME.encode(),
                    data,
                )
            pinned = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            pinned.compress_type = zipfile.ZIP_DEFLATED
            pinned.external_attr = 0o600 << 16
            dst.writestr(pinned, data)
    return path


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def issuer_of(name: str) -> tuple[str, str]:
    """The two-line issuing body of a unit, the way its letterhead reads."""
    if name.startswith("Ban Xây dựng Đảng "):
        return name.removeprefix("Ban Xây dựng Đảng ").upper(), "BAN XÂY DỰNG ĐẢNG"
    if name.startswith("Ban Tổ chức "):
        return name.removeprefix("Ban Tổ chức ").upper(), "BAN TỔ CHỨC"
    if ", " in name:
        division, body = name.split(", ", 1)
        return body.upper(), division.upper()
    if name.startswith("Văn phòng Ban Tổ chức"):
        return "BAN TỔ CHỨC TỈNH ỦY", "VĂN PHÒNG BAN"
    return "ĐẢNG BỘ TỈNH LÂM ĐỒNG", name.upper()


def doc_abbr(name: str) -> str:
    if name.startswith("Ban Xây dựng Đảng"):
        return "BXDĐ"
    if name.startswith("Ban Tổ chức"):
        return "BTC"
    if name.startswith("Phòng Chính trị"):
        return "PCT"
    if name.startswith("Phòng Tổ chức - Cán bộ"):
        return "PTCCB"
    if name.startswith("Văn phòng"):
        return "VPB"
    return "BTCTU"


def date_line(place: str, day: int, month: int, year: int) -> str:
    return f"{place}, ngày {day:02d} tháng {month} năm {year}"


# ---------------------------------------------------------------------------
# Scoring model (kinds A and A2)
# ---------------------------------------------------------------------------


@dataclass
class Flat:
    """One criteria row, flattened in sheet order."""

    crit: Crit
    depth: int
    parent: int | None
    section: str  # criterion | bonus | deduction
    children: list[int] = field(default_factory=list)

    @property
    def leaf(self) -> bool:
        return not self.children


def flatten(tree: Iterable[Crit]) -> list[Flat]:
    rows: list[Flat] = []

    def walk(crit: Crit, depth: int, parent: int | None, section: str) -> None:
        index = len(rows)
        rows.append(Flat(crit, depth, parent, section))
        if parent is not None:
            rows[parent].children.append(index)
        for child in crit.children:
            walk(child, depth + 1, index, section)

    for top in tree:
        text = top.text.lower()
        section = (
            "bonus"
            if text.startswith(("điểm thưởng", "điểm cộng"))
            else "deduction"
            if text.startswith("điểm trừ")
            else "criterion"
        )
        walk(top, 0, None, section)
    return rows


@dataclass
class UnitScores:
    """Leaf scores of one unit: magnitudes (a deduction of 0,5 is 0.5)."""

    self_: dict[int, float]
    assessed: dict[int, float] | None


def case_amount(text: str) -> tuple[float, int]:
    """Points per case of a bonus or deduction row ("cộng 1 điểm/mô hình") and the most cases."""
    found = re.search(r"(?:cộng|trừ) (\d+(?:,\d+)?) điểm(/)?", text)
    if not found:
        return 0.5, 2
    return float(found.group(1).replace(",", ".")), 2 if found.group(2) else 1


def generate_scores(
    flat: list[Flat], rng: random.Random, quality: float, assessed: bool
) -> UnitScores:
    self_: dict[int, float] = {}
    cluster: dict[int, float] = {}
    for i, row in enumerate(flat):
        if not row.leaf:
            continue
        if row.section == "criterion":
            top = row.crit.max or 0
            share = min(1.0, max(0.3, quality + rng.uniform(-0.07, 0.05)))
            s = min(top, q4(top * share))
            a = max(0.0, s - rng.choice([0, 0, 0, 0.25, 0.5]))
        else:
            amount, most = case_amount(row.crit.text)
            if row.section == "bonus":
                cases = rng.choice([0, 0, 1, 1, most])
                agreed = cases if rng.random() < 0.7 else max(0, cases - 1)
            elif row.crit.text.startswith("Có cán bộ, công chức bị xử lý kỷ luật"):
                cases = agreed = 0
            else:
                cases = rng.choice([0, 0, 0, 1])
                agreed = min(most, cases + rng.choice([0, 0, 1]))
            s, a = amount * cases, amount * agreed
        self_[i], cluster[i] = s, a
    return UnitScores(self_, cluster if assessed else None)


def subtotal(flat: list[Flat], leaves: dict[int, float], i: int) -> float:
    row = flat[i]
    if row.leaf:
        return leaves.get(i, 0.0)
    return sum(subtotal(flat, leaves, c) for c in row.children)


def model_total(flat: list[Flat], leaves: dict[int, float]) -> float:
    sign = {"criterion": 1, "bonus": 1, "deduction": -1}
    return sum(
        sign[r.section] * subtotal(flat, leaves, i) for i, r in enumerate(flat) if r.parent is None
    )


@dataclass
class Line:
    """A rendered criteria row: the cells written and what they mean as numbers."""

    code: str
    text: str
    max: Any
    cells: dict[str, Any]
    nums: dict[str, float | None]
    parent: int | None
    section: str
    depth: int
    note: str = ""


def written(mode: str, row: Flat) -> bool:
    return (
        mode == "all"
        or (mode == "leaves" and row.leaf)
        or (mode == "groups" and row.parent is None)
    )


def render(
    flat: list[Flat],
    scores: UnitScores,
    mode: str,
    rng: random.Random,
    max_style: Callable[[float], Any] = plain,
) -> list[Line]:
    columns = {"self": scores.self_}
    if scores.assessed is not None:
        columns["assessed"] = scores.assessed
    lines = []
    for i, row in enumerate(flat):
        cells: dict[str, Any] = {}
        nums: dict[str, float | None] = {}
        for key, leaves in columns.items():
            value = subtotal(flat, leaves, i)
            if not written(mode, row) or (
                row.section != "criterion" and value == 0 and rng.random() < 0.8
            ):
                cells[key], nums[key] = None, None
            else:
                cells[key], nums[key] = score_cell(value, rng, row.section), value
        note = ""
        if row.section == "criterion" and row.leaf and "assessed" in columns:
            gap = scores.self_[i] - columns["assessed"][i]
            if gap > 0 and rng.random() < 0.5:
                note = f"Cụm thống nhất trừ {vn(gap)} điểm"
        top = row.crit.max
        lines.append(
            Line(
                row.crit.code,
                row.crit.text,
                None if top is None else max_style(top),
                cells,
                nums,
                row.parent,
                row.section,
                row.depth,
                note,
            )
        )
    return lines


def line_value(lines: list[Line], key: str, i: int) -> float | None:
    """workbooks.md §2: a row's own value, else the sum of its children's."""
    own = lines[i].nums.get(key)
    if own is not None:
        return abs(own) if lines[i].section != "criterion" else own
    values = [line_value(lines, key, c) for c, line in enumerate(lines) if line.parent == i]
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def sheet_totals(lines: list[Line], key: str) -> tuple[float | None, float, float]:
    """(total, bonus, deduction) of one score column, from the top-level rows."""
    total = bonus = deduction = 0.0
    seen = False
    for i, line in enumerate(lines):
        if line.parent is not None or line.section == "note":
            continue
        value = line_value(lines, key, i)
        if value is None:
            continue
        seen = True
        if line.section == "bonus":
            bonus += value
        elif line.section == "deduction":
            deduction += value
        else:
            total += value
    if not seen:
        return None, 0.0, 0.0
    return total + bonus - deduction, bonus, deduction


def criteria_part(lines: list[Line], key: str) -> float:
    return sum(
        line_value(lines, key, i) or 0.0
        for i, line in enumerate(lines)
        if line.parent is None and line.section == "criterion"
    )


def classify(total: float, max_score: float) -> str:
    share = total / max_score * 100
    if share >= 90:
        return "Hoàn thành xuất sắc nhiệm vụ"
    if share >= 70:
        return "Hoàn thành tốt nhiệm vụ"
    if share >= 50:
        return "Hoàn thành nhiệm vụ"
    return "Không hoàn thành nhiệm vụ"


def competition_ranks(totals: dict[str, float]) -> dict[str, int]:
    """1, 1, 3: equal totals (to 0,01) share the better rank."""
    return {
        unit: 1 + sum(1 for other in totals.values() if other > total + 0.005)
        for unit, total in totals.items()
    }


# ---------------------------------------------------------------------------
# Kind A — one workbook per Ngành cluster and year, one sheet per unit
# ---------------------------------------------------------------------------


@dataclass
class UnitResult:
    """What the generator knows about one unit's sheet; becomes an expected.json row."""

    year: int
    cluster: str
    unit: str
    short: str
    file: str
    sheet: str
    max_score: float
    self_score: float | None
    assessed_score: float | None
    bonus: float
    deduction: float
    self_criteria: float = 0.0
    assessed_criteria: float = 0.0
    not_ranked_reason: str | None = None
    rank: int | None = None

    @property
    def total(self) -> float:
        value = self.assessed_score if self.assessed_score is not None else self.self_score
        assert value is not None
        return value

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "cluster": self.cluster,
            "unit": self.unit,
            "short_name": self.short,
            "file": self.file,
            "sheet": self.sheet,
            "max_score": r2(self.max_score),
            "self_score": r2(self.self_score),
            "assessed_score": r2(self.assessed_score),
            "bonus": r2(self.bonus),
            "deduction": r2(self.deduction),
            "total_score": r2(self.total),
            "score_basis": "assessed" if self.assessed_score is not None else "self",
            "rank": self.rank,
            "not_ranked_reason": self.not_ranked_reason,
            "classification": classify(self.total, self.max_score),
        }


@dataclass
class ClusterYear:
    year: int
    cluster: Cluster
    flat: list[Flat]
    scores: dict[str, UnitScores]  # by short name


def build_cluster_year(year: int, cluster: Cluster) -> ClusterYear:
    rng = random.Random(f"{SEED}:A:{year}:{cluster.number}")
    flat = flatten(nganh_tree(year))
    assessed = A_LAYOUT[(year, cluster.number)][3]
    scores = {}
    for member in cluster.members:
        quality = rng.uniform(0.76, 0.97)
        if (year, cluster.number, member.short) == LOW_UNIT:
            quality = 0.6
        scores[member.short] = generate_scores(flat, rng, quality, assessed)
    cy = ClusterYear(year, cluster, flat, scores)
    if (year, cluster.number) == NOT_RANKED[:2]:
        scores[NOT_RANKED[2]].self_[discipline_row(flat)] = 0.0
    settle_ties(cy, want_tie=(year, cluster.number) == TIE)
    return cy


def discipline_row(flat: list[Flat]) -> int:
    """The deduction row "Có cán bộ, công chức bị xử lý kỷ luật…"."""
    return next(i for i, r in enumerate(flat) if r.crit.text.startswith("Có cán bộ, công chức"))


def basis_leaves(s: UnitScores) -> dict[int, float]:
    return s.assessed if s.assessed is not None else s.self_


def shift(flat: list[Flat], scores: UnitScores, steps: int) -> None:
    """Move a unit's total by ``steps`` quarter points, criterion leaf by leaf; the self-score
    moves along with the assessed one so the gap between them stays natural."""
    leaves = [i for i, r in enumerate(flat) if r.leaf and r.section == "criterion"]
    basis = basis_leaves(scores)
    k = 0
    while steps:
        i = leaves[k % len(leaves)]
        k += 1
        top = flat[i].crit.max or 0
        if steps < 0 and basis[i] >= 0.25:
            basis[i] -= 0.25
            if scores.assessed is not None:
                scores.self_[i] -= 0.25
            steps += 1
        elif steps > 0 and basis[i] + 0.25 <= top:
            basis[i] += 0.25
            if scores.assessed is not None:
                scores.self_[i] = min(top, scores.self_[i] + 0.25)
            steps -= 1


def settle_ties(cy: ClusterYear, want_tie: bool) -> None:
    """Make the two best units tie exactly where wanted; break every accidental tie."""

    def totals() -> dict[str, float]:
        return {k: model_total(cy.flat, basis_leaves(s)) for k, s in cy.scores.items()}

    keep: set[str] = set()
    if want_tie:
        (best, top), (second, runner_up) = sorted(totals().items(), key=lambda kv: -kv[1])[:2]
        steps = round((top - runner_up) / 0.25)
        shift(cy.flat, cy.scores[best], -(steps - steps // 2))
        shift(cy.flat, cy.scores[second], steps // 2)
        keep = {best, second}
    order = list(cy.scores)
    while True:
        current = totals()
        clash = next(
            (
                (u, v)
                for u in order
                for v in order
                if order.index(u) < order.index(v)
                and abs(current[u] - current[v]) < 0.005
                and not (u in keep and v in keep)
            ),
            None,
        )
        if clash is None:
            return
        loser = clash[1] if clash[1] not in keep else clash[0]
        shift(cy.flat, cy.scores[loser], -1)


def a_file_name(year: int, number: int) -> str:
    return f"1_cham_diem_cum{number}_{year}.xlsx"


def write_kind_a(cy: ClusterYear, outdir: Path) -> tuple[Path, list[UnitResult], list[dict]]:
    year, cluster = cy.year, cy.cluster
    col0, style, modes, has_assessed = A_LAYOUT[(year, cluster.number)]
    rng = random.Random(f"{SEED}:A-render:{year}:{cluster.number}")
    name = a_file_name(year, cluster.number)
    headers = list(A_HEADERS[style])
    if not has_assessed:
        headers = [
            h
            for h in headers
            if h[1] != "Cụm chấm"
            and "cụm chấm" not in h[0].lower()
            and "thẩm định" not in h[0].lower()
        ]
    keys = ["code", "text", "max", "self"] + (["assessed"] if has_assessed else []) + ["note"]
    wb = new_workbook()
    results: list[UnitResult] = []
    typos: list[dict] = []
    if (year, cluster.number) == INSTRUCTIONS_SHEET:
        write_instructions(wb.create_sheet("Hướng dẫn"), year)
    max_style: Callable[[float], Any] = plain
    if (year, cluster.number) == (2024, 3):

        def max_style(x: float) -> str:
            return f"{vn(x)} điểm"

    for k, member in enumerate(cluster.members):
        ws = wb.create_sheet(member.short)
        scores = cy.scores[member.short]
        mode = modes[k % len(modes)]
        lines = render(cy.flat, scores, mode, rng, max_style)
        key = (year, cluster.number, member.short)
        not_ranked = None
        if key == NOT_RANKED:
            i = discipline_row(cy.flat)
            lines[i].cells["self"], lines[i].nums["self"] = "không xếp loại", None
            lines[i].note = "Có 01 công chức bị kỷ luật cảnh cáo"
            not_ranked = "không xếp loại"
        unit_line = f"Đơn vị: {member.name}"
        if key == NFD_UNIT:
            unit_line = "Đơn vị: " + unicodedata.normalize("NFD", member.name)
        cluster_line = cluster.name.upper() if cluster.number == 3 else cluster.name
        tb = TitleBlock(
            issuer_of(member.name),
            f"Số: {rng.randint(18, 96)}-BC/{doc_abbr(member.name)}",
            date_line(
                cluster.place,
                samples_year.year_report_day(cluster.number, k)
                if year == 2026
                else rng.randint(10, 20),
                12,
                year,
            ),
            f"BẢNG CHẤM ĐIỂM THI ĐUA NĂM {year}",
            ("Ngành Tổ chức xây dựng Đảng tỉnh Lâm Đồng", unit_line, cluster_line),
        )
        row = write_title_block(ws, col0, len(keys), 2, tb)
        header_row = row
        row = write_header(ws, row, col0, headers)
        for line in lines:
            values = [line.code, line.text, line.max, line.cells.get("self")]
            if has_assessed:
                values.append(line.cells.get("assessed"))
            values.append(line.note or None)
            write_row(ws, row, col0, values, bold=line.depth == 0, text_cols=(1, len(keys) - 1))
            row += 1
        self_total, self_bonus, self_ded = sheet_totals(lines, "self")
        assessed_total, a_bonus, a_ded = (
            sheet_totals(lines, "assessed") if has_assessed else (None, 0.0, 0.0)
        )
        assert self_total is not None
        assert abs(self_total - model_total(cy.flat, scores.self_)) < 1e-9
        typed: list[float] = [self_total]
        if assessed_total is not None:
            typed.append(assessed_total)
        if key == TOTAL_TYPO:
            assert assessed_total is not None
            typed[-1] = assessed_total + 0.5
            typos.append(
                {
                    "file": name,
                    "sheet": member.short,
                    "cell": f"{get_column_letter(col0 + 4)}{row}",
                    "column": "assessed",
                    "typed": r2(typed[-1]),
                    "computed": r2(assessed_total),
                }
            )
        total_max = "100 điểm" if rng.random() < 0.5 else 100
        write_row(
            ws,
            row,
            col0,
            [None, "Tổng cộng", total_max] + [score_cell(t, rng) for t in typed] + [None],
            bold=True,
        )
        sign_right = "THỦ TRƯỞNG ĐƠN VỊ" if k % 2 == 0 else "K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN"
        write_signatures(
            ws,
            row + 1,
            col0,
            len(keys),
            2,
            ("Người lập biểu", rng.choice(SIGNERS)),
            (sign_right, rng.choice(SIGNERS)),
        )
        set_widths(ws, col0, [7, 62, 10, 10] + ([10] if has_assessed else []) + [26])
        ws.freeze_panes = ws.cell(row=header_row + (2 if style == "two_row" else 1), column=1)
        results.append(
            UnitResult(
                year,
                cluster.name,
                member.name,
                member.short,
                name,
                member.short,
                100.0,
                self_total,
                assessed_total,
                a_bonus if has_assessed else self_bonus,
                a_ded if has_assessed else self_ded,
                self_criteria=criteria_part(lines, "self"),
                assessed_criteria=criteria_part(lines, "assessed") if has_assessed else 0.0,
                not_ranked_reason=not_ranked,
            )
        )
    if (year, cluster.number) == EMPTY_SHEET:
        wb.create_sheet("Sheet1")
    return save(wb, outdir / name), results, typos


def write_instructions(ws: Worksheet, year: int) -> None:
    ws.column_dimensions["A"].width = 100
    text = (
        f"HƯỚNG DẪN CHẤM ĐIỂM THI ĐUA NĂM {year}",
        "1. Mỗi đơn vị tự chấm điểm vào cột \u201cTự chấm\u201d theo từng tiêu chí.",
        "2. Cụm trưởng tổ chức chấm chéo, ghi kết quả vào cột \u201cCụm chấm\u201d.",
        "3. Điểm thưởng, điểm trừ ghi ở mục VI, VII; không vượt mức tối đa.",
        "4. Đơn vị có cán bộ bị kỷ luật từ cảnh cáo trở lên ghi \u201ckhông xếp loại\u201d.",
        "5. Gửi bảng chấm về Cụm trưởng trước ngày 10/12 để tổng hợp.",
    )
    for row, line in enumerate(text, start=1):
        put(ws, row, 1, line, BOLD if row == 1 else FONT)


# ---------------------------------------------------------------------------
# Kind A2 — Khối thi đua số 1 (Đà Lạt) cross-scoring matrix
# ---------------------------------------------------------------------------

A2_MODES = {2021: "leaves", 2022: "groups", 2023: "all", 2024: "leaves"}
A2_PAIRS_YEAR = 2024  # merged unit-name cells over "Tự chấm | Khối chấm"


def write_kind_a2(year: int, outdir: Path) -> tuple[Path, list[UnitResult]]:
    rng = random.Random(f"{SEED}:A2:{year}")
    flat = flatten(khoi_tree(year))
    pairs = year == A2_PAIRS_YEAR
    scores = {
        name: generate_scores(flat, rng, rng.uniform(0.8, 0.97), pairs) for name, _ in KHOI_UNITS
    }
    cy = ClusterYear(year, Cluster(1, "", "Đà Lạt", ()), flat, scores)
    settle_ties(cy, want_tie=False)
    rendered = {name: render(flat, s, A2_MODES[year], rng) for name, s in scores.items()}
    name = f"1_khoi1_da_lat_cham_diem_{year}.xlsx"
    sheet = f"Khối 1 - {year}"
    wb = new_workbook()
    ws = wb.create_sheet(sheet)
    headers: list[tuple[str, str | None]] = [
        ("STT", None),
        ("Nội dung", None),
        ("Điểm chuẩn", None),
    ]
    for unit, _ in KHOI_UNITS:
        headers += [(unit, "Tự chấm"), (unit, "Khối chấm")] if pairs else [(unit, None)]
    headers.append(("Ghi chú", None))
    ncols = len(headers)
    lead = KHOI_LEADS[year][0]
    kind = "CHẤM ĐIỂM THI ĐUA" if pairs else "TỔNG HỢP ĐIỂM TỰ CHẤM THI ĐUA"
    tb = TitleBlock(
        ("THÀNH ỦY ĐÀ LẠT", "KHỐI THI ĐUA SỐ 1"),
        f"Số: {rng.randint(3, 12):02d}/BC-KTĐ",
        date_line("Đà Lạt", 18, 12, year),
        f"BẢNG {kind} NĂM {year}",
        (
            "(Văn phòng, các Ban xây dựng Đảng Thành ủy và Trung tâm Bồi dưỡng chính trị thành phố"
            " Đà Lạt)",
            KHOI_DA_LAT,
        ),
    )
    row = write_title_block(ws, 1, ncols, 2, tb)
    row = write_header(ws, row, 1, headers)
    first = rendered[KHOI_UNITS[0][0]]
    for i, line in enumerate(first):
        values: list[Any] = [line.code, line.text, line.max]
        for unit, _ in KHOI_UNITS:
            cells = rendered[unit][i].cells
            values.append(cells.get("self"))
            if pairs:
                values.append(cells.get("assessed"))
        values.append(None)
        write_row(ws, row, 1, values, bold=line.depth == 0)
        row += 1
    results = []
    total_cells: list[Any] = [None, "Tổng cộng", 100]
    for unit, short in KHOI_UNITS:
        self_total, s_bonus, s_ded = sheet_totals(rendered[unit], "self")
        assessed_total, a_bonus, a_ded = (
            sheet_totals(rendered[unit], "assessed") if pairs else (None, 0.0, 0.0)
        )
        assert self_total is not None
        total_cells.append(score_cell(self_total, rng))
        if pairs:
            assert assessed_total is not None
            total_cells.append(score_cell(assessed_total, rng))
        results.append(
            UnitResult(
                year,
                KHOI_DA_LAT,
                unit,
                short,
                name,
                sheet,
                100.0,
                self_total,
                assessed_total,
                a_bonus if pairs else s_bonus,
                a_ded if pairs else s_ded,
            )
        )
    write_row(ws, row, 1, [*total_cells, None], bold=True)
    lead_title = KHOI_UNITS[lead][0].removesuffix(" Đà Lạt").removesuffix(" thành phố").upper()
    write_signatures(
        ws,
        row + 1,
        1,
        ncols,
        2,
        ("Người lập biểu", rng.choice(SIGNERS)),
        (f"T/M KHỐI THI ĐUA SỐ 1\nKHỐI TRƯỞNG - {lead_title}", rng.choice(SIGNERS)),
        recipients=(
            "- Hội đồng TĐ-KT Thành phố (thay b/c),",
            "- Phòng Nội vụ Thành phố,",
            "- Các đơn vị trong Khối,",
            "- Lưu VT.",
        ),
    )
    set_widths(ws, 1, [6, 55, 9] + [9] * (ncols - 4) + [16])
    return save(wb, outdir / name), results


# ---------------------------------------------------------------------------
# Kind A — the real Tiền Giang framework with Cai Lậy's self-scoring
# ---------------------------------------------------------------------------


def tien_giang_rows() -> list[list[str]]:
    rows = []
    for raw in TIEN_GIANG_FRAMEWORK.splitlines():
        cells = [c.strip() for c in raw.split("|")]
        rows.append((cells + [""] * 5)[:5])
    return rows


def framework_cell(text: str) -> Any:
    return int(text) if text.isdigit() else (text or None)


def write_tien_giang(outdir: Path) -> tuple[Path, UnitResult]:
    name = "1_tien_giang_cai_lay_tu_cham_2022.xlsx"
    sheet = "Bảng chấm điểm"
    wb = new_workbook()
    ws = wb.create_sheet(sheet)
    ncols = 7
    tb = TitleBlock(
        ("UBND THỊ XÃ CAI LẬY", "PHÒNG TÀI NGUYÊN VÀ MÔI TRƯỜNG"),
        "Số: 403/BC-PTNMT",
        "Thị xã Cai Lậy, ngày 21 tháng 4 năm 2022",
        f"BẢNG CHẤM ĐIỂM THI ĐUA NĂM {TG_YEAR}",
        (
            "(Kèm theo Báo cáo số 403/BC-PTNMT về thực hiện các chỉ tiêu thi đua năm 2022)",
            f"Đơn vị: {TG_UNIT}",
            TG_CLUSTER,
        ),
    )
    row = write_title_block(ws, 1, ncols, 2, tb)
    row = write_header(
        ws,
        row,
        1,
        [
            ("STT", None),
            ("TIÊU CHUẨN THI  ĐUA", None),
            ("ĐIỂM", "Chuẩn"),
            ("ĐIỂM", "Thưởng"),
            ("ĐIỂM", "Trừ"),
            ("Tự chấm", None),
            ("Ghi chú", None),
        ],
    )
    seen: dict[str, int] = {}
    merge_from: int | None = None
    top_values: list[float] = []
    totals_written = 0
    for code_raw, text, chuan, thuong, tru in tien_giang_rows():
        merged = "[vm]" in code_raw
        code = code_raw.replace("[vm]", "").strip()
        if code:
            merge_from = row
        occurrence = seen.get(code, 0)
        seen[code] = occurrence + 1
        self_cell: Any = None
        if text == "Tổng cộng":
            totals_written += 1
            self_cell = "124,4" if totals_written == 1 else TG_TOTAL
        elif code and occurrence == 0 and code in TG_SELF:
            self_cell = TG_SELF[code]
        elif not code:
            self_cell = next((v for k, v in TG_SELF_BULLETS.items() if text.startswith(k)), None)
        if code in {"1", "2", "3", "4", "5"} and text.startswith("Tiêu chuẩn"):
            top_values.append(float(str(self_cell).replace(",", ".")))
        note = TG_NOTES.get(code) if code and occurrence == 0 else None
        write_row(
            ws,
            row,
            1,
            [
                code or None,
                text,
                framework_cell(chuan),
                framework_cell(thuong),
                framework_cell(tru),
                self_cell,
                note,
            ],
            bold=text == "Tổng cộng" or text.startswith("Tiêu chuẩn"),
            text_cols=(1, 6),
        )
        if merged and not code and merge_from is not None:
            ws.merge_cells(start_row=merge_from, start_column=1, end_row=row, end_column=1)
            for rng_ in list(ws.merged_cells.ranges):
                if rng_.min_col == 1 and rng_.min_row == merge_from and rng_.max_row < row:
                    ws.merged_cells.remove(rng_)
        row += 1
    write_signatures(
        ws,
        row + 1,
        1,
        ncols,
        2,
        ("Người lập biểu", "Trần Thị Thu Hà"),
        ("TRƯỞNG PHÒNG", "Lê Văn Hùng"),
        recipients=("- Sở Tài nguyên và Môi trường (b/c);", "- Lưu VT."),
    )
    set_widths(ws, 1, [8, 70, 9, 9, 14, 10, 28])
    total = sum(top_values)
    assert abs(total - TG_TOTAL) < 1e-9, total
    result = UnitResult(
        TG_YEAR, TG_CLUSTER, TG_UNIT, "Cai Lậy", name, sheet, 100.0, total, None, 0.0, 0.0
    )
    return save(wb, outdir / name), result


# ---------------------------------------------------------------------------
# Kind B — cluster results summaries (restate the 2026 kind-A results)
# ---------------------------------------------------------------------------


def proposal(rank: int | None, classification: str) -> str | None:
    if rank == 1:
        return "Đơn vị dẫn đầu Cụm; đề nghị Ban Thường vụ Tỉnh ủy tặng Bằng khen"
    if classification == "Hoàn thành xuất sắc nhiệm vụ":
        return "Đề nghị Trưởng Ban Tổ chức Tỉnh ủy tặng Giấy khen"
    return None


def write_kind_b(
    cluster: Cluster, results: list[UnitResult], outdir: Path
) -> tuple[Path, list[dict], list[dict]]:
    year = 2026
    rng = random.Random(f"{SEED}:B:{cluster.number}")
    name = f"summaries/tong_hop_ket_qua_cum{cluster.number}_{year}.xlsx"
    by_unit = {r.unit: r for r in results}
    wb = new_workbook()
    ws = wb.create_sheet("Tổng hợp")
    headers = [
        ("STT", None),
        ("Đơn vị", None),
        ("Điểm tự chấm", None),
        ("Điểm cụm chấm", None),
        ("Điểm thưởng", None),
        ("Điểm trừ", None),
        ("Tổng điểm", None),
        ("Xếp hạng", None),
        ("Xếp loại", None),
        ("Đề nghị khen thưởng", None),
        ("Ghi chú", None),
    ]
    lead = next(m for m in cluster.members if m.role == CUM_TRUONG)
    tb = TitleBlock(
        ("BAN TỔ CHỨC TỈNH ỦY LÂM ĐỒNG", f"CỤM THI ĐUA SỐ {cluster.number}"),
        f"Số: {rng.randint(2, 9):02d}-BC/CTĐ{cluster.number}",
        date_line("Lâm Đồng", samples_year.B_DAY, 12, year),
        f"BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM {year}",
        ("Ngành Tổ chức xây dựng Đảng tỉnh Lâm Đồng", cluster.name),
    )
    row = write_title_block(ws, 1, len(headers), 2, tb)
    row = write_header(ws, row, 1, headers)
    ranks = {m.name: by_unit[m.name].rank for m in cluster.members}
    file_ranks = dict(ranks)
    mismatches = []
    if cluster.number == WRONG_FILE_RANK[1]:
        victim = next(u for u, r in ranks.items() if r == 4)
        file_ranks[victim] = 3
        mismatches.append({"file": name, "unit": victim, "file_rank": 3, "rank": 4})
    tied = {u for u, r in ranks.items() if list(ranks.values()).count(r) > 1}
    summary = []
    for k, member in enumerate(cluster.members, start=1):
        res = by_unit[member.name]
        assert res.assessed_score is not None
        classification = classify(res.total, res.max_score)
        values = [
            k,
            member.name,
            score_cell(res.self_criteria, rng),
            score_cell(res.assessed_criteria, rng),
            plain(res.bonus) or None,
            plain(res.deduction) or None,
            score_cell(res.total, rng),
            file_ranks[member.name],
            classification,
            proposal(ranks[member.name], classification),
            "Đồng hạng" if member.name in tied else None,
        ]
        write_row(ws, row, 1, values, text_cols=(1, 8, 9, 10))
        row += 1
        summary.append(
            {
                "file": name,
                "year": year,
                "cluster": cluster.name,
                "unit": member.name,
                "self_score": r2(res.self_criteria),
                "assessed_score": r2(res.assessed_criteria),
                "bonus": r2(res.bonus),
                "deduction": r2(res.deduction),
                "total_score": r2(res.total),
                "file_rank": file_ranks[member.name],
                "rank": ranks[member.name],
                "classification": classification,
            }
        )
    write_signatures(
        ws,
        row + 1,
        1,
        len(headers),
        4,
        ("Người lập biểu", rng.choice(SIGNERS)),
        (f"T/M CỤM THI ĐUA SỐ {cluster.number}\nCỤM TRƯỞNG", rng.choice(SIGNERS)),
        recipients=(
            "- Ban Tổ chức Tỉnh ủy (b/c),",
            f"- {lead.name},",
            "- Các đơn vị trong Cụm,",
            "- Lưu.",
        ),
    )
    set_widths(ws, 1, [6, 48, 10, 10, 10, 10, 10, 9, 26, 34, 12])
    return save(wb, outdir / name), summary, mismatches


# ---------------------------------------------------------------------------
# Kind C — registered targets and results, one sheet per unit
# ---------------------------------------------------------------------------


def lower_is_better(target: str) -> bool:
    text = target.lower()
    return any(w in text for w in ("giảm", "không để xảy ra", "không quá", "tối đa", "dưới", "≤"))


def met_and_rate(
    target: str, planned: float | str, actual: float | str | None
) -> tuple[bool | None, float | None]:
    if actual is None:
        return None, None
    if isinstance(planned, str) or isinstance(actual, str):
        ok = str(actual) in {"Hoàn thành", "Đạt", "Hoàn thành xuất sắc"}
        return ok, 100.0 if ok else 0.0
    if lower_is_better(target):
        rate = 100.0 if actual == 0 else planned / actual * 100
        return actual <= planned, rate
    return actual >= planned, actual / planned * 100


def target_result(
    k: int, planned: float | str, miss: bool, rng: random.Random, half_year: bool
) -> float | str | None:
    """An invented result for target k (index in C_TARGETS)."""
    if half_year:
        plan = float(planned) if not isinstance(planned, str) else 0.0
        return (
            None,
            None,
            int(plan * rng.uniform(0.35, 0.55)),
            None,
            rng.choice([None, None, "Hoàn thành"]),
            0,
            rng.choice([0, 1, 1, 3]),
            rng.choice([93.5, 96, 97.5]),
            rng.randint(5, 13),
        )[k]
    if isinstance(planned, str):
        return "Chưa hoàn thành" if miss else rng.choice(["Hoàn thành", "Hoàn thành xuất sắc"])
    if k in (0, 1):
        return rng.choice([97.5, 98.2]) if miss else 100
    if k == 2:
        return planned - rng.randint(1, 4) if miss else planned + rng.randint(0, 6)
    if k == 3:
        return 85.7 if miss else rng.choice([91.3, 92.9, 95.2, 100])
    if k == 5:
        return 1 if miss else 0
    if k == 6:
        return 3 if miss else rng.choice([0, 1, 2])
    if k == 7:
        return 91 if miss else rng.choice([96, 97.4, 98.6, 99.1])
    return 9 if miss else rng.randint(12, 20)


def write_kind_c(cluster: Cluster, half_year: bool, outdir: Path) -> tuple[Path, list[dict]]:
    year = 2026
    period = "H1" if half_year else "year"
    rng = random.Random(f"{SEED}:C:{cluster.number}:{period}")
    stem = "so_ket_6_thang" if half_year else "chi_tieu_thi_dua"
    name = f"2_{stem}_cum{cluster.number}_{year}.xlsx"
    wide = cluster.number == 4
    col0 = 2 if wide else 1
    headers = (
        [
            ("STT", None),
            ("Nội dung chỉ tiêu", None),
            ("Đơn vị tính", None),
            ("Kế hoạch", None),
            ("Thực hiện", None),
            ("% so KH", None),
            ("Ghi chú", None),
        ]
        if wide
        else [
            ("STT", None),
            ("Chỉ tiêu", None),
            ("ĐVT", None),
            ("Chỉ tiêu đăng ký", None),
            ("Kết quả thực hiện", None),
            ("Tỷ lệ (%)", None),
            ("Ghi chú", None),
        ]
    )
    title = (
        "ĐĂNG KÝ CHỈ TIÊU THI ĐUA VÀ KẾT QUẢ THỰC HIỆN SƠ KẾT 6 THÁNG ĐẦU NĂM 2026"
        if half_year
        else f"ĐĂNG KÝ CHỈ TIÊU THI ĐUA VÀ KẾT QUẢ THỰC HIỆN NĂM {year}"
    )
    wb = new_workbook()
    out = []
    plan_rng = random.Random(f"{SEED}:C-plan:{cluster.number}")
    for k, member in enumerate(cluster.members):
        ws = wb.create_sheet(member.short)
        new_members = plan_rng.randint(8, 15) if wide else plan_rng.randint(18, 40)
        misses = set(plan_rng.sample(range(len(C_TARGETS)), plan_rng.choice([0, 1, 1, 2])))
        tb = TitleBlock(
            issuer_of(member.name),
            f"Số: {rng.randint(10, 80)}-BC/{doc_abbr(member.name)}",
            date_line(
                cluster.place,
                samples_year.h1_report_day(cluster.number, k) if half_year else 10,
                6 if half_year else 12,
                year,
            ),
            title,
            (f"Đơn vị: {member.name}", cluster.name),
        )
        row = write_title_block(ws, col0, len(headers), 2, tb)
        row = write_header(ws, row, col0, headers)
        counts = {"targets": 0, "met": 0, "not_met": 0, "no_result": 0}
        group = ""
        number = 0
        for k, (grp, target, uom, planned) in enumerate(C_TARGETS):
            if grp != group and not wide:
                group, number = grp, 0
                write_row(
                    ws, row, col0, [grp, C_GROUPS[grp], None, None, None, None, None], bold=True
                )
                row += 1
            plan: float | str = new_members if planned is None else planned
            actual = target_result(k, plan, k in misses, rng, half_year)
            met, rate = met_and_rate(target, plan, actual)
            number += 1
            counts["targets"] += 1
            counts["no_result" if met is None else "met" if met else "not_met"] += 1
            shown_plan: Any = f"{plan}%" if uom == "%" and rng.random() < 0.4 else plan
            shown_actual: Any = actual if actual is not None else "-"
            if uom == "%" and isinstance(actual, float | int) and rng.random() < 0.4:
                shown_actual = f"{vn(actual)}%"
            elif isinstance(actual, float) and not actual.is_integer():
                shown_actual = vn(actual) if rng.random() < 0.5 else actual
            shown_rate = (
                None
                if rate is None
                else (f"{vn(round(rate, 1))}%" if rng.random() < 0.3 else round(rate, 1))
            )
            note = "Không đạt" if met is False else None
            write_row(
                ws,
                row,
                col0,
                [
                    number if not wide else k + 1,
                    target,
                    uom or None,
                    shown_plan,
                    shown_actual,
                    shown_rate,
                    note,
                ],
                text_cols=(1, 6),
            )
            row += 1
        write_signatures(
            ws,
            row + 1,
            col0,
            len(headers),
            2,
            ("Người lập biểu", rng.choice(SIGNERS)),
            ("THỦ TRƯỞNG ĐƠN VỊ", rng.choice(SIGNERS)),
        )
        set_widths(ws, col0, [6, 60, 11, 13, 13, 11, 16])
        out.append(
            {
                "file": name,
                "sheet": member.short,
                "year": year,
                "period": period,
                "cluster": cluster.name,
                "unit": member.name,
                **counts,
            }
        )
    return save(wb, outdir / name), out


# ---------------------------------------------------------------------------
# Kind D — province socio-economic indicators (Chỉ thị 34-CT/TU)
# ---------------------------------------------------------------------------


def read_csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def target_vi(text: str) -> str:
    """The csv's target text written Vietnamese style: decimal comma, ≥, %/năm."""
    out = re.sub(r"(\d)\.(\d)", r"\1,\2", text).replace(">=", "≥")
    return out.replace("/năm", "%/năm") if out.startswith("giảm") else out


def write_kind_d(outdir: Path) -> tuple[Path, list[dict]]:
    rng = random.Random(f"{SEED}:D")
    name = "3_chi_tieu_kinh_te_xa_hoi_lam_dong.xlsx"
    targets = read_csv("chi_thi_34_targets.csv")
    published = {(r["code"], int(r["year"])): r for r in read_csv("lam_dong_published_figures.csv")}
    col0 = 2
    headers: list[tuple[str, str | None]] = [
        ("STT", None),
        ("Chỉ tiêu", None),
        ("ĐVT", None),
        ("Mục tiêu NQ", None),
    ]
    headers += [("Số liệu các năm", h) for h in D_HEADERS]
    headers += [("Nguồn", None), ("Ghi chú", None)]
    wb = new_workbook()
    ws = wb.create_sheet("CT KT-XH")
    tb = TitleBlock(
        ("ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", "SỞ TÀI CHÍNH"),
        "Số: 215/BC-STC",
        date_line("Lâm Đồng", 10, 12, 2025),
        "CHỈ TIÊU KINH TẾ - XÃ HỘI CHỦ YẾU GIAI ĐOẠN 2021 - 2025",
        (
            "Theo Nghị quyết Đại hội Đại biểu Đảng bộ tỉnh lần thứ XI, nhiệm kỳ 2020 - 2025"
            " (Kế hoạch kèm Quyết định số 959/QĐ-UBND ngày 04/6/2024, mục III.6)",
            "Số liệu của tỉnh Lâm Đồng (cũ), trước khi hợp nhất ngày 01/7/2025. Giá trị ghi nguồn"
            f" \u201c{DEMO_SOURCE}\u201d là số giả định, không phải số liệu chính thức.",
        ),
    )
    row = write_title_block(ws, col0, len(headers), 2, tb)
    row = write_header(ws, row, col0, headers)
    expected = []
    index = 0
    for letter, group_title, count in D_GROUPS:
        write_row(ws, row, col0, [letter, group_title] + [None] * (len(headers) - 2), bold=True)
        row += 1
        for t in targets[index : index + count]:
            index += 1
            code = t["code"]
            cells: list[Any] = []
            sources: list[str] = []
            for year, header, demo in zip(D_YEARS, D_HEADERS, D_DEMO_VALUES[code], strict=True):
                pub = published.get((code, year))
                value = float(pub["value"]) if pub else demo
                source = pub["source"] if pub else DEMO_SOURCE
                if pub:
                    sources.append(f"{year}: {D_SOURCE_VI.get(source, source)}")
                cells.append(vn(value) if rng.random() < 0.45 else plain(value))
                if value < 0 and isinstance(cells[-1], str):
                    cells[-1] = f"-{cells[-1]}"
                expected.append(
                    {
                        "indicator": t["indicator"],
                        "code": code,
                        "uom": t["uom"],
                        "year": year,
                        "value": value,
                        "value_kind": "estimate" if header.startswith("Ước") else "actual",
                        "target_text": target_vi(t["target_text"]),
                        "source": "published" if pub else "demo",
                        "published_source": source if pub else None,
                    }
                )
            if not sources:
                source_text = DEMO_SOURCE
            elif len(sources) == len(D_YEARS):
                source_text = "; ".join(sources)
            else:
                source_text = "; ".join(sources) + f"; các năm khác: {DEMO_SOURCE}"
            write_row(
                ws,
                row,
                col0,
                [
                    index,
                    t["indicator"],
                    t["uom"],
                    target_vi(t["target_text"]),
                    *cells,
                    source_text,
                    D_NOTES_VI.get(code),
                ],
                text_cols=(1, 9, 10),
            )
            row += 1
    write_signatures(
        ws,
        row + 1,
        col0,
        len(headers),
        3,
        ("Người lập biểu", rng.choice(SIGNERS)),
        ("K/T GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", rng.choice(SIGNERS)),
    )
    set_widths(ws, col0, [6, 46, 11, 14, 9, 9, 9, 9, 9, 44, 34])
    return save(wb, outdir / name), expected


# ---------------------------------------------------------------------------
# Kind E — cluster membership lists
# ---------------------------------------------------------------------------


def write_kind_e(year: int, outdir: Path) -> tuple[Path, list[dict]]:
    name = f"0_danh_sach_cum_khoi_thi_dua_{year}.xlsx"
    clusters = CLUSTERS[year]
    wb = new_workbook()
    ws = wb.create_sheet("Danh sách")
    out: list[dict] = []
    issuer = (
        ("TỈNH ỦY LÂM ĐỒNG", "BAN TỔ CHỨC")
        if year >= 2025
        else ("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "BAN TỔ CHỨC TỈNH ỦY")
    )
    notice = {
        2024: ("38/TB-BTCTU", "ngày 12/3/2024"),
        2025: ("121/TB-BTCTU", "ngày 25/8/2025"),
        2026: ("60/TB-BTCTU", "ngày 07/4/2026"),
    }[year]
    day, month = {2024: (12, 3), 2025: (25, 8), 2026: (7, 4)}[year]
    tb = TitleBlock(
        issuer,
        f"Số: {notice[0]}",
        date_line("Lâm Đồng", day, month, year),
        f"DANH SÁCH CÁC CỤM THI ĐUA NGÀNH TỔ CHỨC XÂY DỰNG ĐẢNG TỈNH NĂM {year}",
        (f"(Kèm theo Thông báo số {notice[0]}, {notice[1]} của Ban Tổ chức Tỉnh ủy)",),
    )
    columnar = year == 2025
    if columnar:
        headers = [
            ("STT", None),
            ("Đơn vị", None),
            ("Cụm thi đua", None),
            ("Chức danh trong cụm", None),
            ("Tên viết tắt", None),
            ("Năm", None),
        ]
    else:
        headers = [
            ("STT", None),
            ("Tên đơn vị", None),
            ("Vai trò", None),
            ("Tên viết tắt", None),
            ("Ghi chú", None),
        ]
    row = write_title_block(ws, 1, len(headers), 2, tb)
    row = write_header(ws, row, 1, headers)
    number = 0
    romans = ("I", "II", "III", "IV")
    for c_index, cluster in enumerate(clusters):
        if not columnar:
            write_row(
                ws,
                row,
                1,
                [romans[c_index], cluster.name.upper(), None, None, cluster.area],
                bold=True,
            )
            row += 1
            number = 0
        for member in cluster.members:
            number += 1
            if columnar:
                values = [number, member.name, cluster.name, member.role, member.short, year]
            else:
                values = [number, member.name, member.role, member.short, None]
            write_row(ws, row, 1, values, text_cols=(1,))
            row += 1
            out.append(
                {
                    "year": year,
                    "cluster": cluster.name,
                    "unit": member.name,
                    "role": member.role,
                    "short_name": member.short,
                    "file": name,
                }
            )
    write_signatures(
        ws,
        row + 1,
        1,
        len(headers),
        2,
        ("Người lập biểu", "Mai Thị Thu Trang"),
        ("K/T TRƯỞNG BAN\nPHÓ TRƯỞNG BAN", "Đỗ Quang Vinh"),
    )
    set_widths(ws, 1, [6, 58, 22, 18, 24, 8][: len(headers)])
    if year == 2024:
        out += write_khoi_list(wb.create_sheet("Khối TP Đà Lạt"), year, name)
    return save(wb, outdir / name), out


def write_khoi_list(ws: Worksheet, year: int, file: str) -> list[dict]:
    """The city's list for Khối thi đua số 1 (columns carry the block and the role)."""
    lead, vice = KHOI_LEADS[year]
    headers = [
        ("STT", None),
        ("Tên đơn vị", None),
        ("Khối thi đua", None),
        ("Vai trò", None),
        ("Tên viết tắt", None),
    ]
    tb = TitleBlock(
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ LẠT", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"),
        "Số: 97/TB-UBND",
        date_line("Đà Lạt", 26, 3, year),
        f"DANH SÁCH KHỐI THI ĐUA SỐ 1 THÀNH PHỐ ĐÀ LẠT NĂM {year}",
        ("(V/v phân công Cụm trưởng, Khối trưởng thi đua Thành phố Đà Lạt năm 2024)",),
    )
    row = write_title_block(ws, 1, len(headers), 2, tb)
    row = write_header(ws, row, 1, headers)
    out = []
    for k, (unit, short) in enumerate(KHOI_UNITS):
        role = KHOI_TRUONG if k == lead else KHOI_PHO if k == vice else THANH_VIEN
        write_row(ws, row, 1, [k + 1, unit, KHOI_DA_LAT, role, short])
        row += 1
        out.append(
            {
                "year": year,
                "cluster": KHOI_DA_LAT,
                "unit": unit,
                "role": role,
                "short_name": short,
                "file": file,
            }
        )
    write_signatures(
        ws,
        row + 1,
        1,
        len(headers),
        2,
        ("Người lập biểu", "Hồ Văn Nam"),
        ("TM. HỘI ĐỒNG\nCHỦ TỊCH", "Nguyễn Đình Khoa"),
    )
    set_widths(ws, 1, [6, 50, 20, 16, 16])
    return out


# ---------------------------------------------------------------------------
# Orchestration
# ---------------------------------------------------------------------------


def assign_ranks(results: list[UnitResult]) -> None:
    groups: dict[tuple[int, str], list[UnitResult]] = {}
    for r in results:
        groups.setdefault((r.year, r.cluster), []).append(r)
    for members in groups.values():
        ranked = {r.unit: r.total for r in members if r.not_ranked_reason is None}
        ranks = competition_ranks(ranked)
        for r in members:
            r.rank = ranks.get(r.unit)


def special_cases(
    results: list[UnitResult], typos: list[dict], mismatches: list[dict]
) -> dict[str, Any]:
    def find(year: int, number: int, short: str) -> UnitResult:
        return next(
            r
            for r in results
            if r.year == year and r.short == short and r.cluster == f"Cụm thi đua số {number}"
        )

    tie = [r for r in results if (r.year, r.cluster) == (TIE[0], f"Cụm thi đua số {TIE[1]}")]
    tie.sort(key=lambda r: r.rank or 99)
    nfd = find(*NFD_UNIT)
    not_ranked = find(*NOT_RANKED)
    return {
        "tie": {
            "year": TIE[0],
            "cluster": f"Cụm thi đua số {TIE[1]}",
            "file": tie[0].file,
            "ranks": [[r.unit, r.rank, r2(r.total)] for r in tie],
        },
        "nfd_unit_name": {
            "year": nfd.year,
            "cluster": nfd.cluster,
            "unit": nfd.unit,
            "file": nfd.file,
            "sheet": nfd.sheet,
            "where": 'title-block line "Đơn vị: …" (the name in NFD)',
        },
        "total_row_typo": typos,
        "wrong_file_rank": mismatches,
        "not_ranked": {
            "year": not_ranked.year,
            "cluster": not_ranked.cluster,
            "unit": not_ranked.unit,
            "file": not_ranked.file,
            "sheet": not_ranked.sheet,
            "where": 'self-score cell of the deduction row "Có cán bộ, công chức'
            ' bị xử lý kỷ luật…"',
            "text": "không xếp loại",
        },
        "skipped_sheets": [
            {"file": a_file_name(*INSTRUCTIONS_SHEET), "sheet": "Hướng dẫn"},
            {"file": a_file_name(*EMPTY_SHEET), "sheet": "Sheet1"},
        ],
        "unit_in_two_clusters": {
            "year": 2024,
            "unit": "Ban Tổ chức Thành ủy Đà Lạt",
            "clusters": ["Cụm thi đua số 1", KHOI_DA_LAT],
        },
    }


def write_samples(outdir: Path) -> list[Path]:
    """Write every sample workbook and expected.json into ``outdir``; return the paths."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    files: list[dict[str, Any]] = []
    results: list[UnitResult] = []
    typos: list[dict] = []
    memberships: list[dict] = []

    def record(path: Path, kind: str, **meta: Any) -> None:
        paths.append(path)
        files.append({"file": path.relative_to(outdir).as_posix(), "kind": kind, **meta})

    for year in sorted(CLUSTERS):
        path, members = write_kind_e(year, outdir)
        memberships += members
        record(
            path,
            "E",
            year=year,
            sheets=["Danh sách"] + (["Khối TP Đà Lạt"] if year == 2024 else []),
        )

    cluster_years = {
        (y, c.number): build_cluster_year(y, c) for y in sorted(CLUSTERS) for c in CLUSTERS[y]
    }
    for (year, number), cy in cluster_years.items():
        path, unit_results, unit_typos = write_kind_a(cy, outdir)
        results += unit_results
        typos += unit_typos
        sheets = [r.sheet for r in unit_results]
        if (year, number) == INSTRUCTIONS_SHEET:
            sheets = ["Hướng dẫn", *sheets]
        if (year, number) == EMPTY_SHEET:
            sheets = [*sheets, "Sheet1"]
        record(path, "A", year=year, cluster=cy.cluster.name, sheets=sheets)

    for year in sorted(KHOI_QUARTERS):
        path, unit_results = write_kind_a2(year, outdir)
        results += unit_results
        record(path, "A2", year=year, cluster=KHOI_DA_LAT, sheets=[unit_results[0].sheet])

    path, tg = write_tien_giang(outdir)
    results.append(tg)
    record(path, "A", year=TG_YEAR, cluster=TG_CLUSTER, sheets=[tg.sheet])

    assign_ranks(results)

    targets: list[dict] = []
    for cluster in CLUSTERS_2026:
        if cluster.number in C_CLUSTERS:
            path, rows = write_kind_c(cluster, False, outdir)
            targets += rows
            record(
                path,
                "C",
                year=2026,
                period="year",
                cluster=cluster.name,
                sheets=[r["sheet"] for r in rows],
            )
    half = next(c for c in CLUSTERS_2026 if c.number == C_HALF_YEAR_CLUSTER)
    path, rows = write_kind_c(half, True, outdir)
    targets += rows
    record(path, "C", year=2026, period="H1", cluster=half.name, sheets=[r["sheet"] for r in rows])

    path, indicators = write_kind_d(outdir)
    record(path, "D", sheets=["CT KT-XH"])

    summaries: list[dict] = []
    mismatches: list[dict] = []
    for cluster in CLUSTERS_2026:
        mine = [r for r in results if r.year == 2026 and r.cluster == cluster.name]
        path, rows, wrong = write_kind_b(cluster, mine, outdir)
        summaries += rows
        mismatches += wrong
        record(path, "B", year=2026, cluster=cluster.name, sheets=["Tổng hợp"])

    path, calendar = samples_year.write_calendar(outdir)
    record(path, "H", year=2026, sheets=["Lịch thi đua"])
    proposal_paths, g_rows = samples_year.write_proposals(results, outdir)
    for path in proposal_paths:
        record(path, "G", year=2026 if "2026" in path.name else 2025, sheets=["Danh sách"])

    expected = {
        "generator": "tools/samples.py",
        "seed": SEED,
        "notes": [
            "Figures are what the sheets mean, computed by the generator from its own model.",
            "Totals follow workbooks.md §2: a row's own value, else the sum of its children;"
            " bonus sections add, deduction sections subtract whatever their sign.",
            "A2 files of 2021-2023 have one column per unit: those are self-scores (title:"
            " BẢNG TỔNG HỢP ĐIỂM TỰ CHẤM); the 2024 file pairs Tự chấm | Khối chấm.",
            "Kind B restates the 2026 kind-A results: its 'Điểm tự chấm' and 'Điểm cụm chấm'"
            " are the criteria part only, and Tổng điểm = cụm chấm + thưởng - trừ = the"
            " kind-A total.",
            "Classification follows the default bands of interface.md §3 for every unit,"
            " ranked or not; max_score is 100 on every sheet.",
            "Load order for the demo: 0_* (E), 1_* (A, A2), 2_* (C), 3_* (D), then summaries/ (B).",
            "4_* is the 2026 campaign calendar (H); 5_* are award proposals and decisions (G)."
            " submissions_2026 and award_proposals are computed by tools/samples_year.py from the"
            " dates and ranks the generator wrote, under the default rules of"
            " data/reference/award_rules.csv.",
        ],
        "files": files,
        "unit_scores": [r.as_json() for r in results],
        "memberships": memberships,
        "summaries": summaries,
        "targets": targets,
        "indicators": indicators,
        "special_cases": special_cases(results, typos, mismatches),
        "calendar": calendar,
        "submissions_2026": {
            "as_of": str(samples_year.AS_OF),
            "rows": samples_year.expected_submissions(),
        },
        "award_proposals": samples_year.expected_proposals(results, g_rows),
    }
    expected_path = outdir / "expected.json"
    expected_path.write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    paths.append(expected_path)
    return paths


if __name__ == "__main__":
    for written_path in write_samples(SAMPLES_DIR):
        print(written_path.relative_to(REPO))
