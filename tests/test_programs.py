"""tests/programs.py tells a LibreOffice with Calc alone from one that converts slides: the skip
reason a machine without Impress gets, instead of a failure with no PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import programs


def _install(root: Path, modules: list[str], registry: str) -> None:
    program = root / "lib" / "libreoffice" / "program"
    program.mkdir(parents=True)
    soffice = program / "soffice"
    soffice.write_text("#!/bin/sh\n")
    soffice.chmod(0o755)
    (root / "bin").mkdir()
    (root / "bin" / "soffice").symlink_to(soffice)  # as Debian links /usr/bin/soffice
    folder = root / "lib" / "libreoffice" / "share" / registry
    folder.mkdir(parents=True)
    for module in ["main", *modules]:
        (folder / f"{module}.xcd").write_text("<oor:data/>")


@pytest.mark.parametrize("registry", ["registry", ".registry"])
def test_calc_alone_has_no_impress(tmp_path, monkeypatch, registry) -> None:
    _install(tmp_path, ["calc"], registry)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert programs.libreoffice_missing("calc") is None
    reason = programs.libreoffice_missing("impress")
    assert reason is not None and "libreoffice-impress" in reason


def test_impress_and_writer_found(tmp_path, monkeypatch) -> None:
    _install(tmp_path, ["calc", "impress", "writer"], ".registry")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert programs.libreoffice_missing("impress") is None
    assert programs.libreoffice_missing("writer") is None


def test_no_libreoffice_at_all(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    reason = programs.libreoffice_missing("writer")
    assert reason is not None and "libreoffice-writer" in reason
    assert programs.missing("pdftoppm", "poppler-utils") == (
        "pdftoppm is not installed (Debian package poppler-utils)"
    )
