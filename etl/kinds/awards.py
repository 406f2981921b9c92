"""Award forms and award rules (workbooks.md §6c, §9), kept as data in data/reference/.

``award_forms.csv`` lists the forms with the ways offices spell them out; ``award_short_forms.csv``
the short forms offices write ("Cờ TĐ UBND tỉnh", "Tập thể LĐXS"), each with its basis, which an
administrator extends with the ones a province uses; ``award_rules.csv`` the default rules, each
with the text it rests on. The rules are copied into the database on open (etl.db.seeds): a rule
an administrator edited keeps the edit (etl.year.awards), a fixed rule (the Cờ thi đua rule of §9)
is always the shipped one. The checks themselves are SQL (v_award_proposals in
etl/db/sql/year.sql).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass

from etl.read.text import closest, fold_header
from etl.settings import REFERENCE_DIR

FORMS = "award_forms.csv"
SHORT_FORMS = "award_short_forms.csv"
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


@dataclass(frozen=True)
class ShortForm:
    award_code: str
    short_form: str
    basis: str  # the text it rests on


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
def short_forms() -> list[ShortForm]:
    if not (REFERENCE_DIR / SHORT_FORMS).exists():
        return []
    known = forms()
    out = [ShortForm(r["award_code"], r["short_form"], r["basis"]) for r in _read(SHORT_FORMS)]
    unknown = sorted({s.award_code for s in out} - set(known))
    if unknown:
        raise ValueError(f"{SHORT_FORMS}: không có hình thức khen thưởng mã {', '.join(unknown)}.")
    return out


@functools.cache
def _matcher() -> tuple[re.Pattern[str], dict[str, str]]:
    alias_to_code: dict[str, str] = {}
    for r in _read(FORMS):
        for alias in [r["name"], r["short_name"], *r["aliases"].split("|")]:
            key = fold_header(alias)
            if key:
                alias_to_code.setdefault(key, r["code"])
    for short in short_forms():
        alias_to_code.setdefault(fold_header(short.short_form), short.award_code)
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


def closest_forms(text: str) -> list[str]:
    """The names of the forms closest to an award text no form matches, best first."""
    by_text = {f.name: f.name for f in forms().values()}
    by_text |= {f.short_name: f.name for f in forms().values()}
    by_text |= {s.short_form: forms()[s.award_code].name for s in short_forms()}
    out: list[str] = []
    for near in closest(text, list(by_text), n=6, cutoff=0.25):
        if by_text[near] not in out:
            out.append(by_text[near])
    return out[:3]


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
