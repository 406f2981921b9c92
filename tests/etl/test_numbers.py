import re

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from etl.read.numbers import Parsed, fast_floats, parse_column, parse_number, resolve_column

# --- parse_number -----------------------------------------------------------


@pytest.mark.parametrize(
    "raw", [None, "", " ", "\u00a0\t", "-", " - ", "—", "–", "x", "X", "/", "…", "..."]
)
def test_empty_marks(raw: str | None) -> None:
    assert parse_number(raw).kind == "empty"
    assert parse_number(raw).value is None


@pytest.mark.parametrize(
    ("raw", "value", "percent"),
    [
        ("3,5", 3.5, False),
        ("3.5", 3.5, False),
        ("80000", 80000.0, False),
        ("0.333333333", 0.333333333, False),
        ("0.0000001", 0.0000001, False),
        ("-0.5", -0.5, False),
        ("-0,5", -0.5, False),
        ("- 0,5", -0.5, False),
        ("+ 1,2", 1.2, False),
        ("+1", 1.0, False),
        ("−0,5", -0.5, False),
        ("–0,5", -0.5, False),
        (" 3,5 ", 3.5, False),
        ("10 điểm", 10.0, False),
        ("100 điểm", 100.0, False),
        ("- 0,5 điểm", -0.5, False),
        ("95%", 95.0, True),
        ("95 %", 95.0, True),
        ("12,5%/năm", 12.5, True),
        ("77,67 triệu đồng", 77.67, False),
        ("3,5đ", 3.5, False),
        ("12 tỷ đồng", 12.0, False),
        ("2 lần", 2.0, False),
        ("15 ngày", 15.0, False),
        ("100 hộ", 100.0, False),
        ("100 m2", 100.0, False),
        ("12.489,4", 12489.4, False),
        ("12.489,4 tỷ đồng", 12489.4, False),
        ("1.234.567", 1234567.0, False),
        ("1.234.567,89", 1234567.89, False),
        ("1,234.5", 1234.5, False),
        ("1,234,567", 1234567.0, False),
        ("1,234", 1.234, False),
        ("12 489,4", 12489.4, False),
        ("12\u00a0489,4", 12489.4, False),
        ("1 234 567", 1234567.0, False),
        ("0.125", 0.125, False),
        ("12489.4", 12489.4, False),
        ("1234.567", 1234.567, False),
        ("0,1", 0.1, False),
        (",5", 0.5, False),
        ("007", 7.0, False),
    ],
)
def test_numbers(raw: str, value: float, percent: bool) -> None:
    parsed = parse_number(raw)
    assert parsed == Parsed("number", value, None, percent, raw)


@pytest.mark.parametrize(
    ("raw", "value", "alt"),
    [
        ("80.000", 80.0, 80000.0),
        ("13.100", 13.1, 13100.0),
        ("2.125", 2.125, 2125.0),
        ("1.500", 1.5, 1500.0),
        ("-1.500", -1.5, -1500.0),
        ("5.148 USD", 5.148, 5148.0),
        ("13.100 triệu đồng", 13.1, 13100.0),
    ],
)
def test_ambiguous(raw: str, value: float, alt: float) -> None:
    assert parse_number(raw) == Parsed("ambiguous", value, alt, False, raw)


@pytest.mark.parametrize(
    "raw",
    [
        "ba",
        "Hoàn thành",
        "Đạt",
        "#REF!",
        "#DIV/0!",
        "khoảng 5",
        "(0,5)",
        "0,5)",
        "7 - 8",
        "7-8%",
        "1.5.2",
        "3 hoặc 4",
        "2 3",
        "3,5.",
        "5,",
        "1e5",
        "1E+05",
        "--5",
        "12.34.5",
        "0.125.000",
        "1,23,456",
        "x2",
        "(không xếp loại)",
    ],
)
def test_text(raw: str) -> None:
    parsed = parse_number(raw)
    assert parsed == Parsed("text", raw=raw)


