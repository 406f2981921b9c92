"""Checking a scoring sheet's criteria against its cluster's framework (workbooks.md §6b).

Codes restart under every parent ("a", "b" under each group) and a framework may write them
differently from the sheets ("Mục a" with Order 1 in a flat list, "a" in the sheet), so criteria
are matched level by level: siblings under matched parents pair up by their text (NFC, case-folded),
then by their code, then by their position in their list ("C" is the third letter, "a7" the
seventh, Order 7), then uncoded rows in order. A sheet row under a framework row that has no
children is detail the framework does not go into, not a difference.

Pure functions here (the dashboard matches too); the database side is ``check_sheets``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import duckdb

from etl.read.text import fold, nfc, roman_to_int
from etl.read.tree import clean_code, normalise_code
from etl.report import SheetReport, vn_number

MAX_WARNINGS = 30  # per sheet; the rest are counted in one more line

_NAMED = re.compile(
    r"^(?:tiêu chuẩn|tiêu chí|mục|phần|nội dung|chương|nhóm|lĩnh vực)\s+([0-9ivxlc]+)$"
)
_LAST_NUMBER = re.compile(r"(\d+)$")
_EDGE = " .,:;-–—()*"


@dataclass(frozen=True)
class Node:
    """One criterion row, of a sheet or of a framework."""

    seq: int
    parent_seq: int | None
    code: str | None
    criterion: str | None
    section: str
    max_points: float | None
    cell: str | None = None  # where a message points: the row's maximum cell
    row: int | None = None


@dataclass
class Difference:
    kind: str  # 'max' | 'extra' (the framework lacks it) | 'missing' (the sheet lacks it)
    sheet: Node | None
    framework: Node | None
    anchor: Node | None = None  # for 'missing': the sheet row it should sit under

    def message(self, label: str) -> str:
        if self.kind == "max":
            assert self.sheet is not None and self.framework is not None
            return (
                f"Điểm chuẩn của tiêu chí {_name(self.sheet)} là {_figure(self.sheet.max_points)} "
                f"nhưng {label} ghi {_figure(self.framework.max_points)}."
            )
        if self.kind == "extra":
            assert self.sheet is not None
            return (
                f"Tiêu chí {_name(self.sheet)} (điểm chuẩn {_figure(self.sheet.max_points)}) "
                f"không có trong {label}."
            )
        assert self.framework is not None
        where = f", dưới {_name(self.anchor)}" if self.anchor is not None else ""
        return (
            f"Thiếu tiêu chí {_name(self.framework)} (điểm chuẩn "
            f"{_figure(self.framework.max_points)}) của {label}{where}."
        )


@dataclass
class Comparison:
    pairs: dict[int, int] = field(default_factory=dict)  # sheet seq -> framework seq
    differences: list[Difference] = field(default_factory=list)


def _figure(x: float | None) -> str:
    return "trống" if x is None else vn_number(x)


def _name(node: Node) -> str:
    text = (node.criterion or "").strip()
    if len(text) > 60:
        text = text[:57].rstrip() + "…"
    code = (node.code or "").strip()
    if code and text:
        return f"{code} '{text}'"
    return f"'{text}'" if text else code or f"dòng {node.row}"


def _text_key(node: Node) -> str:
    # Criterion texts are stored NFC with whitespace collapsed (etl.kinds.common.text_series), so
    # case-folding (and composing again) is all that is left of etl.read.text.fold.
    return unicodedata.normalize("NFC", (node.criterion or "").casefold()).strip(_EDGE)


def ordinals(codes: Sequence[str | None]) -> list[int | None]:
    """The position each code states in its list of siblings: "III" 3, "c" 3, "a7" 7, "2.4" 4,
    "Tiêu chuẩn 2" 2; None for bullets and empty codes.

    Single letters are letters when the siblings' letters are a, b, c…, else Roman numerals when
    they can be ("I" alone, "I, II, III"), since "C" after "b." is the third letter.
    """
    cleaned = [clean_code(c) for c in codes]
    singles = {c.lower() for c in cleaned if len(c) == 1 and c.isalpha()}
    multi_roman = any(len(c) > 1 and c.isalpha() and roman_to_int(c.upper()) for c in cleaned)
    alphabetic = singles == {chr(97 + k) for k in range(len(singles))}
    roman = multi_roman or (
        not alphabetic and all(roman_to_int(c.upper()) for c in singles) and bool(singles)
    )
    out: list[int | None] = []
    for c in cleaned:
        if not c or not any(ch.isalnum() for ch in c):
            out.append(None)
            continue
        named = _NAMED.match(fold(c)) if " " in c else None
        token = named.group(1) if named else c
        if token.isalpha():
            value = roman_to_int(token.upper()) if roman or len(token) > 1 else None
            out.append(value if value else (ord(token.lower()) - 96 if len(token) == 1 else None))
            continue
        m = _LAST_NUMBER.search(token.rstrip("."))
        out.append(int(m.group(1)) if m else None)
    return out


def _pair_siblings(sheet: list[Node], frame: list[Node]) -> list[tuple[Node, Node]]:
    """Pairs of sibling rows, each row in at most one pair."""
    pairs: list[tuple[Node, Node]] = []
    free_s = {n.seq: n for n in sheet}
    free_f = {n.seq: n for n in frame}
    s_ord = dict(zip(free_s, ordinals([n.code for n in sheet]), strict=True))
    f_ord = dict(zip(free_f, ordinals([n.code for n in frame]), strict=True))

    def take(s: Node, f: Node) -> None:
        pairs.append((s, f))
        del free_s[s.seq], free_f[f.seq]

    def by(key) -> None:
        ks: dict[object, list[Node]] = {}
        kf: dict[object, list[Node]] = {}
        for n in free_s.values():
            if (k := key(n, s_ord)) is not None:
                ks.setdefault(k, []).append(n)
        for n in free_f.values():
            if (k := key(n, f_ord)) is not None:
                kf.setdefault(k, []).append(n)
        for k, ns in ks.items():
            fs = kf.get(k, [])
            if len(ns) == 1 and len(fs) == 1:
                take(ns[0], fs[0])

    by(lambda n, _: _text_key(n) or None)
    by(lambda n, _: normalise_code(n.code) or None)
    by(lambda n, o: o[n.seq])
    # A flat framework names rows shortly ("Tiêu chuẩn 1") where the sheet goes on ("Tiêu chuẩn
    # 1: Thực hiện tốt …").
    if free_s and free_f and len(free_f) <= 50:
        for s in list(free_s.values()):
            key = _text_key(s)
            hits = [f for f in free_f.values() if key and _prefix(key, _text_key(f))]
            if len(hits) == 1:
                take(s, hits[0])
    # Uncoded rows left on both sides pair up in order.
    left_s = [n for n in free_s.values() if s_ord[n.seq] is None]
    left_f = [n for n in free_f.values() if f_ord[n.seq] is None]
    pairs.extend(zip(left_s, left_f, strict=False))
    return pairs


def _prefix(a: str, b: str) -> bool:
    if not a or not b or a == b:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return long_.startswith(short) and not long_[len(short)].isalnum()


def _significant(node: Node) -> bool:
    """A row whose absence is worth a warning: a criterion, or any row with a maximum (bonus and
    deduction cases without one are the framework's rules, not criteria)."""
    return node.section == "criterion" or node.max_points is not None


def compare(sheet: Sequence[Node], framework: Sequence[Node]) -> Comparison:
    """Match a sheet's criteria tree to a framework's and list where they differ."""
    kids_s: dict[int | None, list[Node]] = {}
    kids_f: dict[int | None, list[Node]] = {}
    for n in sheet:
        kids_s.setdefault(n.parent_seq, []).append(n)
    for n in framework:
        kids_f.setdefault(n.parent_seq, []).append(n)
    out = Comparison()
    todo: list[tuple[Node | None, Node | None]] = [(None, None)]
    while todo:
        ps, pf = todo.pop()
        s_kids = kids_s.get(ps.seq if ps else None, [])
        f_kids = kids_f.get(pf.seq if pf else None, [])
        if ps is not None and not f_kids:
            continue  # the framework stops here: the sheet's detail below is not compared
        pairs = _pair_siblings(s_kids, f_kids)
        matched_s = {s.seq for s, _ in pairs}
        matched_f = {f.seq for _, f in pairs}
        for s, f in pairs:
            out.pairs[s.seq] = f.seq
            if not _same(s.max_points, f.max_points):
                out.differences.append(Difference("max", s, f))
            todo.append((s, f))
        for s in s_kids:
            if s.seq not in matched_s and _significant(s):
                out.differences.append(Difference("extra", s, None))
        for f in f_kids:
            if f.seq not in matched_f and _significant(f):
                out.differences.append(Difference("missing", None, f, ps))
    order = {n.seq: k for k, n in enumerate(sheet)}

    def position(d: Difference) -> tuple[int, int]:
        node = d.sheet or d.anchor
        return (order[node.seq] if node else -1, d.framework.seq if d.framework else 0)

    out.differences.sort(key=position)
    return out


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) < 1e-6


