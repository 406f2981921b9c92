"""Finding the table in a sheet: title block above, header row(s), data rows, footer below.

Headers are matched by name (workbooks.md §1): case, diacritics, line breaks, double spaces and
trailing punctuation do not matter, and each role has synonyms. A header may take two rows: a
merged group cell above sub-headers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from etl.read.text import canonical_cluster, fold_header, nfc
from etl.read.workbook import Sheet

HEADER_SCAN_ROWS = 40

# Role -> header synonyms, already folded (no diacritics, lower case).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": ("stt", "tt", "so tt", "so thu tu", "ma", "ma tieu chi", "ma so", "muc"),
    "criterion": (
        "noi dung",
        "tieu chi",
        "noi dung tieu chi",
        "tieu chuan thi dua",
        "noi dung cham diem",
        "noi dung danh gia",
        "noi dung thi dua",
        "tieu chuan",
        "noi dung tieu chuan",
        "ten tieu chi",
        "cac tieu chi",
        "tieu chi cham diem",
        "tieu chi thi dua",
        "name",
    ),
    "max": (
        "diem chuan",
        "chuan",
        "diem toi da",
        "thang diem",
        "diem quy dinh",
        "diem chuan toi da",
        "so diem toi da",
        "diem",
        "score",
    ),
    "bonus_allowed": ("thuong", "diem thuong (cong)", "diem thuong cong", "cong"),
    "deduction_allowed": ("tru", "diem tru"),
    "self": (
        "diem tu cham",
        "tu cham",
        "don vi tu cham",
        "diem tu danh gia",
        "tu danh gia",
        "diem don vi tu cham",
        "tu cham diem",
    ),
    "assessed": (
        "diem cum cham",
        "cum cham",
        "diem khoi cham",
        "khoi cham",
        "diem tham dinh",
        "tham dinh",
        "diem cham cheo",
        "diem doan kiem tra",
        "diem hoi dong cham",
        "ket qua tham dinh",
        "cham cheo",
        "doan kiem tra cham",
        "hoi dong cham",
        "diem cum tham dinh",
        "diem khoi tham dinh",
        "cum tham dinh",
        "khoi tham dinh",
    ),
    "note": ("ghi chu",),
    "unit": ("don vi", "ten don vi", "ten tap the", "tap the", "co quan, don vi", "co quan don vi"),
    "bonus": (
        "diem thuong",
        "diem cong",
        "diem thuong (cong)",
        "diem thuong cong",
        "thuong",
        "cong",
    ),
    "deduction": ("diem tru", "tru"),
    "total": ("tong diem", "tong cong", "diem dat", "tong so diem", "tong", "tong diem dat"),
    "rank": ("xep hang", "xep thu", "thu hang", "hang", "thu tu xep hang"),
    "classification": ("xep loai", "xep loai thi dua", "ket qua xep loai"),
    "proposal": (
        "de nghi khen thuong",
        "hinh thuc khen thuong (de nghi)",
        "hinh thuc khen thuong de nghi",
        "hinh thuc khen thuong",
        "de nghi",
        "de nghi hinh thuc khen thuong",
    ),
    "target": ("chi tieu", "noi dung chi tieu", "noi dung dang ky", "ten chi tieu", "noi dung"),
    "uom": ("dvt", "don vi tinh", "d.v.t", "dv tinh"),
    "planned": (
        "chi tieu dang ky",
        "dang ky",
        "ke hoach",
        "kh",
        "kh nam",
        "muc tieu",
        "chi tieu giao",
        "ke hoach nam",
        "chi tieu ke hoach",
    ),
    "actual": (
        "ket qua thuc hien",
        "thuc hien",
        "th",
        "ket qua",
        "uoc thuc hien",
        "uoc th",
        "ket qua dat duoc",
    ),
    "pct": (
        "ty le (%)",
        "ty le",
        "% so kh",
        "ty le hoan thanh",
        "ty le hoan thanh (%)",
        "% kh",
        "ty le %",
    ),
    "direction": ("chieu", "huong", "chieu (tang/giam)", "huong (tang/giam)"),
    "indicator": ("chi tieu", "ten chi tieu", "noi dung", "chi tieu kinh te - xa hoi"),
    "source": ("nguon", "nguon so lieu", "nguon du lieu"),
    "cluster": (
        "cum",
        "khoi",
        "cum/khoi thi dua",
        "cum, khoi thi dua",
        "cum thi dua",
        "khoi thi dua",
        "cum/khoi",
        "cum khoi",
    ),
    "role": (
        "vai tro",
        "chuc danh trong cum",
        "vai tro trong cum",
        "chuc danh trong khoi",
        "chuc danh",
    ),
    "short_name": ("ten viet tat", "viet tat"),
    "year": ("nam",),
    "period": ("ky", "ky bao cao", "ky danh gia"),
    # A framework flattened as Level | Order | Score | Name (workbooks.md §6b).
    "level": ("level", "cap", "cap do", "cap tieu chi"),
    "order": ("order", "thu tu", "thu tu trong cap"),
    # Kind G (award proposals).
    "person": ("ho va ten", "ho ten", "ten ca nhan", "ca nhan", "ho va ten ca nhan"),
    "award": (
        "hinh thuc khen thuong",
        "hinh thuc de nghi",
        "danh hieu de nghi",
        "danh hieu thi dua",
        "hinh thuc khen thuong de nghi",
        "hinh thuc khen thuong (de nghi)",
        "hinh thuc de nghi khen thuong",
        "de nghi khen thuong",
        "danh hieu, hinh thuc khen thuong",
        "hinh thuc, danh hieu de nghi",
        "danh hieu thi dua, hinh thuc khen thuong de nghi",
        "danh hieu thi dua, hinh thuc khen thuong",
        "hinh thuc khen thuong, danh hieu thi dua",
        "danh hieu thi dua va hinh thuc khen thuong",
        "hinh thuc khen thuong duoc de nghi",
        "danh hieu",
        "hinh thuc",
    ),
    "achievement": (
        "thanh tich",
        "ly do",
        "tom tat thanh tich",
        "thanh tich dat duoc",
        "ly do khen thuong",
        "thanh tich noi bat",
        "ly do de nghi",
    ),
    "decision": (
        "so quyet dinh",
        "quyet dinh so",
        "quyet dinh",
        "so, ngay quyet dinh",
        "so quyet dinh khen thuong",
        "quyet dinh khen thuong",
    ),
    "decision_date": ("ngay quyet dinh", "ngay ky quyet dinh", "ngay ky"),
    # Kind H (the campaign calendar).
    "phase": ("dot thi dua", "giai doan", "dot", "dot, giai doan", "ten dot thi dua", "thoi ky"),
    "theme": ("chu de", "chu de thi dua", "noi dung phat dong", "chu de, noi dung"),
    "start": ("tu ngay", "ngay bat dau", "bat dau", "thoi gian bat dau"),
    "end": ("den ngay", "ngay ket thuc", "ket thuc", "thoi gian ket thuc"),
}


@dataclass(frozen=True)
class ColumnRoles:
    """The column roles (keys of SYNONYMS) a kind of table can use, and those it needs before a
    header is taken for that kind (a tuple inside ``needs`` is "one of"). Each kind declares its
    own in etl.kinds.registry; the reader is told them."""

    uses: tuple[str, ...]
    needs: tuple[str | tuple[str, ...], ...]


# "2024", "TH 2024", "Ước 2025", "KH 2026", also with "năm": "Ước thực hiện năm 2025".
_YEAR_COLUMN = re.compile(
    r"^(?:(uoc thuc hien|uoc tinh|uoc th|uoc|thuc hien|th|ke hoach|kh|nam)\s*)?(?:nam\s*)?"
    r"(20\d\d|19\d\d)$"
)
_TARGET_COLUMN = re.compile(r"muc tieu|nghi quyet|\bnq\b|chi tieu den nam")
_COLUMN_NUMBERS = re.compile(r"^\(?[0-9a-z]{1,2}\)?$|=")


@dataclass
class Layout:
    kind: str
    header_top: int
    header_bottom: int  # last header row (== header_top for a one-row header)
    columns: dict[str, int]  # role -> absolute column
    data_start: int
    data_stop: int  # exclusive: first footer row or the sheet's end
    unit_columns: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    year_columns: list[tuple[int, str, int]] = field(default_factory=list)  # (year, kind, col)
    target_column: int | None = None
    header_year: int | None = None  # a year written in the header itself ("Năm 2026" over columns)
    # Columns read although hidden, because no visible column carries their role: col -> header.
    hidden_read: dict[int, str] = field(default_factory=dict)
    # Columns with a header that nothing reads: col -> header (workbooks.md §1: each is named).
    unread: dict[int, str] = field(default_factory=dict)
    # Hidden columns of a role a visible column carries (an older copy the office kept):
    # col -> (its header, the visible column read instead, that column's header).
    older_copies: dict[int, tuple[str, int, str]] = field(default_factory=dict)


def _match_role(label: str, roles: tuple[str, ...]) -> str | None:
    if not label:
        return None
    candidates = [label]
    stripped = re.sub(r"\s*\([^)]*\)\s*", " ", label).strip()
    if stripped and stripped != label:
        candidates.append(stripped)
    for cand in candidates:
        for role in roles:
            if cand in SYNONYMS[role]:
                return role
    return None


def _merged_value(
    sheet_rows: list[list[str | None]],
    merged: list[tuple[int, int, int, int]],
    top: int,
    r: int,
    c: int,
) -> str | None:
    """The value shown at (r, c): the cell's own or its merge anchor's."""
    row = sheet_rows[r - top] if 0 <= r - top < len(sheet_rows) else []
    v = row[c] if c < len(row) else None
    if v is not None:
        return v
    for r1, c1, r2, c2 in merged:
        if r1 <= r <= r2 and c1 <= c <= c2 and (r1, c1) != (r, c):
            arow = sheet_rows[r1 - top] if 0 <= r1 - top < len(sheet_rows) else []
            return arow[c1] if c1 < len(arow) else None
    return None


def _labels(rows: list[list[str | None]], merged, top: int, r: int, width: int) -> list[str]:
    return [fold_header(_merged_value(rows, merged, top, r, c) or "") for c in range(width)]


def _is_numbers_row(values: list[str]) -> bool:
    filled = [v for v in values if v]
    return len(filled) >= 3 and all(_COLUMN_NUMBERS.search(v) for v in filled)


@dataclass
class _Candidate:
    kind: str
    score: float
    columns: dict[str, int]
    bottom: int
    top_labels: list[str]
    sub_labels: list[str]


def _assign(
    kind: str,
    wanted: ColumnRoles,
    top_labels: list[str],
    sub_labels: list[str] | None,
    hidden: frozenset[int] = frozenset(),
) -> _Candidate | None:
    """Columns of each role; a visible column wins over a hidden one of the same role (offices
    hide an earlier version, "Điểm tự chấm (lần 1)", and keep it)."""
    roles, required = wanted.uses, wanted.needs
    columns: dict[str, int] = {}
    width = len(top_labels)
    for c in range(width):
        top = top_labels[c]
        sub = sub_labels[c] if sub_labels else ""
        tries = [sub, f"{top} {sub}".strip(), top] if sub else [top]
        for label in tries:
            role = _match_role(label, roles)
            # "Điểm" alone is a max only when nothing more specific sits under it.
            if role == "max" and label == "diem" and sub:
                role = None
            if role and (role not in columns or (columns[role] in hidden and c not in hidden)):
                columns[role] = c
                break
    for need in required:
        options = need if isinstance(need, tuple) else (need,)
        if not any(o in columns for o in options):
            return None
    score = len(columns) + (0.5 if sub_labels else 0)
    return _Candidate(kind, score, columns, 0, top_labels, sub_labels or [])


def find_layout(sheet: Sheet, kinds: Mapping[str, ColumnRoles]) -> Layout | None:
    """The best-matching table layout of any of ``kinds`` (code -> its column roles, in the order
    that wins a tie), or None."""
    scan = min(sheet.height, HEADER_SCAN_ROWS + 2)
    rows = sheet.rows(0, scan)
    width = sheet.width
    best: tuple[float, int, _Candidate] | None = None
    for r in range(min(sheet.height, HEADER_SCAN_ROWS)):
        top = _labels(rows, sheet.merged, 0, r, width)
        if sum(1 for v in top if v) < 2:
            continue
        sub = _labels(rows, sheet.merged, 0, r + 1, width) if r + 1 < scan else None
        sub_is_header = sub is not None and _looks_like_subheader(top, sub)
        for kind, wanted in kinds.items():
            for sub_labels in ([sub] if sub_is_header else []) + [None]:
                cand = _assign(kind, wanted, top, sub_labels, sheet.hidden_cols)
                if cand is None:
                    continue
                cand.bottom = r + 1 if sub_labels else r
                extra = _kind_bonus(kind, cand, top, sub_labels, sheet.hidden_cols)
                if extra is None:
                    continue
                score = cand.score + extra
                if best is None or score > best[0]:
                    best = (score, r, cand)
        if best is not None and best[1] == r and best[0] >= 3:
            break  # the first strong header wins; later rows are data
    if best is None:
        return None
    _, top_row, cand = best
    layout = Layout(cand.kind, top_row, cand.bottom, cand.columns, cand.bottom + 1, sheet.height)
    layout.header_year = next(
        (
            int(m.group(1))
            for v in cand.top_labels
            if (m := re.search(r"\bnam ((?:19|20)\d\d)\b", v))
        ),
        None,
    )
    numbers = sheet.rows(layout.data_start, layout.data_start + 1)
    if numbers and _is_numbers_row([fold_header(v or "") for v in numbers[0]]):
        layout.data_start += 1
    _within_excel_table(layout, sheet)
    hidden = sheet.hidden_cols
    if cand.kind == "D":
        _year_columns(layout, cand, hidden)
    if cand.kind == "A2":
        _unit_columns(layout, cand, rows, sheet.merged, hidden)
    used = list(cand.columns.values()) + [c for _, _, c in layout.year_columns]
    used += [c for _, group in layout.unit_columns for c in group.values()]
    if layout.target_column is not None:
        used.append(layout.target_column)

    def label_of(c: int) -> str:
        words = [
            nfc(v)
            for r in range(layout.header_top, layout.header_bottom + 1)
            if (v := _merged_value(rows, sheet.merged, 0, r, c)) and nfc(v)
        ]
        return " ".join(dict.fromkeys(words))

    # A hidden column headed like a column that is read is the older copy the office kept: the
    # visible one is what the clerk sees, so the hidden one is not "left unread".
    read_labels = [fold_header(label_of(c)) for c in used if c not in hidden]
    for c in range(width):
        if c in used:
            continue
        label = label_of(c)
        if not label or _COLUMN_NUMBERS.search(fold_header(label)):
            continue
        folded = fold_header(label)
        if c in hidden and any(r == folded or r.endswith(" " + folded) for r in read_labels):
            continue
        role = _match_role(folded, kinds[cand.kind].uses) if c in hidden else None
        shown = cand.columns.get(role) if role else None
        if shown is not None and shown not in hidden:
            layout.older_copies[c] = (label, shown, label_of(shown))
            continue
        layout.unread[c] = label
    for c in sorted(set(used) & hidden):
        raw = sheet.rows(layout.header_bottom, layout.header_bottom + 1)[0]
        label = _merged_value(rows, sheet.merged, 0, layout.header_bottom, c) or (
            raw[c] if c < len(raw) else None
        )
        layout.hidden_read[c] = nfc(label or "")
    return layout


def _within_excel_table(layout: Layout, sheet: Sheet) -> None:
    """A range formatted as an Excel Table is read by its own header; its totals row is a total,
    never data, whatever its label (workbooks.md §1)."""
    for table in sheet.tables:
        if table.header_rows and table.top in (layout.header_top, layout.header_bottom):
            if table.totals_rows:
                layout.data_stop = min(layout.data_stop, table.bottom - table.totals_rows + 1)
            return


def _looks_like_subheader(top: list[str], sub: list[str]) -> bool:
    filled = [v for v in sub if v]
    if not filled:
        return False
    known = sum(1 for v in filled if any(v in syns for syns in SYNONYMS.values()))
    # Bare years ("2025" under "Ước thực hiện") are labels, not data.
    numeric = sum(
        1
        for v in filled
        if re.fullmatch(r"[-+]?[\d.,\s]+", v) and not re.fullmatch(r"(19|20)\d\d", v)
    )
    if numeric * 2 >= len(filled):
        return False
    # Sub-headers sit under a group cell or a blank (merged) top cell.
    return known >= 1 and any(not top[c] or top[c] != sub[c] for c, v in enumerate(sub) if v)


def _kind_bonus(kind, cand: _Candidate, top, sub, hidden: frozenset[int]) -> float | None:
    cols = cand.columns
    if kind == "A":
        # Repeated "Tự chấm | Cụm chấm" pairs under unit names make a matrix (A2), not one unit;
        # a hidden earlier copy of a column does not.
        subs = [v for c, v in enumerate(sub or top) if c not in hidden]
        if (
            sum(v in SYNONYMS["self"] for v in subs) > 1
            or sum(v in SYNONYMS["assessed"] for v in subs) > 1
        ):
            return None
        return 0.0
    if kind == "A2":
        if "self" in cols or "assessed" in cols:
            return None
        # Two visible unit columns make a matrix; a hidden earlier copy of one does not.
        units = [c for c in _candidate_unit_columns(cand.top_labels, sub, cols) if c not in hidden]
        return None if len(units) < 2 else 1.0 + len(units) * 0.1
    if kind == "D":
        years = [c for c, v in enumerate(top) if _YEAR_COLUMN.match(v or "")]
        years += [c for c, v in enumerate(sub or []) if _YEAR_COLUMN.match(v or "")]
        if not years:
            return None
        return 1.0 + len(years)
    if kind == "B":
        scores = sum(
            1 for k in ("self", "assessed", "total", "rank", "bonus", "deduction") if k in cols
        )
        return 0.5 * scores
    if kind == "E":
        if "cluster" not in cols and "role" not in cols:
            # A membership list without a cluster column is grouped under heading rows.
            return 0.0 if "short_name" in cols else None
        return 0.5
    if kind == "C":
        return 1.0 if "actual" in cols or "uom" in cols else 0.5
    if kind == "F":
        # A framework has no score columns; with any it is a scoring sheet (A) or matrix (A2).
        labels = [*top, *(sub or [])]
        if any(v in SYNONYMS["self"] or v in SYNONYMS["assessed"] for v in labels):
            return None
        return -0.5  # loses a tie to any other kind
    if kind == "H":
        return 1.0
    if kind == "G":
        # A summary with a proposal column is kind B: scores make it so.
        scores = ("self", "assessed", "total", "rank", "bonus", "deduction")
        labels = [*top, *(sub or [])]
        if any(_match_role(v, scores) for v in labels):
            return None
        return 1.0
    return 0.0


def _candidate_unit_columns(
    labels: list[str], sub: list[str] | None, cols: dict[str, int]
) -> list[int]:
    taken = set(cols.values())
    crit = cols.get("criterion", -1)
    out = []
    for c, label in enumerate(labels):
        if c in taken or c <= crit:
            continue
        s = (sub[c] if sub else "") or ""
        if s in SYNONYMS["self"] or s in SYNONYMS["assessed"]:
            out.append(c)
            continue
        if (
            label
            and not _match_role(label, tuple(SYNONYMS))
            and not re.fullmatch(r"[\d.,\s()%]+", label)
        ):
            out.append(c)
    return out


def _unit_columns(
    layout: Layout,
    cand: _Candidate,
    rows: list[list[str | None]],
    merged: list[tuple[int, int, int, int]],
    hidden: frozenset[int],
) -> None:
    """Unit columns of a cross-scoring matrix: a name over one column or over Tự chấm | Cụm chấm.

    A hidden column is an earlier copy when a visible column has its unit (its name without a
    trailing "(lần 1)") and role: the visible one is read.
    """
    top_row = layout.header_top
    groups: dict[str, dict[str, int]] = {}
    order: list[str] = []
    candidates = _candidate_unit_columns(cand.top_labels, cand.sub_labels or None, cand.columns)
    for c in candidates:
        # A name typed once over a pair (unmerged) names the unnamed column after it; the walk
        # never crosses a column of another role ("Điểm chuẩn") nor a visible/hidden border, so
        # an older copy hidden before a unit's columns does not take the name of the column
        # before it.
        name = None
        for dc in range(c, -1, -1):
            if dc != c and (dc not in candidates or (dc in hidden) != (c in hidden)):
                break
            v = _merged_value(rows, merged, 0, top_row, dc)
            if v:
                name = nfc(v)
                break
        if not name:
            continue
        if c in hidden:
            name = _EDITION.sub("", name) or name
        sub = cand.sub_labels[c] if cand.sub_labels else ""
        role = "self" if sub in SYNONYMS["self"] else "assessed"
        if name not in groups:
            groups[name] = {}
            order.append(name)
        taken = groups[name].get(role)
        if taken is None or (taken in hidden and c not in hidden):
            groups[name][role] = c
    layout.unit_columns = [(n, groups[n]) for n in order]


# The edition an office writes after a kept earlier column: "(lần 1)", "(cũ)", "(bản cũ)".
_EDITION = re.compile(r"\s*\([^()]*\)\s*$")


def _year_columns(layout: Layout, cand: _Candidate, hidden: frozenset[int]) -> None:
    found = []
    for c in range(len(cand.top_labels)):
        top = cand.top_labels[c]
        sub = cand.sub_labels[c] if cand.sub_labels else ""
        for label in (sub, top):
            m = _YEAR_COLUMN.match(label or "")
            if m:
                # A bare year under a merged group ("Ước thực hiện" over 2025) takes the group's word.
                prefix = (m.group(1) or (top if label is sub and top != sub else "")).strip()
                kind = (
                    "estimate"
                    if prefix.startswith("uoc")
                    else "plan"
                    if prefix.startswith(("kh", "ke hoach"))
                    else "actual"
                )
                found.append((int(m.group(2)), kind, c))
                break
        else:
            label = cand.top_labels[c]
            target = layout.target_column
            if (
                (target is None or (target in hidden and c not in hidden))
                and label
                and _TARGET_COLUMN.search(label)
            ):
                layout.target_column = c
    visible = {(y, k) for y, k, c in found if c not in hidden}
    layout.year_columns = [
        (y, k, c) for y, k, c in found if c not in hidden or (y, k) not in visible
    ]


# --- title block --------------------------------------------------------------------------------

_DATE_LINE = re.compile(r"ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s*((?:19|20)\d\d)", re.I)
# The document's own date: "ngày 18 tháng 6 năm 2026", "ngày 18/6/2026", "18-06-2026".
_DOC_DATE = (
    re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*((?:19|20)\d\d)", re.I),
    re.compile(
        r"(?:ngày\s*)?(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*((?:19|20)\d\d)(?!\d)", re.I
    ),
)
_YEAR = re.compile(r"(?<![\d/.-])năm\s*((?:19|20)\d\d)(?!\d)", re.I)
_UNIT_LINE = re.compile(r"^\s*(?:tên\s+)?(?:đơn\s*vị|tập\s*thể|cơ\s*quan)\s*:\s*(.+)$", re.I)
_UNIT_LABEL = re.compile(r"^\s*(?:tên\s+)?(?:đơn\s*vị|tập\s*thể|cơ\s*quan)\s*:?\s*$", re.I)
_PLACEHOLDER = re.compile(r"^[.…_\s-]*$")


@dataclass
class TitleInfo:
    year: int | None = None
    unit: str | None = None
    cluster: str | None = None
    period: str | None = None
    title: str | None = None
    lines: list[str] = field(default_factory=list)
    unit_cell: str | None = None
    cluster_cell: str | None = None
    date: date | None = None  # the document's date line ("…, ngày 18 tháng 6 năm 2026")
    date_cell: str | None = None
    bad_date: tuple[str, str] | None = None  # a date line whose day does not exist, and its cell


def _doc_date_parts(text: str) -> tuple[int, int, int] | None:
    """Day, month and year a place-and-date line states, possible or not."""
    for pattern in _DOC_DATE:
        m = pattern.search(text)
        # Only a place-and-date line: "Căn cứ Quyết định số 959/QĐ-UBND ngày 04/6/2024" cites
        # another document's date.
        if m and len(text[: m.start()]) <= 40 and not re.search(r"\d", text[: m.start()]):
            day, month, year = (int(g) for g in m.groups())
            return day, month, year
    return None


def parse_doc_date(text: str) -> date | None:
    """The date a place-and-date line states, or None (also for an impossible day)."""
    parts = _doc_date_parts(text)
    if parts is None:
        return None
    day, month, year = parts
    try:
        return date(year, month, day)
    except ValueError:
        return None


# A date cell as calamine writes it ("2026-06-18 00:00:00"): its format decides what the clerk sees.
_DATE_CELL = re.compile(r"^((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[ T]00:00:00(?:\.0+)?)?$")
# A label that makes the date cell after it another document's date ("Ngày ban hành:",
# "Quyết định số 15/QĐ-UBND ngày").
_CITES_BEFORE_DATE = re.compile(
    r":\s*$|(?:\d|quyết định|công văn|kế hoạch|thông báo|ban hành).*ngày\s*$", re.I
)


def date_cell_on_line(texts: list[tuple[int, str]], n: int) -> date | None:
    """The date of a date cell on the place-and-date line of the title block: the last cell of
    its row (a custom format such as '"Lâm Đồng, ngày "dd" tháng "mm" năm "yyyy' carries the
    words; the issuing body may sit on the left), not after a label citing another document."""
    m = _DATE_CELL.match(texts[n][1])
    if m is None or texts[n + 1 :] or (n and _CITES_BEFORE_DATE.search(texts[n - 1][1])):
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def impossible_doc_date(text: str) -> bool:
    """Whether a place-and-date line states a day that does not exist ("ngày 31 tháng 02")."""
    return _doc_date_parts(text) is not None and parse_doc_date(text) is None


def parse_period(text: str) -> str | None:
    t = fold_header(text)
    if re.search(r"6 thang|sau thang|06 thang|nua nam|so ket", t):
        return "H1"
    m = re.search(r"quy\s*(iv|iii|ii|i|[1-4])\b", t)
    if m:
        q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(m.group(1)) or int(m.group(1))
        return f"Q{q}"
    if re.search(r"tong ket nam|ca nam|\bnam (19|20)\d\d", t) or re.fullmatch(r"nam", t):
        return "year"
    return None


def parse_title(
    rows: list[list[str | None]],
    hidden_rows: Iterable[int] = (),
    hidden_cols: Iterable[int] = (),
) -> TitleInfo:
    """Read year, unit, cluster and period from the free-text lines above a table.

    What the clerk sees decides: an old title kept in a hidden row or column ("NĂM 2025" above the
    visible "NĂM 2026") only fills in what the visible lines do not say.
    """
    hidden_r, hidden_c = set(hidden_rows), set(hidden_cols)
    if not (hidden_r or hidden_c):
        return _parse_title(rows)
    seen = [
        [None if r in hidden_r or c in hidden_c else v for c, v in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    info = _parse_title(seen)
    rest = _parse_title(rows)
    if info.year is None:
        info.year, info.title = rest.year, info.title or rest.title
    if info.unit is None:
        info.unit, info.unit_cell = rest.unit, rest.unit_cell
    if info.cluster is None:
        info.cluster, info.cluster_cell = rest.cluster, rest.cluster_cell
    if info.period is None:
        info.period = rest.period
    return info


def _parse_title(rows: list[list[str | None]]) -> TitleInfo:
    from etl.read.workbook import address

    info = TitleInfo()
    date_year = None
    for r, row in enumerate(rows):
        texts = [(c, nfc(v)) for c, v in enumerate(row) if v and nfc(v)]
        for n, (c, text) in enumerate(texts):
            info.lines.append(text)
            m = _UNIT_LINE.match(text)
            name = m.group(1) if m else None
            if _UNIT_LABEL.match(text) and n + 1 < len(texts):
                name = texts[n + 1][1]  # "Đơn vị:" in one cell, the name in the next
            if name and not _PLACEHOLDER.match(name) and info.unit is None:
                info.unit = nfc(name).rstrip(".;,")
                info.unit_cell = address(r, c)
            cluster = canonical_cluster(text)
            if cluster and info.cluster is None:
                info.cluster = cluster
                info.cluster_cell = address(r, c)
            if info.date is None and (doc_date := parse_doc_date(text)) is not None:
                info.date, info.date_cell = doc_date, address(r, c)
            elif info.date is None and (doc_date := date_cell_on_line(texts, n)) is not None:
                info.date, info.date_cell = doc_date, address(r, c)
                date_year = date_year or doc_date.year
                continue
            elif info.bad_date is None and impossible_doc_date(text):
                info.bad_date = (text, address(r, c))
            dm = _DATE_LINE.search(text)
            if dm:
                date_year = date_year or int(dm.group(1))
                text_wo_date = _DATE_LINE.sub(" ", text)
            else:
                text_wo_date = text
            ym = _YEAR.search(text_wo_date)
            if ym and info.year is None:
                info.year = int(ym.group(1))
                if info.title is None:
                    info.title = text
            period = parse_period(text_wo_date) if not dm else None
            if period and period != "year" and info.period is None:
                info.period = period
    if info.year is None:
        info.year = date_year
    if info.period is None and info.year is not None:
        info.period = "year"
    return info


# --- rows under the header -----------------------------------------------------------------------

# Signature blocks: markers that only ever start a signature ("TM.", "KT.", "TL.", "TUQ.", "Q.",
# "Người lập biểu", "Nơi nhận:"), and bare titles ("PHÓ GIÁM ĐỐC") when the cell is nothing else.
_SIGNATURE = re.compile(
    r"^(nguoi lap|nguoi tong hop|can bo tong hop|thu truong|noi nhan|xac nhan|dai dien|ky ten|"
    r"\(ky|t/?m(\.|\s|$)|k/?t(\.|\s|$)|tl(\.|\s|$)|tuq(\.|\s|$)|q\.\s)"
)
_TITLE = re.compile(
    r"^(pho |q\. )?(giam doc|truong ban|truong phong|truong doan( kiem tra)?|truong khoi|"
    r"chanh van phong|chu tich|bi thu|cum truong|khoi truong|cum pho( thuong truc)?|khoi pho|"
    r"thu ky|lanh dao don vi|thu truong don vi|nguoi ky)\b"
)
_FOOTER_DATE = re.compile(
    r"^[^\d]{0,40},?\s*ngay\s*\.*\s*\d*\s*thang\s*\.*\s*\d*\s*nam\s*\d*|^ngay\s*\d{1,2}/\d{1,2}/\d{4}"
)


def is_footer_row(values: list[str | None]) -> bool:
    texts = [fold_header(v) for v in values if v and v.strip()]
    if not texts:
        return False
    first = texts[0]
    if _SIGNATURE.match(first):
        return True
    if _TITLE.match(first) and len(first.split()) <= 6:
        return True
    if _FOOTER_DATE.match(first) and len(texts) <= 3:
        return True
    # A date line typed as a date cell ('"Lâm Đồng, ngày "dd" tháng "mm" năm "yyyy'), alone on
    # its row or after the place ("Lâm Đồng, ngày").
    cells = [v.strip() for v in values if v and v.strip()]
    return bool(
        len(cells) <= 2
        and _DATE_CELL.match(cells[-1])
        and (len(cells) == 1 or PLACE_BEFORE_DATE.match(cells[0]))
    )


PLACE_BEFORE_DATE = re.compile(r"^[^\d]{2,40}?(?:,|,?\s*ngày)\s*$", re.I)


_TOTAL_WORDS = ("tong cong", "tong diem", "tong so diem", "tong so", "cong", "tong")
_TOTAL_PREFIX = ("tổng", "cộng", "tong", "cong")


def is_total_text(text: str | None) -> bool:
    if not text or not text.lstrip()[:4].lower().startswith(_TOTAL_PREFIX):
        return False
    t = re.sub(r"\s*\([^)]*\)\s*", " ", fold_header(text)).strip(" :.")
    if t.startswith("tong cong ty"):
        return False  # "Tổng công ty Cà phê": an enterprise, not a total
    return t in _TOTAL_WORDS or t.startswith(("tong cong", "tong diem", "tong so diem"))


# An average row under a list of units ("Bình quân", "Điểm trung bình của Cụm").
_AVERAGE = re.compile(r"^(?:diem\s+)?(?:binh quan|trung binh)\b")


def is_total_name(text: str | None) -> bool:
    """Whether a text in a unit column names a totals row, not a unit (workbooks.md §1: "Tổng
    cộng", "Cộng", "Bình quân", "Trung bình", "Tổng số")."""
    return bool(text) and (is_total_text(text) or bool(_AVERAGE.match(fold_header(text or ""))))
