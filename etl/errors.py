"""One family of errors: what a user reads (Vietnamese), the command line's exit code, and
whether trying again later may help.

Library code raises :class:`ThiduaError` (or one of its kinds) with a sentence a clerk can act
on. Anything else that escapes, an operating-system or DuckDB error, is turned into the same
shape by :func:`describe`: the command line prints ``Lỗi: <message>`` and exits with the code,
the pages show the message. No traceback reaches a user.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass

import duckdb

# Exit statuses of `thidua` (interface.md §1): 0 done, 1 refused / no such thing, 2 bad usage.
EXIT_REFUSED = 1
EXIT_USAGE = 2
EXIT_BUSY = 3  # another writer held the database past THIDUA_WRITE_WAIT_SECONDS
EXIT_NOT_WRITTEN = 4  # disk full: nothing was written (or half-written); old data intact
EXIT_DISK_FULL = EXIT_NOT_WRITTEN
EXIT_CORRUPT = 5  # the database file is damaged: run thidua rebuild
EXIT_SYSTEM = 6  # another error of the operating system (rights, a missing folder)
EXIT_REBUILD_INCOMPLETE = 7  # rebuild refused to swap: some loads could not be replayed
EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70

# Signs in a DuckDB error that the file itself is damaged.
_CORRUPT_SIGNS = (
    "not a valid duckdb database",
    "could not read enough bytes",
    "corrupt",
    "checksum",
    "serialization",
    "invalid wal",
    "failed to deserialize",
    "in block at location",
)
# DuckDB's own sentence for a file another process holds: a busy file is recognised by it, never
# by "lock" anywhere in the text ("…in block at location…" is a damaged block).
_LOCK_CONFLICT = re.compile(r"could not set lock on file|conflicting lock is held", re.I)
_DISK_FULL_SIGNS = ("no space left on device", "disk is full", "not enough space")


class ThiduaError(Exception):
    """A failure a user can act on; ``message`` is Vietnamese and says what to do."""

    exit_code = EXIT_REFUSED
    retry = False  # whether the same command may succeed later, unchanged

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DatabaseError(ThiduaError):
    """A failure of the database file."""


class DatabaseBusy(DatabaseError):
    exit_code = EXIT_BUSY
    retry = True


class DatabaseCorrupt(DatabaseError):
    exit_code = EXIT_CORRUPT


class NotFound(ThiduaError):
    """What the command names does not exist (a file, a load, a database)."""


class Refused(ThiduaError):
    """The request itself is wrong (a bad value, a rule that cannot change); nothing was written."""


class NotWritten(ThiduaError):
    """The disk filled up: nothing was written."""

    exit_code = EXIT_NOT_WRITTEN
    retry = True


def corrupt_error(path: object) -> DatabaseCorrupt:
    return DatabaseCorrupt(
        f"CSDL hỏng: không đọc được tệp {path} (tệp bị cắt cụt hay bị ghi đè). Dữ liệu vẫn còn "
        f"trong các tệp gốc đã lưu: hãy chạy 'thidua rebuild --db {path}' để dựng lại (tệp hỏng "
        "được giữ lại bên cạnh, không bị xóa)."
    )


# A data file of the national deployment (a DuckLake Parquet file in THIDUA_DATA_PATH) that cannot
# be read: cut short, overwritten, or gone.
_DATA_FILE = re.compile(r"""["']([^"']+\.parquet)["']""")
_DATA_FILE_SIGNS = ("no magic bytes", "no such file", "cannot open file", "corrupt", "invalid")


def damaged_data_file(exc: BaseException) -> str | None:
    """The national deployment's data file ``exc`` says could not be read, if it says so."""
    if not isinstance(exc, duckdb.Error):
        return None
    text = str(exc)
    found = _DATA_FILE.search(text)
    if found is None or not any(sign in text.lower() for sign in _DATA_FILE_SIGNS):
        return None
    return found.group(1)


def data_file_error(path: object) -> DatabaseCorrupt:
    return DatabaseCorrupt(
        f"Kho dữ liệu toàn quốc: không đọc được tệp dữ liệu {path} (trong THIDUA_DATA_PATH): tệp "
        "bị hỏng, bị cắt cụt hoặc đã mất, nên số liệu cần tệp đó không được hiện và không có gì "
        "bị ghi. Tệp dữ liệu không bao giờ bị sửa sau khi ghi: hãy chép lại đúng tệp này (hoặc cả "
        "thư mục dữ liệu) từ bản sao lưu gần nhất; danh mục PostgreSQL không cần khôi phục."
    )


class DatabaseTooNew(DatabaseError):
    """The file was written by a newer DuckDB: whole, but not readable by this one."""


