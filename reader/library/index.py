"""The search index: SQLite FTS5 in `search.sqlite` in the data folder (derived data: it can
always be built again from the page files and the feed store).

Layout (PRAGMA user_version 1, application_id marks the file as ours):
- `docs`: one row per item, keyed on a STABLE integer id (INTEGER PRIMARY KEY, which VACUUM
  keeps) mapped to the item's key (reader.library.keys). The id grows with the item's time
  (milliseconds * 1024, the next free one), so `ORDER BY rowid DESC LIMIT n` is newest first
  and cheap even for a word in every article.
- `fts`: FTS5 over title, body (paragraphs one per line) and english (the same lines, each
  the cached English of its paragraph, empty where there is none), rowid = docs.id,
  `tokenize = "unicode61 remove_diacritics 2"`.
- `meta`: the feed store's `changed` watermark up to which its articles are indexed.

A file that is damaged, not ours, from a newer nieuwslezer or that cannot be opened is
reported (`problem`), never changed, deleted or recreated: search is then unavailable and
says why; the reader keeps working. It is first read through a read-only connection, so a
file refused is not even touched.

Queries and results are in search.py; what is indexed of each item in search_docs.py; keeping
up with the feed store in feed_index.py.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reader.closing import Closing
from reader.feeds.schema import transaction
from reader.library.search_docs import (
    PAGE,
    EnglishLookup,
    SearchDoc,
    one_line,
    plausible_time,
    with_english,
)
from reader.paths import data_dir
from reader.sqlite_files import DAMAGED, code_in, connect, open_read_only

SEARCH_FILE = "search.sqlite"
SCHEMA_VERSION = 1
APPLICATION_ID = 0x4E4C5331  # "NLS1"
CHUNK = 500  # items per transaction: progress shows and another reader waits little
_ID_STEP = 1024  # ids per millisecond
_BUSY_MS = 2000
_WINDOW = _ID_STEP * 1000  # how far one step of the search for a free id looks

Progress = Callable[[int, int], None]  # (done, total); total 0: not known yet

_SCHEMA = (
    """CREATE TABLE docs (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL,
        digest TEXT NOT NULL,
        time REAL,
        file TEXT,
        link TEXT,
        source TEXT
    )""",
    "CREATE INDEX docs_file ON docs (file, kind)",
    "CREATE INDEX docs_kind ON docs (kind)",
    """CREATE VIRTUAL TABLE fts USING fts5(
        title, body, english, tokenize = 'unicode61 remove_diacritics 2'
    )""",
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value)",
    f"PRAGMA application_id = {APPLICATION_ID}",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)


def default_search_path() -> Path:
    return data_dir() / SEARCH_FILE


@dataclass(frozen=True, slots=True)
class IndexReport:
    """What one indexing did: items added, changed (indexed again), unchanged (skipped),
    removed; and why it stopped, if it failed (a sentence; the index is left as it was at
    the last whole chunk)."""

    added: int = 0
    changed: int = 0
    skipped: int = 0
    removed: int = 0
    problem: str | None = None

    def __add__(self, other: IndexReport) -> IndexReport:
        return IndexReport(
            self.added + other.added,
            self.changed + other.changed,
            self.skipped + other.skipped,
            self.removed + other.removed,
            self.problem or other.problem,
        )


class SearchIndex(Closing):
    """Thread-safe (a worker indexes while the UI searches). SearchIndex.open() never raises:
    an index that cannot be used has `problem` set, and every call then does nothing and
    returns that problem as its value."""

    def __init__(self, path: Path, connection: sqlite3.Connection | None, problem: str | None):
        self.path = path
        self.problem = problem
        self._connection = connection
        self._lock = threading.Lock()
        self._id_hints: dict[int, int] = {}  # _free_id's
        self._tickets = threading.Lock()
        self._newest_search = 0

    @classmethod
    def open(cls, path: Path | None = None) -> SearchIndex:
        """Open the index at `path` (default: search.sqlite in the data folder), creating it
        if there is none."""
        path = path or default_search_path()
        try:
            return cls(path, _open(path), None)
        except _Refused as refused:
            return cls(path, None, str(refused))

    @property
    def available(self) -> bool:
        return self._connection is not None

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    @contextmanager
    def use(self, doing: str) -> Iterator[sqlite3.Connection]:
        """The connection, to one thread at a time; an SQLite error, or a value SQLite cannot
        hold (text with a lone surrogate, an integer over 64 bits), becomes IndexFailed
        (damage also makes the index unavailable from then on). For search.py."""
        with self._lock:
            if self._connection is None:
                raise IndexFailed(self.problem or f"search index {self.path} is closed")
            try:
                yield self._connection
            except (UnicodeEncodeError, OverflowError) as error:
                raise IndexFailed(f"search index {self.path}: {doing} failed ({error})") from error
            except sqlite3.Error as error:
                message = f"search index {self.path}: {doing} failed ({error})"
                if code_in(error, DAMAGED):
                    message += "; it is left as it is: move it away to build a new one"
                    self.problem = message
                    self._connection.close()
                    self._connection = None
                raise IndexFailed(message) from error

    def next_search(self) -> int:
        """A ticket for a search about to run (search.py); asking for one tells the searches
        running that they are superseded."""
        with self._tickets:
            self._newest_search += 1
            return self._newest_search

    def superseded(self, ticket: int) -> bool:
        """Whether a search newer than the one with `ticket` was asked for since."""
        return ticket != self._newest_search

    def count(self) -> int:
        """How many items are indexed (0 when unavailable)."""
        try:
            with self.use("counting") as connection:
                return int(connection.execute("SELECT count(*) FROM docs").fetchone()[0])
        except IndexFailed:
            return 0

    def index(
        self,
        docs: Iterable[SearchDoc],
        *,
        total: int = 0,
        english: EnglishLookup | None = None,
        progress: Progress | None = None,
    ) -> IndexReport:
        """Index `docs` in chunks (one transaction each), skipping those indexed before with
        the same content; `english` looks up each paragraph's English (of new or changed
        items); `progress(done, total)` after each chunk."""
        report, done, chunk = IndexReport(), 0, []
        for doc in docs:
            chunk.append(doc)
            if len(chunk) >= CHUNK:
                report += self._index_chunk(chunk, english)
                done += len(chunk)
                chunk = []
                if progress is not None:
                    progress(done, max(total, done))
                if report.problem:
                    return report
        if chunk:
            report += self._index_chunk(chunk, english)
            done += len(chunk)
        if progress is not None and (chunk or not done):  # the last, unless just said
            progress(done, max(total, done))
        return report

    def _index_chunk(self, docs: Sequence[SearchDoc], english: EnglishLookup | None) -> IndexReport:
        added = changed = skipped = 0
        try:
            with self.use("indexing") as connection, transaction(connection):
                for doc in docs:
                    digest = doc.digest
                    row = connection.execute(
                        "SELECT id, digest, file FROM docs WHERE key = ?", (doc.key,)
                    ).fetchone()
                    if row is not None and row[1] == digest:
                        if doc.file is not None and row[2] != doc.file:
                            self._move(connection, row[0], doc)
                        skipped += 1
                        continue
                    doc = with_english(doc, english)
                    if row is None:
                        doc_id = _free_id(connection, doc.time, self._id_hints)
                        added += 1
                    else:
                        doc_id = row[0]
                        connection.execute("DELETE FROM fts WHERE rowid = ?", (doc_id,))
                        changed += 1
                    connection.execute(
                        "INSERT OR REPLACE INTO docs (id, key, kind, digest, time, file, link,"
                        " source) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (doc_id, doc.key, doc.kind, digest, doc.time, doc.file, doc.link,
                         doc.source),
                    )  # fmt: skip
                    connection.execute(
                        "INSERT INTO fts (rowid, title, body, english) VALUES (?, ?, ?, ?)",
                        (doc_id, one_line(doc.title), "\n".join(doc.paragraphs),
                         "\n".join(one_line(e or "") for e in doc.english)),
                    )  # fmt: skip
                    if doc.file is not None and row is None:
                        _drop_older_versions(connection, doc)
        except IndexFailed as failed:
            return IndexReport(problem=str(failed))
        return IndexReport(added, changed, skipped)

    def _move(self, connection: sqlite3.Connection, doc_id: int, doc: SearchDoc) -> None:
        """An item indexed as found in one file, now found (the same) in another (a ticker
        item in today's saved pages): it names that file, under an id of that file's time."""
        new_id = _free_id(connection, doc.time, self._id_hints)
        connection.execute(
            "INSERT INTO fts (rowid, title, body, english) SELECT ?, title, body, english"
            " FROM fts WHERE rowid = ?",
            (new_id, doc_id),
        )
        connection.execute("DELETE FROM fts WHERE rowid = ?", (doc_id,))
        connection.execute(
            "UPDATE docs SET id = ?, file = ?, time = ? WHERE id = ?",
            (new_id, doc.file, doc.time, doc_id),
        )

    def add_english(self, key: str, english: Mapping[int, str] | Sequence[str | None]) -> bool:
        """Add the English of an indexed item's paragraphs (by paragraph index), as a
        translation arrives; whether the item was found and updated."""
        items = english.items() if isinstance(english, Mapping) else enumerate(english)
        try:
            with self.use("adding English") as connection, transaction(connection):
                row = connection.execute(
                    "SELECT d.id, f.title, f.body, f.english FROM docs d JOIN fts f"
                    " ON f.rowid = d.id WHERE d.key = ?",
                    (key,),
                ).fetchone()
                if row is None:
                    return False
                doc_id, title, body, old = row
                count = len(body.split("\n")) if body else 0
                lines = (old.split("\n") if old else []) + [""] * count
                lines = lines[:count]
                for index, text in items:
                    if text and 0 <= index < count:
                        lines[index] = one_line(text)
                connection.execute("DELETE FROM fts WHERE rowid = ?", (doc_id,))
                connection.execute(
                    "INSERT INTO fts (rowid, title, body, english) VALUES (?, ?, ?, ?)",
                    (doc_id, title, body, "\n".join(lines)),
                )
            return True
        except IndexFailed:
            return False

    def remove(self, keys: Iterable[str]) -> IndexReport:
        """Remove the items with these keys from the index."""
        removed = 0
        try:
            with self.use("removing") as connection, transaction(connection):
                for key in keys:
                    row = connection.execute("SELECT id FROM docs WHERE key = ?", (key,)).fetchone()
                    if row is not None:
                        connection.execute("DELETE FROM fts WHERE rowid = ?", (row[0],))
                        connection.execute("DELETE FROM docs WHERE id = ?", (row[0],))
                        removed += 1
        except IndexFailed as failed:
            return IndexReport(removed=removed, problem=str(failed))
        return IndexReport(removed=removed)


class _Refused(Exception):
    """The index file cannot be used; the message says why, and that it is left alone."""


class IndexFailed(Exception):
    """An operation on the index failed; the message says which and why."""


def _connect(database: str) -> sqlite3.Connection:
    return connect(database, timeout=_BUSY_MS / 1000)


def _open(path: Path) -> sqlite3.Connection:
    """A connection to the index at `path`, made and migrated; _Refused if it cannot be."""
    left = "; it is left as it is (move it away and a new one is built)"
    if path.exists() and not path.is_file():  # a named pipe would make SQLite wait forever
        raise _Refused(f"search index {path} is not a regular file{left}")
    if path.exists():
        _check(path, left)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = _connect(str(path))
    except (sqlite3.Error, OSError) as error:
        raise _Refused(f"search index {path} cannot be opened ({error})") from error
    try:
        connection.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        # The write lock only to make a new index: another reader indexing holds it a while,
        # and searching needs none (WAL).
        if _version(connection) == 0:
            connection.execute("PRAGMA journal_mode=WAL")
            with transaction(connection):
                if _version(connection) == 0:  # not made by another meanwhile
                    for statement in _SCHEMA:
                        connection.execute(statement)
        connection.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.Error as error:
        connection.close()
        if "fts5" in str(error):
            raise _Refused(f"this Python's SQLite has no full-text search ({error})") from error
        raise _Refused(f"search index {path} cannot be opened ({error}){left}") from error
    return connection


def _version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def _check(path: Path, left: str) -> None:
    """Refuse, reading only, a file that is not an index of ours or is newer."""
    try:
        reading = open_read_only(path, timeout=_BUSY_MS / 1000)
    except sqlite3.Error as error:
        raise _Refused(f"search index {path} cannot be opened ({error})") from error
    try:
        version = int(reading.execute("PRAGMA user_version").fetchone()[0])
        application = int(reading.execute("PRAGMA application_id").fetchone()[0])
        tables = int(reading.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])
    except sqlite3.Error as error:
        if code_in(error, DAMAGED):
            raise _Refused(f"search index {path} is not a database or is damaged{left}") from error
        raise _Refused(f"search index {path} cannot be read ({error})") from error
    finally:
        reading.close()
    if version > SCHEMA_VERSION:
        raise _Refused(
            f"search index {path} was written by a newer nieuwslezer (version {version}, this"
            f" one knows up to {SCHEMA_VERSION}){left}"
        )
    if tables and (application != APPLICATION_ID or version == 0):
        raise _Refused(f"{path} is a database but not a search index{left}")


def _free_id(connection: sqlite3.Connection, time: float | None, hints: dict[int, int]) -> int:
    """The first unused id at or after the one of `time` (none: the oldest ids). `hints`
    remembers where the last search for each time ended: a thousand items saved in one
    millisecond (pages written at once) do not each walk over all the others."""
    base = max(0, round((plausible_time(time) or 0) * 1000)) * _ID_STEP + 1
    candidate = max(base, hints.get(base, base))
    while connection.execute("SELECT 1 FROM docs WHERE id = ?", (candidate,)).fetchone():
        (last,) = connection.execute(
            "SELECT max(id) FROM docs WHERE id >= ? AND id < ?", (candidate, candidate + _WINDOW)
        ).fetchone()
        candidate = int(last) + 1
    hints[base] = candidate + 1
    return candidate


def _drop_older_versions(connection: sqlite3.Connection, doc: SearchDoc) -> None:
    """A page file indexed again with other text: its old version's article goes."""
    if doc.kind != PAGE:
        return
    for (doc_id,) in connection.execute(
        "SELECT id FROM docs INDEXED BY docs_file WHERE file = ? AND kind = ? AND key != ?",
        (doc.file, doc.kind, doc.key),
    ).fetchall():
        connection.execute("DELETE FROM fts WHERE rowid = ?", (doc_id,))
        connection.execute("DELETE FROM docs WHERE id = ?", (doc_id,))
