"""The kept original files and their journal: what a rebuild replays when the database is gone.

Originals live content-addressed in ``<originals>/<sha[:2]>/<sha>.<ext>`` (next to the database,
or THIDUA_ORIGINALS_DIR) and are found by SHA-256, never by a recorded absolute path, so the data
folder can be moved. Every read checks the bytes against that SHA-256.

``<originals>/journal.jsonl`` records, one JSON line each, every load, retract and restore with
what a replay needs (file name, options, who, when, precedence). A line is written and fsync'ed
inside the load's transaction, before it commits; if the commit fails a ``cancel`` line follows.
Whenever the database is readable it is the truth: ``sync_journal`` appends a ``state`` line (the
whole list of loads) when the journal has drifted from it (a kill between the two writes, a
journal from before this existed, a database copied back from a backup).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import os
import signal
import tempfile
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from etl import settings
from etl.errors import StoreWriteError

JOURNAL_NAME = "journal.jsonl"
REFERENCE_LOADER = "dữ liệu tham chiếu"  # etl.reference.LOADED_BY: shipped data, not a kept file


class OriginalUnusable(Exception):
    """A kept original that is missing or whose bytes no longer match its SHA-256."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def fault_point(name: str) -> None:
    """Die here, as kill -9 would, when THIDUA_FAULT_POINT names this point (fault-injection
    tests)."""
    if os.environ.get("THIDUA_FAULT_POINT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def database_path(con: duckdb.DuckDBPyConnection) -> Path:
    row = con.execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return Path(row[0]) if row and row[0] else Path(str(settings.get("db")))


def root_of(con: duckdb.DuckDBPyConnection) -> Path:
    return settings.originals_dir(database_path(con))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _write_error(exc: OSError, what: str) -> StoreWriteError:
    if exc.errno == errno.ENOSPC:
        reason = "ổ đĩa đã đầy (No space left on device)"
        advice = "Hãy giải phóng dung lượng ổ đĩa rồi nạp lại"
    else:
        reason = exc.strerror or str(exc)
        advice = "Hãy kiểm tra quyền ghi thư mục dữ liệu rồi nạp lại"
    return StoreWriteError(
        exc.errno or errno.EIO,
        f"Không ghi được {what}: {reason}. Chưa có gì được nạp, dữ liệu cũ còn nguyên. {advice}.",
    )


def disk_full(db_file: Path) -> StoreWriteError:
    """The database could not commit for lack of space (DuckDB rolled the load back)."""
    where = f"CSDL {db_file}"
    if str(db_file).startswith("postgres:"):
        # The national deployment: its data files filled THIDUA_DATA_PATH. The catalog's
        # connection keywords (a password, maybe) are never shown.
        shared = os.environ.get("THIDUA_DATA_PATH", "").strip()
        where = f"thư mục dữ liệu dùng chung {shared} (THIDUA_DATA_PATH)"
    return StoreWriteError(
        errno.ENOSPC,
        f"Không ghi được vào {where}: ổ đĩa đã đầy (No space left on device). Chưa "
        "có gì được nạp, dữ liệu cũ còn nguyên. Hãy giải phóng dung lượng ổ đĩa rồi nạp lại.",
    )


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_hashing(src: Path, dest: Path) -> str:
    """Copy ``src`` to ``dest`` (flushed to disk) and return the SHA-256 of the bytes copied."""
    digest = hashlib.sha256()
    with src.open("rb") as fin, dest.open("wb") as fout:
        while chunk := fin.read(1 << 20):
            digest.update(chunk)
            fout.write(chunk)
        fout.flush()
        os.fsync(fout.fileno())
    return digest.hexdigest()


def store_original(root: Path, path: Path, sha: str) -> Path:
    """Keep the uploaded file under its SHA-256. A kept copy that no longer matches is replaced."""
    target = root / sha[:2] / f"{sha}{path.suffix.lower()}"
    if target.exists() and sha256_of(target) == sha:
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # A private temporary name: two processes keeping the same file never share one.
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{sha[:12]}.", suffix=".part")
        os.close(fd)
        tmp = Path(name)
        try:
            got = _copy_hashing(path, tmp)
            fault_point("store_copied")
            if got != sha:
                raise OriginalUnusable(
                    f"Tệp '{path.name}' đã thay đổi trong lúc nạp (SHA-256 khác). Hãy nạp lại."
                )
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        fsync_dir(target.parent)
    except OSError as exc:
        raise _write_error(exc, f"bản gốc của tệp '{path.name}' vào {root}") from exc
    return target


def find_original(root: Path, sha: str) -> Path | None:
    folder = root / sha[:2]
    if not folder.is_dir():
        return None
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.name.split(".", 1)[0] == sha)
    return found[0] if found else None


