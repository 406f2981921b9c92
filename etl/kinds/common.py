"""What every kind's parser shares: load options, the membership index, numeric columns."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from etl.db.store import Rows, scope
from etl.read.layout import Layout, TitleInfo, is_footer_row
from etl.read.numbers import fast_floats, parse_number, resolve_column
from etl.read.text import canonical_cluster, closest, fold, nfc
from etl.read.workbook import Sheet, address
from etl.report import SheetReport, vn_number

# What a kind's parser returns per table: small tables as row dicts, large ones as Rows frames.
Tables = dict[str, "list[dict[str, object]] | list[Rows]"]


@dataclass
class LoadOptions:
    """What the user supplies for a file whose title block lacks it (CLI flags, upload fields)."""

    year: int | None = None
    cluster: str | None = None
    unit: str | None = None
    period: str | None = None
    user: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v is not None and k != "user"}


@dataclass
class Member:
    unit: str
    cluster: str
    role: str | None = None
    short_name: str | None = None


@dataclass
class Membership:
    """The membership list of one year: canonical names, matched loosely."""

    by_unit: dict[str, Member] = field(default_factory=dict)
    by_short: dict[str, Member] = field(default_factory=dict)
    clusters: dict[str, str] = field(default_factory=dict)

    def add(self, m: Member) -> None:
        self.by_unit[fold(m.unit)] = m
        if m.short_name:
            self.by_short[fold(m.short_name)] = m
        self.clusters[fold(m.cluster)] = m.cluster

    def find(self, name: str) -> Member | None:
        key = fold(name)
        return self.by_unit.get(key) or self.by_short.get(key)


@dataclass
class Context:
    file_name: str
    options: LoadOptions
    memberships: dict[int, Membership] = field(default_factory=dict)
    # Clusters already reported missing from a year's list: (key, year) -> where it was reported.
    missing: dict[tuple[str, int | None], str] = field(default_factory=dict)

    def year(
        self, title: TitleInfo, report: SheetReport, header_year: int | None = None
    ) -> int | None:
        year = title.year or header_year or self.options.year
        if year is None:
            report.error(
                "Không xác định được năm. Hãy ghi năm trong tiêu đề (ví dụ 'NĂM 2026') "
                "hoặc chọn năm khi tải lên (--year)."
            )
        return year

    def cluster(
        self, raw: str | None, year: int | None, report: SheetReport, cell: str | None = None
    ) -> str | None:
        raw = raw or self.options.cluster
        if not raw:
            report.error(
                "Không xác định được cụm, khối thi đua. Hãy ghi dòng 'Cụm thi đua số …' trong "
                "tiêu đề hoặc chọn cụm khi tải lên (--cluster).",
                cell,
            )
            return None
        canonical = canonical_cluster(raw)
        name = canonical or nfc(raw)
        members = self.memberships.get(year) if year is not None else None
        if members and members.clusters and fold(name) not in members.clusters:
            seen = self.missing.get((fold(name), year))
            if seen is not None:
                report.error(
                    f"'{name}' không có trong danh sách cụm, khối thi đua năm {year} (xem thông "
                    f"báo ở {seen}).",
                    cell,
                )
                return None
            self.missing[(fold(name), year)] = f"sheet '{report.name}'" + (
                f", ô {cell}" if cell else ""
            )
            if canonical:
                # "Khối thi đua số 5" is not a typo of "Cụm thi đua số 1": name what the list has.
                word = canonical.split()[0]
                same = sorted(
                    (c for c in members.clusters.values() if c.startswith(word)),
                    key=lambda c: (len(c), c),
                )
                known = (
                    f" Danh sách năm {year} có: {', '.join(same)}."
                    if same
                    else f" Danh sách năm {year} chưa có {word.lower()} thi đua nào."
                )
            else:
                known = _suggest(name, members.clusters.values())
            report.error(
                f"Không tìm thấy '{name}' trong danh sách cụm, khối thi đua năm {year}.{known} "
                f"Nếu đây là {('cụm, khối' if not canonical else word.lower())} mới, hãy tải lên "
                f"danh sách cụm, khối thi đua năm {year} có {name} trước; nếu không, hãy sửa lại "
                "tên trong tệp.",
                cell,
            )
            return None
        return name

    def unit(
        self,
        raw: str | None,
        year: int | None,
        report: SheetReport,
        cell: str | None = None,
        sheet_name: str | None = None,
    ) -> str | None:
        members = self.memberships.get(year) if year is not None else None
        if not raw and sheet_name and members and members.find(sheet_name):
            raw = sheet_name  # one sheet per unit, named by its short name
        raw = raw or self.options.unit
        if not raw:
            hint = ""
            if sheet_name and year is not None and not members:
                hint = (
                    f" Nếu tên sheet '{nfc(sheet_name)}' là tên đơn vị, hãy tải lên danh sách cụm, "
                    f"khối thi đua năm {year} trước: khi đó tên sheet được dùng làm tên đơn vị."
                )
            report.error(
                "Không xác định được đơn vị. Hãy ghi dòng 'Đơn vị: …' trong tiêu đề hoặc chọn "
                "đơn vị khi tải lên (--unit)." + hint,
                cell,
            )
            return None
        name = nfc(raw)
        if members and members.by_unit:
            found = members.find(name)
            if found is None:
                report.error(
                    f"Không tìm thấy đơn vị '{name}' trong danh sách cụm, khối thi đua năm {year}."
                    + _suggest(name, [m.unit for m in members.by_unit.values()]),
                    cell,
                )
                return None
            return found.unit
        return name

    def framework_cluster(
        self, title: TitleInfo, year: int | None, report: SheetReport
    ) -> str | None:
        """A framework's cluster, or None: issued for every cluster of the year (§6b)."""
        if not (title.cluster or self.options.cluster):
            report.warn(
                f"Bảng điểm chuẩn không ghi cụm, khối thi đua: áp dụng cho mọi cụm, khối năm {year} "
                "chưa có bảng điểm chuẩn riêng. Nếu chỉ dành cho một cụm, hãy ghi dòng 'Cụm thi "
                "đua số …' trong tiêu đề hoặc chọn cụm khi tải lên (--cluster)."
            )
            return None
        return self.cluster(title.cluster, year, report, title.cluster_cell)

    def member_cluster(self, unit: str, year: int | None) -> str | None:
        members = self.memberships.get(year) if year is not None else None
        found = members.find(unit) if members else None
        return found.cluster if found else None


