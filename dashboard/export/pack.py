"""The meeting pack: what goes on each slide, read from the database, independent of the format.

``build_pack`` turns a year and a choice of clusters into a ``Pack`` of slides (the slide model of
dashboard.export.slides: title, chart data, table, footnote naming sources and the date of the
data); ``pptx_pack`` and ``pdf_pack`` lay the same slides out as PowerPoint (native, editable
charts) and as PDF. ``write_pack`` picks the writer from the file's suffix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb
import polars as pl

from dashboard.export import pdf_pack, pptx_pack, year_slides
from dashboard.export.slides import MAX_TABLE_ROWS, Pack, Slide, Table
from dashboard.figures import indicators, targets
from dashboard.figures import ranking as ranking_charts
from dashboard.figures.indicator_groups import present_groups
from dashboard.figures.model import Figure
from dashboard.figures.style import LEAD, STATUS_COLORS
from dashboard.format import (
    DASH,
    PERIOD_LABELS,
    STATUS_LABELS,
    kind_suffix,
    not_compared_reason,
    rank_label,
    vn_number,
)
from dashboard.queries import run

DIRECTION_NAMES = {"higher": "tối thiểu", "lower": "tối đa"}
INDICATOR_LEGEND = (
    "Nét liền: thực hiện · nét đứt xám: ước tính, kế hoạch · màu xanh: mục tiêu nhiệm kỳ · "
    "không nối qua mốc sáp nhập 01/7/2025"
)


def _date(value: dt.datetime | None) -> str:
    return value.strftime("%d/%m/%Y") if value else DASH


def _ids(ids: Iterable[int | None]) -> tuple[int, ...]:
    return tuple(sorted({int(i) for i in ids if i is not None}))


def _loads(cur: duckdb.DuckDBPyConnection, ids: Iterable[int | None]) -> pl.DataFrame:
    return run(cur, "pack_imports", {"import_ids": list(_ids(ids))})


def _footnote(cur: duckdb.DuckDBPyConnection, ids: Iterable[int | None], lead: str = "") -> str:
    """ "<lead> Tệp nguồn: <files>. Số liệu nạp đến ngày 21/11/2026." for a slide's loads."""
    loads = _loads(cur, ids)
    if loads.is_empty():
        return lead
    files = "; ".join(dict.fromkeys(loads["file_name"].to_list()))
    newest = loads["loaded_at"].max()
    parts = [lead] if lead else []
    parts.append(f"Tệp nguồn: {files}.")
    parts.append(f"Số liệu nạp đến ngày {_date(newest)}.")  # type: ignore[arg-type]
    return " ".join(parts)


def _score(x: float | None) -> str:
    return vn_number(x, 2, trim=True)


def _pages(n_rows: int) -> list[tuple[str, range]]:
    """The rows of each slide of a long table, with the title suffix of its continuation slides."""
    step = MAX_TABLE_ROWS
    parts = [range(i, min(i + step, n_rows)) for i in range(0, n_rows, step)] or [range(0)]
    return [(f" (tiếp, {n + 1}/{len(parts)})" if n else "", part) for n, part in enumerate(parts)]


def _ranking_slides(cur: duckdb.DuckDBPyConnection, year: int, cluster: str) -> list[Slide]:
    ranking = run(cur, "ranking", {"year": year, "cluster": cluster})
    if ranking.is_empty():
        return []
    chart = ranking_charts.ranking_model(ranking, cluster, year)
    rows: list[list[str]] = []
    table_colors: dict[tuple[int, int], str] = {}
    for i, r in enumerate(ranking.iter_rows(named=True)):
        rows.append(
            [
                rank_label(r["rank"], r["tied"], r["not_ranked_reason"]),
                ("★ " if r["is_leading"] else "") + r["unit"],
                _score(r["self_score"]),
                _score(r["assessed_score"]),
                _score(r["total_score"]),
                r["classification"] or DASH,
            ]
        )
        if r["is_leading"]:
            table_colors[(i, 1)] = LEAD
    leading = ranking.filter(pl.col("is_leading"))["unit"].to_list()
    subtitle = (
        f"Dẫn đầu: {', '.join(leading)}" if leading else "Chưa có đơn vị dẫn đầu"
    ) + f" · {ranking.height} đơn vị"
    footnote = _footnote(
        cur,
        ranking["import_id"],
        "Hạng tính theo tổng điểm (cụm chấm nếu có, không thì tự chấm); "
        "bằng điểm thì đồng hạng (1, 1, 3). ★ đơn vị dẫn đầu.",
    )
    slides = []
    for n, (suffix, part) in enumerate(_pages(len(rows))):
        slides.append(
            Slide(
                title=f"Xếp hạng {cluster} – năm {year}{suffix}",
                subtitle=subtitle,
                charts=[chart] if n == 0 else [],
                table=Table(
                    headers=["Hạng", "Đơn vị", "Tự chấm", "Cụm chấm", "Tổng", "Xếp loại"],
                    rows=[rows[i] for i in part],
                    widths=[1.0, 3.2, 1.0, 1.0, 1.0, 2.0],
                    right=frozenset({2, 3, 4}),
                    colors={
                        (i - part.start, c): v for (i, c), v in table_colors.items() if i in part
                    },
                ),
                footnote=footnote,
                import_ids=_ids(ranking["import_id"]),
            )
        )
    return slides


