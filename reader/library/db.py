"""library.sqlite: its schema and migrations, and opening it safely.

The library holds what the user builds (read marks, stars, first-seen times, runs, the
session); it sits in the data folder beside the feed store and is opened the way the feed
store is (reader/feeds/schema.py and reader/sqlite_files.py, whose helpers it uses): versioned
with PRAGMA user_version, each migration in one transaction with its version bump, WAL mode so
that two nieuwslezers can read and write it at once.

A file that cannot be used (damaged, not a database, another program's database, written by a
newer nieuwslezer, locked, one SQLite can only read, not a regular file: a folder, a pipe) is
never changed, deleted or recreated: open_library_file() then gives an in-memory library of
the same schema and the reason (`problem`), so the reader keeps working and can tell the user
that this run's marks will not be kept.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from reader.feeds.schema import StoreError, prepare, version_problem
from reader.paths import library_path as default_library_path
from reader.sqlite_files import BUSY, DAMAGED, code_in, connect, open_unchanged, quick_check

NAME = "library"  # what messages call the file
# What a call waits for another nieuwslezer's write lock before it says so: short, as the
# UI waits for the answer. Transactions are small (chunks), so a wait this long is rare.
BUSY_TIMEOUT_SECONDS = 0.5
LEFT_ALONE = "left as it is"
NOT_KEPT = "read marks, stars and the session of this run are kept in memory only, not saved"

# MIGRATIONS[n] takes the library from version n to n + 1 (one statement per string).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: the first layout. `items`: every item ever listed, by key (keys.py), when it was
    # first seen and when it was read (NULL: unread). `stars`: what a starred view lists
    # without loading the item's file. `undo`: the keys the last bulk mark made read.
    # `runs`: when each run of the reader began. `settings`: named values (the session).
    (
        """
        CREATE TABLE items (
            key TEXT PRIMARY KEY,
            first_seen REAL NOT NULL,
            read_at REAL
        ) WITHOUT ROWID
        """,
        "CREATE INDEX items_read ON items (read_at) WHERE read_at IS NOT NULL",
        "CREATE INDEX items_first_seen ON items (first_seen)",
        """
        CREATE TABLE stars (
            key TEXT PRIMARY KEY,
            starred_at REAL NOT NULL,
            title TEXT NOT NULL,
            file TEXT NOT NULL,
            source TEXT,
            link TEXT,
            published REAL,
            feed TEXT,
            guid TEXT
        )
        """,
        "CREATE INDEX stars_guid ON stars (guid) WHERE guid IS NOT NULL",
        "CREATE TABLE undo (key TEXT PRIMARY KEY) WITHOUT ROWID",
        "CREATE TABLE runs (id INTEGER PRIMARY KEY, started REAL NOT NULL)",
        "CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class LibraryError(Exception):
    """The library could not do what was asked; the message says why, for the user."""


class LibraryBusy(LibraryError):
    """Another program held the library's write lock for longer than was waited."""


@dataclass(frozen=True, slots=True)
class LibraryFile:
    """An open library: its connection, and why it is in memory instead of in the file
    (None: it is the file)."""

    connection: sqlite3.Connection
    problem: str | None = None


def open_library_file(path: Path) -> LibraryFile:
    """Open (creating if need be) and migrate the library at `path`; never raises. A file
    that cannot be used is left as it is, and an in-memory library stands in (`problem`)."""
    try:
        return LibraryFile(_open_file(path))
    except LibraryError as error:
        return LibraryFile(memory_connection(), f"{error}; {NOT_KEPT}")


def memory_connection() -> sqlite3.Connection:
    """An empty library in memory, of the current schema."""
    connection = _connect(":memory:")
    prepare(connection, Path(":memory:"), MIGRATIONS, NAME)
    return connection


def _open_file(path: Path) -> sqlite3.Connection:
    try:
        _check_regular(path)
        # Damage anywhere is found before anything is written (read through a connection
        # that cannot write, nor leave files beside it).
        damage = _damage_of(path) if path.exists() else None
        if damage is not None:
            raise LibraryError(f"library {path} is damaged ({damage})")
        if path.exists() and not os.access(path, os.W_OK):  # before SQLite makes its -shm
            raise LibraryError(f"library {path} cannot be written (no permission to write it)")
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = _connect(str(path))
    except (sqlite3.Error, OSError, LibraryError) as error:
        raise LibraryError(_reason(path, error)) from error
    try:
        prepare(connection, path, MIGRATIONS, NAME)
        _check_writable(connection, path)
    except (StoreError, LibraryError) as error:
        connection.close()
        raise LibraryError(_reason(path, error)) from error
    return connection


