"""Excel export of the public views (interface.md §2): one formatted sheet per view.

Which views may be exported, their columns, Vietnamese headers, number formats and the words shown
for coded values are declared here as data (``VIEWS``); the page buttons and ``thidua export
table`` both go through :func:`select_view` and :func:`to_xlsx` (the sheet itself, and the
guard against text that would run as a formula, is :mod:`dashboard.export.xlsx`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from dashboard.export import xlsx
from dashboard.format import MET_LABELS, PERIOD_LABELS, STATUS_LABELS, file_slug
from etl.db import quote_ident

SCORE = "#,##0.00"
PERCENT = "#,##0.0"  # values already in percent units (93.5, not 0.935)
INTEGER = "0"  # years, ranks, ids: no thousands separator
COUNT = "#,##0"
DATE = "dd/mm/yyyy"

DIRECTION_LABELS = {
    "higher": "Càng cao càng tốt",
    "lower": "Càng thấp càng tốt",
    "qualitative": "Định tính",
    "band": "Trong khoảng mục tiêu",
    "decrease": "Giảm mỗi năm",
}


@dataclass(frozen=True)
class Column:
    name: str
    header: str
    number_format: str | None = None
    labels: Mapping[Any, str] | None = None  # coded value -> words; other values shown as they are
    missing: str | None = None  # the words for NULL, where an empty cell would mislead


@dataclass(frozen=True)
class ViewExport:
    view: str
    title: str  # the sheet's name (at most 31 characters)
    slug: str  # the ASCII start of the file name
    order_by: str
    columns: tuple[Column, ...]

    @property
    def filters(self) -> frozenset[str]:
        """The filters this view can take: those of its columns."""
        return frozenset(FILTERS).intersection(c.name for c in self.columns)


FILTERS = ("year", "cluster", "unit", "period")

YEAR = Column("year", "Năm", INTEGER)
CLUSTER = Column("cluster", "Cụm, khối thi đua")
UNIT = Column("unit", "Đơn vị")
IMPORT_ID = Column("import_id", "Mã lần nạp", INTEGER)
SOURCE_FILE = Column("source_file", "Tệp nguồn")
SOURCE_SHEET = Column("source_sheet", "Sheet")
SOURCE_CELL = Column("source_cell", "Ô")

VIEWS: dict[str, ViewExport] = {
    v.view: v
    for v in (
        ViewExport(
            "v_unit_scores",
            "Xếp hạng",
            "xep-hang",
            "year, cluster, rank NULLS LAST, unit",
            (
                YEAR,
                CLUSTER,
                UNIT,
                Column("max_score", "Điểm tối đa", SCORE),
                Column("self_score", "Tự chấm", SCORE),
                Column("assessed_score", "Cụm chấm", SCORE),
                Column("bonus", "Điểm thưởng", SCORE),
                Column("deduction", "Điểm trừ", SCORE),
                Column("total_score", "Tổng điểm", SCORE),
                Column(
                    "score_basis",
                    "Tổng điểm tính theo",
                    labels={"assessed": "Cụm chấm", "self": "Tự chấm"},
                ),
                Column("rank", "Hạng", INTEGER),
                Column("not_ranked_reason", "Lý do không xếp hạng"),
                Column("classification", "Xếp loại"),
                Column("file_rank", "Hạng theo tệp", INTEGER),
                IMPORT_ID,
                Column("score_pct", "% điểm chuẩn", PERCENT),
                Column("is_leading", "Dẫn đầu", labels={True: "Dẫn đầu", False: ""}),
                Column("proposal", "Đề nghị khen thưởng"),
                SOURCE_FILE,
                SOURCE_SHEET,
                SOURCE_CELL,
            ),
        ),
        ViewExport(
            "v_criterion_scores",
            "Điểm theo tiêu chí",
            "diem-tieu-chi",
            "year, cluster, unit, seq",
            (
                YEAR,
                CLUSTER,
                UNIT,
                Column("seq", "Thứ tự dòng", INTEGER),
                Column("code", "Mã"),
                Column("parent_seq", "Thứ tự dòng cha", INTEGER),
                Column("level", "Cấp", INTEGER),
                Column("criterion", "Tiêu chí"),
                Column(
                    "section",
                    "Phần",
                    labels={
                        "criterion": "Tiêu chí",
                        "bonus": "Điểm thưởng",
                        "deduction": "Điểm trừ",
                    },
                ),
                Column("max_points", "Điểm chuẩn", SCORE),
                Column("self_score", "Tự chấm", SCORE),
                Column("assessed_score", "Cụm chấm", SCORE),
                SOURCE_FILE,
                SOURCE_SHEET,
                SOURCE_CELL,
                IMPORT_ID,
                # What the Đơn vị page shows: a blank row's score is the sum of its children.
                Column("self_computed", "Tự chấm (tính cả dòng con)", SCORE),
                Column("assessed_computed", "Cụm chấm (tính cả dòng con)", SCORE),
                Column("note", "Ghi chú"),
            ),
        ),
        ViewExport(
            "v_target_completion",
            "Hoàn thành chỉ tiêu",
            "chi-tieu",
            "year, list_position(['year', 'H1', 'Q1', 'Q2', 'Q3', 'Q4'], period) NULLS LAST, period, "
            "cluster, unit, seq",
            (
                YEAR,
                Column("period", "Kỳ", labels=PERIOD_LABELS),
                CLUSTER,
                UNIT,
                Column("target", "Chỉ tiêu"),
                Column("uom", "ĐVT"),
                Column("direction", "Chiều", labels=DIRECTION_LABELS),
                Column("planned", "Kế hoạch", SCORE),
                Column("actual", "Thực hiện", SCORE),
                Column("planned_text", "Kế hoạch (ghi trong tệp)"),
                Column("actual_text", "Thực hiện (ghi trong tệp)"),
                Column("completion_pct", "% hoàn thành", PERCENT),
                Column(
                    "met",
                    "Kết quả",
                    labels={k: v for k, v in MET_LABELS.items() if k is not None},
                    missing=MET_LABELS[None],
                ),
                SOURCE_FILE,
                SOURCE_SHEET,
                Column("source_row", "Dòng", INTEGER),
                IMPORT_ID,
                Column("code", "Mã"),
                Column("file_pct", "Tỷ lệ ghi trong tệp (%)", PERCENT),
                Column("note", "Ghi chú"),
            ),
        ),
        ViewExport(
            "v_province_indicators",
            "Chỉ tiêu KT-XH",
            "chi-tieu-ktxh",
            "indicator_key, year",
            (
                Column("indicator", "Chỉ tiêu"),
                Column("uom", "ĐVT"),
                YEAR,
                Column("value", "Giá trị", SCORE),
                Column(
                    "value_kind",
                    "Loại số liệu",
                    labels={"actual": "Thực hiện", "estimate": "Ước thực hiện", "plan": "Kế hoạch"},
                ),
                Column("target_text", "Mục tiêu"),
                Column("target_low", "Mục tiêu: mức dưới", SCORE),
                Column("target_high", "Mục tiêu: mức trên", SCORE),
                Column("target_direction", "Cách so với mục tiêu", labels=DIRECTION_LABELS),
                Column("status", "Đánh giá", labels=STATUS_LABELS),
                Column("source", "Nguồn số liệu"),
                IMPORT_ID,
                Column("basis", "Cơ sở số liệu"),
                Column("change", "Thay đổi so với năm trước", SCORE),
                SOURCE_FILE,
                SOURCE_SHEET,
                SOURCE_CELL,
            ),
        ),
        ViewExport(
            "v_cluster_members",
            "Danh sách cụm, khối",
            "danh-sach-cum",
            "year, cluster, unit",
            (
                YEAR,
                CLUSTER,
                UNIT,
                Column("role", "Vai trò"),
                Column("short_name", "Tên viết tắt"),
                IMPORT_ID,
            ),
        ),
        ViewExport(
            "v_framework_criteria",
            "Bảng điểm chuẩn",
            "bang-diem-chuan",
            "year, cluster NULLS FIRST, seq",
            (
                YEAR,
                Column("cluster", "Cụm, khối thi đua", missing="Mọi cụm, khối"),
                Column("seq", "Thứ tự dòng", INTEGER),
                Column("code", "Mã"),
                Column("parent_seq", "Thứ tự dòng cha", INTEGER),
                Column("level", "Cấp", INTEGER),
                Column("criterion", "Tiêu chí"),
                Column("max_points", "Điểm chuẩn", SCORE),
                IMPORT_ID,
                Column("bonus_allowed", "Thưởng", SCORE),
                Column("deduction_allowed", "Trừ", SCORE),
                SOURCE_FILE,
                SOURCE_SHEET,
                SOURCE_CELL,
            ),
        ),
        ViewExport(
            "v_submissions",
            "Tiến độ nộp báo cáo",
            "tien-do-nop-bao-cao",
            "year, due_date, cluster, unit",
            (
                YEAR,
                Column("period", "Kỳ", labels=PERIOD_LABELS),
                CLUSTER,
                UNIT,
                Column("due_date", "Hạn nộp", DATE),
                Column("submitted_on", "Ngày nộp", DATE),
                Column("status", "Tình trạng"),
                Column("days_late", "Số ngày trễ", INTEGER),
                IMPORT_ID,
            ),
        ),
        ViewExport(
            "v_award_proposals",
            "Đề nghị khen thưởng",
            "de-nghi-khen-thuong",
            "year, cluster, award, rank NULLS LAST, name",
            (
                YEAR,
                CLUSTER,
                Column("name", "Tên tập thể, cá nhân"),
                Column("award", "Hình thức khen thưởng"),
                Column("achievement", "Thành tích"),
                Column("decision", "Quyết định"),
                Column("status", "Kết quả kiểm tra"),
                Column("rule", "Quy tắc (căn cứ)"),
                Column("reason", "Lý do"),
                SOURCE_FILE,
                SOURCE_SHEET,
                Column("source_row", "Dòng", INTEGER),
                IMPORT_ID,
            ),
        ),
        ViewExport(
            "v_imports",
            "Lịch sử nhập",
            "lich-su-nhap",
            "import_id",
            (
                IMPORT_ID,
                Column("file_name", "Tệp"),
                Column("sha256", "SHA-256"),
                Column("kinds", "Loại bảng"),
                Column("rows_loaded", "Số dòng", COUNT),
                Column(
                    "status",
                    "Trạng thái",
                    labels={"loaded": "Đã nạp", "superseded": "Bị thay thế", "retracted": "Đã rút"},
                ),
                Column("superseded_by", "Bị thay thế bởi lần nạp", INTEGER),
                Column("loaded_by", "Người nạp"),
                Column("loaded_at", "Thời điểm nạp", xlsx.DATETIME),
                Column("replaced_by", "Đã được thay (toàn bộ hay một phần) bởi lần nạp"),
                Column("status_note", "Ghi chú"),
            ),
        ),
    )
}


def spec(view: str) -> ViewExport:
    """The declaration of ``view``; a ValueError (in Vietnamese) for any other name."""
    try:
        return VIEWS[view]
    except KeyError:
        raise ValueError(
            f"Không xuất được '{view}': chỉ xuất được các view {', '.join(VIEWS)}."
        ) from None


def select_view(
    cur: duckdb.DuckDBPyConnection,
    view: str,
    *,
    year: int | None = None,
    cluster: str | None = None,
    unit: str | None = None,
    period: str | None = None,
) -> pl.DataFrame:
    """The declared columns of ``view``, filtered on whichever of the given filters it has."""
    s = spec(view)
    given = {"year": year, "cluster": cluster, "unit": unit, "period": period}
    params = {k: v for k, v in given.items() if v is not None and k in s.filters}
    where = " AND ".join(f"{quote_ident(k)} = ${k}" for k in params)
    query = (
        f"SELECT {', '.join(quote_ident(c.name) for c in s.columns)} FROM {quote_ident(s.view)}"
        + (f" WHERE {where}" if where else "")
        + f" ORDER BY {s.order_by}"
    )
    return cur.sql(query, params=params or None).pl()


def _shown(frame: pl.DataFrame, columns: list[Column]) -> pl.DataFrame:
    """The values as the sheet shows them: words for coded values."""
    exprs = []
    for c in columns:
        e = pl.col(c.name)
        if c.labels is not None:
            default = None if frame.schema[c.name] == pl.Boolean else e.cast(pl.String)
            e = e.replace_strict(dict(c.labels), default=default, return_dtype=pl.String)
        if c.missing is not None:
            e = e.fill_null(c.missing)
        exprs.append(e.alias(c.name))
    return frame.select(exprs)


def _about(
    s: ViewExport, rows: int, filters: Mapping[str, Any], database: str | None
) -> list[tuple[str, Any]]:
    by_name = {c.name: c for c in s.columns}
    applied = []
    for name in FILTERS:
        value = filters.get(name)
        if value is not None and name in s.filters:
            labels = by_name[name].labels or {}
            applied.append(f"{by_name[name].header}: {labels.get(value, value)}")
    about: list[tuple[str, Any]] = [
        ("Bảng", s.title),
        ("Bảng dữ liệu gốc", s.view),
        ("Bộ lọc", "; ".join(applied) or "không lọc"),
        ("Số dòng", rows),
        ("Thời điểm xuất", datetime.now().replace(microsecond=0)),
    ]
    if database:
        about.append(("Cơ sở dữ liệu", database))
    about.append(
        (
            "Ghi chú",
            "Trạng thái hiện hành: số liệu của lần nạp bị thay thế hoặc đã rút không có ở đây.",
        )
    )
    return about


def to_xlsx(
    frame: pl.DataFrame,
    view: str,
    *,
    filters: Mapping[str, Any] | None = None,
    database: str | None = None,
) -> bytes:
    """``frame`` (rows of ``view``) as an .xlsx: Vietnamese bold header, frozen and filterable,
    fitted widths, Excel number formats, codes in words; a second sheet "Thông tin" says which
    view, which filters, when and from which database."""
    s = spec(view)
    columns = [c for c in s.columns if c.name in frame.columns]
    return xlsx.workbook(
        _shown(frame, columns),
        title=s.title,
        headers=[c.header for c in columns],
        formats=[c.number_format for c in columns],
        about=_about(s, frame.height, filters or {}, database),
    )


def _database_path(cur: duckdb.DuckDBPyConnection) -> str | None:
    rows = cur.sql(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()
    return rows[0][0] if rows else None


def write_view(cur: duckdb.DuckDBPyConnection, view: str, path: Path, **filters: Any) -> int:
    """Export ``view`` (filtered) to the .xlsx file ``path``; the number of rows written."""
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"Tệp xuất phải có đuôi .xlsx (đã cho: '{path.name}').")
    frame = select_view(cur, view, **filters)
    path.write_bytes(to_xlsx(frame, view, filters=filters, database=_database_path(cur)))
    return frame.height


def file_name(view: str, **filters: Any) -> str:
    """The download name: ``xep-hang_2026_cum-thi-dua-so-1.xlsx``."""
    s = spec(view)
    parts = [s.slug]
    parts += [file_slug(str(filters[k])) for k in FILTERS if k in s.filters and filters.get(k)]
    return "_".join(p for p in parts if p) + ".xlsx"
