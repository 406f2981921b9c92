"""Settings declared as data: each has a default, a type and help text.

A value comes from the environment variable ``THIDUA_<NAME>`` (upper case) or else the default.
Settings that the SQL views need (classification bands, tie-break) are copied into the database's
``settings`` table whenever the broker opens it read-write, so an analyst's notebook sees the same
rules as the dashboard.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | int | float | bool
    help: str

    def parse(self, raw: str) -> str | int | float | bool:
        if isinstance(self.default, bool):
            return raw.strip().lower() in {"1", "true", "yes", "on", "có"}
        if isinstance(self.default, int):
            return int(raw)
        if isinstance(self.default, float):
            return float(raw.replace(",", "."))
        return raw


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "data/thidua.duckdb", "Đường dẫn tệp DuckDB (cũng đặt được bằng --db)."),
    Setting(
        "originals_dir",
        "",
        "Thư mục lưu bản gốc các tệp đã nạp; trống = thư mục 'originals' cạnh tệp DuckDB.",
    ),
    Setting(
        "max_upload_mb",
        20,
        "Dung lượng tối đa của một tệp tải lên hoặc nạp (MB); máy chủ từ chối tệp lớn hơn.",
    ),
    Setting(
        "max_session_upload_mb",
        100,
        "Tổng dung lượng các tệp một tài khoản (mọi phiên của nó) được giữ trên máy chủ cùng lúc "
        "(MB).",
    ),
    Setting(
        "max_uncompressed_mb",
        256,
        "Dung lượng tối đa khi giải nén một tệp .xlsx (MB); chặn tệp 'bom nén'.",
    ),
    Setting(
        "max_cells",
        5_000_000,
        "Số ô có dữ liệu tối đa của một sheet, và cũng là diện tích tối đa của vùng chứa chúng, "
        "và tổng số ô tối đa của cả tệp.",
    ),
    Setting(
        "max_sheets",
        300,
        "Số sheet tối đa của một tệp; tệp nhiều sheet hơn bị từ chối trước khi đọc sheet nào.",
    ),
    Setting(
        "class_excellent_pct", 90.0, "Tỷ lệ điểm tối thiểu (%) để xếp loại Hoàn thành xuất sắc."
    ),
    Setting("class_good_pct", 70.0, "Tỷ lệ điểm tối thiểu (%) để xếp loại Hoàn thành tốt."),
    Setting("class_done_pct", 50.0, "Tỷ lệ điểm tối thiểu (%) để xếp loại Hoàn thành nhiệm vụ."),
    Setting(
        "tie_break",
        "none",
        "Cách phá thế đồng điểm: 'none' (đồng hạng) hoặc 'group_1' (điểm nhóm tiêu chí đầu tiên).",
    ),
    Setting(
        "today",
        "",
        "Ngày 'hôm nay' (YYYY-MM-DD) để tính tiến độ nộp báo cáo; trống = ngày của máy.",
    ),
    Setting(
        "write_wait_seconds",
        120,
        "Một thao tác ghi chờ tối đa bấy nhiêu giây khi thao tác ghi khác đang chạy, rồi báo bận.",
    ),
    Setting("view_requires_login", False, "Xem bảng điều khiển có cần đăng nhập hay không."),
    Setting(
        "login_max_failures",
        5,
        "Số lần đăng nhập sai với một tên từ một máy trước khi chặn máy đó (sai gấp 4 lần số này "
        "với mọi tên thì máy bị chặn với mọi tên chưa từng đăng nhập được từ máy đó); tài khoản "
        "không bị khóa với các máy khác.",
    ),
    Setting(
        "trusted_proxies",
        "",
        "Địa chỉ (hay dải, ví dụ 10.0.0.0/8) của reverse proxy tin cậy, cách nhau dấu phẩy; chỉ "
        "khi kết nối đến từ đó mới tin X-Forwarded-For. Trống = không tin tiêu đề nào của máy khách.",
    ),
    Setting(
        "login_lockout_minutes",
        15,
        "Thời gian chặn một máy sau khi đăng nhập sai nhiều lần (phút).",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str | int | float | bool:
    setting = _BY_NAME[name]
    raw = os.environ.get(f"THIDUA_{name.upper()}")
    return setting.default if raw is None or raw == "" else setting.parse(raw)


def db_path(explicit: str | None = None) -> Path:
    return Path(explicit or str(get("db")))


def originals_dir(db: Path) -> Path:
    configured = str(get("originals_dir"))
    if configured:
        return Path(configured)
    # The national deployment (THIDUA_CATALOG) keeps them with its shared data files.
    shared = os.environ.get("THIDUA_DATA_PATH", "").strip()
    if shared and os.environ.get("THIDUA_CATALOG", "").strip():
        return Path(shared) / "originals"
    return db.parent / "originals"


# Reference data shipped with the program (targets, published figures, award forms and rules).
REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "reference"


# The day the emulation year is seen from. Here, beside its setting, rather than with the reading of
# submissions: pages that show a status as of today do not import the workbook readers.
def today() -> date:
    """THIDUA_TODAY (YYYY-MM-DD) when set, else the machine's date."""
    raw = str(get("today") or "").strip()
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise ValueError(f"THIDUA_TODAY='{raw}' không phải ngày dạng YYYY-MM-DD.") from exc


def today_checked() -> tuple[date, str | None]:
    """today(), or the machine's date and the reason when THIDUA_TODAY is not a date."""
    try:
        return today(), None
    except ValueError as exc:
        return date.today(), f"{exc} Đang dùng ngày của máy."
