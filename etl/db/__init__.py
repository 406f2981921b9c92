"""The database floor: connections and snapshots (connections), the schema and its migration
(migrations, sql/), the shipped seeds (seeds), writing a load's rows (store) and transactions.

``from etl import db`` gives the connection API, the way notebooks and scripts open the data.
"""

from etl.db.connections import (
    SNAPSHOTS_KEPT,
    close,
    close_all,
    connect,
    cursor,
    lock_path,
    main_path,
    publish,
    read_cursor,
    read_only,
    read_path,
    reader,
    reader_of,
    settled,
    snapshots_dir,
    write_lock,
    writing,
)
from etl.db.transactions import quote_ident, transaction
from etl.errors import DatabaseBusy, DatabaseCorrupt, DatabaseError, corrupt_error

__all__ = [
    "SNAPSHOTS_KEPT",
    "DatabaseBusy",
    "DatabaseCorrupt",
    "DatabaseError",
    "close",
    "close_all",
    "connect",
    "corrupt_error",
    "cursor",
    "lock_path",
    "main_path",
    "publish",
    "quote_ident",
    "read_cursor",
    "read_only",
    "read_path",
    "reader",
    "reader_of",
    "settled",
    "snapshots_dir",
    "transaction",
    "write_lock",
    "writing",
]