def _target_slides(cur: duckdb.DuckDBPyConnection, year: int, clusters: list[str]) -> list[Slide]:
    frame = run(cur, "pack_targets", {"year": year, "clusters": clusters})
    slides = []
    for cluster in clusters:
        own = frame.filter(pl.col("cluster") == cluster)
        if own.is_empty():
            continue
        periods = own["period"].unique().to_list()
        # The whole year when it has results, else the latest interim report (6 months, quarters).
        period = "year" if "year" in periods else sorted(periods)[-1]
        own = own.filter(pl.col("period") == period)
        slides += _target_cluster_slides(cur, year, cluster, period, own)
    return slides


def _target_cluster_slides(
    cur: duckdb.DuckDBPyConnection, year: int, cluster: str, period: str, frame: pl.DataFrame
) -> list[Slide]:
    ids = _ids(frame["import_ids"].explode())
    footnote = _footnote(
        cur,
        ids,
        "Đạt: kết quả bằng hoặc vượt chỉ tiêu đăng ký (chỉ tiêu giảm: không vượt mức đăng ký).",
    )
    slides = []
    for suffix, part in _pages(frame.height):
        chunk = frame[list(part)]
        chart = targets.target_counts_model(chunk, "Số chỉ tiêu theo kết quả")
        rows = [
            [
                r["unit"],
                str(r["n_targets"]),
                str(r["n_met"]),
                str(r["n_not_met"]),
                str(r["n_pending"]),
                DASH if r["pct_met"] is None else vn_number(r["pct_met"], 0) + "%",
            ]
            for r in chunk.iter_rows(named=True)
        ]
        slides.append(
            Slide(
                title=f"Chỉ tiêu thi đua {cluster} – {PERIOD_LABELS[period].lower()} {year}{suffix}",
                subtitle=(
                    f"{frame['n_met'].sum()}/{frame['n_targets'].sum()} chỉ tiêu đạt · "
                    f"{frame.height} đơn vị đăng ký"
                ),
                charts=[chart],
                table=Table(
                    headers=["Đơn vị", "Chỉ tiêu", "Đạt", "Chưa đạt", "Chưa có KQ", "Tỷ lệ đạt"],
                    rows=rows,
                    widths=[3.4, 1.0, 0.8, 1.0, 1.1, 1.0],
                    right=frozenset({1, 2, 3, 4, 5}),
                ),
                footnote=footnote,
                import_ids=ids,
            )
        )
    return slides


def _indicator_slides(cur: duckdb.DuckDBPyConnection, year: int) -> list[Slide]:
    ind = run(cur, "indicators", {}).filter(pl.col("year") <= year)
    if ind.is_empty():
        return []
    latest = ind.sort("year").group_by("indicator_key", maintain_order=True).last()
    groups = present_groups(latest["indicator_key"].to_list())
    order = [k for _, keys in groups.values() for k in keys]
    latest = latest.sort(pl.col("indicator_key").replace_strict(order, range(len(order))))
    rows, colors, reasons = [], {}, {}
    for i, r in enumerate(latest.iter_rows(named=True)):
        kind = kind_suffix(r["value_kind"])
        status = STATUS_LABELS.get(r["status"] or "", "Chưa so sánh")
        if r["status"] is None:  # the page says why; so does the slide
            own = ind.filter(pl.col("indicator_key") == r["indicator_key"]).sort("year").to_dicts()
            why = not_compared_reason(own[-1], own[-2] if len(own) > 1 else None)
            reasons[i] = f"{r['indicator']} chưa so sánh: {why}."
        rows.append(
            [
                r["indicator"],
                r["uom"] or "",
                r["target_text"] or DASH,
                f"{r['year']}{kind}",
                vn_number(r["value"], 2, trim=True),
                status,
            ]
        )
        if r["status"]:
            colors[(i, 5)] = STATUS_COLORS[r["status"]]
    n_met = latest.filter(pl.col("status").is_in(["đạt", "vượt"])).height
    n_judged = latest.filter(pl.col("status").is_not_null()).height
    summary_note = (
        "Mỗi chỉ tiêu lấy số của năm gần nhất đến năm báo cáo; chỉ tiêu giảm (hộ nghèo) đánh giá "
        "mức giảm so với năm trước, không so qua mốc sáp nhập tỉnh 01/7/2025."
    )
    slides = []
    for suffix, part in _pages(len(rows)):
        slides.append(
            Slide(
                title=f"Chỉ tiêu kinh tế – xã hội đến năm {year}{suffix}",
                subtitle=f"{n_met}/{n_judged} chỉ tiêu đạt hoặc vượt mục tiêu Chỉ thị 34-CT/TU",
                table=Table(
                    headers=["Chỉ tiêu", "ĐVT", "Mục tiêu", "Năm", "Số liệu", "Đánh giá"],
                    rows=[rows[i] for i in part],
                    widths=[5.2, 1.3, 2.0, 1.2, 1.1, 1.1],
                    right=frozenset({4}),
                    colors={(i - part.start, c): v for (i, c), v in colors.items() if i in part},
                ),
                footnote=_footnote(
                    cur,
                    latest["import_id"],
                    " ".join([summary_note, *(reasons[i] for i in part if i in reasons)]),
                ),
                import_ids=_ids(latest["import_id"]),
            )
        )
    series = ind.sort("year").partition_by("indicator_key", as_dict=True)
    for name, keys in groups.values():
        series_frames = [series[(k,)] for k in keys]
        for start in range(0, len(keys), 6):
            chunk = series_frames[start : start + 6]
            chunk_ids = pl.concat([f.select("import_id") for f in chunk])["import_id"]
            models = [indicators.indicator_model(f) for f in chunk]
            slides.append(
                Slide(
                    title=f"{name} – so với mục tiêu",
                    subtitle=INDICATOR_LEGEND,
                    charts=models,
                    footnote=_footnote(cur, chunk_ids, _source_texts(models)),
                    import_ids=_ids(chunk_ids),
                )
            )
    return slides


