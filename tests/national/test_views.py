"""The national deployment shows the same figures as the embedded DuckDB file: every public view,
row for row and column for column (load numbers and sources included), for every sample workbook
and every metamorphic fixture, as loaded and after the metamorphic transformations, and after a
retract and a restore."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl import db
from etl.actions import restore_load, retract_load
from etl.cli import SAMPLES_DIR, sample_files
from etl.load import LoadOptions, load_file
from tests.etl.metamorphic import ALL, transform
from tests.etl.test_metamorphic import builder_corpus

# Where a file was kept and when it was loaded differ between any two loads of it.
PER_LOAD = {"loaded_at", "stored_path"}


def public_views(con) -> list[str]:
    rows = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal AND view_name LIKE 'v\\_%' "
        "ESCAPE '\\' ORDER BY view_name"
    ).fetchall()
    return [r[0] for r in rows]


def views(con, names: list[str]) -> dict[str, list[tuple]]:
    out = {}
    for name in names:
        cur = con.execute(f"SELECT * FROM {name}")
        cols = [d[0] for d in cur.description]
        keep = [i for i, c in enumerate(cols) if c not in PER_LOAD]
        out[name] = sorted((tuple(r[i] for i in keep) for r in cur.fetchall()), key=repr)
    return out


def load_and_read(files: list[Path], names: list[str] | None = None):
    """Load ``files`` in order into the current storage, retract the second-to-last load and
    restore it; the public views after each step."""
    con = db.connect()
    steps = []
    for f in files:
        report = load_file(con, f, LoadOptions(user="test"))
        assert report.status == "loaded", (f.name, [i.human() for i in report.errors][:3])
    names = names or public_views(con)
    steps.append(views(con, names))
    (target,) = con.execute(
        "SELECT max(import_id) - 1 FROM imports WHERE loaded_by = 'test'"
    ).fetchone()
    assert retract_load(con, "test", target, terminal=True)
    steps.append(views(con, names))
    assert restore_load(con, "test", target, terminal=True)
    steps.append(views(con, names))
    return names, steps


def compare(files: list[Path], embedded: Path, new_lake) -> None:
    names, here = load_and_read(files)
    db.close_all()
    new_lake()
    _, national = load_and_read(files, names)
    assert len(names) >= 9
    assert sum(len(rows) for rows in here[0].values()) > 0
    for step, (a, b) in enumerate(zip(here, national, strict=True)):
        for name in names:
            assert a[name] == b[name], f"{name} differs after step {step}"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[Path]]:
    root = tmp_path_factory.mktemp("builders")
    return root, builder_corpus(root)


def test_every_sample(embedded, new_lake):
    compare(sample_files(), embedded, new_lake)


def test_every_sample_transformed(embedded, new_lake, tmp_path):
    files = [transform(f, tmp_path / f.relative_to(SAMPLES_DIR), ALL) for f in sample_files()]
    compare(files, embedded, new_lake)


@pytest.mark.parametrize("transformed", [False, True], ids=["as-built", "transformed"])
def test_every_metamorphic_fixture(transformed, corpus, embedded, new_lake, tmp_path):
    root, files = corpus
    if transformed:
        files = [transform(f, tmp_path / f.relative_to(root), ALL) for f in files]
    compare(files, embedded, new_lake)
