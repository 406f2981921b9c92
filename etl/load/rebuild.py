"""Rebuild the database from the kept originals; never swap in a result that lost loads.

The list of loads comes from the database when it opens, else from the journal of the originals
(etl.load.originals), else (an old store without a journal) from the kept files themselves. Each
original is read through a SHA-256-checked copy and replayed into a new file with its options and
then its retract state and precedence. The new file replaces the live one only when every load
came back (or the user said --allow-missing); the old file is kept as ``.bak-<time>``, a corrupt
one as ``.corrupt-<time>``; nothing is deleted.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from etl import db, settings
from etl.db import people
from etl.errors import is_corrupt
from etl.kinds.common import LoadOptions
from etl.load.loader import CARRIED_TABLES, load_file
from etl.load.originals import (
    Journal,
    KeptLoad,
    OriginalUnusable,
    database_loads,
    find_original,
    fsync_dir,
    journal_state,
    stored_shas,
    sync_journal,
    verified_copy,
)
from etl.report import FileReport


@dataclass
class RebuildResult:
    source: str  # "database", "journal", "store" or "none"
    reports: list[FileReport] = field(default_factory=list)
    missing: list[FileReport] = field(default_factory=list)  # loads that did not come back
    swapped: bool = False
    backup: Path | None = None  # the previous database, kept
    corrupt_kept: Path | None = None  # the damaged database, moved aside
    users_kept: bool = False
    people: people.People | None = None  # accounts, audit log, admin data carried over
    originals: Path | None = None
    # Loads the journal had but the readable database did not (a database copied back from an
    # older backup, or a load killed before its commit): reported, not replayed.
    journal_only: list[str] = field(default_factory=list)
    # Loads the database had but neither the journal nor the originals (in flight when the data
    # folder was copied): reported, not replayed.
    in_flight: list[str] = field(default_factory=list)


def _stamp(path: Path, label: str) -> Path:
    """A new name beside ``path`` that does not exist yet: never overwrite an earlier copy."""
    base = f"{path.name}.{label}-{datetime.now():%Y%m%d-%H%M%S}"
    candidate, n = path.with_name(base), 1
    while candidate.exists() or candidate.with_name(candidate.name + ".wal").exists():
        n += 1
        candidate = path.with_name(f"{base}-{n}")
    return candidate


def _keep_copy(src: Path, dest: Path) -> None:
    """A second name for the live file (a copy where hard links are not supported), so that the
    swap below is one atomic rename and there is never a moment without a database."""
    try:
        os.link(src, dest)
    except OSError:
        shutil.copy2(src, dest)
    wal = src.with_name(src.name + ".wal")
    if wal.exists():
        os.replace(wal, dest.with_name(dest.name + ".wal"))


def _read_old(db_file: Path) -> tuple[list[KeptLoad], people.People] | None:
    """Loads, users, audit trail and what administrators typed (due dates, award rules,
    calendar) of the live database; None when it is damaged.

    Opened read-only, not through the broker: opening read-write migrates the schema, which
    writes into a damaged file before it fails, and the damaged file is kept as evidence.
    """
    db.close(db_file)
    try:
        old = duckdb.connect(str(db_file), read_only=True)
    except duckdb.Error as exc:
        if not is_corrupt(exc):
            raise
        return None
    try:
        loads = database_loads(old)
        kept = people.People("database", people.read_tables(old))
    except duckdb.Error as exc:
        if not is_corrupt(exc):
            raise
        return None
    finally:
        old.close()
    return loads, kept


def _people_elsewhere(db_file: Path) -> people.People:
    """Accounts, audit log and admin data when the database is gone or damaged: the file kept
    beside the originals, else the newest read snapshot that reads whole."""
    found = people.load_file(db_file)
    if found is None:
        link = db.read_path(db_file)
        found = people.from_snapshot(link.resolve() if link.exists() else None)
    return found or people.People("none")


def _store_loads(root: Path) -> list[KeptLoad]:
    """An old store with no journal: every kept file, in the order it was kept."""
    return [
        KeptLoad(p.name.split(".", 1)[0], p.name, precedence=i)
        for i, p in enumerate(stored_shas(root), 1)
    ]


def rebuild(db_file: Path, allow_missing: bool = False) -> RebuildResult:
    db_file = Path(db_file).resolve()
    root = settings.originals_dir(db_file).resolve()
    journal = Journal(root)
    old = _read_old(db_file) if db_file.exists() else None
    corrupt = db_file.exists() and old is None
    if old is not None:
        loads, kept_people = old
        in_database = {k.sha for k in loads}
        journaled = journal.replay()
        journal_only = [k.file_name for k in journaled if k.sha not in in_database]
        # A copy of the data folder taken while a load ran (rsync copies originals/ first): the
        # database copy holds a load whose original and journal line came after originals/ was
        # copied. It was in flight when the backup was taken: reported, not replayed, and not a
        # reason to refuse the rebuild of everything else.
        in_journal = {k.sha for k in journaled}
        in_flight = [k for k in loads if k.sha not in in_journal and not find_original(root, k.sha)]
        loads = [k for k in loads if k not in in_flight]
        journal_state(journal, loads)
        result = RebuildResult(
            "database", users_kept=True, originals=root, journal_only=journal_only
        )
        result.in_flight = [k.file_name for k in in_flight]
    elif journal.exists():
        loads, kept_people = journal.replay(), _people_elsewhere(db_file)
        result = RebuildResult("journal", originals=root)
    else:
        loads, kept_people = _store_loads(root), _people_elsewhere(db_file)
        result = RebuildResult("store" if loads else "none", originals=root)
    result.people = kept_people
    result.users_kept = kept_people.source != "none"

    tmp = db_file.with_name(db_file.name + ".rebuild")
    db.close(tmp)
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        return _replay_and_swap(
            db_file,
            tmp,
            root,
            journal,
            loads,
            kept_people,
            corrupt,
            result,
            allow_missing,
        )
    except BaseException:
        # A full disk, a kill...: the half-built file goes, the live one was never touched.
        with contextlib.suppress(duckdb.Error):
            db.close(tmp)
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise


def _replay_and_swap(
    db_file: Path,
    tmp: Path,
    root: Path,
    journal: Journal,
    loads: list[KeptLoad],
    kept_people: people.People,
    corrupt: bool,
    result: RebuildResult,
    allow_missing: bool,
) -> RebuildResult:
    new = db.connect(tmp)
    placed: dict[str, int] = {}
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".rebuild-") as work:
        for kept in loads:
            options = {k: v for k, v in kept.options.items() if k != "user"}
            opts = LoadOptions(**options, user=kept.loaded_by)
            try:
                copy = verified_copy(root, kept.sha, Path(work), kept.file_name)
            except OriginalUnusable as exc:
                report = FileReport(file=kept.file_name, sha256=kept.sha)
                report.refuse(exc.message)
            else:
                report = load_file(
                    new, copy, opts, original_name=kept.file_name, keep_journal=False
                )
                copy.unlink(missing_ok=True)
            result.reports.append(report)
            if report.status == "loaded" and report.import_id is not None:
                placed[kept.sha] = report.import_id
            else:
                result.missing.append(report)
    _carry_state(new, loads, placed, kept_people, result.source)

    if result.missing and not allow_missing:
        db.close(tmp)
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
        return result
    sync_journal(new, journal)
    people.save(new, db_file)  # the rebuilt state, with its "rebuild" audit row
    new.execute("CHECKPOINT")  # everything in the file itself: the file alone is swapped in
    db.close(tmp)
    db.close(db_file)
    if db_file.exists():
        kept_as = _stamp(db_file, "corrupt" if corrupt else "bak")
        _keep_copy(db_file, kept_as)
        if corrupt:
            result.corrupt_kept = kept_as
        else:
            result.backup = kept_as
    os.replace(tmp, db_file)
    fsync_dir(db_file.parent)
    result.swapped = True
    return result


def _carry_state(
    new: duckdb.DuckDBPyConnection,
    loads: list[KeptLoad],
    placed: dict[str, int],
    typed: people.People,
    source: str,
) -> None:
    """Give each replayed load its old retract state, precedence and time; carry accounts, the
    audit trail, figure settings and what administrators typed over (ids are max + 1 on both
    storages, so no sequence needs moving)."""
    with db.transaction(new):
        for kept in loads:
            if kept.sha not in placed:
                continue
            new.execute(
                "UPDATE imports SET retracted = ?, precedence = ?, "
                "loaded_at = coalesce(CAST(? AS TIMESTAMP), loaded_at) WHERE import_id = ?",
                [kept.retracted, kept.precedence, kept.loaded_at, placed[kept.sha]],
            )
        for table in (*CARRIED_TABLES, "users"):  # what people typed, not read from files
            kept_rows = typed.rows.get(table, [])
            if table == "award_rules" and not kept_rows:
                continue  # nothing kept: the shipped rules stay
            new.execute(f"DELETE FROM {db.quote_ident(table)}")
            _insert(new, table, kept_rows)
        # Kept figure settings replace the seeded ones by name (no INSERT OR REPLACE on DuckLake).
        kept_settings = typed.rows.get("settings", [])
        if kept_settings:
            new.executemany(
                "DELETE FROM settings WHERE name = ?", [row[:1] for row in kept_settings]
            )
        _insert(new, "settings", kept_settings)
        # The audit trail of the old file comes first, then the replay's own entries.
        new.execute("DELETE FROM audit_log")
        history = list(typed.rows.get("audit_log", []))
        detail = (
            f"{len(placed)}/{len(loads)} lần nạp được dựng lại từ {_SOURCES[source]}; giữ "
            f"{typed.summary()} (từ {PEOPLE_SOURCES[typed.source]})"
        )
        history.append((datetime.now(), None, "rebuild", detail))
        # The audit log's ids are numbered anew, in the order of the trail (no sequence on DuckLake).
        new.executemany(
            "INSERT INTO audit_log (audit_id, at_time, actor, action, detail) VALUES (?, ?, ?, ?, ?)",
            [(n, *entry) for n, entry in enumerate(history, start=1)],
        )


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    if not rows:
        return
    columns = people.TABLES[table]
    marks = ", ".join("?" * len(columns))
    con.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


PEOPLE_SOURCES = {
    "database": "CSDL cũ",
    "file": "tệp people.json cạnh các bản gốc",
    "snapshot": "bản đọc mới nhất",
    "none": "không có nguồn nào",
}


_SOURCES = {
    "database": "CSDL cũ",
    "journal": "nhật ký bản gốc",
    "store": "các tệp gốc (không có nhật ký)",
    "none": "không có gì",
}
