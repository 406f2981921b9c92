"""Kind A (one unit's scoring sheet) and A2 (cross-scoring matrix): criteria tree and totals.

Scoring rules (workbooks.md §2): a row's score is its own value, else the sum of its children;
bonus sections add and deduction sections subtract whatever sign was typed; a note row may cap the
deductions of an item; "không xếp loại" in a score cell means the unit is not ranked.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import polars as pl

from etl.db.store import Rows
from etl.kinds.common import (
    Context,
    NumericColumn,
    Tables,
    check_cells,
    framework_rows,
    merged_range,
    numeric_column,
    scope,
    table_end,
    text_series,
    vertical_merges,
)
from etl.read.layout import Layout, TitleInfo, is_total_text
from etl.read.numbers import parse_number
from etl.read.text import fold_header
from etl.read.tree import (
    build_tree,
    code_style,
    normalise_code,
    numbered_tree,
    numeric_keys,
    place_headings,
)
from etl.read.workbook import Sheet, address, col_letter
from etl.report import SheetReport, vn_number

_BONUS_HEAD = re.compile(r"^(diem thuong|diem cong|cong diem)")
_DEDUCT_HEAD = re.compile(r"^(diem tru|tru diem)")
_NOTE = re.compile(r"^(\*\s*)?(ghi chu|luu y|chu y)\b|^\*")
_CAP = re.compile(
    r"(?:diem tru|tru diem|tong diem tru)[^.;]*?(?:cua|doi voi|o)?\s*(?:muc|tieu chi|phan|noi dung)?"
    r"\s*([a-z]?[0-9.]*[a-z0-9])?\s*(?:,[^.;]*?)?(?:khong qua|toi da(?: la)?|toi da khong qua)\s*"
    r"(\d+(?:[.,]\d+)?)"
)
_NOT_RANKED = re.compile(r"khong xep loai")


_HEAD_START = ("điểm", "cộng", "trừ", "diem", "cong", "tru")


def _section_head(text: str | None) -> str | None:
    """'bonus' or 'deduction' for a row opening such a section ("Điểm thưởng", "Trừ điểm")."""
    if not text or not text[:5].lower().startswith(_HEAD_START):
        return None
    t = fold_header(text)
    if _BONUS_HEAD.match(t):
        return "bonus"
    if _DEDUCT_HEAD.match(t):
        return "deduction"
    return None


def _single_column_role(title: TitleInfo) -> str:
    """What a matrix's one column per unit holds: the title says ("… ĐIỂM TỰ CHẤM …"), else the
    cluster's score, since a matrix is the cluster's document."""
    text = fold_header(" ".join(title.lines))
    if re.search(r"tu cham|tu danh gia", text) and not re.search(
        r"cham cheo|cum cham|khoi cham|tham dinh", text
    ):
        return "self"
    return "assessed"


def _section_heads(codes: list[str | None], head_kind: dict[int, str]) -> list[int]:
    """The section headings placed as headings, not by their code: the uncoded ones, and those
    coded in Roman numerals when the criteria above use no Roman numerals ("1", "2", then
    "III. Trừ điểm"): a Roman numeral numbers a section of the sheet, never a sub-criterion."""
    # Only a code holding a capital I, V, X, L, C, D or M can be a Roman numeral: the styles of
    # the few such codes are all that is needed, however long the sheet.
    maybe = pl.Series(codes, dtype=pl.String).str.contains("[IVXLCDM]").fill_null(False)
    roman = {
        k
        for k in maybe.arg_true().to_list()
        if (style := code_style(codes[k])) is not None and style.key == "roman"
    }
    first_roman = min((k for k in roman if k not in head_kind), default=None)
    return [
        k
        for k in sorted(head_kind)
        if codes[k] is None or (k in roman and (first_roman is None or first_roman >= k))
    ]


def _warn_over_max(
    own: dict[int, float],
    maxes: list[float | None],
    bonus_allowed: list[float | None],
    section: list[str],
    parents: list[int | None],
    unit: str,
    label: str,
    report: SheetReport,
    rows: list[int],
    col: int,
    codes: list[str | None],
) -> None:
    """A leaf criterion scored above its maximum (and the bonus its own row allows) is named: a
    typo such as 32 for 30 changes the total silently. A group may legally exceed its maximum
    through its children's bonuses, so only leaves are checked; the score is kept.

    ``own`` holds the scores above their row's maximum (row index -> score), ``rows`` the sheet
    row of each criterion row."""
    if not own:
        return
    has_child = {p for p in parents if p is not None}
    for k, value in own.items():
        top = maxes[k]
        if value is None or top is None or top <= 0 or k in has_child:
            continue
        if section[k] != "criterion":
            continue
        allowed = top + max(bonus_allowed[k] or 0.0, 0.0)
        if value > allowed + 0.01:
            code = f" {codes[k]}" if codes[k] else ""
            report.warn(
                f"Điểm {label} của {unit} ở tiêu chí{code} là {vn_number(value)}, vượt điểm "
                f"chuẩn {vn_number(allowed)} của tiêu chí. Đã ghi nhận như trong tệp; nếu không phải do "
                "điểm thưởng, hãy kiểm tra lại ô này.",
                address(rows[k], col),
            )


def _is_not_ranked(text: str) -> bool:
    return bool(_NOT_RANKED.search(fold_header(text)))


def _framework_words(text: str) -> bool:
    """In the Thưởng/Trừ columns, words state a rule ("(không xếp loại)"): text, not an error."""
    return True


def _caps(note_text: str) -> tuple[str | None, float] | None:
    if "quá" not in note_text and "tối đa" not in note_text.lower():
        return None
    m = _CAP.search(fold_header(note_text))
    if not m:
        return None
    value = parse_number(m.group(2).replace(".", ","))
    if value.value is None:
        return None
    return (normalise_code(m.group(1)) if m.group(1) else None, value.value)


def parse_scoring(
    sheet: Sheet,
    layout: Layout,
    title: TitleInfo,
    ctx: Context,
    report: SheetReport,
    file_name: str,
) -> tuple[Tables, set[str]] | None:
    """Parse a kind A or A2 sheet into rows for unit_results and criterion_scores."""
    cols = layout.columns
    year = ctx.year(title, report, layout.header_year)
    score_cols: list[tuple[str, dict[str, int]]]
    named = title.cluster or ctx.options.cluster
    if layout.kind == "A":
        # One cause, one message: a cluster missing from the list is reported, not its unit too.
        cluster = ctx.cluster(title.cluster, year, report, title.cluster_cell) if named else None
        if named and cluster is None:
            return None
        unit = ctx.unit(title.unit, year, report, cell=title.unit_cell, sheet_name=sheet.name)
        if unit is None:
            return None
        if not named:
            # A sheet without a "Cụm…" line takes its unit's cluster from the membership list.
            cluster = ctx.member_cluster(unit, year) or ctx.cluster(
                None, year, report, title.cluster_cell
            )
        score_cols = [(unit, {k: cols[k] for k in ("self", "assessed") if k in cols})]
    elif layout.kind == "F":  # a framework: the same tree with its maxima, no scores
        cluster = ctx.framework_cluster(title, year, report)
        score_cols = []
    else:
        cluster = ctx.cluster(title.cluster, year, report, title.cluster_cell)
        if cluster is None:
            return None
        score_cols = []
        single = _single_column_role(title)
        for name, group in layout.unit_columns:
            if len(group) == 1 and "assessed" in group:
                group = {single: group["assessed"]}
            resolved = ctx.unit(
                name, year, report, cell=address(layout.header_top, min(group.values()))
            )
            if resolved is not None:
                score_cols.append((resolved, group))
    if year is None or (cluster is None and score_cols) or any(not u for u, _ in score_cols):
        return None

    numeric_roles = [
        c for k, c in cols.items() if k in ("max", "bonus_allowed", "deduction_allowed")
    ]
    numeric_roles += [c for _, g in score_cols for c in g.values()]
    stop = table_end(sheet, layout, numeric_roles, cols.get("code"))
    start = layout.data_start
    n = stop - start
    check_cells(sheet, range(start, stop), numeric_roles, report)

    code_s = text_series(sheet, cols.get("code"), start, stop)
    text_s = text_series(sheet, cols.get("criterion"), start, stop)
    note_s = text_series(sheet, cols.get("note"), start, stop)
    max_col = numeric_column(
        sheet, cols.get("max"), start, stop, report, label="Điểm chuẩn", words_ok=lambda t: False
    )
    bonus_col = numeric_column(
        sheet,
        cols.get("bonus_allowed"),
        start,
        stop,
        report,
        label="Thưởng",
        words_ok=_framework_words,
    )
    deduct_col = numeric_column(
        sheet,
        cols.get("deduction_allowed"),
        start,
        stop,
        report,
        label="Trừ",
        words_ok=_framework_words,
    )
    unit_cols: list[tuple[str, NumericColumn | None, NumericColumn | None, dict[str, int]]] = []
    for unit, group in score_cols:
        self_col = (
            numeric_column(
                sheet, group["self"], start, stop, report, label="Tự chấm", words_ok=_is_not_ranked
            )
            if "self" in group
            else None
        )
        ass_col = (
            numeric_column(
                sheet,
                group["assessed"],
                start,
                stop,
                report,
                label="Cụm chấm",
                words_ok=_is_not_ranked,
            )
            if "assessed" in group
            else None
        )
        unit_cols.append((unit, self_col, ass_col, group))
    # Totals rest on every score of the sheet: no total warning is derived from a value that is
    # itself an error (the file is refused and the error says which cell to fix).
    derived_warnings = not report.errors

    # Classify rows (criterion, total, note or empty) with column operations; only the few
    # candidate total and note rows are checked one by one.
    numbers = [max_col, bonus_col, deduct_col] + [
        c for _, sc, ac, _ in unit_cols for c in (sc, ac) if c is not None
    ]
    has_number = pl.Series([False] * n)
    for number in numbers:
        has_number = has_number | number.as_series().is_not_null()
        if number.text:
            has_number = has_number.scatter(list(number.text), True)
    blank = code_s.is_null() & text_s.is_null() & ~has_number
    starts_total = r"^\s*(?i:tổng|cộng|tong|cong)"
    total_cand = ((text_s.str.len_chars() <= 30) & text_s.str.contains(starts_total)).fill_null(
        False
    ) | (text_s.is_null() & code_s.str.contains(starts_total)).fill_null(False)
    note_cand = (
        text_s.is_not_null() & ~has_number & (code_s.is_null() | code_s.is_in(["*", "-"]))
    ).fill_null(False)
    # A footnote typed in the STT column under the table ("* Ghi chú: …"): no criterion text.
    code_note = (text_s.is_null() & ~has_number & (code_s.str.len_chars() > 3)).fill_null(False)
    total_rows: list[int] = []
    note_rows: list[int] = []
    for i in (total_cand | note_cand | code_note).arg_true().to_list():
        text, code = text_s[i], code_s[i]
        if is_total_text(text) or (text is None and is_total_text(code)):
            total_rows.append(i)
        elif text is None:
            if code is not None and (
                code.lstrip().startswith("*") or _NOTE.match(fold_header(code))
            ):
                note_rows.append(i)
        elif text is not None and (
            text.startswith("*")
            or _NOTE.match(fold_header(text))
            or (text.startswith("(") and text.endswith(")"))
        ):
            note_rows.append(i)
    keep = ~blank
    if total_rows or note_rows:
        keep = keep.scatter(total_rows + note_rows, False)
    crit_idx = keep.arg_true()
    crit_rows: list[int] = crit_idx.to_list()
    if not crit_rows:
        report.error("Không có dòng tiêu chí nào dưới dòng tiêu đề cột.")
        return None
    m = len(crit_rows)
    crit_codes = code_s.gather(crit_idx)
    crit_texts = text_s.gather(crit_idx)
    codes_list: list[str | None] = crit_codes.to_list()

    # Sections: headings ("Điểm thưởng", "Trừ điểm") open them for their subtree; otherwise a row
    # that only has a framework bonus (or deduction) value is a bonus (or deduction) case.
    head_kind: dict[int, str] = {}
    for k in (
        crit_texts.str.contains(r"^\s*(?i:điểm|cộng|trừ|diem|cong|tru)")
        .fill_null(False)
        .arg_true()
        .to_list()
    ):
        kind = _section_head(crit_texts[k])
        if kind:
            head_kind[k] = kind
    headings = place_headings(codes_list, _section_heads(codes_list, head_kind))
    tree = None if headings else numbered_tree(crit_codes)
    parents_local, levels = tree or build_tree(codes_list, headings, numeric_keys(crit_codes))
    max_s = max_col.as_series().gather(crit_idx)
    maxes = max_s.to_list()
    bonus_s = bonus_col.as_series().gather(crit_idx)
    deduction_s = deduct_col.as_series().gather(crit_idx)
    bonus_allowed = bonus_s.to_list()
    deduction_allowed = deduction_s.to_list()
    section = ["criterion"] * m
    for k in range(m):
        p = parents_local[k]
        if k in head_kind:
            section[k] = head_kind[k]
        elif p is not None and section[p] != "criterion":
            section[k] = section[p]
        elif maxes[k] is None:
            b, d = bonus_allowed[k], deduction_allowed[k]
            if d is not None and b is None:
                section[k] = "deduction"
            elif b is not None and d is None:
                section[k] = "deduction" if b < 0 else "bonus"

    # Deduction caps: from note rows ("Tổng điểm trừ của mục a1 không quá 1,5 điểm") and from a
    # criterion's own text ("Điểm trừ tối đa là 1 điểm").
    crit_col = cols["criterion"]
    caps: dict[int, tuple[float, str]] = {}
    maybe_cap = crit_texts.str.contains("quá|tối đa|Tối đa|TỐI ĐA|QUÁ")
    for k in maybe_cap.fill_null(False).arg_true().to_list():
        found = _caps(crit_texts[k])
        if found and found[0] is None:
            caps[k] = (found[1], address(start + crit_rows[k], crit_col))
    for i in note_rows:
        found = _caps(text_s[i] or code_s[i] or "")
        if not found:
            continue
        ref, cap = found
        before = bisect_left(crit_rows, i)
        target = None
        if ref:
            target = next(
                (k for k in range(before - 1, -1, -1) if normalise_code(codes_list[k]) == ref), None
            )
        elif before:
            target = before - 1
            while target is not None and codes_list[target] is None:
                target = parents_local[target]
        if target is not None:
            caps[target] = (cap, address(start + i, crit_col))
        else:
            report.warn(
                f"Ghi chú nêu mức trừ tối đa cho mục '{ref}' nhưng không tìm thấy mục đó.",
                address(start + i, crit_col),
            )

    # The sheet's maximum: its total row's, else the sum of top-level criterion maxima.
    max_at = next((t for t in total_rows if max_col.values[t] is not None), None)
    sheet_max = max_col.values[max_at] if max_at is not None else None
    tops = [
        maxes[k]
        for k in range(m)
        if parents_local[k] is None and section[k] == "criterion" and maxes[k] is not None
    ]
    if sheet_max == 0 and sum(tops) > 0 and max_at is not None:
        # 0 is no sheet's maximum: a formula exported unevaluated and saved again as .xls or
        # .ods keeps its placeholder 0, with no flag left to say so.
        report.warn(
            f"Điểm tối đa ở dòng tổng ghi 0 nhưng cộng điểm chuẩn các mục lớn được "
            f"{vn_number(sum(tops))} (thường là công thức chưa được tính lại khi lưu tệp). Dùng "
            f"{vn_number(sum(tops))}; hãy mở tệp, tính lại (Ctrl+Shift+F9) và kiểm tra.",
            address(start + max_at, cols["max"]),
        )
        sheet_max = None
    if sheet_max is None:
        sheet_max = sum(tops) if tops else None

    base = pl.DataFrame(
        {
            "seq": pl.Series(range(1, m + 1), dtype=pl.Int32),
            "code": crit_codes,
            "parent_seq": pl.Series(
                [None if p is None else p + 1 for p in parents_local], dtype=pl.Int32
            ),
            "level": pl.Series(levels, dtype=pl.Int32),
            "criterion": crit_texts,
            "section": section,
            "max_points": max_s,
            "bonus_allowed": bonus_s,
            "deduction_allowed": deduction_s,
            "note": note_s.gather(crit_idx),
            "source_row": (crit_idx + start + 1).cast(pl.Int32),
        }
    )
    if layout.kind == "F":
        report.rows = m
        max_letter = col_letter(cols["max"])
        frame = base.with_columns(
            (pl.lit(max_letter) + pl.col("source_row").cast(pl.String)).alias("source_cell")
        )
        constants = {"year": year, "cluster": cluster, "source_file": file_name}
        return framework_rows(frame, constants, sheet.name)
    sheet_rows = (crit_idx + start).to_list()
    out_units: list[dict] = []
    frames: list[Rows] = []
    scopes: set[str] = set()
    for unit, self_col, ass_col, group in unit_cols:
        reason = None
        for col, label in ((self_col, "tự chấm"), (ass_col, "cụm chấm")):
            if col is None:
                continue
            for off in sorted(col.text):
                if _is_not_ranked(col.text[off]):
                    what = text_s[off] or code_s[off] or ""
                    reason = f"Không xếp loại ({label}) theo tiêu chí: {what}".strip()
                    break
            if reason:
                break
        results = {}
        for key, col in (("self", self_col), ("assessed", ass_col)):
            if col is None:
                results[key] = (None, None, None, None, [None] * m, [None] * m)
                continue
            own_s = col.as_series().gather(crit_idx)
            own = own_s.to_list()
            label = "tự chấm" if key == "self" else "cụm chấm"
            if derived_warnings:
                merged_down = {
                    r
                    for r1, c1, r2, c2 in sheet.merged
                    if r2 > r1 and c1 <= group[key] <= c2
                    for r in range(r1, r2 + 1)
                }
                # Only a score above its row's maximum can be over what the row allows.
                above = (own_s > max_s).fill_null(False).arg_true().to_list()
                scored = {k: own[k] for k in above if sheet_rows[k] not in merged_down}
                _warn_over_max(
                    scored, maxes, bonus_allowed, section, parents_local, unit, label, report,
                    sheet_rows, group[key], codes_list,
                )  # fmt: skip
            joint = _merged_scores(
                own,
                vertical_merges(sheet, group[key], start, stop),
                group[key],
                sheet_rows,
                parents_local,
                maxes,
                codes_list,
                report,
                label,
            )
            results[key] = _evaluate(
                own, parents_local, section, caps, report, codes_list, label, joint
            )
        s_total, s_bonus, s_ded, s_g1, s_own, s_comp = results["self"]
        a_total, a_bonus, a_ded, a_g1, a_own, a_comp = results["assessed"]
        basis = "assessed" if a_total is not None else "self"
        total = a_total if basis == "assessed" else s_total
        file_totals = {}
        for key, col in (("self", self_col), ("assessed", ass_col)):
            if col is None:
                continue
            for t in total_rows:
                v = col.values[t]
                if v is not None:
                    file_totals[key] = (v, address(start + t, group[key]))
                    break
        for key, computed in (("self", s_total), ("assessed", a_total)):
            if key in file_totals and computed is not None and derived_warnings:
                stated, cell = file_totals[key]
                if abs(stated - computed) > 0.01:
                    what = "tự chấm" if key == "self" else "cụm chấm"
                    report.warn(
                        f"Tổng điểm {what} của {unit} ghi trên sheet là {vn_number(stated)} nhưng "
                        f"cộng từ các tiêu chí được {vn_number(computed)}. Dùng "
                        f"{vn_number(computed)}; hãy kiểm tra lại.",
                        cell,
                    )
        if (
            derived_warnings
            and total is not None
            and sheet_max is not None
            and total > sheet_max + 0.01
        ):
            report.warn(
                f"Tổng điểm của {unit} là {vn_number(total)}, vượt điểm tối đa {vn_number(sheet_max)} "
                "(có điểm thưởng). Đã ghi nhận và đánh dấu.",
                file_totals.get(basis, (None, None))[1],
            )
        stated_total, total_cell = file_totals.get(basis, (None, None))
        basis_col = group.get(basis)
        unit_scope = scope("S", year, cluster, unit)
        tree_scope = scope("T", year, cluster, unit)
        scopes.update((unit_scope, tree_scope))
        out_units.append(
            {
                "scope": unit_scope,
                "source_kind": "A",
                "year": year,
                "cluster": cluster,
                "unit": unit,
                "max_score": sheet_max,
                "self_score": s_total,
                "assessed_score": a_total,
                "bonus": a_bonus if basis == "assessed" else s_bonus,
                "deduction": a_ded if basis == "assessed" else s_ded,
                "total_score": total,
                "group1_score": a_g1 if basis == "assessed" else s_g1,
                "file_total": stated_total,
                "file_rank": None,
                "file_classification": None,
                "proposal": None,
                "voted_leading": None,
                "not_ranked_reason": reason,
                "note": None,
                "source_file": file_name,
                "source_sheet": sheet.name,
                "source_cell": total_cell
                or (address(start + crit_rows[0], basis_col) if basis_col is not None else None),
            }
        )
        a_col, s_col = group.get("assessed"), group.get("self")
        fallback = col_letter(
            s_col
            if s_col is not None
            else (a_col if a_col is not None else cols.get("code", crit_col))
        )
        a_own_s = pl.Series("assessed_score", a_own, dtype=pl.Float64)
        letter = (
            pl.when(a_own_s.is_not_null())
            .then(pl.lit(col_letter(a_col)))
            .otherwise(pl.lit(fallback))
            if a_col is not None
            else pl.lit(fallback)
        )
        # Values that are the same on every row travel as constants, not as columns.
        frames.append(
            Rows(
                base.with_columns(
                    a_own_s,
                    pl.Series("self_score", s_own, dtype=pl.Float64),
                    pl.Series("self_computed", s_comp, dtype=pl.Float64),
                    pl.Series("assessed_computed", a_comp, dtype=pl.Float64),
                ).with_columns(
                    pl.concat_str([letter, pl.col("source_row").cast(pl.String)]).alias(
                        "source_cell"
                    )
                ),
                {
                    "scope": tree_scope,
                    "year": year,
                    "cluster": cluster,
                    "unit": unit,
                    "source_file": file_name,
                    "source_sheet": sheet.name,
                },
            )
        )
    report.rows = m * len(unit_cols)
    return {"unit_results": out_units, "criterion_scores": frames}, scopes


def _merged_scores(own, merges, col, sheet_rows, parents, maxes, codes, report, label):
    """Scores merged down several criterion rows count once, as the joint score of those rows.

    Over sibling criteria the score is their parent's, for them together, checked against their
    joint maximum; never the first row's alone (workbooks.md §1). ``own`` loses the merged
    values; the result maps the row that receives each joint score (None: the sheet's total)
    to (score, the first row it covers).
    """
    joint: dict[int | None, list[tuple[float, int]]] = {}
    if not merges:
        return joint
    index = {r: k for k, r in enumerate(sheet_rows)}
    for r1, r2 in merges:
        covered = [index[r] for r in range(r1, r2 + 1) if r in index]
        if len(covered) < 2 or r1 not in index or own[index[r1]] is None:
            continue
        value = own[index[r1]]
        inside = set(covered)
        tops = [k for k in covered if parents[k] not in inside]
        where = merged_range(r1, r2, col)
        names = ", ".join(codes[k] or f"dòng {sheet_rows[k] + 1}" for k in tops)
        for k in covered:
            own[k] = None
        if len(tops) == 1:
            # A group's score typed once over the group and its children: the group's own score.
            own[tops[0]] = value
            report.warn(
                f"Điểm {label} {vn_number(value)} được gộp ô {where}: tính một lần cho mục {names}.",
                where,
            )
            continue
        owner = _common_ancestor(tops, parents)
        joint.setdefault(owner, []).append((value, tops[0]))
        limits = [maxes[k] for k in tops if maxes[k] is not None]
        limit = sum(limits) if limits else None
        message = (
            f"Điểm {label} {vn_number(value)} được gộp ô {where} cho các tiêu chí {names}: tính "
            "một lần là điểm chung của các tiêu chí này"
            + (f" (điểm chuẩn cộng lại {vn_number(limit)})" if limit is not None else "")
            + ", không gán riêng cho tiêu chí đầu."
        )
        if limit is not None and value > limit + 0.01:
            message += f" Điểm này vượt tổng điểm chuẩn {vn_number(limit)}; hãy kiểm tra lại."
        report.warn(message, where)
    return joint


def _common_ancestor(rows: list[int], parents) -> int | None:
    def chain(k: int | None) -> list[int]:
        out = []
        while k is not None:
            k = parents[k]
            if k is not None:
                out.append(k)
        return out

    common = chain(rows[0])
    for k in rows[1:]:
        mine = set(chain(k))
        common = [a for a in common if a in mine]
    return common[0] if common else None


def _signed(v: float, sec: str) -> tuple[float, float, float]:
    """(net, bonus, deduction) of a value typed in a section: bonuses add and deductions subtract
    whatever sign was typed."""
    if sec == "bonus":
        return abs(v), abs(v), 0.0
    if sec == "deduction":
        return -abs(v), 0.0, abs(v)
    return v, 0.0, 0.0


def _evaluate(own, parents, section, caps, report, codes, label, joint=None):
    """Net, bonus, deduction and first-group score of one score column over the tree.

    Children follow their parent in sheet order, so one pass from the bottom up gives every row's
    score: its own value, else the sum of its children (with the deduction cap applied). A joint
    score (cells merged over several criteria) counts once, towards the row that owns it.
    """
    m = len(own)
    net: list[float | None] = [None] * m
    bon = [0.0] * m
    ded = [0.0] * m
    acc_net = [0.0] * m
    acc_bon = [0.0] * m
    acc_ded = [0.0] * m
    has = [False] * m
    root = [0.0, 0.0, 0.0]
    has_root = False
    for owner, parts in (joint or {}).items():
        for value, first in parts:
            n_, b_, d_ = _signed(value, section[first])
            if owner is None:
                root[0] += n_
                root[1] += b_
                root[2] += d_
                has_root = True
            else:
                acc_net[owner] += n_
                acc_bon[owner] += b_
                acc_ded[owner] += d_
                has[owner] = True
    for k in range(m - 1, -1, -1):
        v = own[k]
        sec = section[k]
        p = parents[k]
        if v is not None and sec == "criterion" and k not in caps:
            # The common row: a criterion scored on its own line.
            net[k] = v
            if p is not None:
                acc_net[p] += v
                has[p] = True
            continue
        if v is not None:
            n_, b_, d_ = _signed(v, sec)
        elif has[k]:
            n_, b_, d_ = acc_net[k], acc_bon[k], acc_ded[k]
        else:
            continue
        if k in caps and d_ > caps[k][0] + 1e-9:
            cap, cell = caps[k]
            report.warn(
                f"Điểm trừ ({label}) của mục {codes[k] or ''} là {vn_number(d_)}, vượt mức "
                f"tối đa {vn_number(cap)} điểm theo ghi chú; đã tính {vn_number(cap)}.",
                cell,
            )
            n_ += d_ - cap
            d_ = cap
        net[k], bon[k], ded[k] = n_, b_, d_
        if p is not None:
            acc_net[p] += n_
            acc_bon[p] += b_
            acc_ded[p] += d_
            has[p] = True
    tops = [k for k in range(m) if parents[k] is None and net[k] is not None]
    if not tops and not has_root:
        return None, None, None, None, list(own), net
    total = sum(net[k] for k in tops) + root[0]  # type: ignore[misc]
    bonus = sum(bon[k] for k in tops) + root[1]
    deduction = sum(ded[k] for k in tops) + root[2]
    first_group = next(
        (
            net[k]
            for k in range(m)
            if parents[k] is None and section[k] == "criterion" and net[k] is not None
        ),
        None,
    )
    return round(total, 6), round(bonus, 6), round(deduction, 6), first_group, list(own), net
