"""What a validation or load tells the user: warnings and errors, each tied to a file, sheet and cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Severity = Literal["error", "warning", "info"]  # info: a finding that needs nothing done


def vn_number(x: float | None, decimals: int = 2, *, trim: bool = True, missing: str = "?") -> str:
    """A number as Vietnamese readers write it: 12.489,4 (dot thousands, comma decimal).

    The one formatter of the program (messages here, pages and exports through dashboard.format):
    rounded to ``decimals``; with ``trim`` trailing zeros of the decimals are dropped ("92,50" ->
    "92,5", "95,00" -> "95"); None reads ``missing``.
    """
    if x is None:
        return missing
    value = round(float(x), decimals) + 0.0  # + 0.0 drops "-0"
    text = f"{value:,.{decimals}f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if trim and "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


class WorkbookRefused(Exception):
    """The whole file cannot be read (not a workbook, encrypted, too large...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Issue:
    severity: Severity
    message: str
    sheet: str | None = None
    cell: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"sheet": self.sheet, "cell": self.cell, "message": self.message}

    def human(self) -> str:
        where = []
        if self.sheet is not None:
            where.append(f'Sheet "{self.sheet}"')
        if self.cell:
            where.append(f"ô {self.cell}")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


@dataclass
class SheetReport:
    name: str
    kind: str | None = None  # "A", "A2", "B", "C", "D", "E" or None when skipped
    rows: int = 0
    skipped_reason: str | None = None
    issues: list[Issue] = field(default_factory=list)

    def error(self, message: str, cell: str | None = None) -> None:
        self.issues.append(Issue("error", message, self.name, cell))

    def warn(self, message: str, cell: str | None = None) -> None:
        self.issues.append(Issue("warning", message, self.name, cell))

    def note(self, message: str, cell: str | None = None) -> None:
        self.issues.append(Issue("info", message, self.name, cell))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def notes(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "info"]

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "kind": self.kind,
            "rows": self.rows,
            "skipped_reason": self.skipped_reason,
            "warnings": [i.as_dict() for i in self.warnings],
            "errors": [i.as_dict() for i in self.errors],
            "notes": [i.as_dict() for i in self.notes],
        }


def _numbers(ids: list[int]) -> str:
    return ", ".join(f"số {i}" for i in ids)


Status = Literal["loaded", "already_loaded", "refused", "valid"]


@dataclass
class FileReport:
    file: str
    sha256: str | None = None
    status: Status = "refused"
    sheets: list[SheetReport] = field(default_factory=list)
    file_issues: list[Issue] = field(default_factory=list)
    import_id: int | None = None
    superseded: list[int] = field(default_factory=list)  # loads this one replaced wholly
    partly_superseded: list[int] = field(default_factory=list)  # replaced in part: still current

    def lineage(self) -> str:
        """What the load replaced, in the words of Lịch sử nhập ("" when nothing)."""
        parts = []
        if self.superseded:
            parts.append("thay thế toàn bộ lần nạp " + _numbers(self.superseded))
        if self.partly_superseded:
            parts.append(
                "thay thế một phần lần nạp "
                + _numbers(self.partly_superseded)
                + " (phần còn lại của "
                + ("lần nạp đó" if len(self.partly_superseded) == 1 else "các lần nạp đó")
                + " vẫn được dùng)"
            )
        return "; ".join(parts)

    @property
    def issues(self) -> list[Issue]:
        return self.file_issues + [i for s in self.sheets for i in s.issues]

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    def refuse(self, message: str) -> None:
        self.file_issues.append(Issue("error", message))
        self.status = "refused"

    def as_dict(self) -> dict[str, object]:
        sheets = [s.as_dict() for s in self.sheets]
        if self.file_issues:
            # File-level problems have no sheet; they still belong in the JSON the spec defines.
            sheets.insert(
                0,
                {
                    "name": None,
                    "kind": None,
                    "rows": 0,
                    "skipped_reason": None,
                    "warnings": [i.as_dict() for i in self.file_issues if i.severity == "warning"],
                    "errors": [i.as_dict() for i in self.file_issues if i.severity == "error"],
                },
            )
        return {
            "file": self.file,
            "sha256": self.sha256,
            "status": self.status,
            "import_id": self.import_id,
            "superseded": self.superseded,
            "partly_superseded": self.partly_superseded,
            "sheets": sheets,
        }