# --- the database side ---------------------------------------------------------------------------

_FRAMEWORK_SQL = """
SELECT seq, parent_seq, code, criterion, section, max_points, source_cell, source_row,
       cluster, import_id, source_file
FROM v_framework_criteria
WHERE year = ? AND (cluster IS NULL OR lower(cluster) = lower(?))
ORDER BY cluster NULLS LAST, seq
"""


@dataclass
class Framework:
    year: int
    cluster: str | None
    nodes: list[Node]
    source: str  # "lần nạp số 5, tệp khung_2026.xlsx" or "sheet 'Khung' của tệp này"
    sheet: str | None = None  # the sheet of this file that holds it

    def label(self) -> str:
        whose = self.cluster or "mọi cụm, khối"
        return f"bảng điểm chuẩn năm {self.year} của {whose} ({self.source})"


def framework_nodes(rows: Iterable[dict]) -> list[Node]:
    return [
        Node(
            int(r["seq"]),
            None if r["parent_seq"] is None else int(r["parent_seq"]),
            r["code"],
            r["criterion"],
            r["section"],
            r["max_points"],
            r.get("source_cell"),
            r.get("source_row"),
        )
        for r in rows
    ]


def stored_framework(con: duckdb.DuckDBPyConnection, year: int, cluster: str) -> Framework | None:
    """The current framework of a cluster and year: its own, else the one of every cluster."""
    cur = con.execute(_FRAMEWORK_SQL, [year, cluster])
    names = [d[0] for d in cur.description]
    rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    if not rows:
        return None
    own = rows[0]["cluster"]
    rows = [r for r in rows if r["cluster"] == own]
    source = f"lần nạp số {rows[0]['import_id']}, tệp {rows[0]['source_file']}"
    return Framework(year, own, framework_nodes(rows), source)


