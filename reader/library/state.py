"""The user's library: read marks, stars, first-seen times and runs, in library.sqlite.

    library = Library.open()            # never raises; library.problem says what went wrong
    previous = library.begin_run()      # when the previous run began (None: the first run)
    library.see(keys)                   # each listed item: its first-seen time, once
    library.set_read(key)               # or toggle_read(key); is_read(key); read_keys()
    library.mark_read(listed_keys)      # bulk, undoable with library.undo()
    library.star(Starred.of(article))   # or toggle_star(article); starred(); starred_keys()

Every method either does what it says or raises LibraryError with a message for the user
(LibraryBusy: another nieuwslezer held the write lock longer than BUSY_TIMEOUT_SECONDS);
never a raw sqlite3 error, nor what Python raises for a value SQLite cannot hold (a lone
surrogate, an integer over 64 bits; keys.py makes keys and paths storable). One Library may be
shared by threads (a lock serialises calls); two processes may each open the file at once
(WAL): each sees the other's commits on its next call (PRAGMA data_version tells it when to
read its caches again).

Bulk operations (see, mark_read, undo) run in chunks of CHUNK keys, each chunk one
transaction: a crash or a kill leaves whole chunks done and none half-done; the lock is let
go between chunks, so another thread (the UI) or process waits for one chunk at most. Call
them from a worker when the keys are many (100,000 new keys: about 0.15 s).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from reader.closing import Closing
from reader.feeds.schema import transaction
from reader.library.db import (
    LibraryBusy,
    LibraryError,
    default_library_path,
    epoch,
    failure,
    json_array,
    memory_connection,
    moment,
    open_library_file,
)
from reader.library.keys import article_key, page_path, real_path, storable_path
from reader.model import Article

__all__ = ["CHUNK", "Library", "LibraryBusy", "LibraryError", "Starred"]

CHUNK = 5000  # keys per transaction of a bulk operation
_UNDO_OWNER = "undo owner"  # in settings: the run whose mark the undo table holds


@dataclass(frozen=True, slots=True)
class Starred:
    """A starred article as the starred view lists it, without its file or feed loaded:
    `file` is the page's keys.page_path (a feed article's link, else its feed's address)."""

    key: str
    title: str
    file: str
    source: str | None = None  # the feed's name; None for a page file
    link: str | None = None
    published: datetime | None = None
    feed: str | None = None  # the feed's address
    guid: str | None = None  # a feed article's guid: the retention keeps it
    starred_at: datetime | None = None  # set by the library

    @classmethod
    def of(cls, article: Article) -> Starred:
        """What a starred view needs of `article`."""
        return cls(
            article_key(article),
            article.title,
            article.file if article.guid is not None else page_path(article.file),
            article.source,
            article.link,
            article.published or article.fetched,
            article.feed,
            article.guid,
        )


