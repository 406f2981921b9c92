"""Labels of a chart's categories and points: long names broken into lines (``sep``), short
names, where a figure was read from."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import polars as pl

from dashboard.format import MERGER_YEAR, source_ref_expr


def source(frame: pl.DataFrame, cell: str | None = "source_cell") -> pl.Expr:
    """ "file · sheet · ô C7" when the frame carries the source columns, else ""."""
    cols = set(frame.columns)
    if not {"source_file", "source_sheet"} <= cols:
        return pl.lit("")
    if cell is not None and cell not in cols:
        cell = None
    word = "dòng " if cell == "source_row" else "ô "
    return source_ref_expr(cell=cell, cell_word=word)


def crosses_merger(years: Sequence[int | None]) -> bool:
    ys = [y for y in years if y is not None]
    return bool(ys) and min(ys) < MERGER_YEAR <= max(ys)


def wrap(text: str | None, width: int = 18, lines: int = 3, sep: str = "<br>") -> str:
    """Break a long label into short lines (``sep``) for an axis; the hover shows it whole."""
    words, out, line = (text or "").split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    out.append(line)
    if len(out) > lines:
        out = [*out[: lines - 1], short(" ".join(out[lines - 1 :]), width)]
    return sep.join(out)


def unique_wraps(
    texts: Sequence[str], width: int, lines: int = 2, sep: str = "<br>"
) -> dict[str, str]:
    """Each text broken into at most ``lines`` lines; texts whose cut forms clash stay whole."""
    wrapped = {t: wrap(t, width, lines, sep) for t in dict.fromkeys(texts)}
    counts = Counter(wrapped.values())
    return {t: w if counts[w] == 1 else t for t, w in wrapped.items()}


def with_labels(frame: pl.DataFrame, width: int = 30, sep: str | None = "<br>") -> pl.DataFrame:
    """Add ``label``: the unit's short name from the membership list when the frame has one,
    else its name broken into at most two lines (``sep``; None: kept whole, for a figure model
    whose renderer wraps, see ``Figure.wrap``); always unique within the frame."""
    names = frame["unit"].unique(maintain_order=True).to_list()
    short: dict[str, str] = {}
    if "short_name" in frame.columns:
        pairs = frame.select("unit", "short_name").drop_nulls().unique("unit", keep="last")
        short = dict(pairs.iter_rows())

    def wrapped(u: str) -> str:
        return u if sep is None else wrap(u, width, 2, sep)

    labels = {u: short.get(u) or wrapped(u) for u in names}
    for fallback in (wrapped, lambda u: u):
        counts = Counter(labels.values())
        # Units whose labels clash (e.g. "Lạc Dương" before and after the merger) get their names.
        labels = {u: fallback(u) if counts[lab] > 1 else lab for u, lab in labels.items()}
    return frame.with_columns(
        pl.col("unit").replace_strict(labels, return_dtype=pl.String).alias("label")
    )


def short(text: str | None, n: int = 34) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