def _source_texts(models: list[Figure], limit: int = 320) -> str:
    texts = dict.fromkeys(t for m in models for t in m.footnotes)
    text = "; ".join(texts)
    return "Nguồn số liệu: " + (text if len(text) <= limit else text[: limit - 1] + "…") + "."


def _title_slide(
    cur: duckdb.DuckDBPyConnection, year: int, clusters: list[str], content: list[Slide]
) -> Slide:
    newest = _loads(cur, (i for slide in content for i in slide.import_ids))["loaded_at"].max()
    today = dt.date.today().strftime("%d/%m/%Y")
    lines = [
        f"Cụm, khối thi đua: {', '.join(clusters)}" if clusters else "",
        f"Gồm {len(content) + 1} trang (kể cả trang này): xếp hạng từng cụm, khối; "
        "thực hiện chỉ tiêu thi đua; chỉ tiêu kinh tế – xã hội so với mục tiêu Chỉ thị 34-CT/TU.",
        f"Số liệu nạp đến ngày {_date(newest)} · lập ngày {today}.",  # type: ignore[arg-type]
    ]
    return Slide(
        title=f"Báo cáo công tác thi đua năm {year}",
        subtitle="Tỉnh Lâm Đồng – tài liệu phục vụ cuộc họp",
        lines=[line for line in lines if line],
        footnote="Nguồn: các tệp do cơ quan, đơn vị gửi, đã nạp và kiểm tra trong thidua; "
        "tệp nguồn của từng số ghi ở chân mỗi trang.",
    )


def available_clusters(cur: duckdb.DuckDBPyConnection, year: int) -> list[str]:
    return run(cur, "filter_clusters", {"year": year})["cluster"].to_list()


def build_pack(
    cur: duckdb.DuckDBPyConnection, year: int, clusters: Sequence[str] | None = None
) -> Pack:
    """The slides of the meeting pack for ``year`` and ``clusters`` (all clusters when None)."""
    known = available_clusters(cur, year)
    chosen = list(known if not clusters else dict.fromkeys(clusters))
    unknown = [c for c in chosen if c not in known]
    if unknown:
        listed = ", ".join(known) or "không có cụm, khối nào"
        raise ValueError(
            f"Năm {year} không có {', '.join(unknown)}. Các cụm, khối có số liệu: {listed}."
        )
    content: list[Slide] = []
    for cluster in chosen:
        content += _ranking_slides(cur, year, cluster)
    content += _target_slides(cur, year, chosen)
    content += year_slides.slides(cur, year, chosen)
    if not content and not known:
        raise ValueError(f"Năm {year} chưa có số liệu thi đua để lập báo cáo.")
    content += _indicator_slides(cur, year)
    return Pack(year, chosen, [_title_slide(cur, year, chosen, content), *content])


def write_pack(
    cur: duckdb.DuckDBPyConnection, year: int, clusters: Sequence[str] | None, path: Path
) -> int:
    """Write the pack to ``path`` (.pptx or .pdf); returns the number of slides."""
    suffix = path.suffix.lower()
    if suffix not in (".pptx", ".pdf"):
        raise ValueError(f"Báo cáo chỉ xuất ra .pptx hoặc .pdf, không phải '{path.suffix}'.")
    pack = build_pack(cur, year, clusters)
    data = pack_bytes(pack, suffix.lstrip("."))
    path.write_bytes(data)
    return len(pack.slides)


def pack_bytes(pack: Pack, fmt: str) -> bytes:
    if fmt == "pptx":
        return pptx_pack.to_pptx(pack)
    return pdf_pack.to_pdf(pack)
