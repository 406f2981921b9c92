"""The kind registry: every kind declared once, and everything that lists kinds asks it."""

from __future__ import annotations

import argparse

import pytest

from etl import cli
from etl.kinds import registry
from etl.load.loader import validate_file
from etl.read import layout
from etl.read.layout import SYNONYMS


def test_every_kind_declares_its_column_roles_and_nothing_else_does():
    """The reader holds the words of each role (SYNONYMS) but no list of kinds: a kind's roles
    come from its declaration alone."""
    assert not [n for n in vars(layout) if "KIND" in n.upper() and n.isupper()]
    for kind in registry.KINDS:
        assert kind.columns.uses and kind.columns.needs, kind.code
        needed = {r for n in kind.columns.needs for r in (n if isinstance(n, tuple) else (n,))}
        assert needed <= set(kind.columns.uses) <= set(SYNONYMS), kind.code
    assert list(registry.COLUMN_ROLES) == list(registry.CODES)


def test_the_command_line_offers_exactly_the_declared_kinds():
    sub = next(a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    template = sub.choices["template"]
    kind_arg = next(a for a in template._actions if a.dest == "kind")
    assert tuple(kind_arg.choices) == registry.CODES


def test_each_declared_template_is_read_back_as_its_own_kind(tmp_path):
    for kind in registry.KINDS:
        path = registry.write_template(kind.code, tmp_path / f"mau_{kind.code}.xlsx", 2026)
        report = validate_file(path)
        kinds = {s.kind for s in report.sheets if s.kind}
        assert kinds == {kind.code}, (kind.code, report.as_dict())


def test_an_unknown_kind_is_refused_in_vietnamese():
    with pytest.raises(ValueError, match="Các loại hợp lệ: A, A2, B, C, D, E, F, G, H"):
        registry.kind("Z")