def test_decimal_comma_is_exact() -> None:
    for typed in ["0,1", "0,2", "0,3", "1,1", "2,675", "77,67", "0,333"]:
        assert parse_number(typed).value == float(typed.replace(",", "."))


# --- Vietnamese and English formatting round trips --------------------------


@st.composite
def typed_numbers(draw: st.DrawFn) -> tuple[float, str, str, str]:
    """(value, integer digits, fraction digits, sign) of a number with at most 3 decimals."""
    integer = draw(st.integers(0, 10**12))
    places = draw(st.integers(0, 3))
    fraction = "".join(str(draw(st.integers(0, 9))) for _ in range(places))
    negative = draw(st.booleans())
    text = f"{integer}.{fraction}" if fraction else str(integer)
    return float(("-" if negative else "") + text), str(integer), fraction, "-" if negative else ""


def group(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    return separator.join([digits[:head], *re.findall(r"\d{3}", digits[head:])])


@given(
    typed_numbers(),
    st.booleans(),
    st.sampled_from(["", " ", "\u00a0"]),
    st.sampled_from(["-", "−", "–"]),
    st.sampled_from(["", " điểm", "điểm", " triệu đồng"]),
)
def test_vietnamese_formatting_round_trips(
    number: tuple[float, str, str, str], grouped: bool, gap: str, minus: str, unit: str
) -> None:
    value, integer, fraction, sign = number
    body = group(integer, ".") if grouped else integer
    if fraction:
        body += "," + fraction
    typed = (minus + gap if sign else "") + body + unit
    parsed = parse_number(typed)
    if re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", body):
        assert parsed.kind == "ambiguous"
        assert parsed.alt == value
    else:
        assert parsed.kind == "number"
        assert parsed.value == value


@given(typed_numbers(), st.booleans(), st.sampled_from(["", "+", "+ "]))
def test_english_formatting_round_trips(
    number: tuple[float, str, str, str], grouped: bool, plus: str
) -> None:
    value, integer, fraction, sign = number
    body = group(integer, ",") if grouped else integer
    if fraction:
        body += "." + fraction
    typed = (sign or plus) + body
    parsed = parse_number(typed)
    if re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", body):
        assert parsed.kind == "ambiguous"
        assert parsed.value == value
    elif re.fullmatch(r"\d{1,3},\d{3}", body):
        # A lone "1,234" is a decimal comma in Vietnamese.
        assert parsed.value == float(("-" if sign else "") + body.replace(",", "."))
    else:
        assert parsed.kind == "number"
        assert parsed.value == value


@given(typed_numbers())
def test_percent_round_trips(number: tuple[float, str, str, str]) -> None:
    value, integer, fraction, sign = number
    typed = sign + integer + ("," + fraction if fraction else "") + " %"
    assert parse_number(typed) == Parsed("number", value, None, True, typed)


# --- resolve_column ---------------------------------------------------------


def values(cells: list[Parsed]) -> list[tuple[str, float | None]]:
    return [(cell.kind, cell.value) for cell in cells]


def test_decimal_comma_elsewhere_makes_dots_thousands() -> None:
    cells = parse_column(["80.000", "3,5", None, "13.100"])
    assert values(cells) == [
        ("number", 80000.0),
        ("number", 3.5),
        ("empty", None),
        ("number", 13100.0),
    ]
    assert all(cell.alt is None for cell in cells)
    assert cells[0].raw == "80.000"


@pytest.mark.parametrize("evidence", ["12.489,4", "0,75", "1.234.567", "1,234", "12 489,4 đồng"])
def test_comma_evidence_forms(evidence: str) -> None:
    cells = parse_column(["13.100", evidence])
    assert (cells[0].kind, cells[0].value) == ("number", 13100.0)


def test_text_and_plain_cells_are_no_evidence() -> None:
    cells = parse_column(["13.100", "3,5 hoặc 4", "ba", "12", "1 234"])
    assert cells[0].kind == "ambiguous"


@pytest.mark.parametrize("evidence", ["3.5", "0.75", "12489.4", "0.125", "1,234.5"])
def test_decimal_point_elsewhere_keeps_decimal_reading(evidence: str) -> None:
    cells = parse_column(["2.125", evidence, "80000"])
    assert (cells[0].kind, cells[0].value) == ("number", 2.125)


@pytest.mark.parametrize(
    "column",
    [
        ["80.000", "13.100"],
        ["80.000", "80000", "12", None, "x"],
        ["80.000", "3,5", "3.5"],
    ],
)
def test_no_or_mixed_evidence_stays_ambiguous(column: list[str | None]) -> None:
    cells = parse_column(column)
    assert cells[0] == parse_number(column[0])
    assert cells[0].kind == "ambiguous"


@pytest.mark.parametrize("column", [["80.000", "13.100"], ["80.000", "3,5", "3.5"]])
def test_amounts_take_thousands_when_undecided(column: list[str | None]) -> None:
    cells = parse_column(column, amounts=True)
    assert (cells[0].kind, cells[0].value) == ("number", 80000.0)


def test_amounts_still_follow_decimal_point_evidence() -> None:
    cells = parse_column(["1.500", "2.75"], amounts=True)
    assert cells[0].value == 1.5


def test_resolve_keeps_other_cells_and_percent() -> None:
    cells = [parse_number(raw) for raw in ["1.500 %", "ba", "3,5", None]]
    resolved = resolve_column(cells)
    assert resolved[0] == Parsed("number", 1500.0, None, True, "1.500 %")
    assert resolved[1:] == cells[1:]
    assert cells[0].kind == "ambiguous"


# --- fast_floats ------------------------------------------------------------


FAST_CASES = [
    ("3.5", 3.5, False),
    ("80000", 80000.0, False),
    ("-0.5", -0.5, False),
    ("0.0000001", 0.0000001, False),
    ("0.125", 0.125, False),
    ("80.000", None, True),
    ("-1.500", None, True),
    ("3,5", None, True),
    (None, None, False),
    ("", None, True),
    (" 3", None, True),
    ("10 điểm", None, True),
    ("x", None, True),
]


def test_fast_floats_splits_plain_from_slow() -> None:
    series = pl.Series("score", [raw for raw, _, _ in FAST_CASES], dtype=pl.String)
    values_, slow = fast_floats(series)
    assert values_.dtype == pl.Float64
    assert slow.dtype == pl.Boolean
    assert values_.name == slow.name == "score"
    assert values_.to_list() == [value for _, value, _ in FAST_CASES]
    assert slow.to_list() == [needs_slow for _, _, needs_slow in FAST_CASES]


def test_fast_floats_accepts_an_all_null_column() -> None:
    values_, slow = fast_floats(pl.Series([None, None]))
    assert values_.to_list() == [None, None]
    assert slow.to_list() == [False, False]


cells = st.one_of(
    st.from_regex(r"\A-?[0-9]{1,20}(\.[0-9]{1,20})?\Z"),
    st.from_regex(r"\A-?[0-9]{1,3}\.[0-9]{3}\Z"),
    st.from_regex(r"\A[-+ ]?[0-9]{1,4}[.,]?[0-9]{0,4}( ?%| điểm)?\Z"),
    st.text(max_size=8),
    st.none(),
)


@given(st.lists(cells, max_size=30))
def test_fast_floats_agrees_with_parse_number(column: list[str | None]) -> None:
    values_, slow = fast_floats(pl.Series(column, dtype=pl.String))
    for raw, value, needs_slow in zip(column, values_.to_list(), slow.to_list(), strict=True):
        if raw is None:
            assert value is None
            assert not needs_slow
        elif needs_slow:
            assert value is None
        else:
            parsed = parse_number(raw)
            assert parsed.kind == "number"
            assert parsed.value == value
            assert not parsed.percent
