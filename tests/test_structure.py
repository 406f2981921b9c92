"""The house by the flow (issue #14): the import graph of etl/ and dashboard/, drawn from the
source with ast, against the floors below. A module imports only its own floor or lower; nothing
imports in a circle; nothing under etl/ imports dashboard/.

The floors are data: a new module that fits none of them fails here until its place is decided.
"""

from __future__ import annotations

import ast
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. A module takes the first floor with a pattern that matches its dotted name.
ETL_FLOORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ground", ("etl", "etl.settings", "etl.errors", "etl.report")),
    ("read", ("etl.read", "etl.read.*")),
    ("db", ("etl.db", "etl.db.*")),
    ("kinds", ("etl.kinds", "etl.kinds.*")),
    ("load", ("etl.load", "etl.load.*")),
    ("year", ("etl.year", "etl.year.*")),
    ("actions", ("etl.actions",)),
    ("cli", ("etl.cli", "etl.__main__")),
)
# As LAYOUT.md states them (all may import etl).
DASHBOARD_FLOORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "model",
        (
            "dashboard",
            "dashboard.format",
            "dashboard.figures",
            "dashboard.figures.model",
            "dashboard.figures.style",
            "dashboard.figures.labels",
        ),
    ),
    (
        "queries",
        ("dashboard.queries", "dashboard.figures.plotly", "dashboard.figures.small_screens"),
    ),
    ("figures", ("dashboard.figures.*",)),
    ("export", ("dashboard.export", "dashboard.export.*")),
    (
        "session",
        (
            "dashboard.data",
            "dashboard.state",
            "dashboard.ui",
            "dashboard.auth_ui",
            "dashboard.staff",
            "dashboard.framework_check",
            "dashboard.server",
            "dashboard.server.*",
        ),
    ),
    ("pages", ("dashboard.app_pages", "dashboard.app_pages.*")),
    ("app", ("dashboard.app",)),
)
FLOORS = {"etl": ETL_FLOORS, "dashboard": DASHBOARD_FLOORS}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {}
    for top in FLOORS:
        for path in sorted((ROOT / top).rglob("*.py")):
            found[module_name(path)] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The modules of etl/ and dashboard/ that ``name`` imports (anywhere in the file)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:  # "import etl.db.store" names the module
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports(name, path, known) for name, path in found.items()}


def floor_of(name: str) -> int | None:
    floors = FLOORS[name.split(".")[0]]
    for i, (_, patterns) in enumerate(floors):
        if any(fnmatchcase(name, p) for p in patterns):
            return i
    return None


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


@pytest.fixture(scope="module")
def edges() -> dict[str, set[str]]:
    return graph()


def test_the_drawing_sees_the_known_arrows(edges):
    """The drawing itself works: arrows everyone knows are there."""
    assert "etl.db.connections" in edges["etl.db"]
    assert "etl.load.loader" in edges["etl.cli"] or "etl.load" in edges["etl.cli"]
    assert any(t.startswith("etl.") for t in edges["dashboard.data"])


def test_etl_never_imports_the_dashboard(edges):
    wrong = sorted(
        f"{a} -> {b}"
        for a, targets in edges.items()
        if a.split(".")[0] == "etl"
        for b in targets
        if b.split(".")[0] == "dashboard"
    )
    assert wrong == []


def test_no_import_circles(edges):
    assert circles(edges) == []


@pytest.mark.parametrize("top", sorted(FLOORS))
def test_every_module_has_a_floor(edges, top):
    assert [m for m in edges if m.split(".")[0] == top and floor_of(m) is None] == []


@pytest.mark.parametrize("top", sorted(FLOORS))
def test_imports_only_run_down(edges, top):
    """A module imports its own floor or lower (dashboard may import any of etl)."""
    up = []
    for a, targets in sorted(edges.items()):
        if a.split(".")[0] != top or floor_of(a) is None:
            continue
        for b in sorted(targets):
            if b.split(".")[0] != top or floor_of(b) is None:
                continue
            if floor_of(b) > floor_of(a):  # type: ignore[operator]
                names = FLOORS[top]
                up.append(f"{a} ({names[floor_of(a)][0]}) -> {b} ({names[floor_of(b)][0]})")  # type: ignore[index]
    assert up == []
