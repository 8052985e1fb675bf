"""What every SQLite file of nieuwslezer's is opened with: the feed store (feeds/store_file.py),
the library (library/db.py), and what only reads them (feeds/peek.py, library/peek.py,
export_state.py).

A file's URI with its mode; the choice that reads a file without writing anything, beside it
either (read_only_mode); a connection that begins and commits its transactions explicitly and
waits a given time for another program's lock; SQLite's quick check for damage; and which
primary result codes say what. Which mode and wait each file wants stays with its module.

Imported only where SQLite is about to be used: the peeks import it once a file is there.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

READ_ONLY = "mode=ro"  # through the `-wal` log; makes `-shm` (and `-wal`) beside a WAL file
IMMUTABLE = "mode=ro&immutable=1"  # the main file alone, unlocked: nothing made beside it
MALFORMED = "database disk image is malformed"  # what the quick check's finding is said as

# Primary result codes: not a (whole) database; another connection holds the lock.
DAMAGED = frozenset({sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_CORRUPT})
BUSY = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


def file_uri(path: Path, mode: str) -> str:
    """The URI that opens the file at `path` in `mode` (READ_ONLY, IMMUTABLE), for uri=True."""
    return f"{path.resolve().as_uri()}?{mode}"


def connect(database: str, *, timeout: float, uri: bool = False) -> sqlite3.Connection:
    """A connection to `database` (a file name, ":memory:" or, with `uri`, a file_uri) that
    waits `timeout` seconds for a lock another connection holds (its busy timeout).
    isolation_level=None: transactions are begun and committed explicitly (feeds/schema.py);
    usable from any thread (workers)."""
    return sqlite3.connect(
        database, uri=uri, timeout=timeout, isolation_level=None, check_same_thread=False
    )


def wait_for_locks(connection: sqlite3.Connection, seconds: float) -> None:
    """How long the connection waits for a lock another program holds before it fails."""
    connection.execute(f"PRAGMA busy_timeout = {round(seconds * 1000)}")


def log_is_empty(path: Path) -> bool:
    """Whether no `-wal` log beside the file at `path` holds commits its main file lacks."""
    wal = Path(f"{path}-wal")
    return not wal.exists() or wal.stat().st_size == 0


def read_only_mode(path: Path) -> str:
    """The mode that opens the file at `path` without writing anything, beside it either: a
    WAL file whose log is empty or absent is all in its main file and is read as IMMUTABLE (a
    READ_ONLY connection would leave `-shm` and `-wal` files beside it); otherwise READ_ONLY,
    through the log, and waiting for locks. OSError if unreadable."""
    with open(path, "rb") as handle:
        header = handle.read(100)
    in_wal_mode = len(header) == 100 and header[18] == 2  # the file format's write version
    return IMMUTABLE if in_wal_mode and log_is_empty(path) else READ_ONLY


def open_read_only(path: Path, *, timeout: float) -> sqlite3.Connection:
    """A READ_ONLY connection to the file at `path` (through its log, so it sees what another
    connection has committed), waiting `timeout` seconds for a lock (0: never)."""
    return connect(file_uri(path, READ_ONLY), uri=True, timeout=timeout)


def open_unchanged(path: Path, *, timeout: float) -> sqlite3.Connection:
    """A connection that cannot write the file at `path`, nor leave files beside it
    (read_only_mode), waiting `timeout` seconds for a lock. sqlite3.Error, OSError."""
    return connect(file_uri(path, read_only_mode(path)), uri=True, timeout=timeout)


def quick_check(connection: sqlite3.Connection) -> str | None:
    """What SQLite's quick check finds wrong with the file of `connection`, in words (its
    details name pages: of no use to the user); None if it is whole, or could not be looked
    at (locked: opening it properly says why). sqlite3.Error (code in DAMAGED) if it is no
    database at all, or unreadable from its first pages. The connection is closed."""
    try:
        (verdict,) = connection.execute("PRAGMA quick_check(1)").fetchone()
    except sqlite3.Error as error:
        if code_in(error, DAMAGED):
            raise
        return None
    finally:
        connection.close()
    return None if verdict == "ok" else MALFORMED


def code_in(error: BaseException | None, codes: frozenset[int]) -> bool:
    """Whether `error` is an SQLite error of one of these primary result codes."""
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) in codes
