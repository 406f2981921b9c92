"""The criteria tree comes from the order of the rows and the style of each code
(workbooks.md §2)."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.read.tree import build_tree, numbered_tree

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
LETTERS = "abcdefgh"


@dataclass
class Node:
    code: str | None
    children: list[Node] = field(default_factory=list)


def _code(depth: int, k: int, parent_code: str, deco: str, upper: bool) -> str:
    """The k-th code (0-based) at a depth: I, II… → 1, 2… → a, b… → a1, a2… (under its letter)."""
    if depth == 0:
        return ROMAN[k] + deco
    if depth == 1:
        return str(k + 1) + deco
    if depth == 2:
        return (LETTERS[k].upper() if upper else LETTERS[k]) + deco
    letter = parent_code.rstrip(".)")
    return f"{letter}{k + 1}" + ("." if deco == "." else "")


@st.composite
def trees(draw, depth: int = 0, parent_code: str = "") -> list[Node]:
    """A list of sibling subtrees at ``depth``; letters restart under every parent."""
    count = draw(st.integers(1 if depth == 0 else 0, 4 if depth < 3 else 3))
    upper = draw(st.booleans())  # "A, B, C" or "a, b, c" for the whole list
    nodes = []
    for k in range(count):
        deco = draw(st.sampled_from(["", ".", ")"] if depth == 2 else ["", "."]))
        code = _code(depth, k, parent_code, deco, upper)
        node = Node(code)
        # An alternative level typed with a bullet (or nothing) right under its criterion.
        for _ in range(draw(st.integers(0, 1))):
            node.children.append(Node(draw(st.sampled_from(["-", "+", "*", None]))))
        if depth < 3:
            node.children.extend(draw(trees(depth + 1, code)))
        nodes.append(node)
    return nodes


def serialise(nodes: list[Node]) -> tuple[list[str | None], list[int | None]]:
    """Sheet order (pre-order) codes and the index of each row's parent."""
    codes: list[str | None] = []
    parents: list[int | None] = []

    def walk(children: list[Node], parent: int | None) -> None:
        for node in children:
            codes.append(node.code)
            parents.append(parent)
            walk(node.children, len(codes) - 1)

    walk(nodes, None)
    return codes, parents


@settings(max_examples=150, deadline=None)
@given(trees())
def test_sheet_order_rebuilds_the_same_parents(nodes):
    codes, expected = serialise(nodes)
    parents, levels = build_tree(codes)
    assert parents == expected, list(zip(codes, parents, expected, strict=True))
    for i, p in enumerate(parents):
        assert levels[i] == (1 if p is None else levels[p] + 1)


def test_letters_restart_under_each_parent():
    codes = ["3.3.2", "3.3.2.1", "a", "b", "3.3.2.2", "a", "b", "3.3.3", "a"]
    parents, _ = build_tree(codes)
    assert parents == [None, 0, 1, 1, 0, 4, 4, None, 7]


def test_upper_case_c_continues_a_lower_case_letter_list():
    # Tiền Giang writes a, b., C, d. for one list.
    codes = ["1", "a", "a1", "b.", "b1.", "C", "C1", "C1.1", "d.", "d1", "2"]
    parents, levels = build_tree(codes)
    assert [parents[i] for i in (1, 3, 5, 8)] == [0, 0, 0, 0]
    assert parents[7] == 6
    assert levels[7] == 4
    assert parents[10] is None


def test_roman_then_numbers_then_bullets():
    codes = ["I", "1", "-", "-", "2", "II", "1", None]
    parents, _ = build_tree(codes)
    assert parents == [None, 0, 1, 1, 0, None, 5, 6]


def test_named_standards_and_dotted_numbers():
    codes = ["Tiêu chuẩn 1", "1.1", "1.1.1", "1.2", "Tiêu chuẩn 2", "2.1"]
    parents, _ = build_tree(codes)
    assert parents == [None, 0, 1, 0, None, 4]


@st.composite
def numbered_lists(draw) -> tuple[list[str | None], bool]:
    """Codes of a sheet numbered "1", "1.1", "1.1.1", …: each row at most one level below the
    row above, typed with or without a closing dot or bracket; and whether a row was then made to
    break the pattern (a bullet, a letter, a jump of two levels)."""
    codes: list[str | None] = []
    path: list[int] = []
    for _ in range(draw(st.integers(1, 30))):
        depth = draw(st.integers(1, len(path) + 1))
        path = [*path[: depth - 1], path[depth - 1] + 1 if depth <= len(path) else 1]
        deco = draw(st.sampled_from(["", ".", ")", " "]))
        codes.append(".".join(map(str, path)) + deco)
    broken = draw(st.booleans())
    if broken:
        at = draw(st.integers(0, len(codes) - 1))
        codes[at] = draw(st.sampled_from(["-", None, "a", "II", "1.1.1", "Tiêu chí 1"]))
    return codes, broken


@settings(max_examples=200, deadline=None)
@given(numbered_lists())
def test_a_numbered_sheet_builds_the_same_tree_vectorised(case):
    codes, broken = case
    fast = numbered_tree(pl.Series(codes, dtype=pl.String))
    if not broken:
        assert fast is not None
    if fast is not None:
        assert fast == build_tree(codes)