def _suggest(name: str, candidates) -> str:
    near = closest(name, list(candidates))
    if not near:
        return " Hãy kiểm tra lại tên."
    return " — có phải " + " hoặc ".join(f"'{n}'" for n in near[:2]) + "?"


def framework_rows(
    frame: pl.DataFrame, constants: dict[str, object], sheet_name: str
) -> tuple[Tables, set[str]]:
    """A framework's criteria (kind F, either layout) as rows of framework_criteria."""
    key = scope("F", constants["year"], constants["cluster"])
    rows = Rows(frame, {**constants, "scope": key, "source_sheet": sheet_name})
    return {"framework_criteria": [rows]}, {key}


def text_series(sheet: Sheet, col: int | None, start: int, stop: int) -> pl.Series:
    """A column's texts, normalised like ``etl.read.text.nfc`` but vectorised; blank cells are null."""
    if col is None:
        return pl.Series([None] * (stop - start), dtype=pl.String)
    s = sheet.column(col).slice(start, stop - start)
    # Most cells are already clean: find the few that are not with one scan and fix only those
    # (combining marks of NFD text, invisible characters, runs of or edge whitespace).
    dirty = s.str.contains(
        "[\u0300-\u036f\u200b-\u200d\u2060\ufeff]|\\s\\s|[^ \\S]|^\\s|\\s$"
    ).fill_null(False)
    if dirty.any():
        idx = dirty.arg_true()
        fixed = (
            s.gather(idx)
            .str.normalize("NFC")
            .str.replace_all("[\u200b-\u200d\u2060\ufeff]", "")
            .str.replace_all(r"\s+", " ")
            .str.strip_chars()
        )
        s = s.scatter(idx, fixed)
    return s.set(s.str.len_chars() == 0, None)


