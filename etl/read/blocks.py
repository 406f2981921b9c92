"""Several tables stacked on one sheet, each under its own "Cụm thi đua số N" line.

A province summary of all clusters holds one block per cluster: a line "CỤM THI ĐUA SỐ 1" (or a
row "I | CỤM THI ĐUA SỐ 1" inside the table), often its own header again, then its units in any
order (by list order or by rank). Each block belongs to the cluster named above it (workbooks.md
§1); cells keep their sheet addresses, so a message names the cell to fix.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass

from etl.read.layout import ColumnRoles, Layout, find_layout, is_footer_row
from etl.read.text import canonical_cluster, fold_header, nfc
from etl.read.workbook import Sheet, address

# Kinds whose table belongs to one cluster: a summary, a cross-scoring matrix, a proposal list,
# a membership list written with a header per cluster.
STACKABLE = frozenset({"A2", "B", "E", "G"})
# A heading's own code: "I", "II.", "1)", "A".
_CODE = re.compile(r"^(?:[ivxlc]+|\d{1,2}|[a-z])[.):]?$")
# A heading starts with the cluster's word, after an optional code: "II. Cụm thi đua số 2".
_HEADING = re.compile(r"^(?:(?:[ivxlc]+|\d{1,2}|[a-z])[.):]\s*)?(?:cum|khoi)\b")
# How far under a heading its own header may sit (a blank line or a note in between).
_HEADER_GAP = 3


@dataclass(frozen=True)
class Block:
    layout: Layout
    cluster: str | None  # None: the sheet's title says it
    cluster_cell: str | None


def heading_cluster(
    values: list[str | None], hidden: frozenset[int] = frozenset()
) -> tuple[str, int] | None:
    """The cluster a row names when it is a block heading ("CỤM THI ĐUA SỐ 2", "I | Cụm thi đua
    số 1"), with the column of its text; None for any other row. Hidden columns (an older copy
    kept beside the table) are not what the clerk sees and do not count."""
    cells = [(c, nfc(v)) for c, v in enumerate(values) if v and nfc(v) and c not in hidden]
    if not cells or len(cells) > 2:
        return None
    texts = [(c, t) for c, t in cells if not _CODE.match(fold_header(t))]
    if len(texts) != 1 or len(cells) - len(texts) > 1:
        return None
    col, text = texts[0]
    cluster = canonical_cluster(text)
    if cluster is None or not _HEADING.match(fold_header(text)):
        return None
    return cluster, col


def split_blocks(sheet: Sheet, layout: Layout, kinds: Mapping[str, ColumnRoles]) -> list[Block]:
    """The blocks of a sheet, in order; one block (the layout itself) when there is no heading.
    ``kinds`` are those find_layout was told of: a repeated header is read as it would be."""
    whole = [Block(layout, None, None)]
    if layout.kind not in STACKABLE:
        return whole
    rows = sheet.rows(layout.data_start, layout.data_stop)
    headings: list[tuple[int, str, str]] = []  # (sheet row, cluster, cell)
    for off, values in enumerate(rows):
        if is_footer_row(values):
            break
        found = heading_cluster(values, sheet.hidden_cols)
        if found is not None:
            cluster, col = found
            headings.append(
                (layout.data_start + off, cluster, address(layout.data_start + off, col))
            )
    if not headings:
        # A cluster line merged across the table, right above a one-row header, may be taken
        # for the top row of a two-row header: it still names the cluster.
        top = sheet.rows(layout.header_top, layout.header_top + 1)[0]
        own = heading_cluster(top, sheet.hidden_cols)
        if own is None or layout.header_top == layout.header_bottom:
            return whole
        return [Block(layout, own[0], address(layout.header_top, own[1]))]
    blocks: list[Block] = []
    first = dataclasses.replace(layout, data_stop=headings[0][0])
    if _has_data(sheet, first):
        blocks.append(Block(first, *_heading_above(sheet, layout)))
    for k, (row, cluster, cell) in enumerate(headings):
        stop = headings[k + 1][0] if k + 1 < len(headings) else layout.data_stop
        own = _header_below(sheet, row + 1, stop, layout.kind, kinds)
        start = own.data_start if own is not None else row + 1
        block = dataclasses.replace(own or layout, data_start=start, data_stop=stop)
        if _has_data(sheet, block):  # a cluster's heading with nothing under it holds no rows
            blocks.append(Block(block, cluster, cell))
    return blocks or whole  # nothing under any heading: the parser says the table is empty


def _has_data(sheet: Sheet, layout: Layout) -> bool:
    return any(any(v for v in r) for r in sheet.rows(layout.data_start, layout.data_stop))


def _heading_above(sheet: Sheet, layout: Layout) -> tuple[str | None, str | None]:
    """The first block's own heading: the last line above its header (or the header's top row,
    when the heading merged across the table was taken for a group row), when it is one."""
    top = layout.header_top
    for r in range(top, max(top - 1 - _HEADER_GAP, -1), -1):
        values = sheet.rows(r, r + 1)[0]
        if not any(v for c, v in enumerate(values) if c not in sheet.hidden_cols):
            continue
        found = heading_cluster(values, sheet.hidden_cols)
        if found is not None:
            return found[0], address(r, found[1])
        if r != top:
            break
    return None, None


def _header_below(
    sheet: Sheet, start: int, stop: int, kind: str, kinds: Mapping[str, ColumnRoles]
) -> Layout | None:
    """A block's own header, when the office repeated it under the heading; rows are the sheet's."""
    if start >= stop:
        return None
    view = dataclasses.replace(
        sheet,
        frame=sheet.frame.slice(start, stop - start),
        merged=[
            (r1 - start, c1, r2 - start, c2)
            for r1, c1, r2, c2 in sheet.merged
            if r1 >= start and r2 < stop
        ],
        hidden_rows=[r - start for r in sheet.hidden_rows if start <= r < stop],
        tables=[],
    )
    found = find_layout(view, kinds)
    if found is None or found.kind != kind or found.header_top > _HEADER_GAP:
        return None
    return dataclasses.replace(
        found,
        header_top=found.header_top + start,
        header_bottom=found.header_bottom + start,
        data_start=found.data_start + start,
        data_stop=found.data_stop + start,
    )