def report_comparison(
    report: SheetReport, framework: Framework, sheet_nodes: Sequence[Node], who: str
) -> Comparison:
    """Warnings for every difference (the first MAX_WARNINGS, then a count), or one line saying
    the sheet matches."""
    result = compare(sheet_nodes, framework.nodes)
    label = framework.label()
    if not result.differences:
        report.note(f"Khớp với {label}: {len(result.pairs)} tiêu chí, cùng điểm chuẩn.")
        return result
    for d in result.differences[:MAX_WARNINGS]:
        node = d.sheet or d.anchor
        report.warn(d.message(label), node.cell if node else None)
    rest = len(result.differences) - MAX_WARNINGS
    if rest > 0:
        report.warn(f"Còn {rest} chỗ khác nữa so với {label} ({who}).")
    return result


def _frame_nodes(frame, max_letter: str | None) -> list[Node]:
    cols = ("seq", "parent_seq", "code", "criterion", "section", "max_points", "source_row")
    return [
        Node(
            seq,
            parent,
            code,
            text,
            section,
            top,
            f"{max_letter}{row}" if max_letter and row is not None else None,
            row,
        )
        for seq, parent, code, text, section, top, row in frame.select(cols).iter_rows()
    ]


def check_sheets(
    con: duckdb.DuckDBPyConnection | None,
    frames: dict[str, list],
    sheets: dict[str, tuple[dict[str, int], SheetReport]],
) -> None:
    """Check every scoring sheet (A, A2) of a file against its cluster's framework of that year:
    one in the same file first, else the loaded one. ``frames`` are the file's parsed Rows by
    table; ``sheets`` maps a sheet name to its columns (role -> index) and its report."""
    from etl.read.workbook import col_letter

    in_file: dict[tuple[int, str | None], Framework] = {}
    for part in frames.get("framework_criteria", []):
        c = part.constants
        key = (int(c["year"]), fold(c["cluster"]) if c["cluster"] else None)
        name = nfc(str(c["source_sheet"]))  # the reports are named in NFC, the sheets as typed
        if key in in_file:
            sheets[name][1].error(
                f"Tệp có hai bảng điểm chuẩn cho cùng năm {key[0]} và "
                f"{c['cluster'] or 'mọi cụm, khối'}: {in_file[key].source} và sheet '{name}'. "
                "Hãy giữ một bảng."
            )
            continue
        max_letter = col_letter(sheets[name][0]["max"])
        nodes = _frame_nodes(part.frame, max_letter)
        in_file[key] = Framework(
            c["year"], c["cluster"], nodes, f"sheet '{name}' của tệp này", name
        )
    in_file_units = {
        (
            int(p.constants["year"]),
            fold(str(p.constants["cluster"])),
            fold(str(p.constants["unit"])),
        )
        for p in frames.get("criterion_scores", [])
    }
    if con is not None:
        for framework in in_file.values():
            assert framework.sheet is not None
            check_loaded_sheets(con, framework, sheets[framework.sheet][1], in_file_units)
    done: set[tuple[str, int, str]] = set()
    stored: dict[tuple[int, str], Framework | None] = {}
    for part in frames.get("criterion_scores", []):
        c = part.constants
        name, year, cluster = nfc(str(c["source_sheet"])), int(c["year"]), str(c["cluster"])
        columns, report = sheets[name]
        if (name, year, cluster) in done or report.errors:
            continue  # a matrix (A2) has one tree for all its units; errors come first
        done.add((name, year, cluster))
        framework = in_file.get((year, fold(cluster))) or in_file.get((year, None))
        if framework is None and con is not None:
            if (year, fold(cluster)) not in stored:
                stored[(year, fold(cluster))] = stored_framework(con, year, cluster)
            framework = stored[(year, fold(cluster))]
        if framework is None:
            continue
        max_col = columns.get("max")
        nodes = _frame_nodes(part.frame, col_letter(max_col) if max_col is not None else None)
        report_comparison(report, framework, nodes, f"sheet '{name}'")


