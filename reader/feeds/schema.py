"""The feed store's SQLite schema: its migrations, and opening a file safely.

The schema is versioned with PRAGMA user_version; each migration runs in one transaction with
its version bump. A file the store cannot use (not a database, damaged, from a newer
nieuwslezer, locked) raises StoreError naming the file and is never changed or deleted.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from reader.sqlite_files import BUSY, DAMAGED, code_in

# A date this far past the moment its item was fetched is not believed (a wrong clock or time
# zone at the publisher): such an item counts as published when it was fetched.
FUTURE_TOLERANCE_SECONDS = 5 * 60

# MIGRATIONS[n] takes a database from version n to version n + 1; one statement per string so
# that each step runs inside the transaction that also bumps user_version (executescript
# would commit first).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: the first layout.
    (
        """
        CREATE TABLE items (
            guid TEXT PRIMARY KEY,
            feed_url TEXT NOT NULL,
            source TEXT NOT NULL,
            title TEXT NOT NULL,
            link TEXT,
            published REAL,
            blocks_json TEXT NOT NULL,
            fetched REAL NOT NULL
        )
        """,
    ),
    # 2: summaries the publisher cut short; newest-first reading and retention by index
    # (undated items count from when they were fetched); per-feed state for conditional GET.
    (
        "ALTER TABLE items ADD COLUMN cut INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX items_newest ON items (coalesce(published, fetched))",
        "CREATE INDEX items_by_source ON items (source, coalesce(published, fetched))",
        """
        CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            title TEXT,
            etag TEXT,
            last_modified TEXT,
            last_fetched REAL,
            last_error TEXT
        )
        """,
    ),
    # 3: a date in the future when fetched is kept as `dated_ahead`, and `published` left
    # NULL so that the item counts from when it was fetched; the retention period under which
    # a feed's validators hold (`kept_days`, NULL: unknown, so the next fetch is full); items
    # read and counted per feed.
    (
        "ALTER TABLE items ADD COLUMN dated_ahead REAL",
        "UPDATE items SET dated_ahead = published, published = NULL"
        f" WHERE published > fetched + {FUTURE_TOLERANCE_SECONDS}",
        "ALTER TABLE feeds ADD COLUMN kept_days INTEGER",
        "DROP INDEX items_by_source",  # feeds are told apart by address, not by title
        "CREATE INDEX items_by_feed ON items (feed_url, coalesce(published, fetched))",
    ),
    # 4: when an item was last stored or changed (`changed`), so that a reader picks up a
    # story corrected in place; `fetched` stays when it was first stored. The items kept
    # count as changed when they were fetched.
    (
        "ALTER TABLE items ADD COLUMN changed REAL NOT NULL DEFAULT 0",
        "UPDATE items SET changed = fetched",
        "CREATE INDEX items_changed ON items (changed)",
    ),
    # 5: when a server that asked to wait (Retry-After on a 429 or 503) may be asked again:
    # until then, neither this feed nor another of its server is fetched. NULL: at any time.
    ("ALTER TABLE feeds ADD COLUMN retry_at REAL",),
    # 6: tombstones of the items the retention removed (tombstones.py), so that a feed that
    # still lists one does not bring it back as new; dropped once its feed no longer does.
    (
        """
        CREATE TABLE removed (
            guid TEXT PRIMARY KEY,
            feed_url TEXT NOT NULL,
            removed_at REAL NOT NULL
        )
        """,
        "CREATE INDEX removed_by_feed ON removed (feed_url)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The store cannot be used; the message names the file and says why."""


def prepare(
    connection: sqlite3.Connection,
    path: Path,
    migrations: Sequence[tuple[str, ...]] | None = None,
    name: str = "feed store",
) -> None:
    """Check the file is a store this code can use, then bring it to SCHEMA_VERSION.

    Another database versioned the same way (the library, reader/library/db.py) passes its
    own `migrations` (None: the feed store's) and the `name` its messages call it by."""
    migrations = MIGRATIONS if migrations is None else migrations
    latest = len(migrations)
    try:
        # The first read of the file: where "file is not a database" shows.
        version, problem = version_problem(connection, path, latest, name)
        if problem is not None:
            raise StoreError(f"{problem}; left as it is")
        # Checked before anything is written, so a file refused above is not even touched.
        connection.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL cannot corrupt the database; a crash loses at most the last
        # commits, and the next refresh fetches them again.
        connection.execute("PRAGMA synchronous=NORMAL")
        _migrate(connection, version, path, migrations, name)
    except sqlite3.Error as error:
        if getattr(error, "sqlite_errorcode", None) in (
            sqlite3.SQLITE_NOTADB,
            sqlite3.SQLITE_CORRUPT,
        ):
            problem = "is not a database or is damaged"
        else:
            problem = "cannot be opened"
        raise StoreError(f"{name} {path} {problem} ({error}); left as it is") from error


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """All of the block or none of it. IMMEDIATE takes the write lock at once, so a second
    writer waits its turn instead of failing half-way."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.rollback()
        raise
    connection.execute("COMMIT")


# Failures of a migration step that are not the step's: the store is locked by another
# nieuwslezer, or is damaged (primary result codes).
_NOT_THE_STEPS_FAULT = BUSY | DAMAGED


def version_problem(
    connection: sqlite3.Connection, path: Path, latest: int, name: str = "feed store"
) -> tuple[int, str | None]:
    """The file's schema version (PRAGMA user_version; 0: new or empty), and why code that
    knows versions up to `latest` cannot use it (a newer nieuwslezer's, or another program's
    database), else None. The one place these are checked (prepare, and what only reads the
    library: reader/library/db.py, reader/export_state.py). sqlite3.Error if unreadable."""
    version = _user_version(connection)
    if version > latest:
        return version, (
            f"{name} {path} was written by a newer nieuwslezer (schema version "
            f"{version}, this one knows up to {latest})"
        )
    if version == 0 and connection.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        return version, f"{path} is a database but not a {name}"
    return version, None


def _user_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def _migrate(
    connection: sqlite3.Connection,
    version: int,
    path: Path,
    migrations: Sequence[tuple[str, ...]],
    name: str,
) -> None:
    """Each step in one transaction with its version bump: a step that fails is undone
    whole, and the store is left at the version before it, every row kept."""
    for target, statements in enumerate(migrations, start=1):
        if version >= target:
            continue  # no write lock taken for a store that is up to date
        try:
            with transaction(connection):
                # Read again under the write lock: another process may have migrated meanwhile.
                if _user_version(connection) >= target:
                    continue
                for statement in statements:
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {target}")
        except sqlite3.Error as error:
            if code_in(error, _NOT_THE_STEPS_FAULT):
                raise  # said as when the store cannot be opened at all
            raise StoreError(
                f"{name} {path} could not be brought to schema version {target} ({error});"
                f" left at version {target - 1}, as it was"
            ) from error