def too_new_error(path: object) -> DatabaseTooNew:
    return DatabaseTooNew(
        f"Tệp CSDL {path} do một phiên bản DuckDB mới hơn ghi ra (thidua dùng DuckDB "
        f"{duckdb.__version__}), nên bản thidua này không mở được; tệp không hỏng và không bị "
        "thay đổi. Hãy mở nó bằng bản thidua đã tạo ra nó, hoặc dựng một CSDL mới từ các tệp gốc: "
        f"'thidua rebuild --db {path}'."
    )


def is_too_new(exc: BaseException) -> bool:
    """DuckDB's refusal of a storage version newer than it reads (not damage)."""
    return isinstance(exc, duckdb.Error) and "newer version of duckdb" in str(exc).lower()


def is_lock_conflict(exc: BaseException) -> bool:
    """Another process holds the database file open (DuckDB's file lock)."""
    return bool(_LOCK_CONFLICT.search(str(exc)))


def is_disk_full(exc: BaseException) -> bool:
    """A full disk, as the operating system or DuckDB (a FatalException) says it."""
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return True
    text = str(exc).lower()
    return any(sign in text for sign in _DISK_FULL_SIGNS)


def is_corrupt(exc: BaseException) -> bool:
    """Whether a DuckDB error on opening or reading a database means the file is damaged (not
    merely locked by another process, unreadable for lack of rights, or the disk full)."""
    if not isinstance(exc, duckdb.Error) or is_lock_conflict(exc) or is_disk_full(exc):
        return False
    text = str(exc).lower()
    if "permission denied" in text:
        return False
    return any(sign in text for sign in _CORRUPT_SIGNS)


DISK_FULL = (
    "ổ đĩa đã đầy, không ghi được. Không có gì bị nạp dở: hãy giải phóng chỗ trống (xóa tệp "
    "tạm, chuyển bản sao lưu cũ đi) rồi chạy lại lệnh."
)


@dataclass(frozen=True)
class Failure:
    """How any exception is shown: the sentence, the exit code, and whether to try again."""

    message: str
    exit_code: int
    retry: bool = False

    @property
    def sentence(self) -> str:
        """The message as a sentence on its own (a page), not after "Lỗi: " (a terminal)."""
        return self.message[:1].upper() + self.message[1:]


class StoreWriteError(OSError):
    """The original or the journal could not be written; nothing was loaded. ``strerror`` is
    its own Vietnamese sentence: what was not written, and why."""


def describe(exc: BaseException, db_file: object = None) -> Failure:
    """The one translation of an exception into what a user reads (command line and pages)."""
    if isinstance(exc, ThiduaError):
        return Failure(exc.message, exc.exit_code, exc.retry)
    if isinstance(exc, StoreWriteError):
        full = exc.errno == errno.ENOSPC
        return Failure(exc.strerror or str(exc), EXIT_NOT_WRITTEN if full else EXIT_SYSTEM, full)
    if isinstance(exc, PermissionError) and not exc.errno:  # a role check (accounts.require)
        return Failure(str(exc.args[0] if exc.args else exc), EXIT_REFUSED)
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return Failure(DISK_FULL, EXIT_NOT_WRITTEN, retry=True)
        return Failure(
            f"hệ thống báo lỗi: {exc.strerror or exc} ({exc.filename or 'không rõ tệp'}). Hãy "
            "kiểm tra quyền ghi và chỗ trống của thư mục dữ liệu rồi chạy lại lệnh.",
            EXIT_SYSTEM,
        )
    if isinstance(exc, duckdb.Error):
        if is_disk_full(exc):  # DuckDB's FatalException of a full disk, not a damaged file
            return Failure(DISK_FULL, EXIT_NOT_WRITTEN, retry=True)
        data_file = damaged_data_file(exc)
        if data_file is not None:
            return Failure(data_file_error(data_file).message, EXIT_CORRUPT)
        if is_corrupt(exc):
            return Failure(corrupt_error(db_file).message, EXIT_CORRUPT)
        return Failure(
            "cơ sở dữ liệu báo lỗi, lệnh không thay đổi gì. Nếu lỗi lặp lại, chạy 'thidua "
            f"rebuild' để dựng lại từ các tệp gốc. Chi tiết: {type(exc).__name__}.",
            EXIT_INTERNAL,
        )
    if isinstance(exc, KeyboardInterrupt):
        return Failure(
            "đã dừng theo yêu cầu; lần nạp đang dở (nếu có) không được ghi.", EXIT_INTERRUPTED
        )
    if isinstance(exc, (ValueError, LookupError)):  # a refused value: its own sentence
        return Failure(str(exc.args[0] if exc.args else exc), EXIT_REFUSED)
    return Failure(
        "lỗi ngoài dự kiến của chương trình, lệnh dừng lại và không ghi dở gì. Hãy gửi dòng "
        f"sau cho người quản trị: {type(exc).__name__}: {exc}",
        EXIT_INTERNAL,
    )
