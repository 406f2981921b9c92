"""Blank, styled Excel templates for each workbook kind (``thidua template KIND -o FILE.xlsx``).

Each kind is described once, as data (:class:`KindSpec`: title block, columns with their widths,
validations and meaning, example rows, kind-specific instructions), and one writer turns any spec
into a workbook with two sheets: the table to fill in and a "Hướng dẫn" (instructions) sheet.

The header texts are the canonical column names of ``workbooks.md`` so that the ETL recognises the
kind of every template. No cell holds a formula: openpyxl cannot save a formula's value, and the
ETL refuses formula cells without a saved value.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

INSTRUCTIONS_SHEET = "Hướng dẫn"
EXAMPLE_NOTE = "Ví dụ — xóa dòng này"
NUMBER_ERROR = "Ô này chỉ nhận số, ví dụ 3,5"
UPLOAD_PAGE = "Nạp dữ liệu"
VALIDATED_ROWS = 500  # data rows covered by each column's validation

FONT_NAME = "Times New Roman"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
_EXAMPLE_COLOR = "808080"
_LINE_HEIGHT = 16.0  # points per wrapped line at size 12

Value = str | int | float | None


# --------------------------------------------------------------------------------------------
# Specs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """A data validation rule for a column."""

    type: str  # "decimal" | "whole" | "list"
    error: str = NUMBER_ERROR
    low: int = -1_000_000_000_000
    high: int = 1_000_000_000_000
    choices: tuple[str, ...] = ()
    lenient: bool = False  # Excel warns but lets the clerk keep the value (words are legal here)

    @property
    def number_format(self) -> str | None:
        return {"decimal": "0.00", "whole": "0"}.get(self.type)


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    meaning: str
    synonyms: tuple[str, ...] = ()
    check: Check | None = None
    group: str | None = None  # a merged cell above this column (two-row header)
    required: bool = False


@dataclass(frozen=True)
class KindSpec:
    kind: str
    name: str
    sheet: str
    title: str
    meta: tuple[str, ...]
    columns: tuple[Column, ...]
    examples: tuple[tuple[Value, ...], ...]
    purpose: str
    rules: tuple[str, ...]
    freeze_cols: int = 2
    body_rows: int = 30
    landscape: bool = False


NUMBER = Check("decimal")
SCORE = Check(
    "decimal",
    error=NUMBER_ERROR + ". Đơn vị không được xếp loại thì ghi “không xếp loại” rồi chọn Có (Yes).",
    lenient=True,
)
TARGET_VALUE = Check(
    "decimal",
    error=NUMBER_ERROR + ". Chỉ tiêu định tính thì ghi “Hoàn thành”, “Đạt”… rồi chọn Có (Yes).",
    lenient=True,
)
RANK = Check("whole", error="Ô này chỉ nhận số thứ hạng, ví dụ 1, 2, 3", low=1, high=10_000)
YEAR = Check("whole", error="Ô này chỉ nhận năm, ví dụ 2026", low=2000, high=2100)
ROLES = (
    "Cụm trưởng",
    "Cụm phó Thường trực",
    "Cụm phó",
    "Khối trưởng",
    "Khối phó",
    "Thành viên",
)
ROLE = Check("list", error="Chọn vai trò trong danh sách: " + ", ".join(ROLES), choices=ROLES)
DIRECTION = Check(
    "list", error="Chỉ ghi “tăng” hoặc “giảm” (hoặc để trống)", choices=("tăng", "giảm")
)
CLASSES = (
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
)
CLASS = Check(
    "list",
    error="Nên chọn xếp loại trong danh sách; chọn Có (Yes) nếu muốn giữ cách ghi khác.",
    choices=CLASSES,
    lenient=True,
)

_STT = Column("STT", 6, "Số thứ tự.", ("TT", "Số TT"))
_NOTE = Column("Ghi chú", 22, "Ghi chú tự do; không dùng để tính toán.")
_CLUSTER_LINE = "Cụm thi đua số …"
_UNIT_LINE = "Đơn vị: ……"

_CODE = Column(
    "STT",
    7,
    "Mã tiêu chí: I, II… (nhóm); 1, 2 hoặc 1.1, 1.2 (tiêu chí); a, b hoặc a1, a1.1 (tiêu chí "
    "con); “-”, “+” hoặc để trống cho dòng chi tiết.",
    ("TT", "Số TT", "Mã", "Mã tiêu chí"),
    required=True,
)
_CRITERION = Column(
    "Nội dung tiêu chí",
    52,
    "Tên tiêu chí hoặc mục chấm điểm; dòng “Điểm thưởng”, “Điểm trừ” mở phần thưởng, phần trừ.",
    (
        "Nội dung",
        "Tiêu chí",
        "Tiêu chuẩn thi đua",
        "Nội dung chấm điểm",
        "Nội dung đánh giá",
        "Nội dung thi đua",
    ),
    required=True,
)
_MAX = Column(
    "Điểm chuẩn",
    11,
    "Điểm tối đa của tiêu chí theo quy định.",
    ("Chuẩn", "Điểm tối đa", "Thang điểm", "Điểm quy định"),
    NUMBER,
    required=True,
)
_SELF_SYNONYMS = ("Tự chấm", "Điểm tự chấm", "Đơn vị tự chấm", "Điểm tự đánh giá")
_ASSESSED_SYNONYMS = (
    "Cụm chấm",
    "Điểm cụm chấm",
    "Điểm khối chấm",
    "Khối chấm",
    "Điểm thẩm định",
    "Thẩm định",
    "Điểm chấm chéo",
    "Điểm đoàn kiểm tra",
    "Điểm Hội đồng chấm",
    "Kết quả thẩm định",
)
_SELF_MEANING = "Điểm đơn vị tự chấm. Cần ít nhất một trong hai cột tự chấm, cụm chấm."
_ASSESSED_MEANING = "Điểm do cụm, khối hoặc hội đồng thẩm định chấm."

_TREE_RULES = (
    "Cây tiêu chí được dựng theo thứ tự các dòng và kiểu mã ở cột STT: số La Mã I, II, III "
    "(hoặc “Tiêu chuẩn 1”) là nhóm lớn; 1, 2, 3 và 1.1, 1.2, 3.3.2.1 là tiêu chí; a, b, c, "
    "a1, a1.1, a.7.1 là tiêu chí con. Có thể trộn nhiều kiểu mã trong một bảng.",
    "Mã không cần duy nhất: a, b, c bắt đầu lại dưới mỗi mục cha. Dòng có mã “-”, “+”, “*” "
    "hoặc để trống mã là mục con của dòng có mã gần nhất phía trên.",
    "Điểm của một dòng là số ghi trên chính dòng đó; dòng không ghi điểm lấy tổng điểm các dòng "
    "con. Nếu nhóm đã có điểm riêng thì điểm của nhóm được dùng (thắng tổng các dòng con), các "
    "dòng con khi đó chỉ là chi tiết. Vì vậy có thể chỉ chấm ở dòng lá hoặc chỉ chấm ở dòng nhóm.",
    "Điểm chuẩn của nhóm có thể nhỏ hơn tổng điểm chuẩn các dòng con (các dòng con là các mức "
    "lựa chọn, ví dụ “Có tổ chức: 3” / “Không tổ chức: 0”, hoặc là các trường hợp thưởng, trừ).",
    "Dòng có nội dung bắt đầu bằng “Điểm thưởng”, “Điểm cộng”, “Cộng điểm” mở phần điểm thưởng; "
    "“Điểm trừ”, “Trừ điểm” mở phần điểm trừ. Điểm trong phần thưởng luôn được cộng, điểm trong "
    "phần trừ luôn bị trừ, dù ghi 0,5 hay -0,5.",
    "Dòng ghi chú (ví dụ “Ghi chú: Tổng điểm trừ của mục a1 không quá 1,5 điểm”) không phải tiêu "
    "chí; mức trần ghi trong đó được áp dụng và báo lại.",
    "Ghi “không xếp loại” vào ô điểm tự chấm hoặc điểm cụm chấm khi đơn vị không được xếp loại "
    "năm đó (Excel sẽ hỏi, chọn Có/Yes để giữ). Đơn vị vẫn có trong dữ liệu, kèm lý do, nhưng "
    "không được xếp hạng.",
    "Dòng “Tổng cộng” (“Tổng điểm”, “Cộng”) ở cuối bảng không bắt buộc và không phải tiêu chí. "
    "Tổng được tính lại từ các dòng cấp cao nhất; nếu tổng ghi trong tệp lệch quá 0,01 sẽ có cảnh "
    "báo ghi cả hai số. Điểm chuẩn ở dòng Tổng cộng (ví dụ 100) là điểm tối đa của bảng; không có "
    "thì lấy tổng điểm chuẩn các dòng cấp cao nhất. Tổng vượt điểm tối đa (nhờ điểm thưởng) vẫn "
    "hợp lệ và được đánh dấu.",
    "Có thể thêm cột “Thưởng”, “Trừ” ghi mức thưởng, mức trừ theo quy định cho từng trường hợp; "
    "các cột này được phép ghi chữ.",
)


def spec_a(year: int) -> KindSpec:
    return KindSpec(
        kind="A",
        name="Bảng chấm điểm thi đua của một đơn vị",
        sheet="Chấm điểm",
        title=f"BẢNG CHẤM ĐIỂM THI ĐUA NĂM {year}",
        meta=(_UNIT_LINE, _CLUSTER_LINE),
        columns=(
            _CODE,
            _CRITERION,
            _MAX,
            Column(
                "Điểm tự chấm", 11, _SELF_MEANING, _SELF_SYNONYMS[:1] + _SELF_SYNONYMS[2:], SCORE
            ),
            Column(
                "Điểm cụm chấm",
                11,
                _ASSESSED_MEANING,
                _ASSESSED_SYNONYMS[:1] + _ASSESSED_SYNONYMS[2:],
                SCORE,
            ),
            _NOTE,
        ),
        examples=(
            ("I", "Công tác xây dựng Đảng", 10, None, None),
            ("1", "Công tác chính trị, tư tưởng", 10, None, None),
            ("a", "Quán triệt, triển khai nghị quyết đầy đủ, kịp thời", 5, 5, 4.5),
            ("b", "Tổ chức học tập chuyên đề hằng năm", 5, 4.5, 4.5),
            ("II", "Điểm thưởng", None, 1, 1),
            ("III", "Điểm trừ", None, None, None),
            ("-", "Chậm gửi báo cáo (trừ 0,5 điểm/lần)", None, 0.5, 0.5),
        ),
        purpose=(
            "Bảng chấm điểm thi đua của một đơn vị trong một năm: điểm chuẩn, điểm tự chấm và "
            "điểm cụm (khối) chấm theo từng tiêu chí. Một tệp có thể có nhiều sheet, mỗi sheet "
            "là bảng chấm của một đơn vị (sao chép sheet này rồi đổi tên)."
        ),
        rules=_TREE_RULES,
        body_rows=60,
    )


def spec_a2(year: int) -> KindSpec:
    units = ("Đơn vị 1", "Đơn vị 2")
    unit_columns = tuple(
        Column(sub, 10, f"{meaning} Thay “{unit}” bằng tên đơn vị.", synonyms, SCORE, group=unit)
        for unit in units
        for sub, meaning, synonyms in (
            ("Tự chấm", "Điểm đơn vị tự chấm.", _SELF_SYNONYMS[1:]),
            ("Cụm chấm", _ASSESSED_MEANING, _ASSESSED_SYNONYMS[1:]),
        )
    )
    return KindSpec(
        kind="A2",
        name="Bảng chấm điểm chéo (tổng hợp điểm theo tiêu chí của nhiều đơn vị)",
        sheet="Chấm chéo",
        title=f"BẢNG CHẤM ĐIỂM CHÉO THI ĐUA NĂM {year}",
        meta=(_CLUSTER_LINE,),
        columns=(_CODE, _CRITERION, _MAX, *unit_columns, _NOTE),
        examples=(
            ("I", "Công tác xây dựng Đảng", 10, None, None, None, None),
            ("1", "Công tác chính trị, tư tưởng", 5, 4.5, 4.5, 5, 4.5),
            ("2", "Công tác tổ chức, cán bộ", 5, 5, 4.5, 4, 4),
        ),
        purpose=(
            "Bảng chấm điểm chéo trong cụm (khối): các dòng tiêu chí như bảng chấm điểm, rồi mỗi "
            "đơn vị một cặp cột “Tự chấm | Cụm chấm” dưới ô tên đơn vị (ô gộp). Mỗi cặp cột cho "
            "ra bảng điểm của một đơn vị."
        ),
        rules=(
            "Thay “Đơn vị 1”, “Đơn vị 2” bằng tên đơn vị, viết đúng như danh sách cụm, khối thi "
            "đua. Thêm đơn vị: chèn hai cột trước cột Ghi chú, gộp ô tên phía trên, ghi “Tự chấm”, "
            "“Cụm chấm” ở dòng dưới. Mỗi đơn vị cũng có thể chỉ có một cột, tiêu đề là tên đơn vị.",
            *_TREE_RULES,
        ),
        freeze_cols=3,
        body_rows=60,
        landscape=True,
    )


def spec_b(year: int) -> KindSpec:
    return KindSpec(
        kind="B",
        name="Bảng tổng hợp kết quả chấm điểm của một cụm, khối",
        sheet="Tổng hợp",
        title=f"BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM THI ĐUA NĂM {year}",
        meta=(_CLUSTER_LINE,),
        columns=(
            _STT,
            Column(
                "Đơn vị",
                36,
                "Tên đơn vị, viết đúng như danh sách cụm, khối thi đua.",
                ("Tên đơn vị", "Tên tập thể", "Tập thể"),
                required=True,
            ),
            Column("Điểm tự chấm", 11, "Tổng điểm đơn vị tự chấm.", ("Tự chấm",), NUMBER),
            Column(
                "Điểm cụm chấm",
                11,
                "Tổng điểm cụm, khối chấm (thẩm định).",
                ("Điểm thẩm định", "Điểm khối chấm", "Cụm chấm"),
                NUMBER,
            ),
            Column("Điểm thưởng", 10, "Tổng điểm thưởng.", ("Điểm cộng",), NUMBER),
            Column("Điểm trừ", 10, "Tổng điểm trừ, ghi số dương (ví dụ 0,5).", (), NUMBER),
            Column(
                "Tổng điểm",
                11,
                "Tổng điểm đạt. Để trống thì tính bằng điểm cụm chấm (hoặc tự chấm) + thưởng "
                "− trừ.",
                ("Tổng cộng", "Điểm đạt"),
                NUMBER,
                required=True,
            ),
            Column(
                "Xếp hạng",
                9,
                "Thứ hạng trong cụm theo tệp; hệ thống tự xếp hạng lại và báo chỗ khác nhau.",
                ("Xếp thứ", "Thứ hạng", "Hạng"),
                RANK,
            ),
            Column("Xếp loại", 22, "Mức xếp loại.", (), CLASS),
            Column(
                "Đề nghị khen thưởng",
                22,
                "Hình thức khen thưởng đề nghị.",
                ("Hình thức khen thưởng (đề nghị)",),
            ),
            _NOTE,
        ),
        examples=(
            (1, "Đơn vị A", 95.5, 94, 2, 0.5, 95.5, 1, CLASSES[0], "Cờ thi đua"),
            (2, "Đơn vị B", 90, 88.5, 1, 1, 88.5, 2, CLASSES[1], "Bằng khen"),
        ),
        purpose=(
            "Bảng tổng hợp kết quả chấm điểm thi đua của một cụm (khối) trong một năm: mỗi dòng "
            "một đơn vị, với điểm, thứ hạng, xếp loại và đề nghị khen thưởng."
        ),
        rules=(
            "Mỗi dòng là một đơn vị của cụm, khối ghi ở phần đầu trang. Cụm và năm lấy từ phần "
            "đầu trang, hoặc từ cột “Cụm”, “Năm” nếu thêm vào bảng.",
            "Cần cột Tổng điểm, hoặc đủ các cột để tính: điểm cụm chấm (hoặc tự chấm) + điểm "
            "thưởng − điểm trừ.",
            "Thứ hạng ghi trong tệp được giữ lại như số liệu của tệp. Hệ thống tự xếp hạng theo "
            "tổng điểm từ cao xuống thấp; các đơn vị bằng điểm (chênh không quá 0,01) đồng hạng "
            "(1, 1, 3) và chỗ nào khác với tệp sẽ được báo.",
            "Xếp loại mặc định theo tỷ lệ tổng điểm trên điểm tối đa: từ 90% “Hoàn thành xuất "
            "sắc nhiệm vụ”, từ 70% “Hoàn thành tốt nhiệm vụ”, từ 50% “Hoàn thành nhiệm vụ”, "
            "dưới 50% “Không hoàn thành nhiệm vụ”.",
            "Đơn vị không được xếp loại: ghi “không xếp loại” ở cột Xếp loại hoặc Ghi chú.",
        ),
        landscape=True,
    )


def spec_c(year: int) -> KindSpec:
    return KindSpec(
        kind="C",
        name="Đăng ký chỉ tiêu thi đua và kết quả thực hiện của một đơn vị",
        sheet="Chỉ tiêu",
        title="BẢNG ĐĂNG KÝ CHỈ TIÊU THI ĐUA VÀ KẾT QUẢ THỰC HIỆN",
        meta=(_UNIT_LINE, _CLUSTER_LINE, f"Năm {year}"),
        columns=(
            _STT,
            Column(
                "Chỉ tiêu",
                45,
                "Nội dung chỉ tiêu đăng ký.",
                ("Nội dung chỉ tiêu", "Nội dung đăng ký", "Tên chỉ tiêu"),
                required=True,
            ),
            Column("ĐVT", 10, "Đơn vị tính (%, vụ, người, triệu đồng…).", ("Đơn vị tính",)),
            Column(
                "Chỉ tiêu đăng ký",
                13,
                "Mức đăng ký: số, tỷ lệ, hoặc chữ (“Hoàn thành”).",
                ("Đăng ký", "Kế hoạch", "KH", "KH năm", "Mục tiêu", "Chỉ tiêu giao"),
                TARGET_VALUE,
                required=True,
            ),
            Column(
                "Kết quả thực hiện",
                13,
                "Kết quả đạt được; để trống khi chưa có kết quả.",
                ("Thực hiện", "TH", "Kết quả", "Ước thực hiện"),
                TARGET_VALUE,
            ),
            Column(
                "Tỷ lệ (%)",
                10,
                "Tỷ lệ hoàn thành; hệ thống tự tính lại, số trong tệp chỉ để đối chiếu.",
                ("% so KH", "Tỷ lệ hoàn thành"),
                NUMBER,
            ),
            Column(
                "Chiều (tăng/giảm)",
                11,
                "“tăng”: càng cao càng tốt; “giảm”: càng thấp càng tốt. Có thể để trống.",
                ("Chiều", "Hướng"),
                DIRECTION,
            ),
            _NOTE,
        ),
        examples=(
            (1, "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên", "%", 90, 92.5, 102.78, "tăng"),
            (2, "Số vụ vi phạm kỷ luật của đảng viên", "vụ", 2, 1, 200, "giảm"),
            (
                3,
                "Hoàn thành kế hoạch kiểm tra, giám sát năm",
                None,
                "Hoàn thành",
                "Hoàn thành",
                100,
                None,
            ),
        ),
        purpose=(
            "Các chỉ tiêu thi đua một đơn vị đăng ký trong một kỳ, kèm kết quả thực hiện khi đã "
            "có. Dùng cho cả bản đăng ký đầu năm và bản báo cáo kết quả."
        ),
        rules=(
            "Dòng kỳ báo cáo ở phần đầu trang: “Năm 2026” hoặc “Tổng kết năm 2026” là cả năm; "
            "“Sơ kết 6 tháng đầu năm 2026” là 6 tháng đầu năm; “Quý I năm 2026” (hoặc “Quý 1”) "
            "là một quý.",
            "Chỉ tiêu định tính ghi bằng chữ: “Hoàn thành”, “Đạt”, “Hoàn thành xuất sắc” là đạt; "
            "“Chưa hoàn thành”, “Không đạt”, “Không hoàn thành” là không đạt.",
            "Chỉ tiêu càng thấp càng tốt khi cột Chiều ghi “giảm”, hoặc khi nội dung chỉ tiêu có "
            "“giảm”, “không để xảy ra”, “không quá”, “tối đa”, “dưới”, “≤”. Khi đó chỉ tiêu đạt "
            "nếu kết quả không vượt mức đăng ký.",
            "Tỷ lệ hoàn thành = kết quả ÷ đăng ký (càng cao càng tốt), hoặc đăng ký ÷ kết quả "
            "(càng thấp càng tốt; bằng 100% khi kết quả là 0); chỉ tiêu định tính là 100% hoặc 0%.",
        ),
    )


def spec_d(year: int) -> KindSpec:
    first, last = year - 5, year - 1  # the five years of the plan that ends the year before
    year_columns = (
        *(
            Column(f"TH {y}", 10, f"Giá trị thực hiện năm {y}.", (f"{y}", f"Năm {y}"), NUMBER)
            for y in range(first, last)
        ),
        Column(f"Ước {last}", 10, f"Giá trị ước thực hiện năm {last}.", (), NUMBER),
    )
    return KindSpec(
        kind="D",
        name="Các chỉ tiêu kinh tế - xã hội của tỉnh",
        sheet="Chỉ tiêu KT-XH",
        title=f"CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI CHỦ YẾU GIAI ĐOẠN {first} - {last}",
        meta=("Mục tiêu theo Nghị quyết số …",),
        columns=(
            _STT,
            Column(
                "Chỉ tiêu",
                45,
                "Tên chỉ tiêu kinh tế - xã hội.",
                ("Tên chỉ tiêu", "Nội dung"),
                required=True,
            ),
            Column("ĐVT", 11, "Đơn vị tính.", ("Đơn vị tính",)),
            Column(
                "Mục tiêu NQ",
                14,
                "Mục tiêu theo nghị quyết, ghi như văn bản: “7 - 8”, “≥ 92”, “100%”, “giảm 1 "
                "- 1,5”.",
                ("Mục tiêu", "Nghị quyết", "NQ", "Chỉ tiêu đến năm …"),
            ),
            *year_columns,
            Column("Nguồn", 20, "Nguồn số liệu (cơ quan cung cấp, văn bản).", ()),
            _NOTE,
        ),
        examples=(
            (
                1,
                "Tốc độ tăng trưởng kinh tế (GRDP)",
                "%",
                "7 - 8",
                5.2,
                6.1,
                6.8,
                7.1,
                7.5,
                "Cục Thống kê tỉnh",
            ),
            (
                2,
                "Tỷ lệ hộ nghèo",
                "%",
                "giảm 1 - 1,5",
                3.1,
                2.4,
                1.8,
                1.2,
                0.9,
                "Sở Nông nghiệp và Môi trường",
            ),
            (
                3,
                "GRDP bình quân đầu người",
                "triệu đồng",
                "120 - 125",
                85.3,
                92.1,
                101.4,
                110.2,
                121,
                "Cục Thống kê tỉnh",
            ),
        ),
        purpose=(
            "Các chỉ tiêu kinh tế - xã hội chủ yếu của tỉnh: mục tiêu theo nghị quyết (kế hoạch) "
            "và giá trị từng năm, để theo dõi mức đạt."
        ),
        rules=(
            "Mỗi năm một cột. Tiêu đề cột năm có thể là “2021”, “Năm 2022”, “TH 2023” (thực "
            "hiện), “Ước 2025” (ước thực hiện) hoặc “KH 2025” (kế hoạch). Thêm năm bằng cách chèn "
            "cột trước cột Nguồn.",
            "Mục tiêu ghi như trong nghị quyết: khoảng “7 - 8” hoặc “7-8%”, ngưỡng “≥ 92” hoặc "
            "“>= 92%”, mức “100%”, “120 - 125 triệu đồng”, hoặc mức giảm “giảm 1 - 1,5” / “giảm "
            "ít nhất 1 - 1,5%/năm” (so sánh mức giảm giữa hai năm liền nhau).",
            "Một năm được đánh giá “đạt” khi giá trị nằm trong khoảng mục tiêu, “vượt” khi tốt "
            "hơn khoảng đó, “chưa đạt” khi còn thiếu.",
        ),
        landscape=True,
    )


def spec_e(year: int) -> KindSpec:
    return KindSpec(
        kind="E",
        name="Danh sách cụm, khối thi đua và đơn vị thành viên",
        sheet="Danh sách cụm",
        title=f"DANH SÁCH CỤM, KHỐI THI ĐUA NĂM {year}",
        meta=(),
        columns=(
            _STT,
            Column(
                "Đơn vị",
                40,
                "Tên đầy đủ của đơn vị, viết thống nhất ở mọi bảng.",
                ("Tên đơn vị", "Tên tập thể", "Tập thể"),
                required=True,
            ),
            Column("Tên viết tắt", 14, "Tên ngắn dùng trên biểu đồ.", ()),
            Column(
                "Cụm/Khối thi đua",
                22,
                "Tên cụm, khối: “Cụm thi đua số 1”, “Khối thi đua số 2”.",
                ("Cụm", "Khối"),
                required=True,
            ),
            Column(
                "Vai trò",
                20,
                "Vai trò trong cụm, khối; chọn trong danh sách.",
                ("Chức danh trong cụm",),
                ROLE,
            ),
            Column("Năm", 8, "Năm áp dụng danh sách.", (), YEAR),
        ),
        examples=(
            (1, "Đơn vị A", "ĐVA", "Cụm thi đua số 1", "Cụm trưởng", year),
            (2, "Đơn vị B", "ĐVB", "Cụm thi đua số 1", "Thành viên", year),
        ),
        purpose=(
            "Danh sách các cụm, khối thi đua trong một năm: đơn vị nào thuộc cụm nào, giữ vai "
            "trò gì. Nên nạp danh sách này trước các bảng chấm điểm của năm đó."
        ),
        rules=(
            "Vai trò: Cụm trưởng, Cụm phó Thường trực, Cụm phó, Khối trưởng, Khối phó, Thành viên.",
            "Thay cho cột Cụm/Khối thi đua, có thể chia bảng thành từng khối dòng, mỗi khối bắt "
            "đầu bằng một dòng tiêu đề như “CỤM THI ĐUA SỐ 1”.",
            "Tên cụm được chuẩn hóa thành “Cụm thi đua số N” hoặc “Khối thi đua số N” dù ghi "
            "“CỤM THI ĐUA SỐ 4”, “Cụm 4” hay “Cụm thi đua 4”.",
            "Khi đã có danh sách của một năm, bảng chấm điểm năm đó mà tên đơn vị hoặc tên cụm "
            "không có trong danh sách sẽ bị từ chối, kèm gợi ý tên gần đúng nhất. Vì vậy hãy viết "
            "tên đơn vị ở mọi bảng giống hệt trong danh sách này.",
        ),
    )


def spec_f(year: int) -> KindSpec:
    return KindSpec(
        kind="F",
        name="Bảng điểm chuẩn (khung tiêu chí chấm điểm) của một cụm, khối",
        sheet="Điểm chuẩn",
        title=f"BẢNG ĐIỂM CHUẨN CHẤM ĐIỂM THI ĐUA NĂM {year}",
        meta=(_CLUSTER_LINE,),
        columns=(
            _CODE,
            _CRITERION,
            _MAX,
            Column(
                "Thưởng",
                10,
                "Mức điểm thưởng (cộng) theo quy định cho mỗi trường hợp; được phép ghi chữ.",
                ("Điểm thưởng (cộng)",),
                Check("decimal", lenient=True),
            ),
            Column(
                "Trừ",
                10,
                "Mức điểm trừ theo quy định cho mỗi trường hợp; được phép ghi chữ.",
                ("Điểm trừ",),
                Check("decimal", lenient=True),
            ),
            _NOTE,
        ),
        examples=(
            ("I", "Công tác xây dựng Đảng", 10, None, None),
            ("1", "Công tác chính trị, tư tưởng", 5, None, None),
            ("a", "Quán triệt, triển khai nghị quyết đầy đủ, kịp thời", 3, None, None),
            ("-", "Mỗi trường hợp chậm triển khai", None, None, -0.5),
            ("b", "Tổ chức học tập chuyên đề hằng năm", 2, None, None),
            ("2", "Công tác tổ chức, cán bộ", 5, 1, None),
        ),
        purpose=(
            "Bảng điểm chuẩn do cụm, khối (hoặc cơ quan thường trực) ban hành đầu năm: cây tiêu "
            "chí với điểm chuẩn, không có cột điểm chấm. Khi đã có bảng điểm chuẩn của cụm và năm, "
            "mỗi bảng chấm điểm (A, A2) của cụm đó được đối chiếu: tiêu chí lệch điểm chuẩn, tiêu "
            "chí thừa, tiêu chí thiếu đều được cảnh báo, ghi rõ ô và cả hai con số."
        ),
        rules=(
            "Không ghi cụm, khối (và không chọn khi tải lên) nghĩa là bảng điểm chuẩn dùng cho mọi "
            "cụm, khối của năm đó chưa có bảng riêng.",
            "Cũng nhận dạng danh sách phẳng bốn cột “Cấp | Thứ tự | Điểm | Nội dung” (hoặc "
            "“Level | Order | Score | Name”): Cấp 1 là cấp cao nhất, các dòng theo thứ tự của cây.",
            *_TREE_RULES[:6],
        ),
        body_rows=60,
    )


def spec_g(year: int) -> KindSpec:
    return KindSpec(
        kind="G",
        name="Danh sách đề nghị khen thưởng",
        sheet="Đề nghị khen thưởng",
        title=f"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}",
        meta=(_CLUSTER_LINE,),
        columns=(
            _STT,
            Column(
                "Tên tập thể",
                40,
                "Tên đơn vị được đề nghị, viết như trong danh sách cụm, khối (cá nhân: dùng cột "
                "“Họ và tên” thay cho cột này).",
                ("Tên đơn vị", "Tập thể", "Họ và tên", "Tên cá nhân"),
                required=True,
            ),
            Column(
                "Hình thức khen thưởng",
                34,
                "Hình thức hoặc danh hiệu đề nghị, ví dụ “Cờ thi đua của Ủy ban nhân dân tỉnh”, "
                "“Bằng khen của Chủ tịch UBND tỉnh” (viết tắt “BK UBND tỉnh” cũng được), “Giấy "
                "khen”, “TTLĐXS”.",
                ("Hình thức đề nghị", "Danh hiệu đề nghị", "Danh hiệu thi đua"),
                required=True,
            ),
            Column("Thành tích", 40, "Tóm tắt thành tích.", ("Lý do", "Tóm tắt thành tích")),
            Column(
                "Số quyết định",
                24,
                "Chỉ ghi khi đã được khen thưởng: số và ngày quyết định.",
                ("Quyết định số", "Ngày quyết định"),
            ),
            _NOTE,
        ),
        examples=(
            (
                1,
                "Đơn vị A",
                "Cờ thi đua của Ủy ban nhân dân tỉnh",
                "Dẫn đầu cụm thi đua",
                None,
                None,
            ),
            (2, "Đơn vị B", "Bằng khen của Chủ tịch UBND tỉnh", "Hoàn thành xuất sắc", None, None),
        ),
        purpose=(
            "Danh sách các tập thể, cá nhân được cụm, khối hoặc hội đồng đề nghị khen thưởng "
            "trong năm; có cột số quyết định thì là danh sách đã được khen thưởng."
        ),
        rules=(
            "Mỗi đề nghị được kiểm tra theo quy tắc khen thưởng (trang Khen thưởng): điều kiện "
            "trước (đơn vị dẫn đầu, xếp loại, thứ hạng), hạn mức sau.",
            "Danh sách mới của cùng cụm và năm thay danh sách cũ.",
            "Thêm cột “Cụm thi đua” khi danh sách gồm nhiều cụm.",
        ),
    )


def spec_h(year: int) -> KindSpec:
    return KindSpec(
        kind="H",
        name="Lịch thi đua",
        sheet="Lịch thi đua",
        title=f"LỊCH THI ĐUA NĂM {year}",
        meta=(),
        columns=(
            _STT,
            Column(
                "Đợt thi đua",
                30,
                "Tên đợt, giai đoạn hoặc quý, ví dụ “Quý I”, “Đợt cao điểm - giai đoạn 1”.",
                ("Giai đoạn", "Đợt"),
                required=True,
            ),
            Column("Chủ đề", 50, "Chủ đề phát động của đợt.", ("Chủ đề thi đua",)),
            Column(
                "Từ ngày",
                14,
                "Ngày bắt đầu, dạng 01/01/" + str(year) + ".",
                ("Ngày bắt đầu",),
                required=True,
            ),
            Column(
                "Đến ngày",
                14,
                "Ngày kết thúc, dạng 31/03/" + str(year) + ".",
                ("Ngày kết thúc",),
                required=True,
            ),
            _NOTE,
        ),
        examples=(
            (1, "Quý I", "Mừng Đảng, mừng xuân", f"01/01/{year}", f"31/03/{year}", None),
            (2, "Quý II", "Chào mừng ngày giải phóng", f"01/04/{year}", f"30/06/{year}", None),
        ),
        purpose="Các đợt thi đua và chủ đề từng quý của một năm, vẽ trên trang Lịch thi đua.",
        rules=(
            "Ngày kết thúc không được trước ngày bắt đầu.",
            "Lịch mới của cùng năm thay lịch cũ; hạn nộp báo cáo được vẽ thêm tự động.",
        ),
    )


# --------------------------------------------------------------------------------------------
# Writer
# --------------------------------------------------------------------------------------------


def write_spec(s: KindSpec, path: Path, year: int) -> Path:
    """Write the blank, styled template ``s`` of one kind (etl.kinds.registry) to ``path``."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"Tệp mẫu phải có đuôi .xlsx, không phải “{path.name}”.")

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = s.sheet
    _write_table_sheet(ws, s, year)
    _write_instructions(wb.create_sheet(INSTRUCTIONS_SHEET), s)
    wb.active = 0

    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _font(**kw: object) -> Font:
    kw.setdefault("size", 12)
    return Font(name=FONT_NAME, **kw)  # type: ignore[arg-type]


