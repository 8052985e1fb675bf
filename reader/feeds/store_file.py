"""Opening the feed store's file: for writing where it can be written, else (to read) for
reading only; and a file found damaged is never written to.

SQLite's quick check reads every page once (about 80 ms for 100,000 items) before anything
is migrated or written, so damage anywhere in the file is known at once: the store is then
read as far as it can be (salvage.py) and left as it is. A store whose folder or file cannot
be written (a read-only folder, a full disk) is opened read-only: its articles still show,
only refreshing is impossible. SQLite needs to create the `-shm` file beside a WAL database
even to read it; where it cannot, and no `-wal` file holds commits, the file is opened as
immutable, which needs neither.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from reader.feeds.schema import SCHEMA_VERSION, StoreError, prepare
from reader.sqlite_files import (
    BUSY,
    IMMUTABLE,
    READ_ONLY,
    code_in,
    connect,
    file_uri,
    log_is_empty,
    quick_check,
    wait_for_locks,
)

BUSY_TIMEOUT_SECONDS = 5.0  # another nieuwslezer refreshing at the same moment
SHORT_WAIT_SECONDS = 0.2  # what reading, which need not write now, waits for another's lock

# Primary result codes that say the file or its folder cannot be written, not that the file
# is wrong: it can still be read.
_CANNOT_WRITE = frozenset(
    {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM, sqlite3.SQLITE_FULL}
)
MOVE_IT_AWAY = "move it away and the next refresh starts a new one"
_CHECK = "can its folder and the file be written, and is the disk not full?"


@dataclass(frozen=True, slots=True)
class StoreFile:
    """An open store: its connection, why nothing may be written to it (None: it may be),
    and what is wrong with it if it is damaged."""

    connection: sqlite3.Connection
    cannot_write: str | None = None
    damage: str | None = None


def open_store_file(path: Path, *, writing: bool) -> StoreFile:
    """Open (creating if need be) and migrate the store at `path`. With `writing`, a store
    that cannot be written is a StoreError; else it is opened to be read only, and says why.
    A damaged store is never written to (the check reads it without a connection that could
    write, which would copy its `-wal` into it on closing): a StoreError with `writing`,
    else it is opened read-only."""
    damage = damage_of(path) if path.is_file() else None
    if damage is not None:
        if writing:
            raise StoreError(
                f"feed store {path} is damaged ({damage}); nothing is written to it, so it"
                f" cannot be refreshed; it is left as it is: {MOVE_IT_AWAY}"
            )
        return _read_only(path, damaged_message(path, damage), damage)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = _connect(str(path), uri=False)
    except (sqlite3.Error, OSError) as error:
        if writing or not path.is_file():
            raise StoreError(f"feed store {path} cannot be opened ({error})") from error
        return _read_only(path, _cannot_write(path, error))
    try:
        if not writing:  # reading waits for no other program's lock, not even to update
            wait_for_locks(connection, SHORT_WAIT_SECONDS)
        prepare(connection, path)
        wait_for_locks(connection, BUSY_TIMEOUT_SECONDS)
    except StoreError as error:
        connection.close()
        if not writing and code_in(error.__cause__, BUSY):  # an update waiting for a lock
            return _read_only(path, _busy(path, error.__cause__))
        if not code_in(error.__cause__, _CANNOT_WRITE):
            raise
        if writing:
            raise StoreError(
                f"feed store {path} cannot be written ({error.__cause__}: {_CHECK}), so it"
                " cannot be refreshed; left as it is"
            ) from error
        return _read_only(path, _cannot_write(path, error.__cause__))
    return StoreFile(connection)


def damaged_message(path: Path, damage: str) -> str:
    return (
        f"feed store {path} is damaged ({damage}): what can be read of it shows, but nothing"
        f" is stored in it any more, so refreshing is impossible; it is left as it is:"
        f" {MOVE_IT_AWAY}"
    )


def _connect(database: str, *, uri: bool) -> sqlite3.Connection:
    return connect(database, uri=uri, timeout=BUSY_TIMEOUT_SECONDS)


def damage_of(path: Path, name: str = "feed store") -> str | None:
    """What SQLite's quick check finds wrong with the file, in words (its details name pages:
    of no use to the user); None if it is whole, or could not be looked at read-only (then
    opening it says why). StoreError if it is no database at all, or unreadable from its
    first pages. `name`: what the message calls the file."""
    try:
        connection = _read_only_connection(path)
    except sqlite3.Error:
        return None
    try:
        return quick_check(connection)
    except sqlite3.Error as error:  # a code in DAMAGED
        raise StoreError(
            f"{name} {path} is not a database or is damaged ({error}); left as it is"
        ) from error


def _read_only_connection(path: Path) -> sqlite3.Connection:
    """A connection that cannot write: read-only, else immutable (no `-shm` needed) when no
    `-wal` file holds commits the main file lacks. Checked by a first read."""
    modes = [READ_ONLY]
    if log_is_empty(path):
        modes.append(IMMUTABLE)
    failure = sqlite3.OperationalError("unable to open database file")
    for mode in modes:
        try:
            connection = _connect(file_uri(path, mode), uri=True)
        except sqlite3.Error as error:
            failure = error
            continue
        try:
            connection.execute("PRAGMA user_version").fetchone()
        except sqlite3.Error as error:
            connection.close()
            failure = error
            continue
        return connection
    raise failure


def _read_only(path: Path, cannot_write: str, damage: str | None = None) -> StoreFile:
    """The store opened to be read only, if it can be read as it is (no migration due)."""
    try:
        connection = _read_only_connection(path)
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error as error:
        raise StoreError(f"{cannot_write}; and it cannot be read ({error})") from error
    if version > SCHEMA_VERSION:
        connection.close()
        raise StoreError(
            f"{cannot_write}; and it cannot be read: a newer nieuwslezer wrote it (schema"
            f" version {version}, this one knows up to {SCHEMA_VERSION})"
        )
    # An older version is read as it is, not migrated: what this one reads of it is likely
    # there still (a failing read says so).
    return StoreFile(connection, cannot_write, damage)


def _cannot_write(path: Path, error: BaseException | None) -> str:
    return (
        f"feed store {path} can only be read, not written ({error}: {_CHECK}): the stored"
        " articles show, but refreshing is impossible"
    )


def _busy(path: Path, error: BaseException | None) -> str:
    return (
        f"feed store {path} could not be updated for this nieuwslezer: another program was"
        f" writing to it ({error}); the stored articles show, but refreshing is impossible"
        " until nieuwslezer starts again"
    )
