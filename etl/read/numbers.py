"""Numbers as Vietnamese clerks type them: "3,5", "12.489,4", "- 0,5", "77,67 triệu đồng".

The reader hands every cell over as a string (real numeric cells rendered as
plain decimals such as "3.5" or "80000") or None. `parse_number` reads one
cell; `resolve_column` settles the cells that cannot be read alone ("13.100":
thirteen point one or thirteen thousand one hundred?) from the rest of their
column, and leaves them ambiguous rather than guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import polars as pl

from etl.read.text import lookalike, nfc, roman_to_int, strip_diacritics


@dataclass(frozen=True, slots=True)
class Parsed:
    kind: Literal["empty", "number", "text", "ambiguous"]
    value: float | None = None  # for "ambiguous": the decimal-point reading
    alt: float | None = None  # "ambiguous" only: the thousands-separator reading
    percent: bool = False
    raw: str = ""


# The decimal separator a cell proves for its column, if any.
_Style = Literal["comma", "point"] | None

_EMPTY = frozenset({"", "-", "—", "–", "x", "X", "/", "…", "..."})

# Sign: ASCII, the Unicode minus, and the dashes that Word's autocorrect or a
# copy from a web page put in place of a typed "-" (workbooks.md §1, look-alikes).
_MINUS = "-−–—‐‑‒﹣－"
_CELL = re.compile(
    r"(?P<sign>[+" + re.escape(_MINUS) + r"])?\s*"
    r"(?P<body>[0-9](?:[0-9., ]*[0-9])?|[.,][0-9]+)"
    # A unit starts with a letter or "%"; digits only right after a letter ("m2").
    r"(?:\s*(?P<unit>(?:%|[^\W\d_])(?:[^\d]|(?<=[^\W\d_])[0-9])*))?"
)
_SCIENTIFIC_UNIT = re.compile(r"[eE][0-9]")

_PLAIN = re.compile(r"[0-9]+")
_AMBIGUOUS = re.compile(r"[1-9][0-9]{0,2}\.[0-9]{3}")
_DECIMAL_POINT = re.compile(r"([0-9]+)\.([0-9]+)")
_DECIMAL_COMMA = re.compile(r"([0-9]+),([0-9]+)")
_LEADING_SEPARATOR = re.compile(r"([.,])([0-9]+)")
_DOT_THOUSANDS = re.compile(r"([1-9][0-9]{0,2}(?:\.[0-9]{3})+)(?:,([0-9]+))?")
_COMMA_THOUSANDS = re.compile(r"([1-9][0-9]{0,2}(?:,[0-9]{3})+)(?:\.([0-9]+))?")
_SPACE_THOUSANDS = re.compile(r"([1-9][0-9]{0,2}(?: [0-9]{3})+)(?:([.,])([0-9]+))?")


def _decimal(integer: str, fraction: str | None, negative: bool) -> float:
    # Going through the typed digits keeps "0,1" exactly float("0.1").
    text = integer + ("." + fraction if fraction else "")
    return float("-" + text if negative else text)


def _read_body(body: str, negative: bool) -> tuple[float, float | None, _Style] | None:
    """(value, thousands reading if ambiguous, style) or None when `body` is no number."""
    if _PLAIN.fullmatch(body):
        return _decimal(body, None, negative), None, None
    if _AMBIGUOUS.fullmatch(body):
        whole, _, fraction = body.partition(".")
        return _decimal(whole, fraction, negative), _decimal(whole + fraction, None, negative), None
    if m := _DECIMAL_POINT.fullmatch(body):
        return _decimal(m[1], m[2], negative), None, "point"
    # "1,234" is one point two three four in Vietnamese, so this comes before
    # the English thousands reading.
    if m := _DECIMAL_COMMA.fullmatch(body):
        return _decimal(m[1], m[2], negative), None, "comma"
    if m := _LEADING_SEPARATOR.fullmatch(body):
        return _decimal("0", m[2], negative), None, "comma" if m[1] == "," else "point"
    if m := _DOT_THOUSANDS.fullmatch(body):
        return _decimal(m[1].replace(".", ""), m[2], negative), None, "comma"
    if m := _COMMA_THOUSANDS.fullmatch(body):
        return _decimal(m[1].replace(",", ""), m[2], negative), None, "point"
    if m := _SPACE_THOUSANDS.fullmatch(body):
        style: _Style = None if m[2] is None else "comma" if m[2] == "," else "point"
        return _decimal(m[1].replace(" ", ""), m[3], negative), None, style
    return None


def _scan(raw: str | None) -> tuple[Parsed, _Style]:
    if raw is None:
        return Parsed("empty"), None
    text = nfc(raw)
    if text in _EMPTY:
        return Parsed("empty", raw=raw), None
    m = _CELL.fullmatch(text)
    if m is None:
        return Parsed("text", raw=raw), None
    unit = m["unit"] or ""
    read = _read_body(m["body"], bool(m["sign"]) and m["sign"] in _MINUS)
    # "1e5" would otherwise read as 1 with the unit "e5".
    if read is None or _SCIENTIFIC_UNIT.match(unit):
        return Parsed("text", raw=raw), None
    value, alt, style = read
    percent = unit.startswith("%")
    kind: Literal["number", "ambiguous"] = "number" if alt is None else "ambiguous"
    return Parsed(kind, value, alt, percent, raw), style


def parse_number(raw: str | None) -> Parsed:
    """Read one cell: a number with an optional sign and unit, an empty mark, or text."""
    return _scan(raw)[0]


def resolve_column(cells: Sequence[Parsed], amounts: bool = False) -> list[Parsed]:
    """Settle "13.100"-like cells from the separators the rest of the column uses.

    With no evidence, or contradictory evidence, the cells stay ambiguous so
    that the clerk is asked to retype them, unless the column holds amounts
    (money, counts), where a dot is a thousands separator.
    """
    styles = {_scan(cell.raw)[1] for cell in cells if cell.kind == "number"}
    if "comma" in styles and "point" not in styles:
        thousands: bool | None = True
    elif "point" in styles and "comma" not in styles:
        thousands = False
    else:
        thousands = True if amounts else None
    if thousands is None:
        return list(cells)
    return [
        replace(cell, kind="number", value=cell.alt if thousands else cell.value, alt=None)
        if cell.kind == "ambiguous"
        else cell
        for cell in cells
    ]


def parse_column(raw: Sequence[str | None], amounts: bool = False) -> list[Parsed]:
    return resolve_column([parse_number(cell) for cell in raw], amounts)


def fast_floats(series: pl.Series) -> tuple[pl.Series, pl.Series]:
    """(values, needs_slow) for a column of strings, without a Python loop.

    `values` holds the cells in plain "-?digits(.digits)?" form and null
    elsewhere; `needs_slow` marks the other non-null cells, which must go
    through `parse_number`. "80.000" is plain-looking but ambiguous, so it is
    left to the slow path.
    """
    strings = series.cast(pl.String)
    frame = pl.DataFrame({"s": strings})
    cell = pl.col("s")
    plain = cell.str.contains(r"^-?[0-9]+(?:\.[0-9]+)?$") & ~cell.str.contains(
        r"^-?[1-9][0-9]{0,2}\.[0-9]{3}$"
    )
    result = frame.select(
        values=pl.when(plain).then(cell.cast(pl.Float64, strict=False)),
        needs_slow=cell.is_not_null() & ~plain.fill_null(False),
    )
    return result["values"].alias(series.name), result["needs_slow"].alias(series.name)


# --- Ranks typed by people ---------------------------------------------------------------------

_RANK_WORDS = {
    "nhat": 1,
    "mot": 1,
    "nhi": 2,
    "hai": 2,
    "ba": 3,
    "tu": 4,
    "bon": 4,
    "nam": 5,
    "sau": 6,
    "bay": 7,
    "tam": 8,
    "chin": 9,
    "muoi": 10,
}
# Words around the rank itself: "Hạng Nhất", "Thứ 2", "Xếp thứ 3", "2 (đồng hạng)", "Đồng hạng 2".
_RANK_FILLER = re.compile(r"\b(?:dong\s*hang|dong|xep\s*thu|xep\s*hang|xep|hang|thu|giai)\b")
_RANK_NUMBER = re.compile(r"0*([1-9][0-9]{0,3})(?:[.,]0+)?")


def parse_rank(raw: str | None) -> int | None:
    """A rank as typed in a Xếp hạng / Xếp thứ / Hạng column, or None when it is not one.

    "1", "01", "1.0", "Nhất", "Hạng Nhì", "Thứ 2", Roman "III", "2 (đồng hạng)", "Đồng hạng 2".
    """
    if raw is None or nfc(raw) in _EMPTY:
        return None
    text = strip_diacritics(lookalike(nfc(raw))).lower()
    text = _RANK_FILLER.sub(" ", re.sub(r"[()\[\]:;]", " ", text))
    text = " ".join(text.split()).strip(" .-")
    if not text:
        return None
    if m := _RANK_NUMBER.fullmatch(text):
        return int(m.group(1))
    if text in _RANK_WORDS:
        return _RANK_WORDS[text]
    if re.fullmatch(r"[ivx]+", text):
        return roman_to_int(text)
    return None
