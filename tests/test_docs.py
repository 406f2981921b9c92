"""The README must not drift from the code: the views and columns analysts are told about, and the
commands of the CLI table."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from etl import cli, db
from tests.etl.test_views import INTERFACE_VIEWS

README = Path(__file__).resolve().parents[1] / "README.md"


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    m = re.search(rf"^## {re.escape(title)}\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert m, f"README.md has no '## {title}' section"
    return m.group(1)


def documented_views() -> dict[str, list[str]]:
    """`- \\`v_name\\`: col, col, …` lines of the analysts' section."""
    views = {}
    for m in re.finditer(r"^- `(v_\w+)`: (.+)$", section("Cho nhà phân tích"), re.M):
        views[m.group(1)] = [c.strip() for c in m.group(2).split(",")]
    assert views, "no '- `v_name`: col, …' lines in '## Cho nhà phân tích'"
    return views


@pytest.fixture
def actual_views(tmp_path) -> dict[str, list[str]]:
    con = db.connect(tmp_path / "docs.duckdb")
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE NOT internal AND view_name LIKE 'v\\_%' "
                "ESCAPE '\\' ORDER BY view_name"
            ).fetchall()
        ]
        return {v: [r[0] for r in con.execute(f"DESCRIBE {v}").fetchall()] for v in names}
    finally:
        db.close(tmp_path / "docs.duckdb")


def test_readme_lists_every_view_with_its_columns(actual_views):
    documented = documented_views()
    assert sorted(documented) == sorted(actual_views)
    for view, cols in actual_views.items():
        assert documented[view] == cols, f"README's columns of {view} differ from the database"


def test_readme_keeps_the_interface_columns():
    documented = documented_views()
    for view, cols in INTERFACE_VIEWS.items():
        assert view in documented
        missing = [c for c in cols if c not in documented[view]]
        assert not missing, f"README's {view} lacks the contract columns {missing}"


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def documented_commands() -> dict[str, set[str]]:
    """Command -> the options its README table row names (`--json`, `--role` …)."""
    out: dict[str, set[str]] = {}
    for line in section("Dòng lệnh").splitlines():
        if not line.startswith("| `thidua"):
            continue
        first_cell = line.split(" | ")[0]
        for usage in re.findall(r"`thidua ([^`]+)`", first_cell):
            command = usage.split()[0]
            out.setdefault(command, set()).update(re.findall(r"--[a-z][a-z-]*", usage))
    assert out, "no '| `thidua …` |' rows in '## Dòng lệnh'"
    return out


def test_readme_cli_table_matches_the_parser():
    parsers = _subparsers(cli.build_parser())
    documented = documented_commands()
    assert sorted(documented) == sorted(parsers)
    for command, options in documented.items():
        known = set(parsers[command]._option_string_actions)
        for sub in _subparsers(parsers[command]).values():  # `thidua user add --role`
            known |= set(sub._option_string_actions)
        assert options <= known, f"README documents {options - known} for `thidua {command}`"


def test_readme_user_subcommands_exist():
    user = _subparsers(cli.build_parser())["user"]
    row = next(line for line in section("Dòng lệnh").splitlines() if "`thidua user" in line)
    words = set(re.findall(r"`(?:thidua user )?(add|passwd|remove)\b", row))
    assert words == set(_subparsers(user))


def test_readme_settings_table_matches_the_settings():
    """Every setting is in the '## Cấu hình' table with its default, and nothing else is."""
    from etl import settings

    rows = dict(re.findall(r"^\| `THIDUA_(\w+)` \| ([^|]+) \|", section("Cấu hình"), re.M))
    assert sorted(rows) == sorted(s.name.upper() for s in settings.SETTINGS)
    for s in settings.SETTINGS:
        shown = rows[s.name.upper()].strip().strip("`")
        if isinstance(s.default, bool):
            assert shown == ("bật" if s.default else "tắt"), s.name
        elif isinstance(s.default, int | float):
            assert float(shown.replace(".", "").replace(",", ".")) == s.default, s.name
        else:
            assert shown == (s.default or "(trống)"), s.name
