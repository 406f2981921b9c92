"""Award rules an administrator edits (workbooks.md §9); the shipped defaults are etl.db.seeds.

The writes only; etl.actions checks the role, wraps them in a transaction and audits them.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from etl.kinds.awards import CLASSIFICATIONS
from etl.year import accounts


def edit_rule(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    rule_id: str,
    value: str,
    basis: str,
    description: str | None = None,
) -> str | None:
    """Change a rule's value and the text it rests on; the value as stored.

    The Cờ thi đua rule of §9 is fixed and cannot be changed.
    """
    row = con.execute(
        "SELECT check_kind, fixed FROM award_rules WHERE rule_id = ?", [rule_id]
    ).fetchone()
    if row is None:
        raise ValueError(f"Không có quy tắc '{rule_id}'.")
    kind, fixed = row
    if fixed:
        raise ValueError(
            f"Quy tắc {rule_id} là quy định cố định (Cờ thi đua chỉ dành cho đơn vị dẫn đầu cụm, "
            "mỗi cụm một năm một Cờ) và không sửa được."
        )
    value = _valid_value(kind, value.strip())
    if not basis.strip():
        raise ValueError("Hãy ghi căn cứ (văn bản) của quy tắc.")
    con.execute(
        "UPDATE award_rules SET value = ?, basis = ?, description = coalesce(?, description), "
        "edited_by = ?, edited_at = ? WHERE rule_id = ?",
        [
            value,
            basis.strip(),
            description.strip() if description else None,
            accounts.normalize_name(actor or ""),
            datetime.now(),
            rule_id,
        ],
    )
    return value


def _valid_value(kind: str, value: str) -> str | None:
    if kind == "leading_only":
        return None
    if kind == "min_classification":
        if value not in CLASSIFICATIONS:
            raise ValueError("Xếp loại phải là một trong: " + "; ".join(CLASSIFICATIONS) + ".")
        return value
    number = value.replace(",", ".").rstrip("%").strip()
    try:
        x = float(number)
    except ValueError:
        raise ValueError(f"'{value}' không phải là số.") from None
    if kind == "quota_share":
        x = x / 100 if x > 1 else x
        if not 0 < x <= 1:
            raise ValueError("Tỷ lệ phải lớn hơn 0 và không quá 100%.")
        return f"{x:g}"
    if x < 1 or x != int(x):
        raise ValueError("Số lượng, thứ hạng phải là số nguyên từ 1 trở lên.")
    return str(int(x))
