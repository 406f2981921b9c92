"""Vietnamese number and text formatting for tables, metrics and captions (no Streamlit, no DB)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import polars as pl

from etl import report

DASH = "–"

PERIOD_LABELS = {
    "year": "Cả năm",
    "H1": "6 tháng đầu năm",
    "Q1": "Quý I",
    "Q2": "Quý II",
    "Q3": "Quý III",
    "Q4": "Quý IV",
}
PERIOD_ORDER = ["year", "H1", "Q1", "Q2", "Q3", "Q4"]
# The report due for each period (Tiến độ nộp báo cáo, Lịch thi đua, the pack).
REPORT_LABELS = {
    "H1": "Sơ kết 6 tháng",
    "year": "Tổng kết năm",
    "Q1": "Quý I",
    "Q2": "Quý II",
    "Q3": "Quý III",
    "Q4": "Quý IV",
}

# How an indicator compares with its target, and whether a target was met.
STATUS_LABELS = {"đạt": "Đạt", "vượt": "Vượt", "chưa đạt": "Chưa đạt"}
MET_LABELS = {True: "Đạt", False: "Chưa đạt", None: "Chưa có kết quả"}

STATUS_COLORS = {"đạt": "green", "vượt": "blue", "chưa đạt": "red"}
# 1 July 2025: Lâm Đồng, Đắk Nông and Bình Thuận merged and the district level was abolished.
MERGER_YEAR = 2025


def era(year: int) -> int:
    """0 before the merger, 1 after: series are never joined across eras."""
    return 0 if year < MERGER_YEAR else 1


NOT_COMPARED = "chưa so sánh"


def not_compared_reason(row: dict[str, Any], previous: dict[str, Any] | None) -> str:
    """Why a year of an indicator has no status (the page and the pack say the same)."""
    if row.get("target_low") is None and row.get("target_high") is None:
        return "chưa có mục tiêu để so sánh"
    if row.get("target_direction") != "decrease":
        return "chưa có số liệu"
    if previous is None:
        return "năm đầu của chuỗi số liệu, chưa có năm trước để tính mức giảm"
    if era(row["year"]) != era(previous["year"]):
        return "năm trước thuộc tỉnh trước sáp nhập 01/7/2025, không so được"
    if row.get("basis_break"):
        basis = row.get("basis") or "cơ sở số liệu mới"
        return f"từ năm này tính theo {basis}, khác năm trước, không so được"
    if row["year"] - previous["year"] != 1:
        return f"thiếu số liệu năm {row['year'] - 1} để tính mức giảm"
    return "chưa có số liệu để tính mức giảm"


def status_texts(frame: pl.DataFrame) -> list[str]:
    """The status of each year of one indicator (frame sorted by year), with the reason when a
    year is not compared: "chưa so sánh (năm đầu của chuỗi số liệu, …)"."""
    out, previous = [], None
    for row in frame.iter_rows(named=True):
        status = row.get("status")
        out.append(status or f"{NOT_COMPARED} ({not_compared_reason(row, previous)})")
        previous = row
    return out


# The marks Streamlit's Markdown reads as formatting anywhere in a line (bold, links, :red[...]
# directives, $math$, HTML, tables, headings), and those that start a list or a heading.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|~:$])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])", re.MULTILINE)


# Streamlit's Markdown (GitHub's flavour) turns bare addresses into links after the escapes are
# read: "https://…", "www.…" and "ai@nơi.vn" become links however their marks are escaped. An
# invisible word joiner (U+2060) before the address, or after the "@", is neither a space nor a
# mark, so the address no longer starts a word and nothing links; the text reads the same.
_ADDRESS = re.compile(r"(?i)(?=(?:https?|ftp)://|www\.)")
_JOINER = "\u2060"


def md_text(text: object) -> str:
    """Text from a workbook for st.title, st.markdown, st.caption, st.info ... (which read
    Markdown): shown as typed. A unit named ``:red[**C**]`` or ``$$x$$`` is not formatted, and
    ``<a href="https://…">B</a>``, a bare web address or an e-mail address is never a link."""
    unlinked = _ADDRESS.sub(_JOINER, str(text)).replace("@", "@" + _JOINER)
    escaped = _MARKDOWN.sub(r"\\\1", unlinked)
    escaped = _LINE_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], escaped)
    return escaped.replace("\n", "  \n")


def _is_missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def vn_number(x: float | int | None, decimals: int = 1, *, trim: bool = False) -> str:
    """12489.4 -> "12.489,4": dot for thousands, comma for decimals; None -> "–".

    With ``trim`` trailing zeros of the decimals are dropped: "92,50" -> "92,5", "95,00" -> "95".
    """
    if _is_missing(x):
        return DASH
    return report.vn_number(x, decimals, trim=trim)  # type: ignore[arg-type]


def vn_percent(x: float | None, decimals: int = 1) -> str:
    """A percentage that is already in percent units: 93.456 -> "93,5%"."""
    return DASH if _is_missing(x) else f"{vn_number(x, decimals)}%"


def vn_score(x: float | None) -> str:
    """A score as Vietnamese score sheets write it: up to two decimals, no trailing zeros."""
    return vn_number(x, 2, trim=True)


def vn_number_expr(expr: pl.Expr, decimals: int = 1, *, trim: bool = False) -> pl.Expr:
    """The vectorised twin of :func:`vn_number`, for whole table columns."""
    value = expr.cast(pl.Float64)
    scaled = (value.abs() * 10**decimals).round(0).cast(pl.Int64)
    whole = (scaled // 10**decimals).cast(pl.String)
    grouped = (
        whole.str.reverse().str.replace_all(r"(\d{3})", "${1}.").str.strip_suffix(".").str.reverse()
    )
    text = grouped
    if decimals > 0:
        frac = (scaled % 10**decimals).cast(pl.String).str.zfill(decimals)
        if trim:
            frac = frac.str.strip_chars_end("0")
        text = pl.when(frac == "").then(grouped).otherwise(grouped + "," + frac)
    sign = pl.when((value < 0) & (scaled > 0)).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.when(value.is_null() | value.is_nan()).then(pl.lit(DASH)).otherwise(sign + text)


def figure_or_text_expr(value: str, text: str) -> pl.Expr:
    """A target's planned or actual figure as typed: the number in Vietnamese form, else the text
    of the cell ("Hoàn thành", "≥ 95%")."""
    return pl.coalesce(
        vn_number_expr(pl.col(value), 2, trim=True).replace(DASH, None), pl.col(text)
    )


def rank_label(rank: int | None, tied: bool, reason: str | None = None) -> str:
    if rank is None:
        return f"Không xếp hạng ({reason})" if reason else "Không xếp hạng"
    return f"{rank} (đồng hạng)" if tied else str(rank)


def rank_label_expr(rank: str = "rank", tied: str = "tied") -> pl.Expr:
    r = pl.col(rank).cast(pl.String)
    return (
        pl.when(pl.col(rank).is_null())
        .then(pl.lit("Không xếp hạng"))
        .when(pl.col(tied).fill_null(False))
        .then(r + " (đồng hạng)")
        .otherwise(r)
    )


def source_ref_expr(
    file: str = "source_file",
    sheet: str = "source_sheet",
    cell: str | None = "source_cell",
    cell_word: str = "ô ",
) -> pl.Expr:
    parts = [pl.col(file), pl.col(sheet)]
    if cell is not None:
        parts.append(pl.lit(cell_word) + pl.col(cell).cast(pl.String))
    return pl.concat_str(parts, separator=" · ", ignore_nulls=True).fill_null("")


def period_label(period: str | None) -> str:
    return PERIOD_LABELS.get(period or "", period or DASH)


def year_ranges(years: list[int]) -> str:
    """[2021, 2022, 2023, 2025] -> "2021–2023, 2025"."""
    ys = sorted(set(years))
    out: list[str] = []
    start = prev = None
    for y in ys:
        if start is None:
            start = prev = y
        elif y == prev + 1:  # type: ignore[operator]
            prev = y
        else:
            out.append(str(start) if start == prev else f"{start}–{prev}")
            start = prev = y
    if start is not None:
        out.append(str(start) if start == prev else f"{start}–{prev}")
    return ", ".join(out)


def source_footnote(frame: pl.DataFrame) -> str:
    """Where the figures of a series come from, compactly, e.g.
    "Nguồn: 2021–2023: Báo Lâm Đồng (tệp.xlsx · KTXH · ô E5, E6, E7); 2024: Cục Thống kê."
    """
    if frame.is_empty():
        return ""
    cols = set(frame.columns)
    text = pl.col("source") if "source" in cols else pl.lit(None, pl.String)
    where = source_ref_expr(cell=None) if {"source_file", "source_sheet"} <= cols else pl.lit("")
    cell = (
        pl.col("source_cell").cast(pl.String) if "source_cell" in cols else pl.lit(None, pl.String)
    )
    grouped = (
        frame.sort("year")
        .select(
            pl.col("year"),
            text.fill_null("không ghi nguồn").alias("text"),
            where.alias("where"),
            cell.alias("cell"),
        )
        .group_by("text", "where", maintain_order=True)
        .agg(pl.col("year"), pl.col("cell").drop_nulls())
    )
    parts = []
    for text_, where_, years, cells in grouped.iter_rows():
        place = where_ + (" · ô " + ", ".join(cells) if cells and where_ else "")
        parts.append(f"{year_ranges(years)}: {text_}" + (f" ({place})" if place else ""))
    return "Nguồn: " + "; ".join(parts) + "."


def kind_suffix(kind: str | None) -> str:
    return " (ước)" if kind == "estimate" else " (KH)" if kind == "plan" else ""


def _badge(text: str, status: str | None) -> str:
    color = STATUS_COLORS.get(status, "gray") if status is not None else "gray"
    return f":{color}-badge[{text}]"


def status_badges(frame: pl.DataFrame) -> str:
    """One coloured Streamlit badge per year: ":green-badge[2022: đạt]"; the years not compared
    are explained below them ("Chưa so sánh – 2021: năm đầu của chuỗi số liệu, …")."""
    frame = frame.sort("year")
    parts, reasons = [], []
    texts = status_texts(frame)
    rows = frame.select("year", "status", "value_kind").iter_rows()
    for (year, status, kind), text in zip(rows, texts, strict=True):
        parts.append(_badge(f"{year}{kind_suffix(kind)}: {status or NOT_COMPARED}", status))
        if status is None:
            reasons.append(f"{year}: {text[len(NOT_COMPARED) + 2 : -1]}")
    note = f"  \n*Chưa so sánh* – {md_text('; '.join(reasons))}." if reasons else ""
    return " ".join(parts) + note


def status_summary(frame: pl.DataFrame, groups: Sequence[tuple[str, Sequence[str]]]) -> str:
    """The latest status of every indicator, one paragraph of badges per group, the year said
    once per group (and on a badge whose latest year differs):

    "**Giảm nghèo** – 2025 (ước): :red-badge[Tỷ lệ hộ nghèo đa chiều: chưa đạt] …"

    ``groups``: (group name, indicator keys in order); keys without data are left out.
    """
    latest = {
        key: row
        for key, *row in frame.sort("year")
        .group_by("indicator_key", maintain_order=True)
        .agg(pl.all().last())
        .select("indicator_key", "indicator", "year", "status", "value_kind")
        .iter_rows()
    }
    paragraphs = []
    for group, keys in groups:
        rows = [latest[k] for k in keys if k in latest]
        if not rows:
            continue
        when = [f"{year}{kind_suffix(kind)}" for _, year, _, kind in rows]
        common = max(when, key=when.count)  # the first of the most frequent
        badges, reasons = [], []
        for key, (name, _, status, _), at in zip(
            [k for k in keys if k in latest], rows, when, strict=True
        ):
            # Brackets would end the badge whatever their escape: they become parentheses.
            shown = md_text(str(name).replace("[", "(").replace("]", ")"))
            text = f"{shown}{'' if at == common else ' – ' + at}: {status or NOT_COMPARED}"
            badges.append(_badge(text, status))
            if status is None:
                why = status_texts(frame.filter(pl.col("indicator_key") == key).sort("year"))[-1]
                reasons.append(f"{md_text(name)}: {md_text(why[len(NOT_COMPARED) + 2 : -1])}")
        note = f"  \n*Chưa so sánh* – {'; '.join(reasons)}." if reasons else ""
        paragraphs.append(f"**{group}** – {common}: " + " ".join(badges) + note)
    return "\n\n".join(paragraphs)


def leading_sentence(frame: pl.DataFrame, cluster: str, year: int) -> str:
    """A one-line reading of a cluster's ranking for leaders."""
    if frame.is_empty():
        return f"{md_text(cluster)} chưa có điểm năm {year}."
    leaders = frame.filter(pl.col("is_leading").fill_null(False))
    parts = []
    if leaders.height:
        names = " và ".join(f"**{md_text(u)}**" for u in leaders["unit"].to_list())
        score = vn_score(leaders["total_score"][0])
        verb = "cùng dẫn đầu" if leaders.height > 1 else "dẫn đầu"
        voted = "voted_leading" in frame.columns and bool(
            leaders["voted_leading"].fill_null(False).any()
        )
        note = " (theo biểu quyết của cụm)" if voted else ""
        parts.append(f"{names} {verb} {md_text(cluster)} năm {year}{note} với {score} điểm.")
    tied = frame.filter(pl.col("tied").fill_null(False) & ~pl.col("is_leading").fill_null(False))
    if tied.height:
        groups = tied.group_by("rank", maintain_order=True).agg(pl.col("unit"))
        for rank, units in groups.iter_rows():
            parts.append(f"{' và '.join(map(md_text, units))} đồng hạng {rank}.")
    unranked = frame.filter(pl.col("rank").is_null()).height
    if unranked:
        parts.append(f"{unranked} đơn vị không được xếp hạng.")
    return " ".join(parts)


def file_slug(text: str, limit: int = 80) -> str:
    """An ASCII part of a file name: "Xếp hạng Cụm số 1 – năm 2026" -> "xep-hang-cum-so-1-nam-2026"."""
    flat = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    ascii_text = flat.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:limit].rstrip("-")


def chart_title(fig: Any) -> str:
    """The first line of a plotly figure's title, without markup."""
    text = fig.layout.title.text or ""
    return re.sub(r"<[^>]+>", "", re.split(r"<br\s*/?>", text)[0]).strip()