def text_column(
    sheet: Sheet, col: int | None, start: int, stop: int, *, fill_merged: bool = False
) -> list[str | None]:
    """A column's texts; with ``fill_merged``, a text merged down several rows (a unit or group
    name) applies to each of them (workbooks.md §1)."""
    values = text_series(sheet, col, start, stop).to_list()
    if fill_merged and col is not None:
        for r1, r2 in vertical_merges(sheet, col, start, stop):
            anchor = values[r1 - start] if r1 >= start else None
            for r in range(max(r1, start), min(r2 + 1, stop)):
                values[r - start] = anchor
    return values


def shown_column(sheet: Sheet, col: int | None, start: int, stop: int) -> list[str | None]:
    """A column's texts as the clerk sees them: a formatted number as its format shows it
    ("90,0%", "12.500"), the text kept beside a figure (workbooks.md §1)."""
    values = text_column(sheet, col, start, stop)
    if col is not None and sheet.formats:
        for r, c in sheet.formats:
            if c == col and start <= r < stop:
                values[r - start] = sheet.shown(r, c)
    if col is not None:
        # A number in a General cell shows a decimal comma on a Vietnamese machine ("7,5" for
        # 7.5); text typed "7.5" shows as typed.
        for off, raw in enumerate(values):
            r = start + off
            if (
                raw is not None
                and _STORED_DECIMAL.match(raw)
                and (r, col) not in sheet.formats
                and not sheet.typed_as_text(r, col, raw)
            ):
                values[off] = raw.replace(".", ",")
    return values


_STORED_DECIMAL = re.compile(r"^-?[0-9]+\.[0-9]+$")


def vertical_merges(sheet: Sheet, col: int, start: int, stop: int) -> list[tuple[int, int]]:
    """(first row, last row) of each merged range that starts in ``col`` and spans rows of the
    table [start, stop)."""
    return [
        (r1, r2)
        for r1, c1, r2, _c2 in sheet.merged
        if c1 == col and r2 > r1 and r1 < stop and r2 >= start
    ]


def merged_range(r1: int, r2: int, col: int) -> str:
    """The address a message names for a merged range: "F12:F13"."""
    return f"{address(r1, col)}:{address(r2, col)}"


@dataclass
class NumericColumn:
    values: list[float | None]
    text: dict[int, str]  # row offset -> text that is not a number (qualitative words)
    percent: set[int]
    series: pl.Series | None = None  # the same values as a Float64 series

    def as_series(self) -> pl.Series:
        if self.series is None:
            self.series = pl.Series(self.values, dtype=pl.Float64)
        return self.series


def numeric_column(
    sheet: Sheet,
    col: int | None,
    start: int,
    stop: int,
    report: SheetReport,
    *,
    label: str,
    amounts: bool = False,
    words_ok: Callable[[str], bool] | None = None,
) -> NumericColumn:
    """Parse a column of numbers typed any way offices type them.

    Plain numbers take the vectorised path; only the rest go through the slow parser. A cell that
    is not a number is an error naming it, unless ``words_ok`` accepts the text (qualitative
    results, rules written in the framework's columns).
    """
    n = stop - start
    if col is None:
        return NumericColumn([None] * n, {}, set(), pl.Series([None] * n, dtype=pl.Float64))
    series = sheet.column(col).slice(start, n)
    floats, slow = fast_floats(series)
    # "0,75" is by far the commonest typed-as-text form: read it vectorised too.
    comma = slow & series.str.contains(r"^\s*[-+]?\d{1,15},\d+\s*$").fill_null(False)
    if comma.any():
        floats = floats.zip_with(
            ~comma, series.str.strip_chars().str.replace(",", ".").cast(pl.Float64, strict=False)
        )
        slow = slow & ~comma
    values: list[float | None] = floats.to_list()
    text: dict[int, str] = {}
    percent: set[int] = set()
    slow_rows = slow.arg_true().to_list()
    if slow_rows:
        raws = series.gather(slow_rows).to_list()
        parsed = [parse_number(r) for r in raws]
        examples = [
            e
            for e in (
                _dot_decimal_example(series),
                series.filter(comma)[0] if comma.any() else None,
            )
            if e
        ]
        resolved = resolve_column([parse_number(e) for e in examples] + parsed, amounts)[
            len(examples) :
        ]
        for off, raw, p in zip(slow_rows, raws, resolved, strict=True):
            cell = address(start + off, col)
            if p.kind == "number":
                values[off] = p.value
                if p.percent:
                    percent.add(off)
            elif p.kind == "ambiguous":
                if not sheet.typed_as_text(start + off, col, raw):
                    values[off] = p.value  # a real number cell, shown by the reader with a dot
                else:
                    report.error(
                        f'"{raw}" ở cột {label} không rõ là {vn_number(p.value, 3)} hay '
                        f"{vn_number(p.alt, 3)}. Hãy gõ lại rõ ràng (ví dụ 80000 hoặc 80,5).",
                        cell,
                    )
            elif p.kind == "text":
                clean = nfc(raw or "")
                if words_ok is not None and words_ok(clean):
                    text[off] = clean
                else:
                    report.error(
                        f'"{clean}" không phải là số (cột {label}). Hãy nhập một số.', cell
                    )
        return NumericColumn(values, text, percent)
    return NumericColumn(values, text, percent, floats)


