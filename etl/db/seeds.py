"""The seeds shipped in data/reference, copied in when a database is opened read-write: Chỉ thị
34 targets and published Lâm Đồng figures, award forms and the default award rules.

It is loaded as a load of its own, below every uploaded load in precedence, so that a figure
uploaded by staff for the same indicator and year is a newer vintage that wins while both stay.
"""

from __future__ import annotations

import csv
import hashlib

import duckdb

from etl.db.transactions import transaction
from etl.settings import REFERENCE_DIR

TARGETS = "chi_thi_34_targets.csv"
FORMS = "award_forms.csv"
RULES = "award_rules.csv"
FIGURES = "lam_dong_published_figures.csv"
LOADED_BY = "dữ liệu tham chiếu"
_BELOW_UPLOADS = -1_000_000_000


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _float(text: str) -> float | None:
    return float(text) if text and text.strip() else None


def reference_sha() -> str:
    digest = hashlib.sha256()
    for name in (TARGETS, FIGURES):
        digest.update((REFERENCE_DIR / name).read_bytes())
    return digest.hexdigest()


def ensure_reference(con: duckdb.DuckDBPyConnection) -> int | None:
    """Load the reference data unless this version of it is already in the database."""
    # Here, not at the top: every open checks reference_sha(), few seed (the store imports polars).
    from etl.db.store import insert_tables, new_import, scope

    if not (REFERENCE_DIR / TARGETS).exists():
        return None
    sha = reference_sha()
    if con.execute("SELECT 1 FROM imports WHERE sha256 = ?", [sha]).fetchone():
        return None
    targets = _rows(TARGETS)
    names = {t["code"]: t["indicator"] for t in targets}
    tgt: list[dict[str, object]] = []
    for t in targets:
        tgt.append(
            {
                "scope": scope("DT", t["code"]),
                "indicator_key": t["code"],
                "indicator": t["indicator"],
                "uom": t["uom"],
                "target_text": t["target_text"].replace(".", ","),
                "target_low": _float(t["target_low"]),
                "target_high": _float(t["target_high"]),
                "target_direction": t["target_direction"],
                "horizon": t["horizon"],
            }
        )
    vals: list[dict[str, object]] = []
    for f in _rows(FIGURES):
        vals.append(
            {
                "scope": scope("D", f["code"], f["year"]),
                "indicator_key": f["code"],
                "indicator": names.get(f["code"], f["code"]),
                "uom": f["uom"],
                "year": int(f["year"]),
                "value": float(f["value"]),
                "value_kind": f["value_kind"],
                "source": f["source"],
                "basis": f["basis"] or None,
                "note": f["note"] or None,
                "source_file": FIGURES,
                "source_sheet": None,
                "source_cell": None,
            }
        )
    scopes = {str(r["scope"]) for r in tgt + vals}
    with transaction(con):
        import_id = new_import(
            con,
            file_name=f"{TARGETS} + {FIGURES}",
            sha=sha,
            stored_path=str(REFERENCE_DIR),
            kinds="D",
            rows=len(tgt) + len(vals),
            loaded_by=LOADED_BY,
            precedence_offset=_BELOW_UPLOADS,
        )
        insert_tables(con, import_id, {"indicator_targets": tgt, "indicator_values": vals}, scopes)
    return import_id


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
    with transaction(con):
        con.execute("DELETE FROM award_forms")
        con.executemany(
            "INSERT INTO award_forms VALUES (?, ?, ?, ?)",
            [(f["code"], f["name"], f["short_name"], f["subject"]) for f in _rows(FORMS)],
        )
        for order, r in enumerate(_rows(RULES), start=1):
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
