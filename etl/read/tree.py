"""Building the criteria tree of a scoring sheet from the order of its rows and the style of codes.

Codes are not unique ("a", "b" restart under every parent), so a row's parent is found by its code
*style*: a row whose style is already open on the stack closes everything below that level and
becomes a sibling; a new style opens a level below the current row. Bullets and empty codes are
children of the nearest coded row above.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from etl.read.text import fold_header, roman_to_int

BULLETS = {"", "-", "+", "*", "•", "–", "—", "·", "o", "∙", "‒", "+)", "-)"}
_NAMED = re.compile(r"^(tieu chuan|tieu chi|phan|muc|chuong|nhom|linh vuc)\s+([0-9]+|[ivxlc]+)$")
_NUM = re.compile(r"^\d+(?:\.\d+)*$")
_LETTER = re.compile(r"^[A-Za-z]$")
_ALNUM = re.compile(r"^([A-Za-z])\.?(\d+(?:\.\d+)*)$")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_AMBIGUOUS_ROMAN = {"I", "V", "X", "L", "C", "D", "M"}


@dataclass(frozen=True)
class CodeStyle:
    key: str  # rows with the same key are siblings when their level is open
    ordinal: int | None = None  # position in its sequence (a=1, III=3), for roman/letter choice
    letter: str | None = None


def clean_code(code: str | None) -> str:
    if code is None:
        return ""
    return code.strip().rstrip(".):").strip()


_NUM_STYLES = [CodeStyle(f"num{d}") for d in range(1, 12)]


def code_style(code: str | None) -> CodeStyle | None:
    """The style of a code, or None for a bullet or an empty code."""
    c = clean_code(code)
    if c in BULLETS or not c:
        return None
    if c[0].isdigit() and c.replace(".", "").isdigit() and ".." not in c:
        depth = c.count(".")
        return _NUM_STYLES[depth] if depth < len(_NUM_STYLES) else CodeStyle(f"num{depth + 1}")
    m = _ALNUM.match(c)
    if m:
        return CodeStyle(f"alnum{m.group(2).count('.') + 1}", letter=m.group(1).lower())
    folded = fold_header(c)
    m = _NAMED.match(folded)
    if m:
        return CodeStyle(f"named:{m.group(1)}", _ordinal(m.group(2)))
    if _ROMAN.match(c) and roman_to_int(c):
        return CodeStyle("roman", roman_to_int(c), letter=c.lower() if len(c) == 1 else None)
    if _LETTER.match(c):
        case = "u" if c.isupper() else "l"
        return CodeStyle(f"letter_{case}", ord(c.lower()) - 96, letter=c.lower())
    return CodeStyle("other")


def _ordinal(token: str) -> int | None:
    return int(token) if token.isdigit() else roman_to_int(token)


def normalise_code(code: str | None) -> str:
    """Codes compared loosely: 'a.7' and 'a7' and 'A7.' are the same reference."""
    return re.sub(r"[\s.)]", "", clean_code(code)).lower()


def _letter_as(style: CodeStyle, stack: list[tuple[str, CodeStyle]]) -> CodeStyle:
    """Resolve a single letter that is both a roman numeral and a letter, and the letter case.

    "C" after "b" continues a letter list (Tiền Giang writes a, b., C, d.); "II" after "I"
    continues a roman list; otherwise an upper-case I, V, X is roman and C, D, L, M a letter.
    """
    c = style.letter
    assert c is not None
    for key, last in reversed(stack):
        if (
            key.startswith("letter")
            and last.ordinal is not None
            and last.ordinal + 1 == ord(c) - 96
        ):
            return CodeStyle(key, ord(c) - 96, letter=c)
        if key == "roman" and last.ordinal is not None and last.ordinal + 1 == roman_to_int(c):
            return CodeStyle("roman", roman_to_int(c), letter=c)
    if style.key == "roman":
        if c.upper() in ("I", "V", "X"):
            return style
        return CodeStyle("letter_u", ord(c) - 96, letter=c)
    return style


def _number_depth(codes: list[str | None] | pl.Series) -> pl.Series:
    """The depth of each plain dotted-number code ("3.3.2" -> 3), null for any other code."""
    s = pl.Series("s", codes, dtype=pl.String).str.strip_chars().str.strip_chars_end(".):")
    depth = s.str.count_matches(r"\.") + 1
    return pl.select(pl.when(s.str.contains(r"^\d+(?:\.\d+)*$")).then(depth)).to_series()


def numeric_keys(codes: list[str | None] | pl.Series) -> list[str | None]:
    """Style keys of plain dotted-number codes ("3.3.2"), computed vectorised; None elsewhere.

    Large sheets are mostly such codes, so this keeps build_tree's per-row work small.
    """
    depth = _number_depth(codes)
    return pl.select(pl.lit("num") + depth.cast(pl.String)).to_series().to_list()


# Deeper than this, a numbered list is left to build_tree.
_MAX_NUMBERED_DEPTH = 12


def numbered_tree(codes: pl.Series) -> tuple[list[int | None], list[int]] | None:
    """build_tree's result for a sheet numbered throughout with plain codes ("1", "1.1", "1.1.1")
    that starts at the top level and never goes down more than one level at a time, computed
    vectorised (a large generated sheet is one); None for any other sheet.

    Under those conditions the open levels are always 1..depth of the row above, so a row's
    parent is the last row one level up and its level is its depth."""
    depth = _number_depth(codes)
    if depth.is_empty() or depth.null_count() or depth[0] != 1:
        return None
    top = depth.max()
    if not isinstance(top, int) or top > _MAX_NUMBERED_DEPTH or (depth.diff() > 1).any():
        return None
    d = pl.col("d")
    row = pl.int_range(pl.len(), dtype=pl.Int64)
    parent = pl.lit(None, dtype=pl.Int64)
    for level in range(2, top + 1):
        last_above = pl.when(d == level - 1).then(row).forward_fill()
        parent = pl.when(d == level).then(last_above).otherwise(parent)
    frame = pl.DataFrame({"d": depth}).with_columns(parent.alias("p"))
    return frame["p"].to_list(), depth.to_list()


def ordinal(code: str | None, style: CodeStyle) -> int | None:
    """Position of a code in its list ("II" -> 2, "4" -> 4, "c" -> 3)."""
    if style.key.startswith("num"):
        last = clean_code(code).split(".")[-1]
        return int(last) if last.isdigit() else None
    return style.ordinal


def place_headings(codes: list[str | None], headings: list[int]) -> dict[int, str]:
    """Where each uncoded section heading ("Điểm thưởng", "Trừ điểm:") belongs.

    A heading opens a top-level section ("top") unless the top-level list goes on after it
    ("I", heading, "II"): then it sits inside the current criterion ("inside"), and the bullets
    under it are its own.
    """
    if not headings:
        return {}
    cache: dict[int, CodeStyle | None] = {}

    def style(k: int) -> CodeStyle | None:
        if k not in cache:
            cache[k] = code_style(codes[k])
        return cache[k]

    first = next((k for k in range(len(codes)) if style(k) is not None), None)
    placement: dict[int, str] = {}
    for h in headings:
        placement[h] = "top"
        if first is None or first > h:
            continue
        top = style(first)
        assert top is not None
        before = next(
            (k for k in range(h - 1, first - 1, -1) if (st := style(k)) and st.key == top.key), None
        )
        after = next(
            (k for k in range(h + 1, len(codes)) if (st := style(k)) and st.key == top.key), None
        )
        if before is not None and after is not None:
            prev = ordinal(codes[before], style(before) or top)
            nxt = ordinal(codes[after], style(after) or top)
            if prev is not None and nxt == prev + 1:
                placement[h] = "inside"
    return placement


def build_tree(
    codes: list[str | None],
    headings: dict[int, str] | None = None,
    keys: list[str | None] | None = None,
) -> tuple[list[int | None], list[int]]:
    """Parent index (or None) and level (1 = top) of every row, from codes in sheet order.

    ``headings`` maps uncoded section headings to "top" (opens a new top-level branch) or
    "inside" (a child of the nearest coded row that the bullets after it hang under); see
    place_headings. ``keys[i]``, when given and not None, is row i's style key already computed
    (see numeric_keys).
    """
    headings = headings or {}
    parents: list[int | None] = []
    levels: list[int] = []
    # The open levels, outermost first, as parallel lists (this loop runs once per row of a
    # possibly huge sheet). A style key is open at most once, so `where` finds it.
    open_keys: list[str] = []
    open_rows: list[int] = []
    open_styles: list[CodeStyle] = []
    where: dict[str, int] = {}
    last_coded: int | None = None
    plain = _NUM_STYLES[0]
    for i, code in enumerate(codes):
        key = keys[i] if keys is not None else None
        if key is not None and key in where and i not in headings:
            # The common row of a large sheet: a plain number code of a level already open.
            at = where[key]
            for k in open_keys[at + 1 :]:
                del where[k]
            del open_keys[at + 1 :], open_rows[at + 1 :], open_styles[at + 1 :]
            open_rows[at] = i
            open_styles[at] = plain
            parent = open_rows[at - 1] if at else None
            parents.append(parent)
            levels.append(1 if parent is None else levels[parent] + 1)
            last_coded = i
            continue
        placed = headings.get(i)
        if placed == "top":
            open_keys, open_rows, open_styles = ["section"], [i], [CodeStyle("section")]
            where = {"section": 0}
            parents.append(None)
            levels.append(1)
            last_coded = i
            continue
        if placed == "inside":
            parent = last_coded
            parents.append(parent)
            levels.append(1 if parent is None else levels[parent] + 1)
            last_coded = i
            continue
        style = plain
        if key is None:
            found = code_style(code)
            if found is None:
                parent = last_coded
                parents.append(parent)
                levels.append(1 if parent is None else levels[parent] + 1)
                continue
            style = found
            if style.letter is not None and (
                style.key == "roman" or style.key.startswith("letter")
            ):
                style = _letter_as(style, list(zip(open_keys, open_styles, strict=True)))
            key = style.key
        reopened = where.get(key)
        if reopened is not None:
            for k in open_keys[reopened:]:
                del where[k]
            del open_keys[reopened:], open_rows[reopened:], open_styles[reopened:]
        if open_rows:
            parent = open_rows[-1]
            parents.append(parent)
            levels.append(levels[parent] + 1)
        else:
            parents.append(None)
            levels.append(1)
        where[key] = len(open_keys)
        open_keys.append(key)
        open_rows.append(i)
        open_styles.append(style)
        last_coded = i
    return parents, levels