def _dot_decimal_example(series: pl.Series) -> str | None:
    hit = series.filter(series.str.contains(r"^\s*[-+]?\d+\.(\d{1,2}|\d{4,})\s*$"))
    return hit[0] if hit.len() else None


def check_cells(sheet: Sheet, rows: range, cols: list[int], report: SheetReport) -> None:
    """Error cells and formulas without a saved value, inside the table only."""
    colset = set(cols)
    for (r, c), err in sheet.errors.items():
        if r in rows and c in colset:
            report.error(
                f"Ô có lỗi công thức {err}. Hãy sửa công thức hoặc nhập giá trị.", address(r, c)
            )
    for r, c in sheet.formulas_without_value:
        if r in rows and c in colset:
            formula = sheet.formulas.get((r, c))
            shown = f" (={formula})" if formula else ""
            report.error(
                f"Ô có công thức{shown} nhưng tệp không lưu giá trị đã tính và công thức này không "
                "tính lại được. Hãy mở tệp bằng Excel, nhấn F9 rồi lưu lại, hoặc nhập giá trị.",
                address(r, c),
            )


def table_span(
    sheet: Sheet, layout: Layout, report: SheetReport, numeric_cols: list[int] | None = None
) -> tuple[int, int]:
    """The preamble of every parser: the table's first data row and the row after its last
    (footer rows left out), with error cells and unsaved formulas of its number columns
    reported."""
    numeric = numeric_cols or []
    stop = table_end(sheet, layout, numeric, layout.columns.get("code"))
    if numeric:
        check_cells(sheet, range(layout.data_start, stop), numeric, report)
    return layout.data_start, stop


def table_end(sheet: Sheet, layout: Layout, numeric_cols: list[int], code_col: int | None) -> int:
    """The first footer row under the table (signatures, "Nơi nhận", a date line), or the end.

    Footer rows carry no number in number columns and no short code, so only such rows are
    tested; a signature ("T/M CỤM THI ĐUA SỐ 4") may well sit in a score column.
    """
    start, stop = layout.data_start, layout.data_stop
    if stop <= start:
        return start
    frame = sheet.frame.slice(start, stop - start)
    cond = pl.lit(True)
    for c in numeric_cols:
        if f"c{c}" in frame.columns:
            cell = pl.col(f"c{c}")
            # A date cell ("2026-06-19 00:00:00") is no number: it may be the date line.
            date_cell = cell.str.contains(r"^(?:19|20)\d\d-\d\d-\d\d(?: 00:00:00)?$")
            cond = cond & (cell.is_null() | ~cell.str.contains(r"^\s*[-+−–—(]?\s*\d") | date_cell)
    if code_col is not None and f"c{code_col}" in frame.columns:
        code = pl.col(f"c{code_col}")
        cond = cond & (code.is_null() | (code.str.len_chars() > 8))
    candidates = frame.select(cond.alias("x"))["x"].arg_true().to_list()
    for off in candidates:
        row = sheet.rows(start + off, start + off + 1)[0]
        if is_footer_row(row):
            return start + off
    return stop
