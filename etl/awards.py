"""Award forms and award rules (workbooks.md §6c, §9), kept as data in data/reference/.

``award_forms.csv`` lists the forms with the short names offices write; ``award_rules.csv`` the
default rules, each with the text it rests on. The rules are copied into the database on open: a
rule an administrator edited keeps the edit, a fixed rule (the Cờ thi đua rule of §9) is always
the shipped one. The checks themselves are SQL (v_award_proposals in etl/sql/year.sql).
"""

from __future__ import annotations

import csv
import functools
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

import duckdb

from etl import accounts, db
from etl.kinds.indicators import REFERENCE_DIR
from etl.read.text import fold_header

FORMS = "award_forms.csv"
RULES = "award_rules.csv"
CHECK_KINDS: dict[str, str] = {
    "leading_only": "Chỉ đơn vị dẫn đầu cụm, khối",
    "min_classification": "Xếp loại tối thiểu",
    "max_rank": "Xếp hạng tối đa",
    "quota_count": "Số lượng tối đa mỗi cụm, khối một năm",
    "quota_share": "Tỷ lệ tối đa số đơn vị được xếp hạng (làm tròn xuống)",
}
CLASSIFICATIONS: tuple[str, ...] = (
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
)


@dataclass(frozen=True)
class AwardForm:
    code: str
    name: str
    short_name: str
    subject: str  # 'tập thể' | 'cá nhân' | 'cả hai'


def _read(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@functools.cache
def forms() -> dict[str, AwardForm]:
    return {
        r["code"]: AwardForm(r["code"], r["name"], r["short_name"], r["subject"])
        for r in _read(FORMS)
    }


@functools.cache
def _matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    alias_to_code: dict[str, str] = {}
    for r in _read(FORMS):
        for alias in [r["name"], r["short_name"], *r["aliases"].split("|")]:
            key = fold_header(alias)
            if key:
                alias_to_code.setdefault(key, r["code"])
    # Longest first, so "bằng khen của chủ tịch ubnd tỉnh" wins over a shorter alias inside it.
    ordered = sorted(alias_to_code, key=len, reverse=True)
    pattern = re.compile(r"(?<![a-z0-9])(" + "|".join(map(re.escape, ordered)) + r")(?![a-z0-9])")
    return pattern, alias_to_code


def match_awards(text: str | None) -> list[str]:
    """The award forms a text names, in order ("BK UBND tỉnh" -> ['BK_CT_UBND'])."""
    if not text:
        return []
    pattern, alias_to_code = _matcher()
    found: list[str] = []
    for m in pattern.finditer(fold_header(text)):
        code = alias_to_code[m.group(1)]
        if code not in found:
            found.append(code)
    return found


def awards_sha() -> str:
    """The shipped forms and rules: a database is brought up to date when they change."""
    digest = hashlib.sha256()
    for name in (FORMS, RULES):
        path = REFERENCE_DIR / name
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_awards(con: duckdb.DuckDBPyConnection) -> None:
    """Copy the shipped forms and rules in; keep the rules administrators edited."""
    if not (REFERENCE_DIR / FORMS).exists():
        return
    with db.transaction(con):
        con.execute("DELETE FROM award_forms")
        con.executemany(
            "INSERT INTO award_forms VALUES (?, ?, ?, ?)",
            [(f.code, f.name, f.short_name, f.subject) for f in forms().values()],
        )
        for order, r in enumerate(_read(RULES), start=1):
            fixed = r["fixed"].strip().lower() == "true"
            values = [
                r["rule_id"],
                order,
                r["award_code"],
                r["check_kind"],
                r["value"] or None,
                r["applies_to"],
                fixed,
                r["description"],
                r["basis"],
            ]
            if fixed:  # a fixed rule is always the shipped one; an edited rule keeps its edit
                con.execute("DELETE FROM award_rules WHERE rule_id = ?", [r["rule_id"]])
            con.execute(
                "INSERT INTO award_rules (rule_id, seq, award_code, check_kind, value, "
                "applies_to, fixed, description, basis) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? "
                "WHERE NOT EXISTS (SELECT 1 FROM award_rules WHERE rule_id = ?)",
                [*values, r["rule_id"]],
            )


def edit_rule(
    con: duckdb.DuckDBPyConnection,
    actor: str | None,
    rule_id: str,
    value: str,
    basis: str,
    description: str | None = None,
) -> None:
    """An administrator changes a rule's value and the text it rests on (audited).

    The Cờ thi đua rule of §9 is fixed and cannot be changed.
    """
    accounts.require(con, actor, "admin")
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
    with db.transaction(con):
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
        accounts.audit(con, actor, "award_rule_edit", {"rule": rule_id, "value": value})


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


def derive_from_summary(tables: dict, sheet_name: str, warn) -> dict[str, list[dict[str, object]]]:
    """Proposals written in a summary's "Đề nghị khen thưởng" column (kind B)."""
    out: list[dict[str, object]] = []
    for row in tables.get("unit_results", []):
        if not isinstance(row, dict) or not row.get("proposal"):
            continue
        text = str(row["proposal"])
        codes = match_awards(text)
        if not codes:
            if "khen" in fold_header(text) or "danh hieu" in fold_header(text):
                warn(
                    f'Không nhận ra hình thức khen thưởng trong "{text}" ({row["unit"]}); '
                    "đề nghị này không được đưa vào danh sách đề nghị khen thưởng.",
                    row.get("source_cell"),
                )
            continue
        for code in codes:
            out.append(
                {
                    "scope": row["scope"],
                    "source_kind": "B",
                    "year": row["year"],
                    "cluster": row["cluster"],
                    "name": row["unit"],
                    "subject": "tập thể",
                    "award_code": code,
                    "award_text": text,
                    "achievement": None,
                    "decision": None,
                    "note": None,
                    "seq": len(out) + 1,
                    "source_file": row["source_file"],
                    "source_sheet": sheet_name,
                    "source_row": _row_of(row.get("source_cell")),
                }
            )
    return {"award_proposals": out} if out else {}


def _row_of(cell: object) -> int | None:
    m = re.search(r"(\d+)$", str(cell or ""))
    return int(m.group(1)) if m else None
