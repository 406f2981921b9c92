"""The framework's maxima beside a unit's criteria (workbooks.md §6b), for the Đơn vị page.

The matching is the load's own (etl.load.framework.compare), run on the current data, so a framework
loaded after the sheets is compared all the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from dashboard.format import vn_score
from etl.load.framework import compare, framework_nodes

NOT_IN_FRAMEWORK = "không có trong khung"


@dataclass
class Beside:
    """Per criterion row (in the order of ``criteria``): the framework's maximum where it differs
    from the sheet's, or NOT_IN_FRAMEWORK; and the framework's criteria the sheet lacks."""

    column: list[str | None]
    missing: list[tuple[str, str]] = field(default_factory=list)  # (criterion, its maximum)
    matched: int = 0


def beside(criteria: pl.DataFrame, framework: pl.DataFrame) -> Beside | None:
    """None when no framework applies to the unit's sheets of that year."""
    if framework.is_empty() or criteria.is_empty():
        return None
    out: dict[tuple[str, int], str] = {}
    missing: list[tuple[str, str]] = []
    matched = 0
    for cluster in criteria["cluster"].unique(maintain_order=True).to_list():
        fw_rows = framework.filter(pl.col("cluster") == cluster)
        if fw_rows.is_empty():
            continue
        sheet_rows = criteria.filter(pl.col("cluster") == cluster)
        result = compare(
            framework_nodes(sheet_rows.to_dicts()), framework_nodes(fw_rows.to_dicts())
        )
        matched += len(result.pairs)
        for d in result.differences:
            if d.kind == "max" and d.sheet and d.framework:
                mx = d.framework.max_points
                out[(cluster, d.sheet.seq)] = "trống" if mx is None else vn_score(mx)
            elif d.kind == "extra" and d.sheet:
                out[(cluster, d.sheet.seq)] = NOT_IN_FRAMEWORK
            elif d.framework:
                code = f"{d.framework.code} " if d.framework.code else ""
                mx = d.framework.max_points
                missing.append((f"{code}{d.framework.criterion or ''}", vn_score(mx)))
    column = [out.get((c, s)) for c, s in criteria.select("cluster", "seq").iter_rows()]
    return Beside(column, missing, matched)
