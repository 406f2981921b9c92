"""notebooks/ranking.ipynb runs against a real database and shows that plain SQL reproduces the
ranking of v_unit_scores."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from etl import db
from etl.load import load_file
from tests.etl.builders import Book, Title

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "ranking.ipynb"


def _outputs(nb) -> str:
    text = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                text.append(out.get("text", ""))
            elif "data" in out:
                text.append(out["data"].get("text/plain", ""))
    return "\n".join(text)


def test_notebook_reproduces_the_ranking(tmp_path, monkeypatch):
    path = tmp_path / "thidua.duckdb"
    con = db.connect(path)
    book = Book()
    # A tie for rank 1 (1, 1, 3) and a unit that is not ranked.
    book.kind_b(
        [
            (1, "Sở Tài chính", "95"),
            (2, "Sở Xây dựng", "95"),
            (3, "Sở Y tế", "90,5"),
            (4, "Sở Nội vụ", "88"),
            (5, "Sở Công Thương", "Không xếp loại"),
        ],
        columns=("Tên đơn vị", "Tổng điểm"),
    )
    assert load_file(con, book.save(tmp_path / "b.xlsx")).status == "loaded"
    other = Book()
    other.kind_b(
        [(1, "Ban Tổ chức Tỉnh ủy", "97")],
        columns=("Tên đơn vị", "Tổng điểm"),
        title=Title(
            year=2025, title="BẢNG TỔNG HỢP NĂM {year}", unit=None, cluster="Khối thi đua số 2"
        ),
    )
    assert load_file(con, other.save(tmp_path / "k.xlsx")).status == "loaded"
    db.close(path)  # the notebook opens the file read-only from another process

    monkeypatch.setenv("THIDUA_DB", str(path))
    monkeypatch.delenv("THIDUA_CLUSTER", raising=False)
    monkeypatch.delenv("THIDUA_YEAR", raising=False)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.nbformat == 4
    client = NotebookClient(
        nb, kernel_name="python3", timeout=120, resources={"metadata": {"path": str(ROOT)}}
    )
    client.execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    text = _outputs(nb)
    assert "year=2026 cluster=Cụm thi đua số 4" in text
    assert "units: 5" in text
    assert "rank_matches_view: True" in text


def test_notebook_is_vietnamese_prose_and_english_code():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert markdown and code
    assert all(any(ch in m for ch in "ăâđêôơư") for m in markdown)
    assert "db.read_only(" in "\n".join(code)  # the read snapshot, never the main file
    assert "THIDUA_DB" in "\n".join(code)
    assert "RANK()" in "\n".join(code)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "stored outputs"


@pytest.fixture(autouse=True)
def _close():
    yield
    db.close_all()
