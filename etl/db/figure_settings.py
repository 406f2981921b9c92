"""Settings that change a figure are data in the database, not in a process's environment.

Classification bands, the tie-break and the "today" of ``v_submissions`` decide what every
leader, pack and council export shows. They live in the database's ``settings`` table: the
environment (``THIDUA_CLASS_EXCELLENT_PCT``...) only *seeds* a row that is missing, which is
when the database is created; afterwards only :func:`set_value` changes one, through
``etl.actions.set_setting`` (an administrator, the Quản trị page or ``thidua setting set``),
which writes the audit log.
A command run with a different environment (even a failing ``thidua retract 999999``) changes
nothing. Award rules and due dates are already rows of their own tables (etl.year).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from etl import settings

# The settings the views read (views.sql, year.sql).
FIGURE_SETTINGS: tuple[str, ...] = (
    "class_excellent_pct",
    "class_good_pct",
    "class_done_pct",
    "tie_break",
    "today",
)
TIE_BREAKS: tuple[str, ...] = ("none", "group_1")
_PCT = ("class_excellent_pct", "class_good_pct", "class_done_pct")


def _setting(name: str) -> settings.Setting:
    for s in settings.SETTINGS:
        if s.name == name:
            return s
    raise KeyError(name)


def seed(con: duckdb.DuckDBPyConnection) -> None:
    """Write each figure setting that the database does not hold yet (from the environment,
    else the default); never overwrite one it holds."""
    rows = [(name, _text(settings.get(name)), _setting(name).help) for name in FIGURE_SETTINGS]
    # No INSERT OR IGNORE: DuckLake (the national storage) has no keys to conflict on.
    con.executemany(
        "INSERT INTO settings (name, value, help) SELECT ?, ?, ? "
        "WHERE NOT EXISTS (SELECT 1 FROM settings WHERE name = ?)",
        [(*row, row[0]) for row in rows],
    )


def _text(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def stored(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The figure settings as the database holds them."""
    rows = con.execute(
        "SELECT name, value FROM settings WHERE list_contains(?, name)", [list(FIGURE_SETTINGS)]
    ).fetchall()
    return {name: value for name, value in rows}


def listing(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Name, stored value, help and the environment's value when it differs (it is ignored)."""
    held = stored(con)
    out = []
    for name in FIGURE_SETTINGS:
        env = _text(settings.get(name))
        value = held.get(name, "")
        out.append(
            {
                "name": name,
                "value": value,
                "help": _setting(name).help,
                "ignored_env": env if env != value and _env_set(name) else None,
            }
        )
    return out


def _env_set(name: str) -> bool:
    import os

    return bool(os.environ.get(f"THIDUA_{name.upper()}"))


def _valid(name: str, value: str, held: dict[str, str]) -> str:
    value = (value or "").strip()
    if name in _PCT:
        try:
            x = float(value.replace(",", ".").rstrip("%").strip())
        except ValueError:
            raise ValueError(f"'{value}' không phải là số phần trăm.") from None
        if not 0 <= x <= 100:
            raise ValueError("Tỷ lệ phải từ 0 đến 100 (%).")
        bands = {k: float(held.get(k) or _setting(k).default) for k in _PCT}
        bands[name] = x
        if not bands["class_excellent_pct"] >= bands["class_good_pct"] >= bands["class_done_pct"]:
            raise ValueError(
                "Ngưỡng xếp loại phải giảm dần: Hoàn thành xuất sắc ≥ Hoàn thành tốt ≥ Hoàn "
                "thành nhiệm vụ."
            )
        return f"{x:g}"
    if name == "tie_break":
        if value not in TIE_BREAKS:
            raise ValueError("Cách phá thế đồng điểm phải là 'none' hoặc 'group_1'.")
        return value
    if name == "today":
        if value:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"'{value}' không phải ngày dạng YYYY-MM-DD.") from None
        return value
    raise ValueError(f"Không có thiết lập số liệu '{name}'.")


def set_value(con: duckdb.DuckDBPyConnection, name: str, value: str) -> tuple[str | None, str]:
    """Check and store a figure setting (the caller checks the role and audits, in its
    transaction); the old and the new stored value."""
    if name not in FIGURE_SETTINGS:
        raise ValueError(
            f"Không có thiết lập số liệu '{name}'; chọn một trong: {', '.join(FIGURE_SETTINGS)}."
        )
    held = stored(con)
    new = _valid(name, value, held)
    con.execute("DELETE FROM settings WHERE name = ?", [name])
    con.execute(
        "INSERT INTO settings (name, value, help) VALUES (?, ?, ?)",
        [name, new, _setting(name).help],
    )
    return held.get(name), new
