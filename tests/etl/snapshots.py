"""What a user sees of a database: every public view, compared across rebuilds and crashes.

Load ids may change in a rebuild and the kept file's path with the data folder, so those columns
are left out; the shipped reference data's own v_imports row is loaded afresh into each new file.
"""

from __future__ import annotations

from pathlib import Path

from etl import db
from etl.load.originals import Journal, database_loads

VIEWS = (
    "v_unit_scores",
    "v_criterion_scores",
    "v_target_completion",
    "v_province_indicators",
    "v_cluster_members",
    "v_imports",
)
_VOLATILE = {"import_id", "superseded_by", "stored_path"}
_REFERENCE = " WHERE loaded_by IS DISTINCT FROM 'dữ liệu tham chiếu'"


def view_contents(con, ignore: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """Every view's rows, sorted; ``ignore`` leaves more columns out (e.g. a load's time)."""
    out = {}
    for view in VIEWS:
        cols = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
        select = ", ".join(f'"{c}"' for c in cols if c not in _VOLATILE and c not in ignore)
        where = _REFERENCE if view == "v_imports" else ""
        out[view] = sorted(con.execute(f"SELECT {select} FROM {view}{where}").fetchall(), key=repr)
    return out


def views_of(db_file: Path, ignore: tuple[str, ...] = ()) -> dict[str, list[tuple]]:
    """The views of a database file, opened afresh and closed again."""
    db.close(db_file)
    try:
        return view_contents(db.connect(db_file), ignore)
    finally:
        db.close(db_file)


def _state(loads) -> dict[str, tuple[bool, int]]:
    return {k.sha: (k.retracted, k.precedence) for k in loads}


def journal_matches(con, originals: Path) -> bool:
    """The journal of the originals replays to exactly the database's loads."""
    return _state(Journal(originals).replay()) == _state(database_loads(con))
