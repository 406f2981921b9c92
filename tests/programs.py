"""The programs some tests drive (LibreOffice Impress and Writer, pdftoppm), and why a test that
needs one skips on a machine without it. `.ci/run` installs the Debian packages named here."""

from __future__ import annotations

import shutil
from pathlib import Path


def missing(program: str, package: str) -> str | None:
    """Why ``program`` cannot run here (naming the Debian ``package``), or None when it can."""
    if shutil.which(program) is None:
        return f"{program} is not installed (Debian package {package})"
    return None


def libreoffice_missing(module: str) -> str | None:
    """Why LibreOffice cannot open documents of ``module`` ("impress", "writer") here, or None.

    LibreOffice comes in parts: soffice with Calc alone runs, and converts nothing from a .pptx
    (no PDF comes out, and it says so only on its standard output). Each part registers itself
    in a ``<module>.xcd`` file of the installation's share/registry folder (``.registry`` on
    Debian)."""
    package = f"libreoffice-{module}"
    soffice = shutil.which("soffice")
    if soffice is None:
        return f"LibreOffice is not installed (Debian package {package})"
    share = Path(soffice).resolve().parent.parent / "share"
    if not any(
        (share / folder / f"{module}.xcd").is_file() for folder in ("registry", ".registry")
    ):
        return f"LibreOffice {module.capitalize()} is not installed (Debian package {package})"
    return None