def _check_regular(path: Path) -> None:
    """LibraryError if something that is not a regular file is where the library should be:
    SQLite would wait forever on a pipe, and fail on a folder or a device."""
    if path.exists() and not path.is_file():
        raise LibraryError(f"library {path} is not a file (a folder, a pipe?)")


def _damage_of(path: Path) -> str | None:
    """What SQLite's quick check finds wrong with the library, in words; None if it is
    whole, or could not be looked at (then opening it says why). Read as export reads it
    (open_unchanged), so a WAL library gets no `-shm` or `-wal` file beside it either.
    sqlite3.Error if it is no database at all."""
    try:
        connection = open_unchanged(path, timeout=BUSY_TIMEOUT_SECONDS)
    except (sqlite3.Error, OSError):
        return None
    return quick_check(connection)


def _check_writable(connection: sqlite3.Connection, path: Path) -> None:
    """LibraryError if SQLite can only read the file (a read-only file, folder or disk):
    every mark would fail. A write that changes nothing, rolled back; another program's
    lock is no reason (this run writes when it is let go)."""
    try:
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute("DELETE FROM settings WHERE false")
        finally:
            connection.execute("ROLLBACK")
    except sqlite3.Error as error:
        if not code_in(error, BUSY):
            raise LibraryError(f"library {path} cannot be written ({error})") from error


def _reason(path: Path, error: BaseException) -> str:
    """Why the library at `path` cannot be used, in words."""
    if code_in(error.__cause__ or error, BUSY):
        return (
            f"library {path} is locked by another program ({error.__cause__ or error});"
            " left as it is"
        )
    text = str(error)
    if str(path) in text:
        return text if text.endswith(LEFT_ALONE) else f"{text}; {LEFT_ALONE}"
    if code_in(error, DAMAGED):
        return f"library {path} is not a database or is damaged ({text}); {LEFT_ALONE}"
    return f"library {path} cannot be opened ({text})"


def _connect(database: str, *, uri: bool = False) -> sqlite3.Connection:
    return connect(database, uri=uri, timeout=BUSY_TIMEOUT_SECONDS)


def read_starred_guids(path: Path | None = None) -> frozenset[str]:
    """The guids of the starred feed articles in the library at `path` (default: the data
    folder's), read without writing or migrating anything: what the retention must keep.
    An empty set when there is no library yet; LibraryError when it cannot be read (then
    nothing that could be starred may be removed)."""
    path = path or default_library_path()
    if not path.exists():
        return frozenset()
    _check_regular(path)
    try:
        connection = open_unchanged(path, timeout=BUSY_TIMEOUT_SECONDS)
    except (sqlite3.Error, OSError) as error:
        raise LibraryError(f"library {path} cannot be read ({error})") from error
    try:
        version, problem = version_problem(connection, path, SCHEMA_VERSION, NAME)
        if problem is not None:
            raise LibraryError(problem)
        if version == 0:
            return frozenset()
        rows = connection.execute("SELECT guid FROM stars WHERE guid IS NOT NULL").fetchall()
    except sqlite3.Error as error:
        raise LibraryError(f"library {path} cannot be read ({error})") from error
    finally:
        connection.close()
    return frozenset(str(guid) for (guid,) in rows)


def failure(error: Exception, what: str) -> LibraryError:
    """An SQLite error (or a value SQLite cannot hold: UnicodeEncodeError, OverflowError)
    as the LibraryError the user is shown: `what` failed, and why."""
    if code_in(error, BUSY):
        return LibraryBusy(
            f"{what}: another nieuwslezer was writing to it for over"
            f" {BUSY_TIMEOUT_SECONDS:g} s; try again"
        )
    return LibraryError(f"{what} ({error})")


def json_array(keys: Sequence[str]) -> str:
    """Keys as one JSON array: SQLite reads it with json_each, so a chunk of keys is one
    statement (several times quicker than executemany's one binding per key)."""
    return json.dumps(list(keys), ensure_ascii=False)


def epoch(now: datetime | None) -> float:
    """A moment (default: now) as the library stores it: Unix epoch seconds."""
    return (now or datetime.now(UTC)).timestamp()


def moment(stamp: float | None) -> datetime | None:
    """A stored time as an aware UTC datetime; None stays None."""
    return None if stamp is None else datetime.fromtimestamp(stamp, UTC)