def _lines(text: str, width: float) -> int:
    """Estimated number of wrapped lines of ``text`` in a column ``width`` characters wide."""
    chars = max(width * 1.1 - 1, 1)
    return sum(max(1, math.ceil(len(part) / chars)) for part in text.split("\n"))


def _merge(ws: Worksheet, row: int, first: int, last: int, value: str, **font: object) -> None:
    cell = ws.cell(row=row, column=first, value=value)
    cell.font = _font(**font)
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def _split(columns: Sequence[Column]) -> int:
    """How many columns the left half of the title block and the footer takes."""
    total = sum(c.width for c in columns)
    running = 0.0
    for i, c in enumerate(columns, start=1):
        running += c.width
        if running >= 0.4 * total:
            return min(max(i, 1), len(columns) - 1)
    return len(columns) - 1


def _write_table_sheet(ws: Worksheet, s: KindSpec, year: int) -> None:
    cols = s.columns
    n = len(cols)
    left = _split(cols)

    for i, c in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = c.width

    # Title block: issuing body on the left, national motto on the right, then title and
    # the metadata lines the ETL reads (unit, cluster, period).
    _merge(ws, 1, 1, left, "TÊN CƠ QUAN, ĐƠN VỊ", bold=True)
    _merge(ws, 1, left + 1, n, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    _merge(ws, 2, 1, left, "Số: …")
    _merge(ws, 2, left + 1, n, "Độc lập - Tự do - Hạnh phúc", bold=True, underline="single")
    _merge(ws, 3, left + 1, n, f"……, ngày … tháng … năm {year}", italic=True)
    row = 5
    _merge(ws, row, 1, n, s.title, bold=True, size=14)
    ws.row_dimensions[row].height = 24
    for line in s.meta:
        row += 1
        _merge(ws, row, 1, n, line, bold=True)

    header = row + 2
    header_rows = _write_header(ws, cols, header)
    first = header + header_rows
    ws.freeze_panes = f"{get_column_letter(s.freeze_cols + 1)}{first}"

    # Body: example rows (grey italic, marked), then empty bordered rows for the clerk.
    note_col = next((i for i, c in enumerate(cols) if c.header == "Ghi chú"), n)
    for r in range(first, first + s.body_rows):
        for i, c in enumerate(cols, start=1):
            cell = ws.cell(row=r, column=i)
            cell.border = _BORDER
            cell.font = _font()
            fmt = c.check.number_format if c.check else None
            if fmt:
                cell.number_format = fmt
            cell.alignment = Alignment(
                horizontal="center" if fmt or i == 1 else "left", vertical="center", wrap_text=True
            )
    example_font = _font(italic=True, color=_EXAMPLE_COLOR)
    for r, values in enumerate(s.examples, start=first):
        padded = list(values) + [None] * (n + 1 - len(values))
        padded[note_col] = EXAMPLE_NOTE
        height = 1
        for i, value in enumerate(padded, start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=i, value=value)
            cell.font = example_font
            if i <= n:
                height = max(height, _lines(str(value), cols[i - 1].width))
        ws.row_dimensions[r].height = _LINE_HEIGHT * height + 2

    # Footer under the table area: it ends the table for the ETL.
    last_body = first + s.body_rows - 1
    footer = last_body + 2
    _merge(ws, footer, 1, left, "Người lập biểu", bold=True)
    _merge(ws, footer, left + 1, n, "THỦ TRƯỞNG ĐƠN VỊ", bold=True)
    _merge(ws, footer + 1, 1, left, "(Ký, ghi rõ họ tên)", italic=True)
    _merge(ws, footer + 1, left + 1, n, "(Ký tên, đóng dấu)", italic=True)
    footer_end = footer + 5

    # Validations: the table body (grows when the clerk inserts rows inside it) and, to reach
    # VALIDATED_ROWS in all, the rows below the footer; the footer's own cells stay free text.
    ranges = [(first, last_body)]
    if first + VALIDATED_ROWS - 1 > footer_end:
        ranges.append((footer_end + 1, first + VALIDATED_ROWS - 1))
    _add_validations(ws, cols, ranges)

    ws.print_title_rows = f"{header}:{first - 1}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if s.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _write_header(ws: Worksheet, cols: Sequence[Column], row: int) -> int:
    """Write the header at ``row``; return its number of rows (1, or 2 with merged groups)."""
    two = any(c.group for c in cols)
    last = row + 1 if two else row
    for i, c in enumerate(cols, start=1):
        if c.group:
            ws.cell(row=row, column=i, value=c.group)
            ws.cell(row=row + 1, column=i, value=c.header)
        else:
            ws.cell(row=row, column=i, value=c.header)
        for r in range(row, last + 1):
            cell = ws.cell(row=r, column=i)
            cell.font = _font(bold=True)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if two and not c.group:
            ws.merge_cells(start_row=row, start_column=i, end_row=last, end_column=i)
    # Merge each run of columns under the same group name.
    i = 0
    while i < len(cols):
        j = i
        while j + 1 < len(cols) and cols[i].group and cols[j + 1].group == cols[i].group:
            j += 1
        if cols[i].group and j > i:
            ws.merge_cells(start_row=row, start_column=i + 1, end_row=row, end_column=j + 1)
        i = j + 1
    lines = max(_lines(c.header, c.width) for c in cols)
    for r in range(row, last + 1):
        ws.row_dimensions[r].height = _LINE_HEIGHT * (1 if two else lines) + 6
    return last - row + 1


def _add_validations(
    ws: Worksheet, cols: Sequence[Column], ranges: Sequence[tuple[int, int]]
) -> None:
    by_check: dict[Check, list[str]] = {}
    for i, c in enumerate(cols, start=1):
        if c.check is None:
            continue
        letter = get_column_letter(i)
        by_check.setdefault(c.check, []).extend(f"{letter}{a}:{letter}{b}" for a, b in ranges)
    for check, refs in by_check.items():
        if check.type == "list":
            dv = DataValidation(type="list", formula1='"' + ",".join(check.choices) + '"')
        else:
            dv = DataValidation(
                type=check.type,
                operator="between",
                formula1=str(check.low),
                formula2=str(check.high),
            )
        dv.allow_blank = True
        dv.showErrorMessage = True
        dv.errorStyle = "warning" if check.lenient else "stop"
        dv.errorTitle = "Giá trị không hợp lệ"
        dv.error = check.error
        for ref in refs:
            dv.add(ref)
        ws.add_data_validation(dv)


# --------------------------------------------------------------------------------------------
# Instructions sheet
# --------------------------------------------------------------------------------------------

_GUIDE_WIDTHS = (26.0, 62.0, 46.0)

_GENERAL = (
    "Phần đầu trang: thay “TÊN CƠ QUAN, ĐƠN VỊ”, “Số: …”, ngày tháng và các dòng có dấu “…” "
    "bằng thông tin thật, ví dụ “Đơn vị: Ban Tổ chức Đảng ủy Công an tỉnh”, “Cụm thi đua số 4” "
    "hoặc “Khối thi đua số 1”. Năm, đơn vị, cụm và kỳ báo cáo được đọc từ các dòng này; năm ghi "
    "trong tiêu đề (“NĂM 2026”) được ưu tiên hơn năm ở dòng ngày tháng.",
    "Dòng tiêu đề cột được nhận ra theo tên cột, không theo vị trí: chữ hoa hay thường, có dấu "
    "hay không dấu, xuống dòng trong ô đều được. Có thể đổi tên cột sang một tên khác trong bảng "
    "dưới đây, nhưng không viết tên khác ngoài danh sách.",
    "Các dòng chữ xám nghiêng ghi “Ví dụ — xóa dòng này” chỉ để minh họa cách ghi: hãy xóa chúng "
    "trước khi nạp. Cần thêm dòng thì chèn dòng bên trong bảng (giữ được định dạng và kiểm tra "
    "dữ liệu). Phần chữ ký “Người lập biểu”, “THỦ TRƯỞNG ĐƠN VỊ” bên dưới kết thúc bảng và "
    "không được đọc.",
    "Có thể dùng công thức; hãy mở và lưu tệp bằng Excel, LibreOffice hoặc WPS trước khi nạp để "
    "ô công thức có giá trị. Ô lỗi (#REF!, #DIV/0!, #VALUE!, #N/A) làm tệp bị từ chối.",
)

_NUMBERS = (
    "Ghi 3,5 hoặc 3.5 đều được; số âm ghi “-0,5” hoặc “- 0,5”; có thể kèm chữ đơn vị như “10 "
    "điểm”, “95%”, “77,67 triệu đồng”.",
    "Tránh kiểu “80.000”: không rõ là tám mươi hay tám mươi nghìn. Hãy ghi 80 hoặc 80000. Dấu "
    "chấm phân cách hàng nghìn chỉ nên dùng khi có phần thập phân, ví dụ “12.489,4”.",
    "Ô trống, “-”, “—”, “x”, “/” nghĩa là không có số liệu. Chữ khác trong cột số là lỗi và được "
    'báo kèm địa chỉ ô, ví dụ: Sheet "Cụm 4", ô F12: "ba" không phải là số.',
)

_UPLOAD = (
    "Kiểm tra trước, không ghi gì vào cơ sở dữ liệu: thidua validate TEN_TEP.xlsx",
    "Nạp dữ liệu: thidua load TEN_TEP.xlsx (thêm --year, --cluster, --unit, --period khi phần "
    "đầu trang thiếu thông tin đó).",
    f"Hoặc tải tệp lên ở trang “{UPLOAD_PAGE}” của bảng điều khiển (http://localhost:8501), với "
    "tài khoản có quyền tải lên.",
    "Mỗi tệp được kiểm tra toàn bộ rồi nạp trọn vẹn hoặc không nạp gì; báo cáo ghi rõ sheet, ô "
    "và lý do của từng lỗi. Nạp lại đúng tệp cũ không thay đổi gì; tệp mới cho cùng loại, năm, "
    "cụm, đơn vị và kỳ sẽ thay thế tệp cũ (tệp cũ vẫn được lưu trong lịch sử).",
)


def _write_instructions(ws: Worksheet, s: KindSpec) -> None:
    for i, width in enumerate(_GUIDE_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    total = sum(_GUIDE_WIDTHS)
    row = 0

    def paragraph(text: str, *, bold: bool = False, size: int = 12, fill: bool = False) -> None:
        nonlocal row
        row += 1
        cell = ws.cell(row=row, column=1, value=text)
        cell.font = _font(bold=bold, size=size)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        if fill:
            cell.fill = _SECTION_FILL
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(_GUIDE_WIDTHS))
        ws.row_dimensions[row].height = _LINE_HEIGHT * _lines(text, total) * size / 12 + 4

    def section(title: str, items: Sequence[str]) -> None:
        nonlocal row
        row += 1
        paragraph(title, bold=True, fill=True)
        for item in items:
            paragraph(f"• {item}")

    paragraph(f"HƯỚNG DẪN ĐIỀN MẪU {s.kind} — {s.name.upper()}", bold=True, size=14)
    section("1. Mẫu này dùng để làm gì", (s.purpose,))
    section("2. Cách điền chung", _GENERAL)

    row += 1
    paragraph("3. Các cột", bold=True, fill=True)
    row += 1
    for i, text in enumerate(("Cột", "Ý nghĩa", "Tên khác được chấp nhận"), start=1):
        cell = ws.cell(row=row, column=i, value=text)
        cell.font = _font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for c in s.columns:
        row += 1
        name = f"{c.group} › {c.header}" if c.group else c.header
        texts = (
            name + (" (bắt buộc)" if c.required else ""),
            c.meaning,
            ", ".join(c.synonyms) if c.synonyms else "—",
        )
        for i, text in enumerate(texts, start=1):
            cell = ws.cell(row=row, column=i, value=text)
            cell.font = _font(bold=i == 1)
            cell.border = _BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        lines = max(_lines(t, w) for t, w in zip(texts, _GUIDE_WIDTHS, strict=True))
        ws.row_dimensions[row].height = _LINE_HEIGHT * lines + 4

    section("4. Quy tắc riêng của mẫu này", s.rules)
    section("5. Cách ghi số", _NUMBERS)
    section("6. Nạp dữ liệu", _UPLOAD)

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