_LOADED_SHEETS_SQL = """
SELECT cluster, unit, seq, parent_seq, code, criterion, section, max_points, source_row,
       source_file
FROM v_criterion_scores
WHERE year = ? AND (? IS NULL OR lower(cluster) = lower(?))
  AND lower(cluster) NOT IN (
      SELECT lower(cluster) FROM v_framework_criteria WHERE year = ? AND cluster IS NOT NULL)
ORDER BY cluster, unit, seq
"""


def check_loaded_sheets(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    report: SheetReport,
    skip: set[tuple[int, str, str]],
) -> None:
    """A framework that comes after the sheets: say which loaded sheets of its scope differ (the
    Đơn vị page shows where). ``skip`` are (year, cluster, unit) folded, checked in this file."""
    cluster = framework.cluster
    cur = con.execute(_LOADED_SHEETS_SQL, [framework.year, cluster, cluster, framework.year])
    names = [d[0] for d in cur.description]
    trees: dict[tuple[str, str], list[dict]] = {}
    for r in cur.fetchall():
        row = dict(zip(names, r, strict=True))
        trees.setdefault((row["cluster"], row["unit"]), []).append(row)
    same = 0
    for (c, unit), tree in trees.items():
        if (framework.year, fold(c), fold(unit)) in skip:
            continue
        result = compare(framework_nodes(tree), framework.nodes)
        if result.differences:
            n = len(result.differences)
            report.warn(
                f"Bảng chấm điểm đã nạp của {unit} ({c}, tệp {tree[0]['source_file']}) khác bảng "
                f"điểm chuẩn này ở {n} tiêu chí — xem trang Đơn vị."
            )
        else:
            same += 1
    if same:
        report.note(f"{same} bảng chấm điểm đã nạp khớp với bảng điểm chuẩn này.")