class Library(Closing):
    """Read marks, stars, first-seen times, runs and named values (the session) of one
    library file, or of memory when the file cannot be used (`problem` then says why and
    `kept` is False). Open with Library.open(); close() when done (or use `with`)."""

    def __init__(
        self, connection: sqlite3.Connection, path: Path | None, problem: str | None = None
    ) -> None:
        self._connection = connection
        self.path = path  # None: in memory by choice (Library.in_memory)
        self.problem = problem  # why the state is not kept in the file; None: it is
        self._lock = threading.RLock()
        self._data_version = -1  # PRAGMA data_version the caches were read at
        self._read: set[str] = set()
        self._starred: set[str] = set()
        self._read_view: frozenset[str] | None = None  # read_keys(), until a change
        self._starred_view: frozenset[str] | None = None
        self._new_view: frozenset[str] | None = None
        self._seen: set[str] = set()  # keys this object saw stored: see() skips them
        self._previous_run: float | None = None
        self._run_started: float | None = None
        # Whose mark undo() undoes: this run's (begin_run), else "" (a tool, a test).
        self._undo_owner = ""

    @classmethod
    def open(cls, path: Path | None = None) -> Library:
        """The library at `path` (default: library.sqlite in the data folder), created if
        need be. Never raises: a file that cannot be used is left as it is, and the library
        lives in memory for this run (`problem` says why, for `d` and a notification)."""
        path = path or default_library_path()
        opened = open_library_file(path)
        return cls(opened.connection, path, opened.problem)

    @classmethod
    def in_memory(cls) -> Library:
        """An empty library kept in memory only (tests, `--fresh` without saving)."""
        return cls(memory_connection(), None)

    @property
    def kept(self) -> bool:
        """Whether changes are saved in the file (False: in memory, for this run only)."""
        return self.path is not None and self.problem is None

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    # -- runs and first-seen times ----------------------------------------------------------

    def begin_run(self, now: datetime | None = None) -> datetime | None:
        """Record that a run of the reader begins `now`; returns when the previous run began
        (None: this is the first). Items first seen from now on are new (new_keys)."""
        started = epoch(now)
        with self._use("recording the start of this run") as connection:
            with transaction(connection):
                (previous,) = connection.execute("SELECT max(started) FROM runs").fetchone()
                run = connection.execute("INSERT INTO runs (started) VALUES (?)", (started,))
            self._previous_run, self._run_started = previous, started
            self._undo_owner = f"run {run.lastrowid}"
            self._new_view = None
        return moment(previous)

    @property
    def previous_run(self) -> datetime | None:
        """When the run before this one began (begin_run); None if none, or not begun."""
        return moment(self._previous_run)

    def see(self, keys: Iterable[str], now: datetime | None = None) -> int:
        """Record `now` as the first-seen time of each key not seen before; returns how many
        keys were looked up in the file. Keys this Library already stored are skipped in
        memory, so calling it for every listed item on every listing is cheap (100,000 known
        keys: a few ms); the first call of a run looks them up (100,000: about 0.1 s; run it
        in a worker). The lock is let go between chunks, so other calls need not wait."""
        if not isinstance(keys, list | tuple | set | frozenset):
            keys = list(keys)
        if self._seen.issuperset(keys):
            return 0
        fresh = [key for key in dict.fromkeys(keys) if key not in self._seen]
        stamp = epoch(now)
        for done, chunk in _numbered_chunks(fresh):
            with self._use("recording items as seen", done, len(fresh)) as connection:
                with transaction(connection):
                    connection.execute(
                        "INSERT INTO items (key, first_seen) SELECT value, ? FROM json_each(?)"
                        " WHERE true ON CONFLICT (key) DO NOTHING",
                        (stamp, json_array(chunk)),
                    )
                self._seen.update(chunk)
                self._new_view = None
        return len(fresh)

    def first_seen(self, key: str) -> datetime | None:
        """When the item was first seen (see); None if never."""
        with self._use("reading when an item was first seen") as connection:
            row = connection.execute(
                "SELECT first_seen FROM items WHERE key = ?", (key,)
            ).fetchone()
        return None if row is None else moment(row[0])

    def new_keys(self) -> frozenset[str]:
        """The keys first seen in this run (since begin_run; all seen keys when no run was
        begun): what arrived since the previous run, which the UI marks as new. What a
        previous run listed is not new, whether it was read or not; new is not unread either:
        a new item read stays new this run. On the first run nothing is new: there was no
        last time to be new since (everything would be marked)."""
        with self._use("reading which items are new") as connection:
            self._sync(connection)
            if self._run_started is not None and self._previous_run is None:
                return frozenset()
            if self._new_view is None:
                since = self._run_started if self._run_started is not None else float("-inf")
                rows = connection.execute(
                    "SELECT key FROM items WHERE first_seen >= ?", (since,)
                ).fetchall()
                self._new_view = frozenset(key for (key,) in rows)
            return self._new_view

    # -- read marks ---------------------------------------------------------------------------

    def is_read(self, key: str) -> bool:
        with self._use("reading a read mark") as connection:
            self._sync(connection)
            return key in self._read

    def read_keys(self) -> frozenset[str]:
        """The keys of every item marked read. The same object until a mark changes (here or
        in another process), so it is cheap to ask for on every repaint."""
        with self._use("reading the read marks") as connection:
            self._sync(connection)
            if self._read_view is None:
                self._read_view = frozenset(self._read)
            return self._read_view

    def set_read(self, key: str, read: bool = True, now: datetime | None = None) -> None:
        """Mark one item read (keeping when it was first read) or unread."""
        with self._use("saving a read mark") as connection:
            self._sync(connection)
            if read:
                stamp = epoch(now)
                connection.execute(
                    "INSERT INTO items (key, first_seen, read_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET read_at = coalesce(read_at, ?)",
                    (key, stamp, stamp, stamp),
                )
                self._read.add(key)
                self._seen.add(key)
            else:
                connection.execute("UPDATE items SET read_at = NULL WHERE key = ?", (key,))
                self._read.discard(key)
            self._read_view = None

    def toggle_read(self, key: str, now: datetime | None = None) -> bool:
        """Mark the item read if it is unread, else unread; returns whether it is read now."""
        with self._lock:
            read = not self.is_read(key)
            self.set_read(key, read, now)
            return read

    def mark_read(self, keys: Iterable[str], now: datetime | None = None) -> int:
        """Mark every item of `keys` read (what is listed); returns how many were unread.
        undo() makes those unread again, until the next mark_read that marks any (in any
        process); only in this run (begin_run) when one was begun. In chunks,
        the lock let go between them: should one fail, LibraryError says how many were
        marked, and undo() covers those."""
        with self._use("marking items read") as connection:
            self._sync(connection)
            unread = [key for key in dict.fromkeys(keys) if key not in self._read]
        stamp = epoch(now)
        for done, chunk in _numbered_chunks(unread):
            with self._use("marking items read", done, len(unread)) as connection:
                with transaction(connection):
                    if done == 0:
                        connection.execute("DELETE FROM undo")
                        self.set_value(_UNDO_OWNER, self._undo_owner)
                    listed = json_array(chunk)
                    connection.execute(
                        "INSERT INTO items (key, first_seen, read_at) SELECT value, ?, ?"
                        " FROM json_each(?) WHERE true ON CONFLICT (key)"
                        " DO UPDATE SET read_at = coalesce(read_at, excluded.read_at)",
                        (stamp, stamp, listed),
                    )
                    connection.execute(
                        "INSERT INTO undo (key) SELECT value FROM json_each(?) WHERE true"
                        " ON CONFLICT DO NOTHING",
                        (listed,),
                    )
                self._read.update(chunk)
                self._seen.update(chunk)
                self._read_view = None
        return len(unread)

    def can_undo(self) -> int:
        """How many items undo() would mark unread again (0: nothing to undo)."""
        with self._use("reading what can be undone") as connection:
            if not self._owns_undo():
                return 0
            return int(connection.execute("SELECT count(*) FROM undo").fetchone()[0])

    def _owns_undo(self) -> bool:
        """Whether the last mark (the undo table's keys) is this run's: another run's or
        another process's is not this one's to undo."""
        return (self.value(_UNDO_OWNER) or "") == self._undo_owner

    def undo(self) -> int:
        """Mark unread again what the last mark_read marked; returns how many (0: nothing to
        undo). In chunks, like mark_read."""
        done = 0
        while True:
            with self._use("undoing the last mark", done) as connection:
                with transaction(connection):
                    if not self._owns_undo():
                        return done
                    chunk = [
                        key
                        for (key,) in connection.execute(
                            "SELECT key FROM undo LIMIT ?", (CHUNK,)
                        ).fetchall()
                    ]
                    listed = json_array(chunk)
                    connection.execute(
                        "UPDATE items SET read_at = NULL"
                        " WHERE key IN (SELECT value FROM json_each(?))",
                        (listed,),
                    )
                    connection.execute(
                        "DELETE FROM undo WHERE key IN (SELECT value FROM json_each(?))",
                        (listed,),
                    )
                self._sync(connection)
                self._read.difference_update(chunk)
                self._read_view = None
            done += len(chunk)
            if len(chunk) < CHUNK:
                return done

    # -- stars ----------------------------------------------------------------------------------

    def is_starred(self, key: str) -> bool:
        with self._use("reading a star") as connection:
            self._sync(connection)
            return key in self._starred

    def starred_keys(self) -> frozenset[str]:
        """The keys of every starred item (the same object until a star changes)."""
        with self._use("reading the stars") as connection:
            self._sync(connection)
            if self._starred_view is None:
                self._starred_view = frozenset(self._starred)
            return self._starred_view

    def star(self, entry: Starred, now: datetime | None = None) -> Starred:
        """Star an item (again: its details are brought up to date, its star time kept);
        returns the entry as stored, with its `starred_at`."""
        stamp = epoch(now)
        with self._use("saving a star") as connection:
            self._sync(connection)
            connection.execute(
                "INSERT INTO stars (key, starred_at, title, file, source, link, published,"
                " feed, guid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE"
                " SET title = excluded.title, file = excluded.file, source = excluded.source,"
                " link = excluded.link, published = excluded.published, feed = excluded.feed,"
                " guid = excluded.guid",
                (
                    entry.key,
                    stamp,
                    entry.title,
                    storable_path(entry.file),
                    entry.source,
                    entry.link,
                    None if entry.published is None else entry.published.timestamp(),
                    entry.feed,
                    entry.guid,
                ),
            )
            (starred_at,) = connection.execute(
                "SELECT starred_at FROM stars WHERE key = ?", (entry.key,)
            ).fetchone()
            self._starred.add(entry.key)
            self._starred_view = None
        return replace(entry, starred_at=moment(starred_at))

    def unstar(self, key: str) -> None:
        with self._use("removing a star") as connection:
            self._sync(connection)
            connection.execute("DELETE FROM stars WHERE key = ?", (key,))
            self._starred.discard(key)
            self._starred_view = None

    def toggle_star(self, article: Article, now: datetime | None = None) -> bool:
        """Star the article if it is not starred, else unstar it; returns whether it is."""
        entry = Starred.of(article)
        with self._lock:
            if self.is_starred(entry.key):
                self.unstar(entry.key)
                return False
            self.star(entry, now)
            return True

    def starred(self) -> list[Starred]:
        """Every starred item, the most recently starred first."""
        with self._use("reading the starred items") as connection:
            rows = connection.execute(
                "SELECT key, title, file, source, link, published, feed, guid, starred_at"
                " FROM stars ORDER BY starred_at DESC, key"
            ).fetchall()
        return [
            Starred(
                key,
                title,
                real_path(file),
                source,
                link,
                moment(published),
                feed,
                guid,
                moment(at),
            )
            for key, title, file, source, link, published, feed, guid, at in rows
        ]

    def starred_guids(self) -> frozenset[str]:
        """The guids of the starred feed articles: what the feed store's retention keeps."""
        with self._use("reading the starred feed articles") as connection:
            rows = connection.execute("SELECT guid FROM stars WHERE guid IS NOT NULL").fetchall()
        return frozenset(guid for (guid,) in rows)

    # -- named values (the session) -------------------------------------------------------------

    def value(self, name: str) -> str | None:
        """The text stored under `name` (session.py keeps the session so); None if none."""
        with self._use(f"reading the {name}") as connection:
            row = connection.execute(
                "SELECT value FROM settings WHERE name = ?", (name,)
            ).fetchone()
        return None if row is None else str(row[0])

    def set_value(self, name: str, value: str | None) -> None:
        """Store `value` under `name` (None: remove it)."""
        with self._use(f"saving the {name}") as connection:
            if value is None:
                connection.execute("DELETE FROM settings WHERE name = ?", (name,))
            else:
                connection.execute(
                    "INSERT INTO settings (name, value) VALUES (?, ?)"
                    " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                    (name, value),
                )

    # -- the connection ---------------------------------------------------------------------

    @contextmanager
    def _use(
        self, doing: str, done: int | None = None, of: int | None = None
    ) -> Iterator[sqlite3.Connection]:
        """The connection, to one thread at a time, with SQLite errors as LibraryError; for
        a chunk of a bulk operation, `done` items before it (of `of`) are said done."""
        with self._lock:
            try:
                yield self._connection
            except (sqlite3.Error, UnicodeEncodeError, OverflowError) as error:
                failed = failure(error, f"library {self._where}: {doing} failed")
                if done is not None:
                    total = "" if of is None else f" of {of:,}"
                    failed = type(failed)(f"{failed}; {done:,}{total} items were done")
                raise failed from error

    @property
    def _where(self) -> str:
        return "in memory" if self.path is None or self.problem else str(self.path)

    def _sync(self, connection: sqlite3.Connection) -> None:
        """Read the caches again if another connection changed the file since they were."""
        version = _data_version(connection)
        if version == self._data_version:
            return
        read = connection.execute("SELECT key FROM items WHERE read_at IS NOT NULL").fetchall()
        starred = connection.execute("SELECT key FROM stars").fetchall()
        self._read = {key for (key,) in read}
        self._starred = {key for (key,) in starred}
        self._read_view = self._starred_view = self._new_view = None
        self._data_version = version


def _data_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA data_version").fetchone()[0])


def _numbered_chunks(keys: Sequence[str]) -> Iterator[tuple[int, Sequence[str]]]:
    """The keys in chunks of CHUNK, each with how many keys come before it."""
    for start in range(0, len(keys), CHUNK):
        yield start, keys[start : start + CHUNK]
