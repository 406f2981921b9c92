"""A damaged main file (issue 15, finding 3): every new session still shows the last good
snapshot, under a Vietnamese notice, never "Chưa đọc được số liệu: IOException"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from etl import db
from tests.dashboard.test_pages import run, texts


def test_a_truncated_main_file_shows_the_last_good_data_with_a_notice(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(demo_db.parent, folder, symlinks=True)
    main = folder / demo_db.name
    monkeypatch.setenv("THIDUA_DB", str(main))
    db.reader_of(main)  # the server has shown this data: a good snapshot exists
    db.close_all()
    with main.open("r+b") as fh:
        fh.truncate(main.stat().st_size // 2)
    try:
        at = run()
        shown = texts(at)
        assert "Exception" not in shown and "Chưa đọc được số liệu" not in shown
        assert any("thidua rebuild" in w.value for w in at.warning)
        assert len(at.dataframe) + len(at.get("plotly_chart")) > 0  # the data is there
    finally:
        db.close_all()