def verified_copy(root: Path, sha: str, work: Path, file_name: str) -> Path:
    """A private copy of the kept original, checked against its SHA-256 while copying; the
    caller reads this copy, so what is read is what was checked."""
    kept = find_original(root, sha)
    if kept is None:
        raise OriginalUnusable(
            f"Không tìm thấy bản gốc của '{file_name}' (SHA-256 {sha[:12]}…) trong thư mục "
            f"bản gốc {root}."
        )
    dest = work / f"{sha}{kept.suffix}"
    got = _copy_hashing(kept, dest)
    if got != sha:
        dest.unlink(missing_ok=True)
        raise OriginalUnusable(
            f"Bản gốc của '{file_name}' ({kept}) đã bị sửa: SHA-256 của nội dung ({got[:12]}…) "
            f"không khớp tên lưu ({sha[:12]}…). Không dùng tệp này; hãy chép lại bản gốc đúng "
            "từ bản sao lưu."
        )
    return dest


def stored_shas(root: Path) -> list[Path]:
    """Kept originals on disk, oldest first (for a store that has no journal)."""
    if not root.is_dir():
        return []
    files = [
        p
        for p in root.glob("??/*")
        if p.is_file() and not p.name.startswith(".") and len(p.name.split(".", 1)[0]) == 64
    ]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


@dataclass
class KeptLoad:
    """One load as a replay needs it."""

    sha: str
    file_name: str
    options: dict = field(default_factory=dict)
    loaded_by: str | None = None
    loaded_at: str | None = None
    precedence: int = 0
    retracted: bool = False


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class Journal:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / JOURNAL_NAME

    def exists(self) -> bool:
        return self.path.exists()

    def append(self, event: dict) -> str:
        """Append one event, fsync'ed; returns its id."""
        event = {"id": uuid.uuid4().hex, "at": datetime.now().isoformat(), **event}
        data = (json.dumps(event, ensure_ascii=False) + "\n").encode("utf-8")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            new = not self.path.exists()
            fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    data = b"\n" + data  # a line torn by a crash stays alone (and is skipped)
                _write_all(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
            if new:
                fsync_dir(self.root)
        except OSError as exc:
            raise _write_error(exc, f"nhật ký bản gốc {self.path}") from exc
        return event["id"]

    def cancel(self, event_id: str | None) -> None:
        """Mark an event whose transaction did not commit; best effort (the next sync mends)."""
        if event_id:
            with contextlib.suppress(OSError):
                self.append({"event": "cancel", "of": event_id})

    def events(self) -> list[dict]:
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue  # torn by a crash mid-write: that transaction never committed
            if isinstance(event, dict) and "event" in event:
                out.append(event)
        return out

    def replay(self) -> list[KeptLoad]:
        """The loads the journal describes, in load order, with their final state."""
        events = self.events()
        cancelled = {e.get("of") for e in events if e["event"] == "cancel"}
        state: dict[str, KeptLoad] = {}
        for e in events:
            if e.get("id") in cancelled:
                continue
            kind = e["event"]
            if kind == "state":
                state = {d["sha"]: KeptLoad(**d) for d in e["loads"]}
            elif kind == "load" and e["sha"] not in state:
                state[e["sha"]] = KeptLoad(
                    e["sha"],
                    e["file_name"],
                    e.get("options") or {},
                    e.get("loaded_by"),
                    e.get("loaded_at"),
                    int(e["precedence"]),
                )
            elif kind in ("retract", "restore") and e["sha"] in state:
                load = state[e["sha"]]
                load.retracted = kind == "retract"
                load.precedence = int(e.get("precedence", load.precedence))
        return list(state.values())


def database_loads(con: duckdb.DuckDBPyConnection) -> list[KeptLoad]:
    """The database's loads (not the shipped reference data), in load order, one per file."""
    rows = con.execute(
        "SELECT sha256, file_name, options, loaded_by, loaded_at, precedence, retracted "
        "FROM imports WHERE loaded_by IS DISTINCT FROM ? ORDER BY import_id",
        [REFERENCE_LOADER],
    ).fetchall()
    out: dict[str, KeptLoad] = {}
    for sha, name, options, by, at, precedence, retracted in rows:
        if sha not in out:
            out[sha] = KeptLoad(
                sha,
                name,
                json.loads(options or "{}"),
                by,
                at.isoformat() if at else None,
                int(precedence),
                bool(retracted),
            )
    return list(out.values())


def _state_key(loads: list[KeptLoad]) -> dict[str, tuple[bool, int]]:
    return {k.sha: (k.retracted, k.precedence) for k in loads}


def sync_journal(con: duckdb.DuckDBPyConnection, journal: Journal) -> bool:
    """Make the journal describe the database; True if a ``state`` line had to be written."""
    return journal_state(journal, database_loads(con))


def journal_state(journal: Journal, loads: list[KeptLoad]) -> bool:
    if _state_key(journal.replay()) == _state_key(loads):
        return False
    journal.append({"event": "state", "loads": [asdict(k) for k in loads]})
    return True
