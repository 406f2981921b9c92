"""The workbook kinds thidua reads, each declared once (workbooks.md).

A declaration says everything the program knows of a kind: its code and Vietnamese label, the
column roles the reader looks for, the parser that turns a recognised sheet into rows, the blank
template offered for download, and what else a parsed sheet stands for (submissions, award
proposals). The loader, the template command, the upload page and the command line all ask
here. Adding a kind is one declaration, its parser module and its tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

from etl.kinds import awards, submissions, templates
from etl.kinds.calendar import parse_calendar
from etl.kinds.common import Context, LoadOptions, Tables
from etl.kinds.framework import parse_framework
from etl.kinds.indicators import parse_indicators
from etl.kinds.proposals import parse_proposals
from etl.kinds.scoring import parse_scoring
from etl.kinds.summary import parse_summary
from etl.kinds.targets import parse_targets
from etl.read.layout import ColumnRoles, Layout, TitleInfo
from etl.read.workbook import Sheet
from etl.report import SheetReport


class Parser(Protocol):
    """The one signature of every kind's parser: a recognised sheet in, rows and the scopes they
    replace out (None when the sheet cannot be loaded; its report says why)."""

    def __call__(
        self,
        sheet: Sheet,
        layout: Layout,
        title: TitleInfo,
        ctx: Context,
        report: SheetReport,
        file_name: str,
    ) -> tuple[Tables, set[str]] | None: ...


@dataclass(frozen=True)
class Parsed:
    """What the derivations of a kind see of one parsed sheet."""

    code: str
    tables: Tables
    title: TitleInfo
    options: LoadOptions
    report: SheetReport
    file_name: str
    sheet: Sheet
    data_start: int


# A derivation: further rows a parsed sheet stands for (submissions, proposals in a summary).
Derive = Callable[[Parsed], Tables]


def _submissions(p: Parsed) -> Tables:
    bad = p.title.bad_date
    if (
        p.title.date is None
        and bad is None
        and submissions.footer_date(p.sheet, p.data_start) is None
    ):
        bad = submissions.footer_bad_date(p.sheet, p.data_start)
    if p.title.date is None and bad is not None:
        text, cell = bad
        p.report.warn(
            f'Ngày ghi trên văn bản "{text}" không có thật (tháng đó không có ngày này), nên '
            "không dùng được làm ngày nộp: đang dùng ngày nạp tệp. Hãy sửa lại ngày cho đúng.",
            cell,
        )
    return submissions.derive(
        p.code, p.tables, p.title, p.options, p.report.name, p.file_name, p.sheet, p.data_start
    )


def _summary_proposals(p: Parsed) -> Tables:
    return {**awards.derive_from_summary(p.tables, p.report.name, p.report.warn)}


@dataclass(frozen=True)
class Kind:
    code: str
    label: str  # what the upload page and the template list call it
    columns: ColumnRoles  # what its header may name, and must, for a sheet to be this kind
    parser: Parser | None  # None: read first, on its own road (membership lists, kind E)
    template: Callable[[int], templates.KindSpec]
    derives: tuple[Derive, ...] = ()

    @property
    def title(self) -> str:
        return f"{self.code} — {self.label}"


KINDS: tuple[Kind, ...] = (  # in the order that wins when two kinds fit a header equally
    Kind(
        "A",
        "Bảng chấm điểm thi đua của một đơn vị",
        ColumnRoles(
            uses=(
                "code",
                "criterion",
                "max",
                "bonus_allowed",
                "deduction_allowed",
                "self",
                "assessed",
                "note",
            ),
            needs=("code", "criterion", "max", ("self", "assessed")),
        ),
        parse_scoring,
        templates.spec_a,
        (_submissions,),
    ),
    Kind(
        "A2",
        "Bảng chấm điểm chéo",
        ColumnRoles(
            uses=("code", "criterion", "max", "bonus_allowed", "deduction_allowed", "note"),
            needs=("criterion", "max"),
        ),
        parse_scoring,
        templates.spec_a2,
        (_submissions,),
    ),
    Kind(
        "B",
        "Bảng tổng hợp kết quả chấm điểm của cụm",
        ColumnRoles(
            uses=(
                "code",
                "unit",
                "self",
                "assessed",
                "bonus",
                "deduction",
                "total",
                "rank",
                "classification",
                "proposal",
                "note",
                "cluster",
                "year",
            ),
            needs=("unit", ("total", "self", "assessed")),
        ),
        parse_summary,
        templates.spec_b,
        (_submissions, _summary_proposals),
    ),
    Kind(
        "C",
        "Đăng ký chỉ tiêu thi đua / kết quả thực hiện",
        ColumnRoles(
            uses=(
                "code",
                "target",
                "uom",
                "planned",
                "actual",
                "pct",
                "direction",
                "note",
                "unit",
                "period",
                "year",
                "cluster",
            ),
            needs=("target", "planned"),
        ),
        parse_targets,
        templates.spec_c,
        (_submissions,),
    ),
    Kind(
        "D",
        "Chỉ tiêu kinh tế - xã hội của tỉnh",
        ColumnRoles(
            uses=("code", "indicator", "uom", "source", "note"),
            needs=("indicator",),
        ),
        parse_indicators,
        templates.spec_d,
    ),
    Kind(
        "E",
        "Danh sách cụm, khối thi đua",
        ColumnRoles(
            uses=("code", "unit", "cluster", "role", "short_name", "year", "note"),
            needs=("unit",),
        ),
        None,
        templates.spec_e,
    ),
    Kind(
        "F",
        "Bảng điểm chuẩn (khung tiêu chí) của cụm, khối",
        ColumnRoles(
            uses=(
                "code",
                "level",
                "order",
                "criterion",
                "max",
                "bonus_allowed",
                "deduction_allowed",
                "note",
            ),
            needs=("criterion", "max", ("code", "level")),
        ),
        parse_framework,
        templates.spec_f,
    ),
    Kind(
        "G",
        "Danh sách đề nghị khen thưởng",
        ColumnRoles(
            uses=(
                "code",
                "unit",
                "person",
                "award",
                "achievement",
                "decision",
                "decision_date",
                "note",
                "cluster",
                "year",
            ),
            needs=(("unit", "person"), "award"),
        ),
        parse_proposals,
        templates.spec_g,
    ),
    Kind(
        "H",
        "Lịch thi đua",
        ColumnRoles(
            uses=("code", "phase", "theme", "start", "end", "note", "cluster"),
            needs=(("phase", "theme"), "start", "end"),
        ),
        parse_calendar,
        templates.spec_h,
    ),
)
CODES: tuple[str, ...] = tuple(k.code for k in KINDS)
BY_CODE: dict[str, Kind] = {k.code: k for k in KINDS}
# What the reader is told to look for: each kind's column roles, in declaration order.
COLUMN_ROLES: dict[str, ColumnRoles] = {k.code: k.columns for k in KINDS}


def kind(code: str) -> Kind:
    """The declaration of ``code`` (case-insensitive); a Vietnamese ValueError if none."""
    found = BY_CODE.get(code.strip().upper())
    if found is None:
        raise ValueError(
            f"Không có mẫu cho loại bảng “{code}”. Các loại hợp lệ: {', '.join(CODES)}."
        )
    return found


def template_spec(code: str, year: int | None = None) -> templates.KindSpec:
    """The template spec of ``code`` for ``year`` (default: this year)."""
    declared = kind(code)
    if year is None:
        year = date.today().year
    if not 2000 <= year <= 2100:
        raise ValueError(f"Năm không hợp lệ: {year}. Hãy ghi năm từ 2000 đến 2100.")
    return declared.template(year)


def write_template(code: str, path: Path, year: int | None = None) -> Path:
    """Write a blank, styled template of kind ``code`` to ``path`` (.xlsx)."""
    year = date.today().year if year is None else year
    return templates.write_spec(template_spec(code, year), path, year)
